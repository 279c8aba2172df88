//! `/api/v1/receipt-books`: the books in scope, the caller's open books (for the offline app),
//! issuing a book, closing one, cancelling a spoiled leaf, and a GP's year accounted for.

use super::model::{self, BookFilter, ReceiptAccounting, ReceiptBookMine, ReceiptBookRow};
use super::{service, AccountingQuery, ReceiptBook, ReceiptBookInput, ReceiptLeaf};
use crate::auth::{Actor, Verb};
use crate::billing::CancelInput;
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(
    api_receipt_books,
    api_receipt_books_mine,
    api_receipt_book_issue,
    api_receipt_book_close,
    api_receipt_leaf_cancel,
    api_receipt_accounting
);

/// Receipt books in scope, newest first.
#[utoipa::path(get, path = "/api/v1/receipt-books", tag = "billing", security(("bearer" = [])),
    params(BookFilter, SyncQuery),
    responses((status = 200, body = ApiPage<ReceiptBookRow>), (status = 400), (status = 401)))]
pub async fn api_receipt_books(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<BookFilter>,
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
    let key = |r: &ReceiptBookRow| (r.book.updated_at, r.book.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// The caller's open books, with the numbers used and the next free one: what a phone needs
/// to number payments taken without a signal. (A logged-in browser gets the same at
/// `/receipt-books/mine.json`.)
#[utoipa::path(get, path = "/api/v1/receipt-books/mine", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = Vec<ReceiptBookMine>), (status = 401), (status = 403)))]
pub async fn api_receipt_books_mine(
    state: web::Data<AppState>,
    actor: Actor,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let books = state.db.run(move |c| model::mine(c, &actor)).await?;
    Ok(HttpResponse::Ok().json(books))
}

/// Issue a collector a receipt book: a block of the GP's receipt numbers of the current
/// financial year, reserved at once (online payments continue after it).
#[utoipa::path(post, path = "/api/v1/receipt-books", tag = "billing", security(("bearer" = [])),
    request_body = ReceiptBookInput,
    responses((status = 201, body = ReceiptBook), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_receipt_book_issue(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: ReceiptBookInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let ip = client_ip(&req);
    let b = state
        .service(move |ctx| service::issue(ctx, &actor, &ip, &input))
        .await?;
    Ok(HttpResponse::Created().json(b))
}

/// Close a book that came back: every number no payment took is recorded as returned, and
/// no payment may take it after.
#[utoipa::path(post, path = "/api/v1/receipt-books/{id}/close", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Receipt book id")),
    responses((status = 200, body = ReceiptBook), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Already closed")))]
pub async fn api_receipt_book_close(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (ip, id) = (client_ip(&req), path.into_inner());
    let (b, _) = state
        .service(move |ctx| service::close(ctx, &actor, &ip, id, true))
        .await?;
    Ok(HttpResponse::Ok().json(b))
}

/// Cancel a spoiled leaf of an open book, with a reason.
#[utoipa::path(post, path = "/api/v1/receipt-books/{id}/leaves/{seq}/cancel", tag = "billing",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Receipt book id"),
        ("seq" = i64, Path, description = "The leaf's number")),
    request_body = CancelInput,
    responses((status = 200, body = ReceiptLeaf), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "The book is closed, or the number is used, returned or cancelled"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_receipt_leaf_cancel(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CancelInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (ip, (id, seq)) = (client_ip(&req), path.into_inner());
    let leaf = state
        .service(move |ctx| service::cancel_leaf(ctx, &actor, &ip, id, seq, &input.reason))
        .await?;
    Ok(HttpResponse::Ok().json(leaf))
}

/// Every receipt number of a GP's year with its fate (a payment, valid or cancelled; unused
/// in an open book; returned; a cancelled leaf), as runs, and the numbers nothing accounts
/// for or that are accounted for twice.
#[utoipa::path(get, path = "/api/v1/receipt-books/accounting", tag = "billing", security(("bearer" = [])),
    params(AccountingQuery),
    responses((status = 200, body = ReceiptAccounting), (status = 401), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_receipt_accounting(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<AccountingQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let today = crate::web::i18n::today_in_india(state.clock.now());
    let acc = state
        .db
        .run(move |c| service::accounting(c, &actor, &q, today))
        .await?;
    Ok(HttpResponse::Ok().json(acc))
}
