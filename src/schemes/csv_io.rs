//! CSV export of any filtered scheme or asset list, and import with a row-by-row report:
//! every row is checked first and nothing is written if any row is wrong; rows are matched to
//! what exists (schemes by code, or GP and name; assets by id, or scheme, kind and name), so
//! importing the same file twice creates nothing new.

use super::assets::{self, Asset, AssetFilter, AssetInput};
use super::{SchemeFilter, SchemeInput, SchemeStatus, StatusInput};
use crate::audit::{self, Event};
use crate::auth::{Actor, Verb};
use crate::db::schema::{assets as assets_t, schemes as schemes_t};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::schemes::catalogue::Catalogue;
use crate::web::csv::{self as csvw, row_error, ImportReport};
use crate::web::i18n::today_in_india;
use crate::web::render::Ui;
use crate::web::session::client_ip;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde_json::{json, Value};

const BATCH: i64 = 1000;

pub const SCHEME_COLUMNS: &[&str] = &[
    "code",
    "gp_lgd_code",
    "name",
    "name_hi",
    "imis_id",
    "kind",
    "source_kind",
    "commissioned_on",
    "design_period_years",
    "design_population",
    "planned_connections",
    "operator_name",
    "operator_phone",
    "villages",
    "status",
    "notes",
];

pub const ASSET_COLUMNS: &[&str] = &[
    "id",
    "scheme_code",
    "kind",
    "name",
    "installed_on",
    "expected_life_years",
    "capacity",
    "capacity_unit",
    "make",
    "model",
    "serial_no",
    "warranty_until",
    "latitude",
    "longitude",
    "replacement_cost",
    "status",
    "notes",
];

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

pub async fn export_schemes(
    ui: Ui,
    actor: Actor,
    q: web::Query<SchemeFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let (f, scope) = (q.into_inner(), actor.scope);
    let rows = ui
        .state
        .db
        .run(move |c| {
            let mut out = vec![];
            let mut after = 0;
            loop {
                let batch = super::list_all(c, &scope, &f, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                let gp_ids: Vec<i64> = batch.iter().map(|s| s.gp_id).collect();
                let gps: Vec<(i64, i64)> = {
                    use crate::db::schema::places as p;
                    p::table
                        .filter(p::id.eq_any(gp_ids))
                        .select((p::id, p::lgd_code))
                        .load(c)?
                };
                let ids: Vec<i64> = batch.iter().map(|s| s.id).collect();
                let villages_by_scheme = super::village_codes_of(c, &ids)?;
                for s in batch {
                    let villages = villages_by_scheme.get(&s.id).cloned().unwrap_or_default();
                    let gp_lgd = gps
                        .iter()
                        .find(|(id, _)| *id == s.gp_id)
                        .map(|(_, l)| *l)
                        .unwrap_or_default();
                    out.push(vec![
                        s.code.clone(),
                        gp_lgd.to_string(),
                        s.name.clone(),
                        opt(&s.name_hi),
                        opt(&s.imis_id),
                        s.kind.clone(),
                        opt(&s.source_kind),
                        opt(&s.commissioned_on),
                        s.design_period_years.to_string(),
                        opt(&s.design_population),
                        opt(&s.planned_connections),
                        opt(&s.operator_name),
                        opt(&s.operator_phone),
                        villages
                            .iter()
                            .map(|code| code.to_string())
                            .collect::<Vec<_>>()
                            .join(" "),
                        s.status.clone(),
                        opt(&s.notes),
                    ]);
                }
            }
            Ok(out)
        })
        .await?;
    csvw::response("schemes.csv", SCHEME_COLUMNS, rows)
}

pub async fn export_assets(
    ui: Ui,
    actor: Actor,
    q: web::Query<AssetFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSchemes)?;
    let (f, scope) = (q.into_inner(), actor.scope);
    let rows = ui
        .state
        .db
        .run(move |c| {
            let mut out = vec![];
            let mut after = 0;
            loop {
                let batch = assets::list_all(c, &scope, &f, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                let ids: Vec<i64> = batch.iter().map(|a| a.scheme_id).collect();
                let codes: Vec<(i64, String)> = schemes_t::table
                    .filter(schemes_t::id.eq_any(ids))
                    .select((schemes_t::id, schemes_t::code))
                    .load(c)?;
                for a in batch {
                    let code = codes
                        .iter()
                        .find(|(id, _)| *id == a.scheme_id)
                        .map(|(_, c)| c.clone())
                        .unwrap_or_default();
                    out.push(asset_row(&a, code));
                }
            }
            Ok(out)
        })
        .await?;
    csvw::response("assets.csv", ASSET_COLUMNS, rows)
}

fn asset_row(a: &Asset, scheme_code: String) -> Vec<String> {
    vec![
        a.id.to_string(),
        scheme_code,
        a.kind.clone(),
        a.name.clone(),
        opt(&a.installed_on),
        a.expected_life_years.to_string(),
        opt(&a.capacity),
        opt(&a.capacity_unit),
        opt(&a.make),
        opt(&a.model),
        opt(&a.serial_no),
        opt(&a.warranty_until),
        opt(&a.latitude),
        opt(&a.longitude),
        a.replacement_cost_paise
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
        a.status.clone(),
        opt(&a.notes),
    ]
}

fn import_page_data(what: &str) -> Value {
    let (action, columns, sample) = match what {
        "schemes" => ("/schemes/import", SCHEME_COLUMNS, "gp_lgd_code,name,kind,source_kind,commissioned_on,villages\n23010101,Banapura PWS,pws,borewell,2019-04-01,2301010101 2301010102"),
        _ => ("/assets/import", ASSET_COLUMNS, "scheme_code,kind,name,installed_on,capacity\n23010101-1,pump,Pump 2,2022-06-15,7.5"),
    };
    json!({"action": action, "columns": columns.join(", "), "sample": sample, "report": null, "what": what})
}

pub async fn import_schemes_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    ui.render(
        "schemes/import",
        "schemes-import-title",
        import_page_data("schemes"),
    )
}

pub async fn import_assets_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    ui.render(
        "schemes/import",
        "assets-import-title",
        import_page_data("assets"),
    )
}

fn report_json(ui: &Ui, r: &ImportReport) -> Value {
    json!({
        "rows": r.rows, "created": r.created, "updated": r.updated, "unchanged": r.unchanged, "dry_run": r.dry_run,
        "ok": r.errors.is_empty(),
        "errors": r.errors.iter().map(|e| json!({
            "line": e.line, "field": e.error.field,
            "message": ui.state.i18n.field_message(ui.lang(), &e.error),
        })).collect::<Vec<_>>(),
    })
}

fn render_report(ui: &Ui, what: &str, title: &str, r: &ImportReport) -> AppResult<HttpResponse> {
    let mut data = import_page_data(what);
    data["report"] = report_json(ui, r);
    let status = if r.errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ui.render_status(status, "schemes/import", title, data)
}

/// What to do with one checked row.
enum Plan<V> {
    Create(V),
    Update(i64, V),
    Same,
}

/// An import step: the connection, the app, the actor, their address, the file, dry run, today, now.
type Importer = fn(
    &mut DbConn,
    &crate::web::AppState,
    &Actor,
    &str,
    &[u8],
    bool,
    chrono::NaiveDate,
    chrono::NaiveDateTime,
) -> AppResult<ImportReport>;

/// Read the upload and run `importer` in one write transaction, then show the report.
async fn import_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: Multipart,
    what: &str,
    title: &str,
    importer: Importer,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSchemes)?;
    let fields = csvw::read_upload(payload, ui.state.config.server.max_body_bytes).await?;
    let dry_run = fields.get("dry_run").is_some_and(|v| !v.is_empty());
    let data = fields.get("file").cloned().unwrap_or_default();
    let now = ui.state.clock.now();
    let today = today_in_india(now);
    let (st, a2, ip) = (ui.state.clone(), actor.clone(), client_ip(&req));
    let report = ui
        .state
        .db
        .write(move |c| importer(c, &st, &a2, &ip, &data, dry_run, today, now))
        .await?;
    render_report(&ui, what, title, &report)
}

pub async fn import_schemes_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    import_submit(
        ui,
        actor,
        req,
        payload,
        "schemes",
        "schemes-import-title",
        import_schemes,
    )
    .await
}

pub async fn import_assets_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    import_submit(
        ui,
        actor,
        req,
        payload,
        "assets",
        "assets-import-title",
        import_assets,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
fn import_schemes(
    c: &mut DbConn,
    st: &crate::web::AppState,
    actor: &Actor,
    ip: &str,
    data: &[u8],
    dry_run: bool,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    let rows = match csvw::named_rows(data, SCHEME_COLUMNS, &["name", "kind"]) {
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
        let v = match super::validate(
            c,
            actor,
            st.part::<Catalogue>(),
            &input,
            today,
            st.config.schemes.default_design_period_years,
        )? {
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
            let found: Option<i64> = schemes_t::table
                .filter(schemes_t::code.eq(&code))
                .filter(crate::in_scope!(
                    &actor.scope,
                    schemes_t::table,
                    schemes_t::gp_id
                ))
                .select(schemes_t::id)
                .first(c)
                .optional()?;
            if found.is_none() {
                report
                    .errors
                    .push(row_error(line, "code", "import-unknown-code", vec![]));
                continue;
            }
            found
        } else {
            schemes_t::table
                .filter(schemes_t::gp_id.eq(v.gp.id))
                .filter(schemes_t::name.eq(&v.name))
                .select(schemes_t::id)
                .first(c)
                .optional()?
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
            None => Plan::Create(v),
            Some(id) => {
                let cur = super::find(c, id)?;
                let same = scheme_matches(c, &cur, &v)?;
                if same && status.is_none_or(|s| s.as_str() == cur.status) {
                    Plan::Same
                } else {
                    Plan::Update(id, v)
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
            Plan::Same => {
                report.unchanged += 1;
                continue;
            }
            Plan::Create(v) => {
                report.created += 1;
                if dry_run {
                    continue;
                }
                super::create(c, actor, &v, now)?
            }
            Plan::Update(id, v) => {
                report.updated += 1;
                if dry_run {
                    continue;
                }
                let cur = super::find(c, id)?;
                super::update(c, &cur, &v, now)?
            }
        };
        if let Some(s) = status.filter(|s| s.as_str() != scheme.status) {
            super::change_status(
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
        audit::record(
            c,
            now,
            Some(actor),
            "",
            Some(ip),
            Event {
                action: "import",
                entity: "scheme",
                entity_id: None,
                summary: format!(
                    "{} rows: {} created, {} updated, {} unchanged",
                    report.rows, report.created, report.updated, report.unchanged
                ),
            },
        )?;
    }
    Ok(report)
}

/// Whether stored scheme fields already equal the checked values.
fn scheme_matches(c: &mut DbConn, s: &super::Scheme, v: &super::SchemeValues) -> AppResult<bool> {
    let villages: Vec<i64> = super::villages_of(c, s.id)?.iter().map(|p| p.id).collect();
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

#[allow(clippy::too_many_arguments)]
fn import_assets(
    c: &mut DbConn,
    st: &crate::web::AppState,
    actor: &Actor,
    ip: &str,
    data: &[u8],
    dry_run: bool,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    let rows = match csvw::named_rows(data, ASSET_COLUMNS, &["scheme_code", "kind", "name"]) {
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
        let scheme: Option<super::Scheme> = schemes_t::table
            .filter(schemes_t::code.eq(&scheme_code))
            .filter(crate::in_scope!(
                &actor.scope,
                schemes_t::table,
                schemes_t::gp_id
            ))
            .select(super::Scheme::as_select())
            .first(c)
            .optional()?;
        let Some(scheme) = scheme else {
            report.errors.push(row_error(
                line,
                "scheme_code",
                "import-unknown-code",
                vec![],
            ));
            continue;
        };
        let v = match assets::validate(st.part::<Catalogue>(), &input, today) {
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
            s => match assets::AssetStatus::parse(s) {
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
            match assets::find_in_scope(c, &actor.scope, n) {
                Ok(a) if a.scheme_id == scheme.id => Some(a),
                _ => {
                    report
                        .errors
                        .push(row_error(line, "id", "import-unknown-code", vec![]));
                    continue;
                }
            }
        } else {
            assets_t::table
                .filter(assets_t::scheme_id.eq(scheme.id))
                .filter(assets_t::kind.eq(&v.kind))
                .filter(assets_t::name.eq(&v.name))
                .filter(assets_t::status.ne_all(["replaced", "retired"]))
                .select(Asset::as_select())
                .first(c)
                .optional()?
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
            None => Plan::Create(v),
            Some(a) => {
                let same = asset_matches(a, &v) && status.is_none_or(|s| s.as_str() == a.status);
                if same {
                    Plan::Same
                } else if !a.status().in_service() {
                    report
                        .errors
                        .push(row_error(line, "id", "asset-not-in-service", vec![]));
                    continue;
                } else {
                    Plan::Update(a.id, v)
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
            Plan::Same => {
                report.unchanged += 1;
                continue;
            }
            Plan::Create(v) => {
                report.created += 1;
                if dry_run {
                    continue;
                }
                assets::create(c, &scheme, &v, None, now)?
            }
            Plan::Update(id, v) => {
                report.updated += 1;
                if dry_run {
                    continue;
                }
                let cur = assets::find(c, id)?;
                assets::update(c, &cur, &v, now)?
            }
        };
        if let Some(s) = status.filter(|s| s.as_str() != a.status) {
            assets::set_status(c, &a, s.as_str(), now)?;
        }
    }
    if !dry_run {
        audit::record(
            c,
            now,
            Some(actor),
            "",
            Some(ip),
            Event {
                action: "import",
                entity: "asset",
                entity_id: None,
                summary: format!(
                    "{} rows: {} created, {} updated, {} unchanged",
                    report.rows, report.created, report.updated, report.unchanged
                ),
            },
        )?;
    }
    Ok(report)
}

fn asset_matches(a: &Asset, v: &assets::AssetValues) -> bool {
    a.kind == v.kind
        && a.name == v.name
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
