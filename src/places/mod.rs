//! Places: state → district → block → gram panchayat → village, each with its LGD code.
//!
//! Every row keeps its ancestors' ids (and its own, at its own level) in `state_id`,
//! `district_id`, `block_id`, `gp_id`, so "inside this block" is one indexed comparison.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{Place, PlaceChanges, PlaceFilter};

use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    State,
    District,
    Block,
    Gp,
    Village,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::State,
        Level::District,
        Level::Block,
        Level::Gp,
        Level::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::State => "state",
            Level::District => "district",
            Level::Block => "block",
            Level::Gp => "gp",
            Level::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }

    /// The level a place of this level hangs under.
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::State => None,
            Level::District => Some(Level::State),
            Level::Block => Some(Level::District),
            Level::Gp => Some(Level::Block),
            Level::Village => Some(Level::Gp),
        }
    }

    pub fn child(self) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.parent() == Some(self))
    }

    /// Translation key of the level's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::State => "level-state",
            Level::District => "level-district",
            Level::Block => "level-block",
            Level::Gp => "level-gp",
            Level::Village => "level-village",
        }
    }
}

/// Validated input for a new place.
#[derive(Debug, Clone)]
pub struct NewPlace {
    pub level: Level,
    pub lgd_code: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub parent_lgd_code: Option<i64>,
}

/// Raw place fields as typed in a form, a CSV row or a JSON body.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PlaceInput {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub lgd_code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_hi: String,
    #[serde(default)]
    pub parent_lgd_code: String,
}

pub const NAME_MAX: usize = crate::web::forms::max::NAME;

/// Check the shape of the input (no database): field errors name the form fields.
pub fn validate(input: &PlaceInput) -> Result<NewPlace, FieldErrors> {
    let mut e = FieldErrors::new();
    let level = Level::parse(&input.level);
    if level.is_none() {
        e.add("level", "place-level-invalid");
    }
    let lgd_code = parse_lgd(&input.lgd_code);
    if lgd_code.is_none() {
        e.add("lgd_code", "place-lgd-invalid");
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        e.add("name", "field-required");
    } else if name.chars().count() > NAME_MAX {
        e.add_with("name", "field-too-long", &[("max", NAME_MAX.to_string())]);
    }
    let name_hi = input.name_hi.trim().to_string();
    if name_hi.chars().count() > NAME_MAX {
        e.add_with(
            "name_hi",
            "field-too-long",
            &[("max", NAME_MAX.to_string())],
        );
    }
    let parent_raw = input.parent_lgd_code.trim();
    let mut parent_lgd_code = None;
    if let Some(level) = level {
        match level.parent() {
            None if !parent_raw.is_empty() => e.add("parent_lgd_code", "place-state-no-parent"),
            None => {}
            Some(_) => match parse_lgd(parent_raw) {
                Some(p) => parent_lgd_code = Some(p),
                None if parent_raw.is_empty() => e.add("parent_lgd_code", "field-required"),
                None => e.add("parent_lgd_code", "place-lgd-invalid"),
            },
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(NewPlace {
        level: level.expect("checked"),
        lgd_code: lgd_code.expect("checked"),
        name,
        name_hi: (!name_hi.is_empty()).then_some(name_hi),
        parent_lgd_code,
    })
}

/// LGD codes are positive whole numbers of at most 12 digits.
pub fn parse_lgd(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 12 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok().filter(|n| *n > 0)
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/places",
    label: "nav-places",
    verb: Some(crate::auth::Verb::ViewPlaces),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_shape() {
        let ok = validate(&PlaceInput {
            level: "block".into(),
            lgd_code: "1234".into(),
            name: " Sohagpur ".into(),
            name_hi: "सोहागपुर".into(),
            parent_lgd_code: "55".into(),
        })
        .unwrap();
        assert_eq!(ok.name, "Sohagpur");
        assert_eq!(ok.parent_lgd_code, Some(55));
        let err = validate(&PlaceInput {
            level: "block".into(),
            lgd_code: "-3".into(),
            name: "".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.has("lgd_code") && err.has("name") && err.has("parent_lgd_code"));
        let err = validate(&PlaceInput {
            level: "state".into(),
            lgd_code: "9".into(),
            name: "UP".into(),
            parent_lgd_code: "1".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.has("parent_lgd_code"));
    }

    #[test]
    fn levels_chain() {
        assert_eq!(Level::Gp.parent(), Some(Level::Block));
        assert_eq!(Level::Block.child(), Some(Level::Gp));
        assert_eq!(Level::Village.child(), None);
        assert!(Level::Village > Level::Gp);
    }
}
