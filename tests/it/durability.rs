//! Durability: a payment acknowledged to the client (201) is still there after the server
//! process is killed with SIGKILL and started again on the same database.
//!
//! Unlike the other tests this one runs the real `paani` binary (`paani serve`) as a child
//! process, so the kill is a real one: no destructors, no graceful shutdown, no pool flush. It
//! records payments one after another, kills the server right after the last 201, restarts it
//! and checks over HTTP and in the database that every acknowledged receipt is there with the
//! number it was acknowledged with, and that the next receipt continues the sequence.
//!
//! The server runs with the built-in database settings: on SQLite that is WAL with
//! `synchronous = FULL` (`database.sqlite_synchronous` in config/default.toml), which is what
//! makes a commit survive a power cut as well. A SIGKILL cannot show that part (the operating
//! system still writes out its cache); what it shows is that the server answers 201 only after
//! the commit, and that the database recovers its log after an unclean stop. The test asserts
//! that the default is still FULL, so changing it fails here first.

use crate::helpers::{test_config, TestDb, DEMO_PASSWORD};
use diesel::prelude::*;
use paani::db::schema::{payments, receipt_counters};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Banapura GP of the demo data set; its secretary records the payments.
const GP: i64 = 23010101;
const VILLAGE: i64 = 2301010101;
/// Payments recorded (one after another, each acknowledged) before the kill.
const PAYMENTS: usize = 20;
/// A fixed day, so the financial year (and so the sequence) cannot change during the test.
const PAID_ON: &str = "2026-06-15";
const FY: &str = "2026-27";

/// A `paani serve` child process; killed and reaped when dropped, so a failing test leaves
/// no server behind. The server's output goes to a log file, printed if the test fails.
struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Server {
    /// Start `paani serve` on a free port against `db_url`, with files under `files`, and
    /// wait until it answers.
    async fn start(db_url: &str, files: &Path, name: &str) -> Server {
        let port = free_port();
        let log = files.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("server log");
        let err = out.try_clone().expect("server log");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_paani"));
        cmd.arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"));
        // Only what is set here: no configuration file or overrides from the environment
        // of whoever runs the tests (the database settings must be the built-in defaults).
        for (k, _) in std::env::vars() {
            if k.starts_with("PAANI_") || k == "DATABASE_URL" {
                cmd.env_remove(k);
            }
        }
        cmd.env("DATABASE_URL", db_url)
            .env("PAANI__STORAGE__DATA_DIR", files.as_os_str())
            .env(
                "PAANI__STORAGE__PHOTOS_DIR",
                files.join("photos").to_string_lossy().as_ref(),
            )
            .env(
                "PAANI__MAIL__FILE_DIR",
                files.join("outbox").to_string_lossy().as_ref(),
            )
            .env("PAANI__DATABASE__POOL_SIZE", "4")
            .env("PAANI__SERVER__WORKERS", "2")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child = cmd.spawn().expect("start paani serve");
        let mut server = Server {
            child,
            addr: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready().await;
        server
    }

    /// Poll `GET /login` until it answers 200 (the server has migrated, bound and serves),
    /// for at most 30 seconds; fail at once if the process exits.
    async fn wait_ready(&mut self) {
        let client = client();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the server process") {
                panic!(
                    "paani serve exited before it was ready ({status}):\n{}",
                    self.log_text()
                );
            }
            if let Ok(r) = client.get(self.url("/login")).send().await {
                if r.status() == StatusCode::OK {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "paani serve was not ready within 30 s:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL (what `Child::kill` sends on Unix) and reap the process.
    fn kill(mut self) {
        self.child.kill().expect("kill paani serve");
        let status = self.child.wait().expect("reap paani serve");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status}");
        }
        #[cfg(not(unix))]
        let _ = status;
        // Drop runs next: killing an exited child again is harmless.
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- paani serve log ({}) ---", self.log.display());
            eprintln!("{}", self.log_text());
        }
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().unwrap().port()
}

fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn token(client: &Client, server: &Server, username: &str) -> String {
    let r = client
        .post(server.url("/api/v1/auth/token"))
        .json(&json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["token"].as_str().expect("token").to_string()
}

/// A payment of ₹50 for `household` with this idempotency key: (status, body).
async fn pay(
    client: &Client,
    server: &Server,
    token: &str,
    household: i64,
    key: &str,
) -> (StatusCode, Value) {
    let r = client
        .post(server.url("/api/v1/payments"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({"household_id": household, "amount": "50", "paid_on": PAID_ON}))
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn receipt_no(seq: i64) -> String {
    format!("{GP}/{FY}/{seq:06}")
}

#[tokio::test]
async fn acknowledged_payments_survive_a_killed_server() {
    // The guarantee under test rests on the default; see the module comment.
    assert_eq!(
        paani::config::Config::defaults()
            .database
            .sqlite_synchronous
            .to_ascii_uppercase(),
        "FULL",
        "database.sqlite_synchronous must default to FULL"
    );

    // Dropped last: the database outlives the server guards below.
    let test_db = TestDb::new();
    let files = tempfile::tempdir().expect("temp dir");

    // Seed the demo data set in-process, then let go of the pool before the server starts.
    let village_id = {
        let db = paani::db::Db::connect(&test_config(&test_db.url).database).expect("connect");
        db.migrate().expect("migrate");
        paani::demo::seed(&db, &paani::clock::Clock::system()).expect("demo seed");
        let mut c = db.conn().unwrap();
        paani::places::model::by_lgd(&mut c, paani::places::Level::Village, VILLAGE)
            .unwrap()
            .expect("demo village")
            .id
    };

    let client = client();
    let server = Server::start(&test_db.url, files.path(), "first").await;
    let sec = token(&client, &server, "secretary").await;
    let r = client
        .post(server.url("/api/v1/households"))
        .bearer_auth(&sec)
        .json(
            &json!({"village_id": village_id.to_string(), "connection_no": "D-1",
            "head_name": "Head D-1", "category": "general", "connected_on": "2026-01-05",
            "phone": "9826012345"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let h: Value = r.json().await.unwrap();
    let (household, gp_id) = (
        h["id"].as_i64().expect("household id"),
        h["gp_id"].as_i64().expect("household gp_id"),
    );

    // (id, receipt number, key) of every acknowledged payment, in order.
    let mut acknowledged: Vec<(i64, String, String)> = Vec::new();
    for i in 1..=PAYMENTS {
        let key = format!("durability-{i}");
        let (s, p) = pay(&client, &server, &sec, household, &key).await;
        assert_eq!(s, StatusCode::CREATED, "payment {i}: {p}");
        assert_eq!(p["seq"], i as i64, "{p}");
        assert_eq!(p["receipt_no"], receipt_no(i as i64), "{p}");
        assert_eq!(p["fy"], FY, "{p}");
        acknowledged.push((
            p["id"].as_i64().expect("payment id"),
            p["receipt_no"].as_str().unwrap().to_string(),
            key,
        ));
    }
    // Right after the last acknowledgement: no shutdown, no chance to flush anything.
    server.kill();

    let server = Server::start(&test_db.url, files.path(), "second").await;
    // The token was stored too, so the same one still works.
    for (id, receipt, _) in &acknowledged {
        let r = client
            .get(server.url(&format!("/api/v1/payments/{id}")))
            .bearer_auth(&sec)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "payment {id} after the restart");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["receipt_no"], receipt.as_str(), "{p}");
        assert_eq!(p["amount_paise"], 5000, "{p}");
        assert!(p["cancelled_at"].is_null(), "{p}");
    }

    // The same, straight from the database: the GP's year holds exactly these receipts, and
    // its counter stands at the last one.
    {
        let db = paani::db::Db::connect(&test_config(&test_db.url).database).expect("connect");
        let mut c = db.conn().unwrap();
        let rows: Vec<(i64, String, i64)> = payments::table
            .filter(payments::gp_id.eq(gp_id))
            .filter(payments::fy.eq(FY))
            .order(payments::seq.asc())
            .select((payments::id, payments::receipt_no, payments::seq))
            .load(&mut *c)
            .unwrap();
        let expected: Vec<(i64, String, i64)> = acknowledged
            .iter()
            .zip(1..)
            .map(|((id, receipt, _), seq)| (*id, receipt.clone(), seq))
            .collect();
        assert_eq!(rows, expected);
        let last: i64 = receipt_counters::table
            .filter(receipt_counters::gp_id.eq(gp_id))
            .filter(receipt_counters::fy.eq(FY))
            .select(receipt_counters::last_number)
            .first(&mut *c)
            .unwrap();
        assert_eq!(last, PAYMENTS as i64);
    }

    // A retry of the last request (the phone never saw the 201) gets the same payment back.
    let (last_id, last_receipt, last_key) = acknowledged.last().unwrap().clone();
    let (s, p) = pay(&client, &server, &sec, household, &last_key).await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "the first answer, after the restart: {p}"
    );
    assert_eq!(p["id"], last_id);
    assert_eq!(p["receipt_no"], last_receipt.as_str());

    // The next payment continues the sequence: no gap, no reuse.
    let (s, p) = pay(&client, &server, &sec, household, "durability-next").await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let next = PAYMENTS as i64 + 1;
    assert_eq!(p["seq"], next, "{p}");
    assert_eq!(p["receipt_no"], receipt_no(next), "{p}");
}
