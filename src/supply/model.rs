//! Supply rows (a scheme's schedule, its daily logs) and their queries. Every query leads
//! with the GP: the tables' indexes do.

use super::figures::{Day, Reading};
use super::{MeterEvent, Reason, Source, Supplied};
use crate::db::schema::{households, places, scheme_villages, supply_logs, supply_schedules};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// A scheme's own supply schedule (without one, the configuration's).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = supply_schedules, treat_none_as_default_value = false)]
pub struct Schedule {
    pub scheme_id: i64,
    pub gp_id: i64,
    /// "06:00-08:00,17:00-19:00", India time.
    pub sessions: String,
    pub days_per_week: i32,
    pub updated_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

/// One day's supply of a scheme, as a person (or a device) reported it. Readings are
/// integers: litres and watt-hours.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = supply_logs)]
pub struct SupplyLog {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub supply_on: NaiveDate,
    /// person or device.
    pub source: String,
    /// as_usual, less or none.
    pub supplied: String,
    pub reason: Option<String>,
    /// "06:00-08:00,17:00-19:00".
    pub sessions: String,
    pub supply_minutes: i32,
    pub pumping_minutes: Option<i32>,
    pub bulk_meter_litres: Option<i64>,
    /// none, rolled_over or replaced.
    pub bulk_meter_event: String,
    pub bulk_meter_capacity_litres: Option<i64>,
    pub energy_meter_wh: Option<i64>,
    pub energy_meter_event: String,
    pub energy_meter_capacity_wh: Option<i64>,
    pub chlorine_grams: Option<i32>,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl SupplyLog {
    pub fn supplied(&self) -> Supplied {
        Supplied::parse(&self.supplied).unwrap_or(Supplied::AsUsual)
    }

    pub fn reason(&self) -> Option<Reason> {
        self.reason.as_deref().and_then(Reason::parse)
    }

    /// The day as the figures need it.
    pub fn day(&self) -> Day {
        Day {
            day: self.supply_on,
            supplied: self.supplied(),
            reason: self.reason(),
            supply_minutes: i64::from(self.supply_minutes),
            pumping_minutes: self.pumping_minutes.map(i64::from),
        }
    }

    pub fn bulk_reading(&self) -> Option<Reading> {
        Some(Reading {
            day: self.supply_on,
            value: self.bulk_meter_litres?,
            event: MeterEvent::parse(&self.bulk_meter_event).unwrap_or(MeterEvent::None),
            capacity: self.bulk_meter_capacity_litres,
        })
    }

    pub fn energy_reading(&self) -> Option<Reading> {
        Some(Reading {
            day: self.supply_on,
            value: self.energy_meter_wh?,
            event: MeterEvent::parse(&self.energy_meter_event).unwrap_or(MeterEvent::None),
            capacity: self.energy_meter_capacity_wh,
        })
    }
}

/// A day's values, checked, for insert or update.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = supply_logs, treat_none_as_default_value = false)]
pub struct LogValues {
    pub gp_id: i64,
    pub scheme_id: i64,
    pub supply_on: NaiveDate,
    pub source: String,
    pub supplied: String,
    pub reason: Option<String>,
    pub sessions: String,
    pub supply_minutes: i32,
    pub pumping_minutes: Option<i32>,
    pub bulk_meter_litres: Option<i64>,
    pub bulk_meter_event: String,
    pub bulk_meter_capacity_litres: Option<i64>,
    pub energy_meter_wh: Option<i64>,
    pub energy_meter_event: String,
    pub energy_meter_capacity_wh: Option<i64>,
    pub chlorine_grams: Option<i32>,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

pub fn schedule_of(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<Option<Schedule>> {
    Ok(supply_schedules::table
        .filter(supply_schedules::gp_id.eq(gp_id))
        .filter(supply_schedules::scheme_id.eq(scheme_id))
        .select(Schedule::as_select())
        .first(conn)
        .optional()?)
}

/// Write a scheme's schedule (replacing the one it had).
pub fn put_schedule(conn: &mut DbConn, row: &Schedule) -> AppResult<()> {
    diesel::delete(
        supply_schedules::table
            .filter(supply_schedules::gp_id.eq(row.gp_id))
            .filter(supply_schedules::scheme_id.eq(row.scheme_id)),
    )
    .execute(conn)?;
    diesel::insert_into(supply_schedules::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The log of one day from one source.
pub fn log_on(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    day: NaiveDate,
    source: Source,
) -> AppResult<Option<SupplyLog>> {
    Ok(supply_logs::table
        .filter(supply_logs::gp_id.eq(gp_id))
        .filter(supply_logs::scheme_id.eq(scheme_id))
        .filter(supply_logs::supply_on.eq(day))
        .filter(supply_logs::source.eq(source.as_str()))
        .select(SupplyLog::as_select())
        .first(conn)
        .optional()?)
}

/// Logs of `from..=to`, oldest first.
pub fn logs_between(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<SupplyLog>> {
    Ok(supply_logs::table
        .filter(supply_logs::gp_id.eq(gp_id))
        .filter(supply_logs::scheme_id.eq(scheme_id))
        .filter(supply_logs::supply_on.between(from, to))
        .order((supply_logs::supply_on.asc(), supply_logs::source.asc()))
        .select(SupplyLog::as_select())
        .load(conn)?)
}

/// One page of a scheme's logs for the API: of the days `days` (every day when `None`), oldest
/// day first; pulling changes, the logs written at or after the changes' time, in change order
/// (`updated_at` is set by every write of a log, see [`save_log`]).
pub fn logs_page(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    days: Option<(NaiveDate, NaiveDate)>,
    changes: Option<crate::web::sync::Changes>,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<SupplyLog>, i64)> {
    let build = || {
        let mut q = supply_logs::table
            .filter(supply_logs::gp_id.eq(gp_id))
            .filter(supply_logs::scheme_id.eq(scheme_id))
            .into_boxed();
        if let Some((from, to)) = days {
            q = q.filter(supply_logs::supply_on.between(from, to));
        }
        crate::changed_since!(q, changes, supply_logs::updated_at, supply_logs::id)
    };
    let total = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        supply_logs::updated_at,
        supply_logs::id,
        (
            supply_logs::supply_on.asc(),
            supply_logs::source.asc(),
            supply_logs::id.asc()
        )
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(SupplyLog::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Which meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meter {
    Bulk,
    Energy,
}

/// The latest log before `day` with a reading of this meter.
pub fn reading_before(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    day: NaiveDate,
    meter: Meter,
) -> AppResult<Option<SupplyLog>> {
    nearest_reading(conn, gp_id, scheme_id, day, meter, false)
}

/// The earliest log after `day` with a reading of this meter (the day a correction of an
/// older day must still fit under).
pub fn reading_after(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    day: NaiveDate,
    meter: Meter,
) -> AppResult<Option<SupplyLog>> {
    nearest_reading(conn, gp_id, scheme_id, day, meter, true)
}

/// The log nearest to `day` with a reading of this meter: the earliest after it (`after`),
/// else the latest before it.
fn nearest_reading(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    day: NaiveDate,
    meter: Meter,
    after: bool,
) -> AppResult<Option<SupplyLog>> {
    let q = supply_logs::table
        .filter(supply_logs::gp_id.eq(gp_id))
        .filter(supply_logs::scheme_id.eq(scheme_id))
        .into_boxed();
    let q = match meter {
        Meter::Bulk => q.filter(supply_logs::bulk_meter_litres.is_not_null()),
        Meter::Energy => q.filter(supply_logs::energy_meter_wh.is_not_null()),
    };
    let q = if after {
        q.filter(supply_logs::supply_on.gt(day))
            .order(supply_logs::supply_on.asc())
    } else {
        q.filter(supply_logs::supply_on.lt(day))
            .order(supply_logs::supply_on.desc())
    };
    Ok(q.select(SupplyLog::as_select()).first(conn).optional()?)
}

/// Insert the day's log, or change it when the day (from this source) has one; its id.
pub fn save_log(conn: &mut DbConn, v: &LogValues, now: NaiveDateTime) -> AppResult<(i64, bool)> {
    let source = Source::parse(&v.source).unwrap_or(Source::Person);
    if let Some(old) = log_on(conn, v.gp_id, v.scheme_id, v.supply_on, source)? {
        diesel::update(supply_logs::table.filter(supply_logs::id.eq(old.id)))
            .set(v)
            .execute(conn)?;
        return Ok((old.id, false));
    }
    let id = crate::on_backend!(conn, |c| diesel::insert_into(supply_logs::table)
        .values((v, supply_logs::created_at.eq(now)))
        .returning(supply_logs::id)
        .get_result::<i64>(c))?;
    Ok((id, true))
}

/// Persons served by a scheme: its active households in the register (in its own GP and
/// the GPs of the villages it serves), each counted with its size where the register has
/// it, else `default_size`.
pub fn persons_served(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    default_size: i64,
) -> AppResult<i64> {
    let mut gps: Vec<i64> = scheme_villages::table
        .filter(scheme_villages::scheme_id.eq(scheme_id))
        .select(scheme_villages::gp_id)
        .distinct()
        .load(conn)?;
    gps.push(gp_id);
    gps.sort_unstable();
    gps.dedup();
    let sizes: Vec<Option<i32>> = households::table
        .filter(households::gp_id.eq_any(&gps))
        .filter(households::scheme_id.eq(scheme_id))
        .filter(households::status.eq(crate::billing::households::Status::Active.as_str()))
        .select(households::members)
        .load(conn)?;
    Ok(sizes
        .into_iter()
        .map(|m| m.map(i64::from).filter(|m| *m > 0).unwrap_or(default_size))
        .sum())
}

/// The LGD code of the state a GP is in (for the state's norms).
pub fn state_lgd_of(conn: &mut DbConn, gp_id: i64) -> AppResult<Option<i64>> {
    let (gp, state) = diesel::alias!(places as gp, places as state);
    Ok(gp
        .inner_join(
            state.on(state
                .field(places::id)
                .nullable()
                .eq(gp.field(places::state_id))),
        )
        .filter(gp.field(places::id).eq(gp_id))
        .select(state.field(places::lgd_code))
        .first(conn)
        .optional()?)
}

/// The day each of these schemes was last logged (any source).
pub fn last_logged(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
) -> AppResult<std::collections::HashMap<i64, NaiveDate>> {
    let mut out = std::collections::HashMap::new();
    for (gp, scheme) in schemes {
        let d: Option<NaiveDate> = supply_logs::table
            .filter(supply_logs::gp_id.eq(gp))
            .filter(supply_logs::scheme_id.eq(scheme))
            .select(diesel::dsl::max(supply_logs::supply_on))
            .first(conn)?;
        if let Some(d) = d {
            out.insert(*scheme, d);
        }
    }
    Ok(out)
}

// ---- many schemes at once (dashboards, the month CSV, the review page) ----
//
// The queries below read what the figures of a list of schemes need with a fixed number of
// statements for the whole list (chunked under the bind-parameter caps), instead of one set
// of queries per scheme. Each answers exactly what its one-scheme counterpart above would.

/// Schemes a query takes at once (ids and GPs both bound: well under every cap).
pub const MANY: usize = 1_000;

fn gps_of(schemes: &[(i64, i64)]) -> Vec<i64> {
    let mut gps: Vec<i64> = schemes.iter().map(|s| s.0).collect();
    gps.sort_unstable();
    gps.dedup();
    gps
}

/// The own schedules of these (gp, scheme) pairs, by scheme.
pub fn schedules_of(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
) -> AppResult<std::collections::HashMap<i64, Schedule>> {
    let mut out = std::collections::HashMap::new();
    for chunk in schemes.chunks(MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let rows: Vec<Schedule> = supply_schedules::table
            .filter(supply_schedules::gp_id.eq_any(gps_of(chunk)))
            .filter(supply_schedules::scheme_id.eq_any(&ids))
            .select(Schedule::as_select())
            .load(conn)?;
        out.extend(rows.into_iter().map(|s| (s.scheme_id, s)));
    }
    Ok(out)
}

/// The LGD code of the state each of these GPs is in.
pub fn state_lgds_of(
    conn: &mut DbConn,
    gp_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, i64>> {
    let (gp, state) = diesel::alias!(places as gp, places as state);
    let mut out = std::collections::HashMap::new();
    for chunk in gp_ids.chunks(MANY) {
        let rows: Vec<(i64, i64)> = gp
            .inner_join(
                state.on(state
                    .field(places::id)
                    .nullable()
                    .eq(gp.field(places::state_id))),
            )
            .filter(gp.field(places::id).eq_any(chunk))
            .select((gp.field(places::id), state.field(places::lgd_code)))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Persons served by each of these schemes, as [`persons_served`] counts them: households
/// read grouped by (GP, scheme, size), so a scheme costs a few rows, not one per household.
pub fn persons_served_many(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
    default_size: &dyn Fn(i64) -> i64,
) -> AppResult<std::collections::HashMap<i64, i64>> {
    use std::collections::{HashMap, HashSet};
    let mut out: HashMap<i64, i64> = HashMap::new();
    for chunk in schemes.chunks(MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let served: Vec<(i64, i64)> = scheme_villages::table
            .filter(scheme_villages::scheme_id.eq_any(&ids))
            .select((scheme_villages::scheme_id, scheme_villages::gp_id))
            .distinct()
            .load(conn)?;
        let mut gps_by: HashMap<i64, HashSet<i64>> = chunk
            .iter()
            .map(|(g, s)| (*s, HashSet::from([*g])))
            .collect();
        for (s, g) in served {
            gps_by.entry(s).or_default().insert(g);
        }
        let mut gps: Vec<i64> = gps_by.values().flatten().copied().collect();
        gps.sort_unstable();
        gps.dedup();
        let rows: Vec<(i64, Option<i64>, Option<i32>, i64)> = households::table
            .filter(households::gp_id.eq_any(&gps))
            .filter(households::scheme_id.eq_any(&ids))
            .filter(households::status.eq(crate::billing::households::Status::Active.as_str()))
            .group_by((
                households::gp_id,
                households::scheme_id,
                households::members,
            ))
            .select((
                households::gp_id,
                households::scheme_id,
                households::members,
                diesel::dsl::count_star(),
            ))
            .load(conn)?;
        let gp_of: HashMap<i64, i64> = chunk.iter().map(|(g, s)| (*s, *g)).collect();
        for (gp, scheme, members, n) in rows {
            let Some(scheme) = scheme else { continue };
            if !gps_by.get(&scheme).is_some_and(|g| g.contains(&gp)) {
                continue;
            }
            let own_gp = gp_of.get(&scheme).copied().unwrap_or(gp);
            let size = members
                .map(i64::from)
                .filter(|m| *m > 0)
                .unwrap_or_else(|| default_size(own_gp));
            *out.entry(scheme).or_default() += size * n;
        }
    }
    Ok(out)
}

/// The logs of `from..=to` of each of these schemes, oldest first (as [`logs_between`]).
pub fn logs_between_many(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashMap<i64, Vec<SupplyLog>>> {
    let mut out: std::collections::HashMap<i64, Vec<SupplyLog>> = Default::default();
    for chunk in schemes.chunks(MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let rows: Vec<SupplyLog> = supply_logs::table
            .filter(supply_logs::gp_id.eq_any(gps_of(chunk)))
            .filter(supply_logs::scheme_id.eq_any(&ids))
            .filter(supply_logs::supply_on.between(from, to))
            .order((
                supply_logs::scheme_id.asc(),
                supply_logs::supply_on.asc(),
                supply_logs::source.asc(),
            ))
            .select(SupplyLog::as_select())
            .load(conn)?;
        for r in rows {
            out.entry(r.scheme_id).or_default().push(r);
        }
    }
    Ok(out)
}

/// For each of these schemes, the latest log before `day` with a reading of this meter (as
/// [`reading_before`]): the day found grouped, then those days' logs.
pub fn readings_before_many(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
    day: NaiveDate,
    meter: Meter,
) -> AppResult<std::collections::HashMap<i64, SupplyLog>> {
    let mut out = std::collections::HashMap::new();
    for chunk in schemes.chunks(MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let gps = gps_of(chunk);
        let q = supply_logs::table
            .filter(supply_logs::gp_id.eq_any(&gps))
            .filter(supply_logs::scheme_id.eq_any(&ids))
            .filter(supply_logs::supply_on.lt(day));
        let latest = (
            supply_logs::scheme_id,
            diesel::dsl::max(supply_logs::supply_on),
        );
        let last: Vec<(i64, Option<NaiveDate>)> = match meter {
            Meter::Bulk => q
                .filter(supply_logs::bulk_meter_litres.is_not_null())
                .group_by(supply_logs::scheme_id)
                .select(latest)
                .load(conn)?,
            Meter::Energy => q
                .filter(supply_logs::energy_meter_wh.is_not_null())
                .group_by(supply_logs::scheme_id)
                .select(latest)
                .load(conn)?,
        };
        let last: std::collections::HashMap<i64, NaiveDate> = last
            .into_iter()
            .filter_map(|(s, d)| Some((s, d?)))
            .collect();
        if last.is_empty() {
            continue;
        }
        let mut days: Vec<NaiveDate> = last.values().copied().collect();
        days.sort_unstable();
        days.dedup();
        let with: Vec<i64> = last.keys().copied().collect();
        let rows: Vec<SupplyLog> = supply_logs::table
            .filter(supply_logs::gp_id.eq_any(&gps))
            .filter(supply_logs::scheme_id.eq_any(&with))
            .filter(supply_logs::supply_on.eq_any(&days))
            .order(supply_logs::source.asc())
            .select(SupplyLog::as_select())
            .load(conn)?;
        for r in rows {
            let has = match meter {
                Meter::Bulk => r.bulk_meter_litres.is_some(),
                Meter::Energy => r.energy_meter_wh.is_some(),
            };
            if has && last.get(&r.scheme_id) == Some(&r.supply_on) {
                out.entry(r.scheme_id).or_insert(r);
            }
        }
    }
    Ok(out)
}
