//! The daily supply check behind two reminders (`reminders/rules.rs` reads what it finds):
//!
//! - `supply_lpcd_low`: the scheme's last `reminders.supply_lpcd_low_days` (7) logged days
//!   with a measured lpcd were all below its state's norm. A day's lpcd is the bulk meter's
//!   interval ending that day (a missed day's water is averaged over both days, as on the
//!   pages), compared in whole numbers: litres < norm × persons × days. A day back at or
//!   above the norm ends the run (and resolves the reminder).
//! - `supply_energy_rising`: energy per kL (kWh per kL, over the intervals both meters
//!   measured) in the last three full months is up by `reminders.supply_energy_rise_percent`
//!   (15) or more on the three months before; each half needs [`MIN_DAYS_MEASURED`] days
//!   measured. It suggests servicing the pump and links to the open task of the scheme's pump
//!   service plan when it has one (else to its maintenance page, where the plan is added
//!   from the template library).
//!
//! The job (`supply_check`, once a day, before the reminder rules) replaces the rows of
//! `supply_watch`: one per scheme and finding, with its period (the run's first day below
//! the norm; the last of the three months compared) kept while the finding holds, so a
//! finding reminds once and a new one (after it cleared) again. The pure parts are here and
//! tested by hand.

use super::figures::{self, Interval};
use super::model::{self, Meter, SupplyLog};
use crate::config::Config;
use crate::db::schema::{maintenance_plans, maintenance_tasks, schemes, supply_logs, supply_watch};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::jobs::JobDay;
use chrono::{Datelike, Duration, Months, NaiveDate};
use diesel::prelude::*;
use std::collections::HashMap;

pub const LPCD_RULE: &str = "supply_lpcd_low";
pub const ENERGY_RULE: &str = "supply_energy_rising";

/// Days a run of low lpcd is looked for in (and a scheme must have logged in to be checked).
pub const LPCD_WINDOW_DAYS: i64 = 90;

/// Days each three months must have measured (both meters) for energy per kL to be compared.
pub const MIN_DAYS_MEASURED: i64 = 28;

/// The maintenance template whose plan is the scheme's pump servicing.
pub const PUMP_TEMPLATE: &str = "pump_service";

/// The run of days below the norm the newest interval is in: (its first day, how many
/// days), newest interval first; `None` when the newest is at or above the norm (or there is
/// none, or nobody is served).
pub fn low_run(water: &[Interval], persons: i64, norm: i64) -> Option<(NaiveDate, usize)> {
    if persons <= 0 {
        return None;
    }
    let mut sorted: Vec<&Interval> = water.iter().collect();
    sorted.sort_by_key(|i| std::cmp::Reverse(i.to));
    let below = |i: &Interval| {
        i128::from(i.amount) < i128::from(norm) * i128::from(persons) * i128::from(i.days())
    };
    let run: Vec<&&Interval> = sorted.iter().take_while(|i| below(i)).collect();
    run.last().map(|first| (first.to, run.len()))
}

/// Energy and water measured together over intervals ending in `from..=to`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Use {
    pub wh: i64,
    pub litres: i64,
    pub days: i64,
}

pub fn energy_use(water: &[Interval], power: &[Interval], from: NaiveDate, to: NaiveDate) -> Use {
    let mut u = Use::default();
    for w in water.iter().filter(|w| from <= w.to && w.to <= to) {
        if let Some(p) = power.iter().find(|p| p.from == w.from && p.to == w.to) {
            u.wh += p.amount;
            u.litres += w.amount;
            u.days += w.days();
        }
    }
    u
}

/// How much energy per kL rose from `before` to `recent`, in whole percent (rounded down),
/// when both measured enough; compared in integers.
pub fn rise_percent(before: Use, recent: Use) -> Option<i64> {
    if before.days < MIN_DAYS_MEASURED
        || recent.days < MIN_DAYS_MEASURED
        || before.wh <= 0
        || before.litres <= 0
        || recent.litres <= 0
    {
        return None;
    }
    // (recent.wh / recent.litres) / (before.wh / before.litres) − 1, in percent
    let num = i128::from(recent.wh) * i128::from(before.litres) * 100;
    let den = i128::from(before.wh) * i128::from(recent.litres);
    i64::try_from(num / den - 100).ok()
}

/// The three full months before `today`'s month, and the three before them: (first day,
/// last day) of each.
pub fn windows(today: NaiveDate) -> ((NaiveDate, NaiveDate), (NaiveDate, NaiveDate)) {
    let month = today.with_day(1).unwrap_or(today);
    let recent_from = month - Months::new(3);
    let before_from = month - Months::new(6);
    (
        (before_from, recent_from - Duration::days(1)),
        (recent_from, month - Duration::days(1)),
    )
}

/// One finding of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub gp_id: i64,
    pub scheme_id: i64,
    pub rule: &'static str,
    pub period: String,
    pub figure: String,
    pub link: String,
}

/// Where the energy reminder leads: the open task of the scheme's pump service plan, else
/// its maintenance page.
fn pump_link(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<String> {
    let task: Option<i64> = maintenance_tasks::table
        .inner_join(maintenance_plans::table)
        .filter(maintenance_plans::gp_id.eq(gp_id))
        .filter(maintenance_plans::scheme_id.eq(scheme_id))
        .filter(maintenance_plans::active.eq(true))
        .filter(maintenance_plans::template_code.eq(PUMP_TEMPLATE))
        .filter(maintenance_tasks::state.eq("open"))
        .order(maintenance_tasks::due_on.asc())
        .select(maintenance_tasks::id)
        .first(conn)
        .optional()?;
    Ok(match task {
        Some(t) => format!("/tasks/{t}"),
        None => format!("/schemes/{scheme_id}/maintenance"),
    })
}

/// What the check finds for one scheme on `today`.
pub fn check_scheme(
    conn: &mut DbConn,
    config: &Config,
    scheme: &crate::schemes::Scheme,
    today: NaiveDate,
) -> AppResult<Vec<Finding>> {
    let ((before_from, _), (recent_from, recent_to)) = windows(today);
    let lpcd_from = today - Duration::days(LPCD_WINDOW_DAYS);
    let from = before_from.min(lpcd_from);
    let (gp, id) = (scheme.gp_id, scheme.id);
    let logs = model::logs_between(conn, gp, id, from, today)?;
    let mut bulk: Vec<_> = logs.iter().filter_map(SupplyLog::bulk_reading).collect();
    let mut energy: Vec<_> = logs.iter().filter_map(SupplyLog::energy_reading).collect();
    if let Some(b) = model::reading_before(conn, gp, id, from, Meter::Bulk)? {
        bulk.extend(b.bulk_reading());
    }
    if let Some(b) = model::reading_before(conn, gp, id, from, Meter::Energy)? {
        energy.extend(b.energy_reading());
    }
    let water = figures::intervals(&bulk);
    let power = figures::intervals(&energy);
    let mut out = vec![];
    let norms = super::service::norms_of(conn, config, scheme)?;
    let persons = model::persons_served(conn, gp, id, norms.persons_per_household)?;
    let recent: Vec<Interval> = water.iter().filter(|w| w.to > lpcd_from).copied().collect();
    let needed = usize::try_from(config.reminders.supply_lpcd_low_days).unwrap_or(7);
    if let Some((first, days)) = low_run(&recent, persons, norms.lpcd_norm) {
        if days >= needed {
            out.push(Finding {
                gp_id: gp,
                scheme_id: id,
                rule: LPCD_RULE,
                period: first.to_string(),
                figure: days.to_string(),
                link: format!("/schemes/{id}/supply"),
            });
        }
    }
    let before = energy_use(&water, &power, before_from, recent_from - Duration::days(1));
    let now = energy_use(&water, &power, recent_from, recent_to);
    if let Some(rise) = rise_percent(before, now) {
        if rise >= config.reminders.supply_energy_rise_percent {
            out.push(Finding {
                gp_id: gp,
                scheme_id: id,
                rule: ENERGY_RULE,
                period: recent_to.format("%Y-%m").to_string(),
                figure: rise.to_string(),
                link: pump_link(conn, gp, id)?,
            });
        }
    }
    Ok(out)
}

/// The scheduled job: check every scheme that logged in the last six months (and is not
/// decommissioned) and replace `supply_watch` with what was found; a finding that held
/// yesterday keeps its period. Returns the findings.
pub fn scheduled_check(conn: &mut DbConn, config: &Config, day: &JobDay) -> AppResult<usize> {
    let today = day.today;
    let ((before_from, _), _) = windows(today);
    let from = before_from.min(today - Duration::days(LPCD_WINDOW_DAYS));
    let ids: Vec<i64> = supply_logs::table
        .filter(supply_logs::supply_on.ge(from))
        .select(supply_logs::scheme_id)
        .distinct()
        .load(conn)?;
    let kept: HashMap<(i64, String), String> = supply_watch::table
        .select((
            supply_watch::scheme_id,
            supply_watch::rule,
            supply_watch::period,
        ))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(s, r, p)| ((s, r), p))
        .collect();
    let mut found = vec![];
    for chunk in ids.chunks(500) {
        let list: Vec<crate::schemes::Scheme> = schemes::table
            .filter(schemes::id.eq_any(chunk))
            .filter(schemes::status.ne("decommissioned"))
            .select(crate::schemes::Scheme::as_select())
            .load(conn)?;
        for s in &list {
            found.extend(check_scheme(conn, config, s, today)?);
        }
    }
    diesel::delete(supply_watch::table).execute(conn)?;
    for mut f in found.clone() {
        // the same finding as yesterday keeps its period (the run's start may have slid
        // out of the window; the months compared move on), so it reminds once
        if let Some(p) = kept.get(&(f.scheme_id, f.rule.to_string())) {
            if f.rule == ENERGY_RULE || p.as_str() <= f.period.as_str() {
                f.period = p.clone();
            }
        }
        diesel::insert_into(supply_watch::table)
            .values((
                supply_watch::scheme_id.eq(f.scheme_id),
                supply_watch::rule.eq(f.rule),
                supply_watch::gp_id.eq(f.gp_id),
                supply_watch::period.eq(&f.period),
                supply_watch::figure.eq(&f.figure),
                supply_watch::link.eq(&f.link),
                supply_watch::checked_on.eq(today),
            ))
            .execute(conn)?;
    }
    Ok(found.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn day(to: &str, amount: i64) -> Interval {
        let to = d(to);
        Interval {
            from: to - Duration::days(1),
            to,
            amount,
        }
    }

    #[test]
    fn the_run_of_low_days_ends_at_a_day_at_the_norm() {
        // 10 persons, norm 55: 550 litres a day meets it exactly
        let w = vec![
            day("2027-01-01", 550),
            day("2027-01-02", 549),
            day("2027-01-03", 300),
        ];
        assert_eq!(low_run(&w, 10, 55), Some((d("2027-01-02"), 2)));
        let mut back = w.clone();
        back.push(day("2027-01-04", 550));
        assert_eq!(
            low_run(&back, 10, 55),
            None,
            "the newest day is at the norm"
        );
        assert_eq!(low_run(&w, 0, 55), None, "nobody served");
        // a two-day interval is compared over both days
        let two = Interval {
            from: d("2027-01-03"),
            to: d("2027-01-05"),
            amount: 1100,
        };
        assert_eq!(low_run(&[two], 10, 55), None);
    }

    #[test]
    fn energy_per_kl_rises_by_whole_percent() {
        let before = Use {
            wh: 1000,
            litres: 10_000,
            days: 90,
        };
        let same = Use {
            wh: 2000,
            litres: 20_000,
            days: 60,
        };
        assert_eq!(rise_percent(before, same), Some(0));
        let up = Use {
            wh: 1150,
            litres: 10_000,
            days: 90,
        };
        assert_eq!(rise_percent(before, up), Some(15));
        let short = Use { days: 27, ..up };
        assert_eq!(rise_percent(before, short), None, "too few days measured");
        let ((bf, bt), (rf, rt)) = windows(d("2027-07-10"));
        assert_eq!((bf, bt), (d("2027-01-01"), d("2027-03-31")));
        assert_eq!((rf, rt), (d("2027-04-01"), d("2027-06-30")));
    }
}
