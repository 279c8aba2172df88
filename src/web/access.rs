//! The outermost middleware: every request gets a request id, runs inside a span that carries
//! it (so whatever is logged while it is served names it), and leaves exactly one access-log
//! line (and, when `metrics.enabled`, its count and time in `/metrics`).
//!
//! The line (target `paani::access`, level info) holds the method, the route *pattern*
//! (`/households/{id}`, never the path: a path or a query string can hold a phone number),
//! the status, the time taken, the request id, the logged-in user's id and the client's
//! address (`session::client_ip`: behind trusted proxies, the client they saw). Nothing else
//! from the request is logged: no query, no header, no cookie, no body.
//!
//! The request id: a trusted proxy's (`server.trusted_proxies`) `X-Request-Id` when it is
//! well formed ([`well_formed`]), so one id follows a request through the proxy's log and
//! ours; otherwise 32 random hexadecimal digits. A client that is not a trusted proxy cannot
//! choose it (it could otherwise write into our logs, or pass itself off as another request).
//! Either way it goes back in the response's `X-Request-Id`.

use crate::web::session::{self, Identity};
use crate::web::{proxy, AppState};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id taken from a proxy.
pub const MAX_REQUEST_ID: usize = 64;

/// This request's id, in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The route label of a request no route matched (its path is not used: anyone can make
/// up paths, and each would be a new series in `/metrics`).
pub const UNMATCHED: &str = "unmatched";

/// A request id we are willing to take from a proxy: 1 to [`MAX_REQUEST_ID`] ASCII letters,
/// digits, `-`, `_` and `.` (UUIDs, nginx's `$request_id`, most tracing ids).
pub fn well_formed(id: &str) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A new request id: 128 random bits as 32 hexadecimal digits.
pub fn new_request_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The id for `req`: the proxy's, when the peer is a trusted proxy and the id is well
/// formed, else a new one.
fn request_id(req: &ServiceRequest, proxies: Option<&proxy::TrustedProxies>) -> String {
    let trusted = match (req.peer_addr(), proxies) {
        (Some(peer), Some(p)) => p.trusts(peer.ip()),
        _ => false,
    };
    if trusted {
        let sent = req
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|id| well_formed(id));
        if let Some(id) = sent {
            return id.to_string();
        }
    }
    new_request_id()
}

/// A route pattern as logs and metrics name it: each segment's parameter by its name alone
/// (`/households/{id:\d+}/edit` is `/households/{id}/edit`).
pub fn route_label(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut depth = 0;
    let mut in_name = false;
    for c in pattern.chars() {
        match (depth, c) {
            (0, '{') => {
                depth = 1;
                in_name = true;
                out.push('{');
            }
            (0, c) => out.push(c),
            (_, '{') => depth += 1,
            (_, '}') => {
                depth -= 1;
                if depth == 0 {
                    out.push('}');
                }
            }
            (_, ':') if in_name => in_name = false,
            (_, c) if in_name => out.push(c),
            _ => {}
        }
    }
    out
}

/// The method as a label: the usual ones by name, anything else as `OTHER` (a client can
/// send any token as a method).
pub fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The middleware (wrapped with `actix_web::middleware::from_fn`, outermost).
pub async fn log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let id = request_id(&req, state.as_ref().map(|s| &s.proxies));
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = method_label(req.method());
    let route = req
        .match_pattern()
        .map_or_else(|| UNMATCHED.to_string(), |p| route_label(&p));
    let client_ip = session::client_ip(req.request());
    let span = tracing::info_span!("request", request_id = %id);
    let result = next.call(req).instrument(span).await;
    let elapsed = started.elapsed();
    let (status, user_id) = match &result {
        Ok(res) => (
            res.status(),
            res.request()
                .extensions()
                .get::<Identity>()
                .and_then(|i| i.actor.as_ref())
                .map(|a| a.user.id),
        ),
        Err(e) => (e.as_response_error().status_code(), None),
    };
    let status = status.as_u16();
    let duration_ms = (elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0;
    tracing::info!(
        target: "paani::access",
        method = %method,
        route = %route,
        status,
        duration_ms,
        request_id = %id,
        user_id,
        client_ip = %client_ip,
        "request"
    );
    if let Some(state) = state.filter(|s| s.config.metrics.enabled) {
        state
            .http_metrics
            .observe(route, method, status, elapsed.as_secs_f64());
    }
    let header = HeaderValue::from_str(&id).ok();
    match result {
        Ok(mut res) => {
            if let Some(v) = header {
                res.headers_mut().insert(REQUEST_ID, v);
            }
            Ok(res)
        }
        // an error no layer turned into a response: its response, with the id
        Err(e) => {
            let mut res = e.error_response();
            if let Some(v) = header {
                res.headers_mut().insert(REQUEST_ID, v);
            }
            Err(InternalError::from_response(e.to_string(), res).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_from_a_proxy_must_be_short_and_plain() {
        for good in [
            "a",
            "0af7651916cd43dd8448eb211c80319c",
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
            "req_1.2-x",
            &"x".repeat(MAX_REQUEST_ID),
        ] {
            assert!(well_formed(good), "{good}");
        }
        for bad in [
            "",
            &"x".repeat(MAX_REQUEST_ID + 1),
            "has space",
            "semi;colon",
            "new\nline",
            "quote\"",
            "<script>",
            "ünïcode",
            "a=b",
        ] {
            assert!(!well_formed(bad), "{bad:?}");
        }
    }

    #[test]
    fn route_labels_keep_parameter_names_only() {
        for (pattern, label) in [
            ("/households/{id:\\d+}/edit", "/households/{id}/edit"),
            ("/static/{file:.*}", "/static/{file}"),
            ("/c/{code}", "/c/{code}"),
            ("/x/{n:\\d{2,4}}/y", "/x/{n}/y"),
            ("/", "/"),
        ] {
            assert_eq!(route_label(pattern), label);
        }
    }

    #[test]
    fn new_request_ids_are_well_formed_and_differ() {
        let a = new_request_id();
        let b = new_request_id();
        assert_eq!(a.len(), 32);
        assert!(well_formed(&a));
        assert_ne!(a, b);
    }
}
