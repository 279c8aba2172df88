//! Sanitary-inspection pages: the form at a point (its checklist's questions, each yes/no),
//! the result (score, band, the "yes" answers), and the list with filters.

use super::model::{self, Inspection, InspectionFilter};
use super::{answer_field, service, Band, Checklists, InspectionInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::water_quality::points::model::SamplingPoint;
use crate::water_quality::points::pages::{find_point, point_name, points_of_rows};
use crate::web::i18n::{format_date, today_in_india, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/inspections", web::get().to(list_page))
        .route(
            "/water-quality/inspections/{id:\\d+}",
            web::get().to(detail_page),
        )
        .route(
            "/water-quality/points/{id:\\d+}/inspections/new",
            web::get().to(new_page),
        )
        .route(
            "/water-quality/points/{id:\\d+}/inspections",
            web::post().to(create_submit),
        );
}

/// A band as pages show it.
pub fn band_json(band: &str) -> Value {
    json!({"code": band, "key": Band::label_key_of(band)})
}

/// The point (in scope) and the kind of its asset.
async fn load_point(ui: &Ui, actor: &Actor, id: i64) -> AppResult<(SamplingPoint, Option<String>)> {
    let p = find_point(ui, actor, id).await?;
    let p2 = p.clone();
    let k = ui
        .state
        .db
        .run(move |c| service::asset_kind_of(c, &p2))
        .await?;
    Ok((p, k))
}

fn form_data(
    ui: &Ui,
    point: &SamplingPoint,
    asset_kind: Option<&str>,
    input: &InspectionInput,
    errors: Option<&FieldErrors>,
) -> AppResult<Value> {
    let lang = ui.lang();
    let lists = ui.state.part::<Checklists>();
    let list = lists
        .for_point(&point.kind, asset_kind)
        .ok_or_else(|| AppError::Conflict("wq-no-checklist".into()))?;
    let errors = errors.map(|e| ui.field_errors(e)).unwrap_or(Value::Null);
    let questions: Vec<Value> = list
        .questions
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let field = answer_field(&q.code);
            let a = input.answers.get(&q.code).map(String::as_str).unwrap_or("");
            json!({
                "n": n + 1, "field": field, "text": q.text(lang),
                "yes": a == "yes", "no": a == "no",
                "error": errors.get(&field).cloned(),
            })
        })
        .collect();
    let bands = lists.bands_of(list);
    Ok(json!({
        "point": {"id": point.id, "name": point.display_name(lang), "scheme_id": point.scheme_id},
        "checklist": list.title(lang),
        "questions": questions,
        "bands": {"intermediate": bands.intermediate, "high": bands.high, "very_high": bands.very_high},
        "form": input,
    }))
}

async fn new_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWaterTest)?;
    if !service::may_record(actor.role) {
        return Err(AppError::Forbidden);
    }
    let (point, kind) = load_point(&ui, &actor, path.into_inner()).await?;
    let input = InspectionInput {
        inspected_on: today_in_india(ui.state.clock.now()).to_string(),
        inspector: actor.user.display_name.clone(),
        ..Default::default()
    };
    let data = form_data(&ui, &point, kind.as_deref(), &input, None)?;
    ui.render(
        "water_quality/inspections/form",
        "wq-inspection-new-title",
        data,
    )
}

/// The form's fields as an inspection: the named fields, and `q_<code>` as answers.
fn input_of_form(fields: Vec<(String, String)>) -> InspectionInput {
    let mut i = InspectionInput::default();
    for (k, v) in fields {
        match k.as_str() {
            "inspected_on" => i.inspected_on = v,
            "inspector" => i.inspector = v,
            "notes" => i.notes = v,
            other => {
                if let Some(code) = other.strip_prefix("q_") {
                    i.answers.insert(code.to_string(), v);
                }
            }
        }
    }
    i
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWaterTest)?;
    let id = path.into_inner();
    let input = input_of_form(form.into_inner());
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    let result = ui
        .state
        .service_with(move |ctx, lists: &Checklists| {
            service::record_inspection(ctx, lists, &a2, &ip, id, i2)
        })
        .await;
    match result {
        Ok(i) => Ok(redirect_flash(
            &format!("/water-quality/inspections/{}", i.id),
            "flash-wq-inspection-saved",
        )),
        Err(AppError::Validation(e)) => {
            let (point, kind) = load_point(&ui, &actor, id).await?;
            let data = form_data(&ui, &point, kind.as_deref(), &input, Some(&e))?;
            ui.render_invalid(
                "water_quality/inspections/form",
                "wq-inspection-new-title",
                &e,
                data,
            )
        }
        Err(e) => Err(e),
    }
}

fn inspection_json(i: &Inspection) -> Value {
    json!({
        "id": i.id, "inspected_on": format_date(i.inspected_on), "inspector": i.inspector,
        "score": i.score, "questions": i.questions, "band": band_json(&i.band), "notes": i.notes,
        "version": i.checklist_version,
    })
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, scope, lang) = (path.into_inner(), actor.scope, ui.lang());
    let (i, point) = ui
        .state
        .db
        .run(move |c| {
            let i = model::find_in_scope(c, &scope, id)?;
            let p = crate::water_quality::points::model::find(c, i.point_id)?;
            Ok((i, p))
        })
        .await?;
    let lists = ui.state.part::<Checklists>();
    let list = lists.find(&i.checklist);
    let answers = i.answers();
    // each question of the checklist as answered (a question no longer in the file is
    // shown by its code)
    let rows: Vec<Value> = answers
        .iter()
        .map(|(code, yes)| {
            let text = list
                .and_then(|l| l.questions.iter().find(|q| &q.code == code))
                .map(|q| q.text(lang).to_string())
                .unwrap_or_else(|| code.clone());
            json!({"text": text, "yes": yes})
        })
        .collect();
    ui.render(
        "water_quality/inspections/inspection",
        "wq-inspection-title",
        json!({
            "inspection": inspection_json(&i),
            "checklist": list.map(|l| l.title(lang).to_string()).unwrap_or_else(|| i.checklist.clone()),
            "point": {"id": point.id, "name": point.display_name(lang), "scheme_id": point.scheme_id},
            "answers": rows,
        }),
    )
}

async fn list_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<InspectionFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (scope, lang, f2) = (actor.scope, ui.lang(), f.clone());
    let (rows, total) = ui
        .state
        .db
        .run(move |c| model::list(c, &scope, &f2, page.offset(), page.limit()))
        .await?;
    let points = points_of_rows(&ui, rows.iter().map(|r| r.point_id).collect()).await?;
    let qs = query_string(&[
        ("point", f.point.map(|p| p.to_string())),
        ("band", f.band.clone()),
    ]);
    let items: Vec<Value> = rows
        .iter()
        .map(|i| {
            let mut v = inspection_json(i);
            v["point"] = json!(point_name(&points, i.point_id, lang));
            v
        })
        .collect();
    ui.render(
        "water_quality/inspections/list",
        "wq-inspections-title",
        json!({
            "inspections": items,
            "filter": f,
            "bands": Band::ALL.iter().map(|b| json!({"value": b.as_str(), "label": Band::label_key_of(b.as_str())})).collect::<Vec<_>>(),
            "pager": Pager::new(page, total, "/water-quality/inspections", &qs),
        }),
    )
}

/// The latest inspection of each of a scheme's points, as the points page shows it.
pub fn latest_json(
    latest: &std::collections::BTreeMap<i64, Inspection>,
    point: i64,
    _lang: Lang,
) -> Value {
    match latest.get(&point) {
        Some(i) => {
            json!({"id": i.id, "on": format_date(i.inspected_on), "score": i.score, "questions": i.questions, "band": band_json(&i.band)})
        }
        None => Value::Null,
    }
}
