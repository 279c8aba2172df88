//! Water quality's kit stock, figures and MIS export (issue 25 items 8–10), on both backends.

use crate::helpers::{get_json, TestApp};
use crate::water_quality::tested_gp;
use reqwest::StatusCode;
use serde_json::json;

/// Record an FTK (or H2S) test at `point` as the GP's member (a tester): the redirect status.
async fn ftk(
    app: &TestApp,
    gp: &crate::factories::Gp,
    point: i64,
    tester: i64,
    on: chrono::NaiveDate,
    batch: &str,
    values: &[(&str, &str)],
) -> StatusCode {
    let b = app.login_as(&format!("member-{}", gp.lgd)).await;
    let ftk = !batch.is_empty();
    let expiry = (on + chrono::Duration::days(300)).to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("kind".into(), if ftk { "ftk" } else { "h2s" }.into()),
        ("sampled_on".into(), on.to_string()),
        ("tested_on".into(), on.to_string()),
        ("tester_id".into(), tester.to_string()),
        ("kit_batch".into(), batch.into()),
        (
            "kit_expires_on".into(),
            if ftk { expiry } else { String::new() },
        ),
    ];
    fields.extend(
        values
            .iter()
            .map(|(k, v)| (format!("v_{k}"), v.to_string())),
    );
    b.post_pairs(&format!("/water-quality/points/{point}/samples"), &fields)
        .await
        .status()
}

/// A place's water-quality figures through the API (200 asserted).
async fn figures(app: &TestApp, token: &str, place: i64) -> serde_json::Value {
    let path = format!("/api/v1/water-quality/figures?place={place}");
    let (s, f) = get_json(app, token, &path).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    f
}

/// A place's monthly O&M report through the API (200 asserted).
async fn monthly(app: &TestApp, token: &str, place: i64, month: &str) -> serde_json::Value {
    let path = format!("/api/v1/reports/monthly?place={place}&month={month}");
    let (s, r) = get_json(app, token, &path).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r
}

fn today(app: &TestApp) -> chrono::NaiveDate {
    paani::web::i18n::today_in_india(app.clock.now())
}

fn sweep_rule(app: &TestApp, name: &str) -> paani::reminders::rules::Outcome {
    let config = paani::config::Config::defaults();
    let now = app.clock.now();
    let rules = paani::reminders::rules::all(
        &config.reminders,
        &config.maintenance,
        &config.water_quality.incidents,
        3,
        today(app),
        now,
    );
    let rule = rules.iter().find(|r| r.name == name).unwrap();
    paani::reminders::rules::apply(&mut app.conn(), rule, now).unwrap()
}

#[tokio::test]
async fn an_ftk_test_uses_its_batch_and_low_stock_reminds_until_a_refill() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let day = today(&app);
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let kits = format!("/water-quality/kits?gp={}", gp.id);
    let expires = (day + chrono::Duration::days(200)).to_string();
    let receive = |batch: &'static str, tests: &'static str, expires: String| {
        let sec = &sec;
        let kits = kits.clone();
        async move {
            sec.post_form(
                &kits,
                &[
                    ("kind", "refill"),
                    ("batch", batch),
                    ("tests", tests),
                    ("received_on", &day.to_string()),
                    ("expires_on", &expires),
                ],
            )
            .await
        }
    };
    // bad input: 422 in words, nothing written
    let res = receive("FTK-A", "0", expires.clone()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Write a number from 1 to"));
    assert_eq!(app.count("water_kit_batches"), 0);
    let res = receive("FTK-A", "21", expires.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = receive("FTK-A", "5", expires.clone()).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same batch twice"
    );
    assert!(res.text().await.unwrap().contains("already been received"));
    assert_eq!(app.count("water_kit_batches"), 1);

    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let stock = |token: String| {
        let app = &app;
        async move {
            let (s, v) = get_json(app, &token, "/api/v1/water-quality/kits").await;
            assert_eq!(s, StatusCode::OK, "{v}");
            v
        }
    };
    let v = stock(token.clone()).await;
    assert_eq!(
        (v["tests_left"].clone(), v["low"].clone()),
        (json!(21), json!(false))
    );
    // each FTK test naming the batch uses one of its tests; an H2S vial none
    let ph = [("ph", "7.2")];
    assert_eq!(
        ftk(&app, &gp, point, tester, day, "FTK-A", &ph).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ftk(
            &app,
            &gp,
            point,
            tester,
            day,
            "",
            &[("h2s_bacteria", "absent")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let v = stock(token.clone()).await;
    assert_eq!(v["tests_left"], 20);
    assert_eq!(v["batches"][0]["used"], 1);
    assert_eq!(v["low"], false, "20 is not below 20");
    assert_eq!(sweep_rule(&app, "ftk_refills_low").raised, 0);
    assert_eq!(
        ftk(&app, &gp, point, tester, day, "FTK-A", &ph).await,
        StatusCode::SEE_OTHER
    );
    let v = stock(token.clone()).await;
    assert_eq!(
        (v["tests_left"].clone(), v["low"].clone()),
        (json!(19), json!(true))
    );
    let (_, page) = sec.get_text(&kits).await;
    assert!(
        page.contains("id=\"wq-kit-low\"") && page.contains("19 tests left"),
        "{page}"
    );
    // the secretary is reminded, once
    assert_eq!(sweep_rule(&app, "ftk_refills_low").raised, 1);
    assert_eq!(sweep_rule(&app, "ftk_refills_low").raised, 0);
    // a batch about to expire reminds too
    let soon = (day + chrono::Duration::days(10)).to_string();
    assert_eq!(
        receive("FTK-B", "50", soon).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(sweep_rule(&app, "ftk_kits_expiring").raised, 1);
    // the refill brings the stock back: the low reminder resolves itself
    assert_eq!(sweep_rule(&app, "ftk_refills_low").resolved, 1);
    assert_eq!(
        app.count("reminders WHERE rule = 'ftk_refills_low' AND resolved_at IS NOT NULL"),
        1
    );
    // another GP's stock is not found
    let other = app.gp();
    let (s, _) = get_json(
        &app,
        &token,
        &format!("/api/v1/water-quality/kits?gp={}", other.id),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let res = sec
        .post_form(
            &format!("/water-quality/kits?gp={}", other.id),
            &[
                ("kind", "kit"),
                ("batch", "X"),
                ("tests", "5"),
                ("received_on", &day.to_string()),
                ("expires_on", &expires),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.count(&format!("water_kit_batches WHERE gp_id = {}", other.id)),
        0
    );
}

/// Three tests this season (one within, one beyond permissible, one with bacteria) and one
/// before it: the figures of the GP, its block, the dashboard and the month's report say so.
#[tokio::test]
async fn figures_equal_the_counts_by_hand_and_the_export_has_the_mis_columns() {
    let app = TestApp::spawn().await;
    let (gp, point, tester) = tested_gp(&app).await;
    let day = today(&app);
    let (season_from, _) = paani::water_quality::figures::season_of(day);
    let before = season_from - chrono::Duration::days(20);
    let see_other = StatusCode::SEE_OTHER;
    assert_eq!(
        ftk(
            &app,
            &gp,
            point,
            tester,
            day,
            "B1",
            &[("ph", "7.2"), ("fluoride", "0.6")]
        )
        .await,
        see_other
    );
    assert_eq!(
        ftk(&app, &gp, point, tester, day, "B1", &[("fluoride", "1.8")]).await,
        see_other
    );
    assert_eq!(
        ftk(
            &app,
            &gp,
            point,
            tester,
            day,
            "",
            &[("h2s_bacteria", "present")]
        )
        .await,
        see_other
    );
    assert_eq!(
        ftk(&app, &gp, point, tester, before, "B0", &[("ph", "7.0")]).await,
        see_other
    );

    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let f = figures(&app, &token, gp.id).await;
    let t = &f["total"];
    assert_eq!(t["points"], 2, "the borewell and the tank");
    assert_eq!(t["points_tested"], 1);
    assert_eq!(t["tests"], 3);
    assert_eq!(t["tests_within"], 1);
    assert_eq!(t["tests_beyond_permissible"], 1);
    assert_eq!(t["tests_bacteria_present"], 1);
    assert_eq!(t["within_percent"], 33.3);
    assert_eq!(
        t["incidents_open_by_age"],
        json!([2, 0, 0, 0]),
        "the fluoride and the bacteria found today"
    );
    assert_eq!(t["tests_overdue"], 0, "no schedule raised");
    assert_eq!(f["season_from"], season_from.to_string());
    // the block adds its GPs up (this block has one with tests)
    let admin = app.api_token("admin").await;
    let block = app.place_id(paani::places::Level::Block, gp.block_lgd);
    let fb = figures(&app, &admin, block).await;
    assert_eq!(fb["total"]["tests"], 3);
    assert_eq!(fb["gps"][0]["gp_id"], gp.id);
    // the GP's dashboard and the month's O&M report
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, dash) = sec.get_text(&format!("/places/{}/dashboard", gp.id)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        dash.contains("id=\"dash-water\"") && dash.contains("<dd id=\"wq-tests\">3</dd>"),
        "{dash}"
    );
    let month = day.format("%Y-%m").to_string();
    let r = monthly(&app, &token, gp.id, &month).await;
    assert_eq!(r["total"]["water_tests"], 3);
    assert_eq!(r["total"]["water_tests_within"], 1);
    assert_eq!(r["total"]["water_points_tested"], 1);

    // the export: the MIS columns, one line per value, the fluoride line checked
    let res = sec.get("/water-quality/export.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        paani::water_quality::figures::EXPORT_COLUMNS.join(",")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(
        rows.len(),
        4,
        "two values, one, one: this season's only\n{text}"
    );
    let fluoride = rows.iter().find(|r| r.contains(",1.8,")).unwrap();
    let cells: Vec<&str> = fluoride.split(',').collect();
    assert_eq!(cells.len(), 20, "{fluoride}");
    let village = gp.lgd * 100 + 1;
    assert_eq!(
        &cells[2..6],
        &[
            format!("Block {}", gp.block_lgd),
            format!("GP {}", gp.lgd),
            format!("Village {village}"),
            village.to_string()
        ][..]
    );
    assert!(
        cells[0].starts_with("State ") && cells[1].starts_with("District "),
        "{fluoride}"
    );
    assert_eq!(
        &cells[6..],
        &[
            "Borewell 1",
            "source",
            cells[8],
            &day.to_string(),
            &day.to_string(),
            "FTK",
            "",
            "",
            "fluoride",
            "1.8",
            "mg/l",
            "≤ 1",
            "≤ 1.5",
            "beyond_permissible"
        ][..]
    );
    let h2s = rows.iter().find(|r| r.contains("h2s_bacteria")).unwrap();
    assert!(
        h2s.contains(",FTK-H2S,")
            && h2s.contains(",h2s_bacteria,present,")
            && h2s.ends_with(",bacteria_present"),
        "{h2s}"
    );
    let (_, all) = sec
        .get_text(&format!("/water-quality/export.csv?from={before}"))
        .await;
    assert_eq!(all.lines().count(), 6, "with the earlier test");

    // another GP's reader sees none of it, and this GP's place is not found for them
    let other = app.gp();
    app.secretary_of(&other);
    let osec = app.login_as(&format!("secretary-{}", other.lgd)).await;
    let (_, theirs) = osec
        .get_text(&format!("/water-quality/export.csv?from={before}"))
        .await;
    assert_eq!(theirs.lines().count(), 1, "the header only");
    let (s, _) = osec
        .get_text(&format!("/water-quality/export.csv?place={}", gp.id))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let otoken = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let (s, _) = get_json(
        &app,
        &otoken,
        &format!("/api/v1/water-quality/figures?place={}", gp.id),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, mine) = get_json(&app, &otoken, "/api/v1/water-quality/figures").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine["total"]["tests"], 0);
    let (s, page) = osec.get_text("/water-quality/figures").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<dd id=\"wq-tests\">0</dd>"));
}

/// A laboratory test at `point` on `on` by the district's analyst.
async fn lab(
    app: &TestApp,
    analyst: &str,
    point: i64,
    on: chrono::NaiveDate,
    values: &[(&str, &str)],
) {
    let b = app.login_as(analyst).await;
    let mut fields: Vec<(String, String)> = vec![
        ("kind".into(), "laboratory".into()),
        ("sampled_on".into(), on.to_string()),
        ("tested_on".into(), on.to_string()),
        ("laboratory".into(), "District laboratory".into()),
        ("lab_sample_no".into(), format!("DL-{on}")),
    ];
    fields.extend(
        values
            .iter()
            .map(|(k, v)| (format!("v_{k}"), v.to_string())),
    );
    let res = b
        .post_pairs(&format!("/water-quality/points/{point}/samples"), &fields)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "laboratory test");
}

/// The incident of a point and group.
fn incident_of(app: &TestApp, point: i64, group: &str) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::water_incidents as wi;
    let mut c = app.conn();
    paani::on_backend!(&mut *c, |c| wi::table
        .filter(wi::point_id.eq(point))
        .filter(wi::grp.eq(group))
        .select(wi::id)
        .first::<i64>(c))
    .unwrap()
}

/// Post an incident step as the secretary: `step` sent-to-lab, remedies or close.
async fn step(b: &crate::helpers::Browser, id: i64, step: &str, fields: &[(&str, &str)]) {
    let res = b
        .post_form(&format!("/water-quality/incidents/{id}/{step}"), fields)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{step}");
}

/// By hand, with T today, at the borewell A and the tank B:
/// A: bacteria found on T-40 (open, 40 days: 31–90), fluoride 1.8 on T-5 (open: 0–7);
/// B: bacteria found on T-10, sent on T-9, confirmed on T-8, chlorinated on T-7, passing
/// re-test on T-4, closed (6 days); fluoride 2.0 at the laboratory on T-30, alternate
/// source on T-25, passing re-test on T-15, closed (15 days). Mean (6 + 15) / 2 = 10.5.
/// One scheduled check 20 days past its deadline: overdue.
#[tokio::test]
async fn incidents_by_age_days_to_a_passing_retest_and_overdue_tests_by_hand() {
    use diesel::prelude::*;
    use paani::db::schema::{maintenance_tasks as mt, sampling_points as sp};
    let app = TestApp::spawn().await;
    let (gp, a, tester) = tested_gp(&app).await;
    let b_point: i64 = {
        let mut c = app.conn();
        paani::on_backend!(&mut *c, |c| sp::table
            .filter(sp::gp_id.eq(gp.id))
            .filter(sp::id.ne(a))
            .select(sp::id)
            .first::<i64>(c))
        .unwrap()
    };
    let analyst = format!("lab-{}", gp.lgd);
    app.add_user(&analyst, "lab_analyst", Some(gp.block_lgd / 100));
    let t = today(&app);
    let ago = |d: i64| t - chrono::Duration::days(d);
    let ok = StatusCode::SEE_OTHER;
    let bacteria = |p: &'static str| [("h2s_bacteria", p)];
    assert_eq!(
        ftk(&app, &gp, a, tester, ago(40), "", &bacteria("present")).await,
        ok
    );
    assert_eq!(
        ftk(&app, &gp, a, tester, ago(5), "B1", &[("fluoride", "1.8")]).await,
        ok
    );
    let sec = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    // B's bacteria, handled to closure
    assert_eq!(
        ftk(
            &app,
            &gp,
            b_point,
            tester,
            ago(10),
            "",
            &bacteria("present")
        )
        .await,
        ok
    );
    let bact = incident_of(&app, b_point, "bacteriological");
    let (d9, d7, d25) = (ago(9).to_string(), ago(7).to_string(), ago(25).to_string());
    step(
        &sec,
        bact,
        "sent-to-lab",
        &[("laboratory", "District lab"), ("sent_on", &d9)],
    )
    .await;
    lab(&app, &analyst, b_point, ago(8), &[("e_coli", "present")]).await;
    let chlorinated = [
        ("action", "chlorination"),
        ("done_on", d7.as_str()),
        ("done_by", "Pump operator"),
    ];
    step(&sec, bact, "remedies", &chlorinated).await;
    assert_eq!(
        ftk(&app, &gp, b_point, tester, ago(4), "", &bacteria("absent")).await,
        ok
    );
    step(&sec, bact, "close", &[("note", "Safe")]).await;
    // B's fluoride, confirmed by the laboratory at once
    lab(&app, &analyst, b_point, ago(30), &[("fluoride", "2.0")]).await;
    let chem = incident_of(&app, b_point, "chemical");
    let switched = [
        ("action", "alternate_source"),
        ("done_on", d25.as_str()),
        ("done_by", "PHED"),
    ];
    step(&sec, chem, "remedies", &switched).await;
    assert_eq!(
        ftk(
            &app,
            &gp,
            b_point,
            tester,
            ago(15),
            "B1",
            &[("fluoride", "0.8")]
        )
        .await,
        ok
    );
    // the dashboard keeps the GP's figures before the last close ...
    let dash = format!("/places/{}/dashboard", gp.id);
    let (_, page) = sec.get_text(&dash).await;
    assert!(page.contains("id=\"wq-days-to-retest\""), "{page}");
    assert!(!page.contains("10.5"), "one incident closed so far");
    step(&sec, chem, "close", &[]).await;
    // ... and the close makes them stale: recomputed, not the kept ones
    let (_, page) = sec.get_text(&dash).await;
    assert!(
        page.contains(
            "<dd id=\"wq-days-to-retest\">10.5 days on average (2 incidents closed)</dd>"
        ),
        "{page}"
    );
    assert!(page.contains("<dd id=\"wq-incidents-open\">2 "), "{page}");

    // one scheduled check long past its deadline
    let res = sec.post_form("/water-quality/schedule/raise", &[]).await;
    assert_eq!(res.status(), ok);
    {
        let mut c = app.conn();
        let task: i64 = paani::on_backend!(&mut *c, |c| mt::table
            .filter(mt::gp_id.eq(gp.id))
            .filter(mt::state.eq("open"))
            .filter(
                mt::plan_id.eq_any(
                    paani::db::schema::water_check_plans::table
                        .select(paani::db::schema::water_check_plans::plan_id)
                )
            )
            .order(mt::id)
            .select(mt::id)
            .first::<i64>(c))
        .unwrap();
        paani::on_backend!(&mut *c, |c| diesel::update(mt::table.find(task))
            .set((mt::due_on.eq(ago(20)), mt::deadline_on.eq(ago(20))))
            .execute(c))
        .unwrap();
    }

    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let f = figures(&app, &token, gp.id).await;
    let want = |t: &serde_json::Value| {
        assert_eq!(t["incidents_open_by_age"], json!([1, 0, 1, 0]), "{t}");
        assert_eq!(t["retests_closed"], 2);
        assert_eq!(t["retest_days_total"], 21);
        assert_eq!(t["days_to_passing_retest"], 10.5);
        assert_eq!(t["tests_overdue"], 1);
    };
    want(&f["total"]);
    want(&f["gps"][0]["figures"]);
    // a second GP in the block, with nothing: the block adds the two up
    let second = app.add_place(
        paani::places::Level::Gp,
        gp.lgd + 50,
        "GP two",
        Some(gp.block_lgd),
    );
    let admin = app.api_token("admin").await;
    let block = app.place_id(paani::places::Level::Block, gp.block_lgd);
    let fb = figures(&app, &admin, block).await;
    assert_eq!(fb["gps"].as_array().map(Vec::len), Some(2));
    want(&fb["total"]);
    let two = fb["gps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["gp_id"] == second.id)
        .unwrap();
    assert_eq!(two["figures"]["incidents_open_by_age"], json!([0, 0, 0, 0]));
    assert_eq!(two["figures"]["days_to_passing_retest"], json!(null));
    // the block's dashboard (kept GP figures added up)
    let (s, bd) = get_json(&app, &admin, &format!("/api/v1/dashboard?place={block}")).await;
    assert_eq!(s, StatusCode::OK, "{bd}");
    want(&bd["total"]["water"]);
    // the month's O&M report: closed today, so in this month
    let month = t.format("%Y-%m").to_string();
    let r = monthly(&app, &token, gp.id, &month).await;
    let total = &r["total"];
    assert_eq!(
        (
            total["water_incidents_open"].clone(),
            total["water_retests_closed"].clone()
        ),
        (json!(2), json!(2))
    );
    assert_eq!(total["water_days_to_retest"], 10.5);
    assert_eq!(total["water_tests_overdue"], 1);
    let (s, html) = sec
        .get_text(&format!("/places/{}/report?month={month}", gp.id))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(
            "<td id=\"report-water-retest\">10.5 days on average (2 incidents closed)</td>"
        ),
        "{html}"
    );
    // in Hindi too
    sec.post_form("/account/language", &[("lang", "hi")]).await;
    let (_, page) = sec.get_text(&dash).await;
    assert!(page.contains("औसतन 10.5 दिन (2 घटनाएँ बंद)"), "{page}");
}

/// Latin words of three letters or more in a page's visible text (tags, attributes, scripts
/// and styles left out).
fn latin_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    for skip in ["<script", "<style"] {
        while let Some(i) = rest.find(skip) {
            let end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
            let close = rest[end..].find("</").map_or(rest.len(), |c| end + c);
            text.push_str(&rest[..i]);
            rest = &rest[close..];
        }
    }
    text.push_str(rest);
    let mut visible = String::new();
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                visible.push(' ');
            }
            c if !in_tag => visible.push(c),
            _ => {}
        }
    }
    visible
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(String::from)
        .collect()
}

/// The demo's two years of tests: seasons, the fluoride-affected GP, the positive handled,
/// Banapura's kits nearly used up; its pages in Hindi have no English.
#[tokio::test]
async fn the_demo_has_two_years_of_tests_and_its_pages_are_hindi() {
    let app = TestApp::with_demo().await;
    let started = std::time::Instant::now();
    let made = paani::demo::seed_water_quality(&app.db, &app.clock, &app.config).unwrap();
    eprintln!(
        "water-quality demo: {made} tests in {:?}",
        started.elapsed()
    );
    assert!(made > 200, "{made}");
    assert_eq!(
        paani::demo::seed_water_quality(&app.db, &app.clock, &app.config).unwrap(),
        0,
        "once"
    );
    assert!(app.count("water_samples WHERE kind = 'laboratory'") > 10);
    assert!(app.count("water_samples WHERE kind = 'h2s'") > 10);
    assert!(
        app.count(
            "water_sample_values WHERE parameter = 'fluoride' AND class = 'beyond_permissible'"
        ) > 5,
        "the fluoride-affected GP"
    );
    assert_eq!(
        app.count("water_sample_values WHERE parameter = 'h2s_bacteria' AND present = TRUE"),
        2,
        "the positive handled to closure and the one whose incident is open"
    );
    assert_eq!(
        app.count("water_sample_values WHERE parameter = 'e_coli' AND present = TRUE"),
        1,
        "confirmed by the laboratory"
    );
    assert_eq!(
        sweep_rule(&app, "ftk_refills_low").raised,
        1,
        "Banapura's secretary"
    );

    // Hindi at 360 px: the secretary's kit stock and figures, the block's figures
    let b = app.login_as("secretary").await;
    let banapura = app.place_id(paani::places::Level::Gp, 23010101);
    for path in [
        format!("/water-quality/kits?gp={banapura}"),
        "/water-quality/figures".to_string(),
        format!("/places/{banapura}/dashboard"),
    ] {
        let (s, page) = b.get_text(&path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(
            page.contains("width=device-width"),
            "{path}: laid out for a phone"
        );
        // the dashboard's water card (the rest of it is other areas')
        let page = match page.find("id=\"dash-water\"") {
            Some(i) => {
                let start = page[..i].rfind("<section").unwrap_or(i);
                page[start..]
                    .split("</section>")
                    .next()
                    .unwrap()
                    .to_string()
            }
            None => page,
        };
        let words: Vec<String> = latin_words(&page)
            .into_iter()
            .filter(|w| !["FTK", "Paani", "CSV", "English"].contains(&w.as_str()))
            .collect();
        assert!(words.is_empty(), "{path}: {words:?}");
    }
    let (_, kits) = b
        .get_text(&format!("/water-quality/kits?gp={banapura}"))
        .await;
    assert!(kits.contains("रीफ़िल कम हो रहे हैं"), "low stock, in Hindi");
}
