//! `/api/v1/assets`: list, add, read, change, set the status of and replace assets.

use super::model::{self, Asset, AssetFilter};
use super::{input_of, service, AssetInput, AssetStatusInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::catalogue::Catalogue;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

crate::endpoints!(
    api_list,
    api_create,
    api_get,
    api_update,
    api_status,
    api_replace
);

/// Assets inside the caller's scope (in service by default).
#[utoipa::path(get, path = "/api/v1/assets", tag = "assets", security(("bearer" = [])),
    params(AssetFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Asset>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<AssetFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| model::list(c, &scope, &f, page))
        .await?;
    let key = |x: &Asset| (x.updated_at, x.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// A new asset: the asset fields plus `scheme_id`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAsset {
    pub scheme_id: i64,
    #[serde(flatten)]
    pub fields: AssetInput,
}

/// Add an asset to a scheme.
#[utoipa::path(post, path = "/api/v1/assets", tag = "assets", security(("bearer" = [])),
    request_body = NewAsset,
    responses((status = 201, body = Asset), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let mut body = body.into_inner();
    let scheme_id = body.get("scheme_id").and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    });
    let Some(scheme_id) = scheme_id else {
        let mut e = FieldErrors::new();
        e.add("scheme_id", "field-required");
        return Err(AppError::Validation(e));
    };
    if let Value::Object(m) = &mut body {
        m.remove("scheme_id");
    }
    let input: AssetInput = crate::web::forms::from_json(body, None)?;
    let ip = client_ip(&req);
    let a = state
        .service_with(move |ctx, cat: &Catalogue| {
            service::create_asset(ctx, cat, &actor, &ip, scheme_id, input)
        })
        .await?;
    Ok(HttpResponse::Created().json(a))
}

/// One asset (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/assets/{id}", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Asset id")),
    responses((status = 200, body = Asset), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let (a, _) = state
        .db
        .run(move |c| model::find_with_scheme(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Change an asset's fields; those left out keep their value.
#[utoipa::path(patch, path = "/api/v1/assets/{id}", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Asset id")), request_body = AssetInput,
    responses((status = 200, body = Asset), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let scope = actor.scope;
    let (a, _) = state
        .db
        .run(move |c| model::find_with_scheme(c, &scope, id))
        .await?;
    let input: AssetInput = crate::web::forms::from_json(body.into_inner(), Some(&input_of(&a)))?;
    let ip = client_ip(&req);
    let a = state
        .service_with(move |ctx, cat: &Catalogue| {
            service::update_asset(ctx, cat, &actor, &ip, id, input)
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Set an asset's status: working, needs_attention or failed.
#[utoipa::path(post, path = "/api/v1/assets/{id}/status", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Asset id")), request_body = AssetStatusInput,
    responses((status = 200, body = Asset), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_status(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input: AssetStatusInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let a = state
        .service(move |ctx| service::set_asset_status(ctx, &actor, &ip, id, &input.status))
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Replace an asset with a new one (the old one is kept as `replaced`, linked to the new).
#[utoipa::path(post, path = "/api/v1/assets/{id}/replace", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The asset being replaced")), request_body = AssetInput,
    responses((status = 201, description = "The new asset", body = Asset), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_replace(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input: AssetInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let new = state
        .service_with(move |ctx, cat: &Catalogue| {
            service::replace_asset(ctx, cat, &actor, &ip, id, input)
        })
        .await?;
    Ok(HttpResponse::Created().json(new))
}
