//! Public complaints: the page per scheme, the status page, their JSON twins, throttling and
//! escaping, and complaint numbers that never repeat.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn scheme_code(app: &TestApp, id: i64) -> String {
    paani::schemes::find(&mut app.conn(), id).unwrap().code
}

/// The first village the scheme serves.
fn village_of(app: &TestApp, scheme: i64) -> String {
    paani::schemes::villages_of(&mut app.conn(), scheme).unwrap()[0]
        .id
        .to_string()
}

#[tokio::test]
async fn a_villager_files_a_complaint_and_checks_it() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let village = village_of(&app, own);
    let v = app.browser();
    let (s, page) = v.get_text(&format!("/c/{code}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"phone\"") && page.contains(&code));
    // a bad phone number and an empty description: field errors, nothing stored
    let before = app.count("breakdowns");
    let res = v
        .post_form(
            &format!("/c/{code}"),
            &[
                ("name", "Kamla"),
                ("phone", "12345"),
                ("village_id", &village),
                ("category", "tap"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.matches("field-error").count() >= 2, "{body}");
    assert_eq!(app.count("breakdowns"), before);
    // markup and SQL-looking text are stored as plain text
    let res = v
        .post_form(
            &format!("/c/{code}"),
            &[
                ("name", "<b>Kamla</b> Bai"),
                ("phone", "+91 98765-43210"),
                ("village_id", &village),
                ("category", "tap"),
                ("supply", "stopped"),
                (
                    "description",
                    "<script>alert('x')</script>Tap broken'); DROP TABLE breakdowns; --",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/c/status?number=23010101-B"), "{to}");
    let number = to.split("number=").nth(1).unwrap().to_string();
    let stored: (String, String, String, Option<String>, Option<i64>) = {
        use diesel::prelude::*;
        use paani::db::schema::breakdowns as b;
        b::table
            .filter(b::number.eq(&number))
            .select((
                b::reporter_name,
                b::description,
                b::source,
                b::reporter_phone,
                b::village_id,
            ))
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(stored.0, "Kamla Bai");
    assert_eq!(
        stored.1,
        "alert('x')Tap broken'); DROP TABLE breakdowns; --"
    );
    assert_eq!(stored.2, "public");
    assert_eq!(stored.3.as_deref(), Some("9876543210"));
    assert_eq!(stored.4.map(|v| v.to_string()), Some(village.clone()));
    // the status page needs the number and the same phone
    let (s, page) = v.get_text(&to).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("value=\"{number}\"")));
    let (s, _) = v
        .get_text(&format!("/c/status?number={number}&phone=9999999999"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, page) = v
        .get_text(&format!("/c/status?number={number}&phone=09876543210"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"complaint\"") && page.contains(&number));
    assert!(!page.contains("<script>alert"));
    // the secretary sees it with the villager's details
    let sec = app.login_as("secretary").await;
    let id: i64 = {
        use diesel::prelude::*;
        use paani::db::schema::breakdowns as b;
        b::table
            .filter(b::number.eq(&number))
            .select(b::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (_, detail) = sec.get_text(&format!("/breakdowns/{id}")).await;
    assert!(detail.contains("9876543210") && detail.contains("Kamla Bai"));
    // unknown and decommissioned schemes have no complaint page
    assert_eq!(
        v.get("/c/NO-SUCH-CODE").await.status(),
        StatusCode::NOT_FOUND
    );
    {
        use diesel::prelude::*;
        use paani::db::schema::schemes;
        diesel::update(schemes::table.find(own))
            .set(schemes::status.eq("decommissioned"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    assert_eq!(
        v.get(&format!("/c/{code}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{code}")))
        .json(&json!({"name": "A", "phone": "9876543210", "category": "tap", "description": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_files_and_reports_status() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let village = village_of(&app, own);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{}", code.to_lowercase())))
        .json(&json!({"name": "Ramdas", "phone": "9123456780", "village_id": village,
                      "category": "pipeline", "supply": "partial", "description": "Leak near the temple"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let filed: Value = r.json().await.unwrap();
    let number = filed["number"].as_str().unwrap().to_string();
    assert_eq!(filed["status"], "reported");
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/public/complaints/status?number={number}&phone=9123456780"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let st: Value = r.json().await.unwrap();
    assert_eq!(st["number"], number.as_str());
    assert_eq!(st["steps"][0]["status"], "reported");
    assert!(st.get("reporter_phone").is_none(), "no personal data back");
    // a secretary acknowledges it; the villager sees the step
    let sec = app.api_token("secretary").await;
    let id = app
        .client
        .get(app.url("/api/v1/breakdowns?status=reported"))
        .bearer_auth(&sec)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["number"] == number.as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/breakdowns/{id}/transition")))
        .bearer_auth(&sec)
        .json(&json!({"to": "acknowledged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let st: Value = app
        .client
        .get(app.url(&format!(
            "/api/v1/public/complaints/status?number={number}&phone=9123456780"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(st["status"], "acknowledged");
    assert_eq!(st["steps"].as_array().unwrap().len(), 2);
    // field errors come back as problem+json
    let r = app
        .client
        .post(app.url(&format!("/api/v1/public/complaints/{code}")))
        .json(&json!({"name": "", "phone": "555", "category": "spaceship", "description": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn public_complaints_are_throttled_per_phone_and_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.breakdowns.public_per_phone_per_day = 2;
        c.breakdowns.public_per_ip_per_hour = 4;
    })
    .await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let village = village_of(&app, own);
    let file = |phone: &'static str| {
        let url = app.url(&format!("/api/v1/public/complaints/{code}"));
        let body = json!({"name": "Test", "phone": phone, "village_id": village,
                          "category": "tap", "description": "No water"});
        let client = app.client.clone();
        async move { client.post(url).json(&body).send().await.unwrap().status() }
    };
    assert_eq!(file("9000000001").await, StatusCode::CREATED);
    assert_eq!(file("9000000001").await, StatusCode::CREATED);
    assert_eq!(
        file("9000000001").await,
        StatusCode::TOO_MANY_REQUESTS,
        "third from one phone in a day"
    );
    assert_eq!(file("9000000002").await, StatusCode::CREATED);
    assert_eq!(file("9000000003").await, StatusCode::CREATED);
    assert_eq!(
        file("9000000004").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a fifth from one address in an hour (refused attempts are not counted)"
    );
    // an hour later the address may file again, but the first phone waits out its day
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(file("9000000003").await, StatusCode::CREATED);
    assert_eq!(file("9000000001").await, StatusCode::TOO_MANY_REQUESTS);
    // the page says so in the visitor's language
    app.clock.advance(chrono::Duration::minutes(61));
    let v = app.browser();
    let token = v.csrf(&format!("/c/{code}")).await;
    let res = v
        .client
        .post(v.url(&format!("/c/{code}")))
        .header("accept-language", "hi")
        .form(&[
            ("_csrf", token.as_str()),
            ("name", "Test"),
            ("phone", "9000000001"),
            ("village_id", village.as_str()),
            ("category", "tap"),
            ("description", "No water"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = res.text().await.unwrap();
    assert!(body.contains("मिनट"), "Hindi message: {body}");
    assert_eq!(app.count("breakdowns"), 5);
}

#[tokio::test]
async fn complaint_numbers_never_repeat_under_concurrent_reports() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let mut pending = vec![];
    for i in 0..16 {
        let req = app
            .client
            .post(app.url("/api/v1/breakdowns"))
            .bearer_auth(&member)
            .json(
                &json!({"scheme_id": own, "category": "tap", "supply": "none",
                          "description": format!("Tap {i} leaking")}),
            );
        pending.push(tokio::spawn(async move { req.send().await.unwrap() }));
    }
    let mut numbers = std::collections::BTreeSet::new();
    for p in pending {
        let r = p.await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        numbers.insert(v["number"].as_str().unwrap().to_string());
    }
    assert_eq!(numbers.len(), 16);
    let expected: std::collections::BTreeSet<String> =
        (1..=16).map(|n| format!("23010101-B{n}")).collect();
    assert_eq!(numbers, expected, "numbers run without gaps");
}

#[tokio::test]
async fn the_scheme_card_carries_the_complaint_qr_code() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let sec = app.login_as("secretary").await;
    let (s, card) = sec.get_text(&format!("/schemes/{own}/card")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(card.contains(&format!("/c/{code}/qr.svg")));
    assert!(card.contains(&format!("/c/{code}</code>")));
    let r = app.browser().get(&format!("/c/{code}/qr.svg")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().starts_with("<?xml"));
}

#[tokio::test]
async fn public_complaints_count_an_ipv6_address_by_its_64() {
    let app = TestApp::spawn().await;
    let mut cfg = paani::config::Config::defaults().breakdowns;
    cfg.public_per_ip_per_hour = 2;
    cfg.public_per_phone_per_day = 100;
    let now = app.clock.now();
    let mut c = app.conn();
    let mut note = |ip: &str| {
        paani::breakdowns::public::model::note_attempt(&mut c, &cfg, ip, "", now).unwrap()
    };
    assert_eq!(note("2001:db8:1:2::1"), None);
    assert_eq!(note("2001:db8:1:2:aaaa::7"), None);
    assert!(
        note("2001:db8:1:2:ffff:1:2:3").is_some(),
        "a third address of the same /64 waits"
    );
    assert_eq!(
        note("2001:db8:1:3::1"),
        None,
        "the next /64 is another subscriber"
    );
    assert_eq!(note("203.0.113.7"), None);
}
