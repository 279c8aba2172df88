//! Dashboards: each GP's figures across the areas (schemes, maintenance, breakdowns, money,
//! meetings), drawn from the same functions as the detail pages they link to, kept per GP in
//! `gp_figures` and recomputed only when something in the GP changed (database triggers count
//! every write) or they grew older than `dashboards.max_age_seconds`. A block, district or
//! state dashboard adds up its GPs' kept figures; nothing is aggregated over raw rows at
//! request time. The monthly O&M report (a GP, or a block with one line per GP) is here too.
//!
//! Layout: this file holds the rules (the attention score, adding GPs up, the report's month
//! and language) and the sortable columns; `model.rs` the figures' shapes, the kept
//! `gp_figures` rows and the queries; `service.rs` computing, loading and keeping figures (the
//! scheduler's refresh, a dashboard, the monthly report); `pages.rs` the HTML and CSV pages;
//! `api.rs` the JSON endpoints. `charts.rs` draws the SVG charts (no rows, no handlers).

pub mod api;
pub mod charts;
pub mod model;
pub mod pages;
pub mod service;

/// Earlier paths used by the scheduler and the tests (to be removed in a later pass).
pub use service::{compute, refresh};

use crate::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use chrono::{Datelike, Months, NaiveDate};
use model::{AreaFigures, GpFigures, MonthPoint, Share};

/// How many months the charts show.
pub const MONTHS: u32 = 12;

/// The "needs attention" score (0–175), documented in the README:
/// schemes not working 40 × (non-functional + under repair + ½ partly) / schemes;
/// 10 per escalated breakdown (up to 3) and 5 per SLA-breached one (up to 4);
/// maintenance compliance (3 months) below 100%: (100 − %) / 5;
/// collection (3 months) below 100%: (100 − %) / 5;
/// 10 when no meeting for 2 calendar months or more (or never); 5 when the committee's
/// composition fails a rule, or there is no committee.
pub fn attention_score(f: &GpFigures) -> i64 {
    let s = &f.schemes;
    let schemes = if s.total > 0 {
        (40 * (2 * (s.non_functional + s.under_repair) + s.partially_functional)) / (2 * s.total)
    } else {
        0
    };
    let breakdowns = 10 * f.breakdowns_escalated.min(3) + 5 * f.breakdowns_overdue.min(4);
    let short = |p: Option<f64>| p.map(|p| ((100.0 - p).max(0.0) / 5.0) as i64).unwrap_or(0);
    let compliance = short(f.compliance_3m.percent.map(|p| p as f64));
    let collection = short(f.collection_3m.percent);
    let meetings = if without_meeting(f) { 10 } else { 0 };
    let committee = if f.composition_ok == Some(true) { 0 } else { 5 };
    schemes + breakdowns + compliance + collection + meetings + committee
}

/// The GP's committee has not met for 2 calendar months or more (or never).
fn without_meeting(f: &GpFigures) -> bool {
    f.months_since_meeting.is_none_or(|m| m >= 2)
}

/// The figures of several GPs added up (a block, district or state row): counts and money
/// summed, shares added part to part and whole to whole (never percentages averaged).
pub fn add_up(parts: &[&GpFigures]) -> AreaFigures {
    let mut a = AreaFigures {
        gps: parts.len() as i64,
        water: crate::water_quality::figures::WaterQualityFigures::zero(),
        ..Default::default()
    };
    let mut compliance = vec![];
    for f in parts {
        a.computed_at = Some(
            a.computed_at
                .map_or(f.computed_at, |t| t.min(f.computed_at)),
        );
        a.schemes.add(&f.schemes);
        a.tasks_due += f.tasks_due;
        a.tasks_overdue += f.tasks_overdue;
        compliance.push(Share::new(f.compliance_3m.on_time, f.compliance_3m.due));
        a.breakdowns_open += f.breakdowns_open;
        a.breakdowns_overdue += f.breakdowns_overdue;
        a.breakdowns_escalated += f.breakdowns_escalated;
        a.fund_balance_paise += f.fund_balance_paise;
        if a.arrears.len() < f.arrears.len() {
            a.arrears.resize(f.arrears.len(), 0);
        }
        for (i, v) in f.arrears.iter().enumerate() {
            a.arrears[i] += v;
        }
        if without_meeting(f) {
            a.gps_without_meeting += 1;
        }
        if f.composition_ok == Some(true) {
            a.composition_ok += 1;
        }
        a.score = a.score.max(f.score);
        a.supply.add(&f.supply);
        a.water.add(&f.water);
        for (i, m) in f.months.iter().enumerate() {
            if a.months.len() <= i {
                a.months.push(MonthPoint {
                    month: m.month.clone(),
                    ..Default::default()
                });
            }
            let t = &mut a.months[i];
            t.demand_paise += m.demand_paise;
            t.collected_paise += m.collected_paise;
            t.breakdowns_reported += m.breakdowns_reported;
            t.breakdowns_resolved += m.breakdowns_resolved;
            t.tasks_due += m.tasks_due;
            t.tasks_on_time += m.tasks_on_time;
        }
    }
    a.supply.sort();
    a.compliance_3m = Share::sum(compliance.iter());
    a.collection_3m = Share::sum(parts.iter().map(|f| &f.collection_3m));
    a.cost_recovery = Share::sum(parts.iter().map(|f| &f.cost_recovery));
    a.last_90_days = crate::breakdowns::stats::Window::merge(
        &parts.iter().map(|f| &f.last_90_days).collect::<Vec<_>>(),
    );
    a
}

/// The month a report is for: `YYYY-MM` up to this one, or (none or empty) the last complete
/// month; anything else is a bad request.
pub fn report_month(asked: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    match asked.filter(|m| !m.is_empty()) {
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

/// The language a report is printed in: the one asked for (`en` or `hi`), else the reader's.
pub fn report_lang(asked: Option<&str>, reader: Lang) -> Lang {
    asked.and_then(Lang::parse).unwrap_or(reader)
}

/// A column an area's table sorts by (`sort=`); the score unless a known one is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Score,
    Functional,
    Open,
    Escalated,
    Repair,
    Uptime,
    Compliance,
    Collection,
    Recovery,
    Fund,
    Meeting,
    Composition,
}

impl Column {
    /// In the table's order.
    pub const ALL: [Column; 13] = [
        Column::Name,
        Column::Score,
        Column::Functional,
        Column::Open,
        Column::Escalated,
        Column::Repair,
        Column::Uptime,
        Column::Compliance,
        Column::Collection,
        Column::Recovery,
        Column::Fund,
        Column::Meeting,
        Column::Composition,
    ];

    /// Kept on a 360 px screen: the place, schemes working, open breakdowns (the rows stay in
    /// the order of the attention score; a row's link shows every figure).
    pub fn on_phones(self) -> bool {
        matches!(self, Column::Name | Column::Functional | Column::Open)
    }

    /// The text in the page's address.
    pub fn as_str(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Score => "score",
            Column::Functional => "functional",
            Column::Open => "open",
            Column::Escalated => "escalated",
            Column::Repair => "repair",
            Column::Uptime => "uptime",
            Column::Compliance => "compliance",
            Column::Collection => "collection",
            Column::Recovery => "recovery",
            Column::Fund => "fund",
            Column::Meeting => "meeting",
            Column::Composition => "composition",
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Translation key of the column's heading.
    pub fn label_key(self) -> String {
        format!("dash-col-{}", self.as_str())
    }

    /// Sorted most first unless asked otherwise (names: A to Z).
    pub fn descending_by_default(self) -> bool {
        self != Column::Name
    }
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/dashboard",
    label: "nav-dashboard",
    verb: Some(crate::auth::Verb::ViewPlaces),
}];

#[cfg(test)]
mod tests {
    use super::model::SchemeCounts;
    use super::*;
    use crate::breakdowns::stats::Window;
    use crate::maintenance::Compliance;

    fn figures() -> GpFigures {
        GpFigures {
            gp_id: 1,
            computed_at: NaiveDate::from_ymd_opt(2027, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            today: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            schemes: SchemeCounts {
                total: 4,
                functional: 2,
                partially_functional: 1,
                non_functional: 1,
                under_repair: 0,
            },
            tasks_due: 0,
            tasks_overdue: 0,
            compliance_month: Compliance {
                due: 0,
                on_time: 0,
                percent: None,
            },
            compliance_3m: Compliance {
                due: 10,
                on_time: 6,
                percent: Some(60),
            },
            breakdowns_open: 6,
            breakdowns_overdue: 5,
            breakdowns_escalated: 1,
            last_90_days: Window::default(),
            collection_month: Share::default(),
            collection_3m: Share::new(75, 100),
            cost_recovery: Share::default(),
            fund_balance_paise: 0,
            arrears: vec![],
            last_meeting_on: None,
            months_since_meeting: Some(1),
            meeting_state: "due".into(),
            next_meeting_on: None,
            actions_open: 0,
            actions_overdue: 0,
            composition_ok: None,
            months: vec![],
            uptime_by_scheme: vec![],
            supply: Default::default(),
            water: Default::default(),
            score: 0,
        }
    }

    #[test]
    fn score_follows_the_documented_formula() {
        let f = figures();
        // schemes 40 × (2×1 + 1) / 8 = 15; breakdowns 10 + 5 × 4 = 30; compliance 40 / 5 = 8;
        // collection 25 / 5 = 5; met last month: 0; no committee: 5
        assert_eq!(attention_score(&f), 15 + 30 + 8 + 5 + 5);
        let mut g = f.clone();
        g.months_since_meeting = None;
        g.composition_ok = Some(true);
        assert_eq!(attention_score(&g), 15 + 30 + 8 + 5 + 10);
    }

    #[test]
    fn areas_add_shares_not_percentages() {
        let a = figures();
        let mut b = figures();
        b.collection_3m = Share::new(0, 300);
        let sum = add_up(&[&a, &b]);
        assert_eq!(sum.collection_3m, Share::new(75, 400));
        assert_eq!(sum.schemes.total, 8);
        assert_eq!(sum.gps, 2);
    }

    #[test]
    fn columns_read_back_and_only_names_sort_ascending() {
        for c in Column::ALL {
            assert_eq!(Column::parse(c.as_str()), Some(c));
            assert_eq!(c.descending_by_default(), c != Column::Name);
        }
        assert_eq!(Column::parse("lgd_code"), None);
        assert_eq!(Column::Fund.label_key(), "dash-col-fund");
    }

    #[test]
    fn a_report_is_for_a_past_or_current_month() {
        let today = NaiveDate::from_ymd_opt(2027, 3, 15).unwrap();
        let feb = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert_eq!(report_month(None, today).unwrap(), feb);
        assert_eq!(report_month(Some(""), today).unwrap(), feb);
        assert_eq!(
            report_month(Some("2027-03"), today).unwrap(),
            today.with_day(1).unwrap()
        );
        assert!(report_month(Some("2027-04"), today).is_err());
        assert!(report_month(Some("March"), today).is_err());
    }
}
