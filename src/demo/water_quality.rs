//! The demo's water quality: a sampling point for each source, tank and standpost of the demo
//! GPs' schemes; trained testers in each GP (three in Banapura, the demo `member` one of them,
//! so she can record field tests); and two years of tests with the seasons they follow:
//! field test kits (FTK) about monthly at sources and every two months at tanks and taps,
//! H2S vials before and after the monsoon,
//! the laboratory's post-monsoon chemical and bacteriological round (Nov) and its pre-monsoon
//! bacteriological round (Apr). The first GP after Banapura is fluoride-affected (fluoride
//! 1.2–2.0 mg/l at its points); turbidity rises in the monsoon. One bacteriological positive
//! at a Banapura tank is handled: the H2S vial shows bacteria, the laboratory confirms it,
//! the tank is cleaned and chlorinated (the notes say so) and both re-tests pass (kept as
//! tests); and one H2S positive whose contamination incident is open (so the scheme's
//! public page shows the advisory). Each GP received FTK kit batches every
//! four months; the FTK tests name the batch in use, and Banapura's current batch is nearly
//! used up (the `ftk_refills_low` reminder).
//!
//! Fast: a few hundred tests written with the samples area's own insert, in one transaction.

use super::HINDI_GP_LGD;
use crate::clock::Clock;
use crate::db::schema::{places, schemes, users};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::water_quality::kits::{model as kits, KitKind, KitValues};
use crate::water_quality::points::model as points;
use crate::water_quality::samples::{model as samples, validate, SampleInput};
use crate::water_quality::testers::{model as testers, TesterValues};
use crate::water_quality::{PointKind, Standard};
use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// Days of history.
const DAYS: i64 = 730;
/// FTK kit batches are received every this many months.
const BATCH_MONTHS: u32 = 4;
const LABORATORY: &str = "जिला जल परीक्षण प्रयोगशाला";

/// A number between two bounds (in thousandths) from a hash, as typed ("7.425").
fn dec(lo: i64, hi: i64, h: u64) -> String {
    let v = lo + (h % (hi - lo + 1) as u64) as i64;
    format!("{}.{:03}", v / 1000, v % 1000)
}

/// A deterministic hash of a few numbers.
fn hash(parts: &[i64]) -> u64 {
    let mut z: u64 = 0x9E37_79B9_7F4A_7C15;
    for p in parts {
        z = (z ^ (*p as u64)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z ^= z >> 31;
    }
    z
}

/// A test after the positive: (days after it, kind, values, notes).
type FollowUp = (i64, &'static str, Vec<(&'static str, String)>, &'static str);

/// One test to write.
struct Planned {
    gp: usize,
    point: usize,
    on: NaiveDate,
    kind: &'static str,
    values: Vec<(&'static str, String)>,
    notes: Option<&'static str>,
}

/// An FTK's values at a point: usual groundwater in central India, fluoride high where the
/// GP is affected, turbidity up in the monsoon, residual chlorine where water is stored.
fn ftk_values(kind: &str, fluoride: bool, on: NaiveDate, h: u64) -> Vec<(&'static str, String)> {
    let hh = |k: u64| hash(&[h as i64, k as i64]);
    let monsoon = (7..=9).contains(&on.month());
    let mut v = vec![
        ("ph", dec(7_000, 8_200, hh(1))),
        (
            "turbidity",
            if monsoon {
                dec(800, 3_500, hh(2))
            } else {
                dec(200, 900, hh(2))
            },
        ),
        ("tds", dec(280_000, 620_000, hh(3))),
        ("total_hardness", dec(120_000, 260_000, hh(4))),
        ("alkalinity", dec(150_000, 240_000, hh(5))),
        ("chloride", dec(60_000, 180_000, hh(6))),
        (
            "fluoride",
            if fluoride {
                dec(1_200, 2_000, hh(7))
            } else {
                dec(300, 900, hh(7))
            },
        ),
        ("nitrate", dec(8_000, 32_000, hh(8))),
        ("iron", dec(50, 250, hh(9))),
    ];
    if kind != PointKind::Source.as_str() {
        v.push(("free_chlorine", dec(200, 600, hh(10))));
    }
    v
}

/// The laboratory's post-monsoon round: the chemical parameters and bacteria.
fn lab_values(fluoride: bool, on: NaiveDate, h: u64) -> Vec<(&'static str, String)> {
    let hh = |k: u64| hash(&[h as i64, 100 + k as i64]);
    let mut v = ftk_values(PointKind::Source.as_str(), fluoride, on, h);
    v.extend([
        ("odour", "agreeable".to_string()),
        ("taste", "agreeable".to_string()),
        ("calcium", dec(40_000, 70_000, hh(1))),
        ("magnesium", dec(15_000, 28_000, hh(2))),
        ("sulphate", dec(40_000, 120_000, hh(3))),
        ("e_coli", "absent".to_string()),
        ("total_coliform", "absent".to_string()),
    ]);
    v
}

fn bacteria(present: bool) -> Vec<(&'static str, String)> {
    let w = if present { "present" } else { "absent" };
    vec![("e_coli", w.to_string()), ("total_coliform", w.to_string())]
}

/// The dates of a yearly round (month, day) within the history, jittered per point.
fn rounds(today: NaiveDate, month: u32, day: u32, jitter: i64) -> Vec<NaiveDate> {
    (today.year() - 2..=today.year())
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .map(|d| d + Duration::days(jitter))
        .filter(|d| *d < today && *d > today - Duration::days(DAYS))
        .collect()
}

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
        let mut gps: Vec<(i64, i64)> = places::table
            .filter(places::level.eq("gp"))
            .filter(places::lgd_code.lt(23_019_000))
            .select((places::id, places::lgd_code))
            .load(conn)?;
        gps.sort_by_key(|g| (g.1 != HINDI_GP_LGD, g.1));
        // each GP's points (id, kind), in the order of its schemes and assets
        let mut gp_points: Vec<Vec<(i64, String)>> = vec![];
        for (gp_id, _) in &gps {
            let mut mine = vec![];
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
                    mine.push((p.id, kind.as_str().to_string()));
                }
            }
            gp_points.push(mine);
        }
        let member: Option<i64> = users::table
            .filter(users::username.eq("member"))
            .select(users::id)
            .first(conn)
            .optional()?;
        let analyst: Option<i64> = users::table
            .filter(users::username.eq("analyst"))
            .select(users::id)
            .first(conn)
            .optional()?;
        // testers: Banapura's three (the demo member first), two in every other GP
        let mut gp_testers: Vec<Vec<i64>> = vec![];
        for (i, (gp_id, lgd)) in gps.iter().enumerate() {
            let Some(village) = testers::villages_of_gp(conn, *gp_id)?.into_iter().next() else {
                gp_testers.push(vec![]);
                continue;
            };
            let names: &[&str] = if *lgd == HINDI_GP_LGD {
                &["सुनीता देवी", "गीता बाई", "रेखा कुमारी"]
            } else {
                [
                    &["कमला देवी", "सरोज बाई"][..],
                    &["मीना कुमारी", "पुष्पा देवी"][..],
                ][i % 2]
            };
            let mut ids = vec![];
            for (k, name) in names.iter().enumerate() {
                let t = testers::create(
                    conn,
                    *gp_id,
                    &TesterValues {
                        village_id: village.0,
                        name: name.to_string(),
                        phone: None,
                        trained_on: today - Duration::days(DAYS + 60),
                        trained_by: "पीएचईडी खंड दल".into(),
                        user_id: if *lgd == HINDI_GP_LGD && k == 0 {
                            member
                        } else {
                            None
                        },
                        active: true,
                    },
                    now,
                )?;
                ids.push(t.id);
            }
            gp_testers.push(ids);
        }
        // the plan of tests
        let mut plan: Vec<Planned> = vec![];
        for (g, pts) in gp_points.iter().enumerate() {
            let fluoride = g == 1;
            for (p, (_, kind)) in pts.iter().enumerate() {
                let jitter = (hash(&[g as i64, p as i64]) % 12) as i64;
                // FTK about monthly
                let mut day = DAYS - jitter;
                while day > 0 {
                    let on = today - Duration::days(day);
                    let h = hash(&[g as i64, p as i64, day]);
                    plan.push(Planned {
                        gp: g,
                        point: p,
                        on,
                        kind: "ftk",
                        values: ftk_values(kind, fluoride, on, h),
                        notes: None,
                    });
                    // about monthly at sources, every two months at tanks and taps
                    let every = if kind == PointKind::Source.as_str() {
                        28
                    } else {
                        56
                    };
                    day -= every + (h % 8) as i64;
                }
                // H2S before (May) and after (Oct) the monsoon
                for on in rounds(today, 5, 5, jitter)
                    .into_iter()
                    .chain(rounds(today, 10, 10, jitter))
                {
                    plan.push(Planned {
                        gp: g,
                        point: p,
                        on,
                        kind: "h2s",
                        values: vec![("h2s_bacteria", "absent".into())],
                        notes: None,
                    });
                }
                // the laboratory: chemical and bacteriological after the monsoon (Nov),
                // bacteriological before it (Apr)
                for on in rounds(today, 11, 12, jitter) {
                    let h = hash(&[g as i64, p as i64, on.num_days_from_ce() as i64]);
                    plan.push(Planned {
                        gp: g,
                        point: p,
                        on,
                        kind: "laboratory",
                        values: lab_values(fluoride, on, h),
                        notes: None,
                    });
                }
                for on in rounds(today, 4, 15, jitter) {
                    plan.push(Planned {
                        gp: g,
                        point: p,
                        on,
                        kind: "laboratory",
                        values: bacteria(false),
                        notes: None,
                    });
                }
            }
        }
        // the positive handled: Banapura's first tank (else its first point), at the most
        // recent post-monsoon round at least 30 days ago
        let pts = gp_points.first().cloned().unwrap_or_default();
        let tank = pts
            .iter()
            .position(|(_, k)| k == PointKind::StorageTank.as_str())
            .unwrap_or(0);
        if !pts.is_empty() {
            let jitter = (hash(&[0, tank as i64]) % 12) as i64;
            if let Some(on) = rounds(today, 10, 10, jitter)
                .into_iter()
                .filter(|d| *d <= today - Duration::days(30))
                .max()
            {
                if let Some(t) = plan
                    .iter_mut()
                    .find(|t| t.gp == 0 && t.point == tank && t.kind == "h2s" && t.on == on)
                {
                    t.values = vec![("h2s_bacteria", "present".into())];
                    t.notes = Some("एच2एस शीशी काली हुई: नमूना प्रयोगशाला भेजा गया।");
                }
                let follow: [FollowUp; 3] = [
                    (
                        3,
                        "laboratory",
                        bacteria(true),
                        "प्रयोगशाला ने संदूषण की पुष्टि की। टंकी की सफ़ाई और क्लोरीनीकरण कराया गया; उबालकर पीने की सलाह दी गई।",
                    ),
                    (
                        10,
                        "h2s",
                        vec![("h2s_bacteria", "absent".into())],
                        "सफ़ाई और क्लोरीनीकरण के बाद पुनः जाँच।",
                    ),
                    (
                        12,
                        "laboratory",
                        bacteria(false),
                        "पुनः जाँच में पानी मानक के भीतर।",
                    ),
                ];
                for (days, kind, values, notes) in follow {
                    plan.push(Planned {
                        gp: 0,
                        point: tank,
                        on: on + Duration::days(days),
                        kind,
                        values,
                        notes: Some(notes),
                    });
                }
            }
        }
        plan.sort_by_key(|t| (t.on, t.gp, t.point));
        // FTK batches: one per GP every four months, named by the month received
        let batch_of = |on: NaiveDate| -> NaiveDate {
            let m0 = (on.month0() / BATCH_MONTHS) * BATCH_MONTHS;
            NaiveDate::from_ymd_opt(on.year(), m0 + 1, 1).unwrap_or(on)
        };
        let mut used: BTreeMap<(usize, NaiveDate), i64> = BTreeMap::new();
        let mut lab_no = 0;
        let mut made = 0;
        for t in &plan {
            let (gp_id, _) = gps[t.gp];
            let Some((point_id, _)) = gp_points[t.gp].get(t.point) else {
                continue;
            };
            let field = t.kind != "laboratory";
            let Some(tester) = gp_testers[t.gp]
                .get(made % gp_testers[t.gp].len().max(1))
                .copied()
                .filter(|_| field)
                .or((!field).then_some(0))
            else {
                continue;
            };
            let batch = batch_of(t.on);
            if t.kind == "ftk" {
                *used.entry((t.gp, batch)).or_default() += 1;
            }
            lab_no += usize::from(!field);
            let input = SampleInput {
                kind: t.kind.into(),
                sampled_on: t.on.to_string(),
                tested_on: t.on.to_string(),
                tester_id: if field {
                    tester.to_string()
                } else {
                    String::new()
                },
                laboratory: if field {
                    String::new()
                } else {
                    LABORATORY.into()
                },
                lab_sample_no: if field {
                    String::new()
                } else {
                    format!("DWTL/{}/{lab_no:05}", t.on.year())
                },
                kit_batch: if t.kind == "ftk" {
                    format!("FTK-{}", batch.format("%Y-%m"))
                } else {
                    String::new()
                },
                kit_expires_on: if t.kind == "ftk" {
                    (batch + Duration::days(540)).to_string()
                } else {
                    String::new()
                },
                notes: t.notes.unwrap_or_default().into(),
                values: t
                    .values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            };
            let v = validate(&std, &input, today).map_err(AppError::Validation)?;
            let by = if field {
                member.filter(|_| t.gp == 0)
            } else {
                analyst
            };
            samples::create(conn, gp_id, *point_id, &v, &std.version, by, now)?;
            made += 1;
        }
        // the batches received, each holding what its tests used: the earlier ones used up,
        // the current one with plenty left, except Banapura's, nearly used up
        let current = batch_of(today);
        for ((g, batch), n) in &used {
            let left = match (*batch == current, *g == 0) {
                (true, true) => 12,
                (true, false) => 60,
                _ => 0,
            };
            let received = (*batch - Duration::days(5)).min(today);
            kits::create(
                conn,
                gps[*g].0,
                &KitValues {
                    kind: if batch.month() == 1 {
                        KitKind::Kit
                    } else {
                        KitKind::Refill
                    },
                    batch: format!("FTK-{}", batch.format("%Y-%m")),
                    received_on: received,
                    expires_on: *batch + Duration::days(540),
                    tests: n + left,
                    supplied_by: Some("पीएचईडी खंड कार्यालय".into()),
                    notes: None,
                },
                None,
                now,
            )?;
        }
        let banapura_points = match gp_points.first().and_then(|p| p.first()) {
            Some((id, _)) => vec![crate::water_quality::points::model::find(conn, *id)?],
            None => vec![],
        };
        let Some(&tester_id) = gp_testers.first().and_then(|t| t.first()) else {
            return Ok(made);
        };
        let opened =
            seed_open_incident(conn, &std, &banapura_points, tester_id, member, today, now)?;
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
