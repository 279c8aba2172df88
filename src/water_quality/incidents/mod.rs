//! Contamination incidents (issue 25, item 4) and the advisory people see while one is open
//! (item 5). A recorded test beyond the permissible limit, or with bacteria present, opens an
//! incident for its sampling point and parameter group (bacteriological or chemical), in the
//! test's own transaction; a second positive at the point attaches to the open incident.
//!
//! Steps: `open` → `sent_to_lab` → `confirmed` or `not_confirmed` (a laboratory test at the
//! point decides; "not confirmed" ends it) → `remediating` (remedial actions, each with what,
//! who, when and a note) → `retested` (a later passing test at the point) → `closed` (only
//! with that passing re-test). Each step's deadline (`due_on`) comes from
//! `[water_quality.incidents]`; the reminder rules `water_incident_overdue` (block engineer,
//! secretaries) and `water_incident_overdue_district` (district officers) escalate.
//!
//! Here: the closed lists, the input shapes and their checks, and the pure rules (which
//! group a parameter is in, whether a test decides an incident, which advisory applies);
//! rows in [`model`], use cases in [`service`], pages (list, incident with timeline and the
//! step forms, the public advisory block) in [`pages`], JSON in [`api`].

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{Incident, IncidentEvent};

use super::samples::CheckedValue;
use super::{Measure, Standard};
use crate::error::FieldErrors;
use crate::web::forms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A closed list stored as text (no schema of its own: rows carry the text).
macro_rules! text_list {
    ($(#[$m:meta])* $name:ident, $prefix:literal, { $($v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The database (and API) text.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s.trim())
            }

            /// Translation key of its name.
            pub fn label_key(self) -> String {
                format!(concat!($prefix, "{}"), self.as_str())
            }

            /// Translation key of a stored value.
            pub fn label_key_of(s: &str) -> String {
                format!(concat!($prefix, "{}"), s)
            }

            /// The choices of a form (value and label key).
            pub fn options() -> Vec<serde_json::Value> {
                Self::ALL
                    .iter()
                    .map(|x| serde_json::json!({"value": x.as_str(), "label": x.label_key()}))
                    .collect()
            }
        }
    };
}

text_list!(
    /// Where an incident stands.
    Status, "wq-incident-status-", {
        Open => "open",
        SentToLab => "sent_to_lab",
        Confirmed => "confirmed",
        NotConfirmed => "not_confirmed",
        Remediating => "remediating",
        Retested => "retested",
        Closed => "closed",
    }
);

impl Status {
    /// Still open (the advisory shows, the deadlines run).
    pub const fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::NotConfirmed)
    }

    /// The stored statuses of an ended incident (for SQL and filters).
    pub const ENDED: [&'static str; 2] = ["closed", "not_confirmed"];
}

text_list!(
    /// The parameter group of an incident: one open incident per point and group.
    Group, "wq-incident-group-", {
        Bacteriological => "bacteriological",
        Chemical => "chemical",
    }
);

impl Group {
    /// Bacteria (present/absent parameters) or the chemical and physical rest.
    pub fn of(std: &Standard, code: &str) -> Group {
        match std.parameter(code).map(|p| p.measure) {
            Some(Measure::Presence) => Group::Bacteriological,
            _ => Group::Chemical,
        }
    }
}

text_list!(
    /// A remedial action.
    Remedy, "wq-remedy-", {
        Chlorination => "chlorination",
        TankCleaning => "tank_cleaning",
        PipeRepair => "pipe_repair",
        AlternateSource => "alternate_source",
        Advisory => "advisory",
    }
);

/// What a timeline event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Opened,
    PositiveAgain,
    SentToLab,
    LabResult,
    Remedial,
    Retest,
    Closed,
}

impl EventKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::PositiveAgain => "positive_again",
            EventKind::SentToLab => "sent_to_lab",
            EventKind::LabResult => "lab_result",
            EventKind::Remedial => "remedial",
            EventKind::Retest => "retest",
            EventKind::Closed => "closed",
        }
    }
}

/// The groups a test fails, each with its failing parameters' codes.
pub fn failing_groups(std: &Standard, values: &[CheckedValue]) -> Vec<(Group, Vec<String>)> {
    let mut out: Vec<(Group, Vec<String>)> = vec![];
    for v in values.iter().filter(|v| v.class.fails()) {
        let g = Group::of(std, &v.parameter);
        match out.iter_mut().find(|(x, _)| *x == g) {
            Some((_, codes)) => codes.push(v.parameter.clone()),
            None => out.push((g, vec![v.parameter.clone()])),
        }
    }
    out
}

/// Whether a test says something about an incident, and what: `None` when it measured none
/// of the incident's parameters (any bacteriological parameter counts for a bacteriological
/// incident); `Some(true)` when one of those failed, `Some(false)` when they all passed.
pub fn decides(
    std: &Standard,
    group: Group,
    parameters: &[String],
    values: &[(String, super::Class)],
) -> Option<bool> {
    let relevant: Vec<_> = values
        .iter()
        .filter(|(code, _)| match group {
            Group::Bacteriological => Group::of(std, code) == Group::Bacteriological,
            Group::Chemical => parameters.iter().any(|p| p == code),
        })
        .collect();
    if relevant.is_empty() {
        None
    } else {
        Some(relevant.iter().any(|(_, c)| c.fails()))
    }
}

/// The advisory's message keys of an incident: boiling for bacteria; for a chemical the
/// parameter's own advice (`wq-advisory-<code>`, when the locale files have it) or the
/// general one.
pub fn advisory_keys(
    i18n: &crate::web::i18n::I18n,
    group: Group,
    parameters: &[String],
) -> Vec<String> {
    let lang = crate::web::i18n::Lang::En;
    match group {
        Group::Bacteriological => vec!["wq-advisory-bacteriological".into()],
        Group::Chemical => {
            let mut keys: Vec<String> = vec![];
            for p in parameters {
                let key = format!("wq-advisory-{p}");
                let key = if i18n.has(lang, &key) {
                    key
                } else {
                    "wq-advisory-chemical".into()
                };
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            if keys.is_empty() {
                keys.push("wq-advisory-chemical".into());
            }
            keys
        }
    }
}

/// The form of sending a sample to the laboratory.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = WaterIncidentSendInput)]
pub struct SendInput {
    pub laboratory: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub sent_on: String,
    pub note: String,
}

/// The form of a remedial action.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = WaterIncidentRemedyInput)]
pub struct RemedyInput {
    /// chlorination, tank_cleaning, pipe_repair, alternate_source or advisory.
    pub action: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub done_on: String,
    /// Who did it (a name, as written).
    pub done_by: String,
    pub note: String,
}

/// The form of closing an incident.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = WaterIncidentCloseInput)]
pub struct CloseInput {
    pub note: String,
}

fn required_date(raw: &str, today: NaiveDate, field: &str, e: &mut FieldErrors) -> NaiveDate {
    let d = forms::optional_date(raw, Some(today), field, e);
    if d.is_none() && !e.has(field) {
        e.add(field, "field-required");
    }
    d.unwrap_or(today)
}

/// Check the sending: the laboratory, a day not before detection nor in the future.
pub fn validate_send(
    i: &SendInput,
    detected_on: NaiveDate,
    today: NaiveDate,
) -> Result<(String, NaiveDate, Option<String>), FieldErrors> {
    let mut e = FieldErrors::new();
    let lab = forms::required_text(&i.laboratory, forms::max::NAME, "laboratory", &mut e);
    let on = required_date(&i.sent_on, today, "sent_on", &mut e);
    if on < detected_on && !e.has("sent_on") {
        e.add("sent_on", "wq-incident-before-detection");
    }
    let note = forms::optional_text(&i.note, forms::max::NOTE, "note", &mut e);
    match (e.is_empty(), lab) {
        (true, Some(lab)) => Ok((lab, on, note)),
        _ => Err(e),
    }
}

/// A checked remedial action.
#[derive(Debug, Clone)]
pub struct RemedyValues {
    pub action: Remedy,
    pub done_on: NaiveDate,
    pub done_by: String,
    pub note: Option<String>,
}

/// Check a remedial action: one of the list, who did it, a day not before detection nor in
/// the future.
pub fn validate_remedy(
    i: &RemedyInput,
    detected_on: NaiveDate,
    today: NaiveDate,
) -> Result<RemedyValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let action = Remedy::parse(&i.action);
    if action.is_none() {
        e.add("action", "field-invalid-choice");
    }
    let done_on = required_date(&i.done_on, today, "done_on", &mut e);
    if done_on < detected_on && !e.has("done_on") {
        e.add("done_on", "wq-incident-before-detection");
    }
    let done_by = forms::required_text(&i.done_by, forms::max::NAME, "done_by", &mut e);
    let note = forms::optional_text(&i.note, forms::max::NOTE, "note", &mut e);
    match (e.is_empty(), action, done_by) {
        (true, Some(action), Some(done_by)) => Ok(RemedyValues {
            action,
            done_on,
            done_by,
            note,
        }),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::water_quality::Class;

    #[test]
    fn groups_and_decisions() {
        let std = Standard::builtin();
        assert_eq!(Group::of(&std, "e_coli"), Group::Bacteriological);
        assert_eq!(Group::of(&std, "h2s_bacteria"), Group::Bacteriological);
        assert_eq!(Group::of(&std, "fluoride"), Group::Chemical);
        let fl = vec!["fluoride".to_string()];
        let v = |c: &str, k: Class| (c.to_string(), k);
        // a test that did not measure fluoride says nothing about a fluoride incident
        assert_eq!(
            decides(&std, Group::Chemical, &fl, &[v("ph", Class::Acceptable)]),
            None
        );
        assert_eq!(
            decides(
                &std,
                Group::Chemical,
                &fl,
                &[v("fluoride", Class::BeyondPermissible)]
            ),
            Some(true)
        );
        assert_eq!(
            decides(
                &std,
                Group::Chemical,
                &fl,
                &[v("fluoride", Class::Permissible)]
            ),
            Some(false)
        );
        // the laboratory's E. coli decides an H2S vial's positive
        assert_eq!(
            decides(
                &std,
                Group::Bacteriological,
                &["h2s_bacteria".into()],
                &[
                    v("e_coli", Class::Acceptable),
                    v("tds", Class::BeyondPermissible)
                ]
            ),
            Some(false)
        );
        for s in Status::ALL.iter().copied() {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert!(!Status::NotConfirmed.is_open() && Status::Retested.is_open());
    }

    #[test]
    fn remedies_need_what_who_and_a_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let e = validate_remedy(
            &RemedyInput {
                action: "magic".into(),
                done_on: "2026-11-01".into(),
                ..Default::default()
            },
            d("2026-12-01"),
            d("2026-12-07"),
        )
        .unwrap_err();
        assert!(e.has("action") && e.has("done_on") && e.has("done_by"));
        let ok = validate_remedy(
            &RemedyInput {
                action: "chlorination".into(),
                done_on: "2026-12-02".into(),
                done_by: "Pump operator".into(),
                note: String::new(),
            },
            d("2026-12-01"),
            d("2026-12-07"),
        )
        .unwrap();
        assert_eq!(ok.action, Remedy::Chlorination);
    }
}
