//! Water samples' and their values' rows and scoped queries.

use super::SampleValues;
use crate::auth::Scope;
use crate::db::schema::{water_sample_values, water_samples};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::water_quality::Reading;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = water_samples, treat_none_as_default_value = false)]
pub struct Sample {
    pub id: i64,
    pub gp_id: i64,
    pub point_id: i64,
    /// ftk, h2s or laboratory.
    pub kind: String,
    pub sampled_on: NaiveDate,
    pub tested_on: NaiveDate,
    pub tester_id: Option<i64>,
    pub laboratory: Option<String>,
    pub lab_sample_no: Option<String>,
    pub kit_batch: Option<String>,
    pub kit_expires_on: Option<NaiveDate>,
    /// acceptable, permissible, beyond_permissible or bacteria_present: the worst value's.
    pub overall_class: String,
    /// The standard the values were classified against.
    pub standard_version: String,
    pub notes: Option<String>,
    pub recorded_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = water_sample_values, treat_none_as_default_value = false)]
pub struct SampleValue {
    pub id: i64,
    pub gp_id: i64,
    pub sample_id: i64,
    pub parameter: String,
    pub unit: String,
    /// A number in millionths of the unit (1.5 mg/l is 1500000).
    pub value_micro: Option<i64>,
    /// Bacteria: present (true) or absent.
    pub present: Option<bool>,
    /// Odour, taste: agreeable or not.
    pub agreeable: Option<bool>,
    pub class: String,
}

impl SampleValue {
    pub fn reading(&self) -> Option<Reading> {
        match (self.value_micro, self.present, self.agreeable) {
            (Some(v), _, _) => Some(Reading::Number(v)),
            (_, Some(p), _) => Some(Reading::Present(p)),
            (_, _, Some(a)) => Some(Reading::Agreeable(a)),
            _ => None,
        }
    }
}

/// A sample with its values (the API's shape).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SampleWithValues {
    #[serde(flatten)]
    pub sample: Sample,
    pub values: Vec<SampleValue>,
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Sample> {
    water_samples::table
        .find(id)
        .select(Sample::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A sample inside the scope (`NotFound` outside it).
pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Sample> {
    water_samples::table
        .filter(water_samples::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            water_samples::table,
            water_samples::gp_id
        ))
        .select(Sample::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn values_of(conn: &mut DbConn, sample: &Sample) -> AppResult<Vec<SampleValue>> {
    Ok(water_sample_values::table
        .filter(water_sample_values::gp_id.eq(sample.gp_id))
        .filter(water_sample_values::sample_id.eq(sample.id))
        .order(water_sample_values::id.asc())
        .select(SampleValue::as_select())
        .load(conn)?)
}

/// Filters of the tests list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SampleFilter {
    /// Only this sampling point's tests.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub point: Option<i64>,
    /// ftk, h2s or laboratory.
    #[serde(default)]
    pub kind: Option<String>,
    /// An overall class: acceptable, permissible, beyond_permissible, bacteria_present.
    #[serde(default)]
    pub class: Option<String>,
    /// Tested on or after (YYYY-MM-DD).
    #[serde(default)]
    pub from: Option<String>,
    /// Tested on or before (YYYY-MM-DD).
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// Tests inside the scope matching the filter, newest first: one page and the total. An
/// unknown kind or class, or a date that is not one, matches nothing rather than everything.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &SampleFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Sample>, i64)> {
    let date = |s: &Option<String>| -> Result<Option<NaiveDate>, ()> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => crate::web::forms::parse_date(s).map(Some).ok_or(()),
        }
    };
    let (Ok(from), Ok(to)) = (date(&f.from), date(&f.to)) else {
        return Ok((vec![], 0));
    };
    let kind = f.kind.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let class = f.class.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let q = || {
        let mut q = water_samples::table
            .filter(crate::in_scope!(
                scope,
                water_samples::table,
                water_samples::gp_id
            ))
            .into_boxed();
        if let Some(p) = f.point {
            q = q.filter(water_samples::point_id.eq(p));
        }
        if let Some(k) = kind {
            q = q.filter(water_samples::kind.eq(k.to_string()));
        }
        if let Some(c) = class {
            q = q.filter(water_samples::overall_class.eq(c.to_string()));
        }
        if let Some(d) = from {
            q = q.filter(water_samples::tested_on.ge(d));
        }
        if let Some(d) = to {
            q = q.filter(water_samples::tested_on.le(d));
        }
        // a test is never changed once recorded: its recorded_at is its last change
        crate::changed_since!(q, f.changes, water_samples::recorded_at, water_samples::id)
    };
    let total: i64 = q().count().get_result(conn)?;
    let rows = crate::sync_order!(
        q(),
        f.changes,
        water_samples::recorded_at,
        water_samples::id,
        (water_samples::tested_on.desc(), water_samples::id.desc())
    )
    .offset(offset)
    .limit(limit)
    .select(Sample::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Insert a sample and its values (inside the caller's transaction).
pub fn create(
    conn: &mut DbConn,
    gp_id: i64,
    point_id: i64,
    v: &SampleValues,
    standard_version: &str,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<Sample> {
    let values = (
        water_samples::gp_id.eq(gp_id),
        water_samples::point_id.eq(point_id),
        water_samples::kind.eq(v.kind.as_str()),
        water_samples::sampled_on.eq(v.sampled_on),
        water_samples::tested_on.eq(v.tested_on),
        water_samples::tester_id.eq(v.tester_id),
        water_samples::laboratory.eq(&v.laboratory),
        water_samples::lab_sample_no.eq(&v.lab_sample_no),
        water_samples::kit_batch.eq(&v.kit_batch),
        water_samples::kit_expires_on.eq(v.kit_expires_on),
        water_samples::overall_class.eq(v.overall.as_str()),
        water_samples::standard_version.eq(standard_version),
        water_samples::notes.eq(&v.notes),
        water_samples::recorded_by.eq(by),
        water_samples::recorded_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(water_samples::table)
        .values(values)
        .returning(water_samples::id)
        .get_result(c))?;
    for cv in &v.values {
        let (num, present, agreeable) = match cv.reading {
            Reading::Number(n) => (Some(n), None, None),
            Reading::Present(p) => (None, Some(p), None),
            Reading::Agreeable(a) => (None, None, Some(a)),
        };
        diesel::insert_into(water_sample_values::table)
            .values((
                water_sample_values::gp_id.eq(gp_id),
                water_sample_values::sample_id.eq(id),
                water_sample_values::parameter.eq(&cv.parameter),
                water_sample_values::unit.eq(&cv.unit),
                water_sample_values::value_micro.eq(num),
                water_sample_values::present.eq(present),
                water_sample_values::agreeable.eq(agreeable),
                water_sample_values::class.eq(cv.class.as_str()),
            ))
            .execute(conn)?;
    }
    find(conn, id)
}

/// The latest test at any of a scheme's sampling points (by the day it was tested), and how
/// many of its tests since `since` failed the standard (beyond permissible or bacteria
/// present): the scheme page's water-quality block.
pub fn latest_of_scheme(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    since: NaiveDate,
) -> AppResult<(Option<Sample>, i64)> {
    use crate::db::schema::sampling_points;
    let of_scheme = sampling_points::table
        .filter(sampling_points::gp_id.eq(gp_id))
        .filter(sampling_points::scheme_id.eq(scheme_id))
        .select(sampling_points::id);
    let latest = water_samples::table
        .filter(water_samples::gp_id.eq(gp_id))
        .filter(water_samples::point_id.eq_any(of_scheme))
        .order((water_samples::tested_on.desc(), water_samples::id.desc()))
        .select(Sample::as_select())
        .first(conn)
        .optional()?;
    let failed: i64 = water_samples::table
        .filter(water_samples::gp_id.eq(gp_id))
        .filter(
            water_samples::point_id.eq_any(
                sampling_points::table
                    .filter(sampling_points::gp_id.eq(gp_id))
                    .filter(sampling_points::scheme_id.eq(scheme_id))
                    .select(sampling_points::id),
            ),
        )
        .filter(water_samples::tested_on.ge(since))
        .filter(water_samples::overall_class.eq_any([
            crate::water_quality::Class::BeyondPermissible.as_str(),
            crate::water_quality::Class::BacteriaPresent.as_str(),
        ]))
        .count()
        .get_result(conn)?;
    Ok((latest, failed))
}
