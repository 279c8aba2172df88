//! Complaints and SMS (issue 27, items 4 and 6): a complaint filed on the public page is told
//! by SMS with a status link that needs no phone, and so is each change of its status; a
//! missed call from a household's registered phone files one "no water" complaint (the open
//! one is not doubled, the calls of a day are limited) and replies by SMS; an inbound
//! `STATUS <number>` is answered only to the complaint's own phones. Secrets are checked.

use crate::factories::Gp;
use crate::helpers::{call, location, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::db::schema::{breakdowns, complaint_langs, sms_outbox};
use reqwest::StatusCode;
use serde_json::json;

const SECRET: &str = "phone-hooks-secret";
const CALLER: &str = "98765 43210";
const NEIGHBOUR: &str = "9123456780";
const STRANGER: &str = "9988776655";

async fn app_with(adjust: impl FnOnce(&mut paani::config::Config)) -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.sms.file_dir = format!("{}/sms", c.storage.data_dir.trim_end_matches('/'));
        c.sms.callback_secret = paani::config::Secret::new(SECRET);
        // the test server's address (http://127.0.0.1:<port>) makes a 33-character short link
        c.sms.variable_max_chars = 40;
        adjust(c);
    })
    .await;
    app.clock.set(noon());
    app
}

/// 12:00 in India on 7 December 2026, as UTC.
fn noon() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(6, 30, 0)
        .unwrap()
}

/// A GP with a scheme serving its village, and two households of it with phones: (GP,
/// scheme id, scheme code).
fn village_with_scheme(app: &TestApp) -> (Gp, i64, String) {
    let gp = app.gp();
    let actor = app.admin();
    let mut c = app.conn();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let input = paani::schemes::SchemeInput {
        gp_lgd_code: gp.lgd.to_string(),
        name: "Hill PWS".into(),
        kind: "pws".into(),
        villages: (gp.lgd * 100 + 1).to_string(),
        ..Default::default()
    };
    let v = paani::schemes::validate(&mut c, &actor, &cat, &input, today, 30)
        .unwrap()
        .unwrap();
    let s = paani::schemes::create(&mut c, &actor, &v, app.clock.now()).unwrap();
    let cats = paani::config::Config::defaults().billing.categories;
    for (no, phone, scheme) in [
        ("H-1", CALLER, s.id.to_string()),
        ("H-2", NEIGHBOUR, String::new()),
    ] {
        let input = paani::billing::HouseholdInput {
            village_id: gp.village_id.to_string(),
            scheme_id: scheme,
            connection_no: no.into(),
            head_name: "Ramesh Kumar".into(),
            category: "general".into(),
            connected_on: "2024-04-01".into(),
            phone: phone.into(),
            ..Default::default()
        };
        paani::billing::create(&mut c, &actor, &cats, &input, app.clock.now()).unwrap();
    }
    (gp, s.id, s.code)
}

#[derive(Debug)]
struct Sent {
    key: String,
    to: String,
    lang: String,
    body: String,
    status: String,
}

fn outbox(app: &TestApp) -> Vec<Sent> {
    sms_outbox::table
        .order(sms_outbox::id.asc())
        .select((
            sms_outbox::msg_key,
            sms_outbox::to_number,
            sms_outbox::lang,
            sms_outbox::body,
            sms_outbox::status,
        ))
        .load::<(String, String, String, String, String)>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .map(|(key, to, lang, body, status)| Sent {
            key,
            to,
            lang,
            body,
            status,
        })
        .collect()
}

fn complaints(app: &TestApp) -> Vec<(i64, String, String, String, Option<String>)> {
    breakdowns::table
        .left_join(complaint_langs::table.on(complaint_langs::breakdown_id.eq(breakdowns::id)))
        .order(breakdowns::id.asc())
        .select((
            breakdowns::id,
            breakdowns::number,
            breakdowns::status,
            breakdowns::supply,
            complaint_langs::lang.nullable(),
        ))
        .load(&mut *app.conn())
        .unwrap()
}

/// The path a short link in an SMS body stands for.
async fn follow(app: &TestApp, body: &str) -> String {
    let at = body.find("/s/").expect("a short link");
    let token: String = body[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let res = app
        .client
        .get(app.url(&format!("/s/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    location(&res)
}

async fn missed_call(app: &TestApp, query: &str) -> StatusCode {
    app.client
        .get(app.url(&format!("/hooks/missed-call/exotel?{query}")))
        .send()
        .await
        .unwrap()
        .status()
}

fn call_from(from: &str, sid: &str) -> String {
    serde_urlencoded::to_string([
        ("secret", SECRET),
        ("CallSid", sid),
        ("CallFrom", from),
        ("CallTo", "08047112233"),
        ("Direction", "incoming"),
        ("CallType", "call-attempt"),
        ("digits", ""),
    ])
    .unwrap()
}

#[tokio::test]
async fn a_filed_complaint_and_each_status_change_are_told_by_sms() {
    let app = app_with(|_| {}).await;
    let (gp, scheme, code) = village_with_scheme(&app);
    let village = gp.village_id.to_string();
    // on the page, in English
    let v = app.browser();
    let res = v
        .post_form(
            &format!("/c/{code}"),
            &[
                ("name", "Kamla"),
                ("phone", "+91 98111-22233"),
                ("village_id", &village),
                ("category", "tap"),
                ("supply", "stopped"),
                ("description", "The tap on our street is broken"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", location(&res));
    let filed = complaints(&app);
    assert_eq!(filed.len(), 1);
    let (id, number) = (filed[0].0, filed[0].1.clone());
    assert_eq!(filed[0].4.as_deref(), Some("en"));
    let sent = outbox(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (
            sent[0].key.as_str(),
            sent[0].to.as_str(),
            sent[0].lang.as_str()
        ),
        ("complaint_filed", "919811122233", "en")
    );
    assert_eq!(sent[0].status, "queued");
    assert!(sent[0].body.contains(&number), "{}", sent[0].body);
    // its link opens the status page without the phone, and names no phone
    let path = follow(&app, &sent[0].body).await;
    assert!(
        path.starts_with("/c/status?") && path.contains("t="),
        "{path}"
    );
    assert!(!path.contains("98111"), "{path}");
    let (s, page) = app.browser().get_text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&number) && page.contains("Reported"),
        "{page}"
    );
    // a forged token shows nothing
    let forged = path.replace("t=", "t=9");
    assert_eq!(
        app.browser().get_text(&forged).await.0,
        StatusCode::NOT_FOUND
    );
    // the same complaint again from the same phone: nothing new, no second SMS
    let again = v
        .post_form(
            &format!("/c/{code}"),
            &[
                ("name", "Kamla"),
                ("phone", "9811122233"),
                ("village_id", &village),
                ("category", "tap"),
                ("description", "Still broken"),
            ],
        )
        .await;
    assert!(location(&again).contains("already=1"));
    assert_eq!(outbox(&app).len(), 1);
    // through the API: a language Paani has no messages in is a field error
    let res = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{code}")))
        .json(
            &json!({"name": "Sita", "phone": "9811122244", "village_id": village,
            "category": "pipeline", "description": "Pipe burst", "lang": "fr"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // in Hindi
    let res = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{code}")))
        .json(
            &json!({"name": "Sita", "phone": "9811122244", "village_id": village,
            "category": "pipeline", "description": "Pipe burst", "lang": "hi"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let sent = outbox(&app);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].lang, "hi");
    assert!(sent[1].body.contains("शिकायत"), "{}", sent[1].body);
    // each status change: one SMS with the new status in the villager's language
    app.secretary_of(&gp);
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, _) = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/breakdowns/{id}/transition"),
        json!({"to": "acknowledged"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/breakdowns/{id}/transition"),
        json!({"to": "in_progress", "assigned_name": "Mohan fitter"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let sent = outbox(&app);
    let status: Vec<&Sent> = sent
        .iter()
        .filter(|m| m.key == "complaint_status")
        .collect();
    assert_eq!(status.len(), 2, "{sent:?}");
    assert!(status[0].body.contains(&number) && status[0].body.contains("Acknowledged"));
    assert!(
        status[1].body.contains("Being repaired"),
        "{}",
        status[1].body
    );
    assert!(status
        .iter()
        .all(|m| m.to == "919811122233" && m.lang == "en"));
    // a breakdown reported in the app by a member is not texted
    let before = outbox(&app).len();
    crate::factories::add_breakdown(&app, scheme);
    assert_eq!(outbox(&app).len(), before);
    // the file transport writes them
    let done = paani::sms::service::deliver(&app.db, &app.config, app.clock.now(), 100).unwrap();
    assert_eq!(done.sent, before);
}

#[tokio::test]
async fn a_missed_call_files_one_complaint_and_replies_within_the_days_limit() {
    let app = app_with(|c| c.sms.missed_call_per_day = 3).await;
    let (_, scheme, _) = village_with_scheme(&app);
    assert_eq!(
        missed_call(&app, &call_from("09876543210", "call-1")).await,
        StatusCode::OK
    );
    let filed = complaints(&app);
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].3, "stopped");
    let b = paani::breakdowns::find(&mut app.conn(), filed[0].0).unwrap();
    assert_eq!((b.scheme_id, b.category.as_str()), (scheme, "other"));
    assert_eq!(b.reporter_phone.as_deref(), Some("9876543210"));
    let sent = outbox(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (
            sent[0].key.as_str(),
            sent[0].to.as_str(),
            sent[0].lang.as_str()
        ),
        ("missed_call_reply", "919876543210", "hi")
    );
    assert!(sent[0].body.contains(&filed[0].1), "{}", sent[0].body);
    // a second call the same day: no second complaint, no second SMS
    assert_eq!(
        missed_call(&app, &call_from("+919876543210", "call-2")).await,
        StatusCode::OK
    );
    assert_eq!(complaints(&app).len(), 1);
    assert_eq!(outbox(&app).len(), 1);
    // a neighbour of the same scheme calls: told the open complaint's number
    assert_eq!(
        missed_call(&app, &call_from(NEIGHBOUR, "call-3")).await,
        StatusCode::OK
    );
    assert_eq!(complaints(&app).len(), 1);
    let sent = outbox(&app);
    assert_eq!(sent.len(), 2);
    assert!(sent[1].to.ends_with(NEIGHBOUR) && sent[1].body.contains(&filed[0].1));
    // the complaint is closed; the caller's third call files a new one, the fourth is over
    // the day's limit and files nothing
    diesel::update(breakdowns::table)
        .set(breakdowns::status.eq("closed"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(
        missed_call(&app, &call_from(CALLER, "call-4")).await,
        StatusCode::OK
    );
    assert_eq!(complaints(&app).len(), 2);
    diesel::update(breakdowns::table)
        .set(breakdowns::status.eq("closed"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(
        missed_call(&app, &call_from(CALLER, "call-5")).await,
        StatusCode::OK
    );
    assert_eq!(complaints(&app).len(), 2);
    assert_eq!(outbox(&app).len(), 3);
    // the next day (India time) counts afresh
    app.clock.advance(Duration::days(1));
    assert_eq!(
        missed_call(&app, &call_from(CALLER, "call-6")).await,
        StatusCode::OK
    );
    assert_eq!(complaints(&app).len(), 3);
}

#[tokio::test]
async fn unknown_callers_file_nothing_and_wrong_secrets_are_refused() {
    let app = app_with(|_| {}).await;
    village_with_scheme(&app);
    for from in [STRANGER, "08047112233", ""] {
        assert_eq!(
            missed_call(&app, &call_from(from, "call-x")).await,
            StatusCode::OK,
            "{from}"
        );
    }
    assert_eq!(complaints(&app).len(), 0);
    assert_eq!(outbox(&app).len(), 0);
    let no_secret = call_from(CALLER, "c").replace(&format!("secret={SECRET}&"), "");
    assert_eq!(
        missed_call(&app, &no_secret).await,
        StatusCode::UNAUTHORIZED
    );
    let wrong = call_from(CALLER, "c").replace(SECRET, "guess");
    assert_eq!(missed_call(&app, &wrong).await, StatusCode::UNAUTHORIZED);
    let res = app
        .client
        .get(app.url(&format!("/hooks/missed-call/exotel?{}", no_secret)))
        .header("X-Paani-Secret", SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(complaints(&app).len(), 1);
    let res = app
        .client
        .get(app.url(&format!(
            "/hooks/missed-call/nosuch?{}",
            call_from(CALLER, "c")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let inbound = app
        .client
        .get(app.url("/hooks/sms/exotel/inbound?secret=guess&From=9876543210&Body=STATUS+X"))
        .send()
        .await
        .unwrap();
    assert_eq!(inbound.status(), StatusCode::UNAUTHORIZED);
    // no secret configured: the hooks are off
    let off = TestApp::spawn().await;
    assert_eq!(
        missed_call(&off, &call_from(CALLER, "c")).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn status_by_sms_is_answered_only_to_the_complaints_own_phones() {
    let app = app_with(|_| {}).await;
    let (_, _, code) = village_with_scheme(&app);
    let res = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{code}")))
        .json(
            &json!({"name": "Kamla", "phone": "9811122233", "village_id": "",
            "category": "tap", "description": "Tap broken", "lang": "en"}),
        )
        .send()
        .await
        .unwrap();
    // the scheme serves one village: it must be named
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let gp_village: i64 =
        paani::schemes::villages_of(&mut app.conn(), complaints_scheme(&app, &code)).unwrap()[0].id;
    let res = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{code}")))
        .json(
            &json!({"name": "Kamla", "phone": "9811122233", "village_id": gp_village.to_string(),
            "category": "tap", "description": "Tap broken", "lang": "en"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let number = complaints(&app)[0].1.clone();
    let replies = |app: &TestApp| -> Vec<Sent> {
        outbox(app)
            .into_iter()
            .filter(|m| m.key == "status_reply")
            .collect()
    };
    let inbound_get = |q: String| {
        let c = app.client.clone();
        let u = app.url(&format!("/hooks/sms/exotel/inbound?{q}"));
        async move { c.get(u).send().await.unwrap() }
    };
    // the reporter asks, in Exotel's shape
    let q = serde_urlencoded::to_string([
        ("secret", SECRET),
        ("SmsSid", "sms-1"),
        ("From", "09811122233"),
        ("To", "08047112233"),
        ("Date", "2026-12-07 12:00:00"),
        ("Body", &format!("status {}", number.to_lowercase())),
    ])
    .unwrap();
    let res = inbound_get(q.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.text().await.unwrap(),
        "",
        "the answer goes by the outbox"
    );
    let r = replies(&app);
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].to.as_str(), r[0].lang.as_str()),
        ("919811122233", "en")
    );
    assert!(
        r[0].body.contains(&number) && r[0].body.contains("Reported"),
        "{}",
        r[0].body
    );
    // the same question again today: no second SMS
    inbound_get(q).await;
    assert_eq!(replies(&app).len(), 1);
    // a household of the scheme asks in Hindi (a generic provider's form POST)
    let res = app
        .client
        .post(app.url("/hooks/sms/http/inbound"))
        .header("X-Paani-Secret", SECRET)
        .form(&[("from", NEIGHBOUR), ("text", &format!("स्थिति {number}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r = replies(&app);
    assert_eq!(r.len(), 2);
    assert_eq!(r[1].lang, "hi");
    assert!(r[1].to.ends_with(NEIGHBOUR));
    // a stranger, an unknown number, an unknown keyword: nothing is sent
    let before = outbox(&app).len();
    for (from, text) in [
        (STRANGER, format!("STATUS {number}")),
        ("9811122233", "STATUS 99999999-B1".to_string()),
        ("9811122233", "HELLO".to_string()),
    ] {
        let res = app
            .client
            .post(app.url(&format!("/hooks/sms/exotel/inbound?secret={SECRET}")))
            .json(&json!({"from": from, "text": text}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{text}");
    }
    assert_eq!(outbox(&app).len(), before);
    // an unknown transport is not found
    let res = app
        .client
        .get(app.url(&format!(
            "/hooks/sms/nosuch/inbound?secret={SECRET}&From=9811122233&Body=STATUS+{number}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

fn complaints_scheme(app: &TestApp, code: &str) -> i64 {
    paani::breakdowns::public::scheme_for_code(&mut app.conn(), code)
        .unwrap()
        .0
        .id
}
