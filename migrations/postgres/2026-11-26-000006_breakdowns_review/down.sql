DROP INDEX work_photos_breakdown;
DELETE FROM work_photos WHERE breakdown_id IS NOT NULL;
ALTER TABLE work_photos DROP CONSTRAINT work_photos_owner_check;
ALTER TABLE work_photos DROP COLUMN breakdown_id;
ALTER TABLE work_photos ALTER COLUMN log_id SET NOT NULL;

DELETE FROM breakdown_events WHERE kind IN ('visit_requested', 'level_changed');
ALTER TABLE breakdown_events DROP CONSTRAINT breakdown_events_kind_check;
ALTER TABLE breakdown_events ADD CONSTRAINT breakdown_events_kind_check
    CHECK (kind IN ('reported', 'transition', 'comment', 'escalated'));

DROP TABLE complaint_attempts;
DROP INDEX breakdowns_facts;
DROP INDEX breakdowns_phone;
DROP INDEX breakdowns_asset;
ALTER TABLE breakdowns DROP COLUMN visit_on;
ALTER TABLE breakdowns DROP COLUMN village_id;
DROP TABLE breakdown_counters;
