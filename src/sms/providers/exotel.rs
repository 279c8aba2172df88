//! Exotel's SMS API (`sms.transport = "exotel"`).
//!
//! Documentation read for this adapter (links only):
//! - Send SMS: <https://developer.exotel.com/api/sms> and its console page
//!   <https://developer.exotel.com/api-console/send-sms-api-console> (the status callback's
//!   fields), and <https://developer.exotel.com/docs/sms-api/api-reference/send-sms>
//!   (`DltEntityId`, `DltTemplateId`, `SmsType`, `CustomField`).
//! - The answer's shape (`SMSMessage`): <https://developer.exotel.com/api/sms-details>
//! - Errors (HTTP status decides; `RestException` with `Status` and `Message`):
//!   <https://support.exotel.com/support/solutions/articles/48282-sending-an-sms>
//!
//! The request: `POST {base_url}/v1/Accounts/{account_sid}/Sms/send.json` (`.json` asks for a
//! JSON answer), HTTP basic authentication with the API key and token (the documentation
//! writes them into the URL; this is the same thing as a header), an
//! `application/x-www-form-urlencoded` body with `From` (the DLT header), `To` (E.164, `+91…`),
//! `Body` (the whole text, percent-encoded UTF-8), `EncodingType` (`unicode` for Hindi, else
//! `plain`), `SmsType` (`transactional` unless configured), `DltEntityId`, `DltTemplateId`,
//! `CustomField` (the outbox row's id) and `StatusCallback` when configured.
//!
//! The answer: `{"SMSMessage": {"Sid", "Status", "Price", "DetailedStatus", …}}` with 200; an
//! error is any other status with `RestException` (`Status`, `Message`) — JSON for `.json`,
//! XML otherwise; both are read. The documentation says to rely on the HTTP status: 400 and
//! 403 (bad parameters, inactive account, no balance) are not retried, 429 and 5xx are.
//! `Price` (rupees), when the answer has one, becomes `cost_paise`.
//!
//! Delivery reports: the status callback is a form POST (`SmsSid`, `To`, `Status`,
//! `SmsUnits`, `DetailedStatus`, `DetailedStatusCode`, `DateSent`, `CustomField`); `Status` is
//! one of queued, sending, submitted, sent, failed_dnd, failed. Exotel calls it when the
//! message reaches a terminal state; `sent` is its word for delivered to the handset. The
//! same fields in a GET's query are read too.

use super::client::{self, Client, Method, Request};
use super::{
    Accepted, Callback, DeliveryReport, DeliveryStatus, Dlt, ExotelSettings, OutgoingSms,
    SendError, SmsTransport,
};
use base64::Engine;
use serde_json::Value;

/// The Singapore cluster; the Mumbai cluster is `https://api.in.exotel.com`.
pub const DEFAULT_BASE_URL: &str = "https://api.exotel.com";

pub struct Exotel {
    url: String,
    authorization: String,
    sms_type: String,
    status_callback: String,
    client: Client,
}

impl Exotel {
    pub fn new(settings: &ExotelSettings, timeout_seconds: u64) -> Result<Self, String> {
        for (value, key) in [
            (settings.account_sid.as_str(), "account_sid"),
            (settings.api_key.as_str(), "api_key"),
            (settings.api_token.expose(), "api_token"),
        ] {
            if value.trim().is_empty() {
                return Err(format!("sms.provider.exotel.{key} is not set"));
            }
        }
        let base = if settings.base_url.trim().is_empty() {
            DEFAULT_BASE_URL
        } else {
            settings.base_url.trim()
        };
        let mut url = url::Url::parse(base)
            .map_err(|e| format!("sms.provider.exotel.base_url is not a URL ({base:?}): {e}"))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err("sms.provider.exotel.base_url must start with https://".into());
        }
        url.path_segments_mut()
            .map_err(|_| "sms.provider.exotel.base_url cannot take a path".to_string())?
            .pop_if_empty()
            .extend([
                "v1",
                "Accounts",
                settings.account_sid.trim(),
                "Sms",
                "send.json",
            ]);
        let credentials = format!("{}:{}", settings.api_key, settings.api_token.expose());
        let sms_type = if settings.sms_type.trim().is_empty() {
            "transactional".to_string()
        } else {
            settings.sms_type.trim().to_string()
        };
        if !matches!(
            sms_type.as_str(),
            "transactional" | "transactional_opt_in" | "promotional"
        ) {
            return Err(format!(
                "sms.provider.exotel.sms_type must be transactional, transactional_opt_in or \
                 promotional (it is {sms_type:?})"
            ));
        }
        Ok(Exotel {
            url: url.to_string(),
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
            sms_type,
            status_callback: settings.status_callback_url.expose().trim().to_string(),
            client: Client::new(
                "Exotel",
                timeout_seconds,
                vec![
                    settings.api_token.expose().to_string(),
                    settings.status_callback_url.expose().to_string(),
                ],
            ),
        })
    }

    /// The form's fields, in the order the documentation lists them.
    fn form(&self, sms: &OutgoingSms, dlt: &Dlt) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("From", dlt.sender_id.clone()),
            ("To", client::e164(&sms.to)),
            ("Body", sms.text.clone()),
            (
                "EncodingType",
                if sms.unicode { "unicode" } else { "plain" }.to_string(),
            ),
            ("SmsType", self.sms_type.clone()),
            ("DltEntityId", dlt.entity_id.clone()),
            ("DltTemplateId", sms.dlt_template_id.clone()),
            ("CustomField", sms.outbox_id.to_string()),
        ];
        if !self.status_callback.is_empty() {
            form.push(("StatusCallback", self.status_callback.clone()));
        }
        form
    }
}

impl SmsTransport for Exotel {
    fn name(&self) -> &'static str {
        "exotel"
    }

    fn send(&self, sms: &OutgoingSms, dlt: &Dlt) -> Result<Accepted, SendError> {
        let body = serde_urlencoded::to_string(self.form(sms, dlt)).map_err(|e| SendError {
            retryable: false,
            message: format!("Exotel: the request could not be written: {e}"),
        })?;
        let headers = [
            ("Authorization".to_string(), self.authorization.clone()),
            ("Accept".to_string(), "application/json".to_string()),
        ];
        let answer = self.client.call(Request {
            method: Method::Post,
            url: &self.url,
            headers: &headers,
            body: Some(("application/x-www-form-urlencoded", body.into_bytes())),
        })?;
        let parsed: Option<Value> = serde_json::from_str(&answer.body).ok();
        if !(200..300).contains(&answer.status) {
            let reason = parsed
                .as_ref()
                .and_then(|v| v.pointer("/RestException/Message"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| xml_message(&answer.body));
            return Err(self.client.rejected(
                answer.status,
                Some(reason.as_deref().unwrap_or(&answer.body)),
            ));
        }
        let message = parsed.as_ref().and_then(|v| v.get("SMSMessage"));
        let sid = message
            .and_then(|m| m.get("Sid"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let Some(sid) = sid else {
            return Err(SendError {
                // Taken or not, we cannot tell: trying again could send it twice.
                retryable: false,
                message: self.client.scrub(&format!(
                    "Exotel answered HTTP {} without an SMS Sid ({}); it may have been sent, \
                     so it is not tried again",
                    answer.status,
                    client::shorten(&answer.body)
                )),
            });
        };
        let status = message
            .and_then(|m| m.get("Status"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if matches!(status, "failed" | "failed_dnd") {
            let detail = message
                .and_then(|m| m.get("DetailedStatus"))
                .and_then(Value::as_str)
                .unwrap_or(status);
            return Err(SendError {
                retryable: false,
                message: self.client.scrub(&format!(
                    "Exotel refused the message ({}): {}",
                    client::shorten(status),
                    client::shorten(detail)
                )),
            });
        }
        Ok(Accepted {
            provider_id: sid.to_string(),
            cost_paise: message
                .and_then(|m| m.get("Price"))
                .and_then(client::rupees_to_paise),
        })
    }

    fn delivery_reports(&self, callback: &Callback) -> Result<Vec<DeliveryReport>, String> {
        let fields = client::callback_fields(callback)?;
        let Some(sid) = client::field(&fields, "SmsSid").filter(|s| !s.trim().is_empty()) else {
            return Err("Exotel's status callback has no SmsSid".into());
        };
        let Some(status) = client::field(&fields, "Status") else {
            return Err("Exotel's status callback has no Status".into());
        };
        let status_word = status.trim().to_ascii_lowercase();
        let status = match status_word.as_str() {
            "sent" => DeliveryStatus::Delivered,
            "failed" | "failed_dnd" => DeliveryStatus::Failed,
            _ => DeliveryStatus::Pending,
        };
        let detail = match status {
            DeliveryStatus::Delivered => None,
            _ => {
                let detailed = client::field(&fields, "DetailedStatus")
                    .map(str::trim)
                    .filter(|d| !d.is_empty());
                let code = client::field(&fields, "DetailedStatusCode")
                    .map(str::trim)
                    .filter(|c| !c.is_empty());
                Some(match (detailed, code) {
                    (Some(d), Some(c)) => format!("{status_word}: {d} ({c})"),
                    (Some(d), None) => format!("{status_word}: {d}"),
                    (None, Some(c)) => format!("{status_word} ({c})"),
                    (None, None) => status_word.clone(),
                })
            }
        };
        Ok(vec![DeliveryReport {
            provider_id: sid.trim().to_string(),
            status,
            detail,
        }])
    }
}

/// `<Message>…</Message>` of an XML `RestException`.
fn xml_message(body: &str) -> Option<String> {
    let start = body.find("<Message>")? + "<Message>".len();
    let end = body[start..].find("</Message>")? + start;
    Some(body[start..end].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_errors_are_read() {
        let body = "<TwilioResponse><RestException><Status>403</Status>\
                    <Message>Insufficient balance</Message></RestException></TwilioResponse>";
        assert_eq!(xml_message(body).as_deref(), Some("Insufficient balance"));
        assert_eq!(xml_message("nothing"), None);
    }
}
