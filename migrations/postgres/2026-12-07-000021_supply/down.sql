DROP TABLE supply_logs;
DROP TABLE supply_schedules;
