//! Dashboard and report pages: `/dashboard` (the reader's own place; the home page shows it
//! too), `/places/{id}/dashboard` (a GP's page, or one row per GP of a block, per block of a
//! district, per district of a state) and its CSV, and the monthly O&M report of a GP or
//! block: a printable A4 page in Hindi or English, its CSV and its JSON download.

use super::charts::{self, Chart, Series};
use super::model::{AreaFigures, GpFigures, GpSupply, MonthFigures, MonthPoint, Report, Share};
use super::service::{self, Area, Dashboard, Row};
use super::{add_up, report_lang, Column};
use crate::auth::{Actor, Scope, Verb};
use crate::committees::meetings::RegularityState;
use crate::error::AppResult;
use crate::places::{Level, Place};
use crate::web::i18n::{format_date, format_money, name_in, today_in_india, Lang};
use crate::web::pagination::{PageRequest, Pager};
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(own_dashboard))
        .route(
            "/places/{id:\\d+}/dashboard",
            web::get().to(place_dashboard),
        )
        .route(
            "/places/{id:\\d+}/dashboard.csv",
            web::get().to(place_dashboard_csv),
        )
        .route("/places/{id:\\d+}/report", web::get().to(report_page))
        .route("/places/{id:\\d+}/report.csv", web::get().to(report_csv))
        .route("/places/{id:\\d+}/report.json", web::get().to(report_json));
}

/// A GP's charts drawn once per language for the figures kept at a time (a GP dashboard is
/// mostly its charts and their tables; drawing them is most of its cost).
#[derive(Default)]
pub struct ChartCache {
    entries: std::sync::Mutex<std::collections::HashMap<(i64, Lang), DrawnCharts>>,
}

/// Charts drawn for the figures computed at a time.
type DrawnCharts = (NaiveDateTime, std::sync::Arc<String>);

impl ChartCache {
    fn get_or(
        &self,
        gp: i64,
        lang: Lang,
        computed_at: NaiveDateTime,
        draw: impl FnOnce() -> AppResult<String>,
    ) -> AppResult<std::sync::Arc<String>> {
        if let Some((at, html)) = self
            .entries
            .lock()
            .ok()
            .and_then(|m| m.get(&(gp, lang)).cloned())
        {
            if at == computed_at {
                return Ok(html);
            }
        }
        let html = std::sync::Arc::new(draw()?);
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= 20_000 {
                m.clear();
            }
            m.insert((gp, lang), (computed_at, html.clone()));
        }
        Ok(html)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    dir: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    page: Option<i64>,
}

impl DashboardQuery {
    /// The column to sort by (the score unless a known one is asked for) and whether
    /// descending (the column's default unless asked).
    fn order(&self) -> (Column, bool) {
        let key = self
            .sort
            .as_deref()
            .and_then(Column::parse)
            .unwrap_or(Column::Score);
        let desc = match self.dir.as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => key.descending_by_default(),
        };
        (key, desc)
    }
}

/// Rows on one page of an area's table (the CSV has them all).
const AREA_ROWS: i64 = 40;

fn sort_value(r: &Row, key: Column) -> f64 {
    let a = &r.area;
    let pct = |s: &Share| s.percent.unwrap_or(-1.0);
    match key {
        Column::Functional => {
            if a.schemes.total > 0 {
                a.schemes.functional as f64 / a.schemes.total as f64
            } else {
                -1.0
            }
        }
        Column::Open => a.breakdowns_open as f64,
        Column::Escalated => a.breakdowns_escalated as f64,
        Column::Repair => a.last_90_days.repair.median_hours.unwrap_or(-1.0),
        Column::Uptime => a.last_90_days.uptime_percent,
        Column::Compliance => pct(&a.compliance_3m),
        Column::Collection => pct(&a.collection_3m),
        Column::Recovery => pct(&a.cost_recovery),
        Column::Fund => a.fund_balance_paise as f64,
        Column::Meeting => match &r.gp {
            Some(g) => g.months_since_meeting.map(|m| m as f64).unwrap_or(f64::MAX),
            None => a.gps_without_meeting as f64,
        },
        Column::Composition => a.composition_ok as f64 / a.gps.max(1) as f64,
        Column::Score | Column::Name => a.score as f64,
    }
}

fn sort_rows(rows: &mut [Row], key: Column, desc: bool) {
    rows.sort_by(|x, y| {
        let o = if key == Column::Name {
            x.name.cmp(&y.name)
        } else {
            sort_value(x, key).total_cmp(&sort_value(y, key))
        };
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| x.lgd_code.cmp(&y.lgd_code))
    });
}

fn pct(p: Option<f64>) -> Value {
    p.map(|v| json!(format!("{v:.1}"))).unwrap_or(Value::Null)
}

fn hours(h: Option<f64>) -> Value {
    h.map(|v| json!(format!("{v:.1}"))).unwrap_or(Value::Null)
}

fn area_json(a: &AreaFigures) -> Value {
    json!({
        "gps": a.gps,
        "schemes": a.schemes,
        "functional_percent": pct(crate::billing::ledger::percent(a.schemes.functional, a.schemes.total)),
        "tasks_due": a.tasks_due, "tasks_overdue": a.tasks_overdue,
        "compliance": pct(a.compliance_3m.percent),
        "open": a.breakdowns_open, "overdue": a.breakdowns_overdue, "escalated": a.breakdowns_escalated,
        "repair_median": hours(a.last_90_days.repair.median_hours),
        "repaired": a.last_90_days.repair.count,
        "uptime": format!("{:.1}", a.last_90_days.uptime_percent),
        "collection": pct(a.collection_3m.percent),
        "recovery": pct(a.cost_recovery.percent),
        "fund_paise": a.fund_balance_paise,
        "without_meeting": a.gps_without_meeting,
        "composition_ok": a.composition_ok,
        "score": a.score,
        "water": crate::water_quality::figures::pages::figures_json(&a.water),
    })
}

/// Schemes below the norm listed on a GP's dashboard and in the report (the rest are
/// counted). An area's dashboard lists none, only their count (its page stays light on a
/// phone; the engineer's review and the supply list name them).
const BELOW_SHOWN: usize = 10;

/// The supply box of a dashboard or the monthly report: functionality, lpcd bands, hours
/// and regularity, and the first `shown` schemes below the lpcd norm.
fn supply_json(lang: Lang, s: &GpSupply, shown: usize) -> Value {
    let n = |v: Option<f64>| v.map(|x| json!(format!("{x:.1}"))).unwrap_or(Value::Null);
    json!({
        "month": s.month,
        "schemes": s.schemes,
        "functional": s.functional,
        "partly": s.partly_functional,
        "not": s.not_functional,
        "not_assessed": s.not_assessed,
        "functional_percent": pct(s.functional_share().percent),
        "bands": [
            {"key": "dash-supply-band-below-40", "count": s.lpcd_below_40, "low": true},
            {"key": "dash-supply-band-40-55", "count": s.lpcd_40_to_55, "low": true},
            {"key": "dash-supply-band-55-up", "count": s.lpcd_55_up, "low": false},
            {"key": "dash-supply-band-unknown", "count": s.lpcd_unknown, "low": false},
        ],
        "lpcd": n(s.lpcd()),
        "regularity": pct(s.regularity().percent),
        "hours_percent": pct(s.hours_share().percent),
        "hours_per_day": hours(s.hours_per_day()),
        "below": s.below_norm.iter().take(shown).map(|b| json!({
            "href": format!("/schemes/{}/supply", b.scheme_id),
            "name": name_in(lang, &b.name, b.name_hi.as_deref()),
            "code": b.code,
            "lpcd": n(b.lpcd),
            "norm": b.lpcd_norm,
            "regularity": pct(b.regularity_percent),
            "functionality_key": format!("supply-functionality-{}", b.functionality),
        })).collect::<Vec<_>>(),
        "below_more": s.below_norm.len().saturating_sub(shown),
    })
}

/// Where a row's cells lead: a GP's to the detail pages, an area's to its own dashboard.
struct RowLinks {
    name: String,
    schemes: String,
    breakdowns: String,
    maintenance: String,
    collection: String,
    cashbook: String,
    meetings: String,
    committee: String,
}

impl RowLinks {
    fn of(r: &Row) -> RowLinks {
        let dash = format!("/places/{}/dashboard", r.id);
        let id = r.id;
        match &r.gp {
            Some(_) => RowLinks {
                name: dash,
                schemes: format!("/schemes?place={id}"),
                breakdowns: format!("/breakdowns/review?gp={id}"),
                maintenance: format!("/places/{id}/maintenance"),
                collection: format!("/arrears?gp={id}"),
                cashbook: format!("/cashbook?gp={id}"),
                meetings: format!("/meetings/regularity?gp={id}"),
                committee: format!("/committees?gp={id}"),
            },
            None => RowLinks {
                schemes: dash.clone(),
                breakdowns: dash.clone(),
                maintenance: dash.clone(),
                collection: dash.clone(),
                cashbook: dash.clone(),
                meetings: dash.clone(),
                committee: dash.clone(),
                name: dash,
            },
        }
    }
}

fn month_label(m: &str) -> String {
    // YYYY-MM → MM/YY
    match (m.get(5..7), m.get(2..4)) {
        (Some(mm), Some(yy)) => format!("{mm}/{yy}"),
        _ => m.to_string(),
    }
}

/// An axis label for paise, short: ₹1.2L / ₹5.0k in English, ₹1.2 लाख / ₹5.0 हज़ार in Hindi.
fn rupees(lang: Lang, v: f64) -> String {
    let r = v / 100.0;
    let (lakh, thousand) = match lang {
        Lang::Hi => (" लाख", " हज़ार"),
        _ => ("L", "k"),
    };
    if r >= 100_000.0 {
        format!("₹{:.1}{lakh}", r / 100_000.0)
    } else if r >= 1_000.0 {
        format!("₹{:.1}{thousand}", r / 1_000.0)
    } else {
        format!("₹{r:.0}")
    }
}

/// A chart's series from its name, colour and values.
fn series(name: String, class: &'static str, values: impl Iterator<Item = Option<f64>>) -> Series {
    Series {
        name,
        values: values.collect(),
        class,
    }
}

/// The charts of a GP or an area, in the reader's language.
pub fn charts_for(
    ui: &Ui,
    months: &[MonthPoint],
    uptime: &[(String, f64)],
    arrears: &[i64],
) -> Vec<Chart> {
    let labels: Vec<String> = months.iter().map(|m| month_label(&m.month)).collect();
    let t = |k: &str| ui.t(k);
    let lang = ui.lang();
    let rupees = move |v: f64| rupees(lang, v);
    let mut out = vec![];
    let demand = series(
        t("dash-demand"),
        "s1",
        months.iter().map(|m| Some(m.demand_paise as f64)),
    );
    let collected = series(
        t("dash-collected"),
        "s2",
        months.iter().map(|m| Some(m.collected_paise as f64)),
    );
    let efficiency = series(
        t("dash-efficiency"),
        "s3",
        months
            .iter()
            .map(|m| crate::billing::ledger::percent(m.collected_paise, m.demand_paise)),
    );
    let title = t("chart-collection");
    out.push(Chart {
        id: "chart-collection".into(),
        svg: charts::bars(
            &title,
            &labels,
            &[demand, collected],
            Some(&efficiency),
            &rupees,
        ),
        title,
        headers: vec![
            t("dash-month"),
            t("dash-demand"),
            t("dash-collected"),
            t("dash-efficiency"),
        ],
        rows: months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    format_money(m.demand_paise),
                    format_money(m.collected_paise),
                    crate::billing::ledger::percent(m.collected_paise, m.demand_paise)
                        .map(|p| format!("{p:.1}%"))
                        .unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    });
    let opened = series(
        t("dash-reported"),
        "s4",
        months.iter().map(|m| Some(m.breakdowns_reported as f64)),
    );
    let resolved = series(
        t("dash-resolved"),
        "s2",
        months.iter().map(|m| Some(m.breakdowns_resolved as f64)),
    );
    let title = t("chart-breakdowns");
    let count = |v: f64| format!("{v:.0}");
    out.push(Chart {
        id: "chart-breakdowns".into(),
        svg: charts::bars(&title, &labels, &[opened, resolved], None, &count),
        title,
        headers: vec![
            t("dash-month"),
            t("dash-reported"),
            t("dash-resolved"),
            t("dash-repair-median"),
        ],
        rows: months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.breakdowns_reported.to_string(),
                    m.breakdowns_resolved.to_string(),
                    m.repair_median_hours
                        .map(|h| format!("{h:.1}"))
                        .unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    });
    let repair_rows: Vec<(String, f64)> = months
        .iter()
        .filter_map(|m| m.repair_median_hours.map(|h| (month_label(&m.month), h)))
        .collect();
    if !repair_rows.is_empty() {
        let title = t("chart-repair");
        let hours = t("dash-hours-short");
        out.push(Chart {
            id: "chart-repair".into(),
            svg: charts::hbars(&title, &repair_rows, None, "s4", &|h| {
                format!("{h:.1} {hours}")
            }),
            title,
            headers: vec![t("dash-month"), t("dash-repair-median")],
            rows: repair_rows
                .iter()
                .map(|(m, h)| vec![m.clone(), format!("{h:.1}")])
                .collect(),
        });
    }
    let compliance = series(
        t("dash-compliance"),
        "s3",
        months
            .iter()
            .map(|m| crate::billing::ledger::percent(m.tasks_on_time, m.tasks_due)),
    );
    let due = series(
        t("dash-tasks-due"),
        "s1",
        months.iter().map(|m| Some(m.tasks_due as f64)),
    );
    let on_time = series(
        t("dash-tasks-on-time"),
        "s2",
        months.iter().map(|m| Some(m.tasks_on_time as f64)),
    );
    let title = t("chart-compliance");
    out.push(Chart {
        id: "chart-compliance".into(),
        svg: charts::bars(&title, &labels, &[due, on_time], Some(&compliance), &count),
        title,
        headers: vec![
            t("dash-month"),
            t("dash-tasks-due"),
            t("dash-tasks-on-time"),
            t("dash-compliance"),
        ],
        rows: months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.tasks_due.to_string(),
                    m.tasks_on_time.to_string(),
                    crate::billing::ledger::percent(m.tasks_on_time, m.tasks_due)
                        .map(|p| format!("{p:.1}%"))
                        .unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    });
    if !uptime.is_empty() {
        let title = t("chart-uptime");
        out.push(Chart {
            id: "chart-uptime".into(),
            svg: charts::hbars(&title, uptime, Some(100.0), "s2", &|v| format!("{v:.1}%")),
            title,
            headers: vec![t("dash-scheme"), t("dash-uptime")],
            rows: uptime
                .iter()
                .map(|(n, v)| vec![n.clone(), format!("{v:.1}%")])
                .collect(),
        });
    }
    let buckets: Vec<(String, f64)> = crate::billing::ledger::AGE_BUCKETS
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                ui.t_args("dash-age-months", &[("months", b.to_string())]),
                arrears.get(i).copied().unwrap_or(0) as f64,
            )
        })
        .collect();
    let title = t("chart-arrears");
    out.push(Chart {
        id: "chart-arrears".into(),
        svg: charts::hbars(&title, &buckets, None, "s4", &rupees),
        title,
        headers: vec![t("dash-age"), t("dash-unpaid")],
        rows: buckets
            .iter()
            .map(|(b, v)| vec![b.clone(), format_money(*v as i64)])
            .collect(),
    });
    out
}

fn opt_date(d: Option<chrono::NaiveDate>) -> Value {
    d.map(|d| json!(format_date(d))).unwrap_or(Value::Null)
}

fn as_of(now: NaiveDateTime) -> String {
    crate::web::i18n::format_datetime(now)
}

fn gp_page(
    ui: Ui,
    actor: Actor,
    place: Place,
    f: GpFigures,
    open: Value,
) -> AppResult<HttpResponse> {
    let lang = ui.lang();
    let uptime: Vec<(String, f64)> = f
        .uptime_by_scheme
        .iter()
        .map(|s| {
            (
                name_in(lang, &s.name, s.name_hi.as_deref()).to_string(),
                s.uptime_percent,
            )
        })
        .collect();
    let charts = ui
        .state
        .part::<ChartCache>()
        .get_or(f.gp_id, lang, f.computed_at, || {
            let charts = charts_for(&ui, &f.months, &uptime, &f.arrears);
            ui.state.views.render(
                "dashboards/charts",
                &json!({"lang": lang.code(), "charts": charts}),
            )
        })?;
    let gp = place.id;
    let area = add_up(&[&f]);
    ui.render(
        "dashboards/gp",
        "dash-title",
        json!({
            "place": {"id": place.id, "name": place.display_name(lang), "lgd_code": place.lgd_code},
            "f": area_json(&area),
            "supply": supply_json(lang, &f.supply, BELOW_SHOWN),
            "tasks_due": f.tasks_due, "tasks_overdue": f.tasks_overdue,
            "compliance_month": pct(f.compliance_month.percent.map(|p| p as f64)),
            "compliance_month_due": f.compliance_month.due,
            "compliance_3m_due": f.compliance_3m.due,
            "compliance_3m_on_time": f.compliance_3m.on_time,
            "compliance_3m": pct(f.compliance_3m.percent.map(|p| p as f64)),
            "month_demand": f.collection_month.whole, "month_collected": f.collection_month.part,
            "month_percent": pct(f.collection_month.percent),
            "recovery_charges": f.cost_recovery.part, "recovery_expense": f.cost_recovery.whole,
            "fund_paise": f.fund_balance_paise,
            "last_meeting": opt_date(f.last_meeting_on), "next_meeting": opt_date(f.next_meeting_on),
            "months_since": f.months_since_meeting,
            "meeting_state_key": RegularityState::label_key_of(&f.meeting_state),
            "actions_open": f.actions_open, "actions_overdue": f.actions_overdue,
            "composition": f.composition_ok,
            "unread": ui.identity.unread,
            "breakdowns": open,
            "charts_html": charts.as_str(),
            "as_of": as_of(f.computed_at),
            "links": {
                "schemes": format!("/schemes?place={gp}"),
                "maintenance": format!("/places/{gp}/maintenance"),
                "breakdowns": format!("/breakdowns?gp={gp}"),
                "review": format!("/breakdowns/review?gp={gp}"),
                "arrears": format!("/arrears?gp={gp}"),
                "cashbook": format!("/cashbook?gp={gp}"),
                "regularity": format!("/meetings/regularity?gp={gp}"),
                "actions": format!("/action-items?gp={gp}&status=open"),
                "committee": format!("/committees?gp={gp}"),
                "report": format!("/places/{gp}/report"),
                "water": format!("/water-quality/figures?place={gp}"),
            },
            "can_review": actor.can(Verb::ReviewBreakdowns),
        }),
    )
}

/// The table's rows, written here rather than by the template engine: a district's page has
/// a thousand rows of a dozen linked cells, which the engine took ~0.3 ms a row to fill.
/// Every text is escaped; numbers and links are built from numbers.
fn rows_html(ui: &Ui, rows: &[Row]) -> String {
    use super::charts::esc;
    use std::fmt::Write;
    let (ok, not_ok, never) = (
        esc(&ui.t("dash-ok")),
        esc(&ui.t("dash-not-ok")),
        esc(&ui.t("regularity-never")),
    );
    let opt = |v: Option<f64>| v.map(|p| format!("{p:.1}")).unwrap_or_else(|| "—".into());
    let mut out = String::with_capacity(rows.len() * 1200);
    for r in rows {
        let a = &r.area;
        let links = RowLinks::of(r);
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th>\
             <td><strong>{}</strong></td>\
             <td><a href=\"{}\">{}/{}</a></td>\
             <td><a href=\"{b}\">{}</a>{}</td>\
             <td><a href=\"{b}\">{}</a></td>\
             <td><a href=\"{b}\">{}</a></td>\
             <td><a href=\"{b}\">{:.1}</a></td>\
             <td><a href=\"{}\">{}</a></td>\
             <td><a href=\"{}\">{}</a></td>\
             <td><a href=\"{c}\">{}</a></td>\
             <td><a href=\"{c}\">{}</a></td>",
            links.name,
            esc(&r.name),
            a.score,
            links.schemes,
            a.schemes.functional,
            a.schemes.total,
            a.breakdowns_open,
            if a.breakdowns_overdue > 0 {
                format!(" <span class=\"error\">({})</span>", a.breakdowns_overdue)
            } else {
                String::new()
            },
            a.breakdowns_escalated,
            opt(a.last_90_days.repair.median_hours),
            a.last_90_days.uptime_percent,
            links.maintenance,
            opt(a.compliance_3m.percent),
            links.collection,
            opt(a.collection_3m.percent),
            opt(a.cost_recovery.percent),
            esc(&format_money(a.fund_balance_paise)),
            b = links.breakdowns,
            c = links.cashbook,
        );
        match &r.gp {
            Some(g) => {
                let since = match g.months_since_meeting {
                    Some(m) => m.to_string(),
                    None => never.clone(),
                };
                let composition = match g.composition_ok {
                    Some(true) => ok.clone(),
                    Some(false) => format!("<span class=\"error\">{not_ok}</span>"),
                    None => "—".into(),
                };
                let _ = write!(
                    out,
                    "<td><a href=\"{}\">{since}</a></td><td class=\"text\"><a href=\"{}\">{composition}</a></td></tr>",
                    links.meetings, links.committee
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<td><a href=\"{}\">{}/{}</a></td><td><a href=\"{}\">{}/{}</a></td></tr>",
                    links.meetings,
                    a.gps_without_meeting,
                    a.gps,
                    links.committee,
                    a.composition_ok,
                    a.gps
                );
            }
        }
    }
    out
}

fn area_page(ui: Ui, area: Area, q: DashboardQuery) -> AppResult<HttpResponse> {
    let lang = ui.lang();
    let Area {
        place,
        mut rows,
        total,
    } = area;
    let (key, desc) = q.order();
    sort_rows(&mut rows, key, desc);
    let base = match &place {
        Some(p) => format!("/places/{}/dashboard", p.id),
        None => "/dashboard".into(),
    };
    // a block of 100 GPs in one table is 80 KB: pages of AREA_ROWS, most urgent first, keep
    // each page under 60 KB in Hindi too (tests/it/scale.rs)
    let order = format!(
        "sort={}&dir={}",
        key.as_str(),
        if desc { "desc" } else { "asc" }
    );
    let req = PageRequest::new(q.page, AREA_ROWS);
    let pager = Pager::new(req, rows.len() as i64, &base, &order);
    let shown: Vec<Row> = rows
        .drain(..)
        .skip(req.offset() as usize)
        .take(req.limit() as usize)
        .collect();
    let columns: Vec<Value> = Column::ALL
        .iter()
        .map(|&c| {
            // the sorted column's link turns it round; the others sort their own way
            let dir = if c == key {
                if desc {
                    "asc"
                } else {
                    "desc"
                }
            } else if c.descending_by_default() {
                "desc"
            } else {
                "asc"
            };
            json!({
                "key": c.as_str(),
                "label": c.label_key(),
                "href": format!("{base}?sort={}&dir={dir}", c.as_str()),
                "sorted": c == key,
                "desc": desc,
                // on a phone only the place, schemes working and open breakdowns
                "narrow_hide": !c.on_phones(),
            })
        })
        .collect();
    let as_of_time = total.computed_at.unwrap_or_else(|| ui.state.clock.now());
    let charts = charts_for(&ui, &total.months, &[], &total.arrears);
    let child_key = shown
        .first()
        .map(|r| r.level.label_key())
        .unwrap_or("level-gp");
    ui.render(
        "dashboards/area",
        "dash-title",
        json!({
            "place": place.as_ref().map(|p| json!({"id": p.id, "name": p.display_name(lang), "level_key": p.level().label_key()})),
            "total": area_json(&total),
            "supply": supply_json(lang, &total.supply, 0),
            "rows_html": rows_html(&ui, &shown),
            "rows": shown.len(),
            "pager": pager,
            "gp_rows": shown.first().is_some_and(|r| r.gp.is_some()),
            "child_key": child_key,
            "columns": columns,
            "charts": charts,
            "csv": format!("{base}.csv?{order}"),
            "report": place.as_ref().filter(|p| p.level() == Level::Block).map(|p| format!("/places/{}/report", p.id)),
            "as_of": as_of(as_of_time),
        }),
    )
}

async fn own_dashboard(
    ui: Ui,
    actor: Actor,
    q: web::Query<DashboardQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    match actor.scope {
        Scope::Place { id, .. } => dashboard(ui, actor, Some(id), q.into_inner()).await,
        Scope::All => dashboard(ui, actor, None, q.into_inner()).await,
    }
}

async fn place_dashboard(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<DashboardQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    dashboard(ui, actor, Some(path.into_inner()), q.into_inner()).await
}

/// The dashboard of a place (none: everything the reader sees); the home page shows it too.
pub async fn dashboard(
    ui: Ui,
    actor: Actor,
    place: Option<i64>,
    q: DashboardQuery,
) -> AppResult<HttpResponse> {
    let (scope, lang) = (actor.scope, ui.lang());
    let breakdowns = actor.can(Verb::ViewBreakdowns);
    let shown = ui
        .state
        .service(move |ctx| service::dashboard(ctx, &scope, place, breakdowns, lang))
        .await?;
    match shown {
        Dashboard::Gp {
            place,
            figures,
            open,
            now,
        } => {
            // an engineer's or officer's box names where each breakdown is, as their lists do
            let places = match (&open, crate::schemes::pages::spans_gps(&actor)) {
                (Some((rows, _)), true) => {
                    let ids: Vec<i64> = rows.iter().map(|b| b.scheme_id).collect();
                    ui.state
                        .db
                        .run(move |c| crate::schemes::model::whereabouts_of(c, &ids))
                        .await?
                }
                _ => Default::default(),
            };
            let open = open
                .map(|o| crate::breakdowns::open_box_json(&o, Some(place.id), now, &places, lang))
                .unwrap_or(Value::Null);
            gp_page(ui, actor, *place, *figures, open)
        }
        Dashboard::Area(area) => area_page(ui, *area, q),
    }
}

/// The area table as CSV, in the same order as on the page.
async fn place_dashboard_csv(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<DashboardQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewPlaces)?;
    let (scope, id, lang) = (actor.scope, path.into_inner(), ui.lang());
    let Area { mut rows, .. } = ui
        .state
        .service(move |ctx| service::area(ctx, &scope, Some(id), lang))
        .await?;
    let (key, desc) = q.order();
    sort_rows(&mut rows, key, desc);
    let gp_rows = rows.first().is_none_or(|r| r.gp.is_some());
    let opt = |v: Option<f64>| v.map(|p| format!("{p:.1}")).unwrap_or_default();
    let header = [
        "lgd_code",
        "name",
        "score",
        "schemes",
        "functional",
        "open_breakdowns",
        "sla_breached",
        "escalated",
        "median_repair_hours_90d",
        "uptime_percent_90d",
        "compliance_percent_3m",
        "collection_percent_3m",
        "cost_recovery_percent",
        "fund_balance_rupees",
        if gp_rows {
            "months_since_meeting"
        } else {
            "gps_without_meeting_2_months"
        },
        if gp_rows {
            "composition_ok"
        } else {
            "gps_composition_ok"
        },
    ];
    let body = rows.iter().map(|r| {
        let a = &r.area;
        vec![
            r.lgd_code.to_string(),
            String::from(&r.name),
            a.score.to_string(),
            a.schemes.total.to_string(),
            a.schemes.functional.to_string(),
            a.breakdowns_open.to_string(),
            a.breakdowns_overdue.to_string(),
            a.breakdowns_escalated.to_string(),
            opt(a.last_90_days.repair.median_hours),
            format!("{:.1}", a.last_90_days.uptime_percent),
            opt(a.compliance_3m.percent),
            opt(a.collection_3m.percent),
            opt(a.cost_recovery.percent),
            crate::web::csv::rupees(a.fund_balance_paise),
            match &r.gp {
                Some(g) => g
                    .months_since_meeting
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                None => a.gps_without_meeting.to_string(),
            },
            match &r.gp {
                Some(g) => g.composition_ok.map(|b| b.to_string()).unwrap_or_default(),
                None => a.composition_ok.to_string(),
            },
        ]
    });
    crate::web::csv::response("dashboard.csv", &header, body)
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

/// The report asked for, in the language asked for (else the reader's).
async fn load_report(ui: &Ui, actor: &Actor, id: i64, q: ReportQuery) -> AppResult<(Lang, Report)> {
    actor.require(Verb::ViewPlaces)?;
    let (scope, lang) = (actor.scope, report_lang(q.lang.as_deref(), ui.lang()));
    let r = ui
        .state
        .service(move |ctx| service::monthly_report(ctx, &scope, id, q.month.as_deref(), lang))
        .await?;
    Ok((lang, r))
}

async fn report_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (lang, r) = load_report(&ui, &actor, id, q.into_inner()).await?;
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
            "supply": supply_json(lang, &m.supply, BELOW_SHOWN),
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
            "is_block": r.level == Level::Block.as_str(),
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
    "supply_schemes",
    "supply_functional",
    "supply_partly_functional",
    "supply_not_functional",
    "supply_not_assessed",
    "lpcd",
    "lpcd_below_40",
    "lpcd_40_to_55",
    "lpcd_55_up",
    "supply_regularity_percent",
    "supply_hours_percent",
    "supply_hours_per_day",
    "schemes_below_lpcd_norm",
    "water_points_tested",
    "water_tests",
    "water_tests_within",
    "water_within_percent",
    "water_incidents_open",
    "water_incidents_closed_after_retest",
    "water_days_to_passing_retest",
    "water_tests_overdue",
];

fn csv_line(month: &str, m: &MonthFigures) -> Vec<String> {
    let o = |v: Option<f64>| v.map(|p| format!("{p:.1}")).unwrap_or_default();
    let r = crate::web::csv::rupees;
    vec![
        month.to_string(),
        m.lgd_code.to_string(),
        String::from(&m.name),
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
        m.supply.schemes.to_string(),
        m.supply.functional.to_string(),
        m.supply.partly_functional.to_string(),
        m.supply.not_functional.to_string(),
        m.supply.not_assessed.to_string(),
        o(m.supply.lpcd()),
        m.supply.lpcd_below_40.to_string(),
        m.supply.lpcd_40_to_55.to_string(),
        m.supply.lpcd_55_up.to_string(),
        o(m.supply.regularity().percent),
        o(m.supply.hours_share().percent),
        o(m.supply.hours_per_day()),
        m.supply.below_norm.len().to_string(),
        m.water_points_tested.to_string(),
        m.water_tests.to_string(),
        m.water_tests_within.to_string(),
        o(m.water_within_percent),
        m.water_incidents_open.to_string(),
        m.water_retests_closed.to_string(),
        o(m.water_days_to_retest),
        m.water_tests_overdue.to_string(),
    ]
}

async fn report_csv(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let (_, r) = load_report(&ui, &actor, path.into_inner(), q.into_inner()).await?;
    let mut rows: Vec<Vec<String>> = r.gps.iter().map(|g| csv_line(&r.month, g)).collect();
    if r.level == Level::Block.as_str() {
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
    let (_, r) = load_report(&ui, &actor, path.into_inner(), q.into_inner()).await?;
    Ok(HttpResponse::Ok().json(r))
}
