DROP TABLE water_incident_events;
DROP TABLE water_incidents;
