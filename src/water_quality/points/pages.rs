//! Sampling-point pages: a scheme's points (linked from the scheme page), add, edit, and
//! "create from the scheme's assets".

use super::model::{self, SamplingPoint};
use super::{service, PointInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::Scheme;
use crate::water_quality::PointKind;
use crate::web::i18n::Lang;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/schemes/{id:\\d+}/sampling-points",
        web::get().to(list_page),
    )
    .route(
        "/schemes/{id:\\d+}/sampling-points",
        web::post().to(create_submit),
    )
    .route(
        "/schemes/{id:\\d+}/sampling-points/new",
        web::get().to(new_page),
    )
    .route(
        "/schemes/{id:\\d+}/sampling-points/from-assets",
        web::post().to(from_assets_submit),
    )
    .route(
        "/water-quality/points/{id:\\d+}/edit",
        web::get().to(edit_page),
    )
    .route(
        "/water-quality/points/{id:\\d+}",
        web::post().to(edit_submit),
    );
}

/// A point as pages show it.
pub fn point_json(p: &SamplingPoint, village: &str, lang: Lang) -> Value {
    json!({
        "id": p.id, "scheme_id": p.scheme_id, "name": p.display_name(lang),
        "kind_key": PointKind::label_key_of(&p.kind), "kind": p.kind,
        "village": village, "asset_id": p.asset_id, "active": p.active,
        "latitude": p.latitude, "longitude": p.longitude,
    })
}

fn kinds() -> Vec<Value> {
    PointKind::ALL
        .iter()
        .map(|k| json!({"value": k.as_str(), "label": PointKind::label_key_of(k.as_str())}))
        .collect()
}

/// The scheme (in scope) and its villages, for the form.
async fn scheme_and_villages(
    ui: &Ui,
    actor: &Actor,
    scheme_id: i64,
) -> AppResult<(Scheme, Vec<crate::places::model::Place>)> {
    let scope = actor.scope;
    ui.state
        .db
        .run(move |c| {
            let s = crate::schemes::model::find_in_scope(c, &scope, scheme_id)?;
            let v = crate::schemes::model::villages_of(c, s.id)?;
            Ok((s, v))
        })
        .await
}

/// The point's form (a new point when `point_id` is none) on a scheme in scope, with
/// `errors` when a submission failed (422).
async fn render_form(
    ui: &Ui,
    actor: &Actor,
    scheme_id: i64,
    input: &PointInput,
    point_id: Option<i64>,
    errors: Option<&FieldErrors>,
) -> AppResult<HttpResponse> {
    let (scheme, villages) = scheme_and_villages(ui, actor, scheme_id).await?;
    let data = form_data(ui, input, &scheme, &villages, point_id);
    let title = match point_id {
        Some(_) => "wq-point-edit-title",
        None => "wq-point-new-title",
    };
    match errors {
        Some(e) => ui.render_invalid("water_quality/point_form", title, e, data),
        None => ui.render("water_quality/point_form", title, data),
    }
}

/// Where a saved point's form goes: its scheme's points.
fn saved(p: &SamplingPoint) -> HttpResponse {
    redirect_flash(
        &format!("/schemes/{}/sampling-points", p.scheme_id),
        "flash-wq-point-saved",
    )
}

/// A point in the actor's scope (404 outside it).
pub(crate) async fn find_point(ui: &Ui, actor: &Actor, id: i64) -> AppResult<SamplingPoint> {
    let scope = actor.scope;
    ui.state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await
}

/// The points of a list's rows (tests, inspections), each list row naming its point with
/// [`point_name`].
pub(crate) async fn points_of_rows(ui: &Ui, ids: Vec<i64>) -> AppResult<Vec<SamplingPoint>> {
    ui.state.db.run(move |c| model::by_ids(c, &ids)).await
}

/// The name of a row's point in the page's language (none when it is not among `points`).
pub(crate) fn point_name(points: &[SamplingPoint], id: i64, lang: Lang) -> Option<String> {
    points
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.display_name(lang).to_string())
}

fn form_data(
    ui: &Ui,
    input: &PointInput,
    scheme: &Scheme,
    villages: &[crate::places::model::Place],
    point_id: Option<i64>,
) -> Value {
    let lang = ui.lang();
    json!({
        "form": input, "point_id": point_id,
        "action": match point_id {
            Some(id) => format!("/water-quality/points/{id}"),
            None => format!("/schemes/{}/sampling-points", scheme.id),
        },
        "scheme": {"id": scheme.id, "name": scheme.display_name(lang)},
        "kinds": kinds(),
        "villages": villages.iter().map(|v| json!({"value": v.id.to_string(), "label": v.display_name(lang)})).collect::<Vec<_>>(),
        "is_edit": point_id.is_some(),
    })
}

async fn list_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, scope, lang) = (path.into_inner(), actor.scope, ui.lang());
    let today = crate::web::i18n::today_in_india(ui.state.clock.now());
    let (scheme, points, villages, eligible, (inspected, due)) = ui
        .state
        .db
        .run(move |c| {
            let s = crate::schemes::model::find_in_scope(c, &scope, id)?;
            let points = model::of_scheme(c, s.gp_id, s.id)?;
            let checks = crate::water_quality::schedules::pages::points_checks(
                c, &scope, s.gp_id, &points, today,
            )?;
            let villages = crate::schemes::model::places_by_ids(
                c,
                points.iter().map(|p| p.village_id).collect(),
            )?;
            let eligible = model::eligible_assets(c, &s)?;
            Ok((s, points, villages, eligible, checks))
        })
        .await?;
    let village_name = |id: i64| {
        villages
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.display_name(lang).to_string())
            .unwrap_or_default()
    };
    ui.render(
        "water_quality/points",
        "wq-points-title",
        json!({
            "scheme": {"id": scheme.id, "name": scheme.display_name(lang)},
            "points": points.iter().map(|p| {
                let mut v = point_json(p, &village_name(p.village_id), lang);
                v["inspection"] = crate::water_quality::inspections::pages::latest_json(&inspected, p.id, lang);
                v["due"] = crate::water_quality::schedules::pages::due_json(&due, p.id, actor.role);
                v
            }).collect::<Vec<_>>(),
            "eligible": eligible.iter().map(|a| json!({"name": crate::web::i18n::name_in(lang, &a.name, a.name_hi.as_deref()), "kind_key": a.point_kind().map(|k| PointKind::label_key_of(k.as_str()))})).collect::<Vec<_>>(),
            "can_manage": actor.can(Verb::ManageWaterQuality),
            "can_record": actor.can(Verb::RecordWaterTest),
            "can_inspect": actor.can(Verb::RecordWaterTest)
                && crate::water_quality::inspections::service::may_record(actor.role),
        }),
    )
}

async fn new_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (scheme, villages) = scheme_and_villages(&ui, &actor, path.into_inner()).await?;
    let input = PointInput {
        kind: PointKind::Tap.as_str().into(),
        village_id: villages
            .first()
            .map(|v| v.id.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    ui.render(
        "water_quality/point_form",
        "wq-point-new-title",
        form_data(&ui, &input, &scheme, &villages, None),
    )
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<PointInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_point(ctx, &a2, &ip, id, i2))
        .await
    {
        Ok(p) => Ok(saved(&p)),
        Err(AppError::Validation(e)) => render_form(&ui, &actor, id, &input, None, Some(&e)).await,
        Err(e) => Err(e),
    }
}

async fn from_assets_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let id = path.into_inner();
    let (a2, ip) = (actor.clone(), client_ip(&req));
    let to = format!("/schemes/{id}/sampling-points");
    match ui
        .state
        .service(move |ctx| service::create_from_assets(ctx, &a2, &ip, id))
        .await
    {
        Ok(made) if made.is_empty() => Ok(redirect_flash(&to, "flash-wq-points-none-made")),
        Ok(_) => Ok(redirect_flash(&to, "flash-wq-points-made")),
        Err(AppError::Conflict(key)) => Ok(redirect_flash(&to, &key)),
        Err(e) => Err(e),
    }
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let p = find_point(&ui, &actor, path.into_inner()).await?;
    let input = PointInput {
        kind: p.kind.clone(),
        village_id: p.village_id.to_string(),
        name: p.name.clone(),
        name_hi: p.name_hi.clone().unwrap_or_default(),
        latitude: p.latitude.map(|x| x.to_string()).unwrap_or_default(),
        longitude: p.longitude.map(|x| x.to_string()).unwrap_or_default(),
        active: p.active.to_string(),
    };
    render_form(&ui, &actor, p.scheme_id, &input, Some(p.id), None).await
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<PointInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let id = path.into_inner();
    let mut input = form.into_inner();
    // An unticked box sends nothing: on the edit form that means "not in use".
    if input.active.trim().is_empty() {
        input.active = "false".into();
    }
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::update_point(ctx, &a2, &ip, id, i2))
        .await
    {
        Ok(p) => Ok(saved(&p)),
        Err(AppError::Validation(e)) => {
            let p = find_point(&ui, &actor, id).await?;
            render_form(&ui, &actor, p.scheme_id, &input, Some(id), Some(&e)).await
        }
        Err(e) => Err(e),
    }
}
