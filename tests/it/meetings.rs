//! What follows a Paani Samiti meeting: minutes per agenda item (after the attendance, locked
//! once approved), addenda, action items, the printable minutes in the meeting's language,
//! the decisions register, meeting regularity, photos of the signed register, and the demo
//! meetings.

use crate::helpers::{call, location, Browser, TestApp};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The app with its clock at `utc` ("YYYY-MM-DD HH:MM:SS") and the demo data seeded then.
async fn app_at(utc: &str) -> TestApp {
    let app = TestApp::spawn().await;
    app.clock
        .set(NaiveDateTime::parse_from_str(utc, "%Y-%m-%d %H:%M:%S").unwrap());
    paani::demo::seed(&app.db, &app.clock).unwrap();
    app
}

fn today(app: &TestApp) -> NaiveDate {
    paani::web::i18n::today_in_india(app.clock.now())
}

fn gp(app: &TestApp, lgd: i64) -> i64 {
    app.place_id(paani::places::Level::Gp, lgd)
}

/// A committee (in `gp`, or the secretary's own) of `women` women and `men` men serving from
/// 2025-02-01, made over the API: (committee, the women's ids, the men's ids).
async fn committee(
    app: &TestApp,
    token: &str,
    gp: Option<i64>,
    women: usize,
    men: usize,
) -> (i64, Vec<i64>, Vec<i64>) {
    let mut body = json!({"name": "Test Paani Samiti", "constituted_on": "2025-02-01"});
    if let Some(g) = gp {
        body["gp_id"] = json!(g.to_string());
    }
    let (s, k) = call(app, token, "POST", "/api/v1/committees", body).await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    let id = k["id"].as_i64().unwrap();
    let (mut w, mut m) = (vec![], vec![]);
    for i in 0..women + men {
        let female = i < women;
        let (s, v) = call(
            app,
            token,
            "POST",
            &format!("/api/v1/committees/{id}/members"),
            json!({
                "name": if female { format!("Woman {i}") } else { format!("Man {i}") },
                "gender": if female { "female" } else { "male" },
                "social_category": "general",
                "term_from": "2025-02-01",
            }),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let mid = v["id"].as_i64().unwrap();
        if female {
            w.push(mid)
        } else {
            m.push(mid)
        }
    }
    (id, w, m)
}

/// Plan a meeting: (meeting id, its agenda items' ids in order).
async fn plan(
    app: &TestApp,
    token: &str,
    committee: i64,
    held_on: &str,
    lang: &str,
    agenda: &str,
) -> (i64, Vec<i64>) {
    let (s, m) = call(
        app,
        token,
        "POST",
        "/api/v1/meetings",
        json!({"committee_id": committee, "held_on": held_on, "starts_at": "10:30",
               "venue": "Panchayat bhawan", "lang": lang, "agenda": agenda}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["lang"], lang);
    let id = m["id"].as_i64().unwrap();
    let v = view(app, token, id).await;
    let items = v["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    (id, items)
}

async fn view(app: &TestApp, token: &str, meeting: i64) -> Value {
    let (s, v) = call(
        app,
        token,
        "GET",
        &format!("/api/v1/meetings/{meeting}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// Record who came (over the API): the meeting becomes held.
async fn attend(app: &TestApp, token: &str, meeting: i64, present: &[i64]) -> Value {
    let (s, v) = call(
        app,
        token,
        "POST",
        &format!("/api/v1/meetings/{meeting}/attendance"),
        json!({"present": present, "others_present": 6, "others_women": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "held");
    v
}

async fn approve(app: &TestApp, token: &str, meeting: i64) {
    let (s, v) = call(
        app,
        token,
        "POST",
        &format!("/api/v1/meetings/{meeting}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "approved");
}

async fn minutes(app: &TestApp, token: &str, meeting: i64, items: Value) -> (StatusCode, Value) {
    call(
        app,
        token,
        "POST",
        &format!("/api/v1/meetings/{meeting}/minutes?lang=en"),
        json!({ "items": items }),
    )
    .await
}

/// The inside of the element with this id (up to the first closing tag of its kind).
fn element(body: &str, id: &str) -> String {
    let at = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let open = body[..at].rfind('<').unwrap();
    let tag: String = body[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest
        .find(&format!("</{tag}>"))
        .unwrap_or_else(|| panic!("#{id} is not closed"));
    rest[start..end].to_string()
}

/// The text of some HTML, tags left out and spaces collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn devanagari(s: &str) -> bool {
    s.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c))
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page of items: {list}"))
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 120])
    });
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn minutes_follow_the_attendance_and_approved_minutes_take_only_addenda() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let admin = app.api_token("admin").await;
    let member = app.api_token("member").await;
    app.add_user("sec2", "secretary", Some(23010102));
    let sec2 = app.api_token("sec2").await;
    let (k, women, men) = committee(&app, &sec, None, 5, 5).await;
    let (mid, items) = plan(
        &app,
        &sec,
        k,
        "2026-03-05",
        "en",
        "Electricity bill\nPipe leak near the school",
    )
    .await;
    let (other, other_items) = plan(&app, &sec, k, "2026-04-05", "en", "Accounts").await;

    // before the attendance there are no minutes to write
    let (s, e) = minutes(
        &app,
        &sec,
        mid,
        json!([{"id": items[0], "discussion": "Talked", "decision": "Pay the bill"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        e["detail"],
        "Record who came first: the minutes follow the attendance (and its quorum)."
    );
    let b = app.login_as("secretary").await;
    let r = b
        .post_form(
            &format!("/meetings/{mid}/minutes"),
            &[(&format!("decision_{}", items[0]), "Pay the bill")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the page form too");
    assert!(view(&app, &sec, mid).await["agenda"][0]["decision"].is_null());

    attend(&app, &sec, mid, &[women[0], women[1], men[0], men[1]]).await;
    let (s, v) = minutes(
        &app,
        &sec,
        mid,
        json!([{"id": items[0], "discussion": "The March bill is 4200 rupees.",
                "decision": "Pay it from the O&M fund."}]),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["id"], mid, "the meeting view comes back");
    assert_eq!(
        v["agenda"][0]["discussion"],
        "The March bill is 4200 rupees."
    );
    assert_eq!(v["agenda"][0]["decision"], "Pay it from the O&M fund.");
    assert!(v["agenda"][1]["decision"].is_null());
    // items left out keep what they had
    let (s, v) = minutes(
        &app,
        &sec,
        mid,
        json!([{"id": items[1].to_string(), "decision": "The plumber repairs the leak."}]),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["agenda"][0]["decision"], "Pay it from the O&M fund.");
    assert_eq!(v["agenda"][1]["decision"], "The plumber repairs the leak.");
    assert!(v["agenda"][1]["discussion"].is_null());

    // bad minutes: another meeting's item, too long; nothing is written, not even the good item
    let (s, e) = minutes(
        &app,
        &sec,
        mid,
        json!([{"id": other_items[0], "decision": "x"}, {"id": 999_999, "decision": "x"}]),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]["items.0.id"].is_string(), "{e}");
    assert!(e["errors"]["items.1.id"].is_string(), "{e}");
    let (s, e) = minutes(
        &app,
        &sec,
        mid,
        json!([
            {"id": items[0], "decision": "Changed decision"},
            {"id": items[1], "discussion": "d".repeat(4001), "decision": "y".repeat(2001)},
        ]),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let errors = e["errors"].as_object().unwrap();
    assert_eq!(errors.len(), 2, "{e}");
    assert_eq!(
        e["errors"][format!("decision_{}", items[1])],
        "At most 2,000 characters; this has 2,001. Shorten it and send again."
    );
    assert_eq!(
        e["errors"][format!("discussion_{}", items[1])],
        "At most 4,000 characters; this has 4,001. Shorten it and send again."
    );
    let v = view(&app, &sec, mid).await;
    assert_eq!(
        v["agenda"][0]["decision"], "Pay it from the O&M fund.",
        "an invalid save writes nothing"
    );
    // exactly 2000 is allowed, in Hindi too (characters, not bytes), once the other meeting is
    // held too
    let long_hi = "निर्णय".chars().cycle().take(2000).collect::<String>();
    let (s, v) = minutes(
        &app,
        &sec,
        other,
        json!([{"id": other_items[0], "decision": long_hi}]),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "the other meeting is still planned: {v}"
    );
    attend(&app, &sec, other, &[women[0]]).await;
    let (s, v) = minutes(
        &app,
        &sec,
        other,
        json!([{"id": other_items[0], "decision": long_hi}]),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["agenda"][0]["decision"].as_str().unwrap().chars().count(),
        2000
    );

    // who may write them: not a member, not another GP's secretary
    let (s, _) = minutes(&app, &member, mid, json!([])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = minutes(&app, &sec2, mid, json!([])).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // addenda are for approved minutes only
    let addendum = |token: &str, body: Value| {
        let token = token.to_string();
        let app = &app;
        async move {
            call(
                app,
                &token,
                "POST",
                &format!("/api/v1/meetings/{mid}/addenda?lang=en"),
                body,
            )
            .await
        }
    };
    let (s, e) = addendum(&sec, json!({"body": "Read 14 for 12."})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        e["detail"],
        "Addenda are for approved minutes; until then, edit the minutes."
    );
    assert_eq!(view(&app, &sec, mid).await["addenda"], json!([]));

    // an action item before the approval
    let (s, a) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/action-items",
        json!({"meeting_id": mid, "description": "Pay the bill", "owner_member_id": women[0].to_string(),
               "due_on": "2026-03-20", "agenda_item_id": items[0]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");

    approve(&app, &sec, mid).await;
    // locked: minutes, attendance, new action items, a second approval
    let (s, e) = minutes(
        &app,
        &sec,
        mid,
        json!([{"id": items[0], "decision": "Changed after approval"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        e["detail"],
        "The minutes of this meeting are approved and locked."
    );
    let r = b
        .post_form(
            &format!("/meetings/{mid}/minutes"),
            &[(&format!("decision_{}", items[0]), "Changed on the page")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/meetings/{mid}/attendance"),
        json!({"present": [women[0]]}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/action-items",
        json!({"meeting_id": mid, "description": "Too late", "due_on": "2026-03-20"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = call(
        &app,
        &admin,
        "POST",
        &format!("/api/v1/meetings/{mid}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let v = view(&app, &sec, mid).await;
    assert_eq!(v["agenda"][0]["decision"], "Pay it from the O&M fund.");
    assert_eq!(v["present"].as_array().unwrap().len(), 4);
    assert_eq!(v["action_items"].as_array().unwrap().len(), 1);

    // addenda: a body is needed, the item must be this meeting's
    let (s, e) = addendum(&sec, json!({"body": "  "})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["errors"]["body"], "This is required.");
    let (s, e) = addendum(
        &sec,
        json!({"body": "Fix", "agenda_item_id": other_items[0].to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]["agenda_item_id"].is_string(), "{e}");
    let (s, _) = addendum(&member, json!({"body": "Not mine to add"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = addendum(&sec2, json!({"body": "Not my GP"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // who and when
    let before = app.clock.now() - Duration::seconds(1);
    let (s, a1) = addendum(
        &sec,
        json!({"body": "The plumber is Ramesh, not Suresh.", "agenda_item_id": items[1].to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a1}");
    let (s, a2) = addendum(&admin, json!({"body": "14 villagers came, not 12."})).await;
    assert_eq!(s, StatusCode::CREATED, "{a2}");
    let after = app.clock.now() + Duration::seconds(1);
    let (_, me) = call(&app, &sec, "GET", "/api/v1/me", json!({})).await;
    assert_eq!(a1["created_by"], me["id"]);
    assert_eq!(a1["created_by_name"], "सुनीता यादव (सचिव)");
    assert_eq!(a1["agenda_item_id"], items[1]);
    assert_eq!(a2["created_by_name"], "State Admin");
    assert!(a2["agenda_item_id"].is_null());
    let v = view(&app, &sec, mid).await;
    let addenda = v["addenda"].as_array().unwrap();
    assert_eq!(addenda.len(), 2);
    assert_eq!(addenda[0]["body"], "The plumber is Ramesh, not Suresh.");
    assert_eq!(addenda[1]["created_by_name"], "State Admin");
    for a in addenda {
        let at = paani::clock::utc::parse(a["created_at"].as_str().unwrap()).unwrap();
        assert!(before <= at && at <= after, "created at {at}");
    }
    assert_eq!(
        v["agenda"][1]["decision"], "The plumber repairs the leak.",
        "the minutes stay as approved"
    );
    // the page shows them with the item they correct; no minutes form any more
    let (s, page) = b.get_text(&format!("/meetings/{mid}?lang=en")).await;
    assert_eq!(s, StatusCode::OK);
    let section = text(&element(&page, "addenda"));
    assert!(
        section.contains("On item 2: The plumber is Ramesh, not Suresh. — सुनीता यादव (सचिव)"),
        "{section}"
    );
    assert!(section.contains("14 villagers came, not 12. — State Admin"));
    assert!(!page.contains("id=\"minutes-form\""));
    assert!(page.contains("id=\"addendum-form\""));
    // the page form for addenda
    let r = b
        .post_form(&format!("/meetings/{mid}/addenda"), &[("body", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post_form(
            &format!("/meetings/{mid}/addenda"),
            &[("body", "Signed by the chair on 7 March.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/meetings/{mid}#addenda"));
    assert_eq!(
        view(&app, &sec, mid).await["addenda"][2]["body"],
        "Signed by the chair on 7 March."
    );
}

#[tokio::test]
async fn action_items_links_checks_closing_and_overdue() {
    // 20:00 UTC on 10 May is 01:30 on 11 May in India: "today" is the 11th
    let app = app_at("2026-05-10 20:00:00").await;
    assert_eq!(today(&app), NaiveDate::from_ymd_opt(2026, 5, 11).unwrap());
    let sec = app.api_token("secretary").await;
    let admin = app.api_token("admin").await;
    let member = app.api_token("member").await;
    app.add_user("sec2", "secretary", Some(23010102));
    let sec2 = app.api_token("sec2").await;
    let (k, women, men) = committee(&app, &sec, None, 5, 5).await;
    let (mid, items) = plan(&app, &sec, k, "2026-05-04", "en", "Repairs\nCollection").await;
    let (other_meeting, other_items) = plan(&app, &sec, k, "2026-06-04", "en", "Next").await;
    attend(&app, &sec, mid, &[women[0], women[1], men[0], men[1]]).await;
    // a member whose term ended before the meeting; a member of another GP's committee
    let gone = {
        let (s, v) = call(
            &app,
            &sec,
            "POST",
            &format!("/api/v1/committees/{k}/members"),
            json!({"name": "Left Early", "gender": "male", "social_category": "general", "term_from": "2025-02-01"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let id = v["id"].as_i64().unwrap();
        let b = app.login_as("secretary").await;
        let r = b
            .post_form(
                &format!("/committees/{k}/members/{id}/end"),
                &[("on", "2026-04-30"), ("reason", "moved away")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        id
    };
    let (_, far_women, _) = committee(&app, &admin, Some(gp(&app, 23010201)), 1, 0).await;
    // what the links point at, here and in another GP
    let (own_scheme, far_scheme) = crate::schemes::demo_scheme_ids(&app);
    let first_asset = |scheme: i64| {
        use diesel::prelude::*;
        use paani::db::schema::assets;
        assets::table
            .filter(assets::scheme_id.eq(scheme))
            .select(assets::id)
            .order(assets::id)
            .first::<i64>(&mut *app.conn())
            .unwrap()
    };
    let (own_asset, far_asset) = (first_asset(own_scheme), first_asset(far_scheme));
    let own_breakdown = crate::factories::add_breakdown(&app, own_scheme);
    let far_breakdown = crate::factories::add_breakdown(&app, far_scheme);
    let number = |id: i64| paani::breakdowns::find(&mut app.conn(), id).unwrap().number;
    let (own_number, far_number) = (number(own_breakdown), number(far_breakdown));
    let own_household = crate::factories::add_household(&app, 23010101);
    let far_household = crate::factories::add_household(&app, 23010201);

    let create = |token: &str, body: Value| {
        let token = token.to_string();
        let app = &app;
        async move { call(app, &token, "POST", "/api/v1/action-items?lang=en", body).await }
    };
    // A: every link, by numbers; due yesterday (India), today by the UTC date
    let (s, a) = create(
        &sec,
        json!({"meeting_id": mid, "description": "Replace the leaking valve", "owner_member_id": women[0].to_string(),
               "due_on": "2026-05-10", "agenda_item_id": items[0].to_string(), "scheme_id": own_scheme.to_string(),
               "asset_id": own_asset.to_string(), "breakdown": own_number, "household": "C-23010101"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(
        (
            &a["status"],
            &a["meeting_id"],
            &a["gp_id"],
            &a["agenda_item_id"],
            &a["owner_member_id"]
        ),
        (
            &json!("open"),
            &json!(mid),
            &json!(gp(&app, 23010101)),
            &json!(items[0]),
            &json!(women[0])
        )
    );
    assert_eq!(
        (
            &a["scheme_id"],
            &a["asset_id"],
            &a["breakdown_id"],
            &a["household_id"]
        ),
        (
            &json!(own_scheme),
            &json!(own_asset),
            &json!(own_breakdown),
            &json!(own_household)
        )
    );
    // B: the breakdown and household by id; due today
    let (s, b_item) = create(
        &sec,
        json!({"meeting_id": mid.to_string(), "description": "Visit defaulters", "owner_member_id": men[0],
               "due_on": "2026-05-11", "breakdown": own_breakdown.to_string(), "household": own_household.to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b_item}");
    assert_eq!(b_item["breakdown_id"], own_breakdown);
    assert_eq!(b_item["household_id"], own_household);
    // C and D: no links
    let (_, c_item) = create(
        &sec,
        json!({"meeting_id": mid, "description": "Paint the tank", "owner_member_id": women[0], "due_on": "2026-06-30"}),
    )
    .await;
    let (_, d_item) = create(
        &sec,
        json!({"meeting_id": mid, "description": "Test the water", "owner_member_id": men[0], "due_on": "20-05-2026"}),
    )
    .await;
    assert_eq!(d_item["due_on"], "2026-05-20", "{d_item}");
    let [a_id, b_id, c_id, d_id] =
        [&a, &b_item, &c_item, &d_item].map(|i| i["id"].as_i64().unwrap());

    // each wrong field on its own gives an error on that field, and nothing is added
    let base = json!({"meeting_id": mid, "description": "X", "due_on": "2026-06-01"});
    let cases: Vec<(&str, Value)> = vec![
        ("description", json!({"description": "  "})),
        ("description", json!({"description": "x".repeat(1001)})),
        ("due_on", json!({"due_on": ""})),
        ("due_on", json!({"due_on": "2026-13-01"})),
        ("owner_member_id", json!({"owner_member_id": "999999"})),
        ("owner_member_id", json!({"owner_member_id": "someone"})),
        (
            "owner_member_id",
            json!({"owner_member_id": far_women[0].to_string()}),
        ),
        (
            "owner_member_id",
            json!({"owner_member_id": gone.to_string()}),
        ),
        (
            "agenda_item_id",
            json!({"agenda_item_id": other_items[0].to_string()}),
        ),
        ("scheme_id", json!({"scheme_id": far_scheme.to_string()})),
        ("scheme_id", json!({"scheme_id": "999999"})),
        ("asset_id", json!({"asset_id": far_asset.to_string()})),
        ("breakdown", json!({"breakdown": far_number})),
        ("breakdown", json!({"breakdown": far_breakdown.to_string()})),
        ("breakdown", json!({"breakdown": "23010101-B999"})),
        ("household", json!({"household": "C-23010201"})),
        ("household", json!({"household": far_household.to_string()})),
    ];
    for (field, patch) in cases {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, e) = create(&sec, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        let errors = e["errors"].as_object().unwrap();
        assert!(
            errors.len() == 1 && errors.contains_key(field),
            "{body}: expected an error on {field} only, got {e}"
        );
    }
    let (s, e) = create(
        &sec,
        json!({"description": "No meeting", "due_on": "2026-06-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["meeting_id"].is_string(), "{e}");
    let (s, _) = create(&sec2, base.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another GP's meeting");
    let (s, _) = create(&member, base.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let list = |token: &str, q: &str| {
        let (token, path) = (token.to_string(), format!("/api/v1/action-items{q}"));
        let app = &app;
        async move {
            let (s, v) = call(app, &token, "GET", &path, json!({})).await;
            assert_eq!(s, StatusCode::OK, "{path}: {v}");
            v
        }
    };
    let all = list(&sec, "").await;
    assert_eq!(all["total"], 4, "{all}");
    assert_eq!(all["page"], 1);
    assert!(all["per_page"].as_i64().unwrap() >= 4);
    // open first, by due date
    assert_eq!(ids(&all), vec![a_id, b_id, d_id, c_id]);

    // overdue: open and due before today in India
    assert_eq!(ids(&list(&sec, "?status=overdue").await), vec![a_id]);
    assert_eq!(
        ids(&list(&sec, "?status=open").await),
        vec![a_id, b_id, d_id, c_id]
    );
    assert_eq!(
        ids(&list(&sec, &format!("?owner={}", women[0])).await),
        vec![a_id, c_id]
    );
    assert_eq!(
        ids(&list(&sec, &format!("?owner={}", men[0])).await),
        vec![b_id, d_id]
    );
    assert_eq!(
        ids(&list(&sec, &format!("?owner={}&status=overdue", women[0])).await),
        vec![a_id]
    );
    assert_eq!(
        ids(&list(&sec, &format!("?owner={}&status=overdue", men[0])).await),
        Vec::<i64>::new()
    );
    assert_eq!(
        list(&sec, &format!("?meeting={other_meeting}")).await["total"],
        0
    );
    assert_eq!(
        list(&admin, &format!("?gp={}", gp(&app, 23010101))).await["total"],
        4
    );
    assert_eq!(
        list(&admin, &format!("?gp={}", gp(&app, 23010201))).await["total"],
        0
    );
    assert_eq!(
        list(&member, "").await["total"],
        4,
        "everyone in the GP reads them"
    );
    assert_eq!(
        list(&sec2, "").await["total"],
        0,
        "another GP's secretary does not"
    );
    let (s, _) = call(
        &app,
        &sec2,
        "GET",
        &format!("/api/v1/action-items/{a_id}"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, one) = call(
        &app,
        &member,
        "GET",
        &format!("/api/v1/action-items/{a_id}"),
        json!({}),
    )
    .await;
    assert_eq!(
        (s, &one["description"]),
        (StatusCode::OK, &json!("Replace the leaking valve"))
    );

    // the minutes are approved: the items stay open, and are closed later
    approve(&app, &sec, mid).await;
    let close = |token: &str, id: i64, body: Value| {
        let token = token.to_string();
        let app = &app;
        async move {
            call(
                app,
                &token,
                "POST",
                &format!("/api/v1/action-items/{id}/close?lang=en"),
                body,
            )
            .await
        }
    };
    let (s, _) = close(&member, a_id, json!({"status": "done"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "not the member's to close");
    let (s, _) = close(&sec2, a_id, json!({"status": "done"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // 11 May is today in India (though not yet in UTC): allowed; the 12th is not
    let (s, e) = close(&sec, b_id, json!({"status": "done", "on": "2026-05-12"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["errors"]["on"], "This date is in the future.");
    let (s, e) = close(&sec, b_id, json!({"status": "dropped", "note": " "})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["errors"]["note"], "Say why it is dropped.");
    let (s, e) = close(&sec, b_id, json!({"status": "maybe"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]["status"].is_string(), "{e}");
    let (s, e) = close(&sec, b_id, json!({"status": "done", "on": "not a day"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["errors"]["on"].is_string(), "{e}");
    assert_eq!(
        list(&sec, "?status=open").await["total"],
        4,
        "nothing closed yet"
    );

    let (s, done) = close(
        &sec,
        a_id,
        json!({"status": "done", "on": "2026-05-11", "note": "New valve fitted"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let (_, me) = call(&app, &sec, "GET", "/api/v1/me", json!({})).await;
    assert_eq!(
        (
            &done["status"],
            &done["closed_on"],
            &done["close_note"],
            &done["closed_by"]
        ),
        (
            &json!("done"),
            &json!("2026-05-11"),
            &json!("New valve fitted"),
            &me["id"]
        )
    );
    let (s, e) = close(&sec, a_id, json!({"status": "dropped", "note": "again"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["detail"], "This action item is already closed.");
    let (s, dropped) = close(
        &sec,
        b_id,
        json!({"status": "dropped", "on": "2026-05-09", "note": "The family paid"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{dropped}");
    assert_eq!(dropped["closed_on"], "2026-05-09");
    // without a day: today (in India)
    let (s, d) = close(&admin, d_id, json!({"status": "done"})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["closed_on"], "2026-05-11");
    assert!(d["close_note"].is_null());
    let (s, _) = close(&admin, d_id, json!({"status": "done"})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    assert_eq!(ids(&list(&sec, "?status=done").await), vec![a_id, d_id]);
    assert_eq!(ids(&list(&sec, "?status=dropped").await), vec![b_id]);
    assert_eq!(ids(&list(&sec, "?status=open").await), vec![c_id]);
    assert_eq!(ids(&list(&sec, "?status=overdue").await), Vec::<i64>::new());
    // open first, then the closed ones
    assert_eq!(ids(&list(&sec, "").await)[0], c_id);

    // two months on, C (due 30 June) is overdue
    app.clock.advance(Duration::days(60));
    assert_eq!(ids(&list(&sec, "?status=overdue").await), vec![c_id]);
    let b = app.login_as("secretary").await;
    let (s, page) = b.get_text("/action-items?status=overdue&lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Paint the tank"), "{page}");
    assert_eq!(
        page.matches("class=\"action-open overdue\"").count(),
        1,
        "{page}"
    );
    assert!(!page.contains("Replace the leaking valve"));
    let (s, page) = b
        .get_text(&format!("/action-items?owner={}", women[0]))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Woman 0")
            && page.contains("Paint the tank")
            && page.contains("Replace the leaking valve")
    );
    assert!(!page.contains("Visit defaulters"));
    let (s, page) = b.get_text(&format!("/action-items/{a_id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("New valve fitted"));
    for link in [
        format!("/schemes/{own_scheme}"),
        format!("/assets/{own_asset}"),
        format!("/breakdowns/{own_breakdown}"),
        format!("/households/{own_household}"),
    ] {
        assert!(page.contains(&format!("href=\"{link}\"")), "link to {link}");
    }
    assert!(
        !page.contains("id=\"close\""),
        "a closed item has no close form"
    );
    let (_, page) = b.get_text(&format!("/action-items/{c_id}")).await;
    assert!(page.contains("id=\"close\""));
    // the GP page counts the open and the overdue ones
    let admin_b = app.login_as("admin").await;
    let (_, place) = admin_b
        .get_text(&format!("/places/{}", gp(&app, 23010101)))
        .await;
    assert!(
        text(&element(&place, "meeting-regularity")).contains("Open action items: 1 (1 overdue)"),
        "{place}"
    );
    // the page form: a reason is needed to drop, what was typed is kept
    let r = b
        .post_form(
            &format!("/action-items/{c_id}/close"),
            &[("status", "dropped"), ("on", ""), ("note", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("value=\"dropped\" checked"),
        "the choice is kept"
    );
    assert!(page.contains("Say why it is dropped."));
    let r = b
        .post_form(
            &format!("/action-items/{c_id}/close"),
            &[
                ("status", "dropped"),
                ("on", ""),
                ("note", "The tank is to be replaced"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/action-items/{c_id}"));
    let (_, c) = call(
        &app,
        &sec,
        "GET",
        &format!("/api/v1/action-items/{c_id}"),
        json!({}),
    )
    .await;
    assert_eq!(
        (&c["status"], &c["closed_on"]),
        (&json!("dropped"), &json!(today(&app).to_string()))
    );
    let r = b
        .post_form(
            &format!("/action-items/{c_id}/close"),
            &[("status", "done"), ("on", ""), ("note", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_printed_minutes_are_in_the_meetings_language_with_the_quorum() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let (k, women, men) = committee(&app, &sec, None, 5, 5).await;
    // the committee was registered under its Hindi name, as a secretary may type it
    let committee_name = "बानापुरा पानी समिति";
    {
        use diesel::prelude::*;
        use paani::db::schema::committees;
        diesel::update(committees::table.find(k))
            .set(committees::name.eq(committee_name))
            .execute(&mut *app.conn())
            .unwrap();
    }
    // the print's own words: everything but what the user typed in Hindi
    let own_words = |page: &str| page.replace(committee_name, "");
    // planned by the same (Hindi-reading) secretary, one in English, one in Hindi
    let (en, en_items) = plan(
        &app,
        &sec,
        k,
        "2026-03-05",
        "en",
        "Electricity bill\nPipe leak near the school",
    )
    .await;
    let (hi, hi_items) = plan(&app, &sec, k, "2026-04-05", "hi", "बिजली का बिल").await;
    // 4 of 10 with 2 women: met; 3 of 10: not
    attend(&app, &sec, en, &[women[0], women[1], men[0], men[1]]).await;
    attend(&app, &sec, hi, &[women[0], men[0], men[1]]).await;
    let (s, _) = minutes(
        &app,
        &sec,
        en,
        json!([{"id": en_items[0], "discussion": "The bill is high.", "decision": "Pay it from the fund."},
               {"id": en_items[1], "decision": "Call the plumber."}]),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = minutes(
        &app,
        &sec,
        hi,
        json!([{"id": hi_items[0], "decision": "बिल कोष से भरा जाएगा।"}]),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/action-items",
        json!({"meeting_id": en, "description": "Fix the pipe by the school", "owner_member_id": men[0], "due_on": "2026-03-20"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);

    let b = app.login_as("secretary").await;
    let (s, page) = b.get_text(&format!("/meetings/{en}/print")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\""));
    assert!(
        page.contains(committee_name),
        "the typed name is kept: {page}"
    );
    assert!(
        !devanagari(&own_words(&page)),
        "an English meeting prints in English for a Hindi reader: {page}"
    );
    assert!(page.contains("Banapura") && page.contains("Monthly Paani Samiti meeting"));
    assert_eq!(
        text(&element(&page, "draft")),
        "Draft: these minutes are not approved yet."
    );
    let attendance = text(&element(&page, "attendance-table"));
    for i in 0..5 {
        assert!(attendance.contains(&format!("Woman {i}")), "{attendance}");
        assert!(
            attendance.contains(&format!("Man {}", i + 5)),
            "{attendance}"
        );
    }
    assert_eq!(attendance.matches("Present").count(), 1 + 4, "{attendance}");
    assert_eq!(attendance.matches("Absent").count(), 6, "{attendance}");
    assert_eq!(
        text(&element(&page, "quorum-statement")),
        "Quorum: Quorum met. 4 of 10 members present (4 needed); 2 women among them (2 needed)."
    );
    assert!(page.contains("Other villagers present: 6, of whom 3 women."));
    assert!(page.contains("Pay it from the fund.") && page.contains("Call the plumber."));
    let actions = text(&element(&page, "actions-table"));
    assert!(
        actions.contains("Fix the pipe by the school Man 5 20-03-2026 Open"),
        "{actions}"
    );
    // the reader's own pages stay in Hindi
    let (_, own) = b.get_text(&format!("/meetings/{en}")).await;
    assert!(
        own.contains("कोरम पूरा"),
        "the meeting page is in the reader's language"
    );
    // even asked for in Hindi, the English minutes print in English
    let (_, again) = b.get_text(&format!("/meetings/{en}/print?lang=hi")).await;
    assert!(again.contains("<html lang=\"en\"") && !devanagari(&own_words(&again)));

    let (s, page) = b.get_text(&format!("/meetings/{hi}/print?lang=en")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"hi\""));
    assert!(page.contains("बानापुरा") && page.contains("पानी समिति की मासिक बैठक"));
    let statement = text(&element(&page, "quorum-statement"));
    assert!(statement.starts_with("कोरम: कोरम पूरा नहीं."), "{statement}");
    assert!(
        statement.contains("10 में से 3 सदस्य उपस्थित (ज़रूरी 4)"),
        "{statement}"
    );
    assert!(text(&element(&page, "attendance-table")).contains("अनुपस्थित"));
    assert!(page.contains("बिल कोष से भरा जाएगा।"));
    assert_eq!(
        text(&element(&page, "draft")),
        "मसौदा: यह कार्यवाही अभी अनुमोदित नहीं है।"
    );
    assert!(!page.contains("Quorum") && !page.contains("Attendance"));
    // someone reading in English gets the Hindi minutes in Hindi too
    let admin = app.login_as("admin").await;
    let (s, page) = admin.get_text(&format!("/meetings/{hi}/print")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"hi\"") && page.contains("कोरम पूरा नहीं"));

    // approved, with an addendum: no longer a draft
    approve(&app, &sec, en).await;
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/meetings/{en}/addenda"),
        json!({"body": "The plumber came on 6 March.", "agenda_item_id": en_items[1].to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, page) = b.get_text(&format!("/meetings/{en}/print")).await;
    assert!(
        !page.contains("id=\"draft\""),
        "approved minutes are no draft"
    );
    assert!(page.contains("Minutes approved and locked on"));
    assert!(page.contains("Addenda"));
    assert!(
        text(&page).contains("On item 2: The plumber came on 6 March. — सुनीता यादव (सचिव)"),
        "{page}"
    );
    // out of scope, no print
    app.add_user("sec2", "secretary", Some(23010102));
    let other = app.login_as("sec2").await;
    let (s, _) = other.get_text(&format!("/meetings/{en}/print")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_decisions_register_searches_exports_and_keeps_to_scope() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let admin = app.api_token("admin").await;
    app.add_user("sec2", "secretary", Some(23010102));
    let sec2 = app.api_token("sec2").await;
    let (k, women, men) = committee(&app, &sec, None, 5, 5).await;
    let present = [women[0], women[1], men[0], men[1]];
    let (a, a_items) = plan(
        &app,
        &sec,
        k,
        "2026-02-10",
        "en",
        "Accounts of January\nPipe leak near the school\nTree planting",
    )
    .await;
    attend(&app, &sec, a, &present).await;
    let (s, _) = minutes(
        &app,
        &sec,
        a,
        json!([{"id": a_items[0], "decision": "Accounts passed"},
               {"id": a_items[1], "decision": "Replace the leaking VALVE this week"},
               {"id": a_items[2], "discussion": "Talked about it, nothing decided"}]),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    approve(&app, &sec, a).await;
    let (b, b_items) = plan(&app, &sec, k, "2026-04-10", "hi", "पंप का बिजली बिल").await;
    attend(&app, &sec, b, &present).await;
    minutes(
        &app,
        &sec,
        b,
        json!([{"id": b_items[0], "decision": "बिल कोष से भरा जाएगा"}]),
    )
    .await;
    // a planned meeting has no decisions
    plan(&app, &sec, k, "2026-05-10", "en", "Future item").await;
    // Shivpur's committee, with a decision of its own
    let shivpur = gp(&app, 23010102);
    let (k2, w2, _) = committee(&app, &admin, Some(shivpur), 1, 0).await;
    let (c, c_items) = plan(&app, &admin, k2, "2026-03-01", "en", "Tank cleaning").await;
    attend(&app, &admin, c, &[w2[0]]).await;
    minutes(
        &app,
        &admin,
        c,
        json!([{"id": c_items[0], "decision": "Clean the tank before the monsoon"}]),
    )
    .await;

    let reg = |token: &str, q: &str| {
        let (token, path) = (token.to_string(), format!("/api/v1/decisions{q}"));
        let app = &app;
        async move {
            let (s, v) = call(app, &token, "GET", &path, json!({})).await;
            assert_eq!(s, StatusCode::OK, "{path}: {v}");
            v
        }
    };
    let items_of = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["agenda_item_id"].as_i64().unwrap())
            .collect()
    };
    // newest meeting first, then in the agenda's order; only items with a decision
    let mine = reg(&sec, "").await;
    assert_eq!(mine["total"], 3, "{mine}");
    assert_eq!(items_of(&mine), vec![b_items[0], a_items[0], a_items[1]]);
    let row = &mine["items"][2];
    assert_eq!(
        (
            &row["meeting_id"],
            &row["held_on"],
            &row["position"],
            &row["gp_name"],
            &row["gp_name_hi"]
        ),
        (
            &json!(a),
            &json!("2026-02-10"),
            &json!(2),
            &json!("Banapura"),
            &json!("बानापुरा")
        )
    );
    assert_eq!(row["title"], "Pipe leak near the school");
    assert_eq!(row["decision"], "Replace the leaking VALVE this week");
    // search the decision or the item, whatever the case
    assert_eq!(items_of(&reg(&sec, "?q=valve").await), vec![a_items[1]]);
    assert_eq!(
        items_of(&reg(&sec, "?q=PIPE%20LEAK").await),
        vec![a_items[1]]
    );
    assert_eq!(items_of(&reg(&sec, "?q=accounts").await), vec![a_items[0]]);
    assert_eq!(
        items_of(&reg(&sec, "?q=tree").await),
        Vec::<i64>::new(),
        "no decision"
    );
    assert_eq!(
        items_of(&reg(&sec, "?q=%E0%A4%95%E0%A5%8B%E0%A4%B7").await),
        vec![b_items[0]],
        "कोष"
    );
    // dates
    assert_eq!(
        items_of(&reg(&sec, "?from=2026-03-01").await),
        vec![b_items[0]]
    );
    assert_eq!(
        items_of(&reg(&sec, "?to=2026-02-10").await),
        vec![a_items[0], a_items[1]]
    );
    assert_eq!(
        reg(&sec, "?from=2026-02-11&to=2026-04-09").await["total"],
        0
    );
    // the admin sees both GPs; the filter by GP
    assert_eq!(reg(&admin, "").await["total"], 4);
    assert_eq!(
        items_of(&reg(&admin, &format!("?gp={shivpur}")).await),
        vec![c_items[0]]
    );
    // another GP's secretary: only their own
    assert_eq!(items_of(&reg(&sec2, "").await), vec![c_items[0]]);
    assert_eq!(reg(&sec2, "?q=valve").await["total"], 0);
    let member = app.api_token("member").await;
    assert_eq!(reg(&member, "").await["total"], 3);

    // the CSV: BOM, a header row, the filters
    let admin_b = app.login_as("admin").await;
    let csv = |b: &Browser, q: &str| {
        let path = format!("/decisions.csv{q}");
        let b = b.client.get(b.url(&path));
        async move {
            let r = b.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert!(r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"));
            let bytes = r.bytes().await.unwrap();
            assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
            let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
            body.lines().map(str::to_string).collect::<Vec<String>>()
        }
    };
    let all = csv(&admin_b, "").await;
    assert_eq!(
        all[0],
        "Day,Gram panchayat,Kind,#,Agenda,Decision,meeting_id"
    );
    assert_eq!(all.len(), 1 + 4, "{all:?}");
    assert!(all.contains(&format!(
        "10-02-2026,Banapura,Monthly Paani Samiti meeting,2,Pipe leak near the school,Replace the leaking VALVE this week,{a}"
    )), "{all:?}");
    let valve = csv(&admin_b, "?q=valve").await;
    assert_eq!(valve.len(), 2, "{valve:?}");
    assert!(valve[1].contains("Replace the leaking VALVE this week"));
    let shiv = csv(
        &admin_b,
        &format!("?gp={shivpur}&from=2026-01-01&to=2026-12-31"),
    )
    .await;
    assert_eq!(shiv.len(), 2, "{shiv:?}");
    assert!(shiv[1].starts_with("01-03-2026,Shivpur,"), "{shiv:?}");
    let other_b = app.login_as("sec2").await;
    let theirs = csv(&other_b, "").await;
    assert_eq!(theirs.len(), 2, "{theirs:?}");
    assert!(!theirs.join("\n").contains("VALVE"));
    // the page: the search, and its CSV link with the same filters
    let b = app.login_as("secretary").await;
    let (s, page) = b.get_text("/decisions?q=valve&lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Replace the leaking VALVE this week"));
    assert!(!page.contains("Accounts passed") && !page.contains("Clean the tank"));
    let page = page.replace("&#x3D;", "=").replace("&amp;", "&");
    assert!(page.contains("href=\"/decisions.csv?q=valve\""), "{page}");
    let (_, page) = other_b.get_text("/decisions").await;
    assert!(page.contains("Clean the tank before the monsoon"));
    assert!(!page.contains("VALVE") && !page.contains("Accounts passed"));
}

#[tokio::test]
async fn regularity_is_held_due_missed_or_never_by_calendar_months() {
    let app = app_at("2027-03-15 06:00:00").await;
    let today = today(&app);
    assert_eq!(today, NaiveDate::from_ymd_opt(2027, 3, 15).unwrap());
    let first = today.with_day(1).unwrap();
    let this_month = first + Duration::days(1); // the 2nd
    let last_month = first - Duration::days(1); // the last day of last month
    let two_months = first.checked_sub_months(Months::new(1)).unwrap() - Duration::days(1);
    let admin = app.api_token("admin").await;
    let d = |x: NaiveDate| x.to_string();
    let (banapura, shivpur, dhanori, semri) = (
        gp(&app, 23010101),
        gp(&app, 23010102),
        gp(&app, 23010103),
        gp(&app, 23010201),
    );
    // Banapura met this month and plans the next one; a past plan that never happened
    let (k, w, _) = committee(&app, &admin, Some(banapura), 1, 0).await;
    let (m, _) = plan(&app, &admin, k, &d(this_month), "en", "Accounts").await;
    attend(&app, &admin, m, &[w[0]]).await;
    plan(
        &app,
        &admin,
        k,
        &d(today + Duration::days(10)),
        "en",
        "Accounts",
    )
    .await;
    plan(
        &app,
        &admin,
        k,
        &d(today + Duration::days(40)),
        "en",
        "Accounts",
    )
    .await;
    // Shivpur last met on the last day of last month (approved minutes count too)
    let (k, w, _) = committee(&app, &admin, Some(shivpur), 1, 0).await;
    let (m, _) = plan(&app, &admin, k, &d(last_month), "en", "Accounts").await;
    attend(&app, &admin, m, &[w[0]]).await;
    approve(&app, &admin, m).await;
    // Dhanori two months ago, and before
    let (k, w, _) = committee(&app, &admin, Some(dhanori), 1, 0).await;
    for day in [two_months - Duration::days(40), two_months] {
        let (m, _) = plan(&app, &admin, k, &d(day), "en", "Accounts").await;
        attend(&app, &admin, m, &[w[0]]).await;
    }
    // Semri Harchand planned one last month that nobody recorded: never met
    let (k, _, _) = committee(&app, &admin, Some(semri), 1, 0).await;
    plan(
        &app,
        &admin,
        k,
        &d(last_month - Duration::days(5)),
        "en",
        "Accounts",
    )
    .await;

    let regularity = |token: &str, q: &str| {
        let (token, path) = (token.to_string(), format!("/api/v1/meetings/regularity{q}"));
        let app = &app;
        async move {
            let (s, v) = call(app, &token, "GET", &path, json!({})).await;
            assert_eq!(s, StatusCode::OK, "{path}: {v}");
            v.as_array().unwrap().clone()
        }
    };
    let all = regularity(&admin, "").await;
    let row = |name: &str| -> (Value, Value, Value, Value) {
        let r = all.iter().find(|r| r["gp_name"] == name).unwrap();
        (
            r["state"].clone(),
            r["months_since"].clone(),
            r["last_held_on"].clone(),
            r["next_planned_on"].clone(),
        )
    };
    assert_eq!(
        row("Banapura"),
        (
            json!("held"),
            json!(0),
            json!(d(this_month)),
            json!(d(today + Duration::days(10)))
        )
    );
    assert_eq!(
        row("Shivpur"),
        (json!("due"), json!(1), json!(d(last_month)), Value::Null)
    );
    assert_eq!(
        row("Dhanori"),
        (json!("missed"), json!(2), json!(d(two_months)), Value::Null)
    );
    for never in ["Semri Harchand", "Matkuli", "Bankhedi"] {
        assert_eq!(
            row(never),
            (json!("never"), Value::Null, Value::Null, Value::Null),
            "{never}"
        );
    }
    // never first, then the longest since the last meeting
    let order: Vec<&str> = all.iter().map(|r| r["gp_name"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        vec![
            "Bankhedi",
            "Matkuli",
            "Semri Harchand",
            "Dhanori",
            "Shivpur",
            "Banapura"
        ]
    );
    assert_eq!(all[5]["gp_id"], banapura);
    assert_eq!(all[5]["lgd_code"], 23010101);
    // one GP; the secretary's scope
    let one = regularity(&admin, &format!("?gp={dhanori}")).await;
    assert_eq!((one.len(), &one[0]["state"]), (1, &json!("missed")));
    let sec = app.api_token("secretary").await;
    let mine = regularity(&sec, "").await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["gp_id"], banapura);
    // the pages
    let b = app.login_as("admin").await;
    let (s, page) = b.get_text("/meetings/regularity").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        text(&element(&page, "regularity-summary")),
        "4 of 6 gram panchayats have missed their monthly meeting."
    );
    for state in [
        "Held this month",
        "This month&#x27;s meeting is due",
        "Monthly meeting missed",
        "No meeting recorded",
    ] {
        assert!(page.contains(state), "{state}");
    }
    let gp_box = |id: i64| {
        let b = &b;
        async move {
            let (s, page) = b.get_text(&format!("/places/{id}")).await;
            assert_eq!(s, StatusCode::OK);
            text(&element(&page, "meeting-regularity"))
        }
    };
    let boxed = gp_box(banapura).await;
    assert!(
        boxed.contains("Held this month") && boxed.contains("(this month)"),
        "{boxed}"
    );
    assert!(
        boxed.contains(&format!(
            "Next planned: {}",
            (today + Duration::days(10)).format("%d-%m-%Y")
        )),
        "{boxed}"
    );
    assert!(gp_box(shivpur).await.contains("(last month)"));
    let boxed = gp_box(dhanori).await;
    assert!(
        boxed.contains("Monthly meeting missed") && boxed.contains("(2 months ago)"),
        "{boxed}"
    );
    assert!(gp_box(semri)
        .await
        .contains("No meeting has been recorded yet."));
    let block = app.place_id(paani::places::Level::Block, 230101);
    let (_, page) = b.get_text(&format!("/places/{block}")).await;
    assert!(
        !page.contains("id=\"meeting-regularity\""),
        "only on a GP's page"
    );

    // a month on: Banapura's meeting was last month, Shivpur's two months ago; the plan
    // of the 25th has passed
    app.clock.advance(Duration::days(31));
    let all = regularity(&admin, "").await;
    let state = |name: &str| {
        let r = all.iter().find(|r| r["gp_name"] == name).unwrap();
        (
            r["state"].clone(),
            r["months_since"].clone(),
            r["next_planned_on"].clone(),
        )
    };
    assert_eq!(
        state("Banapura"),
        (json!("due"), json!(1), json!(d(today + Duration::days(40))))
    );
    assert_eq!(state("Shivpur"), (json!("missed"), json!(2), Value::Null));
    assert_eq!(state("Dhanori"), (json!("missed"), json!(3), Value::Null));
}

#[tokio::test]
async fn the_demo_meetings_cover_eighteen_months_in_every_state() {
    // early, in the middle of and late in a month (the demo is made relative to today)
    for at in [
        "2026-12-01 20:00:00",
        "2027-03-15 06:00:00",
        "2027-06-28 06:00:00",
    ] {
        demo_meetings_at(at).await;
    }
}

async fn demo_meetings_at(at: &str) {
    println!("the demo meetings made at {at} (UTC)");
    let app = app_at(at).await;
    assert_eq!(
        paani::demo::seed_committees(&app.db, &app.clock).unwrap(),
        6
    );
    let made = paani::demo::seed_meetings(&app.db, &app.clock).unwrap();
    assert!(made >= 60, "{made} meetings");
    assert_eq!(
        paani::demo::seed_meetings(&app.db, &app.clock).unwrap(),
        0,
        "a second run adds nothing"
    );
    let today = today(&app);
    let admin = app.api_token("admin").await;
    let (_, committees) = call(&app, &admin, "GET", "/api/v1/committees", json!({})).await;
    let committees = committees["items"].as_array().unwrap().clone();
    assert_eq!(committees.len(), 6);
    let mut all: Vec<Value> = vec![];
    for k in &committees {
        let id = k["id"].as_i64().unwrap();
        let (s, page) = call(
            &app,
            &admin,
            "GET",
            &format!("/api/v1/meetings?committee={id}"),
            json!({}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let list = page["items"].as_array().unwrap().clone();
        assert_eq!(page["total"].as_i64().unwrap() as usize, list.len());
        let held: Vec<NaiveDate> = list
            .iter()
            .filter(|m| m["status"] != "planned")
            .map(|m| m["held_on"].as_str().unwrap().parse().unwrap())
            .collect();
        assert!(held.len() >= 10, "committee {id}: {} meetings", held.len());
        let (first, last) = (*held.iter().min().unwrap(), *held.iter().max().unwrap());
        assert!(
            first >= today.checked_sub_months(Months::new(18)).unwrap()
                && first <= today.checked_sub_months(Months::new(15)).unwrap(),
            "committee {id}: first meeting {first}"
        );
        assert!(
            last >= today.checked_sub_months(Months::new(6)).unwrap() && last <= today,
            "committee {id}: last meeting {last}"
        );
        all.extend(list);
    }
    assert_eq!(all.len(), made);
    let held: Vec<&Value> = all.iter().filter(|m| m["status"] != "planned").collect();
    let inquorate = held.iter().filter(|m| m["quorum"]["met"] == false).count();
    assert!(inquorate >= 1, "an inquorate meeting");
    assert!(
        inquorate * 4 < held.len(),
        "most are quorate: {inquorate} of {}",
        held.len()
    );
    assert!(all
        .iter()
        .any(|m| m["status"] == "planned"
            && m["held_on"].as_str().unwrap() > today.to_string().as_str()));
    // one addendum, to approved minutes
    let addenda: Vec<(&Value, &Value)> = all
        .iter()
        .flat_map(|m| m["addenda"].as_array().unwrap().iter().map(move |a| (m, a)))
        .collect();
    assert_eq!(addenda.len(), 1, "one addendum");
    let (m, a) = addenda[0];
    assert_eq!(m["status"], "approved");
    assert!(
        !a["body"].as_str().unwrap().is_empty()
            && !a["created_by_name"].as_str().unwrap().is_empty()
    );
    // minutes in Hindi and in English, each meeting in its own language
    let mut langs = std::collections::BTreeSet::new();
    for m in &held {
        let agenda = m["agenda"].as_array().unwrap();
        assert!(!agenda.is_empty());
        for item in agenda {
            let decision = item["decision"]
                .as_str()
                .unwrap_or_else(|| panic!("{item}"));
            let hindi = m["lang"] == "hi";
            assert_eq!(
                devanagari(decision),
                hindi,
                "{decision} in a {} meeting",
                m["lang"]
            );
            assert_eq!(devanagari(item["title"].as_str().unwrap()), hindi);
        }
        langs.insert(m["lang"].as_str().unwrap().to_string());
    }
    assert_eq!(langs.into_iter().collect::<Vec<_>>(), vec!["en", "hi"]);
    // action items in every state
    let mut counts = vec![];
    for status in ["open", "done", "dropped", "overdue"] {
        let (_, v) = call(
            &app,
            &admin,
            "GET",
            &format!("/api/v1/action-items?status={status}"),
            json!({}),
        )
        .await;
        let n = v["total"].as_i64().unwrap();
        assert!(n > 0, "no {status} action items");
        counts.push(n);
    }
    let (_, v) = call(&app, &admin, "GET", "/api/v1/action-items", json!({})).await;
    assert_eq!(
        v["total"].as_i64().unwrap(),
        counts[0] + counts[1] + counts[2]
    );
    assert!(counts[3] <= counts[0]);
    let (_, v) = call(
        &app,
        &admin,
        "GET",
        "/api/v1/action-items?status=dropped",
        json!({}),
    )
    .await;
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| !i["close_note"].as_str().unwrap_or("").is_empty()));
    // the decisions register and the regularity have something to show
    let (_, v) = call(&app, &admin, "GET", "/api/v1/decisions", json!({})).await;
    assert!(v["total"].as_i64().unwrap() > 100);
    let (_, reg) = call(
        &app,
        &admin,
        "GET",
        "/api/v1/meetings/regularity",
        json!({}),
    )
    .await;
    let states: Vec<&str> = reg
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 6);
    assert!(states.contains(&"missed"), "{states:?}");
    assert!(!states.contains(&"never"), "{states:?}");
}

#[tokio::test]
async fn the_meeting_page_forms_keep_what_was_typed() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let (k, women, men) = committee(&app, &sec, None, 5, 5).await;
    let (mid, items) = plan(
        &app,
        &sec,
        k,
        "2026-03-05",
        "en",
        "Electricity bill\nPipe leak near the school",
    )
    .await;
    attend(&app, &sec, mid, &[women[0], women[1], men[0], men[1]]).await;
    let b = app.login_as("secretary").await;
    let (s, page) = b.get_text(&format!("/meetings/{mid}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("name=\"decision_{}\"", items[1])));
    let (d0, c0, c1) = (
        format!("discussion_{}", items[0]),
        format!("decision_{}", items[0]),
        format!("decision_{}", items[1]),
    );
    let r = b
        .post_form(
            &format!("/meetings/{mid}/minutes"),
            &[
                (&d0, "The bill is 4200 rupees."),
                (&c0, "Pay it from the fund."),
                (&c1, "Call the plumber."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/meetings/{mid}#minutes"));
    let v = view(&app, &sec, mid).await;
    assert_eq!(v["agenda"][0]["discussion"], "The bill is 4200 rupees.");
    assert_eq!(v["agenda"][0]["decision"], "Pay it from the fund.");
    assert_eq!(v["agenda"][1]["decision"], "Call the plumber.");
    // a decision over 2000 characters: 422, the page again with what was typed
    let long = format!("Typed-and-kept {}", "z".repeat(2000));
    let r = b
        .post_form(
            &format!("/meetings/{mid}/minutes?lang=en"),
            &[
                (&d0, "A new discussion"),
                (&c0, "A new decision"),
                (&c1, &long),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let form = element(&page, "minutes-form");
    assert!(form.contains(&long), "the long decision is kept");
    assert!(form.contains("A new discussion") && form.contains("A new decision"));
    assert!(
        form.contains("At most 2,000 characters; this has 2,015."),
        "{form}"
    );
    let v = view(&app, &sec, mid).await;
    assert_eq!(
        v["agenda"][0]["decision"], "Pay it from the fund.",
        "nothing saved"
    );
    assert_eq!(v["agenda"][1]["decision"], "Call the plumber.");
    // the action item form: errors beside the fields, the typed values kept
    let r = b
        .post_form(
            &format!("/meetings/{mid}/actions?lang=en"),
            &[
                ("description", ""),
                ("owner_member_id", &men[0].to_string()),
                ("due_on", "2026-04-05"),
                ("breakdown", "NO-SUCH-NUMBER"),
                ("household", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"NO-SUCH-NUMBER\""));
    assert!(page.contains("Not found in this gram panchayat."));
    assert!(page.contains(&format!("<option value=\"{}\" selected>", men[0])));
    let r = b
        .post_form(
            &format!("/meetings/{mid}/actions"),
            &[
                ("description", "Repair the pipe"),
                ("owner_member_id", &men[0].to_string()),
                ("due_on", "2026-04-05"),
                ("agenda_item_id", &items[1].to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/meetings/{mid}#actions"));
    let v = view(&app, &sec, mid).await;
    let actions = v["action_items"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(
        (
            &actions[0]["description"],
            &actions[0]["agenda_item_id"],
            &actions[0]["owner_member_id"]
        ),
        (&json!("Repair the pipe"), &json!(items[1]), &json!(men[0]))
    );
    // approved through the page: no forms for the minutes or actions any more
    let r = b.post_form(&format!("/meetings/{mid}/approve"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = b.get_text(&format!("/meetings/{mid}")).await;
    assert!(!page.contains("id=\"minutes-form\"") && !page.contains("id=\"action-form\""));
    assert!(page.contains("Call the plumber.") && page.contains("Repair the pipe"));
    let r = b
        .post_form(
            &format!("/meetings/{mid}/actions"),
            &[("description", "Too late"), ("due_on", "2026-04-05")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

/// Photos as a multipart form (`photo_1`, …) to the address the meeting page's form posts to;
/// with `token_in_body`, the form's CSRF token is sent as a field, as the page's form does.
async fn upload_photos(
    b: &Browser,
    meeting: i64,
    files: Vec<Vec<u8>>,
    token_in_body: bool,
) -> reqwest::Response {
    let (_, page) = b.get_text(&format!("/meetings/{meeting}")).await;
    let action = page
        .split("action=\"")
        .map(|s| &s[..s.find('"').unwrap_or(0)])
        .find(|a| a.starts_with(&format!("/meetings/{meeting}/photos")))
        .expect("the page has a photo form")
        .replace("&amp;", "&")
        .replace("&#x3D;", "=");
    let token = crate::helpers::extract_csrf(&page).unwrap();
    assert_eq!(action, format!("/meetings/{meeting}/photos"));
    let mut form = reqwest::multipart::Form::new();
    if token_in_body {
        form = form.text("_csrf", token);
    }
    for (i, data) in files.into_iter().enumerate() {
        form = form.part(
            format!("photo_{}", i + 1),
            reqwest::multipart::Part::bytes(data)
                .file_name("register.png")
                .mime_str("image/png")
                .unwrap(),
        );
    }
    b.client
        .post(b.url(&action))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// A held meeting of a 10-member committee in the secretary's GP, and the secretary's token.
async fn held_meeting(app: &TestApp) -> (String, i64) {
    let sec = app.api_token("secretary").await;
    let (k, women, men) = committee(app, &sec, None, 5, 5).await;
    let (mid, _) = plan(app, &sec, k, "2026-03-05", "en", "Accounts").await;
    attend(app, &sec, mid, &[women[0], women[1], men[0], men[1]]).await;
    (sec, mid)
}

#[tokio::test]
async fn photos_of_the_signed_register_are_kept_until_the_minutes_are_approved() {
    let app = TestApp::with_demo().await;
    let (sec, mid) = held_meeting(&app).await;
    let b = app.login_as("secretary").await;
    let r = upload_photos(&b, mid, vec![png(800, 600)], true).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    assert_eq!(location(&r), format!("/meetings/{mid}#photos"));
    let photos = view(&app, &sec, mid).await["photos"].clone();
    assert_eq!(photos.as_array().unwrap().len(), 1, "{photos}");
    let photo = photos[0].as_i64().unwrap();
    let res = b.get(&format!("/photos/{photo}/small")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let (_, page) = b.get_text(&format!("/meetings/{mid}")).await;
    assert!(page.contains(&format!("/photos/{photo}/small")));
    // nothing chosen; not an image; more than three in all
    let r = upload_photos(&b, mid, vec![], true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = upload_photos(&b, mid, vec![b"GIF89a not really".to_vec()], true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = upload_photos(
        &b,
        mid,
        vec![png(300, 300), png(300, 300), png(300, 300)],
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        view(&app, &sec, mid).await["photos"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // not a member's to add; another GP's people do not see it
    let member = app.login_as("member").await;
    let token = member.csrf(&format!("/meetings/{mid}")).await;
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "photo_1",
        reqwest::multipart::Part::bytes(png(300, 300)).file_name("p.png"),
    );
    let r = member
        .client
        .post(member.url(&format!("/meetings/{mid}/photos")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.add_user("othermember", "member", Some(23010201));
    let other = app.login_as("othermember").await;
    assert_eq!(
        other.get(&format!("/photos/{photo}/small")).await.status(),
        StatusCode::NOT_FOUND
    );
    // approved: the register is locked, the form is gone
    let token = b.csrf(&format!("/meetings/{mid}")).await;
    approve(&app, &sec, mid).await;
    let (_, page) = b.get_text(&format!("/meetings/{mid}")).await;
    assert!(!page.contains(&format!("/meetings/{mid}/photos")));
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "photo_1",
        reqwest::multipart::Part::bytes(png(300, 300)).file_name("p.png"),
    );
    let r = b
        .client
        .post(b.url(&format!("/meetings/{mid}/photos")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        view(&app, &sec, mid).await["photos"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The meeting page's photo form carries its CSRF token as a field of the multipart body; an
/// upload without it is refused before anything is stored.
#[tokio::test]
async fn the_meeting_pages_photo_form_passes_the_csrf_check() {
    let app = TestApp::with_demo().await;
    let (sec, mid) = held_meeting(&app).await;
    let b = app.login_as("secretary").await;
    let (_, page) = b.get_text(&format!("/meetings/{mid}")).await;
    let form = page
        .split("<form")
        .find(|f| f.contains(&format!("/meetings/{mid}/photos")))
        .expect("a photo form");
    assert!(form.contains("name=\"_csrf\""), "{form}");
    let r = upload_photos(&b, mid, vec![png(800, 600)], false).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no token, no upload");
    assert!(view(&app, &sec, mid).await["photos"]
        .as_array()
        .unwrap()
        .is_empty());
    let r = upload_photos(&b, mid, vec![png(800, 600)], true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        view(&app, &sec, mid).await["photos"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The owner of an action item is one of the committee's members serving on the meeting's day
/// (the page offers only those): not one whose term ended before it, nor one who joined after.
#[tokio::test]
async fn an_action_items_owner_serves_on_the_meetings_day() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let (k, w, _) = committee(&app, &sec, None, 1, 0).await;
    let (mid, _) = plan(&app, &sec, k, "2026-03-05", "en", "Accounts").await;
    let (s, late) = call(
        &app,
        &sec,
        "POST",
        &format!("/api/v1/committees/{k}/members"),
        json!({"name": "Joined Later", "gender": "male", "social_category": "general",
               "term_from": "2026-06-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{late}");
    let late = late["id"].as_i64().unwrap();
    // the meeting page's owner choice lists those serving that day only
    let b = app.login_as("secretary").await;
    let (_, page) = b.get_text(&format!("/meetings/{mid}")).await;
    let select = element(&page, "owner_member_id");
    assert!(select.contains(&format!("value=\"{}\"", w[0])));
    assert!(!select.contains(&format!("value=\"{late}\"")), "{select}");
    let (s, e) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/action-items",
        json!({"meeting_id": mid, "description": "Visit the tank", "due_on": "2026-04-01",
               "owner_member_id": late}),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a member who joined after the meeting: {e}"
    );
    assert!(e["errors"]["owner_member_id"].is_string(), "{e}");
    let (s, _) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/action-items",
        json!({"meeting_id": mid, "description": "Visit the tank", "due_on": "2026-04-01",
               "owner_member_id": w[0]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
}

/// The demo minutes are approved a week after the meeting; this month's meeting (held a few
/// days before "now") must not come out approved in the future. The clock is on the 13th, after
/// the first demo GP's monthly meeting (on the 10th) and before the 17th.
#[tokio::test]
async fn the_demo_meetings_are_approved_and_corrected_in_the_past() {
    let app = app_at("2026-11-13 06:00:00").await;
    paani::demo::seed_committees(&app.db, &app.clock).unwrap();
    paani::demo::seed_meetings(&app.db, &app.clock).unwrap();
    let admin = app.api_token("admin").await;
    let now = app.clock.now();
    let today = today(&app);
    let at = |v: &Value| paani::clock::utc::parse(v.as_str().unwrap()).unwrap();
    let mut seen = 0;
    let mut wrong = vec![];
    for page in 1.. {
        let (s, v) = call(
            &app,
            &admin,
            "GET",
            &format!("/api/v1/meetings?page={page}"),
            json!({}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let items = v["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for m in items {
            seen += 1;
            let held: NaiveDate = m["held_on"].as_str().unwrap().parse().unwrap();
            if m["status"] == "approved" {
                let approved = at(&m["approved_at"]);
                if approved > now || approved.date() < held {
                    wrong.push(format!(
                        "meeting {} held {held} approved {approved}",
                        m["id"]
                    ));
                }
            }
            for a in m["addenda"].as_array().unwrap() {
                if at(&a["created_at"]) > now {
                    wrong.push(format!("addendum {}", a["id"]));
                }
            }
            for i in m["action_items"].as_array().unwrap() {
                if let Some(c) = i["closed_on"].as_str() {
                    let c: NaiveDate = c.parse().unwrap();
                    if c > today || c < held {
                        wrong.push(format!("action item {} closed on {c}", i["id"]));
                    }
                }
            }
        }
    }
    assert!(seen > 60, "{seen} meetings");
    assert!(
        wrong.is_empty(),
        "dated after now (or before the meeting): {wrong:?}"
    );
}

#[tokio::test]
async fn planning_and_attendance_have_short_pages_that_keep_what_was_typed() {
    let app = TestApp::with_demo().await;
    let sec = app.api_token("secretary").await;
    let (k, women, men) = committee(&app, &sec, None, 5, 5).await;
    let b = app.login_as("secretary").await;
    // the committee's page links the planning page; the form is no longer at its bottom
    let (s, long) = b.get_text(&format!("/committees/{k}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(long.contains("id=\"meeting-plan-link\""), "{long}");
    assert!(long.contains(&format!("href=\"/committees/{k}/meetings/new\"")));
    assert!(
        !long.contains("name=\"agenda\""),
        "the form has its own page"
    );
    let (s, short) = b.get_text(&format!("/committees/{k}/meetings/new")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(short.contains("name=\"agenda\"") && !short.contains("id=\"members\""));
    // a failed plan comes back to the short page with the summary and everything typed
    let r = b
        .post_form(
            &format!("/committees/{k}/meetings?lang=en"),
            &[
                ("kind", "gram_sabha"),
                ("held_on", "not a day"),
                ("starts_at", "10:30"),
                ("venue", "School verandah"),
                ("lang", "en"),
                ("agenda", "Accounts of the fund\nRepair of the rising main"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        !page.contains("id=\"members\""),
        "the short page, not the committee's"
    );
    let form = element(&page, "meeting-form");
    assert!(form.contains("<div class=\"error-summary\""), "{form}");
    assert!(form.contains("href=\"#held_on\""), "{form}");
    assert!(form.contains("value=\"School verandah\"") && form.contains("value=\"10:30\""));
    assert!(form.contains("Accounts of the fund\nRepair of the rising main"));
    assert!(
        form.contains("<option value=\"gram_sabha\" selected>"),
        "{form}"
    );
    assert!(form.contains("<option value=\"en\" selected>"), "{form}");
    // the same address takes the corrected form
    let r = b
        .post_form(
            &format!("/committees/{k}/meetings"),
            &[
                ("kind", "monthly"),
                ("held_on", "2026-03-05"),
                ("lang", "en"),
                ("agenda", "Accounts"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mid: i64 = location(&r)
        .trim_start_matches("/meetings/")
        .parse()
        .unwrap();
    // the meeting's page links the attendance page
    let (_, long) = b.get_text(&format!("/meetings/{mid}")).await;
    assert!(long.contains("id=\"attendance-link\""), "{long}");
    assert!(
        !long.contains("name=\"present\""),
        "attendance has its own page"
    );
    let (s, short) = b.get_text(&format!("/meetings/{mid}/attendance")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(short.contains("name=\"present\"") && !short.contains("id=\"minutes\""));
    // a failed attendance keeps the ticks and the counts typed
    let (w0, m1, w1) = (
        women[0].to_string(),
        men[1].to_string(),
        women[1].to_string(),
    );
    let r = b
        .post_form(
            &format!("/meetings/{mid}/attendance?lang=en"),
            &[
                ("present", w0.as_str()),
                ("present", m1.as_str()),
                ("others_present", "many"),
                ("others_women", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let form = element(&page, "attendance");
    assert!(form.contains("href=\"#others_present\""), "{form}");
    assert!(form.contains(&format!("value=\"{w0}\" checked")), "{form}");
    assert!(form.contains(&format!("value=\"{m1}\" checked")), "{form}");
    assert!(!form.contains(&format!("value=\"{w1}\" checked")), "{form}");
    assert!(form.contains("value=\"many\"") && form.contains("value=\"3\""));
    assert_eq!(
        view(&app, &sec, mid).await["status"],
        "planned",
        "nothing saved"
    );
    let r = b
        .post_form(
            &format!("/meetings/{mid}/attendance"),
            &[
                ("present", w0.as_str()),
                ("present", m1.as_str()),
                ("present", w1.as_str()),
                ("present", &men[0].to_string()),
                ("others_present", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/meetings/{mid}"));
    assert_eq!(view(&app, &sec, mid).await["status"], "held");
    // approved: the attendance is final, its page sends back to the meeting
    approve(&app, &sec, mid).await;
    let r = b.get(&format!("/meetings/{mid}/attendance")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/meetings/{mid}"));
}
