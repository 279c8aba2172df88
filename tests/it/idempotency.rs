//! Idempotency for every create (issue 28, item 3): a key sent with a page's form or an API
//! call records once; a retry gets the first answer; the same key with another request is
//! 409; a failed request leaves the key free; copies sent at once record once; the device's
//! time is kept beside the server's; old keys are forgotten by the daily job.

use crate::helpers::{extract_csrf, location, TestApp};
use crate::maintenance::open_task_of;
use diesel::prelude::*;
use paani::db::schema::{breakdowns, idempotent_requests as ir, maintenance_tasks as mt};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn today(app: &TestApp) -> String {
    paani::web::i18n::today_in_india(app.clock.now()).to_string()
}

#[tokio::test]
async fn a_page_form_sent_twice_with_its_key_records_once() {
    let app = TestApp::with_demo().await;
    let member = app.login_as("member").await;
    let id = open_task_of(&app, "chlorination_check", 23010101)["id"]
        .as_i64()
        .unwrap();
    let logs = app.count("maintenance_logs");
    let day = today(&app);
    let path = format!("/tasks/{id}/complete");
    let fields = [
        ("done_on", day.as_str()),
        ("check_0", "1"),
        ("reading_0", "0.5"),
        ("idempotency_key", "outbox-item-1"),
    ];
    let first = member.post_form(&path, &fields).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let to = location(&first);
    // the phone lost the answer and sends the same form again (with a new CSRF token)
    let again = member.post_form(&path, &fields).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), to, "the first answer");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let flash = again
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().contains("flash-already-recorded"));
    assert!(flash, "the member is told it was recorded already");
    assert_eq!(app.count("maintenance_logs"), logs + 1, "one log");
    // the same key with a different reading is refused, in Hindi on the page
    let other = [
        ("done_on", day.as_str()),
        ("check_0", "1"),
        ("reading_0", "0.7"),
        ("idempotency_key", "outbox-item-1"),
    ];
    let r = member.post_form(&path, &other).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("कुंजी पहले किसी दूसरे अनुरोध"), "{page}");
    assert_eq!(app.count("maintenance_logs"), logs + 1);
    // the key is this member's: another user's identical key is theirs alone
    let kept: (String, Option<String>, Option<i32>) = ir::table
        .filter(ir::idem_key.eq("outbox-item-1"))
        .select((ir::path, ir::entity, ir::status))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(kept.0, path);
    assert!(kept.1.is_some(), "the record it made is named");
    assert_eq!(kept.2, Some(303), "the answer is kept");
}

#[tokio::test]
async fn a_failed_request_leaves_its_key_free() {
    let app = TestApp::with_demo().await;
    let member = app.login_as("member").await;
    let id = open_task_of(&app, "chlorination_check", 23010101)["id"]
        .as_i64()
        .unwrap();
    let path = format!("/tasks/{id}/complete");
    // no done-on date: a field error, nothing recorded, the key not taken
    let r = member
        .post_form(
            &path,
            &[
                ("done_on", ""),
                ("check_0", "1"),
                ("idempotency_key", "k-fix-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("idempotent_requests"), 0);
    let day = today(&app);
    let r = member
        .post_form(
            &path,
            &[
                ("done_on", day.as_str()),
                ("check_0", "1"),
                ("reading_0", "0.4"),
                ("idempotency_key", "k-fix-1"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the corrected form records"
    );
    let state: String = mt::table
        .find(id)
        .select(mt::state)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(state, "done");
    // a bad key is a clear error, nothing recorded
    let r = member
        .post_form(
            &path,
            &[("done_on", day.as_str()), ("idempotency_key", "a b")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

async fn report(app: &TestApp, token: &str, key: &str, body: &Value) -> (StatusCode, Value, bool) {
    let r = app
        .client
        .post(app.url("/api/v1/breakdowns"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header("Paani-Done-At", "2026-12-01T04:30:00Z")
        .json(body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    let replayed = r.headers().get("idempotent-replayed").is_some();
    (s, r.json().await.unwrap_or(Value::Null), replayed)
}

#[tokio::test]
async fn an_api_create_is_answered_again_and_a_changed_body_is_409() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let body = json!({"scheme_id": own, "category": "tap", "description": "Tap at the school leaks", "supply": "partial"});
    let (s, first, replayed) = report(&app, &member, "uuid-0001", &body).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(!replayed);
    let (s, again, replayed) = report(&app, &member, "uuid-0001", &body).await;
    assert_eq!(s, StatusCode::CREATED, "the first answer, status and all");
    assert!(replayed);
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["number"], first["number"]);
    let n = app.count(&format!("breakdowns WHERE id = {}", first["id"]));
    assert_eq!(n, 1);
    let mut changed = body.clone();
    changed["description"] = json!("Tap at the temple leaks");
    let (s, problem, _) = report(&app, &member, "uuid-0001", &changed).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(problem["status"], 409);
    // the device's time is kept beside the server's
    let (device_at, created_at): (Option<chrono::NaiveDateTime>, chrono::NaiveDateTime) = ir::table
        .filter(ir::idem_key.eq("uuid-0001"))
        .select((ir::device_at, ir::created_at))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        device_at.unwrap().to_string(),
        "2026-12-01 04:30:00",
        "Paani-Done-At, in UTC"
    );
    let age = app.clock.now() - created_at;
    assert!(
        age >= chrono::TimeDelta::zero() && age < chrono::TimeDelta::minutes(1),
        "server time of receipt"
    );
    // another user may use the same string as their own key
    let secretary = app.api_token("secretary").await;
    let (s, theirs, replayed) = report(&app, &secretary, "uuid-0001", &changed).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(!replayed);
    assert_ne!(theirs["id"], first["id"]);
}

#[tokio::test]
async fn copies_sent_at_once_record_once() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let before = app.count("breakdowns");
    let body = json!({"scheme_id": own, "category": "tap", "description": "Stand post broken", "supply": "none"});
    let sends = (0..8).map(|_| report(&app, &member, "same-key-8", &body));
    let answers = futures_util::future::join_all(sends).await;
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|(s, v, _)| {
            assert!(s.is_success(), "{s} {v}");
            v["id"].to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "every copy got the one record: {answers:?}");
    assert_eq!(app.count("breakdowns"), before + 1);
    let mut c = app.conn();
    let n: i64 = breakdowns::table
        .filter(breakdowns::description.eq("Stand post broken"))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_multipart_form_resent_with_a_new_boundary_records_once() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.login_as("member").await;
    let before = app.count("breakdowns");
    let send = |csrf: String| {
        let form = reqwest::multipart::Form::new()
            .text("idempotency_key", "photo-report-1")
            .text("_csrf", csrf)
            .text("scheme_id", own.to_string())
            .text("category", "tap")
            .text("description", "Leak near the tank")
            .text("supply", "partial");
        member
            .client
            .post(member.url("/breakdowns"))
            .multipart(form)
            .send()
    };
    let (_, page) = member.get_text("/breakdowns/new").await;
    let csrf = extract_csrf(&page).unwrap();
    let r = send(csrf.clone()).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let r2 = send(csrf).await.unwrap();
    assert_eq!(r2.status(), StatusCode::SEE_OTHER);
    assert_eq!(r2.headers()["idempotent-replayed"], "true");
    assert_eq!(location(&r2), location(&r));
    assert_eq!(app.count("breakdowns"), before + 1);
}

#[tokio::test]
async fn a_breakdown_comment_resent_is_added_once() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let body =
        json!({"scheme_id": own, "category": "tap", "description": "Tap broken", "supply": "none"});
    let (_, b, _) = report(&app, &member, "r-1", &body).await;
    let id = b["id"].as_i64().unwrap();
    let comments =
        |app: &TestApp| app.count(&format!("breakdown_events WHERE breakdown_id = {id}"));
    let before = comments(&app);
    for _ in 0..2 {
        let r = app
            .client
            .post(app.url(&format!("/api/v1/breakdowns/{id}/comment")))
            .bearer_auth(&member)
            .header("Idempotency-Key", "comment-1")
            .json(&json!({"note": "Mistri is on the way"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }
    assert_eq!(comments(&app), before + 1);
}

#[tokio::test]
async fn the_daily_job_forgets_keys_after_the_kept_days() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let body =
        json!({"scheme_id": own, "category": "tap", "description": "Old tap", "supply": "none"});
    let (s, _, _) = report(&app, &member, "old-key", &body).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(app.count("idempotent_requests"), 1);
    assert!(paani::jobs::names().any(|n| n == "requests_forget"));
    let config = paani::config::Config::defaults();
    let run = |app: &TestApp| {
        let now = app.clock.now();
        let day = paani::jobs::JobDay {
            today: paani::web::i18n::today_in_india(now),
            now,
            last: None,
        };
        let mut c = app.conn();
        paani::web::idempotency::forget_old(&mut c, &config, &day).unwrap()
    };
    app.clock.advance(chrono::Duration::days(29));
    run(&app);
    assert_eq!(app.count("idempotent_requests"), 1, "kept 30 days");
    app.clock.advance(chrono::Duration::days(2));
    run(&app);
    assert_eq!(app.count("idempotent_requests"), 0);
}
