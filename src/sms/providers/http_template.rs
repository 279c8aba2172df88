//! Any other provider with an HTTP API (`sms.transport = "http"`): the request is written
//! from `[sms.provider.http]` — a URL, GET or POST, a content type, headers and a body with
//! slots — and the provider's id for the message is found in its JSON answer by a JSON
//! pointer (RFC 6901).
//!
//! Slots, written `{{name}}`: `to` (`919812345678`), `to_e164` (`+919812345678`), `text`,
//! `unicode` (`1` or `0`), `encoding` (`unicode` or `plain`), `dlt_template_id`, `entity_id`,
//! `sender_id`, `outbox_id`, `key`, `provider_template_id`, `var1`, `var2`, … (the template's
//! variables in slot order; an absent one is empty) and `secret` (the `secret` setting, kept
//! out of every log and message). A value is escaped for where it stands: percent-encoded in
//! the URL, JSON-escaped in a JSON body (write the quotes around the slot yourself:
//! `"text": "{{text}}"`), form-encoded in a form body, and as it is in a header. An unknown
//! slot is a configuration error when the transport is built.
//!
//! Failures follow the shared rule (see `client`): timeouts, connection errors, 5xx and 429
//! are retried; other 4xx are not. Many providers answer 200 with an error in the body: name
//! it with `error_pointer` (a value there that is not null, false, 0 or "" makes the answer a
//! rejection, not retried). A 2xx answer without an id at `id_pointer` is not retried either
//! (the message may have gone out); with `id_pointer` empty the outbox row's id is the
//! provider id, for a provider whose reports carry the reference Paani sent.
//!
//! Delivery reports, the documented simple form this transport reads: a JSON object, or an
//! array of them, with the message id at `report_id_pointer` (default `/id`), the status at
//! `report_status_pointer` (default `/status`) and an optional reason at
//! `report_detail_pointer` (default `/detail`); or the same as form fields or query
//! parameters, named by each pointer's last part (`id`, `status`, `detail`). A status equal
//! (case aside) to one of `delivered_values` (default `delivered`) is delivered, one of
//! `failed_values` (default `failed`, `undelivered`, `rejected`, `expired`) failed, anything
//! else still pending.

use super::client::{self, json_text, Client, Method, Request};
use super::{
    Accepted, Callback, DeliveryReport, DeliveryStatus, Dlt, HttpTemplateSettings, OutgoingSms,
    SendError, SmsTransport,
};
use serde_json::Value;

/// The slot names a template may use (besides `var1`, `var2`, …).
const SLOTS: &[&str] = &[
    "to",
    "to_e164",
    "text",
    "unicode",
    "encoding",
    "dlt_template_id",
    "entity_id",
    "sender_id",
    "outbox_id",
    "key",
    "provider_template_id",
    "secret",
];

/// How a slot's value is escaped where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    Url,
    Json,
    Form,
    Raw,
}

pub struct HttpTemplate {
    method: Method,
    url: String,
    content_type: String,
    body_escape: Escape,
    headers: Vec<(String, String)>,
    body: String,
    secret: String,
    id_pointer: String,
    error_pointer: String,
    report_id_pointer: String,
    report_status_pointer: String,
    report_detail_pointer: String,
    delivered_values: Vec<String>,
    failed_values: Vec<String>,
    client: Client,
}

impl HttpTemplate {
    pub fn new(settings: &HttpTemplateSettings, timeout_seconds: u64) -> Result<Self, String> {
        let url = settings.url.trim().to_string();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err("sms.provider.http.url must be set and start with https://".into());
        }
        let method = match settings.method.trim().to_ascii_uppercase().as_str() {
            "" | "POST" => Method::Post,
            "GET" => Method::Get,
            other => {
                return Err(format!(
                    "sms.provider.http.method must be GET or POST (it is {other:?})"
                ))
            }
        };
        let content_type = if settings.content_type.trim().is_empty() {
            "application/json".to_string()
        } else {
            settings.content_type.trim().to_string()
        };
        let body_escape = if client::is_json(&content_type) {
            Escape::Json
        } else if client::is_form(&content_type) {
            Escape::Form
        } else {
            return Err(format!(
                "sms.provider.http.content_type must be application/json or \
                 application/x-www-form-urlencoded (it is {content_type:?})"
            ));
        };
        if method == Method::Get && !settings.body.trim().is_empty() {
            return Err(
                "sms.provider.http.body must be empty with method GET (put the \
                        slots in the URL)"
                    .into(),
            );
        }
        for pointer in [
            ("id_pointer", &settings.id_pointer),
            ("error_pointer", &settings.error_pointer),
            ("report_id_pointer", &settings.report_id_pointer),
            ("report_status_pointer", &settings.report_status_pointer),
            ("report_detail_pointer", &settings.report_detail_pointer),
        ] {
            if !pointer.1.is_empty() && !pointer.1.starts_with('/') {
                return Err(format!(
                    "sms.provider.http.{} must be a JSON pointer starting with / (it is {:?})",
                    pointer.0, pointer.1
                ));
            }
        }
        check_slots("url", &url)?;
        check_slots("body", &settings.body)?;
        for (name, value) in &settings.headers {
            if name.trim().is_empty() {
                return Err("sms.provider.http.headers has a header without a name".into());
            }
            check_slots("headers", value)?;
        }
        let or = |value: &str, default: &str| {
            if value.is_empty() {
                default.to_string()
            } else {
                value.to_string()
            }
        };
        let words = |values: &[String], default: &[&str]| -> Vec<String> {
            if values.is_empty() {
                default.iter().map(|s| s.to_string()).collect()
            } else {
                values
                    .iter()
                    .map(|s| s.trim().to_ascii_lowercase())
                    .collect()
            }
        };
        Ok(HttpTemplate {
            method,
            url,
            content_type,
            body_escape,
            headers: settings.headers.clone(),
            body: settings.body.clone(),
            secret: settings.secret.expose().to_string(),
            id_pointer: settings.id_pointer.clone(),
            error_pointer: settings.error_pointer.clone(),
            report_id_pointer: or(&settings.report_id_pointer, "/id"),
            report_status_pointer: or(&settings.report_status_pointer, "/status"),
            report_detail_pointer: or(&settings.report_detail_pointer, "/detail"),
            delivered_values: words(&settings.delivered_values, &["delivered"]),
            failed_values: words(
                &settings.failed_values,
                &["failed", "undelivered", "rejected", "expired"],
            ),
            client: Client::new(
                "the SMS provider",
                timeout_seconds,
                vec![settings.secret.expose().to_string()],
            ),
        })
    }

    /// The value of one slot for one message, before escaping.
    fn value(&self, slot: &str, sms: &OutgoingSms, dlt: &Dlt) -> String {
        match slot {
            "to" => sms.to.clone(),
            "to_e164" => client::e164(&sms.to),
            "text" => sms.text.clone(),
            "unicode" => if sms.unicode { "1" } else { "0" }.to_string(),
            "encoding" => if sms.unicode { "unicode" } else { "plain" }.to_string(),
            "dlt_template_id" => sms.dlt_template_id.clone(),
            "entity_id" => dlt.entity_id.clone(),
            "sender_id" => dlt.sender_id.clone(),
            "outbox_id" => sms.outbox_id.to_string(),
            "key" => sms.key.clone(),
            "provider_template_id" => sms.provider_template_id.clone().unwrap_or_default(),
            "secret" => self.secret.clone(),
            other => other
                .strip_prefix("var")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| sms.variables.get(i).cloned())
                .unwrap_or_default(),
        }
    }

    /// A template with its slots filled and escaped.
    fn fill(&self, template: &str, escape: Escape, sms: &OutgoingSms, dlt: &Dlt) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            match after.find("}}") {
                Some(end) => {
                    let slot = after[..end].trim();
                    let value = self.value(slot, sms, dlt);
                    out.push_str(&escape_value(&value, escape));
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn status(&self, word: &str) -> DeliveryStatus {
        let word = word.trim().to_ascii_lowercase();
        if self.delivered_values.contains(&word) {
            DeliveryStatus::Delivered
        } else if self.failed_values.contains(&word) {
            DeliveryStatus::Failed
        } else {
            DeliveryStatus::Pending
        }
    }

    fn report_from_json(&self, value: &Value) -> Result<DeliveryReport, String> {
        let id = value
            .pointer(&self.report_id_pointer)
            .and_then(json_text)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("the report has no id at {}", self.report_id_pointer))?;
        let status = value
            .pointer(&self.report_status_pointer)
            .and_then(json_text)
            .ok_or_else(|| format!("the report has no status at {}", self.report_status_pointer))?;
        let detail = value
            .pointer(&self.report_detail_pointer)
            .and_then(json_text)
            .filter(|d| !d.trim().is_empty());
        Ok(DeliveryReport {
            provider_id: id.trim().to_string(),
            status: self.status(&status),
            detail,
        })
    }
}

impl SmsTransport for HttpTemplate {
    fn name(&self) -> &'static str {
        "http"
    }

    fn send(&self, sms: &OutgoingSms, dlt: &Dlt) -> Result<Accepted, SendError> {
        let url = self.fill(&self.url, Escape::Url, sms, dlt);
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), self.fill(value, Escape::Raw, sms, dlt)))
            .collect();
        let body = match self.method {
            Method::Post => Some((
                self.content_type.as_str(),
                self.fill(&self.body, self.body_escape, sms, dlt)
                    .into_bytes(),
            )),
            Method::Get => None,
        };
        let answer = self.client.call(Request {
            method: self.method,
            url: &url,
            headers: &headers,
            body,
        })?;
        let parsed: Option<Value> = serde_json::from_str(&answer.body).ok();
        let error = if self.error_pointer.is_empty() {
            None
        } else {
            parsed
                .as_ref()
                .and_then(|v| v.pointer(&self.error_pointer))
                .filter(|v| truthy(v))
                .map(|v| json_text(v).unwrap_or_else(|| v.to_string()))
        };
        if !(200..300).contains(&answer.status) {
            return Err(self.client.rejected(
                answer.status,
                Some(error.as_deref().unwrap_or(&answer.body)),
            ));
        }
        if let Some(error) = error {
            return Err(SendError {
                retryable: false,
                message: self.client.scrub(&format!(
                    "{} refused the message: {}",
                    self.client.provider(),
                    client::shorten(&error)
                )),
            });
        }
        if self.id_pointer.is_empty() {
            return Ok(Accepted {
                provider_id: sms.outbox_id.to_string(),
                cost_paise: None,
            });
        }
        match parsed
            .as_ref()
            .and_then(|v| v.pointer(&self.id_pointer))
            .and_then(json_text)
            .filter(|id| !id.trim().is_empty())
        {
            Some(id) => Ok(Accepted {
                provider_id: id.trim().to_string(),
                cost_paise: None,
            }),
            None => Err(SendError {
                retryable: false,
                message: self.client.scrub(&format!(
                    "{} answered HTTP {} without a message id at {} ({}); it may have been \
                     sent, so it is not tried again",
                    self.client.provider(),
                    answer.status,
                    self.id_pointer,
                    client::shorten(&answer.body)
                )),
            }),
        }
    }

    fn delivery_reports(&self, callback: &Callback) -> Result<Vec<DeliveryReport>, String> {
        let first = callback
            .body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .copied();
        let looks_json = client::is_json(&callback.content_type)
            || (!client::is_form(&callback.content_type) && matches!(first, Some(b'{' | b'[')));
        if looks_json && !callback.body.is_empty() {
            let value: Value = serde_json::from_slice(&callback.body)
                .map_err(|e| format!("the report is not JSON: {e}"))?;
            return match &value {
                Value::Array(items) => items.iter().map(|i| self.report_from_json(i)).collect(),
                _ => Ok(vec![self.report_from_json(&value)?]),
            };
        }
        let fields = client::callback_fields(callback)?;
        let object: serde_json::Map<String, Value> = fields
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        if object.is_empty() {
            return Err("the report is empty".into());
        }
        // A flat form: each pointer's last part names its field.
        let flat = |pointer: &str| -> String {
            let last = pointer.rsplit('/').next().unwrap_or("");
            format!("/{last}")
        };
        let value = Value::Object(object);
        let id = value
            .pointer(&flat(&self.report_id_pointer))
            .and_then(json_text)
            .filter(|s| !s.trim().is_empty())
            .ok_or("the report has no id")?;
        let status = value
            .pointer(&flat(&self.report_status_pointer))
            .and_then(json_text)
            .ok_or("the report has no status")?;
        let detail = value
            .pointer(&flat(&self.report_detail_pointer))
            .and_then(json_text)
            .filter(|d| !d.trim().is_empty());
        Ok(vec![DeliveryReport {
            provider_id: id.trim().to_string(),
            status: self.status(&status),
            detail,
        }])
    }
}

/// Every `{{slot}}` of a template must be known.
fn check_slots(setting: &str, template: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!(
                "sms.provider.http.{setting} has a {{{{ without its }}}}"
            ));
        };
        let slot = after[..end].trim();
        let known = SLOTS.contains(&slot)
            || slot
                .strip_prefix("var")
                .is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n >= 1));
        if !known {
            return Err(format!(
                "sms.provider.http.{setting} has an unknown slot {{{{{slot}}}}} (known: {}, \
                 var1, var2, …)",
                SLOTS.join(", ")
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

fn escape_value(value: &str, escape: Escape) -> String {
    match escape {
        Escape::Url => percent_encode(value),
        Escape::Form => url::form_urlencoded::byte_serialize(value.as_bytes()).collect(),
        Escape::Json => {
            let quoted = Value::String(value.to_string()).to_string();
            quoted[1..quoted.len() - 1].to_string()
        }
        Escape::Raw => value.to_string(),
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters: safe in a path and in a query.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_where_they_stand() {
        assert_eq!(escape_value("a b/ü&", Escape::Url), "a%20b%2F%C3%BC%26");
        assert_eq!(escape_value("a b/ü&", Escape::Form), "a+b%2F%C3%BC%26");
        assert_eq!(
            escape_value("say \"hi\"\n", Escape::Json),
            "say \\\"hi\\\"\\n"
        );
        assert_eq!(escape_value("नमस्ते", Escape::Json), "नमस्ते");
    }

    #[test]
    fn slots_are_checked() {
        assert!(check_slots("body", "{{to}} {{text}} {{var12}} {{ secret }}").is_ok());
        assert!(check_slots("body", "{{var0}}").is_err());
        assert!(check_slots("body", "{{password}}").is_err());
        assert!(check_slots("body", "{{to").is_err());
    }

    #[test]
    fn error_values_count_when_set() {
        assert!(!truthy(&Value::Null));
        assert!(!truthy(&serde_json::json!(0)));
        assert!(!truthy(&serde_json::json!("")));
        assert!(truthy(&serde_json::json!("bad number")));
        assert!(truthy(&serde_json::json!(true)));
    }
}
