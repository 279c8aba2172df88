//! Maintenance use cases, each validated and written in one transaction with its audit row:
//! save a plan (its tasks are planned at once), complete or skip a task, log ad-hoc work
//! (with photos), apply the usual plans to a scheme or an asset; and the scheduler's daily
//! generation of tasks.

use super::model::{self, Log, Plan, Task, WorkOn};
use super::recurrence::{MonthDay, Unit};
use super::templates::{self, Library};
use super::{parse_readings, validate_work, PlanInput, PlanValues, TaskState, WorkInput};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::Actor;
use crate::config::MoneyLimits;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::assets::Asset;
use crate::schemes::Scheme;
use crate::web::changed::{ChangeKind, Changed, Choice, Resend};
use crate::web::forms;
use crate::web::i18n::{format_date, today_in_india, Lang};
use crate::web::photos::{self, Checked, Owner};
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// Check plan fields against the scheme (its assets, the GP's users); the outer result is
/// the database's, the inner one the fields'.
pub fn validate_plan(
    conn: &mut DbConn,
    scheme: &Scheme,
    input: &PlanInput,
    money: MoneyLimits,
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
    let title = forms::required_text(&input.title, crate::web::forms::max::NAME, "title", &mut e);
    let instructions = forms::optional_text(
        &input.instructions,
        crate::web::forms::max::TEXT,
        "instructions",
        &mut e,
    );
    let checklist = forms::entries(
        &input.checklist,
        None,
        crate::web::forms::max::CHECKLIST,
        "checklist",
        &mut e,
    );
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
    let responsible_role = forms::optional_text(
        &input.responsible_role,
        crate::web::forms::max::WORD,
        "responsible_role",
        &mut e,
    );
    let cost = forms::optional_money(
        &input.estimated_cost,
        money.amount_paise(),
        "estimated_cost",
        &mut e,
    );
    if !e.is_empty() {
        return Ok(Err(e));
    }
    Ok(Ok(PlanValues {
        asset,
        title: title.expect("checked"),
        instructions,
        checklist,
        readings,
        water_quality: crate::web::forms::flag(&input.water_quality),
        unit: unit.expect("checked"),
        every_n: every_n.unwrap_or(1) as i32,
        start_on: start_on.unwrap_or(today),
        window,
        responsible_user_id,
        responsible_role,
        estimated_cost_paise: cost,
        active: input.active.trim().is_empty() || crate::web::forms::flag(&input.active),
    }))
}

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
        _ => return Ok(model::generate(conn, None, today, until, now, |_| {})?.1),
    };
    let from = (last + Duration::days(horizon + 1)).max(today);
    let moved = if from <= until {
        model::generate(conn, None, from, until, now, |_| {})?.1
    } else {
        0
    };
    let since = last.and_hms_opt(0, 0, 0).unwrap_or(now) - Duration::minutes(330);
    let changed = model::generate_plans(conn, None, Some(since), today, until, now, |_| {})?.1;
    Ok(moved + changed)
}

/// Complete an open task (in scope): log the work with its photos, mark the task done,
/// optionally set the asset's condition, with the audit row. A task no longer open is a
/// change to decide on ([`task_changed`]); with `keep_both` chosen the work is kept as an
/// extra log beside the task's, its note ending with `also_note` (the words "also done from
/// a phone", in the user's language), and the task is left as it is.
#[allow(clippy::too_many_arguments)]
pub fn complete_task(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    library: &Library,
    id: i64,
    input: WorkInput,
    photos: Vec<Checked>,
    resend: Resend,
    also_note: &str,
) -> AppResult<Log> {
    let now = ctx.now();
    let today = today_in_india(now);
    let root = &ctx.config.storage.photos_dir;
    audited(ctx, By::actor(actor, ip), |c, now, entries| {
        let t = model::find_task_in_scope(c, &actor.scope, id)?;
        if t.state() != Some(TaskState::Open) {
            if !resend.chose(Choice::KeepBoth) {
                return Err(task_changed(c, &t)?.into_error());
            }
            let log = beside_in(
                c,
                actor,
                &t,
                &input,
                also_note,
                ctx.config.money,
                today,
                now,
            )?;
            let n = photos::store(c, root, log.gp_id, Owner::Log(log.id), &photos, now)?;
            entries.add(
                Action::Create,
                Entity::Work,
                Some(log.id),
                Detail::new("audit-detail-work-beside")
                    .text("title", &log.title)
                    .count("photos", n),
            );
            return Ok(log);
        }
        let log = complete_in(c, actor, &t, &input, ctx.config.money, today, now)?;
        if let Some(cost) = log
            .cost_paise
            .filter(|p| *p > 0 && forms::flag(&input.record_expense))
        {
            let head = if log.water_quality {
                "water_testing"
            } else {
                "repairs"
            };
            crate::billing::cashbook::service::record_work_cost(
                c,
                actor,
                entries,
                t.gp_id,
                crate::billing::cashbook::WorkLink::Task(t.id),
                head,
                cost,
                log.done_on,
                &log.title,
                ctx.config.money,
                now,
            )?;
        }
        let n = photos::store(c, root, log.gp_id, Owner::Log(log.id), &photos, now)?;
        let key = if log.out_of_range {
            "audit-detail-task-done-out-of-range"
        } else {
            "audit-detail-task-done"
        };
        let plan = model::find_plan(c, t.plan_id)?;
        let detail = titled(c, library, Detail::new(key), &plan, &log.title)?;
        entries.add(
            Action::Complete,
            Entity::Task,
            Some(id),
            detail.date("day", log.done_on).count("photos", n),
        );
        Ok(log)
    })
}

/// Inside a transaction: complete an open task (log the work, mark the task done, optionally
/// set the asset's status).
pub fn complete_in(
    conn: &mut DbConn,
    actor: &Actor,
    task: &Task,
    input: &WorkInput,
    money: MoneyLimits,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Log> {
    if task.state() != Some(TaskState::Open) {
        return Err(AppError::Conflict("task-not-open".into()));
    }
    let plan = model::find_plan(conn, task.plan_id)?;
    // a water-quality check is done by recording its test or inspection, never as work
    if crate::water_quality::schedules::model::check_of_plan(conn, plan.id)?.is_some() {
        return Err(AppError::Conflict("task-is-water-check".into()));
    }
    let (new, asset_status) =
        validate_work(Some(&plan), input, actor, money, today).map_err(AppError::Validation)?;
    let log = model::insert_log(conn, WorkOn::Task(task), &new, actor, now)?;
    model::mark_done(conn, task.id, new.done_on, log.id, now)?;
    if let (Some(s), Some(aid)) = (asset_status, task.asset_id) {
        let a = crate::schemes::assets::find(conn, aid)?;
        if a.status().in_service() {
            crate::schemes::assets::set_status(conn, &a, &s, now)?;
        }
    }
    Ok(log)
}

/// A task no longer open, as its server version for the user's decision: who completed it,
/// when, and what they noted (or why it was skipped).
pub fn task_changed(c: &mut DbConn, t: &Task) -> AppResult<Changed> {
    let url = format!("/tasks/{}", t.id);
    let log = match t.log_id {
        Some(id) => model::find_log(c, id).ok(),
        None => None,
    };
    let by = match log.as_ref().and_then(|l| l.recorded_by) {
        Some(uid) => crate::auth::model::find_user(c, uid)
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let done_on = t.done_on.or(log.as_ref().map(|l| l.done_on));
    let changed = match (t.state(), &log) {
        (Some(TaskState::Done), Some(l)) => {
            let what = log_gist(l);
            let key = if what.is_empty() {
                "conflict-task-done-summary"
            } else {
                "conflict-task-done-summary-what"
            };
            Changed::new(ChangeKind::TaskDone, key, url)
                .text("by", by.clone())
                .text("date", format_date(l.done_on))
                .text("what", what)
        }
        (Some(TaskState::Skipped), _) => {
            Changed::new(ChangeKind::TaskDone, "conflict-task-skipped-summary", url)
                .text("date", format_date(t.updated_at.date()))
                .text("reason", t.skip_reason.clone().unwrap_or_default())
        }
        _ => Changed::new(ChangeKind::TaskDone, "conflict-task-closed-summary", url)
            .word("state", format!("task-state-{}", t.state)),
    };
    Ok(changed
        .field("state", &t.state)
        .field("done_on", done_on)
        .field("by", by)
        .field("log_id", t.log_id)
        .field("notes", log.as_ref().and_then(|l| l.notes.clone())))
}

/// A log's gist for a one-line summary: its readings (name value unit), else its note.
fn log_gist(l: &Log) -> String {
    let readings: Vec<super::ReadingValue> = serde_json::from_str(&l.readings).unwrap_or_default();
    let text = readings
        .iter()
        .map(|r| {
            format!("{} {} {}", r.name, r.value, r.unit)
                .trim()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ");
    if !text.is_empty() {
        return text;
    }
    l.notes
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect()
}

/// Inside a transaction: keep work done for a task completed (or skipped) meanwhile as an
/// extra log on the task's plan and asset, its note ending with `also_note`; the task and its
/// first completion stay as they are.
#[allow(clippy::too_many_arguments)]
pub fn beside_in(
    conn: &mut DbConn,
    actor: &Actor,
    task: &Task,
    input: &WorkInput,
    also_note: &str,
    money: MoneyLimits,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Log> {
    let plan = model::find_plan(conn, task.plan_id)?;
    let (mut new, _) =
        validate_work(Some(&plan), input, actor, money, today).map_err(AppError::Validation)?;
    let also = also_note.replace("{date}", &format_date(new.done_on));
    new.notes = Some(match new.notes.take() {
        Some(n) if !n.trim().is_empty() => format!("{n}\n{also}"),
        _ => also,
    });
    model::insert_log(conn, WorkOn::Beside(task), &new, actor, now)
}

/// Skip an open task (in scope), with the reason and the audit row.
pub fn skip_task(ctx: &Ctx, actor: &Actor, ip: &str, id: i64, reason: String) -> AppResult<()> {
    audited(ctx, By::actor(actor, ip), |c, now, entries| {
        let t = model::find_task_in_scope(c, &actor.scope, id)?;
        skip_in(c, &t, &reason, now)?;
        entries.add(
            Action::Skip,
            Entity::Task,
            Some(id),
            Detail::new("audit-detail-task-skipped").text(
                "reason",
                reason.trim().chars().take(200).collect::<String>(),
            ),
        );
        Ok(())
    })
}

/// Inside a transaction: skip an open task, with the reason (required).
pub fn skip_in(conn: &mut DbConn, task: &Task, reason: &str, now: NaiveDateTime) -> AppResult<()> {
    if task.state() != Some(TaskState::Open) {
        return Err(AppError::Conflict("task-not-open".into()));
    }
    let mut e = FieldErrors::new();
    let reason = forms::required_text(reason, crate::web::forms::max::REASON, "reason", &mut e);
    e.into_result()?;
    model::mark_skipped(conn, task.id, reason.as_deref().unwrap_or_default(), now)
}

/// Log work that no plan asked for (a repair, an extra check) against an asset in scope,
/// with its photos and the audit row.
pub fn log_adhoc(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    asset_id: i64,
    input: WorkInput,
    photos: Vec<Checked>,
) -> AppResult<Log> {
    let now = ctx.now();
    let today = today_in_india(now);
    let root = &ctx.config.storage.photos_dir;
    audited(ctx, By::actor(actor, ip), |c, now, entries| {
        let a = crate::schemes::assets::find_in_scope(c, &actor.scope, asset_id)?;
        let log = log_adhoc_in(c, actor, &a, &input, ctx.config.money, today, now)?;
        photos::store(c, root, log.gp_id, Owner::Log(log.id), &photos, now)?;
        entries.add(
            Action::Create,
            Entity::Work,
            Some(log.id),
            Detail::new("audit-detail-work")
                .named("asset", &a.name, a.name_hi.as_deref())
                .text("title", &log.title),
        );
        Ok(log)
    })
}

/// Inside a transaction: log ad-hoc work against an asset in service.
pub fn log_adhoc_in(
    conn: &mut DbConn,
    actor: &Actor,
    asset: &Asset,
    input: &WorkInput,
    money: MoneyLimits,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Log> {
    if !asset.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    let (new, asset_status) =
        validate_work(None, input, actor, money, today).map_err(AppError::Validation)?;
    let log = model::insert_log(conn, WorkOn::Asset(asset), &new, actor, now)?;
    if let Some(s) = asset_status {
        crate::schemes::assets::set_status(conn, asset, &s, now)?;
    }
    Ok(log)
}

/// `detail` with the `title` of `plan` (or of work done from it) in every language, so the
/// log shows it in the reader's: a template's words from the library, the asset's part by
/// the asset's names; a title a person typed stays as typed.
fn titled(
    c: &mut DbConn,
    library: &Library,
    detail: Detail,
    plan: &Plan,
    title: &str,
) -> AppResult<Detail> {
    let asset = match plan.asset_id {
        Some(id) => Some(crate::schemes::assets::find(c, id)?),
        None => None,
    };
    let code = plan.template_code.as_deref();
    let (en, hi) = library.titles(code, title, asset.as_ref());
    Ok(detail.named("title", &en, (hi != en).then_some(hi.as_str())))
}

/// Generate the horizon's tasks for one GP (after plans change).
fn generate_for_gp(
    c: &mut DbConn,
    ctx: &Ctx,
    gp_id: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<()> {
    let until = today + Duration::days(ctx.config.maintenance.horizon_days);
    model::generate(c, Some(gp_id), today, until, now, |_| {})?;
    Ok(())
}

/// Create a plan on a scheme (`plan_id` none) or change a plan, both in scope; its GP's tasks
/// are planned at once. With the audit row.
pub fn save_plan(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    library: &Library,
    scheme_id: i64,
    plan_id: Option<i64>,
    input: PlanInput,
) -> AppResult<Plan> {
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, now, entries| {
        let existing = match plan_id {
            Some(id) => Some(model::find_plan_in_scope(c, &actor.scope, id)?),
            None => None,
        };
        let sid = existing.as_ref().map(|p| p.scheme_id).unwrap_or(scheme_id);
        let s = crate::schemes::find_in_scope(c, &actor.scope, sid)?;
        let v =
            validate_plan(c, &s, &input, ctx.config.money, today)?.map_err(AppError::Validation)?;
        let p = match existing {
            Some(p) => model::update_plan(c, &p, &v, today, now)?,
            None => model::create_plan(c, &s, &v, None, now)?,
        };
        generate_for_gp(c, ctx, s.gp_id, today, now)?;
        let action = if plan_id.is_some() {
            Action::Update
        } else {
            Action::Create
        };
        let detail = titled(c, library, Detail::new("audit-detail-plan"), &p, &p.title)?;
        entries.add(action, Entity::Plan, Some(p.id), detail);
        Ok(p)
    })
}

/// Add the usual plans missing from every in-service asset of a scheme in scope, plan their
/// tasks, with one audit row; returns how many plans were added.
pub fn apply_scheme_templates(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    library: &Library,
    scheme_id: i64,
    lang: Lang,
) -> AppResult<usize> {
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, now, entries| {
        let s = crate::schemes::find_in_scope(c, &actor.scope, scheme_id)?;
        let n = templates::apply_to_scheme(c, library, &s, today, lang, now)?;
        generate_for_gp(c, ctx, s.gp_id, today, now)?;
        entries.add(
            Action::Create,
            Entity::Plan,
            None,
            Detail::new("audit-detail-plans-from-templates")
                .count("count", n)
                .text("what", &s.code),
        );
        Ok(n)
    })
}

/// Add the usual plans missing from an asset in scope (a new one, typically), plan their
/// tasks, with one audit row; returns how many plans were added.
pub fn apply_asset_templates(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    library: &Library,
    asset_id: i64,
    lang: Lang,
) -> AppResult<usize> {
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, now, entries| {
        let a = crate::schemes::assets::find_in_scope(c, &actor.scope, asset_id)?;
        let s = crate::schemes::find(c, a.scheme_id)?;
        let n = templates::apply_to_asset(c, library, &s, &a, today, lang, now)?;
        generate_for_gp(c, ctx, s.gp_id, today, now)?;
        entries.add(
            Action::Create,
            Entity::Plan,
            None,
            Detail::new("audit-detail-plans-from-templates")
                .count("count", n)
                .named("what", &a.name, a.name_hi.as_deref()),
        );
        Ok(n)
    })
}
