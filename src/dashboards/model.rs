//! The dashboards' shapes and rows: a GP's figures (kept as JSON in `gp_figures` with the
//! change count they were computed at), an area's figures added up, the monthly report's lines;
//! reading and writing the kept rows, and the queries for the GPs under a place and the
//! schemes' statuses at a month's end.

use crate::auth::Scope;
use crate::breakdowns::stats::Window;
use crate::db::schema::{gp_figures, places, scheme_status_history, schemes};
use crate::db::{sql_for, DbConn};
use crate::error::{AppError, AppResult};
use crate::maintenance::Compliance;
use crate::places::{Level, Place};
use crate::schemes::SchemeStatus;
use crate::web::i18n::{india_midnight_utc, today_in_india};
use chrono::{Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
    /// Count `n` schemes of a status (decommissioned ones are left out).
    pub fn count(&mut self, status: SchemeStatus, n: i64) {
        match status {
            SchemeStatus::Decommissioned => return,
            SchemeStatus::Functional => self.functional += n,
            SchemeStatus::PartiallyFunctional => self.partially_functional += n,
            SchemeStatus::NonFunctional => self.non_functional += n,
            SchemeStatus::UnderRepair => self.under_repair += n,
        }
        self.total += n;
    }

    pub(super) fn add(&mut self, o: &SchemeCounts) {
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

    pub(super) fn sum<'a>(items: impl Iterator<Item = &'a Share>) -> Share {
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
    #[serde(with = "crate::clock::utc")]
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
    /// held, due, missed or never (as on the regularity page: a
    /// `committees::meetings::RegularityState` as stored).
    pub meeting_state: String,
    pub next_meeting_on: Option<NaiveDate>,
    pub actions_open: i64,
    pub actions_overdue: i64,
    /// The GP committee's composition meets every rule that can be judged; none without one.
    pub composition_ok: Option<bool>,
    pub months: Vec<MonthPoint>,
    pub uptime_by_scheme: Vec<SchemeUptime>,
    /// Is the water reaching people: this month's supply figures of the GP's schemes (no
    /// default: figures kept before it existed are recomputed).
    pub supply: GpSupply,
    /// Higher needs attention sooner; see [`super::attention_score`].
    pub score: i64,
    /// This season's water-quality figures (kept rows from before they existed read as none).
    #[serde(default)]
    pub water: crate::water_quality::figures::WaterQualityFigures,
}

/// The figures of several GPs added up (a block, district or state row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaFigures {
    pub gps: i64,
    /// When the oldest of its GPs' figures was computed.
    #[serde(with = "crate::clock::utc::option")]
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
    pub supply: GpSupply,
    /// This season's water-quality figures of its GPs added up.
    pub water: crate::water_quality::figures::WaterQualityFigures,
}

/// A GP's kept row: its change count, and the figures if computed.
pub struct Kept {
    pub changes: i64,
    pub figures: Option<GpFigures>,
}

/// A `gp_figures` row: gp, changes, computed_changes, computed_at, figures.
type KeptRow = (i64, i64, i64, Option<NaiveDateTime>, Option<String>);

/// The row's figures if they are fresh: computed at the current change count, not in the
/// future, within `max_age` seconds and for today (Indian day).
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
pub fn kept(
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
        let text = serde_json::to_string(f).map_err(|e| AppError::Internal(e.to_string()))?;
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

/// Every active GP's id, in id order (the scheduler's refresh goes through them).
pub fn active_gp_ids(conn: &mut DbConn) -> AppResult<Vec<i64>> {
    Ok(places::table
        .filter(places::level.eq(Level::Gp.as_str()))
        .filter(places::active.eq(true))
        .order(places::id.asc())
        .select(places::id)
        .load(conn)?)
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
                .filter(places::level.eq(Level::Gp.as_str()))
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

/// The place asked for, in the reader's scope (none: everything the reader sees).
pub fn find_place(c: &mut DbConn, scope: &Scope, place: Option<i64>) -> AppResult<Option<Place>> {
    match place {
        Some(id) => Ok(Some(crate::places::model::find_in_scope(c, scope, id)?)),
        None => Ok(None),
    }
}

/// The GPs a dashboard covers: those under `place`, or in the reader's scope. A village has
/// no dashboard.
pub fn gps_under(c: &mut DbConn, scope: &Scope, place: Option<&Place>) -> AppResult<Vec<GpPlace>> {
    let under = match place {
        Some(p) if p.level() == Level::Village => return Err(AppError::NotFound),
        Some(p) => Scope::Place {
            level: p.level(),
            id: p.id,
        },
        None => *scope,
    };
    gps_in(c, &under)
}

/// One GP's month (or a block's, added up).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonthFigures {
    pub place_id: i64,
    pub lgd_code: i64,
    pub name: String,
    /// Schemes by status at the month's end (decommissioned ones left out).
    pub schemes: i64,
    pub schemes_functional: i64,
    pub schemes_partially_functional: i64,
    pub schemes_not_functional: i64,
    /// Days with supply stopped, summed over schemes, and the share of the month with water.
    pub downtime_days: f64,
    pub uptime_percent: f64,
    pub tasks_due: i64,
    pub tasks_on_time: i64,
    pub compliance_percent: Option<f64>,
    pub breakdowns_reported: i64,
    pub breakdowns_resolved: i64,
    pub repair_median_hours: Option<f64>,
    pub repair_p90_hours: Option<f64>,
    pub demand_paise: i64,
    pub collected_paise: i64,
    pub collection_percent: Option<f64>,
    pub opening_paise: i64,
    pub income_paise: i64,
    pub expense_paise: i64,
    pub closing_paise: i64,
    /// Over the 12 months to this one.
    pub cost_recovery_percent: Option<f64>,
    pub recovery_charges_paise: i64,
    pub recovery_expense_paise: i64,
    pub meetings_held: i64,
    /// The month's supply figures (the GP's schemes, or the block's added up).
    pub supply: GpSupply,
    /// Water quality in the month (by the day tested): sampling points tested, tests, those
    /// within the standard and their share.
    pub water_points_tested: i64,
    pub water_tests: i64,
    pub water_tests_within: i64,
    pub water_within_percent: Option<f64>,
    /// Contamination incidents open on the month's last day (or today), incidents closed in
    /// the month after a passing re-test with their days from detection to it (added up, and
    /// the mean), and scheduled tests overdue on that day.
    pub water_incidents_open: i64,
    pub water_retests_closed: i64,
    pub water_retest_days_total: i64,
    pub water_days_to_retest: Option<f64>,
    pub water_tests_overdue: i64,
}

/// The report: its month, the GPs' lines and (for a block) the total.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// YYYY-MM.
    pub month: String,
    pub place_id: i64,
    pub level: String,
    pub gps: Vec<MonthFigures>,
    pub total: MonthFigures,
}

fn month_end_utc(month: NaiveDate) -> NaiveDateTime {
    india_midnight_utc(month.checked_add_months(Months::new(1)).unwrap_or(month))
}

/// A GP's schemes at the end of the month by status (total, functional, partly, not; the
/// decommissioned left out): the last change recorded before it, else the current status of
/// schemes that existed by then.
pub fn schemes_at(
    conn: &mut DbConn,
    gp_id: i64,
    month: NaiveDate,
) -> AppResult<(i64, i64, i64, i64)> {
    let end = month_end_utc(month);
    let list: Vec<(i64, String, NaiveDateTime)> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .select((schemes::id, schemes::status, schemes::created_at))
        .load(conn)?;
    let history: Vec<(i64, String)> = scheme_status_history::table
        .filter(scheme_status_history::gp_id.eq(gp_id))
        .filter(scheme_status_history::changed_at.lt(end))
        .order((
            scheme_status_history::changed_at.asc(),
            scheme_status_history::id.asc(),
        ))
        .select((
            scheme_status_history::scheme_id,
            scheme_status_history::status,
        ))
        .load(conn)?;
    let mut at: HashMap<i64, String> = HashMap::new();
    for (id, status, created) in list {
        if created < end {
            at.insert(id, status);
        }
    }
    for (id, status) in history {
        at.insert(id, status);
    }
    let (mut total, mut f, mut p, mut n) = (0, 0, 0, 0);
    for s in at.values() {
        match SchemeStatus::parse(s) {
            Some(SchemeStatus::Decommissioned) => continue,
            Some(SchemeStatus::Functional) => f += 1,
            Some(SchemeStatus::PartiallyFunctional) => p += 1,
            _ => n += 1,
        }
        total += 1;
    }
    Ok((total, f, p, n))
}

/// A scheme whose month so far is below the lpcd norm (quantity not met).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupplyBelowNorm {
    pub scheme_id: i64,
    pub gp_id: i64,
    pub code: String,
    pub name: String,
    pub name_hi: Option<String>,
    pub lpcd: Option<f64>,
    pub lpcd_norm: i64,
    pub regularity_percent: Option<f64>,
    /// functional, partly_functional, not_functional or not_assessed.
    pub functionality: String,
}

/// The supply figures of a GP's schemes for a month (so far), as the schemes' own supply
/// pages compute them ([`crate::supply::service::months_of`]), in sums that add up across
/// GPs: functionality counts, lpcd bands, days and minutes supplied and scheduled, litres and
/// person-days measured (an area's lpcd is litres ÷ person-days, never an average of lpcds).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GpSupply {
    /// YYYY-MM.
    pub month: String,
    /// Schemes counted (decommissioned ones left out).
    pub schemes: i64,
    pub functional: i64,
    pub partly_functional: i64,
    pub not_functional: i64,
    pub not_assessed: i64,
    /// Schemes by lpcd: below 40, 40 up to 55, 55 and above, and without a measured lpcd.
    pub lpcd_below_40: i64,
    pub lpcd_40_to_55: i64,
    pub lpcd_55_up: i64,
    pub lpcd_unknown: i64,
    pub volume_litres: i64,
    /// Persons served × days measured, summed over schemes.
    pub person_days: i64,
    pub days_supplied: i64,
    pub days_scheduled: i64,
    pub minutes_supplied: i64,
    pub minutes_scheduled: i64,
    /// Schemes below the lpcd norm, lowest first.
    pub below_norm: Vec<SupplyBelowNorm>,
}

impl GpSupply {
    /// Add one scheme's month.
    pub fn count(&mut self, s: &crate::schemes::Scheme, m: &crate::supply::service::Month) {
        use crate::supply::{Criterion, Functionality};
        let f = &m.figures;
        self.schemes += 1;
        match m.functionality {
            Functionality::Functional => self.functional += 1,
            Functionality::PartlyFunctional => self.partly_functional += 1,
            Functionality::NotFunctional => self.not_functional += 1,
            Functionality::NotAssessed => self.not_assessed += 1,
        }
        match f.lpcd {
            None => self.lpcd_unknown += 1,
            Some(l) if l < 40.0 => self.lpcd_below_40 += 1,
            Some(l) if l < 55.0 => self.lpcd_40_to_55 += 1,
            Some(_) => self.lpcd_55_up += 1,
        }
        self.volume_litres += f.volume_litres;
        self.person_days += f.persons_served * f.days_measured;
        self.days_supplied += f.days_supplied;
        self.days_scheduled += f.days_scheduled;
        self.minutes_supplied += f.minutes_supplied;
        self.minutes_scheduled += f.minutes_scheduled;
        if m.quantity == Criterion::NotMet {
            self.below_norm.push(SupplyBelowNorm {
                scheme_id: s.id,
                gp_id: s.gp_id,
                code: s.code.clone(),
                name: s.name.clone(),
                name_hi: s.name_hi.clone(),
                lpcd: f.lpcd,
                lpcd_norm: m.norms.lpcd_norm,
                regularity_percent: f.regularity_percent,
                functionality: m.functionality.as_str().into(),
            });
        }
    }

    /// Add another GP's (or area's) figures ([`GpSupply::sort`] once all are added).
    pub fn add(&mut self, o: &GpSupply) {
        if self.month.is_empty() {
            self.month = o.month.clone();
        }
        self.schemes += o.schemes;
        self.functional += o.functional;
        self.partly_functional += o.partly_functional;
        self.not_functional += o.not_functional;
        self.not_assessed += o.not_assessed;
        self.lpcd_below_40 += o.lpcd_below_40;
        self.lpcd_40_to_55 += o.lpcd_40_to_55;
        self.lpcd_55_up += o.lpcd_55_up;
        self.lpcd_unknown += o.lpcd_unknown;
        self.volume_litres += o.volume_litres;
        self.person_days += o.person_days;
        self.days_supplied += o.days_supplied;
        self.days_scheduled += o.days_scheduled;
        self.minutes_supplied += o.minutes_supplied;
        self.minutes_scheduled += o.minutes_scheduled;
        self.below_norm.extend(o.below_norm.iter().cloned());
    }

    /// Lowest lpcd first (none last), then by code.
    pub fn sort(&mut self) {
        self.below_norm.sort_by(|a, b| {
            let key = |x: &SupplyBelowNorm| x.lpcd.unwrap_or(f64::MAX);
            key(a).total_cmp(&key(b)).then_with(|| a.code.cmp(&b.code))
        });
    }

    /// Litres per person per day over all the schemes measured (one decimal).
    pub fn lpcd(&self) -> Option<f64> {
        (self.person_days > 0)
            .then(|| (self.volume_litres as f64 / self.person_days as f64 * 10.0).round() / 10.0)
    }

    /// Days supplied of those scheduled.
    pub fn regularity(&self) -> Share {
        Share::new(self.days_supplied, self.days_scheduled)
    }

    /// Minutes supplied of those scheduled.
    pub fn hours_share(&self) -> Share {
        Share::new(self.minutes_supplied, self.minutes_scheduled)
    }

    /// Average supply hours on the days supplied (one decimal).
    pub fn hours_per_day(&self) -> Option<f64> {
        (self.days_supplied > 0).then(|| {
            (self.minutes_supplied as f64 / self.days_supplied as f64 / 6.0).round() / 10.0
        })
    }

    /// Schemes functional of those assessed (not-assessed ones left out of the whole).
    pub fn functional_share(&self) -> Share {
        Share::new(self.functional, self.schemes - self.not_assessed)
    }
}
