//! The demo's water quality (a small start; two years of history come later): a sampling
//! point for each source and tank of the demo GPs' schemes, three trained testers in
//! Banapura (the demo `member` is one of them, so she can record field tests), and a handful
//! of tests there, one with fluoride in the permissible band, and one H2S positive whose
//! contamination incident is open (so the scheme's public page shows the advisory).

use super::HINDI_GP_LGD;
use crate::clock::Clock;
use crate::db::schema::{places, schemes, users};
use crate::db::Db;
use crate::error::AppResult;
use crate::water_quality::points::model as points;
use crate::water_quality::samples::{model as samples, validate, SampleInput};
use crate::water_quality::testers::{model as testers, TesterValues};
use crate::water_quality::Standard;
use diesel::prelude::*;

/// (days ago, point, kind, tester, values) of a demo test.
type DemoTest = (
    i64,
    usize,
    &'static str,
    usize,
    &'static [(&'static str, &'static str)],
);

/// Seed it once (nothing when there are sampling points already): the number of tests made.
pub fn seed_water_quality(db: &Db, clock: &Clock) -> AppResult<usize> {
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let std = Standard::builtin();
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = crate::db::schema::sampling_points::table
            .count()
            .get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let gps: Vec<(i64, i64)> = places::table
            .filter(places::level.eq("gp"))
            .filter(places::lgd_code.lt(23_019_000))
            .select((places::id, places::lgd_code))
            .load(conn)?;
        let mut banapura_points = vec![];
        for (gp_id, lgd) in &gps {
            let ids: Vec<i64> = schemes::table
                .filter(schemes::gp_id.eq(gp_id))
                .order(schemes::id.asc())
                .select(schemes::id)
                .load(conn)?;
            for id in ids {
                let scheme = crate::schemes::model::find(conn, id)?;
                let Some(village) = crate::schemes::model::villages_of(conn, id)?
                    .into_iter()
                    .next()
                else {
                    continue;
                };
                for a in points::eligible_assets(conn, &scheme)? {
                    let Some(kind) = a.point_kind() else { continue };
                    let v = crate::water_quality::points::PointValues {
                        kind,
                        village_id: village.id,
                        name: a.name.clone(),
                        name_hi: a.name_hi.clone(),
                        latitude: a.latitude,
                        longitude: a.longitude,
                        active: true,
                    };
                    let p = points::create(conn, &scheme, &v, Some(a.id), now)?;
                    if *lgd == HINDI_GP_LGD {
                        banapura_points.push(p);
                    }
                }
            }
        }
        let Some((gp_id, _)) = gps.iter().find(|(_, l)| *l == HINDI_GP_LGD) else {
            return Ok(0);
        };
        let Some(village) = testers::villages_of_gp(conn, *gp_id)?.into_iter().next() else {
            return Ok(0);
        };
        let member: Option<i64> = users::table
            .filter(users::username.eq("member"))
            .filter(users::place_id.eq(gp_id))
            .select(users::id)
            .first(conn)
            .optional()?;
        let mut tester_ids = vec![];
        for (i, name) in ["सुनीता देवी", "गीता बाई", "रेखा कुमारी"].iter().enumerate()
        {
            let t = testers::create(
                conn,
                *gp_id,
                &TesterValues {
                    village_id: village.0,
                    name: name.to_string(),
                    phone: None,
                    trained_on: today - chrono::Duration::days(400),
                    trained_by: "पीएचईडी खंड दल".into(),
                    user_id: if i == 0 { member } else { None },
                    active: true,
                },
                now,
            )?;
            tester_ids.push(t.id);
        }
        let tests: [DemoTest; 4] = [
            (
                75,
                0,
                "ftk",
                0,
                &[
                    ("ph", "7.6"),
                    ("fluoride", "1.3"),
                    ("tds", "640"),
                    ("nitrate", "18"),
                    ("iron", "0.1"),
                ],
            ),
            (
                40,
                1,
                "ftk",
                1,
                &[
                    ("ph", "7.2"),
                    ("free_chlorine", "0.4"),
                    ("turbidity", "0.8"),
                ],
            ),
            (21, 0, "h2s", 2, &[("h2s_bacteria", "absent")]),
            (7, 1, "h2s", 0, &[("h2s_bacteria", "absent")]),
        ];
        let mut made = 0;
        for (days, point, kind, tester, values) in tests {
            let Some(p) = banapura_points.get(point.min(banapura_points.len().saturating_sub(1)))
            else {
                break;
            };
            let on = today - chrono::Duration::days(days);
            let input = SampleInput {
                kind: kind.into(),
                sampled_on: on.to_string(),
                tested_on: on.to_string(),
                tester_id: tester_ids[tester].to_string(),
                kit_batch: if kind == "ftk" {
                    "FTK-2026-07".into()
                } else {
                    String::new()
                },
                kit_expires_on: if kind == "ftk" {
                    (today + chrono::Duration::days(200)).to_string()
                } else {
                    String::new()
                },
                values: values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            };
            let v = validate(&std, &input, today).map_err(crate::error::AppError::Validation)?;
            samples::create(conn, p.gp_id, p.id, &v, &std.version, member, now)?;
            made += 1;
        }
        let opened = seed_open_incident(
            conn,
            &std,
            &banapura_points,
            tester_ids[0],
            member,
            today,
            now,
        )?;
        Ok(made + opened)
    })
}

/// One open contamination incident in Banapura (issue 25, item 5: the villagers' advisory):
/// an H2S vial positive two days ago at the first point, gone to the incident as a recorded
/// test does. The number of tests made (one; none without a point).
fn seed_open_incident(
    conn: &mut crate::db::DbConn,
    std: &Standard,
    points: &[crate::water_quality::points::model::SamplingPoint],
    tester_id: i64,
    member: Option<i64>,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> AppResult<usize> {
    let Some(p) = points.first() else {
        return Ok(0);
    };
    let on = today - chrono::Duration::days(2);
    let input = SampleInput {
        kind: "h2s".into(),
        sampled_on: on.to_string(),
        tested_on: on.to_string(),
        tester_id: tester_id.to_string(),
        values: [("h2s_bacteria".to_string(), "present".to_string())].into(),
        ..Default::default()
    };
    let v = validate(std, &input, today).map_err(crate::error::AppError::Validation)?;
    let s = samples::create(conn, p.gp_id, p.id, &v, &std.version, member, now)?;
    let config = crate::config::Config::defaults();
    let mut log = crate::audit::Log::default();
    crate::water_quality::incidents::service::on_sample(
        conn,
        std,
        &config.water_quality.incidents,
        p,
        &s,
        &v.values,
        None,
        "Paani",
        &mut log,
        now,
    )?;
    Ok(1)
}
