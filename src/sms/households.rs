//! Households' messages (issue 27, item 4): a payment's receipt, the month's demand notice, the
//! overdue reminder and the water-quality advisory. Each is built here from the rows its area
//! just wrote and queued with [`super::service::queue`] inside that area's own transaction
//! (payments, demands, incidents call in; the overdue reminder is the scheduler's job
//! `sms_overdue`). A household without a phone gets nothing; a message the DLT rules refuse is
//! kept as failed by `queue` and never fails the payment or the run that caused it.
//!
//! Households have no language of their own: every message to a GP's households is in
//! `sms.household_lang` (or its state's). Variables are cut to `sms.variable_max_chars`
//! characters here, so a long village name never turns a message into a refused one.

use super::service::{household_lang, queue, QueueSms, Queued};
use crate::billing::demands::{notice_token, Demand};
use crate::billing::payments::Payment;
use crate::config::Config;
use crate::db::schema::{demands, households, places, scheme_villages};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::i18n::{I18n, Lang};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::HashMap;

/// The locale files, loaded once (services have no `AppState`; month names and advice words
/// are in the Fluent files like every visible text).
fn i18n() -> Option<&'static I18n> {
    static LOADED: std::sync::OnceLock<Option<I18n>> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| I18n::load().ok()).as_ref()
}

fn lang_of(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// Rupees with two decimals, as the templates show them ("150.00"); never below zero (a
/// balance in advance is nothing due).
pub fn rupees(paise: i64) -> String {
    crate::web::csv::rupees(paise.max(0))
}

/// At most `max` characters (not bytes), cut at a word when one ends in the last third.
pub fn fit(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() >= max * 2 / 3 => cut[..i].trim_end().to_string(),
        _ => cut.trim_end().to_string(),
    }
}

/// A month as the notice says it: "Dec 2026", "दिसंबर 2026".
pub fn month_label(lang: &str, month: NaiveDate) -> String {
    match i18n() {
        Some(i) => i.month_label(lang_of(lang), month),
        None => month.format("%b %Y").to_string(),
    }
}

/// The path of a demand's notice (`/d/<token>`), keyed by `auth.session_key` as the notice
/// page checks it. The commands always have a key (`Config::keep_session_key`); without one
/// (a configuration that skipped it) no link written now could open later, so the message then
/// points at the home page.
pub fn notice_path(config: &Config, demand_id: i64) -> String {
    if config.auth.session_key.is_empty() {
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| {
            tracing::warn!(
                "auth.session_key is empty: demand notices sent by SMS link to the home page, \
                 not to the notice (set auth.session_key)"
            )
        });
        return "/".into();
    }
    format!(
        "/d/{}",
        notice_token(config.auth.session_key.expose().as_bytes(), demand_id)
    )
}

/// The phone and village of a household, if it has a phone.
fn phone_of(conn: &mut DbConn, household_id: i64) -> AppResult<Option<String>> {
    Ok(households::table
        .find(household_id)
        .select(households::phone)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten()
        .filter(|p| !p.trim().is_empty()))
}

/// A payment's receipt to its household's phone (`receipt:<payment id>`), inside the
/// payment's transaction.
pub fn receipt(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    p: &Payment,
) -> AppResult<Option<Queued>> {
    let Some(phone) = phone_of(conn, p.household_id)? else {
        return Ok(None);
    };
    let max = config.sms.variable_max_chars;
    let lang = household_lang(conn, config, p.gp_id)?;
    queue(
        conn,
        config,
        now,
        QueueSms {
            gp_id: Some(p.gp_id),
            to: phone,
            key: "receipt".into(),
            lang,
            vars: vec![
                ("receipt_no".into(), fit(&p.receipt_no, max)),
                ("amount".into(), rupees(p.amount_paise)),
                ("balance".into(), rupees(p.balance_after_paise)),
                ("link".into(), format!("/r/{}", p.token)),
            ],
            dedupe_key: format!("receipt:{}", p.id),
            urgent: false,
        },
    )
    .map(Some)
}

/// One demand's notice to `phone` in `lang` (`demand:<demand id>`).
pub fn demand_notice(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    d: &Demand,
    phone: String,
    lang: String,
) -> AppResult<Queued> {
    let max = config.sms.variable_max_chars;
    queue(
        conn,
        config,
        now,
        QueueSms {
            gp_id: Some(d.gp_id),
            to: phone,
            key: "demand_notice".into(),
            vars: vec![
                ("month".into(), fit(&month_label(&lang, d.month), max)),
                ("amount".into(), rupees(d.amount_paise + d.late_fee_paise)),
                ("due_date".into(), d.due_on.format("%d-%m-%Y").to_string()),
                ("link".into(), notice_path(config, d.id)),
            ],
            lang,
            dedupe_key: format!("demand:{}", d.id),
            urgent: false,
        },
    )
}

/// What the demand notices of some runs queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    /// Queued (or refused and kept as failed: `queue` keeps both).
    pub queued: usize,
    /// Households without a phone, GPs with the kind switched off, messages queued before.
    pub skipped: usize,
}

/// The demand notice of every demand of these runs whose household has a phone
/// (`demand:<demand id>`), inside the run's transaction. A GP that has the kind switched off
/// is left after its first answer.
pub fn demand_notices(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    run_ids: &[i64],
) -> AppResult<Sent> {
    let mut sent = Sent::default();
    let mut langs: HashMap<i64, String> = HashMap::new();
    for chunk in run_ids.chunks(crate::db::chunk_rows(1)) {
        let rows: Vec<(Demand, Option<String>)> = demands::table
            .inner_join(households::table.on(households::id.eq(demands::household_id)))
            .filter(demands::run_id.eq_any(chunk))
            .filter(households::phone.is_not_null())
            .order(demands::id.asc())
            .select((Demand::as_select(), households::phone))
            .load(conn)?;
        let mut off: Option<i64> = None;
        for (d, phone) in rows {
            let Some(phone) = phone.filter(|p| !p.trim().is_empty()) else {
                continue;
            };
            if off == Some(d.gp_id) {
                sent.skipped += 1;
                continue;
            }
            let lang = match langs.get(&d.gp_id) {
                Some(l) => l.clone(),
                None => {
                    let l = household_lang(conn, config, d.gp_id)?;
                    langs.insert(d.gp_id, l.clone());
                    l
                }
            };
            match demand_notice(conn, config, now, &d, phone, lang)? {
                Queued::Queued(_) | Queued::Refused(..) => sent.queued += 1,
                Queued::Duplicate(_) => sent.skipped += 1,
                Queued::SwitchedOff => {
                    off = Some(d.gp_id);
                    sent.skipped += 1;
                }
            }
        }
    }
    Ok(sent)
}

/// The overdue reminders of one day (the scheduler's `sms_overdue`): from
/// `billing.overdue_reminder_day` of each month, once a month, every household on a GP's
/// defaulters list (`billing.overdue_reminder_months` or more unpaid months, the defaulters
/// rule of [`crate::billing::ledger::defaulters`]) that has a phone gets `overdue_reminder`,
/// once per household and month (`overdue:<household id>:<YYYY-MM>`). `last` is the day the
/// job last ran: when that was this month, on or after the day, the month is done (the
/// dedupe keys keep a forced re-run to one message a month).
pub fn overdue_reminders(
    conn: &mut DbConn,
    config: &Config,
    today: NaiveDate,
    last: Option<NaiveDate>,
    now: NaiveDateTime,
) -> AppResult<Sent> {
    let mut sent = Sent::default();
    let from_day = config.billing.overdue_reminder_day;
    if from_day == 0 || today.day() < from_day {
        return Ok(sent);
    }
    let month = today.with_day(1).unwrap_or(today);
    let start = month.with_day(from_day).unwrap_or(month);
    if last.is_some_and(|l| l >= start && l < today) {
        return Ok(sent);
    }
    let gps = crate::billing::ledger::gp_ids(conn, &crate::auth::Scope::All, None)?;
    for gp in gps {
        let list = crate::billing::ledger::defaulters(
            conn,
            &[gp],
            month,
            config.billing.overdue_reminder_months.max(1),
            i64::from(i32::MAX),
            Lang::En,
        )?;
        if list.is_empty() {
            continue;
        }
        let lang = household_lang(conn, config, gp)?;
        for d in &list {
            match overdue_reminder(conn, config, now, gp, month, d, &lang)? {
                None => {}
                Some(Queued::Queued(_) | Queued::Refused(..)) => sent.queued += 1,
                Some(Queued::Duplicate(_)) => sent.skipped += 1,
                Some(Queued::SwitchedOff) => {
                    sent.skipped += 1;
                    break;
                }
            }
        }
    }
    Ok(sent)
}

/// One defaulter's overdue reminder for `month` (none without a phone or a demand).
pub fn overdue_reminder(
    conn: &mut DbConn,
    config: &Config,
    now: NaiveDateTime,
    gp: i64,
    month: NaiveDate,
    d: &crate::billing::ledger::Defaulter,
    lang: &str,
) -> AppResult<Option<Queued>> {
    let Some(phone) = d.phone.clone().filter(|p| !p.trim().is_empty()) else {
        return Ok(None);
    };
    let Some(latest) = crate::billing::demands::model::latest_of_household(conn, d.household_id)?
    else {
        return Ok(None);
    };
    let max = config.sms.variable_max_chars;
    queue(
        conn,
        config,
        now,
        QueueSms {
            gp_id: Some(gp),
            to: phone,
            key: "overdue_reminder".into(),
            lang: lang.to_string(),
            vars: vec![
                ("amount".into(), rupees(d.unpaid_paise)),
                ("months".into(), fit(&d.months.to_string(), max)),
                ("link".into(), notice_path(config, latest.id)),
            ],
            dedupe_key: format!("overdue:{}:{}", d.household_id, month.format("%Y-%m")),
            urgent: false,
        },
    )
    .map(Some)
}

/// The advice of an incident's group in a few words: bacteria are "germs found"; a chemical
/// incident names its (first) parameter, e.g. "Fluoride above limit".
pub fn advice(
    std: &crate::water_quality::Standard,
    group: crate::water_quality::incidents::Group,
    parameters: &[String],
    lang: &str,
    max: usize,
) -> String {
    use crate::water_quality::incidents::Group;
    let l = lang_of(lang);
    let t = |key: &str, args: &[(&str, String)]| match i18n() {
        Some(i) => i.t(l, key, args),
        None => key.to_string(),
    };
    let text = match group {
        Group::Bacteriological => t("sms-advice-bacteria", &[]),
        Group::Chemical => {
            let name = parameters
                .first()
                .map(|code| match std.parameter(code) {
                    Some(p) if l == Lang::Hi && !p.name_hi.trim().is_empty() => p.name_hi.clone(),
                    Some(p) => p.name.clone(),
                    None => code.clone(),
                })
                .unwrap_or_default();
            if name.is_empty() {
                t("sms-advice-chemical", &[])
            } else {
                let phrase = t("sms-advice-parameter", &[("parameter", name.clone())]);
                if phrase.chars().count() <= max {
                    phrase
                } else {
                    name
                }
            }
        }
    };
    // Fluent marks placeables with isolation characters; a text message carries none
    fit(&text.replace(['\u{2068}', '\u{2069}'], ""), max)
}

/// A household an advisory goes to: id, GP, phone, its village's name and Hindi name.
type AdvisedHousehold = (i64, i64, Option<String>, String, Option<String>);

/// The water-quality advisory to every household with a phone in the villages an incident's
/// scheme serves (`advisory:<incident id>:<household id>`, urgent), inside the transaction
/// that opened it. Households of any GP served by the scheme are told, each in its GP's
/// household language. Returns how many were queued.
pub fn water_advisory(
    conn: &mut DbConn,
    config: &Config,
    std: &crate::water_quality::Standard,
    now: NaiveDateTime,
    incident: &crate::water_quality::incidents::Incident,
) -> AppResult<usize> {
    let group = incident.group();
    let parameters = incident.parameter_list();
    let max = config.sms.variable_max_chars;
    let villages = scheme_villages::table
        .filter(scheme_villages::scheme_id.eq(incident.scheme_id))
        .select(scheme_villages::village_id);
    // the scheme's villages; a household on the scheme's own connection list counts too
    let rows: Vec<AdvisedHousehold> = households::table
        .inner_join(places::table.on(places::id.eq(households::village_id)))
        .filter(
            households::village_id
                .eq_any(villages)
                .or(households::scheme_id.eq(incident.scheme_id)),
        )
        .filter(households::status.ne("merged"))
        .filter(households::phone.is_not_null())
        .order(households::id.asc())
        .select((
            households::id,
            households::gp_id,
            households::phone,
            places::name,
            places::name_hi,
        ))
        .load(conn)?;
    let mut langs: HashMap<i64, String> = HashMap::new();
    let mut off: Vec<i64> = vec![];
    let mut queued = 0;
    for (id, gp, phone, village, village_hi) in rows {
        let Some(phone) = phone.filter(|p| !p.trim().is_empty()) else {
            continue;
        };
        if off.contains(&gp) {
            continue;
        }
        let lang = match langs.get(&gp) {
            Some(l) => l.clone(),
            None => {
                let l = household_lang(conn, config, gp)?;
                langs.insert(gp, l.clone());
                l
            }
        };
        let name = crate::web::i18n::name_in(lang_of(&lang), &village, village_hi.as_deref());
        let q = queue(
            conn,
            config,
            now,
            QueueSms {
                gp_id: Some(gp),
                to: phone,
                key: "water_advisory".into(),
                vars: vec![
                    ("village".into(), fit(name, max)),
                    ("advice".into(), advice(std, group, &parameters, &lang, max)),
                ],
                lang,
                dedupe_key: format!("advisory:{}:{id}", incident.id),
                urgent: true,
            },
        )?;
        match q {
            Queued::Queued(_) | Queued::Refused(..) => queued += 1,
            Queued::Duplicate(_) => {}
            Queued::SwitchedOff => off.push(gp),
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_fit_in_characters_not_bytes() {
        assert_eq!(fit("short", 30), "short");
        let hindi = "बहुत लंबा गाँव का नाम जो तीस अक्षरों से अधिक है सच में";
        let f = fit(hindi, 30);
        assert!(f.chars().count() <= 30, "{f}");
        assert!(hindi.starts_with(&f));
        assert_eq!(
            fit("Abcdefghij Klmnopqrst Uvwxyz12345", 30),
            "Abcdefghij Klmnopqrst"
        );
        assert_eq!(fit(&"x".repeat(40), 30), "x".repeat(30));
    }

    #[test]
    fn amounts_are_rupees_with_two_decimals() {
        assert_eq!(rupees(15000), "150.00");
        assert_eq!(rupees(5), "0.05");
        assert_eq!(rupees(-2500), "0.00");
    }

    #[test]
    fn months_are_named_in_the_language() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(month_label("en", d), "Dec 2026");
        assert_eq!(month_label("hi", d), "दिसंबर 2026");
    }
}
