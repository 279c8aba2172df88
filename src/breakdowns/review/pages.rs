//! The review page (list, figures, per GP, repeat failures), the engineer's actions on a
//! breakdown (technical visit, escalation level) and the monthly complaint register (page and
//! CSV).

use super::model::{figures, register_rows, FiguresCache, Names};
use super::{parse_month, stats, LevelInput, VisitInput};
use crate::auth::{Actor, Scope, Verb};
use crate::breakdowns::pages::figures_changed;
use crate::breakdowns::{service, Breakdown, BreakdownFilter, Sort};
use crate::db::schema::places;
use crate::error::{AppError, AppResult};
use crate::schemes::model::Whereabouts;
use crate::web::i18n::{format_date, format_datetime, format_money, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/breakdowns/review", web::get().to(review_page))
        .route("/breakdowns/register", web::get().to(register_page))
        .route("/breakdowns/{id:\\d+}/visit", web::post().to(visit_submit))
        .route("/breakdowns/{id:\\d+}/level", web::post().to(level_submit));
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct ReviewQuery {
    #[serde(flatten)]
    filter: BreakdownFilter,
    /// Only this block (for district officers and administrators).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    block: Option<i64>,
    /// YYYY-MM: the last month of the figures.
    #[serde(default)]
    month: Option<String>,
}

fn hours(h: Option<f64>) -> Value {
    h.map(|v| json!(format!("{v:.1}"))).unwrap_or(Value::Null)
}

fn row_json(
    b: &Breakdown,
    names: &Names,
    places: &HashMap<i64, Whereabouts>,
    lang: Lang,
    now: NaiveDateTime,
) -> Value {
    let sla = crate::breakdowns::pages::sla_json(b, now);
    let villages = crate::schemes::pages::where_json(places.get(&b.scheme_id), lang)["villages"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    json!({
        "villages": villages,
        "id": b.id, "number": b.number,
        "gp": names.place(b.gp_id, lang), "scheme": names.scheme(b.scheme_id, lang),
        "category_key": format!("breakdown-cat-{}", b.category),
        "status_key": format!("breakdown-status-{}", b.status),
        "supply_key": format!("breakdown-supply-{}", b.supply),
        "age_days": (now - b.created_at).num_days(),
        "open": sla["open"], "overdue": sla["overdue"], "sla": sla,
        "escalation_level": b.escalation_level,
        "visit_on": b.visit_on.map(format_date),
        "reported_at": format_datetime(b.created_at),
    })
}

/// Schemes of each supply list shown on the review page (the rest are counted).
const SUPPLY_SHOWN: usize = 20;

/// The review's supply lists of the last week.
fn supply_json(w: &crate::supply::service::Watch, lang: Lang) -> Value {
    let link = |s: &crate::schemes::Scheme| format!("/schemes/{}/supply", s.id);
    let name = |s: &crate::schemes::Scheme| {
        crate::web::i18n::name_in(lang, &s.name, s.name_hi.as_deref()).to_string()
    };
    json!({
        "from": format_date(w.from), "to": format_date(w.to),
        "not_logged": w.not_logged.iter().take(SUPPLY_SHOWN).map(|(s, last)| json!({
            "href": link(s), "name": name(s), "code": s.code,
            "last": last.map(format_date),
        })).collect::<Vec<_>>(),
        "not_logged_more": w.not_logged.len().saturating_sub(SUPPLY_SHOWN),
        "below": w.below.iter().take(SUPPLY_SHOWN).map(|(s, lpcd, norm)| json!({
            "href": link(s), "name": name(s), "code": s.code,
            "lpcd": lpcd.map(|v| format!("{v:.1}")), "norm": norm,
        })).collect::<Vec<_>>(),
        "below_more": w.below.len().saturating_sub(SUPPLY_SHOWN),
        "norm": w.below.first().map(|b| b.2),
        "empty": w.not_logged.is_empty() && w.below.is_empty(),
    })
}

async fn review_page(ui: Ui, actor: Actor, q: web::Query<ReviewQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ReviewBreakdowns)?;
    let q = q.into_inner();
    let now = ui.state.clock.now();
    let last = parse_month(q.month.as_deref(), now);
    let page = PageRequest::new(q.filter.page, ui.state.config.server.page_size);
    let (own_scope, f, block) = (actor.scope, q.filter.clone(), q.block);
    let state = ui.state.clone();
    let sees_supply = actor.can(Verb::ViewSupply);
    let (rows, total, figs, names, places, gps, blocks, supply) = ui
        .state
        .db
        .run(move |c| {
            let cache = &state.part::<FiguresCache>();
            let scope = match block {
                Some(b) => own_scope.narrowed_to(c, b)?,
                None => own_scope,
            };
            let (rows, total) = crate::breakdowns::model::list(c, &scope, &f, page, now)?;
            let ff = stats::FactFilter {
                gp: f.gp,
                scheme: f.scheme,
                category: f.category.clone().filter(|c| !c.is_empty()),
            };
            let key = format!("{scope:?}|{ff:?}|{last}");
            let figs = cache.get_or(key, now, || figures(c, &scope, &ff, last, now))?;
            let gps: Vec<crate::places::Place> = scope
                .filter_places(places::table.into_boxed())
                .filter(places::level.eq("gp"))
                .order(places::name.asc())
                .limit(1000)
                .select(crate::places::Place::as_select())
                .load(c)?;
            let mut place_ids: Vec<i64> = rows.iter().map(|b| b.gp_id).collect();
            place_ids.extend(figs.by_gp.iter().map(|g| g.gp_id));
            let mut scheme_ids: Vec<i64> = rows.iter().map(|b| b.scheme_id).collect();
            scheme_ids.extend(figs.schemes_down.iter().take(20).map(|s| s.scheme_id));
            scheme_ids.extend(figs.repeat_assets.iter().take(20).map(|r| r.scheme_id));
            scheme_ids.extend(figs.repeat_schemes.iter().take(20).map(|r| r.id));
            let asset_ids: Vec<i64> = figs.repeat_assets.iter().take(20).map(|r| r.id).collect();
            place_ids.sort_unstable();
            place_ids.dedup();
            scheme_ids.sort_unstable();
            scheme_ids.dedup();
            let names = Names::load(c, &place_ids, &scheme_ids, &asset_ids)?;
            // the villages each row's scheme serves
            let row_schemes: Vec<i64> = rows.iter().map(|b| b.scheme_id).collect();
            let places = crate::schemes::model::whereabouts_of(c, &row_schemes)?;
            // officers and administrators may look at one block at a time
            let blocks: Vec<crate::places::Place> = match own_scope {
                Scope::Place {
                    level: crate::places::Level::Block | crate::places::Level::Gp,
                    ..
                } => vec![],
                _ => own_scope
                    .filter_places(places::table.into_boxed())
                    .filter(places::level.eq("block"))
                    .order(places::name.asc())
                    .limit(1000)
                    .select(crate::places::Place::as_select())
                    .load(c)?,
            };
            // the supply of the last week: schemes without a log, and below the lpcd norm
            let supply = if sees_supply {
                let mut w = crate::supply::service::watch(c, &state.config, &scope, f.gp, now)?;
                crate::supply::service::last_logged_of(c, &mut w, SUPPLY_SHOWN)?;
                Some(w)
            } else {
                None
            };
            Ok((rows, total, figs, names, places, gps, blocks, supply))
        })
        .await?;
    let lang = ui.lang();
    let f = &q.filter;
    let qs = query_string(&[
        ("status", f.status.clone()),
        ("gp", f.gp.map(|s| s.to_string())),
        ("scheme", f.scheme.map(|s| s.to_string())),
        ("category", f.category.clone()),
        ("escalated", f.escalated.map(|e| e.to_string())),
        ("age", f.age.clone()),
        ("sort", f.sort.clone()),
        ("month", q.month.clone()),
        ("block", q.block.map(|b| b.to_string())),
    ]);
    ui.render("breakdowns/review", "review-title", json!({
        "csv_url": ui.with_query("/breakdowns.csv"),
        "rows": rows.iter().map(|b| row_json(b, &names, &places, lang, now)).collect::<Vec<_>>(),
        "total": total,
        "filter": f,
        "month": last.format("%Y-%m").to_string(),
        "statuses": crate::breakdowns::pages::status_options(),
        "categories": ui.state.config.breakdowns.categories.iter().map(|c| json!({"value": c, "label": format!("breakdown-cat-{c}")})).collect::<Vec<_>>(),
        "ages": crate::breakdowns::AGE_BUCKETS.iter().map(|(c, _, _)| json!({"value": c, "label": format!("review-age-{}", c.replace('+', "plus"))})).collect::<Vec<_>>(),
        "sorts": Sort::ALL.iter().map(|s| json!({"value": s.as_str(), "label": s.label_key()})).collect::<Vec<_>>(),
        "gps": gps.iter().map(|g| json!({"id": g.id, "name": g.display_name(lang)})).collect::<Vec<_>>(),
        "blocks": blocks.iter().map(|b| json!({"id": b.id, "name": b.display_name(lang)})).collect::<Vec<_>>(),
        "block": q.block,
        "figures": {
            "from_month": figs.from_month, "to_month": figs.to_month, "schemes": figs.schemes,
            "repair_count": figs.repair.count, "median": hours(figs.repair.median_hours), "p90": hours(figs.repair.p90_hours),
            "last_90": {
                "uptime": format!("{:.1}", figs.last_90_days.uptime_percent),
                "median": hours(figs.last_90_days.repair.median_hours),
                "count": figs.last_90_days.repair.count,
            },
            "uptime": format!("{:.2}", figs.uptime_percent),
        },
        "by_gp": figs.by_gp.iter().map(|g| json!({
            "id": g.gp_id, "name": names.place(g.gp_id, lang), "open": g.open, "overdue": g.overdue,
            "escalated": g.escalated, "reported": g.reported, "resolved": g.repair.count,
            "median": hours(g.repair.median_hours), "p90": hours(g.repair.p90_hours),
        })).collect::<Vec<_>>(),
        "by_month": figs.by_month.iter().map(|m| json!({
            "month": m.month, "reported": m.reported, "resolved": m.repair.count,
            "median": hours(m.repair.median_hours), "p90": hours(m.repair.p90_hours),
            "downtime": format!("{:.1}", m.downtime_days), "uptime": format!("{:.2}", m.uptime_percent),
        })).collect::<Vec<_>>(),
        "schemes_down": figs.schemes_down.iter().take(20).map(|s| json!({
            "id": s.scheme_id, "name": names.scheme(s.scheme_id, lang),
            "downtime": format!("{:.1}", s.downtime_days), "uptime": format!("{:.2}", s.uptime_percent),
        })).collect::<Vec<_>>(),
        "schemes_down_more": figs.schemes_down.len().saturating_sub(20),
        "repeat_more": figs.repeat_assets.len().saturating_sub(20) + figs.repeat_schemes.len().saturating_sub(20),
        "repeat_assets": figs.repeat_assets.iter().take(20).map(|r| json!({
            "id": r.id, "name": names.asset(r.id, lang),
            "scheme_id": r.scheme_id, "scheme": names.scheme(r.scheme_id, lang), "count": r.breakdowns,
        })).collect::<Vec<_>>(),
        "repeat_schemes": figs.repeat_schemes.iter().take(20).map(|r| json!({
            "id": r.id, "name": names.scheme(r.id, lang), "count": r.breakdowns,
        })).collect::<Vec<_>>(),
        "pager": Pager::new(page, total, "/breakdowns/review", &qs),
        "supply": supply.as_ref().map(|w| supply_json(w, lang)),
    }))
}

async fn action_result(
    ui: Ui,
    actor: Actor,
    id: i64,
    result: AppResult<Breakdown>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(_) => Ok(redirect_flash(
            &format!("/breakdowns/{id}"),
            "flash-breakdown-updated",
        )),
        Err(AppError::Validation(e)) => {
            let data = crate::breakdowns::pages::detail_data(&ui, &actor, id).await?;
            ui.render_invalid("breakdowns/detail", "breakdown-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn visit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<VisitInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let input = form.into_inner();
    actor.require(Verb::ReviewBreakdowns)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = ui
        .state
        .service(move |ctx| service::request_visit(ctx, &a, &ip, id, &input.visit_on, &input.note))
        .await;
    figures_changed(&ui.state, &r);
    action_result(ui, actor, id, r).await
}

async fn level_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<LevelInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let input = form.into_inner();
    actor.require(Verb::ReviewBreakdowns)?;
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = ui
        .state
        .service(move |ctx| service::set_level(ctx, &a, &ip, id, &input.level, &input.note))
        .await;
    figures_changed(&ui.state, &r);
    action_result(ui, actor, id, r).await
}

#[derive(Debug, Default, Deserialize)]
struct RegisterQuery {
    /// YYYY-MM (default: this month).
    #[serde(default)]
    month: Option<String>,
    /// Only this GP (inside the scope).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    gp: Option<i64>,
    /// "csv" for a spreadsheet.
    #[serde(default)]
    format: Option<String>,
}

async fn register_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let q = q.into_inner();
    let now = ui.state.clock.now();
    let month = parse_month(q.month.as_deref(), now);
    let (scope, gp) = (actor.scope, q.gp);
    let (rows, names) = ui
        .state
        .db
        .run(move |c| {
            let rows = register_rows(c, &scope, gp, month)?;
            let mut place_ids: Vec<i64> = rows.iter().map(|b| b.gp_id).collect();
            place_ids.extend(rows.iter().filter_map(|b| b.village_id));
            place_ids.sort_unstable();
            place_ids.dedup();
            let mut scheme_ids: Vec<i64> = rows.iter().map(|b| b.scheme_id).collect();
            scheme_ids.sort_unstable();
            scheme_ids.dedup();
            let names = Names::load(c, &place_ids, &scheme_ids, &[])?;
            Ok((rows, names))
        })
        .await?;
    let lang = ui.lang();
    let repair = |b: &Breakdown| {
        b.resolved_at
            .map(|r| format!("{:.1}", (r - b.created_at).num_minutes() as f64 / 60.0))
    };
    if q.format.as_deref() == Some("csv") {
        let header = [
            "number",
            "reported_at",
            "gp",
            "scheme",
            "village",
            "source",
            "reporter",
            "phone",
            "category",
            "supply",
            "description",
            "status",
            "escalation_level",
            "resolved_at",
            "repair_hours",
            "resolution",
            "cost_rupees",
        ];
        let mut out = Vec::with_capacity(rows.len());
        for b in &rows {
            out.push(vec![
                b.number.clone(),
                format_datetime(b.created_at),
                names.place(b.gp_id, lang),
                names.scheme(b.scheme_id, lang),
                b.village_id
                    .map(|v| names.place(v, lang))
                    .unwrap_or_default(),
                b.source.clone(),
                b.reporter_name.clone(),
                b.reporter_phone.clone().unwrap_or_default(),
                b.category.clone(),
                b.supply.clone(),
                b.description.clone(),
                b.status.clone(),
                b.escalation_level.to_string(),
                b.resolved_at.map(format_datetime).unwrap_or_default(),
                repair(b).unwrap_or_default(),
                b.resolution.clone().unwrap_or_default(),
                b.cost_paise
                    .map(|p| format!("{}.{:02}", p / 100, p % 100))
                    .unwrap_or_default(),
            ]);
        }
        return crate::web::csv::response(
            &format!("complaints-{}.csv", month.format("%Y-%m")),
            &header,
            out,
        );
    }
    let prev = month
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(month);
    let next = stats::next_month(month);
    let gp_qs = q.gp.map(|g| format!("&gp={g}")).unwrap_or_default();
    ui.render(
        "breakdowns/register",
        "complaint-register-title",
        json!({
            "month": month.format("%Y-%m").to_string(),
            "month_label": month.format("%m-%Y").to_string(),
            "prev": prev.format("%Y-%m").to_string(),
            "next": next.format("%Y-%m").to_string(),
            "gp_qs": gp_qs,
            "rows": rows.iter().map(|b| json!({
                "id": b.id, "number": b.number, "reported_at": format_datetime(b.created_at),
                "gp": names.place(b.gp_id, lang), "scheme": names.scheme(b.scheme_id, lang),
                "village": b.village_id.map(|v| names.place(v, lang)),
                "reporter": b.reporter_name, "phone": b.reporter_phone,
                "category_key": format!("breakdown-cat-{}", b.category),
                "supply_key": format!("breakdown-supply-{}", b.supply),
                "status_key": format!("breakdown-status-{}", b.status),
                "resolved_at": b.resolved_at.map(format_datetime), "repair_hours": repair(b),
                "cost": b.cost_paise.map(format_money),
            })).collect::<Vec<_>>(),
            "count": rows.len(),
            "printed_on": format_date(crate::web::i18n::today_in_india(now)),
        }),
    )
}
