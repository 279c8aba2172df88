//! Preventive maintenance: plans (what to do, how often, who), the task occurrences generated
//! from them, and the log of work done (with checklist ticks, readings, people, cost, parts).
//!
//! Here: the task states ([`TaskState`], and [`Shown`] as a person sees a task), the input
//! shapes and their rules (plan fields, work done, a skip's reason), what compliance counts,
//! and the navigation entry. Rows and queries are in [`model`], the use cases (save a plan,
//! complete, skip, log ad-hoc work, apply the usual plans, the daily generation) in
//! [`service`], the pages in [`pages`], the JSON endpoints in [`api`]. Rule modules:
//! [`recurrence`] (when a plan falls due) and [`templates`] (the usual plans per asset kind).
//! Photos are the web plumbing's ([`crate::web::photos`]).

pub mod api;
pub mod model;
pub mod pages;
pub mod recurrence;
pub mod service;
pub mod templates;

pub use model::{
    compliance, compliance_tasks, create_plan, find_plan, find_plan_in_scope, find_task_in_scope,
    generate, generate_plans, latest_quality_alert, list_tasks, logs_of_scheme, plans_of_scheme,
    update_plan, Log, LogFilter, Plan, Task, TaskFilter,
};
/// Earlier paths, kept for callers outside this area (to be removed in a later pass): the
/// step inside a transaction that completes / skips a task (the use cases are
/// [`service::complete_task`] and [`service::skip_task`]).
pub use service::{complete_in as complete_task, skip_in as skip_task};
pub use service::{scheduled_generate, validate_plan};

use crate::auth::Actor;
use crate::error::FieldErrors;
use crate::schemes::assets::Asset;
use crate::web::forms;
use chrono::{Duration, NaiveDate};
use recurrence::{MonthDay, Unit};
use serde::{Deserialize, Serialize};

/// A task's state as stored: open until done, skipped or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Open,
    Done,
    Skipped,
    Cancelled,
}

impl TaskState {
    pub const ALL: [TaskState; 4] = [
        TaskState::Open,
        TaskState::Done,
        TaskState::Skipped,
        TaskState::Cancelled,
    ];

    /// The database text.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Open => "open",
            TaskState::Done => "done",
            TaskState::Skipped => "skipped",
            TaskState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// A task as a person sees it: an open task is upcoming, due or overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    Upcoming,
    Due,
    Overdue,
    Done,
    Skipped,
    Cancelled,
}

impl Shown {
    pub const ALL: [Shown; 6] = [
        Shown::Upcoming,
        Shown::Due,
        Shown::Overdue,
        Shown::Done,
        Shown::Skipped,
        Shown::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Shown::Upcoming => "upcoming",
            Shown::Due => "due",
            Shown::Overdue => "overdue",
            Shown::Done => "done",
            Shown::Skipped => "skipped",
            Shown::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Shown> {
        Shown::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Translation key of the state's name (`task-state-…`).
    pub fn label_key(self) -> String {
        format!("task-state-{}", self.as_str())
    }
}

/// A reading a plan asks for: its normal range (`min`..`max`: outside it the reading is
/// recorded and flagged out of range) and its physical bounds (`lowest`..`highest`: what the
/// instrument can show at all, e.g. chlorine cannot be negative, pH is 0 to 14; outside
/// them the value is a typing mistake and refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReadingSpec {
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowest: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highest: Option<f64>,
}

impl ReadingSpec {
    /// Whether `v` can be a real reading (within the physical bounds, when there are any).
    pub fn possible(&self, v: f64) -> bool {
        self.lowest.is_none_or(|l| v >= l) && self.highest.is_none_or(|h| v <= h)
    }

    /// Whether the spec is consistent: lowest ≤ min ≤ max ≤ highest, for the ones given.
    pub fn consistent(&self) -> bool {
        let order = [self.lowest, self.min, self.max, self.highest];
        let given: Vec<f64> = order.into_iter().flatten().collect();
        given.windows(2).all(|w| w[0] <= w[1])
    }
}

/// The longest reading name and unit in a plan.
pub const READING_NAME_MAX: usize = 60;
pub const READING_UNIT_MAX: usize = 20;

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

/// Parse `name | unit | min | max | lowest | highest` lines (all but the name optional):
/// the normal range, then the physical bounds.
pub fn parse_readings(text: &str, e: &mut FieldErrors) -> Vec<ReadingSpec> {
    let mut out = vec![];
    if text.chars().count() > forms::max::TEXT {
        e.add_with(
            "readings",
            "field-too-long",
            &[("max", forms::max::TEXT.to_string())],
        );
        return out;
    }
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let num = |i: usize| {
            parts
                .get(i)
                .filter(|s| !s.is_empty())
                .map(|s| forms::parse_decimal(s).ok_or(()))
        };
        let nums = [num(2), num(3), num(4), num(5)];
        if parts[0].is_empty() || nums.iter().any(|n| matches!(n, Some(Err(_)))) || parts.len() > 6
        {
            e.add("readings", "plan-reading-format");
            return out;
        }
        let [min, max, lowest, highest] = nums.map(|n| n.and_then(Result::ok));
        let (name, unit) = (parts[0], parts.get(1).copied().unwrap_or(""));
        if name.chars().count() > READING_NAME_MAX || unit.chars().count() > READING_UNIT_MAX {
            e.add_with(
                "readings",
                "plan-reading-too-long",
                &[
                    ("name", READING_NAME_MAX.to_string()),
                    ("unit", READING_UNIT_MAX.to_string()),
                ],
            );
            return out;
        }
        let spec = ReadingSpec {
            name: name.to_string(),
            unit: unit.to_string(),
            min,
            max,
            lowest,
            highest,
        };
        if !spec.consistent() {
            e.add("readings", "plan-reading-range");
            return out;
        }
        out.push(spec);
    }
    if out.len() > 10 {
        e.add_with("readings", "field-too-many", &[("max", "10".into())]);
    }
    out
}

pub fn readings_text(specs: &[ReadingSpec]) -> String {
    specs
        .iter()
        .map(|r| {
            let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
            format!(
                "{} | {} | {} | {} | {} | {}",
                r.name,
                r.unit,
                n(r.min),
                n(r.max),
                n(r.lowest),
                n(r.highest)
            )
            .trim_end_matches([' ', '|'])
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The tasks of a member's home ("my tasks"): open ones due within the coming week (and the
/// overdue); the offline app keeps the same list on the phone.
pub fn my_tasks_filter(today: NaiveDate) -> model::TaskFilter {
    model::TaskFilter {
        state: Some(TaskState::Open.as_str().into()),
        until: Some((today + Duration::days(7)).to_string()),
        ..Default::default()
    }
}

/// What a person sees of a task today, with `grace_days` after its deadline before overdue.
pub fn shown_state(t: &Task, today: NaiveDate, grace_days: i64) -> Shown {
    match t.state() {
        Some(TaskState::Done) => Shown::Done,
        Some(TaskState::Skipped) => Shown::Skipped,
        Some(TaskState::Cancelled) => Shown::Cancelled,
        _ if today < t.due_on => Shown::Upcoming,
        _ if today > t.deadline_on + Duration::days(grace_days) => Shown::Overdue,
        _ => Shown::Due,
    }
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
    /// A planned task, by whoever keeps the cash book (secretary, admin): "true" records the
    /// cost as an O&M expense in the cash book in the same step, linked to the task.
    pub record_expense: String,
}

/// Check recorded work against the plan (if any).
pub fn validate_work(
    plan: Option<&Plan>,
    input: &WorkInput,
    actor: &Actor,
    money: crate::config::MoneyLimits,
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
    let mut people = forms::entries(
        &input.done_by,
        Some(','),
        crate::web::forms::max::DONE_BY,
        "done_by",
        &mut e,
    );
    if people.is_empty() {
        people.push(actor.user.display_name.clone());
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
        match forms::parse_decimal(raw) {
            Some(v) if !spec.possible(v) => {
                let n = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
                e.add_with(
                    "readings",
                    match (spec.lowest, spec.highest) {
                        (Some(_), Some(_)) => "work-reading-impossible",
                        (Some(_), None) => "work-reading-below-lowest",
                        _ => "work-reading-above-highest",
                    },
                    &[
                        ("name", spec.name.clone()),
                        ("lowest", n(spec.lowest)),
                        ("highest", n(spec.highest)),
                    ],
                );
            }
            Some(v) => {
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
    let notes = forms::optional_text(&input.notes, crate::web::forms::max::TEXT, "notes", &mut e);
    let cost = forms::optional_money(&input.cost, money.amount_paise(), "cost", &mut e);
    if forms::flag(&input.record_expense) && !actor.can(crate::auth::Verb::ManageBilling) {
        e.add("record_expense", "cashbook-not-yours");
    }
    let mut parts = vec![];
    for line in forms::entries(
        &input.parts,
        None,
        crate::web::forms::max::PARTS,
        "parts",
        &mut e,
    ) {
        let (part, qty) = line
            .split_once('|')
            .map(|(a, b)| (a.trim(), b.trim()))
            .unwrap_or((line.as_str(), ""));
        parts.push(PartUsed {
            part: part.to_string(),
            qty: qty.to_string(),
        });
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
        None => forms::required_text(&input.title, crate::web::forms::max::NAME, "title", &mut e),
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

/// Tasks done on time / tasks due, for tasks whose deadline fell in [from, until].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Compliance {
    pub due: i64,
    pub on_time: i64,
    /// Per cent, rounded down; none when nothing was due.
    pub percent: Option<i64>,
}

/// A task as compliance counts it: deadline, state, done on.
pub type ComplianceTask = (NaiveDate, String, Option<NaiveDate>);

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
            if state == TaskState::Done.as_str()
                && done.is_some_and(|d| d <= *deadline + Duration::days(grace_days))
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

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SkipInput {
    /// Why the task is skipped (required).
    pub reason: String,
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/tasks",
    label: "nav-tasks",
    verb: Some(crate::auth::Verb::RecordWork),
}];
