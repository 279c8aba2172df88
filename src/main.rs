//! `paani`: the command line. Each command loads the configuration the same way.

// The command line is the one place that writes to stdout (the library logs with tracing).
#![allow(clippy::print_stdout)]

use clap::{Args, Parser, Subcommand};
use paani::auth::service as auth_service;
use paani::auth::{model, Role, UserInput};
use paani::clock::Clock;
use paani::config::{Config, Sources};
use paani::db::Db;
use paani::error::AppError;
use std::io::{BufRead, IsTerminal};
use std::net::TcpListener;
use std::process::ExitCode;

/// `paani --version`: the version, the git commit and the build date (build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PAANI_GIT_COMMIT"),
    ", built ",
    env!("PAANI_BUILD_DATE"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "paani",
    version = VERSION,
    about = "Paani: operation & maintenance for village water committees (Paani Samitis).",
    long_about = "Paani keeps village water schemes working: assets, maintenance, breakdowns, tariffs and receipts, meetings and reminders.\n\nConfiguration comes from config/default.toml (built in), then --config FILE (or PAANI_CONFIG), then PAANI__SECTION__KEY environment variables and DATABASE_URL, then flags."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone, Default)]
struct Common {
    /// Configuration file layered on top of the built-in defaults (also PAANI_CONFIG).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<String>,
    /// Database URL: sqlite://path/to/file.db (or a plain path) or postgres://user@host/db.
    /// Overrides DATABASE_URL and the configuration.
    #[arg(long, value_name = "URL", global = true)]
    database: Option<String>,
}

// Parsed once per run: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Start the web server (runs migrations first).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 or 0.0.0.0:8080.
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Seed the demo data set into an empty database and print the demo logins.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        /// Only list the migrations this binary carries, applied or pending; change nothing.
        #[arg(long)]
        status: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Seed the demo data set into an empty database (migrating it first) and exit.
    Demo(DemoArgs),
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
        #[command(flatten)]
        common: Common,
    },
    /// Preventive maintenance jobs.
    Maintenance {
        #[command(subcommand)]
        action: MaintenanceCommand,
        #[command(flatten)]
        common: Common,
    },
    /// Breakdown jobs.
    Breakdowns {
        #[command(subcommand)]
        action: BreakdownsCommand,
        #[command(flatten)]
        common: Common,
    },
    /// Monthly user-charge demands.
    Demands {
        #[command(subcommand)]
        action: DemandsCommand,
        #[command(flatten)]
        common: Common,
    },
    /// The scheduler: task generation, escalation, late fees and every reminder rule.
    Jobs {
        #[command(subcommand)]
        action: JobsCommand,
        #[command(flatten)]
        common: Common,
    },
    /// Back up the database, the photos and a manifest into one .tar file, while the server
    /// runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump), or check one with --verify.
    #[command(
        long_about = "Back up the database, the photos and a manifest into one .tar file, while the server runs and writes.\n\nSQLite is copied with VACUUM INTO (a consistent snapshot, never a file copy); PostgreSQL with pg_dump --format=custom (install the PostgreSQL client programs). The file, paani-YYYYMMDD-HHMMSS-manual.tar (India time), goes into backup.dir or --to DIR. The manifest inside records the time, the Paani version, the last migration, the row counts and sums of the money tables, and each file's SHA-256.\n\n--verify FILE checks a backup: checksums, SQLite's integrity_check and foreign keys on the copy, and the counts and sums against the manifest; it exits with 1 when a check fails."
    )]
    Backup {
        /// Put the backup in this folder instead of backup.dir.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["verify", "list"])]
        to: Option<String>,
        /// Check this backup file instead of making one; exit code 1 when it is not good.
        #[arg(long, value_name = "FILE", conflicts_with = "list")]
        verify: Option<String>,
        /// List the backups in backup.dir, newest last.
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Restore a backup into an empty database and photos folder (checking it first).
    #[command(
        long_about = "Restore a backup made by `paani backup` (or the scheduler) into the configured database and photos folder, after checking it as `paani backup --verify` does.\n\nThe database must be new (SQLite: no file at database.url; PostgreSQL: a database without tables, made with createdb) and the photos folder empty. With --force, SQLite's existing file is renamed aside (paani.db.replaced-<time>), PostgreSQL's tables are dropped, and photos are written over. Stop Paani before restoring over a database it uses. Migrations of a newer Paani are applied when it next starts."
    )]
    Restore {
        /// The backup file (.tar).
        file: String,
        /// Replace an existing database and write over existing photos.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Check the configuration and print it, with secrets hidden.
    CheckConfig {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run one sweep now (the same as the server's runner does every jobs.interval_seconds).
    /// Waits for nobody: when another runner holds the lease it says so and exits. Safe to
    /// run again, or beside a running server: nothing is raised twice.
    Run {
        /// Run as if it were this time (YYYY-MM-DDTHH:MM, UTC): every job and rule reads it.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Only this job or rule (e.g. task_overdue, maintenance_generate).
        #[arg(long, value_name = "RULE")]
        only: Option<String>,
    },
    /// List the jobs and rules a sweep runs, in order.
    List,
}

#[derive(Subcommand)]
enum BreakdownsCommand {
    /// Escalate open breakdowns past their deadline (level 1: block engineer; level 2:
    /// district officer after `breakdowns.level2_after_hours`). Safe to run again.
    Escalate {
        /// Run as if it were this time (YYYY-MM-DDTHH:MM, UTC), for back-fill and checks.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum DemandsCommand {
    /// Raise a month's demands: one per active, paying household connected by the month's end,
    /// at the tariff in force. Shows what it would do and asks before writing; running it again
    /// adds only what is missing.
    Raise {
        /// The month (YYYY-MM).
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Only this place (LGD code of a GP, block, district or state); default: everywhere.
        #[arg(long, value_name = "LGD")]
        place: Option<i64>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Benchmark: first write the same rows with one bare INSERT … SELECT (timed, committed,
        /// then removed), then raise them, and print both rates and their ratio.
        #[arg(long, hide = true)]
        against_raw: bool,
    },
    /// Charge each tariff plan's late fee (when it has one) on demands still unpaid the plan's
    /// number of days after they fell due. Once per demand: safe to run every day.
    LateFees {
        /// Only this place (LGD code of a GP, block, district or state); default: everywhere.
        #[arg(long, value_name = "LGD")]
        place: Option<i64>,
    },
}

#[derive(Subcommand)]
enum MaintenanceCommand {
    /// Create the task occurrences of every active plan from today up to a date (default:
    /// today + maintenance.horizon_days). Safe to run again: existing tasks are kept.
    Generate {
        /// Last due date to generate (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// First due date to generate (YYYY-MM-DD; default today). Back-fill with an earlier date.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
    },
}

#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is asked on the terminal, or read from stdin with --password-stdin.
    Add {
        /// Login name: 3-40 characters, lowercase letters, digits, '.', '_' or '-'.
        #[arg(long)]
        username: String,
        /// admin, district_officer, block_engineer, secretary, member or lab_analyst.
        #[arg(long)]
        role: String,
        /// LGD code of the gram panchayat (secretary, member).
        #[arg(long, value_name = "LGD", conflicts_with_all = ["block", "district", "state"])]
        gp: Option<String>,
        /// LGD code of the block (block engineer).
        #[arg(long, value_name = "LGD", conflicts_with_all = ["gp", "district", "state"])]
        block: Option<String>,
        /// LGD code of the district (district officer, lab analyst).
        #[arg(long, value_name = "LGD", conflicts_with_all = ["gp", "block", "state"])]
        district: Option<String>,
        /// LGD code of the state (a district officer working for the whole state).
        #[arg(long, value_name = "LGD", conflicts_with_all = ["gp", "block", "district"])]
        state: Option<String>,
        /// Display name (defaults to the username).
        #[arg(long)]
        name: Option<String>,
        /// Indian mobile number.
        #[arg(long)]
        phone: Option<String>,
        /// E-mail address for reminders.
        #[arg(long)]
        email: Option<String>,
        /// Preferred language: en or hi.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts: username, role, place, whether active.
    List {
        /// Only this role: admin, district_officer, block_engineer, secretary or member.
        #[arg(long)]
        role: Option<String>,
        /// Only accounts in this place (LGD code of a state, district, block or GP) or below.
        #[arg(long, value_name = "LGD")]
        place: Option<i64>,
        /// Also disabled accounts.
        #[arg(long)]
        all: bool,
    },
    /// Disable an account at once: it can no longer log in; its sessions and API tokens end.
    /// (An admin enables it again on its page.)
    Disable {
        /// The username.
        username: String,
    },
    /// Set a user's password (ends all their sessions).
    Passwd {
        /// The username.
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// `paani demo`'s options.
#[derive(Args)]
struct DemoArgs {
    /// Also add a benchmark block ("Bench block", engineer `bench-engineer`) with this many
    /// gram panchayats, one scheme each...
    #[arg(long, value_name = "N", default_value_t = 0)]
    bench_gps: usize,
    /// ...and this many breakdowns over the last two years (e.g. 100 and 20000).
    #[arg(long, value_name = "N", default_value_t = 0)]
    bench_breakdowns: usize,
    /// Also add a billing benchmark block ("Billing bench block", LGD 230198) with this many
    /// households (10,000 per GP, each GP with a tariff plan), e.g. 1000000.
    #[arg(long, value_name = "N", default_value_t = 0)]
    bench_households: usize,
    /// With --bench-gps: also this many assets per benchmark GP, each with four monthly
    /// plans and their tasks, and a secretary and member per GP (the scheduler's
    /// benchmark; 50 gives 50,000 assets and 200,000 plans on 1,000 GPs).
    #[arg(long, value_name = "N", default_value_t = 0)]
    bench_assets_per_gp: i64,
    /// Build a large, realistic data set instead, into an empty database: `block` (100
    /// GPs, 30,000 households), `district` (10 blocks: 1,000 GPs, 300,000 households) or
    /// `state` (10 districts: 10,000 GPs, 3 million households; meant for PostgreSQL), with
    /// the years of history below.
    #[arg(
        long,
        value_name = "SIZE",
        value_parser = parse_scale,
        conflicts_with_all = ["bench_gps", "bench_breakdowns", "bench_households", "bench_assets_per_gp"]
    )]
    scale: Option<paani::demo::scale::Scale>,
    /// With --scale: the seed (the same seed on the same day gives the same data).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "scale")]
    seed: u64,
    /// With --scale: years of history (tasks, breakdowns, demands, payments, meetings);
    /// 3 by default, 1 for a state.
    #[arg(long, value_name = "Y", requires = "scale")]
    years: Option<u32>,
    /// With --scale state: its districts (1 to 75; 10 by default).
    #[arg(long, value_name = "N", requires = "scale")]
    districts: Option<usize>,
    #[command(flatten)]
    common: Common,
}

/// The configuration as written (files, environment, the command line).
fn read_config(common: &Common) -> Result<Config, AppError> {
    let mut sources = Sources::from_process(common.config.clone());
    if let Some(db) = &common.database {
        let db = &command_line_database(db);
        sources
            .env
            .retain(|(k, _)| k != "DATABASE_URL" && k != "PAANI__DATABASE__URL");
        sources
            .env
            .push(("PAANI__DATABASE__URL".into(), db.clone()));
    }
    Config::load(&sources).map_err(|e| AppError::Config(e.to_string()))
}

/// The configuration for a command that runs Paani: with its session key kept
/// (`Config::keep_session_key`).
fn load_config(common: &Common) -> Result<Config, AppError> {
    let mut config = read_config(common)?;
    config.keep_session_key().map_err(AppError::Config)?;
    Ok(config)
}

/// A relative SQLite path typed on the command line is taken from the folder it is typed
/// in (not `storage.data_dir`, as one in the configuration is).
fn command_line_database(url: &str) -> String {
    match paani::db::DbUrl::parse(url) {
        Ok(paani::db::DbUrl::Sqlite(path)) if path.is_relative() => match std::env::current_dir() {
            Ok(cwd) => format!("sqlite://{}", cwd.join(path).display()),
            Err(_) => url.to_string(),
        },
        _ => url.to_string(),
    }
}

fn init_tracing(config: &Config) {
    paani::logging::init(&config.log);
}

fn open_db(config: &Config) -> Result<Db, AppError> {
    let db = Db::connect(&config.database)?;
    let applied = migrate(config, &db)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "migrations applied");
    }
    Ok(db)
}

/// Apply pending migrations; a database in use is backed up first (`backup.before_migrations`),
/// which is said on stderr with the backup's path.
fn migrate(config: &Config, db: &Db) -> Result<Vec<String>, AppError> {
    let mut progress = Terminal::new();
    let now = chrono::Utc::now().naive_utc();
    if let Some((made, pending)) =
        paani::backup::service::before_migrations(config, db, now, &mut progress)?
    {
        eprintln!(
            "{} migration(s) to apply ({}); the database was backed up first to {} ({}).",
            pending.len(),
            pending.join(", "),
            made.file.path.display(),
            paani::backup::human_bytes(made.file.bytes)
        );
    }
    db.migrate()
}

/// Progress of a long step on stderr: a line per step, and on a terminal a running count
/// of bytes (at most five times a second).
struct Terminal {
    tty: bool,
    shown: std::time::Instant,
    counting: bool,
}

impl Terminal {
    fn new() -> Terminal {
        Terminal {
            tty: std::io::stderr().is_terminal(),
            shown: std::time::Instant::now(),
            counting: false,
        }
    }
}

impl paani::backup::Progress for Terminal {
    fn step(&mut self, what: &str) {
        if self.counting {
            eprintln!();
            self.counting = false;
        }
        eprintln!("  {what} …");
    }

    fn bytes(&mut self, done: u64, total: u64) {
        let finished = done >= total;
        if !self.tty || (!finished && self.shown.elapsed().as_millis() < 200) {
            return;
        }
        self.shown = std::time::Instant::now();
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        eprint!(
            "\r    {} of {} ({percent}%)   ",
            paani::backup::human_bytes(done),
            paani::backup::human_bytes(total)
        );
        self.counting = !finished;
        if finished {
            eprintln!();
        }
    }
}

fn read_password(from_stdin: bool, min: usize) -> Result<String, AppError> {
    let pw = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let a = rpassword::prompt_password("Password: ")?;
        let b = rpassword::prompt_password("Password again: ")?;
        if a != b {
            return Err(AppError::Config("the two passwords differ".into()));
        }
        a
    };
    if pw.chars().count() < min {
        return Err(AppError::Config(format!(
            "the password must have at least {min} characters"
        )));
    }
    Ok(pw)
}

fn print_demo_logins(url: &str) {
    println!(
        "Demo data loaded. Log in at {url}/login with any of these (password: {}):",
        paani::demo::DEMO_PASSWORD
    );
    println!("  admin      - administrator (everything)");
    println!("  officer    - district officer (Narmadapuram district)");
    println!("  engineer   - block engineer (Seoni Malwa block)");
    println!("  secretary  - panchayat secretary (Banapura GP)");
    println!("  member     - Paani Samiti member (Banapura GP)");
    println!("These passwords are for the demo only.");
}

fn run(cli: Cli) -> Result<(), AppError> {
    match cli.command {
        Command::Serve {
            listen,
            demo,
            common,
        } => serve_command(listen, demo, common),
        Command::Migrate { status, common } => migrate_command(status, common),
        Command::Demo(args) => demo_command(args),
        Command::Maintenance { action, common } => maintenance_command(action, common),
        Command::Demands { action, common } => demands_command(action, common),
        Command::Breakdowns { action, common } => breakdowns_command(action, common),
        Command::Jobs { action, common } => jobs_command(action, common),
        Command::CheckConfig { common } => check_config_command(common),
        Command::Backup {
            to,
            verify,
            list,
            common,
        } => backup_command(to, verify, list, common),
        Command::Restore {
            file,
            force,
            common,
        } => restore_command(file, force, common),
        Command::User { action, common } => user_command(action, common),
    }
}

/// `paani serve`: migrate, optionally seed the demo, start the scheduler and the server.
fn serve_command(listen: Option<String>, demo: bool, common: Common) -> Result<(), AppError> {
    let mut config = load_config(&common)?;
    if let Some(l) = listen {
        config.server.listen = l;
    }
    init_tracing(&config);
    let db = open_db(&config)?;
    let clock = Clock::system();
    let url = config.public_url();
    if demo {
        paani::demo::seed(&db, &clock)?;
        paani::demo::seed_history(&db, &clock)?;
        paani::demo::seed_breakdowns(&db, &clock, &config)?;
        paani::demo::seed_billing(&db, &clock)?;
        paani::demo::seed_committees(&db, &clock)?;
        paani::demo::seed_meetings(&db, &clock)?;
        paani::demo::seed_supply(&db, &clock, &config)?;
        paani::demo::seed_water_quality(&db, &clock, &config)?;
        paani::demo::seed_har_ghar_jal(&db, &clock, &config)?;
        paani::demo::seed_water_schedules(&db, &clock, &config)?;
        // last: the households' SMS of what came before (the first sweep writes them out)
        paani::demo::seed_sms_households(&db, &clock, &config)?;
        print_demo_logins(&url);
    }
    let listener = TcpListener::bind(&config.server.listen)
        .map_err(|e| AppError::Config(format!("cannot listen on {}: {e}", config.server.listen)))?;
    let backend = db.backend().name();
    // loudly, on the terminal or the journal, besides the log (a JSON log carries them as
    // its own lines, and every line of it must stay JSON)
    if config.log.format != paani::config::LogFormat::Json {
        for w in config.warnings() {
            eprintln!("WARNING: {w}");
        }
    }
    let state = paani::app::state(config, db, clock)?;
    paani::app::start_scheduler(&state);
    println!("Paani is running on {url} (database: {backend}). Press Ctrl+C to stop.");
    actix_web::rt::System::new()
        .block_on(async move { paani::app::serve(listener, state)?.await })?;
    Ok(())
}

/// `paani migrate`: apply pending migrations (`--status`: list them).
fn migrate_command(status: bool, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    let db = Db::connect(&config.database)?;
    if status {
        let (applied, pending) = paani::db::migration_status(&mut *db.conn()?)?;
        for v in &applied {
            println!("applied  {v}");
        }
        for v in &pending {
            println!("pending  {v}");
        }
        println!(
            "{} of {} migrations applied on the {} database; {} pending{}",
            applied.len(),
            applied.len() + pending.len(),
            db.backend().name(),
            pending.len(),
            if pending.is_empty() {
                ""
            } else {
                " (`paani migrate` or `paani serve` applies them, after a backup)"
            }
        );
        return Ok(());
    }
    let applied = migrate(&config, &db)?;
    if applied.is_empty() {
        println!("The {} database is up to date.", db.backend().name());
    } else {
        for v in &applied {
            println!("applied {v}");
        }
    }
    Ok(())
}

/// `paani demo`: the demo data set (and benchmark blocks), or a generated data set with `--scale`.
fn demo_command(args: DemoArgs) -> Result<(), AppError> {
    let DemoArgs {
        bench_gps,
        bench_breakdowns,
        bench_households,
        bench_assets_per_gp,
        scale,
        seed,
        years,
        districts,
        common,
    } = args;
    let config = load_config(&common)?;
    init_tracing(&config);
    if let Some(scale) = scale {
        let state = scale == paani::demo::scale::Scale::State;
        let years = years.unwrap_or(if state { 1 } else { 3 });
        if districts.is_some() && !state {
            return Err(AppError::Config("--districts is for --scale state".into()));
        }
        let options = paani::demo::scale::Options {
            scale,
            seed,
            years,
            districts,
        };
        return demo_scale(&config, &options);
    }
    let db = open_db(&config)?;
    let clock = Clock::system();
    paani::demo::seed(&db, &clock)?;
    let done = paani::demo::seed_history(&db, &clock)?;
    println!("{done} maintenance tasks recorded as done over the last 18 months.");
    let n = paani::demo::seed_breakdowns(&db, &clock, &config)?;
    println!("{n} breakdowns over the last two years.");
    let started = std::time::Instant::now();
    let k = paani::demo::seed_committees(&db, &clock)?;
    println!("{k} Paani Samitis with their members.");
    let m = paani::demo::seed_meetings(&db, &clock)?;
    println!("{m} committee meetings over 18 months, with minutes and action items.");
    let w = paani::demo::seed_water_quality(&db, &clock, &config)?;
    println!("{w} water tests at the demo GPs' sampling points.");
    let i = paani::demo::seed_water_schedules(&db, &clock, &config)?;
    println!("{i} sanitary inspections; the water-quality schedule raised.");
    let n = paani::demo::seed_billing(&db, &clock)?;
    println!(
        "{n} payments over 24 months of demands ({:.1} s).",
        started.elapsed().as_secs_f64()
    );
    let s = paani::demo::seed_supply(&db, &clock, &config)?;
    println!("{s} daily supply logs over the last year.");
    let h = paani::demo::seed_har_ghar_jal(&db, &clock, &config)?;
    println!("{h} villages with a Har Ghar Jal checklist (one certified, one reported).");
    let q = paani::demo::seed_sms_households(&db, &clock, &config)?;
    println!("{q} SMS to households queued (the scheduler's sms_send writes them out).");
    if bench_gps > 0 && bench_breakdowns > 0 {
        let started = std::time::Instant::now();
        paani::demo::seed_review_load(
            &db,
            &clock,
            &config.breakdowns,
            bench_gps,
            bench_breakdowns,
            |m| eprintln!("bench block: {m}"),
        )?;
        println!(
            "Bench block ready in {:.1} s: log in as bench-engineer.",
            started.elapsed().as_secs_f64()
        );
    }
    if bench_assets_per_gp > 0 {
        let started = std::time::Instant::now();
        let (assets, plans, tasks) = paani::demo::seed_sweep_load(
            &db,
            &clock,
            config.maintenance.horizon_days,
            bench_assets_per_gp,
            4,
            |m| eprintln!("scheduler bench: {m}"),
        )?;
        println!(
            "Scheduler bench ready in {:.1} s: {assets} assets, {plans} plans, {tasks} tasks.",
            started.elapsed().as_secs_f64()
        );
    }
    if bench_households > 0 {
        let started = std::time::Instant::now();
        let gps = paani::demo::seed_billing_load(&db, &clock, bench_households, |m| {
            eprintln!("billing bench: {m}")
        })?;
        println!(
            "Billing bench block ready in {:.1} s: {bench_households} households in {gps} GPs (LGD 230198).",
            started.elapsed().as_secs_f64()
        );
    }
    print_demo_logins(&config.public_url());
    Ok(())
}

/// `paani maintenance generate`: tasks for a span of days.
fn maintenance_command(action: MaintenanceCommand, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    let db = open_db(&config)?;
    let clock = Clock::system();
    match action {
        MaintenanceCommand::Generate { until, from } => {
            let today = paani::web::i18n::today_in_india(clock.now());
            let parse = |s: Option<String>, default| match s {
                None => Ok(default),
                Some(s) => paani::web::forms::parse_date(&s)
                    .ok_or_else(|| AppError::Config(format!("{s:?} is not a date (YYYY-MM-DD)"))),
            };
            let from = parse(from, today)?;
            let until = parse(
                until,
                today + chrono::Duration::days(config.maintenance.horizon_days),
            )?;
            let started = std::time::Instant::now();
            let mut conn = db.conn()?;
            let (plans, tasks) = paani::db::write_transaction(&mut conn, |c| {
                paani::maintenance::generate(c, None, from, until, clock.now(), |done| {
                    eprint!("\r{done} plans read …");
                })
            })?;
            eprintln!();
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{plans} plans, {tasks} new tasks due {from} to {until} in {secs:.2} s ({:.0} plans/s)",
                plans as f64 / secs.max(1e-9)
            );
            Ok(())
        }
    }
}

/// `paani demands raise | late-fees`.
fn demands_command(action: DemandsCommand, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    let db = open_db(&config)?;
    let clock = Clock::system();
    match action {
        DemandsCommand::Raise {
            month,
            place,
            yes,
            against_raw,
        } => raise_demands(&db, &clock, &config, &month, place, yes, against_raw),
        DemandsCommand::LateFees { place } => {
            let mut conn = db.conn()?;
            let scope = scope_of_place(&mut conn, place)?;
            let now = clock.now();
            let today = paani::web::i18n::today_in_india(now);
            let n = paani::db::write_transaction(&mut conn, |c| {
                paani::billing::demands::apply_late_fees(c, &scope, today, now)
            })?;
            println!("Late fee charged on {n} unpaid demand(s).");
            Ok(())
        }
    }
}

/// `paani breakdowns escalate`.
fn breakdowns_command(action: BreakdownsCommand, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    let db = open_db(&config)?;
    let clock = Clock::system();
    match action {
        BreakdownsCommand::Escalate { at } => {
            if let Some(at) = at {
                clock.set(parse_at(&at)?);
            }
            let mut conn = db.conn()?;
            let (l1, l2) = paani::db::write_transaction(&mut conn, |c| {
                paani::breakdowns::escalate(c, &config.breakdowns, clock.now())
            })?;
            println!(
                "{l1} breakdown(s) escalated to the block engineer, {l2} to the district officer."
            );
            Ok(())
        }
    }
}

/// `paani jobs list | run`.
fn jobs_command(action: JobsCommand, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    match action {
        JobsCommand::List => {
            for name in paani::jobs::names() {
                println!("{name}");
            }
            Ok(())
        }
        JobsCommand::Run { at, only } => {
            let db = open_db(&config)?;
            let clock = Clock::system();
            if let Some(at) = at {
                clock.set(parse_at(&at)?);
            }
            let now = clock.now();
            println!("sweep for {now} UTC");
            let started = std::time::Instant::now();
            let mailer = paani::mail::Mailer::new(&config)?;
            let report = paani::jobs::run(
                &db,
                &config,
                &mailer,
                now,
                "cli",
                only.as_deref(),
                |name, c| {
                    println!(
                        "  {name:<30} {}",
                        serde_json::to_string(c).unwrap_or_default()
                    );
                },
            )?;
            for (name, e) in &report.errors {
                eprintln!("  {name:<30} FAILED: {e}");
            }
            println!(
                "run {}: {} in {:.2} s",
                report.run_id,
                report.status,
                started.elapsed().as_secs_f64()
            );
            match report.status.as_str() {
                "ok" => Ok(()),
                "busy" => Err(AppError::Conflict(
                    "another runner holds the lease; try again later".into(),
                )),
                _ => Err(AppError::Internal("some jobs failed (see above)".into())),
            }
        }
    }
}

/// `paani check-config`: load and print the configuration (secrets hidden).
fn check_config_command(common: Common) -> Result<(), AppError> {
    let config = read_config(&common)?;
    for w in config.warnings() {
        println!("# warning: {w}");
    }
    let standard = paani::water_quality::Standard::load(&config.water_quality.standard_file)
        .map_err(|e| AppError::Config(format!("water-quality standard: {e}")))?;
    println!("# configuration is valid");
    println!(
        "# water-quality standard: {} ({}), {} parameters",
        standard.version,
        standard.amendment,
        standard.parameters.len()
    );
    let sms = paani::sms::dlt::Templates::load(&config.sms.templates_file)
        .map_err(|e| AppError::Config(format!("SMS templates: {e}")))?;
    let problems = sms.problems();
    println!(
        "# SMS templates: {} ({} message keys), {} problem(s)",
        sms.version,
        sms.messages.len(),
        problems.len()
    );
    for p in problems {
        println!("# warning: SMS templates: {p}");
    }
    if let Err(e) = paani::sms::service::transport(&config, &config.sms.transport) {
        println!("# warning: sms.transport: {e}");
    }
    println!("# files and folders (relative settings are taken under data_dir):");
    for (what, path) in config.paths() {
        println!("#   {what:<12} {path}");
    }
    println!("\n{}", config.redacted_toml());
    Ok(())
}

/// `paani backup [--to DIR] | --verify FILE | --list`.
fn backup_command(
    to: Option<String>,
    verify: Option<String>,
    list: bool,
    common: Common,
) -> Result<(), AppError> {
    use paani::backup;
    let config = load_config(&common)?;
    init_tracing(&config);
    let mut progress = Terminal::new();
    if list {
        let dir = std::path::Path::new(&config.backup.dir);
        let files = backup::list(dir)?;
        if files.is_empty() {
            println!("No backups in {}.", dir.display());
        }
        for f in &files {
            println!(
                "{}  {:<12} {:>10}  {}",
                paani::web::i18n::format_datetime(f.made_at),
                f.kind.as_str(),
                backup::human_bytes(f.bytes),
                f.path.display()
            );
        }
        return Ok(());
    }
    if let Some(file) = verify {
        let report = backup::verify(&config, std::path::Path::new(&file), &mut progress)?;
        println!(
            "Backup {} ({}):",
            report.file.display(),
            backup::human_bytes(report.bytes)
        );
        print_checks(&report.checks);
        return if report.ok() {
            println!("The backup is good.");
            Ok(())
        } else {
            Err(AppError::Config(
                "the backup is NOT good: see the FAIL lines above".into(),
            ))
        };
    }
    let now = chrono::Utc::now().naive_utc();
    eprintln!(
        "Backing up the {} database and the photos …",
        paani::backup::service::backend(&config)?.name()
    );
    let to = to.map(std::path::PathBuf::from);
    let made = backup::make(
        &config,
        backup::Kind::Manual,
        to.as_deref(),
        now,
        &mut progress,
    )?;
    let payments = made.manifest.table("payments");
    println!(
        "Backup made in {:.1} s: {} ({}, {} photo files, {} payments). Check it with `paani backup --verify {}`.",
        made.secs,
        made.file.path.display(),
        backup::human_bytes(made.file.bytes),
        made.manifest.photos().count(),
        paani::web::i18n::group_indian(&payments.map(|t| t.rows).unwrap_or(0).to_string()),
        made.file.path.display()
    );
    Ok(())
}

/// A backup's checks, one a line, marked ok, WARN, FAIL or -- (not checked here).
fn print_checks(checks: &[paani::backup::service::Check]) {
    use paani::backup::service::Outcome;
    for c in checks {
        let mark = match c.outcome {
            Outcome::Ok => "ok  ",
            Outcome::Warning => "WARN",
            Outcome::Failed => "FAIL",
            Outcome::Skipped => "--  ",
        };
        println!("  {mark} {}", c.what);
    }
}

/// `paani restore FILE [--force]`.
fn restore_command(file: String, force: bool, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    let mut progress = Terminal::new();
    let now = chrono::Utc::now().naive_utc();
    eprintln!("Checking and restoring {file} …");
    let r = paani::backup::restore(
        &config,
        std::path::Path::new(&file),
        force,
        now,
        &mut progress,
    )?;
    print_checks(&r.checks);
    if let Some(aside) = &r.moved_aside {
        println!(
            "The database that was there is kept as {}.",
            aside.display()
        );
    }
    println!(
        "Restored in {:.1} s: the {} database as of {} (Paani {}, migration {}) and {} photo files. Start Paani with `paani serve`.",
        r.secs,
        r.manifest.backend,
        paani::web::i18n::format_datetime(r.manifest.made_at),
        r.manifest.paani_version,
        r.manifest.migration.as_deref().unwrap_or("(none)"),
        r.photos
    );
    Ok(())
}

/// `paani user add | passwd`.
fn user_command(action: UserCommand, common: Common) -> Result<(), AppError> {
    let config = load_config(&common)?;
    init_tracing(&config);
    let min = config.auth.password_min_length;
    let db = open_db(&config)?;
    let ctx = paani::context::Ctx::new(db, Clock::system(), std::sync::Arc::new(config));
    match action {
        UserCommand::Add {
            username,
            role,
            gp,
            block,
            district,
            state,
            name,
            phone,
            email,
            lang,
            password_stdin,
        } => {
            let input = UserInput {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                phone: phone.unwrap_or_default(),
                email: email.unwrap_or_default(),
                role: role.clone(),
                place_level: match (&gp, &block, &district, &state) {
                    (Some(_), ..) => "gp",
                    (_, Some(_), ..) => "block",
                    (_, _, Some(_), _) => "district",
                    (.., Some(_)) => "state",
                    _ => "",
                }
                .to_string(),
                place_lgd_code: gp.or(block).or(district).or(state).unwrap_or_default(),
                place_pick: String::new(),
                lang,
                password: "x".repeat(min),
            };
            let values = match auth_service::validate(&mut *ctx.db.conn()?, &input, None, min)? {
                Ok(v) => v,
                Err(errors) => {
                    let i18n = paani::web::i18n::I18n::load().map_err(AppError::Config)?;
                    let msgs: Vec<String> = errors
                        .0
                        .iter()
                        .map(|e| {
                            format!(
                                "  {}: {}",
                                e.field,
                                i18n.field_message(paani::web::i18n::Lang::En, e)
                            )
                        })
                        .collect();
                    return Err(AppError::Config(format!(
                        "cannot add the user:\n{}",
                        msgs.join("\n")
                    )));
                }
            };
            let pw = read_password(password_stdin, min)?;
            let u = auth_service::add_user_from_cli(&ctx, &values, &pw)?;
            println!(
                "Created user {} ({}).",
                u.username,
                Role::parse(&u.role).map(|r| r.as_str()).unwrap_or("")
            );
            Ok(())
        }
        UserCommand::List { role, place, all } => {
            if let Some(r) = role.as_deref().filter(|r| Role::parse(r).is_none()) {
                return Err(AppError::Config(format!(
                    "{r:?} is not a role: admin, district_officer, block_engineer, secretary or member"
                )));
            }
            let mut conn = ctx.db.conn()?;
            let place_id = match place {
                None => None,
                Some(lgd) => match paani::places::model::scope_of_lgd(&mut conn, lgd)? {
                    Some(paani::auth::Scope::Place { id, .. }) => Some(id),
                    _ => {
                        return Err(AppError::Config(format!(
                            "no state, district, block or GP has the LGD code {lgd}"
                        )))
                    }
                },
            };
            let filter = model::UserFilter {
                role,
                place: place_id,
                status: Some(if all { "all" } else { "active" }.into()),
                ..Default::default()
            };
            println!("{:<24} {:<17} {:<7} PLACE", "USERNAME", "ROLE", "ACTIVE");
            let mut number = 1;
            loop {
                let page = paani::web::pagination::PageRequest::new(Some(number), 500);
                let (rows, total) = model::list_users(&mut conn, &filter, page)?;
                for (u, p) in &rows {
                    let place = p
                        .as_ref()
                        .map(|p| format!("{} {} ({})", p.level, p.name, p.lgd_code))
                        .unwrap_or_else(|| "everywhere".into());
                    println!(
                        "{:<24} {:<17} {:<7} {place}",
                        u.username,
                        u.role,
                        if u.active { "yes" } else { "no" }
                    );
                }
                if page.offset() + page.limit() >= total {
                    println!("{total} account(s)");
                    return Ok(());
                }
                number += 1;
            }
        }
        UserCommand::Disable { username } => {
            let Some(u) = model::user_by_username(&mut *ctx.db.conn()?, &username)? else {
                return Err(AppError::Config(format!("no user named {username:?}")));
            };
            if !u.active {
                println!("{} is already disabled.", u.username);
                return Ok(());
            }
            let ended = match auth_service::disable_from_cli(&ctx, &u) {
                Err(AppError::Conflict(key)) => {
                    let i18n = paani::web::i18n::I18n::load().map_err(AppError::Config)?;
                    let msg = i18n.t(paani::web::i18n::Lang::En, &key, &[]);
                    return Err(AppError::Config(format!(
                        "cannot disable {username}: {msg}"
                    )));
                }
                other => other?,
            };
            println!(
                "Disabled {}; {ended} session(s) ended, API tokens revoked.",
                u.username
            );
            Ok(())
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let Some(u) = model::user_by_username(&mut *ctx.db.conn()?, &username)? else {
                return Err(AppError::Config(format!("no user named {username:?}")));
            };
            let pw = read_password(password_stdin, min)?;
            let ended = auth_service::set_password_from_cli(&ctx, &u, &pw)?;
            println!(
                "Password changed for {}; {ended} session(s) ended.",
                u.username
            );
            Ok(())
        }
    }
}

/// `--scale`: block, district or state (and `tiny`, a tenth of a block, for tests).
fn parse_scale(s: &str) -> Result<paani::demo::scale::Scale, String> {
    paani::demo::scale::Scale::parse(s)
        .ok_or_else(|| format!("{s:?} is not a size: block, district or state"))
}

/// 1234567 → "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `paani demo --scale …`: build the data set, showing each batch of GPs on stderr, then
/// each kind of row with its count and time, and the total.
fn demo_scale(config: &Config, options: &paani::demo::scale::Options) -> Result<(), AppError> {
    use paani::demo::scale::generate;
    let (scale, seed, years) = (options.scale, options.seed, options.years);
    let db = open_db(config)?;
    let backend = db.backend().name();
    drop(db);
    let sizes = options.sizes();
    eprintln!(
        "Building the {} data set on {backend} (seed {seed}, {years} years): {} GPs in {} blocks, {} villages, {} households, {} schemes, {} assets.",
        scale.as_str(),
        grouped(sizes.gps as u64),
        sizes.blocks,
        grouped(sizes.villages as u64),
        grouped(sizes.households as u64),
        grouped(sizes.schemes as u64),
        grouped(sizes.assets as u64),
    );
    let tty = std::io::stderr().is_terminal();
    let mut shown = std::time::Instant::now();
    let summary = generate(config, Clock::system().now(), options, |p| {
        let rows: u64 = p.steps.iter().map(|s| s.rows).sum();
        let line = format!(
            "  {} of {} GPs, {} rows, {:.1} s",
            grouped(p.gps_done as u64),
            grouped(p.gps as u64),
            grouped(rows),
            p.secs
        );
        if tty {
            eprint!("\r{line}   ");
        } else if p.gps_done == p.gps || shown.elapsed().as_secs() >= 10 {
            eprintln!("{line}");
            shown = std::time::Instant::now();
        }
    })?;
    if tty {
        eprintln!();
    }
    for s in &summary.steps {
        eprintln!(
            "  {:<44} {:>12} rows {:>8.1} s",
            s.name,
            grouped(s.rows),
            s.secs
        );
    }
    eprintln!(
        "  {:<44} {:>17} {:>8.1} s (beside the writing)",
        "building the rows in memory", "", summary.build_secs
    );
    let rows = summary.rows();
    println!(
        "The {} data set is built: {} rows in {:.1} s ({} rows/s).",
        scale.as_str(),
        grouped(rows),
        summary.total_secs,
        grouped((rows as f64 / summary.total_secs.max(1e-9)) as u64)
    );
    println!(
        "Log in with the password {} as admin, officer-2301, engineer-230101, secretary-230101001 or member-230101001 (README, \"Measuring\", names them all).",
        paani::demo::DEMO_PASSWORD
    );
    Ok(())
}

/// A time given on the command line: YYYY-MM-DDTHH:MM, UTC.
fn parse_at(at: &str) -> Result<chrono::NaiveDateTime, AppError> {
    chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::Config(format!("{at:?} is not a time (YYYY-MM-DDTHH:MM)")))
}

fn main() -> ExitCode {
    // Everything Paani creates (the database and its -wal, photos, e-mail files, backups) is
    // for its own user only; the code sets 0600/0700 itself where it can, this covers the rest.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `paani demands raise`: preview, confirm, raise in one transaction, report the rate.
fn raise_demands(
    db: &Db,
    clock: &Clock,
    config: &paani::config::Config,
    month: &str,
    place: Option<i64>,
    yes: bool,
    against_raw: bool,
) -> Result<(), AppError> {
    use paani::billing::demands;
    let month = paani::web::forms::parse_month(month)
        .ok_or_else(|| AppError::Config(format!("{month:?} is not a month (YYYY-MM)")))?;
    let mut conn = db.conn()?;
    let scope = scope_of_place(&mut conn, place)?;
    let p = demands::preview(&mut conn, &scope, month)?;
    let without_plan = p.gps.iter().filter(|g| g.plan_id.is_none()).count();
    println!(
        "{}: {} new demands, {} in all, in {} gram panchayat(s){}.",
        p.month,
        p.demands,
        paani::web::i18n::format_money(p.total_paise),
        p.gps.iter().filter(|g| g.demands > 0).count(),
        if without_plan > 0 {
            format!(" ({without_plan} without a tariff plan for the month are skipped)")
        } else {
            String::new()
        }
    );
    if p.demands == 0 {
        return Ok(());
    }
    if !yes {
        use std::io::Write;
        print!("Raise them? Type yes: ");
        std::io::stdout().flush().ok();
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).ok();
        if answer.trim() != "yes" {
            println!("Nothing raised.");
            return Ok(());
        }
    }
    let raw_rate = if against_raw {
        let started = std::time::Instant::now();
        let (run_id, n) = paani::db::write_transaction(&mut conn, |c| {
            demands::raise_raw(c, &p, config.billing.due_day, clock.now())
        })?;
        let secs = started.elapsed().as_secs_f64();
        let rate = n as f64 / secs.max(1e-9);
        println!(
            "Raw INSERT … SELECT of the same rows (one statement, committed): {n} rows in {secs:.2} s ({rate:.0} rows/s)."
        );
        paani::db::write_transaction(&mut conn, |c| demands::remove_raw(c, run_id, clock.now()))?;
        Some(rate)
    } else {
        None
    };
    let started = std::time::Instant::now();
    let total = p.demands;
    let mut done = 0;
    let mut sms_secs = 0.0;
    let (runs, notices) = paani::db::write_transaction(&mut conn, |c| {
        // counted again inside the transaction: what is raised is exactly what it finds
        let p = demands::preview(c, &scope, month)?;
        let now = clock.now();
        let runs = demands::raise(c, None, &p, config.billing.due_day, now, |g| {
            done += g.demands;
            if total >= 100_000 {
                eprintln!("  {} of {} ({})", done, total, g.gp_name);
            }
        })?;
        // each household with a phone hears of its demand, as from the demands page
        let sms_started = std::time::Instant::now();
        let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
        let notices = paani::sms::households::demand_notices(c, config, now, &ids)?;
        sms_secs = sms_started.elapsed().as_secs_f64();
        Ok((runs, notices))
    })?;
    let secs = started.elapsed().as_secs_f64();
    let n: i64 = runs.iter().map(|r| i64::from(r.demands)).sum();
    println!(
        "Raised {n} demands in {} run(s) in {secs:.2} s ({:.0} rows/s), of which {sms_secs:.2} s \
         queuing {} SMS demand notices ({} skipped: switched off or queued before).",
        runs.len(),
        n as f64 / secs.max(1e-9),
        notices.queued,
        notices.skipped
    );
    if let Some(raw) = raw_rate {
        println!(
            "Raising runs at {:.0}% of the raw rate (same process, same database engine).",
            100.0 * n as f64 / secs.max(1e-9) / raw.max(1e-9)
        );
    }
    Ok(())
}

/// The scope a command covers: everywhere, or the GP, block, district or state with this LGD
/// code.
fn scope_of_place(
    conn: &mut paani::db::DbConn,
    place: Option<i64>,
) -> Result<paani::auth::Scope, AppError> {
    match place {
        None => Ok(paani::auth::Scope::All),
        Some(lgd) => paani::places::model::scope_of_lgd(conn, lgd)?.ok_or_else(|| {
            AppError::Config(format!(
                "no GP, block, district or state has LGD code {lgd}"
            ))
        }),
    }
}
