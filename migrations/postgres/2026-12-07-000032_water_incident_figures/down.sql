DROP TRIGGER water_incidents_figures ON water_incidents;
