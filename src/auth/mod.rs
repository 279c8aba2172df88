//! Who is asking and what they may do: users, roles, scopes, sessions, API tokens and the
//! `Actor` every handler takes. Scope and verb checks live here and nowhere else.

pub mod http;
pub mod model;
pub mod password;
pub mod users;
pub mod users_http;

use crate::db::schema::places;
use crate::db::MultiBackend;
use crate::error::{AppError, AppResult};
use crate::places::Level;
use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::future::{ready, Ready};

pub use model::User;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    DistrictOfficer,
    BlockEngineer,
    Secretary,
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::DistrictOfficer,
        Role::BlockEngineer,
        Role::Secretary,
        Role::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::DistrictOfficer => "district_officer",
            Role::BlockEngineer => "block_engineer",
            Role::Secretary => "secretary",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The place levels a user of this role may be scoped to (empty: no place, all of it).
    pub fn scope_levels(self) -> &'static [Level] {
        match self {
            Role::Admin => &[],
            Role::DistrictOfficer => &[Level::District, Level::State],
            Role::BlockEngineer => &[Level::Block],
            Role::Secretary | Role::Member => &[Level::Gp],
        }
    }

    /// Whether this role may perform `verb` (within its scope).
    pub fn allows(self, verb: Verb) -> bool {
        use Verb::*;
        match verb {
            ViewPlaces | ViewSchemes | ViewMaintenance | ViewBreakdowns => true,
            ReportBreakdown => matches!(self, Role::Admin | Role::Secretary | Role::Member),
            ViewBilling => true,
            ManageBilling => matches!(self, Role::Admin | Role::Secretary),
            ViewCommittees => true,
            ManageCommittees => matches!(self, Role::Admin | Role::Secretary),
            ReviewBreakdowns => matches!(
                self,
                Role::Admin | Role::DistrictOfficer | Role::BlockEngineer
            ),
            ManagePlans => matches!(self, Role::Admin | Role::Secretary),
            RecordWork => matches!(self, Role::Admin | Role::Secretary | Role::Member),
            ManagePlaces | ManageUsers | ViewAudit | ViewJobs => self == Role::Admin,
            // Secretaries manage their GP's register; scope keeps them inside it.
            ManageSchemes => matches!(self, Role::Admin | Role::Secretary),
        }
    }
}

/// What a request wants to do. Later areas add their verbs here, and to `Role::allows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    ViewPlaces,
    ManagePlaces,
    ViewSchemes,
    ManageSchemes,
    ViewMaintenance,
    ManagePlans,
    ViewBreakdowns,
    ReportBreakdown,
    /// Technical visits, escalation level, the review page.
    ReviewBreakdowns,
    /// Households, tariffs, demands.
    ViewBilling,
    ManageBilling,
    /// The Paani Samiti register.
    ViewCommittees,
    ManageCommittees,
    RecordWork,
    ManageUsers,
    ViewAudit,
    ViewJobs,
}

/// The part of the country an actor works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Scope {
    All,
    Place { level: Level, id: i64 },
}

type PlacesQuery<'a> = places::BoxedQuery<'a, MultiBackend>;

impl Scope {
    /// Restrict a query on `places` to the places inside this scope.
    pub fn filter_places<'a>(&self, q: PlacesQuery<'a>) -> PlacesQuery<'a> {
        match *self {
            Scope::All => q,
            Scope::Place { level, id } => match level {
                Level::State => q.filter(places::state_id.eq(id)),
                Level::District => q.filter(places::district_id.eq(id)),
                Level::Block => q.filter(places::block_id.eq(id)),
                Level::Gp => q.filter(places::gp_id.eq(id)),
                Level::Village => q.filter(places::id.eq(id)),
            },
        }
    }

    /// The scope of one place inside this one (an officer looking at one block, say). A place
    /// outside this scope is `NotFound`, like a missing one.
    pub fn narrowed_to(&self, conn: &mut crate::db::DbConn, place_id: i64) -> AppResult<Scope> {
        let level: String = self
            .filter_places(places::table.into_boxed())
            .filter(places::id.eq(place_id))
            .select(places::level)
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let level = Level::parse(&level).ok_or(AppError::NotFound)?;
        Ok(Scope::Place {
            level,
            id: place_id,
        })
    }

    /// A GP named by a list's filter (`?gp=`): fine when none is named or it is a GP inside
    /// this scope; anything else is `NotFound`, like a missing one, so a page and its export
    /// answer a foreign GP the same way.
    pub fn check_gp(&self, conn: &mut crate::db::DbConn, gp: Option<i64>) -> AppResult<()> {
        let Some(id) = gp else {
            return Ok(());
        };
        self.filter_places(places::table.into_boxed())
            .filter(places::id.eq(id))
            .filter(places::level.eq("gp"))
            .select(places::id)
            .first::<i64>(conn)
            .optional()?
            .map(|_| ())
            .ok_or(AppError::NotFound)
    }

    /// The GP a form names (`raw`, an id) when it lies inside this scope; with nothing named,
    /// the scope's own GP when the scope is one. `None` when neither gives a GP in scope.
    pub fn gp_named(&self, conn: &mut crate::db::DbConn, raw: &str) -> AppResult<Option<i64>> {
        let id = match raw.trim().parse::<i64>() {
            Ok(id) => id,
            Err(_) => match *self {
                Scope::Place {
                    level: Level::Gp,
                    id,
                } => id,
                _ => return Ok(None),
            },
        };
        Ok(self
            .filter_places(places::table.into_boxed())
            .filter(places::id.eq(id))
            .filter(places::level.eq("gp"))
            .select(places::id)
            .first::<i64>(conn)
            .optional()?)
    }
}

/// A filter keeping the rows of a GP-owned table whose `gp_id` column lies inside a scope:
/// `query.filter(in_scope!(&actor.scope, table, table::gp_id))`. Every GP-owned query goes
/// through it, so scope rules live in one place. (A macro, because the sub-select must stay
/// unboxed for the multi-backend query builder.)
#[macro_export]
macro_rules! in_scope {
    ($scope:expr, $table:ty, $col:expr) => {{
        use diesel::prelude::*;
        use $crate::db::schema::places as __p;
        let __gps = __p::table.filter(__p::level.eq("gp"));
        let __f: Box<
            dyn diesel::BoxableExpression<
                $table,
                $crate::db::MultiBackend,
                SqlType = diesel::sql_types::Bool,
            >,
        > = match *$scope {
            $crate::auth::Scope::All => Box::new($col.is_not_null()),
            $crate::auth::Scope::Place { level, id } => match level {
                $crate::places::Level::State => {
                    Box::new($col.eq_any(__gps.filter(__p::state_id.eq(id)).select(__p::id)))
                }
                $crate::places::Level::District => {
                    Box::new($col.eq_any(__gps.filter(__p::district_id.eq(id)).select(__p::id)))
                }
                $crate::places::Level::Block => {
                    Box::new($col.eq_any(__gps.filter(__p::block_id.eq(id)).select(__p::id)))
                }
                $crate::places::Level::Gp => Box::new($col.eq(id)),
                // A village-level scope owns no GP rows.
                $crate::places::Level::Village => Box::new($col.eq(-1_i64)),
            },
        };
        __f
    }};
}

/// The person behind a request: loaded once per request by the session middleware.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub role: Role,
    pub scope: Scope,
    /// The session row when the request came with a browser session.
    pub session_id: Option<i64>,
    /// The API token row when the request came with a bearer token.
    pub token_id: Option<i64>,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn can(&self, verb: Verb) -> bool {
        self.role.allows(verb)
    }

    /// `Err(Forbidden)` unless the role has the verb.
    pub fn require(&self, verb: Verb) -> AppResult<()> {
        if self.can(verb) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = Ready<Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let actor = req
            .extensions()
            .get::<crate::web::session::Identity>()
            .and_then(|i| i.actor.clone());
        ready(actor.ok_or(AppError::Unauthorized))
    }
}

/// Random bytes as URL-safe base64: tokens for sessions, CSRF and the API.
pub fn random_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// How tokens are stored: SHA-256, hex. The raw token is never stored.
pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison for tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/users",
    label: "nav-admin-users",
    verb: Some(crate::auth::Verb::ManageUsers),
}];
