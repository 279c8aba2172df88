//! Preventive maintenance: plans (what to do, how often, who), the task occurrences generated
//! from them, and the log of work done (with checklist ticks, readings, people, cost, parts).

pub mod http;
pub mod photos;
pub mod recurrence;
pub mod templates;

use crate::auth::{Actor, Scope};
use crate::db::schema::{maintenance_logs, maintenance_plans, maintenance_tasks};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::assets::Asset;
use crate::schemes::Scheme;
use crate::web::forms;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use recurrence::{MonthDay, Rule, Unit};
use serde::{Deserialize, Serialize};

/// A reading a plan asks for, with its acceptable range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReadingSpec {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = maintenance_plans)]
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
    pub created_at: NaiveDateTime,
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

/// Plan fields as typed (form, JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanInput {
    /// The asset this plan is for; empty: the whole scheme.
    pub asset_id: String,
    pub title: String,
    pub instructions: String,
    /// One checklist item per line.
    pub checklist: String,
    /// One reading per line: `name | unit | min | max` (unit and range optional).
    pub readings: String,
    /// "1"/"true" when this is a water-quality check (an out-of-range reading warns).
    pub water_quality: String,
    /// day, week, month, year or window.
    pub every_unit: String,
    pub every_n: String,
    /// First due date (YYYY-MM-DD or DD-MM-YYYY).
    pub start_on: String,
    /// For yearly windows: MM-DD.
    pub window_start: String,
    pub window_end: String,
    /// Username of the person responsible, or empty.
    pub responsible_username: String,
    /// A committee role (e.g. pump_operator), when no one person is named.
    pub responsible_role: String,
    /// Rupees.
    pub estimated_cost: String,
    /// "1"/"true" unless the plan is paused.
    pub active: String,
}

pub fn truthy(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "on" | "yes"
    )
}

/// Checked plan fields.
#[derive(Debug, Clone)]
pub struct PlanValues {
    pub asset: Option<Asset>,
    pub title: String,
    pub instructions: Option<String>,
    pub checklist: Vec<String>,
    pub readings: Vec<ReadingSpec>,
    pub water_quality: bool,
    pub unit: Unit,
    pub every_n: i32,
    pub start_on: NaiveDate,
    pub window: Option<(MonthDay, MonthDay)>,
    pub responsible_user_id: Option<i64>,
    pub responsible_role: Option<String>,
    pub estimated_cost_paise: Option<i64>,
    pub active: bool,
}

/// Parse `name | unit | min | max` lines.
pub fn parse_readings(text: &str, e: &mut FieldErrors) -> Vec<ReadingSpec> {
    let mut out = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let num = |i: usize| {
            parts
                .get(i)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<f64>())
        };
        let (min, max) = (num(2), num(3));
        if parts[0].is_empty()
            || matches!(min, Some(Err(_)))
            || matches!(max, Some(Err(_)))
            || parts.len() > 4
        {
            e.add("readings", "plan-reading-format");
            return out;
        }
        let (min, max) = (min.and_then(Result::ok), max.and_then(Result::ok));
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                e.add("readings", "plan-reading-range");
                return out;
            }
        }
        out.push(ReadingSpec {
            name: parts[0].chars().take(60).collect(),
            unit: parts.get(1).unwrap_or(&"").chars().take(20).collect(),
            min,
            max,
        });
    }
    if out.len() > 10 {
        e.add_with("readings", "field-too-long", &[("max", "10".into())]);
    }
    out
}

pub fn readings_text(specs: &[ReadingSpec]) -> String {
    specs
        .iter()
        .map(|r| {
            let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
            format!("{} | {} | {} | {}", r.name, r.unit, n(r.min), n(r.max))
                .trim_end_matches([' ', '|'])
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn validate_plan(
    conn: &mut DbConn,
    scheme: &Scheme,
    input: &PlanInput,
    today: NaiveDate,
) -> AppResult<Result<PlanValues, FieldErrors>> {
    let mut e = FieldErrors::new();
    let asset = match input.asset_id.trim() {
        "" => None,
        raw => match raw
            .parse::<i64>()
            .ok()
            .map(|id| crate::schemes::assets::find(conn, id))
        {
            Some(Ok(a)) if a.scheme_id == scheme.id && a.status().in_service() => Some(a),
            _ => {
                e.add("asset_id", "field-invalid-choice");
                None
            }
        },
    };
    let title = forms::required_text(&input.title, 120, "title", &mut e);
    let instructions = forms::optional_text(&input.instructions, 2000, "instructions", &mut e);
    let checklist: Vec<String> = input
        .checklist
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(200).collect())
        .collect();
    if checklist.len() > 30 {
        e.add_with("checklist", "field-too-long", &[("max", "30".into())]);
    }
    let readings = parse_readings(&input.readings, &mut e);
    let unit = Unit::parse(&input.every_unit);
    if unit.is_none() {
        e.add("every_unit", "field-invalid-choice");
    }
    let every_n = if input.every_n.trim().is_empty() {
        Some(1)
    } else {
        forms::optional_int(&input.every_n, 1, 1000, "every_n", &mut e)
    };
    let start_on = if input.start_on.trim().is_empty() {
        Some(today)
    } else {
        forms::optional_date(&input.start_on, None, "start_on", &mut e)
    };
    let mut window = None;
    if unit == Some(Unit::Window) {
        match (
            MonthDay::parse(&input.window_start),
            MonthDay::parse(&input.window_end),
        ) {
            (Some(a), Some(b)) => window = Some((a, b)),
            (a, b) => {
                if a.is_none() {
                    e.add("window_start", "plan-window-format");
                }
                if b.is_none() {
                    e.add("window_end", "plan-window-format");
                }
            }
        }
    }
    let responsible_user_id = match input.responsible_username.trim() {
        "" => None,
        u => match crate::auth::model::user_by_username(conn, u)? {
            Some(user) if user.active && user.place_id == Some(scheme.gp_id) => Some(user.id),
            _ => {
                e.add("responsible_username", "plan-responsible-unknown");
                None
            }
        },
    };
    let responsible_role =
        forms::optional_text(&input.responsible_role, 60, "responsible_role", &mut e);
    let cost = forms::optional_money(&input.estimated_cost, "estimated_cost", &mut e);
    if !e.is_empty() {
        return Ok(Err(e));
    }
    Ok(Ok(PlanValues {
        asset,
        title: title.expect("checked"),
        instructions,
        checklist,
        readings,
        water_quality: truthy(&input.water_quality),
        unit: unit.expect("checked"),
        every_n: every_n.unwrap_or(1) as i32,
        start_on: start_on.unwrap_or(today),
        window,
        responsible_user_id,
        responsible_role,
        estimated_cost_paise: cost,
        active: input.active.trim().is_empty() || truthy(&input.active),
    }))
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
        diesel::delete(
            maintenance_tasks::table
                .filter(maintenance_tasks::plan_id.eq(p.id))
                .filter(maintenance_tasks::state.eq("open"))
                .filter(maintenance_tasks::due_on.ge(today)),
        )
        .execute(conn)?;
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

// ---- tasks ----

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = maintenance_tasks)]
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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a person sees: `upcoming`, `due`, `overdue`, `done`, `skipped` or `cancelled`.
pub fn shown_state(t: &Task, today: NaiveDate, grace_days: i64) -> &'static str {
    match t.state.as_str() {
        "done" => "done",
        "skipped" => "skipped",
        "cancelled" => "cancelled",
        _ if today < t.due_on => "upcoming",
        _ if today > t.deadline_on + Duration::days(grace_days) => "overdue",
        _ => "due",
    }
}

/// Create the open tasks of every active plan (in `only_gp`, or everywhere) that fall due
/// from `from` to `until`, in batches; existing (plan, due date) pairs are left alone, so
/// running it again never duplicates. Returns (plans read, tasks inserted).
/// The scheduler's daily job: the first time (or after a gap, or asked for by name) tasks
/// over the whole horizon of every plan; each day after, the days the horizon moved on for
/// every plan, and the whole horizon for plans changed since (their edits generate too; this
/// catches any path that did not).
pub fn scheduled_generate(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    let (today, now) = (day.today, day.now);
    let horizon = config.maintenance.horizon_days;
    let until = today + Duration::days(horizon);
    let last = match day.last {
        Some(last) if !day.forced_full() => last,
        _ => return Ok(generate(conn, None, today, until, now, |_| {})?.1),
    };
    let from = (last + Duration::days(horizon + 1)).max(today);
    let moved = if from <= until {
        generate(conn, None, from, until, now, |_| {})?.1
    } else {
        0
    };
    let since = last.and_hms_opt(0, 0, 0).unwrap_or(now) - Duration::minutes(330);
    let changed = generate_plans(conn, None, Some(since), today, until, now, |_| {})?.1;
    Ok(moved + changed)
}

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
                    maintenance_tasks::state.eq("open"),
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
}

pub fn list_tasks(
    conn: &mut DbConn,
    scope: &Scope,
    f: &TaskFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<(Task, Plan)>, i64)> {
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
        match f.state.as_deref().unwrap_or("open") {
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
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let tasks: Vec<Task> = build()
        .order((maintenance_tasks::due_on.asc(), maintenance_tasks::id.asc()))
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

// ---- logs ----

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ReadingValue {
    pub name: String,
    pub unit: String,
    pub value: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub out_of_range: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct PartUsed {
    pub part: String,
    pub qty: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = maintenance_logs)]
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
    pub created_at: NaiveDateTime,
}

/// What a person records for a task (or ad-hoc work): everything optional but the date.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WorkInput {
    /// Date done (YYYY-MM-DD or DD-MM-YYYY), not in the future.
    pub done_on: String,
    /// Who did it: names separated by commas (empty: the person recording).
    pub done_by: String,
    /// Indexes (0-based) of the checklist items done, separated by commas.
    pub checked: String,
    /// Reading values in the plan's order, separated by `;` (empty ones skipped).
    pub readings: String,
    pub notes: String,
    /// Rupees.
    pub cost: String,
    /// One part per line: `part | quantity`.
    pub parts: String,
    /// Optionally set the asset's condition: working, needs_attention or failed.
    pub asset_status: String,
    /// Ad-hoc work only: what was done.
    pub title: String,
}

/// Check recorded work against the plan (if any).
pub fn validate_work(
    plan: Option<&Plan>,
    input: &WorkInput,
    actor: &Actor,
    today: NaiveDate,
) -> Result<(NewLog, Option<String>), FieldErrors> {
    let mut e = FieldErrors::new();
    let done_on = match forms::optional_date(&input.done_on, Some(today), "done_on", &mut e) {
        Some(d) => Some(d),
        None if input.done_on.trim().is_empty() => {
            e.add("done_on", "field-required");
            None
        }
        None => None,
    };
    let mut people: Vec<String> = input
        .done_by
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(80).collect())
        .collect();
    if people.is_empty() {
        people.push(actor.user.display_name.clone());
    }
    if people.len() > 10 {
        e.add_with("done_by", "field-too-long", &[("max", "10".into())]);
    }
    let items = plan.map(|p| p.checklist()).unwrap_or_default();
    let ticked: Vec<usize> = input
        .checked
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
        .collect();
    let checklist: Vec<serde_json::Value> = items
        .iter()
        .enumerate()
        .map(|(i, item)| serde_json::json!({"item": item, "done": ticked.contains(&i)}))
        .collect();
    let specs = plan.map(|p| p.reading_specs()).unwrap_or_default();
    let mut readings = vec![];
    for (i, raw) in input.readings.split(';').enumerate() {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let Some(spec) = specs.get(i) else {
            e.add("readings", "work-reading-extra");
            break;
        };
        match raw.replace(',', ".").parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let out = spec.min.is_some_and(|m| v < m) || spec.max.is_some_and(|m| v > m);
                readings.push(ReadingValue {
                    name: spec.name.clone(),
                    unit: spec.unit.clone(),
                    value: v,
                    min: spec.min,
                    max: spec.max,
                    out_of_range: out,
                });
            }
            _ => e.add_with(
                "readings",
                "work-reading-number",
                &[("name", spec.name.clone())],
            ),
        }
    }
    let notes = forms::optional_text(&input.notes, 2000, "notes", &mut e);
    let cost = forms::optional_money(&input.cost, "cost", &mut e);
    let mut parts = vec![];
    for line in input.parts.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (part, qty) = line
            .split_once('|')
            .map(|(a, b)| (a.trim(), b.trim()))
            .unwrap_or((line, ""));
        parts.push(PartUsed {
            part: part.chars().take(100).collect(),
            qty: qty.chars().take(20).collect(),
        });
    }
    if parts.len() > 20 {
        e.add_with("parts", "field-too-long", &[("max", "20".into())]);
    }
    let asset_status = match input.asset_status.trim() {
        "" => None,
        s if crate::schemes::assets::AssetStatus::SETTABLE
            .iter()
            .any(|x| x.as_str() == s) =>
        {
            Some(s.to_string())
        }
        _ => {
            e.add("asset_status", "field-invalid-choice");
            None
        }
    };
    let title = match plan {
        Some(p) => Some(p.title.clone()),
        None => forms::required_text(&input.title, 120, "title", &mut e),
    };
    if !e.is_empty() {
        return Err(e);
    }
    let out_of_range = readings.iter().any(|r| r.out_of_range);
    Ok((
        NewLog {
            title: title.expect("checked"),
            done_on: done_on.expect("checked"),
            done_by: people,
            checklist,
            readings,
            out_of_range,
            water_quality: plan.is_some_and(|p| p.water_quality),
            notes,
            cost_paise: cost,
            parts,
        },
        asset_status,
    ))
}

#[derive(Debug, Clone)]
pub struct NewLog {
    pub title: String,
    pub done_on: NaiveDate,
    pub done_by: Vec<String>,
    pub checklist: Vec<serde_json::Value>,
    pub readings: Vec<ReadingValue>,
    pub out_of_range: bool,
    pub water_quality: bool,
    pub notes: Option<String>,
    pub cost_paise: Option<i64>,
    pub parts: Vec<PartUsed>,
}

/// Store the log row for work done on `task`.
/// What a log row is about: a task (from a plan), or an asset (ad-hoc work).
pub enum WorkOn<'a> {
    Task(&'a Task),
    Asset(&'a Asset),
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

/// A list as JSON text.
fn j<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Complete an open task: log the work, mark the task done, optionally set the asset's status.
pub fn complete_task(
    conn: &mut DbConn,
    actor: &Actor,
    task: &Task,
    input: &WorkInput,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Log> {
    if task.state != "open" {
        return Err(AppError::Conflict("task-not-open".into()));
    }
    let plan = find_plan(conn, task.plan_id)?;
    let (new, asset_status) =
        validate_work(Some(&plan), input, actor, today).map_err(AppError::Validation)?;
    let log = insert_log(conn, WorkOn::Task(task), &new, actor, now)?;
    diesel::update(maintenance_tasks::table.find(task.id))
        .set((
            maintenance_tasks::state.eq("done"),
            maintenance_tasks::done_on.eq(new.done_on),
            maintenance_tasks::log_id.eq(log.id),
            maintenance_tasks::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let (Some(s), Some(aid)) = (asset_status, task.asset_id) {
        let a = crate::schemes::assets::find(conn, aid)?;
        if a.status().in_service() {
            crate::schemes::assets::set_status(conn, &a, &s, now)?;
        }
    }
    Ok(log)
}

/// Log work that no plan asked for (a repair, an extra check) against an asset.
pub fn log_adhoc(
    conn: &mut DbConn,
    actor: &Actor,
    asset: &Asset,
    input: &WorkInput,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Log> {
    if !asset.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    let (new, asset_status) =
        validate_work(None, input, actor, today).map_err(AppError::Validation)?;
    let log = insert_log(conn, WorkOn::Asset(asset), &new, actor, now)?;
    if let Some(s) = asset_status {
        crate::schemes::assets::set_status(conn, asset, &s, now)?;
    }
    Ok(log)
}

/// Skip an open task, with the reason.
pub fn skip_task(
    conn: &mut DbConn,
    task: &Task,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    if task.state != "open" {
        return Err(AppError::Conflict("task-not-open".into()));
    }
    let mut e = FieldErrors::new();
    let reason = forms::required_text(reason, 500, "reason", &mut e);
    e.into_result()?;
    diesel::update(maintenance_tasks::table.find(task.id))
        .set((
            maintenance_tasks::state.eq("skipped"),
            maintenance_tasks::skip_reason.eq(reason),
            maintenance_tasks::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Tasks done on time / tasks due, for tasks whose deadline fell in [from, until].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Compliance {
    pub due: i64,
    pub on_time: i64,
    /// Per cent, rounded down; none when nothing was due.
    pub percent: Option<i64>,
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

/// A task as compliance counts it: deadline, state, done on.
pub type ComplianceTask = (NaiveDate, String, Option<NaiveDate>);

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
        .filter(maintenance_tasks::state.ne("cancelled"));
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

impl Compliance {
    /// Of the tasks whose deadline fell in [from, until]: how many, and how many were done
    /// by their deadline and its grace days.
    pub fn of(
        tasks: &[ComplianceTask],
        from: NaiveDate,
        until: NaiveDate,
        grace_days: i64,
    ) -> Self {
        let (mut due, mut on_time) = (0, 0);
        for (deadline, state, done) in tasks {
            if *deadline < from || *deadline > until {
                continue;
            }
            due += 1;
            if state == "done" && done.is_some_and(|d| d <= *deadline + Duration::days(grace_days))
            {
                on_time += 1;
            }
        }
        Compliance {
            due,
            on_time,
            percent: (due > 0).then(|| on_time * 100 / due),
        }
    }
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
    let mut q = maintenance_logs::table
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

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/tasks",
    label: "nav-tasks",
    verb: Some(crate::auth::Verb::RecordWork),
}];
