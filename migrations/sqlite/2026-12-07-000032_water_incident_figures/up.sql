-- Water-quality figures count open incidents by age and the days to a passing re-test
-- (issue 25, item 9): every incident step writes its row, so a write to water_incidents
-- bumps the GP's dashboard change count like the other tables the figures are drawn from.
CREATE TRIGGER water_incidents_figures_insert AFTER INSERT ON water_incidents BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER water_incidents_figures_update AFTER UPDATE ON water_incidents BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER water_incidents_figures_delete AFTER DELETE ON water_incidents BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
