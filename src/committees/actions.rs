//! Action items: what a meeting decided somebody should do, by when. Each belongs to a meeting
//! (and, when it follows one decision, to that agenda item), has an owner among the
//! committee's members, a due date, and may point at a scheme, an asset, a breakdown or a
//! household of the same GP. It is `open` until it is `done` (with the day) or `dropped`
//! (with a reason); both are final. Overdue is computed when shown: open and due before today.

use super::meetings::Meeting;
use crate::auth::{Actor, Scope};
use crate::db::schema::{
    action_items, assets, breakdowns, committee_members, households, meeting_agenda, schemes,
};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub const STATUSES: [&str; 3] = ["open", "done", "dropped"];

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = action_items)]
pub struct ActionItem {
    pub id: i64,
    pub gp_id: i64,
    pub meeting_id: i64,
    /// The decision (agenda item) it follows from, if one.
    pub agenda_item_id: Option<i64>,
    pub description: String,
    /// The committee member who will do it.
    pub owner_member_id: Option<i64>,
    pub due_on: NaiveDate,
    /// open, done or dropped.
    pub status: String,
    /// The day it was done or dropped.
    pub closed_on: Option<NaiveDate>,
    /// What was done, or why it was dropped (required then).
    pub close_note: Option<String>,
    pub closed_by: Option<i64>,
    pub scheme_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub breakdown_id: Option<i64>,
    pub household_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ActionItem {
    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.status == "open" && self.due_on < today
    }
}

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

/// One id from a form field (empty is none; anything else that is not found is an error).
fn link<F>(raw: &str, field: &str, e: &mut FieldErrors, find: F) -> Option<i64>
where
    F: FnOnce(&str) -> Option<i64>,
{
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let found = find(raw);
    if found.is_none() {
        e.add(field, "action-link-not-found");
    }
    found
}

/// Add an action item to a meeting that is not approved yet (after approval, the minutes and
/// what they decided are locked).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    meeting: &Meeting,
    input: &ActionInput,
    now: NaiveDateTime,
) -> AppResult<ActionItem> {
    if meeting.status == "approved" {
        return Err(AppError::Conflict("meeting-locked".into()));
    }
    let gp = meeting.gp_id;
    let mut e = FieldErrors::new();
    let description = forms::required_text(&input.description, 1000, "description", &mut e);
    let due = forms::optional_date(&input.due_on, None, "due_on", &mut e);
    if due.is_none() && !e.has("due_on") {
        e.add("due_on", "field-required");
    }
    let owner = link(&input.owner_member_id, "owner_member_id", &mut e, |raw| {
        let id = raw.parse::<i64>().ok()?;
        let m: Option<super::Member> = committee_members::table
            .filter(committee_members::id.eq(id))
            .filter(committee_members::committee_id.eq(meeting.committee_id))
            .select(super::Member::as_select())
            .first(conn)
            .optional()
            .ok()?;
        m.filter(|m| m.serving_on(meeting.held_on)).map(|m| m.id)
    });
    let item = link(&input.agenda_item_id, "agenda_item_id", &mut e, |raw| {
        meeting_agenda::table
            .filter(meeting_agenda::id.eq(raw.parse::<i64>().ok()?))
            .filter(meeting_agenda::meeting_id.eq(meeting.id))
            .select(meeting_agenda::id)
            .first(conn)
            .optional()
            .ok()?
    });
    let scheme = link(&input.scheme_id, "scheme_id", &mut e, |raw| {
        schemes::table
            .filter(schemes::id.eq(raw.parse::<i64>().ok()?))
            .filter(schemes::gp_id.eq(gp))
            .select(schemes::id)
            .first(conn)
            .optional()
            .ok()?
    });
    let asset = link(&input.asset_id, "asset_id", &mut e, |raw| {
        assets::table
            .filter(assets::id.eq(raw.parse::<i64>().ok()?))
            .filter(assets::gp_id.eq(gp))
            .select(assets::id)
            .first(conn)
            .optional()
            .ok()?
    });
    let breakdown = link(&input.breakdown, "breakdown", &mut e, |raw| {
        let by_number: Option<i64> = breakdowns::table
            .filter(breakdowns::gp_id.eq(gp))
            .filter(breakdowns::number.eq(raw))
            .select(breakdowns::id)
            .first(conn)
            .optional()
            .ok()?;
        by_number.or_else(|| {
            breakdowns::table
                .filter(breakdowns::gp_id.eq(gp))
                .filter(breakdowns::id.eq(raw.parse::<i64>().ok()?))
                .select(breakdowns::id)
                .first(conn)
                .optional()
                .ok()?
        })
    });
    let household = link(&input.household, "household", &mut e, |raw| {
        let by_number: Option<i64> = households::table
            .filter(households::gp_id.eq(gp))
            .filter(households::connection_no.eq(raw))
            .select(households::id)
            .first(conn)
            .optional()
            .ok()?;
        by_number.or_else(|| {
            households::table
                .filter(households::gp_id.eq(gp))
                .filter(households::id.eq(raw.parse::<i64>().ok()?))
                .select(households::id)
                .first(conn)
                .optional()
                .ok()?
        })
    });
    e.into_result()?;
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(action_items::table)
        .values((
            action_items::gp_id.eq(gp),
            action_items::meeting_id.eq(meeting.id),
            action_items::agenda_item_id.eq(item),
            action_items::description.eq(description.clone().unwrap_or_default()),
            action_items::owner_member_id.eq(owner),
            action_items::due_on.eq(due.unwrap_or_default()),
            action_items::status.eq("open"),
            action_items::scheme_id.eq(scheme),
            action_items::asset_id.eq(asset),
            action_items::breakdown_id.eq(breakdown),
            action_items::household_id.eq(household),
            action_items::created_by.eq(actor.user.id),
            action_items::created_at.eq(now),
            action_items::updated_at.eq(now),
        ))
        .returning(action_items::id)
        .get_result(c))?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<ActionItem> {
    action_items::table
        .find(id)
        .select(ActionItem::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<ActionItem> {
    action_items::table
        .filter(action_items::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            action_items::table,
            action_items::gp_id
        ))
        .select(ActionItem::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
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

/// Mark an open action item done or dropped. Closed items stay as they are (409).
pub fn close(
    conn: &mut DbConn,
    actor: &Actor,
    item: &ActionItem,
    input: &CloseInput,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<ActionItem> {
    if item.status != "open" {
        return Err(AppError::Conflict("action-closed".into()));
    }
    let mut e = FieldErrors::new();
    let status = match input.status.trim() {
        s @ ("done" | "dropped") => s,
        _ => {
            e.add("status", "field-invalid-choice");
            "done"
        }
    };
    let on = forms::optional_date(&input.on, Some(today), "on", &mut e).unwrap_or(today);
    let held_on: NaiveDate = crate::db::schema::meetings::table
        .find(item.meeting_id)
        .select(crate::db::schema::meetings::held_on)
        .first(conn)?;
    if on < held_on && !e.has("on") {
        e.add("on", "action-closed-before-meeting");
    }
    let note = forms::optional_text(&input.note, 1000, "note", &mut e);
    if status == "dropped" && note.is_none() && !e.has("note") {
        e.add("note", "action-drop-reason-required");
    }
    e.into_result()?;
    let n = diesel::update(
        action_items::table
            .filter(action_items::id.eq(item.id))
            .filter(action_items::status.eq("open")),
    )
    .set((
        action_items::status.eq(status),
        action_items::closed_on.eq(on),
        action_items::close_note.eq(note),
        action_items::closed_by.eq(actor.user.id),
        action_items::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::Conflict("action-closed".into()));
    }
    find(conn, item.id)
}

/// Whether the item's owner is a member linked to this user account.
pub fn owned_by_user(conn: &mut DbConn, item: &ActionItem, user_id: i64) -> AppResult<bool> {
    let Some(owner) = item.owner_member_id else {
        return Ok(false);
    };
    let linked: Option<Option<i64>> = committee_members::table
        .filter(committee_members::id.eq(owner))
        .select(committee_members::user_id)
        .first(conn)
        .optional()?;
    Ok(linked.flatten() == Some(user_id))
}

/// Filters of the action-item list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ActionFilter {
    /// open, done, dropped, or overdue (open and past its due date); all when empty.
    pub status: Option<String>,
    /// Only this member's (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub owner: Option<i64>,
    /// Only this GP's (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// Only this meeting's (id).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub meeting: Option<i64>,
    pub page: Option<i64>,
}

/// Action items in scope: open ones first by due date, then closed ones newest first; `limit`
/// rows from `offset`, and how many match.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &ActionFilter,
    today: NaiveDate,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<ActionItem>, i64)> {
    macro_rules! filtered {
        () => {{
            let mut q = action_items::table
                .filter(crate::in_scope!(
                    scope,
                    action_items::table,
                    action_items::gp_id
                ))
                .into_boxed();
            if let Some(g) = f.gp {
                q = q.filter(action_items::gp_id.eq(g));
            }
            if let Some(o) = f.owner {
                q = q.filter(action_items::owner_member_id.eq(o));
            }
            if let Some(m) = f.meeting {
                q = q.filter(action_items::meeting_id.eq(m));
            }
            match f.status.as_deref().map(str::trim) {
                Some("overdue") => {
                    q = q
                        .filter(action_items::status.eq("open"))
                        .filter(action_items::due_on.lt(today))
                }
                Some(s) if STATUSES.contains(&s) => q = q.filter(action_items::status.eq(s)),
                _ => {}
            }
            q
        }};
    }
    let total: i64 = filtered!().count().get_result(conn)?;
    // open before closed ("done" and "dropped" sort after "open" reversed), then by due date
    let rows = filtered!()
        .order((
            action_items::status.ne("open"),
            action_items::due_on.asc(),
            action_items::id.asc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(ActionItem::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Open action items of one GP: (open, of which overdue).
pub fn open_counts(conn: &mut DbConn, gp_id: i64, today: NaiveDate) -> AppResult<(i64, i64)> {
    let open: i64 = action_items::table
        .filter(action_items::gp_id.eq(gp_id))
        .filter(action_items::status.eq("open"))
        .count()
        .get_result(conn)?;
    let overdue: i64 = action_items::table
        .filter(action_items::gp_id.eq(gp_id))
        .filter(action_items::status.eq("open"))
        .filter(action_items::due_on.lt(today))
        .count()
        .get_result(conn)?;
    Ok((open, overdue))
}
