//! Log-in by phone with a one-time code by SMS (issue 27, item 7): the whole journey over
//! HTTP with the code read from the real `file` transport; one answer for known and unknown
//! numbers; expiry; five tries; the limits per number and per address; off by default; the
//! code never stored as it is.

use crate::helpers::{location, TestApp};
use diesel::prelude::*;
use paani::config::Config;
use paani::db::schema::{audit_log, login_codes, sms_outbox, users};
use reqwest::StatusCode;
use std::time::Duration;

const PHONE: &str = "9812345678";

async fn app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::spawn_with(|c| {
        c.sms.file_dir = format!("{}/sms", c.storage.data_dir.trim_end_matches('/'));
        c.auth.phone_login = true;
        adjust(c);
    })
    .await
}

async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// Give a user a phone number and a language.
fn set_phone(app: &TestApp, user_id: i64, phone: &str, lang: &str) {
    diesel::update(users::table.find(user_id))
        .set((users::phone.eq(Some(phone)), users::lang.eq(lang)))
        .execute(&mut *app.conn())
        .unwrap();
}

/// The messages the file transport wrote, oldest first: (outbox id, file text).
fn sms_files(app: &TestApp) -> Vec<(i64, String)> {
    let Ok(dir) = std::fs::read_dir(&app.config.sms.file_dir) else {
        return vec![];
    };
    let mut files: Vec<(i64, String)> = dir
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name
                .strip_prefix("sms-")?
                .strip_suffix(".txt")?
                .parse()
                .ok()?;
            Some((id, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    files.sort();
    files
}

/// The code of the `n`-th message (1-based), waiting for it to be written: it is sent right
/// after the request, in the background.
async fn nth_code(app: &TestApp, n: usize) -> String {
    for _ in 0..100 {
        let files = sms_files(app);
        if files.len() >= n {
            let text = &files[n - 1].1;
            assert!(text.contains("Key: otp_code"), "{text}");
            let body = text.split_once("\n\n").unwrap().1;
            return body.chars().take(6).collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no SMS number {n} was written");
}

fn count_login_codes(app: &TestApp) -> i64 {
    app.count("login_codes")
}

#[tokio::test]
async fn a_member_logs_in_with_the_code_from_the_sms() {
    let app = app().await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    set_phone(&app, member.id, PHONE, "hi");
    let b = app.browser();

    let (s, login) = b.get_text("/login").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        login.contains("id=\"login-phone\""),
        "the log-in page offers it"
    );
    let (s, page) = b.get_text("/login/phone?next=/account").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"_csrf\""), "CSRF on the form");

    let res = b
        .post_form(
            "/login/phone",
            &[("phone", "+91 98123-45678"), ("next", "/account")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"otp-sent\""));
    assert!(page.contains("id=\"otp-code-form\""));

    let code = nth_code(&app, 1).await;
    let files = sms_files(&app);
    assert!(files[0].1.contains("To: 919812345678"));
    assert!(
        files[0].1.contains("आपका पानी लॉग-इन कोड"),
        "in the user's language: {}",
        files[0].1
    );
    assert!(code.chars().all(|c| c.is_ascii_digit()) && code.len() == 6);

    // the code is stored hashed; the outbox forgets its text once it is sent
    let row: (i64, Option<i64>, String, i32) = login_codes::table
        .select((
            login_codes::id,
            login_codes::user_id,
            login_codes::code_hash,
            login_codes::tries,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(row.1, Some(member.id));
    assert!(!row.2.contains(&code) && row.2.len() == 64);
    let (dedupe, status, body, vars, urgent): (String, String, String, String, bool) =
        sms_outbox::table
            .select((
                sms_outbox::dedupe_key,
                sms_outbox::status,
                sms_outbox::body,
                sms_outbox::vars,
                sms_outbox::urgent,
            ))
            .first(&mut *app.conn())
            .unwrap();
    assert_eq!(dedupe, format!("otp:{}", row.0));
    assert_eq!(status, "sent", "sent at once, not at the next sweep");
    assert!(urgent);
    assert!(
        !body.contains(&code) && !vars.contains(&code),
        "{body} {vars}"
    );
    // a sweep afterwards sends nothing again (at most once)
    let done = paani::sms::service::deliver(&app.db, &app.config, app.clock.now(), 100).unwrap();
    assert_eq!(done.sent, 0);
    let sms_id: i64 = sms_outbox::table
        .select(sms_outbox::id)
        .first(&mut *app.conn())
        .unwrap();
    let again =
        paani::sms::service::deliver_one(&app.db, &app.config, app.clock.now(), sms_id).unwrap();
    assert_eq!(again.sent, 0, "sending it at once again finds it sent");
    assert_eq!(sms_files(&app).len(), 1);

    let res = b
        .post_form(
            "/login/code",
            &[("phone", PHONE), ("code", &code), ("next", "/account")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account");
    let (s, account) = b.get_text("/account").await;
    assert_eq!(s, StatusCode::OK, "the session works");
    assert!(account.contains(&member.username));

    // audited: asked for (number masked), used (a log-in by "otp")
    let rows: Vec<(String, Option<String>, Option<String>, String)> = audit_log::table
        .select((
            audit_log::action,
            audit_log::detail_key,
            audit_log::detail_args,
            audit_log::actor_name,
        ))
        .order(audit_log::id)
        .load(&mut *app.conn())
        .unwrap();
    let asked = rows
        .iter()
        .find(|r| r.1.as_deref() == Some("audit-detail-otp-requested"))
        .expect("request audited");
    let args = asked.2.clone().unwrap_or_default();
    assert!(
        args.contains("678") && !args.contains(PHONE),
        "masked: {args}"
    );
    assert!(!asked.3.contains(PHONE), "masked: {}", asked.3);
    let login = rows
        .iter()
        .find(|r| r.0 == "login")
        .expect("log-in audited");
    assert_eq!(login.1.as_deref(), Some("audit-detail-login-otp"));
    assert!(login.2.clone().unwrap_or_default().contains("otp"));
    assert!(
        rows.iter().all(|r| !format!("{r:?}").contains(&code)),
        "no code in the log"
    );

    // the code works once
    let other = app.browser();
    let res = other
        .post_form("/login/code", &[("phone", PHONE), ("code", &code)])
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_and_not_allowed_numbers_get_the_same_answer_and_no_sms() {
    let app = app().await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    set_phone(&app, member.id, PHONE, "en");
    // an engineer may not log in by phone (auth.phone_login_roles), and a number two
    // accounts share logs in to neither
    let engineer = app.engineer_of(&gp);
    set_phone(&app, engineer.id, "9811111111", "en");
    let secretary = app.secretary_of(&gp);
    set_phone(&app, secretary.id, "9822222222", "en");
    let other = app.add_user("other-sec", "secretary", Some(gp.lgd));
    set_phone(&app, other.id, "9822222222", "en");
    let b = app.browser();

    let answer = |page: String, number: &str| {
        let shown = format!("{} {}", &number[..5], &number[5..]);
        page.replace(number, "NUMBER").replace(&shown, "NUMBER")
    };
    let res = b.post_form("/login/phone", &[("phone", PHONE)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let known = answer(res.text().await.unwrap(), PHONE);
    nth_code(&app, 1).await;
    for number in ["9800000000", "9811111111", "9822222222"] {
        let res = b.post_form("/login/phone", &[("phone", number)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(answer(res.text().await.unwrap(), number), known, "{number}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sms_files(&app).len(),
        1,
        "only the member's number got an SMS"
    );
    assert_eq!(app.count("sms_outbox"), 1);
    assert_eq!(
        count_login_codes(&app),
        4,
        "every request counts towards the limits"
    );

    // a code for an unknown number: the same answer as a wrong one
    let res = b
        .post_form(
            "/login/code",
            &[("phone", "9800000000"), ("code", "123456")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // not a mobile number, not six digits: said beside the field
    let res = b.post_form("/login/phone", &[("phone", "12345")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b
        .post_form("/login/code", &[("phone", PHONE), ("code", "12ab")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_expired_code_does_not_log_in() {
    let app = app().await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    set_phone(&app, member.id, PHONE, "en");
    let b = app.browser();
    b.post_form("/login/phone", &[("phone", PHONE)]).await;
    let code = nth_code(&app, 1).await;
    app.clock
        .advance(chrono::Duration::minutes(5) + chrono::Duration::seconds(1));
    let res = b
        .post_form("/login/code", &[("phone", PHONE), ("code", &code)])
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("no longer works"),
        "one answer, in English here"
    );
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn five_wrong_codes_kill_it() {
    let app = app().await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    set_phone(&app, member.id, PHONE, "hi");
    let b = app.browser();
    b.post_form("/login/phone", &[("phone", PHONE)]).await;
    let code = nth_code(&app, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let res = b
            .post_form("/login/code", &[("phone", PHONE), ("code", wrong)])
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // the log-in throttle then asks to wait ...
    let res = b
        .post_form("/login/code", &[("phone", PHONE), ("code", &code)])
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().get("retry-after").is_some());
    // ... and after the wait the right code is dead all the same
    app.clock.advance(chrono::Duration::seconds(61));
    let res = b
        .post_form("/login/code", &[("phone", PHONE), ("code", &code)])
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let tries: i32 = login_codes::table
        .select(login_codes::tries)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(tries, 5);
    let failed: i64 = audit_log::table
        .filter(audit_log::detail_key.eq("audit-detail-otp-failed"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(failed, 6);
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn codes_are_limited_per_number_and_per_address() {
    let app = app_with(|c| c.auth.phone_login_codes_per_address_per_hour = 6).await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    set_phone(&app, member.id, PHONE, "en");
    let b = app.browser();
    for n in 1..=3 {
        let res = b.post_form("/login/phone", &[("phone", PHONE)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        nth_code(&app, n).await;
    }
    let res = b.post_form("/login/phone", &[("phone", PHONE)]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    // an unknown number is limited the same way
    for _ in 0..3 {
        let res = b
            .post_form("/login/phone", &[("phone", "9800000000")])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = b
        .post_form("/login/phone", &[("phone", "9800000000")])
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // the address has asked 6 times in the hour: another number must wait too
    let res = b
        .post_form("/login/phone", &[("phone", "9800000001")])
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sms_files(&app).len(), 3);
    // only the newest code works; after 15 minutes the number may ask again
    let files = sms_files(&app);
    let first: String = files[0]
        .1
        .split_once("\n\n")
        .unwrap()
        .1
        .chars()
        .take(6)
        .collect();
    let newest = nth_code(&app, 3).await;
    app.clock.advance(chrono::Duration::minutes(61));
    let res = b.post_form("/login/phone", &[("phone", PHONE)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let fourth = nth_code(&app, 4).await;
    if first != fourth {
        let res = b
            .post_form("/login/code", &[("phone", PHONE), ("code", &first)])
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "an older code is ended"
        );
    }
    let _ = newest;
    let res = b
        .post_form("/login/code", &[("phone", PHONE), ("code", &fourth)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn off_by_default() {
    let app = TestApp::spawn().await;
    assert!(!app.config.auth.phone_login);
    let b = app.browser();
    let (_, login) = b.get_text("/login").await;
    assert!(!login.contains("login-phone"));
    assert_eq!(b.get("/login/phone").await.status(), StatusCode::NOT_FOUND);
    let res = b.post_form("/login/phone", &[("phone", PHONE)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = b
        .post_form("/login/code", &[("phone", PHONE), ("code", "123456")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("login_codes"), 0);
}
