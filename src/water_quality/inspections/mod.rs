//! Sanitary inspections (issue 25, item 7): at a sampling point, the yes/no risk questions
//! of the checklist for its kind of source (config/sanitary_inspection.toml: borewell, open
//! well, storage tank, piped distribution; English and Hindi), the risk score (the number of
//! "yes" answers) and its band (low, intermediate, high, very high, from the configured
//! thresholds). Inspections fall due on the water-quality schedule (`super::schedules`,
//! twice a year by default) and recording one completes the point's due inspection task.
//!
//! Here: the checklists as data ([`Checklists`]), the band rule and the input rules; rows in
//! `model`, the use case (record: checked, scored, audited, the task done) in `service`,
//! the form, the result and the list in `pages`, `/api/v1/water-quality/inspections` in
//! `api`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::Inspection;

use crate::error::FieldErrors;
use crate::web::forms;
use crate::web::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BUILTIN: &str = include_str!("../../../config/sanitary_inspection.toml");

/// A risk band, from low to very high (ordered: `max` is the worst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    Low,
    Intermediate,
    High,
    VeryHigh,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Low, Band::Intermediate, Band::High, Band::VeryHigh];

    pub const fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Intermediate => "intermediate",
            Band::High => "high",
            Band::VeryHigh => "very_high",
        }
    }

    pub fn parse(s: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.as_str() == s.trim())
    }

    /// Translation key of a band as stored (`wq-band-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("wq-band-{s}")
    }
}

/// The lowest score of each band above low.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    pub intermediate: u32,
    pub high: u32,
    pub very_high: u32,
}

impl Bands {
    /// The band a score falls in.
    pub fn of(&self, score: u32) -> Band {
        if score >= self.very_high {
            Band::VeryHigh
        } else if score >= self.high {
            Band::High
        } else if score >= self.intermediate {
            Band::Intermediate
        } else {
            Band::Low
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub code: String,
    pub text: String,
    pub text_hi: String,
}

impl Question {
    pub fn text(&self, lang: Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.text, Some(self.text_hi.as_str()))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub code: String,
    pub title: String,
    pub title_hi: String,
    #[serde(default)]
    pub asset_kinds: Vec<String>,
    #[serde(default)]
    pub point_kinds: Vec<String>,
    #[serde(default)]
    pub bands: Option<Bands>,
    pub questions: Vec<Question>,
}

impl Checklist {
    pub fn title(&self, lang: Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.title, Some(self.title_hi.as_str()))
    }
}

/// The checklists in force (a state part).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklists {
    pub version: String,
    pub bands: Bands,
    #[serde(rename = "checklist")]
    pub checklists: Vec<Checklist>,
}

impl Checklists {
    /// Read `path` (empty: the built-in file) and check it: bands rising, every checklist
    /// with questions of unique codes and both languages' texts, point kinds known.
    pub fn load(path: &str) -> Result<Checklists, String> {
        let text = if path.trim().is_empty() {
            BUILTIN.to_string()
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        };
        let c: Checklists = toml::from_str(&text).map_err(|e| e.message().to_string())?;
        let rising =
            |b: &Bands| 0 < b.intermediate && b.intermediate < b.high && b.high < b.very_high;
        if c.version.trim().is_empty() || !rising(&c.bands) {
            return Err("need a version and bands with 0 < intermediate < high < very_high".into());
        }
        if c.checklists.is_empty() {
            return Err("no checklist".into());
        }
        for l in &c.checklists {
            let mut codes: Vec<&str> = l.questions.iter().map(|q| q.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            if l.questions.is_empty()
                || codes.len() != l.questions.len()
                || l.questions
                    .iter()
                    .any(|q| q.text.trim().is_empty() || q.text_hi.trim().is_empty())
                || l.bands.as_ref().is_some_and(|b| !rising(b))
                || l.point_kinds
                    .iter()
                    .any(|k| super::PointKind::parse(k).is_none())
            {
                return Err(format!(
                    "checklist {:?}: needs questions with unique codes and texts in both languages, known point kinds and rising bands",
                    l.code
                ));
            }
        }
        Ok(c)
    }

    pub fn builtin() -> Checklists {
        Checklists::load("").expect("the built-in checklists are valid")
    }

    pub fn find(&self, code: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.code == code)
    }

    /// The checklist a point is inspected with: the first for its asset's kind, else the
    /// first for its point kind.
    pub fn for_point(&self, point_kind: &str, asset_kind: Option<&str>) -> Option<&Checklist> {
        asset_kind
            .and_then(|a| {
                self.checklists
                    .iter()
                    .find(|c| c.asset_kinds.iter().any(|k| k == a))
            })
            .or_else(|| {
                self.checklists
                    .iter()
                    .find(|c| c.point_kinds.iter().any(|k| k == point_kind))
            })
    }

    /// The bands of a checklist (its own, or the file's).
    pub fn bands_of(&self, c: &Checklist) -> Bands {
        c.bands.unwrap_or(self.bands)
    }
}

/// An inspection as typed (form or JSON).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[schema(as = SanitaryInspectionInput)]
#[serde(default)]
pub struct InspectionInput {
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub inspected_on: String,
    /// Who inspected (name).
    pub inspector: String,
    pub notes: String,
    /// Question code → `yes` (a risk) or `no`; every question of the checklist answered.
    pub answers: BTreeMap<String, String>,
}

/// A checked inspection.
#[derive(Debug, Clone)]
pub struct InspectionValues {
    pub inspected_on: NaiveDate,
    pub inspector: String,
    pub notes: Option<String>,
    pub answers: BTreeMap<String, bool>,
    pub score: u32,
    pub questions: u32,
    pub band: Band,
}

/// The form field of a question's answer.
pub fn answer_field(code: &str) -> String {
    format!("q_{code}")
}

/// Check an inspection against its checklist: the date, the inspector, every question
/// answered yes or no (and no other); the score is the number of yes, the band from it.
pub fn validate(
    checklist: &Checklist,
    bands: Bands,
    input: &InspectionInput,
    today: NaiveDate,
) -> Result<InspectionValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let on = forms::optional_date(&input.inspected_on, Some(today), "inspected_on", &mut e);
    if on.is_none() && !e.has("inspected_on") {
        e.add("inspected_on", "field-required");
    }
    let inspector = forms::optional_text(&input.inspector, forms::max::NAME, "inspector", &mut e);
    if inspector.is_none() && !e.has("inspector") {
        e.add("inspector", "field-required");
    }
    let notes = forms::optional_text(&input.notes, forms::max::NOTE, "notes", &mut e);
    let mut answers = BTreeMap::new();
    for q in &checklist.questions {
        match input.answers.get(&q.code).map(|a| a.trim()) {
            Some("yes") => {
                answers.insert(q.code.clone(), true);
            }
            Some("no") => {
                answers.insert(q.code.clone(), false);
            }
            Some("") | None => e.add(&answer_field(&q.code), "field-required"),
            Some(_) => e.add(&answer_field(&q.code), "field-invalid-choice"),
        }
    }
    for code in input.answers.keys() {
        if !checklist.questions.iter().any(|q| &q.code == code) {
            e.add(&answer_field(code), "wq-question-not-of-checklist");
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    let score = answers.values().filter(|&&y| y).count() as u32;
    Ok(InspectionValues {
        inspected_on: on.expect("checked"),
        inspector: inspector.expect("checked"),
        notes,
        questions: answers.len() as u32,
        answers,
        score,
        band: bands.of(score),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_checklists_load_and_bands_cut_at_thresholds() {
        let c = Checklists::builtin();
        assert_eq!(c.checklists.len(), 4);
        let b = c.bands;
        assert_eq!(b.of(0), Band::Low);
        assert_eq!(b.of(b.intermediate - 1), Band::Low);
        assert_eq!(b.of(b.intermediate), Band::Intermediate);
        assert_eq!(b.of(b.high - 1), Band::Intermediate);
        assert_eq!(b.of(b.high), Band::High);
        assert_eq!(b.of(b.very_high - 1), Band::High);
        assert_eq!(b.of(b.very_high), Band::VeryHigh);
        assert_eq!(
            c.for_point("source", Some("open_well"))
                .map(|l| l.code.as_str()),
            Some("open_well")
        );
        assert_eq!(
            c.for_point("source", None).map(|l| l.code.as_str()),
            Some("borewell")
        );
        assert_eq!(
            c.for_point("tap", None).map(|l| l.code.as_str()),
            Some("piped_distribution")
        );
        for b in Band::ALL {
            assert_eq!(Band::parse(b.as_str()), Some(b));
        }
    }

    #[test]
    fn every_question_is_answered_yes_or_no() {
        let c = Checklists::builtin();
        let l = c.find("borewell").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut i = InspectionInput {
            inspected_on: "2026-12-07".into(),
            inspector: "Sunita".into(),
            ..Default::default()
        };
        let e = validate(l, c.bands, &i, today).unwrap_err();
        assert!(e.has("q_latrine_10m") && e.has("q_pump_loose"));
        for (n, q) in l.questions.iter().enumerate() {
            i.answers
                .insert(q.code.clone(), if n < 4 { "yes" } else { "no" }.into());
        }
        i.answers.insert("nonsense".into(), "yes".into());
        assert!(validate(l, c.bands, &i, today)
            .unwrap_err()
            .has("q_nonsense"));
        i.answers.remove("nonsense");
        let v = validate(l, c.bands, &i, today).unwrap();
        assert_eq!((v.score, v.questions, v.band), (4, 10, Band::Intermediate));
    }
}
