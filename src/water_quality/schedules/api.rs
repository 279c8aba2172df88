//! `/api/v1/water-quality/schedule`: the checks due in the caller's scope and the overdue
//! count.

use super::model;
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::i18n::today_in_india;
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

crate::endpoints!(api_schedule);

/// A check due at a sampling point.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = WaterCheckDue)]
pub struct CheckDue {
    /// The maintenance task (shown in "my tasks").
    pub task_id: i64,
    pub point_id: i64,
    /// ftk, lab_chemical, bacteriological_pre, bacteriological_post or sanitary.
    pub check: String,
    pub due_on: NaiveDate,
    pub deadline_on: NaiveDate,
    /// upcoming, due or overdue.
    pub shown: String,
}

/// The checks due up to a week ahead (and overdue), and how many are overdue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = WaterSchedule)]
pub struct ScheduleView {
    pub overdue: i64,
    pub due: Vec<CheckDue>,
}

/// The water-quality checks due in the caller's scope (at most 500, by due date).
#[utoipa::path(get, path = "/api/v1/water-quality/schedule", tag = "water-quality",
    security(("bearer" = [])),
    responses((status = 200, body = ScheduleView), (status = 401)))]
pub async fn api_schedule(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let today = today_in_india(state.clock.now());
    let grace = state.config.maintenance.grace_days;
    let scope = actor.scope;
    let view = state
        .db
        .run(move |c| {
            let due = model::due_checks(c, &scope, None, today + Duration::days(7), 500)?;
            let overdue = model::overdue_tests(c, &scope, today, grace)?;
            Ok(ScheduleView {
                overdue,
                due: due
                    .into_iter()
                    .map(|d| CheckDue {
                        task_id: d.task.id,
                        point_id: d.point_id,
                        check: d.check.as_str().to_string(),
                        due_on: d.task.due_on,
                        deadline_on: d.task.deadline_on,
                        shown: crate::maintenance::shown_state(&d.task, today, grace)
                            .as_str()
                            .to_string(),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
