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
    /// The checklist in Hindi, item by item (same order as `checklist`).
    #[serde(default)]
    pub checklist_hi: Vec<String>,
    #[serde(default)]
    pub readings: Vec<TemplateReading>,
}

/// A reading of a template: the spec a plan copies, and its name and unit in Hindi.
#[derive(Debug, Clone, Deserialize)]
pub struct TemplateReading {
    #[serde(flatten)]
    pub spec: ReadingSpec,
    #[serde(default)]
    pub name_hi: Option<String>,
    #[serde(default)]
    pub unit_hi: Option<String>,
}

impl TemplateReading {
    pub fn name(&self, lang: Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.spec.name, self.name_hi.as_deref())
    }

    pub fn unit(&self, lang: Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.spec.unit, self.unit_hi.as_deref())
    }
}

impl Template {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Hi if !self.title_hi.is_empty() => &self.title_hi,
            _ => &self.title,
        }
    }

    /// The checklist's item `i` in `lang` (English when it has no Hindi).
    pub fn checklist_item(&self, i: usize, lang: Lang) -> Option<&str> {
        let en = self.checklist.get(i)?;
        Some(crate::web::i18n::name_in(
            lang,
            en,
            self.checklist_hi.get(i).map(String::as_str),
        ))
    }

    /// The checklist in `lang`.
    pub fn checklist_in(&self, lang: Lang) -> Vec<String> {
        (0..self.checklist.len())
            .filter_map(|i| self.checklist_item(i, lang).map(str::to_string))
            .collect()
    }

    /// The readings a plan copies, named in `lang`.
    pub fn reading_specs(&self, lang: Lang) -> Vec<ReadingSpec> {
        self.readings
            .iter()
            .map(|r| ReadingSpec {
                name: r.name(lang).to_string(),
                unit: r.unit(lang).to_string(),
                ..r.spec.clone()
            })
            .collect()
    }

    /// The plan's values in `lang`: a plan copies the library's texts in the language of
    /// whoever applied the template; pages show them in the reader's (see [`Library::localize_plan`]).
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
            checklist: self.checklist_in(lang),
            readings: self.reading_specs(lang),
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
            if let Some(r) = t.readings.iter().find(|r| !r.spec.consistent()) {
                return Err(format!(
                    "maintenance template {:?}: reading {:?} needs lowest ≤ min ≤ max ≤ highest",
                    t.code, r.spec.name
                ));
            }
            if !t.checklist_hi.is_empty() && t.checklist_hi.len() != t.checklist.len() {
                return Err(format!(
                    "maintenance template {:?}: checklist_hi must have as many items as checklist",
                    t.code
                ));
            }
        }
        Ok(Library {
            templates: f.template,
        })
    }

    pub fn find(&self, code: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.code == code)
    }

    /// A plan's texts in the reader's language. A plan made from a template copied the
    /// library's texts in one language; where a text is still the library's (in any of its
    /// languages) it is shown in `lang`, and anything a person typed is shown as typed.
    pub fn localize_plan(
        &self,
        lang: Lang,
        template_code: Option<&str>,
        texts: PlanTexts,
    ) -> PlanTexts {
        let Some(t) = template_code.and_then(|c| self.find(c)) else {
            return texts;
        };
        let title = localize_title(t, lang, &texts.title);
        let checklist = texts
            .checklist
            .into_iter()
            .map(|item| {
                (0..t.checklist.len())
                    .find(|&i| {
                        Lang::ALL
                            .iter()
                            .any(|&l| t.checklist_item(i, l) == Some(item.as_str()))
                    })
                    .and_then(|i| t.checklist_item(i, lang))
                    .map(str::to_string)
                    .unwrap_or(item)
            })
            .collect();
        let readings = texts
            .readings
            .into_iter()
            .map(|(name, unit)| {
                match t
                    .readings
                    .iter()
                    .find(|r| Lang::ALL.iter().any(|&l| r.name(l) == name))
                {
                    Some(r) => {
                        let unit = if Lang::ALL.iter().any(|&l| r.unit(l) == unit) {
                            r.unit(lang).to_string()
                        } else {
                            unit
                        };
                        (r.name(lang).to_string(), unit)
                    }
                    None => (name, unit),
                }
            })
            .collect();
        PlanTexts {
            title,
            checklist,
            readings,
        }
    }

    /// A copy of `plan` with its texts in `lang` (see [`Library::localize_plan`]), for pages.
    pub fn localized(&self, lang: Lang, plan: &super::Plan) -> super::Plan {
        let texts = PlanTexts {
            title: plan.title.clone(),
            checklist: plan.checklist(),
            readings: plan
                .reading_specs()
                .into_iter()
                .map(|r| (r.name, r.unit))
                .collect(),
        };
        let out = self.localize_plan(lang, plan.template_code.as_deref(), texts);
        let specs: Vec<ReadingSpec> = plan
            .reading_specs()
            .into_iter()
            .zip(out.readings)
            .map(|(r, (name, unit))| ReadingSpec { name, unit, ..r })
            .collect();
        super::Plan {
            title: out.title,
            checklist: serde_json::to_string(&out.checklist).unwrap_or_else(|_| "[]".into()),
            readings: serde_json::to_string(&specs).unwrap_or_else(|_| "[]".into()),
            ..plan.clone()
        }
    }

    /// Work done from a template's plan (a log keeps its plan's title and readings, not the
    /// template's code): its title and readings in `lang`, when its title is still the one a
    /// template wrote.
    pub fn localize_log(
        &self,
        lang: Lang,
        title: &str,
        readings: Vec<super::ReadingValue>,
    ) -> (String, Vec<super::ReadingValue>) {
        let code = self
            .templates
            .iter()
            .find(|t| title_matches(t, title))
            .map(|t| t.code.as_str());
        let texts = PlanTexts {
            title: title.to_string(),
            checklist: vec![],
            readings: readings
                .iter()
                .map(|r| (r.name.clone(), r.unit.clone()))
                .collect(),
        };
        let out = self.localize_plan(lang, code, texts);
        let readings = readings
            .into_iter()
            .zip(out.readings)
            .map(|(r, (name, unit))| super::ReadingValue { name, unit, ..r })
            .collect();
        (out.title, readings)
    }

    /// A plan's title in `lang` (see [`Library::localize_plan`]).
    pub fn plan_title(&self, lang: Lang, template_code: Option<&str>, title: &str) -> String {
        match template_code.and_then(|c| self.find(c)) {
            Some(t) => localize_title(t, lang, title),
            None => title.to_string(),
        }
    }

    /// A plan's (or its work's) title in English and in Hindi: the template's words in each
    /// (see [`Library::plan_title`]), the asset's part by the asset's names; a title a person
    /// typed is the same in both.
    pub fn titles(
        &self,
        template_code: Option<&str>,
        title: &str,
        asset: Option<&Asset>,
    ) -> (String, String) {
        let in_lang = |lang| {
            let t = self.plan_title(lang, template_code, title);
            match asset {
                Some(a) => crate::schemes::assets::title_with_asset_name(
                    &t,
                    &a.name,
                    a.name_hi.as_deref(),
                    lang,
                ),
                None => t,
            }
        };
        (in_lang(Lang::En), in_lang(Lang::Hi))
    }

    pub fn for_kind(&self, kind: &str) -> Vec<&Template> {
        self.templates
            .iter()
            .filter(|t| t.asset_kinds.iter().any(|k| k == kind))
            .collect()
    }
}

/// The texts of a plan a reader sees: its title, checklist items, and readings' names and units.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanTexts {
    pub title: String,
    pub checklist: Vec<String>,
    pub readings: Vec<(String, String)>,
}

/// Whether `title` is one `t` wrote (in any language), with or without an asset's name.
fn title_matches(t: &Template, title: &str) -> bool {
    Lang::ALL.iter().any(|&l| {
        let own = t.title(l);
        title == own
            || title
                .strip_prefix(own)
                .is_some_and(|r| r.starts_with(" — "))
    })
}

/// "<template title> — <asset name>" (as [`Template::values`] writes it) in `lang`: the
/// template's part is translated, the asset's name stays as typed.
fn localize_title(t: &Template, lang: Lang, title: &str) -> String {
    for l in Lang::ALL {
        let own = t.title(l);
        if title == own {
            return t.title(lang).to_string();
        }
        if let Some(rest) = title.strip_prefix(own).and_then(|r| r.strip_prefix(" — ")) {
            return format!("{} — {rest}", t.title(lang));
        }
    }
    title.to_string()
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
                assert_eq!(r.spec.lowest, Some(0.0), "{} {}", t.code, r.spec.name);
                assert!(r.spec.consistent(), "{} {}", t.code, r.spec.name);
            }
        }
    }
}
