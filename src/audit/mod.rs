//! The audit log: who did what to which record, and when. Every create, update,
//! deactivation and log-in/log-out writes one row; admins browse and filter it.
//!
//! Here: the kinds of record and the actions the log names, and [`Event`]; the rows, writing
//! one ([`record`]) and the filtered list in `model`; a use case's audited write over a `Ctx`
//! ([`audited`]) in `service`; `/admin/audit` and its CSV in `pages` (with
//! [`write_audited`], the same for handlers that still write through the web state). No JSON
//! endpoints: no `api.rs`.

pub mod model;
pub mod pages;
pub mod service;

pub use model::{record, AuditEntry, AuditFilter};
pub use service::audited;

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
}

impl Entity {
    pub const ALL: [Entity; 18] = [
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

/// One thing that happened, to be written with [`record`].
pub struct Event {
    pub action: Action,
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/audit",
    label: "nav-audit",
    verb: Some(crate::auth::Verb::ViewAudit),
}];
