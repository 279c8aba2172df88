//! Sampling points: where a scheme's water is sampled — its sources, storage tanks and taps,
//! and the schools and anganwadis it serves — each in one of the scheme's villages, with an
//! optional GPS position. Points of the scheme's sources and tanks are created from its
//! assets in one step (one point per eligible asset not yet a point).
//!
//! This folder has the area's five files: the input rules here, `model` (rows and scoped
//! queries), `service` (add, edit, create from assets; audited), `pages` and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find_in_scope, SamplingPoint};

use super::PointKind;
use crate::error::FieldErrors;
use crate::schemes::assets::{LAT_RANGE, LON_RANGE};
use crate::web::forms;
use serde::{Deserialize, Serialize};

/// A sampling point's fields as typed (form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PointInput {
    /// source, storage_tank, tap, school or anganwadi.
    pub kind: String,
    /// Id of one of the scheme's villages.
    pub village_id: String,
    pub name: String,
    /// Optional name in Hindi, shown to Hindi readers.
    pub name_hi: String,
    /// Decimal degrees (both or neither).
    pub latitude: String,
    pub longitude: String,
    /// "false" / "0" / "off" to take a point out of use (edit only); anything else keeps it.
    pub active: String,
}

/// A point's checked values.
#[derive(Debug, Clone)]
pub struct PointValues {
    pub kind: PointKind,
    pub village_id: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub active: bool,
}

/// The input's shape: kind, village given, name, coordinates inside India and given as a
/// pair. Whether the village is one of the scheme's is the service's check.
pub fn validate(input: &PointInput) -> Result<PointValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = PointKind::parse(&input.kind);
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
    let village_id = match forms::ascii_digits(input.village_id.trim()).parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            e.add("village_id", "field-required");
            None
        }
    };
    let name = forms::required_text(&input.name, forms::max::NAME, "name", &mut e);
    let name_hi = forms::optional_text(&input.name_hi, forms::max::NAME, "name_hi", &mut e);
    let coord = |raw: &str, field: &str, range: (f64, f64), e: &mut FieldErrors| -> Option<f64> {
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        match forms::ascii_digits(v).parse::<f64>() {
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
    let active = !matches!(
        input.active.trim().to_ascii_lowercase().as_str(),
        "false" | "0" | "off" | "no"
    );
    if !e.is_empty() {
        return Err(e);
    }
    Ok(PointValues {
        kind: kind.expect("checked"),
        village_id: village_id.expect("checked"),
        name: name.expect("checked"),
        name_hi,
        latitude,
        longitude,
        active,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_shape() {
        let ok = PointInput {
            kind: "storage_tank".into(),
            village_id: "१२".into(),
            name: "OHSR".into(),
            latitude: "23.1".into(),
            longitude: "77.4".into(),
            ..Default::default()
        };
        let v = validate(&ok).unwrap();
        assert_eq!(v.kind, PointKind::StorageTank);
        assert_eq!(v.village_id, 12);
        assert!(v.active);
        let bad = PointInput {
            kind: "river".into(),
            latitude: "23.1".into(),
            ..Default::default()
        };
        let e = validate(&bad).unwrap_err();
        for f in ["kind", "village_id", "name", "longitude"] {
            assert!(e.has(f), "{f}");
        }
    }
}
