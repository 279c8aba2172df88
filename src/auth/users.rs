//! Rules for user accounts, shared by the admin pages, the API and `paani user`.

use super::model::{self, User};
use super::{password, Role};
use crate::db::schema::users;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{self, Level, Place};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

/// Account fields as typed (form, JSON or command line).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct UserInput {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// admin, district_officer, block_engineer, secretary or member.
    #[serde(default)]
    pub role: String,
    /// LGD code of the place the user works in: a GP (secretary, member), a block (block
    /// engineer), a district or state (district officer); empty for admins.
    #[serde(default)]
    pub place_lgd_code: String,
    /// The level of that place, when the code alone is ambiguous (a district officer working
    /// for a whole state): state, district, block or gp. Empty: the role's usual level.
    #[serde(default)]
    pub place_level: String,
    /// "en" or "hi".
    #[serde(default)]
    pub lang: String,
    /// Only when creating (or use the reset action).
    #[serde(default)]
    pub password: String,
}

/// Checked account fields ready to store.
#[derive(Debug, Clone)]
pub struct UserValues {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: Role,
    pub place: Option<Place>,
    pub lang: String,
}

/// A 10-digit Indian mobile number (optionally written with +91 or 0 in front).
pub fn normalize_mobile(s: &str) -> Option<String> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = digits
        .strip_prefix("+91")
        .or_else(|| digits.strip_prefix("91").filter(|d| d.len() == 10))
        .or_else(|| digits.strip_prefix('0').filter(|d| d.len() == 10))
        .unwrap_or(&digits);
    let ok = digits.len() == 10
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(digits.chars().next(), Some('6'..='9'));
    ok.then(|| digits.to_string())
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && s.len() <= 254
}

/// Which place a role is scoped to, by LGD code. LGD codes are unique only within a level, so
/// when `level` is not given and the code names places at two of the role's levels (a district
/// officer: district or state), the answer is `Err(())`: ambiguous.
pub fn resolve_place(
    conn: &mut DbConn,
    role: Role,
    code: i64,
    level: Option<Level>,
) -> AppResult<Result<Option<Place>, ()>> {
    if let Some(l) = level {
        if !role.scope_levels().contains(&l) {
            return Ok(Ok(None));
        }
        return Ok(Ok(places::model::by_lgd(conn, l, code)?));
    }
    let mut found = vec![];
    for level in role.scope_levels() {
        if let Some(p) = places::model::by_lgd(conn, *level, code)? {
            found.push(p);
        }
    }
    if found.len() > 1 {
        return Ok(Err(()));
    }
    Ok(Ok(found.pop()))
}

/// Refuse changes that would lock administration out: an actor changing their own role or
/// deactivating themselves, or the last active administrator losing the role.
pub fn guard_admin_change(
    conn: &mut DbConn,
    actor_id: i64,
    existing: &User,
    new_role: Role,
    new_active: bool,
) -> AppResult<()> {
    if existing.id == actor_id && new_role != existing.role() {
        return Err(AppError::Conflict("user-cannot-change-own-role".into()));
    }
    if existing.id == actor_id && !new_active {
        return Err(AppError::Conflict("user-cannot-deactivate-self".into()));
    }
    let loses_admin = existing.role() == Role::Admin
        && existing.active
        && (new_role != Role::Admin || !new_active);
    if loses_admin {
        let others: i64 = users::table
            .filter(users::role.eq(Role::Admin.as_str()))
            .filter(users::active.eq(true))
            .filter(users::id.ne(existing.id))
            .count()
            .get_result(conn)?;
        if others == 0 {
            return Err(AppError::Conflict("user-last-admin".into()));
        }
    }
    Ok(())
}

/// Check everything; `existing` is the user being edited (its username may stay).
pub fn validate(
    conn: &mut DbConn,
    input: &UserInput,
    existing: Option<&User>,
    password_min: usize,
) -> AppResult<Result<UserValues, FieldErrors>> {
    let mut e = FieldErrors::new();
    let username = model::normalize_username(&input.username);
    let name_ok = (3..=40).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if username.is_empty() {
        e.add("username", "field-required");
    } else if !name_ok {
        e.add("username", "user-username-invalid");
    } else if existing.is_none_or(|u| u.username != username)
        && model::user_by_username(conn, &username)?.is_some()
    {
        e.add("username", "user-username-taken");
    }
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() {
        e.add("display_name", "field-required");
    } else if display_name.chars().count() > 120 {
        e.add_with("display_name", "field-too-long", &[("max", "120".into())]);
    }
    let phone = match input.phone.trim() {
        "" => None,
        p => match normalize_mobile(p) {
            Some(n) => Some(n),
            None => {
                e.add("phone", "phone-invalid");
                None
            }
        },
    };
    let email = match input.email.trim() {
        "" => None,
        m if valid_email(m) => Some(m.to_string()),
        _ => {
            e.add("email", "email-invalid");
            None
        }
    };
    let role = Role::parse(&input.role);
    if role.is_none() {
        e.add("role", "field-invalid-choice");
    }
    let mut place = None;
    let place_level = match input.place_level.trim() {
        "" => None,
        l => match Level::parse(l) {
            Some(l) => Some(l),
            None => {
                e.add("place_level", "field-invalid-choice");
                None
            }
        },
    };
    if let Some(role) = role {
        let code = input.place_lgd_code.trim();
        if role == Role::Admin {
            if !code.is_empty() {
                e.add("place_lgd_code", "user-admin-no-place");
            }
        } else {
            match places::parse_lgd(code) {
                None if code.is_empty() => e.add("place_lgd_code", "field-required"),
                None => e.add("place_lgd_code", "place-lgd-invalid"),
                Some(c) => match resolve_place(conn, role, c, place_level)? {
                    Err(()) => e.add("place_lgd_code", "user-place-ambiguous"),
                    Ok(Some(p)) if p.active => place = Some(p),
                    Ok(Some(_)) => e.add("place_lgd_code", "user-place-inactive"),
                    Ok(None) => e.add_with(
                        "place_lgd_code",
                        "user-place-missing",
                        &[(
                            "level",
                            place_level
                                .or(role.scope_levels().first().copied())
                                .map(|l| l.as_str())
                                .unwrap_or("")
                                .to_string(),
                        )],
                    ),
                },
            }
        }
    }
    let lang = match input.lang.trim() {
        "" => "en".to_string(),
        "en" | "hi" => input.lang.trim().to_string(),
        _ => {
            e.add("lang", "field-invalid-choice");
            String::new()
        }
    };
    if existing.is_none() {
        password::check_new(&input.password, None, password_min, "password", &mut e);
    }
    if !e.is_empty() {
        return Ok(Err(e));
    }
    Ok(Ok(UserValues {
        username,
        display_name,
        phone,
        email,
        role: role.expect("checked"),
        place,
        lang,
    }))
}

pub fn create(
    conn: &mut DbConn,
    v: &UserValues,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<User> {
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(users::table)
        .values((
            users::username.eq(&v.username),
            users::display_name.eq(&v.display_name),
            users::phone.eq(&v.phone),
            users::email.eq(&v.email),
            users::role.eq(v.role.as_str()),
            users::place_id.eq(v.place.as_ref().map(|p| p.id)),
            users::lang.eq(&v.lang),
            users::active.eq(true),
            users::password_hash.eq(password_hash),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(c))
    .map_err(|e| AppError::from(e).on_unique("user-username-taken"))?;
    model::find_user(conn, id)
}

pub fn update(conn: &mut DbConn, id: i64, v: &UserValues, now: NaiveDateTime) -> AppResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::username.eq(&v.username),
            users::display_name.eq(&v.display_name),
            users::phone.eq(&v.phone),
            users::email.eq(&v.email),
            users::role.eq(v.role.as_str()),
            users::place_id.eq(v.place.as_ref().map(|p| p.id)),
            users::lang.eq(&v.lang),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(|e| AppError::from(e).on_unique("user-username-taken"))?;
    model::find_user(conn, id)
}

/// Store a new password hash; ends every session and API token of the user. Returns how many
/// sessions ended.
pub fn set_password(
    conn: &mut DbConn,
    user_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)?;
    model::end_all_sessions(conn, user_id, now)
}

/// Deactivate (ending every session and token) or reactivate an account.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((users::active.eq(active), users::updated_at.eq(now)))
        .execute(conn)?;
    if !active {
        model::end_all_sessions(conn, id, now)?;
    }
    Ok(())
}

/// The level names a role's place must have (for help texts).
pub fn scope_level_names(role: Role) -> Vec<&'static str> {
    role.scope_levels()
        .iter()
        .map(|l: &Level| l.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(
            normalize_mobile("98765 43210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(
            normalize_mobile("+91 9876543210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(
            normalize_mobile("09876543210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(normalize_mobile("5876543210"), None);
        assert_eq!(normalize_mobile("98765"), None);
    }

    #[test]
    fn emails() {
        assert!(valid_email("a@b.in"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@c.in"));
    }
}
