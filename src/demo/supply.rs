//! The demo's supply logs: a year of daily logs for the schemes of the Hindi gram
//! panchayat's block (Banapura and its neighbours), up to yesterday, so today's "supplied as
//! usual" button is there to tap. Realistic gaps: days not logged, days without water or
//! with less (power cuts most often), meters not read; the bulk meter of the first scheme
//! rolls over at 1,00,000 kL; one scheme (the second with households) gives about 42
//! litres per person per day, below the norm. Written set-based, 500 rows a statement.
//!
//! One scheme (the first after the first with households, not the one below the norm) has a
//! registered device, "टंकी का फ़्लो मीटर" (the tank's flow meter; its key made at random, kept only as its hash
//! and shown nowhere), that sent both meters' readings each evening of the last
//! [`DEVICE_DAYS`] days; its operator read the meters only every other day of those, so the
//! supply page shows readings of both sources side by side.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::schema::{places, schemes, supply_devices, supply_logs};
use crate::db::Db;
use crate::error::AppResult;
use crate::supply::devices::model::NewReading;
use crate::supply::model::{persons_served, LogValues};
use crate::supply::{MeterEvent, Reason, Source, Supplied};
use chrono::Duration;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The roll-over point of the demo's bulk meters: 1,00,000 kL, in litres.
const METER_CAPACITY_LITRES: i64 = 100_000_000;

/// Days of logs per scheme.
const DAYS: i64 = 365;

/// Days of device readings of the demo's metered scheme (up to yesterday).
const DEVICE_DAYS: i64 = 21;

/// Write the demo's supply logs (nothing when there are some already); how many.
pub fn seed_supply(db: &Db, clock: &Clock, config: &Config) -> AppResult<usize> {
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = supply_logs::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let block: Option<Option<i64>> = places::table
            .filter(places::lgd_code.eq(super::HINDI_GP_LGD))
            .filter(places::level.eq(crate::places::Level::Gp.as_str()))
            .select(places::block_id)
            .first(conn)
            .optional()?;
        let Some(Some(block)) = block else {
            return Ok(0);
        };
        let gps = places::table
            .filter(places::block_id.eq(block))
            .filter(places::level.eq(crate::places::Level::Gp.as_str()))
            .select(places::id);
        let list: Vec<(i64, i64)> = schemes::table
            .filter(schemes::gp_id.eq_any(gps))
            .order(schemes::id.asc())
            .select((schemes::id, schemes::gp_id))
            .load(conn)?;
        let per_household = config.supply.persons_per_household;
        let mut with_households = 0;
        let mut rows: Vec<LogValues> = vec![];
        let mut device: Option<i64> = None;
        let mut readings: Vec<NewReading> = vec![];
        for (n, (scheme, gp)) in list.iter().enumerate() {
            let mut persons = persons_served(conn, *gp, *scheme, per_household)?;
            let metered = device.is_none() && persons > 0 && n > 0 && with_households != 1;
            if metered {
                let token = format!(
                    "{}{}",
                    crate::supply::devices::TOKEN_PREFIX,
                    crate::auth::random_token()
                );
                device = Some(crate::on_backend!(conn, |c| diesel::insert_into(
                    supply_devices::table
                )
                .values((
                    supply_devices::gp_id.eq(*gp),
                    supply_devices::scheme_id.eq(*scheme),
                    supply_devices::name.eq("टंकी का फ़्लो मीटर"),
                    supply_devices::token_hash.eq(crate::auth::hash_token(&token)),
                    supply_devices::created_at.eq(now - Duration::days(DEVICE_DAYS + 1)),
                    supply_devices::last_used_at.eq(Some(now - Duration::hours(12))),
                ))
                .returning(supply_devices::id)
                .get_result::<i64>(c))?);
            }
            let target_lpcd = if persons > 0 {
                with_households += 1;
                if with_households == 2 {
                    42.0
                } else {
                    68.0 + (n % 3) as f64 * 4.0
                }
            } else {
                persons = 150 * per_household;
                70.0
            };
            let mut rng = StdRng::seed_from_u64(0x5u64 ^ (*scheme as u64).wrapping_mul(7919));
            let mut bulk: i64 = if n == 0 {
                METER_CAPACITY_LITRES - 9_000_000
            } else {
                rng.gen_range(1_000_000..20_000_000)
            };
            let mut energy: i64 = rng.gen_range(1_000_000..5_000_000);
            for back in (1..=DAYS).rev() {
                let day = today - Duration::days(back);
                let roll: f64 = rng.gen();
                if roll < 0.04 {
                    continue; // not logged
                }
                let (supplied, reason, share) = if roll < 0.09 {
                    let reason = match rng.gen_range(0..10) {
                        0..=4 => Reason::PowerCut,
                        5 | 6 => Reason::MotorFailure,
                        7 => Reason::PipeBurst,
                        8 => Reason::SourceLow,
                        _ => Reason::PlannedMaintenance,
                    };
                    (Supplied::None, Some(reason), 0.0)
                } else if roll < 0.15 {
                    let reason = if rng.gen_bool(0.6) {
                        Reason::PowerCut
                    } else {
                        Reason::SourceLow
                    };
                    (Supplied::Less, Some(reason), 0.5)
                } else {
                    (Supplied::AsUsual, None, rng.gen_range(0.9..1.1))
                };
                let litres = (persons as f64 * target_lpcd * share) as i64;
                // pump wear: a little more energy per kL each month
                let kwh_per_kl = 0.40 + 0.10 * (DAYS - back) as f64 / DAYS as f64;
                let wh = (litres as f64 * kwh_per_kl) as i64;
                bulk += litres;
                energy += wh;
                let mut event = MeterEvent::None;
                if bulk >= METER_CAPACITY_LITRES {
                    bulk -= METER_CAPACITY_LITRES;
                    event = MeterEvent::RolledOver;
                }
                let mut read = event == MeterEvent::RolledOver || rng.gen_bool(0.9);
                if let (true, Some(device_id)) = (metered && back <= DEVICE_DAYS, device) {
                    // the device reads both meters at 8 in the evening (India), 14:30 UTC
                    let read_at = day.and_hms_opt(14, 30, 0).unwrap_or_default();
                    readings.push(NewReading {
                        gp_id: *gp,
                        scheme_id: *scheme,
                        device_id,
                        read_at,
                        read_on: day,
                        bulk_meter_litres: Some(bulk),
                        energy_meter_wh: Some(energy),
                        created_at: read_at,
                    });
                    // the operator reads the meters every other day only
                    read = event == MeterEvent::RolledOver || back % 2 == 0;
                }
                let sessions = match supplied {
                    Supplied::AsUsual => "06:00-08:00,17:00-19:00",
                    Supplied::Less => "06:00-07:30",
                    Supplied::None => "",
                };
                let minutes = match supplied {
                    Supplied::AsUsual => 240,
                    Supplied::Less => 90,
                    Supplied::None => 0,
                };
                rows.push(LogValues {
                    gp_id: *gp,
                    scheme_id: *scheme,
                    supply_on: day,
                    source: Source::Person.as_str().into(),
                    supplied: supplied.as_str().into(),
                    reason: reason.map(|r| r.as_str().into()),
                    sessions: sessions.into(),
                    supply_minutes: minutes,
                    pumping_minutes: (litres > 0).then(|| (litres * 60 / 12_000) as i32),
                    bulk_meter_litres: read.then_some(bulk),
                    bulk_meter_event: if read { event } else { MeterEvent::None }.as_str().into(),
                    bulk_meter_capacity_litres: (read && event == MeterEvent::RolledOver)
                        .then_some(METER_CAPACITY_LITRES),
                    energy_meter_wh: read.then_some(energy),
                    energy_meter_event: MeterEvent::None.as_str().into(),
                    energy_meter_capacity_wh: None,
                    chlorine_grams: (litres > 0).then_some((litres / 500) as i32),
                    note: None,
                    recorded_by: None,
                    updated_at: now,
                });
            }
        }
        for chunk in rows.chunks(500) {
            let values: Vec<_> = chunk
                .iter()
                .map(|r| (r.clone(), supply_logs::created_at.eq(now)))
                .collect();
            crate::on_backend!(conn, |c| diesel::insert_into(supply_logs::table)
                .values(values.clone())
                .execute(c))?;
        }
        for r in &readings {
            crate::supply::devices::model::insert_reading(conn, r)?;
        }
        Ok(rows.len())
    })
}
