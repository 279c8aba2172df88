//! Households' SMS (issue 27, item 4): a payment's receipt (once, even when the payment is
//! replayed by its idempotency key), the demand notice of a raised month (the page's and API's
//! run and the scheduler's automatic one), the monthly overdue reminder, the water-quality
//! advisory when an incident opens, a GP's switch, and the demo's messages written out by the
//! `file` transport. On both backends.

use crate::factories::Gp;
use crate::helpers::{call, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::config::Config;
use paani::db::schema::{demands, sms_outbox};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The SMS outbox under the test's data folder; quiet hours off unless a test wants them.
fn adjust(c: &mut Config) {
    c.sms.file_dir = format!("{}/sms", c.storage.data_dir.trim_end_matches('/'));
    c.sms.quiet_start = "00:00".into();
    c.sms.quiet_end = "00:00".into();
    // the test server's address (http://127.0.0.1:<port>) makes a 33-character short link
    c.sms.variable_max_chars = 40;
}

/// (id, key, to, vars, body, status, urgent, dedupe key) of every message of `key`, oldest first.
type Row = (i64, String, String, String, String, String, bool, String);

fn messages(app: &TestApp, key: &str) -> Vec<Row> {
    let mut c = app.conn();
    let key = key.to_string();
    paani::on_backend!(&mut *c, |c| sms_outbox::table
        .filter(sms_outbox::msg_key.eq(&key))
        .order(sms_outbox::id)
        .select((
            sms_outbox::id,
            sms_outbox::msg_key,
            sms_outbox::to_number,
            sms_outbox::vars,
            sms_outbox::body,
            sms_outbox::status,
            sms_outbox::urgent,
            sms_outbox::dedupe_key,
        ))
        .load(c))
    .unwrap()
}

fn vars(r: &Row) -> Value {
    serde_json::from_str(&r.3).unwrap()
}

/// The short link (`<base>/s/<token>`) in a message's text, as a path.
fn short_path(body: &str) -> String {
    let at = body.find("/s/").expect("a short link");
    let token: String = body[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("/s/{token}")
}

/// Follow a short link to the page it stands for; its status and text.
async fn follow(app: &TestApp, short: &str) -> (StatusCode, String) {
    let res = app.client.get(app.url(short)).send().await.unwrap();
    assert!(res.status().is_redirection(), "{short}: {}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let url = if to.starts_with("http") {
        to
    } else {
        app.url(&to)
    };
    let res = app.client.get(url).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// A household of the demo's GP 23010101 (₹50 a month for general from April 2026), with or
/// without a phone.
async fn household(app: &TestApp, sec: &str, no: &str, phone: Option<&str>) -> i64 {
    let village = app
        .place_id(paani::places::Level::Village, 2301010101)
        .to_string();
    let (s, h) = call(
        app,
        sec,
        "POST",
        "/api/v1/households",
        json!({"village_id": village, "connection_no": no, "head_name": format!("Head {no}"),
        "category": "general", "connected_on": "2026-01-05", "phone": phone.unwrap_or("")}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let (s, p) = call(app, sec, "POST", "/api/v1/tariffs",
        json!({"effective_from": "2026-04", "rates": {"general": "50", "bpl": "30", "sc": "30", "st": "30"}}))
    .await;
    assert!(
        s == StatusCode::CREATED || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{p}"
    );
    h["id"].as_i64().unwrap()
}

async fn pay(
    app: &TestApp,
    sec: &str,
    key: &str,
    household: i64,
    amount: &str,
) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/payments"))
        .bearer_auth(sec)
        .header("Idempotency-Key", key)
        .json(&json!({"household_id": household, "amount": amount}))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

fn demand_of(app: &TestApp, household: i64, month: NaiveDate) -> i64 {
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| demands::table
        .filter(demands::household_id.eq(household))
        .filter(demands::month.eq(month))
        .select(demands::id)
        .first::<i64>(c))
    .unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn file_of(config: &Config, id: i64) -> Option<String> {
    std::fs::read_to_string(format!("{}/sms-{id}.txt", config.sms.file_dir)).ok()
}

#[tokio::test]
async fn a_raised_month_sends_notices_and_a_payment_its_receipt_once_even_replayed() {
    let app = TestApp::spawn_with(|c| {
        adjust(c);
        c.sms.household_lang = "hi".into();
    })
    .await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let sec = app.api_token("secretary").await;
    let h = household(&app, &sec, "S-1", Some("98260 12345")).await;
    let silent = household(&app, &sec, "S-2", None).await;

    // the secretary raises October: the household with a phone hears of it, in Hindi
    let (s, runs) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-10"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{runs}");
    let notices = messages(&app, "demand_notice");
    assert_eq!(
        notices.len(),
        1,
        "one notice: the other household has no phone"
    );
    let n = &notices[0];
    let demand = demand_of(&app, h, ymd(2026, 10, 1));
    assert_eq!(n.2, "919826012345");
    assert_eq!(n.5, "queued", "{n:?}");
    assert_eq!(n.7, format!("demand:{demand}"));
    let v = vars(n);
    assert_eq!(v["month"], "अक्टूबर 2026");
    assert_eq!(v["amount"], "50.00");
    assert_eq!(v["due_date"], "15-10-2026");
    assert!(
        n.4.contains("अक्टूबर 2026") && n.4.contains("50.00"),
        "{}",
        n.4
    );
    // its short link opens the notice without logging in
    let (s, page) = follow(&app, &short_path(&n.4)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("S-1"), "the notice of the household");

    // a payment's receipt, once, however often the phone retries it
    let (s1, p1) = pay(&app, &sec, "sms-7f3a-0001", h, "150").await;
    assert_eq!(s1, StatusCode::CREATED, "{p1}");
    let (s2, p2) = pay(&app, &sec, "sms-7f3a-0001", h, "150").await;
    assert_eq!(s2, StatusCode::CREATED, "the first answer again");
    assert_eq!(p1["id"], p2["id"]);
    let (a, b) = tokio::join!(
        pay(&app, &sec, "sms-7f3a-0002", h, "20"),
        pay(&app, &sec, "sms-7f3a-0002", h, "20")
    );
    assert_eq!(a.1["id"], b.1["id"], "{a:?} {b:?}");
    let receipts = messages(&app, "receipt");
    assert_eq!(receipts.len(), 2, "one receipt per payment: {receipts:?}");
    let r = &receipts[0];
    assert_eq!(r.7, format!("receipt:{}", p1["id"]));
    let v = vars(r);
    assert_eq!(v["receipt_no"], p1["receipt_no"]);
    assert_eq!(v["amount"], "150.00");
    assert_eq!(v["balance"], "0.00", "₹100 in advance is nothing due");
    assert_eq!(
        v["link"],
        format!("/r/{}", {
            let mut c = app.conn();
            let id = p1["id"].as_i64().unwrap();
            paani::billing::payments::find(&mut c, id).unwrap().token
        })
    );
    let (s, page) = follow(&app, &short_path(&r.4)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(p1["receipt_no"].as_str().unwrap()));
    // the household without a phone pays: nothing is queued
    let (s, _) = pay(&app, &sec, "sms-7f3a-0003", silent, "50").await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(messages(&app, "receipt").len(), 2);

    // the sweep's delivery writes them out
    let done = paani::sms::service::deliver(&app.db, &app.config, app.clock.now(), 100).unwrap();
    assert_eq!(done.sent, 3, "{done:?}");
    let text = file_of(&app.config, r.0).expect("the receipt's file");
    assert!(text.contains(p1["receipt_no"].as_str().unwrap()), "{text}");
}

#[tokio::test]
async fn a_gp_that_switched_receipts_off_sends_none() {
    let app = TestApp::spawn_with(adjust).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let sec = app.api_token("secretary").await;
    let h = household(&app, &sec, "S-9", Some("9826012399")).await;
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    {
        let mut c = app.conn();
        paani::sms::model::set_gp_off(&mut c, gp, "receipt", true, app.clock.now()).unwrap();
    }
    let (s, p) = pay(&app, &sec, "off-1", h, "50").await;
    assert_eq!(s, StatusCode::CREATED, "the payment stands: {p}");
    assert!(messages(&app, "receipt").is_empty());
    // the other kinds still go
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-11"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(messages(&app, "demand_notice").len(), 1);
}

/// A household with a phone (or none) in the GP's village, through the register's own code.
fn household_in(app: &TestApp, gp: &Gp, no: &str, phone: Option<&str>) -> i64 {
    let admin = app.admin();
    let mut c = app.conn();
    let input = paani::billing::HouseholdInput {
        village_id: gp.village_id.to_string(),
        connection_no: no.into(),
        head_name: format!("Head {no}"),
        category: "general".into(),
        connected_on: "2024-04-01".into(),
        phone: phone.unwrap_or("").into(),
        ..Default::default()
    };
    let cats = Config::defaults().billing.categories;
    paani::billing::create(&mut c, &admin, &cats, &input, app.clock.now())
        .unwrap()
        .id
}

fn mailer(config: &Config) -> paani::mail::Mailer {
    use paani::web::i18n::I18n;
    use paani::web::render::Views;
    use std::sync::{Arc, OnceLock};
    static LOADED: OnceLock<(Arc<I18n>, Arc<Views>)> = OnceLock::new();
    let (i18n, views) = LOADED.get_or_init(|| {
        let i18n = Arc::new(I18n::load().unwrap());
        let views = Arc::new(Views::load(i18n.clone()).unwrap());
        (i18n, views)
    });
    paani::mail::Mailer::with(config, i18n.clone(), views.clone())
}

fn sweep(app: &TestApp, config: &Config, now: NaiveDateTime) -> paani::jobs::Report {
    let r = paani::jobs::run(
        &app.db,
        config,
        &mailer(config),
        now,
        "cli",
        None,
        |_, _| {},
    )
    .unwrap();
    assert_eq!(r.status, "ok", "{:?}", r.errors);
    r
}

/// 09:30 in India on that day, as UTC.
fn morning(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(4, 0, 0).unwrap()
}

#[tokio::test]
async fn the_scheduler_sends_automatic_notices_and_one_overdue_reminder_a_month() {
    let app = TestApp::spawn_with(|c| {
        adjust(c);
        c.sms.household_lang = "en".into();
        c.mail.transport = "memory".into();
    })
    .await;
    let config = app.config.clone();
    let gp = app.gp();
    let a = household_in(&app, &gp, "A-1", Some("9000000001"));
    let b = household_in(&app, &gp, "A-2", Some("+91 90000 00002"));
    household_in(&app, &gp, "A-3", None);
    // August to October raised directly (the data-set writer): no messages
    for m in ["2026-08", "2026-09", "2026-10"] {
        assert_eq!(app.with_demands(&gp, m), 3);
    }
    assert!(messages(&app, "demand_notice").is_empty());
    {
        let mut c = app.conn();
        paani::billing::demands::set_auto(&mut c, gp.id, true, None, app.clock.now()).unwrap();
    }
    // before the reminder day: November's automatic demands and their notices only
    let r = sweep(&app, &config, morning(ymd(2026, 11, 10)));
    assert_eq!(r.counts["demands_automatic"].done, Some(3));
    let notices = messages(&app, "demand_notice");
    assert_eq!(notices.len(), 2, "{notices:?}");
    let nov_a = demand_of(&app, a, ymd(2026, 11, 1));
    assert_eq!(notices[0].7, format!("demand:{nov_a}"));
    assert_eq!(vars(&notices[0])["month"], "Nov 2026");
    assert_eq!(vars(&notices[0])["due_date"], "15-11-2026");
    assert!(messages(&app, "overdue_reminder").is_empty());
    assert!(
        file_of(&config, notices[1].0).is_some(),
        "written out by the sweep"
    );

    // from billing.overdue_reminder_day (20): four unpaid months each
    sweep(&app, &config, morning(ymd(2026, 11, 21)));
    let overdue = messages(&app, "overdue_reminder");
    assert_eq!(overdue.len(), 2, "{overdue:?}");
    let of_a = overdue.iter().find(|o| o.2 == "919000000001").unwrap();
    assert_eq!(of_a.7, format!("overdue:{a}:2026-11"));
    let v = vars(of_a);
    assert_eq!(
        (v["amount"].as_str(), v["months"].as_str()),
        (Some("200.00"), Some("4"))
    );
    let notice =
        paani::billing::demands::notice_token(config.auth.session_key.expose().as_bytes(), nov_a);
    assert_eq!(
        v["link"],
        format!("/d/{notice}"),
        "its latest demand's notice"
    );
    let (s, _) = follow(&app, &short_path(&of_a.4)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        file_of(&config, of_a.0).is_some(),
        "written out by the same sweep"
    );

    // the next days of the month: nothing again; B pays up and is left alone next month
    sweep(&app, &config, morning(ymd(2026, 11, 22)));
    assert_eq!(messages(&app, "overdue_reminder").len(), 2);
    {
        let admin = app.admin();
        let input = paani::billing::payments::PaymentInput {
            household_id: b.to_string(),
            amount: "250".into(),
            paid_on: "2026-11-25".into(),
            ..Default::default()
        };
        let mut c = app.conn();
        paani::db::write_transaction(&mut c, |c| {
            paani::billing::payments::record(
                c,
                &admin,
                &input,
                None,
                Config::defaults().money,
                morning(ymd(2026, 11, 25)),
            )
        })
        .unwrap();
    }
    sweep(&app, &config, morning(ymd(2026, 12, 21)));
    let overdue = messages(&app, "overdue_reminder");
    assert_eq!(overdue.len(), 3, "A again in December, B paid: {overdue:?}");
    assert_eq!(overdue[2].7, format!("overdue:{a}:2026-12"));
}

/// A field test at a point by the GP's member (a tester).
async fn field_test(
    app: &TestApp,
    gp: &Gp,
    point: i64,
    tester: i64,
    kind: &str,
    values: &[(&str, &str)],
) {
    let b = app.login_as(&format!("member-{}", gp.lgd)).await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let mut fields: Vec<(String, String)> = vec![
        ("kind".into(), kind.into()),
        ("sampled_on".into(), today.to_string()),
        ("tested_on".into(), today.to_string()),
        ("tester_id".into(), tester.to_string()),
    ];
    if kind == "ftk" {
        fields.push(("kit_batch".into(), "FTK-1".into()));
        fields.push((
            "kit_expires_on".into(),
            (today + Duration::days(90)).to_string(),
        ));
    }
    for (k, v) in values {
        fields.push((format!("v_{k}"), v.to_string()));
    }
    let res = b
        .post_pairs(&format!("/water-quality/points/{point}/samples"), &fields)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{kind} test recorded");
}

#[tokio::test]
async fn an_incident_advises_every_household_with_a_phone_in_the_schemes_villages() {
    let app = TestApp::spawn_with(|c| {
        adjust(c);
        c.sms.household_lang = "hi".into();
    })
    .await;
    let (gp, point, tester) = crate::water_quality::tested_gp(&app).await;
    let a = household_in(&app, &gp, "W-1", Some("9111111111"));
    let b = household_in(&app, &gp, "W-2", Some("9222222222"));
    household_in(&app, &gp, "W-3", None);
    // a village the scheme does not serve
    let other = app.gp();
    household_in(&app, &other, "X-1", Some("9333333333"));

    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    let sent = messages(&app, "water_advisory");
    assert_eq!(sent.len(), 2, "{sent:?}");
    let incident: i64 = {
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| paani::db::schema::water_incidents::table
            .select(paani::db::schema::water_incidents::id)
            .first(c))
        .unwrap()
    };
    assert_eq!(sent[0].7, format!("advisory:{incident}:{a}"));
    assert_eq!(sent[1].7, format!("advisory:{incident}:{b}"));
    assert!(
        sent.iter().all(|s| s.6 && s.5 == "queued"),
        "urgent: {sent:?}"
    );
    let v = vars(&sent[0]);
    assert_eq!(v["advice"], "कीटाणु मिले");
    assert!(v["village"].as_str().unwrap().starts_with("Village"), "{v}");
    // a second positive joins the open incident: no new advisory
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    assert_eq!(messages(&app, "water_advisory").len(), 2);
    // a chemical one is another incident, named by its parameter
    field_test(
        &app,
        &gp,
        point,
        tester,
        "ftk",
        &[("fluoride", "2.0"), ("ph", "7.2")],
    )
    .await;
    let sent = messages(&app, "water_advisory");
    assert_eq!(sent.len(), 4);
    assert_eq!(vars(&sent[2])["advice"], "फ्लोराइड सुरक्षित नहीं");
    // urgent: sent during quiet hours too
    let mut config = app.config.clone();
    config.sms.quiet_start = "00:00".into();
    config.sms.quiet_end = "23:59".into();
    let done = paani::sms::service::deliver(&app.db, &config, app.clock.now(), 100).unwrap();
    assert_eq!((done.sent, done.deferred), (4, 0), "{done:?}");
}

#[tokio::test]
async fn the_demo_queues_households_messages_and_the_sweep_writes_them_out() {
    let app = TestApp::spawn_with(adjust).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    paani::demo::seed_water_quality(&app.db, &app.clock, &app.config).unwrap();
    let n = paani::demo::seed_sms_households(&app.db, &app.clock, &app.config).unwrap();
    for key in [
        "receipt",
        "demand_notice",
        "overdue_reminder",
        "water_advisory",
    ] {
        assert!(!messages(&app, key).is_empty(), "the demo sends {key}");
    }
    assert_eq!(
        paani::demo::seed_sms_households(&app.db, &app.clock, &app.config).unwrap(),
        0,
        "once"
    );
    let done = paani::sms::service::deliver(&app.db, &app.config, app.clock.now(), 5000).unwrap();
    let files = std::fs::read_dir(&app.config.sms.file_dir).unwrap().count();
    assert!(
        done.sent > 0 && files == done.sent,
        "{n} queued, {done:?}, {files} files"
    );
}
