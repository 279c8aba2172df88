//! MSG91's flow API (`sms.transport = "msg91"`).
//!
//! Documentation this adapter follows (links only; where they disagree, the newer wins):
//! - Send SMS (flow / template API): <https://docs.msg91.com/sms/send-sms> — that page could
//!   not be read from here; its fields (`template_id`, `short_url`, `recipients`) are taken
//!   from the older page <https://control.msg91.com/apidoc/textsms/send-sms-flow.php> (which
//!   also documents `sender`, `unicode` and the answer) and from clients that cite it.
//! - Map a DLT template to an MSG91 template:
//!   <https://msg91.com/help/dlt-registration-in-india/map-sms-content-template-on-msg91-api-panel>
//! - Delivery reports on a webhook (versions v2, v3 and "Webhook (New)"):
//!   <https://msg91.com/help/how-can-i-get-the-delivery-reports-on-my-webhook-url> and
//!   <https://msg91.com/help/webhook-new/how-to-receive-sms-delivery-reports-via-webhook-new>
//! - API security (IP whitelisting answers 418): <https://msg91.com/help/api>
//!
//! The request: `POST {base_url}/api/v5/flow` with the header `authkey`, JSON
//! `{"template_id", "short_url": "0", "sender", "unicode", "recipients": [{"mobiles", "var1", …}]}`.
//! The DLT template id is not a field of this API: MSG91 ties it to its own template (the
//! `provider_template_id` of each message key), so the message key must have one. The
//! variables go by name as the MSG91 template names them; Paani names them `var1`, `var2`, …
//! in slot order (`variable_prefix` changes `var`), so write the MSG91 template with
//! `##var1##`, `##var2##`, …. Text is JSON (UTF-8): Hindi goes as it is, and `unicode: 1` is
//! sent as the older page asks.
//!
//! The answer: `{"type": "success", "message": "<request id>"}`; the request id is what the
//! delivery reports carry (`requestId`). A failure is `{"type": "error", "message": "…"}` — the
//! documentation shows no HTTP status for it and MSG91 has been seen to send it with 200, so
//! the body's `type` decides, and then the status (5xx and 429 retryable). MSG91 gives no
//! price in its answer: `cost_paise` stays empty.
//!
//! Delivery reports: the documented webhook v2 (a form with one field `data`, a JSON text of
//! `[{"requestId", "report": [{"number", "status", "desc", "failedReason"}]}]`; also read from
//! the query of a GET), v3 (one JSON object `{"requestId", "number", "status", "desc"}`, or an
//! array of them) and the new webhook's JSON (`requestId`, `status`, `telNum`,
//! `failureReason`). Status codes as documented: 1 delivered; 2 failed, 9 NDNC, 16 and 25
//! rejected, 17 blocked number → failed. The pages list no other code; any other code or word
//! is taken as still pending (its description kept).

use super::client::{self, json_text, Client, Method, Request};
use super::{
    Accepted, Callback, DeliveryReport, DeliveryStatus, Dlt, Msg91Settings, OutgoingSms, SendError,
    SmsTransport,
};
use serde_json::{json, Map, Value};

/// The documented host.
pub const DEFAULT_BASE_URL: &str = "https://control.msg91.com";

pub struct Msg91 {
    url: String,
    auth_key: String,
    variable_prefix: String,
    client: Client,
}

impl Msg91 {
    pub fn new(settings: &Msg91Settings, timeout_seconds: u64) -> Result<Self, String> {
        if settings.auth_key.is_empty() {
            return Err("sms.provider.msg91.auth_key is not set".into());
        }
        let base = if settings.base_url.trim().is_empty() {
            DEFAULT_BASE_URL
        } else {
            settings.base_url.trim()
        };
        let base = base.trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(format!(
                "sms.provider.msg91.base_url must start with https:// (it is {base:?})"
            ));
        }
        let variable_prefix = if settings.variable_prefix.is_empty() {
            "var".to_string()
        } else {
            settings.variable_prefix.clone()
        };
        Ok(Msg91 {
            url: format!("{base}/api/v5/flow"),
            auth_key: settings.auth_key.expose().to_string(),
            variable_prefix,
            client: Client::new(
                "MSG91",
                timeout_seconds,
                vec![settings.auth_key.expose().to_string()],
            ),
        })
    }

    /// The JSON body for one message.
    fn body(&self, sms: &OutgoingSms, dlt: &Dlt, template_id: &str) -> Value {
        let mut recipient = Map::new();
        recipient.insert("mobiles".into(), Value::String(sms.to.clone()));
        for (i, value) in sms.variables.iter().enumerate() {
            recipient.insert(
                format!("{}{}", self.variable_prefix, i + 1),
                Value::String(value.clone()),
            );
        }
        let mut body = Map::new();
        body.insert("template_id".into(), json!(template_id));
        body.insert("short_url".into(), json!("0"));
        if !dlt.sender_id.is_empty() {
            body.insert("sender".into(), json!(dlt.sender_id));
        }
        body.insert("unicode".into(), json!(i32::from(sms.unicode)));
        body.insert(
            "recipients".into(),
            Value::Array(vec![Value::Object(recipient)]),
        );
        Value::Object(body)
    }
}

impl SmsTransport for Msg91 {
    fn name(&self) -> &'static str {
        "msg91"
    }

    fn send(&self, sms: &OutgoingSms, dlt: &Dlt) -> Result<Accepted, SendError> {
        let Some(template_id) = sms
            .provider_template_id
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        else {
            return Err(SendError {
                retryable: false,
                message: format!(
                    "MSG91 needs its own template id for message key {:?} \
                     (provider_template_id in config/sms_templates.toml)",
                    sms.key
                ),
            });
        };
        let body =
            serde_json::to_vec(&self.body(sms, dlt, template_id)).map_err(|e| SendError {
                retryable: false,
                message: format!("MSG91: the request could not be written: {e}"),
            })?;
        let headers = [
            ("authkey".to_string(), self.auth_key.clone()),
            ("accept".to_string(), "application/json".to_string()),
        ];
        let answer = self.client.call(Request {
            method: Method::Post,
            url: &self.url,
            headers: &headers,
            body: Some(("application/json", body)),
        })?;
        let parsed: Option<Value> = serde_json::from_str(&answer.body).ok();
        let kind = parsed
            .as_ref()
            .and_then(|v| v.get("type"))
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let message = parsed
            .as_ref()
            .and_then(|v| v.get("message"))
            .map(|m| match m {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        let success = (200..300).contains(&answer.status);
        match (success, kind.as_deref(), message) {
            (true, Some("success"), Some(id)) if !id.trim().is_empty() => Ok(Accepted {
                provider_id: id.trim().to_string(),
                cost_paise: None,
            }),
            (true, Some("error"), reason) => {
                // A rejection in a 200: the request was read and refused.
                Err(SendError {
                    retryable: false,
                    message: self.client.scrub(&format!(
                        "MSG91 refused the message: {}",
                        client::shorten(reason.as_deref().unwrap_or("(no reason given)"))
                    )),
                })
            }
            (true, _, _) => Err(SendError {
                // Taken or not, we cannot tell: trying again could send it twice.
                retryable: false,
                message: self.client.scrub(&format!(
                    "MSG91 answered HTTP {} without a request id ({}); it may have been sent, \
                     so it is not tried again",
                    answer.status,
                    client::shorten(&answer.body)
                )),
            }),
            (false, _, reason) => Err(self.client.rejected(
                answer.status,
                Some(reason.as_deref().unwrap_or(answer.body.as_str())),
            )),
        }
    }

    fn delivery_reports(&self, callback: &Callback) -> Result<Vec<DeliveryReport>, String> {
        let mut reports = Vec::new();
        if client::is_json(&callback.content_type) {
            let value: Value = serde_json::from_slice(&callback.body)
                .map_err(|e| format!("MSG91's report is not JSON: {e}"))?;
            collect(&value, &mut reports)?;
        } else {
            let fields = client::callback_fields(callback)?;
            if let Some(data) = client::field(&fields, "data") {
                let value: Value = serde_json::from_str(data)
                    .map_err(|e| format!("MSG91's report field data is not JSON: {e}"))?;
                collect(&value, &mut reports)?;
            } else if client::field(&fields, "requestId").is_some() {
                let object: Map<String, Value> = fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                collect(&Value::Object(object), &mut reports)?;
            } else if !callback.body.is_empty() {
                // A JSON body sent without its content type.
                let value: Value = serde_json::from_slice(&callback.body).map_err(|_| {
                    "MSG91's report has neither a data field nor a JSON body".to_string()
                })?;
                collect(&value, &mut reports)?;
            } else {
                return Err("MSG91's report is empty".into());
            }
        }
        Ok(reports)
    }
}

/// Reads one report object, or an array of them, into `out`.
fn collect(value: &Value, out: &mut Vec<DeliveryReport>) -> Result<(), String> {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, out)?;
            }
            Ok(())
        }
        Value::Object(object) => {
            let Some(request_id) = object.get("requestId").and_then(json_text) else {
                return Err("MSG91's report has no requestId".into());
            };
            match object.get("report") {
                // v2: one entry per number of the request; Paani sends one number per request.
                Some(Value::Array(entries)) => {
                    for entry in entries {
                        out.push(report(&request_id, entry));
                    }
                }
                _ => out.push(report(&request_id, value)),
            }
            Ok(())
        }
        _ => Err("MSG91's report is neither an object nor an array".into()),
    }
}

fn report(request_id: &str, entry: &Value) -> DeliveryReport {
    let status = entry.get("status").and_then(json_text).unwrap_or_default();
    let desc = entry
        .get("desc")
        .or_else(|| entry.get("description"))
        .and_then(json_text);
    let reason = entry
        .get("failedReason")
        .or_else(|| entry.get("failureReason"))
        .and_then(json_text)
        .filter(|r| !r.trim().is_empty());
    let status = classify(&status);
    let detail = match status {
        DeliveryStatus::Delivered => None,
        _ => match (desc, reason) {
            (Some(d), Some(r)) => Some(format!("{d}: {r}")),
            (d, r) => d.or(r),
        },
    };
    DeliveryReport {
        provider_id: request_id.to_string(),
        status,
        detail,
    }
}

/// MSG91's documented status codes, and the words its newer webhook may carry.
fn classify(status: &str) -> DeliveryStatus {
    match status.trim().to_ascii_lowercase().as_str() {
        "1" | "delivered" => DeliveryStatus::Delivered,
        "2" | "9" | "16" | "17" | "25" | "failed" | "rejected" | "ndnc" | "blocked" => {
            DeliveryStatus::Failed
        }
        _ => DeliveryStatus::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_as_documented() {
        assert_eq!(classify("1"), DeliveryStatus::Delivered);
        for failed in ["2", "9", "16", "17", "25", "Failed"] {
            assert_eq!(classify(failed), DeliveryStatus::Failed, "{failed}");
        }
        assert_eq!(classify("8"), DeliveryStatus::Pending);
        assert_eq!(classify(""), DeliveryStatus::Pending);
    }
}
