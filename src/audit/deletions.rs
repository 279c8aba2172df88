//! Tombstones: a record that is really deleted leaves a row in `deletions` (its kind, id, GP
//! and when), written in the transaction that deletes it, so a client pulling changes
//! (`updated_since`, [`crate::web::sync`]) hears of it. Only these kinds are ever deleted
//! among the lists that pull changes; the others change status instead.

use crate::auth::Scope;
use crate::db::schema::deletions;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::sync::Changes;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The kinds of record that are deleted (the `entity` column's closed list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// Open future tasks of a plan whose timing changed (planned again).
    MaintenanceTask,
    /// The demands of a cancelled demand run.
    Demand,
    /// A demand run taken away again with its demands (the demand benchmark's raw run).
    DemandRun,
}

impl Deleted {
    pub fn as_str(self) -> &'static str {
        match self {
            Deleted::MaintenanceTask => "maintenance_task",
            Deleted::Demand => "demand",
            Deleted::DemandRun => "demand_run",
        }
    }
}

/// Keep a tombstone for each record (`(id, gp_id)`) about to be deleted.
pub fn record(
    conn: &mut DbConn,
    kind: Deleted,
    rows: &[(i64, i64)],
    now: NaiveDateTime,
) -> AppResult<()> {
    for chunk in rows.chunks(crate::db::chunk_rows(4)) {
        let values: Vec<_> = chunk
            .iter()
            .map(|(id, gp)| {
                (
                    deletions::entity.eq(kind.as_str()),
                    deletions::entity_id.eq(*id),
                    deletions::gp_id.eq(*gp),
                    deletions::deleted_at.eq(now),
                )
            })
            .collect();
        crate::on_backend!(conn, |c| diesel::insert_into(deletions::table)
            .values(&values)
            .execute(c))?;
    }
    Ok(())
}

/// The ids of this kind deleted inside the scope at or after the changes' time.
pub fn since(
    conn: &mut DbConn,
    scope: &Scope,
    kind: Deleted,
    changes: &Changes,
) -> AppResult<Vec<i64>> {
    Ok(deletions::table
        .filter(crate::in_scope!(scope, deletions::table, deletions::gp_id))
        .filter(deletions::entity.eq(kind.as_str()))
        .filter(deletions::deleted_at.ge(changes.since))
        .order((deletions::deleted_at.asc(), deletions::id.asc()))
        .select(deletions::entity_id)
        .load(conn)?)
}
