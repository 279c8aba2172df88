//! The Paani Samiti register: a GP's committee (or a ward/village sub-committee), its members
//! with their terms, and the composition rules (size, women, elected GP members, SC/ST) checked
//! against configuration, with a state's own rules where it has them. Past members are kept:
//! a term ends (one member, or everyone at a re-constitution), nothing is deleted.

pub mod actions;
pub mod http;
pub mod meetings;
pub mod minutes_http;

use crate::auth::{Actor, Scope};
use crate::config::CommitteesConfig;
use crate::db::schema::{committee_members, committees, places, users};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub const GENDERS: [&str; 3] = ["female", "male", "other"];
pub const SOCIAL_CATEGORIES: [&str; 5] = ["sc", "st", "obc", "general", "other"];

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = committees)]
pub struct Committee {
    pub id: i64,
    pub gp_id: i64,
    /// A ward/village sub-committee's village; none for the GP's committee.
    pub village_id: Option<i64>,
    pub name: String,
    pub constituted_on: NaiveDate,
    /// The SC/ST share of the population (percent), when entered.
    pub sc_st_population_percent: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = committee_members)]
pub struct Member {
    pub id: i64,
    pub committee_id: i64,
    pub gp_id: i64,
    pub name: String,
    /// female, male or other.
    pub gender: String,
    /// sc, st, obc, general or other.
    pub social_category: String,
    /// One of `committees.roles`.
    pub role: String,
    pub elected_gp_member: bool,
    pub phone: Option<String>,
    pub user_id: Option<i64>,
    pub term_from: NaiveDate,
    /// The last day of the term; none while it runs.
    pub term_to: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Member {
    pub fn serving_on(&self, day: NaiveDate) -> bool {
        self.term_from <= day && self.term_to.is_none_or(|t| t >= day)
    }
}

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
    let women = count(&|m| m.gender == "female");
    let elected = count(&|m| m.elected_gp_member);
    let sc_st = count(&|m| m.social_category == "sc" || m.social_category == "st");
    vec![
        RuleCheck {
            rule: "size".into(),
            met: Some((rules.min_members..=rules.max_members).contains(&n)),
            count: n,
            of: n,
            required: format!("{}–{}", rules.min_members, rules.max_members),
        },
        RuleCheck {
            rule: "women".into(),
            met: Some(n > 0 && women * 100 >= rules.min_women_percent * n),
            count: women,
            of: n,
            required: format!("{}%", rules.min_women_percent),
        },
        RuleCheck {
            rule: "elected".into(),
            met: Some(elected * 100 <= rules.max_elected_percent * n),
            count: elected,
            of: n,
            required: format!("{}%", rules.max_elected_percent),
        },
        RuleCheck {
            rule: "sc_st".into(),
            met: sc_st_population.map(|p| n > 0 && sc_st * 100 >= i64::from(p) * n),
            count: sc_st,
            of: n,
            required: sc_st_population
                .map(|p| format!("{p}%"))
                .unwrap_or_default(),
        },
    ]
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

fn flag(raw: &str) -> bool {
    matches!(raw.trim(), "true" | "on" | "1" | "yes")
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: &CommitteeInput,
    now: NaiveDateTime,
) -> AppResult<Committee> {
    let today = crate::web::i18n::today_in_india(now);
    let mut e = FieldErrors::new();
    let gp = actor.scope.gp_named(conn, &input.gp_id)?;
    if gp.is_none() {
        e.add("gp_id", "field-invalid-choice");
    }
    let village = match (input.village_id.trim(), gp) {
        ("", _) => None,
        (raw, Some(gp)) => {
            let found: Option<i64> = raw.parse::<i64>().ok().and_then(|id| {
                places::table
                    .filter(places::id.eq(id))
                    .filter(places::level.eq("village"))
                    .filter(places::gp_id.eq(gp))
                    .select(places::id)
                    .first(conn)
                    .ok()
            });
            if found.is_none() {
                e.add("village_id", "field-invalid-choice");
            }
            found
        }
        (_, None) => None,
    };
    let name = forms::required_text(&input.name, 200, "name", &mut e);
    let on = forms::optional_date(&input.constituted_on, Some(today), "constituted_on", &mut e);
    if on.is_none() && !e.has("constituted_on") {
        e.add("constituted_on", "field-required");
    }
    let share = forms::optional_int(
        &input.sc_st_population_percent,
        0,
        100,
        "sc_st_population_percent",
        &mut e,
    );
    e.into_result()?;
    let (gp, name, on) = (
        gp.ok_or(AppError::NotFound)?,
        name.unwrap_or_default(),
        on.unwrap_or(today),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(committees::table)
        .values((
            committees::gp_id.eq(gp),
            committees::village_id.eq(village),
            committees::name.eq(&name),
            committees::constituted_on.eq(on),
            committees::sc_st_population_percent.eq(share.map(|s| s as i32)),
            committees::created_at.eq(now),
            committees::updated_at.eq(now),
        ))
        .returning(committees::id)
        .get_result(c))?;
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Committee> {
    committees::table
        .find(id)
        .select(Committee::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Committee> {
    committees::table
        .filter(committees::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            committees::table,
            committees::gp_id
        ))
        .select(Committee::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn list(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<Committee>> {
    Ok(committees::table
        .filter(crate::in_scope!(
            scope,
            committees::table,
            committees::gp_id
        ))
        .order((
            committees::gp_id.asc(),
            committees::village_id.asc(),
            committees::id.asc(),
        ))
        .select(Committee::as_select())
        .load(conn)?)
}

/// Every member a committee has had, current ones first, then by the start of their term.
/// Accounts that a member of this GP's committee may be linked to: active users of the GP.
pub fn linkable_users(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<(i64, String, String)>> {
    Ok(users::table
        .filter(users::place_id.eq(gp_id))
        .filter(users::active.eq(true))
        .order(users::display_name.asc())
        .select((users::id, users::username, users::display_name))
        .load(conn)?)
}

pub fn members(conn: &mut DbConn, committee_id: i64) -> AppResult<Vec<Member>> {
    let mut all: Vec<Member> = committee_members::table
        .filter(committee_members::committee_id.eq(committee_id))
        .order((
            committee_members::term_from.asc(),
            committee_members::id.asc(),
        ))
        .select(Member::as_select())
        .load(conn)?;
    all.sort_by_key(|m| m.term_to.is_some());
    Ok(all)
}

pub fn add_member(
    conn: &mut DbConn,
    cfg: &CommitteesConfig,
    committee: &Committee,
    input: &MemberInput,
    now: NaiveDateTime,
) -> AppResult<Member> {
    let today = crate::web::i18n::today_in_india(now);
    let mut e = FieldErrors::new();
    let name = forms::required_text(&input.name, 200, "name", &mut e);
    let gender = input.gender.trim();
    if !GENDERS.contains(&gender) {
        e.add("gender", "field-invalid-choice");
    }
    let social = input.social_category.trim();
    if !SOCIAL_CATEGORIES.contains(&social) {
        e.add("social_category", "field-invalid-choice");
    }
    let role = match input.role.trim() {
        "" => "member",
        r if cfg.roles.iter().any(|x| x == r) => r,
        _ => {
            e.add("role", "field-invalid-choice");
            "member"
        }
    };
    let phone = match input.phone.trim() {
        "" => None,
        raw => match crate::auth::users::normalize_mobile(raw) {
            Some(p) => Some(p),
            None => {
                e.add("phone", "phone-invalid");
                None
            }
        },
    };
    let from = forms::optional_date(&input.term_from, None, "term_from", &mut e).unwrap_or(today);
    let user = match input.user_id.trim() {
        "" => None,
        raw => {
            let found = match raw.parse::<i64>() {
                Ok(id) => users::table
                    .filter(users::id.eq(id))
                    .filter(users::place_id.eq(committee.gp_id))
                    .filter(users::active.eq(true))
                    .select(users::id)
                    .first::<i64>(conn)
                    .optional()?,
                Err(_) => None,
            };
            if found.is_none() {
                e.add("user_id", "field-invalid-choice");
            }
            found
        }
    };
    e.into_result()?;
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(committee_members::table)
        .values((
            committee_members::committee_id.eq(committee.id),
            committee_members::gp_id.eq(committee.gp_id),
            committee_members::name.eq(name.unwrap_or_default()),
            committee_members::gender.eq(gender),
            committee_members::social_category.eq(social),
            committee_members::role.eq(role),
            committee_members::elected_gp_member.eq(flag(&input.elected_gp_member)),
            committee_members::phone.eq(&phone),
            committee_members::user_id.eq(user),
            committee_members::term_from.eq(from),
            committee_members::created_at.eq(now),
            committee_members::updated_at.eq(now),
        ))
        .returning(committee_members::id)
        .get_result(c))?;
    Ok(committee_members::table
        .find(id)
        .select(Member::as_select())
        .first(conn)?)
}

/// End the terms of these serving members (one, or all at a re-constitution) on `on`, with
/// a reason. Returns how many ended.
pub fn end_terms(
    conn: &mut DbConn,
    committee: &Committee,
    member: Option<i64>,
    on: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let today = crate::web::i18n::today_in_india(now);
    let mut e = FieldErrors::new();
    let on = forms::optional_date(on, None, "term_to", &mut e).unwrap_or(today);
    let reason = forms::required_text(reason, 500, "reason", &mut e);
    e.into_result()?;
    let mut q = diesel::update(committee_members::table)
        .filter(committee_members::committee_id.eq(committee.id))
        .filter(committee_members::term_to.is_null())
        .filter(committee_members::term_from.le(on))
        .into_boxed();
    if let Some(m) = member {
        q = q.filter(committee_members::id.eq(m));
    }
    let n = q
        .set((
            committee_members::term_to.eq(on),
            committee_members::end_reason.eq(reason),
            committee_members::updated_at.eq(now),
        ))
        .execute(conn)?;
    if member.is_some() && n == 0 {
        return Err(AppError::Conflict("committee-term-not-running".into()));
    }
    Ok(n)
}

/// A committee with its members and how it stands against the rules today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommitteeView {
    #[serde(flatten)]
    pub committee: Committee,
    pub rules: Rules,
    pub checks: Vec<RuleCheck>,
    /// All rules that can be judged are met.
    pub composition_ok: bool,
    pub members: Vec<Member>,
}

pub fn view(
    conn: &mut DbConn,
    cfg: &CommitteesConfig,
    committee: Committee,
    today: NaiveDate,
) -> AppResult<CommitteeView> {
    let state_lgd: Option<i64> = places::table
        .find(committee.gp_id)
        .select(places::state_id)
        .first::<Option<i64>>(conn)?
        .map(|s| places::table.find(s).select(places::lgd_code).first(conn))
        .transpose()?;
    let rules = Rules::for_state(cfg, state_lgd);
    let members = members(conn, committee.id)?;
    let serving: Vec<&Member> = members.iter().filter(|m| m.serving_on(today)).collect();
    let checks = check(&rules, &serving, committee.sc_st_population_percent);
    Ok(CommitteeView {
        composition_ok: checks.iter().all(|c| c.met != Some(false)),
        committee,
        rules,
        checks,
        members,
    })
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
}
