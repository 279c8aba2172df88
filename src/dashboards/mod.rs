//! Dashboards: each GP's figures across the areas (schemes, maintenance, breakdowns, money,
//! meetings), drawn from the same functions as the detail pages they link to, kept per GP in
//! `gp_figures` and recomputed only when something in the GP changed (database triggers count
//! every write) or they grew older than `dashboards.max_age_seconds`. A block, district or
//! state dashboard adds up its GPs' kept figures; nothing is aggregated over raw rows at
//! request time.

pub mod charts;
pub mod http;
pub mod report;

use crate::auth::Scope;
use crate::breakdowns::stats::{self, Window};
use crate::config::Config;
use crate::db::schema::{committees, gp_figures, maintenance_tasks, places, schemes};
use crate::db::{sql_for, DbConn};
use crate::error::AppResult;
use crate::maintenance::Compliance;
use crate::places::Level;
use crate::web::i18n::today_in_india;
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many months the charts show.
pub const MONTHS: u32 = 12;

/// Schemes by status (decommissioned ones are not counted).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SchemeCounts {
    pub total: i64,
    pub functional: i64,
    pub partially_functional: i64,
    pub non_functional: i64,
    pub under_repair: i64,
}

impl SchemeCounts {
    fn add(&mut self, o: &SchemeCounts) {
        self.total += o.total;
        self.functional += o.functional;
        self.partially_functional += o.partially_functional;
        self.non_functional += o.non_functional;
        self.under_repair += o.under_repair;
    }
}

/// A sum and a part of it, with the part's share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Share {
    pub part: i64,
    pub whole: i64,
    /// Percent, one decimal; none when the whole is zero.
    pub percent: Option<f64>,
}

impl Share {
    pub fn new(part: i64, whole: i64) -> Share {
        Share {
            part,
            whole,
            percent: crate::billing::ledger::percent(part, whole),
        }
    }

    fn sum<'a>(items: impl Iterator<Item = &'a Share>) -> Share {
        let (p, w) = items.fold((0, 0), |(p, w), s| (p + s.part, w + s.whole));
        Share::new(p, w)
    }
}

/// One month of a GP's history, for the charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthPoint {
    /// YYYY-MM.
    pub month: String,
    pub demand_paise: i64,
    /// Collected of that month's demands (payments pay the oldest demands first).
    pub collected_paise: i64,
    pub breakdowns_reported: i64,
    pub breakdowns_resolved: i64,
    /// Median repair hours of those resolved in the month.
    pub repair_median_hours: Option<f64>,
    /// Tasks whose deadline fell in the month, and those done on time.
    pub tasks_due: i64,
    pub tasks_on_time: i64,
}

/// One scheme's uptime over the last 90 days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SchemeUptime {
    pub scheme_id: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub uptime_percent: f64,
}

/// Everything a GP's dashboard and its row on a block dashboard show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GpFigures {
    pub gp_id: i64,
    /// When these figures were computed (UTC), and the Indian day they are for.
    pub computed_at: NaiveDateTime,
    pub today: NaiveDate,
    pub schemes: SchemeCounts,
    /// Open maintenance tasks due now (within their grace) and past it.
    pub tasks_due: i64,
    pub tasks_overdue: i64,
    /// Done on time over due: this month so far, and the last 3 months (as on the compliance page).
    pub compliance_month: Compliance,
    pub compliance_3m: Compliance,
    pub breakdowns_open: i64,
    /// Open and past the resolve deadline (SLA breached).
    pub breakdowns_overdue: i64,
    pub breakdowns_escalated: i64,
    /// Repair time and uptime over the last 90 days.
    pub last_90_days: Window,
    /// This month's demand and what has been collected of it.
    pub collection_month: Share,
    /// The last 3 months' demands (this one included) and what has been collected of them.
    pub collection_3m: Share,
    /// User charges collected over O&M expenses in the 12 months to this one.
    pub cost_recovery: Share,
    /// The O&M fund's balance at the end of this month so far (the cash book's closing).
    pub fund_balance_paise: i64,
    /// Unpaid paise by age (buckets of `billing::ledger::AGE_BUCKETS`).
    pub arrears: Vec<i64>,
    pub last_meeting_on: Option<NaiveDate>,
    pub months_since_meeting: Option<i64>,
    /// held, due, missed or never (as on the regularity page).
    pub meeting_state: String,
    pub next_meeting_on: Option<NaiveDate>,
    pub actions_open: i64,
    pub actions_overdue: i64,
    /// The GP committee's composition meets every rule that can be judged; none without one.
    pub composition_ok: Option<bool>,
    pub months: Vec<MonthPoint>,
    pub uptime_by_scheme: Vec<SchemeUptime>,
    /// Higher needs attention sooner; see [`attention_score`].
    pub score: i64,
}

/// The "needs attention" score (0–175), documented in the README:
/// schemes not working 40 × (non-functional + under repair + ½ partly) / schemes;
/// 10 per escalated breakdown (up to 3) and 5 per SLA-breached one (up to 4);
/// maintenance compliance (3 months) below 100%: (100 − %) / 5;
/// collection (3 months) below 100%: (100 − %) / 5;
/// 10 when no meeting for 2 calendar months or more (or never); 5 when the committee's
/// composition fails a rule, or there is no committee.
pub fn attention_score(f: &GpFigures) -> i64 {
    let s = &f.schemes;
    let schemes = if s.total > 0 {
        (40 * (2 * (s.non_functional + s.under_repair) + s.partially_functional)) / (2 * s.total)
    } else {
        0
    };
    let breakdowns = 10 * f.breakdowns_escalated.min(3) + 5 * f.breakdowns_overdue.min(4);
    let short = |p: Option<f64>| p.map(|p| ((100.0 - p).max(0.0) / 5.0) as i64).unwrap_or(0);
    let compliance = short(f.compliance_3m.percent.map(|p| p as f64));
    let collection = short(f.collection_3m.percent);
    let meetings = if f.months_since_meeting.is_none_or(|m| m >= 2) {
        10
    } else {
        0
    };
    let committee = if f.composition_ok == Some(true) { 0 } else { 5 };
    schemes + breakdowns + compliance + collection + meetings + committee
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Compute one GP's figures now, from the areas' own functions.
pub fn compute(
    conn: &mut DbConn,
    config: &Config,
    gp_id: i64,
    now: NaiveDateTime,
) -> AppResult<GpFigures> {
    let today = today_in_india(now);
    let month = month_start(today);
    let scope = Scope::Place {
        level: Level::Gp,
        id: gp_id,
    };
    let grace = config.maintenance.grace_days;

    let mut schemes_by = SchemeCounts::default();
    let rows: Vec<(String, i64)> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .filter(schemes::status.ne("decommissioned"))
        .group_by(schemes::status)
        .select((schemes::status, diesel::dsl::count_star()))
        .load(conn)?;
    for (status, n) in rows {
        schemes_by.total += n;
        match status.as_str() {
            "functional" => schemes_by.functional += n,
            "partially_functional" => schemes_by.partially_functional += n,
            "non_functional" => schemes_by.non_functional += n,
            "under_repair" => schemes_by.under_repair += n,
            _ => {}
        }
    }

    // open tasks already due: overdue once past the deadline and its grace days
    let open: Vec<NaiveDate> = maintenance_tasks::table
        .filter(maintenance_tasks::gp_id.eq(gp_id))
        .filter(maintenance_tasks::state.ne_all(["done", "skipped", "cancelled"]))
        .filter(maintenance_tasks::due_on.le(today))
        .select(maintenance_tasks::deadline_on)
        .load(conn)?;
    let tasks_overdue = open
        .iter()
        .filter(|d| today > **d + Duration::days(grace))
        .count() as i64;
    let tasks_due = open.len() as i64 - tasks_overdue;
    // the tasks of the twelve months shown (and of the last three), read once
    use crate::maintenance::Compliance;
    let first = month
        .checked_sub_months(Months::new(MONTHS - 1))
        .unwrap_or(month);
    let three_months_ago = today.checked_sub_months(Months::new(3)).unwrap_or(today);
    let tasks = crate::maintenance::compliance_tasks(
        conn,
        &scope,
        None,
        first.min(three_months_ago),
        today,
    )?;
    let compliance_month = Compliance::of(&tasks, month, today, grace);
    let compliance_3m = Compliance::of(&tasks, three_months_ago, today, grace);

    let ff = stats::FactFilter {
        gp: Some(gp_id),
        ..Default::default()
    };
    let figs = crate::breakdowns::review::figures(conn, &scope, &ff, month, now)?;
    let counts = figs.by_gp.iter().find(|g| g.gp_id == gp_id);

    // what each month demanded and what of it is unpaid, read once for collection and ageing
    let end = crate::billing::demands::due_on(month, 31);
    let unpaid = crate::billing::ledger::unpaid_by_month(conn, &[gp_id], end)?;
    let eff = crate::billing::ledger::efficiency_of(&unpaid, first, month);
    let last3: Vec<_> = eff.iter().rev().take(3).collect();
    let collection_3m = Share::new(
        last3.iter().map(|e| e.collected_paise).sum(),
        last3.iter().map(|e| e.demand_paise).sum(),
    );
    let collection_month = eff
        .last()
        .map(|e| Share::new(e.collected_paise, e.demand_paise))
        .unwrap_or_default();
    let recovery = crate::billing::cashbook::cost_recovery(conn, gp_id, month)?;
    let statement = crate::billing::cashbook::statement(conn, gp_id, month)?;

    let regularity =
        crate::committees::meetings::model::regularity(conn, &scope, Some(gp_id), today)?;
    let reg = regularity.first();
    let (actions_open, actions_overdue) =
        crate::committees::actions::model::open_counts(conn, gp_id, today)?;
    let committee: Option<crate::committees::Committee> = committees::table
        .filter(committees::gp_id.eq(gp_id))
        .filter(committees::village_id.is_null())
        .order(committees::id.asc())
        .select(crate::committees::Committee::as_select())
        .first(conn)
        .optional()?;
    let composition_ok = match committee {
        Some(c) => {
            Some(crate::committees::model::view(conn, &config.committees, c, today)?.composition_ok)
        }
        None => None,
    };

    let mut months = vec![];
    for (i, m) in stats::months_ending(month, MONTHS).into_iter().enumerate() {
        let end = m
            .checked_add_months(Months::new(1))
            .map(|n| n - Duration::days(1))
            .unwrap_or(m)
            .min(today);
        let c = Compliance::of(&tasks, m, end, grace);
        let b = figs.by_month.get(i);
        let e = eff.get(i);
        months.push(MonthPoint {
            month: m.format("%Y-%m").to_string(),
            demand_paise: e.map(|e| e.demand_paise).unwrap_or(0),
            collected_paise: e.map(|e| e.collected_paise).unwrap_or(0),
            breakdowns_reported: b.map(|b| b.reported as i64).unwrap_or(0),
            breakdowns_resolved: b.map(|b| b.repair.count as i64).unwrap_or(0),
            repair_median_hours: b.and_then(|b| b.repair.median_hours),
            tasks_due: c.due,
            tasks_on_time: c.on_time,
        });
    }

    let from = now - Duration::days(stats::REPEAT_DAYS);
    let facts = stats::load_facts(conn, &scope, &ff, from, now)?;
    let in_service: Vec<(i64, String, Option<String>)> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .filter(schemes::status.ne("decommissioned"))
        .order(schemes::code.asc())
        .select((schemes::id, schemes::name, schemes::name_hi))
        .load(conn)?;
    let uptime_by_scheme = in_service
        .into_iter()
        .map(|(id, name, name_hi)| {
            let own: Vec<_> = facts
                .iter()
                .filter(|f| f.scheme_id == id)
                .cloned()
                .collect();
            let w = stats::window(
                &own,
                stats::secs(from),
                stats::secs(now),
                1,
                stats::secs(now),
            );
            SchemeUptime {
                scheme_id: id,
                name,
                name_hi,
                uptime_percent: w.uptime_percent,
            }
        })
        .collect();

    let mut f = GpFigures {
        gp_id,
        computed_at: now,
        today,
        schemes: schemes_by,
        tasks_due,
        tasks_overdue,
        compliance_month,
        compliance_3m,
        breakdowns_open: counts.map(|c| c.open as i64).unwrap_or(0),
        breakdowns_overdue: counts.map(|c| c.overdue as i64).unwrap_or(0),
        breakdowns_escalated: counts.map(|c| c.escalated as i64).unwrap_or(0),
        last_90_days: figs.last_90_days.clone(),
        collection_month,
        collection_3m,
        cost_recovery: Share::new(recovery.user_charges_paise, recovery.om_expense_paise),
        fund_balance_paise: statement.closing_paise,
        arrears: crate::billing::ledger::ageing_totals(&unpaid, month),
        last_meeting_on: reg.and_then(|r| r.last_held_on),
        months_since_meeting: reg.and_then(|r| r.months_since),
        meeting_state: reg
            .map(|r| r.state.clone())
            .unwrap_or_else(|| "never".into()),
        next_meeting_on: reg.and_then(|r| r.next_planned_on),
        actions_open,
        actions_overdue,
        composition_ok,
        months,
        uptime_by_scheme,
        score: 0,
    };
    f.score = attention_score(&f);
    Ok(f)
}

/// A GP's kept row: its change count, and the figures if computed.
struct Kept {
    changes: i64,
    figures: Option<GpFigures>,
}

/// A `gp_figures` row: gp, changes, computed_changes, computed_at, figures.
type KeptRow = (i64, i64, i64, Option<NaiveDateTime>, Option<String>);

fn fresh(row: &KeptRow, now: NaiveDateTime, max_age: i64) -> Option<GpFigures> {
    let (_, changes, computed, at, text) = row;
    let at = (*at)?;
    if changes != computed || at > now || now - at > Duration::seconds(max_age) {
        return None;
    }
    let f: GpFigures = serde_json::from_str(text.as_deref()?).ok()?;
    (f.today == today_in_india(now)).then_some(f)
}

/// The kept figures of the GPs: fresh ones parsed, stale or missing ones with the change
/// count read before recomputing (so a write during the recomputation leaves them stale).
fn kept(
    conn: &mut DbConn,
    gp_ids: &[i64],
    now: NaiveDateTime,
    max_age: i64,
) -> AppResult<HashMap<i64, Kept>> {
    let mut out = HashMap::new();
    for chunk in gp_ids.chunks(5_000) {
        let rows: Vec<KeptRow> = gp_figures::table
            .filter(gp_figures::gp_id.eq_any(chunk))
            .select((
                gp_figures::gp_id,
                gp_figures::changes,
                gp_figures::computed_changes,
                gp_figures::computed_at,
                gp_figures::figures,
            ))
            .load(conn)?;
        for r in rows {
            out.insert(
                r.0,
                Kept {
                    changes: r.1,
                    figures: fresh(&r, now, max_age),
                },
            );
        }
    }
    Ok(out)
}

/// Figures computed but not yet kept: (gp, change count seen before computing, figures).
pub type Computed = Vec<(i64, i64, GpFigures)>;

/// The figures of these GPs (fresh kept ones as they are, the others recomputed), and the
/// recomputed ones to keep with [`keep`].
pub fn load(
    conn: &mut DbConn,
    config: &Config,
    gp_ids: &[i64],
    now: NaiveDateTime,
) -> AppResult<(Vec<GpFigures>, Computed)> {
    let kept = kept(conn, gp_ids, now, config.dashboards.max_age_seconds)?;
    let mut out = Vec::with_capacity(gp_ids.len());
    let mut computed = vec![];
    for &g in gp_ids {
        match kept.get(&g) {
            Some(Kept {
                figures: Some(f), ..
            }) => out.push(f.clone()),
            other => {
                let seen = other.map(|k| k.changes).unwrap_or(0);
                let f = compute(conn, config, g, now)?;
                computed.push((g, seen, f.clone()));
                out.push(f);
            }
        }
    }
    Ok((out, computed))
}

/// Keep recomputed figures: a missing row is created; a row whose change count moved since
/// stays stale (its `computed_changes` is the count seen).
pub fn keep(conn: &mut DbConn, computed: &Computed) -> AppResult<()> {
    let sql = sql_for(
        conn,
        "INSERT INTO gp_figures (gp_id, changes, computed_changes, computed_at, figures) \
         VALUES (?, 0, ?, ?, ?) ON CONFLICT (gp_id) DO UPDATE SET \
         computed_changes = excluded.computed_changes, computed_at = excluded.computed_at, \
         figures = excluded.figures",
    );
    // in GP order, so two keepers never wait on each other's rows in opposite orders
    let mut order: Vec<&(i64, i64, GpFigures)> = computed.iter().collect();
    order.sort_by_key(|c| c.0);
    for (gp, seen, f) in order {
        let text = serde_json::to_string(f)
            .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
        use diesel::sql_types::{BigInt, Text, Timestamp};
        crate::on_backend!(conn, |c| diesel::sql_query(&sql)
            .bind::<BigInt, _>(*gp)
            .bind::<BigInt, _>(*seen)
            .bind::<Timestamp, _>(f.computed_at)
            .bind::<Text, _>(text)
            .execute(c))?;
    }
    Ok(())
}

/// The scheduler's job: recompute the kept figures of every active GP that changed, was
/// never computed, or is older than `max_age_seconds` less `ahead` (so that readers rarely
/// meet stale figures), `batch` GPs at a time: each batch computed on a reading connection,
/// then kept in one short write. Returns the GPs recomputed.
pub fn refresh(
    db: &crate::db::Db,
    config: &Config,
    now: NaiveDateTime,
    ahead: i64,
    batch: usize,
    mut before_batch: impl FnMut() -> AppResult<()>,
) -> AppResult<usize> {
    let max_age = (config.dashboards.max_age_seconds - ahead).max(0);
    let gps: Vec<i64> = {
        let mut c = db.conn()?;
        let ids: Vec<i64> = places::table
            .filter(places::level.eq("gp"))
            .filter(places::active.eq(true))
            .order(places::id.asc())
            .select(places::id)
            .load(&mut *c)?;
        let kept = kept(&mut c, &ids, now, max_age)?;
        ids.into_iter()
            .filter(|g| kept.get(g).is_none_or(|k| k.figures.is_none()))
            .collect()
    };
    for chunk in gps.chunks(batch.max(1)) {
        before_batch()?;
        let computed: Computed = {
            let mut c = db.conn()?;
            let seen = kept(&mut c, chunk, now, max_age)?;
            let mut out = vec![];
            for &g in chunk {
                let changes = seen.get(&g).map(|k| k.changes).unwrap_or(0);
                out.push((g, changes, compute(&mut c, config, g, now)?));
            }
            out
        };
        db.write_blocking(|c| keep(c, &computed))?;
    }
    Ok(gps.len())
}

/// A GP under a place, with the places above it.
#[derive(Debug, Clone, Queryable)]
pub struct GpPlace {
    pub id: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub lgd_code: i64,
    pub block_id: Option<i64>,
    pub district_id: Option<i64>,
    pub state_id: Option<i64>,
}

/// The active GPs in a scope, by LGD code.
pub fn gps_in(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<GpPlace>> {
    Ok(scope
        .filter_places(
            places::table
                .filter(places::level.eq("gp"))
                .filter(places::active.eq(true))
                .into_boxed(),
        )
        .order(places::lgd_code.asc())
        .select((
            places::id,
            places::name,
            places::name_hi,
            places::lgd_code,
            places::block_id,
            places::district_id,
            places::state_id,
        ))
        .load(conn)?)
}

/// The figures of several GPs added up (a block, district or state row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaFigures {
    pub gps: i64,
    /// When the oldest of its GPs' figures was computed.
    pub computed_at: Option<NaiveDateTime>,
    pub schemes: SchemeCounts,
    pub tasks_due: i64,
    pub tasks_overdue: i64,
    pub compliance_3m: Share,
    pub breakdowns_open: i64,
    pub breakdowns_overdue: i64,
    pub breakdowns_escalated: i64,
    pub last_90_days: Window,
    pub collection_3m: Share,
    pub cost_recovery: Share,
    pub fund_balance_paise: i64,
    pub arrears: Vec<i64>,
    /// GPs whose committee has not met for 2 calendar months or more (or never).
    pub gps_without_meeting: i64,
    /// GPs whose committee's composition is OK.
    pub composition_ok: i64,
    /// The highest GP score.
    pub score: i64,
    pub months: Vec<MonthPoint>,
}

pub fn add_up(parts: &[&GpFigures]) -> AreaFigures {
    let mut a = AreaFigures {
        gps: parts.len() as i64,
        ..Default::default()
    };
    let mut compliance = vec![];
    for f in parts {
        a.computed_at = Some(
            a.computed_at
                .map_or(f.computed_at, |t| t.min(f.computed_at)),
        );
        a.schemes.add(&f.schemes);
        a.tasks_due += f.tasks_due;
        a.tasks_overdue += f.tasks_overdue;
        compliance.push(Share::new(f.compliance_3m.on_time, f.compliance_3m.due));
        a.breakdowns_open += f.breakdowns_open;
        a.breakdowns_overdue += f.breakdowns_overdue;
        a.breakdowns_escalated += f.breakdowns_escalated;
        a.fund_balance_paise += f.fund_balance_paise;
        if a.arrears.len() < f.arrears.len() {
            a.arrears.resize(f.arrears.len(), 0);
        }
        for (i, v) in f.arrears.iter().enumerate() {
            a.arrears[i] += v;
        }
        if f.months_since_meeting.is_none_or(|m| m >= 2) {
            a.gps_without_meeting += 1;
        }
        if f.composition_ok == Some(true) {
            a.composition_ok += 1;
        }
        a.score = a.score.max(f.score);
        for (i, m) in f.months.iter().enumerate() {
            if a.months.len() <= i {
                a.months.push(MonthPoint {
                    month: m.month.clone(),
                    ..Default::default()
                });
            }
            let t = &mut a.months[i];
            t.demand_paise += m.demand_paise;
            t.collected_paise += m.collected_paise;
            t.breakdowns_reported += m.breakdowns_reported;
            t.breakdowns_resolved += m.breakdowns_resolved;
            t.tasks_due += m.tasks_due;
            t.tasks_on_time += m.tasks_on_time;
        }
    }
    a.compliance_3m = Share::sum(compliance.iter());
    a.collection_3m = Share::sum(parts.iter().map(|f| &f.collection_3m));
    a.cost_recovery = Share::sum(parts.iter().map(|f| &f.cost_recovery));
    a.last_90_days = Window::merge(&parts.iter().map(|f| &f.last_90_days).collect::<Vec<_>>());
    a
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/dashboard",
    label: "nav-dashboard",
    verb: Some(crate::auth::Verb::ViewPlaces),
}];

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> GpFigures {
        GpFigures {
            gp_id: 1,
            computed_at: NaiveDate::from_ymd_opt(2027, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            today: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            schemes: SchemeCounts {
                total: 4,
                functional: 2,
                partially_functional: 1,
                non_functional: 1,
                under_repair: 0,
            },
            tasks_due: 0,
            tasks_overdue: 0,
            compliance_month: Compliance {
                due: 0,
                on_time: 0,
                percent: None,
            },
            compliance_3m: Compliance {
                due: 10,
                on_time: 6,
                percent: Some(60),
            },
            breakdowns_open: 6,
            breakdowns_overdue: 5,
            breakdowns_escalated: 1,
            last_90_days: Window::default(),
            collection_month: Share::default(),
            collection_3m: Share::new(75, 100),
            cost_recovery: Share::default(),
            fund_balance_paise: 0,
            arrears: vec![],
            last_meeting_on: None,
            months_since_meeting: Some(1),
            meeting_state: "due".into(),
            next_meeting_on: None,
            actions_open: 0,
            actions_overdue: 0,
            composition_ok: None,
            months: vec![],
            uptime_by_scheme: vec![],
            score: 0,
        }
    }

    #[test]
    fn score_follows_the_documented_formula() {
        let f = figures();
        // schemes 40 × (2×1 + 1) / 8 = 15; breakdowns 10 + 5 × 4 = 30; compliance 40 / 5 = 8;
        // collection 25 / 5 = 5; met last month: 0; no committee: 5
        assert_eq!(attention_score(&f), 15 + 30 + 8 + 5 + 5);
        let mut g = f.clone();
        g.months_since_meeting = None;
        g.composition_ok = Some(true);
        assert_eq!(attention_score(&g), 15 + 30 + 8 + 5 + 10);
    }

    #[test]
    fn areas_add_shares_not_percentages() {
        let a = figures();
        let mut b = figures();
        b.collection_3m = Share::new(0, 300);
        let sum = add_up(&[&a, &b]);
        assert_eq!(sum.collection_3m, Share::new(75, 400));
        assert_eq!(sum.schemes.total, 8);
        assert_eq!(sum.gps, 2);
    }
}
