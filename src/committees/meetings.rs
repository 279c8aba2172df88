//! Meetings of a committee: kind, day, time and venue, an ordered agenda, attendance (the
//! members present, and other villagers by count, of whom women) and the quorum worked out
//! from config. A meeting is planned, then held (attendance recorded), then its minutes are
//! approved, after which it is locked: corrections are addenda, with who and when. Minutes
//! are written per agenda item (discussion, decision) in the meeting's language; the decisions
//! across meetings make the decisions register; how long since the last meeting makes the
//! regularity view.

use super::{Committee, Member};
use crate::auth::{Actor, Scope};
use crate::config::CommitteesConfig;
use crate::db::schema::{meeting_addenda, meeting_agenda, meeting_attendance, meetings, places};
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
    /// The language the minutes are written and printed in: hi or en.
    pub lang: String,
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
    /// The minutes' language: hi (default) or en.
    pub lang: String,
}

pub const LANGS: [&str; 2] = ["hi", "en"];

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
    let lang = match input.lang.trim() {
        "" => "hi",
        l if LANGS.contains(&l) => l,
        _ => {
            e.add("lang", "field-invalid-choice");
            "hi"
        }
    };
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
            meetings::lang.eq(lang),
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
    /// Corrections after approval, oldest first.
    pub addenda: Vec<Addendum>,
    pub action_items: Vec<super::actions::ActionItem>,
    /// Photos (ids) of the signed attendance register: `/photos/{id}/small|full`.
    pub photos: Vec<i64>,
}

/// The members serving on the meeting's day.
pub fn serving_on(conn: &mut DbConn, meeting: &Meeting) -> AppResult<Vec<Member>> {
    Ok(super::members(conn, meeting.committee_id)?
        .into_iter()
        .filter(|m| m.serving_on(meeting.held_on))
        .collect())
}

pub fn view(conn: &mut DbConn, cfg: &CommitteesConfig, meeting: Meeting) -> AppResult<MeetingView> {
    views(conn, cfg, vec![meeting])?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Views of several meetings in a fixed number of queries (one per kind of detail), in the
/// order given.
pub fn views(
    conn: &mut DbConn,
    cfg: &CommitteesConfig,
    list: Vec<Meeting>,
) -> AppResult<Vec<MeetingView>> {
    use crate::db::schema::{action_items, committee_members, work_photos};
    use std::collections::HashMap;
    if list.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = list.iter().map(|m| m.id).collect();
    let mut committees: Vec<i64> = list.iter().map(|m| m.committee_id).collect();
    committees.sort_unstable();
    committees.dedup();
    fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
        let mut m: HashMap<i64, Vec<T>> = HashMap::new();
        for r in rows {
            m.entry(key(&r)).or_default().push(r);
        }
        m
    }
    let mut agenda = group(
        meeting_agenda::table
            .filter(meeting_agenda::meeting_id.eq_any(&ids))
            .order((meeting_agenda::meeting_id, meeting_agenda::position.asc()))
            .select(AgendaItem::as_select())
            .load(conn)?,
        |a| a.meeting_id,
    );
    let present = group(
        meeting_attendance::table
            .filter(meeting_attendance::meeting_id.eq_any(&ids))
            .select((
                meeting_attendance::meeting_id,
                meeting_attendance::member_id,
            ))
            .load::<(i64, i64)>(conn)?,
        |p| p.0,
    );
    let members = group(
        committee_members::table
            .filter(committee_members::committee_id.eq_any(&committees))
            .select(Member::as_select())
            .load(conn)?,
        |m| m.committee_id,
    );
    let mut addenda = group(
        meeting_addenda::table
            .filter(meeting_addenda::meeting_id.eq_any(&ids))
            .order(meeting_addenda::id.asc())
            .select(Addendum::as_select())
            .load(conn)?,
        |a| a.meeting_id,
    );
    let mut actions = group(
        action_items::table
            .filter(action_items::meeting_id.eq_any(&ids))
            .order(action_items::id.asc())
            .select(super::actions::ActionItem::as_select())
            .load(conn)?,
        |a| a.meeting_id,
    );
    let mut photos = group(
        work_photos::table
            .filter(work_photos::meeting_id.eq_any(&ids))
            .order(work_photos::id.asc())
            .select((work_photos::meeting_id.assume_not_null(), work_photos::id))
            .load::<(i64, i64)>(conn)?,
        |p| p.0,
    );
    let no_members = vec![];
    Ok(list
        .into_iter()
        .map(|meeting| {
            let present: Vec<i64> = present
                .get(&meeting.id)
                .map(|v| v.iter().map(|p| p.1).collect())
                .unwrap_or_default();
            let serving: Vec<&Member> = members
                .get(&meeting.committee_id)
                .unwrap_or(&no_members)
                .iter()
                .filter(|m| m.serving_on(meeting.held_on))
                .collect();
            let women = serving
                .iter()
                .filter(|m| m.gender == "female" && present.contains(&m.id))
                .count() as i64;
            // only those present who were serving count (attendance is checked against them)
            let counted = serving.iter().filter(|m| present.contains(&m.id)).count() as i64;
            let quorum = quorum(cfg, serving.len() as i64, counted, women);
            MeetingView {
                agenda: agenda.remove(&meeting.id).unwrap_or_default(),
                present,
                quorum,
                addenda: addenda.remove(&meeting.id).unwrap_or_default(),
                action_items: actions.remove(&meeting.id).unwrap_or_default(),
                photos: photos
                    .remove(&meeting.id)
                    .map(|v| v.into_iter().map(|p| p.1).collect())
                    .unwrap_or_default(),
                meeting,
            }
        })
        .collect())
}

/// Filters of the meeting list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct MeetingFilter {
    /// Only this committee's meetings.
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub committee: Option<i64>,
    /// Only this GP's (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// planned, held or approved.
    pub status: Option<String>,
    /// From this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD).
    pub to: Option<String>,
    pub page: Option<i64>,
}

/// Meetings in scope, newest first; `limit` from `offset`, and how many match.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &MeetingFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Meeting>, i64)> {
    let build = || {
        let mut q = meetings::table.into_boxed().filter(crate::in_scope!(
            scope,
            meetings::table,
            meetings::gp_id
        ));
        if let Some(k) = f.committee {
            q = q.filter(meetings::committee_id.eq(k));
        }
        if let Some(g) = f.gp {
            q = q.filter(meetings::gp_id.eq(g));
        }
        if let Some(st) = f.status.as_deref().filter(|s| !s.is_empty()) {
            q = q.filter(meetings::status.eq(st.to_string()));
        }
        if let Some(d) = f.from.as_deref().and_then(forms::parse_date) {
            q = q.filter(meetings::held_on.ge(d));
        }
        if let Some(d) = f.to.as_deref().and_then(forms::parse_date) {
            q = q.filter(meetings::held_on.le(d));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = build()
        .order((meetings::held_on.desc(), meetings::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Meeting::as_select())
        .load(conn)?;
    Ok((rows, total))
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

/// Write the minutes of a held meeting (its attendance, and so its quorum, is recorded
/// first). Items left out keep what they had; approved minutes are locked.
pub fn save_minutes(
    conn: &mut DbConn,
    meeting: &Meeting,
    input: &MinutesInput,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    match meeting.status.as_str() {
        "approved" => return Err(AppError::Conflict("meeting-locked".into())),
        "planned" => {
            return Err(AppError::Conflict(
                "meeting-minutes-before-attendance".into(),
            ))
        }
        _ => {}
    }
    let agenda: Vec<i64> = meeting_agenda::table
        .filter(meeting_agenda::meeting_id.eq(meeting.id))
        .select(meeting_agenda::id)
        .load(conn)?;
    let mut e = FieldErrors::new();
    let mut rows = vec![];
    for (i, item) in input.items.iter().enumerate() {
        let Some(id) = item
            .id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| agenda.contains(id))
        else {
            e.add(&format!("items.{i}.id"), "field-invalid-choice");
            continue;
        };
        let discussion =
            forms::optional_text(&item.discussion, 4000, &format!("discussion_{id}"), &mut e);
        let decision =
            forms::optional_text(&item.decision, 2000, &format!("decision_{id}"), &mut e);
        rows.push((id, discussion, decision));
    }
    e.into_result()?;
    for (id, discussion, decision) in rows {
        diesel::update(meeting_agenda::table.find(id))
            .set((
                meeting_agenda::discussion.eq(discussion),
                meeting_agenda::decision.eq(decision),
            ))
            .execute(conn)?;
    }
    diesel::update(meetings::table.find(meeting.id))
        .set(meetings::updated_at.eq(now))
        .execute(conn)?;
    find(conn, meeting.id)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = meeting_addenda)]
pub struct Addendum {
    pub id: i64,
    pub gp_id: i64,
    pub meeting_id: i64,
    /// The agenda item it corrects, if one.
    pub agenda_item_id: Option<i64>,
    pub body: String,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddendumInput {
    /// The agenda item it corrects (id; optional).
    pub agenda_item_id: String,
    /// The correction (required).
    pub body: String,
}

/// A correction to approved minutes: the minutes stay as approved, the addendum says who
/// added what and when. Before approval the minutes themselves are edited instead.
pub fn add_addendum(
    conn: &mut DbConn,
    actor: &Actor,
    meeting: &Meeting,
    input: &AddendumInput,
    now: NaiveDateTime,
) -> AppResult<Addendum> {
    if meeting.status != "approved" {
        return Err(AppError::Conflict("meeting-addendum-not-approved".into()));
    }
    let mut e = FieldErrors::new();
    let body = forms::required_text(&input.body, 4000, "body", &mut e);
    let item = match input.agenda_item_id.trim() {
        "" => None,
        raw => {
            let found = raw.parse::<i64>().ok().and_then(|id| {
                meeting_agenda::table
                    .filter(meeting_agenda::id.eq(id))
                    .filter(meeting_agenda::meeting_id.eq(meeting.id))
                    .select(meeting_agenda::id)
                    .first::<i64>(conn)
                    .optional()
                    .ok()
                    .flatten()
            });
            if found.is_none() {
                e.add("agenda_item_id", "field-invalid-choice");
            }
            found
        }
    };
    e.into_result()?;
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(meeting_addenda::table)
        .values((
            meeting_addenda::gp_id.eq(meeting.gp_id),
            meeting_addenda::meeting_id.eq(meeting.id),
            meeting_addenda::agenda_item_id.eq(item),
            meeting_addenda::body.eq(body.unwrap_or_default()),
            meeting_addenda::created_by.eq(actor.user.id),
            meeting_addenda::created_by_name.eq(&actor.user.display_name),
            meeting_addenda::created_at.eq(now),
        ))
        .returning(meeting_addenda::id)
        .get_result(c))?;
    Ok(meeting_addenda::table
        .find(id)
        .select(Addendum::as_select())
        .first(conn)?)
}

/// One decision in the register: the agenda item, its meeting and GP.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionRow {
    pub meeting_id: i64,
    pub held_on: NaiveDate,
    pub kind: String,
    pub gp_id: i64,
    pub gp_name: String,
    pub gp_name_hi: Option<String>,
    pub agenda_item_id: i64,
    pub position: i32,
    pub title: String,
    pub decision: String,
}

/// Filters of the decisions register.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct DecisionFilter {
    /// Words in the agenda item or the decision.
    pub q: Option<String>,
    /// Only this GP (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// From this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD).
    pub to: Option<String>,
    pub page: Option<i64>,
}

/// Agenda items with their meeting (the GP's names are read afterwards: `places` cannot be
/// joined here, the scope filter selects from it).
type DecisionSource = diesel::dsl::InnerJoinQuerySource<
    meeting_agenda::table,
    meetings::table,
    diesel::dsl::Eq<meetings::id, meeting_agenda::meeting_id>,
>;

/// Decisions of the meetings in scope, newest meeting first; `limit` rows from `offset`, and
/// the count of all that match.
pub fn decisions(
    conn: &mut DbConn,
    scope: &Scope,
    f: &DecisionFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<DecisionRow>, i64)> {
    macro_rules! filtered {
        () => {{
            let mut q = meeting_agenda::table
                .inner_join(meetings::table.on(meetings::id.eq(meeting_agenda::meeting_id)))
                .filter(meeting_agenda::decision.is_not_null())
                .into_boxed::<crate::db::MultiBackend>()
                .filter(crate::in_scope!(scope, DecisionSource, meetings::gp_id));
            if let Some(gp) = f.gp {
                q = q.filter(meetings::gp_id.eq(gp));
            }
            if let Some(d) = f.from.as_deref().and_then(forms::parse_date) {
                q = q.filter(meetings::held_on.ge(d));
            }
            if let Some(d) = f.to.as_deref().and_then(forms::parse_date) {
                q = q.filter(meetings::held_on.le(d));
            }
            if let Some(words) = f.q.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
                let pat = crate::db::like_pattern(words);
                q = q.filter(
                    crate::db::lower(meeting_agenda::title)
                        .like(pat.clone())
                        .or(crate::db::lower_opt(meeting_agenda::decision).like(pat)),
                );
            }
            q
        }};
    }
    let total: i64 = filtered!().count().get_result(conn)?;
    type Row = (i64, NaiveDate, String, i64, i64, i32, String, String);
    let rows: Vec<Row> = filtered!()
        .order((
            meetings::held_on.desc(),
            meetings::id.desc(),
            meeting_agenda::position.asc(),
        ))
        .offset(offset)
        .limit(limit)
        .select((
            meetings::id,
            meetings::held_on,
            meetings::kind,
            meetings::gp_id,
            meeting_agenda::id,
            meeting_agenda::position,
            meeting_agenda::title,
            meeting_agenda::decision.assume_not_null(),
        ))
        .load(conn)?;
    let mut gp_ids: Vec<i64> = rows.iter().map(|r| r.3).collect();
    gp_ids.sort_unstable();
    gp_ids.dedup();
    let names: std::collections::HashMap<i64, (String, Option<String>)> = places::table
        .filter(places::id.eq_any(&gp_ids))
        .select((places::id, places::name, places::name_hi))
        .load::<(i64, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, n, h)| (id, (n, h)))
        .collect();
    let rows = rows
        .into_iter()
        .map(
            |(meeting_id, held_on, kind, gp_id, item, position, title, decision)| {
                let (gp_name, gp_name_hi) = names.get(&gp_id).cloned().unwrap_or_default();
                DecisionRow {
                    meeting_id,
                    held_on,
                    kind,
                    gp_id,
                    gp_name,
                    gp_name_hi,
                    agenda_item_id: item,
                    position,
                    title,
                    decision,
                }
            },
        )
        .collect();
    Ok((rows, total))
}

/// Whether a GP's committee meets every month: when it last met, and so whether this month's
/// meeting is held, due (last month's was held) or missed (a whole month went by without one).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Regularity {
    pub gp_id: i64,
    pub gp_name: String,
    pub gp_name_hi: Option<String>,
    pub lgd_code: i64,
    /// The last meeting held (attendance recorded), if any.
    pub last_held_on: Option<NaiveDate>,
    /// Calendar months from the last meeting to today (0: this month); none if never.
    pub months_since: Option<i64>,
    /// held (this month), due (last month), missed (earlier) or never.
    pub state: String,
    /// The next planned meeting from today, if any.
    pub next_planned_on: Option<NaiveDate>,
}

fn month_index(d: NaiveDate) -> i64 {
    use chrono::Datelike;
    d.year() as i64 * 12 + d.month0() as i64
}

/// held / due / missed / never, from the last meeting and today.
pub fn regularity_state(last: Option<NaiveDate>, today: NaiveDate) -> (Option<i64>, &'static str) {
    match last {
        None => (None, "never"),
        Some(d) => {
            let n = (month_index(today) - month_index(d)).max(0);
            (
                Some(n),
                match n {
                    0 => "held",
                    1 => "due",
                    _ => "missed",
                },
            )
        }
    }
}

/// Every active GP in scope (or just `gp`) with its meeting regularity, longest since the last
/// meeting first (never first of all), then by name.
pub fn regularity(
    conn: &mut DbConn,
    scope: &Scope,
    gp: Option<i64>,
    today: NaiveDate,
) -> AppResult<Vec<Regularity>> {
    let mut q = scope.filter_places(
        places::table
            .filter(places::level.eq("gp"))
            .filter(places::active.eq(true))
            .into_boxed(),
    );
    if let Some(g) = gp {
        q = q.filter(places::id.eq(g));
    }
    let gps: Vec<(i64, String, Option<String>, i64)> = q
        .select((places::id, places::name, places::name_hi, places::lgd_code))
        .load(conn)?;
    let ids: Vec<i64> = gps.iter().map(|g| g.0).collect();
    let mut last = std::collections::HashMap::new();
    let mut next = std::collections::HashMap::new();
    for chunk in ids.chunks(5_000) {
        let held: Vec<(i64, Option<NaiveDate>)> = meetings::table
            .filter(meetings::gp_id.eq_any(chunk))
            .filter(meetings::status.ne("planned"))
            .filter(meetings::held_on.le(today))
            .group_by(meetings::gp_id)
            .select((meetings::gp_id, diesel::dsl::max(meetings::held_on)))
            .load(conn)?;
        last.extend(held.into_iter().filter_map(|(g, d)| d.map(|d| (g, d))));
        let planned: Vec<(i64, Option<NaiveDate>)> = meetings::table
            .filter(meetings::gp_id.eq_any(chunk))
            .filter(meetings::status.eq("planned"))
            .filter(meetings::held_on.ge(today))
            .group_by(meetings::gp_id)
            .select((meetings::gp_id, diesel::dsl::min(meetings::held_on)))
            .load(conn)?;
        next.extend(planned.into_iter().filter_map(|(g, d)| d.map(|d| (g, d))));
    }
    let mut out: Vec<Regularity> = gps
        .into_iter()
        .map(|(id, name, name_hi, lgd)| {
            let l = last.get(&id).copied();
            let (months_since, state) = regularity_state(l, today);
            Regularity {
                gp_id: id,
                gp_name: name,
                gp_name_hi: name_hi,
                lgd_code: lgd,
                last_held_on: l,
                months_since,
                state: state.into(),
                next_planned_on: next.get(&id).copied(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |r: &Regularity| std::cmp::Reverse(r.months_since.unwrap_or(i64::MAX));
        key(a).cmp(&key(b)).then_with(|| a.gp_name.cmp(&b.gp_name))
    });
    Ok(out)
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
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2027, 3, 1);
        assert_eq!(
            regularity_state(Some(d(2027, 3, 1)), today),
            (Some(0), "held")
        );
        // the last day of February is last month, however close
        assert_eq!(
            regularity_state(Some(d(2027, 2, 28)), today),
            (Some(1), "due")
        );
        assert_eq!(
            regularity_state(Some(d(2027, 1, 31)), today),
            (Some(2), "missed")
        );
        // across the year's end
        assert_eq!(
            regularity_state(Some(d(2026, 12, 15)), d(2027, 1, 2)),
            (Some(1), "due")
        );
        assert_eq!(regularity_state(None, today), (None, "never"));
    }
}
