//! Meters and sensors: a device token made on the scheme's devices page (shown once, stored
//! hashed, audited), readings pushed with it (scoped to its one scheme, idempotent on the
//! device and moment), shown beside the day's log and in the API, and revoked.

use crate::factories::scheme_in;
use crate::helpers::{call, TestApp};
use chrono::NaiveDateTime;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn noon(day: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("{day} 06:30:00"), "%Y-%m-%d %H:%M:%S").unwrap()
}

/// The token on the page that answers the form.
fn token_on(page: &str) -> String {
    let at = page
        .find("id=\"token\">")
        .unwrap_or_else(|| panic!("no token on the page: {page}"));
    let rest = &page[at + 11..];
    rest[..rest.find('<').unwrap()].to_string()
}

async fn push(app: &TestApp, token: Option<&str>, scheme: i64, body: Value) -> (StatusCode, Value) {
    let mut req = app
        .client
        .post(app.url(&format!("/api/v1/supply/schemes/{scheme}/readings")))
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn a_device_pushes_readings_for_its_one_scheme_until_its_key_is_withdrawn() {
    use diesel::prelude::*;
    use paani::db::schema::{audit_log, supply_devices, supply_readings};
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-05-10"));
    let gp = app.gp();
    let (scheme, _) = scheme_in(&app, gp.lgd, "Metered");
    let (other, _) = scheme_in(&app, gp.lgd, "Other");
    app.secretary_of(&gp);
    app.member_of(&gp);
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let devices = format!("/schemes/{scheme}/supply/devices");

    // the supply page links to the devices page; a member sees no link and may not open it
    let (s, page) = secretary
        .get_text(&format!("/schemes/{scheme}/supply"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&devices), "linked from the supply page");
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    let (_, page) = member.get_text(&format!("/schemes/{scheme}/supply")).await;
    assert!(!page.contains(&devices));
    assert_eq!(member.get(&devices).await.status(), StatusCode::FORBIDDEN);

    // without the CSRF token the form is refused; without a name it says so
    let res = secretary
        .post_form_raw(&devices, &[("name", "Flow meter")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("supply_devices"), 0);
    let res = secretary.post_form(&devices, &[("name", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // made: the key is shown once and stored only as its hash
    let res = secretary
        .post_form(&devices, &[("name", "Flow meter at the tank")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = token_on(&res.text().await.unwrap());
    assert!(token.starts_with("pdv_") && token.len() > 40, "{token}");
    let (id, hash): (i64, String) = supply_devices::table
        .select((supply_devices::id, supply_devices::token_hash))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(hash, paani::auth::hash_token(&token));
    let (_, page) = secretary.get_text(&devices).await;
    assert!(
        page.contains("Flow meter at the tank") && !page.contains(&token),
        "not shown again"
    );
    // a second device of the same name is refused
    let res = secretary
        .post_form(&devices, &[("name", "flow meter at the tank")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // a reading: 201; the same moment again (a retry, another offset): 200, kept once
    let reading = json!({"read_at": "2026-05-10T06:00:00+05:30", "bulk_meter_kl": "1234.5", "energy_meter_kwh": 88});
    let (s, v) = push(&app, Some(&token), scheme, reading.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["source"], "device");
    assert_eq!(v["device_name"], "Flow meter at the tank");
    assert_eq!(v["bulk_meter_kl"], "1234.500");
    assert_eq!(v["energy_meter_kwh"], "88.000");
    assert_eq!(v["read_at"], "2026-05-10T00:30:00.000000Z");
    assert_eq!(v["read_on"], "2026-05-10");
    let (s, again) = push(
        &app,
        Some(&token),
        scheme,
        json!({"read_at": "2026-05-10T00:30:00Z", "bulk_meter_kl": "1234.500", "energy_meter_kwh": "88"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["id"], v["id"]);
    assert_eq!(app.count("supply_readings"), 1);
    // the same moment with another value: a conflict, nothing changed
    let (s, _) = push(
        &app,
        Some(&token),
        scheme,
        json!({"read_at": "2026-05-10T06:00:00+05:30", "bulk_meter_kl": "1300"}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // an energy reading alone, a later moment
    let (s, _) = push(
        &app,
        Some(&token),
        scheme,
        json!({"read_at": "2026-05-10T11:00:00+05:30", "energy_meter_kwh": "90.25"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);

    // bad input: 422 naming the field, nothing stored
    for (body, field) in [
        (json!({"bulk_meter_kl": "5"}), "read_at"),
        (
            json!({"read_at": "yesterday", "bulk_meter_kl": "5"}),
            "read_at",
        ),
        (
            json!({"read_at": "2026-05-10T13:00:00+05:30", "bulk_meter_kl": "5"}),
            "read_at",
        ),
        (
            json!({"read_at": "2026-05-10T09:00:00+05:30"}),
            "bulk_meter_kl",
        ),
        (
            json!({"read_at": "2026-05-10T09:00:00+05:30", "bulk_meter_kl": "-3"}),
            "bulk_meter_kl",
        ),
        (
            json!({"read_at": "2026-05-10T09:00:00+05:30", "energy_meter_kwh": "1.2345"}),
            "energy_meter_kwh",
        ),
        (
            json!({"read_at": "2026-05-10T09:00:00+05:30", "bulk_meter_kl": "5", "valve": "open"}),
            "valve",
        ),
    ] {
        let (s, v) = push(&app, Some(&token), scheme, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(
            v["errors"][field].is_string() || v["errors"][field].is_array(),
            "{body}: {v}"
        );
    }
    assert_eq!(app.count("supply_readings"), 2);

    // scope: another scheme's readings are 403; no token, a wrong one, a user's API token: 401
    let (s, _) = push(&app, Some(&token), other, reading.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = push(&app, None, scheme, reading.clone()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = push(&app, Some("pdv_not-a-key"), scheme, reading.clone()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let user_token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let (s, _) = push(&app, Some(&user_token), scheme, reading.clone()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("supply_readings"), 2);

    // beside the people's log: on the day page, marked with the device's name, and in the API
    let (_, page) = member
        .get_text(&format!("/schemes/{scheme}/supply/day?on=2026-05-10"))
        .await;
    assert!(page.contains("id=\"device-readings\""), "{page}");
    assert!(page.contains("Flow meter at the tank") && page.contains("1234.500"));
    assert!(page.contains("10-05-2026 06:00") && page.contains("90.250"));
    let (_, page) = member
        .get_text(&format!("/schemes/{scheme}/supply/day?on=2026-05-09"))
        .await;
    assert!(
        !page.contains("id=\"device-readings\""),
        "another day: none"
    );
    let member_token = app.api_token(&format!("member-{}", gp.lgd)).await;
    let (s, list) = call(
        &app,
        &member_token,
        "GET",
        &format!("/api/v1/supply/schemes/{scheme}/readings?from=2026-05-01"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list
        .iter()
        .all(|r| r["source"] == "device" && r["device_id"] == id));
    let (s, _) = call(
        &app,
        &member_token,
        "GET",
        &format!("/api/v1/supply/schemes/{scheme}/readings?from=2026-05-11&to=2026-05-01"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // withdrawn: 401 from then on; the readings stay
    let res = secretary
        .post_form(&format!("{devices}/{id}/revoke"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (s, _) = push(
        &app,
        Some(&token),
        scheme,
        json!({"read_at": "2026-05-10T12:00:00+05:30", "bulk_meter_kl": "1240"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        supply_readings::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        2
    );
    let (_, page) = secretary.get_text(&devices).await;
    assert!(
        !page.contains(&format!("{devices}/{id}/revoke")),
        "no button once withdrawn"
    );
    // made and withdrawn, in the audit log
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq("supply_device"))
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(actions, vec!["token_issue", "token_revoke"]);
    // the token is in no row of the audit log
    let details: Vec<(String, Option<String>)> = audit_log::table
        .select((audit_log::summary, audit_log::detail_args))
        .load(&mut *app.conn())
        .unwrap();
    let details: Vec<String> = details
        .into_iter()
        .map(|(a, b)| format!("{a} {}", b.unwrap_or_default()))
        .collect();
    assert!(details.iter().all(|d| !d.contains(&token)));
}

/// The engineer of the block may make a device's key for a scheme of the block; a secretary of
/// another GP finds neither the page nor the scheme (404); the pages in Hindi hold their words.
#[actix_web::test]
async fn the_block_engineer_makes_keys_and_others_find_nothing() {
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-05-10"));
    let gp = app.gp();
    let (scheme, _) = scheme_in(&app, gp.lgd, "Metered");
    app.engineer_of(&gp);
    let engineer = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    let devices = format!("/schemes/{scheme}/supply/devices");
    let res = engineer
        .post_form(&devices, &[("name", "Energy meter")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = token_on(&res.text().await.unwrap());
    let (s, _) = push(
        &app,
        Some(&token),
        scheme,
        json!({"read_at": "2026-05-10T06:00:00+05:30", "energy_meter_kwh": "12"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);

    let elsewhere = app.gp();
    app.secretary_of(&elsewhere);
    let outsider = app.login_as(&format!("secretary-{}", elsewhere.lgd)).await;
    assert_eq!(outsider.get(&devices).await.status(), StatusCode::NOT_FOUND);
    let res = outsider.post_form(&devices, &[("name", "Mine")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // in Hindi: the page's own words are Hindi
    app.secretary_of(&gp);
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (s, page) = secretary.get_text(&format!("{devices}?lang=hi")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("मीटर और सेंसर") && page.contains("कुंजी वापस लें"),
        "{page}"
    );
    assert!(!page.contains("Withdraw the key") && !page.contains("Add a device"));
}
