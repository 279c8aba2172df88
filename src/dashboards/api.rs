//! `/api/v1/dashboard` (a GP's figures, or an area's total and rows) and
//! `/api/v1/reports/monthly` (the monthly O&M report).

use super::model::Report;
use super::report_lang;
use super::service::{self, Area, Dashboard};
use crate::auth::{Actor, Scope, Verb};
use crate::error::AppResult;
use crate::places::Level;
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

crate::endpoints!(api_dashboard, api_report);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardApiQuery {
    /// A place in the caller's scope (default: the caller's own place).
    pub place: Option<i64>,
}

/// A GP's figures, or for a block, district or state its total and one row per GP / block /
/// district.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "dashboards", security(("bearer" = [])),
    params(DashboardApiQuery), responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub async fn api_dashboard(
    ui: Ui,
    actor: Actor,
    q: web::Query<DashboardApiQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let own = match actor.scope {
        Scope::Place { id, .. } => Some(id),
        Scope::All => None,
    };
    let (scope, place, lang) = (actor.scope, q.place.or(own), ui.lang());
    let shown = ui
        .state
        .service(move |ctx| service::dashboard(ctx, &scope, place, false, lang))
        .await?;
    let Area { place, rows, total } = match shown {
        Dashboard::Gp { place, figures, .. } => {
            return Ok(HttpResponse::Ok().json(
                json!({"level": Level::Gp.as_str(), "place_id": place.id, "figures": figures}),
            ));
        }
        Dashboard::Area(area) => *area,
    };
    Ok(HttpResponse::Ok().json(json!({
        "level": place.as_ref().map(|p| p.level().as_str()).unwrap_or("all"),
        "place_id": place.as_ref().map(|p| p.id),
        "total": total,
        "rows": rows.iter().map(|r| json!({"place_id": r.id, "name": r.name, "lgd_code": r.lgd_code, "figures": r.area})).collect::<Vec<_>>(),
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportApiQuery {
    /// A GP or block in the caller's scope.
    pub place: i64,
    /// YYYY-MM; the last complete month when left out.
    pub month: Option<String>,
    /// en or hi (names of places).
    pub lang: Option<String>,
}

/// The monthly O&M report of a GP or block: the same figures as the printed page and the CSV.
#[utoipa::path(get, path = "/api/v1/reports/monthly", tag = "dashboards", security(("bearer" = [])),
    params(ReportApiQuery), responses((status = 200, body = Report), (status = 400), (status = 401), (status = 404)))]
pub async fn api_report(
    ui: Ui,
    actor: Actor,
    q: web::Query<ReportApiQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let q = q.into_inner();
    let (scope, lang) = (actor.scope, report_lang(q.lang.as_deref(), ui.lang()));
    let r = ui
        .state
        .service(move |ctx| service::monthly_report(ctx, &scope, q.place, q.month.as_deref(), lang))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}
