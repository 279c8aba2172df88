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
CREATE TRIGGER schemes_figures_insert AFTER INSERT ON schemes BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER schemes_figures_update AFTER UPDATE ON schemes BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER schemes_figures_delete AFTER DELETE ON schemes BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER maintenance_tasks_figures_insert AFTER INSERT ON maintenance_tasks BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER maintenance_tasks_figures_update AFTER UPDATE ON maintenance_tasks BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER maintenance_tasks_figures_delete AFTER DELETE ON maintenance_tasks BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER breakdowns_figures_insert AFTER INSERT ON breakdowns BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER breakdowns_figures_update AFTER UPDATE ON breakdowns BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER breakdowns_figures_delete AFTER DELETE ON breakdowns BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER demands_figures_insert AFTER INSERT ON demands BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER demands_figures_update AFTER UPDATE ON demands BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER demands_figures_delete AFTER DELETE ON demands BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER payments_figures_insert AFTER INSERT ON payments BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER payments_figures_update AFTER UPDATE ON payments BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER payments_figures_delete AFTER DELETE ON payments BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER cashbook_entries_figures_insert AFTER INSERT ON cashbook_entries BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER cashbook_entries_figures_update AFTER UPDATE ON cashbook_entries BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER cashbook_entries_figures_delete AFTER DELETE ON cashbook_entries BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER committees_figures_insert AFTER INSERT ON committees BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER committees_figures_update AFTER UPDATE ON committees BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER committees_figures_delete AFTER DELETE ON committees BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER committee_members_figures_insert AFTER INSERT ON committee_members BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER committee_members_figures_update AFTER UPDATE ON committee_members BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER committee_members_figures_delete AFTER DELETE ON committee_members BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER meetings_figures_insert AFTER INSERT ON meetings BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER meetings_figures_update AFTER UPDATE ON meetings BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER meetings_figures_delete AFTER DELETE ON meetings BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER action_items_figures_insert AFTER INSERT ON action_items BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER action_items_figures_update AFTER UPDATE ON action_items BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER action_items_figures_delete AFTER DELETE ON action_items BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
