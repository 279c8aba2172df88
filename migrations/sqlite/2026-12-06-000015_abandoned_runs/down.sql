CREATE TABLE job_runs_old (
    id INTEGER PRIMARY KEY,
    started_by TEXT NOT NULL CHECK (started_by IN ('serve', 'cli')),
    holder TEXT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'busy')),
    counts TEXT NOT NULL DEFAULT '{}',
    errors TEXT NOT NULL DEFAULT '{}'
);
-- an abandoned run was a failed one before this status existed
INSERT INTO job_runs_old (id, started_by, holder, run_at, started_at, finished_at, status,
                          counts, errors)
SELECT id, started_by, holder, run_at, started_at, COALESCE(finished_at, abandoned_at),
       CASE status WHEN 'abandoned' THEN 'failed' ELSE status END, counts, errors
FROM job_runs;
DROP TABLE job_runs;
ALTER TABLE job_runs_old RENAME TO job_runs;
CREATE INDEX job_runs_started ON job_runs (started_at);
