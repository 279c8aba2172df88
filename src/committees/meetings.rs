//! Meetings of a committee: kind, day, time and venue, an ordered agenda, attendance (the
//! members present, and other villagers by count, of whom women) and the quorum worked out
//! from config. A meeting is planned, then held (attendance recorded), then its minutes are
//! approved, after which it is locked.

use super::{Committee, Member};
use crate::auth::{Actor, Scope};
use crate::config::CommitteesConfig;
use crate::db::schema::{meeting_agenda, meeting_attendance, meetings};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub const KINDS: [&str; 4] = ["monthly", "gram_sabha", "special", "with_engineer"];

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = meetings)]
pub struct Meeting {
    pub id: i64,
    pub committee_id: i64,
    pub gp_id: i64,
    /// monthly, gram_sabha, special or with_engineer.
    pub kind: String,
    pub held_on: NaiveDate,
    /// HH:MM, as announced.
    pub starts_at: Option<String>,
    pub venue: Option<String>,
    /// planned, held or approved (locked).
    pub status: String,
    pub others_present: i32,
    pub others_women: i32,
    pub approved_at: Option<NaiveDateTime>,
    pub approved_by: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = meeting_agenda)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i32,
    pub title: String,
    pub discussion: Option<String>,
    pub decision: Option<String>,
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
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    committee: &Committee,
    input: &MeetingInput,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    let mut e = FieldErrors::new();
    let kind = match input.kind.trim() {
        "" => "monthly",
        k if KINDS.contains(&k) => k,
        _ => {
            e.add("kind", "field-invalid-choice");
            "monthly"
        }
    };
    let day = forms::optional_date(&input.held_on, None, "held_on", &mut e);
    if day.is_none() && !e.has("held_on") {
        e.add("held_on", "field-required");
    }
    let starts_at = match input.starts_at.trim() {
        "" => None,
        t => match chrono::NaiveTime::parse_from_str(t, "%H:%M") {
            Ok(t) => Some(t.format("%H:%M").to_string()),
            Err(_) => {
                e.add("starts_at", "meeting-bad-time");
                None
            }
        },
    };
    let venue = forms::optional_text(&input.venue, 200, "venue", &mut e);
    let agenda: Vec<String> = input
        .agenda
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(500).collect())
        .collect();
    if agenda.is_empty() {
        e.add("agenda", "meeting-agenda-required");
    }
    e.into_result()?;
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(meetings::table)
        .values((
            meetings::committee_id.eq(committee.id),
            meetings::gp_id.eq(committee.gp_id),
            meetings::kind.eq(kind),
            meetings::held_on.eq(day.unwrap_or_default()),
            meetings::starts_at.eq(&starts_at),
            meetings::venue.eq(&venue),
            meetings::status.eq("planned"),
            meetings::created_by.eq(actor.user.id),
            meetings::created_at.eq(now),
            meetings::updated_at.eq(now),
        ))
        .returning(meetings::id)
        .get_result(c))?;
    for (i, title) in agenda.iter().enumerate() {
        diesel::insert_into(meeting_agenda::table)
            .values((
                meeting_agenda::meeting_id.eq(id),
                meeting_agenda::position.eq(i as i32 + 1),
                meeting_agenda::title.eq(title),
            ))
            .execute(conn)?;
    }
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Meeting> {
    meetings::table
        .find(id)
        .select(Meeting::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Meeting> {
    meetings::table
        .filter(meetings::id.eq(id))
        .filter(crate::in_scope!(scope, meetings::table, meetings::gp_id))
        .select(Meeting::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn of_committee(conn: &mut DbConn, committee_id: i64) -> AppResult<Vec<Meeting>> {
    Ok(meetings::table
        .filter(meetings::committee_id.eq(committee_id))
        .order((meetings::held_on.desc(), meetings::id.desc()))
        .select(Meeting::as_select())
        .load(conn)?)
}

/// Attendance as typed: the members present (ids) and the other villagers.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    pub present: Vec<String>,
    pub others_present: String,
    pub others_women: String,
}

/// Record who came: the meeting becomes held. Not once its minutes are approved.
pub fn record_attendance(
    conn: &mut DbConn,
    meeting: &Meeting,
    serving: &[Member],
    input: &AttendanceInput,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    if meeting.status == "approved" {
        return Err(AppError::Conflict("meeting-locked".into()));
    }
    let mut e = FieldErrors::new();
    let mut present = vec![];
    for raw in &input.present {
        match raw.trim().parse::<i64>() {
            Ok(id) if serving.iter().any(|m| m.id == id) => present.push(id),
            _ => e.add("present", "field-invalid-choice"),
        }
    }
    present.sort_unstable();
    present.dedup();
    let others = forms::optional_int(&input.others_present, 0, 100_000, "others_present", &mut e)
        .unwrap_or(0);
    let women =
        forms::optional_int(&input.others_women, 0, 100_000, "others_women", &mut e).unwrap_or(0);
    if women > others && !e.has("others_women") {
        e.add("others_women", "meeting-women-more-than-present");
    }
    e.into_result()?;
    diesel::delete(meeting_attendance::table.filter(meeting_attendance::meeting_id.eq(meeting.id)))
        .execute(conn)?;
    for m in &present {
        diesel::insert_into(meeting_attendance::table)
            .values((
                meeting_attendance::meeting_id.eq(meeting.id),
                meeting_attendance::member_id.eq(m),
            ))
            .execute(conn)?;
    }
    diesel::update(meetings::table.find(meeting.id))
        .set((
            meetings::status.eq("held"),
            meetings::others_present.eq(others as i32),
            meetings::others_women.eq(women as i32),
            meetings::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, meeting.id)
}

/// Approve the minutes of a held meeting: from now on it is locked.
pub fn approve(
    conn: &mut DbConn,
    actor: &Actor,
    meeting: &Meeting,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    if meeting.status != "held" {
        return Err(AppError::Conflict(if meeting.status == "approved" {
            "meeting-locked".into()
        } else {
            "meeting-not-held".into()
        }));
    }
    diesel::update(
        meetings::table
            .filter(meetings::id.eq(meeting.id))
            .filter(meetings::status.eq("held")),
    )
    .set((
        meetings::status.eq("approved"),
        meetings::approved_at.eq(now),
        meetings::approved_by.eq(actor.user.id),
        meetings::updated_at.eq(now),
    ))
    .execute(conn)?;
    find(conn, meeting.id)
}

/// A meeting with its agenda, who was there and the quorum.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    #[serde(flatten)]
    pub meeting: Meeting,
    pub agenda: Vec<AgendaItem>,
    /// Members present (ids).
    pub present: Vec<i64>,
    pub quorum: Quorum,
}

/// The members serving on the meeting's day.
pub fn serving_on(conn: &mut DbConn, meeting: &Meeting) -> AppResult<Vec<Member>> {
    Ok(super::members(conn, meeting.committee_id)?
        .into_iter()
        .filter(|m| m.serving_on(meeting.held_on))
        .collect())
}

pub fn view(conn: &mut DbConn, cfg: &CommitteesConfig, meeting: Meeting) -> AppResult<MeetingView> {
    let agenda = meeting_agenda::table
        .filter(meeting_agenda::meeting_id.eq(meeting.id))
        .order(meeting_agenda::position.asc())
        .select(AgendaItem::as_select())
        .load(conn)?;
    let present: Vec<i64> = meeting_attendance::table
        .filter(meeting_attendance::meeting_id.eq(meeting.id))
        .select(meeting_attendance::member_id)
        .load(conn)?;
    let serving = serving_on(conn, &meeting)?;
    let women = serving
        .iter()
        .filter(|m| m.gender == "female" && present.contains(&m.id))
        .count() as i64;
    let quorum = quorum(cfg, serving.len() as i64, present.len() as i64, women);
    Ok(MeetingView {
        meeting,
        agenda,
        present,
        quorum,
    })
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
}
