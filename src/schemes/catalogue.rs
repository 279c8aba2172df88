//! The configurable lists: asset kinds (with their default expected life and unit), scheme
//! kinds and source kinds. Built in from config/asset_kinds.toml and config/scheme_kinds.toml;
//! `[catalogue]` in the configuration can point at edited copies.

use crate::config::CatalogueConfig;
use crate::web::i18n::Lang;
use serde::{Deserialize, Serialize};

pub const BUILTIN_ASSET_KINDS: &str = include_str!("../../config/asset_kinds.toml");
pub const BUILTIN_SCHEME_KINDS: &str = include_str!("../../config/scheme_kinds.toml");

/// The units a capacity may be given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Kilolitre,
    Litre,
    HorsePower,
    Kilowatt,
    Millimetre,
    Metre,
    LitresPerHour,
    Count,
}

impl Unit {
    pub const ALL: [Unit; 8] = [
        Unit::Kilolitre,
        Unit::Litre,
        Unit::HorsePower,
        Unit::Kilowatt,
        Unit::Millimetre,
        Unit::Metre,
        Unit::LitresPerHour,
        Unit::Count,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Kilolitre => "kL",
            Unit::Litre => "L",
            Unit::HorsePower => "HP",
            Unit::Kilowatt => "kW",
            Unit::Millimetre => "mm",
            Unit::Metre => "m",
            Unit::LitresPerHour => "LPH",
            Unit::Count => "count",
        }
    }

    /// Exactly as written (units are case-sensitive: "m" and "M" differ).
    pub fn parse(s: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str() == s)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub code: String,
    pub name: String,
    pub name_hi: String,
    #[serde(default)]
    pub life_years: Option<i32>,
    #[serde(default)]
    pub unit: Option<String>,
}

impl Kind {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Hi if !self.name_hi.is_empty() => &self.name_hi,
            _ => &self.name,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetKindsFile {
    kind: Vec<Kind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeKindsFile {
    kind: Vec<Kind>,
    source: Vec<Kind>,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub asset_kinds: Vec<Kind>,
    pub scheme_kinds: Vec<Kind>,
    pub source_kinds: Vec<Kind>,
}

fn read(path: &str, builtin: &'static str) -> Result<String, String> {
    if path.trim().is_empty() {
        Ok(builtin.to_string())
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

impl Catalogue {
    pub fn builtin() -> Catalogue {
        Self::load(&CatalogueConfig {
            asset_kinds_file: String::new(),
            scheme_kinds_file: String::new(),
        })
        .expect("built-in catalogue is valid")
    }

    pub fn load(cfg: &CatalogueConfig) -> Result<Catalogue, String> {
        let assets: AssetKindsFile =
            toml::from_str(&read(&cfg.asset_kinds_file, BUILTIN_ASSET_KINDS)?)
                .map_err(|e| format!("asset kinds: {}", e.message()))?;
        let schemes: SchemeKindsFile =
            toml::from_str(&read(&cfg.scheme_kinds_file, BUILTIN_SCHEME_KINDS)?)
                .map_err(|e| format!("scheme kinds: {}", e.message()))?;
        let c = Catalogue {
            asset_kinds: assets.kind,
            scheme_kinds: schemes.kind,
            source_kinds: schemes.source,
        };
        c.check()?;
        Ok(c)
    }

    fn check(&self) -> Result<(), String> {
        for (what, list) in [
            ("asset kind", &self.asset_kinds),
            ("scheme kind", &self.scheme_kinds),
            ("source kind", &self.source_kinds),
        ] {
            if list.is_empty() {
                return Err(format!("the {what} list is empty"));
            }
            let mut seen = std::collections::HashSet::new();
            for k in list.iter() {
                let code_ok = !k.code.is_empty()
                    && k.code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !code_ok {
                    return Err(format!(
                        "{what} code {:?} must be lowercase letters, digits or _",
                        k.code
                    ));
                }
                if !seen.insert(k.code.as_str()) {
                    return Err(format!("{what} code {:?} appears twice", k.code));
                }
                if let Some(unit) = k.unit.as_deref().filter(|u| !u.is_empty()) {
                    if Unit::parse(unit).is_none() {
                        return Err(format!("{what} {:?}: unknown unit {unit:?}", k.code));
                    }
                }
            }
        }
        for k in &self.asset_kinds {
            match k.life_years {
                Some(1..=100) => {}
                _ => {
                    return Err(format!(
                        "asset kind {:?} needs life_years between 1 and 100",
                        k.code
                    ))
                }
            }
        }
        Ok(())
    }

    pub fn asset_kind(&self, code: &str) -> Option<&Kind> {
        self.asset_kinds.iter().find(|k| k.code == code)
    }

    pub fn scheme_kind(&self, code: &str) -> Option<&Kind> {
        self.scheme_kinds.iter().find(|k| k.code == code)
    }

    pub fn source_kind(&self, code: &str) -> Option<&Kind> {
        self.source_kinds.iter().find(|k| k.code == code)
    }
}

/// The lists' names in the audit log's details ([`crate::audit::Arg::Listed`]).
pub const ASSET_KINDS: &str = "asset_kind";
pub const SCHEME_KINDS: &str = "scheme_kind";
pub const SOURCE_KINDS: &str = "source_kind";

impl crate::audit::ListNames for Catalogue {
    fn name_of(&self, list: &str, code: &str, lang: Lang) -> Option<String> {
        let kind = match list {
            ASSET_KINDS => self.asset_kind(code),
            SCHEME_KINDS => self.scheme_kind(code),
            SOURCE_KINDS => self.source_kind(code),
            _ => None,
        }?;
        Some(kind.label(lang).to_string())
    }
}

/// The label of `code` in `list`, or the code itself when the catalogue no longer has it.
pub fn label_of<'a>(list: &'a [Kind], code: &'a str, lang: Lang) -> &'a str {
    list.iter()
        .find(|k| k.code == code)
        .map(|k| k.label(lang))
        .unwrap_or(code)
}

/// `[{value, label}]` for a select.
pub fn options(list: &[Kind], lang: Lang) -> serde_json::Value {
    serde_json::Value::Array(
        list.iter()
            .map(|k| serde_json::json!({"value": k.code, "label": k.label(lang), "life_years": k.life_years, "unit": k.unit}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_round_trip() {
        for u in Unit::ALL {
            assert_eq!(Unit::parse(u.as_str()), Some(u));
        }
        assert_eq!(Unit::parse("M"), None);
    }

    #[test]
    fn builtin_catalogue_has_the_defaults() {
        let c = Catalogue::builtin();
        assert_eq!(c.asset_kind("pump").unwrap().life_years, Some(15));
        assert_eq!(
            c.asset_kind("distribution_pipeline").unwrap().life_years,
            Some(30)
        );
        assert_eq!(c.asset_kind("ohsr").unwrap().life_years, Some(30));
        assert_eq!(c.asset_kind("chlorinator").unwrap().life_years, Some(10));
        assert!(c.scheme_kind("pws").is_some());
        assert!(c.source_kind("borewell").is_some());
        assert_eq!(c.asset_kinds.len(), 18);
    }

    #[test]
    fn edited_files_are_checked() {
        let dir = std::env::temp_dir().join(format!("paani-cat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.toml");
        std::fs::write(
            &p,
            "[[kind]]\ncode = \"pump\"\nname = \"Pump\"\nname_hi = \"पंप\"\nlife_years = 0\n",
        )
        .unwrap();
        let cfg = CatalogueConfig {
            asset_kinds_file: p.to_string_lossy().into(),
            scheme_kinds_file: String::new(),
        };
        assert!(Catalogue::load(&cfg).unwrap_err().contains("life_years"));
        std::fs::write(&p, "[[kind]]\ncode = \"pump\"\nname = \"Pump\"\nname_hi = \"पंप\"\nlife_years = 12\nunit = \"HP\"\n").unwrap();
        let c = Catalogue::load(&cfg).unwrap();
        assert_eq!(c.asset_kind("pump").unwrap().life_years, Some(12));
        assert!(c.asset_kind("motor").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
