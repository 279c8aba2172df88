//! Dashboards: a GP's figures worked out by hand, the kept figures against a recomputation
//! after random writes, the figures against the detail pages they link to, the charts as
//! well-formed SVG carrying their data, and the exports and monthly reports within the
//! reader's scope.

use crate::helpers::{call, test_config, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::places::Level;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// "Now" in these tests: 12:00 IST on Monday 15 March 2027.
fn now() -> NaiveDateTime {
    utc("2027-03-15 06:30:00")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
}

/// The demo data seeded with the clock at `seed_at`, then the clock at `at`; `adjust` changes
/// the configuration first.
async fn demo_at(
    seed_at: NaiveDateTime,
    at: NaiveDateTime,
    adjust: impl FnOnce(&mut paani::config::Config),
) -> TestApp {
    let app = TestApp::spawn_with(adjust).await;
    app.clock.set(seed_at);
    paani::demo::seed(&app.db, &app.clock).unwrap();
    app.clock.set(at);
    app
}

/// An API call that must succeed (200, 201 or 204); its JSON.
async fn ok(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Value {
    let (s, v) = call(app, token, method, path, body).await;
    assert!(
        matches!(
            s,
            StatusCode::OK | StatusCode::CREATED | StatusCode::NO_CONTENT
        ),
        "{method} {path}: {s} {v}"
    );
    v
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    ok(app, token, "GET", path, json!({})).await
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

async fn household(app: &TestApp, token: &str, village: i64, no: &str, connected: &str) -> i64 {
    id(&ok(
        app,
        token,
        "POST",
        "/api/v1/households",
        json!({"village_id": village.to_string(), "connection_no": no,
               "head_name": format!("Head {no}"), "category": "general", "connected_on": connected}),
    )
    .await)
}

/// A tariff plan from `from` (YYYY-MM) charging `general` rupees a month (half for the others).
async fn tariff(app: &TestApp, token: &str, gp: i64, from: &str, general: i64) {
    let half = (general / 2).to_string();
    ok(
        app,
        token,
        "POST",
        "/api/v1/tariffs",
        json!({"gp_id": gp.to_string(), "effective_from": from,
               "rates": {"general": general.to_string(), "bpl": half, "sc": half, "st": half}}),
    )
    .await;
}

async fn raise(app: &TestApp, token: &str, month: &str) {
    ok(
        app,
        token,
        "POST",
        "/api/v1/demands",
        json!({ "month": month }),
    )
    .await;
}

async fn pay(app: &TestApp, token: &str, household: i64, rupees: i64, paid_on: &str) -> i64 {
    id(&ok(
        app,
        token,
        "POST",
        "/api/v1/payments",
        json!({"household_id": household.to_string(), "amount": rupees.to_string(), "paid_on": paid_on}),
    )
    .await)
}

async fn entry(
    app: &TestApp,
    token: &str,
    gp: i64,
    kind: &str,
    head: &str,
    rupees: i64,
    on: &str,
) -> i64 {
    id(&ok(
        app,
        token,
        "POST",
        "/api/v1/cashbook",
        json!({"gp_id": gp.to_string(), "kind": kind, "head": head,
               "amount": rupees.to_string(), "entry_on": on, "voucher_no": "V-1"}),
    )
    .await)
}

async fn report(app: &TestApp, token: &str, scheme: i64, supply: &str) -> i64 {
    id(&ok(
        app,
        token,
        "POST",
        "/api/v1/breakdowns",
        json!({"scheme_id": scheme.to_string(), "category": "pump_motor", "supply": supply,
               "description": "Pump stopped"}),
    )
    .await)
}

async fn step(app: &TestApp, token: &str, breakdown: i64, body: Value) {
    ok(
        app,
        token,
        "POST",
        &format!("/api/v1/breakdowns/{breakdown}/transition"),
        body,
    )
    .await;
}

async fn resolve(app: &TestApp, token: &str, breakdown: i64) {
    step(app, token, breakdown, json!({"to": "acknowledged"})).await;
    step(
        app,
        token,
        breakdown,
        json!({"to": "resolved", "resolution": "Motor rewound", "cost": "500"}),
    )
    .await;
}

/// A committee of one woman (far short of the composition rules) in `gp` that met on
/// `held_on` (attendance recorded, so the meeting is held): (committee, meeting).
async fn committee_that_met(app: &TestApp, token: &str, gp: i64, held_on: &str) -> (i64, i64) {
    let k = id(&ok(
        app,
        token,
        "POST",
        "/api/v1/committees",
        json!({"gp_id": gp.to_string(), "name": "Paani Samiti", "constituted_on": "2025-02-01"}),
    )
    .await);
    let w = id(&ok(
        app,
        token,
        "POST",
        &format!("/api/v1/committees/{k}/members"),
        json!({"name": "Kamla Bai", "gender": "female", "social_category": "st",
               "term_from": "2025-02-01"}),
    )
    .await);
    let m = id(&ok(
        app,
        token,
        "POST",
        "/api/v1/meetings",
        json!({"committee_id": k, "held_on": held_on, "starts_at": "10:30",
               "venue": "Panchayat bhawan", "lang": "en", "agenda": "Accounts"}),
    )
    .await);
    let v = ok(
        app,
        token,
        "POST",
        &format!("/api/v1/meetings/{m}/attendance"),
        json!({"present": [w], "others_present": 0, "others_women": 0}),
    )
    .await;
    assert_eq!(v["status"], "held");
    (k, m)
}

/// The schemes of a GP, by id.
fn schemes_of(app: &TestApp, gp: i64) -> Vec<i64> {
    use paani::db::schema::schemes;
    schemes::table
        .filter(schemes::gp_id.eq(gp))
        .order(schemes::id)
        .select(schemes::id)
        .load(&mut *app.conn())
        .unwrap()
}

/// A share as the dashboards define it, worked out here: percent with one decimal.
fn share(part: i64, whole: i64) -> Value {
    let percent = if whole > 0 {
        json!((part as f64 * 1000.0 / whole as f64).round() / 10.0)
    } else {
        Value::Null
    };
    json!({"part": part, "whole": whole, "percent": percent})
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// JSON values equal, numbers that are not integers up to rounding in the last place (the
/// kept figures pass through JSON text once more than a recomputation).
fn same(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => assert_eq!(i, j, "{path}"),
            _ => {
                let (p, q) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                assert!(
                    (p - q).abs() <= 1e-9 * p.abs().max(1.0),
                    "{path}: {p} != {q}"
                );
            }
        },
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ: {a} / {b}");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut kx: Vec<&String> = x.keys().collect();
            let mut ky: Vec<&String> = y.keys().collect();
            kx.sort();
            ky.sort();
            assert_eq!(kx, ky, "{path}: fields differ");
            for (k, p) in x {
                same(p, &y[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

fn without_computed_at(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove("computed_at");
    v
}

fn parse_time(v: &Value) -> NaiveDateTime {
    paani::clock::utc::parse(v.as_str().unwrap()).unwrap_or_else(|| panic!("{v}: not a time"))
}

/// Two 90-day windows computed a moment apart: the same repairs, schemes and period; the
/// stopped supply of breakdowns still open grows with the clock, so a few seconds apart.
fn same_window(a: &Value, b: &Value, what: &str) {
    assert_eq!(a["repair"], b["repair"], "{what}: repair");
    same(&a["repair_hours"], &b["repair_hours"], what);
    assert_eq!(a["schemes"], b["schemes"], "{what}: schemes");
    assert_eq!(a["period_seconds"], b["period_seconds"], "{what}: period");
    let (da, db) = (int(&a["down_seconds"]), int(&b["down_seconds"]));
    assert!((da - db).abs() <= 30, "{what}: down {da} / {db}");
    let (ua, ub) = (
        a["uptime_percent"].as_f64().unwrap(),
        b["uptime_percent"].as_f64().unwrap(),
    );
    assert!((ua - ub).abs() <= 0.011, "{what}: uptime {ua} / {ub}");
}

#[tokio::test]
async fn gp_figures_by_hand() {
    let app = TestApp::spawn().await;
    let t = now();
    app.clock.set(t);
    app.add_place(Level::State, 29, "Test State", None);
    app.add_place(Level::District, 2901, "Test District", Some(29));
    app.add_place(Level::Block, 290101, "Test Block", Some(2901));
    let gp = app
        .add_place(Level::Gp, 29010101, "Test GP", Some(290101))
        .id;
    let village = app
        .add_place(Level::Village, 2901010101, "Test Village", Some(29010101))
        .id;
    app.add_user("admin", "admin", None);
    let admin = app.api_token("admin").await;

    // two schemes, one of them not working
    let scheme = |name: &str| json!({"gp_lgd_code": "29010101", "name": name, "kind": "pws"});
    let a = id(&ok(&app, &admin, "POST", "/api/v1/schemes", scheme("Test PWS")).await);
    let b = id(&ok(
        &app,
        &admin,
        "POST",
        "/api/v1/schemes",
        scheme("Ward 2 PWS"),
    )
    .await);
    ok(
        &app,
        &admin,
        "POST",
        &format!("/api/v1/schemes/{b}/status"),
        json!({"status": "non_functional", "reason": "Motor burnt"}),
    )
    .await;
    assert_eq!(
        app.count("maintenance_tasks"),
        0,
        "schemes without assets have no maintenance tasks"
    );

    // one household billed ₹60 for February and for March; it pays ₹80 on 10 March, which
    // settles February (the oldest) and ₹20 of March
    let h = household(&app, &admin, village, "H-1", "2026-01-01").await;
    tariff(&app, &admin, gp, "2027-01", 60).await;
    raise(&app, &admin, "2027-02").await;
    raise(&app, &admin, "2027-03").await;
    pay(&app, &admin, h, 80, "2027-03-10").await;
    // the O&M fund: ₹1,000 opening balance in January, ₹700 electricity in March
    entry(&app, &admin, gp, "opening", "opening", 1000, "2027-01-01").await;
    entry(
        &app,
        &admin,
        gp,
        "expense",
        "electricity",
        700,
        "2027-03-12",
    )
    .await;
    // a breakdown with supply stopped, reported four days ago: its 72 hours are over, and the
    // escalation sweep has sent it to the block engineer
    app.clock.set(t - Duration::days(4));
    let breakdown = report(&app, &admin, a, "stopped").await;
    app.clock.set(t);
    let (l1, _) = paani::breakdowns::escalate(
        &mut app.conn(),
        &paani::config::Config::defaults().breakdowns,
        app.clock.now(),
    )
    .unwrap();
    assert_eq!(l1, 1);
    // a committee of one member that met on 20 February
    let (k, _) = committee_that_met(&app, &admin, gp, "2027-02-20").await;
    let committee = get(&app, &admin, &format!("/api/v1/committees/{k}")).await;
    assert_eq!(
        committee["composition_ok"], false,
        "one member of at least 10"
    );

    let v = get(&app, &admin, &format!("/api/v1/dashboard?place={gp}")).await;
    assert_eq!((&v["level"], int(&v["place_id"])), (&json!("gp"), gp));
    let f = &v["figures"];
    assert_eq!(int(&f["gp_id"]), gp);
    assert_eq!(f["today"], "2027-03-15");
    // the first scheme's hand-set status is functional, but its supply stopped and the
    // breakdown is open: neither scheme works
    assert_eq!(
        f["schemes"],
        json!({"total": 2, "functional": 0, "partially_functional": 0, "non_functional": 2,
               "under_repair": 0})
    );
    assert_eq!((int(&f["tasks_due"]), int(&f["tasks_overdue"])), (0, 0));
    assert_eq!(
        f["compliance_3m"],
        json!({"due": 0, "on_time": 0, "percent": null})
    );
    assert_eq!(
        (
            int(&f["breakdowns_open"]),
            int(&f["breakdowns_overdue"]),
            int(&f["breakdowns_escalated"])
        ),
        (1, 1, 1)
    );
    // March: ₹20 of ₹60; February and March: ₹80 of ₹120
    assert_eq!(f["collection_month"], share(2000, 6000));
    assert_eq!(f["collection_month"]["percent"], 33.3);
    assert_eq!(f["collection_3m"], share(8000, 12000));
    assert_eq!(f["collection_3m"]["percent"], 66.7);
    // user charges ₹80 over O&M expense ₹700 in the 12 months
    assert_eq!(f["cost_recovery"], share(8000, 70000));
    assert_eq!(f["cost_recovery"]["percent"], 11.4);
    // ₹1,000 + ₹80 − ₹700
    assert_eq!(int(&f["fund_balance_paise"]), 100_000 + 8_000 - 70_000);
    // ₹40 of March unpaid, this month's: the youngest bucket
    assert_eq!(f["arrears"], json!([4000, 0, 0, 0, 0]));
    assert_eq!(f["last_meeting_on"], "2027-02-20");
    assert_eq!(int(&f["months_since_meeting"]), 1);
    assert_eq!(f["meeting_state"], "due");
    assert!(f["next_meeting_on"].is_null());
    assert_eq!(
        (int(&f["actions_open"]), int(&f["actions_overdue"])),
        (0, 0)
    );
    assert_eq!(f["composition_ok"], false);

    // the 12 months, April 2026 to March 2027: demands in February and March only
    let months = f["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["month"], "2026-04");
    let point = |m: &str, demand: i64, collected: i64, reported: i64| {
        json!({"month": m, "demand_paise": demand, "collected_paise": collected,
               "breakdowns_reported": reported, "breakdowns_resolved": 0,
               "repair_median_hours": null, "tasks_due": 0, "tasks_on_time": 0})
    };
    for (i, m) in months.iter().enumerate().take(10) {
        let label = m["month"].as_str().unwrap().to_string();
        assert_eq!(*m, point(&label, 0, 0, 0), "month {i}");
    }
    assert_eq!(months[10], point("2027-02", 6000, 6000, 0));
    assert_eq!(months[11], point("2027-03", 6000, 2000, 1));

    // 90 days: nothing repaired; scheme A without water for the last 4 days (and the few
    // seconds since), of 2 schemes × 90 days
    let w = &f["last_90_days"];
    assert_eq!(
        w["repair"],
        json!({"count": 0, "median_hours": null, "p90_hours": null})
    );
    assert_eq!(w["repair_hours"], json!([]));
    assert_eq!(
        (int(&w["schemes"]), int(&w["period_seconds"])),
        (2, 90 * 86_400)
    );
    let down = int(&w["down_seconds"]);
    assert!(
        (4 * 86_400..4 * 86_400 + 120).contains(&down),
        "down {down}"
    );
    // 100 × (1 − 4 / (2 × 90)) = 97.78; scheme A alone 100 × (1 − 4/90) = 95.56
    assert_eq!(w["uptime_percent"], 97.78);
    let uptime = |s: i64| {
        f["uptime_by_scheme"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| int(&u["scheme_id"]) == s)
            .unwrap()["uptime_percent"]
            .as_f64()
            .unwrap()
    };
    assert_eq!((uptime(a), uptime(b)), (95.56, 100.0));

    // the score, term by term as documented on `attention_score`:
    let (total, non_functional, under_repair, partly) = (2, 2, 0, 0);
    // 40 × (non-functional + under repair + ½ partly) / schemes
    let schemes_term = 40 * (2 * (non_functional + under_repair) + partly) / (2 * total);
    let (escalated, overdue): (i64, i64) = (1, 1);
    let breakdowns_term = 10 * escalated.min(3) + 5 * overdue.min(4);
    let compliance_term = 0; // nothing was due
    let collection_term = ((100.0 - 66.7) / 5.0) as i64; // 6
    let meeting_term = 0; // met last month: less than 2 calendar months
    let committee_term = 5; // the composition fails a rule
    let score = schemes_term
        + breakdowns_term
        + compliance_term
        + collection_term
        + meeting_term
        + committee_term;
    assert_eq!(score, 66);
    assert_eq!(int(&f["score"]), score);

    // the repair brings the breakdown terms down: resolved, nothing open or escalated
    resolve(&app, &admin, breakdown).await;
    let f = get(&app, &admin, &format!("/api/v1/dashboard?place={gp}")).await["figures"].clone();
    assert_eq!(
        (
            int(&f["breakdowns_open"]),
            int(&f["breakdowns_overdue"]),
            int(&f["breakdowns_escalated"])
        ),
        (0, 0, 0)
    );
    assert_eq!(int(&f["last_90_days"]["repair"]["count"]), 1);
    // resolved: the first scheme works again, so only the second counts as not working
    assert_eq!(
        (
            int(&f["schemes"]["functional"]),
            int(&f["schemes"]["non_functional"])
        ),
        (1, 1)
    );
    let still_down = 1; // the second scheme, set non-functional by hand
    let schemes_term_after = 40 * (2 * still_down) / (2 * total);
    assert_eq!(
        int(&f["score"]),
        score - breakdowns_term - schemes_term + schemes_term_after
    );

    // kept for dashboards.max_age_seconds (900 by default) without a write, then recomputed
    let at = parse_time(&f["computed_at"]);
    app.clock.advance(Duration::seconds(600));
    let again = get(&app, &admin, &format!("/api/v1/dashboard?place={gp}")).await;
    assert_eq!(again["figures"], f, "10 minutes on: the kept figures");
    app.clock.advance(Duration::seconds(301));
    let again = get(&app, &admin, &format!("/api/v1/dashboard?place={gp}")).await;
    let later = parse_time(&again["figures"]["computed_at"]);
    assert!(
        later >= at + Duration::seconds(900),
        "{at} kept past its age"
    );
    same(
        &without_computed_at(&again["figures"]),
        &without_computed_at(&f),
        "nothing changed but the time",
    );
}

/// The GP's kept row: (changes, computed_changes, computed_at, figures).
type KeptRow = (i64, i64, Option<NaiveDateTime>, Option<String>);

fn kept_row(app: &TestApp, gp: i64) -> Option<KeptRow> {
    use paani::db::schema::gp_figures as g;
    g::table
        .filter(g::gp_id.eq(gp))
        .select((g::changes, g::computed_changes, g::computed_at, g::figures))
        .first(&mut *app.conn())
        .optional()
        .unwrap()
}

fn changes(app: &TestApp, gp: i64) -> i64 {
    kept_row(app, gp).expect("a kept row").0
}

/// Read the GP dashboard over the API and check it against the kept row and a recomputation
/// by the library at the same moment. After a write (`written` is when it finished) the
/// figures must have been recomputed since; without one, they are the kept ones, unchanged.
async fn check_kept(
    app: &TestApp,
    token: &str,
    gp: i64,
    config: &paani::config::Config,
    written: Option<NaiveDateTime>,
    previous: Option<&Value>,
) -> Value {
    let v = get(app, token, &format!("/api/v1/dashboard?place={gp}")).await;
    let f = v["figures"].clone();
    let at = parse_time(&f["computed_at"]);
    match (written, previous) {
        (Some(w), _) => assert!(at >= w, "figures of {at} served after a write at {w}"),
        (None, Some(p)) => assert_eq!(&f, p, "nothing changed: the kept figures as they were"),
        (None, None) => {}
    }
    // the row is there and fresh: its change count seen, the figures served kept with it
    let (changes, computed, row_at, text) = kept_row(app, gp).expect("kept after a read");
    assert_eq!(changes, computed, "fresh after a read");
    let row_at = row_at.expect("computed_at kept");
    assert!(
        (row_at - at).num_milliseconds().abs() <= 1,
        "{row_at} / {at}"
    );
    let kept: Value = serde_json::from_str(&text.expect("figures kept")).unwrap();
    same(&kept, &f, "kept");
    // a recomputation now, at the figures' moment, over the data as it is
    let again = paani::dashboards::compute(&mut app.conn(), config, gp, at).unwrap();
    let again = serde_json::to_value(&again).unwrap();
    same(
        &without_computed_at(&f),
        &without_computed_at(&again),
        "figures",
    );
    // read again with nothing written in between: the same kept figures
    let v2 = get(app, token, &format!("/api/v1/dashboard?place={gp}")).await;
    assert_eq!(v2["figures"], f, "a second read serves the kept figures");
    f
}

#[tokio::test]
async fn kept_figures_equal_recomputation_after_random_operations() {
    use rand::{Rng, SeedableRng};
    // figures are kept for a day here, so only a write can make them stale
    let adjust = |c: &mut paani::config::Config| c.dashboards.max_age_seconds = 86_400;
    let app = demo_at(now() - Duration::days(45), now(), adjust).await;
    let mut config = test_config(&app.test_db.url);
    adjust(&mut config);
    let gp = app.place_id(Level::Gp, 23010101);
    let villages = [
        app.place_id(Level::Village, 2301010101),
        app.place_id(Level::Village, 2301010102),
    ];
    let sec = app.api_token("secretary").await;
    let admin = app.api_token("admin").await;

    // the secretary's GP: five households billed from January, an opening balance, a
    // committee that met last month
    let mut households = vec![];
    for k in 0..5 {
        households
            .push(household(&app, &sec, villages[k % 2], &format!("R-{k}"), "2026-06-01").await);
    }
    tariff(&app, &sec, gp, "2026-11", 50).await;
    for m in ["2027-01", "2027-02", "2027-03"] {
        raise(&app, &sec, m).await;
    }
    entry(&app, &sec, gp, "opening", "opening", 5000, "2027-01-01").await;
    committee_that_met(&app, &sec, gp, "2027-02-25").await;
    let schemes = schemes_of(&app, gp);

    let mut last = check_kept(&app, &sec, gp, &config, None, None).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20_270_315);
    let mut payments: Vec<(i64, bool)> = vec![];
    let mut breakdowns: Vec<(i64, &str)> = vec![];
    let mut seen = [0; 9];
    for i in 0..36 {
        // the clock moves on a few minutes between operations
        app.clock.advance(Duration::minutes(rng.gen_range(0..15)));
        let before = changes(&app, gp);
        // payments and breakdowns' steps more often than the rest
        let mut kind = [0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 7, 8][rng.gen_range(0..17)];
        let valid: Vec<usize> = (0..payments.len()).filter(|&p| !payments[p].1).collect();
        let steppable: Vec<usize> = (0..breakdowns.len())
            .filter(|&b| breakdowns[b].1 != "closed")
            .collect();
        let tasks: Vec<i64> = {
            use paani::db::schema::maintenance_tasks as mt;
            mt::table
                .filter(mt::gp_id.eq(gp))
                .filter(mt::state.eq("open"))
                .filter(mt::due_on.le(today()))
                .order(mt::id)
                .select(mt::id)
                .load(&mut *app.conn())
                .unwrap()
        };
        if kind == 5 && steppable.is_empty() {
            kind = 4;
        }
        if (kind == 1 && valid.is_empty()) || (matches!(kind, 6 | 7) && tasks.is_empty()) {
            kind = 0;
        }
        seen[kind] += 1;
        let what = match kind {
            0 => {
                let h = households[rng.gen_range(0..households.len())];
                let rupees = [30, 45, 50, 100, 150][rng.gen_range(0..5)];
                let p = pay(&app, &sec, h, rupees, "").await;
                payments.push((p, false));
                format!("payment of ₹{rupees} by {h}")
            }
            1 => {
                // someone other than the secretary who recorded it
                let p = valid[rng.gen_range(0..valid.len())];
                ok(
                    &app,
                    &admin,
                    "POST",
                    &format!("/api/v1/payments/{}/cancel", payments[p].0),
                    json!({"reason": "entered twice"}),
                )
                .await;
                payments[p].1 = true;
                format!("payment {} cancelled", payments[p].0)
            }
            2 => {
                let head = ["grant_15fc", "donation", "other"][rng.gen_range(0..3)];
                let rupees = rng.gen_range(1..50) * 100;
                entry(&app, &sec, gp, "income", head, rupees, &today().to_string()).await;
                format!("income {head} ₹{rupees}")
            }
            3 => {
                let head = ["electricity", "repairs", "chemicals"][rng.gen_range(0..3)];
                let rupees = rng.gen_range(1..20) * 100;
                entry(
                    &app,
                    &sec,
                    gp,
                    "expense",
                    head,
                    rupees,
                    &today().to_string(),
                )
                .await;
                format!("expense {head} ₹{rupees}")
            }
            4 => {
                let s = schemes[rng.gen_range(0..schemes.len())];
                let supply = ["stopped", "partial"][rng.gen_range(0..2)];
                let b = report(&app, &sec, s, supply).await;
                breakdowns.push((b, "reported"));
                format!("breakdown {b} reported on {s}, supply {supply}")
            }
            5 => {
                let k = steppable[rng.gen_range(0..steppable.len())];
                let (b, status) = breakdowns[k];
                let (to, body) = match status {
                    "reported" => ("acknowledged", json!({"to": "acknowledged"})),
                    "acknowledged" => (
                        "in_progress",
                        json!({"to": "in_progress", "assigned_name": "Mohan Lal"}),
                    ),
                    "in_progress" => (
                        "resolved",
                        json!({"to": "resolved", "resolution": "Fixed", "cost": "350"}),
                    ),
                    _ => ("closed", json!({"to": "closed"})),
                };
                step(&app, &sec, b, body).await;
                breakdowns[k].1 = to;
                format!("breakdown {b} {status} → {to}")
            }
            6 => {
                let t = tasks[rng.gen_range(0..tasks.len())];
                ok(
                    &app,
                    &sec,
                    "POST",
                    &format!("/api/v1/maintenance/tasks/{t}/complete"),
                    json!({"done_on": today().to_string(), "notes": "done"}),
                )
                .await;
                format!("task {t} done")
            }
            7 => {
                let t = tasks[rng.gen_range(0..tasks.len())];
                ok(
                    &app,
                    &sec,
                    "POST",
                    &format!("/api/v1/maintenance/tasks/{t}/skip"),
                    json!({"reason": "no chlorine in stock"}),
                )
                .await;
                format!("task {t} skipped")
            }
            _ => {
                use paani::db::schema::schemes as s;
                let id = schemes[rng.gen_range(0..schemes.len())];
                let current: String = s::table
                    .find(id)
                    .select(s::status)
                    .first(&mut *app.conn())
                    .unwrap();
                let choices: Vec<&str> = [
                    "functional",
                    "partially_functional",
                    "non_functional",
                    "under_repair",
                ]
                .into_iter()
                .filter(|c| *c != current)
                .collect();
                let to = choices[rng.gen_range(0..choices.len())];
                ok(
                    &app,
                    &sec,
                    "POST",
                    &format!("/api/v1/schemes/{id}/status"),
                    json!({"status": to, "reason": "inspection"}),
                )
                .await;
                format!("scheme {id} {current} → {to}")
            }
        };
        let written = app.clock.now();
        assert!(
            changes(&app, gp) > before,
            "operation {i} ({what}) left gp_figures.changes at {before}"
        );
        if i % 3 == 2 {
            last = check_kept(&app, &sec, gp, &config, Some(written), None).await;
            // time passes without a write: the kept figures stay as they were
            app.clock.advance(Duration::minutes(5));
            last = check_kept(&app, &sec, gp, &config, None, Some(&last)).await;
        }
    }
    // every kind of operation was tried, and breakdowns went all the way through
    assert!(seen.iter().all(|&n| n > 0), "operations by kind: {seen:?}");
    assert!(breakdowns.iter().any(|b| b.1 == "closed"), "{breakdowns:?}");
    assert!(int(&last["last_90_days"]["repair"]["count"]) > 0);

    // a household connected this month is billed by a second run, which is then cancelled:
    // its demand deleted, which counts as a change too
    let late = household(&app, &sec, villages[0], "R-late", "2027-03-01").await;
    let before = changes(&app, gp);
    let runs = ok(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2027-03"}),
    )
    .await;
    assert_eq!(
        (runs[0]["demands"].as_i64(), int(&runs[0]["gp_id"])),
        (Some(1), gp)
    );
    assert!(changes(&app, gp) > before);
    last = check_kept(&app, &sec, gp, &config, Some(app.clock.now()), None).await;
    assert_eq!(int(&last["collection_month"]["whole"]), 6 * 5000);
    let before = changes(&app, gp);
    ok(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/demand-runs/{}/cancel", runs[0]["id"]),
        json!({"reason": "R-late was connected in April"}),
    )
    .await;
    assert!(
        changes(&app, gp) > before,
        "a deleted demand bumps the count"
    );
    last = check_kept(&app, &sec, gp, &config, Some(app.clock.now()), None).await;
    assert_eq!(int(&last["collection_month"]["whole"]), 5 * 5000);
    let (s, l) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/demands?household={late}"),
        json!({}),
    )
    .await;
    assert_eq!((s, int(&l["total"])), (StatusCode::OK, 0));

    // the next day, the kept figures are yesterday's: recomputed without any write
    app.clock.set(now() + Duration::days(1));
    let next = check_kept(&app, &sec, gp, &config, Some(app.clock.now()), None).await;
    assert_eq!(next["today"], "2027-03-16");
    assert_ne!(next, last);

    // the scheduler's job computes the GPs never computed and the one that changed, and
    // keeps them; readers then get those
    pay(&app, &sec, households[0], 40, "").await;
    let at = app.clock.now();
    let refreshed = paani::dashboards::refresh(&app.db, &config, at, 0, 2, || Ok(())).unwrap();
    assert_eq!(refreshed as i64, app.count("places WHERE level = 'gp'"));
    let (changes, computed, _, _) = kept_row(&app, gp).unwrap();
    assert_eq!(changes, computed, "fresh after the job");
    let f = check_kept(&app, &sec, gp, &config, None, None).await;
    assert_eq!(
        parse_time(&f["computed_at"]),
        at,
        "the job's figures served"
    );
    assert_eq!(
        paani::dashboards::refresh(&app.db, &config, app.clock.now(), 0, 2, || Ok(())).unwrap(),
        0,
        "nothing left to do"
    );
    assert_eq!(app.count("gp_figures WHERE changes = computed_changes"), 6);
}

/// Data in the engineer's block (Banapura, Shivpur, Dhanori) and in Semri Harchand of the
/// other block, made over the API by the administrator (the clock ends at `now()`):
/// - households (2, 3, 4, 5 by GP) billed ₹40, ₹50, ₹60, ₹70 a month from January; household
///   k pays ₹(rate × k + 25) in March;
/// - cash books: an opening balance, electricity in February, repairs in March, a donation in
///   March in Banapura and Dhanori;
/// - breakdowns: one repaired in a day (stopped supply, reported 20 days ago) in Banapura,
///   Shivpur and Semri Harchand; one open past its deadline and escalated (partial supply, 6
///   days ago) in Banapura and Semri Harchand; one open in time (stopped, 20 hours ago) in
///   Shivpur;
/// - meetings: Banapura on 20 February, Shivpur on 10 December, Semri Harchand on 5 March;
///   none in Dhanori.
async fn seed_block(app: &TestApp) {
    let admin = app.api_token("admin").await;
    let gps = [
        (23010101, 2301010101),
        (23010102, 2301010201),
        (23010103, 2301010301),
        (23010201, 2301020101),
    ];
    let mut households = vec![];
    for (i, (lgd, village)) in gps.iter().enumerate() {
        let gp = app.place_id(Level::Gp, *lgd);
        let village = app.place_id(Level::Village, *village);
        tariff(app, &admin, gp, "2026-12", 40 + 10 * i as i64).await;
        let mut mine = vec![];
        for k in 0..2 + i {
            mine.push(household(app, &admin, village, &format!("T{i}-{k}"), "2026-06-01").await);
        }
        households.push(mine);
    }
    for m in ["2027-01", "2027-02", "2027-03"] {
        raise(app, &admin, m).await;
    }
    for (i, (lgd, _)) in gps.iter().enumerate() {
        let gp = app.place_id(Level::Gp, *lgd);
        let rate = 40 + 10 * i as i64;
        for (k, h) in households[i].iter().enumerate() {
            pay(
                app,
                &admin,
                *h,
                rate * k as i64 + 25,
                &format!("2027-03-0{}", k + 1),
            )
            .await;
        }
        let i = i as i64;
        entry(
            app,
            &admin,
            gp,
            "opening",
            "opening",
            10_000 + 1000 * i,
            "2027-01-01",
        )
        .await;
        entry(
            app,
            &admin,
            gp,
            "expense",
            "electricity",
            800 + 100 * i,
            "2027-02-10",
        )
        .await;
        entry(app, &admin, gp, "expense", "repairs", 300, "2027-03-05").await;
        if i % 2 == 0 {
            entry(app, &admin, gp, "income", "donation", 500, "2027-03-02").await;
        }
    }
    let scheme = |lgd: i64| schemes_of(app, app.place_id(Level::Gp, lgd))[0];
    let t = now();
    app.clock.set(t - Duration::days(20));
    let mut repaired = vec![];
    for lgd in [23010101, 23010102, 23010201] {
        repaired.push(report(app, &admin, scheme(lgd), "stopped").await);
    }
    app.clock.set(t - Duration::days(19));
    for b in repaired {
        resolve(app, &admin, b).await;
    }
    app.clock.set(t - Duration::days(6));
    for lgd in [23010101, 23010201] {
        report(app, &admin, scheme(lgd), "partial").await;
    }
    app.clock.set(t - Duration::hours(20));
    report(app, &admin, scheme(23010102), "stopped").await;
    app.clock.set(t);
    let (l1, _) = paani::breakdowns::escalate(
        &mut app.conn(),
        &paani::config::Config::defaults().breakdowns,
        app.clock.now(),
    )
    .unwrap();
    assert_eq!(l1, 2, "the two past their deadline");
    for (lgd, held_on) in [
        (23010101, "2027-02-20"),
        (23010102, "2026-12-10"),
        (23010201, "2027-03-05"),
    ] {
        committee_that_met(app, &admin, app.place_id(Level::Gp, lgd), held_on).await;
    }
}

/// The area row of one GP's figures, as the block dashboard should show it.
fn area_of_one(f: &Value) -> Value {
    let without_meeting = f["months_since_meeting"].as_i64().is_none_or(|m| m >= 2);
    let months: Vec<Value> = f["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let mut m = m.clone();
            m["repair_median_hours"] = Value::Null;
            m
        })
        .collect();
    json!({
        "gps": 1,
        "computed_at": f["computed_at"],
        "schemes": f["schemes"],
        "tasks_due": f["tasks_due"],
        "tasks_overdue": f["tasks_overdue"],
        "compliance_3m": share(int(&f["compliance_3m"]["on_time"]), int(&f["compliance_3m"]["due"])),
        "breakdowns_open": f["breakdowns_open"],
        "breakdowns_overdue": f["breakdowns_overdue"],
        "breakdowns_escalated": f["breakdowns_escalated"],
        "last_90_days": f["last_90_days"],
        "collection_3m": f["collection_3m"],
        "cost_recovery": f["cost_recovery"],
        "fund_balance_paise": f["fund_balance_paise"],
        "arrears": f["arrears"],
        "gps_without_meeting": i64::from(without_meeting),
        "composition_ok": i64::from(f["composition_ok"] == json!(true)),
        "score": f["score"],
        "months": months,
        // the GP's supply figures, as they are: an area of one adds up to them
        "supply": f["supply"],
        // and its water-quality figures
        "water": f["water"],
    })
}

fn sum(rows: &[Value], f: impl Fn(&Value) -> &Value) -> i64 {
    rows.iter().map(|r| int(f(r))).sum()
}

/// Open maintenance tasks of the caller's scope due by today, by the state the tasks API shows.
async fn task_states(app: &TestApp, token: &str) -> (i64, i64) {
    let (mut due, mut overdue) = (0, 0);
    for page in 1.. {
        let v = get(
            app,
            token,
            &format!(
                "/api/v1/maintenance/tasks?state=open&until={}&page={page}",
                today()
            ),
        )
        .await;
        let items = v["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for t in items {
            match t["shown_state"].as_str().unwrap() {
                "due" => due += 1,
                "overdue" => overdue += 1,
                _ => {}
            }
        }
    }
    (due, overdue)
}

#[tokio::test]
async fn dashboard_figures_match_their_detail_pages() {
    let app = demo_at(now() - Duration::days(45), now(), |_| {}).await;
    seed_block(&app).await;
    let banapura = app.place_id(Level::Gp, 23010101);
    let block = app.place_id(Level::Block, 230101);

    // the secretary's GP
    let sec = app.api_token("secretary").await;
    let v = get(&app, &sec, "/api/v1/dashboard").await;
    assert_eq!((&v["level"], int(&v["place_id"])), (&json!("gp"), banapura));
    let f = v["figures"].clone();
    // a few by hand, so that the comparisons below compare something
    assert_eq!(
        (
            int(&f["breakdowns_open"]),
            int(&f["breakdowns_overdue"]),
            int(&f["breakdowns_escalated"])
        ),
        (1, 1, 1)
    );
    assert_eq!(f["collection_3m"], share(2500 + 4000 + 2500, 3 * 8000));
    assert_eq!(int(&f["months_since_meeting"]), 1);
    assert!(
        int(&f["tasks_overdue"]) > 0,
        "the demo's tasks since January"
    );

    let b = get(
        &app,
        &sec,
        &format!("/api/v1/breakdowns/figures?gp={banapura}"),
    )
    .await;
    let counts = b["by_gp"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| int(&g["gp_id"]) == banapura)
        .cloned()
        .unwrap();
    assert_eq!(counts["open"], f["breakdowns_open"]);
    assert_eq!(counts["overdue"], f["breakdowns_overdue"]);
    assert_eq!(counts["escalated"], f["breakdowns_escalated"]);
    same_window(&f["last_90_days"], &b["last_90_days"], "GP, 90 days");
    let months = f["months"].as_array().unwrap();
    for (m, bm) in months.iter().zip(b["by_month"].as_array().unwrap()) {
        assert_eq!(m["month"], bm["month"]);
        assert_eq!(m["breakdowns_reported"], bm["reported"]);
        assert_eq!(m["breakdowns_resolved"], bm["repair"]["count"]);
        assert_eq!(m["repair_median_hours"], bm["repair"]["median_hours"]);
    }

    let eff = get(
        &app,
        &sec,
        &format!("/api/v1/collection-efficiency?gp={banapura}"),
    )
    .await;
    let eff = eff.as_array().unwrap();
    assert_eq!(eff.len(), 12);
    for (m, e) in months.iter().zip(eff) {
        assert_eq!(m["month"], e["month"]);
        assert_eq!(m["demand_paise"], e["demand_paise"]);
        assert_eq!(m["collected_paise"], e["collected_paise"]);
    }
    let last3 = &eff[9..];
    assert_eq!(
        f["collection_3m"],
        share(
            sum(last3, |e| &e["collected_paise"]),
            sum(last3, |e| &e["demand_paise"])
        )
    );
    assert_eq!(
        f["collection_month"],
        share(
            int(&eff[11]["collected_paise"]),
            int(&eff[11]["demand_paise"])
        )
    );
    assert_eq!(f["collection_month"]["percent"], eff[11]["percent"]);

    let cb = get(&app, &sec, &format!("/api/v1/cashbook?gp={banapura}")).await;
    assert_eq!(f["fund_balance_paise"], cb["statement"]["closing_paise"]);
    assert_eq!(
        f["cost_recovery"]["part"],
        cb["cost_recovery"]["user_charges_paise"]
    );
    assert_eq!(
        f["cost_recovery"]["whole"],
        cb["cost_recovery"]["om_expense_paise"]
    );
    assert_eq!(
        f["cost_recovery"]["percent"],
        cb["cost_recovery"]["percent"]
    );

    let reg = get(
        &app,
        &sec,
        &format!("/api/v1/meetings/regularity?gp={banapura}"),
    )
    .await;
    assert_eq!(reg.as_array().unwrap().len(), 1);
    assert_eq!(f["months_since_meeting"], reg[0]["months_since"]);
    assert_eq!(f["last_meeting_on"], reg[0]["last_held_on"]);
    assert_eq!(f["meeting_state"], reg[0]["state"]);
    assert_eq!(f["next_meeting_on"], reg[0]["next_planned_on"]);

    let ar = get(&app, &sec, &format!("/api/v1/arrears?gp={banapura}")).await;
    assert_eq!(f["arrears"], ar["totals"]);

    let (due, overdue) = task_states(&app, &sec).await;
    assert_eq!(
        (int(&f["tasks_due"]), int(&f["tasks_overdue"])),
        (due, overdue)
    );

    // the engineer's block: one row per GP of the block
    let eng = app.api_token("engineer").await;
    let v = get(&app, &eng, "/api/v1/dashboard").await;
    assert_eq!((&v["level"], int(&v["place_id"])), (&json!("block"), block));
    let gps = get(
        &app,
        &eng,
        &format!("/api/v1/places?level=gp&parent={block}"),
    )
    .await;
    let rows = v["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len() as i64, int(&gps["total"]));
    assert_eq!(rows.len(), 3);
    let total = v["total"].clone();

    // each row is that GP's own dashboard, added up alone
    let mut own = vec![];
    for r in &rows {
        let g = int(&r["place_id"]);
        let gv = get(&app, &eng, &format!("/api/v1/dashboard?place={g}")).await;
        let gf = gv["figures"].clone();
        same(&r["figures"], &area_of_one(&gf), &format!("row {g}"));
        // its money against its own cash book
        let cb = get(&app, &eng, &format!("/api/v1/cashbook?gp={g}")).await;
        assert_eq!(gf["fund_balance_paise"], cb["statement"]["closing_paise"]);
        assert_eq!(
            gf["cost_recovery"]["part"],
            cb["cost_recovery"]["user_charges_paise"]
        );
        own.push(gf);
    }
    // the Banapura row is the secretary's figures
    let mine = rows
        .iter()
        .position(|r| int(&r["place_id"]) == banapura)
        .unwrap();
    same(
        &own[mine],
        &f,
        "Banapura as the engineer and the secretary see it",
    );

    // the total is the sum of the rows; shares add up their parts and wholes
    let figs: Vec<Value> = rows.iter().map(|r| r["figures"].clone()).collect();
    assert_eq!(int(&total["gps"]), 3);
    for k in [
        "total",
        "functional",
        "partially_functional",
        "non_functional",
        "under_repair",
    ] {
        assert_eq!(
            int(&total["schemes"][k]),
            sum(&figs, |r| &r["schemes"][k]),
            "schemes.{k}"
        );
    }
    for k in [
        "tasks_due",
        "tasks_overdue",
        "breakdowns_open",
        "breakdowns_overdue",
        "breakdowns_escalated",
        "fund_balance_paise",
        "gps_without_meeting",
        "composition_ok",
    ] {
        assert_eq!(int(&total[k]), sum(&figs, |r| &r[k]), "{k}");
    }
    for k in ["compliance_3m", "collection_3m", "cost_recovery"] {
        let expected = share(
            sum(&figs, |r| &r[k]["part"]),
            sum(&figs, |r| &r[k]["whole"]),
        );
        assert_eq!(total[k], expected, "{k}");
    }
    // not the mean of the GPs' percentages: their wholes differ
    let mean = figs
        .iter()
        .map(|r| r["collection_3m"]["percent"].as_f64().unwrap())
        .sum::<f64>()
        / 3.0;
    assert_ne!(
        total["collection_3m"]["percent"].as_f64().unwrap(),
        (mean * 10.0).round() / 10.0
    );
    for b in 0..5 {
        assert_eq!(
            int(&total["arrears"][b]),
            sum(&figs, |r| &r["arrears"][b]),
            "arrears[{b}]"
        );
    }
    assert_eq!(
        int(&total["score"]),
        figs.iter().map(|r| int(&r["score"])).max().unwrap()
    );
    for (i, m) in total["months"].as_array().unwrap().iter().enumerate() {
        for k in [
            "demand_paise",
            "collected_paise",
            "breakdowns_reported",
            "breakdowns_resolved",
            "tasks_due",
            "tasks_on_time",
        ] {
            assert_eq!(
                int(&m[k]),
                sum(&figs, |r| &r["months"][i][k]),
                "months[{i}].{k}"
            );
        }
    }
    let w = &total["last_90_days"];
    let mut hours: Vec<f64> = figs
        .iter()
        .flat_map(|r| {
            r["last_90_days"]["repair_hours"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h.as_f64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    hours.sort_by(f64::total_cmp);
    same(&w["repair_hours"], &json!(hours), "block repair hours");
    let (down, schemes) = (
        sum(&figs, |r| &r["last_90_days"]["down_seconds"]),
        sum(&figs, |r| &r["last_90_days"]["schemes"]),
    );
    assert_eq!(
        (int(&w["down_seconds"]), int(&w["schemes"])),
        (down, schemes)
    );
    let period = int(&w["period_seconds"]);
    let uptime =
        (100.0 * (1.0 - down as f64 / (schemes as f64 * period as f64)) * 100.0).round() / 100.0;
    assert_eq!(w["uptime_percent"].as_f64().unwrap(), uptime);

    // and the block against the detail pages of the whole block
    let b = get(&app, &eng, "/api/v1/breakdowns/figures").await;
    let by_gp = b["by_gp"].as_array().unwrap();
    for (k, dk) in [
        ("breakdowns_open", "open"),
        ("breakdowns_overdue", "overdue"),
        ("breakdowns_escalated", "escalated"),
    ] {
        assert_eq!(int(&total[k]), sum(by_gp, |g| &g[dk]), "{k}");
    }
    assert_eq!(int(&total["breakdowns_open"]), 2, "Banapura 1, Shivpur 1");
    same_window(w, &b["last_90_days"], "block, 90 days");
    let eff = get(&app, &eng, "/api/v1/collection-efficiency").await;
    let eff = eff.as_array().unwrap();
    for (m, e) in total["months"].as_array().unwrap().iter().zip(eff) {
        assert_eq!(m["month"], e["month"]);
        assert_eq!(m["demand_paise"], e["demand_paise"]);
        assert_eq!(m["collected_paise"], e["collected_paise"]);
    }
    assert_eq!(
        total["collection_3m"],
        share(
            sum(&eff[9..], |e| &e["collected_paise"]),
            sum(&eff[9..], |e| &e["demand_paise"])
        )
    );
    let reg = get(&app, &eng, "/api/v1/meetings/regularity").await;
    let reg = reg.as_array().unwrap();
    assert_eq!(reg.len(), 3);
    let without = reg
        .iter()
        .filter(|r| r["months_since"].as_i64().is_none_or(|m| m >= 2))
        .count() as i64;
    assert_eq!(int(&total["gps_without_meeting"]), without);
    assert_eq!(without, 2, "Shivpur missed, Dhanori never");
    let ar = get(&app, &eng, "/api/v1/arrears").await;
    assert_eq!(total["arrears"], ar["totals"]);
    let (due, overdue) = task_states(&app, &eng).await;
    assert_eq!(
        (int(&total["tasks_due"]), int(&total["tasks_overdue"])),
        (due, overdue)
    );

    // the district officer's dashboard: one row per block, the engineer's block as its total
    let off = app.api_token("officer").await;
    let d = get(&app, &off, "/api/v1/dashboard").await;
    assert_eq!(d["level"], "district");
    let blocks = d["rows"].as_array().unwrap();
    assert_eq!(blocks.len(), 2);
    let seoni = blocks
        .iter()
        .find(|r| int(&r["place_id"]) == block)
        .unwrap();
    same(&seoni["figures"], &total, "the block as a district row");
    assert_eq!(
        int(&d["total"]["gps"]),
        app.count("places WHERE level = 'gp'")
    );
    for k in [
        "breakdowns_open",
        "fund_balance_paise",
        "gps_without_meeting",
    ] {
        assert_eq!(
            int(&d["total"][k]),
            sum(blocks, |r| &r["figures"][k]),
            "{k}"
        );
    }
}

/// The `<svg>…</svg>` drawings of a page.
fn svgs(page: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut rest = page;
    while let Some(i) = rest.find("<svg") {
        let end = rest[i..].find("</svg>").expect("an svg closed") + i + "</svg>".len();
        out.push(&rest[i..end]);
        rest = &rest[end..];
    }
    out
}

/// The chart figures of a page: (id, the figure's markup).
fn chart_boxes(page: &str) -> Vec<(String, &str)> {
    let marker = "<figure class=\"card chart-box\" id=\"";
    let mut out = vec![];
    let mut rest = page;
    while let Some(i) = rest.find(marker) {
        let start = i + marker.len();
        let id_end = rest[start..].find('"').unwrap() + start;
        let end = rest[i..].find("</figure>").expect("a figure closed") + i;
        out.push((rest[start..id_end].to_string(), &rest[i..end]));
        rest = &rest[end..];
    }
    out
}

/// Check every drawing of a dashboard page against `figures` (the API's, a GP's or an area's):
/// well-formed SVG with a title, one "show data" table per chart, titles in `lang`; the values
/// of the collection, arrears and uptime charts. Returns the chart ids.
fn check_charts(page: &str, figures: &Value, lang: paani::web::i18n::Lang) -> Vec<String> {
    let months = &figures["months"];
    let i18n = paani::web::i18n::I18n::load().unwrap();
    let drawings = svgs(page);
    assert!(!drawings.is_empty(), "no charts");
    for svg in &drawings {
        let doc = roxmltree::Document::parse(svg)
            .unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let title = root
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == "title")
            .unwrap_or_else(|| panic!("no title: {svg}"));
        assert!(!title.text().unwrap_or("").trim().is_empty());
    }
    let boxes = chart_boxes(page);
    assert_eq!(boxes.len(), drawings.len(), "every drawing in a chart box");
    let show = i18n.t(lang, "chart-show-data", &[]);
    for (id, markup) in &boxes {
        let inner = svgs(markup);
        assert_eq!(inner.len(), 1, "{id}: one drawing");
        let doc = roxmltree::Document::parse(inner[0]).unwrap();
        let title = doc
            .root_element()
            .children()
            .find(|n| n.tag_name().name() == "title")
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        assert_eq!(title, i18n.t(lang, id, &[]), "{id}: title in {lang:?}");
        assert!(
            markup.contains(&format!("<details><summary>{show}</summary>")),
            "{id}: its data to show"
        );
        assert!(
            markup.contains("<table class=\"data matrix\">"),
            "{id}: a table (compact on a phone)"
        );
    }
    // the collection chart: a demand bar and a collected bar per month, valued as in the API
    let (_, markup) = boxes
        .iter()
        .find(|(id, _)| id == "chart-collection")
        .expect("the collection chart");
    let doc = roxmltree::Document::parse(svgs(markup)[0]).unwrap();
    let values = |class: &str| -> Vec<f64> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == "rect" && n.attribute("class") == Some(class))
            .filter_map(|n| n.attribute("data-value"))
            .map(|v| v.parse::<f64>().unwrap())
            .collect()
    };
    let months = months.as_array().unwrap();
    let want = |k: &str| -> Vec<f64> { months.iter().map(|m| int(&m[k]) as f64).collect() };
    assert_eq!(values("s1"), want("demand_paise"), "demand bars");
    assert_eq!(values("s2"), want("collected_paise"), "collected bars");
    // the efficiency line: collected over demand, for the months with a demand
    let points: Vec<f64> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "circle")
        .map(|n| n.attribute("data-value").unwrap().parse().unwrap())
        .collect();
    let efficiency: Vec<f64> = months
        .iter()
        .filter(|m| int(&m["demand_paise"]) > 0)
        .map(|m| {
            (int(&m["collected_paise"]) as f64 * 1000.0 / int(&m["demand_paise"]) as f64).round()
                / 10.0
        })
        .collect();
    assert_eq!(points, efficiency);
    let table_rows = markup
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .matches("<tr>")
        .count();
    assert_eq!(table_rows, months.len(), "one data row per month");
    // horizontal bars: one per arrears bucket, one per scheme
    let bars = |chart: &str| -> Option<Vec<f64>> {
        let (_, markup) = boxes.iter().find(|(id, _)| id == chart)?;
        let doc = roxmltree::Document::parse(svgs(markup)[0]).unwrap();
        Some(
            doc.descendants()
                .filter(|n| n.tag_name().name() == "rect")
                .map(|n| n.attribute("data-value").unwrap().parse().unwrap())
                .collect(),
        )
    };
    let arrears: Vec<f64> = figures["arrears"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| int(a) as f64)
        .collect();
    assert_eq!(bars("chart-arrears"), Some(arrears), "arrears bars");
    if let Some(schemes) = figures["uptime_by_scheme"].as_array() {
        let uptime: Vec<f64> = schemes
            .iter()
            .map(|s| s["uptime_percent"].as_f64().unwrap())
            .collect();
        assert_eq!(bars("chart-uptime"), Some(uptime), "uptime bars");
    }
    boxes.into_iter().map(|(id, _)| id).collect()
}

fn has_devanagari(s: &str) -> bool {
    s.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c))
}

#[tokio::test]
async fn charts_are_well_formed_svg_with_their_data() {
    use paani::web::i18n::Lang;
    let app = demo_at(now() - Duration::days(45), now(), |_| {}).await;
    seed_block(&app).await;
    let i18n = paani::web::i18n::I18n::load().unwrap();

    // the secretary's GP, in English
    let sec = app.api_token("secretary").await;
    let f = get(&app, &sec, "/api/v1/dashboard").await["figures"].clone();
    assert!(int(&f["months"][10]["demand_paise"]) > 0, "bars to draw");
    let browser = app.login_as("secretary").await;
    let (s, page) = browser.get_text("/dashboard?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    let ids = check_charts(&page, &f, Lang::En);
    for id in [
        "chart-collection",
        "chart-breakdowns",
        "chart-repair",
        "chart-compliance",
        "chart-uptime",
        "chart-arrears",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    // and in Hindi
    let (s, page) = browser.get_text("/dashboard?lang=hi").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"hi\">"));
    check_charts(&page, &f, Lang::Hi);
    for id in &ids {
        let hi = i18n.t(Lang::Hi, id, &[]);
        assert!(has_devanagari(&hi) && hi != i18n.t(Lang::En, id, &[]));
        assert!(
            page.contains(&format!("<title>{hi}</title>")),
            "{id} in Hindi"
        );
    }

    // the engineer's block, in English and in Hindi
    let eng = app.api_token("engineer").await;
    let total = get(&app, &eng, "/api/v1/dashboard").await["total"].clone();
    let browser = app.login_as("engineer").await;
    let (s, page) = browser.get_text("/dashboard").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\">"));
    let ids = check_charts(&page, &total, Lang::En);
    assert!(ids.contains(&"chart-collection".to_string()));
    let (s, page) = browser.get_text("/dashboard?lang=hi").await;
    assert_eq!(s, StatusCode::OK);
    check_charts(&page, &total, Lang::Hi);
    for id in &ids {
        let hi = i18n.t(Lang::Hi, id, &[]);
        assert!(
            page.contains(&format!("<title>{hi}</title>")),
            "{id} in Hindi"
        );
    }
}

/// The names of an area dashboard's rows, in the page's order.
fn page_names(page: &str) -> Vec<String> {
    page.split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .map(|p| {
            let p = &p[p.find('>').unwrap() + 1..];
            unescape(&p[..p.find("</a>").unwrap()])
        })
        .collect()
}

/// The links of a page (decoded), in order.
fn hrefs(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .map(|p| unescape(&p[..p.find('"').unwrap()]))
        .collect()
}

/// Text of a page with the entities Handlebars writes decoded.
fn unescape(s: &str) -> String {
    s.replace("&#x3D;", "=")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The GP names of a dashboard CSV, in its order (after checking the BOM and the header).
async fn csv_names(browser: &crate::helpers::Browser, path: &str) -> Vec<String> {
    let r = browser.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "{path}: UTF-8 with BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    assert_eq!((&header[0], &header[1]), ("lgd_code", "name"));
    reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect()
}

#[tokio::test]
async fn exports_and_reports_honour_scope() {
    let app = demo_at(now() - Duration::days(45), now(), |_| {}).await;
    seed_block(&app).await;
    let block = app.place_id(Level::Block, 230101);
    let banapura = app.place_id(Level::Gp, 23010101);
    let semri = app.place_id(Level::Gp, 23010201);
    let eng = app.api_token("engineer").await;
    let engineer = app.login_as("engineer").await;

    // the block's CSV: one line per GP of the block, sorted as asked
    let gps = get(
        &app,
        &eng,
        &format!("/api/v1/places?level=gp&parent={block}"),
    )
    .await;
    let count = int(&gps["total"]) as usize;
    assert_eq!(count, 3);
    let v = get(&app, &eng, "/api/v1/dashboard").await;
    let mut rows: Vec<(i64, i64, String)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                int(&r["figures"]["score"]),
                int(&r["lgd_code"]),
                r["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let default = csv_names(&engineer, &format!("/places/{block}/dashboard.csv")).await;
    assert_eq!(default.len(), count);
    // most urgent first (ties by LGD code)
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let by_score: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
    assert_eq!(default, by_score);
    let by_name = csv_names(
        &engineer,
        &format!("/places/{block}/dashboard.csv?sort=name&dir=asc"),
    )
    .await;
    let mut names = by_score.clone();
    names.sort();
    assert_eq!(by_name, names);
    assert_eq!(names, ["Banapura", "Dhanori", "Shivpur"]);
    assert_ne!(by_name, default, "the scores order them otherwise");
    // the page shows the same orders
    let (_, page) = engineer
        .get_text(&format!("/places/{block}/dashboard"))
        .await;
    assert_eq!(page_names(&page), default, "the CSV in the page's order");
    let (_, page) = engineer
        .get_text(&format!("/places/{block}/dashboard?sort=name&dir=asc"))
        .await;
    assert_eq!(page_names(&page), by_name);
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let least_first: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
    assert_eq!(
        csv_names(
            &engineer,
            &format!("/places/{block}/dashboard.csv?sort=score&dir=asc")
        )
        .await,
        least_first
    );

    // every row links to its GP's pages, and they open for the engineer
    let (_, page) = engineer
        .get_text(&format!("/places/{block}/dashboard"))
        .await;
    let links = hrefs(&page);
    for r in v["rows"].as_array().unwrap() {
        let g = int(&r["place_id"]);
        let mine: Vec<&String> = links
            .iter()
            .filter(|l| {
                l.contains(&format!("gp={g}"))
                    || l.contains(&format!("/{g}/"))
                    || l.ends_with(&format!("={g}"))
            })
            .collect();
        for want in [
            format!("/places/{g}/dashboard"),
            format!("/breakdowns/review?gp={g}"),
            format!("/places/{g}/maintenance"),
            format!("/arrears?gp={g}"),
            format!("/cashbook?gp={g}"),
            format!("/meetings/regularity?gp={g}"),
            format!("/committees?gp={g}"),
            format!("/schemes?place={g}"),
        ] {
            assert!(mine.contains(&&want), "{want} in {mine:?}");
        }
        for l in mine {
            assert_eq!(engineer.get(l).await.status(), StatusCode::OK, "{l}");
        }
    }

    // a GP of the other block does not exist for the engineer
    for path in [
        format!("/places/{semri}/dashboard"),
        format!("/places/{semri}/dashboard.csv"),
        format!("/places/{semri}/report"),
        format!("/places/{semri}/report.csv"),
        format!("/places/{semri}/report.json"),
    ] {
        assert_eq!(
            engineer.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (s, _) = call(
        &app,
        &eng,
        "GET",
        &format!("/api/v1/dashboard?place={semri}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(
        &app,
        &eng,
        "GET",
        &format!("/api/v1/reports/monthly?place={semri}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // while their own GPs are there
    for path in [
        format!("/places/{banapura}/dashboard"),
        format!("/places/{banapura}/report"),
    ] {
        assert_eq!(engineer.get(&path).await.status(), StatusCode::OK, "{path}");
    }

    // the secretary's report of last month, worked out by hand for Banapura: 2 households
    // at ₹40; of February's ₹80 only ₹25 (household 1's ₹65 first paid January's ₹40);
    // ₹800 electricity; the meeting of 20 February; the breakdown reported on 23 February and
    // repaired the next day
    let secretary = app.login_as("secretary").await;
    // the links of the secretary's own dashboard to the detail pages open for her
    let (_, page) = secretary.get_text("/dashboard").await;
    let links: Vec<String> = hrefs(&page)
        .into_iter()
        .filter(|l| l.contains(&format!("={banapura}")) || l.contains(&format!("/{banapura}/")))
        .collect();
    assert!(links.len() >= 8, "{links:?}");
    for l in &links {
        assert_eq!(secretary.get(l).await.status(), StatusCode::OK, "{l}");
    }
    let r = secretary
        .get(&format!("/places/{banapura}/report.json?month=2027-02"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let mine: Value = r.json().await.unwrap();
    assert_eq!(
        (&mine["month"], &mine["level"]),
        (&json!("2027-02"), &json!("gp"))
    );
    assert_eq!(mine["gps"].as_array().unwrap().len(), 1);
    let line = &mine["gps"][0];
    assert_eq!(int(&line["place_id"]), banapura);
    assert_eq!(int(&line["demand_paise"]), 2 * 4000);
    assert_eq!(int(&line["collected_paise"]), 2500);
    assert_eq!(line["collection_percent"], 31.3);
    assert_eq!(int(&line["opening_paise"]), 1_000_000);
    assert_eq!(int(&line["expense_paise"]), 80_000);
    assert_eq!(int(&line["closing_paise"]), 1_000_000 - 80_000);
    assert_eq!(int(&line["meetings_held"]), 1);
    assert_eq!(int(&line["breakdowns_reported"]), 1);
    assert_eq!(int(&line["breakdowns_resolved"]), 1);
    assert_eq!(line["repair_median_hours"], 24.0);
    assert_eq!(
        (int(&line["schemes"]), int(&line["schemes_functional"])),
        (1, 1)
    );
    // the same month as the dashboard's chart shows it
    let sec = app.api_token("secretary").await;
    let f = get(&app, &sec, "/api/v1/dashboard").await["figures"].clone();
    let feb = &f["months"][10];
    assert_eq!(feb["month"], "2027-02");
    for k in [
        "demand_paise",
        "collected_paise",
        "breakdowns_reported",
        "breakdowns_resolved",
        "tasks_due",
        "tasks_on_time",
    ] {
        assert_eq!(line[k], feb[k], "{k}");
    }
    let r = secretary
        .get(&format!("/places/{banapura}/report.csv?month=2027-02"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(&r.bytes().await.unwrap()[..3], b"\xEF\xBB\xBF");
    // not the block's dashboard, nor its report
    assert_eq!(
        secretary
            .get(&format!("/places/{block}/dashboard"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (s, _) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/dashboard?place={block}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        secretary
            .get(&format!("/places/{block}/report.json?month=2027-02"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // a month to come, or no month at all, is refused
    for month in ["2027-04", "2027-13", "march", "2027-02-30"] {
        let path = format!("/places/{banapura}/report.json?month={month}");
        assert_eq!(
            secretary.get(&path).await.status(),
            StatusCode::BAD_REQUEST,
            "{path}"
        );
    }
    // this month so far is a month that has begun
    assert_eq!(
        secretary
            .get(&format!("/places/{banapura}/report.json?month=2027-03"))
            .await
            .status(),
        StatusCode::OK
    );

    // the block's report: one line per GP, the total their sum
    let r = engineer
        .get(&format!("/places/{block}/report.json?month=2027-02"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let rep: Value = r.json().await.unwrap();
    assert_eq!(rep["level"], "block");
    let lines = rep["gps"].as_array().unwrap();
    assert_eq!(lines.len(), count);
    for k in [
        "demand_paise",
        "collected_paise",
        "expense_paise",
        "meetings_held",
        "breakdowns_reported",
        "tasks_due",
        "income_paise",
        "closing_paise",
        "schemes",
    ] {
        assert_eq!(int(&rep["total"][k]), sum(lines, |l| &l[k]), "total {k}");
    }
    assert_eq!(
        int(&rep["total"]["demand_paise"]),
        2 * 4000 + 3 * 5000 + 4 * 6000
    );
    assert_eq!(int(&rep["total"]["meetings_held"]), 1, "Banapura's");
    // its Banapura line is the secretary's report (names aside: she reads Hindi)
    let theirs = lines
        .iter()
        .find(|l| int(&l["place_id"]) == banapura)
        .unwrap();
    let mut a = theirs.clone();
    let mut b = line.clone();
    a.as_object_mut().unwrap().remove("name");
    b.as_object_mut().unwrap().remove("name");
    same(&a, &b, "Banapura's line");
    // the CSV: a line per GP and the total
    let r = engineer
        .get(&format!("/places/{block}/report.csv?month=2027-02"))
        .await;
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let records = csv::Reader::from_reader(&bytes[3..]).records().count();
    assert_eq!(records, count + 1);
    // and the same month through the API
    let api = get(
        &app,
        &eng,
        &format!("/api/v1/reports/monthly?place={block}&month=2027-02"),
    )
    .await;
    same(&api["total"], &rep["total"], "API total");
}

#[tokio::test]
async fn dashboard_csv_sorts_by_name_descending_like_the_page() {
    let app = demo_at(now() - Duration::days(45), now(), |_| {}).await;
    let block = app.place_id(Level::Block, 230101);
    let engineer = app.login_as("engineer").await;
    // the page sorts by name, descending, and links its CSV with that order
    let (s, page) = engineer
        .get_text(&format!("/places/{block}/dashboard?sort=name&dir=desc"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let on_page = page_names(&page);
    assert_eq!(on_page, ["Shivpur", "Dhanori", "Banapura"]);
    let csv_link = format!("/places/{block}/dashboard.csv?sort=name&dir=desc");
    assert!(unescape(&page).contains(&format!("href=\"{csv_link}\"")));
    let names = csv_names(&engineer, &csv_link).await;
    assert_eq!(names, on_page, "the CSV in the same order as on the page");
}

#[tokio::test]
async fn area_dashboard_says_when_its_figures_were_computed() {
    let app = demo_at(now() - Duration::days(45), now(), |_| {}).await;
    let eng = app.api_token("engineer").await;
    let rows = get(&app, &eng, "/api/v1/dashboard").await["rows"].clone();
    // the GP page says when its figures were computed
    let sec = app.login_as("secretary").await;
    let banapura = app.place_id(Level::Gp, 23010101);
    let f =
        get(&app, &eng, &format!("/api/v1/dashboard?place={banapura}")).await["figures"].clone();
    let computed = parse_time(&f["computed_at"]);
    app.clock.advance(Duration::minutes(10));
    let (_, page) = sec.get_text("/dashboard?lang=en").await;
    let i18n = paani::web::i18n::I18n::load().unwrap();
    let as_of = |t: NaiveDateTime| {
        let time = paani::web::i18n::format_datetime(t);
        i18n.t(paani::web::i18n::Lang::En, "dash-as-of", &[("time", time)])
    };
    assert!(
        page.contains(&as_of(computed)),
        "the GP page: {}",
        as_of(computed)
    );
    // the block's rows are the same kept figures, ten minutes old: the page should say so
    let mut oldest = computed;
    for r in rows.as_array().unwrap() {
        let g = int(&r["place_id"]);
        let f = get(&app, &eng, &format!("/api/v1/dashboard?place={g}")).await["figures"].clone();
        oldest = oldest.min(parse_time(&f["computed_at"]));
    }
    let engineer = app.login_as("engineer").await;
    let (_, page) = engineer.get_text("/dashboard").await;
    let (want, claimed) = (as_of(oldest), as_of(app.clock.now()));
    assert_ne!(want, claimed);
    assert!(
        page.contains(&want),
        "the block page says {claimed:?} of figures computed ten minutes before: {want:?}"
    );
}
