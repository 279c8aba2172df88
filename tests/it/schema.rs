//! The hand-kept `src/db/schema.rs` says exactly what the migrations create, on the backend
//! under test (CI runs this on SQLite and on PostgreSQL): the same tables, the same columns,
//! each with its type and nullability. A column added to a migration and forgotten in the
//! schema (or the other way round) fails here, not in a query at run time.

use crate::helpers::{test_config, TestDb};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use paani::db::{Backend, Db};
use std::collections::BTreeMap;

/// table → column → (diesel type without `Nullable`, nullable)
type Tables = BTreeMap<String, BTreeMap<String, (String, bool)>>;

/// The `diesel::table!` blocks of schema.rs, read as text.
fn declared() -> Tables {
    let text = include_str!("../../src/db/schema.rs");
    let mut tables = Tables::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = current.as_ref() {
            if line == "}" {
                current = None;
                continue;
            }
            let Some((col, ty)) = line.split_once("->") else {
                continue;
            };
            let ty = ty.trim().trim_end_matches(',').trim();
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>').to_string(), true),
                None => (ty.to_string(), false),
            };
            tables
                .get_mut(name)
                .expect("table opened")
                .insert(col.trim().to_string(), (ty, nullable));
        } else if let Some((name, _)) = line.split_once(" (").filter(|_| line.ends_with('{')) {
            let name = name.trim().to_string();
            tables.insert(name.clone(), BTreeMap::new());
            current = Some(name);
        }
    }
    tables
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    /// 1 when the column may hold NULL.
    #[diesel(sql_type = BigInt)]
    nullable: i64,
    /// 1 for SQLite's `INTEGER PRIMARY KEY` (the rowid: a 64-bit integer, never NULL).
    #[diesel(sql_type = BigInt)]
    rowid: i64,
}

/// The diesel type a column's SQL type maps to on this backend.
fn diesel_type(sql: &str, rowid: bool) -> String {
    match sql.to_ascii_lowercase().as_str() {
        _ if rowid => "BigInt",
        "bigint" | "bigserial" | "int8" => "BigInt",
        "integer" | "int" | "int4" => "Integer",
        "text" | "character varying" | "varchar" => "Text",
        "boolean" | "bool" => "Bool",
        "date" => "Date",
        "timestamp" | "timestamp without time zone" => "Timestamp",
        "double precision" | "float8" | "real" => "Double",
        other => return format!("unknown SQL type {other}"),
    }
    .to_string()
}

/// What the migrations made, read from the database's own catalogue.
fn created(db: &Db) -> Tables {
    let mut conn = db.conn().expect("connection");
    let rows: Vec<Column> = match db.backend() {
        Backend::Postgres => paani::on_backend!(&mut *conn, |c| diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name,
                    data_type::text AS data_type,
                    CAST(CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS BIGINT) AS nullable,
                    CAST(0 AS BIGINT) AS rowid
             FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND table_name NOT LIKE '\\_\\_diesel%'"
        )
        .load(c)),
        Backend::Sqlite => paani::on_backend!(&mut *conn, |c| diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type,
                    CAST(CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN 1 ELSE 0 END AS BIGINT) AS nullable,
                    CAST(CASE WHEN p.pk = 1 AND upper(p.type) = 'INTEGER'
                              AND (SELECT count(*) FROM pragma_table_info(m.name) q WHERE q.pk > 0) = 1
                         THEN 1 ELSE 0 END AS BIGINT) AS rowid
             FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
               AND m.name NOT LIKE '\\_\\_diesel%' ESCAPE '\\'"
        )
        .load(c)),
    }
    .expect("read the catalogue");
    let mut tables = Tables::new();
    for r in rows {
        tables.entry(r.table_name).or_default().insert(
            r.column_name,
            (diesel_type(&r.data_type, r.rowid == 1), r.nullable == 1),
        );
    }
    tables
}

/// Every difference between what schema.rs declares and what the database holds.
fn differences(want: &Tables, have: &Tables) -> Vec<String> {
    let mut problems = vec![];
    for (table, cols) in want {
        let Some(made) = have.get(table) else {
            problems.push(format!(
                "{table}: in schema.rs, not created by the migrations"
            ));
            continue;
        };
        for (col, (ty, nullable)) in cols {
            match made.get(col) {
                None => problems.push(format!("{table}.{col}: in schema.rs, not in the table")),
                Some((t, n)) if t != ty || n != nullable => problems.push(format!(
                    "{table}.{col}: schema.rs says {}{ty}, the migrations made {}{t}",
                    if *nullable { "Nullable " } else { "" },
                    if *n { "Nullable " } else { "" },
                )),
                Some(_) => {}
            }
        }
        for col in made.keys().filter(|c| !cols.contains_key(*c)) {
            problems.push(format!("{table}.{col}: in the table, not in schema.rs"));
        }
    }
    for table in have.keys().filter(|t| !want.contains_key(*t)) {
        problems.push(format!(
            "{table}: created by the migrations, not in schema.rs"
        ));
    }
    problems
}

fn migrated() -> (TestDb, Db) {
    let tdb = TestDb::new();
    let config = test_config(&tdb.url);
    let db = Db::connect(&config.database).expect("connect");
    db.migrate().expect("migrate");
    (tdb, db)
}

#[test]
fn schema_rs_matches_what_the_migrations_create() {
    let (_tdb, db) = migrated();
    let (want, have) = (declared(), created(&db));
    assert!(want.len() > 30, "schema.rs was read: {} tables", want.len());
    let problems = differences(&want, &have);
    assert!(
        problems.is_empty(),
        "{:?}: schema.rs and the migrations differ:\n{}",
        db.backend(),
        problems.join("\n")
    );
}

/// The comparison sees a column, a type, a nullability and a table that schema.rs lacks.
#[test]
fn schema_check_reports_each_kind_of_difference() {
    let (_tdb, db) = migrated();
    let mut conn = db.conn().expect("connection");
    for sql in [
        "ALTER TABLE places ADD COLUMN stray_note TEXT",
        "CREATE TABLE stray_table (id BIGINT NOT NULL)",
    ] {
        paani::on_backend!(&mut *conn, |c| diesel::sql_query(sql).execute(c)).expect(sql);
    }
    let mut want = declared();
    let places = want.get_mut("places").expect("places declared");
    places.insert("lgd_code".into(), ("Text".into(), false));
    places.insert("name".into(), ("Text".into(), true));
    let problems = differences(&want, &created(&db));
    let has = |needle: &str| problems.iter().any(|p| p.starts_with(needle));
    assert!(has("places.stray_note: in the table"), "{problems:?}");
    assert!(
        has("places.lgd_code: schema.rs says Text, the migrations made BigInt"),
        "{problems:?}"
    );
    assert!(
        has("places.name: schema.rs says Nullable Text, the migrations made Text"),
        "{problems:?}"
    );
    assert!(
        has("stray_table: created by the migrations"),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 4, "{problems:?}");
}
