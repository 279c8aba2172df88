//! The audit log's use case: a write and its audit row in one transaction.

use super::{record, Event};
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// A use case's write and its audit row in one transaction, over a [`Ctx`]: `f` gets the
/// connection and "now", and returns the value, the record's id and the summary for the log.
pub fn audited<T>(
    ctx: &crate::context::Ctx,
    actor: &Actor,
    ip: &str,
    action: crate::audit::Action,
    entity: crate::audit::Entity,
    f: impl FnOnce(&mut DbConn, NaiveDateTime) -> AppResult<(T, Option<i64>, String)>,
) -> AppResult<T> {
    let now = ctx.now();
    ctx.db.write_blocking(|c| {
        let (v, id, summary) = f(c, now)?;
        record(
            c,
            now,
            Some(actor),
            "",
            Some(ip),
            Event {
                action,
                entity,
                entity_id: id,
                summary,
            },
        )?;
        Ok(v)
    })
}
