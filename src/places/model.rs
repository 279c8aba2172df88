//! Places' rows and queries: find, list and search inside a scope, insert, update (moving a
//! subtree), (de)activate.

use super::{parse_lgd, Level, NewPlace, PlaceInput};
use crate::auth::Scope;
use crate::db::schema::places;
use crate::db::{like_pattern, lower, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::i18n::Lang;
use crate::web::pagination::PageRequest;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = places, treat_none_as_default_value = false)]
pub struct Place {
    pub id: i64,
    pub level: String,
    pub lgd_code: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub parent_id: Option<i64>,
    pub state_id: Option<i64>,
    pub district_id: Option<i64>,
    pub block_id: Option<i64>,
    pub gp_id: Option<i64>,
    pub active: bool,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl Place {
    pub fn level(&self) -> Level {
        Level::parse(&self.level).unwrap_or(Level::Village)
    }

    /// The name in the reader's language (Hindi when there is one and they read Hindi).
    pub fn display_name(&self, lang: Lang) -> &str {
        crate::web::i18n::name_in(lang, &self.name, self.name_hi.as_deref())
    }
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Place> {
    places::table
        .find(id)
        .select(Place::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// A place and its fields as a form shows them (the parent as its LGD code).
pub fn current_input(conn: &mut DbConn, id: i64) -> AppResult<(Place, PlaceInput)> {
    let p = find(conn, id)?;
    let parent = match p.parent_id {
        Some(pid) => Some(find(conn, pid)?),
        None => None,
    };
    let input = PlaceInput {
        level: p.level.clone(),
        lgd_code: p.lgd_code.to_string(),
        name: p.name.clone(),
        name_hi: p.name_hi.clone().unwrap_or_default(),
        parent_lgd_code: parent.map(|x| x.lgd_code.to_string()).unwrap_or_default(),
    };
    Ok((p, input))
}

/// The places with these ids, by id.
pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<std::collections::HashMap<i64, Place>> {
    Ok(find_many(conn, ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// A place the actor may see; outside the scope it is `NotFound`, like a missing one.
/// The places with these ids (any order in, by LGD code out).
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Place>> {
    let mut out = vec![];
    for chunk in ids.chunks(5_000) {
        out.extend(
            places::table
                .filter(places::id.eq_any(chunk))
                .select(Place::as_select())
                .load::<Place>(conn)?,
        );
    }
    out.sort_by_key(|p| p.lgd_code);
    Ok(out)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<Place> {
    let q = places::table.filter(places::id.eq(id)).into_boxed();
    scope
        .filter_places(q)
        .select(Place::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn by_lgd(conn: &mut DbConn, level: Level, code: i64) -> AppResult<Option<Place>> {
    Ok(places::table
        .filter(places::level.eq(level.as_str()))
        .filter(places::lgd_code.eq(code))
        .select(Place::as_select())
        .first(conn)
        .optional()?)
}

/// The scope of the GP, block, district or state with this LGD code (none for a village or
/// an unknown code).
pub fn scope_of_lgd(conn: &mut DbConn, lgd: i64) -> AppResult<Option<Scope>> {
    let found: Option<(i64, String)> = places::table
        .filter(places::lgd_code.eq(lgd))
        .filter(places::level.ne(Level::Village.as_str()))
        .select((places::id, places::level))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(id, level)| Level::parse(&level).map(|level| Scope::Place { level, id })))
}

/// Filters for place lists.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceFilter {
    /// Name (English or Hindi) or LGD code contains this.
    #[serde(default)]
    pub q: Option<String>,
    /// One level only.
    #[serde(default)]
    pub level: Option<String>,
    /// Children of this place id.
    #[serde(default)]
    pub parent: Option<i64>,
    /// "active" (default; pulling changes: "all"), "inactive" or "all".
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &PlaceFilter,
    page: PageRequest,
) -> AppResult<(Vec<Place>, i64)> {
    let build = || {
        let mut q = scope.filter_places(places::table.into_boxed());
        if let Some(level) = f.level.as_deref().and_then(Level::parse) {
            q = q.filter(places::level.eq(level.as_str()));
        }
        if let Some(parent) = f.parent {
            q = q.filter(places::parent_id.eq(parent));
        }
        // pulling changes, every status by default (a place deactivated comes back)
        let every = if f.changes.is_some() { "all" } else { "active" };
        match f
            .status
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(every)
        {
            "inactive" => q = q.filter(places::active.eq(false)),
            "all" => {}
            _ => q = q.filter(places::active.eq(true)),
        }
        if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pat = like_pattern(term);
            match parse_lgd(term) {
                Some(code) => {
                    q = q.filter(
                        places::lgd_code.eq(code).or(lower(places::name)
                            .like(pat.clone())
                            .escape(crate::db::LIKE_ESCAPE)),
                    )
                }
                None => {
                    q = q.filter(
                        lower(places::name)
                            .like(pat.clone())
                            .escape(crate::db::LIKE_ESCAPE)
                            .or(places::name_hi.like(pat).escape(crate::db::LIKE_ESCAPE)),
                    )
                }
            }
        }
        crate::changed_since!(q, f.changes, places::updated_at, places::id)
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = crate::sync_order!(
        build(),
        f.changes,
        places::updated_at,
        places::id,
        (places::level.asc(), places::name.asc(), places::id.asc())
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(Place::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// The place and its ancestors, from the state down.
pub fn ancestry(conn: &mut DbConn, place: &Place) -> AppResult<Vec<Place>> {
    let ids: Vec<i64> = [
        place.state_id,
        place.district_id,
        place.block_id,
        place.gp_id,
    ]
    .into_iter()
    .flatten()
    .filter(|id| *id != place.id)
    .collect();
    let mut rows: Vec<Place> = places::table
        .filter(places::id.eq_any(ids))
        .select(Place::as_select())
        .load(conn)?;
    rows.sort_by_key(|p| p.level());
    Ok(rows)
}

/// Insert a checked place; parent and uniqueness problems come back as field errors.
pub fn create(conn: &mut DbConn, new: &NewPlace, now: NaiveDateTime) -> AppResult<Place> {
    conn.transaction(|conn| {
        let parent = resolve_parent(conn, new.level, new.parent_lgd_code)?;
        if by_lgd(conn, new.level, new.lgd_code)?.is_some() {
            let mut e = FieldErrors::new();
            e.add("lgd_code", "place-lgd-taken");
            return Err(AppError::Validation(e));
        }
        let (s, d, b, g) = ancestors_of(parent.as_ref());
        let values = (
            places::level.eq(new.level.as_str()),
            places::lgd_code.eq(new.lgd_code),
            places::name.eq(&new.name),
            places::name_hi.eq(&new.name_hi),
            places::parent_id.eq(parent.as_ref().map(|p| p.id)),
            places::state_id.eq(s),
            places::district_id.eq(d),
            places::block_id.eq(b),
            places::gp_id.eq(g),
            places::active.eq(true),
            places::created_at.eq(now),
            places::updated_at.eq(now),
        );
        let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(places::table)
            .values(values)
            .returning(places::id)
            .get_result(c))
        .map_err(|e| AppError::from(e).on_unique("place-lgd-taken"))?;
        set_own_column(conn, new.level, id)?;
        find(conn, id)
    })
}

/// Changes to an existing place (the level never changes).
#[derive(Debug, Clone)]
pub struct PlaceChanges {
    pub lgd_code: i64,
    pub name: String,
    pub name_hi: Option<String>,
    pub parent_lgd_code: Option<i64>,
}

pub fn update(
    conn: &mut DbConn,
    place: &Place,
    ch: &PlaceChanges,
    now: NaiveDateTime,
) -> AppResult<Place> {
    let level = place.level();
    conn.transaction(|conn| {
        if ch.lgd_code != place.lgd_code && by_lgd(conn, level, ch.lgd_code)?.is_some() {
            let mut e = FieldErrors::new();
            e.add("lgd_code", "place-lgd-taken");
            return Err(AppError::Validation(e));
        }
        let parent = resolve_parent(conn, level, ch.parent_lgd_code)?;
        diesel::update(places::table.find(place.id))
            .set((
                places::lgd_code.eq(ch.lgd_code),
                places::name.eq(&ch.name),
                places::name_hi.eq(&ch.name_hi),
                places::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(|e| AppError::from(e).on_unique("place-lgd-taken"))?;
        let new_parent_id = parent.as_ref().map(|p| p.id);
        if new_parent_id != place.parent_id {
            // Move the place and everything under it: only the columns above its level change.
            // Every place moved changes (and so is pulled again): updated_at too.
            let (s, d, b, g) = ancestors_of(parent.as_ref());
            diesel::update(places::table.find(place.id))
                .set((
                    places::parent_id.eq(new_parent_id),
                    places::updated_at.eq(now),
                ))
                .execute(conn)?;
            if level > Level::State {
                diesel::update(places::table.filter(own_column_filter(level, place.id)))
                    .set((places::state_id.eq(s), places::updated_at.eq(now)))
                    .execute(conn)?;
            }
            if level > Level::District {
                diesel::update(places::table.filter(own_column_filter(level, place.id)))
                    .set((places::district_id.eq(d), places::updated_at.eq(now)))
                    .execute(conn)?;
            }
            if level > Level::Block {
                diesel::update(places::table.filter(own_column_filter(level, place.id)))
                    .set((places::block_id.eq(b), places::updated_at.eq(now)))
                    .execute(conn)?;
            }
            if level > Level::Gp {
                diesel::update(places::table.filter(own_column_filter(level, place.id)))
                    .set((places::gp_id.eq(g), places::updated_at.eq(now)))
                    .execute(conn)?;
            }
        }
        find(conn, place.id)
    })
}

pub fn set_active(conn: &mut DbConn, id: i64, active: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(places::table.find(id))
        .set((places::active.eq(active), places::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

fn resolve_parent(
    conn: &mut DbConn,
    level: Level,
    parent_lgd: Option<i64>,
) -> AppResult<Option<Place>> {
    match (level.parent(), parent_lgd) {
        (None, _) => Ok(None),
        (Some(pl), Some(code)) => match by_lgd(conn, pl, code)? {
            Some(p) => Ok(Some(p)),
            None => {
                let mut e = FieldErrors::new();
                e.add("parent_lgd_code", "place-parent-missing");
                Err(AppError::Validation(e))
            }
        },
        (Some(_), None) => {
            let mut e = FieldErrors::new();
            e.add("parent_lgd_code", "field-required");
            Err(AppError::Validation(e))
        }
    }
}

type Ancestors = (Option<i64>, Option<i64>, Option<i64>, Option<i64>);

fn ancestors_of(parent: Option<&Place>) -> Ancestors {
    match parent {
        None => (None, None, None, None),
        Some(p) => (p.state_id, p.district_id, p.block_id, p.gp_id),
    }
}

fn own_column_filter(
    level: Level,
    id: i64,
) -> Box<
    dyn BoxableExpression<
        places::table,
        crate::db::MultiBackend,
        SqlType = diesel::sql_types::Bool,
    >,
> {
    match level {
        Level::State => Box::new(places::state_id.eq(id).assume_not_null()),
        Level::District => Box::new(places::district_id.eq(id).assume_not_null()),
        Level::Block => Box::new(places::block_id.eq(id).assume_not_null()),
        Level::Gp => Box::new(places::gp_id.eq(id).assume_not_null()),
        Level::Village => Box::new(places::id.eq(id)),
    }
}

fn set_own_column(conn: &mut DbConn, level: Level, id: i64) -> AppResult<()> {
    let t = places::table.find(id);
    match level {
        Level::State => diesel::update(t)
            .set(places::state_id.eq(id))
            .execute(conn)?,
        Level::District => diesel::update(t)
            .set(places::district_id.eq(id))
            .execute(conn)?,
        Level::Block => diesel::update(t)
            .set(places::block_id.eq(id))
            .execute(conn)?,
        Level::Gp => diesel::update(t).set(places::gp_id.eq(id)).execute(conn)?,
        Level::Village => 0,
    };
    Ok(())
}
