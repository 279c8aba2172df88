-- Minutes: the meeting's language, addenda after approval, photos of the signed attendance
-- register, and action items that follow from decisions.
ALTER TABLE meetings ADD COLUMN lang TEXT NOT NULL DEFAULT 'hi' CHECK (lang IN ('en', 'hi'));

-- Corrections to approved minutes: never an edit, always an addendum with who and when.
CREATE TABLE meeting_addenda (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    agenda_item_id BIGINT REFERENCES meeting_agenda (id),
    body TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_addenda_meeting ON meeting_addenda (gp_id, meeting_id, id);

CREATE TABLE action_items (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    agenda_item_id BIGINT REFERENCES meeting_agenda (id),
    description TEXT NOT NULL,
    owner_member_id BIGINT REFERENCES committee_members (id),
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    closed_on DATE,
    close_note TEXT,
    closed_by BIGINT REFERENCES users (id),
    scheme_id BIGINT REFERENCES schemes (id),
    asset_id BIGINT REFERENCES assets (id),
    breakdown_id BIGINT REFERENCES breakdowns (id),
    household_id BIGINT REFERENCES households (id),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status <> 'dropped' OR close_note IS NOT NULL)
);
CREATE INDEX action_items_gp ON action_items (gp_id, status, due_on);
CREATE INDEX action_items_owner ON action_items (gp_id, owner_member_id, status);
CREATE INDEX action_items_meeting ON action_items (meeting_id);

-- Photos also belong to a meeting (the signed attendance register); SQLite rebuilds the table.
CREATE TABLE work_photos_new (
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
INSERT INTO work_photos_new (id, gp_id, log_id, breakdown_id, file_name, small_name, mime, bytes, created_at)
    SELECT id, gp_id, log_id, breakdown_id, file_name, small_name, mime, bytes, created_at FROM work_photos;
DROP TABLE work_photos;
ALTER TABLE work_photos_new RENAME TO work_photos;
CREATE INDEX work_photos_log ON work_photos (gp_id, log_id);
CREATE INDEX work_photos_breakdown ON work_photos (gp_id, breakdown_id);
CREATE INDEX work_photos_meeting ON work_photos (gp_id, meeting_id);
