//! `login_codes`: the codes asked for, and the accounts a number may log in to.

use super::MAX_TRIES;
use crate::auth::model::User;
use crate::db::schema::{login_codes, users};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = login_codes)]
pub struct LoginCode {
    pub id: i64,
    pub user_id: Option<i64>,
    pub phone_key: String,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub tries: i32,
    pub used_at: Option<NaiveDateTime>,
    pub ip: String,
}

/// What a new row holds.
pub struct NewCode<'a> {
    pub user_id: Option<i64>,
    pub phone_key: &'a str,
    pub code_hash: &'a str,
    pub expires_at: NaiveDateTime,
    pub ip: &'a str,
}

/// The active accounts with this 10-digit number (as `users.phone` holds it).
pub fn active_users_with_phone(conn: &mut DbConn, number: &str) -> AppResult<Vec<User>> {
    Ok(users::table
        .filter(users::phone.eq(number))
        .filter(users::active.eq(true))
        .select(User::as_select())
        .limit(2)
        .load(conn)?)
}

pub fn insert(conn: &mut DbConn, c: &NewCode, now: NaiveDateTime) -> AppResult<i64> {
    let values = (
        login_codes::user_id.eq(c.user_id),
        login_codes::phone_key.eq(c.phone_key),
        login_codes::code_hash.eq(c.code_hash),
        login_codes::created_at.eq(now),
        login_codes::expires_at.eq(c.expires_at),
        login_codes::tries.eq(0),
        login_codes::ip.eq(c.ip),
    );
    Ok(crate::on_backend!(conn, |c| diesel::insert_into(
        login_codes::table
    )
    .values(values)
    .returning(login_codes::id)
    .get_result(c))?)
}

/// End a number's codes still open, but `keep` (a new code replaces them).
pub fn end_others(
    conn: &mut DbConn,
    phone_key: &str,
    keep: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(
        login_codes::table
            .filter(login_codes::phone_key.eq(phone_key))
            .filter(login_codes::id.ne(keep))
            .filter(login_codes::used_at.is_null())
            .filter(login_codes::expires_at.gt(now)),
    )
    .set(login_codes::expires_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// When the codes of a number (or asked from an address) since `since` were asked for,
/// newest first.
pub fn asked_since(
    conn: &mut DbConn,
    phone_key: Option<&str>,
    ip: Option<&str>,
    since: NaiveDateTime,
) -> AppResult<Vec<NaiveDateTime>> {
    let mut q = login_codes::table
        .filter(login_codes::created_at.gt(since))
        .select(login_codes::created_at)
        .order(login_codes::created_at.desc())
        .limit(10_001)
        .into_boxed();
    if let Some(k) = phone_key {
        q = q.filter(login_codes::phone_key.eq(k.to_string()));
    }
    if let Some(ip) = ip {
        q = q.filter(login_codes::ip.eq(ip.to_string()));
    }
    Ok(q.load(conn)?)
}

/// The number's newest code (only the newest works).
pub fn newest(conn: &mut DbConn, phone_key: &str) -> AppResult<Option<LoginCode>> {
    Ok(login_codes::table
        .filter(login_codes::phone_key.eq(phone_key))
        .order(login_codes::id.desc())
        .select(LoginCode::as_select())
        .first(conn)
        .optional()?)
}

/// Count a check of a code, if it is still alive (not used, not expired, tries left): false
/// when it is dead. Counted before the code is compared, so parallel guesses cannot pass the
/// limit.
pub fn count_try(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(
        login_codes::table
            .find(id)
            .filter(login_codes::used_at.is_null())
            .filter(login_codes::expires_at.gt(now))
            .filter(login_codes::tries.lt(MAX_TRIES)),
    )
    .set(login_codes::tries.eq(login_codes::tries + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Use a code up: false when it was used already (a parallel check got it first).
pub fn mark_used(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(
        login_codes::table
            .find(id)
            .filter(login_codes::used_at.is_null()),
    )
    .set(login_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Forget rows older than `before` (nothing counts them any more).
pub fn forget_before(conn: &mut DbConn, before: NaiveDateTime) -> AppResult<usize> {
    Ok(
        diesel::delete(login_codes::table.filter(login_codes::created_at.lt(before)))
            .execute(conn)?,
    )
}
