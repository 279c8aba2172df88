//! `/api/v1/water-quality/points`: list, read and add sampling points.

use super::model::{self, SamplingPoint};
use super::{service, PointInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_list, api_get, api_create);

/// Filters of the points list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PointFilter {
    /// Only this scheme's points.
    pub scheme: Option<i64>,
    /// Page number, from 1.
    pub page: Option<i64>,
}

/// Sampling points inside the caller's scope (active or not).
#[utoipa::path(get, path = "/api/v1/water-quality/points", tag = "water-quality",
    security(("bearer" = [])), params(PointFilter, SyncQuery),
    responses((status = 200, body = ApiPage<SamplingPoint>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<PointFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let f = q.into_inner();
    let (changes, page) = (listing.changes, listing.page(f.page));
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| {
            model::list_in_scope(c, &scope, f.scheme, changes, page.offset(), page.limit())
        })
        .await?;
    let key = |p: &SamplingPoint| (p.updated_at, p.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// One sampling point (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/water-quality/points/{id}", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Point id")),
    responses((status = 200, body = SamplingPoint), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let p = state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Add a sampling point to a scheme (`scheme_id` in the body; 404 outside the caller's
/// scope).
#[utoipa::path(post, path = "/api/v1/water-quality/points", tag = "water-quality",
    security(("bearer" = [])), request_body = NewPoint,
    responses((status = 201, body = SamplingPoint), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<NewPoint>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (ip, body) = (client_ip(&req), body.into_inner());
    let scheme_id = crate::web::forms::required_id(body.scheme_id, "scheme_id")?;
    let p = state
        .service(move |ctx| service::create_point(ctx, &actor, &ip, scheme_id, body.point))
        .await?;
    Ok(HttpResponse::Created().json(p))
}

/// A new point: its scheme and its fields.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewPoint {
    #[serde(default)]
    pub scheme_id: Option<i64>,
    #[serde(flatten)]
    pub point: PointInput,
}
