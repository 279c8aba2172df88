//! The scheduler's runner: one sweep runs every job in order — task generation up to the
//! horizon, the breakdown escalation sweep, late fees, then every reminder rule — each in its
//! own write transaction, so one failing job is recorded and the others still run, and a run
//! killed half-way has committed whole jobs only (a re-run finishes the rest: every job is
//! idempotent). A lease row makes one runner at a time across processes and both backends;
//! a crashed runner's lease expires, and its run is then marked abandoned (by the next sweep,
//! or when the runs are read). Every run is recorded in `job_runs`.
//!
//! This file is the scheduler (the sweep, its jobs and its report); the runs', the lease's,
//! the job days' and the job stats' rows and queries are in `model`, the reads behind the
//! pages in `service`, `/admin/jobs` in `pages` and `/api/v1/jobs/runs` in `api`. What the
//! scheduler, the reminders and the mail queue tell `/metrics` and `/healthz` is `monitor`
//! (the app factory hands it to the plumbing).

pub mod api;
pub mod model;
pub mod monitor;
pub mod pages;
pub mod service;

pub use model::{recent_runs, release_lease, take_lease, JobRun};

use crate::config::Config;
use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};
use chrono::{Duration, NaiveDateTime, Utc};
use model::{done_today, keep_lease, last_day, mark_done_today};
use serde::Serialize;
use std::collections::BTreeMap;

/// A run's status as kept in `job_runs` and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// The sweep is under way.
    Running,
    Ok,
    /// A job failed; the others ran.
    Failed,
    /// Another runner held the lease: nothing ran.
    Busy,
    /// Its runner died part-way (its lease expired with the run unfinished): the jobs it
    /// committed stand, the next sweep does the rest.
    Abandoned,
}

impl RunStatus {
    pub const ALL: [RunStatus; 5] = [
        RunStatus::Running,
        RunStatus::Ok,
        RunStatus::Failed,
        RunStatus::Busy,
        RunStatus::Abandoned,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Ok => "ok",
            RunStatus::Failed => "failed",
            RunStatus::Busy => "busy",
            RunStatus::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<RunStatus> {
        RunStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Translation key of a status as stored (`jobs-status-…`).
    pub fn label_key_of(s: &str) -> String {
        format!("jobs-status-{s}")
    }
}

/// A scheduled job of an area, run in its own write transaction before the reminder rules.
/// The app factory lists them, in the order they run (`crate::app::JOBS`).
pub struct Job {
    pub name: &'static str,
    /// Runs once a day (the first sweep of the day), unless asked for by name.
    pub daily: bool,
    /// Does the work; returns the rows it made or changed.
    pub run: fn(&mut DbConn, &Config, &JobDay) -> AppResult<usize>,
}

/// When a job runs.
pub struct JobDay {
    /// The day in India.
    pub today: chrono::NaiveDate,
    pub now: NaiveDateTime,
    /// The last day a daily job ran (none the first time, or when asked for by name).
    pub last: Option<chrono::NaiveDate>,
}

impl JobDay {
    /// After a gap of a week, or when the clock went back, a daily job goes over everything
    /// again (asking for it by name does too).
    pub fn forced_full(&self) -> bool {
        self.last
            .is_none_or(|last| self.today - last >= Duration::days(7) || last > self.today)
    }
}

/// Every job and rule a sweep runs, in order (`paani jobs list`; what `--only` accepts).
pub fn names() -> impl Iterator<Item = &'static str> {
    crate::app::JOBS
        .iter()
        .map(|j| j.name)
        .chain(crate::reminders::rules::NAMES.iter().copied())
        .chain(MAIL_JOBS.iter().copied())
        .chain([SMS_QUEUE_JOB, SMS_JOB])
        .chain([DASHBOARDS_JOB, BACKUP_JOB])
}

/// The jobs after the reminder rules: e-mail.
pub const MAIL_JOBS: &[&str] = &["mail_queue", "mail_send"];
/// After e-mail: the reminders' SMS queued (`crate::reminders::service::queue_sms`), in its
/// own write transaction.
pub const SMS_QUEUE_JOB: &str = "sms_queue";
/// Then the SMS outbox's delivery (`crate::sms::service::deliver`), outside any
/// transaction, each message claimed before it is tried.
pub const SMS_JOB: &str = "sms_send";
/// The last job: recompute the dashboards' kept figures that changed or are about to expire.
pub const DASHBOARDS_JOB: &str = "dashboards_refresh";
/// After everything: the day's backup (`crate::backup`), once a day from `backup.daily_at`
/// (India time) when `backup.enabled`; outside any transaction (the copy is a read, and
/// writers carry on beside it).
pub const BACKUP_JOB: &str = "backup";

/// What one job did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JobCount {
    /// Rows the job made or changed (tasks generated, breakdowns escalated, fees charged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raised: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<usize>,
    /// Messages that could not be delivered this time (they are retried).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<usize>,
    /// Files deleted (old backups past their keeping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<usize>,
    /// A once-a-day job that had already run today (or, for the backup, is not due yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<bool>,
    /// How long it took, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
}

/// The result of one sweep.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub run_id: i64,
    pub status: String,
    pub counts: BTreeMap<String, JobCount>,
    pub errors: BTreeMap<String, String>,
}

/// A random name for this runner (a process, or a CLI call).
pub fn holder_name() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        &crate::auth::random_token()[..8]
    )
}

/// Run one sweep for the clock's `now` (everything else reads the same time). `only` runs
/// one job or rule by name. Returns the run's report; a sweep that finds the lease taken
/// records a `busy` run and does nothing.
pub fn run(
    db: &Db,
    config: &Config,
    mailer: &crate::mail::Mailer,
    now: NaiveDateTime,
    started_by: &str,
    only: Option<&str>,
    mut progress: impl FnMut(&str, &JobCount),
) -> AppResult<Report> {
    if let Some(o) = only {
        if !names().any(|n| n == o) {
            return Err(AppError::BadRequest(format!("unknown job or rule: {o}")));
        }
    }
    let holder = holder_name();
    let lease_secs = config.jobs.lease_seconds;
    let started = Utc::now().naive_utc();
    // a run left `running` by a runner that died is marked abandoned first
    let got = db.write_blocking(|c| {
        model::mark_abandoned(c, started)?;
        take_lease(c, &holder, lease_secs)
    })?;
    let run_id: i64 = db.write_blocking(|c| {
        let status = if got {
            RunStatus::Running
        } else {
            RunStatus::Busy
        };
        model::insert_run(c, started_by, &holder, now, started, status)
    })?;
    let mut report = Report {
        run_id,
        status: if got { RunStatus::Ok } else { RunStatus::Busy }
            .as_str()
            .into(),
        counts: BTreeMap::new(),
        errors: BTreeMap::new(),
    };
    if !got {
        return Ok(report);
    }
    let today = crate::web::i18n::today_in_india(now);
    let wanted = |name: &str| only.is_none_or(|o| o == name);
    let mut clock = std::time::Instant::now();
    let mut record = |name: &str, r: AppResult<JobCount>, report: &mut Report| match r {
        Ok(mut c) => {
            c.ms = Some(clock.elapsed().as_millis() as u64);
            clock = std::time::Instant::now();
            progress(name, &c);
            report.counts.insert(name.into(), c);
        }
        Err(e) => {
            clock = std::time::Instant::now();
            tracing::error!(job = name, error = %e, "scheduled job failed");
            report.errors.insert(name.into(), e.to_string());
        }
    };
    // one job in its own write transaction: the lease renewed first; a once-a-day job done
    // today is skipped unless asked for by name, which runs it as if for the first time
    let step = |name: &str, daily: bool, f: &dyn Fn(&mut DbConn) -> AppResult<JobCount>| {
        let forced = only == Some(name);
        db.write_blocking(|c| {
            keep_lease(c, &holder, lease_secs)?;
            if daily && !forced && done_today(c, name, today)? {
                return Ok(JobCount {
                    skipped: Some(true),
                    ..Default::default()
                });
            }
            if daily && forced {
                model::forget_day(c, name)?;
            }
            let count = f(c)?;
            if daily {
                mark_done_today(c, name, today)?;
            }
            Ok(count)
        })
    };
    for job in crate::app::JOBS {
        if wanted(job.name) {
            let r = step(job.name, job.daily, &|c| {
                let day = JobDay {
                    today,
                    now,
                    last: last_day(c, job.name)?,
                };
                Ok(JobCount {
                    done: Some((job.run)(c, config, &day)?),
                    ..Default::default()
                })
            });
            record(job.name, r, &mut report);
        }
    }
    let rules = crate::reminders::rules::all(
        &config.reminders,
        &config.maintenance,
        &config.water_quality.incidents,
        config.billing.defaulter_months,
        today,
        now,
    );
    for rule in rules {
        if wanted(rule.name) {
            let r = step(rule.name, rule.daily, &|c| {
                let o = crate::reminders::rules::apply(c, &rule, now)?;
                Ok(JobCount {
                    raised: Some(o.raised),
                    resolved: Some(o.resolved),
                    ..Default::default()
                })
            });
            record(rule.name, r, &mut report);
        }
    }
    if wanted("mail_queue") {
        let r = step("mail_queue", false, &|c| {
            Ok(JobCount {
                done: Some(mailer.queue(c, now)?),
                ..Default::default()
            })
        });
        record("mail_queue", r, &mut report);
    }
    if wanted("mail_send") {
        let r = db
            .write_blocking(|c| keep_lease(c, &holder, lease_secs))
            .and_then(|_| mailer.deliver(db, now, 500))
            .map(|(sent, failed)| JobCount {
                done: Some(sent),
                failed: Some(failed),
                ..Default::default()
            });
        record("mail_send", r, &mut report);
    }
    if wanted(SMS_QUEUE_JOB) {
        let r = step(SMS_QUEUE_JOB, false, &|c| {
            Ok(JobCount {
                done: Some(crate::reminders::service::queue_sms(
                    c,
                    config,
                    mailer.i18n(),
                    mailer.library(),
                    now,
                )?),
                ..Default::default()
            })
        });
        record(SMS_QUEUE_JOB, r, &mut report);
    }
    if wanted(SMS_JOB) {
        let r = db
            .write_blocking(|c| keep_lease(c, &holder, lease_secs))
            .and_then(|_| crate::sms::service::deliver(db, config, now, 500))
            .map(|d| JobCount {
                done: Some(d.sent),
                failed: Some(d.failed),
                ..Default::default()
            });
        record(SMS_JOB, r, &mut report);
    }
    if wanted(DASHBOARDS_JOB) {
        // ahead of expiry by one sweep interval, so the next sweep comes before readers do
        let ahead = config.jobs.interval_seconds as i64;
        let r = crate::dashboards::refresh(db, config, now, ahead, 25, || {
            db.write_blocking(|c| keep_lease(c, &holder, lease_secs))
        })
        .map(|n| JobCount {
            done: Some(n),
            ..Default::default()
        });
        record(DASHBOARDS_JOB, r, &mut report);
    }
    if wanted(BACKUP_JOB) {
        let forced = only == Some(BACKUP_JOB);
        let r = scheduled_backup(db, config, now, today, forced, || {
            db.write_blocking(|c| keep_lease(c, &holder, lease_secs))
        });
        record(BACKUP_JOB, r, &mut report);
    }
    if !report.errors.is_empty() {
        report.status = RunStatus::Failed.as_str().into();
    }
    let (counts, errors) = (
        serde_json::to_string(&report.counts).unwrap_or_default(),
        serde_json::to_string(&report.errors).unwrap_or_default(),
    );
    let status = report.status.clone();
    // a whole sweep (not one job asked for by name) counts as one for /healthz and /metrics
    let finished = Utc::now().naive_utc();
    let sweep = only.is_none().then(|| {
        let status = RunStatus::parse(&status).unwrap_or(RunStatus::Failed);
        (status, (finished - started).num_milliseconds())
    });
    db.write_blocking(|c| {
        model::finish_run(c, run_id, &status, &counts, &errors)?;
        model::record_stats(c, finished, &report.counts, &report.errors, sweep)?;
        release_lease(c, &holder)
    })?;
    Ok(report)
}

/// The day's backup when it is due and not made yet today (asked for by name: now, again),
/// then the old daily backups pruned. Made outside any transaction; the day is recorded
/// once the backup is whole, so a failed one is tried again at the next sweep.
fn scheduled_backup(
    db: &Db,
    config: &Config,
    now: NaiveDateTime,
    today: chrono::NaiveDate,
    forced: bool,
    keep_lease: impl Fn() -> AppResult<()>,
) -> AppResult<JobCount> {
    let skipped = JobCount {
        skipped: Some(true),
        ..Default::default()
    };
    if !forced && !crate::backup::service::due(config, now) {
        return Ok(skipped);
    }
    keep_lease()?;
    if !forced && db.write_blocking(|c| done_today(c, BACKUP_JOB, today))? {
        return Ok(skipped);
    }
    let (made, removed) = crate::backup::service::scheduled(config, now)?;
    tracing::info!(
        path = %made.file.path.display(),
        bytes = made.file.bytes,
        secs = made.secs,
        removed = removed.len(),
        "backup made"
    );
    db.write_blocking(|c| mark_done_today(c, BACKUP_JOB, today))?;
    Ok(JobCount {
        done: Some(1),
        removed: Some(removed.len()),
        ..Default::default()
    })
}

/// The server's runner: a thread that sweeps every `interval_seconds` with the server's clock
/// until the process ends. Errors are logged and the next sweep tries again.
pub fn spawn_runner(
    db: Db,
    config: Config,
    clock: crate::clock::Clock,
    mailer: crate::mail::Mailer,
) {
    let interval = std::time::Duration::from_secs(config.jobs.interval_seconds.max(1));
    std::thread::Builder::new()
        .name("paani-jobs".into())
        .spawn(move || loop {
            match run(&db, &config, &mailer, clock.now(), "serve", None, |_, _| {}) {
                Ok(r) if r.status == RunStatus::Busy.as_str() => {
                    tracing::info!("scheduler: another runner has the lease")
                }
                Ok(r) => tracing::info!(run = r.run_id, status = %r.status, "scheduler sweep done"),
                Err(e) => tracing::error!(error = %e, "scheduler sweep failed"),
            }
            std::thread::sleep(interval);
        })
        .map(|_| ())
        .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start the scheduler thread"));
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/jobs",
    label: "nav-jobs",
    verb: Some(crate::auth::Verb::ViewJobs),
}];
