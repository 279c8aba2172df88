//! Receipt books: a block reserved from the GP's receipt counter, payments numbered from it
//! (API and form), the checks on a book's leaf (the caller's book, in range, unused, not
//! returned or cancelled), closing and cancelling a leaf, replays by idempotency key, and the
//! accounting of every number of the year.

use crate::helpers::{call, location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

const GP: i64 = 23010101;

fn fy() -> String {
    paani::billing::payments::financial_year(paani::web::i18n::today_in_india(
        chrono::Utc::now().naive_utc(),
    ))
}

fn user_id(app: &TestApp, username: &str) -> i64 {
    use diesel::prelude::*;
    use paani::db::schema::users;
    users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// A household of the demo GP connected in January; returns its id.
async fn household(app: &TestApp, sec: &str, no: &str) -> i64 {
    let village = app
        .place_id(paani::places::Level::Village, 2301010101)
        .to_string();
    let (s, h) = call(
        app,
        sec,
        "POST",
        "/api/v1/households",
        json!({"village_id": village, "connection_no": no, "head_name": format!("Head {no}"),
            "category": "general", "connected_on": "2026-01-05"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    h["id"].as_i64().unwrap()
}

async fn pay(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    call(app, token, "POST", "/api/v1/payments?lang=en", body).await
}

async fn issue(app: &TestApp, sec: &str, collector: i64, size: i64) -> Value {
    let (s, b) = call(
        app,
        sec,
        "POST",
        "/api/v1/receipt-books",
        json!({"collector_id": collector, "size": size, "device_label": "Sunita's phone"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b
}

async fn accounting(app: &TestApp, token: &str) -> Value {
    let (s, a) = call(
        app,
        token,
        "GET",
        "/api/v1/receipt-books/accounting",
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    a
}

#[tokio::test]
async fn a_book_reserves_a_block_and_payments_take_its_leaves() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let sec_id = user_id(&app, "secretary");
    let h = household(&app, &sec, "B-1").await;
    let (s, p0) = pay(&app, &sec, json!({"household_id": h, "amount": "25"})).await;
    assert_eq!(s, StatusCode::CREATED, "{p0}");
    let s0 = p0["seq"].as_i64().unwrap();

    // issued: the next 10 numbers are the book's, online payments continue after them
    let book = issue(&app, &sec, sec_id, 10).await;
    let (id, first, last) = (
        book["id"].as_i64().unwrap(),
        book["first_seq"].as_i64().unwrap(),
        book["last_seq"].as_i64().unwrap(),
    );
    assert_eq!((first, last), (s0 + 1, s0 + 10));
    assert_eq!(book["fy"], fy());
    assert_eq!(book["status"], "open");
    let (_, p1) = pay(&app, &sec, json!({"household_id": h, "amount": "25"})).await;
    assert_eq!(p1["seq"].as_i64().unwrap(), last + 1, "after the block");

    let (s, mine) = call(&app, &sec, "GET", "/api/v1/receipt-books/mine", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["prefix"], format!("{GP}/{}/", fy()));
    assert_eq!(mine[0]["next_seq"], first);
    assert_eq!(mine[0]["used"], json!([]));

    // a payment from the book through the API takes the leaf's number
    let (s, p) = pay(
        &app,
        &sec,
        json!({"household_id": h, "amount": "30", "receipt_book_id": id, "receipt_seq": first + 2}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["seq"].as_i64().unwrap(), first + 2);
    assert_eq!(
        p["receipt_no"],
        format!("{GP}/{}/{:06}", fy(), first + 2),
        "the book's number"
    );

    // and through the page's form
    let b = app.login_as("secretary").await;
    let (s, form) = b.get_text(&format!("/payments/new?household={h}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        form.contains("name=\"receipt_book_id\""),
        "the book is offered"
    );
    // on the household's ledger page too (the same fields)
    let (s, ledger) = b.get_text(&format!("/households/{h}/ledger")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        ledger.contains(&format!("<option value=\"{id}\">")),
        "the ledger's payment form offers the book"
    );
    let (hs, ids, firsts) = (h.to_string(), id.to_string(), first.to_string());
    let r = b
        .post_form(
            "/payments",
            &[
                ("household_id", hs.as_str()),
                ("amount", "40"),
                ("receipt_book_id", ids.as_str()),
                ("receipt_seq", firsts.as_str()),
                ("counter", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, receipt) = b.get_text(&location(&r)).await;
    assert!(receipt.contains(&format!("{GP}/{}/{:06}", fy(), first)));
    // the same leaf again, from the form: the page answers with the conflict, nothing recorded
    let before = app.count("payments");
    let r = b
        .post_form(
            "/payments",
            &[
                ("household_id", hs.as_str()),
                ("amount", "40"),
                ("receipt_book_id", ids.as_str()),
                ("receipt_seq", firsts.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(app.count("payments"), before);

    // the phone's view of the book (API and the browser's session)
    let (_, mine) = call(&app, &sec, "GET", "/api/v1/receipt-books/mine", json!({})).await;
    assert_eq!(mine[0]["used"], json!([first, first + 2]));
    assert_eq!(mine[0]["next_seq"], first + 1);
    let r = b.get("/receipt-books/mine.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    let session_mine: Value = r.json().await.unwrap();
    assert_eq!(session_mine, mine);

    // refused: used, outside the book, someone else's book
    let (s, e) = pay(
        &app,
        &sec,
        json!({"household_id": h, "amount": "5", "receipt_book_id": id, "receipt_seq": first}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["detail"]
        .as_str()
        .unwrap()
        .contains("already has this receipt number"));
    let (s, e) = pay(
        &app,
        &sec,
        json!({"household_id": h, "amount": "5", "receipt_book_id": id, "receipt_seq": last + 1}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["errors"]["receipt_seq"],
        format!("This book holds the numbers {first} to {last}.")
    );
    app.add_user("sec2", "secretary", Some(GP));
    let sec2 = app.api_token("sec2").await;
    let (s, e) = pay(
        &app,
        &sec2,
        json!({"household_id": h, "amount": "5", "receipt_book_id": id, "receipt_seq": first + 1}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]["receipt_book_id"].is_string(), "{e}");
    // a book for a user who may not record payments is refused
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/receipt-books",
        json!({"collector_id": user_id(&app, "member"), "size": "5"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]["collector_id"].is_string());

    // a spoiled leaf is cancelled; no payment takes it after
    let (s, leaf) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/receipt-books/{id}/leaves/{}/cancel", first + 1),
        json!({"reason": "torn"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{leaf}");
    assert_eq!(leaf["fate"], "cancelled");
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/payments?lang=hi",
        json!({"household_id": h, "amount": "5", "receipt_book_id": id, "receipt_seq": first + 1}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["detail"].as_str().unwrap().contains("लौटाया या रद्द"),
        "{e}"
    );

    // closing returns every unused number: 10 - 2 used - 1 cancelled
    let (s, closed) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/receipt-books/{id}/close"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "closed");
    assert_eq!(
        app.count(&format!(
            "receipt_leaves WHERE book_id = {id} AND fate = 'returned'"
        )),
        7
    );
    let (s, e) = pay(
        &app,
        &sec,
        json!({"household_id": h, "amount": "5", "receipt_book_id": id, "receipt_seq": first + 3}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["detail"]
        .as_str()
        .unwrap()
        .contains("returned or cancelled"));
    let (_, mine) = call(&app, &sec, "GET", "/api/v1/receipt-books/mine", json!({})).await;
    assert_eq!(
        mine,
        json!([]),
        "a closed book is no longer the collector's"
    );

    // every number of the year: the payments, the cancelled leaf, the returned ones
    let a = accounting(&app, &sec).await;
    assert_eq!(a["last_number"].as_i64().unwrap(), last + 1);
    assert_eq!(a["all_accounted"], true, "{a}");
    assert_eq!(a["returned"], 7);
    assert_eq!(a["cancelled"], 1);
    assert_eq!(a["payments"].as_i64().unwrap(), s0 + 3);
    assert_eq!(a["missing"], json!([]));
    for path in ["/receipt-books", &format!("/receipt-books/{id}")] {
        let (s, body) = b.get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(body.contains("रसीद बुक"), "{path} in Hindi");
    }
    let (s, page) = b.get_text("/receipt-books/accounting?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("All {} numbers accounted for.", last + 1)),
        "{page}"
    );
}

#[tokio::test]
async fn a_retried_payment_from_a_book_is_recorded_once() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let h = household(&app, &sec, "R-1").await;
    let book = issue(&app, &sec, user_id(&app, "secretary"), 5).await;
    let first = book["first_seq"].as_i64().unwrap();
    let body = json!({"household_id": h, "amount": "60", "receipt_book_id": book["id"],
        "receipt_seq": first + 4});
    let send = || {
        app.client
            .post(app.url("/api/v1/payments"))
            .bearer_auth(&sec)
            .header("Idempotency-Key", "offline-item-1")
            .json(&body)
            .send()
    };
    let r1 = send().await.unwrap();
    assert_eq!(r1.status(), StatusCode::CREATED);
    let p1: Value = r1.json().await.unwrap();
    let r2 = send().await.unwrap();
    assert!(r2.status().is_success(), "{}", r2.status());
    assert_eq!(
        r2.headers()
            .get("Idempotent-Replayed")
            .map(|v| v.to_str().unwrap()),
        Some("true")
    );
    let p2: Value = r2.json().await.unwrap();
    assert_eq!(p1["id"], p2["id"]);
    assert_eq!(p2["seq"].as_i64().unwrap(), first + 4);
    assert_eq!(app.count(&format!("payments WHERE household_id = {h}")), 1);
}

#[tokio::test]
async fn books_are_closed_with_a_confirmation_and_stay_in_their_gp() {
    let app = TestApp::with_demo().await;
    let b = app.login_as("secretary").await;
    let sec_id = user_id(&app, "secretary").to_string();
    // issued from the page
    let (s, page) = b.get_text("/receipt-books").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"collector_id\""), "the issue form");
    let r = b
        .post_form(
            "/receipt-books",
            &[("collector_id", sec_id.as_str()), ("size", "900")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "size above 500"
    );
    assert_eq!(app.count("receipt_books"), 0);
    let r = b
        .post_form("/receipt-books", &[("collector_id", sec_id.as_str())])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let book = location(&r);
    let id: i64 = book.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        app.count(&format!(
            "receipt_books WHERE id = {id} AND last_seq - first_seq + 1 = 50"
        )),
        1,
        "the configured size"
    );
    // closing needs the box ticked
    let r = b.post_form(&format!("{book}/close"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("receipt_leaves"), 0);
    // a secretary of another GP sees none of it
    app.add_user("other", "secretary", Some(23010102));
    let other = app.api_token("other").await;
    let (_, list) = call(&app, &other, "GET", "/api/v1/receipt-books", json!({})).await;
    assert_eq!(list["total"], 0, "{list}");
    let (s, _) = call(
        &app,
        &other,
        "POST",
        &format!("/api/v1/receipt-books/{id}/close"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let r = b
        .post_form(&format!("{book}/close"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("receipt_leaves WHERE fate = 'returned'"), 50);
    let (_, body) = b.get_text(&book).await;
    assert!(
        !body.contains("name=\"confirm\""),
        "no close form on a closed book"
    );
}
