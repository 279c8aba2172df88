//! Action items: what a meeting decided somebody should do, by when. Each belongs to a meeting
//! (and, when it follows one decision, to that agenda item), has an owner among the
//! committee's members, a due date, and may point at a scheme, an asset, a breakdown or a
//! household of the same GP. It is `open` until it is `done` (with the day) or `dropped`
//! (with a reason); both are final. Overdue is computed when shown: open and due before today.
//!
//! Here: the statuses and the shapes of input; rows and queries in `model`, use cases in
//! `service`, pages in `pages`, JSON endpoints in `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find, find_in_scope, ActionFilter, ActionItem};
pub use service::create;

use serde::{Deserialize, Serialize};

/// An action item's status: open, then done or dropped (both final).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [
        ActionStatus::Open,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<ActionStatus> {
        ActionStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a status as stored, or of the `overdue` filter (`action-status-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("action-status-{s}")
    }
}

/// The list's filter value for open items past their due date (not a stored status).
pub const OVERDUE: &str = "overdue";

/// The status filter's choices, in the order the list page offers them.
pub const FILTER_CHOICES: [&str; 4] = [
    ActionStatus::Open.as_str(),
    OVERDUE,
    ActionStatus::Done.as_str(),
    ActionStatus::Dropped.as_str(),
];

/// An action item as typed. The links are optional: a scheme or asset by id, a breakdown by
/// its complaint number (or id), a household by its connection number (or id).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionInput {
    pub description: String,
    /// The owner: a member serving on the meeting's committee (id).
    pub owner_member_id: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// The decision it follows from (agenda item id of the same meeting).
    pub agenda_item_id: String,
    pub scheme_id: String,
    pub asset_id: String,
    /// A complaint number such as `23010101-B5`, or the breakdown's id.
    pub breakdown: String,
    /// A connection number, or the household's id.
    pub household: String,
}

/// A new action item through the API: its meeting and the item.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewActionItem {
    /// The meeting it comes from (id).
    pub meeting_id: String,
    #[serde(flatten)]
    pub item: ActionInput,
}

/// Closing an action item: `done` (with what was done, optional) or `dropped` (why: required).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    /// done or dropped.
    pub status: String,
    /// The day (YYYY-MM-DD; today when left out; not in the future).
    pub on: String,
    /// What was done, or why it is dropped (required for dropped).
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ActionStatus::parse(OVERDUE), None);
        assert_eq!(FILTER_CHOICES, ["open", "overdue", "done", "dropped"]);
    }
}
