//! `/api/v1/jobs/runs`: the scheduler's latest runs, for administrators.

use super::{service, JobRun};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpResponse};

crate::endpoints!(api_runs);

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

/// The scheduler's runs, newest first: when, for which clock time, status, what each job did
/// and each failed job's error. Administrators only. A run's times (and so `updated_since`)
/// are the machine's, like its lease: the server's clock is the machine's too.
#[utoipa::path(get, path = "/api/v1/jobs/runs", tag = "jobs", security(("bearer" = [])),
    params(RunsQuery, SyncQuery),
    responses((status = 200, body = ApiPage<JobRun>), (status = 400), (status = 401), (status = 403)))]
pub async fn api_runs(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<RunsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewJobs)?;
    let page = listing.page(q.page);
    let changes = listing.changes;
    let (items, total) = state
        .service(move |ctx| service::runs_page(ctx, changes, page.offset(), page.limit()))
        .await?;
    // runs are never deleted
    let key = |r: &JobRun| (r.updated_at, r.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}
