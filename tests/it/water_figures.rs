//! Water quality's kit stock, figures and MIS export (issue 25 items 8–10), on both backends.

use crate::helpers::{call, TestApp};
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
    let expiry = (on + chrono::Duration::days(300)).to_string();
    let (on, tester) = (on.to_string(), tester.to_string());
    let mut fields = vec![
        ("kind", if batch.is_empty() { "h2s" } else { "ftk" }),
        ("sampled_on", on.as_str()),
        ("tested_on", on.as_str()),
        ("tester_id", tester.as_str()),
        ("kit_batch", batch),
        (
            "kit_expires_on",
            if batch.is_empty() {
                ""
            } else {
                expiry.as_str()
            },
        ),
    ];
    let named: Vec<(String, String)> = values
        .iter()
        .map(|(k, v)| (format!("v_{k}"), v.to_string()))
        .collect();
    fields.extend(named.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    b.post_form(&format!("/water-quality/points/{point}/samples"), &fields)
        .await
        .status()
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
            let (s, v) = call(
                app,
                &token,
                "GET",
                "/api/v1/water-quality/kits",
                json!(null),
            )
            .await;
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
    let (s, _) = call(
        &app,
        &token,
        "GET",
        &format!("/api/v1/water-quality/kits?gp={}", other.id),
        json!(null),
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
    let (s, f) = call(
        &app,
        &token,
        "GET",
        &format!("/api/v1/water-quality/figures?place={}", gp.id),
        json!(null),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{f}");
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
        json!(null),
        "later: the incidents area"
    );
    assert_eq!(t["tests_overdue"], json!(null), "later: the schedules area");
    assert_eq!(f["season_from"], season_from.to_string());
    // the block adds its GPs up (this block has one with tests)
    let admin = app.api_token("admin").await;
    let block = app.place_id(paani::places::Level::Block, gp.block_lgd);
    let (s, fb) = call(
        &app,
        &admin,
        "GET",
        &format!("/api/v1/water-quality/figures?place={block}"),
        json!(null),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{fb}");
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
    let (s, r) = call(
        &app,
        &token,
        "GET",
        &format!("/api/v1/reports/monthly?place={}&month={month}", gp.id),
        json!(null),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
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
    let (s, _) = call(
        &app,
        &otoken,
        "GET",
        &format!("/api/v1/water-quality/figures?place={}", gp.id),
        json!(null),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, mine) = call(
        &app,
        &otoken,
        "GET",
        "/api/v1/water-quality/figures",
        json!(null),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine["total"]["tests"], 0);
    let (s, page) = osec.get_text("/water-quality/figures").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<dd id=\"wq-tests\">0</dd>"));
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
    let made = paani::demo::seed_water_quality(&app.db, &app.clock).unwrap();
    eprintln!(
        "water-quality demo: {made} tests in {:?}",
        started.elapsed()
    );
    assert!(made > 200, "{made}");
    assert_eq!(
        paani::demo::seed_water_quality(&app.db, &app.clock).unwrap(),
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
