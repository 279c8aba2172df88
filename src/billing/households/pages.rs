//! The secretary's household register pages: the list (search, filters, pages), the form to
//! add or change a household, a household's page, and the register as CSV, out and in.

use super::model::{self, Household, HouseholdFilter};
use super::service::{self, Outcome};
use super::{own_gp, status_key, HouseholdInput, Status, COLUMNS};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
use crate::web::csv as csvw;
use crate::web::i18n::format_date;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

/// Export reads the register this many households at a time.
const EXPORT_BATCH: i64 = 500;
/// The import page lists at most this many problems and changes.
const MAX_SHOWN: usize = 200;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/households", web::get().to(list_page))
        .route("/households", web::post().to(create_submit))
        .route("/households/new", web::get().to(new_page))
        .route("/households/export.csv", web::get().to(export_csv))
        .route("/households/import", web::get().to(import_page))
        .route("/households/import", web::post().to(import_submit))
        .route("/households/{id:\\d+}", web::get().to(detail_page))
        .route("/households/{id:\\d+}", web::post().to(edit_submit))
        .route("/households/{id:\\d+}/edit", web::get().to(edit_page));
}

fn category_options(ui: &Ui) -> Value {
    ui.state
        .config
        .billing
        .categories
        .iter()
        .map(|c| json!({"value": c, "label": format!("household-cat-{c}")}))
        .collect()
}

fn status_options() -> Value {
    Status::ALL
        .iter()
        .map(|s| json!({"value": s.as_str(), "label": s.label_key()}))
        .collect()
}

/// A household as pages show it (dates for reading, labels as message keys).
fn household_json(h: &Household) -> Value {
    json!({
        "id": h.id,
        "connection_no": h.connection_no,
        "head_name": h.head_name,
        "members": h.members,
        "category": h.category,
        "category_key": format!("household-cat-{}", h.category),
        "exempt_reason": h.exempt_reason,
        "connected_on": format_date(h.connected_on),
        "status": h.status,
        "status_key": status_key(&h.status),
        "disconnected_on": h.disconnected_on.map(format_date),
        "status_reason": h.status_reason,
        "phone": h.phone,
        "notes": h.notes,
    })
}

/// Empty filter values (the "any" choices) are no filter.
fn tidy(mut f: HouseholdFilter) -> HouseholdFilter {
    let keep = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    f.q = keep(f.q);
    f.category = keep(f.category);
    f.status = keep(f.status);
    f
}

fn filter_query(f: &HouseholdFilter) -> String {
    query_string(&[
        ("q", f.q.clone()),
        ("village", f.village.map(|v| v.to_string())),
        ("category", f.category.clone()),
        ("status", f.status.clone()),
        ("scheme", f.scheme.map(|s| s.to_string())),
    ])
}

async fn list_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<HouseholdFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let f = tidy(q.into_inner());
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (f2, scope) = (f.clone(), actor.scope);
    let (rows, total, names, scheme_names, villages, scheme_list) = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = model::list(c, &scope, &f2, page)?;
            let names = crate::places::model::by_ids(
                c,
                &rows.iter().map(|h| h.village_id).collect::<Vec<_>>(),
            )?;
            let scheme_names =
                crate::schemes::by_ids(c, rows.iter().filter_map(|h| h.scheme_id).collect())?;
            let villages = model::villages_in(c, &scope, None)?;
            let scheme_list = model::schemes_in(c, &scope, None)?;
            Ok((rows, total, names, scheme_names, villages, scheme_list))
        })
        .await?;
    let lang = ui.lang();
    let rows: Vec<Value> = rows
        .iter()
        .map(|h| {
            let mut v = household_json(h);
            v["village"] = json!(names.get(&h.village_id).map(|p| p.display_name(lang)));
            v["scheme"] = json!(h
                .scheme_id
                .and_then(|s| scheme_names.get(&s))
                .map(|s| s.display_name(lang)));
            v
        })
        .collect();
    let qs = filter_query(&f);
    let csv_url = if qs.is_empty() {
        "/households/export.csv".to_string()
    } else {
        format!("/households/export.csv?{qs}")
    };
    ui.render(
        "billing/households",
        "households-title",
        json!({
            "rows": rows,
            "filter": {
                "q": f.q, "village": f.village, "category": f.category, "scheme": f.scheme,
                "status": f.status.clone().unwrap_or_else(|| "active".into()),
            },
            "villages": villages.iter().map(|p| json!({"id": p.id, "name": p.display_name(lang)})).collect::<Vec<_>>(),
            "schemes": scheme_list.iter().map(|s| json!({"id": s.id, "name": s.display_name(lang), "code": s.code})).collect::<Vec<_>>(),
            "categories": category_options(&ui),
            "statuses": status_options(),
            "can_manage": actor.can(Verb::ManageBilling),
            "csv_url": csv_url,
            "pager": Pager::new(page, total, "/households", &qs),
        }),
    )
}

// ---- the form ----

#[derive(Debug, Default, Deserialize)]
struct GpQuery {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    gp: Option<i64>,
}

/// The GP a new household's form is for: one's own, else the one chosen (it must be in the
/// actor's scope), else the GP of the village typed, if that is in scope.
async fn form_gp(
    ui: &Ui,
    actor: &Actor,
    chosen: Option<i64>,
    village: &str,
) -> AppResult<Option<i64>> {
    if let Some(gp) = own_gp(&actor.scope) {
        return Ok(Some(gp));
    }
    let scope = actor.scope;
    let village = village.trim().parse::<i64>().ok();
    ui.state
        .db
        .run(move |c| {
            if let Some(gp) = chosen {
                let p = crate::places::model::find_in_scope(c, &scope, gp)?;
                if p.level() != Level::Gp {
                    return Err(AppError::NotFound);
                }
                return Ok(Some(p.id));
            }
            match village {
                Some(v) => Ok(crate::places::model::find_in_scope(c, &scope, v)
                    .ok()
                    .filter(|p| p.level() == Level::Village)
                    .and_then(|p| p.gp_id)),
                None => Ok(None),
            }
        })
        .await
}

/// The form's data: the input as typed and the choices of the household's GP.
async fn form_data(
    ui: &Ui,
    actor: &Actor,
    gp: i64,
    input: &HouseholdInput,
    id: Option<i64>,
) -> AppResult<Value> {
    let scope = actor.scope;
    let (gp, villages, scheme_list) = ui
        .state
        .db
        .run(move |c| {
            let gp = crate::places::model::find_in_scope(c, &scope, gp)?;
            let villages = model::villages_in(c, &scope, Some(gp.id))?;
            let scheme_list = model::schemes_in(c, &scope, Some(gp.id))?;
            Ok((gp, villages, scheme_list))
        })
        .await?;
    let lang = ui.lang();
    let action = match id {
        Some(id) => format!("/households/{id}"),
        None => format!("/households?gp={}", gp.id),
    };
    Ok(json!({
        "choose_gp": false,
        "form": input,
        "household_id": id,
        "is_new": id.is_none(),
        "action": action,
        "cancel_url": id.map(|id| format!("/households/{id}")).unwrap_or_else(|| "/households".into()),
        "gp": {"id": gp.id, "name": gp.display_name(lang), "lgd_code": gp.lgd_code},
        // select values are text, like the form's
        "villages": villages.iter().map(|p| json!({"value": p.id.to_string(), "label": p.display_name(lang)})).collect::<Vec<_>>(),
        "schemes": scheme_list.iter().map(|s| json!({"value": s.id.to_string(), "label": format!("{} ({})", s.display_name(lang), s.code)})).collect::<Vec<_>>(),
        "categories": category_options(ui),
        "statuses": status_options(),
    }))
}

/// The page that asks an administrator which GP the new household is in.
async fn gp_chooser_data(ui: &Ui, actor: &Actor) -> AppResult<Value> {
    let scope = actor.scope;
    let gps = ui
        .state
        .db
        .run(move |c| model::gp_choices(c, &scope))
        .await?;
    let lang = ui.lang();
    Ok(json!({
        "choose_gp": true,
        "gp_choices": gps.iter().map(|g| json!({"id": g.id, "name": g.display_name(lang), "lgd_code": g.lgd_code})).collect::<Vec<_>>(),
    }))
}

async fn new_page(ui: Ui, actor: Actor, q: web::Query<GpQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let Some(gp) = form_gp(&ui, &actor, q.gp, "").await? else {
        let data = gp_chooser_data(&ui, &actor).await?;
        return ui.render("billing/household_form", "household-new-title", data);
    };
    let input = HouseholdInput {
        category: "general".into(),
        status: Status::Active.as_str().into(),
        ..Default::default()
    };
    let data = form_data(&ui, &actor, gp, &input, None).await?;
    ui.render("billing/household_form", "household-new-title", data)
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    q: web::Query<GpQuery>,
    form: web::Form<HouseholdInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let input = form.into_inner();
    let (a, ip, typed) = (actor.clone(), client_ip(&req), input.clone());
    let saved = ui
        .state
        .service(move |ctx| service::add_household(ctx, &a, &ip, &typed).map(|h| h.id))
        .await;
    match saved {
        Ok(id) => Ok(redirect_flash(
            &format!("/households/{id}"),
            "flash-household-saved",
        )),
        Err(AppError::Validation(e)) => {
            let data = match form_gp(&ui, &actor, q.gp, &input.village_id).await? {
                Some(gp) => form_data(&ui, &actor, gp, &input, None).await?,
                None => gp_chooser_data(&ui, &actor).await?,
            };
            ui.render_invalid("billing/household_form", "household-new-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let h = ui
        .state
        .db
        .run(move |c| model::find_in_scope(c, &scope, id))
        .await?;
    let data = form_data(&ui, &actor, h.gp_id, &HouseholdInput::from(&h), Some(id)).await?;
    ui.render("billing/household_form", "household-edit-title", data)
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<HouseholdInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a, ip, typed) = (actor.clone(), client_ip(&req), input.clone());
    let saved = ui
        .state
        .service(move |ctx| {
            service::change_household(ctx, &a, &ip, id, |_| Ok(typed)).map(|h| h.id)
        })
        .await;
    match saved {
        Ok(id) => Ok(redirect_flash(
            &format!("/households/{id}"),
            "flash-household-saved",
        )),
        Err(AppError::Validation(e)) => {
            let scope = actor.scope;
            let h = ui
                .state
                .db
                .run(move |c| model::find_in_scope(c, &scope, id))
                .await?;
            let data = form_data(&ui, &actor, h.gp_id, &input, Some(id)).await?;
            ui.render_invalid("billing/household_form", "household-edit-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

// ---- one household ----

/// Everything the household's page shows. Later sections (the ledger, payments) add their
/// own keys to this object.
pub async fn household_page_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let scope = actor.scope;
    let (h, village, gp, scheme, standing) = ui
        .state
        .db
        .run(move |c| {
            let h = model::find_in_scope(c, &scope, id)?;
            let village = crate::places::model::find(c, h.village_id)?;
            let gp = crate::places::model::find(c, h.gp_id)?;
            let scheme = match h.scheme_id {
                Some(s) => Some(crate::schemes::find(c, s)?),
                None => None,
            };
            let standing = crate::billing::payments::model::standing(c, h.id)?;
            Ok((h, village, gp, scheme, standing))
        })
        .await?;
    let lang = ui.lang();
    Ok(json!({
        "household": household_json(&h),
        "village": {"id": village.id, "name": village.display_name(lang), "lgd_code": village.lgd_code},
        "gp": {"id": gp.id, "name": gp.display_name(lang), "lgd_code": gp.lgd_code},
        "scheme": scheme.as_ref().map(|s| json!({"id": s.id, "name": s.display_name(lang), "code": s.code})),
        "can_manage": actor.can(Verb::ManageBilling),
        "standing": standing,
        "owes": standing.balance_paise > 0,
        "advance_paise": (-standing.balance_paise).max(0),
    }))
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = household_page_data(&ui, &actor, path.into_inner()).await?;
    ui.render("billing/household_detail", "household-title", data)
}

// ---- CSV out ----

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// The register as CSV: the list's filters, the actor's scope, every page. Villages are named
/// by LGD code and schemes by code, which is what import reads back.
async fn export_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<HouseholdFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let mut f = tidy(q.into_inner());
    f.page = None;
    let scope = actor.scope;
    // streamed: a district's register is hundreds of thousands of rows
    Ok(csvw::stream(
        &ui.state.db,
        "households.csv",
        COLUMNS,
        move |c, emit| {
            csvw::each_page(
                c,
                EXPORT_BATCH,
                |c, page| Ok(model::list(c, &scope, &f, page)?.0),
                |c, batch| {
                    let mut ids: Vec<i64> = batch.iter().map(|h| h.village_id).collect();
                    ids.extend(batch.iter().map(|h| h.gp_id));
                    let places = crate::places::model::by_ids(c, &ids)?;
                    let codes = crate::schemes::by_ids(
                        c,
                        batch.iter().filter_map(|h| h.scheme_id).collect(),
                    )?;
                    let lgd = |id: i64| opt(&places.get(&id).map(|p| p.lgd_code));
                    for h in &batch {
                        emit(vec![
                            lgd(h.gp_id),
                            h.connection_no.clone(),
                            lgd(h.village_id),
                            opt(&h.scheme_id.and_then(|s| codes.get(&s)).map(|s| &s.code)),
                            String::from(&h.head_name),
                            opt(&h.members),
                            h.category.clone(),
                            String::from(&opt(&h.exempt_reason)),
                            h.connected_on.to_string(),
                            h.status.clone(),
                            opt(&h.disconnected_on),
                            String::from(&opt(&h.status_reason)),
                            opt(&h.phone),
                            String::from(&opt(&h.notes)),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

fn import_page_data(ui: &Ui, actor: &Actor, villages: &[Place]) -> Value {
    let lang = ui.lang();
    json!({
        "columns": COLUMNS.join(", "),
        "sample": "connection_no,village,scheme_code,head_name,members,category,exempt_reason,connected_on,phone\n\
                   BN-001,2301010101,23010101-1,Ramesh Kumar,5,general,,2024-04-01,9876543210\n\
                   BN-002,Banapura,,Kamla Bai,2,exempt,widow,01-06-2024,",
        "own_gp": own_gp(&actor.scope).is_some(),
        "villages": villages.iter().map(|p| json!({"name": p.display_name(lang), "lgd_code": p.lgd_code})).collect::<Vec<_>>(),
        "report": null,
        "changes": [],
        "more_changes": 0,
        "csv": null,
    })
}

async fn own_villages(ui: &Ui, actor: &Actor) -> AppResult<Vec<Place>> {
    let scope = actor.scope;
    match own_gp(&scope) {
        Some(gp) => {
            ui.state
                .db
                .run(move |c| model::villages_in(c, &scope, Some(gp)))
                .await
        }
        None => Ok(vec![]),
    }
}

async fn import_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let villages = own_villages(&ui, &actor).await?;
    ui.render(
        "billing/household_import",
        "households-import-title",
        import_page_data(&ui, &actor, &villages),
    )
}

/// The upload (`file`, multipart) is checked and previewed; the preview's button sends the
/// text back (`csv`, with `confirm`) to import it.
async fn import_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let max = ui.state.config.server.max_body_bytes;
    let mut fields = crate::web::forms::read_any_form(&req, payload, max).await?;
    let confirm = fields.get("confirm").is_some_and(|v| !v.is_empty());
    // the preview sends the file back as base64, so no browser reflows its line breaks
    let data = match fields.remove("file").filter(|d| !d.is_empty()) {
        Some(d) => d,
        None => {
            use base64::Engine;
            let sent = fields.remove("csv").unwrap_or_default();
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(sent.trim_ascii())
                .map_err(|_| AppError::BadRequest("error-bad-upload".into()))?
        }
    };
    let (a2, ip) = (actor.clone(), client_ip(&req));
    let outcome = if confirm {
        ui.state
            .service(move |ctx| service::import_households(ctx, &a2, &ip, &data, false))
            .await?
    } else {
        // a preview only reads; it is checked again, in the write transaction, on confirm
        let text = data.clone();
        let o = ui
            .state
            .service(move |ctx| service::import_households(ctx, &a2, &ip, &data, true))
            .await?;
        let ok = o.report.errors.is_empty() && o.report.created + o.report.updated > 0;
        let villages = own_villages(&ui, &actor).await?;
        return render_outcome(&ui, &actor, &villages, &o, ok.then_some(text));
    };
    let villages = own_villages(&ui, &actor).await?;
    render_outcome(&ui, &actor, &villages, &outcome, None)
}

fn render_outcome(
    ui: &Ui,
    actor: &Actor,
    villages: &[Place],
    o: &Outcome,
    confirm_text: Option<Vec<u8>>,
) -> AppResult<HttpResponse> {
    let r = &o.report;
    let mut data = import_page_data(ui, actor, villages);
    data["report"] = json!({
        "rows": r.rows, "created": r.created, "updated": r.updated, "unchanged": r.unchanged,
        "dry_run": r.dry_run, "ok": r.errors.is_empty(),
        "errors": r.errors.iter().take(MAX_SHOWN).map(|e| json!({
            "line": e.line, "field": e.error.field,
            "message": ui.state.i18n.field_message(ui.lang(), &e.error),
        })).collect::<Vec<_>>(),
        "more_errors": r.errors.len().saturating_sub(MAX_SHOWN),
    });
    data["changes"] = o
        .changes
        .iter()
        .take(MAX_SHOWN)
        .map(|c| json!({"line": c.line, "connection_no": c.connection_no, "head_name": c.head_name, "new": c.new}))
        .collect();
    data["more_changes"] = json!(o.changes.len().saturating_sub(MAX_SHOWN));
    data["csv"] = json!(confirm_text.map(|t| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(t)
    }));
    let status = if r.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.render_status(
        status,
        "billing/household_import",
        "households-import-title",
        data,
    )
}
