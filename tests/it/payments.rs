//! Payments and receipts: oldest-first settlement, advance credit, cancellation by another
//! secretary, idempotent retries, gapless receipt numbers under concurrency, arrears,
//! defaulters, collection efficiency, the cash book and the printable receipt.

use crate::helpers::{call, location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

const GP: i64 = 23010101;

/// A GP with a ₹50 (general) / ₹30 (BPL) plan from April 2026 and one general household
/// connected in January; returns the household's id.
async fn billed_household(app: &TestApp, sec: &str, no: &str) -> i64 {
    let village = app
        .place_id(paani::places::Level::Village, 2301010101)
        .to_string();
    let (s, h) = call(
        app,
        sec,
        "POST",
        "/api/v1/households",
        json!({"village_id": village,
        "connection_no": no, "head_name": format!("Head {no}"), "category": "general",
        "connected_on": "2026-01-05", "phone": "9826012345"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let (s, p) = call(app, sec, "POST", "/api/v1/tariffs",
        json!({"effective_from": "2026-04", "rates": {"general": "50", "bpl": "30", "sc": "30", "st": "30"}}))
    .await;
    assert!(
        s == StatusCode::CREATED || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{p}"
    );
    h["id"].as_i64().unwrap()
}

async fn raise(app: &TestApp, sec: &str, month: &str) -> Value {
    let (s, runs) = call(app, sec, "POST", "/api/v1/demands", json!({"month": month})).await;
    assert_eq!(s, StatusCode::CREATED, "{runs}");
    runs
}

async fn pay(app: &TestApp, sec: &str, household: i64, amount: &str, on: &str) -> Value {
    let (s, p) = call(
        app,
        sec,
        "POST",
        "/api/v1/payments",
        json!({"household_id": household, "amount": amount, "paid_on": on}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    p
}

async fn ledger(app: &TestApp, sec: &str, household: i64) -> Value {
    let (s, l) = call(
        app,
        sec,
        "GET",
        &format!("/api/v1/ledger/{household}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    l
}

fn month_states(l: &Value) -> Vec<(String, i64, String)> {
    l["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["paid_paise"].as_i64().unwrap(),
                m["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn payments_settle_the_oldest_dues_first_and_cancellation_recomputes() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    app.add_user("secretary2", "secretary", Some(GP));
    let sec2 = app.api_token("secretary2").await;
    let h = billed_household(&app, &sec, "P-1").await;
    for m in ["2026-04", "2026-05", "2026-06"] {
        raise(&app, &sec, m).await;
    }
    // ₹70: April in full and ₹20 of May
    let p1 = pay(&app, &sec, h, "70", "2026-06-20").await;
    assert_eq!(p1["receipt_no"], format!("{GP}/2026-27/000001"));
    assert_eq!(
        (p1["covers_from"].as_str(), p1["covers_to"].as_str()),
        (Some("2026-04-01"), Some("2026-05-01"))
    );
    assert_eq!(p1["balance_after_paise"], 8000);
    let l = ledger(&app, &sec, h).await;
    assert_eq!(
        month_states(&l),
        vec![
            ("2026-04".into(), 5000, "paid".into()),
            ("2026-05".into(), 2000, "part".into()),
            ("2026-06".into(), 0, "unpaid".into()),
        ]
    );
    // ₹100: the rest of May, June, and ₹20 advance
    let p2 = pay(&app, &sec, h, "100", "2026-06-25").await;
    assert_eq!(p2["receipt_no"], format!("{GP}/2026-27/000002"));
    assert_eq!(p2["balance_after_paise"], -2000);
    assert_eq!(p2["covers_from"], "2026-05-01");
    assert_eq!(p2["covers_to"], "2026-06-01");
    // the advance goes to July's demand when it is raised
    raise(&app, &sec, "2026-07").await;
    let l = ledger(&app, &sec, h).await;
    assert_eq!(month_states(&l)[3], ("2026-07".into(), 2000, "part".into()));
    assert_eq!(l["standing"]["balance_paise"], 3000);
    // the April run has paid demands: it cannot be cancelled
    let (_, runs) = call(&app, &sec, "GET", "/api/v1/demand-runs", json!({})).await;
    let april = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["month"] == "2026-04-01")
        .unwrap()["id"]
        .clone();
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/demand-runs/{april}/cancel"),
        json!({"reason": "wrong"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    // the one who recorded a payment cannot cancel it; another secretary can, with a reason
    let path = format!("/api/v1/payments/{}/cancel", p1["id"]);
    let (s, _) = call(&app, &sec, "POST", &path, json!({"reason": "typo"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = call(&app, &sec2, "POST", &path, json!({"reason": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, c) = call(
        &app,
        &sec2,
        "POST",
        &path,
        json!({"reason": "entered twice"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert!(c["cancelled_at"].is_string());
    assert_eq!(c["receipt_no"], p1["receipt_no"], "the number stays");
    let (s, _) = call(&app, &sec2, "POST", &path, json!({"reason": "again"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // balances recompute: 4 × ₹50 demanded, ₹100 valid
    let l = ledger(&app, &sec, h).await;
    assert_eq!(l["standing"]["balance_paise"], 10000);
    assert_eq!(
        month_states(&l),
        vec![
            ("2026-04".into(), 5000, "paid".into()),
            ("2026-05".into(), 5000, "paid".into()),
            ("2026-06".into(), 0, "unpaid".into()),
            ("2026-07".into(), 0, "unpaid".into()),
        ]
    );
    let last = l["lines"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["balance_paise"], 10000, "the running balance agrees");
    assert!(l["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["kind"] == "cancellation" && x["debit_paise"] == 7000));
    // the next receipt continues the sequence; a payment in March 2026 opens 2025-26
    let p3 = pay(&app, &sec, h, "10", "2026-07-02").await;
    assert_eq!(p3["receipt_no"], format!("{GP}/2026-27/000003"));
    let p4 = pay(&app, &sec, h, "10", "2026-03-31").await;
    assert_eq!(p4["receipt_no"], format!("{GP}/2025-26/000001"));
    // field errors: amount, future date, reference for UPI
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/payments",
        json!({"household_id": h, "amount": "-5", "paid_on": "2099-01-01", "mode": "upi"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["amount", "paid_on", "reference"] {
        assert!(e["errors"][f].is_string(), "{f}: {e}");
    }
    // arrears: June and July unpaid less ₹20 (p3, p4): ₹80 in all, in the 4–6 months bucket
    // for June and 4–6 for July as of November
    let (_, a) = call(
        &app,
        &sec,
        "GET",
        "/api/v1/arrears?month=2026-11",
        json!({}),
    )
    .await;
    assert_eq!(a["total_paise"], 8000, "{a}");
    assert_eq!(a["totals"], json!([0, 0, 8000, 0, 0]));
    let (_, d) = call(
        &app,
        &sec,
        "GET",
        "/api/v1/defaulters?month=2026-11&months=2",
        json!({}),
    )
    .await;
    let row = d
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["household_id"] == h)
        .unwrap();
    assert_eq!(row["unpaid_paise"], 8000);
    assert_eq!(row["months"], 2);
    assert_eq!(row["phone"], "9826012345");
    let (_, d) = call(
        &app,
        &sec,
        "GET",
        "/api/v1/defaulters?month=2026-11&months=3",
        json!({}),
    )
    .await;
    assert!(d.as_array().unwrap().iter().all(|r| r["household_id"] != h));
    // efficiency: April and May collected in full, June ₹20 of ₹50
    let (_, eff) = call(
        &app,
        &sec,
        "GET",
        "/api/v1/collection-efficiency?month=2026-07",
        json!({}),
    )
    .await;
    let june = eff
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2026-06")
        .unwrap();
    assert_eq!(
        (
            june["demand_paise"].as_i64(),
            june["collected_paise"].as_i64()
        ),
        (Some(5000), Some(2000))
    );
    assert_eq!(june["percent"], 40.0);
    let july = eff
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2026-07")
        .unwrap();
    assert_eq!(july["cumulative_demand_paise"], 20000);
    assert_eq!(july["cumulative_collected_paise"], 12000);
    assert_eq!(july["cumulative_percent"], 60.0);
    // the audit log has the payment and its cancellation
    assert!(app.count("audit_log WHERE entity = 'payment' AND action = 'cancel'") == 1);
}

#[tokio::test]
async fn a_retried_payment_is_recorded_once() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = billed_household(&app, &sec, "R-1").await;
    let send = |key: &'static str, amount: &'static str| {
        let (app, sec) = (&app, sec.clone());
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/payments"))
                .bearer_auth(&sec)
                .header("Idempotency-Key", key)
                .json(&json!({"household_id": h, "amount": amount}))
                .send()
                .await
                .unwrap();
            let replayed = r.headers().get("idempotent-replayed").is_some();
            (r.status(), replayed, r.json::<Value>().await.unwrap())
        }
    };
    let (s1, r1, p1) = send("phone-7f3a-0001", "150").await;
    assert_eq!((s1, r1), (StatusCode::CREATED, false));
    let (s2, r2, p2) = send("phone-7f3a-0001", "150").await;
    assert_eq!(
        (s2, r2),
        (StatusCode::CREATED, true),
        "the first answer again"
    );
    assert_eq!(p1["id"], p2["id"]);
    assert_eq!(p1["receipt_no"], p2["receipt_no"]);
    let (s3, _, _) = send("phone-7f3a-0001", "151").await;
    assert_eq!(s3, StatusCode::CONFLICT, "the same key for another amount");
    let (s4, _, _) = send("bad key with spaces", "10").await;
    assert_eq!(s4, StatusCode::BAD_REQUEST);
    // the same key sent twice at once still records one payment
    let (a, b) = tokio::join!(send("phone-7f3a-0002", "20"), send("phone-7f3a-0002", "20"));
    assert_eq!(a.2["id"], b.2["id"], "{a:?} {b:?}");
    assert_eq!(app.count(&format!("payments WHERE household_id = {h}")), 2);
}

#[tokio::test]
async fn concurrent_collectors_get_unique_gapless_receipt_numbers() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let mut households = vec![];
    for i in 0..8 {
        households.push(billed_household(&app, &sec, &format!("C-{i}")).await);
    }
    // 8 collectors at once, 6 payments each
    let mut tasks = vec![];
    for h in households {
        let (client, url, sec) = (app.client.clone(), app.url("/api/v1/payments"), sec.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = vec![];
            for _ in 0..6 {
                let r = client
                    .post(&url)
                    .bearer_auth(&sec)
                    .json(&json!({"household_id": h, "amount": "25"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                let p: Value = r.json().await.unwrap();
                got.push(p["seq"].as_i64().unwrap());
            }
            got
        }));
    }
    let mut seqs = vec![];
    for t in tasks {
        seqs.extend(t.await.unwrap());
    }
    seqs.sort();
    assert_eq!(seqs, (1..=48).collect::<Vec<i64>>(), "unique and gapless");
    assert_eq!(app.count("payments"), 48);
}

/// The gapless check with receipt books: collectors record payments online while a book is
/// issued in between, two payments take the book's leaves, one leaf is cancelled and the book
/// is closed; every number 1..=counter is then a payment, a returned or a cancelled leaf, and
/// none is two of them.
#[tokio::test]
async fn concurrent_collectors_and_a_receipt_book_leave_every_number_accounted_for_once() {
    use diesel::prelude::*;
    use paani::db::schema::{payments, receipt_counters, receipt_leaves, users};
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let sec_id: i64 = users::table
        .filter(users::username.eq("secretary"))
        .select(users::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut households = vec![];
    for i in 0..4 {
        households.push(billed_household(&app, &sec, &format!("K-{i}")).await);
    }
    let mut tasks = vec![];
    for h in households.clone() {
        let (client, url, sec) = (app.client.clone(), app.url("/api/v1/payments"), sec.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..5 {
                let r = client
                    .post(&url)
                    .bearer_auth(&sec)
                    .json(&json!({"household_id": h, "amount": "25"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
            }
        }));
    }
    // a book issued while they record
    let (s, book) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/receipt-books",
        json!({"collector_id": sec_id, "size": "6"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{book}");
    for t in tasks {
        t.await.unwrap();
    }
    let (id, first) = (
        book["id"].as_i64().unwrap(),
        book["first_seq"].as_i64().unwrap(),
    );
    for (i, seq) in [first + 5, first].into_iter().enumerate() {
        let (s, p) = call(&app, &sec, "POST", "/api/v1/payments",
            json!({"household_id": households[i], "amount": "10", "receipt_book_id": id, "receipt_seq": seq}))
        .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
    }
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/receipt-books/{id}/leaves/{}/cancel", first + 1),
        json!({"reason": "ink spilt"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/receipt-books/{id}/close"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // and online payments go on after the book
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/payments",
        json!({"household_id": households[0], "amount": "10"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);

    let mut c = app.conn();
    let counter: i64 = receipt_counters::table
        .select(receipt_counters::last_number)
        .first(&mut *c)
        .unwrap();
    assert_eq!(
        counter,
        20 + 6 + 1,
        "20 online, a book of 6, one more online"
    );
    let mut numbers: Vec<i64> = payments::table.select(payments::seq).load(&mut *c).unwrap();
    let leaves: Vec<i64> = receipt_leaves::table
        .select(receipt_leaves::seq)
        .load(&mut *c)
        .unwrap();
    assert_eq!(leaves.len(), 4, "one cancelled, three returned");
    numbers.extend(leaves);
    numbers.sort();
    assert_eq!(
        numbers,
        (1..=counter).collect::<Vec<i64>>(),
        "each number once"
    );
    let (_, a) = call(
        &app,
        &sec,
        "GET",
        "/api/v1/receipt-books/accounting",
        json!({}),
    )
    .await;
    assert_eq!(a["all_accounted"], true, "{a}");
    assert_eq!(a["last_number"], counter);
}

#[tokio::test]
async fn the_receipt_prints_in_both_languages_and_its_link_needs_no_login() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = billed_household(&app, &sec, "W-1").await;
    raise(&app, &sec, "2026-04").await;
    let p = pay(&app, &sec, h, "1,23,456.50", "2026-05-02").await;
    let (_, r) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/payments/{}/receipt?lang=en", p["id"]),
        json!({}),
    )
    .await;
    assert_eq!(r["amount"], "₹1,23,456.50");
    assert_eq!(
        r["amount_words"],
        "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Fifty Paise Only"
    );
    assert_eq!(r["months"], "Apr 2026");
    assert!(r["advance"].as_bool().unwrap());
    let (_, r) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/payments/{}/receipt?lang=hi", p["id"]),
        json!({}),
    )
    .await;
    assert_eq!(
        r["amount_words"],
        "एक लाख तेईस हज़ार चार सौ छप्पन रुपये और पचास पैसे मात्र"
    );
    assert_eq!(r["months"], "अप्रैल 2026");
    // the link is absolute, from server.base_url: it is sent by WhatsApp or SMS
    let link = r["link"].as_str().unwrap().to_string();
    let path = link.strip_prefix(&app.addr).expect("link under base_url");
    assert!(path.starts_with("/r/"), "{link}");
    // anyone with the link, no login; both layouts
    let anon = app.browser();
    let (s, body) = anon.get_text(&format!("{path}?layout=58mm&lang=en")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(p["receipt_no"].as_str().unwrap()));
    assert!(body.contains("receipt-58mm"));
    assert!(body.contains("Rupees One Lakh"));
    let (s, _) = anon.get_text("/r/not-a-real-token-at-all-000000").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // the logged-in page is scoped: the receipt of another GP's payment is not found
    let (s, _) = anon
        .get_text(&format!("/payments/{}/receipt", p["id"]))
        .await;
    assert_ne!(s, StatusCode::OK);
}

#[tokio::test]
async fn the_secretary_records_a_payment_on_the_ledger_page() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = billed_household(&app, &sec, "F-1").await;
    raise(&app, &sec, "2026-04").await;
    let b = app.login_as("secretary").await;
    let page = format!("/households/{h}/ledger");
    let (s, body) = b.get_text(&page).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("भुगतान दर्ज करें"), "in Hindi");
    let key_at = body.find("name=\"idempotency_key\" value=\"").unwrap() + 30;
    let key = body[key_at..key_at + body[key_at..].find('"').unwrap()].to_string();
    let hs = h.to_string();
    let fields = [
        ("household_id", hs.as_str()),
        ("amount", "50"),
        ("paid_on", "2026-05-01"),
        ("mode", "cash"),
        ("idempotency_key", key.as_str()),
    ];
    let r = b.post_form("/payments", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let receipt = location(&r);
    assert!(receipt.ends_with("/receipt"), "{receipt}");
    // a double tap sends the same form again: still one payment
    let r = b.post_form("/payments", &fields).await;
    assert_eq!(location(&r), receipt);
    assert_eq!(app.count(&format!("payments WHERE household_id = {h}")), 1);
    let (s, body) = b.get_text(&receipt).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("पचास रुपये मात्र"), "amount in Hindi words");
    assert!(body.contains(&format!("{GP}/2026-27/000001")));
    // a bad amount shows the form again with the error in Hindi, nothing recorded
    let r = b
        .post_form(
            "/payments",
            &[
                ("household_id", hs.as_str()),
                ("amount", "abc"),
                ("idempotency_key", "k-2"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count(&format!("payments WHERE household_id = {h}")), 1);
    // the lists
    for path in [
        "/payments",
        "/arrears",
        "/defaulters?months=1",
        "/cashbook",
        "/demands?month=2026-05",
        &page,
    ] {
        let (s, _) = b.get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_cash_book_adds_collections_and_vouchers_into_a_monthly_statement() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = billed_household(&app, &sec, "K-1").await;
    raise(&app, &sec, "2026-04").await;
    let entry = |body: Value| {
        let (app, sec) = (&app, sec.clone());
        async move { call(app, &sec, "POST", "/api/v1/cashbook", body).await }
    };
    let (s, e) = entry(
        json!({"kind": "opening", "head": "opening", "amount": "1000", "entry_on": "2026-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, _) = entry(
        json!({"kind": "opening", "head": "opening", "amount": "5", "entry_on": "2026-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "one opening balance");
    let (s, _) = entry(json!({"kind": "expense", "head": "electricity", "amount": "600", "entry_on": "2026-05-10", "voucher_no": "V-1", "party": "MPEB"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = entry(
        json!({"kind": "income", "head": "grant_15fc", "amount": "2000", "entry_on": "2026-05-12"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, wrong) = entry(
        json!({"kind": "expense", "head": "repairs", "amount": "99", "entry_on": "2026-05-13"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    // a repair linked to its breakdown; an unknown breakdown is refused
    let (scheme, _) = crate::schemes::demo_scheme_ids(&app);
    let breakdown = crate::factories::add_breakdown(&app, scheme);
    let (s, e) = entry(json!({"kind": "expense", "head": "repairs", "amount": "1", "entry_on": "2026-03-01", "breakdown_id": "999999"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["breakdown_id"].is_string(), "{e}");
    let (s, e) = entry(json!({"kind": "expense", "head": "repairs", "amount": "1", "entry_on": "2026-03-01", "breakdown_id": breakdown})).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_eq!(e["breakdown_id"], breakdown);
    let (s, e) = entry(json!({"kind": "expense", "head": "not-a-head", "amount": "x"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["head"].is_string() && e["errors"]["amount"].is_string());
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/cashbook/{}/cancel", wrong["id"]),
        json!({"reason": "wrong amount"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    pay(&app, &sec, h, "50", "2026-05-03").await;
    pay(&app, &sec, h, "30", "2026-05-03").await;
    pay(&app, &sec, h, "20", "2026-04-20").await;
    let (_, v) = call(
        &app,
        &sec,
        "GET",
        "/api/v1/cashbook?month=2026-05",
        json!({}),
    )
    .await;
    let st = &v["statement"];
    assert_eq!(
        st["opening_paise"],
        100000 + 2000 - 100,
        "opening plus April's collection less March's repair"
    );
    assert_eq!(st["income_paise"], 200000 + 8000);
    assert_eq!(
        st["expense_paise"], 60000,
        "the cancelled voucher is left out"
    );
    assert_eq!(st["closing_paise"], 101900 + 208000 - 60000);
    let tariff = st["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["head"] == "tariff")
        .unwrap();
    assert_eq!(
        (tariff["receipts"].as_i64(), tariff["income_paise"].as_i64()),
        (Some(2), Some(8000))
    );
    // cost recovery over 12 months: ₹100 of charges over ₹601 of expense
    assert_eq!(v["cost_recovery"]["user_charges_paise"], 10000);
    assert_eq!(v["cost_recovery"]["om_expense_paise"], 60100);
    assert_eq!(v["cost_recovery"]["percent"], 16.6);
    assert_eq!(v["cost_recovery"]["met"], false);
}

/// What a random history does to one household.
#[derive(Debug, Clone)]
enum Op {
    Demand(i64),
    Pay(i64),
    Cancel(usize),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        (1i64..20_000).prop_map(Op::Demand),
        (1i64..30_000).prop_map(Op::Pay),
        (0usize..8).prop_map(Op::Cancel),
    ]
}

/// For random sequences of demands, payments and cancellations, on the real database: the
/// ledger balances (demands − valid payments = balance = the last running balance), the
/// months have had exactly what was paid up to what was demanded, and the set-based arrears
/// query agrees with the ledger. No paisa is created or lost.
#[test]
fn the_ledger_always_balances() {
    use diesel::prelude::*;
    use paani::db::schema::{demand_runs, demands, tariff_plans};
    use proptest::prelude::*;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(TestApp::with_demo());
    let sec = rt.block_on(app.api_token("secretary"));
    app.add_user("checker", "secretary", Some(GP));
    let counter = std::cell::Cell::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    let result = runner.run(&proptest::collection::vec(op(), 1..30), |ops| {
        counter.set(counter.get() + 1);
        let n = counter.get();
        let h = rt.block_on(billed_household(&app, &sec, &format!("PT-{n}")));
        let mut c = app.conn();
        let conn: &mut paani::db::DbConn = &mut c;
        let actor_of = |conn: &mut paani::db::DbConn, name: &str| {
            let u = paani::auth::model::user_by_username(conn, name)
                .unwrap()
                .unwrap();
            paani::auth::model::actor_for(conn, u, None, None).unwrap()
        };
        let (recorder, checker) = (actor_of(conn, "secretary"), actor_of(conn, "checker"));
        let gp_id = app.place_id(paani::places::Level::Gp, GP);
        let plan: i64 = tariff_plans::table
            .filter(tariff_plans::gp_id.eq(gp_id))
            .select(tariff_plans::id)
            .first(conn)
            .unwrap();
        let now = app.clock.now();
        let run: i64 = paani::on_backend!(conn, |x| diesel::insert_into(demand_runs::table)
            .values((
                demand_runs::gp_id.eq(gp_id),
                demand_runs::month.eq(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
                demand_runs::plan_id.eq(plan),
                demand_runs::demands.eq(0),
                demand_runs::total_paise.eq(0),
                demand_runs::created_at.eq(now),
            ))
            .returning(demand_runs::id)
            .get_result(x))
        .unwrap();
        let (mut demanded, mut months, mut paid_ids) = (0i64, 0u32, vec![]);
        for op in &ops {
            match op {
                Op::Demand(amount) => {
                    let month = chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
                        .unwrap()
                        .checked_add_months(chrono::Months::new(months))
                        .unwrap();
                    months += 1;
                    demanded += amount;
                    diesel::insert_into(demands::table)
                        .values((
                            demands::gp_id.eq(gp_id),
                            demands::household_id.eq(h),
                            demands::month.eq(month),
                            demands::run_id.eq(run),
                            demands::amount_paise.eq(amount),
                            demands::due_on.eq(month),
                            demands::created_at.eq(now),
                        ))
                        .execute(conn)
                        .unwrap();
                }
                Op::Pay(amount) => {
                    let input = paani::billing::payments::PaymentInput {
                        household_id: h.to_string(),
                        amount: format!("{}.{:02}", amount / 100, amount % 100),
                        paid_on: "2026-06-01".into(),
                        ..Default::default()
                    };
                    let p = paani::db::write_transaction(conn, |c| {
                        paani::billing::payments::record(
                            c,
                            &recorder,
                            &input,
                            None,
                            paani::config::Config::defaults().money,
                            now,
                        )
                    })
                    .unwrap();
                    prop_assert_eq!(p.amount_paise, *amount);
                    paid_ids.push(p.id);
                }
                Op::Cancel(i) => {
                    if let Some(id) = paid_ids.get(*i).copied() {
                        let p = paani::billing::payments::find(conn, id).unwrap();
                        let r = paani::db::write_transaction(conn, |c| {
                            paani::billing::payments::cancel(c, &checker, &p, "test", now)
                        });
                        prop_assert_eq!(r.is_ok(), p.cancelled_at.is_none());
                    }
                }
            }
        }
        let valid: i64 = paid_ids
            .iter()
            .map(|id| paani::billing::payments::find(conn, *id).unwrap())
            .filter(|p| p.cancelled_at.is_none())
            .map(|p| p.amount_paise)
            .sum();
        let household = paani::billing::find(conn, h).unwrap();
        let l = paani::billing::ledger::ledger(conn, &household).unwrap();
        prop_assert_eq!(l.standing.demanded_paise, demanded);
        prop_assert_eq!(l.standing.paid_paise, valid);
        prop_assert_eq!(l.standing.balance_paise, demanded - valid);
        let last = l.lines.last().map(|x| x.balance_paise).unwrap_or(0);
        prop_assert_eq!(
            last,
            demanded - valid,
            "the running balance ends at the balance"
        );
        let settled: i64 = l.months.iter().map(|m| m.paid_paise).sum();
        prop_assert_eq!(
            settled,
            valid.min(demanded),
            "what the months had is what was paid"
        );
        prop_assert_eq!(l.advance_paise, (valid - demanded).max(0));
        for m in &l.months {
            prop_assert!(m.paid_paise >= 0 && m.paid_paise <= m.demand_paise);
        }
        // the set-based query (arrears, defaulters) agrees with the ledger
        let far = chrono::NaiveDate::from_ymd_opt(2099, 1, 1).unwrap();
        let rows = paani::billing::ledger::defaulters(
            conn,
            &[gp_id],
            far,
            1,
            100_000,
            paani::web::i18n::Lang::En,
        )
        .unwrap();
        let unpaid = rows
            .iter()
            .find(|r| r.household_id == h)
            .map(|r| r.unpaid_paise)
            .unwrap_or(0);
        prop_assert_eq!(unpaid, (demanded - valid).max(0));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[tokio::test]
async fn a_late_fee_is_charged_once_on_demands_left_unpaid() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let a = billed_household(&app, &sec, "L-A").await;
    let b = billed_household(&app, &sec, "L-B").await;
    raise(&app, &sec, "2026-04").await;
    // a plan from May with a ₹10 late fee after 5 days, added on the page
    let browser = app.login_as("secretary").await;
    let r = browser
        .post_form(
            "/tariffs",
            &[
                ("effective_from", "2026-05"),
                ("rate_general", "50"),
                ("rate_bpl", "30"),
                ("rate_sc", "30"),
                ("rate_st", "30"),
                ("late_fee", "10"),
                ("late_fee_after_days", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a late fee needs its days"
    );
    let r = browser
        .post_form(
            "/tariffs",
            &[
                ("effective_from", "2026-05"),
                ("rate_general", "50"),
                ("rate_bpl", "30"),
                ("rate_sc", "30"),
                ("rate_st", "30"),
                ("late_fee", "10"),
                ("late_fee_after_days", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = browser.get_text("/tariffs").await;
    assert!(page.contains("₹10.00"), "the late fee is listed");
    raise(&app, &sec, "2026-05").await;
    // B pays April and May; A pays nothing
    pay(&app, &sec, b, "100", "2026-05-10").await;
    let charge = || async {
        call(&app, &sec, "POST", "/api/v1/demands/late-fees", json!({}))
            .await
            .1["charged"]
            .as_i64()
    };
    assert_eq!(
        charge().await,
        Some(1),
        "only A's May demand: April's plan has no late fee"
    );
    assert_eq!(charge().await, Some(0), "once per demand");
    let l = ledger(&app, &sec, a).await;
    assert_eq!(l["standing"]["balance_paise"], 5000 + 5000 + 1000);
    let fee = l["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "late_fee")
        .unwrap()
        .clone();
    assert_eq!(
        (fee["debit_paise"].as_i64(), fee["on"].as_str()),
        (Some(1000), Some("2026-05-15"))
    );
    assert_eq!(ledger(&app, &sec, b).await["standing"]["balance_paise"], 0);
    // the fee is part of what is owed: a payment of ₹110 settles April and May in full
    let p = pay(&app, &sec, a, "110", "2026-06-01").await;
    assert_eq!(p["balance_after_paise"], 0);
}

#[tokio::test]
async fn the_counter_finds_a_household_records_and_prints_in_three_taps() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = billed_household(&app, &sec, "Z-77").await;
    raise(&app, &sec, "2026-04").await;
    raise(&app, &sec, "2026-05").await;
    let due = ledger(&app, &sec, h).await["standing"]["balance_paise"]
        .as_i64()
        .unwrap();
    assert!(due > 0 && due % 100 == 0, "{due}");
    let (due_rupees, due_shown) = ((due / 100).to_string(), format!("₹{}.00", due / 100));
    let b = app.login_as("secretary").await;

    // the search box finds it by name, connection number or phone (a plain GET form)
    let (s, page) = b.get_text("/payments").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"find\""), "{page}");
    let row = format!("href=\"/payments/new?household={h}\"");
    for term in ["head%20z-77", "Z-77", "9826012345"] {
        let (s, found) = b.get_text(&format!("/payments?find={term}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(found.contains(&row), "{term}: {found}");
        assert!(found.contains(&due_shown), "what it owes is on the row");
    }
    let (_, none) = b.get_text("/payments?find=nobody-called-this").await;
    assert!(!none.contains("/payments/new?household="));

    // tap 1: the row opens the form with that household and its amount due
    let (s, form) = b.get_text(&format!("/payments/new?household={h}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains("Head Z-77"));
    assert!(
        form.contains(&format!("name=\"amount\" value=\"{due_rupees}\"")),
        "{form}"
    );
    let key_at = form.find("name=\"idempotency_key\" value=\"").unwrap() + 30;
    let key = form[key_at..key_at + form[key_at..].find('"').unwrap()].to_string();
    let hs = h.to_string();
    let fields = [
        ("household_id", hs.as_str()),
        ("idempotency_key", key.as_str()),
        ("counter", "1"),
        ("amount", due_rupees.as_str()),
        ("paid_on", ""),
        ("mode", "cash"),
        ("reference", ""),
        ("collected_by", "Secretary"),
    ];
    // tap 2: submit → the receipt
    let r = b.post_form("/payments", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let receipt = location(&r);
    assert!(receipt.ends_with("/receipt"), "{receipt}");
    // a double tap records nothing more and shows the same receipt
    let r = b.post_form("/payments", &fields).await;
    assert_eq!(location(&r), receipt);
    assert_eq!(app.count(&format!("payments WHERE household_id = {h}")), 1);
    // tap 3: print (the button appears where the script runs; A6 by default)
    let (s, body) = b.get_text(&receipt).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("id=\"print-receipt\""));
    assert!(body.contains("/static/print.js"));
    assert!(body.contains("receipt-a6"));
    let no = format!("{GP}/2026-27/000001");
    assert!(body.contains(&no), "the first receipt number");
    let (s, js) = b.get_text("/static/print.js").await;
    assert_eq!(s, StatusCode::OK);
    assert!(js.contains("window.print()"));
    // paid up: the search says so, and the next payment's form has no amount filled in
    let (_, found) = b.get_text("/payments?find=Z-77").await;
    assert!(
        found.contains("कुछ बकाया नहीं"),
        "nothing due, in Hindi: {found}"
    );
    let (_, form) = b.get_text(&format!("/payments/new?household={h}")).await;
    assert!(form.contains("name=\"amount\" value=\"\""));

    // a mistake comes back on the counter's form, with the same key: the corrected form still
    // records once, and the receipt numbers stay gapless
    let key_at = form.find("name=\"idempotency_key\" value=\"").unwrap() + 30;
    let key2 = form[key_at..key_at + form[key_at..].find('"').unwrap()].to_string();
    let mut bad = fields;
    bad[1] = ("idempotency_key", key2.as_str());
    bad[3] = ("amount", "abc");
    let r = b.post_form("/payments", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = r.text().await.unwrap();
    assert!(shown.contains("id=\"counter-form\""), "the counter's form");
    assert!(shown.contains(&key2), "the same key");
    assert!(shown.contains("value=\"abc\""), "what was typed is kept");
    bad[3] = ("amount", "30");
    let r = b.post_form("/payments", &bad).await;
    let second = location(&r);
    assert!(second.ends_with("/receipt"));
    let r = b.post_form("/payments", &bad).await;
    assert_eq!(location(&r), second);
    let (_, body) = b.get_text(&second).await;
    assert!(body.contains(&format!("{GP}/2026-27/000002")));
    assert_eq!(app.count(&format!("payments WHERE household_id = {h}")), 2);

    // a member cannot use the counter; another GP's household is not found
    let m = app.login_as("member").await;
    let (s, page) = m.get_text("/payments?find=Z-77").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!page.contains(&row), "no counter for a member");
    assert_eq!(
        m.get(&format!("/payments/new?household={h}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    crate::factories::add_foreign_district(&app);
    let foreign = crate::factories::add_household(&app, 23990101);
    let (s, _) = b
        .get_text(&format!("/payments/new?household={foreign}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, found) = b.get_text("/payments?find=C-").await;
    assert!(!found.contains(&format!("household={foreign}\"")));
}
