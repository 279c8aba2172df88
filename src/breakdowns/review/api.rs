//! `/api/v1/breakdowns/figures`: repair times and uptime over the caller's scope.

use super::model::{figures, FiguresCache};
use super::{parse_month, stats};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use stats::Figures;

crate::endpoints!(api_figures);

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// YYYY-MM: the last of the 12 months (default: this month).
    #[serde(default)]
    pub month: Option<String>,
    /// Only this block (place id) inside the caller's scope.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub block: Option<i64>,
    /// Only this GP (place id) inside the caller's scope.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// Only this scheme.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub scheme: Option<i64>,
}

/// Repair time (median, 90th percentile) and uptime over the caller's scope (a GP for the
/// secretary, the block for an engineer, the district for an officer), optionally one block,
/// GP or scheme within it (a place outside the scope: 404): 12 months, per month, per GP, schemes with downtime, repeat failures.
#[utoipa::path(get, path = "/api/v1/breakdowns/figures", tag = "breakdowns", security(("bearer" = [])),
    params(FiguresQuery), responses((status = 200, body = Figures), (status = 401)))]
pub async fn api_figures(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let q = q.into_inner();
    let now = state.clock.now();
    let last = parse_month(q.month.as_deref(), now);
    let (own_scope, block) = (actor.scope, q.block);
    let f = stats::FactFilter {
        gp: q.gp,
        scheme: q.scheme,
        category: None,
    };
    let st = state.clone();
    let figs = state
        .db
        .run(move |c| {
            let scope = match block {
                Some(b) => own_scope.narrowed_to(c, b)?,
                None => own_scope,
            };
            let key = format!("{scope:?}|{f:?}|{last}");
            st.part::<FiguresCache>()
                .get_or(key, now, || figures(c, &scope, &f, last, now))
        })
        .await?;
    Ok(HttpResponse::Ok().json(&*figs))
}
