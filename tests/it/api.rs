use crate::helpers::{TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn token_issue_use_and_revoke() {
    let app = TestApp::with_demo().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "engineer", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    assert!(token.len() >= 40);
    assert!(body["expires_at"].as_str().is_some());
    // stored hashed, never raw
    {
        use diesel::prelude::*;
        use paani::db::schema::api_tokens;
        let mut c = app.conn();
        let stored: Vec<String> = api_tokens::table
            .select(api_tokens::token_hash)
            .load(&mut *c)
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], token);
        assert_eq!(stored[0], paani::auth::hash_token(&token));
    }
    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "engineer");
    assert_eq!(me["role"], "block_engineer");
    assert!(me.get("password_hash").is_none());

    let res = app
        .client
        .delete(app.url("/api/v1/auth/token"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // tokens expire
    let token = app.api_token("engineer").await;
    app.clock.advance(chrono::Duration::days(91));
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_cookies_do_not_authenticate_the_api() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("admin").await;
    let res = b.get("/api/v1/me").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn problem(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(ct, "application/problem+json", "status {status}");
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn errors_are_problem_json() {
    let app = TestApp::with_demo().await;
    let (s, p) = problem(app.client.get(app.url("/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(p["status"], 401);
    assert!(p["title"].is_string());
    assert_eq!(p["instance"], "/api/v1/me");

    let (s, p) = problem(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({"username": "admin"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p["errors"]["password"].is_string(), "{p}");
    assert!(p["errors"].get("username").is_none());

    let (s, p) = problem(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({"username": "admin", "password": "wrong-wrong-wrong"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(p["status"], 401);

    let token = app.api_token("admin").await;
    let (s, _) = problem(
        app.client
            .get(app.url("/api/v1/places/999999"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = problem(
        app.client
            .get(app.url("/api/v1/nothing-here"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, p) = problem(
        app.client
            .post(app.url("/api/v1/places"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(p["detail"].is_string());

    let (s, p) = problem(
        app.client
            .post(app.url("/api/v1/places"))
            .bearer_auth(&token)
            .json(&json!({"level": "village", "lgd_code": "abc", "name": ""}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["lgd_code", "name", "parent_lgd_code"] {
        assert!(p["errors"][f].is_string(), "{f} in {p}");
    }
    // in Hindi when asked
    let (_, p) = problem(
        app.client
            .post(app.url("/api/v1/places"))
            .bearer_auth(&token)
            .header("accept-language", "hi")
            .json(&json!({"level": "village"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let msg = p["errors"]["name"].as_str().unwrap();
    assert!(
        msg.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)),
        "Hindi message expected: {msg}"
    );

    let member = app.api_token("member").await;
    let (s, _) = problem(
        app.client
            .get(app.url("/api/v1/users"))
            .bearer_auth(&member)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn places_and_users_over_the_api() {
    let app = TestApp::with_demo().await;
    let admin = app.api_token("admin").await;
    let res = app.client.post(app.url("/api/v1/places")).bearer_auth(&admin)
        .json(&json!({"level": "village", "lgd_code": "2301010199", "name": "Naya Gaon", "name_hi": "नया गाँव", "parent_lgd_code": "23010101"}))
        .send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let p: Value = res.json().await.unwrap();
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    assert_eq!(p["gp_id"], gp_id);
    // the same LGD code twice is a field error
    let res = app.client.post(app.url("/api/v1/places")).bearer_auth(&admin)
        .json(&json!({"level": "village", "lgd_code": "2301010199", "name": "Again", "parent_lgd_code": "23010101"}))
        .send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let id = p["id"].as_i64().unwrap();
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/places/{id}")))
        .bearer_auth(&admin)
        .json(&json!({"name": "Naya Gaon Khurd", "active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["name"], "Naya Gaon Khurd");
    assert_eq!(p["active"], false);

    // a secretary sees only their GP and its villages
    let sec = app.api_token("secretary").await;
    let list: Value = app
        .client
        .get(app.url("/api/v1/places?status=all"))
        .bearer_auth(&sec)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|p| p["gp_id"] == gp_id), "{list}");
    assert_eq!(list["total"].as_i64().unwrap() as usize, items.len());

    // users
    let res = app.client.post(app.url("/api/v1/users")).bearer_auth(&admin)
        .json(&json!({"username": "gita", "display_name": "Gita Devi", "role": "secretary", "place_lgd_code": "23010102", "lang": "hi", "password": "gita-password-1", "phone": "9123456789"}))
        .send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["place_lgd_code"], 23010102);
    assert!(u.get("password_hash").is_none());
    let res = app.client.post(app.url("/api/v1/users")).bearer_auth(&admin)
        .json(&json!({"username": "Gita", "display_name": "x", "role": "block_engineer", "place_lgd_code": "23010102", "password": "short", "phone": "12345"}))
        .send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = res.json().await.unwrap();
    for f in ["username", "place_lgd_code", "password", "phone"] {
        assert!(p["errors"][f].is_string(), "{f}: {p}");
    }
    let list: Value = app
        .client
        .get(app.url("/api/v1/users?q=gita"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    let id = u["id"].as_i64().unwrap();
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.browser()
            .login("gita", "gita-password-1")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn concurrent_writes_all_land() {
    let app = TestApp::with_demo().await;
    let admin = app.api_token("admin").await;
    let before = app.count("places");
    let mut tasks = vec![];
    for i in 0..24 {
        let client = app.client.clone();
        let url = app.url("/api/v1/places");
        let token = admin.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"level": "village", "lgd_code": format!("88800{i:02}"), "name": format!("Gaon {i}"), "parent_lgd_code": "23010101"}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    assert_eq!(app.count("places"), before + 24);
    // each create wrote its audit row in the same transaction
    let audited: i64 = {
        use diesel::prelude::*;
        use paani::db::schema::audit_log;
        let mut c = app.conn();
        audit_log::table
            .filter(audit_log::entity.eq("place"))
            .filter(audit_log::action.eq("create"))
            .count()
            .get_result(&mut *c)
            .unwrap()
    };
    assert_eq!(audited, 24);
}
