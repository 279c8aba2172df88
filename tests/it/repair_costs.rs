//! Work and money linked once (issue 24, item 8): a repair's or a task's cost goes into the O&M
//! cash book in the step that records it, linked both ways and never twice; the cash book takes
//! a breakdown by the number on its complaint slip and offers the work not yet in the book.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A breakdown of the demo's Hindi GP reported and taken to "in progress" by the member.
async fn repair_under_way(app: &TestApp) -> (i64, String) {
    let (own, _) = crate::schemes::demo_scheme_ids(app);
    let member = app.api_token("member").await;
    let r = app
        .client
        .post(app.url("/api/v1/breakdowns"))
        .bearer_auth(&member)
        .json(&json!({"scheme_id": own, "category": "pump_motor", "description": "Motor burnt", "supply": "stopped"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let b: Value = r.json().await.unwrap();
    let id = b["id"].as_i64().unwrap();
    for body in [
        json!({"to": "acknowledged"}),
        json!({"to": "in_progress", "assigned_name": "Shankar"}),
    ] {
        let r = transition(app, &member, id, body).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    (id, b["number"].as_str().unwrap().to_string())
}

async fn transition(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/breakdowns/{id}/transition")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The live cash-book entries linked to a breakdown or a task: (amount, head).
fn entries_for(app: &TestApp, breakdown: Option<i64>, task: Option<i64>) -> Vec<(i64, String)> {
    use diesel::prelude::*;
    use paani::db::schema::cashbook_entries as ce;
    let mut c = app.conn();
    let q = ce::table
        .filter(ce::cancelled_at.is_null())
        .select((ce::amount_paise, ce::head))
        .into_boxed();
    let q = match (breakdown, task) {
        (Some(b), _) => q.filter(ce::breakdown_id.eq(b)),
        (_, Some(t)) => q.filter(ce::task_id.eq(t)),
        _ => unreachable!("a breakdown or a task"),
    };
    q.load(&mut *c).unwrap()
}

#[tokio::test]
async fn resolving_a_repair_records_its_cost_once_linked_both_ways() {
    let app = TestApp::with_demo().await;
    let (id, number) = repair_under_way(&app).await;
    let page = format!("/breakdowns/{id}");

    // the member may resolve but does not keep the book: no offer, and asking is refused
    let member = app.login_as("member").await;
    let (_, body) = member.get_text(&page).await;
    assert!(!body.contains("name=\"record_expense\""));
    let token = app.api_token("member").await;
    let r = transition(&app, &token, id, json!({"to": "resolved", "resolution": "Rewound", "cost": "2,300", "record_expense": "true"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("record_expense"));
    assert!(entries_for(&app, Some(id), None).is_empty());

    // the secretary is offered it, ticked
    let sec = app.login_as("secretary").await;
    let (_, body) = sec.get_text(&page).await;
    assert!(
        body.contains("name=\"record_expense\" value=\"true\" checked"),
        "the offer is there and ticked"
    );
    let r = sec
        .post_form(
            &format!("{page}/transition"),
            &[
                ("to", "resolved"),
                ("resolution", "Motor rewound"),
                ("cost", "2,300"),
                ("record_expense", "true"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "resolved");
    assert_eq!(
        entries_for(&app, Some(id), None),
        vec![(230_000, "repairs".to_string())]
    );

    // linked both ways: the breakdown shows the entry, the book shows the number
    let (_, body) = sec.get_text(&page).await;
    assert!(
        body.contains("id=\"cashbook-entry\""),
        "the repair links to its entry"
    );
    assert!(body.contains("₹2,300"));
    assert!(!body.contains("name=\"record_expense\""), "no second offer");
    let (_, book) = sec.get_text("/cashbook").await;
    assert!(
        book.contains(&format!("href=\"/breakdowns/{id}\">{number}</a>")),
        "the book names the breakdown by its number"
    );
    let sec_token = app.api_token("secretary").await;
    let v: Value = app
        .client
        .get(app.url("/api/v1/cashbook"))
        .bearer_auth(&sec_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let line = v["statement"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["breakdown_id"] == id)
        .expect("the entry is in this month's statement");
    assert_eq!(line["breakdown_number"], number.as_str());
    assert_eq!(line["expense_paise"], 230_000);

    // reopened and resolved again with the box ticked: still one entry
    for body in [
        json!({"to": "reopened", "note": "Tripped again"}),
        json!({"to": "in_progress", "assigned_name": "Shankar"}),
        json!({"to": "resolved", "resolution": "Starter fixed", "cost": "500", "record_expense": "true"}),
    ] {
        let r = transition(&app, &sec_token, id, body).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    assert_eq!(entries_for(&app, Some(id), None).len(), 1, "never twice");

    // nor by hand: the book refuses a second expense for the same repair, saying when it was paid
    let r = app
        .client
        .post(app.url("/api/v1/cashbook"))
        .bearer_auth(&sec_token)
        .json(
            &json!({"kind": "expense", "head": "repairs", "amount": "100", "breakdown_id": number}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("₹2,300"));
    assert_eq!(entries_for(&app, Some(id), None).len(), 1);
}

#[tokio::test]
async fn the_cash_book_takes_a_breakdown_by_its_number_and_offers_work_not_in_it() {
    let app = TestApp::with_demo().await;
    let (id, number) = repair_under_way(&app).await;
    let member = app.api_token("member").await;
    let r = transition(
        &app,
        &member,
        id,
        json!({"to": "resolved", "resolution": "Pipe joined", "cost": "750"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(entries_for(&app, Some(id), None).is_empty(), "not asked");

    let sec = app.login_as("secretary").await;
    let (_, book) = sec.get_text("/cashbook/new").await;
    assert!(
        book.contains(&format!("<option value=\"{number}\">")),
        "the unrecorded repair is offered"
    );

    // a number that is not this GP's is a clear error, and what was typed stays
    let wrong = format!("{}-B9999", &number[..8]);
    let r = sec
        .post_form(
            "/cashbook",
            &[
                ("head", "expense:repairs"),
                ("amount", "750"),
                ("breakdown_id", &wrong),
                ("party", "Ramesh pipe fitter"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains(&wrong), "the number typed is kept");
    assert!(body.contains("Ramesh pipe fitter"));
    assert!(
        body.contains(&format!("{wrong} संख्या की कोई ख़राबी नहीं")),
        "the error names the number, in the secretary's Hindi"
    );
    assert!(
        !body.contains("choose one of the options") && !body.contains("विकल्पों में से"),
        "not the select's message on a text box"
    );

    // the number as printed (any case) links it
    let r = sec
        .post_form(
            "/cashbook",
            &[
                ("head", "expense:repairs"),
                ("amount", "750"),
                ("breakdown_id", &number.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    assert_eq!(
        entries_for(&app, Some(id), None),
        vec![(75_000, "repairs".to_string())]
    );
    let (_, book) = sec.get_text("/cashbook/new").await;
    assert!(
        !book.contains(&format!("<option value=\"{number}\">")),
        "once in the book it is no longer offered"
    );

    // another GP's breakdown is not found by its number
    let (_, other) = crate::schemes::demo_scheme_ids(&app);
    let admin = app.api_token("admin").await;
    let r = app
        .client
        .post(app.url("/api/v1/breakdowns"))
        .bearer_auth(&admin)
        .json(&json!({"scheme_id": other, "category": "pipeline", "description": "Leak", "supply": "partial"}))
        .send()
        .await
        .unwrap();
    let theirs: Value = r.json().await.unwrap();
    let sec_token = app.api_token("secretary").await;
    let r = app
        .client
        .post(app.url("/api/v1/cashbook"))
        .bearer_auth(&sec_token)
        .json(&json!({"kind": "expense", "head": "repairs", "amount": "10", "breakdown_id": theirs["number"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn completing_a_task_with_a_cost_records_it_once() {
    let app = TestApp::with_demo().await;
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let (task, _) = crate::factories::task_and_plan(&app, gp);
    let page = format!("/tasks/{task}");

    // a member cannot put it in the book
    let member = app.login_as("member").await;
    let (_, body) = member.get_text(&page).await;
    assert!(!body.contains("name=\"record_expense\""));

    let sec = app.login_as("secretary").await;
    let (_, body) = sec.get_text(&page).await;
    assert!(body.contains("name=\"record_expense\" value=\"true\" checked"));
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let r = sec
        .post_form(
            &format!("{page}/complete"),
            &[
                ("done_on", &today),
                ("cost", "120"),
                ("notes", "Grease bought"),
                ("record_expense", "true"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "done");
    let got = entries_for(&app, None, Some(task));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, 12_000);
    let (_, body) = sec.get_text(&page).await;
    assert!(
        body.contains("id=\"cashbook-entry\""),
        "the task links to its entry"
    );
    assert!(body.contains("₹120"));
}
