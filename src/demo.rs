//! The demo data set: one state, one district, two blocks, six gram panchayats, fifteen
//! villages, and one user per role (password `paani-demo-2024`, demo only).
//! LGD codes here are made up for the demo.

use crate::auth::{password, users, Role};
use crate::clock::Clock;
use crate::db::schema::{places, users as users_t};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::places::{create, Level, NewPlace};
use diesel::prelude::*;

pub const DEMO_PASSWORD: &str = "paani-demo-2024";

/// (level, lgd, English, Hindi, parent lgd)
type Row = (Level, i64, &'static str, &'static str, Option<i64>);

const PLACES: &[Row] = &[
    (Level::State, 23, "Madhya Pradesh", "मध्य प्रदेश", None),
    (Level::District, 2301, "Narmadapuram", "नर्मदापुरम", Some(23)),
    (
        Level::Block,
        230101,
        "Seoni Malwa",
        "सिवनी मालवा",
        Some(2301),
    ),
    (Level::Block, 230102, "Pipariya", "पिपरिया", Some(2301)),
    (Level::Gp, 23010101, "Banapura", "बानापुरा", Some(230101)),
    (Level::Gp, 23010102, "Shivpur", "शिवपुर", Some(230101)),
    (Level::Gp, 23010103, "Dhanori", "धनोरी", Some(230101)),
    (
        Level::Gp,
        23010201,
        "Semri Harchand",
        "सेमरी हरचंद",
        Some(230102),
    ),
    (Level::Gp, 23010202, "Matkuli", "मटकुली", Some(230102)),
    (Level::Gp, 23010203, "Bankhedi", "बनखेड़ी", Some(230102)),
    (
        Level::Village,
        2301010101,
        "Banapura",
        "बानापुरा",
        Some(23010101),
    ),
    (
        Level::Village,
        2301010102,
        "Khapariya",
        "खपरिया",
        Some(23010101),
    ),
    (
        Level::Village,
        2301010103,
        "Bhilat Kheda",
        "भिलट खेड़ा",
        Some(23010101),
    ),
    (
        Level::Village,
        2301010201,
        "Shivpur",
        "शिवपुर",
        Some(23010102),
    ),
    (
        Level::Village,
        2301010202,
        "Nandarwada",
        "नांदरवाड़ा",
        Some(23010102),
    ),
    (
        Level::Village,
        2301010301,
        "Dhanori",
        "धनोरी",
        Some(23010103),
    ),
    (Level::Village, 2301010302, "Kotra", "कोटरा", Some(23010103)),
    (
        Level::Village,
        2301020101,
        "Semri Harchand",
        "सेमरी हरचंद",
        Some(23010201),
    ),
    (
        Level::Village,
        2301020102,
        "Sandiya",
        "सांडिया",
        Some(23010201),
    ),
    (
        Level::Village,
        2301020103,
        "Gadaghat",
        "गड़ाघाट",
        Some(23010201),
    ),
    (
        Level::Village,
        2301020201,
        "Matkuli",
        "मटकुली",
        Some(23010202),
    ),
    (
        Level::Village,
        2301020202,
        "Jhirpa",
        "झिरपा",
        Some(23010202),
    ),
    (
        Level::Village,
        2301020301,
        "Bankhedi",
        "बनखेड़ी",
        Some(23010203),
    ),
    (
        Level::Village,
        2301020302,
        "Umariya",
        "उमरिया",
        Some(23010203),
    ),
    (Level::Village, 2301020303, "Kamti", "कमती", Some(23010203)),
];

/// (username, role, name, phone, place lgd, language)
/// (username, role, name, phone, place LGD, language)
type DemoUser = (
    &'static str,
    Role,
    &'static str,
    &'static str,
    Option<i64>,
    &'static str,
);

const USERS: &[DemoUser] = &[
    (
        "admin",
        Role::Admin,
        "State Admin",
        "9800000001",
        None,
        "en",
    ),
    (
        "officer",
        Role::DistrictOfficer,
        "Rekha Verma (District Officer)",
        "9800000002",
        Some(2301),
        "en",
    ),
    (
        "engineer",
        Role::BlockEngineer,
        "Anil Patel (Block Engineer)",
        "9800000003",
        Some(230101),
        "en",
    ),
    (
        "secretary",
        Role::Secretary,
        "Sunita Yadav (Secretary)",
        "9800000004",
        Some(23010101),
        "hi",
    ),
    (
        "member",
        Role::Member,
        "Ramesh Kushwaha (Nal Jal Mitra)",
        "9800000005",
        Some(23010101),
        "hi",
    ),
];

pub struct DemoSummary {
    pub places: usize,
    pub users: Vec<(&'static str, &'static str)>,
}

/// Whether the database holds any places or users.
pub fn has_data(db: &Db) -> AppResult<bool> {
    let mut conn = db.conn()?;
    let p: i64 = places::table.count().get_result(&mut *conn)?;
    let u: i64 = users_t::table.count().get_result(&mut *conn)?;
    Ok(p + u > 0)
}

/// Seed the demo data into an empty database; refuses when there is data already.
pub fn seed(db: &Db, clock: &Clock) -> AppResult<DemoSummary> {
    if has_data(db)? {
        return Err(AppError::Config(
            "the database already has data, and the demo data set goes only into an empty database. Start without --demo to use the data that is there, or give a new --database path".into(),
        ));
    }
    let now = clock.now();
    let hash = password::hash(DEMO_PASSWORD)?;
    let mut conn = db.conn()?;
    conn.transaction(|conn| {
        for (level, lgd, name, name_hi, parent) in PLACES {
            create(
                conn,
                &NewPlace {
                    level: *level,
                    lgd_code: *lgd,
                    name: name.to_string(),
                    name_hi: Some(name_hi.to_string()),
                    parent_lgd_code: *parent,
                },
                now,
            )?;
        }
        for (username, role, name, phone, lgd, lang) in USERS {
            let place = match lgd {
                Some(code) => users::resolve_place(conn, *role, *code, None)?
                    .ok()
                    .flatten(),
                None => None,
            };
            users::create(
                conn,
                &users::UserValues {
                    username: username.to_string(),
                    display_name: name.to_string(),
                    phone: Some(phone.to_string()),
                    email: Some(format!("{username}@paani.example")),
                    role: *role,
                    place,
                    lang: lang.to_string(),
                },
                &hash,
                now,
            )?;
        }
        seed_schemes(conn, now)?;
        seed_plans(conn, now)?;
        Ok::<_, AppError>(())
    })?;
    Ok(DemoSummary {
        places: PLACES.len(),
        users: USERS.iter().map(|u| (u.0, u.1.as_str())).collect(),
    })
}

/// (kind, English name, years since installed, months, capacity, replacement cost in rupees)
type DemoAsset = (
    &'static str,
    &'static str,
    i32,
    u32,
    Option<f64>,
    Option<i64>,
);

const ASSETS: &[DemoAsset] = &[
    ("borewell", "Borewell 1", 14, 2, Some(120.0), Some(350_000)),
    ("pump", "Submersible pump", 14, 7, Some(7.5), Some(85_000)),
    ("motor", "Pump motor", 9, 0, Some(7.5), Some(60_000)),
    ("rising_main", "Rising main", 14, 2, Some(850.0), None),
    ("ohsr", "Overhead tank", 13, 5, Some(50.0), Some(1_200_000)),
    (
        "chlorinator",
        "Chlorine doser",
        9,
        10,
        Some(20.0),
        Some(40_000),
    ),
    (
        "distribution_pipeline",
        "Distribution network",
        13,
        5,
        Some(4200.0),
        None,
    ),
    (
        "valve",
        "Sluice valve, main",
        6,
        3,
        Some(100.0),
        Some(9_000),
    ),
    (
        "bulk_meter",
        "Bulk meter at tank",
        2,
        1,
        Some(80.0),
        Some(18_000),
    ),
    ("tap_connections", "Household taps", 4, 6, Some(310.0), None),
    (
        "electrical_panel",
        "Starter panel",
        14,
        11,
        Some(7.5),
        Some(25_000),
    ),
    ("valve", "Air valve, ward 4", 1, 4, Some(50.0), Some(6_500)),
    ("standpost", "Standposts", 11, 0, Some(6.0), Some(30_000)),
    ("sump", "Sump", 13, 5, Some(20.0), None),
    (
        "solar_panels",
        "Solar panel set",
        3,
        2,
        Some(5.0),
        Some(240_000),
    ),
];

/// Schemes and assets for every demo GP: 1 to 3 schemes each, 8 to 15 assets each, of
/// varied ages (some past or near their expected life, some past warranty).
fn seed_schemes(conn: &mut crate::db::DbConn, now: chrono::NaiveDateTime) -> AppResult<()> {
    use crate::places::Place;
    use crate::schemes::{self, assets, catalogue::Catalogue, SchemeValues};
    use chrono::Months;
    let today = crate::web::i18n::today_in_india(now);
    let admin = crate::auth::model::user_by_username(conn, "admin")?.ok_or(AppError::NotFound)?;
    let actor = crate::auth::model::actor_for(conn, admin, None, None)?;
    let cat = Catalogue::builtin();
    let gps: Vec<Place> = places::table
        .filter(places::level.eq(Level::Gp.as_str()))
        .order(places::lgd_code.asc())
        .select(Place::as_select())
        .load(conn)?;
    let kinds = [
        ("pws", "PWS", "नल जल योजना"),
        ("solar_pws", "Solar PWS", "सौर नल जल योजना"),
        ("pws", "Ward 2 PWS", "वार्ड 2 नल जल योजना"),
    ];
    let sources = ["borewell", "borewell", "open_well"];
    for (g, gp) in gps.iter().enumerate() {
        let villages: Vec<Place> = places::table
            .filter(places::parent_id.eq(gp.id))
            .order(places::lgd_code.asc())
            .select(Place::as_select())
            .load(conn)?;
        let count = 1 + g % 3;
        for k in 0..count {
            let (kind, suffix, suffix_hi) = kinds[k];
            let years_ago = 15 - ((g + 2 * k) % 7) as u32;
            let commissioned = today
                .checked_sub_months(Months::new(12 * years_ago + (g as u32 % 5)))
                .unwrap_or(today);
            let served: Vec<Place> = if k == 0 {
                villages.clone()
            } else {
                villages.iter().skip(k - 1).take(1).cloned().collect()
            };
            let v = SchemeValues {
                gp: gp.clone(),
                name: format!("{} {}", gp.name, suffix),
                name_hi: gp.name_hi.as_ref().map(|h| format!("{h} {suffix_hi}")),
                imis_id: Some(format!("MP{}{:02}", gp.lgd_code % 100_000, k + 1)),
                kind: kind.into(),
                source_kind: Some(sources[k].into()),
                commissioned_on: Some(commissioned),
                design_period_years: 30,
                design_population: Some(1200 + 350 * g as i32 + 200 * k as i32),
                planned_connections: Some(180 + 40 * g as i32 + 25 * k as i32),
                operator_name: Some(
                    ["Ramesh Kushwaha", "Mohan Lal Ahirwar", "Sita Bai"][(g + k) % 3].into(),
                ),
                operator_phone: Some(format!("98{:08}", 10_000_000 + g * 1000 + k)),
                villages: served,
                notes: None,
            };
            let scheme = schemes::create(conn, &actor, &v, now)?;
            let n_assets = 8 + (g * 3 + k * 5) % 8;
            for (i, (kind, name, years, months, capacity, cost)) in
                ASSETS.iter().take(n_assets).enumerate()
            {
                let shift = ((g + i + k) % 3) as u32;
                let installed = today
                    .checked_sub_months(Months::new((*years as u32) * 12 + months + shift))
                    .unwrap_or(today)
                    .max(commissioned);
                let life = cat
                    .asset_kind(kind)
                    .and_then(|k| k.life_years)
                    .unwrap_or(15);
                let values = assets::AssetValues {
                    kind: kind.to_string(),
                    name: name.to_string(),
                    installed_on: Some(installed),
                    expected_life_years: life,
                    capacity: *capacity,
                    capacity_unit: cat
                        .asset_kind(kind)
                        .and_then(|k| k.unit.clone())
                        .filter(|u| !u.is_empty()),
                    make: ["Kirloskar", "Crompton", "CRI", "Texmo"]
                        .get(i % 4)
                        .map(|m| m.to_string())
                        .filter(|_| matches!(*kind, "pump" | "motor")),
                    model: None,
                    serial_no: None,
                    warranty_until: installed.checked_add_months(Months::new(24)),
                    latitude: Some(22.6 + g as f64 * 0.01 + i as f64 * 0.0003),
                    longitude: Some(77.7 + g as f64 * 0.01 + k as f64 * 0.002),
                    replacement_cost_paise: cost.map(|r| r * 100),
                    notes: None,
                };
                let a = assets::create(conn, &scheme, &values, None, now)?;
                if i == 2 && g % 2 == 0 {
                    assets::set_status(conn, &a, "needs_attention", now)?;
                }
                // One replacement in the history: the first GP's first pump was replaced.
                if i == 1 && g == 0 && k == 0 {
                    let newer = assets::AssetValues {
                        installed_on: today.checked_sub_months(Months::new(20)),
                        make: Some("Kirloskar".into()),
                        warranty_until: today.checked_add_months(Months::new(4)),
                        replacement_cost_paise: Some(9_000_000),
                        ..values.clone()
                    };
                    assets::replace(conn, &scheme, &a, &newer, today, now)?;
                }
            }
        }
    }
    Ok(())
}

/// Every demo asset gets its kind's template plans, and the coming 60 days' tasks.
fn seed_plans(conn: &mut crate::db::DbConn, now: chrono::NaiveDateTime) -> AppResult<()> {
    use crate::schemes::Scheme;
    let today = crate::web::i18n::today_in_india(now);
    let start = today
        .checked_sub_months(chrono::Months::new(18))
        .unwrap_or(today);
    let lib = crate::maintenance::templates::Library::load("").map_err(AppError::Config)?;
    let all: Vec<Scheme> = crate::db::schema::schemes::table
        .select(Scheme::as_select())
        .load(conn)?;
    for s in &all {
        crate::maintenance::templates::apply_to_scheme(
            conn,
            &lib,
            s,
            start,
            crate::web::i18n::Lang::En,
            now,
        )?;
    }
    crate::maintenance::generate(
        conn,
        None,
        today,
        today + chrono::Duration::days(60),
        now,
        |_| {},
    )?;
    Ok(())
}

/// Eighteen months of maintenance history: the past tasks of every plan, done on time, late,
/// skipped or missed, more diligently in some GPs than others, with readings (a few chlorine
/// readings out of range). Separate from [`seed`] because it writes thousands of rows.
pub fn seed_history(db: &Db, clock: &Clock) -> AppResult<usize> {
    use crate::db::schema::{maintenance_tasks as mt, places as pl};
    use crate::maintenance::{self as m, Plan, Task};
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let from = today
        .checked_sub_months(chrono::Months::new(18))
        .unwrap_or(today);
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        m::generate(
            conn,
            None,
            from,
            today - chrono::Duration::days(1),
            now,
            |_| {},
        )?;
        let admin =
            crate::auth::model::user_by_username(conn, "secretary")?.ok_or(AppError::NotFound)?;
        let actor = crate::auth::model::actor_for(conn, admin, None, None)?;
        let gp_lgd: Vec<(i64, i64)> = pl::table
            .filter(pl::level.eq("gp"))
            .select((pl::id, pl::lgd_code))
            .load(conn)?;
        let past: Vec<Task> = mt::table
            .filter(mt::state.eq("open"))
            .filter(mt::due_on.lt(today))
            .order(mt::id.asc())
            .select(Task::as_select())
            .load(conn)?;
        let mut plans: std::collections::HashMap<i64, Plan> = std::collections::HashMap::new();
        let mut done = 0;
        for t in past {
            let plan = match plans.get(&t.plan_id) {
                Some(p) => p.clone(),
                None => {
                    let p = m::find_plan(conn, t.plan_id)?;
                    plans.insert(p.id, p.clone());
                    p
                }
            };
            // Diligence by GP: the first, third and fifth GPs keep up; the others less so.
            let lgd = gp_lgd
                .iter()
                .find(|(id, _)| *id == t.gp_id)
                .map(|(_, l)| *l)
                .unwrap_or(0);
            let diligent = lgd % 2 == 1;
            let roll = t.id.wrapping_mul(2_654_435_761).rem_euclid(100);
            let (on_time, late, skipped) = if diligent { (85, 8, 3) } else { (45, 15, 10) };
            if roll < on_time + late {
                let delay = if roll < on_time {
                    roll % 3
                } else {
                    5 + roll % 20
                };
                let done_on = (t.due_on + chrono::Duration::days(delay)).min(today);
                let specs = plan.reading_specs();
                let values: Vec<String> = specs
                    .iter()
                    .map(|r| match (r.min, r.max) {
                        // one in fifteen chlorine readings is too low
                        (Some(lo), Some(hi)) if r.name.contains("chlorine") && roll % 15 == 0 => {
                            format!("{:.2}", lo / 2.0 + 0.0 * hi)
                        }
                        (Some(lo), Some(hi)) => {
                            format!("{:.2}", lo + (hi - lo) * (roll % 10) as f64 / 10.0)
                        }
                        _ => format!("{}", 100 + t.id % 900),
                    })
                    .collect();
                let input = m::WorkInput {
                    done_on: done_on.to_string(),
                    done_by: ["Ramesh Kushwaha", "Mohan Lal, Sita Bai", "Sunita Yadav"]
                        [(roll % 3) as usize]
                        .into(),
                    checked: (0..plan.checklist().len())
                        .filter(|i| !(roll as usize + i).is_multiple_of(7))
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                    readings: values.join(";"),
                    ..Default::default()
                };
                m::complete_task(conn, &actor, &t, &input, today, now)?;
                done += 1;
            } else if roll < on_time + late + skipped {
                m::skip_task(conn, &t, "No power supply that week", now)?;
            } else if t.deadline_on < today - chrono::Duration::days(60) {
                // Missed long ago: closed, so the lists show what can still be done.
                diesel::update(mt::table.find(t.id))
                    .set(mt::state.eq("cancelled"))
                    .execute(conn)?;
            }
        }
        Ok(done)
    })
}
