//! Breakdown use cases, each validated and written in one transaction with its audit row:
//! report (with photos), move along the workflow, comment, ask for a technical visit, set the
//! escalation level by hand; and the scheduler's escalation. Each `…_in` function is the step
//! inside the caller's transaction (the demo data and the tests use them too).

use super::model::{self, Breakdown};
use super::{
    may, next_statuses, parse_started, plain_text, EventKind, NewBreakdown, ReportInput, Status,
    Supply, TransitionInput,
};
use crate::audit::{audited, Action, By, Detail, Entity, Log};
use crate::auth::Actor;
use crate::config::BreakdownsConfig;
use crate::context::Ctx;
use crate::db::schema::breakdowns;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::changed::{ChangeKind, Changed, Choice, Resend};
use crate::web::forms;
use crate::web::i18n::format_date;
use crate::web::photos::{self, Checked, Owner};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Report a breakdown (a person in the app, or an API client: `source`), with its photos and
/// the audit row.
pub fn report(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: ReportInput,
    photos: Vec<Checked>,
    source: &str,
) -> AppResult<Breakdown> {
    let (cfg, root) = (&ctx.config.breakdowns, &ctx.config.storage.photos_dir);
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let b = report_in(c, actor, cfg, &input, source, now)?;
        photos::store(c, root, b.gp_id, Owner::Breakdown(b.id), &photos, now)?;
        log.add(
            Action::Create,
            Entity::Breakdown,
            Some(b.id),
            Detail::new("audit-detail-breakdown")
                .text("no", &b.number)
                .word("category", format!("breakdown-cat-{}", b.category)),
        );
        Ok(b)
    })
}

/// Move a breakdown in scope along the workflow, with the audit row. A step refused because
/// the breakdown was resolved, closed or rejected meanwhile is a change to decide on
/// ([`breakdown_changed`]); with `keep_both` chosen, the step's note is added to the timeline
/// as a comment and the status stays.
pub fn transition(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: TransitionInput,
    resend: Resend,
) -> AppResult<Breakdown> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let b = model::find_in_scope(c, &actor.scope, id)?;
        let step_refused = !Status::parse(input.to.trim())
            .is_some_and(|to| next_statuses(&b.status).contains(&to));
        if !super::is_open(&b.status) && step_refused {
            if !resend.chose(Choice::KeepBoth) {
                return Err(breakdown_changed(&b).into_error());
            }
            let note = [&input.note, &input.resolution, &input.assigned_name]
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            comment_in(c, actor, &b, &note, now)?;
            return Ok(b);
        }
        let b2 = transition_in(c, actor, &b, &input, ctx.config.money, now)?;
        // a villager who filed it with a phone is told the new status by SMS
        super::phone::service::queue_status_change(c, &ctx.config, now, &b2)?;
        if let (Some(Status::Resolved), Some(cost)) =
            (b2.status(), b2.cost_paise.filter(|p| *p > 0))
        {
            if forms::flag(&input.record_expense) {
                record_repair_cost(c, actor, log, &b2, cost, ctx.config.money, now)?;
            }
        }
        log.add(
            Action::StatusChange,
            Entity::Breakdown,
            Some(id),
            Detail::new("audit-detail-breakdown-moved")
                .text("no", &b.number)
                .word("from", format!("breakdown-status-{}", b.status))
                .word("to", format!("breakdown-status-{}", b2.status)),
        );
        Ok(b2)
    })
}

/// Inside the resolving transaction: the repair's cost as an O&M expense in the cash book,
/// linked to the breakdown (nothing when the cost is already there).
fn record_repair_cost(
    c: &mut DbConn,
    actor: &Actor,
    log: &mut Log,
    b: &Breakdown,
    cost: i64,
    money: crate::config::MoneyLimits,
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::billing::cashbook::{self, WorkLink};
    let note = format!(
        "{}: {}",
        b.number,
        b.resolution.as_deref().unwrap_or_default()
    );
    cashbook::service::record_work_cost(
        c,
        actor,
        log,
        b.gp_id,
        WorkLink::Breakdown(b.id),
        "repairs",
        cost,
        crate::web::i18n::today_in_india(now),
        &note,
        money,
        now,
    )?;
    Ok(())
}

/// Add a comment to the timeline of a breakdown in scope. A comment is timeline, not an
/// audit row; it goes through [`audited`] (with no row) so a resent comment with the same
/// idempotency key is added once.
///
/// A comment sent from a device that saw the breakdown open (`Paani-Seen-At`) on one resolved,
/// closed or rejected since is a change to decide on; `keep_both` adds it all the same.
pub fn comment(ctx: &Ctx, actor: &Actor, id: i64, note: String, resend: Resend) -> AppResult<()> {
    audited(ctx, By::actor(actor, ""), |c, now, _| {
        let b = model::find_in_scope(c, &actor.scope, id)?;
        let closed_since_seen = resend
            .seen_at
            .is_some_and(|seen| !super::is_open(&b.status) && b.updated_at > seen);
        if closed_since_seen && !resend.chose(Choice::KeepBoth) {
            return Err(breakdown_changed(&b).into_error());
        }
        comment_in(c, actor, &b, &note, now)
    })
}

/// A breakdown no longer open, as its server version for the user's decision: its status,
/// since when, and the resolution (or the reason it was rejected).
pub fn breakdown_changed(b: &Breakdown) -> Changed {
    let since = b.closed_at.or(b.resolved_at).unwrap_or(b.updated_at);
    let key = if b
        .resolution
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty())
    {
        "conflict-breakdown-summary-what"
    } else {
        "conflict-breakdown-summary"
    };
    Changed::new(
        ChangeKind::BreakdownClosed,
        key,
        format!("/breakdowns/{}", b.id),
    )
    .text("no", &b.number)
    .word("status", format!("breakdown-status-{}", b.status))
    .text("date", format_date(crate::web::i18n::today_in_india(since)))
    .text("what", b.resolution.clone().unwrap_or_default())
    .field("status", &b.status)
    .field("number", &b.number)
    .field("resolution", &b.resolution)
    .field(
        "resolved_at",
        b.resolved_at.as_ref().map(crate::clock::utc::text),
    )
    .field(
        "closed_at",
        b.closed_at.as_ref().map(crate::clock::utc::text),
    )
    .field("updated_at", crate::clock::utc::text(&b.updated_at))
}

/// The engineer asks for a technical visit to a breakdown in scope, with the audit row.
pub fn request_visit(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    on: &str,
    note: &str,
) -> AppResult<Breakdown> {
    engineer_action(
        ctx,
        actor,
        ip,
        id,
        "audit-detail-breakdown-visit",
        |c, b, now| visit_in(c, actor, b, on, note, now),
    )
}

/// The engineer sets the escalation level of a breakdown in scope, with the audit row.
pub fn set_level(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    level: &str,
    note: &str,
) -> AppResult<Breakdown> {
    engineer_action(
        ctx,
        actor,
        ip,
        id,
        "audit-detail-breakdown-level",
        |c, b, now| level_in(c, actor, b, level, note, now),
    )
}

/// An engineer's action on a breakdown in scope, with its audit line (`detail`: its message,
/// given the breakdown's number).
fn engineer_action(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    detail: &str,
    act: impl FnOnce(&mut DbConn, &Breakdown, NaiveDateTime) -> AppResult<Breakdown>,
) -> AppResult<Breakdown> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let b = model::find_in_scope(c, &actor.scope, id)?;
        let b2 = act(c, &b, now)?;
        log.add(
            Action::Update,
            Entity::Breakdown,
            Some(id),
            Detail::new(detail).text("no", &b.number),
        );
        Ok(b2)
    })
}

/// Check and store a breakdown reported by a logged-in person (or an API client).
pub fn report_in(
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
    } else if description.chars().count() > crate::web::forms::max::TEXT {
        let max = crate::web::forms::max::TEXT.to_string();
        e.add_with("description", "field-too-long", &[("max", max)]);
    }
    let supply = input.supply.trim();
    if Supply::parse(supply).is_none() {
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
    model::create(
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

/// Move a breakdown along the workflow; refused steps say why.
pub fn transition_in(
    conn: &mut DbConn,
    actor: &Actor,
    b: &Breakdown,
    input: &TransitionInput,
    money: crate::config::MoneyLimits,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let Some(to) =
        Status::parse(input.to.trim()).filter(|to| next_statuses(&b.status).contains(to))
    else {
        return Err(AppError::Conflict("breakdown-bad-transition".into()));
    };
    if !may(actor, to) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::new();
    let note = forms::optional_text(
        &plain_text(&input.note),
        crate::web::forms::max::NOTE,
        "note",
        &mut e,
    );
    if matches!(to, Status::Rejected | Status::Reopened) && note.is_none() && !e.has("note") {
        e.add("note", "field-required");
    }
    let mut changes_assigned = None;
    let mut resolution = None;
    let mut cost = None;
    let mut dup = None;
    match to {
        Status::InProgress => {
            let name = forms::required_text(
                &plain_text(&input.assigned_name),
                crate::web::forms::max::NAME,
                "assigned_name",
                &mut e,
            );
            let phone = match input.assigned_phone.trim() {
                "" => None,
                p => match crate::auth::normalize_mobile(p) {
                    Some(n) => Some(n),
                    None => {
                        e.add("assigned_phone", "phone-invalid");
                        None
                    }
                },
            };
            changes_assigned = Some((name, phone));
        }
        Status::Resolved => {
            resolution = forms::required_text(
                &plain_text(&input.resolution),
                crate::web::forms::max::TEXT,
                "resolution",
                &mut e,
            );
            cost = forms::optional_money(&input.cost, money.amount_paise(), "cost", &mut e);
            if forms::flag(&input.record_expense) && !actor.can(crate::auth::Verb::ManageBilling) {
                e.add("record_expense", "cashbook-not-yours");
            }
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
        Status::Duplicate => {
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
        .set((
            breakdowns::status.eq(to.as_str()),
            breakdowns::updated_at.eq(now),
        ))
        .execute(conn)?;
    match to {
        Status::Acknowledged => {
            diesel::update(t)
                .set(breakdowns::acknowledged_at.eq(now))
                .execute(conn)?;
        }
        Status::InProgress => {
            let (name, phone) = changes_assigned.expect("checked");
            diesel::update(t)
                .set((
                    breakdowns::assigned_name.eq(name),
                    breakdowns::assigned_phone.eq(phone),
                    breakdowns::acknowledged_at.eq(b.acknowledged_at.unwrap_or(now)),
                ))
                .execute(conn)?;
        }
        Status::Resolved => {
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
        }
        Status::Closed => {
            diesel::update(t)
                .set(breakdowns::closed_at.eq(now))
                .execute(conn)?;
        }
        Status::Reopened => {
            diesel::update(t)
                .set((
                    breakdowns::resolved_at.eq(None::<NaiveDateTime>),
                    breakdowns::closed_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        Status::Duplicate => {
            diesel::update(t)
                .set(breakdowns::duplicate_of.eq(dup))
                .execute(conn)?;
        }
        _ => {}
    }
    let note_text = match to {
        Status::Resolved => resolution.clone(),
        Status::InProgress => Some(
            format!(
                "{} {}",
                input.assigned_name.trim(),
                input.assigned_phone.trim()
            )
            .trim()
            .to_string(),
        ),
        Status::Duplicate => Some(input.duplicate_of.trim().to_string()),
        _ => note.clone(),
    };
    model::add_event(
        conn,
        b.gp_id,
        b.id,
        EventKind::Transition,
        Some(&b.status),
        Some(to.as_str()),
        note_text.as_deref(),
        Some(actor),
        "",
        now,
    )?;
    model::find(conn, b.id)
}

pub fn comment_in(
    conn: &mut DbConn,
    actor: &Actor,
    b: &Breakdown,
    text: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let mut e = FieldErrors::new();
    let note = forms::required_text(
        &plain_text(text),
        crate::web::forms::max::NOTE,
        "note",
        &mut e,
    );
    e.into_result()?;
    model::add_event(
        conn,
        b.gp_id,
        b.id,
        EventKind::Comment,
        None,
        None,
        note.as_deref(),
        Some(actor),
        "",
        now,
    )
}

/// The engineer asks for a technical visit on a day (today or later, in India).
pub fn visit_in(
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
    let note = forms::optional_text(
        &plain_text(note),
        crate::web::forms::max::NOTE,
        "note",
        &mut e,
    );
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
    model::add_event(
        conn,
        b.gp_id,
        b.id,
        EventKind::VisitRequested,
        None,
        None,
        Some(&text),
        Some(actor),
        "",
        now,
    )?;
    model::find(conn, b.id)
}

/// The engineer moves a breakdown's escalation level by hand (0: with the GP, 1: block
/// engineer, 2: district officer), with a reason.
pub fn level_in(
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
    let note = forms::required_text(
        &plain_text(note),
        crate::web::forms::max::NOTE,
        "note",
        &mut e,
    );
    e.into_result()?;
    let level = level.expect("checked");
    diesel::update(breakdowns::table.find(b.id))
        .set((
            breakdowns::escalation_level.eq(level),
            breakdowns::escalated_at.eq((level > 0).then_some(now)),
            breakdowns::updated_at.eq(now),
        ))
        .execute(conn)?;
    model::add_event(
        conn,
        b.gp_id,
        b.id,
        EventKind::LevelChanged,
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
    model::find(conn, b.id)
}

/// The scheduler's job: [`escalate`] what is past its deadline; returns how many moved up.
pub fn scheduled_escalate(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    let (l1, l2) = escalate(conn, &config.breakdowns, day.now)?;
    Ok(l1 + l2)
}

/// Escalate open breakdowns past their deadline: level 1 (block engineer) at the breach,
/// level 2 (district officer) `level2_after_hours` later. Safe to run any number of times.
pub fn escalate(
    conn: &mut DbConn,
    cfg: &BreakdownsConfig,
    now: NaiveDateTime,
) -> AppResult<(usize, usize)> {
    let open = Status::open_texts();
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
                breakdowns::updated_at.eq(now),
            ))
            .execute(conn)?;
        model::add_event(
            conn,
            b.gp_id,
            b.id,
            EventKind::Escalated,
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
                breakdowns::updated_at.eq(now),
            ))
            .execute(conn)?;
        model::add_event(
            conn,
            b.gp_id,
            b.id,
            EventKind::Escalated,
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
