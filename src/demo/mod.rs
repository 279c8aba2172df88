//! The demo data set: one state, one district, two blocks, six gram panchayats, fifteen
//! villages, and one user per role (password `paani-demo-2024`, demo only).
//! LGD codes here are made up for the demo. [`scale`] builds the large data sets
//! (`paani demo --scale block|district|state`).

mod har_ghar_jal;
pub mod scale;
mod supply;

pub use har_ghar_jal::seed_har_ghar_jal;

pub use supply::seed_supply;
pub mod water_quality;

pub use water_quality::seed_water_quality;
mod water_schedules;
pub use water_schedules::seed_water_schedules;
mod sms_households;
pub use sms_households::seed_sms_households;

use crate::auth::{model as users, password, Role, UserValues};
use crate::clock::Clock;
use crate::db::schema::{places, users as users_t};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::places::model::create;
use crate::places::{Level, NewPlace};
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

/// What the English GPs' records name the demo secretary (their account's name is Hindi, as
/// the Hindi GP's secretary).
const SECRETARY_EN: &str = "Sunita Yadav (Secretary)";

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
        "सुनीता यादव (सचिव)",
        "9800000004",
        Some(23010101),
        "hi",
    ),
    (
        "member",
        Role::Member,
        "रमेश कुशवाहा (नल जल मित्र)",
        "9800000005",
        Some(23010101),
        "hi",
    ),
    (
        "analyst",
        Role::LabAnalyst,
        "Farhan Qureshi (Laboratory Analyst)",
        "9800000006",
        Some(2301),
        "en",
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
                &UserValues {
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

/// The gram panchayat whose people work in Hindi (the demo's secretary and member): its
/// records are written in Hindi.
pub(crate) const HINDI_GP_LGD: i64 = 23010101;

/// Hindi names of the demo's assets, for the Hindi gram panchayat.
const ASSET_NAMES_HI: &[(&str, &str)] = &[
    ("Borewell 1", "बोरवेल 1"),
    ("Submersible pump", "सबमर्सिबल पंप"),
    ("Pump motor", "पंप मोटर"),
    ("Rising main", "राइजिंग मेन"),
    ("Overhead tank", "ऊँची टंकी"),
    ("Chlorine doser", "क्लोरीन डोज़र"),
    ("Distribution network", "वितरण पाइपलाइन"),
    ("Sluice valve, main", "मुख्य स्लूस वाल्व"),
    ("Bulk meter at tank", "टंकी का बल्क मीटर"),
    ("Household taps", "घरों के नल"),
    ("Starter panel", "स्टार्टर पैनल"),
    ("Air valve, ward 4", "एयर वाल्व, वार्ड 4"),
    ("Standposts", "सार्वजनिक नल"),
    ("Sump", "संप"),
    ("Solar panel set", "सोलर पैनल सेट"),
];

/// An asset's demo Hindi name, given in the Hindi GP (others typed only the English name).
fn asset_name_hi(name: &'static str, hindi: bool) -> Option<String> {
    ASSET_NAMES_HI
        .iter()
        .find(|(en, _)| hindi && *en == name)
        .map(|(_, hi)| hi.to_string())
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
                    if gp.lgd_code == HINDI_GP_LGD {
                        ["रमेश कुशवाहा", "मोहन लाल अहिरवार", "सीता बाई"]
                    } else {
                        ["Ramesh Kushwaha", "Mohan Lal Ahirwar", "Sita Bai"]
                    }[(g + k) % 3]
                        .into(),
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
                    name_hi: asset_name_hi(name, gp.lgd_code == HINDI_GP_LGD),
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
    let hindi_gp: Option<i64> = places::table
        .filter(places::level.eq(Level::Gp.as_str()))
        .filter(places::lgd_code.eq(HINDI_GP_LGD))
        .select(places::id)
        .first(conn)
        .optional()?;
    for s in &all {
        let lang = match Some(s.gp_id) == hindi_gp {
            true => crate::web::i18n::Lang::Hi,
            false => crate::web::i18n::Lang::En,
        };
        crate::maintenance::templates::apply_to_scheme(conn, &lib, s, start, lang, now)?;
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
                        (Some(lo), Some(hi))
                            if (r.name.contains("chlorine") || r.name.contains("क्लोरीन"))
                                && roll % 15 == 0 =>
                        {
                            format!("{:.2}", lo / 2.0 + 0.0 * hi)
                        }
                        (Some(lo), Some(hi)) => {
                            format!("{:.2}", lo + (hi - lo) * (roll % 10) as f64 / 10.0)
                        }
                        _ => format!("{}", 100 + t.id % 900),
                    })
                    .collect();
                let hindi = lgd == HINDI_GP_LGD;
                let input = m::WorkInput {
                    done_on: done_on.to_string(),
                    done_by: if hindi {
                        ["रमेश कुशवाहा", "मोहन लाल, सीता बाई", "सुनीता यादव"]
                    } else {
                        ["Ramesh Kushwaha", "Mohan Lal, Sita Bai", "Sunita Yadav"]
                    }[(roll % 3) as usize]
                        .into(),
                    checked: (0..plan.checklist().len())
                        .filter(|i| !(roll as usize + i).is_multiple_of(7))
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                    readings: values.join(";"),
                    ..Default::default()
                };
                // no cost in the demo's work: the default limits are as good as any
                let money = crate::config::Config::defaults().money;
                m::complete_task(conn, &actor, &t, &input, money, today, now)?;
                done += 1;
            } else if roll < on_time + late + skipped {
                let reason = match lgd == HINDI_GP_LGD {
                    true => "उस सप्ताह बिजली नहीं थी",
                    false => "No power supply that week",
                };
                m::skip_task(conn, &t, reason, now)?;
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

/// A small deterministic mixer: the same demo every time, varied enough to look real.
fn roll(a: i64, b: i64) -> i64 {
    (a.wrapping_mul(2_654_435_761) ^ b.wrapping_mul(40_503))
        .wrapping_mul(97)
        .rem_euclid(1000)
}

/// A demo breakdown to create: when, which scheme (index), asset, category, supply, the
/// village of a public complaint, and a key for the dice.
type PlannedBreakdown = (
    chrono::NaiveDateTime,
    usize,
    Option<i64>,
    &'static str,
    &'static str,
    Option<i64>,
    i64,
);

/// Which asset kinds a category usually concerns.
pub(crate) fn kinds_for(category: &str) -> &'static [&'static str] {
    match category {
        "pump_motor" => &["pump", "motor"],
        "pipeline" => &["rising_main", "distribution_pipeline"],
        "tank" => &["ohsr"],
        "valve" => &["valve"],
        "water_quality" => &["chlorinator"],
        "source" => &["borewell"],
        _ => &[],
    }
}

/// Breakdown categories and how often each comes (out of 100).
pub(crate) const BREAKDOWN_CATEGORIES: [(&str, i64); 9] = [
    ("pipeline", 26),
    ("pump_motor", 22),
    ("power", 16),
    ("tap", 10),
    ("valve", 8),
    ("water_quality", 6),
    ("tank", 4),
    ("source", 4),
    ("other", 4),
];

/// What is reported, what is done about it, and what it costs (rupees), by category.
pub(crate) fn breakdown_text(category: &str) -> (&'static str, &'static str, Option<(i64, i64)>) {
    match category {
        "pipeline" => (
            "Leak in the line near the school; water running on the road.",
            "Pipe section replaced with new HDPE, joint sealed.",
            Some((300, 4000)),
        ),
        "pump_motor" => (
            "Motor hums but no water comes; starter trips.",
            "Motor rewound, starter contacts replaced.",
            Some((1500, 12000)),
        ),
        "power" => (
            "No three-phase supply since morning.",
            "Supply restored after the line fault was repaired.",
            None,
        ),
        "tap" => (
            "Tap connection broken at the ward 3 standpost.",
            "Tap and connection replaced.",
            Some((100, 600)),
        ),
        "valve" => (
            "Sluice valve stuck, tail end gets no water.",
            "Valve freed and gland packing replaced.",
            Some((500, 3000)),
        ),
        "water_quality" => (
            "Water is muddy and smells.",
            "Tank flushed, chlorine dose corrected, water tested.",
            Some((300, 1500)),
        ),
        "tank" => (
            "Overhead tank overflowing; float valve broken.",
            "Float valve replaced.",
            Some((1000, 6000)),
        ),
        "source" => (
            "Borewell yield has dropped; pump runs dry.",
            "Borewell flushed and the pump lowered.",
            Some((2000, 15000)),
        ),
        _ => (
            "Supply timing irregular.",
            "Supply timing set right with the operator.",
            None,
        ),
    }
}

/// What is reported and what is done about it, in Hindi (for the Hindi gram panchayat).
fn breakdown_text_hi(category: &str) -> (&'static str, &'static str) {
    match category {
        "pipeline" => (
            "स्कूल के पास लाइन में रिसाव; पानी सड़क पर बह रहा है।",
            "पाइप का टुकड़ा नए HDPE से बदला, जोड़ सील किया।",
        ),
        "pump_motor" => (
            "मोटर आवाज़ करती है पर पानी नहीं आता; स्टार्टर ट्रिप होता है।",
            "मोटर की वाइंडिंग की, स्टार्टर के कॉन्टैक्ट बदले।",
        ),
        "power" => (
            "सुबह से थ्री-फ़ेज़ बिजली नहीं है।",
            "लाइन का फ़ॉल्ट ठीक होने पर बिजली लौटी।",
        ),
        "tap" => ("वार्ड 3 के सार्वजनिक नल का कनेक्शन टूटा।", "नल और कनेक्शन बदले।"),
        "valve" => (
            "स्लूस वाल्व अटका, आख़िरी छोर तक पानी नहीं पहुँचता।",
            "वाल्व खोला और ग्लैंड पैकिंग बदली।",
        ),
        "water_quality" => (
            "पानी मटमैला है और बदबू आती है।",
            "टंकी धोई, क्लोरीन की मात्रा ठीक की, पानी जाँचा।",
        ),
        "tank" => ("ऊँची टंकी ओवरफ़्लो हो रही है; फ़्लोट वाल्व टूटा।", "फ़्लोट वाल्व बदला।"),
        "source" => (
            "बोरवेल का पानी कम हुआ; पंप सूखा चलता है।",
            "बोरवेल की सफ़ाई की और पंप नीचे उतारा।",
        ),
        _ => (
            "पानी आने का समय अनियमित।",
            "ऑपरेटर के साथ पानी का समय ठीक किया।",
        ),
    }
}

/// Two years of breakdowns on every demo scheme: mostly repaired within days (faster in the
/// diligent GPs), some stalled and escalated, a couple of assets that keep failing, a few
/// complaints from villagers, a few rejected or duplicate reports.
pub fn seed_breakdowns(db: &Db, clock: &Clock, config: &crate::config::Config) -> AppResult<usize> {
    let (cfg, money) = (&config.breakdowns, config.money);
    use crate::breakdowns::{self as bd, NewBreakdown, TransitionInput};
    use crate::db::schema::{assets as at, scheme_villages as sv, schemes as sc};
    use chrono::Duration;
    let now = clock.now();
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let find_actor = |conn: &mut crate::db::DbConn, name: &str| {
            let u = crate::auth::model::user_by_username(conn, name)?.ok_or(AppError::NotFound)?;
            crate::auth::model::actor_for(conn, u, None, None)
        };
        let secretary = find_actor(conn, "secretary")?;
        let engineer = find_actor(conn, "engineer")?;
        let schemes: Vec<crate::schemes::Scheme> = sc::table
            .filter(sc::status.ne("decommissioned"))
            .order(sc::id.asc())
            .select(crate::schemes::Scheme::as_select())
            .load(conn)?;
        let lgd_of: std::collections::HashMap<i64, i64> = places::table
            .filter(places::level.eq("gp"))
            .select((places::id, places::lgd_code))
            .load::<(i64, i64)>(conn)?
            .into_iter()
            .collect();
        let mut plan: Vec<PlannedBreakdown> = vec![];
        let categories = BREAKDOWN_CATEGORIES;
        for (i, s) in schemes.iter().enumerate() {
            let assets: Vec<(i64, String)> = at::table
                .filter(at::scheme_id.eq(s.id))
                .order(at::id.asc())
                .select((at::id, at::kind))
                .load(conn)?;
            let villages: Vec<i64> = sv::table
                .filter(sv::scheme_id.eq(s.id))
                .select(sv::village_id)
                .load(conn)?;
            let diligent = lgd_of.get(&s.gp_id).copied().unwrap_or(0) % 2 == 1;
            // a breakdown every 3–6 weeks, going back two years
            let gap_days = if diligent { 40 } else { 24 };
            let mut t = now - Duration::days(730) + Duration::hours(roll(s.id, 1) % 400);
            let mut k = 0;
            while t < now - Duration::hours(6) {
                let r = roll(s.id * 1000 + k, 7);
                let mut acc = 0;
                let category = categories
                    .iter()
                    .find(|(_, w)| {
                        acc += w * 10;
                        r < acc
                    })
                    .map(|(c, _)| *c)
                    .unwrap_or("other");
                let supply = match roll(s.id, k) % 10 {
                    0..=3 => "stopped",
                    4..=7 => "partial",
                    _ => "none",
                };
                let asset = assets
                    .iter()
                    .filter(|(_, kind)| kinds_for(category).contains(&kind.as_str()))
                    .map(|(id, _)| *id)
                    .nth((r % 2) as usize);
                let village = (r % 9 == 0 && !villages.is_empty())
                    .then(|| villages[(r as usize) % villages.len()]);
                plan.push((t, i, asset, category, supply, village, s.id * 1000 + k));
                let step = gap_days / 2 + roll(s.id, k + 99) % gap_days;
                t += Duration::days(step) + Duration::hours(roll(k, s.id) % 20);
                k += 1;
            }
        }
        // Two assets that keep failing in the last three months: the first scheme's pump and
        // the fourth scheme's rising main.
        for (si, kind) in [(0usize, "pump"), (3, "rising_main")] {
            if let Some(s) = schemes.get(si) {
                let asset: Option<i64> = at::table
                    .filter(at::scheme_id.eq(s.id))
                    .filter(at::kind.eq(kind))
                    .select(at::id)
                    .first(conn)
                    .optional()?;
                let category = if kind == "pump" {
                    "pump_motor"
                } else {
                    "pipeline"
                };
                for (j, days) in [80_i64, 52, 31, 9].iter().enumerate() {
                    let when = now - Duration::days(*days) + Duration::hours(3 * j as i64);
                    plan.push((
                        when,
                        si,
                        asset,
                        category,
                        "stopped",
                        None,
                        -(si as i64 * 10 + j as i64),
                    ));
                }
            }
        }
        plan.sort_by_key(|p| p.0);
        let names = [
            "Ramesh Kushwaha",
            "Sunita Yadav",
            "Mohan Lal",
            "Geeta Bai",
            "Raju Patel",
        ];
        let fixers = [
            ("Ramesh Kushwaha (Nal Jal Mitra)", "9826012345"),
            ("Shiv Pump Works", "9425098765"),
            ("Kamal Electricals", "9993012345"),
        ];
        let fixers_hi = [
            ("रमेश कुशवाहा (नल जल मित्र)", "9826012345"),
            ("शिव पंप वर्क्स", "9425098765"),
            ("कमल इलेक्ट्रिकल्स", "9993012345"),
        ];
        let mut count = 0;
        for (created, si, asset, category, supply, village, key) in plan {
            let s = &schemes[si];
            let diligent = lgd_of.get(&s.gp_id).copied().unwrap_or(0) % 2 == 1;
            let r = roll(key, 3);
            let public = village.is_some();
            let hindi = lgd_of.get(&s.gp_id) == Some(&HINDI_GP_LGD);
            let who = match hindi {
                true => [
                    "रमेश कुशवाहा",
                    "सुनीता यादव",
                    "मोहन लाल",
                    "गीता बाई",
                    "राजू पटेल",
                ][(r % 5) as usize],
                false => names[(r % 5) as usize],
            };
            let (description, resolution) = match hindi {
                true => breakdown_text_hi(category),
                false => {
                    let (d, res, _) = breakdown_text(category);
                    (d, res)
                }
            };
            let b = bd::create(
                conn,
                s,
                NewBreakdown {
                    asset_id: asset,
                    village_id: village,
                    category,
                    description,
                    supply,
                    households: Some(10 + (r % 120) as i32),
                    started: created - Duration::hours(r % 6),
                    source: if public { "public" } else { "app" },
                    reporter_name: match (public, hindi) {
                        (true, _) => who,
                        // the demo secretary's account (its name in Hindi) for the Hindi GP
                        (false, true) => &secretary.user.display_name,
                        (false, false) => SECRETARY_EN,
                    },
                    reporter_phone: Some(if public { "9755512345" } else { "9876500001" }),
                    from_task: None,
                },
                if public { None } else { Some(&secretary) },
                cfg,
                created,
            )?;
            count += 1;
            let age = now - created;
            let step = |to: &str| TransitionInput {
                to: to.into(),
                ..Default::default()
            };
            // How long it takes: fast where the GP is diligent, slow elsewhere, some stalled.
            let repair_h = if diligent {
                4 + r % 56
            } else {
                12 + (r * 7) % 190
            };
            let stalled = age < Duration::days(40) && r % 6 == 0;
            if r % 50 == 0 {
                let input = TransitionInput {
                    to: "rejected".into(),
                    note: "Not a scheme fault: private pipe after the meter.".into(),
                    ..Default::default()
                };
                bd::transition(
                    conn,
                    &secretary,
                    &b,
                    &input,
                    money,
                    created + Duration::hours(5),
                )?;
                continue;
            }
            let ack_at = created + Duration::hours(1 + r % 20);
            if ack_at > now {
                continue;
            }
            let b = bd::transition(conn, &secretary, &b, &step("acknowledged"), money, ack_at)?;
            let work_at = ack_at + Duration::hours(1 + r % 10);
            if work_at > now || (stalled && r % 4 == 0) {
                continue;
            }
            let (fixer, phone) = match hindi {
                true => fixers_hi,
                false => fixers,
            }[(r % 3) as usize];
            let input = TransitionInput {
                to: "in_progress".into(),
                assigned_name: fixer.into(),
                assigned_phone: phone.into(),
                ..Default::default()
            };
            let b = bd::transition(conn, &secretary, &b, &input, money, work_at)?;
            let done_at = created + Duration::hours(repair_h);
            if stalled || done_at > now {
                if stalled {
                    bd::comment(
                        conn,
                        &secretary,
                        &b,
                        if hindi {
                            "ब्लॉक से पुर्ज़ों का इंतज़ार है।"
                        } else {
                            "Waiting for spare parts from the block."
                        },
                        work_at + Duration::hours(30),
                    )?;
                }
                continue;
            }
            let input = TransitionInput {
                to: "resolved".into(),
                resolution: resolution.into(),
                cost: format!("{}", 200 + (r * 37) % 6000),
                ..Default::default()
            };
            let b = bd::transition(conn, &secretary, &b, &input, money, done_at)?;
            let close_at = done_at + Duration::hours(6 + r % 40);
            if close_at < now && r % 10 != 0 {
                let closer = if r % 3 == 0 { &engineer } else { &secretary };
                bd::transition(conn, closer, &b, &step("closed"), money, close_at)?;
            }
        }
        // Escalations as the sweep would have made them: four days ago, then now.
        bd::escalate(conn, cfg, now - Duration::days(4))?;
        bd::escalate(conn, cfg, now)?;
        Ok(count)
    })
}

/// A place of the benchmark blocks (English name only).
fn place(level: Level, lgd: i64, name: String, parent: i64) -> NewPlace {
    NewPlace {
        level,
        lgd_code: lgd,
        name,
        name_hi: None,
        parent_lgd_code: Some(parent),
    }
}

/// Load for the review-page benchmark: a block ("Bench block", LGD 230199) with `gps` gram
/// panchayats (one village and one scheme each), `breakdowns` breakdowns spread over the last
/// two years (written in bulk, each with its `reported` event), and the block engineer
/// `bench-engineer` (demo password). Prints progress through `progress`.
pub fn seed_review_load(
    db: &Db,
    clock: &Clock,
    cfg: &crate::config::BreakdownsConfig,
    gps: usize,
    breakdowns: usize,
    progress: impl Fn(&str),
) -> AppResult<()> {
    use crate::db::schema::{breakdown_counters as bc, breakdowns as bt};
    use chrono::Duration;
    let now = clock.now();
    let hash = password::hash(DEMO_PASSWORD)?;
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        create(
            conn,
            &place(Level::Block, 230199, "Bench block".into(), 2301),
            now,
        )?;
        let admin =
            crate::auth::model::user_by_username(conn, "admin")?.ok_or(AppError::NotFound)?;
        let actor = crate::auth::model::actor_for(conn, admin, None, None)?;
        let mut schemes = vec![];
        for g in 0..gps as i64 {
            // far above the demo's codes (and the billing bench's 230198xx), for any number of GPs
            let gp_lgd = 2_301_990_000 + g;
            let gp = create(
                conn,
                &place(Level::Gp, gp_lgd, format!("Bench GP {g:03}"), 230199),
                now,
            )?;
            let village = create(
                conn,
                &place(
                    Level::Village,
                    gp_lgd * 100 + 1,
                    format!("Bench village {g:03}"),
                    gp_lgd,
                ),
                now,
            )?;
            let v = crate::schemes::SchemeValues {
                gp: gp.clone(),
                name: format!("Bench GP {g:03} PWS"),
                name_hi: None,
                imis_id: None,
                kind: "pws".into(),
                source_kind: Some("borewell".into()),
                commissioned_on: None,
                design_period_years: 30,
                design_population: Some(1500),
                planned_connections: Some(250),
                operator_name: None,
                operator_phone: None,
                villages: vec![village],
                notes: None,
            };
            schemes.push((gp, crate::schemes::create(conn, &actor, &v, now)?));
        }
        progress(&format!("{gps} gram panchayats with a scheme each"));
        let block =
            crate::places::model::by_lgd(conn, Level::Block, 230199)?.ok_or(AppError::NotFound)?;
        users::create(
            conn,
            &UserValues {
                username: "bench-engineer".into(),
                display_name: "Bench Engineer".into(),
                phone: None,
                email: None,
                role: Role::BlockEngineer,
                place: Some(block),
                lang: "en".into(),
            },
            &hash,
            now,
        )?;
        let categories = &cfg.categories;
        let span = Duration::days(730).num_minutes();
        let mut counters = vec![0_i64; schemes.len()];
        let mut rows = Vec::with_capacity(breakdowns);
        for i in 0..breakdowns as i64 {
            let si = (roll(i, 5) as usize * 7 + i as usize) % schemes.len().max(1);
            let (gp, scheme) = &schemes[si];
            counters[si] += 1;
            // older ones first, so numbers grow with time
            let created = now - Duration::minutes(span - span * i / breakdowns.max(1) as i64)
                + Duration::minutes(roll(i, 9) % 600);
            let created = created.min(now - Duration::minutes(5));
            let r = roll(i, 11);
            let supply = ["stopped", "partial", "none"][(r % 3) as usize];
            let (ack_due, resolve_due) = crate::breakdowns::deadlines(cfg, supply, created);
            let repair = Duration::hours(4 + (r * 13) % 200);
            let resolved = created + repair;
            let (status, resolved_at, closed_at) = if r % 40 == 0 {
                ("rejected", None, None)
            } else if resolved > now || r % 97 == 0 {
                (
                    ["reported", "acknowledged", "in_progress"][(r % 3) as usize],
                    None,
                    None,
                )
            } else if resolved + Duration::days(2) < now && r % 5 != 0 {
                ("closed", Some(resolved), Some(resolved + Duration::days(1)))
            } else {
                ("resolved", Some(resolved), None)
            };
            let open = crate::breakdowns::is_open(status);
            let level = if open && resolve_due < now {
                1 + (r % 2) as i32
            } else {
                0
            };
            rows.push((
                bt::gp_id.eq(gp.id),
                bt::scheme_id.eq(scheme.id),
                bt::number.eq(format!("{}-B{}", gp.lgd_code, counters[si])),
                bt::category.eq(categories[(r as usize) % categories.len()].clone()),
                bt::description.eq("Benchmark breakdown"),
                bt::supply.eq(supply),
                bt::started_at.eq(created - Duration::hours(r % 5)),
                bt::source.eq(if r % 9 == 0 { "public" } else { "app" }),
                bt::reporter_name.eq("Bench reporter"),
                bt::status.eq(status),
                (
                    bt::ack_due_at.eq(ack_due),
                    bt::resolve_due_at.eq(resolve_due),
                    bt::acknowledged_at
                        .eq((status != "reported").then_some(created + Duration::hours(2))),
                    bt::resolved_at.eq(resolved_at),
                    bt::closed_at.eq(closed_at),
                    bt::escalation_level.eq(level),
                    bt::escalated_at.eq((level > 0).then_some(resolve_due)),
                    bt::created_at.eq(created),
                    bt::updated_at.eq(resolved_at.unwrap_or(created)),
                ),
            ));
        }
        for (n, chunk) in rows.chunks(crate::db::chunk_rows(19)).enumerate() {
            crate::on_backend!(conn, |c| diesel::insert_into(bt::table)
                .values(chunk)
                .execute(c))?;
            progress(&format!(
                "{} breakdowns",
                ((n + 1) * crate::db::chunk_rows(19)).min(breakdowns)
            ));
        }
        for ((gp, _), n) in schemes.iter().zip(&counters) {
            diesel::insert_into(bc::table)
                .values((bc::gp_id.eq(gp.id), bc::last_number.eq(*n)))
                .execute(conn)?;
        }
        diesel::sql_query(
            "INSERT INTO breakdown_events (gp_id, breakdown_id, kind, to_status, note, actor_name, at) \
             SELECT gp_id, id, 'reported', 'reported', description, reporter_name, created_at \
             FROM breakdowns WHERE description = 'Benchmark breakdown'",
        )
        .execute(conn)?;
        progress(&format!(
            "{breakdowns} breakdowns with their reported events"
        ));
        Ok(())
    })
}

/// Load for the demand benchmark: a block ("Billing bench block", LGD 230198) with one gram
/// panchayat per 10,000 households, each with a village and a tariff plan from two years back,
/// and `households` households in all, written by one `INSERT … SELECT` per GP from a counting
/// query (portable SQL). Returns the number of GPs.
pub fn seed_billing_load(
    db: &Db,
    clock: &Clock,
    households: usize,
    progress: impl Fn(&str),
) -> AppResult<usize> {
    use crate::db::schema::{tariff_plans as tp, tariff_rates as tr};
    use chrono::Datelike;
    use diesel::sql_types::{BigInt, Date, Timestamp};
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let from = today
        .checked_sub_months(chrono::Months::new(24))
        .and_then(|d| d.with_day(1))
        .unwrap_or(today);
    let per_gp = 10_000usize;
    let gps = households.div_ceil(per_gp).max(1);
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        create(
            conn,
            &place(Level::Block, 230198, "Billing bench block".into(), 2301),
            now,
        )?;
        let sql = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) \
             INSERT INTO households (gp_id, village_id, connection_no, head_name, category, \
             connected_on, status, created_at, updated_at) \
             SELECT ?, ?, 'H' || CAST(n AS TEXT), 'Head ' || CAST(n AS TEXT), \
             CASE WHEN n % 29 = 0 THEN 'exempt' WHEN n % 10 = 0 THEN 'bpl' WHEN n % 13 = 0 THEN 'sc' ELSE 'general' END, \
             ?, 'active', ?, ? FROM seq";
        let sql = match conn.backend() {
            crate::db::Backend::Sqlite => sql.to_string(),
            crate::db::Backend::Postgres => crate::db::pg_placeholders(sql),
        };
        let mut left = households;
        for g in 0..gps as i64 {
            let gp_lgd = 23_019_800 + g;
            let gp = create(
                conn,
                &place(Level::Gp, gp_lgd, format!("Billing GP {g:03}"), 230198),
                now,
            )?;
            let village = create(
                conn,
                &place(
                    Level::Village,
                    gp_lgd * 100 + 1,
                    format!("Billing village {g:03}"),
                    gp_lgd,
                ),
                now,
            )?;
            let plan: i64 = crate::on_backend!(conn, |c| diesel::insert_into(tp::table)
                .values((
                    tp::gp_id.eq(gp.id),
                    tp::effective_from.eq(from),
                    tp::connection_charge_paise.eq(0_i64),
                    tp::created_at.eq(now),
                ))
                .returning(tp::id)
                .get_result(c))?;
            for (cat, paise) in [
                ("general", 5000_i64),
                ("bpl", 3000),
                ("sc", 3000),
                ("st", 3000),
                ("exempt", 0),
            ] {
                diesel::insert_into(tr::table)
                    .values((
                        tr::plan_id.eq(plan),
                        tr::category.eq(cat),
                        tr::monthly_paise.eq(paise),
                    ))
                    .execute(conn)?;
            }
            let n = left.min(per_gp) as i64;
            left -= n as usize;
            crate::on_backend!(conn, |c| diesel::sql_query(&sql)
                .bind::<BigInt, _>(n)
                .bind::<BigInt, _>(gp.id)
                .bind::<BigInt, _>(village.id)
                .bind::<Date, _>(from)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .execute(c))?;
            if (g + 1) % 10 == 0 || g + 1 == gps as i64 {
                progress(&format!("{} of {gps} GPs", g + 1));
            }
        }
        Ok(gps)
    })
}

/// How a demo household pays.
#[derive(Clone, Copy, PartialEq)]
enum Payer {
    /// Every month, around the due date, now and then a month late.
    Monthly,
    /// Everything owed, every three or four months.
    Lumps,
    /// Six months ahead, twice a year.
    Ahead,
    /// A little, rarely.
    Defaulter,
}

/// Billing for the demo GPs: 150–400 households each with mixed categories, a tariff plan
/// from two years ago and a raise a year ago, 24 months of demands, payments as people pay
/// (most monthly, some in lumps, some ahead, a few chronic defaulters), a few cancelled
/// receipts, and a cash book with an opening balance, electricity bills, the operator's
/// honorarium, repairs, chemicals, water tests and the 15th Finance Commission grant.
/// Returns the number of payments.
pub fn seed_billing(db: &Db, clock: &Clock) -> AppResult<usize> {
    use crate::billing::payments::financial_year;
    use crate::db::schema::{
        cashbook_entries as cb, demands as dm, households as hh, payments as py, places as pl,
        receipt_counters as rc, tariff_plans as tp, tariff_rates as tr,
    };
    use chrono::{Datelike, NaiveDate};
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let this_month = today.with_day(1).unwrap_or(today);
    let start = this_month
        .checked_sub_months(chrono::Months::new(23))
        .unwrap_or(this_month);
    let raise_on = start
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(start);
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = hh::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let find = |conn: &mut crate::db::DbConn, name: &str| {
            crate::auth::model::user_by_username(conn, name)?.ok_or(AppError::NotFound)
        };
        let secretary = find(conn, "secretary")?;
        let admin = find(conn, "admin")?;
        let gps: Vec<(i64, i64)> = pl::table
            .filter(pl::level.eq("gp"))
            .filter(pl::lgd_code.lt(23_019_000))
            .order(pl::lgd_code.asc())
            .select((pl::id, pl::lgd_code))
            .load(conn)?;
        let mut total_payments = 0usize;
        for (gi, (gp_id, lgd)) in gps.iter().copied().enumerate() {
            // what the Hindi GP's secretary typed, in Hindi
            let typed = |en: &'static str, hi: &'static str| {
                if lgd == HINDI_GP_LGD {
                    hi
                } else {
                    en
                }
            };
            let villages: Vec<i64> = pl::table
                .filter(pl::gp_id.eq(gp_id))
                .filter(pl::level.eq("village"))
                .order(pl::lgd_code.asc())
                .select(pl::id)
                .load(conn)?;
            if villages.is_empty() {
                continue;
            }
            let scheme: Option<i64> = crate::db::schema::schemes::table
                .filter(crate::db::schema::schemes::gp_id.eq(gp_id))
                .select(crate::db::schema::schemes::id)
                .first(conn)
                .optional()?;
            // two plans: the first one and a raise a year later
            for (from, general, concession) in [(start, 5000_i64, 3000_i64), (raise_on, 6000, 3500)]
            {
                let plan: i64 = crate::on_backend!(conn, |c| diesel::insert_into(tp::table)
                    .values((
                        tp::gp_id.eq(gp_id),
                        tp::effective_from.eq(from),
                        tp::connection_charge_paise.eq(50000_i64),
                        tp::notes.eq(typed("Gram Sabha resolution", "ग्राम सभा का प्रस्ताव")),
                        tp::created_by.eq(secretary.id),
                        tp::created_at.eq(now),
                    ))
                    .returning(tp::id)
                    .get_result(c))?;
                for (cat, paise) in [
                    ("general", general),
                    ("bpl", concession),
                    ("sc", concession),
                    ("st", concession),
                    ("exempt", 0),
                ] {
                    diesel::insert_into(tr::table)
                        .values((
                            tr::plan_id.eq(plan),
                            tr::category.eq(cat),
                            tr::monthly_paise.eq(paise),
                        ))
                        .execute(conn)?;
                }
            }
            // households
            let n = 150 + roll(lgd, 11) as usize % 251;
            let mut payer_of = std::collections::HashMap::new();
            for i in 0..n as i64 {
                let r = roll(lgd, i);
                let category = match r % 100 {
                    0..=2 => "exempt",
                    3..=12 => "bpl",
                    13..=19 => "sc",
                    20..=24 => "st",
                    _ => "general",
                };
                let connected = if r % 7 == 0 {
                    // connected during the two years
                    start
                        .checked_add_months(chrono::Months::new((roll(i, lgd) % 20) as u32))
                        .unwrap_or(start)
                        + chrono::Duration::days(roll(i, 3) % 25)
                } else {
                    start - chrono::Duration::days(30 + roll(i, 5) % 700)
                };
                let disconnected = r % 41 == 0;
                let village = villages[(roll(i, 9) as usize) % villages.len()];
                let (firsts, surnames) = match lgd == HINDI_GP_LGD {
                    true => (DEMO_FIRST_NAMES_HI, DEMO_SURNAMES_HI),
                    false => (DEMO_FIRST_NAMES, DEMO_SURNAMES),
                };
                let head = format!(
                    "{} {}",
                    firsts[(roll(lgd, i * 3) as usize) % firsts.len()],
                    surnames[(roll(i, lgd * 7) as usize) % surnames.len()]
                );
                let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(hh::table)
                    .values((
                        hh::gp_id.eq(gp_id),
                        hh::village_id.eq(village),
                        hh::scheme_id.eq(scheme),
                        hh::connection_no.eq(format!("{}-{:04}", lgd % 1000, i + 1)),
                        hh::head_name.eq(head),
                        hh::members.eq(Some(2 + (roll(i, 17) % 7) as i32)),
                        hh::category.eq(category),
                        hh::exempt_reason
                            .eq((category == "exempt").then_some("Destitute; Gram Sabha list")),
                        hh::connected_on.eq(connected),
                        hh::status.eq(if disconnected {
                            "disconnected"
                        } else {
                            "active"
                        }),
                        hh::disconnected_on
                            .eq(disconnected.then_some(today - chrono::Duration::days(40))),
                        hh::status_reason.eq(disconnected.then_some("Family moved to the town")),
                        hh::phone.eq((r % 10 < 7)
                            .then(|| format!("98{:08}", roll(lgd, i) * 99_991 % 100_000_000))),
                        hh::created_at.eq(now),
                        hh::updated_at.eq(now),
                    ))
                    .returning(hh::id)
                    .get_result(c))?;
                let payer = match roll(i, lgd + 1) % 100 {
                    // one GP collects badly: more defaulters
                    x if x < (if gi == 2 { 30 } else { 8 }) => Payer::Defaulter,
                    x if x < 25 => Payer::Lumps,
                    x if x < 30 => Payer::Ahead,
                    _ => Payer::Monthly,
                };
                payer_of.insert(id, payer);
            }
            // 24 months of demands, raised month by month as the secretary would
            let gp_scope = crate::auth::Scope::Place {
                level: Level::Gp,
                id: gp_id,
            };
            let mut m = start;
            while m <= this_month {
                let p = crate::billing::demands::preview(conn, &gp_scope, m)?;
                crate::billing::demands::raise(conn, None, &p, 15, now, |_| {})?;
                m = m
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(this_month + chrono::Duration::days(40));
            }
            // payments, household by household, then numbered in date order
            let dues: Vec<(i64, NaiveDate, i64)> = dm::table
                .filter(dm::gp_id.eq(gp_id))
                .order((dm::household_id.asc(), dm::month.asc()))
                .select((dm::household_id, dm::month, dm::amount_paise))
                .load(conn)?;
            let mut by_household: std::collections::BTreeMap<i64, Vec<(NaiveDate, i64)>> =
                Default::default();
            for (h, month, amount) in dues {
                by_household.entry(h).or_default().push((month, amount));
            }
            // (paid on, household, amount)
            let mut planned: Vec<(NaiveDate, i64, i64)> = vec![];
            for (h, list) in &by_household {
                let payer = payer_of.get(h).copied().unwrap_or(Payer::Monthly);
                let mut owed = 0i64;
                for (k, (month, amount)) in list.iter().enumerate() {
                    owed += amount;
                    let k = k as i64;
                    let day = |d: i64| (*month + chrono::Duration::days(d)).min(today);
                    let pay = match payer {
                        Payer::Monthly if roll(*h, k) % 10 == 0 => None,
                        Payer::Monthly => Some((day(5 + roll(*h, k + 50) % 20), owed)),
                        Payer::Lumps if k % (3 + h % 2) == 2 => {
                            Some((day(10 + roll(*h, k) % 15), owed))
                        }
                        Payer::Ahead if k % 6 == 0 => Some((day(3), owed + 5 * amount)),
                        Payer::Defaulter if k % 7 == 6 => {
                            Some((day(20), (owed / 4 / 100).max(1) * 100))
                        }
                        _ => None,
                    };
                    if let Some((on, amount)) = pay {
                        if on > *month && amount > 0 && on <= today {
                            planned.push((on, *h, amount));
                            owed -= amount;
                        }
                    }
                }
            }
            planned.sort();
            let collectors = match lgd == HINDI_GP_LGD {
                true => [secretary.display_name.as_str(), "सुनीता बाई (जल सहिया)"],
                false => [SECRETARY_EN, "Sunita Bai (Jal Sahiya)"],
            };
            let mut paid_so_far: std::collections::HashMap<i64, i64> = Default::default();
            let mut last_seq: std::collections::BTreeMap<String, i64> = Default::default();
            let mut rows = vec![];
            for (i, (on, h, amount)) in planned.iter().enumerate() {
                let list = by_household.get(h).map(Vec::as_slice).unwrap_or(&[]);
                let raised: Vec<(NaiveDate, i64)> =
                    list.iter().filter(|(m, _)| *m <= *on).copied().collect();
                let before = paid_so_far.get(h).copied().unwrap_or(0);
                let covers = crate::billing::payments::settles(&raised, before, *amount);
                let demanded: i64 = raised.iter().map(|d| d.1).sum();
                paid_so_far.insert(*h, before + amount);
                let fy = financial_year(*on);
                let seq = {
                    let s = last_seq.entry(fy.clone()).or_insert(0);
                    *s += 1;
                    *s
                };
                let cancelled = roll(*h, i as i64) % 200 == 0;
                let mode = match roll(i as i64, *h) % 10 {
                    0..=6 => "cash",
                    7 | 8 => "upi",
                    _ => "bank",
                };
                let at = crate::web::i18n::india_midnight_utc(*on) + chrono::Duration::hours(5);
                rows.push((
                    (
                        py::gp_id.eq(gp_id),
                        py::household_id.eq(*h),
                        py::fy.eq(fy.clone()),
                        py::seq.eq(seq),
                        py::receipt_no.eq(format!("{lgd}/{fy}/{seq:06}")),
                        py::amount_paise.eq(*amount),
                        py::paid_on.eq(*on),
                        py::mode.eq(mode),
                        py::reference.eq((mode != "cash")
                            .then(|| format!("UTR{:010}", roll(*h, i as i64) * 7919 + i as i64))),
                        py::collected_by.eq(collectors[i % 2]),
                    ),
                    (
                        py::covers_from.eq(covers.map(|c| c.0)),
                        py::covers_to.eq(covers.map(|c| c.1)),
                        py::balance_after_paise.eq(demanded - before - amount),
                        py::token.eq(crate::auth::random_token()),
                        py::recorded_by.eq(secretary.id),
                        py::created_at.eq(at),
                        py::cancelled_at.eq(cancelled.then(|| at + chrono::Duration::days(1))),
                        py::cancelled_by.eq(cancelled.then_some(admin.id)),
                        py::cancel_reason
                            .eq(cancelled.then_some(typed("Entered twice", "दो बार दर्ज हुआ"))),
                    ),
                ));
                if cancelled {
                    paid_so_far.insert(*h, before);
                }
            }
            for chunk in rows.chunks(crate::db::chunk_rows(19)) {
                crate::on_backend!(conn, |c| diesel::insert_into(py::table)
                    .values(chunk)
                    .execute(c))?;
            }
            total_payments += rows.len();
            for (fy, last) in last_seq {
                diesel::insert_into(rc::table)
                    .values((rc::gp_id.eq(gp_id), rc::fy.eq(fy), rc::last_number.eq(last)))
                    .execute(conn)?;
            }
            // the cash book
            let electricity = 4000 + roll(lgd, 77) % 9 * 1000;
            let mut entries: Vec<DemoEntry> = vec![(
                start,
                "opening",
                "opening",
                (5000 + roll(lgd, 5) % 10 * 1000) * 100,
                None,
                "",
            )];
            let mut m = start;
            let mut k = 0i64;
            while m < this_month {
                let bill_on = m + chrono::Duration::days(9);
                entries.push((
                    bill_on,
                    "expense",
                    "electricity",
                    (electricity + roll(lgd, k) % 700) * 100,
                    Some("MPMKVVCL".into()),
                    "",
                ));
                entries.push((
                    m + chrono::Duration::days(27),
                    "expense",
                    "honorarium",
                    150_000,
                    Some(typed("Pump operator", "पंप चालक").into()),
                    "",
                ));
                if k % 3 == 1 {
                    entries.push((
                        m + chrono::Duration::days(12),
                        "expense",
                        "chemicals",
                        45_000,
                        Some(typed("Bleaching powder", "ब्लीचिंग पाउडर").into()),
                        "",
                    ));
                }
                if k % 6 == 2 {
                    entries.push((
                        m + chrono::Duration::days(14),
                        "expense",
                        "water_testing",
                        60_000,
                        Some(
                            typed("District water testing lab", "ज़िला जल परीक्षण प्रयोगशाला").into(),
                        ),
                        "",
                    ));
                }
                if k % 12 == 4 {
                    entries.push((
                        m + chrono::Duration::days(20),
                        "income",
                        "grant_15fc",
                        (40_000 + roll(lgd, k) % 5 * 10_000) * 100,
                        Some(typed("Gram Panchayat", "ग्राम पंचायत").into()),
                        "",
                    ));
                }
                if roll(lgd, k + 200) % 5 == 0 {
                    entries.push((
                        m + chrono::Duration::days(16),
                        "expense",
                        "repairs",
                        (800 + roll(lgd, k) % 30 * 100) * 100,
                        Some(typed("Local plumber", "गाँव का प्लंबर").into()),
                        typed("Pipe leak near the school", "स्कूल के पास पाइप रिसाव"),
                    ));
                }
                k += 1;
                m = m
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(this_month);
            }
            for (v, (on, kind, head, amount, party, notes)) in entries.into_iter().enumerate() {
                diesel::insert_into(cb::table)
                    .values((
                        cb::gp_id.eq(gp_id),
                        cb::entry_on.eq(on),
                        cb::kind.eq(kind),
                        cb::head.eq(head),
                        cb::amount_paise.eq(amount),
                        cb::voucher_no
                            .eq((kind == "expense").then(|| format!("V-{}/{:03}", on.year(), v))),
                        cb::party.eq(party),
                        cb::mode.eq(if kind == "expense" && head == "electricity" {
                            "bank"
                        } else {
                            "cash"
                        }),
                        cb::notes.eq((!notes.is_empty()).then_some(notes)),
                        cb::created_by.eq(secretary.id),
                        cb::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(total_payments)
    })
}

/// A demo cash book entry: day, kind, head, paise, paid to / received from, notes.
type DemoEntry = (
    chrono::NaiveDate,
    &'static str,
    &'static str,
    i64,
    Option<String>,
    &'static str,
);

pub(crate) const DEMO_FIRST_NAMES: &[&str] = &[
    "Ramesh", "Sita", "Mohan", "Kamla", "Suresh", "Geeta", "Rajesh", "Savitri", "Dinesh", "Pushpa",
    "Mahesh", "Radha", "Ganesh", "Sunita", "Prakash", "Lakshmi", "Santosh", "Meena",
];
/// The same names in Devanagari, for the Hindi gram panchayat's register.
const DEMO_FIRST_NAMES_HI: &[&str] = &[
    "रमेश",
    "सीता",
    "मोहन",
    "कमला",
    "सुरेश",
    "गीता",
    "राजेश",
    "सावित्री",
    "दिनेश",
    "पुष्पा",
    "महेश",
    "राधा",
    "गणेश",
    "सुनीता",
    "प्रकाश",
    "लक्ष्मी",
    "संतोष",
    "मीना",
];
const DEMO_SURNAMES_HI: &[&str] = &[
    "पटेल",
    "यादव",
    "कुशवाहा",
    "अहिरवार",
    "गोंड",
    "राजपूत",
    "साहू",
    "विश्वकर्मा",
    "मीणा",
    "चौहान",
    "लोधी",
    "धाकड़",
];
pub(crate) const DEMO_SURNAMES: &[&str] = &[
    "Patel",
    "Yadav",
    "Kushwaha",
    "Ahirwar",
    "Gond",
    "Rajput",
    "Sahu",
    "Vishwakarma",
    "Meena",
    "Chouhan",
    "Lodhi",
    "Dhakad",
];

/// A Paani Samiti for every demo GP, formed two years ago: 10–14 members, half or more women,
/// a chairperson, member secretary, treasurer and Jal Sahiya, two elected GP members, and the
/// SC/ST share of the population entered. One GP (the third) has too few women, so its page
/// shows a rule not met; one member there left during the term. Returns the committees made.
pub fn seed_committees(db: &Db, clock: &Clock) -> AppResult<usize> {
    use crate::db::schema::{committee_members as cm, committees as cs, places as pl};
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let formed = today - chrono::Duration::days(730);
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = cs::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let gps: Vec<(i64, i64, String, Option<String>)> = pl::table
            .filter(pl::level.eq("gp"))
            .filter(pl::lgd_code.lt(23_019_000))
            .order(pl::lgd_code.asc())
            .select((pl::id, pl::lgd_code, pl::name, pl::name_hi))
            .load(conn)?;
        for (gi, (gp_id, lgd, name, name_hi)) in gps.iter().enumerate() {
            // the Hindi GP's committee was registered in Hindi, as its secretary would type it
            let committee = match (name_hi, *lgd == HINDI_GP_LGD) {
                (Some(hi), true) => format!("{hi} पानी समिति"),
                _ => format!("{name} Paani Samiti"),
            };
            let id: i64 = crate::on_backend!(conn, |c| diesel::insert_into(cs::table)
                .values((
                    cs::gp_id.eq(gp_id),
                    cs::name.eq(committee),
                    cs::constituted_on.eq(formed),
                    cs::sc_st_population_percent.eq(Some(10 + (roll(*lgd, 1) % 20) as i32)),
                    cs::created_at.eq(now),
                    cs::updated_at.eq(now),
                ))
                .returning(cs::id)
                .get_result(c))?;
            let size = 10 + (roll(*lgd, 2) % 5) as usize;
            let women = if gi == 2 { 3 } else { size.div_ceil(2) };
            for i in 0..size {
                let role = match i {
                    0 => "chairperson",
                    1 => "member_secretary",
                    2 => "treasurer",
                    3 => "jal_sahiya",
                    _ => "member",
                };
                let female = i < women;
                // the Hindi GP's register was written in Hindi
                let hindi = *lgd == HINDI_GP_LGD;
                let first = match (female, hindi) {
                    (true, false) => [
                        "Kamla", "Sita", "Geeta", "Radha", "Sunita", "Meena", "Pushpa", "Savitri",
                    ],
                    (true, true) => [
                        "कमला",
                        "सीता",
                        "गीता",
                        "राधा",
                        "सुनीता",
                        "मीना",
                        "पुष्पा",
                        "सावित्री",
                    ],
                    (false, false) => [
                        "Ramesh", "Mohan", "Suresh", "Dinesh", "Mahesh", "Ganesh", "Prakash",
                        "Santosh",
                    ],
                    (false, true) => ["रमेश", "मोहन", "सुरेश", "दिनेश", "महेश", "गणेश", "प्रकाश", "संतोष"],
                }[(roll(*lgd, i as i64) % 8) as usize];
                let surnames = if hindi {
                    DEMO_SURNAMES_HI
                } else {
                    DEMO_SURNAMES
                };
                let social = match roll(i as i64, *lgd) % 10 {
                    0 | 1 => "sc",
                    2 => "st",
                    3..=6 => "obc",
                    _ => "general",
                };
                let left = gi == 2 && i == size - 1;
                diesel::insert_into(cm::table)
                    .values((
                        cm::committee_id.eq(id),
                        cm::gp_id.eq(gp_id),
                        cm::name.eq(format!(
                            "{first} {}",
                            surnames[(roll(*lgd, i as i64 + 9) as usize) % surnames.len()]
                        )),
                        cm::gender.eq(if female { "female" } else { "male" }),
                        cm::social_category.eq(social),
                        cm::role.eq(role),
                        cm::elected_gp_member.eq(i == 0 || i == size - 2),
                        cm::phone.eq((i < 4).then(|| {
                            format!("97{:08}", roll(*lgd, i as i64) * 104_729 % 100_000_000)
                        })),
                        cm::term_from.eq(formed),
                        cm::term_to.eq(left.then(|| today - chrono::Duration::days(90))),
                        cm::end_reason.eq(left.then_some(if hindi {
                            "दूसरे गाँव चले गए"
                        } else {
                            "Moved to another village"
                        })),
                        cm::created_at.eq(now),
                        cm::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        // The demo member's account is the first GP's Jal Sahiya, so their action items are
        // theirs to close.
        let member: Option<(i64, Option<i64>)> = users_t::table
            .filter(users_t::username.eq("member"))
            .select((users_t::id, users_t::place_id))
            .first(conn)
            .optional()?;
        if let Some((user, Some(gp))) = member {
            let jal_sahiya: Option<i64> = cm::table
                .filter(cm::gp_id.eq(gp))
                .filter(cm::role.eq("jal_sahiya"))
                .select(cm::id)
                .first(conn)
                .optional()?;
            if let Some(m) = jal_sahiya {
                diesel::update(cm::table.find(m))
                    .set(cm::user_id.eq(user))
                    .execute(conn)?;
            }
        }
        Ok(gps.len())
    })
}

/// Agenda items a Paani Samiti takes up, with a decision for each: (English, Hindi) pairs.
pub(crate) const DEMO_AGENDA: &[(&str, &str, &str, &str)] = &[
    (
        "Accounts of the O&M fund",
        "पानी समिति कोष का हिसाब",
        "Last month's income and expenses were read out and passed.",
        "पिछले महीने की आय और खर्च पढ़कर सुनाए गए और पारित किए गए।",
    ),
    (
        "Collection of user charges",
        "जल शुल्क वसूली",
        "Members will visit households with three or more months unpaid.",
        "तीन या अधिक महीने से बकाया वाले परिवारों से सदस्य मिलेंगे।",
    ),
    (
        "Repairs pending",
        "लंबित मरम्मत",
        "The leaking valve near the school will be replaced this month.",
        "स्कूल के पास रिसता वाल्व इसी महीने बदला जाएगा।",
    ),
    (
        "Chlorination and water testing",
        "क्लोरीनेशन और पानी की जाँच",
        "Jal Sahiya will test the water with the field kit every week.",
        "जल सहिया हर हफ़्ते फ़ील्ड किट से पानी की जाँच करेंगी।",
    ),
    (
        "Electricity bill of the pump",
        "पंप का बिजली बिल",
        "The bill will be paid from the O&M fund before the due date.",
        "बिल देय तिथि से पहले पानी समिति कोष से भरा जाएगा।",
    ),
];

/// 18 months of monthly meetings for every demo committee: most months held and approved, some
/// missed (one GP has missed the last three), one inquorate meeting, minutes in the meeting's
/// language (Hindi or English, by GP), action items done, dropped, open and overdue, and one
/// addendum. Returns the meetings made; does nothing when meetings exist.
pub fn seed_meetings(db: &Db, clock: &Clock) -> AppResult<usize> {
    use crate::db::schema::{
        action_items as ai, committee_members as cm, committees as cs, meeting_addenda as ad,
        meeting_agenda as ag, meeting_attendance as at, meetings as mt,
    };
    use chrono::{Datelike, Duration, NaiveDate};
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = mt::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let approver: Option<i64> = users_t::table
            .filter(users_t::username.eq("secretary"))
            .select(users_t::id)
            .first(conn)
            .optional()?;
        let committees: Vec<(i64, i64, NaiveDate)> = cs::table
            .filter(cs::village_id.is_null())
            .order(cs::id.asc())
            .select((cs::id, cs::gp_id, cs::constituted_on))
            .load(conn)?;
        let mut made = 0;
        for (gi, (committee, gp, formed)) in committees.iter().enumerate() {
            let members: Vec<(i64, String, NaiveDate, Option<NaiveDate>)> = cm::table
                .filter(cm::committee_id.eq(committee))
                .order(cm::id.asc())
                .select((cm::id, cm::gender, cm::term_from, cm::term_to))
                .load(conn)?;
            let hindi = gi % 2 == 0;
            let first_of_month = today.with_day(1).unwrap_or(today);
            for back in (0..18).rev() {
                let month = first_of_month
                    .checked_sub_months(chrono::Months::new(back as u32))
                    .unwrap_or(first_of_month);
                let day = month + Duration::days(4 + roll(*gp, back as i64 + 40) % 8);
                // Skipped months: here and there, and the GP with index 4 not for three months.
                let skipped = roll(*gp, back as i64 + 70) % 6 == 0 || (gi == 4 && back < 3);
                if skipped || day > today || day < *formed {
                    continue;
                }
                let serving: Vec<&(i64, String, NaiveDate, Option<NaiveDate>)> = members
                    .iter()
                    .filter(|m| m.2 <= day && m.3.is_none_or(|t| t >= day))
                    .collect();
                // Who came: most members, women first so the women's share holds; one
                // meeting (GP index 1, seven months ago) had only two.
                let inquorate = gi == 1 && back == 7;
                let want = if inquorate {
                    2
                } else {
                    (serving.len() * (6 + (roll(*gp, back as i64) % 4) as usize)).div_ceil(10)
                };
                let mut order: Vec<_> = serving.clone();
                order.sort_by_key(|m| (m.1 != "female", roll(m.0, back as i64)));
                let present: Vec<i64> = order.iter().take(want).map(|m| m.0).collect();
                let others = roll(*gp, back as i64 + 5) % 25;
                // approved a week later, unless that week has not passed yet
                let approved = (back > 0 || gi % 3 == 0) && day + Duration::days(7) <= today;
                let meeting: i64 = crate::on_backend!(conn, |c| diesel::insert_into(mt::table)
                    .values((
                        mt::committee_id.eq(committee),
                        mt::gp_id.eq(gp),
                        mt::kind.eq(if back % 6 == 3 {
                            "gram_sabha"
                        } else {
                            "monthly"
                        }),
                        mt::held_on.eq(day),
                        mt::starts_at.eq(Some("10:30")),
                        mt::venue.eq(Some(if hindi {
                            "पंचायत भवन"
                        } else {
                            "Panchayat Bhawan"
                        })),
                        mt::status.eq(if approved { "approved" } else { "held" }),
                        mt::others_present.eq(others as i32),
                        mt::others_women.eq((others / 2) as i32),
                        mt::approved_at.eq(approved.then(|| (day + Duration::days(7))
                            .and_hms_opt(6, 0, 0)
                            .unwrap_or(now))),
                        mt::approved_by.eq(approved.then_some(approver).flatten()),
                        mt::lang.eq(if hindi { "hi" } else { "en" }),
                        mt::created_at.eq(now),
                        mt::updated_at.eq(now),
                    ))
                    .returning(mt::id)
                    .get_result(c))?;
                made += 1;
                for m in &present {
                    diesel::insert_into(at::table)
                        .values((at::meeting_id.eq(meeting), at::member_id.eq(m)))
                        .execute(conn)?;
                }
                // Three or four items: always the accounts, then a rotating choice.
                let n_items = 3 + (roll(*gp, back as i64 + 11) % 2) as usize;
                for k in 0..n_items {
                    let (en, hi, dec_en, dec_hi) = if k == 0 {
                        DEMO_AGENDA[0]
                    } else {
                        DEMO_AGENDA[1 + (k + back as usize) % (DEMO_AGENDA.len() - 1)]
                    };
                    let item: i64 = crate::on_backend!(conn, |c| diesel::insert_into(ag::table)
                        .values((
                            ag::meeting_id.eq(meeting),
                            ag::position.eq(k as i32 + 1),
                            ag::title.eq(if hindi { hi } else { en }),
                            ag::discussion.eq(Some(if hindi {
                                "सदस्यों ने विषय पर चर्चा की।"
                            } else {
                                "Members discussed the matter."
                            })),
                            ag::decision.eq(Some(if hindi { dec_hi } else { dec_en })),
                        ))
                        .returning(ag::id)
                        .get_result(c))?;
                    // The item after the accounts gets an action item.
                    if k != 1 || serving.is_empty() {
                        continue;
                    }
                    let owner = serving[(roll(*gp, back as i64 + 3) as usize) % serving.len()].0;
                    let due = day + Duration::days(30);
                    let r = roll(*gp, back as i64 + 17) % 10;
                    // Recent ones are open (overdue once past due); older ones mostly done,
                    // some dropped, a few left open and so overdue.
                    let (status, closed_on, note) = if due >= today - Duration::days(20) {
                        ("open", None, None)
                    } else if r < 6 {
                        (
                            "done",
                            Some(due - Duration::days(r)),
                            Some(if hindi {
                                "काम पूरा हुआ"
                            } else {
                                "Done"
                            }),
                        )
                    } else if r < 8 {
                        (
                            "dropped",
                            Some(due),
                            Some(if hindi {
                                "अगली बैठक में नया निर्णय हुआ"
                            } else {
                                "Overtaken by a later decision"
                            }),
                        )
                    } else {
                        ("open", None, None)
                    };
                    diesel::insert_into(ai::table)
                        .values((
                            ai::gp_id.eq(gp),
                            ai::meeting_id.eq(meeting),
                            ai::agenda_item_id.eq(Some(item)),
                            ai::description.eq(if hindi { dec_hi } else { dec_en }),
                            ai::owner_member_id.eq(Some(owner)),
                            ai::due_on.eq(due),
                            ai::status.eq(status),
                            ai::closed_on.eq(closed_on),
                            ai::close_note.eq(note),
                            ai::closed_by.eq(closed_on.and(approver)),
                            ai::created_at.eq(now),
                            ai::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                // One correction to approved minutes, in the first GP a year ago.
                if gi == 0 && back == 12 && approved {
                    diesel::insert_into(ad::table)
                        .values((
                            ad::gp_id.eq(gp),
                            ad::meeting_id.eq(meeting),
                            ad::body.eq("उपस्थित अन्य ग्रामीणों की संख्या 12 के स्थान पर 14 पढ़ें।"),
                            ad::created_by.eq(approver),
                            ad::created_by_name.eq("Panchayat Secretary"),
                            ad::created_at.eq((day + Duration::days(40))
                                .and_hms_opt(6, 0, 0)
                                .unwrap_or(now)),
                        ))
                        .execute(conn)?;
                }
            }
            // The next monthly meeting, planned, in the first GP.
            if gi == 0 {
                let next: i64 = crate::on_backend!(conn, |c| diesel::insert_into(mt::table)
                    .values((
                        mt::committee_id.eq(committee),
                        mt::gp_id.eq(gp),
                        mt::kind.eq("monthly"),
                        mt::held_on.eq(today + Duration::days(5)),
                        mt::starts_at.eq(Some("10:30")),
                        mt::venue.eq(Some("पंचायत भवन")),
                        mt::status.eq("planned"),
                        mt::lang.eq("hi"),
                        mt::created_at.eq(now),
                        mt::updated_at.eq(now),
                    ))
                    .returning(mt::id)
                    .get_result(c))?;
                for (k, (_, hi, _, _)) in DEMO_AGENDA.iter().take(3).enumerate() {
                    diesel::insert_into(ag::table)
                        .values((
                            ag::meeting_id.eq(next),
                            ag::position.eq(k as i32 + 1),
                            ag::title.eq(*hi),
                        ))
                        .execute(conn)?;
                }
                made += 1;
            }
        }
        Ok(made)
    })
}

/// Load for the scheduler's benchmark, on the benchmark block's GPs (see
/// [`seed_review_load`]): a secretary and a member per GP, `assets_per_gp` assets per GP (one
/// in 50 near the end of its life), `plans_per_asset` monthly plans per asset (one of them a
/// water test) with their tasks from 40 days back to the horizon, nineteen in twenty of the
/// past ones done. Set-based: a few `INSERT … SELECT` over a counting query. Returns
/// (assets, plans, tasks).
pub fn seed_sweep_load(
    db: &Db,
    clock: &Clock,
    horizon_days: i64,
    assets_per_gp: i64,
    plans_per_asset: i64,
    progress: impl Fn(&str),
) -> AppResult<(i64, i64, i64)> {
    use chrono::Duration;
    use diesel::sql_types::{BigInt, Date, Text, Timestamp};
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let hash = password::hash(DEMO_PASSWORD)?;
    let mut conn = db.conn()?;
    let block = crate::places::model::by_lgd(&mut conn, Level::Block, 230199)?
        .ok_or_else(|| AppError::Config("run --bench-gps first: no benchmark block".into()))?;
    let fix = |conn: &crate::db::DbConn, sql: &str| crate::db::sql_for(conn, sql);
    crate::db::write_transaction(&mut conn, |conn| {
        for (role, prefix) in [("secretary", "bench-sec-"), ("member", "bench-mem-")] {
            let sql = fix(
                conn,
                &format!(
                    "INSERT INTO users (username, display_name, role, place_id, lang, active, \
                     password_hash, created_at, updated_at) \
                     SELECT '{prefix}' || CAST(p.lgd_code AS TEXT), 'Bench {role}', '{role}', \
                     p.id, 'en', TRUE, ?, ?, ? FROM places p WHERE p.level = 'gp' AND p.block_id = ?"
                ),
            );
            crate::on_backend!(conn, |c| diesel::sql_query(&sql)
                .bind::<Text, _>(&hash)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(block.id)
                .execute(c))?;
        }
        progress("a secretary and a member per GP");
        let sql = fix(
            conn,
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) \
             INSERT INTO assets (gp_id, scheme_id, kind, name, installed_on, expected_life_years, \
             end_of_life_on, status, created_at, updated_at) \
             SELECT s.gp_id, s.id, 'pump', 'Bench asset ' || CAST(n AS TEXT), ?, 15, \
             CASE WHEN n % 50 = 0 THEN ? ELSE ? END, 'working', ?, ? \
             FROM schemes s CROSS JOIN seq \
             WHERE s.gp_id IN (SELECT id FROM places WHERE level = 'gp' AND block_id = ?)",
        );
        let assets = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
            .bind::<BigInt, _>(assets_per_gp)
            .bind::<Date, _>(today - Duration::days(365 * 5))
            .bind::<Date, _>(today + Duration::days(60))
            .bind::<Date, _>(today + Duration::days(365 * 10))
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(block.id)
            .execute(c))? as i64;
        progress(&format!("{assets} assets"));
        let sql = fix(
            conn,
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?) \
             INSERT INTO maintenance_plans (gp_id, scheme_id, asset_id, title, checklist, \
             readings, water_quality, every_unit, every_n, start_on, responsible_role, active, \
             created_at, updated_at) \
             SELECT a.gp_id, a.scheme_id, a.id, 'Bench check ' || CAST(n AS TEXT), '[]', '[]', \
             CASE WHEN n = 1 THEN TRUE ELSE FALSE END, 'month', 1, \
             CASE WHEN a.id % 4 = 0 THEN ? WHEN a.id % 4 = 1 THEN ? WHEN a.id % 4 = 2 THEN ? ELSE ? END, \
             'member', TRUE, ?, ? \
             FROM assets a CROSS JOIN seq WHERE a.name LIKE 'Bench asset %'",
        );
        let start = today - Duration::days(60);
        let plans = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
            .bind::<BigInt, _>(plans_per_asset)
            .bind::<Date, _>(start)
            .bind::<Date, _>(start + Duration::days(7))
            .bind::<Date, _>(start + Duration::days(14))
            .bind::<Date, _>(start + Duration::days(21))
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .execute(c))? as i64;
        progress(&format!("{plans} plans"));
        Ok(())
    })?;
    let (_, tasks) = crate::db::write_transaction(&mut conn, |conn| {
        crate::maintenance::generate(
            conn,
            None,
            today - Duration::days(40),
            today + Duration::days(horizon_days),
            now,
            |n| progress(&format!("{n} plans read for their tasks")),
        )
    })?;
    let done = crate::db::write_transaction(&mut conn, |conn| {
        let sql = fix(
            conn,
            "UPDATE maintenance_tasks SET state = 'done', done_on = due_on \
             WHERE state = 'open' AND due_on < ? AND id % 20 <> 0",
        );
        Ok(crate::on_backend!(conn, |c| diesel::sql_query(&sql)
            .bind::<Date, _>(today - Duration::days(2))
            .execute(c))?)
    })?;
    progress(&format!("{tasks} tasks, {done} of the past ones done"));
    let assets: i64 = crate::db::schema::assets::table
        .count()
        .get_result(&mut conn)?;
    let plans: i64 = crate::db::schema::maintenance_plans::table
        .count()
        .get_result(&mut conn)?;
    Ok((assets, plans, tasks as i64))
}
