//! Backups (issue 23): a backup taken while collectors record payments holds every payment
//! acknowledged before it started and adds up; it verifies, restores into an empty database
//! and the app serves from it; verify catches damaged and tampered files; restore refuses
//! to overwrite without --force; a database in use is backed up before migrations; the
//! scheduler's daily backup and its pruning; the data folder's owner-only files. Each test
//! runs on the backend under test (PostgreSQL through pg_dump and pg_restore).

use crate::helpers::{test_config, TestApp, TestDb};
use diesel::prelude::*;
use paani::backup::service::{Check, Outcome};
use paani::backup::{self, Kind, Quiet};
use paani::config::Config;
use paani::db::schema::{demands, households, payments, receipt_counters};
use paani::db::{Backend, Db};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Banapura GP of the demo data set.
const GP: i64 = 23010101;

/// The demo data set with its billing: households, tariffs, demands, payments, cash book.
async fn billed_demo() -> TestApp {
    let app = TestApp::with_demo().await;
    paani::demo::seed_billing(&app.db, &app.clock).expect("demo billing");
    app
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// PostgreSQL backups need pg_dump: without it (never in CI) the test says so and stops.
fn pg_dump_missing(config: &Config) -> bool {
    let missing = paani::backup::service::backend(config).unwrap() == Backend::Postgres
        && paani::backup::pg::dump_version(config).is_err();
    if missing {
        println!("pg_dump is not installed: PostgreSQL backups not tested");
    }
    missing
}

fn failed(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .map(|c| c.what.clone())
        .collect()
}

/// A configuration for an empty target beside `app`'s: a new SQLite file, or a new
/// PostgreSQL database (kept alive by the returned `TestDb`), and an empty photos folder.
fn empty_target(app: &TestApp, dir: &Path) -> (Config, TestDb) {
    let target = TestDb::new();
    let mut config = app.config.clone();
    config.database.url = match target.backend() {
        Backend::Sqlite => format!("sqlite://{}", dir.join("paani.db").display()),
        Backend::Postgres => target.url.clone(),
    };
    config.storage.data_dir = dir.display().to_string();
    config.storage.photos_dir = dir.join("photos").display().to_string();
    (config, target)
}

/// A few photo files as the app keeps them (`photos/<gp id>/…`).
fn put_photos(config: &Config) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![];
    for (gp, name) in [(1, "a.jpg"), (1, "a-small.jpg"), (7, "b.png")] {
        let rel = format!("{gp}/{name}");
        let bytes: Vec<u8> = (0..5000u32).map(|i| (i * 31 % 251) as u8).collect();
        let path = Path::new(&config.storage.photos_dir).join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        files.push((rel, bytes));
    }
    files
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Receipts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    gp_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    fy: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    lo: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    hi: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    counter: i64,
}

/// Receipts are consistent in `db`: in every GP and financial year the numbers run 1..n
/// without a gap, and the counter stands at n; and the ledgers of `households` add up: the
/// ledger's demands, payments and balance are the tables' sums, its running balance ends
/// at the balance, and what the months had is what was paid.
fn assert_books_add_up(db: &Db, households_checked: &[i64]) {
    let mut c = db.conn().unwrap();
    let sql =
        "SELECT p.gp_id, p.fy, CAST(COUNT(*) AS BIGINT) AS n, CAST(MIN(p.seq) AS BIGINT) AS lo, \
               CAST(MAX(p.seq) AS BIGINT) AS hi, CAST(MAX(r.last_number) AS BIGINT) AS counter \
               FROM payments p JOIN receipt_counters r ON r.gp_id = p.gp_id AND r.fy = p.fy \
               GROUP BY p.gp_id, p.fy";
    let rows: Vec<Receipts> =
        paani::on_backend!(&mut *c, |x| diesel::sql_query(sql).load(x)).unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!((r.lo, r.hi, r.counter), (1, r.n, r.n), "receipts of {r:?}");
    }
    let counters: i64 = receipt_counters::table.count().get_result(&mut *c).unwrap();
    assert_eq!(
        counters as usize,
        rows.len(),
        "a counter for every year with receipts"
    );
    for &h in households_checked {
        let household = paani::billing::find(&mut c, h).unwrap();
        let l = paani::billing::ledger::ledger(&mut c, &household).unwrap();
        let demanded: Vec<(i64, i64)> = demands::table
            .filter(demands::household_id.eq(h))
            .select((demands::amount_paise, demands::late_fee_paise))
            .load(&mut *c)
            .unwrap();
        let demanded: i64 = demanded.iter().map(|(a, f)| a + f).sum();
        let paid: Vec<i64> = payments::table
            .filter(payments::household_id.eq(h))
            .filter(payments::cancelled_at.is_null())
            .select(payments::amount_paise)
            .load(&mut *c)
            .unwrap();
        let paid: i64 = paid.iter().sum();
        assert_eq!(l.standing.demanded_paise, demanded, "household {h}");
        assert_eq!(l.standing.paid_paise, paid, "household {h}");
        assert_eq!(l.standing.balance_paise, demanded - paid, "household {h}");
        let last = l.lines.last().map(|x| x.balance_paise).unwrap_or(0);
        assert_eq!(last, demanded - paid, "household {h}: running balance");
        let settled: i64 = l.months.iter().map(|m| m.paid_paise).sum();
        assert_eq!(settled, paid.min(demanded), "household {h}: months settled");
    }
}

/// Four collectors record payments over the API while a backup runs. Every payment
/// acknowledged (201) before the backup started is in it with its receipt number, some were
/// acknowledged while it ran, the backup verifies, its receipts and ledgers add up, and it
/// restores into an empty database (and photos folder) on which the app starts and serves
/// the receipts with the same API token.
#[tokio::test]
async fn a_backup_under_concurrent_payments_holds_every_acknowledged_one_and_restores() {
    let app = billed_demo().await;
    if pg_dump_missing(&app.config) {
        return;
    }
    let photos = put_photos(&app.config);
    let sec = app.api_token("secretary").await;
    let gp_id = app.place_id(paani::places::Level::Gp, GP);
    let hh: Vec<i64> = households::table
        .filter(households::gp_id.eq(gp_id))
        .order(households::id.asc())
        .select(households::id)
        .limit(4)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(hh.len(), 4);
    let base = app.count("payments");

    // (payment id, receipt number, when it was acknowledged)
    let acked: Arc<Mutex<Vec<(i64, String, Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut collectors = vec![];
    for &h in &hh {
        let (client, url, sec) = (app.client.clone(), app.url("/api/v1/payments"), sec.clone());
        let (acked, stop) = (acked.clone(), stop.clone());
        collectors.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let r = client
                    .post(&url)
                    .bearer_auth(&sec)
                    .json(&json!({"household_id": h, "amount": "10"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                let p: Value = r.json().await.unwrap();
                let receipt = p["receipt_no"].as_str().unwrap().to_string();
                acked
                    .lock()
                    .unwrap()
                    .push((p["id"].as_i64().unwrap(), receipt, Instant::now()));
            }
        }));
    }
    while acked.lock().unwrap().len() < 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before: Vec<(i64, String, Instant)> = acked.lock().unwrap().clone();
    let started = Instant::now();
    let (config, dir) = (app.config.clone(), app.files.path().join("backups"));
    let made = tokio::task::spawn_blocking(move || {
        backup::make(&config, Kind::Manual, Some(&dir), now(), &mut Quiet)
    })
    .await
    .unwrap()
    .expect("backup");
    let ended = Instant::now();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    for c in collectors {
        c.await.unwrap();
    }
    let all = acked.lock().unwrap().clone();
    let during = all
        .iter()
        .filter(|(_, _, at)| *at > started && *at < ended)
        .count();
    println!(
        "{} payments before the backup, {during} while it ran ({:.2} s), {} in all",
        before.len(),
        (ended - started).as_secs_f64(),
        all.len()
    );
    assert!(
        during > 0,
        "payments were acknowledged while the backup ran"
    );
    assert!(made.file.path.exists());
    assert_eq!(made.manifest.photos().count(), photos.len());

    let config = app.config.clone();
    let file = made.file.path.clone();
    let report = tokio::task::spawn_blocking(move || backup::verify(&config, &file, &mut Quiet))
        .await
        .unwrap()
        .unwrap();
    assert!(report.ok(), "{:?}", report.checks);

    // restore into an empty database and photos folder
    let target_dir = tempfile::tempdir().unwrap();
    let (target, _target_db) = empty_target(&app, target_dir.path());
    let (t, file) = (target.clone(), made.file.path.clone());
    let restored =
        tokio::task::spawn_blocking(move || backup::restore(&t, &file, false, now(), &mut Quiet))
            .await
            .unwrap()
            .expect("restore");
    assert_eq!(restored.photos, photos.len());
    assert!(failed(&restored.checks).is_empty());
    for (rel, bytes) in &photos {
        let got = std::fs::read(Path::new(&target.storage.photos_dir).join(rel)).unwrap();
        assert_eq!(&got, bytes, "photo {rel}");
    }
    let db = Db::connect(&target.database).unwrap();
    {
        let mut c = db.conn().unwrap();
        let ids: Vec<i64> = before.iter().map(|b| b.0).collect();
        let found: Vec<(i64, String)> = payments::table
            .filter(payments::id.eq_any(&ids))
            .select((payments::id, payments::receipt_no))
            .order(payments::id.asc())
            .load(&mut *c)
            .unwrap();
        let mut want: Vec<(i64, String)> =
            before.iter().map(|(id, r, _)| (*id, r.clone())).collect();
        want.sort();
        assert_eq!(found, want, "every payment acknowledged before the backup");
        let in_backup = made.manifest.table("payments").unwrap().rows;
        let total: i64 = payments::table.count().get_result(&mut *c).unwrap();
        assert_eq!(total, in_backup);
        assert!(
            total >= base + before.len() as i64 && total <= base + all.len() as i64,
            "{total} payments: between the {} acknowledged before the backup and all {} (and {base} before any)",
            before.len(),
            all.len()
        );
    }
    assert_books_add_up(&db, &hh);
    drop(db);

    // the app starts on the restored database and serves the receipts
    let (url, photos_dir) = (
        target.database.url.clone(),
        target.storage.photos_dir.clone(),
    );
    let restored_app = TestApp::spawn_with(move |c| {
        c.database.url = url;
        c.storage.photos_dir = photos_dir;
    })
    .await;
    let (id, receipt, _) = &before[before.len() - 1];
    let r = restored_app
        .client
        .get(restored_app.url(&format!("/api/v1/payments/{id}")))
        .bearer_auth(&sec)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["receipt_no"], receipt.as_str());
}

/// Rewrite a backup's archive, changing its manifest with `edit` (and leaving every other
/// entry as it was).
fn with_manifest(file: &Path, out: &Path, edit: impl Fn(&mut Value)) {
    let mut archive = tar::Archive::new(std::fs::File::open(file).unwrap());
    let mut builder = tar::Builder::new(std::fs::File::create(out).unwrap());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = vec![];
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if name == "manifest.json" {
            let mut v: Value = serde_json::from_slice(&bytes).unwrap();
            edit(&mut v);
            bytes = serde_json::to_vec(&v).unwrap();
        }
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o600);
        builder
            .append_data(&mut h, &name, bytes.as_slice())
            .unwrap();
    }
    builder.finish().unwrap();
}

fn verify_fails(config: &Config, file: &Path, says: &str) {
    let r = backup::verify(config, file, &mut Quiet).unwrap();
    assert!(!r.ok(), "{} should not verify", file.display());
    let f = failed(&r.checks).join("\n");
    assert!(f.contains(says), "{says:?} not in:\n{f}");
}

/// A flipped byte in the database, a truncated file, a manifest edited to hide a changed
/// payment, a file that is not a backup, and an archive with a path leading out of its
/// folder are all caught, with a line that says what is wrong; restore refuses them.
#[tokio::test]
async fn verify_detects_damaged_and_tampered_backups() {
    let app = billed_demo().await;
    if pg_dump_missing(&app.config) {
        return;
    }
    put_photos(&app.config);
    let config = app.config.clone();
    let made = backup::make(&config, Kind::Manual, None, now(), &mut Quiet).unwrap();
    let good = made.file.path.clone();
    assert!(backup::verify(&config, &good, &mut Quiet).unwrap().ok());
    let work = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let db_entry = &made.manifest.database;

    // one byte of the database changed (its data starts after the 512-byte header)
    let flipped = work.path().join("flipped.tar");
    let mut b = bytes.clone();
    b[512 + 3000] ^= 0x55;
    std::fs::write(&flipped, &b).unwrap();
    verify_fails(
        &config,
        &flipped,
        &format!("{db_entry} differs from the manifest"),
    );

    // a photo changed
    let photo = made.manifest.photos().next().unwrap().clone();
    let pos = bytes
        .windows(photo.path.len())
        .position(|w| w == photo.path.as_bytes())
        .unwrap();
    let header_start = pos - pos % 512;
    let mut b = bytes.clone();
    b[header_start + 512 + 10] ^= 0xff;
    let changed_photo = work.path().join("photo.tar");
    std::fs::write(&changed_photo, &b).unwrap();
    verify_fails(&config, &changed_photo, &photo.path);

    // cut short
    let truncated = work.path().join("truncated.tar");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let r = backup::verify(&config, &truncated, &mut Quiet).unwrap();
    assert!(!r.ok());

    // not a backup at all
    let junk = work.path().join("junk.tar");
    std::fs::write(&junk, b"this is not a tar file, just some words").unwrap();
    assert!(!backup::verify(&config, &junk, &mut Quiet).unwrap().ok());

    // an entry pointing out of the extraction folder
    let evil = work.path().join("evil.tar");
    {
        let mut builder = tar::Builder::new(std::fs::File::create(&evil).unwrap());
        let mut h = tar::Header::new_gnu();
        h.set_size(4);
        h.set_mode(0o600);
        // set_path refuses `..`; write the name into the header by hand
        h.as_gnu_mut().unwrap().name[..11].copy_from_slice(b"../evil.txt");
        h.set_cksum();
        builder.append(&h, &b"evil"[..]).unwrap();
        builder.finish().unwrap();
    }
    verify_fails(&config, &evil, "which no backup holds");
    assert!(!std::env::temp_dir().join("evil.txt").exists());

    // the manifest says one payment fewer, its sum ₹10 less: the counts disagree (on
    // PostgreSQL, when the dump is restored)
    let tampered = work.path().join("tampered.tar");
    with_manifest(&good, &tampered, |m| {
        for t in m["tables"].as_array_mut().unwrap() {
            if t["table"] == "payments" {
                t["rows"] = json!(t["rows"].as_i64().unwrap() - 1);
                let s = t["sums"]["amount_paise"].as_i64().unwrap();
                t["sums"]["amount_paise"] = json!(s - 1000);
            }
        }
    });
    let target_dir = tempfile::tempdir().unwrap();
    let (target, _target_db) = empty_target(&app, target_dir.path());
    if made.manifest.backend == "sqlite" {
        verify_fails(&config, &tampered, "payments: the copy has");
    } else {
        let e = backup::restore(&target, &tampered, false, now(), &mut Quiet)
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not match the backup's manifest"), "{e}");
    }

    // the checksums of a manifest from another backup do not fit
    let other = work.path().join("other.tar");
    with_manifest(&good, &other, |m| {
        m["files"][0]["sha256"] = json!("0".repeat(64));
    });
    verify_fails(&config, &other, "differs from the manifest");

    // restore refuses a damaged backup and writes nothing
    let (target, _target_db2) = empty_target(&app, &target_dir.path().join("2"));
    let e = backup::restore(&target, &flipped, false, now(), &mut Quiet)
        .unwrap_err()
        .to_string();
    assert!(e.contains("did not pass its checks"), "{e}");
    assert!(!Path::new(&target.storage.photos_dir).exists());
    if made.manifest.backend == "sqlite" {
        assert!(!target_dir.path().join("2/paani.db").exists());
    }
}

/// Restore goes into an empty database: into one that has data it refuses and says how to
/// go on; with --force it replaces it (SQLite: the old file kept beside it, renamed).
#[tokio::test]
async fn restore_refuses_to_overwrite_without_force() {
    let app = billed_demo().await;
    if pg_dump_missing(&app.config) {
        return;
    }
    put_photos(&app.config);
    let made = backup::make(&app.config, Kind::Manual, None, now(), &mut Quiet).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (target, _target_db) = empty_target(&app, dir.path());
    backup::restore(&target, &made.file.path, false, now(), &mut Quiet).unwrap();

    // the database is there now
    let e = backup::restore(&target, &made.file.path, false, now(), &mut Quiet)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("there is already") && e.contains("--force"),
        "{e}"
    );

    // a database elsewhere, but photos in the folder
    let mut elsewhere = target.clone();
    let other_db = TestDb::new();
    elsewhere.database.url = match other_db.backend() {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("other.db").display()),
        Backend::Postgres => other_db.url.clone(),
    };
    let e = backup::restore(&elsewhere, &made.file.path, false, now(), &mut Quiet)
        .unwrap_err()
        .to_string();
    assert!(e.contains("is not empty") && e.contains("--force"), "{e}");

    // a change made after the restore is undone by restoring again with --force
    let db = Db::connect(&target.database).unwrap();
    let before: i64 = payments::table
        .count()
        .get_result(&mut *db.conn().unwrap())
        .unwrap();
    diesel::update(payments::table.filter(payments::id.eq(1)))
        .set(payments::amount_paise.eq(12_345_678))
        .execute(&mut *db.conn().unwrap())
        .unwrap();
    drop(db);
    let r = backup::restore(&target, &made.file.path, true, now(), &mut Quiet).unwrap();
    let db = Db::connect(&target.database).unwrap();
    let mut c = db.conn().unwrap();
    let after: i64 = payments::table.count().get_result(&mut *c).unwrap();
    let amount: i64 = payments::table
        .find(1)
        .select(payments::amount_paise)
        .first(&mut *c)
        .unwrap();
    assert_eq!(after, before);
    assert_ne!(
        amount, 12_345_678,
        "the backup's rows replaced the changed ones"
    );
    if made.manifest.backend == "sqlite" {
        let aside = r.moved_aside.expect("the replaced database is kept");
        assert!(aside.exists(), "{}", aside.display());
        assert!(aside.display().to_string().contains("paani.db.replaced-"));
    }
}

/// The `paani` binary with only the environment given here (and none of the caller's
/// PAANI_ settings).
fn paani(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_paani"));
    cmd.args(args).current_dir(cwd).env("RUST_LOG", "error");
    for (k, _) in std::env::vars() {
        if k.starts_with("PAANI_") || k == "DATABASE_URL" {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A database one migration behind this binary, in use (the demo data set): `paani migrate`
/// backs it up first, says where on stderr, then migrates; the backup verifies and holds
/// the database as it was (the older migration). A new database, and one up to date, get
/// no backup.
#[test]
fn migrate_backs_up_a_database_in_use_before_migrating_it() {
    let tdb = TestDb::new();
    let files = tempfile::tempdir().unwrap();
    let config = test_config(&tdb.url);
    if pg_dump_missing(&config) {
        return;
    }
    let backups = files.path().join("backups");
    let env = [
        ("DATABASE_URL", tdb.url.as_str()),
        ("PAANI__STORAGE__DATA_DIR", files.path().to_str().unwrap()),
    ];
    // a new database: migrated, nothing to back up
    let (ok, _, err) = paani(&["migrate"], &env, files.path());
    assert!(ok, "{err}");
    assert!(backup::list(&backups).unwrap().is_empty(), "{err}");

    let (reverted, previous) = {
        let db = Db::connect(&config.database).unwrap();
        let clock = paani::clock::Clock::system();
        paani::demo::seed(&db, &clock).unwrap();
        paani::demo::seed_billing(&db, &clock).unwrap();
        let mut c = db.conn().unwrap();
        use diesel_migrations::MigrationHarness;
        let reverted = match &mut *c {
            paani::db::DbConn::Sqlite(c) => c
                .revert_last_migration(paani::db::SQLITE_MIGRATIONS)
                .unwrap()
                .to_string(),
            paani::db::DbConn::Pg(c) => c
                .revert_last_migration(paani::db::POSTGRES_MIGRATIONS)
                .unwrap()
                .to_string(),
        };
        let (applied, pending) = paani::db::migration_status(&mut c).unwrap();
        assert_eq!(pending, vec![reverted.clone()]);
        (reverted, applied.last().unwrap().clone())
    };

    let (ok, out, err) = paani(&["migrate"], &env, files.path());
    assert!(ok, "{out}\n{err}");
    let made = backup::list(&backups).unwrap();
    assert_eq!(made.len(), 1, "{err}");
    let b = &made[0];
    assert_eq!(b.kind, Kind::PreMigration);
    assert!(
        err.contains("backed up first to") && err.contains(&b.path.display().to_string()),
        "{err}"
    );
    assert!(out.contains(&format!("applied {reverted}")), "{out}");
    let mut config_here = config.clone();
    config_here.storage.data_dir = files.path().display().to_string();
    let report = backup::verify(&config_here, &b.path, &mut Quiet).unwrap();
    assert!(report.ok(), "{:?}", report.checks);
    let m = report.manifest.unwrap();
    assert_eq!(m.kind, "premigration");
    assert_eq!(m.migration.as_deref(), Some(previous.as_str()));
    assert!(m.table("payments").unwrap().rows > 0);

    // up to date now: no second backup
    let (ok, out, err) = paani(&["migrate"], &env, files.path());
    assert!(ok && out.contains("up to date"), "{out}\n{err}");
    assert_eq!(backup::list(&backups).unwrap().len(), 1);
}

/// The scheduler takes the day's backup at its first sweep after `backup.daily_at` (India
/// time), once a day, and deletes the daily backups past keep_daily / keep_monthly; other
/// kinds stay.
#[tokio::test]
async fn the_scheduler_backs_up_once_a_day_after_its_time_and_prunes() {
    let app = TestApp::spawn().await;
    if pg_dump_missing(&app.config) {
        return;
    }
    let mut config = app.config.clone();
    config.mail.transport = "memory".into();
    config.backup.enabled = true;
    config.backup.daily_at = "02:30".into();
    config.backup.keep_daily = 3;
    config.backup.keep_monthly = 2;
    let dir = PathBuf::from(&config.backup.dir);
    std::fs::create_dir_all(&dir).unwrap();
    // older backups: one a day from 1 to 20 February (India), and a manual one
    let utc = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    for d in 1..=20 {
        let t = utc("2027-01-31 21:00") + chrono::Duration::days(d - 1);
        std::fs::write(dir.join(backup::file_name(t, Kind::Daily)), b"old").unwrap();
    }
    let manual = dir.join(backup::file_name(utc("2027-01-15 06:00"), Kind::Manual));
    std::fs::write(&manual, b"mine").unwrap();
    let mailer = paani::mail::Mailer::new(&config).unwrap();
    let sweep = |at: &str| {
        let r =
            paani::jobs::run(&app.db, &config, &mailer, utc(at), "cli", None, |_, _| {}).unwrap();
        assert_eq!(r.status, "ok", "{:?}", r.errors);
        r.counts[paani::jobs::BACKUP_JOB].clone()
    };
    // 1 March, 01:30 in India: not yet
    let c = sweep("2027-02-28 20:00");
    assert_eq!(c.skipped, Some(true));
    // 03:00 in India: made, and the old ones pruned
    let c = sweep("2027-02-28 21:30");
    assert_eq!(c.done, Some(1));
    let left: Vec<String> = backup::list(&dir)
        .unwrap()
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        [
            "paani-20270115-113000-manual.tar",
            "paani-20270219-023000-daily.tar",
            "paani-20270220-023000-daily.tar",
            "paani-20270301-030000-daily.tar",
        ]
    );
    assert_eq!(c.removed, Some(18));
    let newest = backup::latest(&config).unwrap();
    assert_eq!(newest.made_at, utc("2027-02-28 21:30"));
    assert_eq!(newest.kind, Kind::Daily);
    assert!(backup::verify(&config, &newest.path, &mut Quiet)
        .unwrap()
        .ok());
    // later the same day: already made
    let c = sweep("2027-03-01 10:00");
    assert_eq!(c.skipped, Some(true));
    assert_eq!(backup::list(&dir).unwrap().len(), 4);
    // asked for by name, it runs again
    let r = paani::jobs::run(
        &app.db,
        &config,
        &mailer,
        utc("2027-03-01 10:05"),
        "cli",
        Some(paani::jobs::BACKUP_JOB),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(r.counts[paani::jobs::BACKUP_JOB].done, Some(1));
    // the next day, after 02:30
    let c = sweep("2027-03-01 21:05");
    assert_eq!(c.done, Some(1));
    assert_eq!(
        backup::latest(&config).unwrap().made_at,
        utc("2027-03-01 21:05")
    );
    assert!(manual.exists(), "a manual backup is never pruned");
}

/// With relative settings, everything lives under `storage.data_dir`, readable by Paani's
/// user only: the folder, the database, the backups. `check-config` shows where.
#[cfg(unix)]
#[test]
fn files_under_the_data_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    if TestDb::new().backend() == Backend::Postgres {
        return; // the database is not a file
    }
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("var/paani");
    let data_dir = data.to_str().unwrap();
    let env = [("PAANI__STORAGE__DATA_DIR", data_dir)];
    let (ok, out, err) = paani(&["check-config"], &env, work.path());
    assert!(ok, "{err}");
    for line in [
        format!("database     {data_dir}/paani.db"),
        format!("photos       {data_dir}/photos"),
        format!("mail outbox  {data_dir}/outbox"),
        format!("backups      {data_dir}/backups"),
    ] {
        assert!(out.contains(&line), "{line:?} not in:\n{out}");
    }
    let (ok, _, err) = paani(&["demo"], &env, work.path());
    assert!(ok, "{err}");
    let (ok, out, err) = paani(&["backup"], &env, work.path());
    assert!(ok, "{out}\n{err}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("paani.db")), 0o600);
    assert_eq!(mode(&data.join("backups")), 0o700);
    let made = backup::list(&data.join("backups")).unwrap();
    assert_eq!(made.len(), 1, "{err}");
    assert_eq!(mode(&made[0].path), 0o600);
    // nothing is left in the working folder
    let names: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["var"]);
    // verify, in the binary's words and exit code
    let file = made[0].path.to_str().unwrap();
    let (ok, out, _) = paani(&["backup", "--verify", file], &env, work.path());
    assert!(ok && out.contains("The backup is good."), "{out}");
    let mut b = std::fs::read(&made[0].path).unwrap();
    b[512 + 100] ^= 1;
    std::fs::write(&made[0].path, &b).unwrap();
    let (ok, out, err) = paani(&["backup", "--verify", file], &env, work.path());
    assert!(
        !ok && out.contains("FAIL") && err.contains("NOT good"),
        "{out}\n{err}"
    );

    // in-process too (the test process keeps its own umask): a new database file is private
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(&format!("sqlite://{}/sub/p.db", dir.path().display()));
    config.storage.data_dir = dir.path().display().to_string();
    let _db = Db::connect(&config.database).unwrap();
    assert_eq!(mode(&dir.path().join("sub")), 0o700);
    assert_eq!(mode(&dir.path().join("sub/p.db")), 0o600);
}

/// On PostgreSQL without pg_dump, `paani backup` says what to install and where to say it
/// is; the password never shows.
#[test]
fn a_missing_pg_dump_is_explained() {
    let tdb = TestDb::new();
    if tdb.backend() != Backend::Postgres {
        return;
    }
    let nowhere = tempfile::tempdir().unwrap();
    let mut config = test_config(&tdb.url);
    config.backup.pg_bin_dir = nowhere.path().display().to_string();
    config.backup.dir = nowhere.path().join("b").display().to_string();
    let e = backup::make(&config, Kind::Manual, None, now(), &mut Quiet)
        .unwrap_err()
        .to_string();
    assert!(e.contains("pg_dump was not found in"), "{e}");
    assert!(
        e.contains("postgresql-client") && e.contains("backup.pg_bin_dir"),
        "{e}"
    );
    assert!(backup::list(Path::new(&config.backup.dir))
        .unwrap()
        .is_empty());
}
