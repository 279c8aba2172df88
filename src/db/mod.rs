//! The data layer: one binary, SQLite or PostgreSQL chosen by the URL scheme at run time.
//!
//! `DbConn` is a diesel `MultiConnection`; a custom r2d2 manager builds the right variant
//! (the derived `establish` would hide the real error); `Db::run` runs a closure on a pooled
//! connection on the async runtime's blocking pool (`tokio::task::spawn_blocking`, what actix's `web::block`
//! is). The data layer knows no web type and no area. Where the two backends need different code (batch inserts,
//! upserts, `RETURNING`, raw SQL with binds) use [`on_backend!`].

pub mod schema;

use crate::config::{ensure_parent_dir, DatabaseConfig};
use crate::error::AppError;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::PathBuf;
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Run `$body` with `$c` bound to the concrete connection of either backend.
///
/// ```ignore
/// on_backend!(conn, |c| diesel::insert_into(t::table).values(&rows).execute(c))
/// ```
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Sqlite(_) => Backend::Sqlite,
            DbConn::Pg(_) => Backend::Postgres,
        }
    }

    /// SQL for a timestamp column as whole seconds since 1970, rounded down on both backends
    /// (for figures computed over many rows: numbers load much faster than timestamps).
    pub fn epoch_sql(&self, column: &str) -> String {
        match self.backend() {
            Backend::Sqlite => format!("unixepoch({column})"),
            Backend::Postgres => format!("CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, AppError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(AppError::Config(format!(
                "database URL {url:?} is neither sqlite://PATH nor postgres://…"
            )));
        }
        Ok(DbUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Sqlite(_) => Backend::Sqlite,
            DbUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

/// An error while opening a connection: the database's own words.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("{0}")]
    Setup(#[from] diesel::result::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The r2d2 manager that picks the connection variant from the URL.
#[derive(Debug, Clone)]
pub struct ConnManager {
    url: DbUrl,
    cfg: DatabaseConfig,
}

impl ConnManager {
    pub fn new(url: DbUrl, cfg: DatabaseConfig) -> Self {
        ConnManager { url, cfg }
    }

    fn sqlite_pragmas(&self) -> String {
        format!(
            "PRAGMA busy_timeout = {}; PRAGMA journal_mode = {}; PRAGMA synchronous = {}; PRAGMA foreign_keys = {}; PRAGMA cache_size = -{};",
            self.cfg.sqlite_busy_timeout_ms,
            self.cfg.sqlite_journal_mode.to_ascii_uppercase(),
            self.cfg.sqlite_synchronous.to_ascii_uppercase(),
            if self.cfg.sqlite_foreign_keys { "ON" } else { "OFF" },
            self.cfg.sqlite_cache_mib * 1024,
        )
    }
}

impl r2d2::ManageConnection for ConnManager {
    type Connection = DbConn;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConn, ConnectError> {
        match &self.url {
            DbUrl::Sqlite(path) => {
                ensure_parent_dir(path)?;
                create_private_file(path)?;
                let mut c = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                c.batch_execute(&self.sqlite_pragmas())?;
                Ok(DbConn::Sqlite(c))
            }
            DbUrl::Postgres(url) => {
                let url = with_connect_timeout(url, self.cfg.connect_timeout_secs);
                let mut c = diesel::PgConnection::establish(&url)?;
                c.batch_execute("SET TIME ZONE 'UTC'")?;
                Ok(DbConn::Pg(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(ConnectError::Setup)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// A new SQLite database file made empty and owner-only (0600) before SQLite opens it, so
/// the file, and its `-wal` and `-shm` (which take the database file's permissions), are
/// private whatever the process's umask. An existing file is left alone.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let plain = path.to_string_lossy();
    if plain == ":memory:" || plain.starts_with("file:") {
        return Ok(());
    }
    let mut o = crate::config::private_file_options();
    o.truncate(false).create_new(true);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// With a connect timeout in the URL's parameters (libpq's `connect_timeout`), unless it
/// has one.
pub fn with_connect_timeout(url: &str, secs: u64) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={}", secs.max(1))
}

pub type Pool = r2d2::Pool<ConnManager>;
pub type PooledConn = r2d2::PooledConnection<ConnManager>;

/// How many connections the pool holds, how many of them wait unused, and its ceiling
/// (`database.pool_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    pub connections: u32,
    pub idle: u32,
    pub max: u32,
}

/// The pool and the backend it talks to. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// SQLite takes one writer at a time: writers of this process queue here (woken in turn)
    /// instead of sleeping and retrying on SQLITE_BUSY, which gave long tails under load.
    writer: std::sync::Arc<std::sync::Mutex<()>>,
}

impl Db {
    /// Open the database: one direct connection first so a database that is down reports its
    /// real error at once, then the pool.
    pub fn connect(cfg: &DatabaseConfig) -> Result<Db, AppError> {
        let url = DbUrl::parse(&cfg.url)?;
        let backend = url.backend();
        let manager = ConnManager::new(url, cfg.clone());
        let first = r2d2::ManageConnection::connect(&manager).map_err(|e| {
            AppError::Config(format!(
                "cannot open the {} database: {}",
                backend.name(),
                e.to_string().trim()
            ))
        })?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(cfg.pool_size)
            // No connection is opened in the background on PostgreSQL: a one-shot command
            // that exits while a pool worker is inside libpq's connect can die of SIGSEGV in
            // OpenSSL's exit handlers (diesel-rs/diesel#3441), after its work is done. A
            // connection is opened when one is asked for and none is idle.
            .min_idle(Some(u32::from(backend == Backend::Sqlite)))
            // An embedded SQLite file cannot drop a connection the way a server can: asking it
            // `SELECT 1` at every checkout was pure cost (a statement prepared per request).
            .test_on_check_out(backend == Backend::Postgres)
            .connection_timeout(Duration::from_secs(cfg.connect_timeout_secs.max(1)))
            .build(manager)
            .map_err(|e| AppError::Config(format!("database pool: {e}")))?;
        Ok(Db {
            pool,
            backend,
            writer: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool's use now (for `/metrics`).
    pub fn pool_state(&self) -> PoolState {
        let s = self.pool.state();
        PoolState {
            connections: s.connections,
            idle: s.idle_connections,
            max: self.pool.max_size(),
        }
    }

    /// A pooled connection for blocking code (CLI commands, tests).
    pub fn conn(&self) -> Result<PooledConn, AppError> {
        Ok(self.pool.get()?)
    }

    /// Run `f` on a pooled connection on the blocking thread pool.
    pub async fn run<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
    }

    /// Like [`Db::run`], inside one write transaction: everything `f` writes lands, or
    /// nothing does. See [`write_transaction`].
    pub async fn write<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, writer) = (self.pool.clone(), self.writer.clone());
        let sqlite = self.backend == Backend::Sqlite;
        tokio::task::spawn_blocking(move || {
            // the lock is taken before the connection, so waiting writers hold no connection
            let _turn = sqlite.then(|| writer.lock().unwrap_or_else(|e| e.into_inner()));
            let mut conn = pool.get()?;
            write_transaction(&mut conn, f)
        })
        .await
        .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
    }

    /// [`Db::write`] for code already off the async threads (the scheduler's thread, the
    /// CLI): the same writer queue on SQLite, then one write transaction.
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let sqlite = self.backend == Backend::Sqlite;
        let _turn = sqlite.then(|| self.writer.lock().unwrap_or_else(|e| e.into_inner()));
        let mut conn = self.pool.get()?;
        write_transaction(&mut conn, f)
    }

    /// Apply pending migrations; returns the versions applied.
    pub fn migrate(&self) -> Result<Vec<String>, AppError> {
        let mut conn = self.conn()?;
        run_migrations(&mut conn)
    }
}

/// Run `f` in a transaction meant to write. On SQLite it starts with `BEGIN IMMEDIATE`, taking
/// the write lock first (waiting up to `busy_timeout`), so a transaction that reads and then
/// writes cannot fail half-way with SQLITE_BUSY when another writer got in between. Inside an
/// open transaction it becomes a savepoint, like `Connection::transaction`.
pub fn write_transaction<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let in_transaction =
        <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()
            .map(|d| d.is_some())
            .unwrap_or(false);
    if in_transaction {
        return conn.transaction(f);
    }
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => match <DbConn as Connection>::TransactionManager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

pub fn run_migrations(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| AppError::Internal(format!("migration failed: {e}")))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// The versions of the migrations applied to this database (oldest first) and of those
/// this binary holds that are not applied yet. Reading them makes diesel's table of
/// applied migrations when it is missing (a new database).
pub fn migration_status(conn: &mut DbConn) -> Result<(Vec<String>, Vec<String>), AppError> {
    let boxed = |e: Box<dyn std::error::Error + Send + Sync>| {
        AppError::Internal(format!("cannot read the applied migrations: {e}"))
    };
    fn names<M: std::fmt::Display, P: std::fmt::Display>(
        applied: Vec<M>,
        pending: Vec<P>,
    ) -> (Vec<String>, Vec<String>) {
        let mut applied: Vec<String> = applied.iter().map(|v| v.to_string()).collect();
        applied.sort();
        (applied, pending.iter().map(|v| v.to_string()).collect())
    }
    let (applied, pending) = match conn {
        DbConn::Sqlite(c) => {
            let pending = c.pending_migrations(SQLITE_MIGRATIONS).map_err(boxed)?;
            let pending: Vec<String> = pending
                .iter()
                .map(|m| m.name().version().to_string())
                .collect();
            names(c.applied_migrations().map_err(boxed)?, pending)
        }
        DbConn::Pg(c) => {
            let pending = c.pending_migrations(POSTGRES_MIGRATIONS).map_err(boxed)?;
            let pending: Vec<String> = pending
                .iter()
                .map(|m| m.name().version().to_string())
                .collect();
            names(c.applied_migrations().map_err(boxed)?, pending)
        }
    };
    Ok((applied, pending))
}

/// The newest migration this binary holds (the same on both backends).
pub fn newest_known_migration() -> Option<String> {
    use diesel::migration::MigrationSource;
    let migrations: Vec<Box<dyn diesel::migration::Migration<diesel::sqlite::Sqlite>>> =
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS).ok()?;
    migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .max()
}

/// Undo the newest applied migration; returns its version (tests, and an operator's rollback
/// by hand).
pub fn revert_last_migration(conn: &mut DbConn) -> Result<String, AppError> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| AppError::Internal(format!("migration revert failed: {e}")))?;
    Ok(reverted.to_string())
}

pub fn revert_all_migrations(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| AppError::Internal(format!("migration revert failed: {e}")))?;
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}

/// Rewrite `?` placeholders to `$1, $2, …` for PostgreSQL raw SQL.
pub fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    let mut in_str = false;
    for ch in sql.chars() {
        match ch {
            '\'' => {
                in_str = !in_str;
                out.push(ch);
            }
            '?' if !in_str => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Split a long list into chunks that stay under both backends' bind-parameter caps.
pub const MAX_BINDS: usize = 30_000;

/// Raw SQL written with `?` placeholders, as this connection's backend wants it.
pub fn sql_for(conn: &DbConn, sql: &str) -> String {
    match conn.backend() {
        Backend::Sqlite => sql.to_string(),
        Backend::Postgres => pg_placeholders(sql),
    }
}

pub fn chunk_rows(columns_per_row: usize) -> usize {
    (MAX_BINDS / columns_per_row.max(1)).max(1)
}

diesel::define_sql_function! {
    /// SQL `lower(text)`, for case-insensitive search on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// SQL `lower(text)` on a nullable column.
    #[sql_name = "lower"]
    fn lower_opt(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

diesel::define_sql_function! {
    /// SQL `coalesce` of a nullable time and a time: the first that is not null.
    #[sql_name = "coalesce"]
    fn coalesce_time(x: diesel::sql_types::Nullable<diesel::sql_types::Timestamp>, y: diesel::sql_types::Timestamp) -> diesel::sql_types::Timestamp;
}

/// The escape character of every LIKE this crate writes (`.like(p).escape(LIKE_ESCAPE)`).
pub const LIKE_ESCAPE: char = '\\';

/// `%term%` for LIKE, lower-cased, with the user's `%`, `_` and the escape character itself
/// taken literally (escaped with [`LIKE_ESCAPE`], which every `.like` names: SQLite has no
/// default escape character).
pub fn like_pattern(term: &str) -> String {
    let mut p = String::with_capacity(term.len() + 2);
    p.push('%');
    for c in term.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
            p.push(LIKE_ESCAPE);
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        assert_eq!(
            DbUrl::parse("sqlite://data/paani.db").unwrap(),
            DbUrl::Sqlite("data/paani.db".into())
        );
        assert_eq!(
            DbUrl::parse("/tmp/x.db").unwrap(),
            DbUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DbUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DbUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert!(DbUrl::parse("mysql://x").is_err());
    }

    /// `.cargo/config.toml` builds SQLite with the planner stability guarantee, so a cached
    /// statement with `LIMIT ?` is not compiled again each time it is bound.
    #[test]
    fn sqlite_has_the_planner_stability_guarantee() {
        use diesel::sql_types::Integer;
        #[derive(diesel::QueryableByName)]
        struct Used {
            #[diesel(sql_type = Integer)]
            used: i32,
        }
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        let row: Used =
            diesel::sql_query("SELECT sqlite_compileoption_used('ENABLE_QPSG') AS used")
                .get_result(&mut c)
                .unwrap();
        assert_eq!(row.used, 1, "SQLite was built without SQLITE_ENABLE_QPSG");
    }

    #[test]
    fn rewrites_placeholders() {
        assert_eq!(
            pg_placeholders("SELECT ? WHERE a = '?' AND b = ?"),
            "SELECT $1 WHERE a = '?' AND b = $2"
        );
    }
}
