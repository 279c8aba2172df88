//! Scheme pages (list, detail, create, edit, status, printable card, lifecycle) and the
//! `/api/v1/schemes` routes.

use super::assets::{self, AssetFilter, AssetStatus};
use super::catalogue::{label_of, options};
use super::{lifecycle, Scheme, SchemeFilter, SchemeInput, SchemeStatus, StatusInput};
use crate::audit::{self, Event};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::places::{self, Place};
use crate::schemes::catalogue::Catalogue;
use crate::web::i18n::{format_date, format_money, today_in_india, Lang};
use crate::web::pagination::{query_string, ApiPage, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/schemes", web::get().to(list_page))
        .route("/schemes", web::post().to(create_submit))
        .route("/schemes.csv", web::get().to(super::csv_io::export_schemes))
        .route("/schemes/new", web::get().to(new_page))
        .route(
            "/schemes/import",
            web::get().to(super::csv_io::import_schemes_page),
        )
        .route(
            "/schemes/import",
            web::post().to(super::csv_io::import_schemes_submit),
        )
        .route("/schemes/{id}", web::get().to(detail_page))
        .route("/schemes/{id}", web::post().to(edit_submit))
        .route("/schemes/{id}/edit", web::get().to(edit_page))
        .route("/schemes/{id}/status", web::post().to(status_submit))
        .route("/schemes/{id}/card", web::get().to(card_page))
        .route("/places/{id}/lifecycle", web::get().to(lifecycle_page))
        .route("/places/{id}/lifecycle.csv", web::get().to(lifecycle_csv))
        .route("/api/v1/schemes", web::get().to(api_list))
        .route("/api/v1/schemes", web::post().to(api_create))
        .route("/api/v1/schemes/{id}", web::get().to(api_get))
        .route("/api/v1/schemes/{id}", web::patch().to(api_update))
        .route("/api/v1/schemes/{id}/status", web::post().to(api_status));
}

pub fn status_options() -> Value {
    Value::Array(
        SchemeStatus::ALL
            .iter()
            .map(|s| json!({"value": s.as_str(), "label": format!("scheme-status-{}", s.as_str())}))
            .collect(),
    )
}

/// A scheme as pages show it.
pub fn scheme_json(state: &AppState, s: &Scheme, lang: Lang) -> Value {
    let cat = state.part::<Catalogue>();
    json!({
        "id": s.id, "code": s.code, "name": s.display_name(lang), "name_en": s.name, "name_hi": s.name_hi,
        "imis_id": s.imis_id,
        "kind": label_of(&cat.scheme_kinds, &s.kind, lang),
        "source_kind": s.source_kind.as_deref().map(|k| label_of(&cat.source_kinds, k, lang)),
        "commissioned_on": s.commissioned_on.map(format_date),
        "design_period_years": s.design_period_years,
        "design_end_on": s.design_end_on.map(format_date),
        "design_population": s.design_population, "planned_connections": s.planned_connections,
        "operator_name": s.operator_name, "operator_phone": s.operator_phone,
        "status": s.status, "status_key": format!("scheme-status-{}", s.status),
        "notes": s.notes,
    })
}

fn current_input(conn: &mut crate::db::DbConn, s: &Scheme) -> AppResult<SchemeInput> {
    let gp = places::model::find(conn, s.gp_id)?;
    let villages = super::villages_of(conn, s.id)?;
    Ok(SchemeInput {
        gp_lgd_code: gp.lgd_code.to_string(),
        name: s.name.clone(),
        name_hi: s.name_hi.clone().unwrap_or_default(),
        imis_id: s.imis_id.clone().unwrap_or_default(),
        kind: s.kind.clone(),
        source_kind: s.source_kind.clone().unwrap_or_default(),
        commissioned_on: s.commissioned_on.map(|d| d.to_string()).unwrap_or_default(),
        design_period_years: s.design_period_years.to_string(),
        design_population: s
            .design_population
            .map(|n| n.to_string())
            .unwrap_or_default(),
        planned_connections: s
            .planned_connections
            .map(|n| n.to_string())
            .unwrap_or_default(),
        operator_name: s.operator_name.clone().unwrap_or_default(),
        operator_phone: s.operator_phone.clone().unwrap_or_default(),
        villages: villages
            .iter()
            .map(|v| v.lgd_code.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        notes: s.notes.clone().unwrap_or_default(),
    })
}

fn form_data(ui: &Ui, input: &SchemeInput, id: Option<i64>) -> Value {
    let lang = ui.lang();
    json!({
        "form": input, "scheme_id": id, "is_new": id.is_none(),
        "kinds": options(&ui.state.part::<Catalogue>().scheme_kinds, lang),
        "sources": options(&ui.state.part::<Catalogue>().source_kinds, lang),
        "default_period": ui.state.config.schemes.default_design_period_years,
    })
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<SchemeFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (f2, scope) = (f.clone(), actor.scope);
    let (rows, total, gps, choices) = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = super::list(c, &scope, &f2, page)?;
            // The GPs to filter by: those in the actor's area (none to choose for a GP's own people).
            let choices = match scope {
                crate::auth::Scope::Place {
                    level: places::Level::Gp,
                    ..
                } => vec![],
                _ => {
                    let f = places::PlaceFilter {
                        level: Some("gp".into()),
                        ..Default::default()
                    };
                    places::model::list(c, &scope, &f, PageRequest::new(Some(1), 500))?.0
                }
            };
            let gp_ids: Vec<i64> = rows.iter().map(|s| s.gp_id).collect();
            let gps: Vec<Place> = {
                use crate::db::schema::places as p;
                use diesel::prelude::*;
                p::table
                    .filter(p::id.eq_any(gp_ids))
                    .select(Place::as_select())
                    .load(c)?
            };
            Ok((rows, total, gps, choices))
        })
        .await?;
    let lang = ui.lang();
    let rows: Vec<Value> = rows
        .iter()
        .map(|s| {
            let mut v = scheme_json(&ui.state, s, lang);
            v["gp"] = json!(gps
                .iter()
                .find(|g| g.id == s.gp_id)
                .map(|g| g.display_name(lang)));
            v
        })
        .collect();
    let qs = query_string(&[
        ("q", f.q.clone()),
        ("place", f.place.map(|p| p.to_string())),
        ("status", f.status.clone()),
        ("kind", f.kind.clone()),
    ]);
    ui.render(
        "schemes/list",
        "schemes-title",
        json!({
            "rows": rows, "filter": f, "statuses": status_options(),
        "gp_choices": choices.iter().map(|g| json!({"id": g.id, "name": g.display_name(lang)})).collect::<Vec<_>>(),
            "kinds": options(&ui.state.part::<Catalogue>().scheme_kinds, lang),
            "can_manage": actor.can(Verb::ManageSchemes),
            "csv_url": format!("/schemes.csv?{qs}"),
            "pager": Pager::new(page, total, "/schemes", &qs),
        }),
    )
}

async fn new_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let a2 = actor.clone();
    let own = ui.state.db.run(move |c| super::own_gp_lgd(c, &a2)).await?;
    let input = SchemeInput {
        gp_lgd_code: own.map(|c| c.to_string()).unwrap_or_default(),
        kind: "pws".into(),
        design_period_years: ui
            .state
            .config
            .schemes
            .default_design_period_years
            .to_string(),
        ..Default::default()
    };
    ui.render(
        "schemes/form",
        "scheme-new-title",
        form_data(&ui, &input, None),
    )
}

/// Validate and store a new scheme with its audit row.
pub async fn create_scheme(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    input: SchemeInput,
) -> AppResult<Scheme> {
    let now = state.clock.now();
    let today = today_in_india(now);
    let (actor, ip, st) = (actor.clone(), ip.to_string(), state.clone());
    state
        .db
        .write(move |c| {
            let v = super::validate(
                c,
                &actor,
                st.part::<Catalogue>(),
                &input,
                today,
                st.config.schemes.default_design_period_years,
            )?
            .map_err(AppError::Validation)?;
            let s = super::create(c, &actor, &v, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "create",
                    entity: "scheme",
                    entity_id: Some(s.id),
                    summary: format!("{} {}", s.code, s.name),
                },
            )?;
            Ok(s)
        })
        .await
}

/// Validate and apply edits to a scheme the actor may manage.
pub async fn update_scheme(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: SchemeInput,
) -> AppResult<Scheme> {
    let now = state.clock.now();
    let today = today_in_india(now);
    let (actor, ip, st) = (actor.clone(), ip.to_string(), state.clone());
    state
        .db
        .write(move |c| {
            let existing = super::find_in_scope(c, &actor.scope, id)?;
            let v = super::validate(
                c,
                &actor,
                st.part::<Catalogue>(),
                &input,
                today,
                st.config.schemes.default_design_period_years,
            )?
            .map_err(AppError::Validation)?;
            let s = super::update(c, &existing, &v, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "update",
                    entity: "scheme",
                    entity_id: Some(s.id),
                    summary: format!("{} {}", s.code, s.name),
                },
            )?;
            Ok(s)
        })
        .await
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<SchemeInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input = form.into_inner();
    match create_scheme(&ui.state, &actor, &client_ip(&req), input.clone()).await {
        Ok(s) => Ok(redirect_flash(
            &format!("/schemes/{}", s.id),
            "flash-scheme-saved",
        )),
        Err(AppError::Validation(e)) => ui.render_invalid(
            "schemes/form",
            "scheme-new-title",
            &e,
            form_data(&ui, &input, None),
        ),
        Err(e) => Err(e),
    }
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let input = ui
        .state
        .db
        .run(move |c| {
            let s = super::find_in_scope(c, &scope, id)?;
            current_input(c, &s)
        })
        .await?;
    ui.render(
        "schemes/form",
        "scheme-edit-title",
        form_data(&ui, &input, Some(id)),
    )
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<SchemeInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input = form.into_inner();
    match update_scheme(&ui.state, &actor, &client_ip(&req), id, input.clone()).await {
        Ok(s) => Ok(redirect_flash(
            &format!("/schemes/{}", s.id),
            "flash-scheme-saved",
        )),
        Err(AppError::Validation(e)) => ui.render_invalid(
            "schemes/form",
            "scheme-edit-title",
            &e,
            form_data(&ui, &input, Some(id)),
        ),
        Err(e) => Err(e),
    }
}

/// Everything the detail page and the card show.
struct SchemeView {
    scheme: Scheme,
    gp: Place,
    ancestry: Vec<Place>,
    villages: Vec<Place>,
    history: Vec<super::StatusChange>,
    assets: Vec<assets::Asset>,
    /// A water-quality reading out of range in the last 30 days, if any.
    quality_alert: Option<crate::maintenance::Log>,
}

async fn load_view(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
    all_assets: bool,
) -> AppResult<SchemeView> {
    let scope = actor.scope;
    let now = state.clock.now();
    state
        .db
        .run(move |c| {
            let scheme = super::find_in_scope(c, &scope, id)?;
            let gp = places::model::find(c, scheme.gp_id)?;
            let ancestry = places::model::ancestry(c, &gp)?;
            let villages = super::villages_of(c, id)?;
            let history = super::history_of(c, id)?;
            let f = AssetFilter {
                scheme: Some(id),
                status: Some(if all_assets { "all" } else { "in_service" }.into()),
                ..Default::default()
            };
            let (assets, _) = assets::list(c, &scope, &f, PageRequest::new(Some(1), 500))?;
            let since = today_in_india(now) - chrono::Duration::days(30);
            let quality_alert = crate::maintenance::latest_quality_alert(c, id, since)?;
            Ok(SchemeView {
                scheme,
                gp,
                ancestry,
                villages,
                history,
                assets,
                quality_alert,
            })
        })
        .await
}

fn assets_json(ui: &Ui, list: &[assets::Asset]) -> Vec<Value> {
    let today = today_in_india(ui.state.clock.now());
    list.iter()
        .map(|a| super::assets_http::asset_json(&ui.state, a, ui.lang(), today))
        .collect()
}

/// The detail page's data (also shown again, with errors, when a status change is refused).
async fn detail_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let v = load_view(&ui.state, actor, id, true).await?;
    let lang = ui.lang();
    let (in_service, ended): (Vec<_>, Vec<_>) = v
        .assets
        .iter()
        .cloned()
        .partition(|a| a.status().in_service());
    let history: Vec<Value> = v
        .history
        .iter()
        .map(|h| json!({"status_key": format!("scheme-status-{}", h.status), "reason": h.reason, "by": h.changed_by_name, "at": h.changed_at}))
        .collect();
    Ok(json!({
        "scheme": scheme_json(&ui.state, &v.scheme, lang),
        "gp": {"id": v.gp.id, "name": v.gp.display_name(lang)},
        "ancestry": v.ancestry.iter().map(|p| json!({"id": p.id, "name": p.display_name(lang)})).collect::<Vec<_>>(),
        "villages": v.villages.iter().map(|p| json!({"id": p.id, "name": p.display_name(lang), "lgd_code": p.lgd_code, "other_gp": p.gp_id != Some(v.gp.id)})).collect::<Vec<_>>(),
        "history": history,
        "assets": assets_json(ui, &in_service),
        "ended_assets": assets_json(ui, &ended),
        "statuses": status_options(),
        "can_manage": actor.can(Verb::ManageSchemes),
        "quality_alert": v.quality_alert.as_ref().map(|l| json!({"title": l.title, "done_on": format_date(l.done_on)})),
    }))
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let data = detail_data(&ui, &actor, path.into_inner()).await?;
    ui.render("schemes/detail", "scheme-title", data)
}

async fn status_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<StatusInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    match change_status(&ui.state, &actor, &client_ip(&req), id, form.into_inner()).await {
        Ok(_) => Ok(redirect_flash(
            &format!("/schemes/{id}"),
            "flash-scheme-status-changed",
        )),
        Err(AppError::Validation(e)) => {
            let data = detail_data(&ui, &actor, id).await?;
            ui.render_invalid("schemes/detail", "scheme-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

pub async fn change_status(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: StatusInput,
) -> AppResult<Scheme> {
    let now = state.clock.now();
    let (actor, ip) = (actor.clone(), ip.to_string());
    state
        .db
        .write(move |c| {
            let s = super::find_in_scope(c, &actor.scope, id)?;
            let s = super::change_status(c, &actor, &s, &input, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "status_change",
                    entity: "scheme",
                    entity_id: Some(id),
                    summary: format!("{} → {}: {}", s.code, s.status, input.reason.trim()),
                },
            )?;
            Ok(s)
        })
        .await
}

/// The one-page card for the panchayat notice board.
async fn card_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let v = load_view(&ui.state, &actor, path.into_inner(), false).await?;
    let lang = ui.lang();
    let printed = today_in_india(ui.state.clock.now());
    ui.render("schemes/card", "scheme-card-title", json!({
        "scheme": scheme_json(&ui.state, &v.scheme, lang),
        "gp": v.gp.display_name(lang),
        "ancestry": v.ancestry.iter().map(|p| p.display_name(lang).to_string()).collect::<Vec<_>>(),
        "villages": v.villages.iter().map(|p| p.display_name(lang).to_string()).collect::<Vec<_>>(),
        "assets": assets_json(&ui, &v.assets),
        "printed_on": format_date(printed),
        "complaint_url": crate::breakdowns::public::complaint_url(&ui.state.config, &v.scheme.code),
    }))
}

#[derive(Debug, Deserialize)]
struct LifecycleQuery {
    months: Option<i64>,
}

/// The window (months), today, the place (in scope, else not found) and what ends its life
/// under it: the page and its export.
async fn lifecycle_of(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    months: Option<i64>,
) -> AppResult<(i64, NaiveDate, places::Place, lifecycle::LifecycleReport)> {
    actor.require(Verb::ViewSchemes)?;
    let months = months
        .filter(|m| lifecycle::WINDOWS.contains(m))
        .unwrap_or(12);
    let scope = actor.scope;
    let today = today_in_india(ui.state.clock.now());
    let (place, report) = ui
        .state
        .db
        .run(move |c| {
            let place = places::model::find_in_scope(c, &scope, id)?;
            let r = lifecycle::report(c, &place, today, months)?;
            Ok((place, r))
        })
        .await?;
    Ok((months, today, place, report))
}

/// The lifecycle page's two lists in one CSV: the assets due (with the scheme and the
/// replacement cost the budget adds up), then the schemes whose design period ends; `ends_on`
/// is the asset's end of life or the scheme's design end. Written in memory, as the page.
async fn lifecycle_csv(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<LifecycleQuery>,
) -> AppResult<HttpResponse> {
    let (months, today, place, report) =
        lifecycle_of(&ui, &actor, path.into_inner(), q.months).await?;
    let lang = ui.lang();
    let safe = crate::web::csv::safe_cell;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let overdue = |d: Option<NaiveDate>| d.map(|d| (d < today).to_string()).unwrap_or_default();
    let mut rows = vec![];
    for (a, s) in &report.assets {
        rows.push(vec![
            "asset".to_string(),
            a.id.to_string(),
            safe(&a.name),
            a.kind.clone(),
            s.code.clone(),
            day(a.end_of_life_on),
            overdue(a.end_of_life_on),
            a.replacement_cost_paise
                .map(crate::web::csv::rupees)
                .unwrap_or_default(),
        ]);
    }
    for s in &report.schemes {
        rows.push(vec![
            "scheme".to_string(),
            s.id.to_string(),
            safe(s.display_name(lang)),
            s.kind.clone(),
            s.code.clone(),
            day(s.design_end_on),
            overdue(s.design_end_on),
            String::new(),
        ]);
    }
    crate::web::csv::response(
        &format!("lifecycle-{}-{months}-months.csv", place.lgd_code),
        &[
            "item",
            "id",
            "name",
            "kind",
            "scheme_code",
            "ends_on",
            "overdue",
            "replacement_cost_rupees",
        ],
        rows,
    )
}

async fn lifecycle_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<LifecycleQuery>,
) -> AppResult<HttpResponse> {
    let (months, today, place, report) =
        lifecycle_of(&ui, &actor, path.into_inner(), q.months).await?;
    let lang = ui.lang();
    let rows: Vec<Value> = report
        .assets
        .iter()
        .map(|(a, s)| {
            let mut v = super::assets_http::asset_json(&ui.state, a, lang, today);
            v["scheme"] = json!({"id": s.id, "name": s.display_name(lang), "code": s.code});
            v
        })
        .collect();
    ui.render("schemes/lifecycle", "lifecycle-title", json!({
        "place": {"id": place.id, "name": place.display_name(lang), "level_key": place.level().label_key()},
        "csv_url": format!("/places/{}/lifecycle.csv?months={months}", place.id),
        "months": months,
        "windows": lifecycle::WINDOWS.iter().map(|m| json!({"months": m, "active": *m == months})).collect::<Vec<_>>(),
        "until": format_date(report.until),
        "assets": rows,
        "schemes": report.schemes.iter().map(|s| scheme_json(&ui.state, s, lang)).collect::<Vec<_>>(),
        "budget": format_money(report.budget_paise),
        "without_cost": report.without_cost,
    }))
}

// ---- API ----

/// A scheme with the villages it serves and its status history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SchemeDetail {
    #[serde(flatten)]
    pub scheme: Scheme,
    /// LGD codes of the villages served.
    pub villages: Vec<i64>,
    pub history: Vec<super::StatusChange>,
}

async fn detail(state: &web::Data<AppState>, actor: &Actor, id: i64) -> AppResult<SchemeDetail> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let scheme = super::find_in_scope(c, &scope, id)?;
            let villages = super::villages_of(c, id)?
                .iter()
                .map(|v| v.lgd_code)
                .collect();
            let history = super::history_of(c, id)?;
            Ok(SchemeDetail {
                scheme,
                villages,
                history,
            })
        })
        .await
}

/// Schemes inside the caller's scope.
#[utoipa::path(get, path = "/api/v1/schemes", tag = "schemes", security(("bearer" = [])),
    params(SchemeFilter), responses((status = 200, body = ApiPage<Scheme>), (status = 401)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<SchemeFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let scope = actor.scope;
    let (items, total) = state
        .db
        .run(move |c| super::list(c, &scope, &f, page))
        .await?;
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
}

/// Register a scheme (secretary: in their GP; admin: any GP).
#[utoipa::path(post, path = "/api/v1/schemes", tag = "schemes", security(("bearer" = [])),
    request_body = SchemeInput,
    responses((status = 201, body = SchemeDetail), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input: SchemeInput = crate::web::forms::from_json(body.into_inner(), None)?;
    let s = create_scheme(&state, &actor, &client_ip(&req), input).await?;
    Ok(HttpResponse::Created().json(detail(&state, &actor, s.id).await?))
}

/// One scheme (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/schemes/{id}", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")),
    responses((status = 200, body = SchemeDetail), (status = 401), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, path.into_inner()).await?))
}

/// Change a scheme's fields; those left out keep their value (status: use the status route).
#[utoipa::path(patch, path = "/api/v1/schemes/{id}", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")), request_body = SchemeInput,
    responses((status = 200, body = SchemeDetail), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let current = state
        .db
        .run(move |c| {
            let s = super::find_in_scope(c, &scope, id)?;
            current_input(c, &s)
        })
        .await?;
    let input: SchemeInput = crate::web::forms::from_json(body.into_inner(), Some(&current))?;
    update_scheme(&state, &actor, &client_ip(&req), id, input).await?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, id).await?))
}

/// Change a scheme's status, with the reason (kept in its history).
#[utoipa::path(post, path = "/api/v1/schemes/{id}/status", tag = "schemes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Scheme id")), request_body = StatusInput,
    responses((status = 200, body = SchemeDetail), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_status(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let id = path.into_inner();
    let input: StatusInput = crate::web::forms::from_json(body.into_inner(), None)?;
    change_status(&state, &actor, &client_ip(&req), id, input).await?;
    Ok(HttpResponse::Ok().json(detail(&state, &actor, id).await?))
}

pub fn asset_status_options() -> Value {
    Value::Array(
        AssetStatus::SETTABLE
            .iter()
            .map(|s| json!({"value": s.as_str(), "label": format!("asset-status-{}", s.as_str())}))
            .collect(),
    )
}
