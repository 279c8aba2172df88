//! Water-quality schedules and sanitary inspections (issue 25, items 6 and 7), on both
//! backends: the schedule raising due checks as tasks in "my tasks", a test completing its
//! task (one record), overdue checks counted and reminded, a state's own schedule, the
//! inspection's score and band at each band's edge, and scope.

use crate::helpers::{call, get_json, location, TestApp};
use crate::water_quality::tested_gp;
use diesel::prelude::*;
use paani::db::schema::{
    maintenance_plans as mp, maintenance_tasks as mt, water_check_plans as wcp,
};
use reqwest::StatusCode;
use serde_json::json;

/// The open task of a check at a point.
fn task_of(app: &TestApp, point: i64, check: &str) -> i64 {
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| mt::table
        .inner_join(wcp::table.on(wcp::plan_id.eq(mt::plan_id)))
        .filter(wcp::point_id.eq(point))
        .filter(wcp::check_kind.eq(check))
        .filter(mt::state.eq("open"))
        .order(mt::due_on.asc())
        .select(mt::id)
        .first::<i64>(c))
    .unwrap()
}

async fn raise(app: &TestApp, gp_lgd: i64) {
    let b = app.login_as(&format!("secretary-{gp_lgd}")).await;
    let res = b.post_form("/water-quality/schedule/raise", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_schedule_raises_due_checks_in_my_tasks_and_the_test_completes_its_task() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    raise(&app, gp.lgd).await;
    // A borewell (source): FTK, laboratory chemical, bacteriological before and after the
    // monsoon, sanitary inspection; the OHSR (storage tank): FTK and sanitary inspection.
    assert_eq!(app.count("water_check_plans"), 7);
    assert_eq!(
        app.count(&format!("water_check_plans WHERE point_id = {point}")),
        5
    );
    assert_eq!(
        app.count("maintenance_plans WHERE template_code LIKE 'wq_%' AND water_quality = TRUE AND active = TRUE"),
        7
    );
    // Raising again (and the nightly job) makes nothing twice.
    raise(&app, gp.lgd).await;
    assert_eq!(app.count("water_check_plans"), 7);
    let tasks = app.count("maintenance_tasks");
    let config = paani::config::Config::defaults();
    let day = paani::jobs::JobDay {
        today: paani::web::i18n::today_in_india(app.clock.now()),
        now: app.clock.now(),
        last: None,
    };
    let mut c = app.conn();
    paani::water_quality::schedules::service::scheduled_sync(&mut c, &config, &day).unwrap();
    drop(c);
    assert_eq!(app.count("water_check_plans"), 7);
    assert_eq!(app.count("maintenance_tasks"), tasks);

    // The FTK test is due today at the borewell: it is in the member's "my tasks" and
    // leads to the point's FTK form.
    let ftk = task_of(&app, point, "ftk");
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (s, mine) = member.get_text("/tasks").await;
    assert_eq!(s, StatusCode::OK);
    assert!(mine.contains(&format!("/tasks/{ftk}\"")), "{mine}");
    assert!(mine.contains("FTK water test"));
    let res = member.get(&format!("/tasks/{ftk}")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/water-quality/points/{point}/samples/new?kind=ftk")
    );
    // It cannot be completed as work (no second record).
    let res = member
        .post_form(
            &format!("/tasks/{ftk}/complete"),
            &[("done_on", &day.today.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("maintenance_logs"), 0);

    // Recording the FTK test completes the task and links it to the test.
    let expiry = (day.today + chrono::Duration::days(90)).to_string();
    let res = member
        .post_form(
            &format!("/water-quality/points/{point}/samples"),
            &[
                ("kind", "ftk"),
                ("sampled_on", &day.today.to_string()),
                ("tested_on", &day.today.to_string()),
                ("tester_id", &tester.to_string()),
                ("kit_batch", "FTK-1"),
                ("kit_expires_on", &expiry),
                ("v_ph", "7.2"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sample_url = location(&res);
    let sample: i64 = sample_url.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        app.count(&format!(
            "maintenance_tasks WHERE id = {ftk} AND state = 'done'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "water_check_done WHERE task_id = {ftk} AND sample_id = {sample}"
        )),
        1
    );
    assert_eq!(app.count("water_check_done"), 1, "the FTK check only");
    assert_eq!(app.count("maintenance_logs"), 0, "one record of the test");
    let res = member.get(&format!("/tasks/{ftk}")).await;
    assert_eq!(location(&res), sample_url);
    // The laboratory chemical check is still open at the point.
    task_of(&app, point, "lab_chemical");
}

/// A check's reminder is raised with the plan's title as stored (English); a member who
/// reads Hindi sees the template's Hindi title in the inbox, as on "my tasks".
#[tokio::test]
async fn a_check_tasks_reminder_reads_in_the_members_language() {
    use paani::db::schema::{reminders, users};
    let app = TestApp::spawn().await;
    let (gp, point, _) = tested_gp(&app).await;
    raise(&app, gp.lgd).await;
    let ftk = task_of(&app, point, "ftk");
    let username = format!("member-{}", gp.lgd);
    let now = app.clock.now();
    {
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| {
            let title: String = mt::table
                .inner_join(mp::table.on(mp::id.eq(mt::plan_id)))
                .filter(mt::id.eq(ftk))
                .select(mp::title)
                .first(c)
                .unwrap();
            assert_eq!(title, "FTK water test");
            let user: i64 = users::table
                .filter(users::username.eq(&username))
                .select(users::id)
                .first(c)
                .unwrap();
            diesel::update(users::table.filter(users::id.eq(user)))
                .set(users::lang.eq("hi"))
                .execute(c)
                .unwrap();
            diesel::insert_into(reminders::table)
                .values((
                    reminders::gp_id.eq(gp.id),
                    reminders::user_id.eq(user),
                    reminders::rule.eq("task_due_soon"),
                    reminders::subject_kind.eq("task"),
                    reminders::subject_id.eq(ftk),
                    reminders::dedupe_key.eq(format!("task_due_soon:{ftk}")),
                    reminders::label.eq(&title),
                    reminders::link.eq(format!("/tasks/{ftk}")),
                    reminders::due_on.eq(Some(now.date())),
                    reminders::created_at.eq(now),
                    reminders::email_state.eq("none"),
                ))
                .execute(c)
                .unwrap();
        });
    }
    let member = app.login_as(&username).await;
    let (s, inbox) = member.get_text("/inbox").await;
    assert_eq!(s, StatusCode::OK);
    assert!(inbox.contains("फ़ील्ड टेस्ट किट से पानी की जाँच"), "{inbox}");
    assert!(!inbox.contains("FTK water test"), "{inbox}");
}

#[tokio::test]
async fn overdue_checks_are_counted_in_scope_and_reminded() {
    let app = TestApp::spawn().await;
    let (gp, point, _) = tested_gp(&app).await;
    let (other, _, _) = tested_gp(&app).await;
    raise(&app, gp.lgd).await;
    raise(&app, other.lgd).await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let grace = paani::config::Config::defaults().maintenance.grace_days;
    let count = |scope: paani::auth::Scope| {
        let mut c = app.conn();
        paani::water_quality::schedules::model::overdue_tests(&mut c, &scope, today, grace).unwrap()
    };
    let gp_scope = paani::auth::Scope::Place {
        level: paani::places::Level::Gp,
        id: gp.id,
    };
    assert_eq!(count(gp_scope), 0);
    // The FTK check of the borewell fell due long ago and was not done.
    let ftk = task_of(&app, point, "ftk");
    let long_ago = today - chrono::Duration::days(20);
    {
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| diesel::update(mt::table.find(ftk))
            .set((mt::due_on.eq(long_ago), mt::deadline_on.eq(long_ago)))
            .execute(c))
        .unwrap();
    }
    assert_eq!(count(gp_scope), 1);
    assert_eq!(
        count(paani::auth::Scope::Place {
            level: paani::places::Level::Gp,
            id: other.id
        }),
        0
    );
    assert_eq!(count(paani::auth::Scope::All), 1);
    // The schedule page says it; the reminder tells the secretary.
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, page) = sec.get_text("/water-quality/schedule").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("1 test or inspection is overdue"), "{page}");
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, v) = get_json(&app, &token, "/api/v1/water-quality/schedule").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["overdue"], 1);
    assert!(v["due"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["task_id"] == ftk && d["shown"] == "overdue"));
    let config = paani::config::Config::defaults();
    let mut c = app.conn();
    let rule = paani::reminders::rules::all(
        &config.reminders,
        &config.maintenance,
        &config.water_quality.incidents,
        config.billing.defaulter_months,
        today,
        app.clock.now(),
    )
    .into_iter()
    .find(|r| r.name == "water_test_overdue")
    .unwrap();
    paani::reminders::rules::apply(&mut c, &rule, app.clock.now()).unwrap();
    drop(c);
    assert!(
        app.count(&format!(
            "reminders WHERE rule = 'water_test_overdue' AND subject_id = {ftk}"
        )) >= 1
    );
    assert_eq!(
        app.count(&format!(
            "reminders WHERE rule = 'water_test_overdue' AND subject_id <> {ftk}"
        )),
        0,
        "only the overdue check"
    );
}

#[tokio::test]
async fn a_states_own_schedule_overrides_the_default() {
    let app = TestApp::spawn().await;
    let (gp, point, _) = tested_gp(&app).await;
    let state = {
        let mut c = app.conn();
        paani::supply::model::state_lgd_of(&mut c, gp.id)
            .unwrap()
            .unwrap()
    };
    let mut config = paani::config::Config::defaults();
    config.water_quality.schedule.states.insert(
        state.to_string(),
        paani::config::WaterScheduleOverride {
            ftk_every_months: Some(3),
            sanitary_every_months: Some(0),
            bacteriological_post_monsoon: Some([9, 10]),
            ..Default::default()
        },
    );
    assert!(paani::water_quality::schedules::check_config(&config.water_quality.schedule).is_ok());
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let mut c = app.conn();
    paani::water_quality::schedules::service::raise(
        &mut c,
        &config,
        &paani::auth::Scope::All,
        today,
        app.clock.now(),
    )
    .unwrap();
    type Row = (String, String, i32, Option<String>, Option<String>);
    let plans: Vec<Row> = paani::on_backend!(&mut *c, |c| wcp::table
        .inner_join(mp::table)
        .filter(wcp::point_id.eq(point))
        .order(wcp::check_kind.asc())
        .select((
            wcp::check_kind,
            mp::every_unit,
            mp::every_n,
            mp::window_start,
            mp::window_end
        ))
        .load(c))
    .unwrap();
    drop(c);
    let kinds: Vec<&str> = plans.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "bacteriological_post",
            "bacteriological_pre",
            "ftk",
            "lab_chemical"
        ],
        "no sanitary inspection in this state"
    );
    assert_eq!(plans[2].1, "month");
    assert_eq!(plans[2].2, 3);
    assert_eq!(plans[0].3.as_deref(), Some("09-01"));
    assert_eq!(plans[0].4.as_deref(), Some("10-31"));
    assert_eq!(plans[1].3.as_deref(), Some("04-01"), "the default stays");

    // Back to the default: the plans follow (the sanitary inspection comes, FTK monthly).
    raise(&app, gp.lgd).await;
    assert_eq!(
        app.count(&format!(
            "maintenance_plans p JOIN water_check_plans w ON w.plan_id = p.id WHERE w.point_id = {point} AND w.check_kind = 'ftk' AND p.every_n = 1"
        )),
        1
    );
    assert_eq!(
        app.count(&format!("water_check_plans WHERE point_id = {point}")),
        5
    );
    // A bad state schedule stops the configuration.
    config
        .water_quality
        .schedule
        .states
        .get_mut(&state.to_string())
        .unwrap()
        .bacteriological_pre_monsoon = Some([6, 5]);
    assert!(paani::water_quality::schedules::check_config(&config.water_quality.schedule).is_err());
}

/// Answers to the borewell checklist with the first `yes` questions "yes".
fn answers(yes: usize) -> Vec<(String, String)> {
    let lists = paani::water_quality::inspections::Checklists::builtin();
    lists
        .find("borewell")
        .unwrap()
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            (
                format!("q_{}", q.code),
                if i < yes { "yes" } else { "no" }.to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_inspection_is_scored_and_banded_at_each_edge_and_completes_its_task() {
    let app = TestApp::spawn().await;
    let (gp, point, _) = tested_gp(&app).await;
    raise(&app, gp.lgd).await;
    let sanitary = task_of(&app, point, "sanitary");
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, form) = b
        .get_text(&format!("/water-quality/points/{point}/inspections/new"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("name=\"q_latrine_10m\"") && form.contains("name=\"q_pump_loose\""));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    // A question left out: 422, nothing written.
    let mut fields = answers(0);
    fields.pop();
    fields.push(("inspected_on".into(), today.clone()));
    fields.push(("inspector".into(), "Sunita".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = b
        .post_form(&format!("/water-quality/points/{point}/inspections"), &refs)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("sanitary_inspections"), 0);
    // Each band's edges (thresholds 3, 6, 9 of 10).
    for (yes, band) in [
        (0, "low"),
        (2, "low"),
        (3, "intermediate"),
        (5, "intermediate"),
        (6, "high"),
        (8, "high"),
        (9, "very_high"),
        (10, "very_high"),
    ] {
        let mut fields = answers(yes);
        fields.push(("inspected_on".into(), today.clone()));
        fields.push(("inspector".into(), "Sunita".into()));
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let res = b
            .post_form(&format!("/water-quality/points/{point}/inspections"), &refs)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{yes}");
        let to = location(&res);
        let id: i64 = to.rsplit('/').next().unwrap().parse().unwrap();
        assert_eq!(
            app.count(&format!(
                "sanitary_inspections WHERE id = {id} AND score = {yes} AND questions = 10 AND band = '{band}' AND checklist = 'borewell'"
            )),
            1,
            "{yes} yes: {band}"
        );
        let (s, page) = b.get_text(&to).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(&format!("wq-band-{band}")));
    }
    // The first inspection did the due inspection task: one task, one record.
    assert_eq!(
        app.count(&format!(
            "maintenance_tasks WHERE id = {sanitary} AND state = 'done'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "water_check_done WHERE task_id = {sanitary} AND inspection_id IS NOT NULL"
        )),
        1
    );
    assert_eq!(app.count("water_check_done"), 1);
    // The list, the point's page and the API show them.
    let (_, list) = b
        .get_text("/water-quality/inspections?band=very_high")
        .await;
    assert_eq!(
        list.matches("/water-quality/inspections/").count(),
        2,
        "{list}"
    );
    let (_, points) = b
        .get_text(&format!("/schemes/{}/sampling-points", {
            let mut c = app.conn();
            paani::water_quality::points::model::find(&mut c, point)
                .unwrap()
                .scheme_id
        }))
        .await;
    assert!(
        points.contains("wq-band-very_high") && points.contains("10/10"),
        "{points}"
    );
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let body: serde_json::Map<String, serde_json::Value> = answers(4)
        .into_iter()
        .map(|(k, v)| (k.trim_start_matches("q_").to_string(), json!(v)))
        .collect();
    let (s, v) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/inspections",
        json!({"point_id": point, "inspected_on": today, "inspector": "API", "answers": body}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["score"], 4);
    assert_eq!(v["band"], "intermediate");
    let (s, v) = get_json(
        &app,
        &token,
        &format!("/api/v1/water-quality/inspections?point={point}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["total"], 9);
}

#[tokio::test]
async fn inspections_and_schedules_keep_to_their_scope() {
    let app = TestApp::spawn().await;
    let (gp, point, _) = tested_gp(&app).await;
    let (other, other_point, _) = tested_gp(&app).await;
    raise(&app, gp.lgd).await;
    raise(&app, other.lgd).await;
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let mut fields = answers(1);
    fields.push(("inspected_on".into(), today.clone()));
    fields.push(("inspector".into(), "Sunita".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = b
        .post_form(&format!("/water-quality/points/{point}/inspections"), &refs)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mine = location(&res);
    // The other GP's secretary: the inspection, the point's form and its post are not found.
    let o = app.login_as(&format!("secretary-{}", other.lgd)).await;
    assert_eq!(o.get(&mine).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        o.get(&format!("/water-quality/points/{point}/inspections/new"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = o
        .post_form(&format!("/water-quality/points/{point}/inspections"), &refs)
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("sanitary_inspections"), 1);
    let (_, list) = o.get_text("/water-quality/inspections").await;
    assert!(!list.contains(&mine));
    // The other GP's due checks are its own; raising in one GP touches no other.
    let (_, sched) = o.get_text("/water-quality/schedule").await;
    assert!(sched.contains(&format!("/water-quality/points/{other_point}/")));
    assert!(!sched.contains(&format!("/water-quality/points/{point}/")));
    let token = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let (s, v) = get_json(&app, &token, "/api/v1/water-quality/inspections").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["total"], 0);
    let (s, _) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/inspections",
        json!({"point_id": point, "inspected_on": today, "inspector": "x", "answers": {}}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Members record inspections of their GP; engineers only read them.
    app.engineer_of(&gp);
    let e = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    assert_eq!(e.get(&mine).await.status(), StatusCode::OK);
    assert_eq!(
        e.get(&format!("/water-quality/points/{point}/inspections/new"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let m = app.login_as(&format!("member-{}", gp.lgd)).await;
    let res = m
        .post_form(&format!("/water-quality/points/{point}/inspections"), &refs)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
