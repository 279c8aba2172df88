//! The audit log: who did what to which record, and when. Every create, update,
//! deactivation and log-in/log-out writes one row; admins browse and filter it.
//!
//! Here: the kinds of record and the actions the log names, who did it ([`By`]) and what the
//! row says ([`Detail`]: a message and its arguments, shown in the reader's language); the
//! rows and the filtered list in `model`; [`audited`] in `service`, the one way a use case
//! writes: its changes and their audit rows in one transaction; `/admin/audit` and its CSV in
//! `pages`. No JSON endpoints: no `api.rs`.

pub mod model;
pub mod pages;
pub mod service;

pub use model::{AuditEntry, AuditFilter};
pub use service::{audited, Log};

use crate::auth::Actor;
use crate::web::i18n::{format_date, format_money, Exact, I18n, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of record the log names (each has an `audit-entity-…` message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Place,
    User,
    Session,
    ApiToken,
    Scheme,
    Asset,
    Plan,
    Task,
    Work,
    Breakdown,
    Household,
    TariffPlan,
    DemandRun,
    Payment,
    CashbookEntry,
    Committee,
    Meeting,
    ActionItem,
    SupplyLog,
    SupplySchedule,
    SamplingPoint,
    WaterTester,
    WaterSample,
    HarGharJal,
    SupplyDevice,
    WaterIncident,
    SanitaryInspection,
    WaterKitBatch,
    ReceiptBook,
}

impl Entity {
    pub const ALL: [Entity; 29] = [
        Entity::Place,
        Entity::User,
        Entity::Session,
        Entity::ApiToken,
        Entity::Scheme,
        Entity::Asset,
        Entity::Plan,
        Entity::Task,
        Entity::Work,
        Entity::Breakdown,
        Entity::Household,
        Entity::TariffPlan,
        Entity::DemandRun,
        Entity::Payment,
        Entity::CashbookEntry,
        Entity::Committee,
        Entity::Meeting,
        Entity::ActionItem,
        Entity::SupplyLog,
        Entity::SupplySchedule,
        Entity::SamplingPoint,
        Entity::WaterTester,
        Entity::WaterSample,
        Entity::HarGharJal,
        Entity::SupplyDevice,
        Entity::WaterIncident,
        Entity::SanitaryInspection,
        Entity::WaterKitBatch,
        Entity::ReceiptBook,
    ];

    /// The text stored in the log.
    pub const fn as_str(self) -> &'static str {
        match self {
            Entity::Place => "place",
            Entity::User => "user",
            Entity::Session => "session",
            Entity::ApiToken => "api_token",
            Entity::Scheme => "scheme",
            Entity::Asset => "asset",
            Entity::Plan => "plan",
            Entity::Task => "task",
            Entity::Work => "work",
            Entity::Breakdown => "breakdown",
            Entity::Household => "household",
            Entity::TariffPlan => "tariff_plan",
            Entity::DemandRun => "demand_run",
            Entity::Payment => "payment",
            Entity::CashbookEntry => "cashbook_entry",
            Entity::Committee => "committee",
            Entity::Meeting => "meeting",
            Entity::ActionItem => "action_item",
            Entity::SupplyLog => "supply_log",
            Entity::SupplySchedule => "supply_schedule",
            Entity::SamplingPoint => "sampling_point",
            Entity::WaterTester => "water_tester",
            Entity::WaterSample => "water_sample",
            Entity::HarGharJal => "har_ghar_jal",
            Entity::SupplyDevice => "supply_device",
            Entity::WaterIncident => "water_incident",
            Entity::SanitaryInspection => "sanitary_inspection",
            Entity::WaterKitBatch => "water_kit_batch",
            Entity::ReceiptBook => "receipt_book",
        }
    }

    pub fn parse(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Its translation key (`audit-entity-…`).
    pub fn label_key(self) -> String {
        format!("audit-entity-{}", self.as_str())
    }
}

/// The actions the log names (each has an `audit-action-…` message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Deactivate,
    Activate,
    Import,
    Login,
    Logout,
    LoginFailed,
    PasswordChange,
    PasswordReset,
    TokenIssue,
    TokenRevoke,
    StatusChange,
    Replace,
    Retire,
    Complete,
    Skip,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 18] = [
        Action::Create,
        Action::Update,
        Action::Deactivate,
        Action::Activate,
        Action::Import,
        Action::Login,
        Action::Logout,
        Action::LoginFailed,
        Action::PasswordChange,
        Action::PasswordReset,
        Action::TokenIssue,
        Action::TokenRevoke,
        Action::StatusChange,
        Action::Replace,
        Action::Retire,
        Action::Complete,
        Action::Skip,
        Action::Cancel,
    ];

    /// The text stored in the log.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Deactivate => "deactivate",
            Action::Activate => "activate",
            Action::Import => "import",
            Action::Login => "login",
            Action::Logout => "logout",
            Action::LoginFailed => "login_failed",
            Action::PasswordChange => "password_change",
            Action::PasswordReset => "password_reset",
            Action::TokenIssue => "token_issue",
            Action::TokenRevoke => "token_revoke",
            Action::StatusChange => "status_change",
            Action::Replace => "replace",
            Action::Retire => "retire",
            Action::Complete => "complete",
            Action::Skip => "skip",
            Action::Cancel => "cancel",
        }
    }

    /// Turning a record on or off.
    pub const fn switched(on: bool) -> Action {
        if on {
            Action::Activate
        } else {
            Action::Deactivate
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Its translation key (`audit-action-…`).
    pub fn label_key(self) -> String {
        format!("audit-action-{}", self.as_str())
    }
}

/// One thing that happened, added to a [`Log`] inside [`audited`].
pub struct Event {
    pub action: Action,
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub detail: Detail,
}

/// Who did what the log records, and from which address.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub(crate) actor: Option<&'a Actor>,
    /// Who, when no one is logged in.
    pub(crate) name: &'a str,
    pub(crate) ip: Option<&'a str>,
}

impl<'a> By<'a> {
    /// A logged-in actor, from this address.
    pub fn actor(actor: &'a Actor, ip: &'a str) -> By<'a> {
        By {
            actor: Some(actor),
            name: "",
            ip: Some(ip),
        }
    }

    /// The command line (`paani user …`): "cli", no address.
    pub fn cli() -> By<'static> {
        By {
            actor: None,
            name: "cli",
            ip: None,
        }
    }

    /// Someone not logged in yet (a log-in, a failed one, an API token asked for): the
    /// username, and the address.
    pub fn named(name: &'a str, ip: &'a str) -> By<'a> {
        By {
            actor: None,
            name,
            ip: Some(ip),
        }
    }
}

/// One argument of a [`Detail`], kept by kind so it is shown the reader's way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// What a person typed, or an identifier (a name, a reason, a receipt number): as it is.
    Text(String),
    /// A count: grouped digits (25,177), and it picks the plural form.
    Count(i64),
    /// Paise, as rupees (₹1,250.00).
    Money(i64),
    /// A day, DD-MM-YYYY.
    Date(NaiveDate),
    /// A month (its first day), by its name: "Apr 2026", "अप्रैल 2026".
    Month(NaiveDate),
    /// A word Paani has a message for (a role, a status): that message's key.
    Word(String),
    /// A code from one of the configurable lists (`list`: an asset, scheme or source kind),
    /// named by the list when shown ([`ListNames`]); the code itself if the list no longer
    /// has it.
    Listed { list: String, code: String },
    /// A record's name and its optional Hindi name (a place, a scheme, an asset): the name in
    /// the reader's language.
    Named {
        name: String,
        name_hi: Option<String>,
    },
}

/// The configurable lists' names in a language, for [`Arg::Listed`]: the catalogue of kinds
/// answers for its lists; `None` for a list or code it does not know.
pub trait ListNames: Send + Sync {
    fn name_of(&self, list: &str, code: &str, lang: Lang) -> Option<String>;
}

/// The lists the log's pages name codes by (the app factory adds it as a part).
#[derive(Clone)]
pub struct Lists(pub std::sync::Arc<dyn ListNames>);

/// What an audit row says: a message (`audit-detail-…` in the locales) and its arguments.
/// Stored as the key and a JSON object; rendered in the reader's language on the log's page,
/// and in English into the row's `summary` (the CSV, and rows from before details).
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub key: String,
    pub args: Vec<(String, Arg)>,
}

impl Detail {
    pub fn new(key: &str) -> Detail {
        Detail {
            key: key.to_string(),
            args: vec![],
        }
    }

    fn with(mut self, name: &str, arg: Arg) -> Detail {
        self.args.push((name.to_string(), arg));
        self
    }

    /// Text as typed (names, reasons, numbers that are identifiers).
    pub fn text(self, name: &str, value: impl Into<String>) -> Detail {
        self.with(name, Arg::Text(value.into()))
    }

    pub fn count(self, name: &str, n: impl TryInto<i64>) -> Detail {
        self.with(name, Arg::Count(n.try_into().unwrap_or(i64::MAX)))
    }

    pub fn money(self, name: &str, paise: i64) -> Detail {
        self.with(name, Arg::Money(paise))
    }

    pub fn date(self, name: &str, day: NaiveDate) -> Detail {
        self.with(name, Arg::Date(day))
    }

    pub fn month(self, name: &str, month: NaiveDate) -> Detail {
        self.with(name, Arg::Month(month))
    }

    /// A word said by its message `key` in the reader's language.
    pub fn word(self, name: &str, key: impl Into<String>) -> Detail {
        self.with(name, Arg::Word(key.into()))
    }

    /// A code of the configurable list `list`, named in the reader's language when shown.
    pub fn listed(self, name: &str, list: &str, code: &str) -> Detail {
        self.with(
            name,
            Arg::Listed {
                list: list.to_string(),
                code: code.to_string(),
            },
        )
    }

    /// A record's name with its optional Hindi name, shown in the reader's language.
    pub fn named(self, name: &str, value: &str, value_hi: Option<&str>) -> Detail {
        self.with(
            name,
            Arg::Named {
                name: value.to_string(),
                name_hi: value_hi.filter(|h| !h.trim().is_empty()).map(String::from),
            },
        )
    }

    /// The arguments as stored: a JSON object.
    pub fn args_json(&self) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .args
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect();
        serde_json::Value::Object(map).to_string()
    }

    /// A stored detail; `None` for rows without one (or arguments that do not read).
    pub fn stored(key: Option<&str>, args: Option<&str>) -> Option<Detail> {
        let key = key.filter(|k| !k.is_empty())?;
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(args.unwrap_or("{}")).ok()?;
        let args = map
            .into_iter()
            .map(|(k, v)| Some((k, serde_json::from_value(v).ok()?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Detail {
            key: key.to_string(),
            args,
        })
    }

    /// The detail in `lang`; codes of the configurable lists are named by `lists` (without
    /// it, shown as codes).
    pub fn render(&self, i18n: &I18n, lists: Option<&dyn ListNames>, lang: Lang) -> String {
        let args: Vec<(&str, Exact)> = self
            .args
            .iter()
            .map(|(k, a)| {
                let v = match a {
                    Arg::Text(t) => Exact::Text(t.clone()),
                    Arg::Count(n) => Exact::Number(*n as f64),
                    Arg::Money(p) => Exact::Text(format_money(*p)),
                    Arg::Date(d) => Exact::Text(format_date(*d)),
                    Arg::Month(m) => Exact::Text(i18n.month_label(lang, *m)),
                    Arg::Word(w) => Exact::Text(i18n.t(lang, w, &[])),
                    Arg::Listed { list, code } => Exact::Text(
                        lists
                            .and_then(|l| l.name_of(list, code, lang))
                            .unwrap_or_else(|| code.clone()),
                    ),
                    Arg::Named { name, name_hi } => Exact::Text(
                        crate::web::i18n::name_in(lang, name, name_hi.as_deref()).to_string(),
                    ),
                };
                (k.as_str(), v)
            })
            .collect();
        i18n.t_exact(lang, &self.key, &args)
    }

    /// The detail in English, for the row's `summary` (list codes as codes: the CSV names
    /// them again through the lists).
    pub fn english(&self) -> String {
        static ENGLISH: std::sync::OnceLock<Option<I18n>> = std::sync::OnceLock::new();
        match ENGLISH.get_or_init(|| I18n::load().ok()) {
            Some(i18n) => self.render(i18n, None, Lang::En),
            None => self.key.clone(),
        }
    }
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/audit",
    label: "nav-audit",
    verb: Some(crate::auth::Verb::ViewAudit),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_is_stored_and_read_back_whole() {
        let day = NaiveDate::from_ymd_opt(2026, 4, 15).unwrap();
        let d = Detail::new("audit-detail-demands-cancelled")
            .count("count", 25177)
            .month("month", day)
            .text("reason", "2026-12-15 1234567")
            .money("amount", 1234550)
            .date("day", day)
            .word("status", "breakdown-status-reported")
            .listed("kind", "asset_kind", "submersible_pump")
            .named("gp", "Banapura", Some("बानापुरा"));
        let back = Detail::stored(Some(&d.key), Some(&d.args_json())).unwrap();
        let sorted = |d: &Detail| {
            let mut a = d.args.clone();
            a.sort_by(|x, y| x.0.cmp(&y.0));
            a
        };
        assert_eq!(back.key, d.key);
        assert_eq!(sorted(&back), sorted(&d));
        // rows without a detail, or with arguments that do not read, have none
        assert_eq!(Detail::stored(None, None), None);
        assert_eq!(Detail::stored(Some(""), Some("{}")), None);
        assert_eq!(Detail::stored(Some("k"), Some("[1]")), None);
        assert_eq!(
            Detail::stored(Some("k"), Some(r#"{"a": {"nope": 1}}"#)),
            None
        );
    }

    #[test]
    fn typed_text_stays_as_typed_and_counts_are_grouped() {
        let i18n = I18n::load().unwrap();
        let d = Detail::new("audit-detail-demands-cancelled")
            .count("count", 25177)
            .month("month", NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
            .text("reason", "2026-12-15 1234567");
        assert_eq!(
            d.render(&i18n, None, Lang::En),
            "25,177 demands for Apr 2026 cancelled: 2026-12-15 1234567"
        );
        let hi = d.render(&i18n, None, Lang::Hi);
        assert!(hi.contains("25,177") && hi.contains("अप्रैल 2026"), "{hi}");
        assert!(hi.ends_with("2026-12-15 1234567"), "{hi}");
        assert_eq!(d.english(), d.render(&i18n, None, Lang::En));
    }
}
