//! Schemes: a GP's piped water supply (or hand pump, or bulk supply) with the villages it
//! serves, its design period and a status whose every change is kept with who, when and why.
//! Assets (the scheme's components) are in `assets.rs`; the lifecycle views in `lifecycle.rs`.

pub mod assets;
pub mod assets_http;
pub mod catalogue;
pub mod csv_io;
pub mod http;
pub mod lifecycle;

use crate::auth::{Actor, Scope};
use crate::db::schema::{places, scheme_status_history, scheme_villages, schemes};
use crate::db::{like_pattern, lower, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{self as place_mod, Level, Place};
use crate::web::forms;
use crate::web::pagination::PageRequest;
use catalogue::Catalogue;
use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SchemeStatus {
    Functional,
    PartiallyFunctional,
    NonFunctional,
    UnderRepair,
    Decommissioned,
}

impl SchemeStatus {
    pub const ALL: [SchemeStatus; 5] = [
        SchemeStatus::Functional,
        SchemeStatus::PartiallyFunctional,
        SchemeStatus::NonFunctional,
        SchemeStatus::UnderRepair,
        SchemeStatus::Decommissioned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchemeStatus::Functional => "functional",
            SchemeStatus::PartiallyFunctional => "partially_functional",
            SchemeStatus::NonFunctional => "non_functional",
            SchemeStatus::UnderRepair => "under_repair",
            SchemeStatus::Decommissioned => "decommissioned",
        }
    }

    pub fn parse(s: &str) -> Option<SchemeStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// `years` after `from`; 29 February lands on 28 February in a year without it.
pub fn add_years(from: NaiveDate, years: i32) -> Option<NaiveDate> {
    u32::try_from(years)
        .ok()
        .and_then(|y| from.checked_add_months(Months::new(y.checked_mul(12)?)))
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = schemes)]
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
    pub status_changed_at: NaiveDateTime,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Scheme {
    pub fn display_name(&self, lang: crate::web::i18n::Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.name, self.name_hi.as_deref())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = scheme_status_history)]
pub struct StatusChange {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub status: String,
    pub reason: String,
    pub changed_by: Option<i64>,
    pub changed_by_name: String,
    pub changed_at: NaiveDateTime,
}

/// Scheme fields as typed (form, JSON, CSV).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SchemeInput {
    /// LGD code of the gram panchayat the scheme belongs to (a secretary's own GP by default).
    pub gp_lgd_code: String,
    pub name: String,
    pub name_hi: String,
    /// IMIS or state scheme id.
    pub imis_id: String,
    /// A scheme kind code from the catalogue (pws, solar_pws, hand_pump, mvs_bulk, …).
    pub kind: String,
    /// A source kind code from the catalogue (borewell, river, …).
    pub source_kind: String,
    /// YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub commissioned_on: String,
    pub design_period_years: String,
    pub design_population: String,
    pub planned_connections: String,
    pub operator_name: String,
    pub operator_phone: String,
    /// LGD codes of the villages served, separated by commas or spaces (any GP's villages).
    pub villages: String,
    pub notes: String,
}

/// Checked scheme fields.
#[derive(Debug, Clone)]
pub struct SchemeValues {
    pub gp: Place,
    pub name: String,
    pub name_hi: Option<String>,
    pub imis_id: Option<String>,
    pub kind: String,
    pub source_kind: Option<String>,
    pub commissioned_on: Option<NaiveDate>,
    pub design_period_years: i32,
    pub design_population: Option<i32>,
    pub planned_connections: Option<i32>,
    pub operator_name: Option<String>,
    pub operator_phone: Option<String>,
    pub villages: Vec<Place>,
    pub notes: Option<String>,
}

/// The gram panchayat an actor works in, when it is one (secretaries and members).
pub fn own_gp_lgd(conn: &mut DbConn, actor: &Actor) -> AppResult<Option<i64>> {
    match actor.scope {
        Scope::Place {
            level: Level::Gp,
            id,
        } => Ok(Some(place_mod::model::find(conn, id)?.lgd_code)),
        _ => Ok(None),
    }
}

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
    let gp_code = match place_mod::parse_lgd(&input.gp_lgd_code) {
        Some(c) => Some(c),
        None if input.gp_lgd_code.trim().is_empty() => own_gp_lgd(conn, actor)?,
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
        Some(code) => match place_mod::model::by_lgd(conn, Level::Gp, code)? {
            Some(p)
                if p.active
                    && place_mod::model::find_in_scope(conn, &actor.scope, p.id).is_ok() =>
            {
                gp = Some(p)
            }
            Some(p) if !p.active => e.add("gp_lgd_code", "user-place-inactive"),
            _ => e.add("gp_lgd_code", "scheme-gp-not-yours"),
        },
    }
    let name = forms::required_text(&input.name, 120, "name", &mut e);
    let name_hi = forms::optional_text(&input.name_hi, 120, "name_hi", &mut e);
    let imis_id = forms::optional_text(&input.imis_id, 40, "imis_id", &mut e);
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
    let operator_name = forms::optional_text(&input.operator_name, 120, "operator_name", &mut e);
    let operator_phone = match input.operator_phone.trim() {
        "" => None,
        p => match crate::auth::users::normalize_mobile(p) {
            Some(n) => Some(n),
            None => {
                e.add("operator_phone", "phone-invalid");
                None
            }
        },
    };
    let mut villages = vec![];
    for token in input
        .villages
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        match place_mod::parse_lgd(token) {
            None => {
                e.add_with(
                    "villages",
                    "scheme-village-missing",
                    &[("code", token.to_string())],
                );
                break;
            }
            Some(code) => match place_mod::model::by_lgd(conn, Level::Village, code)? {
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
    if villages.len() > 200 {
        e.add_with("villages", "field-too-long", &[("max", "200".into())]);
    }
    let notes = forms::optional_text(&input.notes, 2000, "notes", &mut e);
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

/// Raw status change as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusInput {
    /// functional, partially_functional, non_functional, under_repair or decommissioned.
    pub status: String,
    /// Why (required).
    pub reason: String,
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
    let reason = forms::required_text(&input.reason, 500, "reason", &mut e);
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

pub fn history_of(conn: &mut DbConn, scheme_id: i64) -> AppResult<Vec<StatusChange>> {
    Ok(scheme_status_history::table
        .filter(scheme_status_history::scheme_id.eq(scheme_id))
        .order(scheme_status_history::id.desc())
        .select(StatusChange::as_select())
        .load(conn)?)
}

/// Filters for scheme lists (pages, API, CSV export).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct SchemeFilter {
    /// Name, Hindi name, code or IMIS id contains this.
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
        q = q.filter(schemes::status.eq(s.as_str()));
    }
    if let Some(k) = f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        q = q.filter(schemes::kind.eq(k));
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = like_pattern(term);
        q = q.filter(
            lower(schemes::name)
                .like(pat.clone())
                .or(schemes::name_hi.like(pat.clone()))
                .or(lower(schemes::code).like(pat.clone()))
                .or(schemes::imis_id.like(pat)),
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
    let total: i64 = filtered(scope, f).count().get_result(conn)?;
    let rows = filtered(scope, f)
        .order((schemes::gp_id.asc(), schemes::name.asc(), schemes::id.asc()))
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
    Ok(filtered(scope, f)
        .filter(schemes::id.gt(after_id))
        .order(schemes::id.asc())
        .limit(batch)
        .select(Scheme::as_select())
        .load(conn)?)
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/schemes",
    label: "nav-schemes",
    verb: Some(crate::auth::Verb::ViewSchemes),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_across_leap_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(add_years(d(2024, 2, 29), 15), Some(d(2039, 2, 28)));
        assert_eq!(add_years(d(2024, 2, 29), 4), Some(d(2028, 2, 29)));
        assert_eq!(add_years(d(2023, 3, 1), 1), Some(d(2024, 3, 1)));
        assert_eq!(add_years(d(2020, 12, 31), 30), Some(d(2050, 12, 31)));
        assert_eq!(add_years(d(2020, 1, 1), -1), None);
    }

    #[test]
    fn statuses_round_trip() {
        for s in SchemeStatus::ALL {
            assert_eq!(SchemeStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(SchemeStatus::parse("broken"), None);
    }
}
