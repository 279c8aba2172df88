//! The schedule page: the checks due (and overdue) in the viewer's scope, each leading to its
//! point's test or inspection form, the overdue count, and (for who manages water quality)
//! a button that brings the plans in step with the configuration at once. Also the link a
//! check's task leads to ([`form_link`]), used by the maintenance task page.

use super::{model, service, CheckKind};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::i18n::{format_date, today_in_india};
use crate::web::render::{redirect_flash, Ui};
use actix_web::{web, HttpResponse};
use chrono::Duration;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/schedule", web::get().to(schedule_page))
        .route(
            "/water-quality/schedule/raise",
            web::post().to(raise_submit),
        );
}

/// Where a check's task is done: the point's test form of the check's kind, or its
/// inspection form — for a role that may record it (`None` otherwise: a laboratory check
/// is done by the laboratory's result).
pub fn form_link(point_id: i64, check: CheckKind, role: crate::auth::Role) -> Option<String> {
    if !role.allows(Verb::RecordWaterTest) {
        return None;
    }
    match check.test_kind() {
        Some(k) if k.recordable_by(role) => Some(format!(
            "/water-quality/points/{point_id}/samples/new?kind={}",
            k.as_str()
        )),
        None if crate::water_quality::inspections::service::may_record(role) => {
            Some(format!("/water-quality/points/{point_id}/inspections/new"))
        }
        _ => None,
    }
}

async fn schedule_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let (scope, lang) = (actor.scope, ui.lang());
    let (due, overdue, points) = ui
        .state
        .db
        .run(move |c| {
            let due = model::due_checks(c, &scope, None, today + Duration::days(7), 300)?;
            let overdue = model::overdue_tests(c, &scope, today, grace)?;
            let mut ids: Vec<i64> = due.iter().map(|d| d.point_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut points = std::collections::HashMap::new();
            for id in ids {
                points.insert(id, crate::water_quality::points::model::find(c, id)?);
            }
            Ok((due, overdue, points))
        })
        .await?;
    let rows: Vec<Value> = due
        .iter()
        .map(|d| {
            let shown = crate::maintenance::shown_state(&d.task, today, grace);
            json!({
                "task_id": d.task.id,
                "point": points.get(&d.point_id).map(|p| p.display_name(lang)),
                "check_key": CheckKind::label_key_of(d.check.as_str()),
                "due_on": format_date(d.task.due_on),
                "deadline_on": format_date(d.task.deadline_on),
                "state_key": shown.label_key(),
                "overdue": shown == crate::maintenance::Shown::Overdue,
                "link": form_link(d.point_id, d.check, actor.role),
            })
        })
        .collect();
    ui.render(
        "water_quality/schedules/schedule",
        "wq-schedule-title",
        json!({
            "due": rows,
            "overdue": overdue,
            "can_manage": actor.can(Verb::ManageWaterQuality),
        }),
    )
}

async fn raise_submit(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let scope = actor.scope;
    let config = ui.state.config.clone();
    let now = ui.state.clock.now();
    ui.state
        .db
        .run(move |c| service::raise(c, &config, &scope, today_in_india(now), now))
        .await?;
    Ok(redirect_flash(
        "/water-quality/schedule",
        "flash-wq-schedule-raised",
    ))
}

/// The latest inspection of each point of a scheme and the checks due at them in a week,
/// for the scheme's points page.
pub fn points_checks(
    c: &mut crate::db::DbConn,
    scope: &crate::auth::Scope,
    gp_id: i64,
    points: &[crate::water_quality::points::model::SamplingPoint],
    today: chrono::NaiveDate,
) -> AppResult<(
    std::collections::BTreeMap<i64, crate::water_quality::inspections::Inspection>,
    Vec<model::DueCheck>,
)> {
    let ids: Vec<i64> = points.iter().map(|p| p.id).collect();
    let latest = crate::water_quality::inspections::model::latest_of_points(c, gp_id, &ids)?;
    let mut due = vec![];
    for p in points.iter().filter(|p| p.active) {
        due.extend(model::due_checks(
            c,
            scope,
            Some(p.id),
            today + Duration::days(7),
            20,
        )?);
    }
    Ok((latest, due))
}

/// The checks due at a point (names and where each is done).
pub fn due_json(due: &[model::DueCheck], point: i64, role: crate::auth::Role) -> Value {
    json!(due
        .iter()
        .filter(|d| d.point_id == point)
        .map(|d| json!({
            "check_key": CheckKind::label_key_of(d.check.as_str()),
            "due_on": format_date(d.task.due_on),
            "link": form_link(d.point_id, d.check, role),
        }))
        .collect::<Vec<_>>())
}
