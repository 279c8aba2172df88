//! Maintenance rows and queries: plans, their tasks (and generating them), the log of work
//! done, compliance counts, and the tables the pages show.

use super::recurrence::{MonthDay, Rule, Unit};
use super::templates::Library;
use super::{Compliance, ComplianceTask, NewLog, PlanValues, ReadingSpec, TaskState};
use crate::auth::{Actor, Scope};
use crate::db::schema::{maintenance_logs, maintenance_plans, maintenance_tasks, work_photos};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::schemes::assets::Asset;
use crate::schemes::Scheme;
use crate::web::forms;
use crate::web::pagination::PageRequest;
use crate::web::photos::Photo;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = maintenance_plans, treat_none_as_default_value = false)]
pub struct Plan {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    pub template_code: Option<String>,
    pub title: String,
    pub instructions: Option<String>,
    /// JSON array of checklist items.
    pub checklist: String,
    /// JSON array of readings: {name, unit, min, max}.
    pub readings: String,
    pub water_quality: bool,
    pub every_unit: String,
    pub every_n: i32,
    pub start_on: NaiveDate,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    pub responsible_user_id: Option<i64>,
    pub responsible_role: Option<String>,
    pub estimated_cost_paise: Option<i64>,
    pub active: bool,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Plan {
    pub fn checklist(&self) -> Vec<String> {
        serde_json::from_str(&self.checklist).unwrap_or_default()
    }

    pub fn reading_specs(&self) -> Vec<ReadingSpec> {
        serde_json::from_str(&self.readings).unwrap_or_default()
    }

    pub fn rule(&self) -> Option<Rule> {
        let unit = Unit::parse(&self.every_unit)?;
        let window = match (self.window_start.as_deref(), self.window_end.as_deref()) {
            (Some(a), Some(b)) => Some((MonthDay::parse(a)?, MonthDay::parse(b)?)),
            _ => None,
        };
        Some(Rule {
            unit,
            every: self.every_n.max(1) as u32,
            start: self.start_on,
            window,
        })
    }
}

pub fn create_plan(
    conn: &mut DbConn,
    scheme: &Scheme,
    v: &PlanValues,
    template: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<Plan> {
    let values = (
        maintenance_plans::gp_id.eq(scheme.gp_id),
        maintenance_plans::scheme_id.eq(scheme.id),
        maintenance_plans::asset_id.eq(v.asset.as_ref().map(|a| a.id)),
        maintenance_plans::template_code.eq(template),
        maintenance_plans::title.eq(&v.title),
        maintenance_plans::instructions.eq(&v.instructions),
        maintenance_plans::checklist
            .eq(serde_json::to_string(&v.checklist).unwrap_or_else(|_| "[]".into())),
        maintenance_plans::readings
            .eq(serde_json::to_string(&v.readings).unwrap_or_else(|_| "[]".into())),
        maintenance_plans::water_quality.eq(v.water_quality),
        maintenance_plans::every_unit.eq(v.unit.as_str()),
        maintenance_plans::every_n.eq(v.every_n),
        maintenance_plans::start_on.eq(v.start_on),
        maintenance_plans::window_start.eq(v.window.map(|w| w.0.format())),
        maintenance_plans::window_end.eq(v.window.map(|w| w.1.format())),
        maintenance_plans::responsible_user_id.eq(v.responsible_user_id),
        maintenance_plans::responsible_role.eq(&v.responsible_role),
        maintenance_plans::estimated_cost_paise.eq(v.estimated_cost_paise),
        maintenance_plans::active.eq(v.active),
        maintenance_plans::created_at.eq(now),
        maintenance_plans::updated_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(maintenance_plans::table)
        .values(values)
        .returning(maintenance_plans::id)
        .get_result(c))?;
    find_plan(conn, id)
}

/// Update a plan. When its timing changes (or it is paused), future open tasks are removed so
/// the next generation re-plans them; tasks already done, skipped or past stay.
pub fn update_plan(
    conn: &mut DbConn,
    p: &Plan,
    v: &PlanValues,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Plan> {
    let timing_changed = p.every_unit != v.unit.as_str()
        || p.every_n != v.every_n
        || p.start_on != v.start_on
        || p.window_start != v.window.map(|w| w.0.format())
        || p.window_end != v.window.map(|w| w.1.format())
        || (p.active && !v.active);
    diesel::update(maintenance_plans::table.find(p.id))
        .set((
            maintenance_plans::asset_id.eq(v.asset.as_ref().map(|a| a.id)),
            maintenance_plans::title.eq(&v.title),
            maintenance_plans::instructions.eq(&v.instructions),
            maintenance_plans::checklist
                .eq(serde_json::to_string(&v.checklist).unwrap_or_else(|_| "[]".into())),
            maintenance_plans::readings
                .eq(serde_json::to_string(&v.readings).unwrap_or_else(|_| "[]".into())),
            maintenance_plans::water_quality.eq(v.water_quality),
            maintenance_plans::every_unit.eq(v.unit.as_str()),
            maintenance_plans::every_n.eq(v.every_n),
            maintenance_plans::start_on.eq(v.start_on),
            maintenance_plans::window_start.eq(v.window.map(|w| w.0.format())),
            maintenance_plans::window_end.eq(v.window.map(|w| w.1.format())),
            maintenance_plans::responsible_user_id.eq(v.responsible_user_id),
            maintenance_plans::responsible_role.eq(&v.responsible_role),
            maintenance_plans::estimated_cost_paise.eq(v.estimated_cost_paise),
            maintenance_plans::active.eq(v.active),
            maintenance_plans::updated_at.eq(now),
        ))
        .execute(conn)?;
    if timing_changed {
        let future = || {
            maintenance_tasks::table
                .filter(maintenance_tasks::plan_id.eq(p.id))
                .filter(maintenance_tasks::state.eq(TaskState::Open.as_str()))
                .filter(maintenance_tasks::due_on.ge(today))
        };
        let gone: Vec<(i64, i64)> = future()
            .select((maintenance_tasks::id, maintenance_tasks::gp_id))
            .load(conn)?;
        crate::audit::deletions::record(
            conn,
            crate::audit::deletions::Deleted::MaintenanceTask,
            &gone,
            now,
        )?;
        diesel::delete(future()).execute(conn)?;
    }
    find_plan(conn, p.id)
}

pub fn find_plan(conn: &mut DbConn, id: i64) -> AppResult<Plan> {
    maintenance_plans::table
        .find(id)
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_plan_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Plan> {
    maintenance_plans::table
        .filter(maintenance_plans::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            maintenance_plans::table,
            maintenance_plans::gp_id
        ))
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn plans_of_scheme(conn: &mut DbConn, scheme_id: i64) -> AppResult<Vec<Plan>> {
    Ok(maintenance_plans::table
        .filter(maintenance_plans::scheme_id.eq(scheme_id))
        .order((
            maintenance_plans::active.desc(),
            maintenance_plans::title.asc(),
        ))
        .select(Plan::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = maintenance_tasks, treat_none_as_default_value = false)]
pub struct Task {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    pub plan_id: i64,
    pub due_on: NaiveDate,
    pub deadline_on: NaiveDate,
    /// open, done, skipped or cancelled (open tasks show as upcoming, due or overdue).
    pub state: String,
    pub done_on: Option<NaiveDate>,
    pub log_id: Option<i64>,
    pub skip_reason: Option<String>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Task {
    /// The stored state (`None` only for a value the database's CHECK would refuse).
    pub fn state(&self) -> Option<TaskState> {
        TaskState::parse(&self.state)
    }
}

/// Create the open tasks of every active plan (in `only_gp`, or everywhere) that fall due
/// from `from` to `until`, in batches; existing (plan, due date) pairs are left alone, so
/// running it again never duplicates. Returns (plans read, tasks inserted).
pub fn generate(
    conn: &mut DbConn,
    only_gp: Option<i64>,
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
    progress: impl FnMut(usize),
) -> AppResult<(usize, usize)> {
    generate_plans(conn, only_gp, None, from, until, now, progress)
}

/// [`generate`], for the plans changed (made or edited) since a time only, when given.
pub fn generate_plans(
    conn: &mut DbConn,
    only_gp: Option<i64>,
    changed_since: Option<NaiveDateTime>,
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
    mut progress: impl FnMut(usize),
) -> AppResult<(usize, usize)> {
    type Row = (
        i64,
        i64,
        i64,
        Option<i64>,
        String,
        i32,
        NaiveDate,
        Option<String>,
        Option<String>,
    );
    let mut after = 0i64;
    let (mut plans_read, mut inserted) = (0usize, 0usize);
    loop {
        let mut q = maintenance_plans::table
            .filter(maintenance_plans::active.eq(true))
            .filter(maintenance_plans::id.gt(after))
            .into_boxed();
        if let Some(gp) = only_gp {
            q = q.filter(maintenance_plans::gp_id.eq(gp));
        }
        if let Some(t) = changed_since {
            q = q.filter(maintenance_plans::updated_at.ge(t));
        }
        let batch: Vec<Row> = q
            .order(maintenance_plans::id.asc())
            .limit(20_000)
            .select((
                maintenance_plans::id,
                maintenance_plans::gp_id,
                maintenance_plans::scheme_id,
                maintenance_plans::asset_id,
                maintenance_plans::every_unit,
                maintenance_plans::every_n,
                maintenance_plans::start_on,
                maintenance_plans::window_start,
                maintenance_plans::window_end,
            ))
            .load(conn)?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        plans_read += batch.len();
        let mut rows = vec![];
        for (id, gp, scheme, asset, unit, n, start, ws, we) in &batch {
            let Some(unit) = Unit::parse(unit) else {
                continue;
            };
            let window = match (
                ws.as_deref().and_then(MonthDay::parse),
                we.as_deref().and_then(MonthDay::parse),
            ) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            let rule = Rule {
                unit,
                every: (*n).max(1) as u32,
                start: *start,
                window,
            };
            for o in rule.between(from, until) {
                rows.push((
                    maintenance_tasks::gp_id.eq(*gp),
                    maintenance_tasks::scheme_id.eq(*scheme),
                    maintenance_tasks::asset_id.eq(*asset),
                    maintenance_tasks::plan_id.eq(*id),
                    maintenance_tasks::due_on.eq(o.due),
                    maintenance_tasks::deadline_on.eq(o.deadline),
                    maintenance_tasks::state.eq(TaskState::Open.as_str()),
                    maintenance_tasks::created_at.eq(now),
                    maintenance_tasks::updated_at.eq(now),
                ));
            }
        }
        for chunk in rows.chunks(crate::db::chunk_rows(9)) {
            inserted +=
                crate::on_backend!(conn, |c| diesel::insert_into(maintenance_tasks::table)
                    .values(chunk)
                    .on_conflict((maintenance_tasks::plan_id, maintenance_tasks::due_on))
                    .do_nothing()
                    .execute(c))?;
        }
        progress(plans_read);
    }
    Ok((plans_read, inserted))
}

pub fn find_task_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Task> {
    maintenance_tasks::table
        .filter(maintenance_tasks::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            maintenance_tasks::table,
            maintenance_tasks::gp_id
        ))
        .select(Task::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Filters for task lists.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// open (default), done, skipped, cancelled or all.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub scheme: Option<i64>,
    /// Due on or after (YYYY-MM-DD).
    #[serde(default)]
    pub from: Option<String>,
    /// Due on or before (YYYY-MM-DD).
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

pub fn list_tasks(
    conn: &mut DbConn,
    scope: &Scope,
    f: &TaskFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<(Task, Plan)>, i64)> {
    scope.check_scheme(conn, f.scheme)?;
    let from = f.from.as_deref().and_then(forms::parse_date);
    let until = f.until.as_deref().and_then(forms::parse_date);
    let build = || {
        let mut q = maintenance_tasks::table
            .into_boxed()
            .filter(crate::in_scope!(
                scope,
                maintenance_tasks::table,
                maintenance_tasks::gp_id
            ));
        let every = if f.changes.is_some() {
            "all"
        } else {
            TaskState::Open.as_str()
        };
        match f.state.as_deref().unwrap_or(every) {
            "all" => {}
            s => q = q.filter(maintenance_tasks::state.eq(s.to_string())),
        }
        if let Some(s) = f.scheme {
            q = q.filter(maintenance_tasks::scheme_id.eq(s));
        }
        if let Some(d) = from {
            q = q.filter(maintenance_tasks::due_on.ge(d));
        }
        if let Some(d) = until {
            q = q.filter(maintenance_tasks::due_on.le(d));
        }
        crate::changed_since!(
            q,
            f.changes,
            maintenance_tasks::updated_at,
            maintenance_tasks::id
        )
    };
    let total: i64 = build().count().get_result(conn)?;
    let tasks: Vec<Task> = crate::sync_order!(
        build(),
        f.changes,
        maintenance_tasks::updated_at,
        maintenance_tasks::id,
        (maintenance_tasks::due_on.asc(), maintenance_tasks::id.asc())
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Task::as_select())
    .load(conn)?;
    let plan_ids: Vec<i64> = tasks.iter().map(|t| t.plan_id).collect();
    let plans: Vec<Plan> = maintenance_plans::table
        .filter(maintenance_plans::id.eq_any(plan_ids))
        .select(Plan::as_select())
        .load(conn)?;
    let rows = tasks
        .into_iter()
        .filter_map(|t| {
            let p = plans.iter().find(|p| p.id == t.plan_id)?.clone();
            Some((t, p))
        })
        .collect();
    Ok((rows, total))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = maintenance_logs, treat_none_as_default_value = false)]
pub struct Log {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub task_id: Option<i64>,
    pub title: String,
    pub done_on: NaiveDate,
    /// JSON array of names.
    pub done_by: String,
    /// JSON array of {item, done}.
    pub checklist: String,
    /// JSON array of readings with values.
    pub readings: String,
    pub out_of_range: bool,
    pub water_quality: bool,
    pub notes: Option<String>,
    pub cost_paise: Option<i64>,
    /// JSON array of {part, qty}.
    pub parts: String,
    pub recorded_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// Store the log row for work done on `task`.
/// What a log row is about: a task (from a plan), or an asset (ad-hoc work).
pub enum WorkOn<'a> {
    Task(&'a Task),
    Asset(&'a Asset),
    /// Work done for a task someone else had completed meanwhile, kept beside that task's
    /// own (on its plan and asset, the task left as it is).
    Beside(&'a Task),
}

/// Store the log row for work done.
pub fn insert_log(
    conn: &mut DbConn,
    on: WorkOn<'_>,
    l: &NewLog,
    actor: &Actor,
    now: NaiveDateTime,
) -> AppResult<Log> {
    let (scheme_id, gp_id, asset_id, plan_id, task_id) = match on {
        WorkOn::Task(t) => (
            t.scheme_id,
            t.gp_id,
            t.asset_id,
            Some(t.plan_id),
            Some(t.id),
        ),
        WorkOn::Asset(a) => (a.scheme_id, a.gp_id, Some(a.id), None, None),
        WorkOn::Beside(t) => (t.scheme_id, t.gp_id, t.asset_id, Some(t.plan_id), None),
    };
    let values = (
        maintenance_logs::gp_id.eq(gp_id),
        maintenance_logs::scheme_id.eq(scheme_id),
        maintenance_logs::asset_id.eq(asset_id),
        maintenance_logs::plan_id.eq(plan_id),
        maintenance_logs::task_id.eq(task_id),
        maintenance_logs::title.eq(&l.title),
        maintenance_logs::done_on.eq(l.done_on),
        maintenance_logs::done_by.eq(j(&l.done_by)),
        maintenance_logs::checklist.eq(j(&l.checklist)),
        maintenance_logs::readings.eq(j(&l.readings)),
        maintenance_logs::out_of_range.eq(l.out_of_range),
        maintenance_logs::water_quality.eq(l.water_quality),
        maintenance_logs::notes.eq(&l.notes),
        maintenance_logs::cost_paise.eq(l.cost_paise),
        maintenance_logs::parts.eq(j(&l.parts)),
        maintenance_logs::recorded_by.eq(actor.user.id),
        maintenance_logs::created_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(maintenance_logs::table)
        .values(values)
        .returning(maintenance_logs::id)
        .get_result(c))?;
    Ok(maintenance_logs::table
        .find(id)
        .select(Log::as_select())
        .first(conn)?)
}

/// One log row.
pub fn find_log(conn: &mut DbConn, id: i64) -> AppResult<Log> {
    maintenance_logs::table
        .find(id)
        .select(Log::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A list as JSON text.
fn j<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub fn compliance(
    conn: &mut DbConn,
    scope: &Scope,
    scheme: Option<i64>,
    from: NaiveDate,
    until: NaiveDate,
    grace_days: i64,
) -> AppResult<Compliance> {
    let rows = compliance_tasks(conn, scope, scheme, from, until)?;
    Ok(Compliance::of(&rows, from, until, grace_days))
}

/// The tasks (not cancelled) whose deadline fell in [from, until], for [`Compliance::of`]:
/// read once, they give the compliance of any stretch inside (the GP dashboard's months).
pub fn compliance_tasks(
    conn: &mut DbConn,
    scope: &Scope,
    scheme: Option<i64>,
    from: NaiveDate,
    until: NaiveDate,
) -> AppResult<Vec<ComplianceTask>> {
    let mut q = maintenance_tasks::table
        .into_boxed()
        .filter(crate::in_scope!(
            scope,
            maintenance_tasks::table,
            maintenance_tasks::gp_id
        ))
        .filter(maintenance_tasks::deadline_on.ge(from))
        .filter(maintenance_tasks::deadline_on.le(until))
        .filter(maintenance_tasks::state.ne(TaskState::Cancelled.as_str()));
    if let Some(s) = scheme {
        q = q.filter(maintenance_tasks::scheme_id.eq(s));
    }
    Ok(q.select((
        maintenance_tasks::deadline_on,
        maintenance_tasks::state,
        maintenance_tasks::done_on,
    ))
    .load(conn)?)
}

/// Open tasks already due on `today`, of a GP or of a scheme: (due, overdue), overdue once past
/// the deadline and its grace days (as [`super::shown_state`] shows them). The dashboards and
/// the scheme page count them so.
pub fn open_due_counts(
    conn: &mut DbConn,
    gp: Option<i64>,
    scheme: Option<i64>,
    today: NaiveDate,
    grace_days: i64,
) -> AppResult<(i64, i64)> {
    let closed = [TaskState::Done, TaskState::Skipped, TaskState::Cancelled].map(|s| s.as_str());
    let mut q = maintenance_tasks::table
        .into_boxed()
        .filter(maintenance_tasks::state.ne_all(closed))
        .filter(maintenance_tasks::due_on.le(today));
    if let Some(g) = gp {
        q = q.filter(maintenance_tasks::gp_id.eq(g));
    }
    if let Some(s) = scheme {
        q = q.filter(maintenance_tasks::scheme_id.eq(s));
    }
    let open: Vec<NaiveDate> = q.select(maintenance_tasks::deadline_on).load(conn)?;
    let overdue = open
        .iter()
        .filter(|d| today > **d + chrono::Duration::days(grace_days))
        .count() as i64;
    Ok((open.len() as i64 - overdue, overdue))
}

/// Which work to list from a scheme's register.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogFilter {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub asset: Option<i64>,
    pub plan: Option<i64>,
}

pub fn logs_of_scheme(
    conn: &mut DbConn,
    scheme_id: i64,
    f: LogFilter,
    limit: i64,
) -> AppResult<Vec<Log>> {
    // the scheme's GP too, so that the index (gp, scheme, day) serves
    let gp = crate::db::schema::schemes::table
        .find(scheme_id)
        .select(crate::db::schema::schemes::gp_id)
        .single_value();
    let mut q = maintenance_logs::table
        .filter(maintenance_logs::gp_id.nullable().eq(gp))
        .filter(maintenance_logs::scheme_id.eq(scheme_id))
        .into_boxed();
    if let Some(d) = f.from {
        q = q.filter(maintenance_logs::done_on.ge(d));
    }
    if let Some(d) = f.until {
        q = q.filter(maintenance_logs::done_on.le(d));
    }
    if let Some(a) = f.asset {
        q = q.filter(maintenance_logs::asset_id.eq(a));
    }
    if let Some(p) = f.plan {
        q = q.filter(maintenance_logs::plan_id.eq(p));
    }
    Ok(q.order((
        maintenance_logs::done_on.desc(),
        maintenance_logs::id.desc(),
    ))
    .limit(limit)
    .select(Log::as_select())
    .load(conn)?)
}

/// The latest out-of-range water-quality reading of a scheme since `since`.
pub fn latest_quality_alert(
    conn: &mut DbConn,
    scheme_id: i64,
    since: NaiveDate,
) -> AppResult<Option<Log>> {
    Ok(maintenance_logs::table
        .filter(maintenance_logs::scheme_id.eq(scheme_id))
        .filter(maintenance_logs::water_quality.eq(true))
        .filter(maintenance_logs::out_of_range.eq(true))
        .filter(maintenance_logs::done_on.ge(since))
        .order((
            maintenance_logs::done_on.desc(),
            maintenance_logs::id.desc(),
        ))
        .select(Log::as_select())
        .first(conn)
        .optional()?)
}

/// The usual plans for an asset's kind that it does not have yet (for the asset page).
pub fn suggested_plans(
    c: &mut DbConn,
    library: &Library,
    a: &Asset,
    lang: crate::web::i18n::Lang,
) -> AppResult<Vec<String>> {
    use crate::db::schema::maintenance_plans as mp;
    use diesel::prelude::*;
    let have: Vec<Option<String>> = mp::table
        .filter(mp::asset_id.eq(a.id))
        .select(mp::template_code)
        .load(c)?;
    Ok(library
        .for_kind(&a.kind)
        .into_iter()
        .filter(|t| !have.iter().flatten().any(|c| c == &t.code))
        .map(|t| t.title(lang).to_string())
        .collect())
}

/// Maintenance done on time, per GP under a place (or per scheme of a GP), for the last
/// three months and the last twelve.
/// One line of the compliance table: a scheme of a GP, or a GP under a wider place.
pub struct ComplianceRow {
    /// scheme or gp.
    pub level: &'static str,
    /// The scheme's code or the GP's LGD code.
    pub code: String,
    pub name: String,
    pub href: String,
    /// The scheme's id (scheme rows).
    pub scheme_id: Option<i64>,
    pub q3: Compliance,
    pub q12: Compliance,
}

/// The place (in scope, else not found) and its compliance table: per scheme for a GP, per GP
/// for a wider place (the first 100 schemes or 500 GPs), over 3 and 12 months.
pub fn compliance_rows(
    c: &mut crate::db::DbConn,
    scope: &crate::auth::Scope,
    id: i64,
    today: NaiveDate,
    grace: i64,
    lang: crate::web::i18n::Lang,
) -> AppResult<(crate::places::Place, Vec<ComplianceRow>)> {
    let place = crate::places::model::find_in_scope(c, scope, id)?;
    let q3 = today
        .checked_sub_months(chrono::Months::new(3))
        .unwrap_or(today);
    let q12 = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today);
    let mut rows = vec![];
    if place.level() == crate::places::Level::Gp {
        let gp_scope = crate::auth::Scope::Place {
            level: crate::places::Level::Gp,
            id: place.id,
        };
        let f = crate::schemes::SchemeFilter {
            place: Some(place.id),
            ..Default::default()
        };
        let (schemes, _) = crate::schemes::list(c, scope, &f, PageRequest::new(Some(1), 100))?;
        for s in schemes {
            rows.push(ComplianceRow {
                level: "scheme",
                code: s.code.clone(),
                name: s.display_name(lang).to_string(),
                href: format!("/schemes/{}/maintenance", s.id),
                scheme_id: Some(s.id),
                q3: compliance(c, &gp_scope, Some(s.id), q3, today, grace)?,
                q12: compliance(c, &gp_scope, Some(s.id), q12, today, grace)?,
            });
        }
    } else {
        let f = crate::places::PlaceFilter {
            level: Some("gp".into()),
            ..Default::default()
        };
        let under = crate::auth::Scope::Place {
            level: place.level(),
            id: place.id,
        };
        let (gps, _) = crate::places::model::list(c, &under, &f, PageRequest::new(Some(1), 500))?;
        for g in gps {
            let gs = crate::auth::Scope::Place {
                level: crate::places::Level::Gp,
                id: g.id,
            };
            rows.push(ComplianceRow {
                level: "gp",
                code: g.lgd_code.to_string(),
                name: g.display_name(lang).to_string(),
                href: format!("/places/{}/maintenance", g.id),
                scheme_id: None,
                q3: compliance(c, &gs, None, q3, today, grace)?,
                q12: compliance(c, &gs, None, q12, today, grace)?,
            });
        }
    }
    Ok((place, rows))
}

/// A photo (of work, a breakdown or a meeting) whose GP is inside `scope`.
pub fn photo_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Photo> {
    work_photos::table
        .filter(work_photos::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            work_photos::table,
            work_photos::gp_id
        ))
        .select(Photo::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Plans inside `scope` (of one scheme, when given), by id (pulling changes: by change), a
/// page of them, and how many match. Plans are never deleted (deactivated instead).
pub fn plans_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    scheme: Option<i64>,
    changes: Option<crate::web::sync::Changes>,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Plan>, i64)> {
    let build = || {
        let mut q = maintenance_plans::table
            .into_boxed()
            .filter(crate::in_scope!(
                scope,
                maintenance_plans::table,
                maintenance_plans::gp_id
            ));
        if let Some(s) = scheme {
            q = q.filter(maintenance_plans::scheme_id.eq(s));
        }
        crate::changed_since!(
            q,
            changes,
            maintenance_plans::updated_at,
            maintenance_plans::id
        )
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        maintenance_plans::updated_at,
        maintenance_plans::id,
        maintenance_plans::id.asc()
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Plan::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// The work logged inside `scope` (of one scheme, when given), newest first (pulling
/// changes: by `created_at`), a page of it, and how many match. A log entry is never changed
/// nor deleted once written (nothing updates `maintenance_logs`), so when it was recorded is
/// its change time.
pub fn logs_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    scheme: Option<i64>,
    changes: Option<crate::web::sync::Changes>,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Log>, i64)> {
    let build = || {
        let mut q = maintenance_logs::table
            .into_boxed()
            .filter(crate::in_scope!(
                scope,
                maintenance_logs::table,
                maintenance_logs::gp_id
            ));
        if let Some(s) = scheme {
            q = q.filter(maintenance_logs::scheme_id.eq(s));
        }
        crate::changed_since!(
            q,
            changes,
            maintenance_logs::created_at,
            maintenance_logs::id
        )
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        maintenance_logs::created_at,
        maintenance_logs::id,
        (
            maintenance_logs::done_on.desc(),
            maintenance_logs::id.desc()
        )
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Log::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Mark a task done by the work logged.
pub fn mark_done(
    conn: &mut DbConn,
    task_id: i64,
    done_on: NaiveDate,
    log_id: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(maintenance_tasks::table.find(task_id))
        .set((
            maintenance_tasks::state.eq(TaskState::Done.as_str()),
            maintenance_tasks::done_on.eq(done_on),
            maintenance_tasks::log_id.eq(log_id),
            maintenance_tasks::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Mark a task skipped, with the reason.
pub fn mark_skipped(
    conn: &mut DbConn,
    task_id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(maintenance_tasks::table.find(task_id))
        .set((
            maintenance_tasks::state.eq(TaskState::Skipped.as_str()),
            maintenance_tasks::skip_reason.eq(reason),
            maintenance_tasks::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
