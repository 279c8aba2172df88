//! SMS: the outbox, India's DLT template rules and the providers (issue 27).
//!
//! Callers queue a message by key (`receipt`, `complaint_filed`, …) with its variables, inside
//! their own transaction: [`service::queue`]. The message is rendered from its approved DLT
//! template in the recipient's language ([`dlt`], config/sms_templates.toml) and checked there
//! and then: a message whose text does not match its template, or a variable longer than
//! `sms.variable_max_chars`, is kept as `failed` with the reason and never sent. The scheduler's
//! `sms_send` job ([`service::deliver`]) sends what is due outside any transaction, one try per
//! message, through the transport named by `sms.transport` ([`providers`]), with retries and
//! backoff, quiet hours and a per-number daily cap. Delivery reports come back to
//! `/hooks/sms/{transport}/delivery` ([`pages`]). Admins see it all on `/admin/sms`.
//!
//! This file holds the statuses and the pure rules (numbers, quiet hours, the configuration's
//! checks); the queries are in `model`, the use cases in `service`.

pub mod api;
pub mod dlt;
pub mod households;
pub mod model;
pub mod pages;
pub mod providers;
pub mod service;

use crate::config::SmsConfig;
use chrono::{Duration, NaiveDateTime, NaiveTime};

/// This area's entry in the header's navigation.
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/sms",
    label: "nav-sms",
    verb: Some(crate::auth::Verb::ViewSms),
}];

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting to be sent (or to be tried again: `attempts` > 0).
    Queued,
    /// Claimed by a sweep that is calling the provider.
    Sending,
    /// The provider took it.
    Sent,
    /// The provider reported it delivered.
    Delivered,
    /// Not sent: its template did not match, a variable was too long, the provider refused it,
    /// or every try failed.
    Failed,
    /// Not sent yet: the number reached its daily cap; tried again the next day.
    Held,
    /// Its sweep died while sending: it may or may not have gone. Never sent again by itself.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Queued,
        Status::Sending,
        Status::Sent,
        Status::Delivered,
        Status::Failed,
        Status::Held,
        Status::Unknown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Failed => "failed",
            Status::Held => "held",
            Status::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The transports `sms.transport` may name.
pub const TRANSPORTS: [&str; 5] = ["file", "log", "msg91", "exotel", "http"];

/// A phone number in the form providers take: `91` and ten digits, no `+`. Accepts ten digits
/// (an Indian mobile, 6–9 first), `+91…`, `91…` or `0…`, with spaces or dashes.
pub fn normalize_number(raw: &str) -> Option<String> {
    let digits: String = raw
        .trim()
        .trim_start_matches('+')
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ten = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('0') => &digits[1..],
        12 if digits.starts_with("91") => &digits[2..],
        _ => return None,
    };
    matches!(ten.as_bytes()[0], b'6'..=b'9').then(|| format!("91{ten}"))
}

/// A number as logs and admins' lists may show it: the last three digits only.
pub fn mask(number: &str) -> String {
    let n = number.chars().count();
    let shown: String = number.chars().skip(n.saturating_sub(3)).collect();
    format!("{}{shown}", "•".repeat(n.saturating_sub(3).min(9)))
}

/// A name or label cut to at most `max` characters (not bytes) for an SMS variable
/// (`sms.variable_max_chars`): whole when it fits, else cut at a word where one ends late
/// enough, with "..." (plain ASCII, so an English message stays a plain-text SMS).
pub fn fit(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let room = max.saturating_sub(3);
    let keep: String = s.chars().take(room).collect();
    let word_ends = s.chars().nth(room) == Some(' ');
    let cut = match keep.rfind(' ') {
        _ if word_ends => keep.as_str(),
        Some(i) if keep[..i].chars().count() * 3 >= max * 2 => &keep[..i],
        _ => keep.as_str(),
    };
    format!("{}...", cut.trim_end())
}

/// When `now` (UTC) falls in the quiet hours (India time, `start`..`end`, which may run past
/// midnight), the UTC time they end; `None` outside them (or when `start == end`).
pub fn quiet_until(now: NaiveDateTime, start: NaiveTime, end: NaiveTime) -> Option<NaiveDateTime> {
    if start == end {
        return None;
    }
    let india = now + Duration::minutes(330);
    let t = india.time();
    let quiet = if start < end {
        t >= start && t < end
    } else {
        t >= start || t < end
    };
    if !quiet {
        return None;
    }
    let mut day = india.date();
    if t >= end {
        day = day.succ_opt()?;
    }
    Some(day.and_time(end) - Duration::minutes(330))
}

/// Midnight India time of the day `now` (UTC) falls on, in UTC: where a daily cap starts.
pub fn india_day_start(now: NaiveDateTime) -> NaiveDateTime {
    let india = now + Duration::minutes(330);
    india.date().and_time(NaiveTime::MIN) - Duration::minutes(330)
}

/// The wait before try `attempts + 1`: `base × 2^(attempts − 1)`, at most a day.
pub fn backoff(base_seconds: i64, attempts: i32) -> Duration {
    let base = base_seconds.max(1);
    Duration::seconds(
        base.saturating_mul(1_i64 << (attempts - 1).clamp(0, 20))
            .min(86_400),
    )
}

/// The `[sms]` section's own checks (run when the configuration is loaded).
pub fn check_config(c: &SmsConfig) -> Result<(), String> {
    if !TRANSPORTS.contains(&c.transport.as_str()) {
        return Err(format!(
            "sms.transport must be one of {}, not {:?}",
            TRANSPORTS.join(", "),
            c.transport
        ));
    }
    for (name, v) in [("quiet_start", &c.quiet_start), ("quiet_end", &c.quiet_end)] {
        if crate::config::parse_time_of_day(v).is_none() {
            return Err(format!(
                "sms.{name} must be a time of day as HH:MM (India time), not {v:?}"
            ));
        }
    }
    let langs = std::iter::once(c.household_lang.as_str()).chain(
        c.states
            .values()
            .filter_map(|o| o.household_lang.as_deref()),
    );
    for l in langs {
        if !matches!(l, "en" | "hi") {
            return Err(format!(
                "sms.household_lang must be \"en\" or \"hi\", not {l:?}"
            ));
        }
    }
    if !(1..=500).contains(&c.variable_max_chars) {
        return Err("sms.variable_max_chars must be between 1 and 500".into());
    }
    if !(1..=1000).contains(&c.daily_cap)
        || !(1..=50).contains(&c.max_attempts)
        || !(1..=86_400).contains(&c.retry_base_seconds)
        || !(5..=86_400).contains(&c.lease_seconds)
    {
        return Err(
            "sms: need daily_cap 1-1000, max_attempts 1-50, retry_base_seconds 1-86400, \
             lease_seconds 5-86400"
                .into(),
        );
    }
    let s = &c.sender_id;
    if !s.is_empty()
        && (!(3..=6).contains(&s.len()) || !s.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(format!(
            "sms.sender_id must be the 3-6 letter DLT header, not {s:?}"
        ));
    }
    if !(1..=50).contains(&c.missed_call_per_day) {
        return Err("sms.missed_call_per_day must be between 1 and 50".into());
    }
    if c.file_dir.trim().is_empty() {
        return Err("sms.file_dir must name a folder".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn names_fit_an_sms_variable() {
        assert_eq!(fit("  Clean the\ttank ", 30), "Clean the tank");
        let long = "Grease the pump and check the starter panel — Old pump";
        let f = fit(long, 30);
        assert!(f.chars().count() <= 30, "{f}");
        assert_eq!(f, "Grease the pump and check...");
        let hi = "पंप में ग्रीस डालें और स्टार्टर पैनल की जाँच करें";
        let f = fit(hi, 30);
        assert!(f.chars().count() <= 30 && f.ends_with("..."), "{f}");
        assert_eq!(fit("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG", 10), "ABCDEFG...");
        assert_eq!(
            fit("Clean the overhead tank and check the float valve", 30),
            "Clean the overhead tank and..."
        );
    }

    fn utc(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn numbers_are_read_in_every_usual_form() {
        for raw in [
            "9812345678",
            "+91 98123 45678",
            "09812345678",
            "919812345678",
        ] {
            assert_eq!(
                normalize_number(raw).as_deref(),
                Some("919812345678"),
                "{raw}"
            );
        }
        for raw in ["", "12345", "5812345678", "98123456789", "98123x5678"] {
            assert_eq!(normalize_number(raw), None, "{raw}");
        }
        assert_eq!(mask("919812345678"), "•••••••••678");
    }

    #[test]
    fn quiet_hours_run_past_midnight() {
        let (s, e) = (
            NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        );
        // 15:29 UTC = 20:59 India: not quiet; 15:30 UTC = 21:00: quiet until 02:30 UTC next day
        assert_eq!(quiet_until(utc(15, 29), s, e), None);
        let next = NaiveDate::from_ymd_opt(2026, 12, 8)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(quiet_until(utc(15, 30), s, e), Some(next));
        // 01:00 UTC = 06:30 India the same morning: quiet until 02:30 UTC
        assert_eq!(quiet_until(utc(1, 0), s, e), Some(utc(2, 30)));
        assert_eq!(quiet_until(utc(2, 30), s, e), None);
        assert_eq!(quiet_until(utc(1, 0), s, s), None);
        // a window inside one day
        let (a, b) = (
            NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        );
        assert_eq!(quiet_until(utc(7, 45), a, b), Some(utc(8, 30)));
        assert_eq!(quiet_until(utc(8, 30), a, b), None);
    }

    #[test]
    fn backoff_doubles_and_stops_at_a_day() {
        assert_eq!(backoff(60, 1), Duration::seconds(60));
        assert_eq!(backoff(60, 3), Duration::seconds(240));
        assert_eq!(backoff(60, 30), Duration::seconds(86_400));
        assert_eq!(india_day_start(utc(20, 0)), utc(18, 30));
        assert_eq!(india_day_start(utc(10, 0)), utc(18, 30) - Duration::days(1));
    }
}
