//! The engineer's review: figures computed by hand, service deadlines across Indian midnights
//! and month ends, age buckets, technical visits and levels, the complaint register, photos on
//! reports and the open-breakdowns box.

use crate::helpers::{location, TestApp};
use chrono::NaiveDateTime;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A timestamp from the API within two seconds of `expected` (the test clock keeps whole
/// seconds of offset, not the fraction).
fn near(v: &Value, expected: &str) {
    let got = paani::clock::utc::parse(v.as_str().unwrap()).unwrap();
    let want = NaiveDateTime::parse_from_str(expected, "%Y-%m-%dT%H:%M:%S").unwrap();
    assert!((got - want).num_seconds().abs() <= 2, "{got} is not {want}");
}

fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

async fn api(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let req = match method {
        "GET" => app.client.get(app.url(path)),
        _ => app.client.post(app.url(path)).json(&body),
    };
    let r = req.bearer_auth(token).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn report(
    app: &TestApp,
    token: &str,
    scheme: i64,
    asset: Option<i64>,
    supply: &str,
) -> Value {
    let (s, b) = api(
        app,
        token,
        "POST",
        "/api/v1/breakdowns",
        json!({"scheme_id": scheme, "asset_id": asset.map(|a| a.to_string()).unwrap_or_default(),
               "category": "pump_motor", "supply": supply, "description": "Pump stopped"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b
}

async fn step(app: &TestApp, token: &str, id: &Value, body: Value) {
    let (s, b) = api(
        app,
        token,
        "POST",
        &format!("/api/v1/breakdowns/{id}/transition"),
        body,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

async fn resolve(app: &TestApp, token: &str, id: &Value) {
    step(app, token, id, json!({"to": "acknowledged"})).await;
    step(
        app,
        token,
        id,
        json!({"to": "resolved", "resolution": "Fixed", "cost": "500"}),
    )
    .await;
}

fn first_asset(app: &TestApp, scheme: i64) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::assets;
    assets::table
        .filter(assets::scheme_id.eq(scheme))
        .select(assets::id)
        .order(assets::id)
        .first(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn repair_time_and_uptime_by_hand() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let asset = first_asset(&app, own);
    // 00:00 IST on 2 March 2026 is 18:30 UTC on 1 March
    app.clock.set(utc("2026-03-01 18:30"));
    let sec = app.api_token("secretary").await;
    let a = report(&app, &sec, own, Some(asset), "stopped").await;
    app.clock.set(utc("2026-03-03 18:30")); // 4 March, 00:00 IST
    let b = report(&app, &sec, own, Some(asset), "stopped").await;
    app.clock.set(utc("2026-03-04 18:30")); // 5 March: A repaired after 72 h
    resolve(&app, &sec, &a["id"]).await;
    app.clock.set(utc("2026-03-05 18:30")); // 6 March: B repaired after 48 h
    resolve(&app, &sec, &b["id"]).await;
    app.clock.set(utc("2026-03-09 18:30")); // 10 March: a partial supply, 6 h
    let c = report(&app, &sec, own, Some(asset), "partial").await;
    app.clock.set(utc("2026-03-10 00:30"));
    resolve(&app, &sec, &c["id"]).await;
    // a rejected report counts for nothing
    let d = report(&app, &sec, own, None, "stopped").await;
    step(
        &app,
        &sec,
        &d["id"],
        json!({"to": "rejected", "note": "private pipe"}),
    )
    .await;
    app.clock.set(utc("2026-04-10 06:00"));
    let (s, f) = api(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/breakdowns/figures?month=2026-03&scheme={own}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["to_month"], "2026-03");
    assert_eq!(f["schemes"], 1);
    let march = f["by_month"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(march["month"], "2026-03");
    assert_eq!(march["reported"], 3);
    // repair hours 72, 48 and 6: median 48, nearest-rank 90th percentile 72
    assert_eq!(
        march["repair"],
        json!({"count": 3, "median_hours": 48.0, "p90_hours": 72.0})
    );
    // 2–5 March and 4–6 March overlap: 4 days without water, not 5; 27 of 31 days with water
    assert_eq!(march["downtime_days"], 4.0);
    assert_eq!(march["uptime_percent"], 87.1);
    assert_eq!(
        f["schemes_down"],
        json!([{"scheme_id": own, "month": "2026-03", "downtime_days": 4.0, "uptime_percent": 87.1}])
    );
    // three on one asset within 90 days: a repeat failure
    assert_eq!(f["repeat_assets"][0]["id"], asset);
    assert_eq!(f["repeat_assets"][0]["breakdowns"], 3);
    let feb = &f["by_month"].as_array().unwrap()[10];
    assert_eq!(feb["month"], "2026-02");
    assert_eq!(feb["uptime_percent"], 100.0);
    // the engineer's review page shows the same figures for the block
    let eng = app.login_as("engineer").await;
    let (s, page) = eng
        .get_text(&format!(
            "/breakdowns/review?status=all&month=2026-03&scheme={own}"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("87.10%"), "uptime shown");
    assert!(page.contains("48.0") && page.contains("72.0"));
    assert!(page.contains(a["number"].as_str().unwrap()));
    // a secretary has no review page
    let secb = app.login_as("secretary").await;
    assert_eq!(
        secb.get("/breakdowns/review").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn deadlines_across_indian_midnight_and_month_ends() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    // 23:30 IST on 31 January
    app.clock.set(utc("2026-01-31 18:00"));
    let sec = app.api_token("secretary").await;
    let stopped = report(&app, &sec, own, None, "stopped").await;
    let partial = report(&app, &sec, own, None, "partial").await;
    near(&stopped["ack_due_at"], "2026-02-01T18:00:00");
    near(&stopped["resolve_due_at"], "2026-02-03T18:00:00");
    near(&partial["resolve_due_at"], "2026-02-05T18:00:00");
    let browser = app.login_as("secretary").await;
    let (_, page) = browser
        .get_text(&format!("/breakdowns/{}", stopped["id"]))
        .await;
    assert!(
        page.contains("03-02-2026 23:30"),
        "the deadline in India time"
    );
    let cfg = paani::config::Config::defaults().breakdowns;
    let sweep = |app: &TestApp| {
        paani::breakdowns::escalate(&mut app.conn(), &cfg, app.clock.now()).unwrap()
    };
    app.clock.set(utc("2026-02-01 17:59"));
    assert_eq!(
        sweep(&app),
        (0, 0),
        "a minute before the acknowledgement target"
    );
    app.clock.set(utc("2026-02-01 18:01"));
    assert_eq!(
        sweep(&app),
        (2, 0),
        "a minute after it, both go to the engineer"
    );
    app.clock.set(utc("2026-02-04 18:00"));
    assert_eq!(
        sweep(&app),
        (0, 0),
        "72 hours after the first escalation, not yet"
    );
    app.clock.set(utc("2026-02-04 18:02"));
    assert_eq!(sweep(&app), (0, 2), "then to the district officer");
    let admin = app.login_as("admin").await;
    let (_, page) = admin
        .get_text(&format!("/breakdowns/{}", stopped["id"]))
        .await;
    assert!(
        page.contains("24 hours overdue"),
        "past the deadline by a day"
    );
    app.clock.set(utc("2026-02-06 18:30"));
    let admin = app.login_as("admin").await;
    let (_, page) = admin
        .get_text(&format!("/breakdowns/{}", stopped["id"]))
        .await;
    assert!(page.contains("3 days overdue"), "beyond two days, in days");
    // across a leap-year February: 22:00 IST on 28 February 2028, 72 hours
    app.clock.set(utc("2028-02-28 16:30"));
    let sec = app.api_token("secretary").await;
    let leap = report(&app, &sec, own, None, "stopped").await;
    near(&leap["resolve_due_at"], "2028-03-02T16:30:00");
    assert_eq!(leap["number"].as_str().unwrap(), "23010101-B3");
}

#[tokio::test]
async fn age_buckets_visits_levels_and_the_register() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let now = app.clock.now();
    app.clock.set(now - chrono::Duration::days(10));
    let sec = app.api_token("secretary").await;
    let old = report(&app, &sec, own, None, "partial").await;
    app.clock.set(now);
    let new = report(&app, &sec, own, None, "none").await;
    let numbers = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["number"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, l) = api(&app, &sec, "GET", "/api/v1/breakdowns?age=8-30", json!({})).await;
    assert_eq!(
        numbers(&l),
        vec![old["number"].as_str().unwrap().to_string()]
    );
    let (_, l) = api(&app, &sec, "GET", "/api/v1/breakdowns?age=0-3", json!({})).await;
    assert_eq!(
        numbers(&l),
        vec![new["number"].as_str().unwrap().to_string()]
    );
    let (_, l) = api(
        &app,
        &sec,
        "GET",
        "/api/v1/breakdowns?sort=newest&gp=",
        json!({}),
    )
    .await;
    assert_eq!(numbers(&l)[0], new["number"].as_str().unwrap());
    let eng = app.login_as("engineer").await;
    let (s, page) = eng.get_text("/breakdowns/review?age=8-30").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(old["number"].as_str().unwrap()));
    assert!(!page.contains(&format!(">{}<", new["number"].as_str().unwrap())));
    // technical visit: not in the past
    let id = old["id"].as_i64().unwrap();
    let today = paani::web::i18n::today_in_india(now);
    let res = eng
        .post_form(
            &format!("/breakdowns/{id}/visit"),
            &[("visit_on", &(today - chrono::Duration::days(1)).to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let visit = today + chrono::Duration::days(2);
    let res = eng
        .post_form(
            &format!("/breakdowns/{id}/visit"),
            &[("visit_on", &visit.to_string()), ("note", "with the JE")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = eng
        .post_form(
            &format!("/breakdowns/{id}/level"),
            &[("level", "2"), ("note", "")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let res = eng
        .post_form(
            &format!("/breakdowns/{id}/level"),
            &[("level", "2"), ("note", "Needs district funds")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/breakdowns/{id}"));
    let secb = app.login_as("secretary").await;
    let res = secb
        .post_form(
            &format!("/breakdowns/{id}/level"),
            &[("level", "0"), ("note", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, d) = api(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/breakdowns/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(d["escalation_level"], 2);
    assert_eq!(d["visit_on"], visit.to_string());
    let kinds: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["reported", "visit_requested", "level_changed"]);
    // the monthly register, printable and as CSV
    let month = paani::web::i18n::today_in_india(now - chrono::Duration::days(10))
        .format("%Y-%m")
        .to_string();
    let (s, page) = secb
        .get_text(&format!("/breakdowns/register?month={month}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(old["number"].as_str().unwrap()));
    let res = secb
        .get(&format!("/breakdowns/register?month={month}&format=csv"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8_lossy(&body[3..]).to_string();
    assert!(text.starts_with("number,reported_at,gp,scheme,village"));
    assert!(text.contains(old["number"].as_str().unwrap()));
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 90])
    });
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn photos_on_a_report_and_the_open_breakdowns_box() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.login_as("member").await;
    let token = member.csrf("/breakdowns/new").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("scheme_id", own.to_string())
        .text("category", "pipeline")
        .text("supply", "stopped")
        .text("description", "Main line burst near the tank")
        .part(
            "photo_1",
            reqwest::multipart::Part::bytes(png()).file_name("burst.png"),
        );
    let res = member
        .client
        .post(member.url("/breakdowns"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = member.get_text(&location(&res)).await;
    let small = page
        .split("src=\"/photos/")
        .nth(1)
        .expect("a photo on the page")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = member.get(&format!("/photos/{small}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    // a file that is not an image is refused, and nothing is stored
    let before = app.count("breakdowns");
    let token = member.csrf("/breakdowns/new").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("scheme_id", own.to_string())
        .text("category", "pipeline")
        .text("supply", "stopped")
        .text("description", "Another")
        .part(
            "photo_1",
            reqwest::multipart::Part::bytes(b"<script>".to_vec()).file_name("x.png"),
        );
    let res = member
        .client
        .post(member.url("/breakdowns"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("breakdowns"), before);
    // open breakdowns on the secretary's home and the member's task page
    let sec = app.login_as("secretary").await;
    let (_, home) = sec.get_text("/").await;
    assert!(home.contains("id=\"open-breakdowns\"") && home.contains("23010101-B1"));
    let (_, tasks) = member.get_text("/").await;
    assert!(tasks.contains("id=\"open-breakdowns\""));
}

#[tokio::test]
async fn officers_narrow_to_a_block_inside_their_scope_only() {
    let app = TestApp::with_demo().await;
    let seoni = app.place_id(paani::places::Level::Block, 230101);
    let pipariya = app.place_id(paani::places::Level::Block, 230102);
    let officer = app.api_token("officer").await;
    let engineer = app.api_token("engineer").await;
    let (s, f) = api(
        &app,
        &officer,
        "GET",
        &format!("/api/v1/breakdowns/figures?block={pipariya}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        f["schemes"], 6,
        "Pipariya's three GPs have 1 + 2 + 3 schemes"
    );
    let (s, _) = api(
        &app,
        &engineer,
        "GET",
        &format!("/api/v1/breakdowns/figures?block={pipariya}"),
        json!({}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another block is outside the engineer's scope"
    );
    let (s, _) = api(
        &app,
        &engineer,
        "GET",
        &format!("/api/v1/breakdowns/figures?block={seoni}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let b = app.login_as("officer").await;
    let (s, page) = b
        .get_text(&format!("/breakdowns/review?block={pipariya}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("name=\"block\"") && page.contains("Matkuli") && !page.contains(">Banapura<")
    );
}

#[tokio::test]
async fn kept_figures_follow_every_change() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let sec = app.api_token("secretary").await;
    let reported = |f: &Value| {
        f["by_month"].as_array().unwrap().last().unwrap()["reported"]
            .as_i64()
            .unwrap()
    };
    let (_, f) = api(&app, &sec, "GET", "/api/v1/breakdowns/figures", json!({})).await;
    assert_eq!(reported(&f), 0);
    let b = report(&app, &sec, own, None, "stopped").await;
    let (_, f) = api(&app, &sec, "GET", "/api/v1/breakdowns/figures", json!({})).await;
    assert_eq!(reported(&f), 1, "a new report shows at once");
    assert_eq!(f["by_gp"][0]["open"], 1);
    resolve(&app, &sec, &b["id"]).await;
    let (_, f) = api(&app, &sec, "GET", "/api/v1/breakdowns/figures", json!({})).await;
    assert_eq!(f["by_gp"][0]["open"], 0, "so does a repair");
    assert_eq!(f["repair"]["count"], 1);
}
