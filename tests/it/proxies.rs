//! Behind a reverse proxy (`web::proxy`): the client's address is the rightmost
//! X-Forwarded-For hop that is not a trusted proxy, and only a trusted proxy's
//! `X-Forwarded-Proto: https` makes cookies Secure and adds HSTS.

use crate::helpers::{TestApp, DEMO_PASSWORD};
use crate::throttle::{behind_proxy, failures_audited, login_from, login_with};
use paani::config::{Config, Sources};
use reqwest::{Response, StatusCode};

const CLIENT: &str = "198.51.100.7";

#[tokio::test]
async fn a_changing_forwarded_for_cannot_escape_the_login_limit() {
    // the proxy on 127.0.0.1 appends the address it saw; the client writes what it likes
    // to the left of it, different each time
    let app = behind_proxy(|c| c.server.trusted_proxies.push("10.0.0.0/8".into())).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let b = app.browser();
    for i in 0..5 {
        let spoofed = format!("10.9.{i}.{i}, 203.0.113.{i}, {CLIENT}");
        let r = login_from(&b, &member.username, "wrong-wrong-wrong", &spoofed).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    for i in 5..8 {
        let spoofed = format!("203.0.113.{i}, {CLIENT}");
        let r = login_from(&b, &member.username, DEMO_PASSWORD, &spoofed).await;
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "spoof {i} escaped"
        );
    }
    // a second proxy of ours in the chain (10.0.0.0/8) changes nothing: the client is the
    // same one behind it
    let chained = format!("203.0.113.200, {CLIENT}, 10.1.2.3");
    let r = login_from(&b, &member.username, DEMO_PASSWORD, &chained).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // the address counted and audited is the one the proxy saw
    let audited = failures_audited(&app);
    assert_eq!(audited.len(), 5);
    assert!(
        audited
            .iter()
            .all(|(_, ip, _)| ip.as_deref() == Some(CLIENT)),
        "{audited:?}"
    );
    // spraying usernames with a changing left part: the address limit holds too
    for i in 0..15 {
        let spoofed = format!("192.0.2.{i}, {CLIENT}");
        let r = login_from(&b, &format!("guess{i}"), "password-1234", &spoofed).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = login_from(
        &b,
        "guess99",
        "password-1234",
        &format!("192.0.2.99, {CLIENT}"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // someone else behind the same proxy is a different client
    let other = app.browser();
    let r = login_from(&other, &member.username, DEMO_PASSWORD, "198.51.100.8").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    // the proxy is elsewhere; requests come straight from 127.0.0.1
    let app = TestApp::spawn_with(|c| c.server.trusted_proxies = vec!["10.0.0.1".into()]).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let b = app.browser();
    for i in 0..5 {
        let r = login_from(
            &b,
            &member.username,
            "wrong-wrong-wrong",
            &format!("203.0.113.{i}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = login_from(&b, &member.username, DEMO_PASSWORD, "198.51.100.99").await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the header is ignored"
    );
    let audited = failures_audited(&app);
    assert!(
        audited
            .iter()
            .all(|(_, ip, _)| ip.as_deref() == Some("127.0.0.1")),
        "{audited:?}"
    );
}

#[tokio::test]
async fn the_old_switch_trusts_only_this_machine() {
    // `trust_forwarded_for = true` (deprecated) = a proxy on 127.0.0.1 / ::1
    let app = TestApp::spawn_with(|c| c.server.trust_forwarded_for = true).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let b = app.browser();
    for _ in 0..5 {
        let r = login_from(&b, &member.username, "wrong-wrong-wrong", "203.0.113.7").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = login_from(
        &app.browser(),
        &member.username,
        DEMO_PASSWORD,
        "203.0.113.8",
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "another client behind the proxy"
    );
    let r = login_from(
        &app.browser(),
        &member.username,
        DEMO_PASSWORD,
        "203.0.113.7",
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let warnings = Config {
        server: paani::config::ServerConfig {
            trust_forwarded_for: true,
            ..Config::defaults().server
        },
        ..Config::defaults()
    }
    .warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("server.trusted_proxies")),
        "{warnings:?}"
    );
}

fn set_cookies(r: &Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn hsts(r: &Response) -> Option<String> {
    r.headers()
        .get("strict-transport-security")
        .map(|v| v.to_str().unwrap().to_string())
}

/// A log-in through the proxy with these headers: the cookies it sets and its HSTS header.
async fn log_in_with(
    app: &TestApp,
    user: &str,
    headers: &[(&str, &str)],
) -> (Vec<String>, Option<String>) {
    let b = app.browser();
    let r = login_with(&b, user, DEMO_PASSWORD, headers).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    (set_cookies(&r), hsts(&r))
}

#[tokio::test]
async fn secure_cookies_and_hsts_only_with_a_trusted_proxys_https() {
    let app = behind_proxy(|_| {}).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let https = [("x-forwarded-proto", "https"), ("x-forwarded-for", CLIENT)];

    // over HTTPS (the trusted proxy says so): every cookie Secure, HSTS on every answer
    let (cookies, h) = log_in_with(&app, &member.username, &https).await;
    assert_eq!(h.as_deref(), Some("max-age=31536000"));
    for name in ["paani_session=", "paani_device="] {
        let c = cookies
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("{name} {cookies:?}"));
        assert!(c.contains("Secure") && c.contains("HttpOnly"), "{c}");
    }
    let b = app.browser();
    let r = b
        .client
        .get(b.url("/login?lang=hi"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let cookies = set_cookies(&r);
    assert!(
        cookies.iter().any(|c| c.starts_with("paani_csrf=")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().all(|c| c.contains("Secure")),
        "the CSRF and language cookies too: {cookies:?}"
    );
    assert!(hsts(&r).is_some());
    let r = b
        .client
        .get(b.url("/static/paani.css"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(hsts(&r).is_some(), "static files too ({})", r.status());

    // over plain HTTP, or no word from the proxy: as before
    for headers in [&[("x-forwarded-proto", "http")][..], &[][..]] {
        let (cookies, h) = log_in_with(&app, &member.username, headers).await;
        assert_eq!(h, None);
        assert!(cookies.iter().all(|c| !c.contains("Secure")), "{cookies:?}");
    }

    // the same header from a peer that is not a trusted proxy is ignored
    let direct = TestApp::spawn_with(|c| c.server.trusted_proxies = vec!["10.0.0.1".into()]).await;
    let gp = direct.gp();
    let member = direct.member_of(&gp);
    let (cookies, h) = log_in_with(&direct, &member.username, &https).await;
    assert_eq!(h, None);
    assert!(cookies.iter().all(|c| !c.contains("Secure")), "{cookies:?}");

    // HSTS can be turned off; the cookies stay Secure
    let no_hsts = behind_proxy(|c| c.server.hsts_max_age_seconds = 0).await;
    let gp = no_hsts.gp();
    let member = no_hsts.member_of(&gp);
    let (cookies, h) = log_in_with(&no_hsts, &member.username, &https).await;
    assert_eq!(h, None);
    assert!(cookies.iter().all(|c| c.contains("Secure")), "{cookies:?}");
}

fn load(pairs: &[(&str, &str)]) -> Result<Config, paani::config::ConfigError> {
    Config::load(&Sources {
        file: None,
        env: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

#[test]
fn trusted_proxies_are_checked_when_the_configuration_is_read() {
    let c = load(&[
        (
            "PAANI__SERVER__TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8,fd00::/8",
        ),
        ("PAANI__SERVER__BASE_URL", "https://paani.example.org"),
    ])
    .unwrap();
    assert_eq!(
        c.server.trusted_proxies,
        ["127.0.0.1", "10.0.0.0/8", "fd00::/8"]
    );
    assert!(c.warnings().is_empty());
    for (bad, named) in [
        ("10.0.0.300", "10.0.0.300"),
        ("10.0.0.0/40", "0 to 32"),
        ("proxy.lan", "proxy.lan"),
    ] {
        let e = load(&[("PAANI__SERVER__TRUSTED_PROXIES", bad)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("server.trusted_proxies") && e.contains(named),
            "{bad}: {e}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paani.toml");
    std::fs::write(
        &path,
        "[server]\ntrusted_proxies = [\"::1\", \"192.0.2.0/24\"]\nhsts_max_age_seconds = 600\n",
    )
    .unwrap();
    let c = Config::load(&Sources {
        file: Some(path.to_string_lossy().into_owned()),
        env: vec![],
    })
    .unwrap();
    assert_eq!(c.server.trusted_proxies.len(), 2);
    assert_eq!(c.server.hsts_max_age_seconds, 600);
    let e = load(&[("PAANI__SERVER__HSTS_MAX_AGE_SECONDS", "-1")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("server.hsts_max_age_seconds"), "{e}");
}
