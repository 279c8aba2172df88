//! Billing over `/api/v1`: households, tariff plans, demands (preview, raise, list, cancel a
//! run). The secretary's pages come with payments and receipts.

use super::demands::{self, DemandFilter};
use super::tariffs::{self, TariffInput};
use super::{HouseholdFilter, HouseholdInput};
use crate::audit;
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::pagination::{ApiPage, PageRequest};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/households", web::get().to(api_households))
        .route("/api/v1/households", web::post().to(api_household_create))
        .route("/api/v1/households/{id}", web::get().to(api_household_get))
        .route(
            "/api/v1/households/{id}",
            web::patch().to(api_household_update),
        )
        .route("/api/v1/tariffs", web::get().to(api_tariffs))
        .route("/api/v1/tariffs", web::post().to(api_tariff_create))
        .route("/api/v1/demands", web::get().to(api_demands))
        .route("/api/v1/demands", web::post().to(api_raise))
        .route("/api/v1/demands/preview", web::get().to(api_preview))
        .route("/api/v1/demand-runs", web::get().to(api_runs))
        .route(
            "/api/v1/demand-runs/{id}/cancel",
            web::post().to(api_cancel_run),
        );
}

/// Households in the caller's scope (active by default).
#[utoipa::path(get, path = "/api/v1/households", tag = "billing", security(("bearer" = [])),
    params(HouseholdFilter), responses((status = 200, body = ApiPage<super::Household>), (status = 401)))]
pub async fn api_households(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<HouseholdFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| super::list(c, &scope, &f, page))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

/// Add a household (connection numbers are unique in a GP).
#[utoipa::path(post, path = "/api/v1/households", tag = "billing", security(("bearer" = [])),
    request_body = HouseholdInput,
    responses((status = 201, body = super::Household), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_household_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let input: HouseholdInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let cats = state.config.billing.categories.clone();
    let now = state.clock.now();
    let h = audit::write_audited(
        &state,
        &actor,
        client_ip(&req),
        "create",
        "household",
        move |c, a| {
            let h = super::create(c, a, &cats, &input, now)?;
            let summary = format!("{} {}", h.connection_no, h.head_name);
            Ok((h.clone(), Some(h.id), summary))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(h))
}

#[utoipa::path(get, path = "/api/v1/households/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, body = super::Household), (status = 401), (status = 404)))]
pub async fn api_household_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let h = state
        .db
        .run(move |c| super::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(h))
}

/// Change a household: the fields sent replace the stored ones.
#[utoipa::path(patch, path = "/api/v1/households/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Household id")), request_body = HouseholdInput,
    responses((status = 200, body = super::Household), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_household_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let id = path.into_inner();
    let body = body.into_inner();
    let cats = state.config.billing.categories.clone();
    let now = state.clock.now();
    let h = audit::write_audited(
        &state,
        &actor,
        client_ip(&req),
        "update",
        "household",
        move |c, a| {
            let old = super::find_in_scope(c, &a.scope, id)?;
            let input: HouseholdInput =
                crate::web::forms::from_json(body, Some(&HouseholdInput::from(&old)))?;
            let h = super::update(c, a, &cats, &old, &input, now)?;
            let summary = format!("{} {}", h.connection_no, h.head_name);
            Ok((h, Some(id), summary))
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(h))
}

/// Tariff plans of the GPs in scope, newest first per GP.
#[utoipa::path(get, path = "/api/v1/tariffs", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = Vec<tariffs::PlanWithRates>), (status = 401)))]
pub async fn api_tariffs(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let scope = actor.scope;
    let plans = state
        .db
        .run(move |c| tariffs::list_in_scope(c, &scope))
        .await?;
    Ok(HttpResponse::Ok().json(plans))
}

/// Add a tariff plan from a month on (earlier months keep their plan).
#[utoipa::path(post, path = "/api/v1/tariffs", tag = "billing", security(("bearer" = [])),
    request_body = TariffInput,
    responses((status = 201, body = tariffs::PlanWithRates), (status = 401), (status = 403),
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
    let cats = state.config.billing.categories.clone();
    let now = state.clock.now();
    let p = audit::write_audited(
        &state,
        &actor,
        client_ip(&req),
        "create",
        "tariff_plan",
        move |c, a| {
            let p = tariffs::create(c, a, &cats, &input, now)?;
            let summary = format!("from {}", p.plan.effective_from.format("%Y-%m"));
            Ok((p.clone(), Some(p.plan.id), summary))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(p))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams, utoipa::ToSchema)]
#[serde(default)]
pub struct MonthQuery {
    /// YYYY-MM.
    pub month: String,
}

fn month_of(raw: &str) -> AppResult<chrono::NaiveDate> {
    tariffs::parse_month(raw).ok_or_else(|| {
        let mut e = FieldErrors::new();
        e.add("month", "field-bad-month");
        AppError::Validation(e)
    })
}

/// What raising the month's demands would create, per GP in scope (nothing is written).
#[utoipa::path(get, path = "/api/v1/demands/preview", tag = "billing", security(("bearer" = [])),
    params(MonthQuery),
    responses((status = 200, body = demands::Preview), (status = 401), (status = 403), (status = 422)))]
pub async fn api_preview(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let month = month_of(&q.month)?;
    let scope = actor.scope;
    let p = state
        .db
        .run(move |c| demands::preview(c, &scope, month))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RaiseInput {
    /// YYYY-MM.
    pub month: String,
    /// The number of demands the preview showed: the raise goes ahead only if it still
    /// matches (nothing changed in between).
    pub expected: String,
}

/// Raise the month's demands in every GP of the caller's scope with a plan. Idempotent: only
/// missing demands are added.
#[utoipa::path(post, path = "/api/v1/demands", tag = "billing", security(("bearer" = [])),
    request_body = RaiseInput,
    responses((status = 201, body = Vec<demands::Run>), (status = 401), (status = 403),
        (status = 409, description = "The preview no longer matches"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_raise(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let input: RaiseInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let month = month_of(&input.month)?;
    let due_day = state.config.billing.due_day;
    let now = state.clock.now();
    let runs = audit::write_audited(
        &state,
        &actor,
        client_ip(&req),
        "create",
        "demand_run",
        move |c, a| {
            let preview = demands::preview(c, &a.scope, month)?;
            if let Ok(expected) = input.expected.trim().parse::<i64>() {
                if preview.demands != expected {
                    return Err(AppError::Conflict("demand-preview-changed".into()));
                }
            }
            let runs = demands::raise(c, Some(a), &preview, due_day, now, |_| {})?;
            let n: i32 = runs.iter().map(|r| r.demands).sum();
            let summary = format!("{} demands for {}", n, month.format("%Y-%m"));
            Ok((runs, None, summary))
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(runs))
}

/// Demands in scope, newest month first.
#[utoipa::path(get, path = "/api/v1/demands", tag = "billing", security(("bearer" = [])),
    params(DemandFilter), responses((status = 200, body = ApiPage<demands::Demand>), (status = 401)))]
pub async fn api_demands(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<DemandFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| demands::list(c, &scope, &f, page))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

/// Demand runs in scope, newest first (the last 100).
#[utoipa::path(get, path = "/api/v1/demand-runs", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = Vec<demands::Run>), (status = 401)))]
pub async fn api_runs(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let scope = actor.scope;
    let runs = state.db.run(move |c| demands::runs(c, &scope, 100)).await?;
    Ok(HttpResponse::Ok().json(runs))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CancelInput {
    /// Why (required).
    pub reason: String,
}

/// Cancel a wrong demand run: its demands are removed, the run stays marked cancelled.
#[utoipa::path(post, path = "/api/v1/demand-runs/{id}/cancel", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Run id")), request_body = CancelInput,
    responses((status = 200, body = demands::Run), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Already cancelled"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_cancel_run(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let id = path.into_inner();
    let input: CancelInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let now = state.clock.now();
    let run = audit::write_audited(
        &state,
        &actor,
        client_ip(&req),
        "cancel",
        "demand_run",
        move |c, a| {
            let run = demands::find_run_in_scope(c, &a.scope, id)?;
            let run = demands::cancel_run(c, a, &run, &input.reason, now)?;
            let summary = format!(
                "{} demands for {}: {}",
                run.demands,
                run.month.format("%Y-%m"),
                input.reason.trim()
            );
            Ok((run, Some(id), summary))
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(run))
}
