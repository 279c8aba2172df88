//! Log-in throttling that cannot be turned against a user (`auth::throttle`): counted by
//! username and address and by address, growing waits instead of a lock, a generous
//! per-username ceiling that browsers which logged in before are not held to. The requests
//! come through a "proxy" on 127.0.0.1 (trusted), so each test can speak from any address.

use crate::helpers::{Browser, TestApp, DEMO_PASSWORD};
use diesel::prelude::*;
use paani::db::schema::audit_log;
use reqwest::{Response, StatusCode};

/// The app with 127.0.0.1 as its trusted proxy (and `adjust` on top).
pub async fn behind_proxy(adjust: impl FnOnce(&mut paani::config::Config)) -> TestApp {
    TestApp::spawn_with(|c| {
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
        adjust(c);
    })
    .await
}

/// The log-in form sent by `b` with extra headers (the proxy's).
pub async fn login_with(b: &Browser, user: &str, pw: &str, headers: &[(&str, &str)]) -> Response {
    let token = b.csrf("/login").await;
    let mut req = b.client.post(b.url("/login")).form(&[
        ("_csrf", token.as_str()),
        ("username", user),
        ("password", pw),
        ("next", "/"),
    ]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

/// The log-in form from a client at `addr` (the proxy appends it to X-Forwarded-For).
pub async fn login_from(b: &Browser, user: &str, pw: &str, addr: &str) -> Response {
    login_with(b, user, pw, &[("x-forwarded-for", addr)]).await
}

/// `POST /api/v1/auth/token` from a client at `addr`.
async fn token_from(app: &TestApp, user: &str, pw: &str, addr: &str) -> Response {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .header("x-forwarded-for", addr)
        .json(&serde_json::json!({"username": user, "password": pw}))
        .send()
        .await
        .unwrap()
}

fn retry_after(r: &Response) -> i64 {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After on {}", r.status()))
}

/// `login_failed` audit rows: (actor name, address, user id).
pub fn failures_audited(app: &TestApp) -> Vec<(String, Option<String>, Option<i64>)> {
    audit_log::table
        .filter(audit_log::action.eq("login_failed"))
        .select((audit_log::actor_name, audit_log::ip, audit_log::entity_id))
        .order(audit_log::id)
        .load(&mut app.conn())
        .unwrap()
}

const ATTACKER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.20";

#[tokio::test]
async fn a_guesser_elsewhere_does_not_keep_the_owner_out() {
    let app = behind_proxy(|_| {}).await;
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    let attacker = app.browser();
    // 20 wrong passwords from the attacker's address, waiting out each delay (the clock moves)
    let mut failures = 0;
    let mut refused = 0;
    while failures < 20 {
        let r = login_from(
            &attacker,
            &secretary.username,
            "guess-guess-guess",
            ATTACKER,
        )
        .await;
        match r.status() {
            StatusCode::UNAUTHORIZED => failures += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                refused += 1;
                app.clock
                    .advance(chrono::Duration::seconds(retry_after(&r)));
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(
        refused, 15,
        "the first five went through, each later one after a wait"
    );
    // the owner, on their own phone elsewhere, logs in at once: page and API alike
    let owner = app.browser();
    let r = login_from(&owner, &secretary.username, DEMO_PASSWORD, OWNER).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the owner is not locked out"
    );
    let r = token_from(&app, &secretary.username, DEMO_PASSWORD, OWNER).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // while the attacker still waits, even with the right password
    let r = login_from(&attacker, &secretary.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // every failure is audited, with the attacker's address and the account; refusals are not
    let audited = failures_audited(&app);
    assert_eq!(audited.len(), 20);
    for (name, ip, id) in audited {
        assert_eq!(name, secretary.username);
        assert_eq!(ip.as_deref(), Some(ATTACKER));
        assert_eq!(id, Some(secretary.id));
    }
}

#[tokio::test]
async fn waits_double_with_each_failure_up_to_the_cap() {
    let app = behind_proxy(|_| {}).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let wrong = |app: &TestApp| {
        let u = member.username.clone();
        let url = app.url("/api/v1/auth/token");
        let client = app.client.clone();
        async move {
            client
                .post(url)
                .header("x-forwarded-for", ATTACKER)
                .header("accept-language", "hi")
                .json(&serde_json::json!({"username": u, "password": "not-it-at-all"}))
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        assert_eq!(wrong(&app).await.status(), StatusCode::UNAUTHORIZED);
    }
    let mut waits = Vec::new();
    for _ in 0..9 {
        let r = wrong(&app).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait = retry_after(&r);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["detail"].as_str().unwrap().contains("मिनट बाद"),
            "when to retry, in the caller's language: {body}"
        );
        // hammering while waiting changes nothing: refusals are not failures
        for _ in 0..3 {
            let again = wrong(&app).await;
            assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(retry_after(&again) <= wait);
        }
        waits.push(wait);
        // just before the wait is over: still refused
        app.clock.advance(chrono::Duration::seconds(wait - 5));
        assert_eq!(wrong(&app).await.status(), StatusCode::TOO_MANY_REQUESTS);
        app.clock.advance(chrono::Duration::seconds(5));
        assert_eq!(wrong(&app).await.status(), StatusCode::UNAUTHORIZED);
    }
    let expected = [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600];
    for (got, want) in waits.iter().zip(expected) {
        assert!((want - 2..=want).contains(got), "waits {waits:?}");
    }
    // after the wait the right password works, and the pair starts again
    let r = wrong(&app).await;
    let wait = retry_after(&r);
    app.clock.advance(chrono::Duration::seconds(wait));
    let r = token_from(&app, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // one typo after a successful log-in is just a typo (the address count still stands, but
    // the failures it holds are this one account's, 14 of 20)
    assert_eq!(wrong(&app).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_login_page_says_when_to_retry_in_the_users_language() {
    let app = behind_proxy(|_| {}).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let b = app.browser();
    for _ in 0..5 {
        let r = login_from(&b, &member.username, "wrong-wrong-wrong", ATTACKER).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = login_from(&b, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&r) <= 60);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("You can try again at") && page.contains("(in one minute)"),
        "{page}"
    );
    // in Hindi
    b.get("/login?lang=hi").await;
    let r = login_from(&b, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = r.text().await.unwrap();
    assert!(page.contains("फिर से कोशिश कर सकते हैं"), "{page}");
    assert!(page.contains("बजे (1 मिनट बाद)"), "{page}");
}

#[tokio::test]
async fn one_address_trying_many_usernames_must_wait() {
    let app = behind_proxy(|_| {}).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    // a browser at the shared address (a mobile network's NAT) that has logged in before
    let known = app.browser();
    let r = login_from(&known, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    known.post_form("/logout", &[]).await;
    let sprayer = app.browser();
    for i in 0..20 {
        let r = login_from(&sprayer, &format!("guess{i}"), "password-1234", ATTACKER).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // the address must wait now, for any username, even with the right password ...
    let stranger = app.browser();
    let r = login_from(&stranger, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = token_from(&app, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // ... except a browser that logged in to that account before ...
    let r = login_from(&known, &member.username, DEMO_PASSWORD, ATTACKER).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a known browser is not held to the address count"
    );
    // ... and other addresses are not affected at all
    let r = login_from(&stranger, &member.username, DEMO_PASSWORD, OWNER).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // IPv6: the whole /64 is one address
    let v6 = behind_proxy(|_| {}).await;
    let gp = v6.gp();
    let member = v6.member_of(&gp);
    let b = v6.browser();
    for i in 0..20 {
        let addr = format!("2001:db8:7:7::{:x}", i + 1);
        let r = login_from(&b, &format!("guess{i}"), "password-1234", &addr).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = login_from(
        &v6.browser(),
        &member.username,
        DEMO_PASSWORD,
        "2001:db8:7:7:abcd::99",
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "same /64");
    let r = login_from(
        &v6.browser(),
        &member.username,
        DEMO_PASSWORD,
        "2001:db8:7:8::1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "another /64");
}

#[tokio::test]
async fn the_ceiling_stops_a_spread_guess_but_not_a_browser_that_logged_in_before() {
    let app = behind_proxy(|c| c.auth.login_username_max_failures = 10).await;
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    // the owner's phone logged in last week, from home
    let phone = app.browser();
    let r = login_from(&phone, &secretary.username, DEMO_PASSWORD, OWNER).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let device = r
        .cookies()
        .find(|c| c.name() == "paani_device")
        .expect("a device mark");
    assert!(device.http_only() && device.path() == Some("/login"));
    // (its session ended since)
    phone.post_form("/logout", &[]).await;
    // ten guesses from five addresses: no address reaches its own limit
    let botnet = app.browser();
    for i in 0..10 {
        let addr = format!("192.0.2.{}", i / 2 + 1);
        let r = login_from(&botnet, &secretary.username, "guess-guess-guess", &addr).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // the eleventh address must wait: the account's ceiling ...
    let r = login_from(
        &botnet,
        &secretary.username,
        "guess-guess-guess",
        "192.0.2.99",
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // ... and so does a fresh browser or an API client, even with the right password ...
    let r = login_from(
        &app.browser(),
        &secretary.username,
        DEMO_PASSWORD,
        "192.0.2.100",
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = token_from(&app, &secretary.username, DEMO_PASSWORD, "192.0.2.100").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // ... but the owner's phone, on another network today, logs in
    let r = login_from(&phone, &secretary.username, DEMO_PASSWORD, "100.64.9.9").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // a made-up mark does not help
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(
        &format!("paani_device={}; Path=/login", "ab".repeat(32)),
        &app.url("/login").parse().unwrap(),
    );
    let forger = Browser {
        client: reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        addr: app.addr.clone(),
    };
    let r = login_from(&forger, &secretary.username, DEMO_PASSWORD, "192.0.2.101").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // other accounts are not affected
    let member = app.member_of(&gp);
    let r = login_from(
        &app.browser(),
        &member.username,
        DEMO_PASSWORD,
        "192.0.2.100",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(failures_audited(&app).len(), 10);
}

#[test]
fn throttle_settings_are_checked() {
    use paani::config::{Config, Sources};
    let load = |pairs: &[(&str, &str)]| {
        Config::load(&Sources {
            file: None,
            env: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    };
    let e = load(&[("PAANI__AUTH__LOGIN_ADDRESS_MAX_FAILURES", "0")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("auth.login_address_max_failures"), "{e}");
    let e = load(&[
        ("PAANI__AUTH__LOGIN_DELAY_SECONDS", "600"),
        ("PAANI__AUTH__LOGIN_MAX_DELAY_SECONDS", "60"),
    ])
    .unwrap_err()
    .to_string();
    assert!(e.contains("auth.login_max_delay_seconds"), "{e}");
    let c = load(&[("PAANI__AUTH__LOGIN_USERNAME_MAX_FAILURES", "500")]).unwrap();
    assert_eq!(c.auth.login_username_max_failures, 500);
}
