//! `/api/v1/places`: list, create, read and change places.

use super::{model, service, Place, PlaceFilter, PlaceInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_list, api_create, api_get, api_update);

/// Places inside the caller's scope.
#[utoipa::path(get, path = "/api/v1/places", tag = "places", security(("bearer" = [])),
    params(PlaceFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Place>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<PlaceFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| model::list(c, &scope, &f, page))
        .await?;
    // places are never deleted (deactivated instead)
    let key = |p: &Place| (p.updated_at, p.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Create a place (admin).
#[utoipa::path(post, path = "/api/v1/places", tag = "places", security(("bearer" = [])),
    request_body = PlaceInput,
    responses((status = 201, body = Place), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<PlaceInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let (ip, input) = (client_ip(&req), body.into_inner());
    let p = state
        .service(move |ctx| service::create_place(ctx, &actor, &ip, input))
        .await?;
    Ok(HttpResponse::Created().json(p))
}

/// One place (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/places/{id}", tag = "places", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Place id")),
    responses((status = 200, body = Place), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let p = state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Fields to change; those left out keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PlacePatch {
    pub lgd_code: Option<String>,
    pub name: Option<String>,
    pub name_hi: Option<String>,
    pub parent_lgd_code: Option<String>,
    pub active: Option<bool>,
}

/// Change a place (admin).
#[utoipa::path(patch, path = "/api/v1/places/{id}", tag = "places", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Place id")),
    request_body = PlacePatch,
    responses((status = 200, body = Place), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<PlacePatch>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    let patch = body.into_inner();
    let ip = client_ip(&req);
    let (_, current) = state.db.run(move |c| model::current_input(c, id)).await?;
    let input = PlaceInput {
        level: current.level,
        lgd_code: patch.lgd_code.unwrap_or(current.lgd_code),
        name: patch.name.unwrap_or(current.name),
        name_hi: patch.name_hi.unwrap_or(current.name_hi),
        parent_lgd_code: patch.parent_lgd_code.unwrap_or(current.parent_lgd_code),
    };
    let active = patch.active;
    let p = state
        .service(move |ctx| service::update_place(ctx, &actor, &ip, id, input, active))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}
