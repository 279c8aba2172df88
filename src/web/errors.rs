//! Errors as the reader sees them: an HTML page in their language, or for `/api/…` an
//! RFC 9457 `application/problem+json` document (422 with per-field messages).

use crate::error::AppError;
use crate::web::i18n::Lang;
use crate::web::render::{redirect, Ui};
use crate::web::session::Identity;
use crate::web::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

/// An error that did not come from our code (an extractor, the router) by its status.
pub fn from_status(status: StatusCode) -> AppError {
    match status.as_u16() {
        400 => AppError::BadRequest("error-bad-request".into()),
        401 => AppError::Unauthorized,
        403 => AppError::Forbidden,
        404 | 405 => AppError::NotFound,
        413 => AppError::BadRequest("error-too-large".into()),
        415 => AppError::BadRequest("error-unsupported-type".into()),
        s if s < 500 => AppError::BadRequest("error-bad-request".into()),
        _ => AppError::Internal(String::new()),
    }
}

pub fn render_error_http(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    lang: Lang,
    is_api: bool,
    err: &AppError,
) -> HttpResponse {
    let status = err.status_code();
    let i18n = &state.i18n;
    if is_api {
        let mut body = json!({
            "type": "about:blank",
            "title": i18n.t(lang, err.title_key(), &[]),
            "status": status.as_u16(),
            "instance": req.path(),
        });
        if let Some(k) = err.detail_key() {
            body["detail"] = Value::String(i18n.t(lang, k, &[]));
        }
        if let AppError::TooManyRequests { retry_after_secs } = err {
            let minutes = ((retry_after_secs + 59) / 60).max(1).to_string();
            body["detail"] =
                Value::String(i18n.t(lang, "error-retry-minutes", &[("minutes", minutes)]));
        }
        if let AppError::Validation(fields) = err {
            let mut m = Map::new();
            for e in &fields.0 {
                m.entry(e.field.clone())
                    .or_insert_with(|| Value::String(i18n.field_message(lang, e)));
            }
            body["errors"] = Value::Object(m);
        }
        if let AppError::Changed(c) = err {
            body["conflict"] = c.to_json(i18n, lang);
        }
        let mut res = HttpResponse::build(status);
        res.content_type("application/problem+json");
        if let AppError::TooManyRequests { retry_after_secs } = err {
            res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if matches!(err, AppError::Unauthorized) {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        return res.body(body.to_string());
    }
    if matches!(err, AppError::Unauthorized) {
        let target = if req.method() == actix_web::http::Method::GET {
            let pq = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            format!(
                "/login?{}",
                serde_urlencoded::to_string([("next", pq)]).unwrap_or_default()
            )
        } else {
            "/login".to_string()
        };
        return redirect(&target);
    }
    let identity = req
        .extensions()
        .get::<Identity>()
        .cloned()
        .unwrap_or(Identity {
            actor: None,
            lang,
            csrf: String::new(),
            flash: None,
            unread: 0,
        });
    let ui = Ui {
        state: state.clone(),
        identity,
        path: req.path().to_string(),
        query: String::new(),
    };
    let detail = err.detail_key().map(|k| ui.t(k));
    let mut errors_list: Vec<String> = vec![];
    if let AppError::Validation(f) = err {
        errors_list =
            f.0.iter()
                .map(|e| format!("{}: {}", e.field, ui.state.i18n.field_message(lang, e)))
                .collect();
    }
    let conflict = match err {
        AppError::Changed(c) => Some(changed_page_data(&ui, req, c)),
        _ => None,
    };
    let data = json!({
        "conflict": conflict,
        "status": status.as_u16(),
        "detail": detail,
        "error_list": errors_list,
        "retry_after": match err { AppError::TooManyRequests { retry_after_secs } => Some((retry_after_secs + 59) / 60), _ => None },
    });
    match ui.render_status(status, "errors/page", err.title_key(), data) {
        Ok(mut res) => {
            if let AppError::TooManyRequests { retry_after_secs } = err {
                if let Ok(v) = header::HeaderValue::from_str(&retry_after_secs.to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(status.canonical_reason().unwrap_or("error"))
        }
    }
}

/// The page's part of a changed record: the server's version, a link to it, and a button per
/// choice (the form sent again with its fields, the CSRF token and the choice; "discard"
/// sends nothing and leads to the record).
fn changed_page_data(ui: &Ui, req: &HttpRequest, c: &crate::web::changed::Changed) -> Value {
    use crate::web::changed::Choice;
    let choices: Vec<Value> = c
        .kind
        .choices()
        .iter()
        .filter(|ch| **ch != Choice::Discard)
        .map(
            |ch| json!({"value": ch.as_str(), "label": format!("conflict-choice-{}", ch.as_str())}),
        )
        .collect();
    json!({
        "summary": c.summary(&ui.state.i18n, ui.lang()),
        "url": c.url,
        "action": req.path(),
        "fields": c.form.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
        "choices": choices,
        "can_resend": !c.form.is_empty(),
    })
}

/// The status of each error; the body is replaced by a page or problem+json (above).
impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) | AppError::Changed(_) => StatusCode::CONFLICT,
            AppError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A plain fallback; `web::errors` replaces the body with a page or problem+json.
    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.status_code().canonical_reason().unwrap_or("error"))
    }
}
