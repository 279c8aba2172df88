//! Meetings' rows and queries: meetings with their agenda, attendance, addenda, action
//! items and photos (one query per kind of detail for a page of meetings), the writes the
//! use cases make, the decisions register and each GP's regularity.

use super::{quorum, regularity_state, MeetingStatus, Quorum};
use crate::auth::Scope;
use crate::committees::{Gender, Member};
use crate::config::CommitteesConfig;
use crate::db::schema::{meeting_addenda, meeting_agenda, meeting_attendance, meetings, places};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::places::Level;
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = meetings, treat_none_as_default_value = false)]
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
    #[serde(with = "crate::clock::utc::option")]
    pub approved_at: Option<NaiveDateTime>,
    pub approved_by: Option<i64>,
    pub created_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
    /// The language the minutes are written and printed in: hi or en.
    pub lang: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = meeting_agenda, treat_none_as_default_value = false)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i32,
    pub title: String,
    pub discussion: Option<String>,
    pub decision: Option<String>,
}

impl Meeting {
    /// The meeting's status (a planned meeting when the stored text is unknown).
    pub fn status(&self) -> MeetingStatus {
        MeetingStatus::parse(&self.status).unwrap_or(MeetingStatus::Planned)
    }
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
    pub action_items: Vec<crate::committees::actions::ActionItem>,
    /// Photos (ids) of the signed attendance register: `/photos/{id}/small|full`.
    pub photos: Vec<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = meeting_addenda, treat_none_as_default_value = false)]
pub struct Addendum {
    pub id: i64,
    pub gp_id: i64,
    pub meeting_id: i64,
    /// The agenda item it corrects, if one.
    pub agenda_item_id: Option<i64>,
    pub body: String,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// A committee member present at a meeting.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = meeting_attendance, treat_none_as_default_value = false)]
pub struct Attendance {
    pub meeting_id: i64,
    pub member_id: i64,
}

/// A validated meeting with its agenda, ready to store.
pub struct NewMeeting<'a> {
    pub kind: &'a str,
    pub held_on: NaiveDate,
    pub starts_at: Option<String>,
    pub venue: Option<String>,
    pub lang: &'a str,
    pub agenda: Vec<String>,
    pub created_by: i64,
}

/// Store a planned meeting and its agenda (in order).
pub fn insert(
    conn: &mut DbConn,
    committee: &crate::committees::Committee,
    m: &NewMeeting<'_>,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(meetings::table)
        .values((
            meetings::committee_id.eq(committee.id),
            meetings::gp_id.eq(committee.gp_id),
            meetings::kind.eq(m.kind),
            meetings::held_on.eq(m.held_on),
            meetings::starts_at.eq(&m.starts_at),
            meetings::venue.eq(&m.venue),
            meetings::status.eq(MeetingStatus::Planned.as_str()),
            meetings::lang.eq(m.lang),
            meetings::created_by.eq(m.created_by),
            meetings::created_at.eq(now),
            meetings::updated_at.eq(now),
        ))
        .returning(meetings::id)
        .get_result(c))?;
    for (i, title) in m.agenda.iter().enumerate() {
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

/// The day each of these meetings is (was) held.
pub fn days_of(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, NaiveDate>> {
    Ok(meetings::table
        .filter(meetings::id.eq_any(ids))
        .select((meetings::id, meetings::held_on))
        .load::<(i64, NaiveDate)>(conn)?
        .into_iter()
        .collect())
}

/// Replace a meeting's attendance and make it held, with the other villagers' counts.
pub fn set_attendance(
    conn: &mut DbConn,
    meeting_id: i64,
    present: &[i64],
    others: i32,
    women: i32,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    diesel::delete(meeting_attendance::table.filter(meeting_attendance::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    for m in present {
        diesel::insert_into(meeting_attendance::table)
            .values((
                meeting_attendance::meeting_id.eq(meeting_id),
                meeting_attendance::member_id.eq(m),
            ))
            .execute(conn)?;
    }
    diesel::update(meetings::table.find(meeting_id))
        .set((
            meetings::status.eq(MeetingStatus::Held.as_str()),
            meetings::others_present.eq(others),
            meetings::others_women.eq(women),
            meetings::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, meeting_id)
}

/// Mark a held meeting's minutes approved (nothing changes if it is not held).
pub fn set_approved(
    conn: &mut DbConn,
    meeting_id: i64,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    diesel::update(
        meetings::table
            .filter(meetings::id.eq(meeting_id))
            .filter(meetings::status.eq(MeetingStatus::Held.as_str())),
    )
    .set((
        meetings::status.eq(MeetingStatus::Approved.as_str()),
        meetings::approved_at.eq(now),
        meetings::approved_by.eq(by),
        meetings::updated_at.eq(now),
    ))
    .execute(conn)?;
    find(conn, meeting_id)
}

/// The ids of a meeting's agenda items.
pub fn agenda_ids(conn: &mut DbConn, meeting_id: i64) -> AppResult<Vec<i64>> {
    Ok(meeting_agenda::table
        .filter(meeting_agenda::meeting_id.eq(meeting_id))
        .select(meeting_agenda::id)
        .load(conn)?)
}

/// The agenda item `id` if it belongs to the meeting.
pub fn agenda_item_of(conn: &mut DbConn, meeting_id: i64, id: i64) -> AppResult<Option<i64>> {
    Ok(meeting_agenda::table
        .filter(meeting_agenda::id.eq(id))
        .filter(meeting_agenda::meeting_id.eq(meeting_id))
        .select(meeting_agenda::id)
        .first::<i64>(conn)
        .optional()?)
}

/// Write the minutes of some agenda items (id, discussion, decision) and touch the meeting.
pub fn set_minutes(
    conn: &mut DbConn,
    meeting_id: i64,
    rows: Vec<(i64, Option<String>, Option<String>)>,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    for (id, discussion, decision) in rows {
        diesel::update(meeting_agenda::table.find(id))
            .set((
                meeting_agenda::discussion.eq(discussion),
                meeting_agenda::decision.eq(decision),
            ))
            .execute(conn)?;
    }
    diesel::update(meetings::table.find(meeting_id))
        .set(meetings::updated_at.eq(now))
        .execute(conn)?;
    find(conn, meeting_id)
}

pub fn insert_addendum(
    conn: &mut DbConn,
    meeting: &Meeting,
    agenda_item_id: Option<i64>,
    body: &str,
    by: (i64, &str),
    now: NaiveDateTime,
) -> AppResult<Addendum> {
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(meeting_addenda::table)
        .values((
            meeting_addenda::gp_id.eq(meeting.gp_id),
            meeting_addenda::meeting_id.eq(meeting.id),
            meeting_addenda::agenda_item_id.eq(agenda_item_id),
            meeting_addenda::body.eq(body),
            meeting_addenda::created_by.eq(by.0),
            meeting_addenda::created_by_name.eq(by.1),
            meeting_addenda::created_at.eq(now),
        ))
        .returning(meeting_addenda::id)
        .get_result(c))?;
    Ok(meeting_addenda::table
        .find(id)
        .select(Addendum::as_select())
        .first(conn)?)
}

/// The members serving on the meeting's day.
pub fn serving_on(conn: &mut DbConn, meeting: &Meeting) -> AppResult<Vec<Member>> {
    Ok(
        crate::committees::model::members(conn, meeting.committee_id)?
            .into_iter()
            .filter(|m| m.serving_on(meeting.held_on))
            .collect(),
    )
}

pub fn view(conn: &mut DbConn, cfg: &CommitteesConfig, meeting: Meeting) -> AppResult<MeetingView> {
    views(conn, cfg, vec![meeting])?
        .pop()
        .ok_or(AppError::NotFound)
}

/// What an action item of a GP may point at, for the meeting page's choices: its schemes
/// (id, name) and its assets in service (id, name, scheme), at most 500.
pub type LinkChoices = (Vec<(i64, String)>, Vec<(i64, String, i64)>);

pub fn link_choices(
    conn: &mut DbConn,
    gp: i64,
    lang: crate::web::i18n::Lang,
) -> AppResult<LinkChoices> {
    use crate::db::schema::{assets, schemes};
    use crate::web::i18n::name_in;
    let schemes: Vec<(i64, String)> = schemes::table
        .filter(schemes::gp_id.eq(gp))
        .order(schemes::name.asc())
        .select((schemes::id, schemes::name, schemes::name_hi))
        .load::<(i64, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, n, h)| (id, name_in(lang, &n, h.as_deref()).to_string()))
        .collect();
    let assets: Vec<(i64, String, i64)> = assets::table
        .filter(assets::gp_id.eq(gp))
        .filter(assets::status.eq_any(["working", "needs_attention", "failed"]))
        .order((assets::scheme_id.asc(), assets::name.asc()))
        .limit(500)
        .select((assets::id, assets::name, assets::name_hi, assets::scheme_id))
        .load::<(i64, String, Option<String>, i64)>(conn)?
        .into_iter()
        .map(|(id, n, h, s)| (id, name_in(lang, &n, h.as_deref()).to_string(), s))
        .collect();
    Ok((schemes, assets))
}

/// Views of several meetings in a fixed number of queries (one per kind of detail), in the
/// order given.
pub fn views(
    conn: &mut DbConn,
    cfg: &CommitteesConfig,
    list: Vec<Meeting>,
) -> AppResult<Vec<MeetingView>> {
    use crate::db::schema::{action_items, committee_members, work_photos};
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
            .select(crate::committees::actions::ActionItem::as_select())
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
                .filter(|m| {
                    Gender::parse(&m.gender) == Some(Gender::Female) && present.contains(&m.id)
                })
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
#[into_params(parameter_in = Query)]
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
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// Meetings in scope, newest first; `limit` from `offset`, and how many match.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &MeetingFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Meeting>, i64)> {
    scope.check_gp(conn, f.gp)?;
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
        crate::changed_since!(q, f.changes, meetings::updated_at, meetings::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        f.changes,
        meetings::updated_at,
        meetings::id,
        (meetings::held_on.desc(), meetings::id.desc())
    )
    .offset(offset)
    .limit(limit)
    .select(Meeting::as_select())
    .load(conn)?;
    Ok((rows, total))
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
    /// When its meeting (and so the minutes that hold the decision) last changed.
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

/// Filters of the decisions register.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// Agenda items with their meeting (the GP's names are read afterwards: `places` cannot be
/// joined here, the scope filter selects from it).
type DecisionSource = diesel::dsl::InnerJoinQuerySource<
    meeting_agenda::table,
    meetings::table,
    diesel::dsl::Eq<meetings::id, meeting_agenda::meeting_id>,
>;

/// Decisions of the meetings in scope, newest meeting first; `limit` rows from `offset`, and
/// the count of all that match. An agenda item has no time of its own: its minutes are
/// written only with the meeting touched ([`set_minutes`]), so the meeting's `updated_at` is
/// a decision's change time (pulling changes: in that order, by agenda item id).
pub fn decisions(
    conn: &mut DbConn,
    scope: &Scope,
    f: &DecisionFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<DecisionRow>, i64)> {
    scope.check_gp(conn, f.gp)?;
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
                        .escape(crate::db::LIKE_ESCAPE)
                        .or(crate::db::lower_opt(meeting_agenda::decision)
                            .like(pat)
                            .escape(crate::db::LIKE_ESCAPE)),
                );
            }
            crate::changed_since!(q, f.changes, meetings::updated_at, meeting_agenda::id)
        }};
    }
    let total: i64 = filtered!().count().get_result(conn)?;
    type Row = (
        i64,
        NaiveDate,
        String,
        i64,
        i64,
        i32,
        String,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Row> = crate::sync_order!(
        filtered!(),
        f.changes,
        meetings::updated_at,
        meeting_agenda::id,
        (
            meetings::held_on.desc(),
            meetings::id.desc(),
            meeting_agenda::position.asc(),
        )
    )
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
        meetings::updated_at,
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
            |(meeting_id, held_on, kind, gp_id, item, position, title, decision, updated_at)| {
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
                    updated_at,
                }
            },
        )
        .collect();
    Ok((rows, total))
}

/// Agenda items of the meetings in scope changed since `changes` that hold no decision (now):
/// pulling the register, these are gone from it (a decision taken out of minutes not yet
/// approved), or were never in it.
pub fn cleared_decisions(
    conn: &mut DbConn,
    scope: &Scope,
    changes: &crate::web::sync::Changes,
) -> AppResult<Vec<i64>> {
    Ok(meeting_agenda::table
        .inner_join(meetings::table.on(meetings::id.eq(meeting_agenda::meeting_id)))
        .filter(meeting_agenda::decision.is_null())
        .filter(meetings::updated_at.ge(changes.since))
        .into_boxed::<crate::db::MultiBackend>()
        .filter(crate::in_scope!(scope, DecisionSource, meetings::gp_id))
        .order(meeting_agenda::id.asc())
        .select(meeting_agenda::id)
        .load(conn)?)
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
            .filter(places::level.eq(Level::Gp.as_str()))
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
            .filter(meetings::status.ne(MeetingStatus::Planned.as_str()))
            .filter(meetings::held_on.le(today))
            .group_by(meetings::gp_id)
            .select((meetings::gp_id, diesel::dsl::max(meetings::held_on)))
            .load(conn)?;
        last.extend(held.into_iter().filter_map(|(g, d)| d.map(|d| (g, d))));
        let planned: Vec<(i64, Option<NaiveDate>)> = meetings::table
            .filter(meetings::gp_id.eq_any(chunk))
            .filter(meetings::status.eq(MeetingStatus::Planned.as_str()))
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
                state: state.as_str().into(),
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
