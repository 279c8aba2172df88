//! The SMS use cases: queuing a message (for every caller, inside its own transaction), the
//! scheduler's delivery, delivery reports, and what the admin page reads.
//!
//! Exactly once per event: a caller's dedupe key is UNIQUE, so queuing the same event twice is
//! a no-op. A sweep claims a due message (status `sending`, a lease of `sms.lease_seconds`) in
//! a committed write before it calls the provider, and only a row still `queued` can be
//! claimed, so neither a second sweep nor a concurrent one sends it again. A message whose
//! sweep died between the claim and the result is marked `unknown` once its lease ends: it may
//! have gone, so it is not sent again by itself (at most once: a villager never gets the same
//! receipt or code twice); admins see it on `/admin/sms`.

use super::dlt::{self, Mismatch};
use super::model::{self, NewRow, SmsFilter, SmsGpSummary, SmsMessage};
use super::providers::{
    self, Accepted, DeliveryReport, DeliveryStatus, Dlt, OutgoingSms, SendError,
};
use super::Status;
use crate::config::Config;
use crate::context::Ctx;
use crate::db::schema::sms_outbox;
use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A message a caller wants sent.
#[derive(Debug, Clone, Default)]
pub struct QueueSms {
    /// The GP it belongs to (its switches apply; the admin page groups by it).
    pub gp_id: Option<i64>,
    /// The phone number as the register holds it (`98123 45678`, `+91…`).
    pub to: String,
    /// The message key (config/sms_templates.toml).
    pub key: String,
    /// `en` or `hi` (the recipient's language).
    pub lang: String,
    /// The template's variables by name; a variable whose name ends in `link` is a URL (or a
    /// path) on this server, sent as a short link.
    pub vars: Vec<(String, String)>,
    /// One message per event: e.g. `receipt:<payment id>`.
    pub dedupe_key: String,
    /// Sent during quiet hours and past the daily cap (so is every kind its template marks
    /// urgent).
    pub urgent: bool,
}

/// What queuing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queued {
    /// A new row, waiting to be sent.
    Queued(i64),
    /// The dedupe key was queued before: nothing new.
    Duplicate(i64),
    /// A new row marked failed, with the reason (the template, a variable, the number): it
    /// will never be sent.
    Refused(i64, String),
    /// The kind is switched off for the GP's state or the GP: nothing queued.
    SwitchedOff,
}

/// Queue a message (see [`QueueSms`]); run it inside the caller's transaction, so the message
/// exists exactly when what it tells of does.
pub fn queue(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    sms: QueueSms,
) -> AppResult<Queued> {
    if sms.dedupe_key.trim().is_empty() || sms.key.trim().is_empty() {
        return Err(AppError::Internal(
            "an SMS needs a key and a dedupe key".into(),
        ));
    }
    if let Some(id) = model::by_dedupe(conn, &sms.dedupe_key)? {
        return Ok(Queued::Duplicate(id));
    }
    if let Some(gp) = sms.gp_id {
        let state = crate::supply::model::state_lgd_of(conn, gp)?;
        if config.sms.disabled_in(state).contains(&sms.key)
            || model::gp_switched_off(conn, gp, &sms.key)?
        {
            return Ok(Queued::SwitchedOff);
        }
    } else if config.sms.disabled_kinds.contains(&sms.key) {
        return Ok(Queued::SwitchedOff);
    }
    let lang = if sms.lang == "hi" { "hi" } else { "en" };
    let vars_json = serde_json::to_string(
        &sms.vars
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect::<serde_json::Map<_, _>>(),
    )
    .unwrap_or_else(|_| "{}".into());
    let prepared = prepare(conn, config, now, &sms, lang);
    let (status, body, template_id, unicode, urgent, error) = match &prepared {
        Ok(p) => (
            Status::Queued,
            p.text.clone(),
            p.dlt_template_id.clone(),
            p.unicode,
            p.urgent || sms.urgent,
            None,
        ),
        Err(e) => (
            Status::Failed,
            String::new(),
            String::new(),
            false,
            sms.urgent,
            Some(e.clone()),
        ),
    };
    let to = super::normalize_number(&sms.to).unwrap_or_else(|| sms.to.trim().to_string());
    let row = NewRow {
        gp_id: sms.gp_id,
        to: &to,
        key: &sms.key,
        lang,
        vars: &vars_json,
        body: &body,
        dlt_template_id: &template_id,
        unicode,
        status,
        urgent,
        last_error: error.as_deref(),
        dedupe_key: &sms.dedupe_key,
    };
    Ok(match model::insert(conn, &row, now)? {
        None => Queued::Duplicate(model::by_dedupe(conn, &sms.dedupe_key)?.unwrap_or_default()),
        Some(id) => match error {
            None => Queued::Queued(id),
            Some(e) => {
                tracing::warn!(sms = id, key = %sms.key, reason = %e, "SMS refused");
                Queued::Refused(id, e)
            }
        },
    })
}

/// The language of messages to a GP's households (`sms.household_lang`, or its state's).
pub fn household_lang(conn: &mut DbConn, config: &Config, gp_id: i64) -> AppResult<String> {
    let state = crate::supply::model::state_lgd_of(conn, gp_id)?;
    Ok(config.sms.household_lang_in(state).to_string())
}

/// The statuses of a message that will still be tried: queued, or held at yesterday's cap.
const WAITING: [Status; 2] = [Status::Queued, Status::Held];

/// A message rendered and matched to its template.
struct Prepared {
    text: String,
    dlt_template_id: String,
    unicode: bool,
    urgent: bool,
}

/// Render the message from its template and check it against it (DLT); an error is the
/// reason shown to admins.
fn prepare(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    sms: &QueueSms,
    lang: &str,
) -> Result<Prepared, String> {
    if super::normalize_number(&sms.to).is_none() {
        return Err(format!(
            "{:?} is not a mobile number",
            super::mask(sms.to.trim())
        ));
    }
    let templates = dlt::get(&config.sms.templates_file)?;
    let Some(m) = templates.messages.get(&sms.key) else {
        return Err(format!("no template for message key {:?}", sms.key));
    };
    let Some(t) = m.lang(lang).or(m.en.as_ref()) else {
        return Err(format!("no template for {:?} in {lang}", sms.key));
    };
    let parsed = dlt::parse(&t.text).map_err(|e| Mismatch::BadTemplate(e).to_string())?;
    if parsed.slots() != m.vars.len() {
        return Err(format!(
            "the template of {:?} has {} slots but {} vars",
            sms.key,
            parsed.slots(),
            m.vars.len()
        ));
    }
    let mut values = Vec::new();
    for name in &m.vars {
        let Some((_, v)) = sms.vars.iter().find(|(k, _)| k == name) else {
            return Err(format!("variable {name:?} is missing"));
        };
        let v = v.trim();
        if name.ends_with("link") {
            values.push(short_link(conn, config, now, v)?);
        } else {
            values.push(v.to_string());
        }
    }
    let text = parsed.render(&values);
    let max = config.sms.variable_max_chars;
    dlt::matches(&t.text, &text, max).map_err(|e| match e {
        // name the variable, not only its place
        Mismatch::TooLong { slot, chars, max } => format!(
            "variable {:?} has {chars} characters; DLT allows at most {max}",
            m.vars.get(slot - 1).map(String::as_str).unwrap_or("?")
        ),
        other => other.to_string(),
    })?;
    Ok(Prepared {
        unicode: dlt::is_unicode(lang, &text),
        text,
        dlt_template_id: t.dlt_template_id.clone(),
        urgent: m.urgent,
    })
}

/// A link on this server as a short link `<base>/s/<token>`. Only this server's own pages are
/// shortened (a URL elsewhere is refused), and the token stands for a path, so `/s/…` can only
/// ever lead back here; the page it leads to checks who may see it as always.
pub fn short_link(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    url: &str,
) -> Result<String, String> {
    let base = config.public_url();
    let path = if url.starts_with('/') {
        url
    } else {
        url.strip_prefix(base.as_str())
            .filter(|p| p.starts_with('/'))
            .ok_or_else(|| "a link must point at this server (server.base_url)".to_string())?
    };
    if path.starts_with("//") || path.contains('\\') || path.chars().any(char::is_control) {
        return Err("a link must be a path on this server".into());
    }
    let token = model::link_token(conn, path, now).map_err(|e| e.to_string())?;
    Ok(format!("{base}/s/{token}"))
}

/// The path a short link stands for (`/s/{token}`).
pub fn resolve_link(ctx: &Ctx, token: String) -> AppResult<String> {
    if token.len() > 32 || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    let mut conn = ctx.db.conn()?;
    model::link_path(&mut conn, &token)?.ok_or(AppError::NotFound)
}

/// The transport `sms.transport` names, with the `file` transport's folder.
pub fn transport(config: &Config, name: &str) -> Result<Box<dyn providers::SmsTransport>, String> {
    let mut settings = config.sms.provider.clone();
    settings.file_dir = config.sms.file_dir.clone();
    providers::build(name, &settings)
}

/// What one delivery sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Tries that failed (retried later or given up).
    pub failed: usize,
    /// Held at the daily cap.
    pub held: usize,
    /// Waiting for the end of quiet hours.
    pub deferred: usize,
    /// Found claimed by a sweep that died: marked unknown.
    pub unknown: usize,
}

/// Claim a queued (or held) message for sending (a committed write: status `sending` and a
/// lease); false when it is no longer waiting (another sweep has it, or had it).
pub fn claim(db: &Db, config: &Config, now: NaiveDateTime, id: i64) -> AppResult<bool> {
    let lease = now + Duration::seconds(config.sms.lease_seconds);
    let transport = config.sms.transport.clone();
    db.write_blocking(move |c| {
        let n = diesel::update(
            sms_outbox::table
                .find(id)
                .filter(sms_outbox::status.eq_any(WAITING.map(Status::as_str))),
        )
        .set((
            sms_outbox::status.eq(Status::Sending.as_str()),
            sms_outbox::lease_until.eq(Some(lease)),
            sms_outbox::transport.eq(Some(transport)),
            sms_outbox::updated_at.eq(now),
        ))
        .execute(c)?;
        Ok(n == 1)
    })
}

/// Messages whose sweep died while sending them (their lease ended): marked unknown (and a
/// one-time code's text dropped: it is never sent again).
fn mark_abandoned(db: &Db, now: NaiveDateTime) -> AppResult<usize> {
    db.write_blocking(move |c| {
        diesel::update(
            sms_outbox::table
                .filter(sms_outbox::status.eq(Status::Sending.as_str()))
                .filter(sms_outbox::lease_until.lt(now))
                .filter(sms_outbox::msg_key.eq(dlt::OTP_KEY)),
        )
        .set((sms_outbox::body.eq(""), sms_outbox::vars.eq("{}")))
        .execute(c)?;
        Ok(diesel::update(
            sms_outbox::table
                .filter(sms_outbox::status.eq(Status::Sending.as_str()))
                .filter(sms_outbox::lease_until.lt(now)),
        )
        .set((
            sms_outbox::status.eq(Status::Unknown.as_str()),
            sms_outbox::lease_until.eq(None::<NaiveDateTime>),
            sms_outbox::last_error.eq(Some(
                "the sweep sending it stopped before the provider answered: it may have been \
                 sent, so it is not sent again",
            )),
            sms_outbox::updated_at.eq(now),
        ))
        .execute(c)?)
    })
}

/// What a sweep sends with: the transport, the DLT identity, the quiet hours and templates.
struct Sender {
    transport: Box<dyn providers::SmsTransport>,
    dlt: Dlt,
    quiet: (chrono::NaiveTime, chrono::NaiveTime),
    templates: std::sync::Arc<dlt::Templates>,
}

impl Sender {
    fn new(config: &Config) -> AppResult<Sender> {
        let cfg = &config.sms;
        Ok(Sender {
            transport: transport(config, &cfg.transport).map_err(AppError::Config)?,
            dlt: Dlt {
                entity_id: cfg.entity_id.clone(),
                sender_id: cfg.sender_id.clone(),
            },
            quiet: cfg.quiet_hours(),
            templates: dlt::get(&cfg.templates_file).map_err(AppError::Config)?,
        })
    }
}

/// The scheduler's `sms_send` job: every due message (oldest first, at most `limit`), each
/// claimed, tried once and its result written, outside any long transaction.
pub fn deliver(db: &Db, config: &Config, now: NaiveDateTime, limit: i64) -> AppResult<Delivered> {
    let mut done = Delivered {
        unknown: mark_abandoned(db, now)?,
        ..Default::default()
    };
    let due = {
        let mut c = db.conn()?;
        model::due(&mut c, now, limit)?
    };
    if due.is_empty() {
        return Ok(done);
    }
    let sender = Sender::new(config)?;
    for m in due {
        try_one(db, config, &sender, now, m, &mut done)?;
    }
    Ok(done)
}

/// Send one message now, if it is still queued and due, instead of waiting for the next
/// `sms_send` sweep (a log-in code). Call it after the transaction that queued it has
/// committed. It claims the row like a sweep does, so the message still goes at most once:
/// whichever of this and a sweep claims it first sends it, the other finds it taken.
pub fn deliver_one(db: &Db, config: &Config, now: NaiveDateTime, id: i64) -> AppResult<Delivered> {
    let mut done = Delivered::default();
    let m = {
        let mut c = db.conn()?;
        model::get(&mut c, id)?
    };
    let Some(m) = m.filter(|m| m.status == Status::Queued.as_str() && m.next_attempt_at <= now)
    else {
        return Ok(done);
    };
    let sender = Sender::new(config)?;
    try_one(db, config, &sender, now, m, &mut done)?;
    Ok(done)
}

/// One due message: deferred in quiet hours or held at the daily cap (unless urgent), else
/// claimed, tried once and its result written.
fn try_one(
    db: &Db,
    config: &Config,
    sender: &Sender,
    now: NaiveDateTime,
    m: SmsMessage,
    done: &mut Delivered,
) -> AppResult<()> {
    let cfg = &config.sms;
    if !m.urgent {
        if let Some(until) = super::quiet_until(now, sender.quiet.0, sender.quiet.1) {
            db.write_blocking(|c| {
                diesel::update(
                    sms_outbox::table
                        .find(m.id)
                        .filter(sms_outbox::status.eq_any(WAITING.map(Status::as_str))),
                )
                .set((
                    sms_outbox::next_attempt_at.eq(until),
                    sms_outbox::updated_at.eq(now),
                ))
                .execute(c)?;
                Ok(())
            })?;
            done.deferred += 1;
            return Ok(());
        }
        let today = {
            let mut c = db.conn()?;
            model::sent_to_since(&mut c, &m.to_number, super::india_day_start(now))?
        };
        if today >= cfg.daily_cap {
            let why = format!(
                "held: this number already got {today} messages today (sms.daily_cap {}); \
                 tried again tomorrow",
                cfg.daily_cap
            );
            // tried again from the next day (India time); quiet hours then apply as usual
            let tomorrow = super::india_day_start(now) + Duration::days(1);
            db.write_blocking(|c| {
                finish(c, m.id, Status::Held, now, Some(&why))?;
                diesel::update(sms_outbox::table.find(m.id))
                    .set(sms_outbox::next_attempt_at.eq(tomorrow))
                    .execute(c)?;
                Ok(())
            })?;
            done.held += 1;
            return Ok(());
        }
    }
    if !claim(db, config, now, m.id)? {
        return Ok(());
    }
    let tpl = sender
        .templates
        .messages
        .get(&m.msg_key)
        .and_then(|t| t.lang(&m.lang).or(t.en.as_ref()));
    let sms = OutgoingSms {
        outbox_id: m.id,
        to: m.to_number.clone(),
        text: m.body.clone(),
        unicode: m.unicode,
        dlt_template_id: m.dlt_template_id.clone(),
        key: m.msg_key.clone(),
        variables: tpl
            .and_then(|t| dlt::matches(&t.text, &m.body, usize::MAX).ok())
            .unwrap_or_default(),
        provider_template_id: tpl.and_then(|t| t.provider_template_id.clone()),
    };
    let result = sender.transport.send(&sms, &sender.dlt);
    let attempts = m.attempts + 1;
    db.write_blocking(|c| record(c, config, &m, attempts, now, &result))?;
    match result {
        Ok(_) => done.sent += 1,
        Err(e) => {
            tracing::warn!(sms = m.id, attempts, error = %e.message, "SMS not sent");
            done.failed += 1;
        }
    }
    Ok(())
}

/// Set a row's status (and error), clearing its lease.
fn finish(
    c: &mut DbConn,
    id: i64,
    status: Status,
    now: NaiveDateTime,
    error: Option<&str>,
) -> AppResult<()> {
    diesel::update(sms_outbox::table.find(id))
        .set((
            sms_outbox::status.eq(status.as_str()),
            sms_outbox::lease_until.eq(None::<NaiveDateTime>),
            sms_outbox::last_error.eq(error),
            sms_outbox::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// Write a try's result: sent; or queued again after the backoff; or failed (not worth
/// retrying, or the last try).
fn record(
    c: &mut DbConn,
    config: &Config,
    m: &SmsMessage,
    attempts: i32,
    now: NaiveDateTime,
    result: &Result<Accepted, SendError>,
) -> AppResult<()> {
    let q = diesel::update(sms_outbox::table.find(m.id));
    let done = match result {
        Ok(_) => true,
        Err(e) => !e.retryable || attempts >= config.sms.max_attempts,
    };
    if done && m.msg_key == dlt::OTP_KEY {
        // a one-time code's text is not kept once it will not be sent again
        diesel::update(sms_outbox::table.find(m.id))
            .set((sms_outbox::body.eq(""), sms_outbox::vars.eq("{}")))
            .execute(c)?;
    }
    match result {
        Ok(a) => q
            .set((
                sms_outbox::status.eq(Status::Sent.as_str()),
                sms_outbox::attempts.eq(attempts),
                sms_outbox::sent_at.eq(Some(now)),
                sms_outbox::provider_id.eq(Some(&a.provider_id)),
                sms_outbox::cost_paise.eq(a.cost_paise),
                sms_outbox::lease_until.eq(None::<NaiveDateTime>),
                sms_outbox::last_error.eq(None::<String>),
                sms_outbox::updated_at.eq(now),
            ))
            .execute(c)?,
        Err(e) => {
            let give_up = !e.retryable || attempts >= config.sms.max_attempts;
            let status = if give_up {
                Status::Failed
            } else {
                Status::Queued
            };
            let error: String = e.message.chars().take(500).collect();
            q.set((
                sms_outbox::status.eq(status.as_str()),
                sms_outbox::attempts.eq(attempts),
                sms_outbox::next_attempt_at
                    .eq(now + super::backoff(config.sms.retry_base_seconds, attempts)),
                sms_outbox::lease_until.eq(None::<NaiveDateTime>),
                sms_outbox::last_error.eq(Some(error)),
                sms_outbox::updated_at.eq(now),
            ))
            .execute(c)?
        }
    };
    Ok(())
}

/// Apply delivery reports from `transport` to the rows they name (by provider id): delivered
/// and failed are kept; a report of a message already delivered changes nothing, nor does a
/// pending one; an id we do not know is ignored. Returns the rows changed.
pub fn apply_reports(
    conn: &mut DbConn,
    transport: &str,
    reports: &[DeliveryReport],
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut changed = 0;
    for r in reports {
        let rows = || {
            sms_outbox::table
                .filter(sms_outbox::provider_id.eq(&r.provider_id))
                .filter(sms_outbox::transport.eq(transport))
        };
        changed += match r.status {
            DeliveryStatus::Delivered => diesel::update(
                rows().filter(sms_outbox::status.eq_any(["sent", "unknown", "failed"])),
            )
            .set((
                sms_outbox::status.eq(Status::Delivered.as_str()),
                sms_outbox::delivered_at.eq(Some(now)),
                sms_outbox::last_error.eq(None::<String>),
                sms_outbox::updated_at.eq(now),
            ))
            .execute(conn)?,
            DeliveryStatus::Failed => {
                let why = format!(
                    "the provider reports it undelivered{}",
                    r.detail
                        .as_deref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                );
                diesel::update(rows().filter(sms_outbox::status.eq_any(["sent", "unknown"])))
                    .set((
                        sms_outbox::status.eq(Status::Failed.as_str()),
                        sms_outbox::last_error.eq(Some(why)),
                        sms_outbox::updated_at.eq(now),
                    ))
                    .execute(conn)?
            }
            DeliveryStatus::Pending => 0,
        };
    }
    Ok(changed)
}

/// The shared secret every provider callback (delivery reports, inbound SMS, missed calls)
/// must carry, compared in constant time: `NotFound` when callbacks are off (no
/// `sms.callback_secret`), `Unauthorized` when it is missing or wrong.
pub fn check_callback_secret(config: &Config, secret: Option<&str>) -> AppResult<()> {
    let expected = config.sms.callback_secret.expose();
    if expected.is_empty() {
        return Err(AppError::NotFound);
    }
    if !secret.is_some_and(|s| crate::auth::same_token(s, expected)) {
        return Err(AppError::Unauthorized);
    }
    Ok(())
}

/// A delivery-report callback: checks the shared secret (constant time), has the transport
/// read it and applies the reports. `Unauthorized` for a wrong secret, `NotFound` when
/// callbacks are off (no secret set) or the transport is unknown, `BadRequest` for a callback
/// the transport cannot read.
pub fn delivery_callback(
    ctx: &Ctx,
    transport_name: String,
    secret: Option<String>,
    callback: providers::Callback,
) -> AppResult<usize> {
    check_callback_secret(&ctx.config, secret.as_deref())?;
    let t = transport(&ctx.config, &transport_name).map_err(|_| AppError::NotFound)?;
    let reports = t
        .delivery_reports(&callback)
        .map_err(|e| AppError::BadRequest(format!("delivery report: {e}")))?;
    let now = ctx.now();
    let name = t.name();
    ctx.db
        .write_blocking(move |c| apply_reports(c, name, &reports, now))
}

/// Switch a message key off (or on again) for one GP (`sms_gp_off`), audited on the GP.
pub fn switch_gp_kind(
    ctx: &Ctx,
    actor: &crate::auth::Actor,
    ip: &str,
    gp: i64,
    key: &str,
    off: bool,
) -> AppResult<()> {
    use crate::audit::{self, Action, By, Detail, Entity};
    actor.require(crate::auth::Verb::ViewSms)?;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let place = crate::places::model::find_in_scope(c, &actor.scope, gp)?;
        if place.level != crate::places::Level::Gp.as_str() {
            return Err(AppError::NotFound);
        }
        model::set_gp_off(c, gp, key, off, now)?;
        log.add(
            Action::switched(!off),
            Entity::Place,
            Some(gp),
            Detail::new("audit-detail-sms-switch")
                .text("gp", place.name.clone())
                .text("key", key),
        );
        Ok(())
    })
}

/// What `/admin/sms` shows.
pub struct AdminView {
    pub rows: Vec<SmsMessage>,
    pub total: i64,
    pub summary: Vec<SmsGpSummary>,
    pub gps: Vec<(i64, String)>,
}

pub fn admin_view(
    ctx: &Ctx,
    f: SmsFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<AdminView> {
    let mut conn = ctx.db.conn()?;
    let (rows, total) = model::list(&mut conn, &f, page)?;
    Ok(AdminView {
        rows,
        total,
        summary: model::summary(&mut conn, f.month.as_deref())?,
        gps: model::gps_with_messages(&mut conn)?,
    })
}

/// The outbox as monitoring sees it (`/metrics`, `/healthz`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueState {
    /// Queued (waiting or to be retried).
    pub waiting: i64,
    /// Of those, the ones whose last try failed.
    pub retrying: i64,
    pub first_due: Option<NaiveDateTime>,
    pub failed: i64,
    pub held: i64,
    pub unknown: i64,
}

pub fn queue_state(conn: &mut DbConn) -> AppResult<QueueState> {
    let of = |s: Status| sms_outbox::table.filter(sms_outbox::status.eq(s.as_str()));
    Ok(QueueState {
        waiting: of(Status::Queued).count().get_result(conn)?,
        retrying: of(Status::Queued)
            .filter(sms_outbox::attempts.gt(0))
            .count()
            .get_result(conn)?,
        first_due: of(Status::Queued)
            .select(diesel::dsl::min(sms_outbox::next_attempt_at))
            .first(conn)?,
        failed: of(Status::Failed).count().get_result(conn)?,
        held: of(Status::Held).count().get_result(conn)?,
        unknown: of(Status::Unknown).count().get_result(conn)?,
    })
}
