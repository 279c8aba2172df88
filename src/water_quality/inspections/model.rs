//! Sanitary inspections' rows and scoped queries.

use super::InspectionValues;
use crate::auth::Scope;
use crate::db::schema::sanitary_inspections;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = sanitary_inspections)]
#[schema(as = SanitaryInspection)]
pub struct Inspection {
    pub id: i64,
    pub gp_id: i64,
    pub point_id: i64,
    /// The checklist's code (config/sanitary_inspection.toml).
    pub checklist: String,
    pub inspected_on: NaiveDate,
    pub inspector: String,
    /// JSON object: question code → true (yes, a risk) or false.
    pub answers: String,
    /// The number of "yes" answers.
    pub score: i32,
    /// The number of questions answered.
    pub questions: i32,
    /// low, intermediate, high or very_high.
    pub band: String,
    pub checklist_version: String,
    pub notes: Option<String>,
    pub recorded_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub recorded_at: NaiveDateTime,
}

impl Inspection {
    pub fn answers(&self) -> BTreeMap<String, bool> {
        serde_json::from_str(&self.answers).unwrap_or_default()
    }
}

/// Filters of the inspections list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InspectionFilter {
    /// Only this sampling point's inspections.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub point: Option<i64>,
    /// A band: low, intermediate, high or very_high.
    #[serde(default)]
    pub band: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Inspection> {
    sanitary_inspections::table
        .find(id)
        .select(Inspection::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// An inspection inside the scope (`NotFound` outside it).
pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Inspection> {
    sanitary_inspections::table
        .filter(sanitary_inspections::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            sanitary_inspections::table,
            sanitary_inspections::gp_id
        ))
        .select(Inspection::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Inspections inside the scope matching the filter, newest first: one page and the total.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &InspectionFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Inspection>, i64)> {
    let band = f.band.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let q = || {
        let mut q = sanitary_inspections::table
            .filter(crate::in_scope!(
                scope,
                sanitary_inspections::table,
                sanitary_inspections::gp_id
            ))
            .into_boxed();
        if let Some(p) = f.point {
            q = q.filter(sanitary_inspections::point_id.eq(p));
        }
        if let Some(b) = band {
            q = q.filter(sanitary_inspections::band.eq(b.to_string()));
        }
        // an inspection is never changed nor deleted once recorded (there is no update of
        // sanitary_inspections): when it was recorded is when it last changed
        crate::changed_since!(
            q,
            f.changes,
            sanitary_inspections::recorded_at,
            sanitary_inspections::id
        )
    };
    let total: i64 = q().count().get_result(conn)?;
    let rows = crate::sync_order!(
        q(),
        f.changes,
        sanitary_inspections::recorded_at,
        sanitary_inspections::id,
        (
            sanitary_inspections::inspected_on.desc(),
            sanitary_inspections::id.desc(),
        )
    )
    .offset(offset)
    .limit(limit)
    .select(Inspection::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// The latest inspection of each of these points of a GP.
pub fn latest_of_points(
    conn: &mut DbConn,
    gp_id: i64,
    points: &[i64],
) -> AppResult<BTreeMap<i64, Inspection>> {
    let rows: Vec<Inspection> = sanitary_inspections::table
        .filter(sanitary_inspections::gp_id.eq(gp_id))
        .filter(sanitary_inspections::point_id.eq_any(points))
        .order((
            sanitary_inspections::inspected_on.asc(),
            sanitary_inspections::id.asc(),
        ))
        .select(Inspection::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|i| (i.point_id, i)).collect())
}

/// Insert an inspection (inside the caller's transaction).
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut DbConn,
    gp_id: i64,
    point_id: i64,
    checklist: &str,
    version: &str,
    v: &InspectionValues,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<Inspection> {
    let values = (
        sanitary_inspections::gp_id.eq(gp_id),
        sanitary_inspections::point_id.eq(point_id),
        sanitary_inspections::checklist.eq(checklist),
        sanitary_inspections::inspected_on.eq(v.inspected_on),
        sanitary_inspections::inspector.eq(&v.inspector),
        sanitary_inspections::answers
            .eq(serde_json::to_string(&v.answers).unwrap_or_else(|_| "{}".into())),
        sanitary_inspections::score.eq(v.score as i32),
        sanitary_inspections::questions.eq(v.questions as i32),
        sanitary_inspections::band.eq(v.band.as_str()),
        sanitary_inspections::checklist_version.eq(version),
        sanitary_inspections::notes.eq(&v.notes),
        sanitary_inspections::recorded_by.eq(by),
        sanitary_inspections::recorded_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(sanitary_inspections::table)
        .values(values)
        .returning(sanitary_inspections::id)
        .get_result(c))?;
    find(conn, id)
}
