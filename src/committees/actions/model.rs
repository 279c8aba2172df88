//! Action items' rows and queries: the items, the lists (open first, overdue on the fly), a
//! GP's open counts, the records an item may point at, and the names the pages show.

use super::{ActionStatus, OVERDUE};
use crate::auth::Scope;
use crate::db::schema::{action_items, assets, breakdowns, committee_members, households, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = action_items, treat_none_as_default_value = false)]
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
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl ActionItem {
    pub fn is_open(&self) -> bool {
        ActionStatus::parse(&self.status) == Some(ActionStatus::Open)
    }

    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_on < today
    }
}

/// A validated action item, ready to store.
pub struct NewItem {
    pub gp_id: i64,
    pub meeting_id: i64,
    pub agenda_item_id: Option<i64>,
    pub description: String,
    pub owner_member_id: Option<i64>,
    pub due_on: NaiveDate,
    pub scheme_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub breakdown_id: Option<i64>,
    pub household_id: Option<i64>,
    pub created_by: i64,
}

pub fn insert(conn: &mut DbConn, i: &NewItem, now: NaiveDateTime) -> AppResult<ActionItem> {
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(action_items::table)
        .values((
            action_items::gp_id.eq(i.gp_id),
            action_items::meeting_id.eq(i.meeting_id),
            action_items::agenda_item_id.eq(i.agenda_item_id),
            action_items::description.eq(&i.description),
            action_items::owner_member_id.eq(i.owner_member_id),
            action_items::due_on.eq(i.due_on),
            action_items::status.eq(ActionStatus::Open.as_str()),
            action_items::scheme_id.eq(i.scheme_id),
            action_items::asset_id.eq(i.asset_id),
            action_items::breakdown_id.eq(i.breakdown_id),
            action_items::household_id.eq(i.household_id),
            action_items::created_by.eq(i.created_by),
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

/// Close an open item (done or dropped); returns how many rows changed (0: it was closed).
pub fn set_closed(
    conn: &mut DbConn,
    id: i64,
    status: ActionStatus,
    on: NaiveDate,
    note: Option<String>,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<usize> {
    Ok(diesel::update(
        action_items::table
            .filter(action_items::id.eq(id))
            .filter(action_items::status.eq(ActionStatus::Open.as_str())),
    )
    .set((
        action_items::status.eq(status.as_str()),
        action_items::closed_on.eq(on),
        action_items::close_note.eq(note),
        action_items::closed_by.eq(by),
        action_items::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// Whether the item's owner is a member linked to this user account.
pub fn owned_by_user(conn: &mut DbConn, item: &ActionItem, user_id: i64) -> AppResult<bool> {
    let Some(owner) = item.owner_member_id else {
        return Ok(false);
    };
    Ok(crate::committees::model::member_user(conn, owner)? == Some(user_id))
}

/// A scheme of the GP, by id.
pub fn scheme_of_gp(conn: &mut DbConn, gp: i64, id: i64) -> Option<i64> {
    schemes::table
        .filter(schemes::id.eq(id))
        .filter(schemes::gp_id.eq(gp))
        .select(schemes::id)
        .first(conn)
        .optional()
        .ok()?
}

/// An asset of the GP, by id.
pub fn asset_of_gp(conn: &mut DbConn, gp: i64, id: i64) -> Option<i64> {
    assets::table
        .filter(assets::id.eq(id))
        .filter(assets::gp_id.eq(gp))
        .select(assets::id)
        .first(conn)
        .optional()
        .ok()?
}

/// A breakdown of the GP, by its complaint number or else its id.
pub fn breakdown_of_gp(conn: &mut DbConn, gp: i64, raw: &str) -> Option<i64> {
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
}

/// A household of the GP, by its connection number or else its id.
pub fn household_of_gp(conn: &mut DbConn, gp: i64, raw: &str) -> Option<i64> {
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
}

/// Filters of the action-item list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
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
    scope.check_gp(conn, f.gp)?;
    let open = ActionStatus::Open.as_str();
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
                Some(OVERDUE) => {
                    q = q
                        .filter(action_items::status.eq(open))
                        .filter(action_items::due_on.lt(today))
                }
                Some(s) => {
                    if let Some(s) = ActionStatus::parse(s) {
                        q = q.filter(action_items::status.eq(s.as_str()))
                    }
                }
                None => {}
            }
            crate::changed_since!(q, f.changes, action_items::updated_at, action_items::id)
        }};
    }
    let total: i64 = filtered!().count().get_result(conn)?;
    // open before closed, then by due date
    let rows = crate::sync_order!(
        filtered!(),
        f.changes,
        action_items::updated_at,
        action_items::id,
        (
            action_items::status.ne(open),
            action_items::due_on.asc(),
            action_items::id.asc(),
        )
    )
    .offset(offset)
    .limit(limit)
    .select(ActionItem::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Open action items of one GP: (open, of which overdue).
pub fn open_counts(conn: &mut DbConn, gp_id: i64, today: NaiveDate) -> AppResult<(i64, i64)> {
    let open = ActionStatus::Open.as_str();
    let all: i64 = action_items::table
        .filter(action_items::gp_id.eq(gp_id))
        .filter(action_items::status.eq(open))
        .count()
        .get_result(conn)?;
    let overdue: i64 = action_items::table
        .filter(action_items::gp_id.eq(gp_id))
        .filter(action_items::status.eq(open))
        .filter(action_items::due_on.lt(today))
        .count()
        .get_result(conn)?;
    Ok((all, overdue))
}

/// The names the pages show beside some action items: owners, the records they point at and
/// their meetings' days (id → name or day).
#[derive(Debug, Default)]
pub struct Labels {
    pub owners: HashMap<i64, String>,
    pub schemes: HashMap<i64, String>,
    pub assets: HashMap<i64, String>,
    pub breakdowns: HashMap<i64, String>,
    pub households: HashMap<i64, String>,
    pub meetings: HashMap<i64, NaiveDate>,
}

/// [`Labels`] for some action items, one query per kind whatever their number.
pub fn labels(
    conn: &mut DbConn,
    items: &[ActionItem],
    lang: crate::web::i18n::Lang,
) -> AppResult<Labels> {
    fn ids(items: &[ActionItem], f: impl Fn(&ActionItem) -> Option<i64>) -> Vec<i64> {
        let mut v: Vec<i64> = items.iter().filter_map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    // id → name of the records the items point at, one query per kind
    macro_rules! labels {
        ($t:ident, $label:ident, $pick:expr) => {
            $t::table
                .filter($t::id.eq_any(ids(items, $pick)))
                .select(($t::id, $t::$label))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .collect::<HashMap<i64, String>>()
        };
    }
    // schemes and assets by their name in the reader's language
    macro_rules! names {
        ($t:ident, $pick:expr) => {
            $t::table
                .filter($t::id.eq_any(ids(items, $pick)))
                .select(($t::id, $t::name, $t::name_hi))
                .load::<(i64, String, Option<String>)>(conn)?
                .into_iter()
                .map(|(id, n, h)| {
                    (
                        id,
                        crate::web::i18n::name_in(lang, &n, h.as_deref()).to_string(),
                    )
                })
                .collect::<HashMap<i64, String>>()
        };
    }
    Ok(Labels {
        owners: labels!(committee_members, name, |i| i.owner_member_id),
        schemes: names!(schemes, |i| i.scheme_id),
        assets: names!(assets, |i| i.asset_id),
        breakdowns: labels!(breakdowns, number, |i| i.breakdown_id),
        households: labels!(households, connection_no, |i| i.household_id),
        meetings: crate::committees::meetings::model::days_of(
            conn,
            &ids(items, |i| Some(i.meeting_id)),
        )?,
    })
}
