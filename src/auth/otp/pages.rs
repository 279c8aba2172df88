//! The log-in-by-phone pages: `/login/phone` (the number) and `/login/code` (the code). Both
//! answer 404 while `auth.phone_login` is off. Their forms carry the CSRF token like the
//! password form (the anonymous token of the visitor's cookie).

use super::service;
use crate::auth::pages::{finish_login, wait_message};
use crate::auth::safe_next;
use crate::auth::service::LoginMethod;
use crate::error::{AppError, AppResult};
use crate::web::render::{redirect, Ui};
use crate::web::session::client_ip;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/phone", web::get().to(phone_page))
        .route("/login/phone", web::post().to(phone_submit))
        .route("/login/code", web::get().to(code_get))
        .route("/login/code", web::post().to(code_submit));
}

fn enabled(ui: &Ui) -> AppResult<()> {
    if ui.state.config.auth.phone_login {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn phone_page(ui: Ui, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    enabled(&ui)?;
    let next = safe_next(q.next.as_deref());
    if ui.actor().is_some() {
        return Ok(redirect(&next));
    }
    ui.render(
        "auth/login_phone",
        "otp-title",
        json!({"phone": "", "next": next}),
    )
}

#[derive(Debug, Deserialize)]
struct PhoneForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    next: Option<String>,
}

/// A page refused with a wait: 429 with `Retry-After`.
fn too_many(
    ui: &Ui,
    template: &str,
    key: &str,
    secs: i64,
    mut data: Value,
) -> AppResult<HttpResponse> {
    data["failed"] = json!(true);
    data["message"] = json!(wait_message(ui, key, secs));
    let mut res = ui.render_status(StatusCode::TOO_MANY_REQUESTS, template, "otp-title", data)?;
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&secs.to_string()) {
        res.headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, v);
    }
    Ok(res)
}

fn code_data(ui: &Ui, phone: &str, next: &str, keep: bool) -> Value {
    json!({"phone": phone, "next": next, "keep": keep,
           "keep_days": ui.state.config.auth.session_keep_days})
}

/// Ask for a code. Whatever the number (known, unknown, not allowed to log in by phone), the
/// answer is the page for the code; only a number that is not a mobile number, or one past
/// its limits, is answered otherwise. The SMS is sent right after, in the background, so
/// the answer takes as long either way.
async fn phone_submit(
    ui: Ui,
    req: HttpRequest,
    form: web::Form<PhoneForm>,
) -> AppResult<HttpResponse> {
    enabled(&ui)?;
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let (raw, ip, secret) = (
        form.phone.clone(),
        client_ip(&req),
        ui.state.csrf_key.clone(),
    );
    let data = json!({"phone": form.phone, "next": next});
    match ui
        .state
        .service(move |ctx| service::request_code(ctx, &secret, &raw, &ip))
        .await
    {
        Err(AppError::Validation(e)) => {
            ui.render_invalid("auth/login_phone", "otp-title", &e, data)
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => too_many(
            &ui,
            "auth/login_phone",
            "otp-throttled",
            retry_after_secs,
            data,
        ),
        Err(e) => Err(e),
        Ok(outbox) => {
            if let Some(id) = outbox {
                send_now(&ui, id);
            }
            let phone = service::typed_number(&form.phone).unwrap_or_default();
            let mut data = code_data(&ui, &phone, &next, false);
            data["sent"] = json!(true);
            // "98123 45678": as people write it (and not read as a number by the translation)
            data["phone_shown"] = json!(format!(
                "{} {}",
                phone.get(..5).unwrap_or_default(),
                phone.get(5..).unwrap_or_default()
            ));
            ui.render("auth/login_code", "otp-title", data)
        }
    }
}

/// Send a queued code at once instead of at the next `sms_send` sweep (after the request's
/// transaction has committed; the claim keeps it at most once).
fn send_now(ui: &Ui, id: i64) {
    let (db, config, clock) = (
        ui.state.db.clone(),
        ui.state.config.clone(),
        ui.state.clock.clone(),
    );
    actix_web::rt::spawn(async move {
        let r = web::block(move || crate::sms::service::deliver_one(&db, &config, clock.now(), id))
            .await;
        match r {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(sms = id, error = %e, "log-in code not sent at once"),
            Err(e) => tracing::warn!(sms = id, error = %e, "log-in code not sent at once"),
        }
    });
}

async fn code_get(ui: Ui) -> AppResult<HttpResponse> {
    enabled(&ui)?;
    Ok(redirect("/login/phone"))
}

#[derive(Debug, Deserialize)]
struct CodeForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    keep: Option<String>,
}

/// Check the code: a right one logs in like the password does; anything else gets one
/// answer, in the reader's language.
async fn code_submit(
    ui: Ui,
    req: HttpRequest,
    form: web::Form<CodeForm>,
) -> AppResult<HttpResponse> {
    enabled(&ui)?;
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let keep = form.keep.as_deref().is_some_and(|v| !v.is_empty());
    let (phone, code, ip, secret) = (
        form.phone.clone(),
        form.code,
        client_ip(&req),
        ui.state.csrf_key.clone(),
    );
    let data = code_data(&ui, &form.phone, &next, keep);
    match ui
        .state
        .service(move |ctx| service::check_code(ctx, &secret, &phone, &code, &ip))
        .await
    {
        Err(AppError::Validation(e)) => ui.render_invalid("auth/login_code", "otp-title", &e, data),
        Err(AppError::TooManyRequests { retry_after_secs }) => too_many(
            &ui,
            "auth/login_code",
            "login-throttled",
            retry_after_secs,
            data,
        ),
        Err(e) => Err(e),
        Ok(None) => {
            let mut data = data;
            data["failed"] = json!(true);
            data["message"] = json!(ui.t("otp-wrong"));
            ui.render_status(
                StatusCode::UNAUTHORIZED,
                "auth/login_code",
                "otp-title",
                data,
            )
        }
        Ok(Some(user)) => finish_login(&ui, &req, user, keep, &next, LoginMethod::Otp).await,
    }
}
