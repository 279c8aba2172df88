//! The HTTP side shared by the provider adapters (`msg91`, `exotel`, `http`): one blocking
//! `ureq` agent per transport with a global timeout, TLS through native-tls (the same OpenSSL
//! the mail transport uses, with the system's trusted roots), no redirects followed (a
//! redirect would carry the credentials to another host), and one rule for what is worth
//! retrying.
//!
//! Retryable: a timeout, a connection that could not be made or broke, a 5xx answer and 429
//! (too many requests). Not retryable: any other 4xx (a rejected number, template or
//! credential: the same request would fail the same way), a redirect, a request we could not
//! even build. Messages are for admins: they name what happened and the provider's own
//! reason, never the URL (it may carry a key) nor a header, and every secret the transport
//! knows is scrubbed from them once more before they leave.

use super::SendError;
use std::time::Duration;

/// What a provider answered: the status and the body as text (lossy UTF-8, at most
/// [`MAX_BODY`] bytes read).
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// A provider's answer is small; more than this is cut.
const MAX_BODY: u64 = 256 * 1024;

/// Seconds to wait when `sms.provider.timeout_seconds` is 0 (not set).
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 10;

/// A method the adapters use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

/// One request: everything but the agent.
pub(crate) struct Request<'a> {
    pub method: Method,
    pub url: &'a str,
    pub headers: &'a [(String, String)],
    /// Sent with POST (with its content type); ignored for GET.
    pub body: Option<(&'a str, Vec<u8>)>,
}

/// A blocking HTTP client for one transport.
pub(crate) struct Client {
    agent: ureq::Agent,
    timeout_seconds: u64,
    /// Scrubbed from every message this client makes.
    secrets: Vec<String>,
    /// The provider's name in messages ("MSG91", "Exotel", "the SMS provider").
    provider: &'static str,
}

impl Client {
    pub fn new(provider: &'static str, timeout_seconds: u64, secrets: Vec<String>) -> Self {
        let timeout_seconds = if timeout_seconds == 0 {
            DEFAULT_TIMEOUT_SECONDS
        } else {
            timeout_seconds
        };
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::NativeTls)
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(timeout_seconds)))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("paani/", env!("CARGO_PKG_VERSION")))
            .tls_config(tls)
            .build();
        Client {
            agent: config.new_agent(),
            timeout_seconds,
            secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect(),
            provider,
        }
    }

    /// Sends one request; an answer of any status is `Ok` (the adapter reads it), a request
    /// that got no answer is a [`SendError`] (retryable unless it could not be built).
    pub fn call(&self, request: Request<'_>) -> Result<Answer, SendError> {
        let result = match request.method {
            Method::Get => {
                let mut builder = self.agent.get(request.url);
                for (name, value) in request.headers {
                    builder = builder.header(name.as_str(), value.as_str());
                }
                builder.call()
            }
            Method::Post => {
                let mut builder = self.agent.post(request.url);
                for (name, value) in request.headers {
                    builder = builder.header(name.as_str(), value.as_str());
                }
                match request.body {
                    Some((content_type, body)) => {
                        builder.content_type(content_type).send(&body[..])
                    }
                    None => builder.send_empty(),
                }
            }
        };
        match result {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_BODY)
                    .read_to_vec()
                    .map_err(|e| self.transport_error(e))?;
                Ok(Answer {
                    status,
                    body: String::from_utf8_lossy(&bytes).into_owned(),
                })
            }
            Err(e) => Err(self.transport_error(e)),
        }
    }

    /// A request that got no (whole) answer.
    fn transport_error(&self, error: ureq::Error) -> SendError {
        use ureq::Error as E;
        let (retryable, what) = match &error {
            E::Timeout(_) => (true, format!("no answer after {} s", self.timeout_seconds)),
            E::HostNotFound => (true, "its host name could not be resolved".to_string()),
            E::ConnectionFailed => (true, "the connection could not be made".to_string()),
            E::Io(io) => (true, format!("the connection failed ({})", io.kind())),
            E::Protocol(_) => (true, "its answer was not valid HTTP".to_string()),
            E::Tls(_) | E::NativeTls(_) | E::Der(_) => {
                (true, "the secure connection failed (TLS)".to_string())
            }
            E::BadUri(_) | E::Http(_) => (
                false,
                "the request could not be built: check the URL and headers in the configuration"
                    .to_string(),
            ),
            E::RedirectFailed | E::TooManyRedirects => {
                (false, "it answered with a redirect".to_string())
            }
            E::BodyExceedsLimit(_) => (true, "its answer was too long".to_string()),
            _ => (true, "the request failed".to_string()),
        };
        SendError {
            retryable,
            message: self.scrub(&format!("{}: {what}", self.provider)),
        }
    }

    /// The rule for an answer that is not a success: 5xx and 429 are retryable, the rest not.
    /// `reason` is the provider's own words, when it gave some.
    pub fn rejected(&self, status: u16, reason: Option<&str>) -> SendError {
        let retryable = status >= 500 || status == 429;
        let mut message = format!("{} answered HTTP {status}", self.provider);
        if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            message.push_str(": ");
            message.push_str(&shorten(reason));
        }
        SendError {
            retryable,
            message: self.scrub(&message),
        }
    }

    /// A message for admins, with every secret this client knows replaced.
    pub fn scrub(&self, message: &str) -> String {
        let mut out = message.to_string();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), "********");
        }
        out
    }

    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

/// A provider's reason, cut to a line an admin can read (a provider answering an HTML error
/// page should not fill the outbox).
pub(crate) fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 200 {
        let mut cut: String = one_line.chars().take(200).collect();
        cut.push('…');
        cut
    } else {
        one_line
    }
}

/// The `+` form of a number given as `919812345678`.
pub(crate) fn e164(number: &str) -> String {
    if number.starts_with('+') {
        number.to_string()
    } else {
        format!("+{number}")
    }
}

/// Rupees as a provider writes them (`"0.1800"`, `0.18`) to paise, rounded; `None` when
/// absent or not a number.
pub(crate) fn rupees_to_paise(value: &serde_json::Value) -> Option<i64> {
    let text = match value {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let rupees: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut digits = fraction.chars().map(|c| c as i64 - '0' as i64);
    let tens = digits.next().unwrap_or(0);
    let ones = digits.next().unwrap_or(0);
    let round = i64::from(digits.next().unwrap_or(0) >= 5);
    rupees
        .checked_mul(100)?
        .checked_add(tens * 10 + ones + round)
}

/// The key-value pairs of a callback: its query and, for a form body, the form's fields.
pub(crate) fn callback_fields(callback: &super::Callback) -> Result<Vec<(String, String)>, String> {
    let mut fields = callback.query.clone();
    if is_form(&callback.content_type) && !callback.body.is_empty() {
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&callback.body)
            .map_err(|e| format!("the callback's form could not be read: {e}"))?;
        fields.extend(form);
    }
    Ok(fields)
}

/// The first value of a field, by exact name.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A JSON string or number as text (providers send ids and statuses as either).
pub(crate) fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn is_form(content_type: &str) -> bool {
    mime_essence(content_type) == "application/x-www-form-urlencoded"
}

pub(crate) fn is_json(content_type: &str) -> bool {
    let essence = mime_essence(content_type);
    essence == "application/json" || essence.ends_with("+json")
}

fn mime_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rupees_become_paise() {
        assert_eq!(rupees_to_paise(&json!("0.18")), Some(18));
        assert_eq!(rupees_to_paise(&json!("0.1850")), Some(19));
        assert_eq!(rupees_to_paise(&json!("0.1849")), Some(18));
        assert_eq!(rupees_to_paise(&json!(2)), Some(200));
        assert_eq!(rupees_to_paise(&json!(".5")), Some(50));
        assert_eq!(rupees_to_paise(&json!(null)), None);
        assert_eq!(rupees_to_paise(&json!("")), None);
        assert_eq!(rupees_to_paise(&json!("-1")), None);
        assert_eq!(rupees_to_paise(&json!("abc")), None);
    }

    #[test]
    fn rejections_are_classified_and_scrubbed() {
        let client = Client::new("MSG91", 0, vec!["topsecret".into(), String::new()]);
        let e = client.rejected(401, Some("bad key topsecret"));
        assert!(!e.retryable);
        assert_eq!(e.message, "MSG91 answered HTTP 401: bad key ********");
        assert!(client.rejected(500, None).retryable);
        assert!(client.rejected(503, None).retryable);
        assert!(client.rejected(429, None).retryable);
        assert!(!client.rejected(400, None).retryable);
        assert!(!client.rejected(404, None).retryable);
    }

    #[test]
    fn long_reasons_are_cut() {
        let long = "x ".repeat(300);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), 201);
        assert!(short.ends_with('…'));
        assert_eq!(shorten(" a\n b "), "a b");
    }

    #[test]
    fn numbers_get_their_plus() {
        assert_eq!(e164("919812345678"), "+919812345678");
        assert_eq!(e164("+919812345678"), "+919812345678");
    }

    #[test]
    fn content_types_by_essence() {
        assert!(is_form("application/x-www-form-urlencoded; charset=UTF-8"));
        assert!(is_json("Application/JSON"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
    }
}
