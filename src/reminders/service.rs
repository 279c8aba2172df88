//! Reminders' use cases: a user's inbox, and marking one or all of their reminders read (one
//! transaction each; reading leaves no audit row).

use super::model::{self, InboxFilter, Reminder};
use crate::context::Ctx;
use crate::error::AppResult;

/// A page of the user's open reminders, and how many match.
pub fn inbox(
    ctx: &Ctx,
    user_id: i64,
    f: &InboxFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Reminder>, i64)> {
    let mut conn = ctx.db.conn()?;
    model::inbox(&mut conn, user_id, f, offset, limit)
}

/// Mark one of the user's reminders read (someone else's is not found); returns it.
pub fn mark_read(ctx: &Ctx, user_id: i64, id: i64) -> AppResult<Reminder> {
    let now = ctx.now();
    ctx.db.write_blocking(|c| {
        let r = model::find_of_user(c, user_id, id)?;
        if r.read_at.is_none() {
            model::set_read(c, id, now)?;
        }
        model::find_of_user(c, user_id, id)
    })
}

/// Mark every open reminder of the user read; returns how many changed.
pub fn mark_all_read(ctx: &Ctx, user_id: i64) -> AppResult<usize> {
    let now = ctx.now();
    ctx.db
        .write_blocking(|c| model::set_all_read(c, user_id, now))
}
