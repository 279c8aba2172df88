//! The supply area: a day's log over the form and the API, the editing window, scope, and
//! the month's figures and functionality worked out by hand (a meter roll-over, a missing
//! day, the norm exactly and just below, regularity at the threshold).

use crate::factories::{scheme_in, Gp};
use crate::helpers::{call, get_json, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// India noon on `day`, as the clock's UTC.
fn noon(day: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("{day} 06:30:00"), "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A GP with a scheme whose register holds households of these sizes (`None`: the register
/// has no size, the configured 5 counts), a member and a secretary: (gp, scheme id).
fn setup(app: &TestApp, sizes: &[Option<i32>]) -> (Gp, i64) {
    use diesel::prelude::*;
    use paani::db::schema::households;
    let gp = app.gp();
    let (scheme, _) = scheme_in(app, gp.lgd, "Supply");
    for size in sizes {
        let h = app.household(&gp);
        diesel::update(households::table.find(h))
            .set((
                households::scheme_id.eq(Some(scheme)),
                households::members.eq(*size),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    app.member_of(&gp);
    app.secretary_of(&gp);
    (gp, scheme)
}

async fn log_day(app: &TestApp, token: &str, scheme: i64, body: Value) -> (StatusCode, Value) {
    call(
        app,
        token,
        "POST",
        &format!("/api/v1/supply/schemes/{scheme}/logs"),
        body,
    )
    .await
}

async fn month(app: &TestApp, token: &str, scheme: i64, what: &str, m: &str) -> Value {
    let (s, v) = get_json(
        app,
        token,
        &format!("/api/v1/supply/schemes/{scheme}/{what}?month={m}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// Ten persons (a household of 4, one of 1, one the register gives no size: 5). 31 March
/// reads 98 kL; 1 and 2 April 600 L a day; 3 April is not logged; 4 April the meter rolls
/// over at 100 kL and reads 0.600 (1,400 L over two days), with less water (one session);
/// 5 April no water (power cut). By hand: 2,600 L over 5 days for 10 persons = 52 lpcd,
/// below 55; 3 of 5 days supplied (60%) and 600 of 1,200 minutes (50%), below 80%.
#[actix_web::test]
async fn lpcd_and_regularity_by_hand_with_a_roll_over_and_a_missing_day() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-05"));
    let (gp, scheme) = setup(&app, &[Some(4), Some(1), None]);
    let secretary = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let member = app.api_token(&format!("member-{}", gp.lgd)).await;
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-03-31", "supplied": "as_usual", "bulk_meter_kl": "98"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["bulk_meter_litres"], 98_000);
    assert_eq!(
        v["sessions"], "06:00-08:00,17:00-19:00",
        "the usual sessions"
    );
    assert_eq!(v["supply_minutes"], 240);
    assert_eq!(v["source"], "person");
    for (day, kl) in [("2026-04-01", "98.6"), ("2026-04-02", "99.200")] {
        let (s, v) = log_day(
            &app,
            &secretary,
            scheme,
            json!({"supply_on": day, "supplied": "as_usual", "bulk_meter_kl": kl, "pumping_hours": 4}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    // a lower reading must say what happened to the meter
    let roll = json!({"supply_on": "2026-04-04", "supplied": "less", "reason": "source_low",
        "sessions": "06:00-08:00", "bulk_meter_kl": "0.600"});
    let (s, v) = log_day(&app, &member, scheme, roll.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields = v["errors"].as_object().unwrap();
    assert!(
        fields.contains_key("bulk_meter_kl") && fields.contains_key("bulk_meter_event"),
        "{v}"
    );
    let mut roll = roll;
    roll["bulk_meter_event"] = json!("rolled_over");
    let (s, v) = log_day(&app, &member, scheme, roll.clone()).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a roll-over needs the capacity: {v}"
    );
    roll["bulk_meter_capacity_kl"] = json!("100");
    let (s, v) = log_day(&app, &member, scheme, roll).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["bulk_meter_capacity_litres"], 100_000);
    assert_eq!(v["supply_minutes"], 120);
    let none = json!({"supply_on": "2026-04-05", "supplied": "none", "bulk_meter_kl": "0.6"});
    let (s, v) = log_day(&app, &member, scheme, none.clone()).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no water needs a reason: {v}"
    );
    let mut none = none;
    none["reason"] = json!("power_cut");
    let (s, v) = log_day(&app, &member, scheme, none.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // the same day again changes it
    let (s, _) = log_day(&app, &member, scheme, none).await;
    assert_eq!(s, StatusCode::OK);

    let f = month(&app, &member, scheme, "figures", "2026-04").await;
    let f = &f["figures"];
    assert_eq!(f["persons_served"], 10, "{f}");
    assert_eq!(f["volume_litres"], 2_600, "{f}");
    assert_eq!(f["days_measured"], 5);
    assert_eq!(f["lpcd"], 52.0);
    assert_eq!(
        (f["days_supplied"].as_i64(), f["days_scheduled"].as_i64()),
        (Some(3), Some(5))
    );
    assert_eq!(f["regularity_percent"], 60.0);
    assert_eq!(f["hours_percent"], 50.0);
    assert_eq!(f["days_not_logged"], 1);
    assert_eq!(f["by_reason"].as_array().unwrap().len(), 2, "{f}");
    let k = month(&app, &member, scheme, "functionality", "2026-04").await;
    assert_eq!(k["quantity"], "not_met", "{k}");
    assert_eq!(k["regularity"], "not_met");
    assert_eq!(k["quality"], "not_assessed");
    assert_eq!(k["functionality"], "not_functional");
    assert_eq!(k["reasons"].as_array().unwrap().len(), 3);

    let (s, logs) = get_json(
        &app,
        &member,
        &format!("/api/v1/supply/schemes/{scheme}/logs?from=2026-03-01&to=2026-04-30"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(logs["items"].as_array().unwrap().len(), 5);
    assert_eq!(logs["total"], 5);
}

/// 4 persons × 10 days × 55 L = 2,200 L meets the norm exactly; 2,199 L does not. 8 of 10
/// days supplied is exactly the 80% threshold; 7 is not.
#[actix_web::test]
async fn functionality_at_the_boundaries() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-10"));
    let (gp, scheme) = setup(&app, &[Some(4)]);
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, v) = log_day(
        &app,
        &token,
        scheme,
        json!({"supply_on": "2026-03-31", "supplied": "as_usual", "bulk_meter_kl": "0"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    for d in 1..=10 {
        let supplied = if d <= 8 { "as_usual" } else { "none" };
        let mut body = json!({"supply_on": format!("2026-04-{d:02}"), "supplied": supplied,
            "reason": if d <= 8 { "" } else { "motor_failure" }});
        if d == 10 {
            body["bulk_meter_kl"] = json!("2.2");
        }
        let (s, v) = log_day(&app, &token, scheme, body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let k = month(&app, &token, scheme, "functionality", "2026-04").await;
    assert_eq!(k["lpcd"], 55.0, "{k}");
    assert_eq!(k["quantity"], "met");
    assert_eq!(k["regularity_percent"], 80.0);
    assert_eq!(k["regularity"], "met");
    assert_eq!(k["functionality"], "functional");

    let (s, _) = log_day(
        &app,
        &token,
        scheme,
        json!({"supply_on": "2026-04-10", "supplied": "none", "reason": "motor_failure",
            "bulk_meter_kl": "2.199"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let k = month(&app, &token, scheme, "functionality", "2026-04").await;
    assert_eq!(k["quantity"], "not_met", "just below the norm: {k}");
    assert_eq!(k["functionality"], "partly_functional");

    let (s, _) = log_day(
        &app,
        &token,
        scheme,
        json!({"supply_on": "2026-04-08", "supplied": "none", "reason": "pipe_burst"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let k = month(&app, &token, scheme, "functionality", "2026-04").await;
    assert_eq!(k["regularity_percent"], 70.0);
    assert_eq!(k["regularity"], "not_met", "{k}");
    assert_eq!(k["functionality"], "not_functional");
}

/// Members log today and the two days before; the third day before only the secretary.
#[actix_web::test]
async fn members_change_only_the_last_three_days() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-10"));
    let (gp, scheme) = setup(&app, &[]);
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let path = format!("/schemes/{scheme}/supply");
    let day =
        |n: i64| (NaiveDate::from_ymd_opt(2026, 4, 10).unwrap() - Duration::days(n)).to_string();
    for n in 0..=2 {
        let res = member
            .post_form(&path, &[("supply_on", &day(n)), ("supplied", "as_usual")])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{n} days ago");
    }
    let res = member
        .post_form(&path, &[("supply_on", &day(3)), ("supplied", "as_usual")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("ask the secretary") || body.contains("सचिव"),
        "{body}"
    );
    let res = member
        .post_form(&path, &[("supply_on", &day(-1)), ("supplied", "as_usual")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "tomorrow");
    let res = secretary
        .post_form(&path, &[("supply_on", &day(3)), ("supplied", "as_usual")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // the page lists the days, the member's edit links only for the last three
    let (s, page) = member.get_text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("supply/day?on={}", day(2))));
    assert!(!page.contains(&format!("supply/day?on={}", day(3))));
    let (_, page) = secretary.get_text(&path).await;
    assert!(page.contains(&format!("supply/day?on={}", day(3))));
    assert_eq!(app.count("supply_logs"), 4);
}

/// A failed form answers 422 with the summary and the input kept; Devanagari digits read.
#[actix_web::test]
async fn the_form_keeps_its_input_and_reads_hindi_digits() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-10"));
    let (gp, scheme) = setup(&app, &[]);
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let path = format!("/schemes/{scheme}/supply");
    let res = member
        .post_form(
            &path,
            &[
                ("supply_on", "2026-04-09"),
                ("supplied", "as_usual"),
                ("bulk_meter_kl", "१२३४.५"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    {
        use diesel::prelude::*;
        use paani::db::schema::supply_logs;
        let litres: Option<i64> = supply_logs::table
            .select(supply_logs::bulk_meter_litres)
            .first(&mut *app.conn())
            .unwrap();
        assert_eq!(litres, Some(1_234_500));
    }
    let res = member
        .post_form(
            &path,
            &[
                ("supply_on", "2026-04-10"),
                ("supplied", "less"),
                ("sessions", "06:00-07:15"),
                ("pumping_hours", "25"),
                ("bulk_meter_kl", "1200.25"),
                ("note", "pump noisy"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("error-summary"), "{body}");
    for kept in ["1200.25", "06:00-07:15", "pump noisy", "value=\"25\""] {
        assert!(body.contains(kept), "{kept} kept");
    }
    for field in [
        "reason",
        "pumping_hours",
        "bulk_meter_kl",
        "bulk_meter_event",
    ] {
        assert!(
            body.contains(&format!("href=\"#{field}\"")),
            "{field} in the summary"
        );
    }
    assert_eq!(app.count("supply_logs"), 1);
}

/// Another GP's scheme is not found, on pages and the API alike; engineers read, not log.
#[actix_web::test]
async fn another_gps_scheme_is_not_found() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-10"));
    let (gp, scheme) = setup(&app, &[]);
    let (other, _) = setup(&app, &[]);
    let outsider = app.login_as(&format!("member-{}", other.lgd)).await;
    for path in [
        format!("/schemes/{scheme}/supply"),
        format!("/schemes/{scheme}/supply/month?month=2026-04"),
        format!("/schemes/{scheme}/supply/day"),
    ] {
        assert_eq!(
            outsider.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = outsider
        .post_form(
            &format!("/schemes/{scheme}/supply"),
            &[("supplied", "as_usual")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let token = app.api_token(&format!("member-{}", other.lgd)).await;
    for what in ["logs", "figures?month=2026-04", "functionality"] {
        let (s, _) = get_json(
            &app,
            &token,
            &format!("/api/v1/supply/schemes/{scheme}/{what}"),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{what}");
    }
    let (s, _) = log_day(&app, &token, scheme, json!({"supplied": "as_usual"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    app.engineer_of(&gp);
    let engineer = app.api_token(&format!("engineer-{}", gp.block_lgd)).await;
    let (s, _) = log_day(&app, &engineer, scheme, json!({"supplied": "as_usual"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = get_json(
        &app,
        &engineer,
        &format!("/api/v1/supply/schemes/{scheme}/figures"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(app.count("supply_logs"), 0);
}

/// A secretary sets the schedule; the figures follow it (3 days a week).
#[actix_web::test]
async fn the_schedule_sets_the_usual_sessions() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-10"));
    let (gp, scheme) = setup(&app, &[]);
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let path = format!("/schemes/{scheme}/supply/schedule");
    let res = secretary
        .post_form(
            &path,
            &[("sessions", "07:00-06:00"), ("days_per_week", "9")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = secretary
        .post_form(
            &path,
            &[("sessions", "०७:००-०९:३०"), ("days_per_week", "3")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = secretary
        .post_form(
            &format!("/schemes/{scheme}/supply"),
            &[("supplied", "as_usual")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let f = month(&app, &token, scheme, "figures", "2026-04").await;
    assert_eq!(f["usual"]["sessions"], "07:00-09:30");
    assert_eq!(
        f["figures"]["days_scheduled"], 4,
        "10 days at 3 a week: {f}"
    );
    assert_eq!(f["figures"]["minutes_supplied"], 150);
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    assert_eq!(member.get(&path).await.status(), StatusCode::FORBIDDEN);
}

/// The demo's year of logs: every scheme of Banapura's block logged up to yesterday, with
/// gaps and days without water, a bulk meter rolling over, and one scheme below the norm.
#[actix_web::test]
async fn the_demo_has_a_year_of_supply_with_one_scheme_below_the_norm() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-12-07"));
    paani::demo::seed(&app.db, &app.clock).unwrap();
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    let config = paani::config::Config::defaults();
    let n = paani::demo::seed_supply(&app.db, &app.clock, &config).unwrap();
    assert!(n > 1_500, "{n} logs");
    assert_eq!(
        paani::demo::seed_supply(&app.db, &app.clock, &config).unwrap(),
        0,
        "once"
    );
    {
        use diesel::prelude::*;
        use paani::db::schema::supply_logs as l;
        let rolled: i64 = l::table
            .filter(l::bulk_meter_event.eq("rolled_over"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert!(rolled >= 1);
        let none: i64 = l::table
            .filter(l::supplied.eq("none"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert!(none > 20, "{none} days without water");
    }
    // one scheme has a device (its key shown nowhere) and three weeks of its readings,
    // shown beside the operator's on the scheme's supply page
    let device_scheme: i64 = {
        use diesel::prelude::*;
        use paani::db::schema::supply_devices as d;
        let rows: Vec<(i64, String)> = d::table
            .select((d::scheme_id, d::token_hash))
            .load(&mut *app.conn())
            .unwrap();
        assert_eq!(rows.len(), 1, "one demo device");
        assert_eq!(rows[0].1.len(), 64, "a hash, not a key");
        rows[0].0
    };
    let readings = app.count("supply_readings");
    assert!((15..=21).contains(&readings), "{readings} device readings");
    let admin = app.login_as("admin").await;
    let (s, page) = admin
        .get_text(&format!("/schemes/{device_scheme}/supply?lang=en"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("reading-device") && page.contains("reading-person"),
        "both sources on the page"
    );
    let token = app.api_token("admin").await;
    let mut below = 0;
    let mut functional = 0;
    for scheme in 1..=6 {
        let k = month(&app, &token, scheme, "functionality", "2026-11").await;
        if k["quantity"] == "not_met" {
            below += 1;
        }
        if k["functionality"] == "functional" {
            functional += 1;
        }
    }
    assert_eq!(below, 1, "one scheme below the norm");
    assert!(functional >= 2, "{functional} functional");
}

/// `/supply` pages its schemes and finds them by name or by a village they serve.
#[actix_web::test]
async fn the_schemes_list_pages_and_finds_a_village() {
    use diesel::prelude::*;
    use paani::db::schema::{places, scheme_villages};
    let app = TestApp::spawn_with(|c| c.server.page_size = 2).await;
    app.clock.set(noon("2026-04-10"));
    let (gp, _) = setup(&app, &[]);
    scheme_in(&app, gp.lgd, "Alpha");
    let (beta, _) = scheme_in(&app, gp.lgd, "Beta");
    diesel::insert_into(scheme_villages::table)
        .values((
            scheme_villages::scheme_id.eq(beta),
            scheme_villages::village_id.eq(gp.village_id),
            scheme_villages::gp_id.eq(gp.id),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let village: String = places::table
        .find(gp.village_id)
        .select(places::name)
        .first(&mut *app.conn())
        .unwrap();
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (s, body) = member.get_text("/supply").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("Alpha PWS") && body.contains("Beta PWS"),
        "{body}"
    );
    assert!(!body.contains("Supply PWS"), "the third is on page 2");
    assert!(body.contains("href=\"/supply?page&#x3D;2\""), "a next page");
    let (_, body) = member.get_text("/supply?page=2").await;
    assert!(body.contains("Supply PWS") && !body.contains("Alpha PWS"));
    assert!(
        body.contains("href=\"/supply?page&#x3D;1\""),
        "a previous page"
    );
    let q = village.to_lowercase().replace(' ', "+");
    let (_, body) = member.get_text(&format!("/supply?q={q}")).await;
    assert!(body.contains("Beta PWS"), "found by its village");
    assert!(!body.contains("Alpha PWS") && !body.contains("Supply PWS"));
    assert!(!body.contains("rel=\"next\""), "one page");
    let (_, body) = member.get_text("/supply?q=alpha").await;
    assert!(body.contains("Alpha PWS") && !body.contains("Beta PWS"));
}

/// A secretary's correction of an older day is checked against the reading after it too: a
/// reading above the next day's is refused with a message naming that day, unless that day
/// is marked as a roll-over (with room for the reading) or a replaced meter.
#[actix_web::test]
async fn a_correction_must_fit_under_the_next_days_reading() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-10"));
    let (gp, scheme) = setup(&app, &[Some(5)]);
    let secretary = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    for (day, kl) in [
        ("2026-04-01", "10"),
        ("2026-04-02", "11"),
        ("2026-04-03", "12"),
    ] {
        let (s, v) = log_day(
            &app,
            &secretary,
            scheme,
            json!({"supply_on": day, "supplied": "as_usual", "bulk_meter_kl": kl}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let day2 =
        |kl: &str| json!({"supply_on": "2026-04-02", "supplied": "as_usual", "bulk_meter_kl": kl});
    // above the next day's 12 kL: refused, naming that day
    let (s, v) = log_day(&app, &secretary, scheme, day2("13")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let msg = v["errors"]["bulk_meter_kl"].to_string();
    assert!(msg.contains("03-04-2026") && msg.contains("12.000"), "{v}");
    // the first day is checked against the second, too
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-04-01", "supplied": "as_usual", "bulk_meter_kl": "11.5"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // between its neighbours: fine; equal to the next: fine
    for kl in ["11.5", "12"] {
        let (s, v) = log_day(&app, &secretary, scheme, day2(kl)).await;
        assert_eq!(s, StatusCode::OK, "{kl}: {v}");
    }
    // once the next day is marked as a roll-over at 100 kL, a higher day 2 is explained...
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-04-03", "supplied": "as_usual", "bulk_meter_kl": "0.5",
            "bulk_meter_event": "rolled_over", "bulk_meter_capacity_kl": "100"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = log_day(&app, &secretary, scheme, day2("60")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // ...but not one above the capacity it rolled over at
    let (s, v) = log_day(&app, &secretary, scheme, day2("120")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // a replaced meter explains any drop
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-04-03", "supplied": "as_usual", "bulk_meter_kl": "0.5",
            "bulk_meter_event": "replaced"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = log_day(&app, &secretary, scheme, day2("120")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // the energy meter is checked the same way
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-04-02", "supplied": "as_usual", "energy_meter_kwh": "50"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-04-01", "supplied": "as_usual", "bulk_meter_kl": "10",
            "energy_meter_kwh": "51"}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the energy meter too: {v}"
    );
    assert!(v["errors"].get("energy_meter_kwh").is_some(), "{v}");
}

/// The month's logs of a scheme and the month's figures of every scheme in scope, as CSV.
#[actix_web::test]
async fn the_months_logs_and_figures_as_csv() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-05"));
    let (gp, scheme) = setup(&app, &[Some(4), Some(1), None]);
    let (other, _) = setup(&app, &[]);
    let secretary = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    for (day, body) in [
        (
            "2026-03-31",
            json!({"supplied": "as_usual", "bulk_meter_kl": "98"}),
        ),
        (
            "2026-04-01",
            json!({"supplied": "as_usual", "bulk_meter_kl": "98.6", "note": "=1+1"}),
        ),
        (
            "2026-04-02",
            json!({"supplied": "none", "reason": "power_cut"}),
        ),
    ] {
        let mut body = body;
        body["supply_on"] = json!(day);
        let (s, v) = log_day(&app, &secretary, scheme, body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (_, page) = member
        .get_text(&format!("/schemes/{scheme}/supply/month?month=2026-04"))
        .await;
    assert!(
        page.contains(&format!("/schemes/{scheme}/supply/month.csv?month")),
        "linked"
    );
    let res = member
        .get(&format!("/schemes/{scheme}/supply/month.csv?month=2026-04"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("date,supplied,reason,sessions"),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 5, "1 to 5 April: {text}");
    assert!(lines[1].starts_with("2026-04-01,as_usual,,"), "{text}");
    assert!(
        lines[1].contains(",98.600,none,,0.600,1,60"),
        "600 L for 10 persons: {text}"
    );
    assert!(lines[1].contains("'=1+1"), "a formula is defused: {text}");
    assert!(lines[2].starts_with("2026-04-02,none,power_cut,"), "{text}");
    assert_eq!(
        lines[3].trim_end_matches(','),
        "2026-04-03",
        "not logged: {text}"
    );
    let (_, page) = member.get_text("/supply").await;
    assert!(page.contains("/supply/month.csv"), "linked from /supply");
    let res = member.get("/supply/month.csv?month=2026-04").await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("scheme_code,scheme_name,month,persons_served"),
        "{text}"
    );
    assert_eq!(lines.len(), 2, "only the GP's own scheme: {text}");
    assert!(lines[1].contains("Supply PWS,2026-04,10,"), "{text}");
    assert!(
        lines[1].contains(",not_met,"),
        "a criterion not met: {text}"
    );
    // another GP's scheme: not found; a month that does not read: not found
    let outsider = app.login_as(&format!("member-{}", other.lgd)).await;
    let res = outsider
        .get(&format!("/schemes/{scheme}/supply/month.csv?month=2026-04"))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = member
        .get(&format!("/schemes/{scheme}/supply/month.csv?month=April"))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The reminder "no supply logged for N days" (3 by default): raised for the scheme's
/// members and secretaries once the gap is N days, once; resolved when a day is logged; raised
/// again for a later gap. A scheme that never logs its supply is not reminded.
#[actix_web::test]
async fn a_scheme_that_stops_logging_is_reminded_until_it_logs() {
    use diesel::prelude::*;
    use paani::db::schema::reminders;
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-03-20"));
    let (gp, scheme) = setup(&app, &[]);
    let (quiet, _) = scheme_in(&app, gp.lgd, "Quiet");
    let config = paani::config::Config::defaults();
    assert_eq!(config.reminders.supply_not_logged_days, 3);
    let sweep = |day: &str| {
        let now = noon(day);
        let today = now.date();
        let rules = paani::reminders::rules::all(
            &config.reminders,
            &config.maintenance,
            &config.water_quality.incidents,
            3,
            today,
            now,
        );
        let rule = rules
            .iter()
            .find(|r| r.name == "supply_not_logged")
            .unwrap();
        paani::reminders::rules::apply(&mut app.conn(), rule, now).unwrap()
    };
    let rows = || -> Vec<(i64, String, bool)> {
        reminders::table
            .filter(reminders::rule.eq("supply_not_logged"))
            .order(reminders::id)
            .select((
                reminders::subject_id,
                reminders::dedupe_key,
                reminders::resolved_at.is_not_null(),
            ))
            .load(&mut *app.conn())
            .unwrap()
    };
    let secretary = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    app.clock.set(noon("2026-04-01"));
    let (s, _) = log_day(&app, &secretary, scheme, json!({"supplied": "as_usual"})).await;
    assert_eq!(s, StatusCode::CREATED);
    // 2 and 3 April unlogged: not yet; 4 April: three days without a log
    assert_eq!(sweep("2026-04-04").raised, 0);
    let out = sweep("2026-04-05");
    assert_eq!(out.raised, 2, "the member and the secretary");
    assert_eq!(sweep("2026-04-06").raised, 0, "once");
    let r = rows();
    assert!(r.iter().all(|(id, key, resolved)| *id == scheme
        && key == &format!("supply_not_logged:{scheme}:2026-04-01")
        && !resolved));
    assert!(
        !r.iter().any(|(id, _, _)| *id == quiet),
        "never logs: not reminded"
    );
    // a day is logged (even an older one inside the window): resolved
    app.clock.set(noon("2026-04-06"));
    let (s, v) = log_day(
        &app,
        &secretary,
        scheme,
        json!({"supply_on": "2026-04-04", "supplied": "none", "reason": "power_cut"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(sweep("2026-04-06").resolved, 2);
    assert_eq!(sweep("2026-04-07").raised, 0, "4 April is 3 days back");
    // a later gap is a new reminder
    assert_eq!(sweep("2026-04-08").raised, 2);
    assert_eq!(rows().len(), 4);
    assert!(rows()
        .iter()
        .any(|(_, key, _)| key == &format!("supply_not_logged:{scheme}:2026-04-04")));
}
