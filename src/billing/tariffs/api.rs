//! `/api/v1/tariffs`: the plans in scope, and adding one.

use super::model::{self, PlanWithRates};
use super::{service, TariffInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(api_tariffs, api_tariff_create);

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TariffQuery {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// Tariff plans of the GPs in scope, newest first per GP.
#[utoipa::path(get, path = "/api/v1/tariffs", tag = "billing", security(("bearer" = [])),
    params(TariffQuery, SyncQuery),
    responses((status = 200, body = ApiPage<PlanWithRates>), (status = 400), (status = 401)))]
pub async fn api_tariffs(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<TariffQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let page = listing.page(q.page);
    let (scope, changes) = (actor.scope, listing.changes);
    let (items, total) = state
        .db
        .run(move |c| model::page_in_scope(c, &scope, changes, page.offset(), page.limit()))
        .await?;
    // plans are never deleted
    let key = |p: &PlanWithRates| (p.plan.created_at, p.plan.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Add a tariff plan from a month on (earlier months keep their plan).
#[utoipa::path(post, path = "/api/v1/tariffs", tag = "billing", security(("bearer" = [])),
    request_body = TariffInput,
    responses((status = 201, body = PlanWithRates), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_tariff_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    // `rates` is an object of category → rupees; the other fields are plain values
    let mut body = body.into_inner();
    let rates = body
        .as_object_mut()
        .and_then(|o| o.remove("rates"))
        .unwrap_or(Value::Null);
    let mut input: TariffInput = crate::web::forms::from_json(body, None)?;
    match rates {
        Value::Null => {}
        Value::Object(m) => {
            for (k, v) in m {
                let text = match v {
                    Value::String(s) => s,
                    Value::Number(n) => n.to_string(),
                    _ => return Err(AppError::BadRequest("error-bad-json".into())),
                };
                input.rates.insert(k, text);
            }
        }
        _ => return Err(AppError::BadRequest("error-bad-json".into())),
    }
    let ip = client_ip(&req);
    let p = state
        .service(move |ctx| service::add_tariff(ctx, &actor, &ip, &input))
        .await?;
    Ok(HttpResponse::Created().json(p))
}
