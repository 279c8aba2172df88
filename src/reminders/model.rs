//! Reminders' rows and queries: a user's inbox, the bell's count, marking read.

use super::Area;
use crate::db::schema::reminders;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::maintenance::templates::Library;
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
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub read_at: Option<NaiveDateTime>,
    /// When its cause cleared (a resolved reminder is no longer shown).
    #[serde(with = "crate::clock::utc::option")]
    pub resolved_at: Option<NaiveDateTime>,
    /// none, pending or sent.
    pub email_state: String,
    /// When it last changed: raised, read, resolved, or its e-mail or SMS queued.
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

/// Filters of the inbox.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct InboxFilter {
    /// maintenance, water, breakdowns, meetings, assets or billing.
    pub area: Option<String>,
    /// Only the unread ones.
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub unread: Option<bool>,
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// A user's open reminders, newest first; `limit` from `offset`, and how many match. Pulling
/// changes, resolved ones too (a reminder resolved comes back as changed).
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
            .into_boxed();
        if f.changes.is_none() {
            q = q.filter(reminders::resolved_at.is_null());
        }
        if let Some(a) = f.area.as_deref().and_then(Area::parse) {
            q = q.filter(reminders::rule.eq_any(a.rules()));
        }
        if f.unread == Some(true) {
            q = q.filter(reminders::read_at.is_null());
        }
        crate::changed_since!(q, f.changes, reminders::updated_at, reminders::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        f.changes,
        reminders::updated_at,
        reminders::id,
        reminders::id.desc()
    )
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

/// One of the user's reminders (someone else's is not found).
pub fn find_of_user(conn: &mut DbConn, user_id: i64, id: i64) -> AppResult<Reminder> {
    reminders::table
        .filter(reminders::id.eq(id))
        .filter(reminders::user_id.eq(user_id))
        .select(Reminder::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn set_read(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(reminders::table.find(id))
        .set((reminders::read_at.eq(now), reminders::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Mark every open reminder of the user read; returns how many changed.
pub fn set_all_read(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::update(
        reminders::table
            .filter(reminders::user_id.eq(user_id))
            .filter(reminders::read_at.is_null())
            .filter(reminders::resolved_at.is_null()),
    )
    .set((reminders::read_at.eq(now), reminders::updated_at.eq(now)))
    .execute(conn)?)
}

/// Reminders' labels in the reader's language, as the names are now: a GP's name
/// ([`super::rules::GP_NAMED`]), an asset's or a scheme's name, and a task's title: the
/// template library's part in the reader's language (as the task pages show it, see
/// [`Library::plan_title`]) and the asset's part ("<work> — <asset>"); anything else is shown
/// as it was raised.
pub fn name_subjects(
    conn: &mut DbConn,
    rows: &mut [Reminder],
    lang: crate::web::i18n::Lang,
    library: &Library,
) -> AppResult<()> {
    use crate::db::schema::{assets, maintenance_plans, maintenance_tasks, schemes};
    use std::collections::HashMap;
    let gp_named =
        |r: &Reminder| r.subject_kind == "gp" && super::rules::GP_NAMED.contains(&r.rule.as_str());
    let ids_of = |f: &dyn Fn(&Reminder) -> bool| -> Vec<i64> {
        rows.iter().filter(|r| f(r)).map(|r| r.subject_id).collect()
    };
    let gp_ids = ids_of(&gp_named);
    let task_ids = ids_of(&|r: &Reminder| r.subject_kind == "task");
    let asset_ids = ids_of(&|r: &Reminder| r.subject_kind == "asset");
    let scheme_ids = ids_of(&|r: &Reminder| r.subject_kind == "scheme");
    let places = if gp_ids.is_empty() {
        HashMap::new()
    } else {
        crate::places::model::by_ids(conn, &gp_ids)?
    };
    // a task's asset, then every asset's two names
    let task_asset: HashMap<i64, i64> = if task_ids.is_empty() {
        HashMap::new()
    } else {
        maintenance_tasks::table
            .filter(maintenance_tasks::id.eq_any(&task_ids))
            .filter(maintenance_tasks::asset_id.is_not_null())
            .select((
                maintenance_tasks::id,
                maintenance_tasks::asset_id.assume_not_null(),
            ))
            .load::<(i64, i64)>(conn)?
            .into_iter()
            .collect()
    };
    // a task's plan's template, whose words the title may be
    let task_template: HashMap<i64, String> = if task_ids.is_empty() {
        HashMap::new()
    } else {
        maintenance_tasks::table
            .inner_join(
                maintenance_plans::table.on(maintenance_plans::id.eq(maintenance_tasks::plan_id)),
            )
            .filter(maintenance_tasks::id.eq_any(&task_ids))
            .filter(maintenance_plans::template_code.is_not_null())
            .select((
                maintenance_tasks::id,
                maintenance_plans::template_code.assume_not_null(),
            ))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect()
    };
    let wanted: Vec<i64> = task_asset.values().copied().chain(asset_ids).collect();
    let names: HashMap<i64, (String, Option<String>)> = if wanted.is_empty() {
        HashMap::new()
    } else {
        assets::table
            .filter(assets::id.eq_any(&wanted))
            .select((assets::id, assets::name, assets::name_hi))
            .load::<(i64, String, Option<String>)>(conn)?
            .into_iter()
            .map(|(id, n, h)| (id, (n, h)))
            .collect()
    };
    let scheme_names: HashMap<i64, (String, Option<String>)> = if scheme_ids.is_empty() {
        HashMap::new()
    } else {
        schemes::table
            .filter(schemes::id.eq_any(&scheme_ids))
            .select((schemes::id, schemes::name, schemes::name_hi))
            .load::<(i64, String, Option<String>)>(conn)?
            .into_iter()
            .map(|(id, n, h)| (id, (n, h)))
            .collect()
    };
    // a label that is the record's name (in either language) becomes its name in `lang`
    let renamed = |label: &mut String, (n, h): &(String, Option<String>)| {
        if *label == *n || Some(&*label) == h.as_ref() {
            *label = crate::web::i18n::name_in(lang, n, h.as_deref()).to_string();
        }
    };
    for r in rows.iter_mut() {
        if gp_named(r) {
            if let Some(p) = places.get(&r.subject_id) {
                r.label = p.display_name(lang).to_string();
            }
        } else if r.subject_kind == "asset" {
            if let Some(names) = names.get(&r.subject_id) {
                renamed(&mut r.label, names);
            }
        } else if r.subject_kind == "scheme" {
            if let Some(names) = scheme_names.get(&r.subject_id) {
                renamed(&mut r.label, names);
            }
        } else if r.subject_kind == "task" {
            if let Some(code) = task_template.get(&r.subject_id) {
                r.label = library.plan_title(lang, Some(code), &r.label);
            }
            if let Some((n, h)) = task_asset.get(&r.subject_id).and_then(|a| names.get(a)) {
                r.label =
                    crate::schemes::assets::title_with_asset_name(&r.label, n, h.as_deref(), lang);
            }
        }
    }
    Ok(())
}
