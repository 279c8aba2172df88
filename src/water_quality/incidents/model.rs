//! Incident rows, their timeline events and scoped queries.

use super::{EventKind, Group, Status};
use crate::auth::{Actor, Scope};
use crate::db::schema::{water_incident_events, water_incidents};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = water_incidents)]
#[schema(as = WaterIncident)]
pub struct Incident {
    pub id: i64,
    pub gp_id: i64,
    pub point_id: i64,
    pub scheme_id: i64,
    /// bacteriological or chemical.
    pub grp: String,
    /// The failing parameters' codes, comma-separated.
    pub parameters: String,
    /// open, sent_to_lab, confirmed, not_confirmed, remediating, retested or closed.
    pub status: String,
    /// The test that opened it.
    pub opened_sample_id: i64,
    pub detected_on: NaiveDate,
    /// The laboratory the sample was sent to, and when.
    pub laboratory: Option<String>,
    pub sent_on: Option<NaiveDate>,
    /// The laboratory test that confirmed it (or not).
    pub lab_sample_id: Option<i64>,
    /// The passing re-test.
    pub retest_sample_id: Option<i64>,
    /// The current step's deadline.
    pub due_on: Option<NaiveDate>,
    #[serde(with = "crate::clock::utc")]
    pub opened_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub closed_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Incident {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Open)
    }

    pub fn group(&self) -> Group {
        Group::parse(&self.grp).unwrap_or(Group::Chemical)
    }

    pub fn parameter_list(&self) -> Vec<String> {
        self.parameters
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = water_incident_events)]
#[schema(as = WaterIncidentEvent)]
pub struct IncidentEvent {
    pub id: i64,
    pub gp_id: i64,
    pub incident_id: i64,
    /// opened, positive_again, sent_to_lab, lab_result, remedial, retest or closed.
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// The test behind the event (opened, positive again, laboratory result, re-test).
    pub sample_id: Option<i64>,
    /// A remedial action: chlorination, tank_cleaning, pipe_repair, alternate_source, advisory.
    pub action: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<String>,
    pub note: Option<String>,
    pub user_id: Option<i64>,
    pub actor_name: String,
    #[serde(with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

/// One event of the timeline, as written.
#[derive(Debug, Clone, Default)]
pub struct NewEvent<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub sample_id: Option<i64>,
    pub action: Option<&'a str>,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Incident> {
    water_incidents::table
        .find(id)
        .select(Incident::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// An incident inside the scope (`NotFound` outside it).
pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Incident> {
    water_incidents::table
        .filter(water_incidents::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            water_incidents::table,
            water_incidents::gp_id
        ))
        .select(Incident::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn events_of(conn: &mut DbConn, i: &Incident) -> AppResult<Vec<IncidentEvent>> {
    Ok(water_incident_events::table
        .filter(water_incident_events::gp_id.eq(i.gp_id))
        .filter(water_incident_events::incident_id.eq(i.id))
        .order(water_incident_events::id.asc())
        .select(IncidentEvent::as_select())
        .load(conn)?)
}

/// The open incidents at a sampling point.
pub fn open_at_point(conn: &mut DbConn, gp_id: i64, point_id: i64) -> AppResult<Vec<Incident>> {
    Ok(water_incidents::table
        .filter(water_incidents::gp_id.eq(gp_id))
        .filter(water_incidents::point_id.eq(point_id))
        .filter(water_incidents::status.ne_all(Status::ENDED))
        .order(water_incidents::id.asc())
        .select(Incident::as_select())
        .load(conn)?)
}

/// The open incidents of a scheme (the public page's advisory).
pub fn open_of_scheme(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<Vec<Incident>> {
    Ok(water_incidents::table
        .filter(water_incidents::gp_id.eq(gp_id))
        .filter(water_incidents::scheme_id.eq(scheme_id))
        .filter(water_incidents::status.ne_all(Status::ENDED))
        .order(water_incidents::id.asc())
        .select(Incident::as_select())
        .load(conn)?)
}

/// The open incidents inside a scope (a member's home: her GP's).
pub fn open_in_scope(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<Incident>> {
    Ok(water_incidents::table
        .filter(crate::in_scope!(
            scope,
            water_incidents::table,
            water_incidents::gp_id
        ))
        .filter(water_incidents::status.ne_all(Status::ENDED))
        .order(water_incidents::id.asc())
        .limit(50)
        .select(Incident::as_select())
        .load(conn)?)
}

/// Whether a confirmed (or not yet decided) incident of the scheme was open on some day from
/// `from` to `to`: detected by `to` and not ended before `from`. Incidents the laboratory did
/// not confirm do not count.
pub fn open_during(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<bool> {
    let from_utc = crate::web::i18n::india_midnight_utc(from);
    let n: i64 = water_incidents::table
        .filter(water_incidents::gp_id.eq(gp_id))
        .filter(water_incidents::scheme_id.eq(scheme_id))
        .filter(water_incidents::status.ne(Status::NotConfirmed.as_str()))
        .filter(water_incidents::detected_on.le(to))
        .filter(
            water_incidents::closed_at
                .is_null()
                .or(water_incidents::closed_at.ge(from_utc)),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Filters of the incidents list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentFilter {
    /// open (default; pulling changes: all), closed (ended: closed or not confirmed) or all.
    #[serde(default)]
    pub status: Option<String>,
    /// Only this scheme's incidents.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub scheme: Option<i64>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// Incidents inside the scope matching the filter, newest first: one page and the total.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &IncidentFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Incident>, i64)> {
    // pulling changes, every status by default (a closed incident comes back)
    let default = if f.changes.is_some() { "all" } else { "open" };
    let status = f.status.as_deref().map(str::trim).unwrap_or(default);
    let q = || {
        let mut q = water_incidents::table
            .filter(crate::in_scope!(
                scope,
                water_incidents::table,
                water_incidents::gp_id
            ))
            .into_boxed();
        match status {
            "all" => {}
            "closed" => q = q.filter(water_incidents::status.eq_any(Status::ENDED)),
            _ => q = q.filter(water_incidents::status.ne_all(Status::ENDED)),
        }
        if let Some(s) = f.scheme {
            q = q.filter(water_incidents::scheme_id.eq(s));
        }
        crate::changed_since!(
            q,
            f.changes,
            water_incidents::updated_at,
            water_incidents::id
        )
    };
    let total: i64 = q().count().get_result(conn)?;
    let rows = crate::sync_order!(
        q(),
        f.changes,
        water_incidents::updated_at,
        water_incidents::id,
        (
            water_incidents::detected_on.desc(),
            water_incidents::id.desc(),
        )
    )
    .offset(offset)
    .limit(limit)
    .select(Incident::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Insert an incident (inside the caller's transaction).
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut DbConn,
    point: &crate::water_quality::points::model::SamplingPoint,
    group: Group,
    parameters: &[String],
    status: Status,
    sample: &crate::water_quality::samples::Sample,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Incident> {
    let lab = (status == Status::Confirmed).then_some(sample.id);
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(water_incidents::table)
        .values((
            water_incidents::gp_id.eq(point.gp_id),
            water_incidents::point_id.eq(point.id),
            water_incidents::scheme_id.eq(point.scheme_id),
            water_incidents::grp.eq(group.as_str()),
            water_incidents::parameters.eq(parameters.join(",")),
            water_incidents::status.eq(status.as_str()),
            water_incidents::opened_sample_id.eq(sample.id),
            water_incidents::detected_on.eq(sample.tested_on),
            water_incidents::lab_sample_id.eq(lab),
            water_incidents::due_on.eq(Some(due_on)),
            water_incidents::opened_at.eq(now),
            water_incidents::updated_at.eq(now),
        ))
        .returning(water_incidents::id)
        .get_result(c))?;
    find(conn, id)
}

/// Write an incident's changed fields back.
pub fn save(conn: &mut DbConn, i: &Incident) -> AppResult<()> {
    diesel::update(
        water_incidents::table
            .filter(water_incidents::gp_id.eq(i.gp_id))
            .filter(water_incidents::id.eq(i.id)),
    )
    .set((
        water_incidents::parameters.eq(&i.parameters),
        water_incidents::status.eq(&i.status),
        water_incidents::laboratory.eq(&i.laboratory),
        water_incidents::sent_on.eq(i.sent_on),
        water_incidents::lab_sample_id.eq(i.lab_sample_id),
        water_incidents::retest_sample_id.eq(i.retest_sample_id),
        water_incidents::due_on.eq(i.due_on),
        water_incidents::closed_at.eq(i.closed_at),
        water_incidents::updated_at.eq(i.updated_at),
    ))
    .execute(conn)?;
    Ok(())
}

/// Add an event to an incident's timeline: by the actor, or by `name` (the system, a seed).
pub fn add_event(
    conn: &mut DbConn,
    i: &Incident,
    kind: EventKind,
    e: NewEvent<'_>,
    actor: Option<&Actor>,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(water_incident_events::table)
        .values((
            water_incident_events::gp_id.eq(i.gp_id),
            water_incident_events::incident_id.eq(i.id),
            water_incident_events::kind.eq(kind.as_str()),
            water_incident_events::from_status.eq(e.from),
            water_incident_events::to_status.eq(e.to),
            water_incident_events::sample_id.eq(e.sample_id),
            water_incident_events::action.eq(e.action),
            water_incident_events::done_on.eq(e.done_on),
            water_incident_events::done_by.eq(e.done_by),
            water_incident_events::note.eq(e.note),
            water_incident_events::user_id.eq(actor.map(|a| a.user.id)),
            water_incident_events::actor_name
                .eq(actor.map(|a| a.user.display_name.as_str()).unwrap_or(name)),
            water_incident_events::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The day of the latest remedial action (a re-test must come on or after it).
pub fn last_remedy_on(conn: &mut DbConn, i: &Incident) -> AppResult<Option<NaiveDate>> {
    Ok(water_incident_events::table
        .filter(water_incident_events::gp_id.eq(i.gp_id))
        .filter(water_incident_events::incident_id.eq(i.id))
        .filter(water_incident_events::kind.eq(EventKind::Remedial.as_str()))
        .select(diesel::dsl::max(water_incident_events::done_on))
        .first::<Option<NaiveDate>>(conn)?)
}
