//! The input layer: before any handler runs, every piece of text a request brings (the query
//! string, a urlencoded or JSON body, the text fields of a multipart form) is screened for
//! characters no field may hold: NUL and the other control characters, except tab, line feed
//! and carriage return (fields of several lines keep them). A request carrying one is answered
//! 422 with an error on the field, in the reader's language, on both backends alike
//! (PostgreSQL cannot store NUL at all; SQLite would). Uploaded files are not text: CSV
//! imports screen their cells in `web::csv::records`, photos are images.
//!
//! Lengths are each field's own rule (`web::forms::required_text` and friends): an error,
//! never a silent cut; a field of at most `forms::ONE_LINE_MAX` characters is one line, so
//! line breaks and tabs are refused there too.

use crate::error::{AppError, FieldErrors};
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web;

/// The translation key of the error.
pub const CONTROL_CHARS: &str = "field-control-chars";

/// A character no text field may hold.
pub fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `s` holds a character no text field may hold.
pub fn has_forbidden(s: &str) -> bool {
    s.chars().any(forbidden)
}

/// Add an error on `field` when `value` (or the field's own name) holds a forbidden character.
fn screen_pair(field: &str, value: &str, e: &mut FieldErrors) {
    if has_forbidden(value) || has_forbidden(field) {
        let name: String = field.chars().filter(|c| !forbidden(*c)).collect();
        if !e.0.iter().any(|f| f.field == name) {
            e.add(&name, CONTROL_CHARS);
        }
    }
}

/// Every string in a JSON document, and every key, named by its top-level field.
fn screen_json(field: &str, v: &serde_json::Value, e: &mut FieldErrors) {
    match v {
        serde_json::Value::String(s) => screen_pair(field, s, e),
        serde_json::Value::Array(items) => items.iter().for_each(|i| screen_json(field, i, e)),
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let name = if field.is_empty() { k.as_str() } else { field };
                screen_pair(name, k, e);
                screen_json(name, v, e);
            }
        }
        _ => {}
    }
}

/// The pairs of a urlencoded text (query string or form body).
fn screen_urlencoded(bytes: &[u8], e: &mut FieldErrors) {
    if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes) {
        for (k, v) in &pairs {
            screen_pair(k, v, e);
        }
    }
}

/// The text fields (those without a file name) of a buffered multipart body.
async fn screen_multipart(headers: &header::HeaderMap, body: web::Bytes, e: &mut FieldErrors) {
    use futures_util::StreamExt;
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    while let Some(Ok(mut field)) = parts.next().await {
        let is_file = field
            .content_disposition()
            .is_some_and(|d| d.get_filename().is_some());
        let name = field.name().unwrap_or("").to_string();
        let mut text = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            if !is_file {
                text.extend_from_slice(&chunk);
            }
        }
        if !is_file {
            screen_pair(&name, &String::from_utf8_lossy(&text), e);
        }
    }
}

/// The middleware (inside `session::identify`, which renders the error in the reader's
/// language): screen the query string and, for a request with a body, the body's text.
pub async fn screen(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut e = FieldErrors::new();
    screen_urlencoded(req.query_string().as_bytes(), &mut e);
    let path = crate::web::session::percent_decode(req.path());
    if has_forbidden(&path) {
        return Ok(req.error_response(AppError::NotFound));
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let urlencoded = content_type.starts_with("application/x-www-form-urlencoded");
        let multipart = content_type.starts_with("multipart/form-data");
        let json = content_type.starts_with("application/json") || content_type.contains("+json");
        if urlencoded || multipart || json {
            let Ok(bytes) = req.extract::<web::Bytes>().await else {
                return Ok(req.error_response(AppError::BadRequest("error-too-large".into())));
            };
            if urlencoded {
                screen_urlencoded(&bytes, &mut e);
            } else if json {
                if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    screen_json("", &v, &mut e);
                }
            } else {
                screen_multipart(req.headers(), bytes.clone(), &mut e).await;
            }
            req.set_payload(crate::web::session::bytes_payload(bytes));
        }
    }
    if !e.0.is_empty() {
        return Ok(req.error_response(AppError::Validation(e)));
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_lines_and_tabs_kept() {
        assert!(has_forbidden("a\0b"));
        assert!(has_forbidden("\u{1b}[31m"));
        assert!(has_forbidden("\u{7f}"));
        assert!(has_forbidden("\u{85}"));
        assert!(!has_forbidden("पानी समिति\tबैठक\r\nदूसरी पंक्ति"));
        assert!(!has_forbidden("₹1,250.50 — ok"));
    }

    #[test]
    fn json_strings_and_keys_are_screened_by_their_top_level_field() {
        let mut e = FieldErrors::new();
        let v = serde_json::json!({"name": "ok", "notes": ["fine", {"deep": "bad\u{0}"}], "n": 3});
        screen_json("", &v, &mut e);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "notes");
        assert_eq!(e.0[0].key, CONTROL_CHARS);
        let mut e = FieldErrors::new();
        screen_json("", &serde_json::json!({"na\u{0}me": "x"}), &mut e);
        assert_eq!(e.0[0].field, "name");
    }

    #[test]
    fn urlencoded_pairs_are_decoded_before_the_check() {
        let mut e = FieldErrors::new();
        screen_urlencoded(b"q=%00&page=2", &mut e);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "q");
        let mut e = FieldErrors::new();
        screen_urlencoded(b"notes=line+one%0D%0Aline+two%09tab", &mut e);
        assert!(e.0.is_empty());
    }
}
