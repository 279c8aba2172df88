-- This migration rebuilds the users table (SQLite cannot change a CHECK constraint), which
-- other tables reference: SQLite's documented procedure turns foreign keys off around one
-- transaction of its own (metadata.toml: run_in_transaction = false) and turns them
-- on again.
PRAGMA foreign_keys = OFF;
BEGIN;
-- Water quality (issue 25): sampling points of a scheme, the register of trained testers,
-- water samples tested (field test kit, H2S vial, laboratory) and their values, each
-- classified against the standard in config (IS 10500:2012 built in). Every row carries
-- gp_id and its indexes lead with it.
CREATE TABLE sampling_points (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    scheme_id BIGINT NOT NULL REFERENCES schemes (id),
    village_id BIGINT NOT NULL REFERENCES places (id),
    kind TEXT NOT NULL CHECK (kind IN ('source', 'storage_tank', 'tap', 'school', 'anganwadi')),
    -- the source or tank this point is, when it is one of the scheme's assets
    asset_id BIGINT REFERENCES assets (id),
    name TEXT NOT NULL,
    name_hi TEXT,
    -- decimal degrees, as assets keep them
    latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sampling_points_scheme ON sampling_points (gp_id, scheme_id, active);
CREATE INDEX sampling_points_village ON sampling_points (gp_id, village_id);
CREATE UNIQUE INDEX sampling_points_asset ON sampling_points (gp_id, asset_id) WHERE asset_id IS NOT NULL;

CREATE TABLE water_testers (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    village_id BIGINT NOT NULL REFERENCES places (id),
    name TEXT NOT NULL,
    phone TEXT,
    trained_on DATE NOT NULL,
    -- who trained them (the PHED, a block resource centre, an NGO…), as written
    trained_by TEXT NOT NULL,
    -- the member account of a tester who enters tests herself
    user_id BIGINT REFERENCES users (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX water_testers_village ON water_testers (gp_id, village_id, active);
CREATE UNIQUE INDEX water_testers_user ON water_testers (gp_id, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE water_samples (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    point_id BIGINT NOT NULL REFERENCES sampling_points (id),
    kind TEXT NOT NULL CHECK (kind IN ('ftk', 'h2s', 'laboratory')),
    sampled_on DATE NOT NULL,
    tested_on DATE NOT NULL,
    -- a field test names its trained tester; a laboratory's names the laboratory
    tester_id BIGINT REFERENCES water_testers (id),
    laboratory TEXT,
    lab_sample_no TEXT,
    kit_batch TEXT,
    kit_expires_on DATE,
    overall_class TEXT NOT NULL CHECK (overall_class IN ('acceptable', 'permissible', 'beyond_permissible', 'bacteria_present')),
    -- the standard's version the values were classified against
    standard_version TEXT NOT NULL,
    notes TEXT,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    CHECK (tested_on >= sampled_on),
    CHECK (kind = 'laboratory' OR tester_id IS NOT NULL),
    CHECK (kind <> 'laboratory' OR laboratory IS NOT NULL),
    CHECK (kind <> 'ftk' OR (kit_batch IS NOT NULL AND kit_expires_on IS NOT NULL))
);
CREATE INDEX water_samples_point ON water_samples (gp_id, point_id, tested_on);
CREATE INDEX water_samples_tested ON water_samples (gp_id, tested_on);
CREATE INDEX water_samples_class ON water_samples (gp_id, overall_class, tested_on);

-- One value per parameter of a sample: a number in millionths of the unit (exact; 1.5 mg/l
-- is 1500000), present/absent (bacteria), or agreeable/not (odour, taste).
CREATE TABLE water_sample_values (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    sample_id BIGINT NOT NULL REFERENCES water_samples (id),
    parameter TEXT NOT NULL,
    unit TEXT NOT NULL,
    value_micro BIGINT CHECK (value_micro >= 0),
    present BOOLEAN,
    agreeable BOOLEAN,
    class TEXT NOT NULL CHECK (class IN ('acceptable', 'permissible', 'beyond_permissible', 'bacteria_present')),
    CHECK ((value_micro IS NOT NULL) + (present IS NOT NULL) + (agreeable IS NOT NULL) = 1),
    UNIQUE (gp_id, sample_id, parameter)
);
CREATE INDEX water_sample_values_parameter ON water_sample_values (gp_id, parameter, class);

-- Photos also belong to a water sample (the kit or the laboratory's report); SQLite rebuilds
-- the table.
CREATE TABLE work_photos_new (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    log_id BIGINT REFERENCES maintenance_logs (id),
    breakdown_id BIGINT REFERENCES breakdowns (id),
    meeting_id BIGINT REFERENCES meetings (id),
    sample_id BIGINT REFERENCES water_samples (id),
    file_name TEXT NOT NULL,
    small_name TEXT NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((log_id IS NOT NULL) + (breakdown_id IS NOT NULL) + (meeting_id IS NOT NULL) + (sample_id IS NOT NULL) = 1)
);
INSERT INTO work_photos_new (id, gp_id, log_id, breakdown_id, meeting_id, file_name, small_name, mime, bytes, created_at)
    SELECT id, gp_id, log_id, breakdown_id, meeting_id, file_name, small_name, mime, bytes, created_at FROM work_photos;
DROP TABLE work_photos;
ALTER TABLE work_photos_new RENAME TO work_photos;
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);
CREATE INDEX work_photos_breakdown ON work_photos (gp_id, breakdown_id);
CREATE INDEX work_photos_meeting ON work_photos (gp_id, meeting_id);
CREATE INDEX work_photos_sample ON work_photos (gp_id, sample_id);

-- A laboratory analyst (scoped to a district) enters laboratory results.
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'district_officer', 'block_engineer', 'secretary', 'member', 'lab_analyst')),
    place_id BIGINT REFERENCES places (id),
    lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'hi')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    email_pref TEXT NOT NULL DEFAULT 'immediate' CHECK (email_pref IN ('immediate', 'digest', 'off'))
);
INSERT INTO users_new (id, username, display_name, phone, email, role, place_id, lang, active, password_hash, created_at, updated_at, email_pref)
    SELECT id, username, display_name, phone, email, role, place_id, lang, active, password_hash, created_at, updated_at, email_pref FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_place ON users (place_id);
CREATE INDEX users_role_place ON users (role, place_id);
COMMIT;
PRAGMA foreign_keys = ON;
