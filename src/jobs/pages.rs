//! The scheduler's runs for administrators: `/admin/jobs`.

use super::{service, RunStatus};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/jobs", web::get().to(runs_page));
}

async fn runs_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewJobs)?;
    let list = ui.state.service(service::recent_runs).await?;
    let (failed_mail, waiting) = ui.state.service(service::mail_status).await?;
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
                "alert": !failed.is_empty() || r.status == RunStatus::Abandoned.as_str(),
                "run": r,
                "status_key": RunStatus::label_key_of(&r.status),
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
