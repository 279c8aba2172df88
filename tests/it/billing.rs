//! Billing: the household register, tariff plans and monthly demands.

use crate::helpers::{call, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn village(app: &TestApp) -> String {
    app.place_id(paani::places::Level::Village, 2301010101)
        .to_string()
}

async fn household(app: &TestApp, token: &str, no: &str, category: &str, connected: &str) -> Value {
    let mut body = json!({"village_id": village(app), "connection_no": no, "head_name": format!("Head {no}"),
                          "category": category, "connected_on": connected});
    if category == "exempt" {
        body["exempt_reason"] = json!("widow, no income");
    }
    let (s, h) = call(app, token, "POST", "/api/v1/households", body).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    h
}

#[tokio::test]
async fn the_household_register() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = household(&app, &sec, "bn-001", "general", "2025-06-01").await;
    assert_eq!(h["connection_no"], "BN-001", "numbers are kept in capitals");
    // a taken number, a bad phone, an exempt household without a reason, a future date
    let (s, p) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/households",
        json!({"village_id": village(&app),
        "connection_no": "BN-001", "head_name": "X", "category": "exempt", "phone": "12345",
        "connected_on": "2099-01-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["phone", "exempt_reason", "connected_on"] {
        assert!(p["errors"][f].is_string(), "{f} in {p}");
    }
    let (s, p) = call(&app, &sec, "POST", "/api/v1/households", json!({"village_id": village(&app),
        "connection_no": "bn-001", "head_name": "X", "category": "general", "connected_on": "2025-01-01"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p["errors"]["connection_no"].is_string(),
        "checked by the database: {p}"
    );
    // search by name, number and phone; patch keeps what is not sent
    let (s, _) = call(
        &app,
        &sec,
        "PATCH",
        &format!("/api/v1/households/{}", h["id"]),
        json!({"phone": "+91 98260 11111", "members": "5"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    for q in ["head%20bn", "BN-0", "98260"] {
        let (_, l) = call(
            &app,
            &sec,
            "GET",
            &format!("/api/v1/households?q={q}"),
            json!({}),
        )
        .await;
        assert_eq!(l["total"], 1, "search {q}");
        assert_eq!(l["items"][0]["members"], 5);
        assert_eq!(l["items"][0]["head_name"], "Head bn-001");
    }
    // disconnecting needs a date and a reason
    let (s, _) = call(
        &app,
        &sec,
        "PATCH",
        &format!("/api/v1/households/{}", h["id"]),
        json!({"status": "disconnected"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, d) = call(&app, &sec, "PATCH", &format!("/api/v1/households/{}", h["id"]),
        json!({"status": "disconnected", "disconnected_on": "2026-01-10", "status_reason": "moved away"})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["status"], "disconnected");
    let (_, l) = call(&app, &sec, "GET", "/api/v1/households", json!({})).await;
    assert_eq!(l["total"], 0, "active ones by default");
    // another GP's secretary neither sees nor changes it
    app.add_user("farsec", "secretary", Some(23010201));
    let far = app.api_token("farsec").await;
    let (s, _) = call(
        &app,
        &far,
        "GET",
        &format!("/api/v1/households/{}", h["id"]),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, p) = call(&app, &far, "POST", "/api/v1/households", json!({"village_id": village(&app),
        "connection_no": "Z1", "head_name": "X", "category": "general", "connected_on": "2025-01-01"})).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a village outside their GP: {p}"
    );
}

#[tokio::test]
async fn demands_follow_the_plan_in_force_and_are_raised_once() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let a = household(&app, &sec, "A", "general", "2026-01-10").await;
    household(&app, &sec, "B", "bpl", "2026-02-01").await;
    household(&app, &sec, "C", "exempt", "2026-02-01").await;
    household(&app, &sec, "E", "general", "2026-05-20").await;
    let d = household(&app, &sec, "D", "general", "2025-01-01").await;
    call(&app, &sec, "PATCH", &format!("/api/v1/households/{}", d["id"]),
        json!({"status": "disconnected", "disconnected_on": "2026-01-10", "status_reason": "moved"})).await;
    let rates = |g: &str, b: &str| json!({"general": g, "bpl": b, "sc": b, "st": b});
    let (s, p) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/tariffs",
        json!({"effective_from": "2026-04", "rates": rates("50", "30")}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["rates"]["general"], 5000);
    assert_eq!(p["rates"]["exempt"], 0);
    let (s, p) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/tariffs",
        json!({"effective_from": "2026-04", "rates": rates("55", "30")}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one plan per starting month: {p}"
    );
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/tariffs",
        json!({"effective_from": "2026-07", "rates": rates("60", "35")}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let preview = |m: &'static str| {
        let (app, sec) = (&app, sec.clone());
        async move {
            call(
                app,
                &sec,
                "GET",
                &format!("/api/v1/demands/preview?month={m}"),
                json!({}),
            )
            .await
            .1
        }
    };
    // March: no plan yet
    let p = preview("2026-03").await;
    assert_eq!(p["demands"], 0);
    assert!(p["gps"][0]["plan_id"].is_null());
    // April: A and B (C is exempt, D disconnected, E connected after April)
    let p = preview("2026-04").await;
    assert_eq!(
        (p["demands"].as_i64(), p["total_paise"].as_i64()),
        (Some(2), Some(8000))
    );
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-04", "expected": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "the preview no longer matches");
    let (s, runs) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-04", "expected": 2}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(runs[0]["demands"], 2);
    assert_eq!(runs[0]["total_paise"], 8000);
    let (s, runs) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-04"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(
        runs.as_array().unwrap().len(),
        0,
        "raising again adds nothing"
    );
    // a household connected in April is billed by the next raise, alone
    let f = household(&app, &sec, "F", "general", "2026-04-10").await;
    let (_, runs) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-04"}),
    )
    .await;
    assert_eq!(runs[0]["demands"], 1);
    let run_f = runs[0]["id"].clone();
    // June still uses the April plan; July the new one
    let (_, june) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-06"}),
    )
    .await;
    assert_eq!(
        june[0]["total_paise"],
        5000 + 3000 + 5000 + 5000,
        "A, B, E, F at April's rates"
    );
    let (_, july) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-07"}),
    )
    .await;
    assert_eq!(july[0]["total_paise"], 6000 + 3500 + 6000 + 6000);
    let (_, l) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/demands?household={}", a["id"]),
        json!({}),
    )
    .await;
    let months: Vec<(&str, i64, &str)> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["month"].as_str().unwrap(),
                d["amount_paise"].as_i64().unwrap(),
                d["due_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        months,
        vec![
            ("2026-07-01", 6000, "2026-07-15"),
            ("2026-06-01", 5000, "2026-06-15"),
            ("2026-04-01", 5000, "2026-04-15")
        ]
    );
    // cancelling the run that billed F: its demand goes, the run stays marked
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/demand-runs/{run_f}/cancel"),
        json!({"reason": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    let (s, r) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/demand-runs/{run_f}/cancel"),
        json!({"reason": "F was connected in May"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(r["cancelled_at"].is_string());
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/demand-runs/{run_f}/cancel"),
        json!({"reason": "again"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, l) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/demands?household={}&month=2026-04", f["id"]),
        json!({}),
    )
    .await;
    assert_eq!(l["total"], 0);
    assert_eq!(
        app.count("audit_log WHERE entity = 'demand_run'"),
        6,
        "five raises and the cancel"
    );
    // the command line raises the same way
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args([
            "demands",
            "raise",
            "--month",
            "2026-08",
            "--place",
            "23010101",
            "--yes",
            "--database",
            &app.test_db.url,
        ])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2026-08: 4 new demands") && text.contains("Raised 4 demands"),
        "{text}"
    );
    // the benchmark's comparison writes the same rows with one bare INSERT … SELECT, takes
    // them away, then raises: what is left is exactly what raising alone leaves
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args([
            "demands",
            "raise",
            "--month",
            "2026-09",
            "--place",
            "23010101",
            "--yes",
            "--against-raw",
            "--database",
            &app.test_db.url,
        ])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Raw INSERT … SELECT of the same rows (one statement, committed): 4 rows")
            && text.contains("Raised 4 demands")
            && text.contains("% of the raw rate"),
        "{text}"
    );
    assert_eq!(app.count("demands WHERE month = '2026-09-01'"), 4);
    assert_eq!(app.count("demand_runs WHERE month = '2026-09-01'"), 1);
    assert_eq!(
        app.count(
            "demands d JOIN demand_runs r ON r.id = d.run_id \
             WHERE d.month = '2026-09-01' AND r.gp_id = d.gp_id"
        ),
        4,
        "every demand left belongs to its own GP's run"
    );
}
