//! Recording a water test: the point in scope, who may enter it, its values checked and
//! classified against the standard in force, the sample and its values written with the
//! audit row in one transaction, together with what it does to the point's contamination
//! incidents (`incidents::service::on_sample`).

use super::model::{self, Sample};
use super::{validate, SampleInput};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Role};
use crate::context::Ctx;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::water_quality::testers::model as testers;
use crate::water_quality::{Standard, TestKind};
use crate::web::i18n::today_in_india;
use crate::web::photos::{Checked, Owner};

/// Record a test at a sampling point inside the actor's scope. A laboratory result needs an
/// admin or the district's lab analyst (who enters nothing else); a field test names an active tester of
/// the point's GP, and a member enters only her own tests, as a tester in the register (a
/// member who is not in it is refused). `photos` (checked: the kit, the laboratory's report)
/// are stored with the test.
pub fn record_sample(
    ctx: &Ctx,
    std: &Standard,
    actor: &Actor,
    ip: &str,
    point_id: i64,
    input: SampleInput,
    photos: Vec<Checked>,
) -> AppResult<Sample> {
    let root = &ctx.config.storage.photos_dir;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let point = crate::water_quality::points::model::find_in_scope(c, &actor.scope, point_id)?;
        let own_tester = if actor.role == Role::Member {
            Some(testers::of_user(c, point.gp_id, actor.id())?.ok_or(AppError::Forbidden)?)
        } else {
            None
        };
        let kind = TestKind::parse(&input.kind);
        if kind.is_some_and(|k| !k.recordable_by(actor.role)) {
            return Err(AppError::Forbidden);
        }
        let v = validate(std, &input, today_in_india(now)).map_err(AppError::Validation)?;
        if let Some(t) = v.tester_id {
            let ok = testers::active_of_gp(c, point.gp_id)?
                .iter()
                .any(|x| x.id == t)
                && own_tester.as_ref().is_none_or(|o| o.id == t);
            if !ok {
                let mut e = FieldErrors::new();
                e.add("tester_id", "field-invalid-choice");
                return Err(AppError::Validation(e));
            }
        }
        let s = model::create(
            c,
            point.gp_id,
            point.id,
            &v,
            &std.version,
            Some(actor.id()),
            now,
        )?;
        crate::web::photos::store(c, root, point.gp_id, Owner::Sample(s.id), &photos, now)?;
        // a positive opens (or joins) the point's incident; a laboratory's result or a
        // passing re-test moves one on: in this same transaction
        let opened = crate::water_quality::incidents::service::on_sample(
            c,
            std,
            &ctx.config.water_quality.incidents,
            &point,
            &s,
            &v.values,
            Some(actor),
            "",
            log,
            now,
        )?;
        // a new incident's advisory by SMS to the households of the scheme's villages
        for i in &opened {
            crate::sms::households::water_advisory(c, &ctx.config, std, now, i)?;
        }
        // the test does the point's due checks of its kind (one record, not two)
        crate::water_quality::schedules::model::complete_by(
            c,
            point.gp_id,
            point.id,
            v.tested_on,
            &crate::water_quality::schedules::model::Record::Sample {
                id: s.id,
                kind: v.kind,
                has_number: v
                    .values
                    .iter()
                    .any(|x| matches!(x.reading, crate::water_quality::Reading::Number(_))),
                has_bacteria: v
                    .values
                    .iter()
                    .any(|x| matches!(x.reading, crate::water_quality::Reading::Present(_))),
            },
            now,
        )?;
        log.add(
            Action::Create,
            Entity::WaterSample,
            Some(s.id),
            Detail::new("audit-detail-water-sample")
                .text("point", &point.name)
                .word("kind", TestKind::label_key_of(&s.kind))
                .word(
                    "class",
                    crate::water_quality::Class::label_key_of(&s.overall_class),
                ),
        );
        Ok(s)
    })
}
