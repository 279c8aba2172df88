//! The request middleware: who is asking (session cookie or bearer token), in which
//! language, the CSRF check on every state-changing form, and turning errors into pages or
//! `application/problem+json` in that language.

use crate::auth::model::{self, SessionPolicy};
use crate::auth::{same_token, Actor};
use crate::error::AppError;
use crate::web::i18n::Lang;
use crate::web::{errors, AppState};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SESSION_COOKIE: &str = "paani_session";
pub const CSRF_COOKIE: &str = "paani_csrf";
pub const LANG_COOKIE: &str = "paani_lang";
pub const FLASH_COOKIE: &str = "paani_flash";
/// The form field that carries the CSRF token (in urlencoded and multipart forms alike).
pub const CSRF_FIELD: &str = "_csrf";

/// What the middleware learned about the request; handlers read it through `Ui` / `Actor`.
#[derive(Debug, Clone)]
pub struct Identity {
    pub actor: Option<Actor>,
    pub lang: Lang,
    /// The token forms must echo back.
    pub csrf: String,
    /// The flash message key to show once.
    pub flash: Option<String>,
    /// Unread reminders of the logged-in user (the bell in the header; 0 for the API).
    pub unread: i64,
}

fn hmac_hex(key: &[u8], nonce: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn removal_cookie(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build(name, "").path("/").finish();
    c.make_removal();
    c
}

pub fn flash_cookie(key: &str) -> Cookie<'static> {
    Cookie::build(FLASH_COOKIE, key.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::minutes(5))
        .finish()
}

fn is_flash_key(k: &str) -> bool {
    k.starts_with("flash-")
        && k.len() < 80
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
}

/// The client's address: the peer, or when the peer is one of `server.trusted_proxies`, the
/// rightmost `X-Forwarded-For` hop that is not (`crate::web::proxy`).
pub fn client_ip(req: &actix_web::HttpRequest) -> String {
    crate::web::proxy::request_origin(req)
        .client
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The middleware itself (wrapped with `actix_web::middleware::from_fn`).
pub async fn identify(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = req.path().to_string();
    if path.starts_with("/static/") || path == "/healthz" {
        return next.call(req).await;
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    // Decide on the decoded path, as the router does: `/%61pi/v1/…` is an API request too.
    let is_api = percent_decode(&path).starts_with("/api/");
    let now = state.clock.now();
    let policy = SessionPolicy::from_config(&state.config.auth);
    let query_lang = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| {
            q.iter()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        });
    let accept_lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let cookie_lang = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value()));
    let default_lang = Lang::parse(&state.config.i18n.default_lang).unwrap_or_default();

    let mut actor: Option<Actor> = None;
    let mut session_lang: Option<Lang> = None;
    let mut session_csrf: Option<String> = None;
    let mut clear_session_cookie = false;
    let mut unread = 0;

    // Who is asking.
    let lookup: Result<(), AppError> = async {
        if is_api {
            let bearer = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(|t| t.trim().to_string());
            if let Some(token) = bearer {
                actor = state
                    .db
                    .run(
                        move |conn| match model::load_api_token(conn, &token, now)? {
                            Some((token_id, user)) => {
                                model::actor_for(conn, user, None, Some(token_id)).map(Some)
                            }
                            None => Ok(None),
                        },
                    )
                    .await?;
            }
        } else if let Some(c) = req.cookie(SESSION_COOKIE) {
            let token = c.value().to_string();
            let bell = state.bell;
            let found = state
                .db
                .run(
                    move |conn| match model::load_session(conn, &token, now, &policy)? {
                        Some((s, user)) => {
                            let actor = model::actor_for(conn, user, Some(s.id), None)?;
                            let unread = match bell {
                                Some(count) => count(conn, actor.user.id)?,
                                None => 0,
                            };
                            Ok(Some((s, actor, unread)))
                        }
                        None => Ok(None),
                    },
                )
                .await?;
            match found {
                Some((s, a, n)) => {
                    unread = n;
                    session_lang = s.lang.as_deref().and_then(Lang::parse);
                    session_csrf = Some(s.csrf_token);
                    actor = Some(a);
                }
                None => clear_session_cookie = true,
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = lookup {
        let lang = query_lang
            .or(cookie_lang)
            .or(accept_lang)
            .unwrap_or(default_lang);
        let res = errors::render_error_http(&state, req.request(), lang, is_api, &e);
        return Ok(req.into_response(res));
    }

    // The language: an explicit switch, then the session's, the user's, the browser's.
    if let (Some(l), Some(a)) = (query_lang, &actor) {
        if session_lang != Some(l) {
            if let Some(sid) = a.session_id {
                let code = l.code();
                let _ = state
                    .db
                    .run(move |conn| model::set_session_lang(conn, sid, code))
                    .await;
            }
        }
    }
    let user_lang = actor.as_ref().and_then(|a| Lang::parse(&a.user.lang));
    let lang = if is_api {
        // API clients say per request which language their messages should be in.
        query_lang
            .or(accept_lang)
            .or(user_lang)
            .unwrap_or(default_lang)
    } else if actor.is_some() {
        query_lang
            .or(session_lang)
            .or(user_lang)
            .unwrap_or(default_lang)
    } else {
        query_lang
            .or(cookie_lang)
            .or(accept_lang)
            .unwrap_or(default_lang)
    };

    // The CSRF token: the session's, or for visitors a signed nonce kept in a cookie.
    let mut new_nonce: Option<String> = None;
    let csrf = match &session_csrf {
        Some(t) => t.clone(),
        None => {
            let nonce = match req.cookie(CSRF_COOKIE) {
                Some(c) if c.value().len() >= 32 => c.value().to_string(),
                _ => {
                    let n = crate::auth::random_token();
                    new_nonce = Some(n.clone());
                    n
                }
            };
            hmac_hex(&state.csrf_key, &nonce)
        }
    };

    let flash = req
        .cookie(FLASH_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|k| is_flash_key(k));
    let had_flash = req.cookie(FLASH_COOKIE).is_some();

    req.extensions_mut().insert(Identity {
        actor: actor.clone(),
        lang,
        csrf: csrf.clone(),
        flash,
        unread,
    });

    // Every state-changing browser request must carry the token.
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !is_api {
        let sent = match csrf_from_request(&mut req).await {
            Ok(t) => t,
            Err(e) => {
                let res = errors::render_error_http(&state, req.request(), lang, false, &e);
                return Ok(req.into_response(res));
            }
        };
        if !sent.as_deref().is_some_and(|s| same_token(s, &csrf)) || new_nonce.is_some() {
            tracing::warn!(path = %req.path(), "CSRF token missing or wrong");
            let res =
                errors::render_error_http(&state, req.request(), lang, false, &AppError::Csrf);
            return Ok(req.into_response(res));
        }
    }

    let mut res = next.call(req).await?;

    // Errors become pages or problem documents in the reader's language.
    let replacement = res.response().error().map(|err| {
        let app_err = match err.as_error::<AppError>() {
            Some(e) => clone_error(e),
            None => errors::from_status(err.as_response_error().status_code()),
        };
        (app_err, err.as_response_error().status_code())
    });
    if let Some((app_err, _)) = replacement {
        let new = errors::render_error_http(&state, res.request(), lang, is_api, &app_err);
        res = res.into_response(new);
    } else if res.status() == actix_web::http::StatusCode::NOT_FOUND
        && res.response().body().size() == actix_web::body::BodySize::Sized(0)
    {
        let new =
            errors::render_error_http(&state, res.request(), lang, is_api, &AppError::NotFound);
        res = res.into_response(new);
    }

    let secure = state.config.server.secure_cookies;
    let headers_out = res.response_mut();
    if let Some(n) = new_nonce {
        let _ = headers_out.add_cookie(
            &Cookie::build(CSRF_COOKIE, n)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .finish(),
        );
    }
    if let (Some(l), None) = (query_lang, &actor) {
        let _ = headers_out.add_cookie(
            &Cookie::build(LANG_COOKIE, l.code())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(CookieDuration::days(365))
                .finish(),
        );
    }
    let sets_flash = headers_out.cookies().any(|c| c.name() == FLASH_COOKIE);
    if had_flash && !sets_flash {
        let _ = headers_out.add_cookie(&removal_cookie(FLASH_COOKIE));
    }
    let sets_session = headers_out.cookies().any(|c| c.name() == SESSION_COOKIE);
    if clear_session_cookie && !sets_session {
        let _ = headers_out.add_cookie(&removal_cookie(SESSION_COOKIE));
    }
    Ok(res)
}

/// The token from a urlencoded or multipart form body (the body is put back for the
/// handler), or from an `X-CSRF-Token` header.
async fn csrf_from_request(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok(Some(h.to_string()));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let urlencoded = content_type.starts_with("application/x-www-form-urlencoded");
    let multipart = content_type.starts_with("multipart/form-data");
    if !urlencoded && !multipart {
        return Ok(None);
    }
    let bytes = req
        .extract::<web::Bytes>()
        .await
        .map_err(|_| AppError::BadRequest("error-too-large".into()))?;
    let token = if urlencoded {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v)
            })
    } else {
        multipart_field(req.headers(), bytes.clone(), CSRF_FIELD).await
    };
    req.set_payload(bytes_payload(bytes));
    Ok(token)
}

/// The text of one (short) field of a buffered multipart body.
async fn multipart_field(
    headers: &header::HeaderMap,
    body: web::Bytes,
    name: &str,
) -> Option<String> {
    use futures_util::StreamExt;
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    while let Some(Ok(mut field)) = parts.next().await {
        if field.name() != Some(name) {
            continue;
        }
        let mut value = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            value.extend_from_slice(&chunk);
            if value.len() > 512 {
                return None;
            }
        }
        return String::from_utf8(value).ok();
    }
    None
}

/// Decode `%XX` escapes (enough to compare path prefixes).
pub fn percent_decode(path: &str) -> String {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn bytes_payload(bytes: web::Bytes) -> actix_web::dev::Payload {
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(bytes);
    actix_web::dev::Payload::from(payload)
}

fn clone_error(e: &AppError) -> AppError {
    match e {
        AppError::NotFound => AppError::NotFound,
        AppError::Forbidden => AppError::Forbidden,
        AppError::Unauthorized => AppError::Unauthorized,
        AppError::Csrf => AppError::Csrf,
        AppError::TooManyRequests { retry_after_secs } => AppError::TooManyRequests {
            retry_after_secs: *retry_after_secs,
        },
        AppError::BadRequest(k) => AppError::BadRequest(k.clone()),
        AppError::Validation(f) => AppError::Validation(f.clone()),
        AppError::Conflict(k) => AppError::Conflict(k.clone()),
        other => {
            // Log the internal detail once, here; the page shows none of it.
            tracing::error!(error = %other, status = %other.status_code(), "request failed");
            AppError::Internal(String::new())
        }
    }
}
