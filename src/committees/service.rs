//! The register's use cases: add a committee, add a member, end a term or re-constitute
//! (each validated and written with its audit row in one transaction), and the committees'
//! composition views. The `create`, `add_member` and `end_terms` steps work inside a caller's
//! transaction (the use cases, the demo data and the tests use them).

use super::model::{self, Committee, CommitteeView, Member, NewCommittee, NewMember};
use super::{CommitteeInput, EndInput, Gender, MemberInput, SocialCategory, DEFAULT_ROLE};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::auth::{Actor, Scope};
use crate::config::CommitteesConfig;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::NaiveDateTime;

/// Validate and store a committee (in the actor's scope).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: &CommitteeInput,
    now: NaiveDateTime,
) -> AppResult<Committee> {
    let today = today_in_india(now);
    let mut e = FieldErrors::new();
    let gp = actor.scope.gp_named(conn, &input.gp_id)?;
    if gp.is_none() {
        e.add("gp_id", "field-invalid-choice");
    }
    let village = match (input.village_id.trim(), gp) {
        ("", _) => None,
        (raw, Some(gp)) => {
            let found = raw
                .parse::<i64>()
                .ok()
                .and_then(|id| model::village_of_gp(conn, id, gp));
            if found.is_none() {
                e.add("village_id", "field-invalid-choice");
            }
            found
        }
        (_, None) => None,
    };
    let name = forms::required_text(&input.name, crate::web::forms::max::LINE, "name", &mut e);
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
    let k = NewCommittee {
        gp_id: gp.ok_or(AppError::NotFound)?,
        village_id: village,
        name: name.unwrap_or_default(),
        constituted_on: on.unwrap_or(today),
        sc_st_population_percent: share.map(|s| s as i32),
    };
    model::insert(conn, &k, now)
}

/// Validate and store a member of a committee.
pub fn add_member(
    conn: &mut DbConn,
    cfg: &CommitteesConfig,
    committee: &Committee,
    input: &MemberInput,
    now: NaiveDateTime,
) -> AppResult<Member> {
    let today = today_in_india(now);
    let mut e = FieldErrors::new();
    let name = forms::required_text(&input.name, crate::web::forms::max::LINE, "name", &mut e);
    let gender = Gender::parse(&input.gender);
    if gender.is_none() {
        e.add("gender", "field-invalid-choice");
    }
    let social = SocialCategory::parse(&input.social_category);
    if social.is_none() {
        e.add("social_category", "field-invalid-choice");
    }
    let role = match input.role.trim() {
        "" => DEFAULT_ROLE,
        r if cfg.roles.iter().any(|x| x == r) => r,
        _ => {
            e.add("role", "field-invalid-choice");
            DEFAULT_ROLE
        }
    };
    let phone = match input.phone.trim() {
        "" => None,
        raw => match crate::auth::normalize_mobile(raw) {
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
                Ok(id) => model::linkable_user(conn, id, committee.gp_id)?,
                Err(_) => None,
            };
            if found.is_none() {
                e.add("user_id", "field-invalid-choice");
            }
            found
        }
    };
    e.into_result()?;
    let (Some(gender), Some(social)) = (gender, social) else {
        return Err(AppError::Internal("checked above".into()));
    };
    let m = NewMember {
        name: name.unwrap_or_default(),
        gender: gender.as_str(),
        social_category: social.as_str(),
        role,
        elected_gp_member: crate::web::forms::flag(&input.elected_gp_member),
        phone,
        user_id: user,
        term_from: from,
    };
    model::insert_member(conn, committee, &m, now)
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
    let today = today_in_india(now);
    let mut e = FieldErrors::new();
    let on = forms::optional_date(on, None, "term_to", &mut e).unwrap_or(today);
    let reason = forms::required_text(reason, crate::web::forms::max::REASON, "reason", &mut e);
    e.into_result()?;
    let n = model::end_running_terms(
        conn,
        committee.id,
        member,
        on,
        &reason.unwrap_or_default(),
        now,
    )?;
    if member.is_some() && n == 0 {
        return Err(AppError::Conflict("committee-term-not-running".into()));
    }
    Ok(n)
}

/// Add a committee, with its audit row.
pub fn create_committee(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: CommitteeInput,
) -> AppResult<Committee> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let k = create(c, actor, &input, now)?;
        log.add(
            Action::Create,
            Entity::Committee,
            Some(k.id),
            Detail::new("audit-detail-committee").text("name", &k.name),
        );
        Ok(k)
    })
}

/// Add a member to a committee in the actor's scope, with its audit row.
pub fn add_committee_member(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: MemberInput,
) -> AppResult<Member> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let k = model::find_in_scope(c, &actor.scope, id)?;
        let m = add_member(c, &ctx.config.committees, &k, &input, now)?;
        log.add(
            Action::Update,
            Entity::Committee,
            Some(id),
            Detail::new("audit-detail-committee-member-added")
                .text("committee", &k.name)
                .text("name", &m.name),
        );
        Ok(m)
    })
}

/// End one member's term (`member`), or every running term at a re-constitution, with the
/// audit row.
pub fn end_committee_terms(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    member: Option<i64>,
    input: EndInput,
) -> AppResult<usize> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let k = model::find_in_scope(c, &actor.scope, id)?;
        let n = end_terms(c, &k, member, &input.on, &input.reason, now)?;
        let key = if member.is_some() {
            "audit-detail-committee-term-ended"
        } else {
            "audit-detail-committee-reconstituted"
        };
        log.add(
            Action::Update,
            Entity::Committee,
            Some(id),
            Detail::new(key)
                .text("committee", &k.name)
                .count("count", n),
        );
        Ok(n)
    })
}

/// The committees in scope, each with its composition today.
pub fn committee_views(
    ctx: &Ctx,
    scope: &Scope,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<CommitteeView>, i64)> {
    let today = today_in_india(ctx.now());
    let mut conn = ctx.db.conn()?;
    let c: &mut DbConn = &mut conn;
    let (list, total) = model::list(c, scope, changes, offset, limit)?;
    let views = list
        .into_iter()
        .map(|k| model::view(c, &ctx.config.committees, k, today))
        .collect::<AppResult<_>>()?;
    Ok((views, total))
}

/// One committee in scope with its composition today.
pub fn committee_view(ctx: &Ctx, scope: &Scope, id: i64) -> AppResult<CommitteeView> {
    let today = today_in_india(ctx.now());
    let mut conn = ctx.db.conn()?;
    let c: &mut DbConn = &mut conn;
    let k = model::find_in_scope(c, scope, id)?;
    model::view(c, &ctx.config.committees, k, today)
}
