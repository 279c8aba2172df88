//! Water quality (issue 25): where water is sampled, who tests it, and each test with its
//! values classified against the drinking-water standard.
//!
//! Layout: `standard.rs` holds the standard as data (IS 10500:2012 built in, from
//! config/water_quality_standard.toml) and the classification rule (pure: no rows, no
//! handlers). The things, each a sub-folder with the area's five files:
//! `points/` (sampling points of a scheme: sources, storage tanks, taps, schools,
//! anganwadis), `testers/` (the register of trained testers of a GP's villages) and
//! `samples/` (a water sample tested: kind, point, dates, who, and its values). This
//! folder's own mod.rs is the public surface; it has no model, service, pages or api of its
//! own (each thing has its own).
//!
//! `incidents/` holds the contamination incidents a failing test opens (their steps,
//! deadlines and timeline) and the advisory the scheme's public page and the member's home
//! show while one is open. `schedules/` raises the due tests and sanitary inspections as maintenance tasks;
//! `inspections/` holds the sanitary inspections; `kits/` is the GP's FTK kit stock
//! (batches received; used by the FTK tests naming them) and `figures/` the figures per
//! GP, block and district and the MIS export. All build on `water_samples.id` and `sampling_points` (a point belongs to a
//! scheme and a GP).
//!
//! `schedules/` (which checks fall due where, raised as maintenance tasks and done by
//! recording the test or inspection) and `inspections/` (sanitary inspections: checklists
//! per kind of source, risk score and band) are issue 25's items 6 and 7.

pub mod figures;
pub mod incidents;
pub mod inspections;
pub mod kits;
pub mod points;
pub mod samples;
pub mod schedules;
pub mod standard;
pub mod testers;

pub use standard::{Reading, Standard};

/// The kinds of sampling point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    Source,
    StorageTank,
    Tap,
    School,
    Anganwadi,
}

impl PointKind {
    pub const ALL: [PointKind; 5] = [
        PointKind::Source,
        PointKind::StorageTank,
        PointKind::Tap,
        PointKind::School,
        PointKind::Anganwadi,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            PointKind::Source => "source",
            PointKind::StorageTank => "storage_tank",
            PointKind::Tap => "tap",
            PointKind::School => "school",
            PointKind::Anganwadi => "anganwadi",
        }
    }

    pub fn parse(s: &str) -> Option<PointKind> {
        PointKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Translation key of a kind as stored (`wq-point-kind-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("wq-point-kind-{s}")
    }

    /// The point kind an asset of this catalogue kind becomes when points are created from a
    /// scheme's assets; `None` for assets that are not sampled (pumps, pipes, meters, …).
    pub fn of_asset_kind(asset_kind: &str) -> Option<PointKind> {
        match asset_kind {
            "borewell" | "open_well" | "intake" => Some(PointKind::Source),
            "ohsr" | "glsr" | "sump" => Some(PointKind::StorageTank),
            "standpost" => Some(PointKind::Tap),
            _ => None,
        }
    }
}

/// The kinds of test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestKind {
    /// A field test kit (chemical screening by a trained tester).
    Ftk,
    /// An H2S vial (the field bacteriological test).
    H2s,
    /// A laboratory analysis.
    Laboratory,
}

impl TestKind {
    pub const ALL: [TestKind; 3] = [TestKind::Ftk, TestKind::H2s, TestKind::Laboratory];

    pub const fn as_str(self) -> &'static str {
        match self {
            TestKind::Ftk => "ftk",
            TestKind::H2s => "h2s",
            TestKind::Laboratory => "laboratory",
        }
    }

    pub fn parse(s: &str) -> Option<TestKind> {
        TestKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// A field test (by a trained tester) rather than a laboratory's.
    pub const fn is_field(self) -> bool {
        matches!(self, TestKind::Ftk | TestKind::H2s)
    }

    /// Whether a user of `role` may enter a test of this kind: the laboratory's analyst only
    /// laboratory results, an admin any, everyone else who records tests field tests only.
    pub fn recordable_by(self, role: crate::auth::Role) -> bool {
        use crate::auth::Role;
        match role {
            Role::Admin => true,
            Role::LabAnalyst => self == TestKind::Laboratory,
            _ => self.is_field(),
        }
    }

    /// Translation key of a kind as stored (`wq-test-kind-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("wq-test-kind-{s}")
    }
}

/// How a parameter is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A number compared with limits.
    Number,
    /// Present / absent (bacteria: "not detectable in any 100 ml sample").
    Presence,
    /// Agreeable / not agreeable (odour, taste).
    Agreeable,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Number, Measure::Presence, Measure::Agreeable];

    pub const fn as_str(self) -> &'static str {
        match self {
            Measure::Number => "number",
            Measure::Presence => "presence",
            Measure::Agreeable => "agreeable",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }
}

/// The class of a value and of a sample (the worst of its values). Ordered from best to
/// worst, so `max` is the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Within the acceptable limit.
    Acceptable,
    /// Beyond acceptable but within the permissible limit (only where the standard allows a
    /// relaxation in the absence of an alternate source).
    Permissible,
    /// Beyond the permissible limit (or beyond acceptable where there is no relaxation).
    BeyondPermissible,
    /// Bacteriological contamination present.
    BacteriaPresent,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Acceptable,
        Class::Permissible,
        Class::BeyondPermissible,
        Class::BacteriaPresent,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Acceptable => "acceptable",
            Class::Permissible => "permissible",
            Class::BeyondPermissible => "beyond_permissible",
            Class::BacteriaPresent => "bacteria_present",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// The water fails the standard (what later opens a contamination incident).
    pub const fn fails(self) -> bool {
        matches!(self, Class::BeyondPermissible | Class::BacteriaPresent)
    }

    /// Translation key of a class as stored (`wq-class-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("wq-class-{s}")
    }
}

pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/water-quality/samples",
    label: "nav-water-quality",
    verb: Some(crate::auth::Verb::ViewWaterQuality),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_lists_round_trip() {
        for k in PointKind::ALL {
            assert_eq!(PointKind::parse(k.as_str()), Some(k));
        }
        for k in TestKind::ALL {
            assert_eq!(TestKind::parse(k.as_str()), Some(k));
        }
        for c in Class::ALL {
            assert_eq!(Class::parse(c.as_str()), Some(c));
        }
        assert!(Class::BacteriaPresent > Class::BeyondPermissible);
        assert!(!Class::Permissible.fails());
        assert_eq!(
            PointKind::of_asset_kind("ohsr"),
            Some(PointKind::StorageTank)
        );
        assert_eq!(PointKind::of_asset_kind("pump"), None);
    }
}
