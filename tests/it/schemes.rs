use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Scheme ids in the demo data for the secretary's GP (Banapura) and another block's GP.
pub fn demo_scheme_ids(app: &TestApp) -> (i64, i64) {
    use diesel::prelude::*;
    use paani::db::schema::schemes;
    let own_gp = app.place_id(paani::places::Level::Gp, 23010101);
    let other_gp = app.place_id(paani::places::Level::Gp, 23010201);
    let mut c = app.conn();
    let own: i64 = schemes::table
        .filter(schemes::gp_id.eq(own_gp))
        .select(schemes::id)
        .order(schemes::id)
        .first(&mut *c)
        .unwrap();
    let other: i64 = schemes::table
        .filter(schemes::gp_id.eq(other_gp))
        .select(schemes::id)
        .order(schemes::id)
        .first(&mut *c)
        .unwrap();
    (own, other)
}

fn first_asset(app: &TestApp, scheme: i64) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::assets;
    let mut c = app.conn();
    assets::table
        .filter(assets::scheme_id.eq(scheme))
        .filter(assets::status.eq("working"))
        .select(assets::id)
        .order(assets::id)
        .first(&mut *c)
        .unwrap()
}

#[tokio::test]
async fn demo_has_schemes_with_assets_of_varied_age() {
    let app = TestApp::with_demo().await;
    let schemes = app.count("schemes");
    assert!((6..=18).contains(&schemes), "{schemes} schemes");
    let assets = app.count("assets");
    assert!(assets >= schemes * 8, "{assets} assets");
    let today = paani::web::i18n::today_in_india(app.clock.now());
    use diesel::prelude::*;
    use paani::db::schema::assets as a;
    let mut c = app.conn();
    let eols: Vec<Option<chrono::NaiveDate>> =
        a::table.select(a::end_of_life_on).load(&mut *c).unwrap();
    let within_year = eols
        .iter()
        .flatten()
        .filter(|d| **d <= today + chrono::Duration::days(365))
        .count();
    let later = eols
        .iter()
        .flatten()
        .filter(|d| **d > today + chrono::Duration::days(365 * 5))
        .count();
    assert!(
        within_year > 0 && later > 0,
        "some near end of life, some not"
    );
    let warranties: Vec<Option<chrono::NaiveDate>> =
        a::table.select(a::warranty_until).load(&mut *c).unwrap();
    assert!(
        warranties.iter().flatten().any(|w| *w < today),
        "some past warranty"
    );
    let replaced: i64 = a::table
        .filter(a::status.eq("replaced"))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert!(replaced >= 1);
}

#[tokio::test]
async fn secretary_registers_a_scheme_and_forms_report_every_problem() {
    let app = TestApp::with_demo().await;
    let sec = app.login_as("secretary").await;
    let res = sec
        .post_form(
            "/schemes",
            &[
                ("name", ""),
                ("kind", "rocket"),
                ("commissioned_on", "2099-01-01"),
                ("villages", "2301010101, 999"),
                ("design_period_years", "0"),
                ("operator_phone", "123"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert_eq!(body.matches("class=\"field-error\"").count(), 6, "{body}");
    assert!(body.contains("2099-01-01"), "input kept");
    // another GP is not the secretary's to register in
    let res = sec
        .post_form(
            "/schemes",
            &[
                ("gp_lgd_code", "23010201"),
                ("name", "Intruder PWS"),
                ("kind", "pws"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before = app.count("schemes");
    let res = sec
        .post_form(
            "/schemes",
            &[
                ("name", "Banapura New PWS"),
                ("name_hi", "बानापुरा नई नल जल योजना"),
                ("kind", "pws"),
                ("source_kind", "borewell"),
                ("commissioned_on", "29-02-2024"),
                ("villages", "2301010101 2301010201"),
                ("operator_phone", "+91 98765 43210"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("schemes"), before + 1);
    let (_, body) = sec.get_text(crate::helpers::location(&res).as_str()).await;
    assert!(
        body.contains("बानापुरा नई नल जल योजना"),
        "Hindi name shown to a Hindi reader"
    );
    assert!(
        body.contains("28-02-2054"),
        "design period of 30 years from a leap day ends 28 Feb"
    );
    assert!(
        body.contains("शिवपुर") && body.contains("दूसरी ग्राम पंचायत"),
        "a village of another GP is served"
    );
}

#[tokio::test]
async fn status_changes_are_kept_with_who_and_why() {
    let app = TestApp::with_demo().await;
    let (own, _) = demo_scheme_ids(&app);
    let sec = app.login_as("secretary").await;
    let res = sec
        .post_form(
            &format!("/schemes/{own}/status"),
            &[("status", "non_functional"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = sec
        .post_form(
            &format!("/schemes/{own}/status"),
            &[("status", "non_functional"), ("reason", "Motor burnt")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = sec
        .post_form(
            &format!("/schemes/{own}/status"),
            &[("status", "non_functional"), ("reason", "again")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same status twice is refused"
    );
    let token = app.api_token("engineer").await;
    let d: Value = app
        .client
        .get(app.url(&format!("/api/v1/schemes/{own}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["status"], "non_functional");
    let h = d["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["reason"], "Motor burnt");
    assert_eq!(h[0]["changed_by_name"], "Sunita Yadav (Secretary)");
    // engineers read but do not change
    let r = app
        .client
        .post(app.url(&format!("/api/v1/schemes/{own}/status")))
        .bearer_auth(&token)
        .json(&json!({"status": "functional", "reason": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn assets_validate_and_replacement_keeps_history() {
    let app = TestApp::with_demo().await;
    let (own, _) = demo_scheme_ids(&app);
    let token = app.api_token("secretary").await;
    let post = |path: String, body: Value| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let r = post("/api/v1/assets".into(), json!({"scheme_id": own, "kind": "spaceship", "name": "", "installed_on": "2999-01-01", "capacity": -5, "latitude": 51.5, "longitude": -0.12})).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    for f in [
        "kind",
        "name",
        "installed_on",
        "capacity",
        "latitude",
        "longitude",
    ] {
        assert!(p["errors"][f].is_string(), "{f}: {p}");
    }
    let r = post("/api/v1/assets".into(), json!({"scheme_id": own, "kind": "pump", "name": "Pump 3", "installed_on": "2024-02-29", "capacity": 5, "latitude": 22.61, "longitude": 77.72, "replacement_cost": "80,000"})).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let pump: Value = r.json().await.unwrap();
    assert_eq!(pump["expected_life_years"], 15, "the kind's default");
    assert_eq!(pump["end_of_life_on"], "2039-02-28", "leap day + 15 years");
    assert_eq!(pump["capacity_unit"], "HP");
    assert_eq!(pump["replacement_cost_paise"], 8_000_000);
    let id = pump["id"].as_i64().unwrap();
    let r = post(
        format!("/api/v1/assets/{id}/replace"),
        json!({"kind": "pump", "name": "Pump 3", "installed_on": "2026-01-10", "capacity": 7.5}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let new: Value = r.json().await.unwrap();
    assert_eq!(new["replaces_id"], id);
    let old: Value = app
        .client
        .get(app.url(&format!("/api/v1/assets/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(old["status"], "replaced");
    assert_eq!(old["replaced_by_id"], new["id"]);
    assert_eq!(old["ended_on"], "2026-01-10");
    // a replaced asset cannot change any more
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/assets/{id}")))
        .bearer_auth(&token)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // the page shows the chain
    let sec = app.login_as("secretary").await;
    let (_, body) = sec.get_text(&format!("/assets/{}", new["id"])).await;
    assert!(
        body.contains(&format!("/assets/{id}")),
        "links to its predecessor"
    );
    // retire with a reason
    let other = first_asset(&app, own);
    let res = sec
        .post_form(
            &format!("/assets/{other}/retire"),
            &[("ended_on", "2026-11-01"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = sec
        .post_form(
            &format!("/assets/{other}/retire"),
            &[("ended_on", "2026-11-01"), ("reason", "Borewell dried up")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let a: Value = app
        .client
        .get(app.url(&format!("/api/v1/assets/{other}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(a["status"], "retired");
}

#[tokio::test]
async fn scope_hides_other_gps_schemes() {
    let app = TestApp::with_demo().await;
    let (own, other) = demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let r = app
        .client
        .get(app.url(&format!("/api/v1/schemes/{other}")))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .client
        .get(app.url(&format!("/api/v1/schemes/{own}")))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let list: Value = app
        .client
        .get(app.url("/api/v1/schemes"))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["gp_id"] == gp));
    let other_asset = first_asset(&app, other);
    let sec = app.api_token("secretary").await;
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/assets/{other_asset}")))
        .bearer_auth(&sec)
        .json(&json!({"name": "mine now"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another GP's asset is not found, not forbidden"
    );
    let engineer = app.api_token("engineer").await;
    let list: Value = app
        .client
        .get(app.url("/api/v1/schemes?status=functional"))
        .bearer_auth(&engineer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let block = app.place_id(paani::places::Level::Block, 230101);
    assert!(list["total"].as_i64().unwrap() >= 3);
    let _ = block;
}

#[tokio::test]
async fn lifecycle_lists_what_ends_soon_with_a_budget() {
    let app = TestApp::with_demo().await;
    let (own, _) = demo_scheme_ids(&app);
    let token = app.api_token("secretary").await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let installed = today - chrono::Duration::days(365 * 15 - 60);
    let r = app.client.post(app.url("/api/v1/assets")).bearer_auth(&token)
        .json(&json!({"scheme_id": own, "kind": "motor", "name": "Lifecycle motor", "installed_on": installed.to_string(), "replacement_cost": "12345.67"}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let sec = app.login_as("secretary").await;
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let (s, body) = sec
        .get_text(&format!("/places/{gp}/lifecycle?months=12"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Lifecycle motor"));
    assert!(body.contains("₹12,345.67"));
    let engineer = app.login_as("engineer").await;
    let block = app.place_id(paani::places::Level::Block, 230101);
    let (s, body) = engineer
        .get_text(&format!("/places/{block}/lifecycle?months=24"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("Lifecycle motor"),
        "the block view includes its GPs"
    );
    let other_block = app.place_id(paani::places::Level::Block, 230102);
    let (s, _) = sec
        .get_text(&format!("/places/{other_block}/lifecycle"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn printable_card_renders() {
    let app = TestApp::with_demo().await;
    let (own, _) = demo_scheme_ids(&app);
    let member = app.login_as("member").await;
    let (s, body) = member.get_text(&format!("/schemes/{own}/card")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("print-table") && body.contains("<html lang=\"hi\">"));
    assert!(body.matches("<tr>").count() >= 9, "the asset table");
    assert!(!body.contains("class=\"nav\""), "no navigation on paper");
    let css = member.get("/static/paani.css").await.text().await.unwrap();
    assert!(css.contains("@page") && css.contains("size: A4"));
}

/// A link a page shows leads to a page the reader may open: the asset page offers "record work"
/// only to those who may record it (the phone crawl in tests/browser found the engineer's and
/// officer's link answering 403), and the dashboard's "unread" link is a filter the inbox
/// understands (it said `unread=1`, which answered 400).
#[tokio::test]
async fn page_links_lead_to_pages_the_reader_may_open() {
    let app = TestApp::with_demo().await;
    let (own, _) = demo_scheme_ids(&app);
    let asset = first_asset(&app, own);
    let work = format!("/assets/{asset}/work");
    let link = format!("href=\"{work}\"");
    for (user, may) in [
        ("secretary", true),
        ("member", true),
        ("engineer", false),
        ("officer", false),
    ] {
        let b = app.login_as(user).await;
        let (s, body) = b.get_text(&format!("/assets/{asset}")).await;
        assert_eq!(s, StatusCode::OK, "{user} opens the asset");
        assert_eq!(body.contains(&link), may, "{user}: the record-work link");
        let (s, _) = b.get_text(&work).await;
        let expected = if may {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(s, expected, "{user} opens {work}");
    }
    // one unread reminder for the secretary, so that the dashboard links the unread ones
    {
        use diesel::prelude::*;
        use paani::db::schema::{reminders, users};
        let mut c = app.conn();
        let secretary: i64 = users::table
            .filter(users::username.eq("secretary"))
            .select(users::id)
            .first(&mut *c)
            .unwrap();
        let gp = app.place_id(paani::places::Level::Gp, 23010101);
        diesel::insert_into(reminders::table)
            .values((
                reminders::gp_id.eq(gp),
                reminders::user_id.eq(secretary),
                reminders::rule.eq("task_due_soon"),
                reminders::subject_kind.eq("task"),
                reminders::subject_id.eq(1_i64),
                reminders::dedupe_key.eq("task_due_soon:1:links"),
                reminders::label.eq("Links"),
                reminders::link.eq("/tasks/1"),
                reminders::created_at.eq(app.clock.now()),
                reminders::email_state.eq("none"),
            ))
            .execute(&mut *c)
            .unwrap();
    }
    let sec = app.login_as("secretary").await;
    let (s, body) = sec.get_text("/dashboard").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !body.contains("/inbox?unread=1"),
        "a filter the inbox refuses"
    );
    assert!(
        body.contains("href=\"/inbox?unread=true\""),
        "the demo secretary has unread reminders"
    );
    let (s, body) = sec.get_text("/inbox?unread=true").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("name=\"unread\" value=\"true\" checked"),
        "the filter is shown as set"
    );
}

async fn upload(b: &crate::helpers::Browser, path: &str, csv: &[u8]) -> (StatusCode, String) {
    let token = b.csrf(path).await;
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(csv.to_vec()).file_name("x.csv"),
    );
    let res = b
        .client
        .post(b.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.text().await.unwrap())
}

#[tokio::test]
async fn csv_round_trip_creates_nothing_new() {
    let app = TestApp::with_demo().await;
    let sec = app.login_as("secretary").await;
    let schemes_csv = sec.get("/schemes.csv").await.bytes().await.unwrap();
    assert!(
        schemes_csv.starts_with(&[0xEF, 0xBB, 0xBF]),
        "BOM for Excel"
    );
    let assets_csv = sec.get("/assets.csv").await.bytes().await.unwrap();
    let (s_before, a_before) = (app.count("schemes"), app.count("assets"));
    let (s, body) = upload(&sec, "/schemes/import", &schemes_csv).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = upload(&sec, "/assets/import", &assets_csv).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        (app.count("schemes"), app.count("assets")),
        (s_before, a_before),
        "same file: nothing new"
    );
    // a changed name updates; a new row creates; a bad row stops everything
    let text = String::from_utf8(assets_csv.to_vec()).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let code = lines[1].split(',').nth(1).unwrap().to_string();
    lines.push(format!(
        ",{code},valve,New valve,2025-05-05,,80,mm,,,,,,,,,"
    ));
    lines.push(format!(
        ",{code},valve,Bad valve,2025-05-05,,-80,mm,,,,,,,,,"
    ));
    let (s, body) = upload(&sec, "/assets/import", lines.join("\n").as_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&format!("<td>{}</td>", lines.len())),
        "the bad line is named"
    );
    assert_eq!(app.count("assets"), a_before, "nothing imported");
    lines.pop();
    let (s, _) = upload(&sec, "/assets/import", lines.join("\n").as_bytes()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(app.count("assets"), a_before + 1);
    let (s, _) = upload(&sec, "/assets/import", lines.join("\n").as_bytes()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        app.count("assets"),
        a_before + 1,
        "importing the same file twice creates nothing new"
    );
    // schemes: a new scheme by GP + name, then the same again
    let csv = "gp_lgd_code,name,kind,commissioned_on,villages\n23010101,Imported PWS,pws,2020-01-01,2301010101\n";
    let (s, _) = upload(&sec, "/schemes/import", csv.as_bytes()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = upload(&sec, "/schemes/import", csv.as_bytes()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(app.count("schemes"), s_before + 1);
    assert!(
        body.contains("1 unchanged") || body.contains("1 वैसी ही"),
        "{body}"
    );
    // someone else's GP cannot be imported into
    let csv = "gp_lgd_code,name,kind\n23010201,Foreign PWS,pws\n";
    let (s, _) = upload(&sec, "/schemes/import", csv.as_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn scheme_list_filters_and_searches() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let (s, body) = admin.get_text("/schemes?q=solar").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Solar PWS") && !body.contains("Ward 2 PWS"));
    let engineer = app.login_as("engineer").await;
    let (_, body) = engineer.get_text("/schemes").await;
    assert!(
        body.contains("<select id=\"place\""),
        "engineers filter by GP"
    );
    assert!(
        body.contains(">Dhanori<") && !body.contains(">Matkuli<"),
        "only the block's GPs are offered"
    );
    let sec = app.login_as("secretary").await;
    let (_, body) = sec.get_text("/schemes").await;
    assert!(
        !body.contains("<select id=\"place\""),
        "a GP's own people have nothing to choose"
    );
    let block2 = app.place_id(paani::places::Level::Block, 230102);
    let (_, body) = admin.get_text(&format!("/schemes?place={block2}")).await;
    assert!(body.contains("Matkuli PWS") && !body.contains("Banapura PWS"));
    let (_, body) = admin.get_text("/schemes?kind=hand_pump").await;
    assert!(
        !body.contains("class=\"card scheme"),
        "no hand-pump schemes in the demo"
    );
}
