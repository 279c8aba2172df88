//! `/api/v1/sms/…`: the SMS outbox for administrators — the messages (filters, pages), the
//! month's summary per GP, and the message templates with their DLT ids.

use super::dlt::{self, SmsTemplateView};
use super::model::{SmsFilter, SmsGpSummary, SmsMessage};
use super::service;
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use serde::Serialize;

crate::endpoints!(api_messages, api_summary, api_templates);

/// A message with its number masked (the last three digits).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SmsMessageView {
    #[serde(flatten)]
    pub message: SmsMessage,
    pub to_masked: String,
}

/// Messages, newest first (`month` YYYY-MM, `gp`, `status`, `page`). Administrators only.
#[utoipa::path(get, path = "/api/v1/sms/messages", tag = "sms", security(("bearer" = [])),
    params(SmsFilter, SyncQuery),
    responses((status = 200, body = ApiPage<SmsMessageView>), (status = 400), (status = 401),
        (status = 403)))]
pub async fn api_messages(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<SmsFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let view = state
        .service(move |ctx| service::admin_view(ctx, f, page))
        .await?;
    let items = view
        .rows
        .into_iter()
        .map(|m| SmsMessageView {
            to_masked: m.masked_to(),
            message: m,
        })
        .collect();
    let key = |m: &SmsMessageView| (m.message.updated_at, m.message.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, view.total, key, vec![])))
}

/// Per GP, how many messages of each status and their cost (`month` YYYY-MM; none: all).
#[utoipa::path(get, path = "/api/v1/sms/summary", tag = "sms", security(("bearer" = [])),
    params(SmsFilter),
    responses((status = 200, body = Vec<SmsGpSummary>), (status = 401), (status = 403)))]
pub async fn api_summary(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<SmsFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let month = q.into_inner().month;
    let rows = state
        .db
        .run(move |c| super::model::summary(c, month.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// The message templates with their DLT ids. Administrators only.
#[utoipa::path(get, path = "/api/v1/sms/templates", tag = "sms", security(("bearer" = [])),
    responses((status = 200, body = Vec<SmsTemplateView>), (status = 401), (status = 403)))]
pub async fn api_templates(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let out = dlt::views(&state.config.sms).map_err(crate::error::AppError::Config)?;
    Ok(HttpResponse::Ok().json(out))
}
