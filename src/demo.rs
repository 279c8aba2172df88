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
        Ok::<_, AppError>(())
    })?;
    Ok(DemoSummary {
        places: PLACES.len(),
        users: USERS.iter().map(|u| (u.0, u.1.as_str())).collect(),
    })
}
