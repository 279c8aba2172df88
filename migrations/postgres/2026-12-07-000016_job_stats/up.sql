-- What each scheduled job and reminder rule has done over time, brought up to date by every
-- run as it finishes (/metrics and /healthz read one row per job instead of every run's JSON):
-- one row per job or rule, and one named 'sweep' for whole sweeps.
CREATE TABLE job_stats (
    name TEXT PRIMARY KEY,
    -- runs that did the job (a daily job's skipped runs do not count), and runs it failed in
    ok_runs BIGINT NOT NULL DEFAULT 0,
    failed_runs BIGINT NOT NULL DEFAULT 0,
    -- when it last finished well, and when it last failed (machine time, like the lease)
    last_ok_at TIMESTAMP,
    last_failed_at TIMESTAMP,
    -- how long its last good run took, in milliseconds
    last_ms BIGINT,
    -- its counts added up over every good run: rows done, reminders raised and resolved,
    -- e-mails that could not be delivered
    done_total BIGINT NOT NULL DEFAULT 0,
    raised_total BIGINT NOT NULL DEFAULT 0,
    resolved_total BIGINT NOT NULL DEFAULT 0,
    failed_total BIGINT NOT NULL DEFAULT 0
);
