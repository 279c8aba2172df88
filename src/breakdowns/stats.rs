//! Figures on breakdowns: repair time (hours from report to resolved: median and 90th
//! percentile), downtime (time with supply stopped, overlapping breakdowns of one scheme merged
//! so no hour counts twice) and uptime, and repeat failures. Months are Indian calendar months.

use crate::auth::Scope;
use crate::db::schema::breakdowns;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::i18n::india_midnight_utc;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// An asset with this many breakdowns in `REPEAT_DAYS` is a repeat failure; a scheme with
/// `REPEAT_SCHEME` of them too.
pub const REPEAT_ASSET: usize = 3;
pub const REPEAT_SCHEME: usize = 5;
pub const REPEAT_DAYS: i64 = 90;

/// Seconds since 1970 (UTC): the figures work in these.
pub fn secs(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

/// The few things the figures need of a breakdown, as numbers (a block has tens of thousands).
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub gp_id: i64,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    /// Supply stopped (counts as downtime).
    pub stopped: bool,
    /// Not yet resolved.
    pub open: bool,
    /// When it started, was reported, was resolved, and its repair deadline, in [`secs`]
    /// (`load_facts` leaves the start of supply that did not stop, and the deadline of closed
    /// ones, at 0: nothing reads them).
    pub started: i64,
    pub created: i64,
    pub resolved: Option<i64>,
    pub due: i64,
    pub escalation_level: i32,
}

impl Fact {
    /// Hours from report to resolution, for resolved (or closed) ones.
    pub fn repair_hours(&self) -> Option<f64> {
        self.resolved
            .map(|r| (r - self.created).max(0) as f64 / 3600.0)
    }

    /// When supply was stopped: from the start to the resolution (or `now` while open).
    pub fn stopped_interval(&self, now: i64) -> Option<(i64, i64)> {
        self.stopped
            .then(|| (self.started, self.resolved.unwrap_or(now)))
    }
}

/// Median (the mean of the middle two for an even count) of sorted values.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `p`% of the
/// values at or below it.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RepairTime {
    /// Breakdowns resolved.
    pub count: usize,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

pub fn repair_time(mut hours: Vec<f64>) -> RepairTime {
    hours.sort_by(f64::total_cmp);
    RepairTime {
        count: hours.len(),
        median_hours: median(&hours).map(round1),
        p90_hours: percentile(&hours, 90.0).map(round1),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Seconds inside `[from, to)` covered by at least one of the intervals (all in [`secs`]).
pub fn covered_seconds(intervals: &[(i64, i64)], from: i64, to: i64) -> i64 {
    let mut clipped: Vec<(i64, i64)> = intervals
        .iter()
        .map(|&(a, b)| (a.max(from), b.min(to)))
        .filter(|(a, b)| a < b)
        .collect();
    clipped.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i64, i64)> = None;
    for (a, b) in clipped {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += cb - ca;
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((ca, cb)) = current {
        total += cb - ca;
    }
    total
}

/// An Indian calendar month: its first day.
pub fn month_of(utc: NaiveDateTime) -> NaiveDate {
    let d = crate::web::i18n::today_in_india(utc);
    d.with_day(1).expect("day 1")
}

pub fn next_month(m: NaiveDate) -> NaiveDate {
    m.checked_add_months(chrono::Months::new(1))
        .expect("in range")
}

/// The UTC bounds of a month, the end cut at `now` for the current month.
pub fn month_bounds(m: NaiveDate, now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let from = india_midnight_utc(m);
    let to = india_midnight_utc(next_month(m)).min(now);
    (from, to.max(from))
}

/// `count` months ending with `last`, oldest first.
pub fn months_ending(last: NaiveDate, count: u32) -> Vec<NaiveDate> {
    (0..count)
        .rev()
        .filter_map(|i| last.checked_sub_months(chrono::Months::new(i)))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SchemeUptime {
    pub scheme_id: i64,
    /// YYYY-MM.
    pub month: String,
    /// Days (with fractions) with supply stopped.
    pub downtime_days: f64,
    /// Share of the month (to now, for the current month) with water, in percent.
    pub uptime_percent: f64,
}

/// Downtime and uptime of one scheme in one month, from its facts.
pub fn scheme_uptime(
    facts: &[&Fact],
    scheme_id: i64,
    month: NaiveDate,
    now: NaiveDateTime,
) -> SchemeUptime {
    let (from, to) = month_bounds(month, now);
    let intervals: Vec<_> = facts
        .iter()
        .filter(|f| f.scheme_id == scheme_id)
        .filter_map(|f| f.stopped_interval(secs(now)))
        .collect();
    let down = covered_seconds(&intervals, secs(from), secs(to));
    let period = (to - from).num_seconds();
    SchemeUptime {
        scheme_id,
        month: month.format("%Y-%m").to_string(),
        downtime_days: round2(down as f64 / 86_400.0),
        uptime_percent: if period > 0 {
            round2(100.0 * (1.0 - down as f64 / period as f64))
        } else {
            100.0
        },
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Which facts to load: the scope, optionally one GP or scheme, and the window.
#[derive(Debug, Clone, Default)]
pub struct FactFilter {
    pub gp: Option<i64>,
    pub scheme: Option<i64>,
    pub category: Option<String>,
}

/// Breakdowns in scope that touch `[from, to)`: reported before `to` and not resolved before
/// `from` (rejected and duplicate ones are not breakdowns of the scheme).
pub fn load_facts(
    conn: &mut DbConn,
    scope: &Scope,
    f: &FactFilter,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<Fact>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Integer, Nullable};
    let epoch = |c: &str| conn.epoch_sql(c);
    let columns = (
        breakdowns::gp_id,
        breakdowns::scheme_id,
        breakdowns::asset_id,
        sql::<Integer>("CASE WHEN supply = 'stopped' THEN 1 ELSE 0 END"),
        sql::<Integer>(
            "CASE WHEN status IN ('reported', 'acknowledged', 'in_progress', 'reopened') THEN 1 ELSE 0 END",
        ),
        // only what is used: the start of stopped supply, the deadline of open ones
        sql::<BigInt>(&format!(
            "CASE WHEN supply = 'stopped' THEN {} ELSE 0 END",
            epoch("started_at")
        )),
        sql::<BigInt>(&epoch("created_at")),
        sql::<Nullable<BigInt>>(&epoch("resolved_at")),
        sql::<BigInt>(&format!(
            "CASE WHEN status IN ('reported', 'acknowledged', 'in_progress', 'reopened') THEN {} ELSE 0 END",
            epoch("resolve_due_at")
        )),
        breakdowns::escalation_level,
    );
    let mut q = breakdowns::table
        .into_boxed()
        .filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ))
        .filter(breakdowns::status.ne_all(["rejected", "duplicate"]))
        .filter(breakdowns::created_at.lt(to))
        .filter(
            breakdowns::resolved_at
                .is_null()
                .or(breakdowns::resolved_at.ge(from)),
        );
    if let Some(g) = f.gp {
        q = q.filter(breakdowns::gp_id.eq(g));
    }
    if let Some(s) = f.scheme {
        q = q.filter(breakdowns::scheme_id.eq(s));
    }
    if let Some(c) = &f.category {
        q = q.filter(breakdowns::category.eq(c.clone()));
    }
    type Row = (
        i64,
        i64,
        Option<i64>,
        i32,
        i32,
        i64,
        i64,
        Option<i64>,
        i64,
        i32,
    );
    let rows: Vec<Row> = q.select(columns).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Fact {
            gp_id: r.0,
            scheme_id: r.1,
            asset_id: r.2,
            stopped: r.3 == 1,
            open: r.4 == 1,
            started: r.5,
            created: r.6,
            resolved: r.7,
            due: r.8,
            escalation_level: r.9,
        })
        .collect())
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct GpCounts {
    pub gp_id: i64,
    /// Open now.
    pub open: usize,
    /// Open and past the resolve deadline.
    pub overdue: usize,
    pub escalated: usize,
    /// Reported in the months shown.
    pub reported: usize,
    pub repair: RepairTime,
}

/// Named `BreakdownMonth` in the API document: the monthly report has a `MonthFigures` too.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = BreakdownMonth)]
pub struct MonthFigures {
    /// YYYY-MM.
    pub month: String,
    pub reported: usize,
    /// Repair time of those resolved in the month.
    pub repair: RepairTime,
    /// Over all schemes in scope: total days with supply stopped, and uptime in percent.
    pub downtime_days: f64,
    pub uptime_percent: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Repeat {
    /// The asset (for asset repeats) or the scheme.
    pub id: i64,
    pub scheme_id: i64,
    pub breakdowns: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// First and last month (YYYY-MM).
    pub from_month: String,
    pub to_month: String,
    /// Schemes counted in uptime (those in service).
    pub schemes: usize,
    /// Repair time over all the months.
    pub repair: RepairTime,
    pub uptime_percent: f64,
    pub by_month: Vec<MonthFigures>,
    pub by_gp: Vec<GpCounts>,
    /// Each scheme's downtime in the last month, worst first (schemes with none left out).
    pub schemes_down: Vec<SchemeUptime>,
    /// Repair time and uptime over the last 90 days to now (the dashboards' figures).
    pub last_90_days: Window,
    /// Assets with 3+ and schemes with 5+ breakdowns in the last 90 days.
    pub repeat_assets: Vec<Repeat>,
    pub repeat_schemes: Vec<Repeat>,
}

/// Repair time of the breakdowns resolved in a window and the schemes' uptime over it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Window {
    pub repair: RepairTime,
    /// The repair hours behind `repair`, so that windows of several GPs can be merged.
    pub repair_hours: Vec<f64>,
    /// Seconds of stopped supply summed over schemes, and the schemes counted.
    pub down_seconds: i64,
    pub schemes: usize,
    pub period_seconds: i64,
    pub uptime_percent: f64,
}

impl Window {
    /// The window of several GPs together (medians from the merged hours).
    pub fn merge(parts: &[&Window]) -> Window {
        let hours: Vec<f64> = parts.iter().flat_map(|w| w.repair_hours.clone()).collect();
        let down = parts.iter().map(|w| w.down_seconds).sum();
        let schemes = parts.iter().map(|w| w.schemes).sum();
        let period = parts.iter().map(|w| w.period_seconds).max().unwrap_or(0);
        Window::from_parts(hours, down, schemes, period)
    }

    fn from_parts(mut hours: Vec<f64>, down: i64, schemes: usize, period: i64) -> Window {
        hours.sort_by(f64::total_cmp);
        Window {
            repair: repair_time(hours.clone()),
            repair_hours: hours,
            down_seconds: down,
            schemes,
            period_seconds: period,
            uptime_percent: if schemes == 0 || period <= 0 {
                100.0
            } else {
                round2((100.0 * (1.0 - down as f64 / (schemes as f64 * period as f64))).max(0.0))
            },
        }
    }
}

/// The [`Window`] of `[from, to)` from the facts; `scheme_count` schemes in service.
pub fn window(facts: &[Fact], from: i64, to: i64, scheme_count: usize, now: i64) -> Window {
    let hours = facts
        .iter()
        .filter(|f| f.resolved.is_some_and(|r| r >= from && r < to))
        .filter_map(Fact::repair_hours)
        .collect();
    let mut by_scheme: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for f in facts {
        if let Some(i) = f.stopped_interval(now) {
            by_scheme.entry(f.scheme_id).or_default().push(i);
        }
    }
    let down = by_scheme
        .values()
        .map(|iv| covered_seconds(iv, from, to))
        .sum();
    Window::from_parts(hours, down, scheme_count, to - from)
}

/// `now` rounded up to a whole second: facts are in whole seconds, and one reported in the
/// current second is "before now".
fn ceil_second(now: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    match now.nanosecond() {
        0 => now,
        n => now + Duration::nanoseconds(1_000_000_000 - i64::from(n)),
    }
}

/// All the figures for `months` (oldest first) from the loaded facts. `scheme_count` is the
/// number of schemes in service in scope (a scheme with no breakdown has full uptime).
pub fn figures(
    facts: &[Fact],
    months: &[NaiveDate],
    scheme_count: usize,
    now: NaiveDateTime,
) -> Figures {
    let now = ceil_second(now);
    let first = *months.first().expect("at least one month");
    let last = *months.last().expect("at least one month");
    let (window_from, _) = month_bounds(first, now);
    let (_, window_to) = month_bounds(last, now);
    let (window_from, window_to) = (secs(window_from), secs(window_to));
    let in_window = |t: i64| t >= window_from && t < window_to;
    let resolved_in =
        |f: &Fact, from: i64, to: i64| f.resolved.is_some_and(|r| r >= from && r < to);
    let mut by_scheme: HashMap<i64, Vec<&Fact>> = HashMap::new();
    for f in facts.iter().filter(|f| f.stopped) {
        by_scheme.entry(f.scheme_id).or_default().push(f);
    }
    let downtime_in = |m: NaiveDate| -> Vec<SchemeUptime> {
        by_scheme
            .iter()
            .map(|(id, fs)| scheme_uptime(fs, *id, m, now))
            .filter(|u| u.downtime_days > 0.0)
            .collect()
    };
    let uptime_of = |down: &[SchemeUptime], m: NaiveDate| -> (f64, f64) {
        let (from, to) = month_bounds(m, now);
        let period_days = (to - from).num_seconds() as f64 / 86_400.0;
        // fold from +0.0: an empty float sum is -0.0, which would print as "-0.0"
        let total = down.iter().fold(0.0, |a, u| a + u.downtime_days);
        let pct = if scheme_count == 0 || period_days <= 0.0 {
            100.0
        } else {
            100.0 * (1.0 - total / (scheme_count as f64 * period_days))
        };
        (round2(total), round2(pct.max(0.0)))
    };
    let mut by_month = vec![];
    let mut window_down = 0.0;
    let mut window_days = 0.0;
    for &m in months {
        let (from, to) = month_bounds(m, now);
        let down = downtime_in(m);
        let (days, pct) = uptime_of(&down, m);
        window_down += days;
        window_days += (to - from).num_seconds() as f64 / 86_400.0;
        let (from, to) = (secs(from), secs(to));
        by_month.push(MonthFigures {
            month: m.format("%Y-%m").to_string(),
            reported: facts
                .iter()
                .filter(|f| f.created >= from && f.created < to)
                .count(),
            repair: repair_time(
                facts
                    .iter()
                    .filter(|f| resolved_in(f, from, to))
                    .filter_map(Fact::repair_hours)
                    .collect(),
            ),
            downtime_days: days,
            uptime_percent: pct,
        });
    }
    let mut gps: BTreeMap<i64, (GpCounts, Vec<f64>)> = BTreeMap::new();
    for f in facts {
        let (g, hours) = gps.entry(f.gp_id).or_insert_with(|| {
            (
                GpCounts {
                    gp_id: f.gp_id,
                    ..Default::default()
                },
                vec![],
            )
        });
        if f.open {
            g.open += 1;
            if f.due < secs(now) {
                g.overdue += 1;
            }
            if f.escalation_level > 0 {
                g.escalated += 1;
            }
        }
        if in_window(f.created) {
            g.reported += 1;
        }
        if resolved_in(f, window_from, window_to) {
            hours.extend(f.repair_hours());
        }
    }
    let by_gp = gps
        .into_values()
        .map(|(mut g, hours)| {
            g.repair = repair_time(hours);
            g
        })
        .collect();
    let mut schemes_down = downtime_in(last);
    schemes_down.sort_by(|a, b| {
        b.downtime_days
            .total_cmp(&a.downtime_days)
            .then(a.scheme_id.cmp(&b.scheme_id))
    });
    let recent = secs(now - Duration::days(REPEAT_DAYS));
    let mut asset_counts: HashMap<i64, (i64, usize)> = HashMap::new();
    let mut scheme_counts: HashMap<i64, usize> = HashMap::new();
    for f in facts.iter().filter(|f| f.created > recent) {
        if let Some(a) = f.asset_id {
            asset_counts.entry(a).or_insert((f.scheme_id, 0)).1 += 1;
        }
        *scheme_counts.entry(f.scheme_id).or_default() += 1;
    }
    let mut repeat_assets: Vec<Repeat> = asset_counts
        .into_iter()
        .filter(|(_, (_, n))| *n >= REPEAT_ASSET)
        .map(|(id, (scheme_id, n))| Repeat {
            id,
            scheme_id,
            breakdowns: n,
        })
        .collect();
    repeat_assets.sort_by_key(|r| (std::cmp::Reverse(r.breakdowns), r.id));
    let mut repeat_schemes: Vec<Repeat> = scheme_counts
        .into_iter()
        .filter(|(_, n)| *n >= REPEAT_SCHEME)
        .map(|(id, n)| Repeat {
            id,
            scheme_id: id,
            breakdowns: n,
        })
        .collect();
    repeat_schemes.sort_by_key(|r| (std::cmp::Reverse(r.breakdowns), r.id));
    Figures {
        from_month: first.format("%Y-%m").to_string(),
        to_month: last.format("%Y-%m").to_string(),
        schemes: scheme_count,
        repair: repair_time(
            facts
                .iter()
                .filter(|f| resolved_in(f, window_from, window_to))
                .filter_map(Fact::repair_hours)
                .collect(),
        ),
        uptime_percent: if scheme_count == 0 || window_days <= 0.0 {
            100.0
        } else {
            round2((100.0 * (1.0 - window_down / (scheme_count as f64 * window_days))).max(0.0))
        },
        by_month,
        by_gp,
        schemes_down,
        last_90_days: window(
            facts,
            secs(now - Duration::days(REPEAT_DAYS)),
            secs(now),
            scheme_count,
            secs(now),
        ),
        repeat_assets,
        repeat_schemes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn s(v: &str) -> i64 {
        secs(t(v))
    }

    #[test]
    fn median_and_percentile_by_hand() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5.0]), Some(5.0));
        assert_eq!(median(&[1.0, 2.0, 10.0, 40.0]), Some(6.0));
        let ten: Vec<f64> = (1..=10).map(|i| i as f64 * 10.0).collect();
        // nearest rank: ceil(0.9 × 10) = 9th value
        assert_eq!(percentile(&ten, 90.0), Some(90.0));
        assert_eq!(percentile(&[3.0, 7.0], 90.0), Some(7.0));
        assert_eq!(percentile(&[4.0], 90.0), Some(4.0));
        let r = repair_time(vec![72.0, 12.0, 30.0]);
        assert_eq!(
            r,
            RepairTime {
                count: 3,
                median_hours: Some(30.0),
                p90_hours: Some(72.0)
            }
        );
    }

    #[test]
    fn overlapping_intervals_count_once() {
        let from = s("2026-03-01 00:00");
        let to = s("2026-03-11 00:00");
        // 2nd–5th and 4th–6th overlap: 4 days, not 5; 8th–9th adds one; one outside is clipped.
        let iv = [
            (s("2026-03-02 00:00"), s("2026-03-05 00:00")),
            (s("2026-03-04 00:00"), s("2026-03-06 00:00")),
            (s("2026-03-08 00:00"), s("2026-03-09 00:00")),
            (s("2026-02-20 00:00"), s("2026-03-01 12:00")),
            (s("2026-03-10 12:00"), s("2026-03-20 00:00")),
        ];
        let secs = covered_seconds(&iv, from, to);
        assert_eq!(secs, (4 * 24 + 24 + 12 + 12) * 3600);
        // an interval inside another adds nothing
        let nested = [
            (s("2026-03-02 00:00"), s("2026-03-09 00:00")),
            (s("2026-03-03 00:00"), s("2026-03-04 00:00")),
        ];
        assert_eq!(covered_seconds(&nested, from, to), 7 * 86_400);
    }

    #[test]
    fn months_are_indian_months() {
        // 31 March 19:00 UTC is already 1 April in India.
        assert_eq!(
            month_of(t("2026-03-31 19:00")),
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        let (from, to) = month_bounds(
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            t("2027-01-01 00:00"),
        );
        assert_eq!(from, t("2026-01-31 18:30"));
        assert_eq!(to, t("2026-02-28 18:30"));
        assert_eq!(
            months_ending(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(), 3),
            vec![
                NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            ]
        );
    }
}
