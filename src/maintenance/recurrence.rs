//! When a plan's tasks fall due: every N days, weeks, months or years from a start date, or
//! once a year in a fixed window (25 May – 10 June). Month and year steps are always counted
//! from the start date, so a plan starting on the 31st falls on the last day of short months
//! and comes back to the 31st; 29 February falls on 28 February in other years.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
    /// Once a year between two month-days.
    Window,
}

impl Unit {
    pub const ALL: [Unit; 5] = [Unit::Day, Unit::Week, Unit::Month, Unit::Year, Unit::Window];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
            Unit::Window => "window",
        }
    }

    pub fn parse(s: &str) -> Option<Unit> {
        Self::ALL.into_iter().find(|u| u.as_str() == s.trim())
    }
}

/// A month and day, such as 25 May ("05-25").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    /// "MM-DD" or "DD-MM" is ambiguous; we take "MM-DD" as stored, and accept "25 May"-style
    /// input only through the forms, which send MM-DD.
    pub fn parse(s: &str) -> Option<MonthDay> {
        let s = crate::web::forms::ascii_digits(s.trim());
        let (m, d) = s.split_once('-')?;
        let (month, day) = (m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
        // 2024 is a leap year: any real month-day is valid in it.
        NaiveDate::from_ymd_opt(2024, month, day).map(|_| MonthDay { month, day })
    }

    pub fn format(self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }

    /// This month-day in `year` (29 February becomes 28 February in other years).
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
    }
}

/// A recurrence rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub unit: Unit,
    pub every: u32,
    pub start: NaiveDate,
    pub window: Option<(MonthDay, MonthDay)>,
}

/// One occurrence: the day it falls due and the last day it may be done on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub due: NaiveDate,
    pub deadline: NaiveDate,
}

impl Rule {
    /// The k-th occurrence's due date (k = 0 is the start), if representable.
    fn nth(&self, k: u32) -> Option<NaiveDate> {
        let n = self.every.max(1).checked_mul(k)?;
        match self.unit {
            Unit::Day => self.start.checked_add_signed(Duration::days(n as i64)),
            Unit::Week => self.start.checked_add_signed(Duration::weeks(n as i64)),
            Unit::Month => self.start.checked_add_months(Months::new(n)),
            Unit::Year => self
                .start
                .checked_add_months(Months::new(n.checked_mul(12)?)),
            Unit::Window => None,
        }
    }

    /// Every occurrence due from `from` to `until` (both included).
    pub fn between(&self, from: NaiveDate, until: NaiveDate) -> Vec<Occurrence> {
        let mut out = vec![];
        if until < from {
            return out;
        }
        if self.unit == Unit::Window {
            let Some((ws, we)) = self.window else {
                return out;
            };
            for year in (from.year() - 1)..=(until.year()) {
                let (Some(start), Some(end_this)) = (ws.in_year(year), we.in_year(year)) else {
                    continue;
                };
                // A window may run over the new year (e.g. 15 Dec – 15 Jan).
                let end = if end_this < start {
                    we.in_year(year + 1).unwrap_or(end_this)
                } else {
                    end_this
                };
                if start >= from && start <= until && start >= self.start {
                    out.push(Occurrence {
                        due: start,
                        deadline: end,
                    });
                }
            }
            return out;
        }
        // Skip ahead close to `from` without walking every step.
        let mut k: u32 = match self.unit {
            Unit::Day | Unit::Week if from > self.start => {
                let step = if self.unit == Unit::Day { 1 } else { 7 } * self.every.max(1) as i64;
                ((from - self.start).num_days() / step).max(0) as u32
            }
            Unit::Month | Unit::Year if from > self.start => {
                let months = (from.year() - self.start.year()) * 12 + from.month() as i32
                    - self.start.month() as i32;
                let per = self.every.max(1) as i32 * if self.unit == Unit::Year { 12 } else { 1 };
                ((months / per) - 1).max(0) as u32
            }
            _ => 0,
        };
        while let Some(d) = self.nth(k) {
            if d > until {
                break;
            }
            if d >= from {
                out.push(Occurrence {
                    due: d,
                    deadline: d,
                });
            }
            k = match k.checked_add(1) {
                Some(k) => k,
                None => break,
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dues(r: &Rule, from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
        r.between(from, until).into_iter().map(|o| o.due).collect()
    }

    #[test]
    fn month_ends_come_back_to_the_31st() {
        let r = Rule {
            unit: Unit::Month,
            every: 1,
            start: d(2026, 1, 31),
            window: None,
        };
        assert_eq!(
            dues(&r, d(2026, 1, 1), d(2026, 5, 31)),
            vec![
                d(2026, 1, 31),
                d(2026, 2, 28),
                d(2026, 3, 31),
                d(2026, 4, 30),
                d(2026, 5, 31)
            ]
        );
        let leap = Rule {
            unit: Unit::Month,
            every: 1,
            start: d(2024, 1, 31),
            window: None,
        };
        assert_eq!(
            dues(&leap, d(2024, 2, 1), d(2024, 2, 29)),
            vec![d(2024, 2, 29)]
        );
    }

    #[test]
    fn quarterly_and_six_monthly() {
        let r = Rule {
            unit: Unit::Month,
            every: 3,
            start: d(2025, 11, 30),
            window: None,
        };
        assert_eq!(
            dues(&r, d(2026, 1, 1), d(2026, 12, 31)),
            vec![
                d(2026, 2, 28),
                d(2026, 5, 30),
                d(2026, 8, 30),
                d(2026, 11, 30)
            ]
        );
        let r = Rule {
            unit: Unit::Month,
            every: 6,
            start: d(2020, 3, 15),
            window: None,
        };
        assert_eq!(
            dues(&r, d(2026, 3, 16), d(2027, 3, 15)),
            vec![d(2026, 9, 15), d(2027, 3, 15)]
        );
    }

    #[test]
    fn leap_day_yearly() {
        let r = Rule {
            unit: Unit::Year,
            every: 1,
            start: d(2024, 2, 29),
            window: None,
        };
        assert_eq!(
            dues(&r, d(2025, 1, 1), d(2028, 12, 31)),
            vec![
                d(2025, 2, 28),
                d(2026, 2, 28),
                d(2027, 2, 28),
                d(2028, 2, 29)
            ]
        );
    }

    #[test]
    fn days_and_weeks_from_far_back() {
        let r = Rule {
            unit: Unit::Day,
            every: 1,
            start: d(2020, 1, 1),
            window: None,
        };
        assert_eq!(r.between(d(2026, 11, 26), d(2026, 12, 25)).len(), 30);
        let w = Rule {
            unit: Unit::Week,
            every: 2,
            start: d(2026, 1, 5),
            window: None,
        };
        assert_eq!(
            dues(&w, d(2026, 1, 6), d(2026, 2, 2)),
            vec![d(2026, 1, 19), d(2026, 2, 2)]
        );
        assert!(w.between(d(2026, 3, 1), d(2026, 2, 1)).is_empty());
    }

    #[test]
    fn yearly_windows() {
        let pre_monsoon = (
            MonthDay::parse("05-25").unwrap(),
            MonthDay::parse("06-10").unwrap(),
        );
        let r = Rule {
            unit: Unit::Window,
            every: 1,
            start: d(2025, 1, 1),
            window: Some(pre_monsoon),
        };
        let occ = r.between(d(2026, 1, 1), d(2026, 12, 31));
        assert_eq!(
            occ,
            vec![Occurrence {
                due: d(2026, 5, 25),
                deadline: d(2026, 6, 10)
            }]
        );
        // over the new year
        let winter = (
            MonthDay::parse("12-15").unwrap(),
            MonthDay::parse("01-15").unwrap(),
        );
        let r = Rule {
            unit: Unit::Window,
            every: 1,
            start: d(2025, 1, 1),
            window: Some(winter),
        };
        assert_eq!(
            r.between(d(2026, 12, 1), d(2026, 12, 31)),
            vec![Occurrence {
                due: d(2026, 12, 15),
                deadline: d(2027, 1, 15)
            }]
        );
        // a 29 February window start
        let odd = (
            MonthDay::parse("02-29").unwrap(),
            MonthDay::parse("03-05").unwrap(),
        );
        let r = Rule {
            unit: Unit::Window,
            every: 1,
            start: d(2025, 1, 1),
            window: Some(odd),
        };
        assert_eq!(
            r.between(d(2027, 1, 1), d(2027, 12, 31))[0].due,
            d(2027, 2, 28)
        );
        assert!(MonthDay::parse("02-30").is_none());
    }
}
