DELETE FROM work_photos WHERE breakdown_id IS NOT NULL;
CREATE TABLE work_photos_old (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    log_id BIGINT NOT NULL REFERENCES maintenance_logs (id),
    file_name TEXT NOT NULL,
    small_name TEXT NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO work_photos_old SELECT id, gp_id, log_id, file_name, small_name, mime, bytes, created_at FROM work_photos;
DROP TABLE work_photos;
ALTER TABLE work_photos_old RENAME TO work_photos;
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);

DELETE FROM breakdown_events WHERE kind IN ('visit_requested', 'level_changed');
CREATE TABLE breakdown_events_old (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    breakdown_id BIGINT NOT NULL REFERENCES breakdowns (id),
    kind TEXT NOT NULL CHECK (kind IN ('reported', 'transition', 'comment', 'escalated')),
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
INSERT INTO breakdown_events_old SELECT * FROM breakdown_events;
DROP TABLE breakdown_events;
ALTER TABLE breakdown_events_old RENAME TO breakdown_events;
CREATE INDEX breakdown_events_breakdown ON breakdown_events (gp_id, breakdown_id, id);

DROP TABLE complaint_attempts;
DROP INDEX breakdowns_facts;
DROP INDEX breakdowns_phone;
DROP INDEX breakdowns_asset;
ALTER TABLE breakdowns DROP COLUMN visit_on;
ALTER TABLE breakdowns DROP COLUMN village_id;
DROP TABLE breakdown_counters;
