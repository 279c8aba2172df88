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
    assert_eq!(h[0]["changed_by_name"], "सुनीता यादव (सचिव)");
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

/// The `<h1>` of a page.
fn heading(page: &str) -> &str {
    let start = page.find("<h1>").map(|i| i + 4).unwrap_or(0);
    let end = page[start..]
        .find("</h1>")
        .map(|i| start + i)
        .unwrap_or(start);
    &page[start..end]
}

#[tokio::test]
async fn assets_have_an_optional_hindi_name_for_hindi_readers() {
    let app = TestApp::with_demo().await;
    let (own, _) = demo_scheme_ids(&app);
    let token = app.api_token("secretary").await;
    // through the API: kept, and held to the same length as the name
    let long = "प".repeat(121);
    let r = app
        .client
        .post(app.url("/api/v1/assets"))
        .bearer_auth(&token)
        .json(&json!({"scheme_id": own, "kind": "pump", "name": "Pump 9", "name_hi": long}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert!(p["errors"]["name_hi"].is_string(), "{p}");
    let r = app
        .client
        .post(app.url("/api/v1/assets"))
        .bearer_auth(&token)
        .json(&json!({"scheme_id": own, "kind": "pump", "name": "Pump 9", "name_hi": " पंप 9 "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["name"], "Pump 9");
    assert_eq!(a["name_hi"], "पंप 9");
    let id = a["id"].as_i64().unwrap();

    // the Hindi reader sees the Hindi name, the English reader the typed one
    let sec = app.login_as("secretary").await;
    let (_, page) = sec.get_text(&format!("/assets/{id}")).await;
    assert!(heading(&page).contains("पंप 9"), "{}", heading(&page));
    let (_, page) = sec.get_text(&format!("/assets/{id}?lang=en")).await;
    assert!(heading(&page).contains("Pump 9"), "{}", heading(&page));
    // (?lang= is kept for the following pages)
    let (_, page) = sec.get_text(&format!("/schemes/{own}?lang=hi")).await;
    assert!(page.contains("पंप 9") && !page.contains(">Pump 9<"));

    // the form offers it; emptied, the Hindi reader falls back to the typed name
    let (_, form) = sec.get_text(&format!("/assets/{id}/edit")).await;
    assert!(form.contains("name=\"name_hi\" value=\"पंप 9\""), "{form}");
    let res = sec
        .post_form(
            &format!("/assets/{id}"),
            &[("kind", "pump"), ("name", "Pump 9"), ("name_hi", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = sec.get_text(&format!("/assets/{id}")).await;
    assert!(heading(&page).contains("Pump 9"), "{}", heading(&page));
    let a: Value = app
        .client
        .get(app.url(&format!("/api/v1/assets/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(a["name_hi"].is_null(), "{a}");

    // the Hindi GP's demo assets carry Hindi names beside the typed English ones
    use diesel::prelude::*;
    use paani::db::schema::assets;
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let names: Vec<(String, Option<String>)> = assets::table
        .filter(assets::gp_id.eq(gp))
        .select((assets::name, assets::name_hi))
        .load(&mut *app.conn())
        .unwrap();
    assert!(names
        .iter()
        .any(|(n, h)| n == "Submersible pump" && h.as_deref() == Some("सबमर्सिबल पंप")));
    assert!(
        names
            .iter()
            .filter(|(n, _)| n != "Pump 9")
            .all(|(_, h)| h.is_some()),
        "{names:?}"
    );
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
        crate::helpers::plain_cells(&body).contains(&format!("<td>{}</td>", lines.len())),
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

// ---- the status as it works now: open breakdowns that stopped the water ----

/// An API call that must succeed; its JSON.
async fn api_ok(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Value {
    let (s, v) = crate::helpers::call(app, token, method, path, body).await;
    assert!(
        matches!(s, StatusCode::OK | StatusCode::CREATED),
        "{method} {path}: {s} {v}"
    );
    v
}

async fn new_scheme(app: &TestApp, token: &str, gp_lgd: i64, name: &str) -> i64 {
    api_ok(
        app,
        token,
        "POST",
        "/api/v1/schemes",
        json!({"gp_lgd_code": gp_lgd.to_string(), "name": name, "kind": "pws"}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn report_on(app: &TestApp, token: &str, scheme: i64, supply: &str) -> i64 {
    api_ok(
        app,
        token,
        "POST",
        "/api/v1/breakdowns",
        json!({"scheme_id": scheme.to_string(), "category": "pump_motor", "supply": supply,
               "description": "Pump stopped"}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn move_to(app: &TestApp, token: &str, breakdown: i64, body: Value) {
    api_ok(
        app,
        token,
        "POST",
        &format!("/api/v1/breakdowns/{breakdown}/transition"),
        body,
    )
    .await;
}

/// The class of the list card holding the link to `/schemes/<id>`.
fn card_class(page: &str, id: i64) -> String {
    let at = page
        .find(&format!("href=\"/schemes/{id}\""))
        .unwrap_or_else(|| panic!("scheme {id} not listed"));
    let start = page[..at].rfind("<li class=\"").expect("a card") + 11;
    let end = start + page[start..].find('"').unwrap();
    page[start..end].to_string()
}

/// Every place a scheme's status shows says the same: functional or not.
async fn says(
    app: &TestApp,
    token: &str,
    engineer: &crate::helpers::Browser,
    gp_id: i64,
    scheme: i64,
    functional: bool,
    when: &str,
) {
    let (want, label) = match functional {
        true => ("functional", "Functional"),
        false => ("non_functional", "Not functional"),
    };
    let d = api_ok(
        app,
        token,
        "GET",
        &format!("/api/v1/schemes/{scheme}"),
        json!({}),
    )
    .await;
    assert_eq!(d["effective_status"], want, "{when}: API detail {d}");
    assert_eq!(
        d["status"], "functional",
        "{when}: the hand-set status stays"
    );
    assert_eq!(d["open_outages"], if functional { 0 } else { 1 }, "{when}");
    let list = api_ok(
        app,
        token,
        "GET",
        &format!("/api/v1/schemes?place={gp_id}"),
        json!({}),
    )
    .await;
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == scheme)
        .unwrap_or_else(|| panic!("{when}: not in {list}"))
        .clone();
    assert_eq!(row["effective_status"], want, "{when}: API list");
    for (filter, listed) in [("functional", functional), ("non_functional", !functional)] {
        let l = api_ok(
            app,
            token,
            "GET",
            &format!("/api/v1/schemes?place={gp_id}&status={filter}"),
            json!({}),
        )
        .await;
        let ids: Vec<i64> = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            ids.contains(&scheme),
            listed,
            "{when}: filter {filter}: {ids:?}"
        );
    }
    let (s, page) = engineer
        .get_text(&format!("/schemes/{scheme}?lang=en"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("id=\"scheme-status\">{label}<")),
        "{when}: scheme page"
    );
    assert_eq!(
        page.contains("id=\"scheme-outages\""),
        !functional,
        "{when}"
    );
    let (_, page) = engineer
        .get_text(&format!("/schemes?place={gp_id}&lang=en"))
        .await;
    assert!(
        card_class(&page, scheme).contains(&format!("status-{want}")),
        "{when}: scheme list"
    );
    let dash = api_ok(
        app,
        token,
        "GET",
        &format!("/api/v1/dashboard?place={gp_id}"),
        json!({}),
    )
    .await;
    let counts = &dash["figures"]["schemes"];
    let expect = if functional { 2 } else { 1 };
    assert_eq!(counts["functional"], expect, "{when}: dashboard {counts}");
    assert_eq!(counts["total"], 2, "{when}");
    let (_, page) = engineer
        .get_text(&format!("/places/{gp_id}/dashboard?lang=en"))
        .await;
    assert!(
        page.contains(&format!("<strong>{expect}</strong> / 2")),
        "{when}: dashboard page"
    );
}

#[tokio::test]
async fn an_outage_makes_a_scheme_not_functional_until_resolved() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.admin();
    app.engineer_of(&gp);
    let admin = app.api_token("admin").await;
    let engineer = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    let a = new_scheme(&app, &admin, gp.lgd, "Main PWS").await;
    new_scheme(&app, &admin, gp.lgd, "Ward PWS").await;
    says(&app, &admin, &engineer, gp.id, a, true, "at first").await;

    // partial supply is not an outage
    let partial = report_on(&app, &admin, a, "partial").await;
    says(&app, &admin, &engineer, gp.id, a, true, "partial supply").await;

    let b = report_on(&app, &admin, a, "stopped").await;
    says(&app, &admin, &engineer, gp.id, a, false, "reported").await;
    move_to(&app, &admin, b, json!({"to": "acknowledged"})).await;
    says(&app, &admin, &engineer, gp.id, a, false, "acknowledged").await;
    move_to(
        &app,
        &admin,
        b,
        json!({"to": "in_progress", "assigned_name": "Ramesh mistri"}),
    )
    .await;
    says(&app, &admin, &engineer, gp.id, a, false, "in progress").await;
    move_to(
        &app,
        &admin,
        b,
        json!({"to": "resolved", "resolution": "Motor rewound"}),
    )
    .await;
    says(&app, &admin, &engineer, gp.id, a, true, "resolved").await;
    move_to(
        &app,
        &admin,
        b,
        json!({"to": "reopened", "note": "Stopped again"}),
    )
    .await;
    says(&app, &admin, &engineer, gp.id, a, false, "reopened").await;
    move_to(
        &app,
        &admin,
        b,
        json!({"to": "in_progress", "assigned_name": "Ramesh"}),
    )
    .await;
    move_to(
        &app,
        &admin,
        b,
        json!({"to": "resolved", "resolution": "Cable changed"}),
    )
    .await;
    move_to(&app, &admin, b, json!({"to": "closed"})).await;
    says(&app, &admin, &engineer, gp.id, a, true, "closed").await;
    // a rejected report stops nothing
    let r = report_on(&app, &admin, a, "stopped").await;
    says(&app, &admin, &engineer, gp.id, a, false, "reported again").await;
    move_to(
        &app,
        &admin,
        r,
        json!({"to": "rejected", "note": "Power cut, not the pump"}),
    )
    .await;
    says(&app, &admin, &engineer, gp.id, a, true, "rejected").await;
    let _ = partial;

    // the operator's note is shown beside the status an outage overrides
    let b = report_on(&app, &admin, a, "stopped").await;
    let (_, page) = engineer.get_text(&format!("/schemes/{a}?lang=hi")).await;
    assert!(
        page.contains("id=\"scheme-hand-set\""),
        "the hand-set status stays visible"
    );
    assert!(
        page.contains(&format!("href=\"/breakdowns/{b}\"")),
        "the outage is linked"
    );
}

/// Schemes with random hand-set statuses and random open, resolved, rejected and partial
/// breakdowns: each GP's dashboard, the block's dashboard and the API's effective statuses
/// always agree with a count made here from the breakdowns table.
#[tokio::test]
async fn dashboards_functional_counts_always_agree_with_open_outages() {
    use diesel::prelude::*;
    use paani::db::schema::{breakdowns, schemes};
    use paani::places::Level;
    use rand::{Rng, SeedableRng};
    let app = TestApp::spawn().await;
    let gp = app.gp();
    // a second GP in the same block
    let gp2_lgd = gp.block_lgd * 100 + 99;
    let gp2 = app
        .add_place(Level::Gp, gp2_lgd, "GP two", Some(gp.block_lgd))
        .id;
    app.add_place(
        Level::Village,
        gp2_lgd * 100 + 1,
        "Village two",
        Some(gp2_lgd),
    );
    app.admin();
    app.engineer_of(&gp);
    let admin = app.api_token("admin").await;
    let engineer = app.api_token(&format!("engineer-{}", gp.block_lgd)).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(24_10);
    let mut all = vec![];
    for (g, lgd) in [(gp.id, gp.lgd), (gp2, gp2_lgd)] {
        for k in 0..4 {
            all.push((g, new_scheme(&app, &admin, lgd, &format!("PWS {k}")).await));
        }
    }
    let statuses = [
        "functional",
        "partially_functional",
        "non_functional",
        "under_repair",
        "decommissioned",
    ];
    // each breakdown and the steps it may still take
    let mut open: Vec<(i64, &str)> = vec![];
    let mut overridden = 0;
    for round in 0..6 {
        for _ in 0..5 {
            let (_, s) = all[rng.gen_range(0..all.len())];
            match rng.gen_range(0..6) {
                0 => {
                    let to = statuses[rng.gen_range(0..statuses.len())];
                    let (code, _) = crate::helpers::call(
                        &app,
                        &admin,
                        "POST",
                        &format!("/api/v1/schemes/{s}/status"),
                        json!({"status": to, "reason": "seen on a visit"}),
                    )
                    .await;
                    assert!(matches!(code.as_u16(), 200 | 422));
                }
                1 | 2 => {
                    let supply = ["stopped", "stopped", "partial", "none"][rng.gen_range(0..4)];
                    open.push((report_on(&app, &admin, s, supply).await, "reported"));
                }
                _ if !open.is_empty() => {
                    let i = rng.gen_range(0..open.len());
                    let (b, at) = open[i];
                    let (to, body) = match at {
                        "reported" | "reopened" => match rng.gen_range(0..3) {
                            0 => ("rejected", json!({"to": "rejected", "note": "not ours"})),
                            1 => ("acknowledged", json!({"to": "acknowledged"})),
                            _ => (
                                "in_progress",
                                json!({"to": "in_progress", "assigned_name": "Mistri"}),
                            ),
                        },
                        "acknowledged" => (
                            "in_progress",
                            json!({"to": "in_progress", "assigned_name": "Mistri"}),
                        ),
                        "in_progress" => (
                            "resolved",
                            json!({"to": "resolved", "resolution": "Repaired"}),
                        ),
                        "resolved" => match rng.gen_range(0..2) {
                            0 => ("closed", json!({"to": "closed"})),
                            _ => ("reopened", json!({"to": "reopened", "note": "again"})),
                        },
                        _ => continue,
                    };
                    move_to(&app, &admin, b, body).await;
                    open[i].1 = to;
                }
                _ => {}
            }
        }
        // the count made here, from the rows
        let mut c = app.conn();
        let rows: Vec<(i64, i64, String)> = schemes::table
            .select((schemes::id, schemes::gp_id, schemes::status))
            .load(&mut *c)
            .unwrap();
        let stopped: Vec<i64> = breakdowns::table
            .filter(breakdowns::supply.eq("stopped"))
            .filter(breakdowns::status.eq_any([
                "reported",
                "acknowledged",
                "in_progress",
                "reopened",
            ]))
            .select(breakdowns::scheme_id)
            .load(&mut *c)
            .unwrap();
        drop(c);
        let effective = |id: i64, status: &str| -> String {
            if status != "decommissioned" && stopped.contains(&id) {
                "non_functional".into()
            } else {
                status.into()
            }
        };
        let mut block_functional = 0;
        let mut block_total = 0;
        for g in [gp.id, gp2] {
            let mine: Vec<_> = rows.iter().filter(|r| r.1 == g).collect();
            let total = mine.iter().filter(|r| r.2 != "decommissioned").count() as i64;
            let functional = mine
                .iter()
                .filter(|r| effective(r.0, &r.2) == "functional")
                .count() as i64;
            let d = api_ok(
                &app,
                &admin,
                "GET",
                &format!("/api/v1/dashboard?place={g}"),
                json!({}),
            )
            .await;
            let counts = &d["figures"]["schemes"];
            assert_eq!(
                (
                    counts["functional"].as_i64().unwrap(),
                    counts["total"].as_i64().unwrap()
                ),
                (functional, total),
                "round {round}, GP {g}: {counts}"
            );
            block_functional += functional;
            block_total += total;
            let list = api_ok(
                &app,
                &admin,
                "GET",
                &format!("/api/v1/schemes?place={g}"),
                json!({}),
            )
            .await;
            for item in list["items"].as_array().unwrap() {
                let id = item["id"].as_i64().unwrap();
                let status = item["status"].as_str().unwrap();
                if effective(id, status) != status {
                    overridden += 1;
                }
                assert_eq!(
                    item["effective_status"],
                    effective(id, status),
                    "round {round}, scheme {id}"
                );
            }
        }
        let d = api_ok(&app, &engineer, "GET", "/api/v1/dashboard", json!({})).await;
        assert_eq!(
            (
                d["total"]["schemes"]["functional"].as_i64().unwrap(),
                d["total"]["schemes"]["total"].as_i64().unwrap()
            ),
            (block_functional, block_total),
            "round {round}: the block"
        );
    }
    assert!(
        overridden > 0,
        "an outage overrode a hand-set status at least once"
    );
}
