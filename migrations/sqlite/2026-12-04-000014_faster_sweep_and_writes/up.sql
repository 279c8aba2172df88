-- The scheduler's water_out_of_range rule looks for a later reading of the same plan, for
-- each out-of-range reading and each open reminder: without this it read every log each time.
CREATE INDEX maintenance_logs_plan ON maintenance_logs (plan_id, done_on);

-- A household's payments within a GP's (every list is scoped by gp_id): with only
-- (household_id, paid_on) SQLite, which keeps no statistics, chose the GP's index and read all
-- the GP's payments to find one household's (5,400 rows on a district, twice per ledger page).
DROP INDEX payments_household;
CREATE INDEX payments_household ON payments (household_id, gp_id, paid_on);
