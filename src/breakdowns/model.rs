//! Breakdown rows and queries: breakdowns, their timeline events and complaint numbers, the
//! filtered list, likely duplicates, and the open box's rows.

use super::{deadlines, EventKind, NewBreakdown, Sort, Status, AGE_BUCKETS};
use crate::auth::{Actor, Scope};
use crate::config::BreakdownsConfig;
use crate::db::schema::{breakdown_counters, breakdown_events, breakdowns};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::schemes::Scheme;
use crate::web::pagination::PageRequest;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = breakdowns, treat_none_as_default_value = false)]
pub struct Breakdown {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    /// Complaint number, e.g. 23010101-B7.
    pub number: String,
    pub category: String,
    pub description: String,
    /// stopped, partial or none.
    pub supply: String,
    pub households_affected: Option<i32>,
    #[serde(with = "crate::clock::utc")]
    pub started_at: NaiveDateTime,
    /// app, public or api.
    pub source: String,
    pub reported_by: Option<i64>,
    pub reporter_name: String,
    pub reporter_phone: Option<String>,
    pub from_task_id: Option<i64>,
    pub status: String,
    pub assigned_name: Option<String>,
    pub assigned_phone: Option<String>,
    pub resolution: Option<String>,
    pub cost_paise: Option<i64>,
    pub duplicate_of: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub ack_due_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub resolve_due_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub acknowledged_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc::option")]
    pub resolved_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc::option")]
    pub closed_at: Option<NaiveDateTime>,
    /// 0: none, 1: block engineer, 2: district officer.
    pub escalation_level: i32,
    #[serde(with = "crate::clock::utc::option")]
    pub escalated_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
    /// The village a public complaint names.
    pub village_id: Option<i64>,
    /// The day of a technical visit the engineer asked for.
    pub visit_on: Option<chrono::NaiveDate>,
}

impl Breakdown {
    /// The stored status (`None` only for a value the database's CHECK would refuse).
    pub fn status(&self) -> Option<Status> {
        Status::parse(&self.status)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = breakdown_events, treat_none_as_default_value = false)]
pub struct Event {
    pub id: i64,
    pub gp_id: i64,
    pub breakdown_id: i64,
    /// reported, transition, comment, escalated, visit_requested or level_changed.
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub user_id: Option<i64>,
    pub actor_name: String,
    #[serde(with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

/// A GP's last complaint number (see [`next_number`]).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = breakdown_counters, treat_none_as_default_value = false)]
pub struct NumberCounter {
    pub gp_id: i64,
    pub last_number: i64,
}

/// The GP's next complaint number: one counter row per GP, bumped inside the report's
/// transaction, so two reports never take the same number.
pub(crate) fn next_number(conn: &mut DbConn, gp_id: i64) -> AppResult<i64> {
    Ok(crate::on_backend!(conn, |c| diesel::insert_into(
        breakdown_counters::table
    )
    .values((
        breakdown_counters::gp_id.eq(gp_id),
        breakdown_counters::last_number.eq(1_i64),
    ))
    .on_conflict(breakdown_counters::gp_id)
    .do_update()
    .set(breakdown_counters::last_number.eq(breakdown_counters::last_number + 1))
    .returning(breakdown_counters::last_number)
    .get_result::<i64>(c))?)
}

pub(crate) fn create(
    conn: &mut DbConn,
    scheme: &Scheme,
    new: NewBreakdown,
    actor: Option<&Actor>,
    cfg: &BreakdownsConfig,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let NewBreakdown {
        asset_id,
        village_id,
        category,
        description,
        supply,
        households,
        started,
        source,
        reporter_name,
        reporter_phone,
        from_task,
    } = new;
    let n = next_number(conn, scheme.gp_id)?;
    let gp = crate::places::model::find(conn, scheme.gp_id)?;
    let number = format!("{}-B{}", gp.lgd_code, n);
    let (ack_due, resolve_due) = deadlines(cfg, supply, now);
    let values = (
        breakdowns::gp_id.eq(scheme.gp_id),
        breakdowns::scheme_id.eq(scheme.id),
        breakdowns::asset_id.eq(asset_id),
        breakdowns::number.eq(&number),
        breakdowns::category.eq(category),
        breakdowns::description.eq(description),
        breakdowns::supply.eq(supply),
        breakdowns::households_affected.eq(households),
        breakdowns::started_at.eq(started),
        breakdowns::source.eq(source),
        breakdowns::reported_by.eq(actor.map(|a| a.user.id)),
        breakdowns::reporter_name.eq(reporter_name),
        breakdowns::reporter_phone.eq(reporter_phone),
        breakdowns::from_task_id.eq(from_task),
        breakdowns::status.eq(Status::Reported.as_str()),
        breakdowns::ack_due_at.eq(ack_due),
        breakdowns::resolve_due_at.eq(resolve_due),
        breakdowns::escalation_level.eq(0),
        breakdowns::created_at.eq(now),
        breakdowns::updated_at.eq(now),
        breakdowns::village_id.eq(village_id),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(breakdowns::table)
        .values(values)
        .returning(breakdowns::id)
        .get_result(c))
    .map_err(|e| AppError::from(e).on_unique("breakdown-number-taken"))?;
    add_event(
        conn,
        scheme.gp_id,
        id,
        EventKind::Reported,
        None,
        Some(Status::Reported.as_str()),
        Some(description),
        actor,
        reporter_name,
        now,
    )?;
    find(conn, id)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn add_event(
    conn: &mut DbConn,
    gp_id: i64,
    id: i64,
    kind: EventKind,
    from: Option<&str>,
    to: Option<&str>,
    note: Option<&str>,
    actor: Option<&Actor>,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(breakdown_events::table)
        .values((
            breakdown_events::gp_id.eq(gp_id),
            breakdown_events::breakdown_id.eq(id),
            breakdown_events::kind.eq(kind.as_str()),
            breakdown_events::from_status.eq(from),
            breakdown_events::to_status.eq(to),
            breakdown_events::note.eq(note),
            breakdown_events::user_id.eq(actor.map(|a| a.user.id)),
            breakdown_events::actor_name
                .eq(actor.map(|a| a.user.display_name.as_str()).unwrap_or(name)),
            breakdown_events::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Breakdown> {
    breakdowns::table
        .find(id)
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Breakdown> {
    breakdowns::table
        .filter(breakdowns::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ))
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn timeline(conn: &mut DbConn, id: i64) -> AppResult<Vec<Event>> {
    Ok(breakdown_events::table
        .filter(breakdown_events::breakdown_id.eq(id))
        .order(breakdown_events::id.asc())
        .select(Event::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BreakdownFilter {
    /// A status, "open" (default) or "all".
    #[serde(default)]
    pub status: Option<String>,
    /// A GP (place id).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub scheme: Option<i64>,
    /// A category code.
    #[serde(default)]
    pub category: Option<String>,
    /// Only escalated ones.
    #[serde(default)]
    pub escalated: Option<bool>,
    /// Age since reported: 0-3, 4-7, 8-30 or 30+ (days).
    #[serde(default)]
    pub age: Option<String>,
    /// oldest (default: escalated first, then oldest), newest, due, gp.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &BreakdownFilter,
    page: crate::web::pagination::PageRequest,
    now: NaiveDateTime,
) -> AppResult<(Vec<Breakdown>, i64)> {
    scope.check_gp(conn, f.gp)?;
    scope.check_scheme(conn, f.scheme)?;
    let build = || {
        let mut q = breakdowns::table.into_boxed().filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ));
        let every = if f.changes.is_some() { "all" } else { "open" };
        match f.status.as_deref().unwrap_or(every) {
            "all" => {}
            "open" => q = q.filter(breakdowns::status.eq_any(Status::open_texts())),
            s => q = q.filter(breakdowns::status.eq(s.to_string())),
        }
        if let Some(s) = f.scheme {
            q = q.filter(breakdowns::scheme_id.eq(s));
        }
        if let Some(g) = f.gp {
            q = q.filter(breakdowns::gp_id.eq(g));
        }
        if let Some(c) = f.category.as_deref().filter(|c| !c.is_empty()) {
            q = q.filter(breakdowns::category.eq(c.to_string()));
        }
        if f.escalated == Some(true) {
            q = q.filter(breakdowns::escalation_level.gt(0));
        }
        if let Some((_, from, to)) = AGE_BUCKETS
            .iter()
            .find(|(code, _, _)| Some(*code) == f.age.as_deref())
        {
            // reported `from` to `to` whole days ago
            q = q.filter(breakdowns::created_at.le(now - Duration::days(*from)));
            if let Some(to) = to {
                q = q.filter(breakdowns::created_at.gt(now - Duration::days(to + 1)));
            }
        }
        crate::changed_since!(q, f.changes, breakdowns::updated_at, breakdowns::id)
    };
    let total = build().count().get_result(conn)?;
    let q = build();
    let q = match f.sort.as_deref().and_then(Sort::parse) {
        _ if f.changes.is_some() => q.order((breakdowns::updated_at.asc(), breakdowns::id.asc())),
        Some(Sort::Newest) => q.order((breakdowns::created_at.desc(), breakdowns::id.desc())),
        Some(Sort::Due) => q.order((breakdowns::resolve_due_at.asc(), breakdowns::id.asc())),
        Some(Sort::Gp) => q.order((breakdowns::gp_id.asc(), breakdowns::created_at.asc())),
        _ => q.order((
            breakdowns::escalation_level.desc(),
            breakdowns::created_at.asc(),
            breakdowns::id.asc(),
        )),
    };
    // The page's ids first (sorted from the index alone), then those rows: sorting whole rows
    // of a block's tens of thousands of breakdowns is what would take time.
    let ids: Vec<i64> = q
        .limit(page.limit())
        .offset(page.offset())
        .select(breakdowns::id)
        .load(conn)?;
    let mut rows: Vec<Breakdown> = breakdowns::table
        .filter(breakdowns::id.eq_any(&ids))
        .select(Breakdown::as_select())
        .load(conn)?;
    rows.sort_by_key(|b| ids.iter().position(|id| *id == b.id));
    Ok((rows, total))
}

/// Open breakdowns of the same scheme and category reported in the last 48 hours.
pub fn likely_duplicates(conn: &mut DbConn, b: &Breakdown) -> AppResult<Vec<Breakdown>> {
    Ok(breakdowns::table
        .filter(breakdowns::scheme_id.eq(b.scheme_id))
        .filter(breakdowns::category.eq(&b.category))
        .filter(breakdowns::id.ne(b.id))
        .filter(breakdowns::status.eq_any(Status::open_texts()))
        .filter(breakdowns::created_at.gt(b.created_at - Duration::hours(48)))
        .filter(breakdowns::created_at.lt(b.created_at + Duration::hours(48)))
        .order(breakdowns::id.asc())
        .select(Breakdown::as_select())
        .load(conn)?)
}

/// The open box's rows (the first ten) and how many there are in all: for a caller that
/// loads them with other things on one connection.
pub fn open_rows(
    c: &mut crate::db::DbConn,
    scope: &crate::auth::Scope,
    gp: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<(Vec<Breakdown>, i64)> {
    list(
        c,
        scope,
        &BreakdownFilter {
            gp,
            ..Default::default()
        },
        PageRequest::new(Some(1), 10),
        now,
    )
}
