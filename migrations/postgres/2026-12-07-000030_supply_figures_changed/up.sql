-- Supply writes change the kept dashboard figures (issue 26): a day's log, a device's
-- reading and a scheme's schedule bump the GP's `gp_figures.changes` through the shared
-- paani_figures_changed(), as the other areas' writes do, so the GP's kept figures are
-- recomputed at once, not after dashboards.max_age_seconds.
CREATE TRIGGER supply_logs_figures AFTER INSERT OR UPDATE OR DELETE ON supply_logs
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER supply_readings_figures AFTER INSERT OR UPDATE OR DELETE ON supply_readings
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER supply_schedules_figures AFTER INSERT OR UPDATE OR DELETE ON supply_schedules
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
