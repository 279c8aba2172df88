//! Tariff plans' use cases: the checks of a plan as typed and its insert (inside the caller's
//! transaction), and adding one with its audit line.

use super::model::{find, with_rates, PlanWithRates};
use super::TariffInput;
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Verb};
use crate::config::MoneyLimits;
use crate::context::Ctx;
use crate::db::schema::{tariff_plans, tariff_rates};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// Add a tariff plan with its audit line (the API and the page).
pub fn add_tariff(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: &TariffInput,
) -> AppResult<PlanWithRates> {
    actor.require(Verb::ManageBilling)?;
    let cats = &ctx.config.billing.categories;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let p = create(c, actor, cats, input, ctx.config.money, now)?;
        log.add(
            Action::Create,
            Entity::TariffPlan,
            Some(p.plan.id),
            Detail::new("audit-detail-tariff").month("month", p.plan.effective_from),
        );
        Ok(p)
    })
}

/// How far back a tariff may start (a plan entered late, for the months already billed by hand).
pub const TARIFF_YEARS_BACK: u32 = 10;
/// How far ahead a tariff may start (the Gram Sabha decides next year's rate).
pub const TARIFF_MONTHS_AHEAD: u32 = 12;

/// Check a plan as typed and store it with its rates (inside the caller's transaction).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    categories: &[String],
    input: &TariffInput,
    money: MoneyLimits,
    now: NaiveDateTime,
) -> AppResult<PlanWithRates> {
    let mut e = FieldErrors::new();
    let gp = actor.scope.gp_named(conn, &input.gp_id)?;
    if gp.is_none() {
        e.add("gp_id", "field-invalid-choice");
    }
    let from = forms::parse_month(&input.effective_from);
    let this_month = crate::web::i18n::today_in_india(now).with_day(1);
    let window = this_month.and_then(|m| {
        Some((
            m.checked_sub_months(chrono::Months::new(12 * TARIFF_YEARS_BACK))?,
            m.checked_add_months(chrono::Months::new(TARIFF_MONTHS_AHEAD))?,
        ))
    });
    match (from, window) {
        (None, _) => e.add("effective_from", "field-bad-month"),
        (Some(f), Some((first, last))) if f < first || f > last => e.add_with(
            "effective_from",
            "field-month-out-of-range",
            &[
                ("from", first.format("%Y-%m").to_string()),
                ("to", last.format("%Y-%m").to_string()),
            ],
        ),
        _ => {}
    }
    let mut rates = BTreeMap::new();
    for c in categories {
        if c == "exempt" {
            rates.insert(c.clone(), 0);
            continue;
        }
        let field = format!("rate_{c}");
        let raw = input.rates.get(c).map(String::as_str).unwrap_or("");
        match forms::optional_money(raw, money.amount_paise(), &field, &mut e) {
            Some(p) => {
                rates.insert(c.clone(), p);
            }
            None if raw.trim().is_empty() => e.add(&field, "field-required"),
            None => {}
        }
    }
    for k in input.rates.keys() {
        if !categories.contains(k) {
            e.add("rates", "field-invalid-choice");
        }
    }
    let max = money.amount_paise();
    let connection =
        forms::optional_money(&input.connection_charge, max, "connection_charge", &mut e);
    let late_fee = forms::optional_money(&input.late_fee, max, "late_fee", &mut e);
    let late_days = forms::optional_int(
        &input.late_fee_after_days,
        1,
        365,
        "late_fee_after_days",
        &mut e,
    );
    if late_fee.is_some_and(|f| f > 0) && late_days.is_none() && !e.has("late_fee_after_days") {
        e.add("late_fee_after_days", "field-required");
    }
    let notes = forms::optional_text(
        &input.notes,
        crate::web::forms::max::REASON,
        "notes",
        &mut e,
    );
    e.into_result()?;
    let (gp, from) = (gp.expect("checked"), from.expect("checked"));
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(tariff_plans::table)
        .values((
            tariff_plans::gp_id.eq(gp),
            tariff_plans::effective_from.eq(from),
            tariff_plans::connection_charge_paise.eq(connection.unwrap_or(0)),
            tariff_plans::late_fee_paise.eq(late_fee.filter(|f| *f > 0)),
            tariff_plans::late_fee_after_days
                .eq(late_fee.filter(|f| *f > 0).and(late_days.map(|d| d as i32))),
            tariff_plans::notes.eq(&notes),
            tariff_plans::created_by.eq(actor.user.id),
            tariff_plans::created_at.eq(now),
        ))
        .returning(tariff_plans::id)
        .get_result(c))
    .map_err(|e| AppError::from(e).on_unique_field("effective_from", "tariff-month-taken"))?;
    for (category, paise) in &rates {
        diesel::insert_into(tariff_rates::table)
            .values((
                tariff_rates::plan_id.eq(id),
                tariff_rates::category.eq(category),
                tariff_rates::monthly_paise.eq(paise),
            ))
            .execute(conn)?;
    }
    let plan = find(conn, id)?;
    with_rates(conn, plan)
}
