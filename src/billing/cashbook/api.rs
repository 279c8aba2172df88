//! `/api/v1/cashbook`: a GP's monthly statement with cost recovery, adding an entry and
//! cancelling one.

use super::model::{CashbookView, Entry};
use super::{service, CashbookQuery, EntryInput};
use crate::auth::Actor;
use crate::billing::CancelInput;
use crate::error::AppResult;
use crate::web::session::client_ip;
use crate::web::sync::Listing;
use crate::web::sync::SyncQuery;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(api_cashbook, api_cashbook_create, api_cashbook_cancel);

/// The cash book's monthly statement (opening balance, entries and tariff collections,
/// closing balance) with the 12-month cost recovery. With `updated_since` (pulling changes),
/// instead a page (`ApiPage` of `Entry`: items, next, synced_at, deleted) of the entries of
/// the GPs in scope (or of `gp`) added or cancelled since; `month` and `scheme` are then 400.
#[utoipa::path(get, path = "/api/v1/cashbook", tag = "billing", security(("bearer" = [])),
    params(CashbookQuery, SyncQuery),
    responses((status = 200, description = "The statement; with updated_since, a page of the entries changed (ApiPage of Entry)", body = CashbookView),
        (status = 400), (status = 401), (status = 404)))]
pub async fn api_cashbook(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<CashbookQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let Some(changes) = listing.changes else {
        let v = state
            .service(move |ctx| service::view(ctx, &actor, &q))
            .await?;
        return Ok(HttpResponse::Ok().json(v));
    };
    let page = listing.page(None);
    let (items, total) = state
        .service(move |ctx| service::changed_entries(ctx, &actor, &q, changes, page))
        .await?;
    // entries are never deleted (cancelled instead)
    let key = |e: &Entry| (e.changed_at(), e.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Add a cash book entry: the opening balance (once), an income or an expense with its voucher.
#[utoipa::path(post, path = "/api/v1/cashbook", tag = "billing", security(("bearer" = [])),
    request_body = EntryInput,
    responses((status = 201, body = Entry), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_cashbook_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: EntryInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let ip = client_ip(&req);
    let e = state
        .service(move |ctx| service::add_entry(ctx, &actor, &ip, &input))
        .await?;
    Ok(HttpResponse::Created().json(e))
}

/// Cancel a wrong cash book entry (it stays, struck out, with the reason).
#[utoipa::path(post, path = "/api/v1/cashbook/{id}/cancel", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Entry id")), request_body = CancelInput,
    responses((status = 200, body = Entry), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Already cancelled"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_cashbook_cancel(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CancelInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let e = state
        .service(move |ctx| service::cancel_entry(ctx, &actor, &ip, id, &input.reason))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}
