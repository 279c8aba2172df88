//! Pulling changes from the field lists (issue 28, item 6, the lists after the first ten):
//! a scheme's supply logs and device readings, the water-quality points, testers, inspections
//! and incidents, the SMS messages and the receipt books. Each is checked by [`feed`]: the
//! changes since a time and nothing from before, a walk one record a page that sees every
//! record once, a bad `updated_since` refused, and (called once per GP) the scope.

use crate::factories::scheme_in;
use crate::helpers::{call, get_json, TestApp};
use crate::supply_devices::{push, token_on};
use crate::sync::{ids, pull_all, since};
use crate::water_incidents::{analyst_of, lab_test};
use crate::water_quality::tested_gp;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use paani::clock::utc;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Before anything a test makes.
const EPOCH: &str = "2000-01-01T00:00:00Z";

fn with(list: &str, q: &str) -> String {
    format!("{list}{}{q}", if list.contains('?') { '&' } else { '?' })
}

/// One list's feed as `token` sees it: from `from`, exactly `changed`, in change order; from
/// the start, one record a page following `next`, every record the plain list `plain` shows,
/// each once; a bad `updated_since` is 400.
async fn feed(app: &TestApp, token: &str, list: &str, plain: &str, from: &str, changed: &[i64]) {
    let (got, _, _) = pull_all(app, token, &with(list, &since(from))).await;
    assert_eq!(got, changed, "{list} from {from}");

    let first = with(list, &format!("{}&page_size=1", since(EPOCH)));
    let (walk, _, pages) = pull_all(app, token, &first).await;
    let (s, page) = get_json(app, token, &with(plain, "page_size=500")).await;
    assert_eq!(s, StatusCode::OK, "{plain}: {page}");
    let mut every = ids(&page);
    assert!(!every.is_empty(), "{plain} lists something");
    every.sort_unstable();
    let mut walked = walk.clone();
    walked.sort_unstable();
    assert_eq!(walked, every, "{list}: every record once: {walk:?}");
    assert_eq!(pages, walk.len(), "{list}: one record a page");

    for bad in [
        "updated_since=yesterday",
        "updated_since=2026-02-30T10:00:00Z",
    ] {
        let (s, body) = get_json(app, token, &with(list, bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{list}?{bad}: {body}");
    }
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let (s, v) = call(app, token, "POST", path, body).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{path}: an id in {v}"))
}

fn now_text(app: &TestApp) -> String {
    utc::text(&app.clock.now())
}

fn today(app: &TestApp) -> NaiveDate {
    paani::web::i18n::today_in_india(app.clock.now())
}

/// The answers of the borewell checklist, `yes` to the first question.
fn answers() -> Value {
    let lists = paani::water_quality::inspections::Checklists::builtin();
    let qs = &lists.find("borewell").unwrap().questions;
    qs.iter()
        .enumerate()
        .map(|(i, q)| (q.code.clone(), json!(if i == 0 { "yes" } else { "no" })))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

#[tokio::test]
async fn water_quality_lists_pull_their_changes_within_scope() {
    let app = TestApp::spawn().await;
    let mut gps = vec![];
    for _ in 0..2 {
        let (gp, point, tester) = tested_gp(&app).await;
        let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
        // before: bacteria found at the borewell opens an incident
        let day = today(&app).to_string();
        created(
            &app,
            &token,
            "/api/v1/water-quality/samples",
            json!({"point_id": point, "kind": "h2s", "sampled_on": day, "tested_on": day,
                   "tester_id": tester.to_string(), "values": {"h2s_bacteria": "present"}}),
        )
        .await;
        let (_, open) = get_json(&app, &token, "/api/v1/water-quality/incidents").await;
        assert_eq!(ids(&open).len(), 1, "{open}");
        gps.push((gp, point, token, ids(&open)[0]));
    }
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);

    // in each GP: a point added and one changed, a tester added, an inspection, an incident
    // sent to the laboratory (each a second apart: the change order is known)
    let mut changed = vec![];
    for (gp, point, token, incident) in &gps {
        let tick = || app.clock.advance(Duration::seconds(1));
        let day = today(&app).to_string();
        tick();
        let scheme = get_json(
            &app,
            token,
            &format!("/api/v1/water-quality/points/{point}"),
        )
        .await
        .1["scheme_id"]
            .as_i64()
            .unwrap();
        let village = gp.village_id.to_string();
        let new_point = created(
            &app,
            token,
            "/api/v1/water-quality/points",
            json!({"scheme_id": scheme, "kind": "tap", "village_id": village, "name": "Tap near temple"}),
        )
        .await;
        tick();
        let tester = created(
            &app,
            token,
            "/api/v1/water-quality/testers",
            json!({"name": "Kamla Bai", "village_id": village, "trained_on": "2025-06-15",
                   "trained_by": "PHED block team"}),
        )
        .await;
        tick();
        let inspection = created(
            &app,
            token,
            "/api/v1/water-quality/inspections",
            json!({"point_id": point, "inspected_on": day, "inspector": "Jal Mitra", "answers": answers()}),
        )
        .await;
        tick();
        let (s, v) = call(
            &app,
            token,
            "POST",
            &format!("/api/v1/water-quality/incidents/{incident}/sent-to-lab"),
            json!({"laboratory": "District lab", "sent_on": day}),
        )
        .await;
        assert!(s.is_success(), "{s}: {v}");
        tick();
        // the borewell point renamed through its form
        let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
        let res = b
            .post_form(
                &format!("/water-quality/points/{point}"),
                &[
                    ("kind", "source"),
                    ("village_id", &village),
                    ("name", "Borewell by the school"),
                    ("active", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        changed.push([
            vec![new_point, *point],
            vec![tester],
            vec![inspection],
            vec![*incident],
        ]);
    }

    let lists = [
        "/api/v1/water-quality/points",
        "/api/v1/water-quality/testers",
        "/api/v1/water-quality/inspections",
        "/api/v1/water-quality/incidents",
    ];
    for (i, (_, _, token, _)) in gps.iter().enumerate() {
        for (k, list) in lists.iter().enumerate() {
            let plain = if list.ends_with("incidents") {
                format!("{list}?status=all")
            } else {
                list.to_string()
            };
            // the other GP's changes never come: each caller gets exactly its own
            feed(&app, token, list, &plain, &from, &changed[i][k]).await;
        }
    }
    // the incident's default "open" does not hide an ended one when pulling changes: the
    // laboratory finds no bacteria, not confirmed
    let (gp, point, token, incident) = &gps[0];
    app.clock.advance(Duration::minutes(5));
    let from = now_text(&app);
    let analyst = analyst_of(&app, gp);
    lab_test(
        &app,
        &analyst,
        *point,
        &[("e_coli", "absent"), ("total_coliform", "absent")],
    )
    .await;
    let list = "/api/v1/water-quality/incidents";
    let (_, page) = get_json(&app, token, &with(list, &since(&from))).await;
    assert_eq!(ids(&page), vec![*incident], "{page}");
    assert_eq!(page["items"][0]["status"], "not_confirmed");
    let (_, page) = get_json(&app, token, list).await;
    assert_eq!(
        ids(&page),
        Vec::<i64>::new(),
        "the plain list shows open ones"
    );
    let (_, page) = get_json(&app, token, &format!("{list}?status=open&{}", since(&from))).await;
    assert_eq!(ids(&page), Vec::<i64>::new(), "a status named still holds");
}

#[tokio::test]
async fn supply_logs_and_readings_pull_their_changes_within_scope() {
    let app = TestApp::spawn().await;
    let mut sides = vec![];
    for label in ["A", "B"] {
        let gp = app.gp();
        let (scheme, _) = scheme_in(&app, gp.lgd, label);
        app.secretary_of(&gp);
        let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
        let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
        let res = b
            .post_form(
                &format!("/schemes/{scheme}/supply/devices"),
                &[("name", "Flow meter")],
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
        let device = token_on(&res.text().await.unwrap());
        sides.push((scheme, token, device));
    }
    let log = |token: String, scheme: i64, days_ago: i64, note: &'static str| {
        let app = &app;
        async move {
            let day = (today(app) - Duration::days(days_ago)).to_string();
            created(
                app,
                &token,
                &format!("/api/v1/supply/schemes/{scheme}/logs"),
                json!({"supply_on": day, "supplied": "as_usual", "note": note}),
            )
            .await
        }
    };
    let reading = |device: String, scheme: i64, kl: &'static str| {
        let app = &app;
        async move {
            let at = utc::text(&(app.clock.now() - Duration::minutes(1)));
            let (s, v) = push(
                app,
                Some(&device),
                scheme,
                json!({"read_at": at, "bulk_meter_kl": kl}),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["id"].as_i64().unwrap()
        }
    };
    let mut before = vec![];
    for (scheme, token, device) in &sides {
        let old = log(token.clone(), *scheme, 2, "first").await;
        reading(device.clone(), *scheme, "10.5").await;
        before.push(old);
    }
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);
    let mut changed = vec![];
    for ((scheme, token, device), old) in sides.iter().zip(&before) {
        app.clock.advance(Duration::seconds(1));
        let new = log(token.clone(), *scheme, 1, "").await;
        app.clock.advance(Duration::seconds(1));
        let again = log(token.clone(), *scheme, 2, "changed").await;
        assert_eq!(again, *old, "the day's log changed");
        app.clock.advance(Duration::seconds(1));
        // a day outside the plain list's 30 days: pulling changes covers every day
        let long_ago = log(token.clone(), *scheme, 40, "late entry").await;
        app.clock.advance(Duration::seconds(1));
        let r = reading(device.clone(), *scheme, "11.25").await;
        changed.push((vec![new, *old, long_ago], vec![r]));
    }
    let back = (today(&app) - Duration::days(60)).to_string();
    for ((scheme, token, _), (logs, readings)) in sides.iter().zip(&changed) {
        let list = format!("/api/v1/supply/schemes/{scheme}/logs");
        let plain = format!("{list}?from={back}");
        feed(&app, token, &list, &plain, &from, logs).await;
        let list = format!("/api/v1/supply/schemes/{scheme}/readings");
        let plain = format!("{list}?from={back}");
        feed(&app, token, &list, &plain, &from, readings).await;
        // the plain list keeps its 30 days; from/to still narrow a pull
        let (_, page) = get_json(
            &app,
            token,
            &format!("/api/v1/supply/schemes/{scheme}/logs"),
        )
        .await;
        assert_eq!(ids(&page).len(), 2, "{page}");
        let q = format!("{}&from={}", since(&from), today(&app) - Duration::days(30));
        let (_, page) = get_json(
            &app,
            token,
            &format!("/api/v1/supply/schemes/{scheme}/logs?{q}"),
        )
        .await;
        assert_eq!(ids(&page), logs[..2].to_vec(), "{page}");
    }
    // another GP's scheme is not found, changes or not
    let (a, b_token) = (sides[0].0, &sides[1].1);
    for what in ["logs", "readings"] {
        let path = format!("/api/v1/supply/schemes/{a}/{what}?{}", since(&from));
        let (s, _) = get_json(&app, b_token, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
}

/// 12:00 in India on 7 December 2026, as UTC.
fn noon() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(6, 30, 0)
        .unwrap()
}

#[tokio::test]
async fn receipt_books_and_sms_messages_pull_their_changes() {
    use paani::sms::service::{self, QueueSms, Queued};
    let app = TestApp::spawn_with(|c| {
        c.sms.file_dir = format!("{}/sms", c.storage.data_dir.trim_end_matches('/'));
    })
    .await;
    app.clock.set(noon());
    let config = app.config.clone();
    let queue = |gp: i64, n: usize| {
        let config = config.clone();
        let now = app.clock.now();
        let m = QueueSms {
            gp_id: Some(gp),
            to: "9812345678".into(),
            key: "task_reminder".into(),
            lang: "en".into(),
            vars: [("task", "Clean the tank"), ("due_date", "09-12-2026")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            dedupe_key: format!("sync:{gp}:{n}"),
            urgent: false,
        };
        match app
            .db
            .write_blocking(move |c| service::queue(c, &config, now, m))
            .unwrap()
        {
            Queued::Queued(id) => id,
            other => panic!("not queued: {other:?}"),
        }
    };
    app.admin();
    let admin = app.api_token("admin").await;
    let mut sides = vec![];
    for _ in 0..2 {
        let gp = app.gp();
        let sec = app.secretary_of(&gp);
        let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
        let book = created(
            &app,
            &token,
            "/api/v1/receipt-books",
            json!({"collector_id": sec.id.to_string(), "size": "5"}),
        )
        .await;
        let message = queue(gp.id, 1);
        sides.push((gp, sec, token, book, message));
    }
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);
    let mut changed = vec![];
    for (_, sec, token, book, _) in &sides {
        app.clock.advance(Duration::seconds(1));
        let (s, v) = call(
            &app,
            token,
            "POST",
            &format!("/api/v1/receipt-books/{book}/close"),
            json!({}),
        )
        .await;
        assert!(s.is_success(), "{s}: {v}");
        app.clock.advance(Duration::seconds(1));
        let second = created(
            &app,
            token,
            "/api/v1/receipt-books",
            json!({"collector_id": sec.id.to_string(), "size": "5"}),
        )
        .await;
        changed.push(vec![*book, second]);
    }
    // the sweep sends both GPs' messages: a status change
    app.clock.advance(Duration::seconds(1));
    let d = service::deliver(&app.db, &config, app.clock.now(), 500).unwrap();
    assert_eq!(d.sent, 2, "{d:?}");
    for ((gp, _, token, _, message), books) in sides.iter().zip(&changed) {
        feed(
            &app,
            token,
            "/api/v1/receipt-books",
            "/api/v1/receipt-books",
            &from,
            books,
        )
        .await;
        // the SMS outbox is the administrators'; its GP filter holds in the feed
        let list = format!("/api/v1/sms/messages?gp={}", gp.id);
        feed(&app, &admin, &list, &list, &from, &[*message]).await;
    }

    // a message kept back by the quiet hours (its next try moved) comes back too
    app.clock.set(noon() + Duration::hours(10));
    let late = queue(sides[0].0.id, 2);
    app.clock.advance(Duration::minutes(10));
    let from = now_text(&app);
    app.clock.advance(Duration::seconds(1));
    let d = service::deliver(&app.db, &config, app.clock.now(), 500).unwrap();
    assert_eq!(d.deferred, 1, "{d:?}");
    let (_, page) = get_json(
        &app,
        &admin,
        &format!("/api/v1/sms/messages?{}", since(&from)),
    )
    .await;
    assert_eq!(ids(&page), vec![late], "{page}");
    // the books' list pages with Listing: page_size and a next link without updated_since
    let token = &sides[0].2;
    let (_, page) = get_json(&app, token, "/api/v1/receipt-books?page_size=1").await;
    assert_eq!(page["per_page"], 1);
    assert_eq!(page["next"], "/api/v1/receipt-books?page_size=1&page=2");
    let (s, _) = get_json(&app, token, "/api/v1/receipt-books?page_size=0").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_openapi_document_describes_the_field_lists_paging() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for list in [
        "/api/v1/supply/schemes/{id}/logs",
        "/api/v1/supply/schemes/{id}/readings",
        "/api/v1/water-quality/points",
        "/api/v1/water-quality/testers",
        "/api/v1/water-quality/inspections",
        "/api/v1/water-quality/incidents",
        "/api/v1/sms/messages",
        "/api/v1/receipt-books",
    ] {
        let get = &doc["paths"][list]["get"];
        let params = get["parameters"].to_string();
        for p in ["updated_since", "after_id", "page_size", "\"page\""] {
            assert!(params.contains(p), "{list}: {p} in {params}");
        }
        assert!(get["responses"]["400"].is_object(), "{list}: 400");
        let ok = get["responses"]["200"].to_string();
        assert!(ok.contains("ApiPage"), "{list}: a page: {ok}");
    }
}
