//! The cash book's use cases: adding an entry (its checks: the kind's heads, one opening
//! balance, a linked breakdown or task of the same GP) and cancelling one, each one audited
//! transaction over a `Ctx`; and the statement with cost recovery of a GP's month.

use super::model::{cost_recovery, entry_for, find, find_in_scope, statement, CashbookView, Entry};
use super::{CashbookQuery, EntryInput, Kind, WorkLink};
use crate::audit::{audited, Action, By, Detail, Entity, Log};
use crate::auth::{Actor, Verb};
use crate::billing::ledger;
use crate::billing::payments::Mode;
use crate::config::MoneyLimits;
use crate::context::Ctx;
use crate::db::schema::cashbook_entries;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Add a cash book entry with its audit line (the API and the page).
pub fn add_entry(ctx: &Ctx, actor: &Actor, ip: &str, input: &EntryInput) -> AppResult<Entry> {
    actor.require(Verb::ManageBilling)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let e = create(c, actor, input, ctx.config.money, now)?;
        log.add(
            Action::Create,
            Entity::CashbookEntry,
            Some(e.id),
            entry_detail(
                "audit-detail-cashbook-entry",
                &e.kind,
                &e.head,
                e.amount_paise,
            ),
        );
        Ok(e)
    })
}

/// Cancel a cash book entry in the actor's scope, with its audit line (the API and the page).
pub fn cancel_entry(ctx: &Ctx, actor: &Actor, ip: &str, id: i64, reason: &str) -> AppResult<Entry> {
    actor.require(Verb::ManageBilling)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let e = find_in_scope(c, &actor.scope, id)?;
        let e = cancel(c, actor, &e, reason, now)?;
        log.add(
            Action::Cancel,
            Entity::CashbookEntry,
            Some(id),
            entry_detail(
                "audit-detail-cashbook-cancel",
                &e.kind,
                &e.head,
                e.amount_paise,
            )
            .text("reason", reason.trim()),
        );
        Ok(e)
    })
}

/// A cash book entry as the log names it: its kind, head and amount (`key` may add more).
fn entry_detail(key: &str, kind: &str, head: &str, amount_paise: i64) -> Detail {
    Detail::new(key)
        .word("kind", format!("cashbook-{kind}"))
        .word("head", format!("cashbook-head-{kind}-{head}"))
        .money("amount", amount_paise)
}

/// The statement and cost recovery for a GP in the actor's scope (the API and the page).
/// Pulling changes from the cash book: the entries in scope (of the GP `q.gp` names, which
/// must be in scope) written or cancelled since `changes`. A month or a scheme choose a
/// statement, not changes: with them this is a bad request.
pub fn changed_entries(
    ctx: &Ctx,
    actor: &Actor,
    q: &CashbookQuery,
    changes: crate::web::sync::Changes,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Entry>, i64)> {
    actor.require(Verb::ViewBilling)?;
    if !q.month.trim().is_empty() || !q.scheme.trim().is_empty() {
        return Err(AppError::BadRequest("sync-cashbook-statement-only".into()));
    }
    let c = &mut ctx.db.conn()?;
    let gp = match actor.scope.gp_named(c, &q.gp)? {
        Some(g) => Some(g),
        None if q.gp.trim().is_empty() => None,
        None => return Err(AppError::NotFound),
    };
    super::model::changed_entries(c, &actor.scope, gp, changes, page.offset(), page.limit())
}

pub fn view(ctx: &Ctx, actor: &Actor, q: &CashbookQuery) -> AppResult<CashbookView> {
    actor.require(Verb::ViewBilling)?;
    let today = today_in_india(ctx.now());
    let month = crate::web::forms::parse_month(&q.month)
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let c = &mut ctx.db.conn()?;
    // a scheme in scope: its GP's book, only its work's expenses
    let scheme = match q.scheme.trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().map_err(|_| AppError::NotFound)?;
            Some(crate::schemes::model::find_in_scope(c, &actor.scope, id)?)
        }
    };
    if let Some(s) = &scheme {
        if !q.gp.trim().is_empty() && actor.scope.gp_named(c, &q.gp)? != Some(s.gp_id) {
            return Err(AppError::NotFound);
        }
        let (statement, costs) = super::model::scheme_statement(c, s.gp_id, s.id, month)?;
        return Ok(CashbookView {
            statement,
            scheme: Some(costs),
            cost_recovery: cost_recovery(c, s.gp_id, month)?,
            unrecorded: super::model::unrecorded_work(
                c,
                s.gp_id,
                today - chrono::Duration::days(180),
            )?,
        });
    }
    // the GP asked for, else the caller's own, else the first one in scope
    let gp = match actor.scope.gp_named(c, &q.gp)? {
        Some(g) => g,
        None if q.gp.trim().is_empty() => ledger::gp_ids(c, &actor.scope, None)?
            .first()
            .copied()
            .ok_or(AppError::NotFound)?,
        None => return Err(AppError::NotFound),
    };
    Ok(CashbookView {
        statement: statement(c, gp, month)?,
        scheme: None,
        cost_recovery: cost_recovery(c, gp, month)?,
        unrecorded: super::model::unrecorded_work(c, gp, today - chrono::Duration::days(180))?,
    })
}

/// The breakdown an entry is for, typed as its number (`23010101-B24`, as on its page and the
/// complaint slip) or, as before, the id in the app; it must belong to the entry's GP.
fn breakdown_named(
    conn: &mut DbConn,
    gp_id: i64,
    raw: &str,
    e: &mut FieldErrors,
) -> AppResult<Option<i64>> {
    use crate::db::schema::breakdowns;
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let by_number = breakdowns::table
        .filter(breakdowns::gp_id.eq(gp_id))
        .filter(breakdowns::number.eq(raw.to_uppercase()))
        .select(breakdowns::id)
        .first::<i64>(conn)
        .optional()?;
    let found = match (by_number, raw.parse::<i64>()) {
        (Some(id), _) => Some(id),
        (None, Ok(id)) => breakdowns::table
            .filter(breakdowns::gp_id.eq(gp_id))
            .filter(breakdowns::id.eq(id))
            .select(breakdowns::id)
            .first::<i64>(conn)
            .optional()?,
        (None, Err(_)) => None,
    };
    if found.is_none() {
        e.add_with(
            "breakdown_id",
            "cashbook-breakdown-unknown",
            &[("number", raw.to_string())],
        );
    }
    Ok(found)
}

/// Inside a transaction: the cost of a repair or of a maintenance task recorded once as an
/// O&M expense linked to the work (the step that records the cost offers it). When the work
/// already has a live entry, that entry comes back and nothing is added: `(entry, added)`.
/// A new entry gets its own audit row (in `log`); `what` (the breakdown's number, the task's title) goes
/// in its notes and the audit line.
#[allow(clippy::too_many_arguments)]
pub fn record_work_cost(
    conn: &mut DbConn,
    actor: &Actor,
    log: &mut Log,
    gp_id: i64,
    link: WorkLink,
    head: &str,
    amount_paise: i64,
    on: NaiveDate,
    notes: &str,
    money: MoneyLimits,
    now: NaiveDateTime,
) -> AppResult<(Entry, bool)> {
    actor.require(Verb::ManageBilling)?;
    if let Some(prior) = entry_for(conn, link)? {
        return Ok((prior, false));
    }
    let (breakdown_id, task_id) = match link {
        WorkLink::Breakdown(id) => (id.to_string(), String::new()),
        WorkLink::Task(id) => (String::new(), id.to_string()),
    };
    let input = EntryInput {
        gp_id: gp_id.to_string(),
        kind: Kind::Expense.as_str().into(),
        head: head.into(),
        amount: crate::web::csv::rupees(amount_paise),
        entry_on: on.format("%Y-%m-%d").to_string(),
        breakdown_id,
        task_id,
        notes: notes.chars().take(crate::web::forms::max::TEXT).collect(),
        ..EntryInput::default()
    };
    let entry = create(conn, actor, &input, money, now)?;
    log.add(
        Action::Create,
        Entity::CashbookEntry,
        Some(entry.id),
        entry_detail(
            "audit-detail-cashbook-work",
            &entry.kind,
            &entry.head,
            entry.amount_paise,
        )
        .text("notes", notes.chars().take(120).collect::<String>()),
    );
    Ok((entry, true))
}

fn linked(
    raw: &str,
    field: &str,
    gp_id: i64,
    e: &mut FieldErrors,
    find_gp: impl FnOnce(i64) -> Option<i64>,
) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw
        .parse::<i64>()
        .ok()
        .filter(|id| find_gp(*id) == Some(gp_id))
    {
        Some(id) => Some(id),
        None => {
            e.add(field, "field-invalid-choice");
            None
        }
    }
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: &EntryInput,
    money: MoneyLimits,
    now: NaiveDateTime,
) -> AppResult<Entry> {
    use crate::db::schema::maintenance_tasks;
    let today = crate::web::i18n::today_in_india(now);
    let mut e = FieldErrors::new();
    let gp_id = actor.scope.gp_named(conn, &input.gp_id)?;
    let Some(gp_id) = gp_id else {
        e.add("gp_id", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        e.add("kind", "field-invalid-choice");
    }
    let head = match kind {
        Some(Kind::Opening) => Kind::Opening.as_str(),
        Some(k) if k.heads().contains(&input.head.trim()) => input.head.trim(),
        _ => {
            e.add("head", "field-invalid-choice");
            ""
        }
    };
    // an expense is a bill like any other; an opening balance or a grant may be far larger
    let max = match kind {
        Some(Kind::Expense) => money.amount_paise(),
        _ => money.capital_paise(),
    };
    let amount = match forms::optional_money(&input.amount, max, "amount", &mut e) {
        Some(p) if p > 0 => p,
        Some(_) => {
            e.add("amount", "payment-amount-positive");
            0
        }
        None => {
            if !e.has("amount") {
                e.add("amount", "field-required");
            }
            0
        }
    };
    let entry_on =
        forms::optional_date(&input.entry_on, Some(today), "entry_on", &mut e).unwrap_or(today);
    let mode = match input.mode.trim() {
        "" => Mode::Cash,
        m => Mode::parse(m).unwrap_or_else(|| {
            e.add("mode", "field-invalid-choice");
            Mode::Cash
        }),
    };
    let breakdown_id = breakdown_named(conn, gp_id, &input.breakdown_id, &mut e)?;
    let task_id = linked(&input.task_id, "task_id", gp_id, &mut e, |id| {
        maintenance_tasks::table
            .find(id)
            .select(maintenance_tasks::gp_id)
            .first::<i64>(conn)
            .ok()
    });
    let voucher_no = forms::optional_text(
        &input.voucher_no,
        crate::web::forms::max::VOUCHER,
        "voucher_no",
        &mut e,
    );
    let party = forms::optional_text(&input.party, crate::web::forms::max::LINE, "party", &mut e);
    let reference = forms::optional_text(
        &input.reference,
        crate::web::forms::max::REFERENCE,
        "reference",
        &mut e,
    );
    let notes = forms::optional_text(&input.notes, crate::web::forms::max::TEXT, "notes", &mut e);
    if kind == Some(Kind::Expense) {
        for (link, field) in [
            (breakdown_id.map(WorkLink::Breakdown), "breakdown_id"),
            (task_id.map(WorkLink::Task), "task_id"),
        ] {
            if let Some(prior) = link.map(|l| entry_for(conn, l)).transpose()?.flatten() {
                e.add_with(
                    field,
                    "cashbook-work-already-recorded",
                    &[
                        ("date", crate::web::i18n::format_date(prior.entry_on)),
                        ("amount", crate::web::i18n::format_money(prior.amount_paise)),
                    ],
                );
            }
        }
    }
    if kind == Some(Kind::Opening) {
        let exists: i64 = cashbook_entries::table
            .filter(cashbook_entries::gp_id.eq(gp_id))
            .filter(cashbook_entries::kind.eq(Kind::Opening.as_str()))
            .filter(cashbook_entries::cancelled_at.is_null())
            .count()
            .get_result(conn)?;
        if exists > 0 {
            e.add("kind", "cashbook-opening-exists");
        }
    }
    e.into_result()?;
    let kind = kind.expect("checked").as_str();
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(cashbook_entries::table)
        .values((
            cashbook_entries::gp_id.eq(gp_id),
            cashbook_entries::entry_on.eq(entry_on),
            cashbook_entries::kind.eq(kind),
            cashbook_entries::head.eq(head),
            cashbook_entries::amount_paise.eq(amount),
            cashbook_entries::voucher_no.eq(&voucher_no),
            cashbook_entries::party.eq(&party),
            cashbook_entries::mode.eq(mode.as_str()),
            cashbook_entries::reference.eq(&reference),
            cashbook_entries::breakdown_id.eq(breakdown_id),
            cashbook_entries::task_id.eq(task_id),
            cashbook_entries::notes.eq(&notes),
            cashbook_entries::created_by.eq(actor.user.id),
            cashbook_entries::created_at.eq(now),
        ))
        .returning(cashbook_entries::id)
        .get_result(c))?;
    find(conn, id)
}

/// Cancel a wrong entry (it stays in the book, struck out).
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    entry: &Entry,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Entry> {
    let mut e = FieldErrors::new();
    let reason = forms::required_text(reason, crate::web::forms::max::REASON, "reason", &mut e);
    e.into_result()?;
    let n = diesel::update(
        cashbook_entries::table
            .filter(cashbook_entries::id.eq(entry.id))
            .filter(cashbook_entries::cancelled_at.is_null()),
    )
    .set((
        cashbook_entries::cancelled_at.eq(now),
        cashbook_entries::cancelled_by.eq(actor.user.id),
        cashbook_entries::cancel_reason.eq(reason),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::Conflict("cashbook-already-cancelled".into()));
    }
    find(conn, entry.id)
}
