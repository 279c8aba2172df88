//! The audit log's use case: a write and its audit rows in one transaction.

use super::model::record;
use super::{Action, By, Detail, Entity, Event};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// The audit rows a use case adds inside [`audited`]; written after it, in its transaction.
#[derive(Default)]
pub struct Log(Vec<Event>);

impl Log {
    /// One row: `action` on the `entity` with this id, saying `detail`.
    pub fn add(&mut self, action: Action, entity: Entity, entity_id: Option<i64>, detail: Detail) {
        self.0.push(Event {
            action,
            entity,
            entity_id,
            detail,
        });
    }
}

/// The one way a use case writes: `f` gets the connection, "now" and the [`Log`], makes its
/// changes and adds its audit rows (one, or one per thing it did, or none for a dry run);
/// all of it is one transaction, so a change is never without its row nor a row without
/// its change. `by`: who did it, from where.
pub fn audited<T>(
    ctx: &crate::context::Ctx,
    by: By<'_>,
    f: impl FnOnce(&mut DbConn, NaiveDateTime, &mut Log) -> AppResult<T>,
) -> AppResult<T> {
    let now = ctx.now();
    ctx.db.write_blocking(|c| {
        let mut log = Log::default();
        let v = f(c, now, &mut log)?;
        if let Some(actor) = by.actor {
            let first = log.0.first().map(|e| (e.entity.as_str(), e.entity_id));
            crate::web::idempotency::claim(c, actor, now, first)?;
        }
        for ev in log.0 {
            record(c, now, by, ev)?;
        }
        Ok(v)
    })
}
