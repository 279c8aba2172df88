-- Water-quality schedules and sanitary inspections (issue 25, items 6 and 7).
--
-- A scheduled check (an FTK test, a laboratory chemical test, a bacteriological test before
-- or after the monsoon, a sanitary inspection) at a sampling point is a maintenance plan of
-- the point's scheme, made and kept in step with config by the water-quality schedule;
-- `water_check_plans` says which plan is which check at which point. Its tasks are done by
-- recording the test or the inspection, never by logging work: `water_check_done` links the
-- task to that one record.
CREATE TABLE sanitary_inspections (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    point_id BIGINT NOT NULL REFERENCES sampling_points (id),
    -- the checklist's code in config/sanitary_inspection.toml
    checklist TEXT NOT NULL,
    inspected_on DATE NOT NULL,
    inspector TEXT NOT NULL,
    -- JSON object: question code -> true (yes, a risk) / false
    answers TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score >= 0),
    questions INTEGER NOT NULL CHECK (questions >= score),
    band TEXT NOT NULL CHECK (band IN ('low', 'intermediate', 'high', 'very_high')),
    checklist_version TEXT NOT NULL,
    notes TEXT,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX sanitary_inspections_point ON sanitary_inspections (gp_id, point_id, inspected_on);
CREATE INDEX sanitary_inspections_band ON sanitary_inspections (gp_id, band, inspected_on);

CREATE TABLE water_check_plans (
    plan_id BIGINT PRIMARY KEY REFERENCES maintenance_plans (id),
    gp_id BIGINT NOT NULL REFERENCES places (id),
    point_id BIGINT NOT NULL REFERENCES sampling_points (id),
    check_kind TEXT NOT NULL CHECK (check_kind IN ('ftk', 'lab_chemical', 'bacteriological_pre', 'bacteriological_post', 'sanitary')),
    UNIQUE (gp_id, point_id, check_kind)
);

CREATE TABLE water_check_done (
    task_id BIGINT PRIMARY KEY REFERENCES maintenance_tasks (id),
    gp_id BIGINT NOT NULL REFERENCES places (id),
    sample_id BIGINT REFERENCES water_samples (id),
    inspection_id BIGINT REFERENCES sanitary_inspections (id),
    CHECK ((sample_id IS NOT NULL) + (inspection_id IS NOT NULL) = 1)
);
CREATE INDEX water_check_done_sample ON water_check_done (gp_id, sample_id);
CREATE INDEX water_check_done_inspection ON water_check_done (gp_id, inspection_id);

-- The old FTK plans (the "ftk_test" template: pH and chlorine typed as readings of a task)
-- give way to the schedule's FTK tests at each sampling point: they are paused and their
-- open tasks cancelled; the work logged on them stays in the scheme's maintenance log.
UPDATE maintenance_tasks SET state = 'cancelled',
    skip_reason = 'ftk-plan-replaced-by-water-schedule'
    WHERE state = 'open' AND plan_id IN (SELECT id FROM maintenance_plans WHERE template_code = 'ftk_test');
UPDATE maintenance_plans SET active = FALSE WHERE template_code = 'ftk_test' AND active = TRUE;
