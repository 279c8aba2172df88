//! `/api/v1/tariffs`: the plans in scope, and adding one.

use super::model::{self, PlanWithRates};
use super::{service, TariffInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(api_tariffs, api_tariff_create);

/// Tariff plans of the GPs in scope, newest first per GP.
#[utoipa::path(get, path = "/api/v1/tariffs", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = Vec<PlanWithRates>), (status = 401)))]
pub async fn api_tariffs(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let scope = actor.scope;
    let plans = state
        .db
        .run(move |c| model::list_in_scope(c, &scope))
        .await?;
    Ok(HttpResponse::Ok().json(plans))
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
