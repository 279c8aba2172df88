//! The monthly O&M report (JJM's headings: service, maintenance, breakdowns, finances,
//! meetings) of a GP, or of a block with one line per GP: a printable A4 page in Hindi or
//! English, and the same figures as CSV and JSON.

use crate::auth::{Actor, Scope, Verb};
use crate::breakdowns::stats;
use crate::db::schema::{meetings, scheme_status_history, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
use crate::web::i18n::{india_midnight_utc, today_in_india, Lang};
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/places/{id}/report", web::get().to(report_page))
        .route("/places/{id}/report.csv", web::get().to(report_csv))
        .route("/places/{id}/report.json", web::get().to(report_json))
        .route("/api/v1/reports/monthly", web::get().to(api_report));
}

/// One GP's month (or a block's, added up).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonthFigures {
    pub place_id: i64,
    pub lgd_code: i64,
    pub name: String,
    /// Schemes by status at the month's end (decommissioned ones left out).
    pub schemes: i64,
    pub schemes_functional: i64,
    pub schemes_partially_functional: i64,
    pub schemes_not_functional: i64,
    /// Days with supply stopped, summed over schemes, and the share of the month with water.
    pub downtime_days: f64,
    pub uptime_percent: f64,
    pub tasks_due: i64,
    pub tasks_on_time: i64,
    pub compliance_percent: Option<f64>,
    pub breakdowns_reported: i64,
    pub breakdowns_resolved: i64,
    pub repair_median_hours: Option<f64>,
    pub repair_p90_hours: Option<f64>,
    pub demand_paise: i64,
    pub collected_paise: i64,
    pub collection_percent: Option<f64>,
    pub opening_paise: i64,
    pub income_paise: i64,
    pub expense_paise: i64,
    pub closing_paise: i64,
    /// Over the 12 months to this one.
    pub cost_recovery_percent: Option<f64>,
    pub recovery_charges_paise: i64,
    pub recovery_expense_paise: i64,
    pub meetings_held: i64,
}

/// The report: its month, the GPs' lines and (for a block) the total.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// YYYY-MM.
    pub month: String,
    pub place_id: i64,
    pub level: String,
    pub gps: Vec<MonthFigures>,
    pub total: MonthFigures,
}

fn month_end_utc(month: NaiveDate) -> NaiveDateTime {
    india_midnight_utc(month.checked_add_months(Months::new(1)).unwrap_or(month))
}

/// Scheme statuses at the end of the month: the last change recorded before it, else the
/// current status of schemes that existed by then.
fn schemes_at(conn: &mut DbConn, gp_id: i64, month: NaiveDate) -> AppResult<(i64, i64, i64, i64)> {
    let end = month_end_utc(month);
    let list: Vec<(i64, String, NaiveDateTime)> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .select((schemes::id, schemes::status, schemes::created_at))
        .load(conn)?;
    let history: Vec<(i64, String)> = scheme_status_history::table
        .filter(scheme_status_history::gp_id.eq(gp_id))
        .filter(scheme_status_history::changed_at.lt(end))
        .order((
            scheme_status_history::changed_at.asc(),
            scheme_status_history::id.asc(),
        ))
        .select((
            scheme_status_history::scheme_id,
            scheme_status_history::status,
        ))
        .load(conn)?;
    let mut at: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for (id, status, created) in list {
        if created < end {
            at.insert(id, status);
        }
    }
    for (id, status) in history {
        at.insert(id, status);
    }
    let (mut total, mut f, mut p, mut n) = (0, 0, 0, 0);
    for s in at.values() {
        match s.as_str() {
            "decommissioned" => continue,
            "functional" => f += 1,
            "partially_functional" => p += 1,
            _ => n += 1,
        }
        total += 1;
    }
    Ok((total, f, p, n))
}

/// One GP's month, from the areas' functions (the same as their pages).
pub fn gp_month(
    conn: &mut DbConn,
    config: &crate::config::Config,
    gp: &Place,
    lang: Lang,
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<MonthFigures> {
    let scope = Scope::Place {
        level: Level::Gp,
        id: gp.id,
    };
    let today = today_in_india(now);
    let last_day = month
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(month);
    let (schemes, functional, partly, not) = schemes_at(conn, gp.id, month)?;
    let ff = stats::FactFilter {
        gp: Some(gp.id),
        ..Default::default()
    };
    let figs = crate::breakdowns::review::figures(conn, &scope, &ff, month, now)?;
    let b = figs.by_month.last().cloned();
    let grace = config.maintenance.grace_days;
    let c = crate::maintenance::compliance(conn, &scope, None, month, last_day.min(today), grace)?;
    let eff = crate::billing::ledger::efficiency(conn, &[gp.id], month, month)?;
    let e = eff.first();
    let st = crate::billing::cashbook::statement(conn, gp.id, month)?;
    let rec = crate::billing::cashbook::cost_recovery(conn, gp.id, month)?;
    let held: i64 = meetings::table
        .filter(meetings::gp_id.eq(gp.id))
        .filter(meetings::status.ne("planned"))
        .filter(meetings::held_on.ge(month))
        .filter(meetings::held_on.le(last_day))
        .count()
        .get_result(conn)?;
    Ok(MonthFigures {
        place_id: gp.id,
        lgd_code: gp.lgd_code,
        name: gp.display_name(lang).to_string(),
        schemes,
        schemes_functional: functional,
        schemes_partially_functional: partly,
        schemes_not_functional: not,
        downtime_days: b.as_ref().map(|b| b.downtime_days).unwrap_or(0.0),
        uptime_percent: b.as_ref().map(|b| b.uptime_percent).unwrap_or(100.0),
        tasks_due: c.due,
        tasks_on_time: c.on_time,
        compliance_percent: crate::billing::ledger::percent(c.on_time, c.due),
        breakdowns_reported: b.as_ref().map(|b| b.reported as i64).unwrap_or(0),
        breakdowns_resolved: b.as_ref().map(|b| b.repair.count as i64).unwrap_or(0),
        repair_median_hours: b.as_ref().and_then(|b| b.repair.median_hours),
        repair_p90_hours: b.as_ref().and_then(|b| b.repair.p90_hours),
        demand_paise: e.map(|e| e.demand_paise).unwrap_or(0),
        collected_paise: e.map(|e| e.collected_paise).unwrap_or(0),
        collection_percent: e.and_then(|e| e.percent),
        opening_paise: st.opening_paise,
        income_paise: st.income_paise,
        expense_paise: st.expense_paise,
        closing_paise: st.closing_paise,
        cost_recovery_percent: rec.percent,
        recovery_charges_paise: rec.user_charges_paise,
        recovery_expense_paise: rec.om_expense_paise,
        meetings_held: held,
    })
}

/// The report of a GP or a block (other levels: 404) for a month.
pub fn build(
    conn: &mut DbConn,
    config: &crate::config::Config,
    place: &Place,
    lang: Lang,
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Report> {
    let under = Scope::Place {
        level: place.level(),
        id: place.id,
    };
    let gps: Vec<Place> = match place.level() {
        Level::Gp => vec![place.clone()],
        Level::Block => {
            let ids: Vec<i64> = super::gps_in(conn, &under)?.iter().map(|g| g.id).collect();
            crate::places::model::find_many(conn, &ids)?
        }
        _ => return Err(AppError::NotFound),
    };
    let mut lines = vec![];
    for g in &gps {
        lines.push(gp_month(conn, config, g, lang, month, now)?);
    }
    let mut total = MonthFigures {
        place_id: place.id,
        lgd_code: place.lgd_code,
        name: place.display_name(lang).to_string(),
        ..Default::default()
    };
    for l in &lines {
        total.schemes += l.schemes;
        total.schemes_functional += l.schemes_functional;
        total.schemes_partially_functional += l.schemes_partially_functional;
        total.schemes_not_functional += l.schemes_not_functional;
        total.downtime_days += l.downtime_days;
        total.tasks_due += l.tasks_due;
        total.tasks_on_time += l.tasks_on_time;
        total.breakdowns_reported += l.breakdowns_reported;
        total.breakdowns_resolved += l.breakdowns_resolved;
        total.demand_paise += l.demand_paise;
        total.collected_paise += l.collected_paise;
        total.opening_paise += l.opening_paise;
        total.income_paise += l.income_paise;
        total.expense_paise += l.expense_paise;
        total.closing_paise += l.closing_paise;
        total.recovery_charges_paise += l.recovery_charges_paise;
        total.recovery_expense_paise += l.recovery_expense_paise;
        total.meetings_held += l.meetings_held;
    }
    total.downtime_days = (total.downtime_days * 100.0).round() / 100.0;
    let pct = crate::billing::ledger::percent;
    total.compliance_percent = pct(total.tasks_on_time, total.tasks_due);
    total.collection_percent = pct(total.collected_paise, total.demand_paise);
    total.cost_recovery_percent = pct(total.recovery_charges_paise, total.recovery_expense_paise);
    // the block's repair times and uptime from all its breakdowns together
    let ff = stats::FactFilter::default();
    let figs = crate::breakdowns::review::figures(conn, &under, &ff, month, now)?;
    if let Some(b) = figs.by_month.last() {
        total.uptime_percent = b.uptime_percent;
        total.repair_median_hours = b.repair.median_hours;
        total.repair_p90_hours = b.repair.p90_hours;
    }
    Ok(Report {
        month: month.format("%Y-%m").to_string(),
        place_id: place.id,
        level: place.level().as_str().into(),
        gps: lines,
        total,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// YYYY-MM; the last complete month when left out.
    #[serde(default)]
    pub month: Option<String>,
    /// en or hi: the report's language (default: the reader's).
    #[serde(default)]
    pub lang: Option<String>,
}

fn parse_month(q: &ReportQuery, today: NaiveDate) -> AppResult<NaiveDate> {
    match q.month.as_deref().filter(|m| !m.is_empty()) {
        None => Ok(today
            .with_day(1)
            .and_then(|d| d.checked_sub_months(Months::new(1)))
            .unwrap_or(today)),
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today)
            .ok_or_else(|| AppError::BadRequest("error-bad-month".into())),
    }
}

async fn load(ui: &Ui, actor: &Actor, id: i64, q: &ReportQuery, lang: Lang) -> AppResult<Report> {
    actor.require(Verb::ViewPlaces)?;
    let now = ui.state.clock.now();
    let month = parse_month(q, today_in_india(now))?;
    let (scope, config) = (actor.scope, ui.state.config.clone());
    ui.state
        .db
        .run(move |c| {
            let place = crate::places::model::find_in_scope(c, &scope, id)?;
            build(c, &config, &place, lang, month, now)
        })
        .await
}

fn lang_of(ui: &Ui, q: &ReportQuery) -> Lang {
    q.lang.as_deref().and_then(Lang::parse).unwrap_or(ui.lang())
}

async fn report_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let lang = lang_of(&ui, &q);
    let id = path.into_inner();
    let r = load(&ui, &actor, id, &q, lang).await?;
    let printer = ui.in_lang(lang);
    let fmt = |v: Option<f64>| v.map(|p| format!("{p:.1}")).unwrap_or_else(|| "—".into());
    let line = |m: &MonthFigures| {
        json!({
            "f": m,
            "compliance": fmt(m.compliance_percent),
            "collection": fmt(m.collection_percent),
            "recovery": fmt(m.cost_recovery_percent),
            "repair_median": fmt(m.repair_median_hours),
            "repair_p90": fmt(m.repair_p90_hours),
            "uptime": format!("{:.1}", m.uptime_percent),
        })
    };
    let (y, m) = (&r.month[..4], &r.month[5..]);
    printer.render(
        "dashboards/report",
        "report-monthly",
        json!({
            "month": r.month,
            "month_no": m.trim_start_matches('0'),
            "year": y,
            "is_block": r.level == "block",
            "total": line(&r.total),
            "gps": r.gps.iter().map(line).collect::<Vec<_>>(),
            "csv": format!("/places/{id}/report.csv?month={}", r.month),
            "json": format!("/places/{id}/report.json?month={}", r.month),
            "other_lang": if lang == Lang::Hi { "en" } else { "hi" },
            "place_id": id,
            "printed_on": crate::web::i18n::format_date(today_in_india(ui.state.clock.now())),
        }),
    )
}

/// The CSV header: the JSON's field names, one line per GP and (for a block) the total last.
const CSV_HEADER: &[&str] = &[
    "month",
    "lgd_code",
    "name",
    "schemes",
    "schemes_functional",
    "schemes_partially_functional",
    "schemes_not_functional",
    "downtime_days",
    "uptime_percent",
    "tasks_due",
    "tasks_on_time",
    "compliance_percent",
    "breakdowns_reported",
    "breakdowns_resolved",
    "repair_median_hours",
    "repair_p90_hours",
    "demand_rupees",
    "collected_rupees",
    "collection_percent",
    "opening_rupees",
    "income_rupees",
    "expense_rupees",
    "closing_rupees",
    "cost_recovery_percent",
    "meetings_held",
];

fn csv_line(month: &str, m: &MonthFigures) -> Vec<String> {
    let o = |v: Option<f64>| v.map(|p| format!("{p:.1}")).unwrap_or_default();
    let r = crate::web::csv::rupees;
    vec![
        month.to_string(),
        m.lgd_code.to_string(),
        crate::web::csv::safe_cell(&m.name),
        m.schemes.to_string(),
        m.schemes_functional.to_string(),
        m.schemes_partially_functional.to_string(),
        m.schemes_not_functional.to_string(),
        format!("{:.2}", m.downtime_days),
        format!("{:.2}", m.uptime_percent),
        m.tasks_due.to_string(),
        m.tasks_on_time.to_string(),
        o(m.compliance_percent),
        m.breakdowns_reported.to_string(),
        m.breakdowns_resolved.to_string(),
        o(m.repair_median_hours),
        o(m.repair_p90_hours),
        r(m.demand_paise),
        r(m.collected_paise),
        o(m.collection_percent),
        r(m.opening_paise),
        r(m.income_paise),
        r(m.expense_paise),
        r(m.closing_paise),
        o(m.cost_recovery_percent),
        m.meetings_held.to_string(),
    ]
}

async fn report_csv(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let lang = lang_of(&ui, &q);
    let r = load(&ui, &actor, path.into_inner(), &q, lang).await?;
    let mut rows: Vec<Vec<String>> = r.gps.iter().map(|g| csv_line(&r.month, g)).collect();
    if r.level == "block" {
        rows.push(csv_line(&r.month, &r.total));
    }
    crate::web::csv::response(&format!("om-report-{}.csv", r.month), CSV_HEADER, rows)
}

async fn report_json(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let lang = lang_of(&ui, &q);
    let r = load(&ui, &actor, path.into_inner(), &q, lang).await?;
    Ok(HttpResponse::Ok().json(r))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportApiQuery {
    /// A GP or block in the caller's scope.
    pub place: i64,
    /// YYYY-MM; the last complete month when left out.
    pub month: Option<String>,
    /// en or hi (names of places).
    pub lang: Option<String>,
}

/// The monthly O&M report of a GP or block: the same figures as the printed page and the CSV.
#[utoipa::path(get, path = "/api/v1/reports/monthly", tag = "dashboards", security(("bearer" = [])),
    params(ReportApiQuery), responses((status = 200, body = Report), (status = 400), (status = 401), (status = 404)))]
pub async fn api_report(
    ui: Ui,
    actor: Actor,
    q: web::Query<ReportApiQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let rq = ReportQuery {
        month: q.month,
        lang: q.lang,
    };
    let lang = lang_of(&ui, &rq);
    let r = load(&ui, &actor, q.place, &rq, lang).await?;
    Ok(HttpResponse::Ok().json(r))
}
