//! Breakdowns: reported by a member, secretary or the API, repaired through a fixed workflow
//! whose every step (and every comment) is an event in the breakdown's timeline, with service
//! deadlines and escalation to the block engineer, then the district officer.
//!
//! Here: the workflow ([`Status`] and its steps, who may take them), how bad the supply is
//! ([`Supply`]), the orders a list takes ([`Sort`]), the input shapes and their rules, the
//! deadlines, and the navigation. Rows and queries are in [`model`], the use cases (report,
//! move along the workflow, comment, technical visit, escalation level, the scheduler's
//! escalation) in [`service`], the pages in [`pages`], the JSON endpoints in [`api`].
//! Sub-folders, each with the same files: [`public`] (villagers' complaints without an
//! account, `/c/…`) and [`review`] (the engineers' review page, the complaint register and
//! the figures). Rule module: [`stats`] (repair times, uptime, repeat failures).

pub mod api;
pub mod model;
pub mod pages;
pub mod phone;
pub mod public;
pub mod review;
pub mod service;
pub mod stats;

pub(crate) use model::create;
pub use model::{find, find_in_scope, list, timeline, Breakdown, BreakdownFilter, Event};
/// Earlier paths, kept for callers outside this area (to be removed in a later pass): the
/// steps inside a transaction (the use cases are [`service::report`], [`service::transition`]
/// and [`service::comment`]) and the scheduler's job.
pub use service::{
    comment_in as comment, escalate, report_in as report, scheduled_escalate,
    transition_in as transition,
};

/// The open-breakdowns box that the home, task and dashboard pages embed (with
/// `breakdowns/open_box.hbs`): this area's one piece of page data other areas show.
pub use pages::open_box_json;

use crate::auth::Actor;
use crate::config::BreakdownsConfig;
use crate::web::forms;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Where a breakdown stands in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Reported,
    Acknowledged,
    InProgress,
    Resolved,
    Closed,
    Reopened,
    Rejected,
    Duplicate,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Reported,
        Status::Acknowledged,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
        Status::Reopened,
        Status::Rejected,
        Status::Duplicate,
    ];

    /// Open: not yet resolved (the service clock runs).
    pub const OPEN: [Status; 4] = [
        Status::Reported,
        Status::Acknowledged,
        Status::InProgress,
        Status::Reopened,
    ];

    /// The database text.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Acknowledged => "acknowledged",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Translation key of the status's name.
    pub fn label_key(self) -> String {
        format!("breakdown-status-{}", self.as_str())
    }

    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }

    /// The workflow: where a breakdown may go from here (and who may: see [`may`]).
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Reported | Reopened => &[Acknowledged, InProgress, Rejected, Duplicate],
            Acknowledged => &[InProgress, Resolved, Rejected, Duplicate],
            InProgress => &[Resolved],
            Resolved => &[Closed, Reopened],
            Closed => &[Reopened],
            Rejected | Duplicate => &[],
        }
    }

    /// The database texts of the open statuses.
    pub fn open_texts() -> [&'static str; 4] {
        Status::OPEN.map(Status::as_str)
    }
}

/// How bad the supply is: stopped, partial, or not affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Supply {
    Stopped,
    Partial,
    None,
}

impl Supply {
    pub const ALL: [Supply; 3] = [Supply::Stopped, Supply::Partial, Supply::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Supply::Stopped => "stopped",
            Supply::Partial => "partial",
            Supply::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Supply> {
        Supply::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Translation key of the supply's name.
    pub fn label_key(self) -> String {
        format!("breakdown-supply-{}", self.as_str())
    }
}

/// The orders a list of breakdowns takes (`sort=`); none: escalated first, then oldest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    Oldest,
    Newest,
    Due,
    Gp,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Oldest, Sort::Newest, Sort::Due, Sort::Gp];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::Due => "due",
            Sort::Gp => "gp",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Translation key of the order's name (on the review page).
    pub fn label_key(self) -> String {
        format!("review-sort-{}", self.as_str())
    }
}

/// What a timeline event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Reported,
    Transition,
    Comment,
    Escalated,
    VisitRequested,
    LevelChanged,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Reported,
        EventKind::Transition,
        EventKind::Comment,
        EventKind::Escalated,
        EventKind::VisitRequested,
        EventKind::LevelChanged,
    ];

    /// The database text.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Reported => "reported",
            EventKind::Transition => "transition",
            EventKind::Comment => "comment",
            EventKind::Escalated => "escalated",
            EventKind::VisitRequested => "visit_requested",
            EventKind::LevelChanged => "level_changed",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Translation key of the event's name.
    pub fn label_key(self) -> String {
        format!("breakdown-event-{}", self.as_str())
    }
}

/// The workflow for a status as stored (none for an unknown one).
pub fn next_statuses(from: &str) -> &'static [Status] {
    Status::parse(from).map(Status::next).unwrap_or(&[])
}

/// Open: not yet resolved (the SLA clock runs).
pub fn is_open(status: &str) -> bool {
    Status::parse(status).is_some_and(Status::is_open)
}

/// A new breakdown as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    pub scheme_id: String,
    pub asset_id: String,
    /// A category code (see `breakdowns.categories`).
    pub category: String,
    pub description: String,
    /// stopped, partial or none.
    pub supply: String,
    pub households_affected: String,
    /// When it started (YYYY-MM-DDTHH:MM in India time, or a date); empty: now.
    pub started_at: String,
    /// The maintenance task whose failed check led here, if any.
    pub from_task_id: String,
}

/// Strip anything that looks like markup from free text (pages escape anyway; this keeps the
/// stored record clean for SMS, CSV and print).
pub fn plain_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if in_tag {
            if c == '>' {
                in_tag = false;
            }
            continue;
        }
        // `<` starts markup only before a letter, `/` or `!` ("a < b" is kept).
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!')
        {
            in_tag = true;
            continue;
        }
        if !c.is_control() || c == '\n' {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// The deadlines for a new breakdown.
pub fn deadlines(
    cfg: &BreakdownsConfig,
    supply: &str,
    at: NaiveDateTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let resolve = match Supply::parse(supply) {
        Some(Supply::Stopped) => cfg.resolve_hours_stopped,
        Some(Supply::Partial) => cfg.resolve_hours_partial,
        _ => cfg.resolve_hours_minor,
    };
    (
        at + Duration::hours(cfg.ack_hours),
        at + Duration::hours(resolve),
    )
}

pub(crate) fn parse_started(raw: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    let v = forms::ascii_digits(raw.trim());
    let v = v.as_ref();
    if v.is_empty() {
        return Some(now);
    }
    let ist = chrono::Duration::minutes(330);
    chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M"))
        .map(|t| t - ist)
        .ok()
        .or_else(|| {
            forms::parse_date(v)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t - ist)
        })
}

/// A checked breakdown, ready to store.
pub(crate) struct NewBreakdown<'a> {
    pub asset_id: Option<i64>,
    pub village_id: Option<i64>,
    pub category: &'a str,
    pub description: &'a str,
    pub supply: &'a str,
    pub households: Option<i32>,
    pub started: NaiveDateTime,
    pub source: &'a str,
    pub reporter_name: &'a str,
    pub reporter_phone: Option<&'a str>,
    pub from_task: Option<i64>,
}

/// A step in the workflow as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TransitionInput {
    /// The status to move to.
    pub to: String,
    /// A note; required for `rejected` (the reason) and `reopened`.
    pub note: String,
    /// in_progress: who repairs it, and their phone.
    pub assigned_name: String,
    pub assigned_phone: String,
    /// resolved: what was done, the cost (₹), and optionally the asset's and scheme's status.
    pub resolution: String,
    pub cost: String,
    pub asset_status: String,
    pub scheme_status: String,
    /// duplicate: the number of the breakdown this one repeats.
    pub duplicate_of: String,
    /// resolved, by whoever keeps the cash book (secretary, admin): "true" records the cost as
    /// a repairs expense in the O&M cash book in the same step, linked to this breakdown (once:
    /// a breakdown whose cost is already in the book keeps that entry).
    pub record_expense: String,
}

/// Who may take a step: members report and work on repairs; closing (verification) is for the
/// secretary or the engineer; the engineer may do every step in their block.
pub fn may(actor: &Actor, to: Status) -> bool {
    use crate::auth::Role::*;
    match to {
        Status::Closed | Status::Rejected | Status::Duplicate => matches!(
            actor.role,
            Admin | Secretary | BlockEngineer | DistrictOfficer
        ),
        _ => matches!(
            actor.role,
            Admin | Secretary | Member | BlockEngineer | DistrictOfficer
        ),
    }
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommentInput {
    pub note: String,
}

/// The age buckets of the review page, in days since reported: (code, from, to inclusive).
pub const AGE_BUCKETS: [(&str, i64, Option<i64>); 4] = [
    ("0-3", 0, Some(3)),
    ("4-7", 4, Some(7)),
    ("8-30", 8, Some(30)),
    ("30+", 31, None),
];

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[
    crate::web::render::NavItem {
        href: "/breakdowns",
        label: "nav-breakdowns",
        verb: Some(crate::auth::Verb::ViewBreakdowns),
    },
    crate::web::render::NavItem {
        href: "/breakdowns/review",
        label: "nav-review",
        verb: Some(crate::auth::Verb::ReviewBreakdowns),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_steps() {
        assert!(next_statuses("reported").contains(&Status::Acknowledged));
        assert!(!next_statuses("reported").contains(&Status::Closed));
        assert!(next_statuses("resolved").contains(&Status::Closed));
        assert!(next_statuses("rejected").is_empty());
        assert!(next_statuses("closed").contains(&Status::Reopened));
        assert!(next_statuses("nonsense").is_empty());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(is_open(s.as_str()), s.is_open());
        }
    }

    #[test]
    fn markup_does_not_survive() {
        assert_eq!(
            plain_text("<script>alert(1)</script>pipe burst"),
            "alert(1)pipe burst"
        );
        assert_eq!(plain_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(plain_text("<img src=x onerror=alert(1)>leak"), "leak");
        assert_eq!(
            plain_text("'; DROP TABLE breakdowns; --"),
            "'; DROP TABLE breakdowns; --"
        );
    }
}
