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

/// The first link on a page to `prefix` followed by a number: that address.
fn first_link(body: &str, prefix: &str) -> String {
    let needle = format!("href=\"{prefix}");
    body.match_indices(&needle)
        .find_map(|(at, _)| {
            let rest = &body[at + needle.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (!digits.is_empty()).then(|| format!("{prefix}{digits}"))
        })
        .unwrap_or_else(|| panic!("no link to {prefix}… on the page"))
}

/// Every text field of a page (inputs that take typed text, and text areas) without a
/// positive `maxlength`: their tags.
fn fields_without_maxlength(body: &str) -> Vec<String> {
    const NOT_TEXT: [&str; 12] = [
        "hidden",
        "checkbox",
        "radio",
        "file",
        "submit",
        "date",
        "time",
        "month",
        "datetime-local",
        "number",
        "button",
        "range",
    ];
    let mut missing = vec![];
    for tag in ["<input", "<textarea"] {
        for (at, _) in body.match_indices(tag) {
            let end = body[at..].find('>').map_or(body.len(), |e| at + e + 1);
            let el = &body[at..end];
            let kind = el
                .split("type=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("text");
            if tag == "<input" && NOT_TEXT.contains(&kind) {
                continue;
            }
            let max = el
                .split("maxlength=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse::<usize>().ok());
            if max.is_none_or(|m| m == 0) {
                missing.push(el.to_string());
            }
        }
    }
    missing
}

/// The `maxlength` of the field named `name` on a page.
fn maxlength_of(body: &str, name: &str) -> usize {
    let at = body
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let start = body[..at].rfind('<').unwrap();
    let end = at + body[at..].find('>').unwrap();
    body[start..end]
        .split("maxlength=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} has no maxlength: {}", &body[start..=end]))
}

/// A committee in the demo secretary's GP with one meeting planned, made over the API:
/// (the committee's page, the meeting's page).
async fn committee_and_meeting(app: &TestApp) -> (String, String) {
    let sec = app.api_token("secretary").await;
    let body = json!({"name": "Forms Paani Samiti", "constituted_on": "2025-02-01"});
    let (s, k) = crate::helpers::call(app, &sec, "POST", "/api/v1/committees", body).await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    let body = json!({"committee_id": k["id"], "held_on": "2026-03-05", "lang": "en",
                      "agenda": "Accounts"});
    let (s, m) = crate::helpers::call(app, &sec, "POST", "/api/v1/meetings", body).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    (
        format!("/committees/{}", k["id"]),
        format!("/meetings/{}", m["id"]),
    )
}

#[tokio::test]
async fn every_text_field_of_every_form_has_a_maximum_length() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let member = app.login_as("member").await;
    let (committee, meeting) = committee_and_meeting(&app).await;
    let (_, schemes) = admin.get_text("/schemes").await;
    let scheme = first_link(&schemes, "/schemes/");
    let (_, page) = admin.get_text(&scheme).await;
    let asset = first_link(&page, "/assets/");
    let (_, page) = admin.get_text(&format!("{scheme}/maintenance")).await;
    let plan = first_link(&page, "/plans/");
    let sec = app.login_as("secretary").await;
    let household = format!(
        "/households/{}",
        crate::factories::add_household(&app, 23010101)
    );
    let meeting_id: i64 = meeting["/meetings/".len()..].parse().unwrap();
    let action = format!(
        "/action-items/{}",
        crate::factories::add_action_item(&app, meeting_id)
    );
    let scheme_id: i64 = scheme["/schemes/".len()..].parse().unwrap();
    let breakdown = format!(
        "/breakdowns/{}",
        crate::factories::add_breakdown(&app, scheme_id)
    );
    let (_, users) = admin.get_text("/admin/users").await;
    let user = first_link(&users, "/admin/users/");
    let (_, places) = admin.get_text("/places").await;
    let place = first_link(&places, "/places/").replace("/places/", "/admin/places/");
    let (_, tasks) = member.get_text("/tasks").await;
    let task = first_link(&tasks, "/tasks/");
    let code: String = paani::db::schema::schemes::table
        .select(paani::db::schema::schemes::code)
        .first(&mut *app.conn())
        .unwrap();
    let admin_pages = [
        "/account".to_string(),
        "/admin/users".into(),
        "/admin/users/new".into(),
        format!("{user}/edit"),
        format!("{user}/password"),
        "/admin/places/new".into(),
        format!("{place}/edit"),
        "/places".into(),
        "/schemes".into(),
        "/schemes/new".into(),
        scheme.clone(),
        "/admin/audit".into(),
        format!("{scheme}/edit"),
        format!("{scheme}/assets/new"),
        format!("{scheme}/plans/new"),
        format!("{plan}/edit"),
        format!("{asset}/edit"),
        format!("{asset}/retire"),
        format!("{asset}/work"),
        "/breakdowns/new".into(),
        breakdown,
        format!("{household}/edit"),
        format!("{household}/ledger"),
        action,
    ];
    let secretary_pages = [
        "/households".to_string(),
        "/households/new".into(),
        "/payments".into(),
        "/tariffs".into(),
        "/cashbook".into(),
        "/cashbook/new".into(),
        "/committees".into(),
        committee.clone(),
        format!("{committee}/meetings/new"),
        meeting.clone(),
        format!("{meeting}/attendance"),
        "/decisions".into(),
    ];
    let mut missing = vec![];
    for (who, pages) in [(&admin, &admin_pages[..]), (&sec, &secretary_pages[..])] {
        for p in pages {
            let (s, body) = who.get_text(p).await;
            assert_eq!(s, StatusCode::OK, "GET {p}");
            assert!(body.contains("<form"), "{p} has no form");
            missing.extend(
                fields_without_maxlength(&body)
                    .into_iter()
                    .map(|f| format!("{p}: {f}")),
            );
        }
    }
    let (s, body) = member.get_text(&task).await;
    assert_eq!(s, StatusCode::OK);
    missing.extend(
        fields_without_maxlength(&body)
            .into_iter()
            .map(|f| format!("{task}: {f}")),
    );
    let anonymous = app.browser();
    for p in [
        "/login".to_string(),
        "/c/status".into(),
        format!("/c/{code}"),
    ] {
        let (s, body) = anonymous.get_text(&p).await;
        assert_eq!(s, StatusCode::OK, "GET {p}");
        missing.extend(
            fields_without_maxlength(&body)
                .into_iter()
                .map(|f| format!("{p}: {f}")),
        );
    }
    assert!(
        missing.is_empty(),
        "text fields without a maximum length:\n{}",
        missing.join("\n")
    );
}

#[tokio::test]
async fn text_over_the_forms_maximum_is_refused_with_the_limit_never_cut() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let (committee, _) = committee_and_meeting(&app).await;
    let gp: i64 = paani::db::schema::committees::table
        .filter(
            paani::db::schema::committees::id
                .eq(committee["/committees/".len()..].parse::<i64>().unwrap()),
        )
        .select(paani::db::schema::committees::gp_id)
        .first(&mut *app.conn())
        .unwrap();
    let gp = gp.to_string();
    let sec = app.login_as("secretary").await;
    // (who, form page, where it posts, the field, the other fields)
    type Form<'a> = (
        &'a Browser,
        String,
        String,
        &'a str,
        Vec<(&'a str, &'a str)>,
    );
    let forms: Vec<Form> = vec![
        (
            &sec,
            "/households/new".into(),
            "/households".into(),
            "head_name",
            vec![("connection_no", "X-1")],
        ),
        (
            &sec,
            format!("/cashbook/new?gp={gp}"),
            "/cashbook".into(),
            "party",
            vec![("gp_id", gp.as_str()), ("head", "income:donation")],
        ),
        (
            &sec,
            format!("{committee}/meetings/new"),
            format!("{committee}/meetings"),
            "venue",
            vec![("held_on", "2026-03-05"), ("agenda", "Accounts")],
        ),
        (
            &admin,
            "/schemes/new".into(),
            "/schemes".into(),
            "name",
            vec![],
        ),
        (
            &admin,
            "/admin/users/new".into(),
            "/admin/users".into(),
            "display_name",
            vec![("username", "long-name")],
        ),
    ];
    for (who, page, action, field, others) in forms {
        let (s, body) = who.get_text(&page).await;
        assert_eq!(s, StatusCode::OK, "GET {page}");
        let max = maxlength_of(&body, field);
        for (len, refused) in [(max + 1, true), (max, false)] {
            let typed = "अ".repeat(len);
            let mut fields = others.clone();
            fields.push((field, typed.as_str()));
            let res = who.post_form(&format!("{action}?lang=en"), &fields).await;
            let status = res.status();
            let body = res.text().await.unwrap();
            let grouped = paani::web::i18n::format_count(max as i64);
            let flagged = status == StatusCode::UNPROCESSABLE_ENTITY
                && summary(&body).contains(&format!("href=\"#{field}\""));
            if refused {
                assert!(flagged, "{action}: {field} of {len} characters is refused");
                assert!(
                    summary(&body).contains(&format!("At most {grouped} characters")),
                    "{action}: the limit {max} is named: {}",
                    summary(&body)
                );
                assert!(
                    body.contains(&typed),
                    "{action}: the long text is kept to shorten"
                );
            } else {
                assert!(!flagged, "{action}: {field} of {max} characters is taken");
            }
        }
    }
}
