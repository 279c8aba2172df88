//! The schedule's rows: which maintenance plan is which check at which point
//! (`water_check_plans`), keeping those plans in step with the configuration, the tasks a
//! test or inspection completes (`water_check_done`), and the overdue count.

use super::{CheckKind, Schedule};
use crate::auth::Scope;
use crate::db::schema::{
    maintenance_plans, maintenance_tasks, sampling_points, water_check_done, water_check_plans,
};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::maintenance::recurrence::Unit;
use crate::maintenance::templates::Library;
use crate::maintenance::{Task, TaskState};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// The check a plan is, and at which point (`None`: an ordinary maintenance plan).
pub fn check_of_plan(conn: &mut DbConn, plan_id: i64) -> AppResult<Option<(i64, CheckKind)>> {
    let row: Option<(i64, String)> = water_check_plans::table
        .filter(water_check_plans::plan_id.eq(plan_id))
        .select((water_check_plans::point_id, water_check_plans::check_kind))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(p, k)| CheckKind::parse(&k).map(|k| (p, k))))
}

/// The record (sample or inspection) that did a task, if one did.
pub fn record_of_task(
    conn: &mut DbConn,
    task_id: i64,
) -> AppResult<Option<(Option<i64>, Option<i64>)>> {
    Ok(water_check_done::table
        .filter(water_check_done::task_id.eq(task_id))
        .select((water_check_done::sample_id, water_check_done::inspection_id))
        .first(conn)
        .optional()?)
}

type PlanRow = (
    i64,
    i64,
    String,
    bool,
    String,
    i32,
    Option<String>,
    Option<String>,
);

/// Make, change or pause the check plans of a GP's points so they are what the schedule in
/// force for its state says: one plan per (active point, check due at its kind), none
/// active for inactive points or checks no longer scheduled. A plan whose timing changes
/// (or that is paused) loses its future open tasks, which the next generation re-plans.
/// Returns how many plans were made or changed.
pub fn sync_gp(
    conn: &mut DbConn,
    lib: &Library,
    cfg: &crate::config::WaterScheduleConfig,
    gp_id: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let state = crate::supply::model::state_lgd_of(conn, gp_id)?;
    let schedule = Schedule::for_state(cfg, state);
    let points: Vec<(i64, i64, String, Option<i64>, String, bool)> = sampling_points::table
        .filter(sampling_points::gp_id.eq(gp_id))
        .select((
            sampling_points::id,
            sampling_points::scheme_id,
            sampling_points::kind,
            sampling_points::asset_id,
            sampling_points::name,
            sampling_points::active,
        ))
        .load(conn)?;
    let existing: Vec<PlanRow> = water_check_plans::table
        .inner_join(maintenance_plans::table)
        .filter(water_check_plans::gp_id.eq(gp_id))
        .select((
            water_check_plans::plan_id,
            water_check_plans::point_id,
            water_check_plans::check_kind,
            maintenance_plans::active,
            maintenance_plans::every_unit,
            maintenance_plans::every_n,
            maintenance_plans::window_start,
            maintenance_plans::window_end,
        ))
        .load(conn)?;
    let mut changed = 0;
    let mut wanted_plans = vec![];
    for (point_id, scheme_id, kind, asset_id, name, active) in &points {
        if !active {
            continue;
        }
        for (check, r) in schedule.checks_for(kind) {
            let ws = r.window.map(|w| w.0.format());
            let we = r.window.map(|w| w.1.format());
            let found = existing
                .iter()
                .find(|e| e.1 == *point_id && e.2 == check.as_str());
            match found {
                Some((plan_id, _, _, active, unit, n, s, e)) => {
                    wanted_plans.push(*plan_id);
                    let timing =
                        unit.as_str() != r.unit.as_str() || *n != r.every_n || *s != ws || *e != we;
                    if timing || !active {
                        diesel::update(maintenance_plans::table.find(*plan_id))
                            .set((
                                maintenance_plans::every_unit.eq(r.unit.as_str()),
                                maintenance_plans::every_n.eq(r.every_n),
                                maintenance_plans::window_start.eq(&ws),
                                maintenance_plans::window_end.eq(&we),
                                maintenance_plans::start_on.eq(today),
                                maintenance_plans::active.eq(true),
                                maintenance_plans::updated_at.eq(now),
                            ))
                            .execute(conn)?;
                        drop_future_open(conn, *plan_id, today)?;
                        changed += 1;
                    }
                }
                None => {
                    let code = check.template_code();
                    let base = lib
                        .find(&code)
                        .map(|t| t.title.clone())
                        .unwrap_or_else(|| check.fallback_title().to_string());
                    // a point that is an asset gets the asset's name from the pages (in the
                    // reader's language); any other carries its own name
                    let title = match asset_id {
                        Some(_) => base,
                        None => format!("{base} — {name}"),
                    };
                    let role = lib.find(&code).and_then(|t| t.responsible_role.clone());
                    // a check done lately falls due an interval after it, not today
                    let start = match last_done(conn, gp_id, *point_id, check)? {
                        Some(last) if r.unit == Unit::Month => last
                            .checked_add_months(chrono::Months::new(r.every_n as u32))
                            .unwrap_or(today)
                            .max(today),
                        _ => today,
                    };
                    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(
                        maintenance_plans::table
                    )
                    .values((
                        maintenance_plans::gp_id.eq(gp_id),
                        maintenance_plans::scheme_id.eq(*scheme_id),
                        maintenance_plans::asset_id.eq(*asset_id),
                        maintenance_plans::template_code.eq(&code),
                        maintenance_plans::title.eq(&title),
                        maintenance_plans::checklist.eq("[]"),
                        maintenance_plans::readings.eq("[]"),
                        maintenance_plans::water_quality.eq(true),
                        maintenance_plans::every_unit.eq(r.unit.as_str()),
                        maintenance_plans::every_n.eq(r.every_n),
                        maintenance_plans::start_on.eq(start),
                        maintenance_plans::window_start.eq(&ws),
                        maintenance_plans::window_end.eq(&we),
                        maintenance_plans::responsible_role.eq(&role),
                        maintenance_plans::active.eq(true),
                        maintenance_plans::created_at.eq(now),
                        maintenance_plans::updated_at.eq(now),
                    ))
                    .returning(maintenance_plans::id)
                    .get_result(c))?;
                    diesel::insert_into(water_check_plans::table)
                        .values((
                            water_check_plans::plan_id.eq(id),
                            water_check_plans::gp_id.eq(gp_id),
                            water_check_plans::point_id.eq(*point_id),
                            water_check_plans::check_kind.eq(check.as_str()),
                        ))
                        .execute(conn)?;
                    changed += 1;
                }
            }
        }
    }
    for (plan_id, _, _, active, ..) in &existing {
        if *active && !wanted_plans.contains(plan_id) {
            diesel::update(maintenance_plans::table.find(*plan_id))
                .set((
                    maintenance_plans::active.eq(false),
                    maintenance_plans::updated_at.eq(now),
                ))
                .execute(conn)?;
            drop_future_open(conn, *plan_id, today)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The day a check was last done at a point by a record made outside the schedule (an FTK
/// test, a laboratory test, an inspection), if ever.
fn last_done(
    conn: &mut DbConn,
    gp_id: i64,
    point_id: i64,
    check: CheckKind,
) -> AppResult<Option<NaiveDate>> {
    use crate::db::schema::{sanitary_inspections as si, water_samples as ws};
    use diesel::dsl::max;
    let kind = match check {
        CheckKind::Sanitary => {
            return Ok(si::table
                .filter(si::gp_id.eq(gp_id))
                .filter(si::point_id.eq(point_id))
                .select(max(si::inspected_on))
                .first(conn)?)
        }
        CheckKind::Ftk => "ftk",
        CheckKind::LabChemical => "laboratory",
        CheckKind::BacteriologicalPre | CheckKind::BacteriologicalPost => return Ok(None),
    };
    Ok(ws::table
        .filter(ws::gp_id.eq(gp_id))
        .filter(ws::point_id.eq(point_id))
        .filter(ws::kind.eq(kind))
        .select(max(ws::tested_on))
        .first(conn)?)
}

fn drop_future_open(conn: &mut DbConn, plan_id: i64, today: NaiveDate) -> AppResult<()> {
    diesel::delete(
        maintenance_tasks::table
            .filter(maintenance_tasks::plan_id.eq(plan_id))
            .filter(maintenance_tasks::state.eq(TaskState::Open.as_str()))
            .filter(maintenance_tasks::due_on.ge(today)),
    )
    .execute(conn)?;
    Ok(())
}

/// The GPs that have sampling points.
pub fn gps_with_points(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<i64>> {
    Ok(sampling_points::table
        .filter(crate::in_scope!(
            scope,
            sampling_points::table,
            sampling_points::gp_id
        ))
        .select(sampling_points::gp_id)
        .distinct()
        .order(sampling_points::gp_id.asc())
        .load(conn)?)
}

/// What a recorded test or inspection did.
pub enum Record {
    Sample {
        id: i64,
        kind: crate::water_quality::TestKind,
        has_number: bool,
        has_bacteria: bool,
    },
    Inspection(i64),
}

/// A check is done a week early at most (the week "my tasks" shows ahead).
pub const EARLY_DAYS: i64 = 7;

/// Complete, for each check of the point that `record` does, the earliest open task due by
/// `on` plus [`EARLY_DAYS`], linking it to the record. Returns the tasks completed.
pub fn complete_by(
    conn: &mut DbConn,
    gp_id: i64,
    point_id: i64,
    on: NaiveDate,
    record: &Record,
    now: NaiveDateTime,
) -> AppResult<Vec<i64>> {
    let plans: Vec<(i64, String)> = water_check_plans::table
        .filter(water_check_plans::gp_id.eq(gp_id))
        .filter(water_check_plans::point_id.eq(point_id))
        .select((water_check_plans::plan_id, water_check_plans::check_kind))
        .load(conn)?;
    let mut done = vec![];
    for (plan_id, kind) in plans {
        let Some(check) = CheckKind::parse(&kind) else {
            continue;
        };
        let does = match record {
            Record::Sample {
                kind,
                has_number,
                has_bacteria,
                ..
            } => check.done_by_test(*kind, *has_number, *has_bacteria),
            Record::Inspection(_) => check == CheckKind::Sanitary,
        };
        if !does {
            continue;
        }
        let task: Option<i64> = maintenance_tasks::table
            .filter(maintenance_tasks::gp_id.eq(gp_id))
            .filter(maintenance_tasks::plan_id.eq(plan_id))
            .filter(maintenance_tasks::state.eq(TaskState::Open.as_str()))
            .filter(maintenance_tasks::due_on.le(on + Duration::days(EARLY_DAYS)))
            .order(maintenance_tasks::due_on.asc())
            .select(maintenance_tasks::id)
            .first(conn)
            .optional()?;
        let Some(task) = task else { continue };
        diesel::update(maintenance_tasks::table.find(task))
            .set((
                maintenance_tasks::state.eq(TaskState::Done.as_str()),
                maintenance_tasks::done_on.eq(on),
                maintenance_tasks::updated_at.eq(now),
            ))
            .execute(conn)?;
        let (sample, inspection) = match record {
            Record::Sample { id, .. } => (Some(*id), None),
            Record::Inspection(id) => (None, Some(*id)),
        };
        diesel::insert_into(water_check_done::table)
            .values((
                water_check_done::task_id.eq(task),
                water_check_done::gp_id.eq(gp_id),
                water_check_done::sample_id.eq(sample),
                water_check_done::inspection_id.eq(inspection),
            ))
            .execute(conn)?;
        done.push(task);
    }
    Ok(done)
}

/// Open check tasks in the scope whose deadline (with the grace days) has passed on `today`:
/// the overdue water tests and inspections, for the figures and dashboards.
pub fn overdue_tests(
    conn: &mut DbConn,
    scope: &Scope,
    today: NaiveDate,
    grace_days: i64,
) -> AppResult<i64> {
    Ok(maintenance_tasks::table
        .filter(crate::in_scope!(
            scope,
            maintenance_tasks::table,
            maintenance_tasks::gp_id
        ))
        .filter(maintenance_tasks::state.eq(TaskState::Open.as_str()))
        .filter(maintenance_tasks::deadline_on.lt(today - Duration::days(grace_days)))
        .filter(
            maintenance_tasks::plan_id
                .eq_any(water_check_plans::table.select(water_check_plans::plan_id)),
        )
        .count()
        .get_result(conn)?)
}

/// Per GP of `gp_ids`: check tasks whose deadline and grace days had passed on `as_of` and
/// that were not done by then (still open, or done later), as (GP, count) for GPs with any.
pub fn overdue_by_gp(
    conn: &mut DbConn,
    gp_ids: &[i64],
    as_of: NaiveDate,
    grace_days: i64,
) -> AppResult<Vec<(i64, i64)>> {
    Ok(maintenance_tasks::table
        .filter(maintenance_tasks::gp_id.eq_any(gp_ids))
        .filter(maintenance_tasks::deadline_on.lt(as_of - Duration::days(grace_days)))
        .filter(
            maintenance_tasks::state
                .eq(TaskState::Open.as_str())
                .or(maintenance_tasks::state
                    .eq(TaskState::Done.as_str())
                    .and(maintenance_tasks::done_on.gt(as_of))),
        )
        .filter(
            maintenance_tasks::plan_id
                .eq_any(water_check_plans::table.select(water_check_plans::plan_id)),
        )
        .group_by(maintenance_tasks::gp_id)
        .select((maintenance_tasks::gp_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// A check's open task with its point and kind.
#[derive(Debug, Clone)]
pub struct DueCheck {
    pub task: Task,
    pub point_id: i64,
    pub check: CheckKind,
}

/// Open check tasks in the scope due up to `until` (overdue ones too), of one point when
/// given, by due date, at most `limit`.
pub fn due_checks(
    conn: &mut DbConn,
    scope: &Scope,
    point: Option<i64>,
    until: NaiveDate,
    limit: i64,
) -> AppResult<Vec<DueCheck>> {
    let mut q = maintenance_tasks::table
        .filter(crate::in_scope!(
            scope,
            maintenance_tasks::table,
            maintenance_tasks::gp_id
        ))
        .filter(maintenance_tasks::state.eq(TaskState::Open.as_str()))
        .filter(maintenance_tasks::due_on.le(until))
        .into_boxed();
    q = match point {
        Some(p) => q.filter(
            maintenance_tasks::plan_id.eq_any(
                water_check_plans::table
                    .filter(water_check_plans::point_id.eq(p))
                    .select(water_check_plans::plan_id),
            ),
        ),
        None => q.filter(
            maintenance_tasks::plan_id
                .eq_any(water_check_plans::table.select(water_check_plans::plan_id)),
        ),
    };
    let tasks: Vec<Task> = q
        .order((maintenance_tasks::due_on.asc(), maintenance_tasks::id.asc()))
        .limit(limit)
        .select(Task::as_select())
        .load(conn)?;
    let ids: Vec<i64> = tasks.iter().map(|t| t.plan_id).collect();
    let kinds: std::collections::HashMap<i64, (i64, String)> = water_check_plans::table
        .filter(water_check_plans::plan_id.eq_any(ids))
        .select((
            water_check_plans::plan_id,
            water_check_plans::point_id,
            water_check_plans::check_kind,
        ))
        .load::<(i64, i64, String)>(conn)?
        .into_iter()
        .map(|(a, b, c)| (a, (b, c)))
        .collect();
    Ok(tasks
        .into_iter()
        .filter_map(|task| {
            let (point_id, k) = kinds.get(&task.plan_id)?;
            CheckKind::parse(k).map(|check| DueCheck {
                task,
                point_id: *point_id,
                check,
            })
        })
        .collect())
}
