//! Water samples tested: a field test kit (FTK), an H2S vial or a laboratory analysis at a
//! sampling point, with who tested it, the kit's batch and expiry (FTK), the laboratory and
//! its sample number, and one value per parameter the kind measures (from the standard),
//! each classified, the sample's class the worst of its values'.
//!
//! Who enters what: a field test (FTK, H2S) by the GP's secretary or by a member who is an
//! active tester in the GP's register (her own tests only); a laboratory result by an admin
//! or by the district's `lab_analyst` (who enters laboratory results only). This folder
//! has the area's five files: the input rules here, `model`, `service`
//! (record a test: checked, classified, audited), `pages` (the test form per kind, the
//! result, the list with filters) and `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{Sample, SampleValue};

use super::standard::{parse_micro, Reading, Standard};
use super::{Measure, TestKind};
use crate::error::FieldErrors;
use crate::web::forms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A test as typed (form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SampleInput {
    /// ftk, h2s or laboratory.
    pub kind: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub sampled_on: String,
    /// Not before `sampled_on`, not in the future.
    pub tested_on: String,
    /// A field test's tester (id in the GP's register).
    pub tester_id: String,
    /// A laboratory test's laboratory and its sample number.
    pub laboratory: String,
    pub lab_sample_no: String,
    /// FTK: the kit's batch and expiry date (an expired kit is refused).
    pub kit_batch: String,
    pub kit_expires_on: String,
    pub notes: String,
    /// Parameter code → value: a decimal number in the parameter's unit (digits in either
    /// script), `present` / `absent`, or `agreeable` / `not_agreeable`. Empty values are
    /// "not measured".
    pub values: BTreeMap<String, String>,
}

/// One checked value.
#[derive(Debug, Clone)]
pub struct CheckedValue {
    pub parameter: String,
    pub unit: String,
    pub reading: Reading,
    pub class: super::Class,
}

/// A test's checked values (the point, tester and scope are the service's checks).
#[derive(Debug, Clone)]
pub struct SampleValues {
    pub kind: TestKind,
    pub sampled_on: NaiveDate,
    pub tested_on: NaiveDate,
    pub tester_id: Option<i64>,
    pub laboratory: Option<String>,
    pub lab_sample_no: Option<String>,
    pub kit_batch: Option<String>,
    pub kit_expires_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub values: Vec<CheckedValue>,
    pub overall: super::Class,
}

/// The form field of a parameter's value.
pub fn value_field(code: &str) -> String {
    format!("v_{code}")
}

/// Check a test's shape against the standard: dates, the kind's own fields (an FTK's kit
/// batch and an unexpired kit; a laboratory's name; a field test's tester), and every value
/// (a parameter the kind measures, a number ≥ 0 up to the parameter's physical bound or a
/// present/absent or agreeable answer), each classified.
pub fn validate(
    std: &Standard,
    input: &SampleInput,
    today: NaiveDate,
) -> Result<SampleValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = TestKind::parse(&input.kind);
    if kind.is_none() {
        e.add("kind", "field-invalid-choice");
    }
    let sampled_on = forms::optional_date(&input.sampled_on, Some(today), "sampled_on", &mut e);
    if sampled_on.is_none() && !e.has("sampled_on") {
        e.add("sampled_on", "field-required");
    }
    let tested_on = forms::optional_date(&input.tested_on, Some(today), "tested_on", &mut e);
    if tested_on.is_none() && !e.has("tested_on") {
        e.add("tested_on", "field-required");
    }
    if let (Some(s), Some(t)) = (sampled_on, tested_on) {
        if t < s {
            e.add("tested_on", "wq-tested-before-sampled");
        }
    }
    let tester_id = match forms::ascii_digits(input.tester_id.trim()).as_ref() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                e.add("tester_id", "field-invalid-choice");
                None
            }
        },
    };
    let laboratory =
        forms::optional_text(&input.laboratory, forms::max::NAME, "laboratory", &mut e);
    let lab_sample_no = forms::optional_text(
        &input.lab_sample_no,
        forms::max::CODE,
        "lab_sample_no",
        &mut e,
    );
    let kit_batch = forms::optional_text(&input.kit_batch, forms::max::CODE, "kit_batch", &mut e);
    let kit_expires_on =
        forms::optional_date(&input.kit_expires_on, None, "kit_expires_on", &mut e);
    let notes = forms::optional_text(&input.notes, forms::max::NOTE, "notes", &mut e);
    match kind {
        Some(TestKind::Ftk) => {
            if kit_batch.is_none() && !e.has("kit_batch") {
                e.add("kit_batch", "field-required");
            }
            match (kit_expires_on, tested_on) {
                (None, _) if !e.has("kit_expires_on") => e.add("kit_expires_on", "field-required"),
                (Some(x), Some(t)) if x < t => e.add("kit_expires_on", "wq-kit-expired"),
                _ => {}
            }
        }
        Some(TestKind::Laboratory) if laboratory.is_none() && !e.has("laboratory") => {
            e.add("laboratory", "field-required");
        }
        _ => {}
    }
    if kind.is_some_and(TestKind::is_field) && tester_id.is_none() && !e.has("tester_id") {
        e.add("tester_id", "field-required");
    }
    let mut values = vec![];
    if let Some(kind) = kind {
        for (code, raw) in &input.values {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let field = value_field(code);
            let Some(p) = std.parameter(code).filter(|_| std.measures(kind, code)) else {
                e.add(&field, "wq-parameter-not-of-kind");
                continue;
            };
            let reading = match p.measure {
                Measure::Number => {
                    let ascii = forms::ascii_digits(raw).replace('\u{2212}', "-");
                    if ascii.starts_with('-') {
                        e.add(&field, "field-negative");
                        continue;
                    }
                    match parse_micro(&ascii) {
                        Some(v) if v <= p.physical_max => Reading::Number(v),
                        Some(_) => {
                            e.add_with(
                                &field,
                                "field-out-of-range",
                                &[
                                    ("min", "0".to_string()),
                                    ("max", super::standard::format_micro(p.physical_max)),
                                ],
                            );
                            continue;
                        }
                        None => {
                            e.add(&field, "field-not-a-number");
                            continue;
                        }
                    }
                }
                Measure::Presence => match raw {
                    "present" => Reading::Present(true),
                    "absent" => Reading::Present(false),
                    _ => {
                        e.add(&field, "field-invalid-choice");
                        continue;
                    }
                },
                Measure::Agreeable => match raw {
                    "agreeable" => Reading::Agreeable(true),
                    "not_agreeable" => Reading::Agreeable(false),
                    _ => {
                        e.add(&field, "field-invalid-choice");
                        continue;
                    }
                },
            };
            if let Some(class) = p.classify(reading) {
                values.push(CheckedValue {
                    parameter: p.code.clone(),
                    unit: p.unit.clone(),
                    reading,
                    class,
                });
            }
        }
        if values.is_empty() && e.is_empty() {
            e.add("values", "wq-no-values");
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    let overall = super::standard::overall(values.iter().map(|v| v.class));
    let kind = kind.expect("checked");
    Ok(SampleValues {
        kind,
        sampled_on: sampled_on.expect("checked"),
        tested_on: tested_on.expect("checked"),
        tester_id: if kind.is_field() { tester_id } else { None },
        laboratory: if kind == TestKind::Laboratory {
            laboratory
        } else {
            None
        },
        lab_sample_no: if kind == TestKind::Laboratory {
            lab_sample_no
        } else {
            None
        },
        kit_batch: if kind == TestKind::Ftk {
            kit_batch
        } else {
            None
        },
        kit_expires_on: if kind == TestKind::Ftk {
            kit_expires_on
        } else {
            None
        },
        notes,
        values,
        overall,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::water_quality::Class;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ftk(values: &[(&str, &str)]) -> SampleInput {
        SampleInput {
            kind: "ftk".into(),
            sampled_on: "2026-12-01".into(),
            tested_on: "2026-12-01".into(),
            tester_id: "3".into(),
            kit_batch: "B-12".into(),
            kit_expires_on: "2027-03-31".into(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn classifies_each_value_and_takes_the_worst() {
        let std = Standard::builtin();
        let v = validate(
            &std,
            &ftk(&[("ph", "७.२"), ("fluoride", "1.2"), ("iron", "")]),
            d("2026-12-07"),
        )
        .unwrap();
        assert_eq!(v.values.len(), 2);
        assert_eq!(v.overall, Class::Permissible);
    }

    #[test]
    fn refuses_expired_kits_negative_values_and_foreign_parameters() {
        let std = Standard::builtin();
        let mut i = ftk(&[
            ("fluoride", "-1"),
            ("e_coli", "present"),
            ("ph", "abc"),
            ("tds", "999999"),
        ]);
        i.kit_expires_on = "2026-11-30".into();
        let e = validate(&std, &i, d("2026-12-07")).unwrap_err();
        for f in ["kit_expires_on", "v_fluoride", "v_e_coli", "v_ph", "v_tds"] {
            assert!(e.has(f), "{f}");
        }
        // A kit that expires on the day of the test is still good.
        let mut ok = ftk(&[("ph", "7")]);
        ok.kit_expires_on = "2026-12-01".into();
        assert!(validate(&std, &ok, d("2026-12-07")).is_ok());
        // Nothing measured.
        let e = validate(&std, &ftk(&[]), d("2026-12-07")).unwrap_err();
        assert!(e.has("values"));
    }

    #[test]
    fn laboratory_needs_its_name_and_bacteria_are_present_or_absent() {
        let std = Standard::builtin();
        let i = SampleInput {
            kind: "laboratory".into(),
            sampled_on: "2026-12-01".into(),
            tested_on: "2026-12-03".into(),
            values: [("e_coli".to_string(), "present".to_string())].into(),
            ..Default::default()
        };
        assert!(validate(&std, &i, d("2026-12-07"))
            .unwrap_err()
            .has("laboratory"));
        let i = SampleInput {
            laboratory: "District lab".into(),
            ..i
        };
        let v = validate(&std, &i, d("2026-12-07")).unwrap();
        assert_eq!(v.overall, Class::BacteriaPresent);
        assert_eq!(v.tester_id, None);
    }
}
