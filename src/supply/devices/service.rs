//! Device use cases: make a device token (shown once), revoke it, each with its audit row;
//! take a reading a device pushes (its token checked and scoped to its one scheme); list a
//! scheme's devices and its device readings.

use super::model::{self, Device, DeviceReading, NewReading};
use super::{DeviceInput, ReadingInput, FUTURE_SLACK_MINUTES, MAX_AGE_DAYS, MAX_LIVE_DEVICES};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::auth::{hash_token, random_token, Actor, Verb};
use crate::context::Ctx;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::Scheme;
use crate::supply::service::{as_thousands, thousandths};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

/// The most a meter reading may be (as the daily log): 10¹³ litres or watt-hours.
const MAX_READING: i64 = 10_000_000_000_000;

/// A scheme in the actor's scope and its devices (for those who manage them).
pub fn devices(ctx: &Ctx, actor: &Actor, scheme_id: i64) -> AppResult<(Scheme, Vec<Device>)> {
    actor.require(Verb::ManageSupplyDevices)?;
    let mut c = ctx.db.conn()?;
    let scheme = crate::schemes::find_in_scope(&mut c, &actor.scope, scheme_id)?;
    let devices = model::devices_of(&mut c, scheme.gp_id, scheme.id)?;
    Ok((scheme, devices))
}

/// Make a device for a scheme in the actor's scope: the device and its token, which is
/// shown once and kept only as its hash.
pub fn create(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    input: DeviceInput,
) -> AppResult<(Device, String)> {
    actor.require(Verb::ManageSupplyDevices)?;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let scheme = crate::schemes::find_in_scope(c, &actor.scope, scheme_id)?;
        let mut e = FieldErrors::new();
        let name = forms::required_text(&input.name, forms::max::NAME, "name", &mut e);
        let existing = model::devices_of(c, scheme.gp_id, scheme.id)?;
        if let Some(n) = &name {
            if existing
                .iter()
                .any(|d| d.live() && d.name.eq_ignore_ascii_case(n))
            {
                e.add("name", "supply-device-name-taken");
            }
        }
        if existing.iter().filter(|d| d.live()).count() >= MAX_LIVE_DEVICES {
            e.add_with(
                "name",
                "supply-device-too-many",
                &[("max", MAX_LIVE_DEVICES.to_string())],
            );
        }
        e.into_result()?;
        let name = name.ok_or_else(|| AppError::BadRequest("error-bad-request".into()))?;
        let token = format!("{}{}", super::TOKEN_PREFIX, random_token());
        let id = model::insert_device(
            c,
            scheme.gp_id,
            scheme.id,
            &name,
            &hash_token(&token),
            actor.user.id,
            now,
        )?;
        log.add(
            Action::TokenIssue,
            Entity::SupplyDevice,
            Some(id),
            Detail::new("audit-detail-supply-device")
                .text("scheme", scheme.name.clone())
                .text("name", name),
        );
        let device =
            model::find_device(c, scheme.gp_id, scheme.id, id)?.ok_or(AppError::NotFound)?;
        Ok((device, token))
    })
}

/// Revoke a scheme's device: its token stops working at once. Revoking a revoked device
/// changes nothing.
pub fn revoke(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    device_id: i64,
) -> AppResult<Device> {
    actor.require(Verb::ManageSupplyDevices)?;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let scheme = crate::schemes::find_in_scope(c, &actor.scope, scheme_id)?;
        let d =
            model::find_device(c, scheme.gp_id, scheme.id, device_id)?.ok_or(AppError::NotFound)?;
        if d.live() {
            model::revoke_device(c, d.id, actor.user.id, now)?;
            log.add(
                Action::TokenRevoke,
                Entity::SupplyDevice,
                Some(d.id),
                Detail::new("audit-detail-supply-device")
                    .text("scheme", scheme.name.clone())
                    .text("name", d.name.clone()),
            );
        }
        model::find_device(c, scheme.gp_id, scheme.id, d.id)?.ok_or(AppError::NotFound)
    })
}

/// A device reading as the API shows it: beside people's logs, marked by its source.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = SupplyDeviceReading)]
pub struct ReadingOut {
    pub id: i64,
    pub scheme_id: i64,
    /// Always "device" (people's readings are the daily logs, source "person").
    pub source: String,
    pub device_id: i64,
    pub device_name: String,
    #[serde(with = "crate::clock::utc")]
    pub read_at: NaiveDateTime,
    /// The day in India the reading belongs to.
    pub read_on: NaiveDate,
    /// kL with three decimals.
    pub bulk_meter_kl: Option<String>,
    /// kWh with three decimals.
    pub energy_meter_kwh: Option<String>,
    #[serde(with = "crate::clock::utc")]
    pub received_at: NaiveDateTime,
}

impl ReadingOut {
    pub fn of(r: &DeviceReading, device_name: &str) -> ReadingOut {
        ReadingOut {
            id: r.id,
            scheme_id: r.scheme_id,
            source: crate::supply::Source::Device.as_str().into(),
            device_id: r.device_id,
            device_name: device_name.into(),
            read_at: r.read_at,
            read_on: r.read_on,
            bulk_meter_kl: r.bulk_meter_litres.map(as_thousands),
            energy_meter_kwh: r.energy_meter_wh.map(as_thousands),
            received_at: r.created_at,
        }
    }
}

fn reading(raw: &str, field: &str, e: &mut FieldErrors) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match thousandths(raw) {
        Some(v) if v <= MAX_READING => Some(v),
        Some(_) => {
            e.add(field, "supply-reading-too-large");
            None
        }
        None if raw.starts_with(['-', '\u{2212}']) => {
            e.add(field, "field-negative");
            None
        }
        None => {
            e.add(field, "supply-reading-invalid");
            None
        }
    }
}

/// The device a bearer token belongs to: 401 unless it is a live device's.
fn device_of_token(c: &mut crate::db::DbConn, token: Option<&str>) -> AppResult<Device> {
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(AppError::Unauthorized);
    };
    match model::device_by_hash(c, &hash_token(token))? {
        Some(d) if d.live() => Ok(d),
        _ => Err(AppError::Unauthorized),
    }
}

/// Take a reading a device pushes for a scheme: 401 for a missing, unknown or revoked token,
/// 403 when the token is another scheme's, 422 for a reading that does not read. The same
/// device and moment again is the same reading (not stored twice): `false` then, and a
/// different value for a moment already read is a 409.
pub fn push(
    ctx: &Ctx,
    token: Option<&str>,
    scheme_id: i64,
    input: AppResult<ReadingInput>,
) -> AppResult<(ReadingOut, bool)> {
    let now = ctx.now();
    ctx.db.write_blocking(|c| {
        let device = device_of_token(c, token)?;
        if device.scheme_id != scheme_id {
            return Err(AppError::Forbidden);
        }
        model::touch_device(c, &device, now)?;
        let input = input?;
        let mut e = FieldErrors::new();
        let read_at = match input.read_at.trim() {
            "" => {
                e.add("read_at", "field-required");
                None
            }
            raw => match crate::clock::utc::parse(raw) {
                None => {
                    e.add("read_at", "supply-device-bad-time");
                    None
                }
                Some(t) if t > now + Duration::minutes(FUTURE_SLACK_MINUTES) => {
                    e.add("read_at", "supply-device-time-ahead");
                    None
                }
                Some(t) if t < now - Duration::days(MAX_AGE_DAYS) => {
                    e.add_with(
                        "read_at",
                        "supply-device-time-old",
                        &[("days", MAX_AGE_DAYS.to_string())],
                    );
                    None
                }
                // whole seconds: the same moment is the same on both backends
                Some(t) => t.with_nanosecond(0),
            },
        };
        let bulk = reading(&input.bulk_meter_kl, "bulk_meter_kl", &mut e);
        let energy = reading(&input.energy_meter_kwh, "energy_meter_kwh", &mut e);
        if bulk.is_none()
            && energy.is_none()
            && !e.has("bulk_meter_kl")
            && !e.has("energy_meter_kwh")
        {
            e.add("bulk_meter_kl", "supply-device-no-reading");
        }
        e.into_result()?;
        let read_at = read_at.ok_or_else(|| AppError::BadRequest("error-bad-request".into()))?;
        if let Some(old) = model::reading_at(c, device.gp_id, device.id, read_at)? {
            if old.bulk_meter_litres == bulk && old.energy_meter_wh == energy {
                return Ok((ReadingOut::of(&old, &device.name), false));
            }
            return Err(AppError::Conflict("supply-device-reading-differs".into()));
        }
        let id = model::insert_reading(
            c,
            &NewReading {
                gp_id: device.gp_id,
                scheme_id: device.scheme_id,
                device_id: device.id,
                read_at,
                read_on: today_in_india(read_at),
                bulk_meter_litres: bulk,
                energy_meter_wh: energy,
                created_at: now,
            },
        )?;
        let row = model::reading_at(c, device.gp_id, device.id, read_at)?
            .filter(|r| r.id == id)
            .ok_or(AppError::NotFound)?;
        Ok((ReadingOut::of(&row, &device.name), true))
    })
}

/// A page of a scheme's device readings of the India days `days` (every day when `None`), for
/// those who may see its supply; `errors` (the query's) answer after the scheme is found.
#[allow(clippy::too_many_arguments)]
pub fn readings(
    conn: &mut crate::db::DbConn,
    actor: &Actor,
    scheme_id: i64,
    days: Option<(NaiveDate, NaiveDate)>,
    errors: FieldErrors,
    changes: Option<crate::web::sync::Changes>,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<ReadingOut>, i64)> {
    actor.require(Verb::ViewSupply)?;
    let scheme = crate::schemes::find_in_scope(conn, &actor.scope, scheme_id)?;
    errors.into_result()?;
    let (rows, total) = model::readings_page(conn, scheme.gp_id, scheme.id, days, changes, page)?;
    let out = rows
        .iter()
        .map(|(r, name)| ReadingOut::of(r, name))
        .collect();
    Ok((out, total))
}
