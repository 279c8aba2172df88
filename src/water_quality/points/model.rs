//! Sampling points' rows and scoped queries.

use super::PointValues;
use crate::auth::Scope;
use crate::db::schema::{assets, sampling_points};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::schemes::Scheme;
use crate::water_quality::PointKind;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = sampling_points, treat_none_as_default_value = false)]
pub struct SamplingPoint {
    pub id: i64,
    pub gp_id: i64,
    pub scheme_id: i64,
    pub village_id: i64,
    /// source, storage_tank, tap, school or anganwadi.
    pub kind: String,
    /// The scheme's asset this point is, when it is one.
    pub asset_id: Option<i64>,
    pub name: String,
    pub name_hi: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub active: bool,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl SamplingPoint {
    /// The name in the reader's language.
    pub fn display_name(&self, lang: crate::web::i18n::Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.name, self.name_hi.as_deref())
    }
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<SamplingPoint> {
    sampling_points::table
        .find(id)
        .select(SamplingPoint::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The points of some rows (a list's), in one query: those that exist, by id.
pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<SamplingPoint>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(sampling_points::table
        .filter(sampling_points::id.eq_any(&ids))
        .order(sampling_points::id.asc())
        .select(SamplingPoint::as_select())
        .load(conn)?)
}

/// A point inside the scope (`NotFound` outside it, like a missing one).
pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<SamplingPoint> {
    sampling_points::table
        .filter(sampling_points::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            sampling_points::table,
            sampling_points::gp_id
        ))
        .select(SamplingPoint::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A scheme's points (active first, then by kind and name).
pub fn of_scheme(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<Vec<SamplingPoint>> {
    Ok(sampling_points::table
        .filter(sampling_points::gp_id.eq(gp_id))
        .filter(sampling_points::scheme_id.eq(scheme_id))
        .order((
            sampling_points::active.desc(),
            sampling_points::kind.asc(),
            sampling_points::name.asc(),
            sampling_points::id.asc(),
        ))
        .select(SamplingPoint::as_select())
        .load(conn)?)
}

/// Points inside the scope, optionally of one scheme, at most `limit` (the API's list and
/// the tests' filters), by id.
pub fn list_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    scheme_id: Option<i64>,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<SamplingPoint>, i64)> {
    let q = || {
        let mut q = sampling_points::table
            .filter(crate::in_scope!(
                scope,
                sampling_points::table,
                sampling_points::gp_id
            ))
            .into_boxed();
        if let Some(s) = scheme_id {
            q = q.filter(sampling_points::scheme_id.eq(s));
        }
        crate::changed_since!(q, changes, sampling_points::updated_at, sampling_points::id)
    };
    let total: i64 = q().count().get_result(conn)?;
    let rows = crate::sync_order!(
        q(),
        changes,
        sampling_points::updated_at,
        sampling_points::id,
        sampling_points::id.asc()
    )
    .offset(offset)
    .limit(limit)
    .select(SamplingPoint::as_select())
    .load(conn)?;
    Ok((rows, total))
}

pub fn create(
    conn: &mut DbConn,
    scheme: &Scheme,
    v: &PointValues,
    asset_id: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<SamplingPoint> {
    let values = (
        sampling_points::gp_id.eq(scheme.gp_id),
        sampling_points::scheme_id.eq(scheme.id),
        sampling_points::village_id.eq(v.village_id),
        sampling_points::kind.eq(v.kind.as_str()),
        sampling_points::asset_id.eq(asset_id),
        sampling_points::name.eq(&v.name),
        sampling_points::name_hi.eq(&v.name_hi),
        sampling_points::latitude.eq(v.latitude),
        sampling_points::longitude.eq(v.longitude),
        sampling_points::active.eq(v.active),
        sampling_points::created_at.eq(now),
        sampling_points::updated_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(sampling_points::table)
        .values(values)
        .returning(sampling_points::id)
        .get_result(c))?;
    find(conn, id)
}

pub fn update(
    conn: &mut DbConn,
    p: &SamplingPoint,
    v: &PointValues,
    now: NaiveDateTime,
) -> AppResult<SamplingPoint> {
    diesel::update(sampling_points::table.find(p.id))
        .set((
            sampling_points::village_id.eq(v.village_id),
            sampling_points::kind.eq(v.kind.as_str()),
            sampling_points::name.eq(&v.name),
            sampling_points::name_hi.eq(&v.name_hi),
            sampling_points::latitude.eq(v.latitude),
            sampling_points::longitude.eq(v.longitude),
            sampling_points::active.eq(v.active),
            sampling_points::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, p.id)
}

/// An asset of the scheme that may become a point: in service, of a sampled kind, not yet a
/// point.
#[derive(Debug, Clone, Queryable)]
pub struct EligibleAsset {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub name_hi: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl EligibleAsset {
    pub fn point_kind(&self) -> Option<PointKind> {
        PointKind::of_asset_kind(&self.kind)
    }
}

/// The scheme's in-service assets of a sampled kind ([`PointKind::of_asset_kind`]) that no
/// point names yet, by id.
pub fn eligible_assets(conn: &mut DbConn, scheme: &Scheme) -> AppResult<Vec<EligibleAsset>> {
    let taken = sampling_points::table
        .filter(sampling_points::gp_id.eq(scheme.gp_id))
        .filter(sampling_points::asset_id.is_not_null())
        .select(sampling_points::asset_id.assume_not_null());
    let rows: Vec<EligibleAsset> = assets::table
        .filter(assets::gp_id.eq(scheme.gp_id))
        .filter(assets::scheme_id.eq(scheme.id))
        .filter(
            assets::status.ne_all(crate::schemes::assets::AssetStatus::ENDED.map(|s| s.as_str())),
        )
        .filter(assets::id.ne_all(taken))
        .order(assets::id.asc())
        .select((
            assets::id,
            assets::kind,
            assets::name,
            assets::name_hi,
            assets::latitude,
            assets::longitude,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|a| a.point_kind().is_some())
        .collect())
}
