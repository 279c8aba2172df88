use crate::helpers::{location, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn report_one(app: &TestApp, token: &str, scheme: i64, supply: &str) -> Value {
    let r = app.client.post(app.url("/api/v1/breakdowns")).bearer_auth(token)
        .json(&json!({"scheme_id": scheme, "category": "pump_motor", "description": "<script>alert(1)</script>Motor not starting", "supply": supply, "households_affected": 120}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

#[tokio::test]
async fn workflow_steps_timeline_and_refusals() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let b = report_one(&app, &member, own, "stopped").await;
    assert!(b["number"].as_str().unwrap().starts_with("23010101-B"));
    let desc = b["description"].as_str().unwrap();
    assert!(
        !desc.contains('<') && desc.ends_with("Motor not starting"),
        "no markup survives: {desc}"
    );
    assert_eq!(b["status"], "reported");
    let id = b["id"].as_i64().unwrap();
    let step = |token: &str, body: Value| {
        let url = app.url(&format!("/api/v1/breakdowns/{id}/transition"));
        app.client
            .post(url)
            .bearer_auth(token.to_string())
            .json(&body)
            .send()
    };
    // refused: a step the workflow does not have
    let r = step(&member, json!({"to": "closed"})).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        step(&member, json!({"to": "acknowledged"}))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let r = step(&member, json!({"to": "in_progress"})).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "who repairs it is required"
    );
    assert_eq!(step(&member, json!({"to": "in_progress", "assigned_name": "Shankar (mechanic)", "assigned_phone": "9876501234"})).await.unwrap().status(), StatusCode::OK);
    let r = step(&member, json!({"to": "resolved"})).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "what was done is required"
    );
    let r = step(&member, json!({"to": "resolved", "resolution": "Capacitor replaced", "cost": "1,450", "scheme_status": "functional"})).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["cost_paise"], 145_000);
    assert!(d["resolved_at"].is_string());
    // members do not verify their own repairs
    assert_eq!(
        step(&member, json!({"to": "closed"}))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let sec = app.api_token("secretary").await;
    assert_eq!(
        step(&sec, json!({"to": "closed"})).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        step(&sec, json!({"to": "reopened"}))
            .await
            .unwrap()
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason to reopen"
    );
    assert_eq!(
        step(&sec, json!({"to": "reopened", "note": "Leaking again"}))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/breakdowns/{id}/comment")))
        .bearer_auth(&sec)
        .json(&json!({"note": "Called the mechanic"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let d: Value = app
        .client
        .get(app.url(&format!("/api/v1/breakdowns/{id}")))
        .bearer_auth(&sec)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<String> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["kind"].as_str().unwrap(),
                e["to_status"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            "reported:reported",
            "transition:acknowledged",
            "transition:in_progress",
            "transition:resolved",
            "transition:closed",
            "transition:reopened",
            "comment:"
        ]
    );
    assert!(d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor_name"].is_string() && e["at"].is_string()));
    // another GP's people do not see it
    app.add_user("farmember", "member", Some(23010201));
    let far = app.api_token("farmember").await;
    let r = app
        .client
        .get(app.url(&format!("/api/v1/breakdowns/{id}")))
        .bearer_auth(&far)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deadlines_escalate_with_the_clock() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let stopped = report_one(&app, &member, own, "stopped").await;
    let minor = report_one(&app, &member, own, "none").await;
    let cfg = paani::config::Config::defaults().breakdowns;
    let run = |app: &TestApp| {
        let mut c = app.conn();
        paani::breakdowns::escalate(&mut c, &cfg, app.clock.now()).unwrap()
    };
    assert_eq!(run(&app), (0, 0));
    // acknowledge both within the day, then pass the 72-hour repair target for "stopped"
    for b in [&stopped, &minor] {
        let r = app
            .client
            .post(app.url(&format!("/api/v1/breakdowns/{}/transition", b["id"])))
            .bearer_auth(&member)
            .json(&json!({"to": "acknowledged"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    app.clock.advance(chrono::Duration::hours(71));
    assert_eq!(run(&app), (0, 0));
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(
        run(&app),
        (1, 0),
        "only the stopped supply is past its target"
    );
    assert_eq!(run(&app), (0, 0), "running again changes nothing");
    app.clock.advance(chrono::Duration::hours(73));
    assert_eq!(run(&app), (0, 1), "then to the district officer");
    let d: Value = app
        .client
        .get(app.url(&format!("/api/v1/breakdowns/{}", stopped["id"])))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["escalation_level"], 2);
    assert_eq!(
        d["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "escalated")
            .count(),
        2
    );
    // an unacknowledged report escalates after the 24-hour acknowledgement target
    let late = report_one(&app, &member, own, "none").await;
    app.clock.advance(chrono::Duration::hours(25));
    let (l1, _) = run(&app);
    assert!(l1 >= 1);
    let d: Value = app
        .client
        .get(app.url(&format!("/api/v1/breakdowns/{}", late["id"])))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["escalation_level"], 1);
    // the CLI runs the same sweep
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args(["breakdowns", "escalate", "--database", &app.test_db.url])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "paani breakdowns escalate: {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("escalated"));
}

#[tokio::test]
async fn a_failed_check_leads_to_a_prefilled_breakdown_form() {
    let app = TestApp::with_demo().await;
    let member = app.login_as("member").await;
    let gp = app.place_id(paani::places::Level::Gp, 23010101);
    let (task, _) = crate::factories::task_and_plan(&app, gp);
    let today = paani::web::i18n::today_in_india(app.clock.now()).to_string();
    let res = member
        .post_form(
            &format!("/tasks/{task}/complete"),
            &[("done_on", &today), ("asset_status", "failed")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(
        to.starts_with("/breakdowns/new?scheme=") && to.contains(&format!("task={task}")),
        "{to}"
    );
    let (s, form) = member.get_text(&to).await;
    assert_eq!(s, StatusCode::OK);
    assert!(form.contains(&format!("name=\"from_task_id\" value=\"{task}\"")));
    // filing it from the form
    let scheme = to
        .split("scheme=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let res = member
        .post_form(
            "/breakdowns",
            &[
                ("scheme_id", &scheme),
                ("category", "pump_motor"),
                ("supply", "stopped"),
                ("description", "Pump tripped during the check"),
                ("from_task_id", &task.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = member.get_text(&location(&res)).await;
    assert!(page.contains("Pump tripped during the check"));
    let res = member
        .post_form(
            "/breakdowns",
            &[
                ("scheme_id", &scheme),
                ("category", "spaceship"),
                ("supply", "sometimes"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().matches("field-error").count() >= 3);
}

#[tokio::test]
async fn likely_duplicates_are_shown_and_merged() {
    let app = TestApp::with_demo().await;
    let (own, _) = crate::schemes::demo_scheme_ids(&app);
    let member = app.api_token("member").await;
    let first = report_one(&app, &member, own, "stopped").await;
    app.clock.advance(chrono::Duration::hours(47));
    let second = report_one(&app, &member, own, "partial").await;
    // another category is not a duplicate
    let r = app.client.post(app.url("/api/v1/breakdowns")).bearer_auth(&member)
        .json(&json!({"scheme_id": own, "category": "tap", "description": "Tap broken", "supply": "none"}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let tap: Value = r.json().await.unwrap();
    app.clock.advance(chrono::Duration::hours(2));
    // 49 hours after the first: not within 48 hours of it
    let third = report_one(&app, &member, own, "stopped").await;
    // the admin reads English (the demo secretary reads Hindi)
    let sec = app.login_as("admin").await;
    let hint = |page: &str| -> Vec<String> {
        page.split("Possibly the same problem:")
            .nth(1)
            .map(|rest| {
                rest.split("</p>")
                    .next()
                    .unwrap()
                    .split("\">")
                    .skip(1)
                    .map(|s| s.split('<').next().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let num = |b: &Value| b["number"].as_str().unwrap().to_string();
    let (_, page) = sec.get_text(&format!("/breakdowns/{}", second["id"])).await;
    assert_eq!(hint(&page), vec![num(&first), num(&third)]);
    let (_, page) = sec.get_text(&format!("/breakdowns/{}", third["id"])).await;
    assert_eq!(
        hint(&page),
        vec![num(&second)],
        "the first is 49 hours older"
    );
    let (_, page) = sec.get_text(&format!("/breakdowns/{}", tap["id"])).await;
    assert!(hint(&page).is_empty());
    // merging: the second is marked a duplicate of the first
    let sec_token = app.api_token("secretary").await;
    let step = |body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/breakdowns/{}/transition", second["id"])))
            .bearer_auth(sec_token.clone())
            .json(&body)
            .send()
    };
    let r = step(json!({"to": "duplicate", "duplicate_of": "23010101-B999"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = step(json!({"to": "duplicate", "duplicate_of": num(&first)}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["status"], "duplicate");
    assert_eq!(d["duplicate_of"], first["id"]);
    // a merged report is no longer offered as a duplicate
    let (_, page) = sec.get_text(&format!("/breakdowns/{}", third["id"])).await;
    assert!(hint(&page).is_empty());
}

/// The names of the fields in the step form for `to` on a breakdown page, without the CSRF
/// token (none when the page has no such form).
fn step_fields(page: &str, to: &str) -> Option<Vec<String>> {
    let start = page.find(&format!("id=\"step-{to}\""))?;
    let end = start + page[start..].find("</form>").expect("the form ends");
    Some(
        page[start..end]
            .split("name=\"")
            .skip(1)
            .map(|p| p[..p.find('"').unwrap()].to_string())
            .filter(|n| n != "_csrf")
            .collect(),
    )
}

fn names(list: &[&str]) -> Option<Vec<String>> {
    Some(list.iter().map(|s| s.to_string()).collect())
}

#[tokio::test]
async fn each_workflow_step_has_a_form_with_only_its_fields() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    app.engineer_of(&gp);
    let (scheme, _) = crate::factories::scheme_in(&app, gp.lgd, "Step");
    let b = crate::factories::add_breakdown(&app, scheme);
    let engineer = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    let page = |lang: &'static str| {
        let engineer = &engineer;
        async move {
            let (s, p) = engineer
                .get_text(&format!("/breakdowns/{b}?lang={lang}"))
                .await;
            assert_eq!(s, StatusCode::OK);
            p
        }
    };
    let p = page("en").await;
    assert_eq!(step_fields(&p, "acknowledged"), names(&["to", "note"]));
    assert_eq!(
        step_fields(&p, "in_progress"),
        names(&["to", "assigned_name", "assigned_phone", "note"])
    );
    assert_eq!(step_fields(&p, "rejected"), names(&["to", "note"]));
    assert_eq!(
        step_fields(&p, "duplicate"),
        names(&["to", "duplicate_of", "note"])
    );
    assert_eq!(
        step_fields(&p, "resolved"),
        None,
        "not a step from reported"
    );
    assert!(page("hi").await.contains("id=\"step-in_progress\""));

    let path = format!("/breakdowns/{b}/transition");
    let r = engineer
        .post_form(&path, &[("to", "acknowledged"), ("note", "")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = page("en").await;
    assert_eq!(step_fields(&p, "acknowledged"), None);
    assert_eq!(
        step_fields(&p, "resolved"),
        names(&[
            "to",
            "resolution",
            "cost",
            "asset_status",
            "scheme_status",
            "note"
        ])
    );

    // a step refused: its own form keeps what was typed and shows the error, no other does
    let r = engineer
        .post_form(
            &path,
            &[
                ("to", "in_progress"),
                ("assigned_name", ""),
                ("assigned_phone", "98"),
                ("note", "kept note"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = r.text().await.unwrap();
    let form = |to: &str| {
        let start = p.find(&format!("id=\"step-{to}\"")).unwrap();
        let end = start + p[start..].find("</form>").unwrap();
        p[start..end].to_string()
    };
    assert!(form("in_progress").contains("field-error"));
    assert!(form("in_progress").contains("value=\"kept note\""));
    assert!(!form("resolved").contains("field-error"));
    assert!(!form("resolved").contains("kept note"));

    let r = engineer
        .post_form(
            &path,
            &[
                ("to", "in_progress"),
                ("assigned_name", "Ramesh mistri"),
                ("assigned_phone", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = page("en").await;
    assert_eq!(
        step_fields(&p, "resolved"),
        names(&[
            "to",
            "resolution",
            "cost",
            "asset_status",
            "scheme_status",
            "note"
        ])
    );
    assert_eq!(step_fields(&p, "in_progress"), None);
    // a refused resolution keeps the asset's and the scheme's status as chosen
    let r = engineer
        .post_form(
            &path,
            &[
                ("to", "resolved"),
                ("resolution", ""),
                ("cost", "450"),
                ("asset_status", "needs_attention"),
                ("scheme_status", "partially_functional"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = r.text().await.unwrap();
    let start = p.find("id=\"step-resolved\"").unwrap();
    let resolved = &p[start..start + p[start..].find("</form>").unwrap()];
    assert!(resolved.contains("field-error"), "{resolved}");
    let chosen = |select: &str| {
        let at = resolved.find(&format!("name=\"{select}\"")).unwrap();
        let list = &resolved[at..at + resolved[at..].find("</select>").unwrap()];
        list.split("<option")
            .filter(|o| o.contains(" selected"))
            .map(|o| o.split('"').nth(1).unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(chosen("asset_status"), vec!["needs_attention"]);
    assert_eq!(chosen("scheme_status"), vec!["partially_functional"]);
    assert_eq!(
        paani::breakdowns::find(&mut app.conn(), b).unwrap().status,
        "in_progress",
        "nothing saved"
    );
    let r = engineer
        .post_form(
            &path,
            &[
                ("to", "resolved"),
                ("resolution", "Valve changed"),
                ("cost", "450"),
                ("asset_status", ""),
                ("scheme_status", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = page("en").await;
    assert_eq!(step_fields(&p, "closed"), names(&["to", "note"]));
    assert_eq!(step_fields(&p, "reopened"), names(&["to", "note"]));
    let r = engineer
        .post_form(&path, &[("to", "closed"), ("note", "")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = paani::breakdowns::find(&mut app.conn(), b).unwrap();
    assert_eq!(stored.status, "closed");
    assert_eq!(stored.assigned_name.as_deref(), Some("Ramesh mistri"));
    assert_eq!(stored.resolution.as_deref(), Some("Valve changed"));
    assert_eq!(stored.cost_paise, Some(45_000));
}

#[tokio::test]
async fn lists_across_gps_name_the_gp_villages_and_scheme() {
    use paani::places::Level;
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let gp2_lgd = gp.block_lgd * 100 + 98;
    app.add_place(Level::Gp, gp2_lgd, "Second GP", Some(gp.block_lgd));
    app.add_place(
        Level::Village,
        gp2_lgd * 100 + 1,
        "Far Village",
        Some(gp2_lgd),
    );
    app.admin();
    app.engineer_of(&gp);
    app.secretary_of(&gp);
    let admin = app.api_token("admin").await;
    let (alpha, _) = crate::factories::scheme_in(&app, gp.lgd, "Alpha");
    let (beta, _) = crate::factories::scheme_in(&app, gp2_lgd, "Beta");
    for (s, village) in [(alpha, gp.lgd * 100 + 1), (beta, gp2_lgd * 100 + 1)] {
        let (code, v) = crate::helpers::call(
            &app,
            &admin,
            "PATCH",
            &format!("/api/v1/schemes/{s}"),
            json!({"villages": village.to_string()}),
        )
        .await;
        assert_eq!(code, StatusCode::OK, "{v}");
    }
    crate::factories::add_breakdown(&app, alpha);
    crate::factories::add_breakdown(&app, beta);
    let alpha_where = format!("Alpha PWS · Village {} · GP {}", gp.lgd * 100 + 1, gp.lgd);
    let beta_where = "Beta PWS · Far Village · Second GP";

    let engineer = app.login_as(&format!("engineer-{}", gp.block_lgd)).await;
    for path in ["/tasks?lang=en", "/breakdowns?lang=en"] {
        let (s, page) = engineer.get_text(path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(&alpha_where), "{path}: {alpha_where}");
        assert!(page.contains(beta_where), "{path}: {beta_where}");
        let (s, _) = engineer.get_text(&path.replace("en", "hi")).await;
        assert_eq!(s, StatusCode::OK);
    }
    // the open-breakdowns box (on /tasks and on a GP's dashboard) names where each one is
    let section = |page: &str, id: &str| -> String {
        let start = page
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"));
        let end = page[start..].find("</section>").map(|e| start + e).unwrap();
        page[start..end].to_string()
    };
    let (_, page) = engineer.get_text("/tasks?lang=en").await;
    let open_box = section(&page, "open-breakdowns");
    assert!(
        open_box.contains(&alpha_where) && open_box.contains(beta_where),
        "{open_box}"
    );
    let gp2 = app.place_id(Level::Gp, gp2_lgd);
    let (s, page) = engineer
        .get_text(&format!("/places/{gp2}/dashboard?lang=en"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let open_box = section(&page, "open-breakdowns");
    assert!(open_box.contains(beta_where), "{open_box}");
    // maintenance compliance of a GP: each scheme row names its villages and GP
    let gp1 = app.place_id(Level::Gp, gp.lgd);
    let (s, page) = engineer
        .get_text(&format!("/places/{gp1}/maintenance?lang=en"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&alpha_where), "{page}");
    // the review list: a village column beside GP and scheme
    let (s, page) = engineer.get_text("/breakdowns/review?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    let list = &page[page.find("<tbody>").unwrap()..];
    let list = &list[..list.find("</tbody>").unwrap()];
    for village in [
        format!("Village {}", gp.lgd * 100 + 1),
        "Far Village".to_string(),
    ] {
        assert!(
            list.contains(&format!("data-label=\"Villages served\">{village}</td>")),
            "{village}: {list}"
        );
    }
    // one GP's own people see one GP: no need to repeat it on every row
    let secretary = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    for path in [
        "/tasks?lang=en".to_string(),
        "/breakdowns?lang=en".to_string(),
        format!("/places/{gp1}/maintenance?lang=en"),
        format!("/places/{gp1}/dashboard?lang=en"),
    ] {
        let (s, page) = secretary.get_text(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!page.contains("class=\"where"), "{path}");
    }
}
