//! The template library: default plans per asset kind, from config/maintenance_templates.toml
//! (or an edited copy named by `maintenance.templates_file`). Applying templates to a scheme
//! adds each in-service asset's missing template plans; running it again adds nothing.

use super::model::create_plan;
use super::{PlanValues, ReadingSpec};
use crate::db::schema::maintenance_plans;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::schemes::assets::{Asset, AssetFilter};
use crate::schemes::Scheme;
use crate::web::i18n::Lang;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

pub const BUILTIN: &str = include_str!("../../config/maintenance_templates.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub code: String,
    pub title: String,
    pub title_hi: String,
    pub asset_kinds: Vec<String>,
    pub every_unit: String,
    pub every_n: i32,
    #[serde(default)]
    pub window_start: Option<String>,
    #[serde(default)]
    pub window_end: Option<String>,
    #[serde(default)]
    pub water_quality: bool,
    #[serde(default)]
    pub responsible_role: Option<String>,
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub readings: Vec<ReadingSpec>,
}

impl Template {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Hi if !self.title_hi.is_empty() => &self.title_hi,
            _ => &self.title,
        }
    }

    fn values(&self, asset: &Asset, start: NaiveDate, lang: Lang) -> Option<PlanValues> {
        let unit = super::recurrence::Unit::parse(&self.every_unit)?;
        let window = match (self.window_start.as_deref(), self.window_end.as_deref()) {
            (Some(a), Some(b)) => Some((
                super::recurrence::MonthDay::parse(a)?,
                super::recurrence::MonthDay::parse(b)?,
            )),
            _ => None,
        };
        Some(PlanValues {
            asset: Some(asset.clone()),
            title: format!("{} — {}", self.title(lang), asset.name),
            instructions: None,
            checklist: self.checklist.clone(),
            readings: self.readings.clone(),
            water_quality: self.water_quality,
            unit,
            every_n: self.every_n.max(1),
            start_on: start,
            window,
            responsible_user_id: None,
            responsible_role: self.responsible_role.clone(),
            estimated_cost_paise: None,
            active: true,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    template: Vec<Template>,
}

#[derive(Debug, Clone)]
pub struct Library {
    pub templates: Vec<Template>,
}

impl Library {
    pub fn load(path: &str) -> Result<Library, String> {
        let text = if path.trim().is_empty() {
            BUILTIN.to_string()
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        };
        let f: File =
            toml::from_str(&text).map_err(|e| format!("maintenance templates: {}", e.message()))?;
        for t in &f.template {
            if super::recurrence::Unit::parse(&t.every_unit).is_none() || t.every_n < 1 {
                return Err(format!(
                    "maintenance template {:?}: bad every_unit/every_n",
                    t.code
                ));
            }
            if let Some(r) = t.readings.iter().find(|r| !r.consistent()) {
                return Err(format!(
                    "maintenance template {:?}: reading {:?} needs lowest ≤ min ≤ max ≤ highest",
                    t.code, r.name
                ));
            }
        }
        Ok(Library {
            templates: f.template,
        })
    }

    pub fn for_kind(&self, kind: &str) -> Vec<&Template> {
        self.templates
            .iter()
            .filter(|t| t.asset_kinds.iter().any(|k| k == kind))
            .collect()
    }
}

/// Add the missing template plans of every in-service asset of `scheme`; returns how many.
pub fn apply_to_scheme(
    conn: &mut DbConn,
    lib: &Library,
    scheme: &Scheme,
    start: NaiveDate,
    lang: Lang,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let f = AssetFilter {
        scheme: Some(scheme.id),
        ..Default::default()
    };
    let scope = crate::auth::Scope::All;
    let mut added = 0;
    let mut after = 0;
    loop {
        let assets = crate::schemes::assets::list_all(conn, &scope, &f, after, 500)?;
        let Some(last) = assets.last() else { break };
        after = last.id;
        for a in &assets {
            added += apply_to_asset(conn, lib, scheme, a, start, lang, now)?;
        }
    }
    Ok(added)
}

pub fn apply_to_asset(
    conn: &mut DbConn,
    lib: &Library,
    scheme: &Scheme,
    a: &Asset,
    start: NaiveDate,
    lang: Lang,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let existing: Vec<Option<String>> = maintenance_plans::table
        .filter(maintenance_plans::asset_id.eq(a.id))
        .select(maintenance_plans::template_code)
        .load(conn)?;
    let mut added = 0;
    for t in lib.for_kind(&a.kind) {
        if existing.iter().flatten().any(|c| c == &t.code) {
            continue;
        }
        if let Some(v) = t.values(a, start, lang) {
            create_plan(conn, scheme, &v, Some(&t.code), now)?;
            added += 1;
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_library_covers_the_common_kinds() {
        let lib = Library::load("").unwrap();
        for kind in [
            "chlorinator",
            "pump",
            "motor",
            "valve",
            "ohsr",
            "distribution_pipeline",
            "electrical_panel",
            "bulk_meter",
            "borewell",
        ] {
            assert!(!lib.for_kind(kind).is_empty(), "{kind}");
        }
        let pm = lib
            .templates
            .iter()
            .find(|t| t.code == "pre_monsoon")
            .unwrap();
        assert_eq!(pm.every_unit, "window");
        let tank = lib
            .templates
            .iter()
            .find(|t| t.code == "tank_cleaning")
            .unwrap();
        assert_eq!((tank.every_unit.as_str(), tank.every_n), ("month", 6));
        // every reading the library asks for has physical bounds: at least "not negative"
        for t in &lib.templates {
            for r in &t.readings {
                assert_eq!(r.lowest, Some(0.0), "{} {}", t.code, r.name);
                assert!(r.consistent(), "{} {}", t.code, r.name);
            }
        }
    }
}
