use crate::helpers::TestDb;
use diesel::prelude::*;
use paani::db::{revert_all_migrations, run_migrations, Db};
use std::collections::BTreeSet;

fn names(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let s = names("migrations/sqlite");
    let p = names("migrations/postgres");
    assert!(!s.is_empty());
    assert_eq!(
        s, p,
        "migrations/sqlite and migrations/postgres must hold the same names"
    );
    for n in &s {
        for backend in ["sqlite", "postgres"] {
            for f in ["up.sql", "down.sql"] {
                let path = format!("migrations/{backend}/{n}/{f}");
                assert!(std::path::Path::new(&path).exists(), "{path} missing");
            }
        }
    }
}

#[test]
fn migrations_go_up_down_and_up_again() {
    let tdb = TestDb::new();
    let config = crate::helpers::test_config(&tdb.url);
    let db = Db::connect(&config.database).unwrap();
    assert_eq!(db.backend(), tdb.backend());
    let mut conn = db.conn().unwrap();
    let up = run_migrations(&mut conn).unwrap();
    assert!(!up.is_empty());
    let down = revert_all_migrations(&mut conn).unwrap();
    assert_eq!(up.len(), down.len());
    // the tables are gone
    let gone = paani::on_backend!(&mut *conn, |c| diesel::sql_query("SELECT 1 FROM users")
        .execute(c));
    assert!(gone.is_err(), "users table should be dropped");
    let again = run_migrations(&mut conn).unwrap();
    assert_eq!(up, again);
    assert!(
        run_migrations(&mut conn).unwrap().is_empty(),
        "second run applies nothing"
    );
}

#[test]
fn sqlite_pragmas_are_applied() {
    let dir = tempfile::tempdir().unwrap();
    let mut config =
        crate::helpers::test_config(&format!("sqlite://{}/x/y.db", dir.path().display()));
    config.database.sqlite_synchronous = "NORMAL".into();
    let db = Db::connect(&config.database).unwrap();
    let mut conn = db.conn().unwrap();
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    #[derive(QueryableByName)]
    struct I {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    let paani::db::DbConn::Sqlite(c) = &mut *conn else {
        panic!("sqlite expected")
    };
    let jm: V = diesel::sql_query("SELECT journal_mode AS v FROM pragma_journal_mode")
        .get_result(c)
        .unwrap();
    assert_eq!(jm.v.to_lowercase(), "wal");
    let fk: I = diesel::sql_query("SELECT foreign_keys AS v FROM pragma_foreign_keys")
        .get_result(c)
        .unwrap();
    assert_eq!(fk.v, 1);
    let sync: I = diesel::sql_query("SELECT synchronous AS v FROM pragma_synchronous")
        .get_result(c)
        .unwrap();
    assert_eq!(sync.v, 1, "NORMAL is 1");
    let bt: I = diesel::sql_query("SELECT timeout AS v FROM pragma_busy_timeout")
        .get_result(c)
        .unwrap();
    assert_eq!(bt.v, 5000);
    assert!(
        dir.path().join("x/y.db").exists(),
        "folder and file are created"
    );
}

#[test]
fn sqlite_defaults_to_synchronous_full() {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::helpers::test_config(&format!("sqlite://{}/d.db", dir.path().display()));
    let db = Db::connect(&config.database).unwrap();
    let mut conn = db.conn().unwrap();
    #[derive(QueryableByName)]
    struct I {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    let paani::db::DbConn::Sqlite(c) = &mut *conn else {
        panic!()
    };
    let sync: I = diesel::sql_query("SELECT synchronous AS v FROM pragma_synchronous")
        .get_result(c)
        .unwrap();
    assert_eq!(sync.v, 2, "FULL is 2");
}

#[test]
fn postgres_that_is_down_reports_its_real_error_at_once() {
    let mut config = crate::helpers::test_config("postgres://nobody@127.0.0.1:1/nothing");
    config.database.connect_timeout_secs = 30;
    let started = std::time::Instant::now();
    let err = Db::connect(&config.database).err().expect("must fail");
    let msg = err.to_string();
    assert!(msg.contains("postgres"), "{msg}");
    assert!(
        msg.to_lowercase().contains("refused") || msg.contains("127.0.0.1"),
        "the libpq message is shown: {msg}"
    );
    // not the pool's generic timeout after connect_timeout_secs
    assert!(
        started.elapsed() < std::time::Duration::from_secs(25),
        "took {:?}",
        started.elapsed()
    );
    assert!(!msg.contains("timed out waiting for connection"), "{msg}");
}
