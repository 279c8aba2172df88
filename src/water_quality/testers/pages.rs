//! The testers register: list (in scope), add, edit.

use super::model::{self, Tester};
use super::{service, TesterInput};
use crate::auth::{Actor, Scope, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::Level;
use crate::web::i18n::{format_date, name_in};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/testers", web::get().to(list_page))
        .route("/water-quality/testers", web::post().to(create_submit))
        .route("/water-quality/testers/new", web::get().to(new_page))
        .route(
            "/water-quality/testers/{id:\\d+}/edit",
            web::get().to(edit_page),
        )
        .route(
            "/water-quality/testers/{id:\\d+}",
            web::post().to(edit_submit),
        );
}

#[derive(Debug, Default, Deserialize)]
pub struct GpQuery {
    pub gp: Option<i64>,
}

/// The GP a register page is about: the one named (inside the scope), else the actor's own.
fn gp_of(actor: &Actor, named: Option<i64>) -> Option<i64> {
    named.or(match actor.scope {
        Scope::Place {
            level: Level::Gp,
            id,
        } => Some(id),
        _ => None,
    })
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<GpQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (scope, gp, lang) = (actor.scope, gp_of(&actor, q.gp), ui.lang());
    let (testers, villages) = ui
        .state
        .db
        .run(move |c| {
            scope.check_gp(c, gp)?;
            let (rows, _) = model::list_in_scope(c, &scope, gp, None, 0, 500)?;
            let villages = crate::places::model::by_ids(
                c,
                &rows.iter().map(|t| t.village_id).collect::<Vec<_>>(),
            )?;
            Ok((rows, villages))
        })
        .await?;
    let rows: Vec<Value> = testers
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "name": t.name, "phone": t.phone, "active": t.active,
                "trained_on": format_date(t.trained_on), "trained_by": t.trained_by,
                "linked": t.user_id.is_some(),
                "village": villages.get(&t.village_id).map(|v| v.display_name(lang).to_string()),
            })
        })
        .collect();
    ui.render(
        "water_quality/testers",
        "wq-testers-title",
        json!({
            "testers": rows, "gp": gp,
            "can_manage": actor.can(Verb::ManageWaterQuality) && gp.is_some(),
        }),
    )
}

async fn form_data(
    ui: &Ui,
    actor: &Actor,
    gp: i64,
    input: &TesterInput,
    id: Option<i64>,
) -> AppResult<Value> {
    let (scope, lang) = (actor.scope, ui.lang());
    let (villages, members) = ui
        .state
        .db
        .run(move |c| {
            scope.check_gp(c, Some(gp))?;
            Ok((model::villages_of_gp(c, gp)?, model::members_of_gp(c, gp)?))
        })
        .await?;
    Ok(json!({
        "form": input, "gp": gp, "tester_id": id, "is_edit": id.is_some(),
        "action": match id { Some(id) => format!("/water-quality/testers/{id}"), None => format!("/water-quality/testers?gp={gp}") },
        "villages": villages.iter().map(|(id, n, h)| json!({"value": id.to_string(), "label": name_in(lang, n, h.as_deref())})).collect::<Vec<_>>(),
        "members": members.iter().map(|(id, n)| json!({"value": id.to_string(), "label": n})).collect::<Vec<_>>(),
    }))
}

/// The tester's form (a new tester when `id` is none) for the GP `gp`, with `errors` when a
/// submission failed (422).
async fn render_form(
    ui: &Ui,
    actor: &Actor,
    gp: i64,
    input: &TesterInput,
    id: Option<i64>,
    errors: Option<&FieldErrors>,
) -> AppResult<HttpResponse> {
    let data = form_data(ui, actor, gp, input, id).await?;
    let title = match id {
        Some(_) => "wq-tester-edit-title",
        None => "wq-tester-new-title",
    };
    match errors {
        Some(e) => ui.render_invalid("water_quality/tester_form", title, e, data),
        None => ui.render("water_quality/tester_form", title, data),
    }
}

/// Where a saved tester's form goes: the GP's register.
fn saved(t: &Tester) -> HttpResponse {
    redirect_flash(
        &format!("/water-quality/testers?gp={}", t.gp_id),
        "flash-wq-tester-saved",
    )
}

/// A tester in the actor's scope.
async fn find_tester(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Tester> {
    let scope = actor.scope;
    ui.state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await
}

async fn new_page(ui: Ui, actor: Actor, q: web::Query<GpQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let gp = gp_of(&actor, q.gp).ok_or(AppError::NotFound)?;
    render_form(&ui, &actor, gp, &TesterInput::default(), None, None).await
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    q: web::Query<GpQuery>,
    form: web::Form<TesterInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_tester(ctx, &a2, &ip, i2))
        .await
    {
        Ok(t) => Ok(saved(&t)),
        Err(AppError::Validation(e)) => {
            let gp = gp_of(&actor, q.gp).ok_or(AppError::Validation(e.clone()))?;
            render_form(&ui, &actor, gp, &input, None, Some(&e)).await
        }
        Err(e) => Err(e),
    }
}

fn input_of(t: &Tester) -> TesterInput {
    TesterInput {
        village_id: t.village_id.to_string(),
        name: t.name.clone(),
        phone: t.phone.clone().unwrap_or_default(),
        trained_on: t.trained_on.to_string(),
        trained_by: t.trained_by.clone(),
        user_id: t.user_id.map(|u| u.to_string()).unwrap_or_default(),
        active: t.active.to_string(),
    }
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let t = find_tester(&ui, &actor, path.into_inner()).await?;
    render_form(&ui, &actor, t.gp_id, &input_of(&t), Some(t.id), None).await
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<TesterInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let id = path.into_inner();
    let mut input = form.into_inner();
    if input.active.trim().is_empty() {
        input.active = "false".into();
    }
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::update_tester(ctx, &a2, &ip, id, i2))
        .await
    {
        Ok(t) => Ok(saved(&t)),
        Err(AppError::Validation(e)) => {
            let t = find_tester(&ui, &actor, id).await?;
            render_form(&ui, &actor, t.gp_id, &input, Some(id), Some(&e)).await
        }
        Err(e) => Err(e),
    }
}
