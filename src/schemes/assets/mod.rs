//! Assets: a scheme's components (borewell, pump, tank, pipeline, …) with their expected life,
//! status, and replacement history (the old asset stays, `replaced`, linked to its successor).
//!
//! This folder has the area's five files: the rules here (statuses, the life of an asset,
//! input checks), `model` (rows and queries), `service` (add, edit, status, replace, retire,
//! CSV import), `pages` and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{
    create, find, find_in_scope, lineage, list, list_all, replace, retire, set_status, update,
    Asset, AssetFilter,
};

use super::catalogue::{Catalogue, Unit};
use crate::error::FieldErrors;
use crate::web::forms;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    Working,
    NeedsAttention,
    Failed,
    Replaced,
    Retired,
}

impl AssetStatus {
    /// The statuses a person may set, for a choice list: database text and label key.
    pub fn options() -> serde_json::Value {
        AssetStatus::SETTABLE
            .iter()
            .map(|s| serde_json::json!({"value": s.as_str(), "label": s.label_key()}))
            .collect()
    }

    pub const ALL: [AssetStatus; 5] = [
        AssetStatus::Working,
        AssetStatus::NeedsAttention,
        AssetStatus::Failed,
        AssetStatus::Replaced,
        AssetStatus::Retired,
    ];
    /// The statuses a person may set directly; `replaced` and `retired` have their own actions.
    pub const SETTABLE: [AssetStatus; 3] = [
        AssetStatus::Working,
        AssetStatus::NeedsAttention,
        AssetStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssetStatus::Working => "working",
            AssetStatus::NeedsAttention => "needs_attention",
            AssetStatus::Failed => "failed",
            AssetStatus::Replaced => "replaced",
            AssetStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<AssetStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Still part of the scheme (not replaced or retired).
    pub fn in_service(self) -> bool {
        !matches!(self, AssetStatus::Replaced | AssetStatus::Retired)
    }

    /// The statuses that end an asset's service.
    pub const ENDED: [AssetStatus; 2] = [AssetStatus::Replaced, AssetStatus::Retired];

    /// Translation key of the status's name.
    pub fn label_key(self) -> String {
        format!("asset-status-{}", self.as_str())
    }
}

/// Which assets a list shows: those in service (the default), all, or those of one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetStatusFilter {
    InService,
    All,
    Only(AssetStatus),
}

impl AssetStatusFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            AssetStatusFilter::InService => "in_service",
            AssetStatusFilter::All => "all",
            AssetStatusFilter::Only(s) => s.as_str(),
        }
    }

    /// Empty or nothing: in service. `None` for an unknown word.
    pub fn parse(s: Option<&str>) -> Option<AssetStatusFilter> {
        match s.map(str::trim).unwrap_or("") {
            "" | "in_service" => Some(AssetStatusFilter::InService),
            "all" => Some(AssetStatusFilter::All),
            s => AssetStatus::parse(s).map(AssetStatusFilter::Only),
        }
    }
}

/// A title that ends in an asset's name ("<work> — <asset>", as template plans are named):
/// the asset's part in the reader's language, whichever of its names the title was written
/// with. Other titles are returned as they are.
pub fn title_with_asset_name(
    title: &str,
    name: &str,
    name_hi: Option<&str>,
    lang: crate::web::i18n::Lang,
) -> String {
    let wanted = crate::web::i18n::name_in(lang, name, name_hi);
    for own in std::iter::once(name).chain(name_hi.filter(|h| !h.is_empty())) {
        if let Some(head) = title.strip_suffix(own).and_then(|h| h.strip_suffix(" — ")) {
            return format!("{head} — {wanted}");
        }
    }
    title.to_string()
}

/// Whole months from `a` to `b` (negative when `b` is earlier).
pub fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    let mut m = (b.year() as i64 - a.year() as i64) * 12 + (b.month() as i64 - a.month() as i64);
    if m > 0 && b.day() < a.day() {
        m -= 1;
    } else if m < 0 && b.day() > a.day() {
        m += 1;
    }
    m
}

/// Age and remaining life on `today`, in months.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Life {
    pub age_months: Option<i64>,
    pub remaining_months: Option<i64>,
    pub end_of_life_on: Option<NaiveDate>,
    /// Past its expected life.
    pub overdue: bool,
    pub warranty_active: Option<bool>,
}

pub fn life_of(a: &Asset, today: NaiveDate) -> Life {
    let remaining = a.end_of_life_on.map(|e| months_between(today, e));
    Life {
        age_months: a.installed_on.map(|i| months_between(i, today).max(0)),
        remaining_months: remaining,
        end_of_life_on: a.end_of_life_on,
        overdue: a.end_of_life_on.is_some_and(|e| e <= today),
        warranty_active: a.warranty_until.map(|w| w >= today),
    }
}

/// Asset fields as typed (form, JSON, CSV).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssetInput {
    /// An asset kind code from the catalogue (pump, ohsr, …).
    pub kind: String,
    /// Name or tag, e.g. "Pump 1", "OHSR ward 3".
    pub name: String,
    /// Optional name in Hindi, shown to Hindi readers.
    pub name_hi: String,
    /// Installed or last replaced: YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub installed_on: String,
    /// Empty: the kind's default.
    pub expected_life_years: String,
    pub capacity: String,
    /// kL, L, HP, kW, mm, m, LPH or count; empty: the kind's usual unit.
    pub capacity_unit: String,
    pub make: String,
    pub model: String,
    pub serial_no: String,
    pub warranty_until: String,
    pub latitude: String,
    pub longitude: String,
    /// Indicative replacement cost in rupees.
    pub replacement_cost: String,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct AssetValues {
    pub kind: String,
    pub name: String,
    pub name_hi: Option<String>,
    pub installed_on: Option<NaiveDate>,
    pub expected_life_years: i32,
    pub capacity: Option<f64>,
    pub capacity_unit: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial_no: Option<String>,
    pub warranty_until: Option<NaiveDate>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub replacement_cost_paise: Option<i64>,
    pub notes: Option<String>,
}

/// India's bounding box, islands and Ladakh included.
pub const LAT_RANGE: (f64, f64) = (6.0, 37.5);
pub const LON_RANGE: (f64, f64) = (68.0, 97.5);

pub fn validate(
    cat: &Catalogue,
    input: &AssetInput,
    money: crate::config::MoneyLimits,
    today: NaiveDate,
) -> Result<AssetValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = cat.asset_kind(input.kind.trim());
    if kind.is_none() {
        e.add(
            "kind",
            if input.kind.trim().is_empty() {
                "field-required"
            } else {
                "field-invalid-choice"
            },
        );
    }
    let name = forms::required_text(&input.name, crate::web::forms::max::NAME, "name", &mut e);
    let name_hi = forms::optional_text(
        &input.name_hi,
        crate::web::forms::max::NAME,
        "name_hi",
        &mut e,
    );
    let installed_on =
        forms::optional_date(&input.installed_on, Some(today), "installed_on", &mut e);
    let life = forms::optional_int(
        &input.expected_life_years,
        1,
        100,
        "expected_life_years",
        &mut e,
    );
    let capacity = forms::optional_non_negative(&input.capacity, "capacity", &mut e);
    let unit = match input.capacity_unit.trim() {
        "" => kind.and_then(|k| k.unit.clone()).filter(|u| !u.is_empty()),
        u if Unit::parse(u).is_some() => Some(u.to_string()),
        _ => {
            e.add("capacity_unit", "field-invalid-choice");
            None
        }
    };
    let make = forms::optional_text(&input.make, crate::web::forms::max::SHORT, "make", &mut e);
    let model = forms::optional_text(&input.model, crate::web::forms::max::SHORT, "model", &mut e);
    let serial_no = forms::optional_text(
        &input.serial_no,
        crate::web::forms::max::SHORT,
        "serial_no",
        &mut e,
    );
    let warranty_until =
        forms::optional_date(&input.warranty_until, None, "warranty_until", &mut e);
    if let (Some(w), Some(i)) = (warranty_until, installed_on) {
        if w < i {
            e.add("warranty_until", "asset-warranty-before-install");
        }
    }
    let coord = |raw: &str, field: &str, range: (f64, f64), e: &mut FieldErrors| -> Option<f64> {
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        match crate::web::forms::ascii_digits(v).parse::<f64>() {
            Ok(x) if x >= range.0 && x <= range.1 => Some(x),
            Ok(_) => {
                e.add(field, "asset-outside-india");
                None
            }
            Err(_) => {
                e.add(field, "field-not-a-number");
                None
            }
        }
    };
    let latitude = coord(&input.latitude, "latitude", LAT_RANGE, &mut e);
    let longitude = coord(&input.longitude, "longitude", LON_RANGE, &mut e);
    if latitude.is_some() != longitude.is_some() && !e.has("latitude") && !e.has("longitude") {
        e.add(
            if latitude.is_none() {
                "latitude"
            } else {
                "longitude"
            },
            "asset-coordinates-pair",
        );
    }
    let cost = forms::optional_money(
        &input.replacement_cost,
        money.capital_paise(),
        "replacement_cost",
        &mut e,
    );
    let notes = forms::optional_text(&input.notes, crate::web::forms::max::TEXT, "notes", &mut e);
    if !e.is_empty() {
        return Err(e);
    }
    let kind = kind.expect("checked");
    Ok(AssetValues {
        kind: kind.code.clone(),
        name: name.expect("checked"),
        name_hi,
        installed_on,
        expected_life_years: life.map(|l| l as i32).or(kind.life_years).unwrap_or(15),
        capacity,
        capacity_unit: unit,
        make,
        model,
        serial_no,
        warranty_until,
        latitude,
        longitude,
        replacement_cost_paise: cost,
        notes,
    })
}

/// A stored asset's fields as they would be typed (the edit form, a partial API change).
pub fn input_of(a: &Asset) -> AssetInput {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    AssetInput {
        kind: a.kind.clone(),
        name: a.name.clone(),
        name_hi: s(&a.name_hi),
        installed_on: a.installed_on.map(|d| d.to_string()).unwrap_or_default(),
        expected_life_years: a.expected_life_years.to_string(),
        capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
        capacity_unit: s(&a.capacity_unit),
        make: s(&a.make),
        model: s(&a.model),
        serial_no: s(&a.serial_no),
        warranty_until: a.warranty_until.map(|d| d.to_string()).unwrap_or_default(),
        latitude: a.latitude.map(|x| x.to_string()).unwrap_or_default(),
        longitude: a.longitude.map(|x| x.to_string()).unwrap_or_default(),
        replacement_cost: a
            .replacement_cost_paise
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
        notes: s(&a.notes),
    }
}

/// The columns of the asset CSV files.
pub const ASSET_COLUMNS: &[&str] = &[
    "id",
    "scheme_code",
    "kind",
    "name",
    "installed_on",
    "expected_life_years",
    "capacity",
    "capacity_unit",
    "make",
    "model",
    "serial_no",
    "warranty_until",
    "latitude",
    "longitude",
    "replacement_cost",
    "status",
    "notes",
    "name_hi",
];

/// A status change as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssetStatusInput {
    /// working, needs_attention or failed.
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months() {
        assert_eq!(months_between(d(2020, 1, 15), d(2020, 3, 14)), 1);
        assert_eq!(months_between(d(2020, 1, 15), d(2020, 3, 15)), 2);
        assert_eq!(months_between(d(2024, 2, 29), d(2039, 2, 28)), 179);
        assert_eq!(months_between(d(2030, 1, 1), d(2029, 12, 31)), 0);
        assert_eq!(months_between(d(2030, 3, 1), d(2029, 12, 31)), -2);
    }

    #[test]
    fn titles_name_the_asset_in_the_readers_language() {
        use crate::web::i18n::Lang;
        let hi = Some("सबमर्सिबल पंप");
        let t = "पंप की ग्रीसिंग — Submersible pump";
        assert_eq!(
            title_with_asset_name(t, "Submersible pump", hi, Lang::Hi),
            "पंप की ग्रीसिंग — सबमर्सिबल पंप"
        );
        let t = "Greasing — सबमर्सिबल पंप";
        assert_eq!(
            title_with_asset_name(t, "Submersible pump", hi, Lang::En),
            "Greasing — Submersible pump"
        );
        // no Hindi name: as typed; a title not ending in the name: unchanged
        assert_eq!(
            title_with_asset_name("Greasing — Pump 1", "Pump 1", None, Lang::Hi),
            "Greasing — Pump 1"
        );
        assert_eq!(
            title_with_asset_name("Fix the fence", "Pump 1", hi, Lang::Hi),
            "Fix the fence"
        );
    }

    #[test]
    fn status_filters() {
        assert_eq!(
            AssetStatusFilter::parse(None),
            Some(AssetStatusFilter::InService)
        );
        assert_eq!(
            AssetStatusFilter::parse(Some("all")),
            Some(AssetStatusFilter::All)
        );
        assert_eq!(
            AssetStatusFilter::parse(Some("failed")),
            Some(AssetStatusFilter::Only(AssetStatus::Failed))
        );
        assert_eq!(AssetStatusFilter::parse(Some("broken")), None);
        assert_eq!(AssetStatus::Failed.label_key(), "asset-status-failed");
    }

    #[test]
    fn validation() {
        let cat = Catalogue::builtin();
        let today = d(2026, 11, 26);
        let ok = validate(
            &cat,
            &AssetInput {
                kind: "pump".into(),
                name: "Pump 1".into(),
                installed_on: "29-02-2024".into(),
                capacity: "7.5".into(),
                ..Default::default()
            },
            crate::config::Config::defaults().money,
            today,
        )
        .unwrap();
        assert_eq!(ok.expected_life_years, 15);
        assert_eq!(ok.capacity_unit.as_deref(), Some("HP"));
        let e = validate(
            &cat,
            &AssetInput {
                kind: "spaceship".into(),
                name: "".into(),
                installed_on: "2030-01-01".into(),
                capacity: "-3".into(),
                latitude: "51.5".into(),
                longitude: "0.1".into(),
                ..Default::default()
            },
            crate::config::Config::defaults().money,
            today,
        )
        .unwrap_err();
        for f in [
            "kind",
            "name",
            "installed_on",
            "capacity",
            "latitude",
            "longitude",
        ] {
            assert!(e.has(f), "{f}");
        }
        let e = validate(
            &cat,
            &AssetInput {
                kind: "pump".into(),
                name: "x".into(),
                latitude: "22.7".into(),
                ..Default::default()
            },
            crate::config::Config::defaults().money,
            today,
        )
        .unwrap_err();
        assert!(e.has("longitude"));
    }
}
