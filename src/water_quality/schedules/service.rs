//! Keeping the schedule's plans in step with the configuration and the sampling points:
//! daily (job `water_schedule`, before `maintenance_generate` makes their tasks), and on
//! demand for the GPs in a scope (the schedule page's button), with the tasks generated at
//! once.

use super::model;
use crate::auth::Scope;
use crate::config::Config;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::maintenance::templates::Library;
use chrono::{Duration, NaiveDate, NaiveDateTime};

fn library(config: &Config) -> AppResult<Library> {
    Library::load(&config.maintenance.templates_file).map_err(AppError::Config)
}

/// The daily job: every GP with sampling points.
pub fn scheduled_sync(
    conn: &mut DbConn,
    config: &Config,
    day: &crate::jobs::JobDay,
) -> AppResult<usize> {
    let lib = library(config)?;
    let mut changed = 0;
    for gp in model::gps_with_points(conn, &Scope::All)? {
        changed += crate::db::write_transaction(conn, |c| {
            model::sync_gp(
                c,
                &lib,
                &config.water_quality.schedule,
                gp,
                day.today,
                day.now,
            )
        })?;
    }
    Ok(changed)
}

/// Bring the plans of every GP in `scope` in step and generate their tasks over the
/// maintenance horizon. Returns (plans made or changed, tasks made).
pub fn raise(
    conn: &mut DbConn,
    config: &Config,
    scope: &Scope,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(usize, usize)> {
    let lib = library(config)?;
    let until = today + Duration::days(config.maintenance.horizon_days);
    let (mut plans, mut tasks) = (0, 0);
    for gp in model::gps_with_points(conn, scope)? {
        let (p, t) = crate::db::write_transaction(conn, |c| -> AppResult<(usize, usize)> {
            let p = model::sync_gp(c, &lib, &config.water_quality.schedule, gp, today, now)?;
            let (_, t) = crate::maintenance::generate(c, Some(gp), today, until, now, |_| {})?;
            Ok((p, t))
        })?;
        plans += p;
        tasks += t;
    }
    Ok((plans, tasks))
}
