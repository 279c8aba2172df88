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
pub(crate) fn token_on(page: &str) -> String {
    let at = page
        .find("id=\"token\">")
        .unwrap_or_else(|| panic!("no token on the page: {page}"));
    let rest = &page[at + 11..];
    rest[..rest.find('<').unwrap()].to_string()
}

pub(crate) async fn push(
    app: &TestApp,
    token: Option<&str>,
    scheme: i64,
    body: Value,
) -> (StatusCode, Value) {
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
    let list = list["items"].as_array().unwrap();
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

/// Device readings feed the figures on the days the operator did not read the meter, and
/// each reading shows its source. Ten persons (households of 4, 1 and one the register gives
/// no size: 5). The operator reads the bulk meter on 31 March (98 kL), 1 April (98.6) and
/// 4 April (100.0), the energy meter on 31 March (500 kWh) and 1 April (503). A device sends
/// 98.9 and then 99.2 kL (and 506 kWh) on 2 April, 99.5 on 3 April, 99.9 on 4 April (the
/// operator's 100.0 wins) and 100.6 on 5 April. By hand: the counted series is 98, 98.6,
/// 99.2 (device, the day's last), 99.5 (device), 100.0, 100.6 (device): 2,600 L over 5 days
/// for 10 persons = 52 lpcd (without the device: 2,000 L over 4 days = 50). Energy: 3 kWh on
/// 1 April and 3 kWh on 2 April for 600 + 600 L = 5 kWh/kL.
#[actix_web::test]
async fn device_readings_fill_the_days_the_operator_did_not_read() {
    use diesel::prelude::*;
    use paani::db::schema::households;
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-05"));
    let gp = app.gp();
    let (scheme, _) = scheme_in(&app, gp.lgd, "Mixed");
    for size in [Some(4), Some(1), None] {
        let h = app.household(&gp);
        diesel::update(households::table.find(h))
            .set((
                households::scheme_id.eq(Some(scheme)),
                households::members.eq(size),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    app.secretary_of(&gp);
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let api = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let res = secretary
        .post_form(
            &format!("/schemes/{scheme}/supply/devices"),
            &[("name", "Flow meter")],
        )
        .await;
    let token = token_on(&res.text().await.unwrap());
    let logs = [
        json!({"supply_on": "2026-03-31", "supplied": "as_usual", "bulk_meter_kl": "98", "energy_meter_kwh": "500"}),
        json!({"supply_on": "2026-04-01", "supplied": "as_usual", "bulk_meter_kl": "98.6", "energy_meter_kwh": "503"}),
        json!({"supply_on": "2026-04-02", "supplied": "as_usual"}),
        json!({"supply_on": "2026-04-03", "supplied": "as_usual"}),
        json!({"supply_on": "2026-04-04", "supplied": "as_usual", "bulk_meter_kl": "100"}),
    ];
    for body in logs {
        let (s, v) = call(
            &app,
            &api,
            "POST",
            &format!("/api/v1/supply/schemes/{scheme}/logs"),
            body,
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    for (at, kl, kwh) in [
        ("2026-04-02T08:00:00+05:30", "98.9", None),
        ("2026-04-02T20:00:00+05:30", "99.2", Some("506")),
        ("2026-04-03T20:00:00+05:30", "99.5", None),
        ("2026-04-04T20:00:00+05:30", "99.9", None),
        ("2026-04-05T06:00:00+05:30", "100.6", None),
    ] {
        let mut body = json!({"read_at": at, "bulk_meter_kl": kl});
        if let Some(k) = kwh {
            body["energy_meter_kwh"] = json!(k);
        }
        let (s, v) = push(&app, Some(&token), scheme, body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }

    let (s, f) = crate::helpers::get_json(
        &app,
        &api,
        &format!("/api/v1/supply/schemes/{scheme}/figures?month=2026-04"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let f = &f["figures"];
    assert_eq!(f["persons_served"], 10, "{f}");
    assert_eq!(f["volume_litres"], 2_600, "{f}");
    assert_eq!(f["days_measured"], 5, "{f}");
    assert_eq!(f["lpcd"], 52.0, "{f}");
    assert_eq!(f["energy_wh"], 6_000, "{f}");
    assert_eq!(f["energy_kwh_per_kl"], 5.0, "{f}");
    assert_eq!(f["bulk_readings_by_device"], 3, "2, 3 and 5 April: {f}");
    assert_eq!(f["energy_readings_by_device"], 1, "{f}");

    // the scheme's page marks each reading counted by its source, in Hindi too
    let (s, page) = secretary
        .get_text(&format!("/schemes/{scheme}/supply"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let row = |day: &str| {
        let at = page
            .find(&format!("supply/day?on={day}"))
            .unwrap_or_else(|| panic!("no row for {day}"));
        let rest = &page[at..];
        rest[..rest.find("</tr>").unwrap()].to_string()
    };
    let r2 = row("2026-04-02");
    assert!(
        r2.contains("99.200") && r2.contains("reading-device") && !r2.contains("98.900"),
        "{r2}"
    );
    let r4 = row("2026-04-04");
    assert!(
        r4.contains("100.000") && r4.contains("reading-person") && !r4.contains("99.900"),
        "{r4}"
    );
    assert!(r4.contains(">operator<"), "{r4}");
    assert!(r2.contains(">device<"), "{r2}");
    let (_, hi) = secretary
        .get_text(&format!("/schemes/{scheme}/supply?lang=hi"))
        .await;
    assert!(hi.contains(">उपकरण<") && hi.contains(">ऑपरेटर<"));

    // the month's CSV: the reading counted each day and its source
    let (s, csv) = secretary
        .get_text(&format!("/schemes/{scheme}/supply/month.csv?month=2026-04"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with("bulk_meter_source,energy_meter_source"),
        "{header}"
    );
    let line = |day: &str| {
        csv.lines()
            .find(|l| l.starts_with(day))
            .unwrap_or_else(|| panic!("no line for {day}: {csv}"))
            .to_string()
    };
    assert!(line("2026-04-01").ends_with(",person,person"), "{csv}");
    let l2 = line("2026-04-02");
    assert!(
        l2.contains(",99.200,") && l2.ends_with(",device,device"),
        "{l2}"
    );
    assert!(line("2026-04-05").ends_with(",device,"), "{csv}");
    // and the figures of all schemes count the readings from devices
    let (_, all) = secretary.get_text("/supply/month.csv?month=2026-04").await;
    let mine = all
        .lines()
        .find(|l| l.contains("Mixed"))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(mine.ends_with(",3"), "{mine}");
}

/// A supply write (a day's log, a device's reading, a schedule) bumps the GP's change count,
/// so the kept dashboard figures are recomputed at once, not after their age runs out.
#[actix_web::test]
async fn supply_writes_make_the_kept_dashboard_figures_stale() {
    use diesel::prelude::*;
    use paani::db::schema::gp_figures as g;
    let app = TestApp::spawn().await;
    app.clock.set(noon("2026-04-05"));
    let gp = app.gp();
    let (scheme, _) = scheme_in(&app, gp.lgd, "Kept");
    app.secretary_of(&gp);
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let api = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let res = secretary
        .post_form(
            &format!("/schemes/{scheme}/supply/devices"),
            &[("name", "Flow meter")],
        )
        .await;
    let token = token_on(&res.text().await.unwrap());
    let dashboard = |app: &TestApp| {
        let (api, gp) = (api.clone(), gp.id);
        let app_url = app.url(&format!("/api/v1/dashboard?place={gp}"));
        let client = app.client.clone();
        async move {
            let r = client.get(app_url).bearer_auth(api).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        }
    };
    let kept = |app: &TestApp| -> (i64, i64) {
        g::table
            .filter(g::gp_id.eq(gp.id))
            .select((g::changes, g::computed_changes))
            .first(&mut *app.conn())
            .unwrap()
    };
    let d = dashboard(&app).await;
    assert_eq!(d["figures"]["supply"]["days_supplied"], 0, "{d}");
    let (before, computed) = kept(&app);
    assert_eq!(before, computed, "fresh");
    let (s, v) = call(
        &app,
        &api,
        "POST",
        &format!("/api/v1/supply/schemes/{scheme}/logs"),
        json!({"supply_on": "2026-04-05", "supplied": "as_usual"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (after_log, _) = kept(&app);
    assert!(after_log > before, "a log bumps the GP");
    // read again at once: recomputed, the day counted
    let d = dashboard(&app).await;
    assert_eq!(d["figures"]["supply"]["days_supplied"], 1, "{d}");
    let (s, _) = push(
        &app,
        Some(&token),
        scheme,
        json!({"read_at": "2026-04-05T06:00:00+05:30", "bulk_meter_kl": "10"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let (after_reading, _) = kept(&app);
    assert!(after_reading > after_log, "a device reading bumps the GP");
    let res = secretary
        .post_form(
            &format!("/schemes/{scheme}/supply/schedule"),
            &[("sessions", "06:00-07:00"), ("days_per_week", "7")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(kept(&app).0 > after_reading, "a schedule bumps the GP");
}
