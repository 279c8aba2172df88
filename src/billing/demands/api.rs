//! `/api/v1/demands` and `/api/v1/demand-runs`: preview and raise a month, charge late fees,
//! list demands and runs, cancel a run.

use super::model::{self, Demand, DemandFilter, Preview, Run};
use super::service;
use crate::audit::deletions::{self, Deleted};
use crate::auth::{Actor, Verb};
use crate::billing::CancelInput;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::endpoints!(
    api_preview,
    api_raise,
    api_late_fees,
    api_demands,
    api_runs,
    api_cancel_run
);

#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
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
    responses((status = 200, body = Preview), (status = 401), (status = 403), (status = 422)))]
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
        .run(move |c| model::preview(c, &scope, month))
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
    responses((status = 201, body = Vec<Run>), (status = 401), (status = 403),
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
    let ip = client_ip(&req);
    let runs = state
        .service(move |ctx| service::raise_month(ctx, &actor, &ip, month, expected))
        .await?;
    Ok(HttpResponse::Created().json(runs))
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
    let ip = client_ip(&req);
    let charged = state
        .service(move |ctx| service::charge_late_fees(ctx, &actor, &ip))
        .await?;
    Ok(HttpResponse::Ok().json(LateFees { charged }))
}
/// Demands in scope, newest month first.
#[utoipa::path(get, path = "/api/v1/demands", tag = "billing", security(("bearer" = [])),
    params(DemandFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Demand>), (status = 400), (status = 401)))]
pub async fn api_demands(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<DemandFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total, deleted) = state
        .db
        .run(move |c| {
            let (items, total) = model::list(c, &scope, &f, page)?;
            let deleted = match &f.changes {
                Some(ch) => deletions::since(c, &scope, Deleted::Demand, ch)?,
                None => vec![],
            };
            Ok((items, total, deleted))
        })
        .await?;
    let key = |d: &Demand| (d.changed_at(), d.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, deleted)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// Demand runs in scope, newest first. A run changes (for `updated_since`) only when it is
/// cancelled; a run taken away again (the benchmark's raw run) is in `deleted`.
#[utoipa::path(get, path = "/api/v1/demand-runs", tag = "billing", security(("bearer" = [])),
    params(RunQuery, SyncQuery),
    responses((status = 200, body = ApiPage<Run>), (status = 400), (status = 401)))]
pub async fn api_runs(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<RunQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let page = listing.page(q.page);
    let (scope, changes) = (actor.scope, listing.changes);
    let (items, total, deleted) = state
        .db
        .run(move |c| {
            let (items, total) = model::runs_page(c, &scope, changes, page.offset(), page.limit())?;
            let deleted = match &changes {
                Some(ch) => deletions::since(c, &scope, Deleted::DemandRun, ch)?,
                None => vec![],
            };
            Ok((items, total, deleted))
        })
        .await?;
    let key = |r: &Run| (r.changed_at(), r.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, deleted)))
}

/// Cancel a wrong demand run: its demands are removed, the run stays marked cancelled.
#[utoipa::path(post, path = "/api/v1/demand-runs/{id}/cancel", tag = "billing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Run id")), request_body = CancelInput,
    responses((status = 200, body = Run), (status = 401), (status = 403), (status = 404),
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
    let ip = client_ip(&req);
    let run = state
        .service(move |ctx| service::cancel_demand_run(ctx, &actor, &ip, id, &input.reason))
        .await?;
    Ok(HttpResponse::Ok().json(run))
}
