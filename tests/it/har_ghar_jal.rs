//! Har Ghar Jal: a village's checklist is reported by its Gram Panchayat only when complete
//! (every item, the Gram Sabha resolution's date and its scan), and certified only by the
//! district, once reported; scope keeps everyone to their own villages (404 outside); the
//! demo's pages read in Hindi with no English word.

use crate::factories::Gp;
use crate::helpers::{call, extract_csrf, Browser, TestApp};
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(200, 280, |x, y| {
        image::Rgb([250, 250, if (x + y) % 17 == 0 { 90 } else { 250 }])
    });
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A GP with its secretary, member and block engineer, and its district's officer.
fn setup(app: &TestApp) -> Gp {
    let gp = app.gp();
    app.secretary_of(&gp);
    app.member_of(&gp);
    app.engineer_of(&gp);
    let district = gp.block_lgd / 100;
    app.add_user(
        &format!("officer-{district}"),
        "district_officer",
        Some(district),
    );
    gp
}

fn officer(gp: &Gp) -> String {
    format!("officer-{}", gp.block_lgd / 100)
}

fn yesterday(app: &TestApp) -> String {
    (paani::web::i18n::today_in_india(app.clock.now()) - Duration::days(1)).to_string()
}

async fn api(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    call(
        app,
        token,
        method,
        &format!("/api/v1/har-ghar-jal{path}"),
        body,
    )
    .await
}

/// Save the whole checklist with a page of the scan over the village's form (multipart).
async fn save_with_scan(b: &Browser, village: i64, resolution_on: &str) -> reqwest::Response {
    let (s, page) = b
        .get_text(&format!("/har-ghar-jal/villages/{village}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let token = extract_csrf(&page).expect("a form");
    let mut form = reqwest::multipart::Form::new().text("_csrf", token);
    for item in paani::har_ghar_jal::ITEMS {
        form = form.text(item, "true");
    }
    form = form
        .text("resolution_on", resolution_on.to_string())
        .text("notes", "Resolution no. 7")
        .part(
            "photo_1",
            reqwest::multipart::Part::bytes(png()).file_name("resolution.png"),
        );
    b.client
        .post(b.url(&format!("/har-ghar-jal/villages/{village}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_incomplete_checklist_cannot_be_reported() {
    let app = TestApp::spawn().await;
    let gp = setup(&app);
    let v = gp.village_id;
    let sec = app.api_token(&format!("secretary-{}", gp.lgd)).await;

    // nothing yet: every item, the date and the scan are missing
    let (s, body) = api(
        &app,
        &sec,
        "POST",
        &format!("/villages/{v}/report"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for f in paani::har_ghar_jal::ITEMS
        .iter()
        .chain(&["resolution_on", "documents"])
    {
        assert!(body["errors"].get(*f).is_some(), "{f}: {body}");
    }

    // four items and the date, no roads restored and no scan: still not
    let (s, body) = api(
        &app,
        &sec,
        "POST",
        &format!("/villages/{v}"),
        json!({"every_household_tap": "true", "schools_connected": "true",
            "anganwadis_connected": "true", "no_leakages": "true",
            "resolution_on": yesterday(&app)}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "none");
    let (s, body) = api(
        &app,
        &sec,
        "POST",
        &format!("/villages/{v}/report"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = body["errors"].as_object().unwrap();
    assert!(errors.contains_key("roads_restored") && errors.contains_key("documents"));
    assert!(!errors.contains_key("every_household_tap") && !errors.contains_key("resolution_on"));
    let (_, body) = api(&app, &sec, "GET", &format!("/villages/{v}"), json!({})).await;
    assert_eq!(body["status"], "none", "nothing half-written");

    // a date to come is refused, the input kept
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let tomorrow =
        (paani::web::i18n::today_in_india(app.clock.now()) + Duration::days(1)).to_string();
    let res = save_with_scan(&b, v, &tomorrow).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("field-error") && page.contains("Resolution no. 7"));
    assert_eq!(app.count("har_ghar_jal_documents"), 0);

    // on the page, the report button answers what is missing beside the checklist
    let res = b
        .post_form(&format!("/har-ghar-jal/villages/{v}/report"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Tick this before reporting."));

    // everything, with a page of the resolution's scan: reported, with the day and who
    let res = save_with_scan(&b, v, &yesterday(&app)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("har_ghar_jal_documents"), 1);
    let res = b
        .post_form(&format!("/har-ghar-jal/villages/{v}/report"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, body) = api(&app, &sec, "GET", &format!("/villages/{v}"), json!({})).await;
    assert_eq!(body["status"], "reported", "{body}");
    assert_eq!(
        body["checklist"]["reported_on"],
        paani::web::i18n::today_in_india(app.clock.now()).to_string()
    );
    assert_eq!(
        body["checklist"]["reported_by_name"],
        format!("secretary-{} test", gp.lgd)
    );
    assert_eq!(body["documents"].as_array().unwrap().len(), 1);
    // the scan is served to those who see the village
    let doc = body["documents"][0]["id"].as_i64().unwrap();
    let r = b
        .get(&format!("/har-ghar-jal/villages/{v}/documents/{doc}/small"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");

    // once reported, the checklist stands
    let (s, _) = api(&app, &sec, "POST", &format!("/villages/{v}"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = api(
        &app,
        &sec,
        "POST",
        &format!("/villages/{v}/report"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

/// Bring the GP's village to "reported" over the API and the page.
async fn reported(app: &TestApp, gp: &Gp) {
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    assert_eq!(
        save_with_scan(&b, gp.village_id, &yesterday(app))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let sec = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, body) = api(
        app,
        &sec,
        "POST",
        &format!("/villages/{}/report", gp.village_id),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn reported_villages_are_certified_by_the_district_only() {
    let app = TestApp::spawn().await;
    let gp = setup(&app);
    let v = gp.village_id;
    let off = app.api_token(&officer(&gp)).await;

    // not reported: nothing to certify
    let (s, _) = api(
        &app,
        &off,
        "POST",
        &format!("/villages/{v}/certify"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // a member may not even report
    let member = app.api_token(&format!("member-{}", gp.lgd)).await;
    let (s, _) = api(
        &app,
        &member,
        "POST",
        &format!("/villages/{v}/report"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // neither may the district report for the panchayat
    let (s, _) = api(
        &app,
        &off,
        "POST",
        &format!("/villages/{v}/report"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    reported(&app, &gp).await;
    // the panchayat, its member and the block engineer may not certify
    for who in [
        format!("secretary-{}", gp.lgd),
        format!("member-{}", gp.lgd),
        format!("engineer-{}", gp.block_lgd),
    ] {
        let t = app.api_token(&who).await;
        let (s, _) = api(
            &app,
            &t,
            "POST",
            &format!("/villages/{v}/certify"),
            json!({}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    // the secretary's page has no certify button; the officer's has
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (_, page) = sec.get_text(&format!("/har-ghar-jal/villages/{v}")).await;
    assert!(!page.contains("hgj-certify") && !page.contains("hgj-checklist\""));
    let o = app.login_as(&officer(&gp)).await;
    let (_, page) = o.get_text(&format!("/har-ghar-jal/villages/{v}")).await;
    assert!(page.contains("id=\"hgj-certify\""), "{page}");
    // the district officer certifies, over the form
    let res = o
        .post_form(&format!("/har-ghar-jal/villages/{v}/certify"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, body) = api(&app, &off, "GET", &format!("/villages/{v}"), json!({})).await;
    assert_eq!(body["status"], "certified", "{body}");
    assert_eq!(
        body["checklist"]["certified_by_name"],
        format!("{} test", officer(&gp))
    );
    assert!(body["checklist"]["certified_on"].is_string());
    assert!(
        body["checklist"]["reported_on"].is_string(),
        "the report's day kept"
    );
    // once only
    let (s, _) = api(
        &app,
        &off,
        "POST",
        &format!("/villages/{v}/certify"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // the district's counts
    let (s, counts) = api(&app, &off, "GET", "/counts", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let row = counts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["gp_id"] == gp.id)
        .unwrap()
        .clone();
    assert_eq!(
        (row["villages"].as_i64(), row["certified"].as_i64()),
        (Some(1), Some(1))
    );
    // every step is in the audit log
    let n: i64 = {
        use diesel::prelude::*;
        use paani::db::schema::audit_log as a;
        a::table
            .filter(a::entity.eq("har_ghar_jal"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(n, 3, "saved, reported, certified");
}

#[tokio::test]
async fn everyone_keeps_to_their_own_villages() {
    let app = TestApp::spawn().await;
    let gp = setup(&app);
    let other = setup(&app);
    assert_ne!(gp.block_lgd / 100, other.block_lgd / 100, "two districts");
    reported(&app, &gp).await;
    let v = gp.village_id;
    // the other GP's secretary and the other district's officer: 404, like a missing one
    let sec2 = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let off2 = app.api_token(&officer(&other)).await;
    for (token, method, path) in [
        (&sec2, "GET", format!("/villages/{v}")),
        (&sec2, "POST", format!("/villages/{v}")),
        (&sec2, "GET", format!("/gps/{}/villages", gp.id)),
        (&off2, "POST", format!("/villages/{v}/certify")),
        (&off2, "GET", format!("/counts?place={}", gp.id)),
    ] {
        let (s, body) = api(&app, token, method, &path, json!({})).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{method} {path}: {body}");
    }
    let b = app.login_as(&format!("secretary-{}", other.lgd)).await;
    for path in [
        format!("/har-ghar-jal/villages/{v}"),
        format!("/har-ghar-jal/gps/{}", gp.id),
    ] {
        assert_eq!(b.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let res = b
        .post_form(&format!("/har-ghar-jal/villages/{v}/report"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // a place that is no village is not one here either
    let sec = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, _) = api(
        &app,
        &sec,
        "GET",
        &format!("/villages/{}", gp.id),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // the other district's counts do not hold this GP
    let (_, counts) = api(&app, &off2, "GET", "/counts", json!({})).await;
    assert!(counts
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["gp_id"] != gp.id));
    let (_, status) = api(
        &app,
        &off2,
        "POST",
        &format!("/villages/{v}/certify"),
        json!({}),
    )
    .await;
    assert_eq!(status["status"], 404);
    let (_, body) = api(&app, &sec, "GET", &format!("/villages/{v}"), json!({})).await;
    assert_eq!(body["status"], "reported", "still reported");
}

/// The visible text of a page's `<main>`: no tags.
fn main_text(html: &str) -> String {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Latin words (two letters or more) in a text, but for the demo users' names: who reported
/// and certified is shown as their accounts spell it.
fn latin_words(text: &str) -> Vec<String> {
    let text = text
        .replace("Sunita Yadav (Secretary)", "")
        .replace("Rekha Verma (District Officer)", "");
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_demo_reads_in_hindi_with_one_village_certified_and_one_reported() {
    let app = TestApp::with_demo().await;
    let n = paani::demo::seed_har_ghar_jal(&app.db, &app.clock, &app.config).unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        paani::demo::seed_har_ghar_jal(&app.db, &app.clock, &app.config).unwrap(),
        0,
        "once"
    );
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    // the demo secretary reads Hindi; her list is her GP's villages
    let b = app.login_as("secretary").await;
    let res = b.get("/har-ghar-jal").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (s, page) = b.get_text(&format!("/har-ghar-jal/gps/{gp}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"hi\">"));
    let text = main_text(&page);
    assert!(
        text.contains("बानापुरा") && text.contains("खपरिया"),
        "{text}"
    );
    assert_eq!(text.matches("प्रमाणित किया").count(), 1, "{text}");
    assert_eq!(text.matches("रिपोर्ट हुआ").count(), 1, "{text}");
    assert!(latin_words(&text).is_empty(), "{:?}", latin_words(&text));
    let villages: Vec<i64> = {
        use diesel::prelude::*;
        use paani::db::schema::places as p;
        p::table
            .filter(p::gp_id.eq(gp))
            .filter(p::level.eq("village"))
            .order(p::lgd_code.asc())
            .select(p::id)
            .load(&mut *app.conn())
            .unwrap()
    };
    for v in &villages {
        let (s, page) = b.get_text(&format!("/har-ghar-jal/villages/{v}")).await;
        assert_eq!(s, StatusCode::OK);
        let text = main_text(&page);
        assert!(
            latin_words(&text).is_empty(),
            "{v}: {:?}",
            latin_words(&text)
        );
    }
    // the half-done one comes back with its errors in Hindi
    let res = b
        .post_form(
            &format!("/har-ghar-jal/villages/{}/report", villages[2]),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = main_text(&res.text().await.unwrap());
    assert!(text.contains("रिपोर्ट से पहले"), "{text}");
    assert!(latin_words(&text).is_empty(), "{:?}", latin_words(&text));
    // the demo officer's district list: Banapura with one reported, one certified
    let o = app.login_as("officer").await;
    let (s, page) = o.get_text("/har-ghar-jal").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("/har-ghar-jal/gps/{gp}")), "{page}");
    let off = app.api_token("officer").await;
    let (_, counts) = api(&app, &off, "GET", "/counts", json!({})).await;
    let row = counts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["gp_id"] == gp)
        .unwrap()
        .clone();
    assert_eq!(
        (
            row["villages"].as_i64(),
            row["reported"].as_i64(),
            row["certified"].as_i64()
        ),
        (Some(3), Some(1), Some(1))
    );
}
