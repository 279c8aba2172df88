//! Payments' rows and queries: a payment, a household's dues and standing, the receipt
//! counter, find (by id, scope, idempotency key or receipt link), the list in a scope, and a
//! payment's receipt as printed.

use crate::auth::{Actor, Scope};
use crate::db::schema::{demands, households, payments, receipt_counters};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::web::forms;
use crate::web::i18n::{format_money, I18n, Lang};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = payments, treat_none_as_default_value = false)]
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
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancel_reason: Option<String>,
}

impl Payment {
    pub fn is_valid(&self) -> bool {
        self.cancelled_at.is_none()
    }
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

pub fn paid_total(conn: &mut DbConn, household_id: i64) -> AppResult<i64> {
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

/// A GP's last receipt number in a financial year (see [`next_receipt_number`]).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = receipt_counters, treat_none_as_default_value = false)]
pub struct ReceiptCounter {
    pub gp_id: i64,
    pub fy: String,
    pub last_number: i64,
}

/// The next receipt number of a GP's financial year. Call it inside the payment's write
/// transaction: the counter row stays locked until the commit, and a rollback undoes the bump.
pub fn next_receipt_number(conn: &mut DbConn, gp_id: i64, fy: &str) -> AppResult<i64> {
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

/// A payment recorded before under this idempotency key by this user, if any.
pub fn find_by_key(conn: &mut DbConn, actor: &Actor, key: &str) -> AppResult<Option<Payment>> {
    Ok(payments::table
        .filter(payments::recorded_by.eq(actor.user.id))
        .filter(payments::idempotency_key.eq(key))
        .select(Payment::as_select())
        .first(conn)
        .optional()?)
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

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// A payment with its household, as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaymentRow {
    #[serde(flatten)]
    pub payment: Payment,
    pub connection_no: String,
    pub head_name: String,
}

/// When a payment last changed: a receipt once issued changes only by its cancellation.
fn changed_at() -> crate::db::coalesce_time<payments::cancelled_at, payments::created_at> {
    crate::db::coalesce_time(payments::cancelled_at, payments::created_at)
}

impl Payment {
    /// When it last changed (see [`changed_at`]): cancelled, else issued.
    pub fn changed_at(&self) -> NaiveDateTime {
        self.cancelled_at.unwrap_or(self.created_at)
    }
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
                        .escape(crate::db::LIKE_ESCAPE)
                        .or(crate::db::lower(households::head_name)
                            .like(p.clone())
                            .escape(crate::db::LIKE_ESCAPE)),
                )
                .select(households::id);
            b = b.filter(
                crate::db::lower(payments::receipt_no)
                    .like(p.clone())
                    .escape(crate::db::LIKE_ESCAPE)
                    .or(payments::household_id.eq_any(named)),
            );
        }
        crate::changed_since!(b, f.changes, changed_at(), payments::id)
    };
    let total = build().count().get_result(conn)?;
    let rows: Vec<Payment> = crate::sync_order!(
        build(),
        f.changes,
        changed_at(),
        payments::id,
        (payments::paid_on.desc(), payments::id.desc())
    )
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

/// Everything a printed receipt shows, in one language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub payment: Payment,
    pub gp_name: String,
    pub gp_lgd_code: i64,
    pub village: String,
    pub connection_no: String,
    pub head_name: String,
    /// The months the payment settled, as words ("Apr 2026 – Jun 2026"), or empty.
    pub months: String,
    /// ₹1,23,456.50
    pub amount: String,
    pub amount_words: String,
    pub balance_after: String,
    /// True when the balance after was advance credit.
    pub advance: bool,
    /// The shareable link, `<server.base_url>/r/<token>`.
    pub link: String,
    pub lang: String,
}

/// A payment as its receipt shows it; `base_url` is `Config::public_url`, for the shareable
/// link.
pub fn receipt(
    conn: &mut DbConn,
    i18n: &I18n,
    lang: Lang,
    base_url: &str,
    p: Payment,
) -> AppResult<Receipt> {
    let (connection_no, head_name, village_id): (String, String, i64) = households::table
        .find(p.household_id)
        .select((
            households::connection_no,
            households::head_name,
            households::village_id,
        ))
        .first(conn)?;
    let gp = crate::places::model::find(conn, p.gp_id)?;
    let village = crate::places::model::find(conn, village_id)?;
    let months = match (p.covers_from, p.covers_to) {
        (Some(a), Some(b)) if a == b => i18n.month_label(lang, a),
        (Some(a), Some(b)) => format!(
            "{} – {}",
            i18n.month_label(lang, a),
            i18n.month_label(lang, b)
        ),
        _ => String::new(),
    };
    Ok(Receipt {
        gp_name: gp.display_name(lang).to_string(),
        gp_lgd_code: gp.lgd_code,
        village: village.display_name(lang).to_string(),
        connection_no,
        head_name,
        months,
        amount: format_money(p.amount_paise),
        amount_words: crate::billing::words::amount_in_words(p.amount_paise, lang.code()),
        balance_after: format_money(p.balance_after_paise.abs()),
        advance: p.balance_after_paise < 0,
        link: format!("{}/r/{}", base_url.trim_end_matches('/'), p.token),
        lang: lang.code().into(),
        payment: p,
    })
}
