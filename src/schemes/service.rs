//! Schemes' use cases: register, edit, change the status (each checked and written in one
//! transaction with its audit row), and the CSV import.
//!
//! The import checks every row first, with a row-by-row report, and writes nothing if any row
//! is wrong; rows are matched to what exists (by code, else by GP and name), so importing the
//! same file twice creates nothing new.

use super::catalogue::Catalogue;
use super::model::{self, Scheme};
use super::{ImportKind, ImportPlan, SchemeInput, SchemeStatus, SchemeValues, StatusInput};
use crate::audit::{audited, Action, By, Detail, Entity, Log};
use crate::auth::Actor;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{Level, Place};
use crate::web::csv::{self as csvw, row_error, ImportReport};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

/// Check scheme input against the catalogue, the actor's scope and today's date.
pub fn validate(
    conn: &mut DbConn,
    actor: &Actor,
    cat: &Catalogue,
    input: &SchemeInput,
    today: NaiveDate,
    default_period: i32,
) -> AppResult<Result<SchemeValues, FieldErrors>> {
    let mut e = FieldErrors::new();
    // The GP: given, or the actor's own; always inside the actor's scope.
    let gp_code = match crate::places::parse_lgd(&input.gp_lgd_code) {
        Some(c) => Some(c),
        None if input.gp_lgd_code.trim().is_empty() => model::own_gp_lgd(conn, actor)?,
        None => None,
    };
    let mut gp = None;
    match gp_code {
        None => e.add(
            "gp_lgd_code",
            if input.gp_lgd_code.trim().is_empty() {
                "field-required"
            } else {
                "place-lgd-invalid"
            },
        ),
        Some(code) => match crate::places::model::by_lgd(conn, Level::Gp, code)? {
            Some(p)
                if p.active
                    && crate::places::model::find_in_scope(conn, &actor.scope, p.id).is_ok() =>
            {
                gp = Some(p)
            }
            Some(p) if !p.active => e.add("gp_lgd_code", "user-place-inactive"),
            _ => e.add("gp_lgd_code", "scheme-gp-not-yours"),
        },
    }
    let name = forms::required_text(&input.name, crate::web::forms::max::NAME, "name", &mut e);
    let name_hi = forms::optional_text(
        &input.name_hi,
        crate::web::forms::max::NAME,
        "name_hi",
        &mut e,
    );
    let imis_id = forms::optional_text(
        &input.imis_id,
        crate::web::forms::max::CODE,
        "imis_id",
        &mut e,
    );
    let kind = input.kind.trim().to_string();
    if cat.scheme_kind(&kind).is_none() {
        e.add(
            "kind",
            if kind.is_empty() {
                "field-required"
            } else {
                "field-invalid-choice"
            },
        );
    }
    let source_kind = match input.source_kind.trim() {
        "" => None,
        s if cat.source_kind(s).is_some() => Some(s.to_string()),
        _ => {
            e.add("source_kind", "field-invalid-choice");
            None
        }
    };
    let commissioned_on = forms::optional_date(
        &input.commissioned_on,
        Some(today),
        "commissioned_on",
        &mut e,
    );
    let period = if input.design_period_years.trim().is_empty() {
        Some(default_period as i64)
    } else {
        forms::optional_int(
            &input.design_period_years,
            1,
            100,
            "design_period_years",
            &mut e,
        )
    };
    let population = forms::optional_int(
        &input.design_population,
        0,
        10_000_000,
        "design_population",
        &mut e,
    );
    let connections = forms::optional_int(
        &input.planned_connections,
        0,
        1_000_000,
        "planned_connections",
        &mut e,
    );
    let operator_name = forms::optional_text(
        &input.operator_name,
        crate::web::forms::max::NAME,
        "operator_name",
        &mut e,
    );
    let operator_phone = match input.operator_phone.trim() {
        "" => None,
        p => match crate::auth::normalize_mobile(p) {
            Some(n) => Some(n),
            None => {
                e.add("operator_phone", "phone-invalid");
                None
            }
        },
    };
    let mut villages = vec![];
    let whole = crate::web::forms::max::VILLAGES.total();
    if input.villages.chars().count() > whole {
        e.add_with("villages", "field-too-long", &[("max", whole.to_string())]);
    }
    for token in input
        .villages
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        match crate::places::parse_lgd(token) {
            None => {
                e.add_with(
                    "villages",
                    "scheme-village-missing",
                    &[("code", token.to_string())],
                );
                break;
            }
            Some(code) => match crate::places::model::by_lgd(conn, Level::Village, code)? {
                Some(v) if v.active => {
                    if !villages.iter().any(|x: &Place| x.id == v.id) {
                        villages.push(v)
                    }
                }
                _ => {
                    e.add_with(
                        "villages",
                        "scheme-village-missing",
                        &[("code", token.to_string())],
                    );
                    break;
                }
            },
        }
    }
    if villages.len() > crate::web::forms::max::VILLAGES.items {
        let max = crate::web::forms::max::VILLAGES.items.to_string();
        e.add_with("villages", "field-too-many", &[("max", max)]);
    }
    let notes = forms::optional_text(&input.notes, crate::web::forms::max::TEXT, "notes", &mut e);
    if !e.is_empty() {
        return Ok(Err(e));
    }
    Ok(Ok(SchemeValues {
        gp: gp.expect("checked"),
        name: name.expect("checked"),
        name_hi,
        imis_id,
        kind,
        source_kind,
        commissioned_on,
        design_period_years: period.unwrap_or(default_period as i64) as i32,
        design_population: population.map(|n| n as i32),
        planned_connections: connections.map(|n| n as i32),
        operator_name,
        operator_phone,
        villages,
        notes,
    }))
}

/// Validate and store a new scheme with its audit row.
pub fn create_scheme(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    input: SchemeInput,
) -> AppResult<Scheme> {
    let now = ctx.now();
    let today = today_in_india(now);
    let period = ctx.config.schemes.default_design_period_years;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let v = validate(c, actor, cat, &input, today, period)?.map_err(AppError::Validation)?;
        let s = model::create(c, actor, &v, now)?;
        log.add(
            Action::Create,
            Entity::Scheme,
            Some(s.id),
            scheme_detail(&s),
        );
        Ok(s)
    })
}

/// Validate and apply edits to a scheme the actor may manage.
pub fn update_scheme(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: SchemeInput,
) -> AppResult<Scheme> {
    let now = ctx.now();
    let today = today_in_india(now);
    let period = ctx.config.schemes.default_design_period_years;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let existing = model::find_in_scope(c, &actor.scope, id)?;
        let v = validate(c, actor, cat, &input, today, period)?.map_err(AppError::Validation)?;
        let s = model::update(c, &existing, &v, now)?;
        log.add(
            Action::Update,
            Entity::Scheme,
            Some(s.id),
            scheme_detail(&s),
        );
        Ok(s)
    })
}

/// A scheme as the log names it: its code and name.
fn scheme_detail(s: &Scheme) -> Detail {
    Detail::new("audit-detail-scheme")
        .text("code", &s.code)
        .text("name", &s.name)
}

/// Change the status of a scheme the actor may manage, with the reason, its history row and
/// its audit row.
pub fn change_scheme_status(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: StatusInput,
) -> AppResult<Scheme> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let s = model::find_in_scope(c, &actor.scope, id)?;
        let s = model::change_status(c, actor, &s, &input, now)?;
        log.add(
            Action::StatusChange,
            Entity::Scheme,
            Some(id),
            Detail::new("audit-detail-scheme-status")
                .text("code", &s.code)
                .word("status", format!("scheme-status-{}", s.status))
                .text("reason", input.reason.trim()),
        );
        Ok(s)
    })
}

/// Import schemes from a CSV file (see the module's comment), in one transaction, with one
/// audit row for a real import.
pub fn import_schemes(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    data: &[u8],
    dry_run: bool,
) -> AppResult<ImportReport> {
    let now = ctx.now();
    let today = today_in_india(now);
    let period = ctx.config.schemes.default_design_period_years;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        import_rows(c, cat, actor, log, data, dry_run, today, now, period)
    })
}

#[allow(clippy::too_many_arguments)]
fn import_rows(
    c: &mut DbConn,
    cat: &Catalogue,
    actor: &Actor,
    log: &mut Log,
    data: &[u8],
    dry_run: bool,
    today: NaiveDate,
    now: NaiveDateTime,
    period: i32,
) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    let rows = match csvw::named_rows(data, ImportKind::Schemes.columns(), &["name", "kind"]) {
        Ok(r) => r,
        Err(errors) => {
            report.errors = errors;
            return Ok(report);
        }
    };
    report.rows = rows.len();
    let mut plans = vec![];
    let mut seen = std::collections::HashSet::new();
    for (line, mut m) in rows {
        let code = m
            .remove("code")
            .and_then(|v| v.as_str().map(str::trim).map(String::from))
            .unwrap_or_default();
        let status = m
            .remove("status")
            .and_then(|v| v.as_str().map(str::trim).map(String::from))
            .unwrap_or_default();
        let input: SchemeInput = match crate::web::forms::from_json(Value::Object(m), None) {
            Ok(i) => i,
            Err(_) => {
                report
                    .errors
                    .push(row_error(line, "-", "import-row-unreadable", vec![]));
                continue;
            }
        };
        let status = match status.as_str() {
            "" => None,
            s => match SchemeStatus::parse(s) {
                Some(x) => Some(x),
                None => {
                    report
                        .errors
                        .push(row_error(line, "status", "field-invalid-choice", vec![]));
                    continue;
                }
            },
        };
        let v = match validate(c, actor, cat, &input, today, period)? {
            Ok(v) => v,
            Err(fe) => {
                report
                    .errors
                    .extend(fe.0.into_iter().map(|e| csvw::RowError { line, error: e }));
                continue;
            }
        };
        // Match by code (inside the actor's scope), else by GP and name.
        let existing = if !code.is_empty() {
            let found = model::by_code_in_scope(c, &actor.scope, &code)?.map(|s| s.id);
            if found.is_none() {
                report
                    .errors
                    .push(row_error(line, "code", "import-unknown-code", vec![]));
                continue;
            }
            found
        } else {
            model::id_by_gp_and_name(c, v.gp.id, &v.name)?
        };
        let key = existing
            .map(|id| format!("id{id}"))
            .unwrap_or_else(|| format!("{}/{}", v.gp.id, v.name));
        if !seen.insert(key) {
            report
                .errors
                .push(row_error(line, "name", "import-duplicate-in-file", vec![]));
            continue;
        }
        let plan = match existing {
            None => ImportPlan::Create(v),
            Some(id) => {
                let cur = model::find(c, id)?;
                let same = scheme_matches(c, &cur, &v)?;
                if same && status.is_none_or(|s| s.as_str() == cur.status) {
                    ImportPlan::Same
                } else {
                    ImportPlan::Update(id, v)
                }
            }
        };
        plans.push((line, plan, status));
    }
    if !report.errors.is_empty() {
        return Ok(report);
    }
    for (_, plan, status) in plans {
        let scheme = match plan {
            ImportPlan::Same => {
                report.unchanged += 1;
                continue;
            }
            ImportPlan::Create(v) => {
                report.created += 1;
                if dry_run {
                    continue;
                }
                model::create(c, actor, &v, now)?
            }
            ImportPlan::Update(id, v) => {
                report.updated += 1;
                if dry_run {
                    continue;
                }
                let cur = model::find(c, id)?;
                model::update(c, &cur, &v, now)?
            }
        };
        if let Some(s) = status.filter(|s| s.as_str() != scheme.status) {
            model::change_status(
                c,
                actor,
                &scheme,
                &StatusInput {
                    status: s.as_str().into(),
                    reason: "CSV import".into(),
                },
                now,
            )?;
        }
    }
    if !dry_run {
        log.add(
            Action::Import,
            Entity::Scheme,
            None,
            Detail::new("audit-detail-import")
                .count("rows", report.rows)
                .count("created", report.created)
                .count("updated", report.updated)
                .count("unchanged", report.unchanged),
        );
    }
    Ok(report)
}

/// Whether stored scheme fields already equal the checked values.
fn scheme_matches(c: &mut DbConn, s: &Scheme, v: &SchemeValues) -> AppResult<bool> {
    let villages: Vec<i64> = model::villages_of(c, s.id)?.iter().map(|p| p.id).collect();
    let mut wanted: Vec<i64> = v.villages.iter().map(|p| p.id).collect();
    wanted.sort();
    let mut have = villages;
    have.sort();
    Ok(s.name == v.name
        && s.name_hi == v.name_hi
        && s.imis_id == v.imis_id
        && s.kind == v.kind
        && s.source_kind == v.source_kind
        && s.commissioned_on == v.commissioned_on
        && s.design_period_years == v.design_period_years
        && s.design_population == v.design_population
        && s.planned_connections == v.planned_connections
        && s.operator_name == v.operator_name
        && s.operator_phone == v.operator_phone
        && s.notes == v.notes
        && have == wanted)
}
