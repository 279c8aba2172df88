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
    paani::demo::seed_breakdowns(
        &app.db,
        &app.clock,
        &paani::config::Config::defaults().breakdowns,
    )
    .unwrap();
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
    let (_, body) = admin.get_text("/admin/audit.csv?action=login").await;
    let logins = lines(&body, "at_utc");
    assert!(logins.len() >= 2, "the two log-ins of this test");
    assert!(logins.iter().all(|r| r[2] == "login"));
    let secretary = app.login_as("secretary").await;
    let (s, _) = secretary.get_text("/admin/audit.csv").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
