//! The audit log: who did what to which record, and when. Every create, update,
//! deactivation and log-in/log-out writes one row; admins browse and filter it.

use crate::auth::{Actor, Verb};
use crate::db::schema::audit_log;
use crate::db::{like_pattern, lower, DbConn};
use crate::error::AppResult;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub ip: Option<String>,
}

/// The kinds of record the log names (each has an `audit-entity-…` message).
pub const ENTITIES: &[&str] = &[
    "place",
    "user",
    "session",
    "api_token",
    "scheme",
    "asset",
    "plan",
    "task",
    "work",
    "breakdown",
    "household",
    "tariff_plan",
    "demand_run",
    "payment",
    "cashbook_entry",
    "committee",
    "meeting",
    "action_item",
];

/// The actions the log names (each has an `audit-action-…` message).
pub const ACTIONS: &[&str] = &[
    "create",
    "update",
    "deactivate",
    "activate",
    "import",
    "login",
    "logout",
    "login_failed",
    "password_change",
    "password_reset",
    "token_issue",
    "token_revoke",
    "status_change",
    "replace",
    "retire",
    "complete",
    "skip",
    "cancel",
];

/// Write something and its audit line in one transaction: `f` returns the value, the record's
/// id and the summary for the log.
pub async fn write_audited<T: Send + 'static>(
    state: &web::Data<crate::web::AppState>,
    actor: &Actor,
    ip: String,
    action: &'static str,
    entity: &'static str,
    f: impl FnOnce(&mut crate::db::DbConn, &Actor) -> AppResult<(T, Option<i64>, String)>
        + Send
        + 'static,
) -> AppResult<T> {
    let now = state.clock.now();
    let actor = actor.clone();
    state
        .db
        .write(move |c| {
            let (v, id, summary) = f(c, &actor)?;
            record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action,
                    entity,
                    entity_id: id,
                    summary,
                },
            )?;
            Ok(v)
        })
        .await
}

/// A use case's write and its audit row in one transaction, over a [`Ctx`]: `f` gets the
/// connection and "now", and returns the value, the record's id and the summary for the log.
pub fn audited<T>(
    ctx: &crate::context::Ctx,
    actor: &Actor,
    ip: &str,
    action: &'static str,
    entity: &'static str,
    f: impl FnOnce(&mut DbConn, NaiveDateTime) -> AppResult<(T, Option<i64>, String)>,
) -> AppResult<T> {
    let now = ctx.now();
    ctx.db.write_blocking(|c| {
        let (v, id, summary) = f(c, now)?;
        record(
            c,
            now,
            Some(actor),
            "",
            Some(ip),
            Event {
                action,
                entity,
                entity_id: id,
                summary,
            },
        )?;
        Ok(v)
    })
}

/// One thing that happened, to be written with [`record`].
pub struct Event<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub summary: String,
}

/// Write an audit row. `actor` is `None` for the command line and anonymous requests;
/// then `actor_name` says who (e.g. "cli" or the username tried).
pub fn record(
    conn: &mut DbConn,
    now: NaiveDateTime,
    actor: Option<&Actor>,
    actor_name: &str,
    ip: Option<&str>,
    ev: Event<'_>,
) -> AppResult<()> {
    let summary: String = ev.summary.chars().take(500).collect();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now),
            audit_log::user_id.eq(actor.map(|a| a.user.id)),
            audit_log::actor_name.eq(actor
                .map(|a| a.user.username.as_str())
                .unwrap_or(actor_name)),
            audit_log::action.eq(ev.action),
            audit_log::entity.eq(ev.entity),
            audit_log::entity_id.eq(ev.entity_id),
            audit_log::summary.eq(summary),
            audit_log::ip.eq(ip),
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
            q = q.filter(lower(audit_log::actor_name).like(like_pattern(w)));
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

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(audit_page))
        .route("/admin/audit.csv", web::get().to(audit_csv));
}

/// The log with the same filters, as CSV (streamed: it only grows).
async fn audit_csv(ui: Ui, actor: Actor, q: web::Query<AuditFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewAudit)?;
    let mut f = q.into_inner();
    f.page = None;
    let header = [
        "at_utc",
        "who",
        "action",
        "record",
        "record_id",
        "summary",
        "ip",
    ];
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "audit.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(list(c, &f, page)?.0),
                |_, rows| {
                    for r in rows {
                        emit(vec![
                            r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                            safe(&r.actor_name),
                            r.action,
                            r.entity,
                            r.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                            safe(&r.summary),
                            r.ip.unwrap_or_default(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn audit_page(ui: Ui, actor: Actor, q: web::Query<AuditFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewAudit)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let f2 = f.clone();
    let (rows, total) = ui.state.db.run(move |conn| list(conn, &f2, page)).await?;
    let qs = query_string(&[
        ("who", f.who.clone()),
        ("entity", f.entity.clone()),
        ("action", f.action.clone()),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
    ]);
    ui.render(
        "audit/list",
        "audit-title",
        json!({
            "csv_url": ui.with_query("/admin/audit.csv"),
            "rows": rows.iter().map(|r| json!({
                "at": r.at, "actor_name": r.actor_name, "summary": r.summary,
                "entity_id": r.entity_id,
                "action_key": format!("audit-action-{}", r.action),
                "entity_key": format!("audit-entity-{}", r.entity),
            })).collect::<Vec<_>>(),
            "filter": f,
            "pager": Pager::new(page, total, "/admin/audit", &qs),
            "entities": ENTITIES.iter().map(|e| json!({"value": e, "label": format!("audit-entity-{e}")})).collect::<Vec<_>>(),
            "actions": ACTIONS.iter().map(|a| json!({"value": a, "label": format!("audit-action-{a}")})).collect::<Vec<_>>(),
        }),
    )
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[crate::web::render::NavItem {
    href: "/admin/audit",
    label: "nav-audit",
    verb: Some(crate::auth::Verb::ViewAudit),
}];
