//! Accounts' use cases: log-in (throttled), log-out, one's own password, language and e-mail
//! preference, API tokens, and the administrators' account changes. Each is checked and
//! written in one transaction with its audit row, shared by the pages, the API and `paani user`.

use super::model::{self, SessionPolicy, User};
use super::throttle::{self, Throttle};
use super::{normalize_mobile, password, username_ok, valid_email};
use super::{Actor, EmailPref, Role, SmsPref, UserInput, UserValues};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{self, Level, Place};
use chrono::NaiveDateTime;

/// Check a username and password, with throttling (`auth::throttle`) and one generic answer
/// for both "no such user" and "wrong password". `Ok(None)` means: refuse, generically;
/// `Err(TooManyRequests)`: not now, and when. `known_device`: the browser holds this
/// username's device mark (it logged in to the account before). Failures are audited
/// (`login_failed`, with the address); refused attempts are not attempts and leave no row.
pub fn authenticate(
    ctx: &Ctx,
    username: &str,
    password_text: &str,
    ip: &str,
    known_device: bool,
) -> AppResult<Option<User>> {
    let now = ctx.now();
    let t = Throttle::from_config(&ctx.config.auth);
    let address = throttle::address_key(ip);
    // Throttle first, and count this attempt as a failure before spending any time on the
    // password, so parallel guesses cannot slip past the limit while argon2 runs.
    let (attempt_id, candidate) = ctx.db.write_blocking(|conn| {
        if let Some(wait) = model::throttled(conn, username, &address, known_device, now, &t)? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
            });
        }
        let id = model::start_attempt(conn, username, &address, now, &t)?;
        Ok((id, model::user_by_username(conn, username)?))
    })?;
    let candidate_id = candidate.as_ref().map(|u| u.id);
    let ok_user = match candidate {
        // Verify first, then look at `active`: inactive accounts answer as slowly as others.
        Some(u) if password::verify(password_text, &u.password_hash) && u.active => Some(u),
        Some(_) => None,
        None => {
            password::verify_dummy(password_text);
            None
        }
    };
    if ok_user.is_some() {
        model::mark_attempt_succeeded(&mut *ctx.db.conn()?, attempt_id)?;
    } else {
        let name = model::normalize_username(username);
        audit::audited(ctx, By::named(&name, ip), |_, _, log| {
            log.add(
                Action::LoginFailed,
                Entity::User,
                candidate_id,
                Detail::new("audit-detail-login-failed"),
            );
            Ok(())
        })?;
    }
    Ok(ok_user)
}

/// Start a browser session for a user who just logged in (keeping the language chosen before
/// logging in, when it differs from theirs): the raw token for the cookie. `kept`: "keep me
/// logged in on this phone" (when `auth.session_keep_days` offers it); `device`: the
/// browser's User-Agent, of which a short label is kept for the account page.
pub fn start_session(
    ctx: &Ctx,
    user: &User,
    chosen_lang: Option<&str>,
    ip: &str,
    kept: bool,
    user_agent: &str,
) -> AppResult<String> {
    start_session_by(
        ctx,
        user,
        chosen_lang,
        ip,
        kept,
        user_agent,
        LoginMethod::Password,
    )
}

/// How someone logged in: the audit row of the session says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    Password,
    /// A one-time code by SMS (`auth::otp`).
    Otp,
}

/// [`start_session`] after a log-in by `method`.
pub fn start_session_by(
    ctx: &Ctx,
    user: &User,
    chosen_lang: Option<&str>,
    ip: &str,
    kept: bool,
    user_agent: &str,
    method: LoginMethod,
) -> AppResult<String> {
    let policy = SessionPolicy::from_config(&ctx.config.auth);
    let kept = kept && policy.offers_keep();
    let device = super::device_label(user_agent);
    audit::audited(ctx, By::named(&user.username, ip), |conn, now, log| {
        let token = model::create_session(
            conn,
            user.id,
            chosen_lang,
            now,
            &policy,
            kept,
            device.as_deref(),
        )?;
        let detail = match (method, kept) {
            (LoginMethod::Password, true) => "audit-detail-login-kept",
            (LoginMethod::Password, false) => "audit-detail-login",
            (LoginMethod::Otp, true) => "audit-detail-login-otp-kept",
            (LoginMethod::Otp, false) => "audit-detail-login-otp",
        };
        let detail = match method {
            LoginMethod::Password => Detail::new(detail),
            LoginMethod::Otp => Detail::new(detail).text("method", "otp"),
        };
        log.add(Action::Login, Entity::Session, Some(user.id), detail);
        Ok(token)
    })
}

/// End one of the actor's own sessions (from the account page); another user's session, or
/// one already gone, is not found (404).
pub fn end_own_session(ctx: &Ctx, actor: &Actor, ip: &str, id: i64) -> AppResult<()> {
    audit::audited(ctx, By::actor(actor, ip), |conn, _, log| {
        if !model::end_user_session(conn, actor.user.id, id)? {
            return Err(AppError::NotFound);
        }
        log.add(
            Action::Logout,
            Entity::Session,
            Some(actor.user.id),
            Detail::new("audit-detail-session-ended").text("session", id.to_string()),
        );
        Ok(())
    })
}

/// End every session of the actor but the one this request came with; how many ended.
pub fn end_other_sessions(ctx: &Ctx, actor: &Actor, ip: &str) -> AppResult<usize> {
    let keep = actor.session_id.unwrap_or(-1);
    audit::audited(ctx, By::actor(actor, ip), |conn, _, log| {
        let n = model::end_other_sessions(conn, actor.user.id, keep)?;
        log.add(
            Action::Logout,
            Entity::Session,
            Some(actor.user.id),
            Detail::new("audit-detail-sessions-ended").count("count", n),
        );
        Ok(n)
    })
}

/// End the actor's browser session (if the request came with one), with its audit row.
pub fn logout(ctx: &Ctx, actor: &Actor, ip: &str) -> AppResult<()> {
    audit::audited(ctx, By::actor(actor, ip), |conn, _, log| {
        if let Some(sid) = actor.session_id {
            model::delete_session(conn, sid)?;
        }
        log.add(
            Action::Logout,
            Entity::Session,
            Some(actor.user.id),
            Detail::new("audit-detail-logout"),
        );
        Ok(())
    })
}

/// How reminders reach the actor by e-mail.
pub fn set_email_pref(ctx: &Ctx, actor: &Actor, ip: &str, raw: &str) -> AppResult<()> {
    let Some(pref) = EmailPref::parse(raw) else {
        let mut e = FieldErrors::new();
        e.add("email_pref", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    audit::audited(ctx, By::actor(actor, ip), |conn, now, log| {
        model::set_email_pref(conn, actor.user.id, pref, now)?;
        log.add(
            Action::Update,
            Entity::User,
            Some(actor.user.id),
            Detail::new("audit-detail-email-pref")
                .word("pref", format!("email-pref-{}", pref.as_str())),
        );
        Ok(())
    })
}

/// Whether reminders reach the actor by SMS too (to the phone on their account).
pub fn set_sms_pref(ctx: &Ctx, actor: &Actor, ip: &str, raw: &str) -> AppResult<()> {
    let Some(pref) = SmsPref::parse(raw) else {
        let mut e = FieldErrors::new();
        e.add("sms_pref", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    audit::audited(ctx, By::actor(actor, ip), |conn, now, log| {
        model::set_sms_pref(conn, actor.user.id, pref, now)?;
        log.add(
            Action::Update,
            Entity::User,
            Some(actor.user.id),
            Detail::new("audit-detail-sms-pref")
                .word("pref", format!("sms-pref-{}", pref.as_str())),
        );
        Ok(())
    })
}

/// The actor's language; the explicit choice wins over an earlier `?lang=` switch in this
/// session.
pub fn set_language(ctx: &Ctx, actor: &Actor, ip: &str, raw: &str) -> AppResult<()> {
    let Some(lang) = crate::web::i18n::Lang::parse(raw) else {
        let mut e = FieldErrors::new();
        e.add("lang", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    audit::audited(ctx, By::actor(actor, ip), |conn, now, log| {
        model::set_lang(conn, actor.user.id, lang.code(), now)?;
        if let Some(sid) = actor.session_id {
            model::clear_session_lang(conn, sid)?;
        }
        log.add(
            Action::Update,
            Entity::User,
            Some(actor.user.id),
            Detail::new("audit-detail-language").word("lang", format!("lang-name-{}", lang.code())),
        );
        Ok(())
    })
}

/// Change one's own password: ends every session and API token of the user, then starts a
/// fresh session for this browser (its raw token, and whether it is kept like the one it
/// replaces).
pub fn change_own_password(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> AppResult<(String, bool)> {
    let mut errors = FieldErrors::new();
    if !password::verify(current, &actor.user.password_hash) {
        errors.add("current", "password-current-wrong");
    }
    password::check_new(
        new,
        Some(confirm),
        ctx.config.auth.password_min_length,
        "password",
        &mut errors,
    );
    errors.into_result()?;
    let hash = password::hash(new)?;
    let policy = SessionPolicy::from_config(&ctx.config.auth);
    audit::audited(ctx, By::actor(actor, ip), |conn, now, log| {
        // the fresh session for this browser is kept if the one it replaces was
        let (kept, device) = match actor.session_id {
            Some(sid) => model::session_kind(conn, sid)?,
            None => (false, None),
        };
        let ended = model::set_password(conn, actor.user.id, &hash, now)?;
        password_set(log, Action::PasswordChange, actor.user.id, ended);
        model::create_session(
            conn,
            actor.user.id,
            None,
            now,
            &policy,
            kept,
            device.as_deref(),
        )
        .map(|token| (token, kept))
    })
}

/// An administrator sets a user's password (ending their sessions and tokens).
pub fn reset_password(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    new: &str,
    confirm: &str,
) -> AppResult<()> {
    model::find_user(&mut *ctx.db.conn()?, id)?;
    let mut errors = FieldErrors::new();
    password::check_new(
        new,
        Some(confirm),
        ctx.config.auth.password_min_length,
        "password",
        &mut errors,
    );
    errors.into_result()?;
    let hash = password::hash(new)?;
    audit::audited(ctx, By::actor(actor, ip), |conn, now, log| {
        let ended = model::set_password(conn, id, &hash, now)?;
        password_set(log, Action::PasswordReset, id, ended);
        Ok(())
    })
}

/// Add an account from the command line (`paani user add`): `values` already checked by
/// [`validate`], the password by the caller; audited as done from the command line.
pub fn add_user_from_cli(ctx: &Ctx, values: &UserValues, password_text: &str) -> AppResult<User> {
    let hash = password::hash(password_text)?;
    audit::audited(ctx, By::cli(), |c, now, log| {
        let u = model::create(c, values, &hash, now)?;
        log.add(
            Action::Create,
            Entity::User,
            Some(u.id),
            Detail::new("audit-detail-user-cli")
                .text("username", &u.username)
                .word("role", format!("role-{}", u.role)),
        );
        Ok(u)
    })
}

/// Set a user's password from the command line (`paani user passwd`), ending their sessions;
/// audited. Returns how many sessions ended.
pub fn set_password_from_cli(ctx: &Ctx, user: &User, password_text: &str) -> AppResult<usize> {
    let hash = password::hash(password_text)?;
    audit::audited(ctx, By::cli(), |c, now, log| {
        let ended = model::set_password(c, user.id, &hash, now)?;
        password_set(log, Action::PasswordReset, user.id, ended);
        Ok(ended)
    })
}

/// Disable an account from the command line (`paani user disable`): it can no longer log in,
/// its sessions end and its API tokens are revoked; audited. The last active admin stays
/// (`user-last-admin`). Returns how many sessions ended.
pub fn disable_from_cli(ctx: &Ctx, user: &User) -> AppResult<i64> {
    audit::audited(ctx, By::cli(), |c, now, log| {
        // no one is logged in at the command line: only the last-admin rule applies
        guard_admin_change(c, 0, user, user.role(), false)?;
        let sessions = model::count_sessions(c, user.id)?;
        model::set_active(c, user.id, false, now)?;
        log.add(
            Action::switched(false),
            Entity::User,
            Some(user.id),
            Detail::new("audit-detail-user-name-cli").text("username", &user.username),
        );
        Ok(sessions)
    })
}

/// The audit row of a password set by `action` (change, reset).
fn password_set(log: &mut audit::Log, action: Action, user_id: i64, sessions_ended: usize) {
    log.add(
        action,
        Entity::User,
        Some(user_id),
        Detail::new("audit-detail-password-set").count("count", sessions_ended),
    );
}

/// Exchange a username and password for an API token: (raw token, expires at). A refused
/// log-in is `Unauthorized`.
pub fn issue_token(
    ctx: &Ctx,
    username: &str,
    password_text: &str,
    ip: &str,
) -> AppResult<(String, NaiveDateTime)> {
    // API clients keep no device mark: the per-address and per-username counts apply.
    let user =
        authenticate(ctx, username, password_text, ip, false)?.ok_or(AppError::Unauthorized)?;
    let days = ctx.config.auth.api_token_days;
    audit::audited(ctx, By::named(&user.username, ip), |conn, now, log| {
        let t = model::create_api_token(conn, user.id, now, days)?;
        log.add(
            Action::TokenIssue,
            Entity::ApiToken,
            Some(user.id),
            Detail::new("audit-detail-token-issued"),
        );
        Ok(t)
    })
}

/// Revoke the token the actor's request came with (none: `Unauthorized`).
pub fn revoke_token(ctx: &Ctx, actor: &Actor, ip: &str) -> AppResult<()> {
    let Some(token_id) = actor.token_id else {
        return Err(AppError::Unauthorized);
    };
    audit::audited(ctx, By::actor(actor, ip), |conn, now, log| {
        model::revoke_api_token(conn, token_id, now)?;
        log.add(
            Action::TokenRevoke,
            Entity::ApiToken,
            Some(token_id),
            Detail::new("audit-detail-token-revoked"),
        );
        Ok(())
    })
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
    if loses_admin && model::other_active_admins(conn, existing.id)? == 0 {
        return Err(AppError::Conflict("user-last-admin".into()));
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
    if username.is_empty() {
        e.add("username", "field-required");
    } else if !username_ok(&username) {
        e.add("username", "user-username-invalid");
    } else if existing.is_none_or(|u| u.username != username)
        && model::user_by_username(conn, &username)?.is_some()
    {
        e.add("username", "user-username-taken");
    }
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() {
        e.add("display_name", "field-required");
    } else if display_name.chars().count() > crate::web::forms::max::NAME {
        let max = crate::web::forms::max::NAME.to_string();
        e.add_with("display_name", "field-too-long", &[("max", max)]);
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
    if input.role.trim().is_empty() {
        e.add("role", "user-role-required");
    } else if role.is_none() {
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
        } else if let Some(pick) = Some(input.place_pick.trim())
            .filter(|p| !p.is_empty())
            .filter(|p| !stale_pick(conn, role, p, code).unwrap_or(false))
        {
            // a place picked from the list a name offered
            let picked = pick
                .split_once(':')
                .and_then(|(l, c)| Some((Level::parse(l)?, places::parse_lgd(c)?)))
                .filter(|(l, _)| role.scope_levels().contains(l));
            match picked {
                Some((l, c)) => match crate::places::model::by_lgd(conn, l, c)? {
                    Some(p) if p.active => place = Some(p),
                    Some(_) => e.add("place_lgd_code", "user-place-inactive"),
                    None => e.add("place_lgd_code", "field-invalid-choice"),
                },
                None => e.add("place_lgd_code", "field-invalid-choice"),
            }
        } else if !code.is_empty()
            && places::parse_lgd(code).is_none()
            && !code.chars().all(|c| c.is_ascii_digit())
        {
            // a name: one place at the role's level, or the one whose whole name it is
            let found = model::places_named(conn, role, code, place_level)?;
            let whole = code.to_lowercase();
            let exact: Vec<&Place> = found
                .iter()
                .filter(|p| p.name.to_lowercase() == whole || p.name_hi.as_deref() == Some(code))
                .collect();
            match (found.len(), exact.len()) {
                (0, _) => e.add("place_lgd_code", "user-place-none-named"),
                (_, 1) => place = Some(exact[0].clone()),
                (1, _) => place = found.into_iter().next(),
                _ => e.add("place_lgd_code", "user-place-choose"),
            }
        } else {
            match places::parse_lgd(code) {
                None if code.is_empty() => e.add("place_lgd_code", "field-required"),
                None => e.add("place_lgd_code", "place-lgd-invalid"),
                Some(c) => match model::resolve_place(conn, role, c, place_level)? {
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

/// Validate, hash and store a new account, with its audit row.
pub fn create_user(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: UserInput,
) -> AppResult<(User, Option<Place>)> {
    let min = ctx.config.auth.password_min_length;
    let values =
        validate(&mut *ctx.db.conn()?, &input, None, min)?.map_err(AppError::Validation)?;
    let hash = password::hash(&input.password)?;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let u = model::create(c, &values, &hash, now)?;
        log.add(Action::Create, Entity::User, Some(u.id), user_detail(&u));
        Ok((u, values.place.clone()))
    })
}

/// Validate and apply account changes (and, with `active`, (de)activation) in one
/// transaction, with audit rows. A changed role or scope ends the user's sessions at once.
pub fn update_user(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: UserInput,
    active: Option<bool>,
) -> AppResult<(User, Option<Place>)> {
    let min = ctx.config.auth.password_min_length;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let existing = model::find_user(c, id)?;
        let values = validate(c, &input, Some(&existing), min)?.map_err(AppError::Validation)?;
        let new_active = active.unwrap_or(existing.active);
        guard_admin_change(c, actor.user.id, &existing, values.role, new_active)?;
        let mut u = model::update(c, id, &values, now)?;
        if existing.role != u.role || existing.place_id != u.place_id {
            model::end_all_sessions(c, id, now)?;
        }
        log.add(Action::Update, Entity::User, Some(id), user_detail(&u));
        if new_active != existing.active {
            model::set_active(c, id, new_active, now)?;
            u.active = new_active;
            log.add(
                Action::switched(new_active),
                Entity::User,
                Some(id),
                Detail::new("audit-detail-user-name").text("username", &u.username),
            );
        }
        Ok((u, values.place))
    })
}

/// Deactivate (ending every session and token) or reactivate an account, with its audit row.
pub fn set_user_active(ctx: &Ctx, actor: &Actor, ip: &str, id: i64, active: bool) -> AppResult<()> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let u = model::find_user(c, id)?;
        guard_admin_change(c, actor.user.id, &u, u.role(), active)?;
        model::set_active(c, id, active, now)?;
        log.add(
            Action::switched(active),
            Entity::User,
            Some(id),
            Detail::new("audit-detail-user-name").text("username", &u.username),
        );
        Ok(())
    })
}

/// A place picked (`level:lgd`, from the list a name offered, or the user's place kept by the
/// edit page) goes with the name it was picked for: when the name typed beside it is another
/// one, the pick is stale and the name decides.
fn stale_pick(conn: &mut DbConn, role: Role, pick: &str, typed: &str) -> AppResult<bool> {
    // a pick the role cannot have stays an error of its own
    let Some((level, code)) = pick
        .split_once(':')
        .and_then(|(l, c)| Some((Level::parse(l)?, places::parse_lgd(c)?)))
        .filter(|(l, _)| role.scope_levels().contains(l))
    else {
        return Ok(false);
    };
    let Some(p) = crate::places::model::by_lgd(conn, level, code)? else {
        return Ok(false);
    };
    let typed = typed.trim().to_lowercase();
    let names = |n: &str| n.to_lowercase().contains(&typed);
    Ok(typed.is_empty()
        || !(names(&p.name)
            || p.name_hi.as_deref().is_some_and(names)
            || typed == p.lgd_code.to_string()))
}

/// An account as the log names it: its username and role.
fn user_detail(u: &User) -> Detail {
    Detail::new("audit-detail-user")
        .text("username", &u.username)
        .word("role", format!("role-{}", u.role))
}
