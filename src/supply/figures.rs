//! The pure rules behind the supply figures: sessions and their minutes, what a meter
//! measured between two readings (with roll-over and replacement), and a month's volume,
//! lpcd, hours, regularity, energy per kL, days without supply by reason, and the three
//! criteria of functionality. No rows and no handlers: `service` loads, these compute.
//!
//! How the figures are counted:
//! - A meter's consumption is the difference between a reading and the one before it (on
//!   an earlier day), whatever the days between: an interval. A reading marked
//!   `rolled_over` adds what the meter ran up to its capacity (capacity − previous + new);
//!   one marked `replaced` starts a new series (the interval ending there is unknown). A
//!   lower reading without either is not counted (the service refuses to store one).
//! - An interval belongs to the day (and month) it ends on, and covers its days: a missed
//!   day's water shows up in the next reading, averaged over both days.
//! - lpcd = litres measured ÷ days the intervals cover ÷ persons served; compared with the
//!   norm in whole numbers (litres ≥ norm × persons × days), so 55.0 meets 55 exactly.
//! - Regularity: days supplied (logged as usual or less) ÷ days scheduled in the period, and
//!   minutes supplied ÷ minutes scheduled; both must reach the configured share.
//! - Energy per kL = Wh ÷ litres (kWh per kL) over the intervals both meters measured.
//! - Operator and device readings side by side ([`with_device`]): on a day the operator
//!   read a meter, the operator's reading counts; on a day they did not, the last reading a
//!   device sent that day does. Device readings are taken as reading the same meter. A
//!   device cannot say "rolled over" or "replaced": a device reading lower than the reading
//!   before it is not counted as consumption and starts a new series (like a replacement).

use super::{Criterion, Functionality, MeterEvent, Norms, Reason, Source, Supplied, MAX_SESSIONS};
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use std::collections::BTreeMap;

/// One supply session, start before end, the same day (India time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Session {
    pub fn minutes(self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    pub fn text(self) -> String {
        format!(
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

fn parse_time(raw: &str) -> Option<NaiveTime> {
    let v = crate::web::forms::ascii_digits(raw.trim()).replace('.', ":");
    NaiveTime::parse_from_str(&v, "%H:%M").ok()
}

/// "06:00-08:00" (Devanagari digits too; "6:00 - 8:00" and "06.00-08.00" as well).
pub fn parse_session(raw: &str) -> Option<Session> {
    let (a, b) = raw.split_once(['-', '–'])?;
    let (start, end) = (parse_time(a)?, parse_time(b)?);
    (start < end).then_some(Session { start, end })
}

/// Sessions separated by commas, semicolons or line breaks: `None` when one does not read,
/// there are more than [`MAX_SESSIONS`], or two overlap. Empty text is no sessions.
pub fn parse_sessions(raw: &str) -> Option<Vec<Session>> {
    let mut out: Vec<Session> = raw
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_session)
        .collect::<Option<_>>()?;
    out.sort_by_key(|s| s.start);
    let overlap = out.windows(2).any(|w| w[1].start < w[0].end);
    (out.len() <= MAX_SESSIONS && !overlap).then_some(out)
}

/// Sessions as stored: "06:00-08:00,17:00-19:00".
pub fn sessions_text(sessions: &[Session]) -> String {
    sessions
        .iter()
        .map(|s| s.text())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn total_minutes(sessions: &[Session]) -> i64 {
    sessions.iter().map(|s| s.minutes()).sum()
}

/// One meter reading on a day, with what happened to the meter since the reading before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub day: NaiveDate,
    pub value: i64,
    pub event: MeterEvent,
    /// For a roll-over: the value at which the meter goes back to zero.
    pub capacity: Option<i64>,
}

/// What a meter measured between two readings: `amount` over the days after `from` up to
/// and including `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Interval {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub amount: i64,
}

impl Interval {
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days()
    }
}

/// What the meter measured between `prev` and `next` (a later day): `None` for a new
/// series (replaced), a roll-over whose capacity does not fit, or a lower reading said to
/// be neither.
pub fn measured(prev: i64, next: Reading) -> Option<i64> {
    match next.event {
        MeterEvent::Replaced => None,
        MeterEvent::RolledOver => {
            let cap = next.capacity?;
            (cap >= prev && next.value <= cap).then(|| cap - prev + next.value)
        }
        MeterEvent::None => (next.value >= prev).then(|| next.value - prev),
    }
}

/// The intervals of a series of readings (any order; one a day).
pub fn intervals(readings: &[Reading]) -> Vec<Interval> {
    let mut r = readings.to_vec();
    r.sort_by_key(|x| x.day);
    r.windows(2)
        .filter(|w| w[0].day < w[1].day)
        .filter_map(|w| {
            measured(w[0].value, w[1]).map(|amount| Interval {
                from: w[0].day,
                to: w[1].day,
                amount,
            })
        })
        .collect()
}

/// A meter's readings as counted, each with its source: every operator reading, and for
/// each day without one, the last of that day's device readings (`device` oldest first, as
/// (India day, value)), with no event (see the module's notes). Sorted by day.
pub fn with_device(person: &[Reading], device: &[(NaiveDate, i64)]) -> Vec<(Reading, Source)> {
    let mut out: BTreeMap<NaiveDate, (Reading, Source)> = BTreeMap::new();
    for &(day, value) in device {
        let r = Reading {
            day,
            value,
            event: MeterEvent::None,
            capacity: None,
        };
        out.insert(day, (r, Source::Device));
    }
    for r in person {
        out.insert(r.day, (*r, Source::Person));
    }
    out.into_values().collect()
}

/// A day's log, as the figures need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub day: NaiveDate,
    pub supplied: Supplied,
    pub reason: Option<Reason>,
    pub supply_minutes: i64,
    pub pumping_minutes: Option<i64>,
}

/// The period measured and what was scheduled in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First and last day, inclusive (a month, or the part of it up to today).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days_per_week: i64,
    /// Minutes of the usual sessions in a day.
    pub scheduled_minutes_per_day: i64,
}

impl Period {
    pub fn days(&self) -> i64 {
        ((self.to - self.from).num_days() + 1).max(0)
    }

    /// Days water is due in the period: all of them for a daily supply, else the share of
    /// `days_per_week`, rounded to the nearest day.
    pub fn scheduled_days(&self) -> i64 {
        (self.days() * self.days_per_week + 3) / 7
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Days without supply (or with less) for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReasonDays {
    pub reason: Reason,
    pub days_none: i64,
    pub days_less: i64,
}

/// A period's figures for one scheme (in OpenAPI `SupplyFigures`: breakdowns have `Figures`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = SupplyFigures)]
pub struct Figures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub days_logged: i64,
    pub days_scheduled: i64,
    /// Days logged as supplied (as usual or less).
    pub days_supplied: i64,
    pub days_without_supply: i64,
    /// Scheduled days with no log at all.
    pub days_not_logged: i64,
    pub minutes_scheduled: i64,
    pub minutes_supplied: i64,
    /// Average supply hours on the days supplied.
    pub hours_per_day: Option<f64>,
    pub pumping_hours: Option<f64>,
    /// Litres measured by the bulk meter over intervals ending in the period.
    pub volume_litres: i64,
    /// Days those intervals cover.
    pub days_measured: i64,
    pub persons_served: i64,
    pub lpcd: Option<f64>,
    /// Days supplied ÷ days scheduled, percent.
    pub regularity_percent: Option<f64>,
    /// Minutes supplied ÷ minutes scheduled, percent.
    pub hours_percent: Option<f64>,
    /// kWh per kL over the intervals both meters measured.
    pub energy_kwh_per_kl: Option<f64>,
    pub energy_wh: i64,
    pub by_reason: Vec<ReasonDays>,
    /// Bulk (energy) meter readings in the period taken from devices: days the operator did
    /// not read the meter and a device did.
    pub bulk_readings_by_device: i64,
    pub energy_readings_by_device: i64,
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The figures of a period from its days' logs and its meters' readings (readings may
/// reach before the period: the first interval in it starts at the reading before).
pub fn figures(
    period: Period,
    days: &[Day],
    bulk: &[Reading],
    energy: &[Reading],
    persons_served: i64,
) -> Figures {
    let logged: Vec<&Day> = days.iter().filter(|d| period.contains(d.day)).collect();
    let supplied: Vec<&&Day> = logged
        .iter()
        .filter(|d| d.supplied != Supplied::None)
        .collect();
    let days_supplied = supplied.len() as i64;
    let minutes_supplied: i64 = supplied.iter().map(|d| d.supply_minutes).sum();
    let pumping: Vec<i64> = logged.iter().filter_map(|d| d.pumping_minutes).collect();
    let days_scheduled = period.scheduled_days();
    let minutes_scheduled = days_scheduled * period.scheduled_minutes_per_day;
    let mut by_reason: BTreeMap<&'static str, ReasonDays> = BTreeMap::new();
    for d in &logged {
        if d.supplied == Supplied::AsUsual {
            continue;
        }
        let reason = d.reason.unwrap_or(Reason::Other);
        let e = by_reason.entry(reason.as_str()).or_insert(ReasonDays {
            reason,
            days_none: 0,
            days_less: 0,
        });
        if d.supplied == Supplied::None {
            e.days_none += 1;
        } else {
            e.days_less += 1;
        }
    }
    let mut by_reason: Vec<ReasonDays> = by_reason.into_values().collect();
    by_reason.sort_by_key(|r| std::cmp::Reverse(r.days_none + r.days_less));
    let water: Vec<Interval> = intervals(bulk)
        .into_iter()
        .filter(|i| period.contains(i.to))
        .collect();
    let volume_litres: i64 = water.iter().map(|i| i.amount).sum();
    let days_measured: i64 = water.iter().map(Interval::days).sum();
    let power = intervals(energy);
    let (mut wh, mut litres) = (0i64, 0i64);
    for w in &water {
        if let Some(p) = power.iter().find(|p| p.from == w.from && p.to == w.to) {
            wh += p.amount;
            litres += w.amount;
        }
    }
    let lpcd = (persons_served > 0 && days_measured > 0)
        .then(|| one_decimal(volume_litres as f64 / days_measured as f64 / persons_served as f64));
    Figures {
        from: period.from,
        to: period.to,
        days: period.days(),
        days_logged: logged.len() as i64,
        days_scheduled,
        days_supplied,
        days_without_supply: logged.len() as i64 - days_supplied,
        days_not_logged: (days_scheduled - logged.len() as i64).max(0),
        minutes_scheduled,
        minutes_supplied,
        hours_per_day: ratio(minutes_supplied, days_supplied * 60).map(one_decimal),
        pumping_hours: (!pumping.is_empty())
            .then(|| one_decimal(pumping.iter().sum::<i64>() as f64 / 60.0)),
        volume_litres,
        days_measured,
        persons_served,
        lpcd,
        regularity_percent: ratio(days_supplied * 100, days_scheduled).map(one_decimal),
        hours_percent: ratio(minutes_supplied * 100, minutes_scheduled).map(one_decimal),
        energy_kwh_per_kl: (litres > 0)
            .then(|| (wh as f64 * 100.0 / litres as f64).round() / 100.0),
        energy_wh: wh,
        by_reason,
        bulk_readings_by_device: 0,
        energy_readings_by_device: 0,
    }
}

/// Quantity: the litres measured reach the norm for every person on every day measured.
/// Not assessed without a measured interval or without persons served.
pub fn quantity_criterion(f: &Figures, norms: Norms) -> Criterion {
    if f.days_measured == 0 || f.persons_served == 0 {
        return Criterion::NotAssessed;
    }
    let needed =
        i128::from(norms.lpcd_norm) * i128::from(f.persons_served) * i128::from(f.days_measured);
    if i128::from(f.volume_litres) >= needed {
        Criterion::Met
    } else {
        Criterion::NotMet
    }
}

/// Regularity: days supplied and minutes supplied each reach the configured share of those
/// scheduled. Not assessed when nothing was scheduled (a period not yet begun).
pub fn regularity_criterion(f: &Figures, norms: Norms) -> Criterion {
    if f.days_scheduled == 0 {
        return Criterion::NotAssessed;
    }
    let share = norms.regularity_percent;
    let days_ok = f.days_supplied * 100 >= share * f.days_scheduled;
    let hours_ok = f.minutes_supplied * 100 >= share * f.minutes_scheduled;
    if days_ok && hours_ok {
        Criterion::Met
    } else {
        Criterion::NotMet
    }
}

/// Functionality from the three criteria: functional when quantity and regularity are met
/// and quality is not failed; not assessed when neither quantity nor regularity could be;
/// not functional when no criterion is met; partly functional otherwise.
pub fn functionality(
    quantity: Criterion,
    regularity: Criterion,
    quality: Criterion,
) -> Functionality {
    use Criterion::{Met, NotAssessed, NotMet};
    if quantity == Met && regularity == Met && quality != NotMet {
        Functionality::Functional
    } else if quantity == NotAssessed && regularity == NotAssessed {
        Functionality::NotAssessed
    } else if ![quantity, regularity, quality].contains(&Met) {
        Functionality::NotFunctional
    } else {
        Functionality::PartlyFunctional
    }
}

/// A tail-end check's readings at the farthest (or highest) household, as recorded: the
/// water collected in a timed interval, or the litres a day the household got; the residual
/// head, or whether water reached at all. Each may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, utoipa::ToSchema)]
#[schema(as = SupplyTailEndReadings)]
pub struct TailEndReadings {
    pub litres_collected: Option<f64>,
    pub seconds: Option<f64>,
    pub litres_per_day: Option<f64>,
    pub head_m: Option<f64>,
    pub reached: Option<bool>,
}

impl TailEndReadings {
    /// Litres a minute, from the water collected and the seconds it took.
    pub fn lpm(&self) -> Option<f64> {
        match (self.litres_collected, self.seconds) {
            (Some(l), Some(s)) if s > 0.0 => Some(l * 60.0 / s),
            _ => None,
        }
    }
}

/// What a tail-end check says: quantity and pressure at the tail end, each met, not met or
/// not assessed (not measured).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = SupplyTailEndVerdict)]
pub struct TailEndVerdict {
    pub quantity: Criterion,
    pub pressure: Criterion,
}

impl TailEndVerdict {
    /// Failed when either is not met.
    pub fn failed(&self) -> bool {
        self.quantity == Criterion::NotMet || self.pressure == Criterion::NotMet
    }
}

/// Judge a tail-end check. Water that did not reach fails both. Quantity: the flow (lpm)
/// over the usual supply minutes of a day, or else the litres a day measured, must give a
/// household the norm (lpcd norm × persons per household); pressure: the residual head must
/// reach `min_head_m`, or else water must have reached.
pub fn tail_end_verdict(
    r: &TailEndReadings,
    norms: Norms,
    minutes_per_day: i64,
    min_head_m: f64,
) -> TailEndVerdict {
    if r.reached == Some(false) {
        return TailEndVerdict {
            quantity: Criterion::NotMet,
            pressure: Criterion::NotMet,
        };
    }
    let need = (norms.lpcd_norm * norms.persons_per_household) as f64;
    let met = |ok: bool| {
        if ok {
            Criterion::Met
        } else {
            Criterion::NotMet
        }
    };
    // a thousandth of a litre of slack for the decimals typed
    let quantity = match (r.lpm(), r.litres_per_day) {
        (Some(lpm), _) if minutes_per_day > 0 => met(lpm * minutes_per_day as f64 + 1e-3 >= need),
        (_, Some(lpd)) => met(lpd + 1e-3 >= need),
        _ => Criterion::NotAssessed,
    };
    let pressure = match (r.head_m, r.reached) {
        (Some(h), _) => met(h + 1e-9 >= min_head_m),
        (None, Some(true)) => Criterion::Met,
        _ => Criterion::NotAssessed,
    };
    TailEndVerdict { quantity, pressure }
}

/// The quantity criterion with the tail-end check counted: a failed check makes it not met
/// (the measured lpcd is an average: the farthest household may still go short); a passed
/// or missing one leaves it as the lpcd says.
pub fn quantity_with_tail_end(lpcd: Criterion, tail_end: Option<TailEndVerdict>) -> Criterion {
    match tail_end {
        Some(v) if v.failed() => Criterion::NotMet,
        _ => lpcd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 4, day).unwrap()
    }

    fn reading(day: u32, value: i64) -> Reading {
        Reading {
            day: d(day),
            value,
            event: MeterEvent::None,
            capacity: None,
        }
    }

    fn norms() -> Norms {
        Norms {
            persons_per_household: 5,
            lpcd_norm: 55,
            regularity_percent: 80,
        }
    }

    #[test]
    fn sessions_read_and_add_up() {
        let s = parse_sessions("06:00-08:00, १७:००-१८:३०").unwrap();
        assert_eq!(total_minutes(&s), 210);
        assert_eq!(sessions_text(&s), "06:00-08:00,17:00-18:30");
        assert!(parse_sessions("08:00-06:00").is_none(), "end before start");
        assert!(
            parse_sessions("06:00-08:00,07:00-09:00").is_none(),
            "overlap"
        );
        assert!(parse_sessions("6-8").is_none());
        assert_eq!(parse_sessions("").unwrap(), vec![]);
        assert!(parse_sessions("1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,9:00-10:00").is_none());
    }

    #[test]
    fn a_roll_over_adds_what_ran_up_to_the_capacity() {
        let mut r = reading(3, 500);
        r.event = MeterEvent::RolledOver;
        r.capacity = Some(1_000_000);
        assert_eq!(measured(999_000, r), Some(1_500));
        // a capacity below the last reading cannot be
        r.capacity = Some(900_000);
        assert_eq!(measured(999_000, r), None);
        // a lower reading said to be neither is not counted
        assert_eq!(measured(999_000, reading(3, 500)), None);
        // a replaced meter starts a new series
        let mut n = reading(3, 20);
        n.event = MeterEvent::Replaced;
        assert_eq!(measured(5, n), None);
        let series = [reading(1, 100), n, reading(4, 70)];
        assert_eq!(
            intervals(&series),
            vec![Interval {
                from: d(3),
                to: d(4),
                amount: 50
            }]
        );
    }

    /// Five days, 10 persons, 55 lpcd needs 550 L a day. Day 3 is not logged; day 4 rolls
    /// over at 100,000 L; day 5 is a day without supply (power cut).
    #[test]
    fn lpcd_and_regularity_by_hand() {
        let period = Period {
            from: d(1),
            to: d(5),
            days_per_week: 7,
            scheduled_minutes_per_day: 240,
        };
        let day = |n, supplied, minutes| Day {
            day: d(n),
            supplied,
            reason: (supplied != Supplied::AsUsual).then_some(Reason::PowerCut),
            supply_minutes: minutes,
            pumping_minutes: Some(minutes),
        };
        let days = [
            day(1, Supplied::AsUsual, 240),
            day(2, Supplied::AsUsual, 240),
            day(4, Supplied::Less, 120),
            day(5, Supplied::None, 0),
        ];
        let mut over = reading(4, 600);
        over.event = MeterEvent::RolledOver;
        over.capacity = Some(100_000);
        // 31 March's reading starts the first interval
        let bulk = [
            Reading {
                day: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
                value: 98_000,
                event: MeterEvent::None,
                capacity: None,
            },
            reading(1, 98_600),
            reading(2, 99_200),
            over,
            reading(5, 600),
        ];
        let f = figures(period, &days, &bulk, &[], 10);
        // 600 + 600 + (100,000 − 99,200 + 600 = 1,400 over days 3–4) + 0
        assert_eq!(f.volume_litres, 2_600);
        assert_eq!(f.days_measured, 5);
        // 2,600 L ÷ 5 days ÷ 10 persons
        assert_eq!(f.lpcd, Some(52.0));
        assert_eq!(quantity_criterion(&f, norms()), Criterion::NotMet);
        // 3 of 5 days supplied (60%), 600 of 1,200 minutes (50%)
        assert_eq!((f.days_supplied, f.days_scheduled), (3, 5));
        assert_eq!(f.regularity_percent, Some(60.0));
        assert_eq!(f.hours_percent, Some(50.0));
        assert_eq!(f.days_not_logged, 1);
        assert_eq!(f.days_without_supply, 1);
        assert_eq!(f.hours_per_day, Some(3.3));
        assert_eq!(regularity_criterion(&f, norms()), Criterion::NotMet);
        assert_eq!(f.by_reason.len(), 1);
        assert_eq!((f.by_reason[0].days_none, f.by_reason[0].days_less), (1, 1));
    }

    fn month_with(volume: i64, days_supplied: i64, minutes: i64) -> Figures {
        let period = Period {
            from: d(1),
            to: d(10),
            days_per_week: 7,
            scheduled_minutes_per_day: 60,
        };
        let days: Vec<Day> = (1..=10)
            .map(|n| Day {
                day: d(n),
                supplied: if i64::from(n) <= days_supplied {
                    Supplied::AsUsual
                } else {
                    Supplied::None
                },
                reason: None,
                supply_minutes: if i64::from(n) <= days_supplied {
                    minutes
                } else {
                    0
                },
                pumping_minutes: None,
            })
            .collect();
        let bulk = [
            Reading {
                day: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
                value: 0,
                event: MeterEvent::None,
                capacity: None,
            },
            reading(10, volume),
        ];
        figures(period, &days, &bulk, &[], 4)
    }

    #[test]
    fn the_norm_exactly_is_met_just_below_is_not() {
        // 4 persons × 10 days × 55 L = 2,200 L
        let f = month_with(2_200, 10, 60);
        assert_eq!(f.lpcd, Some(55.0));
        assert_eq!(quantity_criterion(&f, norms()), Criterion::Met);
        let f = month_with(2_199, 10, 60);
        assert_eq!(f.lpcd, Some(55.0), "shown rounded");
        assert_eq!(quantity_criterion(&f, norms()), Criterion::NotMet);
    }

    #[test]
    fn regularity_at_the_threshold() {
        // 8 of 10 days is 80%: met; 7 is not
        assert_eq!(
            regularity_criterion(&month_with(2_200, 8, 60), norms()),
            Criterion::Met
        );
        assert_eq!(
            regularity_criterion(&month_with(2_200, 7, 60), norms()),
            Criterion::NotMet
        );
        // the days are there but the hours are short: 8 days × 59 minutes < 80% of 600
        assert_eq!(
            regularity_criterion(&month_with(2_200, 8, 59), norms()),
            Criterion::NotMet
        );
        // and 10 days × 48 minutes is exactly 80% of the hours
        assert_eq!(
            regularity_criterion(&month_with(2_200, 10, 48), norms()),
            Criterion::Met
        );
    }

    #[test]
    fn energy_per_kl_over_intervals_both_meters_measured() {
        let period = Period {
            from: d(1),
            to: d(3),
            days_per_week: 7,
            scheduled_minutes_per_day: 60,
        };
        let bulk = [reading(1, 0), reading(2, 10_000), reading(3, 20_000)];
        // the energy meter was not read on day 2: only day 1 → 3 is not matched
        let energy = [reading(1, 1_000), reading(3, 9_000)];
        let f = figures(period, &[], &bulk, &energy, 0);
        assert_eq!(f.energy_kwh_per_kl, None);
        assert_eq!(f.lpcd, None, "no persons served");
        let energy = [reading(1, 1_000), reading(2, 5_000), reading(3, 10_000)];
        let f = figures(period, &[], &bulk, &energy, 0);
        // 9,000 Wh for 20,000 L = 0.45 kWh/kL
        assert_eq!(f.energy_kwh_per_kl, Some(0.45));
        assert_eq!(f.energy_wh, 9_000);
    }

    #[test]
    fn functionality_from_the_criteria() {
        use Criterion::{Met, NotAssessed, NotMet};
        use Functionality::*;
        assert_eq!(functionality(Met, Met, NotAssessed), Functional);
        assert_eq!(functionality(Met, Met, NotMet), PartlyFunctional);
        assert_eq!(functionality(NotMet, Met, NotAssessed), PartlyFunctional);
        assert_eq!(
            functionality(NotAssessed, Met, NotAssessed),
            PartlyFunctional
        );
        assert_eq!(functionality(NotMet, NotMet, NotAssessed), NotFunctional);
        assert_eq!(
            functionality(NotAssessed, NotAssessed, Met),
            Functionality::NotAssessed
        );
        assert_eq!(
            functionality(NotAssessed, NotMet, NotAssessed),
            NotFunctional
        );
    }

    /// 55 lpcd × 5 persons = 275 L a day for the household; the usual supply is 2 hours.
    #[test]
    fn a_tail_end_check_by_hand() {
        let r = |l, s, head, reached| TailEndReadings {
            litres_collected: Some(l),
            seconds: Some(s),
            litres_per_day: None,
            head_m: head,
            reached,
        };
        // 10 L in 240 s = 2.5 lpm × 120 min = 300 L ≥ 275: met; 8 m ≥ 7 m: met
        let v = tail_end_verdict(&r(10.0, 240.0, Some(8.0), None), norms(), 120, 7.0);
        assert_eq!((v.quantity, v.pressure), (Criterion::Met, Criterion::Met));
        assert!(!v.failed());
        // 10 L in 264 s = 2.27 lpm × 120 = 272.7 L < 275: not met
        let v = tail_end_verdict(&r(10.0, 264.0, Some(8.0), None), norms(), 120, 7.0);
        assert_eq!(v.quantity, Criterion::NotMet);
        // exactly the need: 275 L over 120 minutes (2.2917 lpm as 11 L in 288 s)
        let v = tail_end_verdict(&r(11.0, 288.0, None, Some(true)), norms(), 120, 7.0);
        assert_eq!((v.quantity, v.pressure), (Criterion::Met, Criterion::Met));
        // head below the minimum
        let v = tail_end_verdict(&r(10.0, 60.0, Some(6.5), None), norms(), 120, 7.0);
        assert_eq!(
            (v.quantity, v.pressure),
            (Criterion::Met, Criterion::NotMet)
        );
        // water did not reach: both fail, whatever else was typed
        let v = tail_end_verdict(&r(10.0, 60.0, Some(9.0), Some(false)), norms(), 120, 7.0);
        assert!(v.failed() && v.quantity == Criterion::NotMet);
        // litres a day instead of a timed collection
        let lpd = |x| TailEndReadings {
            litres_per_day: Some(x),
            ..Default::default()
        };
        assert_eq!(
            tail_end_verdict(&lpd(275.0), norms(), 0, 7.0).quantity,
            Criterion::Met
        );
        assert_eq!(
            tail_end_verdict(&lpd(274.0), norms(), 0, 7.0).quantity,
            Criterion::NotMet
        );
        let nothing = tail_end_verdict(&TailEndReadings::default(), norms(), 120, 7.0);
        assert_eq!(
            (nothing.quantity, nothing.pressure),
            (Criterion::NotAssessed, Criterion::NotAssessed)
        );
        // counted in the quantity criterion: a failed check makes it not met
        assert_eq!(
            quantity_with_tail_end(Criterion::Met, Some(v)),
            Criterion::NotMet
        );
        assert_eq!(
            quantity_with_tail_end(Criterion::NotAssessed, Some(v)),
            Criterion::NotMet
        );
        assert_eq!(
            quantity_with_tail_end(Criterion::Met, Some(nothing)),
            Criterion::Met
        );
        assert_eq!(
            quantity_with_tail_end(Criterion::NotMet, None),
            Criterion::NotMet
        );
    }

    /// The operator's reading wins on a day both read; a day only a device read takes the
    /// device's last reading of the day; a lower device reading starts a new series.
    #[test]
    fn device_readings_fill_the_days_the_operator_did_not_read() {
        let person = [reading(1, 1_000), reading(3, 2_000)];
        let device = [
            (d(1), 1_100),
            (d(2), 1_300),
            (d(2), 1_500),
            (d(4), 2_600),
            (d(5), 100),
            (d(6), 400),
        ];
        let merged = with_device(&person, &device);
        let got: Vec<(u32, i64, Source)> = merged
            .iter()
            .map(|(r, s)| (r.day.day(), r.value, *s))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1_000, Source::Person),
                (2, 1_500, Source::Device),
                (3, 2_000, Source::Person),
                (4, 2_600, Source::Device),
                (5, 100, Source::Device),
                (6, 400, Source::Device),
            ]
        );
        let plain: Vec<Reading> = merged.iter().map(|x| x.0).collect();
        let amounts: Vec<(u32, i64)> = intervals(&plain)
            .iter()
            .map(|i| (i.to.day(), i.amount))
            .collect();
        // day 5 is lower than day 4: not counted, day 6 counts from it
        assert_eq!(amounts, vec![(2, 500), (3, 500), (4, 600), (6, 300)]);
    }

    #[test]
    fn scheduled_days_follow_days_per_week() {
        let p = |dpw| Period {
            from: d(1),
            to: d(30),
            days_per_week: dpw,
            scheduled_minutes_per_day: 0,
        };
        assert_eq!(p(7).scheduled_days(), 30);
        assert_eq!(p(3).scheduled_days(), 13);
        assert_eq!(p(1).scheduled_days(), 4);
    }
}
