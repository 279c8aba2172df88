use crate::helpers::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_makes_a_database_round_trip() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["database"], app.test_db.backend().name());
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::with_demo().await;
    for path in [
        "/login",
        "/nope",
        "/static/paani.css",
        "/healthz",
        "/api/v1/me",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert!(h.get("referrer-policy").is_some(), "{path}");
        assert!(h.get("x-request-id").is_some(), "{path}");
    }
}

#[tokio::test]
async fn static_files_are_cached_and_pages_are_small() {
    let app = TestApp::with_demo().await;
    let res = app
        .client
        .get(app.url("/static/paani.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("cache-control")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("max-age"));
    assert!(res.headers().get("etag").is_some());
    let css = res.bytes().await.unwrap().len();
    assert!(css < 20_000, "one small CSS file: {css} bytes");
    assert_eq!(
        app.client
            .get(app.url("/static/nothing.css"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let (s, login) = app.browser().get_text("/login").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        login.len() + css < 60_000,
        "login page weighs {} bytes",
        login.len()
    );
    let b = app.login_as("admin").await;
    for path in [
        "/",
        "/places",
        "/admin/users",
        "/admin/audit",
        "/account",
        "/api/docs",
        "/api/docs?tag=breakdowns",
        "/api/docs?tag=billing",
        "/api/docs?tag=schemas",
    ] {
        let (s, body) = b.get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(
            body.len() + css < 60_000,
            "{path} weighs {} bytes",
            body.len()
        );
        assert!(!body.contains("<script"), "{path}: no JavaScript needed");
    }
    // the API reference: an index of every operation, one page per tag, and the data shapes
    let (_, index) = b.get_text("/api/docs").await;
    assert!(
        index.contains("/api/v1/demands/preview") && index.contains("/api/v1/breakdowns/figures")
    );
    let (_, billing) = b.get_text("/api/docs?tag=billing").await;
    assert!(billing.contains("api-op") && !billing.contains("/api/v1/breakdowns/figures"));
    // the data shapes come in pages, each small; every shape is on one of them
    let (_, first) = b.get_text("/api/docs?tag=schemas").await;
    let pages = first.matches("tag=schemas&amp;page=").count() + 1;
    assert!(pages >= 2, "the shapes are split into pages");
    let mut found = 0;
    for page in 1..=pages {
        let (s, shapes) = b
            .get_text(&format!("/api/docs?tag=schemas&page={page}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            shapes.len() + css < 60_000,
            "schemas page {page}: {} bytes",
            shapes.len()
        );
        found += shapes.matches("id=\"schema-Household\"").count();
    }
    assert_eq!(found, 1, "Household is described once");
    // an operation's body links to the page that describes it
    let link = billing
        .split("href=\"")
        .map(|h| &h[..h.find('"').unwrap_or(0)])
        .find(|h| h.contains("#schema-HouseholdInput"))
        .expect("a link to the household input")
        .replace("&amp;", "&")
        .replace("&#x3D;", "=");
    let (_, target) = b.get_text(&link).await;
    assert!(target.contains("id=\"schema-HouseholdInput\""), "{link}");
}

#[tokio::test]
async fn html_error_pages() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("engineer").await;
    let (s, body) = b.get_text("/no/such/page").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("<h1>") && body.contains("Error 404"));
    let (s, body) = b.get_text("/places/not-a-number").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("Error 404"));
    let (s, body) = b.get_text("/admin/users").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(body.contains("Error 403"));
    // a record in a foreign scope looks exactly like a missing one
    let (foreign, _) = crate::factories::add_foreign_district(&app);
    let (s1, b1) = b.get_text(&format!("/places/{foreign}")).await;
    let (s2, b2) = b.get_text("/places/987654321").await;
    assert_eq!((s1, s2), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    // the pages are the same but for the id asked for (the CSRF token is random and may hold
    // the id's digits: it is left out of the comparison)
    let same = |page: &str, id: &str| {
        let token = crate::helpers::extract_csrf(page).unwrap_or_default();
        page.replace(&token, "TOKEN").replace(id, "ID")
    };
    assert_eq!(same(&b1, &foreign.to_string()), same(&b2, "987654321"));
}

#[tokio::test]
async fn demo_refuses_a_database_with_data() {
    let app = TestApp::with_demo().await;
    let err = paani::demo::seed(&app.db, &app.clock)
        .err()
        .expect("second seed refused");
    assert!(err.to_string().contains("already has data"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args(["demo", "--database", &app.test_db.url])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has data"));
    assert_eq!(app.count("users"), 6, "one user per role");
    assert!(app.count("places") >= 20);
}

#[tokio::test]
async fn server_errors_show_a_page_and_leak_nothing() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("admin").await;
    {
        use diesel::prelude::*;
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| diesel::sql_query("DROP TABLE audit_log")
            .execute(c))
        .unwrap();
    }
    let (s, body) = b.get_text("/admin/audit").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Something went wrong on our side"));
    assert!(
        !body.contains("audit_log") && !body.to_lowercase().contains("sql"),
        "{body}"
    );
    // a write that fails half-way leaves nothing behind
    let before = app.count("places");
    let res = b
        .post_form(
            "/admin/places",
            &[
                ("level", "village"),
                ("lgd_code", "4242"),
                ("name", "Half"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        app.count("places"),
        before,
        "the place was rolled back with its audit row"
    );
    let api = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("x")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
}

/// The `class` of every `<table` in a page (empty when it has none).
fn table_classes(page: &str) -> Vec<String> {
    page.match_indices("<table")
        .map(|(i, _)| {
            let tag = &page[i..i + page[i..].find('>').unwrap_or(0)];
            tag.split("class=\"")
                .nth(1)
                .and_then(|c| c.split('"').next())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn wide_tables_become_cards_or_keep_their_priority_columns_on_phones() {
    let app = TestApp::with_demo().await;
    let (scheme, _) = crate::schemes::demo_scheme_ids(&app);
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let household = crate::factories::add_household(&app, 23010101);
    let (committee, _, _) = crate::factories::add_committee(&app, 23010101);
    let pages: [(&str, Vec<String>); 3] = [
        (
            "secretary",
            vec![
                format!("/households/{household}/ledger"),
                "/arrears".into(),
                "/demands".into(),
                format!("/committees/{committee}"),
                "/action-items".into(),
                "/decisions".into(),
                "/meetings/regularity".into(),
                format!("/schemes/{scheme}/maintenance"),
                format!("/places/{gp}/maintenance"),
                format!("/places/{gp}/dashboard"),
                format!("/places/{gp}/lifecycle"),
            ],
        ),
        (
            "engineer",
            vec!["/breakdowns/review".into(), "/dashboard".into()],
        ),
        (
            "admin",
            vec![
                "/admin/users".into(),
                "/places".into(),
                "/admin/audit".into(),
                "/admin/jobs".into(),
            ],
        ),
    ];
    for (user, paths) in pages {
        let b = app.login_as(user).await;
        for path in paths {
            for lang in ["hi", "en"] {
                let (s, page) = b.get_text(&format!("{path}?lang={lang}")).await;
                assert_eq!(s, StatusCode::OK, "{user} {path}");
                let classes = table_classes(&page);
                assert!(!classes.is_empty(), "{user} {path}: no table");
                for c in &classes {
                    assert!(
                        c.split(' ').any(|w| w == "stack" || w == "matrix"),
                        "{user} {path}: a table ({c:?}) that would scroll sideways on a phone"
                    );
                }
                assert!(
                    !page.contains("data-label=\"\""),
                    "{user} {path}: a card line without its label"
                );
            }
        }
    }
    // the area dashboard keeps the place, schemes working and open breakdowns on a phone
    let b = app.login_as("engineer").await;
    let (_, page) = b.get_text("/dashboard?lang=en").await;
    let head = &page[page.find("id=\"dash-table\"").unwrap()..];
    let head = &head[..head.find("</thead>").unwrap()];
    let kept =
        head.matches("<th scope=\"col\"").count() - head.matches("class=\"narrow-hide\"").count();
    assert_eq!(kept, 3, "{head}");
}
