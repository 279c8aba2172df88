//! Kit batches' rows and the stock query (a batch's tests less the FTK tests naming it).

use super::KitValues;
use crate::db::schema::{water_kit_batches, water_samples};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = water_kit_batches)]
#[schema(as = WaterKitBatch)]
pub struct KitBatch {
    pub id: i64,
    pub gp_id: i64,
    /// kit or refill.
    pub kind: String,
    pub batch: String,
    pub received_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// Tests the pack held when received.
    pub tests: i64,
    pub supplied_by: Option<String>,
    pub notes: Option<String>,
    pub recorded_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// A batch and what is left of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = WaterKitBatchStock)]
pub struct BatchStock {
    #[serde(flatten)]
    pub batch: KitBatch,
    /// FTK tests recorded that name this batch.
    pub used: i64,
    /// Tests left (never below 0: tests beyond the pack's count are in `used`).
    pub left: i64,
    /// Past its expiry date today (its tests left no longer count in the stock).
    pub expired: bool,
    /// Expires within the reminder's window (`reminders.ftk_expiry_days`) with tests left.
    pub expiring_soon: bool,
}

/// A GP's stock: its batches (newest expiry first) and the tests left in unexpired ones.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = WaterKitStock)]
pub struct Stock {
    pub gp_id: i64,
    /// Tests left in unexpired batches.
    pub tests_left: i64,
    /// Below `reminders.ftk_low_tests` (what raises `ftk_refills_low`), once any batch was received.
    pub low: bool,
    /// The threshold it is measured against.
    pub low_below: i64,
    pub batches: Vec<BatchStock>,
}

/// FTK tests recorded in the GP, by the kit batch they name.
pub fn used_by_batch(conn: &mut DbConn, gp_id: i64) -> AppResult<HashMap<String, i64>> {
    let rows: Vec<(Option<String>, i64)> = water_samples::table
        .filter(water_samples::gp_id.eq(gp_id))
        .filter(water_samples::kind.eq(crate::water_quality::TestKind::Ftk.as_str()))
        .filter(water_samples::kit_batch.is_not_null())
        .group_by(water_samples::kit_batch)
        .select((water_samples::kit_batch, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(b, n)| b.map(|b| (b, n)))
        .collect())
}

/// The GP's batches, latest expiry first.
pub fn batches_of_gp(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<KitBatch>> {
    Ok(water_kit_batches::table
        .filter(water_kit_batches::gp_id.eq(gp_id))
        .order((
            water_kit_batches::expires_on.desc(),
            water_kit_batches::id.desc(),
        ))
        .select(KitBatch::as_select())
        .load(conn)?)
}

/// The GP's stock on `today`: each batch with its tests used and left; the tests left in
/// unexpired batches, low when below `low_below`; expiring soon within `expiry_days`.
pub fn stock_of_gp(
    conn: &mut DbConn,
    gp_id: i64,
    today: NaiveDate,
    low_below: i64,
    expiry_days: i64,
) -> AppResult<Stock> {
    let used = used_by_batch(conn, gp_id)?;
    let batches: Vec<BatchStock> = batches_of_gp(conn, gp_id)?
        .into_iter()
        .map(|b| {
            let u = used.get(&b.batch).copied().unwrap_or(0);
            let left = (b.tests - u).max(0);
            let expired = b.expires_on < today;
            BatchStock {
                used: u,
                left,
                expired,
                expiring_soon: !expired
                    && left > 0
                    && b.expires_on <= today + chrono::Duration::days(expiry_days),
                batch: b,
            }
        })
        .collect();
    let tests_left = batches.iter().filter(|b| !b.expired).map(|b| b.left).sum();
    Ok(Stock {
        gp_id,
        tests_left,
        low: !batches.is_empty() && tests_left < low_below,
        low_below,
        batches,
    })
}

pub fn find_batch(conn: &mut DbConn, gp_id: i64, batch: &str) -> AppResult<Option<KitBatch>> {
    Ok(water_kit_batches::table
        .filter(water_kit_batches::gp_id.eq(gp_id))
        .filter(water_kit_batches::batch.eq(batch))
        .select(KitBatch::as_select())
        .first(conn)
        .optional()?)
}

/// Insert a batch received (inside the caller's transaction).
pub fn create(
    conn: &mut DbConn,
    gp_id: i64,
    v: &KitValues,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<KitBatch> {
    let values = (
        water_kit_batches::gp_id.eq(gp_id),
        water_kit_batches::kind.eq(v.kind.as_str()),
        water_kit_batches::batch.eq(&v.batch),
        water_kit_batches::received_on.eq(v.received_on),
        water_kit_batches::expires_on.eq(v.expires_on),
        water_kit_batches::tests.eq(v.tests),
        water_kit_batches::supplied_by.eq(&v.supplied_by),
        water_kit_batches::notes.eq(&v.notes),
        water_kit_batches::recorded_by.eq(by),
        water_kit_batches::created_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(water_kit_batches::table)
        .values(values)
        .returning(water_kit_batches::id)
        .get_result(c))?;
    Ok(water_kit_batches::table
        .find(id)
        .select(KitBatch::as_select())
        .first(conn)?)
}
