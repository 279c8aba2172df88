DROP INDEX cashbook_entries_gp_created;
DROP INDEX committees_gp_updated;
DROP INDEX maintenance_logs_gp_created;
DROP INDEX maintenance_plans_gp_updated;
DROP INDEX job_runs_updated;
DROP INDEX reminders_user_updated;

DELETE FROM deletions WHERE entity = 'demand_run';
ALTER TABLE deletions DROP CONSTRAINT deletions_entity_check;
ALTER TABLE deletions ADD CONSTRAINT deletions_entity_check
    CHECK (entity IN ('maintenance_task', 'demand'));

ALTER TABLE job_runs DROP COLUMN updated_at;
ALTER TABLE reminders DROP COLUMN updated_at;
