//! Meters and sensors: a device (a bulk flow meter's or an energy meter's data logger) pushes
//! a scheme's readings through the API with a per-scheme device token. A secretary, the block
//! engineer or an admin makes a token on the scheme's devices page (linked from its supply
//! page): it is shown once and stored only as its SHA-256 (`auth::hash_token`, like API
//! tokens and sessions), and can be revoked. A token is good for its one scheme only: a
//! reading for another scheme is 403, an unknown or revoked token 401.
//!
//! Device readings are kept apart from the operator's daily log (`supply_readings`, one row
//! per device and moment, so a device that sends the same reading again after a timeout
//! makes no duplicate) and shown beside it, marked with the device's name: on the day page
//! and in `GET /api/v1/supply/schemes/{id}/readings`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{Device, DeviceReading};

use serde::{Deserialize, Serialize};

/// What a device token starts with, so a leaked one is recognised for what it is.
pub const TOKEN_PREFIX: &str = "pdv_";

/// The most live (unrevoked) devices a scheme may have.
pub const MAX_LIVE_DEVICES: usize = 20;

/// How far ahead of the server's clock a reading's time may be (a device's clock drifts).
pub const FUTURE_SLACK_MINUTES: i64 = 10;

/// How old a reading may be when it arrives (a logger that was offline sends its backlog).
pub const MAX_AGE_DAYS: i64 = 400;

/// A new device, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DeviceInput {
    /// What the device is called on the pages, e.g. "Flow meter at the OHSR".
    pub name: String,
}

/// A reading as a device sends it (all text, like the day's log; numbers are taken as text).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = SupplyDeviceReadingInput)]
pub struct ReadingInput {
    /// When the meters were read: RFC 3339 with an offset, e.g. "2026-12-07T06:30:00+05:30"
    /// or "2026-12-07T01:00:00Z".
    pub read_at: String,
    /// The bulk water meter's reading in kL (up to three decimals).
    pub bulk_meter_kl: String,
    /// The energy meter's reading in kWh (up to three decimals).
    pub energy_meter_kwh: String,
}
