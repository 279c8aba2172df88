//! E-mail for reminders: the outbox and its delivery.
//!
//! The scheduler *queues* (in its write transaction): each pending reminder of a person who
//! wants them at once becomes one message; for people who chose a daily digest, their pending
//! reminders become one message a day, at `mail.digest_hour` (India time). Reminders resolved
//! before they were queued are never sent; people without an e-mail address, or who turned
//! e-mail off, get in-app reminders only. Each outbox row gets its Message-ID when it is made.
//!
//! Then it *delivers* (outside any transaction, one message at a time): `smtp` (lettre;
//! STARTTLS, implicit TLS or plain, with credentials when given), `file` (one `.eml` per row
//! under `mail.file_dir`, overwritten by a retry) or `memory` (kept in the process, for
//! tests). A failure waits `retry_base_seconds` × 2^(tries − 1) (at most a day) before the
//! next try; after `max_attempts` the message is marked failed, with its error, for admins.

use crate::config::{Config, MailConfig};
use crate::db::schema::{outbox, reminders, users};
use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};
use crate::reminders::Reminder;
use crate::web::i18n::{I18n, Lang};
use crate::web::render::Views;
use chrono::{Duration, NaiveDateTime, Timelike};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: i64,
    pub user_id: Option<i64>,
    #[serde(skip)]
    pub to_addr: String,
    pub subject: String,
    #[serde(skip)]
    pub body_text: String,
    #[serde(skip)]
    pub body_html: String,
    pub message_id: String,
    /// reminder or digest.
    pub kind: String,
    pub attempts: i32,
    #[serde(with = "crate::clock::utc")]
    pub next_attempt_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub sent_at: Option<NaiveDateTime>,
    /// Given up after `mail.max_attempts`.
    #[serde(with = "crate::clock::utc::option")]
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

/// A message the `memory` transport kept.
#[derive(Debug, Clone)]
pub struct Sent {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

static MEMORY: Mutex<Vec<Sent>> = Mutex::new(Vec::new());

/// What the `memory` transport has sent in this process.
pub fn memory_sent() -> Vec<Sent> {
    MEMORY.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Renders and sends e-mail; made once per runner.
pub struct Mailer {
    views: Arc<Views>,
    /// The maintenance template library, so a task's title reads in the recipient's language.
    library: crate::maintenance::templates::Library,
    i18n: Arc<I18n>,
    cfg: MailConfig,
    base_url: String,
    domain: String,
}

impl Mailer {
    pub fn new(config: &Config) -> AppResult<Mailer> {
        let i18n = Arc::new(I18n::load().map_err(AppError::Config)?);
        let views = Arc::new(Views::load(i18n.clone()).map_err(AppError::Config)?);
        Ok(Self::with(config, i18n, views))
    }

    pub fn with(config: &Config, i18n: Arc<I18n>, views: Arc<Views>) -> Mailer {
        let base_url = config.public_url().trim_end_matches('/').to_string();
        let domain = config
            .mail
            .from
            .rsplit('@')
            .next()
            .map(|d| d.trim_end_matches('>').trim().to_string())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "paani.localhost".into());
        // the configuration's library was checked when the app started; without it titles
        // stay as they were raised
        let library =
            crate::maintenance::templates::Library::load(&config.maintenance.templates_file)
                .unwrap_or(crate::maintenance::templates::Library { templates: vec![] });
        Mailer {
            library,
            views,
            i18n,
            cfg: config.mail.clone(),
            base_url,
            domain,
        }
    }

    /// The messages (for the reminders' SMS, which the scheduler words with them too).
    pub fn i18n(&self) -> &I18n {
        &self.i18n
    }

    /// The maintenance template library (a task's title in the reader's language).
    pub fn library(&self) -> &crate::maintenance::templates::Library {
        &self.library
    }

    fn message_id(&self, what: &str) -> String {
        format!(
            "<{what}.{}@{}>",
            &crate::auth::random_token()[..16],
            self.domain
        )
    }

    fn item(&self, lang: Lang, r: &Reminder) -> serde_json::Value {
        json!({
            "message": crate::reminders::message(&self.i18n, lang, r),
            "url": format!("{}/inbox/{}", self.base_url, r.id),
        })
    }

    fn render(&self, name: &str, ctx: &serde_json::Value) -> AppResult<String> {
        self.views.render(name, ctx)
    }

    /// Put pending reminders into the outbox (see the module's notes); returns the messages
    /// made. Run inside a write transaction.
    pub fn queue(&self, conn: &mut DbConn, now: NaiveDateTime) -> AppResult<usize> {
        // resolved before they went out, or the person no longer wants e-mail: never sent
        let no_mail = users::table
            .filter(
                users::email
                    .is_null()
                    .or(users::email.eq(""))
                    .or(users::email_pref.eq("off"))
                    .or(users::active.eq(false)),
            )
            .select(users::id);
        diesel::update(
            reminders::table
                .filter(reminders::email_state.eq("pending"))
                .filter(
                    reminders::resolved_at
                        .is_not_null()
                        .or(reminders::user_id.eq_any(no_mail)),
                ),
        )
        .set((
            reminders::email_state.eq("none"),
            reminders::updated_at.eq(now),
        ))
        .execute(conn)?;
        type Person = (i64, String, String, String, String);
        let people: Vec<Person> = users::table
            .filter(users::active.eq(true))
            .filter(users::email_pref.ne("off"))
            .filter(users::email.is_not_null())
            .filter(users::email.ne(""))
            .filter(
                users::id.eq_any(
                    reminders::table
                        .filter(reminders::email_state.eq("pending"))
                        .select(reminders::user_id),
                ),
            )
            .select((
                users::id,
                users::display_name,
                users::email.assume_not_null(),
                users::lang,
                users::email_pref,
            ))
            .load(conn)?;
        let india = now + Duration::minutes(330);
        let digest_time = india.hour() >= self.cfg.digest_hour;
        let mut made = 0;
        for (user, name, email, lang, pref) in people {
            let lang = Lang::parse(&lang).unwrap_or_default();
            let mut pending: Vec<Reminder> = reminders::table
                .filter(reminders::user_id.eq(user))
                .filter(reminders::email_state.eq("pending"))
                .order(reminders::id.asc())
                .limit(500)
                .select(Reminder::as_select())
                .load(conn)?;
            crate::reminders::model::name_subjects(conn, &mut pending, lang, &self.library)?;
            if pending.is_empty() {
                continue;
            }
            let mut messages = vec![];
            if pref == "digest" {
                if !digest_time {
                    continue;
                }
                // one digest a day: its Message-ID names the user and the day
                let id = format!("<digest.{user}.{}@{}>", india.format("%Y%m%d"), self.domain);
                let exists: i64 = outbox::table
                    .filter(outbox::message_id.eq(&id))
                    .count()
                    .get_result(conn)?;
                if exists > 0 {
                    continue;
                }
                let items: Vec<_> = pending.iter().map(|r| self.item(lang, r)).collect();
                let ctx = json!({
                    "lang": lang.code(), "name": name, "items": items,
                    "count": items.len(), "inbox": format!("{}/inbox", self.base_url),
                });
                let subject = self.i18n.t(
                    lang,
                    "email-digest-subject",
                    &[("count", items.len().to_string())],
                );
                messages.push((
                    id,
                    "digest",
                    subject,
                    ctx,
                    pending.iter().map(|r| r.id).collect::<Vec<_>>(),
                ));
            } else {
                for r in &pending {
                    let item = self.item(lang, r);
                    let ctx = json!({
                        "lang": lang.code(), "name": name, "items": [item.clone()], "count": 1,
                        "inbox": format!("{}/inbox", self.base_url),
                    });
                    let subject = item["message"].as_str().unwrap_or_default().to_string();
                    messages.push((
                        self.message_id(&format!("r{}", r.id)),
                        "reminder",
                        subject,
                        ctx,
                        vec![r.id],
                    ));
                }
            }
            for (message_id, kind, subject, ctx, ids) in messages {
                let text = self.render("email/reminders/text", &ctx)?;
                let html = self.render("email/reminders/html", &ctx)?;
                let subject: String = subject.chars().take(150).collect();
                diesel::insert_into(outbox::table)
                    .values((
                        outbox::user_id.eq(user),
                        outbox::to_addr.eq(&email),
                        outbox::subject.eq(&subject),
                        outbox::body_text.eq(&text),
                        outbox::body_html.eq(&html),
                        outbox::message_id.eq(&message_id),
                        outbox::kind.eq(kind),
                        outbox::attempts.eq(0),
                        outbox::next_attempt_at.eq(now),
                        outbox::created_at.eq(now),
                    ))
                    .execute(conn)?;
                diesel::update(reminders::table.filter(reminders::id.eq_any(&ids)))
                    .set((
                        reminders::email_state.eq("queued"),
                        reminders::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                made += 1;
            }
        }
        Ok(made)
    }

    /// Try every message that is due (oldest first, at most `limit`); returns (sent, failed
    /// this time). Each result is written in its own small transaction after the try.
    pub fn deliver(&self, db: &Db, now: NaiveDateTime, limit: i64) -> AppResult<(usize, usize)> {
        let due: Vec<OutboxMessage> = {
            let mut c = db.conn()?;
            outbox::table
                .filter(outbox::sent_at.is_null())
                .filter(outbox::failed_at.is_null())
                .filter(outbox::next_attempt_at.le(now))
                .order(outbox::id.asc())
                .limit(limit)
                .select(OutboxMessage::as_select())
                .load(&mut c)?
        };
        let (mut sent, mut failed) = (0, 0);
        for m in due {
            let result = self.send(&m);
            let attempts = m.attempts + 1;
            let base = self.cfg.retry_base_seconds.max(1);
            let wait = Duration::seconds(
                (base.saturating_mul(1_i64 << (attempts - 1).clamp(0, 20))).min(86_400),
            );
            let give_up = attempts >= self.cfg.max_attempts;
            db.write_blocking(|c| {
                let q = diesel::update(outbox::table.find(m.id));
                match &result {
                    Ok(()) => q
                        .set((
                            outbox::sent_at.eq(now),
                            outbox::attempts.eq(attempts),
                            outbox::last_error.eq(None::<String>),
                        ))
                        .execute(c)?,
                    Err(e) => q
                        .set((
                            outbox::attempts.eq(attempts),
                            outbox::last_error.eq(e.chars().take(500).collect::<String>()),
                            outbox::next_attempt_at.eq(now + wait),
                            outbox::failed_at.eq(give_up.then_some(now)),
                        ))
                        .execute(c)?,
                };
                Ok(())
            })?;
            match result {
                Ok(()) => sent += 1,
                Err(e) => {
                    tracing::warn!(outbox = m.id, attempts, error = %e, "e-mail not delivered");
                    failed += 1;
                }
            }
        }
        Ok((sent, failed))
    }

    fn build(&self, m: &OutboxMessage) -> Result<lettre::Message, String> {
        use lettre::message::{header::ContentType, MultiPart, SinglePart};
        let from = self
            .cfg
            .from
            .parse()
            .map_err(|e| format!("mail.from: {e}"))?;
        let to = m
            .to_addr
            .parse()
            .map_err(|e| format!("address {:?}: {e}", m.to_addr))?;
        lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.message_id.clone()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(m.body_text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(m.body_html.clone()),
                    ),
            )
            .map_err(|e| e.to_string())
    }

    /// One try; the error is text fit for admins (no secrets: credentials are never in it).
    fn send(&self, m: &OutboxMessage) -> Result<(), String> {
        let email = self.build(m)?;
        match self.cfg.transport.as_str() {
            "memory" => {
                MEMORY.lock().unwrap_or_else(|e| e.into_inner()).push(Sent {
                    to: m.to_addr.clone(),
                    subject: m.subject.clone(),
                    message_id: m.message_id.clone(),
                    text: m.body_text.clone(),
                    html: m.body_html.clone(),
                });
                Ok(())
            }
            "file" => {
                let dir = std::path::Path::new(&self.cfg.file_dir);
                crate::config::create_private_dir(dir).map_err(|e| e.to_string())?;
                let path = dir.join(format!("outbox-{}.eml", m.id));
                crate::config::write_private_file(&path, &email.formatted())
                    .map_err(|e| e.to_string())
            }
            _ => {
                use lettre::transport::smtp::authentication::Credentials;
                use lettre::{SmtpTransport, Transport};
                let host = self.cfg.smtp_host.as_str();
                let builder = match self.cfg.smtp_security.as_str() {
                    "tls" => SmtpTransport::relay(host).map_err(|e| e.to_string())?,
                    "none" => SmtpTransport::builder_dangerous(host),
                    _ => SmtpTransport::starttls_relay(host).map_err(|e| e.to_string())?,
                };
                let mut builder =
                    builder
                        .port(self.cfg.smtp_port)
                        .timeout(Some(std::time::Duration::from_secs(
                            self.cfg.smtp_timeout_seconds.max(1),
                        )));
                if !self.cfg.smtp_username.is_empty() {
                    builder = builder.credentials(Credentials::new(
                        self.cfg.smtp_username.clone(),
                        self.cfg.smtp_password.expose().to_string(),
                    ));
                }
                builder
                    .build()
                    .send(&email)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Messages given up, newest first (for admins).
pub fn failed(conn: &mut DbConn, limit: i64) -> AppResult<Vec<OutboxMessage>> {
    Ok(outbox::table
        .filter(outbox::failed_at.is_not_null())
        .order(outbox::id.desc())
        .limit(limit)
        .select(OutboxMessage::as_select())
        .load(conn)?)
}

/// Messages waiting: (not yet tried or waiting to retry).
pub fn waiting(conn: &mut DbConn) -> AppResult<i64> {
    Ok(outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .count()
        .get_result(conn)?)
}

/// The outbox as monitoring sees it (`/metrics`, `/healthz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueState {
    /// Messages not yet sent nor given up.
    pub waiting: i64,
    /// Of those, the ones whose last try failed (they wait to be tried again).
    pub retrying: i64,
    /// The earliest time one of them was (or will be) due to be tried.
    pub first_due: Option<NaiveDateTime>,
    /// Messages given up after `mail.max_attempts`, ever ...
    pub given_up: i64,
    /// ... and since the time asked for.
    pub given_up_since: i64,
}

/// The outbox's state, counting messages given up since `since`. Each count reads the
/// `outbox_due` index (sent, given up, next try), so it costs the waiting and failed
/// messages, not the outbox's size.
pub fn queue_state(conn: &mut DbConn, since: NaiveDateTime) -> AppResult<QueueState> {
    let waiting = || {
        outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null())
    };
    let given_up = || {
        outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_not_null())
    };
    Ok(QueueState {
        waiting: waiting().count().get_result(conn)?,
        retrying: waiting()
            .filter(outbox::attempts.gt(0))
            .count()
            .get_result(conn)?,
        first_due: waiting()
            .select(diesel::dsl::min(outbox::next_attempt_at))
            .first(conn)?,
        given_up: given_up().count().get_result(conn)?,
        given_up_since: given_up()
            .filter(outbox::failed_at.ge(since))
            .count()
            .get_result(conn)?,
    })
}
