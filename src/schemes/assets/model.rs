//! Assets' rows and queries.

use super::{AssetStatus, AssetStatusFilter, AssetValues};
use crate::auth::Scope;
use crate::db::schema::assets;
use crate::db::{like_pattern, lower, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::{add_years, Scheme};
use crate::web::pagination::PageRequest;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = assets, treat_none_as_default_value = false)]
pub struct Asset {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub kind: String,
    pub name: String,
    pub installed_on: Option<NaiveDate>,
    pub expected_life_years: i32,
    /// installed_on + expected life.
    pub end_of_life_on: Option<NaiveDate>,
    pub capacity: Option<f64>,
    pub capacity_unit: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial_no: Option<String>,
    pub warranty_until: Option<NaiveDate>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub replacement_cost_paise: Option<i64>,
    pub notes: Option<String>,
    pub status: String,
    pub replaces_id: Option<i64>,
    pub replaced_by_id: Option<i64>,
    /// When it was replaced or retired.
    pub ended_on: Option<NaiveDate>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
    /// Its name in Hindi, when someone gave one.
    pub name_hi: Option<String>,
}

impl Asset {
    /// The name in the reader's language: the Hindi name for Hindi readers when it has one.
    pub fn display_name(&self, lang: crate::web::i18n::Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.name, self.name_hi.as_deref())
    }

    pub fn status(&self) -> AssetStatus {
        AssetStatus::parse(&self.status).unwrap_or(AssetStatus::Working)
    }
}

pub fn create(
    conn: &mut DbConn,
    scheme: &Scheme,
    v: &AssetValues,
    replaces: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<Asset> {
    let eol = v
        .installed_on
        .and_then(|d| add_years(d, v.expected_life_years));
    let values = (
        assets::gp_id.eq(scheme.gp_id),
        assets::scheme_id.eq(scheme.id),
        assets::kind.eq(&v.kind),
        assets::name.eq(&v.name),
        assets::name_hi.eq(&v.name_hi),
        assets::installed_on.eq(v.installed_on),
        assets::expected_life_years.eq(v.expected_life_years),
        assets::end_of_life_on.eq(eol),
        assets::capacity.eq(v.capacity),
        assets::capacity_unit.eq(&v.capacity_unit),
        assets::make.eq(&v.make),
        assets::model.eq(&v.model),
        assets::serial_no.eq(&v.serial_no),
        assets::warranty_until.eq(v.warranty_until),
        assets::latitude.eq(v.latitude),
        assets::longitude.eq(v.longitude),
        assets::replacement_cost_paise.eq(v.replacement_cost_paise),
        assets::notes.eq(&v.notes),
        assets::status.eq(AssetStatus::Working.as_str()),
        assets::replaces_id.eq(replaces),
        assets::created_at.eq(now),
        assets::updated_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(assets::table)
        .values(values)
        .returning(assets::id)
        .get_result(c))?;
    find(conn, id)
}

pub fn update(
    conn: &mut DbConn,
    a: &Asset,
    v: &AssetValues,
    now: NaiveDateTime,
) -> AppResult<Asset> {
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    let eol = v
        .installed_on
        .and_then(|d| add_years(d, v.expected_life_years));
    diesel::update(assets::table.find(a.id))
        .set((
            assets::kind.eq(&v.kind),
            assets::name.eq(&v.name),
            assets::name_hi.eq(&v.name_hi),
            assets::installed_on.eq(v.installed_on),
            assets::expected_life_years.eq(v.expected_life_years),
            assets::end_of_life_on.eq(eol),
            assets::capacity.eq(v.capacity),
            assets::capacity_unit.eq(&v.capacity_unit),
            assets::make.eq(&v.make),
            assets::model.eq(&v.model),
            assets::serial_no.eq(&v.serial_no),
            assets::warranty_until.eq(v.warranty_until),
            assets::latitude.eq(v.latitude),
            assets::longitude.eq(v.longitude),
            assets::replacement_cost_paise.eq(v.replacement_cost_paise),
            assets::notes.eq(&v.notes),
            assets::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, a.id)
}

/// Set `working`, `needs_attention` or `failed`.
pub fn set_status(
    conn: &mut DbConn,
    a: &Asset,
    status: &str,
    now: NaiveDateTime,
) -> AppResult<Asset> {
    let Some(s) = AssetStatus::parse(status).filter(|s| AssetStatus::SETTABLE.contains(s)) else {
        let mut e = FieldErrors::new();
        e.add("status", "field-invalid-choice");
        return Err(AppError::Validation(e));
    };
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    diesel::update(assets::table.find(a.id))
        .set((assets::status.eq(s.as_str()), assets::updated_at.eq(now)))
        .execute(conn)?;
    find(conn, a.id)
}

/// Replace `old` with a new asset: the old one becomes `replaced` (ended on the new one's
/// install date, or today) and points at its successor, which points back.
pub fn replace(
    conn: &mut DbConn,
    scheme: &Scheme,
    old: &Asset,
    v: &AssetValues,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Asset> {
    if !old.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    let new = create(conn, scheme, v, Some(old.id), now)?;
    diesel::update(assets::table.find(old.id))
        .set((
            assets::status.eq(AssetStatus::Replaced.as_str()),
            assets::replaced_by_id.eq(new.id),
            assets::ended_on.eq(v.installed_on.unwrap_or(today)),
            assets::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(new)
}

/// Retire an asset without a successor.
pub fn retire(conn: &mut DbConn, a: &Asset, on: NaiveDate, now: NaiveDateTime) -> AppResult<Asset> {
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    diesel::update(assets::table.find(a.id))
        .set((
            assets::status.eq(AssetStatus::Retired.as_str()),
            assets::ended_on.eq(on),
            assets::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, a.id)
}

/// Names (typed, Hindi) of assets by id, for lists that show them in the reader's language.
pub fn names_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, (String, Option<String>)>> {
    let mut out = std::collections::HashMap::new();
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, Option<String>)> = assets::table
            .filter(assets::id.eq_any(chunk))
            .select((assets::id, assets::name, assets::name_hi))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, a, b)| (id, (a, b))));
    }
    Ok(out)
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Asset> {
    assets::table
        .find(id)
        .select(Asset::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Asset> {
    assets::table
        .filter(assets::id.eq(id))
        .filter(crate::in_scope!(scope, assets::table, assets::gp_id))
        .select(Asset::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The chain of replacements through this asset, oldest first.
pub fn lineage(conn: &mut DbConn, a: &Asset) -> AppResult<Vec<Asset>> {
    let mut before = vec![];
    let mut cur = a.replaces_id;
    while let Some(id) = cur {
        if before.len() > 100 {
            break;
        }
        let p = find(conn, id)?;
        cur = p.replaces_id;
        before.push(p);
    }
    before.reverse();
    let mut chain = before;
    chain.push(a.clone());
    let mut next = a.replaced_by_id;
    while let Some(id) = next {
        if chain.len() > 200 {
            break;
        }
        let n = find(conn, id)?;
        next = n.replaced_by_id;
        chain.push(n);
    }
    Ok(chain)
}

/// Filters for asset lists.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssetFilter {
    /// Assets of this scheme.
    #[serde(default)]
    pub scheme: Option<i64>,
    #[serde(default)]
    pub kind: Option<String>,
    /// A status, or "in_service" (default), or "all".
    #[serde(default)]
    pub status: Option<String>,
    /// Name, make, model or serial number contains this.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

type AssetsQuery<'a> = assets::BoxedQuery<'a, crate::db::MultiBackend>;

fn filtered<'a>(scope: &Scope, f: &'a AssetFilter) -> AssetsQuery<'a> {
    let mut q = assets::table
        .filter(crate::in_scope!(scope, assets::table, assets::gp_id))
        .into_boxed();
    if let Some(s) = f.scheme {
        q = q.filter(assets::scheme_id.eq(s));
    }
    if let Some(k) = f.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        q = q.filter(assets::kind.eq(k));
    }
    // pulling changes, every status by default (an asset taken out of service comes back)
    let status = match (f.status.as_deref(), f.changes) {
        (None, Some(_)) => Some(AssetStatusFilter::All),
        (s, _) => AssetStatusFilter::parse(s),
    };
    match status {
        Some(AssetStatusFilter::All) => {}
        Some(AssetStatusFilter::InService) => {
            q = q.filter(assets::status.ne_all(AssetStatus::ENDED.map(AssetStatus::as_str)))
        }
        Some(AssetStatusFilter::Only(s)) => q = q.filter(assets::status.eq(s.as_str())),
        // An unknown word finds nothing.
        None => q = q.filter(assets::id.lt(0_i64)),
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = like_pattern(term);
        q = q.filter(
            lower(assets::name)
                .like(pat.clone())
                .escape(crate::db::LIKE_ESCAPE)
                .or(crate::db::lower_opt(assets::make)
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE))
                .or(crate::db::lower_opt(assets::model)
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE))
                .or(crate::db::lower_opt(assets::serial_no)
                    .like(pat)
                    .escape(crate::db::LIKE_ESCAPE)),
        );
    }
    q
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &AssetFilter,
    page: PageRequest,
) -> AppResult<(Vec<Asset>, i64)> {
    scope.check_scheme(conn, f.scheme)?;
    let changed = || {
        crate::changed_since!(
            filtered(scope, f),
            f.changes,
            assets::updated_at,
            assets::id
        )
    };
    let total: i64 = changed().count().get_result(conn)?;
    let rows = crate::sync_order!(
        changed(),
        f.changes,
        assets::updated_at,
        assets::id,
        (
            assets::scheme_id.asc(),
            assets::kind.asc(),
            assets::name.asc(),
            assets::id.asc(),
        )
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Asset::as_select())
    .load(conn)?;
    Ok((rows, total))
}

pub fn list_all(
    conn: &mut DbConn,
    scope: &Scope,
    f: &AssetFilter,
    after_id: i64,
    batch: i64,
) -> AppResult<Vec<Asset>> {
    scope.check_scheme(conn, f.scheme)?;
    Ok(filtered(scope, f)
        .filter(assets::id.gt(after_id))
        .order(assets::id.asc())
        .limit(batch)
        .select(Asset::as_select())
        .load(conn)?)
}

/// The asset in service of a scheme with this kind and name.
pub fn live_by_kind_and_name(
    conn: &mut DbConn,
    scheme_id: i64,
    kind: &str,
    name: &str,
) -> AppResult<Option<Asset>> {
    Ok(assets::table
        .filter(assets::scheme_id.eq(scheme_id))
        .filter(assets::kind.eq(kind))
        .filter(assets::name.eq(name))
        .filter(assets::status.ne_all(AssetStatus::ENDED.map(AssetStatus::as_str)))
        .select(Asset::as_select())
        .first(conn)
        .optional()?)
}

/// An asset inside a scope, with its scheme.
pub fn find_with_scheme(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<(Asset, Scheme)> {
    let a = find_in_scope(conn, scope, id)?;
    let s = crate::schemes::model::find(conn, a.scheme_id)?;
    Ok((a, s))
}
