//! What the scheduler tells `/metrics` and `/healthz` (the plumbing's `web::metrics`): each
//! job's runs, last success and last duration, the sweeps, the reminders raised and
//! resolved, the mail queue, and the newest backup's time, which the app factory passes in.
//! Everything is read from the database (`job_stats`, the outbox), so every server shows the
//! same figures whichever of them (or `paani jobs run`) did the work.
//!
//! Each read is one row or an index range: `/healthz` runs [`problems`] on every call.

use super::model::{self, JobStat, SWEEP};
use crate::config::Config;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::metrics::{seconds, Exposition, Kind, Now, Problem};
use chrono::{Duration, NaiveDateTime};
use std::collections::BTreeMap;

/// The families read from the database.
/// A per-job gauge: its name, its help line, and its value for one job (none: left out).
type JobGauge = (&'static str, &'static str, fn(&JobStat) -> Option<f64>);

pub fn figures(
    conn: &mut DbConn,
    config: &Config,
    now: Now,
    last_backup: Option<NaiveDateTime>,
    out: &mut Exposition,
) -> AppResult<()> {
    let mut stats: BTreeMap<String, JobStat> = model::job_stats(conn)?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let sweep = stats.remove(SWEEP);
    let get = |name: &str| stats.get(name);

    out.single(
        "paani_scheduler_enabled",
        Kind::Gauge,
        "1 when this server runs the scheduler (jobs.enabled), else 0.",
        f64::from(u8::from(config.jobs.enabled)),
    )
    .single(
        "paani_scheduler_interval_seconds",
        Kind::Gauge,
        "Seconds between two sweeps (jobs.interval_seconds).",
        config.jobs.interval_seconds as f64,
    );
    let name = "paani_scheduler_sweeps_total";
    out.family(
        name,
        Kind::Counter,
        "Whole sweeps finished, by any runner: ok, or failed (a job failed, the others ran).",
    );
    let (ok, failed) = sweep
        .as_ref()
        .map_or((0, 0), |s| (s.ok_runs, s.failed_runs));
    out.sample(name, &[("result", "ok")], ok as f64).sample(
        name,
        &[("result", "failed")],
        failed as f64,
    );
    if let Some(s) = &sweep {
        if let Some(at) = s.last_finished() {
            out.single(
                "paani_scheduler_last_sweep_timestamp_seconds",
                Kind::Gauge,
                "When the last whole sweep finished (ok or failed), in seconds since 1970.",
                seconds(at),
            );
        }
        if let Some(ms) = s.last_ms {
            out.single(
                "paani_scheduler_last_sweep_duration_seconds",
                Kind::Gauge,
                "How long the last whole sweep took.",
                ms as f64 / 1000.0,
            );
        }
    }

    let jobs: Vec<&str> = super::names().collect();
    let name = "paani_job_runs_total";
    out.family(
        name,
        Kind::Counter,
        "Runs of each scheduled job and reminder rule, by result (a daily job's skipped runs do not count).",
    );
    for job in &jobs {
        let (ok, failed) = get(job).map_or((0, 0), |s| (s.ok_runs, s.failed_runs));
        out.sample(name, &[("job", job), ("result", "ok")], ok as f64)
            .sample(name, &[("job", job), ("result", "failed")], failed as f64);
    }
    let per_job: [JobGauge; 3] = [
        (
            "paani_job_last_success_timestamp_seconds",
            "When each job last finished well, in seconds since 1970 (jobs that never did are left out).",
            |s| s.last_ok_at.map(seconds),
        ),
        (
            "paani_job_last_failure_timestamp_seconds",
            "When each job last failed, in seconds since 1970 (jobs that never failed are left out).",
            |s| s.last_failed_at.map(seconds),
        ),
        (
            "paani_job_last_duration_seconds",
            "How long each job's last good run took.",
            |s| s.last_ms.map(|ms| ms as f64 / 1000.0),
        ),
    ];
    for (name, help, value) in per_job {
        out.family(name, Kind::Gauge, help);
        for job in &jobs {
            if let Some(v) = get(job).and_then(value) {
                out.sample(name, &[("job", job)], v);
            }
        }
    }

    let raised: fn(&JobStat) -> i64 = |s| s.raised_total;
    for (name, help, pick) in [
        (
            "paani_reminders_raised_total",
            "Reminders raised by each rule (one per recipient).",
            raised,
        ),
        (
            "paani_reminders_resolved_total",
            "Reminders that resolved themselves because their condition cleared, by rule.",
            |s: &JobStat| s.resolved_total,
        ),
    ] {
        out.family(name, Kind::Counter, help);
        for rule in crate::reminders::rules::NAMES {
            let n = get(rule).map_or(0, pick);
            out.sample(name, &[("rule", rule)], n as f64);
        }
    }

    let q = crate::mail::queue_state(conn, now.clock - Duration::days(1))?;
    let send = get("mail_send");
    out.single(
        "paani_mail_queue_messages",
        Kind::Gauge,
        "E-mails waiting in the outbox (not yet sent, not given up).",
        q.waiting as f64,
    )
    .single(
        "paani_mail_retrying_messages",
        Kind::Gauge,
        "Of the waiting e-mails, those whose last try failed.",
        q.retrying as f64,
    )
    .single(
        "paani_mail_given_up_total",
        Kind::Counter,
        "E-mails given up after mail.max_attempts tries (admins see them on /admin/jobs).",
        q.given_up as f64,
    )
    .single(
        "paani_mail_sent_total",
        Kind::Counter,
        "E-mails delivered.",
        send.map_or(0, |s| s.done_total) as f64,
    )
    .single(
        "paani_mail_delivery_failures_total",
        Kind::Counter,
        "Tries to deliver an e-mail that failed (each is retried until mail.max_attempts).",
        send.map_or(0, |s| s.failed_total) as f64,
    );
    if let Some(due) = q.first_due {
        out.single(
            "paani_mail_oldest_due_timestamp_seconds",
            Kind::Gauge,
            "When the longest-waiting e-mail became due (or will be due) to be tried, in seconds since 1970.",
            seconds(due),
        );
    }

    let q = crate::sms::service::queue_state(conn)?;
    let send = get(super::SMS_JOB);
    for (name, help, v) in [
        (
            "paani_sms_queue_messages",
            "SMS waiting in the outbox (queued, or waiting to be tried again).",
            q.waiting,
        ),
        (
            "paani_sms_retrying_messages",
            "Of the waiting SMS, those whose last try failed.",
            q.retrying,
        ),
        (
            "paani_sms_failed_messages",
            "SMS failed: refused by their DLT template, by the provider, or given up after sms.max_attempts.",
            q.failed,
        ),
        (
            "paani_sms_held_messages",
            "SMS held at a number's daily cap (sms.daily_cap).",
            q.held,
        ),
        (
            "paani_sms_unknown_messages",
            "SMS whose sweep stopped while sending them (they may have gone; never resent).",
            q.unknown,
        ),
    ] {
        out.single(name, Kind::Gauge, help, v as f64);
    }
    out.single(
        "paani_sms_sent_total",
        Kind::Counter,
        "SMS a provider took.",
        send.map_or(0, |s| s.done_total) as f64,
    )
    .single(
        "paani_sms_send_failures_total",
        Kind::Counter,
        "Tries to send an SMS that failed (retried until sms.max_attempts unless not worth it).",
        send.map_or(0, |s| s.failed_total) as f64,
    );

    if let Some(at) = last_backup {
        out.single(
            "paani_backup_last_success_timestamp_seconds",
            Kind::Gauge,
            "When the newest backup was taken, in seconds since 1970.",
            seconds(at),
        );
    }
    Ok(())
}

/// What degrades the service now (`health.*` says when): a scheduler that has not finished
/// a sweep for `scheduler_missed_sweeps` intervals (only on a server that runs it, and
/// counting from the server's start), an e-mail due for `mail_due_minutes` and still not
/// sent, `mail_failing` e-mails failing, a backup older than `backup_max_age_hours`.
pub fn problems(
    conn: &mut DbConn,
    config: &Config,
    now: Now,
    last_backup: Option<NaiveDateTime>,
) -> AppResult<Vec<Problem>> {
    let h = &config.health;
    let mut found = Vec::new();
    if config.jobs.enabled {
        let interval = config.jobs.interval_seconds.max(1) as i64;
        let allowed = Duration::seconds(interval * i64::from(h.scheduler_missed_sweeps));
        let last = model::job_stat(conn, SWEEP)?.and_then(|s| s.last_finished());
        let since = last.map_or(now.started, |l| l.max(now.started));
        let quiet = now.machine - since;
        if quiet > allowed {
            found.push(Problem {
                check: "scheduler",
                detail: format!(
                    "no sweep has finished for {} minutes (one is due every {interval} s; \
                     allowed: {} missed)",
                    quiet.num_minutes(),
                    h.scheduler_missed_sweeps
                ),
            });
        }
    }
    let q = crate::mail::queue_state(conn, now.clock - Duration::days(1))?;
    if let Some(due) = q.first_due {
        let waited = now.clock - due;
        if waited > Duration::minutes(h.mail_due_minutes) {
            found.push(Problem {
                check: "mail",
                detail: format!(
                    "an e-mail has been due for {} minutes and is not sent",
                    waited.num_minutes()
                ),
            });
        }
    }
    let failing = q.retrying + q.given_up_since;
    if failing >= h.mail_failing {
        found.push(Problem {
            check: "mail",
            detail: format!(
                "{failing} e-mails are failing ({} waiting to be tried again, {} given up in \
                 the last 24 hours)",
                q.retrying, q.given_up_since
            ),
        });
    }
    let sms = crate::sms::service::queue_state(conn)?;
    if let Some(due) = sms.first_due {
        let waited = now.clock - due;
        if waited > Duration::minutes(h.mail_due_minutes) {
            found.push(Problem {
                check: "sms",
                detail: format!(
                    "an SMS has been due for {} minutes and is not sent",
                    waited.num_minutes()
                ),
            });
        }
    }
    if let Some(at) = last_backup {
        let age = now.machine - at;
        if age > Duration::hours(h.backup_max_age_hours) {
            found.push(Problem {
                check: "backup",
                detail: format!("the newest backup is {} hours old", age.num_hours()),
            });
        }
    }
    Ok(found)
}
