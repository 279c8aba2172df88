//! The demo's Har Ghar Jal: Banapura's villages at each step. Banapura village is certified
//! (reported by the secretary, certified by the district officer), Khapariya is reported and
//! waits for the district, Bhilat Kheda has its checklist half done. The reported ones carry a
//! one-page "scan" of the Gram Sabha resolution (a drawn placeholder).

use crate::clock::Clock;
use crate::config::Config;
use crate::db::schema::{har_ghar_jal, places};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::har_ghar_jal::model;
use crate::har_ghar_jal::{ChecklistValues, Status};
use chrono::Duration;
use diesel::prelude::*;

/// A page-like PNG: white, with grey lines of "text".
fn placeholder_scan() -> Vec<u8> {
    use image::ImageEncoder;
    let img = image::GrayImage::from_fn(240, 320, |x, y| {
        let line = y > 30 && y < 290 && y % 16 < 3 && x > 24 && x < 216 - (y % 5) * 12;
        image::Luma([if line { 150 } else { 255 }])
    });
    let mut out = vec![];
    let _ = image::codecs::png::PngEncoder::new(&mut out).write_image(
        img.as_raw(),
        240,
        320,
        image::ExtendedColorType::L8,
    );
    out
}

/// Seed it once (nothing when there are rows already): how many villages got a row.
pub fn seed_har_ghar_jal(db: &Db, clock: &Clock, config: &Config) -> AppResult<usize> {
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let mut e = crate::error::FieldErrors::new();
    let scan = crate::web::photos::check(vec![placeholder_scan()], &config.storage, &mut e);
    let root = config.storage.photos_dir.clone();
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |conn| {
        let existing: i64 = har_ghar_jal::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        let user = |conn: &mut crate::db::DbConn, name: &str| {
            crate::auth::model::user_by_username(conn, name)?.ok_or(AppError::NotFound)
        };
        let (secretary, officer) = (user(conn, "secretary")?, user(conn, "officer")?);
        let mut made = 0;
        // (village LGD code, items ticked, steps taken)
        for (lgd, ticked, steps) in [
            (2301010101_i64, 5, 2),
            (2301010102, 5, 1),
            (2301010103, 3, 0),
        ] {
            let village: Option<(i64, Option<i64>)> = places::table
                .filter(places::level.eq("village"))
                .filter(places::lgd_code.eq(lgd))
                .select((places::id, places::gp_id))
                .first(conn)
                .optional()?;
            let Some((village, Some(gp))) = village else {
                continue;
            };
            let mut items = [false; 5];
            for it in items.iter_mut().take(ticked) {
                *it = true;
            }
            let v = ChecklistValues {
                items,
                resolution_on: (steps > 0).then(|| today - Duration::days(60)),
                notes: None,
            };
            let r = model::put_checklist(conn, gp, village, &v, secretary.id, now)?;
            if steps > 0 {
                for d in &scan {
                    let names = crate::web::photos::write_files(&root, gp, d)?;
                    model::add_document(conn, &r, names, d.mime, d.data.len() as i64, now)?;
                }
                let by = (secretary.id, secretary.display_name.as_str());
                let reported = today - Duration::days(45 - 15 * (2 - steps));
                let r = model::set_status(conn, &r, Status::Reported, reported, by, now)?;
                if steps > 1 {
                    let by = (officer.id, officer.display_name.as_str());
                    let on = today - Duration::days(12);
                    model::set_status(conn, &r, Status::Certified, on, by, now)?;
                }
            }
            made += 1;
        }
        Ok(made)
    })
}
