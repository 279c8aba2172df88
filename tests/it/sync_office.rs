//! Pulling changes from the "office" lists (issue 28, item 6): places, users, reminders,
//! maintenance plans and logs, tariffs, committees, decisions, demand runs, the cash book and
//! the scheduler's runs take `updated_since` and `page_size` and link to the next page, within
//! the caller's scope, on both backends. Each test makes its changes through the API (or a
//! service), then checks every list with [`feed`].

use crate::factories::{add_committee, scheme_in, task_and_plan};
use crate::helpers::{call, get_json, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Every record since long ago: the whole list in change order.
const EVER: &str = "2000-01-01T00:00:00Z";

fn since(t: &str) -> String {
    serde_urlencoded::to_string([("updated_since", t)]).unwrap()
}

/// `list` (which may hold a query already) with more query.
fn with(list: &str, more: &str) -> String {
    let join = if list.contains('?') { '&' } else { '?' };
    format!("{list}{join}{more}")
}

fn ids(page: &Value, key: &str) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {page}"))
        .iter()
        .map(|i| i[key].as_i64().unwrap_or_else(|| panic!("{key} in {i}")))
        .collect()
}

async fn page(app: &TestApp, token: &str, path: &str) -> Value {
    let (s, page) = get_json(app, token, path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {page}");
    page
}

/// Check one list's feed as `token` sees it: the changes since `from` are exactly `want`
/// (oldest change first) with `deleted` as given; walking the whole feed one record a page
/// by `next` sees every record once, in the order one big page gives, and none of `foreign`
/// (another GP's records); a bad `updated_since` is 400. Returns the first page since `from`.
async fn feed(
    app: &TestApp,
    token: &str,
    (list, key): (&str, &str),
    from: &str,
    want: &[i64],
    deleted: &[i64],
    foreign: &[i64],
) -> Value {
    let first = page(app, token, &with(list, &since(from))).await;
    assert_eq!(ids(&first, key), want, "{list} since {from}: {first}");
    let mut got: Vec<i64> = serde_json::from_value(first["deleted"].clone()).unwrap();
    got.sort();
    let mut deleted = deleted.to_vec();
    deleted.sort();
    assert_eq!(got, deleted, "{list}: deleted");
    assert!(first["next"].is_null() && first["synced_at"].is_string());

    let all = ids(
        &page(
            app,
            token,
            &with(list, &format!("{}&page_size=500", since(EVER))),
        )
        .await,
        key,
    );
    assert!(!all.is_empty(), "{list}: something to page through");
    for id in want {
        assert!(all.contains(id), "{list}: {id} in {all:?}");
    }
    for id in foreign {
        assert!(!all.contains(id), "{list}: another GP's {id} in {all:?}");
    }
    let (mut walked, mut path) = (vec![], with(list, &format!("{}&page_size=1", since(EVER))));
    loop {
        let p = page(app, token, &path).await;
        assert_eq!(p["per_page"], 1, "{path}");
        walked.extend(ids(&p, key));
        match p["next"].as_str() {
            Some(next) => path = next.to_string(),
            None => break,
        }
        assert!(walked.len() <= all.len(), "{list}: paging never ends");
    }
    assert_eq!(walked, all, "{list}: page_size=1 walks every record once");

    for bad in ["updated_since=yesterday", "page_size=0"] {
        let (s, body) = get_json(app, token, &with(list, bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{list}?{bad}: {body}");
    }
    first
}

fn now_text(app: &TestApp) -> String {
    paani::clock::utc::text(&app.clock.now())
}

async fn ok(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Value {
    let (s, v) = call(app, token, method, path, body).await;
    assert!(s.is_success(), "{method} {path}: {s} {v}");
    v
}

#[tokio::test]
async fn places_users_and_job_runs() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    app.secretary_of(&a);
    let (ma, mb) = (app.member_of(&a), app.member_of(&b));
    app.admin();
    let admin = app.api_token("admin").await;
    let sec = app.api_token(&format!("secretary-{}", a.lgd)).await;
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);
    app.clock.advance(Duration::minutes(1));

    // a village renamed in A, one deactivated in B (deactivated: still a change)
    let place = |id: i64| format!("/api/v1/places/{id}");
    ok(
        &app,
        &admin,
        "PATCH",
        &place(a.village_id),
        json!({"name": "New Village"}),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    ok(
        &app,
        &admin,
        "PATCH",
        &place(b.village_id),
        json!({"active": false}),
    )
    .await;
    let places = ("/api/v1/places", "id");
    let p = feed(
        &app,
        &sec,
        places,
        &from,
        &[a.village_id],
        &[],
        &[b.village_id, b.id],
    )
    .await;
    assert_eq!(p["items"][0]["name"], "New Village");
    let p = feed(
        &app,
        &admin,
        places,
        &from,
        &[a.village_id, b.village_id],
        &[],
        &[],
    )
    .await;
    assert_eq!(p["items"][1]["active"], false, "every status when pulling");
    // a filter named still holds
    let (_, p) = get_json(
        &app,
        &admin,
        &format!("/api/v1/places?status=active&{}", since(&from)),
    )
    .await;
    assert_eq!(ids(&p, "id"), vec![a.village_id]);

    // accounts: administrators only, so their scope is everything
    let user = |id: i64| format!("/api/v1/users/{id}");
    ok(
        &app,
        &admin,
        "PATCH",
        &user(mb.id),
        json!({"active": false}),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    ok(
        &app,
        &admin,
        "PATCH",
        &user(ma.id),
        json!({"display_name": "Sita Devi"}),
    )
    .await;
    let users = ("/api/v1/users", "id");
    let p = feed(&app, &admin, users, &from, &[mb.id, ma.id], &[], &[]).await;
    assert_eq!(
        p["items"][0]["active"], false,
        "a deactivated account comes back"
    );
    assert_eq!(p["items"][1]["display_name"], "Sita Devi");
    let (s, _) = get_json(&app, &sec, &format!("/api/v1/users?{}", since(&from))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // the scheduler's runs keep the machine's time (like their lease), so pull from it
    let machine = || paani::clock::utc::text(&chrono::Utc::now().naive_utc());
    let mailer = paani::mail::Mailer::new(&app.config).unwrap();
    let sweep = || {
        paani::jobs::run(
            &app.db,
            &app.config,
            &mailer,
            app.clock.now(),
            "cli",
            None,
            |_, _| {},
        )
        .unwrap()
        .run_id
    };
    let r1 = sweep();
    let jobs_from = machine();
    let r2 = sweep();
    let r3 = sweep();
    let runs = ("/api/v1/jobs/runs", "id");
    let p = feed(&app, &admin, runs, &jobs_from, &[r2, r3], &[], &[]).await;
    assert_eq!(p["items"][0]["status"], "ok");
    assert!(!ids(&p, "id").contains(&r1));
    let (s, _) = get_json(&app, &sec, &format!("/api/v1/jobs/runs?{}", since(&from))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reminders_are_the_callers_own() {
    use diesel::prelude::*;
    use paani::db::schema::reminders as r;
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    let (ma, sa, mb) = (app.member_of(&a), app.secretary_of(&a), app.member_of(&b));
    let raise = |user: i64, gp: i64, n: i64| -> i64 {
        diesel::insert_into(r::table)
            .values((
                r::gp_id.eq(gp),
                r::user_id.eq(user),
                r::rule.eq("meeting_missed"),
                r::subject_kind.eq("gp"),
                r::subject_id.eq(gp),
                r::dedupe_key.eq(format!("meeting_missed:{gp}:{n}")),
                r::label.eq("GP"),
                r::link.eq("/committees"),
                r::created_at.eq(app.clock.now()),
                r::updated_at.eq(app.clock.now()),
                r::email_state.eq("none"),
            ))
            .returning(r::id)
            .get_result(&mut *app.conn())
            .unwrap()
    };
    let mine = [
        raise(ma.id, a.id, 1),
        raise(ma.id, a.id, 2),
        raise(ma.id, a.id, 3),
    ];
    let (other, theirs) = (raise(sa.id, a.id, 4), raise(mb.id, b.id, 5));
    let tok_ma = app.api_token(&format!("member-{}", a.lgd)).await;
    let tok_sa = app.api_token(&format!("secretary-{}", a.lgd)).await;
    let tok_mb = app.api_token(&format!("member-{}", b.lgd)).await;
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);
    app.clock.advance(Duration::minutes(1));

    ok(
        &app,
        &tok_ma,
        "POST",
        &format!("/api/v1/reminders/{}/read", mine[1]),
        json!({}),
    )
    .await;
    ok(
        &app,
        &tok_sa,
        "POST",
        "/api/v1/reminders/read-all",
        json!({}),
    )
    .await;
    ok(
        &app,
        &tok_mb,
        "POST",
        &format!("/api/v1/reminders/{theirs}/read"),
        json!({}),
    )
    .await;
    let list = ("/api/v1/reminders", "id");
    let p = feed(
        &app,
        &tok_ma,
        list,
        &from,
        &[mine[1]],
        &[],
        &[other, theirs],
    )
    .await;
    assert!(p["items"][0]["read_at"].is_string());
    feed(
        &app,
        &tok_mb,
        list,
        &from,
        &[theirs],
        &[],
        &[mine[0], other],
    )
    .await;

    // a reminder whose cause cleared leaves the inbox but comes back as a change
    app.clock.advance(Duration::minutes(1));
    let resolved_from = now_text(&app);
    app.clock.advance(Duration::minutes(1));
    paani::reminders::rules::apply(
        &mut app.conn(),
        &resolve_meeting_missed(a.id),
        app.clock.now(),
    )
    .unwrap();
    let (_, inbox) = get_json(&app, &tok_ma, "/api/v1/reminders").await;
    assert!(ids(&inbox, "id").is_empty(), "{inbox}");
    let p = page(
        &app,
        &tok_ma,
        &format!("/api/v1/reminders?{}", since(&resolved_from)),
    )
    .await;
    assert_eq!(ids(&p, "id"), mine.to_vec());
    assert!(p["items"][0]["resolved_at"].is_string());
}

/// A rule that raises nothing and resolves the GP's missed-meeting reminders (its cause
/// cleared), as the sweep resolves reminders.
fn resolve_meeting_missed(gp: i64) -> paani::reminders::rules::Rule {
    use paani::reminders::rules::{Audience, Bind, Rule};
    Rule {
        name: "meeting_missed",
        subject_kind: "gp",
        audience: vec![Audience::ResponsibleOrMembers],
        candidates: "SELECT CAST(0 AS BIGINT) AS gp_id, CAST(0 AS BIGINT) AS subject_id, \
                     '' AS period, '' AS label, '' AS link, CAST(NULL AS DATE) AS due_on, \
                     CAST(NULL AS BIGINT) AS hint WHERE 1 = 0"
            .into(),
        binds: vec![],
        cleared: "gp_id = ?".into(),
        cleared_binds: vec![Bind::Int(gp)],
        daily: false,
    }
}

#[tokio::test]
async fn maintenance_committees_and_decisions() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    let (scheme_a, asset_a) = scheme_in(&app, a.lgd, "A");
    let (_, asset_b) = scheme_in(&app, b.lgd, "B");
    let (k_a, member_a, meeting_a) = add_committee(&app, a.lgd);
    let (k_b, member_b, meeting_b) = add_committee(&app, b.lgd);
    app.secretary_of(&a);
    app.secretary_of(&b);
    let sec_a = app.api_token(&format!("secretary-{}", a.lgd)).await;
    let sec_b = app.api_token(&format!("secretary-{}", b.lgd)).await;
    let (plan_a, plan_b) = (task_and_plan(&app, a.id).1, task_and_plan(&app, b.id).1);
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);
    app.clock.advance(Duration::minutes(1));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();

    // a plan changed in each GP (the page's form)
    for (gp, plan) in [(&a, plan_a), (&b, plan_b)] {
        let browser = app.login_as(&format!("secretary-{}", gp.lgd)).await;
        let res = browser
            .post_form(
                &format!("/plans/{plan}"),
                &[
                    ("title", "Check, every third day"),
                    ("every_unit", "day"),
                    ("every_n", "3"),
                    ("start_on", &today),
                    ("active", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let plans = ("/api/v1/maintenance/plans", "id");
    let p = feed(&app, &sec_a, plans, &from, &[plan_a], &[], &[plan_b]).await;
    assert_eq!(p["items"][0]["every_n"], 3);

    // work logged in each GP (log entries are never changed: their time is when recorded)
    let mut logged = vec![];
    for (token, asset) in [(&sec_a, asset_a), (&sec_b, asset_b), (&sec_a, asset_a)] {
        app.clock.advance(Duration::seconds(1));
        let body = json!({"asset_id": asset, "done_on": today, "title": "Greased the bearings"});
        logged.push(
            ok(&app, token, "POST", "/api/v1/maintenance/logs", body).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let logs = ("/api/v1/maintenance/logs", "id");
    feed(
        &app,
        &sec_a,
        logs,
        &from,
        &[logged[0], logged[2]],
        &[],
        &[logged[1]],
    )
    .await;
    let of_scheme = format!("/api/v1/maintenance/logs?scheme={scheme_a}");
    feed(
        &app,
        &sec_a,
        (&of_scheme, "id"),
        &from,
        &[logged[0], logged[2]],
        &[],
        &[],
    )
    .await;
    // without updated_since the register is still of one scheme
    let (s, _) = get_json(&app, &sec_a, "/api/v1/maintenance/logs").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // a committee changes with its members
    for (token, k) in [(&sec_a, k_a), (&sec_b, k_b)] {
        let body = json!({"name": "Geeta", "gender": "female", "social_category": "sc",
                          "term_from": "2025-06-01"});
        ok(
            &app,
            token,
            "POST",
            &format!("/api/v1/committees/{k}/members"),
            body,
        )
        .await;
    }
    // a second committee in A (a change too), so that there is something to page through
    let body = json!({"name": "Ward Samiti", "constituted_on": "2025-01-01",
                      "village_id": a.village_id.to_string()});
    app.clock.advance(Duration::seconds(1));
    let k_a2 = ok(&app, &sec_a, "POST", "/api/v1/committees", body).await["id"]
        .as_i64()
        .unwrap();
    let committees = ("/api/v1/committees", "id");
    let p = feed(&app, &sec_a, committees, &from, &[k_a, k_a2], &[], &[k_b]).await;
    assert_eq!(p["items"][0]["members"].as_array().unwrap().len(), 2, "{p}");

    // decisions: the minutes of each GP's meeting
    let mut items = vec![];
    for (token, meeting, member) in [(&sec_a, meeting_a, member_a), (&sec_b, meeting_b, member_b)] {
        let path = format!("/api/v1/meetings/{meeting}");
        let body = json!({"present": [member], "others_present": 6, "others_women": 3});
        ok(&app, token, "POST", &format!("{path}/attendance"), body).await;
        let item = ok(&app, token, "GET", &path, json!({})).await["agenda"][0]["id"]
            .as_i64()
            .unwrap();
        let body = json!({"items": [{"id": item, "decision": "Buy a spare pump"}]});
        ok(&app, token, "POST", &format!("{path}/minutes"), body).await;
        items.push(item);
    }
    // a second meeting in A with two decisions (pages to walk), one taken out again
    app.clock.advance(Duration::seconds(1));
    let body = json!({"committee_id": k_a, "held_on": today, "agenda": "Tank\nFees"});
    let m2 = ok(&app, &sec_a, "POST", "/api/v1/meetings", body).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/meetings/{m2}");
    let body = json!({"present": [member_a], "others_present": 6, "others_women": 3});
    ok(&app, &sec_a, "POST", &format!("{path}/attendance"), body).await;
    let agenda = ok(&app, &sec_a, "GET", &path, json!({})).await["agenda"].clone();
    let (tank, fees) = (
        agenda[0]["id"].as_i64().unwrap(),
        agenda[1]["id"].as_i64().unwrap(),
    );
    let body = json!({"items": [{"id": tank, "decision": "Clean it"}, {"id": fees, "decision": "Keep them"}]});
    ok(&app, &sec_a, "POST", &format!("{path}/minutes"), body).await;
    let decisions = ("/api/v1/decisions", "agenda_item_id");
    let mid = now_text(&app);
    feed(
        &app,
        &sec_a,
        decisions,
        &from,
        &[items[0], tank, fees],
        &[],
        &[items[1]],
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    let body = json!({"items": [{"id": fees, "decision": ""}]});
    ok(&app, &sec_a, "POST", &format!("{path}/minutes"), body).await;
    let p = feed(&app, &sec_a, decisions, &mid, &[tank], &[fees], &[items[1]]).await;
    assert_eq!(p["items"][0]["decision"], "Clean it");
    // GP B hears nothing of A's
    feed(&app, &sec_b, decisions, &mid, &[], &[], &[items[0], tank]).await;
}

#[tokio::test]
async fn tariffs_demand_runs_and_the_cash_book() {
    use diesel::prelude::*;
    let app = TestApp::spawn().await;
    let (a, b) = (app.gp(), app.gp());
    for gp in [&a, &b] {
        app.household(gp);
        app.with_demands(gp, "2026-04");
        app.secretary_of(gp);
    }
    let sec_a = app.api_token(&format!("secretary-{}", a.lgd)).await;
    let sec_b = app.api_token(&format!("secretary-{}", b.lgd)).await;
    let run_of = |gp: i64| -> i64 {
        use paani::db::schema::demand_runs as r;
        r::table
            .filter(r::gp_id.eq(gp))
            .select(r::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (run_a, run_b) = (run_of(a.id), run_of(b.id));
    app.clock.advance(Duration::hours(1));
    let from = now_text(&app);
    app.clock.advance(Duration::minutes(1));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();

    // tariff plans are only ever added
    let rates = json!({"general": "60", "bpl": "35", "sc": "35", "st": "35"});
    let mut plans = vec![];
    for token in [&sec_a, &sec_b] {
        let body = json!({"effective_from": "2026-07", "rates": rates});
        plans.push(
            ok(&app, token, "POST", "/api/v1/tariffs", body).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let tariffs = ("/api/v1/tariffs", "id");
    let p = feed(&app, &sec_a, tariffs, &from, &[plans[0]], &[], &[plans[1]]).await;
    assert_eq!(p["items"][0]["rates"]["general"], 6000);

    // a demand run changes when it is cancelled
    for (token, run) in [(&sec_a, run_a), (&sec_b, run_b)] {
        let path = format!("/api/v1/demand-runs/{run}/cancel");
        ok(
            &app,
            token,
            "POST",
            &path,
            json!({"reason": "Wrong tariff"}),
        )
        .await;
    }
    // a second run in A, so that there is something to page through
    app.clock.advance(Duration::seconds(1));
    let body = json!({"month": "2026-05", "expected": "1"});
    ok(&app, &sec_a, "POST", "/api/v1/demands", body).await;
    let run_a2 = run_of_month(&app, a.id, "2026-05");
    let runs = ("/api/v1/demand-runs", "id");
    let p = feed(&app, &sec_a, runs, &from, &[run_a, run_a2], &[], &[run_b]).await;
    assert!(p["items"][0]["cancelled_at"].is_string());

    // the benchmark's raw run (GP A's demands for July), taken away again: a tombstone
    let raw_from = now_text(&app);
    app.clock.advance(Duration::seconds(1));
    let raw = {
        let mut c = app.conn();
        let scope = paani::auth::Scope::Place {
            level: paani::places::Level::Gp,
            id: a.id,
        };
        let month = paani::web::forms::parse_month("2026-07").unwrap();
        let preview = paani::billing::demands::model::preview(&mut c, &scope, month).unwrap();
        let (run, n) =
            paani::billing::demands::raise_raw(&mut c, &preview, 10, app.clock.now()).unwrap();
        assert_eq!(n, 1);
        paani::billing::demands::remove_raw(&mut c, run, app.clock.now()).unwrap();
        run
    };
    feed(&app, &sec_a, runs, &raw_from, &[], &[raw], &[run_b]).await;
    feed(&app, &sec_b, runs, &raw_from, &[], &[], &[run_a]).await;
    let (_, p) = get_json(
        &app,
        &sec_a,
        &format!("/api/v1/demands?{}", since(&raw_from)),
    )
    .await;
    assert_eq!(
        p["deleted"].as_array().unwrap().len(),
        1,
        "its demand too: {p}"
    );

    // cash book entries: added, and one cancelled (its change comes last)
    let entry = |gp: i64, n: usize| {
        json!({"gp_id": gp.to_string(), "kind": "income", "head": "grant_15fc",
               "amount": "1000", "entry_on": today, "voucher_no": format!("V-{n}")})
    };
    let from = now_text(&app);
    let mut entries = vec![];
    for (n, (token, gp)) in [(&sec_a, a.id), (&sec_b, b.id), (&sec_a, a.id)]
        .into_iter()
        .enumerate()
    {
        app.clock.advance(Duration::seconds(1));
        entries.push(
            ok(&app, token, "POST", "/api/v1/cashbook", entry(gp, n)).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    app.clock.advance(Duration::seconds(1));
    let path = format!("/api/v1/cashbook/{}/cancel", entries[0]);
    ok(
        &app,
        &sec_a,
        "POST",
        &path,
        json!({"reason": "Entered twice"}),
    )
    .await;
    let book = ("/api/v1/cashbook", "id");
    let p = feed(
        &app,
        &sec_a,
        book,
        &from,
        &[entries[2], entries[0]],
        &[],
        &[entries[1]],
    )
    .await;
    assert!(p["items"][1]["cancelled_at"].is_string());
    let of_a = format!("/api/v1/cashbook?gp={}", a.id);
    feed(
        &app,
        &sec_a,
        (&of_a, "id"),
        &from,
        &[entries[2], entries[0]],
        &[],
        &[],
    )
    .await;
    // without updated_since the statement as before; a month or scheme with it is 400
    let v = page(&app, &sec_a, "/api/v1/cashbook").await;
    assert!(v["statement"].is_object(), "{v}");
    let (s, _) = get_json(
        &app,
        &sec_a,
        &format!("/api/v1/cashbook?month=2026-04&{}", since(&from)),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = get_json(
        &app,
        &sec_b,
        &format!("/api/v1/cashbook?gp={}&{}", a.id, since(&from)),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another GP's book");
}

fn run_of_month(app: &TestApp, gp: i64, month: &str) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::demand_runs as r;
    let month = paani::web::forms::parse_month(month).unwrap();
    r::table
        .filter(r::gp_id.eq(gp))
        .filter(r::month.eq(month))
        .select(r::id)
        .first(&mut *app.conn())
        .unwrap()
}
