use paani::config::{Config, Sources};

fn env(pairs: &[(&str, &str)]) -> Sources {
    Sources {
        file: None,
        env: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[test]
fn defaults_load_and_document_every_option() {
    let c = Config::defaults();
    assert_eq!(c.server.listen, "127.0.0.1:8080");
    // under the data folder, `data` in the working directory, as before it was a setting
    let data = std::env::current_dir().unwrap().join("data");
    assert_eq!(c.storage.data_dir, data.display().to_string());
    assert_eq!(
        c.database.url,
        format!("sqlite://{}", data.join("paani.db").display())
    );
    assert_eq!(c.database.sqlite_synchronous, "FULL");
    assert_eq!(c.auth.password_min_length, 10);
    // every key in default.toml has a comment line above it
    let text = paani::config::DEFAULT_TOML;
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.contains(" = ") && !l.starts_with('#') {
            assert!(
                lines[..i]
                    .last()
                    .is_some_and(|p| p.starts_with('#') || p.contains(" = ")),
                "undocumented: {l}"
            );
        }
    }
}

#[test]
fn file_then_env_then_database_url() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paani.toml");
    std::fs::write(
        &path,
        "[server]\nlisten = \"0.0.0.0:9000\"\npage_size = 40\n",
    )
    .unwrap();
    let mut s = env(&[
        ("PAANI__SERVER__PAGE_SIZE", "50"),
        ("DATABASE_URL", "postgres://x@y/z"),
    ]);
    s.file = Some(path.to_string_lossy().into_owned());
    let c = Config::load(&s).unwrap();
    assert_eq!(c.server.listen, "0.0.0.0:9000");
    assert_eq!(c.server.page_size, 50, "env wins over the file");
    assert_eq!(c.database.url, "postgres://x@y/z");
}

#[test]
fn unknown_keys_are_errors_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[server]\nlisten = \"x\"\nlistn = \"typo\"\n").unwrap();
    let s = Sources {
        file: Some(path.to_string_lossy().into_owned()),
        env: vec![],
    };
    let e = Config::load(&s).unwrap_err().to_string();
    assert!(e.contains("server.listn"), "{e}");

    std::fs::write(&path, "[serverz]\nlisten = \"x\"\n").unwrap();
    let e = Config::load(&s).unwrap_err().to_string();
    assert!(e.contains("serverz"), "{e}");

    let e = Config::load(&env(&[("PAANI__AUTH__NOPE", "1")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("auth.nope"), "{e}");
}

#[test]
fn bad_values_are_errors() {
    let e = Config::load(&env(&[("PAANI__SERVER__PAGE_SIZE", "many")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("server.page_size"), "{e}");
    let e = Config::load(&env(&[("PAANI__I18N__DEFAULT_LANG", "fr")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("default_lang"), "{e}");
    let e = Config::load(&env(&[(
        "PAANI__DATABASE__SQLITE_SYNCHRONOUS",
        "sometimes",
    )]))
    .unwrap_err()
    .to_string();
    assert!(e.contains("sqlite_synchronous"), "{e}");
    // money limits: positive, capital at least the amount, both under the ceilings that keep
    // sums inside 64 bits
    for (pairs, key) in [
        (
            vec![("PAANI__MONEY__MAX_AMOUNT_RUPEES", "0")],
            "max_amount_rupees",
        ),
        (
            vec![("PAANI__MONEY__MAX_AMOUNT_RUPEES", "92233720368547758")],
            "max_amount_rupees",
        ),
        (
            vec![
                ("PAANI__MONEY__MAX_AMOUNT_RUPEES", "5000"),
                ("PAANI__MONEY__MAX_CAPITAL_RUPEES", "4999"),
            ],
            "max_capital_rupees",
        ),
    ] {
        let e = Config::load(&env(&pairs)).unwrap_err().to_string();
        assert!(e.contains(key), "{pairs:?}: {e}");
    }
    let c = Config::load(&env(&[("PAANI__MONEY__MAX_AMOUNT_RUPEES", "25000")])).unwrap();
    assert_eq!(c.money.amount_paise(), 2_500_000);
}

#[test]
fn secrets_never_show() {
    let c = Config::load(&env(&[
        ("PAANI__AUTH__SESSION_KEY", "super-secret-session-key"),
        ("PAANI__MAIL__SMTP_PASSWORD", "smtp-pass-123"),
    ]))
    .unwrap();
    assert_eq!(c.auth.session_key.expose(), "super-secret-session-key");
    let shown = c.redacted_toml();
    let debug = format!("{c:?}");
    for secret in ["super-secret-session-key", "smtp-pass-123"] {
        assert!(
            !shown.contains(secret),
            "check-config output leaks {secret}"
        );
        assert!(!debug.contains(secret), "Debug leaks {secret}");
    }
    assert!(shown.contains("********"));
}

#[test]
fn check_config_command_hides_secrets_and_names_bad_keys() {
    let bin = env!("CARGO_BIN_EXE_paani");
    let out = std::process::Command::new(bin)
        .arg("check-config")
        .env("PAANI__AUTH__SESSION_KEY", "very-secret-value-xyz")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[database]"));
    assert!(!text.contains("very-secret-value-xyz"));
    let out = std::process::Command::new(bin)
        .arg("check-config")
        .env("PAANI__SERVER__LISTNE", "x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("server.listne"));
}

/// Relative paths in the settings are taken under `storage.data_dir`, not the working
/// directory; absolute ones stay; a relative path that already starts with a relative
/// data_dir (`data/photos`, as configurations said before data_dir) finds the same place;
/// PostgreSQL URLs are left alone.
#[test]
fn relative_paths_live_under_the_data_folder() {
    let cwd = std::env::current_dir().unwrap();
    let c = Config::load(&env(&[
        ("PAANI__STORAGE__DATA_DIR", "/srv/paani"),
        ("PAANI__SERVER__BASE_URL", "https://paani.example.org"),
    ]))
    .unwrap();
    assert_eq!(c.storage.data_dir, "/srv/paani");
    assert_eq!(c.database.url, "sqlite:///srv/paani/paani.db");
    assert_eq!(c.storage.photos_dir, "/srv/paani/photos");
    assert_eq!(c.mail.file_dir, "/srv/paani/outbox");
    assert_eq!(c.backup.dir, "/srv/paani/backups");
    assert!(c.warnings().is_empty(), "{:?}", c.warnings());

    let c = Config::load(&env(&[
        ("PAANI__STORAGE__DATA_DIR", "/srv/paani"),
        ("DATABASE_URL", "sqlite://db/main.db"),
        ("PAANI__STORAGE__PHOTOS_DIR", "/mnt/photos"),
        ("PAANI__BACKUP__DIR", "../offsite"),
    ]))
    .unwrap();
    assert_eq!(c.database.url, "sqlite:///srv/paani/db/main.db");
    assert_eq!(c.storage.photos_dir, "/mnt/photos");
    assert_eq!(c.backup.dir, "/srv/paani/../offsite");

    // an older configuration: its paths started with data/
    let c = Config::load(&env(&[
        ("DATABASE_URL", "sqlite://data/paani.db"),
        ("PAANI__STORAGE__PHOTOS_DIR", "data/photos"),
        ("PAANI__MAIL__FILE_DIR", "data/outbox"),
    ]))
    .unwrap();
    let data = cwd.join("data");
    assert_eq!(
        c.database.url,
        format!("sqlite://{}", data.join("paani.db").display())
    );
    assert_eq!(
        c.storage.photos_dir,
        data.join("photos").display().to_string()
    );
    assert_eq!(c.mail.file_dir, data.join("outbox").display().to_string());
    // each older setting is worth a warning (database.url, photos_dir, file_dir)
    let w: Vec<String> = c
        .warnings()
        .into_iter()
        .filter(|w| !w.starts_with("server.base_url"))
        .collect();
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w.iter()
            .any(|w| w.starts_with("storage.photos_dir \"data/photos\"")
                && w.contains("write \"photos\"")),
        "{w:?}"
    );

    let c = Config::load(&env(&[
        ("PAANI__STORAGE__DATA_DIR", "/srv/paani"),
        ("DATABASE_URL", "postgres://u@h/d"),
    ]))
    .unwrap();
    assert_eq!(c.database.url, "postgres://u@h/d");
    assert_eq!(c.paths()[1].1, "(PostgreSQL: not a file)");

    for (key, value) in [
        ("PAANI__BACKUP__DAILY_AT", "25:00"),
        ("PAANI__BACKUP__DAILY_AT", "2:30am"),
        ("PAANI__BACKUP__KEEP_DAILY", "0"),
        ("PAANI__STORAGE__DATA_DIR", ""),
    ] {
        let e = Config::load(&env(&[(key, value)])).unwrap_err().to_string();
        let name = key
            .trim_start_matches("PAANI__")
            .to_lowercase()
            .replace("__", ".");
        assert!(e.contains(&name), "{key}={value}: {e}");
    }
}

/// An empty `auth.session_key` is made once and kept in the data folder, so the links Paani
/// sends outlive a restart; a key in the configuration is used as it is.
#[test]
fn an_empty_session_key_is_kept_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let s = env(&[("PAANI__STORAGE__DATA_DIR", data.to_str().unwrap())]);
    let mut first = Config::load(&s).unwrap();
    assert!(first.auth.session_key.is_empty());
    let file = first.keep_session_key().unwrap().expect("a key file");
    assert_eq!(file, data.join("session.key"));
    let key = first.auth.session_key.expose().to_string();
    assert!(key.len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only");
    }
    // the next start reads the same key
    let mut again = Config::load(&s).unwrap();
    again.keep_session_key().unwrap();
    assert_eq!(again.auth.session_key.expose(), key);
    // a configured key wins and no file is read
    let mut set = Config::load(&env(&[
        ("PAANI__STORAGE__DATA_DIR", data.to_str().unwrap()),
        (
            "PAANI__AUTH__SESSION_KEY",
            "a-configured-key-of-enough-length-123",
        ),
    ]))
    .unwrap();
    assert_eq!(set.keep_session_key().unwrap(), None);
    assert_eq!(
        set.auth.session_key.expose(),
        "a-configured-key-of-enough-length-123"
    );
    // a damaged file is an error, not a silent new key
    std::fs::write(&file, "short").unwrap();
    let mut damaged = Config::load(&s).unwrap();
    assert!(damaged
        .keep_session_key()
        .unwrap_err()
        .contains("too short"));
}
