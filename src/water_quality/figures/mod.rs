//! Water-quality figures of a GP, block, district or state: sampling points tested this
//! season, tests and the share within the standard, open incidents by age, the mean days
//! from detection to a passing re-test and overdue tests; and the export of every value tested in the columns of a state's water-quality MIS
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
    /// Contamination incidents open on the last day counted (today, or the month's last day
    /// in the monthly report), by age since detection: 0–7, 8–30, 31–90 and over 90 days
    /// (see [`AGE_BUCKETS`]). `null` only in figures kept before these were counted.
    pub incidents_open_by_age: Option<Vec<i64>>,
    /// Incidents closed in the period (by the day closed) after a passing re-test, and their
    /// days from detection to that re-test added up (so places add up exactly).
    pub retests_closed: Option<i64>,
    pub retest_days_total: Option<i64>,
    /// Mean days from detection to the passing re-test over those incidents, one decimal;
    /// none without one.
    pub days_to_passing_retest: Option<f64>,
    /// Scheduled tests and inspections past their deadline and the grace days, not done on
    /// the last day counted.
    pub tests_overdue: Option<i64>,
}

impl WaterQualityFigures {
    /// Nothing counted yet, every figure known (zero): where a GP's figures and a sum start.
    pub fn zero() -> WaterQualityFigures {
        WaterQualityFigures {
            incidents_open_by_age: Some(vec![0; AGE_BUCKETS.len() + 1]),
            retests_closed: Some(0),
            retest_days_total: Some(0),
            tests_overdue: Some(0),
            ..Default::default()
        }
    }

    /// Add another place's counts (shares and the mean recomputed from the sums, never
    /// averaged; incidents, re-tests and overdue tests stay `null` while either side has
    /// none: a sum starts from [`WaterQualityFigures::zero`]).
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
        self.retests_closed = self
            .retests_closed
            .zip(o.retests_closed)
            .map(|(a, b)| a + b);
        self.retest_days_total = self
            .retest_days_total
            .zip(o.retest_days_total)
            .map(|(a, b)| a + b);
        self.days_to_passing_retest = mean_days(self.retest_days_total, self.retests_closed);
        self.tests_overdue = self.tests_overdue.zip(o.tests_overdue).map(|(a, b)| a + b);
    }
}

/// The age buckets of open incidents: the first day past each (0–7, 8–30, 31–90, 91+).
pub const AGE_BUCKETS: [i64; 3] = [7, 30, 90];

/// Which bucket an incident `age_days` old falls in (an index of `incidents_open_by_age`).
pub fn age_bucket(age_days: i64) -> usize {
    AGE_BUCKETS
        .iter()
        .position(|last| age_days <= *last)
        .unwrap_or(AGE_BUCKETS.len())
}

/// The mean of `total` days over `n` incidents, one decimal (none for none).
pub fn mean_days(total: Option<i64>, n: Option<i64>) -> Option<f64> {
    match (total, n) {
        (Some(t), Some(n)) if n > 0 => Some((t as f64 * 10.0 / n as f64).round() / 10.0),
        _ => None,
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
        // figures kept before incidents were counted stay unknown when added
        assert_eq!(a.incidents_open_by_age, None);
        let with = |ages: Vec<i64>, n, days, overdue| WaterQualityFigures {
            incidents_open_by_age: Some(ages),
            retests_closed: Some(n),
            retest_days_total: Some(days),
            days_to_passing_retest: mean_days(Some(days), Some(n)),
            tests_overdue: Some(overdue),
            ..Default::default()
        };
        let mut b = with(vec![1, 0, 2, 0], 2, 21, 3);
        b.add(&with(vec![0, 1, 0, 1], 1, 4, 0));
        assert_eq!(b.incidents_open_by_age, Some(vec![1, 1, 2, 1]));
        assert_eq!((b.retests_closed, b.retest_days_total), (Some(3), Some(25)));
        // (21 + 4) / 3 = 8.33…: the mean of all three, not of the two means
        assert_eq!(b.days_to_passing_retest, Some(8.3));
        assert_eq!(b.tests_overdue, Some(3));
        let ages: Vec<usize> = [0, 7, 8, 30, 31, 90, 91].map(age_bucket).to_vec();
        assert_eq!(ages, vec![0, 0, 1, 1, 2, 2, 3]);
    }
}
