//! CSV import of places: `lgd_code,name,name_hi,parent_lgd_code` (a header row is optional),
//! all rows checked first with a row-by-row report; nothing is written if any row is bad.
//! Re-importing updates names and parents by LGD code, never duplicates.

use super::{by_lgd, create, update, validate, Level, PlaceChanges, PlaceInput};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::web::csv::line_of;
use chrono::NaiveDateTime;
use diesel::Connection;
use std::collections::HashSet;

pub use crate::web::csv::{row_error, ImportReport, RowError, MAX_ROWS};

fn parse_rows(level: Level, data: &[u8]) -> Result<Vec<(usize, PlaceInput)>, Vec<RowError>> {
    let text = String::from_utf8_lossy(data);
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    let mut errors = vec![];
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| line_of(text, p.byte() as usize))
                    .unwrap_or(i + 1);
                errors.push(row_error(line, "-", "import-row-unreadable", vec![]));
                continue;
            }
        };
        let line = rec
            .position()
            .map(|p| line_of(text, p.byte() as usize))
            .unwrap_or(i + 1);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        if i == 0
            && rec
                .get(0)
                .is_some_and(|f| f.eq_ignore_ascii_case("lgd_code"))
        {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            errors.push(row_error(
                line,
                "-",
                "import-too-many-rows",
                vec![("max".into(), MAX_ROWS.to_string())],
            ));
            break;
        }
        if rec.len() < 2 || rec.len() > 4 {
            errors.push(row_error(line, "-", "import-row-columns", vec![]));
            continue;
        }
        rows.push((
            line,
            PlaceInput {
                level: level.as_str().into(),
                lgd_code: rec.get(0).unwrap_or("").into(),
                name: rec.get(1).unwrap_or("").into(),
                name_hi: rec.get(2).unwrap_or("").into(),
                parent_lgd_code: rec.get(3).unwrap_or("").into(),
            },
        ));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Check every row, then (unless `dry_run` or any error) write them all in one transaction.
pub fn import(
    conn: &mut DbConn,
    level: Level,
    data: &[u8],
    dry_run: bool,
    now: NaiveDateTime,
) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    let rows = match parse_rows(level, data) {
        Ok(r) => r,
        Err(errors) => {
            report.errors = errors;
            return Ok(report);
        }
    };
    report.rows = rows.len();
    if rows.is_empty() {
        report
            .errors
            .push(row_error(0, "-", "import-empty", vec![]));
        return Ok(report);
    }
    let mut checked = vec![];
    let mut seen = HashSet::new();
    for (line, input) in &rows {
        match validate(input) {
            Err(fe) => report.errors.extend(fe.0.into_iter().map(|e| RowError {
                line: *line,
                error: e,
            })),
            Ok(np) => {
                if !seen.insert(np.lgd_code) {
                    report.errors.push(row_error(
                        *line,
                        "lgd_code",
                        "import-duplicate-in-file",
                        vec![],
                    ));
                    continue;
                }
                if let (Some(pl), Some(code)) = (level.parent(), np.parent_lgd_code) {
                    if by_lgd(conn, pl, code)?.is_none() {
                        report.errors.push(row_error(
                            *line,
                            "parent_lgd_code",
                            "place-parent-missing",
                            vec![],
                        ));
                        continue;
                    }
                }
                checked.push(np);
            }
        }
    }
    if !report.errors.is_empty() || dry_run {
        if dry_run {
            for np in &checked {
                if by_lgd(conn, level, np.lgd_code)?.is_some() {
                    report.updated += 1
                } else {
                    report.created += 1
                }
            }
        }
        return Ok(report);
    }
    let (created, updated) = conn.transaction(|conn| {
        let (mut c, mut u) = (0, 0);
        for np in &checked {
            match by_lgd(conn, level, np.lgd_code)? {
                Some(existing) => {
                    update(
                        conn,
                        &existing,
                        &PlaceChanges {
                            lgd_code: np.lgd_code,
                            name: np.name.clone(),
                            name_hi: np.name_hi.clone(),
                            parent_lgd_code: np.parent_lgd_code,
                        },
                        now,
                    )?;
                    u += 1;
                }
                None => {
                    create(conn, np, now)?;
                    c += 1;
                }
            }
        }
        Ok::<_, AppError>((c, u))
    })?;
    report.created = created;
    report.updated = updated;
    Ok(report)
}
