//! Testers' use cases: add and edit a register row (one audited transaction each).

use super::model::{self, Tester};
use super::{validate, TesterInput, TesterValues};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::Actor;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::Level;
use crate::web::i18n::today_in_india;

/// The village (inside the actor's scope) and its GP; the account, if linked, a member of
/// that GP not linked to another tester of it.
fn check(c: &mut DbConn, actor: &Actor, v: &TesterValues, this: Option<i64>) -> AppResult<i64> {
    let mut e = FieldErrors::new();
    let village = crate::places::model::find_in_scope(c, &actor.scope, v.village_id)
        .ok()
        .filter(|p| p.level() == Level::Village);
    let Some(gp_id) = village.and_then(|p| p.gp_id) else {
        e.add("village_id", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    if let Some(u) = v.user_id {
        let ok = model::members_of_gp(c, gp_id)?
            .iter()
            .any(|(id, _)| *id == u);
        let taken = model::of_user(c, gp_id, u)?.is_some_and(|t| Some(t.id) != this);
        if !ok {
            e.add("user_id", "field-invalid-choice");
        } else if taken {
            e.add("user_id", "wq-tester-account-taken");
        }
    }
    e.into_result()?;
    Ok(gp_id)
}

fn detail(t: &Tester) -> Detail {
    Detail::new("audit-detail-water-tester").text("name", &t.name)
}

pub fn create_tester(ctx: &Ctx, actor: &Actor, ip: &str, input: TesterInput) -> AppResult<Tester> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let mut v = validate(&input, today_in_india(now)).map_err(AppError::Validation)?;
        v.active = true;
        let gp_id = check(c, actor, &v, None)?;
        let t = model::create(c, gp_id, &v, now)?;
        log.add(Action::Create, Entity::WaterTester, Some(t.id), detail(&t));
        Ok(t)
    })
}

pub fn update_tester(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: TesterInput,
) -> AppResult<Tester> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let t = model::find_in_scope(c, &actor.scope, id)?;
        let v = validate(&input, today_in_india(now)).map_err(AppError::Validation)?;
        let gp_id = check(c, actor, &v, Some(t.id))?;
        if gp_id != t.gp_id {
            let mut e = FieldErrors::new();
            e.add("village_id", "wq-tester-other-gp");
            return Err(AppError::Validation(e));
        }
        let t = model::update(c, &t, &v, now)?;
        log.add(Action::Update, Entity::WaterTester, Some(t.id), detail(&t));
        Ok(t)
    })
}
