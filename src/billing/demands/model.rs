//! Demands' rows and queries: demands, runs and what a raise would create (the preview), runs
//! and demands in a scope, the GPs set to automatic demands.

use super::month_end;
use crate::auth::Scope;
use crate::billing::tariffs;
use crate::db::schema::{demand_runs, demands, places};
use crate::db::{sql_for, DbConn};
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = demands)]
pub struct Demand {
    pub id: i64,
    pub gp_id: i64,
    pub household_id: i64,
    /// The month's first day.
    pub month: NaiveDate,
    pub run_id: i64,
    pub amount_paise: i64,
    pub due_on: NaiveDate,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    /// Added by the plan's late-fee rule when the demand stayed unpaid.
    pub late_fee_paise: i64,
    /// When it last changed after it was raised (its late fee); null: never.
    #[serde(with = "crate::clock::utc::option")]
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = demand_runs, treat_none_as_default_value = false)]
pub struct Run {
    pub id: i64,
    pub gp_id: i64,
    pub month: NaiveDate,
    pub plan_id: i64,
    pub demands: i32,
    pub total_paise: i64,
    pub created_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancel_reason: Option<String>,
}

/// What raising would do in one GP.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GpPreview {
    pub gp_id: i64,
    /// The GP's name (in English until [`Preview::name_in`] names it for a reader).
    pub gp_name: String,
    #[serde(skip)]
    pub gp_name_hi: Option<String>,
    /// The plan in force, if the GP has one.
    pub plan_id: Option<i64>,
    /// New demands and their total.
    pub demands: i64,
    pub total_paise: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// YYYY-MM.
    pub month: String,
    /// The month's first day.
    #[serde(skip)]
    pub first_day: NaiveDate,
    pub gps: Vec<GpPreview>,
    pub demands: i64,
    pub total_paise: i64,
}

/// The households a run would bill (the part shared by the preview and the insert).
pub const BILLABLE: &str = "FROM households h \
     JOIN tariff_rates r ON r.plan_id = ? AND r.category = h.category \
     WHERE h.gp_id = ? AND h.status = 'active' AND h.connected_on <= ? AND r.monthly_paise > 0 \
     AND NOT EXISTS (SELECT 1 FROM demands d WHERE d.household_id = h.id AND d.month = ?)";

#[derive(QueryableByName)]
struct CountSum {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    total: Option<i64>,
}

fn count_billable(
    conn: &mut DbConn,
    plan_id: i64,
    gp_id: i64,
    month: NaiveDate,
) -> AppResult<(i64, i64)> {
    let sql = sql_for(
        conn,
        &format!("SELECT COUNT(*) AS n, CAST(SUM(r.monthly_paise) AS BIGINT) AS total {BILLABLE}"),
    );
    let end = month_end(month);
    let row: CountSum = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<BigInt, _>(plan_id)
        .bind::<BigInt, _>(gp_id)
        .bind::<Date, _>(end)
        .bind::<Date, _>(month)
        .get_result(c))?;
    Ok((row.n, row.total.unwrap_or(0)))
}

/// The GPs a raise covers: every GP in the scope (a secretary's own; a block or district for
/// an administrator or officer), optionally narrowed to one place.
fn gps(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<crate::places::Place>> {
    Ok(scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq("gp"))
        .filter(places::active.eq(true))
        .order(places::lgd_code.asc())
        .select(crate::places::Place::as_select())
        .load(conn)?)
}

/// What raising demands for `month` would create, per GP.
pub fn preview(conn: &mut DbConn, scope: &Scope, month: NaiveDate) -> AppResult<Preview> {
    let mut out = vec![];
    for gp in gps(conn, scope)? {
        let gp_id = gp.id;
        let plan = tariffs::in_force(conn, gp_id, month)?;
        let (n, total) = match &plan {
            Some(p) => count_billable(conn, p.id, gp_id, month)?,
            None => (0, 0),
        };
        out.push(GpPreview {
            gp_id,
            gp_name: gp.name,
            gp_name_hi: gp.name_hi,
            plan_id: plan.map(|p| p.id),
            demands: n,
            total_paise: total,
        });
    }
    Ok(Preview {
        month: month.format("%Y-%m").to_string(),
        first_day: month,
        demands: out.iter().map(|g| g.demands).sum(),
        total_paise: out.iter().map(|g| g.total_paise).sum(),
        gps: out,
    })
}

impl Preview {
    /// The GPs named in the reader's language (for a page; raising does not look at names).
    pub fn name_in(mut self, lang: crate::web::i18n::Lang) -> Self {
        for g in &mut self.gps {
            g.gp_name =
                crate::web::i18n::name_in(lang, &g.gp_name, g.gp_name_hi.as_deref()).to_string();
        }
        self
    }
}

pub fn find_run(conn: &mut DbConn, id: i64) -> AppResult<Run> {
    demand_runs::table
        .find(id)
        .select(Run::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_run_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Run> {
    demand_runs::table
        .filter(demand_runs::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            demand_runs::table,
            demand_runs::gp_id
        ))
        .select(Run::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Runs in scope, newest first.
pub fn runs(conn: &mut DbConn, scope: &Scope, limit: i64) -> AppResult<Vec<Run>> {
    runs_from(conn, scope, 0, limit)
}

/// Runs in scope, newest first: `limit` from `offset` (the export pages through all of them).
pub fn runs_from(conn: &mut DbConn, scope: &Scope, offset: i64, limit: i64) -> AppResult<Vec<Run>> {
    Ok(runs_page(conn, scope, None, offset, limit)?.0)
}

/// When a run last changed: a run once raised changes only by its cancellation (nothing else
/// updates `demand_runs`).
fn run_changed_at() -> crate::db::coalesce_time<demand_runs::cancelled_at, demand_runs::created_at>
{
    crate::db::coalesce_time(demand_runs::cancelled_at, demand_runs::created_at)
}

impl Run {
    /// When it last changed (see [`run_changed_at`]).
    pub fn changed_at(&self) -> NaiveDateTime {
        self.cancelled_at.unwrap_or(self.created_at)
    }
}

/// Runs in scope, newest first (pulling changes: by change), `limit` from `offset`, and how
/// many match.
pub fn runs_page(
    conn: &mut DbConn,
    scope: &Scope,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Run>, i64)> {
    let build = || {
        let q = demand_runs::table.into_boxed().filter(crate::in_scope!(
            scope,
            demand_runs::table,
            demand_runs::gp_id
        ));
        crate::changed_since!(q, changes, run_changed_at(), demand_runs::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        changes,
        run_changed_at(),
        demand_runs::id,
        demand_runs::id.desc()
    )
    .offset(offset)
    .limit(limit)
    .select(Run::as_select())
    .load(conn)?;
    Ok((rows, total))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DemandFilter {
    /// YYYY-MM.
    #[serde(default)]
    pub month: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub household: Option<i64>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// When a demand last changed: its late fee, else when it was raised.
fn changed_at() -> crate::db::coalesce_time<demands::updated_at, demands::created_at> {
    crate::db::coalesce_time(demands::updated_at, demands::created_at)
}

impl Demand {
    /// When it last changed (see [`changed_at`]).
    pub fn changed_at(&self) -> NaiveDateTime {
        self.updated_at.unwrap_or(self.created_at)
    }
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &DemandFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Demand>, i64)> {
    let month = f.month.as_deref().and_then(crate::web::forms::parse_month);
    let build = || {
        let mut q = demands::table.into_boxed().filter(crate::in_scope!(
            scope,
            demands::table,
            demands::gp_id
        ));
        if let Some(m) = month {
            q = q.filter(demands::month.eq(m));
        }
        if let Some(h) = f.household {
            q = q.filter(demands::household_id.eq(h));
        }
        crate::changed_since!(q, f.changes, changed_at(), demands::id)
    };
    let total = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        f.changes,
        changed_at(),
        demands::id,
        (demands::month.desc(), demands::household_id.asc())
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Demand::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// GPs (ids) whose demands the scheduler raises by itself.
pub fn auto_gps(conn: &mut DbConn, gp_ids: &[i64]) -> AppResult<Vec<i64>> {
    use crate::db::schema::gp_settings;
    Ok(gp_settings::table
        .filter(gp_settings::gp_id.eq_any(gp_ids))
        .filter(gp_settings::auto_demands.eq(true))
        .select(gp_settings::gp_id)
        .load(conn)?)
}

/// A demand notice as its shareable page shows it, in one language: the month's demand, its
/// due date and the household's balance today (no phone number).
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub demand: Demand,
    pub gp_name: String,
    pub village: String,
    pub connection_no: String,
    pub head_name: String,
    /// "Apr 2026".
    pub month: String,
    /// The month's demand with any late fee, as ₹ text.
    pub amount: String,
    pub late_fee: Option<String>,
    /// What the household owes today (all months), as ₹ text; none when nothing is owed.
    pub balance: Option<String>,
}

/// The notice of demand `id`.
pub fn notice(
    conn: &mut DbConn,
    i18n: &crate::web::i18n::I18n,
    lang: crate::web::i18n::Lang,
    id: i64,
) -> AppResult<Notice> {
    use crate::web::i18n::format_money;
    let demand: Demand = demands::table
        .find(id)
        .select(Demand::as_select())
        .first(conn)
        .optional()?
        .ok_or(crate::error::AppError::NotFound)?;
    let household = crate::billing::households::model::find(conn, demand.household_id)?;
    let gp = crate::places::model::find(conn, demand.gp_id)?;
    let village = crate::places::model::find(conn, household.village_id)?;
    let ledger = crate::billing::ledger::model::ledger(conn, &household)?;
    let balance = ledger.standing.balance_paise;
    Ok(Notice {
        gp_name: gp.display_name(lang).to_string(),
        village: village.display_name(lang).to_string(),
        connection_no: household.connection_no.clone(),
        head_name: household.head_name.clone(),
        month: i18n.month_label(lang, demand.month),
        amount: format_money(demand.amount_paise + demand.late_fee_paise),
        late_fee: (demand.late_fee_paise > 0).then(|| format_money(demand.late_fee_paise)),
        balance: (balance > 0).then(|| format_money(balance)),
        demand,
    })
}

/// The latest demand of a household, if it has one.
pub fn latest_of_household(conn: &mut DbConn, household_id: i64) -> AppResult<Option<Demand>> {
    Ok(demands::table
        .filter(demands::household_id.eq(household_id))
        .order((demands::month.desc(), demands::id.desc()))
        .select(Demand::as_select())
        .first(conn)
        .optional()?)
}
