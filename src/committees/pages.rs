//! Committee pages: the list with each committee's composition at a glance (and its CSV), a
//! committee with its rules met or not, its members now and before (and their CSV), and the
//! forms to add a committee, add a member, end a term and re-constitute.

use super::meetings::{self, MeetingKind};
use super::{model, service, CommitteeInput, CommitteeView, EndInput, MemberInput, Rule};
use super::{Gender, SocialCategory};
use crate::auth::{Actor, Scope, Verb};
use crate::error::{AppError, AppResult};
use crate::web::i18n::{name_in, today_in_india, Lang};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/committees", web::get().to(list_page))
        .route("/committees.csv", web::get().to(list_csv))
        .route(
            "/committees/{id:\\d+}/members.csv",
            web::get().to(members_csv),
        )
        .route("/committees", web::post().to(create_submit))
        .route("/committees/{id:\\d+}", web::get().to(detail_page))
        .route(
            "/committees/{id:\\d+}/members",
            web::post().to(member_submit),
        )
        .route(
            "/committees/{id:\\d+}/members/{member:\\d+}/end",
            web::post().to(end_submit),
        )
        .route(
            "/committees/{id:\\d+}/reconstitute",
            web::post().to(reconstitute_submit),
        );
    super::meetings::pages::configure(cfg);
    super::actions::pages::configure(cfg);
}

/// The GPs in scope as choices for a GP filter, when there is more than one.
pub(crate) async fn gp_choices(ui: &Ui, scope: Scope) -> AppResult<Vec<Value>> {
    if matches!(
        scope,
        Scope::Place {
            level: crate::places::Level::Gp,
            ..
        }
    ) {
        return Ok(vec![]);
    }
    let lang = ui.lang();
    let gps = ui
        .state
        .db
        .run(move |c| model::gps_in_scope(c, &scope))
        .await?;
    Ok(gp_choices_in(gps, lang))
}

fn gp_choices_in(gps: Vec<(i64, String, Option<String>)>, lang: Lang) -> Vec<Value> {
    gps.into_iter()
        .map(|(id, name, hi)| json!({"value": id, "label": name_in(lang, &name, hi.as_deref())}))
        .collect()
}

/// Keys for the template: a rule's label and its state.
fn checks_json(v: &CommitteeView) -> Vec<Value> {
    v.checks
        .iter()
        .map(|c| {
            json!({
                "label_key": Rule::label_key_of(&c.rule),
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
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    let views = ui
        .state
        .service(move |ctx| service::committee_views(ctx, &scope, None, 0, i64::MAX))
        .await?
        .0;
    let rows: Vec<Value> = views
        .iter()
        .map(|v| {
            let mut j = json!(v.committee);
            j["composition_ok"] = json!(v.composition_ok);
            j["serving"] = json!(v.checks.first().map(|c| c.count));
            j
        })
        .collect();
    let data = list_data(&ui, &actor, rows, None);
    ui.render("committees/list", "committees-title", data)
}

/// Each committee in scope with its composition today, as on the list page, as CSV: one line
/// per committee with the count and verdict of each rule (true, false, or empty when it cannot
/// be judged). Streamed, each committee's members read as its line is written.
async fn list_csv(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewCommittees)?;
    let (scope, cfg) = (actor.scope, ui.state.config.committees.clone());
    let today = today_in_india(ui.state.clock.now());
    let mut header: Vec<String> = [
        "id",
        "gp_lgd_code",
        "village_lgd_code",
        "name",
        "constituted_on",
    ]
    .map(String::from)
    .to_vec();
    for r in Rule::ALL {
        header.push(format!("{}_count", r.as_str()));
        header.push(format!("{}_met", r.as_str()));
    }
    header.push("composition_ok".into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "committees.csv",
        &header,
        move |c, emit| {
            let (list, _) = model::list(c, &scope, None, 0, i64::MAX)?;
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
                let v = model::view(c, &cfg, k, today)?;
                let k = &v.committee;
                let mut row = vec![
                    k.id.to_string(),
                    lgd(k.gp_id),
                    k.village_id.map(lgd).unwrap_or_default(),
                    String::from(&k.name),
                    k.constituted_on.to_string(),
                ];
                for r in Rule::ALL {
                    let check = v.checks.iter().find(|x| x.rule == r.as_str());
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

async fn one(ui: &Ui, actor: &Actor, id: i64) -> AppResult<CommitteeView> {
    actor.require(Verb::ViewCommittees)?;
    let scope = actor.scope;
    ui.state
        .service(move |ctx| service::committee_view(ctx, &scope, id))
        .await
}

/// A committee's members, now and before, as on its page, as CSV (a committee is small).
async fn members_csv(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let v = one(&ui, &actor, path.into_inner()).await?;
    let today = today_in_india(ui.state.clock.now());
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = v.members.iter().map(|m| {
        vec![
            m.id.to_string(),
            String::from(&m.name),
            m.role.clone(),
            m.gender.clone(),
            m.social_category.clone(),
            m.elected_gp_member.to_string(),
            m.phone.clone().unwrap_or_default(),
            m.term_from.to_string(),
            day(m.term_to),
            String::from(m.end_reason.as_deref().unwrap_or("")),
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

fn list_data(ui: &Ui, actor: &Actor, rows: Vec<Value>, form: Option<CommitteeInput>) -> Value {
    let today = today_in_india(ui.state.clock.now());
    json!({
        "rows": rows,
        "can_manage": actor.can(Verb::ManageCommittees),
        "form": form.unwrap_or_else(|| CommitteeInput {
            constituted_on: today.to_string(),
            ..Default::default()
        }),
    })
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<CommitteeInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (input, ip) = (form.into_inner(), client_ip(&req));
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_committee(ctx, &a, &ip, typed))
        .await
    {
        Ok(k) => Ok(redirect_flash(
            &format!("/committees/{}", k.id),
            "flash-committee-created",
        )),
        Err(AppError::Validation(e)) => {
            let data = list_data(&ui, &actor, vec![], Some(input));
            ui.render_invalid("committees/list", "committees-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// The committee page's data.
pub(crate) async fn detail_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<MemberInput>,
) -> AppResult<Value> {
    let v = one(ui, actor, id).await?;
    let today = today_in_india(ui.state.clock.now());
    let (gp, committee) = (v.committee.gp_id, v.committee.id);
    let (accounts, meetings) = ui
        .state
        .db
        .run(move |c| {
            Ok((
                model::linkable_users(c, gp)?,
                meetings::model::of_committee(c, committee)?,
            ))
        })
        .await?;
    let accounts: Vec<Value> = accounts
        .into_iter()
        .map(|(id, username, name)| json!({"value": id.to_string(), "label": format!("{name} ({username})")}))
        .collect();
    let members: Vec<Value> = v
        .members
        .iter()
        .map(|m| {
            let mut j = json!(m);
            j["serving"] = json!(m.serving_on(today));
            j["role_key"] = json!(super::role_key(&m.role));
            j["gender_key"] = json!(Gender::label_key_of(&m.gender));
            j["social_key"] = json!(SocialCategory::label_key_of(&m.social_category));
            j
        })
        .collect();
    let meetings: Vec<Value> = meetings
        .iter()
        .map(|m| {
            let mut j = json!(m);
            j["kind_key"] = json!(MeetingKind::label_key_of(&m.kind));
            j["status_key"] = json!(meetings::MeetingStatus::label_key_of(&m.status));
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
            role: super::DEFAULT_ROLE.into(),
            term_from: today.to_string(),
            ..Default::default()
        }),
        "meetings": meetings,
        "roles": ui.choices("committee-role-", &ui.state.config.committees.roles),
        "genders": ui.choices("committee-gender-", &Gender::ALL.map(Gender::as_str)),
        "socials": ui.choices("committee-social-", &SocialCategory::ALL.map(SocialCategory::as_str)),
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
    actor.require(Verb::ManageCommittees)?;
    let (id, input, ip) = (path.into_inner(), form.into_inner(), client_ip(&req));
    let (a, typed) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::add_committee_member(ctx, &a, &ip, id, typed))
        .await
    {
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

/// End one member's term, or every running term (`member` none), and show the result.
async fn end_terms(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    id: i64,
    member: Option<i64>,
    input: EndInput,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageCommittees)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = ui
        .state
        .service(move |ctx| service::end_committee_terms(ctx, &a, &ip, id, member, input))
        .await;
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
    end_terms(ui, actor, req, id, Some(member), form.into_inner()).await
}

async fn reconstitute_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<EndInput>,
) -> AppResult<HttpResponse> {
    end_terms(ui, actor, req, path.into_inner(), None, form.into_inner()).await
}
