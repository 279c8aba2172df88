//! `/api/v1/payments`: list, record (once per idempotency key), read and cancel payments, and a
//! payment's receipt.

use super::model::{self, Payment, PaymentFilter, PaymentRow, Receipt};
use super::{check_key, service, PaymentInput};
use crate::auth::{Actor, Verb};
use crate::billing::CancelInput;
use crate::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::endpoints!(
    api_payments,
    api_payment_record,
    api_payment_get,
    api_payment_cancel,
    api_payment_receipt
);

/// Payments in scope, newest first.
#[utoipa::path(get, path = "/api/v1/payments", tag = "billing", security(("bearer" = [])),
    params(PaymentFilter, SyncQuery),
    responses((status = 200, body = ApiPage<PaymentRow>), (status = 400), (status = 401)))]
pub async fn api_payments(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<PaymentFilter>,
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
    let key = |r: &PaymentRow| (r.payment.changed_at(), r.payment.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Record a payment and issue its receipt (numbered per GP and financial year). Send an
/// `Idempotency-Key` header: a retry with the same key gets the first answer again (201 and
/// the payment recorded the first time, with `Idempotent-Replayed: true`) instead of
/// recording it again.
#[utoipa::path(post, path = "/api/v1/payments", tag = "billing", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per intended payment, e.g. a UUID")),
    request_body = PaymentInput,
    responses((status = 201, body = Payment, description = "Recorded; or, with `Idempotent-Replayed: true`, a retry answered with the payment recorded before"),
        (status = 401), (status = 403),
        (status = 409, description = "The key was used for another payment; or the household was disconnected after `Paani-Seen-At` (a `conflict` member; send again with `on_conflict: send_anyway`)", content_type = "application/problem+json"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_payment_record(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let key = match req.headers().get("Idempotency-Key") {
        Some(v) => Some(check_key(v.to_str().unwrap_or(""))?),
        None => None,
    };
    let mut body = body.into_inner();
    let resend = crate::web::changed::Resend::from_json(&req, &mut body);
    let input: PaymentInput = crate::web::forms::from_json(body, None)?;
    let ip = client_ip(&req);
    let (p, replayed) = state
        .service(move |ctx| service::record_once(ctx, &actor, &ip, &input, key.as_deref(), resend))
        .await?;
    Ok(if replayed {
        HttpResponse::Ok()
            .insert_header(("Idempotent-Replayed", "true"))
            .json(p)
    } else {
        HttpResponse::Created().json(p)
    })
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment id")),
    responses((status = 200, body = Payment), (status = 401), (status = 404)))]
pub async fn api_payment_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let p = state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Cancel a payment (someone other than the person who recorded it, with a reason): the
/// receipt number stays, marked cancelled, and balances recompute.
#[utoipa::path(post, path = "/api/v1/payments/{id}/cancel", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment id")), request_body = CancelInput,
    responses((status = 200, body = Payment), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Already cancelled, or recorded by the caller"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_payment_cancel(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CancelInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let p = state
        .service(move |ctx| service::cancel_payment(ctx, &actor, &ip, id, &input.reason))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct LangQuery {
    /// en or hi; the caller's language when left out.
    pub lang: String,
}

/// A payment's receipt as printed: amounts in figures and words, months covered, balance
/// after, and the shareable link.
#[utoipa::path(get, path = "/api/v1/payments/{id}/receipt", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment id"), LangQuery),
    responses((status = 200, body = Receipt), (status = 401), (status = 404)))]
pub async fn api_payment_receipt(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<LangQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let lang = Lang::parse(&q.lang)
        .or_else(|| Lang::parse(&actor.user.lang))
        .unwrap_or_default();
    let (scope, id, i18n) = (actor.scope, path.into_inner(), state.i18n.clone());
    let base = state.config.public_url();
    let r = state
        .db
        .run(move |c| {
            let p = model::find_in_scope(c, &scope, id)?;
            model::receipt(c, &i18n, lang, &base, p)
        })
        .await?;
    Ok(HttpResponse::Ok().json(r))
}
