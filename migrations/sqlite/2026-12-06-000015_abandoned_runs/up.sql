-- A run whose runner died (a `paani jobs run` killed part-way) is marked abandoned once its
-- lease has expired, with when: the lease's expiry, or when it was noticed. SQLite cannot
-- change a CHECK constraint, so the table is built again with the new status.
CREATE TABLE job_runs_new (
    id INTEGER PRIMARY KEY,
    started_by TEXT NOT NULL CHECK (started_by IN ('serve', 'cli')),
    holder TEXT NOT NULL,
    -- the clock's time the run worked for (moved by --at)
    run_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'busy', 'abandoned')),
    -- JSON: {"rule": {"raised": n, "resolved": n, "done": n}, …}
    counts TEXT NOT NULL DEFAULT '{}',
    -- JSON: {"rule": "error message", …}
    errors TEXT NOT NULL DEFAULT '{}',
    -- when an abandoned run was given up (machine time, like the lease)
    abandoned_at TIMESTAMP
);
INSERT INTO job_runs_new (id, started_by, holder, run_at, started_at, finished_at, status,
                          counts, errors)
SELECT id, started_by, holder, run_at, started_at, finished_at, status, counts, errors
FROM job_runs;
DROP TABLE job_runs;
ALTER TABLE job_runs_new RENAME TO job_runs;
CREATE INDEX job_runs_started ON job_runs (started_at);
