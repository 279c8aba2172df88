//! The demo's water quality: a sampling point for each source, tank and standpost of the demo
//! GPs' schemes; trained testers in each GP (three in Banapura, the demo `member` one of them,
//! so she can record field tests); and two years of tests with the seasons they follow:
//! field test kits (FTK) about monthly at sources and every two months at tanks and taps,
//! H2S vials before and after the monsoon,
//! the laboratory's post-monsoon chemical and bacteriological round (Nov) and its pre-monsoon
//! bacteriological round (Apr). The first GP after Banapura is fluoride-affected: 1.6–2.4
//! mg/l (beyond the permissible 1.5) at every other point, 1.05–1.5 at the rest; turbidity
//! rises in the monsoon.
//!
//! Every test goes to the incidents as a recorded test does (`incidents::service::on_sample`)
//! and the people's steps are taken with the incidents' own step functions on the demo's
//! days: one bacteriological positive at a Banapura tank is handled to closure (the H2S vial
//! shows bacteria; the next day the sample goes to the district laboratory, which confirms
//! it; a boil-water advisory, the tank cleaned and chlorinated; the vial's re-test passes and
//! the incident is closed after the laboratory's re-test). In the fluoride-affected GP each
//! high point's first test opens an incident: the sample goes to the laboratory, which confirms
//! it, the GP warns people and drinking water comes from a safe handpump of the next village;
//! those incidents stay open (the water there stays above the limit: their later tests join
//! them). And one H2S positive two days ago whose incident is open (the scheme's public page
//! shows the advisory). Each GP received FTK kit batches every four months; the FTK tests
//! name the batch in use, and Banapura's current batch is nearly used up (the
//! `ftk_refills_low` reminder).
//!
//! Fast: a few hundred tests written with the samples area's own insert, in one transaction.

use super::HINDI_GP_LGD;
use crate::audit::Log;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::schema::{places, schemes, users};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::water_quality::incidents::service::{self as incidents, StepBy};
use crate::water_quality::incidents::{model as incident_rows, CloseInput, Group, Status};
use crate::water_quality::incidents::{RemedyInput, SendInput};
use crate::water_quality::kits::{model as kits, KitKind, KitValues};
use crate::water_quality::points::model::{self as points, SamplingPoint};
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

/// Fluoride at a point: usual, raised (within the permissible 1.5 mg/l) or high (beyond it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fluoride {
    Usual,
    Raised,
    High,
}

/// The fluoride-affected GP's points alternate: high, raised, high, …
fn fluoride_at(g: usize, p: usize) -> Fluoride {
    match (g, p % 2) {
        (1, 0) => Fluoride::High,
        (1, _) => Fluoride::Raised,
        _ => Fluoride::Usual,
    }
}

/// An FTK's values at a point: usual groundwater in central India, fluoride high where the
/// GP is affected, turbidity up in the monsoon, residual chlorine where water is stored.
fn ftk_values(
    kind: &str,
    fluoride: Fluoride,
    on: NaiveDate,
    h: u64,
) -> Vec<(&'static str, String)> {
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
            match fluoride {
                Fluoride::High => dec(1_600, 2_400, hh(7)),
                Fluoride::Raised => dec(1_050, 1_500, hh(7)),
                Fluoride::Usual => dec(300, 900, hh(7)),
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
fn lab_values(fluoride: Fluoride, on: NaiveDate, h: u64) -> Vec<(&'static str, String)> {
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
pub fn seed_water_quality(db: &Db, clock: &Clock, config: &Config) -> AppResult<usize> {
    let cfg = &config.water_quality.incidents;
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
            for (p, (_, kind)) in pts.iter().enumerate() {
                let jitter = (hash(&[g as i64, p as i64]) % 12) as i64;
                // FTK about monthly; Banapura's first point's is due now (its last one six
                // weeks ago), so the tester finds the check in "my tasks"
                let mut day = DAYS - jitter;
                let last = if g == 0 && p == 0 { 42 } else { 0 };
                while day > last {
                    let on = today - Duration::days(day);
                    let h = hash(&[g as i64, p as i64, day]);
                    plan.push(Planned {
                        gp: g,
                        point: p,
                        on,
                        kind: "ftk",
                        values: ftk_values(kind, fluoride_at(g, p), on, h),
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
                        values: lab_values(fluoride_at(g, p), on, h),
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
        // incident steps recorded later: (day, GP, point, group, step)
        let mut steps: Vec<(NaiveDate, usize, usize, Group, Step)> = vec![];
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
                        "प्रयोगशाला ने संदूषण की पुष्टि की।",
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
                // what the secretary recorded on the incident, day by day
                let at = |d: i64| on + Duration::days(d);
                steps.push((at(1), 0, tank, Group::Bacteriological, Step::Send));
                for (d, action, by, note) in [
                    (3, "advisory", "ग्राम पंचायत सचिव", "मुनादी: पानी उबालकर पिएँ।"),
                    (
                        4,
                        "tank_cleaning",
                        "नल जल मित्र",
                        "टंकी खाली कर सफ़ाई और कीटाणुशोधन।",
                    ),
                    (
                        5,
                        "chlorination",
                        "नल जल मित्र",
                        "ब्लीचिंग पाउडर से क्लोरीनीकरण।",
                    ),
                ] {
                    steps.push((
                        at(d),
                        0,
                        tank,
                        Group::Bacteriological,
                        Step::Remedy(action, by, note),
                    ));
                }
                steps.push((
                    at(12),
                    0,
                    tank,
                    Group::Bacteriological,
                    Step::Close("प्रयोगशाला की पुनः जाँच में पानी सुरक्षित।"),
                ));
            }
        }
        // the fluoride-affected GP: each point's first test opens its incident; a sample goes
        // to the laboratory, which confirms it; the GP warns people and switches drinking water
        // to a safe source (the handpump of the next village). The incidents stay open: the
        // water at these points stays above the limit.
        if let Some(pts) = gp_points.get(1) {
            for p in (0..pts.len()).filter(|p| fluoride_at(1, *p) == Fluoride::High) {
                let Some(first) = plan
                    .iter()
                    .filter(|t| t.gp == 1 && t.point == p && t.kind != "h2s")
                    .map(|t| t.on)
                    .min()
                else {
                    continue;
                };
                let at = |d: i64| first + Duration::days(d);
                let h = hash(&[1, p as i64, 4]);
                plan.push(Planned {
                    gp: 1,
                    point: p,
                    on: at(4),
                    kind: "laboratory",
                    values: lab_values(Fluoride::High, at(4), h),
                    notes: Some("फ़ील्ड किट में फ़्लोराइड अधिक आया: प्रयोगशाला जाँच।"),
                });
                steps.push((at(1), 1, p, Group::Chemical, Step::Send));
                steps.push((
                    at(5),
                    1,
                    p,
                    Group::Chemical,
                    Step::Remedy(
                        "advisory",
                        "ग्राम पंचायत सचिव",
                        "ग्राम सभा में सूचना: इस स्रोत का पानी पीने और खाना पकाने में न लें।",
                    ),
                ));
                steps.push((
                    at(8),
                    1,
                    p,
                    Group::Chemical,
                    Step::Remedy(
                        "alternate_source",
                        "पीएचईडी कनिष्ठ अभियंता",
                        "पीने का पानी पड़ोसी गाँव के सुरक्षित हैंडपंप से।",
                    ),
                ));
            }
        }
        plan.sort_by_key(|t| (t.on, t.gp, t.point));
        // FTK batches: one per GP every four months, named by the month received
        let batch_of = |on: NaiveDate| -> NaiveDate {
            let m0 = (on.month0() / BATCH_MONTHS) * BATCH_MONTHS;
            NaiveDate::from_ymd_opt(on.year(), m0 + 1, 1).unwrap_or(on)
        };
        steps.sort_by_key(|s| s.0);
        let mut steps = steps.into_iter().peekable();
        let mut point_rows: BTreeMap<i64, SamplingPoint> = BTreeMap::new();
        let names = Names::load(conn)?;
        let mut log = Log::default();
        let mut used: BTreeMap<(usize, NaiveDate), i64> = BTreeMap::new();
        let mut lab_no = 0;
        let mut made = 0;
        for t in &plan {
            // the steps of the days before this test
            while let Some((on, g, p, group, step)) = steps.next_if(|s| s.0 < t.on) {
                let Some((point_id, _)) = gp_points[g].get(p) else {
                    continue;
                };
                let point = point_rows.get(point_id).cloned();
                if let Some(point) = point {
                    take_step(conn, cfg, &names, &point, group, &step, on, &mut log)?;
                }
            }
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
            let at = noon(t.on);
            let sample = samples::create(conn, gp_id, *point_id, &v, &std.version, by, at)?;
            if !point_rows.contains_key(point_id) {
                point_rows.insert(*point_id, points::find(conn, *point_id)?);
            }
            if let Some(point) = point_rows.get(point_id) {
                let name = if field { &names.member } else { &names.analyst };
                incidents::on_sample(
                    conn, &std, cfg, point, &sample, &v.values, None, name, &mut log, at,
                )?;
            }
            made += 1;
        }
        for (on, g, p, group, step) in steps.filter(|s| s.0 <= today) {
            let Some((point_id, _)) = gp_points[g].get(p) else {
                continue;
            };
            if let Some(point) = point_rows.get(point_id).cloned() {
                take_step(conn, cfg, &names, &point, group, &step, on, &mut log)?;
            }
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
        let opened = seed_open_incident(
            conn,
            &std,
            cfg,
            &banapura_points,
            tester_id,
            member,
            &names.member,
            today,
        )?;
        Ok(made + opened)
    })
}

/// One open contamination incident in Banapura (issue 25, item 5: the villagers' advisory):
/// an H2S vial positive two days ago at the first point, gone to the incident as a recorded
/// test does. The number of tests made (one; none without a point).
#[allow(clippy::too_many_arguments)]
fn seed_open_incident(
    conn: &mut crate::db::DbConn,
    std: &Standard,
    cfg: &crate::config::WaterIncidentsConfig,
    points: &[crate::water_quality::points::model::SamplingPoint],
    tester_id: i64,
    member: Option<i64>,
    name: &str,
    today: chrono::NaiveDate,
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
    let s = samples::create(conn, p.gp_id, p.id, &v, &std.version, member, noon(on))?;
    let mut log = crate::audit::Log::default();
    crate::water_quality::incidents::service::on_sample(
        conn,
        std,
        cfg,
        p,
        &s,
        &v.values,
        None,
        name,
        &mut log,
        noon(on),
    )?;
    Ok(1)
}

/// A step the demo's people took on an incident.
enum Step {
    /// The sample went to the district laboratory.
    Send,
    /// A remedial action: what, who, a note.
    Remedy(&'static str, &'static str, &'static str),
    /// Closed after the passing re-test, with a note.
    Close(&'static str),
}

/// The names the demo's records carry.
struct Names {
    member: String,
    analyst: String,
    secretary: String,
}

impl Names {
    fn load(conn: &mut crate::db::DbConn) -> AppResult<Names> {
        let mut name = |u: &str| -> AppResult<String> {
            Ok(users::table
                .filter(users::username.eq(u))
                .select(users::display_name)
                .first::<String>(conn)
                .optional()?
                .unwrap_or_else(|| "Paani".into()))
        };
        Ok(Names {
            member: name("member")?,
            analyst: name("analyst")?,
            secretary: name("secretary")?,
        })
    }
}

/// Midday in India on a day (when the demo's things happened).
fn noon(on: NaiveDate) -> chrono::NaiveDateTime {
    crate::web::i18n::india_midnight_utc(on) + Duration::hours(12)
}

/// Take a step on the point's open incident of `group` on day `on`, through the incidents'
/// own step functions (nothing when there is none open: a test did not open it).
#[allow(clippy::too_many_arguments)]
fn take_step(
    conn: &mut crate::db::DbConn,
    cfg: &crate::config::WaterIncidentsConfig,
    names: &Names,
    point: &SamplingPoint,
    group: Group,
    step: &Step,
    on: NaiveDate,
    log: &mut Log,
) -> AppResult<()> {
    let Some(i) = incident_rows::open_at_point(conn, point.gp_id, point.id)?
        .into_iter()
        .find(|i| i.group() == group)
    else {
        return Ok(());
    };
    let by = StepBy {
        actor: None,
        name: &names.secretary,
    };
    let at = noon(on);
    match step {
        // a laboratory's own test opened it already confirmed: nothing to send
        Step::Send if i.status() != Status::Open => {}
        Step::Close(_) if i.status() != Status::Retested => {}
        Step::Send => {
            let input = SendInput {
                laboratory: LABORATORY.into(),
                sent_on: on.to_string(),
                note: String::new(),
            };
            incidents::record_send(conn, cfg, by, i, point, &input, at, log)?;
        }
        Step::Remedy(action, done_by, note) => {
            let input = RemedyInput {
                action: action.to_string(),
                done_on: on.to_string(),
                done_by: done_by.to_string(),
                note: note.to_string(),
            };
            incidents::record_remedy(conn, cfg, by, i, point, &input, at, log)?;
        }
        Step::Close(note) => {
            let input = CloseInput {
                note: note.to_string(),
            };
            incidents::record_close(conn, by, i, point, &input, at, log)?;
        }
    }
    Ok(())
}
