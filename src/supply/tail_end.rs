//! Tail-end checks: the monthly check of quantity and pressure at a scheme's farthest (or
//! highest) household is a maintenance plan made from the template library's
//! `tail_end_check` template (on the scheme's distribution network), done from "my tasks"
//! with readings. Here: the latest check that counts for a month, its readings read back
//! by their place in the plan, and its verdict ([`super::figures::tail_end_verdict`]).
//!
//! The plan's readings mean, in the template's order: water collected (L), time to collect
//! (s), litres a day at the household, residual head (m), water reached (1 = yes, 0 = no).
//! A work record keeps each reading's name as its plan had it; the name finds its place.

use super::figures::TailEndReadings;
use crate::db::schema::{maintenance_logs as ml, maintenance_plans as mp};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::maintenance::{ReadingSpec, ReadingValue};
use chrono::{Months, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

/// The template whose plans are tail-end checks.
pub const TEMPLATE: &str = "tail_end_check";

/// The latest tail-end check counted for a month.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = SupplyTailEnd)]
pub struct TailEnd {
    /// The work record.
    pub log_id: i64,
    pub done_on: NaiveDate,
    pub readings: TailEndReadings,
    /// Litres a minute, when collected in a timed interval.
    pub lpm: Option<f64>,
    pub verdict: super::figures::TailEndVerdict,
}

/// The readings of a work record by their place in its plan's readings.
pub fn readings_of(specs: &[ReadingSpec], values: &[ReadingValue]) -> TailEndReadings {
    let at = |i: usize| {
        let name = &specs.get(i)?.name;
        values.iter().find(|v| &v.name == name).map(|v| v.value)
    };
    TailEndReadings {
        litres_collected: at(0),
        seconds: at(1),
        litres_per_day: at(2),
        head_m: at(3),
        reached: at(4).map(|v| v >= 0.5),
    }
}

/// The latest tail-end check of a scheme that counts for the month starting `month` and
/// counted up to `to`: done in the month, or, until one is, in the month before. Its log
/// id, day and readings.
pub fn latest(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    month: NaiveDate,
    to: NaiveDate,
) -> AppResult<Option<(i64, NaiveDate, TailEndReadings)>> {
    let from = month - Months::new(1);
    let row: Option<(i64, NaiveDate, String, String)> = ml::table
        .inner_join(mp::table.on(mp::id.nullable().eq(ml::plan_id)))
        .filter(ml::gp_id.eq(gp_id))
        .filter(ml::scheme_id.eq(scheme_id))
        .filter(mp::template_code.eq(TEMPLATE))
        .filter(ml::done_on.between(from, to))
        .order((ml::done_on.desc(), ml::id.desc()))
        .select((ml::id, ml::done_on, ml::readings, mp::readings))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, done_on, values, specs)| {
        let values: Vec<ReadingValue> = serde_json::from_str(&values).unwrap_or_default();
        let specs: Vec<ReadingSpec> = serde_json::from_str(&specs).unwrap_or_default();
        (id, done_on, readings_of(&specs, &values))
    }))
}

/// [`latest`] for many (gp, scheme) pairs at once, by scheme: one query per
/// [`super::model::MANY`] schemes.
pub fn latest_many(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
    month: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashMap<i64, (i64, NaiveDate, TailEndReadings)>> {
    let from = month - Months::new(1);
    let mut out = std::collections::HashMap::new();
    for chunk in schemes.chunks(super::model::MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let mut gps: Vec<i64> = chunk.iter().map(|s| s.0).collect();
        gps.sort_unstable();
        gps.dedup();
        let rows: Vec<(i64, i64, NaiveDate, String, String)> = ml::table
            .inner_join(mp::table.on(mp::id.nullable().eq(ml::plan_id)))
            .filter(ml::gp_id.eq_any(&gps))
            .filter(ml::scheme_id.eq_any(&ids))
            .filter(mp::template_code.eq(TEMPLATE))
            .filter(ml::done_on.between(from, to))
            .order((ml::done_on.desc(), ml::id.desc()))
            .select((
                ml::scheme_id,
                ml::id,
                ml::done_on,
                ml::readings,
                mp::readings,
            ))
            .load(conn)?;
        // newest first: the first row of a scheme is its latest
        for (scheme, id, done_on, values, specs) in rows {
            out.entry(scheme).or_insert_with(|| {
                let values: Vec<ReadingValue> = serde_json::from_str(&values).unwrap_or_default();
                let specs: Vec<ReadingSpec> = serde_json::from_str(&specs).unwrap_or_default();
                (id, done_on, readings_of(&specs, &values))
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_find_their_place_by_name() {
        let spec = |n: &str| ReadingSpec {
            name: n.into(),
            unit: String::new(),
            min: None,
            max: None,
            lowest: None,
            highest: None,
        };
        let specs: Vec<ReadingSpec> = ["a", "b", "c", "d", "e"].iter().map(|n| spec(n)).collect();
        let value = |n: &str, v| ReadingValue {
            name: n.into(),
            unit: String::new(),
            value: v,
            min: None,
            max: None,
            out_of_range: false,
        };
        // blank readings are not stored: the others keep their meaning
        let r = readings_of(&specs, &[value("d", 6.0), value("e", 0.0)]);
        assert_eq!(r.head_m, Some(6.0));
        assert_eq!(r.reached, Some(false));
        assert_eq!((r.litres_collected, r.litres_per_day), (None, None));
    }
}
