//! The register's rows and queries: a household, the checked values written to its row, find
//! and list in a scope, and the villages, schemes and GPs the forms offer.

use super::Status;
use crate::auth::Scope;
use crate::db::schema::{households, places, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
use crate::schemes::Scheme;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

/// Choices in the filter and form selects (more would not fit a select on a phone).
const MAX_CHOICES: i64 = 500;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = households, treat_none_as_default_value = false)]
pub struct Household {
    pub id: i64,
    pub gp_id: i64,
    pub village_id: i64,
    pub scheme_id: Option<i64>,
    /// Unique within the GP.
    pub connection_no: String,
    pub head_name: String,
    pub members: Option<i32>,
    /// One of `billing.categories`; `exempt` pays nothing.
    pub category: String,
    pub exempt_reason: Option<String>,
    pub connected_on: NaiveDate,
    /// active, disconnected or merged.
    pub status: String,
    pub disconnected_on: Option<NaiveDate>,
    pub status_reason: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

/// Checked values, ready to store: inserted as they are, or set on an existing row.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = households, treat_none_as_null = true)]
pub struct Checked {
    pub gp_id: i64,
    pub village_id: i64,
    pub scheme_id: Option<i64>,
    pub connection_no: String,
    pub head_name: String,
    pub members: Option<i32>,
    pub category: String,
    pub exempt_reason: Option<String>,
    pub connected_on: NaiveDate,
    pub status: String,
    pub disconnected_on: Option<NaiveDate>,
    pub status_reason: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

impl Checked {
    /// The household's key: its GP and (capitalised) connection number.
    pub fn key(&self) -> (i64, &str) {
        (self.gp_id, &self.connection_no)
    }

    /// Whether `h` holds exactly these values already (an import row that changes nothing).
    pub fn same_as(&self, h: &Household) -> bool {
        self.gp_id == h.gp_id
            && self.village_id == h.village_id
            && self.scheme_id == h.scheme_id
            && self.connection_no == h.connection_no
            && self.head_name == h.head_name
            && self.members == h.members
            && self.category == h.category
            && self.exempt_reason == h.exempt_reason
            && self.connected_on == h.connected_on
            && self.status == h.status
            && self.disconnected_on == h.disconnected_on
            && self.status_reason == h.status_reason
            && self.phone == h.phone
            && self.notes == h.notes
    }
}

/// Insert checked values as a new household; its id.
pub fn insert_checked(conn: &mut DbConn, c: &Checked, now: NaiveDateTime) -> AppResult<i64> {
    crate::on_backend!(conn, |x| diesel::insert_into(households::table)
        .values((
            c,
            households::created_at.eq(now),
            households::updated_at.eq(now),
        ))
        .returning(households::id)
        .get_result(x))
    .map_err(|e| AppError::from(e).on_unique_field("connection_no", "household-number-taken"))
}

/// Set checked values on household `id` (same GP: the caller makes sure).
pub fn update_checked(
    conn: &mut DbConn,
    id: i64,
    c: &Checked,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(households::table.find(id))
        .set((c, households::updated_at.eq(now)))
        .execute(conn)
        .map_err(|e| {
            AppError::from(e).on_unique_field("connection_no", "household-number-taken")
        })?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Household> {
    households::table
        .find(id)
        .select(Household::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Household> {
    households::table
        .filter(households::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            households::table,
            households::gp_id
        ))
        .select(Household::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Filters for household lists (page, API).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdFilter {
    /// Name, connection number or phone contains this.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub village: Option<i64>,
    #[serde(default)]
    pub category: Option<String>,
    /// Households on this scheme (id).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub scheme: Option<i64>,
    /// active (default), disconnected, merged or all.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &HouseholdFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Household>, i64)> {
    scope.check_place(conn, f.village)?;
    scope.check_scheme(conn, f.scheme)?;
    let build = || {
        let mut q = households::table.into_boxed().filter(crate::in_scope!(
            scope,
            households::table,
            households::gp_id
        ));
        let every = if f.changes.is_some() {
            "all"
        } else {
            Status::Active.as_str()
        };
        match f.status.as_deref().unwrap_or(every) {
            "all" => {}
            s => q = q.filter(households::status.eq(s.to_string())),
        }
        if let Some(v) = f.village {
            q = q.filter(households::village_id.eq(v));
        }
        if let Some(s) = f.scheme {
            q = q.filter(households::scheme_id.eq(s));
        }
        if let Some(c) = f.category.as_deref().filter(|c| !c.is_empty()) {
            q = q.filter(households::category.eq(c.to_string()));
        }
        if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pat = crate::db::like_pattern(term);
            q = q.filter(
                crate::db::lower(households::head_name)
                    .like(pat.clone())
                    .escape(crate::db::LIKE_ESCAPE)
                    .or(crate::db::lower(households::connection_no)
                        .like(pat.clone())
                        .escape(crate::db::LIKE_ESCAPE))
                    .or(households::phone.like(pat).escape(crate::db::LIKE_ESCAPE)),
            );
        }
        crate::changed_since!(q, f.changes, households::updated_at, households::id)
    };
    let total = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        f.changes,
        households::updated_at,
        households::id,
        (households::connection_no.asc(), households::id.asc())
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Household::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// Villages inside `scope` (of one GP when `gp` is given), by name.
pub fn villages_in(conn: &mut DbConn, scope: &Scope, gp: Option<i64>) -> AppResult<Vec<Place>> {
    let mut q = scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq(Level::Village.as_str()));
    if let Some(gp) = gp {
        q = q.filter(places::gp_id.eq(gp));
    }
    Ok(q.order((places::name.asc(), places::id.asc()))
        .limit(MAX_CHOICES)
        .select(Place::as_select())
        .load(conn)?)
}

/// Schemes inside `scope` (of one GP when `gp` is given), by name.
pub fn schemes_in(conn: &mut DbConn, scope: &Scope, gp: Option<i64>) -> AppResult<Vec<Scheme>> {
    let mut q = schemes::table
        .filter(crate::in_scope!(scope, schemes::table, schemes::gp_id))
        .into_boxed();
    if let Some(gp) = gp {
        q = q.filter(schemes::gp_id.eq(gp));
    }
    Ok(q.order((schemes::name.asc(), schemes::id.asc()))
        .limit(MAX_CHOICES)
        .select(Scheme::as_select())
        .load(conn)?)
}

pub fn gp_choices(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<Place>> {
    Ok(scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq(Level::Gp.as_str()))
        .order((places::name.asc(), places::id.asc()))
        .limit(MAX_CHOICES)
        .select(Place::as_select())
        .load(conn)?)
}
