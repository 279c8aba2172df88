//! Action-item pages: add one from the meeting page, the list (per GP, per owner, overdue ones
//! marked) and its CSV, one item with the form to close it.

use super::model::{self, ActionFilter, ActionItem, Labels};
use super::{service, ActionInput, ActionStatus, CloseInput, FILTER_CHOICES};
use crate::auth::{Actor, Verb};
use crate::committees::meetings::pages::meeting_invalid;
use crate::error::{AppError, AppResult};
use crate::web::i18n::today_in_india;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Value};

const PER_PAGE: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/meetings/{id:\\d+}/actions", web::post().to(action_submit))
        .route("/action-items", web::get().to(actions_page))
        .route("/action-items.csv", web::get().to(actions_csv))
        .route("/action-items/{id:\\d+}", web::get().to(action_page))
        .route(
            "/action-items/{id:\\d+}/close",
            web::post().to(close_submit),
        );
}

/// Action items as the pages show them: with their owner's name, their meeting's day, the
/// records they point at as links, and whether overdue.
pub fn action_rows(labels: &Labels, items: &[ActionItem], today: NaiveDate) -> Vec<Value> {
    items
        .iter()
        .map(|i| {
            let mut j = json!(i);
            j["status_key"] = json!(ActionStatus::label_key_of(&i.status));
            j["overdue"] = json!(i.overdue_on(today));
            j["owner_name"] = json!(i.owner_member_id.and_then(|o| labels.owners.get(&o)));
            j["meeting_held_on"] = json!(labels.meetings.get(&i.meeting_id));
            let mut links = vec![];
            let mut link =
                |id: Option<i64>, names: &std::collections::HashMap<i64, String>, at: &str| {
                    if let Some((id, n)) = id.and_then(|s| names.get(&s).map(|n| (s, n))) {
                        links.push(json!({"href": format!("/{at}/{id}"), "label": n}));
                    }
                };
            link(i.scheme_id, &labels.schemes, "schemes");
            link(i.asset_id, &labels.assets, "assets");
            link(i.breakdown_id, &labels.breakdowns, "breakdowns");
            link(i.household_id, &labels.households, "households");
            j["links"] = json!(links);
            j
        })
        .collect()
}

async fn action_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ActionInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (id, input, ip) = (path.into_inner(), form.into_inner(), client_ip(&req));
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_action(ctx, &a, &ip, id, typed))
        .await
    {
        Ok(_) => Ok(redirect_flash(
            &format!("/meetings/{id}#actions"),
            "flash-action-added",
        )),
        Err(AppError::Validation(e)) => {
            meeting_invalid(&ui, &actor, id, &e, |d| d["action_form"] = json!(input)).await
        }
        Err(e) => Err(e),
    }
}

/// Action items with the same filters, as CSV (streamed).
async fn actions_csv(ui: Ui, actor: Actor, q: web::Query<ActionFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let f = q.into_inner();
    let scope = actor.scope;
    let today = today_in_india(ui.state.clock.now());
    let header = [
        "id",
        "gp_lgd_code",
        "meeting_day",
        "description",
        "owner",
        "due_on",
        "status",
        "overdue",
        "closed_on",
        "close_note",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "action-items.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list(c, &scope, &f, today, page.offset(), page.limit())?.0),
                |c, rows| {
                    let gps = crate::places::model::by_ids(
                        c,
                        &rows.iter().map(|a| a.gp_id).collect::<Vec<_>>(),
                    )?;
                    let meeting_ids: Vec<i64> = rows.iter().map(|a| a.meeting_id).collect();
                    let days = crate::committees::meetings::model::days_of(c, &meeting_ids)?;
                    let owner_ids: Vec<i64> =
                        rows.iter().filter_map(|a| a.owner_member_id).collect();
                    let owners = crate::committees::model::member_names(c, &owner_ids)?;
                    for a in rows {
                        emit(vec![
                            a.id.to_string(),
                            gps.get(&a.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            days.get(&a.meeting_id)
                                .map(|d| d.to_string())
                                .unwrap_or_default(),
                            String::from(&a.description),
                            String::from(
                                a.owner_member_id
                                    .and_then(|o| owners.get(&o))
                                    .map(String::as_str)
                                    .unwrap_or(""),
                            ),
                            a.due_on.to_string(),
                            a.status.clone(),
                            a.overdue_on(today).to_string(),
                            a.closed_on.map(|d| d.to_string()).unwrap_or_default(),
                            String::from(a.close_note.as_deref().unwrap_or("")),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn actions_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<ActionFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, PER_PAGE);
    let scope = actor.scope;
    let today = today_in_india(ui.state.clock.now());
    let filter = f.clone();
    let lang = ui.lang();
    let (items, labels, total, owner_name) = ui
        .state
        .db
        .run(move |c| {
            let (items, total) =
                model::list(c, &scope, &filter, today, page.offset(), page.limit())?;
            let owner_name = match filter.owner {
                Some(o) => crate::committees::model::member_name_in_scope(c, &scope, o)?,
                None => None,
            };
            let labels = model::labels(c, &items, lang)?;
            Ok((items, labels, total, owner_name))
        })
        .await?;
    let rows = action_rows(&labels, &items, today);
    let gps = crate::committees::pages::gp_choices(&ui, scope).await?;
    let qs = query_string(&[
        ("status", f.status.clone()),
        ("owner", f.owner.map(|o| o.to_string())),
        ("gp", f.gp.map(|g| g.to_string())),
        ("meeting", f.meeting.map(|m| m.to_string())),
    ]);
    ui.render(
        "committees/actions",
        "actions-title",
        json!({
            "csv_url": ui.with_query("/action-items.csv"),
            "rows": rows,
            "filter": f,
            "owner_name": owner_name,
            "gps": gps,
            "statuses": ui.choices("action-status-", &FILTER_CHOICES),
            "pager": Pager::new(page, total, "/action-items", &qs),
        }),
    )
}

async fn action_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    let today = today_in_india(ui.state.clock.now());
    let user = actor.user.id;
    let lang = ui.lang();
    let (item, labels, owned) = ui
        .state
        .db
        .run(move |c| {
            let item = model::find_in_scope(c, &scope, id)?;
            let owned = model::owned_by_user(c, &item, user)?;
            let labels = model::labels(c, std::slice::from_ref(&item), lang)?;
            Ok((item, labels, owned))
        })
        .await?;
    let row = action_rows(&labels, std::slice::from_ref(&item), today).remove(0);
    Ok(json!({
        "can_close": (actor.can(Verb::ManageCommittees) || owned) && item.is_open(),
        "item": row,
        "today": today.to_string(),
        "close_form": CloseInput {
            status: ActionStatus::Done.as_str().into(),
            on: today.to_string(),
            note: String::new(),
        },
    }))
}

async fn action_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let data = action_data(&ui, &actor, path.into_inner()).await?;
    ui.render("committees/action", "action-title", data)
}

async fn close_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<CloseInput>,
) -> AppResult<HttpResponse> {
    let manages = actor.can(Verb::ManageCommittees);
    actor.require(Verb::ViewCommittees)?;
    let (id, input, ip) = (path.into_inner(), form.into_inner(), client_ip(&req));
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::close_action(ctx, &a, &ip, id, manages, typed))
        .await
    {
        Ok(_) => Ok(redirect_flash(
            &format!("/action-items/{id}"),
            "flash-action-closed",
        )),
        Err(AppError::Validation(e)) => {
            let mut data = action_data(&ui, &actor, id).await?;
            data["close_form"] = json!(input);
            ui.render_invalid("committees/action", "action-title", &e, data)
        }
        Err(e) => Err(e),
    }
}
