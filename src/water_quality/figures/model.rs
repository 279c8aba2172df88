//! Set-based counts per GP (one query per figure over a chunk of GPs: points, tests by
//! class, incidents open by age and closed after a re-test, overdue tests) and the export's
//! rows.

use super::{age_bucket, mean_days, WaterQualityFigures};
use crate::db::schema::{sampling_points, water_incidents, water_sample_values, water_samples};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::water_quality::incidents::Status;
use crate::water_quality::Class;
use crate::web::i18n::india_midnight_utc;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use std::collections::HashMap;

/// GPs per grouped query (bounded `IN` lists on both backends).
const CHUNK: usize = 2_000;

/// Each GP's figures for the period `from..=to` (a season, or a month in the report), with
/// incidents open and tests overdue as they stood on `as_of` (today, or the period's last
/// day if that is earlier; `grace_days` is maintenance's). Every GP asked for has an entry.
pub fn by_gp(
    conn: &mut DbConn,
    gp_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    grace_days: i64,
) -> AppResult<HashMap<i64, WaterQualityFigures>> {
    let as_of = as_of.min(to);
    let mut out: HashMap<i64, WaterQualityFigures> = gp_ids
        .iter()
        .map(|g| {
            (
                *g,
                WaterQualityFigures {
                    season_from: Some(from),
                    season_to: Some(to),
                    ..WaterQualityFigures::zero()
                },
            )
        })
        .collect();
    for chunk in gp_ids.chunks(CHUNK) {
        let points: Vec<(i64, i64)> = sampling_points::table
            .filter(sampling_points::gp_id.eq_any(chunk))
            .filter(sampling_points::active.eq(true))
            .group_by(sampling_points::gp_id)
            .select((sampling_points::gp_id, diesel::dsl::count_star()))
            .load(conn)?;
        for (g, n) in points {
            out.entry(g).or_default().points = n;
        }
        // distinct (GP, point) pairs tested, counted per GP
        let tested: Vec<(i64, i64)> = water_samples::table
            .filter(water_samples::gp_id.eq_any(chunk))
            .filter(water_samples::tested_on.between(from, to))
            .filter(
                water_samples::point_id.eq_any(
                    sampling_points::table
                        .filter(sampling_points::gp_id.eq_any(chunk))
                        .filter(sampling_points::active.eq(true))
                        .select(sampling_points::id),
                ),
            )
            .select((water_samples::gp_id, water_samples::point_id))
            .distinct()
            .load(conn)?;
        for (g, _) in tested {
            out.entry(g).or_default().points_tested += 1;
        }
        let classes: Vec<(i64, String, i64)> = water_samples::table
            .filter(water_samples::gp_id.eq_any(chunk))
            .filter(water_samples::tested_on.between(from, to))
            .group_by((water_samples::gp_id, water_samples::overall_class))
            .select((
                water_samples::gp_id,
                water_samples::overall_class,
                diesel::dsl::count_star(),
            ))
            .load(conn)?;
        for (g, class, n) in classes {
            let f = out.entry(g).or_default();
            f.tests += n;
            match Class::parse(&class) {
                Some(Class::Acceptable | Class::Permissible) => f.tests_within += n,
                Some(Class::BeyondPermissible) => f.tests_beyond_permissible += n,
                Some(Class::BacteriaPresent) => f.tests_bacteria_present += n,
                None => {}
            }
        }
    }
    for f in out.values_mut() {
        f.within_percent = crate::billing::ledger::percent(f.tests_within, f.tests);
    }
    for chunk in gp_ids.chunks(CHUNK) {
        incident_figures(conn, chunk, from, to, as_of, &mut out)?;
        overdue_tests(conn, chunk, as_of, grace_days, &mut out)?;
    }
    Ok(out)
}

/// Open incidents by age on `as_of` (detected by then, not ended before that day; one the
/// laboratory did not confirm counts while it was open), and the incidents closed between
/// `from` and `to` (by the Indian day closed) with the days from detection to the passing
/// re-test that allowed it. One query each over the chunk of GPs.
fn incident_figures(
    conn: &mut DbConn,
    gp_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
    figures: &mut HashMap<i64, WaterQualityFigures>,
) -> AppResult<()> {
    let end_of_day = india_midnight_utc(as_of + Duration::days(1));
    let open: Vec<(i64, NaiveDate)> = water_incidents::table
        .filter(water_incidents::gp_id.eq_any(gp_ids))
        .filter(water_incidents::detected_on.le(as_of))
        .filter(
            water_incidents::closed_at
                .is_null()
                .or(water_incidents::closed_at.ge(end_of_day)),
        )
        .select((water_incidents::gp_id, water_incidents::detected_on))
        .load(conn)?;
    for (g, detected) in open {
        if let Some(ages) = figures
            .get_mut(&g)
            .and_then(|f| f.incidents_open_by_age.as_mut())
        {
            ages[age_bucket((as_of - detected).num_days())] += 1;
        }
    }
    let closed: Vec<(i64, NaiveDate, NaiveDate)> = water_incidents::table
        .inner_join(
            water_samples::table
                .on(water_incidents::retest_sample_id.eq(water_samples::id.nullable())),
        )
        .filter(water_incidents::gp_id.eq_any(gp_ids))
        .filter(water_incidents::status.eq(Status::Closed.as_str()))
        .filter(water_incidents::closed_at.ge(india_midnight_utc(from)))
        .filter(water_incidents::closed_at.lt(india_midnight_utc(to + Duration::days(1))))
        .select((
            water_incidents::gp_id,
            water_incidents::detected_on,
            water_samples::tested_on,
        ))
        .load(conn)?;
    for (g, detected, retested) in closed {
        if let Some(f) = figures.get_mut(&g) {
            f.retests_closed = Some(f.retests_closed.unwrap_or(0) + 1);
            let days = (retested - detected).num_days().max(0);
            f.retest_days_total = Some(f.retest_days_total.unwrap_or(0) + days);
        }
    }
    for f in figures.values_mut() {
        f.days_to_passing_retest = mean_days(f.retest_days_total, f.retests_closed);
    }
    Ok(())
}

/// Scheduled tests and inspections (check tasks) whose deadline and grace days had passed
/// on `as_of` and were not done by then: open ones, and ones done after it.
fn overdue_tests(
    conn: &mut DbConn,
    gp_ids: &[i64],
    as_of: NaiveDate,
    grace_days: i64,
    figures: &mut HashMap<i64, WaterQualityFigures>,
) -> AppResult<()> {
    let rows: Vec<(i64, i64)> =
        crate::water_quality::schedules::model::overdue_by_gp(conn, gp_ids, as_of, grace_days)?;
    for (g, n) in rows {
        if let Some(f) = figures.get_mut(&g) {
            f.tests_overdue = Some(f.tests_overdue.unwrap_or(0) + n);
        }
    }
    Ok(())
}

/// One value tested, with its test and point (a line of the export).
pub struct ExportRow {
    pub sample_id: i64,
    pub gp_id: i64,
    pub village_id: i64,
    pub point_name: String,
    pub point_kind: String,
    pub kind: String,
    pub sampled_on: NaiveDate,
    pub tested_on: NaiveDate,
    pub laboratory: Option<String>,
    pub lab_sample_no: Option<String>,
    pub parameter: String,
    pub unit: String,
    pub value_micro: Option<i64>,
    pub present: Option<bool>,
    pub agreeable: Option<bool>,
    pub class: String,
}

type RowTuple = (
    (
        i64,
        i64,
        String,
        NaiveDate,
        NaiveDate,
        Option<String>,
        Option<String>,
    ),
    (i64, String, String),
    (
        String,
        String,
        Option<i64>,
        Option<bool>,
        Option<bool>,
        String,
    ),
);

/// The values tested in the scope (optionally under one place's GPs) between two days, by
/// test day, test, parameter; at most `limit` (the caller says when it was reached).
pub fn export_rows(
    conn: &mut DbConn,
    gp_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> AppResult<Vec<ExportRow>> {
    let mut rows: Vec<RowTuple> = vec![];
    for chunk in gp_ids.chunks(CHUNK) {
        let left = limit - rows.len() as i64;
        if left <= 0 {
            break;
        }
        rows.extend(export_chunk(conn, chunk, from, to, left)?);
    }
    rows.sort_by_key(|r| (r.0 .4, r.0 .0));
    Ok(rows
        .into_iter()
        .map(|(s, p, v)| ExportRow {
            sample_id: s.0,
            gp_id: s.1,
            kind: s.2,
            sampled_on: s.3,
            tested_on: s.4,
            laboratory: s.5,
            lab_sample_no: s.6,
            village_id: p.0,
            point_name: p.1,
            point_kind: p.2,
            parameter: v.0,
            unit: v.1,
            value_micro: v.2,
            present: v.3,
            agreeable: v.4,
            class: v.5,
        })
        .collect())
}

fn export_chunk(
    conn: &mut DbConn,
    gp_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> AppResult<Vec<RowTuple>> {
    Ok(water_sample_values::table
        .inner_join(water_samples::table.inner_join(sampling_points::table))
        .filter(water_sample_values::gp_id.eq_any(gp_ids))
        .filter(water_samples::tested_on.between(from, to))
        .order((
            water_samples::tested_on.asc(),
            water_samples::id.asc(),
            water_sample_values::id.asc(),
        ))
        .limit(limit)
        .select((
            (
                water_samples::id,
                water_samples::gp_id,
                water_samples::kind,
                water_samples::sampled_on,
                water_samples::tested_on,
                water_samples::laboratory,
                water_samples::lab_sample_no,
            ),
            (
                sampling_points::village_id,
                sampling_points::name,
                sampling_points::kind,
            ),
            (
                water_sample_values::parameter,
                water_sample_values::unit,
                water_sample_values::value_micro,
                water_sample_values::present,
                water_sample_values::agreeable,
                water_sample_values::class,
            ),
        ))
        .load(conn)?)
}
