//! The large data sets (`paani demo --scale`): the documented sizes, the same data from the
//! same seed, receipts gapless per GP and financial year, demand runs and ledgers that add up
//! the way billing works them out, plausible task and breakdown histories, and the dashboards
//! (the scheduler's refresh job and the pages) working on them.

use crate::helpers::{test_config, TestApp};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use paani::db::schema::{
    breakdowns as bd, demand_runs as dr, demands as dm, households as hh, maintenance_logs as ml,
    maintenance_tasks as mt, meetings as me, payments as py, places as pl, receipt_counters as rc,
};
use paani::demo::scale::{generate, Options, Scale, Summary};
use reqwest::StatusCode;
use std::collections::{BTreeMap, HashMap};

/// gp, financial year, receipt number, paid on, household, paise, cancelled at
type Pay = (i64, String, i64, NaiveDate, i64, i64, Option<NaiveDateTime>);
/// id, state, deadline, done on, log
type TaskFacts = (i64, String, NaiveDate, Option<NaiveDate>, Option<i64>);
/// status, created, acknowledged, resolved, closed, escalation level
type BreakdownFacts = (
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    i32,
);

/// Build a data set with one year of history.
fn build(app: &TestApp, now: NaiveDateTime, scale: Scale, seed: u64) -> Summary {
    let config = test_config(&app.test_db.url);
    let options = Options {
        scale,
        seed,
        years: 1,
        districts: None,
    };
    generate(&config, now, &options, |_| {}).expect("generate")
}

#[tokio::test]
async fn a_scale_data_set_has_its_sizes_and_adds_up() {
    let app = TestApp::spawn().await;
    let now = app.clock.now();
    let today = paani::web::i18n::today_in_india(now);
    let summary = build(&app, now, Scale::Block, 7);
    let sizes = Scale::Block.sizes();

    // the documented sizes
    let level = |l: &str| -> i64 {
        let mut c = app.conn();
        pl::table
            .filter(pl::level.eq(l))
            .count()
            .get_result(&mut *c)
            .unwrap()
    };
    assert_eq!(level("state"), 1);
    assert_eq!(level("district") as usize, sizes.districts);
    assert_eq!(level("block") as usize, sizes.blocks);
    assert_eq!(level("gp") as usize, sizes.gps);
    assert_eq!(level("village") as usize, sizes.villages);
    assert_eq!(app.count("households") as usize, sizes.households);
    assert_eq!(app.count("schemes") as usize, sizes.schemes);
    assert_eq!(app.count("assets") as usize, sizes.assets);
    assert_eq!(app.count("users") as usize, sizes.users);
    for table in [
        "maintenance_plans",
        "maintenance_tasks",
        "maintenance_logs",
        "breakdowns",
        "breakdown_events",
        "demands",
        "payments",
        "cashbook_entries",
        "committees",
        "committee_members",
        "meetings",
        "meeting_attendance",
        "action_items",
        "supply_logs",
        "water_testers",
        "sampling_points",
        "water_samples",
        "water_sample_values",
        "water_kit_batches",
    ] {
        assert!(app.count(table) > 0, "{table} is empty");
    }
    // every GP with FTK tests received the batches they name: no test names a batch not in
    // its GP's stock
    assert_eq!(
        app.count(
            "water_samples s WHERE s.kind = 'ftk' AND NOT EXISTS (SELECT 1 FROM water_kit_batches k \
             WHERE k.gp_id = s.gp_id AND k.batch = s.kit_batch)"
        ),
        0
    );
    // the summary counts what is stored
    let step = |name: &str| {
        summary
            .steps
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.rows as i64)
            .unwrap_or(-1)
    };
    assert_eq!(step("demands"), app.count("demands"));
    assert_eq!(step("maintenance tasks"), app.count("maintenance_tasks"));
    assert_eq!(step("supply logs"), app.count("supply_logs"));
    // a year of supply logs with gaps: last month has schemes below 40 lpcd and at the norm,
    // and days not logged (the figures read for all schemes at once)
    {
        use chrono::Datelike;
        let mut c = app.conn();
        let schemes: Vec<paani::schemes::Scheme> = paani::db::schema::schemes::table
            .select(paani::schemes::Scheme::as_select())
            .load(&mut *c)
            .unwrap();
        let last_month = today
            .with_day(1)
            .and_then(|d| d.checked_sub_months(chrono::Months::new(1)))
            .unwrap();
        let config = test_config(&app.test_db.url);
        let months =
            paani::supply::service::months_of(&mut c, &config, &schemes, last_month, now).unwrap();
        let lpcd = |m: &paani::supply::service::Month| m.figures.lpcd.unwrap_or(-1.0);
        assert!(months.iter().any(|m| (0.0..40.0).contains(&lpcd(m))));
        assert!(months.iter().any(|m| lpcd(m) >= 55.0));
        assert!(months.iter().any(|m| m.figures.days_not_logged > 0));
    }

    let mut c = app.conn();
    // every demand run counts and totals its demands
    let runs: Vec<(i64, i32, i64)> = dr::table
        .select((dr::id, dr::demands, dr::total_paise))
        .load(&mut *c)
        .unwrap();
    let demands: Vec<(i64, i64, i64, NaiveDate)> = dm::table
        .select((dm::run_id, dm::household_id, dm::amount_paise, dm::month))
        .load(&mut *c)
        .unwrap();
    let mut per_run: HashMap<i64, (i32, i64)> = HashMap::new();
    for (run, _, amount, month) in &demands {
        let e = per_run.entry(*run).or_default();
        e.0 += 1;
        e.1 += amount;
        assert!(*month <= today, "a demand for a month to come");
    }
    for (id, n, total) in &runs {
        assert_eq!(per_run.get(id), Some(&(*n, *total)), "run {id}");
    }

    // receipts: numbered 1, 2, 3 … per GP and financial year, the counter at the last
    let pays: Vec<Pay> = py::table
        .order(py::id.asc())
        .select((
            py::gp_id,
            py::fy,
            py::seq,
            py::paid_on,
            py::household_id,
            py::amount_paise,
            py::cancelled_at,
        ))
        .load(&mut *c)
        .unwrap();
    let mut seqs: BTreeMap<(i64, String), Vec<i64>> = BTreeMap::new();
    for p in &pays {
        assert_eq!(p.1, paani::billing::payments::financial_year(p.3));
        assert!(p.3 < today, "a payment dated today or later");
        seqs.entry((p.0, p.1.clone())).or_default().push(p.2);
    }
    let counters: BTreeMap<(i64, String), i64> = rc::table
        .select((rc::gp_id, rc::fy, rc::last_number))
        .load::<(i64, String, i64)>(&mut *c)
        .unwrap()
        .into_iter()
        .map(|(g, fy, n)| ((g, fy), n))
        .collect();
    assert_eq!(seqs.len(), counters.len());
    for (key, mut list) in seqs {
        list.sort();
        let n = list.len() as i64;
        assert_eq!(list, (1..=n).collect::<Vec<_>>(), "receipts of {key:?}");
        assert_eq!(counters.get(&key), Some(&n), "counter of {key:?}");
    }

    // ledgers: demanded less paid is what billing shows owing, household by household and as
    // arrears across the GPs
    let mut demanded: HashMap<i64, i64> = HashMap::new();
    for (_, h, amount, _) in &demands {
        *demanded.entry(*h).or_default() += amount;
    }
    let mut paid: HashMap<i64, i64> = HashMap::new();
    for p in pays.iter().filter(|p| p.6.is_none()) {
        *paid.entry(p.4).or_default() += p.5;
    }
    let owed: i64 = demanded
        .iter()
        .map(|(h, d)| (d - paid.get(h).copied().unwrap_or(0)).max(0))
        .sum();
    assert!(owed > 0, "nobody owes anything");
    let gp_ids: Vec<i64> = pl::table
        .filter(pl::level.eq("gp"))
        .select(pl::id)
        .load(&mut *c)
        .unwrap();
    let ageing =
        paani::billing::ledger::ageing(&mut c, &gp_ids, today, true, paani::web::i18n::Lang::En)
            .unwrap();
    assert_eq!(ageing.total_paise, owed, "arrears");
    // one GP in full: each household's ledger, and each receipt's balance as printed
    let gp = gp_ids[0];
    let homes: Vec<i64> = hh::table
        .filter(hh::gp_id.eq(gp))
        .select(hh::id)
        .load(&mut *c)
        .unwrap();
    let mut receipts_checked = 0;
    for h in homes {
        let household = paani::billing::find(&mut c, h).unwrap();
        let ledger = paani::billing::ledger::ledger(&mut c, &household).unwrap();
        let d = demanded.get(&h).copied().unwrap_or(0);
        let p = paid.get(&h).copied().unwrap_or(0);
        assert_eq!(ledger.standing.balance_paise, d - p, "household {h}");
        let cancelled = pays.iter().any(|x| x.4 == h && x.6.is_some());
        if cancelled {
            continue;
        }
        let printed: Vec<(i64, i64)> = py::table
            .filter(py::household_id.eq(h))
            .select((py::id, py::balance_after_paise))
            .load(&mut *c)
            .unwrap();
        for (id, balance) in printed {
            let line = ledger
                .lines
                .iter()
                .find(|l| l.kind == "payment" && l.payment_id == Some(id))
                .expect("the payment's line");
            assert_eq!(line.balance_paise, balance, "receipt {id}");
            receipts_checked += 1;
        }
    }
    assert!(receipts_checked > 0);

    // tasks: done ones have their work logged, nothing done in the future; what is open and
    // long past its deadline was closed
    let tasks: Vec<TaskFacts> = mt::table
        .select((mt::id, mt::state, mt::deadline_on, mt::done_on, mt::log_id))
        .load(&mut *c)
        .unwrap();
    let logs: HashMap<i64, (Option<i64>, NaiveDate)> = ml::table
        .select((ml::id, ml::task_id, ml::done_on))
        .load::<(i64, Option<i64>, NaiveDate)>(&mut *c)
        .unwrap()
        .into_iter()
        .map(|(id, t, d)| (id, (t, d)))
        .collect();
    let mut done = 0;
    for (id, state, deadline, done_on, log) in &tasks {
        match state.as_str() {
            "done" => {
                let d = done_on.expect("done on");
                assert!(d < today);
                let (task, logged) = logs.get(&log.expect("log")).expect("the log");
                assert_eq!((*task, *logged), (Some(*id), d));
                done += 1;
            }
            "open" => assert!(*deadline >= today - chrono::Duration::days(60)),
            _ => assert!(done_on.is_none()),
        }
    }
    assert!(
        done * 2 > tasks.len(),
        "most tasks done: {done} of {}",
        tasks.len()
    );

    // breakdowns: a timeline in order, nothing after now
    let rows: Vec<BreakdownFacts> = bd::table
        .select((
            bd::status,
            bd::created_at,
            bd::acknowledged_at,
            bd::resolved_at,
            bd::closed_at,
            bd::escalation_level,
        ))
        .load(&mut *c)
        .unwrap();
    for (status, created, ack, resolved, closed, _) in &rows {
        assert!(*created < now);
        assert!(ack.is_none_or(|a| a >= *created));
        assert!(resolved.is_none_or(|r| r > *created && ack.is_some()));
        assert!(closed.is_none_or(|x| resolved.is_some_and(|r| x >= r)));
        assert_eq!(status == "closed", closed.is_some());
    }
    assert!(rows.iter().any(|r| r.0 == "closed"));
    // escalated as the scheduler would have: a sweep at the data's cut-off (the start of
    // today in India) finds nothing left to escalate
    let config = test_config(&app.test_db.url);
    let cutoff = paani::web::i18n::india_midnight_utc(today);
    let escalated = paani::db::write_transaction(&mut c, |c| {
        paani::breakdowns::escalate(c, &config.breakdowns, cutoff)
    })
    .unwrap();
    assert_eq!(escalated, (0, 0), "breakdowns left to escalate");
    let held: i64 = me::table
        .filter(me::status.ne("planned"))
        .count()
        .get_result(&mut *c)
        .unwrap();
    assert!(held > 0);
    drop(c);

    // the dashboards: the scheduler's refresh computes every GP, and the pages show them
    let mut config = test_config(&app.test_db.url);
    config.mail.transport = "memory".into();
    let mailer = paani::mail::Mailer::new(&config).unwrap();
    let report = paani::jobs::run(
        &app.db,
        &config,
        &mailer,
        now,
        "cli",
        Some("dashboards_refresh"),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(report.status, "ok", "{:?}", report.errors);
    assert_eq!(
        report.counts["dashboards_refresh"].done,
        Some(sizes.gps),
        "GPs refreshed"
    );
    let secretary = app.login_as("secretary-230101001").await;
    let (status, page) = secretary.get_text("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    let (name, name_hi): (String, Option<String>) = {
        let mut c = app.conn();
        pl::table
            .filter(pl::lgd_code.eq(230101001_i64))
            .select((pl::name, pl::name_hi))
            .first(&mut *c)
            .unwrap()
    };
    assert!(
        page.contains(&name) || name_hi.is_some_and(|h| page.contains(&h)),
        "the GP's dashboard"
    );
    let engineer = app.login_as("engineer-230101").await;
    let (status, first) = engineer.get_text("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    // the block's 100 GPs in pages of 40, most urgent first, each page under 60 KB in
    // English and in Hindi
    let gp_links = |page: &str| -> Vec<String> {
        page.split("<th scope=\"row\"><a href=\"")
            .skip(1)
            .map(|r| r.split('"').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(gp_links(&first).len(), 40);
    let mut all = vec![];
    for n in 1..=3 {
        for lang in ["en", "hi"] {
            let (status, page) = engineer
                .get_text(&format!(
                    "/dashboard?sort=score&dir=desc&page={n}&lang={lang}"
                ))
                .await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                page.len() < 60 * 1024,
                "page {n} ({lang}): {} bytes",
                page.len()
            );
            assert_eq!(
                page.contains("rel=\"next\""),
                n < 3,
                "page {n} links to the next"
            );
            if lang == "en" {
                assert_eq!(gp_links(&page).len(), if n < 3 { 40 } else { 20 });
                all.extend(gp_links(&page));
            }
        }
    }
    assert_eq!(gp_links(&first), all[..40], "the first page is the default");
    all.sort();
    all.dedup();
    assert_eq!(all.len(), sizes.gps, "every GP once");
    let member = app.login_as("member-230101001").await;
    let (status, _) = member.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
}

/// A fingerprint of the data: a few tables' rows in id order.
fn fingerprint(app: &TestApp) -> String {
    use sha2::{Digest, Sha256};
    let mut c = app.conn();
    let mut h = Sha256::new();
    let households: Vec<(i64, String, String, String, NaiveDate)> = hh::table
        .order(hh::id.asc())
        .select((
            hh::id,
            hh::connection_no,
            hh::head_name,
            hh::category,
            hh::connected_on,
        ))
        .load(&mut *c)
        .unwrap();
    h.update(format!("{households:?}"));
    let demands: Vec<(i64, NaiveDate, i64)> = dm::table
        .order(dm::id.asc())
        .select((dm::household_id, dm::month, dm::amount_paise))
        .load(&mut *c)
        .unwrap();
    h.update(format!("{demands:?}"));
    let payments: Vec<(String, i64, NaiveDate, Option<NaiveDate>, i64, String)> = py::table
        .order(py::id.asc())
        .select((
            py::receipt_no,
            py::amount_paise,
            py::paid_on,
            py::covers_to,
            py::balance_after_paise,
            py::token,
        ))
        .load(&mut *c)
        .unwrap();
    h.update(format!("{payments:?}"));
    let tasks: Vec<(i64, NaiveDate, String, Option<NaiveDate>)> = mt::table
        .order(mt::id.asc())
        .select((mt::plan_id, mt::due_on, mt::state, mt::done_on))
        .load(&mut *c)
        .unwrap();
    h.update(format!("{tasks:?}"));
    let breakdowns: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>, i32)> = bd::table
        .order(bd::id.asc())
        .select((
            bd::number,
            bd::status,
            bd::created_at,
            bd::resolved_at,
            bd::escalation_level,
        ))
        .load(&mut *c)
        .unwrap();
    h.update(format!("{breakdowns:?}"));
    let meetings: Vec<(i64, NaiveDate, String)> = me::table
        .order(me::id.asc())
        .select((me::gp_id, me::held_on, me::status))
        .load(&mut *c)
        .unwrap();
    h.update(format!("{meetings:?}"));
    hex::encode(h.finalize())
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let (a, b, other) = (
        TestApp::spawn().await,
        TestApp::spawn().await,
        TestApp::spawn().await,
    );
    // a tenth of a block (the same code, three times)
    let now = a.clock.now();
    build(&a, now, Scale::Tiny, 42);
    build(&b, now, Scale::Tiny, 42);
    build(&other, now, Scale::Tiny, 43);
    let fa = fingerprint(&a);
    assert_eq!(fa, fingerprint(&b), "same seed, same data");
    assert_ne!(fa, fingerprint(&other), "another seed, other data");
    // On PostgreSQL the build writes without the per-row reference checks and checks every
    // reference at the end: the check holds on a built data set, and a row pointing nowhere
    // (written the way the build writes) fails it, naming its table.
    if a.test_db.backend() == paani::db::Backend::Postgres {
        use diesel::connection::SimpleConnection;
        let mut c = a.conn();
        paani::demo::scale::check_references(&mut c).expect("every reference holds");
        c.batch_execute(
            "SET session_replication_role = replica; \
             UPDATE payments SET household_id = household_id + 100000000 \
             WHERE id = (SELECT MIN(id) FROM payments); \
             SET session_replication_role = DEFAULT",
        )
        .unwrap();
        let e = paani::demo::scale::check_references(&mut c).unwrap_err();
        assert!(e.to_string().contains("payments"), "{e}");
    }
    // and a second build into the same database is refused
    let config = test_config(&a.test_db.url);
    let again = generate(
        &config,
        now,
        &Options {
            scale: Scale::Tiny,
            seed: 42,
            years: 1,
            districts: None,
        },
        |_| {},
    );
    assert!(again.is_err());
}

#[test]
fn the_command_builds_a_data_set_and_the_scheduler_refreshes_its_dashboards() {
    let db = crate::helpers::TestDb::new();
    let paani = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
            .args(args)
            .args(["--database", &db.url])
            .env("RUST_LOG", "error")
            .env("PAANI__MAIL__TRANSPORT", "memory")
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert!(out.status.success(), "{args:?}: {stdout}\n{stderr}");
        (stdout, stderr)
    };
    let (out, progress) = paani(&["demo", "--scale", "tiny", "--seed", "3", "--years", "1"]);
    assert!(out.contains("The tiny data set is built"), "{out}");
    // each kind of row with its count and time
    for step in ["maintenance tasks", "demands", "payments", "meetings"] {
        assert!(progress.contains(step), "{progress}");
    }
    let (out, _) = paani(&["jobs", "run", "--only", "dashboards_refresh"]);
    assert!(
        out.contains(r#"dashboards_refresh             {"done":10,"#) && out.contains(": ok in"),
        "{out}"
    );
    // a second data set does not go into a database that has one
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
        .args(["demo", "--scale", "tiny", "--database", &db.url])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!again.status.success());
}
