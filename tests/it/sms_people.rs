//! Reminders and meeting notices by SMS (issue 27, item 4): each user's choice on the account
//! page (e-mail, SMS, both or neither), task reminders by SMS to those who want them, urgent
//! escalations sent in quiet hours, and a planned meeting's notices to the committee members
//! who have a phone, once. Messages go through the real `file` transport.

use crate::factories::Gp;
use crate::helpers::{location, TestApp, DEMO_PASSWORD};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::config::Config;
use paani::db::schema::{outbox, reminders, sms_outbox, users};
use reqwest::StatusCode;

async fn app() -> TestApp {
    TestApp::spawn_with(|c| {
        c.sms.file_dir = format!("{}/sms", c.storage.data_dir.trim_end_matches('/'));
        c.mail.transport = "memory".into();
    })
    .await
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

/// A user of the GP (or block) with this phone and e-mail address, made as the admin pages
/// make one.
fn person(
    app: &TestApp,
    username: &str,
    role: &str,
    place_lgd: i64,
    phone: &str,
    email: &str,
    lang: &str,
) -> paani::auth::User {
    let mut c = app.conn();
    let input = paani::auth::UserInput {
        username: username.into(),
        display_name: format!("{username} test"),
        role: role.into(),
        place_lgd_code: place_lgd.to_string(),
        phone: phone.into(),
        email: email.into(),
        lang: lang.into(),
        password: DEMO_PASSWORD.into(),
        ..Default::default()
    };
    let v = paani::auth::service::validate(&mut c, &input, None, 10)
        .unwrap()
        .expect("valid user");
    let hash = paani::auth::password::hash(DEMO_PASSWORD).unwrap();
    paani::auth::model::create(&mut c, &v, &hash, app.clock.now()).unwrap()
}

fn set_prefs(app: &TestApp, user: i64, email_pref: &str, sms_pref: &str) {
    diesel::update(users::table.find(user))
        .set((
            users::email_pref.eq(email_pref),
            users::sms_pref.eq(sms_pref),
        ))
        .execute(&mut *app.conn())
        .unwrap();
}

fn sms_pref(app: &TestApp, user: i64) -> String {
    users::table
        .find(user)
        .select(users::sms_pref)
        .first(&mut *app.conn())
        .unwrap()
}

/// One scheduler sweep at `now` with the app's configuration.
fn sweep(app: &TestApp, config: &Config, now: NaiveDateTime) -> paani::jobs::Report {
    use paani::web::i18n::I18n;
    use paani::web::render::Views;
    use std::sync::{Arc, OnceLock};
    static LOADED: OnceLock<(Arc<I18n>, Arc<Views>)> = OnceLock::new();
    let (i18n, views) = LOADED.get_or_init(|| {
        let i18n = Arc::new(I18n::load().unwrap());
        let views = Arc::new(Views::load(i18n.clone()).unwrap());
        (i18n, views)
    });
    let mailer = paani::mail::Mailer::with(config, i18n.clone(), views.clone());
    let r = paani::jobs::run(&app.db, config, &mailer, now, "cli", None, |_, _| {}).unwrap();
    assert_eq!(r.status, "ok", "{:?}", r.errors);
    r
}

/// (number, key, body, urgent, status, dedupe key) of every SMS, oldest first.
type Sms = (String, String, String, bool, String, String);

fn all_sms(app: &TestApp) -> Vec<Sms> {
    sms_outbox::table
        .order(sms_outbox::id.asc())
        .select((
            sms_outbox::to_number,
            sms_outbox::msg_key,
            sms_outbox::body,
            sms_outbox::urgent,
            sms_outbox::status,
            sms_outbox::dedupe_key,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

fn mail_to(app: &TestApp, addr: &str) -> i64 {
    outbox::table
        .filter(outbox::to_addr.eq(addr))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn files_in(config: &Config) -> usize {
    std::fs::read_dir(&config.sms.file_dir)
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_account_page_keeps_each_users_sms_choice() {
    let app = app().await;
    app.clock.set(at(2026, 12, 7, 6, 30));
    let gp = app.gp();
    // a phone and no e-mail: SMS on from the start; both: off (e-mail reaches them)
    let villager = person(&app, "phoneonly", "member", gp.lgd, "98123 00001", "", "hi");
    let clerk = person(
        &app,
        "withmail",
        "member",
        gp.lgd,
        "9812300002",
        "clerk@example.test",
        "en",
    );
    let nophone = person(&app, "nophone", "member", gp.lgd, "", "", "en");
    assert_eq!(sms_pref(&app, villager.id), "on");
    assert_eq!(sms_pref(&app, clerk.id), "off");
    assert_eq!(sms_pref(&app, nophone.id), "off");

    let b = app.login_as("phoneonly").await;
    let (s, page) = b.get_text("/account").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("action=\"/account/sms\""), "{page}");
    assert!(
        page.contains("name=\"sms_pref\" value=\"on\" checked"),
        "{page}"
    );
    assert!(page.contains("SMS से अनुस्मारक"), "in the user's language");
    // turned off through the form, with its CSRF token
    let res = b.post_form("/account/sms", &[("sms_pref", "off")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account");
    assert_eq!(sms_pref(&app, villager.id), "off");
    let (_, page) = b.get_text("/account").await;
    assert!(
        page.contains("name=\"sms_pref\" value=\"off\" checked"),
        "{page}"
    );
    // and on again
    let res = b.post_form("/account/sms", &[("sms_pref", "on")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(sms_pref(&app, villager.id), "on");
    // a value not offered: the page again with the error, nothing changed, never a 500
    let res = b.post_form("/account/sms", &[("sms_pref", "weekly")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sms_pref(&app, villager.id), "on");
    // without the CSRF token: refused
    let res = b
        .post_form_raw("/account/sms", &[("sms_pref", "off")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(sms_pref(&app, villager.id), "on");
    // someone without a phone is told why SMS cannot reach them
    let b = app.login_as("nophone").await;
    let (_, page) = b.get_text("/account").await;
    assert!(page.contains("no phone number"), "{page}");
    // the e-mail choice beside it still works
    let res = b
        .post_form("/account/reminders", &[("email_pref", "digest")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// A scheme in the GP with nothing else (no assets, no plans, no sampling points).
fn plain_scheme(app: &TestApp, gp: &Gp) -> i64 {
    let actor = app.admin();
    let mut c = app.conn();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let input = paani::schemes::SchemeInput {
        gp_lgd_code: gp.lgd.to_string(),
        name: format!("Plain {} PWS", gp.lgd),
        kind: "pws".into(),
        ..Default::default()
    };
    let v = paani::schemes::validate(&mut c, &actor, &cat, &input, today, 30)
        .unwrap()
        .unwrap();
    paani::schemes::create(&mut c, &actor, &v, app.clock.now())
        .unwrap()
        .id
}

/// A monthly plan in a scheme of the GP, its first task due on `first_due`, nobody named
/// responsible (so the GP's members are told).
fn monthly_plan(app: &TestApp, gp: &Gp, title: &str, first_due: NaiveDate) -> i64 {
    use paani::db::schema::maintenance_plans as mp;
    let scheme = plain_scheme(app, gp);
    let made = app.clock.now();
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| diesel::insert_into(mp::table)
        .values((
            mp::gp_id.eq(gp.id),
            mp::scheme_id.eq(scheme),
            mp::title.eq(title),
            mp::every_unit.eq("month"),
            mp::every_n.eq(1),
            mp::start_on.eq(first_due),
            mp::created_at.eq(made),
            mp::updated_at.eq(made),
        ))
        .returning(mp::id)
        .get_result(c))
    .unwrap()
}

#[tokio::test]
async fn task_reminders_reach_each_member_as_they_chose() {
    let app = app().await;
    let config = app.config.clone();
    app.clock.set(at(2027, 1, 1, 6, 30));
    let gp = app.gp();
    let sms_only = person(&app, "smsonly", "member", gp.lgd, "9812300001", "", "hi");
    let both = person(
        &app,
        "both",
        "member",
        gp.lgd,
        "9812300002",
        "both@example.test",
        "en",
    );
    let mail_only = person(
        &app,
        "mailonly",
        "member",
        gp.lgd,
        "9812300003",
        "mailonly@example.test",
        "en",
    );
    let neither = person(
        &app,
        "neither",
        "member",
        gp.lgd,
        "9812300004",
        "neither@example.test",
        "en",
    );
    set_prefs(&app, both.id, "immediate", "on");
    set_prefs(&app, neither.id, "off", "off");
    assert_eq!(sms_pref(&app, sms_only.id), "on");
    assert_eq!(sms_pref(&app, mail_only.id), "off");
    monthly_plan(
        &app,
        &gp,
        "Clean the overhead tank and check the float valve",
        NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
    );
    // 09:30 in India on 8 January: the task due on the 10th is due soon
    let morning = at(2027, 1, 8, 4, 0);
    let r = sweep(&app, &config, morning);
    assert_eq!(r.counts["sms_queue"].done, Some(2), "{:?}", r.counts);
    let sms = all_sms(&app);
    assert_eq!(sms.len(), 2, "{sms:?}");
    let reminder_of = |user: i64| -> i64 {
        reminders::table
            .filter(reminders::user_id.eq(user))
            .filter(reminders::rule.eq("task_due_soon"))
            .select(reminders::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (to, key, body, urgent, status, dedupe) = &sms[0];
    assert_eq!(
        (to.as_str(), key.as_str(), *urgent, status.as_str()),
        ("919812300001", "task_reminder", false, "sent")
    );
    assert_eq!(dedupe, &format!("reminder:{}", reminder_of(sms_only.id)));
    // in Hindi, the task's name cut to 30 characters at a word
    assert_eq!(
        body,
        "पानी: कार्य Clean the overhead tank and... की तिथि 10-01-2027 है।"
    );
    let (to, _, body, _, status, dedupe) = &sms[1];
    assert_eq!((to.as_str(), status.as_str()), ("919812300002", "sent"));
    assert_eq!(dedupe, &format!("reminder:{}", reminder_of(both.id)));
    assert_eq!(
        body,
        "Paani: task Clean the overhead tank and... is due on 10-01-2027."
    );
    assert_eq!(files_in(&config), 2, "sent through the file transport");
    // e-mail: 'both' and the e-mail-only member; nobody else
    assert_eq!(mail_to(&app, "both@example.test"), 1);
    assert_eq!(mail_to(&app, "mailonly@example.test"), 1);
    assert_eq!(mail_to(&app, "neither@example.test"), 0);
    assert_eq!(app.count("outbox"), 2);
    // every member still sees it in the inbox
    let raised: i64 = reminders::table
        .filter(reminders::rule.eq("task_due_soon"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(raised, 4);
    // sweeps again that day and the next: nothing more
    sweep(&app, &config, morning + chrono::Duration::hours(2));
    sweep(&app, &config, at(2027, 1, 9, 4, 0));
    assert_eq!(all_sms(&app).len(), 2);
    // turned off before the next reminder: no SMS; 'both' is told the task is overdue
    set_prefs(&app, sms_only.id, "off", "off");
    sweep(&app, &config, at(2027, 1, 13, 4, 0));
    let sms = all_sms(&app);
    let to = |n: &str| sms.iter().filter(|s| s.0 == n).count();
    assert_eq!(to("919812300001"), 1, "{sms:?}");
    assert_eq!(to("919812300002"), 2, "{sms:?}");
    assert_eq!(sms.len(), 3, "{sms:?}");
}

#[tokio::test]
async fn escalations_are_urgent_and_go_in_quiet_hours() {
    let app = app().await;
    let config = app.config.clone();
    app.clock.set(at(2026, 12, 7, 6, 30));
    let gp = app.gp();
    let sec = person(&app, "gpsec", "secretary", gp.lgd, "9812300021", "", "en");
    let scheme = plain_scheme(&app, &gp);
    let breakdown = crate::factories::add_breakdown(&app, scheme);
    let number: String = paani::db::schema::breakdowns::table
        .find(breakdown)
        .select(paani::db::schema::breakdowns::number)
        .first(&mut *app.conn())
        .unwrap();
    // 22:00 in India two days later: quiet hours, and the breakdown not acknowledged
    let night = at(2026, 12, 9, 16, 30);
    sweep(&app, &config, night);
    let sms: Vec<Sms> = all_sms(&app)
        .into_iter()
        .filter(|s| s.0 == "919812300021")
        .collect();
    assert_eq!(sms.len(), 1, "{sms:?}");
    let (_, key, body, urgent, status, dedupe) = &sms[0];
    assert_eq!((key.as_str(), *urgent), ("escalation", true));
    assert_eq!(status, "sent", "urgent: not held for the quiet hours");
    assert_eq!(
        body,
        &format!("Paani: Breakdown {number} is unresolved for 3 days and needs your action.")
    );
    let reminder: i64 = reminders::table
        .filter(reminders::user_id.eq(sec.id))
        .filter(reminders::rule.eq("breakdown_unacknowledged"))
        .select(reminders::id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(dedupe, &format!("reminder:{reminder}"));
    // again the same night: nothing new
    sweep(&app, &config, night + chrono::Duration::minutes(30));
    assert_eq!(
        all_sms(&app)
            .iter()
            .filter(|s| s.0 == "919812300021")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_planned_meeting_tells_its_members_with_phones_once() {
    let app = app().await;
    app.clock.set(at(2026, 12, 7, 6, 30));
    let gp = app.gp();
    let admin = app.admin();
    let linked = person(&app, "linkedmem", "member", gp.lgd, "", "", "en");
    app.secretary_of(&gp);
    let mut c = app.conn();
    let k = paani::committees::create(
        &mut c,
        &admin,
        &paani::committees::CommitteeInput {
            gp_id: gp.id.to_string(),
            name: "Paani Samiti".into(),
            constituted_on: "2025-01-01".into(),
            ..Default::default()
        },
        app.clock.now(),
    )
    .unwrap();
    let cfg = paani::config::Config::defaults().committees;
    let mut add = |name: &str, phone: &str, user: Option<i64>, role: &str| {
        paani::committees::add_member(
            &mut c,
            &cfg,
            &k,
            &paani::committees::MemberInput {
                name: name.into(),
                gender: "female".into(),
                social_category: "general".into(),
                role: role.into(),
                phone: phone.into(),
                term_from: "2025-01-01".into(),
                user_id: user.map(|u| u.to_string()).unwrap_or_default(),
                ..Default::default()
            },
            app.clock.now(),
        )
        .unwrap()
        .id
    };
    let with_account = add("Kamla Bai", "9812300031", Some(linked.id), "chairperson");
    let villager = add("Ramesh", "9812300032", None, "member");
    add("Sita", "", None, "member");
    drop(c);
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let plan = |held_on: &str, starts_at: &str| {
        vec![
            ("held_on".to_string(), held_on.to_string()),
            ("starts_at".to_string(), starts_at.to_string()),
            ("venue".to_string(), "Panchayat Bhawan".to_string()),
            ("agenda".to_string(), "Accounts".to_string()),
        ]
    };
    let res = b
        .post_pairs(
            &format!("/committees/{}/meetings", k.id),
            &plan("2026-12-20", "10:30"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let meeting: i64 = location(&res)
        .trim_start_matches("/meetings/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let sms = all_sms(&app);
    assert_eq!(sms.len(), 2, "members with a phone only: {sms:?}");
    let (to, key, body, urgent, status, dedupe) = &sms[0];
    assert_eq!(
        (to.as_str(), key.as_str(), *urgent, status.as_str()),
        ("919812300031", "meeting_notice", false, "queued")
    );
    assert_eq!(dedupe, &format!("meeting:{meeting}:{with_account}"));
    // the linked account's language
    assert_eq!(
        body,
        "Paani Samiti meeting on 20-12-2026 at 10:30, Panchayat Bhawan. Please attend."
    );
    // no account: the households' language (Hindi by default)
    let (to, _, body, _, _, dedupe) = &sms[1];
    assert_eq!(to, "919812300032");
    assert_eq!(dedupe, &format!("meeting:{meeting}:{villager}"));
    assert_eq!(
        body,
        "पानी समिति की बैठक 20-12-2026 को 10:30 बजे, Panchayat Bhawan में। कृपया आएँ।"
    );
    // once: queuing the same meeting's notices again makes nothing
    let config = app.config.clone();
    let m = paani::committees::meetings::find(&mut app.conn(), meeting).unwrap();
    let now = app.clock.now();
    let again = app
        .db
        .write_blocking(move |c| {
            paani::committees::meetings::service::queue_notices(c, &config, &m, now)
        })
        .unwrap();
    assert_eq!(again, 0);
    assert_eq!(all_sms(&app).len(), 2);
    // a meeting recorded after the day, or without a start time: no notice
    for (day, time) in [("2026-12-01", "10:00"), ("2026-12-21", "")] {
        let res = b
            .post_pairs(&format!("/committees/{}/meetings", k.id), &plan(day, time))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(all_sms(&app).len(), 2);
}

#[tokio::test]
async fn a_reminder_waiting_for_its_sms_is_dropped_when_the_user_turns_sms_off() {
    let app = app().await;
    let config = app.config.clone();
    app.clock.set(at(2027, 1, 1, 6, 30));
    let gp = app.gp();
    let user = person(&app, "changes", "member", gp.lgd, "9812300041", "", "en");
    monthly_plan(
        &app,
        &gp,
        "Clean the tank",
        NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
    );
    let morning = at(2027, 1, 8, 4, 0);
    // the tasks and the rule only: the reminder waits for its SMS
    let mailer = paani::mail::Mailer::new(&config).unwrap();
    for only in ["maintenance_generate", "task_due_soon"] {
        let r = paani::jobs::run(
            &app.db,
            &config,
            &mailer,
            morning,
            "cli",
            Some(only),
            |_, _| {},
        )
        .unwrap();
        assert_eq!(r.status, "ok", "{:?}", r.errors);
    }
    let state = || -> String {
        reminders::table
            .filter(reminders::user_id.eq(user.id))
            .select(reminders::sms_state)
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(state(), "pending");
    set_prefs(&app, user.id, "immediate", "off");
    sweep(&app, &config, morning);
    assert_eq!(state(), "none");
    assert!(all_sms(&app).is_empty());
}
