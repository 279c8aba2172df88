//! Places' use cases: create, change, (de)activate and import, each validated and written in
//! one transaction with its audit row.
//!
//! The CSV import takes `lgd_code,name,name_hi,parent_lgd_code` (a header row is optional):
//! every row is checked first with a row-by-row report, and nothing is written if any row is
//! bad. Re-importing updates names and parents by LGD code, never duplicates.

use super::model::{self, by_lgd, Place, PlaceChanges};
use super::{validate, Level, PlaceInput};
use crate::audit::{self, Action, By, Detail, Entity, Log};
use crate::auth::Actor;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::Connection;
use std::collections::HashSet;

pub use crate::web::csv::{row_error, ImportReport, RowError, MAX_ROWS};

/// Validate and store a new place, with its audit row.
pub fn create_place(ctx: &Ctx, actor: &Actor, ip: &str, input: PlaceInput) -> AppResult<Place> {
    let np = validate(&input).map_err(AppError::Validation)?;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let p = model::create(c, &np, now)?;
        log.add(Action::Create, Entity::Place, Some(p.id), place_detail(&p));
        Ok(p)
    })
}

/// Validate and apply changes to a place (its level stays) and, with `active`, (de)activate
/// it, in one transaction with audit rows.
pub fn update_place(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    mut input: PlaceInput,
    active: Option<bool>,
) -> AppResult<Place> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let existing = model::find(c, id)?;
        input.level = existing.level.clone();
        let np = validate(&input).map_err(AppError::Validation)?;
        let mut p = model::update(
            c,
            &existing,
            &PlaceChanges {
                lgd_code: np.lgd_code,
                name: np.name,
                name_hi: np.name_hi,
                parent_lgd_code: np.parent_lgd_code,
            },
            now,
        )?;
        log.add(Action::Update, Entity::Place, Some(p.id), place_detail(&p));
        if let Some(a) = active.filter(|a| *a != p.active) {
            activate(c, log, &p, a, now)?;
            p.active = a;
        }
        Ok(p)
    })
}

/// Deactivate (hide from new records) or reactivate a place, with its audit row.
pub fn set_place_active(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    active: bool,
) -> AppResult<()> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let p = model::find(c, id)?;
        activate(c, log, &p, active, now)
    })
}

fn activate(
    c: &mut DbConn,
    log: &mut Log,
    p: &Place,
    active: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    model::set_active(c, p.id, active, now)?;
    log.add(
        Action::switched(active),
        Entity::Place,
        Some(p.id),
        Detail::new("audit-detail-place-name")
            .word("level", format!("level-{}", p.level))
            .named("name", &p.name, p.name_hi.as_deref()),
    );
    Ok(())
}

/// A place as the log names it: its level, name and LGD code.
fn place_detail(p: &Place) -> Detail {
    Detail::new("audit-detail-place")
        .word("level", format!("level-{}", p.level))
        .named("name", &p.name, p.name_hi.as_deref())
        .text("lgd", p.lgd_code.to_string())
}

/// Import places of one level from a CSV file (see the module's comment), with one audit row
/// for a real import that wrote.
pub fn import_places(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    level: Level,
    file: &[u8],
    dry_run: bool,
) -> AppResult<ImportReport> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let r = import_rows(c, level, file, dry_run, now)?;
        if r.errors.is_empty() && !dry_run {
            log.add(
                Action::Import,
                Entity::Place,
                None,
                Detail::new("audit-detail-place-import")
                    .count("rows", r.rows)
                    .word("level", format!("level-{}", level.as_str()))
                    .count("created", r.created)
                    .count("updated", r.updated),
            );
        }
        Ok(r)
    })
}

fn parse_rows(level: Level, data: &[u8]) -> Result<Vec<(usize, PlaceInput)>, Vec<RowError>> {
    let text = crate::web::csv::text_of(data);
    let mut rows = vec![];
    let mut errors = vec![];
    for (i, (line, rec)) in crate::web::csv::records(&text)?.into_iter().enumerate() {
        if i == 0
            && rec
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("lgd_code"))
        {
            continue;
        }
        if !(2..=4).contains(&rec.len()) {
            errors.push(row_error(line, "-", "import-row-columns", vec![]));
            continue;
        }
        let field = |n: usize| rec.get(n).cloned().unwrap_or_default();
        rows.push((
            line,
            PlaceInput {
                level: level.as_str().into(),
                lgd_code: field(0),
                name: field(1),
                name_hi: field(2),
                parent_lgd_code: field(3),
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
fn import_rows(
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
                    model::update(
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
                    model::create(conn, np, now)?;
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
