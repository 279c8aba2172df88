//! Reminders: what the scheduler's rules raise for a person (one row per recipient, unique by
//! its dedupe key), shown in their inbox until they read it and until its cause clears (then
//! it is resolved and neither shown nor sent). Messages are rendered when shown, in the
//! reader's language, from the rule's name, the label kept when raised and the due date.

pub mod http;
pub mod rules;

use crate::db::schema::reminders;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = reminders)]
pub struct Reminder {
    pub id: i64,
    pub gp_id: i64,
    pub user_id: i64,
    /// The rule that raised it (see `reminders::rules::NAMES`).
    pub rule: String,
    /// task, breakdown, action_item, asset, scheme, log or gp.
    pub subject_kind: String,
    pub subject_id: i64,
    #[serde(skip)]
    pub dedupe_key: String,
    /// What it is about, as it was named when raised.
    pub label: String,
    /// Where to go to act on it.
    pub link: String,
    pub due_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    /// When its cause cleared (a resolved reminder is no longer shown).
    pub resolved_at: Option<NaiveDateTime>,
    /// none, pending or sent.
    pub email_state: String,
}

/// The area a rule belongs to, for the inbox filter.
pub fn area(rule: &str) -> &'static str {
    match rule {
        r if r.starts_with("task_") => "maintenance",
        r if r.starts_with("water_") => "water",
        r if r.starts_with("breakdown_") => "breakdowns",
        r if r.starts_with("action_") || r.starts_with("meeting_") => "meetings",
        r if r.starts_with("asset_") || r.starts_with("scheme_") => "assets",
        _ => "billing",
    }
}

pub const AREAS: [&str; 6] = [
    "maintenance",
    "water",
    "breakdowns",
    "meetings",
    "assets",
    "billing",
];

fn rules_of(area_name: &str) -> Vec<&'static str> {
    rules::NAMES
        .iter()
        .copied()
        .filter(|r| area(r) == area_name)
        .collect()
}

/// Filters of the inbox.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
pub struct InboxFilter {
    /// maintenance, water, breakdowns, meetings, assets or billing.
    pub area: Option<String>,
    /// Only the unread ones.
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub unread: Option<bool>,
    pub page: Option<i64>,
}

/// A user's open reminders, newest first; `limit` from `offset`, and how many match.
pub fn inbox(
    conn: &mut DbConn,
    user_id: i64,
    f: &InboxFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Reminder>, i64)> {
    let build = || {
        let mut q = reminders::table
            .filter(reminders::user_id.eq(user_id))
            .filter(reminders::resolved_at.is_null())
            .into_boxed();
        if let Some(a) = f.area.as_deref().filter(|a| AREAS.contains(a)) {
            q = q.filter(reminders::rule.eq_any(rules_of(a)));
        }
        if f.unread == Some(true) {
            q = q.filter(reminders::read_at.is_null());
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = build()
        .order(reminders::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Reminder::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Unread, unresolved reminders of a user (the bell's number).
pub fn unread_count(conn: &mut DbConn, user_id: i64) -> AppResult<i64> {
    Ok(reminders::table
        .filter(reminders::user_id.eq(user_id))
        .filter(reminders::resolved_at.is_null())
        .filter(reminders::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Mark one of the user's reminders read (someone else's is not found).
pub fn mark_read(
    conn: &mut DbConn,
    user_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> AppResult<Reminder> {
    let r: Reminder = reminders::table
        .filter(reminders::id.eq(id))
        .filter(reminders::user_id.eq(user_id))
        .select(Reminder::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if r.read_at.is_none() {
        diesel::update(reminders::table.find(id))
            .set(reminders::read_at.eq(now))
            .execute(conn)?;
    }
    Ok(reminders::table
        .find(id)
        .select(Reminder::as_select())
        .first(conn)?)
}

/// Mark every open reminder of the user read; returns how many changed.
pub fn mark_all_read(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::update(
        reminders::table
            .filter(reminders::user_id.eq(user_id))
            .filter(reminders::read_at.is_null())
            .filter(reminders::resolved_at.is_null()),
    )
    .set(reminders::read_at.eq(now))
    .execute(conn)?)
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
