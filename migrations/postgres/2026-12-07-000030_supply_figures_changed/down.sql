DROP TRIGGER supply_schedules_figures ON supply_schedules;
DROP TRIGGER supply_readings_figures ON supply_readings;
DROP TRIGGER supply_logs_figures ON supply_logs;
