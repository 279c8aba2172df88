//! Meeting pages: plan a meeting (a short page linked from its committee's page), the meeting
//! with its quorum, minutes, addenda, photos and action items (attendance on a short page of
//! its own), the printable minutes, the meetings' CSV, the decisions register (page and CSV) and meeting regularity (page and CSV), and
//! the committee box of the GP page.

use super::model::{DecisionFilter, MeetingFilter, MeetingView};
use super::{service, AddendumInput, AttendanceInput, MeetingInput, MeetingKind, MeetingStatus};
use super::{MinutesInput, MinutesItem, MinutesLang, RegularityQuery, RegularityState};
use crate::auth::{Actor, Verb};
use crate::committees::actions::{self, ActionInput};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::csv::UTC;
use crate::web::i18n::{name_in, today_in_india, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::HashMap;

const PER_PAGE: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/committees/{id:\\d+}/meetings",
        web::post().to(meeting_submit),
    )
    .route(
        "/committees/{id:\\d+}/meetings/new",
        web::get().to(plan_page),
    )
    .route("/meetings.csv", web::get().to(meetings_csv))
    .route("/meetings/regularity", web::get().to(regularity_page))
    .route("/meetings/regularity.csv", web::get().to(regularity_csv))
    .route("/meetings/{id:\\d+}", web::get().to(meeting_page))
    .route(
        "/meetings/{id:\\d+}/attendance",
        web::get().to(attendance_page),
    )
    .route(
        "/meetings/{id:\\d+}/attendance",
        web::post().to(attendance_submit),
    )
    .route(
        "/meetings/{id:\\d+}/approve",
        web::post().to(approve_submit),
    )
    .route(
        "/meetings/{id:\\d+}/minutes",
        web::post().to(minutes_submit),
    )
    .route(
        "/meetings/{id:\\d+}/addenda",
        web::post().to(addendum_submit),
    )
    .route("/meetings/{id:\\d+}/photos", web::post().to(photos_submit))
    .route("/meetings/{id:\\d+}/print", web::get().to(print_page))
    .route("/decisions", web::get().to(decisions_page))
    .route("/decisions.csv", web::get().to(decisions_csv));
}

async fn meeting_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<MeetingInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (id, input, ip) = (path.into_inner(), form.into_inner(), client_ip(&req));
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_meeting(ctx, &a, &ip, id, typed))
        .await
    {
        Ok(m) => Ok(redirect_flash(
            &format!("/meetings/{}", m.id),
            "flash-meeting-planned",
        )),
        Err(AppError::Validation(e)) => {
            let data = plan_data(&ui, &actor, id, Some(input)).await?;
            ui.render_invalid("committees/meeting_new", "meeting-plan", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// The short page to plan a meeting of a committee in the actor's scope (the committee's
/// page is long on a phone): the form, empty or as typed when it failed.
async fn plan_data(
    ui: &Ui,
    actor: &Actor,
    committee_id: i64,
    form: Option<MeetingInput>,
) -> AppResult<Value> {
    actor.require(Verb::ManageCommittees)?;
    let scope = actor.scope;
    let committee = ui
        .state
        .db
        .run(move |c| crate::committees::find_in_scope(c, &scope, committee_id))
        .await?;
    let today = today_in_india(ui.state.clock.now());
    Ok(json!({
        "committee": committee,
        "meeting_form": form.unwrap_or_else(|| MeetingInput {
            held_on: today.to_string(),
            lang: ui.lang().code().to_string(),
            ..Default::default()
        }),
        "kinds": ui.choices("meeting-kind-", &MeetingKind::ALL.map(MeetingKind::as_str)),
        "langs": ui.choices("lang-name-", &MinutesLang::ALL.map(MinutesLang::as_str)),
    }))
}

async fn plan_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let data = plan_data(&ui, &actor, path.into_inner(), None).await?;
    ui.render("committees/meeting_new", "meeting-plan", data)
}

/// One meeting in the actor's scope with its details (pages and API).
pub(crate) async fn meeting_view(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
) -> AppResult<MeetingView> {
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    state
        .service(move |ctx| service::meeting_view(ctx, &scope, id))
        .await
}

/// The meeting page's data.
async fn meeting_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let v = meeting_view(&ui.state, actor, id).await?;
    let (committee_id, held_on, gp) = (v.meeting.committee_id, v.meeting.held_on, v.meeting.gp_id);
    let today = today_in_india(ui.state.clock.now());
    let items = v.action_items.clone();
    let lang = ui.lang();
    let (committee, members, labels, (schemes, assets)) = ui
        .state
        .db
        .run(move |c| {
            Ok((
                crate::committees::model::find(c, committee_id)?,
                crate::committees::model::members(c, committee_id)?,
                actions::model::labels(c, &items, lang)?,
                super::model::link_choices(c, gp, lang)?,
            ))
        })
        .await?;
    let actions = actions::pages::action_rows(&labels, &v.action_items, today);
    let scheme_name = |id: i64| {
        schemes
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, n)| n.as_str())
            .unwrap_or_default()
    };
    let asset_choices: Vec<Value> = assets
        .iter()
        .map(|(id, name, scheme)| {
            json!({"value": id.to_string(), "label": format!("{name} ({})", scheme_name(*scheme))})
        })
        .collect();
    let serving: Vec<Value> = members
        .iter()
        .filter(|m| m.serving_on(held_on))
        .enumerate()
        .map(|(i, m)| {
            json!({
                "n": i + 1,
                "id": m.id,
                "value": m.id.to_string(),
                "name": m.name,
                "role_key": crate::committees::role_key(&m.role),
                "gender_key": crate::committees::Gender::label_key_of(&m.gender),
                "present": v.present.contains(&m.id),
            })
        })
        .collect();
    let status = v.meeting.status();
    let addenda: Vec<Value> = v
        .addenda
        .iter()
        .map(|a| {
            let mut j = json!(a);
            j["item_position"] = json!(a
                .agenda_item_id
                .and_then(|i| v.agenda.iter().find(|g| g.id == i))
                .map(|g| g.position));
            j
        })
        .collect();
    Ok(json!({
        "meeting": v.meeting,
        "kind_key": MeetingKind::label_key_of(&v.meeting.kind),
        "status_key": MeetingStatus::label_key_of(&v.meeting.status),
        "lang_key": MinutesLang::label_key_of(&v.meeting.lang),
        "agenda": v.agenda.iter().map(|a| {
            let mut j = json!(a);
            j["value"] = json!(a.id.to_string());
            j
        }).collect::<Vec<_>>(),
        "quorum": v.quorum,
        "serving": serving,
        "committee": committee,
        "locked": status == MeetingStatus::Approved,
        "held": status != MeetingStatus::Planned,
        "can_approve": status == MeetingStatus::Held,
        "can_manage": actor.can(Verb::ManageCommittees),
        "addenda": addenda,
        "action_items": actions,
        "photos": v.photos,
        "can_add_photos": status != MeetingStatus::Approved
            && v.photos.len() < crate::web::photos::MAX_PHOTOS,
        "schemes": schemes.iter().map(|(id, name)| json!({"value": id.to_string(), "label": name})).collect::<Vec<_>>(),
        "assets": asset_choices,
        "addendum_form": AddendumInput::default(),
        "action_form": ActionInput {
            due_on: (held_on + chrono::Duration::days(30)).to_string(),
            ..Default::default()
        },
    }))
}

async fn meeting_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let data = meeting_data(&ui, &actor, path.into_inner()).await?;
    ui.render("committees/meeting", "meeting-title", data)
}

/// The meeting page again with errors beside the fields and what was typed kept.
pub(crate) async fn meeting_invalid(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    e: &FieldErrors,
    patch: impl FnOnce(&mut Value),
) -> AppResult<HttpResponse> {
    let mut data = meeting_data(ui, actor, id).await?;
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

/// Attendance from a form: every `present` checkbox, and the two counts.
fn attendance_of(fields: Vec<(String, String)>) -> AttendanceInput {
    let mut a = AttendanceInput::default();
    for (k, v) in fields {
        match k.as_str() {
            "present" => a.present.push(v),
            "others_present" => a.others_present = v,
            "others_women" => a.others_women = v,
            _ => {}
        }
    }
    a
}

async fn attendance_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (id, ip) = (path.into_inner(), client_ip(&req));
    let input = attendance_of(form.into_inner());
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::save_attendance(ctx, &a, &ip, id, typed))
        .await
    {
        Ok(_) => Ok(redirect_flash(
            &format!("/meetings/{id}"),
            "flash-meeting-attendance",
        )),
        Err(AppError::Validation(e)) => {
            let mut data = meeting_data(&ui, &actor, id).await?;
            // what was ticked and typed, not what was saved before
            if let Some(rows) = data["serving"].as_array_mut() {
                for r in rows {
                    let ticked = r["value"]
                        .as_str()
                        .is_some_and(|v| input.present.iter().any(|p| p.trim() == v));
                    r["present"] = json!(ticked);
                }
            }
            data["meeting"]["others_present"] = json!(input.others_present);
            data["meeting"]["others_women"] = json!(input.others_women);
            ui.render_invalid("committees/attendance", "meeting-attendance", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// Who came, on a short page of its own (the meeting's page is long on a phone). An
/// approved meeting's attendance is final: the meeting's page instead.
async fn attendance_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let id = path.into_inner();
    let data = meeting_data(&ui, &actor, id).await?;
    if data["locked"] == json!(true) {
        return Ok(crate::web::render::redirect(&format!("/meetings/{id}")));
    }
    ui.render("committees/attendance", "meeting-attendance", data)
}

async fn approve_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (id, ip) = (path.into_inner(), client_ip(&req));
    ui.state
        .service(move |ctx| service::approve_meeting(ctx, &actor, &ip, id))
        .await?;
    Ok(redirect_flash(
        &format!("/meetings/{id}"),
        "flash-meeting-approved",
    ))
}

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

async fn minutes_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (id, ip) = (path.into_inner(), client_ip(&req));
    let input = minutes_of(form.into_inner());
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::save_meeting_minutes(ctx, &a, &ip, id, typed))
        .await
    {
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
    actor.require(Verb::ManageCommittees)?;
    let (id, input, ip) = (path.into_inner(), form.into_inner(), client_ip(&req));
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::add_addendum(ctx, &a, &ip, id, typed))
        .await
    {
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
        .run(move |c| super::model::find_in_scope(c, &scope, id))
        .await?;
    let mut fields =
        crate::web::forms::read_any_form(&req, payload, ui.state.config.server.max_body_bytes)
            .await?;
    let files = crate::web::photos::photos_from_form(&mut fields);
    let mut e = FieldErrors::new();
    if files.iter().all(|f| f.is_empty()) {
        e.add("photos", "photo-none");
        return meeting_invalid(&ui, &actor, id, &e, |_| {}).await;
    }
    let checked = match crate::web::photos::check_photos(&ui.state, files).await? {
        Ok(p) => p,
        Err(e) => return meeting_invalid(&ui, &actor, id, &e, |_| {}).await,
    };
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = ui
        .state
        .service(move |ctx| service::add_photos(ctx, &a, &ip, &m, checked))
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

/// The printable minutes, in the meeting's language.
async fn print_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let data = meeting_data(&ui, &actor, id).await?;
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

/// Meetings with the API's filters (committee, GP, status, dates), newest first, as CSV: who
/// came and the quorum, the agenda, how many decisions and action items. A committee or GP
/// outside the actor's scope is not found. Streamed, a page of meetings at a time.
async fn meetings_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<MeetingFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let mut f = q.into_inner();
    f.page = None;
    let (scope, cfg) = (actor.scope, ui.state.config.committees.clone());
    let (committee, gp) = (f.committee, f.gp);
    ui.state
        .db
        .run(move |c| {
            if let Some(k) = committee {
                crate::committees::model::find_in_scope(c, &scope, k)?;
            }
            scope.check_gp(c, gp)
        })
        .await?;
    let header = [
        "id",
        "gp_lgd_code",
        "committee",
        "kind",
        "held_on",
        "starts_at",
        "venue",
        "status",
        "minutes_lang",
        "members_serving",
        "members_present",
        "women_present",
        "quorum_met",
        "others_present",
        "others_women",
        "agenda",
        "decisions",
        "action_items",
        "approved_at_utc",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "meetings.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                200,
                |c, page| {
                    let (list, _) = super::model::list(c, &scope, &f, page.offset(), page.limit())?;
                    super::model::views(c, &cfg, list)
                },
                |c, views| {
                    let gps = crate::places::model::by_ids(
                        c,
                        &views.iter().map(|v| v.meeting.gp_id).collect::<Vec<_>>(),
                    )?;
                    let ids: Vec<i64> = views.iter().map(|v| v.meeting.committee_id).collect();
                    let names = crate::committees::model::names(c, &ids)?;
                    for v in views {
                        let m = &v.meeting;
                        let held = m.status() != MeetingStatus::Planned;
                        let counted = |n: i64| if held { n.to_string() } else { String::new() };
                        emit(vec![
                            m.id.to_string(),
                            gps.get(&m.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            String::from(names.get(&m.committee_id).map_or("", String::as_str)),
                            m.kind.clone(),
                            m.held_on.to_string(),
                            m.starts_at.clone().unwrap_or_default(),
                            String::from(m.venue.as_deref().unwrap_or("")),
                            m.status.clone(),
                            m.lang.clone(),
                            v.quorum.serving.to_string(),
                            counted(v.quorum.present),
                            counted(v.quorum.women_present),
                            if held {
                                v.quorum.met.to_string()
                            } else {
                                String::new()
                            },
                            counted(m.others_present.into()),
                            counted(m.others_women.into()),
                            String::from(
                                &v.agenda
                                    .iter()
                                    .map(|a| a.title.as_str())
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            ),
                            v.agenda
                                .iter()
                                .filter(|a| a.decision.is_some())
                                .count()
                                .to_string(),
                            v.action_items.len().to_string(),
                            m.approved_at
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
    actor.require(Verb::ViewCommittees)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, PER_PAGE);
    let (scope, lang, filter) = (actor.scope, ui.lang(), f.clone());
    let (rows, total) = ui
        .state
        .service(move |ctx| service::decisions(ctx, &scope, &filter, page.offset(), page.limit()))
        .await?;
    let gps = crate::committees::pages::gp_choices(&ui, scope).await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut j = json!(r);
            j["kind_key"] = json!(MeetingKind::label_key_of(&r.kind));
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
    let kinds: HashMap<String, String> = MeetingKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                ui.t(&MeetingKind::label_key_of(k.as_str())),
            )
        })
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
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "decisions.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| {
                    Ok(super::model::decisions(c, &scope, &f, page.offset(), page.limit())?.0)
                },
                |_, rows| {
                    for r in rows {
                        emit(vec![
                            r.held_on.format("%d-%m-%Y").to_string(),
                            String::from(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref())),
                            kinds.get(&r.kind).cloned().unwrap_or(r.kind),
                            r.position.to_string(),
                            String::from(&r.title),
                            String::from(&r.decision),
                            r.meeting_id.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn regularity_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<RegularityQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, gp) = (actor.scope, q.gp);
    let list = ui
        .state
        .service(move |ctx| service::regularity(ctx, &scope, gp))
        .await?;
    let lang = ui.lang();
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            let mut j = json!(r);
            j["state_key"] = json!(RegularityState::label_key_of(&r.state));
            j["gp_display"] = json!(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref()).to_string());
            j
        })
        .collect();
    let missed = list
        .iter()
        .filter(|r| {
            matches!(
                RegularityState::parse(&r.state),
                Some(RegularityState::Missed | RegularityState::Never)
            )
        })
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
            for r in super::model::regularity(c, &scope, gp, today)? {
                emit(vec![
                    r.lgd_code.to_string(),
                    String::from(name_in(lang, &r.gp_name, r.gp_name_hi.as_deref())),
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
