DROP TABLE maintenance_logs;
DROP TABLE maintenance_tasks;
DROP TABLE maintenance_plans;
