//! Tail-end checks: the library's monthly plan on a scheme's distribution network appears in
//! "my tasks" (in Hindi too); done with readings, the latest check counts in the quantity
//! criterion: water that did not reach the farthest household makes quantity not met even
//! when the lpcd meets the norm, with its reason; it counts for the next month too until
//! that month's check is done.

use crate::factories::{scheme_in, Gp};
use crate::helpers::{call, TestApp};
use chrono::{NaiveDate, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn noon(day: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("{day} 06:30:00"), "%Y-%m-%d %H:%M:%S").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A GP with a scheme serving two households of five (10 persons), its distribution network
/// with the library's plans, and the tasks of April and May: (gp, scheme id).
fn setup(app: &TestApp) -> (Gp, i64) {
    use diesel::prelude::*;
    use paani::db::schema::households;
    let gp = app.gp();
    let (scheme, _) = scheme_in(app, gp.lgd, "Tail");
    for _ in 0..2 {
        let h = app.household(&gp);
        diesel::update(households::table.find(h))
            .set((
                households::scheme_id.eq(Some(scheme)),
                households::members.eq(Some(5)),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let mut c = app.conn();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let s = paani::schemes::find(&mut c, scheme).unwrap();
    let av = paani::schemes::assets::validate(
        &cat,
        &paani::schemes::assets::AssetInput {
            kind: "distribution_pipeline".into(),
            name: "Village network".into(),
            ..Default::default()
        },
        paani::config::Config::defaults().money,
        day("2026-04-01"),
    )
    .unwrap();
    let a = paani::schemes::assets::create(&mut c, &s, &av, None, app.clock.now()).unwrap();
    let lib = paani::maintenance::templates::Library::load("").unwrap();
    paani::maintenance::templates::apply_to_asset(
        &mut c,
        &lib,
        &s,
        &a,
        day("2026-04-01"),
        paani::web::i18n::Lang::En,
        app.clock.now(),
    )
    .unwrap();
    paani::maintenance::generate(
        &mut c,
        Some(s.gp_id),
        day("2026-04-01"),
        day("2026-05-31"),
        app.clock.now(),
        |_| {},
    )
    .unwrap();
    drop(c);
    app.member_of(&gp);
    app.secretary_of(&gp);
    (gp, scheme)
}

/// The open tail-end task due in `month` (YYYY-MM).
fn tail_end_task(app: &TestApp, scheme: i64, month: &str) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::{maintenance_plans as mp, maintenance_tasks as mt};
    let tasks: Vec<(i64, NaiveDate)> = mt::table
        .inner_join(mp::table)
        .filter(mt::scheme_id.eq(scheme))
        .filter(mp::template_code.eq(paani::supply::tail_end::TEMPLATE))
        .filter(mt::state.eq("open"))
        .select((mt::id, mt::due_on))
        .load(&mut *app.conn())
        .unwrap();
    tasks
        .into_iter()
        .find(|(_, d)| d.format("%Y-%m").to_string() == month)
        .unwrap_or_else(|| panic!("a tail-end task in {month}"))
        .0
}

async fn functionality(app: &TestApp, token: &str, scheme: i64, month: &str) -> Value {
    let (s, v) = call(
        app,
        token,
        "GET",
        &format!("/api/v1/supply/schemes/{scheme}/functionality?month={month}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn reading(app: &TestApp, token: &str, scheme: i64, on: &str, kl: &str) {
    let (s, v) = call(
        app,
        token,
        "POST",
        &format!("/api/v1/supply/schemes/{scheme}/logs"),
        json!({"supply_on": on, "supplied": "as_usual", "bulk_meter_kl": kl}),
    )
    .await;
    assert!(s.is_success(), "{v}");
}

async fn check(app: &TestApp, token: &str, task: i64, on: &str, readings: &str) {
    let (s, v) = call(
        app,
        token,
        "POST",
        &format!("/api/v1/maintenance/tasks/{task}/complete"),
        json!({"done_on": on, "readings": readings, "checked": "0,1,2"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn a_failed_tail_end_check_makes_quantity_not_met() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-20"));
    let (gp, scheme) = setup(&app);
    let secretary = app.api_token(&format!("secretary-{}", gp.lgd)).await;

    // the plan is in the member's tasks, in the library's words
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (s, tasks) = member.get_text("/tasks").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        tasks.contains("Tail-end check: quantity and pressure at the farthest household"),
        "{tasks}"
    );

    // 600 L a day for 10 persons = 60 lpcd over 19 days: quantity met, no check yet
    reading(&app, &secretary, scheme, "2026-03-31", "0").await;
    reading(&app, &secretary, scheme, "2026-04-19", "11.4").await;
    let v = functionality(&app, &secretary, scheme, "2026-04").await;
    assert_eq!(v["lpcd"], json!(60.0), "{v}");
    assert_eq!(v["quantity"], "met", "{v}");
    assert!(v["tail_end"].is_null());

    // the check on 15 April: 10 L in 60 s, 8 m of head, but water did not reach (0)
    let april = tail_end_task(&app, scheme, "2026-04");
    check(&app, &secretary, april, "2026-04-15", "10;60;;8;0").await;
    let v = functionality(&app, &secretary, scheme, "2026-04").await;
    assert_eq!(v["lpcd"], json!(60.0), "the lpcd itself is unchanged");
    assert_eq!(v["quantity"], "not_met", "{v}");
    assert_ne!(v["functionality"], "functional");
    assert_eq!(v["tail_end"]["verdict"]["quantity"], "not_met");
    assert_eq!(v["tail_end"]["readings"]["reached"], json!(false));
    assert_eq!(v["tail_end"]["lpm"], json!(10.0));
    let last = v["reasons"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["key"], "supply-why-tail-end-dry", "{v}");
    assert_eq!(last["criterion"], "quantity");

    // the scheme's month page shows the last check and why
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, page) = b
        .get_text(&format!("/schemes/{scheme}/supply/month?month=2026-04"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"tail-end\""), "{page}");
    assert!(
        page.contains("water did not reach the farthest household"),
        "{page}"
    );

    // in May, April's check counts until May's is done
    app.clock.set(noon("2026-05-20"));
    reading(&app, &secretary, scheme, "2026-05-19", "29.4").await;
    let v = functionality(&app, &secretary, scheme, "2026-05").await;
    assert_eq!(v["quantity"], "not_met", "{v}");
    assert_eq!(v["tail_end"]["done_on"], "2026-04-15");
    // May's check passes: 10 L in 120 s = 5 lpm × the usual 4 hours = 1,200 L ≥ 275 L a day
    // for a household of five; 7.5 m of head ≥ 7 m
    let may = tail_end_task(&app, scheme, "2026-05");
    check(&app, &secretary, may, "2026-05-10", "10;120;;7.5;1").await;
    let v = functionality(&app, &secretary, scheme, "2026-05").await;
    assert_eq!(v["quantity"], "met", "{v}");
    assert_eq!(v["tail_end"]["done_on"], "2026-05-10");
    let last = v["reasons"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["key"], "supply-why-tail-end-ok");
}

#[tokio::test]
async fn the_tail_end_plan_reads_in_hindi() {
    let lib = paani::maintenance::templates::Library::load("").unwrap();
    let t = lib.find(paani::supply::tail_end::TEMPLATE).unwrap();
    assert_eq!(t.asset_kinds, vec!["distribution_pipeline".to_string()]);
    assert_eq!(t.every_unit, "month");
    assert_eq!(t.readings.len(), 5);
    assert!(t
        .title_hi
        .chars()
        .any(|c| ('\u{0900}'..='\u{097F}').contains(&c)));
    for r in &t.readings {
        let hi = r.name_hi.as_deref().unwrap();
        assert!(!hi.chars().any(|c| c.is_ascii_alphabetic()), "{hi}");
    }
    assert_eq!(t.checklist_hi.len(), t.checklist.len());
}
