-- an abandoned run was a failed one before this status existed
UPDATE job_runs SET status = 'failed', finished_at = COALESCE(finished_at, abandoned_at)
WHERE status = 'abandoned';
ALTER TABLE job_runs DROP COLUMN abandoned_at;
ALTER TABLE job_runs DROP CONSTRAINT job_runs_status_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
    CHECK (status IN ('running', 'ok', 'failed', 'busy'));
