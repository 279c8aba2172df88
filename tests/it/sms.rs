//! The SMS outbox (issue 27, items 1, 2 and 8): queuing once per event, the kinds switched off,
//! quiet hours and the urgent kinds, the daily cap, retries with backoff and giving up, a
//! killed sweep's message never sent twice, DLT template matching, short links, Hindi as
//! Unicode, delivery-report callbacks, and the admin page, its API and who may see them.
//! Messages go through the real `file` transport into the test's data folder.

use crate::helpers::{get_json, location, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::config::Config;
use paani::db::schema::sms_outbox;
use paani::sms::service::{self, QueueSms, Queued};
use reqwest::StatusCode;

const SECRET: &str = "callback-secret-for-tests";

async fn app() -> TestApp {
    app_with(|_| {}).await
}

async fn app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::spawn_with(|c| {
        c.sms.file_dir = format!("{}/sms", c.storage.data_dir.trim_end_matches('/'));
        c.sms.callback_secret = paani::config::Secret::new(SECRET);
        adjust(c);
    })
    .await
}

/// 12:00 in India on 7 December 2026, as UTC.
fn noon() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(6, 30, 0)
        .unwrap()
}

fn sms(key: &str, to: &str, dedupe: &str, vars: &[(&str, &str)]) -> QueueSms {
    QueueSms {
        gp_id: None,
        to: to.into(),
        key: key.into(),
        lang: "en".into(),
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        dedupe_key: dedupe.into(),
        urgent: false,
    }
}

fn task(dedupe: &str, to: &str) -> QueueSms {
    sms(
        "task_reminder",
        to,
        dedupe,
        &[("task", "Clean the tank"), ("due_date", "09-12-2026")],
    )
}

fn queue(app: &TestApp, config: &Config, now: NaiveDateTime, m: QueueSms) -> Queued {
    let config = config.clone();
    app.db
        .write_blocking(move |c| service::queue(c, &config, now, m))
        .unwrap()
}

fn queued_id(q: Queued) -> i64 {
    match q {
        Queued::Queued(id) => id,
        other => panic!("not queued: {other:?}"),
    }
}

fn deliver(app: &TestApp, config: &Config, now: NaiveDateTime) -> service::Delivered {
    service::deliver(&app.db, config, now, 500).unwrap()
}

fn row(app: &TestApp, id: i64) -> paani::sms::model::SmsMessage {
    paani::sms::model::get(&mut app.conn(), id)
        .unwrap()
        .unwrap()
}

fn file_of(config: &Config, id: i64) -> Option<String> {
    std::fs::read_to_string(format!("{}/sms-{id}.txt", config.sms.file_dir)).ok()
}

#[tokio::test]
async fn the_same_event_is_queued_once_and_switched_off_kinds_not_at_all() {
    let app = app_with(|c| c.sms.disabled_kinds = vec!["meeting_notice".into()]).await;
    let mut config = app.config.clone();
    let id = queued_id(queue(&app, &config, noon(), task("task:1", "98123 45678")));
    assert_eq!(
        queue(&app, &config, noon(), task("task:1", "98123 45678")),
        Queued::Duplicate(id)
    );
    assert_eq!(app.count("sms_outbox"), 1);
    assert_eq!(row(&app, id).to_number, "919812345678");
    let meeting = sms(
        "meeting_notice",
        "9812345678",
        "meeting:1",
        &[("date", "1-1"), ("time", "10"), ("place", "GP")],
    );
    assert_eq!(
        queue(&app, &config, noon(), meeting.clone()),
        Queued::SwitchedOff
    );
    // a state switches its own list; a GP switches a kind off for itself
    let gp = app.gp();
    let state = gp.lgd / 1_000_000;
    config.sms.states.insert(
        state.to_string(),
        paani::config::SmsStateOverride {
            disabled_kinds: Some(vec!["task_reminder".into()]),
            household_lang: Some("en".into()),
        },
    );
    {
        let mut conn = app.db.conn().unwrap();
        assert_eq!(
            paani::sms::service::household_lang(&mut conn, &config, gp.id).unwrap(),
            "en",
            "the state's own language for households"
        );
    }
    let in_gp = |d: &str| QueueSms {
        gp_id: Some(gp.id),
        ..task(d, "9812345678")
    };
    assert_eq!(
        queue(&app, &config, noon(), in_gp("t2")),
        Queued::SwitchedOff
    );
    assert!(matches!(
        queue(
            &app,
            &config,
            noon(),
            QueueSms {
                gp_id: Some(gp.id),
                ..meeting
            }
        ),
        Queued::Queued(_)
    ));
    config.sms.states.clear();
    assert!(matches!(
        queue(&app, &config, noon(), in_gp("t3")),
        Queued::Queued(_)
    ));
    app.db
        .write_blocking(|c| paani::sms::model::set_gp_off(c, gp.id, "task_reminder", true, noon()))
        .unwrap();
    assert_eq!(
        queue(&app, &config, noon(), in_gp("t4")),
        Queued::SwitchedOff
    );
    assert_eq!(app.count("sms_outbox"), 3);
}

#[tokio::test]
async fn quiet_hours_hold_ordinary_messages_and_let_urgent_ones_go() {
    let app = app().await;
    let config = app.config.clone();
    // 22:00 in India
    let night = NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(16, 30, 0)
        .unwrap();
    app.clock.set(night);
    let ordinary = queued_id(queue(&app, &config, night, task("q:1", "9812345678")));
    let advisory = sms(
        "water_advisory",
        "9812345679",
        "q:2",
        &[("village", "Rampur"), ("advice", "E. coli found")],
    );
    let urgent = queued_id(queue(&app, &config, night, advisory));
    let d = deliver(&app, &config, night);
    assert_eq!((d.sent, d.deferred), (1, 1));
    assert_eq!(row(&app, urgent).status, "sent");
    assert!(file_of(&config, urgent).unwrap().contains("E. coli found"));
    let waiting = row(&app, ordinary);
    assert_eq!(waiting.status, "queued");
    assert_eq!(waiting.attempts, 0);
    // quiet hours end at 08:00 in India: 02:30 UTC the next day
    let morning = NaiveDate::from_ymd_opt(2026, 12, 8)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    assert_eq!(waiting.next_attempt_at, morning);
    assert_eq!(
        deliver(&app, &config, morning - Duration::minutes(1)).sent,
        0
    );
    assert!(file_of(&config, ordinary).is_none());
    assert_eq!(deliver(&app, &config, morning).sent, 1);
    assert_eq!(row(&app, ordinary).status, "sent");
    // a caller may mark one message urgent itself
    let late = NaiveDate::from_ymd_opt(2026, 12, 8)
        .unwrap()
        .and_hms_opt(17, 0, 0)
        .unwrap();
    let own = queued_id(queue(
        &app,
        &config,
        late,
        QueueSms {
            urgent: true,
            ..task("q:3", "9812345670")
        },
    ));
    assert_eq!(deliver(&app, &config, late).sent, 1);
    assert_eq!(row(&app, own).status, "sent");
}

#[tokio::test]
async fn past_the_daily_cap_messages_are_held_with_the_reason() {
    let app = app_with(|c| c.sms.daily_cap = 2).await;
    let config = app.config.clone();
    let ids: Vec<i64> = (0..3)
        .map(|i| {
            queued_id(queue(
                &app,
                &config,
                noon(),
                task(&format!("cap:{i}"), "9812345678"),
            ))
        })
        .collect();
    let otp = queued_id(queue(
        &app,
        &config,
        noon(),
        sms("otp_code", "9812345678", "otp:1", &[("code", "482913")]),
    ));
    // another number is not affected
    let other = queued_id(queue(
        &app,
        &config,
        noon(),
        task("cap:other", "9812345670"),
    ));
    let d = deliver(&app, &config, noon());
    assert_eq!((d.sent, d.held), (4, 1));
    assert_eq!(row(&app, ids[0]).status, "sent");
    assert_eq!(row(&app, ids[1]).status, "sent");
    let held = row(&app, ids[2]);
    assert_eq!(held.status, "held");
    assert!(held.last_error.unwrap().contains("daily_cap 2"));
    assert!(file_of(&config, ids[2]).is_none());
    assert_eq!(row(&app, otp).status, "sent");
    assert_eq!(row(&app, other).status, "sent");
    // the next day (India time) the number may get messages again
    let next = queued_id(queue(
        &app,
        &config,
        noon() + Duration::days(1),
        task("cap:next", "9812345678"),
    ));
    let d = deliver(&app, &config, noon() + Duration::days(1));
    assert_eq!(row(&app, next).status, "sent");
    // and what was held yesterday goes today, within today's cap
    assert_eq!((d.sent, d.held), (2, 0));
    assert_eq!(row(&app, ids[2]).status, "sent");
    assert!(file_of(&config, ids[2]).is_some());
}

#[tokio::test]
async fn failed_tries_back_off_and_are_given_up() {
    let app = app_with(|c| {
        c.sms.max_attempts = 3;
        c.sms.retry_base_seconds = 60;
    })
    .await;
    let mut config = app.config.clone();
    // the file transport's folder cannot be made: a file stands where it should be
    let blocker = format!("{}/blocked", app.config.storage.data_dir);
    std::fs::write(&blocker, b"x").unwrap();
    config.sms.file_dir = format!("{blocker}/sms");
    let t0 = noon();
    let id = queued_id(queue(&app, &config, t0, task("retry:1", "9812345678")));
    let d = deliver(&app, &config, t0);
    assert_eq!((d.sent, d.failed), (0, 1));
    let r = row(&app, id);
    assert_eq!((r.status.as_str(), r.attempts), ("queued", 1));
    assert_eq!(r.next_attempt_at, t0 + Duration::seconds(60));
    assert!(r.last_error.unwrap().contains("cannot write"));
    assert_eq!(deliver(&app, &config, t0 + Duration::seconds(59)).failed, 0);
    assert_eq!(deliver(&app, &config, t0 + Duration::seconds(60)).failed, 1);
    let r = row(&app, id);
    assert_eq!(r.attempts, 2);
    assert_eq!(r.next_attempt_at, t0 + Duration::seconds(180));
    assert_eq!(
        deliver(&app, &config, t0 + Duration::seconds(180)).failed,
        1
    );
    let r = row(&app, id);
    assert_eq!((r.status.as_str(), r.attempts), ("failed", 3));
    // given up: never tried again
    assert_eq!(deliver(&app, &config, t0 + Duration::days(1)).failed, 0);
    // a message that failed once goes at its next try when the transport works again
    let id2 = queued_id(queue(&app, &config, t0, task("retry:2", "9812345678")));
    deliver(&app, &config, t0 + Duration::days(1));
    config.sms.file_dir = app.config.sms.file_dir.clone();
    let d = deliver(&app, &config, t0 + Duration::days(2));
    assert_eq!(d.sent, 1);
    let r = row(&app, id2);
    assert_eq!((r.status.as_str(), r.attempts), ("sent", 2));
    assert_eq!(
        r.provider_id.as_deref(),
        Some(format!("file-{id2}").as_str())
    );
}

#[tokio::test]
async fn a_message_claimed_by_a_sweep_that_died_is_never_sent_again() {
    let app = app().await;
    let config = app.config.clone();
    let id = queued_id(queue(&app, &config, noon(), task("killed:1", "9812345678")));
    // a sweep claimed it (committed) and died before the provider answered
    assert!(service::claim(&app.db, &config, noon(), id).unwrap());
    // nobody else can claim it, and a sweep while the lease runs leaves it alone
    assert!(!service::claim(&app.db, &config, noon(), id).unwrap());
    let d = deliver(&app, &config, noon() + Duration::seconds(10));
    assert_eq!((d.sent, d.unknown), (0, 0));
    assert_eq!(row(&app, id).status, "sending");
    // after the lease: marked unknown for an admin, still not sent
    let later = noon() + Duration::seconds(config.sms.lease_seconds + 1);
    let d = deliver(&app, &config, later);
    assert_eq!((d.sent, d.unknown), (0, 1));
    let r = row(&app, id);
    assert_eq!(r.status, "unknown");
    assert!(r.last_error.unwrap().contains("not sent again"));
    assert!(file_of(&config, id).is_none());
    assert_eq!(deliver(&app, &config, later + Duration::days(1)).sent, 0);
    assert!(file_of(&config, id).is_none());
    // what /metrics and /healthz read
    let q = service::queue_state(&mut app.conn()).unwrap();
    assert_eq!((q.unknown, q.waiting, q.first_due), (1, 0, None));
}

#[tokio::test]
async fn only_text_matching_its_dlt_template_is_sent() {
    let app = app().await;
    let config = app.config.clone();
    let refused = |q: Queued| match q {
        Queued::Refused(id, why) => (id, why),
        other => panic!("not refused: {other:?}"),
    };
    // a variable of exactly 30 characters goes; 31 does not
    let ok = queued_id(queue(
        &app,
        &config,
        noon(),
        sms(
            "task_reminder",
            "9812345678",
            "dlt:1",
            &[("task", &"x".repeat(30)), ("due_date", "09-12-2026")],
        ),
    ));
    let (long, why) = refused(queue(
        &app,
        &config,
        noon(),
        sms(
            "task_reminder",
            "9812345678",
            "dlt:2",
            &[("task", &"x".repeat(31)), ("due_date", "09-12-2026")],
        ),
    ));
    assert!(why.contains("\"task\" has 31 characters"), "{why}");
    let (missing, why) = refused(queue(
        &app,
        &config,
        noon(),
        sms("task_reminder", "9812345678", "dlt:3", &[("task", "x")]),
    ));
    assert!(why.contains("due_date"), "{why}");
    let (_, why) = refused(queue(&app, &config, noon(), task("dlt:4", "12345")));
    assert!(why.contains("not a mobile number"), "{why}");
    let (_, why) = refused(queue(
        &app,
        &config,
        noon(),
        sms("no_such_key", "9812345678", "dlt:5", &[]),
    ));
    assert!(why.contains("no template"), "{why}");
    let (_, why) = refused(queue(
        &app,
        &config,
        noon(),
        sms(
            "task_reminder",
            "9812345678",
            "dlt:6",
            &[("task", "a\nb"), ("due_date", "1")],
        ),
    ));
    assert!(why.contains("control character"), "{why}");
    // a template changed to something that does not parse refuses its messages
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.toml");
    std::fs::write(
        &path,
        paani::sms::dlt::BUILTIN.replace("task {#var#} is due on {#var#}.", "task {#var} due"),
    )
    .unwrap();
    let mut bad = config.clone();
    bad.sms.templates_file = path.display().to_string();
    let (_, why) = refused(queue(&app, &bad, noon(), task("dlt:7", "9812345678")));
    assert!(why.contains("does not parse"), "{why}");
    deliver(&app, &config, noon());
    assert_eq!(row(&app, ok).status, "sent");
    for id in [long, missing] {
        let r = row(&app, id);
        assert_eq!((r.status.as_str(), r.attempts), ("failed", 0));
        assert!(file_of(&config, id).is_none());
    }
}

#[tokio::test]
async fn hindi_goes_as_unicode_and_links_as_short_links_to_this_server() {
    // the test server's address (http://127.0.0.1:<port>) makes a 33-character short link
    let app = app_with(|c| c.sms.variable_max_chars = 40).await;
    let config = app.config.clone();
    let receipt = |d: &str, link: &str| QueueSms {
        lang: "hi".into(),
        ..sms(
            "receipt",
            "9812345678",
            d,
            &[
                ("receipt_no", "R-2026-000123"),
                ("amount", "150.00"),
                ("balance", "0.00"),
                ("link", link),
            ],
        )
    };
    let full = format!("{}/households/12/receipts/345?print=1", app.addr);
    let id = queued_id(queue(&app, &config, noon(), receipt("link:1", &full)));
    let r = row(&app, id);
    assert!(r.unicode);
    assert!(
        r.body.starts_with("पानी: भुगतान प्राप्त, रसीद R-2026-000123"),
        "{}",
        r.body
    );
    let short = r.body.rsplit(' ').next().unwrap().to_string();
    assert!(short.starts_with(&format!("{}/s/", app.addr)), "{short}");
    deliver(&app, &config, noon());
    let file = file_of(&config, id).unwrap();
    assert!(file.contains("Unicode: true") && file.contains("DLT-Template: 1107000000000000102"));
    // the short link leads to the page, on this server
    let res = app.client.get(&short).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/households/12/receipts/345?print=1");
    // the same page gets the same token; an unknown token is not found
    let again = queued_id(queue(&app, &config, noon(), receipt("link:2", &full)));
    assert!(row(&app, again).body.ends_with(&short));
    let res = app.client.get(app.url("/s/nosuchtk")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // a link elsewhere is refused, not shortened (no open redirect)
    for elsewhere in ["https://evil.example/x", "//evil.example/x"] {
        assert!(matches!(
            queue(
                &app,
                &config,
                noon(),
                receipt(&format!("link:{elsewhere}"), elsewhere)
            ),
            Queued::Refused(..)
        ));
    }
    // English stays plain text
    let en = queued_id(queue(&app, &config, noon(), task("link:en", "9812345678")));
    assert!(!row(&app, en).unicode);
}

#[tokio::test]
async fn delivery_reports_update_the_outbox_once() {
    let app = app().await;
    let config = app.config.clone();
    let a = queued_id(queue(&app, &config, noon(), task("cb:1", "9812345678")));
    let b = queued_id(queue(&app, &config, noon(), task("cb:2", "9812345670")));
    deliver(&app, &config, noon());
    let hook = |q: &str| app.url(&format!("/hooks/sms/file/delivery?{q}"));
    let get = |u: String| {
        let c = app.client.clone();
        async move { c.get(u).send().await.unwrap().status() }
    };
    assert_eq!(
        get(hook(&format!("id=file-{a}&status=delivered"))).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(hook(&format!("secret=wrong&id=file-{a}&status=delivered"))).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(row(&app, a).status, "sent");
    let ok = format!("secret={SECRET}&id=file-{a}&status=delivered");
    assert_eq!(get(hook(&ok)).await, StatusCode::OK);
    let r = row(&app, a);
    assert_eq!(r.status, "delivered");
    assert!(r.delivered_at.is_some());
    // again, and a later failure or pending report: still delivered
    assert_eq!(get(hook(&ok)).await, StatusCode::OK);
    for s in ["failed", "pending"] {
        let q = format!("secret={SECRET}&id=file-{a}&status={s}");
        assert_eq!(get(hook(&q)).await, StatusCode::OK);
    }
    assert_eq!(row(&app, a).status, "delivered");
    // an id we never sent is ignored; a report we cannot read is a 400
    let res = app
        .client
        .get(hook(&format!(
            "secret={SECRET}&id=file-999999&status=delivered"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["updated"], 0);
    assert_eq!(
        get(hook(&format!("secret={SECRET}&id=file-{b}&status=gone"))).await,
        StatusCode::BAD_REQUEST
    );
    // the form in a POST body, the secret in a header; the report names another transport's
    // id space only for that transport
    let res = app
        .client
        .post(app.url("/hooks/sms/file/delivery"))
        .header("X-Paani-Secret", SECRET)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("id=file-{b}&status=failed&detail=DND+registered"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r = row(&app, b);
    assert_eq!(r.status, "failed");
    assert!(r.last_error.unwrap().contains("DND registered"));
    let res = app
        .client
        .post(app.url(&format!("/hooks/sms/log/delivery?secret={SECRET}")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("id=file-{a}&status=failed"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(row(&app, a).status, "delivered");
    assert_eq!(
        get(app.url(&format!("/hooks/sms/nosuch/delivery?secret={SECRET}&id=x"))).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn callbacks_are_refused_when_no_secret_is_set() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/hooks/sms/file/delivery?secret=&id=file-1&status=delivered"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_scheduler_sends_the_outbox_and_admins_see_it_per_gp_and_month() {
    let app = app().await;
    let config = app.config.clone();
    let gp = app.gp();
    let now = app.clock.now();
    let sent = queued_id(queue(
        &app,
        &config,
        now,
        QueueSms {
            gp_id: Some(gp.id),
            urgent: true,
            ..task("admin:1", "9812345678")
        },
    ));
    queue(
        &app,
        &config,
        now,
        sms("task_reminder", "9812345678", "admin:2", &[("task", "x")]),
    );
    // through the scheduler's own job
    let mailer = paani::mail::Mailer::new(&config).unwrap();
    let r = paani::jobs::run(
        &app.db,
        &config,
        &mailer,
        now,
        "cli",
        Some("sms_send"),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(r.counts["sms_send"].done, Some(1), "{:?}", r.errors);
    assert_eq!(row(&app, sent).status, "sent");
    assert!(paani::jobs::names().any(|n| n == "sms_send"));

    app.admin();
    let admin = app.login_as("admin").await;
    let (status, page) = admin.get_text("/admin/sms").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("GP {}", gp.lgd)),
        "the GP's summary row"
    );
    assert!(page.contains("•••••••••678"), "the number masked");
    assert!(!page.contains("9812345678"), "never the whole number");
    assert!(
        page.contains("1107000000000000601"),
        "the templates with their DLT ids"
    );
    assert!(
        page.contains("receipt_no, amount, balance, link"),
        "each template's variables in order"
    );
    assert!(page.contains("is missing"), "the reason a message failed");
    let month = paani::web::i18n::today_in_india(now)
        .format("%Y-%m")
        .to_string();
    let (status, page) = admin
        .get_text(&format!(
            "/admin/sms?month={month}&gp={}&status=sent",
            gp.id
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"sms-switches\""));
    assert!(!page.contains("is missing"), "the status filter");
    // switching a kind off for the GP
    let csrf = admin.csrf("/admin/sms").await;
    let gp_id = gp.id.to_string();
    let res = admin
        .post_form(
            "/admin/sms/switches",
            &[
                ("_csrf", &csrf),
                ("gp", &gp_id),
                ("key", "task_reminder"),
                ("to", "off"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(paani::sms::model::gp_switched_off(&mut app.conn(), gp.id, "task_reminder").unwrap());

    let token = app.api_token("admin").await;
    let (status, v) = get_json(&app, &token, "/api/v1/sms/messages?status=sent").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["total"], 1);
    assert_eq!(v["items"][0]["to_masked"], "•••••••••678");
    assert!(v["items"][0].get("to_number").is_none());
    let (_, v) = get_json(&app, &token, &format!("/api/v1/sms/summary?month={month}")).await;
    let mine = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["gp_id"] == gp.id)
        .unwrap();
    assert_eq!(mine["sent"], 1);
    let (_, v) = get_json(&app, &token, "/api/v1/sms/templates").await;
    assert_eq!(v.as_array().unwrap().len(), 24);

    // nobody else
    let secretary = app.secretary_of(&gp);
    let b = app.login_as(&secretary.username).await;
    assert_eq!(b.get("/admin/sms").await.status(), StatusCode::FORBIDDEN);
    let t = app.api_token(&secretary.username).await;
    assert_eq!(
        get_json(&app, &t, "/api/v1/sms/messages").await.0,
        StatusCode::FORBIDDEN
    );
    let csrf = b.csrf("/").await;
    let res = b
        .post_form(
            "/admin/sms/switches",
            &[
                ("_csrf", &csrf),
                ("gp", &gp_id),
                ("key", "receipt"),
                ("to", "off"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!paani::sms::model::gp_switched_off(&mut app.conn(), gp.id, "receipt").unwrap());
    let _ = sms_outbox::table
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap();
}
