//! "Needs your decision" (issue 28, item 4): a form filled in on a phone without a signal
//! may reach a record that changed meanwhile (a task completed by someone else, a breakdown
//! closed, a household disconnected). Nothing is overwritten silently: the request is refused
//! with [`AppError::Changed`], carrying the server's version and the choices, rendered by
//! `web::errors` as problem+json (`conflict` member) or as a page with a button per choice.
//! The same form sent again with `on_conflict=<choice>` (and the same idempotency key: a
//! refused request never claims it) applies the choice.

use crate::error::AppError;
use crate::web::i18n::Lang;
use actix_web::HttpRequest;
use chrono::NaiveDateTime;
use serde_json::{Map, Value};

/// The header with the device's time of its last fetch of the record it acted on (RFC 3339).
pub const SEEN_AT_HEADER: &str = "Paani-Seen-At";
/// The form (or JSON) field with the user's choice.
pub const CHOICE_FIELD: &str = "on_conflict";

/// What changed meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    TaskDone,
    BreakdownClosed,
    HouseholdDisconnected,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::TaskDone => "task_done",
            ChangeKind::BreakdownClosed => "breakdown_closed",
            ChangeKind::HouseholdDisconnected => "household_disconnected",
        }
    }

    /// The translation key of the problem's detail.
    pub fn detail_key(self) -> &'static str {
        match self {
            ChangeKind::TaskDone => "conflict-task-done",
            ChangeKind::BreakdownClosed => "conflict-breakdown-closed",
            ChangeKind::HouseholdDisconnected => "conflict-household-disconnected",
        }
    }

    /// The choices offered besides dropping the device's version.
    pub fn choices(self) -> [Choice; 2] {
        match self {
            ChangeKind::TaskDone | ChangeKind::BreakdownClosed => {
                [Choice::Discard, Choice::KeepBoth]
            }
            ChangeKind::HouseholdDisconnected => [Choice::Discard, Choice::SendAnyway],
        }
    }
}

/// What the user chose for a changed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Drop the device's version (nothing is sent; the server keeps its own).
    Discard,
    /// Keep the server's version and add the device's beside it.
    KeepBoth,
    /// Record the device's version all the same.
    SendAnyway,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Discard => "discard",
            Choice::KeepBoth => "keep_both",
            Choice::SendAnyway => "send_anyway",
        }
    }

    pub fn parse(s: &str) -> Option<Choice> {
        [Choice::Discard, Choice::KeepBoth, Choice::SendAnyway]
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }
}

/// A value in the one-line summary: text as it is, or a message key said in the reader's
/// language.
#[derive(Debug, Clone)]
pub enum Said {
    Text(String),
    Key(String),
}

/// The server's version of a changed record and what the user may do about it.
#[derive(Debug, Clone)]
pub struct Changed {
    pub kind: ChangeKind,
    /// The one-line summary's message key and its arguments.
    pub summary_key: &'static str,
    pub summary_args: Vec<(&'static str, Said)>,
    /// Where the record is seen.
    pub url: String,
    /// The fields that matter (state, done_on, by, status…), as they are now.
    pub fields: Map<String, Value>,
    /// The page form's fields as sent, for the no-JavaScript page's buttons (set by the
    /// page's handler; empty for the API).
    pub form: Vec<(String, String)>,
}

impl Changed {
    pub fn new(kind: ChangeKind, summary_key: &'static str, url: String) -> Changed {
        Changed {
            kind,
            summary_key,
            summary_args: vec![],
            url,
            fields: Map::new(),
            form: vec![],
        }
    }

    /// An argument of the summary, as text.
    pub fn text(mut self, name: &'static str, v: impl Into<String>) -> Changed {
        self.summary_args.push((name, Said::Text(v.into())));
        self
    }

    /// An argument of the summary, as a message key.
    pub fn word(mut self, name: &'static str, key: impl Into<String>) -> Changed {
        self.summary_args.push((name, Said::Key(key.into())));
        self
    }

    /// A field of the server's version.
    pub fn field(mut self, name: &str, v: impl serde::Serialize) -> Changed {
        self.fields.insert(
            name.to_string(),
            serde_json::to_value(v).unwrap_or(Value::Null),
        );
        self
    }

    pub fn into_error(self) -> AppError {
        AppError::Changed(Box::new(self))
    }

    /// The summary in `lang`.
    pub fn summary(&self, i18n: &crate::web::i18n::I18n, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .summary_args
            .iter()
            .map(|(k, v)| {
                let s = match v {
                    Said::Text(t) => t.clone(),
                    Said::Key(key) => i18n.t(lang, key, &[]),
                };
                (*k, s)
            })
            .collect();
        i18n.t(lang, self.summary_key, &args)
    }

    /// The `conflict` member of the problem document.
    pub fn to_json(&self, i18n: &crate::web::i18n::I18n, lang: Lang) -> Value {
        let mut current = self.fields.clone();
        current.insert("summary".into(), Value::String(self.summary(i18n, lang)));
        current.insert("url".into(), Value::String(self.url.clone()));
        serde_json::json!({
            "kind": self.kind.as_str(),
            "current": current,
            "choices": self.kind.choices().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        })
    }

    /// Keep the page form's fields (less the CSRF token and an earlier choice) for the
    /// page's buttons.
    pub fn with_form<'a>(mut self, fields: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        self.form = fields
            .into_iter()
            .filter(|(k, _)| *k != "_csrf" && *k != CHOICE_FIELD)
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        self
    }
}

/// A page handler's error, with the form's fields kept on a [`Changed`] one.
pub fn keep_form<'a>(e: AppError, fields: impl IntoIterator<Item = (&'a str, String)>) -> AppError {
    match e {
        AppError::Changed(c) => c.with_form(fields).into_error(),
        other => other,
    }
}

/// A page form's fields as sent (a form struct serialized; empty and non-text values left
/// out), for [`keep_form`].
pub fn form_fields<T: serde::Serialize>(form: &T) -> Vec<(String, String)> {
    let Ok(Value::Object(m)) = serde_json::to_value(form) else {
        return vec![];
    };
    m.into_iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) if !s.is_empty() => Some((k, s)),
            _ => None,
        })
        .collect()
}

/// What a resent form brings about a record that may have changed: when the device last
/// fetched it, and the user's choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resend {
    pub seen_at: Option<NaiveDateTime>,
    pub choice: Option<Choice>,
}

impl Resend {
    /// From the request's `Paani-Seen-At` header and the sent `on_conflict` value.
    pub fn from_request(req: &HttpRequest, on_conflict: &str) -> Resend {
        let seen_at = req
            .headers()
            .get(SEEN_AT_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc3339(v.trim()).ok())
            .map(|t| t.naive_utc());
        Resend {
            seen_at,
            choice: Choice::parse(on_conflict),
        }
    }

    /// From an API request: the choice is the JSON body's `on_conflict` member (taken out
    /// of the body).
    pub fn from_json(req: &HttpRequest, body: &mut Value) -> Resend {
        let choice = body
            .as_object_mut()
            .and_then(|m| m.remove(CHOICE_FIELD))
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Resend::from_request(req, &choice)
    }

    /// Whether the user chose `c`.
    pub fn chose(&self, c: Choice) -> bool {
        self.choice == Some(c)
    }
}
