//! Billing: the household register (who has a tap, in which category), tariff plans (what each
//! category pays per month, from which month), and monthly demands raised in runs. Money is in
//! paise throughout.

pub mod cashbook;
pub mod demands;
pub mod http;
pub mod ledger;
pub mod pages;
pub mod payments;
pub mod receipts;
pub mod register;
pub mod tariffs;
pub mod words;

use crate::auth::{Actor, Scope};
use crate::db::schema::{households, places};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub const STATUSES: [&str; 3] = ["active", "disconnected", "merged"];

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = households)]
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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A household as typed (form, JSON or a CSV row).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HouseholdInput {
    /// The village (place id) inside the GP.
    pub village_id: String,
    pub scheme_id: String,
    pub connection_no: String,
    pub head_name: String,
    pub members: String,
    pub category: String,
    /// Required for `exempt`.
    pub exempt_reason: String,
    /// YYYY-MM-DD or DD-MM-YYYY; not in the future.
    pub connected_on: String,
    /// active (default), disconnected or merged.
    pub status: String,
    /// With `disconnected`: the date and the reason.
    pub disconnected_on: String,
    pub status_reason: String,
    pub phone: String,
    pub notes: String,
}

impl From<&Household> for HouseholdInput {
    fn from(h: &Household) -> HouseholdInput {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        HouseholdInput {
            village_id: h.village_id.to_string(),
            scheme_id: h.scheme_id.map(|s| s.to_string()).unwrap_or_default(),
            connection_no: h.connection_no.clone(),
            head_name: h.head_name.clone(),
            members: h.members.map(|m| m.to_string()).unwrap_or_default(),
            category: h.category.clone(),
            exempt_reason: opt(&h.exempt_reason),
            connected_on: h.connected_on.to_string(),
            status: h.status.clone(),
            disconnected_on: h.disconnected_on.map(|d| d.to_string()).unwrap_or_default(),
            status_reason: opt(&h.status_reason),
            phone: opt(&h.phone),
            notes: opt(&h.notes),
        }
    }
}

/// Checked values, ready to store: inserted as they are, or set on an existing row.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = households, treat_none_as_null = true)]
struct Checked {
    gp_id: i64,
    village_id: i64,
    scheme_id: Option<i64>,
    connection_no: String,
    head_name: String,
    members: Option<i32>,
    category: String,
    exempt_reason: Option<String>,
    connected_on: NaiveDate,
    status: String,
    disconnected_on: Option<NaiveDate>,
    status_reason: Option<String>,
    phone: Option<String>,
    notes: Option<String>,
}

impl Checked {
    /// The household's key: its GP and (capitalised) connection number.
    fn key(&self) -> (i64, &str) {
        (self.gp_id, &self.connection_no)
    }

    /// Whether `h` holds exactly these values already (an import row that changes nothing).
    fn same_as(&self, h: &Household) -> bool {
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

fn check(
    conn: &mut DbConn,
    scope: &Scope,
    categories: &[String],
    input: &HouseholdInput,
    today: NaiveDate,
) -> AppResult<Checked> {
    let mut e = FieldErrors::new();
    // the village must be inside the actor's scope; its GP owns the household
    let village = match input.village_id.trim().parse::<i64>() {
        Ok(id) => scope
            .filter_places(places::table.into_boxed())
            .filter(places::id.eq(id))
            .filter(places::level.eq("village"))
            .select((places::id, places::gp_id))
            .first::<(i64, Option<i64>)>(conn)
            .optional()?
            .and_then(|(v, g)| g.map(|g| (v, g))),
        Err(_) => None,
    };
    if village.is_none() {
        e.add("village_id", "field-invalid-choice");
    }
    let scheme_id = match input.scheme_id.trim() {
        "" => None,
        raw => match (raw.parse::<i64>(), village) {
            (Ok(id), Some((_, gp))) => match crate::schemes::find(conn, id) {
                Ok(s) if s.gp_id == gp => Some(s.id),
                _ => {
                    e.add("scheme_id", "field-invalid-choice");
                    None
                }
            },
            _ => {
                e.add("scheme_id", "field-invalid-choice");
                None
            }
        },
    };
    let connection_no = forms::required_text(&input.connection_no, 40, "connection_no", &mut e);
    let head_name = forms::required_text(&input.head_name, 120, "head_name", &mut e);
    let members = forms::optional_int(&input.members, 1, 100, "members", &mut e);
    let category = input.category.trim().to_lowercase();
    if !categories.contains(&category) {
        e.add("category", "field-invalid-choice");
    }
    let exempt_reason = forms::optional_text(&input.exempt_reason, 200, "exempt_reason", &mut e);
    if category == "exempt" && exempt_reason.is_none() && !e.has("exempt_reason") {
        e.add("exempt_reason", "field-required");
    }
    let connected_on = match input.connected_on.trim() {
        "" => {
            e.add("connected_on", "field-required");
            None
        }
        raw => forms::optional_date(raw, Some(today), "connected_on", &mut e),
    };
    let status = match input.status.trim() {
        "" => "active".to_string(),
        s if STATUSES.contains(&s) => s.to_string(),
        _ => {
            e.add("status", "field-invalid-choice");
            "active".into()
        }
    };
    let disconnected_on = forms::optional_date(
        &input.disconnected_on,
        Some(today),
        "disconnected_on",
        &mut e,
    );
    let status_reason = forms::optional_text(&input.status_reason, 200, "status_reason", &mut e);
    if status != "active" {
        if status == "disconnected" && disconnected_on.is_none() && !e.has("disconnected_on") {
            e.add("disconnected_on", "field-required");
        }
        if status_reason.is_none() && !e.has("status_reason") {
            e.add("status_reason", "field-required");
        }
    }
    let phone = match input.phone.trim() {
        "" => None,
        raw => match crate::auth::users::normalize_mobile(raw) {
            Some(p) => Some(p),
            None => {
                e.add("phone", "phone-invalid");
                None
            }
        },
    };
    let notes = forms::optional_text(&input.notes, 1000, "notes", &mut e);
    e.into_result()?;
    let (village_id, gp_id) = village.expect("checked");
    Ok(Checked {
        gp_id,
        village_id,
        scheme_id,
        connection_no: connection_no.expect("checked").to_uppercase(),
        head_name: head_name.expect("checked"),
        members: members.map(|m| m as i32),
        category,
        exempt_reason,
        connected_on: connected_on.expect("checked"),
        status: status.clone(),
        disconnected_on: if status == "active" {
            None
        } else {
            disconnected_on
        },
        status_reason: if status == "active" {
            None
        } else {
            status_reason
        },
        phone,
        notes,
    })
}

/// Add a household to the register; its connection number must be new in the GP.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    categories: &[String],
    input: &HouseholdInput,
    now: NaiveDateTime,
) -> AppResult<Household> {
    let c = check(
        conn,
        &actor.scope,
        categories,
        input,
        crate::web::i18n::today_in_india(now),
    )?;
    let id = insert_checked(conn, &c, now)?;
    find(conn, id)
}

/// Insert checked values as a new household; its id.
fn insert_checked(conn: &mut DbConn, c: &Checked, now: NaiveDateTime) -> AppResult<i64> {
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

/// Change a household (all fields, as typed).
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    categories: &[String],
    h: &Household,
    input: &HouseholdInput,
    now: NaiveDateTime,
) -> AppResult<Household> {
    let c = check(
        conn,
        &actor.scope,
        categories,
        input,
        crate::web::i18n::today_in_india(now),
    )?;
    if c.gp_id != h.gp_id {
        let mut e = FieldErrors::new();
        e.add("village_id", "household-other-gp");
        return Err(AppError::Validation(e));
    }
    update_checked(conn, h.id, &c, now)?;
    find(conn, h.id)
}

/// Set checked values on household `id` (same GP: the caller makes sure).
fn update_checked(conn: &mut DbConn, id: i64, c: &Checked, now: NaiveDateTime) -> AppResult<()> {
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
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &HouseholdFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<Household>, i64)> {
    let build = || {
        let mut q = households::table.into_boxed().filter(crate::in_scope!(
            scope,
            households::table,
            households::gp_id
        ));
        match f.status.as_deref().unwrap_or("active") {
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
                    .or(crate::db::lower(households::connection_no).like(pat.clone()))
                    .or(households::phone.like(pat)),
            );
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .order((households::connection_no.asc(), households::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(Household::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[
    crate::web::render::NavItem {
        href: "/households",
        label: "nav-households",
        verb: Some(crate::auth::Verb::ViewBilling),
    },
    crate::web::render::NavItem {
        href: "/payments",
        label: "nav-payments",
        verb: Some(crate::auth::Verb::ViewBilling),
    },
];
