//! The scheme page as its health card (issue 33): every block's figures equal those of the
//! pages it summarises, the JSON summary, scope, Hindi; and no page promises what is not there.

use crate::helpers::{Browser, TestApp};
use paani::web::i18n::Lang;
use std::collections::{BTreeSet, VecDeque};

/// Phrases that promise something later ("coming soon", "will appear here"), in both languages.
const PROMISES: [&str; 8] = [
    "coming soon",
    "coming to this page",
    "will appear here",
    "come next",
    "जल्द आ",
    "पेज पर जल्द",
    "यहाँ दिखेंगी",
    "यहाँ दिखेगा",
];

fn promise_in(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    PROMISES.into_iter().find(|p| lower.contains(p))
}

#[test]
fn no_message_promises_what_is_not_there() {
    let i18n = paani::web::i18n::I18n::load().unwrap();
    let mut found = vec![];
    for lang in [Lang::En, Lang::Hi] {
        for id in paani::web::i18n::message_ids(lang) {
            let text = i18n.t(lang, &id, &[]);
            if let Some(p) = promise_in(&text) {
                found.push(format!("{lang:?} {id}: {p}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
    // the check itself can fail
    assert_eq!(
        promise_in("Breakdowns will appear here."),
        Some("will appear here")
    );
    assert_eq!(promise_in("इस पेज पर जल्द"), Some("पेज पर जल्द"));
}

/// Pages a logged-in browser reaches from the home page by following its links (GET, this
/// site, no downloads), up to `limit` of them.
async fn crawl(b: &Browser, limit: usize) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut out = vec![];
    while let Some(path) = queue.pop_front() {
        if out.len() >= limit || !seen.insert(path.clone()) {
            continue;
        }
        let (s, body) = b.get_text(&path).await;
        if !s.is_success() {
            continue;
        }
        for part in body.split("href=\"").skip(1) {
            let Some(end) = part.find('"') else { continue };
            let link = part[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_string();
            let skip = !link.starts_with('/')
                || link.starts_with("//")
                || link.starts_with("/static")
                || link.starts_with("/logout")
                || link.contains(".csv")
                || link.contains(".pdf")
                || link.contains(".svg")
                || link.contains("/photos/");
            if !skip && !seen.contains(&link) {
                queue.push_back(link);
            }
        }
        out.push((path, body));
    }
    out
}

#[tokio::test]
async fn no_page_of_the_demo_promises_what_is_not_there() {
    let app = TestApp::with_demo().await;
    // an engineer (English) and a secretary (Hindi): between them every area's pages
    for user in ["engineer", "secretary"] {
        let b = app.login_as(user).await;
        let pages = crawl(&b, 120).await;
        assert!(pages.len() > 20, "{user}: only {} pages", pages.len());
        assert!(
            pages.iter().any(|(p, _)| p.starts_with("/schemes/")),
            "{user}: no scheme page reached"
        );
        for (path, body) in &pages {
            assert!(
                promise_in(body).is_none(),
                "{user} {path}: {:?}",
                promise_in(body)
            );
        }
    }
}

// ---- the health card's figures ----

use crate::factories::{self, Gp};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

/// A breakdown of the scheme with this supply (stopped, partial or none): (id, number).
fn breakdown(app: &TestApp, scheme: i64, supply: &str) -> (i64, String) {
    let actor = app.admin();
    let mut c = app.conn();
    let input = paani::breakdowns::ReportInput {
        scheme_id: scheme.to_string(),
        category: "pipeline".into(),
        description: "No water".into(),
        supply: supply.into(),
        ..Default::default()
    };
    let cfg = paani::config::Config::defaults().breakdowns;
    let b =
        paani::breakdowns::report(&mut c, &actor, &cfg, &input, "app", app.clock.now()).unwrap();
    (b.id, b.number)
}

/// A scheme with everything its card shows, in its own GP: a breakdown that stopped the
/// supply and another, an overdue task, a pump reaching the end of its life within the design
/// period, two households on the scheme (one paid) and one not, this month's demands, an
/// expense linked to the repair and one linked to nothing.
struct Built {
    gp: Gp,
    scheme: i64,
    asset: i64,
    on: [i64; 2],
    month: String,
}

fn build(app: &TestApp) -> Built {
    use paani::db::schema::{assets, households, maintenance_tasks as mt, schemes};
    let gp = app.gp();
    let (scheme, asset) = factories::scheme_in(app, gp.lgd, "Health");
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let mut c = app.conn();
    diesel::update(schemes::table.find(scheme))
        .set(schemes::design_end_on.eq(Some(today + chrono::Duration::days(5 * 365))))
        .execute(&mut *c)
        .unwrap();
    diesel::update(assets::table.find(asset))
        .set((
            assets::end_of_life_on.eq(Some(today + chrono::Duration::days(180))),
            assets::replacement_cost_paise.eq(Some(4_500_000)),
        ))
        .execute(&mut *c)
        .unwrap();
    // the first open task fell due a month ago and was not done
    let task: i64 = mt::table
        .filter(mt::scheme_id.eq(scheme))
        .order(mt::id)
        .select(mt::id)
        .first(&mut *c)
        .unwrap();
    diesel::update(mt::table.find(task))
        .set((
            mt::due_on.eq(today - chrono::Duration::days(32)),
            mt::deadline_on.eq(today - chrono::Duration::days(30)),
        ))
        .execute(&mut *c)
        .unwrap();
    drop(c);
    let (_, stopped) = breakdown(app, scheme, "stopped");
    breakdown(app, scheme, "partial");
    // both reported (and the supply stopped) two days ago
    let two_days_ago = app.clock.now() - chrono::Duration::days(2);
    diesel::update(
        paani::db::schema::breakdowns::table
            .filter(paani::db::schema::breakdowns::scheme_id.eq(scheme)),
    )
    .set((
        paani::db::schema::breakdowns::created_at.eq(two_days_ago),
        paani::db::schema::breakdowns::started_at.eq(two_days_ago),
    ))
    .execute(&mut *app.conn())
    .unwrap();
    let on = [app.household(&gp), app.household(&gp)];
    app.household(&gp);
    diesel::update(households::table.filter(households::id.eq_any(on)))
        .set(households::scheme_id.eq(Some(scheme)))
        .execute(&mut *app.conn())
        .unwrap();
    let month = today.format("%Y-%m").to_string();
    app.with_demands(&gp, &month);
    // a payment by the first household, and an expense linked to nothing
    factories::add_payment_and_entry(app, gp.lgd, on[0]);
    let admin = app.admin();
    let entry = paani::billing::cashbook::EntryInput {
        gp_id: gp.id.to_string(),
        kind: "expense".into(),
        head: "repairs".into(),
        amount: "300".into(),
        breakdown_id: stopped,
        ..Default::default()
    };
    paani::billing::cashbook::create(
        &mut app.conn(),
        &admin,
        &entry,
        paani::config::Config::defaults().money,
        app.clock.now(),
    )
    .unwrap();
    Built {
        gp,
        scheme,
        asset,
        on,
        month,
    }
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn each_block_equals_what_the_pages_it_summarises_show() {
    let app = TestApp::spawn().await;
    let b = build(&app);
    app.engineer_of(&b.gp);
    let token = app.api_token(&format!("engineer-{}", b.gp.block_lgd)).await;
    let (s, sum) = get_json(
        &app,
        &token,
        &format!("/api/v1/schemes/{}/summary", b.scheme),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{sum}");
    println!("{sum:#}");

    // status: as the scheme's own API (and the dashboards) compute it
    let (_, detail) = get_json(&app, &token, &format!("/api/v1/schemes/{}", b.scheme)).await;
    assert_eq!(sum["status"]["status"], detail["effective_status"]);
    assert_eq!(sum["status"]["status"], "non_functional");
    assert_eq!(sum["status"]["hand_set"], detail["status"]);
    assert_eq!(sum["status"]["open_outages"], 1);

    // breakdowns and uptime: the review's figures for the scheme, and the open list
    let (_, figs) = get_json(
        &app,
        &token,
        &format!("/api/v1/breakdowns/figures?scheme={}", b.scheme),
    )
    .await;
    let gp_counts = &figs["by_gp"][0];
    assert_eq!(sum["breakdowns"]["open"], gp_counts["open"]);
    assert_eq!(sum["breakdowns"]["open"], 2);
    assert_eq!(sum["breakdowns"]["overdue"], gp_counts["overdue"]);
    assert_eq!(sum["breakdowns"]["escalated"], gp_counts["escalated"]);
    let (_, list) = get_json(
        &app,
        &token,
        &format!("/api/v1/breakdowns?scheme={}", b.scheme),
    )
    .await;
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&sum["breakdowns"]["oldest"]), ids(&list["items"]));
    for row in sum["breakdowns"]["oldest"].as_array().unwrap() {
        assert_eq!(row["age_days"], 2);
        assert!(row["resolve_due_at"].is_string());
    }
    assert_eq!(
        sum["uptime"]["last_90_days"]["uptime_percent"],
        figs["last_90_days"]["uptime_percent"]
    );
    assert_eq!(
        sum["uptime"]["last_12_months"]["uptime_percent"],
        figs["uptime_percent"]
    );
    assert_eq!(
        sum["uptime"]["last_12_months"]["repair_median_hours"],
        figs["repair"]["median_hours"]
    );
    assert!(
        sum["uptime"]["last_90_days"]["uptime_percent"]
            .as_f64()
            .unwrap()
            < 100.0
    );

    // the GP has this one scheme: its dashboard figures are the scheme's
    let dash = {
        let mut c = app.conn();
        paani::dashboards::compute(&mut c, &app.config, b.gp.id, app.clock.now()).unwrap()
    };
    assert_eq!(sum["maintenance"]["due"], dash.tasks_due);
    assert_eq!(sum["maintenance"]["overdue"], dash.tasks_overdue);
    assert_eq!(sum["maintenance"]["overdue"], 1);
    assert_eq!(
        sum["maintenance"]["compliance_3m"],
        serde_json::to_value(&dash.compliance_3m).unwrap()
    );
    // the task left undone a month ago counts as due and not on time
    assert!(sum["maintenance"]["compliance_3m"]["due"].as_i64().unwrap() >= 1);
    assert_eq!(sum["maintenance"]["compliance_3m"]["on_time"], 0);
    assert_eq!(sum["breakdowns"]["open"], dash.breakdowns_open);
    assert_eq!(
        sum["uptime"]["last_90_days"]["uptime_percent"],
        dash.last_90_days.uptime_percent
    );
    assert_eq!(
        sum["billing"]["arrears_paise"].as_i64().unwrap() > 0,
        dash.arrears.iter().sum::<i64>() > 0
    );

    // assets: the renewals page of the GP (12 months for those near their end; to the end of
    // the design period for the budget)
    let (near, design) = {
        let mut c = app.conn();
        let place = paani::places::model::find(&mut c, b.gp.id).unwrap();
        let today = paani::web::i18n::today_in_india(app.clock.now());
        (
            paani::schemes::lifecycle::report(&mut c, &place, today, 12, None).unwrap(),
            paani::schemes::lifecycle::report(&mut c, &place, today, 60, None).unwrap(),
        )
    };
    let near_ids: Vec<i64> = near.assets.iter().map(|(a, _)| a.id).collect();
    assert_eq!(ids(&sum["assets"]["nearing_end"]), near_ids);
    assert_eq!(near_ids, vec![b.asset]);
    assert_eq!(sum["assets"]["renewal_budget_paise"], design.budget_paise);
    assert_eq!(sum["assets"]["renewal_budget_paise"], 4_500_000);

    // households: each one's ledger (the household page) adds up to the block
    let mut demanded = 0;
    let mut unpaid = 0;
    for h in b.on {
        let mut c = app.conn();
        let hh = paani::billing::households::find(&mut c, h).unwrap();
        let l = paani::billing::ledger::ledger(&mut c, &hh).unwrap();
        demanded += l.standing.demanded_paise;
        unpaid += l.standing.balance_paise.max(0);
    }
    let billing = &sum["billing"];
    assert_eq!(billing["households"], 2);
    assert_eq!(billing["month"], b.month);
    assert_eq!(billing["this_month"]["demand_paise"], demanded);
    assert_eq!(billing["last_12_months"]["demand_paise"], demanded);
    assert_eq!(
        billing["this_month"]["collected_paise"].as_i64().unwrap(),
        demanded - unpaid
    );
    assert_eq!(billing["arrears_paise"], unpaid);
    assert_eq!(demanded, 10_000);
    assert_eq!(unpaid, 5_000);

    // O&M costs: the cash book's lines linked to its breakdowns (the electricity bill is not)
    let statement = {
        let mut c = app.conn();
        let m = paani::web::forms::parse_month(&b.month).unwrap();
        paani::billing::cashbook::statement(&mut c, b.gp.id, m).unwrap()
    };
    let linked: i64 = statement
        .lines
        .iter()
        .filter(|l| l.breakdown_id.is_some() || l.task_id.is_some())
        .map(|l| l.expense_paise)
        .sum();
    assert_eq!(sum["costs"]["this_month_paise"], linked);
    assert_eq!(sum["costs"]["last_12_months_paise"], 30_000);
    assert_eq!(sum["costs"]["entries_12_months"], 1);

    // the page shows the same, each block linking to its full page for this scheme
    let eng = app.login_as(&format!("engineer-{}", b.gp.block_lgd)).await;
    let (s, page) = eng.get_text(&format!("/schemes/{}", b.scheme)).await;
    assert_eq!(s, StatusCode::OK);
    // (links as a browser reads them: the template escapes '=' and '&')
    let page = page.replace("&#x3D;", "=").replace("&amp;", "&");
    for link in [
        format!("/breakdowns?scheme={}", b.scheme),
        format!("/breakdowns/review?scheme={}", b.scheme),
        format!("/schemes/{}/maintenance", b.scheme),
        format!(
            "/places/{}/lifecycle?months=12&scheme={}",
            b.gp.id, b.scheme
        ),
        format!("/households?scheme={}", b.scheme),
    ] {
        assert!(page.contains(&link), "{link}");
    }
    for text in ["₹45,000.00", "₹50.00", "₹300.00", "Households served: 2"] {
        assert!(page.contains(text), "{text}");
    }

    // the costs block opens the GP's cash book filtered to the scheme: only the expenses
    // linked to its breakdowns and tasks, with the block's totals
    let cash_link = format!(
        "/cashbook?gp={}&month={}&scheme={}",
        b.gp.id, b.month, b.scheme
    );
    assert!(page.contains(&cash_link), "{cash_link}");
    let (s, book) = get_json(
        &app,
        &token,
        &format!("/api/v1/cashbook?month={}&scheme={}", b.month, b.scheme),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{book}");
    let costs = &sum["costs"];
    assert_eq!(book["scheme"]["month_paise"], costs["this_month_paise"]);
    assert_eq!(
        book["scheme"]["last_12_months_paise"],
        costs["last_12_months_paise"]
    );
    assert_eq!(
        book["scheme"]["entries_12_months"],
        costs["entries_12_months"]
    );
    assert_eq!(
        book["statement"]["expense_paise"],
        costs["this_month_paise"]
    );
    assert_eq!(book["statement"]["income_paise"], 0);
    let lines = book["statement"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["expense_paise"], 30_000);
    assert!(lines[0]["breakdown_id"].is_i64());
    // (the whole book has the payment's collections and the unlinked electricity bill too)
    let (_, whole) = get_json(
        &app,
        &token,
        &format!("/api/v1/cashbook?month={}&gp={}", b.month, b.gp.id),
    )
    .await;
    assert!(whole["statement"]["lines"].as_array().unwrap().len() >= 3);
    assert!(whole["scheme"].is_null());
    let (s, cash) = eng.get_text(&cash_link).await;
    assert_eq!(s, StatusCode::OK);
    assert!(cash.contains("id=\"cashbook-scheme\""));
    assert!(cash.contains("₹300.00"));
    assert!(!cash.contains("₹700.00"));
    // the month links keep the filter
    assert!(cash
        .replace("&amp;", "&")
        .replace("&#x3D;", "=")
        .contains(&format!("&scheme={}", b.scheme)));

    // and the printed card its headline figures
    let (s, card) = eng.get_text(&format!("/schemes/{}/card", b.scheme)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(card.contains("card-health"));
    assert!(card.contains("Open breakdowns"));
    assert!(card.contains("₹50.00"));
}

#[tokio::test]
async fn another_gps_people_do_not_see_the_summary() {
    let app = TestApp::spawn().await;
    let b = build(&app);
    let other = app.gp();
    app.secretary_of(&other);
    app.engineer_of(&other);
    for user in [
        format!("secretary-{}", other.lgd),
        format!("engineer-{}", other.block_lgd),
    ] {
        let token = app.api_token(&user).await;
        let (s, _) = get_json(
            &app,
            &token,
            &format!("/api/v1/schemes/{}/summary", b.scheme),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{user}");
        // nor its costs in the cash book
        let (s, _) = get_json(
            &app,
            &token,
            &format!("/api/v1/cashbook?scheme={}", b.scheme),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{user}");
        let browser = app.login_as(&user).await;
        let (s, _) = browser.get_text(&format!("/schemes/{}", b.scheme)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{user}");
    }
    // the GP's own member sees it
    app.member_of(&b.gp);
    let token = app.api_token(&format!("member-{}", b.gp.lgd)).await;
    let (s, _) = get_json(
        &app,
        &token,
        &format!("/api/v1/schemes/{}/summary", b.scheme),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // and the document lists the endpoint
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/schemes/{id}/summary"]["get"].is_object());
}

#[tokio::test]
async fn a_hindi_reader_reads_the_health_card_in_hindi() {
    use paani::db::schema::users;
    let app = TestApp::spawn().await;
    let b = build(&app);
    app.member_of(&b.gp);
    let name = format!("member-{}", b.gp.lgd);
    diesel::update(users::table.filter(users::username.eq(&name)))
        .set(users::lang.eq("hi"))
        .execute(&mut *app.conn())
        .unwrap();
    let m = app.login_as(&name).await;
    let (s, page) = m.get_text(&format!("/schemes/{}", b.scheme)).await;
    assert_eq!(s, StatusCode::OK);
    for text in [
        "खराबियाँ",
        "जुड़े घर: 2",
        "रखरखाव का खर्च",
        "पानी मिला (90 दिन)",
        "बकाया",
    ] {
        assert!(page.contains(text), "{text}");
    }
    for text in ["Households served", "O&amp;M costs", "Water supplied"] {
        assert!(!page.contains(text), "{text}");
    }
    // a member does not review breakdowns: no link to the review
    assert!(!page.contains("/breakdowns/review?scheme="));
}

/// The kept part of the card: kept by its first reader once the GP's figures are kept, read
/// back while nothing in the GP changed, and computed again after a write to the GP or when
/// the scheme's households change.
#[tokio::test]
async fn the_card_keeps_its_figures_until_the_gp_changes() {
    use paani::db::schema::{breakdowns, households, scheme_figures};
    let app = TestApp::spawn().await;
    let b = build(&app);
    app.engineer_of(&b.gp);
    let token = app.api_token(&format!("engineer-{}", b.gp.block_lgd)).await;
    let path = format!("/api/v1/schemes/{}/summary", b.scheme);
    let (s, first) = get_json(&app, &token, &path).await;
    assert_eq!(s, StatusCode::OK);
    // the GP's figures were never kept: nothing would mark the scheme's stale, so none kept
    assert_eq!(app.count("scheme_figures"), 0);

    // the GP's dashboard keeps the GP's figures; the next card reader keeps the scheme's
    app.secretary_of(&b.gp);
    let sec = app.login_as(&format!("secretary-{}", b.gp.lgd)).await;
    assert_eq!(sec.get_text("/dashboard").await.0, StatusCode::OK);
    let (_, second) = get_json(&app, &token, &path).await;
    assert_eq!(second, first);
    assert_eq!(app.count("scheme_figures"), 1);

    // the kept row is what is read: marked by hand, the card shows the mark
    let mark = |app: &TestApp, paise: i64| {
        let mut c = app.conn();
        let text: String = scheme_figures::table
            .find(b.scheme)
            .select(scheme_figures::figures)
            .first(&mut *c)
            .unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["costs"]["this_month_paise"] = paise.into();
        diesel::update(scheme_figures::table.find(b.scheme))
            .set(scheme_figures::figures.eq(v.to_string()))
            .execute(&mut *c)
            .unwrap();
    };
    mark(&app, 1);
    let (_, kept) = get_json(&app, &token, &path).await;
    assert_eq!(kept["costs"]["this_month_paise"], 1);
    // the page too
    let eng = app.login_as(&format!("engineer-{}", b.gp.block_lgd)).await;
    let (_, page) = eng.get_text(&format!("/schemes/{}", b.scheme)).await;
    assert!(page.contains("₹0.01"));

    // a write to the GP (an expense linked to the other breakdown) makes it stale
    let partial: String = breakdowns::table
        .filter(breakdowns::scheme_id.eq(b.scheme))
        .filter(breakdowns::supply.eq("partial"))
        .select(breakdowns::number)
        .first(&mut *app.conn())
        .unwrap();
    let entry = paani::billing::cashbook::EntryInput {
        gp_id: b.gp.id.to_string(),
        kind: "expense".into(),
        head: "repairs".into(),
        amount: "200".into(),
        breakdown_id: partial,
        ..Default::default()
    };
    paani::billing::cashbook::create(
        &mut app.conn(),
        &app.admin(),
        &entry,
        paani::config::Config::defaults().money,
        app.clock.now(),
    )
    .unwrap();
    let (_, after) = get_json(&app, &token, &path).await;
    assert_eq!(after["costs"]["this_month_paise"], 50_000);
    assert_eq!(after["costs"]["entries_12_months"], 2);
    // what was kept again is what the rows give
    let live = {
        let mut c = app.conn();
        let scheme = paani::schemes::model::find(&mut c, b.scheme).unwrap();
        let gp = paani::places::model::find(&mut c, b.gp.id).unwrap();
        paani::schemes::service::summary_in(
            &mut c,
            &paani::auth::Scope::All,
            &app.config,
            &scheme,
            &gp,
            app.clock.now(),
        )
        .unwrap()
    };
    assert_eq!(after, serde_json::to_value(&live).unwrap());

    // a household moved onto the scheme (no write the GP's count sees) is seen too
    mark(&app, 1);
    diesel::update(households::table.filter(households::gp_id.eq(b.gp.id)))
        .set(households::scheme_id.eq(Some(b.scheme)))
        .execute(&mut *app.conn())
        .unwrap();
    let (_, moved) = get_json(&app, &token, &path).await;
    assert_eq!(moved["billing"]["households"], 3);
    assert_eq!(moved["costs"]["this_month_paise"], 50_000);
}

/// The supply and water-quality blocks say what the supply area's month and the scheme's
/// newest water test say.
#[actix_web::test]
async fn supply_and_water_quality_blocks_equal_their_areas() {
    let app = TestApp::with_demo().await;
    let config = paani::config::Config::defaults();
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    paani::demo::seed_supply(&app.db, &app.clock, &config).unwrap();
    paani::demo::seed_water_quality(&app.db, &app.clock, &app.config).unwrap();
    let token = app.api_token("admin").await;
    let (scheme, points): (i64, Vec<i64>) = {
        use paani::db::schema::{sampling_points as p, water_samples as w};
        let mut c = app.conn();
        let scheme: i64 = w::table
            .inner_join(p::table)
            .select(p::scheme_id)
            .first(&mut *c)
            .unwrap();
        let points = p::table
            .filter(p::scheme_id.eq(scheme))
            .select(p::id)
            .load(&mut *c)
            .unwrap();
        (scheme, points)
    };
    let (s, card) = get_json(&app, &token, &format!("/api/v1/schemes/{scheme}/summary")).await;
    assert_eq!(s, StatusCode::OK, "{card}");
    // supply: the supply area's month, this month
    let month = card["supply"]["month"].as_str().unwrap().to_string();
    let (s, m) = get_json(
        &app,
        &token,
        &format!("/api/v1/supply/schemes/{scheme}/functionality?month={month}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(card["supply"]["functionality"], m["functionality"]);
    let (s, f) = get_json(
        &app,
        &token,
        &format!("/api/v1/supply/schemes/{scheme}/figures?month={month}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let f = &f["figures"];
    assert_eq!(card["supply"]["lpcd"], f["lpcd"], "{f}");
    assert_eq!(
        card["supply"]["regularity_percent"],
        f["regularity_percent"]
    );
    assert_eq!(card["supply"]["days_logged"], f["days_logged"]);
    assert!(
        card["supply"]["days_logged"].as_i64().unwrap() > 0,
        "{card}"
    );
    // water quality: the newest test over the scheme's points, as the tests list orders them
    let mut newest: Option<Value> = None;
    for point in points {
        let (s, list) = get_json(
            &app,
            &token,
            &format!("/api/v1/water-quality/samples?point={point}"),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        if let Some(first) = list["items"].as_array().and_then(|a| a.first()).cloned() {
            let key = |v: &Value| {
                (
                    v["tested_on"].as_str().unwrap().to_string(),
                    v["id"].as_i64(),
                )
            };
            if newest.as_ref().is_none_or(|n| key(&first) > key(n)) {
                newest = Some(first);
            }
        }
    }
    let newest = newest.expect("the demo tested this scheme");
    let last = &card["water_quality"]["last"];
    assert_eq!(last["sample_id"], newest["id"]);
    assert_eq!(last["class"], newest["overall_class"]);
    assert_eq!(last["tested_on"], newest["tested_on"]);
    // and the page shows both blocks, in Hindi to the Hindi member when it is her scheme
    let b = app.login_as("admin").await;
    let (s, page) = b.get_text(&format!("/schemes/{scheme}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"health-supply\""));
    assert!(page.contains(&format!("/water-quality/samples/{}", newest["id"])));
}
