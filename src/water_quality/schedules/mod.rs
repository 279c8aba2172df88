//! Water-quality schedules (issue 25, item 6): which checks fall due at which sampling point
//! — an FTK test every N months, a laboratory chemical test yearly, a bacteriological test
//! before and after the monsoon, a sanitary inspection twice a year — from
//! `[water_quality.schedule]` with a state's own in `[water_quality.schedule.states.<lgd>]`.
//!
//! The checks run on the maintenance engine: each (point, check) is a maintenance plan of
//! the point's scheme (template `wq_<check>` in config/maintenance_templates.toml, so its
//! title is in the reader's language), kept in step with the configuration by [`service`]
//! (daily job `water_schedule`, before `maintenance_generate`, and on demand); its tasks are
//! generated, shown in "my tasks", reminded (`water_test_overdue`) and escalated like any
//! other. A check's task is never completed by logging work: opening it leads to the test
//! form (or the inspection form) of its point, and recording the test or inspection
//! completes the point's earliest open task of that check (`water_check_done` links the
//! task to that one record). [`model::overdue_tests`] counts the overdue ones for figures.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

use crate::config::WaterScheduleConfig;
use crate::maintenance::recurrence::{MonthDay, Unit};
use crate::water_quality::{PointKind, TestKind};

/// The checks a schedule raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckKind {
    Ftk,
    LabChemical,
    BacteriologicalPre,
    BacteriologicalPost,
    Sanitary,
}

impl CheckKind {
    pub const ALL: [CheckKind; 5] = [
        CheckKind::Ftk,
        CheckKind::LabChemical,
        CheckKind::BacteriologicalPre,
        CheckKind::BacteriologicalPost,
        CheckKind::Sanitary,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CheckKind::Ftk => "ftk",
            CheckKind::LabChemical => "lab_chemical",
            CheckKind::BacteriologicalPre => "bacteriological_pre",
            CheckKind::BacteriologicalPost => "bacteriological_post",
            CheckKind::Sanitary => "sanitary",
        }
    }

    pub fn parse(s: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Its plans' template code in the maintenance library.
    pub fn template_code(self) -> String {
        format!("wq_{}", self.as_str())
    }

    /// Translation key of its name (`wq-check-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("wq-check-{s}")
    }

    /// The title its plans get when the maintenance library has no template for it.
    pub const fn fallback_title(self) -> &'static str {
        match self {
            CheckKind::Ftk => "FTK water test",
            CheckKind::LabChemical => "Laboratory chemical water test",
            CheckKind::BacteriologicalPre => "Bacteriological water test before the monsoon",
            CheckKind::BacteriologicalPost => "Bacteriological water test after the monsoon",
            CheckKind::Sanitary => "Sanitary inspection",
        }
    }

    /// The test kind its form opens with (`None`: an inspection, not a test).
    pub const fn test_kind(self) -> Option<TestKind> {
        match self {
            CheckKind::Ftk => Some(TestKind::Ftk),
            CheckKind::LabChemical
            | CheckKind::BacteriologicalPre
            | CheckKind::BacteriologicalPost => Some(TestKind::Laboratory),
            CheckKind::Sanitary => None,
        }
    }

    /// Whether a recorded test does this check: an FTK test the FTK check; a laboratory
    /// test with a measured number the chemical check; a laboratory test or an H2S vial
    /// with a bacteria present/absent value the bacteriological checks.
    pub fn done_by_test(self, kind: TestKind, has_number: bool, has_bacteria: bool) -> bool {
        match self {
            CheckKind::Ftk => kind == TestKind::Ftk,
            CheckKind::LabChemical => kind == TestKind::Laboratory && has_number,
            CheckKind::BacteriologicalPre | CheckKind::BacteriologicalPost => {
                matches!(kind, TestKind::Laboratory | TestKind::H2s) && has_bacteria
            }
            CheckKind::Sanitary => false,
        }
    }
}

/// The schedule in force for a state: the configuration with the state's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub ftk_every_months: i64,
    pub ftk_point_kinds: Vec<String>,
    pub lab_chemical_every_months: i64,
    pub bacteriological_pre_monsoon: [u32; 2],
    pub bacteriological_post_monsoon: [u32; 2],
    pub lab_point_kinds: Vec<String>,
    pub sanitary_every_months: i64,
    pub sanitary_point_kinds: Vec<String>,
}

/// How a check recurs at a point: every N months, or once a year in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurs {
    pub unit: Unit,
    pub every_n: i32,
    pub window: Option<(MonthDay, MonthDay)>,
}

/// The window of months [first, last] (first day of the first to last day of the last).
fn month_window([first, last]: [u32; 2]) -> Option<(MonthDay, MonthDay)> {
    if first == 0 {
        return None;
    }
    let end_day = match last {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Some((
        MonthDay::parse(&format!("{first:02}-01"))?,
        MonthDay::parse(&format!("{last:02}-{end_day:02}"))?,
    ))
}

impl Schedule {
    pub fn for_state(cfg: &WaterScheduleConfig, state_lgd: Option<i64>) -> Schedule {
        let o = state_lgd
            .and_then(|s| cfg.states.get(&s.to_string()))
            .cloned()
            .unwrap_or_default();
        Schedule {
            ftk_every_months: o.ftk_every_months.unwrap_or(cfg.ftk_every_months),
            ftk_point_kinds: o
                .ftk_point_kinds
                .unwrap_or_else(|| cfg.ftk_point_kinds.clone()),
            lab_chemical_every_months: o
                .lab_chemical_every_months
                .unwrap_or(cfg.lab_chemical_every_months),
            bacteriological_pre_monsoon: o
                .bacteriological_pre_monsoon
                .unwrap_or(cfg.bacteriological_pre_monsoon),
            bacteriological_post_monsoon: o
                .bacteriological_post_monsoon
                .unwrap_or(cfg.bacteriological_post_monsoon),
            lab_point_kinds: o
                .lab_point_kinds
                .unwrap_or_else(|| cfg.lab_point_kinds.clone()),
            sanitary_every_months: o.sanitary_every_months.unwrap_or(cfg.sanitary_every_months),
            sanitary_point_kinds: o
                .sanitary_point_kinds
                .unwrap_or_else(|| cfg.sanitary_point_kinds.clone()),
        }
    }

    /// The checks due at a point of this kind, with how each recurs.
    pub fn checks_for(&self, point_kind: &str) -> Vec<(CheckKind, Recurs)> {
        let has = |kinds: &[String]| kinds.iter().any(|k| k == point_kind);
        let months = |n: i64| Recurs {
            unit: Unit::Month,
            every_n: n as i32,
            window: None,
        };
        let window = |w: [u32; 2]| {
            month_window(w).map(|w| Recurs {
                unit: Unit::Window,
                every_n: 1,
                window: Some(w),
            })
        };
        let mut out = vec![];
        if self.ftk_every_months > 0 && has(&self.ftk_point_kinds) {
            out.push((CheckKind::Ftk, months(self.ftk_every_months)));
        }
        if has(&self.lab_point_kinds) {
            if self.lab_chemical_every_months > 0 {
                out.push((
                    CheckKind::LabChemical,
                    months(self.lab_chemical_every_months),
                ));
            }
            if let Some(r) = window(self.bacteriological_pre_monsoon) {
                out.push((CheckKind::BacteriologicalPre, r));
            }
            if let Some(r) = window(self.bacteriological_post_monsoon) {
                out.push((CheckKind::BacteriologicalPost, r));
            }
        }
        if self.sanitary_every_months > 0 && has(&self.sanitary_point_kinds) {
            out.push((CheckKind::Sanitary, months(self.sanitary_every_months)));
        }
        out
    }
}

/// Check `[water_quality.schedule]` and each state's: months 0–120, monsoon windows [0, 0]
/// or two months 1–12 with the first not after the last, known point kinds.
pub fn check_config(cfg: &WaterScheduleConfig) -> Result<(), String> {
    for (state, _) in
        std::iter::once((&"default".to_string(), &Default::default())).chain(cfg.states.iter())
    {
        let s = Schedule::for_state(
            cfg,
            if state == "default" {
                None
            } else {
                state.parse().ok()
            },
        );
        let months_ok = [
            s.ftk_every_months,
            s.lab_chemical_every_months,
            s.sanitary_every_months,
        ]
        .iter()
        .all(|m| (0..=120).contains(m));
        let window_ok = |[a, b]: [u32; 2]| (a == 0 && b == 0) || (1 <= a && a <= b && b <= 12);
        let kinds_ok = [
            &s.ftk_point_kinds,
            &s.lab_point_kinds,
            &s.sanitary_point_kinds,
        ]
        .iter()
        .all(|ks| ks.iter().all(|k| PointKind::parse(k).is_some()));
        if state != "default" && state.parse::<i64>().is_err() {
            return Err(format!(
                "water_quality.schedule.states.{state}: a state is named by its LGD code"
            ));
        }
        if !months_ok
            || !window_ok(s.bacteriological_pre_monsoon)
            || !window_ok(s.bacteriological_post_monsoon)
            || !kinds_ok
        {
            return Err(format!(
                "water_quality.schedule ({state}): need months 0-120, monsoon windows as [first, last] months 1-12 (or [0, 0]) and point kinds from source, storage_tank, tap, school, anganwadi"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> WaterScheduleConfig {
        crate::config::Config::defaults().water_quality.schedule
    }

    #[test]
    fn default_schedule_and_a_states_override() {
        let mut c = cfg();
        let s = Schedule::for_state(&c, None);
        let src: Vec<CheckKind> = s.checks_for("source").iter().map(|c| c.0).collect();
        assert_eq!(src, CheckKind::ALL.to_vec());
        let school: Vec<CheckKind> = s.checks_for("school").iter().map(|c| c.0).collect();
        assert_eq!(school, vec![CheckKind::Ftk]);
        c.states.insert(
            "8".into(),
            crate::config::WaterScheduleOverride {
                ftk_every_months: Some(3),
                bacteriological_post_monsoon: Some([0, 0]),
                ..Default::default()
            },
        );
        let s8 = Schedule::for_state(&c, Some(8));
        let checks = s8.checks_for("source");
        assert_eq!(checks[0].1.every_n, 3);
        assert!(!checks.iter().any(|c| c.0 == CheckKind::BacteriologicalPost));
        assert!(check_config(&c).is_ok());
        c.states.get_mut("8").unwrap().bacteriological_pre_monsoon = Some([6, 5]);
        assert!(check_config(&c).is_err());
    }
}
