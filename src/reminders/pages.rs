//! The inbox: `/inbox` (filter by area, only unread; mark one or all read; go to the subject)
//! and its CSV.

use super::{service, Area, InboxFilter, Reminder};
use crate::auth::Actor;
use crate::error::AppResult;
use crate::maintenance::templates::Library;
use crate::web::csv::UTC;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect, redirect_flash, Ui};
use crate::web::AppState;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

pub const PER_PAGE: i64 = 30;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/inbox", web::get().to(inbox_page))
        .route("/inbox.csv", web::get().to(inbox_csv))
        .route("/inbox/read-all", web::post().to(read_all_submit))
        .route("/inbox/{id:\\d+}", web::get().to(open_reminder))
        .route("/inbox/{id:\\d+}/read", web::post().to(read_submit));
}

/// A page of the actor's inbox (pages and API).
pub(crate) async fn page_of(
    state: &web::Data<AppState>,
    actor: &Actor,
    f: InboxFilter,
    page: PageRequest,
) -> AppResult<(Vec<Reminder>, i64)> {
    let user = actor.user.id;
    state
        .service(move |ctx| service::inbox(ctx, user, &f, page.offset(), page.limit()))
        .await
}

async fn inbox_page(ui: Ui, actor: Actor, q: web::Query<InboxFilter>) -> AppResult<HttpResponse> {
    let f = q.into_inner();
    let page = PageRequest::new(f.page, PER_PAGE);
    let (rows, total) = page_of(&ui.state, &actor, f.clone(), page).await?;
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
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "message": super::message(&ui.state.i18n, lang, r),
                "area_key": Area::of_rule(&r.rule).label_key(),
                "created_at": r.created_at,
                "unread": r.read_at.is_none(),
            })
        })
        .collect();
    let qs = query_string(&[
        ("area", f.area.clone()),
        ("unread", f.unread.map(|u| u.to_string())),
    ]);
    ui.render(
        "reminders/inbox",
        "inbox-title",
        json!({
            "rows": rows,
            "filter": f,
            "areas": ui.choices("inbox-area-", &Area::ALL.map(Area::as_str)),
            "csv_url": ui.with_query("/inbox.csv"),
            "pager": Pager::new(page, total, "/inbox", &qs),
        }),
    )
}

/// The caller's own reminders with the page's filters (area, only unread), newest first, as
/// CSV with each message in the reader's language (streamed).
async fn inbox_csv(ui: Ui, actor: Actor, q: web::Query<InboxFilter>) -> AppResult<HttpResponse> {
    let mut f = q.into_inner();
    f.page = None;
    let (user, lang, i18n) = (actor.user.id, ui.lang(), ui.state.i18n.clone());
    let library = ui.state.part::<Library>().clone();
    let header = [
        "created_at_utc",
        "area",
        "rule",
        "message",
        "due_on",
        "read_at_utc",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "inbox.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(super::model::inbox(c, user, &f, page.offset(), page.limit())?.0),
                |c, mut rows| {
                    super::model::name_subjects(c, &mut rows, lang, &library)?;
                    for r in rows {
                        emit(vec![
                            r.created_at.format(UTC).to_string(),
                            super::area(&r.rule).to_string(),
                            r.rule.clone(),
                            String::from(&super::message(&i18n, lang, &r)),
                            r.due_on.map(|d| d.to_string()).unwrap_or_default(),
                            r.read_at
                                .map(|t| t.format(UTC).to_string())
                                .unwrap_or_default(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

/// Follow a reminder: it is marked read, then the subject's page opens.
async fn open_reminder(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, user) = (path.into_inner(), actor.user.id);
    let r = ui
        .state
        .service(move |ctx| service::mark_read(ctx, user, id))
        .await?;
    // links are made by the rules, always a path on this site
    let to = if r.link.starts_with('/') && !r.link.starts_with("//") {
        r.link
    } else {
        "/inbox".to_string()
    };
    Ok(redirect(&to))
}

async fn read_submit(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, user) = (path.into_inner(), actor.user.id);
    ui.state
        .service(move |ctx| service::mark_read(ctx, user, id))
        .await?;
    Ok(redirect_flash("/inbox", "flash-inbox-read"))
}

async fn read_all_submit(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    let user = actor.user.id;
    ui.state
        .service(move |ctx| service::mark_all_read(ctx, user))
        .await?;
    Ok(redirect_flash("/inbox", "flash-inbox-read"))
}
