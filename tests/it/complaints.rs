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
    assert!(to.ends_with("&filed=1"), "{to}");
    let number = to
        .split("number=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
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
    // each complaint about another category: the same one again would be "already reported"
    let categories = std::cell::Cell::new(0usize);
    let file = |phone: &'static str| {
        let url = app.url(&format!("/api/v1/public/complaints/{code}"));
        let n = categories.get();
        categories.set(n + 1);
        let category = [
            "tap",
            "pipeline",
            "valve",
            "tank",
            "power",
            "source",
            "other",
            "pump_motor",
        ][n % 8];
        let body = json!({"name": "Test", "phone": phone, "village_id": village,
                          "category": category, "description": "No water"});
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

/// A page's markup with the entities the templates write in attributes made plain again.
fn unescape(page: &str) -> String {
    page.replace("&#x3D;", "=").replace("&amp;", "&")
}

/// The scheme behind a `/c?q=` search that found exactly one (it redirects to its page).
async fn found_one(v: &crate::helpers::Browser, q: &str) -> String {
    let url = format!("/c?{}", serde_urlencoded::to_string([("q", q)]).unwrap());
    let r = v.get(&url).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{q}");
    location(&r)
}

#[tokio::test]
async fn villagers_find_their_scheme_by_village_name_or_code_from_the_login_page() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let v = app.browser();
    // the login page leads to reporting and to checking a complaint
    let (_, login) = v.get_text("/login").await;
    assert!(login.contains("href=\"/c\"") && login.contains("href=\"/c/status\""));
    let (s, page) = v.get_text("/c").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"q\"") && !page.contains("id=\"found\""));
    // Banapura (LGD 2301010101) has one scheme: straight to its complaint page
    let to = format!("/c/{code}");
    assert_eq!(found_one(&v, "Banapura").await, to);
    assert_eq!(found_one(&v, "  banap ").await, to);
    assert_eq!(found_one(&v, "बानापुरा").await, to);
    assert_eq!(found_one(&v, "2301010101").await, to);
    assert_eq!(found_one(&v, &code.to_lowercase()).await, to);
    // Shivpur is served by both of its GP's schemes: a choice, in the reader's language
    let shivpur_gp = app.place_id(paani::places::Level::Gp, 23010102);
    let theirs: Vec<String> = {
        use diesel::prelude::*;
        use paani::db::schema::schemes;
        schemes::table
            .filter(schemes::gp_id.eq(shivpur_gp))
            .select(schemes::code)
            .load(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(theirs.len(), 2);
    let r = v
        .client
        .get(v.url("/c?q=%E0%A4%B6%E0%A4%BF%E0%A4%B5%E0%A4%AA%E0%A5%81%E0%A4%B0"))
        .header("accept-language", "hi")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"found\""), "{page}");
    for c in &theirs {
        assert!(page.contains(&format!("href=\"/c/{c}\"")), "{c}: {page}");
    }
    assert_eq!(page.matches("class=\"card\"").count(), 2);
    assert!(page.contains("शिवपुर") && page.contains("योजना चुनें"));
    // nothing found says so; LIKE wildcards are text
    for q in ["Nowhere-village", "%", "_"] {
        let (s, page) = v
            .get_text(&format!(
                "/c?{}",
                serde_urlencoded::to_string([("q", q)]).unwrap()
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("id=\"none-found\""), "{q}");
    }
    // a decommissioned scheme is not offered
    {
        use diesel::prelude::*;
        use paani::db::schema::schemes;
        diesel::update(schemes::table.find(own))
            .set(schemes::status.eq("decommissioned"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let (_, page) = v.get_text("/c?q=Banapura").await;
    assert!(page.contains("id=\"none-found\""));
}

#[tokio::test]
async fn the_same_problem_from_the_same_phone_is_already_reported() {
    let app = TestApp::spawn_with(|c| c.breakdowns.public_per_phone_per_day = 20).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let village = village_of(&app, own);
    let v = app.browser();
    let send = |category: &'static str| {
        let (v, code, village) = (&v, code.clone(), village.clone());
        async move {
            v.post_form(
                &format!("/c/{code}"),
                &[
                    ("name", "Kamla"),
                    ("phone", "9876543210"),
                    ("village_id", village.as_str()),
                    ("category", category),
                    ("description", "No water at the school tap"),
                ],
            )
            .await
        }
    };
    let first = send("tap").await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let first_to = location(&first);
    assert!(first_to.ends_with("&filed=1"));
    let number = first_to
        .split("number=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let count = app.count("breakdowns");
    // the same again a minute later: nothing new, the first one's number
    app.clock.advance(chrono::Duration::minutes(1));
    let again = send("tap").await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&again),
        format!("/c/status?number={number}&already=1")
    );
    assert_eq!(app.count("breakdowns"), count);
    let r = v
        .client
        .get(v.url(&location(&again)))
        .header("accept-language", "hi")
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"already-reported\""), "{page}");
    assert!(
        page.contains(&format!("पहले से दर्ज है: संख्या {number}")),
        "{page}"
    );
    // the JSON twin says so with 200 and the same number
    let api = |category: &'static str, phone: &'static str| {
        let url = app.url(&format!("/api/v1/public/complaints/{code}"));
        let body = json!({"name": "Kamla", "phone": phone, "village_id": village,
                          "category": category, "description": "No water"});
        let client = app.client.clone();
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, body) = api("tap", "+91 98765 43210").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["already_reported"], true);
    assert_eq!(body["number"], number.as_str());
    assert_eq!(app.count("breakdowns"), count);
    // another category, or another phone, is another complaint
    let (s, body) = api("pipeline", "9876543210").await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(body["already_reported"], false);
    let (s, _) = api("tap", "9123456780").await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(app.count("breakdowns"), count + 2);
    // once the first is closed, the same problem may be reported anew
    {
        use diesel::prelude::*;
        use paani::db::schema::breakdowns as b;
        diesel::update(b::table.filter(b::number.eq(&number)))
            .set(b::status.eq("closed"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let (s, body) = api("tap", "9876543210").await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let second = body["number"].as_str().unwrap().to_string();
    assert_ne!(second, number);
    // and 48 hours after that one, even while it is open, a new one is filed
    app.clock.advance(chrono::Duration::hours(47));
    let (s, body) = api("tap", "9876543210").await;
    assert_eq!(
        (s, body["number"].as_str()),
        (StatusCode::OK, Some(second.as_str()))
    );
    app.clock.advance(chrono::Duration::hours(2));
    let (s, body) = api("tap", "9876543210").await;
    assert_eq!(s, StatusCode::CREATED);
    assert_ne!(body["number"].as_str(), Some(second.as_str()));
    // the documented answer
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let op = &doc["paths"]["/api/v1/public/complaints/{code}"]["post"];
    assert!(op["responses"]["200"].is_object(), "{op}");
    assert!(doc["components"]["schemas"]["Filed"]["properties"]["already_reported"].is_object());
}

#[tokio::test]
async fn the_complaint_number_is_plain_text_with_copy_and_share_links() {
    let app = TestApp::spawn_with(|c| c.server.base_url = "https://paani.example.org".into()).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let village = village_of(&app, own);
    let v = app.browser();
    // the complaint page carries its own full link to share
    let (_, form) = v.get_text(&format!("/c/{code}")).await;
    let form = unescape(&form);
    assert!(form.contains(&format!("href=\"https://paani.example.org/c/{code}\"")));
    assert!(form.contains("href=\"https://wa.me/?text="));
    let res = v
        .post_form(
            &format!("/c/{code}"),
            &[
                ("name", "Kamla"),
                ("phone", "9876543210"),
                ("village_id", village.as_str()),
                ("category", "tap"),
                ("description", "Tap broken"),
            ],
        )
        .await;
    let to = location(&res);
    let number = to
        .split("number=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let (s, page) = v.get_text(&to).await;
    assert_eq!(s, StatusCode::OK);
    let page = unescape(&page);
    // plain text, selectable; the copy button waits for the script
    assert!(page.contains(&format!(
        "<p class=\"complaint-number\" id=\"complaint-number\">{number}</p>"
    )));
    assert!(page.contains("data-copy=\"complaint-number\"") && page.contains(" hidden>"));
    assert!(page.contains("<script src=\"/static/copy.js\" defer></script>"));
    // the full status link (without the phone) and WhatsApp with it
    let link = format!("https://paani.example.org/c/status?number={number}");
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");
    let wa = page
        .split("href=\"https://wa.me/?text=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let text: Vec<(String, String)> = serde_urlencoded::from_str(&format!("text={wa}")).unwrap();
    assert!(
        text[0].1.contains(&number) && text[0].1.contains(&link),
        "{text:?}"
    );
    assert!(!text[0].1.contains("9876543210"));
    let r = v.get("/static/copy.js").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    // a number that is not one is not offered for sharing
    let (_, page) = v.get_text("/c/status?number=%3Cb%3Ex&filed=1").await;
    assert!(
        !page.contains("id=\"complaint-number\"") && !page.contains("wa.me"),
        "{page}"
    );
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 120])
    });
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_public_complaint_may_carry_a_photo() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let code = scheme_code(&app, own);
    let village = village_of(&app, own);
    let v = app.browser();
    let multipart = |token: String, photo: Vec<u8>, category: &str| {
        reqwest::multipart::Form::new()
            .text("_csrf", token)
            .text("name", "Kamla")
            .text("phone", "9876543210")
            .text("village_id", village.clone())
            .text("category", category.to_string())
            .text("description", "Pipe burst by the well")
            .part(
                "photo_1",
                reqwest::multipart::Part::bytes(photo).file_name("burst.png"),
            )
    };
    let (_, form) = v.get_text(&format!("/c/{code}")).await;
    assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("name=\"photo_1\""));
    // not an image: a photo error, the rest kept, nothing stored
    let token = v.csrf(&format!("/c/{code}")).await;
    let before = app.count("breakdowns");
    let res = v
        .client
        .post(v.url(&format!("/c/{code}")))
        .multipart(multipart(token, b"<script>".to_vec(), "pipeline"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("field-error") && body.contains("Pipe burst by the well"));
    assert_eq!(app.count("breakdowns"), before);
    assert_eq!(app.count("work_photos"), 0);
    // a photo is stored with the complaint, and the secretary sees it
    let token = v.csrf(&format!("/c/{code}")).await;
    let res = v
        .client
        .post(v.url(&format!("/c/{code}")))
        .multipart(multipart(token, png(), "pipeline"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("breakdowns"), before + 1);
    let id: i64 = {
        use diesel::prelude::*;
        use paani::db::schema::work_photos as w;
        w::table
            .select(w::breakdown_id.assume_not_null())
            .first(&mut *app.conn())
            .unwrap()
    };
    let sec = app.login_as("secretary").await;
    let (_, detail) = sec.get_text(&format!("/breakdowns/{id}")).await;
    assert!(detail.contains("src=\"/photos/"), "{detail}");
    // the same problem again: already reported, and its photo is not stored twice
    let token = v.csrf(&format!("/c/{code}")).await;
    let res = v
        .client
        .post(v.url(&format!("/c/{code}")))
        .multipart(multipart(token, png(), "pipeline"))
        .send()
        .await
        .unwrap();
    assert!(location(&res).ends_with("&already=1"));
    assert_eq!(app.count("work_photos"), 1);
}
