//! Tariff plans: what each category of household pays per month in a GP, from a month on. A
//! new plan never changes an old one: demands use the plan in force for their month.

use crate::auth::{Actor, Scope};
use crate::db::schema::{tariff_plans, tariff_rates};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = tariff_plans)]
pub struct TariffPlan {
    pub id: i64,
    pub gp_id: i64,
    /// Always the first day of a month.
    pub effective_from: NaiveDate,
    pub connection_charge_paise: i64,
    /// Optional late fee: this much, this many days after the due date.
    pub late_fee_paise: Option<i64>,
    pub late_fee_after_days: Option<i32>,
    pub notes: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A plan with its monthly charge per category (paise).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanWithRates {
    #[serde(flatten)]
    pub plan: TariffPlan,
    pub rates: BTreeMap<String, i64>,
}

/// A plan as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TariffInput {
    /// The GP (place id); may be left out by a secretary (their own GP).
    pub gp_id: String,
    /// The first month it applies to: YYYY-MM.
    pub effective_from: String,
    /// Monthly charge in rupees per category, e.g. {"general": "50", "bpl": "30"}; `exempt`
    /// is always 0.
    pub rates: BTreeMap<String, String>,
    pub connection_charge: String,
    pub late_fee: String,
    pub late_fee_after_days: String,
    pub notes: String,
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    categories: &[String],
    input: &TariffInput,
    now: NaiveDateTime,
) -> AppResult<PlanWithRates> {
    let mut e = FieldErrors::new();
    let gp = actor.scope.gp_named(conn, &input.gp_id)?;
    if gp.is_none() {
        e.add("gp_id", "field-invalid-choice");
    }
    let from = forms::parse_month(&input.effective_from);
    if from.is_none() {
        e.add("effective_from", "field-bad-month");
    }
    let mut rates = BTreeMap::new();
    for c in categories {
        if c == "exempt" {
            rates.insert(c.clone(), 0);
            continue;
        }
        let field = format!("rate_{c}");
        let raw = input.rates.get(c).map(String::as_str).unwrap_or("");
        match forms::optional_money(raw, &field, &mut e) {
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
    let connection = forms::optional_money(&input.connection_charge, "connection_charge", &mut e);
    let late_fee = forms::optional_money(&input.late_fee, "late_fee", &mut e);
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
    let notes = forms::optional_text(&input.notes, 500, "notes", &mut e);
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

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<TariffPlan> {
    tariff_plans::table
        .find(id)
        .select(TariffPlan::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

fn with_rates(conn: &mut DbConn, plan: TariffPlan) -> AppResult<PlanWithRates> {
    let rates: Vec<(String, i64)> = tariff_rates::table
        .filter(tariff_rates::plan_id.eq(plan.id))
        .select((tariff_rates::category, tariff_rates::monthly_paise))
        .load(conn)?;
    Ok(PlanWithRates {
        plan,
        rates: rates.into_iter().collect(),
    })
}

/// The plan in force in `month` (its first day) for a GP: the latest starting on or before it.
pub fn in_force(conn: &mut DbConn, gp_id: i64, month: NaiveDate) -> AppResult<Option<TariffPlan>> {
    Ok(tariff_plans::table
        .filter(tariff_plans::gp_id.eq(gp_id))
        .filter(tariff_plans::effective_from.le(month))
        .order(tariff_plans::effective_from.desc())
        .select(TariffPlan::as_select())
        .first(conn)
        .optional()?)
}

/// A GP's plans, newest first, with their rates.
pub fn history(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<PlanWithRates>> {
    let plans: Vec<TariffPlan> = tariff_plans::table
        .filter(tariff_plans::gp_id.eq(gp_id))
        .order(tariff_plans::effective_from.desc())
        .select(TariffPlan::as_select())
        .load(conn)?;
    plans.into_iter().map(|p| with_rates(conn, p)).collect()
}

/// Plans of every GP in scope (newest first per GP).
pub fn list_in_scope(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<PlanWithRates>> {
    let plans: Vec<TariffPlan> = tariff_plans::table
        .filter(crate::in_scope!(
            scope,
            tariff_plans::table,
            tariff_plans::gp_id
        ))
        .order((
            tariff_plans::gp_id.asc(),
            tariff_plans::effective_from.desc(),
        ))
        .limit(2000)
        .select(TariffPlan::as_select())
        .load(conn)?;
    plans.into_iter().map(|p| with_rates(conn, p)).collect()
}
