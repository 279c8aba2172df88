use crate::helpers::TestApp;
use diesel::prelude::*;
use paani::db::schema::{maintenance_plans as mp, maintenance_tasks as mt};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub(crate) fn open_task_of(app: &TestApp, template: &str, gp_lgd: i64) -> Value {
    let gp = app.place_id(paani::places::Level::Gp, gp_lgd);
    let mut c = app.conn();
    let (id, plan): (i64, i64) = mt::table
        .inner_join(mp::table)
        .filter(mt::gp_id.eq(gp))
        .filter(mt::state.eq("open"))
        .filter(mp::template_code.eq(template))
        .order(mt::due_on.asc())
        .select((mt::id, mt::plan_id))
        .first(&mut *c)
        .unwrap();
    json!({"id": id, "plan": plan})
}

#[tokio::test]
async fn demo_plans_come_from_templates_and_generation_is_idempotent() {
    let app = TestApp::with_demo().await;
    let plans = app.count("maintenance_plans");
    assert!(plans > 50, "{plans} plans");
    let tasks = app.count("maintenance_tasks");
    assert!(tasks > plans, "{tasks} tasks for the next 60 days");
    // generating the same range again adds nothing
    let mut c = app.conn();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let (_, added) = paani::maintenance::generate(
        &mut c,
        None,
        today,
        today + chrono::Duration::days(60),
        app.clock.now(),
        |_| {},
    )
    .unwrap();
    assert_eq!(added, 0);
    drop(c);
    assert_eq!(app.count("maintenance_tasks"), tasks);
    // applying the templates again adds no plan
    let sec = app.login_as("secretary").await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let res = sec
        .post_form(&format!("/schemes/{own}/maintenance/templates"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("maintenance_plans"), plans);
}

#[tokio::test]
async fn history_has_realistic_compliance() {
    let app = TestApp::with_demo().await;
    let done = paani::demo::seed_history(&app.db, &app.clock).unwrap();
    assert!(done > 500, "{done}");
    let mut c = app.conn();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let from = today - chrono::Duration::days(365);
    let mut percents = vec![];
    for lgd in [23010101, 23010102] {
        let gp = app.place_id(paani::places::Level::Gp, lgd);
        let scope = paani::auth::Scope::Place {
            level: paani::places::Level::Gp,
            id: gp,
        };
        let comp = paani::maintenance::compliance(&mut c, &scope, None, from, today, 2).unwrap();
        percents.push(comp.percent.unwrap());
    }
    assert!(
        percents[0] > percents[1] + 15,
        "a diligent GP and a lax one: {percents:?}"
    );
    let low: i64 = paani::db::schema::maintenance_logs::table
        .filter(paani::db::schema::maintenance_logs::out_of_range.eq(true))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert!(low > 0, "a few chlorine readings out of range");
}

#[tokio::test]
async fn overdue_follows_the_clock() {
    let app = TestApp::with_demo().await;
    let t = open_task_of(&app, "chlorination_check", 23010101);
    let id = t["id"].as_i64().unwrap();
    let token = app.api_token("member").await;
    let shown = |body: &Value| {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["shown_state"].as_str().unwrap().to_string())
    };
    let due_on = {
        let mut c = app.conn();
        mt::table
            .find(id)
            .select(mt::due_on)
            .first::<chrono::NaiveDate>(&mut *c)
            .unwrap()
    };
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let to_due = (due_on - today).num_days();
    app.clock.advance(chrono::Duration::days(to_due));
    let q = format!(
        "/api/v1/maintenance/tasks?until={}",
        due_on + chrono::Duration::days(1)
    );
    let list: Value = app
        .client
        .get(app.url(&q))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown(&list).as_deref(), Some("due"));
    app.clock.advance(chrono::Duration::days(2));
    let list: Value = app
        .client
        .get(app.url(&q))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        shown(&list).as_deref(),
        Some("due"),
        "inside the grace days"
    );
    app.clock.advance(chrono::Duration::days(1));
    let list: Value = app
        .client
        .get(app.url(&q))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown(&list).as_deref(), Some("overdue"));
}

#[tokio::test]
async fn completing_work_validates_flags_and_sets_status() {
    let app = TestApp::with_demo().await;
    let t = open_task_of(&app, "chlorination_check", 23010101);
    let id = t["id"].as_i64().unwrap();
    let member = app.api_token("member").await;
    let url = app.url(&format!("/api/v1/maintenance/tasks/{id}/complete"));
    let r = app
        .client
        .post(&url)
        .bearer_auth(&member)
        .json(&json!({"done_on": "2999-01-01", "readings": "abc", "cost": "-5"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    for f in ["done_on", "readings", "cost"] {
        assert!(p["errors"][f].is_string(), "{f}: {p}");
    }
    let r = app
        .client
        .post(&url)
        .bearer_auth(&member)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the date is required"
    );
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let r = app.client.post(&url).bearer_auth(&member)
        .json(&json!({"done_on": today.to_string(), "readings": "0.05", "done_by": "Ramesh, Sita", "checked": "0,2", "asset_status": "needs_attention", "parts": "Chlorine tablets | 2 kg", "cost": "350"}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let log: Value = r.json().await.unwrap();
    assert_eq!(log["out_of_range"], true);
    assert_eq!(log["water_quality"], true);
    assert_eq!(log["cost_paise"], 35000);
    let people: Vec<String> = serde_json::from_str(log["done_by"].as_str().unwrap()).unwrap();
    assert_eq!(people, vec!["Ramesh", "Sita"], "a team, not one assignee");
    let asset: i64 = {
        let mut c = app.conn();
        mt::table
            .find(id)
            .select(mt::asset_id)
            .first::<Option<i64>>(&mut *c)
            .unwrap()
            .unwrap()
    };
    let a: Value = app
        .client
        .get(app.url(&format!("/api/v1/assets/{asset}")))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(a["status"], "needs_attention");
    let r = app
        .client
        .post(&url)
        .bearer_auth(&member)
        .json(&json!({"done_on": today.to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "done once");
    // the register shows it, flagged
    let sec = app.login_as("secretary").await;
    let scheme: i64 = {
        let mut c = app.conn();
        mt::table
            .find(id)
            .select(mt::scheme_id)
            .first(&mut *c)
            .unwrap()
    };
    let (_, body) = sec
        .get_text(&format!("/schemes/{scheme}/maintenance"))
        .await;
    assert!(
        body.contains("class=\"alert\""),
        "out-of-range work is highlighted"
    );
    let (_, detail) = sec.get_text(&format!("/schemes/{scheme}")).await;
    assert!(
        detail.contains("alert-box"),
        "the scheme page warns about the water"
    );
    let (s, print) = sec
        .get_text(&format!("/schemes/{scheme}/maintenance/print"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(print.contains("print-table") && print.contains("Ramesh, Sita"));
    let csv = sec
        .get(&format!("/schemes/{scheme}/maintenance.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Chlorine tablets 2 kg") && csv.contains("350.00"),
        "{csv}"
    );
    let plan: i64 = {
        let mut c = app.conn();
        mt::table
            .find(id)
            .select(mt::plan_id)
            .first(&mut *c)
            .unwrap()
    };
    let (_, filtered) = sec
        .get_text(&format!("/schemes/{scheme}/maintenance?plan={plan}"))
        .await;
    assert!(filtered.contains("Ramesh, Sita"));
    let (_, other) = sec
        .get_text(&format!(
            "/schemes/{scheme}/maintenance?plan={plan}&asset=-1"
        ))
        .await;
    assert!(!other.contains("Ramesh, Sita"), "filtered out by asset");
    // skipping needs a reason; engineers only read; other GPs' tasks are not found
    let t2 = open_task_of(&app, "pump_greasing", 23010101)["id"]
        .as_i64()
        .unwrap();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/maintenance/tasks/{t2}/skip")))
        .bearer_auth(&member)
        .json(&json!({"reason": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let eng = app.api_token("engineer").await;
    let r = app
        .client
        .post(app.url(&format!("/api/v1/maintenance/tasks/{t2}/skip")))
        .bearer_auth(&eng)
        .json(&json!({"reason": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let foreign = open_task_of(&app, "pump_greasing", 23010201)["id"]
        .as_i64()
        .unwrap();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/maintenance/tasks/{foreign}/skip")))
        .bearer_auth(&member)
        .json(&json!({"reason": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn member_completes_a_task_from_the_phone_form() {
    let app = TestApp::with_demo().await;
    let member = app.login_as("member").await;
    let (s, home) = member.get_text("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        home.contains("class=\"task"),
        "the member's home lists tasks"
    );
    assert!(home.len() < 60_000);
    let t = open_task_of(&app, "chlorination_check", 23010101);
    let id = t["id"].as_i64().unwrap();
    let (s, form) = member.get_text(&format!("/tasks/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("name=\"check_0\"") && form.contains("name=\"reading_0\""));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let res = member
        .post_form(
            &format!("/tasks/{id}/complete"),
            &[("done_on", &today), ("check_0", "1"), ("reading_0", "0.5")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let state: String = mt::table.find(id).select(mt::state).first(&mut *c).unwrap();
    assert_eq!(state, "done");
}

#[tokio::test]
async fn editing_a_plan_replans_only_future_open_tasks() {
    let app = TestApp::with_demo().await;
    let t = open_task_of(&app, "chlorination_check", 23010101);
    let plan = t["plan"].as_i64().unwrap();
    let first = t["id"].as_i64().unwrap();
    let member = app.api_token("member").await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    // make the first occurrence done
    let r = app
        .client
        .post(app.url(&format!("/api/v1/maintenance/tasks/{first}/complete")))
        .bearer_auth(&member)
        .json(&json!({"done_on": today.to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let sec = app.login_as("secretary").await;
    let (_, page) = sec.get_text(&format!("/plans/{plan}/edit")).await;
    assert!(page.contains("name=\"every_unit\""));
    let res = sec
        .post_form(
            &format!("/plans/{plan}"),
            &[
                ("title", "Chlorine check, twice a week"),
                ("every_unit", "day"),
                ("every_n", "3"),
                ("start_on", &today.to_string()),
                ("readings", "Residual chlorine | mg/L | 0.2 | 1.0"),
                ("water_quality", "1"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let rows: Vec<(chrono::NaiveDate, String)> = mt::table
        .filter(mt::plan_id.eq(plan))
        .filter(mt::due_on.ge(today))
        .order(mt::due_on)
        .select((mt::due_on, mt::state))
        .load(&mut *c)
        .unwrap();
    assert!(rows.iter().any(|(_, s)| s == "done"), "done work stays");
    let open: Vec<chrono::NaiveDate> = rows
        .iter()
        .filter(|(_, s)| s == "open")
        .map(|(d, _)| *d)
        .collect();
    assert!(
        open.windows(2).all(|w| (w[1] - w[0]).num_days() == 3),
        "re-planned every 3 days: {open:?}"
    );
    // bad plan input
    let res = sec
        .post_form(
            &format!("/plans/{plan}"),
            &[
                ("title", ""),
                ("every_unit", "fortnight"),
                ("readings", "pH | | 9 | 6"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.matches("field-error").count() >= 3);
}

#[tokio::test]
async fn cli_generate_reports_its_speed() {
    let app = TestApp::with_demo().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args([
            "maintenance",
            "generate",
            "--database",
            &app.test_db.url,
            "--until",
            "2031-01-01",
        ])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("plans/s") && text.contains("new tasks"),
        "{text}"
    );
}

#[tokio::test]
async fn a_new_asset_is_offered_its_usual_plans() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let sec = app.login_as("secretary").await;
    let res = sec
        .post_form(
            &format!("/schemes/{own}/assets"),
            &[("kind", "chlorinator"), ("name", "New doser")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let asset_path = crate::helpers::location(&res);
    let (_, page) = sec.get_text(&asset_path).await;
    assert!(
        page.contains("/plans/templates"),
        "the usual plans are proposed"
    );
    let before = app.count("maintenance_plans");
    let res = sec
        .post_form(&format!("{asset_path}/plans/templates"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("maintenance_plans"), before + 1);
    let (_, page) = sec.get_text(&asset_path).await;
    assert!(
        !page.contains("/plans/templates"),
        "nothing left to propose"
    );
    // its tasks were planned at once
    let id: i64 = asset_path.rsplit('/').next().unwrap().parse().unwrap();
    let mut c = app.conn();
    let n: i64 = mt::table
        .filter(mt::asset_id.eq(id))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert!(n >= 8, "weekly for 60 days: {n}");
}

#[tokio::test]
async fn adhoc_work_plans_over_the_api_and_compliance_per_gp() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let asset = {
        use paani::db::schema::assets;
        let mut c = app.conn();
        assets::table
            .filter(assets::scheme_id.eq(own))
            .filter(assets::status.eq("working"))
            .select(assets::id)
            .order(assets::id)
            .first::<i64>(&mut *c)
            .unwrap()
    };
    let member = app.login_as("member").await;
    let res = member
        .post_form(
            &format!("/assets/{asset}/work"),
            &[("title", ""), ("done_on", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().matches("field-error").count() >= 2);
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let res = member
        .post_form(
            &format!("/assets/{asset}/work"),
            &[
                ("title", "Replaced gland packing"),
                ("done_on", &today),
                ("cost", "120"),
                ("asset_status", "working"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let token = app.api_token("secretary").await;
    let logs: Value = app
        .client
        .get(app.url(&format!("/api/v1/maintenance/logs?scheme={own}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let adhoc = logs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["title"] == "Replaced gland packing")
        .unwrap();
    assert!(adhoc["task_id"].is_null() && adhoc["plan_id"].is_null());
    assert_eq!(adhoc["cost_paise"], 12000);
    // a plan over the API, with its tasks planned at once
    let r = app.client.post(app.url("/api/v1/maintenance/plans")).bearer_auth(&token)
        .json(&json!({"scheme_id": own, "title": "Pre-monsoon sweep", "every_unit": "window", "window_start": "05-25", "window_end": "06-10", "checklist": "Drains cleared"}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    assert_eq!(plan["window_start"], "05-25");
    let r = app.client.post(app.url("/api/v1/maintenance/plans")).bearer_auth(&token)
        .json(&json!({"scheme_id": own, "title": "x", "every_unit": "window", "window_start": "13-40"}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // compliance per GP for the engineer, per scheme for the GP
    paani::demo::seed_history(&app.db, &app.clock).unwrap();
    let eng = app.login_as("engineer").await;
    let block = app.place_id(paani::places::Level::Block, 230101);
    let (s, body) = eng.get_text(&format!("/places/{block}/maintenance")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("Banapura") && body.contains("Dhanori") && body.contains("%)"),
        "{body}"
    );
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let (s, body) = eng.get_text(&format!("/places/{gp}/maintenance")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(&format!("/schemes/{own}/maintenance")));
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 40])
    });
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn complete_with_files(
    b: &crate::helpers::Browser,
    task: i64,
    files: Vec<(&str, Vec<u8>)>,
) -> (StatusCode, String) {
    let token = b.csrf(&format!("/tasks/{task}")).await;
    let today = chrono::Utc::now().date_naive().to_string();
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("done_on", today);
    for (name, data) in files {
        form = form.part(
            name.to_string(),
            reqwest::multipart::Part::bytes(data).file_name("p.bin"),
        );
    }
    let res = b
        .client
        .post(b.url(&format!("/tasks/{task}/complete")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.text().await.unwrap())
}

#[tokio::test]
async fn photos_are_checked_stored_and_served_in_scope() {
    let app = TestApp::spawn_with(|c| c.storage.max_photo_bytes = 400_000).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let member = app.login_as("member").await;
    let task = open_task_of(&app, "chlorination_check", 23010101)["id"]
        .as_i64()
        .unwrap();
    // not an image, whatever its name
    let (s, body) = complete_with_files(
        &member,
        task,
        vec![("photo_1", b"GIF89a not really".to_vec())],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("JPEG") || body.contains("JPEG या PNG"));
    // too large
    let big: Vec<u8> = png(900, 900)
        .into_iter()
        .chain(std::iter::repeat_n(0u8, 400_000))
        .collect();
    let (s, _) = complete_with_files(&member, task, vec![("photo_1", big)]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("work_photos"), 0);
    {
        let mut c = app.conn();
        let state: String = mt::table
            .find(task)
            .select(mt::state)
            .first(&mut *c)
            .unwrap();
        assert_eq!(state, "open", "nothing was recorded");
    }
    let (s, _) = complete_with_files(
        &member,
        task,
        vec![("photo_1", png(1200, 800)), ("photo_2", png(300, 300))],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(app.count("work_photos"), 2);
    let id: i64 = {
        let mut c = app.conn();
        paani::db::schema::work_photos::table
            .select(paani::db::schema::work_photos::id)
            .order(paani::db::schema::work_photos::id)
            .first(&mut *c)
            .unwrap()
    };
    let res = member.get(&format!("/photos/{id}/small")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let small = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(small.width(), 640, "a small copy for phones");
    let full = member.get(&format!("/photos/{id}/full")).await;
    assert_eq!(full.headers()["content-type"], "image/png");
    // someone from another GP, or nobody, cannot see it
    app.add_user("othermember", "member", Some(23010201));
    let other = app.login_as("othermember").await;
    assert_eq!(
        other.get(&format!("/photos/{id}/small")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.browser()
            .get(&format!("/photos/{id}/small"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // the register shows thumbnails
    let sec = app.login_as("secretary").await;
    let scheme: i64 = {
        let mut c = app.conn();
        mt::table
            .find(task)
            .select(mt::scheme_id)
            .first(&mut *c)
            .unwrap()
    };
    let (_, page) = sec
        .get_text(&format!("/schemes/{scheme}/maintenance"))
        .await;
    assert!(page.contains(&format!("/photos/{id}/small")));
}

#[tokio::test]
async fn compliance_is_on_time_work_over_work_due() {
    let app = TestApp::with_demo().await;
    let now = app.clock.now();
    let today = paani::web::i18n::today_in_india(now);
    let d = |n: i64| today - chrono::Duration::days(n);
    let mut c = app.conn();
    let sec = paani::auth::model::user_by_username(&mut c, "secretary")
        .unwrap()
        .unwrap();
    let actor = paani::auth::model::actor_for(&mut c, sec, None, None).unwrap();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    // a scheme of its own, so no other plan's tasks count
    let input = paani::schemes::SchemeInput {
        name: "Compliance PWS".into(),
        kind: "pws".into(),
        ..Default::default()
    };
    let v = paani::schemes::validate(&mut c, &actor, &cat, &input, today, 30)
        .unwrap()
        .unwrap();
    let scheme = paani::schemes::create(&mut c, &actor, &v, now).unwrap();
    let plan_in = paani::maintenance::PlanInput {
        title: "Daily check".into(),
        every_unit: "day".into(),
        every_n: "1".into(),
        start_on: d(9).to_string(),
        ..Default::default()
    };
    let pv = paani::maintenance::validate_plan(
        &mut c,
        &scheme,
        &plan_in,
        paani::config::Config::defaults().money,
        today,
    )
    .unwrap()
    .unwrap();
    let plan = paani::maintenance::create_plan(&mut c, &scheme, &pv, None, now).unwrap();
    paani::maintenance::generate(&mut c, Some(scheme.gp_id), d(9), today, now, |_| {}).unwrap();
    let tasks: Vec<paani::maintenance::Task> = mt::table
        .filter(mt::plan_id.eq(plan.id))
        .order(mt::due_on.asc())
        .select(paani::maintenance::Task::as_select())
        .load(&mut *c)
        .unwrap();
    let done =
        |c: &mut paani::db::PooledConn, t: &paani::maintenance::Task, on: chrono::NaiveDate| {
            let w = paani::maintenance::WorkInput {
                done_on: on.to_string(),
                ..Default::default()
            };
            paani::maintenance::complete_task(
                c,
                &actor,
                t,
                &w,
                paani::config::Config::defaults().money,
                today,
                now,
            )
            .unwrap();
        };
    // two late (3 days after, past the 2 grace days), three on time, one within grace, one skipped
    done(
        &mut c,
        &tasks[0],
        tasks[0].due_on + chrono::Duration::days(3),
    );
    done(
        &mut c,
        &tasks[1],
        tasks[1].due_on + chrono::Duration::days(3),
    );
    done(&mut c, &tasks[2], tasks[2].due_on);
    done(&mut c, &tasks[3], tasks[3].due_on);
    done(&mut c, &tasks[4], tasks[4].due_on);
    done(
        &mut c,
        &tasks[5],
        tasks[5].due_on + chrono::Duration::days(2),
    );
    paani::maintenance::skip_task(&mut c, &tasks[6], "Rain", now).unwrap();
    let scope = paani::auth::Scope::Place {
        level: paani::places::Level::Gp,
        id: scheme.gp_id,
    };
    let comp =
        paani::maintenance::compliance(&mut c, &scope, Some(scheme.id), d(9), today, 2).unwrap();
    assert_eq!((comp.due, comp.on_time, comp.percent), (10, 4, Some(40)));
    let comp =
        paani::maintenance::compliance(&mut c, &scope, Some(scheme.id), d(9), d(5), 2).unwrap();
    assert_eq!(
        (comp.due, comp.on_time, comp.percent),
        (5, 3, Some(60)),
        "a narrower window"
    );
    let comp = paani::maintenance::compliance(
        &mut c,
        &scope,
        Some(scheme.id),
        today + chrono::Duration::days(1),
        today + chrono::Duration::days(5),
        2,
    )
    .unwrap();
    assert_eq!(
        (comp.due, comp.percent),
        (0, None),
        "nothing due, no percentage"
    );
}

/// From the factories alone (no demo data set): a pump registered in a fresh GP brings its
/// template plans' tasks to the GP member's task list, and to nobody else's.
#[tokio::test]
async fn a_new_pumps_tasks_reach_its_gps_member_only() {
    let app = crate::helpers::TestApp::spawn().await;
    let gp = app.gp();
    let other = app.gp();
    app.member_of(&gp);
    app.member_of(&other);
    crate::factories::scheme_in(&app, gp.lgd, "Fresh");
    let (own, _) = crate::factories::task_and_plan(&app, gp.id);
    assert!(own > 0);

    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (status, page) = member.get_text("/tasks").await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert!(
        page.contains(&format!("/tasks/{own}")),
        "the member's list links the task"
    );

    let stranger = app.login_as(&format!("member-{}", other.lgd)).await;
    let (_, page) = stranger.get_text("/tasks").await;
    assert!(
        !page.contains(&format!("/tasks/{own}")),
        "another GP's member does not see it"
    );
    let (status, _) = stranger.get_text(&format!("/tasks/{own}")).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);

    // the block engineers: the scheme is in one block's list, not the other's
    app.engineer_of(&gp);
    app.engineer_of(&other);
    let engineer = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    let (_, page) = engineer.get_text("/schemes").await;
    assert!(
        page.contains("Fresh PWS"),
        "the block's engineer sees the scheme"
    );
    let engineer = app.login_as(&format!("engineer-{}", other.block_lgd)).await;
    let (_, page) = engineer.get_text("/schemes").await;
    assert!(
        !page.contains("Fresh PWS"),
        "another block's engineer does not"
    );
}
