//! `/api/v1/committees`: list, add and read committees, add members, re-constitute.

use super::{service, Committee, CommitteeInput, CommitteeView, EndInput, Member, MemberInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

crate::endpoints!(
    api_list,
    api_create,
    api_get,
    api_add_member,
    api_reconstitute
);

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitteeQuery {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// Committees in scope, each with its members, rules and whether its composition is met.
/// A committee changes (for `updated_since`) when it is added, and when a member is added or
/// a term ends.
#[utoipa::path(get, path = "/api/v1/committees", tag = "committees", security(("bearer" = [])),
    params(CommitteeQuery, SyncQuery),
    responses((status = 200, body = ApiPage<CommitteeView>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<CommitteeQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let page = listing.page(q.page);
    let (scope, changes) = (actor.scope, listing.changes);
    let (items, total) = state
        .service(move |ctx| {
            service::committee_views(ctx, &scope, changes, page.offset(), page.limit())
        })
        .await?;
    // committees are never deleted
    let key = |k: &CommitteeView| (k.committee.updated_at, k.committee.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Add a committee (the GP's, or a ward/village sub-committee with `village_id`).
#[utoipa::path(post, path = "/api/v1/committees", tag = "committees", security(("bearer" = [])),
    request_body = CommitteeInput,
    responses((status = 201, body = Committee), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CommitteeInput = crate::web::forms::from_json(body.into_inner(), None)?;
    actor.require(Verb::ManageCommittees)?;
    let ip = client_ip(&req);
    let k = state
        .service(move |ctx| service::create_committee(ctx, &actor, &ip, input))
        .await?;
    Ok(HttpResponse::Created().json(k))
}

#[utoipa::path(get, path = "/api/v1/committees/{id}", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Committee id")),
    responses((status = 200, body = CommitteeView), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let v = state
        .service(move |ctx| service::committee_view(ctx, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Add a member (their term starts on `term_from`, today by default).
#[utoipa::path(post, path = "/api/v1/committees/{id}/members", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Committee id")), request_body = MemberInput,
    responses((status = 201, body = Member), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_add_member(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: MemberInput = crate::web::forms::from_json(body.into_inner(), None)?;
    actor.require(Verb::ManageCommittees)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let m = state
        .service(move |ctx| service::add_committee_member(ctx, &actor, &ip, id, input))
        .await?;
    Ok(HttpResponse::Created().json(m))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ended {
    /// Terms ended.
    pub ended: usize,
}

/// Re-constitute the committee (after a GP election): every running term ends on `on`; the
/// members stay in its history.
#[utoipa::path(post, path = "/api/v1/committees/{id}/reconstitute", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Committee id")), request_body = EndInput,
    responses((status = 200, body = Ended), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_reconstitute(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: EndInput = crate::web::forms::from_json(body.into_inner(), None)?;
    actor.require(Verb::ManageCommittees)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let ended = state
        .service(move |ctx| service::end_committee_terms(ctx, &actor, &ip, id, None, input))
        .await?;
    Ok(HttpResponse::Ok().json(Ended { ended }))
}
