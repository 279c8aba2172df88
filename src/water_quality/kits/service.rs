//! Kit stock's use cases: receive a batch (one audited transaction), and the GP's stock as
//! the reminders' settings measure it.

use super::model::{self, KitBatch, Stock};
use super::{validate, KitInput, KitKind};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::Actor;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::today_in_india;
use chrono::NaiveDate;

/// Record a kit or refill pack received by a GP inside the actor's scope (`NotFound`
/// outside it). A batch number the GP has already received is refused.
pub fn receive_batch(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    gp_id: i64,
    input: KitInput,
) -> AppResult<KitBatch> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        actor.scope.check_gp(c, Some(gp_id))?;
        let v = validate(&input, today_in_india(now)).map_err(AppError::Validation)?;
        if model::find_batch(c, gp_id, &v.batch)?.is_some() {
            let mut e = FieldErrors::new();
            e.add("batch", "wq-kit-batch-taken");
            return Err(AppError::Validation(e));
        }
        let b = model::create(c, gp_id, &v, Some(actor.id()), now)?;
        log.add(
            Action::Create,
            Entity::WaterKitBatch,
            Some(b.id),
            Detail::new("audit-detail-water-kit")
                .text("batch", &b.batch)
                .word("kind", KitKind::label_key_of(&b.kind))
                .text("tests", b.tests.to_string()),
        );
        Ok(b)
    })
}

/// A GP's stock on `today`, low and expiring as configured in `[reminders]`.
pub fn stock(
    r: &crate::config::RemindersConfig,
    c: &mut DbConn,
    gp_id: i64,
    today: NaiveDate,
) -> AppResult<Stock> {
    model::stock_of_gp(c, gp_id, today, r.ftk_low_tests, r.ftk_expiry_days)
}
