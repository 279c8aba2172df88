//! Sessions that forgive (issue 24, item 5): "keep me logged in on this phone", the account
//! page's list of sessions and ending them, and a form sent after its session ended: kept for
//! the same user in the same browser, offered again after logging in, never to anyone else.

use crate::helpers::{extract_csrf, location, Browser, TestApp, DEMO_PASSWORD};
use diesel::prelude::*;
use reqwest::StatusCode;

/// Log in through the form, ticking "keep me logged in" when `keep`.
async fn login(b: &Browser, username: &str, keep: bool, next: &str) -> reqwest::Response {
    let token = b.csrf("/login").await;
    let mut form = vec![
        ("_csrf", token.as_str()),
        ("username", username),
        ("password", DEMO_PASSWORD),
        ("next", next),
    ];
    if keep {
        form.push(("keep", "1"));
    }
    b.client
        .post(b.url("/login"))
        .header(
            "user-agent",
            "Mozilla/5.0 (Linux; Android 10; K) Chrome/120.0 Mobile Safari/537.36",
        )
        .form(&form)
        .send()
        .await
        .unwrap()
}

fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn session_ids(app: &TestApp, kept: bool) -> Vec<i64> {
    use paani::db::schema::sessions;
    sessions::table
        .filter(sessions::kept.eq(kept))
        .select(sessions::id)
        .order(sessions::id)
        .load(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn a_kept_session_outlives_the_idle_timeout_and_ends_at_its_lifetime() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    // the box is on the log-in form, with the configured days
    let (_, page) = app.browser().get_text("/login").await;
    assert!(page.contains("name=\"keep\""), "{page}");
    assert!(page.contains("(30 days)"));

    let phone = app.browser();
    let res = login(&phone, &member.username, true, "/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie(&res, "paani_session").unwrap();
    assert!(
        cookie.contains("Max-Age=2592000"),
        "a kept session's cookie outlives the browser: {cookie}"
    );
    let plain = app.browser();
    let res = login(&plain, &member.username, false, "/").await;
    let cookie = set_cookie(&res, "paani_session").unwrap();
    assert!(!cookie.contains("Max-Age"), "{cookie}");

    // three hours without use: past the 2-hour idle timeout
    app.clock.advance(chrono::Duration::hours(3));
    assert_eq!(phone.get("/").await.status(), StatusCode::OK, "kept");
    assert_eq!(
        plain.get("/").await.status(),
        StatusCode::SEE_OTHER,
        "not kept"
    );
    // ten days later, still logged in (no idle timeout) ...
    app.clock.advance(chrono::Duration::days(10));
    assert_eq!(phone.get("/account").await.status(), StatusCode::OK);
    // ... and the account page says so, with the phone it was started on
    let (_, account) = phone.get_text("/account").await;
    assert!(account.contains("Chrome · Android"), "{account}");
    assert!(account.contains("Stays logged in until"));
    // 30 days after log-in it ends, however often it is used
    app.clock.advance(chrono::Duration::days(19));
    assert_eq!(phone.get("/").await.status(), StatusCode::OK);
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(phone.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn keeping_can_be_switched_off() {
    let app = TestApp::spawn_with(|c| c.auth.session_keep_days = 0).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let (_, page) = app.browser().get_text("/login").await;
    assert!(!page.contains("name=\"keep\""));
    // a forged box changes nothing: the session still ends after 2 hours idle
    let b = app.browser();
    login(&b, &member.username, true, "/").await;
    assert!(session_ids(&app, true).is_empty());
    app.clock.advance(chrono::Duration::hours(3));
    assert_eq!(b.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sessions_are_listed_and_can_be_ended_from_the_account_page() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let sec = app.secretary_of(&gp);
    let other = app.member_of(&gp);
    let phone = app.browser();
    login(&phone, &sec.username, true, "/").await;
    let laptop = app.browser();
    login(&laptop, &sec.username, false, "/").await;
    let tablet = app.browser();
    login(&tablet, &sec.username, false, "/").await;
    let members_phone = app.browser();
    login(&members_phone, &other.username, true, "/").await;

    let (s, account) = laptop.get_text("/account").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        account.matches("/account/sessions/").count(),
        // three sessions' buttons and "log out everywhere else"
        4,
        "{account}"
    );
    assert!(account.contains("this phone"), "the current one is marked");

    // the lost phone is logged out from the laptop
    let phone_id = session_ids(&app, true)[0];
    let res = laptop
        .post_form(&format!("/account/sessions/{phone_id}/end"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/").await.status(), StatusCode::OK);

    // another user's session is not one's own to end: not found, and it lives on
    let members_id = session_ids(&app, true)[0];
    let res = laptop
        .post_form(&format!("/account/sessions/{members_id}/end"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(members_phone.get("/").await.status(), StatusCode::OK);

    // everywhere else: the tablet ends, the laptop stays, the member is untouched
    let res = laptop.post_form("/account/sessions/end-others", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(tablet.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/").await.status(), StatusCode::OK);
    assert_eq!(members_phone.get("/").await.status(), StatusCode::OK);
    assert_eq!(app.count("sessions"), 2);
    let audit = app.count("audit_log WHERE action = 'logout'");
    assert_eq!(audit, 2, "both are audited");
}

/// The secretary's counter form for a household that owes ₹50, opened by `b`; returns the
/// page's path and body.
async fn open_payment_form(b: &Browser, household: i64) -> (String, String) {
    let page = format!("/payments/new?household={household}");
    let (s, body) = b.get_text(&page).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    (page, body)
}

fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name}"))
        + name.len()
        + 15;
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

/// The fields of the form with this id, from its inputs (values unescaped).
fn form_fields(body: &str, id: &str) -> Vec<(String, String)> {
    let start = body.find(&format!("id=\"{id}\"")).expect("the form");
    let form = &body[start..start + body[start..].find("</form>").unwrap()];
    form.split("<input ")
        .skip(1)
        .filter_map(|tag| {
            let name = tag.split("name=\"").nth(1)?.split('"').next()?;
            let value = tag.split("value=\"").nth(1)?.split('"').next()?;
            let value = value
                .replace("&#x3D;", "=")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            Some((name.to_string(), value))
        })
        .collect()
}

/// Send the payment form the way the browser would, from `page`, with its own (old) token.
async fn send_payment(
    b: &Browser,
    page: &str,
    body: &str,
    household: i64,
    amount: &str,
) -> reqwest::Response {
    let (csrf, key) = (extract_csrf(body).unwrap(), hidden(body, "idempotency_key"));
    let h = household.to_string();
    b.client
        .post(b.url("/payments"))
        .header("referer", b.url(page))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("household_id", h.as_str()),
            ("idempotency_key", key.as_str()),
            ("counter", "1"),
            ("amount", amount),
            ("paid_on", ""),
            ("mode", "cash"),
            ("reference", "paid at the tap"),
            ("collected_by", "Sunita"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_is_kept_and_sent_after_logging_in() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let sec = app.secretary_of(&gp);
    let household = app.household(&gp);
    app.with_demands(&gp, "2026-04");
    let b = app.browser();
    login(&b, &sec.username, false, "/").await;
    let (page, body) = open_payment_form(&b, household).await;

    // the secretary is called away; two and a half hours later the form is sent
    app.clock.advance(chrono::Duration::minutes(150));
    let res = send_payment(&b, &page, &body, household, "40").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "not a 403 any more");
    assert_eq!(
        location(&res),
        format!("/login?next=%2Fpayments%2Fnew%3Fhousehold%3D{household}")
    );
    assert!(set_cookie(&res, "paani_draft").is_some());
    assert_eq!(
        app.count("payments"),
        0,
        "nothing recorded without a session"
    );
    assert_eq!(app.count("form_drafts"), 1);
    let (_, login_page) = b.get_text(&location(&res)).await;
    assert!(
        login_page.contains("what you entered is kept"),
        "{login_page}"
    );

    // logging in again (as the same user) lands on the kept form
    let res = login(
        &b,
        &sec.username,
        false,
        &format!("/payments/new?household={household}"),
    )
    .await;
    assert_eq!(location(&res), "/resume");
    let (s, resume) = b.get_text("/resume").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        resume.contains("paid at the tap"),
        "what was typed is shown"
    );
    assert!(resume.contains("Sunita"));
    let fields = form_fields(&resume, "resume-form");
    let old_csrf = extract_csrf(&body).unwrap();
    assert!(
        !fields.iter().any(|(_, v)| *v == old_csrf),
        "the old token is not kept"
    );
    assert!(fields.iter().any(|(k, v)| k == "amount" && v == "40"));
    // sending it runs the payment form's own handler as the logged-in user: one receipt
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = b
        .client
        .post(b.url("/payments"))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let receipt = location(&res);
    assert!(receipt.ends_with("/receipt"), "{receipt}");
    assert_eq!(app.count("payments"), 1);
    assert_eq!(
        app.count("payments WHERE amount_paise = 4000 AND reference = 'paid at the tap'"),
        1
    );
    assert_eq!(app.count("form_drafts"), 0, "used up");
    // a second tap on "send" (the same kept idempotency key) records nothing more
    let res = b
        .client
        .post(b.url("/payments"))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), receipt);
    assert_eq!(app.count("payments"), 1);
    // and nothing is offered any more
    assert_eq!(location(&b.get("/resume").await), "/");
}

#[tokio::test]
async fn a_kept_form_is_never_shown_or_sent_for_anyone_else() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let sec = app.secretary_of(&gp);
    let other = app.add_user(&format!("treasurer-{}", gp.lgd), "secretary", Some(gp.lgd));
    let household = app.household(&gp);
    app.with_demands(&gp, "2026-04");

    // another user logs in on the same phone after the session ended
    let b = app.browser();
    login(&b, &sec.username, false, "/").await;
    let (page, body) = open_payment_form(&b, household).await;
    app.clock.advance(chrono::Duration::hours(3));
    let res = send_payment(&b, &page, &body, household, "40").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("form_drafts"), 1);
    let res = login(&b, &other.username, false, "/households").await;
    assert_eq!(location(&res), "/households", "not the other user's form");
    let removed = set_cookie(&res, "paani_draft").unwrap();
    assert!(removed.contains("Max-Age=0"), "{removed}");
    assert_eq!(app.count("form_drafts"), 0, "and it is gone");
    assert_eq!(location(&b.get("/resume").await), "/");
    assert_eq!(app.count("payments"), 0);

    // a post from another site carries none of this site's cookies (SameSite=Lax) and cannot
    // know any of its tokens: refused, and nothing is kept
    let stranger = app.browser();
    let h = household.to_string();
    let res = stranger
        .post_form_raw(
            "/payments",
            &[
                ("_csrf", "a-guessed-token-0000"),
                ("household_id", h.as_str()),
                ("amount", "40"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&res, "paani_draft").is_none());
    assert_eq!(app.count("form_drafts"), 0);
    // an ended session's cookie with a token that is not that session's: refused, not kept
    let b2 = app.browser();
    login(&b2, &sec.username, false, "/").await;
    let (page, body) = open_payment_form(&b2, household).await;
    app.clock.advance(chrono::Duration::hours(3));
    let forged = body.replace(&extract_csrf(&body).unwrap(), "forged-token-0000");
    let res = send_payment(&b2, &page, &forged, household, "40").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("form_drafts"), 0);

    // a kept form waits only so long (auth.form_draft_minutes, 60)
    let b3 = app.browser();
    login(&b3, &sec.username, false, "/").await;
    let (page, body) = open_payment_form(&b3, household).await;
    app.clock.advance(chrono::Duration::hours(3));
    send_payment(&b3, &page, &body, household, "40").await;
    assert_eq!(app.count("form_drafts"), 1);
    app.clock.advance(chrono::Duration::minutes(61));
    let res = login(&b3, &sec.username, false, "/").await;
    assert_eq!(location(&res), "/");
    assert_eq!(app.count("payments"), 0);
}

#[tokio::test]
async fn passwords_are_never_kept_and_a_kept_form_can_be_thrown_away() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let sec = app.secretary_of(&gp);
    let b = app.login_as(&sec.username).await;
    let (_, account) = b.get_text("/account").await;
    let csrf = extract_csrf(&account).unwrap();
    app.clock.advance(chrono::Duration::hours(3));
    // a password change after the session ended: to the log-in page, nothing kept
    let res = b
        .post_form_raw(
            "/account/password",
            &[
                ("_csrf", csrf.as_str()),
                ("current", DEMO_PASSWORD),
                ("password", "a-new-password-1"),
                ("confirm", "a-new-password-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
    assert_eq!(app.count("form_drafts"), 0);

    // a language change is kept, and thrown away on request
    let b = app.login_as(&sec.username).await;
    let (_, account) = b.get_text("/account").await;
    let csrf = extract_csrf(&account).unwrap();
    app.clock.advance(chrono::Duration::hours(3));
    let res = b
        .post_form_raw(
            "/account/language",
            &[("_csrf", csrf.as_str()), ("lang", "hi")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("form_drafts"), 1);
    let res = b.login(&sec.username, DEMO_PASSWORD).await;
    assert_eq!(location(&res), "/resume");
    let res = b.post_form("/resume/discard", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("form_drafts"), 0);
    let user = paani::auth::model::find_user(&mut app.conn(), sec.id).unwrap();
    assert_eq!(user.lang, "en", "nothing was sent");
}
