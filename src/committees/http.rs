//! Committee pages (the list with each committee's composition at a glance; a committee with
//! its rules met or not, its members now and before, and the forms to add a member, end a
//! term and re-constitute) and `/api/v1/committees`.

use super::{CommitteeInput, CommitteeView, MemberInput};
use crate::audit;
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::i18n::today_in_india;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/committees", web::get().to(list_page))
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
        );
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

fn option_list(ui: &Ui, prefix: &str, values: &[String]) -> Vec<Value> {
    values
        .iter()
        .map(|v| json!({"value": v, "label": ui.t(&format!("{prefix}{v}"))}))
        .collect()
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
    let genders: Vec<String> = super::GENDERS.iter().map(|s| s.to_string()).collect();
    let socials: Vec<String> = super::SOCIAL_CATEGORIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    Ok(json!({
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
        "roles": option_list(ui, "committee-role-", &ui.state.config.committees.roles),
        "genders": option_list(ui, "committee-gender-", &genders),
        "socials": option_list(ui, "committee-social-", &socials),
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
