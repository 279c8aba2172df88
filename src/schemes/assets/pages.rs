//! Asset pages (detail, add, edit, status, replace, retire), the asset list's CSV and the CSV
//! import.

use super::model::{self, Asset, AssetFilter};
use super::{service, AssetInput, AssetStatus, AssetStatusInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::schemes::catalogue::{label_of, options, Catalogue, Unit};
use crate::schemes::pages::{opt, render_import_page, run_import, BATCH};
use crate::schemes::{ImportKind, Scheme};
use crate::web::csv as csvw;
use crate::web::i18n::{format_date, format_money, today_in_india, Lang};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/schemes/{id:\\d+}/assets/new", web::get().to(new_page))
        .route("/schemes/{id:\\d+}/assets", web::post().to(create_submit))
        .route("/assets.csv", web::get().to(export_csv))
        .route("/assets/import", web::get().to(import_page))
        .route("/assets/import", web::post().to(import_submit))
        .route("/assets/{id:\\d+}", web::get().to(detail_page))
        .route("/assets/{id:\\d+}", web::post().to(edit_submit))
        .route("/assets/{id:\\d+}/edit", web::get().to(edit_page))
        .route("/assets/{id:\\d+}/status", web::post().to(status_submit))
        .route("/assets/{id:\\d+}/replace", web::get().to(replace_page))
        .route("/assets/{id:\\d+}/replace", web::post().to(replace_submit))
        .route("/assets/{id:\\d+}/retire", web::get().to(retire_page))
        .route("/assets/{id:\\d+}/retire", web::post().to(retire_submit));
}

/// An asset as pages show it, with its age and remaining life on `today`.
pub fn asset_json(state: &AppState, a: &Asset, lang: Lang, today: NaiveDate) -> Value {
    let life = super::life_of(a, today);
    let years_months = |m: i64| json!({"years": m.abs() / 12, "months": m.abs() % 12});
    json!({
        "id": a.id, "scheme_id": a.scheme_id, "name": a.display_name(lang), "name_typed": a.name, "name_hi": a.name_hi,
        "kind": label_of(&state.part::<Catalogue>().asset_kinds, &a.kind, lang), "kind_code": a.kind,
        "installed_on": a.installed_on.map(format_date),
        "expected_life_years": a.expected_life_years,
        "end_of_life_on": a.end_of_life_on.map(format_date),
        "age": life.age_months.map(years_months),
        "remaining": life.remaining_months.map(years_months),
        "overdue": life.overdue,
        "soon": life.remaining_months.is_some_and(|m| (0..12).contains(&m)) && !life.overdue,
        "warranty_until": a.warranty_until.map(format_date),
        "warranty_active": life.warranty_active,
        "capacity": a.capacity.map(|c| format!("{}", c)),
        "capacity_unit": a.capacity_unit,
        "make": a.make, "model": a.model, "serial_no": a.serial_no,
        "latitude": a.latitude, "longitude": a.longitude,
        "replacement_cost": a.replacement_cost_paise.map(format_money),
        "notes": a.notes,
        "status": a.status, "status_key": a.status().label_key(),
        "in_service": a.status().in_service(),
        "replaces_id": a.replaces_id, "replaced_by_id": a.replaced_by_id,
        "ended_on": a.ended_on.map(format_date),
    })
}

#[derive(Clone, Copy, PartialEq)]
enum FormMode {
    New,
    Edit,
    Replace,
}

fn form_data(
    ui: &Ui,
    input: &AssetInput,
    scheme: &Scheme,
    asset_id: Option<i64>,
    mode: FormMode,
) -> Value {
    let lang = ui.lang();
    let action = match (mode, asset_id) {
        (FormMode::New, _) | (_, None) => format!("/schemes/{}/assets", scheme.id),
        (FormMode::Edit, Some(id)) => format!("/assets/{id}"),
        (FormMode::Replace, Some(id)) => format!("/assets/{id}/replace"),
    };
    json!({
        "form": input, "asset_id": asset_id, "action": action,
        "is_replace": mode == FormMode::Replace,
        "scheme": {"id": scheme.id, "name": scheme.display_name(lang), "code": scheme.code},
        "kinds": options(&ui.state.part::<Catalogue>().asset_kinds, lang),
        "units": Unit::ALL.map(Unit::as_str),
    })
}

/// Load an asset and its scheme inside the actor's scope.
pub(crate) async fn load(state: &AppState, actor: &Actor, id: i64) -> AppResult<(Asset, Scheme)> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| model::find_with_scheme(c, &scope, id))
        .await
}

async fn new_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let scheme = ui
        .state
        .db
        .run(move |c| crate::schemes::model::find_in_scope(c, &scope, id))
        .await?;
    let input = AssetInput {
        kind: "pump".into(),
        ..Default::default()
    };
    ui.render(
        "assets/form",
        "asset-new-title",
        form_data(&ui, &input, &scheme, None, FormMode::New),
    )
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<AssetInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, cat: &Catalogue| service::create_asset(ctx, cat, &a2, &ip, id, i2))
        .await
    {
        Ok(a) => Ok(redirect_flash(
            &format!("/assets/{}", a.id),
            "flash-asset-saved",
        )),
        Err(AppError::Validation(e)) => {
            let scope = actor.scope;
            let scheme = ui
                .state
                .db
                .run(move |c| crate::schemes::model::find_in_scope(c, &scope, id))
                .await?;
            ui.render_invalid(
                "assets/form",
                "asset-new-title",
                &e,
                form_data(&ui, &input, &scheme, None, FormMode::New),
            )
        }
        Err(e) => Err(e),
    }
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let (a, s) = load(&ui.state, &actor, path.into_inner()).await?;
    let (a2, st, lang) = (a.clone(), ui.state.clone(), ui.lang());
    let (chain, suggested) = ui
        .state
        .db
        .run(move |c| {
            let chain = model::lineage(c, &a2)?;
            let suggested = if a2.status().in_service() {
                crate::maintenance::model::suggested_plans(
                    c,
                    st.part::<crate::maintenance::templates::Library>(),
                    &a2,
                    lang,
                )?
            } else {
                vec![]
            };
            Ok((chain, suggested))
        })
        .await?;
    let lang = ui.lang();
    let today = today_in_india(ui.state.clock.now());
    ui.render("assets/detail", "asset-title", json!({
        "asset": asset_json(&ui.state, &a, lang, today),
        "scheme": {"id": s.id, "name": s.display_name(lang), "code": s.code},
        "lineage": chain.iter().map(|x| json!({"id": x.id, "name": x.display_name(lang), "installed_on": x.installed_on.map(format_date), "ended_on": x.ended_on.map(format_date), "status_key": x.status().label_key(), "current": x.id == a.id})).collect::<Vec<_>>(),
        "has_lineage": chain.len() > 1,
        "statuses": AssetStatus::options(),
        "can_manage": actor.can(Verb::ManageSchemes),
        "suggested_plans": suggested,
        "can_plan": actor.can(Verb::ManagePlans),
        "can_record_work": actor.can(Verb::RecordWork),
    }))
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (a, s) = load(&ui.state, &actor, path.into_inner()).await?;
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    ui.render(
        "assets/form",
        "asset-edit-title",
        form_data(&ui, &super::input_of(&a), &s, Some(a.id), FormMode::Edit),
    )
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<AssetInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, cat: &Catalogue| service::update_asset(ctx, cat, &a2, &ip, id, i2))
        .await
    {
        Ok(a) => Ok(redirect_flash(
            &format!("/assets/{}", a.id),
            "flash-asset-saved",
        )),
        Err(AppError::Validation(e)) => {
            let (_, s) = load(&ui.state, &actor, id).await?;
            ui.render_invalid(
                "assets/form",
                "asset-edit-title",
                &e,
                form_data(&ui, &input, &s, Some(id), FormMode::Edit),
            )
        }
        Err(e) => Err(e),
    }
}

async fn status_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<AssetStatusInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let (ip, status) = (client_ip(&req), form.into_inner().status);
    ui.state
        .service(move |ctx| service::set_asset_status(ctx, &actor, &ip, id, &status))
        .await?;
    Ok(redirect_flash(
        &format!("/assets/{id}"),
        "flash-asset-saved",
    ))
}

async fn replace_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (a, s) = load(&ui.state, &actor, path.into_inner()).await?;
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    // Propose the same kind, name, size and unit; dates and make are the new asset's own.
    let input = AssetInput {
        kind: a.kind.clone(),
        name: a.name.clone(),
        installed_on: today_in_india(ui.state.clock.now()).to_string(),
        capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
        capacity_unit: a.capacity_unit.clone().unwrap_or_default(),
        latitude: a.latitude.map(|x| x.to_string()).unwrap_or_default(),
        longitude: a.longitude.map(|x| x.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let mut data = form_data(&ui, &input, &s, Some(a.id), FormMode::Replace);
    data["old"] = json!({"id": a.id, "name": a.display_name(ui.lang())});
    ui.render("assets/form", "asset-replace-title", data)
}

async fn replace_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<AssetInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, cat: &Catalogue| {
            service::replace_asset(ctx, cat, &a2, &ip, id, i2)
        })
        .await
    {
        Ok(new) => Ok(redirect_flash(
            &format!("/assets/{}", new.id),
            "flash-asset-replaced",
        )),
        Err(AppError::Validation(e)) => {
            let (a, s) = load(&ui.state, &actor, id).await?;
            let mut data = form_data(&ui, &input, &s, Some(id), FormMode::Replace);
            data["old"] = json!({"id": a.id, "name": a.display_name(ui.lang())});
            ui.render_invalid("assets/form", "asset-replace-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
struct RetireInput {
    ended_on: String,
    reason: String,
}

fn retire_data(a: &Asset, input: &RetireInput, lang: Lang) -> Value {
    json!({"asset": {"id": a.id, "name": a.display_name(lang)}, "form": input})
}

async fn retire_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (a, _) = load(&ui.state, &actor, path.into_inner()).await?;
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    let input = RetireInput {
        ended_on: today_in_india(ui.state.clock.now()).to_string(),
        reason: String::new(),
    };
    ui.render(
        "assets/retire",
        "asset-retire-title",
        retire_data(&a, &input, ui.lang()),
    )
}

async fn retire_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RetireInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::retire_asset(ctx, &a2, &ip, id, &i2.ended_on, &i2.reason))
        .await
    {
        Ok(a) => Ok(redirect_flash(
            &format!("/schemes/{}", a.scheme_id),
            "flash-asset-retired",
        )),
        Err(AppError::Validation(e)) => {
            let (a, _) = load(&ui.state, &actor, id).await?;
            ui.render_invalid(
                "assets/retire",
                "asset-retire-title",
                &e,
                retire_data(&a, &input, ui.lang()),
            )
        }
        Err(e) => Err(e),
    }
}

// ---- CSV export and import ----

/// Assets with the same filters, as CSV, in the import's columns.
async fn export_csv(ui: Ui, actor: Actor, q: web::Query<AssetFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let (f, scope) = (q.into_inner(), actor.scope);
    let rows = ui
        .state
        .db
        .run(move |c| {
            let mut out = vec![];
            let mut after = 0;
            loop {
                let batch = model::list_all(c, &scope, &f, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                let ids: Vec<i64> = batch.iter().map(|a| a.scheme_id).collect();
                let codes = crate::schemes::model::codes_of(c, ids)?;
                for a in batch {
                    let code = codes
                        .iter()
                        .find(|(id, _)| *id == a.scheme_id)
                        .map(|(_, c)| c.clone())
                        .unwrap_or_default();
                    out.push(asset_row(&a, code));
                }
            }
            Ok(out)
        })
        .await?;
    csvw::response("assets.csv", ImportKind::Assets.columns(), rows)
}

fn asset_row(a: &Asset, scheme_code: String) -> Vec<String> {
    vec![
        a.id.to_string(),
        scheme_code,
        a.kind.clone(),
        a.name.clone(),
        opt(&a.installed_on),
        a.expected_life_years.to_string(),
        opt(&a.capacity),
        opt(&a.capacity_unit),
        opt(&a.make),
        opt(&a.model),
        opt(&a.serial_no),
        opt(&a.warranty_until),
        opt(&a.latitude),
        opt(&a.longitude),
        a.replacement_cost_paise
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
        a.status.clone(),
        opt(&a.notes),
        opt(&a.name_hi),
    ]
}

async fn import_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    render_import_page(&ui, &actor, ImportKind::Assets)
}

async fn import_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    run_import(
        ui,
        actor,
        req,
        payload,
        ImportKind::Assets,
        service::import_assets,
    )
    .await
}
