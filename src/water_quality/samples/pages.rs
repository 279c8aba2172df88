//! Water-test pages: the test form of one kind at a point (a GET with `?kind=` switches the
//! kind without JavaScript; the form lists that kind's parameters from the standard), the
//! result (each value with its class in words and colour, and the overall class), and the
//! list of tests with filters and pages.

use super::model::{self, Sample, SampleFilter};
use super::{service, value_field, SampleInput};
use crate::auth::{Actor, Role, Verb};
use crate::error::{AppError, AppResult};
use crate::water_quality::points::model::SamplingPoint;
use crate::water_quality::points::pages::{find_point, point_name, points_of_rows};
use crate::water_quality::standard::format_micro;
use crate::water_quality::testers::model as testers;
use crate::water_quality::{Class, Measure, Reading, Standard, TestKind};
use crate::web::i18n::{format_date, today_in_india, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::photos;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/samples", web::get().to(list_page))
        .route(
            "/water-quality/samples/{id:\\d+}",
            web::get().to(detail_page),
        )
        .route(
            "/water-quality/points/{id:\\d+}/samples/new",
            web::get().to(new_page),
        )
        .route(
            "/water-quality/points/{id:\\d+}/samples",
            web::post().to(create_submit),
        )
        .route(
            "/water-quality/samples/{id:\\d+}/photos/{photo:\\d+}/{size}",
            web::get().to(photo),
        );
}

#[derive(Debug, Default, Deserialize)]
pub struct KindQuery {
    pub kind: Option<String>,
}

fn class_json(class: &str) -> Value {
    json!({"code": class, "key": Class::label_key_of(class), "fails": Class::parse(class).is_some_and(Class::fails)})
}

/// The form's data: the point, the kinds (links), the kind's parameters with their limits,
/// the testers who may be named.
async fn form_data(
    ui: &Ui,
    actor: &Actor,
    point: &SamplingPoint,
    input: &SampleInput,
    errors: Option<&crate::error::FieldErrors>,
) -> AppResult<Value> {
    let errors = errors.map(|e| ui.field_errors(e)).unwrap_or(Value::Null);
    let lang = ui.lang();
    let std = ui.state.part::<Standard>();
    let kind = TestKind::parse(&input.kind).unwrap_or(first_kind_of(actor.role));
    let (gp, uid, member) = (point.gp_id, actor.id(), actor.role == Role::Member);
    let testers = ui
        .state
        .db
        .run(move |c| {
            let all = testers::active_of_gp(c, gp)?;
            Ok(all
                .into_iter()
                .filter(|t| !member || t.user_id == Some(uid))
                .collect::<Vec<_>>())
        })
        .await?;
    let params: Vec<Value> = std
        .parameters_of(kind)
        .iter()
        .map(|p| {
            let field = value_field(&p.code);
            json!({
                "code": p.code, "field": field, "label": p.label(lang), "unit": p.unit_in(lang),
                "value": input.values.get(&p.code).cloned().unwrap_or_default(),
                "number": p.measure == Measure::Number,
                "presence": p.measure == Measure::Presence,
                "agreeable": p.measure == Measure::Agreeable,
                "acceptable": p.acceptable_text(), "permissible": p.permissible_text(),
                "error": errors.get(&field).cloned(),
            })
        })
        .collect();
    Ok(json!({
        "point": {"id": point.id, "name": point.display_name(lang), "scheme_id": point.scheme_id},
        "form": input,
        "kind": kind.as_str(),
        "kinds": TestKind::ALL.iter().filter(|k| k.recordable_by(actor.role)).map(|k| json!({"value": k.as_str(), "label": TestKind::label_key_of(k.as_str()), "current": *k == kind})).collect::<Vec<_>>(),
        "is_ftk": kind == TestKind::Ftk, "is_lab": kind == TestKind::Laboratory, "is_field": kind.is_field(),
        "params": params,
        "testers": testers.iter().map(|t| json!({"value": t.id.to_string(), "label": t.name})).collect::<Vec<_>>(),
        "standard": std.version,
    }))
}

/// The kind a test form opens with: the first the role may enter (FTK; laboratory for the
/// lab analyst).
fn first_kind_of(role: Role) -> TestKind {
    TestKind::ALL
        .into_iter()
        .find(|k| k.recordable_by(role))
        .unwrap_or(TestKind::Ftk)
}

async fn new_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<KindQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWaterTest)?;
    let point = find_point(&ui, &actor, path.into_inner()).await?;
    let today = today_in_india(ui.state.clock.now()).to_string();
    let kind = q
        .kind
        .as_deref()
        .and_then(TestKind::parse)
        .unwrap_or(first_kind_of(actor.role));
    if !kind.recordable_by(actor.role) {
        return Err(AppError::Forbidden);
    }
    let input = SampleInput {
        kind: kind.as_str().into(),
        sampled_on: today.clone(),
        tested_on: today,
        ..Default::default()
    };
    let data = form_data(&ui, &actor, &point, &input, None).await?;
    ui.render("water_quality/sample_form", "wq-sample-new-title", data)
}

/// The form's fields as a test: the named fields, and `v_<code>` as values.
fn input_of_form(fields: std::collections::HashMap<String, Vec<u8>>) -> SampleInput {
    let mut i = SampleInput::default();
    for (k, v) in fields {
        let v = String::from_utf8_lossy(&v).into_owned();
        match k.as_str() {
            "kind" => i.kind = v,
            "sampled_on" => i.sampled_on = v,
            "tested_on" => i.tested_on = v,
            "tester_id" => i.tester_id = v,
            "laboratory" => i.laboratory = v,
            "lab_sample_no" => i.lab_sample_no = v,
            "kit_batch" => i.kit_batch = v,
            "kit_expires_on" => i.kit_expires_on = v,
            "notes" => i.notes = v,
            other => {
                if let Some(code) = other.strip_prefix("v_") {
                    i.values.insert(code.to_string(), v);
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
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWaterTest)?;
    let id = path.into_inner();
    // urlencoded, or multipart with a photo of the kit or the laboratory's report
    let mut fields =
        crate::web::forms::read_any_form(&req, payload, ui.state.config.server.max_body_bytes)
            .await?;
    let files = photos::photos_from_form(&mut fields);
    let input = input_of_form(fields);
    let result = match photos::check_photos(&ui.state, files).await? {
        Ok(checked) => {
            let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
            ui.state
                .service_with(move |ctx, std: &Standard| {
                    service::record_sample(ctx, std, &a2, &ip, id, i2, checked)
                })
                .await
        }
        Err(mut e) => {
            // the other fields' problems too, in one go, as a submission without the photo
            let std = ui.state.part::<Standard>();
            let today = today_in_india(ui.state.clock.now());
            if let Err(more) = super::validate(std, &input, today) {
                e.0.extend(more.0);
            }
            Err(AppError::Validation(e))
        }
    };
    match result {
        Ok(s) => Ok(redirect_flash(
            &format!("/water-quality/samples/{}", s.id),
            "flash-wq-sample-saved",
        )),
        Err(AppError::Validation(e)) => {
            let point = find_point(&ui, &actor, id).await?;
            let data = form_data(&ui, &actor, &point, &input, Some(&e)).await?;
            ui.render_invalid("water_quality/sample_form", "wq-sample-new-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// A value as read: the number with its unit, or the words for present/absent and
/// agreeable/not.
fn reading_json(r: Option<Reading>, unit: &str) -> Value {
    match r {
        Some(Reading::Number(v)) => json!({"number": format_micro(v), "unit": unit}),
        Some(Reading::Present(p)) => json!({"word": if p { "wq-present" } else { "wq-absent" }}),
        Some(Reading::Agreeable(a)) => {
            json!({"word": if a { "wq-agreeable" } else { "wq-not-agreeable" }})
        }
        None => Value::Null,
    }
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, scope, lang) = (path.into_inner(), actor.scope, ui.lang());
    let (s, values, point, tester, pictures) = ui
        .state
        .db
        .run(move |c| {
            let s = model::find_in_scope(c, &scope, id)?;
            let values = model::values_of(c, &s)?;
            let pictures = photos::of_sample(c, s.id)?;
            let point = crate::water_quality::points::model::find(c, s.point_id)?;
            let tester = match s.tester_id {
                Some(t) => Some(testers::find(c, t)?),
                None => None,
            };
            Ok((s, values, point, tester, pictures))
        })
        .await?;
    let std = ui.state.part::<Standard>();
    let rows: Vec<Value> = values
        .iter()
        .map(|v| {
            let p = std.parameter(&v.parameter);
            json!({
                "label": p.map(|p| p.label(lang).to_string()).unwrap_or_else(|| v.parameter.clone()),
                "reading": reading_json(v.reading(), p.map_or(v.unit.as_str(), |p| p.stored_unit_in(lang, &v.unit))),
                "class": class_json(&v.class),
                "acceptable": p.and_then(|p| p.acceptable_text()),
                "permissible": p.and_then(|p| p.permissible_text()),
            })
        })
        .collect();
    ui.render(
        "water_quality/sample",
        "wq-sample-title",
        json!({
            "sample": sample_json(&s, lang),
            "point": {"id": point.id, "name": point.display_name(lang), "scheme_id": point.scheme_id},
            "tester": tester.map(|t| t.name),
            "values": rows,
            "photos": pictures.iter().map(|p| p.id).collect::<Vec<_>>(),
        }),
    )
}

/// A photo of a test (`…/full`) or its small copy (`…/small`), for people who see the test.
async fn photo(
    ui: Ui,
    actor: Actor,
    path: web::Path<(i64, i64, String)>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (id, photo_id, size) = path.into_inner();
    let small = match size.as_str() {
        "small" => true,
        "full" => false,
        _ => return Err(AppError::NotFound),
    };
    let (scope, root) = (actor.scope, ui.state.config.storage.photos_dir.clone());
    let (bytes, mime) = ui
        .state
        .db
        .run(move |c| {
            let s = model::find_in_scope(c, &scope, id)?;
            let p = photos::of_sample(c, s.id)?
                .into_iter()
                .find(|p| p.id == photo_id)
                .ok_or(AppError::NotFound)?;
            photos::read(&root, &p, small)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "private, max-age=86400",
        ))
        .body(bytes))
}

fn sample_json(s: &Sample, _lang: Lang) -> Value {
    json!({
        "id": s.id, "kind_key": TestKind::label_key_of(&s.kind),
        "sampled_on": format_date(s.sampled_on), "tested_on": format_date(s.tested_on),
        "laboratory": s.laboratory, "lab_sample_no": s.lab_sample_no,
        "kit_batch": s.kit_batch, "kit_expires_on": s.kit_expires_on.map(format_date),
        "class": class_json(&s.overall_class), "standard": s.standard_version, "notes": s.notes,
    })
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<SampleFilter>) -> AppResult<HttpResponse> {
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
        ("kind", f.kind.clone()),
        ("class", f.class.clone()),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
    ]);
    let items: Vec<Value> = rows
        .iter()
        .map(|s| {
            let mut v = sample_json(s, lang);
            v["point"] = json!(point_name(&points, s.point_id, lang));
            v
        })
        .collect();
    ui.render(
        "water_quality/samples",
        "wq-samples-title",
        json!({
            "samples": items,
            "filter": f,
            "kinds": TestKind::ALL.iter().map(|k| json!({"value": k.as_str(), "label": TestKind::label_key_of(k.as_str())})).collect::<Vec<_>>(),
            "classes": Class::ALL.iter().map(|c| json!({"value": c.as_str(), "label": Class::label_key_of(c.as_str())})).collect::<Vec<_>>(),
            "pager": Pager::new(page, total, "/water-quality/samples", &qs),
            "can_view_testers": true,
        }),
    )
}
