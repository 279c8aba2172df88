//! Assets: a scheme's components (borewell, pump, tank, pipeline, …) with their expected life,
//! status, and replacement history (the old asset stays, `replaced`, linked to its successor).

use super::catalogue::{Catalogue, UNITS};
use super::{add_years, Scheme};
use crate::auth::Scope;
use crate::db::schema::assets;
use crate::db::{like_pattern, lower, DbConn};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use crate::web::pagination::PageRequest;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssetStatus {
    Working,
    NeedsAttention,
    Failed,
    Replaced,
    Retired,
}

impl AssetStatus {
    pub const ALL: [AssetStatus; 5] = [
        AssetStatus::Working,
        AssetStatus::NeedsAttention,
        AssetStatus::Failed,
        AssetStatus::Replaced,
        AssetStatus::Retired,
    ];
    /// The statuses a person may set directly; `replaced` and `retired` have their own actions.
    pub const SETTABLE: [AssetStatus; 3] = [
        AssetStatus::Working,
        AssetStatus::NeedsAttention,
        AssetStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssetStatus::Working => "working",
            AssetStatus::NeedsAttention => "needs_attention",
            AssetStatus::Failed => "failed",
            AssetStatus::Replaced => "replaced",
            AssetStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<AssetStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Still part of the scheme (not replaced or retired).
    pub fn in_service(self) -> bool {
        !matches!(self, AssetStatus::Replaced | AssetStatus::Retired)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = assets)]
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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Asset {
    pub fn status(&self) -> AssetStatus {
        AssetStatus::parse(&self.status).unwrap_or(AssetStatus::Working)
    }
}

/// Whole months from `a` to `b` (negative when `b` is earlier).
pub fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    let mut m = (b.year() as i64 - a.year() as i64) * 12 + (b.month() as i64 - a.month() as i64);
    if m > 0 && b.day() < a.day() {
        m -= 1;
    } else if m < 0 && b.day() > a.day() {
        m += 1;
    }
    m
}

/// Age and remaining life on `today`, in months.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Life {
    pub age_months: Option<i64>,
    pub remaining_months: Option<i64>,
    pub end_of_life_on: Option<NaiveDate>,
    /// Past its expected life.
    pub overdue: bool,
    pub warranty_active: Option<bool>,
}

pub fn life_of(a: &Asset, today: NaiveDate) -> Life {
    let remaining = a.end_of_life_on.map(|e| months_between(today, e));
    Life {
        age_months: a.installed_on.map(|i| months_between(i, today).max(0)),
        remaining_months: remaining,
        end_of_life_on: a.end_of_life_on,
        overdue: a.end_of_life_on.is_some_and(|e| e <= today),
        warranty_active: a.warranty_until.map(|w| w >= today),
    }
}

/// Asset fields as typed (form, JSON, CSV).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssetInput {
    /// An asset kind code from the catalogue (pump, ohsr, …).
    pub kind: String,
    /// Name or tag, e.g. "Pump 1", "OHSR ward 3".
    pub name: String,
    /// Installed or last replaced: YYYY-MM-DD or DD-MM-YYYY, not in the future.
    pub installed_on: String,
    /// Empty: the kind's default.
    pub expected_life_years: String,
    pub capacity: String,
    /// kL, L, HP, kW, mm, m, LPH or count; empty: the kind's usual unit.
    pub capacity_unit: String,
    pub make: String,
    pub model: String,
    pub serial_no: String,
    pub warranty_until: String,
    pub latitude: String,
    pub longitude: String,
    /// Indicative replacement cost in rupees.
    pub replacement_cost: String,
    pub notes: String,
}

#[derive(Debug, Clone)]
pub struct AssetValues {
    pub kind: String,
    pub name: String,
    pub installed_on: Option<NaiveDate>,
    pub expected_life_years: i32,
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
}

/// India's bounding box, islands and Ladakh included.
pub const LAT_RANGE: (f64, f64) = (6.0, 37.5);
pub const LON_RANGE: (f64, f64) = (68.0, 97.5);

pub fn validate(
    cat: &Catalogue,
    input: &AssetInput,
    today: NaiveDate,
) -> Result<AssetValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = cat.asset_kind(input.kind.trim());
    if kind.is_none() {
        e.add(
            "kind",
            if input.kind.trim().is_empty() {
                "field-required"
            } else {
                "field-invalid-choice"
            },
        );
    }
    let name = forms::required_text(&input.name, 120, "name", &mut e);
    let installed_on =
        forms::optional_date(&input.installed_on, Some(today), "installed_on", &mut e);
    let life = forms::optional_int(
        &input.expected_life_years,
        1,
        100,
        "expected_life_years",
        &mut e,
    );
    let capacity = forms::optional_non_negative(&input.capacity, "capacity", &mut e);
    let unit = match input.capacity_unit.trim() {
        "" => kind.and_then(|k| k.unit.clone()).filter(|u| !u.is_empty()),
        u if UNITS.contains(&u) => Some(u.to_string()),
        _ => {
            e.add("capacity_unit", "field-invalid-choice");
            None
        }
    };
    let make = forms::optional_text(&input.make, 80, "make", &mut e);
    let model = forms::optional_text(&input.model, 80, "model", &mut e);
    let serial_no = forms::optional_text(&input.serial_no, 80, "serial_no", &mut e);
    let warranty_until =
        forms::optional_date(&input.warranty_until, None, "warranty_until", &mut e);
    if let (Some(w), Some(i)) = (warranty_until, installed_on) {
        if w < i {
            e.add("warranty_until", "asset-warranty-before-install");
        }
    }
    let coord = |raw: &str, field: &str, range: (f64, f64), e: &mut FieldErrors| -> Option<f64> {
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(x) if x >= range.0 && x <= range.1 => Some(x),
            Ok(_) => {
                e.add(field, "asset-outside-india");
                None
            }
            Err(_) => {
                e.add(field, "field-not-a-number");
                None
            }
        }
    };
    let latitude = coord(&input.latitude, "latitude", LAT_RANGE, &mut e);
    let longitude = coord(&input.longitude, "longitude", LON_RANGE, &mut e);
    if latitude.is_some() != longitude.is_some() && !e.has("latitude") && !e.has("longitude") {
        e.add(
            if latitude.is_none() {
                "latitude"
            } else {
                "longitude"
            },
            "asset-coordinates-pair",
        );
    }
    let cost = forms::optional_money(&input.replacement_cost, "replacement_cost", &mut e);
    let notes = forms::optional_text(&input.notes, 2000, "notes", &mut e);
    if !e.is_empty() {
        return Err(e);
    }
    let kind = kind.expect("checked");
    Ok(AssetValues {
        kind: kind.code.clone(),
        name: name.expect("checked"),
        installed_on,
        expected_life_years: life.map(|l| l as i32).or(kind.life_years).unwrap_or(15),
        capacity,
        capacity_unit: unit,
        make,
        model,
        serial_no,
        warranty_until,
        latitude,
        longitude,
        replacement_cost_paise: cost,
        notes,
    })
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
    match f.status.as_deref().map(str::trim).unwrap_or("in_service") {
        "all" => {}
        "" | "in_service" => {
            q = q.filter(assets::status.ne_all([
                AssetStatus::Replaced.as_str(),
                AssetStatus::Retired.as_str(),
            ]))
        }
        s => q = q.filter(assets::status.eq(s)),
    }
    if let Some(term) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pat = like_pattern(term);
        q = q.filter(
            lower(assets::name)
                .like(pat.clone())
                .or(crate::db::lower_opt(assets::make).like(pat.clone()))
                .or(crate::db::lower_opt(assets::model).like(pat.clone()))
                .or(crate::db::lower_opt(assets::serial_no).like(pat)),
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
    let total: i64 = filtered(scope, f).count().get_result(conn)?;
    let rows = filtered(scope, f)
        .order((
            assets::scheme_id.asc(),
            assets::kind.asc(),
            assets::name.asc(),
            assets::id.asc(),
        ))
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
    Ok(filtered(scope, f)
        .filter(assets::id.gt(after_id))
        .order(assets::id.asc())
        .limit(batch)
        .select(Asset::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months() {
        assert_eq!(months_between(d(2020, 1, 15), d(2020, 3, 14)), 1);
        assert_eq!(months_between(d(2020, 1, 15), d(2020, 3, 15)), 2);
        assert_eq!(months_between(d(2024, 2, 29), d(2039, 2, 28)), 179);
        assert_eq!(months_between(d(2030, 1, 1), d(2029, 12, 31)), 0);
        assert_eq!(months_between(d(2030, 3, 1), d(2029, 12, 31)), -2);
    }

    #[test]
    fn validation() {
        let cat = Catalogue::builtin();
        let today = d(2026, 11, 26);
        let ok = validate(
            &cat,
            &AssetInput {
                kind: "pump".into(),
                name: "Pump 1".into(),
                installed_on: "29-02-2024".into(),
                capacity: "7.5".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(ok.expected_life_years, 15);
        assert_eq!(ok.capacity_unit.as_deref(), Some("HP"));
        let e = validate(
            &cat,
            &AssetInput {
                kind: "spaceship".into(),
                name: "".into(),
                installed_on: "2030-01-01".into(),
                capacity: "-3".into(),
                latitude: "51.5".into(),
                longitude: "0.1".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        for f in [
            "kind",
            "name",
            "installed_on",
            "capacity",
            "latitude",
            "longitude",
        ] {
            assert!(e.has(f), "{f}");
        }
        let e = validate(
            &cat,
            &AssetInput {
                kind: "pump".into(),
                name: "x".into(),
                latitude: "22.7".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        assert!(e.has("longitude"));
    }
}
