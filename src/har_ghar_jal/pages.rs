//! Har Ghar Jal pages: the counts of every GP in scope (by block), a GP's villages with
//! their status, and a village's checklist (form while it is not reported; report and
//! certify buttons for whoever may).

use super::model::{self, Counts, Record};
use super::{service, ChecklistInput, Status, ITEMS};
use crate::auth::{Actor, Scope, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{Level, Place};
use crate::web::i18n::format_date;
use crate::web::photos;
use crate::web::render::{redirect, redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/har-ghar-jal", web::get().to(summary_page))
        .route("/har-ghar-jal/gps/{id:\\d+}", web::get().to(gp_page))
        .route(
            "/har-ghar-jal/villages/{id:\\d+}",
            web::get().to(village_page),
        )
        .route(
            "/har-ghar-jal/villages/{id:\\d+}",
            web::post().to(save_submit),
        )
        .route(
            "/har-ghar-jal/villages/{id:\\d+}/report",
            web::post().to(report_submit),
        )
        .route(
            "/har-ghar-jal/villages/{id:\\d+}/certify",
            web::post().to(certify_submit),
        )
        .route(
            "/har-ghar-jal/villages/{id:\\d+}/documents/{doc:\\d+}/{size}",
            web::get().to(document),
        );
}

#[derive(Debug, Default, Deserialize)]
pub struct PlaceQuery {
    /// A block or district inside the scope, to see only its GPs.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub place: Option<i64>,
}

fn counts_json(c: &Counts) -> Value {
    json!({"villages": c.villages, "reported": c.reported, "certified": c.certified,
        "none": c.villages - c.reported - c.certified})
}

/// Every GP in scope (or in the block or district named) with its counts, by block.
async fn summary_page(ui: Ui, actor: Actor, q: web::Query<PlaceQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    if let (
        Scope::Place {
            level: Level::Gp,
            id,
        },
        None,
    ) = (actor.scope, q.place)
    {
        return Ok(redirect(&format!("/har-ghar-jal/gps/{id}")));
    }
    let (scope, place, lang) = (actor.scope, q.place, ui.lang());
    let (counts, places) = ui
        .state
        .db
        .run(move |c| {
            let scope = match place {
                Some(p) => scope.narrowed_to(c, p)?,
                None => scope,
            };
            let counts = model::counts_in_scope(c, &scope)?;
            let gps: Vec<i64> = counts.iter().map(|x| x.gp_id).collect();
            let mut places = crate::places::model::by_ids(c, &gps)?;
            let blocks: Vec<i64> = places.values().filter_map(|p| p.block_id).collect();
            places.extend(crate::places::model::by_ids(c, &blocks)?);
            Ok((counts, places))
        })
        .await?;
    let name = |id: Option<i64>| {
        id.and_then(|i| places.get(&i))
            .map(|p: &Place| p.display_name(lang).to_string())
            .unwrap_or_default()
    };
    // blocks in name order, each with its GPs and its totals
    let mut blocks: Vec<(String, Option<i64>, Counts, Vec<Value>)> = vec![];
    let mut total = Counts::default();
    let mut rows: Vec<(&Counts, Option<i64>, String)> = counts
        .iter()
        .map(|c| {
            let block = places.get(&c.gp_id).and_then(|p| p.block_id);
            (c, block, name(Some(c.gp_id)))
        })
        .collect();
    rows.sort_by(|a, b| (name(a.1), &a.2).cmp(&(name(b.1), &b.2)));
    for (c, block, gp_name) in rows {
        if blocks.last().is_none_or(|b| b.1 != block) {
            blocks.push((name(block), block, Counts::default(), vec![]));
        }
        let b = blocks.last_mut().expect("pushed above");
        for t in [&mut b.2, &mut total] {
            t.villages += c.villages;
            t.reported += c.reported;
            t.certified += c.certified;
        }
        b.3.push(json!({"id": c.gp_id, "name": gp_name, "counts": counts_json(c)}));
    }
    let blocks: Vec<Value> = blocks
        .into_iter()
        .map(|(name, id, c, gps)| json!({"name": name, "id": id, "counts": counts_json(&c), "gps": gps}))
        .collect();
    ui.render(
        "har_ghar_jal/summary",
        "hgj-title",
        json!({"blocks": blocks, "total": counts_json(&total), "place": place}),
    )
}

fn status_json(r: Option<&Record>) -> Value {
    let status = r.map(Record::status).unwrap_or(Status::None);
    json!({
        "key": status.label_key(), "code": status.as_str(),
        "reported_on": r.and_then(|r| r.reported_on).map(format_date),
        "reported_by": r.and_then(|r| r.reported_by_name.clone()),
        "certified_on": r.and_then(|r| r.certified_on).map(format_date),
        "certified_by": r.and_then(|r| r.certified_by_name.clone()),
    })
}

/// A GP's villages with their status.
async fn gp_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let (gp, scope, lang) = (path.into_inner(), actor.scope, ui.lang());
    let (place, villages) = ui
        .state
        .db
        .run(move |c| {
            scope.check_gp(c, Some(gp))?;
            let place = crate::places::model::find(c, gp)?;
            Ok((place, model::villages_of_gp(c, &scope, gp)?))
        })
        .await?;
    let rows: Vec<Value> = villages
        .iter()
        .map(|(v, r)| {
            json!({
                "id": v.id, "name": v.display_name(lang),
                "ticked": r.as_ref().map(|r| r.items().iter().filter(|x| **x).count()).unwrap_or(0),
                "items": ITEMS.len(),
                "status": status_json(r.as_ref()),
            })
        })
        .collect();
    ui.render(
        "har_ghar_jal/gp",
        "hgj-gp-title",
        json!({"gp": {"id": place.id, "name": place.display_name(lang), "block_id": place.block_id}, "villages": rows}),
    )
}

fn input_of(r: Option<&Record>) -> ChecklistInput {
    let Some(r) = r else {
        return ChecklistInput::default();
    };
    let f = |b: bool| if b { "true".to_string() } else { String::new() };
    ChecklistInput {
        every_household_tap: f(r.every_household_tap),
        schools_connected: f(r.schools_connected),
        anganwadis_connected: f(r.anganwadis_connected),
        no_leakages: f(r.no_leakages),
        roads_restored: f(r.roads_restored),
        resolution_on: r.resolution_on.map(|d| d.to_string()).unwrap_or_default(),
        notes: r.notes.clone().unwrap_or_default(),
    }
}

fn flag_of(input: &ChecklistInput, item: &str) -> bool {
    crate::web::forms::flag(match item {
        "every_household_tap" => &input.every_household_tap,
        "schools_connected" => &input.schools_connected,
        "anganwadis_connected" => &input.anganwadis_connected,
        "no_leakages" => &input.no_leakages,
        _ => &input.roads_restored,
    })
}

/// The village page's data: the checklist as `input` shows it (the stored one, or what was
/// typed when it came back with errors).
async fn village_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    typed: Option<&ChecklistInput>,
) -> AppResult<Value> {
    let (lang, a2) = (ui.lang(), actor.clone());
    let (village, r, docs) = ui
        .state
        .db
        .run(move |c| service::village(c, &a2, id))
        .await?;
    let status = r.as_ref().map(Record::status).unwrap_or(Status::None);
    let input = typed.cloned().unwrap_or_else(|| input_of(r.as_ref()));
    let editable = actor.can(Verb::ReportHarGharJal) && status == Status::None;
    Ok(json!({
        "village": {"id": village.id, "name": village.display_name(lang), "gp_id": village.gp_id},
        "status": status_json(r.as_ref()),
        "form": input,
        "items": ITEMS.iter().map(|i| json!({"name": i, "label": format!("hgj-item-{i}"), "checked": flag_of(&input, i), "error": null})).collect::<Vec<_>>(),
        "resolution_on": r.as_ref().and_then(|r| r.resolution_on).map(format_date),
        "documents": docs.iter().map(|d| d.id).collect::<Vec<_>>(),
        "can_add_documents": docs.len() < super::MAX_DOCUMENTS,
        "editable": editable,
        "can_report": editable && r.is_some(),
        "can_certify": actor.can(Verb::CertifyHarGharJal) && status == Status::Reported,
    }))
}

async fn village_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let data = village_data(&ui, &actor, path.into_inner(), None).await?;
    ui.render("har_ghar_jal/village", "hgj-village-title", data)
}

async fn invalid(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    typed: Option<&ChecklistInput>,
    e: &FieldErrors,
) -> AppResult<HttpResponse> {
    let mut data = village_data(ui, actor, id, typed).await?;
    let messages = ui.field_errors(e);
    if let Some(items) = data["items"].as_array_mut() {
        for it in items {
            let name = it["name"].as_str().unwrap_or_default().to_string();
            it["error"] = messages[&name].clone();
        }
    }
    ui.render_invalid("har_ghar_jal/village", "hgj-village-title", e, data)
}

async fn save_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportHarGharJal)?;
    let id = path.into_inner();
    // urlencoded, or multipart with pages of the resolution's scan
    let mut fields =
        crate::web::forms::read_any_form(&req, payload, ui.state.config.server.max_body_bytes)
            .await?;
    let files = photos::photos_from_form(&mut fields);
    let input: ChecklistInput = crate::web::forms::from_fields(&fields);
    let result = match photos::check_photos(&ui.state, files).await? {
        Ok(checked) => {
            let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
            ui.state
                .service(move |ctx| service::save_checklist(ctx, &a2, &ip, id, i2, checked))
                .await
        }
        Err(photo_errors) => {
            // the scan's problems beside the document field, with the rest's
            let mut e = FieldErrors::new();
            for p in photo_errors.0 {
                e.add_with(
                    "documents",
                    &p.key,
                    &p.args
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.clone()))
                        .collect::<Vec<_>>(),
                );
            }
            let today = crate::web::i18n::today_in_india(ui.state.clock.now());
            if let Err(more) = super::validate(&input, today) {
                e.0.extend(more.0);
            }
            Err(AppError::Validation(e))
        }
    };
    match result {
        Ok(r) => Ok(redirect_flash(
            &format!("/har-ghar-jal/villages/{}", r.village_id),
            "flash-hgj-saved",
        )),
        Err(AppError::Validation(e)) => invalid(&ui, &actor, id, Some(&input), &e).await,
        Err(e) => Err(e),
    }
}

async fn report_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportHarGharJal)?;
    let (id, a2, ip) = (path.into_inner(), actor.clone(), client_ip(&req));
    match ui
        .state
        .service(move |ctx| service::report(ctx, &a2, &ip, id))
        .await
    {
        Ok(r) => Ok(redirect_flash(
            &format!("/har-ghar-jal/villages/{}", r.village_id),
            "flash-hgj-reported",
        )),
        Err(AppError::Validation(e)) => invalid(&ui, &actor, id, None, &e).await,
        Err(e) => Err(e),
    }
}

async fn certify_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::CertifyHarGharJal)?;
    let (id, ip) = (path.into_inner(), client_ip(&req));
    let r = ui
        .state
        .service(move |ctx| service::certify(ctx, &actor, &ip, id))
        .await?;
    Ok(redirect_flash(
        &format!("/har-ghar-jal/villages/{}", r.village_id),
        "flash-hgj-certified",
    ))
}

/// A page of a village's resolution scan (`…/full`) or its small copy (`…/small`).
async fn document(
    ui: Ui,
    actor: Actor,
    path: web::Path<(i64, i64, String)>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let (id, doc, size) = path.into_inner();
    let small = match size.as_str() {
        "small" => true,
        "full" => false,
        _ => return Err(AppError::NotFound),
    };
    let root = ui.state.config.storage.photos_dir.clone();
    let (bytes, mime) = ui
        .state
        .db
        .run(move |c| {
            let (_, _, docs) = service::village(c, &actor, id)?;
            let d = docs
                .into_iter()
                .find(|d| d.id == doc)
                .ok_or(AppError::NotFound)?;
            photos::read_files(&root, d.gp_id, &d.file_name, &d.small_name, &d.mime, small)
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
