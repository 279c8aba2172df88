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
/// The browser's claim to a form kept after its session ended (`auth::model::Draft`).
pub const DRAFT_COOKIE: &str = "paani_draft";
/// The most text a kept form may hold (urlencoded); a larger one is not kept.
pub const DRAFT_MAX_BYTES: usize = 16 * 1024;
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

/// The session cookie; a kept session's (`keep_days` > 0) outlives the browser's restarts.
pub fn session_cookie(token: &str, secure: bool, keep_days: i64) -> Cookie<'static> {
    let mut c = Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish();
    if keep_days > 0 {
        c.set_max_age(CookieDuration::days(keep_days));
    }
    c
}

/// The cookie that ties a kept form to this browser.
pub fn draft_cookie(token: &str, secure: bool, minutes: i64) -> Cookie<'static> {
    Cookie::build(DRAFT_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::minutes(minutes))
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

/// Whether the request is a page the user navigates to: browsers say so in `Sec-Fetch-Mode`
/// (`navigate`); one that sends no such header (an older browser, a command-line client) is
/// taken as a navigation.
fn is_navigation(headers: &header::HeaderMap) -> bool {
    headers
        .get("sec-fetch-mode")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|m| m.eq_ignore_ascii_case("navigate"))
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
    // a provider's webhook (`/hooks/…`) has no session nor CSRF token: it carries its own
    // shared secret, checked by its handler
    if path.starts_with("/static/") || path == "/healthz" || path.starts_with("/hooks/") {
        return next.call(req).await;
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    // Decide on the decoded path, as the router does: `/%61pi/v1/…` is an API request too.
    let is_api = percent_decode(&path).starts_with("/api/");
    // the offline outbox sends a page's form and asks for its errors as problem documents
    // (`Accept: application/problem+json`), so it can tell the user what failed and why
    let json_errors = is_api || wants_problem_json(req.headers());
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
    // a session that ended with this request: whose, and the CSRF token its pages carried
    let mut ended: Option<(i64, String)> = None;
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
                        model::SessionLookup::Live(live) => {
                            let (s, user) = *live;
                            let actor = model::actor_for(conn, user, Some(s.id), None)?;
                            let unread = match bell {
                                Some(count) => count(conn, actor.user.id)?,
                                None => 0,
                            };
                            Ok(Ok((s, actor, unread)))
                        }
                        model::SessionLookup::Ended {
                            user_id,
                            csrf_token,
                        } => Ok(Err(Some((user_id, csrf_token)))),
                        model::SessionLookup::Unknown => Ok(Err(None)),
                    },
                )
                .await?;
            match found {
                Ok((s, a, n)) => {
                    unread = n;
                    session_lang = s.lang.as_deref().and_then(Lang::parse);
                    session_csrf = Some(s.csrf_token);
                    actor = Some(a);
                }
                Err(e) => {
                    ended = e;
                    clear_session_cookie = true;
                }
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

    // The flash is for the page the user is shown next: a fetch made by a page's script (the
    // offline app keeping pages and data in the background) neither shows nor spends it.
    let shows_flash = is_navigation(req.headers());
    let flash = req
        .cookie(FLASH_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|k| shows_flash && is_flash_key(k));
    let had_flash = shows_flash && req.cookie(FLASH_COOKIE).is_some();

    req.extensions_mut().insert(Identity {
        actor: actor.clone(),
        lang,
        csrf: csrf.clone(),
        flash,
        unread,
    });

    // Every state-changing browser request must carry the token.
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut draft_taken = false;
    if unsafe_method && !is_api {
        let (sent, body) = match csrf_from_request(&mut req).await {
            Ok(t) => t,
            Err(e) => {
                let res = errors::render_error_http(&state, req.request(), lang, json_errors, &e);
                return Ok(req.into_response(res));
            }
        };
        // A form from a page of a session that has just ended (its own CSRF token, sent with
        // its cookie, which SameSite=Lax keeps off other sites' posts): keep what was typed
        // for the same user in this browser, and ask them to log in again.
        if let (Some((user_id, old_csrf)), false) = (&ended, json_errors) {
            if sent.as_deref().is_some_and(|s| same_token(s, old_csrf)) {
                let res = keep_draft(&state, &req, *user_id, body).await;
                return Ok(req.into_response(res));
            }
        }
        if !sent.as_deref().is_some_and(|s| same_token(s, &csrf)) || new_nonce.is_some() {
            tracing::warn!(path = %req.path(), "CSRF token missing or wrong");
            let res = errors::render_error_http(
                &state,
                req.request(),
                lang,
                json_errors,
                &AppError::Csrf,
            );
            return Ok(req.into_response(res));
        }
    }

    // A kept form sent again by its user, to where it was first posted: it is used up.
    if unsafe_method && !is_api {
        if let (Some(a), Some(c)) = (&actor, req.cookie(DRAFT_COOKIE)) {
            let (token, uid, action) = (c.value().to_string(), a.user.id, req.path().to_string());
            draft_taken = state
                .db
                .run(move |conn| model::take_draft(conn, &token, uid, &action))
                .await
                .unwrap_or(false);
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
        let new = errors::render_error_http(&state, res.request(), lang, json_errors, &app_err);
        res = res.into_response(new);
    } else if res.status() == actix_web::http::StatusCode::NOT_FOUND
        && res.response().body().size() == actix_web::body::BodySize::Sized(0)
    {
        let new = errors::render_error_http(
            &state,
            res.request(),
            lang,
            json_errors,
            &AppError::NotFound,
        );
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
    if draft_taken {
        let _ = headers_out.add_cookie(&removal_cookie(DRAFT_COOKIE));
    }
    let sets_session = headers_out.cookies().any(|c| c.name() == SESSION_COOKIE);
    if clear_session_cookie && !sets_session {
        let _ = headers_out.add_cookie(&removal_cookie(SESSION_COOKIE));
    }
    Ok(res)
}

/// Whether the client asks for errors as `application/problem+json` (the outbox does).
fn wants_problem_json(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/problem+json"))
}

/// A form's body as the CSRF check read it: multipart or urlencoded, and its bytes.
struct FormBody {
    multipart: bool,
    bytes: web::Bytes,
}

/// The token from a urlencoded or multipart form body (the body is put back for the
/// handler, and returned), or from an `X-CSRF-Token` header.
async fn csrf_from_request(
    req: &mut ServiceRequest,
) -> Result<(Option<String>, Option<FormBody>), AppError> {
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok((Some(h.to_string()), None));
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
        return Ok((None, None));
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
    req.set_payload(bytes_payload(bytes.clone()));
    Ok((token, Some(FormBody { multipart, bytes })))
}

/// Where a form posted after its session ended is never kept: logging in and out, and
/// password forms (their fields are secrets; there is nothing else in them).
fn never_kept(action: &str) -> bool {
    action == "/login"
        || action.starts_with("/login/")
        || action == "/logout"
        || action.starts_with("/resume")
        || action.contains("password")
}

/// A field a kept form leaves out: the old CSRF token and anything that is a password.
fn field_not_kept(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == CSRF_FIELD || n.contains("password") || n == "current" || n == "confirm"
}

/// The page a form was on, from the `Referer` header: a local path on this host.
fn referring_page(req: &ServiceRequest) -> Option<String> {
    let r = req.headers().get(header::REFERER)?.to_str().ok()?;
    let path = match r.split_once("://") {
        Some((_, rest)) => {
            let (host, path) = rest.split_at(rest.find('/')?);
            let own = req.headers().get(header::HOST)?.to_str().ok()?;
            if !host.eq_ignore_ascii_case(own) {
                return None;
            }
            path.to_string()
        }
        None => r.to_string(),
    };
    let safe = crate::auth::safe_next(Some(&path));
    (safe == path
        && safe != "/login"
        && !safe.starts_with("/login?")
        && !safe.starts_with("/login/"))
    .then_some(safe)
}

/// A form arrived from a page of a session that ended before it was sent: keep its text
/// fields for that user in this browser (`auth.form_draft_minutes`), and send the browser to
/// log in again; after logging in, `/resume` offers to send it.
async fn keep_draft(
    state: &AppState,
    req: &ServiceRequest,
    user_id: i64,
    body: Option<FormBody>,
) -> actix_web::HttpResponse {
    let action = req.path().to_string();
    let page = referring_page(req);
    let next = page.clone().unwrap_or_else(|| "/".into());
    let login = format!(
        "/login?{}",
        serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default()
    );
    let minutes = state.config.auth.form_draft_minutes;
    let fields = match body {
        _ if minutes <= 0 || never_kept(&action) => None,
        Some(FormBody {
            multipart: false,
            bytes,
        }) => serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .map(|f| (f, false)),
        Some(FormBody {
            multipart: true,
            bytes,
        }) => multipart_text_fields(req.headers(), bytes).await,
        None => None,
    };
    let kept = fields.and_then(|(fields, had_files)| {
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .filter(|(k, _)| !field_not_kept(k))
            .collect();
        let text = serde_urlencoded::to_string(&fields).ok()?;
        (text.len() <= DRAFT_MAX_BYTES).then_some((text, had_files))
    });
    let Some((text, had_files)) = kept else {
        return crate::web::render::redirect_flash(&login, "flash-session-ended");
    };
    let now = state.clock.now();
    let replaces = req.cookie(DRAFT_COOKIE).map(|c| c.value().to_string());
    let saved = state
        .db
        .write(move |conn| {
            model::save_draft(
                conn,
                &model::NewDraft {
                    user_id,
                    action: &action,
                    page: page.as_deref(),
                    fields: &text,
                    had_files,
                },
                replaces.as_deref(),
                now,
                now + chrono::Duration::minutes(minutes),
            )
        })
        .await;
    match saved {
        Ok(token) => {
            let mut res = crate::web::render::redirect_flash(&login, "flash-session-ended-kept");
            let secure = state.config.server.secure_cookies;
            let _ = res.add_cookie(&draft_cookie(&token, secure, minutes));
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "a form sent after its session ended was not kept");
            crate::web::render::redirect_flash(&login, "flash-session-ended")
        }
    }
}

/// The text fields of a buffered multipart body, and whether it also carried a file; `None`
/// when it cannot be read.
async fn multipart_text_fields(
    headers: &header::HeaderMap,
    body: web::Bytes,
) -> Option<(Vec<(String, String)>, bool)> {
    use futures_util::StreamExt;
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    let (mut fields, mut had_files) = (Vec::new(), false);
    while let Some(part) = parts.next().await {
        let mut field = part.ok()?;
        let name = field.name()?.to_string();
        let is_file = field
            .content_disposition()
            .is_some_and(|d| d.get_filename().is_some());
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.ok()?;
            if !is_file && value.len() + chunk.len() > DRAFT_MAX_BYTES {
                return None;
            }
            if is_file {
                had_files |= !chunk.is_empty();
            } else {
                value.extend_from_slice(&chunk);
            }
        }
        if !is_file {
            fields.push((name, String::from_utf8(value).ok()?));
        }
    }
    Some((fields, had_files))
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
        AppError::Changed(c) => AppError::Changed(c.clone()),
        other => {
            // Log the internal detail once, here; the page shows none of it.
            tracing::error!(error = %other, status = %other.status_code(), "request failed");
            AppError::Internal(String::new())
        }
    }
}
