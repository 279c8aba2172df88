//! CSV exports of the lists: UTF-8 with a byte-order mark, the page's filters, the reader's
//! scope, and long lists streamed in chunks without losing or repeating a row.

use crate::helpers::TestApp;
use diesel::prelude::*;
use reqwest::StatusCode;

const BOM: &str = "\u{feff}";

/// The data lines of a CSV download (header left out), after checking the BOM and header.
fn lines(body: &str, first_column: &str) -> Vec<Vec<String>> {
    assert!(body.starts_with(BOM), "no byte-order mark");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.trim_start_matches(BOM).as_bytes());
    assert_eq!(
        r.headers().unwrap().get(0),
        Some(first_column),
        "the header row"
    );
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

fn gp_of(app: &TestApp, lgd: i64) -> i64 {
    app.place_id(paani::places::Level::Gp, lgd)
}

#[actix_web::test]
async fn breakdowns_and_payments_keep_filters_and_scope() {
    use paani::db::schema::{breakdowns, payments, places};
    let app = TestApp::with_demo().await;
    // the whole demo, as `paani serve --demo` builds it: history, breakdowns, billing
    paani::demo::seed_history(&app.db, &app.clock).unwrap();
    paani::demo::seed_breakdowns(&app.db, &app.clock, &paani::config::Config::defaults()).unwrap();
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    let banapura = gp_of(&app, 23010101);
    let (gp_breakdowns, gp_open, block_breakdowns, gp_payments, gp_cash) = {
        let mut c = app.conn();
        let block: i64 = places::table
            .find(banapura)
            .select(places::block_id)
            .first::<Option<i64>>(&mut *c)
            .unwrap()
            .unwrap();
        let in_block = places::table
            .filter(places::block_id.eq(block))
            .select(places::id);
        (
            breakdowns::table
                .filter(breakdowns::gp_id.eq(banapura))
                .count()
                .get_result::<i64>(&mut *c)
                .unwrap(),
            breakdowns::table
                .filter(breakdowns::gp_id.eq(banapura))
                .filter(breakdowns::status.eq_any([
                    "reported",
                    "acknowledged",
                    "in_progress",
                    "reopened",
                ]))
                .count()
                .get_result::<i64>(&mut *c)
                .unwrap(),
            breakdowns::table
                .filter(breakdowns::gp_id.eq_any(in_block))
                .count()
                .get_result::<i64>(&mut *c)
                .unwrap(),
            payments::table
                .filter(payments::gp_id.eq(banapura))
                .count()
                .get_result::<i64>(&mut *c)
                .unwrap(),
            payments::table
                .filter(payments::gp_id.eq(banapura))
                .filter(payments::mode.eq("cash"))
                .count()
                .get_result::<i64>(&mut *c)
                .unwrap(),
        )
    };
    assert!(
        gp_breakdowns > gp_open && gp_open > 0,
        "the demo has open and closed breakdowns: {gp_open} open of {gp_breakdowns}"
    );
    assert!(
        block_breakdowns > gp_breakdowns,
        "the block has other GPs' breakdowns"
    );
    assert!(
        gp_payments > gp_cash && gp_cash > 0,
        "the demo has cash and other payments: {gp_cash} of {gp_payments}"
    );

    let secretary = app.login_as("secretary").await;
    let (s, body) = secretary.get_text("/breakdowns.csv?status=all").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        lines(&body, "number").len() as i64,
        gp_breakdowns,
        "the secretary's GP only"
    );
    let (_, body) = secretary.get_text("/breakdowns.csv").await;
    let open = lines(&body, "number");
    assert_eq!(open.len() as i64, gp_open, "the default filter: open ones");
    assert!(open
        .iter()
        .all(|r| ["reported", "acknowledged", "in_progress", "reopened"].contains(&r[4].as_str())));

    let engineer = app.login_as("engineer").await;
    let (_, body) = engineer.get_text("/breakdowns.csv?status=all").await;
    assert_eq!(
        lines(&body, "number").len() as i64,
        block_breakdowns,
        "the engineer's block"
    );
    let (_, body) = engineer
        .get_text(&format!("/breakdowns.csv?status=all&gp={banapura}"))
        .await;
    assert_eq!(
        lines(&body, "number").len() as i64,
        gp_breakdowns,
        "narrowed to one GP"
    );

    let (s, body) = secretary.get_text("/payments.csv").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(lines(&body, "receipt_no").len() as i64, gp_payments);
    let (_, body) = secretary.get_text("/payments.csv?mode=cash").await;
    let cash = lines(&body, "receipt_no");
    assert_eq!(cash.len() as i64, gp_cash);
    assert!(cash.iter().all(|r| r[5] == "cash"));

    // the page links to the export with its own filters
    let (_, page) = secretary.get_text("/payments?mode=cash").await;
    assert!(
        page.contains("/payments.csv?mode&#x3D;cash") || page.contains("/payments.csv?mode=cash")
    );

    for path in ["/defaulters.csv", "/action-items.csv?status=open"] {
        let (s, body) = secretary.get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(body.starts_with(BOM), "{path}");
    }
}

#[actix_web::test]
async fn a_long_export_streams_every_row_once() {
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing_load(&app.db, &app.clock, 3_000, |_| {}).unwrap();
    let total = app.count("households");
    let admin = app.login_as("admin").await;
    let res = admin.get("/households/export.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("content-length").is_none(),
        "a streamed download has no length up front"
    );
    let body = res.text().await.unwrap();
    assert!(
        body.len() > 3 * 32 * 1024,
        "long enough to leave in several chunks"
    );
    let rows = lines(&body, "gp_lgd_code");
    assert_eq!(rows.len() as i64, total, "every household, once");
    let mut keys: Vec<(String, String)> =
        rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len() as i64, total, "no row twice");
}

#[actix_web::test]
async fn places_users_and_the_audit_log_export() {
    let app = TestApp::with_demo().await;
    let engineer = app.login_as("engineer").await;
    let (s, body) = engineer.get_text("/places.csv?level=gp").await;
    assert_eq!(s, StatusCode::OK);
    let gps = lines(&body, "lgd_code");
    let block_gps = {
        use paani::db::schema::places;
        let mut c = app.conn();
        let block: i64 = places::table
            .filter(places::lgd_code.eq(230101))
            .select(places::id)
            .first(&mut *c)
            .unwrap();
        places::table
            .filter(places::block_id.eq(block))
            .filter(places::level.eq("gp"))
            .count()
            .get_result::<i64>(&mut *c)
            .unwrap()
    };
    assert_eq!(
        gps.len() as i64,
        block_gps,
        "the engineer's block's GPs only"
    );
    assert!(gps.iter().all(|r| r[4] == "gp" && r[3] == "230101"));

    let admin = app.login_as("admin").await;
    let (_, body) = admin.get_text("/admin/users.csv").await;
    let users = lines(&body, "username");
    assert!(users
        .iter()
        .any(|u| u[0] == "secretary" && u[2] == "secretary"));
    assert!(!body.contains("argon2"), "no password hashes");
    // the place is named in the reader's language, as on the list page
    let place_of = |users: &[Vec<String>]| {
        users
            .iter()
            .find(|u| u[0] == "secretary")
            .map(|u| (u[3].clone(), u[4].clone()))
            .unwrap()
    };
    assert_eq!(place_of(&users), ("23010101".into(), "Banapura".into()));
    let (_, body) = admin.get_text("/admin/users.csv?lang=hi").await;
    let users = lines(&body, "username");
    assert_eq!(place_of(&users), ("23010101".into(), "बानापुरा".into()));
    let (_, body) = admin.get_text("/admin/audit.csv?action=login").await;
    let logins = lines(&body, "at_utc");
    assert!(logins.len() >= 2, "the two log-ins of this test");
    assert!(logins.iter().all(|r| r[2] == "login"));
    let secretary = app.login_as("secretary").await;
    let (s, _) = secretary.get_text("/admin/audit.csv").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// A CSV download as (header, data lines), after checking the byte-order mark.
fn table(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(body.starts_with(BOM), "no byte-order mark");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.trim_start_matches(BOM).as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The index of a column.
fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// A page's HTML with the attribute escapes undone, to look for links.
fn unescaped(page: &str) -> String {
    page.replace("&#x3D;", "=").replace("&amp;", "&")
}

fn rupees(v: &serde_json::Value) -> String {
    paani::web::csv::rupees(v.as_i64().unwrap())
}

fn actor(app: &TestApp, username: &str) -> paani::auth::Actor {
    let mut c = app.conn();
    let user = paani::auth::model::user_by_username(&mut c, username)
        .unwrap()
        .unwrap();
    paani::auth::model::actor_for(&mut c, user, None, None).unwrap()
}

fn today(app: &TestApp) -> chrono::NaiveDate {
    paani::web::i18n::today_in_india(app.clock.now())
}

#[actix_web::test]
async fn the_cash_book_arrears_and_collection_efficiency_export_as_shown() {
    use crate::helpers::call;
    use chrono::Datelike;
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    let (banapura, shivpur) = (gp_of(&app, 23010101), gp_of(&app, 23010102));
    let today = today(&app);
    let month = today.format("%Y-%m").to_string();
    let prev = (today.with_day(1).unwrap() - chrono::Duration::days(1))
        .format("%Y-%m")
        .to_string();
    // an expense whose party and notes a spreadsheet would run
    {
        let a = actor(&app, "secretary");
        let input = paani::billing::cashbook::EntryInput {
            kind: "expense".into(),
            head: "repairs".into(),
            amount: "123.45".into(),
            entry_on: today.to_string(),
            voucher_no: "V-77".into(),
            party: "=HYPERLINK(\"http://x\")".into(),
            notes: "+1 pipes".into(),
            ..Default::default()
        };
        paani::billing::cashbook::create(
            &mut app.conn(),
            &a,
            &input,
            paani::config::Config::defaults().money,
            app.clock.now(),
        )
        .unwrap();
    }
    let sec_token = app.api_token("secretary").await;
    let eng_token = app.api_token("engineer").await;
    let api = |token: &str, path: String| {
        let token = token.to_string();
        let app = &app;
        async move {
            let (s, v) = call(app, &token, "GET", &path, serde_json::Value::Null).await;
            assert_eq!(s, StatusCode::OK, "{path}");
            v
        }
    };
    let sec = app.login_as("secretary").await;
    let eng = app.login_as("engineer").await;

    // the cash book: opening line, the month's lines with their running balance, closing line
    for m in [&month, &prev] {
        let v = api(&sec_token, format!("/api/v1/cashbook?month={m}")).await;
        let st = &v["statement"];
        let (s, body) = sec.get_text(&format!("/cashbook.csv?month={m}")).await;
        assert_eq!(s, StatusCode::OK);
        let (h, rows) = table(&body);
        assert_eq!(h[0], "date");
        let lines = st["lines"].as_array().unwrap();
        assert!(!lines.is_empty(), "the demo's month {m} has lines");
        assert_eq!(rows.len(), lines.len() + 2, "{m}: opening, lines, closing");
        let (kind, bal) = (col(&h, "kind"), col(&h, "balance_rupees"));
        assert_eq!(rows[0][kind], "opening");
        assert_eq!(rows[0][bal], rupees(&st["opening_paise"]));
        for (r, l) in rows[1..rows.len() - 1].iter().zip(lines) {
            assert_eq!(r[0], l["on"].as_str().unwrap());
            assert_eq!(r[kind], l["kind"].as_str().unwrap());
            assert_eq!(r[col(&h, "head")], l["head"].as_str().unwrap());
            assert_eq!(r[bal], rupees(&l["balance_paise"]));
        }
        let last = rows.last().unwrap();
        assert_eq!(last[kind], "closing");
        assert_eq!(last[col(&h, "income_rupees")], rupees(&st["income_paise"]));
        assert_eq!(
            last[col(&h, "expense_rupees")],
            rupees(&st["expense_paise"])
        );
        assert_eq!(last[bal], rupees(&st["closing_paise"]));
    }
    let (_, body) = sec.get_text(&format!("/cashbook.csv?month={month}")).await;
    let (h, rows) = table(&body);
    assert!(
        rows.iter()
            .any(|r| r[col(&h, "party")] == "'=HYPERLINK(\"http://x\")"
                && r[col(&h, "description")] == "'+1 pipes"
                && r[col(&h, "voucher_no")] == "V-77"
                && r[col(&h, "expense_rupees")] == "123.45"),
        "free text defused: {rows:?}"
    );
    let (_, page) = sec.get_text(&format!("/cashbook?month={month}")).await;
    assert!(
        unescaped(&page).contains(&format!("/cashbook.csv?month={month}&gp={banapura}")),
        "the page links to its month and GP"
    );
    // another GP: not found for the secretary, shown to the block's engineer
    let (s, _) = sec.get_text(&format!("/cashbook.csv?gp={shivpur}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let v = api(
        &eng_token,
        format!("/api/v1/cashbook?gp={shivpur}&month={month}"),
    )
    .await;
    let (s, body) = eng
        .get_text(&format!("/cashbook.csv?gp={shivpur}&month={month}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(
        rows.last().unwrap()[col(&h, "balance_rupees")],
        rupees(&v["statement"]["closing_paise"])
    );
    assert!(
        !body.contains("HYPERLINK"),
        "Banapura's entry is not Shivpur's"
    );

    // arrears ageing: per village for the secretary, per GP for the engineer, with the total
    let check_ageing = |body: &str, api: &serde_json::Value, level: &str| {
        let (h, rows) = table(body);
        assert_eq!(h[0], "level");
        let api_rows = api["rows"].as_array().unwrap();
        assert_eq!(
            rows.len(),
            api_rows.len() + 1,
            "the rows and the total line"
        );
        for (r, a) in rows.iter().zip(api_rows) {
            assert_eq!(r[0], level);
            assert_eq!(r[col(&h, "name")], a["place_name"].as_str().unwrap());
            assert_eq!(r[col(&h, "total_rupees")], rupees(&a["total_paise"]));
        }
        let total = rows.last().unwrap();
        assert_eq!(total[0], "total");
        assert_eq!(total[col(&h, "total_rupees")], rupees(&api["total_paise"]));
        assert_eq!(
            total[col(&h, "months_13_plus_rupees")],
            rupees(&api["totals"][4])
        );
        rows.len() - 1
    };
    let (s, body) = sec.get_text("/arrears.csv").await;
    assert_eq!(s, StatusCode::OK);
    let villages = check_ageing(
        &body,
        &api(&sec_token, "/api/v1/arrears".into()).await,
        "village",
    );
    assert!(villages > 0, "the demo has arrears");
    let (_, body) = eng.get_text("/arrears.csv").await;
    let gps = check_ageing(
        &body,
        &api(&eng_token, "/api/v1/arrears?by=gp".into()).await,
        "gp",
    );
    assert!(gps > 1 && gps <= 3, "the engineer's block's GPs: {gps}");
    // the filters: one GP (per village then), an earlier month
    let (_, body) = eng.get_text(&format!("/arrears.csv?gp={banapura}")).await;
    check_ageing(
        &body,
        &api(&eng_token, format!("/api/v1/arrears?gp={banapura}")).await,
        "village",
    );
    let (_, body) = sec.get_text(&format!("/arrears.csv?month={prev}")).await;
    check_ageing(
        &body,
        &api(&sec_token, format!("/api/v1/arrears?month={prev}")).await,
        "village",
    );
    // collection efficiency: the page's twelve months
    let eff = api(&sec_token, "/api/v1/collection-efficiency".into()).await;
    let (s, body) = sec.get_text("/collection-efficiency.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "month");
    assert_eq!(rows.len(), 12);
    for (r, e) in rows.iter().zip(eff.as_array().unwrap()) {
        assert_eq!(r[0], e["month"].as_str().unwrap());
        assert_eq!(
            r[col(&h, "collected_rupees")],
            rupees(&e["collected_paise"])
        );
        assert_eq!(r[col(&h, "demand_rupees")], rupees(&e["demand_paise"]));
    }
    let (_, body) = eng
        .get_text(&format!(
            "/collection-efficiency.csv?gp={shivpur}&month={prev}"
        ))
        .await;
    let (_, rows) = table(&body);
    let eff = api(
        &eng_token,
        format!("/api/v1/collection-efficiency?gp={shivpur}&month={prev}"),
    )
    .await;
    assert_eq!(rows[11][0], prev);
    assert_eq!(rows[11][2], rupees(&eff[11]["collected_paise"]));
    // a GP outside the secretary's scope: not found, page and exports alike
    for path in [
        format!("/arrears?gp={shivpur}"),
        format!("/arrears.csv?gp={shivpur}"),
        format!("/collection-efficiency.csv?gp={shivpur}"),
    ] {
        assert_eq!(
            sec.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (_, page) = eng.get_text(&format!("/arrears?gp={banapura}")).await;
    let page = unescaped(&page);
    assert!(page.contains(&format!("/arrears.csv?month={month}&gp={banapura}")));
    assert!(page.contains(&format!(
        "/collection-efficiency.csv?month={month}&gp={banapura}"
    )));
}

#[actix_web::test]
async fn meetings_regularity_and_decisions_export_with_filters_and_scope() {
    use paani::committees::meetings;
    use paani::db::schema::{committees, meeting_agenda};
    let app = TestApp::with_demo().await;
    paani::demo::seed_committees(&app.db, &app.clock).unwrap();
    paani::demo::seed_meetings(&app.db, &app.clock).unwrap();
    let (banapura, shivpur) = (gp_of(&app, 23010101), gp_of(&app, 23010102));
    let block = app.place_id(paani::places::Level::Block, 230101);
    app.add_place(paani::places::Level::Gp, 23010199, "=Evil GP", Some(230101));
    let today = today(&app);
    let committee_of = |gp: i64| -> i64 {
        committees::table
            .filter(committees::gp_id.eq(gp))
            .select(committees::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (own_k, shivpur_k) = (committee_of(banapura), committee_of(shivpur));
    // a meeting held today whose venue, agenda and decision a spreadsheet would run
    {
        let a = actor(&app, "secretary");
        let mut c = app.conn();
        let k = paani::committees::find_in_scope(&mut c, &a.scope, own_k).unwrap();
        let input = meetings::MeetingInput {
            held_on: today.to_string(),
            venue: "=SUM(A1)".into(),
            agenda: "@evil item\nSecond item".into(),
            lang: "en".into(),
            ..Default::default()
        };
        let now = app.clock.now();
        let m = meetings::create(&mut c, &a, &k, &input, now).unwrap();
        let serving = meetings::serving_on(&mut c, &m).unwrap();
        let m =
            meetings::record_attendance(&mut c, &m, &serving, &Default::default(), now).unwrap();
        let first: i64 = meeting_agenda::table
            .filter(meeting_agenda::meeting_id.eq(m.id))
            .order(meeting_agenda::position)
            .select(meeting_agenda::id)
            .first(&mut *c)
            .unwrap();
        let minutes = meetings::MinutesInput {
            items: vec![meetings::MinutesItem {
                id: first.to_string(),
                discussion: String::new(),
                decision: "-2+3".into(),
            }],
        };
        meetings::save_minutes(&mut c, &m, &minutes, now).unwrap();
    }
    let own = app.count(&format!("meetings WHERE gp_id = {banapura}"));
    let approved = app.count(&format!(
        "meetings WHERE gp_id = {banapura} AND status = 'approved'"
    ));
    let from = today - chrono::Duration::days(120);
    let recent = app.count(&format!(
        "meetings WHERE gp_id = {banapura} AND held_on >= '{from}' AND held_on <= '{today}'"
    ));
    let in_block = app.count(&format!(
        "meetings WHERE gp_id IN (SELECT id FROM places WHERE block_id = {block})"
    ));
    let in_shivpur = app.count(&format!("meetings WHERE gp_id = {shivpur}"));
    assert!(own > approved && approved > 0 && own > recent && recent > 1);
    assert!(in_block > own + in_shivpur && in_shivpur > 0);

    let sec = app.login_as("secretary").await;
    let eng = app.login_as("engineer").await;
    // meetings: the secretary's GP only, streamed, free text defused
    let res = sec.get("/meetings.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("content-length").is_none(), "streamed");
    let (h, rows) = table(&res.text().await.unwrap());
    assert_eq!(h[0], "id");
    assert_eq!(rows.len() as i64, own);
    assert!(rows.iter().all(|r| r[col(&h, "gp_lgd_code")] == "23010101"));
    let mine = rows
        .iter()
        .find(|r| r[col(&h, "venue")] == "'=SUM(A1)")
        .expect("the new meeting, defused");
    assert_eq!(mine[col(&h, "agenda")], "'@evil item; Second item");
    assert_eq!(mine[col(&h, "status")], "held");
    assert_eq!(mine[col(&h, "decisions")], "1");
    assert_eq!(mine[col(&h, "members_present")], "0");
    assert_eq!(mine[col(&h, "quorum_met")], "false");
    // the filters
    let (_, body) = sec.get_text("/meetings.csv?status=approved").await;
    let (h, rows) = table(&body);
    assert_eq!(rows.len() as i64, approved);
    assert!(rows.iter().all(|r| r[col(&h, "status")] == "approved"));
    let (_, body) = sec
        .get_text(&format!("/meetings.csv?from={from}&to={today}"))
        .await;
    assert_eq!(table(&body).1.len() as i64, recent);
    let (_, body) = sec
        .get_text(&format!("/meetings.csv?committee={own_k}"))
        .await;
    assert_eq!(table(&body).1.len() as i64, own);
    let (_, body) = eng.get_text("/meetings.csv").await;
    assert_eq!(
        table(&body).1.len() as i64,
        in_block,
        "the engineer's block"
    );
    let (_, body) = eng.get_text(&format!("/meetings.csv?gp={shivpur}")).await;
    let (h, rows) = table(&body);
    assert_eq!(rows.len() as i64, in_shivpur);
    assert!(rows.iter().all(|r| r[col(&h, "gp_lgd_code")] == "23010102"));
    // another GP's committee or GP: not found
    for path in [
        format!("/meetings.csv?committee={shivpur_k}"),
        format!("/meetings.csv?gp={shivpur}"),
        format!("/meetings/regularity.csv?gp={shivpur}"),
        format!("/meetings/regularity?gp={shivpur}"),
        format!("/decisions.csv?gp={shivpur}"),
        format!("/decisions?gp={shivpur}"),
    ] {
        assert_eq!(
            sec.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let (_, page) = sec.get_text(&format!("/committees/{own_k}")).await;
    assert!(unescaped(&page).contains(&format!("/meetings.csv?committee={own_k}")));

    // regularity: one line per GP in scope, GP names defused
    let (s, body) = eng.get_text("/meetings/regularity.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "gp_lgd_code");
    assert_eq!(rows.len(), 4, "the block's three demo GPs and the new one");
    let evil = rows.iter().find(|r| r[0] == "23010199").unwrap();
    assert_eq!(evil[col(&h, "gp_name")], "'=Evil GP");
    assert_eq!(evil[col(&h, "state")], "never");
    let (_, body) = sec.get_text("/meetings/regularity.csv").await;
    let (h, rows) = table(&body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "23010101");
    assert_eq!(rows[0][col(&h, "state")], "held");
    assert_eq!(rows[0][col(&h, "last_held_on")], today.to_string());
    let (_, body) = eng
        .get_text(&format!("/meetings/regularity.csv?gp={shivpur}"))
        .await;
    let (_, rows) = table(&body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "23010102");
    let (_, page) = eng
        .get_text(&format!("/meetings/regularity?gp={shivpur}"))
        .await;
    assert!(unescaped(&page).contains(&format!("/meetings/regularity.csv?gp={shivpur}")));

    // the decisions register, now streamed: every decision of the GP, text defused
    let decided = app.count(&format!(
        "meeting_agenda WHERE decision IS NOT NULL AND meeting_id IN \
         (SELECT id FROM meetings WHERE gp_id = {banapura})"
    ));
    let res = sec.get("/decisions.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("content-length").is_none(), "streamed");
    let (_, rows) = table(&res.text().await.unwrap());
    assert_eq!(rows.len() as i64, decided);
    assert!(rows
        .iter()
        .any(|r| r[4] == "'@evil item" && r[5] == "'-2+3"));
}

#[actix_web::test]
async fn the_inbox_exports_the_readers_own_reminders_with_its_filters() {
    use paani::db::schema::reminders;
    let app = TestApp::with_demo().await;
    let banapura = gp_of(&app, 23010101);
    let now = app.clock.now();
    let today = today(&app);
    let user_id = |name: &str| actor(&app, name).user.id;
    let (sec_id, member_id) = (user_id("secretary"), user_id("member"));
    for (user, rule, label, read, resolved) in [
        (sec_id, "task_due_soon", "=evil task", false, false),
        (sec_id, "breakdown_unacknowledged", "B-17", true, false),
        (sec_id, "meeting_missed", "Banapura", false, true),
        (
            member_id,
            "task_due_soon",
            "Member's own task",
            false,
            false,
        ),
    ] {
        diesel::insert_into(reminders::table)
            .values((
                reminders::gp_id.eq(banapura),
                reminders::user_id.eq(user),
                reminders::rule.eq(rule),
                reminders::subject_kind.eq("task"),
                reminders::subject_id.eq(1_i64),
                reminders::dedupe_key.eq(format!("{rule}:1:{label}")),
                reminders::label.eq(label),
                reminders::link.eq("/tasks/1"),
                reminders::due_on.eq(Some(today)),
                reminders::created_at.eq(now),
                reminders::read_at.eq(read.then_some(now)),
                reminders::resolved_at.eq(resolved.then_some(now)),
                reminders::email_state.eq("none"),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let sec = app.login_as("secretary").await;
    let (s, body) = sec.get_text("/inbox.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "created_at_utc");
    assert_eq!(rows.len(), 2, "open ones only, the reader's own: {rows:?}");
    assert!(!body.contains("Member's own task"));
    let (rule, msg) = (col(&h, "rule"), col(&h, "message"));
    let due = rows.iter().find(|r| r[rule] == "task_due_soon").unwrap();
    assert!(due[msg].starts_with("'=evil task"), "defused: {}", due[msg]);
    assert_eq!(due[col(&h, "area")], "maintenance");
    assert_eq!(due[col(&h, "read_at_utc")], "");
    let (_, body) = sec.get_text("/inbox.csv?area=breakdowns").await;
    let (_, rows) = table(&body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][rule], "breakdown_unacknowledged");
    let (_, body) = sec.get_text("/inbox.csv?unread=true").await;
    let (_, rows) = table(&body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][rule], "task_due_soon");
    let (_, page) = sec.get_text("/inbox?unread=true&area=maintenance").await;
    assert!(unescaped(&page).contains("/inbox.csv?unread=true&area=maintenance"));
    let member = app.login_as("member").await;
    let (_, body) = member.get_text("/inbox.csv").await;
    let (_, rows) = table(&body);
    assert_eq!(rows.len(), 1);
    assert!(!body.contains("evil"));
}

#[actix_web::test]
async fn tariffs_demand_runs_committees_tasks_places_and_ledgers_export() {
    use crate::helpers::call;
    use chrono::Datelike;
    use paani::db::schema::{committees, households};
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    paani::demo::seed_committees(&app.db, &app.clock).unwrap();
    paani::demo::seed_breakdowns(&app.db, &app.clock, &paani::config::Config::defaults()).unwrap();
    let (banapura, shivpur) = (gp_of(&app, 23010101), gp_of(&app, 23010102));
    let seoni = app.place_id(paani::places::Level::Block, 230101);
    let pipariya = app.place_id(paani::places::Level::Block, 230102);
    let in_block = format!("(SELECT id FROM places WHERE block_id = {seoni})");
    let today = today(&app);
    // next month's demands, raised for every GP
    let next = today
        .with_day(1)
        .unwrap()
        .checked_add_months(chrono::Months::new(1))
        .unwrap();
    paani::db::write_transaction(&mut app.conn(), |c| {
        let p = paani::billing::demands::preview(c, &paani::auth::Scope::All, next)?;
        paani::billing::demands::raise(c, None, &p, 15, app.clock.now(), |_| {})
    })
    .unwrap();
    let sec = app.login_as("secretary").await;
    let eng = app.login_as("engineer").await;
    let officer = app.login_as("officer").await;

    // tariff plans: a line per plan, a rate column per billed category
    let (s, body) = sec.get_text("/tariffs.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "gp_lgd_code");
    assert!(h.contains(&"rate_bpl_rupees".to_string()));
    assert!(!h.contains(&"rate_exempt_rupees".to_string()));
    assert_eq!(
        rows.len() as i64,
        app.count(&format!("tariff_plans WHERE gp_id = {banapura}"))
    );
    assert!(rows.iter().all(|r| r[0] == "23010101"));
    let (_, body) = eng.get_text("/tariffs.csv").await;
    assert_eq!(
        table(&body).1.len() as i64,
        app.count(&format!("tariff_plans WHERE gp_id IN {in_block}"))
    );
    let (_, page) = sec.get_text("/tariffs").await;
    assert!(page.contains("href=\"/tariffs.csv\""));

    // demand runs
    let (s, body) = sec.get_text("/demand-runs.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "month");
    assert_eq!(
        rows.len() as i64,
        app.count(&format!("demand_runs WHERE gp_id = {banapura}"))
    );
    assert!(rows.len() > 1 && rows.iter().all(|r| r[1] == "23010101"));
    assert_eq!(rows[0][0], next.format("%Y-%m").to_string(), "newest first");
    assert_eq!(rows[1][0], today.format("%Y-%m").to_string());
    let (_, body) = eng.get_text("/demand-runs.csv").await;
    assert_eq!(
        table(&body).1.len() as i64,
        app.count(&format!("demand_runs WHERE gp_id IN {in_block}"))
    );

    // committees with their composition; a committee's members, defused
    let (s, body) = eng.get_text("/committees.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "id");
    assert_eq!(rows.len(), 3, "one per GP of the block");
    let dhanori = rows
        .iter()
        .find(|r| r[col(&h, "gp_lgd_code")] == "23010103")
        .unwrap();
    assert_eq!(
        dhanori[col(&h, "women_met")],
        "false",
        "too few women there"
    );
    assert_eq!(dhanori[col(&h, "composition_ok")], "false");
    let (_, body) = sec.get_text("/committees.csv").await;
    assert_eq!(table(&body).1.len(), 1);
    let committee_of = |gp: i64| -> i64 {
        committees::table
            .filter(committees::gp_id.eq(gp))
            .select(committees::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (own_k, shivpur_k) = (committee_of(banapura), committee_of(shivpur));
    {
        let mut c = app.conn();
        let k = paani::committees::find_in_scope(&mut c, &paani::auth::Scope::All, own_k).unwrap();
        let m = paani::committees::MemberInput {
            name: "+Evil Member".into(),
            gender: "female".into(),
            social_category: "st".into(),
            ..Default::default()
        };
        let cfg = paani::config::Config::defaults().committees;
        paani::committees::add_member(&mut c, &cfg, &k, &m, app.clock.now()).unwrap();
    }
    let (s, body) = sec
        .get_text(&format!("/committees/{own_k}/members.csv"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(
        rows.len() as i64,
        app.count(&format!("committee_members WHERE committee_id = {own_k}"))
    );
    let evil = rows
        .iter()
        .find(|r| r[col(&h, "name")] == "'+Evil Member")
        .expect("defused");
    assert_eq!(evil[col(&h, "serving")], "true");
    let r = sec
        .get(&format!("/committees/{shivpur_k}/members.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // my tasks: open ones due within the week, every one of them
    let week = today + chrono::Duration::days(7);
    let (s, body) = sec.get_text("/tasks.csv").await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    let due = app.count(&format!(
        "maintenance_tasks WHERE gp_id = {banapura} AND state = 'open' AND due_on <= '{week}'"
    ));
    assert!(due > 0);
    assert_eq!(rows.len() as i64, due);
    assert!(rows.iter().all(|r| ["overdue", "due", "upcoming"]
        .contains(&r[col(&h, "state")].as_str())
        && r[col(&h, "gp_lgd_code")] == "23010101"));
    let (_, body) = eng.get_text("/tasks.csv").await;
    assert_eq!(
        table(&body).1.len() as i64,
        app.count(&format!(
            "maintenance_tasks WHERE gp_id IN {in_block} AND state = 'open' AND due_on <= '{week}'"
        ))
    );

    // compliance: per scheme for a GP, per GP for a block
    let (s, body) = sec
        .get_text(&format!("/places/{banapura}/maintenance.csv"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "level");
    assert_eq!(
        rows.len() as i64,
        app.count(&format!("schemes WHERE gp_id = {banapura}"))
    );
    assert!(rows.iter().all(|r| r[0] == "scheme"));
    let (_, body) = eng
        .get_text(&format!("/places/{seoni}/maintenance.csv"))
        .await;
    let (_, rows) = table(&body);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r[0] == "gp"));

    // what ends its life in five years
    let (s, body) = sec
        .get_text(&format!("/places/{banapura}/lifecycle.csv?months=60"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    assert_eq!(h[0], "item");
    let until = today.checked_add_months(chrono::Months::new(60)).unwrap();
    assert_eq!(
        rows.iter().filter(|r| r[0] == "asset").count() as i64,
        app.count(&format!(
            "assets WHERE gp_id = {banapura} AND status NOT IN ('replaced', 'retired') \
             AND end_of_life_on <= '{until}'"
        ))
    );
    assert!(
        rows.iter().any(|r| r[0] == "asset"),
        "the demo has old assets"
    );
    let (_, page) = sec
        .get_text(&format!("/places/{banapura}/lifecycle?months=60"))
        .await;
    assert!(unescaped(&page).contains(&format!("/places/{banapura}/lifecycle.csv?months=60")));

    // a household's ledger
    let household_in = |gp: i64| -> i64 {
        households::table
            .filter(households::gp_id.eq(gp))
            .select(households::id)
            .order(households::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (own_h, shivpur_h) = (household_in(banapura), household_in(shivpur));
    let token = app.api_token("secretary").await;
    let (_, ledger) = call(
        &app,
        &token,
        "GET",
        &format!("/api/v1/ledger/{own_h}"),
        serde_json::Value::Null,
    )
    .await;
    let (s, body) = sec
        .get_text(&format!("/households/{own_h}/ledger.csv"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (h, rows) = table(&body);
    let lines = ledger["lines"].as_array().unwrap();
    assert_eq!(rows.len(), lines.len());
    assert_eq!(
        rows.last().unwrap()[col(&h, "balance_rupees")],
        rupees(&lines.last().unwrap()["balance_paise"])
    );

    // the review page's list narrowed to a block
    let (_, body) = eng.get_text("/breakdowns.csv?status=all").await;
    let block_rows = table(&body).1.len();
    assert!(block_rows > 0);
    let (s, body) = officer
        .get_text(&format!("/breakdowns.csv?status=all&block={seoni}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        table(&body).1.len(),
        block_rows,
        "the officer sees one block"
    );
    let (_, page) = officer
        .get_text(&format!("/breakdowns/review?status=all&block={seoni}"))
        .await;
    assert!(unescaped(&page).contains(&format!("/breakdowns.csv?status=all&block={seoni}")));

    // outside the scope: not found
    for path in [
        format!("/places/{shivpur}/maintenance.csv"),
        format!("/places/{shivpur}/lifecycle.csv"),
        format!("/households/{shivpur_h}/ledger.csv"),
    ] {
        assert_eq!(
            sec.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = eng.get(&format!("/breakdowns.csv?block={pipariya}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
