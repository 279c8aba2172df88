//! Tariff plans: what each category of household pays per month in a GP, from a month on. A
//! new plan never changes an old one: demands use the plan in force for their month.
//! `model` holds the plans and their queries, `service` the checks and the audited add,
//! `pages` the tariffs page and its CSV, `api` `/api/v1/tariffs`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find, history, in_force, list_in_scope, PlanWithRates, TariffPlan};
pub use service::create;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A plan as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TariffInput {
    /// The GP (place id); may be left out by a secretary (their own GP).
    pub gp_id: String,
    /// The first month it applies to: YYYY-MM.
    pub effective_from: String,
    /// Monthly charge in rupees per category, e.g. {"general": "50", "bpl": "30"}; `exempt`
    /// is always 0.
    pub rates: BTreeMap<String, String>,
    pub connection_charge: String,
    pub late_fee: String,
    pub late_fee_after_days: String,
    pub notes: String,
}
