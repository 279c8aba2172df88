//! Making, checking and restoring backups; the scheduler's daily backup and the one taken
//! before migrations. Plain blocking functions over the configuration: the CLI, the
//! scheduler's thread and the tests call the same ones.

use super::archive::{self, Scratch, Unpacked};
use super::{
    model, pg, BackupFile, FileEntry, Kind, Manifest, TableFigures, FORMAT, PHOTOS_PREFIX,
    POSTGRES_ENTRY, SQLITE_ENTRY,
};
use crate::config::Config;
use crate::db::{Backend, Db, DbConn, DbUrl};
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a long step tells whoever waits (the CLI shows it; the scheduler and tests do not).
pub trait Progress {
    /// A step begins (one line: "copying the database").
    fn step(&mut self, what: &str);
    /// Bytes done of a step's total.
    fn bytes(&mut self, done: u64, total: u64);
}

/// Progress nobody watches.
pub struct Quiet;

impl Progress for Quiet {
    fn step(&mut self, _: &str) {}
    fn bytes(&mut self, _: u64, _: u64) {}
}

fn fail(message: impl Into<String>) -> AppError {
    AppError::Config(message.into())
}

fn io_fail(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> AppError {
    let said = format!("{what} {}", path.display());
    move |e| fail(format!("{said}: {e}"))
}

/// A PostgreSQL connection of its own (not from the pool), in UTC.
fn pg_connect(config: &Config, url: &str) -> AppResult<diesel::PgConnection> {
    let mut c = diesel::PgConnection::establish(&crate::db::with_connect_timeout(
        url,
        config.database.connect_timeout_secs,
    ))
    .map_err(|e| fail(format!("cannot open the PostgreSQL database: {e}")))?;
    c.batch_execute("SET TIME ZONE 'UTC'")?;
    Ok(c)
}

/// Make a file the tools wrote owner-only (0600).
fn private(path: &Path) -> AppResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(io_fail("cannot protect", path))?;
    }
    Ok(())
}

/// A backup just made.
#[derive(Debug)]
pub struct Made {
    pub file: BackupFile,
    pub manifest: Manifest,
    /// Seconds it took.
    pub secs: f64,
}

/// Files removed when dropped unless disarmed (a failed backup leaves no part behind).
struct Leftovers(Vec<PathBuf>);

impl Drop for Leftovers {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A photo to archive: its archive path, where it is, its size.
struct Photo {
    name: String,
    path: PathBuf,
    bytes: u64,
}

/// Every regular file under the photos folder, sorted (symbolic links are not followed).
fn photos(root: &Path) -> AppResult<Vec<Photo>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<Photo>) -> std::io::Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else if kind.is_file() {
                let Ok(rel) = path.strip_prefix(root) else {
                    continue;
                };
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(Photo {
                    name: format!("{PHOTOS_PREFIX}{}", parts.join("/")),
                    bytes: entry.metadata()?.len(),
                    path,
                });
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, root, &mut out).map_err(io_fail("cannot read the photos in", root))?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `'…'` for SQL, quotes doubled.
fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A `file:` URI opening a SQLite file read-only and immutable (no lock, no `-wal`/`-shm`):
/// for a copy nobody else opens.
fn read_only_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

/// Make a backup of the configured database and photos into `to` (default `backup.dir`):
/// see the module documentation for what it holds. `now` (UTC) names it.
pub fn make(
    config: &Config,
    kind: Kind,
    to: Option<&Path>,
    now: NaiveDateTime,
    progress: &mut dyn Progress,
) -> AppResult<Made> {
    let started = std::time::Instant::now();
    let dir = to.unwrap_or(Path::new(&config.backup.dir));
    crate::config::create_private_dir(dir).map_err(io_fail("cannot make the folder", dir))?;
    let name = super::file_name(now, kind);
    let path = dir.join(&name);
    if path.exists() {
        return Err(fail(format!(
            "{} already exists: a backup of the same kind was made this second",
            path.display()
        )));
    }
    let part = dir.join(format!(".{name}.part"));
    let mut leftovers = Leftovers(vec![part.clone()]);
    let url = DbUrl::parse(&config.database.url)?;
    // the database first: every photo its rows name is on disk by then
    let (entry, copy, tables, migration) = match &url {
        DbUrl::Sqlite(file) => {
            let copy = dir.join(format!(".{name}.db"));
            let gz = dir.join(format!(".{name}.db.gz"));
            leftovers.0.extend([copy.clone(), gz.clone()]);
            let (tables, migration) = copy_sqlite(config, file, &copy, progress)?;
            gzip(&copy, &gz, progress)?;
            let _ = std::fs::remove_file(&copy);
            (SQLITE_ENTRY, gz, tables, migration)
        }
        DbUrl::Postgres(url) => {
            let copy = dir.join(format!(".{name}.dump"));
            leftovers.0.push(copy.clone());
            let (tables, migration) = dump_postgres(config, url, &copy, progress)?;
            (POSTGRES_ENTRY, copy, tables, migration)
        }
    };
    let photos = photos(Path::new(&config.storage.photos_dir))?;
    let db_bytes = std::fs::metadata(&copy)
        .map_err(io_fail("cannot read", &copy))?
        .len();
    let total = db_bytes + photos.iter().map(|p| p.bytes).sum::<u64>();
    progress.step(&format!(
        "writing {} ({} database, {} photo files, {} in all)",
        path.display(),
        super::human_bytes(db_bytes),
        photos.len(),
        super::human_bytes(total)
    ));
    let mtime = now.and_utc().timestamp().max(0) as u64;
    let mut writer =
        archive::Writer::create(&part, mtime).map_err(io_fail("cannot write", &part))?;
    let mut done = 0u64;
    let mut tick = |n: u64| {
        done += n;
        progress.bytes(done, total);
    };
    writer
        .add_file(entry, &copy, db_bytes, &mut tick)
        .map_err(io_fail("cannot write", &part))?;
    for p in &photos {
        writer
            .add_file(&p.name, &p.path, p.bytes, &mut tick)
            .map_err(io_fail("cannot write", &part))?;
    }
    let manifest = Manifest {
        format: FORMAT,
        made_at: now,
        kind: kind.as_str().into(),
        paani_version: env!("CARGO_PKG_VERSION").into(),
        backend: url.backend().name().into(),
        migration,
        database: entry.into(),
        tables,
        files: writer.files().to_vec(),
    };
    writer
        .finish(&manifest)
        .map_err(io_fail("cannot write", &part))?;
    // never over another file: a link fails when the name is taken (where links cannot be
    // made, a USB stick's FAT say, the name is checked, then the file renamed)
    match std::fs::hard_link(&part, &path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(io_fail("cannot name the backup", &path)(e))
        }
        Err(_) if !path.exists() => {
            std::fs::rename(&part, &path).map_err(io_fail("cannot name the backup", &path))?
        }
        Err(e) => return Err(io_fail("cannot name the backup", &path)(e)),
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    drop(leftovers);
    let bytes = std::fs::metadata(&path)
        .map_err(io_fail("cannot read", &path))?
        .len();
    Ok(Made {
        file: BackupFile {
            path,
            made_at: now,
            kind,
            bytes,
        },
        manifest,
        secs: started.elapsed().as_secs_f64(),
    })
}

/// SQLite: `VACUUM INTO` a copy (one read transaction: a consistent snapshot, writers carry
/// on), made a plain rollback-journal file; its figures and last migration.
fn copy_sqlite(
    config: &Config,
    file: &Path,
    copy: &Path,
    progress: &mut dyn Progress,
) -> AppResult<(Vec<TableFigures>, Option<String>)> {
    let size = std::fs::metadata(file)
        .map_err(|e| {
            fail(format!(
                "there is no database to back up at {} ({e})",
                file.display()
            ))
        })?
        .len();
    progress.step(&format!(
        "copying the database {} ({}) with VACUUM INTO",
        file.display(),
        super::human_bytes(size)
    ));
    let mut source = diesel::SqliteConnection::establish(&file.to_string_lossy())
        .map_err(|e| fail(format!("cannot open {}: {e}", file.display())))?;
    source.batch_execute(&format!(
        "PRAGMA busy_timeout = {};",
        config.database.sqlite_busy_timeout_ms
    ))?;
    source
        .batch_execute(&format!(
            "VACUUM INTO {}",
            sql_string(&copy.to_string_lossy())
        ))
        .map_err(|e| fail(format!("cannot copy the database: {e}")))?;
    drop(source);
    progress.step("counting the money tables in the copy");
    let mut c = diesel::SqliteConnection::establish(&copy.to_string_lossy())
        .map_err(|e| fail(format!("cannot open the copy: {e}")))?;
    c.batch_execute("PRAGMA journal_mode = DELETE;")?;
    let mut conn = DbConn::Sqlite(c);
    let tables = model::figures(&mut conn)?;
    let migration = model::migration(&mut conn);
    drop(conn);
    private(copy)?;
    Ok((tables, migration))
}

/// Gzip `from` into `to` (fast compression: a database shrinks about four times).
fn gzip(from: &Path, to: &Path, progress: &mut dyn Progress) -> AppResult<()> {
    let total = std::fs::metadata(from)
        .map_err(io_fail("cannot read", from))?
        .len();
    progress.step(&format!(
        "compressing the copy ({})",
        super::human_bytes(total)
    ));
    let mut options = crate::config::private_file_options();
    options.truncate(false).create_new(true);
    let out = options.open(to).map_err(io_fail("cannot write", to))?;
    let mut zip = flate2::write::GzEncoder::new(
        std::io::BufWriter::with_capacity(1 << 20, out),
        flate2::Compression::fast(),
    );
    let mut input = std::fs::File::open(from).map_err(io_fail("cannot read", from))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        use std::io::{Read, Write};
        let n = input.read(&mut buf).map_err(io_fail("cannot read", from))?;
        if n == 0 {
            break;
        }
        zip.write_all(&buf[..n])
            .map_err(io_fail("cannot write", to))?;
        done += n as u64;
        progress.bytes(done, total);
    }
    let out = zip
        .finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .map_err(io_fail("cannot write", to))?;
    out.sync_all().map_err(io_fail("cannot write", to))?;
    Ok(())
}

/// PostgreSQL: one REPEATABLE READ transaction exports its snapshot, reads the figures and
/// keeps the snapshot alive while `pg_dump --snapshot` dumps exactly what it saw.
fn dump_postgres(
    config: &Config,
    url: &str,
    out: &Path,
    progress: &mut dyn Progress,
) -> AppResult<(Vec<TableFigures>, Option<String>)> {
    let version = pg::dump_version(config)?;
    progress.step(&format!("dumping the PostgreSQL database with {version}"));
    let mut c = pg_connect(config, url)?;
    c.batch_execute("SET TIME ZONE 'UTC'; BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;")?;
    #[derive(QueryableByName)]
    struct Snapshot {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let snapshot: Snapshot =
        diesel::sql_query("SELECT pg_export_snapshot() AS id").get_result(&mut c)?;
    let mut conn = DbConn::Pg(c);
    let tables = model::figures(&mut conn)?;
    let migration = model::migration(&mut conn);
    let dumped = pg::dump(config, url, &snapshot.id, out);
    let _ = conn.batch_execute("COMMIT");
    dumped?;
    private(out)?;
    Ok((tables, migration))
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Worth knowing, but the backup is still good.
    Warning,
    /// The backup cannot be trusted.
    Failed,
    /// Not checked here (said why).
    Skipped,
}

/// One line of a check's report.
#[derive(Debug, Clone)]
pub struct Check {
    pub outcome: Outcome,
    pub what: String,
}

/// The report of [`verify`].
#[derive(Debug)]
pub struct Verified {
    pub file: PathBuf,
    pub bytes: u64,
    pub manifest: Option<Manifest>,
    pub checks: Vec<Check>,
}

impl Verified {
    /// No check failed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.outcome != Outcome::Failed)
    }

    fn push(&mut self, outcome: Outcome, what: impl Into<String>) {
        self.checks.push(Check {
            outcome,
            what: what.into(),
        });
    }

    /// The failed checks, one per line.
    pub fn failures(&self) -> String {
        self.checks
            .iter()
            .filter(|c| c.outcome == Outcome::Failed)
            .map(|c| c.what.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Check a backup: the archive and its manifest, every entry's size and checksum against
/// the manifest, then the database itself. SQLite: `PRAGMA integrity_check` and
/// `foreign_key_check` on the copy (extracted into a scratch folder in the system's
/// temporary folder, `TMPDIR`, and opened read-only), its last migration, and the money
/// tables' counts and sums against the manifest; the photos its rows name are in the
/// archive. PostgreSQL: `pg_restore --list` reads the dump (its counts are compared when it
/// is restored). A damaged file is a report with failures, not an error; errors are for
/// what stops the check itself (no such file, no room for the copy).
pub fn verify(config: &Config, file: &Path, progress: &mut dyn Progress) -> AppResult<Verified> {
    let scratch = Scratch::new(&std::env::temp_dir(), "verify")
        .map_err(|e| fail(format!("cannot make a scratch folder: {e}")))?;
    let (report, _) = check_into(config, file, &scratch, false, progress)?;
    Ok(report)
}

/// [`verify`], extracting into `scratch` the database (and the photos too, when asked).
fn check_into(
    config: &Config,
    file: &Path,
    scratch: &Scratch,
    with_photos: bool,
    progress: &mut dyn Progress,
) -> AppResult<(Verified, Unpacked)> {
    let bytes = std::fs::metadata(file)
        .map_err(io_fail("cannot read", file))?
        .len();
    let mut report = Verified {
        file: file.to_path_buf(),
        bytes,
        manifest: None,
        checks: Vec::new(),
    };
    progress.step(&format!(
        "reading {} ({})",
        file.display(),
        super::human_bytes(bytes)
    ));
    let mut done = 0u64;
    let extract = |name: &str| {
        name == SQLITE_ENTRY
            || name == POSTGRES_ENTRY
            || (with_photos && name.starts_with(PHOTOS_PREFIX))
    };
    let unpacked = match archive::unpack(file, scratch.path(), &extract, &mut |n| {
        done += n;
        progress.bytes(done, bytes);
    }) {
        Ok(u) => u,
        Err(e) => {
            report.push(Outcome::Failed, e);
            return Ok((report, Unpacked::default()));
        }
    };
    let manifest = match (&unpacked.manifest, &unpacked.manifest_error) {
        (Some(m), _) if m.format <= FORMAT => m.clone(),
        (Some(m), _) => {
            report.push(
                Outcome::Failed,
                format!(
                    "the manifest is of format {} (made by Paani {}); this Paani reads format {FORMAT}: use a newer one",
                    m.format, m.paani_version
                ),
            );
            return Ok((report, unpacked));
        }
        (None, e) => {
            report.push(
                Outcome::Failed,
                e.clone().unwrap_or_else(|| "no manifest".into()),
            );
            return Ok((report, unpacked));
        }
    };
    report.manifest = Some(manifest.clone());
    report.push(
        Outcome::Ok,
        format!(
            "archive: readable, made {} (India time) by Paani {} on {}, last migration {}",
            crate::web::i18n::format_datetime(manifest.made_at),
            manifest.paani_version,
            manifest.backend,
            manifest.migration.as_deref().unwrap_or("(none)")
        ),
    );
    checksums(&mut report, &manifest, &unpacked);
    for p in &unpacked.problems {
        report.push(Outcome::Failed, p.clone());
    }
    let Some(db) = unpacked.extracted.get(&manifest.database).cloned() else {
        report.push(
            Outcome::Failed,
            format!("the archive has no {}", manifest.database),
        );
        return Ok((report, unpacked));
    };
    if manifest.database == SQLITE_ENTRY {
        progress.step("checking the database copy (integrity_check, foreign keys, counts)");
        check_sqlite(&mut report, &manifest, &unpacked, &db)?;
    } else {
        match pg::list(config, &db) {
            Ok(n) => report.push(
                Outcome::Ok,
                format!("pg_restore reads the dump: {n} entries in its table of contents"),
            ),
            Err(e) => report.push(
                Outcome::Warning,
                format!("the dump's contents were not read ({e})"),
            ),
        }
        report.push(
            Outcome::Skipped,
            "counts and sums: compared with the manifest when the dump is restored",
        );
    }
    Ok((report, unpacked))
}

/// Each entry as found against the manifest: present, same size and checksum; no more.
fn checksums(report: &mut Verified, manifest: &Manifest, unpacked: &Unpacked) {
    let found: HashMap<&str, &FileEntry> = unpacked
        .found
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let listed: HashSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let mut bad = Vec::new();
    for want in &manifest.files {
        match found.get(want.path.as_str()).copied() {
            None => bad.push(format!("{} is missing", want.path)),
            Some(got) if got != want => bad.push(format!(
                "{} differs from the manifest ({} bytes, sha256 {}…; the manifest says {} bytes, {}…)",
                want.path,
                got.bytes,
                &got.sha256[..12],
                want.bytes,
                &want.sha256.get(..12).unwrap_or(&want.sha256)
            )),
            Some(_) => {}
        }
    }
    for got in &unpacked.found {
        if !listed.contains(got.path.as_str()) {
            bad.push(format!("{} is not in the manifest", got.path));
        }
    }
    let photos = manifest.photos().count();
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    if bad.is_empty() {
        report.push(
            Outcome::Ok,
            format!(
                "checksums: the database and {photos} photo files ({}) match the manifest",
                super::human_bytes(bytes)
            ),
        );
    } else {
        let shown = bad.len().min(10);
        report.push(
            Outcome::Failed,
            format!(
                "checksums: {} of {} files wrong: {}{}",
                bad.len(),
                manifest.files.len(),
                bad[..shown].join("; "),
                if bad.len() > shown { "; …" } else { "" }
            ),
        );
    }
}

/// How a figure reads: money as rupees, other numbers grouped.
fn figure(column: &str, value: i64) -> String {
    if column.ends_with("_paise") {
        crate::web::i18n::format_money(value)
    } else {
        crate::web::i18n::group_indian(&value.to_string())
    }
}

/// The tables' figures against the manifest: one line per table.
fn compare_figures(report: &mut Verified, manifest: &Manifest, found: &[TableFigures]) {
    for want in &manifest.tables {
        let got = found.iter().find(|t| t.table == want.table);
        let describe = |t: &TableFigures| {
            let mut s = format!(
                "{} rows",
                crate::web::i18n::group_indian(&t.rows.to_string())
            );
            for (c, v) in &t.sums {
                s.push_str(&format!(", {c} {}", figure(c, *v)));
            }
            s
        };
        match got {
            Some(got) if got == want => {
                report.push(Outcome::Ok, format!("{}: {}", want.table, describe(got)))
            }
            Some(got) => report.push(
                Outcome::Failed,
                format!(
                    "{}: the copy has {}; the manifest says {}",
                    want.table,
                    describe(got),
                    describe(want)
                ),
            ),
            None => report.push(
                Outcome::Failed,
                format!("{}: not counted in the copy", want.table),
            ),
        }
    }
}

fn check_sqlite(
    report: &mut Verified,
    manifest: &Manifest,
    unpacked: &Unpacked,
    db: &Path,
) -> AppResult<()> {
    let mut c = match diesel::SqliteConnection::establish(&read_only_uri(db)) {
        Ok(c) => c,
        Err(e) => {
            report.push(
                Outcome::Failed,
                format!("the database copy does not open: {e}"),
            );
            return Ok(());
        }
    };
    match model::sqlite_integrity(&mut c) {
        Ok(lines) if lines == ["ok"] => report.push(Outcome::Ok, "integrity_check: ok"),
        Ok(lines) => report.push(
            Outcome::Failed,
            format!("integrity_check: {}", lines.join("; ")),
        ),
        Err(e) => report.push(Outcome::Failed, format!("integrity_check failed: {e}")),
    }
    match model::sqlite_broken_references(&mut c) {
        Ok(b) if b.is_empty() => report.push(Outcome::Ok, "foreign keys: every reference holds"),
        Ok(b) => report.push(
            Outcome::Failed,
            format!(
                "foreign keys: broken references {}",
                b.iter()
                    .map(|(k, n)| format!("{k} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Err(e) => report.push(Outcome::Failed, format!("foreign_key_check failed: {e}")),
    }
    let mut conn = DbConn::Sqlite(c);
    let migration = model::migration(&mut conn);
    if migration != manifest.migration {
        report.push(
            Outcome::Failed,
            format!(
                "migration: the copy is at {}, the manifest says {}",
                migration.as_deref().unwrap_or("(none)"),
                manifest.migration.as_deref().unwrap_or("(none)")
            ),
        );
    }
    match model::figures(&mut conn) {
        Ok(found) => compare_figures(report, manifest, &found),
        Err(e) => report.push(Outcome::Failed, format!("cannot count the tables: {e}")),
    }
    match model::photo_paths(&mut conn) {
        Ok(named) => {
            let found: HashSet<&str> = unpacked.found.iter().map(|f| f.path.as_str()).collect();
            let missing = named.iter().filter(|p| !found.contains(p.as_str())).count();
            if named.is_empty() {
                report.push(Outcome::Ok, "photos: the database names none");
            } else if missing == 0 {
                report.push(
                    Outcome::Ok,
                    format!("photos: all {} files the rows name are here", named.len()),
                );
            } else {
                report.push(
                    Outcome::Warning,
                    format!(
                        "photos: {missing} of the {} files the rows name were not in the photos folder when the backup was made",
                        named.len()
                    ),
                );
            }
        }
        Err(e) => report.push(Outcome::Failed, format!("cannot read the photo rows: {e}")),
    }
    Ok(())
}

/// A restore done.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub checks: Vec<Check>,
    /// Photo files put back.
    pub photos: usize,
    /// Where the database that was there went (SQLite with `--force`).
    pub moved_aside: Option<PathBuf>,
    pub secs: f64,
}

/// Put a backup back into the configured database and photos folder, after checking it as
/// [`verify`] does (and, on PostgreSQL, counting the restored tables against the manifest).
/// The database must be empty (SQLite: no file, or an empty one; PostgreSQL: no tables) and
/// the photos folder empty, unless `force`: then SQLite's file is renamed aside
/// (`….replaced-<time>`), PostgreSQL's tables are dropped by `pg_restore --clean`, and the
/// backup's photos are written over those there. Stop the server first.
pub fn restore(
    config: &Config,
    file: &Path,
    force: bool,
    now: NaiveDateTime,
    progress: &mut dyn Progress,
) -> AppResult<Restored> {
    let started = std::time::Instant::now();
    let url = DbUrl::parse(&config.database.url)?;
    let photos_dir = PathBuf::from(&config.storage.photos_dir);
    // refuse before any work
    let occupied = match &url {
        DbUrl::Sqlite(db) => std::fs::metadata(db).map(|m| m.len() > 0).unwrap_or(false),
        DbUrl::Postgres(u) => {
            let mut c = pg_connect(config, u)?;
            model::pg_tables(&mut c)? > 0
        }
    };
    let where_db = match &url {
        DbUrl::Sqlite(db) => format!("a database at {}", db.display()),
        DbUrl::Postgres(u) => format!(
            "tables in the PostgreSQL database {}",
            pg::connection(u).map(|c| c.url).unwrap_or_default()
        ),
    };
    if occupied && !force {
        return Err(fail(format!(
            "there is already {where_db}. A restore goes into an empty database: point \
             --database (or database.url) at a new one, or stop Paani and add --force to \
             replace it{}.",
            match url {
                DbUrl::Sqlite(_) => " (the database there is kept, renamed, beside it)",
                DbUrl::Postgres(_) => " (its tables are dropped)",
            }
        )));
    }
    let photos_there = std::fs::read_dir(&photos_dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if photos_there && !force {
        return Err(fail(format!(
            "the photos folder {} is not empty. A restore puts the backup's photos into an \
             empty folder: set storage.photos_dir to a new one, or add --force to write them \
             over what is there.",
            photos_dir.display()
        )));
    }
    // a scratch folder beside the database (SQLite) or in the data folder, so the files are
    // renamed into place, not copied
    let scratch_parent = match &url {
        DbUrl::Sqlite(db) => db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        DbUrl::Postgres(_) => PathBuf::from(&config.storage.data_dir),
    };
    let scratch = Scratch::new(&scratch_parent, "restore").map_err(|e| {
        fail(format!(
            "cannot make a scratch folder in {}: {e}",
            scratch_parent.display()
        ))
    })?;
    let (report, unpacked) = check_into(config, file, &scratch, true, progress)?;
    let mut checks = report.checks.clone();
    let Some(manifest) = report.manifest.clone().filter(|_| report.ok()) else {
        return Err(fail(format!(
            "the backup did not pass its checks, so nothing was restored: {} (`paani backup \
             --verify {}` shows the whole report)",
            report.failures(),
            file.display()
        )));
    };
    if manifest.backend != url.backend().name() {
        return Err(fail(format!(
            "this is a backup of a {} database; it can only be restored into {} (the \
             database URL names {})",
            manifest.backend,
            manifest.backend,
            url.backend().name()
        )));
    }
    if let (Some(theirs), Some(ours)) = (&manifest.migration, crate::db::newest_known_migration()) {
        if *theirs > ours {
            return Err(fail(format!(
                "the backup was made by Paani {} at migration {theirs}, newer than this \
                 Paani knows ({ours}): restore it with Paani {} or newer",
                manifest.paani_version, manifest.paani_version
            )));
        }
    }
    let db_copy = unpacked
        .extracted
        .get(&manifest.database)
        .cloned()
        .ok_or_else(|| fail("the backup holds no database"))?;
    let mut moved_aside = None;
    match &url {
        DbUrl::Sqlite(target) => {
            progress.step(&format!(
                "putting the database in place at {}",
                target.display()
            ));
            if !occupied && target.exists() {
                // an empty file (a server that opened nothing yet) is no database
                std::fs::remove_file(target).map_err(io_fail("cannot remove", target))?;
            }
            if occupied {
                let aside = target.with_file_name(format!(
                    "{}.replaced-{}",
                    target
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    (now + crate::web::i18n::ist()).format("%Y%m%d-%H%M%S")
                ));
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let from = PathBuf::from(format!("{}{suffix}", target.display()));
                    if from.exists() {
                        let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                        std::fs::rename(&from, &to).map_err(io_fail("cannot move aside", &from))?;
                    }
                }
                moved_aside = Some(aside);
            }
        }
        DbUrl::Postgres(u) => {
            progress.step("restoring the dump with pg_restore");
            pg::restore(config, u, &db_copy, occupied)?;
            let mut conn = DbConn::Pg(pg_connect(config, u)?);
            let mut after = Verified {
                file: file.to_path_buf(),
                bytes: report.bytes,
                manifest: None,
                checks: Vec::new(),
            };
            compare_figures(&mut after, &manifest, &model::figures(&mut conn)?);
            let migration = model::migration(&mut conn);
            if migration != manifest.migration {
                after.push(
                    Outcome::Failed,
                    format!(
                        "migration: the restored database is at {}, the manifest says {}",
                        migration.as_deref().unwrap_or("(none)"),
                        manifest.migration.as_deref().unwrap_or("(none)")
                    ),
                );
            }
            if !after.ok() {
                return Err(fail(format!(
                    "the restored database does not match the backup's manifest: {}",
                    after.failures()
                )));
            }
            checks.retain(|c| c.outcome != Outcome::Skipped);
            checks.extend(after.checks);
        }
    }
    // the photos before the database appears, so that its rows find their files
    progress.step(&format!("putting the photos in {}", photos_dir.display()));
    let mut photos = 0;
    for (name, from) in &unpacked.extracted {
        let Some(rel) = name.strip_prefix(PHOTOS_PREFIX) else {
            continue;
        };
        let to = photos_dir.join(rel);
        if let Some(parent) = to.parent() {
            crate::config::create_private_dir(parent)
                .map_err(io_fail("cannot make the folder", parent))?;
        }
        if std::fs::rename(from, &to).is_err() {
            std::fs::copy(from, &to).map_err(io_fail("cannot write", &to))?;
        }
        photos += 1;
    }
    if let DbUrl::Sqlite(target) = &url {
        std::fs::rename(&db_copy, target).map_err(io_fail("cannot put the database at", target))?;
        if let Some(parent) = target.parent() {
            if let Ok(d) = std::fs::File::open(parent) {
                let _ = d.sync_all();
            }
        }
    }
    Ok(Restored {
        manifest,
        checks,
        photos,
        moved_aside,
        secs: started.elapsed().as_secs_f64(),
    })
}

/// Whether the scheduler's daily backup is due at `now` (UTC): backups on, and the time of
/// day in India past `backup.daily_at` (whether today's is made is the scheduler's record).
pub fn due(config: &Config, now: NaiveDateTime) -> bool {
    let india = now + crate::web::i18n::ist();
    config.backup.enabled && india.time() >= config.backup.daily_at_time()
}

/// The scheduler's daily backup into `backup.dir`, then the daily backups past
/// `keep_daily`/`keep_monthly` deleted (never the one just made). Returns it and the files
/// deleted.
pub fn scheduled(config: &Config, now: NaiveDateTime) -> AppResult<(Made, Vec<PathBuf>)> {
    let made = make(config, Kind::Daily, None, now, &mut Quiet)?;
    let dir = Path::new(&config.backup.dir);
    let files = super::list(dir).map_err(io_fail("cannot list", dir))?;
    let gone = super::to_prune(
        &files,
        config.backup.keep_daily,
        config.backup.keep_monthly,
        &made.file.path,
    );
    for p in &gone {
        std::fs::remove_file(p).map_err(io_fail("cannot delete the old backup", p))?;
    }
    Ok((made, gone))
}

/// Before migrations: when this binary has migrations the database lacks and the database
/// is in use (it has had migrations applied; a new one needs no backup), and
/// `backup.before_migrations` is on, back it up into `backup.dir`. Returns the backup and
/// the versions about to be applied.
pub fn before_migrations(
    config: &Config,
    db: &Db,
    now: NaiveDateTime,
    progress: &mut dyn Progress,
) -> AppResult<Option<(Made, Vec<String>)>> {
    if !config.backup.before_migrations {
        return Ok(None);
    }
    let (applied, pending) = crate::db::migration_status(&mut *db.conn()?)?;
    if applied.is_empty() || pending.is_empty() {
        return Ok(None);
    }
    let made = make(config, Kind::PreMigration, None, now, progress).map_err(|e| {
        fail(format!(
            "{} migration(s) are waiting to be applied, and the backup Paani takes first \
             failed: {e}. Nothing was changed. (If you have a backup of your own, set \
             backup.before_migrations = false to go on without one.)",
            pending.len()
        ))
    })?;
    Ok(Some((made, pending)))
}

/// The backend a configuration's database is on (for messages).
pub fn backend(config: &Config) -> AppResult<Backend> {
    Ok(DbUrl::parse(&config.database.url)?.backend())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_opens_read_only_by_a_safe_uri() {
        assert_eq!(
            read_only_uri(Path::new("/tmp/a b/it's#1?.db")),
            "file:/tmp/a%20b/it%27s%231%3F.db?mode=ro&immutable=1"
        );
        assert_eq!(sql_string("/x/it's.db"), "'/x/it''s.db'");
    }

    #[test]
    fn the_daily_backup_is_due_after_its_time_in_india() {
        let mut config = Config::defaults();
        config.backup.daily_at = "02:30".into();
        let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // 02:29 and 02:30 in India
        assert!(!due(&config, utc("2026-01-14 20:59")));
        assert!(due(&config, utc("2026-01-14 21:00")));
        // 23:59 in India, the same day
        assert!(due(&config, utc("2026-01-15 18:29")));
        config.backup.enabled = false;
        assert!(!due(&config, utc("2026-01-14 21:00")));
    }
}
