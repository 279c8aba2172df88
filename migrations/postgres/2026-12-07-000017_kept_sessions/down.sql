DROP TABLE form_drafts;
ALTER TABLE sessions DROP COLUMN device;
ALTER TABLE sessions DROP COLUMN kept;
