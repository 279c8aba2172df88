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

    /// The current UTC time, as stored in the database.
    pub fn now(&self) -> NaiveDateTime {
        let shift = self.shift.load(Ordering::Relaxed);
        (Utc::now() + Duration::nanoseconds(shift)).naive_utc()
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
