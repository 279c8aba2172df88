//! The one clock everything reads. Tests and `--at` options move it; it stores UTC.

use chrono::{Duration, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Default, Debug)]
pub struct Clock {
    /// Nanoseconds added to the system time (so `set(at)` reads exactly `at`, then runs on).
    shift: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Clock::default()
    }

    /// The current UTC time, as stored in the database: to the microsecond, which both
    /// backends keep exactly (PostgreSQL's timestamps hold no more), so what is written, read
    /// back and sent out ([`utc`]) is the same time on either.
    pub fn now(&self) -> NaiveDateTime {
        use chrono::SubsecRound;
        let shift = self.shift.load(Ordering::Relaxed);
        (Utc::now() + Duration::nanoseconds(shift))
            .naive_utc()
            .trunc_subsecs(6)
    }

    /// Move the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let ns = by.num_nanoseconds().unwrap_or(i64::MAX);
        self.shift.fetch_add(ns, Ordering::Relaxed);
    }

    /// Make `now()` read `at` (UTC) from this moment on.
    pub fn set(&self, at: NaiveDateTime) {
        let real = Utc::now().naive_utc();
        let ns = (at - real).num_nanoseconds().unwrap_or(i64::MAX);
        self.shift.store(ns, Ordering::Relaxed);
    }
}

/// How a stored UTC time leaves Paani in JSON: RFC 3339 with `Z` and exactly six fractional
/// digits (`2026-12-06T21:22:22.173469Z`), the same on both backends (SQLite keeps
/// nanoseconds, PostgreSQL microseconds). `#[serde(with = "crate::clock::utc")]` on a field;
/// [`utc::option`] for an optional one. Reading accepts RFC 3339 with any offset, or a plain
/// UTC time without one.
pub mod utc {
    use chrono::{DateTime, NaiveDateTime};
    use serde::{Deserialize, Deserializer, Serializer};

    /// The text of a UTC time.
    pub fn text(t: &NaiveDateTime) -> String {
        t.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }

    /// A time as written by [`text`], with another offset, or without one (taken as UTC).
    pub fn parse(s: &str) -> Option<NaiveDateTime> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.naive_utc())
            .ok()
            .or_else(|| s.parse::<NaiveDateTime>().ok())
    }

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&text(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let raw = String::deserialize(d)?;
        parse(&raw).ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time"))
    }

    /// The same for an optional time (`null` when absent).
    pub mod option {
        use chrono::NaiveDateTime;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            t: &Option<NaiveDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::text(t)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<NaiveDateTime>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(raw) => super::parse(&raw)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time")),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn six_digits_and_a_zone_whatever_the_backend_kept() {
            use chrono::Timelike;
            let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
                .unwrap()
                .and_hms_nano_opt(21, 22, 22, 173_469_773)
                .unwrap();
            let micros = t.with_nanosecond(173_469_000).unwrap();
            assert_eq!(super::text(&t), "2026-12-06T21:22:22.173469Z");
            let whole = t.with_nanosecond(0).unwrap();
            assert_eq!(super::text(&whole), "2026-12-06T21:22:22.000000Z");
            assert_eq!(super::parse("2026-12-06T21:22:22.173469Z"), Some(micros));
            assert_eq!(
                super::parse("2026-12-07T02:52:22.173469+05:30"),
                Some(micros)
            );
            assert_eq!(super::parse("2026-12-06T21:22:22.173469773"), Some(t));
            assert_eq!(super::parse("yesterday"), None);
        }
    }
}
