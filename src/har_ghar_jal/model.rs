//! Har Ghar Jal rows and scoped queries. A village without a row is at status "none".

use super::{ChecklistValues, Status};
use crate::auth::Scope;
use crate::db::schema::{har_ghar_jal, har_ghar_jal_documents, places};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A village's checklist and where it stands.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = har_ghar_jal)]
#[schema(as = HarGharJalVillage)]
pub struct Record {
    pub id: i64,
    pub gp_id: i64,
    pub village_id: i64,
    pub every_household_tap: bool,
    pub schools_connected: bool,
    pub anganwadis_connected: bool,
    pub no_leakages: bool,
    pub roads_restored: bool,
    /// The Gram Sabha resolution's date.
    pub resolution_on: Option<NaiveDate>,
    pub notes: Option<String>,
    /// none, reported or certified.
    pub status: String,
    pub reported_on: Option<NaiveDate>,
    #[serde(skip)]
    pub reported_by: Option<i64>,
    pub reported_by_name: Option<String>,
    pub certified_on: Option<NaiveDate>,
    #[serde(skip)]
    pub certified_by: Option<i64>,
    pub certified_by_name: Option<String>,
    #[serde(skip)]
    pub updated_by: Option<i64>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Record {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::None)
    }

    /// The items in the order of [`super::ITEMS`].
    pub fn items(&self) -> [bool; 5] {
        [
            self.every_household_tap,
            self.schools_connected,
            self.anganwadis_connected,
            self.no_leakages,
            self.roads_restored,
        ]
    }
}

/// A page of the resolution's scan.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = har_ghar_jal_documents)]
#[schema(as = HarGharJalDocument)]
pub struct Document {
    pub id: i64,
    #[serde(skip)]
    pub gp_id: i64,
    #[serde(skip)]
    pub har_ghar_jal_id: i64,
    #[serde(skip)]
    pub file_name: String,
    #[serde(skip)]
    pub small_name: String,
    pub mime: String,
    pub bytes: i64,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// A village inside the scope (`NotFound` outside it, or for a place that is no village).
pub fn village_in_scope(conn: &mut DbConn, scope: &Scope, village_id: i64) -> AppResult<Place> {
    let p = crate::places::model::find_in_scope(conn, scope, village_id)?;
    if p.level != Level::Village.as_str() || p.gp_id.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(p)
}

pub fn of_village(conn: &mut DbConn, gp_id: i64, village_id: i64) -> AppResult<Option<Record>> {
    Ok(har_ghar_jal::table
        .filter(har_ghar_jal::gp_id.eq(gp_id))
        .filter(har_ghar_jal::village_id.eq(village_id))
        .select(Record::as_select())
        .first(conn)
        .optional()?)
}

/// Write a village's checklist (a new row, or the existing one's items); its row.
pub fn put_checklist(
    conn: &mut DbConn,
    gp_id: i64,
    village_id: i64,
    v: &ChecklistValues,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<Record> {
    let [tap, schools, anganwadis, leaks, roads] = v.items;
    match of_village(conn, gp_id, village_id)? {
        Some(r) => {
            diesel::update(har_ghar_jal::table.find(r.id))
                .set((
                    har_ghar_jal::every_household_tap.eq(tap),
                    har_ghar_jal::schools_connected.eq(schools),
                    har_ghar_jal::anganwadis_connected.eq(anganwadis),
                    har_ghar_jal::no_leakages.eq(leaks),
                    har_ghar_jal::roads_restored.eq(roads),
                    har_ghar_jal::resolution_on.eq(v.resolution_on),
                    har_ghar_jal::notes.eq(v.notes.as_deref()),
                    har_ghar_jal::updated_by.eq(Some(by)),
                    har_ghar_jal::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(har_ghar_jal::table)
                .values((
                    har_ghar_jal::gp_id.eq(gp_id),
                    har_ghar_jal::village_id.eq(village_id),
                    har_ghar_jal::every_household_tap.eq(tap),
                    har_ghar_jal::schools_connected.eq(schools),
                    har_ghar_jal::anganwadis_connected.eq(anganwadis),
                    har_ghar_jal::no_leakages.eq(leaks),
                    har_ghar_jal::roads_restored.eq(roads),
                    har_ghar_jal::resolution_on.eq(v.resolution_on),
                    har_ghar_jal::notes.eq(v.notes.as_deref()),
                    har_ghar_jal::status.eq(Status::None.as_str()),
                    har_ghar_jal::updated_by.eq(Some(by)),
                    har_ghar_jal::created_at.eq(now),
                    har_ghar_jal::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    of_village(conn, gp_id, village_id)?.ok_or(AppError::NotFound)
}

/// Move a village to `status`, with the day and who.
pub fn set_status(
    conn: &mut DbConn,
    r: &Record,
    status: Status,
    on: NaiveDate,
    by: (i64, &str),
    now: NaiveDateTime,
) -> AppResult<Record> {
    let q = diesel::update(har_ghar_jal::table.find(r.id));
    match status {
        Status::Certified => q
            .set((
                har_ghar_jal::status.eq(status.as_str()),
                har_ghar_jal::certified_on.eq(Some(on)),
                har_ghar_jal::certified_by.eq(Some(by.0)),
                har_ghar_jal::certified_by_name.eq(Some(by.1)),
                har_ghar_jal::updated_at.eq(now),
            ))
            .execute(conn)?,
        _ => q
            .set((
                har_ghar_jal::status.eq(status.as_str()),
                har_ghar_jal::reported_on.eq(Some(on)),
                har_ghar_jal::reported_by.eq(Some(by.0)),
                har_ghar_jal::reported_by_name.eq(Some(by.1)),
                har_ghar_jal::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    of_village(conn, r.gp_id, r.village_id)?.ok_or(AppError::NotFound)
}

pub fn documents_of(conn: &mut DbConn, r: &Record) -> AppResult<Vec<Document>> {
    Ok(har_ghar_jal_documents::table
        .filter(har_ghar_jal_documents::gp_id.eq(r.gp_id))
        .filter(har_ghar_jal_documents::har_ghar_jal_id.eq(r.id))
        .order(har_ghar_jal_documents::id.asc())
        .select(Document::as_select())
        .load(conn)?)
}

pub fn add_document(
    conn: &mut DbConn,
    r: &Record,
    names: (String, String),
    mime: &str,
    bytes: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(har_ghar_jal_documents::table)
        .values((
            har_ghar_jal_documents::gp_id.eq(r.gp_id),
            har_ghar_jal_documents::har_ghar_jal_id.eq(r.id),
            har_ghar_jal_documents::file_name.eq(names.0),
            har_ghar_jal_documents::small_name.eq(names.1),
            har_ghar_jal_documents::mime.eq(mime),
            har_ghar_jal_documents::bytes.eq(bytes),
            har_ghar_jal_documents::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A GP's villages (inside the scope) with their rows, by name.
pub fn villages_of_gp(
    conn: &mut DbConn,
    scope: &Scope,
    gp_id: i64,
) -> AppResult<Vec<(Place, Option<Record>)>> {
    let q = places::table
        .filter(places::level.eq(Level::Village.as_str()))
        .filter(places::gp_id.eq(gp_id))
        .into_boxed();
    let villages: Vec<Place> = scope
        .filter_places(q)
        .order((places::name.asc(), places::id.asc()))
        .select(Place::as_select())
        .load(conn)?;
    let mut rows: BTreeMap<i64, Record> = har_ghar_jal::table
        .filter(har_ghar_jal::gp_id.eq(gp_id))
        .select(Record::as_select())
        .load(conn)?
        .into_iter()
        .map(|r: Record| (r.village_id, r))
        .collect();
    Ok(villages
        .into_iter()
        .map(|v| {
            let r = rows.remove(&v.id);
            (v, r)
        })
        .collect())
}

/// One GP's counts: its villages, and how many are reported (and not yet certified) and
/// certified.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
#[schema(as = HarGharJalCounts)]
pub struct Counts {
    pub gp_id: i64,
    pub villages: i64,
    pub reported: i64,
    pub certified: i64,
}

/// The counts of every GP inside the scope that has villages, by GP id.
pub fn counts_in_scope(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<Counts>> {
    let q = places::table
        .filter(places::level.eq(Level::Village.as_str()))
        .into_boxed();
    let villages: Vec<Option<i64>> = scope.filter_places(q).select(places::gp_id).load(conn)?;
    let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
    for gp in villages.into_iter().flatten() {
        out.entry(gp)
            .or_insert(Counts {
                gp_id: gp,
                ..Default::default()
            })
            .villages += 1;
    }
    let statuses: Vec<(i64, String)> = har_ghar_jal::table
        .filter(crate::in_scope!(
            scope,
            har_ghar_jal::table,
            har_ghar_jal::gp_id
        ))
        .filter(har_ghar_jal::status.ne(Status::None.as_str()))
        .select((har_ghar_jal::gp_id, har_ghar_jal::status))
        .load(conn)?;
    for (gp, status) in statuses {
        if let Some(c) = out.get_mut(&gp) {
            match Status::parse(&status) {
                Some(Status::Reported) => c.reported += 1,
                Some(Status::Certified) => c.certified += 1,
                _ => {}
            }
        }
    }
    Ok(out.into_values().collect())
}
