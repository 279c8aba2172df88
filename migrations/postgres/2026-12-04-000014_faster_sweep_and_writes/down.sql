DROP TRIGGER schemes_figures_insert ON schemes;
DROP TRIGGER schemes_figures_update ON schemes;
DROP TRIGGER schemes_figures_delete ON schemes;
CREATE TRIGGER schemes_figures AFTER INSERT OR UPDATE OR DELETE ON schemes
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER maintenance_tasks_figures_insert ON maintenance_tasks;
DROP TRIGGER maintenance_tasks_figures_update ON maintenance_tasks;
DROP TRIGGER maintenance_tasks_figures_delete ON maintenance_tasks;
CREATE TRIGGER maintenance_tasks_figures AFTER INSERT OR UPDATE OR DELETE ON maintenance_tasks
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER breakdowns_figures_insert ON breakdowns;
DROP TRIGGER breakdowns_figures_update ON breakdowns;
DROP TRIGGER breakdowns_figures_delete ON breakdowns;
CREATE TRIGGER breakdowns_figures AFTER INSERT OR UPDATE OR DELETE ON breakdowns
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER demands_figures_insert ON demands;
DROP TRIGGER demands_figures_update ON demands;
DROP TRIGGER demands_figures_delete ON demands;
CREATE TRIGGER demands_figures AFTER INSERT OR UPDATE OR DELETE ON demands
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER payments_figures_insert ON payments;
DROP TRIGGER payments_figures_update ON payments;
DROP TRIGGER payments_figures_delete ON payments;
CREATE TRIGGER payments_figures AFTER INSERT OR UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER cashbook_entries_figures_insert ON cashbook_entries;
DROP TRIGGER cashbook_entries_figures_update ON cashbook_entries;
DROP TRIGGER cashbook_entries_figures_delete ON cashbook_entries;
CREATE TRIGGER cashbook_entries_figures AFTER INSERT OR UPDATE OR DELETE ON cashbook_entries
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER committees_figures_insert ON committees;
DROP TRIGGER committees_figures_update ON committees;
DROP TRIGGER committees_figures_delete ON committees;
CREATE TRIGGER committees_figures AFTER INSERT OR UPDATE OR DELETE ON committees
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER committee_members_figures_insert ON committee_members;
DROP TRIGGER committee_members_figures_update ON committee_members;
DROP TRIGGER committee_members_figures_delete ON committee_members;
CREATE TRIGGER committee_members_figures AFTER INSERT OR UPDATE OR DELETE ON committee_members
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER meetings_figures_insert ON meetings;
DROP TRIGGER meetings_figures_update ON meetings;
DROP TRIGGER meetings_figures_delete ON meetings;
CREATE TRIGGER meetings_figures AFTER INSERT OR UPDATE OR DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP TRIGGER action_items_figures_insert ON action_items;
DROP TRIGGER action_items_figures_update ON action_items;
DROP TRIGGER action_items_figures_delete ON action_items;
CREATE TRIGGER action_items_figures AFTER INSERT OR UPDATE OR DELETE ON action_items
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
DROP FUNCTION paani_figures_changed_rows();
DROP INDEX payments_household;
CREATE INDEX payments_household ON payments (household_id, paid_on);
DROP INDEX maintenance_logs_plan;
