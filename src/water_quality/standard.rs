//! The drinking-water standard as data (IS 10500:2012 built in, from
//! config/water_quality_standard.toml; `[water_quality] standard_file` names a state's own
//! copy) and the one rule that classifies a reading against it. Pure: no rows, no handlers.
//!
//! Numbers are exact: limits and readings are decimal text read into millionths of the
//! parameter's unit ([`parse_micro`]), never floats, so "exactly at the limit" is within it
//! on every machine.

use super::{Class, Measure, TestKind};
use serde::Deserialize;

pub const BUILTIN: &str = include_str!("../../config/water_quality_standard.toml");

/// Decimals a limit or a reading may have (values are stored in millionths).
pub const DECIMALS: usize = 6;
const SCALE: i64 = 1_000_000;

/// Decimal text ("0.01", "1,5", "१.२") as millionths: `None` when it is not a plain
/// non-negative decimal with at most [`DECIMALS`] decimals, or is too large.
pub fn parse_micro(raw: &str) -> Option<i64> {
    let v = crate::web::forms::ascii_digits(raw.trim());
    let v = if v.contains('.') {
        v.into_owned()
    } else {
        v.replace(',', ".")
    };
    let (whole, frac) = match v.split_once('.') {
        Some((w, f)) => (w, f),
        None => (v.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(frac) || frac.len() > DECIMALS || whole.len() > 12 {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..DECIMALS {
        f *= 10;
    }
    w.checked_mul(SCALE)?.checked_add(f)
}

/// Millionths as the shortest decimal text ("1.5", "0.01", "45").
pub fn format_micro(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let whole = a / 1_000_000;
    let frac = a % 1_000_000;
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let f = format!("{frac:06}");
        format!("{sign}{whole}.{}", f.trim_end_matches('0'))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFile {
    code: String,
    name: String,
    name_hi: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_hi: String,
    measure: String,
    acceptable_min: Option<String>,
    acceptable_max: Option<String>,
    permissible_min: Option<String>,
    permissible_max: Option<String>,
    physical_max: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindsFile {
    ftk: Vec<String>,
    h2s: Vec<String>,
    laboratory: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardFile {
    version: String,
    #[serde(default)]
    amendment: String,
    parameter: Vec<ParameterFile>,
    kinds: KindsFile,
}

/// One parameter of the standard, its limits in millionths of `unit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub code: String,
    pub name: String,
    pub name_hi: String,
    pub unit: String,
    /// The unit in Hindi ("मि.ग्रा./ली."); empty: the unit as it is.
    pub unit_hi: String,
    pub measure: Measure,
    pub acceptable_min: Option<i64>,
    pub acceptable_max: Option<i64>,
    pub permissible_min: Option<i64>,
    pub permissible_max: Option<i64>,
    /// The largest reading accepted (a typing guard).
    pub physical_max: i64,
}

impl Parameter {
    /// The standard allows a relaxation (a permissible band beyond acceptable).
    pub fn relaxation(&self) -> bool {
        self.permissible_min.is_some() || self.permissible_max.is_some()
    }

    pub fn label(&self, lang: crate::web::i18n::Lang) -> &str {
        match lang {
            crate::web::i18n::Lang::Hi if !self.name_hi.is_empty() => &self.name_hi,
            _ => &self.name,
        }
    }

    /// The unit in `lang` ("mg/l", "मि.ग्रा./ली."); "" for none.
    pub fn unit_in(&self, lang: crate::web::i18n::Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.unit, Some(&self.unit_hi))
    }

    /// A unit a value was stored with, in `lang`: this parameter's unit in `lang` while it is
    /// still the parameter's; otherwise (the standard changed since) as stored.
    pub fn stored_unit_in<'a>(&'a self, lang: crate::web::i18n::Lang, stored: &'a str) -> &'a str {
        if stored == self.unit {
            self.unit_in(lang)
        } else {
            stored
        }
    }

    /// The limits as text for a page: "6.5–8.5", "≤ 1", "≥ 0.2"; `None` for present /
    /// agreeable parameters.
    pub fn acceptable_text(&self) -> Option<String> {
        range_text(self.acceptable_min, self.acceptable_max)
    }

    pub fn permissible_text(&self) -> Option<String> {
        if self.relaxation() {
            range_text(
                self.permissible_min.or(self.acceptable_min),
                self.permissible_max.or(self.acceptable_max),
            )
        } else {
            None
        }
    }

    /// The class of one reading. A number is acceptable within the acceptable limits (a
    /// value exactly at a limit is within it), permissible within the permissible limits
    /// where the standard allows a relaxation, else beyond permissible; a bacteriological
    /// parameter found present is [`Class::BacteriaPresent`]; an odour or taste not
    /// agreeable is beyond permissible. A reading of the wrong shape for the parameter is
    /// `None` (the service refuses it before classifying).
    pub fn classify(&self, reading: Reading) -> Option<Class> {
        match (self.measure, reading) {
            (Measure::Number, Reading::Number(v)) => {
                let within = |min: Option<i64>, max: Option<i64>| {
                    min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)
                };
                Some(if within(self.acceptable_min, self.acceptable_max) {
                    Class::Acceptable
                } else if self.relaxation()
                    && within(
                        self.permissible_min.or(self.acceptable_min),
                        self.permissible_max.or(self.acceptable_max),
                    )
                {
                    Class::Permissible
                } else {
                    Class::BeyondPermissible
                })
            }
            (Measure::Presence, Reading::Present(p)) => Some(if p {
                Class::BacteriaPresent
            } else {
                Class::Acceptable
            }),
            (Measure::Agreeable, Reading::Agreeable(a)) => Some(if a {
                Class::Acceptable
            } else {
                Class::BeyondPermissible
            }),
            _ => None,
        }
    }
}

fn range_text(min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{}–{}", format_micro(a), format_micro(b))),
        (None, Some(b)) => Some(format!("≤ {}", format_micro(b))),
        (Some(a), None) => Some(format!("≥ {}", format_micro(a))),
        (None, None) => None,
    }
}

/// One reading as entered: a number in millionths of the unit, present/absent, or
/// agreeable/not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Number(i64),
    Present(bool),
    Agreeable(bool),
}

/// The standard in force: its version and parameters, and what each kind of test measures.
#[derive(Debug, Clone)]
pub struct Standard {
    pub version: String,
    pub amendment: String,
    pub parameters: Vec<Parameter>,
    pub ftk: Vec<String>,
    pub h2s: Vec<String>,
    pub laboratory: Vec<String>,
}

impl Standard {
    /// The built-in IS 10500:2012.
    pub fn builtin() -> Standard {
        Self::parse(BUILTIN).expect("built-in water-quality standard is valid")
    }

    /// The file `path` names, or the built-in standard when `path` is empty. Errors name
    /// the file and what is wrong in it.
    pub fn load(path: &str) -> Result<Standard, String> {
        if path.trim().is_empty() {
            return Self::parse(BUILTIN).map_err(|e| format!("built-in standard: {e}"));
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        Self::parse(&text).map_err(|e| format!("{path}: {e}"))
    }

    /// Reads and checks a standard's text.
    pub fn parse(text: &str) -> Result<Standard, String> {
        let file: StandardFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        if file.version.trim().is_empty() {
            return Err("`version` is empty: name the standard and its edition".into());
        }
        let mut parameters = Vec::with_capacity(file.parameter.len());
        let mut seen = std::collections::HashSet::new();
        for p in file.parameter {
            let code_ok = !p.code.is_empty()
                && p.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !code_ok {
                return Err(format!(
                    "parameter code {:?} must be lowercase letters, digits or _",
                    p.code
                ));
            }
            if !seen.insert(p.code.clone()) {
                return Err(format!("parameter {:?} appears twice", p.code));
            }
            if p.name.trim().is_empty() || p.name_hi.trim().is_empty() {
                return Err(format!("parameter {:?} needs name and name_hi", p.code));
            }
            let measure = Measure::parse(&p.measure).ok_or_else(|| {
                format!(
                    "parameter {:?}: measure {:?} is not number, presence or agreeable",
                    p.code, p.measure
                )
            })?;
            let limit = |what: &str, v: &Option<String>| -> Result<Option<i64>, String> {
                match v {
                    None => Ok(None),
                    Some(s) => parse_micro(s).map(Some).ok_or_else(|| {
                        format!(
                            "parameter {:?}: {what} {s:?} is not a decimal number ≥ 0 with at most {DECIMALS} decimals",
                            p.code
                        )
                    }),
                }
            };
            let amin = limit("acceptable_min", &p.acceptable_min)?;
            let amax = limit("acceptable_max", &p.acceptable_max)?;
            let pmin = limit("permissible_min", &p.permissible_min)?;
            let pmax = limit("permissible_max", &p.permissible_max)?;
            let phys = limit("physical_max", &p.physical_max)?;
            let any_limit = amin.is_some() || amax.is_some() || pmin.is_some() || pmax.is_some();
            let physical_max = match measure {
                Measure::Number => {
                    if amin.is_none() && amax.is_none() {
                        return Err(format!(
                            "parameter {:?}: a number needs acceptable_min or acceptable_max",
                            p.code
                        ));
                    }
                    if let (Some(a), Some(b)) = (amin, amax) {
                        if a > b {
                            return Err(format!(
                                "parameter {:?}: acceptable_min is above acceptable_max",
                                p.code
                            ));
                        }
                    }
                    if let (Some(pm), Some(a)) = (pmin, amin) {
                        if pm > a {
                            return Err(format!(
                                "parameter {:?}: permissible_min must be at or below acceptable_min",
                                p.code
                            ));
                        }
                    }
                    if pmin.is_some() && amin.is_none() {
                        return Err(format!(
                            "parameter {:?}: permissible_min needs acceptable_min",
                            p.code
                        ));
                    }
                    if let (Some(pm), Some(a)) = (pmax, amax) {
                        if pm < a {
                            return Err(format!(
                                "parameter {:?}: permissible_max must be at or above acceptable_max",
                                p.code
                            ));
                        }
                    }
                    if pmax.is_some() && amax.is_none() {
                        return Err(format!(
                            "parameter {:?}: permissible_max needs acceptable_max",
                            p.code
                        ));
                    }
                    let phys = phys.ok_or_else(|| {
                        format!("parameter {:?}: a number needs physical_max", p.code)
                    })?;
                    if phys < pmax.or(amax).unwrap_or(0) {
                        return Err(format!(
                            "parameter {:?}: physical_max is below a limit",
                            p.code
                        ));
                    }
                    phys
                }
                Measure::Presence | Measure::Agreeable => {
                    if any_limit || phys.is_some() {
                        return Err(format!(
                            "parameter {:?}: a {} parameter has no limits",
                            p.code,
                            measure.as_str()
                        ));
                    }
                    0
                }
            };
            parameters.push(Parameter {
                code: p.code,
                name: p.name,
                name_hi: p.name_hi,
                unit: p.unit,
                unit_hi: p.unit_hi,
                measure,
                acceptable_min: amin,
                acceptable_max: amax,
                permissible_min: pmin,
                permissible_max: pmax,
                physical_max,
            });
        }
        if parameters.is_empty() {
            return Err("no [[parameter]]".into());
        }
        for (kind, list) in [
            (TestKind::Ftk, &file.kinds.ftk),
            (TestKind::H2s, &file.kinds.h2s),
            (TestKind::Laboratory, &file.kinds.laboratory),
        ] {
            if list.is_empty() {
                return Err(format!("kinds.{} lists no parameter", kind.as_str()));
            }
            let mut once = std::collections::HashSet::new();
            for code in list {
                if !seen.contains(code) {
                    return Err(format!(
                        "kinds.{} names {code:?}, which is not a parameter",
                        kind.as_str()
                    ));
                }
                if !once.insert(code) {
                    return Err(format!("kinds.{} names {code:?} twice", kind.as_str()));
                }
            }
        }
        Ok(Standard {
            version: file.version,
            amendment: file.amendment,
            parameters,
            ftk: file.kinds.ftk,
            h2s: file.kinds.h2s,
            laboratory: file.kinds.laboratory,
        })
    }

    pub fn parameter(&self, code: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.code == code)
    }

    /// The parameters a kind of test measures, in its form's order.
    pub fn parameters_of(&self, kind: TestKind) -> Vec<&Parameter> {
        let list = match kind {
            TestKind::Ftk => &self.ftk,
            TestKind::H2s => &self.h2s,
            TestKind::Laboratory => &self.laboratory,
        };
        list.iter().filter_map(|c| self.parameter(c)).collect()
    }

    /// Whether a kind of test measures `code`.
    pub fn measures(&self, kind: TestKind, code: &str) -> bool {
        self.parameters_of(kind).iter().any(|p| p.code == code)
    }

    /// The class of one reading of `code`; `None` for an unknown parameter or a reading of
    /// the wrong shape.
    pub fn classify(&self, code: &str, reading: Reading) -> Option<Class> {
        self.parameter(code)?.classify(reading)
    }
}

/// A sample's overall class: the worst of its values' (acceptable when it has none).
pub fn overall(classes: impl IntoIterator<Item = Class>) -> Class {
    classes.into_iter().max().unwrap_or(Class::Acceptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std() -> Standard {
        Standard::builtin()
    }

    fn num(s: &str) -> Reading {
        Reading::Number(parse_micro(s).unwrap())
    }

    fn class(code: &str, v: &str) -> Class {
        std().classify(code, num(v)).unwrap()
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(parse_micro("1"), Some(1_000_000));
        assert_eq!(parse_micro("1.5"), Some(1_500_000));
        assert_eq!(parse_micro("0.001"), Some(1_000));
        assert_eq!(parse_micro(".5"), Some(500_000));
        assert_eq!(parse_micro("1,5"), Some(1_500_000));
        assert_eq!(parse_micro("१.२"), Some(1_200_000));
        assert_eq!(parse_micro("0.0000001"), None);
        assert_eq!(parse_micro("-1"), None);
        assert_eq!(parse_micro("1e3"), None);
        assert_eq!(parse_micro(""), None);
        assert_eq!(parse_micro("."), None);
        assert_eq!(format_micro(1_500_000), "1.5");
        assert_eq!(format_micro(10_000), "0.01");
        assert_eq!(format_micro(45_000_000), "45");
    }

    #[test]
    fn builtin_standard_names_its_version_and_every_parameter() {
        let s = std();
        assert_eq!(s.version, "IS 10500:2012");
        for code in [
            "ph",
            "turbidity",
            "tds",
            "total_hardness",
            "alkalinity",
            "chloride",
            "sulphate",
            "fluoride",
            "nitrate",
            "iron",
            "arsenic",
            "free_chlorine",
            "e_coli",
            "total_coliform",
            "calcium",
            "magnesium",
            "manganese",
            "copper",
            "zinc",
            "aluminium",
            "ammonia",
            "lead",
            "mercury",
            "cadmium",
            "colour",
            "odour",
            "taste",
        ] {
            assert!(s.parameter(code).is_some(), "{code} missing");
        }
        assert!(s.measures(TestKind::Ftk, "fluoride"));
        assert!(!s.measures(TestKind::H2s, "fluoride"));
        assert!(s.measures(TestKind::Laboratory, "e_coli"));
    }

    #[test]
    fn every_unit_of_the_builtin_standard_has_its_hindi() {
        use crate::web::i18n::Lang;
        let s = std();
        for p in &s.parameters {
            assert_eq!(p.unit.is_empty(), p.unit_hi.is_empty(), "{}", p.code);
            assert!(
                !p.unit_hi.chars().any(|c| c.is_ascii_alphabetic()),
                "{}: {}",
                p.code,
                p.unit_hi
            );
        }
        let iron = s.parameter("iron").unwrap();
        assert_eq!(iron.unit_in(Lang::En), "mg/l");
        assert_eq!(iron.unit_in(Lang::Hi), "मि.ग्रा./ली.");
        // a value stored with a unit the standard no longer uses is shown as stored
        assert_eq!(iron.stored_unit_in(Lang::Hi, "mg/l"), "मि.ग्रा./ली.");
        assert_eq!(iron.stored_unit_in(Lang::Hi, "ppm"), "ppm");
        // a copy without unit_hi shows the unit as it is
        let ph = s.parameter("ph").unwrap();
        let bare = Parameter {
            unit: "pH units".into(),
            unit_hi: String::new(),
            ..ph.clone()
        };
        assert_eq!(bare.unit_in(Lang::Hi), "pH units");
    }

    #[test]
    fn ph_has_no_relaxation_at_either_end() {
        assert_eq!(class("ph", "6.5"), Class::Acceptable);
        assert_eq!(class("ph", "8.5"), Class::Acceptable);
        assert_eq!(class("ph", "6.499999"), Class::BeyondPermissible);
        assert_eq!(class("ph", "8.500001"), Class::BeyondPermissible);
        assert_eq!(class("ph", "7"), Class::Acceptable);
    }

    #[test]
    fn fluoride_bands_at_each_boundary() {
        assert_eq!(class("fluoride", "1.0"), Class::Acceptable);
        assert_eq!(class("fluoride", "1.000001"), Class::Permissible);
        assert_eq!(class("fluoride", "1.5"), Class::Permissible);
        assert_eq!(class("fluoride", "1.500001"), Class::BeyondPermissible);
        assert_eq!(class("fluoride", "0"), Class::Acceptable);
    }

    #[test]
    fn turbidity_tds_and_arsenic_bands() {
        assert_eq!(class("turbidity", "1"), Class::Acceptable);
        assert_eq!(class("turbidity", "1.01"), Class::Permissible);
        assert_eq!(class("turbidity", "5"), Class::Permissible);
        assert_eq!(class("turbidity", "5.01"), Class::BeyondPermissible);
        assert_eq!(class("tds", "500"), Class::Acceptable);
        assert_eq!(class("tds", "2000"), Class::Permissible);
        assert_eq!(class("tds", "2000.1"), Class::BeyondPermissible);
        assert_eq!(class("arsenic", "0.01"), Class::Acceptable);
        assert_eq!(class("arsenic", "0.011"), Class::Permissible);
        assert_eq!(class("arsenic", "0.05"), Class::Permissible);
        assert_eq!(class("arsenic", "0.051"), Class::BeyondPermissible);
    }

    #[test]
    fn no_relaxation_parameters_go_straight_to_beyond() {
        for (code, at, over) in [
            ("nitrate", "45", "45.001"),
            ("iron", "0.3", "0.300001"),
            ("lead", "0.01", "0.010001"),
            ("mercury", "0.001", "0.001001"),
            ("cadmium", "0.003", "0.003001"),
            ("ammonia", "0.5", "0.500001"),
        ] {
            assert_eq!(class(code, at), Class::Acceptable, "{code} at limit");
            assert_eq!(class(code, over), Class::BeyondPermissible, "{code} over");
            assert!(!std().parameter(code).unwrap().relaxation());
        }
    }

    #[test]
    fn free_chlorine_needs_at_least_point_two_and_at_most_one() {
        assert_eq!(class("free_chlorine", "0.2"), Class::Acceptable);
        assert_eq!(class("free_chlorine", "1"), Class::Acceptable);
        assert_eq!(class("free_chlorine", "0.199999"), Class::BeyondPermissible);
        assert_eq!(class("free_chlorine", "0"), Class::BeyondPermissible);
        assert_eq!(class("free_chlorine", "1.000001"), Class::BeyondPermissible);
    }

    #[test]
    fn presence_and_agreeable() {
        let s = std();
        assert_eq!(
            s.classify("e_coli", Reading::Present(true)),
            Some(Class::BacteriaPresent)
        );
        assert_eq!(
            s.classify("total_coliform", Reading::Present(false)),
            Some(Class::Acceptable)
        );
        assert_eq!(
            s.classify("odour", Reading::Agreeable(false)),
            Some(Class::BeyondPermissible)
        );
        assert_eq!(
            s.classify("taste", Reading::Agreeable(true)),
            Some(Class::Acceptable)
        );
        // A reading of the wrong shape is not classified.
        assert_eq!(s.classify("e_coli", num("1")), None);
        assert_eq!(s.classify("ph", Reading::Present(true)), None);
        assert_eq!(s.classify("no_such", num("1")), None);
    }

    #[test]
    fn overall_class_is_the_worst() {
        assert_eq!(overall([]), Class::Acceptable);
        assert_eq!(
            overall([Class::Acceptable, Class::Permissible]),
            Class::Permissible
        );
        assert_eq!(
            overall([
                Class::Permissible,
                Class::BeyondPermissible,
                Class::Acceptable
            ]),
            Class::BeyondPermissible
        );
        assert_eq!(
            overall([Class::BeyondPermissible, Class::BacteriaPresent]),
            Class::BacteriaPresent
        );
    }

    #[test]
    fn a_bad_file_says_what_is_wrong() {
        let base =
            |params: &str, kinds: &str| format!("version = \"X\"\n{params}\n[kinds]\n{kinds}\n");
        let ok_kinds = "ftk = [\"ph\"]\nh2s = [\"ph\"]\nlaboratory = [\"ph\"]";
        let ph = "[[parameter]]\ncode = \"ph\"\nname = \"pH\"\nname_hi = \"पीएच\"\nmeasure = \"number\"\nacceptable_min = \"6.5\"\nacceptable_max = \"8.5\"\nphysical_max = \"14\"";
        assert!(Standard::parse(&base(ph, ok_kinds)).is_ok());
        let e = Standard::parse(&base(
            ph,
            "ftk = [\"zz\"]\nh2s = [\"ph\"]\nlaboratory = [\"ph\"]",
        ))
        .unwrap_err();
        assert!(e.contains("\"zz\""), "{e}");
        let e = Standard::parse(&base(&ph.replace("\"6.5\"", "\"six\""), ok_kinds)).unwrap_err();
        assert!(e.contains("acceptable_min"), "{e}");
        let e = Standard::parse(&base(&ph.replace("number", "colourful"), ok_kinds)).unwrap_err();
        assert!(e.contains("colourful"), "{e}");
        let e = Standard::parse(&base(&format!("{ph}\npermissible_max = \"8\""), ok_kinds))
            .unwrap_err();
        assert!(e.contains("permissible_max"), "{e}");
        let e = Standard::parse(&base(&format!("{ph}\nlimit = \"1\""), ok_kinds)).unwrap_err();
        assert!(e.contains("limit"), "{e}");
        let e = Standard::parse(&base(&format!("{ph}\n{ph}"), ok_kinds)).unwrap_err();
        assert!(e.contains("twice"), "{e}");
        let e = Standard::load("/nonexistent/standard.toml").unwrap_err();
        assert!(e.contains("/nonexistent/standard.toml"), "{e}");
    }
}
