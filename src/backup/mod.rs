//! Backups (issue 23): the database, the photos and a manifest in one `.tar` file that an
//! operator can copy around, check and put back.
//!
//! A backup holds, in this order:
//! - the database: `paani.db.gz`, a consistent copy of the SQLite file made with `VACUUM
//!   INTO` while the server runs and writes (never a file copy: the last commits may still be
//!   in the `-wal` file), gzipped (a database shrinks about four times); or `paani.dump`,
//!   `pg_dump --format=custom` of one snapshot (compressed by pg_dump);
//! - `photos/<gp id>/<file>`: every file under `storage.photos_dir`, read after the database
//!   was copied (a photo is written before its row commits, so every row in the copy finds
//!   its file);
//! - `manifest.json` ([`Manifest`]): when and by which Paani it was made, the last migration
//!   applied, the row counts and sums (in paise) of the money tables read in the same
//!   snapshot as the copy, and every other entry's size and SHA-256.
//!
//! Files are named `paani-YYYYMMDD-HHMMSS-<kind>.tar`, the time in India (IST has no daylight
//! saving, so names sort by time), the kind one of [`Kind`]: `daily` (the scheduler's, the
//! only ones [`to_prune`] ever deletes), `manual` (`paani backup`) and `premigration`
//! (taken before a new version's migrations change a database in use). A backup is written
//! as a hidden `.…part` file, flushed to disk, then renamed, so a half-written one never
//! looks like a backup.
//!
//! ## For the rest of Paani
//!
//! - [`latest`]`(&Config) -> Option<BackupFile>`: the newest backup in `backup.dir` (any
//!   kind), with the time it was made (UTC, from its name), its kind, path and size. It
//!   lists one folder and opens no file, so it is cheap enough for every `/metrics` scrape
//!   and health check: the age of the last backup is `now - latest(&config)?.made_at`.
//! - [`list`]: every backup in a folder, oldest first.
//! - `service::make`, `verify`, `restore`: the commands `paani backup`, `paani backup
//!   --verify`, `paani restore`; `service::before_migrations`: the backup `serve`,
//!   `migrate` and the other commands take before migrating a database in use;
//!   `service::scheduled`: the scheduler's daily job (`jobs::BACKUP_JOB`).
//!
//! `model` reads the figures of the manifest over SQL (the same code on both backends),
//! `archive` writes and reads the tar file (hashing as it goes), `pg` runs `pg_dump` and
//! `pg_restore` with the password in the environment, never on a command line.

pub mod archive;
pub mod model;
pub mod pg;
pub mod service;

pub use service::{make, restore, verify, Made, Progress, Quiet, Restored, Verified};

use crate::config::Config;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest's format; a backup of a later format is refused by name.
pub const FORMAT: u32 = 1;
/// The archive's entries.
/// The SQLite copy, gzipped (`gunzip` gives the database file).
pub const SQLITE_ENTRY: &str = "paani.db.gz";
pub const POSTGRES_ENTRY: &str = "paani.dump";
pub const MANIFEST_ENTRY: &str = "manifest.json";
pub const PHOTOS_PREFIX: &str = "photos/";

/// Who made a backup, in its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The scheduler's daily backup: kept as `backup.keep_daily` and `keep_monthly` say.
    Daily,
    /// `paani backup`: never deleted by Paani.
    Manual,
    /// Taken before migrations changed a database in use: never deleted by Paani.
    PreMigration,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Daily, Kind::Manual, Kind::PreMigration];

    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Daily => "daily",
            Kind::Manual => "manual",
            Kind::PreMigration => "premigration",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What `manifest.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// When the database was copied (UTC).
    pub made_at: NaiveDateTime,
    /// [`Kind::as_str`].
    pub kind: String,
    pub paani_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The last migration applied to the copied database (none: never migrated).
    pub migration: Option<String>,
    /// The database's entry: [`SQLITE_ENTRY`] or [`POSTGRES_ENTRY`].
    pub database: String,
    /// The money tables' row counts and sums, read in the copy's snapshot.
    pub tables: Vec<TableFigures>,
    /// Every entry but the manifest, in archive order.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    pub fn photos(&self) -> impl Iterator<Item = &FileEntry> {
        self.files
            .iter()
            .filter(|f| f.path.starts_with(PHOTOS_PREFIX))
    }

    /// A table's figures, by name.
    pub fn table(&self, name: &str) -> Option<&TableFigures> {
        self.tables.iter().find(|t| t.table == name)
    }
}

/// One table's row count and column sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFigures {
    pub table: String,
    pub rows: i64,
    /// Column → sum (paise for the `…_paise` columns).
    pub sums: BTreeMap<String, i64>,
}

/// One entry of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// A backup file found in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    /// When it was made (UTC), from its name.
    pub made_at: NaiveDateTime,
    pub kind: Kind,
    pub bytes: u64,
}

/// The name of a backup made at `made_at` (UTC): `paani-YYYYMMDD-HHMMSS-<kind>.tar`, the
/// time in India.
pub fn file_name(made_at: NaiveDateTime, kind: Kind) -> String {
    let india = made_at + crate::web::i18n::ist();
    format!(
        "paani-{}-{}.tar",
        india.format("%Y%m%d-%H%M%S"),
        kind.as_str()
    )
}

/// The time (UTC) and kind a backup's file name gives; `None` for any other file.
pub fn parse_file_name(name: &str) -> Option<(NaiveDateTime, Kind)> {
    let rest = name.strip_prefix("paani-")?.strip_suffix(".tar")?;
    let (stamp, kind) = (rest.get(..15)?, rest.get(15..)?.strip_prefix('-')?);
    let india = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    Some((india - crate::web::i18n::ist(), Kind::parse(kind)?))
}

/// The backups in `dir`, oldest first (nothing when the folder does not exist).
pub fn list(dir: &Path) -> std::io::Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some((made_at, kind)) = name.to_str().and_then(parse_file_name) else {
            continue;
        };
        let meta = entry.metadata()?;
        if meta.is_file() {
            found.push(BackupFile {
                path: entry.path(),
                made_at,
                kind,
                bytes: meta.len(),
            });
        }
    }
    found.sort_by_key(|f| (f.made_at, f.kind));
    Ok(found)
}

/// The newest backup in `backup.dir`, of any kind (see the module documentation).
pub fn latest(config: &Config) -> Option<BackupFile> {
    list(Path::new(&config.backup.dir)).ok()?.pop()
}

/// The daily backups to delete: all but the newest of each of the last `keep_daily` days
/// that have one, the newest of each of the last `keep_monthly` months that have one (days
/// and months in India), and `keep` (the one just made), whatever its date. Other kinds are
/// never pruned.
pub fn to_prune(
    files: &[BackupFile],
    keep_daily: u32,
    keep_monthly: u32,
    keep: &Path,
) -> Vec<PathBuf> {
    let mut daily: Vec<&BackupFile> = files.iter().filter(|f| f.kind == Kind::Daily).collect();
    daily.sort_by_key(|f| std::cmp::Reverse(f.made_at));
    let day = |f: &BackupFile| crate::web::i18n::today_in_india(f.made_at);
    let month = |d: NaiveDate| (d.year(), d.month());
    let mut kept: Vec<&Path> = vec![keep];
    let (mut days, mut months) = (Vec::new(), Vec::new());
    for f in &daily {
        let d = day(f);
        if !days.contains(&d) && days.len() < keep_daily as usize {
            days.push(d);
            kept.push(&f.path);
        }
        if !months.contains(&month(d)) && months.len() < keep_monthly as usize {
            months.push(month(d));
            kept.push(&f.path);
        }
    }
    daily
        .iter()
        .filter(|f| !kept.contains(&f.path.as_path()))
        .map(|f| f.path.clone())
        .collect()
}

/// 1536 → "1.5 KB": sizes for people (powers of 1024).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn daily(s: &str) -> BackupFile {
        let made_at = at(s);
        BackupFile {
            path: PathBuf::from(file_name(made_at, Kind::Daily)),
            made_at,
            kind: Kind::Daily,
            bytes: 1,
        }
    }

    #[test]
    fn names_carry_the_india_time_and_kind_and_read_back() {
        // 21:00 UTC is 02:30 the next day in India
        let t = at("2026-01-14 21:00");
        assert_eq!(file_name(t, Kind::Daily), "paani-20260115-023000-daily.tar");
        assert_eq!(
            parse_file_name("paani-20260115-023000-daily.tar"),
            Some((t, Kind::Daily))
        );
        assert_eq!(
            parse_file_name(&file_name(t, Kind::PreMigration)),
            Some((t, Kind::PreMigration))
        );
        for other in [
            "paani-20260115-023000-weekly.tar",
            "paani-20260115-0230-daily.tar",
            ".paani-20260115-023000-daily.tar.part",
            "paani-20260115-023000-daily.tar.gz",
            "notes.txt",
        ] {
            assert_eq!(parse_file_name(other), None, "{other}");
        }
    }

    /// Thirty days of one backup a day at 02:30 India time (21:00 UTC the day before), a
    /// second one on some days, and three months before them.
    #[test]
    fn retention_keeps_the_newest_of_each_recent_day_and_month() {
        let mut files = Vec::new();
        for d in 1..=30 {
            files.push(daily(&format!("2026-03-{d:02} 21:00")));
        }
        // a second backup on 31 March (10:00 India time) and on 29 March (10:30)
        files.push(daily("2026-03-31 04:30"));
        files.push(daily("2026-03-29 05:00"));
        files.push(daily("2026-02-10 21:00"));
        files.push(daily("2026-02-20 21:00"));
        files.push(daily("2026-01-05 21:00"));
        files.push(daily("2025-12-31 21:00")); // 1 January 2026 in India
        files.push(daily("2025-12-30 21:00")); // 31 December 2025 in India
        let manual = BackupFile {
            kind: Kind::Manual,
            path: PathBuf::from("paani-20250101-000000-manual.tar"),
            ..daily("2024-12-31 18:30")
        };
        files.push(manual.clone());
        let newest = daily("2026-03-31 04:30").path;
        let gone = to_prune(&files, 7, 3, &newest);
        let mut kept: Vec<String> = files
            .iter()
            .filter(|f| !gone.contains(&f.path))
            .map(|f| f.path.display().to_string())
            .collect();
        kept.sort();
        let mut want: Vec<&str> = vec![
            // the newest of each of the last 7 days that have one (India): 25 to 31 March
            "paani-20260325-023000-daily.tar",
            "paani-20260326-023000-daily.tar",
            "paani-20260327-023000-daily.tar",
            "paani-20260328-023000-daily.tar",
            "paani-20260329-103000-daily.tar",
            "paani-20260330-023000-daily.tar",
            "paani-20260331-100000-daily.tar",
            // the newest of each of the last 3 months: March's is above; February, January
            "paani-20260221-023000-daily.tar",
            "paani-20260106-023000-daily.tar",
            // other kinds are never pruned
            "paani-20250101-000000-manual.tar",
        ];
        want.sort();
        assert_eq!(kept, want);
        assert!(!gone.contains(&manual.path));
    }

    #[test]
    fn the_backup_just_made_is_kept_whatever_its_date() {
        let files = vec![
            daily("2026-03-10 21:00"),
            daily("2026-03-11 21:00"),
            // a clock set back: the new one looks oldest
            daily("2020-01-01 21:00"),
        ];
        let just_made = files[2].path.clone();
        let gone = to_prune(&files, 1, 0, &just_made);
        assert_eq!(gone, vec![files[0].path.clone()]);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(512), "512 bytes");
        assert_eq!(human_bytes(1536), "1.5 KB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024), "3.0 GB");
    }
}
