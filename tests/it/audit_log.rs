//! The audit log says what happened in the reader's language: each row keeps a message and its
//! arguments, rendered on `/admin/audit` in English or Hindi; what a person typed is shown as
//! typed; rows written before details show their stored English summary.

use crate::factories::{add_breakdown, scheme_in};
use crate::helpers::TestApp;
use diesel::prelude::*;
use paani::db::schema::audit_log;
use reqwest::StatusCode;
use std::sync::Arc;

const IP: &str = "127.0.0.1";

/// The rows of the log's table, one string each (tags stripped, text unescaped), newest first.
fn rows(page: &str) -> Vec<String> {
    let body = page
        .split("<tbody>")
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .expect("the log's table");
    body.split("<tr>")
        .skip(1)
        .map(|r| {
            let mut out = String::new();
            let mut in_tag = false;
            for ch in r.chars() {
                match ch {
                    '<' => {
                        in_tag = true;
                        out.push(' ');
                    }
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Four kinds of action, through the same use cases the pages call: a household added, a
/// payment recorded and cancelled, an account created, a breakdown moved on. Returns the
/// receipt number and the breakdown's number.
fn act(app: &TestApp) -> (String, String) {
    let ctx = paani::context::Ctx::new(
        app.db.clone(),
        app.clock.clone(),
        Arc::new(app.config.clone()),
    );
    let gp = app.gp();
    let admin = app.admin();
    let h = paani::billing::households::service::add_household(
        &ctx,
        &admin,
        IP,
        &paani::billing::HouseholdInput {
            village_id: gp.village_id.to_string(),
            connection_no: "T-77".into(),
            head_name: "Ramu <Yadav>".into(),
            category: "general".into(),
            connected_on: "2024-04-01".into(),
            ..Default::default()
        },
    )
    .expect("household");
    // recorded by the GP's secretary, cancelled by the admin (no one cancels their own)
    let secretary = {
        let user = app.secretary_of(&gp);
        paani::auth::model::actor_for(&mut app.conn(), user, None, None).unwrap()
    };
    let (p, _) = paani::billing::payments::service::record_once(
        &ctx,
        &secretary,
        IP,
        &paani::billing::payments::PaymentInput {
            household_id: h.id.to_string(),
            amount: "12345".into(),
            ..Default::default()
        },
        None,
        Default::default(),
    )
    .expect("payment");
    // a reason that looks like a date and a number stays as typed
    paani::billing::payments::service::cancel_payment(&ctx, &admin, IP, p.id, "2026-12-15 1234567")
        .expect("cancel");
    paani::auth::service::create_user(
        &ctx,
        &admin,
        IP,
        paani::auth::UserInput {
            username: "auditee".into(),
            display_name: "Audit Tester".into(),
            role: "secretary".into(),
            place_lgd_code: gp.lgd.to_string(),
            lang: "hi".into(),
            password: "a-long-enough-password".into(),
            ..Default::default()
        },
    )
    .expect("user");
    let (scheme, _) = scheme_in(app, gp.lgd, "Audit");
    let b = add_breakdown(app, scheme);
    let b = paani::breakdowns::service::transition(
        &ctx,
        &admin,
        IP,
        b,
        paani::breakdowns::TransitionInput {
            to: "acknowledged".into(),
            ..Default::default()
        },
        Default::default(),
    )
    .expect("moved");
    (p.receipt_no, b.number)
}

#[tokio::test]
async fn details_are_in_the_readers_language() {
    let app = TestApp::spawn().await;
    let (receipt, number) = act(&app);
    let admin = app.login_as("admin").await;

    let (s, page) = admin.get_text("/admin/audit?lang=hi").await;
    assert_eq!(s, StatusCode::OK);
    let hi = rows(&page);
    let has = |rows: &[String], want: &str| {
        assert!(
            rows.iter().any(|r| r.contains(want)),
            "no row says {want:?}: {rows:#?}"
        )
    };
    // the household: the typed name as typed (and escaped in the page)
    has(&hi, "कनेक्शन T-77, Ramu <Yadav>");
    assert!(page.contains("Ramu &lt;Yadav&gt;"), "escaped");
    // the payment: the amount grouped; the cancellation's reason as typed, no date or number
    // read into it
    has(&hi, &format!("रसीद {receipt}, ₹12,345.00"));
    has(
        &hi,
        &format!("रसीद {receipt}, ₹12,345.00 रद्द की: 2026-12-15 1234567"),
    );
    // the account: its role in Hindi
    has(&hi, "auditee (पंचायत सचिव)");
    // the breakdown: both statuses in Hindi
    has(&hi, &format!("{number}: दर्ज → स्वीकार"));
    assert!(
        !hi.iter().any(|r| r.contains("Connection T-77")),
        "no English detail for a Hindi reader: {hi:#?}"
    );

    let (_, page) = admin.get_text("/admin/audit?lang=en").await;
    let en = rows(&page);
    has(&en, "Connection T-77, Ramu <Yadav>");
    has(&en, &format!("Receipt {receipt}, ₹12,345.00"));
    has(
        &en,
        &format!("Receipt {receipt}, ₹12,345.00 cancelled: 2026-12-15 1234567"),
    );
    has(&en, "auditee (Panchayat secretary)");
    has(&en, &format!("{number}: Reported → Acknowledged"));
    assert!(
        !en.iter().any(|r| r.contains("कनेक्शन")),
        "no Hindi detail for an English reader: {en:#?}"
    );

    // the stored English summary is what the CSV carries, and the filters still work
    let summaries: Vec<String> = audit_log::table
        .filter(audit_log::entity.eq("household"))
        .select(audit_log::summary)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(summaries, vec!["Connection T-77, Ramu <Yadav>".to_string()]);
    let (_, page) = admin
        .get_text("/admin/audit?entity=payment&action=cancel&lang=hi")
        .await;
    let cancelled = rows(&page);
    assert_eq!(cancelled.len(), 1, "{cancelled:#?}");
    has(&cancelled, "रद्द की: 2026-12-15 1234567");
    let (_, csv) = admin.get_text("/admin/audit.csv?entity=user").await;
    assert!(
        csv.contains("auditee (Panchayat secretary)"),
        "the CSV has the English summary: {csv}"
    );
}

#[tokio::test]
async fn an_old_row_without_a_detail_shows_its_summary() {
    let app = TestApp::spawn().await;
    app.admin();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(app.clock.now()),
            audit_log::actor_name.eq("old-admin"),
            audit_log::action.eq("create"),
            audit_log::entity.eq("household"),
            audit_log::entity_id.eq(Some(7_i64)),
            audit_log::summary.eq("H-12 Old Summary Head"),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let admin = app.login_as("admin").await;
    for lang in ["hi", "en"] {
        let (s, page) = admin
            .get_text(&format!("/admin/audit?who=old-admin&lang={lang}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        let rows = rows(&page);
        assert_eq!(rows.len(), 1, "{rows:#?}");
        assert!(rows[0].contains("H-12 Old Summary Head"), "{rows:#?}");
    }
}

/// An asset's kind is a catalogue code: the log names it from the catalogue in the reader's
/// language (the CSV in English), and the asset by its name in that language; a place's Hindi
/// name is shown to a Hindi reader too.
#[tokio::test]
async fn catalogue_codes_and_names_are_in_the_readers_language() {
    let app = TestApp::spawn().await;
    let ctx = paani::context::Ctx::new(
        app.db.clone(),
        app.clock.clone(),
        Arc::new(app.config.clone()),
    );
    let gp = app.gp();
    let admin = app.admin();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let (scheme, _) = scheme_in(&app, gp.lgd, "Kinds");
    let a = paani::schemes::assets::service::create_asset(
        &ctx,
        &cat,
        &admin,
        IP,
        scheme,
        paani::schemes::assets::AssetInput {
            kind: "borewell".into(),
            name: "Borewell 2".into(),
            name_hi: "बोरवेल दो".into(),
            installed_on: "2024-04-01".into(),
            ..Default::default()
        },
    )
    .expect("asset");
    paani::schemes::assets::service::set_asset_status(&ctx, &admin, IP, a.id, "failed")
        .expect("status");
    // a place with a Hindi name, deactivated and back
    let place_en = paani::places::model::find(&mut app.conn(), gp.id)
        .unwrap()
        .name;
    diesel::update(paani::db::schema::places::table.find(gp.id))
        .set(paani::db::schema::places::name_hi.eq("ऑडिट पंचायत"))
        .execute(&mut *app.conn())
        .unwrap();
    paani::places::service::set_place_active(&ctx, &admin, IP, gp.id, false).expect("off");
    paani::places::service::set_place_active(&ctx, &admin, IP, gp.id, true).expect("on");
    let admin_b = app.login_as("admin").await;
    let (s, page) = admin_b.get_text("/admin/audit?entity=asset&lang=hi").await;
    assert_eq!(s, StatusCode::OK);
    let hi = rows(&page);
    assert!(
        hi.iter().any(|r| r.contains("बोरवेल दो (बोरवेल) अब: खराब")),
        "{hi:#?}"
    );
    assert!(hi.iter().any(|r| r.contains("बोरवेल दो (बोरवेल)")), "{hi:#?}");
    assert!(
        !hi.iter()
            .any(|r| r.contains("borewell") || r.contains("Borewell")),
        "no code or English name for a Hindi reader: {hi:#?}"
    );
    let (_, page) = admin_b.get_text("/admin/audit?entity=asset&lang=en").await;
    let en = rows(&page);
    assert!(
        en.iter()
            .any(|r| r.contains("Borewell 2 (Borewell) is now Failed")),
        "{en:#?}"
    );
    assert!(!en.iter().any(|r| r.contains("बोरवेल")), "{en:#?}");
    // the CSV names the kind in English, not by its code
    let (_, csv) = admin_b.get_text("/admin/audit.csv?entity=asset").await;
    assert!(csv.contains("Borewell 2 (Borewell)"), "{csv}");
    assert!(!csv.contains("(borewell)"), "{csv}");
    // the place's name in the reader's language
    let (_, page) = admin_b.get_text("/admin/audit?entity=place&lang=hi").await;
    let hi = rows(&page);
    assert_eq!(
        hi.iter().filter(|r| r.contains("ऑडिट पंचायत")).count(),
        2,
        "{hi:#?}"
    );
    assert!(!hi.iter().any(|r| r.contains(&place_en)), "{hi:#?}");
    let (_, page) = admin_b.get_text("/admin/audit?entity=place&lang=en").await;
    let en = rows(&page);
    assert_eq!(
        en.iter().filter(|r| r.contains(&place_en)).count(),
        2,
        "{en:#?}"
    );
}

/// A maintenance plan and its task, made from a template in the Hindi of the secretary who
/// applied it: the log names them in the reader's language (the template's words from the
/// library, the asset by its name in that language); a title a person typed stays as typed.
#[tokio::test]
async fn maintenance_titles_are_in_the_readers_language() {
    use paani::db::schema::{maintenance_plans as mp, maintenance_tasks as mt};
    use paani::web::i18n::Lang;
    let app = TestApp::spawn().await;
    let ctx = paani::context::Ctx::new(
        app.db.clone(),
        app.clock.clone(),
        Arc::new(app.config.clone()),
    );
    let gp = app.gp();
    let admin = app.admin();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let library = paani::maintenance::templates::Library::load("").unwrap();
    let (scheme, _) = scheme_in(&app, gp.lgd, "Titles");
    let tank = paani::schemes::assets::service::create_asset(
        &ctx,
        &cat,
        &admin,
        IP,
        scheme,
        paani::schemes::assets::AssetInput {
            kind: "ohsr".into(),
            name: "Tank 1".into(),
            name_hi: "टंकी एक".into(),
            installed_on: "2024-04-01".into(),
            ..Default::default()
        },
    )
    .expect("asset");
    let n = paani::maintenance::service::apply_asset_templates(
        &ctx,
        &admin,
        IP,
        &library,
        tank.id,
        Lang::Hi,
    )
    .expect("templates");
    assert_eq!(n, 1);
    let (plan_id, title): (i64, String) = mp::table
        .filter(mp::asset_id.eq(tank.id))
        .select((mp::id, mp::title))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        title, "टंकी की सफ़ाई और कीटाणुशोधन — Tank 1",
        "written in Hindi"
    );
    // the plan changed, a task done, and a plan with a typed title
    paani::maintenance::service::save_plan(
        &ctx,
        &admin,
        IP,
        &library,
        0,
        Some(plan_id),
        paani::maintenance::PlanInput {
            asset_id: tank.id.to_string(),
            title: title.clone(),
            every_unit: "month".into(),
            every_n: "3".into(),
            ..Default::default()
        },
    )
    .expect("plan changed");
    let task: i64 = mt::table
        .filter(mt::plan_id.eq(plan_id))
        .order(mt::due_on.asc())
        .select(mt::id)
        .first(&mut *app.conn())
        .unwrap();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    paani::maintenance::service::complete_task(
        &ctx,
        &admin,
        IP,
        &library,
        task,
        paani::maintenance::WorkInput {
            done_on: today.to_string(),
            ..Default::default()
        },
        vec![],
        Default::default(),
        "",
    )
    .expect("done");
    paani::maintenance::service::save_plan(
        &ctx,
        &admin,
        IP,
        &library,
        scheme,
        None,
        paani::maintenance::PlanInput {
            title: "छत की जाँच".into(),
            every_unit: "month".into(),
            every_n: "1".into(),
            ..Default::default()
        },
    )
    .expect("typed plan");

    let b = app.login_as("admin").await;
    let (s, page) = b.get_text("/admin/audit?lang=hi").await;
    assert_eq!(s, StatusCode::OK);
    let hi = rows(&page);
    let has = |rows: &[String], want: &str| {
        assert!(
            rows.iter().any(|r| r.contains(want)),
            "no row says {want:?}: {rows:#?}"
        )
    };
    has(&hi, "योजना: टंकी की सफ़ाई और कीटाणुशोधन — टंकी एक");
    has(&hi, "टंकी की सफ़ाई और कीटाणुशोधन — टंकी एक, ");
    has(&hi, "योजना: छत की जाँच");
    assert!(
        !hi.iter()
            .any(|r| r.contains("Tank cleaning") || r.contains("Tank 1")),
        "no English title for a Hindi reader: {hi:#?}"
    );
    let (_, page) = b.get_text("/admin/audit?lang=en").await;
    let en = rows(&page);
    has(&en, "Plan: Tank cleaning and disinfection — Tank 1");
    has(&en, "Tank cleaning and disinfection — Tank 1, done on");
    has(&en, "Plan: छत की जाँच");
    assert!(
        !en.iter().any(|r| r.contains("टंकी")),
        "no Hindi title for an English reader: {en:#?}"
    );
    // the CSV's summary is the English
    let (_, csv) = b.get_text("/admin/audit.csv?entity=task").await;
    assert!(
        csv.contains("Tank cleaning and disinfection — Tank 1, done on"),
        "{csv}"
    );
}
