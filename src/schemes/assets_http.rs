//! Asset pages (detail, add, edit, status, replace, retire) and the `/api/v1/assets` routes.

use super::assets::{self, Asset, AssetFilter, AssetInput};
use super::catalogue::{label_of, options, UNITS};
use super::http::asset_status_options;
use crate::audit::{self, Event};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::catalogue::Catalogue;
use crate::web::i18n::{format_date, format_money, today_in_india, Lang};
use crate::web::pagination::{ApiPage, PageRequest};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/schemes/{id}/assets/new", web::get().to(new_page))
        .route("/schemes/{id}/assets", web::post().to(create_submit))
        .route("/assets.csv", web::get().to(super::csv_io::export_assets))
        .route(
            "/assets/import",
            web::get().to(super::csv_io::import_assets_page),
        )
        .route(
            "/assets/import",
            web::post().to(super::csv_io::import_assets_submit),
        )
        .route("/assets/{id}", web::get().to(detail_page))
        .route("/assets/{id}", web::post().to(edit_submit))
        .route("/assets/{id}/edit", web::get().to(edit_page))
        .route("/assets/{id}/status", web::post().to(status_submit))
        .route("/assets/{id}/replace", web::get().to(replace_page))
        .route("/assets/{id}/replace", web::post().to(replace_submit))
        .route("/assets/{id}/retire", web::get().to(retire_page))
        .route("/assets/{id}/retire", web::post().to(retire_submit))
        .route("/api/v1/assets", web::get().to(api_list))
        .route("/api/v1/assets", web::post().to(api_create))
        .route("/api/v1/assets/{id}", web::get().to(api_get))
        .route("/api/v1/assets/{id}", web::patch().to(api_update))
        .route("/api/v1/assets/{id}/status", web::post().to(api_status))
        .route("/api/v1/assets/{id}/replace", web::post().to(api_replace));
}

/// An asset as pages show it, with its age and remaining life on `today`.
pub fn asset_json(state: &AppState, a: &Asset, lang: Lang, today: NaiveDate) -> Value {
    let life = assets::life_of(a, today);
    let years_months = |m: i64| json!({"years": m.abs() / 12, "months": m.abs() % 12});
    json!({
        "id": a.id, "scheme_id": a.scheme_id, "name": a.name,
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
        "status": a.status, "status_key": format!("asset-status-{}", a.status),
        "in_service": a.status().in_service(),
        "replaces_id": a.replaces_id, "replaced_by_id": a.replaced_by_id,
        "ended_on": a.ended_on.map(format_date),
    })
}

fn input_of(a: &Asset) -> AssetInput {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    AssetInput {
        kind: a.kind.clone(),
        name: a.name.clone(),
        installed_on: a.installed_on.map(|d| d.to_string()).unwrap_or_default(),
        expected_life_years: a.expected_life_years.to_string(),
        capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
        capacity_unit: s(&a.capacity_unit),
        make: s(&a.make),
        model: s(&a.model),
        serial_no: s(&a.serial_no),
        warranty_until: a.warranty_until.map(|d| d.to_string()).unwrap_or_default(),
        latitude: a.latitude.map(|x| x.to_string()).unwrap_or_default(),
        longitude: a.longitude.map(|x| x.to_string()).unwrap_or_default(),
        replacement_cost: a
            .replacement_cost_paise
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
        notes: s(&a.notes),
    }
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
    scheme: &super::Scheme,
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
        "units": UNITS,
    })
}

/// Load an asset and its scheme inside the actor's scope.
async fn load(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
) -> AppResult<(Asset, super::Scheme)> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let a = assets::find_in_scope(c, &scope, id)?;
            let s = super::find(c, a.scheme_id)?;
            Ok((a, s))
        })
        .await
}

async fn new_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let scheme = ui
        .state
        .db
        .run(move |c| super::find_in_scope(c, &scope, id))
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

fn audit_asset(
    c: &mut crate::db::DbConn,
    actor: &Actor,
    ip: &str,
    action: &str,
    a: &Asset,
    extra: &str,
) -> AppResult<()> {
    let now = a.updated_at;
    audit::record(
        c,
        now,
        Some(actor),
        "",
        Some(ip),
        Event {
            action,
            entity: "asset",
            entity_id: Some(a.id),
            summary: format!("{} ({}) {extra}", a.name, a.kind)
                .trim()
                .to_string(),
        },
    )
}

/// Validate and add an asset to a scheme the actor may manage.
pub async fn create_asset(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    input: AssetInput,
) -> AppResult<Asset> {
    let now = state.clock.now();
    let today = today_in_india(now);
    let (actor, ip, st) = (actor.clone(), ip.to_string(), state.clone());
    state
        .db
        .write(move |c| {
            // Scope first: another GP's scheme is not found, whatever the input.
            let scheme = super::find_in_scope(c, &actor.scope, scheme_id)?;
            let v = assets::validate(st.part::<Catalogue>(), &input, today)
                .map_err(AppError::Validation)?;
            let a = assets::create(c, &scheme, &v, None, now)?;
            audit_asset(c, &actor, &ip, "create", &a, "")?;
            Ok(a)
        })
        .await
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
    match create_asset(&ui.state, &actor, &client_ip(&req), id, input.clone()).await {
        Ok(a) => Ok(redirect_flash(
            &format!("/assets/{}", a.id),
            "flash-asset-saved",
        )),
        Err(AppError::Validation(e)) => {
            let scope = actor.scope;
            let scheme = ui
                .state
                .db
                .run(move |c| super::find_in_scope(c, &scope, id))
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
            let chain = assets::lineage(c, &a2)?;
            let suggested = if a2.status().in_service() {
                crate::maintenance::http::suggested_plans(c, &st, &a2, lang)?
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
        "lineage": chain.iter().map(|x| json!({"id": x.id, "name": x.name, "installed_on": x.installed_on.map(format_date), "ended_on": x.ended_on.map(format_date), "status_key": format!("asset-status-{}", x.status), "current": x.id == a.id})).collect::<Vec<_>>(),
        "has_lineage": chain.len() > 1,
        "statuses": asset_status_options(),
        "can_manage": actor.can(Verb::ManageSchemes),
        "suggested_plans": suggested,
        "can_plan": actor.can(Verb::ManagePlans),
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
        form_data(&ui, &input_of(&a), &s, Some(a.id), FormMode::Edit),
    )
}

pub async fn update_asset(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: AssetInput,
) -> AppResult<Asset> {
    let now = state.clock.now();
    let (actor, ip, st) = (actor.clone(), ip.to_string(), state.clone());
    state
        .db
        .write(move |c| {
            let a = assets::find_in_scope(c, &actor.scope, id)?;
            let v = assets::validate(st.part::<Catalogue>(), &input, today_in_india(now))
                .map_err(AppError::Validation)?;
            let a = assets::update(c, &a, &v, now)?;
            audit_asset(c, &actor, &ip, "update", &a, "")?;
            Ok(a)
        })
        .await
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
    match update_asset(&ui.state, &actor, &client_ip(&req), id, input.clone()).await {
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

/// A status change as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssetStatusInput {
    /// working, needs_attention or failed.
    pub status: String,
}

pub async fn set_status(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    status: String,
) -> AppResult<Asset> {
    let now = state.clock.now();
    let (actor, ip) = (actor.clone(), ip.to_string());
    state
        .db
        .write(move |c| {
            let a = assets::find_in_scope(c, &actor.scope, id)?;
            let a = assets::set_status(c, &a, &status, now)?;
            audit_asset(
                c,
                &actor,
                &ip,
                "status_change",
                &a,
                &format!("→ {}", a.status),
            )?;
            Ok(a)
        })
        .await
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
    set_status(
        &ui.state,
        &actor,
        &client_ip(&req),
        id,
        form.into_inner().status,
    )
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
    data["old"] = json!({"id": a.id, "name": a.name});
    ui.render("assets/form", "asset-replace-title", data)
}

pub async fn replace_asset(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: AssetInput,
) -> AppResult<Asset> {
    let now = state.clock.now();
    let today = today_in_india(now);
    let (actor, ip, st) = (actor.clone(), ip.to_string(), state.clone());
    state
        .db
        .write(move |c| {
            let old = assets::find_in_scope(c, &actor.scope, id)?;
            let v = assets::validate(st.part::<Catalogue>(), &input, today)
                .map_err(AppError::Validation)?;
            let scheme = super::find(c, old.scheme_id)?;
            let new = assets::replace(c, &scheme, &old, &v, today, now)?;
            audit_asset(c, &actor, &ip, "replace", &old, &format!("→ #{}", new.id))?;
            Ok(new)
        })
        .await
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
    match replace_asset(&ui.state, &actor, &client_ip(&req), id, input.clone()).await {
        Ok(new) => Ok(redirect_flash(
            &format!("/assets/{}", new.id),
            "flash-asset-replaced",
        )),
        Err(AppError::Validation(e)) => {
            let (a, s) = load(&ui.state, &actor, id).await?;
            let mut data = form_data(&ui, &input, &s, Some(id), FormMode::Replace);
            data["old"] = json!({"id": a.id, "name": a.name});
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

fn retire_data(a: &Asset, input: &RetireInput) -> Value {
    json!({"asset": {"id": a.id, "name": a.name}, "form": input})
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
        retire_data(&a, &input),
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
    let now = ui.state.clock.now();
    let today = today_in_india(now);
    let mut e = FieldErrors::new();
    let on = crate::web::forms::optional_date(&input.ended_on, Some(today), "ended_on", &mut e);
    let reason = crate::web::forms::required_text(&input.reason, 500, "reason", &mut e);
    if on.is_none() && !e.has("ended_on") {
        e.add("ended_on", "field-required");
    }
    if !e.is_empty() {
        let (a, _) = load(&ui.state, &actor, id).await?;
        return ui.render_invalid(
            "assets/retire",
            "asset-retire-title",
            &e,
            retire_data(&a, &input),
        );
    }
    let (a2, ip) = (actor.clone(), client_ip(&req));
    let (on, reason) = (on.expect("checked"), reason.expect("checked"));
    let a = ui
        .state
        .db
        .write(move |c| {
            let a = assets::find_in_scope(c, &a2.scope, id)?;
            let a = assets::retire(c, &a, on, now)?;
            audit_asset(c, &a2, &ip, "retire", &a, &reason)?;
            Ok(a)
        })
        .await?;
    Ok(redirect_flash(
        &format!("/schemes/{}", a.scheme_id),
        "flash-asset-retired",
    ))
}

// ---- API ----

/// Assets inside the caller's scope (in service by default).
#[utoipa::path(get, path = "/api/v1/assets", tag = "assets", security(("bearer" = [])),
    params(AssetFilter), responses((status = 200, body = ApiPage<Asset>), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<AssetFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| assets::list(c, &scope, &f, page))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

/// A new asset: the asset fields plus `scheme_id`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAsset {
    pub scheme_id: i64,
    #[serde(flatten)]
    pub fields: AssetInput,
}

/// Add an asset to a scheme.
#[utoipa::path(post, path = "/api/v1/assets", tag = "assets", security(("bearer" = [])),
    request_body = NewAsset,
    responses((status = 201, body = Asset), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let mut body = body.into_inner();
    let scheme_id = body.get("scheme_id").and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    });
    let Some(scheme_id) = scheme_id else {
        let mut e = FieldErrors::new();
        e.add("scheme_id", "field-required");
        return Err(AppError::Validation(e));
    };
    if let Value::Object(m) = &mut body {
        m.remove("scheme_id");
    }
    let input: AssetInput = crate::web::forms::from_json(body, None)?;
    let a = create_asset(&state, &actor, &client_ip(&req), scheme_id, input).await?;
    Ok(HttpResponse::Created().json(a))
}

/// One asset (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/assets/{id}", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Asset id")),
    responses((status = 200, body = Asset), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let (a, _) = load(&state, &actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Change an asset's fields; those left out keep their value.
#[utoipa::path(patch, path = "/api/v1/assets/{id}", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Asset id")), request_body = AssetInput,
    responses((status = 200, body = Asset), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let (a, _) = load(&state, &actor, id).await?;
    let input: AssetInput = crate::web::forms::from_json(body.into_inner(), Some(&input_of(&a)))?;
    Ok(HttpResponse::Ok().json(update_asset(&state, &actor, &client_ip(&req), id, input).await?))
}

/// Set an asset's status: working, needs_attention or failed.
#[utoipa::path(post, path = "/api/v1/assets/{id}/status", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Asset id")), request_body = AssetStatusInput,
    responses((status = 200, body = Asset), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_status(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input: AssetStatusInput = crate::web::forms::from_json(body.into_inner(), None)?;
    Ok(HttpResponse::Ok().json(
        set_status(
            &state,
            &actor,
            &client_ip(&req),
            path.into_inner(),
            input.status,
        )
        .await?,
    ))
}

/// Replace an asset with a new one (the old one is kept as `replaced`, linked to the new).
#[utoipa::path(post, path = "/api/v1/assets/{id}/replace", tag = "assets", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The asset being replaced")), request_body = AssetInput,
    responses((status = 201, description = "The new asset", body = Asset), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_replace(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input: AssetInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let new = replace_asset(&state, &actor, &client_ip(&req), path.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(new))
}
