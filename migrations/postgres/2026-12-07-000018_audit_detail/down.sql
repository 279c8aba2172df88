ALTER TABLE audit_log DROP COLUMN detail_args;
ALTER TABLE audit_log DROP COLUMN detail_key;
