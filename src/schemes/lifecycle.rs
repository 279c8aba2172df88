//! What reaches the end of its life soon: assets past or near their expected life, and schemes
//! near the end of their design period, for a GP or any place above it, with an indicative
//! replacement budget.

use super::assets::{Asset, AssetStatus};
use super::{Scheme, SchemeStatus};
use crate::auth::Scope;
use crate::db::schema::{assets, schemes};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::places::{Level, Place};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

/// The windows offered on the page, in months.
pub const WINDOWS: [i64; 3] = [12, 24, 60];

#[derive(Debug, Clone, Serialize)]
pub struct LifecycleReport {
    pub until: NaiveDate,
    pub assets: Vec<(Asset, Scheme)>,
    pub schemes: Vec<Scheme>,
    /// Sum of the replacement costs entered, in paise.
    pub budget_paise: i64,
    /// Assets due whose replacement cost nobody has entered yet.
    pub without_cost: usize,
}

/// `months` after `today` (the end of a window).
pub fn window_end(today: NaiveDate, months: i64) -> NaiveDate {
    today
        .checked_add_months(chrono::Months::new(months.clamp(0, 1200) as u32))
        .unwrap_or(today)
}

/// What reaches the end of its life under `place` in the next `months`, optionally of one
/// scheme only.
pub fn report(
    conn: &mut DbConn,
    place: &Place,
    today: NaiveDate,
    months: i64,
    scheme: Option<i64>,
) -> AppResult<LifecycleReport> {
    report_until(conn, place, window_end(today, months), scheme)
}

/// The indicative replacement budget of these assets: the costs entered (paise), and how
/// many have none.
pub fn budget_of<'a>(assets: impl IntoIterator<Item = &'a Asset>) -> (i64, usize) {
    let (mut paise, mut without) = (0, 0);
    for a in assets {
        match a.replacement_cost_paise {
            Some(p) => paise += p,
            None => without += 1,
        }
    }
    (paise, without)
}

/// [`report`] up to a day.
pub fn report_until(
    conn: &mut DbConn,
    place: &Place,
    until: NaiveDate,
    scheme: Option<i64>,
) -> AppResult<LifecycleReport> {
    // Everything under the place is the place's scope.
    let under = match place.level() {
        Level::Village => Scope::Place {
            level: Level::Gp,
            id: place.gp_id.unwrap_or(-1),
        },
        level => Scope::Place {
            level,
            id: place.id,
        },
    };
    let mut q = assets::table
        .into_boxed()
        .filter(crate::in_scope!(&under, assets::table, assets::gp_id))
        .filter(assets::status.ne_all(AssetStatus::ENDED.map(AssetStatus::as_str)))
        .filter(assets::end_of_life_on.le(until));
    if let Some(s) = scheme {
        q = q.filter(assets::scheme_id.eq(s));
    }
    let due_assets: Vec<Asset> = q
        .order((assets::end_of_life_on.asc(), assets::id.asc()))
        .select(Asset::as_select())
        .load(conn)?;
    let scheme_ids: Vec<i64> = due_assets.iter().map(|a| a.scheme_id).collect();
    let their_schemes: Vec<Scheme> = schemes::table
        .filter(schemes::id.eq_any(scheme_ids))
        .select(Scheme::as_select())
        .load(conn)?;
    let due: Vec<(Asset, Scheme)> = due_assets
        .into_iter()
        .filter_map(|a| {
            let s = their_schemes.iter().find(|s| s.id == a.scheme_id)?.clone();
            Some((a, s))
        })
        .collect();
    let mut q = schemes::table
        .into_boxed()
        .filter(crate::in_scope!(&under, schemes::table, schemes::gp_id))
        .filter(schemes::status.ne(SchemeStatus::Decommissioned.as_str()))
        .filter(schemes::design_end_on.le(until));
    if let Some(s) = scheme {
        q = q.filter(schemes::id.eq(s));
    }
    let schemes_due: Vec<Scheme> = q
        .order(schemes::design_end_on.asc())
        .select(Scheme::as_select())
        .load(conn)?;
    let (budget_paise, without_cost) = budget_of(due.iter().map(|(a, _)| a));
    Ok(LifecycleReport {
        until,
        assets: due,
        schemes: schemes_due,
        budget_paise,
        without_cost,
    })
}
