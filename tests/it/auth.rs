use crate::helpers::{location, TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;

#[tokio::test]
async fn login_and_logout() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    // not logged in: pages send you to the log-in page, keeping where you were going
    let res = b.get("/places").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=%2Fplaces");

    let res = b.login("admin", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("paani_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "Secure only when configured");
    assert_eq!(app.count("sessions"), 1);
    let (s, body) = b.get_text("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("State Admin"));

    let res = b.post_form("/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("sessions"),
        0,
        "the session row is deleted at logout"
    );
    assert_eq!(b.get("/places").await.status(), StatusCode::SEE_OTHER);
    let audit = app.count("audit_log");
    assert!(audit >= 2, "login and logout are audited");
}

#[tokio::test]
async fn secure_cookie_when_configured() {
    let app = TestApp::spawn_with(|c| c.server.secure_cookies = true).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let res = app.browser().login("member", DEMO_PASSWORD).await;
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    let r1 = b.login("admin", "wrong-password-1").await;
    assert_eq!(r1.status(), StatusCode::UNAUTHORIZED);
    let t1 = r1.text().await.unwrap();
    let r2 = b.login("nobody-here", "wrong-password-1").await;
    assert_eq!(r2.status(), StatusCode::UNAUTHORIZED);
    let t2 = r2.text().await.unwrap();
    assert!(t1.contains("Wrong username or password"));
    assert!(t2.contains("Wrong username or password"));
    assert_eq!(app.count("sessions"), 0);
    // the username typed is kept in the form
    assert!(t1.contains("value=\"admin\""));
}

#[tokio::test]
async fn login_is_throttled_per_username_and_address() {
    // throttle.rs has the rest: other addresses, growing waits, the per-username ceiling
    let app = TestApp::with_demo().await;
    let b = app.browser();
    for _ in 0..5 {
        assert_eq!(
            b.login("secretary", "not-the-password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // now even the right password must wait, from here
    let res = b.login("secretary", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("try again at"));
    // other users at the same address are not held up by five failures
    assert_eq!(
        app.browser().login("member", DEMO_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    // after the wait (a minute), it works again
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(
        b.login("secretary", DEMO_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn api_token_requests_are_throttled_too() {
    let app = TestApp::with_demo().await;
    for _ in 0..5 {
        let r = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .json(&serde_json::json!({"username": "admin", "password": "nope-nope-nope"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "admin", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn sessions_expire_when_idle_and_at_their_lifetime() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("member").await;
    assert_eq!(b.get("/").await.status(), StatusCode::OK);
    app.clock.advance(chrono::Duration::minutes(119));
    assert_eq!(
        b.get("/").await.status(),
        StatusCode::OK,
        "still inside the idle timeout"
    );
    app.clock.advance(chrono::Duration::minutes(121));
    let res = b.get("/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "idle for too long");
    assert_eq!(app.count("sessions"), 0, "the expired row is removed");

    // absolute lifetime: active every hour, still ends after 24 hours
    let b = app.login_as("member").await;
    for _ in 0..23 {
        app.clock.advance(chrono::Duration::minutes(60));
        assert_eq!(b.get("/account").await.status(), StatusCode::OK);
    }
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn password_change_ends_other_sessions() {
    let app = TestApp::with_demo().await;
    let phone = app.login_as("secretary").await;
    let laptop = app.login_as("secretary").await;
    let token = app.api_token("secretary").await;
    assert_eq!(app.count("sessions"), 2);

    // wrong current password: refused, errors beside fields
    let res = laptop
        .post_form(
            "/account/password",
            &[
                ("current", "bad"),
                ("password", "new-password-2026"),
                ("confirm", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("field-error"));
    // too short
    let res = laptop
        .post_form(
            "/account/password",
            &[
                ("current", DEMO_PASSWORD),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let res = laptop
        .post_form(
            "/account/password",
            &[
                ("current", DEMO_PASSWORD),
                ("password", "new-password-2026"),
                ("confirm", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        laptop.get("/account").await.status(),
        StatusCode::OK,
        "this browser gets a fresh session"
    );
    assert_eq!(
        phone.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "API tokens are revoked too"
    );
    assert_eq!(
        app.browser()
            .login("secretary", DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.browser()
            .login("secretary", "new-password-2026")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn deactivation_ends_sessions_and_blocks_login() {
    let app = TestApp::with_demo().await;
    let member = app.login_as("member").await;
    let admin = app.login_as("admin").await;
    let id: i64 = {
        use diesel::prelude::*;
        use paani::db::schema::users;
        users::table
            .filter(users::username.eq("member"))
            .select(users::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let res = admin
        .post_form(&format!("/admin/users/{id}/deactivate"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(member.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.browser().login("member", DEMO_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // an admin cannot lock themselves out
    let res = admin.post_form("/admin/users/1/deactivate", &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn csrf_is_required_on_every_form() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let places_before = app.count("places");
    // no token
    let res = admin
        .post_form_raw(
            "/admin/places",
            &[
                ("level", "village"),
                ("lgd_code", "999001"),
                ("name", "X"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // wrong token
    let res = admin
        .post_form_raw(
            "/admin/places",
            &[
                ("_csrf", "deadbeef"),
                ("level", "village"),
                ("lgd_code", "999001"),
                ("name", "X"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("places"), places_before, "nothing changed");
    // logout without a token does not log out
    assert_eq!(
        admin.post_form_raw("/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(admin.get("/account").await.status(), StatusCode::OK);
    // log-in form too
    let b = app.browser();
    let res = b
        .post_form_raw(
            "/login",
            &[("username", "admin"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("sessions"), 1);
    // a token from another browser does not work either
    let other = app.login_as("member").await;
    let foreign_token = other.csrf("/account").await;
    let res = admin
        .post_form_raw(
            "/admin/places",
            &[
                ("_csrf", foreign_token.as_str()),
                ("level", "village"),
                ("lgd_code", "999001"),
                ("name", "X"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // with the right token it works
    let res = admin
        .post_form(
            "/admin/places",
            &[
                ("level", "village"),
                ("lgd_code", "999001"),
                ("name", "X"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("places"), places_before + 1);
}

#[tokio::test]
async fn next_parameter_only_follows_local_paths() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    let token = b.csrf("/login").await;
    let res = b
        .client
        .post(b.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "admin"),
            ("password", DEMO_PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/");
}

#[tokio::test]
async fn cli_user_add_and_passwd() {
    let app = TestApp::with_demo().await;
    let bin = env!("CARGO_BIN_EXE_paani");
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(bin)
            .args(args)
            .args(["--database", &app.test_db.url])
            .env("RUST_LOG", "error")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(
        &[
            "user",
            "add",
            "--username",
            "ramvati",
            "--role",
            "member",
            "--gp",
            "23010102",
            "--name",
            "Ramvati Bai",
            "--phone",
            "9876543210",
            "--password-stdin",
        ],
        "a-good-password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.browser()
            .login("ramvati", "a-good-password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // a member needs a GP that exists
    let out = run(
        &[
            "user",
            "add",
            "--username",
            "ghost",
            "--role",
            "member",
            "--gp",
            "777",
            "--password-stdin",
        ],
        "a-good-password\n",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("place_lgd_code"));
    // short passwords are refused
    let out = run(
        &[
            "user",
            "add",
            "--username",
            "shorty",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!out.status.success());
    let out = run(
        &["user", "passwd", "ramvati", "--password-stdin"],
        "another-good-one\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.browser()
            .login("ramvati", "another-good-one")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn next_parameter_refuses_disguised_hosts() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("admin").await;
    for next in [
        "/\t/evil.example",
        "/ /evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example",
        "/\r\nSet-Cookie:x",
    ] {
        let q = serde_urlencoded::to_string([("next", next)]).unwrap();
        let res = b.get(&format!("/login?{q}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/", "next={next:?}");
    }
    let res = b.get("/login?next=%2Fplaces%3Fq%3Dban").await;
    assert_eq!(location(&res), "/places?q=ban");
    // the language link on any page stays on this site
    let (_, body) = b.get_text("//evil.example").await;
    assert!(!body.contains("href=\"//evil.example"), "{body}");
}

#[tokio::test]
async fn administration_cannot_lock_itself_out() {
    let app = TestApp::with_demo().await;
    let admin = app.api_token("admin").await;
    let patch = |id: i64, body: serde_json::Value| {
        app.client
            .patch(app.url(&format!("/api/v1/users/{id}")))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };
    // own role, own deactivation: refused, and nothing is half-saved
    let res = patch(
        1,
        serde_json::json!({"role": "member", "place_lgd_code": "23010101"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = patch(
        1,
        serde_json::json!({"display_name": "Renamed", "active": false}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let me: serde_json::Value = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["display_name"], "State Admin",
        "the rename was rolled back with the refusal"
    );
    // a second admin may not remove the last other admin either
    let second = app.add_user("admin2", "admin", None);
    let t2 = app.api_token("admin2").await;
    let res = app
        .client
        .patch(app.url("/api/v1/users/1"))
        .bearer_auth(&t2)
        .json(&serde_json::json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "two admins: one may go");
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/users/{}", second.id)))
        .bearer_auth(&t2)
        .json(&serde_json::json!({"role": "member", "place_lgd_code": "23010101"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "the last admin stays an admin"
    );
}

#[tokio::test]
async fn state_and_district_codes_can_collide() {
    let app = TestApp::with_demo().await;
    // a district whose LGD code equals the state's (23)
    app.add_place(paani::places::Level::District, 23, "Collide", Some(23));
    let admin = app.api_token("admin").await;
    let body = |level: &str| serde_json::json!({"username": format!("off{level}"), "display_name": "Officer", "role": "district_officer", "place_lgd_code": "23", "place_level": level, "password": "long-enough-pw"});
    let res = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&body(""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&body("state"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let u: serde_json::Value = res.json().await.unwrap();
    let state_id = app.place_id(paani::places::Level::State, 23);
    assert_eq!(u["place_id"], state_id);
}

#[tokio::test]
async fn the_api_prefix_cannot_be_disguised() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("admin").await;
    let res = b.get("/%61pi/v1/me").await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "cookies never authenticate the API"
    );
}

/// The new-user form posted by an administrator, with `fields` over a valid member.
async fn add_user_form(
    admin: &crate::helpers::Browser,
    username: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = vec![
        ("username", username),
        ("display_name", "New Person"),
        ("lang", "hi"),
        ("password", "long-enough-pw"),
    ];
    all.extend_from_slice(fields);
    admin.post_form("/admin/users", &all).await
}

fn place_of(app: &TestApp, username: &str) -> Option<i64> {
    use diesel::prelude::*;
    use paani::db::schema::users;
    users::table
        .filter(users::username.eq(username))
        .select(users::place_id)
        .first(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn the_user_form_has_no_default_role_and_finds_the_place_by_name() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let (_, page) = admin.get_text("/admin/users/new").await;
    assert!(page.contains("<select id=\"role\" name=\"role\" required>"));
    assert!(page.contains("<option value=\"\" selected>"), "{page}");
    assert!(!page.contains("value=\"admin\" selected"));
    // no role: a clear error, nothing added
    let users = app.count("users");
    let res = add_user_form(
        &admin,
        "norole",
        &[("role", ""), ("place_lgd_code", "23010101")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Choose the user"));
    assert_eq!(app.count("users"), users);
    // a GP by its Hindi name, an English part of a name, or its LGD code
    let banapura = app.place_id(paani::places::Level::Gp, 23010101);
    let res = add_user_form(
        &admin,
        "by-hindi",
        &[("role", "member"), ("place_lgd_code", "बानापुरा")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "by-hindi"), Some(banapura));
    let res = add_user_form(
        &admin,
        "by-part",
        &[("role", "secretary"), ("place_lgd_code", " banap ")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "by-part"), Some(banapura));
    let res = add_user_form(
        &admin,
        "by-code",
        &[("role", "member"), ("place_lgd_code", "23010101")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "by-code"), Some(banapura));
    // a block engineer's place is a block: "Seoni Malwa" by part of its name
    let seoni = app.place_id(paani::places::Level::Block, 230101);
    let res = add_user_form(
        &admin,
        "eng2",
        &[("role", "block_engineer"), ("place_lgd_code", "seoni")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "eng2"), Some(seoni));
    // nothing by that name
    let res = add_user_form(
        &admin,
        "nowhere",
        &[("role", "member"), ("place_lgd_code", "Atlantis")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("No active place with that name"));
    // two GPs share a name's part: choose from a list, then save with the pick
    app.add_place(paani::places::Level::Gp, 23010198, "Rampur", Some(230101));
    let kalan = app.add_place(
        paani::places::Level::Gp,
        23010298,
        "Rampur Kalan",
        Some(230102),
    );
    app.add_place(
        paani::places::Level::Gp,
        23010299,
        "Rampura Khurd",
        Some(230102),
    );
    let res = add_user_form(
        &admin,
        "amb",
        &[("role", "member"), ("place_lgd_code", "ampur")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"place-choices\""), "{body}");
    assert!(body.contains("value=\"gp:23010298\"") && body.contains("value=\"gp:23010299\""));
    assert!(body.contains("value=\"gp:23010198\""));
    assert!(!body.contains("value=\"gp:23010101\""));
    assert!(
        body.contains("Pipariya"),
        "the block each is in tells them apart"
    );
    assert_eq!(app.count("users"), users + 4);
    let res = add_user_form(
        &admin,
        "amb",
        &[
            ("role", "member"),
            ("place_lgd_code", "ampur"),
            ("place_pick", "gp:23010298"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "amb"), Some(kalan.id));
    // a whole name wins over the names it is part of
    let res = add_user_form(
        &admin,
        "exact",
        &[("role", "member"), ("place_lgd_code", "Rampur")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        place_of(&app, "exact"),
        Some(app.place_id(paani::places::Level::Gp, 23010198))
    );
    // a pick at a level the role does not work at is refused
    let res = add_user_form(
        &admin,
        "badpick",
        &[
            ("role", "member"),
            ("place_lgd_code", "x"),
            ("place_pick", "block:230101"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // the API keeps taking LGD codes, and names too
    let token = app.api_token("admin").await;
    let res = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"username": "api-hi", "display_name": "A", "role": "member",
            "place_lgd_code": "शिवपुर", "password": "long-enough-pw"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        place_of(&app, "api-hi"),
        Some(app.place_id(paani::places::Level::Gp, 23010102))
    );
}

#[tokio::test]
async fn the_user_edit_page_shows_the_place_by_its_name_and_keeps_it() {
    use diesel::prelude::*;
    use paani::db::schema::{places, users};
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let banapura = app.place_id(paani::places::Level::Gp, 23010101);
    let res = add_user_form(
        &admin,
        "edit-me",
        &[("role", "member"), ("place_lgd_code", "23010101")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: i64 = users::table
        .filter(users::username.eq("edit-me"))
        .select(users::id)
        .first(&mut *app.conn())
        .unwrap();
    let (name, name_hi): (String, Option<String>) = places::table
        .find(banapura)
        .select((places::name, places::name_hi))
        .first(&mut *app.conn())
        .unwrap();
    let edit = format!("/admin/users/{id}/edit");
    let (s, page) = admin.get_text(&format!("{edit}?lang=en")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("name=\"place_lgd_code\" value=\"{name}\"")),
        "the place by its name: {page}"
    );
    assert!(!page.contains("value=\"23010101\""), "not its LGD code");
    let (_, page) = admin.get_text(&format!("{edit}?lang=hi")).await;
    let hindi = name_hi.unwrap();
    assert!(page.contains(&format!("name=\"place_lgd_code\" value=\"{hindi}\"")));
    // two GPs of one name: the edit page keeps the user's own when saved unchanged
    app.add_place(paani::places::Level::Gp, 23010198, "Rampur", Some(230101));
    let other = app.add_place(paani::places::Level::Gp, 23010197, "Rampur", Some(230101));
    let res = add_user_form(
        &admin,
        "rampur",
        &[
            ("role", "member"),
            ("place_lgd_code", "Rampur"),
            ("place_pick", "gp:23010197"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "rampur"), Some(other.id));
    let rid: i64 = users::table
        .filter(users::username.eq("rampur"))
        .select(users::id)
        .first(&mut *app.conn())
        .unwrap();
    let (_, page) = admin
        .get_text(&format!("/admin/users/{rid}/edit?lang=en"))
        .await;
    assert!(page.contains("name=\"place_lgd_code\" value=\"Rampur\""));
    assert!(
        page.contains("name=\"place_pick\" value=\"gp:23010197\""),
        "{page}"
    );
    let save = |place: &'static str| {
        let admin = &admin;
        async move {
            admin
                .post_form(
                    &format!("/admin/users/{rid}"),
                    &[
                        ("username", "rampur"),
                        ("display_name", "New Person"),
                        ("role", "member"),
                        ("place_lgd_code", place),
                        ("place_pick", "gp:23010197"),
                        ("lang", "hi"),
                    ],
                )
                .await
        }
    };
    let res = save("Rampur").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "rampur"), Some(other.id), "unchanged");
    // another name typed over it: the name decides, the old pick is dropped
    let res = save("बानापुरा").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(place_of(&app, "rampur"), Some(banapura));
}
