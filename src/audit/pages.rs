//! The audit log for administrators: `/admin/audit` (filters, pages) and its CSV.

use super::model::{list, AuditEntry, AuditFilter};
use super::{Action, Detail, Entity};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(audit_page))
        .route("/admin/audit.csv", web::get().to(audit_csv));
}

/// The log with the same filters, as CSV (streamed: it only grows).
async fn audit_csv(ui: Ui, actor: Actor, q: web::Query<AuditFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewAudit)?;
    let mut f = q.into_inner();
    f.page = None;
    // the summary in English, codes of the configurable lists named by them
    let i18n = ui.state.i18n.clone();
    let lists = ui.state.part::<super::Lists>().clone();
    let header = [
        "at_utc",
        "who",
        "action",
        "record",
        "record_id",
        "summary",
        "ip",
    ];
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
                            String::from(&r.actor_name),
                            r.action,
                            r.entity,
                            r.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                            Detail::stored(r.detail_key.as_deref(), r.detail_args.as_deref())
                                .map(|d| d.render(&i18n, Some(&*lists.0), Lang::En))
                                .unwrap_or(r.summary),
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
                "at": r.at, "actor_name": r.actor_name, "detail": detail_of(&ui, r),
                "entity_id": r.entity_id,
                "action_key": format!("audit-action-{}", r.action),
                "entity_key": format!("audit-entity-{}", r.entity),
            })).collect::<Vec<_>>(),
            "filter": f,
            "pager": Pager::new(page, total, "/admin/audit", &qs),
            "entities": Entity::ALL.iter().map(|e| json!({"value": e.as_str(), "label": e.label_key()})).collect::<Vec<_>>(),
            "actions": Action::ALL.iter().map(|a| json!({"value": a.as_str(), "label": a.label_key()})).collect::<Vec<_>>(),
        }),
    )
}

/// What a row says in the reader's language; a row from before details, its English summary.
fn detail_of(ui: &Ui, r: &AuditEntry) -> String {
    match Detail::stored(r.detail_key.as_deref(), r.detail_args.as_deref()) {
        Some(d) => d.render(
            &ui.state.i18n,
            Some(&*ui.state.part::<super::Lists>().0),
            ui.lang(),
        ),
        None => r.summary.clone(),
    }
}
