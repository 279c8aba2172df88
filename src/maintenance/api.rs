//! `/api/v1/maintenance/…`: plans (list, create), tasks (list, complete, skip) and the log of
//! work (list, ad-hoc work).

use super::model::{self, Log, Plan, Task, TaskFilter};
use super::templates::Library;
use super::{service, shown_state, PlanInput, SkipInput, WorkInput};
use crate::audit::deletions::{self, Deleted};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::i18n::today_in_india;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::endpoints!(
    api_plans,
    api_tasks,
    api_complete,
    api_skip,
    api_logs,
    api_create_plan,
    api_log_adhoc
);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemeQuery {
    /// Only this scheme.
    pub scheme: Option<i64>,
    pub page: Option<i64>,
}

/// Maintenance plans inside the caller's scope, by id.
#[utoipa::path(get, path = "/api/v1/maintenance/plans", tag = "maintenance", security(("bearer" = [])),
    params(SchemeQuery, SyncQuery),
    responses((status = 200, body = ApiPage<Plan>), (status = 400), (status = 401)))]
pub async fn api_plans(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<SchemeQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let page = listing.page(q.page);
    let (scope, scheme, changes) = (actor.scope, q.scheme, listing.changes);
    let (items, total) = state
        .db
        .run(move |c| model::plans_in_scope(c, &scope, scheme, changes, page))
        .await?;
    // plans are never deleted (deactivated instead)
    let key = |p: &Plan| (p.updated_at, p.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskItem {
    #[serde(flatten)]
    pub task: Task,
    pub title: String,
    /// upcoming, due, overdue, done, skipped or cancelled.
    pub shown_state: String,
}

/// A new plan: the plan fields plus `scheme_id`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewPlan {
    pub scheme_id: i64,
    #[serde(flatten)]
    pub fields: PlanInput,
}

/// Add a maintenance plan to a scheme (its tasks are planned at once).
#[utoipa::path(post, path = "/api/v1/maintenance/plans", tag = "maintenance", security(("bearer" = [])),
    request_body = NewPlan,
    responses((status = 201, body = Plan), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create_plan(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let (scheme_id, rest) = take_id(body.into_inner(), "scheme_id")?;
    let input: PlanInput = crate::web::forms::from_json(rest, None)?;
    let ip = client_ip(&req);
    let p = state
        .service_with(move |ctx, lib: &Library| {
            service::save_plan(ctx, &actor, &ip, lib, scheme_id, None, input)
        })
        .await?;
    Ok(HttpResponse::Created().json(p))
}

/// Take a required whole-number id field out of a JSON object.
fn take_id(mut body: Value, field: &str) -> AppResult<(i64, Value)> {
    let id = body.get(field).and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    });
    let Some(id) = id else {
        let mut e = crate::error::FieldErrors::new();
        e.add(field, "field-required");
        return Err(AppError::Validation(e));
    };
    if let Value::Object(m) = &mut body {
        m.remove(field);
    }
    Ok((id, body))
}

/// Ad-hoc work: the work fields (with `title`) plus `asset_id`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewWork {
    pub asset_id: i64,
    #[serde(flatten)]
    pub fields: WorkInput,
}

/// Log work that no plan asked for, against an asset.
#[utoipa::path(post, path = "/api/v1/maintenance/logs", tag = "maintenance", security(("bearer" = [])),
    request_body = NewWork,
    responses((status = 201, body = Log), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_log_adhoc(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let (asset_id, rest) = take_id(body.into_inner(), "asset_id")?;
    let input: WorkInput = crate::web::forms::from_json(rest, None)?;
    let ip = client_ip(&req);
    let log = state
        .service(move |ctx| service::log_adhoc(ctx, &actor, &ip, asset_id, input, vec![]))
        .await?;
    Ok(HttpResponse::Created().json(log))
}

/// Tasks inside the caller's scope, by state and due range.
#[utoipa::path(get, path = "/api/v1/maintenance/tasks", tag = "maintenance", security(("bearer" = [])),
    params(TaskFilter, SyncQuery),
    responses((status = 200, body = ApiPage<TaskItem>), (status = 400), (status = 401)))]
pub async fn api_tasks(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<TaskFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let today = today_in_india(listing.now);
    let grace = state.config.maintenance.grace_days;
    let (rows, total, deleted) = state
        .db
        .run(move |c| {
            let (rows, total) = model::list_tasks(c, &scope, &f, page)?;
            let deleted = match &f.changes {
                Some(ch) => deletions::since(c, &scope, Deleted::MaintenanceTask, ch)?,
                None => vec![],
            };
            Ok((rows, total, deleted))
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|(t, p)| TaskItem {
            shown_state: shown_state(&t, today, grace).as_str().into(),
            title: p.title,
            task: t,
        })
        .collect();
    let out = listing.finish(
        items,
        page,
        total,
        |i: &TaskItem| (i.task.updated_at, i.task.id),
        deleted,
    );
    Ok(HttpResponse::Ok().json(out))
}

/// Complete a task with the work done.
#[utoipa::path(post, path = "/api/v1/maintenance/tasks/{id}/complete", tag = "maintenance", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")), request_body = WorkInput,
    responses((status = 201, body = Log), (status = 401), (status = 403), (status = 404), (status = 409, description = "Changed meanwhile (a `conflict` member: kind, current, choices; send again with `on_conflict`), or refused", content_type = "application/problem+json"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_complete(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let mut body = body.into_inner();
    let resend = crate::web::changed::Resend::from_json(&req, &mut body);
    let input: WorkInput = crate::web::forms::from_json(body, None)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let lang = crate::web::i18n::Lang::parse(&actor.user.lang).unwrap_or_default();
    let also = state.i18n.t(
        lang,
        "conflict-also-done-note",
        &[("date", "{date}".into())],
    );
    let log = state
        .service_with(move |ctx, lib: &Library| {
            service::complete_task(ctx, &actor, &ip, lib, id, input, vec![], resend, &also)
        })
        .await?;
    Ok(HttpResponse::Created().json(log))
}

/// Skip a task, with the reason.
#[utoipa::path(post, path = "/api/v1/maintenance/tasks/{id}/skip", tag = "maintenance", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")), request_body = SkipInput,
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_skip(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let input: SkipInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    state
        .service(move |ctx| service::skip_task(ctx, &actor, &ip, id, input.reason))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The maintenance register (work done) of a scheme, newest first; pulling changes
/// (`updated_since`), of every scheme in scope unless `scheme` names one, in the order the
/// work was recorded.
#[utoipa::path(get, path = "/api/v1/maintenance/logs", tag = "maintenance", security(("bearer" = [])),
    params(SchemeQuery, SyncQuery),
    responses((status = 200, body = ApiPage<Log>), (status = 400), (status = 401), (status = 404),
        (status = 422, description = "No scheme (and no updated_since)", content_type = "application/problem+json")))]
pub async fn api_logs(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<SchemeQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    if q.scheme.is_none() && listing.changes.is_none() {
        let mut e = crate::error::FieldErrors::new();
        e.add("scheme", "field-required");
        return Err(AppError::Validation(e));
    }
    let page = listing.page(q.page);
    let (scope, scheme, changes) = (actor.scope, q.scheme, listing.changes);
    let (items, total) = state
        .db
        .run(move |c| {
            if let Some(id) = scheme {
                crate::schemes::find_in_scope(c, &scope, id)?;
            }
            model::logs_in_scope(c, &scope, scheme, changes, page)
        })
        .await?;
    // log entries are never deleted
    let key = |l: &Log| (l.created_at, l.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}
