DROP INDEX cashbook_entries_gp_created;
DROP INDEX committees_gp_updated;
DROP INDEX maintenance_logs_gp_created;
DROP INDEX maintenance_plans_gp_updated;
DROP INDEX job_runs_updated;
DROP INDEX reminders_user_updated;

DELETE FROM deletions WHERE entity = 'demand_run';
CREATE TABLE deletions_old (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('maintenance_task', 'demand')),
    entity_id BIGINT NOT NULL,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    deleted_at TIMESTAMP NOT NULL
);
INSERT INTO deletions_old (id, entity, entity_id, gp_id, deleted_at)
    SELECT id, entity, entity_id, gp_id, deleted_at FROM deletions;
DROP TABLE deletions;
ALTER TABLE deletions_old RENAME TO deletions;
CREATE INDEX deletions_gp_entity_at ON deletions (gp_id, entity, deleted_at);

ALTER TABLE job_runs DROP COLUMN updated_at;
ALTER TABLE reminders DROP COLUMN updated_at;
