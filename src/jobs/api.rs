//! `/api/v1/jobs/runs`: the scheduler's latest runs, for administrators.

use super::{service, JobRun};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::AppState;
use actix_web::{web, HttpResponse};

crate::endpoints!(api_runs);

/// The latest 100 scheduler runs, newest first: when, for which clock time, status, what
/// each job did and each failed job's error. Administrators only.
#[utoipa::path(get, path = "/api/v1/jobs/runs", tag = "jobs", security(("bearer" = [])),
    responses((status = 200, body = Vec<JobRun>), (status = 401), (status = 403)))]
pub async fn api_runs(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewJobs)?;
    let runs = state.service(service::recent_runs).await?;
    Ok(HttpResponse::Ok().json(runs))
}
