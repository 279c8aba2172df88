//! Demands' use cases: raising a month (the page and the API: preview checked, runs written,
//! one audit line), cancelling a run, charging late fees, turning automatic demands on or off,
//! each one audited transaction over a `Ctx`; and the writes they are made of, which run inside
//! the caller's transaction (the command line and the scheduler call them too).

use super::model::{find_run, find_run_in_scope, preview, GpPreview, Preview, Run, BILLABLE};
use super::{due_on, month_end, next_month};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Scope, Verb};
use crate::billing::ledger;
use crate::context::Ctx;
use crate::db::schema::{demand_runs, demands};
use crate::db::{sql_for, Backend, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::today_in_india;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Timestamp};

/// Raise a month's demands in the actor's scope, with its audit line and each household's
/// demand notice by SMS (the API and the page): when `expected` is given, only if the preview
/// still shows that many.
pub fn raise_month(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    month: NaiveDate,
    expected: Option<i64>,
) -> AppResult<Vec<Run>> {
    actor.require(Verb::ManageBilling)?;
    let due_day = ctx.config.billing.due_day;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let preview = preview(c, &actor.scope, month)?;
        if expected.is_some_and(|x| x != preview.demands) {
            return Err(AppError::Conflict("demand-preview-changed".into()));
        }
        let runs = raise(c, Some(actor), &preview, due_day, now, |_| {})?;
        // each household with a phone hears of its demand, in the same transaction
        let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
        crate::sms::households::demand_notices(c, &ctx.config, now, &ids)?;
        let n: i32 = runs.iter().map(|r| r.demands).sum();
        log.add(
            Action::Create,
            Entity::DemandRun,
            None,
            Detail::new("audit-detail-demands-raised")
                .count("count", n)
                .month("month", month),
        );
        Ok(runs)
    })
}

/// Charge the late fees due in the actor's scope, with its audit line (the API and the page).
pub fn charge_late_fees(ctx: &Ctx, actor: &Actor, ip: &str) -> AppResult<usize> {
    actor.require(Verb::ManageBilling)?;
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, _, log| {
        let n = apply_late_fees(c, &actor.scope, today, now)?;
        log.add(
            Action::Update,
            Entity::DemandRun,
            None,
            Detail::new("audit-detail-late-fees").count("count", n),
        );
        Ok(n)
    })
}

/// Cancel a demand run in the actor's scope, with its audit line.
pub fn cancel_demand_run(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    reason: &str,
) -> AppResult<Run> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let run = find_run_in_scope(c, &actor.scope, id)?;
        let run = cancel_run(c, actor, &run, reason, now)?;
        log.add(
            Action::Cancel,
            Entity::DemandRun,
            Some(id),
            Detail::new("audit-detail-demands-cancelled")
                .count("count", run.demands)
                .month("month", run.month)
                .text("reason", reason.trim()),
        );
        Ok(run)
    })
}

/// Turn a GP's automatic demands on or off (a GP in the actor's scope), with its audit line.
pub fn set_automatic(ctx: &Ctx, actor: &Actor, ip: &str, gp: i64, auto: bool) -> AppResult<()> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let place = crate::places::model::find_in_scope(c, &actor.scope, gp)?;
        if place.level() != crate::places::Level::Gp {
            return Err(AppError::NotFound);
        }
        set_auto(c, gp, auto, Some(actor.user.id), now)?;
        let key = if auto {
            "audit-detail-demands-automatic-on"
        } else {
            "audit-detail-demands-automatic-off"
        };
        log.add(
            Action::Update,
            Entity::DemandRun,
            Some(gp),
            Detail::new(key).named("gp", &place.name, place.name_hi.as_deref()),
        );
        Ok(())
    })
}

/// How every demand is written ([`raise`], [`raise_raw`], [`Backfill`]): its columns, and the
/// household `h` it is for; each writer goes on with the month, the run, the charge (from a
/// `tariff_rates` row `r`), the due date and the time, then where its households come from.
const INSERT_DEMANDS: &str =
    "INSERT INTO demands (gp_id, household_id, month, run_id, amount_paise, due_on, created_at) \
     SELECT h.gp_id, h.id";

/// Raise the demands a [`preview`] found: one run per GP with new demands. Run it inside the
/// same write transaction as the preview; `progress` hears each GP's count.
pub fn raise(
    conn: &mut DbConn,
    actor: Option<&Actor>,
    preview: &Preview,
    due_day: u32,
    now: NaiveDateTime,
    mut progress: impl FnMut(&GpPreview),
) -> AppResult<Vec<Run>> {
    let month = preview.first_day;
    let latest = next_month(today_in_india(now));
    if month > latest {
        let mut e = FieldErrors::new();
        e.add_with(
            "month",
            "demand-month-too-late",
            &[("max", latest.format("%Y-%m").to_string())],
        );
        return Err(AppError::Validation(e));
    }
    let due = due_on(month, due_day);
    let end = month_end(month);
    let insert = sql_for(
        conn,
        &format!("{INSERT_DEMANDS}, ?, ?, r.monthly_paise, ?, ? {BILLABLE}"),
    );
    let mut runs = vec![];
    for g in &preview.gps {
        let Some(plan_id) = g.plan_id.filter(|_| g.demands > 0) else {
            continue;
        };
        let run_id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(demand_runs::table)
            .values((
                demand_runs::gp_id.eq(g.gp_id),
                demand_runs::month.eq(month),
                demand_runs::plan_id.eq(plan_id),
                demand_runs::demands.eq(g.demands as i32),
                demand_runs::total_paise.eq(g.total_paise),
                demand_runs::created_by.eq(actor.map(|a| a.user.id)),
                demand_runs::created_at.eq(now),
            ))
            .returning(demand_runs::id)
            .get_result(c))?;
        let inserted = crate::on_backend!(conn, |c| diesel::sql_query(&insert)
            .bind::<Date, _>(month)
            .bind::<BigInt, _>(run_id)
            .bind::<Date, _>(due)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(plan_id)
            .bind::<BigInt, _>(g.gp_id)
            .bind::<Date, _>(end)
            .bind::<Date, _>(month)
            .execute(c))?;
        if inserted as i64 != g.demands {
            // the preview and the insert run in one transaction: they must agree
            return Err(AppError::Internal(format!(
                "demand run for GP {}: expected {} rows, inserted {inserted}",
                g.gp_id, g.demands
            )));
        }
        progress(g);
        runs.push(find_run(conn, run_id)?);
    }
    Ok(runs)
}

/// The physical limit [`raise`] is measured against (`paani demands raise --against-raw`): the
/// same rows as a preview found, written by one bare `INSERT … SELECT` over all its GPs under
/// one run row of the first GP, with none of `raise`'s per-GP runs, checks or missing-only
/// test. Returns the run's id and the rows written; [`remove_raw`] takes them away again.
pub fn raise_raw(
    conn: &mut DbConn,
    preview: &Preview,
    due_day: u32,
    now: NaiveDateTime,
) -> AppResult<(i64, usize)> {
    let pairs: Vec<String> = preview
        .gps
        .iter()
        .filter(|g| g.demands > 0)
        .filter_map(|g| g.plan_id.map(|p| format!("({}, {p})", g.gp_id)))
        .collect();
    let Some(first) = preview
        .gps
        .iter()
        .find(|g| g.demands > 0 && g.plan_id.is_some())
    else {
        return Ok((0, 0));
    };
    let month = preview.first_day;
    let run_id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(demand_runs::table)
        .values((
            demand_runs::gp_id.eq(first.gp_id),
            demand_runs::month.eq(month),
            demand_runs::plan_id.eq(first.plan_id.unwrap_or_default()),
            demand_runs::demands.eq(preview.demands as i32),
            demand_runs::total_paise.eq(preview.total_paise),
            demand_runs::created_at.eq(now),
        ))
        .returning(demand_runs::id)
        .get_result(c))?;
    // the GP and plan ids are numbers read from the database, written into the statement
    let insert = sql_for(
        conn,
        &format!(
            "{INSERT_DEMANDS}, ?, ?, r.monthly_paise, ?, ? \
             FROM (VALUES {}) v \
             JOIN households h ON h.gp_id = v.column1 \
             JOIN tariff_rates r ON r.plan_id = v.column2 AND r.category = h.category \
             WHERE h.status = 'active' AND h.connected_on <= ? AND r.monthly_paise > 0",
            pairs.join(", ")
        ),
    );
    let inserted = crate::on_backend!(conn, |c| diesel::sql_query(&insert)
        .bind::<Date, _>(month)
        .bind::<BigInt, _>(run_id)
        .bind::<Date, _>(due_on(month, due_day))
        .bind::<Timestamp, _>(now)
        .bind::<Date, _>(month_end(month))
        .execute(c))?;
    Ok((run_id, inserted))
}

/// Demands for many past months at once, under demand runs already written: the large data
/// sets (`paani demo --scale`) write each GP's runs with the counts and totals they worked out
/// themselves, then the demands of each range of households by one `INSERT … SELECT`. The rule
/// is [`raise`]'s as it stood in each month: a charge above nothing in the run's plan for the
/// household's category, connected by the month's end and not disconnected before the month
/// began; the demand carries its run's time.
pub struct Backfill {
    insert: String,
}

impl Backfill {
    /// The months (first days) to be written: their ends and due dates go into a temporary
    /// table of this connection, until [`Backfill::finish`].
    pub fn start(conn: &mut DbConn, months: &[NaiveDate], due_day: u32) -> AppResult<Backfill> {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(
            "DROP TABLE IF EXISTS demand_backfill_months; \
             CREATE TEMP TABLE demand_backfill_months \
             (month DATE PRIMARY KEY, month_end DATE NOT NULL, due_on DATE NOT NULL)",
        )?;
        let month = sql_for(
            conn,
            "INSERT INTO demand_backfill_months (month, month_end, due_on) VALUES (?, ?, ?)",
        );
        for m in months {
            crate::on_backend!(conn, |c| diesel::sql_query(&month)
                .bind::<Date, _>(*m)
                .bind::<Date, _>(month_end(*m))
                .bind::<Date, _>(due_on(*m, due_day))
                .execute(c))?;
        }
        let insert = format!(
            "{INSERT_DEMANDS}, dr.month, dr.id, r.monthly_paise, m.due_on, dr.created_at \
             FROM households h \
             JOIN demand_runs dr ON dr.gp_id = h.gp_id \
             JOIN demand_backfill_months m ON m.month = dr.month \
             JOIN tariff_rates r ON r.plan_id = dr.plan_id AND r.category = h.category \
             WHERE h.id BETWEEN ? AND ? AND r.monthly_paise > 0 AND h.connected_on <= m.month_end \
             AND (h.disconnected_on IS NULL OR h.disconnected_on > dr.month) \
             ORDER BY h.id, dr.month"
        );
        let insert = match conn.backend() {
            // no statement journal (a copy of every page the statement touches, kept in case
            // it fails half-way): a row the database refuses is left out of the count instead
            Backend::Sqlite => insert.replacen("INSERT INTO", "INSERT OR IGNORE INTO", 1),
            Backend::Postgres => sql_for(conn, &insert),
        };
        Ok(Backfill { insert })
    }

    /// Write the demands of the households with ids `first..=last` for every month with a run
    /// of their GP. Returns the rows written, for the caller to check against what it expects
    /// (on SQLite a refused row shows only there).
    pub fn households(&self, conn: &mut DbConn, first: i64, last: i64) -> AppResult<usize> {
        Ok(crate::on_backend!(conn, |c| diesel::sql_query(
            &self.insert
        )
        .bind::<BigInt, _>(first)
        .bind::<BigInt, _>(last)
        .execute(c))?)
    }

    /// Drop the months' table.
    pub fn finish(self, conn: &mut DbConn) -> AppResult<()> {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("DROP TABLE IF EXISTS demand_backfill_months")?;
        Ok(())
    }
}

/// Take away what [`raise_raw`] wrote (its run and demands leave tombstones: a client may
/// have pulled them in between).
pub fn remove_raw(conn: &mut DbConn, run_id: i64, now: NaiveDateTime) -> AppResult<()> {
    use crate::audit::deletions::{record, Deleted};
    let gone: Vec<(i64, i64)> = demands::table
        .filter(demands::run_id.eq(run_id))
        .select((demands::id, demands::gp_id))
        .load(conn)?;
    record(conn, Deleted::Demand, &gone, now)?;
    let run: Vec<(i64, i64)> = demand_runs::table
        .find(run_id)
        .select((demand_runs::id, demand_runs::gp_id))
        .load(conn)?;
    record(conn, Deleted::DemandRun, &run, now)?;
    crate::on_backend!(conn, |c| {
        diesel::delete(demands::table.filter(demands::run_id.eq(run_id))).execute(c)?;
        diesel::delete(demand_runs::table.find(run_id)).execute(c)
    })?;
    Ok(())
}

/// Cancel a wrong run: its demands go, the run stays with who, when and why. A run any of
/// whose demands a valid payment has (partly) settled cannot be cancelled.
pub fn cancel_run(
    conn: &mut DbConn,
    actor: &Actor,
    run: &Run,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Run> {
    if run.cancelled_at.is_some() {
        return Err(AppError::Conflict("demand-run-cancelled".into()));
    }
    let mut e = FieldErrors::new();
    let reason =
        crate::web::forms::required_text(reason, crate::web::forms::max::REASON, "reason", &mut e);
    e.into_result()?;
    if ledger::paid_for_run(conn, run)? > 0 {
        return Err(AppError::Conflict("demand-run-paid".into()));
    }
    let gone: Vec<(i64, i64)> = demands::table
        .filter(demands::run_id.eq(run.id))
        .select((demands::id, demands::gp_id))
        .load(conn)?;
    crate::audit::deletions::record(conn, crate::audit::deletions::Deleted::Demand, &gone, now)?;
    diesel::delete(demands::table.filter(demands::run_id.eq(run.id))).execute(conn)?;
    diesel::update(demand_runs::table.find(run.id))
        .set((
            demand_runs::cancelled_at.eq(now),
            demand_runs::cancelled_by.eq(actor.user.id),
            demand_runs::cancel_reason.eq(reason),
        ))
        .execute(conn)?;
    find_run(conn, run.id)
}

/// The scheduler's job: each GP's automatic demands on its day ([`raise_automatic`]), and
/// their notices by SMS.
pub fn scheduled_demands(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    let runs = raise_automatic(
        conn,
        day.today,
        config.reminders.demands_due_day,
        config.billing.due_day,
        day.now,
    )?;
    let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
    crate::sms::households::demand_notices(conn, config, day.now, &ids)?;
    Ok(runs.iter().map(|r| r.demands as usize).sum())
}

/// The scheduler's job `sms_overdue`: the month's overdue reminders by SMS
/// ([`crate::sms::households::overdue_reminders`]).
pub fn scheduled_overdue_sms(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    Ok(
        crate::sms::households::overdue_reminders(conn, config, day.today, day.last, day.now)?
            .queued,
    )
}

/// The scheduler's job: late fees everywhere ([`apply_late_fees`]).
pub fn scheduled_late_fees(
    conn: &mut DbConn,
    _config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    apply_late_fees(conn, &Scope::All, day.today, day.now)
}

/// Charge the late fee of each plan that has one on its demands still unpaid more than the
/// plan's number of days after they fell due, once per demand. Returns how many were charged.
pub fn apply_late_fees(
    conn: &mut DbConn,
    scope: &Scope,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    use crate::db::schema::tariff_plans;
    let gps = ledger::gp_ids(conn, scope, None)?;
    let plans: Vec<(i64, i64, Option<i64>, Option<i32>)> = tariff_plans::table
        .filter(tariff_plans::gp_id.eq_any(&gps))
        .filter(tariff_plans::late_fee_paise.gt(0))
        .select((
            tariff_plans::id,
            tariff_plans::gp_id,
            tariff_plans::late_fee_paise,
            tariff_plans::late_fee_after_days,
        ))
        .load(conn)?;
    let mut charged = 0;
    for (plan_id, gp_id, fee, days) in plans {
        let (Some(fee), Some(days)) = (fee, days) else {
            continue;
        };
        let cutoff = today - chrono::Duration::days(days as i64);
        let runs = demand_runs::table
            .filter(demand_runs::plan_id.eq(plan_id))
            .select(demand_runs::id);
        let candidates: Vec<(i64, i64, NaiveDate)> = demands::table
            .filter(demands::run_id.eq_any(runs))
            .filter(demands::due_on.lt(cutoff))
            .filter(demands::late_fee_paise.eq(0))
            .select((demands::id, demands::household_id, demands::month))
            .load(conn)?;
        if candidates.is_empty() {
            continue;
        }
        let unpaid = ledger::unpaid_months(conn, gp_id)?;
        let ids: Vec<i64> = candidates
            .into_iter()
            .filter(|(_, h, m)| unpaid.contains(&(*h, *m)))
            .map(|(id, _, _)| id)
            .collect();
        for chunk in ids.chunks(crate::db::chunk_rows(1)) {
            charged += diesel::update(demands::table.filter(demands::id.eq_any(chunk)))
                .set((demands::late_fee_paise.eq(fee), demands::updated_at.eq(now)))
                .execute(conn)?;
        }
    }
    Ok(charged)
}

/// Turn a GP's automatic demands on or off.
pub fn set_auto(
    conn: &mut DbConn,
    gp_id: i64,
    auto: bool,
    by: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::db::schema::gp_settings;
    let n = diesel::update(gp_settings::table.find(gp_id))
        .set((
            gp_settings::auto_demands.eq(auto),
            gp_settings::updated_by.eq(by),
            gp_settings::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(gp_settings::table)
            .values((
                gp_settings::gp_id.eq(gp_id),
                gp_settings::auto_demands.eq(auto),
                gp_settings::updated_by.eq(by),
                gp_settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The scheduler's job: from `from_day` of the month, raise this month's demands for every GP
/// set to automatic that has no run for the month yet (a cancelled run counts: the
/// secretary cancelled it on purpose). Returns the runs written.
pub fn raise_automatic(
    conn: &mut DbConn,
    today: NaiveDate,
    from_day: u32,
    due_day: u32,
    now: NaiveDateTime,
) -> AppResult<Vec<Run>> {
    use crate::db::schema::gp_settings;
    if today.day() < from_day {
        return Ok(vec![]);
    }
    let month = today.with_day(1).unwrap_or(today);
    let gps: Vec<i64> = gp_settings::table
        .filter(gp_settings::auto_demands.eq(true))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            demand_runs::table
                .filter(demand_runs::gp_id.eq(gp_settings::gp_id))
                .filter(demand_runs::month.eq(month)),
        )))
        .select(gp_settings::gp_id)
        .load(conn)?;
    let mut raised = vec![];
    for gp in gps {
        let scope = Scope::Place {
            level: crate::places::Level::Gp,
            id: gp,
        };
        let p = preview(conn, &scope, month)?;
        if p.demands == 0 {
            continue;
        }
        raised.extend(raise(conn, None, &p, due_day, now, |_| {})?);
    }
    Ok(raised)
}
