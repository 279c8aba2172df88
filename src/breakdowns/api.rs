//! `/api/v1/breakdowns`: list, report, read, move along the workflow, comment.

use super::model::{self, Breakdown, BreakdownFilter, Event};
use super::pages::figures_changed;
use super::{service, CommentInput, ReportInput, TransitionInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

crate::endpoints!(api_list, api_report, api_get, api_transition, api_comment);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BreakdownDetail {
    #[serde(flatten)]
    pub breakdown: Breakdown,
    pub timeline: Vec<Event>,
}

/// Breakdowns inside the caller's scope (open by default; escalated first).
#[utoipa::path(get, path = "/api/v1/breakdowns", tag = "breakdowns", security(("bearer" = [])),
    params(BreakdownFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Breakdown>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<BreakdownFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let now = listing.now;
    let (items, total) = state
        .db
        .run(move |c| model::list(c, &scope, &f, page, now))
        .await?;
    let key = |x: &Breakdown| (x.updated_at, x.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Report a breakdown (for gateways: SMS, IVR).
#[utoipa::path(post, path = "/api/v1/breakdowns", tag = "breakdowns", security(("bearer" = [])),
    request_body = ReportInput,
    responses((status = 201, body = BreakdownDetail), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_report(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportBreakdown)?;
    let input: ReportInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = state
        .service(move |ctx| service::report(ctx, &a, &ip, input, vec![], "api"))
        .await;
    figures_changed(&state, &r);
    let b = r?;
    Ok(HttpResponse::Created().json(detail(&state, &actor, b.id).await?))
}

async fn detail(state: &web::Data<AppState>, actor: &Actor, id: i64) -> AppResult<BreakdownDetail> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let breakdown = model::find_in_scope(c, &scope, id)?;
            let timeline = model::timeline(c, id)?;
            Ok(BreakdownDetail {
                breakdown,
                timeline,
            })
        })
        .await
}

/// One breakdown with its timeline.
#[utoipa::path(get, path = "/api/v1/breakdowns/{id}", tag = "breakdowns", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Breakdown id")),
    responses((status = 200, body = BreakdownDetail), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, path.into_inner()).await?))
}

/// Move a breakdown along its workflow (409 for a step the workflow does not allow).
#[utoipa::path(post, path = "/api/v1/breakdowns/{id}/transition", tag = "breakdowns", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Breakdown id")), request_body = TransitionInput,
    responses((status = 200, body = BreakdownDetail), (status = 401), (status = 403), (status = 404), (status = 409, description = "Changed meanwhile (a `conflict` member: kind, current, choices; send again with `on_conflict`), or refused", content_type = "application/problem+json"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_transition(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let id = path.into_inner();
    let mut body = body.into_inner();
    let resend = crate::web::changed::Resend::from_json(&req, &mut body);
    let input: TransitionInput = crate::web::forms::from_json(body, None)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = state
        .service(move |ctx| service::transition(ctx, &a, &ip, id, input, resend))
        .await;
    figures_changed(&state, &r);
    r?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, id).await?))
}

/// Add a comment to a breakdown's timeline.
#[utoipa::path(post, path = "/api/v1/breakdowns/{id}/comment", tag = "breakdowns", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Breakdown id")), request_body = CommentInput,
    responses((status = 201), (status = 401), (status = 404),
        (status = 409, description = "Closed after `Paani-Seen-At` (a `conflict` member; send again with `on_conflict: keep_both`)", content_type = "application/problem+json"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_comment(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let mut body = body.into_inner();
    let resend = crate::web::changed::Resend::from_json(&req, &mut body);
    let input: CommentInput = crate::web::forms::from_json(body, None)?;
    let (a, id) = (actor.clone(), path.into_inner());
    state
        .service(move |ctx| service::comment(ctx, &a, id, input.note, resend))
        .await?;
    Ok(HttpResponse::Created().finish())
}
