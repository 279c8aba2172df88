//! Large data sets for measuring: `paani demo --scale block|district|state [--seed N]
//! [--years Y]`.
//!
//! Sizes are exact: a **block** is 100 gram panchayats with 250 villages, 30,000 households,
//! 300 schemes and 5,000 assets (a GP has 2 or 3 villages, 150–450 households, 1–5 schemes,
//! 50 assets; pairs of GPs add up to the averages); a **district** is 10 blocks; a **state**
//! 10 districts (10,000 GPs, 3 million households; `--districts` sets 1 to 75; meant for
//! PostgreSQL). Every asset gets its kind's plans from the template
//! library, and each GP gets `years` years (3 by default) of maintenance tasks with the work
//! logged, breakdowns with their timelines and escalations, tariff plans, monthly demands,
//! payments with receipts, a cash book, a Paani Samiti with its meetings, minutes and action
//! items. Each GP has a character drawn from the seed (how diligent its maintenance, how
//! well it collects, how regularly its committee meets), so dashboards differ from GP to GP.
//!
//! Logins (password [`super::DEMO_PASSWORD`]): `admin`; `officer-<district LGD>`;
//! `engineer-<block LGD>`; `secretary-<GP LGD>` and `member-<GP LGD>` (the member is the
//! GP's Jal Sahiya on the committee). LGD codes: state 23, district 2301 (…2310, or up to 2375), block
//! `<district>01`…`<district>10`, GP `<block>001`…`<block>100`, village `<GP>1`…`<GP>3`.
//!
//! The rows are the areas' own row structs (`places::model::Place`, `schemes::model::Scheme`,
//! `breakdowns::model::Breakdown`, …), whole, written as they are (derived `Insertable`).
//!
//! How it is fast: ids are given here, so rows point at each other without reading anything
//! back; one thread builds a batch of 10 GPs' rows in memory while the other writes the
//! batches before it, ten to a transaction, by binary `COPY` on PostgreSQL and on SQLite by
//! multi-row INSERTs of a fixed size (prepared once) under the bind-parameter caps, and the
//! demands as one `INSERT … SELECT` per batch
//! (billing's [`Backfill`]: the rule of [`crate::billing::demands::raise`] as it stood each
//! month: connected by the month's end, not yet disconnected, a charge above nothing). A
//! batch's tasks and logs are numbered in the order of the indexes that span all GPs (state
//! and date), so they are added to those indexes in order. On SQLite the INSERTs are
//! `OR IGNORE` with foreign keys unchecked until the end (no statement journal: see `put!`);
//! a refused row stops the build, and one `PRAGMA foreign_key_check` checks every reference
//! at the end. The rules come from the areas' own code: occurrences from
//! [`crate::maintenance::recurrence`], plans from the template library, deadlines from
//! [`crate::breakdowns::deadlines`], what a payment settles from
//! [`crate::billing::payments::settles`], quorums from [`crate::committees::meetings::quorum`].
//!
//! Deterministic: every GP draws from its own generators (`StdRng`, seeded from the seed, the
//! GP and the purpose), and every time is counted from the start of today in India (nothing
//! happens after it), so the same seed on the same day gives the same rows (password hashes
//! aside: they are salted).

use super::{
    breakdown_text, kinds_for, BREAKDOWN_CATEGORIES, DEMO_AGENDA, DEMO_FIRST_NAMES, DEMO_PASSWORD,
    DEMO_SURNAMES,
};
use crate::auth::model::User;
use crate::billing::cashbook::model::Entry;
use crate::billing::demands::model::Run;
use crate::billing::demands::service::Backfill;
use crate::billing::households::model::Household;
use crate::billing::payments::model::{Payment, ReceiptCounter};
use crate::billing::payments::{financial_year, settles};
use crate::billing::tariffs::model::{Rate, TariffPlan};
use crate::breakdowns::model::{Breakdown, Event, NumberCounter};
use crate::committees::actions::model::ActionItem;
use crate::committees::meetings::model::{Addendum, AgendaItem, Attendance, Meeting};
use crate::committees::model::{Committee, Member};
use crate::config::Config;
use crate::db::schema;
use crate::db::{Backend, DbConn};
use crate::error::{AppError, AppResult};
use crate::maintenance::model::{Log, Plan, Task};
use crate::maintenance::recurrence::{MonthDay, Rule, Unit};
use crate::places::model::Place;
use crate::schemes::assets::model::Asset;
use crate::schemes::model::{Scheme, ServedVillage, StatusChange};
use crate::water_quality::points::model::SamplingPoint;
use crate::water_quality::samples::model::{Sample, SampleValue};
use crate::water_quality::testers::model::Tester;
use crate::water_quality::{Class, PointKind, Reading};
use crate::web::i18n::{india_midnight_utc, today_in_india};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::Instant;

/// How big a data set to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One block of 10 GPs: for tests (the same code at a tenth of a block).
    Tiny,
    Block,
    District,
    State,
}

impl Scale {
    pub const ALL: [Scale; 4] = [Scale::Tiny, Scale::Block, Scale::District, Scale::State];

    pub fn parse(s: &str) -> Option<Scale> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Tiny => "tiny",
            Scale::Block => "block",
            Scale::District => "district",
            Scale::State => "state",
        }
    }

    /// The districts of the scale (a state's may be set: [`Options::districts`]).
    fn districts(self) -> usize {
        match self {
            Scale::State => 10,
            _ => 1,
        }
    }

    fn blocks_per_district(self) -> usize {
        match self {
            Scale::District | Scale::State => 10,
            _ => 1,
        }
    }

    fn gps_per_block(self) -> usize {
        match self {
            Scale::Tiny => 10,
            _ => 100,
        }
    }

    /// The documented sizes.
    pub fn sizes(self) -> Sizes {
        self.sizes_of(self.districts())
    }

    fn sizes_of(self, districts: usize) -> Sizes {
        let blocks = districts * self.blocks_per_district();
        let gps = blocks * self.gps_per_block();
        Sizes {
            districts,
            blocks,
            gps,
            villages: gps * 5 / 2,
            households: gps * HOUSEHOLDS_PER_GP,
            schemes: gps * SCHEMES_PER_GP,
            assets: gps * ASSETS_PER_GP,
            // admin, an officer per district, an engineer per block, two per GP
            users: 1 + districts + blocks + 2 * gps,
        }
    }
}

/// The fixed sizes of a data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub districts: usize,
    pub blocks: usize,
    pub gps: usize,
    pub villages: usize,
    pub households: usize,
    pub schemes: usize,
    pub assets: usize,
    pub users: usize,
}

const HOUSEHOLDS_PER_GP: usize = 300;
const SCHEMES_PER_GP: usize = 3;
const ASSETS_PER_GP: usize = 50;
/// GPs built in memory and written together.
const BATCH_GPS: usize = 10;
/// Batches written in one transaction.
const COMMIT_BATCHES: usize = 10;
const STATE_LGD: i64 = 23;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub scale: Scale,
    pub seed: u64,
    /// Years of history (tasks, breakdowns, demands, payments, meetings), 1 to 10.
    pub years: u32,
    /// A state's districts, 1 to 75, instead of its 10 (other scales have one).
    pub districts: Option<usize>,
}

impl Options {
    fn district_count(&self) -> usize {
        match (self.scale, self.districts) {
            (Scale::State, Some(n)) => n,
            _ => self.scale.districts(),
        }
    }

    /// The sizes of the data set these options build.
    pub fn sizes(&self) -> Sizes {
        self.scale.sizes_of(self.district_count())
    }
}

/// One kind of row written: how many, and the seconds spent writing them.
#[derive(Debug, Clone)]
pub struct Step {
    pub name: &'static str,
    pub rows: u64,
    pub secs: f64,
}

/// Where the build is, after each batch of GPs.
pub struct Progress<'a> {
    pub gps_done: usize,
    pub gps: usize,
    pub secs: f64,
    pub steps: &'a [Step],
}

pub struct Summary {
    pub sizes: Sizes,
    /// Rows written per kind, in the order written.
    pub steps: Vec<Step>,
    /// Seconds spent building rows in memory (beside the writing, on another thread).
    pub build_secs: f64,
    pub total_secs: f64,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.steps.iter().map(|s| s.rows).sum()
    }
}

/// The steps, in the order they write.
const STEPS: [&str; 18] = [
    "places",
    "users",
    "schemes, villages served, status history",
    "assets",
    "maintenance plans",
    "maintenance tasks",
    "work logged",
    "breakdowns and their timelines",
    "households",
    "tariffs and demand runs",
    "demands",
    "payments",
    "cash book",
    "committees and members",
    "meetings, agenda, attendance, action items",
    "supply logs",
    "water testers, sampling points, tests",
    "checks, statistics, checkpoint",
];

/// Rows and seconds per step.
struct Steps(Vec<Step>);

impl Default for Steps {
    fn default() -> Steps {
        Steps(
            STEPS
                .iter()
                .map(|name| Step {
                    name,
                    rows: 0,
                    secs: 0.0,
                })
                .collect(),
        )
    }
}

impl Steps {
    fn add(&mut self, name: &'static str, rows: usize, started: Instant) {
        let secs = started.elapsed().as_secs_f64();
        match self.0.iter_mut().find(|s| s.name == name) {
            Some(s) => {
                s.rows += rows as u64;
                s.secs += secs;
            }
            None => self.0.push(Step {
                name,
                rows: rows as u64,
                secs,
            }),
        }
    }
}

// ---- time ----

/// A month with data: its first and last day (billing's [`Backfill`] works out when its
/// demands fall due).
#[derive(Debug, Clone, Copy)]
struct Month {
    first: NaiveDate,
    end: NaiveDate,
}

/// Everything is dated from `start` to the start of today (India), the cut-off: nothing in
/// the data happens after it. Tasks are planned up to `until`.
struct Calendar {
    today: NaiveDate,
    yesterday: NaiveDate,
    cutoff: NaiveDateTime,
    start: NaiveDate,
    /// The months demands are raised for (on the 1st, 09:00), oldest first.
    months: Vec<Month>,
    until: NaiveDate,
}

impl Calendar {
    fn new(now: NaiveDateTime, years: u32, horizon_days: i64) -> Calendar {
        let today = today_in_india(now);
        let this_month = today.with_day(1).unwrap_or(today);
        let start = this_month
            .checked_sub_months(Months::new(years * 12 - 1))
            .unwrap_or(this_month);
        let cutoff = india_midnight_utc(today);
        let mut months = vec![];
        let mut m = start;
        // a month's demands are raised on its first day at 09:00, before the cut-off
        while at(m, 9, 0) < cutoff {
            months.push(Month {
                first: m,
                end: crate::billing::demands::month_end(m),
            });
            m = match m.checked_add_months(Months::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        Calendar {
            today,
            yesterday: today.pred_opt().unwrap_or(today),
            cutoff,
            start,
            months,
            until: today + Duration::days(horizon_days),
        }
    }
}

/// A time of day in India on a date, as UTC.
fn at(d: NaiveDate, hour: i64, minute: i64) -> NaiveDateTime {
    india_midnight_utc(d) + Duration::hours(hour) + Duration::minutes(minute)
}

// ---- randomness ----

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator for one purpose of one place: independent of the order things are built in.
fn rng(seed: u64, key: i64, purpose: u64) -> StdRng {
    StdRng::seed_from_u64(mix(seed ^ mix((key as u64) ^ mix(purpose))))
}

/// What each generator of a GP is for.
mod purpose {
    pub const CHARACTER: u64 = 1;
    pub const PAIR: u64 = 2;
    pub const PLACES: u64 = 3;
    pub const SCHEMES: u64 = 4;
    pub const TASKS: u64 = 5;
    pub const BREAKDOWNS: u64 = 6;
    pub const HOUSEHOLDS: u64 = 7;
    pub const PAYMENTS: u64 = 8;
    pub const CASHBOOK: u64 = 9;
    pub const COMMITTEE: u64 = 10;
    pub const MEETINGS: u64 = 11;
    pub const AREA: u64 = 12;
    pub const SUPPLY: u64 = 13;
    pub const WATER: u64 = 14;
}

fn pick<'a, T>(r: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[r.gen_range(0..list.len())]
}

fn chance(r: &mut StdRng, p: f64) -> bool {
    r.gen::<f64>() < p
}

/// Place names put together from a first part and an ending, in English and Hindi.
const NAME_STARTS: &[(&str, &str)] = &[
    ("Ram", "राम"),
    ("Shiv", "शिव"),
    ("Sita", "सीता"),
    ("Kishan", "किशन"),
    ("Moti", "मोती"),
    ("Hira", "हीरा"),
    ("Lal", "लाल"),
    ("Chand", "चांद"),
    ("Bhim", "भीम"),
    ("Gopal", "गोपाल"),
    ("Sundar", "सुंदर"),
    ("Nand", "नंद"),
    ("Dev", "देव"),
    ("Hari", "हरि"),
    ("Jamun", "जामुन"),
    ("Imli", "इमली"),
    ("Pipal", "पीपल"),
    ("Bargad", "बरगद"),
    ("Amba", "अंबा"),
    ("Khajur", "खजूर"),
    ("Mahu", "महू"),
    ("Sagar", "सागर"),
    ("Bela", "बेला"),
    ("Kesar", "केसर"),
];
const NAME_ENDS: &[(&str, &str)] = &[
    ("pur", "पुर"),
    ("nagar", "नगर"),
    ("garh", "गढ़"),
    ("khedi", "खेड़ी"),
    ("wada", "वाड़ा"),
    ("gaon", "गाँव"),
    ("tola", "टोला"),
    ("kheda", "खेड़ा"),
    ("ganj", "गंज"),
    ("pura", "पुरा"),
    ("bari", "बाड़ी"),
    ("dongri", "डोंगरी"),
];

fn place_name(r: &mut StdRng) -> (String, String) {
    let (a, a_hi) = pick(r, NAME_STARTS);
    let (b, b_hi) = pick(r, NAME_ENDS);
    (format!("{a}{b}"), format!("{a_hi}{b_hi}"))
}

const WOMEN: &[&str] = &[
    "Kamla", "Sita", "Geeta", "Radha", "Sunita", "Meena", "Pushpa", "Savitri", "Lakshmi", "Rekha",
    "Anita", "Shanti", "Usha", "Kiran", "Sarita", "Asha",
];
const MEN: &[&str] = &[
    "Ramesh", "Mohan", "Suresh", "Dinesh", "Mahesh", "Ganesh", "Prakash", "Santosh", "Rajesh",
    "Mukesh", "Raju", "Kailash", "Vinod", "Shyam", "Bablu", "Ashok",
];

fn person(r: &mut StdRng, female: bool) -> String {
    let first = if female { pick(r, WOMEN) } else { pick(r, MEN) };
    format!("{first} {}", pick(r, DEMO_SURNAMES))
}

fn phone(r: &mut StdRng) -> String {
    format!(
        "{}{:09}",
        r.gen_range(6..=9),
        r.gen_range(0..1_000_000_000u32)
    )
}

// ---- rows, as built in memory ----

/// Everything one batch of GPs writes: the areas' own rows, whole.
#[derive(Default)]
struct Batch {
    gps: usize,
    places: Vec<Place>,
    users: Vec<User>,
    schemes: Vec<Scheme>,
    serves: Vec<ServedVillage>,
    history: Vec<StatusChange>,
    assets: Vec<Asset>,
    plans: Vec<Plan>,
    tasks: Vec<Task>,
    logs: Vec<Log>,
    breakdowns: Vec<Breakdown>,
    events: Vec<Event>,
    breakdown_counters: Vec<NumberCounter>,
    households: Vec<Household>,
    tariffs: Vec<TariffPlan>,
    rates: Vec<Rate>,
    runs: Vec<Run>,
    /// The demands the batch's households get (checked against what the INSERT makes).
    demands: usize,
    payments: Vec<Payment>,
    receipt_counters: Vec<ReceiptCounter>,
    cash: Vec<Entry>,
    committees: Vec<Committee>,
    members: Vec<Member>,
    meetings: Vec<Meeting>,
    agenda: Vec<AgendaItem>,
    attendance: Vec<Attendance>,
    addenda: Vec<Addendum>,
    actions: Vec<ActionItem>,
    supply: Vec<SupplyRow>,
    testers: Vec<Tester>,
    points: Vec<SamplingPoint>,
    samples: Vec<Sample>,
    sample_values: Vec<SampleValue>,
    kits: Vec<KitRow>,
}

/// Rows a multi-row INSERT carries on SQLite: a fixed number, so the statement is prepared
/// once per table and kept (diesel caches a batch of a fixed size; a batch of any size is prepared
/// anew each time), and few enough for the bind-parameter caps at the most columns a table
/// has (32, diesel's `32-column-tables`).
const PUT_ROWS: usize = 500;
const _: () = assert!(PUT_ROWS * 32 <= crate::db::MAX_BINDS);

/// Insert `$rows` (a `Vec` of an area's row struct, derived `Insertable` with
/// `treat_none_as_default_value = false`); evaluates to the rows written.
///
/// On PostgreSQL the rows go in as one binary `COPY … FROM STDIN` (diesel's `copy_from`):
/// no statement to parse or plan, no bind-parameter cap, a row is a few bytes on the wire.
/// On SQLite they go as multi-row INSERTs of `PUT_ROWS` rows (borrowed as `&[Row; PUT_ROWS]`:
/// a fixed size, so diesel keeps the prepared statement) and the rest in one more; the INSERT
/// is `OR IGNORE`, which needs no statement journal (a copy of every page a statement
/// touches, kept in case it fails half-way): a row it would refuse is counted as missing
/// instead, and that stops the build.
macro_rules! put {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = &$rows[..];
        let written = match &mut *$conn {
            crate::db::DbConn::Pg(c) if !rows.is_empty() => {
                diesel::copy_from($table).from_insertable(rows).execute(c)?
            }
            crate::db::DbConn::Pg(_) => 0,
            crate::db::DbConn::Sqlite(c) => {
                let mut n = 0usize;
                for chunk in rows.chunks(PUT_ROWS) {
                    n += match <&[_; PUT_ROWS]>::try_from(chunk) {
                        Ok(full) => diesel::insert_or_ignore_into($table)
                            .values(full)
                            .execute(c)?,
                        Err(_) => diesel::insert_or_ignore_into($table)
                            .values(chunk)
                            .execute(c)?,
                    };
                }
                n
            }
        };
        if written != rows.len() {
            return Err(AppError::Internal(format!(
                "{} of {} rows refused",
                rows.len() - written,
                rows.len()
            )));
        }
        written
    }};
}

// ---- building rows ----

/// The next id of a table.
fn next(counter: &mut i64) -> i64 {
    *counter += 1;
    *counter
}

/// The last id used per table (ids are given here, counting on from what is stored; a table
/// the builder does not point into gets them in the order its rows are written, as the
/// database would have given them).
#[derive(Debug, Default, Clone, Copy)]
struct Ids {
    place: i64,
    user: i64,
    scheme: i64,
    status_change: i64,
    asset: i64,
    plan: i64,
    task: i64,
    log: i64,
    breakdown: i64,
    event: i64,
    household: i64,
    tariff: i64,
    run: i64,
    payment: i64,
    cash: i64,
    committee: i64,
    member: i64,
    meeting: i64,
    agenda: i64,
    addendum: i64,
    action: i64,
    tester: i64,
    point: i64,
    sample: i64,
    sample_value: i64,
}

/// The tables whose ids are given here, in the order of [`Ids`] (PostgreSQL's identity
/// sequences are moved past them at the end).
const ID_TABLES: [&str; 25] = [
    "places",
    "users",
    "schemes",
    "scheme_status_history",
    "assets",
    "maintenance_plans",
    "maintenance_tasks",
    "maintenance_logs",
    "breakdowns",
    "breakdown_events",
    "households",
    "tariff_plans",
    "demand_runs",
    "payments",
    "cashbook_entries",
    "committees",
    "committee_members",
    "meetings",
    "meeting_agenda",
    "meeting_addenda",
    "action_items",
    "water_testers",
    "sampling_points",
    "water_samples",
    "water_sample_values",
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn scalar(conn: &mut DbConn, sql: &str) -> AppResult<i64> {
    let row: Count = crate::on_backend!(conn, |c| diesel::sql_query(sql).get_result(c))?;
    Ok(row.n)
}

fn max_ids(conn: &mut DbConn) -> AppResult<Ids> {
    let mut m = [0i64; ID_TABLES.len()];
    for (i, t) in ID_TABLES.iter().enumerate() {
        m[i] = scalar(
            conn,
            &format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM {t}"),
        )?;
    }
    let [place, user, scheme, status_change, asset, plan, task, log, breakdown, event, household, tariff, run, payment, cash, committee, member, meeting, agenda, addendum, action, tester, point, sample, sample_value] =
        m;
    Ok(Ids {
        place,
        user,
        scheme,
        status_change,
        asset,
        plan,
        task,
        log,
        breakdown,
        event,
        household,
        tariff,
        run,
        payment,
        cash,
        committee,
        member,
        meeting,
        agenda,
        addendum,
        action,
        tester,
        point,
        sample,
        sample_value,
    })
}

/// A block, with the places above it and its people.
#[derive(Clone)]
struct BlockInfo {
    id: i64,
    lgd: i64,
    state: i64,
    district: i64,
    engineer: (i64, String),
}

/// What every GP's rows are built from (read only).
struct Ctx {
    seed: u64,
    cal: Calendar,
    /// When the registers were set up: before the first month of data.
    at: NaiveDateTime,
    hash: String,
    grace_days: i64,
    breakdowns: crate::config::BreakdownsConfig,
    committees: crate::config::CommitteesConfig,
    catalogue: crate::schemes::catalogue::Catalogue,
    library: crate::maintenance::templates::Library,
    admin: i64,
    blocks: Vec<BlockInfo>,
    /// The standard tests are classified against (the built-in one).
    standard: crate::water_quality::Standard,
}

impl Ctx {
    fn new(config: &Config, now: NaiveDateTime, opts: &Options) -> AppResult<Ctx> {
        let cal = Calendar::new(now, opts.years, config.maintenance.horizon_days);
        Ok(Ctx {
            seed: opts.seed,
            at: at(cal.start - Duration::days(60), 11, 0),
            cal,
            hash: crate::auth::password::hash(DEMO_PASSWORD)?,
            grace_days: config.maintenance.grace_days,
            breakdowns: config.breakdowns.clone(),
            committees: config.committees.clone(),
            catalogue: crate::schemes::catalogue::Catalogue::load(&config.catalogue)
                .map_err(AppError::Config)?,
            library: crate::maintenance::templates::Library::load(
                &config.maintenance.templates_file,
            )
            .map_err(AppError::Config)?,
            admin: 0,
            blocks: vec![],
            standard: crate::water_quality::Standard::builtin(),
        })
    }
}

/// The builder: the context, the id counters and the count of receipts made (for their
/// links).
struct Builder {
    ctx: Ctx,
    ids: Ids,
    receipts: i64,
}

/// The places above the GPs and their people: the state, the districts (an officer each),
/// the blocks (an engineer each), and `admin`.
fn setup(ctx: &mut Ctx, ids: &mut Ids, opts: &Options) -> Batch {
    let scale = opts.scale;
    let mut b = Batch::default();
    let at = ctx.at;
    let admin = next(&mut ids.user);
    ctx.admin = admin;
    b.users.push(User {
        id: admin,
        username: "admin".into(),
        display_name: "State Admin".into(),
        phone: None,
        email: Some("admin@paani.example".into()),
        role: "admin".into(),
        place_id: None,
        lang: "en".into(),
        active: true,
        password_hash: ctx.hash.clone(),
        created_at: at,
        updated_at: at,
        email_pref: "immediate".into(),
        sms_pref: "off".into(),
    });
    let state = next(&mut ids.place);
    b.places.push(Place {
        id: state,
        level: "state".into(),
        lgd_code: STATE_LGD,
        name: "Madhya Pradesh".into(),
        name_hi: Some("मध्य प्रदेश".into()),
        parent_id: None,
        state_id: Some(state),
        district_id: None,
        block_id: None,
        gp_id: None,
        active: true,
        created_at: at,
        updated_at: at,
    });
    for d in 0..opts.district_count() {
        let lgd = STATE_LGD * 100 + 1 + d as i64;
        let mut r = rng(ctx.seed, lgd, purpose::AREA);
        let (name, name_hi) = if d == 0 {
            ("Narmadapuram".to_string(), "नर्मदापुरम".to_string())
        } else {
            place_name(&mut r)
        };
        let district = next(&mut ids.place);
        b.places.push(Place {
            id: district,
            level: "district".into(),
            lgd_code: lgd,
            name: name.clone(),
            name_hi: Some(name_hi),
            parent_id: Some(state),
            state_id: Some(state),
            district_id: Some(district),
            block_id: None,
            gp_id: None,
            active: true,
            created_at: at,
            updated_at: at,
        });
        let officer = format!("officer-{lgd}");
        let female = chance(&mut r, 0.5);
        b.users.push(User {
            id: next(&mut ids.user),
            email: Some(format!("{officer}@paani.example")),
            username: officer,
            display_name: format!("{} (District Officer, {name})", person(&mut r, female)),
            phone: Some(phone(&mut r)),
            role: "district_officer".into(),
            place_id: Some(district),
            lang: "en".into(),
            active: true,
            password_hash: ctx.hash.clone(),
            created_at: at,
            updated_at: at,
            email_pref: "immediate".into(),
            sms_pref: "off".into(),
        });
        for k in 0..scale.blocks_per_district() {
            let lgd = lgd * 100 + 1 + k as i64;
            let mut r = rng(ctx.seed, lgd, purpose::AREA);
            let (name, name_hi) = place_name(&mut r);
            let block = next(&mut ids.place);
            b.places.push(Place {
                id: block,
                level: "block".into(),
                lgd_code: lgd,
                name: name.clone(),
                name_hi: Some(name_hi),
                parent_id: Some(district),
                state_id: Some(state),
                district_id: Some(district),
                block_id: Some(block),
                gp_id: None,
                active: true,
                created_at: at,
                updated_at: at,
            });
            let username = format!("engineer-{lgd}");
            let female = chance(&mut r, 0.3);
            let engineer = (next(&mut ids.user), person(&mut r, female));
            b.users.push(User {
                id: engineer.0,
                email: Some(format!("{username}@paani.example")),
                username,
                display_name: format!("{} (Block Engineer, {name})", engineer.1),
                phone: Some(phone(&mut r)),
                role: "block_engineer".into(),
                place_id: Some(block),
                lang: "en".into(),
                active: true,
                password_hash: ctx.hash.clone(),
                created_at: at,
                updated_at: at,
                email_pref: "immediate".into(),
                sms_pref: "off".into(),
            });
            ctx.blocks.push(BlockInfo {
                id: block,
                lgd,
                state,
                district,
                engineer,
            });
        }
    }
    b
}

/// An asset of a GP as later steps need it.
struct AssetInfo {
    id: i64,
    scheme: usize,
    kind: &'static str,
    name: String,
}

/// A scheme of a GP as later steps need it.
struct SchemeInfo {
    id: i64,
    /// Indexes into the GP's villages.
    villages: Vec<usize>,
    solar: bool,
    /// Index of its row in the batch (its status is set once its breakdowns are known).
    row: usize,
}

/// One GP while its rows are built.
struct Gp {
    id: i64,
    lgd: i64,
    name: String,
    hindi: bool,
    block: BlockInfo,
    /// (id, name, Hindi name)
    villages: Vec<(i64, String, String)>,
    households: usize,
    diligence: f64,
    collection: f64,
    regularity: f64,
    secretary: (i64, String),
    /// The member's account: the GP's Jal Sahiya.
    member: (i64, String),
    operator: (String, String),
    schemes: Vec<SchemeInfo>,
    assets: Vec<AssetInfo>,
    /// Repairs paid from the fund: (breakdown, day, paise, repaired by, complaint number).
    repairs: Vec<(i64, NaiveDate, i64, String, String)>,
}

/// The main parts of a scheme; the first is its source, `power` its panel or solar panels.
const KIT: [&str; 10] = [
    "source",
    "pump",
    "motor",
    "rising_main",
    "ohsr",
    "chlorinator",
    "distribution_pipeline",
    "power",
    "bulk_meter",
    "tap_connections",
];
/// More parts, handed round the GP's schemes until it has its 50 assets.
const EXTRAS: [&str; 10] = [
    "valve",
    "standpost",
    "valve",
    "sump",
    "valve",
    "glsr",
    "standpost",
    "valve",
    "valve",
    "standpost",
];

fn capacity(r: &mut StdRng, kind: &str, households: usize) -> Option<f64> {
    Some(match kind {
        "borewell" | "open_well" => r.gen_range(60..220) as f64,
        "intake" => r.gen_range(10..40) as f64 * 1000.0,
        "pump" | "motor" | "electrical_panel" => *pick(r, &[3.0, 5.0, 7.5, 7.5, 10.0]),
        "rising_main" => r.gen_range(300..2500) as f64,
        "distribution_pipeline" => r.gen_range(1500..9000) as f64,
        "ohsr" | "glsr" => *pick(r, &[30.0, 50.0, 75.0, 100.0, 150.0]),
        "sump" => r.gen_range(10..60) as f64,
        "chlorinator" => r.gen_range(10..40) as f64,
        "solar_panels" => *pick(r, &[5.0, 7.5, 10.0]),
        "bulk_meter" => *pick(r, &[50.0, 80.0, 100.0]),
        "valve" => *pick(r, &[80.0, 100.0, 150.0]),
        "standpost" => r.gen_range(2..8) as f64,
        "tap_connections" => households as f64,
        _ => return None,
    })
}

/// Replacement cost in rupees, when it is usual to budget one.
fn replacement_rupees(r: &mut StdRng, kind: &str) -> Option<i64> {
    let (lo, hi) = match kind {
        "borewell" => (250_000, 400_000),
        "open_well" => (200_000, 350_000),
        "intake" => (400_000, 700_000),
        "pump" => (60_000, 100_000),
        "motor" => (40_000, 70_000),
        "ohsr" => (1_000_000, 2_000_000),
        "glsr" => (500_000, 800_000),
        "sump" => (300_000, 500_000),
        "chlorinator" => (30_000, 50_000),
        "electrical_panel" => (20_000, 30_000),
        "bulk_meter" => (15_000, 25_000),
        "solar_panels" => (200_000, 300_000),
        "valve" => (5_000, 12_000),
        "standpost" => (20_000, 40_000),
        _ => return None,
    };
    Some(r.gen_range(lo..hi) / 500 * 500)
}

/// The GP, its villages and its two accounts.
fn build_gp(ctx: &Ctx, ids: &mut Ids, block: &BlockInfo, k: usize, b: &mut Batch) -> Gp {
    let seed = ctx.seed;
    let lgd = block.lgd * 1000 + 1 + k as i64;
    // sizes: each pair of GPs adds up to the averages (5 villages, 600 households, 6 schemes)
    let mut pr = rng(seed, block.lgd * 1000 + (k / 2) as i64, purpose::PAIR);
    let three_first = chance(&mut pr, 0.5);
    let dh = pr.gen_range(0..150usize);
    let ds = *pick(&mut pr, &[0usize, 0, 0, 1, 1, 2]);
    let first = k.is_multiple_of(2);
    let n_villages = if first == three_first { 3 } else { 2 };
    let (households, n_schemes) = if first {
        (HOUSEHOLDS_PER_GP + dh, SCHEMES_PER_GP + ds)
    } else {
        (HOUSEHOLDS_PER_GP - dh, SCHEMES_PER_GP - ds)
    };
    let mut cr = rng(seed, lgd, purpose::CHARACTER);
    let diligence = 0.45 + 0.5 * cr.gen::<f64>().sqrt();
    let collection = 0.5 + 0.48 * cr.gen::<f64>().sqrt();
    let regularity = 0.45 + 0.55 * cr.gen::<f64>().sqrt();
    let hindi = chance(&mut cr, 0.7);
    let (name, name_hi) = place_name(&mut cr);
    let female = chance(&mut cr, 0.4);
    let secretary = person(&mut cr, female);
    let jal_sahiya = person(&mut cr, true);
    let operator = (person(&mut cr, false), phone(&mut cr));
    let at = ctx.at;
    let id = next(&mut ids.place);
    b.places.push(Place {
        id,
        level: "gp".into(),
        lgd_code: lgd,
        name: name.clone(),
        name_hi: Some(name_hi.clone()),
        parent_id: Some(block.id),
        state_id: Some(block.state),
        district_id: Some(block.district),
        block_id: Some(block.id),
        gp_id: Some(id),
        active: true,
        created_at: at,
        updated_at: at,
    });
    let mut r = rng(seed, lgd, purpose::PLACES);
    let mut villages = vec![];
    for v in 0..n_villages {
        let vid = next(&mut ids.place);
        // the first village carries the GP's name
        let (vn, vh) = if v == 0 {
            (name.clone(), name_hi.clone())
        } else {
            place_name(&mut r)
        };
        b.places.push(Place {
            id: vid,
            level: "village".into(),
            lgd_code: lgd * 10 + 1 + v as i64,
            name: vn.clone(),
            name_hi: Some(vh.clone()),
            parent_id: Some(id),
            state_id: Some(block.state),
            district_id: Some(block.district),
            block_id: Some(block.id),
            gp_id: Some(id),
            active: true,
            created_at: at,
            updated_at: at,
        });
        villages.push((vid, vn, vh));
    }
    let lang = if hindi { "hi" } else { "en" };
    let sec_id = next(&mut ids.user);
    b.users.push(User {
        id: sec_id,
        username: format!("secretary-{lgd}"),
        display_name: secretary.clone(),
        phone: Some(phone(&mut r)),
        email: None,
        role: "secretary".into(),
        place_id: Some(id),
        lang: lang.into(),
        active: true,
        password_hash: ctx.hash.clone(),
        created_at: at,
        updated_at: at,
        email_pref: "immediate".into(),
        sms_pref: "on".into(),
    });
    let mem_id = next(&mut ids.user);
    b.users.push(User {
        id: mem_id,
        username: format!("member-{lgd}"),
        display_name: jal_sahiya.clone(),
        phone: Some(phone(&mut r)),
        email: None,
        role: "member".into(),
        place_id: Some(id),
        lang: lang.into(),
        active: true,
        password_hash: ctx.hash.clone(),
        created_at: at,
        updated_at: at,
        email_pref: "immediate".into(),
        sms_pref: "on".into(),
    });
    let mut gp = Gp {
        id,
        lgd,
        name,
        hindi,
        block: block.clone(),
        villages,
        households,
        diligence,
        collection,
        regularity,
        secretary: (sec_id, secretary),
        member: (mem_id, jal_sahiya),
        operator,
        schemes: vec![],
        assets: vec![],
        repairs: vec![],
    };
    schemes_and_assets(ctx, ids, &mut gp, n_schemes, b);
    gp
}

fn schemes_and_assets(ctx: &Ctx, ids: &mut Ids, gp: &mut Gp, n_schemes: usize, b: &mut Batch) {
    let mut r = rng(ctx.seed, gp.lgd, purpose::SCHEMES);
    let (lat0, lon0) = (21.5 + r.gen::<f64>() * 3.0, 76.0 + r.gen::<f64>() * 4.0);
    let n_villages = gp.villages.len();
    let at = ctx.at;
    let mut sources = vec![];
    for s in 0..n_schemes {
        let id = next(&mut ids.scheme);
        let solar = chance(&mut r, 0.2);
        let source = *pick(
            &mut r,
            &[
                "borewell",
                "borewell",
                "borewell",
                "borewell",
                "open_well",
                "river",
            ],
        );
        // every village is served: the villages shared out, or one village each
        let served: Vec<usize> = if n_schemes <= n_villages {
            (0..n_villages).filter(|v| v % n_schemes == s).collect()
        } else {
            vec![s % n_villages]
        };
        let commissioned = ctx.cal.start - Duration::days(r.gen_range(200..5000));
        let (_, vname, vname_hi) = &gp.villages[served[0]];
        let (kind_en, kind_hi) = if solar {
            ("Solar PWS", "सौर नल जल योजना")
        } else {
            ("PWS", "नल जल योजना")
        };
        let same_village = gp
            .schemes
            .iter()
            .filter(|x| x.villages[0] == served[0])
            .count();
        let suffix = if same_village > 0 {
            format!(" {}", same_village + 1)
        } else {
            String::new()
        };
        b.schemes.push(Scheme {
            id,
            gp_id: gp.id,
            code: format!("{}-{}", gp.lgd, s + 1),
            name: format!("{vname} {kind_en}{suffix}"),
            name_hi: Some(format!("{vname_hi} {kind_hi}{suffix}")),
            imis_id: Some(format!("MP{:08}", id)),
            kind: if solar { "solar_pws" } else { "pws" }.into(),
            source_kind: Some(source.into()),
            commissioned_on: Some(commissioned),
            design_period_years: 30,
            design_end_on: crate::schemes::add_years(commissioned, 30),
            design_population: Some((served.len() * r.gen_range(500..1800)) as i32),
            planned_connections: Some((gp.households / n_schemes + r.gen_range(0..40)) as i32),
            operator_name: Some(gp.operator.0.clone()),
            operator_phone: Some(gp.operator.1.clone()),
            status: "functional".into(),
            status_changed_at: at,
            notes: None,
            created_at: at,
            updated_at: at,
        });
        b.history.push(StatusChange {
            id: next(&mut ids.status_change),
            gp_id: gp.id,
            scheme_id: id,
            status: "functional".into(),
            reason: "scheme registered".into(),
            changed_by: Some(gp.secretary.0),
            changed_by_name: gp.secretary.1.clone(),
            changed_at: at,
        });
        for v in &served {
            b.serves.push(ServedVillage {
                scheme_id: id,
                village_id: gp.villages[*v].0,
                gp_id: gp.id,
            });
        }
        sources.push((source, commissioned));
        gp.schemes.push(SchemeInfo {
            id,
            villages: served,
            solar,
            row: b.schemes.len() - 1,
        });
    }
    let mut kinds: Vec<(usize, &'static str)> = vec![];
    for (s, (source, _)) in sources.iter().enumerate() {
        for k in KIT {
            let kind = match k {
                "source" => match *source {
                    "open_well" => "open_well",
                    "river" => "intake",
                    _ => "borewell",
                },
                "power" if gp.schemes[s].solar => "solar_panels",
                "power" => "electrical_panel",
                k => k,
            };
            kinds.push((s, kind));
        }
    }
    let mut e = 0;
    while kinds.len() < ASSETS_PER_GP {
        kinds.push((e % n_schemes, EXTRAS[e % EXTRAS.len()]));
        e += 1;
    }
    let mut seen: HashMap<(usize, &str), usize> = HashMap::new();
    for (i, (s, kind)) in kinds.into_iter().enumerate() {
        let id = next(&mut ids.asset);
        let n = seen.entry((s, kind)).or_insert(0);
        *n += 1;
        let catalogued = ctx.catalogue.asset_kind(kind);
        let base = catalogued
            .map(|k| k.name.clone())
            .unwrap_or_else(|| kind.to_string());
        let name = if *n > 1 || EXTRAS.contains(&kind) {
            format!("{base} {n}")
        } else {
            base
        };
        let commissioned = sources[s].1;
        // pumps, motors and smaller parts are often newer than the scheme
        let installed = if matches!(
            kind,
            "pump" | "motor" | "chlorinator" | "bulk_meter" | "valve" | "electrical_panel"
        ) && chance(&mut r, 0.5)
        {
            let days = (ctx.cal.start - commissioned).num_days().max(2);
            commissioned + Duration::days(r.gen_range(0..days))
        } else {
            commissioned
        };
        let life = catalogued.and_then(|k| k.life_years).unwrap_or(15);
        gp.assets.push(AssetInfo {
            id,
            scheme: s,
            kind,
            name: name.clone(),
        });
        // (the fields in the order they draw from `r`)
        b.assets.push(Asset {
            id,
            gp_id: gp.id,
            scheme_id: gp.schemes[s].id,
            kind: kind.into(),
            name,
            installed_on: Some(installed),
            expected_life_years: life,
            end_of_life_on: crate::schemes::add_years(installed, life),
            capacity: capacity(&mut r, kind, gp.households / n_schemes),
            capacity_unit: catalogued
                .and_then(|k| k.unit.clone())
                .filter(|u| !u.is_empty()),
            make: matches!(kind, "pump" | "motor").then(|| {
                pick(&mut r, &["Kirloskar", "Crompton", "CRI", "Texmo", "Shakti"]).to_string()
            }),
            model: None,
            serial_no: None,
            warranty_until: installed.checked_add_months(Months::new(24)),
            latitude: Some(lat0 + s as f64 * 0.004 + i as f64 * 0.0003),
            longitude: Some(lon0 + s as f64 * 0.004 - i as f64 * 0.0002),
            replacement_cost_paise: replacement_rupees(&mut r, kind).map(|x| x * 100),
            notes: None,
            status: "working".into(),
            replaces_id: None,
            replaced_by_id: None,
            ended_on: None,
            created_at: at,
            updated_at: at,
            name_hi: None,
        });
    }
}

const SKIP_REASONS: [&str; 4] = [
    "No power supply that week",
    "Operator on leave",
    "Supply stopped for a repair",
    "Chemicals not in stock",
];
/// A task missed long ago: closed at a monthly review, so lists show what can still be done
/// (it still counts as not done on time).
const MISSED: &str = "Not done in time; closed at the monthly review";

/// Every asset's plans from the template library, their tasks from the first month to the
/// horizon, and the work logged for the tasks done: on time as often as the GP is diligent,
/// otherwise late, skipped or missed (open while recent).
fn maintenance(ctx: &Ctx, ids: &mut Ids, gp: &Gp, b: &mut Batch) {
    use crate::maintenance::ReadingValue;
    let cal = &ctx.cal;
    let mut r = rng(ctx.seed, gp.lgd, purpose::TASKS);
    let lang = if gp.hindi {
        crate::web::i18n::Lang::Hi
    } else {
        crate::web::i18n::Lang::En
    };
    for a in &gp.assets {
        for t in ctx.library.for_kind(a.kind) {
            let Some(unit) = Unit::parse(&t.every_unit) else {
                continue;
            };
            let window = match (t.window_start.as_deref(), t.window_end.as_deref()) {
                (Some(ws), Some(we)) => MonthDay::parse(ws).zip(MonthDay::parse(we)),
                _ => None,
            };
            let start = if unit == Unit::Window {
                cal.start
            } else {
                cal.start + Duration::days(r.gen_range(0..28))
            };
            let plan = next(&mut ids.plan);
            let scheme = gp.schemes[a.scheme].id;
            let title = format!("{} — {}", t.title(lang), a.name);
            let specs = t.reading_specs(lang);
            let checklist_text = t.checklist_in(lang);
            let done_by = match t.responsible_role.as_deref() {
                Some("jal_sahiya") => vec![gp.member.1.clone()],
                Some("member_secretary") => vec![gp.operator.0.clone(), gp.member.1.clone()],
                _ => vec![gp.operator.0.clone()],
            };
            let done_by = serde_json::to_string(&done_by).unwrap_or_else(|_| "[]".into());
            let rule = Rule {
                unit,
                every: t.every_n.max(1) as u32,
                start,
                window,
            };
            for o in rule.between(cal.start, cal.until) {
                // for now the task's and the log's places in the batch (see `renumber`)
                let task = b.tasks.len() as i64;
                let created = at(o.due - Duration::days(60), 6, 0)
                    .max(ctx.at)
                    .min(cal.cutoff - Duration::hours(2));
                let (state, done_on, skip) =
                    task_fate(&mut r, gp.diligence, o.due, o.deadline, ctx);
                let mut updated = created;
                let mut log = None;
                if let Some(d) = done_on {
                    let id = b.logs.len() as i64;
                    log = Some(id);
                    let logged = at(d, 18, r.gen_range(0..120));
                    updated = logged;
                    let bad_odds = if t.water_quality { 0.04 } else { 0.01 };
                    let readings: Vec<ReadingValue> = specs
                        .iter()
                        .map(|s| {
                            let value = match (s.min, s.max) {
                                (Some(lo), Some(hi)) if chance(&mut r, bad_odds) => {
                                    if lo > 0.0 {
                                        lo / 2.0
                                    } else {
                                        hi * 1.3
                                    }
                                }
                                (Some(lo), Some(hi)) => lo + (hi - lo) * r.gen::<f64>(),
                                _ => r.gen_range(20.0..900.0),
                            };
                            let value = (value * 100.0).round() / 100.0;
                            ReadingValue {
                                name: s.name.clone(),
                                unit: s.unit.clone(),
                                value,
                                min: s.min,
                                max: s.max,
                                out_of_range: s.min.is_some_and(|m| value < m)
                                    || s.max.is_some_and(|m| value > m),
                            }
                        })
                        .collect();
                    let skipped_item = chance(&mut r, 0.1).then(|| r.gen_range(0..8usize));
                    let checklist: Vec<serde_json::Value> = checklist_text
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            serde_json::json!({"item": item, "done": skipped_item != Some(i)})
                        })
                        .collect();
                    b.logs.push(Log {
                        id,
                        gp_id: gp.id,
                        scheme_id: scheme,
                        asset_id: Some(a.id),
                        plan_id: Some(plan),
                        task_id: Some(task),
                        title: title.clone(),
                        done_on: d,
                        done_by: done_by.clone(),
                        checklist: serde_json::to_string(&checklist)
                            .unwrap_or_else(|_| "[]".into()),
                        readings: serde_json::to_string(&readings).unwrap_or_else(|_| "[]".into()),
                        out_of_range: readings.iter().any(|x| x.out_of_range),
                        water_quality: t.water_quality,
                        notes: None,
                        cost_paise: None,
                        parts: "[]".into(),
                        recorded_by: Some(gp.member.0),
                        created_at: logged,
                    });
                } else if skip.is_some() {
                    updated = at(
                        (o.deadline + Duration::days(ctx.grace_days + 1)).min(cal.yesterday),
                        19,
                        0,
                    )
                    .max(created);
                }
                b.tasks.push(Task {
                    id: task,
                    gp_id: gp.id,
                    scheme_id: scheme,
                    asset_id: Some(a.id),
                    plan_id: plan,
                    due_on: o.due,
                    deadline_on: o.deadline,
                    state: state.into(),
                    done_on,
                    log_id: log,
                    skip_reason: skip.map(str::to_string),
                    created_at: created,
                    updated_at: updated,
                });
            }
            // a window only with both ends
            let (window_start, window_end) =
                t.window_start.clone().zip(t.window_end.clone()).unzip();
            b.plans.push(Plan {
                id: plan,
                gp_id: gp.id,
                scheme_id: scheme,
                asset_id: Some(a.id),
                template_code: Some(t.code.clone()),
                title,
                instructions: None,
                checklist: serde_json::to_string(&checklist_text).unwrap_or_else(|_| "[]".into()),
                readings: serde_json::to_string(&specs).unwrap_or_else(|_| "[]".into()),
                water_quality: t.water_quality,
                every_unit: t.every_unit.clone(),
                every_n: t.every_n.max(1),
                start_on: start,
                window_start,
                window_end,
                responsible_user_id: None,
                responsible_role: t.responsible_role.clone(),
                estimated_cost_paise: None,
                active: true,
                created_at: ctx.at,
                updated_at: ctx.at,
            });
        }
    }
}

/// What became of a task: (state, day done, reason skipped).
fn task_fate(
    r: &mut StdRng,
    diligence: f64,
    due: NaiveDate,
    deadline: NaiveDate,
    ctx: &Ctx,
) -> (&'static str, Option<NaiveDate>, Option<&'static str>) {
    let cal = &ctx.cal;
    if due > cal.yesterday {
        return ("open", None, None);
    }
    let late_from = deadline + Duration::days(ctx.grace_days);
    let u: f64 = r.gen();
    if u < diligence {
        let latest = late_from.min(cal.yesterday);
        let span = (latest - due).num_days().clamp(0, 3);
        return (
            "done",
            Some(due + Duration::days(r.gen_range(0..=span))),
            None,
        );
    }
    let rest = (u - diligence) / (1.0 - diligence).max(1e-9);
    if rest < 0.4 {
        let done = late_from + Duration::days(r.gen_range(1..=30));
        return if done <= cal.yesterday {
            ("done", Some(done), None)
        } else {
            ("open", None, None)
        };
    }
    if rest < 0.55 {
        return ("skipped", None, Some(*pick(r, &SKIP_REASONS)));
    }
    if deadline + Duration::days(45) < cal.today {
        ("skipped", None, Some(MISSED))
    } else {
        ("open", None, None)
    }
}

/// A breakdown report before numbering: when, which scheme, and the report it repeats.
struct Planned {
    key: usize,
    at: NaiveDateTime,
    scheme: usize,
    dup_of: Option<usize>,
}

/// An event of a breakdown's timeline (its id is given once the timeline is in order).
fn event(
    row: &Breakdown,
    kind: &str,
    note: Option<String>,
    by: (Option<i64>, &str),
    at: NaiveDateTime,
) -> Event {
    Event {
        id: 0,
        gp_id: row.gp_id,
        breakdown_id: row.id,
        kind: kind.into(),
        from_status: None,
        to_status: None,
        note,
        user_id: by.0,
        actor_name: by.1.into(),
        at,
    }
}

/// Move a breakdown to `to`, with its timeline event.
fn transition(
    events: &mut Vec<Event>,
    row: &mut Breakdown,
    to: &str,
    note: Option<String>,
    by: &(i64, String),
    when: NaiveDateTime,
) {
    let mut e = event(row, "transition", note, (Some(by.0), &by.1), when);
    e.from_status = Some(std::mem::replace(&mut row.status, to.into()));
    e.to_status = Some(to.into());
    events.push(e);
    row.updated_at = when;
}

/// Breakdowns of every scheme over the years, more often where maintenance is poor: most
/// acknowledged, repaired and closed (faster in diligent GPs), some stalled, a few rejected
/// or reported twice; escalated as the scheduler would have; then the schemes' and assets'
/// statuses from what is still open.
fn breakdowns(ctx: &Ctx, ids: &mut Ids, gp: &mut Gp, b: &mut Batch) {
    let cal = &ctx.cal;
    let cfg = &ctx.breakdowns;
    let mut r = rng(ctx.seed, gp.lgd, purpose::BREAKDOWNS);
    let cats: Vec<(&'static str, i64)> = BREAKDOWN_CATEGORIES
        .iter()
        .copied()
        .filter(|(c, _)| cfg.categories.iter().any(|x| x.as_str() == *c))
        .collect();
    let weights: i64 = cats.iter().map(|c| c.1).sum();
    let gap_days = 35.0 + 60.0 * ((gp.diligence - 0.45) / 0.5).clamp(0.0, 1.0);
    let gap = (gap_days * 1440.0) as i64;
    let end = cal.cutoff - Duration::hours(3);
    let mut planned: Vec<Planned> = vec![];
    for si in 0..gp.schemes.len() {
        let mut t = at(cal.start, 0, 0) + Duration::minutes(r.gen_range(0..gap));
        while t < end {
            let key = planned.len();
            planned.push(Planned {
                key,
                at: t,
                scheme: si,
                dup_of: None,
            });
            if chance(&mut r, 0.02) {
                let d = t + Duration::minutes(r.gen_range(60..600));
                if d < end {
                    planned.push(Planned {
                        key: key + 1,
                        at: d,
                        scheme: si,
                        dup_of: Some(key),
                    });
                }
            }
            t += Duration::minutes(r.gen_range(gap / 2..gap * 3 / 2));
        }
    }
    planned.sort_by_key(|p| (p.at, p.key));
    let mut id_of = vec![0i64; planned.len()];
    for p in &planned {
        id_of[p.key] = next(&mut ids.breakdown);
    }
    let mut first_of: Vec<(&'static str, &'static str, String)> =
        vec![("", "", String::new()); planned.len()];
    let secretary = gp.secretary.clone();
    let engineer = gp.block.engineer.clone();
    let first_row = b.breakdowns.len();
    for (i, p) in planned.iter().enumerate() {
        let id = id_of[p.key];
        let number = format!("{}-B{}", gp.lgd, i + 1);
        let scheme = &gp.schemes[p.scheme];
        let (category, supply) = match p.dup_of {
            Some(k) => (first_of[k].0, first_of[k].1),
            None => {
                let mut x = r.gen_range(0..weights.max(1));
                let mut category = "other";
                for (c, w) in &cats {
                    if x < *w {
                        category = *c;
                        break;
                    }
                    x -= w;
                }
                let supply = match r.gen_range(0..20) {
                    0..=6 => "stopped",
                    7..=14 => "partial",
                    _ => "none",
                };
                (category, supply)
            }
        };
        first_of[p.key] = (category, supply, number.clone());
        let kinds = kinds_for(category);
        let candidates: Vec<i64> = gp
            .assets
            .iter()
            .filter(|a| a.scheme == p.scheme && kinds.contains(&a.kind))
            .map(|a| a.id)
            .collect();
        let asset = (!candidates.is_empty()).then(|| candidates[r.gen_range(0..candidates.len())]);
        let (source, reported_by, reporter, reporter_phone, village) = if chance(&mut r, 0.12) {
            let v = scheme.villages[r.gen_range(0..scheme.villages.len())];
            let female = chance(&mut r, 0.5);
            let name = person(&mut r, female);
            (
                "public",
                None,
                name,
                Some(phone(&mut r)),
                Some(gp.villages[v].0),
            )
        } else if chance(&mut r, 0.6) {
            ("app", Some(gp.member.0), gp.member.1.clone(), None, None)
        } else {
            ("app", Some(secretary.0), secretary.1.clone(), None, None)
        };
        let households = match supply {
            "stopped" => r.gen_range(20..200),
            "partial" => r.gen_range(5..80),
            _ => r.gen_range(1..20),
        };
        let created = p.at;
        let (ack_due, resolve_due) = crate::breakdowns::deadlines(cfg, supply, created);
        let (description, resolution, cost_range) = breakdown_text(category);
        let mut row = Breakdown {
            id,
            gp_id: gp.id,
            scheme_id: scheme.id,
            asset_id: asset,
            number: number.clone(),
            category: category.into(),
            description: description.into(),
            supply: supply.into(),
            households_affected: Some(households),
            started_at: created - Duration::minutes(r.gen_range(0..360)),
            source: source.into(),
            reported_by,
            reporter_name: reporter.clone(),
            reporter_phone,
            from_task_id: None,
            status: "reported".into(),
            assigned_name: None,
            assigned_phone: None,
            resolution: None,
            cost_paise: None,
            duplicate_of: None,
            ack_due_at: ack_due,
            resolve_due_at: resolve_due,
            acknowledged_at: None,
            resolved_at: None,
            closed_at: None,
            escalation_level: 0,
            escalated_at: None,
            created_at: created,
            updated_at: created,
            village_id: village,
            visit_on: None,
        };
        let mut reported = event(
            &row,
            "reported",
            Some(description.to_string()),
            (reported_by, &reporter),
            created,
        );
        reported.to_status = Some("reported".into());
        let mut events = vec![reported];
        // when it stopped being open (resolved, rejected or a duplicate), if it did
        let mut left_open = None;
        if let Some(k) = p.dup_of {
            let when = created + Duration::minutes(r.gen_range(60..240));
            if when < cal.cutoff {
                row.duplicate_of = Some(id_of[k]);
                let note = Some(first_of[k].2.clone());
                transition(&mut events, &mut row, "duplicate", note, &secretary, when);
                left_open = Some(when);
            }
        } else if chance(&mut r, 0.02) {
            let when = created + Duration::minutes(r.gen_range(120..480));
            if when < cal.cutoff {
                let note = Some("Not a scheme fault: private pipe after the meter.".to_string());
                transition(&mut events, &mut row, "rejected", note, &secretary, when);
                left_open = Some(when);
            }
        } else {
            let diligent = gp.diligence > 0.75;
            let ack = created
                + Duration::minutes(r.gen_range(30..if diligent { 8 * 60 } else { 36 * 60 }));
            let work = ack + Duration::minutes(r.gen_range(30..12 * 60));
            let (lo, hi) = match (supply, diligent) {
                ("stopped", true) => (6, 60),
                ("stopped", false) => (6, 160),
                ("partial", true) => (12, 100),
                ("partial", false) => (12, 240),
                (_, true) => (24, 200),
                (_, false) => (24, 400),
            };
            let resolved =
                (created + Duration::hours(r.gen_range(lo..hi))).max(work + Duration::hours(1));
            let closed =
                chance(&mut r, 0.85).then(|| resolved + Duration::hours(r.gen_range(6..60)));
            let stalled = created > cal.cutoff - Duration::days(60) && chance(&mut r, 0.05);
            let never_started = stalled && chance(&mut r, 0.4);
            let fixer: (String, String) = match r.gen_range(0..4) {
                0 | 1 => gp.operator.clone(),
                2 => ("Shiv Pump Works".into(), "9425098765".into()),
                _ => ("Kamal Electricals".into(), "9993012345".into()),
            };
            let cost = cost_range.map(|(lo, hi)| r.gen_range(lo..hi) / 10 * 10 * 100);
            let closer = if chance(&mut r, 0.3) {
                &engineer
            } else {
                &secretary
            };
            if ack < cal.cutoff {
                row.acknowledged_at = Some(ack);
                transition(&mut events, &mut row, "acknowledged", None, &secretary, ack);
                if work < cal.cutoff && !never_started {
                    row.assigned_name = Some(fixer.0.clone());
                    row.assigned_phone = Some(fixer.1.clone());
                    let note = Some(format!("{} {}", fixer.0, fixer.1));
                    transition(&mut events, &mut row, "in_progress", note, &secretary, work);
                    if stalled {
                        let when = work + Duration::hours(30);
                        if when < cal.cutoff {
                            events.push(event(
                                &row,
                                "comment",
                                Some("Waiting for spare parts from the block.".into()),
                                (Some(secretary.0), &secretary.1),
                                when,
                            ));
                            row.updated_at = when;
                        }
                    } else if resolved < cal.cutoff {
                        row.resolution = Some(resolution.into());
                        row.cost_paise = cost;
                        row.resolved_at = Some(resolved);
                        let note = Some(resolution.to_string());
                        transition(
                            &mut events,
                            &mut row,
                            "resolved",
                            note,
                            &secretary,
                            resolved,
                        );
                        left_open = Some(resolved);
                        if let Some(c) = cost {
                            gp.repairs.push((
                                id,
                                today_in_india(resolved),
                                c,
                                fixer.0.clone(),
                                number.clone(),
                            ));
                        }
                        if let Some(c) = closed.filter(|c| *c < cal.cutoff) {
                            row.closed_at = Some(c);
                            transition(&mut events, &mut row, "closed", None, closer, c);
                        }
                    }
                }
            }
        }
        // escalation as the scheduler makes it: level 1 once the acknowledgement or the repair
        // is overdue while the breakdown is open, level 2 after `level2_after_hours` more
        let open_at = |t: NaiveDateTime| t >= created && left_open.is_none_or(|l| t < l);
        let ack_breach = match row.acknowledged_at {
            Some(a) if a <= ack_due => None,
            _ => Some(ack_due),
        };
        let resolve_breach = row
            .resolved_at
            .is_none_or(|x| x > resolve_due)
            .then_some(resolve_due);
        let level1 = [ack_breach, resolve_breach].into_iter().flatten().min();
        if let Some(t1) = level1.filter(|t| *t < cal.cutoff && open_at(*t)) {
            let mut escalate = |level: i32, when: NaiveDateTime, note: &str| {
                row.escalation_level = level;
                row.escalated_at = Some(when);
                row.updated_at = row.updated_at.max(when);
                events.push(event(
                    &row,
                    "escalated",
                    Some(note.into()),
                    (None, "Paani"),
                    when,
                ));
            };
            escalate(1, t1, "level 1: block engineer");
            let t2 = t1 + Duration::hours(cfg.level2_after_hours);
            if t2 < cal.cutoff && open_at(t2) {
                escalate(2, t2, "level 2: district officer");
            }
        }
        events.sort_by_key(|e| e.at);
        b.breakdowns.push(row);
        for mut e in events {
            e.id = next(&mut ids.event);
            b.events.push(e);
        }
    }
    if !planned.is_empty() {
        b.breakdown_counters.push(NumberCounter {
            gp_id: gp.id,
            last_number: planned.len() as i64,
        });
    }
    // what is still open decides the schemes' and assets' statuses
    let mut worst: HashMap<i64, (u8, NaiveDateTime, String)> = HashMap::new();
    let mut failed: Vec<i64> = vec![];
    for row in &b.breakdowns[first_row..] {
        if !crate::breakdowns::is_open(&row.status) {
            continue;
        }
        let rank = match (row.supply.as_str(), row.status.as_str()) {
            ("stopped", "in_progress") => 2,
            ("stopped", _) => 3,
            ("partial", _) => 1,
            _ => 0,
        };
        if row.supply == "stopped" {
            failed.extend(row.asset_id);
        }
        let e = worst
            .entry(row.scheme_id)
            .or_insert((0, row.created_at, row.number.clone()));
        if rank > e.0 {
            *e = (rank, row.created_at, row.number.clone());
        }
    }
    for s in &gp.schemes {
        let Some((rank, when, number)) = worst.get(&s.id) else {
            continue;
        };
        let status = match rank {
            3 => "non_functional",
            2 => "under_repair",
            1 => "partially_functional",
            _ => continue,
        };
        let row = &mut b.schemes[s.row];
        row.status = status.into();
        row.status_changed_at = *when;
        row.updated_at = row.updated_at.max(*when);
        b.history.push(StatusChange {
            id: next(&mut ids.status_change),
            gp_id: gp.id,
            scheme_id: s.id,
            status: status.into(),
            reason: format!("breakdown {number}"),
            changed_by: Some(secretary.0),
            changed_by_name: secretary.1.clone(),
            changed_at: *when,
        });
    }
    let first_asset = b.assets.len() - gp.assets.len();
    for a in &mut b.assets[first_asset..] {
        if failed.contains(&a.id) {
            a.status = "failed".into();
        } else if chance(&mut r, 0.04) {
            a.status = "needs_attention".into();
        }
    }
}

const HOUSEHOLD_CATEGORIES: [&str; 5] = ["general", "bpl", "sc", "st", "exempt"];

/// How a household pays.
#[derive(Clone, Copy)]
enum Payer {
    /// Each month, around the middle, unless it is missed (then everything owed).
    Monthly,
    /// Everything owed every this many months.
    Lumps(usize),
    /// Six months ahead, twice a year.
    Ahead,
    /// Half of what is owed, now and then.
    Defaulter,
}

/// A household as its payments need it: id, connected on, how it pays, its demands (month,
/// paise).
type Home = (i64, NaiveDate, Payer, Vec<(NaiveDate, i64)>);

/// A payment before its receipt number: day, household (index), paise, and whether it is a
/// second entry of the same payment (cancelled the next day).
struct Paid {
    on: NaiveDate,
    household: usize,
    amount: i64,
    twice: bool,
}

/// Tariff plans (a raise in about half the GPs), the household register, the demand runs
/// (their demands are written by one INSERT … SELECT with the same rule as here), and the
/// payments as people pay, numbered per financial year in the order they were made, each
/// with what it settled and the balance after it as its receipt showed them.
fn billing(ctx: &Ctx, ids: &mut Ids, receipts: &mut i64, gp: &Gp, b: &mut Batch) {
    let cal = &ctx.cal;
    let sec = gp.secretary.0;
    let mut r = rng(ctx.seed, gp.lgd, purpose::HOUSEHOLDS);
    let rates = |general: i64| {
        let concession = (general * 6 / 10 / 500 * 500).max(1000);
        [general, concession, concession, concession, 0]
    };
    let general = *pick(&mut r, &[3000i64, 4000, 5000, 5000, 6000, 7500]);
    let connection = *pick(&mut r, &[0i64, 50_000, 100_000]);
    let mut plans: Vec<(i64, NaiveDate, [i64; 5])> =
        vec![(next(&mut ids.tariff), cal.start, rates(general))];
    if cal.months.len() > 6 && chance(&mut r, 0.5) {
        let k = r.gen_range(3..cal.months.len() - 2);
        let raised = general + *pick(&mut r, &[500i64, 1000, 1500, 2000]);
        plans.push((next(&mut ids.tariff), cal.months[k].first, rates(raised)));
    }
    for (id, from, paise) in &plans {
        b.tariffs.push(TariffPlan {
            id: *id,
            gp_id: gp.id,
            effective_from: *from,
            connection_charge_paise: connection,
            late_fee_paise: None,
            late_fee_after_days: None,
            notes: Some("Gram Sabha resolution".into()),
            created_by: Some(sec),
            created_at: at(*from - Duration::days(10), 11, 0),
        });
        for (category, p) in HOUSEHOLD_CATEGORIES.iter().zip(paise) {
            b.rates.push(Rate {
                plan_id: *id,
                category: category.to_string(),
                monthly_paise: *p,
            });
        }
    }
    // the plan in force for each month
    let plan_of: Vec<usize> = cal
        .months
        .iter()
        .map(|m| plans.iter().rposition(|p| p.1 <= m.first).unwrap_or(0))
        .collect();
    let window_days = (cal.yesterday - cal.start).num_days().max(1);
    let n_villages = gp.villages.len();
    let mut homes: Vec<Home> = vec![];
    let mut runs = vec![(0i32, 0i64); cal.months.len()];
    for i in 0..gp.households {
        let id = next(&mut ids.household);
        let v = if chance(&mut r, 0.5) {
            0
        } else {
            r.gen_range(0..n_villages)
        };
        let scheme = gp
            .schemes
            .iter()
            .find(|s| s.villages.contains(&v))
            .unwrap_or(&gp.schemes[0])
            .id;
        let category = match r.gen_range(0..100) {
            0..=2 => 4,
            3..=14 => 1,
            15..=22 => 2,
            23..=28 => 3,
            _ => 0,
        };
        let connected = if chance(&mut r, 0.8) {
            cal.start - Duration::days(r.gen_range(30..1500))
        } else {
            cal.start + Duration::days(r.gen_range(0..window_days))
        };
        let disconnected = (chance(&mut r, 0.02) && connected + Duration::days(90) < cal.yesterday)
            .then(|| {
                connected + Duration::days(r.gen_range(60..=(cal.yesterday - connected).num_days()))
            });
        let u = r.gen::<f64>();
        let defaulters = (1.0 - gp.collection) * 0.8;
        let payer = if u < defaulters {
            Payer::Defaulter
        } else if u < defaulters + 0.08 {
            Payer::Ahead
        } else if u < defaulters + 0.38 {
            Payer::Lumps(r.gen_range(2..=4))
        } else {
            Payer::Monthly
        };
        let head = format!(
            "{} {}",
            pick(&mut r, DEMO_FIRST_NAMES),
            pick(&mut r, DEMO_SURNAMES)
        );
        let members = r.gen_range(2..10);
        let phone = chance(&mut r, 0.7).then(|| phone(&mut r));
        let created = if connected < cal.start {
            ctx.at
        } else {
            at(connected, 12, 0)
        };
        b.households.push(Household {
            id,
            gp_id: gp.id,
            village_id: gp.villages[v].0,
            scheme_id: Some(scheme),
            connection_no: format!("{:03}-{:04}", gp.lgd % 1000, i + 1),
            head_name: head,
            members: Some(members),
            category: HOUSEHOLD_CATEGORIES[category].into(),
            exempt_reason: (category == 4).then(|| "Destitute; Gram Sabha list".into()),
            connected_on: connected,
            status: if disconnected.is_some() {
                "disconnected"
            } else {
                "active"
            }
            .into(),
            disconnected_on: disconnected,
            status_reason: disconnected.map(|_| "Family moved to the town".into()),
            phone,
            notes: None,
            created_at: created,
            updated_at: created,
        });
        // the demands, by the rule the INSERT … SELECT follows
        let mut dues = vec![];
        for (k, m) in cal.months.iter().enumerate() {
            let paise = plans[plan_of[k]].2[category];
            if paise > 0 && connected <= m.end && disconnected.is_none_or(|d| d > m.first) {
                dues.push((m.first, paise));
                runs[k].0 += 1;
                runs[k].1 += paise;
            }
        }
        homes.push((id, connected, payer, dues));
    }
    for (k, m) in cal.months.iter().enumerate() {
        let (demands, total) = runs[k];
        if demands > 0 {
            b.runs.push(Run {
                id: next(&mut ids.run),
                gp_id: gp.id,
                month: m.first,
                plan_id: plans[plan_of[k]].0,
                demands,
                total_paise: total,
                created_by: Some(sec),
                created_at: at(m.first, 9, 0),
                cancelled_at: None,
                cancelled_by: None,
                cancel_reason: None,
            });
            b.demands += demands as usize;
        }
    }
    // payments as people pay
    let mut r = rng(ctx.seed, gp.lgd, purpose::PAYMENTS);
    let mut paid: Vec<Paid> = vec![];
    for (h, (_, connected, payer, dues)) in homes.iter().enumerate() {
        let keen = (gp.collection * (0.9 + 0.1 * r.gen::<f64>())).min(0.99);
        let mut owed = 0i64;
        for (k, (month, paise)) in dues.iter().enumerate() {
            owed += paise;
            let amount = match payer {
                Payer::Monthly => chance(&mut r, keen).then_some(owed),
                Payer::Lumps(n) => ((k + 1) % n == 0 && chance(&mut r, keen)).then_some(owed),
                Payer::Ahead => (k % 6 == 0 && chance(&mut r, keen)).then_some(owed + 5 * paise),
                Payer::Defaulter => (owed > 0 && chance(&mut r, 0.12))
                    .then_some((owed / 2 / 1000 * 1000).max(1000).min(owed)),
            };
            let on = (*month + Duration::days(r.gen_range(2..26))).max(*connected);
            let Some(amount) = amount.filter(|a| *a > 0) else {
                continue;
            };
            if on > cal.yesterday {
                continue;
            }
            paid.push(Paid {
                on,
                household: h,
                amount,
                twice: false,
            });
            owed -= amount;
            // now and then entered twice by mistake, and the second one cancelled next day
            if on < cal.yesterday && chance(&mut r, 0.002) {
                paid.push(Paid {
                    on,
                    household: h,
                    amount,
                    twice: true,
                });
            }
        }
    }
    paid.sort_by_key(|p| (p.on, p.household, p.twice));
    let mut last_seq: std::collections::BTreeMap<String, i64> = Default::default();
    // per household: (paise, cancelled at) of the payments so far
    let mut before: Vec<Vec<(i64, Option<NaiveDateTime>)>> = vec![vec![]; homes.len()];
    let mut day = (NaiveDate::MIN, 0i64);
    let jal_sahiya = format!("{} (Jal Sahiya)", gp.member.1);
    for p in paid {
        let fy = financial_year(p.on);
        let seq = {
            let s = last_seq.entry(fy.clone()).or_insert(0);
            *s += 1;
            *s
        };
        day = if day.0 == p.on {
            (p.on, day.1 + 1)
        } else {
            (p.on, 0)
        };
        let created = at(p.on, 10, day.1.min(600));
        let dues = &homes[p.household].3;
        let raised = &dues[..dues.partition_point(|d| d.0 <= p.on)];
        let demanded: i64 = raised.iter().map(|d| d.1).sum();
        let paid_before: i64 = before[p.household]
            .iter()
            .filter(|(_, c)| c.is_none_or(|c| c > created))
            .map(|x| x.0)
            .sum();
        let cancelled = p
            .twice
            .then(|| (at(p.on + Duration::days(1), 11, 0), ctx.admin));
        before[p.household].push((p.amount, cancelled.map(|c| c.0)));
        let (mode, reference) = match r.gen_range(0..20) {
            0..=14 => ("cash", None),
            15..=18 => (
                "upi",
                Some(format!("UPI{:012}", r.gen_range(0..1_000_000_000_000u64))),
            ),
            _ => (
                "bank",
                Some(format!("NEFT{:010}", r.gen_range(0..10_000_000_000u64))),
            ),
        };
        let mut link = [0u8; 24];
        r.fill(&mut link);
        *receipts += 1;
        let covers = settles(raised, paid_before, p.amount);
        b.payments.push(Payment {
            id: next(&mut ids.payment),
            gp_id: gp.id,
            household_id: homes[p.household].0,
            receipt_no: format!("{}/{fy}/{seq:06}", gp.lgd),
            fy,
            seq,
            amount_paise: p.amount,
            paid_on: p.on,
            mode: mode.into(),
            reference,
            collected_by: if chance(&mut r, 0.7) {
                gp.secretary.1.clone()
            } else {
                jal_sahiya.clone()
            },
            covers_from: covers.map(|c| c.0),
            covers_to: covers.map(|c| c.1),
            balance_after_paise: demanded - paid_before - p.amount,
            token: {
                use base64::Engine;
                format!(
                    "{:010x}{}",
                    *receipts,
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(link)
                )
            },
            idempotency_key: None,
            recorded_by: Some(sec),
            created_at: created,
            cancelled_at: cancelled.map(|c| c.0),
            cancelled_by: cancelled.map(|c| c.1),
            cancel_reason: cancelled.map(|_| "Entered twice".into()),
        });
    }
    for (fy, last) in last_seq {
        b.receipt_counters.push(ReceiptCounter {
            gp_id: gp.id,
            fy,
            last_number: last,
        });
    }
}

/// The O&M fund's cash book: the opening balance, each month's electricity bill (for the
/// schemes on the grid), the operator's honorarium, chemicals, water tests, the yearly 15th
/// Finance Commission grant, connection charges, and every repair paid for a breakdown.
fn cash_book(ctx: &Ctx, ids: &mut Ids, gp: &Gp, b: &mut Batch) {
    let cal = &ctx.cal;
    let mut r = rng(ctx.seed, gp.lgd, purpose::CASHBOOK);
    let on_grid = gp.schemes.iter().filter(|s| !s.solar).count() as i64;
    let honorarium = r.gen_range(10..26) * 10_000;
    let charge = b
        .tariffs
        .iter()
        .rev()
        .find(|t| t.gp_id == gp.id)
        .map(|t| t.connection_charge_paise)
        .unwrap_or(0);
    // (day, kind, head, paise, party, mode, breakdown, notes)
    type Line = (
        NaiveDate,
        &'static str,
        &'static str,
        i64,
        Option<String>,
        &'static str,
        Option<i64>,
        Option<String>,
    );
    let mut entries: Vec<Line> = vec![(
        cal.start,
        "opening",
        "opening",
        r.gen_range(50..400) * 10_000,
        None,
        "cash",
        None,
        Some("Balance brought forward".into()),
    )];
    let first_household = b.households.len() - gp.households;
    for (k, m) in cal.months.iter().enumerate() {
        let day = |d: i64| m.first + Duration::days(d - 1);
        if on_grid > 0 {
            entries.push((
                day(10),
                "expense",
                "electricity",
                on_grid * r.gen_range(150..350) * 1000,
                Some("MPMKVVCL".into()),
                "bank",
                None,
                None,
            ));
        }
        entries.push((
            day(28),
            "expense",
            "honorarium",
            honorarium,
            Some(gp.operator.0.clone()),
            "cash",
            None,
            Some("Pump operator".into()),
        ));
        if k % 3 == 1 {
            entries.push((
                day(12),
                "expense",
                "chemicals",
                r.gen_range(30..80) * 1000,
                Some("Krishi Seva Kendra".into()),
                "cash",
                None,
                Some("Bleaching powder".into()),
            ));
        }
        if k % 6 == 2 {
            entries.push((
                day(14),
                "expense",
                "water_testing",
                60_000,
                Some("District water testing lab".into()),
                "cash",
                None,
                None,
            ));
        }
        if m.first.month() == 7 {
            entries.push((
                day(20),
                "income",
                "grant_15fc",
                r.gen_range(50..150) * 100_000,
                Some("Gram Panchayat (15th FC tied grant)".into()),
                "bank",
                None,
                None,
            ));
        }
        let new = b.households[first_household..]
            .iter()
            .filter(|h| h.connected_on >= m.first && h.connected_on <= m.end)
            .count() as i64;
        if charge > 0 && new > 0 {
            entries.push((
                m.end,
                "income",
                "connection",
                new * charge,
                None,
                "cash",
                None,
                Some(format!("{new} new connections")),
            ));
        }
    }
    for (breakdown, on, paise, party, number) in &gp.repairs {
        entries.push((
            *on,
            "expense",
            "repairs",
            *paise,
            Some(party.clone()),
            "cash",
            Some(*breakdown),
            Some(format!("Breakdown {number}")),
        ));
    }
    entries.retain(|e| e.0 <= cal.yesterday && e.0 >= cal.start);
    entries.sort_by_key(|e| (e.0, e.1 != "opening"));
    let mut vouchers: std::collections::BTreeMap<String, i64> = Default::default();
    for (on, kind, head, amount, party, mode, breakdown, notes) in entries {
        let voucher = (kind == "expense").then(|| {
            let fy = financial_year(on);
            let n = vouchers.entry(fy.clone()).or_insert(0);
            *n += 1;
            format!("V/{fy}/{n:03}")
        });
        b.cash.push(Entry {
            id: next(&mut ids.cash),
            gp_id: gp.id,
            entry_on: on,
            kind: kind.into(),
            head: head.into(),
            amount_paise: amount,
            voucher_no: voucher,
            party,
            mode: mode.into(),
            reference: None,
            breakdown_id: breakdown,
            task_id: None,
            notes,
            created_by: Some(gp.secretary.0),
            created_at: at(on, 17, 0),
            cancelled_at: None,
            cancelled_by: None,
            cancel_reason: None,
        });
    }
}

/// The GP's Paani Samiti, formed before the first month: 10–14 members, half or more women
/// (not in a few GPs), two elected GP members, the SC/ST share of the population, the Jal
/// Sahiya linked to the member's account; in some GPs a member left and another joined.
fn committee(ctx: &Ctx, ids: &mut Ids, gp: &Gp, b: &mut Batch) -> Vec<Member> {
    let cal = &ctx.cal;
    let cfg = &ctx.committees;
    let mut r = rng(ctx.seed, gp.lgd, purpose::COMMITTEE);
    let formed = cal.start - Duration::days(r.gen_range(30..700));
    let id = next(&mut ids.committee);
    let sc_st = r.gen_range(8..35);
    let created = at(formed, 12, 0);
    b.committees.push(Committee {
        id,
        gp_id: gp.id,
        village_id: None,
        name: format!("{} Paani Samiti", gp.name),
        constituted_on: formed,
        sc_st_population_percent: Some(sc_st),
        created_at: created,
        updated_at: created,
    });
    let size = (r.gen_range(10..=14) as i64)
        .min(cfg.max_members)
        .max(cfg.min_members)
        .max(6) as usize;
    let women = if chance(&mut r, 0.06) {
        size * 3 / 10
    } else {
        (size.div_ceil(2) + r.gen_range(0..=1)).min(size)
    };
    let sc_st_members = (size * sc_st as usize).div_ceil(100);
    let mut members = vec![];
    for i in 0..size {
        let female = i < women.max(1);
        let role = match i {
            0 => "jal_sahiya",
            1 => "chairperson",
            2 => "member_secretary",
            3 => "treasurer",
            _ => "member",
        };
        let social = if (i * 7) % size < sc_st_members {
            if i % 2 == 0 {
                "sc"
            } else {
                "st"
            }
        } else {
            *pick(&mut r, &["obc", "obc", "general"])
        };
        let name = if i == 0 {
            gp.member.1.clone()
        } else {
            person(&mut r, female)
        };
        let phone = (i < 4).then(|| phone(&mut r));
        members.push(Member {
            id: next(&mut ids.member),
            committee_id: id,
            gp_id: gp.id,
            name,
            gender: if female { "female" } else { "male" }.into(),
            social_category: social.into(),
            role: role.into(),
            elected_gp_member: i == 1 || i == size - 1,
            phone,
            user_id: (i == 0).then_some(gp.member.0),
            term_from: formed,
            term_to: None,
            end_reason: None,
            created_at: created,
            updated_at: created,
        });
    }
    if chance(&mut r, 0.25) {
        let span = (cal.yesterday - cal.start).num_days();
        if span > 120 && size > 5 {
            let j = r.gen_range(4..size);
            let left = cal.start + Duration::days(r.gen_range(60..span - 30));
            let mut newcomer = members[j].clone();
            members[j].term_to = Some(left);
            members[j].end_reason = Some("Moved to another village".into());
            members[j].created_at = at(left, 12, 0);
            members[j].updated_at = at(left, 12, 0);
            newcomer.id = next(&mut ids.member);
            newcomer.name = person(&mut r, newcomer.gender == "female");
            newcomer.role = "member".into();
            newcomer.elected_gp_member = false;
            newcomer.term_from = left + Duration::days(1);
            newcomer.created_at = at(left + Duration::days(1), 12, 0);
            newcomer.updated_at = newcomer.created_at;
            members.push(newcomer);
        }
    }
    b.members.extend(members.iter().cloned());
    members
}

/// The GP's water quality: two trained testers (the first its Jal Sahiya, the member), a
/// sampling point at each source and tank, and their tests over the years: an FTK each
/// quarter (pH, turbidity, fluoride, nitrate, iron), H2S vials before (May) and after (Oct)
/// the monsoon, and the laboratory's round after it (Nov); a few GPs are fluoride-affected
/// (1.2–2.0 mg/l) and a few vials show bacteria. Each value classified by the standard. The
/// FTK tests of a year name that year's kit batch (`FTK-<year>`), received in January (or
/// before the first test): the past years' batches were used up, this year's has 40 tests
/// left, so kit stock is never empty.
fn water(ctx: &Ctx, ids: &mut Ids, gp: &Gp, b: &mut Batch) {
    let cal = &ctx.cal;
    let std = &ctx.standard;
    let mut r = rng(ctx.seed, gp.lgd, purpose::WATER);
    let Some(village) = gp.villages.first().map(|v| v.0) else {
        return;
    };
    let mut testers = vec![];
    for i in 0..2 {
        let id = next(&mut ids.tester);
        testers.push(id);
        b.testers.push(Tester {
            id,
            gp_id: gp.id,
            village_id: village,
            name: if i == 0 {
                gp.member.1.clone()
            } else {
                person(&mut r, true)
            },
            phone: None,
            trained_on: cal.start - Duration::days(90),
            trained_by: "PHED block team".into(),
            user_id: (i == 0).then_some(gp.member.0),
            active: true,
            created_at: ctx.at,
            updated_at: ctx.at,
        });
    }
    let fluoride_affected = chance(&mut r, 0.08);
    // FTK tests per year: (first day, count)
    let mut ftk_years: std::collections::BTreeMap<i32, (NaiveDate, i64)> = Default::default();
    let number = |code: &str, micro: i64| -> (String, String, Option<i64>, Class) {
        let unit = std
            .parameter(code)
            .map(|p| p.unit.clone())
            .unwrap_or_default();
        let class = std
            .classify(code, Reading::Number(micro))
            .unwrap_or(Class::Acceptable);
        (code.to_string(), unit, Some(micro), class)
    };
    for a in &gp.assets {
        let Some(kind) = PointKind::of_asset_kind(a.kind)
            .filter(|k| matches!(k, PointKind::Source | PointKind::StorageTank))
        else {
            continue;
        };
        let scheme = &gp.schemes[a.scheme];
        let point = next(&mut ids.point);
        b.points.push(SamplingPoint {
            id: point,
            gp_id: gp.id,
            scheme_id: scheme.id,
            village_id: gp.villages[scheme.villages[0]].0,
            kind: kind.as_str().into(),
            asset_id: Some(a.id),
            name: a.name.clone(),
            name_hi: None,
            latitude: None,
            longitude: None,
            active: true,
            created_at: ctx.at,
            updated_at: ctx.at,
        });
        // (day, kind) of each test, oldest first
        let mut tests: Vec<(NaiveDate, &str)> = vec![];
        let mut d = cal.start + Duration::days(r.gen_range(0..30));
        while d < cal.today {
            tests.push((d, "ftk"));
            d += Duration::days(r.gen_range(85..100));
        }
        for y in cal.start.year()..=cal.today.year() {
            for (m, kind) in [(5, "h2s"), (10, "h2s"), (11, "laboratory")] {
                if let Some(d) = NaiveDate::from_ymd_opt(y, m, r.gen_range(1..=25)) {
                    if d >= cal.start && d < cal.today {
                        tests.push((d, kind));
                    }
                }
            }
        }
        tests.sort();
        for (on, kind) in tests {
            let sample = next(&mut ids.sample);
            let mut values: Vec<(String, String, Option<i64>, Class)> = vec![];
            let fluoride = if fluoride_affected {
                r.gen_range(1_200_000..=2_000_000)
            } else {
                r.gen_range(200_000..=900_000)
            };
            match kind {
                "h2s" => {
                    let present = chance(&mut r, 0.03);
                    values.push((
                        "h2s_bacteria".into(),
                        String::new(),
                        None,
                        if present {
                            Class::BacteriaPresent
                        } else {
                            Class::Acceptable
                        },
                    ));
                }
                _ => {
                    values.push(number("ph", r.gen_range(6_800_000..=8_300_000)));
                    values.push(number("turbidity", r.gen_range(200_000..=2_500_000)));
                    values.push(number("fluoride", fluoride));
                    values.push(number("nitrate", r.gen_range(5_000_000..=40_000_000)));
                    values.push(number("iron", r.gen_range(50_000..=350_000)));
                    if kind == "laboratory" {
                        values.push(number("tds", r.gen_range(250_000_000..=700_000_000)));
                        values.push(number(
                            "total_hardness",
                            r.gen_range(120_000_000..=320_000_000),
                        ));
                        values.push(number("chloride", r.gen_range(50_000_000..=250_000_000)));
                        values.push(("e_coli".into(), String::new(), None, Class::Acceptable));
                    }
                }
            }
            let overall = crate::water_quality::standard::overall(values.iter().map(|v| v.3));
            let field = kind != "laboratory";
            if kind == "ftk" {
                let y = ftk_years.entry(on.year()).or_insert((on, 0));
                y.0 = y.0.min(on);
                y.1 += 1;
            }
            b.samples.push(Sample {
                id: sample,
                gp_id: gp.id,
                point_id: point,
                kind: kind.into(),
                sampled_on: on,
                tested_on: on,
                tester_id: field.then(|| *pick(&mut r, &testers)),
                laboratory: (!field).then(|| "District Water Testing Laboratory".to_string()),
                lab_sample_no: (!field).then(|| format!("DWTL/{}/{sample}", on.year())),
                kit_batch: (kind == "ftk").then(|| format!("FTK-{}", on.year())),
                kit_expires_on: (kind == "ftk")
                    .then(|| NaiveDate::from_ymd_opt(on.year() + 1, 6, 30).unwrap_or(on)),
                overall_class: overall.as_str().into(),
                standard_version: std.version.clone(),
                notes: None,
                recorded_by: Some(if field { gp.member.0 } else { ctx.admin }),
                recorded_at: at(on, 12, 0),
            });
            for (parameter, unit, micro, class) in values {
                let presence = micro.is_none();
                b.sample_values.push(SampleValue {
                    id: next(&mut ids.sample_value),
                    gp_id: gp.id,
                    sample_id: sample,
                    parameter,
                    unit,
                    value_micro: micro,
                    present: presence.then_some(class == Class::BacteriaPresent),
                    agreeable: None,
                    class: class.as_str().into(),
                });
            }
        }
    }
    for (year, (first, used)) in ftk_years {
        let january = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(first);
        let received = january.min(first);
        b.kits.push(KitRow {
            gp_id: gp.id,
            kind: if year == cal.start.year() {
                "kit"
            } else {
                "refill"
            }
            .into(),
            batch: format!("FTK-{year}"),
            received_on: received,
            // what the tests naming it say
            expires_on: NaiveDate::from_ymd_opt(year + 1, 6, 30).unwrap_or(first),
            tests: used + if year == cal.today.year() { 40 } else { 0 },
            supplied_by: Some("PHED block office".into()),
            notes: None,
            recorded_by: Some(gp.secretary.0),
            created_at: at(received, 11, 0),
        });
    }
}

/// A meeting as planned (nobody present yet, nothing approved), by the GP's secretary.
#[allow(clippy::too_many_arguments)]
fn meeting(
    id: i64,
    committee: i64,
    gp: &Gp,
    kind: &str,
    held_on: NaiveDate,
    venue: &str,
    lang: &str,
    created: NaiveDateTime,
) -> Meeting {
    Meeting {
        id,
        committee_id: committee,
        gp_id: gp.id,
        kind: kind.into(),
        held_on,
        starts_at: Some("10:30".into()),
        venue: Some(venue.into()),
        status: "planned".into(),
        others_present: 0,
        others_women: 0,
        approved_at: None,
        approved_by: None,
        created_by: Some(gp.secretary.0),
        created_at: created,
        updated_at: created,
        lang: lang.into(),
    }
}

/// Monthly meetings (a Gram Sabha in August), held as regularly as the GP's committee does;
/// members present (women first, so the women's part of the quorum holds; a few meetings
/// without a quorum), three or four agenda items with minutes in the meeting's language, an
/// action item on the second, approved a week later; the next meeting planned where the
/// committee is regular.
fn meetings(ctx: &Ctx, ids: &mut Ids, gp: &Gp, members: &[Member], b: &mut Batch) {
    let cal = &ctx.cal;
    let mut r = rng(ctx.seed, gp.lgd, purpose::MEETINGS);
    let (lang, venue) = if gp.hindi {
        ("hi", "पंचायत भवन")
    } else {
        ("en", "Panchayat Bhawan")
    };
    let committee = members.first().map(|m| m.committee_id).unwrap_or(0);
    let sec = gp.secretary.0;
    let discussion = if gp.hindi {
        "सदस्यों ने विषय पर चर्चा की।"
    } else {
        "Members discussed the matter."
    };
    let mut planned_next = false;
    for (k, m) in cal.months.iter().enumerate() {
        if !chance(&mut r, gp.regularity) {
            continue;
        }
        let held = m.first + Duration::days(r.gen_range(3..24));
        let id = next(&mut ids.meeting);
        let kind = if m.first.month() == 8 {
            "gram_sabha"
        } else if chance(&mut r, 0.05) {
            "with_engineer"
        } else {
            "monthly"
        };
        let n_items = 3 + r.gen_range(0..2usize);
        let items: Vec<(&'static str, &'static str, &'static str)> = (0..n_items)
            .map(|i| {
                let (en, hi, dec_en, dec_hi) = if i == 0 {
                    DEMO_AGENDA[0]
                } else {
                    DEMO_AGENDA[1 + (i + k) % (DEMO_AGENDA.len() - 1)]
                };
                if gp.hindi {
                    (hi, dec_hi, en)
                } else {
                    (en, dec_en, en)
                }
            })
            .collect();
        if held >= cal.today {
            // this month's meeting is still to come
            planned_next = true;
            let created = at(cal.yesterday, 12, 0);
            b.meetings
                .push(meeting(id, committee, gp, kind, held, venue, lang, created));
            for (i, &(title, _, _)) in items.iter().enumerate() {
                b.agenda.push(AgendaItem {
                    id: next(&mut ids.agenda),
                    meeting_id: id,
                    position: i as i32 + 1,
                    title: title.into(),
                    discussion: None,
                    decision: None,
                });
            }
            continue;
        }
        let serving: Vec<&Member> = members
            .iter()
            .filter(|x| x.term_from <= held && x.term_to.is_none_or(|t| t >= held))
            .collect();
        let needed =
            crate::committees::meetings::quorum(&ctx.committees, serving.len() as i64, 0, 0).needed
                as usize;
        let present = if chance(&mut r, 0.04) {
            needed.saturating_sub(1).max(1)
        } else {
            let share = 0.55 + 0.4 * r.gen::<f64>();
            ((serving.len() as f64 * share).ceil() as usize).max(needed)
        };
        let present = present.min(serving.len());
        let mut order: Vec<(bool, u32, i64)> = serving
            .iter()
            .map(|x| (x.gender != "female", r.gen::<u32>(), x.id))
            .collect();
        order.sort();
        for (_, _, member) in order.iter().take(present) {
            b.attendance.push(Attendance {
                meeting_id: id,
                member_id: *member,
            });
        }
        let approved = held + Duration::days(7) <= cal.yesterday;
        let approved_at = at(held + Duration::days(7), 12, 0);
        let others = r.gen_range(0..30);
        let created = at(held - Duration::days(7), 12, 0).max(at(cal.start, 12, 0));
        b.meetings.push(Meeting {
            status: if approved { "approved" } else { "held" }.into(),
            others_present: others,
            others_women: r.gen_range(0..=others),
            approved_at: approved.then_some(approved_at),
            approved_by: approved.then_some(sec),
            updated_at: if approved {
                approved_at
            } else {
                at(held, 18, 0)
            },
            ..meeting(id, committee, gp, kind, held, venue, lang, created)
        });
        for (i, &(title, decision, english)) in items.iter().enumerate() {
            let item = next(&mut ids.agenda);
            b.agenda.push(AgendaItem {
                id: item,
                meeting_id: id,
                position: i as i32 + 1,
                title: title.into(),
                discussion: Some(discussion.into()),
                decision: Some(decision.into()),
            });
            if i != 1 || serving.is_empty() {
                continue;
            }
            // an action item on the second: recent ones open, older mostly done or dropped
            let owner = serving[r.gen_range(0..serving.len())].id;
            let due = held + Duration::days(30);
            let x = r.gen_range(0..10);
            let (status, closed) = if due >= cal.today - Duration::days(20) || x >= 8 {
                ("open", None)
            } else if x < 6 {
                let on = (due - Duration::days(r.gen_range(0..20)))
                    .max(held + Duration::days(1))
                    .min(cal.yesterday);
                (
                    "done",
                    Some((
                        on,
                        if gp.hindi {
                            "काम पूरा हुआ"
                        } else {
                            "Done"
                        },
                    )),
                )
            } else {
                (
                    "dropped",
                    Some((
                        due.min(cal.yesterday),
                        if gp.hindi {
                            "अगली बैठक में नया निर्णय हुआ"
                        } else {
                            "Overtaken by a later decision"
                        },
                    )),
                )
            };
            let created = at(held, 18, 0);
            b.actions.push(ActionItem {
                id: next(&mut ids.action),
                gp_id: gp.id,
                meeting_id: id,
                agenda_item_id: Some(item),
                description: decision.into(),
                owner_member_id: Some(owner),
                due_on: due,
                status: status.into(),
                closed_on: closed.map(|c| c.0),
                close_note: closed.map(|c| c.1.into()),
                closed_by: closed.map(|_| sec),
                scheme_id: (english == "Repairs pending").then(|| gp.schemes[0].id),
                asset_id: None,
                breakdown_id: None,
                household_id: None,
                created_by: Some(sec),
                created_at: created,
                updated_at: closed.map(|c| at(c.0, 18, 0)).unwrap_or(created),
            });
        }
        if approved && chance(&mut r, 0.01) {
            let when = approved_at + Duration::days(3);
            if when < cal.cutoff {
                b.addenda.push(Addendum {
                    id: next(&mut ids.addendum),
                    gp_id: gp.id,
                    meeting_id: id,
                    agenda_item_id: None,
                    body: if gp.hindi {
                        "उपस्थित अन्य ग्रामीणों की संख्या सुधार कर पढ़ें।"
                    } else {
                        "Read the number of other villagers present as corrected."
                    }
                    .into(),
                    created_by: Some(sec),
                    created_by_name: gp.secretary.1.clone(),
                    created_at: when,
                });
            }
        }
    }
    // a regular committee has its next meeting planned
    if !planned_next && gp.regularity > 0.8 {
        let month = cal.today.with_day(1).unwrap_or(cal.today);
        let held = month.checked_add_months(Months::new(1)).unwrap_or(month)
            + Duration::days(r.gen_range(4..15));
        let id = next(&mut ids.meeting);
        let created = at(cal.yesterday, 12, 0);
        b.meetings.push(meeting(
            id, committee, gp, "monthly", held, venue, lang, created,
        ));
        for (i, &(en, hi, _, _)) in DEMO_AGENDA.iter().take(3).enumerate() {
            b.agenda.push(AgendaItem {
                id: next(&mut ids.agenda),
                meeting_id: id,
                position: i as i32 + 1,
                title: if gp.hindi { hi } else { en }.into(),
                discussion: None,
                decision: None,
            });
        }
    }
}

/// Give the batch's tasks and logs their ids in the order of the indexes that span every GP
/// (tasks by state and date, logs by water quality, range and date), so that writing them
/// adds to those indexes in order instead of all over them.
fn renumber(b: &mut Batch, ids: &mut Ids) {
    let mut order: Vec<usize> = (0..b.tasks.len()).collect();
    order.sort_by_key(|&i| {
        let t = &b.tasks[i];
        (t.state.as_str(), t.due_on, t.deadline_on, i)
    });
    let mut task_id = vec![0i64; order.len()];
    for i in order {
        task_id[i] = next(&mut ids.task);
    }
    let mut order: Vec<usize> = (0..b.logs.len()).collect();
    order.sort_by_key(|&i| {
        let l = &b.logs[i];
        (l.water_quality, l.out_of_range, l.done_on, i)
    });
    let mut log_id = vec![0i64; order.len()];
    for i in order {
        log_id[i] = next(&mut ids.log);
    }
    for t in &mut b.tasks {
        t.id = task_id[t.id as usize];
        t.log_id = t.log_id.map(|l| log_id[l as usize]);
    }
    for l in &mut b.logs {
        l.id = log_id[l.id as usize];
        l.task_id = l.task_id.map(|t| task_id[t as usize]);
    }
    b.tasks.sort_by_key(|t| t.id);
    b.logs.sort_by_key(|l| l.id);
}

impl Builder {
    /// All rows of these GPs (block index, GP number in the block).
    fn batch(&mut self, slots: &[(usize, usize)]) -> Batch {
        let mut b = Batch {
            gps: slots.len(),
            ..Default::default()
        };
        for &(block, k) in slots {
            let info = self.ctx.blocks[block].clone();
            let ctx = &self.ctx;
            let ids = &mut self.ids;
            let mut gp = build_gp(ctx, ids, &info, k, &mut b);
            maintenance(ctx, ids, &gp, &mut b);
            breakdowns(ctx, ids, &mut gp, &mut b);
            billing(ctx, ids, &mut self.receipts, &gp, &mut b);
            cash_book(ctx, ids, &gp, &mut b);
            let members = committee(ctx, ids, &gp, &mut b);
            meetings(ctx, ids, &gp, &members, &mut b);
            supply(ctx, &gp, &mut b);
            water(ctx, ids, &gp, &mut b);
        }
        renumber(&mut b, &mut self.ids);
        b
    }
}

// ---- supply ----

/// An FTK kit batch a GP received (the kits area's row, its id left to the database).
#[derive(Insertable)]
#[diesel(table_name = schema::water_kit_batches, treat_none_as_default_value = false)]
struct KitRow {
    gp_id: i64,
    kind: String,
    batch: String,
    received_on: NaiveDate,
    expires_on: NaiveDate,
    tests: i64,
    supplied_by: Option<String>,
    notes: Option<String>,
    recorded_by: Option<i64>,
    created_at: NaiveDateTime,
}

/// A day's supply log as written here (the supply area's row, its id left to the database).
#[derive(Insertable)]
#[diesel(table_name = schema::supply_logs, treat_none_as_default_value = false)]
struct SupplyRow {
    gp_id: i64,
    scheme_id: i64,
    supply_on: NaiveDate,
    source: String,
    supplied: String,
    reason: Option<String>,
    sessions: String,
    supply_minutes: i32,
    pumping_minutes: Option<i32>,
    bulk_meter_litres: Option<i64>,
    bulk_meter_event: String,
    bulk_meter_capacity_litres: Option<i64>,
    energy_meter_wh: Option<i64>,
    energy_meter_event: String,
    energy_meter_capacity_wh: Option<i64>,
    chlorine_grams: Option<i32>,
    note: Option<String>,
    recorded_by: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Days of supply logs each scheme gets, up to yesterday.
const SUPPLY_DAYS: i64 = 365;
/// A bulk meter's capacity: it rolls over at 10,000 kL.
const SUPPLY_METER_LITRES: i64 = 10_000_000;

/// A year of daily supply logs for each of the GP's schemes, as its operator would keep
/// them, with gaps: a day in 25 not logged, a scheme in 8 with a silent spell of one to four
/// weeks; a day in 20 without water and one in 15 with less (each with a reason); the bulk
/// meter read on most days (it rolls over at 10,000 kL, said so), the energy meter beside it.
/// The water a scheme gives is drawn per scheme around its own lpcd (for the persons its
/// active households hold), so that some schemes fall below 40, some between 40 and 55 and
/// most reach the norm.
fn supply(ctx: &Ctx, gp: &Gp, b: &mut Batch) {
    let mut r = rng(ctx.seed, gp.lgd, purpose::SUPPLY);
    let yesterday = ctx.cal.yesterday;
    for s in &gp.schemes {
        let persons: i64 = b
            .households
            .iter()
            .filter(|h| h.gp_id == gp.id && h.scheme_id == Some(s.id) && h.status == "active")
            .map(|h| i64::from(h.members.unwrap_or(5)))
            .sum::<i64>()
            .max(50);
        let lpcd = match r.gen_range(0..20) {
            0..=2 => r.gen_range(25.0..40.0),
            3..=6 => r.gen_range(40.0..55.0),
            _ => r.gen_range(55.0..85.0),
        };
        let silent = chance(&mut r, 0.125).then(|| {
            let start = r.gen_range(0..SUPPLY_DAYS - 30);
            (start, start + r.gen_range(7..29))
        });
        let mut bulk: i64 = r.gen_range(0..SUPPLY_METER_LITRES);
        let mut energy: i64 = r.gen_range(1_000_000..9_000_000);
        let mut rolled = false;
        for back in (0..SUPPLY_DAYS).rev() {
            let day = yesterday - Duration::days(back);
            let k = SUPPLY_DAYS - 1 - back;
            let gap = silent.is_some_and(|(a, z)| (a..z).contains(&k));
            let roll: f64 = r.gen();
            let (supplied, reason, share, sessions, minutes) = if roll < 0.05 {
                let reason = *pick(
                    &mut r,
                    &[
                        "power_cut",
                        "power_cut",
                        "motor_failure",
                        "pipe_burst",
                        "source_low",
                        "planned_maintenance",
                    ],
                );
                ("none", Some(reason), 0.0, "", 0)
            } else if roll < 0.12 {
                let reason = *pick(&mut r, &["power_cut", "source_low", "other"]);
                ("less", Some(reason), 0.5, "06:00-07:30", 90)
            } else {
                (
                    "as_usual",
                    None,
                    r.gen_range(0.85..1.15),
                    "06:00-08:00,17:00-19:00",
                    240,
                )
            };
            let litres = (persons as f64 * lpcd * share) as i64;
            bulk += litres;
            energy += (litres as f64 * r.gen_range(0.35..0.6)) as i64;
            if bulk >= SUPPLY_METER_LITRES {
                bulk -= SUPPLY_METER_LITRES;
                rolled = true;
            }
            if gap || chance(&mut r, 0.04) {
                continue;
            }
            // a roll-over is said on the first reading after it
            let read = rolled || chance(&mut r, 0.9);
            let event = if read && rolled {
                "rolled_over"
            } else {
                "none"
            };
            if read {
                rolled = false;
            }
            let at = at(day, 20, 0);
            b.supply.push(SupplyRow {
                gp_id: gp.id,
                scheme_id: s.id,
                supply_on: day,
                source: "person".into(),
                supplied: supplied.into(),
                reason: reason.map(Into::into),
                sessions: sessions.into(),
                supply_minutes: minutes,
                pumping_minutes: Some(minutes + 30).filter(|_| minutes > 0),
                bulk_meter_litres: read.then_some(bulk),
                bulk_meter_event: event.into(),
                bulk_meter_capacity_litres: (event == "rolled_over").then_some(SUPPLY_METER_LITRES),
                energy_meter_wh: read.then_some(energy),
                energy_meter_event: "none".into(),
                energy_meter_capacity_wh: None,
                chlorine_grams: (minutes > 0).then(|| r.gen_range(200..600)),
                note: None,
                recorded_by: Some(gp.member.0),
                created_at: at,
                updated_at: at,
            });
        }
    }
}

// ---- writing ----

/// Write one batch (call it inside a write transaction), in the order the foreign keys need:
/// every row as its area's row struct, the demands by billing's [`Backfill`].
fn write_batch(
    conn: &mut DbConn,
    b: &Batch,
    demands: &Backfill,
    steps: &mut Steps,
) -> AppResult<()> {
    use schema::{
        action_items, assets, breakdown_counters, breakdown_events, breakdowns, cashbook_entries,
        committee_members, committees, demand_runs, households, maintenance_logs,
        maintenance_plans, maintenance_tasks, meeting_addenda, meeting_agenda, meeting_attendance,
        meetings, payments, places, receipt_counters, sampling_points, scheme_status_history,
        scheme_villages, schemes, tariff_plans, tariff_rates, users, water_sample_values,
        water_samples, water_testers,
    };
    let t = Instant::now();
    let n = put!(conn, places::table, b.places);
    steps.add("places", n, t);
    let t = Instant::now();
    let n = put!(conn, users::table, b.users);
    steps.add("users", n, t);
    let t = Instant::now();
    let mut n = put!(conn, schemes::table, b.schemes);
    n += put!(conn, scheme_villages::table, b.serves);
    n += put!(conn, scheme_status_history::table, b.history);
    steps.add("schemes, villages served, status history", n, t);
    let t = Instant::now();
    let n = put!(conn, assets::table, b.assets);
    steps.add("assets", n, t);
    let t = Instant::now();
    let n = put!(conn, maintenance_plans::table, b.plans);
    steps.add("maintenance plans", n, t);
    let t = Instant::now();
    let n = put!(conn, maintenance_tasks::table, b.tasks);
    steps.add("maintenance tasks", n, t);
    let t = Instant::now();
    let n = put!(conn, maintenance_logs::table, b.logs);
    steps.add("work logged", n, t);
    let t = Instant::now();
    let mut n = put!(conn, breakdowns::table, b.breakdowns);
    n += put!(conn, breakdown_events::table, b.events);
    n += put!(conn, breakdown_counters::table, b.breakdown_counters);
    steps.add("breakdowns and their timelines", n, t);
    let t = Instant::now();
    let n = put!(conn, households::table, b.households);
    steps.add("households", n, t);
    let t = Instant::now();
    let mut n = put!(conn, tariff_plans::table, b.tariffs);
    n += put!(conn, tariff_rates::table, b.rates);
    n += put!(conn, demand_runs::table, b.runs);
    steps.add("tariffs and demand runs", n, t);
    if let (Some(first), Some(last)) = (b.households.first(), b.households.last()) {
        let t = Instant::now();
        let n = demands.households(conn, first.id, last.id)?;
        if n != b.demands {
            return Err(AppError::Internal(format!(
                "demands: {} expected, {n} written",
                b.demands
            )));
        }
        steps.add("demands", n, t);
    }
    let t = Instant::now();
    let mut n = put!(conn, payments::table, b.payments);
    n += put!(conn, receipt_counters::table, b.receipt_counters);
    steps.add("payments", n, t);
    let t = Instant::now();
    let n = put!(conn, cashbook_entries::table, b.cash);
    steps.add("cash book", n, t);
    let t = Instant::now();
    let mut n = put!(conn, committees::table, b.committees);
    n += put!(conn, committee_members::table, b.members);
    steps.add("committees and members", n, t);
    let t = Instant::now();
    let mut n = put!(conn, meetings::table, b.meetings);
    n += put!(conn, meeting_agenda::table, b.agenda);
    n += put!(conn, meeting_attendance::table, b.attendance);
    n += put!(conn, meeting_addenda::table, b.addenda);
    n += put!(conn, action_items::table, b.actions);
    steps.add("meetings, agenda, attendance, action items", n, t);
    let t = Instant::now();
    let n = put!(conn, schema::supply_logs::table, b.supply);
    steps.add("supply logs", n, t);
    let t = Instant::now();
    let mut n = put!(conn, water_testers::table, b.testers);
    n += put!(conn, sampling_points::table, b.points);
    n += put!(conn, water_samples::table, b.samples);
    n += put!(conn, water_sample_values::table, b.sample_values);
    n += put!(conn, schema::water_kit_batches::table, b.kits);
    steps.add("water testers, sampling points, tests", n, t);
    Ok(())
}

// ---- the whole build ----

/// PostgreSQL: every foreign key of the schema checked over whole tables (what PostgreSQL checks row by
/// row when its triggers run): for each, the rows whose columns are all set and match no row
/// of the table they point at; any such row fails the build.
pub fn check_references(conn: &mut DbConn) -> AppResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute(CHECK_REFERENCES_PG)
        .map_err(|e| AppError::Internal(e.to_string()))
}

const CHECK_REFERENCES_PG: &str = r#"
DO $$
DECLARE
    r record;
    n bigint;
BEGIN
    FOR r IN
        SELECT c.conrelid::regclass AS child, c.confrelid::regclass AS parent,
            (SELECT string_agg(format('x.%I', a.attname), ', ' ORDER BY k.i)
             FROM unnest(c.conkey) WITH ORDINALITY k(num, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num) AS cols,
            (SELECT string_agg(format('p.%I', a.attname), ', ' ORDER BY k.i)
             FROM unnest(c.confkey) WITH ORDINALITY k(num, i)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num) AS pcols
        FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
        WHERE c.contype = 'f' AND s.nspname = current_schema()
    LOOP
        EXECUTE format(
            'SELECT COUNT(*) FROM %s x WHERE ROW(%s) IS NOT NULL '
            'AND NOT EXISTS (SELECT 1 FROM %s p WHERE ROW(%s) = ROW(%s))',
            r.child, r.cols, r.parent, r.pcols, r.cols) INTO n;
        IF n > 0 THEN
            RAISE EXCEPTION '% rows of % point at rows of % that do not exist',
                n, r.child, r.parent;
        END IF;
    END LOOP;
END
$$;
"#;

/// Build the data set into an empty database (its migrations applied). `progress` hears
/// after each batch of GPs. Runs on a connection of its own; on SQLite it turns off the wait
/// for the disk on each commit (`synchronous = OFF`) and the foreign-key checks (all checked
/// at the end), and takes a large page cache, for this connection only: a half-built data
/// set is thrown away anyway.
pub fn generate(
    config: &Config,
    now: NaiveDateTime,
    opts: &Options,
    mut progress: impl FnMut(&Progress),
) -> AppResult<Summary> {
    use diesel::connection::SimpleConnection;
    let started = Instant::now();
    if !(1..=10).contains(&opts.years) {
        return Err(AppError::Config("--years must be between 1 and 10".into()));
    }
    if !(1..=75).contains(&opts.district_count()) {
        return Err(AppError::Config(
            "--districts must be between 1 and 75".into(),
        ));
    }
    let manager = crate::db::ConnManager::new(
        crate::db::DbUrl::parse(&config.database.url)?,
        config.database.clone(),
    );
    let mut conn = r2d2::ManageConnection::connect(&manager).map_err(|e| {
        AppError::Config(format!(
            "cannot open the database: {}",
            e.to_string().trim()
        ))
    })?;
    let conn = &mut conn;
    let existing = scalar(
        conn,
        "SELECT CAST((SELECT COUNT(*) FROM places) + (SELECT COUNT(*) FROM users) AS BIGINT) AS n",
    )?;
    if existing > 0 {
        return Err(AppError::Config(
            "the database already has data; the large data sets go only into an empty database (give a new --database)".into(),
        ));
    }
    let backend = conn.backend();
    // On PostgreSQL, as a superuser (the usual for a benchmark database), the rows go in
    // without the per-row triggers: the foreign keys' checks (a lookup of the parent for every
    // row) and the figures' change counters (no figures exist yet). Every reference is checked
    // at the end instead, a table at a time (`check_references`).
    let unchecked = backend == Backend::Postgres
        && scalar(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pg_roles WHERE rolname = current_user AND rolsuper",
        )? > 0;
    if unchecked {
        conn.batch_execute("SET session_replication_role = replica")?;
    }
    if backend == Backend::Sqlite {
        // Foreign keys are not checked while the rows go in (they are right by construction;
        // the tests run `PRAGMA foreign_key_check` on the result, and PostgreSQL checks them
        // as it writes)
        conn.batch_execute(
            "PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;",
        )?;
    }
    let mut ctx = Ctx::new(config, now, opts)?;
    let months: Vec<NaiveDate> = ctx.cal.months.iter().map(|m| m.first).collect();
    let demands = Backfill::start(conn, &months, config.billing.due_day)?;
    let mut ids = max_ids(conn)?;
    let mut steps = Steps::default();
    let first = setup(&mut ctx, &mut ids, opts);
    crate::db::write_transaction(conn, |c| write_batch(c, &first, &demands, &mut steps))?;
    let slots: Vec<(usize, usize)> = (0..ctx.blocks.len())
        .flat_map(|b| (0..opts.scale.gps_per_block()).map(move |k| (b, k)))
        .collect();
    let gps = slots.len();
    let mut builder = Builder {
        ctx,
        ids,
        receipts: 0,
    };
    // one thread builds the next batch while this one writes the last
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (written, build_secs) = std::thread::scope(|s| {
        let build = s.spawn(move || {
            let mut secs = 0.0;
            for chunk in slots.chunks(BATCH_GPS) {
                let t = Instant::now();
                let batch = builder.batch(chunk);
                secs += t.elapsed().as_secs_f64();
                if tx.send(batch).is_err() {
                    break;
                }
            }
            secs
        });
        let mut done = 0;
        let mut finished = false;
        let mut written = Ok(());
        while !finished && written.is_ok() {
            // a few batches a transaction: pages that every batch touches (the indexes by
            // date across all GPs) are written out once for them all
            written = crate::db::write_transaction(conn, |c| {
                for _ in 0..COMMIT_BATCHES {
                    let Ok(batch) = rx.recv() else {
                        finished = true;
                        break;
                    };
                    write_batch(c, &batch, &demands, &mut steps)?;
                    done += batch.gps;
                    progress(&Progress {
                        gps_done: done,
                        gps,
                        secs: started.elapsed().as_secs_f64(),
                        steps: &steps.0,
                    });
                }
                Ok(())
            });
        }
        drop(rx);
        let build_secs = build
            .join()
            .map_err(|_| AppError::Internal("the row builder stopped".into()));
        (written, build_secs)
    });
    written?;
    let build_secs = build_secs?;
    let t = Instant::now();
    demands.finish(conn)?;
    match backend {
        Backend::Postgres => {
            // ids were given here: move the identity sequences past them
            for table in ID_TABLES {
                conn.batch_execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))?;
            }
            if unchecked {
                conn.batch_execute("SET session_replication_role = DEFAULT")?;
                check_references(conn)?;
            }
            conn.batch_execute("ANALYZE")?;
        }
        Backend::Sqlite => {
            // the foreign keys, all at once (a few seconds for a district)
            let broken = scalar(
                conn,
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pragma_foreign_key_check",
            )?;
            if broken > 0 {
                return Err(AppError::Internal(format!(
                    "{broken} rows point at rows that do not exist"
                )));
            }
            conn.batch_execute("PRAGMA foreign_keys = ON; PRAGMA wal_checkpoint(TRUNCATE)")?;
        }
    }
    steps.add("checks, statistics, checkpoint", 0, t);
    Ok(Summary {
        sizes: opts.sizes(),
        steps: steps.0,
        build_secs,
        total_secs: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::pg::Pg;
    use diesel::query_builder::{QueryFragment, QueryId};
    use diesel::sqlite::Sqlite;

    fn static_id<Q: QueryId>(_: &Q) -> bool {
        Q::HAS_STATIC_QUERY_ID
    }

    /// Every table's rows, as the areas' row structs, go in as one multi-row INSERT on both
    /// backends (on SQLite a `None` written as DEFAULT would make diesel send one statement
    /// per row: hence `treat_none_as_default_value = false`), and a chunk of a fixed size is a
    /// statement diesel prepares once and keeps.
    #[test]
    fn each_table_is_one_insert_prepared_once() {
        let config = Config::defaults();
        let now = NaiveDate::from_ymd_opt(2026, 6, 15)
            .and_then(|d| d.and_hms_opt(6, 0, 0))
            .unwrap();
        let opts = Options {
            scale: Scale::Tiny,
            seed: 3,
            years: 3,
            districts: None,
        };
        let mut ctx = Ctx::new(&config, now, &opts).unwrap();
        let mut ids = Ids::default();
        let top = setup(&mut ctx, &mut ids, &opts);
        let mut builder = Builder {
            ctx,
            ids,
            receipts: 0,
        };
        let slots: Vec<(usize, usize)> = (0..10).map(|k| (0, k)).collect();
        let b = builder.batch(&slots);
        let mut tables = 0;
        macro_rules! check {
            ($table:expr, $rows:expr) => {{
                let two = <&[_; 2]>::try_from(&$rows[..2]).unwrap();
                let q = diesel::insert_or_ignore_into($table).values(two);
                let sql = diesel::debug_query::<Sqlite, _>(&q).to_string();
                assert_eq!(sql.matches("INSERT").count(), 1, "{sql}");
                assert!(sql.contains("), ("), "{sql}");
                // (SQLite's batch wrapper keeps the statement when its id is static)
                assert!(static_id(&q), "{sql}");
                let q = diesel::insert_into($table).values(two);
                let sql = diesel::debug_query::<Pg, _>(&q).to_string();
                assert_eq!(sql.matches("INSERT").count(), 1, "{sql}");
                assert!(QueryFragment::<Pg>::is_safe_to_cache_prepared(&q, &Pg).unwrap());
                assert!(static_id(&q), "{sql}");
                tables += 1;
            }};
        }
        use schema::{
            action_items, assets, breakdown_counters, breakdown_events, breakdowns,
            cashbook_entries, committee_members, committees, demand_runs, households,
            maintenance_logs, maintenance_plans, maintenance_tasks, meeting_addenda,
            meeting_agenda, meeting_attendance, meetings, payments, places, receipt_counters,
            scheme_status_history, scheme_villages, schemes, tariff_plans, tariff_rates, users,
        };
        check!(places::table, top.places);
        check!(users::table, top.users);
        check!(schemes::table, b.schemes);
        check!(scheme_villages::table, b.serves);
        check!(scheme_status_history::table, b.history);
        check!(assets::table, b.assets);
        check!(maintenance_plans::table, b.plans);
        check!(maintenance_tasks::table, b.tasks);
        check!(maintenance_logs::table, b.logs);
        check!(breakdowns::table, b.breakdowns);
        check!(breakdown_events::table, b.events);
        check!(breakdown_counters::table, b.breakdown_counters);
        check!(households::table, b.households);
        check!(tariff_plans::table, b.tariffs);
        check!(tariff_rates::table, b.rates);
        check!(demand_runs::table, b.runs);
        check!(payments::table, b.payments);
        check!(receipt_counters::table, b.receipt_counters);
        check!(cashbook_entries::table, b.cash);
        check!(committees::table, b.committees);
        check!(committee_members::table, b.members);
        check!(meetings::table, b.meetings);
        check!(meeting_agenda::table, b.agenda);
        check!(meeting_attendance::table, b.attendance);
        check!(meeting_addenda::table, b.addenda);
        check!(action_items::table, b.actions);
        // every table the batch writes (the demands are billing's INSERT … SELECT)
        assert_eq!(tables, 26);
    }
}
