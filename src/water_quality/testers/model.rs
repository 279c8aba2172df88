//! Testers' rows and scoped queries.

use super::TesterValues;
use crate::auth::Scope;
use crate::db::schema::{places, users, water_testers};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = water_testers, treat_none_as_default_value = false)]
pub struct Tester {
    pub id: i64,
    pub gp_id: i64,
    pub village_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub trained_on: NaiveDate,
    pub trained_by: String,
    /// Her member account, when she enters tests herself.
    pub user_id: Option<i64>,
    pub active: bool,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Tester> {
    water_testers::table
        .find(id)
        .select(Tester::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A tester inside the scope (`NotFound` outside it).
pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Tester> {
    water_testers::table
        .filter(water_testers::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            water_testers::table,
            water_testers::gp_id
        ))
        .select(Tester::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Testers inside the scope, optionally of one GP, by GP, active first, name.
pub fn list_in_scope(
    conn: &mut DbConn,
    scope: &Scope,
    gp: Option<i64>,
    changes: Option<crate::web::sync::Changes>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Tester>, i64)> {
    let q = || {
        let mut q = water_testers::table
            .filter(crate::in_scope!(
                scope,
                water_testers::table,
                water_testers::gp_id
            ))
            .into_boxed();
        if let Some(g) = gp {
            q = q.filter(water_testers::gp_id.eq(g));
        }
        crate::changed_since!(q, changes, water_testers::updated_at, water_testers::id)
    };
    let total: i64 = q().count().get_result(conn)?;
    let rows = crate::sync_order!(
        q(),
        changes,
        water_testers::updated_at,
        water_testers::id,
        (
            water_testers::gp_id.asc(),
            water_testers::active.desc(),
            water_testers::name.asc(),
            water_testers::id.asc(),
        )
    )
    .offset(offset)
    .limit(limit)
    .select(Tester::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// The active testers of a GP (a field test's "who tested" choices).
pub fn active_of_gp(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<Tester>> {
    Ok(water_testers::table
        .filter(water_testers::gp_id.eq(gp_id))
        .filter(water_testers::active.eq(true))
        .order((water_testers::name.asc(), water_testers::id.asc()))
        .select(Tester::as_select())
        .load(conn)?)
}

/// The active tester linked to this member account in this GP, if any.
pub fn of_user(conn: &mut DbConn, gp_id: i64, user_id: i64) -> AppResult<Option<Tester>> {
    Ok(water_testers::table
        .filter(water_testers::gp_id.eq(gp_id))
        .filter(water_testers::user_id.eq(user_id))
        .filter(water_testers::active.eq(true))
        .select(Tester::as_select())
        .first(conn)
        .optional()?)
}

/// A GP's villages (id, name, Hindi name), by name.
pub fn villages_of_gp(
    conn: &mut DbConn,
    gp_id: i64,
) -> AppResult<Vec<(i64, String, Option<String>)>> {
    Ok(places::table
        .filter(places::gp_id.eq(gp_id))
        .filter(places::level.eq("village"))
        .order(places::name.asc())
        .select((places::id, places::name, places::name_hi))
        .load(conn)?)
}

/// The GP's active member accounts (id, display name): who a tester may be linked to.
pub fn members_of_gp(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(users::table
        .filter(users::place_id.eq(gp_id))
        .filter(users::role.eq(crate::auth::Role::Member.as_str()))
        .filter(users::active.eq(true))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(conn)?)
}

pub fn create(
    conn: &mut DbConn,
    gp_id: i64,
    v: &TesterValues,
    now: NaiveDateTime,
) -> AppResult<Tester> {
    let values = (
        water_testers::gp_id.eq(gp_id),
        water_testers::village_id.eq(v.village_id),
        water_testers::name.eq(&v.name),
        water_testers::phone.eq(&v.phone),
        water_testers::trained_on.eq(v.trained_on),
        water_testers::trained_by.eq(&v.trained_by),
        water_testers::user_id.eq(v.user_id),
        water_testers::active.eq(v.active),
        water_testers::created_at.eq(now),
        water_testers::updated_at.eq(now),
    );
    let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(water_testers::table)
        .values(values)
        .returning(water_testers::id)
        .get_result(c))?;
    find(conn, id)
}

pub fn update(
    conn: &mut DbConn,
    t: &Tester,
    v: &TesterValues,
    now: NaiveDateTime,
) -> AppResult<Tester> {
    diesel::update(water_testers::table.find(t.id))
        .set((
            water_testers::village_id.eq(v.village_id),
            water_testers::name.eq(&v.name),
            water_testers::phone.eq(&v.phone),
            water_testers::trained_on.eq(v.trained_on),
            water_testers::trained_by.eq(&v.trained_by),
            water_testers::user_id.eq(v.user_id),
            water_testers::active.eq(v.active),
            water_testers::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, t.id)
}
