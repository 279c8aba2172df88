//! The O&M fund's cash book per GP: an opening balance, income and expenses entered with a
//! voucher, and the tariff collections, which are the valid payments themselves (posted
//! automatically, never entered twice). A monthly statement runs from the opening to the
//! closing balance; cost recovery is user-charge income over recurring O&M expense in the last
//! 12 months, against JJM's expectation of at least 50%.

use crate::auth::Actor;
use crate::db::schema::{cashbook_entries, payments};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub const KINDS: [&str; 3] = ["opening", "income", "expense"];
pub const INCOME_HEADS: [&str; 5] = [
    "grant_15fc",
    "grant_other",
    "donation",
    "connection",
    "other",
];
pub const EXPENSE_HEADS: [&str; 6] = [
    "electricity",
    "honorarium",
    "repairs",
    "chemicals",
    "water_testing",
    "other",
];
/// JJM expects user charges to cover at least half the recurring O&M cost.
pub const COST_RECOVERY_TARGET_PERCENT: f64 = 50.0;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = cashbook_entries)]
pub struct Entry {
    pub id: i64,
    pub gp_id: i64,
    pub entry_on: NaiveDate,
    /// opening, income or expense.
    pub kind: String,
    /// For income: grant_15fc, grant_other, donation, connection, other; for expenses:
    /// electricity, honorarium, repairs, chemicals, water_testing, other; `opening` for the
    /// opening balance.
    pub head: String,
    pub amount_paise: i64,
    pub voucher_no: Option<String>,
    /// Paid to / received from.
    pub party: Option<String>,
    pub mode: String,
    pub reference: Option<String>,
    pub breakdown_id: Option<i64>,
    pub task_id: Option<i64>,
    pub notes: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancel_reason: Option<String>,
}

/// An entry as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EntryInput {
    /// The GP (place id); a secretary may leave it out.
    pub gp_id: String,
    /// opening, income or expense.
    pub kind: String,
    pub head: String,
    /// Rupees.
    pub amount: String,
    /// YYYY-MM-DD; not in the future.
    pub entry_on: String,
    pub voucher_no: String,
    pub party: String,
    /// cash (default), upi, bank or cheque.
    pub mode: String,
    pub reference: String,
    /// A repair's breakdown or a maintenance task the expense was for.
    pub breakdown_id: String,
    pub task_id: String,
    pub notes: String,
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
    now: NaiveDateTime,
) -> AppResult<Entry> {
    use crate::db::schema::{breakdowns, maintenance_tasks};
    let today = crate::web::i18n::today_in_india(now);
    let mut e = FieldErrors::new();
    let gp_id = actor.scope.gp_named(conn, &input.gp_id)?;
    let Some(gp_id) = gp_id else {
        e.add("gp_id", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    let kind = input.kind.trim();
    if !KINDS.contains(&kind) {
        e.add("kind", "field-invalid-choice");
    }
    let head = match kind {
        "opening" => "opening",
        "income" if INCOME_HEADS.contains(&input.head.trim()) => input.head.trim(),
        "expense" if EXPENSE_HEADS.contains(&input.head.trim()) => input.head.trim(),
        _ => {
            e.add("head", "field-invalid-choice");
            ""
        }
    };
    let amount = match forms::optional_money(&input.amount, "amount", &mut e) {
        Some(p) if p > 0 && p <= super::payments::MAX_PAISE * 100 => p,
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
        "" => "cash",
        m if super::payments::MODES.contains(&m) => m,
        _ => {
            e.add("mode", "field-invalid-choice");
            "cash"
        }
    };
    let breakdown_id = linked(&input.breakdown_id, "breakdown_id", gp_id, &mut e, |id| {
        breakdowns::table
            .find(id)
            .select(breakdowns::gp_id)
            .first::<i64>(conn)
            .ok()
    });
    let task_id = linked(&input.task_id, "task_id", gp_id, &mut e, |id| {
        maintenance_tasks::table
            .find(id)
            .select(maintenance_tasks::gp_id)
            .first::<i64>(conn)
            .ok()
    });
    let voucher_no = forms::optional_text(&input.voucher_no, 50, "voucher_no", &mut e);
    let party = forms::optional_text(&input.party, 200, "party", &mut e);
    let reference = forms::optional_text(&input.reference, 100, "reference", &mut e);
    let notes = forms::optional_text(&input.notes, 2000, "notes", &mut e);
    if kind == "opening" {
        let exists: i64 = cashbook_entries::table
            .filter(cashbook_entries::gp_id.eq(gp_id))
            .filter(cashbook_entries::kind.eq("opening"))
            .filter(cashbook_entries::cancelled_at.is_null())
            .count()
            .get_result(conn)?;
        if exists > 0 {
            e.add("kind", "cashbook-opening-exists");
        }
    }
    e.into_result()?;
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(cashbook_entries::table)
        .values((
            cashbook_entries::gp_id.eq(gp_id),
            cashbook_entries::entry_on.eq(entry_on),
            cashbook_entries::kind.eq(kind),
            cashbook_entries::head.eq(head),
            cashbook_entries::amount_paise.eq(amount),
            cashbook_entries::voucher_no.eq(&voucher_no),
            cashbook_entries::party.eq(&party),
            cashbook_entries::mode.eq(mode),
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

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Entry> {
    cashbook_entries::table
        .find(id)
        .select(Entry::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &crate::auth::Scope, id: i64) -> AppResult<Entry> {
    cashbook_entries::table
        .filter(cashbook_entries::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            cashbook_entries::table,
            cashbook_entries::gp_id
        ))
        .select(Entry::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
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
    let reason = forms::required_text(reason, 500, "reason", &mut e);
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

/// One line of a monthly statement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    pub on: NaiveDate,
    /// income or expense (tariff collections: income with head `tariff`).
    pub kind: String,
    pub head: String,
    /// The entry (none for a day's tariff collections).
    pub entry_id: Option<i64>,
    pub voucher_no: Option<String>,
    pub party: Option<String>,
    pub mode: String,
    /// How many receipts a day's tariff line adds up.
    pub receipts: i64,
    pub income_paise: i64,
    pub expense_paise: i64,
    pub balance_paise: i64,
    pub breakdown_id: Option<i64>,
    pub task_id: Option<i64>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub gp_id: i64,
    /// YYYY-MM.
    pub month: String,
    pub opening_paise: i64,
    pub lines: Vec<StatementLine>,
    pub income_paise: i64,
    pub expense_paise: i64,
    pub closing_paise: i64,
    /// Income and expense per head in the month.
    pub by_head: Vec<HeadTotal>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HeadTotal {
    pub kind: String,
    pub head: String,
    pub amount_paise: i64,
}

fn valid_entries(conn: &mut DbConn, gp_id: i64, before: NaiveDate) -> AppResult<Vec<Entry>> {
    Ok(cashbook_entries::table
        .filter(cashbook_entries::gp_id.eq(gp_id))
        .filter(cashbook_entries::cancelled_at.is_null())
        .filter(cashbook_entries::entry_on.lt(before))
        .order((cashbook_entries::entry_on.asc(), cashbook_entries::id.asc()))
        .select(Entry::as_select())
        .load(conn)?)
}

/// Tariff collections per day in [from, to): (day, receipts, paise).
fn collections(
    conn: &mut DbConn,
    gp_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(NaiveDate, i64, i64)>> {
    let rows: Vec<(NaiveDate, i64)> = payments::table
        .filter(payments::gp_id.eq(gp_id))
        .filter(payments::cancelled_at.is_null())
        .filter(payments::paid_on.ge(from))
        .filter(payments::paid_on.lt(to))
        .order(payments::paid_on.asc())
        .select((payments::paid_on, payments::amount_paise))
        .load(conn)?;
    let mut out: Vec<(NaiveDate, i64, i64)> = vec![];
    for (day, amount) in rows {
        match out.last_mut() {
            Some(last) if last.0 == day => {
                last.1 += 1;
                last.2 += amount;
            }
            _ => out.push((day, 1, amount)),
        }
    }
    Ok(out)
}

fn signed(e: &Entry) -> i64 {
    if e.kind == "expense" {
        -e.amount_paise
    } else {
        e.amount_paise
    }
}

/// The statement of one month (its first day).
pub fn statement(conn: &mut DbConn, gp_id: i64, month: NaiveDate) -> AppResult<Statement> {
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let entries = valid_entries(conn, gp_id, next)?;
    let epoch = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    let before: i64 = entries
        .iter()
        .filter(|e| e.entry_on < month)
        .map(signed)
        .sum::<i64>()
        + collections(conn, gp_id, epoch, month)?
            .iter()
            .map(|c| c.2)
            .sum::<i64>();
    let mut lines: Vec<StatementLine> = entries
        .iter()
        .filter(|e| e.entry_on >= month)
        .map(|e| StatementLine {
            on: e.entry_on,
            kind: if e.kind == "expense" {
                "expense"
            } else {
                "income"
            }
            .into(),
            head: e.head.clone(),
            entry_id: Some(e.id),
            voucher_no: e.voucher_no.clone(),
            party: e.party.clone(),
            mode: e.mode.clone(),
            receipts: 0,
            income_paise: if e.kind == "expense" {
                0
            } else {
                e.amount_paise
            },
            expense_paise: if e.kind == "expense" {
                e.amount_paise
            } else {
                0
            },
            balance_paise: 0,
            breakdown_id: e.breakdown_id,
            task_id: e.task_id,
            notes: e.notes.clone(),
        })
        .collect();
    for (day, receipts, amount) in collections(conn, gp_id, month, next)? {
        lines.push(StatementLine {
            on: day,
            kind: "income".into(),
            head: "tariff".into(),
            entry_id: None,
            voucher_no: None,
            party: None,
            mode: "receipts".into(),
            receipts,
            income_paise: amount,
            expense_paise: 0,
            balance_paise: 0,
            breakdown_id: None,
            task_id: None,
            notes: None,
        });
    }
    // a day's tariff collections come before the day's vouchers
    lines.sort_by_key(|l| (l.on, l.entry_id.is_some(), l.entry_id));
    let mut balance = before;
    let mut by_head: Vec<HeadTotal> = vec![];
    for l in &mut lines {
        balance += l.income_paise - l.expense_paise;
        l.balance_paise = balance;
        let amount = l.income_paise + l.expense_paise;
        match by_head
            .iter_mut()
            .find(|h| h.kind == l.kind && h.head == l.head)
        {
            Some(h) => h.amount_paise += amount,
            None => by_head.push(HeadTotal {
                kind: l.kind.clone(),
                head: l.head.clone(),
                amount_paise: amount,
            }),
        }
    }
    by_head.sort_by(|a, b| (&a.kind, &a.head).cmp(&(&b.kind, &b.head)));
    let income = lines.iter().map(|l| l.income_paise).sum();
    let expense = lines.iter().map(|l| l.expense_paise).sum();
    Ok(Statement {
        gp_id,
        month: month.format("%Y-%m").to_string(),
        opening_paise: before,
        closing_paise: balance,
        income_paise: income,
        expense_paise: expense,
        lines,
        by_head,
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CostRecovery {
    /// The 12 months ending with this one (YYYY-MM).
    pub from: String,
    pub to: String,
    pub user_charges_paise: i64,
    pub om_expense_paise: i64,
    /// Percent, one decimal; none without expenses.
    pub percent: Option<f64>,
    pub target_percent: f64,
    pub met: Option<bool>,
}

/// User-charge income over recurring O&M expense in the 12 months ending with `month`.
pub fn cost_recovery(conn: &mut DbConn, gp_id: i64, month: NaiveDate) -> AppResult<CostRecovery> {
    let to = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let from = month
        .checked_sub_months(chrono::Months::new(11))
        .unwrap_or(month);
    let charges: i64 = collections(conn, gp_id, from, to)?
        .iter()
        .map(|c| c.2)
        .sum();
    let expenses: Vec<i64> = cashbook_entries::table
        .filter(cashbook_entries::gp_id.eq(gp_id))
        .filter(cashbook_entries::kind.eq("expense"))
        .filter(cashbook_entries::cancelled_at.is_null())
        .filter(cashbook_entries::entry_on.ge(from))
        .filter(cashbook_entries::entry_on.lt(to))
        .select(cashbook_entries::amount_paise)
        .load(conn)?;
    let expense: i64 = expenses.iter().sum();
    let percent = super::ledger::percent(charges, expense);
    Ok(CostRecovery {
        from: from.format("%Y-%m").to_string(),
        to: month.format("%Y-%m").to_string(),
        user_charges_paise: charges,
        om_expense_paise: expense,
        percent,
        target_percent: COST_RECOVERY_TARGET_PERCENT,
        met: percent.map(|p| p >= COST_RECOVERY_TARGET_PERCENT),
    })
}
