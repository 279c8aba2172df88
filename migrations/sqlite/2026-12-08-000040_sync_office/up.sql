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
CREATE TABLE deletions_new (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('maintenance_task', 'demand', 'demand_run')),
    entity_id BIGINT NOT NULL,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    deleted_at TIMESTAMP NOT NULL
);
INSERT INTO deletions_new (id, entity, entity_id, gp_id, deleted_at)
    SELECT id, entity, entity_id, gp_id, deleted_at FROM deletions;
DROP TABLE deletions;
ALTER TABLE deletions_new RENAME TO deletions;
CREATE INDEX deletions_gp_entity_at ON deletions (gp_id, entity, deleted_at);

-- Pulling changes reads (gp_id, change time) ranges.
CREATE INDEX reminders_user_updated ON reminders (user_id, updated_at);
CREATE INDEX job_runs_updated ON job_runs (updated_at);
CREATE INDEX maintenance_plans_gp_updated ON maintenance_plans (gp_id, updated_at);
CREATE INDEX maintenance_logs_gp_created ON maintenance_logs (gp_id, created_at);
CREATE INDEX committees_gp_updated ON committees (gp_id, updated_at);
CREATE INDEX cashbook_entries_gp_created ON cashbook_entries (gp_id, created_at);
