ALTER TABLE assets DROP COLUMN name_hi;
