//! The dashboards' use cases: compute a GP's figures from the areas' own functions, load the
//! kept ones (recomputing and keeping stale ones), the scheduler's refresh, what a dashboard
//! page or the API shows (a GP, or an area's rows added up), and the monthly O&M report.

use super::model::{
    self, AreaFigures, Computed, GpFigures, GpPlace, GpSupply, Kept, MonthFigures, MonthPoint,
    Report, SchemeCounts, SchemeUptime, Share,
};
use super::{add_up, attention_score, report_month, MONTHS};
use crate::auth::Scope;
use crate::breakdowns::stats::{self, FactFilter};
use crate::committees::meetings::{MeetingStatus, RegularityState};
use crate::config::Config;
use crate::context::Ctx;
use crate::db::schema::{committees, meetings, schemes};
use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};
use crate::maintenance::Compliance;
use crate::places::{Level, Place};
use crate::schemes::SchemeStatus;
use crate::web::i18n::{name_in, today_in_india, Lang};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

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

    // each scheme as it works now: its hand-set status unless an outage is open
    let mut schemes_by = SchemeCounts::default();
    let rows: Vec<(i64, String)> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .filter(schemes::status.ne(SchemeStatus::Decommissioned.as_str()))
        .select((schemes::id, schemes::status))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let outages = crate::schemes::open_outages(conn, &ids)?;
    for (id, status) in rows {
        let open = outages.get(&id).copied().unwrap_or(0);
        match SchemeStatus::parse(&status) {
            Some(s) => schemes_by.count(crate::schemes::functioning_of(s, open), 1),
            None => schemes_by.total += 1,
        }
    }

    // open tasks already due: overdue once past the deadline and its grace days
    let (tasks_due, tasks_overdue) =
        crate::maintenance::model::open_due_counts(conn, Some(gp_id), None, today, grace)?;
    // the tasks of the twelve months shown (and of the last three), read once
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

    let ff = FactFilter {
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
        .filter(schemes::status.ne(SchemeStatus::Decommissioned.as_str()))
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

    let supply = gp_supply(conn, config, gp_id, month, now)?;

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
            .unwrap_or_else(|| RegularityState::Never.as_str().into()),
        next_meeting_on: reg.and_then(|r| r.next_planned_on),
        actions_open,
        actions_overdue,
        composition_ok,
        months,
        uptime_by_scheme,
        supply,
        score: 0,
        water: {
            let (from, to) = crate::water_quality::figures::season_of(today);
            crate::water_quality::figures::model::by_gp(conn, &[gp_id], from, to, today, grace)?
                .remove(&gp_id)
                .unwrap_or_default()
        },
    };
    f.score = attention_score(&f);
    Ok(f)
}

/// A GP's supply figures for `month` (so far): its schemes in service, each as its own
/// supply page computes it, read with one set of queries for the GP.
pub fn gp_supply(
    conn: &mut DbConn,
    config: &Config,
    gp_id: i64,
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<GpSupply> {
    let list: Vec<crate::schemes::Scheme> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .filter(schemes::status.ne(SchemeStatus::Decommissioned.as_str()))
        .order(schemes::code.asc())
        .select(crate::schemes::Scheme::as_select())
        .load(conn)?;
    let months = crate::supply::service::months_of(conn, config, &list, month, now)?;
    let mut out = GpSupply {
        month: month.format("%Y-%m").to_string(),
        ..Default::default()
    };
    for (s, m) in list.iter().zip(&months) {
        out.count(s, m);
    }
    out.sort();
    Ok(out)
}

/// The figures of these GPs (fresh kept ones as they are, the others recomputed), and the
/// recomputed ones to keep with [`model::keep`].
pub fn load(
    conn: &mut DbConn,
    config: &Config,
    gp_ids: &[i64],
    now: NaiveDateTime,
) -> AppResult<(Vec<GpFigures>, Computed)> {
    let kept = model::kept(conn, gp_ids, now, config.dashboards.max_age_seconds)?;
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

/// The scheduler's job: recompute the kept figures of every active GP that changed, was
/// never computed, or is older than `max_age_seconds` less `ahead` (so that readers rarely
/// meet stale figures), `batch` GPs at a time: each batch computed on a reading connection,
/// then kept in one short write. Returns the GPs recomputed. (It takes the scheduler's own
/// database, configuration and sweep time rather than a `Ctx`: the scheduler has no clock
/// of its own to give, and `before_batch` renews its lease.)
pub fn refresh(
    db: &Db,
    config: &Config,
    now: NaiveDateTime,
    ahead: i64,
    batch: usize,
    mut before_batch: impl FnMut() -> AppResult<()>,
) -> AppResult<usize> {
    let max_age = (config.dashboards.max_age_seconds - ahead).max(0);
    let gps: Vec<i64> = {
        let mut c = db.conn()?;
        let ids = model::active_gp_ids(&mut c)?;
        let kept = model::kept(&mut c, &ids, now, max_age)?;
        ids.into_iter()
            .filter(|g| kept.get(g).is_none_or(|k| k.figures.is_none()))
            .collect()
    };
    for chunk in gps.chunks(batch.max(1)) {
        before_batch()?;
        let computed: Computed = {
            let mut c = db.conn()?;
            let seen = model::kept(&mut c, chunk, now, max_age)?;
            let mut out = vec![];
            for &g in chunk {
                let changes = seen.get(&g).map(|k| k.changes).unwrap_or(0);
                out.push((g, changes, compute(&mut c, config, g, now)?));
            }
            out
        };
        db.write_blocking(|c| model::keep(c, &computed))?;
    }
    Ok(gps.len())
}

/// Keep recomputed figures (a write, so it waits its turn with the other writers; reading
/// is not held up by it).
fn keep(ctx: &Ctx, computed: Computed) -> AppResult<()> {
    if computed.is_empty() {
        return Ok(());
    }
    ctx.db.write_blocking(|c| model::keep(c, &computed))
}

/// One row of an area dashboard: a GP (of a block) or a block, district or state.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub level: Level,
    pub lgd_code: i64,
    pub area: AreaFigures,
    /// A GP's own figures (none for a block, district or state).
    pub gp: Option<GpFigures>,
}

/// An area's dashboard: the place (none: everything the reader sees), one row per GP of a
/// block, per block of a district, per district of a state (per state of everything), and
/// the total.
#[derive(Debug, Clone)]
pub struct Area {
    pub place: Option<Place>,
    pub rows: Vec<Row>,
    pub total: AreaFigures,
}

/// The rows of an area's dashboard, from its GPs' figures (names in `lang`), and the
/// figures recomputed on the way, to keep once the reading connection is given back.
fn area_rows(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    place: Option<Place>,
    gps: Vec<GpPlace>,
    lang: Lang,
) -> AppResult<(Area, Computed)> {
    let ids: Vec<i64> = gps.iter().map(|g| g.id).collect();
    let (figures, computed) = load(conn, config, &ids, now)?;
    let by_gp: BTreeMap<i64, &GpFigures> = figures.iter().map(|f| (f.gp_id, f)).collect();
    let total = add_up(&figures.iter().collect::<Vec<_>>());
    let child = match place.as_ref().map(|p| p.level()) {
        Some(Level::Block) | Some(Level::Gp) => Level::Gp,
        Some(Level::District) => Level::Block,
        Some(Level::State) => Level::District,
        _ => Level::State,
    };
    if child == Level::Gp {
        let rows = gps
            .iter()
            .filter_map(|g| {
                let f = by_gp.get(&g.id)?;
                Some(Row {
                    id: g.id,
                    name: name_in(lang, &g.name, g.name_hi.as_deref()).to_string(),
                    level: Level::Gp,
                    lgd_code: g.lgd_code,
                    area: add_up(&[f]),
                    gp: Some((*f).clone()),
                })
            })
            .collect();
        return Ok((Area { place, rows, total }, computed));
    }
    let mut groups: BTreeMap<i64, Vec<&GpFigures>> = BTreeMap::new();
    for g in &gps {
        let key = match child {
            Level::Block => g.block_id,
            Level::District => g.district_id,
            _ => g.state_id,
        };
        if let (Some(k), Some(f)) = (key, by_gp.get(&g.id)) {
            groups.entry(k).or_default().push(f);
        }
    }
    let ids: Vec<i64> = groups.keys().copied().collect();
    let rows = crate::places::model::find_many(conn, &ids)?
        .into_iter()
        .map(|p| Row {
            id: p.id,
            name: p.display_name(lang).to_string(),
            level: p.level(),
            lgd_code: p.lgd_code,
            area: add_up(groups.get(&p.id).map(Vec::as_slice).unwrap_or(&[])),
            gp: None,
        })
        .collect();
    Ok((Area { place, rows, total }, computed))
}

/// An area's dashboard as rows (a GP's too: one row), for the place in the reader's scope
/// (none: everything the reader sees).
pub fn area(ctx: &Ctx, scope: &Scope, place: Option<i64>, lang: Lang) -> AppResult<Area> {
    let (area, computed) = {
        let mut conn = ctx.db.conn()?;
        let place = model::find_place(&mut conn, scope, place)?;
        let gps = model::gps_under(&mut conn, scope, place.as_ref())?;
        area_rows(&mut conn, &ctx.config, ctx.now(), place, gps, lang)?
    };
    keep(ctx, computed)?;
    Ok(area)
}

/// What a dashboard shows: a GP's figures (with its open breakdowns when the reader may see
/// them), or an area's rows.
pub enum Dashboard {
    Gp {
        place: Box<Place>,
        figures: Box<GpFigures>,
        open: Option<(Vec<crate::breakdowns::Breakdown>, i64)>,
        /// When it was loaded (the open breakdowns' ages are counted to it).
        now: NaiveDateTime,
    },
    Area(Box<Area>),
}

/// The dashboard of a place in the reader's scope (none: everything the reader sees). A
/// GP's is read on one connection (its place, kept figures and open breakdowns together),
/// plus a write when its figures had to be recomputed.
pub fn dashboard(
    ctx: &Ctx,
    scope: &Scope,
    place: Option<i64>,
    with_breakdowns: bool,
    lang: Lang,
) -> AppResult<Dashboard> {
    let now = ctx.now();
    let (shown, computed) = {
        let mut conn = ctx.db.conn()?;
        match model::find_place(&mut conn, scope, place)? {
            Some(p) if p.level() == Level::Gp => {
                let (mut figures, computed) = load(&mut conn, &ctx.config, &[p.id], now)?;
                let figures = Box::new(figures.pop().ok_or(AppError::NotFound)?);
                let open = with_breakdowns
                    .then(|| crate::breakdowns::model::open_rows(&mut conn, scope, Some(p.id), now))
                    .transpose()?;
                let gp = Dashboard::Gp {
                    place: Box::new(p),
                    figures,
                    open,
                    now,
                };
                (gp, computed)
            }
            place => {
                let gps = model::gps_under(&mut conn, scope, place.as_ref())?;
                let (area, computed) = area_rows(&mut conn, &ctx.config, now, place, gps, lang)?;
                (Dashboard::Area(Box::new(area)), computed)
            }
        }
    };
    keep(ctx, computed)?;
    Ok(shown)
}

/// One GP's month, from the areas' functions (the same as their pages).
pub fn gp_month(
    conn: &mut DbConn,
    config: &Config,
    gp: &Place,
    lang: Lang,
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<MonthFigures> {
    let scope = Scope::Place {
        level: Level::Gp,
        id: gp.id,
    };
    let today = today_in_india(now);
    let last_day = month
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(month);
    let (schemes, functional, partly, not) = model::schemes_at(conn, gp.id, month)?;
    let ff = FactFilter {
        gp: Some(gp.id),
        ..Default::default()
    };
    let figs = crate::breakdowns::review::figures(conn, &scope, &ff, month, now)?;
    let b = figs.by_month.last().cloned();
    let grace = config.maintenance.grace_days;
    let c = crate::maintenance::compliance(conn, &scope, None, month, last_day.min(today), grace)?;
    let eff = crate::billing::ledger::efficiency(conn, &[gp.id], month, month)?;
    let e = eff.first();
    let st = crate::billing::cashbook::statement(conn, gp.id, month)?;
    let rec = crate::billing::cashbook::cost_recovery(conn, gp.id, month)?;
    let held: i64 = meetings::table
        .filter(meetings::gp_id.eq(gp.id))
        .filter(meetings::status.ne(MeetingStatus::Planned.as_str()))
        .filter(meetings::held_on.ge(month))
        .filter(meetings::held_on.le(last_day))
        .count()
        .get_result(conn)?;
    let water =
        crate::water_quality::figures::model::by_gp(conn, &[gp.id], month, last_day, today, grace)?
            .remove(&gp.id)
            .unwrap_or_default();
    Ok(MonthFigures {
        place_id: gp.id,
        lgd_code: gp.lgd_code,
        name: gp.display_name(lang).to_string(),
        schemes,
        schemes_functional: functional,
        schemes_partially_functional: partly,
        schemes_not_functional: not,
        downtime_days: b.as_ref().map(|b| b.downtime_days).unwrap_or(0.0),
        uptime_percent: b.as_ref().map(|b| b.uptime_percent).unwrap_or(100.0),
        tasks_due: c.due,
        tasks_on_time: c.on_time,
        compliance_percent: crate::billing::ledger::percent(c.on_time, c.due),
        breakdowns_reported: b.as_ref().map(|b| b.reported as i64).unwrap_or(0),
        breakdowns_resolved: b.as_ref().map(|b| b.repair.count as i64).unwrap_or(0),
        repair_median_hours: b.as_ref().and_then(|b| b.repair.median_hours),
        repair_p90_hours: b.as_ref().and_then(|b| b.repair.p90_hours),
        demand_paise: e.map(|e| e.demand_paise).unwrap_or(0),
        collected_paise: e.map(|e| e.collected_paise).unwrap_or(0),
        collection_percent: e.and_then(|e| e.percent),
        opening_paise: st.opening_paise,
        income_paise: st.income_paise,
        expense_paise: st.expense_paise,
        closing_paise: st.closing_paise,
        cost_recovery_percent: rec.percent,
        recovery_charges_paise: rec.user_charges_paise,
        recovery_expense_paise: rec.om_expense_paise,
        meetings_held: held,
        supply: gp_supply(conn, config, gp.id, month, now)?,
        water_points_tested: water.points_tested,
        water_tests: water.tests,
        water_tests_within: water.tests_within,
        water_within_percent: water.within_percent,
        water_incidents_open: water
            .incidents_open_by_age
            .as_ref()
            .map_or(0, |v| v.iter().sum()),
        water_retests_closed: water.retests_closed.unwrap_or(0),
        water_retest_days_total: water.retest_days_total.unwrap_or(0),
        water_days_to_retest: water.days_to_passing_retest,
        water_tests_overdue: water.tests_overdue.unwrap_or(0),
    })
}

/// The report of a GP or a block (other levels: 404) for a month.
pub fn build(
    conn: &mut DbConn,
    config: &Config,
    place: &Place,
    lang: Lang,
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Report> {
    let under = Scope::Place {
        level: place.level(),
        id: place.id,
    };
    let gps: Vec<Place> = match place.level() {
        Level::Gp => vec![place.clone()],
        Level::Block => {
            let ids: Vec<i64> = model::gps_in(conn, &under)?.iter().map(|g| g.id).collect();
            crate::places::model::find_many(conn, &ids)?
        }
        _ => return Err(AppError::NotFound),
    };
    let mut lines = vec![];
    for g in &gps {
        lines.push(gp_month(conn, config, g, lang, month, now)?);
    }
    let mut total = MonthFigures {
        place_id: place.id,
        lgd_code: place.lgd_code,
        name: place.display_name(lang).to_string(),
        ..Default::default()
    };
    for l in &lines {
        total.schemes += l.schemes;
        total.schemes_functional += l.schemes_functional;
        total.schemes_partially_functional += l.schemes_partially_functional;
        total.schemes_not_functional += l.schemes_not_functional;
        total.downtime_days += l.downtime_days;
        total.tasks_due += l.tasks_due;
        total.tasks_on_time += l.tasks_on_time;
        total.breakdowns_reported += l.breakdowns_reported;
        total.breakdowns_resolved += l.breakdowns_resolved;
        total.demand_paise += l.demand_paise;
        total.collected_paise += l.collected_paise;
        total.opening_paise += l.opening_paise;
        total.income_paise += l.income_paise;
        total.expense_paise += l.expense_paise;
        total.closing_paise += l.closing_paise;
        total.recovery_charges_paise += l.recovery_charges_paise;
        total.recovery_expense_paise += l.recovery_expense_paise;
        total.meetings_held += l.meetings_held;
        total.supply.add(&l.supply);
        total.water_points_tested += l.water_points_tested;
        total.water_tests += l.water_tests;
        total.water_tests_within += l.water_tests_within;
        total.water_incidents_open += l.water_incidents_open;
        total.water_retests_closed += l.water_retests_closed;
        total.water_retest_days_total += l.water_retest_days_total;
        total.water_tests_overdue += l.water_tests_overdue;
    }
    total.water_days_to_retest = crate::water_quality::figures::mean_days(
        Some(total.water_retest_days_total),
        Some(total.water_retests_closed),
    );
    total.supply.sort();
    total.water_within_percent =
        crate::billing::ledger::percent(total.water_tests_within, total.water_tests);
    total.downtime_days = (total.downtime_days * 100.0).round() / 100.0;
    let pct = crate::billing::ledger::percent;
    total.compliance_percent = pct(total.tasks_on_time, total.tasks_due);
    total.collection_percent = pct(total.collected_paise, total.demand_paise);
    total.cost_recovery_percent = pct(total.recovery_charges_paise, total.recovery_expense_paise);
    // the block's repair times and uptime from all its breakdowns together
    let ff = FactFilter::default();
    let figs = crate::breakdowns::review::figures(conn, &under, &ff, month, now)?;
    if let Some(b) = figs.by_month.last() {
        total.uptime_percent = b.uptime_percent;
        total.repair_median_hours = b.repair.median_hours;
        total.repair_p90_hours = b.repair.p90_hours;
    }
    Ok(Report {
        month: month.format("%Y-%m").to_string(),
        place_id: place.id,
        level: place.level().as_str().into(),
        gps: lines,
        total,
    })
}

/// The monthly O&M report of a GP or block in the reader's scope, for `month` (`YYYY-MM`;
/// none: the last complete month), with names in `lang`.
pub fn monthly_report(
    ctx: &Ctx,
    scope: &Scope,
    place: i64,
    month: Option<&str>,
    lang: Lang,
) -> AppResult<Report> {
    let now = ctx.now();
    let month = report_month(month, today_in_india(now))?;
    let mut conn = ctx.db.conn()?;
    let place = crate::places::model::find_in_scope(&mut conn, scope, place)?;
    build(&mut conn, &ctx.config, &place, lang, month, now)
}
