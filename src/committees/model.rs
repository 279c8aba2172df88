//! The register's rows and queries: committees, their members (terms), the accounts a member
//! can be linked to, and a committee's composition view.

use super::{check, RuleCheck, Rules};
use crate::auth::Scope;
use crate::config::CommitteesConfig;
use crate::db::schema::{committee_members, committees, places, users};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::places::Level;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = committees, treat_none_as_default_value = false)]
pub struct Committee {
    pub id: i64,
    pub gp_id: i64,
    /// A ward/village sub-committee's village; none for the GP's committee.
    pub village_id: Option<i64>,
    pub name: String,
    pub constituted_on: NaiveDate,
    /// The SC/ST share of the population (percent), when entered.
    pub sc_st_population_percent: Option<i32>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = committee_members, treat_none_as_default_value = false)]
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
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Member {
    pub fn serving_on(&self, day: NaiveDate) -> bool {
        self.term_from <= day && self.term_to.is_none_or(|t| t >= day)
    }
}

/// A validated committee, ready to store.
pub struct NewCommittee {
    pub gp_id: i64,
    pub village_id: Option<i64>,
    pub name: String,
    pub constituted_on: NaiveDate,
    pub sc_st_population_percent: Option<i32>,
}

/// A validated member, ready to store.
pub struct NewMember<'a> {
    pub name: String,
    pub gender: &'a str,
    pub social_category: &'a str,
    pub role: &'a str,
    pub elected_gp_member: bool,
    pub phone: Option<String>,
    pub user_id: Option<i64>,
    pub term_from: NaiveDate,
}

pub fn insert(conn: &mut DbConn, k: &NewCommittee, now: NaiveDateTime) -> AppResult<Committee> {
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(committees::table)
        .values((
            committees::gp_id.eq(k.gp_id),
            committees::village_id.eq(k.village_id),
            committees::name.eq(&k.name),
            committees::constituted_on.eq(k.constituted_on),
            committees::sc_st_population_percent.eq(k.sc_st_population_percent),
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

/// Committees in scope, by GP (pulling changes: by change); `limit` from `offset`, and how
/// many match. Committees are never deleted.
pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Committee>, i64)> {
    let build = || {
        let q = committees::table.into_boxed().filter(crate::in_scope!(
            scope,
            committees::table,
            committees::gp_id
        ));
        crate::changed_since!(q, changes, committees::updated_at, committees::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        committees::updated_at,
        committees::id,
        (
            committees::gp_id.asc(),
            committees::village_id.asc(),
            committees::id.asc(),
        )
    )
    .offset(offset)
    .limit(limit)
    .select(Committee::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Committee names by id.
pub fn names(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    Ok(committees::table
        .filter(committees::id.eq_any(ids))
        .select((committees::id, committees::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The village `id` if it is a village of the GP `gp`.
pub fn village_of_gp(conn: &mut DbConn, id: i64, gp: i64) -> Option<i64> {
    places::table
        .filter(places::id.eq(id))
        .filter(places::level.eq(Level::Village.as_str()))
        .filter(places::gp_id.eq(gp))
        .select(places::id)
        .first(conn)
        .ok()
}

/// The GPs in scope (id, name, Hindi name) by name, at most 500: a GP filter's choices.
pub fn gps_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
) -> AppResult<Vec<(i64, String, Option<String>)>> {
    Ok(scope
        .filter_places(
            places::table
                .filter(places::level.eq(Level::Gp.as_str()))
                .into_boxed(),
        )
        .order(places::name.asc())
        .limit(500)
        .select((places::id, places::name, places::name_hi))
        .load(conn)?)
}

/// Accounts that a member of this GP's committee may be linked to: active users of the GP.
pub fn linkable_users(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<(i64, String, String)>> {
    Ok(users::table
        .filter(users::place_id.eq(gp_id))
        .filter(users::active.eq(true))
        .order(users::display_name.asc())
        .select((users::id, users::username, users::display_name))
        .load(conn)?)
}

/// The account `id` if it is an active user of the GP.
pub fn linkable_user(conn: &mut DbConn, id: i64, gp_id: i64) -> AppResult<Option<i64>> {
    Ok(users::table
        .filter(users::id.eq(id))
        .filter(users::place_id.eq(gp_id))
        .filter(users::active.eq(true))
        .select(users::id)
        .first::<i64>(conn)
        .optional()?)
}

/// Every member a committee has had, current ones first, then by the start of their term.
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

/// Members of these committees (any order).
pub fn members_of(conn: &mut DbConn, committee_ids: &[i64]) -> AppResult<Vec<Member>> {
    Ok(committee_members::table
        .filter(committee_members::committee_id.eq_any(committee_ids))
        .select(Member::as_select())
        .load(conn)?)
}

/// One member of a committee.
pub fn member_of(conn: &mut DbConn, committee_id: i64, id: i64) -> AppResult<Option<Member>> {
    Ok(committee_members::table
        .filter(committee_members::id.eq(id))
        .filter(committee_members::committee_id.eq(committee_id))
        .select(Member::as_select())
        .first(conn)
        .optional()?)
}

/// Member names by id.
pub fn member_names(conn: &mut DbConn, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    Ok(committee_members::table
        .filter(committee_members::id.eq_any(ids))
        .select((committee_members::id, committee_members::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// A member's name, if the member is in scope.
pub fn member_name_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    id: i64,
) -> AppResult<Option<String>> {
    Ok(committee_members::table
        .filter(committee_members::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            committee_members::table,
            committee_members::gp_id
        ))
        .select(committee_members::name)
        .first(conn)
        .optional()?)
}

/// The account a member is linked to, if any.
pub fn member_user(conn: &mut DbConn, member_id: i64) -> AppResult<Option<i64>> {
    let linked: Option<Option<i64>> = committee_members::table
        .filter(committee_members::id.eq(member_id))
        .select(committee_members::user_id)
        .first(conn)
        .optional()?;
    Ok(linked.flatten())
}

pub fn insert_member(
    conn: &mut DbConn,
    committee: &Committee,
    m: &NewMember<'_>,
    now: NaiveDateTime,
) -> AppResult<Member> {
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(committee_members::table)
        .values((
            committee_members::committee_id.eq(committee.id),
            committee_members::gp_id.eq(committee.gp_id),
            committee_members::name.eq(&m.name),
            committee_members::gender.eq(m.gender),
            committee_members::social_category.eq(m.social_category),
            committee_members::role.eq(m.role),
            committee_members::elected_gp_member.eq(m.elected_gp_member),
            committee_members::phone.eq(&m.phone),
            committee_members::user_id.eq(m.user_id),
            committee_members::term_from.eq(m.term_from),
            committee_members::created_at.eq(now),
            committee_members::updated_at.eq(now),
        ))
        .returning(committee_members::id)
        .get_result(c))?;
    touch(conn, committee.id, now)?;
    Ok(committee_members::table
        .find(id)
        .select(Member::as_select())
        .first(conn)?)
}

/// End the running terms (begun by `on`) of a committee's members, or of one member, on `on`.
/// Returns how many ended.
pub fn end_running_terms(
    conn: &mut DbConn,
    committee_id: i64,
    member: Option<i64>,
    on: NaiveDate,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut q = diesel::update(committee_members::table)
        .filter(committee_members::committee_id.eq(committee_id))
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
    if n > 0 {
        touch(conn, committee_id, now)?;
    }
    Ok(n)
}

/// A committee changes with its members (its view lists them): a member added or a term
/// ended sets the committee's `updated_at` too, so pulling changes brings the committee back.
fn touch(conn: &mut DbConn, committee_id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(committees::table.find(committee_id))
        .set(committees::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
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
