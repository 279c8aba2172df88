//! Assets' use cases: add, edit, set the status, replace, retire (each checked and written in
//! one transaction with its audit row), and the CSV import.
//!
//! The import checks every row first, with a row-by-row report, and writes nothing if any row
//! is wrong; rows are matched to what exists (by id, else by scheme, kind and name), so
//! importing the same file twice creates nothing new.

use super::model::{self, Asset};
use super::{validate, AssetInput, AssetStatus, AssetValues};
use crate::audit::{audited, Action, By, Detail, Entity, Log};
use crate::auth::Actor;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::catalogue::Catalogue;
use crate::schemes::{ImportKind, ImportPlan, Scheme};
use crate::web::csv::{self as csvw, row_error, ImportReport};
use crate::web::i18n::today_in_india;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

/// An asset as the log names it (`key`, with its name and kind).
fn asset_detail(key: &str, a: &Asset) -> Detail {
    Detail::new(key)
        .named("name", &a.name, a.name_hi.as_deref())
        .listed("kind", crate::schemes::catalogue::ASSET_KINDS, &a.kind)
}

/// Validate and add an asset to a scheme the actor may manage.
pub fn create_asset(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    input: AssetInput,
) -> AppResult<Asset> {
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        // Scope first: another GP's scheme is not found, whatever the input.
        let scheme = crate::schemes::model::find_in_scope(c, &actor.scope, scheme_id)?;
        let v = validate(cat, &input, ctx.config.money, today).map_err(AppError::Validation)?;
        let a = model::create(c, &scheme, &v, None, now)?;
        log.add(
            Action::Create,
            Entity::Asset,
            Some(a.id),
            asset_detail("audit-detail-asset", &a),
        );
        Ok(a)
    })
}

/// Validate and apply edits to an asset in service.
pub fn update_asset(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: AssetInput,
) -> AppResult<Asset> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let a = model::find_in_scope(c, &actor.scope, id)?;
        let v = validate(cat, &input, ctx.config.money, today_in_india(now))
            .map_err(AppError::Validation)?;
        let a = model::update(c, &a, &v, now)?;
        log.add(
            Action::Update,
            Entity::Asset,
            Some(a.id),
            asset_detail("audit-detail-asset", &a),
        );
        Ok(a)
    })
}

/// Set an asset's status: working, needs_attention or failed.
pub fn set_asset_status(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    status: &str,
) -> AppResult<Asset> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let a = model::find_in_scope(c, &actor.scope, id)?;
        let a = model::set_status(c, &a, status, now)?;
        log.add(
            Action::StatusChange,
            Entity::Asset,
            Some(a.id),
            asset_detail("audit-detail-asset-status", &a)
                .word("status", format!("asset-status-{}", a.status)),
        );
        Ok(a)
    })
}

/// Replace an asset with a new one (the old one is kept as `replaced`, linked to the new).
pub fn replace_asset(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: AssetInput,
) -> AppResult<Asset> {
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let old = model::find_in_scope(c, &actor.scope, id)?;
        let v = validate(cat, &input, ctx.config.money, today).map_err(AppError::Validation)?;
        let scheme = crate::schemes::model::find(c, old.scheme_id)?;
        let new = model::replace(c, &scheme, &old, &v, today, now)?;
        log.add(
            Action::Replace,
            Entity::Asset,
            Some(old.id),
            asset_detail("audit-detail-asset-replaced", &old).text("new", new.id.to_string()),
        );
        Ok(new)
    })
}

/// Retire an asset without a successor, on a day not in the future, with the reason.
pub fn retire_asset(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    ended_on: &str,
    reason: &str,
) -> AppResult<Asset> {
    let now = ctx.now();
    let today = today_in_india(now);
    let mut e = FieldErrors::new();
    let on = crate::web::forms::optional_date(ended_on, Some(today), "ended_on", &mut e);
    let reason =
        crate::web::forms::required_text(reason, crate::web::forms::max::REASON, "reason", &mut e);
    if on.is_none() && !e.has("ended_on") {
        e.add("ended_on", "field-required");
    }
    e.into_result()?;
    let (on, reason) = (on.expect("checked"), reason.expect("checked"));
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let a = model::find_in_scope(c, &actor.scope, id)?;
        let a = model::retire(c, &a, on, now)?;
        log.add(
            Action::Retire,
            Entity::Asset,
            Some(a.id),
            asset_detail("audit-detail-asset-retired", &a).text("reason", reason.as_str()),
        );
        Ok(a)
    })
}

/// Import assets from a CSV file (see the module's comment), in one transaction, with one
/// audit row for a real import.
pub fn import_assets(
    ctx: &Ctx,
    cat: &Catalogue,
    actor: &Actor,
    ip: &str,
    data: &[u8],
    dry_run: bool,
) -> AppResult<ImportReport> {
    let now = ctx.now();
    let today = today_in_india(now);
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let money = ctx.config.money;
        import_rows(c, cat, actor, log, data, dry_run, money, today, now)
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
    money: crate::config::MoneyLimits,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    let rows = match csvw::named_rows(
        data,
        ImportKind::Assets.columns(),
        &["scheme_code", "kind", "name"],
    ) {
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
        let take = |m: &mut serde_json::Map<String, Value>, k: &str| {
            m.remove(k)
                .and_then(|v| v.as_str().map(str::trim).map(String::from))
                .unwrap_or_default()
        };
        let id = take(&mut m, "id");
        let scheme_code = take(&mut m, "scheme_code");
        let status = take(&mut m, "status");
        let input: AssetInput = match crate::web::forms::from_json(Value::Object(m), None) {
            Ok(i) => i,
            Err(_) => {
                report
                    .errors
                    .push(row_error(line, "-", "import-row-unreadable", vec![]));
                continue;
            }
        };
        let scheme: Option<Scheme> =
            crate::schemes::model::by_code_in_scope(c, &actor.scope, &scheme_code)?;
        let Some(scheme) = scheme else {
            report.errors.push(row_error(
                line,
                "scheme_code",
                "import-unknown-code",
                vec![],
            ));
            continue;
        };
        let v = match validate(cat, &input, money, today) {
            Ok(v) => v,
            Err(fe) => {
                report
                    .errors
                    .extend(fe.0.into_iter().map(|e| csvw::RowError { line, error: e }));
                continue;
            }
        };
        let status = match status.as_str() {
            "" => None,
            s => match AssetStatus::parse(s) {
                Some(x) => Some(x),
                None => {
                    report
                        .errors
                        .push(row_error(line, "status", "field-invalid-choice", vec![]));
                    continue;
                }
            },
        };
        let existing: Option<Asset> = if !id.is_empty() {
            let Ok(n) = id.parse::<i64>() else {
                report
                    .errors
                    .push(row_error(line, "id", "field-not-a-number", vec![]));
                continue;
            };
            match model::find_in_scope(c, &actor.scope, n) {
                Ok(a) if a.scheme_id == scheme.id => Some(a),
                _ => {
                    report
                        .errors
                        .push(row_error(line, "id", "import-unknown-code", vec![]));
                    continue;
                }
            }
        } else {
            model::live_by_kind_and_name(c, scheme.id, &v.kind, &v.name)?
        };
        let key = existing
            .as_ref()
            .map(|a| format!("id{}", a.id))
            .unwrap_or_else(|| format!("{}/{}/{}", scheme.id, v.kind, v.name));
        if !seen.insert(key) {
            report
                .errors
                .push(row_error(line, "name", "import-duplicate-in-file", vec![]));
            continue;
        }
        let plan = match &existing {
            None => ImportPlan::Create(v),
            Some(a) => {
                let same = asset_matches(a, &v) && status.is_none_or(|s| s.as_str() == a.status);
                if same {
                    ImportPlan::Same
                } else if !a.status().in_service() {
                    report
                        .errors
                        .push(row_error(line, "id", "asset-not-in-service", vec![]));
                    continue;
                } else {
                    ImportPlan::Update(a.id, v)
                }
            }
        };
        plans.push((plan, scheme, status));
    }
    if !report.errors.is_empty() {
        return Ok(report);
    }
    for (plan, scheme, status) in plans {
        let a = match plan {
            ImportPlan::Same => {
                report.unchanged += 1;
                continue;
            }
            ImportPlan::Create(v) => {
                report.created += 1;
                if dry_run {
                    continue;
                }
                model::create(c, &scheme, &v, None, now)?
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
        if let Some(s) = status.filter(|s| s.as_str() != a.status) {
            model::set_status(c, &a, s.as_str(), now)?;
        }
    }
    if !dry_run {
        log.add(
            Action::Import,
            Entity::Asset,
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

fn asset_matches(a: &Asset, v: &AssetValues) -> bool {
    a.kind == v.kind
        && a.name == v.name
        && a.name_hi == v.name_hi
        && a.installed_on == v.installed_on
        && a.expected_life_years == v.expected_life_years
        && a.capacity == v.capacity
        && a.capacity_unit == v.capacity_unit
        && a.make == v.make
        && a.model == v.model
        && a.serial_no == v.serial_no
        && a.warranty_until == v.warranty_until
        && a.latitude == v.latitude
        && a.longitude == v.longitude
        && a.replacement_cost_paise == v.replacement_cost_paise
        && a.notes == v.notes
}
