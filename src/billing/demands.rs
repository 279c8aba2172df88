//! Monthly demands: one per active, paying household connected by the month's end, at the
//! plan's rate for its category, raised per GP in one set-based `INSERT … SELECT` inside one
//! transaction. Raising again adds only what is missing; a wrong run can be cancelled.

use super::tariffs;
use crate::auth::{Actor, Scope};
use crate::db::schema::{demand_runs, demands, places};
use crate::db::{sql_for, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = demands)]
pub struct Demand {
    pub id: i64,
    pub gp_id: i64,
    pub household_id: i64,
    /// The month's first day.
    pub month: NaiveDate,
    pub run_id: i64,
    pub amount_paise: i64,
    pub due_on: NaiveDate,
    pub created_at: NaiveDateTime,
    /// Added by the plan's late-fee rule when the demand stayed unpaid.
    pub late_fee_paise: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = demand_runs)]
pub struct Run {
    pub id: i64,
    pub gp_id: i64,
    pub month: NaiveDate,
    pub plan_id: i64,
    pub demands: i32,
    pub total_paise: i64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancel_reason: Option<String>,
}

/// What raising would do in one GP.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GpPreview {
    pub gp_id: i64,
    pub gp_name: String,
    /// The plan in force, if the GP has one.
    pub plan_id: Option<i64>,
    /// New demands and their total.
    pub demands: i64,
    pub total_paise: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// YYYY-MM.
    pub month: String,
    /// The month's first day.
    #[serde(skip)]
    pub first_day: NaiveDate,
    pub gps: Vec<GpPreview>,
    pub demands: i64,
    pub total_paise: i64,
}

/// The due date of a month's demands: `due_day`, or the month's last day in a short month.
pub fn due_on(month: NaiveDate, due_day: u32) -> NaiveDate {
    let last = month
        .checked_add_months(chrono::Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(month);
    month.with_day(due_day.min(last.day())).unwrap_or(last)
}

fn month_end(month: NaiveDate) -> NaiveDate {
    due_on(month, 31)
}

/// The households a run would bill (the part shared by the preview and the insert).
const BILLABLE: &str = "FROM households h \
     JOIN tariff_rates r ON r.plan_id = ? AND r.category = h.category \
     WHERE h.gp_id = ? AND h.status = 'active' AND h.connected_on <= ? AND r.monthly_paise > 0 \
     AND NOT EXISTS (SELECT 1 FROM demands d WHERE d.household_id = h.id AND d.month = ?)";

#[derive(QueryableByName)]
struct CountSum {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    total: Option<i64>,
}

fn count_billable(
    conn: &mut DbConn,
    plan_id: i64,
    gp_id: i64,
    month: NaiveDate,
) -> AppResult<(i64, i64)> {
    let sql = sql_for(
        conn,
        &format!("SELECT COUNT(*) AS n, CAST(SUM(r.monthly_paise) AS BIGINT) AS total {BILLABLE}"),
    );
    let end = month_end(month);
    let row: CountSum = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<BigInt, _>(plan_id)
        .bind::<BigInt, _>(gp_id)
        .bind::<Date, _>(end)
        .bind::<Date, _>(month)
        .get_result(c))?;
    Ok((row.n, row.total.unwrap_or(0)))
}

/// The GPs a raise covers: every GP in the scope (a secretary's own; a block or district for
/// an administrator or officer), optionally narrowed to one place.
fn gps(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<(i64, String)>> {
    Ok(scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq("gp"))
        .filter(places::active.eq(true))
        .order(places::lgd_code.asc())
        .select((places::id, places::name))
        .load(conn)?)
}

/// What raising demands for `month` would create, per GP.
pub fn preview(conn: &mut DbConn, scope: &Scope, month: NaiveDate) -> AppResult<Preview> {
    let mut out = vec![];
    for (gp_id, gp_name) in gps(conn, scope)? {
        let plan = tariffs::in_force(conn, gp_id, month)?;
        let (n, total) = match &plan {
            Some(p) => count_billable(conn, p.id, gp_id, month)?,
            None => (0, 0),
        };
        out.push(GpPreview {
            gp_id,
            gp_name,
            plan_id: plan.map(|p| p.id),
            demands: n,
            total_paise: total,
        });
    }
    Ok(Preview {
        month: month.format("%Y-%m").to_string(),
        first_day: month,
        demands: out.iter().map(|g| g.demands).sum(),
        total_paise: out.iter().map(|g| g.total_paise).sum(),
        gps: out,
    })
}

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
    let due = due_on(month, due_day);
    let end = month_end(month);
    let insert = sql_for(
        conn,
        &format!(
            "INSERT INTO demands (gp_id, household_id, month, run_id, amount_paise, due_on, created_at) \
             SELECT h.gp_id, h.id, ?, ?, r.monthly_paise, ?, ? {BILLABLE}"
        ),
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
            "INSERT INTO demands (gp_id, household_id, month, run_id, amount_paise, due_on, created_at) \
             SELECT h.gp_id, h.id, ?, ?, r.monthly_paise, ?, ? \
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

/// Take away what [`raise_raw`] wrote.
pub fn remove_raw(conn: &mut DbConn, run_id: i64) -> AppResult<()> {
    crate::on_backend!(conn, |c| {
        diesel::delete(demands::table.filter(demands::run_id.eq(run_id))).execute(c)?;
        diesel::delete(demand_runs::table.find(run_id)).execute(c)
    })?;
    Ok(())
}

pub fn find_run(conn: &mut DbConn, id: i64) -> AppResult<Run> {
    demand_runs::table
        .find(id)
        .select(Run::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_run_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Run> {
    demand_runs::table
        .filter(demand_runs::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            demand_runs::table,
            demand_runs::gp_id
        ))
        .select(Run::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
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
    let reason = crate::web::forms::required_text(reason, 500, "reason", &mut e);
    e.into_result()?;
    if super::ledger::settled_in_run(conn, run.gp_id, run.id)? > 0 {
        return Err(AppError::Conflict("demand-run-paid".into()));
    }
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

/// Runs in scope, newest first.
pub fn runs(conn: &mut DbConn, scope: &Scope, limit: i64) -> AppResult<Vec<Run>> {
    runs_from(conn, scope, 0, limit)
}

/// Runs in scope, newest first: `limit` from `offset` (the export pages through all of them).
pub fn runs_from(conn: &mut DbConn, scope: &Scope, offset: i64, limit: i64) -> AppResult<Vec<Run>> {
    Ok(demand_runs::table
        .filter(crate::in_scope!(
            scope,
            demand_runs::table,
            demand_runs::gp_id
        ))
        .order(demand_runs::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Run::as_select())
        .load(conn)?)
}

/// Charge the late fee of each plan that has one on its demands still unpaid more than the
/// plan's number of days after they fell due, once per demand. Returns how many were charged.
/// The scheduler's job: each GP's automatic demands on its day ([`raise_automatic`]).
pub fn scheduled_demands(
    conn: &mut DbConn,
    config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    raise_automatic(
        conn,
        day.today,
        config.reminders.demands_due_day,
        config.billing.due_day,
        day.now,
    )
}

/// The scheduler's job: late fees everywhere ([`apply_late_fees`]).
pub fn scheduled_late_fees(
    conn: &mut DbConn,
    _config: &crate::config::Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    apply_late_fees(conn, &Scope::All, day.today)
}

pub fn apply_late_fees(conn: &mut DbConn, scope: &Scope, today: NaiveDate) -> AppResult<usize> {
    use crate::db::schema::tariff_plans;
    let gps = super::ledger::gp_ids(conn, scope, None)?;
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
        let unpaid = super::ledger::unpaid_months(conn, gp_id)?;
        let ids: Vec<i64> = candidates
            .into_iter()
            .filter(|(_, h, m)| unpaid.contains(&(*h, *m)))
            .map(|(id, _, _)| id)
            .collect();
        for chunk in ids.chunks(crate::db::chunk_rows(1)) {
            charged += diesel::update(demands::table.filter(demands::id.eq_any(chunk)))
                .set(demands::late_fee_paise.eq(fee))
                .execute(conn)?;
        }
    }
    Ok(charged)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct DemandFilter {
    /// YYYY-MM.
    #[serde(default)]
    pub month: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub household: Option<i64>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &DemandFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Demand>, i64)> {
    let month = f.month.as_deref().and_then(crate::web::forms::parse_month);
    let build = || {
        let mut q = demands::table.into_boxed().filter(crate::in_scope!(
            scope,
            demands::table,
            demands::gp_id
        ));
        if let Some(m) = month {
            q = q.filter(demands::month.eq(m));
        }
        if let Some(h) = f.household {
            q = q.filter(demands::household_id.eq(h));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .order((demands::month.desc(), demands::household_id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(Demand::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// GPs (ids) whose demands the scheduler raises by itself.
pub fn auto_gps(conn: &mut DbConn, gp_ids: &[i64]) -> AppResult<Vec<i64>> {
    use crate::db::schema::gp_settings;
    Ok(gp_settings::table
        .filter(gp_settings::gp_id.eq_any(gp_ids))
        .filter(gp_settings::auto_demands.eq(true))
        .select(gp_settings::gp_id)
        .load(conn)?)
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
/// secretary cancelled it on purpose). Returns the demands raised.
pub fn raise_automatic(
    conn: &mut DbConn,
    today: NaiveDate,
    from_day: u32,
    due_day: u32,
    now: NaiveDateTime,
) -> AppResult<usize> {
    use crate::db::schema::gp_settings;
    if today.day() < from_day {
        return Ok(0);
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
    let mut raised = 0;
    for gp in gps {
        let scope = Scope::Place {
            level: crate::places::Level::Gp,
            id: gp,
        };
        let p = preview(conn, &scope, month)?;
        if p.demands == 0 {
            continue;
        }
        raised += raise(conn, None, &p, due_day, now, |_| {})?
            .iter()
            .map(|r| r.demands as usize)
            .sum::<usize>();
    }
    Ok(raised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_fit_the_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(due_on(d(2026, 2, 1), 15), d(2026, 2, 15));
        assert_eq!(due_on(d(2026, 2, 1), 30), d(2026, 2, 28));
        assert_eq!(due_on(d(2028, 2, 1), 31), d(2028, 2, 29));
        assert_eq!(month_end(d(2026, 4, 1)), d(2026, 4, 30));
    }
}
