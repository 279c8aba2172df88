//! What the scheduler's pages read: the latest runs (runs whose runner died marked abandoned
//! first) and the e-mail that waits or failed. The
//! sweep itself is the scheduler's (`jobs::run`), shared by the server's runner and the CLI.

use super::model::{self, JobRun};
use crate::context::Ctx;
use crate::error::AppResult;

/// How many runs the page and the API show.
pub const RECENT: i64 = 100;

/// The latest runs, newest first; a run whose runner died is marked abandoned first (so the
/// page says so even when no sweep has run since).
pub fn recent_runs(ctx: &Ctx) -> AppResult<Vec<JobRun>> {
    Ok(runs_page(ctx, None, 0, RECENT)?.0)
}

/// A page of runs (see [`model::runs_page`]), runs whose runner died marked abandoned first.
pub fn runs_page(
    ctx: &Ctx,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<JobRun>, i64)> {
    let now = chrono::Utc::now().naive_utc();
    let mut conn = ctx.db.conn()?;
    if model::any_abandoned(&mut conn, now)? {
        drop(conn);
        ctx.db
            .write_blocking(|c| model::mark_abandoned(c, now).map(|_| ()))?;
        conn = ctx.db.conn()?;
    }
    model::runs_page(&mut conn, changes, offset, limit)
}

/// E-mail that failed (the latest 50) and how many messages wait to be sent.
pub fn mail_status(ctx: &Ctx) -> AppResult<(Vec<crate::mail::OutboxMessage>, i64)> {
    let mut conn = ctx.db.conn()?;
    Ok((
        crate::mail::failed(&mut conn, 50)?,
        crate::mail::waiting(&mut conn)?,
    ))
}
