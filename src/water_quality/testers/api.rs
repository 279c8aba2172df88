//! `/api/v1/water-quality/testers`: the register (list) and adding a tester.

use super::model::{self, Tester};
use super::{service, TesterInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_list, api_create);

/// Filters of the testers list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TesterFilter {
    /// Only this GP's register (404 outside the caller's scope).
    pub gp: Option<i64>,
    /// Page number, from 1.
    pub page: Option<i64>,
}

/// Trained testers inside the caller's scope.
#[utoipa::path(get, path = "/api/v1/water-quality/testers", tag = "water-quality",
    security(("bearer" = [])), params(TesterFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Tester>), (status = 400), (status = 401),
        (status = 404)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<TesterFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let f = q.into_inner();
    let (changes, page) = (listing.changes, listing.page(f.page));
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| {
            scope.check_gp(c, f.gp)?;
            model::list_in_scope(c, &scope, f.gp, changes, page.offset(), page.limit())
        })
        .await?;
    let key = |t: &Tester| (t.updated_at, t.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Add a trained tester (her village decides the GP; 422 outside the caller's scope).
#[utoipa::path(post, path = "/api/v1/water-quality/testers", tag = "water-quality",
    security(("bearer" = [])), request_body = TesterInput,
    responses((status = 201, body = Tester), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<TesterInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (ip, input) = (client_ip(&req), body.into_inner());
    let t = state
        .service(move |ctx| service::create_tester(ctx, &actor, &ip, input))
        .await?;
    Ok(HttpResponse::Created().json(t))
}
