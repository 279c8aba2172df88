//! Supply: is water reaching people? Each scheme's supply schedule (its usual sessions and
//! days a week), its daily supply log (sessions, pumping hours, bulk-meter and energy-meter
//! readings, chlorine dosed, and why there was less or no water), and what follows from
//! them per day and per month: volume, persons served, litres per person per day (lpcd),
//! supply hours, regularity, energy per kL, days without supply by reason, and the scheme's
//! functionality as JJM measures it (quantity, regularity, quality).
//!
//! Besides the five files, `figures.rs` holds the pure rules behind the figures (meter
//! differences with roll-over and replacement, lpcd, regularity, functionality), so they
//! are tested by hand. Readings carry a `source` (a person now; a device later, through a
//! per-scheme token), so both can stand side by side.
//!
//! Two more beside the five: `devices/` (meters and sensors pushing readings with a
//! per-scheme device token; its own five files) and `watch.rs` (the daily check behind the
//! reminders supply_lpcd_low and supply_energy_rising).
//!
//! Editing window: members log today, yesterday and the day before; older days only a
//! secretary (or an admin) may correct (`Verb::CorrectSupply`).

pub mod api;
pub mod devices;
pub mod figures;
pub mod model;
pub mod pages;
pub mod service;
pub mod tail_end;
pub mod watch;

pub use model::{Schedule, SupplyLog};

use crate::config::SupplyConfig;
use serde::{Deserialize, Serialize};

/// Days before today a member may still log or change (today, yesterday, the day before).
pub const MEMBER_EDIT_DAYS: i64 = 2;

/// The most sessions a day (and a schedule) holds.
pub const MAX_SESSIONS: usize = 4;

macro_rules! closed_list {
    ($(#[$m:meta])* $name:ident, $prefix:literal, { $($v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The database (and API) text.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s.trim())
            }

            /// Translation key of its name.
            pub fn label_key(self) -> String {
                format!(concat!($prefix, "{}"), self.as_str())
            }
        }
    };
}

closed_list!(
    /// How the day's supply went.
    Supplied, "supply-supplied-", {
        AsUsual => "as_usual",
        Less => "less",
        None => "none",
    }
);

closed_list!(
    /// Why there was less water, or none.
    Reason, "supply-reason-", {
        PowerCut => "power_cut",
        MotorFailure => "motor_failure",
        PipeBurst => "pipe_burst",
        SourceLow => "source_low",
        PlannedMaintenance => "planned_maintenance",
        Other => "other",
    }
);

closed_list!(
    /// What happened to a meter since its last reading, said when a reading is lower.
    MeterEvent, "supply-meter-", {
        None => "none",
        RolledOver => "rolled_over",
        Replaced => "replaced",
    }
);

closed_list!(
    /// Who reported the readings.
    Source, "supply-source-", {
        Person => "person",
        Device => "device",
    }
);

closed_list!(
    /// One of the three criteria of functionality, for a month.
    Criterion, "supply-criterion-", {
        Met => "met",
        NotMet => "not_met",
        NotAssessed => "not_assessed",
    }
);

closed_list!(
    /// A scheme's functionality for a month, computed from its criteria.
    Functionality, "supply-functionality-", {
        Functional => "functional",
        PartlyFunctional => "partly_functional",
        NotFunctional => "not_functional",
        NotAssessed => "not_assessed",
    }
);

/// The norms a scheme is measured against: the configuration, with its state's changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Norms {
    pub persons_per_household: i64,
    pub lpcd_norm: i64,
    pub regularity_percent: i64,
}

impl Norms {
    /// The configured norms, with the state's changes (by its LGD code) applied.
    pub fn for_state(cfg: &SupplyConfig, state_lgd: Option<i64>) -> Norms {
        let o = state_lgd
            .and_then(|s| cfg.states.get(&s.to_string()))
            .cloned()
            .unwrap_or_default();
        Norms {
            persons_per_household: o.persons_per_household.unwrap_or(cfg.persons_per_household),
            lpcd_norm: o.lpcd_norm.unwrap_or(cfg.lpcd_norm),
            regularity_percent: o.regularity_percent.unwrap_or(cfg.regularity_percent),
        }
    }
}

/// A day's log as typed (form and JSON alike: all text). Times are HH:MM, readings in kL and
/// kWh (up to 3 decimals), pumping hours as hours (decimals allowed), chlorine in grams.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LogInput {
    /// The day, YYYY-MM-DD or DD-MM-YYYY (India date); today, yesterday or the day before
    /// for members, any earlier day for secretaries.
    pub supply_on: String,
    /// as_usual, less or none.
    pub supplied: String,
    /// power_cut, motor_failure, pipe_burst, source_low, planned_maintenance or other;
    /// required when the supply was less or none.
    pub reason: String,
    /// Up to four sessions, "06:00-08:00, 17:00-19:00"; empty with "as_usual" = the
    /// scheme's usual sessions.
    pub sessions: String,
    /// Pumping hours, 0–24 (e.g. 4.5).
    pub pumping_hours: String,
    /// Bulk water meter reading in kL (e.g. 1234.567).
    pub bulk_meter_kl: String,
    /// none, rolled_over or replaced: said when the reading is lower than the one before.
    pub bulk_meter_event: String,
    /// The reading (kL) at which the bulk meter goes back to zero, for a roll-over.
    pub bulk_meter_capacity_kl: String,
    /// Energy meter reading in kWh.
    pub energy_meter_kwh: String,
    pub energy_meter_event: String,
    /// The reading (kWh) at which the energy meter goes back to zero, for a roll-over.
    pub energy_meter_capacity_kwh: String,
    /// Chlorine (bleaching powder) dosed, grams.
    pub chlorine_grams: String,
    pub note: String,
}

/// A schedule as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ScheduleInput {
    /// Up to four sessions, "06:00-08:00, 17:00-19:00".
    pub sessions: String,
    /// 1–7.
    pub days_per_week: String,
}

/// This area's entry in the header's navigation: members and secretaries log supply.
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/supply",
    label: "nav-supply",
    verb: Some(crate::auth::Verb::LogSupply),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_lists_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(*r));
        }
        for s in Supplied::ALL {
            assert_eq!(Supplied::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Reason::parse("rain"), None);
        assert_eq!(Reason::PowerCut.label_key(), "supply-reason-power_cut");
        assert_eq!(
            MeterEvent::parse(" rolled_over "),
            Some(MeterEvent::RolledOver)
        );
    }

    #[test]
    fn a_state_changes_its_norms() {
        let mut cfg: SupplyConfig = crate::config::Config::defaults().supply;
        cfg.states.insert(
            "8".into(),
            crate::config::SupplyNormsOverride {
                lpcd_norm: Some(70),
                ..Default::default()
            },
        );
        assert_eq!(Norms::for_state(&cfg, Some(8)).lpcd_norm, 70);
        assert_eq!(Norms::for_state(&cfg, Some(9)).lpcd_norm, 55);
        assert_eq!(Norms::for_state(&cfg, None).persons_per_household, 5);
    }
}
