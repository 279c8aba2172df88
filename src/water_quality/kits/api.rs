//! `/api/v1/water-quality/kits`: a GP's FTK kit stock, and recording a batch received.

use super::model::{KitBatch, Stock};
use super::{service, KitInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::i18n::today_in_india;
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_stock, api_receive);

/// The GP of a kit stock request.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KitQuery {
    /// The GP (404 outside the caller's scope); a GP's own users may leave it out.
    pub gp: Option<i64>,
}

/// A GP's kit stock: its batches with tests used and left, and the tests left in unexpired
/// ones (low below `reminders.ftk_low_tests`).
#[utoipa::path(get, path = "/api/v1/water-quality/kits", tag = "water-quality",
    security(("bearer" = [])), params(KitQuery),
    responses((status = 200, body = Stock), (status = 401), (status = 404)))]
pub async fn api_stock(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<KitQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let gp = super::pages::gp_of(&actor, q.gp).ok_or(AppError::NotFound)?;
    let (scope, cfg) = (actor.scope, state.config.reminders.clone());
    let today = today_in_india(state.clock.now());
    let stock = state
        .db
        .run(move |c| {
            scope.check_gp(c, Some(gp))?;
            service::stock(&cfg, c, gp, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(stock))
}

/// Record a kit or refill pack received by a GP (a batch number it has is refused: 422).
#[utoipa::path(post, path = "/api/v1/water-quality/kits", tag = "water-quality",
    security(("bearer" = [])), params(KitQuery), request_body = KitInput,
    responses((status = 201, body = KitBatch), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_receive(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    q: web::Query<KitQuery>,
    body: web::Json<KitInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let gp = super::pages::gp_of(&actor, q.gp).ok_or(AppError::NotFound)?;
    let (ip, input) = (client_ip(&req), body.into_inner());
    let b = state
        .service(move |ctx| service::receive_batch(ctx, &actor, &ip, gp, input))
        .await?;
    Ok(HttpResponse::Created().json(b))
}
