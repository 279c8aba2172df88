//! `/api/v1/supply/schemes/{id}/…`: a scheme's daily logs (list; create or change a day),
//! its month's figures and its functionality. Outside the caller's scope a scheme is 404.

use super::figures::Figures;
use super::service::{self, Usual, Why};
use super::{Criterion, Functionality, LogInput, Norms, SupplyLog};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::today_in_india;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery, MAX_PAGE_SIZE};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::endpoints!(api_logs, api_save_log, api_figures, api_functionality);

/// The days of a list of logs (pulling changes with neither given: every day).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogsQuery {
    /// First day (YYYY-MM-DD); 30 days before `to` when left out.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD); today when left out.
    #[serde(default)]
    pub to: Option<String>,
    /// Page number, from 1.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// The month asked for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// YYYY-MM; this month when left out.
    #[serde(default)]
    pub month: Option<String>,
}

fn day_param(raw: Option<&str>, field: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    let d = crate::web::forms::parse_date(raw);
    if d.is_none() {
        e.add(field, "field-bad-date");
    }
    d
}

fn month_param(raw: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today.with_day(1).unwrap_or(today)),
        Some(m) => crate::web::forms::parse_month(m).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add("month", "field-bad-month");
            AppError::Validation(e)
        }),
    }
}

/// The days a list of logs or readings covers: `from..=to` (at most a year; by default the 30
/// days to today), or, pulling changes (`updated_since`) with neither given, every day. The
/// field errors are answered after the scheme is found (404 first).
pub fn days_of(
    q: &LogsQuery,
    today: NaiveDate,
    pulling: bool,
) -> (Option<(NaiveDate, NaiveDate)>, FieldErrors) {
    let mut e = FieldErrors::new();
    let to = day_param(q.to.as_deref(), "to", &mut e);
    let from = day_param(q.from.as_deref(), "from", &mut e);
    if pulling && to.is_none() && from.is_none() {
        return (None, e);
    }
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to - Duration::days(30));
    if from > to || (to - from).num_days() > 366 {
        e.add("from", "supply-range-invalid");
    }
    (Some((from, to)), e)
}

/// A scheme's logs, oldest day first (at most a year at a time), a page of up to 500.
#[utoipa::path(get, path = "/api/v1/supply/schemes/{id}/logs", tag = "supply", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id"), LogsQuery, SyncQuery),
    responses((status = 200, body = ApiPage<SupplyLog>), (status = 400), (status = 401),
        (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_logs(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    path: web::Path<i64>,
    q: web::Query<LogsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let id = path.into_inner();
    let listing = listing.default_size(MAX_PAGE_SIZE);
    let today = today_in_india(state.clock.now());
    let (days, e) = days_of(&q, today, listing.changes.is_some());
    let (changes, page) = (listing.changes, listing.page(q.page));
    let scope = actor.scope;
    let (rows, total) = state
        .db
        .run(move |c| {
            let scheme = crate::schemes::find_in_scope(c, &scope, id)?;
            e.into_result()?;
            super::model::logs_page(c, scheme.gp_id, scheme.id, days, changes, page)
        })
        .await?;
    let key = |l: &SupplyLog| (l.updated_at, l.id);
    Ok(HttpResponse::Ok().json(listing.finish(rows, page, total, key, vec![])))
}

/// Log a day (or change the day's log): 201 when new, 200 when changed. Members log today,
/// yesterday and the day before; secretaries any earlier day too.
#[utoipa::path(post, path = "/api/v1/supply/schemes/{id}/logs", tag = "supply", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")),
    request_body = LogInput,
    responses((status = 201, body = SupplyLog), (status = 200, body = SupplyLog), (status = 401),
        (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_save_log(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::LogSupply)?;
    let id = path.into_inner();
    let input: LogInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    let (row, created) = state
        .service(move |ctx| service::save_log(ctx, &a, &ip, id, input))
        .await?;
    Ok(if created {
        HttpResponse::Created().json(row)
    } else {
        HttpResponse::Ok().json(row)
    })
}

/// A scheme's figures for a month (in OpenAPI `SupplyMonthFigures`: dashboards have
/// `MonthFigures`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SupplyMonthFigures)]
pub struct MonthFigures {
    pub month: NaiveDate,
    pub norms: Norms,
    pub usual: Usual,
    pub figures: Figures,
}

/// A scheme's functionality for a month, with its criteria and reasons.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MonthFunctionality {
    pub month: NaiveDate,
    pub functionality: Functionality,
    pub quantity: Criterion,
    pub regularity: Criterion,
    pub quality: Criterion,
    pub reasons: Vec<Why>,
    pub lpcd: Option<f64>,
    pub regularity_percent: Option<f64>,
    pub norms: Norms,
    /// The tail-end check counted (a failed one makes quantity not met).
    pub tail_end: Option<super::tail_end::TailEnd>,
}

async fn month(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
    raw: Option<&str>,
) -> AppResult<service::Month> {
    actor.require(Verb::ViewSupply)?;
    let (scope, config, now) = (actor.scope, state.config.clone(), state.clock.now());
    let month = month_param(raw, today_in_india(now));
    state
        .db
        .run(move |c| {
            let scheme = crate::schemes::find_in_scope(c, &scope, id)?;
            service::month_of(c, &config, &scheme, month?, now)
        })
        .await
}

/// Volume, persons served, lpcd, supply hours, regularity, energy per kL and days without
/// supply by reason, for a month (counted up to today).
#[utoipa::path(get, path = "/api/v1/supply/schemes/{id}/figures", tag = "supply", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id"), MonthQuery),
    responses((status = 200, body = MonthFigures), (status = 401), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_figures(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let m = month(&state, &actor, path.into_inner(), q.month.as_deref()).await?;
    Ok(HttpResponse::Ok().json(MonthFigures {
        month: m.month,
        norms: m.norms,
        usual: m.usual,
        figures: m.figures,
    }))
}

/// Functional, partly functional or not functional for a month: quantity (lpcd against the
/// norm), regularity (share of scheduled days and hours), quality; with the reasons.
#[utoipa::path(get, path = "/api/v1/supply/schemes/{id}/functionality", tag = "supply", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id"), MonthQuery),
    responses((status = 200, body = MonthFunctionality), (status = 401), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_functionality(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let m = month(&state, &actor, path.into_inner(), q.month.as_deref()).await?;
    Ok(HttpResponse::Ok().json(MonthFunctionality {
        month: m.month,
        functionality: m.functionality,
        quantity: m.quantity,
        regularity: m.regularity,
        quality: m.quality,
        reasons: m.reasons,
        lpcd: m.figures.lpcd,
        regularity_percent: m.figures.regularity_percent,
        norms: m.norms,
        tail_end: m.tail_end,
    }))
}
