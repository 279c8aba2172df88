//! How an SMS leaves Paani: one [`SmsTransport`] per provider.
//!
//! The outbox (in `crate::sms`) renders a message, checks it against its DLT template and
//! hands the result to the configured transport as an [`OutgoingSms`]. A transport makes one
//! try and says whether a failure is worth retrying; the outbox does the retries, the backoff,
//! the quiet hours and the caps. A transport never logs a secret, and the error text it returns
//! is shown to admins, so it carries no credentials either.
//!
//! Transports: `log` and `file` (local, the embedded default), `msg91`, `exotel` and `http`
//! (a generic template for any other provider). A WhatsApp Business transport would be one more
//! implementation of the same trait.

pub mod local;

use crate::config::Secret;
use serde::{Deserialize, Serialize};

pub(crate) mod client;
pub mod exotel;
pub mod http_template;
pub mod msg91;

/// One message, rendered and matched to its approved template, ready for a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingSms {
    /// The outbox row's id: our reference, sent where a provider accepts one.
    pub outbox_id: i64,
    /// The number in international form without `+`: `919812345678`.
    pub to: String,
    /// The full text, the approved template with its `{#var#}` slots filled.
    pub text: String,
    /// Hindi and other non-Latin text goes as Unicode (UCS-2).
    pub unicode: bool,
    /// The DLT template id the text was matched against.
    pub dlt_template_id: String,
    /// Paani's message key (`receipt`, `complaint_filed`, …).
    pub key: String,
    /// The slot values in template order, for providers that take variables rather than text.
    pub variables: Vec<String>,
    /// A provider's own id for this template (MSG91's flow template id), when it needs one.
    pub provider_template_id: Option<String>,
}

/// The sender identity registered on DLT.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dlt {
    /// The principal entity id.
    pub entity_id: String,
    /// The 3–6 letter header (sender id).
    pub sender_id: String,
}

/// A provider took the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The provider's id for the message, matched by its delivery reports.
    pub provider_id: String,
    /// What the provider says it costs, in paise, when it says.
    pub cost_paise: Option<i64>,
}

/// A try that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SendError {
    /// Worth another try later (timeouts, 5xx, rate limits), or not (a rejected number or
    /// template: retrying would fail the same way).
    pub retryable: bool,
    /// For admins; never a secret.
    pub message: String,
}

/// What a delivery report says of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Delivered,
    Failed,
    /// Still on its way (queued, sent to the operator).
    Pending,
}

/// One delivery report, parsed from a provider's callback.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryReport {
    pub provider_id: String,
    pub status: DeliveryStatus,
    /// The provider's reason when failed.
    pub detail: Option<String>,
}

/// A provider's callback as it arrived: what the web layer hands to the transport.
#[derive(Debug, Clone, Default)]
pub struct Callback {
    pub query: Vec<(String, String)>,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Sends SMS through one provider.
pub trait SmsTransport: Send + Sync {
    /// The name used in config (`sms.transport`) and stored on each outbox row.
    fn name(&self) -> &'static str;
    /// One try.
    fn send(&self, sms: &OutgoingSms, dlt: &Dlt) -> Result<Accepted, SendError>;
    /// Reads a delivery-report callback; an error is a callback we could not read (answered 400).
    fn delivery_reports(&self, callback: &Callback) -> Result<Vec<DeliveryReport>, String>;
}

/// The providers' settings: `[sms.provider]`, `[sms.provider.msg91]`, `[sms.provider.exotel]`,
/// `[sms.provider.http]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderSettings {
    pub msg91: Msg91Settings,
    pub exotel: ExotelSettings,
    pub http: HttpTemplateSettings,
    /// Seconds to wait for a provider before a try counts as failed (and retryable); 0 = 10.
    pub timeout_seconds: u64,
    /// The `file` transport's folder: `sms.file_dir`, set by the outbox (not read from
    /// `[sms.provider]`).
    #[serde(skip)]
    pub file_dir: String,
}

/// MSG91's flow API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Msg91Settings {
    /// `https://control.msg91.com` unless a test points it elsewhere.
    pub base_url: String,
    pub auth_key: Secret,
    /// The MSG91 template's variable names are this and the slot's number: `var1`, `var2`, …
    /// (empty = `var`).
    pub variable_prefix: String,
}

/// Exotel's SMS API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExotelSettings {
    /// `https://api.exotel.com` (Singapore cluster) or `https://api.in.exotel.com` (Mumbai).
    pub base_url: String,
    pub account_sid: String,
    pub api_key: String,
    pub api_token: Secret,
    /// `transactional` (empty), `transactional_opt_in` or `promotional`.
    pub sms_type: String,
    /// Sent as `StatusCallback`: the full URL of Paani's delivery-report route for Exotel,
    /// with its shared secret, so it is kept like one. Empty = no delivery reports.
    pub status_callback_url: Secret,
}

/// Any other provider: a URL, a method, headers and a body with `{{to}}`, `{{text}}`,
/// `{{dlt_template_id}}`, `{{entity_id}}`, `{{sender_id}}`, `{{unicode}}`, `{{outbox_id}}`
/// slots; where the provider's id for the message is found in its answer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpTemplateSettings {
    pub url: String,
    /// GET or POST.
    pub method: String,
    /// `application/json` or `application/x-www-form-urlencoded`.
    pub content_type: String,
    /// Extra headers; a value may name a secret as `{{secret}}`.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub secret: Secret,
    /// A JSON pointer (`/data/id`) to the provider's message id in its answer; empty = the
    /// outbox row's id is the provider id.
    pub id_pointer: String,
    /// A JSON pointer to an error in a 2xx answer (a value there that is not null, false, 0
    /// or "" is a rejection); empty = none.
    pub error_pointer: String,
    /// Where a delivery report carries the message id (`/id` when empty), its status
    /// (`/status`) and a reason (`/detail`); for a form or query report, the pointer's last
    /// part names the field.
    pub report_id_pointer: String,
    pub report_status_pointer: String,
    pub report_detail_pointer: String,
    /// Report statuses that mean delivered (`["delivered"]` when empty) and failed
    /// (`["failed", "undelivered", "rejected", "expired"]`); any other is pending.
    pub delivered_values: Vec<String>,
    pub failed_values: Vec<String>,
}

/// The transport named by `sms.transport`. Each transport adds its arm here (`log` and `file`
/// with the outbox; `msg91`, `exotel` and `http` with their adapters).
pub fn build(name: &str, settings: &ProviderSettings) -> Result<Box<dyn SmsTransport>, String> {
    let timeout = settings.timeout_seconds;
    match name {
        "msg91" => Ok(Box::new(msg91::Msg91::new(&settings.msg91, timeout)?)),
        "exotel" => Ok(Box::new(exotel::Exotel::new(&settings.exotel, timeout)?)),
        "http" => Ok(Box::new(http_template::HttpTemplate::new(
            &settings.http,
            timeout,
        )?)),
        "log" => Ok(Box::new(local::LogTransport)),
        "file" => Ok(Box::new(local::FileTransport {
            dir: settings.file_dir.clone().into(),
        })),
        _ => Err(format!("unknown SMS transport {name:?}")),
    }
}
