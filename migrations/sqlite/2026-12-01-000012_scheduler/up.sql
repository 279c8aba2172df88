-- The scheduler: one runner at a time (a lease row), a record of every run, how far each
-- rule has swept, and the reminders it raises (one row per recipient; the dedupe key makes a
-- re-run, a concurrent run or a run after a crash raise nothing twice).
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Jobs that need to run once a day (task generation up to the horizon): the last day done.
CREATE TABLE job_state (
    name TEXT PRIMARY KEY,
    last_day DATE NOT NULL
);

CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    started_by TEXT NOT NULL CHECK (started_by IN ('serve', 'cli')),
    holder TEXT NOT NULL,
    -- the clock's time the run worked for (moved by --at)
    run_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'busy')),
    -- JSON: {"rule": {"raised": n, "resolved": n, "done": n}, …}
    counts TEXT NOT NULL DEFAULT '{}',
    -- JSON: {"rule": "error message", …}
    errors TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX job_runs_started ON job_runs (started_at);

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    rule TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    -- the rule, the subject and the period or due date: unique per recipient
    dedupe_key TEXT NOT NULL,
    -- what the message names (a task's title, a complaint number), as it was when raised
    label TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL,
    due_on DATE,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    resolved_at TIMESTAMP,
    -- e-mail: none (not to be sent), pending, queued (in the outbox, alone or in a digest)
    email_state TEXT NOT NULL DEFAULT 'none' CHECK (email_state IN ('none', 'pending', 'queued')),
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX reminders_inbox ON reminders (user_id, resolved_at, id);
CREATE INDEX reminders_open ON reminders (rule, resolved_at, subject_id);
CREATE INDEX reminders_email ON reminders (email_state, user_id);

-- What the rules read, by state and date, across every GP.
CREATE INDEX maintenance_tasks_sweep_due ON maintenance_tasks (state, due_on);
CREATE INDEX maintenance_tasks_sweep_deadline ON maintenance_tasks (state, deadline_on);
CREATE INDEX action_items_sweep ON action_items (status, due_on);
CREATE INDEX assets_sweep_end_of_life ON assets (status, end_of_life_on);
CREATE INDEX assets_sweep_warranty ON assets (status, warranty_until);
CREATE INDEX schemes_sweep_design_end ON schemes (status, design_end_on);
CREATE INDEX maintenance_logs_sweep_quality ON maintenance_logs (water_quality, out_of_range, done_on);
CREATE INDEX users_role_place ON users (role, place_id);

-- How a user wants reminders by e-mail: each at once, a daily digest, or none.
ALTER TABLE users ADD COLUMN email_pref TEXT NOT NULL DEFAULT 'immediate' CHECK (email_pref IN ('immediate', 'digest', 'off'));

-- E-mail waiting to go, or gone: one row per message, with a Message-ID fixed when the row is
-- made, so a retry after an unclear failure shows once in the recipient's mailbox.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'digest')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);

-- A GP's own settings: whether the scheduler raises its monthly demands by itself (on
-- reminders.demands_due_day) or the secretary does.
CREATE TABLE gp_settings (
    gp_id BIGINT PRIMARY KEY REFERENCES places (id),
    auto_demands BOOLEAN NOT NULL DEFAULT FALSE,
    updated_by BIGINT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
