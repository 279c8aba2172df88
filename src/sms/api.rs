//! `/api/v1/sms/…`: the SMS outbox for administrators — the messages (filters, pages), the
//! month's summary per GP, and the message templates with their DLT ids.

use super::model::{SmsFilter, SmsGpSummary, SmsMessage};
use super::{dlt, service};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::{ApiPage, PageRequest};
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
    params(SmsFilter),
    responses((status = 200, body = ApiPage<SmsMessageView>), (status = 401), (status = 403)))]
pub async fn api_messages(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<SmsFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
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
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, view.total)))
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

/// One message key in one language, as registered on DLT.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SmsTemplateView {
    pub key: String,
    pub lang: String,
    pub urgent: bool,
    pub vars: Vec<String>,
    pub dlt_template_id: String,
    /// The approved text with its `{#var#}` slots.
    pub text: String,
    pub provider_template_id: Option<String>,
    /// Switched off everywhere (`sms.disabled_kinds`).
    pub disabled: bool,
}

/// The message templates with their DLT ids. Administrators only.
#[utoipa::path(get, path = "/api/v1/sms/templates", tag = "sms", security(("bearer" = [])),
    responses((status = 200, body = Vec<SmsTemplateView>), (status = 401), (status = 403)))]
pub async fn api_templates(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let t = dlt::get(&state.config.sms.templates_file).map_err(crate::error::AppError::Config)?;
    let mut out = vec![];
    for (key, m) in &t.messages {
        for lang in dlt::LANGS {
            if let Some(l) = m.lang(lang) {
                out.push(SmsTemplateView {
                    key: key.clone(),
                    lang: lang.into(),
                    urgent: m.urgent,
                    vars: m.vars.clone(),
                    dlt_template_id: l.dlt_template_id.clone(),
                    text: l.text.clone(),
                    provider_template_id: l.provider_template_id.clone(),
                    disabled: state.config.sms.disabled_kinds.contains(key),
                });
            }
        }
    }
    Ok(HttpResponse::Ok().json(out))
}
