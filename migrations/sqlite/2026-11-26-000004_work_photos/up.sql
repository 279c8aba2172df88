-- Photos of work done (up to three per log), stored as files under the data folder.
CREATE TABLE work_photos (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    log_id BIGINT NOT NULL REFERENCES maintenance_logs (id),
    -- file names under storage.photos_dir/<gp_id>/ : the original and a small copy
    file_name TEXT NOT NULL,
    small_name TEXT NOT NULL,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);
