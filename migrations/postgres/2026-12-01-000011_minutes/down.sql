DROP INDEX work_photos_meeting;
DELETE FROM work_photos WHERE meeting_id IS NOT NULL;
ALTER TABLE work_photos DROP CONSTRAINT work_photos_owner_check;
ALTER TABLE work_photos DROP COLUMN meeting_id;
ALTER TABLE work_photos ADD CONSTRAINT work_photos_owner_check
    CHECK ((log_id IS NULL) <> (breakdown_id IS NULL));

DROP TABLE action_items;
DROP TABLE meeting_addenda;
ALTER TABLE meetings DROP COLUMN lang;
