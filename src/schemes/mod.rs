//! Schemes: a GP's piped water supply (or hand pump, or bulk supply) with the villages it
//! serves, its design period and a status whose every change is kept with who, when and why.
//!
//! The scheme's components are in the `assets` sub-folder (its own five files). Besides the
//! five files, `catalogue.rs` holds the kinds of schemes, sources and assets (from the
//! configuration) and `lifecycle.rs` the report of what reaches the end of its life soon.

pub mod api;
pub mod assets;
pub mod catalogue;
pub mod lifecycle;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{
    by_ids, change_status, create, find, find_in_scope, history_of, list, list_all, open_outages,
    update, village_codes_of, villages_of, Scheme, SchemeFilter, StatusChange,
};
pub use service::validate;

/// The old path of the status choices, kept for other areas' pages (maintenance,
/// breakdowns).
use crate::places::Place;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SchemeStatus {
    Functional,
    PartiallyFunctional,
    NonFunctional,
    UnderRepair,
    Decommissioned,
}

impl SchemeStatus {
    /// Every status, for a choice list: its database text and its label key.
    pub fn options() -> serde_json::Value {
        SchemeStatus::ALL
            .iter()
            .map(|s| serde_json::json!({"value": s.as_str(), "label": s.label_key()}))
            .collect()
    }

    pub const ALL: [SchemeStatus; 5] = [
        SchemeStatus::Functional,
        SchemeStatus::PartiallyFunctional,
        SchemeStatus::NonFunctional,
        SchemeStatus::UnderRepair,
        SchemeStatus::Decommissioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchemeStatus::Functional => "functional",
            SchemeStatus::PartiallyFunctional => "partially_functional",
            SchemeStatus::NonFunctional => "non_functional",
            SchemeStatus::UnderRepair => "under_repair",
            SchemeStatus::Decommissioned => "decommissioned",
        }
    }

    pub fn parse(s: &str) -> Option<SchemeStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Translation key of the status's name.
    pub fn label_key(self) -> String {
        format!("scheme-status-{}", self.as_str())
    }
}

/// How a scheme is working now: what the operator set by hand, unless a breakdown that stopped
/// the supply is still open (reported, acknowledged, in progress or reopened), which makes it
/// not functional until that breakdown is resolved. A decommissioned scheme stays
/// decommissioned. The one rule the scheme pages, lists, dashboards and API all read;
/// [`model::open_outages`] counts the open outages for a set of schemes in one query, and
/// [`model::list`]'s status filter says the same in SQL.
pub fn functioning_of(hand_set: SchemeStatus, open_outages: i64) -> SchemeStatus {
    match hand_set {
        SchemeStatus::Decommissioned => SchemeStatus::Decommissioned,
        _ if open_outages > 0 => SchemeStatus::NonFunctional,
        s => s,
    }
}

/// `years` after `from`; 29 February lands on 28 February in a year without it.
pub fn add_years(from: NaiveDate, years: i32) -> Option<NaiveDate> {
    u32::try_from(years)
        .ok()
        .and_then(|y| from.checked_add_months(Months::new(y.checked_mul(12)?)))
}

/// Scheme fields as typed (form, JSON, CSV).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SchemeInput {
    /// LGD code of the gram panchayat the scheme belongs to (a secretary's own GP by default).
    pub gp_lgd_code: String,
    pub name: String,
    pub name_hi: String,
    /// IMIS or state scheme id.
    pub imis_id: String,
    /// A scheme kind code from the catalogue (pws, solar_pws, hand_pump, mvs_bulk, …).
    pub kind: String,
    /// A source kind code from the catalogue (borewell, river, …).
    pub source_kind: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub commissioned_on: String,
    pub design_period_years: String,
    pub design_population: String,
    pub planned_connections: String,
    pub operator_name: String,
    pub operator_phone: String,
    /// LGD codes of the villages served, separated by commas or spaces (any GP's villages).
    pub villages: String,
    pub notes: String,
}

/// Raw status change as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusInput {
    /// functional, partially_functional, non_functional, under_repair or decommissioned.
    pub status: String,
    /// Why (required).
    pub reason: String,
}

/// The two CSV imports (and exports) of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Schemes,
    Assets,
}

impl ImportKind {
    pub const ALL: [ImportKind; 2] = [ImportKind::Schemes, ImportKind::Assets];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Schemes => "schemes",
            ImportKind::Assets => "assets",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The file's columns (an export has them all; an import may leave some out).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Schemes => SCHEME_COLUMNS,
            ImportKind::Assets => assets::ASSET_COLUMNS,
        }
    }

    /// Translation key of the import page's title.
    pub fn title_key(self) -> String {
        format!("{}-import-title", self.as_str())
    }
}

/// The columns of the scheme CSV files.
pub const SCHEME_COLUMNS: &[&str] = &[
    "code",
    "gp_lgd_code",
    "name",
    "name_hi",
    "imis_id",
    "kind",
    "source_kind",
    "commissioned_on",
    "design_period_years",
    "design_population",
    "planned_connections",
    "operator_name",
    "operator_phone",
    "villages",
    "status",
    "notes",
];

/// What an import does with one checked row.
pub enum ImportPlan<V> {
    Create(V),
    Update(i64, V),
    Same,
}

/// Checked scheme fields.
#[derive(Debug, Clone)]
pub struct SchemeValues {
    pub gp: Place,
    pub name: String,
    pub name_hi: Option<String>,
    pub imis_id: Option<String>,
    pub kind: String,
    pub source_kind: Option<String>,
    pub commissioned_on: Option<NaiveDate>,
    pub design_period_years: i32,
    pub design_population: Option<i32>,
    pub planned_connections: Option<i32>,
    pub operator_name: Option<String>,
    pub operator_phone: Option<String>,
    pub villages: Vec<Place>,
    pub notes: Option<String>,
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/schemes",
    label: "nav-schemes",
    verb: Some(crate::auth::Verb::ViewSchemes),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_across_leap_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(add_years(d(2024, 2, 29), 15), Some(d(2039, 2, 28)));
        assert_eq!(add_years(d(2024, 2, 29), 4), Some(d(2028, 2, 29)));
        assert_eq!(add_years(d(2023, 3, 1), 1), Some(d(2024, 3, 1)));
        assert_eq!(add_years(d(2020, 12, 31), 30), Some(d(2050, 12, 31)));
        assert_eq!(add_years(d(2020, 1, 1), -1), None);
    }

    #[test]
    fn statuses_round_trip() {
        for s in SchemeStatus::ALL {
            assert_eq!(SchemeStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(SchemeStatus::parse("broken"), None);
        assert_eq!(
            SchemeStatus::UnderRepair.label_key(),
            "scheme-status-under_repair"
        );
        for k in ImportKind::ALL {
            assert_eq!(ImportKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn an_open_outage_stops_the_scheme() {
        use SchemeStatus::*;
        for s in [Functional, PartiallyFunctional, UnderRepair, NonFunctional] {
            assert_eq!(functioning_of(s, 0), s);
            assert_eq!(functioning_of(s, 1), NonFunctional);
            assert_eq!(functioning_of(s, 3), NonFunctional);
        }
        assert_eq!(functioning_of(Decommissioned, 2), Decommissioned);
    }
}
