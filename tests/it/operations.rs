//! Running Paani for real (issue 23): the admin commands (`paani --version`, `user list`,
//! `user disable`, `migrate --status`), the public address (`server.base_url`) and the
//! deployment kit's systemd unit.

use crate::helpers::*;
use reqwest::StatusCode;
use std::process::{Command, Output};

/// The real binary against the test's database.
fn paani(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paani"))
        .args(args)
        .args(["--database", &app.test_db.url])
        .env("RUST_LOG", "error")
        .output()
        .expect("run paani")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let out = Command::new(env!("CARGO_BIN_EXE_paani"))
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success());
    assert!(
        text.starts_with(&format!("paani {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let commit = text
        .split("(commit ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap();
    // a checkout builds with its commit's hash; outside git, "unknown"
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
    let date = text
        .split(", built ")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches(')');
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{text}"
    );
}

#[tokio::test]
async fn user_list_filters_by_role_and_place_and_disable_ends_access() {
    let app = TestApp::with_demo().await;
    let all = stdout(&paani(&app, &["user", "list"]));
    for name in crate::helpers::ROLES {
        assert!(
            all.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name}: {all}"
        );
    }
    assert!(all.trim_end().ends_with("6 account(s)"), "{all}");
    // by role; by place: the GP Banapura holds the secretary and the member, its block the
    // engineer too, and nothing is in Shivpur
    let secretaries = stdout(&paani(&app, &["user", "list", "--role", "secretary"]));
    assert!(secretaries.contains("secretary"), "{secretaries}");
    assert!(
        secretaries.trim_end().ends_with("1 account(s)"),
        "{secretaries}"
    );
    let gp = stdout(&paani(&app, &["user", "list", "--place", "23010101"]));
    assert!(gp.trim_end().ends_with("2 account(s)"), "{gp}");
    assert!(gp.contains("Banapura (23010101)"), "{gp}");
    let block = stdout(&paani(&app, &["user", "list", "--place", "230101"]));
    assert!(block.trim_end().ends_with("3 account(s)"), "{block}");
    let none = stdout(&paani(&app, &["user", "list", "--place", "23010102"]));
    assert!(none.trim_end().ends_with("0 account(s)"), "{none}");
    let out = paani(&app, &["user", "list", "--place", "99999999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("99999999"));
    let out = paani(&app, &["user", "list", "--role", "king"]);
    assert!(!out.status.success());

    // disable: the session in use ends, the token stops working, log-in is refused
    let browser = app.login_as("member").await;
    let token = app.api_token("member").await;
    let (s, _) = browser.get_text("/tasks").await;
    assert_eq!(s, StatusCode::OK);
    let out = stdout(&paani(&app, &["user", "disable", "member"]));
    assert!(out.contains("Disabled member; 1 session(s) ended"), "{out}");
    let res = browser.get("/tasks").await;
    assert_eq!(location(&res), "/login?next=%2Ftasks");
    let res = app
        .client
        .get(app.url("/api/v1/maintenance/tasks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app.browser().login("member", DEMO_PASSWORD).await;
    assert_ne!(res.status(), StatusCode::SEE_OTHER);
    // listed as disabled only with --all; the audit log names the command line
    let active = stdout(&paani(&app, &["user", "list"]));
    assert!(
        !active.lines().any(|l| l.starts_with("member ")),
        "{active}"
    );
    let with_all = stdout(&paani(&app, &["user", "list", "--all"]));
    let line = with_all
        .lines()
        .find(|l| l.starts_with("member "))
        .expect("member listed");
    assert!(line.contains(" no "), "{line}");
    {
        use diesel::prelude::*;
        use paani::db::schema::audit_log as al;
        let summaries: Vec<String> = al::table
            .filter(al::entity.eq("user"))
            .select(al::summary)
            .load(&mut *app.conn())
            .unwrap();
        assert!(
            summaries.contains(&"member from the command line".to_string()),
            "{summaries:?}"
        );
    }
    // the last admin stays
    let out = paani(&app, &["user", "disable", "admin"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("last active administrator"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = paani(&app, &["user", "disable", "nobody"]);
    assert!(!out.status.success());
}

#[tokio::test]
async fn migrate_status_lists_applied_and_pending() {
    let app = TestApp::spawn().await;
    let out = stdout(&paani(&app, &["migrate", "--status"]));
    let lines: Vec<&str> = out.lines().collect();
    let migrations = &lines[..lines.len() - 1];
    assert!(migrations.len() > 10, "{out}");
    assert!(
        migrations.iter().all(|l| l.starts_with("applied  ")),
        "{out}"
    );
    assert!(lines.last().unwrap().contains("; 0 pending"), "{out}");
    // names in order, each once
    let mut sorted = migrations.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), migrations.len());

    // a database with the last migration reverted shows it pending, and --status changes
    // nothing
    {
        let mut conn = app.conn();
        paani::db::revert_last_migration(&mut conn).unwrap();
    }
    let out = stdout(&paani(&app, &["migrate", "--status"]));
    let last = out.lines().nth(migrations.len() - 1).unwrap();
    assert!(last.starts_with("pending  "), "{out}");
    assert!(out.contains("; 1 pending"), "{out}");
    let again = stdout(&paani(&app, &["migrate", "--status"]));
    assert!(again.contains("; 1 pending"), "{again}");
    let out = stdout(&paani(&app, &["migrate"]));
    assert!(out.contains("applied"), "{out}");
    let out = stdout(&paani(&app, &["migrate", "--status"]));
    assert!(out.contains("; 0 pending"), "{out}");
}

#[test]
fn a_missing_or_loopback_base_url_is_found() {
    use paani::config::{BaseUrlProblem, Config, Sources};
    let with = |pairs: &[(&str, &str)]| {
        Config::load(&Sources {
            file: None,
            env: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    };
    let problem = |listen: &str, base: &str| {
        with(&[
            ("PAANI__SERVER__LISTEN", listen),
            ("PAANI__SERVER__BASE_URL", base),
        ])
        .unwrap()
        .base_url_problem()
    };
    assert_eq!(problem("127.0.0.1:8080", ""), Some(BaseUrlProblem::Missing));
    assert_eq!(problem("0.0.0.0:8080", ""), Some(BaseUrlProblem::Missing));
    for base in [
        "http://localhost:8080",
        "http://127.0.0.1:8080/",
        "http://[::1]:8080",
    ] {
        assert_eq!(
            problem("0.0.0.0:8080", base),
            Some(BaseUrlProblem::Loopback),
            "{base}"
        );
        assert_eq!(problem("[::]:8080", base), Some(BaseUrlProblem::Loopback));
        // on this machine only: a loopback address is right
        assert_eq!(problem("127.0.0.1:8080", base), None, "{base}");
    }
    assert_eq!(problem("0.0.0.0:8080", "https://paani.example.org"), None);
    assert_eq!(
        problem("127.0.0.1:8080", "https://paani.example.org/jal"),
        None
    );
    // the warning names the address links would carry
    let c = with(&[("PAANI__SERVER__LISTEN", "0.0.0.0:8080")]).unwrap();
    let w = c.warnings().join("\n");
    assert!(w.contains("server.base_url is not set"), "{w}");
    assert!(w.contains("http://127.0.0.1:8080"), "{w}");
    // not a URL people can open: refused at start
    for bad in [
        "paani.example.org",
        "ftp://x.org",
        "https://x.org/?a=1",
        "https://",
    ] {
        let e = with(&[("PAANI__SERVER__BASE_URL", bad)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("server.base_url"), "{bad}: {e}");
    }
}

#[tokio::test]
async fn admins_see_a_missing_base_url_on_every_page_others_do_not() {
    let app = TestApp::spawn_with(|c| c.server.base_url = String::new()).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let admin = app.login_as("admin").await;
    for path in ["/", "/admin/users", "/admin/jobs"] {
        let (s, body) = admin.get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(body.contains("setup-warning"), "{path}");
        assert!(body.contains("server.base_url"), "{path}");
    }
    let (_, body) = admin.get_text("/?lang=hi").await;
    assert!(body.contains("सार्वजनिक पता (server.base_url) सेट नहीं है"));
    let secretary = app.login_as("secretary").await;
    let (_, body) = secretary.get_text("/").await;
    assert!(!body.contains("setup-warning"));

    // with the address set, no warning, and shared links use it
    let app = TestApp::spawn_with(|c| c.server.base_url = "https://paani.example.org".into()).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let admin = app.login_as("admin").await;
    let (_, body) = admin.get_text("/").await;
    assert!(!body.contains("setup-warning"));
}

/// `systemd-analyze verify` on the deployment kit's unit, pointed at this build's binary (the
/// check wants the programs it names to exist). Skipped where systemd-analyze is missing.
#[test]
fn the_systemd_unit_verifies() {
    let Ok(which) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("systemd-analyze is not installed: the unit is not checked");
        return;
    };
    assert!(which.status.success());
    let unit =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/paani.service"))
            .unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/paani serve"));
    for needed in [
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/paani",
        "Restart=on-failure",
        "User=paani",
        "NoNewPrivileges=yes",
        "UMask=0077",
    ] {
        assert!(unit.contains(needed), "{needed}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paani.service");
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/paani", env!("CARGO_BIN_EXE_paani")),
    )
    .unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // the unit's own lines only: a container without systemd as PID 1 adds notes of its own
    let about_unit: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("paani.service"))
        .collect();
    assert!(about_unit.is_empty(), "{said}");
}
