//! `/api/v1/ledger`, `/api/v1/arrears`, `/api/v1/defaulters` and
//! `/api/v1/collection-efficiency`: a household's ledger and the arrears figures of a scope.

use super::model::{self, Ageing, Defaulter, Efficiency, Ledger};
use super::ArrearsQuery;
use crate::auth::{Actor, Verb};
use crate::billing::households;
use crate::error::AppResult;
use crate::web::i18n::{today_in_india, Lang};
use crate::web::AppState;
use actix_web::{web, HttpResponse};

crate::endpoints!(api_ledger, api_arrears, api_defaulters, api_efficiency);

/// A household's ledger: demands, payments and cancellations with the running balance, and
/// each month's demand with what has been paid of it.
#[utoipa::path(get, path = "/api/v1/ledger/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, body = Ledger), (status = 401), (status = 404)))]
pub async fn api_ledger(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let l = state
        .db
        .run(move |c| {
            let h = households::find_in_scope(c, &scope, id)?;
            model::ledger(c, &h)
        })
        .await?;
    Ok(HttpResponse::Ok().json(l))
}

/// Arrears ageing (0–1, 2–3, 4–6, 7–12, >12 months) per village or per GP.
#[utoipa::path(get, path = "/api/v1/arrears", tag = "billing", security(("bearer" = [])),
    params(ArrearsQuery), responses((status = 200, body = Ageing), (status = 401)))]
pub async fn api_arrears(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let month = q.month_or(today_in_india(state.clock.now()));
    let scope = actor.scope;
    let a = state
        .db
        .run(move |c| {
            let gps = model::gp_ids(c, &scope, q.gp)?;
            model::ageing(c, &gps, month, q.by == "gp", Lang::En)
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Households with at least `months` unpaid months, most owed first, with phone numbers.
#[utoipa::path(get, path = "/api/v1/defaulters", tag = "billing", security(("bearer" = [])),
    params(ArrearsQuery), responses((status = 200, body = Vec<Defaulter>), (status = 401)))]
pub async fn api_defaulters(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let month = q.month_or(today_in_india(state.clock.now()));
    let min = q
        .months
        .unwrap_or(state.config.billing.defaulter_months)
        .max(1);
    let scope = actor.scope;
    let rows = state
        .db
        .run(move |c| {
            let gps = model::gp_ids(c, &scope, q.gp)?;
            model::defaulters(c, &gps, month, min, 5000, Lang::En)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Collection efficiency for the 12 months up to `month`: collected for each month's demands
/// over what was demanded, and cumulatively.
#[utoipa::path(get, path = "/api/v1/collection-efficiency", tag = "billing", security(("bearer" = [])),
    params(ArrearsQuery), responses((status = 200, body = Vec<Efficiency>), (status = 401)))]
pub async fn api_efficiency(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let to = q.month_or(today_in_india(state.clock.now()));
    let from = to.checked_sub_months(chrono::Months::new(11)).unwrap_or(to);
    let scope = actor.scope;
    let rows = state
        .db
        .run(move |c| {
            let gps = model::gp_ids(c, &scope, q.gp)?;
            model::efficiency(c, &gps, from, to)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}
