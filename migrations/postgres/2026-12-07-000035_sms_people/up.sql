-- Issue 27, item 4: reminders by SMS. How a user's reminders reach them by SMS ('on' or
-- 'off'): on for those who have a phone but no e-mail address, off for the others.
ALTER TABLE users ADD COLUMN sms_pref TEXT NOT NULL DEFAULT 'off' CHECK (sms_pref IN ('off', 'on'));
UPDATE users SET sms_pref = 'on'
    WHERE phone IS NOT NULL AND TRIM(phone) <> '' AND (email IS NULL OR TRIM(email) = '');
-- A reminder's SMS: none (not wanted, or raised before this), pending (to be queued by the
-- scheduler's sms_queue job) or queued (in sms_outbox, dedupe key reminder:<id>).
ALTER TABLE reminders ADD COLUMN sms_state TEXT NOT NULL DEFAULT 'none' CHECK (sms_state IN ('none', 'pending', 'queued'));
CREATE INDEX reminders_sms_pending ON reminders (sms_state, user_id);
