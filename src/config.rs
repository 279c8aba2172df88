//! Configuration: the built-in `config/default.toml`, an optional file on top, then
//! `PAANI__SECTION__KEY` environment variables and `DATABASE_URL`. Unknown keys are errors.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The built-in defaults; the same text documents every option.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub i18n: I18nConfig,
    pub log: LogConfig,
    pub mail: MailConfig,
    pub catalogue: CatalogueConfig,
    pub schemes: SchemesConfig,
    pub maintenance: MaintenanceConfig,
    pub storage: StorageConfig,
    pub breakdowns: BreakdownsConfig,
    pub billing: BillingConfig,
    pub money: MoneyLimits,
    pub committees: CommitteesConfig,
    pub supply: SupplyConfig,
    pub jobs: JobsConfig,
    pub dashboards: DashboardsConfig,
    pub reminders: RemindersConfig,
    pub backup: BackupConfig,
    pub metrics: MetricsConfig,
    pub health: HealthConfig,
    pub water_quality: WaterQualityConfig,
    pub sms: SmsConfig,
    pub offline: OfflineConfig,
    /// What loading noticed about the paths (a setting written the way older configurations
    /// did), shown with [`Config::warnings`].
    #[serde(skip)]
    pub path_warnings: Vec<String>,
}

/// `[offline]`: work sent from a phone that had no signal (`crate::web::idempotency`, the
/// outbox, receipt books).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineConfig {
    /// Days a create's idempotency key (and the answer it got) is kept: a retry within
    /// them gets the first answer again; after them the key may be used afresh.
    pub keep_request_days: i64,
    /// How many receipt numbers a receipt book holds when the secretary does not say
    /// (`crate::billing::books`); 1 to 500.
    pub receipt_book_size: i64,
}

/// `[backup]`: where backups go, when the scheduler takes one and how many it keeps
/// (`crate::backup`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// The scheduler takes a daily backup.
    pub enabled: bool,
    /// The folder backups go to (relative: under `storage.data_dir`).
    pub dir: String,
    /// India time of day (HH:MM) after which the day's backup is taken.
    pub daily_at: String,
    /// The newest backup of each of this many days is kept ...
    pub keep_daily: u32,
    /// ... and the newest of each of this many months.
    pub keep_monthly: u32,
    /// `serve`, `migrate` and the other commands back up a database in use before they
    /// apply a pending migration to it.
    pub before_migrations: bool,
    /// Folder holding `pg_dump` and `pg_restore`; empty = found on the PATH.
    pub pg_bin_dir: String,
}

impl BackupConfig {
    /// `daily_at` as a time of day (checked when the configuration is loaded).
    pub fn daily_at_time(&self) -> chrono::NaiveTime {
        parse_time_of_day(&self.daily_at).unwrap_or_default()
    }
}

pub(crate) fn parse_time_of_day(s: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// `/metrics` in the Prometheus text format (`crate::web::metrics`). Off by default; on the
/// main address it needs a token, on a separate address of its own the token is optional.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    pub enabled: bool,
    /// The bearer token a scraper must send (`Authorization: Bearer …`); empty = none.
    pub token: Secret,
    /// A separate address that serves `/metrics` and `/healthz` only (the main address then
    /// has no `/metrics`); empty = the main address.
    pub listen: String,
}

/// When `/healthz` says `degraded` (still 200) and why.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthConfig {
    /// The scheduler (when `jobs.enabled`) has completed no sweep for this many intervals.
    pub scheduler_missed_sweeps: u32,
    /// An e-mail has been due this many minutes without being sent.
    pub mail_due_minutes: i64,
    /// At least this many e-mails are failing: their last try failed and they wait to be
    /// tried again, or they were given up in the last 24 hours.
    pub mail_failing: i64,
    /// The newest backup is older than this many hours.
    pub backup_max_age_hours: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JobsConfig {
    pub enabled: bool,
    pub interval_seconds: u64,
    pub lease_seconds: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardsConfig {
    /// A GP's kept figures are recomputed after this long even when nothing changed (figures
    /// that move with time: overdue tasks and breakdowns, months since a meeting).
    pub max_age_seconds: i64,
}

fn default_supply_not_logged_days() -> i64 {
    3
}

fn default_supply_lpcd_low_days() -> i64 {
    7
}

fn default_supply_energy_rise_percent() -> i64 {
    15
}

fn default_ftk_low_tests() -> i64 {
    20
}

fn default_ftk_expiry_days() -> i64 {
    30
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RemindersConfig {
    pub task_due_soon_days: i64,
    pub task_overdue_engineer_days: i64,
    pub action_due_soon_days: i64,
    pub meeting_due_day: u32,
    pub demands_due_day: u32,
    pub asset_life_months_early: u32,
    pub asset_life_months_late: u32,
    pub warranty_days: i64,
    pub design_end_months: u32,
    /// A scheme that logs its supply and has logged no day for this many days is reminded.
    #[serde(default = "default_supply_not_logged_days")]
    pub supply_not_logged_days: i64,
    /// A scheme whose last this many logged days (each with a measured lpcd) were all below
    /// its state's norm is reminded, until a day is back at or above it.
    #[serde(default = "default_supply_lpcd_low_days")]
    pub supply_lpcd_low_days: i64,
    /// A scheme whose energy per kL over the last three months is up by this many percent
    /// or more on the three months before is reminded (pump servicing).
    #[serde(default = "default_supply_energy_rise_percent")]
    pub supply_energy_rise_percent: i64,
    /// A GP whose unexpired FTK kit batches hold fewer tests than this is reminded
    /// (`ftk_refills_low`).
    #[serde(default = "default_ftk_low_tests")]
    pub ftk_low_tests: i64,
    /// A kit batch with tests left expiring within this many days is reminded
    /// (`ftk_kits_expiring`).
    #[serde(default = "default_ftk_expiry_days")]
    pub ftk_expiry_days: i64,
    /// Who a rule tells, when not as built in: rule name → audiences.
    #[serde(default)]
    pub audiences: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommitteesConfig {
    pub roles: Vec<String>,
    pub min_members: i64,
    pub max_members: i64,
    pub min_women_percent: i64,
    pub max_elected_percent: i64,
    /// Members present for a quorum, as [numerator, denominator] of those serving.
    pub quorum: [i64; 2],
    /// Women among those present, as [numerator, denominator].
    pub quorum_women: [i64; 2],
    /// Changes for a state, by its LGD code.
    #[serde(default)]
    pub states: std::collections::BTreeMap<String, CommitteeRulesOverride>,
}

/// `[supply]`: the usual supply schedule of a scheme without its own, and the service norms
/// the supply figures and functionality are measured against (`crate::supply`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyConfig {
    /// Usual supply sessions, India time, each "HH:MM-HH:MM".
    pub sessions: Vec<String>,
    /// Days a week water is supplied (1–7).
    pub days_per_week: i64,
    /// Persons in a household whose size the register does not hold.
    pub persons_per_household: i64,
    /// Litres per person per day a scheme must give (JJM: 55).
    pub lpcd_norm: i64,
    /// Share of the scheduled days and hours (percent) a regular supply reaches.
    pub regularity_percent: i64,
    /// Residual head (metres) a tail-end check must find at the farthest household.
    #[serde(default = "default_tail_end_min_head_m")]
    pub tail_end_min_head_m: f64,
    /// Changes for a state, by its LGD code.
    #[serde(default)]
    pub states: std::collections::BTreeMap<String, SupplyNormsOverride>,
}

fn default_tail_end_min_head_m() -> f64 {
    7.0
}

/// A state's own supply norms; what is left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyNormsOverride {
    pub persons_per_household: Option<i64>,
    pub lpcd_norm: Option<i64>,
    pub regularity_percent: Option<i64>,
}

/// A state's changes to the composition rules; what is left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommitteeRulesOverride {
    pub min_members: Option<i64>,
    pub max_members: Option<i64>,
    pub min_women_percent: Option<i64>,
    pub max_elected_percent: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BreakdownsConfig {
    pub categories: Vec<String>,
    pub ack_hours: i64,
    pub resolve_hours_stopped: i64,
    pub resolve_hours_partial: i64,
    pub resolve_hours_minor: i64,
    pub level2_after_hours: i64,
    pub public_per_ip_per_hour: i64,
    pub public_per_phone_per_day: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BillingConfig {
    pub categories: Vec<String>,
    pub due_day: u32,
    /// A household with at least this many unpaid months is on the defaulters list.
    pub defaulter_months: i64,
    /// From this day of each month (India time) the overdue reminder SMS goes once to each
    /// household with at least `overdue_reminder_months` unpaid months; 0 = never.
    pub overdue_reminder_day: u32,
    pub overdue_reminder_months: i64,
}

/// The largest amounts a form or JSON body may carry (`[money]`), in whole rupees; every
/// money field is checked against one of the two (`web::forms::optional_money`).
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyLimits {
    pub max_amount_rupees: i64,
    pub max_capital_rupees: i64,
}

impl MoneyLimits {
    /// The highest `max_amount_rupees` may be set: ₹1 crore. Sums of such amounts over every
    /// row a state could hold stay far inside 64 bits (9.2 × 10^18 paise is 9.2 × 10^9
    /// amounts at this ceiling).
    pub const AMOUNT_CEILING_RUPEES: i64 = 10_000_000;
    /// The highest `max_capital_rupees` may be set: ₹1,000 crore.
    pub const CAPITAL_CEILING_RUPEES: i64 = 10_000_000_000;

    /// The most one amount may be (a rate, a charge, a fee, a cost, a payment), in paise.
    pub fn amount_paise(&self) -> i64 {
        self.max_amount_rupees * 100
    }

    /// The most a capital amount may be (a replacement cost, a grant), in paise.
    pub fn capital_paise(&self) -> i64 {
        self.max_capital_rupees * 100
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StorageConfig {
    /// The folder Paani's files live under: relative paths in `database.url` (SQLite),
    /// `photos_dir`, `mail.file_dir` and `backup.dir` are taken from here. Made absolute
    /// (against the working directory) when the configuration is loaded.
    pub data_dir: String,
    pub photos_dir: String,
    pub max_photo_bytes: usize,
    /// Largest photo accepted in pixels (width × height), read from its header before it is
    /// decoded.
    pub max_photo_pixels: u64,
    /// Largest width or height accepted, in pixels.
    pub max_photo_side: u32,
    /// Memory all photos being decoded at once may take, in bytes (worked out from each
    /// photo's header before decoding it); a photo that alone would need more is refused.
    pub photo_memory_bytes: u64,
    /// Photos decoded at once across the server (0: one per CPU); uploads beyond wait.
    pub photo_workers: usize,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceConfig {
    pub horizon_days: i64,
    pub grace_days: i64,
    pub templates_file: String,
}

/// `[water_quality]`: the drinking-water standard tests are classified against
/// (`crate::water_quality::standard`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaterQualityConfig {
    /// An edited copy of config/water_quality_standard.toml; empty = built-in IS 10500:2012.
    pub standard_file: String,
    pub incidents: WaterIncidentsConfig,
    /// An edited copy of config/sanitary_inspection.toml; empty = the built-in checklists.
    pub sanitary_inspection_file: String,
    /// Which tests and inspections fall due where (`crate::water_quality::schedules`).
    pub schedule: WaterScheduleConfig,
}

/// `[water_quality.schedule]`: how often each check falls due at a sampling point; 0 (or
/// `[0, 0]` for a monsoon window) schedules none. A state's own, by its LGD code, in
/// `[water_quality.schedule.states.<code>]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaterScheduleConfig {
    pub ftk_every_months: i64,
    pub ftk_point_kinds: Vec<String>,
    pub lab_chemical_every_months: i64,
    /// Months [first, last] of the bacteriological test before and after the monsoon.
    pub bacteriological_pre_monsoon: [u32; 2],
    pub bacteriological_post_monsoon: [u32; 2],
    pub lab_point_kinds: Vec<String>,
    pub sanitary_every_months: i64,
    pub sanitary_point_kinds: Vec<String>,
    #[serde(default)]
    pub states: std::collections::BTreeMap<String, WaterScheduleOverride>,
}

/// A state's own schedule; what is left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaterScheduleOverride {
    pub ftk_every_months: Option<i64>,
    pub ftk_point_kinds: Option<Vec<String>>,
    pub lab_chemical_every_months: Option<i64>,
    pub bacteriological_pre_monsoon: Option<[u32; 2]>,
    pub bacteriological_post_monsoon: Option<[u32; 2]>,
    pub lab_point_kinds: Option<Vec<String>>,
    pub sanitary_every_months: Option<i64>,
    pub sanitary_point_kinds: Option<Vec<String>>,
}

/// `[water_quality.incidents]`: the contamination incidents' step deadlines and escalation
/// (`crate::water_quality::incidents`), and the window of the supply's quality criterion.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaterIncidentsConfig {
    /// Days from detection to a sample sent to the laboratory.
    pub send_to_lab_days: i64,
    /// Days from sending to the laboratory's result.
    pub lab_result_days: i64,
    /// Days from confirmation to a remedial action.
    pub remediate_days: i64,
    /// Days from the remedial action to a passing re-test.
    pub retest_days: i64,
    /// Days past a step's deadline before the district officers are told too.
    pub district_after_days: i64,
    /// The supply's quality criterion: every point in use tested within these days.
    pub tested_within_days: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueConfig {
    pub asset_kinds_file: String,
    pub scheme_kinds_file: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchemesConfig {
    pub default_design_period_years: i32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: String,
    pub base_url: String,
    pub secure_cookies: bool,
    pub workers: usize,
    pub max_body_bytes: usize,
    pub page_size: i64,
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` are believed (`crate::web::proxy`).
    pub trusted_proxies: Vec<String>,
    /// Deprecated: `true` means `trusted_proxies` also holds the loopback addresses.
    pub trust_forwarded_for: bool,
    /// `Strict-Transport-Security: max-age=…` sent when a trusted proxy says the client came
    /// over HTTPS; 0 sends none.
    pub hsts_max_age_seconds: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
    pub sqlite_journal_mode: String,
    pub sqlite_synchronous: String,
    pub sqlite_busy_timeout_ms: u32,
    pub sqlite_cache_mib: u32,
    pub sqlite_foreign_keys: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub session_key: Secret,
    pub password_min_length: usize,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    /// Days a "keep me logged in" session lasts (no idle timeout); 0 = not offered.
    pub session_keep_days: i64,
    /// Minutes a form sent after its session ended is kept for its user; 0 = never kept.
    pub form_draft_minutes: i64,
    /// Failures of one username from one address before it must wait (`auth::throttle`).
    pub login_max_failures: i64,
    /// Failures from one address, whatever the usernames, before it must wait.
    pub login_address_max_failures: i64,
    /// Failures of one username from everywhere before browsers that never logged in to it
    /// must wait.
    pub login_username_max_failures: i64,
    /// The first wait, in seconds; each further failure doubles it ...
    pub login_delay_seconds: i64,
    /// ... up to this.
    pub login_max_delay_seconds: i64,
    /// Failures older than this are forgotten.
    pub login_window_minutes: i64,
    /// Log-in with a one-time code by SMS (`auth::otp`): off unless a deployment turns it on.
    pub phone_login: bool,
    /// The roles that may log in by phone (role names: member, secretary, …).
    pub phone_login_roles: Vec<String>,
    /// Codes one number may be sent in 15 minutes, and in a day.
    pub phone_login_codes_per_15_minutes: i64,
    pub phone_login_codes_per_day: i64,
    /// Codes one address (IPv6: its /64) may ask for in an hour, whatever the numbers.
    pub phone_login_codes_per_address_per_hour: i64,
    pub api_token_days: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct I18nConfig {
    pub default_lang: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub filter: String,
    pub format: LogFormat,
}

/// How log lines are written (`log.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One line of text per event, for people (colours only on a terminal).
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub transport: String,
    pub file_dir: String,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_username: String,
    pub smtp_password: Secret,
    /// starttls, tls (implicit, usually port 465) or none (plain; only for a relay on the
    /// same machine or network).
    pub smtp_security: String,
    /// Seconds to wait for the SMTP server.
    pub smtp_timeout_seconds: u64,
    /// Delivery tries before a message is given up (and shown to admins as failed).
    pub max_attempts: i32,
    /// The first retry waits this long; each later one twice as long as the one before.
    pub retry_base_seconds: i64,
    /// The hour (India time, 0-23) at which daily digests are put together.
    pub digest_hour: u32,
}

/// `[sms]`: the SMS outbox, its transport and India's DLT rules (`crate::sms`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmsConfig {
    /// `file` (the default: one text file per message under `file_dir`), `log` (a line in the
    /// log), or a provider: `msg91`, `exotel`, `http`.
    pub transport: String,
    /// The folder for the `file` transport (relative: under storage.data_dir).
    pub file_dir: String,
    /// An edited copy of config/sms_templates.toml; empty = the built-in sample templates.
    pub templates_file: String,
    /// The DLT header (3–6 letters) and principal entity id.
    pub sender_id: String,
    pub entity_id: String,
    /// Longest value of one template variable, in characters (DLT: usually 30).
    pub variable_max_chars: usize,
    /// Quiet hours, India time ("HH:MM"): non-urgent messages wait until `quiet_end`.
    /// Equal times: no quiet hours.
    pub quiet_start: String,
    pub quiet_end: String,
    /// Non-urgent messages one number may get in a day (India time); beyond: held.
    pub daily_cap: i64,
    /// Tries before a message is given up.
    pub max_attempts: i32,
    /// The first retry waits this long; each later one twice as long (at most a day).
    pub retry_base_seconds: i64,
    /// How long a sweep holds a message it is sending.
    pub lease_seconds: i64,
    /// Message keys not sent anywhere.
    pub disabled_kinds: Vec<String>,
    /// The language of messages to households (who have no account to choose one): `en` or
    /// `hi`; a state may choose its own.
    #[serde(default = "default_household_lang")]
    pub household_lang: String,
    /// The shared secret a provider's delivery-report callback must carry; empty = no callbacks.
    pub callback_secret: Secret,
    /// The providers' own settings.
    pub provider: crate::sms::providers::ProviderSettings,
    /// A state's changes, by its LGD code.
    #[serde(default)]
    pub states: std::collections::BTreeMap<String, SmsStateOverride>,
    /// Missed calls from one number that may file complaints in a day (India time); more
    /// calls that day file nothing and get no reply.
    #[serde(default = "default_missed_call_per_day")]
    pub missed_call_per_day: i64,
    /// The category of a complaint filed by a missed call (its supply is "stopped": no water).
    #[serde(default = "default_missed_call_category")]
    pub missed_call_category: String,
}

fn default_missed_call_per_day() -> i64 {
    3
}

fn default_missed_call_category() -> String {
    "other".into()
}

/// A state's own SMS switches; what is left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmsStateOverride {
    /// Message keys not sent in this state (replaces `sms.disabled_kinds`).
    pub disabled_kinds: Option<Vec<String>>,
    /// The language of messages to the state's households (replaces `sms.household_lang`).
    pub household_lang: Option<String>,
}

fn default_household_lang() -> String {
    "hi".into()
}

impl SmsConfig {
    /// The quiet hours as times of day (checked when the configuration is loaded).
    pub fn quiet_hours(&self) -> (chrono::NaiveTime, chrono::NaiveTime) {
        (
            parse_time_of_day(&self.quiet_start).unwrap_or_default(),
            parse_time_of_day(&self.quiet_end).unwrap_or_default(),
        )
    }

    /// The message keys switched off in a state (by its LGD code).
    pub fn disabled_in(&self, state_lgd: Option<i64>) -> &[String] {
        state_lgd
            .and_then(|s| self.states.get(&s.to_string()))
            .and_then(|o| o.disabled_kinds.as_deref())
            .unwrap_or(&self.disabled_kinds)
    }

    /// The language of messages to households in a state (by its LGD code).
    pub fn household_lang_in(&self, state_lgd: Option<i64>) -> &str {
        state_lgd
            .and_then(|s| self.states.get(&s.to_string()))
            .and_then(|o| o.household_lang.as_deref())
            .unwrap_or(&self.household_lang)
    }
}

/// A secret string: its `Debug` and `Serialize` never show the value.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "(not set)"
        } else {
            "(set, hidden)"
        })
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.0.is_empty() { "" } else { "********" })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("configuration file {path} is not valid TOML: {message}")]
    Parse { path: String, message: String },
    #[error("configuration: {0}")]
    Invalid(String),
}

/// Where configuration comes from, besides the built-in defaults.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    pub file: Option<String>,
    /// Environment variables as (name, value) pairs; `std::env::vars()` in production.
    pub env: Vec<(String, String)>,
}

impl Sources {
    pub fn from_process(file: Option<String>) -> Self {
        let file = file.or_else(|| std::env::var("PAANI_CONFIG").ok().filter(|s| !s.is_empty()));
        Sources {
            file,
            env: std::env::vars().collect(),
        }
    }
}

impl Config {
    /// The built-in defaults only.
    pub fn defaults() -> Config {
        Self::load(&Sources::default()).expect("built-in config/default.toml is valid")
    }

    pub fn load(sources: &Sources) -> Result<Config, ConfigError> {
        let mut merged: toml::Table =
            DEFAULT_TOML
                .parse()
                .map_err(|e: toml::de::Error| ConfigError::Parse {
                    path: "config/default.toml".into(),
                    message: e.message().to_string(),
                })?;
        if let Some(path) = &sources.file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            let layer: toml::Table =
                text.parse()
                    .map_err(|e: toml::de::Error| ConfigError::Parse {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
            merge(&mut merged, layer, "")?;
        }
        for (name, value) in &sources.env {
            if let Some(rest) = name.strip_prefix("PAANI__") {
                let parts: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
                if parts.len() != 2 {
                    return Err(ConfigError::Invalid(format!(
                        "environment variable {name} must look like PAANI__SECTION__KEY"
                    )));
                }
                set_key(&mut merged, &parts[0], &parts[1], value, name)?;
            }
        }
        if let Some((_, url)) = sources.env.iter().find(|(n, _)| n == "DATABASE_URL") {
            if !url.is_empty() {
                set_key(&mut merged, "database", "url", url, "DATABASE_URL")?;
            }
        }
        let de = toml::Value::Table(merged);
        let mut config: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            if path == "." || path.is_empty() {
                ConfigError::Invalid(inner)
            } else {
                ConfigError::Invalid(format!("{path}: {inner}"))
            }
        })?;
        config.validate()?;
        if let Ok(cwd) = std::env::current_dir() {
            config.resolve_paths(&cwd);
        }
        Ok(config)
    }

    /// Make `storage.data_dir` absolute (against `cwd`) and the relative paths under it
    /// absolute too: the SQLite file of `database.url`, `storage.photos_dir`,
    /// `mail.file_dir` and `backup.dir`. See [`resolve_under`].
    pub fn resolve_paths(&mut self, cwd: &Path) {
        let written = self.storage.data_dir.clone();
        let data_dir = cwd.join(&written);
        let mut old_style = Vec::new();
        let mut under =
            |setting: &str, p: &str| {
                let w = Path::new(&written);
                if w.is_relative() && Path::new(p).is_relative() && Path::new(p).starts_with(w) {
                    old_style.push(format!(
                    "{setting} {p:?} starts with storage.data_dir ({written:?}), so it is taken \
                     as it is; relative paths are now under data_dir: write {:?}.",
                    Path::new(p).strip_prefix(w).unwrap_or(Path::new(p)).display()
                ));
                }
                resolve_under(&written, &data_dir, cwd, p)
            };
        if let Ok(crate::db::DbUrl::Sqlite(file)) = crate::db::DbUrl::parse(&self.database.url) {
            let plain = file.to_string_lossy();
            if !plain.starts_with("file:") && plain != ":memory:" {
                self.database.url = format!("sqlite://{}", under("database.url", &plain).display());
            }
        }
        let photos = under("storage.photos_dir", &self.storage.photos_dir);
        let outbox = under("mail.file_dir", &self.mail.file_dir);
        let sms_dir = under("sms.file_dir", &self.sms.file_dir);
        let backups = under("backup.dir", &self.backup.dir);
        self.storage.photos_dir = photos.display().to_string();
        self.mail.file_dir = outbox.display().to_string();
        self.sms.file_dir = sms_dir.display().to_string();
        self.backup.dir = backups.display().to_string();
        self.storage.data_dir = data_dir.display().to_string();
        self.path_warnings.extend(old_style);
    }

    /// The folders and files Paani uses, resolved: what `paani check-config` shows first.
    pub fn paths(&self) -> Vec<(&'static str, String)> {
        let database = match crate::db::DbUrl::parse(&self.database.url) {
            Ok(crate::db::DbUrl::Sqlite(p)) => p.display().to_string(),
            _ => "(PostgreSQL: not a file)".to_string(),
        };
        vec![
            ("data_dir", self.storage.data_dir.clone()),
            ("database", database),
            ("photos", self.storage.photos_dir.clone()),
            ("mail outbox", self.mail.file_dir.clone()),
            ("sms outbox", self.sms.file_dir.clone()),
            ("backups", self.backup.dir.clone()),
        ]
    }

    fn validate(&self) -> Result<(), ConfigError> {
        for (rule, names) in &self.reminders.audiences {
            if !crate::reminders::rules::NAMES.contains(&rule.as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "reminders.audiences.{rule}: there is no such rule (see `paani jobs list`)"
                )));
            }
            if let Some(bad) = names
                .iter()
                .find(|n| crate::reminders::rules::Audience::parse(n).is_none())
            {
                return Err(ConfigError::Invalid(format!(
                    "reminders.audiences.{rule}: {bad:?} is not one of responsible_or_members, \
                     responsible_or_secretaries, secretaries, engineers, officers"
                )));
            }
        }
        let bad = |m: String| Err(ConfigError::Invalid(m));
        if !(1..=3650).contains(&self.offline.keep_request_days) {
            return bad("offline.keep_request_days must be 1 to 3650".into());
        }
        if !(1..=crate::billing::books::MAX_BOOK_SIZE).contains(&self.offline.receipt_book_size) {
            return bad("offline.receipt_book_size must be 1 to 500".into());
        }
        if !(1..=90).contains(&self.reminders.supply_lpcd_low_days) {
            return bad("reminders.supply_lpcd_low_days must be 1 to 90".into());
        }
        if !(1..=1000).contains(&self.reminders.supply_energy_rise_percent) {
            return bad("reminders.supply_energy_rise_percent must be 1 to 1000".into());
        }
        if !matches!(self.i18n.default_lang.as_str(), "en" | "hi") {
            return bad(format!(
                "i18n.default_lang must be \"en\" or \"hi\", not {:?}",
                self.i18n.default_lang
            ));
        }
        if !matches!(
            self.database
                .sqlite_synchronous
                .to_ascii_uppercase()
                .as_str(),
            "OFF" | "NORMAL" | "FULL" | "EXTRA"
        ) {
            return bad(format!(
                "database.sqlite_synchronous must be OFF, NORMAL, FULL or EXTRA, not {:?}",
                self.database.sqlite_synchronous
            ));
        }
        if !matches!(
            self.database
                .sqlite_journal_mode
                .to_ascii_uppercase()
                .as_str(),
            "WAL" | "DELETE" | "TRUNCATE" | "PERSIST" | "MEMORY"
        ) {
            return bad(format!(
                "database.sqlite_journal_mode must be WAL, DELETE, TRUNCATE, PERSIST or MEMORY, not {:?}",
                self.database.sqlite_journal_mode
            ));
        }
        let base = self.server.base_url.trim();
        if !base.is_empty() && url_host(base).is_none() {
            return bad(format!(
                "server.base_url must look like https://paani.example.org (http:// or https://, \
                 a host, an optional port and path, nothing after `?` or `#`), not {base:?}"
            ));
        }
        let m = &self.money;
        if !(1..=MoneyLimits::AMOUNT_CEILING_RUPEES).contains(&m.max_amount_rupees) {
            return bad(format!(
                "money.max_amount_rupees must be between 1 and {}",
                MoneyLimits::AMOUNT_CEILING_RUPEES
            ));
        }
        if !(m.max_amount_rupees..=MoneyLimits::CAPITAL_CEILING_RUPEES)
            .contains(&m.max_capital_rupees)
        {
            return bad(format!(
                "money.max_capital_rupees must be between money.max_amount_rupees and {}",
                MoneyLimits::CAPITAL_CEILING_RUPEES
            ));
        }
        if self.auth.password_min_length < 8 {
            return bad("auth.password_min_length must be at least 8".into());
        }
        let a = &self.auth;
        for (name, v) in [
            ("login_max_failures", a.login_max_failures),
            ("login_address_max_failures", a.login_address_max_failures),
            ("login_username_max_failures", a.login_username_max_failures),
        ] {
            if !(1..=1_000_000).contains(&v) {
                return bad(format!("auth.{name} must be between 1 and 1000000"));
            }
        }
        if !(0..=400).contains(&a.session_keep_days) {
            return bad("auth.session_keep_days must be between 0 (off) and 400".into());
        }
        if !(0..=1_440).contains(&a.form_draft_minutes) {
            return bad("auth.form_draft_minutes must be between 0 (off) and 1440 (a day)".into());
        }
        if !(1..=86_400).contains(&a.login_delay_seconds) {
            return bad("auth.login_delay_seconds must be between 1 and 86400 (a day)".into());
        }
        if !(a.login_delay_seconds..=604_800).contains(&a.login_max_delay_seconds) {
            return bad(format!(
                "auth.login_max_delay_seconds must be between auth.login_delay_seconds ({}) and \
                 604800 (a week)",
                a.login_delay_seconds
            ));
        }
        if !(1..=43_200).contains(&a.login_window_minutes) {
            return bad("auth.login_window_minutes must be between 1 and 43200 (30 days)".into());
        }
        for r in &a.phone_login_roles {
            if crate::auth::Role::parse(r).is_none() {
                return bad(format!("auth.phone_login_roles: {r:?} is not a role"));
            }
        }
        for (name, v) in [
            (
                "phone_login_codes_per_15_minutes",
                a.phone_login_codes_per_15_minutes,
            ),
            ("phone_login_codes_per_day", a.phone_login_codes_per_day),
            (
                "phone_login_codes_per_address_per_hour",
                a.phone_login_codes_per_address_per_hour,
            ),
        ] {
            if !(1..=10_000).contains(&v) {
                return bad(format!("auth.{name} must be between 1 and 10000"));
            }
        }
        if self.database.pool_size == 0 {
            return bad("database.pool_size must be at least 1".into());
        }
        if !matches!(
            self.mail.smtp_security.as_str(),
            "starttls" | "tls" | "none"
        ) {
            return Err(ConfigError::Invalid(format!(
                "mail.smtp_security must be \"starttls\", \"tls\" or \"none\", not {:?}",
                self.mail.smtp_security
            )));
        }
        if self.mail.digest_hour > 23 || self.mail.max_attempts < 1 {
            return Err(ConfigError::Invalid(
                "mail.digest_hour must be 0-23 and mail.max_attempts at least 1".into(),
            ));
        }
        if !matches!(self.mail.transport.as_str(), "file" | "smtp" | "memory") {
            return bad(format!(
                "mail.transport must be \"file\", \"smtp\" or \"memory\", not {:?}",
                self.mail.transport
            ));
        }
        if !(1..=730).contains(&self.maintenance.horizon_days) {
            return bad("maintenance.horizon_days must be between 1 and 730".into());
        }
        if !(0..=60).contains(&self.maintenance.grace_days) {
            return bad("maintenance.grace_days must be between 0 and 60".into());
        }
        if !(1..=100).contains(&self.schemes.default_design_period_years) {
            return bad("schemes.default_design_period_years must be between 1 and 100".into());
        }
        if !(1..=4096).contains(&self.database.sqlite_cache_mib) {
            return bad("database.sqlite_cache_mib must be between 1 and 4096".into());
        }
        let st = &self.storage;
        if st.max_photo_pixels < 1 || st.max_photo_side < 1 {
            return bad("storage.max_photo_pixels and max_photo_side must be at least 1".into());
        }
        if !(16 << 20..=16 << 30).contains(&st.photo_memory_bytes) {
            return bad("storage.photo_memory_bytes must be between 16 MiB and 16 GiB".into());
        }
        if self.server.page_size < 1 || self.server.page_size > 500 {
            return bad("server.page_size must be between 1 and 500".into());
        }
        crate::web::proxy::TrustedProxies::from_config(&self.server)
            .map_err(ConfigError::Invalid)?;
        if !(0..=63_072_000).contains(&self.server.hsts_max_age_seconds) {
            return bad(
                "server.hsts_max_age_seconds must be between 0 (no HSTS) and 63072000 (two years)"
                    .into(),
            );
        }
        let m = &self.metrics;
        if m.enabled && m.listen.trim().is_empty() && m.token.is_empty() {
            return bad(
                "metrics.token must be set when /metrics is served on the main address; or \
                 give metrics.listen a private address of its own"
                    .into(),
            );
        }
        if !m.token.is_empty()
            && (m.token.expose().chars().count() < 16
                || !m.token.expose().chars().all(|c| c.is_ascii_graphic()))
        {
            return bad(
                "metrics.token must be at least 16 characters, printable ASCII without spaces"
                    .into(),
            );
        }
        let h = &self.health;
        if !(1..=1000).contains(&h.scheduler_missed_sweeps) {
            return bad("health.scheduler_missed_sweeps must be between 1 and 1000".into());
        }
        for (name, v) in [
            ("mail_due_minutes", h.mail_due_minutes),
            ("mail_failing", h.mail_failing),
            ("backup_max_age_hours", h.backup_max_age_hours),
        ] {
            if !(1..=100_000).contains(&v) {
                return bad(format!("health.{name} must be between 1 and 100000"));
            }
        }
        let c = &self.committees;
        if c.roles.is_empty() || !c.roles.iter().any(|r| r == "member") {
            return bad("committees.roles must include \"member\"".into());
        }
        for (state, o) in
            std::iter::once((&"default".to_string(), &CommitteeRulesOverride::default()))
                .chain(c.states.iter())
        {
            let min = o.min_members.unwrap_or(c.min_members);
            let max = o.max_members.unwrap_or(c.max_members);
            let women = o.min_women_percent.unwrap_or(c.min_women_percent);
            let elected = o.max_elected_percent.unwrap_or(c.max_elected_percent);
            if min < 1 || max < min || !(0..=100).contains(&women) || !(0..=100).contains(&elected)
            {
                return bad(format!(
                    "committees ({state}): need 1 <= min_members <= max_members and percentages between 0 and 100"
                ));
            }
        }
        for (name, [n, d]) in [("quorum", c.quorum), ("quorum_women", c.quorum_women)] {
            if d < 1 || n < 0 || n > d {
                return bad(format!(
                    "committees.{name} must be [numerator, denominator] with 0 <= numerator <= denominator"
                ));
            }
        }
        if let Err(m) = crate::water_quality::schedules::check_config(&self.water_quality.schedule)
        {
            return bad(m);
        }
        let s = &self.supply;
        if s.sessions.is_empty()
            || s.sessions.len() > 4
            || s.sessions
                .iter()
                .any(|x| crate::supply::figures::parse_session(x).is_none())
        {
            return bad("supply.sessions must be 1 to 4 sessions as \"HH:MM-HH:MM\"".into());
        }
        if !(1..=7).contains(&s.days_per_week) {
            return bad("supply.days_per_week must be between 1 and 7".into());
        }
        if !(0.0..=100.0).contains(&s.tail_end_min_head_m) {
            return bad("supply.tail_end_min_head_m must be between 0 and 100 metres".into());
        }
        for (state, o) in std::iter::once((&"default".to_string(), &SupplyNormsOverride::default()))
            .chain(s.states.iter())
        {
            let persons = o.persons_per_household.unwrap_or(s.persons_per_household);
            let norm = o.lpcd_norm.unwrap_or(s.lpcd_norm);
            let share = o.regularity_percent.unwrap_or(s.regularity_percent);
            if !(1..=50).contains(&persons)
                || !(1..=1000).contains(&norm)
                || !(1..=100).contains(&share)
            {
                return bad(format!(
                    "supply ({state}): need persons_per_household 1-50, lpcd_norm 1-1000, regularity_percent 1-100"
                ));
            }
        }
        let w = &self.water_quality.incidents;
        if [
            w.send_to_lab_days,
            w.lab_result_days,
            w.remediate_days,
            w.retest_days,
            w.district_after_days,
        ]
        .iter()
        .any(|d| !(0..=365).contains(d))
            || !(1..=3650).contains(&w.tested_within_days)
        {
            return bad(
                "water_quality.incidents: the step days must be 0-365, tested_within_days 1-3650"
                    .into(),
            );
        }
        if let Err(m) = crate::sms::check_config(&self.sms) {
            return bad(m);
        }
        if !self
            .breakdowns
            .categories
            .contains(&self.sms.missed_call_category)
        {
            return bad(format!(
                "sms.missed_call_category must be one of breakdowns.categories, not {:?}",
                self.sms.missed_call_category
            ));
        }
        let b = &self.backup;
        if parse_time_of_day(&b.daily_at).is_none() {
            return bad(format!(
                "backup.daily_at must be a time of day as HH:MM (India time), not {:?}",
                b.daily_at
            ));
        }
        if !(1..=3650).contains(&b.keep_daily) || b.keep_monthly > 1200 {
            return bad(
                "backup.keep_daily must be between 1 and 3650, backup.keep_monthly at most 1200"
                    .into(),
            );
        }
        if self.storage.data_dir.trim().is_empty() || b.dir.trim().is_empty() {
            return bad("storage.data_dir and backup.dir must name a folder".into());
        }
        if !(1..=28).contains(&self.billing.due_day) {
            return bad("billing.due_day must be between 1 and 28".into());
        }
        if self.billing.overdue_reminder_day > 28
            || !(1..=120).contains(&self.billing.overdue_reminder_months)
        {
            return bad(
                "billing.overdue_reminder_day must be between 0 (never) and 28, \
                 billing.overdue_reminder_months between 1 and 120"
                    .into(),
            );
        }
        if !self.billing.categories.iter().any(|c| c == "general")
            || !self.billing.categories.iter().any(|c| c == "exempt")
        {
            return bad("billing.categories must include \"general\" and \"exempt\"".into());
        }
        let b = &self.breakdowns;
        if b.categories.is_empty() {
            return bad("breakdowns.categories must name at least one category".into());
        }
        for (name, v) in [
            ("ack_hours", b.ack_hours),
            ("resolve_hours_stopped", b.resolve_hours_stopped),
            ("resolve_hours_partial", b.resolve_hours_partial),
            ("resolve_hours_minor", b.resolve_hours_minor),
            ("level2_after_hours", b.level2_after_hours),
            ("public_per_ip_per_hour", b.public_per_ip_per_hour),
            ("public_per_phone_per_day", b.public_per_phone_per_day),
        ] {
            if !(1..=10_000).contains(&v) {
                return bad(format!("breakdowns.{name} must be between 1 and 10000"));
            }
        }
        Ok(())
    }

    /// With `auth.session_key` empty, the key kept in `<storage.data_dir>/session.key` (made
    /// the first time, readable by its owner only), so the links Paani sends (demand notices,
    /// complaint status) and anonymous forms keep working across restarts. A key set in the
    /// configuration is used as it is. Returns the file when one was read or made.
    pub fn keep_session_key(&mut self) -> Result<Option<PathBuf>, String> {
        if !self.auth.session_key.is_empty() {
            return Ok(None);
        }
        let path = Path::new(&self.storage.data_dir).join("session.key");
        let key = match std::fs::read_to_string(&path) {
            Ok(k) if k.trim().len() >= 32 => k.trim().to_string(),
            Ok(_) => return Err(format!("{} is too short to be a key", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.storage.data_dir)
                    .map_err(|e| format!("{}: {e}", self.storage.data_dir))?;
                let key = crate::auth::random_token();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let written = options.open(&path).and_then(|mut f| {
                    use std::io::Write;
                    f.write_all(key.as_bytes())?;
                    f.sync_all()
                });
                match written {
                    Ok(()) => key,
                    // another process made it first: use theirs
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::fs::read_to_string(&path)
                            .map_err(|e| format!("{}: {e}", path.display()))?
                            .trim()
                            .to_string()
                    }
                    Err(e) => return Err(format!("{}: {e}", path.display())),
                }
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        self.auth.session_key = Secret::new(key);
        Ok(Some(path))
    }

    /// Settings that work but should change: printed by `paani check-config`, logged at start.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        match self.base_url_problem() {
            Some(BaseUrlProblem::Missing) => w.push(format!(
                "server.base_url is not set: links in QR cards, e-mails, SMS and shared receipts \
                 will point at {}, which phones cannot reach. Set it to the address people open.",
                self.public_url()
            )),
            Some(BaseUrlProblem::Loopback) => w.push(format!(
                "server.base_url ({}) names this machine, but Paani listens on {}: links in QR \
                 cards, e-mails, SMS and shared receipts will not open anywhere else. Set it to \
                 the address people open.",
                self.server.base_url, self.server.listen
            )),
            None => {}
        }
        if self.server.trust_forwarded_for {
            w.push(
                "server.trust_forwarded_for is deprecated: it now trusts only a proxy on this \
                 machine (127.0.0.0/8, ::1). Name your proxies in server.trusted_proxies instead."
                    .to_string(),
            );
        }
        if self.auth.phone_login && matches!(self.sms.transport.as_str(), "file" | "log") {
            w.push(format!(
                "auth.phone_login is on but sms.transport is {:?}: log-in codes reach no phone. \
                 Configure an SMS provider.",
                self.sms.transport
            ));
        }
        w.extend(self.path_warnings.iter().cloned());
        w
    }

    /// The configuration as TOML with secrets masked: what `paani check-config` prints.
    pub fn redacted_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// What is wrong with `server.base_url`, if anything: every link that leaves the server
    /// is built from it ([`Config::public_url`]).
    pub fn base_url_problem(&self) -> Option<BaseUrlProblem> {
        let base = self.server.base_url.trim();
        if base.is_empty() {
            return Some(BaseUrlProblem::Missing);
        }
        let loopback_base = url_host(base).is_some_and(is_loopback_host);
        let listen_host = match self.server.listen.rsplit_once(':') {
            Some((host, _)) => host.trim_start_matches('[').trim_end_matches(']'),
            None => self.server.listen.as_str(),
        };
        (loopback_base && !is_loopback_host(listen_host)).then_some(BaseUrlProblem::Loopback)
    }

    /// The URL users should open: `server.base_url`, or else one made from `server.listen`.
    pub fn public_url(&self) -> String {
        if !self.server.base_url.is_empty() {
            return self.server.base_url.trim_end_matches('/').to_string();
        }
        let listen = self.server.listen.replace("0.0.0.0", "127.0.0.1");
        format!("http://{listen}")
    }
}

/// Why links that leave the server may not work ([`Config::base_url_problem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlProblem {
    /// `server.base_url` is empty: links are made from `server.listen`.
    Missing,
    /// It names this machine (localhost, 127.0.0.1, ::1) while Paani listens on other
    /// addresses too.
    Loopback,
}

/// The host of an `http://` or `https://` URL without a query or fragment, lower-cased;
/// `None` for anything else.
fn url_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if rest.contains(['?', '#', ' ']) {
        return None;
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// localhost, 127.0.0.0/8 and ::1.
fn is_loopback_host(host: impl AsRef<str>) -> bool {
    let host = host.as_ref();
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Tables that take keys of the user's choosing; their values are still checked when the
/// whole is read into [`Config`].
const OPEN_TABLES: [&str; 5] = [
    "committees.states",
    "reminders.audiences",
    "sms.states",
    "supply.states",
    "water_quality.schedule.states",
];

fn merge(base: &mut toml::Table, layer: toml::Table, prefix: &str) -> Result<(), ConfigError> {
    for (key, value) in layer {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(l)) => merge(b, l, &path)?,
            (Some(_), toml::Value::Table(_)) | (Some(toml::Value::Table(_)), _) => {
                return Err(ConfigError::Invalid(format!("{path}: wrong kind of value")))
            }
            (Some(slot), v) => *slot = v,
            // tables whose keys are the user's (a state's LGD code, a rule's name)
            (None, v) if OPEN_TABLES.contains(&prefix) => {
                base.insert(key, v);
            }
            (None, _) => {
                return Err(ConfigError::Invalid(format!("unknown key `{path}`")));
            }
        }
    }
    Ok(())
}

fn set_key(
    table: &mut toml::Table,
    section: &str,
    key: &str,
    raw: &str,
    source: &str,
) -> Result<(), ConfigError> {
    let Some(toml::Value::Table(sec)) = table.get_mut(section) else {
        return Err(ConfigError::Invalid(format!(
            "{source}: unknown section `{section}`"
        )));
    };
    let Some(existing) = sec.get(key) else {
        return Err(ConfigError::Invalid(format!(
            "{source}: unknown key `{section}.{key}`"
        )));
    };
    let value = match existing {
        toml::Value::String(_) => toml::Value::String(raw.to_string()),
        toml::Value::Integer(_) => raw
            .trim()
            .parse::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| {
                ConfigError::Invalid(format!("{source}: `{section}.{key}` needs a whole number"))
            })?,
        toml::Value::Boolean(_) => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => toml::Value::Boolean(true),
            "false" | "0" | "no" | "off" => toml::Value::Boolean(false),
            _ => {
                return Err(ConfigError::Invalid(format!(
                    "{source}: `{section}.{key}` needs true or false"
                )))
            }
        },
        // A list: comma-separated (`PAANI__SERVER__TRUSTED_PROXIES=10.0.0.1,fd00::/8`), of
        // whole numbers when the built-in list holds numbers.
        toml::Value::Array(items) => {
            let numbers = items.first().is_some_and(toml::Value::is_integer);
            let parts = raw.split(',').map(str::trim).filter(|p| !p.is_empty());
            let values: Result<Vec<toml::Value>, ConfigError> = parts
                .map(|p| {
                    if numbers {
                        p.parse::<i64>().map(toml::Value::Integer).map_err(|_| {
                            ConfigError::Invalid(format!(
                                "{source}: `{section}.{key}` needs whole numbers separated by commas"
                            ))
                        })
                    } else {
                        Ok(toml::Value::String(p.to_string()))
                    }
                })
                .collect();
            toml::Value::Array(values?)
        }
        _ => toml::Value::String(raw.to_string()),
    };
    sec.insert(key.to_string(), value);
    Ok(())
}

/// A relative `path` setting taken under the data folder: `data_dir` as written in the
/// configuration (`written`) and made absolute. An absolute path stays as it is. A relative
/// path that already starts with a relative `data_dir` (`data/photos` with the default
/// `data`, as configurations written before `data_dir` existed say) is taken from the
/// working directory, so such a configuration finds its files where it always did.
pub fn resolve_under(written: &str, data_dir: &Path, cwd: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    let written = Path::new(written);
    if written.is_relative() && p.starts_with(written) {
        return cwd.join(p);
    }
    data_dir.join(p)
}

/// Create the parent folder of a file path if it is missing (owner-only, as
/// [`create_private_dir`]).
pub fn ensure_parent_dir(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            create_private_dir(parent)?;
        }
    }
    Ok(())
}

/// Create a folder and its missing parents, readable by the owner only (0700 on Unix;
/// folders that already exist are left as they are).
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Options for a new file readable and writable by the owner only (0600 on Unix).
pub fn private_file_options() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

/// Write a whole file that only its owner may read (0600 on Unix, also when it existed).
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = private_file_options().open(path)?;
    f.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
