//! `/api/v1/action-items`: list, add, read and close action items.

use super::{model, service, ActionFilter, ActionInput, ActionItem, CloseInput, NewActionItem};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(api_actions, api_action_create, api_action_get, api_close);

const PER_PAGE: i64 = 50;

/// Action items in scope (filters as on the page), open ones first by due date.
#[utoipa::path(get, path = "/api/v1/action-items", tag = "committees", security(("bearer" = [])),
    params(ActionFilter, SyncQuery),
    responses((status = 200, body = ApiPage<ActionItem>), (status = 400), (status = 401)))]
pub async fn api_actions(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<ActionFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let listing = listing.default_size(PER_PAGE);
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .service(move |ctx| service::list(ctx, &scope, &f, page.offset(), page.limit()))
        .await?;
    let key = |x: &ActionItem| (x.updated_at, x.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Add an action item to a meeting whose minutes are not approved yet.
#[utoipa::path(post, path = "/api/v1/action-items", tag = "committees", security(("bearer" = [])),
    request_body = NewActionItem,
    responses((status = 201, body = ActionItem), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "The meeting's minutes are approved (locked)"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_action_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let mut body = body.into_inner();
    let meeting = crate::web::forms::take_id(&mut body, "meeting_id")?;
    let input: ActionInput = crate::web::forms::from_json(body, None)?;
    let ip = client_ip(&req);
    let item = state
        .service(move |ctx| service::create_action(ctx, &actor, &ip, meeting, input))
        .await?;
    Ok(HttpResponse::Created().json(item))
}

#[utoipa::path(get, path = "/api/v1/action-items/{id}", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Action item id")),
    responses((status = 200, body = ActionItem), (status = 401), (status = 404)))]
pub async fn api_action_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let item = state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Close an open action item: `status` done or dropped (`note` says why: required), `on`
/// the day (today by default).
#[utoipa::path(post, path = "/api/v1/action-items/{id}/close", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Action item id")), request_body = CloseInput,
    responses((status = 200, body = ActionItem), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Already done or dropped"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_close(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CloseInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let manages = actor.can(Verb::ManageCommittees);
    actor.require(Verb::ViewCommittees)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let item = state
        .service(move |ctx| service::close_action(ctx, &actor, &ip, id, manages, input))
        .await?;
    Ok(HttpResponse::Ok().json(item))
}
