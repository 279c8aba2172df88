//! Public complaints' rows and queries: the scheme behind a public code, the attempts that
//! throttle, and what a villager may see of a complaint.

use crate::breakdowns::Breakdown;
use crate::config::BreakdownsConfig;
use crate::db::schema::{breakdowns, complaint_attempts, places, scheme_villages, schemes};
use crate::db::{like_pattern, lower, DbConn};
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

/// At most this many schemes are listed for one search on the finding page.
pub const FIND_LIMIT: i64 = 20;

/// The schemes a villager may mean by `term`: a scheme code, a village's LGD code, or part of
/// a village's or a scheme's name in English or Hindi. Only schemes in service in an active
/// GP, each with its GP and villages, by code; at most [`FIND_LIMIT`].
pub fn find_schemes(conn: &mut DbConn, term: &str) -> AppResult<Vec<(Scheme, Place, Vec<Place>)>> {
    let term = term.trim();
    if term.is_empty() || term.chars().count() > crate::web::forms::max::NAME {
        return Ok(vec![]);
    }
    let pat = like_pattern(term);
    let esc = crate::db::LIKE_ESCAPE;
    let village_ids: Vec<i64> = {
        let mut q = places::table
            .filter(places::level.eq("village"))
            .filter(places::active.eq(true))
            .into_boxed();
        q = match crate::places::parse_lgd(term) {
            Some(code) => q.filter(places::lgd_code.eq(code)),
            None => q.filter(
                lower(places::name)
                    .like(pat.clone())
                    .escape(esc)
                    .or(places::name_hi.like(pat.clone()).escape(esc)),
            ),
        };
        q.select(places::id).limit(200).load(conn)?
    };
    let served: Vec<i64> = if village_ids.is_empty() {
        vec![]
    } else {
        scheme_villages::table
            .filter(scheme_villages::village_id.eq_any(&village_ids))
            .select(scheme_villages::scheme_id)
            .load(conn)?
    };
    let found: Vec<Scheme> = schemes::table
        .filter(schemes::status.ne("decommissioned"))
        .filter(
            schemes::code
                .eq(term.to_uppercase())
                .or(schemes::id.eq_any(&served))
                .or(lower(schemes::name).like(pat.clone()).escape(esc))
                .or(schemes::name_hi.like(pat).escape(esc)),
        )
        .order((schemes::code.asc(), schemes::id.asc()))
        .limit(FIND_LIMIT)
        .select(Scheme::as_select())
        .load(conn)?;
    let gps =
        crate::places::model::by_ids(conn, &found.iter().map(|s| s.gp_id).collect::<Vec<_>>())?;
    let mut out = Vec::with_capacity(found.len());
    for s in found {
        let Some(gp) = gps.get(&s.gp_id).filter(|g| g.active).cloned() else {
            continue;
        };
        let villages = crate::schemes::villages_of(conn, s.id)?;
        out.push((s, gp, villages));
    }
    Ok(out)
}

/// An open complaint about this scheme and category from this phone, filed within the last
/// 48 hours: a second one is not filed, the first one's number is shown instead.
pub fn open_duplicate(
    conn: &mut DbConn,
    scheme_id: i64,
    category: &str,
    phone: &str,
    now: NaiveDateTime,
) -> AppResult<Option<Breakdown>> {
    Ok(breakdowns::table
        .filter(breakdowns::scheme_id.eq(scheme_id))
        .filter(breakdowns::category.eq(category))
        .filter(breakdowns::reporter_phone.eq(phone))
        .filter(breakdowns::status.eq_any(crate::breakdowns::Status::open_texts()))
        .filter(breakdowns::created_at.gt(now - Duration::hours(48)))
        .order(breakdowns::id.desc())
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?)
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
    status_json(conn, b)
}

/// A complaint's status by its id (from an SMS link's token) and its number, which must match.
pub fn status_of(conn: &mut DbConn, id: i64, number: &str) -> AppResult<ComplaintStatus> {
    let b: Breakdown = breakdowns::table
        .find(id)
        .filter(breakdowns::number.eq(number.trim().to_uppercase()))
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    status_json(conn, b)
}

fn status_json(conn: &mut DbConn, b: Breakdown) -> AppResult<ComplaintStatus> {
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
