//! Public complaints' rows and queries: the scheme behind a public code, the attempts that
//! throttle, and what a villager may see of a complaint.

use crate::breakdowns::Breakdown;
use crate::config::BreakdownsConfig;
use crate::db::schema::{breakdowns, complaint_attempts, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::places::Place;
use crate::schemes::Scheme;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// The scheme behind a public code, with its villages: unknown, decommissioned or in an
/// inactive GP is `NotFound`.
pub fn scheme_for_code(conn: &mut DbConn, code: &str) -> AppResult<(Scheme, Place, Vec<Place>)> {
    let scheme: Scheme = schemes::table
        .filter(schemes::code.eq(code.trim().to_uppercase()))
        .filter(schemes::status.ne("decommissioned"))
        .select(Scheme::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let gp = crate::places::model::find(conn, scheme.gp_id)?;
    if !gp.active {
        return Err(AppError::NotFound);
    }
    let villages = crate::schemes::villages_of(conn, scheme.id)?;
    Ok((scheme, gp, villages))
}

/// Note an attempt from `ip` (and `phone`, when known) and say how long to wait if there have
/// been too many. Runs in its own transaction so refused and invalid attempts count too.
pub fn note_attempt(
    conn: &mut DbConn,
    cfg: &BreakdownsConfig,
    ip: &str,
    phone: &str,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    diesel::delete(
        complaint_attempts::table
            .filter(complaint_attempts::attempted_at.lt(now - Duration::days(2))),
    )
    .execute(conn)?;
    // an IPv6 address counts by its /64, as log-ins do
    let key = crate::web::proxy::address_key(ip);
    let ip = key.as_str();
    let hour = now - Duration::hours(1);
    let day = now - Duration::days(1);
    let by_ip: Vec<NaiveDateTime> = complaint_attempts::table
        .filter(complaint_attempts::ip.eq(ip))
        .filter(complaint_attempts::attempted_at.gt(hour))
        .order(complaint_attempts::attempted_at.asc())
        .select(complaint_attempts::attempted_at)
        .load(conn)?;
    if by_ip.len() as i64 >= cfg.public_per_ip_per_hour {
        let wait = (by_ip[0] + Duration::hours(1) - now).num_seconds().max(1);
        return Ok(Some(wait));
    }
    if !phone.is_empty() {
        let by_phone: Vec<NaiveDateTime> = complaint_attempts::table
            .filter(complaint_attempts::phone.eq(phone))
            .filter(complaint_attempts::attempted_at.gt(day))
            .order(complaint_attempts::attempted_at.asc())
            .select(complaint_attempts::attempted_at)
            .load(conn)?;
        if by_phone.len() as i64 >= cfg.public_per_phone_per_day {
            let wait = (by_phone[0] + Duration::days(1) - now).num_seconds().max(1);
            return Ok(Some(wait));
        }
    }
    diesel::insert_into(complaint_attempts::table)
        .values((
            complaint_attempts::ip.eq(ip),
            complaint_attempts::phone.eq(phone),
            complaint_attempts::attempted_at.eq(now),
        ))
        .execute(conn)?;
    Ok(None)
}

/// What a villager may see of a complaint: found only with its number and the phone it was
/// filed with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplaintStatus {
    pub number: String,
    pub category: String,
    pub status: String,
    #[serde(with = "crate::clock::utc")]
    pub reported_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub resolve_due_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub resolved_at: Option<NaiveDateTime>,
    /// What was done, once resolved.
    pub resolution: Option<String>,
    /// The status changes, oldest first.
    pub steps: Vec<ComplaintStep>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplaintStep {
    pub status: String,
    #[serde(with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

pub fn status(conn: &mut DbConn, number: &str, phone: &str) -> AppResult<ComplaintStatus> {
    let phone = crate::auth::normalize_mobile(phone).ok_or(AppError::NotFound)?;
    let b: Breakdown = breakdowns::table
        .filter(breakdowns::number.eq(number.trim().to_uppercase()))
        .filter(breakdowns::reporter_phone.eq(phone))
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let steps = crate::breakdowns::model::timeline(conn, b.id)?
        .into_iter()
        .filter_map(|e| {
            e.to_status.map(|s| ComplaintStep {
                status: s,
                at: e.at,
            })
        })
        .collect();
    Ok(ComplaintStatus {
        number: b.number,
        category: b.category,
        status: b.status,
        reported_at: b.created_at,
        resolve_due_at: b.resolve_due_at,
        resolved_at: b.resolved_at,
        resolution: b.resolution,
        steps,
    })
}
