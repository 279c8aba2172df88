//! A place's water-quality figures in the reader's scope: each GP under it and their sum.

use super::model::by_gp;
use super::{season_of, WaterQualityFigures};
use crate::auth::Scope;
use crate::dashboards::model::{find_place, gps_under, GpPlace};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::NaiveDate;
use serde::Serialize;

/// One GP's line.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = WaterQualityGpFigures)]
pub struct GpLine {
    pub gp_id: i64,
    pub lgd_code: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub figures: WaterQualityFigures,
}

/// A place's figures: the GPs under it (a GP: itself) and their total.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = WaterQualityPlaceFigures)]
pub struct PlaceFigures {
    /// The place asked for; none: everything in the reader's scope.
    pub place_id: Option<i64>,
    /// gp, block, district, state, or `scope` when no place was named.
    pub level: String,
    pub name: Option<String>,
    pub name_hi: Option<String>,
    pub season_from: NaiveDate,
    pub season_to: NaiveDate,
    pub total: WaterQualityFigures,
    pub gps: Vec<GpLine>,
}

/// The GPs under `place` (inside the scope; `NotFound` outside it, or for a village).
pub fn gps_of(c: &mut DbConn, scope: &Scope, place: Option<i64>) -> AppResult<Vec<GpPlace>> {
    let p = find_place(c, scope, place)?;
    gps_under(c, scope, p.as_ref())
}

/// The figures of `place` (or the whole scope) for the season `today` falls in
/// (`grace_days`: maintenance's, for overdue tests).
pub fn place_figures(
    c: &mut DbConn,
    scope: &Scope,
    place: Option<i64>,
    today: NaiveDate,
    grace_days: i64,
) -> AppResult<PlaceFigures> {
    let p = find_place(c, scope, place)?;
    let gps = gps_under(c, scope, p.as_ref())?;
    let (from, to) = season_of(today);
    let ids: Vec<i64> = gps.iter().map(|g| g.id).collect();
    let mut figures = by_gp(c, &ids, from, to, today, grace_days)?;
    let mut total = WaterQualityFigures {
        season_from: Some(from),
        season_to: Some(to),
        ..WaterQualityFigures::zero()
    };
    let lines: Vec<GpLine> = gps
        .into_iter()
        .map(|g| {
            let f = figures.remove(&g.id).unwrap_or_default();
            total.add(&f);
            GpLine {
                gp_id: g.id,
                lgd_code: g.lgd_code,
                name: g.name,
                name_hi: g.name_hi,
                figures: f,
            }
        })
        .collect();
    if lines.len() == 1 {
        // one GP: its own figures, the later ones included
        total = lines[0].figures.clone();
    }
    Ok(PlaceFigures {
        place_id: p.as_ref().map(|p| p.id),
        level: p.as_ref().map_or("scope".to_string(), |p| p.level.clone()),
        name: p.as_ref().map(|p| p.name.clone()),
        name_hi: p.and_then(|p| p.name_hi),
        season_from: from,
        season_to: to,
        total,
        gps: lines,
    })
}
