-- The scheduler's water_out_of_range rule looks for a later reading of the same plan, for
-- each out-of-range reading and each open reminder: without this it read every log each time.
CREATE INDEX maintenance_logs_plan ON maintenance_logs (plan_id, done_on);

-- A household's payments within a GP's (every list is scoped by gp_id): with only
-- (household_id, paid_on) SQLite, which keeps no statistics, chose the GP's index and read all
-- the GP's payments to find one household's (5,400 rows on a district, twice per ledger page).
DROP INDEX payments_household;
CREATE INDEX payments_household ON payments (household_id, gp_id, paid_on);

-- The figures' change counters once per statement instead of once per row: a row trigger
-- updated the GP's gp_figures row once for every row written, so raising a month's demands
-- for a GP of 10,000 households left 10,000 versions of that one row in the transaction
-- (each update finding the newest by walking the ones before it). Now each statement adds
-- the number of its rows to each GP it touched, from the statement's transition tables.
-- (PostgreSQL allows transition tables only on a trigger for one event: three per table.)
CREATE FUNCTION paani_figures_changed_rows() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE gp_figures f SET changes = f.changes + c.n
        FROM (SELECT gp_id, COUNT(*) AS n FROM new_rows GROUP BY gp_id) c
        WHERE f.gp_id = c.gp_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE gp_figures f SET changes = f.changes + c.n
        FROM (SELECT gp_id, COUNT(*) AS n FROM old_rows GROUP BY gp_id) c
        WHERE f.gp_id = c.gp_id;
    ELSE
        UPDATE gp_figures f SET changes = f.changes + c.n
        FROM (SELECT gp_id, COUNT(*) AS n
              FROM (SELECT gp_id FROM new_rows UNION ALL
                    SELECT o.gp_id FROM old_rows o
                    WHERE NOT EXISTS (SELECT 1 FROM new_rows w WHERE w.gp_id = o.gp_id)) u
              GROUP BY gp_id) c
        WHERE f.gp_id = c.gp_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER schemes_figures ON schemes;
CREATE TRIGGER schemes_figures_insert AFTER INSERT ON schemes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER schemes_figures_update AFTER UPDATE ON schemes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER schemes_figures_delete AFTER DELETE ON schemes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER maintenance_tasks_figures ON maintenance_tasks;
CREATE TRIGGER maintenance_tasks_figures_insert AFTER INSERT ON maintenance_tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER maintenance_tasks_figures_update AFTER UPDATE ON maintenance_tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER maintenance_tasks_figures_delete AFTER DELETE ON maintenance_tasks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER breakdowns_figures ON breakdowns;
CREATE TRIGGER breakdowns_figures_insert AFTER INSERT ON breakdowns REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER breakdowns_figures_update AFTER UPDATE ON breakdowns REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER breakdowns_figures_delete AFTER DELETE ON breakdowns REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER demands_figures ON demands;
CREATE TRIGGER demands_figures_insert AFTER INSERT ON demands REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER demands_figures_update AFTER UPDATE ON demands REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER demands_figures_delete AFTER DELETE ON demands REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER payments_figures ON payments;
CREATE TRIGGER payments_figures_insert AFTER INSERT ON payments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER payments_figures_update AFTER UPDATE ON payments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER payments_figures_delete AFTER DELETE ON payments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER cashbook_entries_figures ON cashbook_entries;
CREATE TRIGGER cashbook_entries_figures_insert AFTER INSERT ON cashbook_entries REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER cashbook_entries_figures_update AFTER UPDATE ON cashbook_entries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER cashbook_entries_figures_delete AFTER DELETE ON cashbook_entries REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER committees_figures ON committees;
CREATE TRIGGER committees_figures_insert AFTER INSERT ON committees REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER committees_figures_update AFTER UPDATE ON committees REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER committees_figures_delete AFTER DELETE ON committees REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER committee_members_figures ON committee_members;
CREATE TRIGGER committee_members_figures_insert AFTER INSERT ON committee_members REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER committee_members_figures_update AFTER UPDATE ON committee_members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER committee_members_figures_delete AFTER DELETE ON committee_members REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER meetings_figures ON meetings;
CREATE TRIGGER meetings_figures_insert AFTER INSERT ON meetings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER meetings_figures_update AFTER UPDATE ON meetings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER meetings_figures_delete AFTER DELETE ON meetings REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
DROP TRIGGER action_items_figures ON action_items;
CREATE TRIGGER action_items_figures_insert AFTER INSERT ON action_items REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER action_items_figures_update AFTER UPDATE ON action_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
CREATE TRIGGER action_items_figures_delete AFTER DELETE ON action_items REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paani_figures_changed_rows();
