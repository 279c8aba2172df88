//! The scheduler: the runner and its lease, the reminder rules on a scripted calendar, no
//! duplicates under concurrent or interrupted runs, self-resolution, the inbox, e-mail digests
//! and delivery through a real SMTP server that is down and then up.

use crate::helpers::{test_config, TestApp};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::config::Config;
use paani::db::schema::{action_items, maintenance_tasks, outbox, reminders, users};
use paani::places::Level;
use std::collections::BTreeSet;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 09:30 in India on that day, as UTC.
fn morning(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(4, 0, 0).unwrap()
}

fn config_of(app: &TestApp, adjust: impl FnOnce(&mut Config)) -> Config {
    let mut c = test_config(&app.test_db.url);
    c.mail.transport = "memory".into();
    adjust(&mut c);
    c
}

/// A mailer for this configuration; the templates and messages are loaded once per process.
fn mailer(config: &Config) -> paani::mail::Mailer {
    use paani::web::i18n::I18n;
    use paani::web::render::Views;
    use std::sync::{Arc, OnceLock};
    static LOADED: OnceLock<(Arc<I18n>, Arc<Views>)> = OnceLock::new();
    let (i18n, views) = LOADED.get_or_init(|| {
        let i18n = Arc::new(I18n::load().unwrap());
        let views = Arc::new(Views::load(i18n.clone()).unwrap());
        (i18n, views)
    });
    paani::mail::Mailer::with(config, i18n.clone(), views.clone())
}

fn sweep(app: &TestApp, config: &Config, now: NaiveDateTime) -> paani::jobs::Report {
    let mailer = mailer(config);
    let r = paani::jobs::run(&app.db, config, &mailer, now, "cli", None, |_, _| {}).unwrap();
    assert_eq!(r.status, "ok", "{:?}", r.errors);
    r
}

fn raised(r: &paani::jobs::Report) -> usize {
    r.counts.values().filter_map(|c| c.raised).sum()
}

/// (rule, subject id, username, raised on, resolved on) of every reminder.
type Row = (String, i64, String, NaiveDate, Option<NaiveDate>);

fn all_reminders(app: &TestApp) -> BTreeSet<Row> {
    let rows: Vec<(String, i64, String, NaiveDateTime, Option<NaiveDateTime>)> = reminders::table
        .inner_join(users::table.on(users::id.eq(reminders::user_id)))
        .select((
            reminders::rule,
            reminders::subject_id,
            users::username,
            reminders::created_at,
            reminders::resolved_at,
        ))
        .load(&mut *app.conn())
        .unwrap();
    let india = |t: NaiveDateTime| paani::web::i18n::today_in_india(t);
    rows.into_iter()
        .map(|(r, s, u, c, x)| (r, s, u, india(c), x.map(india)))
        .collect()
}

/// A GP of its own with a secretary, a member, the block's engineer and the district's
/// officer (all with e-mail), a scheme with one old pump and a monthly plan the member is
/// responsible for; a committee formed on 1 December 2026 with the member linked to their
/// account, a meeting held on 15 January 2027 and an action item for the member due on
/// 15 February. Returns (task plan id, asset id, action item id, gp id).
fn fixture(app: &TestApp) -> (i64, i64, i64, i64) {
    app.add_place(Level::State, 29, "Karnataka", None);
    app.add_place(Level::District, 2901, "Cal District", Some(29));
    app.add_place(Level::Block, 290101, "Cal Block", Some(2901));
    let gp = app.add_place(Level::Gp, 29010101, "Cal GP", Some(290101));
    app.add_place(Level::Village, 2901010101, "Cal Village", Some(29010101));
    let sec = app.add_user("calsec", "secretary", Some(29010101));
    let mem = app.add_user("calmem", "member", Some(29010101));
    app.add_user("caleng", "block_engineer", Some(290101));
    app.add_user("caloff", "district_officer", Some(2901));
    // an admin of everything, who is told nothing by these rules
    app.add_user("caladmin", "admin", None);
    for u in ["calsec", "calmem", "caleng", "caloff"] {
        diesel::update(users::table.filter(users::username.eq(u)))
            .set(users::email.eq(format!("{u}@example.test")))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let mut c = app.conn();
    let actor = paani::auth::model::actor_for(&mut c, sec.clone(), None, None).unwrap();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let made = day(2026, 12, 20).and_hms_opt(6, 0, 0).unwrap();
    let today = day(2026, 12, 20);
    let v = paani::schemes::validate(
        &mut c,
        &actor,
        &cat,
        &paani::schemes::SchemeInput {
            gp_lgd_code: "29010101".into(),
            name: "Cal PWS".into(),
            kind: "pws".into(),
            commissioned_on: "2012-06-01".into(),
            ..Default::default()
        },
        today,
        30,
    )
    .unwrap()
    .unwrap();
    let s = paani::schemes::create(&mut c, &actor, &v, made).unwrap();
    let av = paani::schemes::assets::validate(
        &cat,
        &paani::schemes::assets::AssetInput {
            kind: "pump".into(),
            name: "Old pump".into(),
            installed_on: "2012-06-01".into(),
            expected_life_years: "15".into(),
            ..Default::default()
        },
        paani::config::Config::defaults().money,
        today,
    )
    .unwrap();
    let asset = paani::schemes::assets::create(&mut c, &s, &av, None, made).unwrap();
    use paani::db::schema::maintenance_plans as mp;
    let plan: i64 = paani::on_backend!(&mut *c, |c| diesel::insert_into(mp::table)
        .values((
            mp::gp_id.eq(gp.id),
            mp::scheme_id.eq(s.id),
            mp::asset_id.eq(Some(asset.id)),
            mp::title.eq("Grease the pump"),
            mp::every_unit.eq("month"),
            mp::every_n.eq(1),
            mp::start_on.eq(day(2027, 1, 10)),
            mp::responsible_user_id.eq(Some(mem.id)),
            mp::created_at.eq(made),
            mp::updated_at.eq(made),
        ))
        .returning(mp::id)
        .get_result(c))
    .unwrap();
    // the committee, its meeting and the action item
    let cfg = paani::config::Config::defaults().committees;
    let k = paani::committees::create(
        &mut c,
        &actor,
        &paani::committees::CommitteeInput {
            gp_id: gp.id.to_string(),
            name: "Cal Paani Samiti".into(),
            constituted_on: "2026-12-01".into(),
            ..Default::default()
        },
        made,
    )
    .unwrap();
    let member = paani::committees::add_member(
        &mut c,
        &cfg,
        &k,
        &paani::committees::MemberInput {
            name: "Cal Member".into(),
            gender: "female".into(),
            social_category: "general".into(),
            term_from: "2026-12-01".into(),
            user_id: mem.id.to_string(),
            ..Default::default()
        },
        made,
    )
    .unwrap();
    let m = paani::committees::meetings::create(
        &mut c,
        &actor,
        &k,
        &paani::committees::meetings::MeetingInput {
            held_on: "2027-01-15".into(),
            agenda: "Accounts".into(),
            ..Default::default()
        },
        made,
    )
    .unwrap();
    let serving = paani::committees::meetings::serving_on(&mut c, &m).unwrap();
    let m = paani::committees::meetings::record_attendance(
        &mut c,
        &m,
        &serving,
        &paani::committees::meetings::AttendanceInput {
            present: vec![member.id.to_string()],
            ..Default::default()
        },
        made,
    )
    .unwrap();
    let item = paani::committees::actions::create(
        &mut c,
        &actor,
        &m,
        &paani::committees::actions::ActionInput {
            description: "Buy chlorine".into(),
            owner_member_id: member.id.to_string(),
            due_on: "2027-02-15".into(),
            ..Default::default()
        },
        made,
    )
    .unwrap();
    (plan, asset.id, item.id, gp.id)
}

fn task_of(app: &TestApp, plan: i64, due: NaiveDate) -> i64 {
    maintenance_tasks::table
        .filter(maintenance_tasks::plan_id.eq(plan))
        .filter(maintenance_tasks::due_on.eq(due))
        .select(maintenance_tasks::id)
        .first(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn a_scripted_calendar_raises_exactly_the_expected_reminders() {
    let app = TestApp::spawn().await;
    let (plan, asset, item, gp) = fixture(&app);
    let config = config_of(&app, |_| {});
    let start = day(2027, 1, 1);
    let end = day(2027, 3, 31);
    let mut d = start;
    while d <= end {
        // what the people did that day, before the morning's sweep
        if d == day(2027, 1, 20) {
            let t = task_of(&app, plan, day(2027, 1, 10));
            diesel::update(maintenance_tasks::table.find(t))
                .set((
                    maintenance_tasks::state.eq("done"),
                    maintenance_tasks::done_on.eq(d),
                ))
                .execute(&mut *app.conn())
                .unwrap();
        }
        if d == day(2027, 3, 10) {
            let t = task_of(&app, plan, day(2027, 3, 10));
            diesel::update(maintenance_tasks::table.find(t))
                .set((
                    maintenance_tasks::state.eq("done"),
                    maintenance_tasks::done_on.eq(d),
                ))
                .execute(&mut *app.conn())
                .unwrap();
        }
        if d == day(2027, 2, 20) {
            diesel::update(action_items::table.find(item))
                .set((
                    action_items::status.eq("done"),
                    action_items::closed_on.eq(d),
                ))
                .execute(&mut *app.conn())
                .unwrap();
        }
        sweep(&app, &config, morning(d));
        // the same sweep again raises nothing
        let again = sweep(&app, &config, morning(d));
        assert_eq!(raised(&again), 0, "second sweep on {d}: {:?}", again.counts);
        d += Duration::days(1);
    }
    let (jan, feb, mar) = (
        task_of(&app, plan, day(2027, 1, 10)),
        task_of(&app, plan, day(2027, 2, 10)),
        task_of(&app, plan, day(2027, 3, 10)),
    );
    let row = |rule: &str, subject: i64, user: &str, on: NaiveDate, resolved: Option<NaiveDate>| {
        (rule.to_string(), subject, user.to_string(), on, resolved)
    };
    let expected: BTreeSet<Row> = [
        // due soon: two days ahead, to the responsible member; it clears when the task is done
        // or overdue (grace 2 days: the 13th)
        row(
            "task_due_soon",
            jan,
            "calmem",
            day(2027, 1, 8),
            Some(day(2027, 1, 13)),
        ),
        row(
            "task_due_soon",
            feb,
            "calmem",
            day(2027, 2, 8),
            Some(day(2027, 2, 13)),
        ),
        row(
            "task_due_soon",
            mar,
            "calmem",
            day(2027, 3, 8),
            Some(day(2027, 3, 10)),
        ),
        // overdue after the grace days, to member and secretary, until done
        row(
            "task_overdue",
            jan,
            "calmem",
            day(2027, 1, 13),
            Some(day(2027, 1, 20)),
        ),
        row(
            "task_overdue",
            jan,
            "calsec",
            day(2027, 1, 13),
            Some(day(2027, 1, 20)),
        ),
        row("task_overdue", feb, "calmem", day(2027, 2, 13), None),
        row("task_overdue", feb, "calsec", day(2027, 2, 13), None),
        // 14 days more and the engineer hears of it
        row(
            "task_overdue_engineer",
            feb,
            "caleng",
            day(2027, 2, 27),
            None,
        ),
        // the pump's 15 years end on 1 June 2027: 12 months ahead from the first day, and
        // 3 months ahead (1 March, when the later reminder takes over) to the engineer too
        row(
            "asset_life_early",
            asset,
            "calsec",
            day(2027, 1, 1),
            Some(day(2027, 3, 1)),
        ),
        row("asset_life_late", asset, "calsec", day(2027, 3, 1), None),
        row("asset_life_late", asset, "caleng", day(2027, 3, 1), None),
        // the action item: three days ahead to its owner, then overdue to owner and secretary
        // until it is done on 20 February
        row(
            "action_due_soon",
            item,
            "calmem",
            day(2027, 2, 12),
            Some(day(2027, 2, 16)),
        ),
        row(
            "action_overdue",
            item,
            "calmem",
            day(2027, 2, 16),
            Some(day(2027, 2, 20)),
        ),
        row(
            "action_overdue",
            item,
            "calsec",
            day(2027, 2, 16),
            Some(day(2027, 2, 20)),
        ),
        // meetings: December had none (committee formed on the 1st), January's was held on
        // the 15th, February had none; from the 20th this month's is due
        row("meeting_missed", gp, "calsec", day(2027, 1, 1), None),
        row("meeting_missed", gp, "caleng", day(2027, 1, 1), None),
        row("meeting_due", gp, "calsec", day(2027, 2, 20), None),
        row("meeting_missed", gp, "calsec", day(2027, 3, 1), None),
        row("meeting_missed", gp, "caleng", day(2027, 3, 1), None),
        row("meeting_due", gp, "calsec", day(2027, 3, 20), None),
    ]
    .into_iter()
    .collect();
    let got = all_reminders(&app);
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
}

#[tokio::test]
async fn concurrent_and_interrupted_sweeps_raise_each_reminder_once() {
    // clean: one full sweep on its own database
    let clean = TestApp::with_demo().await;
    paani::demo::seed_history(&clean.db, &clean.clock).unwrap();
    let at = clean.clock.now() + Duration::days(40);
    let config = config_of(&clean, |_| {});
    sweep(&clean, &config, at);
    let want = keys(&clean);
    assert!(
        want.len() > 20,
        "the demo data raises reminders: {}",
        want.len()
    );

    // the same data, with two runners at once bypassing the lease, and a run that stopped
    // after half of its jobs (each job commits alone) followed by a full one
    let app = TestApp::with_demo().await;
    paani::demo::seed_history(&app.db, &app.clock).unwrap();
    let config2 = config_of(&app, |_| {});
    let mailer = mailer(&config2);
    let today = paani::web::i18n::today_in_india(at);
    // task generation first, as the full sweep does
    paani::jobs::run(
        &app.db,
        &config2,
        &mailer,
        at,
        "cli",
        Some("maintenance_generate"),
        |_, _| {},
    )
    .unwrap();
    let half: Vec<&str> = paani::reminders::rules::NAMES[..6].to_vec();
    std::thread::scope(|s| {
        for _ in 0..2 {
            let (db, cfg) = (app.db.clone(), config2.clone());
            let half = half.clone();
            s.spawn(move || {
                for rule in paani::reminders::rules::all(
                    &cfg.reminders,
                    &cfg.maintenance,
                    &cfg.water_quality.incidents,
                    3,
                    today,
                    at,
                ) {
                    if half.contains(&rule.name) {
                        db.write_blocking(|c| paani::reminders::rules::apply(c, &rule, at))
                            .unwrap();
                    }
                }
            });
        }
    });
    // a rule whose transaction fails half-way leaves nothing behind
    let rule = paani::reminders::rules::all(
        &config2.reminders,
        &config2.maintenance,
        &config2.water_quality.incidents,
        3,
        today,
        at,
    )
    .into_iter()
    .find(|r| r.name == "task_overdue_engineer")
    .unwrap();
    let before = app.count("reminders");
    let r: Result<(), paani::error::AppError> = app.db.write_blocking(|c| {
        paani::reminders::rules::apply(c, &rule, at)?;
        Err(paani::error::AppError::Internal("crash".into()))
    });
    assert!(r.is_err());
    assert_eq!(app.count("reminders"), before, "rolled back");
    sweep(&app, &config2, at);
    assert_eq!(keys(&app), want, "same reminders as one clean run");
}

fn keys(app: &TestApp) -> BTreeSet<(String, String)> {
    reminders::table
        .inner_join(users::table.on(users::id.eq(reminders::user_id)))
        .select((users::username, reminders::dedupe_key))
        .load::<(String, String)>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test]
async fn the_lease_lets_one_runner_at_a_time() {
    let app = TestApp::spawn().await;
    let mut c = app.conn();
    assert!(paani::jobs::take_lease(&mut c, "a", 600).unwrap());
    assert!(
        !paani::jobs::take_lease(&mut c, "b", 600).unwrap(),
        "a holds it"
    );
    assert!(
        paani::jobs::take_lease(&mut c, "a", 600).unwrap(),
        "a renews"
    );
    // a sweep while another holds the lease does nothing and says so
    let config = config_of(&app, |_| {});
    let mailer = mailer(&config);
    let r = paani::jobs::run(
        &app.db,
        &config,
        &mailer,
        app.clock.now(),
        "cli",
        None,
        |_, _| {},
    )
    .unwrap();
    assert_eq!(r.status, "busy");
    assert!(r.counts.is_empty());
    // a crashed holder's lease expires
    assert!(paani::jobs::take_lease(&mut c, "a", -1).unwrap());
    assert!(
        paani::jobs::take_lease(&mut c, "b", 600).unwrap(),
        "expired: b takes over"
    );
    paani::jobs::release_lease(&mut c, "b").unwrap();
    drop(c);
    let r = sweep(&app, &config, app.clock.now());
    assert!(r.counts.contains_key("maintenance_generate"));
    // runs are recorded, newest first, with what each job did
    let runs = paani::jobs::recent_runs(&mut app.conn(), 10).unwrap();
    assert_eq!(runs[0].status, "ok");
    assert_eq!(runs[1].status, "busy");
    assert!(
        runs[0].counts.contains("task_overdue"),
        "{}",
        runs[0].counts
    );
    assert!(runs[0].finished_at.is_some());
}

#[tokio::test]
async fn a_failing_rule_does_not_stop_the_others() {
    let app = TestApp::spawn().await;
    let (plan, ..) = fixture(&app);
    let config = config_of(&app, |_| {});
    // tasks from 1 January on
    sweep(&app, &config, morning(day(2027, 1, 1)));
    // one rule fails: a table it reads is gone
    let drop = match app.test_db.backend() {
        paani::db::Backend::Postgres => "DROP TABLE payments CASCADE",
        paani::db::Backend::Sqlite => "DROP TABLE payments",
    };
    diesel::sql_query(drop).execute(&mut *app.conn()).unwrap();
    let mailer = mailer(&config);
    let r = paani::jobs::run(
        &app.db,
        &config,
        &mailer,
        morning(day(2027, 1, 14)),
        "cli",
        None,
        |_, _| {},
    )
    .unwrap();
    assert_eq!(r.status, "failed");
    assert_eq!(
        r.errors.keys().collect::<Vec<_>>(),
        ["dashboards_refresh", "defaulters_ready", "no_collection"],
        "the two rules and the dashboards' job that read payments fail: {:?}",
        r.errors
    );
    assert_eq!(r.counts["task_overdue"].raised, Some(2), "{:?}", r.counts);
    let _ = plan;
    let runs = paani::jobs::recent_runs(&mut app.conn(), 1).unwrap();
    assert!(runs[0].errors.contains("no_collection"));
}

#[tokio::test]
async fn the_inbox_shows_unread_reminders_until_they_clear() {
    let app = TestApp::spawn().await;
    let (plan, ..) = fixture(&app);
    let config = config_of(&app, |_| {});
    // tasks are generated from the first sweep's day on
    sweep(&app, &config, morning(day(2027, 1, 1)));
    sweep(&app, &config, morning(day(2027, 1, 14)));
    let b = app.login_as("calmem").await;
    let (s, page) = b.get_text("/inbox").await;
    assert_eq!(s, reqwest::StatusCode::OK);
    assert!(
        page.contains("Grease the pump was due on 10-01-2027"),
        "{page}"
    );
    assert!(
        page.contains("class=\"count\">1<"),
        "the bell shows 1 unread"
    );
    // the API lists the same, in the caller's language, and marks read
    let token = app.api_token("calmem").await;
    let list: serde_json::Value = app
        .client
        .get(app.url("/api/v1/reminders?area=maintenance"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "{list}");
    let id = list["items"][0]["id"].as_i64().unwrap();
    assert_eq!(list["items"][0]["area"], "maintenance");
    // someone else's reminder is not found
    let other = app.api_token("calsec").await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/reminders/{id}/read")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND);
    let r = app
        .client
        .post(app.url(&format!("/api/v1/reminders/{id}/read")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let (_, page) = b.get_text("/inbox?unread=true").await;
    assert!(
        !page.contains("Grease the pump"),
        "read ones leave the unread filter"
    );
    // done: the next sweep resolves it and it leaves the inbox
    let t = task_of(&app, plan, day(2027, 1, 10));
    diesel::update(maintenance_tasks::table.find(t))
        .set(maintenance_tasks::state.eq("done"))
        .execute(&mut *app.conn())
        .unwrap();
    let r = sweep(&app, &config, morning(day(2027, 1, 15)));
    assert_eq!(r.counts["task_overdue"].resolved, Some(2));
    let (_, page) = b.get_text("/inbox").await;
    assert!(!page.contains("Grease the pump"), "{page}");
}

#[tokio::test]
async fn digests_group_a_day_of_reminders_into_one_message() {
    let app = TestApp::spawn().await;
    fixture(&app);
    diesel::update(users::table.filter(users::username.eq("calsec")))
        .set(users::email_pref.eq("digest"))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(users::table.filter(users::username.eq("calmem")))
        .set(users::email_pref.eq("off"))
        .execute(&mut *app.conn())
        .unwrap();
    let config = config_of(&app, |c| c.mail.digest_hour = 11);
    // 09:30 in India: before the digest hour, nothing goes to the secretary yet
    sweep(&app, &config, morning(day(2027, 1, 1)));
    sweep(&app, &config, morning(day(2027, 1, 14)));
    let sec_mail = || {
        outbox::table
            .filter(outbox::to_addr.eq("calsec@example.test"))
            .select((outbox::kind, outbox::body_text, outbox::message_id))
            .load::<(String, String, String)>(&mut *app.conn())
            .unwrap()
    };
    assert!(sec_mail().is_empty());
    assert_eq!(
        outbox::table
            .filter(outbox::to_addr.eq("calmem@example.test"))
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        0,
        "the member turned e-mail off"
    );
    // 12:30 in India: one digest with the day's reminders (task overdue, meeting missed,
    // the pump's life), and a second sweep that day adds none
    sweep(
        &app,
        &config,
        morning(day(2027, 1, 14)) + Duration::hours(3),
    );
    sweep(
        &app,
        &config,
        morning(day(2027, 1, 14)) + Duration::hours(5),
    );
    let mails = sec_mail();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (kind, text, message_id) = &mails[0];
    assert_eq!(kind, "digest");
    assert!(
        text.contains("Grease the pump was due on 10-01-2027"),
        "{text}"
    );
    assert!(text.contains("Old pump reaches the end"), "{text}");
    assert!(text.contains("last month's Paani Samiti meeting"), "{text}");
    let sent = paani::mail::memory_sent();
    assert_eq!(
        sent.iter().filter(|m| &m.message_id == message_id).count(),
        1,
        "delivered once"
    );
    // the engineer wants each at once: one message per reminder
    let eng: i64 = outbox::table
        .filter(outbox::to_addr.eq("caleng@example.test"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    let eng_reminders: i64 = reminders::table
        .inner_join(users::table.on(users::id.eq(reminders::user_id)))
        .filter(users::username.eq("caleng"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert!(eng > 0);
    assert_eq!(eng, eng_reminders);
}

/// A real SMTP server in this process, counting what it receives by Message-ID.
#[derive(Clone, Default)]
struct Catcher {
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    current: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl mailin_embedded::Handler for Catcher {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> mailin_embedded::Response {
        self.current.lock().unwrap().clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.lock().unwrap().extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let text = String::from_utf8_lossy(&self.current.lock().unwrap()).into_owned();
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID: "))
            .unwrap_or_default()
            .to_string();
        self.seen.lock().unwrap().push(id);
        mailin_embedded::response::OK
    }
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_goes_once_it_is_up() {
    let app = TestApp::spawn().await;
    fixture(&app);
    // a free port, with nothing listening on it yet
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = config_of(&app, |c| {
        c.mail.transport = "smtp".into();
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.smtp_security = "none".into();
        c.mail.smtp_timeout_seconds = 5;
        c.mail.retry_base_seconds = 600;
    });
    let t0 = morning(day(2027, 1, 14));
    let r = sweep(&app, &config, t0);
    let queued = r.counts["mail_queue"].done.unwrap();
    assert!(queued >= 3, "{:?}", r.counts);
    assert_eq!(
        r.counts["mail_send"].failed,
        Some(queued),
        "the server is down"
    );
    let waiting: Vec<(i32, NaiveDateTime, Option<String>)> = outbox::table
        .select((
            outbox::attempts,
            outbox::next_attempt_at,
            outbox::last_error,
        ))
        .load(&mut *app.conn())
        .unwrap();
    for (attempts, next, error) in &waiting {
        assert_eq!(*attempts, 1);
        assert_eq!(
            *next,
            t0 + Duration::seconds(600),
            "first retry after the base wait"
        );
        assert!(error.as_deref().is_some_and(|e| !e.is_empty()));
    }
    // before the retry is due nothing is tried
    let r = sweep(&app, &config, t0 + Duration::seconds(300));
    assert_eq!(r.counts["mail_send"].done, Some(0));
    assert_eq!(r.counts["mail_send"].failed, Some(0));
    // the server comes up
    let catcher = Catcher::default();
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let mut server = mailin_embedded::Server::new(catcher.clone());
    server
        .with_name("test.local")
        .with_ssl(mailin_embedded::SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    let r = sweep(&app, &config, t0 + Duration::seconds(601));
    assert_eq!(r.counts["mail_send"].done, Some(queued), "{:?}", r.counts);
    // and later sweeps send nothing again
    sweep(&app, &config, t0 + Duration::hours(2));
    let seen = catcher.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), queued, "{seen:?}");
    let ids: BTreeSet<String> = outbox::table
        .select(outbox::message_id)
        .load::<String>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .collect();
    let got: BTreeSet<String> = seen.into_iter().collect();
    assert_eq!(got, ids, "each message once, with its own Message-ID");
}

#[tokio::test]
async fn mail_is_given_up_after_the_last_try_and_shown_to_admins() {
    let app = TestApp::spawn().await;
    fixture(&app);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = config_of(&app, |c| {
        c.mail.transport = "smtp".into();
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.smtp_security = "none".into();
        c.mail.max_attempts = 2;
        c.mail.retry_base_seconds = 60;
    });
    let t0 = morning(day(2027, 1, 14));
    sweep(&app, &config, t0);
    sweep(&app, &config, t0 + Duration::seconds(61));
    let failed: i64 = outbox::table
        .filter(outbox::failed_at.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert!(failed >= 3);
    assert_eq!(
        failed,
        app.count("outbox"),
        "every message given up after 2 tries"
    );
    app.add_user("jobsadmin", "admin", None);
    let b = app.login_as("jobsadmin").await;
    let (s, page) = b.get_text("/admin/jobs").await;
    assert_eq!(s, reqwest::StatusCode::OK);
    assert!(page.contains("id=\"mail-failed\""), "{page}");
    let m = app.login_as("calmem").await;
    let (s, _) = m.get_text("/admin/jobs").await;
    assert_eq!(s, reqwest::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_demo_data_over_three_months_keeps_every_invariant() {
    let app = TestApp::with_demo().await;
    paani::demo::seed_history(&app.db, &app.clock).unwrap();
    paani::demo::seed_breakdowns(&app.db, &app.clock, &paani::config::Config::defaults()).unwrap();
    paani::demo::seed_committees(&app.db, &app.clock).unwrap();
    paani::demo::seed_meetings(&app.db, &app.clock).unwrap();
    let config = config_of(&app, |_| {});
    let start = paani::web::i18n::today_in_india(app.clock.now());
    let mut total = 0;
    for n in 0..92 {
        let d = start + Duration::days(n);
        let r = sweep(&app, &config, morning(d));
        total += raised(&r);
        let again = sweep(&app, &config, morning(d));
        assert_eq!(raised(&again), 0, "day {d}: {:?}", again.counts);
        // an open task reminder is never about a task that is not open
        let stale: i64 = reminders::table
            .filter(reminders::subject_kind.eq("task"))
            .filter(reminders::resolved_at.is_null())
            .filter(
                reminders::subject_id.eq_any(
                    maintenance_tasks::table
                        .filter(maintenance_tasks::state.ne("open"))
                        .select(maintenance_tasks::id),
                ),
            )
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert_eq!(stale, 0, "day {d}");
    }
    assert!(total > 50, "three months raise reminders: {total}");
    assert_eq!(app.count("reminders") as usize, total, "each raised once");
}

/// `paani jobs run` killed (SIGKILL) part-way through, then run again once its lease has
/// expired, ends with the same reminders as one clean run.
#[tokio::test]
async fn a_sweep_killed_part_way_and_run_again_equals_a_clean_one() {
    use chrono::Timelike;
    let at = (paani::clock::Clock::system().now() + Duration::days(40))
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap();
    let clean = TestApp::with_demo().await;
    paani::demo::seed_history(&clean.db, &clean.clock).unwrap();
    sweep(&clean, &config_of(&clean, |_| {}), at);
    let want = keys(&clean);

    let app = TestApp::with_demo().await;
    paani::demo::seed_history(&app.db, &app.clock).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args(["jobs", "run", "--database", &app.test_db.url, "--at"])
        .arg(at.format("%Y-%m-%dT%H:%M").to_string())
        .env("PAANI__JOBS__LEASE_SECONDS", "2")
        .env("PAANI__MAIL__TRANSPORT", "memory")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // let it start and get some way; kill it wherever it is (a loaded machine may take many
    // seconds to start the process, so wait up to a minute for its run to appear)
    let mut waited = 0;
    while waited < 60_000 && app.count("job_runs") == 0 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        waited += 20;
    }
    assert!(
        app.count("job_runs") > 0,
        "the runner never started its run"
    );
    std::thread::sleep(std::time::Duration::from_millis(60));
    let _ = child.kill();
    let _ = child.wait();
    // its lease (2 s) runs out; then a runner takes over and finishes the work
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let r = sweep(&app, &config_of(&app, |_| {}), at);
    assert_eq!(r.status, "ok");
    assert_eq!(keys(&app), want, "the same reminders as one clean run");
    // the killed run is not left running: abandoned, with when (or done, had it finished)
    let runs = paani::jobs::recent_runs(&mut app.conn(), 10).unwrap();
    let killed = runs.last().unwrap();
    assert_ne!(killed.id, r.run_id);
    match killed.status.as_str() {
        "abandoned" => assert!(killed.abandoned_at.is_some()),
        "ok" => println!("the run finished before it was killed"),
        other => panic!("the killed run is {other}"),
    }
}

/// A GP set to automatic gets its month's demands raised by the sweep from the configured
/// day; one left to its secretary is reminded instead, until the demands are raised.
#[tokio::test]
async fn automatic_demands_are_raised_and_manual_ones_reminded() {
    use paani::db::schema::{demand_runs, tariff_plans as tp, tariff_rates as tr};
    let app = TestApp::spawn().await;
    let (_, _, _, gp) = fixture(&app);
    let made = day(2026, 12, 20).and_hms_opt(6, 0, 0).unwrap();
    {
        let mut c = app.conn();
        let plan: i64 = paani::on_backend!(&mut *c, |c| diesel::insert_into(tp::table)
            .values((
                tp::gp_id.eq(gp),
                tp::effective_from.eq(day(2026, 12, 1)),
                tp::connection_charge_paise.eq(0_i64),
                tp::created_at.eq(made),
            ))
            .returning(tp::id)
            .get_result(c))
        .unwrap();
        diesel::insert_into(tr::table)
            .values((
                tr::plan_id.eq(plan),
                tr::category.eq("general"),
                tr::monthly_paise.eq(5000_i64),
            ))
            .execute(&mut *c)
            .unwrap();
        let admin = app.add_user("caladm2", "admin", None);
        let actor = paani::auth::model::actor_for(&mut c, admin, None, None).unwrap();
        let village = app.place_id(Level::Village, 2901010101);
        paani::billing::create(
            &mut c,
            &actor,
            &paani::config::Config::defaults().billing.categories,
            &paani::billing::HouseholdInput {
                village_id: village.to_string(),
                connection_no: "C-1".into(),
                head_name: "Cal Head".into(),
                category: "general".into(),
                connected_on: "2026-06-01".into(),
                ..Default::default()
            },
            made,
        )
        .unwrap();
    }
    let config = config_of(&app, |_| {});
    let runs = || -> i64 {
        demand_runs::table
            .filter(demand_runs::gp_id.eq(gp))
            .filter(demand_runs::month.eq(day(2027, 1, 1)))
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    // by hand: on the 5th the secretary is reminded; raising the demands clears it
    sweep(&app, &config, morning(day(2027, 1, 4)));
    assert!(!all_reminders(&app)
        .iter()
        .any(|r| r.0 == "demands_not_raised"));
    sweep(&app, &config, morning(day(2027, 1, 5)));
    assert_eq!(runs(), 0);
    let reminded: Vec<Row> = all_reminders(&app)
        .into_iter()
        .filter(|r| r.0 == "demands_not_raised")
        .collect();
    assert_eq!(reminded.len(), 1, "{reminded:?}");
    assert_eq!(reminded[0].2, "calsec");
    // automatic: the next sweep raises them, and the reminder resolves
    paani::billing::demands::set_auto(&mut app.conn(), gp, true, None, made).unwrap();
    let r = sweep(&app, &config, morning(day(2027, 1, 6)));
    assert_eq!(
        r.counts["demands_automatic"].done,
        Some(1),
        "{:?}",
        r.counts
    );
    assert_eq!(runs(), 1);
    assert_eq!(r.counts["demands_not_raised"].resolved, Some(1));
    // once raised (or cancelled on purpose), never again that month
    let r = sweep(&app, &config, morning(day(2027, 1, 7)));
    assert_eq!(r.counts["demands_automatic"].done, Some(0));
    assert_eq!(runs(), 1);
}

/// Once a month the secretary hears that the defaulters list is ready, with the number of
/// households on it (the same count as the defaulters page); it is worked out once a day.
#[tokio::test]
async fn the_defaulters_list_is_announced_once_a_month() {
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    let config = config_of(&app, |_| {});
    let now = app.clock.now();
    let today = paani::web::i18n::today_in_india(now);
    let month_start = chrono::Datelike::with_day(&today, 1).unwrap();
    let gp = app.place_id(Level::Gp, 23010101);
    let expected = paani::billing::ledger::defaulters(
        &mut app.conn(),
        &[gp],
        month_start - Duration::days(1),
        config.billing.defaulter_months,
        1_000_000,
        paani::web::i18n::Lang::En,
    )
    .unwrap()
    .len();
    assert!(expected > 0, "the demo has defaulters");
    let r = sweep(&app, &config, now);
    assert!(r.counts["defaulters_ready"].raised.unwrap() >= 1);
    let label: String = reminders::table
        .inner_join(users::table.on(users::id.eq(reminders::user_id)))
        .filter(users::username.eq("secretary"))
        .filter(reminders::rule.eq("defaulters_ready"))
        .select(reminders::label)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(label, expected.to_string());
    // later the same day it is not worked out again
    let r = sweep(&app, &config, now + Duration::minutes(5));
    assert_eq!(r.counts["defaulters_ready"].skipped, Some(true));
    // next month: a new one, and last month's resolves
    let next = month_start
        .checked_add_months(chrono::Months::new(1))
        .unwrap()
        + Duration::days(1);
    let r = sweep(&app, &config, morning(next));
    assert!(r.counts["defaulters_ready"].raised.unwrap() >= 1);
    assert!(r.counts["defaulters_ready"].resolved.unwrap() >= 1);
}

#[test]
fn who_a_rule_tells_is_configurable_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paani.toml");
    let load = |text: &str| {
        std::fs::write(&path, text).unwrap();
        paani::config::Config::load(&paani::config::Sources {
            file: Some(path.to_string_lossy().into_owned()),
            env: vec![],
        })
    };
    let ok =
        load("[reminders.audiences]\ntask_overdue = [\"secretaries\", \"officers\"]\n").unwrap();
    assert_eq!(
        ok.reminders.audiences["task_overdue"],
        ["secretaries", "officers"]
    );
    let e = load("[reminders.audiences]\ntask_overdue = [\"engineerz\"]\n").unwrap_err();
    assert!(e.to_string().contains("engineerz"), "{e}");
    let e = load("[reminders.audiences]\ntask_overdoo = [\"engineers\"]\n").unwrap_err();
    assert!(e.to_string().contains("task_overdoo"), "{e}");
}

#[test]
fn a_states_own_committee_rules_load_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paani.toml");
    std::fs::write(&path, "[committees.states.22]\nmin_women_percent = 33\n").unwrap();
    let c = paani::config::Config::load(&paani::config::Sources {
        file: Some(path.to_string_lossy().into_owned()),
        env: vec![],
    })
    .unwrap();
    assert_eq!(c.committees.states["22"].min_women_percent, Some(33));
    std::fs::write(&path, "[committees.states.22]\nmin_womn_percent = 33\n").unwrap();
    assert!(
        paani::config::Config::load(&paani::config::Sources {
            file: Some(path.to_string_lossy().into_owned()),
            env: vec![],
        })
        .is_err(),
        "a misspelt key inside is still an error"
    );
}

/// A run whose runner died part-way (a `paani jobs run` killed) stays `running` while its
/// lease lasts; once the lease has expired the runs page, the API and the next sweep show it
/// abandoned, with when: the lease's expiry. A run whose runner lost the lease to another is
/// abandoned at once, from when that was noticed.
#[tokio::test]
async fn a_run_whose_runner_died_is_shown_abandoned_once_its_lease_expires() {
    use paani::db::schema::{job_leases, job_runs};
    use paani::jobs::RunStatus;
    let app = TestApp::spawn().await;
    app.add_user("jobsadmin", "admin", None);
    let admin = app.login_as("jobsadmin").await;
    let token = app.api_token("jobsadmin").await;
    let run_of = |holder: &str| {
        let now = chrono::Utc::now().naive_utc();
        let mut c = app.conn();
        paani::jobs::model::insert_run(
            &mut c,
            "cli",
            holder,
            now,
            now - Duration::minutes(3),
            RunStatus::Running,
        )
        .unwrap()
    };
    let state = |id: i64| -> (String, Option<NaiveDateTime>) {
        job_runs::table
            .find(id)
            .select((job_runs::status, job_runs::abandoned_at))
            .first(&mut *app.conn())
            .unwrap()
    };
    let lease_expiry = || -> NaiveDateTime {
        job_leases::table
            .select(job_leases::expires_at)
            .first(&mut *app.conn())
            .unwrap()
    };

    // a runner at work: its lease is live, its run is running
    assert!(paani::jobs::take_lease(&mut app.conn(), "worker-1", 600).unwrap());
    let working = run_of("worker-1");
    // a run left by a runner that lost the lease long ago
    let ghost = run_of("ghost-0");
    let before = chrono::Utc::now().naive_utc();
    let (s, page) = admin.get_text("/admin/jobs").await;
    assert_eq!(s, reqwest::StatusCode::OK);
    assert_eq!(state(working), ("running".into(), None));
    assert!(page.contains("Running"), "{page}");
    let (status, at) = state(ghost);
    assert_eq!(status, "abandoned");
    let at = at.unwrap();
    assert!(at >= before - Duration::seconds(1) && at <= chrono::Utc::now().naive_utc());

    // the runner dies: nothing changes until its lease runs out
    assert!(paani::jobs::take_lease(&mut app.conn(), "worker-1", -30).unwrap());
    let expiry = lease_expiry();
    let (_, page) = admin.get_text("/admin/jobs").await;
    assert_eq!(state(working), ("abandoned".into(), Some(expiry)));
    let row = page
        .split("<tr")
        .filter(|r| r.contains("Abandoned: its runner stopped part-way"))
        .count();
    assert_eq!(row, 2, "{page}");
    assert!(
        page.contains(&format!(
            "Given up at {}",
            paani::web::i18n::format_datetime(expiry)
        )),
        "{page}"
    );
    let (_, page) = admin.get_text("/admin/jobs?lang=hi").await;
    assert!(page.contains("अधूरा छोड़ा गया"), "{page}");
    let runs: serde_json::Value = app
        .client
        .get(app.url("/api/v1/jobs/runs"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == working)
        .unwrap();
    assert_eq!(api["status"], "abandoned");
    assert!(api["abandoned_at"].is_string(), "{api}");

    // the next sweep marks a dead runner's run too, before it takes the lease over
    assert!(paani::jobs::take_lease(&mut app.conn(), "worker-2", -5).unwrap());
    let dead = run_of("worker-2");
    let expiry = lease_expiry();
    let r = sweep(&app, &config_of(&app, |_| {}), app.clock.now());
    assert_eq!(state(dead), ("abandoned".into(), Some(expiry)));
    assert_eq!(state(r.run_id), ("ok".into(), None));
}
