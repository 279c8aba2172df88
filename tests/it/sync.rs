//! Pulling changes from the list APIs (issue 28, item 6): `updated_since`, `page_size`, the
//! `next` link, `synced_at` and `deleted`, on both backends.

use crate::factories::scheme_in;
use crate::helpers::{call, get_json, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

/// `updated_since` for a link (the time as the API writes it, `+` and `:` encoded).
pub(crate) fn since(t: &str) -> String {
    serde_urlencoded::to_string([("updated_since", t)]).unwrap()
}

pub(crate) fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {page}"))
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// Pull everything from `first`, following `next` to the end: the ids in order, and the last
/// page's `synced_at`.
pub(crate) async fn pull_all(app: &TestApp, token: &str, first: &str) -> (Vec<i64>, String, usize) {
    let (mut seen, mut pages) = (vec![], 0);
    let mut path = first.to_string();
    loop {
        let (s, page) = get_json(app, token, &path).await;
        assert_eq!(s, StatusCode::OK, "{path}: {page}");
        pages += 1;
        seen.extend(ids(&page));
        match page["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with("/api/v1/"), "an absolute path: {next}");
                path = next.to_string();
            }
            None => {
                assert!(
                    page["next"].is_null(),
                    "next is there, null at the end: {page}"
                );
                return (seen, page["synced_at"].as_str().unwrap().to_string(), pages);
            }
        }
        assert!(pages < 50, "paging never ends");
    }
}

#[tokio::test]
async fn a_pull_gives_exactly_what_changed_and_status_changes_within_scope() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    let (scheme_a, _) = scheme_in(&app, a.lgd, "A");
    let (scheme_b, _) = scheme_in(&app, b.lgd, "B");
    app.member_of(&a);
    app.secretary_of(&a);
    app.secretary_of(&b);
    app.admin();
    let member = app.api_token(&format!("member-{}", a.lgd)).await;
    let sec_a = app.api_token(&format!("secretary-{}", a.lgd)).await;
    let sec_b = app.api_token(&format!("secretary-{}", b.lgd)).await;
    let admin = app.api_token("admin").await;

    app.clock.advance(Duration::hours(1));
    // nothing changed since now: empty pages, each with the time to pull from next
    let mut from = std::collections::HashMap::new();
    for list in [
        "/api/v1/maintenance/tasks",
        "/api/v1/schemes",
        "/api/v1/assets",
    ] {
        let now = paani::clock::utc::text(&app.clock.now());
        let (s, page) = get_json(&app, &sec_a, &format!("{list}?{}", since(&now))).await;
        assert_eq!(s, StatusCode::OK, "{list}: {page}");
        assert_eq!(ids(&page), Vec::<i64>::new(), "{list}: {page}");
        assert_eq!(page["deleted"], json!([]), "{list}");
        assert!(page["next"].is_null(), "{list}");
        from.insert(list, page["synced_at"].as_str().unwrap().to_string());
    }

    app.clock.advance(Duration::minutes(10));
    // a status change in each GP: a task skipped, a scheme's status set
    let task_of = |gp: i64| crate::factories::task_and_plan(&app, gp).0;
    let (task_a, task_b) = (task_of(a.id), task_of(b.id));
    for (token, task) in [(&member, task_a), (&sec_b, task_b)] {
        let (s, body) = call(
            &app,
            token,
            "POST",
            &format!("/api/v1/maintenance/tasks/{task}/skip"),
            json!({"reason": "Pump house locked"}),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    }
    for (token, scheme) in [(&sec_a, scheme_a), (&sec_b, scheme_b)] {
        let (s, body) = call(
            &app,
            token,
            "POST",
            &format!("/api/v1/schemes/{scheme}/status"),
            json!({"status": "under_repair", "reason": "Rising main burst"}),
        )
        .await;
        assert!(s.is_success(), "{s}: {body}");
    }

    // exactly the changed record of the caller's GP, in its new state
    let tasks = format!(
        "/api/v1/maintenance/tasks?{}",
        since(&from["/api/v1/maintenance/tasks"])
    );
    let (_, page) = get_json(&app, &member, &tasks).await;
    assert_eq!(ids(&page), vec![task_a], "{page}");
    assert_eq!(page["items"][0]["state"], "skipped");
    assert_eq!(page["total"], 1);
    // the open-tasks default of the plain list does not hide it; an explicit filter still holds
    let (_, page) = get_json(&app, &member, &format!("{tasks}&state=open")).await;
    assert_eq!(ids(&page), Vec::<i64>::new());
    let schemes = format!("/api/v1/schemes?{}", since(&from["/api/v1/schemes"]));
    let (_, page) = get_json(&app, &sec_a, &schemes).await;
    assert_eq!(ids(&page), vec![scheme_a], "{page}");
    assert_eq!(page["items"][0]["status"], "under_repair");
    // assets did not change
    let assets = format!("/api/v1/assets?{}", since(&from["/api/v1/assets"]));
    let (_, page) = get_json(&app, &sec_a, &assets).await;
    assert_eq!(ids(&page), Vec::<i64>::new(), "{page}");

    // scope: GP B's secretary sees B's changes only; the admin sees both, in change order
    let (_, page) = get_json(&app, &sec_b, &tasks).await;
    assert_eq!(ids(&page), vec![task_b]);
    let (_, page) = get_json(&app, &admin, &tasks).await;
    assert_eq!(ids(&page), vec![task_a, task_b]);
    let (_, page) = get_json(&app, &admin, &schemes).await;
    assert_eq!(ids(&page), vec![scheme_a, scheme_b]);

    // synced_at stays a few seconds behind the read (a write committing late is not lost):
    // pulling from it at once gives the last seconds' changes again; once the clock has moved
    // on, a pull from the newest synced_at gives nothing
    let next_from = page["synced_at"].as_str().unwrap().to_string();
    app.clock.advance(Duration::minutes(1));
    let (_, page) = get_json(
        &app,
        &admin,
        &format!("/api/v1/schemes?{}", since(&next_from)),
    )
    .await;
    assert_eq!(
        ids(&page),
        vec![scheme_a, scheme_b],
        "seen twice at worst: {page}"
    );
    let next_from = page["synced_at"].as_str().unwrap().to_string();
    app.clock.advance(Duration::minutes(1));
    let (_, page) = get_json(
        &app,
        &admin,
        &format!("/api/v1/schemes?{}", since(&next_from)),
    )
    .await;
    assert_eq!(ids(&page), Vec::<i64>::new(), "{page}");
}

#[tokio::test]
async fn paging_with_page_size_follows_next_and_sees_each_change_once() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    app.secretary_of(&a);
    let sec = app.api_token(&format!("secretary-{}", a.lgd)).await;
    app.household(&a);
    app.clock.advance(Duration::hours(1));
    let start = paani::clock::utc::text(&app.clock.now());
    let mut made = vec![];
    for _ in 0..5 {
        app.clock.advance(Duration::seconds(1));
        made.push(app.household(&a));
        app.household(&b);
    }
    made.push(app.household(&a));
    // two changed at the same instant, on either side of a page's end: the id breaks the tie,
    // neither is lost or repeated
    {
        use diesel::prelude::*;
        use paani::db::schema::households as h;
        let mut c = app.conn();
        let at: chrono::NaiveDateTime = h::table
            .find(made[3])
            .select(h::updated_at)
            .first(&mut *c)
            .unwrap();
        diesel::update(h::table.find(made[4]))
            .set(h::updated_at.eq(at))
            .execute(&mut *c)
            .unwrap();
    }
    let first = format!("/api/v1/households?{}&page_size=2", since(&start));
    let (seen, _, pages) = pull_all(&app, &sec, &first).await;
    assert_eq!(seen, made, "every change once, in change order");
    assert_eq!(pages, 3);

    // a record changed while a client pages moves to the end: seen again, nothing skipped
    let (_, page1) = get_json(&app, &sec, &first).await;
    assert_eq!(ids(&page1), made[..2].to_vec());
    assert_eq!(page1["total"], 6);
    app.clock.advance(Duration::minutes(1));
    let (s, body) = call(
        &app,
        &sec,
        "PATCH",
        &format!("/api/v1/households/{}", made[0]),
        json!({"head_name": "Renamed Head"}),
    )
    .await;
    assert!(s.is_success(), "{s}: {body}");
    let (rest, synced_at, _) = pull_all(&app, &sec, page1["next"].as_str().unwrap()).await;
    let mut want = made[2..].to_vec();
    want.push(made[0]);
    assert_eq!(rest, want);
    let all: HashSet<i64> = page1_and(&page1, &rest);
    assert_eq!(all.len(), made.len());

    // without updated_since the list pages by number, and next links there too
    let (_, page) = get_json(&app, &sec, "/api/v1/households?page_size=4").await;
    assert_eq!(page["per_page"], 4);
    assert_eq!(page["next"], "/api/v1/households?page_size=4&page=2");
    assert!(page.get("synced_at").is_none() && page.get("deleted").is_none());
    let (_, page) = get_json(&app, &sec, "/api/v1/households?page_size=4&page=2").await;
    assert!(page["next"].is_null());
    assert_eq!(ids(&page).len(), 3);
    assert!(!synced_at.is_empty());
}

fn page1_and(page1: &Value, rest: &[i64]) -> HashSet<i64> {
    ids(page1).into_iter().chain(rest.iter().copied()).collect()
}

#[tokio::test]
async fn cancelled_demands_come_back_as_deleted_within_scope() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    app.secretary_of(&a);
    app.secretary_of(&b);
    let sec_a = app.api_token(&format!("secretary-{}", a.lgd)).await;
    let sec_b = app.api_token(&format!("secretary-{}", b.lgd)).await;
    app.household(&a);
    app.household(&a);
    app.household(&b);
    assert_eq!(app.with_demands(&a, "2026-04"), 2);
    assert_eq!(app.with_demands(&b, "2026-04"), 1);
    app.clock.advance(Duration::hours(1));
    let from = paani::clock::utc::text(&app.clock.now());
    let (_, before) = get_json(&app, &sec_a, "/api/v1/demands").await;
    let demand_ids = ids(&before);
    assert_eq!(demand_ids.len(), 2);

    app.clock.advance(Duration::minutes(5));
    for (token, gp) in [(&sec_a, a.id), (&sec_b, b.id)] {
        let run: i64 = {
            use diesel::prelude::*;
            use paani::db::schema::demand_runs as r;
            r::table
                .filter(r::gp_id.eq(gp))
                .select(r::id)
                .first(&mut *app.conn())
                .unwrap()
        };
        let (s, body) = call(
            &app,
            token,
            "POST",
            &format!("/api/v1/demand-runs/{run}/cancel"),
            json!({"reason": "Wrong tariff"}),
        )
        .await;
        assert!(s.is_success(), "{s}: {body}");
    }
    let (_, page) = get_json(&app, &sec_a, &format!("/api/v1/demands?{}", since(&from))).await;
    assert_eq!(ids(&page), Vec::<i64>::new(), "{page}");
    let mut deleted: Vec<i64> = serde_json::from_value(page["deleted"].clone()).unwrap();
    deleted.sort();
    assert_eq!(deleted, demand_ids, "GP A's cancelled demands, not GP B's");
    // kinds that are never deleted say so with an empty list
    let (_, page) = get_json(&app, &sec_a, &format!("/api/v1/payments?{}", since(&from))).await;
    assert_eq!(page["deleted"], json!([]), "{page}");
}

#[tokio::test]
async fn a_bad_updated_since_or_page_size_is_400() {
    let app = TestApp::spawn().await;
    let a = app.gp();
    app.secretary_of(&a);
    let sec = app.api_token(&format!("secretary-{}", a.lgd)).await;
    for list in [
        "/api/v1/maintenance/tasks",
        "/api/v1/schemes",
        "/api/v1/assets",
        "/api/v1/households",
        "/api/v1/breakdowns",
        "/api/v1/payments",
        "/api/v1/water-quality/samples",
        "/api/v1/meetings",
        "/api/v1/action-items",
        "/api/v1/demands",
    ] {
        for q in [
            "updated_since=yesterday",
            "updated_since=2026-02-30T10:00:00Z",
            "page_size=0",
            "page_size=501",
            "after_id=3",
        ] {
            let (s, body) = get_json(&app, &sec, &format!("{list}?{q}")).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{list}?{q}: {body}");
        }
        // a good one with an offset is taken (converted to UTC)
        let q = since("2026-12-08T15:30:00+05:30");
        let (s, page) = get_json(&app, &sec, &format!("{list}?{q}&page_size=500")).await;
        assert_eq!(s, StatusCode::OK, "{list}: {page}");
        assert_eq!(page["per_page"], 500);
        assert!(
            page["synced_at"].is_string() && page["deleted"].is_array(),
            "{page}"
        );
    }
    let res = app
        .client
        .get(app.url("/api/v1/schemes?updated_since=yesterday"))
        .bearer_auth(&sec)
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains("RFC 3339"), "{body}");
    // the OpenAPI document names the parameters and the new fields
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let params = doc["paths"]["/api/v1/maintenance/tasks"]["get"]["parameters"].to_string();
    for p in ["updated_since", "after_id", "page_size"] {
        assert!(params.contains(p), "{p} in {params}");
    }
    assert!(doc.to_string().contains("synced_at"));
}

#[tokio::test]
async fn tasks_removed_by_a_re_plan_come_back_as_deleted() {
    use diesel::prelude::*;
    use paani::db::schema::maintenance_tasks as mt;
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    scheme_in(&app, a.lgd, "A");
    app.secretary_of(&a);
    app.secretary_of(&b);
    let sec_a = app.api_token(&format!("secretary-{}", a.lgd)).await;
    let sec_b = app.api_token(&format!("secretary-{}", b.lgd)).await;
    let (_, plan) = crate::factories::task_and_plan(&app, a.id);
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let before: HashSet<i64> = mt::table
        .filter(mt::plan_id.eq(plan))
        .filter(mt::state.eq("open"))
        .filter(mt::due_on.ge(today))
        .select(mt::id)
        .load::<i64>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .collect();
    assert!(!before.is_empty());
    app.clock.advance(Duration::hours(1));
    let from = paani::clock::utc::text(&app.clock.now());
    app.clock.advance(Duration::minutes(1));

    let browser = app.login_as(&format!("secretary-{}", a.lgd)).await;
    let res = browser
        .post_form(
            &format!("/plans/{plan}"),
            &[
                ("title", "Check, every third day"),
                ("every_unit", "day"),
                ("every_n", "3"),
                ("start_on", &today.to_string()),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        res.text().await
    );

    let (_, page) = get_json(
        &app,
        &sec_a,
        &format!("/api/v1/maintenance/tasks?{}&page_size=500", since(&from)),
    )
    .await;
    let deleted: HashSet<i64> = serde_json::from_value(page["deleted"].clone()).unwrap();
    assert_eq!(deleted, before, "every removed task, once: {page}");
    let live: HashSet<i64> = ids(&page).into_iter().collect();
    assert!(
        live.is_disjoint(&deleted),
        "a deleted task is not listed as changed"
    );
    // another GP hears nothing of it
    let (_, page) = get_json(
        &app,
        &sec_b,
        &format!("/api/v1/maintenance/tasks?{}", since(&from)),
    )
    .await;
    assert_eq!(page["deleted"], json!([]));
    assert_eq!(ids(&page), Vec::<i64>::new());
}
