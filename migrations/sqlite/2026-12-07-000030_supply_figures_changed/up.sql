-- Supply writes change the kept dashboard figures (issue 26): a day's log, a device's
-- reading and a scheme's schedule bump the GP's `gp_figures.changes`, as the other areas'
-- writes do, so the GP's kept figures are recomputed at once, not after
-- dashboards.max_age_seconds.
CREATE TRIGGER supply_logs_figures_insert AFTER INSERT ON supply_logs BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER supply_logs_figures_update AFTER UPDATE ON supply_logs BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER supply_logs_figures_delete AFTER DELETE ON supply_logs BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER supply_readings_figures_insert AFTER INSERT ON supply_readings BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER supply_readings_figures_update AFTER UPDATE ON supply_readings BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER supply_readings_figures_delete AFTER DELETE ON supply_readings BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER supply_schedules_figures_insert AFTER INSERT ON supply_schedules BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER supply_schedules_figures_update AFTER UPDATE ON supply_schedules BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER supply_schedules_figures_delete AFTER DELETE ON supply_schedules BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
