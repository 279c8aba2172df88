//! Photos as a hostile or careless phone sends them: a small PNG claiming a huge picture is
//! refused before it is decoded, with the field's message in the user's language; a portrait
//! photo gets an upright small copy; the original is served without its EXIF (the GPS
//! position of where it was taken), photos stored before that included.

use crate::factories::scheme_in;
use crate::helpers::{Browser, TestApp};
use diesel::prelude::*;
use paani::db::schema::work_photos;
use reqwest::StatusCode;

/// PNG's CRC-32 of a chunk's type and data.
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

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let typed: Vec<u8> = kind.iter().chain(data).copied().collect();
    let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    c.extend_from_slice(&typed);
    c.extend_from_slice(&crc32(&typed).to_be_bytes());
    c
}

/// Bits for a DEFLATE stream, least significant first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.acc |= ((value >> i) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                (self.acc, self.n) = (0, 0);
            }
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A valid PNG of `side` × `side` black pixels whose zlib stream repeats one zero (a
/// literal, then copies of 258 bytes at distance 1 in DEFLATE's fixed codes): 13 bits for
/// every 258 bytes of picture. 11,990 × 11,990 is 144 MB decoded from 906 KB (Python's zlib
/// inflates it to 143,772,090 zeros with a good Adler-32, and every chunk's CRC matches).
fn png_bomb(side: u32) -> Vec<u8> {
    let raw = u64::from(side + 1) * u64::from(side); // a filter byte and the row, per row
    let mut z = Bits::default();
    z.put(1, 1); // the last block
    z.put(1, 2); // fixed Huffman codes
    z.code(0x30, 8); // literal 0
    let (copies, rest) = ((raw - 1) / 258, (raw - 1) % 258);
    for _ in 0..copies {
        z.code(0xC5, 8); // length 258 (symbol 285)
        z.code(0, 5); // distance 1
    }
    for _ in 0..rest {
        z.code(0x30, 8);
    }
    z.code(0, 7); // end of block
    let mut idat = vec![0x78, 0x01];
    idat.extend(z.finish());
    // Adler-32 of zeros: a = 1, b = the count
    idat.extend_from_slice(&((((raw % 65_521) as u32) << 16) | 1).to_be_bytes());
    let mut ihdr = side.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &idat));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// EXIF (big-endian TIFF) as a phone writes it: the maker, the orientation, the GPS position.
fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend_from_slice(&kind.to_be_bytes());
        e.extend_from_slice(&count.to_be_bytes());
        e.extend_from_slice(&value);
        e
    };
    // IFD0 at 8 (3 entries: 42 bytes), the maker at 50, the GPS IFD at 62 (42 bytes), the
    // latitude at 104, the processing method at 128
    let mut t = b"MM\0\x2A\0\0\0\x08".to_vec();
    t.extend_from_slice(&3u16.to_be_bytes());
    t.extend(entry(0x010F, 2, 11, 50u32.to_be_bytes()));
    t.extend(entry(0x0112, 3, 1, [0, orientation as u8, 0, 0]));
    t.extend(entry(0x8825, 4, 1, 62u32.to_be_bytes()));
    t.extend_from_slice(&[0, 0, 0, 0]);
    t.extend_from_slice(b"PaaniPhone\0\0");
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
    t
}

/// A 400 × 300 JPEG as the sensor stored it (left half red, right half blue), with this EXIF
/// spliced in by hand as an APP1 segment after SOI.
fn jpeg_with_exif(exif: &[u8]) -> Vec<u8> {
    let img = image::RgbImage::from_fn(400, 300, |x, _| {
        if x < 200 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut jpeg = vec![];
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut jpeg, 90,
    ))
    .unwrap();
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&u16::try_from(2 + 6 + exif.len()).unwrap().to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(exif);
    jpeg.splice(2..2, app1);
    jpeg
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The EXIF orientation an image's decoder reports.
fn orientation_of(data: &[u8]) -> image::metadata::Orientation {
    use image::ImageDecoder;
    image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap()
        .orientation()
        .unwrap()
}

/// A breakdown report with these photos through the report form, as a phone sends it.
async fn report(b: &Browser, scheme: i64, photos: Vec<Vec<u8>>) -> (StatusCode, String) {
    let token = b.csrf("/breakdowns/new").await;
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("scheme_id", scheme.to_string())
        .text("category", "pipeline")
        .text("supply", "stopped")
        .text("description", "Main line burst near the tank");
    for (i, p) in photos.into_iter().enumerate() {
        form = form.part(
            format!("photo_{}", i + 1),
            reqwest::multipart::Part::bytes(p).file_name("IMG_0001.png"),
        );
    }
    let res = b
        .client
        .post(b.url("/breakdowns"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.text().await.unwrap())
}

/// A member of a new GP with a scheme, logged in: (app, member, scheme).
async fn member_with_scheme(photos_dir: &std::path::Path) -> (TestApp, Browser, i64, i64) {
    let dir = photos_dir.to_string_lossy().into_owned();
    let app = TestApp::spawn_with(|c| c.storage.photos_dir = dir).await;
    let gp = app.gp();
    app.member_of(&gp);
    let (scheme, _) = scheme_in(&app, gp.lgd, "Photo");
    let member = app.login_as(&format!("member-{}", gp.lgd)).await;
    (app, member, scheme, gp.id)
}

/// The photos stored, oldest first: (id, file name).
fn stored(app: &TestApp) -> Vec<(i64, String)> {
    work_photos::table
        .order(work_photos::id)
        .select((work_photos::id, work_photos::file_name))
        .load(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn a_small_png_claiming_a_huge_picture_is_refused_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let (app, member, scheme, _) = member_with_scheme(dir.path()).await;
    let bomb = png_bomb(11_990);
    assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
    let header = image::ImageReader::new(std::io::Cursor::new(&bomb)).with_guessed_format();
    assert_eq!(header.unwrap().into_dimensions().unwrap(), (11_990, 11_990));
    let (s, body) = report(&member, scheme, vec![bomb.clone()]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("A photo may have at most 40 megapixels and 16,000 pixels on a side"),
        "{body}"
    );
    assert!(body.contains("Main line burst near the tank"), "input kept");
    assert_eq!(app.count("breakdowns"), 0);
    assert_eq!(app.count("work_photos"), 0);
    // the same in Hindi
    member.get("/?lang=hi").await;
    let (s, body) = report(&member, scheme, vec![bomb]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("फ़ोटो में ज़्यादा से ज़्यादा 40 मेगापिक्सेल"), "{body}");
    assert_eq!(app.count("breakdowns"), 0);
}

#[tokio::test]
async fn a_portrait_photo_gets_an_upright_small_copy_and_is_served_without_its_gps() {
    let dir = tempfile::tempdir().unwrap();
    let (app, member, scheme, _) = member_with_scheme(dir.path()).await;
    // orientation 6: the phone was held upright, the sensor stored the picture on its side
    let portrait = jpeg_with_exif(&exif_with_gps(6));
    let landscape = jpeg_with_exif(&exif_with_gps(1));
    assert!(contains(&portrait, b"GPS-AT-HOME") && contains(&landscape, b"Exif\0\0"));
    let (s, body) = report(&member, scheme, vec![portrait, landscape]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let photos = stored(&app);
    assert_eq!(photos.len(), 2);

    let small = member.get(&format!("/photos/{}/small", photos[0].0)).await;
    assert_eq!(small.status(), StatusCode::OK);
    let small = image::load_from_memory(&small.bytes().await.unwrap())
        .unwrap()
        .to_rgb8();
    assert_eq!((small.width(), small.height()), (480, 640), "upright");
    let top = small.get_pixel(240, 80);
    assert!(top[0] > 150 && top[2] < 100, "the red half on top: {top:?}");
    let small = member.get(&format!("/photos/{}/small", photos[1].0)).await;
    let small = image::load_from_memory(&small.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (640, 480), "as it was");

    // the originals: no GPS position, no maker; the turned one keeps its orientation alone
    let full = member.get(&format!("/photos/{}/full", photos[0].0)).await;
    assert_eq!(full.headers()["content-type"], "image/jpeg");
    let full = full.bytes().await.unwrap();
    assert!(!contains(&full, b"GPS-AT-HOME") && !contains(&full, b"PaaniPhone"));
    assert_eq!(
        orientation_of(&full),
        image::metadata::Orientation::Rotate90
    );
    let exif_at = full.windows(6).position(|w| w == b"Exif\0\0").unwrap();
    assert_eq!(
        &full[exif_at - 4..exif_at],
        &[0xFF, 0xE1, 0, 34],
        "one EXIF entry, nothing else"
    );
    let full = member.get(&format!("/photos/{}/full", photos[1].0)).await;
    let full = full.bytes().await.unwrap();
    assert!(!contains(&full, b"Exif"), "no EXIF at all");
    assert!(!contains(&full, b"GPS-AT-HOME"));
    assert_eq!(image::load_from_memory(&full).unwrap().width(), 400);
    // and on disk: what was stored is already clean
    for (_, name) in &photos {
        let path = walk(dir.path()).into_iter().find(|p| p.ends_with(name));
        let on_disk = std::fs::read(path.expect("the file")).unwrap();
        assert!(!contains(&on_disk, b"GPS-AT-HOME"));
    }
}

#[tokio::test]
async fn photos_stored_with_their_exif_are_served_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let (app, member, scheme, _) = member_with_scheme(dir.path()).await;
    let (s, _) = report(&member, scheme, vec![jpeg_with_exif(&exif_with_gps(1))]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (id, name) = stored(&app).remove(0);
    // as an older version kept it: the file as uploaded, EXIF and all
    let path = walk(dir.path())
        .into_iter()
        .find(|p| p.ends_with(&name))
        .unwrap();
    std::fs::write(&path, jpeg_with_exif(&exif_with_gps(1))).unwrap();
    let full = member.get(&format!("/photos/{id}/full")).await;
    assert_eq!(full.status(), StatusCode::OK);
    let full = full.bytes().await.unwrap();
    assert!(!contains(&full, b"Exif") && !contains(&full, b"GPS-AT-HOME"));
    assert_eq!(image::load_from_memory(&full).unwrap().height(), 300);
}

/// Every file under a folder.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
