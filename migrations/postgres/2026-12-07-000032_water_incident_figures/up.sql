-- Water-quality figures count open incidents by age and the days to a passing re-test
-- (issue 25, item 9): every incident step writes its row, so a write to water_incidents
-- bumps the GP's dashboard change count like the other tables the figures are drawn from.
CREATE TRIGGER water_incidents_figures AFTER INSERT OR UPDATE OR DELETE ON water_incidents
    FOR EACH ROW EXECUTE FUNCTION paani_figures_changed();
