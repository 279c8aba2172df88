//! `pg_dump` and `pg_restore`. The database URL goes to them without its password (as
//! `--dbname`); the password goes in `PGPASSWORD`, in the child's environment only, so it is
//! never on a command line (`ps` shows those to every user) nor in a message.

use crate::config::Config;
use crate::error::{AppError, AppResult};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The connection for a PostgreSQL tool: the URL without its password, and the password.
#[derive(Debug, PartialEq, Eq)]
pub struct Connection {
    pub url: String,
    pub password: Option<String>,
}

/// Split a `postgres://` URL into what may be shown and the password (from the user part
/// or a `password=` parameter, percent-decoded).
pub fn connection(url: &str) -> AppResult<Connection> {
    let mut u = url::Url::parse(url)
        .map_err(|e| AppError::Config(format!("the PostgreSQL URL is not valid: {e}")))?;
    let mut password = u.password().map(percent_decode);
    let _ = u.set_password(None);
    let pairs: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    if pairs.iter().any(|(k, _)| k == "password") {
        let mut kept = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            if k == "password" {
                password = Some(v.clone());
            } else {
                kept.append_pair(k, v);
            }
        }
        let query = kept.finish();
        u.set_query((!query.is_empty()).then_some(query.as_str()));
    }
    Ok(Connection {
        url: u.to_string(),
        password: password.filter(|p| !p.is_empty()),
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path of a PostgreSQL client program: in `backup.pg_bin_dir`, or found on the PATH.
pub fn program(config: &Config, name: &str) -> PathBuf {
    if config.backup.pg_bin_dir.trim().is_empty() {
        PathBuf::from(name)
    } else {
        Path::new(config.backup.pg_bin_dir.trim()).join(name)
    }
}

/// What to do when a program is missing.
fn missing(config: &Config, name: &str) -> AppError {
    let looked = if config.backup.pg_bin_dir.trim().is_empty() {
        "on the PATH".to_string()
    } else {
        format!("in {} (backup.pg_bin_dir)", config.backup.pg_bin_dir.trim())
    };
    AppError::Config(format!(
        "{name} was not found {looked}. Backups of a PostgreSQL database are made with \
         PostgreSQL's own {name}: install the PostgreSQL client programs of your server's \
         major version or newer (Debian or Ubuntu: `apt install postgresql-client`, or \
         postgresql-client-16 for version 16) and, if they are not on the PATH, set \
         backup.pg_bin_dir (e.g. /usr/lib/postgresql/16/bin). If you back PostgreSQL up \
         another way (pg_basebackup with WAL archiving, say), set backup.enabled = false \
         and backup.before_migrations = false."
    ))
}

/// A command for `name` against `url`: `--dbname` without the password, the password in
/// `PGPASSWORD`, never a prompt.
fn command(config: &Config, name: &str, url: &str) -> AppResult<Command> {
    let c = connection(url)?;
    let mut cmd = Command::new(program(config, name));
    cmd.arg("--no-password")
        .arg(format!("--dbname={}", c.url))
        .env(
            "PGCONNECT_TIMEOUT",
            config.database.connect_timeout_secs.max(1).to_string(),
        )
        .stdin(std::process::Stdio::null());
    if let Some(p) = c.password {
        cmd.env("PGPASSWORD", p);
    }
    Ok(cmd)
}

/// Run a tool; its stderr (or its exit status) is the error.
fn run(config: &Config, name: &str, mut cmd: Command) -> AppResult<String> {
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => missing(config, name),
        _ => AppError::Config(format!("cannot run {name}: {e}")),
    })?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(AppError::Config(format!(
            "{name} failed ({}): {}",
            out.status,
            said.trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `pg_dump --version`, or what to install.
pub fn dump_version(config: &Config) -> AppResult<String> {
    let mut cmd = Command::new(program(config, "pg_dump"));
    cmd.arg("--version");
    run(config, "pg_dump", cmd).map(|s| s.trim().to_string())
}

/// `pg_dump --format=custom` of `url` into `out`, as of `snapshot` (a snapshot exported by
/// the transaction that read the manifest's figures).
pub fn dump(config: &Config, url: &str, snapshot: &str, out: &Path) -> AppResult<()> {
    let mut cmd = command(config, "pg_dump", url)?;
    cmd.arg("--format=custom")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(out);
    run(config, "pg_dump", cmd).map(|_| ())
}

/// The number of entries in a dump's table of contents (`pg_restore --list`): the dump can
/// be read.
pub fn list(config: &Config, dump: &Path) -> AppResult<usize> {
    let mut cmd = Command::new(program(config, "pg_restore"));
    cmd.arg("--list").arg(dump);
    let toc = run(config, "pg_restore", cmd)?;
    Ok(toc
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .count())
}

/// `pg_restore` of `dump` into `url`, in one transaction, without the source's owners and
/// grants; `clean` drops what is there first.
pub fn restore(config: &Config, url: &str, dump: &Path, clean: bool) -> AppResult<()> {
    let mut cmd = command(config, "pg_restore", url)?;
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]);
    if clean {
        cmd.args(["--clean", "--if-exists"]);
    }
    cmd.arg(dump);
    run(config, "pg_restore", cmd).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            connection("postgres://paani:s%40cret%3A1@db.local:5433/paani?sslmode=require")
                .unwrap(),
            Connection {
                url: "postgres://paani@db.local:5433/paani?sslmode=require".into(),
                password: Some("s@cret:1".into()),
            }
        );
        assert_eq!(
            connection("postgresql://u@h/d?password=p%26w&connect_timeout=5").unwrap(),
            Connection {
                url: "postgresql://u@h/d?connect_timeout=5".into(),
                password: Some("p&w".into()),
            }
        );
        assert_eq!(
            connection("postgres://postgres@127.0.0.1:5432/x").unwrap(),
            Connection {
                url: "postgres://postgres@127.0.0.1:5432/x".into(),
                password: None,
            }
        );
    }

    #[test]
    fn the_password_is_in_the_environment_not_the_arguments() {
        let config = Config::defaults();
        let cmd = command(&config, "pg_dump", "postgres://u:hunter22@h/d").unwrap();
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(args.iter().all(|a| !a.contains("hunter22")), "{args:?}");
        assert!(args.contains(&"--dbname=postgres://u@h/d".to_string()));
        let env: Vec<(String, String)> = cmd
            .get_envs()
            .filter_map(|(k, v)| {
                Some((
                    k.to_string_lossy().into_owned(),
                    v?.to_string_lossy().into_owned(),
                ))
            })
            .collect();
        assert!(env.contains(&("PGPASSWORD".into(), "hunter22".into())));
    }
}
