//! The reads behind the phone's snapshot that no other area has: what each household of a
//! scope still owes, for a collector going house to house.

use crate::auth::Scope;
use crate::billing::households::Household;
use crate::db::schema::{demands, households, payments};
use crate::db::DbConn;
use crate::error::AppResult;
use diesel::prelude::*;
use std::collections::HashMap;

/// Ids per `IN (…)` list.
const CHUNK: usize = 5_000;

/// The active households of `scope` that owe something, with what they owe (paise: demands
/// with late fees less valid payments), by connection number; at most `limit`.
pub fn households_with_dues(
    conn: &mut DbConn,
    scope: &Scope,
    limit: i64,
) -> AppResult<Vec<(Household, i64)>> {
    let ids: Vec<i64> = households::table
        .filter(crate::in_scope!(
            scope,
            households::table,
            households::gp_id
        ))
        .filter(households::status.eq("active"))
        .select(households::id)
        .load(conn)?;
    // (household, amount, late fee) and (household, amount paid)
    let mut demanded: Vec<(i64, i64, i64)> = Vec::new();
    let mut paid: Vec<(i64, i64)> = Vec::new();
    // long id lists are read in chunks (bound parameters are capped)
    for chunk in ids.chunks(CHUNK) {
        demanded.extend(
            demands::table
                .filter(demands::household_id.eq_any(chunk))
                .select((
                    demands::household_id,
                    demands::amount_paise,
                    demands::late_fee_paise,
                ))
                .load::<(i64, i64, i64)>(conn)?,
        );
        paid.extend(
            payments::table
                .filter(payments::household_id.eq_any(chunk))
                .filter(payments::cancelled_at.is_null())
                .select((payments::household_id, payments::amount_paise))
                .load::<(i64, i64)>(conn)?,
        );
    }
    let mut owed: HashMap<i64, i64> = HashMap::new();
    for (h, amount, fee) in demanded {
        *owed.entry(h).or_default() += amount + fee;
    }
    for (h, amount) in paid {
        *owed.entry(h).or_default() -= amount;
    }
    let owing: Vec<i64> = owed
        .iter()
        .filter(|(_, due)| **due > 0)
        .map(|(h, _)| *h)
        .collect();
    let mut rows = Vec::new();
    for chunk in owing.chunks(CHUNK) {
        let found: Vec<Household> = households::table
            .filter(households::id.eq_any(chunk))
            .select(Household::as_select())
            .load(conn)?;
        rows.extend(found);
    }
    rows.sort_by(|a, b| a.connection_no.cmp(&b.connection_no).then(a.id.cmp(&b.id)));
    rows.truncate(limit.max(0) as usize);
    Ok(rows
        .into_iter()
        .map(|h| {
            let due = owed.get(&h.id).copied().unwrap_or(0);
            (h, due)
        })
        .collect())
}
