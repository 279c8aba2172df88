//! `/api/v1/meetings` and `/api/v1/decisions`: meetings with their details, plan a meeting,
//! record attendance, write and approve the minutes, addenda, regularity and the decisions
//! register.

use super::model::Regularity;
use super::model::{Addendum, DecisionFilter, DecisionRow, Meeting, MeetingFilter, MeetingView};
use super::pages::meeting_view;
use super::{service, AddendumInput, AttendanceInput, MeetingInput, MinutesInput, MinutesItem};
use super::{NewMeeting, RegularityQuery};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

crate::endpoints!(
    api_meetings,
    api_meeting_create,
    api_meeting_get,
    api_attendance,
    api_approve,
    api_minutes,
    api_addendum,
    api_regularity,
    api_decisions,
);

const PER_PAGE: i64 = 50;

/// Meetings in scope (filters: committee, GP, status, dates), newest first, with agenda,
/// attendance, quorum, addenda, action items and photos; 50 a page.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "committees", security(("bearer" = [])),
    params(MeetingFilter, SyncQuery),
    responses((status = 200, body = crate::web::pagination::ApiPage<MeetingView>), (status = 400), (status = 401)))]
pub async fn api_meetings(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<MeetingFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let listing = listing.default_size(PER_PAGE);
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let scope = actor.scope;
    let (items, total) = state
        .service(move |ctx| service::meeting_views(ctx, &scope, &f, page.offset(), page.limit()))
        .await?;
    let key = |x: &MeetingView| (x.meeting.updated_at, x.meeting.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Plan a meeting with its agenda (one item per line).
#[utoipa::path(post, path = "/api/v1/meetings", tag = "committees", security(("bearer" = [])),
    request_body = NewMeeting,
    responses((status = 201, body = Meeting), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_meeting_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let mut body = body.into_inner();
    let committee = crate::web::forms::take_id(&mut body, "committee_id")?;
    let input: MeetingInput = crate::web::forms::from_json(body, None)?;
    let ip = client_ip(&req);
    let m = state
        .service(move |ctx| service::create_meeting(ctx, &actor, &ip, committee, input))
        .await?;
    Ok(HttpResponse::Created().json(m))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingView), (status = 401), (status = 404)))]
pub async fn api_meeting_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meeting_view(&state, &actor, path.into_inner()).await?))
}

/// Record attendance: `present` (member ids), `others_present`, `others_women`. The meeting
/// becomes held; the quorum follows.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/attendance", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")), request_body = AttendanceInput,
    responses((status = 200, body = MeetingView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "The minutes are approved: locked"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_attendance(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let b = body.into_inner();
    let text = crate::web::forms::json_text;
    let input = AttendanceInput {
        present: b["present"]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default(),
        others_present: text(&b["others_present"]),
        others_women: text(&b["others_women"]),
    };
    actor.require(Verb::ManageCommittees)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    state
        .service(move |ctx| service::save_attendance(ctx, &a, &ip, id, input))
        .await?;
    Ok(HttpResponse::Ok().json(meeting_view(&state, &actor, id).await?))
}

/// Approve the minutes of a held meeting; it is locked from then on.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/approve", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Meeting), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Not held yet, or already approved")))]
pub async fn api_approve(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let m = state
        .service(move |ctx| service::approve_meeting(ctx, &actor, &ip, id))
        .await?;
    Ok(HttpResponse::Ok().json(m))
}

/// Write the minutes of a held meeting: `items` with each agenda item's `id`, `discussion`
/// and `decision`. Items left out keep what they had.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")), request_body = MinutesInput,
    responses((status = 200, body = MeetingView), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Not held yet, or approved (locked)"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_minutes(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let text = crate::web::forms::json_text;
    let items = body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| MinutesItem {
                    id: text(&i["id"]),
                    discussion: text(&i["discussion"]),
                    decision: text(&i["decision"]),
                })
                .collect()
        })
        .unwrap_or_default();
    actor.require(Verb::ManageCommittees)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    state
        .service(move |ctx| service::save_meeting_minutes(ctx, &a, &ip, id, MinutesInput { items }))
        .await?;
    Ok(HttpResponse::Ok().json(meeting_view(&state, &actor, id).await?))
}

/// Add an addendum to approved minutes (a correction, with who and when).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/addenda", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")), request_body = AddendumInput,
    responses((status = 201, body = Addendum), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "The minutes are not approved yet: edit them instead"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_addendum(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: AddendumInput = crate::web::forms::from_json(body.into_inner(), None)?;
    actor.require(Verb::ManageCommittees)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    let a = state
        .service(move |ctx| service::add_addendum(ctx, &actor, &ip, id, input))
        .await?;
    Ok(HttpResponse::Created().json(a))
}

/// Every GP in scope with when its committee last met and whether the monthly meeting is
/// held, due or missed; longest since the last meeting first.
#[utoipa::path(get, path = "/api/v1/meetings/regularity", tag = "committees", security(("bearer" = [])),
    params(RegularityQuery),
    responses((status = 200, body = Vec<Regularity>), (status = 401),
        (status = 404, description = "The GP is outside the caller's area")))]
pub async fn api_regularity(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<RegularityQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, gp) = (actor.scope, q.gp);
    let list = state
        .service(move |ctx| service::regularity(ctx, &scope, gp))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The decisions register: decisions of the meetings in scope, newest first, searchable.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "committees", security(("bearer" = [])),
    params(DecisionFilter, SyncQuery),
    responses((status = 200, body = ApiPage<DecisionRow>), (status = 400), (status = 401),
        (status = 404, description = "The GP is outside the caller's area")))]
pub async fn api_decisions(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<DecisionFilter>,
) -> AppResult<HttpResponse> {
    let listing = listing.default_size(PER_PAGE);
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    let (rows, total, deleted) = state
        .service(move |ctx| {
            let (rows, total) = service::decisions(ctx, &scope, &f, page.offset(), page.limit())?;
            // `deleted`: agenda items whose decision was taken out of draft minutes
            let deleted = match &f.changes {
                Some(ch) => service::cleared_decisions(ctx, &scope, ch)?,
                None => vec![],
            };
            Ok((rows, total, deleted))
        })
        .await?;
    let key = |d: &DecisionRow| (d.updated_at, d.agenda_item_id);
    Ok(HttpResponse::Ok().json(listing.finish(rows, page, total, key, deleted)))
}
