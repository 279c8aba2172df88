//! The figures a backup's manifest records and its checks compare: the money tables' row
//! counts and sums, the last migration applied, and the photos the rows name. The same SQL
//! on both backends; run on the copy (SQLite) or in the dump's snapshot (PostgreSQL).

use super::TableFigures;
use crate::db::DbConn;
use crate::error::AppResult;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use std::collections::BTreeMap;

/// The tables whose rows are money (or count money's documents), with the columns summed.
/// `receipt_counters.last_number` adds up to the receipts ever numbered.
pub const MONEY_TABLES: &[(&str, &[&str])] = &[
    ("households", &[]),
    ("tariff_plans", &["connection_charge_paise"]),
    ("tariff_rates", &["monthly_paise"]),
    ("demand_runs", &["total_paise"]),
    ("demands", &["amount_paise", "late_fee_paise"]),
    ("payments", &["amount_paise"]),
    ("receipt_counters", &["last_number"]),
    ("cashbook_entries", &["amount_paise"]),
];

#[derive(QueryableByName)]
struct CountSum {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    s: i64,
}

/// Row counts and column sums of [`MONEY_TABLES`].
pub fn figures(conn: &mut DbConn) -> AppResult<Vec<TableFigures>> {
    let mut out = Vec::with_capacity(MONEY_TABLES.len());
    for (table, columns) in MONEY_TABLES {
        let mut figures = TableFigures {
            table: table.to_string(),
            rows: 0,
            sums: BTreeMap::new(),
        };
        // a table without sums is counted once; each sum comes with its count
        let sums: Vec<Option<&str>> = if columns.is_empty() {
            vec![None]
        } else {
            columns.iter().copied().map(Some).collect()
        };
        for column in sums {
            let sum = column
                .map(|c| format!("CAST(COALESCE(SUM({c}), 0) AS BIGINT)"))
                .unwrap_or_else(|| "CAST(0 AS BIGINT)".into());
            let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n, {sum} AS s FROM {table}");
            let r: CountSum =
                crate::on_backend!(&mut *conn, |c| diesel::sql_query(&sql).get_result(c))?;
            figures.rows = r.n;
            if let Some(c) = column {
                figures.sums.insert(c.to_string(), r.s);
            }
        }
        out.push(figures);
    }
    Ok(out)
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

/// The last migration applied (none when diesel's table is missing or empty). Reads only,
/// so it works on a copy opened read-only.
pub fn migration(conn: &mut DbConn) -> Option<String> {
    let sql = "SELECT MAX(version) AS v FROM __diesel_schema_migrations";
    let r: Result<Version, _> =
        crate::on_backend!(&mut *conn, |c| diesel::sql_query(sql).get_result(c));
    r.ok().and_then(|r| r.v)
}

#[derive(QueryableByName)]
struct PhotoRow {
    #[diesel(sql_type = BigInt)]
    gp_id: i64,
    #[diesel(sql_type = Text)]
    file_name: String,
    #[diesel(sql_type = Text)]
    small_name: String,
}

/// Every photo file the rows name, as archive paths (`photos/<gp id>/<file>`).
pub fn photo_paths(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let sql = "SELECT gp_id, file_name, small_name FROM work_photos";
    let rows: Vec<PhotoRow> = crate::on_backend!(&mut *conn, |c| diesel::sql_query(sql).load(c))?;
    Ok(rows
        .into_iter()
        .flat_map(|r| {
            [
                format!("{}{}/{}", super::PHOTOS_PREFIX, r.gp_id, r.file_name),
                format!("{}{}/{}", super::PHOTOS_PREFIX, r.gp_id, r.small_name),
            ]
        })
        .collect())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// PostgreSQL: tables in the connection's schema (0: an empty database to restore into).
pub fn pg_tables(conn: &mut diesel::PgConnection) -> AppResult<i64> {
    let r: Count = diesel::sql_query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pg_catalog.pg_tables \
         WHERE schemaname = current_schema()",
    )
    .get_result(conn)?;
    Ok(r.n)
}

/// SQLite: `PRAGMA integrity_check`'s findings (`["ok"]` when sound; at most 20).
pub fn sqlite_integrity(conn: &mut diesel::SqliteConnection) -> AppResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check(20)").load(conn)?;
    Ok(lines.into_iter().map(|l| l.integrity_check).collect())
}

/// SQLite: references to missing rows (`PRAGMA foreign_key_check`), as `table → parent`
/// with their count.
pub fn sqlite_broken_references(
    conn: &mut diesel::SqliteConnection,
) -> AppResult<BTreeMap<String, i64>> {
    #[derive(QueryableByName)]
    struct Broken {
        #[diesel(sql_type = Text)]
        table: String,
        #[diesel(sql_type = Text)]
        parent: String,
    }
    let rows: Vec<Broken> = diesel::sql_query("PRAGMA foreign_key_check").load(conn)?;
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(format!("{} → {}", r.table, r.parent))
            .or_insert(0) += 1;
    }
    Ok(out)
}
