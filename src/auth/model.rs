//! Rows and queries for users, sessions, API tokens and log-in attempts.

use super::throttle::Throttle;
use super::{
    hash_token, random_token, Actor, EmailPref, Role, Scope, SmsPref, UserStatusFilter, UserValues,
};
use crate::db::schema::{api_tokens, form_drafts, login_attempts, places, sessions, users};
use crate::db::{like_pattern, lower, lower_opt, DbConn};
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
use crate::web::pagination::PageRequest;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, Serialize)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: String,
    pub place_id: Option<i64>,
    pub lang: String,
    pub active: bool,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
    /// Reminders by e-mail: immediate, digest (daily) or off.
    pub email_pref: String,
    /// Reminders by SMS: on or off.
    pub sms_pref: String,
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Member)
    }
}

/// What the scope of a user is, from their role and place.
pub fn scope_of(user: &User, place: Option<&Place>) -> Scope {
    match (user.role(), place) {
        (Role::Admin, _) => Scope::All,
        (_, Some(p)) => Scope::Place {
            level: p.level(),
            id: p.id,
        },
        // A non-admin without a place sees nothing: scope it to an id that never exists.
        (_, None) => Scope::Place {
            level: Level::Village,
            id: -1,
        },
    }
}

pub fn actor_for(
    conn: &mut DbConn,
    user: User,
    session_id: Option<i64>,
    token_id: Option<i64>,
) -> AppResult<Actor> {
    let place = match user.place_id {
        Some(id) => places::table
            .find(id)
            .select(Place::as_select())
            .first(conn)
            .optional()?,
        None => None,
    };
    let scope = scope_of(&user, place.as_ref());
    Ok(Actor {
        role: user.role(),
        scope,
        user,
        session_id,
        token_id,
        request_key: None,
    })
}

pub fn find_user(conn: &mut DbConn, id: i64) -> AppResult<User> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn user_by_username(conn: &mut DbConn, username: &str) -> AppResult<Option<User>> {
    Ok(users::table
        .filter(users::username.eq(normalize_username(username)))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn normalize_username(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A browser session as loaded for a request.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    #[serde(skip)]
    pub csrf_token: String,
    pub lang: Option<String>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub last_seen_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub expires_at: NaiveDateTime,
    /// "Keep me logged in on this phone": no idle timeout, a long lifetime.
    pub kept: bool,
    /// The browser it was started in ("Chrome · Android"), when it could be told.
    pub device: Option<String>,
}

pub struct SessionPolicy {
    pub idle: Duration,
    pub max: Duration,
    /// The lifetime of a kept session (zero: not offered).
    pub keep: Duration,
}

impl SessionPolicy {
    pub fn from_config(auth: &crate::config::AuthConfig) -> Self {
        SessionPolicy {
            idle: Duration::minutes(auth.session_idle_minutes),
            max: Duration::hours(auth.session_max_hours),
            keep: Duration::days(auth.session_keep_days),
        }
    }

    /// Whether a session may be kept (the log-in form offers the box).
    pub fn offers_keep(&self) -> bool {
        self.keep > Duration::zero()
    }

    /// Whether `s` has ended at `now` (its lifetime, or for a session not kept, idleness).
    pub fn ended(&self, s: &SessionRow, now: NaiveDateTime) -> bool {
        now >= s.expires_at || (!s.kept && now - s.last_seen_at >= self.idle)
    }
}

/// Start a session: returns the raw token for the cookie. `kept` (ignored when the policy
/// does not offer it): no idle timeout, ends `policy.keep` after now.
pub fn create_session(
    conn: &mut DbConn,
    user_id: i64,
    lang: Option<&str>,
    now: NaiveDateTime,
    policy: &SessionPolicy,
    kept: bool,
    device: Option<&str>,
) -> AppResult<String> {
    // Forget sessions that can no longer be used (ended by age), so the table stays small.
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
    let kept = kept && policy.offers_keep();
    let token = random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(hash_token(&token)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(random_token()),
            sessions::lang.eq(lang),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + if kept { policy.keep } else { policy.max }),
            sessions::kept.eq(kept),
            sessions::device.eq(device),
        ))
        .execute(conn)?;
    Ok(token)
}

/// What a session cookie turned out to be.
pub enum SessionLookup {
    /// A live session (its `last_seen_at` touched).
    Live(Box<(SessionRow, User)>),
    /// A session of an active user that has just ended (now deleted): whose it was and the
    /// CSRF token its pages carried, so a form sent from one of them can be recognised.
    Ended { user_id: i64, csrf_token: String },
    /// No such session (or its user was deactivated).
    Unknown,
}

/// The session for a cookie token, touching `last_seen_at`; an ended one is deleted.
pub fn load_session(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
    policy: &SessionPolicy,
) -> AppResult<SessionLookup> {
    let found: Option<(SessionRow, User)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .select((SessionRow::as_select(), User::as_select()))
        .first(conn)
        .optional()?;
    let Some((s, u)) = found else {
        return Ok(SessionLookup::Unknown);
    };
    if !u.active || policy.ended(&s, now) {
        diesel::delete(sessions::table.find(s.id)).execute(conn)?;
        return Ok(if u.active {
            SessionLookup::Ended {
                user_id: u.id,
                csrf_token: s.csrf_token,
            }
        } else {
            SessionLookup::Unknown
        });
    }
    if now - s.last_seen_at >= Duration::seconds(60) {
        diesel::update(sessions::table.find(s.id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(SessionLookup::Live(Box::new((s, u))))
}

/// A user's sessions that have not ended, the most recently used first.
pub fn user_sessions(
    conn: &mut DbConn,
    user_id: i64,
    now: NaiveDateTime,
    policy: &SessionPolicy,
) -> AppResult<Vec<SessionRow>> {
    let rows: Vec<SessionRow> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .order((sessions::last_seen_at.desc(), sessions::id.desc()))
        .select(SessionRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().filter(|s| !policy.ended(s, now)).collect())
}

/// Whether the session is kept ("keep me logged in"), and its browser; (false, None) when it
/// is gone.
pub fn session_kind(conn: &mut DbConn, id: i64) -> AppResult<(bool, Option<String>)> {
    Ok(sessions::table
        .find(id)
        .select((sessions::kept, sessions::device))
        .first(conn)
        .optional()?
        .unwrap_or((false, None)))
}

/// End one of a user's sessions (only theirs: another user's id ends nothing); whether it
/// existed.
pub fn end_user_session(conn: &mut DbConn, user_id: i64, id: i64) -> AppResult<bool> {
    let n = diesel::delete(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::user_id.eq(user_id)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

/// End every session of a user but `keep`; how many ended.
pub fn end_other_sessions(conn: &mut DbConn, user_id: i64, keep: i64) -> AppResult<usize> {
    Ok(diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)?)
}

/// A form sent after its session ended, kept for its user in the browser that sent it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = form_drafts)]
pub struct Draft {
    pub id: i64,
    pub user_id: i64,
    /// Where the form was posted (a local path).
    pub action: String,
    /// The page the form was on (a local path), when the browser said.
    pub page: Option<String>,
    /// The text fields, urlencoded, in their order.
    pub fields: String,
    /// The form also carried files (photos), which were not kept.
    pub had_files: bool,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// What a draft holds before it is written.
pub struct NewDraft<'a> {
    pub user_id: i64,
    pub action: &'a str,
    pub page: Option<&'a str>,
    pub fields: &'a str,
    pub had_files: bool,
}

/// Keep a draft until `expires_at`; returns the raw token for the browser's cookie. Drafts
/// past their time are forgotten here, and so is the draft the same browser held before
/// (`replaces`: its cookie token).
pub fn save_draft(
    conn: &mut DbConn,
    d: &NewDraft<'_>,
    replaces: Option<&str>,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> AppResult<String> {
    diesel::delete(form_drafts::table.filter(form_drafts::expires_at.le(now))).execute(conn)?;
    if let Some(old) = replaces {
        delete_draft(conn, old)?;
    }
    let token = random_token();
    diesel::insert_into(form_drafts::table)
        .values((
            form_drafts::token_hash.eq(hash_token(&token)),
            form_drafts::user_id.eq(d.user_id),
            form_drafts::action.eq(d.action),
            form_drafts::page.eq(d.page),
            form_drafts::fields.eq(d.fields),
            form_drafts::had_files.eq(d.had_files),
            form_drafts::created_at.eq(now),
            form_drafts::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The draft behind a browser's cookie token, if it has not expired (whoever's it is: the
/// caller compares its user).
pub fn find_draft(conn: &mut DbConn, token: &str, now: NaiveDateTime) -> AppResult<Option<Draft>> {
    Ok(form_drafts::table
        .filter(form_drafts::token_hash.eq(hash_token(token)))
        .filter(form_drafts::expires_at.gt(now))
        .select(Draft::as_select())
        .first(conn)
        .optional()?)
}

pub fn delete_draft(conn: &mut DbConn, token: &str) -> AppResult<()> {
    diesel::delete(form_drafts::table.filter(form_drafts::token_hash.eq(hash_token(token))))
        .execute(conn)?;
    Ok(())
}

/// The draft is being sent again by its user to where it was first posted: forget it. Whether
/// there was one.
pub fn take_draft(conn: &mut DbConn, token: &str, user_id: i64, action: &str) -> AppResult<bool> {
    let n = diesel::delete(
        form_drafts::table
            .filter(form_drafts::token_hash.eq(hash_token(token)))
            .filter(form_drafts::user_id.eq(user_id))
            .filter(form_drafts::action.eq(action)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

pub fn delete_session(conn: &mut DbConn, id: i64) -> AppResult<()> {
    diesel::delete(sessions::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn set_session_lang(conn: &mut DbConn, id: i64, lang: &str) -> AppResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::lang.eq(lang))
        .execute(conn)?;
    Ok(())
}

/// End every session and revoke every API token of a user (password change, deactivation).
pub fn end_all_sessions(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> AppResult<usize> {
    let n = diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(n)
}

pub fn count_sessions(conn: &mut DbConn, user_id: i64) -> AppResult<i64> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .count()
        .get_result(conn)?)
}

/// Issue an API token; returns (raw token, expires_at).
pub fn create_api_token(
    conn: &mut DbConn,
    user_id: i64,
    now: NaiveDateTime,
    days: i64,
) -> AppResult<(String, NaiveDateTime)> {
    let token = random_token();
    let expires = now + Duration::days(days.max(1));
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::token_hash.eq(hash_token(&token)),
            api_tokens::user_id.eq(user_id),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires),
        ))
        .execute(conn)?;
    Ok((token, expires))
}

/// The user behind a live (unrevoked, unexpired) bearer token, and the token's id.
pub fn load_api_token(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Option<(i64, User)>> {
    let found: Option<(i64, Option<NaiveDateTime>, User)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash_token(token)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select((api_tokens::id, api_tokens::last_used_at, User::as_select()))
        .first(conn)
        .optional()?;
    let Some((id, last_used, user)) = found else {
        return Ok(None);
    };
    // Like sessions: note the use at most once a minute, not a write on every request.
    if last_used.is_none_or(|t| now - t >= Duration::seconds(60)) {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some((id, user)))
}

pub fn revoke_api_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Failures (and attempts still running, which count as failures until they succeed) of
/// attempts matching `filter` since `since`: how many, and the last one's time.
fn failures_since(
    conn: &mut DbConn,
    filter: login_attempts::BoxedQuery<'static, crate::db::MultiBackend>,
    since: NaiveDateTime,
) -> AppResult<(i64, Option<NaiveDateTime>)> {
    use diesel::dsl::{count_star, max};
    Ok(filter
        .filter(login_attempts::attempted_at.gt(since))
        .filter(login_attempts::succeeded.eq(false))
        .select((count_star(), max(login_attempts::attempted_at)))
        .first(conn)?)
}

/// Seconds to wait before this username may try again from this address, else `None`
/// (`auth::throttle` has the rules). `address` is the throttle's key for the address
/// ([`super::throttle::address_key`]); `known_device`: the browser has logged in to this
/// username before, so neither the per-address count nor the per-username ceiling apply.
pub fn throttled(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    known_device: bool,
    now: NaiveDateTime,
    t: &Throttle,
) -> AppResult<Option<i64>> {
    let since = now - t.window;
    let username = normalize_username(username);
    let by_user = || {
        login_attempts::table
            .filter(login_attempts::username.eq(username.clone()))
            .into_boxed()
    };
    let by_address = || {
        login_attempts::table
            .filter(login_attempts::ip.eq(address.to_string()))
            .into_boxed()
    };
    // The pair starts again at its last successful log-in.
    let last_success: Option<NaiveDateTime> = by_user()
        .filter(login_attempts::ip.eq(address.to_string()))
        .filter(login_attempts::succeeded.eq(true))
        .filter(login_attempts::attempted_at.gt(since))
        .select(diesel::dsl::max(login_attempts::attempted_at))
        .first(conn)?;
    let pair_since = last_success.map_or(since, |s| s.max(since));
    let (n, last) = failures_since(
        conn,
        by_user().filter(login_attempts::ip.eq(address.to_string())),
        pair_since,
    )?;
    let mut until = t.next_allowed(n, last, t.pair_free);
    if !known_device {
        let (n, last) = failures_since(conn, by_address(), since)?;
        until = until.max(t.next_allowed(n, last, t.address_free));
        let (n, last) = failures_since(conn, by_user(), since)?;
        until = until.max(t.next_allowed(n, last, t.username_free));
    }
    Ok(until
        .filter(|u| *u > now)
        // whole seconds, rounded up: never "wait 0 seconds" while still refusing
        .map(|u| ((u - now).num_milliseconds() + 999) / 1000))
}

/// Record a log-in attempt as failed until [`mark_attempt_succeeded`] says otherwise; returns
/// its id. Also forgets attempts older than a day past the window.
pub fn start_attempt(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    now: NaiveDateTime,
    t: &Throttle,
) -> AppResult<i64> {
    diesel::delete(
        login_attempts::table
            .filter(login_attempts::attempted_at.lt(now - t.window - Duration::days(1))),
    )
    .execute(conn)?;
    let values = (
        login_attempts::username.eq(normalize_username(username)),
        login_attempts::ip.eq(address),
        login_attempts::attempted_at.eq(now),
        login_attempts::succeeded.eq(false),
    );
    let id = crate::on_backend!(conn, |c| diesel::insert_into(login_attempts::table)
        .values(values)
        .returning(login_attempts::id)
        .get_result(c))?;
    Ok(id)
}

pub fn mark_attempt_succeeded(conn: &mut DbConn, id: i64) -> AppResult<()> {
    diesel::update(login_attempts::table.find(id))
        .set(login_attempts::succeeded.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Filters for the user list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Username, name, phone or e-mail contains this.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    /// Only accounts whose place is this place (id) or inside it.
    #[serde(default)]
    pub place: Option<i64>,
    /// "active" (default; pulling changes: "all"), "inactive" or "all".
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// A user and the place their scope is.
pub type UserWithPlace = (User, Option<Place>);

pub fn list_users(
    conn: &mut DbConn,
    f: &UserFilter,
    page: PageRequest,
) -> AppResult<(Vec<UserWithPlace>, i64)> {
    let within = match f.place {
        Some(id) => Some(crate::auth::Scope::All.narrowed_to(conn, id)?),
        None => None,
    };
    let build = || {
        let mut q = users::table.left_join(places::table).into_boxed();
        if let Some(role) = f.role.as_deref().and_then(Role::parse) {
            q = q.filter(users::role.eq(role.as_str()));
        }
        // the user's place (joined) is the place or inside it, as `Scope::filter_places`
        if let Some(crate::auth::Scope::Place { level, id }) = within {
            q = match level {
                Level::State => q.filter(places::state_id.eq(id)),
                Level::District => q.filter(places::district_id.eq(id)),
                Level::Block => q.filter(places::block_id.eq(id)),
                Level::Gp => q.filter(places::gp_id.eq(id)),
                Level::Village => q.filter(places::id.eq(id)),
            };
        }
        // pulling changes, every status by default (a deactivated account comes back)
        let status = match (f.status.as_deref().filter(|s| !s.is_empty()), f.changes) {
            (None, Some(_)) => UserStatusFilter::All,
            (s, _) => UserStatusFilter::parse(s),
        };
        match status {
            UserStatusFilter::Inactive => q = q.filter(users::active.eq(false)),
            UserStatusFilter::All => {}
            UserStatusFilter::Active => q = q.filter(users::active.eq(true)),
        }
        if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pat = like_pattern(term);
            q = q.filter(
                lower(users::username)
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE)
                    .or(lower(users::display_name)
                        .like(pat.clone())
                        .escape(crate::db::LIKE_ESCAPE))
                    .or(users::phone
                        .like(pat.clone())
                        .escape(crate::db::LIKE_ESCAPE))
                    .or(lower_opt(users::email)
                        .like(pat)
                        .escape(crate::db::LIKE_ESCAPE)),
            );
        }
        crate::changed_since!(q, f.changes, users::updated_at, users::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        f.changes,
        users::updated_at,
        users::id,
        users::username.asc()
    )
    .limit(page.limit())
    .offset(page.offset())
    .select((User::as_select(), Option::<Place>::as_select()))
    .load(conn)?;
    Ok((rows, total))
}

/// A user and the place their scope is.
pub fn find_with_place(conn: &mut DbConn, id: i64) -> AppResult<UserWithPlace> {
    let u = find_user(conn, id)?;
    let p = match u.place_id {
        Some(pid) => Some(crate::places::model::find(conn, pid)?),
        None => None,
    };
    Ok((u, p))
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
        return Ok(Ok(crate::places::model::by_lgd(conn, l, code)?));
    }
    let mut found = vec![];
    for level in role.scope_levels() {
        if let Some(p) = crate::places::model::by_lgd(conn, *level, code)? {
            found.push(p);
        }
    }
    if found.len() > 1 {
        return Ok(Err(()));
    }
    Ok(Ok(found.pop()))
}

/// At most this many places are offered to choose from for one name.
pub const PLACE_CHOICES: i64 = 20;

/// Active places at the levels `role` works at (or at `level` only) whose English or Hindi
/// name contains `term`, by level and name (at most [`PLACE_CHOICES`] + 1, so that "more"
/// can be told).
pub fn places_named(
    conn: &mut DbConn,
    role: Role,
    term: &str,
    level: Option<Level>,
) -> AppResult<Vec<Place>> {
    let levels: Vec<&str> = role
        .scope_levels()
        .iter()
        .filter(|l| level.is_none_or(|x| x == **l))
        .map(|l| l.as_str())
        .collect();
    let term = term.trim();
    if levels.is_empty() || term.is_empty() {
        return Ok(vec![]);
    }
    let pat = like_pattern(term);
    Ok(places::table
        .filter(places::level.eq_any(levels))
        .filter(places::active.eq(true))
        .filter(
            lower(places::name)
                .like(pat.clone())
                .escape(crate::db::LIKE_ESCAPE)
                .or(places::name_hi.like(pat).escape(crate::db::LIKE_ESCAPE)),
        )
        .order((places::level.asc(), places::name.asc(), places::id.asc()))
        .limit(PLACE_CHOICES + 1)
        .select(Place::as_select())
        .load(conn)?)
}

/// Active administrators other than `user_id`.
pub fn other_active_admins(conn: &mut DbConn, user_id: i64) -> AppResult<i64> {
    Ok(users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .filter(users::id.ne(user_id))
        .count()
        .get_result(conn)?)
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
            users::sms_pref
                .eq(SmsPref::default_for(v.phone.as_deref(), v.email.as_deref()).as_str()),
        ))
        .returning(users::id)
        .get_result(c))
    .map_err(|e| AppError::from(e).on_unique("user-username-taken"))?;
    find_user(conn, id)
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
    find_user(conn, id)
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
    end_all_sessions(conn, user_id, now)
}

/// Deactivate (ending every session and token) or reactivate an account.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((users::active.eq(active), users::updated_at.eq(now)))
        .execute(conn)?;
    if !active {
        end_all_sessions(conn, id, now)?;
    }
    Ok(())
}

pub fn set_email_pref(
    conn: &mut DbConn,
    id: i64,
    pref: EmailPref,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::email_pref.eq(pref.as_str()),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_sms_pref(
    conn: &mut DbConn,
    id: i64,
    pref: SmsPref,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((users::sms_pref.eq(pref.as_str()), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_lang(conn: &mut DbConn, id: i64, lang: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((users::lang.eq(lang), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Forget a session's own language switch (`?lang=`).
pub fn clear_session_lang(conn: &mut DbConn, id: i64) -> AppResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::lang.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}
