DROP INDEX payments_household;
CREATE INDEX payments_household ON payments (household_id, paid_on);
DROP INDEX maintenance_logs_plan;
