DROP INDEX reminders_sms_pending;
ALTER TABLE reminders DROP COLUMN sms_state;
ALTER TABLE users DROP COLUMN sms_pref;
