//! Who is asking and what they may do: users, roles, scopes, sessions, API tokens and the
//! `Actor` every handler takes. Scope and verb checks live here and nowhere else.
//!
//! Besides the five files (`model`, `service`, `pages`, `api` and this one), `password.rs`
//! holds the password rules (hashing, verifying, what a new password must be) and
//! `throttle.rs` the log-in throttling rules and device marks.

pub mod api;
pub mod model;
pub mod otp;
pub mod pages;
pub mod password;
pub mod service;
pub mod throttle;

use crate::db::schema::places;
use crate::db::MultiBackend;
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
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
    /// A district water-testing laboratory's analyst: reads water quality in the district
    /// and enters laboratory results, nothing else.
    LabAnalyst,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::DistrictOfficer,
        Role::BlockEngineer,
        Role::Secretary,
        Role::Member,
        Role::LabAnalyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::DistrictOfficer => "district_officer",
            Role::BlockEngineer => "block_engineer",
            Role::Secretary => "secretary",
            Role::Member => "member",
            Role::LabAnalyst => "lab_analyst",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// Translation key of the role's name.
    pub fn label_key(self) -> String {
        format!("role-{}", self.as_str())
    }

    /// The place levels a user of this role may be scoped to (empty: no place, all of it).
    pub fn scope_levels(self) -> &'static [Level] {
        match self {
            Role::Admin => &[],
            Role::DistrictOfficer => &[Level::District, Level::State],
            Role::BlockEngineer => &[Level::Block],
            Role::LabAnalyst => &[Level::District],
            Role::Secretary | Role::Member => &[Level::Gp],
        }
    }

    /// Whether this role may perform `verb` (within its scope).
    pub fn allows(self, verb: Verb) -> bool {
        use Verb::*;
        if self == Role::LabAnalyst {
            // the laboratory reads water quality and enters its results (which kind of test:
            // `TestKind::recordable_by`), nothing else
            return matches!(verb, ViewWaterQuality | RecordWaterTest);
        }
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
            ManagePlaces | ManageUsers | ViewAudit | ViewJobs | ViewSms => self == Role::Admin,
            // Secretaries manage their GP's register; scope keeps them inside it.
            ManageSchemes => matches!(self, Role::Admin | Role::Secretary),
            ViewSupply => true,
            LogSupply => matches!(self, Role::Admin | Role::Secretary | Role::Member),
            CorrectSupply => matches!(self, Role::Admin | Role::Secretary),
            ManageSupplyDevices => {
                matches!(self, Role::Admin | Role::Secretary | Role::BlockEngineer)
            }
            ViewWaterQuality => true,
            ManageWaterQuality => matches!(self, Role::Admin | Role::Secretary),
            RecordWaterTest => matches!(self, Role::Admin | Role::Secretary | Role::Member),
            ReportHarGharJal => matches!(self, Role::Admin | Role::Secretary),
            // JJM: the Gram Panchayat reports, the district certifies
            CertifyHarGharJal => matches!(self, Role::Admin | Role::DistrictOfficer),
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
    /// The SMS outbox, its templates and the GPs' SMS switches (`/admin/sms`).
    ViewSms,
    /// Supply logs, figures and functionality.
    ViewSupply,
    /// Log a day's supply (today, yesterday, the day before).
    LogSupply,
    /// Correct older days' supply logs; set a scheme's supply schedule.
    CorrectSupply,
    /// Make, list and revoke the device tokens meters push a scheme's readings with.
    ManageSupplyDevices,
    /// Water quality: sampling points, testers, tests (read).
    ViewWaterQuality,
    /// Sampling points and the testers register of a GP.
    ManageWaterQuality,
    /// Enter a water test (a member only as a tester in the register: the service checks).
    RecordWaterTest,
    /// Har Ghar Jal: fill a village's checklist and report it (the Gram Panchayat).
    ReportHarGharJal,
    /// Har Ghar Jal: certify a reported village (the district).
    CertifyHarGharJal,
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
        self.check_named_place(conn, gp, Some(Level::Gp))
    }

    /// A place of any level named by a list's filter (`?village=`, `?place=`): fine when none
    /// is named or it lies inside this scope; anything else is `NotFound`, as for `check_gp`.
    pub fn check_place(&self, conn: &mut crate::db::DbConn, place: Option<i64>) -> AppResult<()> {
        self.check_named_place(conn, place, None)
    }

    /// A named place (of `level`, when given) inside this scope, or `NotFound`.
    fn check_named_place(
        &self,
        conn: &mut crate::db::DbConn,
        place: Option<i64>,
        level: Option<Level>,
    ) -> AppResult<()> {
        let Some(id) = place else {
            return Ok(());
        };
        let mut q = self
            .filter_places(places::table.into_boxed())
            .filter(places::id.eq(id));
        if let Some(l) = level {
            q = q.filter(places::level.eq(l.as_str()));
        }
        q.select(places::id)
            .first::<i64>(conn)
            .optional()?
            .map(|_| ())
            .ok_or(AppError::NotFound)
    }

    /// A scheme named by a list's filter (`?scheme=`): fine when none is named or it belongs
    /// to a GP inside this scope; anything else is `NotFound`. Every list that filters by
    /// place or scheme checks here first, so a page, its export and its API answer alike.
    pub fn check_scheme(&self, conn: &mut crate::db::DbConn, scheme: Option<i64>) -> AppResult<()> {
        use crate::db::schema::schemes;
        let Some(id) = scheme else {
            return Ok(());
        };
        schemes::table
            .filter(schemes::id.eq(id))
            .filter(crate::in_scope!(self, schemes::table, schemes::gp_id))
            .select(schemes::id)
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
    /// The create's idempotency key, when the request brought one
    /// (`crate::web::idempotency`): claimed by the write that makes the record.
    pub request_key: Option<std::sync::Arc<crate::web::idempotency::RequestKey>>,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn can(&self, verb: Verb) -> bool {
        self.role.allows(verb)
    }

    /// Whether the user works in the field of one GP (or village): the offline app keeps
    /// forms and an outbox for them (`crate::offline`); wider scopes work online.
    pub fn works_in_the_field(&self) -> bool {
        matches!(
            self.scope,
            Scope::Place {
                level: Level::Gp | Level::Village,
                ..
            }
        )
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

/// How reminders reach a user by e-mail: each at once, a daily digest, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailPref {
    Immediate,
    Digest,
    Off,
}

impl EmailPref {
    pub const ALL: [EmailPref; 3] = [EmailPref::Immediate, EmailPref::Digest, EmailPref::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailPref::Immediate => "immediate",
            EmailPref::Digest => "digest",
            EmailPref::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<EmailPref> {
        EmailPref::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }
}

/// Whether reminders reach a user by SMS too (issue 27): on or off. New users with a phone and
/// no e-mail address start with it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsPref {
    On,
    Off,
}

impl SmsPref {
    pub const ALL: [SmsPref; 2] = [SmsPref::On, SmsPref::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            SmsPref::On => "on",
            SmsPref::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<SmsPref> {
        SmsPref::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    /// A new user's choice: on when they have a phone but no e-mail address.
    pub fn default_for(phone: Option<&str>, email: Option<&str>) -> SmsPref {
        let has = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
        if has(phone) && !has(email) {
            SmsPref::On
        } else {
            SmsPref::Off
        }
    }
}

/// Which users a list shows: active ones (the default), inactive ones, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatusFilter {
    Active,
    Inactive,
    All,
}

impl UserStatusFilter {
    pub const ALL: [UserStatusFilter; 3] = [
        UserStatusFilter::Active,
        UserStatusFilter::Inactive,
        UserStatusFilter::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserStatusFilter::Active => "active",
            UserStatusFilter::Inactive => "inactive",
            UserStatusFilter::All => "all",
        }
    }

    /// Anything but "inactive" or "all" (or nothing) means active.
    pub fn parse(s: Option<&str>) -> UserStatusFilter {
        UserStatusFilter::ALL
            .into_iter()
            .find(|f| Some(f.as_str()) == s)
            .unwrap_or(UserStatusFilter::Active)
    }
}

/// Account fields as typed (form, JSON or command line).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct UserInput {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// admin, district_officer, block_engineer, secretary, member or lab_analyst.
    #[serde(default)]
    pub role: String,
    /// The place the user works in: a GP (secretary, member), a block (block engineer), a
    /// district or state (district officer), a district (lab analyst); empty for admins. Its LGD code, or (part of) its
    /// name in English or Hindi when that names one place at the role's level.
    #[serde(default)]
    pub place_lgd_code: String,
    /// A place picked from the list offered when a name matched several: `<level>:<LGD
    /// code>` (e.g. `gp:23010101`). When given, it is the place.
    #[serde(default)]
    pub place_pick: String,
    /// The level of that place, when the code alone is ambiguous (a district officer working
    /// for a whole state): state, district, block or gp. Empty: the role's usual level.
    #[serde(default)]
    pub place_level: String,
    /// "en" or "hi".
    #[serde(default)]
    pub lang: String,
    /// Only when creating (or use the reset action).
    #[serde(default)]
    pub password: String,
}

/// Checked account fields ready to store.
#[derive(Debug, Clone)]
pub struct UserValues {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: Role,
    pub place: Option<Place>,
    pub lang: String,
}

/// A username as stored: trimmed, lower case.
pub fn username_ok(username: &str) -> bool {
    (3..=crate::web::forms::max::CODE).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// A 10-digit Indian mobile number (optionally written with +91 or 0 in front).
pub fn normalize_mobile(s: &str) -> Option<String> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = digits
        .strip_prefix("+91")
        .or_else(|| digits.strip_prefix("91").filter(|d| d.len() == 10))
        .or_else(|| digits.strip_prefix('0').filter(|d| d.len() == 10))
        .unwrap_or(&digits);
    let ok = digits.len() == 10
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(digits.chars().next(), Some('6'..='9'));
    ok.then(|| digits.to_string())
}

pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && s.len() <= 254
}

/// The level names a role's place must have (for help texts).
pub fn scope_level_names(role: Role) -> Vec<&'static str> {
    role.scope_levels()
        .iter()
        .map(|l: &Level| l.as_str())
        .collect()
}

/// Only local paths are followed after log-in.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else { return "/".into() };
    let b = n.as_bytes();
    let local = b.first() == Some(&b'/')
        && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && n.len() <= 2000;
    if local {
        n.to_string()
    } else {
        "/".into()
    }
}

/// A short label for the browser a session was started in, from its User-Agent ("Chrome ·
/// Android"), for the account page's list of sessions; `None` when neither is recognised.
/// Only the label is stored, never the whole header.
pub fn device_label(user_agent: &str) -> Option<String> {
    let ua = user_agent.to_ascii_lowercase();
    // the order matters: Edge, Opera and Samsung's browser also say "chrome"; Chrome "safari"
    let browser = [
        ("edg/", "Edge"),
        ("opr/", "Opera"),
        ("opera", "Opera"),
        ("samsungbrowser", "Samsung Internet"),
        ("ucbrowser", "UC Browser"),
        ("firefox", "Firefox"),
        ("chrome", "Chrome"),
        ("chromium", "Chromium"),
        ("safari", "Safari"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, name)| *name);
    let system = [
        ("kaios", "KaiOS"),
        ("android", "Android"),
        ("iphone", "iPhone"),
        ("ipad", "iPad"),
        ("windows", "Windows"),
        ("mac os", "macOS"),
        ("cros", "ChromeOS"),
        ("linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => Some(format!("{b} · {s}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (None, None) => None,
    }
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/users",
    label: "nav-admin-users",
    verb: Some(crate::auth::Verb::ManageUsers),
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_labels_name_the_browser_and_system() {
        let android = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) \
                       Chrome/120.0.0.0 Mobile Safari/537.36";
        assert_eq!(device_label(android).as_deref(), Some("Chrome · Android"));
        let samsung = "Mozilla/5.0 (Linux; Android 13) SamsungBrowser/23.0 Chrome/115 Safari";
        assert_eq!(
            device_label(samsung).as_deref(),
            Some("Samsung Internet · Android")
        );
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1";
        assert_eq!(device_label(iphone).as_deref(), Some("Safari · iPhone"));
        assert_eq!(device_label("curl/8.0"), None);
        assert_eq!(device_label(""), None);
    }

    #[test]
    fn mobiles() {
        assert_eq!(
            normalize_mobile("98765 43210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(
            normalize_mobile("+91 9876543210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(
            normalize_mobile("09876543210").as_deref(),
            Some("9876543210")
        );
        assert_eq!(normalize_mobile("5876543210"), None);
        assert_eq!(normalize_mobile("98765"), None);
    }

    #[test]
    fn emails() {
        assert!(valid_email("a@b.in"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@c.in"));
    }

    #[test]
    fn closed_lists_round_trip() {
        for p in EmailPref::ALL {
            assert_eq!(EmailPref::parse(p.as_str()), Some(p));
        }
        assert_eq!(EmailPref::parse("weekly"), None);
        assert_eq!(UserStatusFilter::parse(None), UserStatusFilter::Active);
        assert_eq!(UserStatusFilter::parse(Some("all")), UserStatusFilter::All);
        assert_eq!(Role::Secretary.label_key(), "role-secretary");
    }
}
