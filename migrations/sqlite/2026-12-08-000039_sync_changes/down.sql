DROP INDEX action_items_gp_updated;
DROP INDEX meetings_gp_updated;
DROP INDEX breakdowns_gp_updated;
DROP INDEX households_gp_updated;
DROP INDEX assets_gp_updated;
DROP INDEX schemes_gp_updated;
DROP INDEX maintenance_tasks_gp_updated;
ALTER TABLE demands DROP COLUMN updated_at;
DROP TABLE deletions;
