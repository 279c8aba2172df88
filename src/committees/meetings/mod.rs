//! Meetings of a committee: kind, day, time and venue, an ordered agenda, attendance (the
//! members present, and other villagers by count, of whom women) and the quorum worked out
//! from config. A meeting is planned, then held (attendance recorded), then its minutes are
//! approved, after which it is locked: corrections are addenda, with who and when. Minutes
//! are written per agenda item (discussion, decision) in the meeting's language; the decisions
//! across meetings make the decisions register; how long since the last meeting makes the
//! regularity view. Photos of the signed attendance register are kept with maintenance's
//! photos.
//!
//! Here: the closed lists (kind, status, minutes' language, regularity), the quorum rule,
//! the regularity rule and the shapes of input; rows and queries in `model`, use cases in
//! `service`, pages in `pages`, JSON endpoints in `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{
    find, find_in_scope, serving_on, Addendum, AgendaItem, DecisionFilter, DecisionRow, Meeting,
    MeetingFilter, MeetingView, Regularity,
};
pub use service::{create, record_attendance, save_minutes};

use crate::config::CommitteesConfig;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingKind {
    Monthly,
    GramSabha,
    Special,
    WithEngineer,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 4] = [
        MeetingKind::Monthly,
        MeetingKind::GramSabha,
        MeetingKind::Special,
        MeetingKind::WithEngineer,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Monthly => "monthly",
            MeetingKind::GramSabha => "gram_sabha",
            MeetingKind::Special => "special",
            MeetingKind::WithEngineer => "with_engineer",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a kind as stored (`meeting-kind-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("meeting-kind-{s}")
    }
}

/// Where a meeting is: planned, held (attendance recorded) or approved (minutes locked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    Planned,
    Held,
    Approved,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 3] = [
        MeetingStatus::Planned,
        MeetingStatus::Held,
        MeetingStatus::Approved,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "planned",
            MeetingStatus::Held => "held",
            MeetingStatus::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingStatus> {
        MeetingStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a status as stored (`meeting-status-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("meeting-status-{s}")
    }
}

/// The language the minutes are written and printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesLang {
    Hi,
    En,
}

impl MinutesLang {
    pub const ALL: [MinutesLang; 2] = [MinutesLang::Hi, MinutesLang::En];

    pub const fn as_str(self) -> &'static str {
        match self {
            MinutesLang::Hi => "hi",
            MinutesLang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<MinutesLang> {
        MinutesLang::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a language as stored (`lang-name-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("lang-name-{s}")
    }
}

/// Whether a GP's committee meets monthly: held this month, due (held last month), missed
/// (a whole month went by) or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegularityState {
    Held,
    Due,
    Missed,
    Never,
}

impl RegularityState {
    pub const ALL: [RegularityState; 4] = [
        RegularityState::Held,
        RegularityState::Due,
        RegularityState::Missed,
        RegularityState::Never,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RegularityState::Held => "held",
            RegularityState::Due => "due",
            RegularityState::Missed => "missed",
            RegularityState::Never => "never",
        }
    }

    pub fn parse(s: &str) -> Option<RegularityState> {
        RegularityState::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a state as stored (`regularity-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("regularity-{s}")
    }
}

/// Whether enough members came: `present` of `serving` against the quorum, and `women` of
/// those present against the women's share. Compared in whole numbers (3 of 9 is a third).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Quorum {
    pub serving: i64,
    pub present: i64,
    pub women_present: i64,
    /// Members needed: the smallest count that makes the fraction.
    pub needed: i64,
    /// Women needed among those present.
    pub women_needed: i64,
    pub met: bool,
}

/// The smallest whole count that is at least `num/den` of `of`.
fn at_least(of: i64, [num, den]: [i64; 2]) -> i64 {
    (of * num + den - 1) / den
}

pub fn quorum(cfg: &CommitteesConfig, serving: i64, present: i64, women_present: i64) -> Quorum {
    let needed = at_least(serving, cfg.quorum);
    let women_needed = at_least(present, cfg.quorum_women);
    Quorum {
        serving,
        present,
        women_present,
        needed,
        women_needed,
        met: serving > 0 && present >= needed && women_present >= women_needed,
    }
}

fn month_index(d: NaiveDate) -> i64 {
    use chrono::Datelike;
    d.year() as i64 * 12 + d.month0() as i64
}

/// held / due / missed / never, from the last meeting and today, with the calendar months
/// since the last meeting.
pub fn regularity_state(
    last: Option<NaiveDate>,
    today: NaiveDate,
) -> (Option<i64>, RegularityState) {
    match last {
        None => (None, RegularityState::Never),
        Some(d) => {
            let n = (month_index(today) - month_index(d)).max(0);
            (
                Some(n),
                match n {
                    0 => RegularityState::Held,
                    1 => RegularityState::Due,
                    _ => RegularityState::Missed,
                },
            )
        }
    }
}

/// A meeting as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingInput {
    /// monthly (default), gram_sabha, special or with_engineer.
    pub kind: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    /// HH:MM (optional).
    pub starts_at: String,
    pub venue: String,
    /// The agenda, one item per line, in order.
    pub agenda: String,
    /// The minutes' language: hi (default) or en.
    pub lang: String,
}

/// A new meeting through the API: its committee and the meeting.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewMeeting {
    /// The committee (id).
    pub committee_id: String,
    #[serde(flatten)]
    pub meeting: MeetingInput,
}

/// Attendance as typed: the members present (ids) and the other villagers.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    pub present: Vec<String>,
    pub others_present: String,
    pub others_women: String,
}

/// Minutes as typed: per agenda item (by id) what was discussed and decided.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MinutesInput {
    pub items: Vec<MinutesItem>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MinutesItem {
    /// The agenda item (id).
    pub id: String,
    pub discussion: String,
    pub decision: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddendumInput {
    /// The agenda item it corrects (id; optional).
    pub agenda_item_id: String,
    /// The correction (required).
    pub body: String,
}

/// The regularity view's filter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RegularityQuery {
    /// Only this GP (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_is_a_third_of_whom_a_third_women() {
        let cfg = crate::config::Config::defaults().committees;
        // 9 serving: 3 present is a third
        let q = quorum(&cfg, 9, 3, 1);
        assert_eq!((q.needed, q.women_needed, q.met), (3, 1, true));
        assert!(!quorum(&cfg, 9, 2, 1).met, "2 of 9 is less than a third");
        // 10 serving: a third is 3.33, so 4 are needed
        assert_eq!(quorum(&cfg, 10, 3, 3).needed, 4);
        assert!(!quorum(&cfg, 10, 3, 3).met);
        assert!(quorum(&cfg, 10, 4, 2).met);
        // 4 present need 2 women (a third of 4 is 1.33)
        assert!(
            !quorum(&cfg, 10, 4, 1).met,
            "1 woman of 4 is less than a third"
        );
        assert!(!quorum(&cfg, 0, 0, 0).met, "no members, no quorum");
    }

    #[test]
    fn regularity_counts_calendar_months() {
        use RegularityState::*;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2027, 3, 1);
        assert_eq!(
            regularity_state(Some(d(2027, 3, 1)), today),
            (Some(0), Held)
        );
        // the last day of February is last month, however close
        assert_eq!(
            regularity_state(Some(d(2027, 2, 28)), today),
            (Some(1), Due)
        );
        assert_eq!(
            regularity_state(Some(d(2027, 1, 31)), today),
            (Some(2), Missed)
        );
        // across the year's end
        assert_eq!(
            regularity_state(Some(d(2026, 12, 15)), d(2027, 1, 2)),
            (Some(1), Due)
        );
        assert_eq!(regularity_state(None, today), (None, Never));
    }

    #[test]
    fn closed_lists_round_trip() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
        }
        for s in MeetingStatus::ALL {
            assert_eq!(MeetingStatus::parse(s.as_str()), Some(s));
        }
        for l in MinutesLang::ALL {
            assert_eq!(MinutesLang::parse(l.as_str()), Some(l));
        }
        for r in RegularityState::ALL {
            assert_eq!(RegularityState::parse(r.as_str()), Some(r));
        }
    }
}
