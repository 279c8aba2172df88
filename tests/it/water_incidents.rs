//! Contamination incidents (issue 25, items 4 and 5): a failing test opens one, the
//! laboratory confirms it or not, remedies and a passing re-test close it; deadlines remind
//! and escalate; the scheme's public page and the member's home show the advisory while one
//! is open; supply's quality criterion follows. On both backends.

use crate::helpers::{call, get_json, TestApp};
use crate::water_quality::tested_gp;
use chrono::Duration;
use diesel::prelude::*;
use paani::db::schema::{schemes, water_incident_events, water_incidents};
use reqwest::StatusCode;
use serde_json::json;

fn today(app: &TestApp) -> chrono::NaiveDate {
    paani::web::i18n::today_in_india(app.clock.now())
}

/// A field test at a point by the GP's member (a tester): `kind` ftk or h2s.
async fn field_test(
    app: &TestApp,
    gp: &crate::factories::Gp,
    point: i64,
    tester: i64,
    kind: &str,
    values: &[(&str, &str)],
) {
    let b = app.login_as(&format!("member-{}", gp.lgd)).await;
    let day = today(app).to_string();
    let expiry = (today(app) + Duration::days(90)).to_string();
    let tester = tester.to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("kind".into(), kind.into()),
        ("sampled_on".into(), day.clone()),
        ("tested_on".into(), day),
        ("tester_id".into(), tester),
    ];
    if kind == "ftk" {
        fields.push(("kit_batch".into(), "FTK-1".into()));
        fields.push(("kit_expires_on".into(), expiry));
    }
    for (k, v) in values {
        fields.push((format!("v_{k}"), v.to_string()));
    }
    let res = b
        .post_pairs(&format!("/water-quality/points/{point}/samples"), &fields)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{kind} test recorded");
}

/// A laboratory test at a point by the district's analyst.
pub(crate) async fn lab_test(app: &TestApp, analyst: &str, point: i64, values: &[(&str, &str)]) {
    let b = app.login_as(analyst).await;
    let day = today(app).to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("kind".into(), "laboratory".into()),
        ("sampled_on".into(), day.clone()),
        ("tested_on".into(), day),
        ("laboratory".into(), "District laboratory".into()),
        ("lab_sample_no".into(), "DL-7".into()),
    ];
    for (k, v) in values {
        fields.push((format!("v_{k}"), v.to_string()));
    }
    let res = b
        .post_pairs(&format!("/water-quality/points/{point}/samples"), &fields)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "laboratory test recorded"
    );
}

/// The incidents (id, status, parameters, due) in order.
fn incidents(app: &TestApp) -> Vec<(i64, String, String, Option<chrono::NaiveDate>)> {
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| water_incidents::table
        .order(water_incidents::id)
        .select((
            water_incidents::id,
            water_incidents::status,
            water_incidents::parameters,
            water_incidents::due_on,
        ))
        .load(c))
    .unwrap()
}

fn event_kinds(app: &TestApp, id: i64) -> Vec<String> {
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| water_incident_events::table
        .filter(water_incident_events::incident_id.eq(id))
        .order(water_incident_events::id)
        .select(water_incident_events::kind)
        .load(c))
    .unwrap()
}

pub(crate) fn analyst_of(app: &TestApp, gp: &crate::factories::Gp) -> String {
    let name = format!("lab-{}", gp.lgd);
    app.add_user(&name, "lab_analyst", Some(gp.block_lgd / 100));
    name
}

#[tokio::test]
async fn a_positive_ftk_goes_through_the_laboratory_remedies_and_a_retest_to_closed() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let analyst = analyst_of(&app, &gp);
    let t = today(&app);
    // fluoride 2.0 mg/l: beyond the permissible 1.5
    field_test(
        &app,
        &gp,
        point,
        tester,
        "ftk",
        &[("fluoride", "2.0"), ("ph", "7.2")],
    )
    .await;
    let all = incidents(&app);
    assert_eq!(all.len(), 1);
    let (id, status, params, due) = all[0].clone();
    assert_eq!((status.as_str(), params.as_str()), ("open", "fluoride"));
    assert_eq!(due, Some(t + Duration::days(2)), "send_to_lab_days");
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, list) = sec.get_text("/water-quality/incidents").await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains(&format!("/water-quality/incidents/{id}")));
    let (_, page) = sec
        .get_text(&format!("/water-quality/incidents/{id}"))
        .await;
    assert!(page.contains("Too much fluoride"), "the parameter's advice");
    assert!(page.contains("sent-to-lab") && page.contains("csrf"));

    // a sample went to the laboratory; a day before detection is refused, input kept
    let path = format!("/water-quality/incidents/{id}/sent-to-lab");
    let before = (t - Duration::days(3)).to_string();
    let res = sec
        .post_form(
            &path,
            &[("laboratory", "District lab"), ("sent_on", &before)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("before the contamination was found"));
    let res = sec
        .post_form(
            &path,
            &[("laboratory", "District lab"), ("sent_on", &t.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(incidents(&app)[0].1, "sent_to_lab");
    assert_eq!(incidents(&app)[0].3, Some(t + Duration::days(7)));

    // the laboratory confirms it
    lab_test(
        &app,
        &analyst,
        point,
        &[("fluoride", "2.1"), ("e_coli", "absent")],
    )
    .await;
    assert_eq!(incidents(&app)[0].1, "confirmed");
    assert_eq!(
        incidents(&app).len(),
        1,
        "no new incident: it joined the open one"
    );

    // closing without a passing re-test is refused
    let close = format!("/water-quality/incidents/{id}/close");
    let res = sec.post_form(&close, &[("note", "done")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("only after a passing re-test"));
    assert_eq!(incidents(&app)[0].1, "confirmed");

    // a remedial action: who, when, what
    let res = sec
        .post_form(
            &format!("/water-quality/incidents/{id}/remedies"),
            &[
                ("action", "alternate_source"),
                ("done_on", &t.to_string()),
                ("done_by", "PHED junior engineer"),
                ("note", "Supply from the second borewell"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(incidents(&app)[0].1, "remediating");
    let res = sec.post_form(&close, &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no re-test yet"
    );
    // a test that did not measure fluoride is no re-test
    field_test(&app, &gp, point, tester, "ftk", &[("ph", "7.0")]).await;
    assert_eq!(incidents(&app)[0].1, "remediating");
    // the passing re-test
    field_test(&app, &gp, point, tester, "ftk", &[("fluoride", "0.8")]).await;
    assert_eq!(incidents(&app)[0].1, "retested");
    let res = sec.post_form(&close, &[("note", "Safe again")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, status, _, due) = incidents(&app)[0].clone();
    assert_eq!((status.as_str(), due), ("closed", None));
    assert_eq!(
        event_kinds(&app, id),
        [
            "opened",
            "sent_to_lab",
            "lab_result",
            "remedial",
            "retest",
            "closed"
        ]
    );
    let (_, page) = sec
        .get_text(&format!("/water-quality/incidents/{id}"))
        .await;
    assert!(
        page.contains("PHED junior engineer") && page.contains("Switch to an alternate source")
    );
    assert!(
        !page.contains("/remedies\""),
        "no step forms on a closed incident"
    );
    assert_eq!(
        app.count("audit_log WHERE entity = 'water_incident'"),
        6,
        "each step audited"
    );
    // the API reads it with its timeline
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, one) = get_json(
        &app,
        &token,
        &format!("/api/v1/water-quality/incidents/{id}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{one}");
    assert_eq!(one["status"], "closed");
    assert_eq!(one["events"].as_array().unwrap().len(), 6);
    let (_, open) = get_json(&app, &token, "/api/v1/water-quality/incidents").await;
    assert_eq!(open["total"], 0, "open ones by default");
    let (_, closed) = get_json(
        &app,
        &token,
        "/api/v1/water-quality/incidents?status=closed",
    )
    .await;
    assert_eq!(closed["total"], 1);
}

#[tokio::test]
async fn the_laboratory_not_confirming_ends_it_and_a_second_positive_joins_the_open_one() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let analyst = analyst_of(&app, &gp);
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    let all = incidents(&app);
    assert_eq!(all.len(), 1, "one open incident per point and group");
    assert_eq!(event_kinds(&app, all[0].0), ["opened", "positive_again"]);
    // a remedy may go out at once (the advisory), the status stays
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let res = sec
        .post_form(
            &format!("/water-quality/incidents/{}/remedies", all[0].0),
            &[
                ("action", "advisory"),
                ("done_on", &today(&app).to_string()),
                ("done_by", "Sarpanch"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(incidents(&app)[0].1, "open");
    // the laboratory finds no bacteria: not confirmed, ended
    lab_test(
        &app,
        &analyst,
        point,
        &[("e_coli", "absent"), ("total_coliform", "absent")],
    )
    .await;
    let (id, status, _, due) = incidents(&app)[0].clone();
    assert_eq!((status.as_str(), due), ("not_confirmed", None));
    assert_eq!(
        app.count(&format!(
            "water_incidents WHERE id = {id} AND closed_at IS NOT NULL"
        )),
        1
    );
    // it cannot be acted on any more
    let res = sec
        .post_form(
            &format!("/water-quality/incidents/{id}/remedies"),
            &[
                ("action", "chlorination"),
                ("done_on", &today(&app).to_string()),
                ("done_by", "Operator"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // a new positive opens a new incident
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    assert_eq!(incidents(&app).len(), 2);
    // a laboratory result beyond the limit at a point without an open incident opens it
    // confirmed
    lab_test(&app, &analyst, point, &[("nitrate", "60")]).await;
    let all = incidents(&app);
    assert_eq!(all.len(), 3);
    assert_eq!(
        (all[2].1.as_str(), all[2].2.as_str()),
        ("confirmed", "nitrate")
    );
}

#[tokio::test]
async fn a_late_step_reminds_the_engineer_then_the_district_and_clears_when_it_moves() {
    use paani::db::schema::reminders;
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    app.add_user("eng-wq", "block_engineer", Some(gp.block_lgd));
    app.add_user("officer-wq", "district_officer", Some(gp.block_lgd / 100));
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    let id = incidents(&app)[0].0;
    let config = paani::config::Config::defaults();
    let sweep = |days: i64, rule: &str| {
        let now = app.clock.now() + Duration::days(days);
        let today = paani::web::i18n::today_in_india(now);
        let rules = paani::reminders::rules::all(
            &config.reminders,
            &config.maintenance,
            &config.water_quality.incidents,
            3,
            today,
            now,
        );
        let r = rules.iter().find(|r| r.name == rule).unwrap();
        paani::reminders::rules::apply(&mut app.conn(), r, now).unwrap()
    };
    let to = |rule: &str| -> Vec<(String, bool)> {
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| reminders::table
            .inner_join(
                paani::db::schema::users::table
                    .on(paani::db::schema::users::id.eq(reminders::user_id)),
            )
            .filter(reminders::rule.eq(rule))
            .order(reminders::id)
            .select((
                paani::db::schema::users::role,
                reminders::resolved_at.is_not_null()
            ))
            .load(c))
        .unwrap()
    };
    // due in two days: not yet on the second, overdue on the third
    assert_eq!(sweep(2, "water_incident_overdue").raised, 0);
    assert_eq!(
        sweep(3, "water_incident_overdue").raised,
        2,
        "secretary and engineer"
    );
    assert_eq!(
        sweep(4, "water_incident_overdue").raised,
        0,
        "once per step"
    );
    let mut roles: Vec<String> = to("water_incident_overdue")
        .into_iter()
        .map(|r| r.0)
        .collect();
    roles.sort();
    assert_eq!(roles, ["block_engineer", "secretary"]);
    // a week past the deadline the district hears of it
    assert_eq!(sweep(9, "water_incident_overdue_district").raised, 0);
    assert_eq!(sweep(10, "water_incident_overdue_district").raised, 1);
    assert_eq!(
        to("water_incident_overdue_district")[0].0,
        "district_officer"
    );
    // the sample goes to the laboratory: the step's reminders clear
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let res = sec
        .post_form(
            &format!("/water-quality/incidents/{id}/sent-to-lab"),
            &[
                ("laboratory", "District lab"),
                ("sent_on", &today(&app).to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(sweep(4, "water_incident_overdue").resolved, 2);
    assert_eq!(sweep(4, "water_incident_overdue_district").resolved, 1);
    assert!(to("water_incident_overdue").iter().all(|r| r.1));
    // the laboratory's step (7 days) is late in its turn: reminded again
    assert_eq!(sweep(8, "water_incident_overdue").raised, 2);
}

async fn public_page(app: &TestApp, code: &str, lang: &str) -> String {
    let res = app
        .client
        .get(app.url(&format!("/c/{code}")))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_public_page_and_the_members_home_advise_while_an_incident_is_open() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let analyst = analyst_of(&app, &gp);
    let code: String = {
        use paani::db::schema::sampling_points as sp;
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| schemes::table
            .inner_join(sp::table)
            .filter(sp::id.eq(point))
            .select(schemes::code)
            .first(c))
        .unwrap()
    };
    let boil_hi = "पीने से पहले पानी को कम से कम एक मिनट उबालें";
    let boil_en = "Boil the water for at least one minute";
    for lang in ["hi", "en"] {
        let page = public_page(&app, &code, lang).await;
        assert!(
            !page.contains(boil_hi) && !page.contains(boil_en),
            "no advisory yet"
        );
        assert!(!page.contains("wq-last-tested"), "never tested");
    }
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    let date = paani::web::i18n::format_date(today(&app));
    for lang in ["hi", "en"] {
        let page = public_page(&app, &code, lang).await;
        assert!(
            page.contains(boil_hi) && page.contains(boil_en),
            "both languages ({lang})"
        );
        assert!(page.contains(&date), "when it was last tested ({lang})");
    }
    assert!(public_page(&app, &code, "hi")
        .await
        .contains("मानक पर खरा नहीं उतरा"));
    assert!(public_page(&app, &code, "en")
        .await
        .contains("did not meet the drinking-water standard"));
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (_, home) = member.get_text("/").await;
    assert!(
        home.contains(boil_hi) && home.contains(boil_en),
        "the member's home"
    );

    // confirmed, chlorinated, re-tested clean, closed: the advisory goes
    lab_test(&app, &analyst, point, &[("e_coli", "present")]).await;
    let id = incidents(&app)[0].0;
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let res = sec
        .post_form(
            &format!("/water-quality/incidents/{id}/remedies"),
            &[
                ("action", "chlorination"),
                ("done_on", &today(&app).to_string()),
                ("done_by", "Pump operator"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        public_page(&app, &code, "en").await.contains(boil_en),
        "still open"
    );
    field_test(
        &app,
        &gp,
        point,
        tester,
        "h2s",
        &[("h2s_bacteria", "absent")],
    )
    .await;
    let res = sec
        .post_form(&format!("/water-quality/incidents/{id}/close"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for lang in ["hi", "en"] {
        let page = public_page(&app, &code, lang).await;
        assert!(
            !page.contains(boil_hi) && !page.contains(boil_en),
            "gone after close ({lang})"
        );
    }
    assert!(public_page(&app, &code, "en")
        .await
        .contains("it met the drinking-water standard"));
    let (_, home) = member.get_text("/").await;
    assert!(!home.contains(boil_en));
}

#[tokio::test]
async fn another_gps_people_neither_see_nor_act_on_an_incident() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    field_test(&app, &gp, point, tester, "ftk", &[("arsenic", "0.2")]).await;
    let id = incidents(&app)[0].0;
    let other = app.gp();
    app.secretary_of(&other);
    let theirs = app.login_as(&format!("secretary-{}", other.lgd)).await;
    let (s, _) = theirs
        .get_text(&format!("/water-quality/incidents/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = theirs.get_text("/water-quality/incidents").await;
    assert!(!list.contains(&format!("/water-quality/incidents/{id}")));
    let res = theirs
        .post_form(
            &format!("/water-quality/incidents/{id}/sent-to-lab"),
            &[("laboratory", "Lab"), ("sent_on", &today(&app).to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let token = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let (s, _) = get_json(
        &app,
        &token,
        &format!("/api/v1/water-quality/incidents/{id}"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, l) = get_json(&app, &token, "/api/v1/water-quality/incidents?status=all").await;
    assert_eq!(l["total"], 0);
    // the GP's own member reads it but may not act on it
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (s, page) = member
        .get_text(&format!("/water-quality/incidents/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Arsenic"));
    let res = member
        .post_form(
            &format!("/water-quality/incidents/{id}/sent-to-lab"),
            &[("laboratory", "Lab"), ("sent_on", &today(&app).to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(incidents(&app)[0].1, "open");
    // its own secretary, through the API
    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, one) = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/water-quality/incidents/{id}/sent-to-lab"),
        json!({"laboratory": "State lab", "sent_on": today(&app).to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{one}");
    assert_eq!(one["status"], "sent_to_lab");
    let (s, e) = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/water-quality/incidents/{id}/close"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

#[tokio::test]
async fn supplys_quality_criterion_follows_tests_and_incidents() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let config = paani::config::Config::defaults();
    let (scheme_id, points): (i64, Vec<i64>) = {
        use paani::db::schema::sampling_points as sp;
        let mut c = app.conn();
        let s: i64 = paani::on_backend!(&mut *c, |c| sp::table
            .filter(sp::id.eq(point))
            .select(sp::scheme_id)
            .first(c))
        .unwrap();
        let ps = paani::on_backend!(&mut *c, |c| sp::table
            .filter(sp::scheme_id.eq(s))
            .select(sp::id)
            .load(c))
        .unwrap();
        (s, ps)
    };
    assert!(points.len() >= 2);
    let t = today(&app);
    let quality = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        let mut c = app.conn();
        let scheme = paani::schemes::model::find(&mut c, scheme_id).unwrap();
        paani::supply::service::quality_criterion(&mut c, &config, &scheme, from, to).unwrap()
    };
    use paani::supply::Criterion;
    assert_eq!(quality(t, t), Criterion::NotAssessed, "points, no tests");
    field_test(&app, &gp, points[0], tester, "ftk", &[("ph", "7.1")]).await;
    assert_eq!(
        quality(t, t),
        Criterion::NotAssessed,
        "one point not tested"
    );
    for p in &points[1..] {
        field_test(&app, &gp, *p, tester, "h2s", &[("h2s_bacteria", "absent")]).await;
    }
    assert_eq!(quality(t, t), Criterion::Met);
    // too long ago for a month far ahead
    let later = t + Duration::days(400);
    assert_eq!(quality(later, later), Criterion::NotAssessed);
    // a positive: not met in the period it was open
    field_test(
        &app,
        &gp,
        points[0],
        tester,
        "h2s",
        &[("h2s_bacteria", "present")],
    )
    .await;
    assert_eq!(quality(t, t), Criterion::NotMet);
    assert_eq!(
        quality(t - Duration::days(40), t - Duration::days(35)),
        Criterion::NotAssessed,
        "before it"
    );
    // a scheme without sampling points is not assessed
    let other = app.gp();
    let (bare, _) = crate::factories::water_scheme(&app, &other);
    let mut c = app.conn();
    let scheme = paani::schemes::model::find(&mut c, bare).unwrap();
    assert_eq!(
        paani::supply::service::quality_criterion(&mut c, &config, &scheme, t, t).unwrap(),
        Criterion::NotAssessed
    );
}
