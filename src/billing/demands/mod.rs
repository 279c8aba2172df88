//! Monthly demands: one per active, paying household connected by the month's end, at the
//! plan's rate for its category, raised per GP in one set-based `INSERT … SELECT` inside one
//! transaction. Raising again adds only what is missing; a wrong run can be cancelled; a plan's
//! late fee is charged on demands left unpaid, and a GP may have its demands raised by the
//! scheduler. `model` holds demands, runs and previews with their queries, `service` the writes
//! (raise, cancel, late fees, automatic demands, the scheduler's jobs, the backfill of a
//! generated data set), `pages` the demands page and its CSV, `api` `/api/v1/demands` and
//! `/api/v1/demand-runs`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{
    auto_gps, find_run, find_run_in_scope, list, preview, runs, runs_from, Demand, DemandFilter,
    GpPreview, Preview, Run,
};
pub use model::{notice, Notice};
pub use service::{
    apply_late_fees, cancel_run, raise, raise_automatic, raise_raw, remove_raw, scheduled_demands,
    scheduled_late_fees, scheduled_overdue_sms, set_auto, Backfill,
};

use chrono::{Datelike, NaiveDate};

/// The due date of a month's demands: `due_day`, or the month's last day in a short month.
pub fn due_on(month: NaiveDate, due_day: u32) -> NaiveDate {
    let last = month
        .checked_add_months(chrono::Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(month);
    month.with_day(due_day.min(last.day())).unwrap_or(last)
}

/// The first day of the month after `day`'s.
pub fn next_month(day: NaiveDate) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

pub fn month_end(month: NaiveDate) -> NaiveDate {
    due_on(month, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_fit_the_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(due_on(d(2026, 2, 1), 15), d(2026, 2, 15));
        assert_eq!(due_on(d(2026, 2, 1), 30), d(2026, 2, 28));
        assert_eq!(due_on(d(2028, 2, 1), 31), d(2028, 2, 29));
        assert_eq!(month_end(d(2026, 4, 1)), d(2026, 4, 30));
    }
}

/// The token in a demand notice's shareable link (`/d/<token>`): the demand's id and a keyed
/// hash of it (HMAC-SHA256 with `key`, the server's session key), so the link opens without
/// logging in, like a receipt's, and no other demand's can be guessed from it. Links stay
/// good while `auth.session_key` is unchanged.
pub fn notice_token(key: &[u8], demand_id: i64) -> String {
    format!("{demand_id}-{}", notice_mac(key, demand_id))
}

/// The demand a notice token names, if its hash is right.
pub fn notice_id(key: &[u8], token: &str) -> Option<i64> {
    let (id, mac) = token.trim().split_once('-')?;
    let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
    crate::auth::same_token(&notice_mac(key, id), mac).then_some(id)
}

fn notice_mac(key: &[u8], demand_id: i64) -> String {
    use hmac::{Hmac, Mac};
    use sha2::Sha256;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(format!("demand-notice:{demand_id}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..12])
}

#[cfg(test)]
mod notice_tests {
    #[test]
    fn a_notice_token_names_its_demand_and_no_other() {
        let t = super::notice_token(b"key", 42);
        assert_eq!(super::notice_id(b"key", &t), Some(42));
        assert_eq!(super::notice_id(b"other key", &t), None);
        let forged = t.replacen("42-", "43-", 1);
        assert_eq!(super::notice_id(b"key", &forged), None);
        assert_eq!(super::notice_id(b"key", "42"), None);
        assert_eq!(super::notice_id(b"key", ""), None);
    }
}
