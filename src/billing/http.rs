//! Billing over `/api/v1`: households, tariff plans, demands (preview, raise, list, cancel a
//! run). The secretary's pages come with payments and receipts.

use super::demands::{self, DemandFilter};
use super::payments::{self, Payment, PaymentFilter, PaymentInput};
use super::tariffs::{self, TariffInput};
use super::{cashbook, ledger, receipts};
use super::{HouseholdFilter, HouseholdInput};
use crate::audit;
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::{today_in_india, Lang};
use crate::web::pagination::{ApiPage, PageRequest};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
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
        .route("/api/v1/demands/late-fees", web::post().to(api_late_fees))
        .route("/api/v1/demand-runs", web::get().to(api_runs))
        .route(
            "/api/v1/demand-runs/{id}/cancel",
            web::post().to(api_cancel_run),
        )
        .route("/api/v1/payments", web::get().to(api_payments))
        .route("/api/v1/payments", web::post().to(api_payment_record))
        .route("/api/v1/payments/{id}", web::get().to(api_payment_get))
        .route(
            "/api/v1/payments/{id}/cancel",
            web::post().to(api_payment_cancel),
        )
        .route(
            "/api/v1/payments/{id}/receipt",
            web::get().to(api_payment_receipt),
        )
        .route("/api/v1/ledger/{id}", web::get().to(api_ledger))
        .route("/api/v1/arrears", web::get().to(api_arrears))
        .route("/api/v1/defaulters", web::get().to(api_defaulters))
        .route(
            "/api/v1/collection-efficiency",
            web::get().to(api_efficiency),
        )
        .route("/api/v1/cashbook", web::get().to(api_cashbook))
        .route("/api/v1/cashbook", web::post().to(api_cashbook_create))
        .route(
            "/api/v1/cashbook/{id}/cancel",
            web::post().to(api_cashbook_cancel),
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
    let p = add_tariff(&state, &actor, client_ip(&req), input).await?;
    Ok(HttpResponse::Created().json(p))
}

/// Add a tariff plan with its audit line (the API and the page).
pub async fn add_tariff(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    input: TariffInput,
) -> AppResult<tariffs::PlanWithRates> {
    actor.require(Verb::ManageBilling)?;
    let cats = state.config.billing.categories.clone();
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "create", "tariff_plan", move |c, a| {
        let p = tariffs::create(c, a, &cats, &input, now)?;
        let summary = format!("from {}", p.plan.effective_from.format("%Y-%m"));
        Ok((p.clone(), Some(p.plan.id), summary))
    })
    .await
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams, utoipa::ToSchema)]
#[serde(default)]
pub struct MonthQuery {
    /// YYYY-MM.
    pub month: String,
}

fn month_of(raw: &str) -> AppResult<chrono::NaiveDate> {
    crate::web::forms::parse_month(raw).ok_or_else(|| {
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
    let expected = input.expected.trim().parse::<i64>().ok();
    let runs = raise_month(&state, &actor, client_ip(&req), month, expected).await?;
    Ok(HttpResponse::Created().json(runs))
}

/// Raise a month's demands in the actor's scope, with its audit line (the API and the page):
/// when `expected` is given, only if the preview still shows that many.
pub async fn raise_month(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    month: chrono::NaiveDate,
    expected: Option<i64>,
) -> AppResult<Vec<demands::Run>> {
    actor.require(Verb::ManageBilling)?;
    let due_day = state.config.billing.due_day;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "create", "demand_run", move |c, a| {
        let preview = demands::preview(c, &a.scope, month)?;
        if expected.is_some_and(|x| x != preview.demands) {
            return Err(AppError::Conflict("demand-preview-changed".into()));
        }
        let runs = demands::raise(c, Some(a), &preview, due_day, now, |_| {})?;
        let n: i32 = runs.iter().map(|r| r.demands).sum();
        let summary = format!("{} demands for {}", n, month.format("%Y-%m"));
        Ok((runs, None, summary))
    })
    .await
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LateFees {
    /// Demands charged a late fee by this call.
    pub charged: usize,
}

/// Charge each plan's late fee (if it has one) on the demands in scope still unpaid the plan's
/// number of days after they fell due; each demand once. The scheduler does this daily.
#[utoipa::path(post, path = "/api/v1/demands/late-fees", tag = "billing", security(("bearer" = [])),
    responses((status = 200, body = LateFees), (status = 401), (status = 403)))]
pub async fn api_late_fees(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let charged = charge_late_fees(&state, &actor, client_ip(&req)).await?;
    Ok(HttpResponse::Ok().json(LateFees { charged }))
}

pub async fn charge_late_fees(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
) -> AppResult<usize> {
    actor.require(Verb::ManageBilling)?;
    let today = today_in_india(state.clock.now());
    audit::write_audited(state, actor, ip, "update", "demand_run", move |c, a| {
        let n = demands::apply_late_fees(c, &a.scope, today)?;
        Ok((n, None, format!("late fee on {n} demands")))
    })
    .await
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

/// Payments in scope, newest first.
#[utoipa::path(get, path = "/api/v1/payments", tag = "billing", security(("bearer" = [])),
    params(PaymentFilter), responses((status = 200, body = ApiPage<payments::PaymentRow>), (status = 401)))]
pub async fn api_payments(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<PaymentFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| payments::list(c, &scope, &f, page))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

/// Record a payment and issue its receipt (numbered per GP and financial year). Send an
/// `Idempotency-Key` header: a retry with the same key returns the payment recorded the first
/// time (200, `Idempotent-Replayed: true`) instead of recording it again.
#[utoipa::path(post, path = "/api/v1/payments", tag = "billing", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string per intended payment, e.g. a UUID")),
    request_body = PaymentInput,
    responses((status = 201, body = Payment), (status = 200, body = Payment, description = "A retry: the payment recorded before"),
        (status = 401), (status = 403),
        (status = 409, description = "The key was used for another payment"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_payment_record(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let key = match req.headers().get("Idempotency-Key") {
        Some(v) => Some(payments::check_key(v.to_str().unwrap_or(""))?),
        None => None,
    };
    let input: PaymentInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (p, replayed) = payments::record_once(&state, &actor, client_ip(&req), input, key).await?;
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
        .run(move |c| payments::find_in_scope(c, &scope, id))
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
    let p = cancel_payment(
        &state,
        &actor,
        client_ip(&req),
        path.into_inner(),
        input.reason,
    )
    .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Cancel a payment in the caller's scope, with its audit line (the API and the page).
pub async fn cancel_payment(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    reason: String,
) -> AppResult<Payment> {
    actor.require(Verb::ManageBilling)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "cancel", "payment", move |c, a| {
        let p = payments::find_in_scope(c, &a.scope, id)?;
        let p = payments::cancel(c, a, &p, &reason, now)?;
        let summary = format!("{}: {}", p.receipt_no, reason.trim());
        Ok((p, Some(id), summary))
    })
    .await
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct LangQuery {
    /// en or hi; the caller's language when left out.
    pub lang: String,
}

/// A payment's receipt as printed: amounts in figures and words, months covered, balance
/// after, and the shareable link.
#[utoipa::path(get, path = "/api/v1/payments/{id}/receipt", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Payment id"), LangQuery),
    responses((status = 200, body = receipts::Receipt), (status = 401), (status = 404)))]
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
    let r = state
        .db
        .run(move |c| {
            let p = payments::find_in_scope(c, &scope, id)?;
            receipts::receipt(c, &i18n, lang, p)
        })
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// A household's ledger: demands, payments and cancellations with the running balance, and
/// each month's demand with what has been paid of it.
#[utoipa::path(get, path = "/api/v1/ledger/{id}", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, body = ledger::Ledger), (status = 401), (status = 404)))]
pub async fn api_ledger(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let l = state
        .db
        .run(move |c| {
            let h = super::find_in_scope(c, &scope, id)?;
            ledger::ledger(c, &h)
        })
        .await?;
    Ok(HttpResponse::Ok().json(l))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ArrearsQuery {
    /// One GP (place id) inside the caller's scope; all of them when left out.
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// YYYY-MM: the month ages are counted to (this month when left out).
    pub month: String,
    /// village (default) or gp.
    pub by: String,
    /// Defaulters: at least this many unpaid months (`billing.defaulter_months` by default).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub months: Option<i64>,
}

impl ArrearsQuery {
    pub fn month_or(&self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        crate::web::forms::parse_month(&self.month)
            .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
    }
}

/// Arrears ageing (0–1, 2–3, 4–6, 7–12, >12 months) per village or per GP.
#[utoipa::path(get, path = "/api/v1/arrears", tag = "billing", security(("bearer" = [])),
    params(ArrearsQuery), responses((status = 200, body = ledger::Ageing), (status = 401)))]
pub async fn api_arrears(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let month = q.month_or(today_in_india(state.clock.now()));
    let scope = actor.scope;
    let a = state
        .db
        .run(move |c| {
            let gps = ledger::gp_ids(c, &scope, q.gp)?;
            ledger::ageing(c, &gps, month, q.by == "gp")
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Households with at least `months` unpaid months, most owed first, with phone numbers.
#[utoipa::path(get, path = "/api/v1/defaulters", tag = "billing", security(("bearer" = [])),
    params(ArrearsQuery), responses((status = 200, body = Vec<ledger::Defaulter>), (status = 401)))]
pub async fn api_defaulters(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let month = q.month_or(today_in_india(state.clock.now()));
    let min = q
        .months
        .unwrap_or(state.config.billing.defaulter_months)
        .max(1);
    let scope = actor.scope;
    let rows = state
        .db
        .run(move |c| {
            let gps = ledger::gp_ids(c, &scope, q.gp)?;
            ledger::defaulters(c, &gps, month, min, 5000)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Collection efficiency for the 12 months up to `month`: collected for each month's demands
/// over what was demanded, and cumulatively.
#[utoipa::path(get, path = "/api/v1/collection-efficiency", tag = "billing", security(("bearer" = [])),
    params(ArrearsQuery), responses((status = 200, body = Vec<ledger::Efficiency>), (status = 401)))]
pub async fn api_efficiency(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let to = q.month_or(today_in_india(state.clock.now()));
    let from = to.checked_sub_months(chrono::Months::new(11)).unwrap_or(to);
    let scope = actor.scope;
    let rows = state
        .db
        .run(move |c| {
            let gps = ledger::gp_ids(c, &scope, q.gp)?;
            ledger::efficiency(c, &gps, from, to)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct CashbookQuery {
    /// The GP (place id); the caller's own (or the first in scope) when left out.
    pub gp: String,
    /// YYYY-MM (this month when left out).
    pub month: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CashbookView {
    pub statement: cashbook::Statement,
    pub cost_recovery: cashbook::CostRecovery,
}

/// The cash book's monthly statement (opening balance, entries and tariff collections,
/// closing balance) with the 12-month cost recovery.
#[utoipa::path(get, path = "/api/v1/cashbook", tag = "billing", security(("bearer" = [])),
    params(CashbookQuery), responses((status = 200, body = CashbookView), (status = 401), (status = 404)))]
pub async fn api_cashbook(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<CashbookQuery>,
) -> AppResult<HttpResponse> {
    let v = cashbook_view(&state, &actor, q.into_inner()).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The statement and cost recovery for a GP in the actor's scope (the API and the page).
pub async fn cashbook_view(
    state: &web::Data<AppState>,
    actor: &Actor,
    q: CashbookQuery,
) -> AppResult<CashbookView> {
    actor.require(Verb::ViewBilling)?;
    let today = today_in_india(state.clock.now());
    let month = crate::web::forms::parse_month(&q.month)
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let a = actor.clone();
    state
        .db
        .run(move |c| {
            // the GP asked for, else the caller's own, else the first one in scope
            let gp = match a.scope.gp_named(c, &q.gp)? {
                Some(g) => g,
                None if q.gp.trim().is_empty() => ledger::gp_ids(c, &a.scope, None)?
                    .first()
                    .copied()
                    .ok_or(AppError::NotFound)?,
                None => return Err(AppError::NotFound),
            };
            Ok(CashbookView {
                statement: cashbook::statement(c, gp, month)?,
                cost_recovery: cashbook::cost_recovery(c, gp, month)?,
            })
        })
        .await
}

/// Add a cash book entry: the opening balance (once), an income or an expense with its voucher.
#[utoipa::path(post, path = "/api/v1/cashbook", tag = "billing", security(("bearer" = [])),
    request_body = cashbook::EntryInput,
    responses((status = 201, body = cashbook::Entry), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_cashbook_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: cashbook::EntryInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let e = add_cashbook_entry(&state, &actor, client_ip(&req), input).await?;
    Ok(HttpResponse::Created().json(e))
}

pub async fn add_cashbook_entry(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    input: cashbook::EntryInput,
) -> AppResult<cashbook::Entry> {
    actor.require(Verb::ManageBilling)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "create", "cashbook_entry", move |c, a| {
        let e = cashbook::create(c, a, &input, now)?;
        let summary = format!(
            "{} {} {}",
            e.kind,
            e.head,
            crate::web::i18n::format_money(e.amount_paise)
        );
        Ok((e.clone(), Some(e.id), summary))
    })
    .await
}

/// Cancel a wrong cash book entry (it stays, struck out, with the reason).
#[utoipa::path(post, path = "/api/v1/cashbook/{id}/cancel", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Entry id")), request_body = CancelInput,
    responses((status = 200, body = cashbook::Entry), (status = 401), (status = 403), (status = 404),
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
    let e = cancel_cashbook_entry(
        &state,
        &actor,
        client_ip(&req),
        path.into_inner(),
        input.reason,
    )
    .await?;
    Ok(HttpResponse::Ok().json(e))
}

pub async fn cancel_cashbook_entry(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    reason: String,
) -> AppResult<cashbook::Entry> {
    actor.require(Verb::ManageBilling)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "cancel", "cashbook_entry", move |c, a| {
        let e = cashbook::find_in_scope(c, &a.scope, id)?;
        let e = cashbook::cancel(c, a, &e, &reason, now)?;
        let summary = format!("{} {}: {}", e.head, e.amount_paise, reason.trim());
        Ok((e, Some(id), summary))
    })
    .await
}
