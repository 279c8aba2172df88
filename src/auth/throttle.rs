//! Log-in throttling that cannot be turned against a user: the rules, without the database.
//!
//! Failed log-ins are counted in three ways over `auth.login_window_minutes`:
//!
//! - **by username and address** (`auth.login_max_failures`, 5): the guesser's own pair. A
//!   successful log-in of the pair starts its count again;
//! - **by address** (`auth.login_address_max_failures`, 20): one address trying many usernames;
//! - **by username** (`auth.login_username_max_failures`, 100): many addresses guessing one
//!   username (a botnet), the generous ceiling.
//!
//! Past its allowance a count does not lock anything: the next attempt must wait
//! `auth.login_delay_seconds` after the last failure, twice as long after each further
//! failure, up to `auth.login_max_delay_seconds`. Attempts refused while waiting are not
//! failures and do not make the wait longer.
//!
//! The owner is not kept out by someone guessing elsewhere: the pair and address counts are
//! the guesser's, and the per-username ceiling does not apply to a browser that has logged in
//! to that account before (it holds a *device mark*: a MAC of the username, see
//! [`device_mark`]), nor does the address count (so a shared address, a mobile network's
//! NAT say, does not keep a known device out). IPv6 addresses are counted by their /64
//! network ([`address_key`]), since one subscriber usually has a whole /64.

use crate::auth::same_token;
use crate::config::AuthConfig;
use chrono::{Duration, NaiveDateTime};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The cookie that holds a browser's device marks (path `/login`).
pub const DEVICE_COOKIE: &str = "paani_device";
/// Marks kept in one browser (a shared office computer: several people log in from it).
const MAX_MARKS: usize = 5;

#[derive(Debug, Clone)]
pub struct Throttle {
    pub pair_free: i64,
    pub address_free: i64,
    pub username_free: i64,
    pub first_wait: Duration,
    pub max_wait: Duration,
    pub window: Duration,
}

impl Throttle {
    pub fn from_config(a: &AuthConfig) -> Throttle {
        Throttle {
            pair_free: a.login_max_failures,
            address_free: a.login_address_max_failures,
            username_free: a.login_username_max_failures,
            first_wait: Duration::seconds(a.login_delay_seconds),
            max_wait: Duration::seconds(a.login_max_delay_seconds),
            window: Duration::minutes(a.login_window_minutes),
        }
    }

    /// How long to wait after the last of `failures` failures when `free` are allowed
    /// without waiting: nothing below `free`, then the first wait, doubled for each failure
    /// after that, at most the longest wait.
    pub fn wait_after(&self, failures: i64, free: i64) -> Option<Duration> {
        if failures < free {
            return None;
        }
        let doublings = u32::try_from(failures - free).unwrap_or(u32::MAX).min(40);
        let secs = self
            .first_wait
            .num_seconds()
            .saturating_mul(1i64 << doublings)
            .min(self.max_wait.num_seconds());
        Some(Duration::seconds(secs))
    }

    /// When the next attempt may be made, given a count of failures and the last of them.
    pub fn next_allowed(
        &self,
        failures: i64,
        last: Option<NaiveDateTime>,
        free: i64,
    ) -> Option<NaiveDateTime> {
        Some(last? + self.wait_after(failures, free)?)
    }
}

pub use crate::web::proxy::address_key;

/// The key device marks are made with: derived from the app's secret, so that no other MAC
/// the app gives out (the visitors' CSRF tokens) can be one.
fn device_key(secret: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"paani device mark v1\0");
    h.update(secret);
    h.finalize().to_vec()
}

/// The mark a browser gets for a username when it logs in to it: a MAC of the username.
pub fn device_mark(secret: &[u8], username: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(&device_key(secret)).expect("any key length");
    mac.update(crate::auth::model::normalize_username(username).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether the cookie's value holds the mark of this username.
pub fn device_known(cookie: Option<&str>, secret: &[u8], username: &str) -> bool {
    let Some(cookie) = cookie else {
        return false;
    };
    let mark = device_mark(secret, username);
    cookie
        .split('.')
        .take(MAX_MARKS)
        .any(|m| same_token(m, &mark))
}

/// The cookie's new value after a log-in: this username's mark first, then up to four of
/// the others it held.
pub fn device_cookie_value(existing: Option<&str>, secret: &[u8], username: &str) -> String {
    let mark = device_mark(secret, username);
    let others = existing
        .unwrap_or("")
        .split('.')
        .filter(|m| m.len() == 64 && m.bytes().all(|b| b.is_ascii_hexdigit()) && *m != mark)
        .take(MAX_MARKS - 1);
    std::iter::once(mark.as_str())
        .chain(others)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Throttle {
        Throttle::from_config(&crate::config::Config::defaults().auth)
    }

    #[test]
    fn waits_start_after_the_allowance_and_double_up_to_the_cap() {
        let t = t();
        assert_eq!(t.wait_after(0, 5), None);
        assert_eq!(t.wait_after(4, 5), None);
        let secs = |n| t.wait_after(n, 5).map(|d| d.num_seconds());
        assert_eq!(secs(5), Some(60));
        assert_eq!(secs(6), Some(120));
        assert_eq!(secs(7), Some(240));
        assert_eq!(secs(10), Some(1920));
        assert_eq!(secs(11), Some(3600), "capped");
        assert_eq!(secs(1_000_000), Some(3600), "no overflow");
        let last = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .unwrap()
            .naive_utc();
        assert_eq!(
            t.next_allowed(6, Some(last), 5),
            Some(last + Duration::seconds(120))
        );
        assert_eq!(t.next_allowed(6, None, 5), None);
    }

    #[test]
    fn ipv6_is_counted_by_its_64() {
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            address_key("2001:db8:1:2::9")
        );
        assert_ne!(
            address_key("2001:db8:1:3::1"),
            address_key("2001:db8:1:2::1")
        );
        assert_eq!(address_key("unknown"), "unknown");
    }

    #[test]
    fn device_marks_are_per_username_and_per_secret() {
        let (k1, k2) = (b"one secret".as_slice(), b"another secret".as_slice());
        let v = device_cookie_value(None, k1, "Secretary");
        assert!(
            device_known(Some(&v), k1, "secretary"),
            "usernames are normalised"
        );
        assert!(!device_known(Some(&v), k1, "member"));
        assert!(!device_known(Some(&v), k2, "secretary"));
        assert!(!device_known(None, k1, "secretary"));
        assert!(!device_known(Some(""), k1, "secretary"));
        // several people on one computer; the oldest mark goes after five
        let mut v = String::new();
        for u in ["a1", "a2", "a3", "a4", "a5", "a6"] {
            v = device_cookie_value(Some(&v), k1, u);
        }
        assert!(device_known(Some(&v), k1, "a6") && device_known(Some(&v), k1, "a2"));
        assert!(!device_known(Some(&v), k1, "a1"));
        // logging in again does not repeat the mark; junk is dropped
        let again = device_cookie_value(Some(&format!("{v}.junk")), k1, "a3");
        assert_eq!(again.split('.').count(), 5);
        assert!(again.starts_with(&device_mark(k1, "a3")));
    }

    #[test]
    fn a_csrf_token_is_never_a_device_mark() {
        // visitors' CSRF tokens are HMAC(secret, nonce) with a nonce they choose
        let secret = b"the app secret";
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap();
        mac.update(b"admin");
        let csrf_like = hex::encode(mac.finalize().into_bytes());
        assert!(!device_known(Some(&csrf_like), secret, "admin"));
    }
}
