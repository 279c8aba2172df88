//! Conflicts are shown, never lost (issue 28, item 4): a form sent from a phone that meets a
//! record changed meanwhile (a task completed by someone else, a breakdown closed, a household
//! disconnected after the phone last saw it) is refused with 409 and the server's version
//! (`conflict`: kind, current.summary in the user's language, url, choices); nothing changes;
//! the same form sent again with `on_conflict` does the choice once; a plain page form shows
//! the same with a button per choice.

use crate::helpers::{extract_csrf, location, Browser, TestApp};
use crate::maintenance::open_task_of;
use diesel::prelude::*;
use paani::db::schema::{
    breakdown_events as be, breakdowns, households, maintenance_logs as ml,
    maintenance_tasks as mt, schemes,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn today(app: &TestApp) -> String {
    paani::web::i18n::today_in_india(app.clock.now()).to_string()
}

/// The device's time of its last fetch: an hour ago (RFC 3339).
fn an_hour_ago(app: &TestApp) -> String {
    let t = app.clock.now() - chrono::Duration::hours(1);
    format!("{}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// A page form sent the way the outbox sends it (or, with `problem` false, as a plain form):
/// the session's CSRF token, and the headers given.
async fn send(
    b: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    problem: bool,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let (_, account) = b.get_text("/account").await;
    let token = extract_csrf(&account).expect("csrf");
    let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    let mut req = b.client.post(b.url(path)).form(&all);
    if problem {
        req = req.header("Accept", "application/problem+json");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

/// The `conflict` member of a 409 problem document, checked for its shape.
async fn conflict_of(r: reqwest::Response, kind: &str, url: &str, choices: Value) -> Value {
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/problem+json"));
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["status"], 409);
    assert!(doc["detail"].as_str().is_some_and(|d| !d.is_empty()));
    let c = doc["conflict"].clone();
    assert_eq!(c["kind"], kind, "{doc}");
    assert_eq!(c["current"]["url"], url);
    assert_eq!(c["choices"], choices);
    c
}

fn replayed(r: &reqwest::Response) -> bool {
    r.headers().get("idempotent-replayed").is_some()
}

#[tokio::test]
async fn a_task_completed_meanwhile_needs_a_decision_and_keep_both_adds_one_log() {
    let app = TestApp::with_demo().await;
    let id = open_task_of(&app, "chlorination_check", 23010101)["id"]
        .as_i64()
        .unwrap();
    let path = format!("/tasks/{id}/complete");
    let day = today(&app);
    // the secretary completes it first, online
    let secretary = app.login_as("secretary").await;
    let r = secretary
        .post_form(
            &path,
            &[
                ("done_on", day.as_str()),
                ("check_0", "1"),
                ("reading_0", "0.4"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let first_log: Option<i64> = mt::table
        .find(id)
        .select(mt::log_id)
        .first(&mut *app.conn())
        .unwrap();
    let logs = app.count("maintenance_logs");

    // the member's phone sends its queued form
    let member = app.login_as("member").await;
    let fields = [
        ("done_on", day.as_str()),
        ("check_0", "1"),
        ("reading_0", "0.6"),
        ("notes", "tank cleaned too"),
        ("idempotency_key", "outbox-task-1"),
    ];
    let done_at = [("Paani-Done-At", "2026-12-01T04:30:00Z")];
    let r = send(&member, &path, &fields, true, &done_at).await;
    let c = conflict_of(
        r,
        "task_done",
        &format!("/tasks/{id}"),
        json!(["discard", "keep_both"]),
    )
    .await;
    let summary = c["current"]["summary"].as_str().unwrap();
    assert!(summary.contains("सुनीता यादव"), "{summary}");
    assert!(summary.contains("को पूरा किया"), "in Hindi: {summary}");
    assert!(summary.contains("0.4"), "the first reading: {summary}");
    assert_eq!(c["current"]["state"], "done");
    // nothing changed, the key left free
    assert_eq!(app.count("maintenance_logs"), logs);
    assert_eq!(app.count("idempotent_requests"), 0, "the key left free");

    // keep both: the member's work as an extra log, the first completion untouched
    let mut keep = fields.to_vec();
    keep.push(("on_conflict", "keep_both"));
    let r = send(&member, &path, &keep, true, &done_at).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/tasks/{id}"));
    assert!(!replayed(&r));
    assert_eq!(app.count("maintenance_logs"), logs + 1);
    let (state, log_id): (String, Option<i64>) = mt::table
        .find(id)
        .select((mt::state, mt::log_id))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((state.as_str(), log_id), ("done", first_log));
    let plan: i64 = mt::table
        .find(id)
        .select(mt::plan_id)
        .first(&mut *app.conn())
        .unwrap();
    let (task_id, plan_id, notes): (Option<i64>, Option<i64>, Option<String>) = ml::table
        .order(ml::id.desc())
        .select((ml::task_id, ml::plan_id, ml::notes))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((task_id, plan_id), (None, Some(plan)));
    let notes = notes.unwrap();
    assert!(notes.starts_with("tank cleaned too"), "{notes}");
    assert!(notes.contains("फ़ोन से भेजा गया"), "{notes}");
    // sent again under the same key: the kept answer, still one extra log
    let r = send(&member, &path, &keep, true, &done_at).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(replayed(&r));
    assert_eq!(app.count("maintenance_logs"), logs + 1);

    // the API says the same to an integrator
    let token = app.api_token("member").await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/maintenance/tasks/{id}/complete")))
        .bearer_auth(&token)
        .json(&json!({"done_on": day, "checked": "0", "readings": "0.5"}))
        .send()
        .await
        .unwrap();
    conflict_of(
        r,
        "task_done",
        &format!("/tasks/{id}"),
        json!(["discard", "keep_both"]),
    )
    .await;
    assert_eq!(app.count("maintenance_logs"), logs + 1);

    // a plain page form (no JavaScript) gets the page with the server's version and a
    // button per choice carrying the form again
    let plain = [
        ("done_on", day.as_str()),
        ("check_0", "1"),
        ("reading_0", "0.7"),
        ("idempotency_key", "plain-task-1"),
    ];
    let r = send(&member, &path, &plain, false, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("इस बीच बदल गया"), "{page}");
    assert!(page.contains("सुनीता यादव"), "{page}");
    assert!(page.contains(&format!("action=\"{path}\"")), "{page}");
    assert!(page.contains("name=\"on_conflict\" value=\"keep_both\""));
    assert!(page.contains("name=\"idempotency_key\" value=\"plain-task-1\""));
    assert!(page.contains("name=\"reading_0\" value=\"0.7\""));
    assert!(page.contains(&format!("href=\"/tasks/{id}\"")));
    assert_eq!(app.count("maintenance_logs"), logs + 1);
}

/// A breakdown of the demo's GP 23010101, reported by the admin.
fn breakdown_of_demo_gp(app: &TestApp) -> i64 {
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let scheme: i64 = schemes::table
        .filter(schemes::gp_id.eq(gp))
        .select(schemes::id)
        .order(schemes::id.asc())
        .first(&mut *app.conn())
        .unwrap();
    crate::factories::add_breakdown(app, scheme)
}

#[tokio::test]
async fn a_breakdown_closed_meanwhile_needs_a_decision_and_keep_both_adds_the_note() {
    let app = TestApp::with_demo().await;
    let id = breakdown_of_demo_gp(&app);
    let admin = app.api_token("admin").await;
    let (s, _) = crate::helpers::call(
        &app,
        &admin,
        "POST",
        &format!("/api/v1/breakdowns/{id}/transition"),
        json!({"to": "rejected", "note": "Not a breakdown: the valve was shut"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let events = app.count("breakdown_events");
    let comments = || -> i64 {
        be::table
            .filter(be::breakdown_id.eq(id))
            .filter(be::kind.eq("comment"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };

    // the secretary's phone acknowledges it, with a note, from its queue
    let secretary = app.login_as("secretary").await;
    let path = format!("/breakdowns/{id}/transition");
    let fields = [
        ("to", "acknowledged"),
        ("note", "Seen at the pump: pipe burst near the school"),
        ("idempotency_key", "outbox-bd-1"),
    ];
    let r = send(&secretary, &path, &fields, true, &[]).await;
    let c = conflict_of(
        r,
        "breakdown_closed",
        &format!("/breakdowns/{id}"),
        json!(["discard", "keep_both"]),
    )
    .await;
    let summary = c["current"]["summary"].as_str().unwrap();
    assert!(summary.starts_with("खराबी "), "in Hindi: {summary}");
    assert!(summary.contains("the valve was shut") || c["current"]["status"] == "rejected");
    assert_eq!(c["current"]["status"], "rejected");
    assert_eq!(app.count("breakdown_events"), events, "nothing changed");
    let status = || -> String {
        breakdowns::table
            .find(id)
            .select(breakdowns::status)
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(status(), "rejected");

    // keep both: the note on the timeline, the status as it is; once under its key
    let mut keep = fields.to_vec();
    keep.push(("on_conflict", "keep_both"));
    for round in 0..2 {
        let r = send(&secretary, &path, &keep, true, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(replayed(&r), round == 1);
        assert_eq!(comments(), 1);
        assert_eq!(status(), "rejected");
    }
    let note: Option<String> = be::table
        .filter(be::breakdown_id.eq(id))
        .filter(be::kind.eq("comment"))
        .select(be::note)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        note.as_deref(),
        Some("Seen at the pump: pipe burst near the school")
    );

    // a comment from a phone that saw it open before it was closed: a decision too
    let seen = an_hour_ago(&app);
    let comment = [
        ("note", "Still leaking"),
        ("idempotency_key", "outbox-bd-2"),
    ];
    let r = send(
        &secretary,
        &format!("/breakdowns/{id}/comment"),
        &comment,
        true,
        &[("Paani-Seen-At", seen.as_str())],
    )
    .await;
    conflict_of(
        r,
        "breakdown_closed",
        &format!("/breakdowns/{id}"),
        json!(["discard", "keep_both"]),
    )
    .await;
    assert_eq!(comments(), 1);

    // the plain form shows the page with the choice's button
    let r = send(
        &secretary,
        &path,
        &[("to", "acknowledged"), ("note", "Plain form")],
        false,
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("इस बीच बदल गया"), "{page}");
    assert!(page.contains("name=\"on_conflict\" value=\"keep_both\""));
    assert!(page.contains("name=\"note\" value=\"Plain form\""));
    assert_eq!(comments(), 1);
}

#[tokio::test]
async fn a_payment_for_a_household_disconnected_meanwhile_needs_a_decision() {
    let app = TestApp::with_demo().await;
    let hh = crate::factories::add_household(&app, 23010101);
    let seen = an_hour_ago(&app);
    // disconnected on the server after the collector's phone fetched its list
    diesel::update(households::table.find(hh))
        .set((
            households::status.eq("disconnected"),
            households::disconnected_on.eq(paani::web::i18n::today_in_india(app.clock.now())),
            households::status_reason.eq("moved away"),
            households::updated_at.eq(app.clock.now()),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let payments = app.count("payments");
    let secretary = app.login_as("secretary").await;
    let hid = hh.to_string();
    let fields = [
        ("household_id", hid.as_str()),
        ("amount", "150"),
        ("idempotency_key", "outbox-pay-1"),
    ];
    let seen_h = [("Paani-Seen-At", seen.as_str())];
    let r = send(&secretary, "/payments", &fields, true, &seen_h).await;
    let c = conflict_of(
        r,
        "household_disconnected",
        &format!("/households/{hh}"),
        json!(["discard", "send_anyway"]),
    )
    .await;
    let summary = c["current"]["summary"].as_str().unwrap();
    assert!(summary.contains("काटा गया"), "in Hindi: {summary}");
    assert!(summary.contains("moved away"), "{summary}");
    assert_eq!(c["current"]["status"], "disconnected");
    assert_eq!(app.count("payments"), payments, "nothing recorded");

    // send anyway: recorded once, however often it is sent under its key
    let mut anyway = fields.to_vec();
    anyway.push(("on_conflict", "send_anyway"));
    for round in 0..2 {
        let r = send(&secretary, "/payments", &anyway, true, &seen_h).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(location(&r).ends_with("/receipt"));
        assert_eq!(replayed(&r), round == 1);
        assert_eq!(app.count("payments"), payments + 1);
    }

    // the plain form shows the page with the button
    let plain = [
        ("household_id", hid.as_str()),
        ("amount", "50"),
        ("idempotency_key", "plain-pay-1"),
    ];
    let r = send(&secretary, "/payments", &plain, false, &seen_h).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("काटा गया"), "{page}");
    assert!(page.contains("name=\"on_conflict\" value=\"send_anyway\""));
    assert!(page.contains("name=\"amount\" value=\"50\""));
    assert_eq!(app.count("payments"), payments + 1);

    // the API says the same to an integrator
    let token = app.api_token("secretary").await;
    let r = app
        .client
        .post(app.url("/api/v1/payments"))
        .bearer_auth(&token)
        .header("Paani-Seen-At", seen.as_str())
        .json(&json!({"household_id": hid, "amount": "20"}))
        .send()
        .await
        .unwrap();
    conflict_of(
        r,
        "household_disconnected",
        &format!("/households/{hh}"),
        json!(["discard", "send_anyway"]),
    )
    .await;

    // a phone that saw it after the disconnection, or an online form (no Paani-Seen-At):
    // no conflict, as before
    let later = format!(
        "{}Z",
        (app.clock.now() + chrono::Duration::minutes(5)).format("%Y-%m-%dT%H:%M:%S")
    );
    let r = send(
        &secretary,
        "/payments",
        &[("household_id", hid.as_str()), ("amount", "30")],
        true,
        &[("Paani-Seen-At", later.as_str())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send(
        &secretary,
        "/payments",
        &[("household_id", hid.as_str()), ("amount", "40")],
        false,
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("payments"), payments + 3);
}
