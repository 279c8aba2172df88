-- Breakdowns, second part: numbers from a counter, public complaints and their throttle,
-- technical visits, photos on reports, and two more kinds of timeline event.

-- One row per GP; a report takes the next number under the row's lock.
CREATE TABLE breakdown_counters (
    gp_id BIGINT PRIMARY KEY REFERENCES places (id),
    last_number BIGINT NOT NULL
);
INSERT INTO breakdown_counters (gp_id, last_number)
    SELECT gp_id, COUNT(*) FROM breakdowns GROUP BY gp_id;

-- The village a public complaint comes from; the date of a technical visit the engineer asked for.
ALTER TABLE breakdowns ADD COLUMN village_id BIGINT;
ALTER TABLE breakdowns ADD COLUMN visit_on DATE;
CREATE INDEX breakdowns_asset ON breakdowns (asset_id, created_at);
CREATE INDEX breakdowns_phone ON breakdowns (reporter_phone);
-- Everything the review figures read, so they come from the index alone.
CREATE INDEX breakdowns_facts ON breakdowns (gp_id, created_at, status, supply, scheme_id, asset_id, started_at, resolved_at, resolve_due_at, escalation_level);

-- Public complaint attempts, for throttling per address and per phone.
CREATE TABLE complaint_attempts (
    id INTEGER PRIMARY KEY,
    ip TEXT NOT NULL,
    phone TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_attempts_ip ON complaint_attempts (ip, attempted_at);
CREATE INDEX complaint_attempts_phone ON complaint_attempts (phone, attempted_at);

-- Timeline events gain `visit_requested` and `level_changed` (SQLite rebuilds the table).
CREATE TABLE breakdown_events_new (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    breakdown_id BIGINT NOT NULL REFERENCES breakdowns (id),
    kind TEXT NOT NULL CHECK (kind IN ('reported', 'transition', 'comment', 'escalated', 'visit_requested', 'level_changed')),
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
INSERT INTO breakdown_events_new SELECT * FROM breakdown_events;
DROP TABLE breakdown_events;
ALTER TABLE breakdown_events_new RENAME TO breakdown_events;
CREATE INDEX breakdown_events_breakdown ON breakdown_events (gp_id, breakdown_id, id);

-- Photos belong to a work record or to a breakdown report (SQLite rebuilds the table).
CREATE TABLE work_photos_new (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    log_id BIGINT REFERENCES maintenance_logs (id),
    breakdown_id BIGINT REFERENCES breakdowns (id),
    file_name TEXT NOT NULL,
    small_name TEXT NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((log_id IS NULL) <> (breakdown_id IS NULL))
);
INSERT INTO work_photos_new (id, gp_id, log_id, file_name, small_name, mime, bytes, created_at)
    SELECT id, gp_id, log_id, file_name, small_name, mime, bytes, created_at FROM work_photos;
DROP TABLE work_photos;
ALTER TABLE work_photos_new RENAME TO work_photos;
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);
CREATE INDEX work_photos_breakdown ON work_photos (gp_id, breakdown_id);
