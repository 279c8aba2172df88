//! Scheme pages (list and its CSV, detail, create, edit, status, printable card, lifecycle
//! and its CSV, the CSV import) and the import pages' parts the asset pages share.

use super::assets::{self, Asset, AssetFilter, AssetStatusFilter};
use super::catalogue::{label_of, options, Catalogue};
use super::model::{self, Scheme, SchemeFilter, StatusChange};
use super::{lifecycle, service, ImportKind, SchemeInput, SchemeStatus, StatusInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::places::{self, Place};
use crate::web::csv::{self as csvw, ImportReport};
use crate::web::i18n::{format_date, format_money, today_in_india, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/schemes", web::get().to(list_page))
        .route("/schemes", web::post().to(create_submit))
        .route("/schemes.csv", web::get().to(export_csv))
        .route("/schemes/new", web::get().to(new_page))
        .route("/schemes/import", web::get().to(import_page))
        .route("/schemes/import", web::post().to(import_submit))
        .route("/schemes/{id:\\d+}", web::get().to(detail_page))
        .route("/schemes/{id:\\d+}", web::post().to(edit_submit))
        .route("/schemes/{id:\\d+}/edit", web::get().to(edit_page))
        .route("/schemes/{id:\\d+}/status", web::post().to(status_submit))
        .route("/schemes/{id:\\d+}/card", web::get().to(card_page))
        .route("/places/{id:\\d+}/lifecycle", web::get().to(lifecycle_page))
        .route(
            "/places/{id:\\d+}/lifecycle.csv",
            web::get().to(lifecycle_csv),
        );
}

/// A scheme as pages show it, with its `open_outages` (from [`model::open_outages`]): `status`
/// is how it works now ([`super::functioning_of`]), `hand_set` what the operator set.
pub fn scheme_json(state: &AppState, s: &Scheme, lang: Lang, open_outages: i64) -> Value {
    let cat = state.part::<Catalogue>();
    let now = s.functioning(open_outages);
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
        "status": now.as_str(), "status_key": now.label_key(),
        "hand_set": s.status, "hand_set_key": s.status().label_key(),
        "overridden": now != s.status(), "open_outages": open_outages,
        "notes": s.notes,
    })
}

/// Whether the actor's lists span several GPs (their rows then name GP, villages and scheme
/// with `partials/where.hbs`).
pub fn spans_gps(actor: &Actor) -> bool {
    !matches!(
        actor.scope,
        crate::auth::Scope::Place {
            level: places::Level::Gp | places::Level::Village,
            ..
        }
    )
}

/// A row's `where` for `partials/where.hbs`: "scheme · villages · GP" in the reader's language.
pub fn where_json(w: Option<&model::Whereabouts>, lang: Lang) -> Value {
    let Some(w) = w else { return Value::Null };
    let name = |n: &(String, Option<String>)| {
        crate::web::i18n::name_in(lang, &n.0, n.1.as_deref()).to_string()
    };
    json!({
        "scheme": name(&w.scheme),
        "gp": name(&w.gp),
        "villages": w.villages.iter().map(name).collect::<Vec<_>>().join(", "),
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
            let (rows, total) = model::list(c, &scope, &f2, page)?;
            // The GPs to filter by: those in the actor's area (none to choose for a GP's own people).
            let choices = match scope {
                crate::auth::Scope::Place {
                    level: places::Level::Gp,
                    ..
                } => vec![],
                _ => {
                    let f = places::PlaceFilter {
                        level: Some(places::Level::Gp.as_str().into()),
                        ..Default::default()
                    };
                    places::model::list(c, &scope, &f, PageRequest::new(Some(1), 500))?.0
                }
            };
            let gp_ids: Vec<i64> = rows.iter().map(|s| s.gp_id).collect();
            let gps = model::places_by_ids(c, gp_ids)?;
            let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
            let outages = model::open_outages(c, &ids)?;
            Ok((rows, total, (gps, outages), choices))
        })
        .await?;
    let lang = ui.lang();
    let (gps, outages) = gps;
    let rows: Vec<Value> = rows
        .iter()
        .map(|s| {
            let open = outages.get(&s.id).copied().unwrap_or(0);
            let mut v = scheme_json(&ui.state, s, lang, open);
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
            "rows": rows, "filter": f, "statuses": SchemeStatus::options(),
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
    let own = ui.state.db.run(move |c| model::own_gp_lgd(c, &a2)).await?;
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

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<SchemeInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let input = form.into_inner();
    let (ip, i2) = (client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, cat: &Catalogue| service::create_scheme(ctx, cat, &actor, &ip, i2))
        .await
    {
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
            let s = model::find_in_scope(c, &scope, id)?;
            model::input_of(c, &s)
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
    let (ip, i2) = (client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, cat: &Catalogue| {
            service::update_scheme(ctx, cat, &actor, &ip, id, i2)
        })
        .await
    {
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
    history: Vec<StatusChange>,
    assets: Vec<Asset>,
    /// A water-quality reading out of range in the last 30 days, if any.
    quality_alert: Option<crate::maintenance::Log>,
    /// The open breakdowns that stopped its supply: (id, number).
    outages: Vec<(i64, String)>,
    summary: service::SchemeSummary,
}

async fn load_view(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
    all_assets: bool,
) -> AppResult<SchemeView> {
    let scope = actor.scope;
    let now = state.clock.now();
    let config = state.config.clone();
    let (view, keep) = state
        .db
        .run(move |c| {
            let scheme = model::find_in_scope(c, &scope, id)?;
            let gp = places::model::find(c, scheme.gp_id)?;
            let (summary, keep) = service::summary_kept_in(c, &scope, &config, &scheme, &gp, now)?;
            let ancestry = places::model::ancestry(c, &gp)?;
            let villages = model::villages_of(c, id)?;
            let history = model::history_of(c, id)?;
            let which = if all_assets {
                AssetStatusFilter::All
            } else {
                AssetStatusFilter::InService
            };
            let f = AssetFilter {
                scheme: Some(id),
                status: Some(which.as_str().into()),
                ..Default::default()
            };
            let (assets, _) = assets::model::list(c, &scope, &f, PageRequest::new(Some(1), 500))?;
            let since = today_in_india(now) - chrono::Duration::days(30);
            let quality_alert = crate::maintenance::latest_quality_alert(c, id, since)?;
            let outages = model::open_outage_rows(c, id)?;
            let view = SchemeView {
                summary,
                outages,
                scheme,
                gp,
                ancestry,
                villages,
                history,
                assets,
                quality_alert,
            };
            Ok((view, keep))
        })
        .await?;
    // figures computed here are kept for the next reader (a short write after the read)
    if let Some(k) = keep {
        state.db.write(move |c| service::keep(c, &k)).await?;
    }
    Ok(view)
}

fn assets_json(ui: &Ui, list: &[Asset]) -> Vec<Value> {
    let today = today_in_india(ui.state.clock.now());
    list.iter()
        .map(|a| assets::pages::asset_json(&ui.state, a, ui.lang(), today))
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
        .map(|h| json!({"status_key": h.status().label_key(), "reason": ui.state.i18n.system_text(lang, &h.reason), "by": h.changed_by_name, "at": h.changed_at}))
        .collect();
    Ok(json!({
        "scheme": scheme_json(&ui.state, &v.scheme, lang, v.outages.len() as i64),
        "outages": v.outages.iter().map(|(id, number)| json!({"id": id, "number": number})).collect::<Vec<_>>(),
        "gp": {"id": v.gp.id, "name": v.gp.display_name(lang)},
        "ancestry": v.ancestry.iter().map(|p| json!({"id": p.id, "name": p.display_name(lang)})).collect::<Vec<_>>(),
        "villages": v.villages.iter().map(|p| json!({"id": p.id, "name": p.display_name(lang), "lgd_code": p.lgd_code, "other_gp": p.gp_id != Some(v.gp.id)})).collect::<Vec<_>>(),
        "history": history,
        "assets": assets_json(ui, &in_service),
        "ended_assets": assets_json(ui, &ended),
        "statuses": SchemeStatus::options(),
        "can_manage": actor.can(Verb::ManageSchemes),
        "quality_alert": v.quality_alert.as_ref().map(|l| json!({"title": work_title(&l.title, l.asset_id, &v.assets, lang), "done_on": format_date(l.done_on)})),
        "health": summary_json(&v.summary, actor, &v.assets, lang),
    }))
}

/// A share in percent as the pages print it (one decimal).
fn percent_text(p: Option<f64>) -> Option<String> {
    p.map(|v| format!("{v:.1}"))
}

/// The health card's blocks as the page and the printed card show them, each with the link
/// to its full page filtered to this scheme.
/// A work log's title ("<work> — <asset>") with the asset's part in the reader's language.
fn work_title(title: &str, asset_id: Option<i64>, assets: &[Asset], lang: Lang) -> String {
    match asset_id.and_then(|id| assets.iter().find(|a| a.id == id)) {
        Some(a) => assets::title_with_asset_name(title, &a.name, a.name_hi.as_deref(), lang),
        None => title.to_string(),
    }
}

fn summary_json(s: &service::SchemeSummary, actor: &Actor, assets: &[Asset], lang: Lang) -> Value {
    let id = s.scheme_id;
    let period = |p: &service::SummaryPeriod| {
        json!({
            "uptime": format!("{:.1}", p.uptime_percent),
            "repair_median": p.repair_median_hours.map(|h| format!("{h:.1}")),
            "resolved": p.resolved,
        })
    };
    let money = |m: &service::SummaryMoney| {
        json!({
            "demand": format_money(m.demand_paise),
            "collected": format_money(m.collected_paise),
            "percent": percent_text(m.percent),
        })
    };
    let b = &s.breakdowns;
    let m = &s.maintenance;
    let a = &s.assets;
    json!({
        "status": {
            "status": s.status.status.as_str(), "status_key": s.status.status.label_key(),
            "hand_set_key": s.status.hand_set.label_key(),
            "overridden": s.status.status != s.status.hand_set,
        },
        "breakdowns": {
            "open": b.open, "overdue": b.overdue, "escalated": b.escalated,
            "more": b.open > b.oldest.len() as i64,
            "rows": b.oldest.iter().map(|r| json!({
                "id": r.id, "number": r.number,
                "status_key": format!("breakdown-status-{}", r.status),
                "supply_key": format!("breakdown-supply-{}", r.supply),
                "stopped": r.supply == crate::breakdowns::Supply::Stopped.as_str(),
                "age_days": r.age_days,
                "due": crate::web::i18n::format_datetime(r.resolve_due_at),
                "overdue": r.overdue,
            })).collect::<Vec<_>>(),
            "link": format!("/breakdowns?scheme={id}"),
        },
        "uptime": {
            "d90": period(&s.uptime.last_90_days),
            "m12": period(&s.uptime.last_12_months),
            "link": actor.can(Verb::ReviewBreakdowns).then(|| format!("/breakdowns/review?scheme={id}")),
        },
        "maintenance": {
            "due": m.due, "overdue": m.overdue,
            "compliance": m.compliance_3m.percent, "on_time": m.compliance_3m.on_time,
            "due_3m": m.compliance_3m.due,
            "last_work": m.last_work.as_ref().map(|w| json!({"title": work_title(&w.title, w.asset_id, assets, lang), "done_on": format_date(w.done_on)})),
            "link": format!("/schemes/{id}/maintenance"),
        },
        "assets": {
            "nearing": a.nearing_end.iter().map(|x| json!({
                "id": x.id, "name": crate::web::i18n::name_in(lang, &x.name, x.name_hi.as_deref()), "overdue": x.overdue,
                "end_of_life_on": x.end_of_life_on.map(format_date),
            })).collect::<Vec<_>>(),
            "months": a.within_months,
            "design_end_on": a.design_end_on.map(format_date),
            "budget": format_money(a.renewal_budget_paise),
            "renewals": a.renewals,
            "without_cost": a.renewals_without_cost,
            "link": format!("/places/{}/lifecycle?months={}&scheme={id}", s.gp_id, a.within_months),
        },
        "billing": {
            "households": s.billing.households,
            "month": money(&s.billing.this_month),
            "year": money(&s.billing.last_12_months),
            "arrears": format_money(s.billing.arrears_paise),
            "link": format!("/households?scheme={id}"),
        },
        "costs": {
            "month": format_money(s.costs.this_month_paise),
            "year": format_money(s.costs.last_12_months_paise),
            "entries": s.costs.entries_12_months,
            "link": format!("/cashbook?gp={}&month={}&scheme={id}", s.gp_id, s.billing.month),
        },
        "supply": {
            "lpcd": s.supply.lpcd.map(|v| format!("{v:.0}")),
            "norm": s.supply.lpcd_norm,
            "regularity": percent_text(s.supply.regularity_percent),
            "days_logged": s.supply.days_logged,
            "days_without": s.supply.days_without_supply,
            "functionality_key": s.supply.functionality.label_key(),
            "link": format!("/schemes/{id}/supply/month?month={}", s.supply.month),
        },
        "water_quality": {
            "last": s.water_quality.last.as_ref().map(|t| json!({
                "date": format_date(t.tested_on),
                "kind_key": format!("wq-test-kind-{}", t.kind),
                "class_key": format!("wq-class-{}", t.class),
                "class": t.class,
                "link": format!("/water-quality/samples/{}", t.sample_id),
            })),
            "failed": s.water_quality.failed_12_months,
            "link": format!("/schemes/{id}/sampling-points"),
        },
    })
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
    let (a2, ip, input) = (actor.clone(), client_ip(&req), form.into_inner());
    match ui
        .state
        .service(move |ctx| service::change_scheme_status(ctx, &a2, &ip, id, input))
        .await
    {
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

/// The one-page card for the panchayat notice board.
async fn card_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let v = load_view(&ui.state, &actor, path.into_inner(), false).await?;
    let lang = ui.lang();
    let printed = today_in_india(ui.state.clock.now());
    // the scheme's public page (its complaint form and water notice), to share on WhatsApp
    let complaint_url = crate::breakdowns::public::complaint_url(&ui.state.config, &v.scheme.code);
    let share_text = format!(
        "{} {complaint_url}",
        ui.t_args(
            "scheme-card-share-text",
            &[("scheme", v.scheme.display_name(lang).to_string())]
        )
    );
    ui.render("schemes/card", "scheme-card-title", json!({
        "scheme": scheme_json(&ui.state, &v.scheme, lang, v.outages.len() as i64),
        "gp": v.gp.display_name(lang),
        "ancestry": v.ancestry.iter().map(|p| p.display_name(lang).to_string()).collect::<Vec<_>>(),
        "villages": v.villages.iter().map(|p| p.display_name(lang).to_string()).collect::<Vec<_>>(),
        "assets": assets_json(&ui, &v.assets),
        "printed_on": format_date(printed),
        "health": summary_json(&v.summary, &actor, &v.assets, lang),
        "complaint_url": complaint_url,
        "share": json!({"link": complaint_url, "whatsapp": crate::web::render::whatsapp_url(&share_text)}),
    }))
}

#[derive(Debug, Deserialize)]
struct LifecycleQuery {
    months: Option<i64>,
    /// Only this scheme's assets (the scheme page links here).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    scheme: Option<i64>,
}

/// The window (months), today, the place (in scope, else not found) and what ends its life
/// under it: the page and its export.
async fn lifecycle_of(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    months: Option<i64>,
    scheme: Option<i64>,
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
            let r = lifecycle::report(c, &place, today, months, scheme)?;
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
        lifecycle_of(&ui, &actor, path.into_inner(), q.months, q.scheme).await?;
    let lang = ui.lang();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let overdue = |d: Option<NaiveDate>| d.map(|d| (d < today).to_string()).unwrap_or_default();
    let mut rows = vec![];
    for (a, s) in &report.assets {
        rows.push(vec![
            "asset".to_string(),
            a.id.to_string(),
            String::from(&a.name),
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
            String::from(s.display_name(lang)),
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
        lifecycle_of(&ui, &actor, path.into_inner(), q.months, q.scheme).await?;
    let lang = ui.lang();
    let rows: Vec<Value> = report
        .assets
        .iter()
        .map(|(a, s)| {
            let mut v = assets::pages::asset_json(&ui.state, a, lang, today);
            v["scheme"] = json!({"id": s.id, "name": s.display_name(lang), "code": s.code});
            v
        })
        .collect();
    ui.render("schemes/lifecycle", "lifecycle-title", json!({
        "place": {"id": place.id, "name": place.display_name(lang), "level_key": place.level().label_key()},
        "csv_url": format!("/places/{}/lifecycle.csv?months={months}{}", place.id, q.scheme.map(|s| format!("&scheme={s}")).unwrap_or_default()),
        "scheme": q.scheme,
        "months": months,
        "windows": lifecycle::WINDOWS.iter().map(|m| json!({"months": m, "active": *m == months})).collect::<Vec<_>>(),
        "until": format_date(report.until),
        "assets": rows,
        // (the page shows no status, so the outages are not read)
        "schemes": report.schemes.iter().map(|s| scheme_json(&ui.state, s, lang, 0)).collect::<Vec<_>>(),
        "budget": format_money(report.budget_paise),
        "without_cost": report.without_cost,
    }))
}

// ---- CSV export and import ----

/// The rows an export reads at a time.
pub(crate) const BATCH: i64 = 1000;

/// The import page of one kind, with the report of the last upload when there is one.
pub(crate) fn import_page_data(what: ImportKind) -> Value {
    let (action, sample) = match what {
        ImportKind::Schemes => ("/schemes/import", "gp_lgd_code,name,kind,source_kind,commissioned_on,villages\n23010101,Banapura PWS,pws,borewell,2019-04-01,2301010101 2301010102"),
        ImportKind::Assets => ("/assets/import", "scheme_code,kind,name,installed_on,capacity\n23010101-1,pump,Pump 2,2022-06-15,7.5"),
    };
    json!({"action": action, "columns": what.columns().join(", "), "sample": sample, "report": null, "what": what.as_str()})
}

pub(crate) fn render_import_page(
    ui: &Ui,
    actor: &Actor,
    what: ImportKind,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    ui.render("schemes/import", &what.title_key(), import_page_data(what))
}

async fn import_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    render_import_page(&ui, &actor, ImportKind::Schemes)
}

fn report_json(ui: &Ui, r: &ImportReport) -> Value {
    json!({
        "rows": r.rows, "created": r.created, "updated": r.updated, "unchanged": r.unchanged, "dry_run": r.dry_run,
        "ok": r.errors.is_empty(),
        "errors": r.errors.iter().map(|e| json!({
            "line": e.line, "field": e.error.field,
            "message": ui.state.i18n.field_message(ui.lang(), &e.error),
        })).collect::<Vec<_>>(),
    })
}

/// An import use case: the context, the catalogue, the actor, their address, the file, dry run.
pub(crate) type Importer =
    fn(&crate::context::Ctx, &Catalogue, &Actor, &str, &[u8], bool) -> AppResult<ImportReport>;

/// Read the upload, run `importer` (one write transaction), then show the report.
pub(crate) async fn run_import(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: Multipart,
    what: ImportKind,
    importer: Importer,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let fields = csvw::read_upload(payload, ui.state.config.server.max_body_bytes).await?;
    let dry_run = fields.get("dry_run").is_some_and(|v| !v.is_empty());
    let data = fields.get("file").cloned().unwrap_or_default();
    let ip = client_ip(&req);
    let r = ui
        .state
        .service_with(move |ctx, cat: &Catalogue| importer(ctx, cat, &actor, &ip, &data, dry_run))
        .await?;
    let mut data = import_page_data(what);
    data["report"] = report_json(&ui, &r);
    let status = if r.errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.render_status(status, "schemes/import", &what.title_key(), data)
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
        ImportKind::Schemes,
        service::import_schemes,
    )
    .await
}

pub(crate) fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// Schemes with the same filters, as CSV, in the import's columns.
async fn export_csv(ui: Ui, actor: Actor, q: web::Query<SchemeFilter>) -> AppResult<HttpResponse> {
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
                let gp_ids: Vec<i64> = batch.iter().map(|s| s.gp_id).collect();
                let gps = model::lgd_codes_of(c, gp_ids)?;
                let ids: Vec<i64> = batch.iter().map(|s| s.id).collect();
                let villages_by_scheme = model::village_codes_of(c, &ids)?;
                for s in batch {
                    let villages = villages_by_scheme.get(&s.id).cloned().unwrap_or_default();
                    let gp_lgd = gps
                        .iter()
                        .find(|(id, _)| *id == s.gp_id)
                        .map(|(_, l)| *l)
                        .unwrap_or_default();
                    out.push(vec![
                        s.code.clone(),
                        gp_lgd.to_string(),
                        s.name.clone(),
                        opt(&s.name_hi),
                        opt(&s.imis_id),
                        s.kind.clone(),
                        opt(&s.source_kind),
                        opt(&s.commissioned_on),
                        s.design_period_years.to_string(),
                        opt(&s.design_population),
                        opt(&s.planned_connections),
                        opt(&s.operator_name),
                        opt(&s.operator_phone),
                        villages
                            .iter()
                            .map(|code| code.to_string())
                            .collect::<Vec<_>>()
                            .join(" "),
                        s.status.clone(),
                        opt(&s.notes),
                    ]);
                }
            }
            Ok(out)
        })
        .await?;
    csvw::response("schemes.csv", ImportKind::Schemes.columns(), rows)
}
