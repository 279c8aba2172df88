//! The audit log's rows and queries: write a row, list the log with filters.

use super::{By, Event};
use crate::db::schema::audit_log;
use crate::db::{like_pattern, lower, DbConn};
use crate::error::AppResult;
use crate::web::pagination::PageRequest;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "crate::clock::utc")]
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub ip: Option<String>,
    /// The detail's message and arguments (see [`super::Detail`]); none on older rows.
    pub detail_key: Option<String>,
    pub detail_args: Option<String>,
}

/// Write an audit row (only [`super::audited`] does, inside its transaction).
pub(super) fn record(conn: &mut DbConn, now: NaiveDateTime, by: By, ev: Event) -> AppResult<()> {
    let summary: String = ev.detail.english().chars().take(500).collect();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now),
            audit_log::user_id.eq(by.actor.map(|a| a.user.id)),
            audit_log::actor_name.eq(by
                .actor
                .map(|a| a.user.username.as_str())
                .unwrap_or(by.name)),
            audit_log::action.eq(ev.action.as_str()),
            audit_log::entity.eq(ev.entity.as_str()),
            audit_log::entity_id.eq(ev.entity_id),
            audit_log::summary.eq(summary),
            audit_log::ip.eq(by.ip),
            audit_log::detail_key.eq(&ev.detail.key),
            audit_log::detail_args.eq(ev.detail.args_json()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AuditFilter {
    /// Who (username) contains this.
    #[serde(default)]
    pub who: Option<String>,
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub action: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    #[serde(default)]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
}

pub fn list(
    conn: &mut DbConn,
    f: &AuditFilter,
    page: PageRequest,
) -> AppResult<(Vec<AuditEntry>, i64)> {
    let day = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    };
    let (from, to) = (day(&f.from), day(&f.to));
    let build = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(w) = f.who.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(
                lower(audit_log::actor_name)
                    .like(like_pattern(w))
                    .escape(crate::db::LIKE_ESCAPE),
            );
        }
        if let Some(e) = f.entity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(audit_log::entity.eq(e.to_string()));
        }
        if let Some(a) = f.action.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            q = q.filter(audit_log::action.eq(a.to_string()));
        }
        // Days are Indian days: 00:00 IST is 18:30 UTC the day before. Dates so far out that
        // the arithmetic overflows are ignored.
        let ist_offset = chrono::Duration::minutes(330);
        let start_of = |d: NaiveDate| {
            d.and_hms_opt(0, 0, 0)
                .and_then(|t| t.checked_sub_signed(ist_offset))
        };
        if let Some(t) = from.and_then(start_of) {
            q = q.filter(audit_log::at.ge(t));
        }
        if let Some(t) = to
            .and_then(|d| d.checked_add_signed(chrono::Duration::days(1)))
            .and_then(start_of)
        {
            q = q.filter(audit_log::at.lt(t));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .order(audit_log::id.desc())
        .limit(page.limit())
        .offset(page.offset())
        .select(AuditEntry::as_select())
        .load(conn)?;
    Ok((rows, total))
}
