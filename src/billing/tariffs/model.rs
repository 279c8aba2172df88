//! Tariff plans' rows and queries: a plan with its rates, the plan in force in a month, a GP's
//! history and every plan in a scope.

use crate::auth::Scope;
use crate::db::schema::{tariff_plans, tariff_rates};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = tariff_plans, treat_none_as_default_value = false)]
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
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// A plan's monthly charge for one household category.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tariff_rates, treat_none_as_default_value = false)]
pub struct Rate {
    pub plan_id: i64,
    /// One of `billing.categories`.
    pub category: String,
    pub monthly_paise: i64,
}

/// A plan with its monthly charge per category (paise).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanWithRates {
    #[serde(flatten)]
    pub plan: TariffPlan,
    pub rates: BTreeMap<String, i64>,
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<TariffPlan> {
    tariff_plans::table
        .find(id)
        .select(TariffPlan::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn with_rates(conn: &mut DbConn, plan: TariffPlan) -> AppResult<PlanWithRates> {
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

/// Plans of every GP in scope (newest first per GP), at most 2000.
pub fn list_in_scope(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<PlanWithRates>> {
    Ok(page_in_scope(conn, scope, None, 0, 2000)?.0)
}

/// Plans of every GP in scope (newest first per GP; pulling changes: in the order they were
/// added), `limit` from `offset`, and how many match. A plan is never changed nor deleted
/// once added (a new plan replaces it from its month on; nothing updates `tariff_plans` or
/// `tariff_rates`), so when it was added is its change time.
pub fn page_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<PlanWithRates>, i64)> {
    let build = || {
        let q = tariff_plans::table.into_boxed().filter(crate::in_scope!(
            scope,
            tariff_plans::table,
            tariff_plans::gp_id
        ));
        crate::changed_since!(q, changes, tariff_plans::created_at, tariff_plans::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let plans: Vec<TariffPlan> = crate::sync_order!(
        build(),
        changes,
        tariff_plans::created_at,
        tariff_plans::id,
        (
            tariff_plans::gp_id.asc(),
            tariff_plans::effective_from.desc(),
        )
    )
    .offset(offset)
    .limit(limit)
    .select(TariffPlan::as_select())
    .load(conn)?;
    let plans = plans
        .into_iter()
        .map(|p| with_rates(conn, p))
        .collect::<AppResult<_>>()?;
    Ok((plans, total))
}
