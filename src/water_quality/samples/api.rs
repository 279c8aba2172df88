//! `/api/v1/water-quality/samples`: tests with their values (list with filters, read,
//! record).

use super::model::{self, SampleFilter, SampleWithValues};
use super::{service, SampleInput};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::water_quality::Standard;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

crate::endpoints!(api_list, api_get, api_create);

/// Tests inside the caller's scope, newest first, with their values.
#[utoipa::path(get, path = "/api/v1/water-quality/samples", tag = "water-quality",
    security(("bearer" = [])), params(SampleFilter, SyncQuery),
    responses((status = 200, body = ApiPage<SampleWithValues>), (status = 400), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<SampleFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| {
            let (rows, total) = model::list(c, &scope, &f, page.offset(), page.limit())?;
            let mut items = Vec::with_capacity(rows.len());
            for s in rows {
                let values = model::values_of(c, &s)?;
                items.push(SampleWithValues { sample: s, values });
            }
            Ok((items, total))
        })
        .await?;
    let key = |x: &SampleWithValues| (x.sample.recorded_at, x.sample.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// One test with its values (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/water-quality/samples/{id}", tag = "water-quality",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Sample id")),
    responses((status = 200, body = SampleWithValues), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let s = state
        .db
        .run(move |c| {
            let sample = model::find_in_scope(c, &scope, id)?;
            let values = model::values_of(c, &sample)?;
            Ok(SampleWithValues { sample, values })
        })
        .await?;
    Ok(HttpResponse::Ok().json(s))
}

/// A test to record: its point and its fields.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSample {
    #[serde(default)]
    pub point_id: Option<i64>,
    #[serde(flatten)]
    pub sample: SampleInput,
}

/// Record a test at a sampling point (404 outside the caller's scope; 422 with field errors:
/// `v_<parameter>` for a value).
#[utoipa::path(post, path = "/api/v1/water-quality/samples", tag = "water-quality",
    security(("bearer" = [])), request_body = NewSample,
    responses((status = 201, body = SampleWithValues), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<NewSample>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWaterTest)?;
    let (ip, body) = (client_ip(&req), body.into_inner());
    let point_id = crate::web::forms::required_id(body.point_id, "point_id")?;
    let s = state
        .service_with(move |ctx, std: &Standard| {
            let s = service::record_sample(ctx, std, &actor, &ip, point_id, body.sample, vec![])?;
            let mut conn = ctx.db.conn()?;
            let values = model::values_of(&mut conn, &s)?;
            Ok(SampleWithValues { sample: s, values })
        })
        .await?;
    Ok(HttpResponse::Created().json(s))
}
