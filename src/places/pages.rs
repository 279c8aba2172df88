//! Place pages: the list (and its CSV), a place with its ancestry and children, and the
//! administrators' forms (new, edit, deactivate, CSV import).

use super::service::{self, ImportReport};
use super::{model, Level, Place, PlaceFilter, PlaceInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/places", web::get().to(list_page))
        .route("/places.csv", web::get().to(list_csv))
        .route("/places/{id:\\d+}", web::get().to(detail_page))
        .route("/admin/places", web::post().to(create_submit))
        .route("/admin/places/new", web::get().to(new_page))
        .route("/admin/places/import", web::get().to(import_page))
        .route("/admin/places/import", web::post().to(import_submit))
        .route("/admin/places/{id:\\d+}/edit", web::get().to(edit_page))
        .route("/admin/places/{id:\\d+}", web::post().to(edit_submit))
        .route(
            "/admin/places/{id:\\d+}/deactivate",
            web::get().to(deactivate_page),
        )
        .route(
            "/admin/places/{id:\\d+}/deactivate",
            web::post().to(deactivate_submit),
        )
        .route(
            "/admin/places/{id:\\d+}/activate",
            web::post().to(activate_submit),
        );
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
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "places.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list(c, &scope, &f, page)?.0),
                |c, rows| {
                    let parents = model::by_ids(
                        c,
                        &rows.iter().filter_map(|p| p.parent_id).collect::<Vec<_>>(),
                    )?;
                    for p in rows {
                        emit(vec![
                            p.lgd_code.to_string(),
                            String::from(&p.name),
                            String::from(p.name_hi.as_deref().unwrap_or("")),
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
        .run(move |c| model::list(c, &scope, &f2, page))
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
            let p = model::find_in_scope(c, &scope, id)?;
            let a = model::ancestry(c, &p)?;
            let f = PlaceFilter {
                parent: Some(p.id),
                status: Some("all".into()),
                ..Default::default()
            };
            let (kids, _) = model::list(c, &scope, &f, PageRequest::new(Some(1), 500))?;
            Ok((p, a, kids))
        })
        .await?;
    let lang = ui.lang();
    // a GP's committee box: its meeting regularity and open action items
    let meetings = if place.level() == Level::Gp && actor.can(Verb::ViewCommittees) {
        let (scope, gp) = (actor.scope, place.id);
        let b = ui
            .state
            .service(move |ctx| crate::committees::meetings::service::gp_box(ctx, &scope, gp))
            .await?;
        b.map(|b| {
            let mut j = json!(b);
            j["state_key"] = json!(crate::committees::meetings::RegularityState::label_key_of(
                &b.regularity.state
            ));
            j
        })
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

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<PlaceInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let input = form.into_inner();
    let ip = client_ip(&req);
    let (a, i) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_place(ctx, &a, &ip, i))
        .await
    {
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
        .run(move |c| model::current_input(c, id))
        .await?;
    let mut data = form_data(&input, Some(id));
    data["active"] = json!(p.active);
    ui.render("admin/places/form", "place-edit-title", data)
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
    let ip = client_ip(&req);
    let (a, i) = (actor.clone(), input.clone());
    match ui
        .state
        .service(move |ctx| service::update_place(ctx, &a, &ip, id, i, None))
        .await
    {
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
    let p = ui.state.db.run(move |c| model::find(c, id)).await?;
    ui.render("admin/confirm", "place-deactivate-title", json!({
        "question": ui.t_args("place-deactivate-question", &[("name", p.display_name(ui.lang()).to_string())]),
        "action": format!("/admin/places/{id}/deactivate"),
        "cancel": format!("/places/{id}"),
        "button": "action-deactivate",
    }))
}

async fn deactivate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlaces)?;
    let id = path.into_inner();
    let ip = client_ip(&req);
    ui.state
        .service(move |ctx| service::set_place_active(ctx, &actor, &ip, id, false))
        .await?;
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
    let ip = client_ip(&req);
    ui.state
        .service(move |ctx| service::set_place_active(ctx, &actor, &ip, id, true))
        .await?;
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
    let ip = client_ip(&req);
    let report = ui
        .state
        .service(move |ctx| service::import_places(ctx, &actor, &ip, lvl, &file, dry_run))
        .await?;
    let status = if report.errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.render_status(status, "admin/places/import", "places-import-title", json!({"levels": levels_json(), "report": report_json(&ui, &report), "level": lvl.as_str()}))
}
