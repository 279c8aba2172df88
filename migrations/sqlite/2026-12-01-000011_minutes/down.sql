DELETE FROM work_photos WHERE meeting_id IS NOT NULL;
CREATE TABLE work_photos_old (
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
INSERT INTO work_photos_old SELECT id, gp_id, log_id, breakdown_id, file_name, small_name, mime, bytes, created_at FROM work_photos;
DROP TABLE work_photos;
ALTER TABLE work_photos_old RENAME TO work_photos;
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);
CREATE INDEX work_photos_breakdown ON work_photos (gp_id, breakdown_id);

DROP TABLE action_items;
DROP TABLE meeting_addenda;
ALTER TABLE meetings DROP COLUMN lang;
