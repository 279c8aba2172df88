//! The block engineer's review of breakdowns (the same page serves district officers and the
//! administrator, each within their scope): filters, counts per GP, repeat failures, repair
//! times and uptime; technical visits and escalation level. Also the GP's monthly complaint
//! register (printable, CSV) and the figures API.
//!
//! Here: the months shown and the engineer's input shapes; the names, figures (and their
//! cache) and register rows in [`model`], the pages in [`pages`], the figures endpoint in
//! [`api`]. No `service.rs`: the engineer's actions (technical visit, escalation level) are
//! the breakdowns' use cases ([`crate::breakdowns::service`]).

pub mod api;
pub mod model;
pub mod pages;

pub use model::{figures, FiguresCache};

use super::stats;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Months shown by the review page and the figures API.
pub const MONTHS: u32 = 12;

/// `YYYY-MM` as the first of that month; empty or bad: the current Indian month.
pub fn parse_month(raw: Option<&str>, now: NaiveDateTime) -> NaiveDate {
    raw.and_then(|m| NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").ok())
        .unwrap_or_else(|| stats::month_of(now))
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VisitInput {
    /// The day of the visit (YYYY-MM-DD or DD-MM-YYYY), today or later.
    pub visit_on: String,
    pub note: String,
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LevelInput {
    /// 0: with the GP, 1: block engineer, 2: district officer.
    pub level: String,
    /// Why (required).
    pub note: String,
}
