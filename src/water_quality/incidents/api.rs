//! `/api/v1/water-quality/incidents`: contamination incidents (list, one with its timeline)
//! and their steps (send to the laboratory, a remedial action, close).

use super::model::{self, Incident, IncidentEvent, IncidentFilter};
use super::{service, CloseInput, RemedyInput, SendInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

crate::endpoints!(api_list, api_get, api_send, api_remedy, api_close);

/// An incident with its timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = WaterIncidentWithEvents)]
pub struct IncidentWithEvents {
    #[serde(flatten)]
    pub incident: Incident,
    pub events: Vec<IncidentEvent>,
}

/// Incidents inside the caller's scope, newest first (open ones unless `status` says
/// closed or all; pulling changes, all unless it says).
#[utoipa::path(get, path = "/api/v1/water-quality/incidents", tag = "water-quality",
    security(("bearer" = [])), params(IncidentFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Incident>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<IncidentFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| model::list(c, &scope, &f, page.offset(), page.limit()))
        .await?;
    let key = |i: &Incident| (i.updated_at, i.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

async fn with_events(state: &AppState, actor: &Actor, id: i64) -> AppResult<IncidentWithEvents> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let incident = model::find_in_scope(c, &scope, id)?;
            let events = model::events_of(c, &incident)?;
            Ok(IncidentWithEvents { incident, events })
        })
        .await
}

/// One incident with its timeline (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/water-quality/incidents/{id}", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, body = IncidentWithEvents), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    Ok(HttpResponse::Ok().json(with_events(&state, &actor, path.into_inner()).await?))
}

/// Record that a sample went to the laboratory (an open incident only; 422 otherwise).
#[utoipa::path(post, path = "/api/v1/water-quality/incidents/{id}/sent-to-lab", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Incident id")),
    request_body = SendInput,
    responses((status = 200, body = IncidentWithEvents), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_send(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<SendInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (id, ip, a) = (path.into_inner(), client_ip(&req), actor.clone());
    let body = body.into_inner();
    state
        .service(move |ctx| service::send_to_lab(ctx, &a, &ip, id, body))
        .await?;
    Ok(HttpResponse::Ok().json(with_events(&state, &actor, id).await?))
}

/// Record a remedial action.
#[utoipa::path(post, path = "/api/v1/water-quality/incidents/{id}/remedies", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Incident id")),
    request_body = RemedyInput,
    responses((status = 200, body = IncidentWithEvents), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_remedy(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<RemedyInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (id, ip, a) = (path.into_inner(), client_ip(&req), actor.clone());
    let body = body.into_inner();
    state
        .service(move |ctx| service::add_remedy(ctx, &a, &ip, id, body))
        .await?;
    Ok(HttpResponse::Ok().json(with_events(&state, &actor, id).await?))
}

/// Close an incident: only after a passing re-test (422 otherwise).
#[utoipa::path(post, path = "/api/v1/water-quality/incidents/{id}/close", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Incident id")),
    request_body = CloseInput,
    responses((status = 200, body = IncidentWithEvents), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_close(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<CloseInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (id, ip, a) = (path.into_inner(), client_ip(&req), actor.clone());
    let body = body.into_inner();
    state
        .service(move |ctx| service::close(ctx, &a, &ip, id, body))
        .await?;
    Ok(HttpResponse::Ok().json(with_events(&state, &actor, id).await?))
}
