//! Idempotency for every create (issue 28, item 3): a POST may carry a key, the
//! `Idempotency-Key` header or an `idempotency_key` form field, made by the client once per
//! record it means to make (the offline outbox makes one per queued form; forms drawn by
//! Paani carry a fresh one).
//!
//! - The key is claimed for its user inside the transaction that writes the record: the one
//!   way a use case writes, [`crate::audit::service::audited`], calls [`claim`] for the
//!   request's [`RequestKey`], which the middleware [`once`] hands to the handler on the
//!   [`Actor`]. A key is therefore claimed exactly when its record exists: a request that
//!   failed (a field error, a crash before the commit) leaves the key free to send again.
//! - Once the handler answered, the answer (status, `Location`, `Content-Type`, body) is kept
//!   beside the claim. A retry with the same key and the same request gets that answer again
//!   (`Idempotent-Replayed: true`; a form's redirect also says "already recorded"), and the
//!   handler does not run. The same key with a different request is 409.
//! - Two copies sent at once: the second finds the first's claim in its own transaction,
//!   which rolls back, and it answers with the first's response once that is kept.
//! - `Paani-Done-At` (RFC 3339): when the device says the form was filled in, kept beside the
//!   server's time of receipt (`created_at`).
//!
//! Keys are kept `offline.keep_request_days` (the daily job [`forget_old`]).

use crate::auth::Actor;
use crate::db::schema::idempotent_requests as ir;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::web::session::{bytes_payload, Identity};
use crate::web::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The header an API client (or the outbox) sends its key in.
pub const KEY_HEADER: &str = "Idempotency-Key";
/// The form field a page's form sends its key in.
pub const KEY_FIELD: &str = "idempotency_key";
/// When the device says the work was recorded there (RFC 3339).
pub const DONE_AT_HEADER: &str = "Paani-Done-At";
/// Set on an answer given again.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";
/// The conflict a second copy of a request meets when the first holds the key (answered by
/// the middleware with the first's response).
const IN_FLIGHT: &str = "idempotency-key-in-flight";
/// The conflict of a key sent again with a different request.
pub const REUSED: &str = "idempotency-key-reused";
/// Answers larger than this are not kept (a retry then gets the generic "already recorded").
const KEEP_BODY_MAX: usize = 256 * 1024;

/// A create's key as its request brought it, carried on the [`Actor`] into
/// [`crate::audit::service::audited`].
#[derive(Debug, Clone)]
pub struct RequestKey {
    pub key: String,
    /// SHA-256 (hex) of the method, path and body, less the CSRF token and the key.
    pub hash: String,
    pub method: String,
    pub path: String,
    /// Random per request: a second audited write of the same request finds its own claim.
    pub nonce: String,
    pub device_at: Option<NaiveDateTime>,
}

/// An idempotency key as sent: 1–200 visible ASCII characters.
pub fn check_key(raw: &str) -> AppResult<String> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest("idempotency-bad-key".into()));
    }
    Ok(k.to_string())
}

/// A kept key and, once sent, its answer.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ir)]
pub struct KeptRequest {
    pub id: i64,
    pub user_id: i64,
    pub idem_key: String,
    pub request_hash: String,
    pub nonce: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub device_at: Option<NaiveDateTime>,
    pub status: Option<i32>,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The key `key` of this user, if kept.
pub fn find(conn: &mut DbConn, user_id: i64, key: &str) -> AppResult<Option<KeptRequest>> {
    Ok(ir::table
        .filter(ir::user_id.eq(user_id))
        .filter(ir::idem_key.eq(key))
        .select(KeptRequest::as_select())
        .first(conn)
        .optional()?)
}

/// Claim the request's key for `actor` inside the transaction writing its record (called by
/// [`crate::audit::service::audited`], after the use case and before its audit rows):
/// nothing when this request holds it already; 409 when another request with a different
/// body holds it; [`IN_FLIGHT`] when a copy of this request holds it (the transaction rolls
/// back and the middleware answers with the copy's response).
pub fn claim(
    conn: &mut DbConn,
    actor: &Actor,
    now: NaiveDateTime,
    first: Option<(&str, Option<i64>)>,
) -> AppResult<()> {
    let Some(rk) = actor.request_key.as_deref() else {
        return Ok(());
    };
    match find(conn, actor.user.id, &rk.key)? {
        Some(k) if k.nonce == rk.nonce => Ok(()),
        Some(k) if k.request_hash != rk.hash => Err(AppError::Conflict(REUSED.into())),
        Some(_) => Err(AppError::Conflict(IN_FLIGHT.into())),
        None => diesel::insert_into(ir::table)
            .values((
                ir::user_id.eq(actor.user.id),
                ir::idem_key.eq(&rk.key),
                ir::request_hash.eq(&rk.hash),
                ir::method.eq(&rk.method),
                ir::path.eq(&rk.path),
                ir::nonce.eq(&rk.nonce),
                ir::entity.eq(first.map(|f| f.0)),
                ir::entity_id.eq(first.and_then(|f| f.1)),
                ir::device_at.eq(rk.device_at),
                ir::created_at.eq(now),
            ))
            .execute(conn)
            .map(|_| ())
            .map_err(|e| AppError::from(e).on_unique(IN_FLIGHT)),
    }
}

/// Keep the answer given to the request that holds the key.
fn keep_answer(
    conn: &mut DbConn,
    id: i64,
    status: u16,
    location: Option<String>,
    content_type: Option<String>,
    body: Option<String>,
) -> AppResult<()> {
    diesel::update(ir::table.find(id))
        .set((
            ir::status.eq(Some(status as i32)),
            ir::location.eq(location),
            ir::content_type.eq(content_type),
            ir::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// The scheduler's daily job `requests_forget`: keys older than
/// `offline.keep_request_days` go.
pub fn forget_old(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    let before = day.now - TimeDelta::days(config.offline.keep_request_days);
    Ok(diesel::delete(ir::table.filter(ir::created_at.lt(before))).execute(conn)?)
}

/// Whether `needle` occurs in `body`.
fn mentions(body: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && body.windows(needle.len()).any(|w| w == needle)
}

/// The middleware (wrapped with `actix_web::middleware::from_fn`, inside the session's).
pub async fn once(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() != Method::POST {
        return next.call(req).await;
    }
    let Some(user_id) = req
        .extensions()
        .get::<Identity>()
        .and_then(|i| i.actor.as_ref().map(|a| a.user.id))
    else {
        return next.call(req).await;
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await;
    };
    let header_key = req
        .headers()
        .get(KEY_HEADER)
        .map(|v| v.to_str().unwrap_or("").to_string());
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let urlencoded = content_type.starts_with("application/x-www-form-urlencoded");
    let multipart = content_type.starts_with("multipart/form-data");
    if header_key.is_none() && !urlencoded && !multipart {
        return next.call(req).await;
    }
    let bytes = match req.extract::<web::Bytes>().await {
        Ok(b) => b,
        Err(_) => {
            return Ok(req.error_response(AppError::BadRequest("error-too-large".into())));
        }
    };
    req.set_payload(bytes_payload(bytes.clone()));
    // most forms carry no key: only one whose body names the field is parsed and hashed
    if header_key.is_none() && !mentions(&bytes, KEY_FIELD.as_bytes()) {
        return next.call(req).await;
    }
    let (field_key, digest) = if urlencoded {
        form_digest(&bytes)
    } else if multipart {
        multipart_digest(req.headers(), bytes.clone()).await
    } else {
        (None, hex::encode(Sha256::digest(&bytes)))
    };
    let Some(raw_key) = header_key.or(field_key) else {
        return next.call(req).await;
    };
    let key = match check_key(&raw_key) {
        Ok(k) => k,
        Err(e) => return Ok(req.error_response(e)),
    };
    let path = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    let hash = hex::encode(Sha256::digest(format!("POST\n{path}\n{digest}").as_bytes()));
    let is_api = crate::web::session::percent_decode(req.path()).starts_with("/api/");

    // a retry of an answered (or committed) request: answer it again, the handler does not run
    let (k, u) = (key.clone(), user_id);
    if let Some(kept) = state.db.run(move |c| find(c, u, &k)).await? {
        let res = answer_again(&state, req.request(), is_api, kept, &hash).await;
        // (`into_response` would drop the error the session's middleware renders)
        let (request, _) = req.into_parts();
        return Ok(ServiceResponse::new(request, res));
    }

    let device_at = req
        .headers()
        .get(DONE_AT_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc3339(v.trim()).ok())
        .map(|t| t.naive_utc());
    let rk = Arc::new(RequestKey {
        key: key.clone(),
        hash: hash.clone(),
        method: "POST".into(),
        path,
        nonce: crate::auth::random_token(),
        device_at,
    });
    if let Some(actor) = req
        .extensions_mut()
        .get_mut::<Identity>()
        .and_then(|i| i.actor.as_mut())
    {
        actor.request_key = Some(rk.clone());
    }
    let res = next.call(req).await?;

    let in_flight = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
        .is_some_and(|e| matches!(e, AppError::Conflict(k) if k == IN_FLIGHT));
    if in_flight {
        // a copy of this request holds the key: its answer, once kept
        let (k, u) = (key.clone(), user_id);
        if let Ok(Some(kept)) = state.db.run(move |c| find(c, u, &k)).await {
            let again = answer_again(&state, res.request(), is_api, kept, &hash).await;
            return Ok(ServiceResponse::new(res.request().clone(), again));
        }
        return Ok(res);
    }
    if res.status().as_u16() >= 400 {
        return Ok(res);
    }
    let (k, u) = (key, user_id);
    let kept = match state.db.run(move |c| find(c, u, &k)).await {
        Ok(Some(kept)) if kept.nonce == rk.nonce => kept,
        _ => return Ok(res),
    };
    // keep the answer: its body is read here and put back for the client
    let (request, response) = res.into_parts();
    let status = response.status().as_u16();
    let location = header_text(response.headers(), header::LOCATION);
    let kept_type = header_text(response.headers(), header::CONTENT_TYPE);
    let (response, body) = response.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(b) => b,
        Err(body) => actix_web::body::to_bytes(body)
            .await
            .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?,
    };
    let text = (bytes.len() <= KEEP_BODY_MAX)
        .then(|| String::from_utf8(bytes.to_vec()).ok())
        .flatten();
    let id = kept.id;
    if let Err(e) = state
        .db
        .write(move |c| keep_answer(c, id, status, location, kept_type, text))
        .await
    {
        // the record is made; a retry gets the generic "already recorded" answer
        tracing::warn!(error = %e, "idempotency: the answer was not kept");
    }
    let response = response.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, response))
}

fn header_text(headers: &header::HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The answer to a request whose key is kept: 409 for a different request; the kept answer
/// (waiting a little for a copy still being answered); or, when none was kept, "already
/// recorded" (a JSON naming the record, or a form's redirect back with that message).
async fn answer_again(
    state: &AppState,
    req: &actix_web::HttpRequest,
    is_api: bool,
    mut kept: KeptRequest,
    hash: &str,
) -> HttpResponse {
    if kept.request_hash != hash {
        return HttpResponse::from_error(AppError::Conflict(REUSED.into()));
    }
    for _ in 0..20 {
        if kept.status.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let (u, k) = (kept.user_id, kept.idem_key.clone());
        match state.db.run(move |c| find(c, u, &k)).await {
            Ok(Some(k)) => kept = k,
            _ => break,
        }
    }
    let status = kept
        .status
        .and_then(|s| StatusCode::from_u16(s as u16).ok());
    let mut res = match (status, &kept.location) {
        (Some(s), Some(to)) if s.is_redirection() && !is_api => {
            let mut r = crate::web::render::redirect_flash(to, "flash-already-recorded");
            *r.status_mut() = s;
            r
        }
        (Some(s), _) => {
            let mut b = HttpResponse::build(s);
            if let Some(to) = &kept.location {
                b.insert_header((header::LOCATION, to.as_str()));
            }
            if let Some(t) = &kept.content_type {
                b.insert_header((header::CONTENT_TYPE, t.as_str()));
            }
            b.body(kept.body.clone().unwrap_or_default())
        }
        (None, _) if is_api => HttpResponse::Ok().json(serde_json::json!({
            "replayed": true,
            "entity": kept.entity,
            "entity_id": kept.entity_id,
        })),
        (None, _) => {
            let back = header_text(req.headers(), header::REFERER)
                .map(|r| crate::auth::safe_next(Some(&r)))
                .unwrap_or_else(|| "/".into());
            crate::web::render::redirect_flash(&back, "flash-already-recorded")
        }
    };
    res.headers_mut().insert(
        header::HeaderName::from_static("idempotent-replayed"),
        header::HeaderValue::from_static("true"),
    );
    res
}

/// Whether a form field is left out of the request's hash: the CSRF token (it changes with
/// the session) and the key itself.
fn unhashed(name: &str) -> bool {
    name == crate::web::session::CSRF_FIELD || name == KEY_FIELD
}

/// A urlencoded form's key field and the digest of its other fields (sorted, so the order
/// the client sent them in does not matter).
fn form_digest(bytes: &[u8]) -> (Option<String>, String) {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    let key = pairs
        .iter()
        .find(|(k, _)| k == KEY_FIELD)
        .map(|(_, v)| v.clone());
    pairs.retain(|(k, _)| !unhashed(k));
    pairs.sort();
    let mut h = Sha256::new();
    for (k, v) in &pairs {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.as_bytes());
        h.update([0]);
    }
    (key, hex::encode(h.finalize()))
}

/// A multipart form's key field and the digest of its other parts (name, file name and a
/// hash of the content, sorted): the boundary, which the browser makes anew each time, and
/// the CSRF token do not count.
async fn multipart_digest(
    headers: &header::HeaderMap,
    body: web::Bytes,
) -> (Option<String>, String) {
    use futures_util::StreamExt;
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    let (mut key, mut seen) = (None, Vec::new());
    while let Some(Ok(mut field)) = parts.next().await {
        let name = field.name().unwrap_or("").to_string();
        let file = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("")
            .to_string();
        let mut h = Sha256::new();
        let mut small = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            h.update(&chunk);
            if name == KEY_FIELD && small.len() < 512 {
                small.extend_from_slice(&chunk);
            }
        }
        if name == KEY_FIELD {
            key = String::from_utf8(small).ok();
        }
        if !unhashed(&name) {
            seen.push(format!("{name}\0{file}\0{}", hex::encode(h.finalize())));
        }
    }
    seen.sort();
    (key, hex::encode(Sha256::digest(seen.join("\n").as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_visible_ascii_of_at_most_200() {
        assert_eq!(check_key(" abc-1 ").unwrap(), "abc-1");
        assert!(check_key("").is_err());
        assert!(check_key("a b").is_err());
        assert!(check_key("कुंजी").is_err());
        assert!(check_key(&"k".repeat(201)).is_err());
        assert!(check_key(&"k".repeat(200)).is_ok());
    }

    #[test]
    fn a_form_digest_ignores_the_csrf_token_the_key_and_the_order() {
        let (k1, d1) = form_digest(b"amount=50&_csrf=aaa&idempotency_key=K1&mode=cash");
        let (k2, d2) = form_digest(b"mode=cash&idempotency_key=K1&amount=50&_csrf=bbb");
        assert_eq!((k1.as_deref(), k2.as_deref()), (Some("K1"), Some("K1")));
        assert_eq!(d1, d2);
        let (_, d3) = form_digest(b"amount=51&_csrf=aaa&idempotency_key=K1&mode=cash");
        assert_ne!(d1, d3);
    }

    #[tokio::test]
    async fn a_multipart_digest_ignores_the_boundary_and_the_csrf_token() {
        fn body(boundary: &str, csrf: &str) -> (header::HeaderMap, web::Bytes) {
            let mut h = header::HeaderMap::new();
            h.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                    .unwrap(),
            );
            let b = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"idempotency_key\"\r\n\r\nK9\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\npump fixed\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\
                 Content-Type: image/jpeg\r\n\r\nJPEGDATA\r\n--{boundary}--\r\n"
            );
            (h, web::Bytes::from(b))
        }
        let (h1, b1) = body("XyZ1", "t1");
        let (h2, b2) = body("other-boundary", "t2");
        let (k1, d1) = multipart_digest(&h1, b1).await;
        let (k2, d2) = multipart_digest(&h2, b2).await;
        assert_eq!(k1.as_deref(), Some("K9"));
        assert_eq!(k2.as_deref(), Some("K9"));
        assert_eq!(d1, d2);
        let (h3, b3) = body("XyZ1", "t1");
        let changed = web::Bytes::from(
            String::from_utf8(b3.to_vec())
                .unwrap()
                .replace("pump fixed", "pump broken"),
        );
        assert_ne!(multipart_digest(&h3, changed).await.1, d1);
    }
}
