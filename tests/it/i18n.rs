use crate::helpers::TestApp;
use paani::web::i18n::{message_ids, Lang};
use serde_json::json;

#[test]
fn every_message_exists_in_both_languages() {
    let en = message_ids(Lang::En);
    let hi = message_ids(Lang::Hi);
    assert!(en.len() > 100);
    let only_en: Vec<_> = en.difference(&hi).collect();
    let only_hi: Vec<_> = hi.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_hi.is_empty(),
        "only in en: {only_en:?}; only in hi: {only_hi:?}"
    );
}

#[test]
fn every_key_used_in_templates_exists() {
    let i18n = paani::web::i18n::I18n::load().unwrap();
    let mut missing = vec![];
    for entry in walk("templates") {
        if !entry.ends_with(".hbs") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        for part in text.split("{{t \"").skip(1) {
            let key = &part[..part.find('"').unwrap()];
            if !i18n.has(Lang::En, key) || !i18n.has(Lang::Hi, key) {
                missing.push(format!("{entry}: {key}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

fn walk(dir: &str) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(p.to_str().unwrap()));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

fn has_devanagari(s: &str) -> bool {
    s.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c))
}

#[tokio::test]
async fn hindi_follows_browser_then_switch_then_user_preference() {
    let app = TestApp::with_demo().await;
    // before login: Accept-Language
    let res = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "hi-IN,hi;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains("<html lang=\"hi\">"));
    assert!(body.contains("लॉग इन"), "login page in Hindi");
    let res = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "en-GB")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("<html lang=\"en\">"));

    // the secretary prefers Hindi
    let sec = app.login_as("secretary").await;
    let (_, body) = sec.get_text("/").await;
    assert!(body.contains("<html lang=\"hi\">"));
    assert!(has_devanagari(&body));
    // ?lang=en switches, and the session keeps it
    let (_, body) = sec.get_text("/?lang=en").await;
    assert!(body.contains("<html lang=\"en\">"));
    let (_, body) = sec.get_text("/places").await;
    assert!(body.contains("<html lang=\"en\">"), "kept in the session");
    // choosing a language on the account page saves it for next time
    let res = sec.post_form("/account/language", &[("lang", "hi")]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, body) = sec.get_text("/places").await;
    assert!(body.contains("<html lang=\"hi\">"));

    // error pages speak the user's language too
    let (s, body) = sec.get_text("/places/999999").await;
    assert_eq!(s, reqwest::StatusCode::NOT_FOUND);
    assert!(body.contains("<html lang=\"hi\">") && has_devanagari(&body));
    let member = app.login_as("member").await;
    let (s, body) = member.get_text("/admin/users").await;
    assert_eq!(s, reqwest::StatusCode::FORBIDDEN);
    assert!(has_devanagari(&body));
}

#[test]
fn money_and_dates_for_users() {
    use paani::web::i18n::{format_date, format_money};
    assert_eq!(format_money(12345650), "₹1,23,456.50");
    assert_eq!(
        format_date(chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()),
        "05-01-2027"
    );
}

#[test]
fn audit_actions_and_entities_have_names() {
    // what the code records is one of these enums (the compiler sees to that); each has a name
    let i18n = paani::web::i18n::I18n::load().unwrap();
    for a in paani::audit::Action::ALL {
        for lang in [Lang::En, Lang::Hi] {
            assert!(i18n.has(lang, &a.label_key()), "{a:?}");
        }
    }
    for e in paani::audit::Entity::ALL {
        for lang in [Lang::En, Lang::Hi] {
            assert!(i18n.has(lang, &e.label_key()), "{e:?}");
        }
    }
}

/// The text a reader sees: the page without its tags (so form values and links don't count).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// An ISO date (2026-12-15) in a text.
fn iso_date_in(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let shaped = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let alone = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        (shaped && alone).then(|| String::from_utf8_lossy(w).into_owned())
    })
}

/// An open task in a GP from a template plan (the earliest due).
fn template_task(app: &TestApp, gp_lgd: i64, template: &str) -> (i64, i64) {
    use diesel::prelude::*;
    use paani::db::schema::{maintenance_plans as mp, maintenance_tasks as mt};
    let gp = app.place_id(paani::places::Level::Gp, gp_lgd);
    let mut c = app.conn();
    mt::table
        .inner_join(mp::table)
        .filter(mt::gp_id.eq(gp))
        .filter(mt::state.eq("open"))
        .filter(mp::template_code.eq(template))
        .order((mt::due_on.asc(), mt::id.asc()))
        .select((mt::id, mt::plan_id))
        .first(&mut *c)
        .unwrap()
}

#[tokio::test]
async fn a_hindi_member_reads_tasks_checklists_and_readings_in_hindi() {
    let app = TestApp::with_demo().await;
    let lib = paani::maintenance::templates::Library::load("").unwrap();
    let greasing = lib.find("pump_greasing").unwrap();
    let member = app.login_as("member").await;
    // the home page: every task named in Hindi, none of the library's English titles
    let (s, home) = member.get_text("/").await;
    assert_eq!(s, reqwest::StatusCode::OK);
    assert!(home.contains("<html lang=\"hi\">"));
    let home_text = visible_text(&home);
    assert!(
        lib.templates
            .iter()
            .any(|t| home_text.contains(&t.title_hi)),
        "a Hindi template title on the member's home"
    );
    for t in &lib.templates {
        assert!(
            !home_text.contains(&t.title),
            "English {:?} on a Hindi home",
            t.title
        );
    }
    assert!(!home_text.contains("Submersible pump"));
    assert!(
        iso_date_in(&home_text).is_none(),
        "{:?}",
        iso_date_in(&home_text)
    );

    // a task: title, checklist and readings (names and units) in Hindi
    let (task, _) = template_task(&app, 23010101, "pump_greasing");
    let (s, page) = member.get_text(&format!("/tasks/{task}")).await;
    assert_eq!(s, reqwest::StatusCode::OK);
    let text = visible_text(&page);
    assert!(text.contains(&greasing.title_hi), "{text}");
    for item in &greasing.checklist_hi {
        assert!(text.contains(item.as_str()), "checklist item {item}");
    }
    for item in &greasing.checklist {
        assert!(
            !text.contains(item.as_str()),
            "English checklist item {item}"
        );
    }
    for r in &greasing.readings {
        assert!(
            text.contains(r.name_hi.as_deref().unwrap()),
            "reading {:?}",
            r.name_hi
        );
        assert!(
            !text.contains(&r.spec.name),
            "English reading {}",
            r.spec.name
        );
    }
    assert!(
        text.contains("घंटे") && text.contains("वोल्ट"),
        "units in Hindi"
    );
    assert!(iso_date_in(&text).is_none(), "{:?}", iso_date_in(&text));

    // the same task read in English: the library's English, the asset's name as typed (its
    // Hindi name is for Hindi readers)
    assert!(text.contains(&format!("{} — सबमर्सिबल पंप", greasing.title_hi)));
    let (_, page) = member.get_text(&format!("/tasks/{task}?lang=en")).await;
    let text = visible_text(&page);
    assert!(
        text.contains(&format!("{} — Submersible pump", greasing.title)),
        "{text}"
    );
    assert!(!text.contains("सबमर्सिबल पंप"), "{text}");
    assert!(text.contains("Bearings greased") && text.contains("Voltage"));
}

#[tokio::test]
async fn plans_stored_in_english_are_read_in_hindi_and_typed_text_is_kept() {
    use diesel::prelude::*;
    use paani::db::schema::maintenance_plans as mp;
    let app = TestApp::with_demo().await;
    let lib = paani::maintenance::templates::Library::load("").unwrap();
    let chlorine = lib.find("chlorination_check").unwrap();
    // Shivpur's plans were made in English; a person added an item of their own
    let (task, plan) = template_task(&app, 23010102, "chlorination_check");
    {
        let mut c = app.conn();
        let stored: String = mp::table
            .find(plan)
            .select(mp::checklist)
            .first(&mut *c)
            .unwrap();
        assert!(
            stored.contains(&chlorine.checklist[0]),
            "stored in English: {stored}"
        );
        let mut items: Vec<String> = serde_json::from_str(&stored).unwrap();
        items.push("Fence gate locked".into());
        diesel::update(mp::table.find(plan))
            .set(mp::checklist.eq(serde_json::to_string(&items).unwrap()))
            .execute(&mut *c)
            .unwrap();
    }
    // someone who may record the work (so the checklist is on the page) reads it in Hindi
    let reader = app.login_as("admin").await;
    let (s, page) = reader.get_text(&format!("/tasks/{task}?lang=hi")).await;
    assert_eq!(s, reqwest::StatusCode::OK);
    let text = visible_text(&page);
    assert!(text.contains(&chlorine.title_hi), "{text}");
    assert!(text.contains(&chlorine.checklist_hi[0]));
    assert!(!text.contains(&chlorine.checklist[0]));
    assert!(
        text.contains("Fence gate locked"),
        "typed text kept as typed"
    );
    assert!(text.contains("अवशिष्ट क्लोरीन") && text.contains("मि.ग्रा./ली."));
    // and on the scheme's maintenance register, the plan list
    let scheme: i64 = {
        let mut c = app.conn();
        mp::table
            .find(plan)
            .select(mp::scheme_id)
            .first(&mut *c)
            .unwrap()
    };
    let (_, page) = reader
        .get_text(&format!("/schemes/{scheme}/maintenance"))
        .await;
    assert!(visible_text(&page).contains(&chlorine.title_hi));
    // the scheme's history: "scheme registered" is Paani's own text, shown in Hindi
    let (_, page) = reader.get_text(&format!("/schemes/{scheme}")).await;
    let text = visible_text(&page);
    assert!(text.contains("योजना दर्ज की गई"), "{text}");
    assert!(!text.contains("scheme registered"));
}

#[test]
fn status_words_cannot_be_confused() {
    let i18n = paani::web::i18n::I18n::load().unwrap();
    for lang in [Lang::En, Lang::Hi] {
        let t = |k: &str| i18n.t(lang, k, &[]);
        let closed = t("breakdown-status-closed");
        let stopped = t("breakdown-supply-stopped");
        let down = t("scheme-status-non_functional");
        assert!(
            closed != stopped && stopped != down && closed != down,
            "{lang:?}: {closed} / {stopped} / {down}"
        );
        // a closed complaint never reads as water being off
        assert!(!closed.contains(stopped.as_str()) && !stopped.contains(closed.as_str()));
        // each list of statuses names every status differently
        for prefix in [
            "breakdown-status-",
            "breakdown-supply-",
            "scheme-status-",
            "task-state-",
            "asset-status-",
            "household-status-",
            "action-status-",
            "meeting-status-",
        ] {
            let keys: Vec<String> = message_ids(lang)
                .into_iter()
                .filter(|k| k.starts_with(prefix))
                .filter(|k| {
                    k[prefix.len()..]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_')
                })
                .collect();
            let mut words: Vec<String> = keys.iter().map(|k| t(k)).collect();
            words.sort();
            let n = words.len();
            words.dedup();
            assert_eq!(words.len(), n, "{lang:?} {prefix}: {keys:?}");
        }
    }
    // "बंद" alone names nothing: it says neither whose nor what
    for key in [
        "breakdown-status-closed",
        "breakdown-supply-stopped",
        "scheme-status-non_functional",
    ] {
        assert_ne!(i18n.t(Lang::Hi, key, &[]), "बंद", "{key}");
    }
}

#[tokio::test]
async fn hindi_pages_show_counts_grouped_and_no_iso_dates() {
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    let sec = app.login_as("secretary").await;
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let next = today
        .checked_add_months(chrono::Months::new(1))
        .unwrap()
        .format("%Y-%m")
        .to_string();
    // the demands page's question names its due date as DD-MM-YYYY
    let (s, page) = sec.get_text(&format!("/demands?month={next}")).await;
    assert_eq!(s, reqwest::StatusCode::OK);
    let text = visible_text(&page);
    assert!(text.contains("देय तारीख"), "{text}");
    assert!(iso_date_in(&text).is_none(), "{:?}", iso_date_in(&text));
    for path in ["/", "/tasks", "/breakdowns", "/households"] {
        let (s, page) = sec.get_text(path).await;
        assert_eq!(s, reqwest::StatusCode::OK, "{path}");
        let text = visible_text(&page);
        assert!(
            iso_date_in(&text).is_none(),
            "{path}: {:?}",
            iso_date_in(&text)
        );
        assert!(
            !text.contains("1 खराबियाँ") && !text.contains("1 शिकायतें"),
            "{path}"
        );
    }
}

/// The GP's villages (English and Hindi names), from the places table.
fn villages_of(app: &TestApp, gp: i64) -> Vec<(String, String)> {
    use diesel::prelude::*;
    use paani::db::schema::places;
    let mut c = app.conn();
    let rows: Vec<(String, Option<String>)> = paani::on_backend!(&mut *c, |c| places::table
        .filter(places::gp_id.eq(gp))
        .filter(places::level.eq("village"))
        .select((places::name, places::name_hi))
        .load(c))
    .unwrap();
    rows.into_iter()
        .map(|(en, hi)| (en, hi.expect("demo villages have Hindi names")))
        .collect()
}

#[tokio::test]
async fn billing_lists_name_villages_and_gps_in_the_readers_language() {
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing(&app.db, &app.clock).unwrap();
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    let gp = paani::places::model::find(&mut app.conn(), gp_id).unwrap();
    let gp_hi = gp.name_hi.clone().unwrap();
    let villages = villages_of(&app, gp_id);
    assert!(villages.len() >= 2);
    app.add_user("secen", "secretary", Some(23010101));
    let readers = [
        (app.login_as("secretary").await, Lang::Hi),
        (app.login_as("secen").await, Lang::En),
    ];
    for (b, lang) in &readers {
        let pick = |en: &str, hi: &str| match lang {
            Lang::Hi => (hi.to_string(), en.to_string()),
            Lang::En => (en.to_string(), hi.to_string()),
        };
        let (gp_want, gp_not) = pick(&gp.name, &gp_hi);
        // arrears by village, by GP, defaulters: the villages (or GP) with arrears
        for (path, by_gp) in [
            ("/arrears", false),
            ("/arrears?by=gp", true),
            ("/defaulters?months=1", false),
        ] {
            let (s, page) = b.get_text(path).await;
            assert_eq!(s, reqwest::StatusCode::OK, "{path}");
            let text = visible_text(&page);
            if by_gp {
                assert!(text.contains(&gp_want), "{lang:?} {path}: {text}");
                assert!(!text.contains(&gp_not), "{lang:?} {path}: {text}");
            }
            let mut shown = 0;
            for (en, hi) in &villages {
                let (want, not) = pick(en, hi);
                assert!(!text.contains(&not), "{lang:?} {path}: {not} in {text}");
                shown += usize::from(text.contains(&want));
            }
            if !by_gp {
                assert!(shown >= 2, "{lang:?} {path}: villages not named: {text}");
            }
        }
        // the demands page names the GP in its preview and its automatic-raise list
        let (s, page) = b.get_text("/demands").await;
        assert_eq!(s, reqwest::StatusCode::OK);
        let text = visible_text(&page);
        assert!(
            text.matches(gp_want.as_str()).count() >= 2,
            "{lang:?}: {text}"
        );
        assert!(!text.contains(&gp_not), "{lang:?} /demands: {text}");
    }
}

#[tokio::test]
async fn a_reminder_about_a_gp_names_it_in_the_readers_language() {
    use diesel::prelude::*;
    use paani::db::schema::reminders;
    let app = TestApp::with_demo().await;
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    let gp = paani::places::model::find(&mut app.conn(), gp_id).unwrap();
    let gp_hi = gp.name_hi.clone().unwrap();
    let en_user = app.add_user("secen", "secretary", Some(23010101));
    let hi_user = paani::auth::model::user_by_username(&mut app.conn(), "secretary")
        .unwrap()
        .unwrap();
    for user in [hi_user.id, en_user.id] {
        // raised with the English name, as the scheduler does
        diesel::insert_into(reminders::table)
            .values((
                reminders::gp_id.eq(gp_id),
                reminders::user_id.eq(user),
                reminders::rule.eq("meeting_missed"),
                reminders::subject_kind.eq("gp"),
                reminders::subject_id.eq(gp_id),
                reminders::dedupe_key.eq(format!("meeting_missed:{gp_id}:{user}")),
                reminders::label.eq(&gp.name),
                reminders::link.eq("/committees"),
                reminders::created_at.eq(app.clock.now()),
                reminders::email_state.eq("none"),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    for (who, want, not) in [
        ("secretary", gp_hi.as_str(), gp.name.as_str()),
        ("secen", gp.name.as_str(), gp_hi.as_str()),
    ] {
        let b = app.login_as(who).await;
        for path in ["/inbox", "/inbox.csv"] {
            let (s, page) = b.get_text(path).await;
            assert_eq!(s, reqwest::StatusCode::OK, "{who} {path}");
            let text = visible_text(&page);
            assert!(text.contains(want), "{who} {path}: {text}");
            assert!(!text.contains(not), "{who} {path}: {text}");
        }
        // the API's message is in the caller's language too
        let token = app.api_token(who).await;
        let (s, v) =
            crate::helpers::call(&app, &token, "GET", "/api/v1/reminders", json!({})).await;
        assert_eq!(s, reqwest::StatusCode::OK);
        let body = v.to_string();
        assert!(body.contains(want) && !body.contains(not), "{who}: {body}");
    }
}

/// A reminder about a task or an asset was raised with the asset's typed (English) name; a
/// Hindi reader's inbox shows the asset's Hindi name, an English reader's the typed one.
#[tokio::test]
async fn a_reminder_about_a_task_or_an_asset_names_the_asset_in_the_readers_language() {
    use diesel::prelude::*;
    use paani::db::schema::{assets, maintenance_tasks, reminders};
    let app = TestApp::with_demo().await;
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    // a task of the Hindi GP on an asset with a Hindi name
    let (task_id, asset_id, name, name_hi): (i64, i64, String, Option<String>) =
        maintenance_tasks::table
            .inner_join(assets::table.on(assets::id.nullable().eq(maintenance_tasks::asset_id)))
            .filter(maintenance_tasks::gp_id.eq(gp_id))
            .filter(assets::name_hi.is_not_null())
            .select((
                maintenance_tasks::id,
                assets::id,
                assets::name,
                assets::name_hi,
            ))
            .first(&mut *app.conn())
            .unwrap();
    let name_hi = name_hi.unwrap();
    assert_ne!(name, name_hi);
    let en_user = app.add_user("memen", "member", Some(23010101));
    let hi_user = paani::auth::model::user_by_username(&mut app.conn(), "member")
        .unwrap()
        .unwrap();
    for user in [hi_user.id, en_user.id] {
        for (rule, kind, id, label) in [
            (
                "task_due_soon",
                "task",
                task_id,
                format!("Pump check — {name}"),
            ),
            ("asset_life_early", "asset", asset_id, name.clone()),
        ] {
            diesel::insert_into(reminders::table)
                .values((
                    reminders::gp_id.eq(gp_id),
                    reminders::user_id.eq(user),
                    reminders::rule.eq(rule),
                    reminders::subject_kind.eq(kind),
                    reminders::subject_id.eq(id),
                    reminders::dedupe_key.eq(format!("{rule}:{id}:{user}")),
                    reminders::label.eq(&label),
                    reminders::link.eq("/tasks"),
                    reminders::created_at.eq(app.clock.now()),
                    reminders::email_state.eq("none"),
                ))
                .execute(&mut *app.conn())
                .unwrap();
        }
    }
    for (who, want, not) in [
        ("member", name_hi.as_str(), name.as_str()),
        ("memen", name.as_str(), name_hi.as_str()),
    ] {
        let b = app.login_as(who).await;
        let (s, page) = b.get_text("/inbox").await;
        assert_eq!(s, reqwest::StatusCode::OK, "{who}");
        let text = visible_text(&page);
        assert_eq!(text.matches(want).count(), 2, "{who}: {text}");
        assert!(!text.contains(not), "{who}: {text}");
        assert!(
            text.contains("Pump check — "),
            "the typed work stays: {text}"
        );
    }
}

/// Work logs are titled "<work> — <asset>" with the asset's typed name; a Hindi member reads
/// the asset's Hindi name in the scheme card's last work and on the printed register.
#[tokio::test]
async fn a_hindi_member_reads_asset_names_in_work_titles_in_hindi() {
    use diesel::prelude::*;
    use paani::db::schema::{assets, schemes};
    let app = TestApp::with_demo().await;
    paani::demo::seed_history(&app.db, &app.clock).unwrap();
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    let scheme_ids: Vec<i64> = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .select(schemes::id)
        .load(&mut *app.conn())
        .unwrap();
    let b = app.login_as("member").await;
    let mut seen_hindi = 0;
    let mut shown = String::new();
    for id in scheme_ids {
        let names: Vec<(String, Option<String>)> = assets::table
            .filter(assets::scheme_id.eq(id))
            .select((assets::name, assets::name_hi))
            .load(&mut *app.conn())
            .unwrap();
        for path in [
            format!("/schemes/{id}"),
            format!("/schemes/{id}/maintenance/print"),
        ] {
            let (s, page) = b.get_text(&path).await;
            assert_eq!(s, reqwest::StatusCode::OK, "{path}");
            let text = visible_text(&page);
            shown.push_str(&text);
            for (name, hi) in &names {
                let Some(hi) = hi.as_deref().filter(|h| *h != name) else {
                    continue;
                };
                assert!(
                    !text.contains(&format!("— {name}")),
                    "{path} names {name} in English: {text}"
                );
                seen_hindi += text.matches(&format!("— {hi}")).count();
            }
        }
    }
    assert!(
        seen_hindi > 0,
        "no work title named an asset in Hindi: {shown}"
    );
}

/// A reminder about a scheme was raised with the scheme's typed name; a Hindi reader's inbox,
/// inbox CSV, API and e-mail show its Hindi name, an English reader's the typed one.
#[tokio::test]
async fn a_reminder_about_a_scheme_names_it_in_the_readers_language() {
    use diesel::prelude::*;
    use paani::db::schema::{outbox, reminders, schemes, users};
    let app = TestApp::with_demo().await;
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    let (scheme_id, name): (i64, String) = schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .select((schemes::id, schemes::name))
        .first(&mut *app.conn())
        .unwrap();
    let name_hi = "बानापुरा नल जल योजना";
    diesel::update(schemes::table.find(scheme_id))
        .set(schemes::name_hi.eq(name_hi))
        .execute(&mut *app.conn())
        .unwrap();
    let en_user = app.add_user("secen", "secretary", Some(23010101));
    let hi_user = paani::auth::model::user_by_username(&mut app.conn(), "secretary")
        .unwrap()
        .unwrap();
    for (user, email) in [
        (hi_user.id, "sec-hi@example.test"),
        (en_user.id, "sec-en@example.test"),
    ] {
        diesel::update(users::table.find(user))
            .set((users::email.eq(email), users::email_pref.eq("immediate")))
            .execute(&mut *app.conn())
            .unwrap();
        // raised with the typed name, as the scheduler does
        diesel::insert_into(reminders::table)
            .values((
                reminders::gp_id.eq(gp_id),
                reminders::user_id.eq(user),
                reminders::rule.eq("scheme_design_end"),
                reminders::subject_kind.eq("scheme"),
                reminders::subject_id.eq(scheme_id),
                reminders::dedupe_key.eq(format!("scheme_design_end:{scheme_id}:{user}")),
                reminders::label.eq(&name),
                reminders::link.eq(format!("/schemes/{scheme_id}")),
                reminders::created_at.eq(app.clock.now()),
                reminders::email_state.eq("pending"),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    for (who, want, not) in [
        ("secretary", name_hi, name.as_str()),
        ("secen", name.as_str(), name_hi),
    ] {
        let b = app.login_as(who).await;
        for path in ["/inbox", "/inbox.csv"] {
            let (s, page) = b.get_text(path).await;
            assert_eq!(s, reqwest::StatusCode::OK, "{who} {path}");
            let text = visible_text(&page);
            assert!(text.contains(want), "{who} {path}: {text}");
            assert!(!text.contains(not), "{who} {path}: {text}");
        }
        let token = app.api_token(who).await;
        let (s, v) =
            crate::helpers::call(&app, &token, "GET", "/api/v1/reminders", json!({})).await;
        assert_eq!(s, reqwest::StatusCode::OK);
        let body = v.to_string();
        assert!(body.contains(want) && !body.contains(not), "{who}: {body}");
    }
    // the e-mail names it in the addressee's language too
    let mailer = paani::mail::Mailer::new(&app.config).unwrap();
    assert_eq!(mailer.queue(&mut app.conn(), app.clock.now()).unwrap(), 2);
    for (to, want, not) in [
        ("sec-hi@example.test", name_hi, name.as_str()),
        ("sec-en@example.test", name.as_str(), name_hi),
    ] {
        let body: String = outbox::table
            .filter(outbox::to_addr.eq(to))
            .select(outbox::body_text)
            .first(&mut *app.conn())
            .unwrap();
        assert!(body.contains(want) && !body.contains(not), "{to}: {body}");
    }
}

/// The meeting page's pickers for an action item name the GP's schemes and assets in the
/// reader's language (their Hindi names for a Hindi reader, the typed ones otherwise).
#[tokio::test]
async fn a_meetings_scheme_and_asset_choices_are_in_the_readers_language() {
    use diesel::prelude::*;
    use paani::db::schema::assets;
    let app = TestApp::with_demo().await;
    let gp_id = app.place_id(paani::places::Level::Gp, 23010101);
    // a meeting planned now, open for action items
    let token = app.api_token("secretary").await;
    let (s, k) = crate::helpers::call(
        &app,
        &token,
        "POST",
        "/api/v1/committees",
        json!({"name": "बानापुरा पानी समिति", "constituted_on": "2025-02-01"}),
    )
    .await;
    assert_eq!(s, reqwest::StatusCode::CREATED, "{k}");
    let committee = k["id"].as_i64().unwrap();
    let (s, m) = crate::helpers::call(
        &app,
        &token,
        "POST",
        "/api/v1/meetings",
        json!({"committee_id": committee, "held_on": "2026-03-05", "lang": "hi", "agenda": "बिजली का बिल"}),
    )
    .await;
    assert_eq!(s, reqwest::StatusCode::CREATED, "{m}");
    let meeting = m["id"].as_i64().unwrap();
    let (name, name_hi): (String, Option<String>) = assets::table
        .filter(assets::gp_id.eq(gp_id))
        .filter(assets::status.eq_any(["working", "needs_attention", "failed"]))
        .filter(assets::name_hi.is_not_null())
        .select((assets::name, assets::name_hi))
        .first(&mut *app.conn())
        .unwrap();
    let name_hi = name_hi.unwrap();
    app.add_user("secen", "secretary", Some(23010101));
    for (who, want, not) in [
        ("secretary", name_hi.as_str(), name.as_str()),
        ("secen", name.as_str(), name_hi.as_str()),
    ] {
        let b = app.login_as(who).await;
        let (s, page) = b.get_text(&format!("/meetings/{meeting}")).await;
        assert_eq!(s, reqwest::StatusCode::OK, "{who}");
        assert!(page.contains(&format!(">{want} (")), "{who}: {page}");
        assert!(!page.contains(&format!(">{not} (")), "{who}: {page}");
    }
}
