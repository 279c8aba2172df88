//! FTK kit stock of a GP: the field test kits and refill packs it received, each a batch
//! with its expiry and the number of tests it holds. What is left of a batch is its tests
//! less the FTK tests recorded that name it (`water_samples.kit_batch`): recording a test is
//! what uses the stock, so there is no second count to drift. The GP's stock is what is left
//! of its unexpired batches; the reminders `ftk_refills_low` (stock below
//! `reminders.ftk_low_tests`) and `ftk_kits_expiring` (a batch with tests left expiring
//! within `reminders.ftk_expiry_days`) come from the same numbers.
//!
//! This folder has the area's five files: the input rules here, `model` (rows, the stock
//! query), `service` (receive a batch; audited), `pages` (the stock page and the receive
//! form) and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{BatchStock, KitBatch};

use crate::error::FieldErrors;
use crate::web::forms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What was received: a whole kit or a refill pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KitKind {
    Kit,
    Refill,
}

impl KitKind {
    pub const ALL: [KitKind; 2] = [KitKind::Kit, KitKind::Refill];

    pub const fn as_str(self) -> &'static str {
        match self {
            KitKind::Kit => "kit",
            KitKind::Refill => "refill",
        }
    }

    pub fn parse(s: &str) -> Option<KitKind> {
        KitKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a kind as stored (`wq-kit-kind-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("wq-kit-kind-{s}")
    }
}

/// Most tests one pack can hold (a bound on typing, not a rule of the kits).
pub const MAX_TESTS: i64 = 10_000;

/// A batch received, as typed (form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = WaterKitInput)]
pub struct KitInput {
    /// kit or refill.
    pub kind: String,
    /// The batch number printed on the pack (unique in the GP); an FTK test names it.
    pub batch: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub received_on: String,
    /// Not before `received_on`.
    pub expires_on: String,
    /// How many tests the pack holds (1–10000).
    pub tests: String,
    /// Who supplied it (the department, the block, a vendor).
    pub supplied_by: String,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct KitValues {
    pub kind: KitKind,
    pub batch: String,
    pub received_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub tests: i64,
    pub supplied_by: Option<String>,
    pub notes: Option<String>,
}

/// The input's shape; a batch already received by the GP is the service's check.
pub fn validate(input: &KitInput, today: NaiveDate) -> Result<KitValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = KitKind::parse(&input.kind);
    if kind.is_none() {
        e.add("kind", "field-invalid-choice");
    }
    let batch = forms::required_text(&input.batch, forms::max::CODE, "batch", &mut e);
    let received_on = forms::optional_date(&input.received_on, Some(today), "received_on", &mut e);
    if received_on.is_none() && !e.has("received_on") {
        e.add("received_on", "field-required");
    }
    let expires_on = forms::optional_date(&input.expires_on, None, "expires_on", &mut e);
    if expires_on.is_none() && !e.has("expires_on") {
        e.add("expires_on", "field-required");
    }
    if let (Some(r), Some(x)) = (received_on, expires_on) {
        if x < r {
            e.add("expires_on", "wq-kit-expires-before-received");
        }
    }
    let tests = forms::optional_int(&input.tests, 1, MAX_TESTS, "tests", &mut e);
    if tests.is_none() && !e.has("tests") {
        e.add("tests", "field-required");
    }
    let supplied_by =
        forms::optional_text(&input.supplied_by, forms::max::NAME, "supplied_by", &mut e);
    let notes = forms::optional_text(&input.notes, forms::max::NOTE, "notes", &mut e);
    if !e.is_empty() {
        return Err(e);
    }
    Ok(KitValues {
        kind: kind.expect("checked"),
        batch: batch.expect("checked"),
        received_on: received_on.expect("checked"),
        expires_on: expires_on.expect("checked"),
        tests: tests.expect("checked"),
        supplied_by,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let ok = KitInput {
            kind: "refill".into(),
            batch: " FTK-26-11 ".into(),
            received_on: "01-12-2026".into(),
            expires_on: "2027-06-30".into(),
            tests: "१००".into(),
            ..Default::default()
        };
        let v = validate(&ok, today).unwrap();
        assert_eq!((v.batch.as_str(), v.tests), ("FTK-26-11", 100));
        let bad = KitInput {
            kind: "box".into(),
            expires_on: "2026-11-01".into(),
            received_on: "2026-12-01".into(),
            tests: "0".into(),
            ..Default::default()
        };
        let e = validate(&bad, today).unwrap_err();
        for f in ["kind", "batch", "expires_on", "tests"] {
            assert!(e.has(f), "{f}");
        }
    }
}
