//! Forms that forgive: a failed form shows a summary of its errors at the top, labelled as
//! on the page and linking to each field; nothing typed is lost (checkboxes, the condition
//! select); a rejected photo is reported as a photo error without blaming the readings;
//! too-long text is refused with a message, never cut; Devanagari digits are numbers; a
//! reading outside its physical bounds is refused while one outside its normal range is
//! only flagged.

use crate::factories::scheme_in;
use crate::helpers::{Browser, TestApp};
use diesel::prelude::*;
use paani::db::schema::{maintenance_logs as ml, maintenance_plans as mp, maintenance_tasks as mt};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The open pump-greasing task of the GP (its plan asks for running hours and voltage).
fn greasing_task(app: &TestApp, gp_id: i64) -> i64 {
    mt::table
        .inner_join(mp::table)
        .filter(mt::gp_id.eq(gp_id))
        .filter(mt::state.eq("open"))
        .filter(mp::template_code.eq("pump_greasing"))
        .order(mt::due_on.asc())
        .select(mt::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// The task form sent as a phone sends it (multipart), with an optional photo.
async fn complete(
    b: &Browser,
    task: i64,
    fields: &[(&str, &str)],
    photo: Option<Vec<u8>>,
) -> (StatusCode, String) {
    let token = b.csrf(&format!("/tasks/{task}")).await;
    let mut form = reqwest::multipart::Form::new().text("_csrf", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(p) = photo {
        form = form.part(
            "photo_1",
            reqwest::multipart::Part::bytes(p).file_name("IMG_0001.jpg"),
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

/// The error summary of a page: its HTML, from its opening tag to its end.
fn summary(body: &str) -> &str {
    let start = body
        .find("<div class=\"error-summary\"")
        .expect("an error summary");
    let end = body[start..].find("</div>").unwrap() + start;
    &body[start..end]
}

#[tokio::test]
async fn a_rejected_photo_is_a_photo_error_and_nothing_typed_is_lost() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.member_of(&gp);
    scheme_in(&app, gp.lgd, "Forms");
    let task = greasing_task(&app, gp.id);
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let (s, body) = complete(
        &member,
        task,
        &[
            ("done_on", today.as_str()),
            ("check_1", "1"),
            ("reading_1", "४१०"),
            ("asset_status", "failed"),
            ("notes", "Bearing noisy"),
        ],
        Some(b"not a picture at all".to_vec()),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // the photo is blamed, beside the photo field and in the summary; the reading is not
    assert!(
        body.contains("Only JPEG or PNG photos can be added."),
        "{body}"
    );
    assert!(
        !body.contains("More readings than the plan asks for"),
        "{body}"
    );
    let sum = summary(&body);
    assert!(sum.contains("href=\"#photos\""), "{sum}");
    assert!(
        sum.contains(">Photos: Only JPEG or PNG"),
        "labelled as on the page: {sum}"
    );
    assert!(
        sum.contains("autofocus"),
        "the page opens at the summary: {sum}"
    );
    // the summary sits inside the task form, before its first field
    let form = body.find("action=\"/tasks/").unwrap();
    let at = body.find("class=\"error-summary\"").unwrap();
    assert!(at > form && at < body.find("id=\"done_on\"").unwrap());
    // what was typed and chosen is still there
    assert!(
        body.contains("<option value=\"failed\" selected>"),
        "the failed marking survives: {body}"
    );
    assert!(
        body.contains("name=\"check_1\" value=\"1\" checked"),
        "{body}"
    );
    assert!(
        !body.contains("name=\"check_0\" value=\"1\" checked"),
        "{body}"
    );
    assert!(body.contains("value=\"४१०\""), "{body}");
    assert!(body.contains("Bearing noisy"));
    assert_eq!(app.count("maintenance_logs"), 0);

    // a reading that cannot be (negative voltage) is an error on the readings, and both
    // errors are listed, in the page's order, with their labels
    let (s, body) = complete(
        &member,
        task,
        &[("done_on", today.as_str()), ("reading_1", "-5")],
        Some(b"still not a picture".to_vec()),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let sum = summary(&body);
    let (r, p) = (
        sum.find("href=\"#readings\"").expect("readings listed"),
        sum.find("href=\"#photos\"").expect("photo listed"),
    );
    assert!(r < p, "{sum}");
    assert!(
        sum.contains("Voltage can only be between 0 and 1,000"),
        "{sum}"
    );
    assert!(sum.contains("2 problems"), "{sum}");

    // in Hindi, with Devanagari digits: the summary in Hindi; the reading is accepted
    member.get("/?lang=hi").await;
    let (s, body) = complete(
        &member,
        task,
        &[("done_on", today.as_str()), ("reading_1", "−५")],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(summary(&body).contains("इस फ़ॉर्म में एक गलती है"), "{body}");
    let (s, body) = complete(
        &member,
        task,
        &[
            ("done_on", today.as_str()),
            ("reading_0", "१२.५"),
            ("reading_1", "४८०"),
        ],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (readings, out): (String, bool) = ml::table
        .select((ml::readings, ml::out_of_range))
        .first(&mut *app.conn())
        .unwrap();
    let readings: Value = serde_json::from_str(&readings).unwrap();
    assert_eq!(readings[0]["value"], json!(12.5));
    assert_eq!(readings[1]["value"], json!(480.0));
    assert!(
        out,
        "480 V is possible but outside the normal 360–440: flagged, not refused"
    );
}

#[tokio::test]
async fn chlorine_cannot_be_negative_through_the_api_either() {
    let app = TestApp::with_demo().await;
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let task: i64 = mt::table
        .inner_join(mp::table)
        .filter(mt::gp_id.eq(gp))
        .filter(mt::state.eq("open"))
        .filter(mp::template_code.eq("chlorination_check"))
        .select(mt::id)
        .first(&mut *app.conn())
        .unwrap();
    let token = app.api_token("member").await;
    let url = app.url(&format!("/api/v1/maintenance/tasks/{task}/complete"));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let r = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"done_on": today, "readings": "-0.5"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert!(
        p["errors"]["readings"].as_str().unwrap().contains("0 से 20"),
        "the demo member reads Hindi: {p}"
    );
    // outside the normal range but possible: recorded and flagged
    let r = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"done_on": today, "readings": "०.०५"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let log: Value = r.json().await.unwrap();
    assert_eq!(log["out_of_range"], true);
}

#[tokio::test]
async fn a_plan_keeps_physical_bounds_and_refuses_them_out_of_order() {
    let mut e = paani::error::FieldErrors::new();
    let specs = paani::maintenance::parse_readings("pH | | 6.5 | 8.5 | ० | १४", &mut e);
    assert!(e.is_empty());
    assert_eq!(specs[0].lowest, Some(0.0));
    assert_eq!(specs[0].highest, Some(14.0));
    assert!(!specs[0].possible(-1.0) && specs[0].possible(9.0));
    assert_eq!(
        paani::maintenance::readings_text(&specs),
        "pH |  | 6.5 | 8.5 | 0 | 14"
    );
    // a normal range outside the possible one is refused
    let mut e = paani::error::FieldErrors::new();
    paani::maintenance::parse_readings("pH | | 6.5 | 8.5 | 7 | 14", &mut e);
    assert!(e.has("readings"));
    // a name too long is refused, not cut
    let mut e = paani::error::FieldErrors::new();
    let long = "x".repeat(61);
    assert!(paani::maintenance::parse_readings(&long, &mut e).is_empty());
    assert!(e.has("readings"));
}

#[tokio::test]
async fn a_long_name_is_refused_with_its_length_and_kept_as_typed() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.secretary_of(&gp);
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let name = "क".repeat(200);
    let village = gp.village_id.to_string();
    let res = sec
        .post_form(
            "/households",
            &[
                ("connection_no", "F-1"),
                ("head_name", name.as_str()),
                ("village_id", village.as_str()),
                ("members", "५"),
                ("category", "general"),
                ("connected_on", "०१-०४-२०२४"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("At most 120 characters; this has 200."),
        "{body}"
    );
    assert!(body.contains(&format!("value=\"{name}\"")), "kept whole");
    let sum = summary(&body);
    assert!(
        sum.contains("<a href=\"#head_name\">Head of the household: At most 120"),
        "{sum}"
    );
    // the Devanagari digits were numbers and a date: only the name is wrong
    assert!(
        sum.contains("1 problem") || !sum.contains("problems"),
        "{sum}"
    );
    assert_eq!(app.count("households"), 0);
    let short = "क".repeat(120);
    let res = sec
        .post_form(
            "/households",
            &[
                ("connection_no", "F-1"),
                ("head_name", short.as_str()),
                ("village_id", village.as_str()),
                ("members", "५"),
                ("category", "general"),
                ("connected_on", "०१-०४-२०२४"),
                ("status", "active"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("households"), 1);
}

#[tokio::test]
async fn a_cash_book_entry_has_its_own_short_page_and_fails_there() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.secretary_of(&gp);
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, long) = sec.get_text("/cashbook").await;
    assert_eq!(s, StatusCode::OK);
    assert!(long.contains("id=\"cashbook-add-link\""), "{long}");
    assert!(
        !long.contains("name=\"amount\""),
        "the form is not at the bottom any more"
    );
    let (s, short) = sec.get_text("/cashbook/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(short.contains("name=\"amount\"") && !short.contains("id=\"cashbook\""));
    let gp_id = gp.id.to_string();
    let res = sec
        .post_form(
            "/cashbook",
            &[
                ("gp_id", gp_id.as_str()),
                ("head", "income:donation"),
                ("amount", "abc"),
                ("entry_on", "०१-०४-२०२४"),
                ("party", &"p".repeat(201)),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        !body.contains("id=\"cashbook\""),
        "the short page again, not the month"
    );
    assert!(
        body.contains("<option value=\"income:donation\" selected>"),
        "the income head stays chosen"
    );
    let sum = summary(&body);
    assert!(sum.contains("href=\"#amount\""), "{sum}");
    assert!(
        sum.contains("href=\"#party\""),
        "too long is an error, not a cut: {sum}"
    );
    assert!(
        !sum.contains("href=\"#entry_on\""),
        "Devanagari date read: {sum}"
    );
}
