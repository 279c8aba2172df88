//! Schemes' rows (the scheme, its villages, its status history) and queries.

use super::{add_years, SchemeInput, SchemeStatus, SchemeValues, StatusInput};
use crate::auth::{Actor, Scope};
use crate::breakdowns::{Status as BreakdownStatus, Supply};
use crate::db::schema::{breakdowns, places, scheme_status_history, scheme_villages, schemes};
use crate::db::{like_pattern, lower, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{Level, Place};
use crate::web::forms;
use crate::web::pagination::PageRequest;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = schemes, treat_none_as_default_value = false)]
pub struct Scheme {
    pub id: i64,
    pub gp_id: i64,
    /// Short public code, e.g. for the complaint page and the scheme card.
    pub code: String,
    pub name: String,
    pub name_hi: Option<String>,
    pub imis_id: Option<String>,
    pub kind: String,
    pub source_kind: Option<String>,
    pub commissioned_on: Option<NaiveDate>,
    pub design_period_years: i32,
    /// commissioned_on + design period.
    pub design_end_on: Option<NaiveDate>,
    pub design_population: Option<i32>,
    pub planned_connections: Option<i32>,
    pub operator_name: Option<String>,
    pub operator_phone: Option<String>,
    pub status: String,
    #[serde(with = "crate::clock::utc")]
    pub status_changed_at: NaiveDateTime,
    pub notes: Option<String>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Scheme {
    /// The status the operator set by hand (see [`Scheme::functioning`] for how it works now).
    pub fn status(&self) -> SchemeStatus {
        SchemeStatus::parse(&self.status).unwrap_or(SchemeStatus::Functional)
    }

    /// How it works now, given its open outages ([`super::functioning_of`]).
    pub fn functioning(&self, open_outages: i64) -> SchemeStatus {
        super::functioning_of(self.status(), open_outages)
    }

    pub fn display_name(&self, lang: crate::web::i18n::Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.name, self.name_hi.as_deref())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = scheme_status_history, treat_none_as_default_value = false)]
pub struct StatusChange {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub status: String,
    pub reason: String,
    pub changed_by: Option<i64>,
    pub changed_by_name: String,
    #[serde(with = "crate::clock::utc")]
    pub changed_at: NaiveDateTime,
}

/// A village a scheme serves (a scheme serves one or more of its GP's villages).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scheme_villages, treat_none_as_default_value = false)]
pub struct ServedVillage {
    pub scheme_id: i64,
    pub village_id: i64,
    pub gp_id: i64,
}

impl StatusChange {
    pub fn status(&self) -> SchemeStatus {
        SchemeStatus::parse(&self.status).unwrap_or(SchemeStatus::Functional)
    }
}

/// The gram panchayat an actor works in, when it is one (secretaries and members).
pub fn own_gp_lgd(conn: &mut DbConn, actor: &Actor) -> AppResult<Option<i64>> {
    match actor.scope {
        Scope::Place {
            level: Level::Gp,
            id,
        } => Ok(Some(crate::places::model::find(conn, id)?.lgd_code)),
        _ => Ok(None),
    }
}

/// The next free code in a GP: `<GP LGD>-<n>`.
fn next_code(conn: &mut DbConn, gp: &Place) -> AppResult<String> {
    let prefix = format!("{}-", gp.lgd_code);
    let codes: Vec<String> = schemes::table
        .filter(schemes::gp_id.eq(gp.id))
        .select(schemes::code)
        .load(conn)?;
    let n = codes
        .iter()
        .filter_map(|c| c.strip_prefix(&prefix).and_then(|n| n.parse::<i64>().ok()))
        .max()
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}{n}"))
}

fn set_villages(
    conn: &mut DbConn,
    scheme_id: i64,
    gp_id: i64,
    villages: &[Place],
) -> AppResult<()> {
    diesel::delete(scheme_villages::table.filter(scheme_villages::scheme_id.eq(scheme_id)))
        .execute(conn)?;
    if villages.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = villages
        .iter()
        .map(|v| {
            (
                scheme_villages::scheme_id.eq(scheme_id),
                scheme_villages::village_id.eq(v.id),
                scheme_villages::gp_id.eq(gp_id),
            )
        })
        .collect();
    crate::on_backend!(conn, |c| diesel::insert_into(scheme_villages::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

/// Store a new scheme (status `functional`, with its first history row).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    v: &SchemeValues,
    now: NaiveDateTime,
) -> AppResult<Scheme> {
    let code = next_code(conn, &v.gp)?;
    let design_end = v
        .commissioned_on
        .and_then(|d| add_years(d, v.design_period_years));
    let values = (
        schemes::gp_id.eq(v.gp.id),
        schemes::code.eq(&code),
        schemes::name.eq(&v.name),
        schemes::name_hi.eq(&v.name_hi),
        schemes::imis_id.eq(&v.imis_id),
        schemes::kind.eq(&v.kind),
        schemes::source_kind.eq(&v.source_kind),
        schemes::commissioned_on.eq(v.commissioned_on),
        schemes::design_period_years.eq(v.design_period_years),
        schemes::design_end_on.eq(design_end),
        schemes::design_population.eq(v.design_population),
        schemes::planned_connections.eq(v.planned_connections),
        schemes::operator_name.eq(&v.operator_name),
        schemes::operator_phone.eq(&v.operator_phone),
        schemes::status.eq(SchemeStatus::Functional.as_str()),
        schemes::status_changed_at.eq(now),
        schemes::notes.eq(&v.notes),
        schemes::created_at.eq(now),
        schemes::updated_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(schemes::table)
        .values(values)
        .returning(schemes::id)
        .get_result(c))?;
    set_villages(conn, id, v.gp.id, &v.villages)?;
    record_status(
        conn,
        actor,
        v.gp.id,
        id,
        SchemeStatus::Functional,
        "scheme registered",
        now,
    )?;
    find(conn, id)
}

/// Apply edited fields (status has its own action; the GP never changes).
pub fn update(
    conn: &mut DbConn,
    existing: &Scheme,
    v: &SchemeValues,
    now: NaiveDateTime,
) -> AppResult<Scheme> {
    if v.gp.id != existing.gp_id {
        let mut e = FieldErrors::new();
        e.add("gp_lgd_code", "scheme-gp-fixed");
        return Err(AppError::Validation(e));
    }
    let design_end = v
        .commissioned_on
        .and_then(|d| add_years(d, v.design_period_years));
    diesel::update(schemes::table.find(existing.id))
        .set((
            schemes::name.eq(&v.name),
            schemes::name_hi.eq(&v.name_hi),
            schemes::imis_id.eq(&v.imis_id),
            schemes::kind.eq(&v.kind),
            schemes::source_kind.eq(&v.source_kind),
            schemes::commissioned_on.eq(v.commissioned_on),
            schemes::design_period_years.eq(v.design_period_years),
            schemes::design_end_on.eq(design_end),
            schemes::design_population.eq(v.design_population),
            schemes::planned_connections.eq(v.planned_connections),
            schemes::operator_name.eq(&v.operator_name),
            schemes::operator_phone.eq(&v.operator_phone),
            schemes::notes.eq(&v.notes),
            schemes::updated_at.eq(now),
        ))
        .execute(conn)?;
    set_villages(conn, existing.id, existing.gp_id, &v.villages)?;
    find(conn, existing.id)
}

fn record_status(
    conn: &mut DbConn,
    actor: &Actor,
    gp_id: i64,
    scheme_id: i64,
    status: SchemeStatus,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(scheme_status_history::table)
        .values((
            scheme_status_history::gp_id.eq(gp_id),
            scheme_status_history::scheme_id.eq(scheme_id),
            scheme_status_history::status.eq(status.as_str()),
            scheme_status_history::reason.eq(reason),
            scheme_status_history::changed_by.eq(actor.user.id),
            scheme_status_history::changed_by_name.eq(&actor.user.display_name),
            scheme_status_history::changed_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Change a scheme's status, recording who, when and why. The same status again is refused.
pub fn change_status(
    conn: &mut DbConn,
    actor: &Actor,
    scheme: &Scheme,
    input: &StatusInput,
    now: NaiveDateTime,
) -> AppResult<Scheme> {
    let mut e = FieldErrors::new();
    let status = SchemeStatus::parse(&input.status);
    match status {
        None => e.add("status", "field-invalid-choice"),
        Some(s) if s.as_str() == scheme.status => e.add("status", "scheme-status-unchanged"),
        Some(_) => {}
    }
    let reason = forms::required_text(
        &input.reason,
        crate::web::forms::max::REASON,
        "reason",
        &mut e,
    );
    e.into_result()?;
    let (status, reason) = (status.expect("checked"), reason.expect("checked"));
    diesel::update(schemes::table.find(scheme.id))
        .set((
            schemes::status.eq(status.as_str()),
            schemes::status_changed_at.eq(now),
            schemes::updated_at.eq(now),
        ))
        .execute(conn)?;
    record_status(conn, actor, scheme.gp_id, scheme.id, status, &reason, now)?;
    find(conn, scheme.id)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Scheme> {
    schemes::table
        .find(id)
        .select(Scheme::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A scheme the actor may see; outside the scope it is `NotFound`, like a missing one.
/// The schemes with these ids, by id.
pub fn by_ids(
    conn: &mut DbConn,
    ids: Vec<i64>,
) -> AppResult<std::collections::HashMap<i64, Scheme>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(5_000) {
        let rows: Vec<Scheme> = schemes::table
            .filter(schemes::id.eq_any(chunk))
            .select(Scheme::as_select())
            .load(conn)?;
        out.extend(rows.into_iter().map(|s| (s.id, s)));
    }
    Ok(out)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Scheme> {
    schemes::table
        .filter(schemes::id.eq(id))
        .filter(crate::in_scope!(scope, schemes::table, schemes::gp_id))
        .select(Scheme::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn villages_of(conn: &mut DbConn, scheme_id: i64) -> AppResult<Vec<Place>> {
    Ok(scheme_villages::table
        .inner_join(places::table.on(places::id.eq(scheme_villages::village_id)))
        .filter(scheme_villages::scheme_id.eq(scheme_id))
        .order(places::name.asc())
        .select(Place::as_select())
        .load(conn)?)
}

/// Where a scheme is: its name, its GP and the villages it serves (rows of lists that span
/// several GPs name them).
#[derive(Debug, Clone)]
pub struct Whereabouts {
    pub scheme: (String, Option<String>),
    pub gp: (String, Option<String>),
    pub villages: Vec<(String, Option<String>)>,
}

/// The whereabouts of these schemes, in three queries whatever their number (schemes, their
/// GPs, their villages), by scheme id.
pub fn whereabouts_of(
    conn: &mut DbConn,
    scheme_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, Whereabouts>> {
    use std::collections::HashMap;
    let mut ids = scheme_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let rows: Vec<(i64, i64, String, Option<String>)> = schemes::table
            .filter(schemes::id.eq_any(chunk))
            .select((schemes::id, schemes::gp_id, schemes::name, schemes::name_hi))
            .load(conn)?;
        let mut gp_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        gp_ids.sort_unstable();
        gp_ids.dedup();
        let gps: HashMap<i64, (String, Option<String>)> = places::table
            .filter(places::id.eq_any(&gp_ids))
            .select((places::id, places::name, places::name_hi))
            .load::<(i64, String, Option<String>)>(conn)?
            .into_iter()
            .map(|(id, n, h)| (id, (n, h)))
            .collect();
        let served: Vec<(i64, String, Option<String>)> = scheme_villages::table
            .inner_join(places::table.on(places::id.eq(scheme_villages::village_id)))
            .filter(scheme_villages::scheme_id.eq_any(chunk))
            .order((scheme_villages::scheme_id.asc(), places::name.asc()))
            .select((scheme_villages::scheme_id, places::name, places::name_hi))
            .load(conn)?;
        let mut villages: HashMap<i64, Vec<(String, Option<String>)>> = HashMap::new();
        for (id, n, h) in served {
            villages.entry(id).or_default().push((n, h));
        }
        for (id, gp, name, name_hi) in rows {
            out.insert(
                id,
                Whereabouts {
                    scheme: (name, name_hi),
                    gp: gps.get(&gp).cloned().unwrap_or_default(),
                    villages: villages.remove(&id).unwrap_or_default(),
                },
            );
        }
    }
    Ok(out)
}

/// The LGD codes of the villages served by each of `scheme_ids`, in one query.
pub fn village_codes_of(
    conn: &mut DbConn,
    scheme_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, Vec<i64>>> {
    let rows: Vec<(i64, i64)> = scheme_villages::table
        .inner_join(places::table.on(places::id.eq(scheme_villages::village_id)))
        .filter(scheme_villages::scheme_id.eq_any(scheme_ids))
        .order((scheme_villages::scheme_id.asc(), places::name.asc()))
        .select((scheme_villages::scheme_id, places::lgd_code))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (scheme, code) in rows {
        out.entry(scheme).or_default().push(code);
    }
    Ok(out)
}

/// The open breakdowns that stopped the supply, per scheme, for these schemes in one grouped
/// query (a scheme without any is left out): what [`super::functioning_of`] needs.
pub fn open_outages(
    conn: &mut DbConn,
    scheme_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, i64>> {
    let mut out = std::collections::HashMap::new();
    for chunk in scheme_ids.chunks(5_000) {
        let rows: Vec<(i64, i64)> = breakdowns::table
            .filter(breakdowns::scheme_id.eq_any(chunk))
            .filter(breakdowns::supply.eq(Supply::Stopped.as_str()))
            .filter(breakdowns::status.eq_any(BreakdownStatus::open_texts()))
            .group_by(breakdowns::scheme_id)
            .select((breakdowns::scheme_id, diesel::dsl::count_star()))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The open breakdowns that stopped one scheme's supply: (id, number), oldest first.
pub fn open_outage_rows(conn: &mut DbConn, scheme_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(breakdowns::table
        .filter(breakdowns::scheme_id.eq(scheme_id))
        .filter(breakdowns::supply.eq(Supply::Stopped.as_str()))
        .filter(breakdowns::status.eq_any(BreakdownStatus::open_texts()))
        .order(breakdowns::id.asc())
        .select((breakdowns::id, breakdowns::number))
        .load(conn)?)
}

pub fn history_of(conn: &mut DbConn, scheme_id: i64) -> AppResult<Vec<StatusChange>> {
    Ok(scheme_status_history::table
        .filter(scheme_status_history::scheme_id.eq(scheme_id))
        .order(scheme_status_history::id.desc())
        .select(StatusChange::as_select())
        .load(conn)?)
}

/// Filters for scheme lists (pages, API, CSV export).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemeFilter {
    /// Name, Hindi name, code or IMIS id contains this, or the name of a village it serves.
    #[serde(default)]
    pub q: Option<String>,
    /// Only schemes inside this place (a GP, block, district or state id).
    #[serde(default)]
    pub place: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

type SchemesQuery<'a> = schemes::BoxedQuery<'a, crate::db::MultiBackend>;

fn filtered<'a>(scope: &Scope, f: &'a SchemeFilter) -> SchemesQuery<'a> {
    let mut q = schemes::table
        .filter(crate::in_scope!(scope, schemes::table, schemes::gp_id))
        .into_boxed();
    if let Some(place) = f.place {
        // The place's own subtree: its GPs. Combined with the scope above, never wider.
        let inner = places::table
            .filter(places::level.eq(Level::Gp.as_str()))
            .filter(
                places::state_id
                    .eq(place)
                    .or(places::district_id.eq(place))
                    .or(places::block_id.eq(place))
                    .or(places::gp_id.eq(place)),
            )
            .select(places::id);
        q = q.filter(schemes::gp_id.eq_any(inner));
    }
    if let Some(s) = f.status.as_deref().and_then(SchemeStatus::parse) {
        // The status as it works now (`functioning_of` in SQL): an open outage makes any
        // scheme but a decommissioned one non-functional.
        let outage = || {
            diesel::dsl::exists(
                breakdowns::table
                    .filter(breakdowns::scheme_id.eq(schemes::id))
                    .filter(breakdowns::supply.eq(Supply::Stopped.as_str()))
                    .filter(breakdowns::status.eq_any(BreakdownStatus::open_texts())),
            )
        };
        let decommissioned = SchemeStatus::Decommissioned.as_str();
        q = match s {
            SchemeStatus::Decommissioned => q.filter(schemes::status.eq(decommissioned)),
            SchemeStatus::NonFunctional => q.filter(
                schemes::status
                    .eq(s.as_str())
                    .or(schemes::status.ne(decommissioned).and(outage())),
            ),
            _ => q
                .filter(schemes::status.eq(s.as_str()))
                .filter(diesel::dsl::not(outage())),
        };
    }
    if let Some(k) = f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        q = q.filter(schemes::kind.eq(k));
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = like_pattern(term);
        // The schemes serving a village whose name (English or Hindi) matches.
        let villages = places::table
            .filter(places::level.eq(Level::Village.as_str()))
            .filter(
                lower(places::name)
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE)
                    .or(places::name_hi
                        .like(pat.clone())
                        .escape(crate::db::LIKE_ESCAPE)),
            )
            .select(places::id);
        let served = scheme_villages::table
            .filter(scheme_villages::village_id.eq_any(villages))
            .select(scheme_villages::scheme_id);
        q = q.filter(
            lower(schemes::name)
                .like(pat.clone())
                .escape(crate::db::LIKE_ESCAPE)
                .or(schemes::name_hi
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE))
                .or(lower(schemes::code)
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE))
                .or(schemes::imis_id
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE))
                .or(schemes::id.eq_any(served)),
        );
    }
    q
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &SchemeFilter,
    page: PageRequest,
) -> AppResult<(Vec<Scheme>, i64)> {
    scope.check_place(conn, f.place)?;
    let changed = || {
        crate::changed_since!(
            filtered(scope, f),
            f.changes,
            schemes::updated_at,
            schemes::id
        )
    };
    let total: i64 = changed().count().get_result(conn)?;
    let rows = crate::sync_order!(
        changed(),
        f.changes,
        schemes::updated_at,
        schemes::id,
        (schemes::gp_id.asc(), schemes::name.asc(), schemes::id.asc())
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Scheme::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Every scheme matching the filter (CSV export), in id order, `batch` at a time.
pub fn list_all(
    conn: &mut DbConn,
    scope: &Scope,
    f: &SchemeFilter,
    after_id: i64,
    batch: i64,
) -> AppResult<Vec<Scheme>> {
    scope.check_place(conn, f.place)?;
    Ok(filtered(scope, f)
        .filter(schemes::id.gt(after_id))
        .order(schemes::id.asc())
        .limit(batch)
        .select(Scheme::as_select())
        .load(conn)?)
}

/// The scheme with this code inside a scope.
pub fn by_code_in_scope(conn: &mut DbConn, scope: &Scope, code: &str) -> AppResult<Option<Scheme>> {
    Ok(schemes::table
        .filter(schemes::code.eq(code))
        .filter(crate::in_scope!(scope, schemes::table, schemes::gp_id))
        .select(Scheme::as_select())
        .first(conn)
        .optional()?)
}

/// The id of a GP's scheme of this name.
pub fn id_by_gp_and_name(conn: &mut DbConn, gp_id: i64, name: &str) -> AppResult<Option<i64>> {
    Ok(schemes::table
        .filter(schemes::gp_id.eq(gp_id))
        .filter(schemes::name.eq(name))
        .select(schemes::id)
        .first(conn)
        .optional()?)
}

/// The codes of the schemes with these ids: (id, code).
pub fn codes_of(conn: &mut DbConn, ids: Vec<i64>) -> AppResult<Vec<(i64, String)>> {
    Ok(schemes::table
        .filter(schemes::id.eq_any(ids))
        .select((schemes::id, schemes::code))
        .load(conn)?)
}

/// The places with these ids (the GPs of a page of schemes).
pub fn places_by_ids(conn: &mut DbConn, ids: Vec<i64>) -> AppResult<Vec<Place>> {
    Ok(places::table
        .filter(places::id.eq_any(ids))
        .select(Place::as_select())
        .load(conn)?)
}

/// The LGD codes of the places with these ids: (id, LGD code).
pub fn lgd_codes_of(conn: &mut DbConn, ids: Vec<i64>) -> AppResult<Vec<(i64, i64)>> {
    Ok(places::table
        .filter(places::id.eq_any(ids))
        .select((places::id, places::lgd_code))
        .load(conn)?)
}

/// A stored scheme's fields as they would be typed (the edit form, a partial API change).
pub fn input_of(conn: &mut DbConn, s: &Scheme) -> AppResult<SchemeInput> {
    let gp = crate::places::model::find(conn, s.gp_id)?;
    let villages = villages_of(conn, s.id)?;
    Ok(SchemeInput {
        gp_lgd_code: gp.lgd_code.to_string(),
        name: s.name.clone(),
        name_hi: s.name_hi.clone().unwrap_or_default(),
        imis_id: s.imis_id.clone().unwrap_or_default(),
        kind: s.kind.clone(),
        source_kind: s.source_kind.clone().unwrap_or_default(),
        commissioned_on: s.commissioned_on.map(|d| d.to_string()).unwrap_or_default(),
        design_period_years: s.design_period_years.to_string(),
        design_population: s
            .design_population
            .map(|n| n.to_string())
            .unwrap_or_default(),
        planned_connections: s
            .planned_connections
            .map(|n| n.to_string())
            .unwrap_or_default(),
        operator_name: s.operator_name.clone().unwrap_or_default(),
        operator_phone: s.operator_phone.clone().unwrap_or_default(),
        villages: villages
            .iter()
            .map(|v| v.lgd_code.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        notes: s.notes.clone().unwrap_or_default(),
    })
}

/// Active households of the scheme's GP that the scheme serves (the households list filtered
/// to the scheme counts the same).
pub fn households_served(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<i64> {
    use crate::db::schema::households;
    Ok(households::table
        .filter(households::gp_id.eq(gp_id))
        .filter(households::scheme_id.eq(scheme_id))
        .filter(households::status.eq(crate::billing::households::Status::Active.as_str()))
        .count()
        .get_result(conn)?)
}

/// A scheme's kept health-card figures (`scheme_figures`): (change count seen, computed at,
/// JSON).
pub type KeptRow = (i64, NaiveDateTime, String);

/// The GP's change count now (none when its figures were never kept: nothing would mark the
/// scheme's as stale then) and the scheme's kept row, if any.
pub fn kept_figures(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
) -> AppResult<(Option<i64>, Option<KeptRow>)> {
    use crate::db::schema::{gp_figures, scheme_figures};
    let changes = gp_figures::table
        .find(gp_id)
        .select(gp_figures::changes)
        .first::<i64>(conn)
        .optional()?;
    let row = scheme_figures::table
        .find(scheme_id)
        .filter(scheme_figures::gp_id.eq(gp_id))
        .select((
            scheme_figures::computed_changes,
            scheme_figures::computed_at,
            scheme_figures::figures,
        ))
        .first::<KeptRow>(conn)
        .optional()?;
    Ok((changes, row))
}

/// Keep a scheme's figures computed at the GP's change count `seen` (a write since leaves
/// them stale).
pub fn keep_figures(
    conn: &mut DbConn,
    scheme_id: i64,
    gp_id: i64,
    seen: i64,
    at: NaiveDateTime,
    figures: &str,
) -> AppResult<()> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    let sql = crate::db::sql_for(
        conn,
        "INSERT INTO scheme_figures (scheme_id, gp_id, computed_changes, computed_at, figures) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (scheme_id) DO UPDATE SET gp_id = excluded.gp_id, \
         computed_changes = excluded.computed_changes, computed_at = excluded.computed_at, \
         figures = excluded.figures",
    );
    crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<BigInt, _>(scheme_id)
        .bind::<BigInt, _>(gp_id)
        .bind::<BigInt, _>(seen)
        .bind::<Timestamp, _>(at)
        .bind::<Text, _>(figures)
        .execute(c))?;
    Ok(())
}
