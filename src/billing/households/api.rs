//! `/api/v1/households`: list, add, read and change households.

use super::model::{self, Household, HouseholdFilter};
use super::{service, HouseholdInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(
    api_households,
    api_household_create,
    api_household_get,
    api_household_update
);

/// Households in the caller's scope (active by default).
#[utoipa::path(get, path = "/api/v1/households", tag = "billing", security(("bearer" = [])),
    params(HouseholdFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Household>), (status = 400), (status = 401)))]
pub async fn api_households(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<HouseholdFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| model::list(c, &scope, &f, page))
        .await?;
    let key = |x: &Household| (x.updated_at, x.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Add a household (connection numbers are unique in a GP).
#[utoipa::path(post, path = "/api/v1/households", tag = "billing", security(("bearer" = [])),
    request_body = HouseholdInput,
    responses((status = 201, body = Household), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_household_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let input: HouseholdInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let ip = client_ip(&req);
    let h = state
        .service(move |ctx| service::add_household(ctx, &actor, &ip, &input))
        .await?;
    Ok(HttpResponse::Created().json(h))
}

#[utoipa::path(get, path = "/api/v1/households/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, body = Household), (status = 401), (status = 404)))]
pub async fn api_household_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let h = state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(h))
}

/// Change a household: the fields sent replace the stored ones.
#[utoipa::path(patch, path = "/api/v1/households/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Household id")), request_body = HouseholdInput,
    responses((status = 200, body = Household), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_household_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let id = path.into_inner();
    let body = body.into_inner();
    let ip = client_ip(&req);
    let h = state
        .service(move |ctx| {
            service::change_household(ctx, &actor, &ip, id, |old| {
                crate::web::forms::from_json(body, Some(&HouseholdInput::from(old)))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(h))
}
