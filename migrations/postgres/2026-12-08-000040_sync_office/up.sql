-- Pulling changes from the remaining "office" lists (issue 28, item 6).
--
-- Reminders change after they are raised (read, resolved, their e-mail or SMS queued) and
-- job runs after they start (finished, abandoned): updated_at says when. Backfilled from the
-- latest time each row knows; new rows set it themselves.
ALTER TABLE reminders ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE reminders SET updated_at = COALESCE(resolved_at, read_at, created_at);
ALTER TABLE job_runs ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE job_runs SET updated_at = COALESCE(finished_at, abandoned_at, started_at);

-- A demand run taken away again (the demand benchmark's raw run) leaves a tombstone too.
ALTER TABLE deletions DROP CONSTRAINT deletions_entity_check;
ALTER TABLE deletions ADD CONSTRAINT deletions_entity_check
    CHECK (entity IN ('maintenance_task', 'demand', 'demand_run'));

-- Pulling changes reads (gp_id, change time) ranges.
CREATE INDEX reminders_user_updated ON reminders (user_id, updated_at);
CREATE INDEX job_runs_updated ON job_runs (updated_at);
CREATE INDEX maintenance_plans_gp_updated ON maintenance_plans (gp_id, updated_at);
CREATE INDEX maintenance_logs_gp_created ON maintenance_logs (gp_id, created_at);
CREATE INDEX committees_gp_updated ON committees (gp_id, updated_at);
CREATE INDEX cashbook_entries_gp_created ON cashbook_entries (gp_id, created_at);
