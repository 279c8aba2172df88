//! The scheduler's rows and queries: its runs (`job_runs`), the lease that lets one runner
//! sweep at a time (`job_leases`), the day each once-a-day job last ran (`job_state`) and
//! what each job has done over time (`job_stats`, for monitoring).

use super::{JobCount, RunStatus};
use crate::db::schema::{job_leases, job_runs, job_state, job_stats};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

const LEASE: &str = "sweep";

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = job_runs)]
pub struct JobRun {
    pub id: i64,
    /// serve or cli.
    pub started_by: String,
    #[serde(skip)]
    pub holder: String,
    /// The clock's time the run worked for (`--at` moves it).
    #[serde(with = "crate::clock::utc")]
    pub run_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub started_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub finished_at: Option<NaiveDateTime>,
    /// running, ok, failed (a job failed; the others ran), busy (another runner held the
    /// lease, nothing ran) or abandoned (its runner died part-way).
    pub status: String,
    /// JSON: per job, what it did.
    pub counts: String,
    /// JSON: per failed job, its error.
    pub errors: String,
    /// When an abandoned run was given up: its lease's expiry, or (when the lease had already
    /// gone to another runner) when that was noticed. Machine time, like the lease.
    pub abandoned_at: Option<NaiveDateTime>,
    /// When it last changed: started, finished or marked abandoned (machine time, like
    /// `started_at`).
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

/// A machine time as the database keeps every time (to the microsecond; SQLite would keep
/// nanoseconds), so that a run's `updated_at` reads back exactly as a pull's `next` link
/// writes it.
fn micros(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::SubsecRound;
    t.trunc_subsecs(6)
}

/// Record a run as it starts (a busy run is finished at once); returns its id.
pub fn insert_run(
    conn: &mut DbConn,
    started_by: &str,
    holder: &str,
    run_at: NaiveDateTime,
    started: NaiveDateTime,
    status: RunStatus,
) -> AppResult<i64> {
    crate::on_backend!(conn, |c| diesel::insert_into(job_runs::table)
        .values((
            job_runs::started_by.eq(started_by),
            job_runs::holder.eq(holder),
            job_runs::run_at.eq(run_at),
            job_runs::started_at.eq(started),
            job_runs::status.eq(status.as_str()),
            job_runs::finished_at.eq((status == RunStatus::Busy).then_some(started)),
            job_runs::updated_at.eq(micros(started)),
        ))
        .returning(job_runs::id)
        .get_result(c))
    .map_err(AppError::from)
}

/// Mark as abandoned, with when, every run still `running` whose runner no longer holds the
/// lease: the lease's holder once the lease has expired (at its expiry), any other runner at
/// once (`now`: it lost the lease, so it died or stalled past it). A runner holds the lease
/// before it records its run and gives it up in the transaction that finishes it, so a
/// running run without the lease is never a live one. Returns how many were marked.
pub fn mark_abandoned(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<usize> {
    let lease: Option<(String, NaiveDateTime)> = job_leases::table
        .find(LEASE)
        .select((job_leases::holder, job_leases::expires_at))
        .first(conn)
        .optional()?;
    let running = || job_runs::table.filter(job_runs::status.eq(RunStatus::Running.as_str()));
    let mut n = 0;
    let holder = match lease {
        Some((holder, until)) => {
            if until < now {
                n += diesel::update(running().filter(job_runs::holder.eq(&holder)))
                    .set((
                        job_runs::status.eq(RunStatus::Abandoned.as_str()),
                        job_runs::abandoned_at.eq(until),
                        job_runs::updated_at.eq(micros(now)),
                    ))
                    .execute(conn)?;
            }
            holder
        }
        None => String::new(),
    };
    n += diesel::update(running().filter(job_runs::holder.ne(&holder)))
        .set((
            job_runs::status.eq(RunStatus::Abandoned.as_str()),
            job_runs::abandoned_at.eq(now),
            job_runs::updated_at.eq(micros(now)),
        ))
        .execute(conn)?;
    Ok(n)
}

/// Whether [`mark_abandoned`] would mark anything (a read, so the pages write only then).
pub fn any_abandoned(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<bool> {
    let live: Option<String> = job_leases::table
        .find(LEASE)
        .filter(job_leases::expires_at.ge(now))
        .select(job_leases::holder)
        .first(conn)
        .optional()?;
    let n: i64 = job_runs::table
        .filter(job_runs::status.eq(RunStatus::Running.as_str()))
        .filter(job_runs::holder.ne(live.unwrap_or_default()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Record how a run ended: its status and, as JSON, each job's counts and each failure. A
/// run marked abandoned while its runner had stalled, which then came back and finished,
/// is recorded as it ended.
pub fn finish_run(
    conn: &mut DbConn,
    run_id: i64,
    status: &str,
    counts: &str,
    errors: &str,
) -> AppResult<()> {
    let now = micros(Utc::now().naive_utc());
    diesel::update(job_runs::table.find(run_id))
        .set((
            job_runs::finished_at.eq(now),
            job_runs::updated_at.eq(now),
            job_runs::status.eq(status),
            job_runs::abandoned_at.eq(None::<NaiveDateTime>),
            job_runs::counts.eq(counts),
            job_runs::errors.eq(errors),
        ))
        .execute(conn)?;
    Ok(())
}

/// The latest runs, newest first.
pub fn recent_runs(conn: &mut DbConn, limit: i64) -> AppResult<Vec<JobRun>> {
    Ok(runs_page(conn, None, 0, limit)?.0)
}

/// Runs newest first (pulling changes: by `updated_at`), `limit` from `offset`, and how many
/// match. Runs are never deleted.
pub fn runs_page(
    conn: &mut DbConn,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<JobRun>, i64)> {
    let build = || {
        let q = job_runs::table.into_boxed();
        crate::changed_since!(q, changes, job_runs::updated_at, job_runs::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        job_runs::updated_at,
        job_runs::id,
        job_runs::id.desc()
    )
    .offset(offset)
    .limit(limit)
    .select(JobRun::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Take the lease for `seconds`, or renew it if this holder has it; false when another
/// runner holds an unexpired lease. Leases use the machine's real time, not the clock that
/// `--at` moves, since they are about processes.
pub fn take_lease(conn: &mut DbConn, holder: &str, seconds: i64) -> AppResult<bool> {
    let now = Utc::now().naive_utc();
    let until = now + Duration::seconds(seconds);
    // a missing lease row is created taken; an existing one is taken over when it expired
    let created = crate::on_backend!(conn, |c| diesel::insert_into(job_leases::table)
        .values((
            job_leases::name.eq(LEASE),
            job_leases::holder.eq(holder),
            job_leases::expires_at.eq(until),
        ))
        .on_conflict(job_leases::name)
        .do_nothing()
        .execute(c))?;
    if created == 1 {
        return Ok(true);
    }
    let n = diesel::update(
        job_leases::table.filter(job_leases::name.eq(LEASE)).filter(
            job_leases::expires_at
                .lt(now)
                .or(job_leases::holder.eq(holder)),
        ),
    )
    .set((
        job_leases::holder.eq(holder),
        job_leases::expires_at.eq(until),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Renew the lease before a job; a runner that lost it (it stalled past the lease and another
/// took over) stops rather than run beside the other.
pub fn keep_lease(conn: &mut DbConn, holder: &str, seconds: i64) -> AppResult<()> {
    if take_lease(conn, holder, seconds)? {
        Ok(())
    } else {
        Err(AppError::Conflict("jobs-lease-lost".into()))
    }
}

pub fn release_lease(conn: &mut DbConn, holder: &str) -> AppResult<()> {
    diesel::delete(
        job_leases::table
            .filter(job_leases::name.eq(LEASE))
            .filter(job_leases::holder.eq(holder)),
    )
    .execute(conn)?;
    Ok(())
}

pub fn last_day(conn: &mut DbConn, job: &str) -> AppResult<Option<NaiveDate>> {
    Ok(job_state::table
        .find(job)
        .select(job_state::last_day)
        .first(conn)
        .optional()?)
}

pub fn done_today(conn: &mut DbConn, job: &str, today: NaiveDate) -> AppResult<bool> {
    Ok(last_day(conn, job)?.is_some_and(|d| d >= today))
}

pub fn mark_done_today(conn: &mut DbConn, job: &str, today: NaiveDate) -> AppResult<()> {
    let n = diesel::update(job_state::table.find(job))
        .set(job_state::last_day.eq(today))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(job_state::table)
            .values((job_state::name.eq(job), job_state::last_day.eq(today)))
            .execute(conn)?;
    }
    Ok(())
}

/// Forget the day a once-a-day job last ran (it runs again as if for the first time).
pub fn forget_day(conn: &mut DbConn, job: &str) -> AppResult<()> {
    diesel::delete(job_state::table.find(job)).execute(conn)?;
    Ok(())
}

/// The `job_stats` row of whole sweeps (beside one per job and rule).
pub const SWEEP: &str = "sweep";

/// What a job (or, named [`SWEEP`], the sweeps) has done over time.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_stats)]
pub struct JobStat {
    pub name: String,
    pub ok_runs: i64,
    pub failed_runs: i64,
    /// Machine time, like the lease.
    pub last_ok_at: Option<NaiveDateTime>,
    pub last_failed_at: Option<NaiveDateTime>,
    pub last_ms: Option<i64>,
    pub done_total: i64,
    pub raised_total: i64,
    pub resolved_total: i64,
    pub failed_total: i64,
}

impl JobStat {
    /// When it last finished, well or not.
    pub fn last_finished(&self) -> Option<NaiveDateTime> {
        self.last_ok_at.max(self.last_failed_at)
    }
}

/// Every job's row, by name.
pub fn job_stats(conn: &mut DbConn) -> AppResult<Vec<JobStat>> {
    Ok(job_stats::table
        .order(job_stats::name.asc())
        .select(JobStat::as_select())
        .load(conn)?)
}

/// One job's row (none before its first run).
pub fn job_stat(conn: &mut DbConn, name: &str) -> AppResult<Option<JobStat>> {
    Ok(job_stats::table
        .find(name)
        .select(JobStat::as_select())
        .first(conn)
        .optional()?)
}

/// Bring `job_stats` up to date with a run that finished `at`: each job that did its work
/// (`counts`, but not a daily job skipped because it had run today) and each that failed
/// (`errors`); with `sweep` (a whole sweep, not `--only` one job), the sweep's row too,
/// with its status and how long it took. Run in the transaction that finishes the run.
pub fn record_stats(
    conn: &mut DbConn,
    at: NaiveDateTime,
    counts: &std::collections::BTreeMap<String, JobCount>,
    errors: &std::collections::BTreeMap<String, String>,
    sweep: Option<(RunStatus, i64)>,
) -> AppResult<()> {
    let n = |v: Option<usize>| v.map_or(0, |v| v as i64);
    for (name, c) in counts {
        if c.skipped == Some(true) {
            continue;
        }
        stat_row(conn, name)?;
        diesel::update(job_stats::table.find(name))
            .set((
                job_stats::ok_runs.eq(job_stats::ok_runs + 1),
                job_stats::last_ok_at.eq(at),
                job_stats::last_ms.eq(c.ms.map(|ms| ms as i64)),
                job_stats::done_total.eq(job_stats::done_total + n(c.done)),
                job_stats::raised_total.eq(job_stats::raised_total + n(c.raised)),
                job_stats::resolved_total.eq(job_stats::resolved_total + n(c.resolved)),
                job_stats::failed_total.eq(job_stats::failed_total + n(c.failed)),
            ))
            .execute(conn)?;
    }
    for name in errors.keys() {
        stat_row(conn, name)?;
        diesel::update(job_stats::table.find(name))
            .set((
                job_stats::failed_runs.eq(job_stats::failed_runs + 1),
                job_stats::last_failed_at.eq(at),
            ))
            .execute(conn)?;
    }
    if let Some((status, ms)) = sweep {
        stat_row(conn, SWEEP)?;
        let row = job_stats::table.find(SWEEP);
        if status == RunStatus::Ok {
            diesel::update(row)
                .set((
                    job_stats::ok_runs.eq(job_stats::ok_runs + 1),
                    job_stats::last_ok_at.eq(at),
                    job_stats::last_ms.eq(ms),
                ))
                .execute(conn)?;
        } else {
            diesel::update(row)
                .set((
                    job_stats::failed_runs.eq(job_stats::failed_runs + 1),
                    job_stats::last_failed_at.eq(at),
                    job_stats::last_ms.eq(ms),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// A job's row, made (all zero) if it has none yet.
fn stat_row(conn: &mut DbConn, name: &str) -> AppResult<()> {
    crate::on_backend!(conn, |c| diesel::insert_into(job_stats::table)
        .values(job_stats::name.eq(name))
        .on_conflict(job_stats::name)
        .do_nothing()
        .execute(c))?;
    Ok(())
}
