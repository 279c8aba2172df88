//! The block engineer's review of breakdowns (the same page serves district officers and the
//! administrator, each within their scope): filters, counts per GP, repeat failures, repair
//! times and uptime; technical visits and escalation level. Also the GP's monthly complaint
//! register (printable, CSV) and the figures API.

use super::stats::{self, Figures};
use super::{Breakdown, BreakdownFilter};
use crate::audit;
use crate::auth::{Actor, Scope, Verb};
use crate::db::schema::{assets, places, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::web::i18n::{format_date, format_datetime, format_money, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/breakdowns/review", web::get().to(review_page))
        .route("/breakdowns/register", web::get().to(register_page))
        .route("/breakdowns/{id}/visit", web::post().to(visit_submit))
        .route("/breakdowns/{id}/level", web::post().to(level_submit))
        .route("/api/v1/breakdowns/figures", web::get().to(api_figures));
}

const SORTS: [&str; 4] = ["oldest", "newest", "due", "gp"];

/// Months shown by the review page and the figures API.
const MONTHS: u32 = 12;

/// `YYYY-MM` as the first of that month; empty or bad: the current Indian month.
fn parse_month(raw: Option<&str>, now: NaiveDateTime) -> NaiveDate {
    raw.and_then(|m| NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").ok())
        .unwrap_or_else(|| stats::month_of(now))
}

/// Names of places, schemes and assets by id, loaded in one query each.
#[derive(Default)]
struct Names {
    places: HashMap<i64, (String, Option<String>)>,
    schemes: HashMap<i64, (String, Option<String>)>,
    assets: HashMap<i64, String>,
}

impl Names {
    fn load(
        conn: &mut DbConn,
        place_ids: &[i64],
        scheme_ids: &[i64],
        asset_ids: &[i64],
    ) -> AppResult<Names> {
        let mut n = Names::default();
        for chunk in place_ids.chunks(500) {
            let rows: Vec<(i64, String, Option<String>)> = places::table
                .filter(places::id.eq_any(chunk))
                .select((places::id, places::name, places::name_hi))
                .load(conn)?;
            n.places
                .extend(rows.into_iter().map(|(id, a, b)| (id, (a, b))));
        }
        for chunk in scheme_ids.chunks(500) {
            let rows: Vec<(i64, String, Option<String>)> = schemes::table
                .filter(schemes::id.eq_any(chunk))
                .select((schemes::id, schemes::name, schemes::name_hi))
                .load(conn)?;
            n.schemes
                .extend(rows.into_iter().map(|(id, a, b)| (id, (a, b))));
        }
        for chunk in asset_ids.chunks(500) {
            let rows: Vec<(i64, String)> = assets::table
                .filter(assets::id.eq_any(chunk))
                .select((assets::id, assets::name))
                .load(conn)?;
            n.assets.extend(rows);
        }
        Ok(n)
    }

    fn pick(m: &HashMap<i64, (String, Option<String>)>, id: i64, lang: Lang) -> String {
        match (m.get(&id), lang) {
            (Some((_, Some(hi))), Lang::Hi) if !hi.is_empty() => hi.clone(),
            (Some((en, _)), _) => en.clone(),
            (None, _) => id.to_string(),
        }
    }

    fn place(&self, id: i64, lang: Lang) -> String {
        Self::pick(&self.places, id, lang)
    }

    fn scheme(&self, id: i64, lang: Lang) -> String {
        Self::pick(&self.schemes, id, lang)
    }
}

/// Schemes in service within the scope (and the GP / scheme filter): uptime's denominator.
fn schemes_in_service(
    conn: &mut DbConn,
    scope: &Scope,
    gp: Option<i64>,
    scheme: Option<i64>,
) -> AppResult<usize> {
    let mut q = schemes::table
        .into_boxed()
        .filter(crate::in_scope!(scope, schemes::table, schemes::gp_id))
        .filter(schemes::status.ne("decommissioned"));
    if let Some(g) = gp {
        q = q.filter(schemes::gp_id.eq(g));
    }
    if let Some(s) = scheme {
        q = q.filter(schemes::id.eq(s));
    }
    let n: i64 = q.count().get_result(conn)?;
    Ok(n as usize)
}

/// Figures cost a pass over every breakdown of a block (tens of thousands) and change only
/// when a breakdown does, or as time passes: they are kept until the clock's minute turns or
/// this server changes a breakdown ([`FiguresCache::changed`]). A change made by another
/// process (`paani breakdowns escalate`) shows within the minute.
#[derive(Default)]
pub struct FiguresCache {
    version: std::sync::atomic::AtomicU64,
    entries: std::sync::Mutex<HashMap<String, std::sync::Arc<Figures>>>,
}

impl FiguresCache {
    /// Say that breakdowns changed: every kept figure is dropped.
    pub fn changed(&self) {
        self.version
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The figures for `key` at this minute, computed by `compute` when not kept.
    fn get_or(
        &self,
        key: String,
        now: NaiveDateTime,
        compute: impl FnOnce() -> AppResult<Figures>,
    ) -> AppResult<std::sync::Arc<Figures>> {
        let stamp = format!(
            "{}|{}|",
            self.version.load(std::sync::atomic::Ordering::SeqCst),
            now.format("%Y%m%d%H%M")
        );
        let key = stamp.clone() + &key;
        if let Some(f) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(f);
        }
        let f = std::sync::Arc::new(compute()?);
        if let Ok(mut m) = self.entries.lock() {
            m.retain(|k, _| k.starts_with(&stamp));
            if m.len() < 1000 {
                m.insert(key, f.clone());
            }
        }
        Ok(f)
    }
}

/// The figures for the 12 months ending with `last`.
pub fn figures(
    conn: &mut DbConn,
    scope: &Scope,
    f: &stats::FactFilter,
    last: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Figures> {
    let months = stats::months_ending(last, MONTHS);
    let (from, _) = stats::month_bounds(months[0], now);
    let (_, to) = stats::month_bounds(last, now);
    // repeat failures look at the last 90 days, whatever the months shown
    let from = from.min(now - chrono::Duration::days(stats::REPEAT_DAYS));
    let to = to.max(now);
    let facts = stats::load_facts(conn, scope, f, from, to)?;
    let count = schemes_in_service(conn, scope, f.gp, f.scheme)?;
    Ok(stats::figures(&facts, &months, count, now))
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

fn row_json(b: &Breakdown, names: &Names, lang: Lang, now: NaiveDateTime) -> Value {
    let sla = super::http::sla_json(b, now);
    json!({
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

async fn review_page(ui: Ui, actor: Actor, q: web::Query<ReviewQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ReviewBreakdowns)?;
    let q = q.into_inner();
    let now = ui.state.clock.now();
    let last = parse_month(q.month.as_deref(), now);
    let page = PageRequest::new(q.filter.page, ui.state.config.server.page_size);
    let (own_scope, f, block) = (actor.scope, q.filter.clone(), q.block);
    let state = ui.state.clone();
    let (rows, total, figs, names, gps, blocks) = ui
        .state
        .db
        .run(move |c| {
            let cache = &state.part::<FiguresCache>();
            let scope = match block {
                Some(b) => own_scope.narrowed_to(c, b)?,
                None => own_scope,
            };
            let (rows, total) = super::list(c, &scope, &f, page, now)?;
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
            Ok((rows, total, figs, names, gps, blocks))
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
        "rows": rows.iter().map(|b| row_json(b, &names, lang, now)).collect::<Vec<_>>(),
        "total": total,
        "filter": f,
        "month": last.format("%Y-%m").to_string(),
        "statuses": super::STATUSES.iter().map(|s| json!({"value": s, "label": format!("breakdown-status-{s}")})).collect::<Vec<_>>(),
        "categories": ui.state.config.breakdowns.categories.iter().map(|c| json!({"value": c, "label": format!("breakdown-cat-{c}")})).collect::<Vec<_>>(),
        "ages": super::AGE_BUCKETS.iter().map(|(c, _, _)| json!({"value": c, "label": format!("review-age-{}", c.replace('+', "plus"))})).collect::<Vec<_>>(),
        "sorts": SORTS.iter().map(|s| json!({"value": s, "label": format!("review-sort-{s}")})).collect::<Vec<_>>(),
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
            "id": r.id, "name": names.assets.get(&r.id).cloned().unwrap_or_default(),
            "scheme_id": r.scheme_id, "scheme": names.scheme(r.scheme_id, lang), "count": r.breakdowns,
        })).collect::<Vec<_>>(),
        "repeat_schemes": figs.repeat_schemes.iter().take(20).map(|r| json!({
            "id": r.id, "name": names.scheme(r.id, lang), "count": r.breakdowns,
        })).collect::<Vec<_>>(),
        "pager": Pager::new(page, total, "/breakdowns/review", &qs),
    }))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VisitInput {
    /// The day of the visit (YYYY-MM-DD or DD-MM-YYYY), today or later.
    pub visit_on: String,
    pub note: String,
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LevelInput {
    /// 0: with the GP, 1: block engineer, 2: district officer.
    pub level: String,
    /// Why (required).
    pub note: String,
}

/// Run an engineer's action on a breakdown in scope, with its audit line.
async fn engineer_action(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    summary: &'static str,
    act: impl FnOnce(&mut DbConn, &Actor, &Breakdown, NaiveDateTime) -> AppResult<Breakdown>
        + Send
        + 'static,
) -> AppResult<Breakdown> {
    actor.require(Verb::ReviewBreakdowns)?;
    let now = state.clock.now();
    let result = audit::write_audited(
        state,
        actor,
        ip.to_string(),
        "update",
        "breakdown",
        move |c, a| {
            let b = super::find_in_scope(c, &a.scope, id)?;
            let b2 = act(c, a, &b, now)?;
            Ok((b2, Some(id), format!("{} {summary}", b.number)))
        },
    )
    .await;
    if result.is_ok() {
        state.part::<FiguresCache>().changed();
    }
    result
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
            let data = super::http::detail_data(&ui, &actor, id).await?;
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
    let r = engineer_action(
        &ui.state,
        &actor,
        &client_ip(&req),
        id,
        "technical visit",
        move |c, a, b, now| super::request_visit(c, a, b, &input.visit_on, &input.note, now),
    )
    .await;
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
    let r = engineer_action(
        &ui.state,
        &actor,
        &client_ip(&req),
        id,
        "escalation level",
        move |c, a, b, now| super::set_level(c, a, b, &input.level, &input.note, now),
    )
    .await;
    action_result(ui, actor, id, r).await
}

// ---- the complaint register ----

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

/// Breakdowns reported in a month, in the order they came.
fn register_rows(
    conn: &mut DbConn,
    scope: &Scope,
    gp: Option<i64>,
    month: NaiveDate,
) -> AppResult<Vec<Breakdown>> {
    use crate::db::schema::breakdowns;
    let from = crate::web::i18n::india_midnight_utc(month);
    let to = crate::web::i18n::india_midnight_utc(stats::next_month(month));
    let mut q = breakdowns::table
        .into_boxed()
        .filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ))
        .filter(breakdowns::created_at.ge(from))
        .filter(breakdowns::created_at.lt(to));
    if let Some(g) = gp {
        q = q.filter(breakdowns::gp_id.eq(g));
    }
    Ok(q.order((breakdowns::gp_id.asc(), breakdowns::id.asc()))
        .limit(20_000)
        .select(Breakdown::as_select())
        .load(conn)?)
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

// ---- API ----

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct FiguresQuery {
    /// YYYY-MM: the last of the 12 months (default: this month).
    #[serde(default)]
    pub month: Option<String>,
    /// Only this block (place id) inside the caller's scope.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub block: Option<i64>,
    /// Only this GP (place id) inside the caller's scope.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// Only this scheme.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub scheme: Option<i64>,
}

/// Repair time (median, 90th percentile) and uptime over the caller's scope (a GP for the
/// secretary, the block for an engineer, the district for an officer), optionally one block,
/// GP or scheme within it (a place outside the scope: 404): 12 months, per month, per GP, schemes with downtime, repeat failures.
#[utoipa::path(get, path = "/api/v1/breakdowns/figures", tag = "breakdowns", security(("bearer" = [])),
    params(FiguresQuery), responses((status = 200, body = Figures), (status = 401)))]
pub async fn api_figures(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let q = q.into_inner();
    let now = state.clock.now();
    let last = parse_month(q.month.as_deref(), now);
    let (own_scope, block) = (actor.scope, q.block);
    let f = stats::FactFilter {
        gp: q.gp,
        scheme: q.scheme,
        category: None,
    };
    let st = state.clone();
    let figs = state
        .db
        .run(move |c| {
            let scope = match block {
                Some(b) => own_scope.narrowed_to(c, b)?,
                None => own_scope,
            };
            let key = format!("{scope:?}|{f:?}|{last}");
            st.part::<FiguresCache>()
                .get_or(key, now, || figures(c, &scope, &f, last, now))
        })
        .await?;
    Ok(HttpResponse::Ok().json(&*figs))
}
