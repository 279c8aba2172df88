//! Payments' use cases: recording a payment (its checks, its receipt number, once per
//! idempotency key) and cancelling one, each one audited transaction over a `Ctx`; and the
//! writes they are made of, which run inside the caller's transaction.

use super::model::{
    dues_of, find, find_by_key, find_in_scope, next_receipt_number, paid_total, Payment,
};
use super::{financial_year, settles, Mode, PaymentInput};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Verb};
use crate::billing::households::{find_in_scope as find_household, Household};
use crate::config::MoneyLimits;
use crate::context::Ctx;
use crate::db::schema::{payments, places};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Record a payment once per idempotency key, with its audit line and its receipt SMS (when
/// the household has a phone; the API and the page): a retried request (the phone lost the answer) gets the payment recorded the first time, with
/// `true`. The same key for a different household or amount is a conflict. A payment sent
/// from a device for a household disconnected since the device last saw it is a change to
/// decide on (`resend`; checked in the transaction that records it).
pub fn record_once(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: &PaymentInput,
    key: Option<&str>,
    resend: crate::web::changed::Resend,
) -> AppResult<(Payment, bool)> {
    let replay = |p: Payment| -> AppResult<(Payment, bool)> {
        let same_household = input.household_id.trim() == p.household_id.to_string();
        let same_amount = crate::web::i18n::parse_money(&input.amount) == Some(p.amount_paise);
        if same_household && same_amount {
            Ok((p, true))
        } else {
            Err(AppError::Conflict("payment-key-reused".into()))
        }
    };
    if let Some(k) = key {
        if let Some(p) = find_by_key(&mut *ctx.db.conn()?, actor, k)? {
            return replay(p);
        }
    }
    let result = audited(ctx, By::actor(actor, ip), |c, now, log| {
        let hid = &input.household_id;
        crate::billing::households::service::still_connected(c, &actor.scope, hid, resend)?;
        let p = record(c, actor, input, key, ctx.config.money, now)?;
        // the receipt by SMS to the household's phone, with the payment or not at all
        crate::sms::households::receipt(c, &ctx.config, now, &p)?;
        log.add(
            Action::Create,
            Entity::Payment,
            Some(p.id),
            Detail::new("audit-detail-payment")
                .text("no", &p.receipt_no)
                .money("amount", p.amount_paise),
        );
        Ok(p)
    });
    match (result, key) {
        (Ok(p), _) => Ok((p, false)),
        // the same key raced in from a second request: answer with the first one's payment
        (
            Err(AppError::Db(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))),
            Some(k),
        ) => match find_by_key(&mut *ctx.db.conn()?, actor, k)? {
            Some(p) => replay(p),
            None => Err(AppError::Conflict("payment-retry".into())),
        },
        (Err(e), _) => Err(e),
    }
}

/// Cancel a payment in the actor's scope, with its audit line (the API and the page).
pub fn cancel_payment(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    reason: &str,
) -> AppResult<Payment> {
    actor.require(Verb::ManageBilling)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let p = find_in_scope(c, &actor.scope, id)?;
        let p = cancel(c, actor, &p, reason, now)?;
        log.add(
            Action::Cancel,
            Entity::Payment,
            Some(id),
            Detail::new("audit-detail-payment-cancelled")
                .text("no", &p.receipt_no)
                .money("amount", p.amount_paise)
                .text("reason", reason.trim()),
        );
        Ok(p)
    })
}

struct Checked {
    household: Household,
    amount: i64,
    paid_on: NaiveDate,
    mode: Mode,
    reference: Option<String>,
    collected_by: String,
}

fn check(
    conn: &mut DbConn,
    actor: &Actor,
    input: &PaymentInput,
    money: MoneyLimits,
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
    // read without the common ceiling, so an amount above it gets the payment's own message
    let amount = match forms::optional_money(&input.amount, i64::MAX, "amount", &mut e) {
        Some(p) if p <= 0 => {
            e.add("amount", "payment-amount-positive");
            0
        }
        Some(p) if p > money.amount_paise() => {
            e.add_with(
                "amount",
                "payment-amount-too-large",
                &[("max", crate::web::i18n::format_money(money.amount_paise()))],
            );
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
        "" => Mode::Cash,
        m => Mode::parse(m).unwrap_or_else(|| {
            e.add("mode", "field-invalid-choice");
            Mode::Cash
        }),
    };
    let reference = forms::optional_text(
        &input.reference,
        crate::web::forms::max::REFERENCE,
        "reference",
        &mut e,
    );
    if mode != Mode::Cash && reference.is_none() && !e.has("reference") {
        e.add("reference", "payment-reference-required");
    }
    let collected_by = forms::optional_text(
        &input.collected_by,
        crate::web::forms::max::REFERENCE,
        "collected_by",
        &mut e,
    )
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

/// Record a payment and issue its receipt. Run it inside a write transaction (the receipt
/// number is allocated here).
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    input: &PaymentInput,
    idempotency_key: Option<&str>,
    money: MoneyLimits,
    now: NaiveDateTime,
) -> AppResult<Payment> {
    let today = crate::web::i18n::today_in_india(now);
    let c = check(conn, actor, input, money, today)?;
    let dues = dues_of(conn, c.household.id)?;
    let demanded: i64 = dues.iter().map(|d| d.1).sum();
    let paid_before = paid_total(conn, c.household.id)?;
    let covers = settles(&dues, paid_before, c.amount);
    // a leaf of the collector's receipt book (a payment taken offline), or the counter's next
    let (fy, seq) = match crate::billing::books::leaf_for_payment(
        conn,
        actor,
        c.household.gp_id,
        &input.receipt_book_id,
        &input.receipt_seq,
        now,
    )? {
        Some(leaf) => leaf,
        None => {
            let fy = financial_year(c.paid_on);
            let seq = next_receipt_number(conn, c.household.gp_id, &fy)?;
            (fy, seq)
        }
    };
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
            payments::receipt_no.eq(super::receipt_no(lgd, &fy, seq)),
            payments::amount_paise.eq(c.amount),
            payments::paid_on.eq(c.paid_on),
            payments::mode.eq(c.mode.as_str()),
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
    let reason = forms::required_text(reason, crate::web::forms::max::REASON, "reason", &mut e);
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
