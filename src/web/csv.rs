//! CSV in and out: UTF-8 with a byte-order mark (so Excel shows Hindi correctly) for exports;
//! for imports, reading a file with a header row into rows of named fields, with line numbers
//! as a text editor counts them, and the row-by-row report.

use crate::error::{AppError, AppResult, FieldError};
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::HttpResponse;
use futures_util::StreamExt;
use serde::Serialize;
use std::collections::HashMap;

pub const MAX_ROWS: usize = 50_000;

/// One problem in an imported file.
#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    /// 1-based line number in the file (0: the file as a whole).
    pub line: usize,
    pub error: FieldError,
}

pub fn row_error(line: usize, field: &str, key: &str, args: Vec<(String, String)>) -> RowError {
    RowError {
        line,
        error: FieldError {
            field: field.into(),
            key: key.into(),
            args,
        },
    }
}

/// What an import did (or, with errors, why it did nothing).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows identical to what is stored already.
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    /// True when the file was only checked.
    pub dry_run: bool,
}

/// The 1-based line a record starting at `byte` is on, as a text editor counts lines (blank
/// lines before the record are skipped, line breaks inside quoted fields count).
pub fn line_of(text: &str, byte: usize) -> usize {
    let bytes = text.as_bytes();
    let mut b = byte.min(bytes.len());
    while b < bytes.len() && (bytes[b] == b'\n' || bytes[b] == b'\r') {
        b += 1;
    }
    1 + bytes[..b].iter().filter(|c| **c == b'\n').count()
}

/// [`line_of`] for records met in file order: counts each line break once, so reading a long
/// file stays linear (asking `line_of` afresh per record re-counts from the start every time).
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// Line breaks in `bytes[..upto]`.
    upto: usize,
    breaks: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            upto: 0,
            breaks: 0,
        }
    }

    fn line_of(&mut self, byte: usize) -> usize {
        let bytes = self.bytes;
        let mut b = byte.min(bytes.len());
        while b < bytes.len() && (bytes[b] == b'\n' || bytes[b] == b'\r') {
            b += 1;
        }
        if b < self.upto {
            (self.upto, self.breaks) = (0, 0);
        }
        self.breaks += bytes[self.upto..b].iter().filter(|c| **c == b'\n').count();
        self.upto = b;
        1 + self.breaks
    }
}

/// The file's text without a byte-order mark.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data)
        .trim_start_matches('\u{feff}')
        .to_string()
}

/// Records of a CSV text with their line numbers; blank records are skipped.
pub fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, Vec<RowError>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = vec![];
    let mut errors = vec![];
    let mut lines = LineCounter::new(text);
    for (i, rec) in rdr.records().enumerate() {
        match rec {
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| lines.line_of(p.byte() as usize))
                    .unwrap_or(i + 1);
                errors.push(row_error(line, "-", "import-row-unreadable", vec![]));
            }
            Ok(r) => {
                if r.iter().all(|f| f.is_empty()) {
                    continue;
                }
                let line = r
                    .position()
                    .map(|p| lines.line_of(p.byte() as usize))
                    .unwrap_or(i + 1);
                if out.len() > MAX_ROWS {
                    errors.push(row_error(
                        line,
                        "-",
                        "import-too-many-rows",
                        vec![("max".into(), MAX_ROWS.to_string())],
                    ));
                    break;
                }
                if r.iter().any(crate::web::input::has_forbidden) {
                    errors.push(row_error(
                        line,
                        "-",
                        crate::web::input::CONTROL_CHARS,
                        vec![],
                    ));
                    continue;
                }
                out.push((line, r.iter().map(str::to_string).collect()));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A record as `{column: value}`, with its line number.
pub type NamedRow = (usize, serde_json::Map<String, serde_json::Value>);

/// A file whose first record names its columns: each later record as `{column: value}`.
/// Every column must be one of `allowed`, and each of `required` must be present.
pub fn named_rows(
    data: &[u8],
    allowed: &[&str],
    required: &[&str],
) -> Result<Vec<NamedRow>, Vec<RowError>> {
    let text = text_of(data);
    let recs = records(&text)?;
    let Some(((hline, header), rest)) = recs.split_first() else {
        return Err(vec![row_error(0, "-", "import-empty", vec![])]);
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut errors = vec![];
    for n in &names {
        if !allowed.contains(&n.as_str()) {
            errors.push(row_error(
                *hline,
                n,
                "import-unknown-column",
                vec![("column".into(), n.clone())],
            ));
        }
    }
    for r in required {
        if !names.iter().any(|n| n == r) {
            errors.push(row_error(
                *hline,
                r,
                "import-missing-column",
                vec![("column".into(), r.to_string())],
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rest.is_empty() {
        return Err(vec![row_error(0, "-", "import-empty", vec![])]);
    }
    let mut rows = vec![];
    for (line, fields) in rest {
        if fields.len() > names.len() {
            errors.push(row_error(*line, "-", "import-row-columns", vec![]));
            continue;
        }
        let mut m = serde_json::Map::new();
        for (i, n) in names.iter().enumerate() {
            m.insert(
                n.clone(),
                serde_json::Value::String(fields.get(i).cloned().unwrap_or_default()),
            );
        }
        rows.push((*line, m));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// How exports write a UTC timestamp (their columns say `_utc`): to the second.
pub const UTC: &str = "%Y-%m-%d %H:%M:%S";

/// Paise as a plain rupee amount for a spreadsheet cell (`-1234.05`), in whole-number
/// arithmetic.
pub fn rupees(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let abs = paise.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading apostrophe (OWASP's advice for CSV injection). A plain
/// number (`-1234.05`, `42`) is left as it is, so amounts stay numbers. Every cell of every
/// export passes through here (the writers below call it); handlers hand over plain text.
fn safe_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let plain_number = || {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
        !whole.is_empty()
            && !frac.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !plain_number() => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Write one record, every cell defused ([`safe_cell`]).
fn write_safe<W: std::io::Write>(w: &mut csv::Writer<W>, row: &[impl AsRef<str>]) -> AppResult<()> {
    w.write_record(row.iter().map(|c| safe_cell(c.as_ref()).into_owned()))
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A CSV download: UTF-8 with BOM, `header` then `rows`, written in memory (for short files).
pub fn response(
    filename: &str,
    header_row: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> AppResult<HttpResponse> {
    let mut w = csv::WriterBuilder::new().from_writer(vec![0xEF, 0xBB, 0xBF]);
    write_safe(&mut w, header_row)?;
    for r in rows {
        write_safe(&mut w, &r)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// Rows a streamed export hands over: `emit(row)` for each, in order.
pub type Emit<'a> = dyn FnMut(Vec<String>) -> AppResult<()> + 'a;

/// Bytes gathered before a chunk goes out.
const CHUNK: usize = 32 * 1024;

/// A CSV download written while it is read: `produce` runs on the blocking pool with its own
/// database connection and emits rows; they leave in chunks of about 32 KB through a channel
/// of four, so memory stays at a few chunks whatever the size, and a slow reader holds the
/// query back. Check scope and filters before calling: once streaming, the status is sent.
/// A failure part-way is logged and cuts the download short (the client sees it incomplete).
pub fn stream<F>(
    db: &crate::db::Db,
    filename: &str,
    header_row: &[&str],
    produce: F,
) -> HttpResponse
where
    F: FnOnce(&mut crate::db::DbConn, &mut Emit) -> AppResult<()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<actix_web::web::Bytes, AppError>>(4);
    let header_row: Vec<String> = header_row.iter().map(|h| h.to_string()).collect();
    let db = db.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let send = |bytes: Vec<u8>| {
            tx.blocking_send(Ok(actix_web::web::Bytes::from(bytes)))
                .map_err(|_| AppError::Internal("download abandoned".into()))
        };
        let result = (|| -> AppResult<()> {
            let mut w = csv::WriterBuilder::new().from_writer(vec![0xEF, 0xBB, 0xBF]);
            write_safe(&mut w, &header_row)?;
            let mut conn = db.conn()?;
            let mut emit = |row: Vec<String>| -> AppResult<()> {
                write_safe(&mut w, &row)?;
                if w.get_ref().len() >= CHUNK {
                    let full = std::mem::replace(&mut w, csv::Writer::from_writer(Vec::new()));
                    send(
                        full.into_inner()
                            .map_err(|e| AppError::Internal(e.to_string()))?,
                    )?;
                }
                Ok(())
            };
            produce(&mut conn, &mut emit)?;
            let rest = w
                .into_inner()
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if !rest.is_empty() {
                send(rest)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            tracing::error!(error = %e, "CSV export stopped part-way");
            let _ = tx.blocking_send(Err(e));
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body)
}

/// Page through a list for a streamed export: `page(n)` gives page `n` (from 1) of `size`
/// rows; stops after a short page.
pub fn each_page<T>(
    conn: &mut crate::db::DbConn,
    size: i64,
    mut page: impl FnMut(
        &mut crate::db::DbConn,
        crate::web::pagination::PageRequest,
    ) -> AppResult<Vec<T>>,
    mut each: impl FnMut(&mut crate::db::DbConn, Vec<T>) -> AppResult<()>,
) -> AppResult<()> {
    let mut n = 1;
    loop {
        let rows = page(
            conn,
            crate::web::pagination::PageRequest::new(Some(n), size),
        )?;
        let short = (rows.len() as i64) < size;
        each(conn, rows)?;
        if short {
            return Ok(());
        }
        n += 1;
    }
}

/// The fields of a multipart form (an upload), each at most `max` bytes in all.
pub async fn read_upload(
    mut payload: Multipart,
    max: usize,
) -> AppResult<HashMap<String, Vec<u8>>> {
    let mut out = HashMap::new();
    let mut total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| AppError::BadRequest("error-bad-upload".into()))?;
        let name = field.name().unwrap_or("").to_string();
        let mut buf = vec![];
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest("error-bad-upload".into()))?;
            total += chunk.len();
            if total > max {
                return Err(AppError::BadRequest("error-too-large".into()));
            }
            buf.extend_from_slice(&chunk);
        }
        out.insert(name, buf);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_rows_check_columns() {
        let ok = named_rows(
            b"\xEF\xBB\xBFname,kind\nPump 1,pump\n\n\"Tank\nA\",ohsr\n",
            &["name", "kind", "notes"],
            &["name"],
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].0, 2);
        assert_eq!(ok[1].0, 4);
        assert_eq!(ok[1].1["name"], "Tank\nA");
        let e = named_rows(b"nme,kind\nx,y\n", &["name", "kind"], &["name"]).unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(named_rows(b"name\n", &["name"], &["name"]).is_err());
    }

    #[test]
    fn counted_lines_match_line_of() {
        let text = "a\n\n\"b\nc\"\r\nd\n\n\ne";
        let mut lines = LineCounter::new(text);
        for byte in [0, 2, 3, 8, 10, 11, 14] {
            assert_eq!(lines.line_of(byte), line_of(text, byte), "at {byte}");
        }
        assert_eq!(lines.line_of(0), 1, "going back starts again");
    }
}
