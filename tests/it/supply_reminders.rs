//! The supply reminders that need the daily supply check (`supply::watch`): lpcd below the
//! norm for a week (6 days below: nothing; the 7th: the secretary and the block engineer;
//! a day back at the norm resolves it), and energy per kL up by 15% over three months on the
//! three before (exactly 15%: reminded, with the pump service task linked; 14.9%: not).
//! Logs are built by hand, straight into the table.

use crate::factories::{scheme_in, Gp};
use crate::helpers::TestApp;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::db::schema::{households, maintenance_plans, maintenance_tasks, reminders};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn noon(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(6, 30, 0).unwrap()
}

/// A scheme serving `persons` (households of 5) in a GP with a secretary, a member and the
/// block engineer.
fn scheme(app: &TestApp, gp: &Gp, label: &str, persons: i32) -> i64 {
    let (scheme, _) = scheme_in(app, gp.lgd, label);
    for _ in 0..persons / 5 {
        let h = app.household(gp);
        diesel::update(households::table.find(h))
            .set((
                households::scheme_id.eq(Some(scheme)),
                households::members.eq(Some(5)),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    scheme
}

fn people(app: &TestApp, gp: &Gp) {
    app.secretary_of(gp);
    app.member_of(gp);
    app.engineer_of(gp);
}

/// A day's log as the operator keeps it: the meters' readings (litres, Wh).
fn log(app: &TestApp, gp: &Gp, scheme: i64, day: NaiveDate, litres: i64, wh: Option<i64>) {
    let v = paani::supply::model::LogValues {
        gp_id: gp.id,
        scheme_id: scheme,
        supply_on: day,
        source: "person".into(),
        supplied: "as_usual".into(),
        reason: None,
        sessions: "06:00-08:00".into(),
        supply_minutes: 120,
        pumping_minutes: None,
        bulk_meter_litres: Some(litres),
        bulk_meter_event: "none".into(),
        bulk_meter_capacity_litres: None,
        energy_meter_wh: wh,
        energy_meter_event: "none".into(),
        energy_meter_capacity_wh: None,
        chlorine_grams: None,
        note: None,
        recorded_by: None,
        updated_at: noon(day),
    };
    paani::supply::model::save_log(&mut app.conn(), &v, noon(day)).unwrap();
}

/// The day's check, then one reminder rule: (raised, resolved).
fn sweep(app: &TestApp, rule: &str, today: NaiveDate) -> (usize, usize) {
    let config = paani::config::Config::defaults();
    let now = noon(today);
    let day = paani::jobs::JobDay {
        today,
        now,
        last: None,
    };
    paani::supply::watch::scheduled_check(&mut app.conn(), &config, &day).unwrap();
    let rules = paani::reminders::rules::all(
        &config.reminders,
        &config.maintenance,
        &config.water_quality.incidents,
        3,
        today,
        now,
    );
    let r = rules.iter().find(|r| r.name == rule).unwrap();
    let o = paani::reminders::rules::apply(&mut app.conn(), r, now).unwrap();
    (o.raised, o.resolved)
}

/// (user's role, dedupe key, link, resolved) of a rule's reminders.
fn raised(app: &TestApp, rule: &str) -> Vec<(String, String, String, bool)> {
    use paani::db::schema::users;
    reminders::table
        .inner_join(users::table.on(users::id.eq(reminders::user_id)))
        .filter(reminders::rule.eq(rule))
        .order(reminders::id)
        .select((
            users::role,
            reminders::dedupe_key,
            reminders::link,
            reminders::resolved_at.is_not_null(),
        ))
        .load(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_week_below_the_norm_reminds_the_secretary_and_the_engineer() {
    let app = TestApp::spawn().await;
    app.clock.set(noon(d("2026-04-01")));
    let gp = app.gp();
    people(&app, &gp);
    // 10 persons, norm 55: 550 litres a day meets it
    let s = scheme(&app, &gp, "Low", 10);
    let config = paani::config::Config::defaults();
    assert_eq!(config.reminders.supply_lpcd_low_days, 7);
    assert_eq!(config.supply.lpcd_norm, 55);
    let mut meter = 0;
    log(&app, &gp, s, d("2026-04-01"), meter, None);
    meter += 550; // 2 April: at the norm
    log(&app, &gp, s, d("2026-04-02"), meter, None);
    // 3–8 April: 549 litres a day, six days below
    let mut day = d("2026-04-03");
    for _ in 0..6 {
        meter += 549;
        log(&app, &gp, s, day, meter, None);
        day += Duration::days(1);
    }
    assert_eq!(
        sweep(&app, "supply_lpcd_low", d("2026-04-08")),
        (0, 0),
        "6 days"
    );
    // the seventh
    meter += 549;
    log(&app, &gp, s, d("2026-04-09"), meter, None);
    assert_eq!(
        sweep(&app, "supply_lpcd_low", d("2026-04-09")),
        (2, 0),
        "7 days"
    );
    let r = raised(&app, "supply_lpcd_low");
    let mut roles: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
    roles.sort_unstable();
    assert_eq!(roles, vec!["block_engineer", "secretary"]);
    assert!(r.iter().all(|(_, key, link, resolved)| key
        == &format!("supply_lpcd_low:{s}:2026-04-03")
        && link == &format!("/schemes/{s}/supply")
        && !resolved));
    // an eighth day below: the same run, no second reminder
    meter += 500;
    log(&app, &gp, s, d("2026-04-10"), meter, None);
    assert_eq!(sweep(&app, "supply_lpcd_low", d("2026-04-10")), (0, 0));
    // a missed day, then two days' water at the norm: back at the norm, resolved
    meter += 1100;
    log(&app, &gp, s, d("2026-04-12"), meter, None);
    assert_eq!(sweep(&app, "supply_lpcd_low", d("2026-04-12")), (0, 2));
    // a new week below later is a new reminder
    let mut day = d("2026-04-13");
    for _ in 0..7 {
        meter += 100;
        log(&app, &gp, s, day, meter, None);
        day += Duration::days(1);
    }
    assert_eq!(sweep(&app, "supply_lpcd_low", d("2026-04-19")), (2, 0));
    assert!(raised(&app, "supply_lpcd_low")
        .iter()
        .any(|x| x.1 == format!("supply_lpcd_low:{s}:2026-04-13")));
    // a scheme nobody is served by (no households) is not assessed: never reminded
    let empty = scheme(&app, &gp, "Empty", 0);
    for (i, day) in (0..10).map(|i| (i, d("2026-04-10") + Duration::days(i))) {
        log(&app, &gp, empty, day, i * 10, None);
    }
    sweep(&app, "supply_lpcd_low", d("2026-04-19"));
    assert!(!raised(&app, "supply_lpcd_low")
        .iter()
        .any(|x| x.1.contains(&format!(":{empty}:"))));
}

/// Six monthly readings of both meters: 30 kL a month; `before` Wh a month from January to
/// March, `recent` Wh from April to June.
fn months(app: &TestApp, gp: &Gp, s: i64, before: i64, recent: i64) {
    let ends = [
        "2025-12-31",
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
    ];
    let (mut litres, mut wh) = (1_000_000, 5_000_000);
    for (i, day) in ends.iter().enumerate() {
        if i > 0 {
            litres += 30_000;
            wh += if i <= 3 { before } else { recent };
        }
        log(app, gp, s, d(day), litres, Some(wh));
    }
}

#[actix_web::test]
async fn energy_per_kl_up_fifteen_percent_suggests_pump_servicing() {
    let app = TestApp::spawn().await;
    app.clock.set(noon(d("2025-12-01")));
    let gp = app.gp();
    people(&app, &gp);
    let config = paani::config::Config::defaults();
    assert_eq!(config.reminders.supply_energy_rise_percent, 15);
    let up = scheme(&app, &gp, "Worn", 0);
    let almost = scheme(&app, &gp, "Almost", 0);
    let unplanned = scheme(&app, &gp, "Unplanned", 0);
    // 3,000 Wh a month for 30 kL, then 3,450 (+15%); 3,449 (+14.97%)
    months(&app, &gp, up, 3_000, 3_450);
    months(&app, &gp, almost, 3_000, 3_449);
    months(&app, &gp, unplanned, 3_000, 3_600);
    diesel::update(maintenance_plans::table.filter(maintenance_plans::scheme_id.eq(unplanned)))
        .set(maintenance_plans::active.eq(false))
        .execute(&mut *app.conn())
        .unwrap();
    // the open task of Worn's pump service plan
    let task: i64 = maintenance_tasks::table
        .inner_join(maintenance_plans::table)
        .filter(maintenance_plans::scheme_id.eq(up))
        .filter(maintenance_plans::template_code.eq("pump_service"))
        .filter(maintenance_tasks::state.eq("open"))
        .order(maintenance_tasks::due_on)
        .select(maintenance_tasks::id)
        .first(&mut *app.conn())
        .unwrap();

    // in June the months compared are December–February and March–May: nothing yet
    assert_eq!(sweep(&app, "supply_energy_rising", d("2026-06-15")), (0, 0));
    let (raised_n, _) = sweep(&app, "supply_energy_rising", d("2026-07-10"));
    assert_eq!(
        raised_n, 4,
        "Worn and Unplanned, each to the secretary and the engineer"
    );
    let r = raised(&app, "supply_energy_rising");
    assert!(r
        .iter()
        .filter(|x| x.1 == format!("supply_energy_rising:{up}:2026-06"))
        .all(|x| x.2 == format!("/tasks/{task}")));
    assert!(r
        .iter()
        .filter(|x| x.1 == format!("supply_energy_rising:{unplanned}:2026-06"))
        .all(|x| x.2 == format!("/schemes/{unplanned}/maintenance")));
    assert!(
        !r.iter().any(|x| x.1.contains(&format!(":{almost}:"))),
        "14%"
    );
    // the next day: the same finding, no second reminder
    assert_eq!(sweep(&app, "supply_energy_rising", d("2026-07-11")), (0, 0));
    // once the months compared no longer show the rise (August: February–April against
    // May–July, no readings after June), it resolves
    let (_, resolved) = sweep(&app, "supply_energy_rising", d("2026-08-02"));
    assert_eq!(resolved, 4);
}
