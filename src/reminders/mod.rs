//! Reminders: what the scheduler's rules raise for a person (one row per recipient, unique by
//! its dedupe key), shown in their inbox until they read it and until its cause clears (then
//! it is resolved and neither shown nor sent). Messages are rendered when shown, in the
//! reader's language, from the rule's name, the label kept when raised and the due date.
//!
//! Here: the inbox's areas and the message; rows and queries in `model`, use cases (mark
//! read) in `service`, the inbox pages in `pages`, `/api/v1/reminders` in `api`. The rules
//! the scheduler applies are the rule module `rules` (no rows of their own, no handlers).

pub mod api;
pub mod model;
pub mod pages;
pub mod rules;
pub mod service;

pub use model::{inbox, unread_count, InboxFilter, Reminder};

/// The areas of the inbox filter, each a group of rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Maintenance,
    Water,
    Breakdowns,
    Meetings,
    Assets,
    Billing,
}

impl Area {
    pub const ALL: [Area; 6] = [
        Area::Maintenance,
        Area::Water,
        Area::Breakdowns,
        Area::Meetings,
        Area::Assets,
        Area::Billing,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Area::Maintenance => "maintenance",
            Area::Water => "water",
            Area::Breakdowns => "breakdowns",
            Area::Meetings => "meetings",
            Area::Assets => "assets",
            Area::Billing => "billing",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Translation key of the area's name (`inbox-area-…`).
    pub fn label_key(self) -> String {
        format!("inbox-area-{}", self.as_str())
    }

    /// The area a rule belongs to.
    pub fn of_rule(rule: &str) -> Area {
        match rule {
            r if r.starts_with("task_") => Area::Maintenance,
            r if r.starts_with("water_") => Area::Water,
            r if r.starts_with("breakdown_") => Area::Breakdowns,
            r if r.starts_with("action_") || r.starts_with("meeting_") => Area::Meetings,
            r if r.starts_with("asset_") || r.starts_with("scheme_") => Area::Assets,
            _ => Area::Billing,
        }
    }

    /// The rules of this area.
    pub fn rules(self) -> Vec<&'static str> {
        rules::NAMES
            .iter()
            .copied()
            .filter(|r| Area::of_rule(r) == self)
            .collect()
    }
}

/// The area a rule belongs to, for the inbox filter.
pub fn area(rule: &str) -> &'static str {
    Area::of_rule(rule).as_str()
}

/// What a reminder sends by SMS to a user who wants reminders by SMS (issue 27, item 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsKind {
    /// `task_reminder`: the task (or action item) and its due date.
    Task,
    /// `escalation` (urgent: sent in quiet hours too): a breakdown or a contamination that is
    /// unresolved, and for how many days.
    Escalation,
}

impl SmsKind {
    /// The message key (config/sms_templates.toml).
    pub const fn key(self) -> &'static str {
        match self {
            SmsKind::Task => "task_reminder",
            SmsKind::Escalation => "escalation",
        }
    }
}

/// The SMS a rule's reminders send: maintenance tasks and the committee's action items (each
/// with a due date) are task reminders; breakdowns and water-quality incidents past their
/// deadlines (people without water, or without safe water) are escalations. The other rules
/// (assets, schemes, supply, kits, meetings, billing) are planning and office work: inbox and
/// e-mail only, as no SMS template fits them.
pub fn sms_kind(rule: &str) -> Option<SmsKind> {
    match rule {
        "task_due_soon"
        | "task_overdue"
        | "task_overdue_engineer"
        | "water_test_overdue"
        | "action_due_soon"
        | "action_overdue" => Some(SmsKind::Task),
        r if r.starts_with("breakdown_") || r.starts_with("water_incident_") => {
            Some(SmsKind::Escalation)
        }
        _ => None,
    }
}

/// The reminder's message in a language: `reminder-<rule>` with the label and due date.
pub fn message(
    i18n: &crate::web::i18n::I18n,
    lang: crate::web::i18n::Lang,
    r: &Reminder,
) -> String {
    let due = r
        .due_on
        .map(crate::web::i18n::format_date)
        .unwrap_or_default();
    i18n.t(
        lang,
        &format!("reminder-{}", r.rule),
        &[("label", r.label.clone()), ("due", due)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_an_area() {
        for a in Area::ALL {
            assert_eq!(Area::parse(a.as_str()), Some(a));
        }
        let all: usize = Area::ALL.iter().map(|a| a.rules().len()).sum();
        assert_eq!(all, rules::NAMES.len());
        assert_eq!(area("action_overdue"), "meetings");
    }

    #[test]
    fn tasks_and_escalations_go_by_sms() {
        let by_sms: Vec<(&str, &str)> = rules::NAMES
            .iter()
            .filter_map(|r| sms_kind(r).map(|k| (*r, k.key())))
            .collect();
        assert_eq!(
            by_sms,
            vec![
                ("task_due_soon", "task_reminder"),
                ("task_overdue", "task_reminder"),
                ("task_overdue_engineer", "task_reminder"),
                ("water_test_overdue", "task_reminder"),
                ("water_incident_overdue", "escalation"),
                ("water_incident_overdue_district", "escalation"),
                ("breakdown_unacknowledged", "escalation"),
                ("breakdown_escalated", "escalation"),
                ("breakdown_escalated_district", "escalation"),
                ("action_due_soon", "task_reminder"),
                ("action_overdue", "task_reminder"),
            ]
        );
    }
}
