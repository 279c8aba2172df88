//! Log-in by phone: asking for a code and checking it (see the module's page for the rules).

use super::model::{self, NewCode};
use super::{code_hash, new_code, phone_key, role_allowed, typed_code, CODE_MINUTES};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::auth::model::User;
use crate::auth::throttle::{self, Throttle};
use crate::auth::{normalize_mobile, same_token};
use crate::config::AuthConfig;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::sms::service::{queue, QueueSms, Queued};
use chrono::{Duration, NaiveDateTime};

/// Rows older than this are forgotten (the longest limit counts one day).
const KEEP_DAYS: i64 = 2;

fn off(ctx: &Ctx) -> AppResult<()> {
    if ctx.config.auth.phone_login {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A number as typed, as `users.phone` holds it; a field error otherwise.
pub fn typed_number(raw: &str) -> AppResult<String> {
    normalize_mobile(raw.trim()).ok_or_else(|| {
        let mut e = FieldErrors::new();
        e.add("phone", "phone-invalid");
        AppError::Validation(e)
    })
}

/// Seconds until `count` requests since `window` ago drop below `max`, when they are not
/// below it now. `times`: newest first.
fn wait_for(
    times: &[NaiveDateTime],
    max: i64,
    window: Duration,
    now: NaiveDateTime,
) -> Option<i64> {
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    if times.len() < max {
        return None;
    }
    // the request that must leave the window for one more to be allowed
    let leaving = times.get(max - 1)?;
    let at = *leaving + window;
    (at > now).then(|| ((at - now).num_milliseconds() + 999) / 1000)
}

/// Seconds to wait before this number may be sent another code from this address, else
/// `None`.
fn limited(
    conn: &mut DbConn,
    auth: &AuthConfig,
    phone_key: &str,
    address: &str,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    let mut wait = None;
    for (key, ip, max, window) in [
        (
            Some(phone_key),
            None,
            auth.phone_login_codes_per_15_minutes,
            Duration::minutes(15),
        ),
        (
            Some(phone_key),
            None,
            auth.phone_login_codes_per_day,
            Duration::days(1),
        ),
        (
            None,
            Some(address),
            auth.phone_login_codes_per_address_per_hour,
            Duration::hours(1),
        ),
    ] {
        let times = model::asked_since(conn, key, ip, now - window)?;
        wait = wait.max(wait_for(&times, max, window, now));
    }
    Ok(wait)
}

/// Ask for a code for a number typed on the log-in page. When the number is that of exactly
/// one active account whose role may log in by phone, a code is queued for it by SMS: the
/// outbox row is returned, for the caller to send at once
/// ([`crate::sms::service::deliver_one`], after this transaction). Any other number gets the
/// same `Ok` (with `None`) and no SMS. `secret`: the server's key (`AppState::csrf_key`).
/// `Err(TooManyRequests)` past the limits, counted alike for known and unknown numbers;
/// `Err(Validation)` for what is not a mobile number; `NotFound` when log-in by phone is off.
pub fn request_code(
    ctx: &Ctx,
    secret: &[u8],
    raw_number: &str,
    ip: &str,
) -> AppResult<Option<i64>> {
    off(ctx)?;
    let number = typed_number(raw_number)?;
    let config = ctx.config.clone();
    let auth = &config.auth;
    let pkey = phone_key(secret, &number);
    let address = throttle::address_key(ip);
    let masked = crate::sms::mask(&number);
    audit::audited(ctx, By::named(&masked, ip), |conn, now, log| {
        model::forget_before(conn, now - Duration::days(KEEP_DAYS))?;
        if let Some(secs) = limited(conn, auth, &pkey, &address, now)? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: secs,
            });
        }
        let found = model::active_users_with_phone(conn, &number)?;
        let user = match found.as_slice() {
            [u] if role_allowed(auth, &u.role) => Some(u.clone()),
            _ => None,
        };
        let code = new_code();
        let hash = match &user {
            Some(u) => code_hash(secret, u.id, &code),
            // a hash of a code no one has: this row only counts towards the limits
            None => code_hash(secret, 0, &crate::auth::random_token()),
        };
        let id = model::insert(
            conn,
            &NewCode {
                user_id: user.as_ref().map(|u| u.id),
                phone_key: &pkey,
                code_hash: &hash,
                expires_at: now + Duration::minutes(CODE_MINUTES),
                ip: &address,
            },
            now,
        )?;
        model::end_others(conn, &pkey, id, now)?;
        let Some(user) = user else {
            log.add(
                Action::TokenIssue,
                Entity::User,
                None,
                Detail::new("audit-detail-otp-requested-unknown").text("phone", masked.clone()),
            );
            return Ok(None);
        };
        let queued = queue(
            conn,
            &config,
            now,
            QueueSms {
                gp_id: None,
                to: number.clone(),
                key: crate::sms::dlt::OTP_KEY.into(),
                lang: user.lang.clone(),
                vars: vec![("code".into(), code)],
                dedupe_key: format!("otp:{id}"),
                urgent: true,
            },
        )?;
        log.add(
            Action::TokenIssue,
            Entity::User,
            Some(user.id),
            Detail::new("audit-detail-otp-requested").text("phone", masked.clone()),
        );
        Ok(match queued {
            Queued::Queued(sms) => Some(sms),
            _ => None,
        })
    })
}

/// What checking a code found.
#[derive(Debug, Clone, Copy)]
enum Check {
    Right(i64),
    Wrong(Option<i64>),
}

/// Check a code typed for a number: the account it logs in to, or `Ok(None)` for a code that
/// is wrong, expired, used, out of tries or for a number without one (one answer for all).
/// Every check counts towards the code's tries and, as a log-in attempt, towards the
/// password log-in's throttle (`Err(TooManyRequests)`). `Err(Validation)` for what is not
/// six digits (not counted).
pub fn check_code(
    ctx: &Ctx,
    secret: &[u8],
    raw_number: &str,
    raw_code: &str,
    ip: &str,
) -> AppResult<Option<User>> {
    off(ctx)?;
    let number = typed_number(raw_number)?;
    let Some(code) = typed_code(raw_code) else {
        let mut e = FieldErrors::new();
        e.add("code", "otp-code-invalid");
        return Err(AppError::Validation(e));
    };
    let auth = ctx.config.auth.clone();
    let t = Throttle::from_config(&auth);
    let pkey = phone_key(secret, &number);
    // the throttle's "username" for this number (a prefix no username can have)
    let who = format!("otp:{}", &pkey[..16]);
    let address = throttle::address_key(ip);
    let masked = crate::sms::mask(&number);
    let check = audit::audited(ctx, By::named(&masked, ip), |conn, now, log| {
        if let Some(wait) = crate::auth::model::throttled(conn, &who, &address, false, now, &t)? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
            });
        }
        let attempt = crate::auth::model::start_attempt(conn, &who, &address, now, &t)?;
        let newest = model::newest(conn, &pkey)?;
        let check = match newest {
            Some(c) => match c.user_id {
                Some(uid) if model::count_try(conn, c.id, now)? => {
                    if same_token(&c.code_hash, &code_hash(secret, uid, &code))
                        && model::mark_used(conn, c.id, now)?
                    {
                        Check::Right(uid)
                    } else {
                        Check::Wrong(Some(uid))
                    }
                }
                uid => Check::Wrong(uid),
            },
            None => Check::Wrong(None),
        };
        let user = match check {
            Check::Right(uid) => {
                let u = crate::auth::model::find_user(conn, uid)?;
                // still active and still allowed, as when the code was sent
                (u.active && role_allowed(&auth, &u.role)).then_some(u)
            }
            Check::Wrong(_) => None,
        };
        match (&user, check) {
            (Some(_), _) => crate::auth::model::mark_attempt_succeeded(conn, attempt)?,
            (None, Check::Right(uid) | Check::Wrong(Some(uid))) => log.add(
                Action::LoginFailed,
                Entity::User,
                Some(uid),
                Detail::new("audit-detail-otp-failed").text("phone", masked.clone()),
            ),
            (None, Check::Wrong(None)) => log.add(
                Action::LoginFailed,
                Entity::User,
                None,
                Detail::new("audit-detail-otp-failed").text("phone", masked.clone()),
            ),
        }
        Ok(user)
    })?;
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_until_the_oldest_counted_request_leaves_the_window() {
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .unwrap()
            .naive_utc();
        let w = Duration::minutes(15);
        let ago = |m| now - Duration::minutes(m);
        assert_eq!(wait_for(&[ago(1), ago(2)], 3, w, now), None);
        // three in the window: the third newest (10 minutes ago) leaves in 5 minutes
        assert_eq!(wait_for(&[ago(1), ago(2), ago(10)], 3, w, now), Some(300));
        assert_eq!(
            wait_for(&[ago(1), ago(2), ago(10), ago(12)], 3, w, now),
            Some(300)
        );
    }
}
