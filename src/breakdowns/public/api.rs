//! `/api/v1/public/complaints`: file a complaint, a complaint's status (no account needed).

use super::pages::{file, lookup};
use super::service::Filed as Outcome;
use super::{ComplaintInput, ComplaintStatus, StatusQuery};
use crate::error::AppResult;
use crate::web::forms;
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::Value;

crate::endpoints!(api_file, api_status);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    /// The complaint number to quote.
    pub number: String,
    /// True when nothing new was filed: the same phone reported the same problem (scheme
    /// and category) within 48 hours and that complaint is still open; `number` is that
    /// complaint's.
    pub already_reported: bool,
    pub status: String,
    #[serde(with = "crate::clock::utc")]
    pub resolve_due_at: NaiveDateTime,
}

/// File a public complaint for the scheme with this code (no account needed; throttled per
/// address and per phone). A second complaint about the same scheme and category from the
/// same phone while the first is open and less than 48 hours old is not filed: the answer
/// is 200 with `already_reported: true` and the first complaint's number.
#[utoipa::path(post, path = "/api/v1/public/complaints/{code}", tag = "public",
    params(("code" = String, Path, description = "Scheme code, as printed on the scheme card")),
    request_body = ComplaintInput,
    responses((status = 201, body = Filed, description = "Filed"),
        (status = 200, body = Filed, description = "Already reported from this phone: the open complaint's number, `already_reported: true`"),
        (status = 404, description = "No such scheme, or not in service"),
        (status = 422, description = "Field errors", content_type = "application/problem+json"),
        (status = 429, description = "Too many complaints from this address or phone")))]
pub async fn api_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: ComplaintInput = forms::from_json(body.into_inner(), None)?;
    let outcome = file(&state, client_ip(&req), path.into_inner(), input, vec![]).await?;
    let already_reported = matches!(outcome, Outcome::AlreadyReported(_));
    let b = outcome.into_breakdown();
    let body = Filed {
        number: b.number,
        already_reported,
        status: b.status,
        resolve_due_at: b.resolve_due_at,
    };
    Ok(if already_reported {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::Created().json(body)
    })
}

/// A public complaint's status, by its number and the phone it was filed with.
#[utoipa::path(get, path = "/api/v1/public/complaints/status", tag = "public", params(StatusQuery),
    responses((status = 200, body = ComplaintStatus), (status = 404), (status = 429)))]
pub async fn api_status(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<StatusQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let s = lookup(
        &state,
        client_ip(&req),
        q.number.unwrap_or_default(),
        q.phone.unwrap_or_default(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(s))
}
