//! Log-in, log-out, the account page (own password and language), and the API token routes.

use super::model::{self, SessionPolicy, Throttle, User};
use super::{password, users, Actor};
use crate::audit::{self, Event};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::Lang;
use crate::web::render::{redirect, redirect_flash, Ui};
use crate::web::session::{client_ip, removal_cookie, session_cookie, SESSION_COOKIE};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_page))
        .route("/login", web::post().to(login_submit))
        .route("/logout", web::post().to(logout))
        .route("/account", web::get().to(account_page))
        .route("/account/password", web::post().to(change_password))
        .route("/account/language", web::post().to(change_language))
        .route("/account/reminders", web::post().to(change_email_pref))
        .route("/api/v1/auth/token", web::post().to(api_issue_token))
        .route("/api/v1/auth/token", web::delete().to(api_revoke_token))
        .route("/api/v1/me", web::get().to(api_me));
}

fn throttle(state: &AppState) -> Throttle {
    Throttle {
        max_failures: state.config.auth.login_max_failures,
        window: chrono::Duration::minutes(state.config.auth.login_window_minutes),
    }
}

/// Check a username and password, with throttling and one generic answer for both
/// "no such user" and "wrong password". `Ok(None)` means: refuse, generically.
pub async fn authenticate(
    state: &web::Data<AppState>,
    username: String,
    password_text: String,
    ip: String,
) -> AppResult<Option<User>> {
    let now = state.clock.now();
    let t = throttle(state);
    let st = state.clone();
    let (user_name, ip2) = (username.clone(), ip.clone());
    // Throttle first, and count this attempt as a failure before spending any time on the
    // password, so parallel guesses cannot slip past the limit while argon2 runs.
    let (attempt_id, candidate) = state
        .db
        .write(move |conn| {
            if let Some(wait) = model::throttled(conn, &user_name, &ip2, now, &t)? {
                return Err(AppError::TooManyRequests {
                    retry_after_secs: wait,
                });
            }
            let id = model::start_attempt(conn, &user_name, &ip2, now, &t)?;
            Ok((id, model::user_by_username(conn, &user_name)?))
        })
        .await?;
    let ok_user = web::block(move || match candidate {
        // Verify first, then look at `active`: inactive accounts answer as slowly as others.
        Some(u) if password::verify(&password_text, &u.password_hash) && u.active => Some(u),
        Some(_) => None,
        None => {
            password::verify_dummy(&password_text);
            None
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let ok = ok_user.is_some();
    let uid = ok_user.as_ref().map(|u| u.id);
    st.db
        .run(move |conn| {
            if ok {
                model::mark_attempt_succeeded(conn, attempt_id)
            } else {
                audit::record(
                    conn,
                    now,
                    None,
                    &model::normalize_username(&username),
                    Some(&ip),
                    Event {
                        action: "login_failed",
                        entity: "user",
                        entity_id: uid,
                        summary: "failed log-in".into(),
                    },
                )
            }
        })
        .await?;
    Ok(ok_user)
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only local paths are followed after log-in.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else { return "/".into() };
    let b = n.as_bytes();
    let local = b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && n.len() <= 2000;
    if local {
        n.to_string()
    } else {
        "/".into()
    }
}

async fn login_page(ui: Ui, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if ui.actor().is_some() {
        return Ok(redirect(&safe_next(q.next.as_deref())));
    }
    ui.render(
        "auth/login",
        "login-title",
        json!({"username": "", "next": safe_next(q.next.as_deref()), "failed": false}),
    )
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login_submit(
    ui: Ui,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let ip = client_ip(&req);
    let user = match authenticate(&ui.state, form.username.clone(), form.password, ip.clone()).await
    {
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let minutes = ((retry_after_secs + 59) / 60).to_string();
            return ui.render_status(
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                "auth/login",
                "login-title",
                json!({"username": form.username, "next": next, "failed": true,
                       "message": ui.t_args("login-throttled", &[("minutes", minutes)])}),
            );
        }
        other => other?,
    };
    let Some(user) = user else {
        return ui.render_status(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "auth/login",
            "login-title",
            json!({"username": form.username, "next": next, "failed": true,
                   "message": ui.t("login-failed")}),
        );
    };
    let now = ui.state.clock.now();
    let policy = SessionPolicy::from_config(&ui.state.config.auth);
    let chosen_lang = req
        .cookie(crate::web::session::LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .filter(|l| l.code() != user.lang)
        .map(|l| l.code().to_string());
    let uid = user.id;
    let uname = user.username.clone();
    let token = ui
        .state
        .db
        .write(move |conn| {
            let token = model::create_session(conn, uid, chosen_lang.as_deref(), now, &policy)?;
            audit::record(
                conn,
                now,
                None,
                &uname,
                Some(&ip),
                Event {
                    action: "login",
                    entity: "session",
                    entity_id: Some(uid),
                    summary: "logged in".into(),
                },
            )?;
            Ok(token)
        })
        .await?;
    let mut res = redirect(&next);
    let _ = res.add_cookie(&session_cookie(
        &token,
        ui.state.config.server.secure_cookies,
    ));
    Ok(res)
}

async fn logout(ui: Ui, req: HttpRequest) -> AppResult<HttpResponse> {
    if let Some(actor) = ui.actor().cloned() {
        let now = ui.state.clock.now();
        let ip = client_ip(&req);
        ui.state
            .db
            .write(move |conn| {
                if let Some(sid) = actor.session_id {
                    model::delete_session(conn, sid)?;
                }
                audit::record(
                    conn,
                    now,
                    Some(&actor),
                    "",
                    Some(&ip),
                    Event {
                        action: "logout",
                        entity: "session",
                        entity_id: Some(actor.user.id),
                        summary: "logged out".into(),
                    },
                )
            })
            .await?;
    }
    let mut res = redirect_flash("/login", "flash-logged-out");
    let _ = res.add_cookie(&removal_cookie(SESSION_COOKIE));
    Ok(res)
}

fn account_data(actor: &Actor) -> serde_json::Value {
    json!({
        "account": {
            "username": actor.user.username,
            "display_name": actor.user.display_name,
            "phone": actor.user.phone,
            "email": actor.user.email,
            "role_key": format!("role-{}", actor.role.as_str()),
            "lang": actor.user.lang,
            "email_pref": actor.user.email_pref,
        },
    })
}

pub const EMAIL_PREFS: [&str; 3] = ["immediate", "digest", "off"];

#[derive(Debug, Deserialize)]
struct EmailPrefForm {
    #[serde(default)]
    email_pref: String,
}

/// How reminders reach me by e-mail: each at once, a daily digest, or not at all.
async fn change_email_pref(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<EmailPrefForm>,
) -> AppResult<HttpResponse> {
    let pref = form.email_pref.trim().to_string();
    if !EMAIL_PREFS.contains(&pref.as_str()) {
        let mut e = FieldErrors::new();
        e.add("email_pref", "field-invalid-choice");
        return ui.render_invalid("auth/account", "account-title", &e, account_data(&actor));
    }
    let now = ui.state.clock.now();
    let ip = client_ip(&req);
    ui.state
        .db
        .write(move |conn| {
            use crate::db::schema::users;
            use diesel::prelude::*;
            diesel::update(users::table.find(actor.user.id))
                .set((users::email_pref.eq(&pref), users::updated_at.eq(now)))
                .execute(conn)?;
            audit::record(
                conn,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "update",
                    entity: "user",
                    entity_id: Some(actor.user.id),
                    summary: format!("e-mail reminders: {pref}"),
                },
            )
        })
        .await?;
    Ok(crate::web::render::redirect_flash(
        "/account",
        "flash-email-pref-saved",
    ))
}

async fn account_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    ui.render("auth/account", "account-title", account_data(&actor))
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// Change one's own password: ends every session and API token of the user, then starts a
/// fresh session for this browser.
async fn change_password(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let stored = actor.user.password_hash.clone();
    let current = form.current.clone();
    let current_ok = web::block(move || password::verify(&current, &stored))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if !current_ok {
        errors.add("current", "password-current-wrong");
    }
    password::check_new(
        &form.password,
        Some(&form.confirm),
        ui.state.config.auth.password_min_length,
        "password",
        &mut errors,
    );
    if !errors.is_empty() {
        return ui.render_invalid(
            "auth/account",
            "account-title",
            &errors,
            account_data(&actor),
        );
    }
    let hash = password::hash_blocking(form.password).await?;
    let now = ui.state.clock.now();
    let policy = SessionPolicy::from_config(&ui.state.config.auth);
    let ip = client_ip(&req);
    let token = ui
        .state
        .db
        .write(move |conn| {
            let ended = users::set_password(conn, actor.user.id, &hash, now)?;
            audit::record(
                conn,
                now,
                Some(&actor),
                "",
                Some(&ip),
                password_event("password_change", actor.user.id, ended),
            )?;
            model::create_session(conn, actor.user.id, None, now, &policy)
        })
        .await?;
    let mut res = redirect_flash("/account", "flash-password-changed");
    let _ = res.add_cookie(&session_cookie(
        &token,
        ui.state.config.server.secure_cookies,
    ));
    Ok(res)
}

/// The audit entry for a password set by `action` (change, reset).
pub fn password_event(action: &str, user_id: i64, sessions_ended: usize) -> Event<'_> {
    Event {
        action,
        entity: "user",
        entity_id: Some(user_id),
        summary: format!("password set; {sessions_ended} session(s) ended"),
    }
}

#[derive(Debug, Deserialize)]
struct LanguageForm {
    #[serde(default)]
    lang: String,
}

async fn change_language(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<LanguageForm>,
) -> AppResult<HttpResponse> {
    let Some(lang) = Lang::parse(&form.lang) else {
        let mut e = FieldErrors::new();
        e.add("lang", "field-invalid-choice");
        return ui.render_invalid("auth/account", "account-title", &e, account_data(&actor));
    };
    let now = ui.state.clock.now();
    let ip = client_ip(&req);
    ui.state
        .db
        .write(move |conn| {
            use crate::db::schema::{sessions, users};
            use diesel::prelude::*;
            diesel::update(users::table.find(actor.user.id))
                .set((users::lang.eq(lang.code()), users::updated_at.eq(now)))
                .execute(conn)?;
            // The explicit choice wins over an earlier ?lang= switch in this session.
            if let Some(sid) = actor.session_id {
                diesel::update(sessions::table.find(sid))
                    .set(sessions::lang.eq(None::<String>))
                    .execute(conn)?;
            }
            audit::record(
                conn,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "update",
                    entity: "user",
                    entity_id: Some(actor.user.id),
                    summary: format!("language set to {}", lang.code()),
                },
            )
        })
        .await?;
    Ok(redirect_flash("/account", "flash-language-changed"))
}

// ---- API ----

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Shown once; stored only as a hash.
    pub token: String,
    pub expires_at: NaiveDateTime,
}

/// Exchange a username and password for an API token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Token issued", body = TokenResponse),
        (status = 401, description = "Wrong username or password", content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", content_type = "application/problem+json"),
    ))]
pub async fn api_issue_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<serde_json::Value>,
) -> AppResult<HttpResponse> {
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (username, pw) = (field("username"), field("password"));
    let mut errors = FieldErrors::new();
    if username.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errors.add("username", "field-required");
    }
    if pw.as_deref().is_none_or(str::is_empty) {
        errors.add("password", "field-required");
    }
    errors.into_result()?;
    let ip = client_ip(&req);
    let user = authenticate(
        &state,
        username.unwrap_or_default(),
        pw.unwrap_or_default(),
        ip.clone(),
    )
    .await?
    .ok_or(AppError::Unauthorized)?;
    let now = state.clock.now();
    let days = state.config.auth.api_token_days;
    let (token, expires_at) = state
        .db
        .write(move |conn| {
            let t = model::create_api_token(conn, user.id, now, days)?;
            audit::record(
                conn,
                now,
                None,
                &user.username,
                Some(&ip),
                Event {
                    action: "token_issue",
                    entity: "api_token",
                    entity_id: Some(user.id),
                    summary: "API token issued".into(),
                },
            )?;
            Ok(t)
        })
        .await?;
    Ok(HttpResponse::Created().json(TokenResponse { token, expires_at }))
}

/// Revoke the token used for this request.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Revoked"), (status = 401, description = "No valid token")))]
pub async fn api_revoke_token(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let Some(token_id) = actor.token_id else {
        return Err(AppError::Unauthorized);
    };
    let now = state.clock.now();
    let ip = client_ip(&req);
    state
        .db
        .write(move |conn| {
            model::revoke_api_token(conn, token_id, now)?;
            audit::record(
                conn,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "token_revoke",
                    entity: "api_token",
                    entity_id: Some(token_id),
                    summary: "API token revoked".into(),
                },
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: super::Role,
    pub lang: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The place the user's scope is (none for admins: everything).
    pub place_id: Option<i64>,
}

impl From<&Actor> for Me {
    fn from(a: &Actor) -> Me {
        Me {
            id: a.user.id,
            username: a.user.username.clone(),
            display_name: a.user.display_name.clone(),
            role: a.role,
            lang: a.user.lang.clone(),
            phone: a.user.phone.clone(),
            email: a.user.email.clone(),
            place_id: a.user.place_id,
        }
    }
}

/// The user behind the token.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, description = "No valid token")))]
pub async fn api_me(actor: Actor) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Me::from(&actor)))
}
