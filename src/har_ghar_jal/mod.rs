//! Har Ghar Jal ("water to every home"): per village, the certification JJM asks for. The
//! Gram Panchayat fills the village's checklist (every household has a tap, schools and
//! anganwadis connected, no leakages, roads restored after the pipe laying) and the Gram
//! Sabha's resolution (its date and a scanned copy), then *reports* the village as Har Ghar
//! Jal; the district (its officer) *certifies* it. Status: none → reported → certified, each
//! step with its date and who took it.
//!
//! Rules: a checklist is filled (and changed) while the village is not yet reported; a
//! village is reported only with every item ticked, the resolution's date and at least one
//! page of its scan; only a reported village is certified, and only by the district
//! (`Verb::CertifyHarGharJal`). The area is per village, not per scheme (a village may be
//! served by several schemes, a scheme serves several villages).
//!
//! The five files: the rules here, `model` (rows, scoped queries), `service` (save, report,
//! certify: one audited transaction each), `pages` and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{Document, Record};

use crate::error::FieldErrors;
use crate::web::forms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Pages of the resolution's scan a village keeps (JPEG or PNG, checked like photos).
pub const MAX_DOCUMENTS: usize = crate::web::photos::MAX_PHOTOS;

/// Where a village stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HarGharJalStatus)]
pub enum Status {
    None,
    Reported,
    Certified,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::None, Status::Reported, Status::Certified];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::None => "none",
            Status::Reported => "reported",
            Status::Certified => "certified",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn label_key(self) -> String {
        format!("hgj-status-{}", self.as_str())
    }
}

/// The checklist's items, in the order pages show them (each has an `hgj-item-…` message).
pub const ITEMS: [&str; 5] = [
    "every_household_tap",
    "schools_connected",
    "anganwadis_connected",
    "no_leakages",
    "roads_restored",
];

/// A village's checklist as typed (form or JSON): items are "true"/"on" when ticked.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HarGharJalInput)]
pub struct ChecklistInput {
    pub every_household_tap: String,
    pub schools_connected: String,
    pub anganwadis_connected: String,
    pub no_leakages: String,
    pub roads_restored: String,
    /// The Gram Sabha resolution's date, YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub resolution_on: String,
    pub notes: String,
}

/// A checklist checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistValues {
    /// In the order of [`ITEMS`].
    pub items: [bool; 5],
    pub resolution_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl ChecklistInput {
    fn item(&self, i: usize) -> &str {
        match i {
            0 => &self.every_household_tap,
            1 => &self.schools_connected,
            2 => &self.anganwadis_connected,
            3 => &self.no_leakages,
            _ => &self.roads_restored,
        }
    }
}

/// Check a checklist as typed; `today` bounds the resolution's date.
pub fn validate(input: &ChecklistInput, today: NaiveDate) -> Result<ChecklistValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut items = [false; 5];
    for (i, it) in items.iter_mut().enumerate() {
        *it = forms::flag(input.item(i));
    }
    let resolution_on =
        forms::optional_date(&input.resolution_on, Some(today), "resolution_on", &mut e);
    let notes = forms::optional_text(&input.notes, forms::max::NOTE, "notes", &mut e);
    if !e.is_empty() {
        return Err(e);
    }
    Ok(ChecklistValues {
        items,
        resolution_on,
        notes,
    })
}

/// What still stops a village from being reported: each missing item, the resolution's
/// date, the scan (as field errors, so a page shows them beside the checklist).
pub fn missing(
    items: [bool; 5],
    resolution_on: Option<NaiveDate>,
    documents: usize,
) -> FieldErrors {
    let mut e = FieldErrors::new();
    for (i, ok) in items.iter().enumerate() {
        if !ok {
            e.add(ITEMS[i], "hgj-item-missing");
        }
    }
    if resolution_on.is_none() {
        e.add("resolution_on", "hgj-resolution-missing");
    }
    if documents == 0 {
        e.add("documents", "hgj-document-missing");
    }
    e
}

/// This area's entry in the header's navigation.
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/har-ghar-jal",
    label: "nav-har-ghar-jal",
    verb: Some(crate::auth::Verb::ViewSupply),
}];

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_checklist_reads_its_ticks_and_date() {
        let input = ChecklistInput {
            every_household_tap: "on".into(),
            no_leakages: "true".into(),
            resolution_on: "०१-१२-२०२६".into(),
            ..Default::default()
        };
        let v = validate(&input, day(7)).unwrap();
        assert_eq!(v.items, [true, false, false, true, false]);
        assert_eq!(v.resolution_on, Some(day(1)));
        let late = ChecklistInput {
            resolution_on: "2026-12-08".into(),
            ..Default::default()
        };
        assert!(validate(&late, day(7)).unwrap_err().has("resolution_on"));
    }

    #[test]
    fn everything_is_needed_to_report() {
        let e = missing([true; 5], Some(day(1)), 1);
        assert!(e.is_empty());
        let e = missing([true, true, false, true, true], Some(day(1)), 0);
        assert!(e.has("anganwadis_connected") && e.has("documents"));
        assert!(!e.has("every_household_tap") && !e.has("resolution_on"));
        assert!(missing([true; 5], None, 1).has("resolution_on"));
        assert_eq!(Status::parse("reported"), Some(Status::Reported));
        assert_eq!(Status::Certified.label_key(), "hgj-status-certified");
    }
}
