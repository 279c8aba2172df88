UPDATE users SET role = 'member', active = FALSE WHERE role = 'lab_analyst';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'district_officer', 'block_engineer', 'secretary', 'member'));
DELETE FROM work_photos WHERE sample_id IS NOT NULL;
DROP INDEX work_photos_sample;
ALTER TABLE work_photos DROP CONSTRAINT work_photos_owner_check;
ALTER TABLE work_photos DROP COLUMN sample_id;
ALTER TABLE work_photos ADD CONSTRAINT work_photos_owner_check
    CHECK ((log_id IS NOT NULL)::int + (breakdown_id IS NOT NULL)::int + (meeting_id IS NOT NULL)::int = 1);
DROP TABLE water_sample_values;
DROP TABLE water_samples;
DROP TABLE water_testers;
DROP TABLE sampling_points;
