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
        .named("name", &s.name, s.name_hi.as_deref())
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

// ---- the scheme's health card ----

/// How a scheme is doing, for its page, its printed card and `/api/v1/schemes/{id}/summary`:
/// each block computed by the same functions as the page it summarises (the breakdowns review,
/// the maintenance register and task list, the renewals page, the ledgers, the cash book).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SchemeSummary {
    pub scheme_id: i64,
    pub gp_id: i64,
    /// The day (in India) the figures are for.
    pub today: NaiveDate,
    pub status: SummaryStatus,
    pub breakdowns: SummaryBreakdowns,
    pub uptime: SummaryUptime,
    pub maintenance: SummaryMaintenance,
    pub assets: SummaryAssets,
    pub billing: SummaryBilling,
    pub costs: SummaryCosts,
    pub supply: SummarySupply,
    pub water_quality: SummaryWaterQuality,
}

/// This month's supply as the supply area computes it (its month page shows the same).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummarySupply {
    /// YYYY-MM.
    pub month: String,
    pub days_logged: i64,
    pub days_without_supply: i64,
    /// Litres per person per day; none without meter readings or households.
    pub lpcd: Option<f64>,
    pub lpcd_norm: i64,
    /// Days supplied ÷ days scheduled, percent.
    pub regularity_percent: Option<f64>,
    pub functionality: crate::supply::Functionality,
}

/// The scheme's last water test (at any of its sampling points) and its failed tests over
/// 12 months.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryWaterQuality {
    pub last: Option<SummaryWaterTest>,
    /// Tests beyond the permissible limit or with bacteria present, over 12 months.
    pub failed_12_months: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryWaterTest {
    pub sample_id: i64,
    /// ftk, h2s or laboratory.
    pub kind: String,
    pub tested_on: NaiveDate,
    /// acceptable, permissible, beyond_permissible or bacteria_present.
    pub class: String,
}

/// How it works now, as the dashboards count it, and what the operator set by hand.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryStatus {
    /// functional, partially_functional, non_functional, under_repair or decommissioned:
    /// the hand-set status unless an open breakdown stopped the supply.
    pub status: SchemeStatus,
    /// The operator's status (a note beside `status`).
    pub hand_set: SchemeStatus,
    /// Open breakdowns that stopped the supply.
    pub open_outages: i64,
}

/// An open breakdown, with its age and deadline.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryBreakdown {
    pub id: i64,
    pub number: String,
    /// reported, acknowledged, in_progress or reopened.
    pub status: String,
    /// stopped, partial or none.
    pub supply: String,
    #[serde(with = "crate::clock::utc")]
    pub reported_at: NaiveDateTime,
    /// Whole days since it was reported.
    pub age_days: i64,
    /// The repair deadline.
    #[serde(with = "crate::clock::utc")]
    pub resolve_due_at: NaiveDateTime,
    pub overdue: bool,
    pub escalation_level: i32,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryBreakdowns {
    /// Open now, past their deadline, escalated (as the breakdowns review counts them).
    pub open: i64,
    pub overdue: i64,
    pub escalated: i64,
    /// The first ten open ones, as the breakdowns list orders them.
    pub oldest: Vec<SummaryBreakdown>,
}

/// Uptime and repair time over a stretch.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SummaryPeriod {
    /// Share of the time with water, in percent.
    pub uptime_percent: f64,
    /// Median hours from report to resolution of the breakdowns resolved in it.
    pub repair_median_hours: Option<f64>,
    pub resolved: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SummaryUptime {
    /// The last 90 days to now.
    pub last_90_days: SummaryPeriod,
    /// The 12 calendar months ending with this one (to now).
    pub last_12_months: SummaryPeriod,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryWork {
    pub log_id: i64,
    /// As stored; pages name its asset in the reader's language.
    pub title: String,
    pub asset_id: Option<i64>,
    pub done_on: NaiveDate,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryMaintenance {
    /// Open tasks due now, and those past their deadline and grace days.
    pub due: i64,
    pub overdue: i64,
    /// Tasks done on time over those due, deadlines in the last 3 months.
    pub compliance_3m: crate::maintenance::Compliance,
    pub last_work: Option<SummaryWork>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryAsset {
    pub id: i64,
    pub name: String,
    /// Its name in Hindi, where the register has one.
    pub name_hi: Option<String>,
    pub kind: String,
    pub end_of_life_on: Option<NaiveDate>,
    /// Already past its expected life.
    pub overdue: bool,
    pub replacement_cost_paise: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryAssets {
    /// Assets in service past or reaching the end of their life within `within_months`.
    pub nearing_end: Vec<SummaryAsset>,
    pub within_months: i64,
    /// The end of the scheme's design period, if known.
    pub design_end_on: Option<NaiveDate>,
    /// Indicative replacement budget of the assets whose life ends by the end of the design
    /// period (the renewals page's budget for that window), and how many of them have no cost.
    pub renewal_budget_paise: i64,
    pub renewals: usize,
    pub renewals_without_cost: usize,
}

/// Demand and collection of a stretch of months.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SummaryMoney {
    pub demand_paise: i64,
    pub collected_paise: i64,
    /// Collection efficiency in percent (one decimal); none when nothing was demanded.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SummaryBilling {
    /// Active households of the GP on this scheme.
    pub households: i64,
    /// YYYY-MM.
    pub month: String,
    pub this_month: SummaryMoney,
    /// The 12 months ending with this one.
    pub last_12_months: SummaryMoney,
    /// Unpaid of all their demands up to this month.
    pub arrears_paise: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SummaryCosts {
    /// Cash-book expenses linked to the scheme's breakdowns and maintenance tasks.
    pub this_month_paise: i64,
    pub last_12_months_paise: i64,
    pub entries_12_months: usize,
}

/// The assets' window on the card, in months (the renewals page's first window).
pub const NEARING_MONTHS: i64 = super::lifecycle::WINDOWS[0];

/// The card's figures drawn from rows whose writes bump the GP's change count (breakdowns,
/// maintenance tasks, demands, payments, the cash book): most of the page's cost, kept in
/// `scheme_figures` by the first reader as the dashboards keep a GP's figures, and fresh while
/// the GP's change count is the one seen before computing them, they are younger than
/// `dashboards.max_age_seconds`, for today, and the scheme serves as many households.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeptFigures {
    pub today: NaiveDate,
    /// Active households on the scheme when computed (one moved on or off it: recomputed).
    pub households: i64,
    pub breakdowns_open: i64,
    pub breakdowns_overdue: i64,
    pub breakdowns_escalated: i64,
    pub uptime: SummaryUptime,
    pub tasks_due: i64,
    pub tasks_overdue: i64,
    pub compliance_3m: crate::maintenance::Compliance,
    pub this_month: SummaryMoney,
    pub last_12_months: SummaryMoney,
    pub arrears_paise: i64,
    pub costs: SummaryCosts,
}

/// Figures computed by a reader, to keep with [`keep`] after its read.
#[derive(Debug, Clone)]
pub struct ToKeep {
    pub scheme_id: i64,
    pub gp_id: i64,
    /// The GP's change count read before computing.
    pub seen: i64,
    pub computed_at: NaiveDateTime,
    pub figures: KeptFigures,
}

/// The kept part of the card, computed from the rows (the same functions as the pages each
/// block summarises: the breakdowns review, the task list, the dashboards' compliance, the
/// ledgers' oldest-first settlement, the cash book).
fn kept_part(
    conn: &mut DbConn,
    scope: &crate::auth::Scope,
    grace_days: i64,
    scheme: &Scheme,
    households: i64,
    now: NaiveDateTime,
) -> AppResult<KeptFigures> {
    use crate::breakdowns::stats::FactFilter;
    let id = scheme.id;
    let today = today_in_india(now);
    let month = crate::breakdowns::stats::month_of(now);
    // each block's time, for `RUST_LOG=paani::schemes=debug` (what the page's cost is made of)
    let mut clock = std::time::Instant::now();
    let mut lap = move || {
        let ms = clock.elapsed().as_secs_f64() * 1000.0;
        clock = std::time::Instant::now();
        ms
    };

    // breakdowns and uptime: the review's figures for this scheme
    let ff = FactFilter {
        scheme: Some(id),
        ..Default::default()
    };
    let figs = crate::breakdowns::review::figures(conn, scope, &ff, month, now)?;
    let counts = figs.by_gp.iter().find(|g| g.gp_id == scheme.gp_id);
    let w = &figs.last_90_days;
    let uptime = SummaryUptime {
        last_90_days: SummaryPeriod {
            uptime_percent: w.uptime_percent,
            repair_median_hours: w.repair.median_hours,
            resolved: w.repair.count,
        },
        last_12_months: SummaryPeriod {
            uptime_percent: figs.uptime_percent,
            repair_median_hours: figs.repair.median_hours,
            resolved: figs.repair.count,
        },
    };
    let breakdowns_ms = lap();

    // maintenance: the task list's due and overdue, the dashboards' compliance
    let (tasks_due, tasks_overdue) = crate::maintenance::model::open_due_counts(
        conn,
        Some(scheme.gp_id),
        Some(id),
        today,
        grace_days,
    )?;
    let three_months_ago = today
        .checked_sub_months(chrono::Months::new(3))
        .unwrap_or(today);
    let compliance_3m = crate::maintenance::model::compliance(
        conn,
        scope,
        Some(id),
        three_months_ago,
        today,
        grace_days,
    )?;
    let tasks_ms = lap();

    // households: the ledgers' oldest-first settlement, for this scheme's households
    let first = month
        .checked_sub_months(chrono::Months::new(11))
        .unwrap_or(month);
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let end = crate::billing::demands::due_on(month, 31);
    let unpaid =
        crate::billing::ledger::model::unpaid_by_month_of_scheme(conn, scheme.gp_id, id, end)?;
    let eff = crate::billing::ledger::model::efficiency_of(&unpaid, first, month);
    let money = |d: i64, c: i64| SummaryMoney {
        demand_paise: d,
        collected_paise: c,
        percent: crate::billing::ledger::model::percent(c, d),
    };
    let this_month = eff
        .last()
        .map(|e| money(e.demand_paise, e.collected_paise))
        .unwrap_or_else(|| money(0, 0));
    let last_12_months = eff
        .last()
        .map(|e| money(e.cumulative_demand_paise, e.cumulative_collected_paise))
        .unwrap_or_else(|| money(0, 0));
    let arrears_paise = crate::billing::ledger::model::ageing_totals(&unpaid, month)
        .iter()
        .sum();
    let billing_ms = lap();

    // O&M costs: the cash book's expenses linked to its work (as the book filtered to it)
    let spent = crate::billing::cashbook::scheme_expenses(conn, scheme.gp_id, id, first, next)?;
    let costs = SummaryCosts {
        this_month_paise: spent.iter().filter(|e| e.1 >= month).map(|e| e.2).sum(),
        last_12_months_paise: spent.iter().map(|e| e.2).sum(),
        entries_12_months: spent.len(),
    };
    tracing::debug!(
        scheme = id,
        breakdowns_ms,
        tasks_ms,
        billing_ms,
        costs_ms = lap(),
        "scheme summary: kept figures computed"
    );
    Ok(KeptFigures {
        today,
        households,
        breakdowns_open: counts.map(|c| c.open as i64).unwrap_or(0),
        breakdowns_overdue: counts.map(|c| c.overdue as i64).unwrap_or(0),
        breakdowns_escalated: counts.map(|c| c.escalated as i64).unwrap_or(0),
        uptime,
        tasks_due,
        tasks_overdue,
        compliance_3m,
        this_month,
        last_12_months,
        arrears_paise,
        costs,
    })
}

/// The card from its kept part and what is read live: the status, the open breakdowns'
/// first rows, the last work, the assets.
fn summary_from(
    conn: &mut DbConn,
    scope: &crate::auth::Scope,
    config: &crate::config::Config,
    scheme: &Scheme,
    gp: &Place,
    now: NaiveDateTime,
    k: KeptFigures,
) -> AppResult<SchemeSummary> {
    let id = scheme.id;
    let today = today_in_india(now);
    let month = crate::breakdowns::stats::month_of(now);
    let started = std::time::Instant::now();

    let outages = model::open_outages(conn, &[id])?
        .get(&id)
        .copied()
        .unwrap_or(0);
    let status = SummaryStatus {
        status: scheme.functioning(outages),
        hand_set: scheme.status(),
        open_outages: outages,
    };

    let bf = crate::breakdowns::BreakdownFilter {
        scheme: Some(id),
        ..Default::default()
    };
    let (open_rows, _) = crate::breakdowns::list(
        conn,
        scope,
        &bf,
        crate::web::pagination::PageRequest::new(Some(1), 10),
        now,
    )?;
    let breakdowns = SummaryBreakdowns {
        open: k.breakdowns_open,
        overdue: k.breakdowns_overdue,
        escalated: k.breakdowns_escalated,
        oldest: open_rows
            .into_iter()
            .map(|b| SummaryBreakdown {
                age_days: (now - b.created_at).num_days(),
                overdue: now > b.resolve_due_at,
                id: b.id,
                number: b.number,
                status: b.status,
                supply: b.supply,
                reported_at: b.created_at,
                resolve_due_at: b.resolve_due_at,
                escalation_level: b.escalation_level,
            })
            .collect(),
    };

    let last = crate::maintenance::model::logs_of_scheme(conn, id, Default::default(), 1)?;
    let maintenance = SummaryMaintenance {
        due: k.tasks_due,
        overdue: k.tasks_overdue,
        compliance_3m: k.compliance_3m,
        last_work: last.into_iter().next().map(|l| SummaryWork {
            log_id: l.id,
            title: l.title,
            asset_id: l.asset_id,
            done_on: l.done_on,
        }),
    };

    // assets: the renewals page for this scheme, up to the later of its window and the
    // design period's end
    let near = super::lifecycle::window_end(today, NEARING_MONTHS);
    let until = scheme.design_end_on.map_or(near, |d| d.max(near));
    let report = super::lifecycle::report_until(conn, gp, until, Some(id))?;
    let in_design: Vec<&super::assets::Asset> = report
        .assets
        .iter()
        .map(|(a, _)| a)
        .filter(|a| match (scheme.design_end_on, a.end_of_life_on) {
            (Some(end), Some(e)) => e <= end,
            _ => false,
        })
        .collect();
    let (renewal_budget_paise, renewals_without_cost) =
        super::lifecycle::budget_of(in_design.iter().copied());
    let assets = SummaryAssets {
        nearing_end: report
            .assets
            .iter()
            .filter(|(a, _)| a.end_of_life_on.is_some_and(|e| e <= near))
            .map(|(a, _)| SummaryAsset {
                id: a.id,
                name: a.name.clone(),
                name_hi: a.name_hi.clone(),
                kind: a.kind.clone(),
                end_of_life_on: a.end_of_life_on,
                overdue: a.end_of_life_on.is_some_and(|e| e <= today),
                replacement_cost_paise: a.replacement_cost_paise,
            })
            .collect(),
        within_months: NEARING_MONTHS,
        design_end_on: scheme.design_end_on,
        renewal_budget_paise,
        renewals: in_design.len(),
        renewals_without_cost,
    };
    let m = crate::supply::service::month_of(conn, config, scheme, today, now)?;
    let supply = SummarySupply {
        month: m.month.format("%Y-%m").to_string(),
        days_logged: m.figures.days_logged,
        days_without_supply: m.figures.days_without_supply,
        lpcd: m.figures.lpcd,
        lpcd_norm: m.norms.lpcd_norm,
        regularity_percent: m.figures.regularity_percent,
        functionality: m.functionality,
    };
    let (last_test, failed) = crate::water_quality::samples::model::latest_of_scheme(
        conn,
        scheme.gp_id,
        id,
        today - chrono::Months::new(12),
    )?;
    let water_quality = SummaryWaterQuality {
        last: last_test.map(|t| SummaryWaterTest {
            sample_id: t.id,
            kind: t.kind,
            tested_on: t.tested_on,
            class: t.overall_class,
        }),
        failed_12_months: failed,
    };
    tracing::debug!(
        scheme = id,
        live_ms = started.elapsed().as_secs_f64() * 1000.0,
        "scheme summary: live figures read"
    );

    Ok(SchemeSummary {
        scheme_id: id,
        gp_id: scheme.gp_id,
        today,
        status,
        breakdowns,
        uptime: k.uptime,
        maintenance,
        assets,
        billing: SummaryBilling {
            households: k.households,
            month: month.format("%Y-%m").to_string(),
            this_month: k.this_month,
            last_12_months: k.last_12_months,
            arrears_paise: k.arrears_paise,
        },
        costs: k.costs,
        supply,
        water_quality,
    })
}

/// The scheme's health card computed from the rows, read on one connection: the scheme in
/// `scope` (else not found), figures at `now`.
pub fn summary_in(
    conn: &mut DbConn,
    scope: &crate::auth::Scope,
    config: &crate::config::Config,
    scheme: &Scheme,
    gp: &Place,
    now: NaiveDateTime,
) -> AppResult<SchemeSummary> {
    let households = model::households_served(conn, scheme.gp_id, scheme.id)?;
    let grace_days = config.maintenance.grace_days;
    let k = kept_part(conn, scope, grace_days, scheme, households, now)?;
    summary_from(conn, scope, config, scheme, gp, now, k)
}

/// The health card as the page reads it in its one pool trip: the kept part when fresh (see
/// [`KeptFigures`]), else computed, with what to keep afterwards (none when the GP's figures
/// were never kept, since nothing would then mark the scheme's stale).
pub fn summary_kept_in(
    conn: &mut DbConn,
    scope: &crate::auth::Scope,
    config: &crate::config::Config,
    scheme: &Scheme,
    gp: &Place,
    now: NaiveDateTime,
) -> AppResult<(SchemeSummary, Option<ToKeep>)> {
    let max_age = config.dashboards.max_age_seconds;
    let households = model::households_served(conn, scheme.gp_id, scheme.id)?;
    let (changes, row) = model::kept_figures(conn, scheme.gp_id, scheme.id)?;
    let today = today_in_india(now);
    let fresh = match (changes, row) {
        (Some(changes), Some((seen, at, text)))
            if seen == changes && at <= now && now - at <= chrono::Duration::seconds(max_age) =>
        {
            serde_json::from_str::<KeptFigures>(&text)
                .ok()
                .filter(|k| k.today == today && k.households == households)
        }
        _ => None,
    };
    if let Some(k) = fresh {
        return Ok((summary_from(conn, scope, config, scheme, gp, now, k)?, None));
    }
    let grace = config.maintenance.grace_days;
    let k = kept_part(conn, scope, grace, scheme, households, now)?;
    let keep = changes.map(|seen| ToKeep {
        scheme_id: scheme.id,
        gp_id: scheme.gp_id,
        seen,
        computed_at: now,
        figures: k.clone(),
    });
    Ok((summary_from(conn, scope, config, scheme, gp, now, k)?, keep))
}

/// Keep figures a reader computed (one short write).
pub fn keep(conn: &mut DbConn, k: &ToKeep) -> AppResult<()> {
    let text = serde_json::to_string(&k.figures).map_err(|e| AppError::Internal(e.to_string()))?;
    model::keep_figures(conn, k.scheme_id, k.gp_id, k.seen, k.computed_at, &text)
}

/// The health card of a scheme in the actor's scope (404 outside it), kept figures used and
/// kept as on the page.
pub fn summary(ctx: &Ctx, actor: &Actor, id: i64) -> AppResult<SchemeSummary> {
    let now = ctx.clock.now();
    let scope = actor.scope;
    let (summary, keep_it) = {
        let mut c = ctx.db.conn()?;
        let s = model::find_in_scope(&mut c, &scope, id)?;
        let gp = crate::places::model::find(&mut c, s.gp_id)?;
        summary_kept_in(&mut c, &scope, &ctx.config, &s, &gp, now)?
    };
    if let Some(k) = keep_it {
        ctx.db.write_blocking(|c| keep(c, &k))?;
    }
    Ok(summary)
}
