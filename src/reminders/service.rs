//! Reminders' use cases: a user's inbox, and marking one or all of their reminders read (one
//! transaction each; reading leaves no audit row).

use super::model::{self, InboxFilter, Reminder};
use crate::context::Ctx;
use crate::error::AppResult;

/// A page of the user's open reminders, and how many match.
pub fn inbox(
    ctx: &Ctx,
    user_id: i64,
    f: &InboxFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Reminder>, i64)> {
    let mut conn = ctx.db.conn()?;
    model::inbox(&mut conn, user_id, f, offset, limit)
}

/// Mark one of the user's reminders read (someone else's is not found); returns it.
pub fn mark_read(ctx: &Ctx, user_id: i64, id: i64) -> AppResult<Reminder> {
    let now = ctx.now();
    ctx.db.write_blocking(|c| {
        let r = model::find_of_user(c, user_id, id)?;
        if r.read_at.is_none() {
            model::set_read(c, id, now)?;
        }
        model::find_of_user(c, user_id, id)
    })
}

/// Mark every open reminder of the user read; returns how many changed.
pub fn mark_all_read(ctx: &Ctx, user_id: i64) -> AppResult<usize> {
    let now = ctx.now();
    ctx.db
        .write_blocking(|c| model::set_all_read(c, user_id, now))
}

/// How many pending reminders one sweep turns into SMS (the rest wait for the next sweep).
const SMS_PER_SWEEP: i64 = 2_000;

/// The scheduler's `sms_queue` job: each pending reminder (see [`super::sms_kind`]) of a user
/// who wants reminders by SMS and has a phone becomes one SMS in the user's language, dedupe
/// key `reminder:<id>` — a task reminder (the task's name as the reader's pages show it, and
/// its due date) or an urgent escalation (the breakdown or the water-quality incident, and the
/// days since it was reported). Reminders resolved before their turn, or whose user has since
/// turned SMS off, lost the phone or left, are never sent. Runs inside the sweep's write
/// transaction, so a reminder is marked queued exactly when its SMS exists; returns the SMS
/// made.
pub fn queue_sms(
    conn: &mut crate::db::DbConn,
    config: &crate::config::Config,
    i18n: &crate::web::i18n::I18n,
    library: &crate::maintenance::templates::Library,
    now: chrono::NaiveDateTime,
) -> AppResult<usize> {
    use crate::db::schema::{breakdowns, reminders, users, water_incidents};
    use crate::sms::service::{queue, QueueSms, Queued};
    use crate::web::i18n::Lang;
    use diesel::prelude::*;
    use std::collections::{BTreeMap, HashMap};

    let no_sms = users::table
        .filter(
            users::phone
                .is_null()
                .or(users::phone.eq(""))
                .or(users::sms_pref.ne("on"))
                .or(users::active.eq(false)),
        )
        .select(users::id);
    diesel::update(
        reminders::table
            .filter(reminders::sms_state.eq("pending"))
            .filter(
                reminders::resolved_at
                    .is_not_null()
                    .or(reminders::user_id.eq_any(no_sms)),
            ),
    )
    .set((
        reminders::sms_state.eq("none"),
        reminders::updated_at.eq(now),
    ))
    .execute(conn)?;
    let pending: Vec<Reminder> = reminders::table
        .filter(reminders::sms_state.eq("pending"))
        .order(reminders::id.asc())
        .limit(SMS_PER_SWEEP)
        .select(Reminder::as_select())
        .load(conn)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut user_ids: Vec<i64> = pending.iter().map(|r| r.user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let people: HashMap<i64, (String, String)> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::phone.assume_not_null(), users::lang))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, phone, lang)| (id, (phone, lang)))
        .collect();
    // when each escalation's subject was reported
    let ids_of = |kind: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = pending
            .iter()
            .filter(|r| r.subject_kind == kind)
            .map(|r| r.subject_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut since: HashMap<(&str, i64), chrono::NaiveDateTime> = HashMap::new();
    let ids = ids_of("breakdown");
    if !ids.is_empty() {
        for (id, at) in breakdowns::table
            .filter(breakdowns::id.eq_any(&ids))
            .select((breakdowns::id, breakdowns::created_at))
            .load::<(i64, chrono::NaiveDateTime)>(conn)?
        {
            since.insert(("breakdown", id), at);
        }
    }
    let ids = ids_of("water_incident");
    if !ids.is_empty() {
        for (id, at) in water_incidents::table
            .filter(water_incidents::id.eq_any(&ids))
            .select((water_incidents::id, water_incidents::opened_at))
            .load::<(i64, chrono::NaiveDateTime)>(conn)?
        {
            since.insert(("water_incident", id), at);
        }
    }
    let mut by_user: BTreeMap<i64, Vec<Reminder>> = BTreeMap::new();
    for r in pending {
        by_user.entry(r.user_id).or_default().push(r);
    }
    let max = config.sms.variable_max_chars;
    let (mut queued, mut none, mut made) = (vec![], vec![], 0);
    for (user, mut rows) in by_user {
        let Some((phone, lang)) = people.get(&user) else {
            none.extend(rows.iter().map(|r| r.id));
            continue;
        };
        let lang = Lang::parse(lang).unwrap_or_default();
        super::model::name_subjects(conn, &mut rows, lang, library)?;
        for r in rows {
            let Some(kind) = super::sms_kind(&r.rule) else {
                none.push(r.id);
                continue;
            };
            let vars = match kind {
                super::SmsKind::Task => r.due_on.map(|due| {
                    vec![
                        ("task".to_string(), crate::sms::fit(&r.label, max)),
                        ("due_date".to_string(), crate::web::i18n::format_date(due)),
                    ]
                }),
                super::SmsKind::Escalation => {
                    let subject = match r.subject_kind.as_str() {
                        "breakdown" => "sms-subject-breakdown",
                        _ => "sms-subject-water-incident",
                    };
                    let subject = i18n.t(lang, subject, &[("label", r.label.clone())]);
                    let from = since
                        .get(&(r.subject_kind.as_str(), r.subject_id))
                        .copied()
                        .unwrap_or(r.created_at);
                    Some(vec![
                        ("subject".to_string(), crate::sms::fit(&subject, max)),
                        ("days".to_string(), days_since(from, now).to_string()),
                    ])
                }
            };
            // a task without a due date has nothing to tell by SMS
            let Some(vars) = vars else {
                none.push(r.id);
                continue;
            };
            let sms = QueueSms {
                gp_id: Some(r.gp_id),
                to: phone.clone(),
                key: kind.key().into(),
                lang: lang.code().into(),
                vars,
                dedupe_key: format!("reminder:{}", r.id),
                urgent: kind == super::SmsKind::Escalation,
            };
            match queue(conn, config, now, sms)? {
                Queued::Queued(_) | Queued::Refused(..) => {
                    made += 1;
                    queued.push(r.id);
                }
                Queued::Duplicate(_) => queued.push(r.id),
                Queued::SwitchedOff => none.push(r.id),
            }
        }
    }
    for (ids, state) in [(queued, "queued"), (none, "none")] {
        for chunk in ids.chunks(1_000) {
            diesel::update(reminders::table.filter(reminders::id.eq_any(chunk)))
                .set((
                    reminders::sms_state.eq(state),
                    reminders::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(made)
}

/// Whole days from `from` to `now`, a day begun counting as one (at least 1).
fn days_since(from: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> i64 {
    let minutes = (now - from).num_minutes().max(0);
    ((minutes + 24 * 60 - 1) / (24 * 60)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_a_begun_day() {
        let t = chrono::NaiveDate::from_ymd_opt(2027, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(days_since(t, t), 1);
        assert_eq!(days_since(t, t + chrono::Duration::hours(5)), 1);
        assert_eq!(days_since(t, t + chrono::Duration::hours(49)), 3);
        assert_eq!(days_since(t, t + chrono::Duration::days(2)), 2);
    }
}
