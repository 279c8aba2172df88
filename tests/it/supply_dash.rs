//! Supply on the dashboards, the monthly O&M report, the month CSV and the engineer's review
//! (issue 26, item 6): the figures read for many schemes at once equal each scheme's own
//! supply figures, on a small case with a reading from before the look-back window, a
//! roll-over, a missing day and a scheme never logged.

use crate::factories::{scheme_in, Gp};
use crate::helpers::{call, TestApp};
use chrono::NaiveDateTime;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn noon(day: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("{day} 06:30:00"), "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A scheme of the GP whose register holds households of these sizes.
fn scheme_with(app: &TestApp, gp: &Gp, label: &str, sizes: &[Option<i32>]) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::households;
    let (scheme, _) = scheme_in(app, gp.lgd, label);
    for size in sizes {
        let h = app.household(gp);
        diesel::update(households::table.find(h))
            .set((
                households::scheme_id.eq(Some(scheme)),
                households::members.eq(*size),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    scheme
}

async fn log(app: &TestApp, token: &str, scheme: i64, body: Value) {
    let (s, v) = call(
        app,
        token,
        "POST",
        &format!("/api/v1/supply/schemes/{scheme}/logs"),
        body,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (s, v) = call(app, token, "GET", path, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{path}: {v}");
    v
}

/// Three schemes, 10 April 2026:
/// - "Good": 10 persons, read 0 kL on 31 March, then 600 L a day to 10 April (60 lpcd);
/// - "Low": 4 persons, read 90 kL on 10 February (before the look-back window), then on
///   5 April 90.1 kL, on 7 April the meter rolled over at 100 kL and reads 0.2, 8 April not
///   logged, 9 April no water (power cut): well below 55 lpcd;
/// - "Silent": no households, never logged.
async fn three_schemes(app: &TestApp) -> (Gp, [i64; 3], String) {
    app.clock.set(noon("2026-04-10"));
    let gp = app.gp();
    let good = scheme_with(app, &gp, "Good", &[Some(4), Some(1), None]);
    let low = scheme_with(app, &gp, "Low", &[Some(4)]);
    let silent = scheme_with(app, &gp, "Silent", &[]);
    app.member_of(&gp);
    app.secretary_of(&gp);
    app.engineer_of(&gp);
    let sec = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    log(
        app,
        &sec,
        good,
        json!({"supply_on": "2026-03-31", "supplied": "as_usual", "bulk_meter_kl": "0"}),
    )
    .await;
    for d in 1..=10 {
        let kl = format!("{}.{:03}", (d * 600) / 1000, (d * 600) % 1000);
        log(
            app,
            &sec,
            good,
            json!({"supply_on": format!("2026-04-{d:02}"), "supplied": "as_usual",
                "bulk_meter_kl": kl, "pumping_hours": 4}),
        )
        .await;
    }
    log(
        app,
        &sec,
        low,
        json!({"supply_on": "2026-02-10", "supplied": "as_usual", "bulk_meter_kl": "90"}),
    )
    .await;
    for (day, body) in [
        (
            "2026-04-05",
            json!({"supplied": "less", "reason": "source_low", "sessions": "06:00-07:00",
                "bulk_meter_kl": "90.1"}),
        ),
        ("2026-04-06", json!({"supplied": "as_usual"})),
        (
            "2026-04-07",
            json!({"supplied": "as_usual", "bulk_meter_kl": "0.2",
                "bulk_meter_event": "rolled_over", "bulk_meter_capacity_kl": "100"}),
        ),
        (
            "2026-04-09",
            json!({"supplied": "none", "reason": "power_cut"}),
        ),
    ] {
        let mut body = body;
        body["supply_on"] = json!(day);
        log(app, &sec, low, body).await;
    }
    (gp, [good, low, silent], sec)
}

/// What a scheme's own supply API says of its month.
async fn own(app: &TestApp, token: &str, scheme: i64, month: &str) -> (Value, Value) {
    let f = get(
        app,
        token,
        &format!("/api/v1/supply/schemes/{scheme}/figures?month={month}"),
    )
    .await;
    let k = get(
        app,
        token,
        &format!("/api/v1/supply/schemes/{scheme}/functionality?month={month}"),
    )
    .await;
    (f["figures"].clone(), k)
}

#[actix_web::test]
async fn dashboard_report_and_csv_figures_equal_each_schemes_own() {
    let app = TestApp::spawn().await;
    let (gp, schemes, sec) = three_schemes(&app).await;
    let mut expect: BTreeMap<&str, i64> = BTreeMap::new();
    let (mut volume, mut person_days, mut days_supplied, mut days_scheduled) = (0, 0, 0, 0);
    let (mut minutes_supplied, mut minutes_scheduled) = (0, 0);
    let mut below = vec![];
    let mut own_rows = BTreeMap::new();
    for s in schemes {
        let (f, k) = own(&app, &sec, s, "2026-04").await;
        let func = k["functionality"].as_str().unwrap().to_string();
        *expect
            .entry(match func.as_str() {
                "functional" => "functional",
                "partly_functional" => "partly_functional",
                "not_functional" => "not_functional",
                _ => "not_assessed",
            })
            .or_default() += 1;
        let band = match f["lpcd"].as_f64() {
            None => "lpcd_unknown",
            Some(l) if l < 40.0 => "lpcd_below_40",
            Some(l) if l < 55.0 => "lpcd_40_to_55",
            Some(_) => "lpcd_55_up",
        };
        *expect.entry(band).or_default() += 1;
        volume += f["volume_litres"].as_i64().unwrap();
        person_days += f["persons_served"].as_i64().unwrap() * f["days_measured"].as_i64().unwrap();
        days_supplied += f["days_supplied"].as_i64().unwrap();
        days_scheduled += f["days_scheduled"].as_i64().unwrap();
        minutes_supplied += f["minutes_supplied"].as_i64().unwrap();
        minutes_scheduled += f["minutes_scheduled"].as_i64().unwrap();
        if k["quantity"] == "not_met" {
            below.push((s, f["lpcd"].clone()));
        }
        own_rows.insert(s, (f, func));
    }
    // by hand: "Good" 6,000 L over 10 days for 10 persons = 60 lpcd; "Low" 100 L over the 54
    // days from 10 February to 5 April and 100,000 - 90,100 + 200 = 10,100 L over the 2 days
    // to 7 April (the roll-over) = 10,200 L over 56 days for 4 persons = 45.5 lpcd; "Silent"
    // is not measured
    assert_eq!(own_rows[&schemes[0]].0["lpcd"], 60.0);
    assert_eq!(own_rows[&schemes[1]].0["lpcd"], 45.5);
    assert_eq!(own_rows[&schemes[1]].0["days_measured"], 56);
    assert!(own_rows[&schemes[2]].0["lpcd"].is_null());
    assert_eq!(below.len(), 1, "only Low is below the norm");
    assert_eq!(expect.get("lpcd_40_to_55"), Some(&1));

    let check = |s: &Value, what: &str| {
        for (k, n) in &expect {
            assert_eq!(s[*k].as_i64(), Some(*n), "{what}: {k} in {s}");
        }
        let total: i64 = [
            "functional",
            "partly_functional",
            "not_functional",
            "not_assessed",
        ]
        .iter()
        .map(|k| expect.get(k).copied().unwrap_or(0))
        .sum();
        assert_eq!(s["schemes"], 3, "{what}");
        assert_eq!(total, 3);
        assert_eq!(s["volume_litres"], volume, "{what}");
        assert_eq!(s["person_days"], person_days, "{what}");
        assert_eq!(s["days_supplied"], days_supplied, "{what}");
        assert_eq!(s["days_scheduled"], days_scheduled, "{what}");
        assert_eq!(s["minutes_supplied"], minutes_supplied, "{what}");
        assert_eq!(s["minutes_scheduled"], minutes_scheduled, "{what}");
        let listed: Vec<(i64, Value)> = s["below_norm"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["scheme_id"].as_i64().unwrap(), b["lpcd"].clone()))
            .collect();
        assert_eq!(listed, below, "{what}");
    };

    // the GP's dashboard (computed now: this month so far)
    let d = get(&app, &sec, &format!("/api/v1/dashboard?place={}", gp.id)).await;
    let s = &d["figures"]["supply"];
    assert_eq!(s["month"], "2026-04");
    check(s, "GP dashboard");
    // the block's total adds the GP up
    let eng = app.api_token(&format!("engineer-{}", gp.block_lgd)).await;
    let b = get(&app, &eng, "/api/v1/dashboard").await;
    check(&b["total"]["supply"], "block dashboard");

    // the monthly report of the same month: the GP's line and the total
    let r = get(
        &app,
        &sec,
        &format!("/api/v1/reports/monthly?place={}&month=2026-04", gp.id),
    )
    .await;
    check(&r["gps"][0]["supply"], "report line");
    check(&r["total"]["supply"], "report total");

    // the month CSV reads the schemes together: each row equals the scheme's own figures
    let browser = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (status, csv) = browser.get_text("/supply/month.csv?month=2026-04").await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let mut seen = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let i = ["Good PWS", "Low PWS", "Silent PWS"]
            .iter()
            .position(|n| *n == cells[col("scheme_name")])
            .expect("one of the three schemes");
        let (f, func) = &own_rows[&schemes[i]];
        let lpcd = f["lpcd"]
            .as_f64()
            .map(|v| v.to_string())
            .unwrap_or_default();
        assert_eq!(cells[col("lpcd")], lpcd, "{line}");
        assert_eq!(cells[col("functionality")], func, "{line}");
        for c in [
            "days_supplied",
            "days_logged",
            "persons_served",
            "days_not_logged",
        ] {
            assert_eq!(cells[col(c)], f[c].to_string(), "{c}: {line}");
        }
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[actix_web::test]
async fn the_review_lists_schemes_without_logs_or_below_the_norm_for_a_week() {
    let app = TestApp::spawn().await;
    let (gp, _, _) = three_schemes(&app).await;
    let browser = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    let (status, body) = browser.get_text("/breakdowns/review").await;
    assert_eq!(status, StatusCode::OK);
    let section = |id: &str| -> String {
        let start = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| {
            panic!("no {id} on the review page");
        });
        let rest = &body[start..];
        rest[..rest.find("</ul>").unwrap()].to_string()
    };
    // the last 7 days (4 to 10 April): Silent never logged; Low's two intervals end in them
    // (10,200 L over 56 days for 4 persons: 45.5 lpcd, below 55); Good at 60 meets it
    let not_logged = section("review-supply-not-logged");
    assert!(not_logged.contains("Silent PWS"), "{not_logged}");
    assert!(!not_logged.contains("Good PWS") && !not_logged.contains("Low PWS"));
    let below = section("review-supply-below");
    assert!(
        below.contains("Low PWS") && below.contains("45.5"),
        "{below}"
    );
    assert!(!below.contains("Good PWS"), "{below}");
    // a member does not review
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (status, _) = member.get_text("/breakdowns/review").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn the_dashboard_and_report_show_supply_in_hindi() {
    let app = TestApp::spawn().await;
    let (gp, _, _) = three_schemes(&app).await;
    {
        use diesel::prelude::*;
        use paani::db::schema::users;
        diesel::update(users::table.filter(users::username.eq(format!("secretary-{}", gp.lgd))))
            .set(users::lang.eq("hi"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let browser = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (status, body) = browser.get_text("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    let start = body.find("id=\"dash-supply\"").expect("the supply box");
    let card = &body[start..start + body[start..].find("</section>").unwrap()];
    assert!(
        card.contains("जलापूर्ति") && card.contains("40 से कम"),
        "{card}"
    );
    for english in [
        "Water supply",
        "Below 40",
        "Functional",
        "Not measured",
        "lpcd",
    ] {
        assert!(!card.contains(english), "{english} on a Hindi page: {card}");
    }
    let (status, body) = browser
        .get_text(&format!("/places/{}/report?month=2026-04", gp.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let start = body
        .find("id=\"report-supply\"")
        .expect("the report's supply table");
    let table = &body[start..start + body[start..].find("</table>").unwrap()];
    assert!(table.contains("लीटर प्रति व्यक्ति प्रति दिन"), "{table}");
    assert!(
        !table.contains("Functional") && !table.contains("Below"),
        "{table}"
    );
}
