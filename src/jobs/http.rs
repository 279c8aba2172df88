//! The scheduler's runs for administrators: `/admin/jobs` and `/api/v1/jobs/runs`.

use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::render::Ui;
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/jobs", web::get().to(runs_page))
        .route("/api/v1/jobs/runs", web::get().to(api_runs));
}

async fn runs(state: &web::Data<AppState>, actor: &Actor) -> AppResult<Vec<super::JobRun>> {
    actor.require(Verb::ViewJobs)?;
    state.db.run(|c| super::recent_runs(c, 100)).await
}

async fn runs_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    let list = runs(&ui.state, &actor).await?;
    let (failed_mail, waiting) = ui
        .state
        .db
        .run(|c| Ok((crate::mail::failed(c, 50)?, crate::mail::waiting(c)?)))
        .await?;
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            let counts: Value = serde_json::from_str(&r.counts).unwrap_or(json!({}));
            let errors: Value = serde_json::from_str(&r.errors).unwrap_or(json!({}));
            let jobs: Vec<Value> = counts
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter(|(_, v)| {
                            v.as_object().is_some_and(|o| {
                                o.values().any(|n| n.as_u64().is_some_and(|n| n > 0))
                            })
                        })
                        .map(|(k, v)| json!({"name": k, "counts": v.to_string()}))
                        .collect()
                })
                .unwrap_or_default();
            let failed: Vec<Value> = errors
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| json!({"name": k, "error": v.as_str().unwrap_or_default()}))
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "run": r,
                "status_key": format!("jobs-status-{}", r.status),
                "jobs": jobs,
                "failed": failed,
            })
        })
        .collect();
    ui.render(
        "jobs/runs",
        "jobs-title",
        json!({"rows": rows, "enabled": ui.state.config.jobs.enabled,
               "interval": ui.state.config.jobs.interval_seconds,
               "failed_mail": failed_mail, "waiting": waiting,
               "transport": ui.state.config.mail.transport}),
    )
}

/// The latest 100 scheduler runs, newest first: when, for which clock time, status, what
/// each job did and each failed job's error. Administrators only.
#[utoipa::path(get, path = "/api/v1/jobs/runs", tag = "jobs", security(("bearer" = [])),
    responses((status = 200, body = Vec<super::JobRun>), (status = 401), (status = 403)))]
pub async fn api_runs(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(runs(&state, &actor).await?))
}
