//! The cash book's rows and queries: an entry, find in a scope, a month's statement (entries
//! and the day's tariff collections with the running balance) and the 12 months' cost
//! recovery.

use super::{Kind, COST_RECOVERY_TARGET_PERCENT};
use crate::db::schema::{cashbook_entries, payments};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = cashbook_entries, treat_none_as_default_value = false)]
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
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancel_reason: Option<String>,
}

impl Entry {
    pub fn is_expense(&self) -> bool {
        self.kind == Kind::Expense.as_str()
    }
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

/// When an entry last changed: an entry once written changes only by its cancellation
/// (nothing else updates `cashbook_entries`, and entries are never deleted).
fn changed_at(
) -> crate::db::coalesce_time<cashbook_entries::cancelled_at, cashbook_entries::created_at> {
    crate::db::coalesce_time(cashbook_entries::cancelled_at, cashbook_entries::created_at)
}

impl Entry {
    /// When it last changed (see [`changed_at`]).
    pub fn changed_at(&self) -> NaiveDateTime {
        self.cancelled_at.unwrap_or(self.created_at)
    }
}

/// Entries inside `scope` (of one GP, when given) changed since `changes`, in change order:
/// `limit` from `offset`, and how many match.
pub fn changed_entries(
    conn: &mut DbConn,
    scope: &crate::auth::Scope,
    gp: Option<i64>,
    changes: crate::web::sync::Changes,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Entry>, i64)> {
    let build = || {
        let mut q = cashbook_entries::table
            .into_boxed()
            .filter(crate::in_scope!(
                scope,
                cashbook_entries::table,
                cashbook_entries::gp_id
            ));
        if let Some(g) = gp {
            q = q.filter(cashbook_entries::gp_id.eq(g));
        }
        crate::changed_since!(q, Some(changes), changed_at(), cashbook_entries::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        Some(changes),
        changed_at(),
        cashbook_entries::id,
        cashbook_entries::id.asc()
    )
    .offset(offset)
    .limit(limit)
    .select(Entry::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// The live (not cancelled) entry recorded for a repair or a task, if there is one: the work's
/// page links to it, and recording the work's cost again finds it instead of adding another.
pub fn entry_for(conn: &mut DbConn, link: super::WorkLink) -> AppResult<Option<Entry>> {
    let q = cashbook_entries::table
        .filter(cashbook_entries::cancelled_at.is_null())
        .select(Entry::as_select())
        .order(cashbook_entries::id.asc());
    Ok(match link {
        super::WorkLink::Breakdown(id) => q
            .filter(cashbook_entries::breakdown_id.eq(id))
            .first(conn)
            .optional()?,
        super::WorkLink::Task(id) => q
            .filter(cashbook_entries::task_id.eq(id))
            .first(conn)
            .optional()?,
    })
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
    /// The linked breakdown's number, as the complaint slip shows it.
    pub breakdown_number: Option<String>,
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
    if e.is_expense() {
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
            kind: if e.is_expense() {
                Kind::Expense
            } else {
                Kind::Income
            }
            .as_str()
            .into(),
            head: e.head.clone(),
            entry_id: Some(e.id),
            voucher_no: e.voucher_no.clone(),
            party: e.party.clone(),
            mode: e.mode.clone(),
            receipts: 0,
            income_paise: if e.is_expense() { 0 } else { e.amount_paise },
            expense_paise: if e.is_expense() { e.amount_paise } else { 0 },
            balance_paise: 0,
            breakdown_id: e.breakdown_id,
            breakdown_number: None,
            task_id: e.task_id,
            notes: e.notes.clone(),
        })
        .collect();
    for (day, receipts, amount) in collections(conn, gp_id, month, next)? {
        lines.push(StatementLine {
            on: day,
            kind: Kind::Income.as_str().into(),
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
            breakdown_number: None,
            task_id: None,
            notes: None,
        });
    }
    let linked: Vec<i64> = lines.iter().filter_map(|l| l.breakdown_id).collect();
    if !linked.is_empty() {
        use crate::db::schema::breakdowns;
        let numbers: std::collections::HashMap<i64, String> = breakdowns::table
            .filter(breakdowns::id.eq_any(&linked))
            .select((breakdowns::id, breakdowns::number))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        for l in &mut lines {
            l.breakdown_number = l.breakdown_id.and_then(|id| numbers.get(&id).cloned());
        }
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

/// The live expenses of a GP's book linked to one scheme's breakdowns or maintenance tasks,
/// entered in [`from`, `to`): (entry, day, paise), oldest first. The scheme page's O&M costs
/// and the cash book filtered to the scheme both read them here.
pub fn scheme_expenses(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i64, NaiveDate, i64)>> {
    use crate::db::schema::{breakdowns, maintenance_tasks};
    // (the GP first: the indexes on breakdowns and tasks lead with it)
    let its_breakdowns = breakdowns::table
        .filter(breakdowns::gp_id.eq(gp_id))
        .filter(breakdowns::scheme_id.eq(scheme_id))
        .select(breakdowns::id.nullable());
    let its_tasks = maintenance_tasks::table
        .filter(maintenance_tasks::gp_id.eq(gp_id))
        .filter(maintenance_tasks::scheme_id.eq(scheme_id))
        .select(maintenance_tasks::id.nullable());
    let e = cashbook_entries::table;
    Ok(e.filter(cashbook_entries::gp_id.eq(gp_id))
        .filter(cashbook_entries::kind.eq(Kind::Expense.as_str()))
        .filter(cashbook_entries::cancelled_at.is_null())
        .filter(cashbook_entries::entry_on.ge(from))
        .filter(cashbook_entries::entry_on.lt(to))
        .filter(
            cashbook_entries::breakdown_id
                .eq_any(its_breakdowns)
                .or(cashbook_entries::task_id.eq_any(its_tasks)),
        )
        .order((cashbook_entries::entry_on.asc(), cashbook_entries::id.asc()))
        .select((
            cashbook_entries::id,
            cashbook_entries::entry_on,
            cashbook_entries::amount_paise,
        ))
        .load(conn)?)
}

/// A scheme's O&M costs in the book: a month's and the 12 months' to it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchemeCosts {
    pub scheme_id: i64,
    /// The first month of the 12 (YYYY-MM); the last is the statement's.
    pub from: String,
    pub month_paise: i64,
    pub last_12_months_paise: i64,
    pub entries_12_months: usize,
}

/// The month's statement with only the expenses linked to the scheme's breakdowns and tasks
/// (no tariff income, no other entry): its lines keep their days, heads and links; the
/// opening is zero and the balance column is what the scheme has cost so far in the month
/// (pages do not show it). With the scheme's 12 months' costs to that month.
pub fn scheme_statement(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    month: NaiveDate,
) -> AppResult<(Statement, SchemeCosts)> {
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let from = month
        .checked_sub_months(chrono::Months::new(11))
        .unwrap_or(month);
    let year = scheme_expenses(conn, gp_id, scheme_id, from, next)?;
    let ids: std::collections::HashSet<i64> =
        year.iter().filter(|e| e.1 >= month).map(|e| e.0).collect();
    let mut s = statement(conn, gp_id, month)?;
    s.lines
        .retain(|l| l.entry_id.is_some_and(|id| ids.contains(&id)));
    let mut spent = 0;
    for l in &mut s.lines {
        spent += l.expense_paise;
        l.balance_paise = spent;
    }
    s.by_head
        .retain(|h| s.lines.iter().any(|l| l.kind == h.kind && l.head == h.head));
    for h in &mut s.by_head {
        h.amount_paise = s
            .lines
            .iter()
            .filter(|l| l.kind == h.kind && l.head == h.head)
            .map(|l| l.expense_paise)
            .sum();
    }
    s.opening_paise = 0;
    s.income_paise = 0;
    s.expense_paise = spent;
    s.closing_paise = spent;
    let costs = SchemeCosts {
        scheme_id,
        from: from.format("%Y-%m").to_string(),
        month_paise: spent,
        last_12_months_paise: year.iter().map(|e| e.2).sum(),
        entries_12_months: year.len(),
    };
    Ok((s, costs))
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
        .filter(cashbook_entries::kind.eq(Kind::Expense.as_str()))
        .filter(cashbook_entries::cancelled_at.is_null())
        .filter(cashbook_entries::entry_on.ge(from))
        .filter(cashbook_entries::entry_on.lt(to))
        .select(cashbook_entries::amount_paise)
        .load(conn)?;
    let expense: i64 = expenses.iter().sum();
    let percent = crate::billing::ledger::percent(charges, expense);
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CashbookView {
    /// With `scheme`: only the expenses linked to that scheme's work (see [`scheme_statement`]).
    pub statement: Statement,
    /// The scheme the book is filtered to, and its costs.
    pub scheme: Option<SchemeCosts>,
    pub cost_recovery: CostRecovery,
    /// Recent repairs and tasks of the GP with a cost not yet in the book, to pick from.
    pub unrecorded: UnrecordedWork,
}

/// A repair or a task whose cost is not in the cash book yet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkCost {
    /// What the entry form's field takes: the breakdown's number, or the task's id.
    pub value: String,
    /// The breakdown's description or the work's title.
    pub what: String,
    pub on: NaiveDate,
    pub cost_paise: i64,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct UnrecordedWork {
    pub breakdowns: Vec<WorkCost>,
    pub tasks: Vec<WorkCost>,
}

/// The GP's repairs resolved and tasks done since `since` whose cost no live entry of the book
/// carries yet, newest first (at most 50 of each).
pub fn unrecorded_work(
    conn: &mut DbConn,
    gp_id: i64,
    since: NaiveDate,
) -> AppResult<UnrecordedWork> {
    use crate::db::schema::{breakdowns, maintenance_logs, maintenance_tasks};
    use diesel::dsl::{exists, not};
    let from = since.and_hms_opt(0, 0, 0).unwrap_or_default();
    let repairs: Vec<(String, String, NaiveDateTime, i64)> = breakdowns::table
        .filter(breakdowns::gp_id.eq(gp_id))
        .filter(breakdowns::cost_paise.gt(0))
        .filter(breakdowns::resolved_at.ge(from))
        .filter(not(exists(
            cashbook_entries::table
                .filter(cashbook_entries::breakdown_id.eq(breakdowns::id.nullable()))
                .filter(cashbook_entries::cancelled_at.is_null()),
        )))
        .order(breakdowns::resolved_at.desc())
        .limit(50)
        .select((
            breakdowns::number,
            breakdowns::description,
            breakdowns::resolved_at.assume_not_null(),
            breakdowns::cost_paise.assume_not_null(),
        ))
        .load(conn)?;
    let tasks: Vec<(i64, String, NaiveDate, i64)> = maintenance_tasks::table
        .inner_join(
            maintenance_logs::table.on(maintenance_logs::id
                .nullable()
                .eq(maintenance_tasks::log_id)),
        )
        .filter(maintenance_tasks::gp_id.eq(gp_id))
        .filter(maintenance_logs::cost_paise.gt(0))
        .filter(maintenance_logs::done_on.ge(since))
        .filter(not(exists(
            cashbook_entries::table
                .filter(cashbook_entries::task_id.eq(maintenance_tasks::id.nullable()))
                .filter(cashbook_entries::cancelled_at.is_null()),
        )))
        .order(maintenance_logs::done_on.desc())
        .limit(50)
        .select((
            maintenance_tasks::id,
            maintenance_logs::title,
            maintenance_logs::done_on,
            maintenance_logs::cost_paise.assume_not_null(),
        ))
        .load(conn)?;
    Ok(UnrecordedWork {
        breakdowns: repairs
            .into_iter()
            .map(|(number, what, at, cost)| WorkCost {
                value: number,
                what: what.chars().take(60).collect(),
                on: crate::web::i18n::today_in_india(at),
                cost_paise: cost,
            })
            .collect(),
        tasks: tasks
            .into_iter()
            .map(|(id, what, on, cost)| WorkCost {
                value: id.to_string(),
                what,
                on,
                cost_paise: cost,
            })
            .collect(),
    })
}
