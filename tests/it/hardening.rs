//! Hostile input, on both backends alike: control characters in any text a request brings,
//! LIKE wildcards in a search, spreadsheet formulas in any exported cell.

use crate::factories::Gp;
use crate::helpers::{call, TestApp};
use reqwest::StatusCode;

/// A household made through the area's code, with the text given.
fn household_named(app: &TestApp, gp: &Gp, connection_no: &str, head: &str, notes: &str) -> i64 {
    let admin = app.admin();
    let input = paani::billing::HouseholdInput {
        village_id: gp.village_id.to_string(),
        connection_no: connection_no.into(),
        head_name: head.into(),
        category: "general".into(),
        connected_on: "2024-04-01".into(),
        notes: notes.into(),
        ..Default::default()
    };
    let cats = paani::config::Config::defaults().billing.categories;
    paani::billing::create(&mut app.conn(), &admin, &cats, &input, app.clock.now())
        .unwrap()
        .id
}

#[actix_web::test]
async fn a_control_character_anywhere_is_a_field_error_never_a_500() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    let households = app.count("households");

    // the login form and the token endpoint, without an account
    let b = app.browser();
    let res = b.login("secre\u{0}tary", "x").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "login form");
    let page = res.text().await.unwrap();
    assert!(page.contains("username"), "the page names the field");
    let res = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "ad\u{0}min", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "token endpoint"
    );
    let v: serde_json::Value = res.json().await.unwrap();
    assert!(v["errors"]["username"].is_string(), "{v}");

    // the public complaint status page, in Hindi
    let res = app
        .client
        .get(app.url("/c/status?number=%00&phone=98&lang=hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("नियंत्रण अक्षर"), "the error in Hindi");

    // a search box and a filter, logged in
    let sec = app.login_as(&secretary.username).await;
    for path in ["/households?q=a%00b", "/households?village=%1b"] {
        let (s, _) = sec.get_text(path).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }

    // JSON text fields: the error names the field, nothing is written
    let token = app.api_token(&secretary.username).await;
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/households",
        serde_json::json!({"village_id": gp.village_id, "connection_no": "N-1",
            "head_name": "Ram\u{0}", "category": "general", "connected_on": "2024-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["errors"]["head_name"].is_string(), "{v}");
    assert_eq!(app.count("households"), households);

    // lines and tabs stay where a field holds several lines
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/households",
        serde_json::json!({"village_id": gp.village_id, "connection_no": "N-2",
            "head_name": "Ram", "category": "general", "connected_on": "2024-04-01",
            "notes": "first line\r\nsecond\tline"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["notes"], "first line\r\nsecond\tline");
    // … and nowhere else: a name is one line
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/households",
        serde_json::json!({"village_id": gp.village_id, "connection_no": "N-3",
            "head_name": "Ram\nLal", "category": "general", "connected_on": "2024-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["errors"]["head_name"]
            .as_str()
            .unwrap()
            .contains("one line"),
        "{v}"
    );

    // a form field and an uploaded CSV file: the import stops with a report
    let before = app.count("households");
    let res = sec
        .post_form(
            "/households/import",
            &[("csv", "connection_no,head_name\nX\u{7},Y\n")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let token = sec.csrf("/households/import").await;
    let file = format!(
        "village_lgd,connection_no,head_name,category,connected_on\n{},N-9,Ra\u{0}m,general,2024-04-01\n",
        gp.lgd * 100 + 1
    );
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(file.into_bytes()).file_name("households.csv"),
    );
    let res = sec
        .client
        .post(sec.url("/households/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        res.status() == StatusCode::OK || res.status() == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.status()
    );
    let page = res.text().await.unwrap();
    assert!(
        page.contains("hidden control character"),
        "the row report says why"
    );
    assert_eq!(app.count("households"), before);
}

#[actix_web::test]
async fn search_takes_percent_underscore_and_backslash_literally() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    household_named(&app, &gp, "C-1", "Ram Lal", "");
    household_named(&app, &gp, "C-2", "Sita Devi", "");
    household_named(&app, &gp, "C-3", "50% Shyam_Kumar", "");
    let token = app.api_token(&secretary.username).await;
    for (q, expected) in [
        ("%25", 1),
        ("_", 1),
        ("%5C", 0),
        ("m_k", 1),
        ("C-", 3),
        ("a%25", 0),
    ] {
        let (s, v) = call(
            &app,
            &token,
            "GET",
            &format!("/api/v1/households?q={q}"),
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["total"].as_i64(), Some(expected), "q={q}: {v}");
    }
    // times leave in RFC 3339 with `Z`, to the microsecond, on both backends
    let (_, v) = call(
        &app,
        &token,
        "GET",
        "/api/v1/households",
        serde_json::Value::Null,
    )
    .await;
    let at = v["items"][0]["created_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
    assert!(
        at.ends_with('Z') && at.len() == "2026-12-06T21:22:22.173469Z".len(),
        "{at}"
    );
}

/// Every cell of a CSV download: none may start a formula unless it is a plain number.
fn assert_defused(path: &str, body: &str) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            let number = cell
                .trim_start_matches('-')
                .replace('.', "")
                .chars()
                .all(|c| c.is_ascii_digit())
                && !cell.is_empty()
                && cell != "-";
            let risky = matches!(
                cell.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r')
            );
            assert!(!risky || number, "{path}: a formula cell {cell:?}");
        }
    }
}

#[actix_web::test]
async fn every_export_defuses_formulas_identifiers_included() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let hostile = [
        "=1+2",
        "=CMD|' /C CALC'!A0",
        "+91 formula",
        "-2+3",
        "@SUM(A1)",
        "\tTab",
    ];
    for (i, text) in hostile.iter().enumerate() {
        household_named(&app, &gp, &format!("{text}{i}"), text, text);
    }
    let first = household_named(&app, &gp, "=HYPERLINK(\"http://x\")", "@me", "+x");
    app.with_demands(&gp, "2026-04");
    crate::factories::add_payment_and_entry(&app, gp.lgd, first);
    let _ = app.admin();
    let admin = app.login_as("admin").await;
    let mut checked = 0;
    for path in [
        "/households/export.csv",
        "/payments.csv",
        "/arrears.csv",
        "/defaulters.csv",
        "/collection-efficiency.csv",
        "/cashbook.csv",
        "/demand-runs.csv",
        "/tariffs.csv",
        "/places.csv",
        "/admin/users.csv",
        "/admin/audit.csv",
        "/schemes.csv",
        "/assets.csv",
        "/committees.csv",
        "/meetings.csv",
        "/action-items.csv",
        "/decisions.csv",
        "/inbox.csv",
    ] {
        let (s, body) = admin.get_text(path).await;
        if s != StatusCode::OK {
            continue;
        }
        assert_defused(path, &body);
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} exports answered");
    let (_, body) = admin.get_text("/households/export.csv").await;
    assert!(body.contains("'=1+2"), "the connection number is defused");
    let (_, body) = admin.get_text("/payments.csv").await;
    assert!(body.contains("'=HYPERLINK"), "and in payments.csv");
}

#[actix_web::test]
async fn money_months_and_dates_stay_in_their_windows() {
    use serde_json::json;
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    let token = app.api_token(&secretary.username).await;
    let tariff = |rate: &str, from: &str| {
        json!({"gp_id": gp.id, "effective_from": from,
            "rates": {"general": rate, "bpl": "30", "sc": "30", "st": "30"}})
    };
    // a rate past ₹10 lakh, or one that would overflow 64-bit sums, is a field error
    for rate in ["92233720368547758.07", "1000000.01"] {
        let (s, v) = call(
            &app,
            &token,
            "POST",
            "/api/v1/tariffs",
            tariff(rate, "2026-04"),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(
            v["errors"]["rate_general"]
                .as_str()
                .unwrap()
                .contains("10,00,000"),
            "{v}"
        );
    }
    // a tariff starts from ten years back to twelve months ahead
    for from in ["9999-12", "1990-01"] {
        let (s, v) = call(&app, &token, "POST", "/api/v1/tariffs", tariff("50", from)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{from}: {v}");
        assert!(v["errors"]["effective_from"].is_string(), "{v}");
    }
    assert_eq!(app.count("tariff_plans"), 0);
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/tariffs",
        tariff("50", "2026-04"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // demands up to next month, not later
    let household = app.household(&gp);
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let next = paani::billing::demands::next_month(today);
    let after = paani::billing::demands::next_month(next);
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/demands",
        json!({"month": after.format("%Y-%m").to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["errors"]["month"]
            .as_str()
            .unwrap()
            // the month by its name, as people write it (not 2026-12)
            .contains(
                &paani::web::i18n::I18n::load()
                    .unwrap()
                    .month_label(paani::web::i18n::Lang::En, next)
            ),
        "{v}"
    );
    assert_eq!(app.count("demands"), 0);
    // an advance, paid before any demand
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/payments",
        json!({"household_id": household, "amount": "600"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "an advance of ₹600: {v}");

    // a run raised by mistake over advance credit can be cancelled; the credit comes back
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/demands",
        json!({"month": next.format("%Y-%m").to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let run = v[0]["id"].as_i64().unwrap();
    let ledger = |v: &serde_json::Value| v["advance_paise"].as_i64();
    let (_, l) = call(
        &app,
        &token,
        "GET",
        &format!("/api/v1/ledger/{household}"),
        serde_json::Value::Null,
    )
    .await;
    assert_eq!(
        ledger(&l),
        Some(55_000),
        "the demand took ₹50 of the advance: {l}"
    );
    let (s, v) = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/demand-runs/{run}/cancel"),
        json!({"reason": "raised a month early"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, l) = call(
        &app,
        &token,
        "GET",
        &format!("/api/v1/ledger/{household}"),
        serde_json::Value::Null,
    )
    .await;
    assert_eq!(ledger(&l), Some(60_000), "{l}");

    // once someone pays after the run, it stays
    let month = paani::web::forms::parse_month("2026-05").unwrap();
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/demands",
        json!({"month": month.format("%Y-%m").to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let run = v[0]["id"].as_i64().unwrap();
    let (s, _) = call(
        &app,
        &token,
        "POST",
        "/api/v1/payments",
        json!({"household_id": household, "amount": "10"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/demand-runs/{run}/cancel"),
        json!({"reason": "try"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

/// The served OpenAPI document: unique operation ids, every parameter where the request puts
/// it (a path parameter only when the path names it). With `PAANI_OPENAPI_VALIDATOR` set (CI:
/// openapi-spec-validator from PyPI), the document is also checked by that real validator.
#[tokio::test]
async fn the_openapi_document_is_valid() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_string();
            assert!(ids.insert(id.clone()), "operationId {id} repeats");
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    p["in"] == "path",
                    in_path,
                    "{method} {path}: parameter {name} is declared in {}",
                    p["in"]
                );
            }
        }
    }
    if let Ok(validator) = std::env::var("PAANI_OPENAPI_VALIDATOR") {
        let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("openapi.json");
        std::fs::write(&file, doc.to_string()).unwrap();
        let out = std::process::Command::new(&validator)
            .arg(&file)
            .output()
            .unwrap_or_else(|e| panic!("{validator}: {e}"));
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[actix_web::test]
async fn a_list_filter_naming_a_place_or_scheme_outside_scope_is_404_like_the_page() {
    let app = TestApp::spawn().await;
    let (own, foreign) = (app.gp(), app.gp());
    let secretary = app.secretary_of(&own);
    let (own_scheme, _) = crate::factories::scheme_in(&app, own.lgd, "Own");
    let (far_scheme, _) = crate::factories::scheme_in(&app, foreign.lgd, "Far");
    let token = app.api_token(&secretary.username).await;
    let lists = [
        ("/api/v1/breakdowns?gp=", "gp"),
        ("/api/v1/breakdowns?scheme=", "scheme"),
        ("/api/v1/households?village=", "village"),
        ("/api/v1/households?scheme=", "scheme"),
        ("/api/v1/schemes?place=", "gp"),
        ("/api/v1/assets?scheme=", "scheme"),
        ("/api/v1/action-items?gp=", "gp"),
        ("/api/v1/meetings?gp=", "gp"),
        ("/api/v1/decisions?gp=", "gp"),
        ("/api/v1/arrears?gp=", "gp"),
        ("/api/v1/defaulters?gp=", "gp"),
        ("/api/v1/collection-efficiency?gp=", "gp"),
    ];
    for (path, names) in lists {
        let (mine, theirs) = match names {
            "gp" => (own.id, foreign.id),
            "village" => (own.village_id, foreign.village_id),
            _ => (own_scheme, far_scheme),
        };
        let (s, v) = call(
            &app,
            &token,
            "GET",
            &format!("{path}{mine}"),
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{path}{mine}: {v}");
        let (s, v) = call(
            &app,
            &token,
            "GET",
            &format!("{path}{theirs}"),
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}{theirs}: {v}");
    }
    // the pages answer the same
    let sec = app.login_as(&secretary.username).await;
    for path in [
        format!("/breakdowns?scheme={far_scheme}"),
        format!("/households?village={}", foreign.village_id),
        format!("/schemes?place={}", foreign.id),
        format!("/arrears?gp={}", foreign.id),
    ] {
        let (s, _) = sec.get_text(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
}

/// Every money field takes its maximum from `[money]`: one amount (a rate, a charge, a fee, a
/// cost, an expense, a payment) up to `max_amount_rupees`, a capital amount (a replacement
/// cost, a grant) up to `max_capital_rupees`; the error names the configured figure.
#[actix_web::test]
async fn every_money_field_takes_the_configured_maximum() {
    use serde_json::json;
    let app = TestApp::spawn_with(|c| {
        c.money.max_amount_rupees = 500;
        c.money.max_capital_rupees = 20_000;
    })
    .await;
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    let token = app.api_token(&secretary.username).await;
    let (scheme, asset) = crate::factories::scheme_in(&app, gp.lgd, "Capped");
    let admin = app.api_token("admin").await;
    let breakdown = crate::factories::add_breakdown(&app, scheme);
    let too_much = |v: &serde_json::Value, field: &str, max: &str| {
        let msg = v["errors"][field].as_str().unwrap_or_default().to_string();
        assert!(msg.contains(max), "{field} should name {max}: {v}");
    };
    let tariff = |rate: &str| {
        json!({"gp_id": gp.id, "effective_from": "2026-04",
            "rates": {"general": rate, "bpl": "30", "sc": "30", "st": "30"}})
    };
    let (s, v) = call(&app, &token, "POST", "/api/v1/tariffs", tariff("500.01")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    too_much(&v, "rate_general", "₹500.00");
    let (s, v) = call(&app, &token, "POST", "/api/v1/tariffs", tariff("500")).await;
    assert_eq!(s, StatusCode::CREATED, "a rate at the maximum: {v}");

    let household = app.household(&gp);
    let pay = |amount: &str| json!({"household_id": household, "amount": amount});
    let (s, v) = call(&app, &token, "POST", "/api/v1/payments", pay("501")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    too_much(&v, "amount", "₹500.00");
    let (s, v) = call(&app, &token, "POST", "/api/v1/payments", pay("500")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    let entry = |kind: &str, head: &str, amount: &str| json!({"gp_id": gp.id, "kind": kind, "head": head, "amount": amount});
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/cashbook",
        entry("expense", "electricity", "600"),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an expense is one amount: {v}"
    );
    too_much(&v, "amount", "₹500.00");
    for (amount, status) in [
        ("20000", StatusCode::CREATED),
        ("20000.01", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (s, v) = call(
            &app,
            &token,
            "POST",
            "/api/v1/cashbook",
            entry("income", "grant_15fc", amount),
        )
        .await;
        assert_eq!(s, status, "a grant of ₹{amount}: {v}");
    }

    let (s, v) = call(
        &app,
        &admin,
        "PATCH",
        &format!("/api/v1/assets/{asset}"),
        json!({"replacement_cost": "20000.01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    too_much(&v, "replacement_cost", "₹20,000.00");

    let (s, v) = call(
        &app,
        &admin,
        "POST",
        "/api/v1/maintenance/logs",
        json!({"asset_id": asset, "title": "Greased", "cost": "501"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    too_much(&v, "cost", "₹500.00");

    let path = format!("/api/v1/breakdowns/{breakdown}/transition");
    let (s, v) = call(&app, &admin, "POST", &path, json!({"to": "acknowledged"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let resolve = |cost: &str| json!({"to": "resolved", "resolution": "New washer", "cost": cost});
    let (s, v) = call(&app, &admin, "POST", &path, resolve("501")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    too_much(&v, "cost", "₹500.00");
    let (s, v) = call(&app, &admin, "POST", &path, resolve("499")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}
