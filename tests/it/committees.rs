//! The Paani Samiti register: members and terms, composition rules, re-constitution.

use crate::helpers::{call, location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn rule(view: &Value, name: &str) -> (Option<bool>, i64, i64) {
    let c = view["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == name)
        .unwrap();
    (
        c["met"].as_bool(),
        c["count"].as_i64().unwrap(),
        c["of"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn members_terms_and_the_composition_rules() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/committees",
        json!({"name": "", "constituted_on": "2099-01-01", "sc_st_population_percent": "101"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["name", "constituted_on", "sc_st_population_percent"] {
        assert!(e["errors"][f].is_string(), "{f}: {e}");
    }
    let (s, k) = call(&app, &sec, "POST", "/api/v1/committees",
        json!({"name": "Banapura Paani Samiti", "constituted_on": "2025-02-01", "sc_st_population_percent": "20"})).await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    let id = k["id"].as_i64().unwrap();
    let add = |name: String, gender: &'static str, social: &'static str, elected: bool| {
        let (app, sec) = (&app, sec.clone());
        async move {
            call(
                app,
                &sec,
                "POST",
                &format!("/api/v1/committees/{id}/members"),
                json!({"name": name, "gender": gender, "social_category": social,
                       "elected_gp_member": elected, "term_from": "2025-02-01"}),
            )
            .await
        }
    };
    // 9 members: too few; the 10th makes it; exactly half women
    for i in 0..9 {
        let (gender, social) = if i < 5 {
            ("female", if i < 2 { "sc" } else { "obc" })
        } else {
            ("male", "general")
        };
        let (s, m) = add(format!("Member {i}"), gender, social, i >= 7).await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
    }
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/committees/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(rule(&v, "size"), (Some(false), 9, 9));
    assert_eq!(v["composition_ok"], false);
    add("Member 9".into(), "male", "general", false).await;
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/committees/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(rule(&v, "size"), (Some(true), 10, 10));
    assert_eq!(
        rule(&v, "women"),
        (Some(true), 5, 10),
        "exactly 50% is enough"
    );
    assert_eq!(rule(&v, "elected"), (Some(true), 2, 10));
    assert_eq!(
        rule(&v, "sc_st"),
        (Some(true), 2, 10),
        "2 of 10 meets a 20% share"
    );
    assert_eq!(v["composition_ok"], true);
    // an 11th man: 5 of 11 women is less than half
    let (_, extra) = add("Member 10".into(), "male", "general", false).await;
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/committees/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(rule(&v, "women"), (Some(false), 5, 11));
    // bad input: gender, role, phone
    let (s, e) = call(&app, &sec, "POST", &format!("/api/v1/committees/{id}/members"),
        json!({"name": "X", "gender": "x", "social_category": "general", "role": "king", "phone": "123"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["gender", "role", "phone"] {
        assert!(e["errors"][f].is_string(), "{f}: {e}");
    }
    // his term ends (on the page): the rules are met again, and he stays in the history
    let b = app.login_as("secretary").await;
    let path = format!("/committees/{id}/members/{}/end", extra["id"]);
    let r = b
        .post_form(&path, &[("on", "2025-06-30"), ("reason", "")])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let r = b
        .post_form(&path, &[("on", "2025-06-30"), ("reason", "moved away")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = b
        .post_form(&path, &[("on", "2025-07-30"), ("reason", "again")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "a term ends once");
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/committees/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(rule(&v, "women"), (Some(true), 5, 10));
    assert_eq!(v["members"].as_array().unwrap().len(), 11);
    // re-constitution after an election ends every running term; nobody is deleted
    let (s, r) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/committees/{id}/reconstitute"),
        json!({"on": "2026-01-31", "reason": "GP election 2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["ended"], 10);
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/committees/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(rule(&v, "size"), (Some(false), 0, 0));
    let members = v["members"].as_array().unwrap();
    assert_eq!(members.len(), 11);
    assert!(members.iter().all(|m| m["term_to"].is_string()));
    assert!(
        members
            .iter()
            .filter(|m| m["end_reason"] == "GP election 2026")
            .count()
            == 10
    );
    // the page, in Hindi, shows the rules with their state
    let (s, page) = b.get_text(&format!("/committees/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("महिलाएँ, कम से कम"), "rules in Hindi");
    assert!(page.contains("नियम पूरे नहीं"));
    let (s, page) = b.get_text(&format!("/committees/{id}?lang=en")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Women, at least") && page.contains("Rules not met"));
    // another committee on the page form
    let r = b
        .post_form(
            "/committees",
            &[
                ("name", "Khapariya ward committee"),
                ("constituted_on", "2026-02-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/committees/"));
    let (_, list) = call(&app, &sec, "GET", "/api/v1/committees", json!({})).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_state_can_have_its_own_rules() {
    // Madhya Pradesh (23) asking a third women instead of half
    let app = TestApp::spawn_with(|c| {
        c.committees.states.insert(
            "23".into(),
            paani::config::CommitteeRulesOverride {
                min_women_percent: Some(33),
                ..Default::default()
            },
        );
    })
    .await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let sec = app.api_token("secretary").await;
    let (_, k) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/committees",
        json!({"name": "Samiti", "constituted_on": "2025-02-01"}),
    )
    .await;
    let id = k["id"].as_i64().unwrap();
    for i in 0..10 {
        let gender = if i < 4 { "female" } else { "male" };
        call(
            &app,
            &sec,
            "POST",
            &format!("/api/v1/committees/{id}/members"),
            json!({"name": format!("M{i}"), "gender": gender, "social_category": "general"}),
        )
        .await;
    }
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/committees/{id}"),
        json!({}),
    )
    .await;
    assert_eq!(rule(&v, "women"), (Some(true), 4, 10));
    assert_eq!(v["rules"]["min_women_percent"], 33);
    assert_eq!(rule(&v, "sc_st").0, None, "no population share entered");
}

#[tokio::test]
async fn meetings_attendance_quorum_and_locking() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let (_, k) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/committees",
        json!({"name": "Samiti", "constituted_on": "2025-02-01"}),
    )
    .await;
    let id = k["id"].as_i64().unwrap();
    let mut women = vec![];
    let mut men = vec![];
    for i in 0..10 {
        let gender = if i < 5 { "female" } else { "male" };
        let (_, m) = call(&app, &sec, "POST", &format!("/api/v1/committees/{id}/members"),
            json!({"name": format!("M{i}"), "gender": gender, "social_category": "general", "term_from": "2025-02-01"})).await;
        if i < 5 {
            women.push(m["id"].as_i64().unwrap())
        } else {
            men.push(m["id"].as_i64().unwrap())
        }
    }
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/meetings",
        json!({"committee_id": id, "held_on": "2026-03-05", "starts_at": "25:00", "agenda": "  "}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["errors"]["starts_at"].is_string() && e["errors"]["agenda"].is_string(),
        "{e}"
    );
    let (s, m) = call(&app, &sec, "POST", "/api/v1/meetings",
        json!({"committee_id": id, "held_on": "2026-03-05", "starts_at": "10:30", "venue": "Panchayat bhawan",
               "agenda": "Electricity bill\nPipe leak near the school\n"})).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["status"], "planned");
    let mid = m["id"].as_i64().unwrap();
    // approving before it is held is refused
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/meetings/{mid}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/meetings/{mid}"),
        json!({}),
    )
    .await;
    assert_eq!(v["agenda"].as_array().unwrap().len(), 2);
    assert_eq!(v["agenda"][1]["title"], "Pipe leak near the school");
    // 3 of 10 present: a third of 10 needs 4
    let b = app.login_as("secretary").await;
    let present = |ids: Vec<i64>, others: &str, ow: &str| {
        let mut f: Vec<(String, String)> = ids
            .iter()
            .map(|i| ("present".to_string(), i.to_string()))
            .collect();
        f.push(("others_present".into(), others.into()));
        f.push(("others_women".into(), ow.into()));
        f
    };
    let post = |fields: Vec<(String, String)>| {
        let b = &b;
        async move {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            b.post_form(&format!("/meetings/{mid}/attendance"), &f)
                .await
        }
    };
    let r = post(present(vec![women[0], men[0], men[1]], "12", "5")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/meetings/{mid}"),
        json!({}),
    )
    .await;
    assert_eq!(v["status"], "held");
    assert_eq!(
        (
            v["quorum"]["present"].as_i64(),
            v["quorum"]["needed"].as_i64(),
            v["quorum"]["met"].as_bool()
        ),
        (Some(3), Some(4), Some(false))
    );
    let (_, page) = b.get_text(&format!("/meetings/{mid}")).await;
    assert!(
        page.contains("कोरम पूरा नहीं"),
        "the quorum is shown before the minutes are approved"
    );
    // bad attendance: more women than villagers, a stranger's id; nothing changes
    let r = post(present(vec![women[0], 999_999], "3", "4")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // 4 present with 1 woman: a third of 4 needs 2 women
    let r = post(present(vec![women[0], men[0], men[1], men[2]], "0", "0")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/meetings/{mid}"),
        json!({}),
    )
    .await;
    assert_eq!(
        (
            v["quorum"]["women_needed"].as_i64(),
            v["quorum"]["met"].as_bool()
        ),
        (Some(2), Some(false))
    );
    // over the API: 2 women and 2 men: met
    let (s, v) = call(&app, &sec, "POST", &format!("/api/v1/meetings/{mid}/attendance"),
        json!({"present": [women[0], women[1], men[0], men[1]], "others_present": 20, "others_women": 9})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["quorum"]["met"], true);
    assert_eq!(v["others_women"], 9);
    // approved minutes are locked
    let r = b.post_form(&format!("/meetings/{mid}/approve"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/meetings/{mid}/attendance"),
        json!({"present": [women[0]]}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/meetings/{mid}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/meetings/{mid}"),
        json!({}),
    )
    .await;
    assert_eq!(
        (v["status"].as_str(), v["present"].as_array().unwrap().len()),
        (Some("approved"), 4)
    );
    let (_, list) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/meetings?committee={id}"),
        json!({}),
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["total"], 1);
    let (s, page) = b.get_text(&format!("/committees/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("/meetings/{mid}")));
}
