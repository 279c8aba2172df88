//! Log-in by phone with a one-time code by SMS (issue 27, item 7; `auth.phone_login`).
//!
//! The log-in page offers "Log in with a code by SMS": the person types their mobile number;
//! if it is the number of exactly one active account whose role may log in by phone
//! (`auth.phone_login_roles`), a 6-digit code goes to it by SMS (message key `otp_code`, in the
//! account's language, urgent, sent at once rather than at the next `sms_send` sweep). The
//! answer is the same whether or not the number is known. The code works for
//! [`CODE_MINUTES`] minutes and [`MAX_TRIES`] checks, and once; asking for a new code ends the
//! number's older ones. A right code starts the same session as a password log-in.
//!
//! Stored: a `login_codes` row per request, the code as an HMAC-SHA256 under a key derived
//! from the server's secret (`auth.session_key`), the number as an HMAC too. A slow password
//! hash would add nothing: a million possible codes are tried in no time by whoever holds the
//! key, and without the key the HMAC cannot be tried at all. A request for an unknown number
//! is stored as well (no user, a hash of nothing), so the limits count it like any other.
//!
//! Limits: per number (`auth.phone_login_codes_per_15_minutes`, `…_per_day`) and per address
//! (`auth.phone_login_codes_per_address_per_hour`) on asking; on checking, the password
//! log-in's throttle (`auth::throttle`: the number and the address are the "username" and
//! address it counts) besides the tries per code.

pub mod model;
pub mod pages;
pub mod service;

use crate::config::AuthConfig;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Minutes a code works (the SMS template says so too).
pub const CODE_MINUTES: i64 = 5;
/// Checks of one code, right or wrong, after which it is dead.
pub const MAX_TRIES: i32 = 5;
/// Digits in a code.
pub const CODE_DIGITS: usize = 6;

/// Whether a role may log in by phone on this deployment.
pub fn role_allowed(auth: &AuthConfig, role: &str) -> bool {
    auth.phone_login_roles.iter().any(|r| r == role)
}

/// The key codes and numbers are hashed with: derived from the server's secret, so that no
/// other MAC the app gives out (CSRF tokens, device marks) can be one.
fn key(secret: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"paani login code v1\0");
    h.update(secret);
    h.finalize().to_vec()
}

fn mac(secret: &[u8], parts: &[&[u8]]) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&key(secret)).expect("any key length");
    for p in parts {
        m.update(p);
        m.update(b"\0");
    }
    hex::encode(m.finalize().into_bytes())
}

/// A 10-digit mobile number as `login_codes` knows it.
pub fn phone_key(secret: &[u8], number: &str) -> String {
    mac(secret, &[b"phone", number.as_bytes()])
}

/// A code as stored, bound to its user.
pub fn code_hash(secret: &[u8], user_id: i64, code: &str) -> String {
    mac(
        secret,
        &[b"code", user_id.to_string().as_bytes(), code.as_bytes()],
    )
}

/// A fresh code: six random digits (leading zeros kept).
pub fn new_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// A code as typed ("482 913", "482-913"): its six digits, else `None`.
pub fn typed_code(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == CODE_DIGITS && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_hashes_depend_on_user_and_secret() {
        for _ in 0..200 {
            let c = new_code();
            assert_eq!(typed_code(&c), Some(c.clone()));
        }
        assert_eq!(typed_code(" 482 913 "), Some("482913".into()));
        assert_eq!(typed_code("48291"), None);
        assert_eq!(typed_code("48291x"), None);
        assert_eq!(typed_code("४८२९१३"), None, "only ASCII digits");
        let (a, b) = (b"one".as_slice(), b"two".as_slice());
        assert_ne!(code_hash(a, 1, "123456"), code_hash(a, 2, "123456"));
        assert_ne!(code_hash(a, 1, "123456"), code_hash(b, 1, "123456"));
        assert_eq!(code_hash(a, 1, "123456"), code_hash(a, 1, "123456"));
        assert!(!code_hash(a, 1, "123456").contains("123456"));
        assert_ne!(phone_key(a, "9812345678"), phone_key(b, "9812345678"));
    }
}
