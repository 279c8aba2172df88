//! Water quality: sampling points (forms, from the scheme's assets, API), on both backends.

use crate::factories::water_scheme;
use crate::helpers::{call, get_json, location, Browser, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn points_are_made_from_the_schemes_sources_and_tanks_once() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.secretary_of(&gp);
    let (scheme, [borewell, ohsr, _pump]) = water_scheme(&app, &gp);
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, page) = b
        .get_text(&format!("/schemes/{scheme}/sampling-points"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Borewell 1") && page.contains("OHSR"),
        "{page}"
    );
    let (_, scheme_page) = b.get_text(&format!("/schemes/{scheme}")).await;
    assert!(scheme_page.contains(&format!("/schemes/{scheme}/sampling-points")));

    assert_eq!(points_from_assets(&b, scheme).await, StatusCode::SEE_OTHER);
    assert_eq!(app.count("sampling_points"), 2);
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, list) = get_json(
        &app,
        &token,
        &format!("/api/v1/water-quality/points?scheme={scheme}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    let kind_of = |asset: i64| {
        items
            .iter()
            .find(|p| p["asset_id"] == json!(asset))
            .map(|p| p["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(kind_of(borewell).as_deref(), Some("source"));
    assert_eq!(kind_of(ohsr).as_deref(), Some("storage_tank"));
    assert!(items
        .iter()
        .all(|p| p["village_id"] == json!(gp.village_id)));

    // Again: nothing new.
    assert_eq!(points_from_assets(&b, scheme).await, StatusCode::SEE_OTHER);
    assert_eq!(app.count("sampling_points"), 2);
}

#[tokio::test]
async fn a_point_is_added_and_changed_through_the_form() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let other = app.gp();
    app.secretary_of(&gp);
    let (scheme, _) = water_scheme(&app, &gp);
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let village = gp.village_id.to_string();
    let foreign_village = other.village_id.to_string();

    // A village the scheme does not serve, a missing name, half a position: 422, input kept.
    let res = b
        .post_form(
            &format!("/schemes/{scheme}/sampling-points"),
            &[
                ("kind", "school"),
                ("village_id", &foreign_village),
                ("name", ""),
                ("latitude", "23.2"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("value=\"23.2\""), "input kept");
    assert_eq!(app.count("sampling_points"), 0);
    let res = b
        .post_form(
            &format!("/schemes/{scheme}/sampling-points"),
            &[
                ("kind", "school"),
                ("village_id", &foreign_village),
                ("name", "Primary school"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Choose one of the scheme"));

    let res = b
        .post_form(
            &format!("/schemes/{scheme}/sampling-points"),
            &[
                ("kind", "school"),
                ("village_id", &village),
                ("name", "Primary school"),
                ("name_hi", "प्राथमिक विद्यालय"),
                ("latitude", "२३.२"),
                ("longitude", "77.4"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/schemes/{scheme}/sampling-points"));
    let id = first_point(&app);
    let (s, edit) = b
        .get_text(&format!("/water-quality/points/{id}/edit"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(edit.contains("Primary school"));
    assert!(
        edit.contains("value=\"23.2\""),
        "Devanagari digits read as 23.2"
    );
    // Unticking "in use" takes the point out of use.
    let res = b
        .post_form(
            &format!("/water-quality/points/{id}"),
            &[
                ("kind", "anganwadi"),
                ("village_id", &village),
                ("name", "Anganwadi 2"),
                ("latitude", "23.2"),
                ("longitude", "77.4"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, p) = get_json(&app, &token, &format!("/api/v1/water-quality/points/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["kind"], "anganwadi");
    assert_eq!(p["active"], false);
    assert_eq!(p["latitude"], 23.2);
    assert_eq!(app.count("audit_log WHERE entity = 'sampling_point'"), 2);
}

#[tokio::test]
async fn points_of_another_gp_are_not_found_and_members_cannot_manage_them() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let other = app.gp();
    app.secretary_of(&gp);
    app.secretary_of(&other);
    app.member_of(&gp);
    let (scheme, _) = water_scheme(&app, &gp);
    let mine = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    assert_eq!(
        points_from_assets(&mine, scheme).await,
        StatusCode::SEE_OTHER
    );
    let id = first_point(&app);

    let theirs = app.login_as(&format!("secretary-{}", other.lgd)).await;
    for path in [
        format!("/schemes/{scheme}/sampling-points"),
        format!("/schemes/{scheme}/sampling-points/new"),
        format!("/water-quality/points/{id}/edit"),
    ] {
        assert_eq!(
            theirs.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        points_from_assets(&theirs, scheme).await,
        StatusCode::NOT_FOUND
    );
    let token = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let (s, _) = get_json(&app, &token, &format!("/api/v1/water-quality/points/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, list) = get_json(&app, &token, "/api/v1/water-quality/points").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["total"], 0);
    let (s, _) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/points",
        json!({"scheme_id": scheme, "kind": "tap", "village_id": gp.village_id.to_string(), "name": "Tap"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A member reads the points but does not manage them.
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    assert_eq!(
        member
            .get(&format!("/schemes/{scheme}/sampling-points"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        points_from_assets(&member, scheme).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_api_adds_a_point_and_answers_422_with_field_errors() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.secretary_of(&gp);
    let (scheme, _) = water_scheme(&app, &gp);
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, body) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/points",
        json!({"scheme_id": scheme, "kind": "river", "village_id": gp.village_id.to_string(), "name": ""}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = body.to_string();
    assert!(fields.contains("kind") && fields.contains("name"), "{body}");
    let (s, p) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/points",
        json!({"scheme_id": scheme, "kind": "tap", "village_id": gp.village_id.to_string(), "name": "Tap near temple"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["gp_id"], gp.id);
    assert_eq!(p["active"], true);
}

#[tokio::test]
async fn the_testers_register_adds_links_and_scopes() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let other = app.gp();
    app.secretary_of(&gp);
    app.secretary_of(&other);
    let member = app.member_of(&gp);
    let foreign_member = app.member_of(&other);
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, page) = b.get_text("/water-quality/testers/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("Village {}", gp.lgd * 100 + 1)));
    let village = gp.village_id.to_string();
    // A member of another GP cannot be linked; a future training date is refused.
    let res = b
        .post_form(
            "/water-quality/testers",
            &[
                ("name", "Sunita Devi"),
                ("village_id", &village),
                ("trained_on", "2099-01-01"),
                ("trained_by", "PHED block team"),
                ("user_id", &foreign_member.id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("water_testers"), 0);
    let res = b
        .post_form(
            "/water-quality/testers",
            &[
                ("name", "Sunita Devi"),
                ("village_id", &village),
                ("trained_on", "१५-०६-२०२५"),
                ("trained_by", "PHED block team"),
                ("user_id", &member.id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, list) = b.get_text("/water-quality/testers").await;
    assert!(
        list.contains("Sunita Devi") && list.contains("15-06-2025"),
        "{list}"
    );

    // The other GP's secretary neither sees her nor can put her in a village of ours.
    let theirs = app.login_as(&format!("secretary-{}", other.lgd)).await;
    let (_, their_list) = theirs.get_text("/water-quality/testers").await;
    assert!(!their_list.contains("Sunita Devi"));
    assert_eq!(
        theirs
            .get(&format!("/water-quality/testers?gp={}", gp.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let token = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let (s, _) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/testers",
        json!({"name": "X", "village_id": village, "trained_on": "2025-01-01", "trained_by": "Y"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, l) = get_json(&app, &token, "/api/v1/water-quality/testers").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l["total"], 0);
}

/// A GP with a scheme whose borewell is a sampling point and a tester linked to the GP's
/// member: (gp, point id, tester id).
pub(crate) async fn tested_gp(app: &TestApp) -> (crate::factories::Gp, i64, i64) {
    use diesel::prelude::*;
    use paani::db::schema::{sampling_points as sp, water_testers as wt};
    let gp = app.gp();
    app.secretary_of(&gp);
    let member = app.member_of(&gp);
    let (scheme, [borewell, ..]) = water_scheme(app, &gp);
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    assert_eq!(points_from_assets(&b, scheme).await, StatusCode::SEE_OTHER);
    let res = b
        .post_form(
            "/water-quality/testers",
            &[
                ("name", "Sunita Devi"),
                ("village_id", &gp.village_id.to_string()),
                ("trained_on", "2025-06-15"),
                ("trained_by", "PHED"),
                ("user_id", &member.id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let point = paani::on_backend!(&mut *c, |c| sp::table
        .filter(sp::asset_id.eq(borewell))
        .select(sp::id)
        .first::<i64>(c))
    .unwrap();
    let tester = paani::on_backend!(&mut *c, |c| wt::table
        .filter(wt::gp_id.eq(gp.id))
        .select(wt::id)
        .first::<i64>(c))
    .unwrap();
    (gp, point, tester)
}

#[tokio::test]
async fn a_tester_records_an_ftk_test_in_hindi_digits_and_sees_it_classified() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let expiry = (today + chrono::Duration::days(90)).to_string();
    let b = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (s, form) = b
        .get_text(&format!(
            "/water-quality/points/{point}/samples/new?kind=ftk"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("name=\"v_fluoride\"") && !form.contains("name=\"v_e_coli\""));
    let (_, h2s) = b
        .get_text(&format!(
            "/water-quality/points/{point}/samples/new?kind=h2s"
        ))
        .await;
    assert!(h2s.contains("type=\"radio\" name=\"v_h2s_bacteria\""));
    let res = b
        .post_form(
            &format!("/water-quality/points/{point}/samples"),
            &[
                ("kind", "ftk"),
                ("sampled_on", &today.to_string()),
                ("tested_on", &today.to_string()),
                ("tester_id", &tester.to_string()),
                ("kit_batch", "FTK-2026-07"),
                ("kit_expires_on", &expiry),
                ("v_ph", "७.४"),
                ("v_fluoride", "१.३"),
                ("v_nitrate", "12"),
                ("v_iron", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/water-quality/samples/"), "{to}");
    let (s, page) = b.get_text(&to).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("wq-permissible"), "overall class shown");
    assert!(page.contains("Within the permissible limit"));
    assert!(page.contains("1.3 mg/l") && page.contains("7.4"));
    assert_eq!(app.count("water_sample_values"), 3);
    assert_eq!(
        app.count("water_samples WHERE overall_class = 'permissible' AND standard_version = 'IS 10500:2012'"),
        1
    );
    // The list filters by class and kind.
    let (_, list) = b
        .get_text("/water-quality/samples?class=permissible&kind=ftk")
        .await;
    assert!(list.contains(&to));
    let (_, none) = b.get_text("/water-quality/samples?class=acceptable").await;
    assert!(!none.contains(&to));
    let (_, none) = b.get_text("/water-quality/samples?from=2099-01-01").await;
    assert!(!none.contains(&to));
}

#[tokio::test]
async fn bad_tests_answer_422_and_keep_the_input() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let res = b
        .post_form(
            &format!("/water-quality/points/{point}/samples"),
            &[
                ("kind", "ftk"),
                ("sampled_on", &today.to_string()),
                ("tested_on", &today.to_string()),
                ("tester_id", &tester.to_string()),
                ("kit_batch", "OLD-1"),
                ("kit_expires_on", &yesterday),
                ("v_fluoride", "-0.5"),
                ("v_ph", "7.1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("expired"), "expired kit named");
    assert!(
        body.contains("value=\"OLD-1\"") && body.contains("value=\"7.1\""),
        "input kept"
    );
    assert_eq!(app.count("water_samples"), 0);

    // The API: a parameter the kind does not measure, a negative value.
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, body) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/samples",
        json!({"point_id": point, "kind": "h2s", "sampled_on": today.to_string(), "tested_on": today.to_string(),
               "tester_id": tester.to_string(), "values": {"fluoride": "1", "h2s_bacteria": "maybe"}}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let text = body.to_string();
    assert!(
        text.contains("v_fluoride") && text.contains("v_h2s_bacteria"),
        "{body}"
    );
    let (s, created) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/samples",
        json!({"point_id": point, "kind": "h2s", "sampled_on": today.to_string(), "tested_on": today.to_string(),
               "tester_id": tester.to_string(), "values": {"h2s_bacteria": "present"}}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["overall_class"], "bacteria_present");
    assert_eq!(created["values"][0]["present"], true);
    let id = created["id"].as_i64().unwrap();
    let (s, got) = get_json(&app, &token, &format!("/api/v1/water-quality/samples/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got["values"][0]["class"], "bacteria_present");
}

#[tokio::test]
async fn who_may_record_tests_and_who_sees_them() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let other = app.gp();
    app.secretary_of(&other);
    let outsider = app.add_user(&format!("member2-{}", gp.lgd), "member", Some(gp.lgd));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let form = |kind: &str| -> Vec<(String, String)> {
        vec![
            ("kind".into(), kind.to_string()),
            ("sampled_on".into(), today.clone()),
            ("tested_on".into(), today.clone()),
            ("tester_id".into(), tester.to_string()),
            ("laboratory".into(), "District lab".to_string()),
            if kind == "laboratory" {
                ("v_e_coli".into(), "absent".to_string())
            } else {
                ("v_h2s_bacteria".into(), "absent".to_string())
            },
        ]
    };
    let path = format!("/water-quality/points/{point}/samples");
    // A member who is not in the register is refused; one of another GP does not find it.
    let not_tester = app.login_as(&outsider.username).await;
    assert_eq!(
        post_status(&not_tester, &path, form("h2s")).await,
        StatusCode::FORBIDDEN
    );
    let theirs = app.login_as(&format!("secretary-{}", other.lgd)).await;
    assert_eq!(
        post_status(&theirs, &path, form("h2s")).await,
        StatusCode::NOT_FOUND
    );
    // A secretary enters field tests but not a laboratory's result; an admin does.
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    assert_eq!(
        post_status(&secretary, &path, form("laboratory")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_status(&secretary, &path, form("h2s")).await,
        StatusCode::SEE_OTHER
    );
    app.admin();
    let admin = app.login_as("admin").await;
    assert_eq!(
        post_status(&admin, &path, form("laboratory")).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("water_samples"), 2);
    assert_eq!(
        app.count("water_samples WHERE kind = 'laboratory' AND tester_id IS NULL"),
        1
    );
    // The other GP's secretary sees none of them.
    let (_, list) = theirs.get_text("/water-quality/samples").await;
    assert!(!list.contains("/water-quality/samples/1\""));
    let token = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let (s, l) = get_json(&app, &token, "/api/v1/water-quality/samples").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l["total"], 0);
    let (s, _) = get_json(&app, &token, "/api/v1/water-quality/samples/1").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// POST a form built at run time; its answer's status.
async fn post_status(b: &Browser, path: &str, fields: Vec<(String, String)>) -> StatusCode {
    b.post_pairs(path, &fields).await.status()
}

/// "Create from the scheme's assets" on the points page; the answer's status.
async fn points_from_assets(b: &Browser, scheme: i64) -> StatusCode {
    b.post_form(
        &format!("/schemes/{scheme}/sampling-points/from-assets"),
        &[],
    )
    .await
    .status()
}

/// The id of the (first) sampling point.
fn first_point(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::sampling_points as sp;
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| sp::table.select(sp::id).first::<i64>(c)).unwrap()
}

#[tokio::test]
async fn the_demo_has_points_testers_and_a_fluoride_reading_in_the_permissible_band() {
    let app = TestApp::with_demo().await;
    let made = paani::demo::seed_water_quality(&app.db, &app.clock, &app.config).unwrap();
    assert!(made > 200, "two years of tests: {made}");
    assert_eq!(
        paani::demo::seed_water_quality(&app.db, &app.clock, &app.config).unwrap(),
        0,
        "once"
    );
    assert!(app.count("sampling_points") >= 2);
    assert_eq!(
        app.count("water_testers t JOIN places g ON g.id = t.gp_id WHERE g.lgd_code = 23010101"),
        3
    );
    assert_eq!(
        app.count("water_testers t JOIN users u ON u.id = t.user_id WHERE u.username = 'member'"),
        1
    );
    assert!(
        app.count("water_sample_values WHERE parameter = 'fluoride' AND class = 'permissible'") > 0
    );
    // The demo member, a tester, opens the FTK form at a point of her GP.
    let b = app.login_as("member").await;
    let (s, list) = b.get_text("/water-quality/samples").await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains("अनुमेय सीमा के भीतर"), "Hindi class words");
}

#[tokio::test]
async fn a_lab_analyst_enters_laboratory_results_in_her_district_only() {
    let app = TestApp::spawn().await;
    let (gp, point, _) = tested_gp(&app).await;
    let district = gp.block_lgd / 100;
    // The admin makes the analyst through the user form: a district, not a GP.
    app.admin();
    let admin = app.login_as("admin").await;
    let user_form = |place: String| {
        vec![
            ("username".to_string(), "lab-analyst".to_string()),
            ("display_name".into(), "District Lab".into()),
            ("lang".into(), "en".into()),
            ("password".into(), crate::helpers::DEMO_PASSWORD.into()),
            ("role".into(), "lab_analyst".into()),
            ("place_lgd_code".into(), place),
        ]
    };
    let res = admin
        .post_pairs("/admin/users", &user_form(gp.lgd.to_string()))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a GP is no lab's scope"
    );
    let res = admin
        .post_pairs("/admin/users", &user_form(district.to_string()))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count(&format!(
            "users u JOIN places p ON p.id = u.place_id WHERE u.username = 'lab-analyst' \
             AND u.role = 'lab_analyst' AND p.level = 'district' AND p.lgd_code = {district}"
        )),
        1
    );
    let (s, page) = admin.get_text("/admin/users/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("value=\"lab_analyst\"") && page.contains("Laboratory analyst"));

    let lab = app.login_as("lab-analyst").await;
    // Home is the list of tests.
    let res = lab.get("/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/water-quality/samples");
    // The form opens on the laboratory kind and offers no field kit.
    let (s, form) = lab
        .get_text(&format!("/water-quality/points/{point}/samples/new"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("name=\"laboratory\"") && !form.contains("?kind=ftk"));
    let (s, _) = lab
        .get_text(&format!(
            "/water-quality/points/{point}/samples/new?kind=ftk"
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let form = |kind: &str| -> Vec<(String, String)> {
        vec![
            ("kind".into(), kind.to_string()),
            ("sampled_on".into(), today.clone()),
            ("tested_on".into(), today.clone()),
            ("laboratory".into(), "District Water Testing Lab".into()),
            ("lab_sample_no".into(), "DL-0042".into()),
            ("kit_batch".into(), "K1".into()),
            ("kit_expires_on".into(), "2099-01-01".into()),
            ("v_fluoride".into(), "0.8".into()),
            ("v_e_coli".into(), "absent".into()),
        ]
    };
    let post = |kind: &str, p: i64| {
        let path = format!("/water-quality/points/{p}/samples");
        let fields = form(kind);
        let lab = &lab;
        async move { post_status(lab, &path, fields).await }
    };
    assert_eq!(post("ftk", point).await, StatusCode::FORBIDDEN);
    assert_eq!(post("h2s", point).await, StatusCode::FORBIDDEN);
    assert_eq!(app.count("water_samples"), 0);
    assert_eq!(post("laboratory", point).await, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("water_samples WHERE kind = 'laboratory' AND lab_sample_no = 'DL-0042'"),
        1
    );
    let (s, list) = lab.get_text("/water-quality/samples").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        list.contains("/water-quality/samples/1\""),
        "her district's tests listed"
    );

    // A point in another district is not found.
    let (_, other_point, _) = tested_gp(&app).await;
    assert_eq!(post("laboratory", other_point).await, StatusCode::NOT_FOUND);
    let (s, _) = lab
        .get_text(&format!("/water-quality/points/{other_point}/samples/new"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The API alike.
    let token = app.api_token("lab-analyst").await;
    let body = |kind: &str, p: i64| {
        json!({"point_id": p, "kind": kind, "sampled_on": today, "tested_on": today,
               "laboratory": "District Water Testing Lab", "lab_sample_no": "DL-0043",
               "values": {"nitrate": "20", "e_coli": "absent"}})
    };
    let (s, created) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/samples",
        body("laboratory", point),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["kind"], "laboratory");
    let (s, _) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/samples",
        body("h2s", point),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = call(
        &app,
        &token,
        "POST",
        "/api/v1/water-quality/samples",
        body("laboratory", other_point),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(app.count("water_samples"), 2);

    // Nothing else: billing, maintenance, the dashboard are closed to her.
    for path in [
        "/households",
        "/tariffs",
        "/demands",
        "/payments",
        "/tasks",
        "/dashboard",
    ] {
        let res = lab.get(path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let (s, _) = get_json(&app, &token, "/api/v1/households").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// A small JPEG, as a phone's camera sends it.
fn kit_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = std::io::Cursor::new(vec![]);
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// A test through the form as multipart, with this photo.
async fn post_with_photo(
    b: &crate::helpers::Browser,
    point: i64,
    fields: &[(&str, String)],
    photo: Vec<u8>,
) -> (StatusCode, String, String) {
    let token = b
        .csrf(&format!(
            "/water-quality/points/{point}/samples/new?kind=h2s"
        ))
        .await;
    let mut form = reqwest::multipart::Form::new().text("_csrf", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.clone());
    }
    form = form.part(
        "photo_1",
        reqwest::multipart::Part::bytes(photo).file_name("IMG_0007.jpg"),
    );
    let res = b
        .client
        .post(b.url(&format!("/water-quality/points/{point}/samples")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = res.status();
    let to = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, to, res.text().await.unwrap())
}

#[tokio::test]
async fn a_test_keeps_a_photo_of_the_kit_and_a_bad_photo_is_a_photo_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_string_lossy().into_owned();
    let app = TestApp::spawn_with(|c| c.storage.photos_dir = d).await;
    let (gp, point, tester) = tested_gp(&app).await;
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let b = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, form) = b
        .get_text(&format!(
            "/water-quality/points/{point}/samples/new?kind=h2s"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("name=\"photo_1\""));
    let fields = [
        ("kind", "h2s".to_string()),
        ("sampled_on", today.clone()),
        ("tested_on", today.clone()),
        ("tester_id", tester.to_string()),
        ("notes", "Vial turned black by day two".to_string()),
        ("v_h2s_bacteria", "present".to_string()),
    ];
    // Not a picture: a photo error, the other fields kept, nothing stored.
    let (s, _, body) = post_with_photo(&b, point, &fields, b"not a picture".to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Vial turned black by day two"), "input kept");
    assert!(body.contains("field-error"), "{body}");
    assert_eq!(app.count("water_samples"), 0);
    assert_eq!(app.count("work_photos"), 0);
    // A real photo: stored with the test and shown on its page.
    let (s, to, body) = post_with_photo(&b, point, &fields, kit_photo()).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(app.count("work_photos WHERE sample_id IS NOT NULL"), 1);
    let (_, page) = b.get_text(&to).await;
    let src = page
        .split("src=\"")
        .find(|p| p.starts_with(&format!("{to}/photos/")))
        .map(|p| p.split('"').next().unwrap().to_string())
        .expect("the photo is shown");
    assert!(src.ends_with("/small"), "{src}");
    let res = b.get(&src).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let full = b.get(&src.replace("/small", "/full")).await;
    assert_eq!(full.status(), StatusCode::OK);
    // The district's lab analyst sees it; another GP's secretary does not find it.
    app.add_user("lab-d", "lab_analyst", Some(gp.block_lgd / 100));
    let lab = app.login_as("lab-d").await;
    assert_eq!(lab.get(&src).await.status(), StatusCode::OK);
    let other = app.gp();
    app.secretary_of(&other);
    let theirs = app.login_as(&format!("secretary-{}", other.lgd)).await;
    assert_eq!(theirs.get(&src).await.status(), StatusCode::NOT_FOUND);
}
