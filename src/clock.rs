//! The one clock everything reads. Tests and `--at` options move it; it stores UTC.

use chrono::{Duration, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Default, Debug)]
pub struct Clock {
    /// Seconds added to the system time.
    shift: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Clock::default()
    }

    /// The current UTC time, as stored in the database.
    pub fn now(&self) -> NaiveDateTime {
        let shift = self.shift.load(Ordering::Relaxed);
        (Utc::now() + Duration::seconds(shift)).naive_utc()
    }

    /// Move the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        self.shift.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }

    /// Make `now()` read `at` (UTC) from this moment on.
    pub fn set(&self, at: NaiveDateTime) {
        let real = Utc::now().naive_utc();
        self.shift
            .store((at - real).num_seconds(), Ordering::Relaxed);
    }
}
