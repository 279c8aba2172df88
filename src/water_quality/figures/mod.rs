//! Water-quality figures of a GP, block, district or state: sampling points tested this
//! season, tests and the share within the standard, and (when the incidents and schedules
//! areas land) open incidents by age, days from detection to a passing re-test and overdue
//! tests; and the export of every value tested in the columns of a state's water-quality MIS
//! (JJM WQMIS style; the mapping is in the README).
//!
//! A season is half a year: April–September (pre-monsoon and monsoon rounds) and
//! October–March (the post-monsoon round and the laboratories' chemical testing window).
//!
//! This folder has the area's five files: the figures' shape and the season rule here,
//! `model` (set-based counts per GP; the export's rows), `service` (a place's figures in the
//! reader's scope), `pages` (the figures page and the CSV export) and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The season `day` falls in: (first day, last day).
pub fn season_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(day);
    match day.month() {
        4..=9 => (ymd(day.year(), 4, 1), ymd(day.year(), 9, 30)),
        10..=12 => (ymd(day.year(), 10, 1), ymd(day.year() + 1, 3, 31)),
        _ => (ymd(day.year() - 1, 10, 1), ymd(day.year(), 3, 31)),
    }
}

/// One place's water-quality figures for a season (in OpenAPI `WaterQualityFigures`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = WaterQualityFigures)]
#[serde(default)]
pub struct WaterQualityFigures {
    /// The season counted: its first and last day.
    pub season_from: Option<NaiveDate>,
    pub season_to: Option<NaiveDate>,
    /// Sampling points in use.
    pub points: i64,
    /// Of them, tested at least once this season (any kind of test).
    pub points_tested: i64,
    /// Tests this season (by the day tested), and those within the standard (acceptable, or
    /// within the permissible limit where the standard allows it).
    pub tests: i64,
    pub tests_within: i64,
    /// Percent within, one decimal; none without tests.
    pub within_percent: Option<f64>,
    /// Tests beyond the permissible limit, and with bacteria present.
    pub tests_beyond_permissible: i64,
    pub tests_bacteria_present: i64,
    /// Open contamination incidents by age (0–7, 8–30, 31–90, over 90 days). `null` until
    /// the incidents area (`water_incidents`) lands: see [`model::incident_figures`].
    pub incidents_open_by_age: Option<Vec<i64>>,
    /// Median days from a failing result to the passing re-test that closed its incident.
    /// `null` until the incidents area lands: see [`model::incident_figures`].
    pub days_to_passing_retest: Option<f64>,
    /// Tests due and not done. `null` until the schedules area lands: see
    /// [`model::overdue_tests`].
    pub tests_overdue: Option<i64>,
}

impl WaterQualityFigures {
    /// Add another place's counts (shares recomputed from the sums, never averaged; the
    /// later figures stay `null` while either side has none).
    pub fn add(&mut self, o: &WaterQualityFigures) {
        self.season_from = self.season_from.or(o.season_from);
        self.season_to = self.season_to.or(o.season_to);
        self.points += o.points;
        self.points_tested += o.points_tested;
        self.tests += o.tests;
        self.tests_within += o.tests_within;
        self.tests_beyond_permissible += o.tests_beyond_permissible;
        self.tests_bacteria_present += o.tests_bacteria_present;
        self.within_percent = crate::billing::ledger::percent(self.tests_within, self.tests);
        self.incidents_open_by_age = match (&self.incidents_open_by_age, &o.incidents_open_by_age) {
            (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| x + y).collect()),
            _ => None,
        };
        // a median does not add up: left for the incidents area to compute over its rows
        self.days_to_passing_retest = None;
        self.tests_overdue = self.tests_overdue.zip(o.tests_overdue).map(|(a, b)| a + b);
    }
}

/// The columns of the export, in order (a state's water-quality MIS; README "Water quality").
pub const EXPORT_COLUMNS: [&str; 20] = [
    "state",
    "district",
    "block",
    "gram_panchayat",
    "village",
    "village_lgd_code",
    "sampling_point",
    "source_type",
    "sample_id",
    "sample_date",
    "test_date",
    "tested_by",
    "laboratory",
    "lab_sample_no",
    "parameter",
    "value",
    "unit",
    "acceptable_limit",
    "permissible_limit",
    "result",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_are_half_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(season_of(d(2026, 12, 7)), (d(2026, 10, 1), d(2027, 3, 31)));
        assert_eq!(season_of(d(2027, 2, 1)), (d(2026, 10, 1), d(2027, 3, 31)));
        assert_eq!(season_of(d(2026, 4, 1)), (d(2026, 4, 1), d(2026, 9, 30)));
        let mut a = WaterQualityFigures {
            tests: 3,
            tests_within: 2,
            ..Default::default()
        };
        a.add(&WaterQualityFigures {
            tests: 1,
            tests_within: 1,
            ..Default::default()
        });
        assert_eq!(
            (a.tests, a.tests_within, a.within_percent),
            (4, 3, Some(75.0))
        );
    }
}
