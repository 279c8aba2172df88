//! `/api/v1/water-quality/figures`: a place's water-quality figures, one line per GP.

use super::service::{self, PlaceFigures};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::i18n::today_in_india;
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_figures);

/// Which place's figures.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresApiQuery {
    /// A GP, block, district or state (404 outside the caller's scope or for a village);
    /// none: everything the caller sees.
    pub place: Option<i64>,
}

/// This season's water-quality figures of a place and of each GP under it: points tested,
/// tests and the share within the standard, contamination incidents open by age (0–7, 8–30,
/// 31–90, over 90 days), incidents closed this season with the mean days from detection to
/// the passing re-test, and scheduled tests overdue.
#[utoipa::path(get, path = "/api/v1/water-quality/figures", tag = "water-quality",
    security(("bearer" = [])), params(FiguresApiQuery),
    responses((status = 200, body = PlaceFigures), (status = 401), (status = 404)))]
pub async fn api_figures(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<FiguresApiQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (scope, place) = (actor.scope, q.place);
    let today = today_in_india(state.clock.now());
    let grace = state.config.maintenance.grace_days;
    let f = state
        .db
        .run(move |c| service::place_figures(c, &scope, place, today, grace))
        .await?;
    Ok(HttpResponse::Ok().json(f))
}
