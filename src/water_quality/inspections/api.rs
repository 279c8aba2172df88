//! `/api/v1/water-quality/inspections`: sanitary inspections (list with filters, read,
//! record).

use super::model::{self, Inspection, InspectionFilter};
use super::{service, Checklists, InspectionInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_inspections, api_inspection, api_inspection_create);

/// Sanitary inspections inside the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/water-quality/inspections", tag = "water-quality",
    security(("bearer" = [])), params(InspectionFilter, SyncQuery),
    responses((status = 200, body = ApiPage<Inspection>), (status = 400), (status = 401)))]
pub async fn api_inspections(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<InspectionFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| model::list(c, &scope, &f, page.offset(), page.limit()))
        .await?;
    let key = |i: &Inspection| (i.recorded_at, i.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// One inspection (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/water-quality/inspections/{id}", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Inspection id")),
    responses((status = 200, body = Inspection), (status = 401), (status = 404)))]
pub async fn api_inspection(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let i = state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(i))
}

/// An inspection to record: its point and its answers.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = NewSanitaryInspection)]
pub struct NewInspection {
    #[serde(default)]
    pub point_id: Option<i64>,
    #[serde(flatten)]
    pub inspection: InspectionInput,
}

/// Record a sanitary inspection at a point (404 outside the caller's scope; 422 with field
/// errors: `q_<question>` for an answer). Completes the point's due inspection task.
#[utoipa::path(post, path = "/api/v1/water-quality/inspections", tag = "water-quality",
    security(("bearer" = [])), request_body = NewInspection,
    responses((status = 201, body = Inspection), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_inspection_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<NewInspection>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWaterTest)?;
    if !service::may_record(actor.role) {
        return Err(AppError::Forbidden);
    }
    let (ip, body) = (client_ip(&req), body.into_inner());
    let Some(point_id) = body.point_id else {
        let mut e = FieldErrors::new();
        e.add("point_id", "field-required");
        return Err(AppError::Validation(e));
    };
    let i = state
        .service_with(move |ctx, lists: &Checklists| {
            service::record_inspection(ctx, lists, &actor, &ip, point_id, body.inspection)
        })
        .await?;
    Ok(HttpResponse::Created().json(i))
}
