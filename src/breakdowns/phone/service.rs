//! Complaints by phone, the use cases: the SMS of a filed complaint and of each status change
//! (inside the caller's transaction), a missed call, an inbound SMS.

use super::{cut, model, parse_status_request, status_path, status_words, words};
use crate::breakdowns::public::service::{file_in, Filed};
use crate::breakdowns::public::ComplaintInput;
use crate::breakdowns::Breakdown;
use crate::config::Config;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::sms::service::{check_callback_secret, household_lang, queue, QueueSms};
use crate::sms::{mask, normalize_number};
use chrono::NaiveDateTime;

/// The sources whose reporter is a villager to tell by SMS (the app's reporters are members,
/// who see their breakdowns in the app).
fn from_villager(b: &Breakdown) -> bool {
    b.source == "public"
}

fn vars(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The language of a complaint's messages to its reporter: the one used to file it, else the
/// GP's households'.
pub fn reporter_lang(conn: &mut DbConn, config: &Config, b: &Breakdown) -> AppResult<String> {
    match model::reporter_lang(conn, b.gp_id, b.id)? {
        Some(l) if matches!(l.as_str(), "en" | "hi") => Ok(l),
        _ => household_lang(conn, config, b.gp_id),
    }
}

/// Inside the filing transaction: the complaint's number and status link to the villager who
/// filed it (`complaint_filed`, once per complaint), in `lang`.
pub fn queue_filed(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    b: &Breakdown,
    lang: &str,
) -> AppResult<()> {
    let Some(phone) = b.reporter_phone.clone().filter(|_| from_villager(b)) else {
        return Ok(());
    };
    queue(
        conn,
        config,
        now,
        QueueSms {
            gp_id: Some(b.gp_id),
            to: phone,
            key: "complaint_filed".into(),
            lang: lang.into(),
            vars: vars(&[
                ("number", b.number.clone()),
                ("link", status_path(config, b.id, &b.number)),
            ]),
            dedupe_key: format!("complaint:{}", b.id),
            urgent: false,
        },
    )?;
    Ok(())
}

/// Inside the transaction that moved it: a villager's complaint's new status, with its link
/// (`complaint_status`), once per change.
pub fn queue_status_change(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    b: &Breakdown,
) -> AppResult<()> {
    let Some(phone) = b.reporter_phone.clone().filter(|_| from_villager(b)) else {
        return Ok(());
    };
    let lang = reporter_lang(conn, config, b)?;
    let changes = model::transitions(conn, b.gp_id, b.id)?;
    queue(
        conn,
        config,
        now,
        QueueSms {
            gp_id: Some(b.gp_id),
            to: phone,
            key: "complaint_status".into(),
            vars: vars(&[
                ("number", b.number.clone()),
                (
                    "status",
                    status_words(&lang, &b.status, config.sms.variable_max_chars),
                ),
                ("link", status_path(config, b.id, &b.number)),
            ]),
            lang,
            dedupe_key: format!("complaint:{}:{}:{changes}", b.id, b.status),
            urgent: false,
        },
    )?;
    Ok(())
}

/// A missed call as the provider reports it.
#[derive(Debug, Clone, Default)]
pub struct MissedCall {
    /// The provider's id of the call (logged).
    pub call_sid: String,
    /// The caller's number, in any usual form.
    pub from: String,
}

/// What a missed call came to (the provider is answered 200 for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    /// A new complaint, with this number; the reply SMS is queued.
    Filed(String),
    /// An open complaint of the kind about the scheme already exists: nothing new; the caller
    /// is told its number (once).
    AlreadyOpen(String),
    /// The number called too often today: nothing filed, no reply.
    RateLimited,
    /// No connected household with a scheme in service has this number: nothing filed.
    Unknown,
}

/// A missed call: from a registered household's phone, a "no water" complaint for its scheme
/// and village (through the public page's filing), or the open one of that kind; then the
/// `missed_call_reply` SMS. At most `sms.missed_call_per_day` calls a day per number count.
pub fn missed_call(ctx: &Ctx, secret: Option<&str>, call: MissedCall) -> AppResult<CallOutcome> {
    check_callback_secret(&ctx.config, secret)?;
    let sid: String = call.call_sid.chars().take(64).collect();
    let Some(number) = normalize_number(&call.from) else {
        tracing::info!(call = %sid, from = %mask(call.from.trim()), "missed call from a number that is not a mobile: nothing filed");
        return Ok(CallOutcome::Unknown);
    };
    let ten = number[2..].to_string();
    let now = ctx.now();
    let config = ctx.config.clone();
    let outcome = ctx.db.write_blocking(|c| {
        let mut found = None;
        for h in model::callers(c, &ten)? {
            if let Some(s) = model::scheme_of(c, &h)? {
                found = Some((h, s));
                break;
            }
        }
        let Some((h, scheme)) = found else {
            return Ok(CallOutcome::Unknown);
        };
        if model::calls_since(c, &ten, crate::sms::india_day_start(now))?
            >= config.sms.missed_call_per_day
        {
            return Ok(CallOutcome::RateLimited);
        }
        model::note_call(c, &ten, now)?;
        let lang = household_lang(c, &config, h.gp_id)?;
        let category = config.sms.missed_call_category.clone();
        let (b, new) = match model::open_of_kind(c, scheme.id, &category)? {
            Some(b) => (b, false),
            None => {
                let villages = crate::schemes::villages_of(c, scheme.id)?;
                let village = villages
                    .iter()
                    .find(|v| v.id == h.village_id)
                    .or(villages.first())
                    .map(|v| v.id.to_string())
                    .unwrap_or_default();
                let input = ComplaintInput {
                    name: cut(&h.head_name, crate::web::forms::max::NAME),
                    phone: ten.clone(),
                    village_id: village,
                    category,
                    supply: crate::breakdowns::Supply::Stopped.as_str().into(),
                    description: words(
                        &lang,
                        "complaint-missed-call-description",
                        &[("connection", h.connection_no.clone())],
                    ),
                    lang: lang.clone(),
                };
                match file_in(c, &config.breakdowns, &scheme.code, &input, now)? {
                    Filed::New(b) => {
                        model::set_reporter_lang(c, b.gp_id, b.id, &lang)?;
                        (b, true)
                    }
                    Filed::AlreadyReported(b) => (b, false),
                }
            }
        };
        queue(
            c,
            &config,
            now,
            QueueSms {
                gp_id: Some(b.gp_id),
                to: ten.clone(),
                key: "missed_call_reply".into(),
                lang: lang.clone(),
                vars: vars(&[
                    ("number", b.number.clone()),
                    ("link", status_path(&config, b.id, &b.number)),
                ]),
                // told once per complaint and phone, however often it calls
                dedupe_key: format!("missed_call:{}:{ten}", b.id),
                urgent: false,
            },
        )?;
        Ok(if new {
            CallOutcome::Filed(b.number)
        } else {
            CallOutcome::AlreadyOpen(b.number)
        })
    })?;
    tracing::info!(call = %sid, from = %mask(&number), outcome = ?outcome, "missed call");
    Ok(outcome)
}

/// An SMS a villager sent to the provider's number.
#[derive(Debug, Clone, Default)]
pub struct InboundSms {
    pub from: String,
    pub body: String,
}

/// What an inbound SMS came to (the provider is answered 200 for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundOutcome {
    /// `STATUS <number>` from the complaint's reporter or a household of its scheme: the
    /// `status_reply` SMS is queued.
    Answered(String),
    /// No such complaint, or not one this number may ask about: nothing is sent (a stranger
    /// learns nothing, not even that the number exists).
    NotFound,
    /// Not a keyword Paani knows (there is no approved template for a help text): nothing is
    /// sent; logged.
    UnknownKeyword,
}

/// An inbound SMS: `STATUS <number>` (or `स्थिति <number>`) answered with the complaint's
/// status, only to its reporter's phone or a phone registered to a household of its scheme.
pub fn inbound_sms(
    ctx: &Ctx,
    transport: &str,
    secret: Option<&str>,
    sms: InboundSms,
) -> AppResult<InboundOutcome> {
    check_callback_secret(&ctx.config, secret)?;
    if !crate::sms::TRANSPORTS.contains(&transport) {
        return Err(crate::error::AppError::NotFound);
    }
    let Some(number) = normalize_number(&sms.from) else {
        tracing::info!(transport, from = %mask(sms.from.trim()), "inbound SMS from a number that is not a mobile: ignored");
        return Ok(InboundOutcome::UnknownKeyword);
    };
    let Some(asked) = parse_status_request(&sms.body) else {
        tracing::info!(transport, from = %mask(&number), chars = sms.body.chars().count(), "inbound SMS without a known keyword: nothing sent");
        return Ok(InboundOutcome::UnknownKeyword);
    };
    let ten = number[2..].to_string();
    let now = ctx.now();
    let config = ctx.config.clone();
    let outcome = ctx.db.write_blocking(|c| {
        let Some(b) = model::by_number(c, &asked)? else {
            return Ok(InboundOutcome::NotFound);
        };
        let reporter = b
            .reporter_phone
            .as_deref()
            .and_then(crate::auth::normalize_mobile)
            .is_some_and(|p| p == ten);
        let lang = if reporter {
            reporter_lang(c, &config, &b)?
        } else if model::household_of_scheme(c, b.scheme_id, &ten)? {
            household_lang(c, &config, b.gp_id)?
        } else {
            return Ok(InboundOutcome::NotFound);
        };
        let day = crate::web::i18n::today_in_india(now);
        queue(
            c,
            &config,
            now,
            QueueSms {
                gp_id: Some(b.gp_id),
                to: ten.clone(),
                key: "status_reply".into(),
                vars: vars(&[
                    ("number", b.number.clone()),
                    (
                        "status",
                        status_words(&lang, &b.status, config.sms.variable_max_chars),
                    ),
                ]),
                lang,
                // the same answer once a day: asking again and again costs nothing
                dedupe_key: format!("status_reply:{}:{ten}:{}:{day}", b.id, b.status),
                urgent: false,
            },
        )?;
        Ok(InboundOutcome::Answered(b.number))
    })?;
    tracing::info!(transport, from = %mask(&number), outcome = ?outcome, "inbound SMS");
    Ok(outcome)
}
