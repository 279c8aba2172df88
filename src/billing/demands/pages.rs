//! The demands page: a month's preview and raising it (preview, then confirm), the latest
//! runs and their CSV, charging late fees, and each GP's automatic demands.

use super::{due_on, model, service};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::csv::UTC;
use crate::web::i18n::{format_date, today_in_india};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/demands", web::get().to(demands_page))
        .route("/demand-runs.csv", web::get().to(demand_runs_csv))
        .route("/demands", web::post().to(demands_submit))
        .route("/demands/late-fees", web::post().to(late_fees_submit))
        .route("/demands/automatic", web::post().to(automatic_submit))
        .route("/d/{token}", web::get().to(notice_page));
}

/// A demand notice's full link (`<server.base_url>/d/<token>`) and a WhatsApp link carrying
/// it with a short line in the user's language (`month` as words).
pub fn notice_share(ui: &Ui, demand_id: i64, month: &str) -> Value {
    let link = format!(
        "{}/d/{}",
        ui.state.config.public_url(),
        super::notice_token(&ui.state.csrf_key, demand_id)
    );
    let text = format!(
        "{} {link}",
        ui.t_args("demand-notice-share-text", &[("month", month.to_string())])
    );
    json!({"link": link, "whatsapp": crate::web::render::whatsapp_url(&text)})
}

/// `/d/{token}`: a demand notice for whoever has the link (no log-in, like a receipt's).
async fn notice_page(ui: Ui, path: web::Path<String>) -> AppResult<HttpResponse> {
    let id = super::notice_id(&ui.state.csrf_key, &path.into_inner()).ok_or(AppError::NotFound)?;
    let (i18n, lang) = (ui.state.i18n.clone(), ui.lang());
    let n = ui
        .state
        .db
        .run(move |c| model::notice(c, &i18n, lang, id))
        .await?;
    let share = notice_share(&ui, id, &n.month);
    ui.render(
        "billing/demand_notice",
        "demand-notice-title",
        json!({
            "notice": n,
            "due_on": format_date(n.demand.due_on),
            "share": share,
        }),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DemandForm {
    month: String,
    expected: String,
}

async fn demands_data(ui: &Ui, actor: &Actor, month_raw: &str) -> AppResult<Value> {
    let today = today_in_india(ui.state.clock.now());
    let month = crate::web::forms::parse_month(month_raw)
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let (scope, lang) = (actor.scope, ui.lang());
    let (preview, runs, auto) = ui
        .state
        .db
        .run(move |c| {
            let p = model::preview(c, &scope, month)?.name_in(lang);
            let ids: Vec<i64> = p.gps.iter().map(|g| g.gp_id).collect();
            let auto = model::auto_gps(c, &ids)?;
            Ok((p, model::runs(c, &scope, 24)?, auto))
        })
        .await?;
    let automatic: Vec<Value> = preview
        .gps
        .iter()
        .map(|g| json!({"gp_id": g.gp_id, "gp_name": g.gp_name, "auto": auto.contains(&g.gp_id)}))
        .collect();
    Ok(json!({
        "automatic": automatic,
        "auto_day": ui.state.config.reminders.demands_due_day,
        "preview": preview,
        "month": month.format("%Y-%m").to_string(),
        "runs": runs,
        "can_manage": actor.can(Verb::ManageBilling),
        "due_on": format_date(due_on(month, ui.state.config.billing.due_day)),
    }))
}

async fn demands_page(ui: Ui, actor: Actor, q: web::Query<DemandForm>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = demands_data(&ui, &actor, &q.month).await?;
    ui.render("billing/demands", "demands-title", data)
}

/// Every demand run in scope (the page shows the latest), newest first, as CSV (streamed).
async fn demand_runs_csv(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let scope = actor.scope;
    let header = [
        "month",
        "gp_lgd_code",
        "demands",
        "total_rupees",
        "raised_at_utc",
        "cancelled_at_utc",
        "cancel_reason",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "demand-runs.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| model::runs_from(c, &scope, page.offset(), page.limit()),
                |c, runs| {
                    let ids: Vec<i64> = runs.iter().map(|r| r.gp_id).collect();
                    let gps = crate::places::model::by_ids(c, &ids)?;
                    for r in runs {
                        emit(vec![
                            r.month.format("%Y-%m").to_string(),
                            gps.get(&r.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            r.demands.to_string(),
                            crate::web::csv::rupees(r.total_paise),
                            r.created_at.format(UTC).to_string(),
                            r.cancelled_at
                                .map(|t| t.format(UTC).to_string())
                                .unwrap_or_default(),
                            String::from(r.cancel_reason.as_deref().unwrap_or("")),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn demands_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<DemandForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let f = form.into_inner();
    let Some(month) = crate::web::forms::parse_month(&f.month) else {
        let mut e = FieldErrors::new();
        e.add("month", "field-bad-month");
        let data = demands_data(&ui, &actor, "").await?;
        return ui.render_invalid("billing/demands", "demands-title", &e, data);
    };
    let expected = f.expected.trim().parse::<i64>().ok();
    let ip = client_ip(&req);
    ui.state
        .service(move |ctx| service::raise_month(ctx, &actor, &ip, month, expected))
        .await?;
    Ok(redirect_flash(
        &format!("/demands?month={}", month.format("%Y-%m")),
        "flash-demands-raised",
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AutomaticForm {
    gp_id: String,
    auto: String,
}

/// Whether the scheduler raises a GP's demands by itself each month.
async fn automatic_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<AutomaticForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let gp: i64 = form.gp_id.trim().parse().map_err(|_| AppError::NotFound)?;
    let auto = form.auto == "true";
    let ip = client_ip(&req);
    ui.state
        .service(move |ctx| service::set_automatic(ctx, &actor, &ip, gp, auto))
        .await?;
    Ok(redirect_flash("/demands", "flash-demands-automatic"))
}

async fn late_fees_submit(ui: Ui, actor: Actor, req: HttpRequest) -> AppResult<HttpResponse> {
    let ip = client_ip(&req);
    ui.state
        .service(move |ctx| service::charge_late_fees(ctx, &actor, &ip))
        .await?;
    Ok(redirect_flash("/demands", "flash-late-fees-charged"))
}
