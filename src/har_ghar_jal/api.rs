//! `/api/v1/har-ghar-jal/…`: the counts of the GPs in scope, a GP's villages with their
//! status, a village's checklist (read, save), and reporting and certifying it. The scan of
//! the resolution is uploaded on the village's page (a form with files). Outside the
//! caller's scope a village or GP is 404.

use super::model::{self, Counts, Document, Record};
use super::{service, ChecklistInput, Status};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

crate::endpoints!(
    api_counts,
    api_gp_villages,
    api_village,
    api_save,
    api_report,
    api_certify
);

/// A village and where it stands (its checklist when it has one).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HarGharJalVillageStatus)]
pub struct VillageStatus {
    pub village_id: i64,
    pub gp_id: Option<i64>,
    pub name: String,
    pub name_hi: Option<String>,
    pub status: Status,
    pub checklist: Option<Record>,
    /// The pages of the Gram Sabha resolution's scan.
    pub documents: Vec<Document>,
}

/// The GPs asked for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// Only the GPs of this block or district (404 outside the caller's scope).
    pub place: Option<i64>,
}

/// Every GP inside the caller's scope with its villages, reported and certified counts.
#[utoipa::path(get, path = "/api/v1/har-ghar-jal/counts", tag = "har-ghar-jal",
    security(("bearer" = [])), params(CountsQuery),
    responses((status = 200, body = Vec<Counts>), (status = 401), (status = 403), (status = 404)))]
pub async fn api_counts(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<CountsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let (scope, place) = (actor.scope, q.place);
    let counts = state
        .db
        .run(move |c| {
            let scope = match place {
                Some(p) => scope.narrowed_to(c, p)?,
                None => scope,
            };
            model::counts_in_scope(c, &scope)
        })
        .await?;
    Ok(HttpResponse::Ok().json(counts))
}

/// A GP's villages with their status, by name.
#[utoipa::path(get, path = "/api/v1/har-ghar-jal/gps/{id}/villages", tag = "har-ghar-jal",
    security(("bearer" = [])), params(("id" = i64, Path, description = "GP id")),
    responses((status = 200, body = Vec<VillageStatus>), (status = 401), (status = 403), (status = 404)))]
pub async fn api_gp_villages(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let (gp, scope) = (path.into_inner(), actor.scope);
    let rows = state
        .db
        .run(move |c| {
            scope.check_gp(c, Some(gp))?;
            model::villages_of_gp(c, &scope, gp)
        })
        .await?;
    let out: Vec<VillageStatus> = rows
        .into_iter()
        .map(|(v, r)| VillageStatus {
            village_id: v.id,
            gp_id: v.gp_id,
            name: v.name,
            name_hi: v.name_hi,
            status: r.as_ref().map(Record::status).unwrap_or(Status::None),
            checklist: r,
            documents: vec![],
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

async fn village_json(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
) -> AppResult<VillageStatus> {
    let a2 = actor.clone();
    let (v, r, docs) = state.db.run(move |c| service::village(c, &a2, id)).await?;
    Ok(VillageStatus {
        village_id: v.id,
        gp_id: v.gp_id,
        name: v.name,
        name_hi: v.name_hi,
        status: r.as_ref().map(Record::status).unwrap_or(Status::None),
        checklist: r,
        documents: docs,
    })
}

/// A village's checklist, status and scan pages.
#[utoipa::path(get, path = "/api/v1/har-ghar-jal/villages/{id}", tag = "har-ghar-jal",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Village id")),
    responses((status = 200, body = VillageStatus), (status = 401), (status = 403), (status = 404)))]
pub async fn api_village(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let v = village_json(&state, &actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Save a village's checklist (the Gram Panchayat; 409 once reported).
#[utoipa::path(post, path = "/api/v1/har-ghar-jal/villages/{id}", tag = "har-ghar-jal",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Village id")),
    request_body = ChecklistInput,
    responses((status = 200, body = VillageStatus), (status = 401), (status = 403), (status = 404),
        (status = 409, content_type = "application/problem+json"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_save(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<ChecklistInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportHarGharJal)?;
    let (id, ip, input, a2) = (
        path.into_inner(),
        client_ip(&req),
        body.into_inner(),
        actor.clone(),
    );
    state
        .service(move |ctx| service::save_checklist(ctx, &a2, &ip, id, input, vec![]))
        .await?;
    Ok(HttpResponse::Ok().json(village_json(&state, &actor, id).await?))
}

/// Report a village as Har Ghar Jal (the Gram Panchayat): 422 naming what is missing.
#[utoipa::path(post, path = "/api/v1/har-ghar-jal/villages/{id}/report", tag = "har-ghar-jal",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Village id")),
    responses((status = 200, body = VillageStatus), (status = 401), (status = 403), (status = 404),
        (status = 409, content_type = "application/problem+json"),
        (status = 422, description = "What is missing", content_type = "application/problem+json")))]
pub async fn api_report(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportHarGharJal)?;
    let (id, ip, a2) = (path.into_inner(), client_ip(&req), actor.clone());
    state
        .service(move |ctx| service::report(ctx, &a2, &ip, id))
        .await?;
    Ok(HttpResponse::Ok().json(village_json(&state, &actor, id).await?))
}

/// Certify a reported village (the district).
#[utoipa::path(post, path = "/api/v1/har-ghar-jal/villages/{id}/certify", tag = "har-ghar-jal",
    security(("bearer" = [])), params(("id" = i64, Path, description = "Village id")),
    responses((status = 200, body = VillageStatus), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Not reported, or certified already", content_type = "application/problem+json")))]
pub async fn api_certify(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::CertifyHarGharJal)?;
    let (id, ip, a2) = (path.into_inner(), client_ip(&req), actor.clone());
    state
        .service(move |ctx| service::certify(ctx, &a2, &ip, id))
        .await?;
    Ok(HttpResponse::Ok().json(village_json(&state, &actor, id).await?))
}
