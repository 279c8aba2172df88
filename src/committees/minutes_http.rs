//! What follows a meeting: its minutes (per agenda item), addenda after approval, photos of
//! the signed attendance register, the printable minutes in the meeting's language, action
//! items (per GP and per owner, overdue ones marked), the decisions register (search, CSV)
//! and meeting regularity across GPs; pages and `/api/v1` twins.

use super::actions::{self, ActionFilter, ActionInput, ActionItem, CloseInput};
use super::meetings::{self, AddendumInput, DecisionFilter, MinutesInput, MinutesItem};
use crate::audit;
use crate::auth::{Actor, Scope, Verb};
use crate::db::schema::{
    assets, breakdowns, committee_members, households, meetings as mt, schemes,
};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::{name_in, today_in_india, Lang};
use crate::web::pagination::{query_string, ApiPage, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

const PER_PAGE: i64 = 50;

/// Registered before the committee routes, so `/meetings/regularity` is not taken for a
/// meeting id.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/meetings/regularity", web::get().to(regularity_page))
        .route("/meetings/regularity.csv", web::get().to(regularity_csv))
        .route("/meetings/{id}/minutes", web::post().to(minutes_submit))
        .route("/meetings/{id}/addenda", web::post().to(addendum_submit))
        .route("/meetings/{id}/photos", web::post().to(photos_submit))
        .route("/meetings/{id}/actions", web::post().to(action_submit))
        .route("/meetings/{id}/print", web::get().to(print_page))
        .route("/action-items", web::get().to(actions_page))
        .route("/action-items.csv", web::get().to(actions_csv))
        .route("/action-items/{id}", web::get().to(action_page))
        .route("/action-items/{id}/close", web::post().to(close_submit))
        .route("/decisions", web::get().to(decisions_page))
        .route("/decisions.csv", web::get().to(decisions_csv))
        .route("/api/v1/meetings/regularity", web::get().to(api_regularity))
        .route("/api/v1/meetings/{id}/minutes", web::post().to(api_minutes))
        .route(
            "/api/v1/meetings/{id}/addenda",
            web::post().to(api_addendum),
        )
        .route("/api/v1/action-items", web::get().to(api_actions))
        .route("/api/v1/action-items", web::post().to(api_action_create))
        .route("/api/v1/action-items/{id}", web::get().to(api_action_get))
        .route("/api/v1/action-items/{id}/close", web::post().to(api_close))
        .route("/api/v1/decisions", web::get().to(api_decisions));
}

// ---------------------------------------------------------------------------------------------
// Writes, shared by the pages and the API: each checks the verb, loads the record in scope
// and writes it with its audit line in one transaction.

async fn save_minutes(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    input: MinutesInput,
) -> AppResult<meetings::Meeting> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "update", "meeting", move |c, a| {
        let m = meetings::find_in_scope(c, &a.scope, id)?;
        let m = meetings::save_minutes(c, &m, &input, now)?;
        Ok((m, Some(id), "minutes".to_string()))
    })
    .await
}

async fn add_addendum(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    input: AddendumInput,
) -> AppResult<meetings::Addendum> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "update", "meeting", move |c, a| {
        let m = meetings::find_in_scope(c, &a.scope, id)?;
        let ad = meetings::add_addendum(c, a, &m, &input, now)?;
        Ok((ad, Some(id), "addendum".to_string()))
    })
    .await
}

async fn create_action(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    meeting: i64,
    input: ActionInput,
) -> AppResult<ActionItem> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "create", "action_item", move |c, a| {
        let m = meetings::find_in_scope(c, &a.scope, meeting)?;
        let item = actions::create(c, a, &m, &input, now)?;
        Ok((item.clone(), Some(item.id), item.description.clone()))
    })
    .await
}

async fn close_action(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    input: CloseInput,
) -> AppResult<ActionItem> {
    let manages = actor.can(Verb::ManageCommittees);
    actor.require(Verb::ViewCommittees)?;
    let now = state.clock.now();
    let today = today_in_india(now);
    audit::write_audited(
        state,
        actor,
        ip,
        "status_change",
        "action_item",
        move |c, a| {
            let item = actions::find_in_scope(c, &a.scope, id)?;
            // secretaries close any; a member closes what they own through their account
            if !manages && !actions::owned_by_user(c, &item, a.user.id)? {
                return Err(AppError::Forbidden);
            }
            let item = actions::close(c, a, &item, &input, today, now)?;
            Ok((item.clone(), Some(id), item.status.clone()))
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Minutes, addenda and photos on the meeting page.

/// The minutes form: `discussion_<item id>` and `decision_<item id>` for each agenda item.
fn minutes_of(fields: Vec<(String, String)>) -> MinutesInput {
    let mut by_id: Vec<MinutesItem> = vec![];
    for (k, v) in fields {
        let (field, id) = match k.split_once('_') {
            Some((f @ ("discussion" | "decision"), id)) => (f, id.to_string()),
            _ => continue,
        };
        let pos = match by_id.iter().position(|i| i.id == id) {
            Some(p) => p,
            None => {
                by_id.push(MinutesItem {
                    id,
                    ..Default::default()
                });
                by_id.len() - 1
            }
        };
        if field == "discussion" {
            by_id[pos].discussion = v;
        } else {
            by_id[pos].decision = v;
        }
    }
    MinutesInput { items: by_id }
}

/// The meeting page again with errors beside the fields and what was typed kept.
async fn meeting_invalid(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    e: &FieldErrors,
    patch: impl FnOnce(&mut Value),
) -> AppResult<HttpResponse> {
    let mut data = super::http::meeting_data(ui, actor, id).await?;
    patch(&mut data);
    // the minutes' fields are per agenda item: their errors go beside each one
    let errs = ui.field_errors(e);
    if let Some(items) = data["agenda"].as_array_mut() {
        for it in items {
            for field in ["discussion", "decision"] {
                if let Some(msg) = errs.get(format!("{field}_{}", it["id"])) {
                    it[format!("{field}_error")] = msg.clone();
                }
            }
        }
    }
    ui.render_invalid("committees/meeting", "meeting-title", e, data)
}

async fn minutes_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let input = minutes_of(form.into_inner());
    match save_minutes(&ui.state, &actor, client_ip(&req), id, input.clone()).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/meetings/{id}#minutes"),
            "flash-meeting-minutes",
        )),
        Err(AppError::Validation(e)) => {
            meeting_invalid(&ui, &actor, id, &e, |d| {
                if let Some(items) = d["agenda"].as_array_mut() {
                    for it in items {
                        let key = it["id"].to_string();
                        if let Some(typed) = input.items.iter().find(|i| i.id == key) {
                            it["discussion"] = json!(typed.discussion);
                            it["decision"] = json!(typed.decision);
                        }
                    }
                }
            })
            .await
        }
        Err(e) => Err(e),
    }
}

async fn addendum_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<AddendumInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    match add_addendum(&ui.state, &actor, client_ip(&req), id, input.clone()).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/meetings/{id}#addenda"),
            "flash-meeting-addendum",
        )),
        Err(AppError::Validation(e)) => {
            meeting_invalid(&ui, &actor, id, &e, |d| d["addendum_form"] = json!(input)).await
        }
        Err(e) => Err(e),
    }
}

/// Photos of the signed attendance register: multipart `photo_1`…`photo_3` (with the form's
/// CSRF token), at most three per meeting in all, until the minutes are approved.
async fn photos_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let id = path.into_inner();
    let scope = actor.scope;
    // in scope before anything is read or checked
    let m = ui
        .state
        .db
        .run(move |c| meetings::find_in_scope(c, &scope, id))
        .await?;
    let mut fields =
        crate::web::forms::read_any_form(&req, payload, ui.state.config.server.max_body_bytes)
            .await?;
    let files = crate::maintenance::http::photos_from_form(&mut fields);
    let mut e = FieldErrors::new();
    if files.iter().all(|f| f.is_empty()) {
        e.add("photos", "photo-none");
        return meeting_invalid(&ui, &actor, id, &e, |_| {}).await;
    }
    let photos = match crate::maintenance::http::check_photos(&ui.state, files).await? {
        Ok(p) => p,
        Err(e) => return meeting_invalid(&ui, &actor, id, &e, |_| {}).await,
    };
    let (now, root) = (
        ui.state.clock.now(),
        ui.state.config.storage.photos_dir.clone(),
    );
    let gp = m.gp_id;
    let r = audit::write_audited(
        &ui.state,
        &actor,
        client_ip(&req),
        "update",
        "meeting",
        move |c, _| {
            let m = meetings::find(c, id)?;
            if m.status == "approved" {
                return Err(AppError::Conflict("meeting-locked".into()));
            }
            let have = crate::maintenance::photos::count_of_meeting(c, id)? as usize;
            if have + photos.len() > crate::maintenance::photos::MAX_PHOTOS {
                let mut e = FieldErrors::new();
                e.add_with(
                    "photos",
                    "photo-too-many",
                    &[("max", crate::maintenance::photos::MAX_PHOTOS.to_string())],
                );
                return Err(AppError::Validation(e));
            }
            let n = crate::maintenance::photos::store(
                c,
                &root,
                gp,
                crate::maintenance::photos::Owner::Meeting(id),
                &photos,
                now,
            )?;
            Ok((
                n,
                Some(id),
                format!("{n} photo(s) of the attendance register"),
            ))
        },
    )
    .await;
    match r {
        Ok(_) => Ok(redirect_flash(
            &format!("/meetings/{id}#photos"),
            "flash-meeting-photos",
        )),
        Err(AppError::Validation(e)) => meeting_invalid(&ui, &actor, id, &e, |_| {}).await,
        Err(e) => Err(e),
    }
}

async fn action_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ActionInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    match create_action(&ui.state, &actor, client_ip(&req), id, input.clone()).await {
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

// ---------------------------------------------------------------------------------------------
// Action items as the pages show them.

/// Names for the members, meetings and linked records of some action items, in two or three
/// queries whatever their number.
pub fn action_rows(
    conn: &mut DbConn,
    items: &[ActionItem],
    today: NaiveDate,
) -> AppResult<Vec<Value>> {
    fn ids(items: &[ActionItem], f: impl Fn(&ActionItem) -> Option<i64>) -> Vec<i64> {
        let mut v: Vec<i64> = items.iter().filter_map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    // id → name of the records the items point at, one query per kind
    macro_rules! labels {
        ($t:ident, $label:ident, $pick:expr) => {
            $t::table
                .filter($t::id.eq_any(ids(items, $pick)))
                .select(($t::id, $t::$label))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .collect::<HashMap<i64, String>>()
        };
    }
    let owners = labels!(committee_members, name, |i| i.owner_member_id);
    let scheme_names = labels!(schemes, name, |i| i.scheme_id);
    let asset_names = labels!(assets, name, |i| i.asset_id);
    let breakdown_numbers = labels!(breakdowns, number, |i| i.breakdown_id);
    let connections = labels!(households, connection_no, |i| i.household_id);
    let meetings: HashMap<i64, NaiveDate> = mt::table
        .filter(mt::id.eq_any(ids(items, |i| Some(i.meeting_id))))
        .select((mt::id, mt::held_on))
        .load::<(i64, NaiveDate)>(conn)?
        .into_iter()
        .collect();
    Ok(items
        .iter()
        .map(|i| {
            let mut j = json!(i);
            j["status_key"] = json!(format!("action-status-{}", i.status));
            j["overdue"] = json!(i.overdue_on(today));
            j["owner_name"] = json!(i.owner_member_id.and_then(|o| owners.get(&o)));
            j["meeting_held_on"] = json!(meetings.get(&i.meeting_id));
            let mut links = vec![];
            if let Some((id, n)) = i
                .scheme_id
                .and_then(|s| scheme_names.get(&s).map(|n| (s, n)))
            {
                links.push(json!({"href": format!("/schemes/{id}"), "label": n}));
            }
            if let Some((id, n)) = i.asset_id.and_then(|s| asset_names.get(&s).map(|n| (s, n))) {
                links.push(json!({"href": format!("/assets/{id}"), "label": n}));
            }
            if let Some((id, n)) = i
                .breakdown_id
                .and_then(|s| breakdown_numbers.get(&s).map(|n| (s, n)))
            {
                links.push(json!({"href": format!("/breakdowns/{id}"), "label": n}));
            }
            if let Some((id, n)) = i
                .household_id
                .and_then(|s| connections.get(&s).map(|n| (s, n)))
            {
                links.push(json!({"href": format!("/households/{id}"), "label": n}));
            }
            j["links"] = json!(links);
            j
        })
        .collect())
}

/// The GPs in scope (id, name) for a GP filter, when there is more than one.
fn gp_choices(conn: &mut DbConn, scope: &Scope, lang: Lang) -> AppResult<Vec<Value>> {
    use crate::db::schema::places;
    if matches!(
        scope,
        Scope::Place {
            level: crate::places::Level::Gp,
            ..
        }
    ) {
        return Ok(vec![]);
    }
    let gps: Vec<(i64, String, Option<String>)> = scope
        .filter_places(places::table.filter(places::level.eq("gp")).into_boxed())
        .order(places::name.asc())
        .limit(500)
        .select((places::id, places::name, places::name_hi))
        .load(conn)?;
    Ok(gps
        .into_iter()
        .map(|(id, name, hi)| json!({"value": id, "label": name_in(lang, &name, hi.as_deref())}))
        .collect())
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
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "action-items.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(actions::list(c, &scope, &f, today, page.offset(), page.limit())?.0),
                |c, rows| {
                    let gps = crate::places::model::by_ids(
                        c,
                        &rows.iter().map(|a| a.gp_id).collect::<Vec<_>>(),
                    )?;
                    let meeting_ids: Vec<i64> = rows.iter().map(|a| a.meeting_id).collect();
                    let days: std::collections::HashMap<i64, NaiveDate> = mt::table
                        .filter(mt::id.eq_any(&meeting_ids))
                        .select((mt::id, mt::held_on))
                        .load::<(i64, NaiveDate)>(c)?
                        .into_iter()
                        .collect();
                    let owner_ids: Vec<i64> =
                        rows.iter().filter_map(|a| a.owner_member_id).collect();
                    let owners: std::collections::HashMap<i64, String> = committee_members::table
                        .filter(committee_members::id.eq_any(&owner_ids))
                        .select((committee_members::id, committee_members::name))
                        .load::<(i64, String)>(c)?
                        .into_iter()
                        .collect();
                    for a in rows {
                        emit(vec![
                            a.id.to_string(),
                            gps.get(&a.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            days.get(&a.meeting_id)
                                .map(|d| d.to_string())
                                .unwrap_or_default(),
                            safe(&a.description),
                            safe(
                                a.owner_member_id
                                    .and_then(|o| owners.get(&o))
                                    .map(String::as_str)
                                    .unwrap_or(""),
                            ),
                            a.due_on.to_string(),
                            a.status.clone(),
                            a.overdue_on(today).to_string(),
                            a.closed_on.map(|d| d.to_string()).unwrap_or_default(),
                            safe(a.close_note.as_deref().unwrap_or("")),
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
    let (scope, lang) = (actor.scope, ui.lang());
    let today = today_in_india(ui.state.clock.now());
    let filter = f.clone();
    let (rows, total, gps, owner_name) = ui
        .state
        .db
        .run(move |c| {
            let (items, total) =
                actions::list(c, &scope, &filter, today, page.offset(), page.limit())?;
            let owner_name: Option<String> = match filter.owner {
                Some(o) => committee_members::table
                    .filter(committee_members::id.eq(o))
                    .filter(crate::in_scope!(
                        &scope,
                        committee_members::table,
                        committee_members::gp_id
                    ))
                    .select(committee_members::name)
                    .first(c)
                    .optional()?,
                None => None,
            };
            Ok((
                action_rows(c, &items, today)?,
                total,
                gp_choices(c, &scope, lang)?,
                owner_name,
            ))
        })
        .await?;
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
            "statuses": ui.choices("action-status-", &["open", "overdue", "done", "dropped"]),
            "pager": Pager::new(page, total, "/action-items", &qs),
        }),
    )
}

async fn action_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    let today = today_in_india(ui.state.clock.now());
    let user = actor.user.id;
    let (row, owned) = ui
        .state
        .db
        .run(move |c| {
            let item = actions::find_in_scope(c, &scope, id)?;
            let owned = actions::owned_by_user(c, &item, user)?;
            Ok((action_rows(c, &[item], today)?.remove(0), owned))
        })
        .await?;
    Ok(json!({
        "item": row,
        "can_close": (actor.can(Verb::ManageCommittees) || owned) && row["status"] == "open",
        "today": today.to_string(),
        "close_form": CloseInput { status: "done".into(), on: today.to_string(), note: String::new() },
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
    let (id, input) = (path.into_inner(), form.into_inner());
    match close_action(&ui.state, &actor, client_ip(&req), id, input.clone()).await {
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

// ---------------------------------------------------------------------------------------------
// The printable minutes.

async fn print_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let data = super::http::meeting_data(&ui, &actor, id).await?;
    let lang = data["meeting"]["lang"]
        .as_str()
        .and_then(Lang::parse)
        .unwrap_or(ui.lang());
    let printer = ui.in_lang(lang);
    let gp_id = data["meeting"]["gp_id"].as_i64().unwrap_or_default();
    let gp = ui
        .state
        .db
        .run(move |c| crate::places::model::find(c, gp_id))
        .await?;
    let mut data = data;
    data["gp_name"] = json!(gp.display_name(lang));
    data["gp_lgd"] = json!(gp.lgd_code);
    data["printed_on"] = json!(today_in_india(ui.state.clock.now()).to_string());
    printer.render("committees/minutes_print", "minutes-title", data)
}

// ---------------------------------------------------------------------------------------------
// The decisions register.

async fn decision_rows(
    state: &web::Data<AppState>,
    actor: &Actor,
    f: DecisionFilter,
    page: PageRequest,
) -> AppResult<(Vec<meetings::DecisionRow>, i64)> {
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            scope.check_gp(c, f.gp)?;
            meetings::decisions(c, &scope, &f, page.offset(), page.limit())
        })
        .await
}

fn decisions_qs(f: &DecisionFilter) -> String {
    query_string(&[
        ("q", f.q.clone()),
        ("gp", f.gp.map(|g| g.to_string())),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
    ])
}

async fn decisions_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<DecisionFilter>,
) -> AppResult<HttpResponse> {
    let f = q.into_inner();
    let page = PageRequest::new(f.page, PER_PAGE);
    let (rows, total) = decision_rows(&ui.state, &actor, f.clone(), page).await?;
    let (scope, lang) = (actor.scope, ui.lang());
    let gps = ui
        .state
        .db
        .run(move |c| gp_choices(c, &scope, lang))
        .await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut j = json!(r);
            j["kind_key"] = json!(format!("meeting-kind-{}", r.kind));
            j["gp_display"] = json!(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref()).to_string());
            j
        })
        .collect();
    let qs = decisions_qs(&f);
    ui.render(
        "committees/decisions",
        "decisions-title",
        json!({
            "rows": rows,
            "filter": f,
            "gps": gps,
            "csv_url": if qs.is_empty() { "/decisions.csv".to_string() } else { format!("/decisions.csv?{qs}") },
            "pager": Pager::new(page, total, "/decisions", &qs),
        }),
    )
}

/// Every decision matching the filters, in the reader's language for the names and headers
/// (streamed: a district's register grows by thousands a year).
async fn decisions_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<DecisionFilter>,
) -> AppResult<HttpResponse> {
    let mut f = q.into_inner();
    f.page = None;
    actor.require(Verb::ViewCommittees)?;
    let (scope, lang, gp) = (actor.scope, ui.lang(), f.gp);
    // checked before the download starts, as for the page: a foreign GP is not found
    ui.state.db.run(move |c| scope.check_gp(c, gp)).await?;
    let kinds: HashMap<String, String> = meetings::KINDS
        .iter()
        .map(|k| (k.to_string(), ui.t(&format!("meeting-kind-{k}"))))
        .collect();
    let header = [
        ui.t("meeting-day"),
        ui.t("field-gp"),
        ui.t("meeting-kind"),
        "#".to_string(),
        ui.t("meeting-agenda"),
        ui.t("meeting-decision"),
        "meeting_id".to_string(),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "decisions.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(meetings::decisions(c, &scope, &f, page.offset(), page.limit())?.0),
                |_, rows| {
                    for r in rows {
                        emit(vec![
                            r.held_on.format("%d-%m-%Y").to_string(),
                            safe(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref())),
                            kinds.get(&r.kind).cloned().unwrap_or(r.kind),
                            r.position.to_string(),
                            safe(&r.title),
                            safe(&r.decision),
                            r.meeting_id.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Regularity.

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct RegularityQuery {
    /// Only this GP (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
}

async fn regularity_of(
    state: &web::Data<AppState>,
    actor: &Actor,
    gp: Option<i64>,
) -> AppResult<Vec<meetings::Regularity>> {
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    let today = today_in_india(state.clock.now());
    state
        .db
        .run(move |c| {
            scope.check_gp(c, gp)?;
            meetings::regularity(c, &scope, gp, today)
        })
        .await
}

/// One GP's regularity as the GP page shows it (none for other places).
pub async fn regularity_box(
    state: &web::Data<AppState>,
    actor: &Actor,
    gp: i64,
) -> AppResult<Option<Value>> {
    if !actor.can(Verb::ViewCommittees) {
        return Ok(None);
    }
    let r = regularity_of(state, actor, Some(gp))
        .await?
        .into_iter()
        .next();
    let today = today_in_india(state.clock.now());
    let (open, overdue) = state
        .db
        .run(move |c| actions::open_counts(c, gp, today))
        .await?;
    Ok(r.map(|r| {
        let mut j = json!(r);
        j["state_key"] = json!(format!("regularity-{}", r.state));
        j["open_actions"] = json!(open);
        j["overdue_actions"] = json!(overdue);
        j
    }))
}

async fn regularity_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<RegularityQuery>,
) -> AppResult<HttpResponse> {
    let list = regularity_of(&ui.state, &actor, q.gp).await?;
    let lang = ui.lang();
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            let mut j = json!(r);
            j["state_key"] = json!(format!("regularity-{}", r.state));
            j["gp_display"] = json!(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref()).to_string());
            j
        })
        .collect();
    let missed = list
        .iter()
        .filter(|r| matches!(r.state.as_str(), "missed" | "never"))
        .count();
    ui.render(
        "committees/regularity",
        "regularity-title",
        json!({
            "rows": rows,
            "missed": missed,
            "total": list.len(),
            "csv_url": ui.with_query("/meetings/regularity.csv"),
        }),
    )
}

/// The regularity table as on the page (longest since the last meeting first), as CSV. One
/// line per GP in scope, so a state's is long: streamed.
async fn regularity_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<RegularityQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, gp, lang) = (actor.scope, q.gp, ui.lang());
    ui.state.db.run(move |c| scope.check_gp(c, gp)).await?;
    let today = today_in_india(ui.state.clock.now());
    let header = [
        "gp_lgd_code",
        "gp_name",
        "last_held_on",
        "months_since",
        "state",
        "next_planned_on",
    ];
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "meeting-regularity.csv",
        &header,
        move |c, emit| {
            for r in meetings::regularity(c, &scope, gp, today)? {
                emit(vec![
                    r.lgd_code.to_string(),
                    crate::web::csv::safe_cell(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref())),
                    day(r.last_held_on),
                    r.months_since.map(|m| m.to_string()).unwrap_or_default(),
                    r.state,
                    day(r.next_planned_on),
                ])?;
            }
            Ok(())
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// The API.

/// Write the minutes of a held meeting: `items` with each agenda item's `id`, `discussion`
/// and `decision`. Items left out keep what they had.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")), request_body = MinutesInput,
    responses((status = 200, body = meetings::MeetingView), (status = 401), (status = 403), (status = 404),
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
    save_minutes(&state, &actor, client_ip(&req), id, MinutesInput { items }).await?;
    Ok(HttpResponse::Ok().json(super::http::meeting_view(&state, &actor, id).await?))
}

/// Add an addendum to approved minutes (a correction, with who and when).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/addenda", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")), request_body = AddendumInput,
    responses((status = 201, body = meetings::Addendum), (status = 401), (status = 403), (status = 404),
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
    let a = add_addendum(&state, &actor, client_ip(&req), path.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(a))
}

/// Every GP in scope with when its committee last met and whether the monthly meeting is
/// held, due or missed; longest since the last meeting first.
#[utoipa::path(get, path = "/api/v1/meetings/regularity", tag = "committees", security(("bearer" = [])),
    params(RegularityQuery),
    responses((status = 200, body = Vec<meetings::Regularity>), (status = 401),
        (status = 404, description = "The GP is outside the caller's area")))]
pub async fn api_regularity(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<RegularityQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(regularity_of(&state, &actor, q.gp).await?))
}

/// Action items in scope (filters as on the page), open ones first by due date.
#[utoipa::path(get, path = "/api/v1/action-items", tag = "committees", security(("bearer" = [])),
    params(ActionFilter),
    responses((status = 200, body = ApiPage<ActionItem>), (status = 401)))]
pub async fn api_actions(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<ActionFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, PER_PAGE);
    let scope = actor.scope;
    let today = today_in_india(state.clock.now());
    let (items, total) = state
        .db
        .run(move |c| actions::list(c, &scope, &f, today, page.offset(), page.limit()))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewActionItem {
    /// The meeting it comes from (id).
    pub meeting_id: String,
    #[serde(flatten)]
    pub item: ActionInput,
}

/// Add an action item to a meeting whose minutes are not approved yet.
#[utoipa::path(post, path = "/api/v1/action-items", tag = "committees", security(("bearer" = [])),
    request_body = NewActionItem,
    responses((status = 201, body = ActionItem), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "The meeting's minutes are approved (locked)"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_action_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let mut body = body.into_inner();
    let meeting = crate::web::forms::take_id(&mut body, "meeting_id")?;
    let input: ActionInput = crate::web::forms::from_json(body, None)?;
    let item = create_action(&state, &actor, client_ip(&req), meeting, input).await?;
    Ok(HttpResponse::Created().json(item))
}

#[utoipa::path(get, path = "/api/v1/action-items/{id}", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Action item id")),
    responses((status = 200, body = ActionItem), (status = 401), (status = 404)))]
pub async fn api_action_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let item = state
        .db
        .run(move |c| actions::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Close an open action item: `status` done or dropped (`note` says why: required), `on`
/// the day (today by default).
#[utoipa::path(post, path = "/api/v1/action-items/{id}/close", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Action item id")), request_body = CloseInput,
    responses((status = 200, body = ActionItem), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Already done or dropped"),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_close(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CloseInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let item = close_action(&state, &actor, client_ip(&req), path.into_inner(), input).await?;
    Ok(HttpResponse::Ok().json(item))
}

/// The decisions register: decisions of the meetings in scope, newest first, searchable.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "committees", security(("bearer" = [])),
    params(DecisionFilter),
    responses((status = 200, body = ApiPage<meetings::DecisionRow>), (status = 401),
        (status = 404, description = "The GP is outside the caller's area")))]
pub async fn api_decisions(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<DecisionFilter>,
) -> AppResult<HttpResponse> {
    let f = q.into_inner();
    let page = PageRequest::new(f.page, PER_PAGE);
    let (rows, total) = decision_rows(&state, &actor, f, page).await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(rows, page, total)))
}
