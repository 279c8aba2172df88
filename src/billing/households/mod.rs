//! The household register: who has a tap, in which village and category, and whether the
//! connection is active. `model` holds the rows and queries, `service` the checks and the
//! audited writes (add, change, CSV import), `pages` the register's pages and CSV, `api` the
//! `/api/v1/households` endpoints.
//!
//! Import is two steps: the upload is checked and previewed (nothing written), then the
//! preview's "import" button sends the same text back and it is checked again and written in
//! one transaction. A file with any wrong row writes nothing. Rows are matched by GP and
//! connection number: a known household is updated, an identical row counts as unchanged, so a
//! file can be imported twice safely. The GP of a row is the `gp_lgd_code` column, which may be
//! left out by someone who works in one GP (a secretary): their GP is meant.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find, find_in_scope, list, Household, HouseholdFilter};
pub use service::{create, update};

use crate::auth::Scope;
use crate::places::Level;
use serde::{Deserialize, Serialize};

/// A household connection's status (the database keeps the text, `households.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Disconnected,
    Merged,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::Disconnected, Status::Merged];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Disconnected => "disconnected",
            Status::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Translation key of the status's name.
    pub fn label_key(self) -> String {
        status_key(self.as_str())
    }
}

/// Translation key of a status as stored.
pub fn status_key(status: &str) -> String {
    format!("household-status-{status}")
}

/// A household as typed (form, JSON or a CSV row).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HouseholdInput {
    /// The village (place id) inside the GP.
    pub village_id: String,
    pub scheme_id: String,
    pub connection_no: String,
    pub head_name: String,
    pub members: String,
    pub category: String,
    /// Required for `exempt`.
    pub exempt_reason: String,
    /// YYYY-MM-DD or DD-MM-YYYY; not in the future.
    pub connected_on: String,
    /// active (default), disconnected or merged.
    pub status: String,
    /// With `disconnected`: the date and the reason.
    pub disconnected_on: String,
    pub status_reason: String,
    pub phone: String,
    pub notes: String,
}

impl From<&Household> for HouseholdInput {
    fn from(h: &Household) -> HouseholdInput {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        HouseholdInput {
            village_id: h.village_id.to_string(),
            scheme_id: h.scheme_id.map(|s| s.to_string()).unwrap_or_default(),
            connection_no: h.connection_no.clone(),
            head_name: h.head_name.clone(),
            members: h.members.map(|m| m.to_string()).unwrap_or_default(),
            category: h.category.clone(),
            exempt_reason: opt(&h.exempt_reason),
            connected_on: h.connected_on.to_string(),
            status: h.status.clone(),
            disconnected_on: h.disconnected_on.map(|d| d.to_string()).unwrap_or_default(),
            status_reason: opt(&h.status_reason),
            phone: opt(&h.phone),
            notes: opt(&h.notes),
        }
    }
}

/// The CSV columns, in export order. Import takes any subset with the required ones.
pub const COLUMNS: &[&str] = &[
    "gp_lgd_code",
    "connection_no",
    "village",
    "scheme_code",
    "head_name",
    "members",
    "category",
    "exempt_reason",
    "connected_on",
    "status",
    "disconnected_on",
    "status_reason",
    "phone",
    "notes",
];

pub const REQUIRED: &[&str] = &[
    "connection_no",
    "village",
    "head_name",
    "category",
    "connected_on",
];

/// The GP of someone who works in exactly one.
pub fn own_gp(scope: &Scope) -> Option<i64> {
    match *scope {
        Scope::Place {
            level: Level::Gp,
            id,
        } => Some(id),
        _ => None,
    }
}

/// The file as UTF-8 text (a byte-order mark is fine; UTF-16 or a legacy code page is not).
pub fn utf8_text(data: &[u8]) -> Option<&str> {
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    if data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    std::str::from_utf8(data).ok()
}

/// The column a problem is reported under: the file's names, not the form's.
pub fn column_of(field: &str) -> &str {
    match field {
        "village_id" => "village",
        "scheme_id" => "scheme_code",
        f => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(utf8_text(b"\xEF\xBB\xBFa,b"), Some("a,b"));
        assert_eq!(utf8_text("गाँव".as_bytes()), Some("गाँव"));
        assert_eq!(utf8_text(b"\xFF\xFEa\x00"), None);
        assert_eq!(utf8_text(b"caf\xE9"), None);
    }

    #[test]
    fn columns_are_named_like_the_file() {
        assert_eq!(column_of("village_id"), "village");
        assert_eq!(column_of("scheme_id"), "scheme_code");
        assert_eq!(column_of("phone"), "phone");
        for c in REQUIRED {
            assert!(COLUMNS.contains(c));
        }
    }

    #[test]
    fn statuses_read_back() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("gone"), None);
        assert_eq!(Status::Merged.label_key(), "household-status-merged");
    }
}
