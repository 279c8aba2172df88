//! The Paani Samiti register: a GP's committee (or a ward/village sub-committee), its members
//! with their terms, and the composition rules (size, women, elected GP members, SC/ST) checked
//! against configuration, with a state's own rules where it has them. Past members are kept:
//! a term ends (one member, or everyone at a re-constitution), nothing is deleted.
//!
//! Layout: this folder is the register (committees and members) in the five files; its
//! meetings (agenda, attendance and quorum, minutes, addenda, photos of the register, the
//! decisions register, regularity) are in `meetings/`, and the action items that meetings
//! decide are in `actions/`, each with the same five files.

pub mod actions;
pub mod api;
pub mod meetings;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find, find_in_scope, Committee, CommitteeView, Member};
pub use service::{add_member, create};

use crate::config::CommitteesConfig;
use serde::{Deserialize, Serialize};

/// A member's gender (the women's share is a rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Female, Gender::Male, Gender::Other];

    pub const fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }

    /// Translation key of a gender as stored (`committee-gender-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("committee-gender-{s}")
    }
}

/// A member's social category (the SC/ST share is a rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocialCategory {
    Sc,
    St,
    Obc,
    General,
    Other,
}

impl SocialCategory {
    pub const ALL: [SocialCategory; 5] = [
        SocialCategory::Sc,
        SocialCategory::St,
        SocialCategory::Obc,
        SocialCategory::General,
        SocialCategory::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            SocialCategory::Sc => "sc",
            SocialCategory::St => "st",
            SocialCategory::Obc => "obc",
            SocialCategory::General => "general",
            SocialCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<SocialCategory> {
        SocialCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }

    /// Translation key of a category as stored (`committee-social-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("committee-social-{s}")
    }
}

/// The composition rules a committee is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Size,
    Women,
    Elected,
    ScSt,
}

impl Rule {
    pub const ALL: [Rule; 4] = [Rule::Size, Rule::Women, Rule::Elected, Rule::ScSt];

    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Size => "size",
            Rule::Women => "women",
            Rule::Elected => "elected",
            Rule::ScSt => "sc_st",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// Translation key of a rule as stored in [`RuleCheck::rule`] (`committee-rule-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("committee-rule-{s}")
    }
}

/// Translation key of a member's role (one of `committees.roles`).
pub fn role_key(role: &str) -> String {
    format!("committee-role-{role}")
}

/// The role of a member added without one.
pub const DEFAULT_ROLE: &str = "member";

/// The composition rules for one state.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Rules {
    pub min_members: i64,
    pub max_members: i64,
    pub min_women_percent: i64,
    pub max_elected_percent: i64,
}

impl Rules {
    /// The configured rules, with the state's changes (by its LGD code) applied.
    pub fn for_state(cfg: &CommitteesConfig, state_lgd: Option<i64>) -> Rules {
        let o = state_lgd
            .and_then(|s| cfg.states.get(&s.to_string()))
            .cloned()
            .unwrap_or_default();
        Rules {
            min_members: o.min_members.unwrap_or(cfg.min_members),
            max_members: o.max_members.unwrap_or(cfg.max_members),
            min_women_percent: o.min_women_percent.unwrap_or(cfg.min_women_percent),
            max_elected_percent: o.max_elected_percent.unwrap_or(cfg.max_elected_percent),
        }
    }
}

/// One rule, met or not, with the numbers behind it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleCheck {
    /// size, women, elected or sc_st.
    pub rule: String,
    /// None when it cannot be judged (the SC/ST share of the population is not entered).
    pub met: Option<bool>,
    /// How many members count towards it, and of how many.
    pub count: i64,
    pub of: i64,
    /// What the rule asks (members, or percent).
    pub required: String,
}

/// Check serving members against the rules. Percent rules are compared in whole numbers
/// (count × 100 against percent × members), so exactly 50% of 10 is 5 women and meets "at
/// least 50%".
pub fn check(rules: &Rules, serving: &[&Member], sc_st_population: Option<i32>) -> Vec<RuleCheck> {
    let n = serving.len() as i64;
    let count = |f: &dyn Fn(&Member) -> bool| serving.iter().filter(|m| f(m)).count() as i64;
    let women = count(&|m| Gender::parse(&m.gender) == Some(Gender::Female));
    let elected = count(&|m| m.elected_gp_member);
    let sc_st = count(&|m| {
        matches!(
            SocialCategory::parse(&m.social_category),
            Some(SocialCategory::Sc | SocialCategory::St)
        )
    });
    Rule::ALL
        .into_iter()
        .map(|rule| {
            let (met, count, required) = match rule {
                Rule::Size => (
                    Some((rules.min_members..=rules.max_members).contains(&n)),
                    n,
                    format!("{}–{}", rules.min_members, rules.max_members),
                ),
                Rule::Women => (
                    Some(n > 0 && women * 100 >= rules.min_women_percent * n),
                    women,
                    format!("{}%", rules.min_women_percent),
                ),
                Rule::Elected => (
                    Some(elected * 100 <= rules.max_elected_percent * n),
                    elected,
                    format!("{}%", rules.max_elected_percent),
                ),
                Rule::ScSt => (
                    sc_st_population.map(|p| n > 0 && sc_st * 100 >= i64::from(p) * n),
                    sc_st,
                    sc_st_population
                        .map(|p| format!("{p}%"))
                        .unwrap_or_default(),
                ),
            };
            RuleCheck {
                rule: rule.as_str().into(),
                met,
                count,
                of: n,
                required,
            }
        })
        .collect()
}

/// A committee as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommitteeInput {
    /// The GP (place id); a secretary's own when left out.
    pub gp_id: String,
    /// For a ward/village sub-committee: the village (place id) in the GP.
    pub village_id: String,
    pub name: String,
    /// YYYY-MM-DD; not in the future.
    pub constituted_on: String,
    /// The SC/ST share of the village population, in percent (optional).
    pub sc_st_population_percent: String,
}

/// A member as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MemberInput {
    pub name: String,
    /// female, male or other.
    pub gender: String,
    /// sc, st, obc, general or other.
    pub social_category: String,
    /// One of the configured roles (default: member).
    pub role: String,
    /// "true"/"on" when the member is an elected GP member.
    pub elected_gp_member: String,
    pub phone: String,
    /// The term's first day (default: today).
    pub term_from: String,
    /// The member's own account, if they have one (a user id of the same GP; optional): they
    /// can then close their own action items.
    pub user_id: String,
}

/// Ending terms: one member's, or everyone's at a re-constitution.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EndInput {
    /// The last day of the term(s): YYYY-MM-DD (today when left out).
    pub on: String,
    /// Why (required), e.g. "GP election 2026".
    pub reason: String,
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/committees",
    label: "nav-committees",
    verb: Some(crate::auth::Verb::ViewCommittees),
}];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn member(gender: &str, elected: bool, social: &str) -> Member {
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        Member {
            id: 0,
            committee_id: 0,
            gp_id: 0,
            name: "x".into(),
            gender: gender.into(),
            social_category: social.into(),
            role: "member".into(),
            elected_gp_member: elected,
            phone: None,
            user_id: None,
            term_from: day,
            term_to: None,
            end_reason: None,
            created_at: day.and_hms_opt(0, 0, 0).unwrap(),
            updated_at: day.and_hms_opt(0, 0, 0).unwrap(),
        }
    }

    const RULES: Rules = Rules {
        min_members: 10,
        max_members: 15,
        min_women_percent: 50,
        max_elected_percent: 25,
    };

    fn met(checks: &[RuleCheck], rule: &str) -> Option<bool> {
        checks.iter().find(|c| c.rule == rule).unwrap().met
    }

    /// `women` women and `elected` elected GP members (men first) among `n`.
    fn committee(n: usize, women: usize, elected: usize, sc_st: usize) -> Vec<Member> {
        (0..n)
            .map(|i| {
                member(
                    if i < women { "female" } else { "male" },
                    i >= n - elected,
                    if i < sc_st { "sc" } else { "general" },
                )
            })
            .collect()
    }

    #[test]
    fn composition_rules_at_their_boundaries() {
        let run =
            |m: &Vec<Member>, pop: Option<i32>| check(&RULES, &m.iter().collect::<Vec<_>>(), pop);
        // 9 members is too few, 10 is enough, 15 is the most, 16 too many
        assert_eq!(met(&run(&committee(9, 5, 0, 0), None), "size"), Some(false));
        assert_eq!(met(&run(&committee(10, 5, 0, 0), None), "size"), Some(true));
        assert_eq!(met(&run(&committee(15, 8, 0, 0), None), "size"), Some(true));
        assert_eq!(
            met(&run(&committee(16, 8, 0, 0), None), "size"),
            Some(false)
        );
        // exactly 50% women meets "at least half"; one fewer does not
        assert_eq!(
            met(&run(&committee(10, 5, 0, 0), None), "women"),
            Some(true)
        );
        assert_eq!(
            met(&run(&committee(10, 4, 0, 0), None), "women"),
            Some(false)
        );
        assert_eq!(
            met(&run(&committee(11, 5, 0, 0), None), "women"),
            Some(false)
        );
        assert_eq!(
            met(&run(&committee(11, 6, 0, 0), None), "women"),
            Some(true)
        );
        // at most 25% elected: 3 of 12 is fine, 3 of 11 is not
        assert_eq!(
            met(&run(&committee(12, 6, 3, 0), None), "elected"),
            Some(true)
        );
        assert_eq!(
            met(&run(&committee(11, 6, 3, 0), None), "elected"),
            Some(false)
        );
        // SC/ST: unknown without the population share; 3 of 10 meets 30%, 2 of 10 does not
        assert_eq!(met(&run(&committee(10, 5, 0, 3), None), "sc_st"), None);
        assert_eq!(
            met(&run(&committee(10, 5, 0, 3), Some(30)), "sc_st"),
            Some(true)
        );
        assert_eq!(
            met(&run(&committee(10, 5, 0, 2), Some(30)), "sc_st"),
            Some(false)
        );
        // no members: nothing is met that needs members
        assert_eq!(met(&run(&vec![], None), "women"), Some(false));
    }

    #[test]
    fn a_state_changes_only_what_it_names() {
        let mut cfg = crate::config::Config::defaults().committees;
        cfg.states.insert(
            "22".into(),
            crate::config::CommitteeRulesOverride {
                min_women_percent: Some(33),
                ..Default::default()
            },
        );
        let r = Rules::for_state(&cfg, Some(22));
        assert_eq!(
            (r.min_women_percent, r.min_members, r.max_members),
            (33, 10, 15)
        );
        assert_eq!(Rules::for_state(&cfg, Some(23)).min_women_percent, 50);
    }

    #[test]
    fn closed_lists_round_trip() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.as_str()), Some(g));
        }
        for c in SocialCategory::ALL {
            assert_eq!(SocialCategory::parse(c.as_str()), Some(c));
        }
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.as_str()), Some(r));
        }
        assert_eq!(Gender::parse("x"), None);
    }
}
