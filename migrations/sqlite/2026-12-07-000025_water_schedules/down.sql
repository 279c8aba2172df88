-- The schedule's tasks and plans go; the FTK plans it replaced come back with their tasks.
DROP TABLE water_check_done;
DELETE FROM maintenance_tasks WHERE plan_id IN (SELECT plan_id FROM water_check_plans);
CREATE TABLE water_check_gone (plan_id BIGINT PRIMARY KEY);
INSERT INTO water_check_gone (plan_id) SELECT plan_id FROM water_check_plans;
DROP TABLE water_check_plans;
DELETE FROM maintenance_plans WHERE id IN (SELECT plan_id FROM water_check_gone);
DROP TABLE water_check_gone;
DROP TABLE sanitary_inspections;
UPDATE maintenance_plans SET active = TRUE WHERE template_code = 'ftk_test' AND id IN
    (SELECT plan_id FROM maintenance_tasks WHERE skip_reason = 'ftk-plan-replaced-by-water-schedule');
UPDATE maintenance_tasks SET state = 'open', skip_reason = NULL
    WHERE skip_reason = 'ftk-plan-replaced-by-water-schedule';
