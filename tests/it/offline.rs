//! The installable app's server side (issue 28, items 1 and 2): the manifest and its icons,
//! the service worker at the root, the layout's links, what a phone keeps
//! (`/offline/data.json`, `/api/v1/offline/data`), the outbox page and the session's token
//! for resending. The outbox itself runs in the browser: tests/browser/offline.mjs.

use crate::helpers::{extract_csrf, TestApp};
use diesel::prelude::*;
use paani::db::schema::{households, maintenance_tasks as mt, places};
use reqwest::StatusCode;
use serde_json::Value;

async fn data_of(app: &TestApp, user: &str) -> Value {
    let b = app.login_as(user).await;
    let r = b.get("/offline/data.json").await;
    assert_eq!(r.status(), StatusCode::OK, "{user}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    r.json().await.unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_manifest_names_the_app_and_its_icons_are_there() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/manifest.webmanifest").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/manifest+json");
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["name"], "Paani / पानी");
    assert_eq!(m["start_url"], "/");
    assert_eq!(m["display"], "standalone");
    assert!(m["theme_color"].as_str().unwrap().starts_with('#'));
    let icons = m["icons"].as_array().unwrap();
    for (size, purpose) in [
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    ] {
        let icon = icons
            .iter()
            .find(|i| i["sizes"] == size && i["purpose"] == purpose)
            .unwrap_or_else(|| panic!("no {purpose} icon of {size}"));
        let r = app.browser().get(icon["src"].as_str().unwrap()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "image/png");
        let png = r.bytes().await.unwrap();
        // the PNG's own width (IHDR) is the size the manifest says
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(format!("{width}x{width}"), size);
    }
}

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_and_never_cached() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/sw.js").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(r.headers()["cache-control"], "no-cache");
    // the CSP allows no inline script: the worker loads the outbox from a file
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let body = r.text().await.unwrap();
    assert!(body.contains("importScripts('/static/outbox-store.js')"));
    for file in ["outbox-store.js", "offline.js"] {
        let r = app.browser().get(&format!("/static/{file}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{file}");
    }
}

#[tokio::test]
async fn a_signed_in_page_links_the_manifest_the_scripts_and_the_sessions_token() {
    let app = TestApp::with_demo().await;
    let anon = app.browser();
    let (_, login) = anon.get_text("/login").await;
    assert!(login.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(
        !login.contains("/static/offline.js"),
        "no outbox for a visitor"
    );
    let member = app.login_as("member").await;
    let (s, home) = member.get_text("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(home.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(home.contains(r#"<script src="/static/offline.js" defer></script>"#));
    assert!(home.contains(r#"id="outbox-banner""#));
    assert!(home.contains(r#"href="/outbox""#));
    // a block engineer works online: no outbox, no script, the page as light as before
    let engineer = app.login_as("engineer").await;
    let (s, dash) = engineer.get_text("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(dash.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(!dash.contains("<script") && !dash.contains("outbox-banner"));
    let form_token = extract_csrf(&home).unwrap();
    assert!(home.contains(&format!(
        r#"<meta name="csrf-token" content="{form_token}">"#
    )));
    // the token the outbox resends with is the session's
    let r = member.get("/offline/token").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["csrf"], form_token);
    let r = anon
        .client
        .get(anon.url("/offline/token"))
        .header("Accept", "application/problem+json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_outbox_page_is_a_shell_in_the_users_language() {
    let app = TestApp::with_demo().await;
    // the member reads Hindi
    let member = app.login_as("member").await;
    let (s, body) = member.get_text("/outbox").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<h1>आउटबॉक्स</h1>"), "Hindi title");
    assert!(body.contains(r#"id="outbox-list""#));
    assert!(body.contains("<noscript>"));
    let (_, en) = member.get_text("/outbox?lang=en").await;
    assert!(en.contains("<h1>Outbox</h1>"));
    assert!(en.contains("Export all (file)"));
    // a visitor is sent to log in
    let r = app.browser().get("/outbox").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_member_keeps_their_open_tasks_and_the_forms_of_the_field() {
    let app = TestApp::with_demo().await;
    // the demo's scheme gets its sampling points (the water-test forms)
    let first = data_of(&app, "member").await;
    let scheme = first["schemes"][0]["id"].as_i64().unwrap();
    let secretary = app.login_as("secretary").await;
    let r = secretary
        .post_form(
            &format!("/schemes/{scheme}/sampling-points/from-assets"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = data_of(&app, "member").await;
    assert!(d["synced_at"].as_str().unwrap().contains('T'));
    assert_eq!(d["receipt_books_url"], "/receipt-books/mine.json");
    assert!(d["households"].is_null(), "a member collects no payments");
    let tasks = d["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty());
    let pages = strings(&d["pages"]);
    for p in ["/", "/outbox", "/tasks", "/breakdowns/new"] {
        assert!(pages.contains(&p.to_string()), "{p} in {pages:?}");
    }
    // every listed task is an open one of the member's GP, with its form kept
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let mut c = app.conn();
    for t in tasks {
        let id = t["id"].as_i64().unwrap();
        let (state, task_gp): (String, i64) = mt::table
            .find(id)
            .select((mt::state, mt::gp_id))
            .first(&mut *c)
            .unwrap();
        assert_eq!(state, "open");
        assert_eq!(task_gp, gp);
        assert_eq!(t["url"], format!("/tasks/{id}"));
        assert!(pages.contains(&format!("/tasks/{id}")));
        assert!(!t["title"].as_str().unwrap().is_empty());
    }
    // the schemes' supply logs and the sampling points' water-test forms
    for s in d["schemes"].as_array().unwrap() {
        assert!(pages.contains(&format!("/schemes/{}/supply", s["id"])));
    }
    assert!(!d["points"].as_array().unwrap().is_empty());
    for p in d["points"].as_array().unwrap() {
        assert!(pages.contains(&format!("/water-quality/points/{}/samples/new", p["id"])));
    }
    assert!(!d["assets"].as_array().unwrap().is_empty());
    // every kept page opens for the member
    let member = app.login_as("member").await;
    for p in &pages {
        let r = member.get(p).await;
        assert_eq!(r.status(), StatusCode::OK, "{p}");
    }
    // a task done leaves the list
    let done = tasks[0]["id"].as_i64().unwrap();
    diesel::update(mt::table.find(done))
        .set(mt::state.eq("done"))
        .execute(&mut *c)
        .unwrap();
    drop(c);
    let again = data_of(&app, "member").await;
    assert!(!again["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == done));
    assert!(!strings(&again["pages"]).contains(&format!("/tasks/{done}")));
}

#[tokio::test]
async fn a_collector_keeps_the_households_that_owe_with_what_they_owe() {
    let app = TestApp::with_demo().await;
    // this month's demands for the demo GP's households
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    let village_id: i64 = places::table
        .filter(places::parent_id.eq(gp_id))
        .filter(places::level.eq("village"))
        .select(places::id)
        .first(&mut *app.conn())
        .unwrap();
    let gp = crate::factories::Gp {
        id: gp_id,
        lgd: 23010101,
        block_lgd: 230101,
        village_id,
    };
    let month = paani::web::i18n::today_in_india(app.clock.now())
        .format("%Y-%m")
        .to_string();
    for _ in 0..3 {
        app.household(&gp);
    }
    assert!(app.with_demands(&gp, &month) >= 3);
    let d = data_of(&app, "secretary").await;
    let hs = d["households"].as_array().unwrap();
    assert!(!hs.is_empty(), "the demo GP has households with dues");
    let pages = strings(&d["pages"]);
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let mut c = app.conn();
    for h in hs {
        let id = h["id"].as_i64().unwrap();
        let standing = paani::billing::payments::model::standing(&mut c, id).unwrap();
        assert_eq!(h["due_paise"].as_i64().unwrap(), standing.balance_paise);
        assert!(standing.balance_paise > 0);
        let (status, hgp): (String, i64) = households::table
            .find(id)
            .select((households::status, households::gp_id))
            .first(&mut *c)
            .unwrap();
        assert_eq!((status.as_str(), hgp), ("active", gp));
        assert_eq!(h["url"], format!("/payments/new?household={id}"));
        assert!(pages.contains(&format!("/payments/new?household={id}")));
    }
    // each household that owes and is active is there, and no other
    let active: Vec<i64> = households::table
        .filter(households::gp_id.eq(gp))
        .filter(households::status.eq("active"))
        .select(households::id)
        .load(&mut *c)
        .unwrap();
    let owing = active
        .iter()
        .filter(|id| {
            paani::billing::payments::model::standing(&mut c, **id)
                .unwrap()
                .balance_paise
                > 0
        })
        .count();
    assert_eq!(hs.len(), owing);
    drop(c);
    // a payment of the whole due takes the household off the list
    let first = &hs[0];
    let (id, due) = (
        first["id"].as_i64().unwrap(),
        first["due_paise"].as_i64().unwrap(),
    );
    let secretary = app.login_as("secretary").await;
    let amount = format!("{}.{:02}", due / 100, due % 100);
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let r = secretary
        .post_form(
            "/payments",
            &[
                ("household_id", &id.to_string()),
                ("amount", &amount),
                ("paid_on", &today),
                ("mode", "cash"),
                ("counter", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let again = data_of(&app, "secretary").await;
    assert!(!again["households"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == id));
}

#[tokio::test]
async fn wider_scopes_keep_the_home_and_the_outbox_only_and_the_api_answers_the_same() {
    let app = TestApp::with_demo().await;
    let d = data_of(&app, "engineer").await;
    assert_eq!(strings(&d["pages"]), vec!["/", "/outbox"]);
    assert!(d["households"].is_null());
    // the same snapshot for an API client, by bearer token
    let token = app.api_token("member").await;
    let (s, api) = crate::helpers::get_json(&app, &token, "/api/v1/offline/data").await;
    assert_eq!(s, StatusCode::OK);
    let page = data_of(&app, "member").await;
    assert_eq!(api["pages"], page["pages"]);
    assert_eq!(api["user_id"], page["user_id"]);
    // and nothing without one
    let r = app
        .browser()
        .client
        .get(app.url("/api/v1/offline/data"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// The offline app keeps pages and data with fetches of its own while the user moves on; those
/// must not spend the confirmation meant for the page the user is sent to next (a browser check
/// once lost the receipt page's "payment recorded" to a page being kept in the background).
#[tokio::test]
async fn a_background_fetch_leaves_the_flash_for_the_page_the_user_sees() {
    let app = TestApp::with_demo().await;
    let member = app.login_as("member").await;
    let res = member
        .post_form("/account/language", &[("lang", "hi")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for (path, mode) in [("/account", "same-origin"), ("/offline/data.json", "cors")] {
        let r = member
            .client
            .get(member.url(path))
            .header("Sec-Fetch-Mode", mode)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(
            r.headers()
                .get_all("set-cookie")
                .iter()
                .all(|c| !c.to_str().unwrap().starts_with("paani_flash=")),
            "{path} fetched in the background spent the flash"
        );
        let body = r.text().await.unwrap();
        assert!(!body.contains(r#"class="flash""#), "{path} showed it");
    }
    let r = member
        .client
        .get(member.url("/account"))
        .header("Sec-Fetch-Mode", "navigate")
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(
        body.contains(r#"<p class="flash" role="status">"#),
        "the page the user sees shows it"
    );
    let (_, again) = member.get_text("/account").await;
    assert!(!again.contains(r#"class="flash""#), "shown once");
}
