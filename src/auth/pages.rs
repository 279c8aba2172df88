//! Account pages: log-in, log-out, one's own account (password, language, reminders by e-mail
//! and by SMS), and the administrators' user pages (list and its CSV, new, edit, deactivate,
//! reset password).

use super::model::{self, UserFilter};
use super::{safe_next, service, throttle, Actor, Role, UserInput, Verb};
use crate::error::{AppError, AppResult};
use crate::places::Level;
use crate::web::i18n::Lang;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect, redirect_flash, Ui};
use crate::web::session::{
    client_ip, removal_cookie, session_cookie, DRAFT_COOKIE, SESSION_COOKIE,
};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_page))
        .route("/login", web::post().to(login_submit))
        .route("/logout", web::post().to(logout))
        .route("/account", web::get().to(account_page))
        .route("/account/password", web::post().to(change_password))
        .route("/account/language", web::post().to(change_language))
        .route("/account/reminders", web::post().to(change_email_pref))
        .route("/account/sms", web::post().to(change_sms_pref))
        .route(
            "/account/sessions/{id:\\d+}/end",
            web::post().to(end_session_submit),
        )
        .route(
            "/account/sessions/end-others",
            web::post().to(end_others_submit),
        )
        .route("/resume", web::get().to(resume_page))
        .route("/resume/discard", web::post().to(resume_discard))
        .route("/admin/users", web::get().to(list_page))
        .route("/admin/users.csv", web::get().to(list_csv))
        .route("/admin/users", web::post().to(create_submit))
        .route("/admin/users/new", web::get().to(new_page))
        .route("/admin/users/{id:\\d+}/edit", web::get().to(edit_page))
        .route("/admin/users/{id:\\d+}", web::post().to(edit_submit))
        .route(
            "/admin/users/{id:\\d+}/deactivate",
            web::get().to(deactivate_page),
        )
        .route(
            "/admin/users/{id:\\d+}/deactivate",
            web::post().to(deactivate_submit),
        )
        .route(
            "/admin/users/{id:\\d+}/activate",
            web::post().to(activate_submit),
        )
        .route(
            "/admin/users/{id:\\d+}/password",
            web::get().to(password_page),
        )
        .route(
            "/admin/users/{id:\\d+}/password",
            web::post().to(password_submit),
        );
}

// ---- log-in, log-out and one's own account ----

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(ui: Ui, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if ui.actor().is_some() {
        return Ok(redirect(&safe_next(q.next.as_deref())));
    }
    ui.render(
        "auth/login",
        "login-title",
        json!({"username": "", "next": safe_next(q.next.as_deref()), "failed": false,
               "keep_days": ui.state.config.auth.session_keep_days, "keep": false,
               "phone_login": ui.state.config.auth.phone_login}),
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
    /// "Keep me logged in on this phone" (a checkbox: present when ticked).
    #[serde(default)]
    keep: Option<String>,
}

async fn login_submit(
    ui: Ui,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let keep = form.keep.as_deref().is_some_and(|v| !v.is_empty());
    let keep_days = ui.state.config.auth.session_keep_days;
    let ip = client_ip(&req);
    let device_cookie = req
        .cookie(throttle::DEVICE_COOKIE)
        .map(|c| c.value().to_string());
    let key = ui.state.csrf_key.clone();
    let known_device = throttle::device_known(device_cookie.as_deref(), &key, &form.username);
    let (username, pw, ip2) = (form.username.clone(), form.password, ip.clone());
    let user = match ui
        .state
        .service(move |ctx| service::authenticate(ctx, &username, &pw, &ip2, known_device))
        .await
    {
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let mut res = ui.render_status(
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                "auth/login",
                "login-title",
                json!({"username": form.username, "next": next, "failed": true,
                       "keep_days": keep_days, "keep": keep,
                       "phone_login": ui.state.config.auth.phone_login,
                       "message": throttled_message(&ui, retry_after_secs)}),
            )?;
            if let Ok(v) =
                actix_web::http::header::HeaderValue::from_str(&retry_after_secs.to_string())
            {
                res.headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, v);
            }
            return Ok(res);
        }
        other => other?,
    };
    let Some(user) = user else {
        return ui.render_status(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "auth/login",
            "login-title",
            json!({"username": form.username, "next": next, "failed": true,
                   "keep_days": keep_days, "keep": keep,
                   "phone_login": ui.state.config.auth.phone_login,
                   "message": ui.t("login-failed")}),
        );
    };
    finish_login(&ui, &req, user, keep, &next, service::LoginMethod::Password).await
}

/// After a successful log-in (by password or by a code): the session, its cookie, the
/// browser's device mark, and the way on (the kept form of this user, or `next`).
pub(super) async fn finish_login(
    ui: &Ui,
    req: &HttpRequest,
    user: model::User,
    keep: bool,
    next: &str,
    method: service::LoginMethod,
) -> AppResult<HttpResponse> {
    let keep_days = ui.state.config.auth.session_keep_days;
    let ip = client_ip(req);
    let key = ui.state.csrf_key.clone();
    let device_cookie = req
        .cookie(throttle::DEVICE_COOKIE)
        .map(|c| c.value().to_string());
    let chosen_lang = req
        .cookie(crate::web::session::LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .filter(|l| l.code() != user.lang)
        .map(|l| l.code().to_string());
    let device = throttle::device_cookie_value(device_cookie.as_deref(), &key, &user.username);
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let user_id = user.id;
    let token = ui
        .state
        .service(move |ctx| {
            service::start_session_by(
                ctx,
                &user,
                chosen_lang.as_deref(),
                &ip,
                keep,
                &user_agent,
                method,
            )
        })
        .await?;
    // A form this browser sent after its session ended waits for the same user only: anyone
    // else logging in here makes it disappear, unseen.
    let draft = match req.cookie(DRAFT_COOKIE) {
        Some(c) => {
            let (t, now) = (c.value().to_string(), ui.state.clock.now());
            ui.state
                .db
                .run(move |conn| {
                    let d = model::find_draft(conn, &t, now)?;
                    let mine = d.as_ref().is_some_and(|d| d.user_id == user_id);
                    if !mine {
                        model::delete_draft(conn, &t)?;
                    }
                    Ok(Some(mine))
                })
                .await?
        }
        None => None,
    };
    let mut res = redirect(if draft == Some(true) { "/resume" } else { next });
    if draft == Some(false) {
        let _ = res.add_cookie(&removal_cookie(DRAFT_COOKIE));
    }
    let secure = ui.state.config.server.secure_cookies;
    let kept_days = if keep { keep_days } else { 0 };
    let _ = res.add_cookie(&session_cookie(&token, secure, kept_days));
    // This browser now knows the account: guesses elsewhere will not keep it out.
    let _ = res.add_cookie(
        &Cookie::build(throttle::DEVICE_COOKIE, device)
            .path("/login")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .max_age(CookieDuration::days(365))
            .finish(),
    );
    Ok(res)
}

/// "Try again at 14:35 (in 12 minutes)", India time; with the date when it is not today.
fn throttled_message(ui: &Ui, retry_after_secs: i64) -> String {
    wait_message(ui, "login-throttled", retry_after_secs)
}

/// A message `key` with the `time` (India time, with the date when it is not today) and the
/// `minutes` until one may try again.
pub(super) fn wait_message(ui: &Ui, key: &str, retry_after_secs: i64) -> String {
    let now = ui.state.clock.now();
    let at = now + chrono::Duration::seconds(retry_after_secs);
    let time = if crate::web::i18n::today_in_india(at) == crate::web::i18n::today_in_india(now) {
        crate::web::i18n::format_datetime(at)
            .split_once(' ')
            .map(|(_, hm)| hm.to_string())
            .unwrap_or_default()
    } else {
        crate::web::i18n::format_datetime(at)
    };
    let minutes = ((retry_after_secs + 59) / 60).max(1).to_string();
    ui.t_args(key, &[("time", time), ("minutes", minutes)])
}

async fn logout(ui: Ui, req: HttpRequest) -> AppResult<HttpResponse> {
    if let Some(actor) = ui.actor().cloned() {
        let ip = client_ip(&req);
        ui.state
            .service(move |ctx| service::logout(ctx, &actor, &ip))
            .await?;
    }
    let mut res = redirect_flash("/login", "flash-logged-out");
    let _ = res.add_cookie(&removal_cookie(SESSION_COOKIE));
    Ok(res)
}

fn account_data(actor: &Actor, sessions: &[model::SessionRow]) -> Value {
    let sessions: Vec<Value> = sessions
        .iter()
        .map(|s| {
            let mut v = json!(s);
            v["current"] = json!(Some(s.id) == actor.session_id);
            v
        })
        .collect();
    json!({
        "sessions": sessions,
        "other_sessions": sessions.iter().any(|s| s["current"] == json!(false)),
        "account": {
            "username": actor.user.username,
            "display_name": actor.user.display_name,
            "phone": actor.user.phone,
            "email": actor.user.email,
            "role_key": actor.role.label_key(),
            "lang": actor.user.lang,
            "email_pref": actor.user.email_pref,
            "sms_pref": actor.user.sms_pref,
        },
    })
}

/// The actor's sessions that have not ended (for the account page).
async fn own_sessions(ui: &Ui, actor: &Actor) -> AppResult<Vec<model::SessionRow>> {
    let (uid, now) = (actor.user.id, ui.state.clock.now());
    let policy = model::SessionPolicy::from_config(&ui.state.config.auth);
    ui.state
        .db
        .run(move |c| model::user_sessions(c, uid, now, &policy))
        .await
}

async fn account_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    let sessions = own_sessions(&ui, &actor).await?;
    ui.render(
        "auth/account",
        "account-title",
        account_data(&actor, &sessions),
    )
}

/// A refused account change shows the account page again with the errors.
async fn account_result(
    ui: &Ui,
    actor: &Actor,
    r: AppResult<HttpResponse>,
) -> AppResult<HttpResponse> {
    match r {
        Err(AppError::Validation(e)) => {
            let sessions = own_sessions(ui, actor).await?;
            ui.render_invalid(
                "auth/account",
                "account-title",
                &e,
                account_data(actor, &sessions),
            )
        }
        other => other,
    }
}

/// End one of one's own sessions (a lost phone); ending this browser's own is logging out.
async fn end_session_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (id, ip, a2) = (path.into_inner(), client_ip(&req), actor.clone());
    ui.state
        .service(move |ctx| service::end_own_session(ctx, &a2, &ip, id))
        .await?;
    if actor.session_id == Some(id) {
        let mut res = redirect_flash("/login", "flash-logged-out");
        let _ = res.add_cookie(&removal_cookie(SESSION_COOKIE));
        return Ok(res);
    }
    Ok(redirect_flash(
        "/account#sessions",
        "flash-session-ended-one",
    ))
}

/// End every other session of one's own (everywhere but this browser).
async fn end_others_submit(ui: Ui, actor: Actor, req: HttpRequest) -> AppResult<HttpResponse> {
    let (ip, a2) = (client_ip(&req), actor.clone());
    ui.state
        .service(move |ctx| service::end_other_sessions(ctx, &a2, &ip))
        .await?;
    Ok(redirect_flash(
        "/account#sessions",
        "flash-sessions-ended-others",
    ))
}

/// The actor's own kept form behind this browser's draft cookie.
async fn own_draft(ui: &Ui, actor: &Actor, req: &HttpRequest) -> AppResult<Option<model::Draft>> {
    let Some(c) = req.cookie(DRAFT_COOKIE) else {
        return Ok(None);
    };
    let (t, now, uid) = (c.value().to_string(), ui.state.clock.now(), actor.user.id);
    Ok(ui
        .state
        .db
        .run(move |conn| model::find_draft(conn, &t, now))
        .await?
        .filter(|d| d.user_id == uid))
}

/// After logging in again: the form that was sent after the session ended, ready to send
/// again (to the same handler, which checks it as for any form) or to discard.
async fn resume_page(ui: Ui, actor: Actor, req: HttpRequest) -> AppResult<HttpResponse> {
    let Some(d) = own_draft(&ui, &actor, &req).await? else {
        let mut res = redirect("/");
        let _ = res.add_cookie(&removal_cookie(DRAFT_COOKIE));
        return Ok(res);
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&d.fields).unwrap_or_default();
    // what the person typed, to recognise it (ids and keys are not shown; they still go back)
    let shown: Vec<&str> = fields
        .iter()
        .filter(|(k, v)| {
            !v.trim().is_empty() && !k.ends_with("_id") && k != "idempotency_key" && k != "next"
        })
        .map(|(_, v)| v.as_str())
        .collect();
    let hidden: Vec<Value> = fields
        .iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    ui.render(
        "auth/resume",
        "resume-title",
        json!({"action": d.action, "page": d.page, "fields": hidden, "shown": shown,
               "had_files": d.had_files,
               "saved_at": crate::clock::utc::text(&d.created_at)}),
    )
}

/// Throw the kept form away.
async fn resume_discard(ui: Ui, actor: Actor, req: HttpRequest) -> AppResult<HttpResponse> {
    let d = own_draft(&ui, &actor, &req).await?;
    if let Some(c) = req.cookie(DRAFT_COOKIE) {
        let t = c.value().to_string();
        ui.state
            .db
            .run(move |conn| model::delete_draft(conn, &t))
            .await?;
    }
    let to = d.and_then(|d| d.page).unwrap_or_else(|| "/".into());
    let mut res = redirect_flash(&to, "flash-draft-discarded");
    let _ = res.add_cookie(&removal_cookie(DRAFT_COOKIE));
    Ok(res)
}

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
    let (a2, ip, raw) = (actor.clone(), client_ip(&req), form.into_inner().email_pref);
    let r = ui
        .state
        .service(move |ctx| service::set_email_pref(ctx, &a2, &ip, &raw))
        .await
        .map(|_| redirect_flash("/account", "flash-email-pref-saved"));
    account_result(&ui, &actor, r).await
}

#[derive(Debug, Deserialize)]
struct SmsPrefForm {
    #[serde(default)]
    sms_pref: String,
}

/// Whether reminders reach me by SMS too.
async fn change_sms_pref(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<SmsPrefForm>,
) -> AppResult<HttpResponse> {
    let (a2, ip, raw) = (actor.clone(), client_ip(&req), form.into_inner().sms_pref);
    let r = ui
        .state
        .service(move |ctx| service::set_sms_pref(ctx, &a2, &ip, &raw))
        .await
        .map(|_| redirect_flash("/account", "flash-sms-pref-saved"));
    account_result(&ui, &actor, r).await
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
    let (a2, ip, f) = (actor.clone(), client_ip(&req), form.into_inner());
    let r = ui
        .state
        .service(move |ctx| {
            service::change_own_password(ctx, &a2, &ip, &f.current, &f.password, &f.confirm)
        })
        .await
        .map(|(token, kept)| {
            let mut res = redirect_flash("/account", "flash-password-changed");
            let keep_days = if kept {
                ui.state.config.auth.session_keep_days
            } else {
                0
            };
            let _ = res.add_cookie(&session_cookie(
                &token,
                ui.state.config.server.secure_cookies,
                keep_days,
            ));
            res
        });
    account_result(&ui, &actor, r).await
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
    let (a2, ip, raw) = (actor.clone(), client_ip(&req), form.into_inner().lang);
    let r = ui
        .state
        .service(move |ctx| service::set_language(ctx, &a2, &ip, &raw))
        .await
        .map(|_| redirect_flash("/account", "flash-language-changed"));
    account_result(&ui, &actor, r).await
}

// ---- the administrators' user pages ----

fn roles_json() -> Value {
    Value::Array(
        Role::ALL
            .iter()
            .map(|r| json!({"value": r.as_str(), "label": r.label_key()}))
            .collect(),
    )
}

/// The places a typed name matched, to pick one from (a name that matched several): each
/// with its level, LGD code and the place it is in, in the reader's language.
async fn place_choices(ui: &Ui, input: &UserInput) -> AppResult<Value> {
    let term = input.place_lgd_code.trim().to_string();
    let Some(role) = Role::parse(&input.role) else {
        return Ok(json!([]));
    };
    if role == Role::Admin || term.is_empty() || term.chars().all(|c| c.is_ascii_digit()) {
        return Ok(json!([]));
    }
    let level = Level::parse(input.place_level.trim());
    let (found, parents) = ui
        .state
        .db
        .run(move |c| {
            let found = model::places_named(c, role, &term, level)?;
            let parent_ids: Vec<i64> = found.iter().filter_map(|p| p.parent_id).collect();
            let parents = crate::places::model::by_ids(c, &parent_ids)?;
            Ok((found, parents))
        })
        .await?;
    if found.len() < 2 {
        return Ok(json!([]));
    }
    let lang = ui.lang();
    let picked = input.place_pick.trim();
    Ok(Value::Array(
        found
            .iter()
            .take(model::PLACE_CHOICES as usize)
            .map(|p| {
                let value = format!("{}:{}", p.level, p.lgd_code);
                json!({
                    "checked": value == picked,
                    "value": value,
                    "name": p.display_name(lang),
                    "level_key": p.level().label_key(),
                    "lgd": p.lgd_code,
                    "parent": p.parent_id.and_then(|id| parents.get(&id)).map(|q| q.display_name(lang)),
                })
            })
            .collect(),
    ))
}

fn form_data(input: &UserInput, id: Option<i64>) -> Value {
    let place_levels: Vec<Value> = [Level::State, Level::District, Level::Block, Level::Gp]
        .iter()
        .map(|l| json!({"value": l.as_str(), "label": l.label_key()}))
        .collect();
    json!({"form": input, "user_id": id, "roles": roles_json(), "is_new": id.is_none(), "place_levels": place_levels})
}

/// User accounts with the same filters, as CSV (no secrets: names, roles, places, status);
/// places are named in the reader's language, as on the list page.
async fn list_csv(ui: Ui, actor: Actor, q: web::Query<UserFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let mut f = q.into_inner();
    f.page = None;
    // the place is named as on the list page, in the reader's language
    let lang = ui.lang();
    let header = [
        "username",
        "display_name",
        "role",
        "place_lgd_code",
        "place",
        "phone",
        "email",
        "active",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "users.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list_users(c, &f, page)?.0),
                |_, rows| {
                    for (u, p) in rows {
                        emit(vec![
                            u.username.clone(),
                            String::from(&u.display_name),
                            u.role.clone(),
                            p.as_ref()
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            String::from(p.as_ref().map(|p| p.display_name(lang)).unwrap_or("")),
                            u.phone.clone().unwrap_or_default(),
                            u.email.clone().unwrap_or_default(),
                            u.active.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<UserFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let f2 = f.clone();
    let (rows, total) = ui
        .state
        .db
        .run(move |c| model::list_users(c, &f2, page))
        .await?;
    let lang = ui.lang();
    let rows: Vec<Value> = rows
        .iter()
        .map(|(u, p)| {
            json!({
                "id": u.id, "username": u.username, "display_name": u.display_name,
                "phone": u.phone, "role_key": format!("role-{}", u.role), "active": u.active,
                "place": p.as_ref().map(|p| p.display_name(lang).to_string()),
            })
        })
        .collect();
    let qs = query_string(&[
        ("q", f.q.clone()),
        ("role", f.role.clone()),
        ("status", f.status.clone()),
    ]);
    ui.render(
        "admin/users/list",
        "users-title",
        json!({
            "csv_url": ui.with_query("/admin/users.csv"),
            "rows": rows, "filter": f, "roles": roles_json(),
            "pager": Pager::new(page, total, "/admin/users", &qs),
        }),
    )
}

async fn new_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    // no role until the administrator chooses one
    let input = UserInput {
        lang: "hi".into(),
        ..Default::default()
    };
    ui.render(
        "admin/users/form",
        "user-new-title",
        form_data(&input, None),
    )
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<UserInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let input = form.into_inner();
    let (ip, i2) = (client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::create_user(ctx, &actor, &ip, i2))
        .await
    {
        Ok(_) => Ok(redirect_flash("/admin/users", "flash-user-created")),
        Err(AppError::Validation(e)) => {
            let mut shown = input;
            shown.password.clear();
            let mut data = form_data(&shown, None);
            data["place_choices"] = place_choices(&ui, &shown).await?;
            ui.render_invalid("admin/users/form", "user-new-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, p) = ui
        .state
        .db
        .run(move |c| model::find_with_place(c, id))
        .await?;
    let input = UserInput {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        phone: u.phone.clone().unwrap_or_default(),
        email: u.email.clone().unwrap_or_default(),
        role: u.role.clone(),
        // the place by its name, as the new-user form asks for it; the pick keeps it exact
        // (two GPs may share a name) until another name is typed
        place_lgd_code: p
            .as_ref()
            .map(|p| p.display_name(ui.lang()).to_string())
            .unwrap_or_default(),
        place_level: p.as_ref().map(|p| p.level.clone()).unwrap_or_default(),
        place_pick: p
            .as_ref()
            .map(|p| format!("{}:{}", p.level, p.lgd_code))
            .unwrap_or_default(),
        lang: u.lang.clone(),
        password: String::new(),
    };
    let mut data = form_data(&input, Some(id));
    data["active"] = json!(u.active);
    ui.render("admin/users/form", "user-edit-title", data)
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<UserInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (ip, i2) = (client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::update_user(ctx, &actor, &ip, id, i2, None))
        .await
    {
        Ok(_) => Ok(redirect_flash("/admin/users", "flash-user-saved")),
        Err(AppError::Validation(e)) => {
            let active = ui
                .state
                .db
                .run(move |c| Ok(model::find_user(c, id)?.active))
                .await?;
            let mut data = form_data(&input, Some(id));
            data["active"] = json!(active);
            data["place_choices"] = place_choices(&ui, &input).await?;
            ui.render_invalid("admin/users/form", "user-edit-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn deactivate_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, _) = ui
        .state
        .db
        .run(move |c| model::find_with_place(c, id))
        .await?;
    ui.render(
        "admin/confirm",
        "user-deactivate-title",
        json!({
            "question": ui.t_args("user-deactivate-question", &[("name", u.display_name.clone())]),
            "action": format!("/admin/users/{id}/deactivate"),
            "cancel": "/admin/users",
            "button": "action-deactivate",
        }),
    )
}

async fn deactivate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    ui.state
        .service(move |ctx| service::set_user_active(ctx, &actor, &ip, id, false))
        .await?;
    Ok(redirect_flash("/admin/users", "flash-user-deactivated"))
}

async fn activate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let (ip, id) = (client_ip(&req), path.into_inner());
    ui.state
        .service(move |ctx| service::set_user_active(ctx, &actor, &ip, id, true))
        .await?;
    Ok(redirect_flash("/admin/users", "flash-user-activated"))
}

fn password_data(u: &model::User) -> Value {
    json!({"target": {"id": u.id, "display_name": u.display_name, "username": u.username}})
}

async fn password_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, _) = ui
        .state
        .db
        .run(move |c| model::find_with_place(c, id))
        .await?;
    ui.render(
        "admin/users/password",
        "user-password-title",
        password_data(&u),
    )
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn password_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ResetForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, _) = ui
        .state
        .db
        .run(move |c| model::find_with_place(c, id))
        .await?;
    let (ip, f) = (client_ip(&req), form.into_inner());
    match ui
        .state
        .service(move |ctx| service::reset_password(ctx, &actor, &ip, id, &f.password, &f.confirm))
        .await
    {
        Ok(()) => Ok(redirect_flash("/admin/users", "flash-password-reset")),
        Err(AppError::Validation(e)) => ui.render_invalid(
            "admin/users/password",
            "user-password-title",
            &e,
            password_data(&u),
        ),
        Err(e) => Err(e),
    }
}
