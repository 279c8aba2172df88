//! `/api/v1/reminders`: the caller's own reminders, marking one or all read.

use super::pages::page_of;
use super::{service, InboxFilter, Reminder};
use crate::auth::Actor;
use crate::error::AppResult;
use crate::maintenance::templates::Library;
use crate::web::pagination::ApiPage;
use crate::web::render::Ui;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use serde::Serialize;

crate::endpoints!(api_list, api_read, api_read_all);

/// A reminder with its message in the caller's language.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReminderView {
    #[serde(flatten)]
    pub reminder: Reminder,
    /// maintenance, water, breakdowns, meetings, assets or billing.
    pub area: String,
    pub message: String,
}

/// The caller's open reminders (newest first; `area`, `unread`), 30 a page. Pulling changes
/// (`updated_since`), resolved ones too.
#[utoipa::path(get, path = "/api/v1/reminders", tag = "reminders", security(("bearer" = [])),
    params(InboxFilter, SyncQuery),
    responses((status = 200, body = ApiPage<ReminderView>), (status = 400), (status = 401)))]
pub async fn api_list(
    ui: Ui,
    actor: Actor,
    listing: Listing,
    q: web::Query<InboxFilter>,
) -> AppResult<HttpResponse> {
    let listing = listing.default_size(super::pages::PER_PAGE);
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let (rows, total) = page_of(&ui.state, &actor, f, page).await?;
    let lang = ui.lang();
    let library = ui.state.part::<Library>().clone();
    let rows = ui
        .state
        .db
        .run(move |c| {
            let mut rows = rows;
            super::model::name_subjects(c, &mut rows, lang, &library)?;
            Ok(rows)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| ReminderView {
            message: super::message(&ui.state.i18n, lang, &r),
            area: super::area(&r.rule).into(),
            reminder: r,
        })
        .collect();
    // reminders are never deleted (resolved instead)
    let key = |r: &ReminderView| (r.reminder.updated_at, r.reminder.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Mark one of the caller's reminders read.
#[utoipa::path(post, path = "/api/v1/reminders/{id}/read", tag = "reminders", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reminder id")),
    responses((status = 200, body = Reminder), (status = 401), (status = 404)))]
pub async fn api_read(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (id, user) = (path.into_inner(), actor.user.id);
    let r = state
        .service(move |ctx| service::mark_read(ctx, user, id))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MarkedRead {
    pub marked: usize,
}

/// Mark all of the caller's reminders read.
#[utoipa::path(post, path = "/api/v1/reminders/read-all", tag = "reminders", security(("bearer" = [])),
    responses((status = 200, body = MarkedRead), (status = 401)))]
pub async fn api_read_all(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    let user = actor.user.id;
    let marked = state
        .service(move |ctx| service::mark_all_read(ctx, user))
        .await?;
    Ok(HttpResponse::Ok().json(MarkedRead { marked }))
}
