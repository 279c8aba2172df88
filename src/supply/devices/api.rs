//! `POST /api/v1/supply/schemes/{id}/readings`: a device pushes a reading with its device
//! token; `GET` the same path: a scheme's device readings, for anyone who may see its supply
//! (with their own bearer token).

use super::service::{self, ReadingOut};
use super::ReadingInput;
use crate::auth::Actor;
use crate::error::AppResult;
use crate::supply::api::{days_of, LogsQuery};
use crate::web::i18n::today_in_india;
use crate::web::pagination::ApiPage;
use crate::web::sync::{Listing, SyncQuery, MAX_PAGE_SIZE};
use crate::web::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(api_push_reading, api_device_readings);

/// The bearer token of a request, as sent.
fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string())
}

/// A meter reading from a device (a flow meter's or an energy meter's data logger), sent with
/// the scheme's device token: the bulk meter in kL and/or the energy meter in kWh, read at a
/// moment. 201 when new; 200 when this device already sent this moment with the same values
/// (a retry), 409 when with others. 401 without a live device token; 403 when the token is
/// another scheme's.
#[utoipa::path(post, path = "/api/v1/supply/schemes/{id}/readings", tag = "supply",
    security(("device_token" = [])),
    params(("id" = i64, Path, description = "Scheme id")),
    request_body = ReadingInput,
    responses((status = 201, body = ReadingOut), (status = 200, body = ReadingOut), (status = 401),
        (status = 403), (status = 409, description = "This moment was sent with other values", content_type = "application/problem+json"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_push_reading(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let token = bearer(&req);
    let body = body.into_inner();
    let (row, created) = state
        .service(move |ctx| {
            // the token is checked before the body: an unknown or foreign one learns nothing
            let input = crate::web::forms::from_json::<ReadingInput>(body, None);
            service::push(ctx, token.as_deref(), id, input)
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(row)
    } else {
        HttpResponse::Ok().json(row)
    })
}

/// A scheme's device readings, oldest first, each marked with its source ("device") and the
/// device's name: they stand beside the people's daily logs (`…/logs`). A page of up to 500.
#[utoipa::path(get, path = "/api/v1/supply/schemes/{id}/readings", tag = "supply", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id"), LogsQuery, SyncQuery),
    responses((status = 200, body = ApiPage<ReadingOut>), (status = 400), (status = 401),
        (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_device_readings(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    path: web::Path<i64>,
    q: web::Query<LogsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(crate::auth::Verb::ViewSupply)?;
    let id = path.into_inner();
    let listing = listing.default_size(MAX_PAGE_SIZE);
    let today = today_in_india(state.clock.now());
    let (days, e) = days_of(&q, today, listing.changes.is_some());
    let (changes, page) = (listing.changes, listing.page(q.page));
    let (rows, total) = state
        .db
        .run(move |c| service::readings(c, &actor, id, days, e, changes, page))
        .await?;
    let key = |r: &ReadingOut| (r.received_at, r.id);
    Ok(HttpResponse::Ok().json(listing.finish(rows, page, total, key, vec![])))
}
