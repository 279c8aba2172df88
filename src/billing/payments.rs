//! Payments and receipts. A payment gets the next receipt number of its GP and financial year
//! inside its own transaction (a counter row, bumped with `INSERT … ON CONFLICT DO UPDATE …
//! RETURNING`), so concurrent collectors never share or skip a number and a rolled-back payment
//! leaves no gap. How payments settle dues is never stored: the valid payments pay the oldest
//! demands first and the rest is advance credit, worked out whenever it is needed, so a
//! cancellation recomputes every balance. What the receipt said when it was issued (months
//! covered, balance after) is kept on the payment, as printed.

use super::{find_in_scope as find_household, Household};
use crate::auth::{Actor, Scope};
use crate::db::schema::{demands, households, payments, places, receipt_counters};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub const MODES: [&str; 4] = ["cash", "upi", "bank", "cheque"];

/// The most one payment may be: ₹10 lakh (a typing slip, not a tariff, above that).
pub const MAX_PAISE: i64 = 1_000_000 * 100;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    pub gp_id: i64,
    pub household_id: i64,
    /// The financial year, e.g. `2026-27`.
    pub fy: String,
    /// The receipt's number within the GP and year: 1, 2, 3 … with no gaps.
    pub seq: i64,
    /// `<GP LGD>/<fy>/<seq>`, e.g. `23010101/2026-27/000123`.
    pub receipt_no: String,
    pub amount_paise: i64,
    pub paid_on: NaiveDate,
    /// cash, upi, bank or cheque.
    pub mode: String,
    pub reference: Option<String>,
    pub collected_by: String,
    /// The months this payment settled when it was issued (first days), if any.
    pub covers_from: Option<NaiveDate>,
    pub covers_to: Option<NaiveDate>,
    /// The household's balance right after it (negative: advance credit).
    pub balance_after_paise: i64,
    /// The secret part of the shareable receipt link.
    #[serde(skip)]
    pub token: String,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
    pub recorded_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancel_reason: Option<String>,
}

impl Payment {
    pub fn is_valid(&self) -> bool {
        self.cancelled_at.is_none()
    }
}

/// A payment as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PaymentInput {
    /// The household (id).
    pub household_id: String,
    /// Rupees, e.g. "150" or "1,234.50".
    pub amount: String,
    /// YYYY-MM-DD or DD-MM-YYYY; today when left out; never in the future.
    pub paid_on: String,
    /// cash (default), upi, bank or cheque.
    pub mode: String,
    /// The UPI/bank transaction or cheque number: required unless cash.
    pub reference: String,
    /// Who took the money; the person recording it when left out.
    pub collected_by: String,
}

/// The financial year (April to March) a day falls in, as `2026-27`.
pub fn financial_year(d: NaiveDate) -> String {
    let start = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{start}-{:02}", (start + 1) % 100)
}

/// The months `amount` settles when `paid_before` has already gone to the `dues` (month,
/// amount; oldest first): the first and last month it touches, or `None` when it is all
/// advance.
pub fn settles(
    dues: &[(NaiveDate, i64)],
    paid_before: i64,
    amount: i64,
) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (paid_before, paid_before.saturating_add(amount));
    let mut upto = 0i64;
    let mut first = None;
    let mut last = None;
    for (month, due) in dues {
        let start = upto;
        upto += due;
        // this month's share of the running total is (start, upto]
        if upto > from && start < to {
            first.get_or_insert(*month);
            last = Some(*month);
        }
    }
    first.zip(last)
}

/// What a household owes: demanded minus valid payments (negative: advance).
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct Standing {
    pub demanded_paise: i64,
    pub paid_paise: i64,
    pub balance_paise: i64,
}

/// The household's demands, oldest first, as (month, amount with any late fee).
pub fn dues_of(conn: &mut DbConn, household_id: i64) -> AppResult<Vec<(NaiveDate, i64)>> {
    Ok(demands::table
        .filter(demands::household_id.eq(household_id))
        .order(demands::month.asc())
        .select((
            demands::month,
            demands::amount_paise + demands::late_fee_paise,
        ))
        .load(conn)?)
}

fn paid_total(conn: &mut DbConn, household_id: i64) -> AppResult<i64> {
    let amounts: Vec<i64> = payments::table
        .filter(payments::household_id.eq(household_id))
        .filter(payments::cancelled_at.is_null())
        .select(payments::amount_paise)
        .load(conn)?;
    Ok(amounts.iter().sum())
}

pub fn standing(conn: &mut DbConn, household_id: i64) -> AppResult<Standing> {
    let demanded: i64 = dues_of(conn, household_id)?.iter().map(|d| d.1).sum();
    let paid = paid_total(conn, household_id)?;
    Ok(Standing {
        demanded_paise: demanded,
        paid_paise: paid,
        balance_paise: demanded - paid,
    })
}

/// The next receipt number of a GP's financial year. Call it inside the payment's write
/// transaction: the counter row stays locked until the commit, and a rollback undoes the bump.
fn next_receipt_number(conn: &mut DbConn, gp_id: i64, fy: &str) -> AppResult<i64> {
    Ok(crate::on_backend!(conn, |c| diesel::insert_into(
        receipt_counters::table
    )
    .values((
        receipt_counters::gp_id.eq(gp_id),
        receipt_counters::fy.eq(fy),
        receipt_counters::last_number.eq(1_i64),
    ))
    .on_conflict((receipt_counters::gp_id, receipt_counters::fy))
    .do_update()
    .set(receipt_counters::last_number.eq(receipt_counters::last_number + 1))
    .returning(receipt_counters::last_number)
    .get_result::<i64>(c))?)
}

struct Checked {
    household: Household,
    amount: i64,
    paid_on: NaiveDate,
    mode: String,
    reference: Option<String>,
    collected_by: String,
}

fn check(
    conn: &mut DbConn,
    actor: &Actor,
    input: &PaymentInput,
    today: NaiveDate,
) -> AppResult<Checked> {
    let mut e = FieldErrors::new();
    let household = match input.household_id.trim().parse::<i64>() {
        Ok(id) => find_household(conn, &actor.scope, id).ok(),
        Err(_) => None,
    };
    if household.is_none() {
        e.add("household_id", "field-invalid-choice");
    }
    let amount = match forms::optional_money(&input.amount, "amount", &mut e) {
        Some(p) if p <= 0 => {
            e.add("amount", "payment-amount-positive");
            0
        }
        Some(p) if p > MAX_PAISE => {
            e.add("amount", "payment-amount-too-large");
            0
        }
        Some(p) => p,
        None => {
            if !e.has("amount") {
                e.add("amount", "field-required");
            }
            0
        }
    };
    let paid_on = forms::optional_date(&input.paid_on, Some(today), "paid_on", &mut e);
    let paid_on = match (paid_on, &household) {
        (Some(d), Some(h)) if d < h.connected_on => {
            e.add("paid_on", "payment-before-connection");
            today
        }
        (d, _) => d.unwrap_or(today),
    };
    let mode = match input.mode.trim() {
        "" => "cash".to_string(),
        m if MODES.contains(&m) => m.to_string(),
        _ => {
            e.add("mode", "field-invalid-choice");
            "cash".to_string()
        }
    };
    let reference = forms::optional_text(&input.reference, 100, "reference", &mut e);
    if mode != "cash" && reference.is_none() && !e.has("reference") {
        e.add("reference", "payment-reference-required");
    }
    let collected_by = forms::optional_text(&input.collected_by, 100, "collected_by", &mut e)
        .unwrap_or_else(|| actor.user.display_name.clone());
    e.into_result()?;
    Ok(Checked {
        household: household.ok_or(AppError::NotFound)?,
        amount,
        paid_on,
        mode,
        reference,
        collected_by,
    })
}

/// A payment recorded before under this idempotency key by this user, if any.
pub fn find_by_key(conn: &mut DbConn, actor: &Actor, key: &str) -> AppResult<Option<Payment>> {
    Ok(payments::table
        .filter(payments::recorded_by.eq(actor.user.id))
        .filter(payments::idempotency_key.eq(key))
        .select(Payment::as_select())
        .first(conn)
        .optional()?)
}

/// An idempotency key as sent: 1–200 visible ASCII characters.
pub fn check_key(raw: &str) -> AppResult<String> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest("payment-bad-idempotency-key".into()));
    }
    Ok(k.to_string())
}

/// Record a payment and issue its receipt. Run it inside a write transaction (the receipt
/// number is allocated here).
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    input: &PaymentInput,
    idempotency_key: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<Payment> {
    let today = crate::web::i18n::today_in_india(now);
    let c = check(conn, actor, input, today)?;
    let dues = dues_of(conn, c.household.id)?;
    let demanded: i64 = dues.iter().map(|d| d.1).sum();
    let paid_before = paid_total(conn, c.household.id)?;
    let covers = settles(&dues, paid_before, c.amount);
    let fy = financial_year(c.paid_on);
    let seq = next_receipt_number(conn, c.household.gp_id, &fy)?;
    let lgd: i64 = places::table
        .find(c.household.gp_id)
        .select(places::lgd_code)
        .first(conn)?;
    let id: i64 = crate::on_backend!(conn, |x| diesel::insert_into(payments::table)
        .values((
            payments::gp_id.eq(c.household.gp_id),
            payments::household_id.eq(c.household.id),
            payments::fy.eq(&fy),
            payments::seq.eq(seq),
            payments::receipt_no.eq(format!("{lgd}/{fy}/{seq:06}")),
            payments::amount_paise.eq(c.amount),
            payments::paid_on.eq(c.paid_on),
            payments::mode.eq(&c.mode),
            payments::reference.eq(&c.reference),
            payments::collected_by.eq(&c.collected_by),
            payments::covers_from.eq(covers.map(|c| c.0)),
            payments::covers_to.eq(covers.map(|c| c.1)),
            payments::balance_after_paise.eq(demanded - paid_before - c.amount),
            payments::token.eq(crate::auth::random_token()),
            payments::idempotency_key.eq(idempotency_key),
            payments::recorded_by.eq(actor.user.id),
            payments::created_at.eq(now),
        ))
        .returning(payments::id)
        .get_result(x))?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Payment> {
    payments::table
        .find(id)
        .select(Payment::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Payment> {
    payments::table
        .filter(payments::id.eq(id))
        .filter(crate::in_scope!(scope, payments::table, payments::gp_id))
        .select(Payment::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The payment behind a shareable receipt link.
pub fn find_by_token(conn: &mut DbConn, token: &str) -> AppResult<Payment> {
    if token.len() < 20 {
        return Err(AppError::NotFound);
    }
    payments::table
        .filter(payments::token.eq(token))
        .select(Payment::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Cancel a payment: someone other than the person who recorded it, with a reason. The
/// receipt number stays, marked cancelled.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    payment: &Payment,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Payment> {
    if payment.cancelled_at.is_some() {
        return Err(AppError::Conflict("payment-already-cancelled".into()));
    }
    if payment.recorded_by == Some(actor.user.id) {
        return Err(AppError::Conflict("payment-cancel-own".into()));
    }
    let mut e = FieldErrors::new();
    let reason = forms::required_text(reason, 500, "reason", &mut e);
    e.into_result()?;
    // the row is re-checked in the update so two cancellations cannot both succeed
    let n = diesel::update(
        payments::table
            .filter(payments::id.eq(payment.id))
            .filter(payments::cancelled_at.is_null()),
    )
    .set((
        payments::cancelled_at.eq(now),
        payments::cancelled_by.eq(actor.user.id),
        payments::cancel_reason.eq(reason),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::Conflict("payment-already-cancelled".into()));
    }
    find(conn, payment.id)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct PaymentFilter {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub household: Option<i64>,
    /// From this day (YYYY-MM-DD).
    #[serde(default)]
    pub from: Option<String>,
    /// Up to this day.
    #[serde(default)]
    pub to: Option<String>,
    /// cash, upi, bank or cheque.
    #[serde(default)]
    pub mode: Option<String>,
    /// valid or cancelled.
    #[serde(default)]
    pub status: Option<String>,
    /// Receipt number, connection number or name.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// A payment with its household, as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaymentRow {
    #[serde(flatten)]
    pub payment: Payment,
    pub connection_no: String,
    pub head_name: String,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &PaymentFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<PaymentRow>, i64)> {
    let from = f.from.as_deref().and_then(forms::parse_date);
    let to = f.to.as_deref().and_then(forms::parse_date);
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(crate::db::like_pattern);
    let build = || {
        let mut b = payments::table.into_boxed().filter(crate::in_scope!(
            scope,
            payments::table,
            payments::gp_id
        ));
        if let Some(h) = f.household {
            b = b.filter(payments::household_id.eq(h));
        }
        if let Some(d) = from {
            b = b.filter(payments::paid_on.ge(d));
        }
        if let Some(d) = to {
            b = b.filter(payments::paid_on.le(d));
        }
        if let Some(m) = f.mode.as_deref().filter(|m| !m.is_empty()) {
            b = b.filter(payments::mode.eq(m.to_string()));
        }
        match f.status.as_deref() {
            Some("valid") => b = b.filter(payments::cancelled_at.is_null()),
            Some("cancelled") => b = b.filter(payments::cancelled_at.is_not_null()),
            _ => {}
        }
        if let Some(p) = &q {
            let named = households::table
                .filter(
                    crate::db::lower(households::connection_no)
                        .like(p.clone())
                        .or(crate::db::lower(households::head_name).like(p.clone())),
                )
                .select(households::id);
            b = b.filter(
                crate::db::lower(payments::receipt_no)
                    .like(p.clone())
                    .or(payments::household_id.eq_any(named)),
            );
        }
        b
    };
    let total = build().count().get_result(conn)?;
    let rows: Vec<Payment> = build()
        .order((payments::paid_on.desc(), payments::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(Payment::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|p| p.household_id).collect();
    let names: std::collections::HashMap<i64, (String, String)> = households::table
        .filter(households::id.eq_any(&ids))
        .select((
            households::id,
            (households::connection_no, households::head_name),
        ))
        .load::<(i64, (String, String))>(conn)?
        .into_iter()
        .collect();
    Ok((
        rows.into_iter()
            .map(|payment| {
                let (connection_no, head_name) = names
                    .get(&payment.household_id)
                    .cloned()
                    .unwrap_or_default();
                PaymentRow {
                    payment,
                    connection_no,
                    head_name,
                }
            })
            .collect(),
        total,
    ))
}

/// Record a payment once per idempotency key: a retried request (the phone lost the answer)
/// gets the payment recorded the first time, with `true`. The same key for a different
/// household or amount is a conflict.
pub async fn record_once(
    state: &actix_web::web::Data<crate::web::AppState>,
    actor: &Actor,
    ip: String,
    input: PaymentInput,
    key: Option<String>,
) -> AppResult<(Payment, bool)> {
    let replay = |p: Payment, input: &PaymentInput| -> AppResult<(Payment, bool)> {
        let same_household = input.household_id.trim() == p.household_id.to_string();
        let same_amount = crate::web::i18n::parse_money(&input.amount) == Some(p.amount_paise);
        if same_household && same_amount {
            Ok((p, true))
        } else {
            Err(AppError::Conflict("payment-key-reused".into()))
        }
    };
    if let Some(k) = key.clone() {
        let a = actor.clone();
        if let Some(p) = state.db.run(move |c| find_by_key(c, &a, &k)).await? {
            return replay(p, &input);
        }
    }
    let now = state.clock.now();
    let (k2, input2) = (key.clone(), input.clone());
    let result = crate::audit::write_audited(state, actor, ip, "create", "payment", move |c, a| {
        let p = record(c, a, &input2, k2.as_deref(), now)?;
        let summary = format!(
            "{} {}",
            p.receipt_no,
            crate::web::i18n::format_money(p.amount_paise)
        );
        Ok((p.clone(), Some(p.id), summary))
    })
    .await;
    match (result, key) {
        (Ok(p), _) => Ok((p, false)),
        // the same key raced in from a second request: answer with the first one's payment
        (
            Err(AppError::Db(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))),
            Some(k),
        ) => {
            let a = actor.clone();
            match state.db.run(move |c| find_by_key(c, &a, &k)).await? {
                Some(p) => replay(p, &input),
                None => Err(AppError::Conflict("payment-retry".into())),
            }
        }
        (Err(e), _) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    #[test]
    fn financial_years_turn_in_april() {
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(financial_year(day(2026, 4, 1)), "2026-27");
        assert_eq!(financial_year(day(2027, 3, 31)), "2026-27");
        assert_eq!(financial_year(day(2026, 3, 31)), "2025-26");
        assert_eq!(financial_year(day(1999, 12, 1)), "1999-00");
    }

    #[test]
    fn payments_settle_the_oldest_months_first() {
        let dues = [(d(2026, 4), 5000), (d(2026, 5), 5000), (d(2026, 6), 5000)];
        // exactly the first month
        assert_eq!(settles(&dues, 0, 5000), Some((d(2026, 4), d(2026, 4))));
        // a part of the first month
        assert_eq!(settles(&dues, 0, 1), Some((d(2026, 4), d(2026, 4))));
        // the rest of April and a part of May
        assert_eq!(settles(&dues, 1, 5000), Some((d(2026, 4), d(2026, 5))));
        // after April is paid, May and June, then advance
        assert_eq!(settles(&dues, 5000, 20000), Some((d(2026, 5), d(2026, 6))));
        // everything paid already: all advance
        assert_eq!(settles(&dues, 15000, 100), None);
        assert_eq!(settles(&[], 0, 100), None);
    }
}
