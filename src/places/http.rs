//! Place pages (everyone, within their scope), admin pages to manage places and import
//! them from CSV, and the `/api/v1/places` routes.

use super::import::{self, ImportReport};
use super::{Level, Place, PlaceChanges, PlaceFilter, PlaceInput};
use crate::audit::{self, Event};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::pagination::{query_string, ApiPage, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/places", web::get().to(list_page))
        .route("/places.csv", web::get().to(list_csv))
        .route("/places/{id}", web::get().to(detail_page))
        .route("/admin/places", web::post().to(create_submit))
        .route("/admin/places/new", web::get().to(new_page))
        .route("/admin/places/import", web::get().to(import_page))
        .route("/admin/places/import", web::post().to(import_submit))
        .route("/admin/places/{id}/edit", web::get().to(edit_page))
        .route("/admin/places/{id}", web::post().to(edit_submit))
        .route(
            "/admin/places/{id}/deactivate",
            web::get().to(deactivate_page),
        )
        .route(
            "/admin/places/{id}/deactivate",
            web::post().to(deactivate_submit),
        )
        .route(
            "/admin/places/{id}/activate",
            web::post().to(activate_submit),
        )
        .route("/api/v1/places", web::get().to(api_list))
        .route("/api/v1/places", web::post().to(api_create))
        .route("/api/v1/places/{id}", web::get().to(api_get))
        .route("/api/v1/places/{id}", web::patch().to(api_update));
}

fn levels_json() -> Value {
    Value::Array(
        Level::ALL
            .iter()
            .map(|l| json!({"value": l.as_str(), "label": l.label_key()}))
            .collect(),
    )
}

fn place_json(p: &Place, lang: crate::web::i18n::Lang) -> Value {
    json!({
        "id": p.id, "lgd_code": p.lgd_code, "name": p.name, "name_hi": p.name_hi,
        "display_name": p.display_name(lang), "level": p.level, "level_key": p.level().label_key(),
        "active": p.active,
    })
}

/// Places in scope with the same filters, as CSV, in the import's columns (plus level and
/// whether active), so an exported file can be corrected and imported again.
async fn list_csv(ui: Ui, actor: Actor, q: web::Query<PlaceFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let mut f = q.into_inner();
    f.page = None;
    let scope = actor.scope;
    let header = [
        "lgd_code",
        "name",
        "name_hi",
        "parent_lgd_code",
        "level",
        "active",
    ];
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "places.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(super::list(c, &scope, &f, page)?.0),
                |c, rows| {
                    let parents = super::by_ids(
                        c,
                        &rows.iter().filter_map(|p| p.parent_id).collect::<Vec<_>>(),
                    )?;
                    for p in rows {
                        emit(vec![
                            p.lgd_code.to_string(),
                            safe(&p.name),
                            safe(p.name_hi.as_deref().unwrap_or("")),
                            p.parent_id
                                .and_then(|i| parents.get(&i))
                                .map(|x| x.lgd_code.to_string())
                                .unwrap_or_default(),
                            p.level.clone(),
                            p.active.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<PlaceFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (f2, scope) = (f.clone(), actor.scope);
    let (rows, total) = ui
        .state
        .db
        .run(move |c| super::list(c, &scope, &f2, page))
        .await?;
    let lang = ui.lang();
    let qs = query_string(&[
        ("q", f.q.clone()),
        ("level", f.level.clone()),
        ("status", f.status.clone()),
        ("parent", f.parent.map(|p| p.to_string())),
    ]);
    ui.render(
        "places/list",
        "places-title",
        json!({
            "csv_url": ui.with_query("/places.csv"),
            "rows": rows.iter().map(|p| place_json(p, lang)).collect::<Vec<_>>(),
            "filter": f, "levels": levels_json(),
            "can_manage": actor.can(Verb::ManagePlaces),
            "pager": Pager::new(page, total, "/places", &qs),
        }),
    )
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let (place, ancestry, children) = ui
        .state
        .db
        .run(move |c| {
            let p = super::find_in_scope(c, &scope, id)?;
            let a = super::ancestry(c, &p)?;
            let f = PlaceFilter {
                parent: Some(p.id),
                status: Some("all".into()),
                ..Default::default()
            };
            let (kids, _) = super::list(c, &scope, &f, PageRequest::new(Some(1), 500))?;
            Ok((p, a, kids))
        })
        .await?;
    let lang = ui.lang();
    let meetings = if place.level() == Level::Gp {
        crate::committees::minutes_http::regularity_box(&ui.state, &actor, place.id).await?
    } else {
        None
    };
    ui.render(
        "places/detail",
        "place-title",
        json!({
            "meetings": meetings,
            "place": place_json(&place, lang),
            "ancestry": ancestry.iter().map(|p| place_json(p, lang)).collect::<Vec<_>>(),
            "children": children.iter().map(|p| place_json(p, lang)).collect::<Vec<_>>(),
            "child_level_key": place.level().child().map(|l| l.label_key()),
            "child_level": place.level().child().map(|l| l.as_str()),
            "can_manage": actor.can(Verb::ManagePlaces),
        }),
    )
}

fn form_data(input: &PlaceInput, id: Option<i64>) -> Value {
    json!({"form": input, "place_id": id, "levels": levels_json(), "is_new": id.is_none()})
}

#[derive(Debug, Deserialize)]
struct NewQuery {
    level: Option<String>,
    parent: Option<String>,
}

async fn new_page(ui: Ui, actor: Actor, q: web::Query<NewQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let input = PlaceInput {
        level: q.level.clone().unwrap_or_else(|| "village".into()),
        parent_lgd_code: q.parent.clone().unwrap_or_default(),
        ..Default::default()
    };
    ui.render(
        "admin/places/form",
        "place-new-title",
        form_data(&input, None),
    )
}

/// Validate and store a new place, with its audit row.
pub async fn create_place(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    input: PlaceInput,
) -> AppResult<Place> {
    let np = super::validate(&input).map_err(AppError::Validation)?;
    let now = state.clock.now();
    let (actor, ip) = (actor.clone(), ip.to_string());
    state
        .db
        .write(move |c| {
            let p = super::create(c, &np, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "create",
                    entity: "place",
                    entity_id: Some(p.id),
                    summary: format!("{} {} ({})", p.level, p.name, p.lgd_code),
                },
            )?;
            Ok(p)
        })
        .await
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<PlaceInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let input = form.into_inner();
    match create_place(&ui.state, &actor, &client_ip(&req), input.clone()).await {
        Ok(p) => Ok(redirect_flash(
            &format!("/places/{}", p.id),
            "flash-place-saved",
        )),
        Err(AppError::Validation(e)) => ui.render_invalid(
            "admin/places/form",
            "place-new-title",
            &e,
            form_data(&input, None),
        ),
        Err(e) => Err(e),
    }
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    let (p, input) = ui
        .state
        .db
        .run(move |c| super::current_input(c, id))
        .await?;
    let mut data = form_data(&input, Some(id));
    data["active"] = json!(p.active);
    ui.render("admin/places/form", "place-edit-title", data)
}

/// Validate and apply changes to a place (its level stays) and, with `active`, (de)activate
/// it, in one transaction with audit rows.
pub async fn update_place(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    mut input: PlaceInput,
    active: Option<bool>,
) -> AppResult<Place> {
    let now = state.clock.now();
    let (actor, ip) = (actor.clone(), ip.to_string());
    state
        .db
        .write(move |c| {
            let existing = super::find(c, id)?;
            input.level = existing.level.clone();
            let np = super::validate(&input).map_err(AppError::Validation)?;
            let mut p = super::update(
                c,
                &existing,
                &PlaceChanges {
                    lgd_code: np.lgd_code,
                    name: np.name,
                    name_hi: np.name_hi,
                    parent_lgd_code: np.parent_lgd_code,
                },
                now,
            )?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "update",
                    entity: "place",
                    entity_id: Some(p.id),
                    summary: format!("{} {} ({})", p.level, p.name, p.lgd_code),
                },
            )?;
            if let Some(a) = active.filter(|a| *a != p.active) {
                super::set_active(c, id, a, now)?;
                p.active = a;
                audit::record(
                    c,
                    now,
                    Some(&actor),
                    "",
                    Some(&ip),
                    Event {
                        action: if a { "activate" } else { "deactivate" },
                        entity: "place",
                        entity_id: Some(id),
                        summary: format!("{} {}", p.level, p.name),
                    },
                )?;
            }
            Ok(p)
        })
        .await
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<PlaceInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    let input = form.into_inner();
    match update_place(&ui.state, &actor, &client_ip(&req), id, input.clone(), None).await {
        Ok(p) => Ok(redirect_flash(
            &format!("/places/{}", p.id),
            "flash-place-saved",
        )),
        Err(AppError::Validation(e)) => ui.render_invalid(
            "admin/places/form",
            "place-edit-title",
            &e,
            form_data(&input, Some(id)),
        ),
        Err(e) => Err(e),
    }
}

async fn deactivate_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    let p = ui.state.db.run(move |c| super::find(c, id)).await?;
    ui.render("admin/confirm", "place-deactivate-title", json!({
        "question": ui.t_args("place-deactivate-question", &[("name", p.display_name(ui.lang()).to_string())]),
        "action": format!("/admin/places/{id}/deactivate"),
        "cancel": format!("/places/{id}"),
        "button": "action-deactivate",
    }))
}

async fn set_active(ui: &Ui, actor: &Actor, ip: String, id: i64, active: bool) -> AppResult<()> {
    let now = ui.state.clock.now();
    let actor = actor.clone();
    ui.state
        .db
        .write(move |c| {
            let p = super::find(c, id)?;
            super::set_active(c, id, active, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: if active { "activate" } else { "deactivate" },
                    entity: "place",
                    entity_id: Some(id),
                    summary: format!("{} {}", p.level, p.name),
                },
            )
        })
        .await
}

async fn deactivate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    set_active(&ui, &actor, client_ip(&req), id, false).await?;
    Ok(redirect_flash(
        &format!("/places/{id}"),
        "flash-place-deactivated",
    ))
}

async fn activate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    set_active(&ui, &actor, client_ip(&req), id, true).await?;
    Ok(redirect_flash(
        &format!("/places/{id}"),
        "flash-place-activated",
    ))
}

async fn import_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    ui.render(
        "admin/places/import",
        "places-import-title",
        json!({"levels": levels_json(), "report": null, "level": "village"}),
    )
}

fn report_json(ui: &Ui, r: &ImportReport) -> Value {
    json!({
        "rows": r.rows, "created": r.created, "updated": r.updated, "dry_run": r.dry_run,
        "ok": r.errors.is_empty(),
        "errors": r.errors.iter().map(|e| json!({
            "line": e.line,
            "field": e.error.field,
            "message": ui.state.i18n.field_message(ui.lang(), &e.error),
        })).collect::<Vec<_>>(),
    })
}

async fn import_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let mut fields =
        crate::web::csv::read_upload(payload, ui.state.config.server.max_body_bytes).await?;
    let level = String::from_utf8_lossy(&fields.remove("level").unwrap_or_default())
        .trim()
        .to_string();
    let dry_run = fields.get("dry_run").is_some_and(|v| !v.is_empty());
    let file = fields.remove("file").unwrap_or_default();
    let Some(lvl) = Level::parse(&level) else {
        let mut e = FieldErrors::new();
        e.add("level", "place-level-invalid");
        return ui.render_invalid(
            "admin/places/import",
            "places-import-title",
            &e,
            json!({"levels": levels_json(), "report": null, "level": level}),
        );
    };
    let now = ui.state.clock.now();
    let ip = client_ip(&req);
    let a2 = actor.clone();
    let report = ui
        .state
        .db
        .write(move |c| {
            let r = import::import(c, lvl, &file, dry_run, now)?;
            if r.errors.is_empty() && !dry_run {
                audit::record(
                    c,
                    now,
                    Some(&a2),
                    "",
                    Some(&ip),
                    Event {
                        action: "import",
                        entity: "place",
                        entity_id: None,
                        summary: format!(
                            "{} {}: {} created, {} updated",
                            r.rows,
                            lvl.as_str(),
                            r.created,
                            r.updated
                        ),
                    },
                )?;
            }
            Ok(r)
        })
        .await?;
    let status = if report.errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.render_status(status, "admin/places/import", "places-import-title", json!({"levels": levels_json(), "report": report_json(&ui, &report), "level": lvl.as_str()}))
}

// ---- API ----

/// Places inside the caller's scope.
#[utoipa::path(get, path = "/api/v1/places", tag = "places", security(("bearer" = [])),
    params(PlaceFilter),
    responses((status = 200, body = ApiPage<Place>), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<PlaceFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| super::list(c, &scope, &f, page))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

/// Create a place (admin).
#[utoipa::path(post, path = "/api/v1/places", tag = "places", security(("bearer" = [])),
    request_body = PlaceInput,
    responses((status = 201, body = Place), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<PlaceInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let p = create_place(&state, &actor, &client_ip(&req), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(p))
}

/// One place (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/places/{id}", tag = "places", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Place id")),
    responses((status = 200, body = Place), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let p = state
        .db
        .run(move |c| super::find_in_scope(c, &scope, id))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Fields to change; those left out keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PlacePatch {
    pub lgd_code: Option<String>,
    pub name: Option<String>,
    pub name_hi: Option<String>,
    pub parent_lgd_code: Option<String>,
    pub active: Option<bool>,
}

/// Change a place (admin).
#[utoipa::path(patch, path = "/api/v1/places/{id}", tag = "places", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Place id")),
    request_body = PlacePatch,
    responses((status = 200, body = Place), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<PlacePatch>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    let patch = body.into_inner();
    let ip = client_ip(&req);
    let (_, current) = state.db.run(move |c| super::current_input(c, id)).await?;
    let input = PlaceInput {
        level: current.level,
        lgd_code: patch.lgd_code.unwrap_or(current.lgd_code),
        name: patch.name.unwrap_or(current.name),
        name_hi: patch.name_hi.unwrap_or(current.name_hi),
        parent_lgd_code: patch.parent_lgd_code.unwrap_or(current.parent_lgd_code),
    };
    let p = update_place(&state, &actor, &ip, id, input, patch.active).await?;
    Ok(HttpResponse::Ok().json(p))
}
