//! Breakdowns: reported by a member, secretary or the API, repaired through a fixed workflow
//! whose every step (and every comment) is an event in the breakdown's timeline, with service
//! deadlines and escalation to the block engineer, then the district officer.

pub mod http;
pub mod public;
pub mod review;
pub mod stats;

use crate::auth::{Actor, Scope};
use crate::config::BreakdownsConfig;
use crate::db::schema::{breakdown_counters, breakdown_events, breakdowns};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::Scheme;
use crate::web::forms;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

/// The workflow: from each status, where one may go (and who may: see `allowed`).
pub const STATUSES: [&str; 8] = [
    "reported",
    "acknowledged",
    "in_progress",
    "resolved",
    "closed",
    "reopened",
    "rejected",
    "duplicate",
];

/// How bad the supply is: stopped, partial, or not affected.
pub const SUPPLIES: [&str; 3] = ["stopped", "partial", "none"];

pub fn next_statuses(from: &str) -> &'static [&'static str] {
    match from {
        "reported" | "reopened" => &["acknowledged", "in_progress", "rejected", "duplicate"],
        "acknowledged" => &["in_progress", "resolved", "rejected", "duplicate"],
        "in_progress" => &["resolved"],
        "resolved" => &["closed", "reopened"],
        "closed" => &["reopened"],
        _ => &[],
    }
}

/// Open: not yet resolved (the SLA clock runs).
pub fn is_open(status: &str) -> bool {
    matches!(
        status,
        "reported" | "acknowledged" | "in_progress" | "reopened"
    )
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = breakdowns)]
pub struct Breakdown {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    /// Complaint number, e.g. 23010101-B7.
    pub number: String,
    pub category: String,
    pub description: String,
    /// stopped, partial or none.
    pub supply: String,
    pub households_affected: Option<i32>,
    pub started_at: NaiveDateTime,
    /// app, public or api.
    pub source: String,
    pub reported_by: Option<i64>,
    pub reporter_name: String,
    pub reporter_phone: Option<String>,
    pub from_task_id: Option<i64>,
    pub status: String,
    pub assigned_name: Option<String>,
    pub assigned_phone: Option<String>,
    pub resolution: Option<String>,
    pub cost_paise: Option<i64>,
    pub duplicate_of: Option<i64>,
    pub ack_due_at: NaiveDateTime,
    pub resolve_due_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    /// 0: none, 1: block engineer, 2: district officer.
    pub escalation_level: i32,
    pub escalated_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The village a public complaint names.
    pub village_id: Option<i64>,
    /// The day of a technical visit the engineer asked for.
    pub visit_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = breakdown_events)]
pub struct Event {
    pub id: i64,
    pub gp_id: i64,
    pub breakdown_id: i64,
    /// reported, transition, comment, escalated, visit_requested or level_changed.
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub user_id: Option<i64>,
    pub actor_name: String,
    pub at: NaiveDateTime,
}

/// A new breakdown as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    pub scheme_id: String,
    pub asset_id: String,
    /// A category code (see `breakdowns.categories`).
    pub category: String,
    pub description: String,
    /// stopped, partial or none.
    pub supply: String,
    pub households_affected: String,
    /// When it started (YYYY-MM-DDTHH:MM in India time, or a date); empty: now.
    pub started_at: String,
    /// The maintenance task whose failed check led here, if any.
    pub from_task_id: String,
}

/// Strip anything that looks like markup from free text (pages escape anyway; this keeps the
/// stored record clean for SMS, CSV and print).
pub fn plain_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if in_tag {
            if c == '>' {
                in_tag = false;
            }
            continue;
        }
        // `<` starts markup only before a letter, `/` or `!` ("a < b" is kept).
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!')
        {
            in_tag = true;
            continue;
        }
        if !c.is_control() || c == '\n' {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// The deadlines for a new breakdown.
pub fn deadlines(
    cfg: &BreakdownsConfig,
    supply: &str,
    at: NaiveDateTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let resolve = match supply {
        "stopped" => cfg.resolve_hours_stopped,
        "partial" => cfg.resolve_hours_partial,
        _ => cfg.resolve_hours_minor,
    };
    (
        at + Duration::hours(cfg.ack_hours),
        at + Duration::hours(resolve),
    )
}

fn parse_started(raw: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    let v = raw.trim();
    if v.is_empty() {
        return Some(now);
    }
    let ist = chrono::Duration::minutes(330);
    chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M"))
        .map(|t| t - ist)
        .ok()
        .or_else(|| {
            forms::parse_date(v)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t - ist)
        })
}

/// Check and store a breakdown reported by a logged-in person (or an API client).
pub fn report(
    conn: &mut DbConn,
    actor: &Actor,
    cfg: &BreakdownsConfig,
    input: &ReportInput,
    source: &str,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let mut e = FieldErrors::new();
    let scheme = match input
        .scheme_id
        .trim()
        .parse::<i64>()
        .ok()
        .map(|id| crate::schemes::find_in_scope(conn, &actor.scope, id))
    {
        Some(Ok(s)) => Some(s),
        _ => {
            e.add("scheme_id", "field-invalid-choice");
            None
        }
    };
    let asset = match (input.asset_id.trim(), &scheme) {
        ("", _) => None,
        (raw, Some(s)) => match raw
            .parse::<i64>()
            .ok()
            .map(|id| crate::schemes::assets::find(conn, id))
        {
            Some(Ok(a)) if a.scheme_id == s.id => Some(a.id),
            _ => {
                e.add("asset_id", "field-invalid-choice");
                None
            }
        },
        _ => None,
    };
    if !cfg.categories.iter().any(|c| c == input.category.trim()) {
        e.add("category", "field-invalid-choice");
    }
    let description = plain_text(&input.description);
    if description.is_empty() {
        e.add("description", "field-required");
    } else if description.chars().count() > 2000 {
        e.add_with("description", "field-too-long", &[("max", "2000".into())]);
    }
    let supply = input.supply.trim();
    if !matches!(supply, "stopped" | "partial" | "none") {
        e.add("supply", "field-invalid-choice");
    }
    let households = forms::optional_int(
        &input.households_affected,
        0,
        100_000,
        "households_affected",
        &mut e,
    );
    let started = match parse_started(&input.started_at, now) {
        Some(t) if t <= now + Duration::minutes(5) => Some(t),
        Some(_) => {
            e.add("started_at", "field-date-in-future");
            None
        }
        None => {
            e.add("started_at", "field-bad-date");
            None
        }
    };
    let from_task = input.from_task_id.trim().parse::<i64>().ok();
    e.into_result()?;
    let scheme = scheme.expect("checked");
    create(
        conn,
        &scheme,
        NewBreakdown {
            asset_id: asset,
            village_id: None,
            category: input.category.trim(),
            description: &description,
            supply,
            households: households.map(|h| h as i32),
            started: started.expect("checked"),
            source,
            reporter_name: &actor.user.display_name,
            reporter_phone: actor.user.phone.as_deref(),
            from_task,
        },
        Some(actor),
        cfg,
        now,
    )
}

/// A checked breakdown, ready to store.
pub(crate) struct NewBreakdown<'a> {
    pub asset_id: Option<i64>,
    pub village_id: Option<i64>,
    pub category: &'a str,
    pub description: &'a str,
    pub supply: &'a str,
    pub households: Option<i32>,
    pub started: NaiveDateTime,
    pub source: &'a str,
    pub reporter_name: &'a str,
    pub reporter_phone: Option<&'a str>,
    pub from_task: Option<i64>,
}

/// The GP's next complaint number: one counter row per GP, bumped inside the report's
/// transaction, so two reports never take the same number.
fn next_number(conn: &mut DbConn, gp_id: i64) -> AppResult<i64> {
    Ok(crate::on_backend!(conn, |c| diesel::insert_into(
        breakdown_counters::table
    )
    .values((
        breakdown_counters::gp_id.eq(gp_id),
        breakdown_counters::last_number.eq(1_i64),
    ))
    .on_conflict(breakdown_counters::gp_id)
    .do_update()
    .set(breakdown_counters::last_number.eq(breakdown_counters::last_number + 1))
    .returning(breakdown_counters::last_number)
    .get_result::<i64>(c))?)
}

pub(crate) fn create(
    conn: &mut DbConn,
    scheme: &Scheme,
    new: NewBreakdown,
    actor: Option<&Actor>,
    cfg: &BreakdownsConfig,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let NewBreakdown {
        asset_id,
        village_id,
        category,
        description,
        supply,
        households,
        started,
        source,
        reporter_name,
        reporter_phone,
        from_task,
    } = new;
    let n = next_number(conn, scheme.gp_id)?;
    let gp = crate::places::model::find(conn, scheme.gp_id)?;
    let number = format!("{}-B{}", gp.lgd_code, n);
    let (ack_due, resolve_due) = deadlines(cfg, supply, now);
    let values = (
        breakdowns::gp_id.eq(scheme.gp_id),
        breakdowns::scheme_id.eq(scheme.id),
        breakdowns::asset_id.eq(asset_id),
        breakdowns::number.eq(&number),
        breakdowns::category.eq(category),
        breakdowns::description.eq(description),
        breakdowns::supply.eq(supply),
        breakdowns::households_affected.eq(households),
        breakdowns::started_at.eq(started),
        breakdowns::source.eq(source),
        breakdowns::reported_by.eq(actor.map(|a| a.user.id)),
        breakdowns::reporter_name.eq(reporter_name),
        breakdowns::reporter_phone.eq(reporter_phone),
        breakdowns::from_task_id.eq(from_task),
        breakdowns::status.eq("reported"),
        breakdowns::ack_due_at.eq(ack_due),
        breakdowns::resolve_due_at.eq(resolve_due),
        breakdowns::escalation_level.eq(0),
        breakdowns::created_at.eq(now),
        breakdowns::updated_at.eq(now),
        breakdowns::village_id.eq(village_id),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(breakdowns::table)
        .values(values)
        .returning(breakdowns::id)
        .get_result(c))
    .map_err(|e| AppError::from(e).on_unique("breakdown-number-taken"))?;
    add_event(
        conn,
        scheme.gp_id,
        id,
        "reported",
        None,
        Some("reported"),
        Some(description),
        actor,
        reporter_name,
        now,
    )?;
    find(conn, id)
}

#[allow(clippy::too_many_arguments)]
fn add_event(
    conn: &mut DbConn,
    gp_id: i64,
    id: i64,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    note: Option<&str>,
    actor: Option<&Actor>,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(breakdown_events::table)
        .values((
            breakdown_events::gp_id.eq(gp_id),
            breakdown_events::breakdown_id.eq(id),
            breakdown_events::kind.eq(kind),
            breakdown_events::from_status.eq(from),
            breakdown_events::to_status.eq(to),
            breakdown_events::note.eq(note),
            breakdown_events::user_id.eq(actor.map(|a| a.user.id)),
            breakdown_events::actor_name
                .eq(actor.map(|a| a.user.display_name.as_str()).unwrap_or(name)),
            breakdown_events::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A step in the workflow as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TransitionInput {
    /// The status to move to.
    pub to: String,
    /// A note; required for `rejected` (the reason) and `reopened`.
    pub note: String,
    /// in_progress: who repairs it, and their phone.
    pub assigned_name: String,
    pub assigned_phone: String,
    /// resolved: what was done, the cost (₹), and optionally the asset's and scheme's status.
    pub resolution: String,
    pub cost: String,
    pub asset_status: String,
    pub scheme_status: String,
    /// duplicate: the number of the breakdown this one repeats.
    pub duplicate_of: String,
}

/// Who may take a step: members report and work on repairs; closing (verification) is for the
/// secretary or the engineer; the engineer may do every step in their block.
pub fn may(actor: &Actor, to: &str) -> bool {
    use crate::auth::Role::*;
    match to {
        "closed" | "rejected" | "duplicate" => matches!(
            actor.role,
            Admin | Secretary | BlockEngineer | DistrictOfficer
        ),
        _ => matches!(
            actor.role,
            Admin | Secretary | Member | BlockEngineer | DistrictOfficer
        ),
    }
}

/// Move a breakdown along the workflow; refused steps say why.
pub fn transition(
    conn: &mut DbConn,
    actor: &Actor,
    b: &Breakdown,
    input: &TransitionInput,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let to = input.to.trim();
    if !next_statuses(&b.status).contains(&to) {
        return Err(AppError::Conflict("breakdown-bad-transition".into()));
    }
    if !may(actor, to) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::new();
    let note = forms::optional_text(&plain_text(&input.note), 1000, "note", &mut e);
    if matches!(to, "rejected" | "reopened") && note.is_none() && !e.has("note") {
        e.add("note", "field-required");
    }
    let mut changes_assigned = None;
    let mut resolution = None;
    let mut cost = None;
    let mut dup = None;
    match to {
        "in_progress" => {
            let name = forms::required_text(
                &plain_text(&input.assigned_name),
                120,
                "assigned_name",
                &mut e,
            );
            let phone = match input.assigned_phone.trim() {
                "" => None,
                p => match crate::auth::users::normalize_mobile(p) {
                    Some(n) => Some(n),
                    None => {
                        e.add("assigned_phone", "phone-invalid");
                        None
                    }
                },
            };
            changes_assigned = Some((name, phone));
        }
        "resolved" => {
            resolution =
                forms::required_text(&plain_text(&input.resolution), 2000, "resolution", &mut e);
            cost = forms::optional_money(&input.cost, "cost", &mut e);
            if !input.asset_status.trim().is_empty()
                && !crate::schemes::assets::AssetStatus::SETTABLE
                    .iter()
                    .any(|s| s.as_str() == input.asset_status.trim())
            {
                e.add("asset_status", "field-invalid-choice");
            }
            if !input.scheme_status.trim().is_empty()
                && crate::schemes::SchemeStatus::parse(&input.scheme_status).is_none()
            {
                e.add("scheme_status", "field-invalid-choice");
            }
        }
        "duplicate" => {
            match breakdowns::table
                .filter(breakdowns::number.eq(input.duplicate_of.trim()))
                .filter(breakdowns::gp_id.eq(b.gp_id))
                .filter(breakdowns::id.ne(b.id))
                .select(breakdowns::id)
                .first::<i64>(conn)
                .optional()?
            {
                Some(id) => dup = Some(id),
                None => e.add("duplicate_of", "breakdown-unknown-number"),
            }
        }
        _ => {}
    }
    e.into_result()?;
    let t = breakdowns::table.find(b.id);
    diesel::update(t)
        .set((breakdowns::status.eq(to), breakdowns::updated_at.eq(now)))
        .execute(conn)?;
    match to {
        "acknowledged" => {
            diesel::update(t)
                .set(breakdowns::acknowledged_at.eq(now))
                .execute(conn)?;
        }
        "in_progress" => {
            let (name, phone) = changes_assigned.expect("checked");
            diesel::update(t)
                .set((
                    breakdowns::assigned_name.eq(name),
                    breakdowns::assigned_phone.eq(phone),
                    breakdowns::acknowledged_at.eq(b.acknowledged_at.unwrap_or(now)),
                ))
                .execute(conn)?;
        }
        "resolved" => {
            diesel::update(t)
                .set((
                    breakdowns::resolution.eq(&resolution),
                    breakdowns::cost_paise.eq(cost),
                    breakdowns::resolved_at.eq(now),
                ))
                .execute(conn)?;
            if let (Some(aid), s) = (b.asset_id, input.asset_status.trim()) {
                if !s.is_empty() {
                    let a = crate::schemes::assets::find(conn, aid)?;
                    if a.status().in_service() && a.status != s {
                        crate::schemes::assets::set_status(conn, &a, s, now)?;
                    }
                }
            }
            let s = input.scheme_status.trim();
            if !s.is_empty() {
                let scheme = crate::schemes::find(conn, b.scheme_id)?;
                if scheme.status != s {
                    crate::schemes::change_status(
                        conn,
                        actor,
                        &scheme,
                        &crate::schemes::StatusInput {
                            status: s.into(),
                            reason: format!("breakdown {} resolved", b.number),
                        },
                        now,
                    )?;
                }
            }
            // Hook for the billing area: the repair cost becomes an O&M expense there.
        }
        "closed" => {
            diesel::update(t)
                .set(breakdowns::closed_at.eq(now))
                .execute(conn)?;
        }
        "reopened" => {
            diesel::update(t)
                .set((
                    breakdowns::resolved_at.eq(None::<NaiveDateTime>),
                    breakdowns::closed_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        "duplicate" => {
            diesel::update(t)
                .set(breakdowns::duplicate_of.eq(dup))
                .execute(conn)?;
        }
        _ => {}
    }
    let note_text = match to {
        "resolved" => resolution.clone(),
        "in_progress" => Some(
            format!(
                "{} {}",
                input.assigned_name.trim(),
                input.assigned_phone.trim()
            )
            .trim()
            .to_string(),
        ),
        "duplicate" => Some(input.duplicate_of.trim().to_string()),
        _ => note.clone(),
    };
    add_event(
        conn,
        b.gp_id,
        b.id,
        "transition",
        Some(&b.status),
        Some(to),
        note_text.as_deref(),
        Some(actor),
        "",
        now,
    )?;
    find(conn, b.id)
}

pub fn comment(
    conn: &mut DbConn,
    actor: &Actor,
    b: &Breakdown,
    text: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let mut e = FieldErrors::new();
    let note = forms::required_text(&plain_text(text), 1000, "note", &mut e);
    e.into_result()?;
    add_event(
        conn,
        b.gp_id,
        b.id,
        "comment",
        None,
        None,
        note.as_deref(),
        Some(actor),
        "",
        now,
    )
}

/// The engineer asks for a technical visit on a day (today or later, in India).
pub fn request_visit(
    conn: &mut DbConn,
    actor: &Actor,
    b: &Breakdown,
    on: &str,
    note: &str,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let mut e = FieldErrors::new();
    let today = crate::web::i18n::today_in_india(now);
    let day = match forms::parse_date(on) {
        Some(d) if d >= today => Some(d),
        Some(_) => {
            e.add("visit_on", "field-date-in-past");
            None
        }
        None => {
            e.add("visit_on", "field-bad-date");
            None
        }
    };
    let note = forms::optional_text(&plain_text(note), 1000, "note", &mut e);
    e.into_result()?;
    let day = day.expect("checked");
    diesel::update(breakdowns::table.find(b.id))
        .set((
            breakdowns::visit_on.eq(Some(day)),
            breakdowns::updated_at.eq(now),
        ))
        .execute(conn)?;
    let text = match note {
        Some(n) => format!("{}: {n}", crate::web::i18n::format_date(day)),
        None => crate::web::i18n::format_date(day),
    };
    add_event(
        conn,
        b.gp_id,
        b.id,
        "visit_requested",
        None,
        None,
        Some(&text),
        Some(actor),
        "",
        now,
    )?;
    find(conn, b.id)
}

/// The engineer moves a breakdown's escalation level by hand (0: with the GP, 1: block
/// engineer, 2: district officer), with a reason.
pub fn set_level(
    conn: &mut DbConn,
    actor: &Actor,
    b: &Breakdown,
    level: &str,
    note: &str,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let mut e = FieldErrors::new();
    let level = match level.trim().parse::<i32>() {
        Ok(l @ 0..=2) if l != b.escalation_level => Some(l),
        _ => {
            e.add("level", "field-invalid-choice");
            None
        }
    };
    let note = forms::required_text(&plain_text(note), 1000, "note", &mut e);
    e.into_result()?;
    let level = level.expect("checked");
    diesel::update(breakdowns::table.find(b.id))
        .set((
            breakdowns::escalation_level.eq(level),
            breakdowns::escalated_at.eq((level > 0).then_some(now)),
            breakdowns::updated_at.eq(now),
        ))
        .execute(conn)?;
    add_event(
        conn,
        b.gp_id,
        b.id,
        "level_changed",
        None,
        None,
        Some(&format!(
            "{} → {}: {}",
            b.escalation_level,
            level,
            note.expect("checked")
        )),
        Some(actor),
        "",
        now,
    )?;
    find(conn, b.id)
}

/// Escalate open breakdowns past their deadline: level 1 (block engineer) at the breach,
/// level 2 (district officer) `level2_after_hours` later. Safe to run any number of times.
/// The scheduler's job: [`escalate`] what is past its deadline; returns how many moved up.
pub fn scheduled_escalate(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    let (l1, l2) = escalate(conn, &config.breakdowns, day.now)?;
    Ok(l1 + l2)
}

pub fn escalate(
    conn: &mut DbConn,
    cfg: &BreakdownsConfig,
    now: NaiveDateTime,
) -> AppResult<(usize, usize)> {
    let open = ["reported", "acknowledged", "in_progress", "reopened"];
    let to_l1: Vec<Breakdown> = breakdowns::table
        .filter(breakdowns::status.eq_any(open))
        .filter(breakdowns::escalation_level.eq(0))
        .filter(
            breakdowns::resolve_due_at
                .lt(now)
                .or(breakdowns::acknowledged_at
                    .is_null()
                    .and(breakdowns::ack_due_at.lt(now))),
        )
        .select(Breakdown::as_select())
        .load(conn)?;
    for b in &to_l1 {
        diesel::update(breakdowns::table.find(b.id))
            .set((
                breakdowns::escalation_level.eq(1),
                breakdowns::escalated_at.eq(now),
            ))
            .execute(conn)?;
        add_event(
            conn,
            b.gp_id,
            b.id,
            "escalated",
            None,
            None,
            Some("level 1: block engineer"),
            None,
            "Paani",
            now,
        )?;
    }
    let to_l2: Vec<Breakdown> = breakdowns::table
        .filter(breakdowns::status.eq_any(open))
        .filter(breakdowns::escalation_level.eq(1))
        .filter(breakdowns::escalated_at.lt(now - Duration::hours(cfg.level2_after_hours)))
        .select(Breakdown::as_select())
        .load(conn)?;
    for b in &to_l2 {
        diesel::update(breakdowns::table.find(b.id))
            .set((
                breakdowns::escalation_level.eq(2),
                breakdowns::escalated_at.eq(now),
            ))
            .execute(conn)?;
        add_event(
            conn,
            b.gp_id,
            b.id,
            "escalated",
            None,
            None,
            Some("level 2: district officer"),
            None,
            "Paani",
            now,
        )?;
    }
    Ok((to_l1.len(), to_l2.len()))
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Breakdown> {
    breakdowns::table
        .find(id)
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Breakdown> {
    breakdowns::table
        .filter(breakdowns::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ))
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn timeline(conn: &mut DbConn, id: i64) -> AppResult<Vec<Event>> {
    Ok(breakdown_events::table
        .filter(breakdown_events::breakdown_id.eq(id))
        .order(breakdown_events::id.asc())
        .select(Event::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct BreakdownFilter {
    /// A status, "open" (default) or "all".
    #[serde(default)]
    pub status: Option<String>,
    /// A GP (place id).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub scheme: Option<i64>,
    /// A category code.
    #[serde(default)]
    pub category: Option<String>,
    /// Only escalated ones.
    #[serde(default)]
    pub escalated: Option<bool>,
    /// Age since reported: 0-3, 4-7, 8-30 or 30+ (days).
    #[serde(default)]
    pub age: Option<String>,
    /// oldest (default: escalated first, then oldest), newest, due, gp.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// The age buckets of the review page, in days since reported: (code, from, to inclusive).
pub const AGE_BUCKETS: [(&str, i64, Option<i64>); 4] = [
    ("0-3", 0, Some(3)),
    ("4-7", 4, Some(7)),
    ("8-30", 8, Some(30)),
    ("30+", 31, None),
];

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &BreakdownFilter,
    page: crate::web::pagination::PageRequest,
    now: NaiveDateTime,
) -> AppResult<(Vec<Breakdown>, i64)> {
    let build = || {
        let mut q = breakdowns::table.into_boxed().filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ));
        match f.status.as_deref().unwrap_or("open") {
            "all" => {}
            "open" => {
                q = q.filter(breakdowns::status.eq_any([
                    "reported",
                    "acknowledged",
                    "in_progress",
                    "reopened",
                ]))
            }
            s => q = q.filter(breakdowns::status.eq(s.to_string())),
        }
        if let Some(s) = f.scheme {
            q = q.filter(breakdowns::scheme_id.eq(s));
        }
        if let Some(g) = f.gp {
            q = q.filter(breakdowns::gp_id.eq(g));
        }
        if let Some(c) = f.category.as_deref().filter(|c| !c.is_empty()) {
            q = q.filter(breakdowns::category.eq(c.to_string()));
        }
        if f.escalated == Some(true) {
            q = q.filter(breakdowns::escalation_level.gt(0));
        }
        if let Some((_, from, to)) = AGE_BUCKETS
            .iter()
            .find(|(code, _, _)| Some(*code) == f.age.as_deref())
        {
            // reported `from` to `to` whole days ago
            q = q.filter(breakdowns::created_at.le(now - Duration::days(*from)));
            if let Some(to) = to {
                q = q.filter(breakdowns::created_at.gt(now - Duration::days(to + 1)));
            }
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let q = build();
    let q = match f.sort.as_deref() {
        Some("newest") => q.order((breakdowns::created_at.desc(), breakdowns::id.desc())),
        Some("due") => q.order((breakdowns::resolve_due_at.asc(), breakdowns::id.asc())),
        Some("gp") => q.order((breakdowns::gp_id.asc(), breakdowns::created_at.asc())),
        _ => q.order((
            breakdowns::escalation_level.desc(),
            breakdowns::created_at.asc(),
            breakdowns::id.asc(),
        )),
    };
    // The page's ids first (sorted from the index alone), then those rows: sorting whole rows
    // of a block's tens of thousands of breakdowns is what would take time.
    let ids: Vec<i64> = q
        .limit(page.limit())
        .offset(page.offset())
        .select(breakdowns::id)
        .load(conn)?;
    let mut rows: Vec<Breakdown> = breakdowns::table
        .filter(breakdowns::id.eq_any(&ids))
        .select(Breakdown::as_select())
        .load(conn)?;
    rows.sort_by_key(|b| ids.iter().position(|id| *id == b.id));
    Ok((rows, total))
}

/// Open breakdowns of the same scheme and category reported in the last 48 hours.
pub fn likely_duplicates(conn: &mut DbConn, b: &Breakdown) -> AppResult<Vec<Breakdown>> {
    Ok(breakdowns::table
        .filter(breakdowns::scheme_id.eq(b.scheme_id))
        .filter(breakdowns::category.eq(&b.category))
        .filter(breakdowns::id.ne(b.id))
        .filter(breakdowns::status.eq_any(["reported", "acknowledged", "in_progress", "reopened"]))
        .filter(breakdowns::created_at.gt(b.created_at - Duration::hours(48)))
        .filter(breakdowns::created_at.lt(b.created_at + Duration::hours(48)))
        .order(breakdowns::id.asc())
        .select(Breakdown::as_select())
        .load(conn)?)
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[
    crate::web::render::NavItem {
        href: "/breakdowns",
        label: "nav-breakdowns",
        verb: Some(crate::auth::Verb::ViewBreakdowns),
    },
    crate::web::render::NavItem {
        href: "/breakdowns/review",
        label: "nav-review",
        verb: Some(crate::auth::Verb::ReviewBreakdowns),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_steps() {
        assert!(next_statuses("reported").contains(&"acknowledged"));
        assert!(!next_statuses("reported").contains(&"closed"));
        assert!(next_statuses("resolved").contains(&"closed"));
        assert!(next_statuses("rejected").is_empty());
        assert!(next_statuses("closed").contains(&"reopened"));
    }

    #[test]
    fn markup_does_not_survive() {
        assert_eq!(
            plain_text("<script>alert(1)</script>pipe burst"),
            "alert(1)pipe burst"
        );
        assert_eq!(plain_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(plain_text("<img src=x onerror=alert(1)>leak"), "leak");
        assert_eq!(
            plain_text("'; DROP TABLE breakdowns; --"),
            "'; DROP TABLE breakdowns; --"
        );
    }
}
