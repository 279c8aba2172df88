DROP TABLE breakdown_events;
DROP TABLE breakdowns;
