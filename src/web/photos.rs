//! Photos of work done, of reported breakdowns and of meetings' registers: up to three per
//! record, JPEG or PNG (checked by their content, not their name), at most
//! `storage.max_photo_bytes` each, kept as files under `storage.photos_dir/<gp id>/` with a
//! small JPEG copy for phones. Plumbing shared by the areas that take photos; it knows no area
//! (who may see a photo is the serving area's question).
//!
//! A photo is only decoded after its header has shown it small enough
//! (`storage.max_photo_pixels`, `max_photo_side`), and photos are decoded in turns: at most
//! `storage.photo_workers` at once, within `storage.photo_memory_bytes` between them (each
//! photo's need is worked out from its header; [`check_photos`] waits for a turn). The
//! small copy is turned upright by the photo's EXIF orientation. Originals lose their metadata losslessly ([`strip_metadata`]: EXIF with its
//! GPS position, XMP, IPTC, comments, embedded thumbnails and appended images), when stored
//! and again when served (so photos stored before this are served clean too); only the
//! orientation is written back, alone, so the original still shows upright.

use crate::config::StorageConfig;
use crate::db::schema::work_photos;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use actix_web::web;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use image::metadata::Orientation;
use image::ImageDecoder;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::Semaphore;

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
    /// Or the water test (a photo of the kit or of the laboratory's report).
    pub sample_id: Option<i64>,
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
    } else if data.starts_with(PNG_SIGNATURE) {
        Some("image/png")
    } else {
        None
    }
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// A checked photo, decoded once to be sure it is an image, with its small copy made.
pub struct Checked {
    /// The original without its metadata ([`strip_metadata`]): what is stored.
    pub data: Vec<u8>,
    pub mime: &'static str,
    pub small: Vec<u8>,
}

/// The server's turns to decode photos: how many at once (`storage.photo_workers`, or one
/// per CPU) and how much memory between them (`storage.photo_memory_bytes`, counted in MiB).
pub struct Turns {
    workers: Arc<Semaphore>,
    memory: Arc<Semaphore>,
}

const MIB: u64 = 1 << 20;

impl Turns {
    pub fn new(config: &StorageConfig) -> Turns {
        let workers = match config.photo_workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        Turns {
            workers: Arc::new(Semaphore::new(workers)),
            memory: Arc::new(Semaphore::new(mib(config.photo_memory_bytes) as usize)),
        }
    }
}

/// Whole MiB, rounded up.
fn mib(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(MIB)).unwrap_or(u32::MAX)
}

/// Check the uploaded files (empty ones are ignored) and make their small copies; problems
/// go to the `photos` field. The same as [`check_photos`] without waiting for a turn.
pub fn check(files: Vec<Vec<u8>>, limits: &StorageConfig, e: &mut FieldErrors) -> Vec<Checked> {
    match screen(files, limits, e) {
        Some((files, _)) => decode_all(files, limits, e),
        None => vec![],
    }
}

/// A file that passed [`screen`]: its bytes and type.
type Screened = (Vec<u8>, &'static str);

/// Everything that can be checked without decoding: how many files, their size in bytes,
/// their type, and from their headers their pixels and the memory decoding them needs.
/// Returns the files and the most memory one of them needs (they are decoded one after
/// another), or `None` with the problem in `e`.
fn screen(
    files: Vec<Vec<u8>>,
    limits: &StorageConfig,
    e: &mut FieldErrors,
) -> Option<(Vec<Screened>, u64)> {
    let files: Vec<Vec<u8>> = files.into_iter().filter(|f| !f.is_empty()).collect();
    if files.len() > MAX_PHOTOS {
        e.add_with(
            "photos",
            "photo-too-many",
            &[("max", MAX_PHOTOS.to_string())],
        );
        return None;
    }
    let mut out = vec![];
    let mut most = 0;
    for data in files {
        if data.len() > limits.max_photo_bytes {
            e.add_with(
                "photos",
                "photo-too-large",
                &[(
                    "max",
                    format!("{:.1}", limits.max_photo_bytes as f64 / 1_048_576.0),
                )],
            );
            return None;
        }
        let Some(mime) = sniff(&data) else {
            e.add("photos", "photo-not-image");
            return None;
        };
        match memory_needed(&data, limits) {
            Ok(need) => most = most.max(need),
            Err(r) => {
                refuse(r, limits, e);
                return None;
            }
        }
        out.push((data, mime));
    }
    Some((out, most))
}

/// Decode screened photos one after another: their small copies, their stripped originals.
fn decode_all(files: Vec<Screened>, limits: &StorageConfig, e: &mut FieldErrors) -> Vec<Checked> {
    let mut out = vec![];
    for (data, mime) in files {
        match small_copy(&data, limits) {
            Ok(small) => out.push(Checked {
                data: strip_metadata(&data),
                mime,
                small,
            }),
            Err(r) => {
                refuse(r, limits, e);
                return vec![];
            }
        }
    }
    out
}

fn refuse(r: Refused, limits: &StorageConfig, e: &mut FieldErrors) {
    match r {
        Refused::NotImage => e.add("photos", "photo-not-image"),
        Refused::TooManyPixels => e.add_with(
            "photos",
            "photo-too-many-pixels",
            &[
                ("max", megapixels(limits.max_photo_pixels)),
                ("side", limits.max_photo_side.to_string()),
            ],
        ),
    }
}

/// Why a file that looks like a JPEG or PNG is refused.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    /// It does not decode.
    NotImage,
    /// Its header claims more pixels (or a longer side) than allowed, or decoding it would
    /// take more memory than allowed.
    TooManyPixels,
}

/// `40000000` → "40", `1500000` → "1.5".
fn megapixels(pixels: u64) -> String {
    let (whole, tenth) = (pixels / 1_000_000, pixels % 1_000_000 / 100_000);
    if tenth == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{tenth}")
    }
}

/// The photo's decoder, having read its header only (nothing is decoded yet), held to the
/// limits: its sides, and `photo_memory_bytes` for what it allocates.
fn decoder<'a>(data: &'a [u8], limits: &StorageConfig) -> Result<impl ImageDecoder + 'a, Refused> {
    let mut lim = image::Limits::default();
    lim.max_image_width = Some(limits.max_photo_side);
    lim.max_image_height = Some(limits.max_photo_side);
    lim.max_alloc = Some(limits.photo_memory_bytes);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .map_err(|_| Refused::NotImage)?;
    reader.limits(lim);
    reader.into_decoder().map_err(refused)
}

fn refused(e: image::ImageError) -> Refused {
    match e {
        image::ImageError::Limits(_) => Refused::TooManyPixels,
        _ => Refused::NotImage,
    }
}

/// Reserved beside the picture itself: the small copy, the encoder, the decoder's own rows.
const SLACK: u64 = 4 * MIB;

/// The memory decoding a photo takes, from its header: the decoded picture, a progressive
/// JPEG's coefficients (kept whole until its last scan), a copy of the file and some slack.
/// Refused when it has more pixels than allowed or needs more than `photo_memory_bytes`.
fn memory_needed(data: &[u8], limits: &StorageConfig) -> Result<u64, Refused> {
    let d = decoder(data, limits)?;
    let (w, h) = d.dimensions();
    if u64::from(w) * u64::from(h) > limits.max_photo_pixels {
        return Err(Refused::TooManyPixels);
    }
    let need = d.total_bytes() + progressive_jpeg_coefficients(data) + data.len() as u64 + SLACK;
    if need > limits.photo_memory_bytes {
        return Err(Refused::TooManyPixels);
    }
    Ok(need)
}

/// The bytes a progressive JPEG's decoder keeps for its coefficients (two bytes each, for
/// every 8 × 8 block of every component, as its frame header gives them); 0 for anything
/// else (a baseline JPEG is decoded a row of blocks at a time).
fn progressive_jpeg_coefficients(data: &[u8]) -> u64 {
    if sniff(data) != Some("image/jpeg") {
        return 0;
    }
    let mut i = 2;
    while let Some(&[0xFF, m, a, b]) = data.get(i..i + 4) {
        let len = usize::from(u16::from_be_bytes([a, b]));
        let body = data.get(i + 4..i + 2 + len).unwrap_or_default();
        match m {
            // SOF2, SOF6, SOF10, SOF14: progressive frames
            0xC2 | 0xC6 | 0xCA | 0xCE => return frame_coefficients(body),
            // any other frame, or the first scan: not progressive
            0xC0..=0xCF if m != 0xC4 && m != 0xC8 && m != 0xCC => return 0,
            0xDA | 0xD9 => return 0,
            _ => i += 2 + len,
        }
    }
    0
}

fn frame_coefficients(sof: &[u8]) -> u64 {
    let [_, h1, h0, w1, w0, n, comps @ ..] = sof else {
        return 0;
    };
    let (h, w) = (
        u64::from(u16::from_be_bytes([*h1, *h0])),
        u64::from(u16::from_be_bytes([*w1, *w0])),
    );
    let sampling: Vec<(u64, u64)> = comps
        .chunks(3)
        .take(usize::from(*n))
        .filter_map(|c| c.get(1).map(|s| (u64::from(s >> 4), u64::from(s & 15))))
        .collect();
    let hmax = sampling.iter().map(|s| s.0).max().unwrap_or(1).max(1);
    let vmax = sampling.iter().map(|s| s.1).max().unwrap_or(1).max(1);
    let (mcus_x, mcus_y) = (w.div_ceil(8 * hmax), h.div_ceil(8 * vmax));
    sampling
        .iter()
        .map(|(sh, sv)| mcus_x * mcus_y * sh * sv * 64 * 2)
        .sum()
}

/// The small copy: a JPEG at most `SMALL_SIDE` pixels on its longer side, turned upright by
/// the photo's EXIF orientation.
fn small_copy(data: &[u8], limits: &StorageConfig) -> Result<Vec<u8>, Refused> {
    let mut decoder = decoder(data, limits)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let img = image::DynamicImage::from_decoder(decoder).map_err(refused)?;
    // shrink first, then turn: turning the small copy costs next to nothing
    let mut small = img.thumbnail(SMALL_SIDE, SMALL_SIDE);
    drop(img);
    small.apply_orientation(orientation);
    let mut out = vec![];
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 72);
    small
        .to_rgb8()
        .write_with_encoder(enc)
        .map_err(|_| Refused::NotImage)?;
    Ok(out)
}

/// A JPEG or PNG without its metadata, losslessly (the compressed picture is copied byte for
/// byte): EXIF (the GPS position of where it was taken, the phone, the time), XMP, IPTC,
/// comments, embedded thumbnails, text chunks and whatever follows the picture (some phones
/// append more images) are left out; what draws the picture is kept (JFIF, the ICC colour
/// profile, Adobe's colour transform; PNG's colour and transparency chunks). If the EXIF
/// orientation turned the picture, a new EXIF holding only the orientation is written, so the
/// original still shows upright. Idempotent; other data is returned as it is.
pub fn strip_metadata(data: &[u8]) -> Vec<u8> {
    match sniff(data) {
        Some("image/jpeg") => strip_jpeg(data),
        Some("image/png") => strip_png(data),
        _ => data.to_vec(),
    }
}

/// An EXIF block (TIFF, big-endian) with one entry: the orientation.
fn orientation_exif(o: Orientation) -> Vec<u8> {
    let mut t = b"MM\0\x2A\0\0\0\x08".to_vec();
    t.extend_from_slice(&[0, 1]); // one entry
    t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o.to_exif(), 0, 0]);
    t.extend_from_slice(&[0, 0, 0, 0]); // no next directory
    t
}

/// The orientation an EXIF block (TIFF, with or without JPEG's `Exif\0\0` in front) gives.
fn orientation_of(exif: &[u8]) -> Option<Orientation> {
    Orientation::from_exif_chunk(exif.strip_prefix(b"Exif\0\0").unwrap_or(exif))
        .filter(|o| *o != Orientation::NoTransforms)
}

fn strip_jpeg(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut orientation = None;
    // where a new EXIF segment goes: after a JFIF segment that comes first, else after SOI
    let mut exif_at = out.len();
    let mut first = true;
    let mut i = 2;
    loop {
        // the next marker: 0xFF (fill bytes and stray bytes before it are dropped)
        while data.get(i).is_some_and(|b| *b != 0xFF) {
            i += 1;
        }
        while data.get(i) == Some(&0xFF) {
            i += 1;
        }
        let Some(&m) = data.get(i) else { break };
        i += 1;
        match m {
            0xD9 => break, // end of image: anything after it is dropped
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, m]);
                continue;
            }
            0x00 | 0xD8 => continue,
            _ => {}
        }
        let Some(len) = data
            .get(i..i + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            break;
        };
        if len < 2 {
            break;
        }
        let end = (i + len).min(data.len());
        let body = &data[i + 2..end];
        let keep = match m {
            0xE0 => body.starts_with(b"JFIF\0"),
            0xE1 => {
                if orientation.is_none() && body.starts_with(b"Exif\0\0") {
                    orientation = orientation_of(body);
                }
                false
            }
            0xE2 => body.starts_with(b"ICC_PROFILE\0"),
            0xEE => body.starts_with(b"Adobe"),
            0xE3..=0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(&[0xFF, m]);
            out.extend_from_slice(&data[i..end]);
            if first && m == 0xE0 {
                exif_at = out.len();
            }
        }
        first = false;
        i = end;
        if m == 0xDA {
            // the compressed picture, up to the next marker (0xFF 0x00 is a stuffed 0xFF,
            // 0xFF 0xD0-0xD7 a restart marker: both belong to the picture)
            let start = i;
            while i < data.len() {
                if data[i] == 0xFF
                    && data
                        .get(i + 1)
                        .is_some_and(|n| *n != 0x00 && !(0xD0..=0xD7).contains(n))
                {
                    break;
                }
                i += 1;
            }
            out.extend_from_slice(&data[start..i]);
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    if let Some(o) = orientation {
        let tiff = orientation_exif(o);
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        seg.extend_from_slice(b"Exif\0\0");
        seg.extend_from_slice(&tiff);
        out.splice(exif_at..exif_at, seg);
    }
    out
}

/// PNG chunks that draw the picture and are kept besides the critical ones (IHDR, PLTE,
/// IDAT, IEND): transparency, colour space and gamma, bit depth, pixel size, background.
const PNG_KEEP: &[&[u8; 4]] = &[
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD", b"cICP", b"mDCV",
    b"cLLI",
];

fn strip_png(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut orientation = None;
    let mut before_picture = true;
    let mut i = PNG_SIGNATURE.len();
    while let Some(head) = data.get(i..i + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let Some(end) = (i + 12).checked_add(len).filter(|e| *e <= data.len()) else {
            break;
        };
        if &kind == b"eXIf" && before_picture && orientation.is_none() {
            orientation = orientation_of(&data[i + 8..i + 8 + len]);
        }
        if &kind == b"IDAT" && before_picture {
            before_picture = false;
            if let Some(o) = orientation {
                let tiff = orientation_exif(o);
                out.extend_from_slice(&(tiff.len() as u32).to_be_bytes());
                let typed: Vec<u8> = b"eXIf".iter().chain(&tiff).copied().collect();
                out.extend_from_slice(&typed);
                out.extend_from_slice(&crc32(&typed).to_be_bytes());
            }
        }
        if kind[0].is_ascii_uppercase() || PNG_KEEP.contains(&&kind) {
            out.extend_from_slice(&data[i..end]);
        }
        i = end;
        if &kind == b"IEND" {
            break;
        }
    }
    out
}

/// PNG's CRC-32 (ISO 3309) of a chunk's type and data.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFF_u32;
    for b in bytes {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
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
    /// A water test: the kit or the laboratory's report.
    Sample(i64),
}

/// Write the files and their rows for a work record, a breakdown report, a meeting or a
/// water test.
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
    for p in photos {
        let (file_name, small_name) = write_files(root, gp_id, p)?;
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
                work_photos::sample_id.eq(match owner {
                    Owner::Sample(id) => Some(id),
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

pub fn of_sample(conn: &mut DbConn, sample_id: i64) -> AppResult<Vec<Photo>> {
    Ok(work_photos::table
        .filter(work_photos::sample_id.eq(sample_id))
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

/// Write a checked photo and its small copy under `root/<gp id>/` with new unguessable
/// names: (file name, small copy's name). For areas that keep their own rows of files (a
/// scanned document), like [`store`] does for `work_photos`.
pub fn write_files(root: &str, gp_id: i64, p: &Checked) -> AppResult<(String, String)> {
    let dir = gp_dir(root, gp_id);
    crate::config::create_private_dir(&dir)?;
    let stem = file_stem();
    let ext = if p.mime == "image/png" { "png" } else { "jpg" };
    let (file_name, small_name) = (format!("{stem}.{ext}"), format!("{stem}-small.jpg"));
    crate::config::write_private_file(&dir.join(&file_name), &p.data)?;
    crate::config::write_private_file(&dir.join(&small_name), &p.small)?;
    Ok((file_name, small_name))
}

/// The bytes and type of a stored photo (or its small copy).
pub fn read(root: &str, p: &Photo, small: bool) -> AppResult<(Vec<u8>, &'static str)> {
    read_files(root, p.gp_id, &p.file_name, &p.small_name, &p.mime, small)
}

/// The bytes and type of a file [`write_files`] wrote (or its small copy), stripped of
/// metadata as it is served.
pub fn read_files(
    root: &str,
    gp_id: i64,
    file_name: &str,
    small_name: &str,
    mime: &str,
    small: bool,
) -> AppResult<(Vec<u8>, &'static str)> {
    let dir = gp_dir(root, gp_id);
    if small {
        Ok((std::fs::read(dir.join(small_name))?, "image/jpeg"))
    } else {
        let mime = if mime == "image/png" {
            "image/png"
        } else {
            "image/jpeg"
        };
        // stripped again as it is served: photos stored before originals were stripped
        // are served without their metadata too
        Ok((strip_metadata(&std::fs::read(dir.join(file_name))?), mime))
    }
}

/// The uploaded photos (`photo_1` … `photo_3`, and one more so that too many is reported)
/// of a form's fields.
pub fn photos_from_form(fields: &mut std::collections::HashMap<String, Vec<u8>>) -> Vec<Vec<u8>> {
    (1..=MAX_PHOTOS + 1)
        .filter_map(|i| fields.remove(&format!("photo_{i}")))
        .collect()
}

/// Check photos and make their small copies off the async threads, in turns: first what
/// can be seen without decoding (sizes, types, pixels, the memory decoding needs), then,
/// once that memory and a worker are free (`storage.photo_memory_bytes`, `photo_workers`),
/// the decoding. A burst of uploads waits here instead of decoding every photo at once; a
/// form without photos does not wait.
pub async fn check_photos(
    state: &web::Data<AppState>,
    files: Vec<Vec<u8>>,
) -> AppResult<Result<Vec<Checked>, FieldErrors>> {
    if files.iter().all(|f| f.is_empty()) {
        return Ok(Ok(vec![]));
    }
    let limits = state.config.storage.clone();
    let l = limits.clone();
    let screened = web::block(move || {
        let mut e = FieldErrors::new();
        screen(files, &l, &mut e).ok_or(e)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (files, need) = match screened {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    // owned, and moved into the blocking work: the turn ends when the decoding does, even if
    // the client has gone away and this future was dropped
    let turns = &state.photo_turns;
    let memory = turns.memory.clone().acquire_many_owned(mib(need)).await;
    let worker = turns.workers.clone().acquire_owned().await;
    let (Ok(memory), Ok(worker)) = (memory, worker) else {
        return Err(AppError::Internal("photo turns closed".into()));
    };
    web::block(move || {
        let _turn = (memory, worker);
        let mut e = FieldErrors::new();
        let ok = decode_all(files, &limits, &mut e);
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
    use image::ImageEncoder;

    fn limits() -> StorageConfig {
        crate::config::Config::defaults().storage
    }

    fn with_max_bytes(max: usize) -> StorageConfig {
        StorageConfig {
            max_photo_bytes: max,
            ..limits()
        }
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = std::io::Cursor::new(vec![]);
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let typed: Vec<u8> = kind.iter().chain(data).copied().collect();
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(&typed);
        c.extend_from_slice(&crc32(&typed).to_be_bytes());
        c
    }

    /// A PNG whose header claims `w` × `h` grey pixels, with a few bytes of picture: what a
    /// decompression bomb looks like before it is decoded.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
        let mut out = PNG_SIGNATURE.to_vec();
        out.extend(chunk(b"IHDR", &ihdr));
        out.extend(chunk(b"IDAT", &[0x78, 0x01, 0x63, 0, 0, 0, 1, 0, 1]));
        out.extend(chunk(b"IEND", &[]));
        out
    }

    /// EXIF (big-endian TIFF) as a phone writes it: the maker, the orientation and the GPS
    /// position.
    fn exif_with_gps(orientation: u16) -> Vec<u8> {
        let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
            let mut e = tag.to_be_bytes().to_vec();
            e.extend_from_slice(&kind.to_be_bytes());
            e.extend_from_slice(&count.to_be_bytes());
            e.extend_from_slice(&value);
            e
        };
        // IFD0 at 8: 3 entries (2 + 36 + 4 = 42 bytes), then "PaaniPhone\0" (11) at 50, then
        // the GPS IFD at 62: 3 entries (42 bytes), then its latitude (24) at 104 and the
        // processing method (19) at 128
        let mut t = b"MM\0\x2A\0\0\0\x08".to_vec();
        t.extend_from_slice(&3u16.to_be_bytes());
        t.extend(entry(0x010F, 2, 11, 50u32.to_be_bytes()));
        t.extend(entry(
            0x0112,
            3,
            1,
            [(orientation >> 8) as u8, orientation as u8, 0, 0],
        ));
        t.extend(entry(0x8825, 4, 1, 62u32.to_be_bytes()));
        t.extend_from_slice(&[0, 0, 0, 0]);
        t.extend_from_slice(b"PaaniPhone\0\0"); // and a byte to keep offsets even
        t.extend_from_slice(&3u16.to_be_bytes());
        t.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
        t.extend(entry(0x0002, 5, 3, 104u32.to_be_bytes()));
        t.extend(entry(0x001B, 7, 19, 128u32.to_be_bytes()));
        t.extend_from_slice(&[0, 0, 0, 0]);
        for (n, d) in [(22u32, 1u32), (45, 1), (1234, 100)] {
            t.extend_from_slice(&n.to_be_bytes());
            t.extend_from_slice(&d.to_be_bytes());
        }
        t.extend_from_slice(b"ASCII\0\0\0GPS-AT-HOME");
        assert_eq!(t.len(), 147);
        t
    }

    /// A photo 400 × 300 as stored by the sensor: left half red, right half blue.
    fn sensor_pixels() -> image::RgbImage {
        image::RgbImage::from_fn(400, 300, |x, _| {
            if x < 200 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        })
    }

    fn jpeg_with_exif(exif: Vec<u8>) -> Vec<u8> {
        let img = sensor_pixels();
        let mut out = vec![];
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        enc.set_exif_metadata(exif).unwrap();
        enc.write_image(&img, 400, 300, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn orientation_in(data: &[u8]) -> Orientation {
        image::ImageReader::new(std::io::Cursor::new(data))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap()
            .orientation()
            .unwrap()
    }

    fn keys(e: &FieldErrors) -> Vec<&str> {
        e.0.iter().map(|f| f.key.as_str()).collect()
    }

    #[test]
    fn checks_by_content_and_makes_a_small_copy() {
        let mut e = FieldErrors::new();
        let ok = check(vec![png(1600, 900)], &with_max_bytes(5_000_000), &mut e);
        assert!(e.is_empty());
        assert_eq!(ok[0].mime, "image/png");
        let small = image::load_from_memory(&ok[0].small).unwrap();
        assert_eq!((small.width(), small.height()), (640, 360));
        let mut e = FieldErrors::new();
        check(
            vec![b"<script>alert(1)</script>".to_vec()],
            &with_max_bytes(5_000_000),
            &mut e,
        );
        assert!(e.has("photos"));
        let mut e = FieldErrors::new();
        check(vec![png(10, 10)], &with_max_bytes(10), &mut e);
        assert!(e.has("photos"), "too large");
        let mut e = FieldErrors::new();
        // a JPEG header on garbage is not an image
        check(
            vec![vec![0xFF, 0xD8, 0xFF, 0, 1, 2, 3]],
            &with_max_bytes(5_000_000),
            &mut e,
        );
        assert_eq!(keys(&e), ["photo-not-image"]);
        let mut e = FieldErrors::new();
        check(
            vec![png(2, 2), png(2, 2), png(2, 2), png(2, 2)],
            &with_max_bytes(5_000_000),
            &mut e,
        );
        assert!(e.has("photos"), "at most three");
    }

    #[test]
    fn too_many_pixels_are_refused_from_the_header_before_decoding() {
        // 11,990 × 11,990 grey pixels would take 144 MB to decode; the file is 70 bytes, and
        // its picture data could not even fill the first row: it is refused for its size, not
        // for being broken, so nothing was decoded
        let bomb = png_claiming(11_990, 11_990);
        assert!(bomb.len() < 100);
        let mut e = FieldErrors::new();
        assert!(check(vec![bomb], &limits(), &mut e).is_empty());
        assert_eq!(keys(&e), ["photo-too-many-pixels"]);
        assert_eq!(
            e.0[0].args,
            [("max".into(), "40".into()), ("side".into(), "16000".into())]
        );
        // the same file, allowed its pixels, is a broken picture
        let mut e = FieldErrors::new();
        let roomy = StorageConfig {
            max_photo_pixels: 200_000_000,
            photo_memory_bytes: 200_000_000,
            ..limits()
        };
        check(vec![png_claiming(11_990, 11_990)], &roomy, &mut e);
        assert_eq!(keys(&e), ["photo-not-image"]);
        // each limit on its own: the pixel count, a side, the decoder's memory
        for (l, what) in [
            (
                StorageConfig {
                    max_photo_pixels: 1_000_000,
                    ..limits()
                },
                "pixels",
            ),
            (
                StorageConfig {
                    max_photo_side: 1_000,
                    ..limits()
                },
                "side",
            ),
            (
                StorageConfig {
                    photo_memory_bytes: 6_000_000,
                    ..limits()
                },
                "memory",
            ),
        ] {
            let mut e = FieldErrors::new();
            check(vec![png(1_200, 1_000)], &l, &mut e);
            assert_eq!(keys(&e), ["photo-too-many-pixels"], "{what}");
        }
        let mut e = FieldErrors::new();
        assert_eq!(check(vec![png(1_000, 1_000)], &limits(), &mut e).len(), 1);
        assert_eq!(megapixels(1_500_000), "1.5");
    }

    #[test]
    fn a_progressive_jpeg_needs_memory_for_its_coefficients() {
        // 4000 × 3000, three components, 4:2:0: 2 bytes for each of 1.5 coefficients a pixel
        let sof = |marker: u8| {
            let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, marker, 0, 17, 8];
            j.extend_from_slice(&3000u16.to_be_bytes());
            j.extend_from_slice(&4000u16.to_be_bytes());
            j.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
            j.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
            j
        };
        assert_eq!(
            progressive_jpeg_coefficients(&sof(0xC2)),
            250 * 188 * 64 * 2 * (4 + 1 + 1)
        );
        assert_eq!(progressive_jpeg_coefficients(&sof(0xC0)), 0, "baseline");
        assert_eq!(progressive_jpeg_coefficients(&png(4, 4)), 0);
        assert_eq!(progressive_jpeg_coefficients(&[0xFF, 0xD8, 0xFF]), 0);
    }

    #[test]
    fn the_small_copy_is_upright_by_the_exif_orientation() {
        // orientation 6: the camera was turned; the picture is shown turned 90° clockwise
        let mut e = FieldErrors::new();
        let ok = check(vec![jpeg_with_exif(exif_with_gps(6))], &limits(), &mut e);
        assert!(e.is_empty(), "{e:?}");
        let small = image::load_from_memory(&ok[0].small).unwrap().to_rgb8();
        assert_eq!((small.width(), small.height()), (480, 640), "portrait");
        // the left (red) half is now on top
        let (top, bottom) = (small.get_pixel(240, 80), small.get_pixel(240, 560));
        assert!(top[0] > 150 && top[2] < 100, "{top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "{bottom:?}");
        // without an orientation it stays as it is
        let mut e = FieldErrors::new();
        let ok = check(vec![jpeg_with_exif(exif_with_gps(1))], &limits(), &mut e);
        let small = image::load_from_memory(&ok[0].small).unwrap();
        assert_eq!((small.width(), small.height()), (640, 480));
    }

    #[test]
    fn jpeg_metadata_is_stripped_losslessly_keeping_the_orientation() {
        let mut original = jpeg_with_exif(exif_with_gps(6));
        assert!(contains(&original, b"GPS-AT-HOME") && contains(&original, b"PaaniPhone"));
        // a comment and XMP after the first segment, and an appended picture with its own EXIF
        let com = [&[0xFF, 0xFE, 0, 9][..], b"secret!"].concat();
        let xmp = [
            &[0xFF, 0xE1, 0, 40][..],
            b"http://ns.adobe.com/xap/1.0/\0<lat>22</lat>",
        ]
        .concat();
        original.splice(20..20, com.iter().chain(&xmp).copied());
        original.extend(jpeg_with_exif(exif_with_gps(1)));
        let pixels = image::load_from_memory(&original).unwrap().to_rgb8();

        let clean = strip_metadata(&original);
        for secret in [
            &b"GPS-AT-HOME"[..],
            b"PaaniPhone",
            b"secret!",
            b"<lat>",
            b"xap/1.0",
        ] {
            assert!(!contains(&clean, secret));
        }
        assert!(clean.ends_with(&[0xFF, 0xD9]));
        assert!(
            clean.len() < original.len() / 2 + 100,
            "the appended picture is gone"
        );
        // one EXIF left: the orientation alone
        let exif = clean.windows(6).filter(|w| *w == b"Exif\0\0").count();
        assert_eq!(exif, 1);
        assert_eq!(orientation_in(&clean), Orientation::Rotate90);
        // the picture is the same, byte for byte once decoded
        assert_eq!(image::load_from_memory(&clean).unwrap().to_rgb8(), pixels);
        assert_eq!(strip_metadata(&clean), clean, "idempotent");
        // no orientation to keep: no EXIF at all
        let upright = strip_metadata(&jpeg_with_exif(exif_with_gps(1)));
        assert!(!contains(&upright, b"Exif"));
        assert_eq!(orientation_in(&upright), Orientation::NoTransforms);
        // what is checked is what is stored
        let mut e = FieldErrors::new();
        let ok = check(vec![original], &limits(), &mut e);
        assert_eq!(ok[0].data, clean);
    }

    #[test]
    fn png_metadata_is_stripped_keeping_the_orientation() {
        let img = sensor_pixels();
        let mut raw = vec![];
        let mut enc = image::codecs::png::PngEncoder::new(&mut raw);
        enc.set_exif_metadata(exif_with_gps(8)).unwrap();
        enc.write_image(&img, 400, 300, image::ExtendedColorType::Rgb8)
            .unwrap();
        // a text chunk before the picture and after it
        let idat = raw.windows(4).position(|w| w == b"IDAT").unwrap() - 4;
        let text = chunk(b"tEXt", b"Comment\0GPS-AT-HOME too");
        raw.splice(idat..idat, text.iter().copied());
        let iend = raw.len() - 12;
        raw.splice(iend..iend, chunk(b"zTXt", b"x\0\0junk"));
        assert!(contains(&raw, b"PaaniPhone"));

        let clean = strip_metadata(&raw);
        for secret in [&b"GPS-AT-HOME"[..], b"PaaniPhone", b"tEXt", b"zTXt"] {
            assert!(!contains(&clean, secret));
        }
        assert_eq!(orientation_in(&clean), Orientation::Rotate270);
        assert_eq!(
            image::load_from_memory(&clean).unwrap().to_rgb8(),
            img,
            "the same picture"
        );
        assert_eq!(strip_metadata(&clean), clean, "idempotent");
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
