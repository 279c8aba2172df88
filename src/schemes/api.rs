//! `/api/v1/schemes`: list, register, read, change a scheme and its status; its health card.

use super::catalogue::Catalogue;
use super::model::{self, Scheme, SchemeFilter, StatusChange};
use super::{service, SchemeInput, SchemeStatus, StatusInput};
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
    api_update,
    api_status,
    api_summary
);

/// A scheme in a list, with how it works now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SchemeRow {
    #[serde(flatten)]
    pub scheme: Scheme,
    /// How it works now: `status` (set by hand, the operator's note) unless a breakdown that
    /// stopped the supply is open, which makes it `non_functional` (a decommissioned scheme
    /// stays decommissioned).
    pub effective_status: SchemeStatus,
    /// Open breakdowns (reported, acknowledged, in progress or reopened) that stopped its
    /// supply.
    pub open_outages: i64,
}

impl SchemeRow {
    fn new(scheme: Scheme, open_outages: i64) -> SchemeRow {
        SchemeRow {
            effective_status: scheme.functioning(open_outages),
            open_outages,
            scheme,
        }
    }
}

/// A scheme with the villages it serves and its status history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SchemeDetail {
    #[serde(flatten)]
    pub scheme: Scheme,
    /// How it works now (see `SchemeRow`).
    pub effective_status: SchemeStatus,
    /// Open breakdowns that stopped its supply.
    pub open_outages: i64,
    /// LGD codes of the villages served.
    pub villages: Vec<i64>,
    pub history: Vec<StatusChange>,
}

async fn detail(state: &AppState, actor: &Actor, id: i64) -> AppResult<SchemeDetail> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let scheme = model::find_in_scope(c, &scope, id)?;
            let villages = model::villages_of(c, id)?
                .iter()
                .map(|v| v.lgd_code)
                .collect();
            let history = model::history_of(c, id)?;
            let open_outages = model::open_outages(c, &[id])?
                .get(&id)
                .copied()
                .unwrap_or(0);
            Ok(SchemeDetail {
                effective_status: scheme.functioning(open_outages),
                open_outages,
                scheme,
                villages,
                history,
            })
        })
        .await
}

/// Schemes inside the caller's scope.
#[utoipa::path(get, path = "/api/v1/schemes", tag = "schemes", security(("bearer" = [])),
    params(SchemeFilter, SyncQuery),
    responses((status = 200, body = ApiPage<SchemeRow>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<SchemeFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| {
            let (rows, total) = model::list(c, &scope, &f, page)?;
            let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
            let outages = model::open_outages(c, &ids)?;
            let items: Vec<SchemeRow> = rows
                .into_iter()
                .map(|s| {
                    let n = outages.get(&s.id).copied().unwrap_or(0);
                    SchemeRow::new(s, n)
                })
                .collect();
            Ok((items, total))
        })
        .await?;
    let key = |r: &SchemeRow| (r.scheme.updated_at, r.scheme.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Register a scheme (secretary: in their GP; admin: any GP).
#[utoipa::path(post, path = "/api/v1/schemes", tag = "schemes", security(("bearer" = [])),
    request_body = SchemeInput,
    responses((status = 201, body = SchemeDetail), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input: SchemeInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (a2, ip) = (actor.clone(), client_ip(&req));
    let s = state
        .service_with(move |ctx, cat: &Catalogue| service::create_scheme(ctx, cat, &a2, &ip, input))
        .await?;
    Ok(HttpResponse::Created().json(detail(&state, &actor, s.id).await?))
}

/// One scheme (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/schemes/{id}", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")),
    responses((status = 200, body = SchemeDetail), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, path.into_inner()).await?))
}

/// Change a scheme's fields; those left out keep their value (status: use the status route).
#[utoipa::path(patch, path = "/api/v1/schemes/{id}", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")), request_body = SchemeInput,
    responses((status = 200, body = SchemeDetail), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let current = state
        .db
        .run(move |c| {
            let s = model::find_in_scope(c, &scope, id)?;
            model::input_of(c, &s)
        })
        .await?;
    let input: SchemeInput = crate::web::forms::from_json(body.into_inner(), Some(&current))?;
    let (a2, ip) = (actor.clone(), client_ip(&req));
    state
        .service_with(move |ctx, cat: &Catalogue| {
            service::update_scheme(ctx, cat, &a2, &ip, id, input)
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, id).await?))
}

/// Change a scheme's status, with the reason (kept in its history).
#[utoipa::path(post, path = "/api/v1/schemes/{id}/status", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")), request_body = StatusInput,
    responses((status = 200, body = SchemeDetail), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_status(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input: StatusInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (a2, ip) = (actor.clone(), client_ip(&req));
    state
        .service(move |ctx| service::change_scheme_status(ctx, &a2, &ip, id, input))
        .await?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, id).await?))
}

/// The scheme's health card, as its page shows it: how it works now (and the operator's
/// status), open breakdowns with their age and deadline, uptime and median repair time over
/// 90 days and 12 months, maintenance due, overdue and on time, assets near the end of their
/// life and the renewal budget within the design period, its households' demand, collection
/// and arrears, and the O&M expenses linked to its work (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/schemes/{id}/summary", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")),
    responses((status = 200, body = service::SchemeSummary), (status = 401), (status = 404)))]
pub async fn api_summary(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let id = path.into_inner();
    let summary = state
        .service(move |ctx| service::summary(ctx, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}
