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
pub const ENTITIES: &[&str] = &[
    "place",
    "user",
    "session",
    "api_token",
    "scheme",
    "asset",
    "plan",
    "task",
    "work",
    "breakdown",
    "household",
    "tariff_plan",
    "demand_run",
    "payment",
    "cashbook_entry",
    "committee",
    "meeting",
    "action_item",
];

/// The actions the log names (each has an `audit-action-…` message).
pub const ACTIONS: &[&str] = &[
    "create",
    "update",
    "deactivate",
    "activate",
    "import",
    "login",
    "logout",
    "login_failed",
    "password_change",
    "password_reset",
    "token_issue",
    "token_revoke",
    "status_change",
    "replace",
    "retire",
    "complete",
    "skip",
    "cancel",
];

/// One thing that happened, to be written with [`record`].
pub struct Event<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/audit",
    label: "nav-audit",
    verb: Some(crate::auth::Verb::ViewAudit),
}];
