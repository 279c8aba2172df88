DROP TABLE demands;
DROP TABLE demand_runs;
DROP TABLE tariff_rates;
DROP TABLE tariff_plans;
DROP TABLE households;
