//! The review's rows and queries: names of places, schemes and assets by id, schemes in
//! service, the figures (and the cache that keeps them a minute), and a month's register.

use super::super::stats::{self, Figures};
use super::MONTHS;
use crate::auth::Scope;
use crate::breakdowns::Breakdown;
use crate::db::schema::{assets, places, schemes};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::i18n::Lang;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::HashMap;

/// Names of places, schemes and assets by id, loaded in one query each.
#[derive(Default)]
pub struct Names {
    pub places: HashMap<i64, (String, Option<String>)>,
    pub schemes: HashMap<i64, (String, Option<String>)>,
    pub assets: HashMap<i64, (String, Option<String>)>,
}

impl Names {
    pub fn load(
        conn: &mut DbConn,
        place_ids: &[i64],
        scheme_ids: &[i64],
        asset_ids: &[i64],
    ) -> AppResult<Names> {
        let mut n = Names::default();
        for chunk in place_ids.chunks(500) {
            let rows: Vec<(i64, String, Option<String>)> = places::table
                .filter(places::id.eq_any(chunk))
                .select((places::id, places::name, places::name_hi))
                .load(conn)?;
            n.places
                .extend(rows.into_iter().map(|(id, a, b)| (id, (a, b))));
        }
        for chunk in scheme_ids.chunks(500) {
            let rows: Vec<(i64, String, Option<String>)> = schemes::table
                .filter(schemes::id.eq_any(chunk))
                .select((schemes::id, schemes::name, schemes::name_hi))
                .load(conn)?;
            n.schemes
                .extend(rows.into_iter().map(|(id, a, b)| (id, (a, b))));
        }
        for chunk in asset_ids.chunks(500) {
            let rows: Vec<(i64, String, Option<String>)> = assets::table
                .filter(assets::id.eq_any(chunk))
                .select((assets::id, assets::name, assets::name_hi))
                .load(conn)?;
            n.assets
                .extend(rows.into_iter().map(|(id, a, b)| (id, (a, b))));
        }
        Ok(n)
    }

    fn pick(m: &HashMap<i64, (String, Option<String>)>, id: i64, lang: Lang) -> String {
        match m.get(&id) {
            Some((en, hi)) => crate::web::i18n::name_in(lang, en, hi.as_deref()).to_string(),
            None => id.to_string(),
        }
    }

    pub fn place(&self, id: i64, lang: Lang) -> String {
        Self::pick(&self.places, id, lang)
    }

    pub fn scheme(&self, id: i64, lang: Lang) -> String {
        Self::pick(&self.schemes, id, lang)
    }

    pub fn asset(&self, id: i64, lang: Lang) -> String {
        Self::pick(&self.assets, id, lang)
    }
}

/// Schemes in service within the scope (and the GP / scheme filter): uptime's denominator.
pub fn schemes_in_service(
    conn: &mut DbConn,
    scope: &Scope,
    gp: Option<i64>,
    scheme: Option<i64>,
) -> AppResult<usize> {
    let mut q = schemes::table
        .into_boxed()
        .filter(crate::in_scope!(scope, schemes::table, schemes::gp_id))
        .filter(schemes::status.ne("decommissioned"));
    if let Some(g) = gp {
        q = q.filter(schemes::gp_id.eq(g));
    }
    if let Some(s) = scheme {
        q = q.filter(schemes::id.eq(s));
    }
    let n: i64 = q.count().get_result(conn)?;
    Ok(n as usize)
}

/// Figures cost a pass over every breakdown of a block (tens of thousands) and change only
/// when a breakdown does, or as time passes: they are kept until the clock's minute turns or
/// this server changes a breakdown ([`FiguresCache::changed`]). A change made by another
/// process (`paani breakdowns escalate`) shows within the minute.
#[derive(Default)]
pub struct FiguresCache {
    version: std::sync::atomic::AtomicU64,
    entries: std::sync::Mutex<HashMap<String, std::sync::Arc<Figures>>>,
}

impl FiguresCache {
    /// Say that breakdowns changed: every kept figure is dropped.
    pub fn changed(&self) {
        self.version
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The figures for `key` at this minute, computed by `compute` when not kept.
    pub fn get_or(
        &self,
        key: String,
        now: NaiveDateTime,
        compute: impl FnOnce() -> AppResult<Figures>,
    ) -> AppResult<std::sync::Arc<Figures>> {
        let stamp = format!(
            "{}|{}|",
            self.version.load(std::sync::atomic::Ordering::SeqCst),
            now.format("%Y%m%d%H%M")
        );
        let key = stamp.clone() + &key;
        if let Some(f) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(f);
        }
        let f = std::sync::Arc::new(compute()?);
        if let Ok(mut m) = self.entries.lock() {
            m.retain(|k, _| k.starts_with(&stamp));
            if m.len() < 1000 {
                m.insert(key, f.clone());
            }
        }
        Ok(f)
    }
}

/// The figures for the 12 months ending with `last`.
pub fn figures(
    conn: &mut DbConn,
    scope: &Scope,
    f: &stats::FactFilter,
    last: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Figures> {
    let months = stats::months_ending(last, MONTHS);
    let (from, _) = stats::month_bounds(months[0], now);
    let (_, to) = stats::month_bounds(last, now);
    // repeat failures look at the last 90 days, whatever the months shown
    let from = from.min(now - chrono::Duration::days(stats::REPEAT_DAYS));
    let to = to.max(now);
    let facts = stats::load_facts(conn, scope, f, from, to)?;
    let count = schemes_in_service(conn, scope, f.gp, f.scheme)?;
    Ok(stats::figures(&facts, &months, count, now))
}

/// Breakdowns reported in a month, in the order they came.
pub fn register_rows(
    conn: &mut DbConn,
    scope: &Scope,
    gp: Option<i64>,
    month: NaiveDate,
) -> AppResult<Vec<Breakdown>> {
    use crate::db::schema::breakdowns;
    let from = crate::web::i18n::india_midnight_utc(month);
    let to = crate::web::i18n::india_midnight_utc(stats::next_month(month));
    let mut q = breakdowns::table
        .into_boxed()
        .filter(crate::in_scope!(
            scope,
            breakdowns::table,
            breakdowns::gp_id
        ))
        .filter(breakdowns::created_at.ge(from))
        .filter(breakdowns::created_at.lt(to));
    if let Some(g) = gp {
        q = q.filter(breakdowns::gp_id.eq(g));
    }
    Ok(q.order((breakdowns::gp_id.asc(), breakdowns::id.asc()))
        .limit(20_000)
        .select(Breakdown::as_select())
        .load(conn)?)
}
