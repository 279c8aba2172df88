//! Sampling points' use cases: add and edit a point of a scheme, and create the points of a
//! scheme's sources and tanks from its assets in one step. Each is one audited transaction.

use super::model::{self, SamplingPoint};
use super::{validate, PointInput, PointValues};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::Actor;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::Scheme;

fn point_detail(p: &SamplingPoint) -> Detail {
    Detail::new("audit-detail-sampling-point")
        .text("name", &p.name)
        .word(
            "kind",
            crate::water_quality::PointKind::label_key_of(&p.kind),
        )
}

/// The village must be one of the scheme's.
fn check_village(c: &mut DbConn, scheme: &Scheme, v: &PointValues) -> AppResult<()> {
    let villages = crate::schemes::model::villages_of(c, scheme.id)?;
    if villages.iter().any(|p| p.id == v.village_id) {
        Ok(())
    } else {
        let mut e = FieldErrors::new();
        e.add("village_id", "wq-point-village-not-of-scheme");
        Err(AppError::Validation(e))
    }
}

/// Add a sampling point to a scheme inside the actor's scope.
pub fn create_point(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    input: PointInput,
) -> AppResult<SamplingPoint> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        // Scope first: another GP's scheme is not found, whatever the input.
        let scheme = crate::schemes::model::find_in_scope(c, &actor.scope, scheme_id)?;
        let mut v = validate(&input).map_err(AppError::Validation)?;
        v.active = true;
        check_village(c, &scheme, &v)?;
        let p = model::create(c, &scheme, &v, None, now)?;
        log.add(
            Action::Create,
            Entity::SamplingPoint,
            Some(p.id),
            point_detail(&p),
        );
        Ok(p)
    })
}

/// Change a point (its kind, village, names, position; take it out of use or back).
pub fn update_point(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: PointInput,
) -> AppResult<SamplingPoint> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let p = model::find_in_scope(c, &actor.scope, id)?;
        let v = validate(&input).map_err(AppError::Validation)?;
        let scheme = crate::schemes::model::find(c, p.scheme_id)?;
        check_village(c, &scheme, &v)?;
        let p = model::update(c, &p, &v, now)?;
        log.add(
            Action::Update,
            Entity::SamplingPoint,
            Some(p.id),
            point_detail(&p),
        );
        Ok(p)
    })
}

/// One point for each of the scheme's in-service sources and tanks (and standposts) that is
/// not a point yet, named after the asset, in the scheme's first village (by name; a point
/// can be moved to another village afterwards) at the asset's position. Running it again
/// creates nothing new. A scheme without villages is refused (a point needs one).
pub fn create_from_assets(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
) -> AppResult<Vec<SamplingPoint>> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let scheme = crate::schemes::model::find_in_scope(c, &actor.scope, scheme_id)?;
        let village = crate::schemes::model::villages_of(c, scheme.id)?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Conflict("wq-point-scheme-has-no-village".into()))?;
        let mut made = vec![];
        for a in model::eligible_assets(c, &scheme)? {
            let Some(kind) = a.point_kind() else { continue };
            let v = PointValues {
                kind,
                village_id: village.id,
                name: a.name.clone(),
                name_hi: a.name_hi.clone(),
                latitude: a.latitude,
                longitude: a.longitude,
                active: true,
            };
            let p = model::create(c, &scheme, &v, Some(a.id), now)?;
            log.add(
                Action::Create,
                Entity::SamplingPoint,
                Some(p.id),
                point_detail(&p).text("asset", a.id.to_string()),
            );
            made.push(p);
        }
        Ok(made)
    })
}
