-- Sync for integrators (issue 28, item 6): the list APIs take updated_since and answer with
-- what changed since then, and the ids of what was deleted since then.
--
-- A record that is really deleted leaves a tombstone here, written in the transaction that
-- deletes it: which kind (entity), its id, its GP (so scope holds) and when.
CREATE TABLE deletions (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('maintenance_task', 'demand')),
    entity_id BIGINT NOT NULL,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    deleted_at TIMESTAMP NOT NULL
);
CREATE INDEX deletions_gp_entity_at ON deletions (gp_id, entity, deleted_at);

-- A demand changes after it is raised only by its late fee: updated_at says when (null: not
-- changed since created_at).
ALTER TABLE demands ADD COLUMN updated_at TIMESTAMP;

-- Pulling changes reads (gp_id, updated_at) ranges.
CREATE INDEX maintenance_tasks_gp_updated ON maintenance_tasks (gp_id, updated_at);
CREATE INDEX schemes_gp_updated ON schemes (gp_id, updated_at);
CREATE INDEX assets_gp_updated ON assets (gp_id, updated_at);
CREATE INDEX households_gp_updated ON households (gp_id, updated_at);
CREATE INDEX breakdowns_gp_updated ON breakdowns (gp_id, updated_at);
CREATE INDEX meetings_gp_updated ON meetings (gp_id, updated_at);
CREATE INDEX action_items_gp_updated ON action_items (gp_id, updated_at);
