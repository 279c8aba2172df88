//! Committee pages (the list with each committee's composition at a glance; a committee with
//! its rules met or not, its members now and before, and the forms to add a member, end a
//! term and re-constitute) and `/api/v1/committees`.

use super::meetings::{self, AttendanceInput, MeetingInput, MeetingView};
use super::{CommitteeInput, CommitteeView, MemberInput};
use crate::audit;
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::csv::UTC;
use crate::web::i18n::today_in_india;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    super::minutes_http::configure(cfg);
    cfg.route("/committees", web::get().to(list_page))
        .route("/committees.csv", web::get().to(list_csv))
        .route("/meetings.csv", web::get().to(meetings_csv))
        .route("/committees/{id}/members.csv", web::get().to(members_csv))
        .route("/committees", web::post().to(create_submit))
        .route("/committees/{id}", web::get().to(detail_page))
        .route("/committees/{id}/members", web::post().to(member_submit))
        .route(
            "/committees/{id}/members/{member}/end",
            web::post().to(end_submit),
        )
        .route(
            "/committees/{id}/reconstitute",
            web::post().to(reconstitute_submit),
        )
        .route("/api/v1/committees", web::get().to(api_list))
        .route("/api/v1/committees", web::post().to(api_create))
        .route("/api/v1/committees/{id}", web::get().to(api_get))
        .route(
            "/api/v1/committees/{id}/members",
            web::post().to(api_add_member),
        )
        .route(
            "/api/v1/committees/{id}/reconstitute",
            web::post().to(api_reconstitute),
        )
        .route("/committees/{id}/meetings", web::post().to(meeting_submit))
        .route("/meetings/{id}", web::get().to(meeting_page))
        .route(
            "/meetings/{id}/attendance",
            web::post().to(attendance_submit),
        )
        .route("/meetings/{id}/approve", web::post().to(approve_submit))
        .route("/api/v1/meetings", web::get().to(api_meetings))
        .route("/api/v1/meetings", web::post().to(api_meeting_create))
        .route("/api/v1/meetings/{id}", web::get().to(api_meeting_get))
        .route(
            "/api/v1/meetings/{id}/attendance",
            web::post().to(api_attendance),
        )
        .route("/api/v1/meetings/{id}/approve", web::post().to(api_approve));
}

/// The committees in scope, each with its composition today.
async fn views(state: &web::Data<AppState>, actor: &Actor) -> AppResult<Vec<CommitteeView>> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, cfg) = (actor.scope, state.config.committees.clone());
    let today = today_in_india(state.clock.now());
    state
        .db
        .run(move |c| {
            super::list(c, &scope)?
                .into_iter()
                .map(|k| super::view(c, &cfg, k, today))
                .collect()
        })
        .await
}

async fn one(state: &web::Data<AppState>, actor: &Actor, id: i64) -> AppResult<CommitteeView> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, cfg) = (actor.scope, state.config.committees.clone());
    let today = today_in_india(state.clock.now());
    state
        .db
        .run(move |c| {
            let k = super::find_in_scope(c, &scope, id)?;
            super::view(c, &cfg, k, today)
        })
        .await
}

async fn create_committee(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    input: CommitteeInput,
) -> AppResult<super::Committee> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "create", "committee", move |c, a| {
        let k = super::create(c, a, &input, now)?;
        Ok((k.clone(), Some(k.id), k.name.clone()))
    })
    .await
}

async fn add_member(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    input: MemberInput,
) -> AppResult<super::Member> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    let cfg = state.config.committees.clone();
    audit::write_audited(state, actor, ip, "update", "committee", move |c, a| {
        let k = super::find_in_scope(c, &a.scope, id)?;
        let m = super::add_member(c, &cfg, &k, &input, now)?;
        Ok((m.clone(), Some(id), format!("{}: added {}", k.name, m.name)))
    })
    .await
}

/// End one member's term (`member`), or every running term at a re-constitution.
async fn end_terms(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    member: Option<i64>,
    input: EndInput,
) -> AppResult<usize> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "update", "committee", move |c, a| {
        let k = super::find_in_scope(c, &a.scope, id)?;
        let n = super::end_terms(c, &k, member, &input.on, &input.reason, now)?;
        let what = if member.is_some() {
            "a term ended"
        } else {
            "re-constituted"
        };
        Ok((n, Some(id), format!("{}: {what} ({n})", k.name)))
    })
    .await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EndInput {
    /// The last day of the term(s): YYYY-MM-DD (today when left out).
    pub on: String,
    /// Why (required), e.g. "GP election 2026".
    pub reason: String,
}

/// Keys for the template: a rule's label and its state.
fn checks_json(v: &CommitteeView) -> Vec<Value> {
    v.checks
        .iter()
        .map(|c| {
            json!({
                "label_key": format!("committee-rule-{}", c.rule),
                "state_key": match c.met {
                    Some(true) => "committee-rule-met",
                    Some(false) => "committee-rule-not-met",
                    None => "committee-rule-unknown",
                },
                "met": c.met,
                "count": c.count,
                "of": c.of,
                "required": c.required,
            })
        })
        .collect()
}

async fn list_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    let views = views(&ui.state, &actor).await?;
    let rows: Vec<Value> = views
        .iter()
        .map(|v| {
            let mut j = json!(v.committee);
            j["composition_ok"] = json!(v.composition_ok);
            j["serving"] = json!(v.checks.first().map(|c| c.count));
            j
        })
        .collect();
    let data = list_data(&ui, &actor, rows, None).await?;
    ui.render("committees/list", "committees-title", data)
}

/// Each committee in scope with its composition today, as on the list page, as CSV: one line
/// per committee with the count and verdict of each rule (true, false, or empty when it cannot
/// be judged). Streamed, each committee's members read as its line is written.
async fn list_csv(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, cfg) = (actor.scope, ui.state.config.committees.clone());
    let today = today_in_india(ui.state.clock.now());
    const RULES: [&str; 4] = ["size", "women", "elected", "sc_st"];
    let mut header: Vec<String> = [
        "id",
        "gp_lgd_code",
        "village_lgd_code",
        "name",
        "constituted_on",
    ]
    .map(String::from)
    .to_vec();
    for r in RULES {
        header.push(format!("{r}_count"));
        header.push(format!("{r}_met"));
    }
    header.push("composition_ok".into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "committees.csv",
        &header,
        move |c, emit| {
            let list = super::list(c, &scope)?;
            let mut ids: Vec<i64> = list.iter().map(|k| k.gp_id).collect();
            ids.extend(list.iter().filter_map(|k| k.village_id));
            let places = crate::places::model::by_ids(c, &ids)?;
            let lgd = |id: i64| {
                places
                    .get(&id)
                    .map(|p| p.lgd_code.to_string())
                    .unwrap_or_default()
            };
            for k in list {
                let v = super::view(c, &cfg, k, today)?;
                let k = &v.committee;
                let mut row = vec![
                    k.id.to_string(),
                    lgd(k.gp_id),
                    k.village_id.map(lgd).unwrap_or_default(),
                    crate::web::csv::safe_cell(&k.name),
                    k.constituted_on.to_string(),
                ];
                for r in RULES {
                    let check = v.checks.iter().find(|x| x.rule == r);
                    row.push(check.map(|x| x.count.to_string()).unwrap_or_default());
                    row.push(
                        check
                            .and_then(|x| x.met)
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                    );
                }
                row.push(v.composition_ok.to_string());
                emit(row)?;
            }
            Ok(())
        },
    ))
}

/// A committee's members, now and before, as on its page, as CSV (a committee is small).
async fn members_csv(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let v = one(&ui.state, &actor, path.into_inner()).await?;
    let today = today_in_india(ui.state.clock.now());
    let safe = crate::web::csv::safe_cell;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = v.members.iter().map(|m| {
        vec![
            m.id.to_string(),
            safe(&m.name),
            m.role.clone(),
            m.gender.clone(),
            m.social_category.clone(),
            m.elected_gp_member.to_string(),
            m.phone.clone().unwrap_or_default(),
            m.term_from.to_string(),
            day(m.term_to),
            safe(m.end_reason.as_deref().unwrap_or("")),
            m.serving_on(today).to_string(),
        ]
    });
    crate::web::csv::response(
        &format!("committee-{}-members.csv", v.committee.id),
        &[
            "id",
            "name",
            "role",
            "gender",
            "social_category",
            "elected_gp_member",
            "phone",
            "term_from",
            "term_to",
            "end_reason",
            "serving",
        ],
        rows,
    )
}

async fn list_data(
    ui: &Ui,
    actor: &Actor,
    rows: Vec<Value>,
    form: Option<CommitteeInput>,
) -> AppResult<Value> {
    let today = today_in_india(ui.state.clock.now());
    Ok(json!({
        "rows": rows,
        "can_manage": actor.can(Verb::ManageCommittees),
        "form": form.unwrap_or_else(|| CommitteeInput {
            constituted_on: today.to_string(),
            ..Default::default()
        }),
    }))
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<CommitteeInput>,
) -> AppResult<HttpResponse> {
    let input = form.into_inner();
    match create_committee(&ui.state, &actor, client_ip(&req), input.clone()).await {
        Ok(k) => Ok(redirect_flash(
            &format!("/committees/{}", k.id),
            "flash-committee-created",
        )),
        Err(AppError::Validation(e)) => {
            let data = list_data(&ui, &actor, vec![], Some(input)).await?;
            ui.render_invalid("committees/list", "committees-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn detail_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<MemberInput>,
) -> AppResult<Value> {
    let v = one(&ui.state, actor, id).await?;
    let today = today_in_india(ui.state.clock.now());
    let gp = v.committee.gp_id;
    let accounts: Vec<Value> = ui
        .state
        .db
        .run(move |c| super::linkable_users(c, gp))
        .await?
        .into_iter()
        .map(|(id, username, name)| json!({"value": id.to_string(), "label": format!("{name} ({username})")}))
        .collect();
    let members: Vec<Value> = v
        .members
        .iter()
        .map(|m| {
            let mut j = json!(m);
            j["serving"] = json!(m.serving_on(today));
            j["role_key"] = json!(format!("committee-role-{}", m.role));
            j["gender_key"] = json!(format!("committee-gender-{}", m.gender));
            j["social_key"] = json!(format!("committee-social-{}", m.social_category));
            j
        })
        .collect();
    Ok(json!({
        "members_csv_url": format!("/committees/{}/members.csv", v.committee.id),
        "meetings_csv_url": format!("/meetings.csv?committee={}", v.committee.id),
        "committee": v.committee,
        "checks": checks_json(&v),
        "composition_ok": v.composition_ok,
        "members": members,
        "can_manage": actor.can(Verb::ManageCommittees),
        "today": today.to_string(),
        "form": form.unwrap_or_else(|| MemberInput {
            role: "member".into(),
            term_from: today.to_string(),
            ..Default::default()
        }),
        "meetings": meetings_json(&ui.state, v.committee.id).await?,
        "meeting_form": MeetingInput {
            held_on: today.to_string(),
            lang: ui.lang().code().to_string(),
            ..Default::default()
        },
        "kinds": ui.choices("meeting-kind-", &meetings::KINDS),
        "langs": ui.choices("lang-name-", &meetings::LANGS),
        "roles": ui.choices("committee-role-", &ui.state.config.committees.roles),
        "genders": ui.choices("committee-gender-", &super::GENDERS),
        "socials": ui.choices("committee-social-", &super::SOCIAL_CATEGORIES),
        "accounts": accounts,
    }))
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let data = detail_data(&ui, &actor, path.into_inner(), None).await?;
    ui.render("committees/detail", "committee-title", data)
}

async fn member_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<MemberInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    match add_member(&ui.state, &actor, client_ip(&req), id, input.clone()).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/committees/{id}"),
            "flash-committee-member-added",
        )),
        Err(AppError::Validation(e)) => {
            let data = detail_data(&ui, &actor, id, Some(input)).await?;
            ui.render_invalid("committees/detail", "committee-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn end_result(ui: Ui, actor: Actor, id: i64, r: AppResult<usize>) -> AppResult<HttpResponse> {
    match r {
        Ok(_) => Ok(redirect_flash(
            &format!("/committees/{id}"),
            "flash-committee-terms-ended",
        )),
        Err(AppError::Validation(e)) => {
            let data = detail_data(&ui, &actor, id, None).await?;
            ui.render_invalid("committees/detail", "committee-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn end_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    form: web::Form<EndInput>,
) -> AppResult<HttpResponse> {
    let (id, member) = path.into_inner();
    let r = end_terms(
        &ui.state,
        &actor,
        client_ip(&req),
        id,
        Some(member),
        form.into_inner(),
    )
    .await;
    end_result(ui, actor, id, r).await
}

async fn reconstitute_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<EndInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let r = end_terms(
        &ui.state,
        &actor,
        client_ip(&req),
        id,
        None,
        form.into_inner(),
    )
    .await;
    end_result(ui, actor, id, r).await
}

/// Committees in scope, each with its members, rules and whether its composition is met.
#[utoipa::path(get, path = "/api/v1/committees", tag = "committees", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommitteeView>), (status = 401)))]
pub async fn api_list(state: web::Data<AppState>, actor: Actor) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(views(&state, &actor).await?))
}

/// Add a committee (the GP's, or a ward/village sub-committee with `village_id`).
#[utoipa::path(post, path = "/api/v1/committees", tag = "committees", security(("bearer" = [])),
    request_body = CommitteeInput,
    responses((status = 201, body = super::Committee), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: CommitteeInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let k = create_committee(&state, &actor, client_ip(&req), input).await?;
    Ok(HttpResponse::Created().json(k))
}

#[utoipa::path(get, path = "/api/v1/committees/{id}", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Committee id")),
    responses((status = 200, body = CommitteeView), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(one(&state, &actor, path.into_inner()).await?))
}

/// Add a member (their term starts on `term_from`, today by default).
#[utoipa::path(post, path = "/api/v1/committees/{id}/members", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Committee id")), request_body = MemberInput,
    responses((status = 201, body = super::Member), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_add_member(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: MemberInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let m = add_member(&state, &actor, client_ip(&req), path.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(m))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ended {
    /// Terms ended.
    pub ended: usize,
}

/// Re-constitute the committee (after a GP election): every running term ends on `on`; the
/// members stay in its history.
#[utoipa::path(post, path = "/api/v1/committees/{id}/reconstitute", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Committee id")), request_body = EndInput,
    responses((status = 200, body = Ended), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_reconstitute(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: EndInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let ended = end_terms(
        &state,
        &actor,
        client_ip(&req),
        path.into_inner(),
        None,
        input,
    )
    .await?;
    Ok(HttpResponse::Ok().json(Ended { ended }))
}

async fn meetings_json(state: &web::Data<AppState>, committee: i64) -> AppResult<Vec<Value>> {
    let list = state
        .db
        .run(move |c| meetings::of_committee(c, committee))
        .await?;
    Ok(list
        .iter()
        .map(|m| {
            let mut j = json!(m);
            j["kind_key"] = json!(format!("meeting-kind-{}", m.kind));
            j["status_key"] = json!(format!("meeting-status-{}", m.status));
            j
        })
        .collect())
}

async fn create_meeting(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    committee: i64,
    input: MeetingInput,
) -> AppResult<meetings::Meeting> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "create", "meeting", move |c, a| {
        let k = super::find_in_scope(c, &a.scope, committee)?;
        let m = meetings::create(c, a, &k, &input, now)?;
        Ok((m.clone(), Some(m.id), format!("{} {}", k.name, m.held_on)))
    })
    .await
}

pub(super) async fn meeting_view(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
) -> AppResult<MeetingView> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, cfg) = (actor.scope, state.config.committees.clone());
    state
        .db
        .run(move |c| {
            let m = meetings::find_in_scope(c, &scope, id)?;
            meetings::view(c, &cfg, m)
        })
        .await
}

async fn save_attendance(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
    input: AttendanceInput,
) -> AppResult<meetings::Meeting> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "update", "meeting", move |c, a| {
        let m = meetings::find_in_scope(c, &a.scope, id)?;
        let serving = meetings::serving_on(c, &m)?;
        let m = meetings::record_attendance(c, &m, &serving, &input, now)?;
        Ok((m, Some(id), "attendance".to_string()))
    })
    .await
}

async fn approve_meeting(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: String,
    id: i64,
) -> AppResult<meetings::Meeting> {
    actor.require(Verb::ManageCommittees)?;
    let now = state.clock.now();
    audit::write_audited(state, actor, ip, "update", "meeting", move |c, a| {
        let m = meetings::find_in_scope(c, &a.scope, id)?;
        let m = meetings::approve(c, a, &m, now)?;
        Ok((m, Some(id), "minutes approved".to_string()))
    })
    .await
}

async fn meeting_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<MeetingInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    match create_meeting(&ui.state, &actor, client_ip(&req), id, input.clone()).await {
        Ok(m) => Ok(redirect_flash(
            &format!("/meetings/{}", m.id),
            "flash-meeting-planned",
        )),
        Err(AppError::Validation(e)) => {
            let mut data = detail_data(&ui, &actor, id, None).await?;
            data["meeting_form"] = json!(input);
            ui.render_invalid("committees/detail", "committee-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn meeting_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let v = meeting_view(&ui.state, actor, id).await?;
    let (committee_id, held_on, gp) = (v.meeting.committee_id, v.meeting.held_on, v.meeting.gp_id);
    let today = today_in_india(ui.state.clock.now());
    let items = v.action_items.clone();
    let (committee, members, actions, schemes) = ui
        .state
        .db
        .run(move |c| {
            use crate::db::schema::schemes;
            use diesel::prelude::*;
            let schemes: Vec<(i64, String)> = schemes::table
                .filter(schemes::gp_id.eq(gp))
                .order(schemes::name.asc())
                .select((schemes::id, schemes::name))
                .load(c)?;
            use crate::db::schema::assets;
            let assets: Vec<(i64, String, i64)> = assets::table
                .filter(assets::gp_id.eq(gp))
                .filter(assets::status.eq_any(["working", "needs_attention", "failed"]))
                .order((assets::scheme_id.asc(), assets::name.asc()))
                .limit(500)
                .select((assets::id, assets::name, assets::scheme_id))
                .load(c)?;
            Ok((
                super::find(c, committee_id)?,
                super::members(c, committee_id)?,
                super::minutes_http::action_rows(c, &items, today)?,
                (schemes, assets),
            ))
        })
        .await?;
    let (schemes, assets) = schemes;
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
                "role_key": format!("committee-role-{}", m.role),
                "gender_key": format!("committee-gender-{}", m.gender),
                "present": v.present.contains(&m.id),
            })
        })
        .collect();
    let status = v.meeting.status.as_str();
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
        "kind_key": format!("meeting-kind-{}", v.meeting.kind),
        "status_key": format!("meeting-status-{}", v.meeting.status),
        "lang_key": format!("lang-name-{}", v.meeting.lang),
        "agenda": v.agenda.iter().map(|a| {
            let mut j = json!(a);
            j["value"] = json!(a.id.to_string());
            j
        }).collect::<Vec<_>>(),
        "quorum": v.quorum,
        "serving": serving,
        "committee": committee,
        "locked": status == "approved",
        "held": status != "planned",
        "can_approve": status == "held",
        "can_manage": actor.can(Verb::ManageCommittees),
        "addenda": addenda,
        "action_items": actions,
        "photos": v.photos,
        "can_add_photos": status != "approved"
            && v.photos.len() < crate::maintenance::photos::MAX_PHOTOS,
        "schemes": schemes.iter().map(|(id, name)| json!({"value": id.to_string(), "label": name})).collect::<Vec<_>>(),
        "assets": asset_choices,
        "addendum_form": meetings::AddendumInput::default(),
        "action_form": super::actions::ActionInput {
            due_on: (held_on + chrono::Duration::days(30)).to_string(),
            ..Default::default()
        },
    }))
}

async fn meeting_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let data = meeting_data(&ui, &actor, path.into_inner()).await?;
    ui.render("committees/meeting", "meeting-title", data)
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
    let id = path.into_inner();
    let input = attendance_of(form.into_inner());
    match save_attendance(&ui.state, &actor, client_ip(&req), id, input).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/meetings/{id}"),
            "flash-meeting-attendance",
        )),
        Err(AppError::Validation(e)) => {
            let data = meeting_data(&ui, &actor, id).await?;
            ui.render_invalid("committees/meeting", "meeting-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn approve_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    approve_meeting(&ui.state, &actor, client_ip(&req), id).await?;
    Ok(redirect_flash(
        &format!("/meetings/{id}"),
        "flash-meeting-approved",
    ))
}

/// Meetings in scope (filters: committee, GP, status, dates), newest first, with agenda,
/// attendance, quorum, addenda, action items and photos; 50 a page.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "committees", security(("bearer" = [])),
    params(meetings::MeetingFilter),
    responses((status = 200, body = crate::web::pagination::ApiPage<MeetingView>), (status = 401)))]
pub async fn api_meetings(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<meetings::MeetingFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let f = q.into_inner();
    let page = crate::web::pagination::PageRequest::new(f.page, 50);
    let (scope, cfg) = (actor.scope, state.config.committees.clone());
    let (items, total) = state
        .db
        .run(move |c| {
            let (list, total) = meetings::list(c, &scope, &f, page.offset(), page.limit())?;
            Ok((meetings::views(c, &cfg, list)?, total))
        })
        .await?;
    Ok(HttpResponse::Ok().json(crate::web::pagination::ApiPage::new(items, page, total)))
}

/// Meetings with the API's filters (committee, GP, status, dates), newest first, as CSV: who
/// came and the quorum, the agenda, how many decisions and action items. A committee or GP
/// outside the actor's scope is not found. Streamed, a page of meetings at a time.
async fn meetings_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<meetings::MeetingFilter>,
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
                super::find_in_scope(c, &scope, k)?;
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
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "meetings.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                200,
                |c, page| {
                    let (list, _) = meetings::list(c, &scope, &f, page.offset(), page.limit())?;
                    meetings::views(c, &cfg, list)
                },
                |c, views| {
                    use crate::db::schema::committees;
                    use diesel::prelude::*;
                    let gps = crate::places::model::by_ids(
                        c,
                        &views.iter().map(|v| v.meeting.gp_id).collect::<Vec<_>>(),
                    )?;
                    let ids: Vec<i64> = views.iter().map(|v| v.meeting.committee_id).collect();
                    let names: std::collections::HashMap<i64, String> = committees::table
                        .filter(committees::id.eq_any(&ids))
                        .select((committees::id, committees::name))
                        .load::<(i64, String)>(c)?
                        .into_iter()
                        .collect();
                    for v in views {
                        let m = &v.meeting;
                        let held = m.status != "planned";
                        let counted = |n: i64| if held { n.to_string() } else { String::new() };
                        emit(vec![
                            m.id.to_string(),
                            gps.get(&m.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            safe(names.get(&m.committee_id).map_or("", String::as_str)),
                            m.kind.clone(),
                            m.held_on.to_string(),
                            m.starts_at.clone().unwrap_or_default(),
                            safe(m.venue.as_deref().unwrap_or("")),
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
                            safe(
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

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewMeeting {
    /// The committee (id).
    pub committee_id: String,
    #[serde(flatten)]
    pub meeting: MeetingInput,
}

/// Plan a meeting with its agenda (one item per line).
#[utoipa::path(post, path = "/api/v1/meetings", tag = "committees", security(("bearer" = [])),
    request_body = NewMeeting,
    responses((status = 201, body = meetings::Meeting), (status = 401), (status = 403), (status = 404),
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
    let m = create_meeting(&state, &actor, client_ip(&req), committee, input).await?;
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
    save_attendance(&state, &actor, client_ip(&req), id, input).await?;
    Ok(HttpResponse::Ok().json(meeting_view(&state, &actor, id).await?))
}

/// Approve the minutes of a held meeting; it is locked from then on.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/approve", tag = "committees", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = meetings::Meeting), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "Not held yet, or already approved")))]
pub async fn api_approve(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let m = approve_meeting(&state, &actor, client_ip(&req), path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(m))
}
