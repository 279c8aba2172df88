//! Complaints by phone: households by their registered phone, the scheme a caller's complaint
//! is about, the missed calls of a day, and a complaint's reply language.

use super::CALL_MARK;
use crate::breakdowns::{Breakdown, Status};
use crate::db::schema::{
    breakdown_events, breakdowns, complaint_attempts, complaint_langs, households,
};
use crate::db::schema::{scheme_villages, schemes};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::schemes::Scheme;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A household a phone is registered to.
#[derive(Debug, Clone, Queryable)]
pub struct Caller {
    pub id: i64,
    pub gp_id: i64,
    pub village_id: i64,
    pub scheme_id: Option<i64>,
    pub connection_no: String,
    pub head_name: String,
}

/// The ways a register may hold one mobile number (`ten`: its ten digits).
fn spellings(ten: &str) -> [String; 4] {
    [
        ten.to_string(),
        format!("+91{ten}"),
        format!("91{ten}"),
        format!("0{ten}"),
    ]
}

/// The connected households registered with this number (`ten`: ten digits), oldest
/// registration (lowest id) first: when several share a phone, a call counts for the first
/// whose scheme is in service.
pub fn callers(conn: &mut DbConn, ten: &str) -> AppResult<Vec<Caller>> {
    Ok(households::table
        .filter(households::phone.eq_any(spellings(ten)))
        .filter(households::status.eq("active"))
        .order(households::id.asc())
        .limit(20)
        .select((
            households::id,
            households::gp_id,
            households::village_id,
            households::scheme_id,
            households::connection_no,
            households::head_name,
        ))
        .load(conn)?)
}

/// The scheme a household's complaint is about: its own, or else the first scheme (by code)
/// serving its village; only schemes in service.
pub fn scheme_of(conn: &mut DbConn, h: &Caller) -> AppResult<Option<Scheme>> {
    let in_service = || {
        schemes::table
            .filter(schemes::gp_id.eq(h.gp_id))
            .filter(schemes::status.ne("decommissioned"))
    };
    if let Some(id) = h.scheme_id {
        let own = in_service()
            .filter(schemes::id.eq(id))
            .select(Scheme::as_select())
            .first(conn)
            .optional()?;
        if own.is_some() {
            return Ok(own);
        }
    }
    let serving = scheme_villages::table
        .filter(scheme_villages::village_id.eq(h.village_id))
        .select(scheme_villages::scheme_id);
    Ok(in_service()
        .filter(schemes::id.eq_any(serving))
        .order(schemes::code.asc())
        .select(Scheme::as_select())
        .first(conn)
        .optional()?)
}

/// Whether a household of this scheme (its own, or in a village it serves) has this phone.
pub fn household_of_scheme(conn: &mut DbConn, scheme_id: i64, ten: &str) -> AppResult<bool> {
    let villages = scheme_villages::table
        .filter(scheme_villages::scheme_id.eq(scheme_id))
        .select(scheme_villages::village_id);
    let n: i64 = households::table
        .filter(households::phone.eq_any(spellings(ten)))
        .filter(households::status.eq("active"))
        .filter(
            households::scheme_id
                .eq(scheme_id)
                .or(households::village_id.eq_any(villages)),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Missed calls from this number (ten digits) noted since `since`.
pub fn calls_since(conn: &mut DbConn, ten: &str, since: NaiveDateTime) -> AppResult<i64> {
    Ok(complaint_attempts::table
        .filter(complaint_attempts::phone.eq(format!("{CALL_MARK}{ten}")))
        .filter(complaint_attempts::attempted_at.ge(since))
        .count()
        .get_result(conn)?)
}

/// Note a missed call from this number (its own rows among the complaint attempts, which
/// the public page clears after two days).
pub fn note_call(conn: &mut DbConn, ten: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::insert_into(complaint_attempts::table)
        .values((
            complaint_attempts::ip.eq("missed-call"),
            complaint_attempts::phone.eq(format!("{CALL_MARK}{ten}")),
            complaint_attempts::attempted_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The oldest open complaint of this category about the scheme (a missed call does not file
/// a second one: the caller is told its number).
pub fn open_of_kind(
    conn: &mut DbConn,
    scheme_id: i64,
    category: &str,
) -> AppResult<Option<Breakdown>> {
    Ok(breakdowns::table
        .filter(breakdowns::scheme_id.eq(scheme_id))
        .filter(breakdowns::category.eq(category))
        .filter(breakdowns::status.eq_any(Status::open_texts()))
        .order(breakdowns::id.asc())
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?)
}

/// A complaint by its number (numbers are unique: they carry the GP's LGD code).
pub fn by_number(conn: &mut DbConn, number: &str) -> AppResult<Option<Breakdown>> {
    Ok(breakdowns::table
        .filter(breakdowns::number.eq(number.trim().to_uppercase()))
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?)
}

/// The language the villager filed the complaint in, if known.
pub fn reporter_lang(conn: &mut DbConn, gp_id: i64, id: i64) -> AppResult<Option<String>> {
    Ok(complaint_langs::table
        .find((gp_id, id))
        .select(complaint_langs::lang)
        .first(conn)
        .optional()?)
}

pub fn set_reporter_lang(conn: &mut DbConn, gp_id: i64, id: i64, lang: &str) -> AppResult<()> {
    diesel::insert_into(complaint_langs::table)
        .values((
            complaint_langs::gp_id.eq(gp_id),
            complaint_langs::breakdown_id.eq(id),
            complaint_langs::lang.eq(lang),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many status changes the complaint has had (part of a status SMS's dedupe key: a
/// complaint reopened and resolved again is told again).
pub fn transitions(conn: &mut DbConn, gp_id: i64, id: i64) -> AppResult<i64> {
    Ok(breakdown_events::table
        .filter(breakdown_events::gp_id.eq(gp_id))
        .filter(breakdown_events::breakdown_id.eq(id))
        .filter(breakdown_events::kind.eq("transition"))
        .count()
        .get_result(conn)?)
}
