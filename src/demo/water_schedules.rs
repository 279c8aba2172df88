//! The demo's water-quality schedule and sanitary inspections (issue 25, items 6 and 7): a
//! few inspections at Banapura's points, then the schedule's plans and tasks for every demo
//! GP with sampling points.

use crate::auth::Scope;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::schema::{places, sampling_points};
use crate::db::Db;
use crate::error::AppResult;
use crate::water_quality::inspections::{model, service, validate, Checklists, InspectionInput};
use diesel::prelude::*;

/// Seed once (nothing when there are inspections already): the inspections made.
pub fn seed_water_schedules(db: &Db, clock: &Clock, config: &Config) -> AppResult<usize> {
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let lists = Checklists::builtin();
    let mut conn = db.conn()?;
    let made = crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = crate::db::schema::sanitary_inspections::table
            .count()
            .get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let gp: Option<i64> = places::table
            .filter(places::lgd_code.eq(super::HINDI_GP_LGD))
            .select(places::id)
            .first(conn)
            .optional()?;
        let Some(gp) = gp else { return Ok(0) };
        let points: Vec<i64> = sampling_points::table
            .filter(sampling_points::gp_id.eq(gp))
            .order(sampling_points::id.asc())
            .select(sampling_points::id)
            .limit(3)
            .load(conn)?;
        let mut made = 0;
        // (point, days ago, "yes" answers): a borewell getting better, a tank at high risk
        for (i, days, yes) in [(0usize, 170, 5usize), (0, 12, 2), (1, 30, 6)] {
            let Some(&pid) = points.get(i) else { continue };
            let p = crate::water_quality::points::model::find(conn, pid)?;
            let kind = service::asset_kind_of(conn, &p)?;
            let Some(list) = lists.for_point(&p.kind, kind.as_deref()) else {
                continue;
            };
            let input = InspectionInput {
                inspected_on: (today - chrono::Duration::days(days)).to_string(),
                inspector: "सुनीता देवी".into(),
                notes: String::new(),
                answers: list
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(n, q)| (q.code.clone(), if n < yes { "yes" } else { "no" }.into()))
                    .collect(),
            };
            let v = validate(list, lists.bands_of(list), &input, today)
                .map_err(crate::error::AppError::Validation)?;
            model::create(conn, gp, pid, &list.code, &lists.version, &v, None, now)?;
            made += 1;
        }
        Ok(made)
    })?;
    crate::water_quality::schedules::service::raise(&mut conn, config, &Scope::All, today, now)?;
    Ok(made)
}
