//! The register of trained testers: the people of a GP's villages (in JJM, five women in
//! each village) trained to test water with field test kits, with when and by whom they were
//! trained. A tester may be linked to her member account: then she enters field tests
//! herself.
//!
//! This folder has the area's five files: the input rules here, `model`, `service` (add,
//! edit; audited), `pages` (the register, add, edit) and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find_in_scope, Tester};

use crate::error::FieldErrors;
use crate::web::forms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A tester's fields as typed (form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TesterInput {
    /// Id of the village she lives in (its GP owns the register row).
    pub village_id: String,
    pub name: String,
    pub phone: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub trained_on: String,
    /// Who trained her (the department, a block resource centre, an NGO…).
    pub trained_by: String,
    /// Id of her member account in the same GP, if she enters tests herself.
    pub user_id: String,
    /// "false" to take her off the active register (edit only).
    pub active: String,
}

#[derive(Debug, Clone)]
pub struct TesterValues {
    pub village_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub trained_on: NaiveDate,
    pub trained_by: String,
    pub user_id: Option<i64>,
    pub active: bool,
}

fn id_field(raw: &str, field: &str, e: &mut FieldErrors) -> Option<i64> {
    let v = forms::ascii_digits(raw.trim());
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            e.add(field, "field-invalid-choice");
            None
        }
    }
}

/// The input's shape; whether the village and account belong to the actor's GP is the
/// service's check.
pub fn validate(input: &TesterInput, today: NaiveDate) -> Result<TesterValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let village_id = id_field(&input.village_id, "village_id", &mut e);
    if village_id.is_none() && !e.has("village_id") {
        e.add("village_id", "field-required");
    }
    let name = forms::required_text(&input.name, forms::max::NAME, "name", &mut e);
    let phone = forms::optional_text(&input.phone, forms::max::PHONE, "phone", &mut e);
    let trained_on = forms::optional_date(&input.trained_on, Some(today), "trained_on", &mut e);
    if trained_on.is_none() && !e.has("trained_on") {
        e.add("trained_on", "field-required");
    }
    let trained_by =
        forms::required_text(&input.trained_by, forms::max::LINE, "trained_by", &mut e);
    let user_id = id_field(&input.user_id, "user_id", &mut e);
    let active = !matches!(
        input.active.trim().to_ascii_lowercase().as_str(),
        "false" | "0" | "off" | "no"
    );
    if !e.is_empty() {
        return Err(e);
    }
    Ok(TesterValues {
        village_id: village_id.expect("checked"),
        name: name.expect("checked"),
        phone,
        trained_on: trained_on.expect("checked"),
        trained_by: trained_by.expect("checked"),
        user_id,
        active,
    })
}
