-- Dashboards: each GP's figures, computed once and kept until something in the GP changes.
-- Every write to a table the figures are drawn from bumps the GP's `changes` (triggers, so no
-- write path can forget); figures are fresh while `computed_changes` equals it and they are
-- younger than dashboards.max_age_seconds. A row missing means never computed.
CREATE TABLE gp_figures (
    gp_id BIGINT PRIMARY KEY REFERENCES places (id),
    changes BIGINT NOT NULL DEFAULT 0,
    computed_changes BIGINT NOT NULL DEFAULT -1,
    computed_at TIMESTAMP,
    -- JSON: dashboards::GpFigures
    figures TEXT
);

CREATE FUNCTION paani_figures_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.gp_id IS DISTINCT FROM NEW.gp_id) THEN
        UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER schemes_figures AFTER INSERT OR UPDATE OR DELETE ON schemes
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER maintenance_tasks_figures AFTER INSERT OR UPDATE OR DELETE ON maintenance_tasks
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER breakdowns_figures AFTER INSERT OR UPDATE OR DELETE ON breakdowns
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER demands_figures AFTER INSERT OR UPDATE OR DELETE ON demands
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER payments_figures AFTER INSERT OR UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER cashbook_entries_figures AFTER INSERT OR UPDATE OR DELETE ON cashbook_entries
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER committees_figures AFTER INSERT OR UPDATE OR DELETE ON committees
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER committee_members_figures AFTER INSERT OR UPDATE OR DELETE ON committee_members
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER meetings_figures AFTER INSERT OR UPDATE OR DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
CREATE TRIGGER action_items_figures AFTER INSERT OR UPDATE OR DELETE ON action_items
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
