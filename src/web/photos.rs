//! Photos of work done, of reported breakdowns and of meetings' registers: up to three per
//! record, JPEG or PNG (checked by their content, not their name), at most
//! `storage.max_photo_bytes` each, kept as files under `storage.photos_dir/<gp id>/` with a
//! small JPEG copy for phones. Plumbing shared by the areas that take photos; it knows no area
//! (who may see a photo is the serving area's question).

use crate::db::schema::work_photos;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use actix_web::web;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub const MAX_PHOTOS: usize = 3;
/// The small copy fits in this many pixels on its longer side.
pub const SMALL_SIDE: u32 = 640;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = work_photos)]
pub struct Photo {
    pub id: i64,
    pub gp_id: i64,
    /// The work record it shows, or else the breakdown report, or else the meeting (its
    /// signed attendance register).
    pub log_id: Option<i64>,
    pub breakdown_id: Option<i64>,
    pub meeting_id: Option<i64>,
    #[serde(skip)]
    pub file_name: String,
    #[serde(skip)]
    pub small_name: String,
    pub mime: String,
    pub bytes: i64,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// The image type by its first bytes: JPEG or PNG, else `None`.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A checked photo, decoded once to be sure it is an image, with its small copy made.
pub struct Checked {
    pub data: Vec<u8>,
    pub mime: &'static str,
    pub small: Vec<u8>,
}

/// Check the uploaded files (empty ones are ignored); problems go to the `photos` field.
pub fn check(files: Vec<Vec<u8>>, max_bytes: usize, e: &mut FieldErrors) -> Vec<Checked> {
    let files: Vec<Vec<u8>> = files.into_iter().filter(|f| !f.is_empty()).collect();
    if files.len() > MAX_PHOTOS {
        e.add_with(
            "photos",
            "photo-too-many",
            &[("max", MAX_PHOTOS.to_string())],
        );
        return vec![];
    }
    let mut out = vec![];
    for data in files {
        if data.len() > max_bytes {
            e.add_with(
                "photos",
                "photo-too-large",
                &[("max", format!("{:.1}", max_bytes as f64 / 1_048_576.0))],
            );
            return vec![];
        }
        let Some(mime) = sniff(&data) else {
            e.add("photos", "photo-not-image");
            return vec![];
        };
        match small_copy(&data) {
            Some(small) => out.push(Checked { data, mime, small }),
            None => {
                e.add("photos", "photo-not-image");
                return vec![];
            }
        }
    }
    out
}

/// A JPEG at most `SMALL_SIDE` pixels on its longer side; `None` when the data does not decode.
fn small_copy(data: &[u8]) -> Option<Vec<u8>> {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .ok()?;
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let small = img.thumbnail(SMALL_SIDE, SMALL_SIDE).to_rgb8();
    let mut out = vec![];
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 72);
    small.write_with_encoder(enc).ok()?;
    Some(out)
}

/// A random, unguessable file name stem (URL-safe base64 of 32 random bytes).
fn file_stem() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn gp_dir(root: &str, gp_id: i64) -> PathBuf {
    Path::new(root).join(gp_id.to_string())
}

/// What a photo belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Log(i64),
    Breakdown(i64),
    Meeting(i64),
}

/// Write the files and their rows for a work record, a breakdown report or a meeting.
pub fn store(
    conn: &mut DbConn,
    root: &str,
    gp_id: i64,
    owner: Owner,
    photos: &[Checked],
    now: NaiveDateTime,
) -> AppResult<usize> {
    if photos.is_empty() {
        return Ok(0);
    }
    let dir = gp_dir(root, gp_id);
    std::fs::create_dir_all(&dir)?;
    for p in photos {
        let stem = file_stem();
        let ext = if p.mime == "image/png" { "png" } else { "jpg" };
        let (file_name, small_name) = (format!("{stem}.{ext}"), format!("{stem}-small.jpg"));
        std::fs::write(dir.join(&file_name), &p.data)?;
        std::fs::write(dir.join(&small_name), &p.small)?;
        diesel::insert_into(work_photos::table)
            .values((
                work_photos::gp_id.eq(gp_id),
                work_photos::log_id.eq(match owner {
                    Owner::Log(id) => Some(id),
                    _ => None,
                }),
                work_photos::breakdown_id.eq(match owner {
                    Owner::Breakdown(id) => Some(id),
                    _ => None,
                }),
                work_photos::meeting_id.eq(match owner {
                    Owner::Meeting(id) => Some(id),
                    _ => None,
                }),
                work_photos::file_name.eq(&file_name),
                work_photos::small_name.eq(&small_name),
                work_photos::mime.eq(p.mime),
                work_photos::bytes.eq(p.data.len() as i64),
                work_photos::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(photos.len())
}

pub fn of_logs(conn: &mut DbConn, log_ids: &[i64]) -> AppResult<Vec<Photo>> {
    if log_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(work_photos::table
        .filter(work_photos::log_id.eq_any(log_ids))
        .order(work_photos::id.asc())
        .select(Photo::as_select())
        .load(conn)?)
}

pub fn of_breakdown(conn: &mut DbConn, breakdown_id: i64) -> AppResult<Vec<Photo>> {
    Ok(work_photos::table
        .filter(work_photos::breakdown_id.eq(breakdown_id))
        .order(work_photos::id.asc())
        .select(Photo::as_select())
        .load(conn)?)
}

/// How many photos a meeting has already (at most `MAX_PHOTOS` in all).
pub fn count_of_meeting(conn: &mut DbConn, meeting_id: i64) -> AppResult<i64> {
    Ok(work_photos::table
        .filter(work_photos::meeting_id.eq(meeting_id))
        .count()
        .get_result(conn)?)
}

/// The bytes and type of a stored photo (or its small copy).
pub fn read(root: &str, p: &Photo, small: bool) -> AppResult<(Vec<u8>, &'static str)> {
    let dir = gp_dir(root, p.gp_id);
    if small {
        Ok((std::fs::read(dir.join(&p.small_name))?, "image/jpeg"))
    } else {
        let mime = if p.mime == "image/png" {
            "image/png"
        } else {
            "image/jpeg"
        };
        Ok((std::fs::read(dir.join(&p.file_name))?, mime))
    }
}

/// The uploaded photos (`photo_1` … `photo_3`, and one more so that too many is reported)
/// of a form's fields.
pub fn photos_from_form(fields: &mut std::collections::HashMap<String, Vec<u8>>) -> Vec<Vec<u8>> {
    (1..=MAX_PHOTOS + 1)
        .filter_map(|i| fields.remove(&format!("photo_{i}")))
        .collect()
}

/// Check photos off the async threads (they are decoded to make the small copy).
pub async fn check_photos(
    state: &web::Data<AppState>,
    files: Vec<Vec<u8>>,
) -> AppResult<Result<Vec<Checked>, FieldErrors>> {
    let max = state.config.storage.max_photo_bytes;
    web::block(move || {
        let mut e = FieldErrors::new();
        let ok = check(files, max, &mut e);
        if e.is_empty() {
            Ok(ok)
        } else {
            Err(e)
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = std::io::Cursor::new(vec![]);
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn checks_by_content_and_makes_a_small_copy() {
        let mut e = FieldErrors::new();
        let ok = check(vec![png(1600, 900)], 5_000_000, &mut e);
        assert!(e.is_empty());
        assert_eq!(ok[0].mime, "image/png");
        let small = image::load_from_memory(&ok[0].small).unwrap();
        assert_eq!((small.width(), small.height()), (640, 360));
        let mut e = FieldErrors::new();
        check(
            vec![b"<script>alert(1)</script>".to_vec()],
            5_000_000,
            &mut e,
        );
        assert!(e.has("photos"));
        let mut e = FieldErrors::new();
        check(vec![png(10, 10)], 10, &mut e);
        assert!(e.has("photos"), "too large");
        let mut e = FieldErrors::new();
        // a JPEG header on garbage is not an image
        check(vec![vec![0xFF, 0xD8, 0xFF, 0, 1, 2, 3]], 5_000_000, &mut e);
        assert!(e.has("photos"));
        let mut e = FieldErrors::new();
        check(
            vec![png(2, 2), png(2, 2), png(2, 2), png(2, 2)],
            5_000_000,
            &mut e,
        );
        assert!(e.has("photos"), "at most three");
    }
}
