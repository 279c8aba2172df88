-- "Keep me logged in on this phone": a kept session has no idle timeout and ends
-- auth.session_keep_days after log-in; the account page lists a user's sessions by the
-- browser they were started in (a short label read from its User-Agent).
ALTER TABLE sessions ADD COLUMN kept BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN device TEXT;

-- A form posted after its session ended, kept for the same user in the same browser
-- (token_hash: the SHA-256 of the paani_draft cookie) until they log in again; only its text
-- fields, never passwords or files. Deleted when sent again, discarded, or past expires_at.
CREATE TABLE form_drafts (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- where the form was posted, and the page it was on (local paths)
    action TEXT NOT NULL,
    page TEXT,
    -- the text fields, urlencoded, in their order
    fields TEXT NOT NULL,
    had_files BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX form_drafts_user ON form_drafts (user_id);
CREATE INDEX form_drafts_expires ON form_drafts (expires_at);
