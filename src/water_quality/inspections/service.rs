//! Recording a sanitary inspection: the point in scope, its checklist, the answers checked
//! and scored, the inspection written, the point's due inspection task completed, with the
//! audit row, in one transaction.

use super::model::{self, Inspection};
use super::{validate, Checklists, InspectionInput};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Role};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::water_quality::points::model::SamplingPoint;
use crate::water_quality::schedules::model::{complete_by, Record};
use crate::web::i18n::today_in_india;

/// Who may record an inspection: whoever records water tests, but not the laboratory's
/// analyst (an inspection is field work of the GP).
pub fn may_record(role: Role) -> bool {
    role != Role::LabAnalyst
}

/// The kind of the scheme asset a point is, when it is one.
pub fn asset_kind_of(
    conn: &mut crate::db::DbConn,
    point: &SamplingPoint,
) -> AppResult<Option<String>> {
    match point.asset_id {
        Some(a) => Ok(Some(crate::schemes::assets::find(conn, a)?.kind)),
        None => Ok(None),
    }
}

/// Record an inspection at a point in the actor's scope.
pub fn record_inspection(
    ctx: &Ctx,
    lists: &Checklists,
    actor: &Actor,
    ip: &str,
    point_id: i64,
    input: InspectionInput,
) -> AppResult<Inspection> {
    if !may_record(actor.role) {
        return Err(AppError::Forbidden);
    }
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let point = crate::water_quality::points::model::find_in_scope(c, &actor.scope, point_id)?;
        if !point.active {
            return Err(AppError::Conflict("wq-inspection-point-inactive".into()));
        }
        let asset_kind = asset_kind_of(c, &point)?;
        let list = lists
            .for_point(&point.kind, asset_kind.as_deref())
            .ok_or_else(|| AppError::Conflict("wq-no-checklist".into()))?;
        let v = validate(list, lists.bands_of(list), &input, today_in_india(now))
            .map_err(AppError::Validation)?;
        let i = model::create(
            c,
            point.gp_id,
            point.id,
            &list.code,
            &lists.version,
            &v,
            Some(actor.id()),
            now,
        )?;
        complete_by(
            c,
            point.gp_id,
            point.id,
            v.inspected_on,
            &Record::Inspection(i.id),
            now,
        )?;
        log.add(
            Action::Create,
            Entity::SanitaryInspection,
            Some(i.id),
            Detail::new("audit-detail-sanitary-inspection")
                .text("point", &point.name)
                .text("score", format!("{}/{}", i.score, i.questions))
                .word("band", super::Band::label_key_of(&i.band)),
        );
        Ok(i)
    })
}
