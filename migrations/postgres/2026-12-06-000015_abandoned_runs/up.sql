-- A run whose runner died (a `paani jobs run` killed part-way) is marked abandoned once its
-- lease has expired, with when: the lease's expiry, or when it was noticed.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_status_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
    CHECK (status IN ('running', 'ok', 'failed', 'busy', 'abandoned'));
-- when an abandoned run was given up (machine time, like the lease)
ALTER TABLE job_runs ADD COLUMN abandoned_at TIMESTAMP;
