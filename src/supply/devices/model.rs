//! Device rows (never their token's hash in what is read back) and device readings.

use crate::db::schema::{supply_devices, supply_readings};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// A device allowed to push one scheme's readings.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = supply_devices)]
#[schema(as = SupplyDevice)]
pub struct Device {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub name: String,
    pub created_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub last_used_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc::option")]
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<i64>,
}

impl Device {
    pub fn live(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// One reading a device pushed.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = supply_readings)]
pub struct DeviceReading {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub device_id: i64,
    pub read_at: NaiveDateTime,
    pub read_on: NaiveDate,
    pub bulk_meter_litres: Option<i64>,
    pub energy_meter_wh: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A scheme's devices, live ones first, newest first.
pub fn devices_of(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<Vec<Device>> {
    let mut rows: Vec<Device> = supply_devices::table
        .filter(supply_devices::gp_id.eq(gp_id))
        .filter(supply_devices::scheme_id.eq(scheme_id))
        .order(supply_devices::id.desc())
        .select(Device::as_select())
        .load(conn)?;
    rows.sort_by_key(|d| !d.live());
    Ok(rows)
}

pub fn find_device(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    id: i64,
) -> AppResult<Option<Device>> {
    Ok(supply_devices::table
        .filter(supply_devices::gp_id.eq(gp_id))
        .filter(supply_devices::scheme_id.eq(scheme_id))
        .filter(supply_devices::id.eq(id))
        .select(Device::as_select())
        .first(conn)
        .optional()?)
}

/// The device whose token hashes to `hash`, live or revoked.
pub fn device_by_hash(conn: &mut DbConn, hash: &str) -> AppResult<Option<Device>> {
    Ok(supply_devices::table
        .filter(supply_devices::token_hash.eq(hash))
        .select(Device::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_device(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    name: &str,
    token_hash: &str,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(crate::on_backend!(conn, |c| diesel::insert_into(
        supply_devices::table
    )
    .values((
        supply_devices::gp_id.eq(gp_id),
        supply_devices::scheme_id.eq(scheme_id),
        supply_devices::name.eq(name),
        supply_devices::token_hash.eq(token_hash),
        supply_devices::created_by.eq(Some(by)),
        supply_devices::created_at.eq(now),
    ))
    .returning(supply_devices::id)
    .get_result::<i64>(c))?)
}

pub fn revoke_device(conn: &mut DbConn, id: i64, by: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(supply_devices::table.filter(supply_devices::id.eq(id)))
        .set((
            supply_devices::revoked_at.eq(Some(now)),
            supply_devices::revoked_by.eq(Some(by)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Note a device's use, at most once a minute (like API tokens).
pub fn touch_device(conn: &mut DbConn, d: &Device, now: NaiveDateTime) -> AppResult<()> {
    if d.last_used_at
        .is_none_or(|t| now - t >= Duration::seconds(60))
    {
        diesel::update(supply_devices::table.filter(supply_devices::id.eq(d.id)))
            .set(supply_devices::last_used_at.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// The reading a device sent for this moment, if it sent one.
pub fn reading_at(
    conn: &mut DbConn,
    gp_id: i64,
    device_id: i64,
    read_at: NaiveDateTime,
) -> AppResult<Option<DeviceReading>> {
    Ok(supply_readings::table
        .filter(supply_readings::gp_id.eq(gp_id))
        .filter(supply_readings::device_id.eq(device_id))
        .filter(supply_readings::read_at.eq(read_at))
        .select(DeviceReading::as_select())
        .first(conn)
        .optional()?)
}

/// A reading's values, checked.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = supply_readings, treat_none_as_default_value = false)]
pub struct NewReading {
    pub gp_id: i64,
    pub scheme_id: i64,
    pub device_id: i64,
    pub read_at: NaiveDateTime,
    pub read_on: NaiveDate,
    pub bulk_meter_litres: Option<i64>,
    pub energy_meter_wh: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert_reading(conn: &mut DbConn, r: &NewReading) -> AppResult<i64> {
    Ok(crate::on_backend!(conn, |c| diesel::insert_into(
        supply_readings::table
    )
    .values(r)
    .returning(supply_readings::id)
    .get_result::<i64>(c))?)
}

/// A scheme's device readings of the India days `from..=to`, oldest first, with each
/// device's name.
pub fn readings_between(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(DeviceReading, String)>> {
    Ok(supply_readings::table
        .inner_join(supply_devices::table)
        .filter(supply_readings::gp_id.eq(gp_id))
        .filter(supply_readings::scheme_id.eq(scheme_id))
        .filter(supply_readings::read_on.between(from, to))
        .order((supply_readings::read_at.asc(), supply_readings::id.asc()))
        .select((DeviceReading::as_select(), supply_devices::name))
        .load(conn)?)
}

/// One page of a scheme's device readings with their device's name for the API: of the India
/// days `days` (every day when `None`), oldest first; pulling changes, the readings received
/// at or after the changes' time, in that order. A reading is never changed nor deleted once
/// received (a device sending the same moment again gets the one kept; with other values, 409),
/// so when it was received (`created_at`) is when it last changed.
pub fn readings_page(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    days: Option<(NaiveDate, NaiveDate)>,
    changes: Option<crate::web::sync::Changes>,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<(DeviceReading, String)>, i64)> {
    let build = || {
        let mut q = supply_readings::table
            .inner_join(supply_devices::table)
            .filter(supply_readings::gp_id.eq(gp_id))
            .filter(supply_readings::scheme_id.eq(scheme_id))
            .into_boxed();
        if let Some((from, to)) = days {
            q = q.filter(supply_readings::read_on.between(from, to));
        }
        crate::changed_since!(q, changes, supply_readings::created_at, supply_readings::id)
    };
    let total = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        supply_readings::created_at,
        supply_readings::id,
        (supply_readings::read_at.asc(), supply_readings::id.asc())
    )
    .limit(page.limit())
    .offset(page.offset())
    .select((DeviceReading::as_select(), supply_devices::name))
    .load(conn)?;
    Ok((rows, total))
}

/// The device readings of the India days `from..=to` of each of these (gp, scheme) pairs,
/// oldest first, by scheme: one query per [`crate::supply::model::MANY`] schemes.
pub fn readings_between_many(
    conn: &mut DbConn,
    schemes: &[(i64, i64)],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashMap<i64, Vec<DeviceReading>>> {
    let mut out: std::collections::HashMap<i64, Vec<DeviceReading>> = Default::default();
    for chunk in schemes.chunks(crate::supply::model::MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let mut gps: Vec<i64> = chunk.iter().map(|s| s.0).collect();
        gps.sort_unstable();
        gps.dedup();
        let rows: Vec<DeviceReading> = supply_readings::table
            .filter(supply_readings::gp_id.eq_any(&gps))
            .filter(supply_readings::scheme_id.eq_any(&ids))
            .filter(supply_readings::read_on.between(from, to))
            .order((
                supply_readings::scheme_id.asc(),
                supply_readings::read_at.asc(),
                supply_readings::id.asc(),
            ))
            .select(DeviceReading::as_select())
            .load(conn)?;
        for r in rows {
            out.entry(r.scheme_id).or_default().push(r);
        }
    }
    Ok(out)
}
