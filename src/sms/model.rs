//! The SMS outbox's rows and queries (`sms_outbox`, `sms_links`, `sms_gp_off`).

use super::Status;
use crate::db::schema::{places, sms_gp_off, sms_links, sms_outbox};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

/// One message of the outbox, as admins and the API see it (the number masked, an OTP's
/// text and variables never shown).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = sms_outbox)]
pub struct SmsMessage {
    pub id: i64,
    pub gp_id: Option<i64>,
    #[serde(skip)]
    pub to_number: String,
    /// The message key (config/sms_templates.toml).
    pub msg_key: String,
    pub lang: String,
    #[serde(skip)]
    pub vars: String,
    #[serde(skip)]
    pub body: String,
    pub dlt_template_id: String,
    pub unicode: bool,
    pub transport: Option<String>,
    /// queued, sending, sent, delivered, failed, held or unknown.
    pub status: String,
    pub urgent: bool,
    pub attempts: i32,
    #[serde(with = "crate::clock::utc")]
    pub next_attempt_at: NaiveDateTime,
    #[serde(skip)]
    pub lease_until: Option<NaiveDateTime>,
    pub provider_id: Option<String>,
    pub cost_paise: Option<i64>,
    /// Why it failed or was held.
    pub last_error: Option<String>,
    #[serde(skip)]
    pub dedupe_key: String,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc::option")]
    pub sent_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc::option")]
    pub delivered_at: Option<NaiveDateTime>,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl SmsMessage {
    /// The number as lists show it.
    pub fn masked_to(&self) -> String {
        super::mask(&self.to_number)
    }
}

/// What a new row holds.
pub struct NewRow<'a> {
    pub gp_id: Option<i64>,
    pub to: &'a str,
    pub key: &'a str,
    pub lang: &'a str,
    pub vars: &'a str,
    pub body: &'a str,
    pub dlt_template_id: &'a str,
    pub unicode: bool,
    pub status: Status,
    pub urgent: bool,
    pub last_error: Option<&'a str>,
    pub dedupe_key: &'a str,
}

/// Insert a row unless its dedupe key is taken; `None` when it was.
pub fn insert(conn: &mut DbConn, r: &NewRow, now: NaiveDateTime) -> AppResult<Option<i64>> {
    let n = crate::on_backend!(conn, |c| diesel::insert_into(sms_outbox::table)
        .values((
            sms_outbox::gp_id.eq(r.gp_id),
            sms_outbox::to_number.eq(r.to),
            sms_outbox::msg_key.eq(r.key),
            sms_outbox::lang.eq(r.lang),
            sms_outbox::vars.eq(r.vars),
            sms_outbox::body.eq(r.body),
            sms_outbox::dlt_template_id.eq(r.dlt_template_id),
            sms_outbox::unicode.eq(r.unicode),
            sms_outbox::status.eq(r.status.as_str()),
            sms_outbox::urgent.eq(r.urgent),
            sms_outbox::attempts.eq(0),
            sms_outbox::next_attempt_at.eq(now),
            sms_outbox::last_error.eq(r.last_error),
            sms_outbox::dedupe_key.eq(r.dedupe_key),
            sms_outbox::created_at.eq(now),
            sms_outbox::updated_at.eq(now),
        ))
        .on_conflict(sms_outbox::dedupe_key)
        .do_nothing()
        .execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(by_dedupe(conn, r.dedupe_key)?.unwrap_or_default()))
}

/// The row of a dedupe key.
pub fn by_dedupe(conn: &mut DbConn, key: &str) -> AppResult<Option<i64>> {
    Ok(sms_outbox::table
        .filter(sms_outbox::dedupe_key.eq(key))
        .select(sms_outbox::id)
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut DbConn, id: i64) -> AppResult<Option<SmsMessage>> {
    Ok(sms_outbox::table
        .find(id)
        .select(SmsMessage::as_select())
        .first(conn)
        .optional()?)
}

/// Messages due by `now` (queued, or held at a daily cap until today), oldest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> AppResult<Vec<SmsMessage>> {
    Ok(sms_outbox::table
        .filter(sms_outbox::status.eq_any([Status::Queued.as_str(), Status::Held.as_str()]))
        .filter(sms_outbox::next_attempt_at.le(now))
        .order(sms_outbox::id.asc())
        .limit(limit)
        .select(SmsMessage::as_select())
        .load(conn)?)
}

/// Non-urgent messages a number was sent (or is being sent) since `since`.
pub fn sent_to_since(conn: &mut DbConn, to: &str, since: NaiveDateTime) -> AppResult<i64> {
    Ok(sms_outbox::table
        .filter(sms_outbox::to_number.eq(to))
        .filter(sms_outbox::urgent.eq(false))
        .filter(sms_outbox::status.eq_any(["sent", "delivered", "unknown", "sending"]))
        .filter(sms_outbox::sent_at.ge(since))
        .count()
        .get_result(conn)?)
}

/// Whether a GP switched a message key off.
pub fn gp_switched_off(conn: &mut DbConn, gp: i64, key: &str) -> AppResult<bool> {
    let n: i64 = sms_gp_off::table
        .filter(sms_gp_off::gp_id.eq(gp))
        .filter(sms_gp_off::msg_key.eq(key))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The message keys a GP switched off.
pub fn gp_off_keys(conn: &mut DbConn, gp: i64) -> AppResult<Vec<String>> {
    Ok(sms_gp_off::table
        .filter(sms_gp_off::gp_id.eq(gp))
        .order(sms_gp_off::msg_key.asc())
        .select(sms_gp_off::msg_key)
        .load(conn)?)
}

/// Switch a message key off (or back on) for a GP.
pub fn set_gp_off(
    conn: &mut DbConn,
    gp: i64,
    key: &str,
    off: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    if off {
        crate::on_backend!(conn, |c| diesel::insert_into(sms_gp_off::table)
            .values((
                sms_gp_off::gp_id.eq(gp),
                sms_gp_off::msg_key.eq(key),
                sms_gp_off::created_at.eq(now),
            ))
            .on_conflict((sms_gp_off::gp_id, sms_gp_off::msg_key))
            .do_nothing()
            .execute(c))?;
    } else {
        diesel::delete(
            sms_gp_off::table
                .filter(sms_gp_off::gp_id.eq(gp))
                .filter(sms_gp_off::msg_key.eq(key)),
        )
        .execute(conn)?;
    }
    Ok(())
}

/// The short-link token of a path on this server, made when it is new.
pub fn link_token(conn: &mut DbConn, path: &str, now: NaiveDateTime) -> AppResult<String> {
    let found: Option<String> = sms_links::table
        .filter(sms_links::path.eq(path))
        .select(sms_links::token)
        .first(conn)
        .optional()?;
    if let Some(t) = found {
        return Ok(t);
    }
    let token: String = crate::auth::random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    diesel::insert_into(sms_links::table)
        .values((
            sms_links::token.eq(&token),
            sms_links::path.eq(path),
            sms_links::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The path a short-link token stands for.
pub fn link_path(conn: &mut DbConn, token: &str) -> AppResult<Option<String>> {
    Ok(sms_links::table
        .find(token)
        .select(sms_links::path)
        .first(conn)
        .optional()?)
}

/// The admin page's filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct SmsFilter {
    /// A month as YYYY-MM (messages queued in it, India time); none: every month.
    pub month: Option<String>,
    /// A GP's id.
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// queued, sending, sent, delivered, failed, held or unknown.
    pub status: Option<String>,
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// The first instants (UTC) of a month as YYYY-MM (India time) and of the month after.
pub fn month_range(month: &str) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    let utc = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN) - chrono::Duration::minutes(330);
    Some((utc(first), utc(next)))
}

macro_rules! filtered {
    ($f:expr) => {{
        let f: &SmsFilter = $f;
        let mut q = sms_outbox::table.into_boxed();
        if let Some((from, to)) = f.month.as_deref().and_then(month_range) {
            q = q
                .filter(sms_outbox::created_at.ge(from))
                .filter(sms_outbox::created_at.lt(to));
        }
        if let Some(gp) = f.gp {
            q = q.filter(sms_outbox::gp_id.eq(gp));
        }
        if let Some(s) = f.status.as_deref().and_then(Status::parse) {
            q = q.filter(sms_outbox::status.eq(s.as_str()));
        }
        crate::changed_since!(q, f.changes, sms_outbox::updated_at, sms_outbox::id)
    }};
}

/// One page of messages, newest first, and how many match.
pub fn list(
    conn: &mut DbConn,
    f: &SmsFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<SmsMessage>, i64)> {
    let total: i64 = filtered!(f).count().get_result(conn)?;
    let rows = crate::sync_order!(
        filtered!(f),
        f.changes,
        sms_outbox::updated_at,
        sms_outbox::id,
        sms_outbox::id.desc()
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(SmsMessage::as_select())
    .load(conn)?;
    Ok((rows, total))
}

/// How many messages of each status, and their cost, per GP (the filters' month; the GP
/// and status filters are not applied: the summary is the month's whole picture).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SmsGpSummary {
    pub gp_id: Option<i64>,
    pub gp_name: Option<String>,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub held: i64,
    /// sending and unknown.
    pub other: i64,
    /// What the providers said the messages cost, in paise.
    pub cost_paise: i64,
}

pub fn summary(conn: &mut DbConn, month: Option<&str>) -> AppResult<Vec<SmsGpSummary>> {
    let f = SmsFilter {
        month: month.map(str::to_string),
        ..Default::default()
    };
    // counted here, not by the database: SUM of a BIGINT is NUMERIC on PostgreSQL
    let rows: Vec<(Option<i64>, String, Option<i64>)> = filtered!(&f)
        .select((
            sms_outbox::gp_id,
            sms_outbox::status,
            sms_outbox::cost_paise,
        ))
        .load(conn)?;
    let mut by_gp: std::collections::BTreeMap<Option<i64>, SmsGpSummary> = Default::default();
    for (gp, status, cost) in rows {
        let n = 1;
        let e = by_gp.entry(gp).or_insert_with(|| SmsGpSummary {
            gp_id: gp,
            ..Default::default()
        });
        match status.as_str() {
            "queued" => e.queued += n,
            "sent" => e.sent += n,
            "delivered" => e.delivered += n,
            "failed" => e.failed += n,
            "held" => e.held += n,
            _ => e.other += n,
        }
        e.cost_paise += cost.unwrap_or(0);
    }
    let ids: Vec<i64> = by_gp.keys().flatten().copied().collect();
    let names: std::collections::HashMap<i64, String> = places::table
        .filter(places::id.eq_any(&ids))
        .select((places::id, places::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(by_gp
        .into_values()
        .map(|mut s| {
            s.gp_name = s.gp_id.and_then(|g| names.get(&g).cloned());
            s
        })
        .collect())
}

/// The GPs (id, name) that have messages, for the filter.
pub fn gps_with_messages(conn: &mut DbConn) -> AppResult<Vec<(i64, String)>> {
    Ok(places::table
        .filter(
            places::id.nullable().eq_any(
                sms_outbox::table
                    .filter(sms_outbox::gp_id.is_not_null())
                    .select(sms_outbox::gp_id)
                    .distinct(),
            ),
        )
        .order(places::name.asc())
        .select((places::id, places::name))
        .load(conn)?)
}
