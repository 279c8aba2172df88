PRAGMA foreign_keys = OFF;
BEGIN;
UPDATE users SET role = 'member', active = FALSE WHERE role = 'lab_analyst';
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'district_officer', 'block_engineer', 'secretary', 'member')),
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
DELETE FROM work_photos WHERE sample_id IS NOT NULL;
CREATE TABLE work_photos_old (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    log_id BIGINT REFERENCES maintenance_logs (id),
    breakdown_id BIGINT REFERENCES breakdowns (id),
    meeting_id BIGINT REFERENCES meetings (id),
    file_name TEXT NOT NULL,
    small_name TEXT NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((log_id IS NOT NULL) + (breakdown_id IS NOT NULL) + (meeting_id IS NOT NULL) = 1)
);
INSERT INTO work_photos_old (id, gp_id, log_id, breakdown_id, meeting_id, file_name, small_name, mime, bytes, created_at)
    SELECT id, gp_id, log_id, breakdown_id, meeting_id, file_name, small_name, mime, bytes, created_at FROM work_photos;
DROP TABLE work_photos;
ALTER TABLE work_photos_old RENAME TO work_photos;
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);
CREATE INDEX work_photos_breakdown ON work_photos (gp_id, breakdown_id);
CREATE INDEX work_photos_meeting ON work_photos (gp_id, meeting_id);
DROP TABLE water_sample_values;
DROP TABLE water_samples;
DROP TABLE water_testers;
DROP TABLE sampling_points;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
