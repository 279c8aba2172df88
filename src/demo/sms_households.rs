//! The demo's households' SMS (issue 27, item 4): after the demo's billing and water tests are
//! in, a few of the messages Paani would have sent are queued through the same builders the
//! payments, demands, overdue reminders and incidents use (`crate::sms::households`), so the
//! first sweep (`sms_send`) writes them to the `file` transport's folder for people to read:
//! the latest receipts, this month's notices, a few overdue reminders and the latest open
//! incident's advisory. The 24 months of history are not messaged (the demo writes them
//! directly, as a data set would be imported).

use crate::clock::Clock;
use crate::config::Config;
use crate::db::schema::{demands, households, payments, water_incidents};
use crate::db::Db;
use crate::error::AppResult;
use crate::sms::households as sms;
use crate::sms::service::{household_lang, Queued};
use chrono::Datelike;
use diesel::prelude::*;

/// Messages of each kind the demo queues (the advisory goes to every household it concerns).
const EACH: i64 = 6;

/// Queue the demo's messages; returns how many were queued. Runs once: every message has its
/// dedupe key, so a second call adds nothing.
pub fn seed_sms_households(db: &Db, clock: &Clock, config: &Config) -> AppResult<usize> {
    let now = clock.now();
    let today = crate::web::i18n::today_in_india(now);
    let month = today.with_day(1).unwrap_or(today);
    let std = crate::water_quality::Standard::builtin();
    let mut conn = db.conn()?;
    crate::db::write_transaction(&mut conn, |c| {
        let mut n = 0;
        let counted = |q: &Queued| matches!(q, Queued::Queued(_) | Queued::Refused(..));
        // the latest receipts of households with a phone
        let latest: Vec<i64> = payments::table
            .inner_join(households::table.on(households::id.eq(payments::household_id)))
            .filter(payments::cancelled_at.is_null())
            .filter(households::phone.is_not_null())
            .order(payments::id.desc())
            .limit(EACH)
            .select(payments::id)
            .load(c)?;
        for id in latest {
            let p = crate::billing::payments::find(c, id)?;
            if sms::receipt(c, config, now, &p)?.is_some_and(|q| counted(&q)) {
                n += 1;
            }
        }
        // this month's demand notices
        let notices: Vec<(crate::billing::demands::Demand, Option<String>)> = demands::table
            .inner_join(households::table.on(households::id.eq(demands::household_id)))
            .filter(demands::month.eq(month))
            .filter(households::phone.is_not_null())
            .order(demands::id.asc())
            .limit(EACH)
            .select((
                crate::billing::demands::Demand::as_select(),
                households::phone,
            ))
            .load(c)?;
        for (d, phone) in notices {
            let Some(phone) = phone else { continue };
            let lang = household_lang(c, config, d.gp_id)?;
            if counted(&sms::demand_notice(c, config, now, &d, phone, lang)?) {
                n += 1;
            }
        }
        // a few overdue reminders, in the GP that collects worst
        let gps = crate::billing::ledger::gp_ids(c, &crate::auth::Scope::All, None)?;
        let mut worst: Option<(i64, Vec<crate::billing::ledger::Defaulter>)> = None;
        for gp in gps {
            let list = crate::billing::ledger::defaulters(
                c,
                &[gp],
                month,
                config.billing.overdue_reminder_months.max(1),
                EACH,
                crate::web::i18n::Lang::En,
            )?;
            if worst.as_ref().is_none_or(|w| list.len() > w.1.len()) {
                worst = Some((gp, list));
            }
        }
        if let Some((gp, list)) = worst {
            let lang = household_lang(c, config, gp)?;
            for d in &list {
                if sms::overdue_reminder(c, config, now, gp, month, d, &lang)?
                    .is_some_and(|q| counted(&q))
                {
                    n += 1;
                }
            }
        }
        // the latest open incident's advisory
        let open: Option<i64> = water_incidents::table
            .filter(water_incidents::status.ne_all(crate::water_quality::incidents::Status::ENDED))
            .order(water_incidents::id.desc())
            .select(water_incidents::id)
            .first(c)
            .optional()?;
        if let Some(id) = open {
            let i = crate::water_quality::incidents::model::find(c, id)?;
            n += sms::water_advisory(c, config, &std, now, &i)?;
        }
        Ok(n)
    })
}
