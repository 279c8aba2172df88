//! SMS for administrators (`/admin/sms`: what was sent, failed, held and cost, per month and
//! GP, and the message templates with their DLT ids; a GP's switches), the short links
//! (`/s/{token}`) and the providers' delivery reports (`/hooks/sms/{transport}/delivery`).

use super::model::SmsFilter;
use super::{dlt, service};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect, Ui};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/sms", web::get().to(admin_page))
        .route("/admin/sms/switches", web::post().to(switch_post))
        .route("/s/{token}", web::get().to(short_link))
        .route(
            "/hooks/sms/{transport}/delivery",
            web::get().to(delivery_hook),
        )
        .route(
            "/hooks/sms/{transport}/delivery",
            web::post().to(delivery_hook),
        );
}

/// Translation key of a status as stored.
pub fn status_key(s: &str) -> String {
    format!("sms-status-{s}")
}

async fn admin_page(ui: Ui, actor: Actor, q: web::Query<SmsFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let mut f = q.into_inner();
    if f.month.as_deref().is_some_and(|m| !m.is_empty())
        && f.month
            .as_deref()
            .and_then(super::model::month_range)
            .is_none()
    {
        f.month = None;
    }
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let f2 = f.clone();
    let view = ui
        .state
        .service(move |ctx| service::admin_view(ctx, f2, page))
        .await?;
    let gp = f.gp;
    let switches = match gp {
        Some(g) => {
            ui.state
                .db
                .run(move |c| super::model::gp_off_keys(c, g))
                .await?
        }
        None => vec![],
    };
    let qs = query_string(&[
        ("month", f.month.clone()),
        ("gp", f.gp.map(|g| g.to_string())),
        ("status", f.status.clone()),
    ]);
    let keys: Vec<_> = dlt::KEYS
        .iter()
        .map(|k| json!({"key": k, "off": switches.iter().any(|s| s == k)}))
        .collect();
    ui.render(
        "sms/admin",
        "sms-title",
        json!({
            "filter": f,
            "transport": ui.state.config.sms.transport,
            "rows": view.rows.iter().map(|r| json!({
                "m": r, "to": r.masked_to(), "status_key": status_key(&r.status),
                "cost": r.cost_paise.map(crate::web::i18n::format_money),
            })).collect::<Vec<_>>(),
            "summary": view.summary.iter().map(|s| json!({
                "s": s, "cost": crate::web::i18n::format_money(s.cost_paise),
            })).collect::<Vec<_>>(),
            "gps": view.gps.iter().map(|(id, name)| json!({"id": id, "name": name, "selected": Some(*id) == gp})).collect::<Vec<_>>(),
            "statuses": super::Status::ALL.iter().map(|s| json!({"value": s.as_str(), "label": status_key(s.as_str()), "selected": f.status.as_deref() == Some(s.as_str())})).collect::<Vec<_>>(),
            "pager": Pager::new(page, view.total, "/admin/sms", &qs),
            "templates": dlt::views(&ui.state.config.sms).unwrap_or_default(),
            "switch_keys": keys,
            "sender_id": ui.state.config.sms.sender_id,
            "entity_id": ui.state.config.sms.entity_id,
        }),
    )
}

#[derive(serde::Deserialize)]
struct SwitchForm {
    gp: i64,
    key: String,
    /// "off" or "on".
    to: String,
}

/// Switch a message key off (or on again) for a GP.
async fn switch_post(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<SwitchForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSms)?;
    let f = form.into_inner();
    if !dlt::KEYS.contains(&f.key.as_str()) || !matches!(f.to.as_str(), "on" | "off") {
        return Err(AppError::BadRequest("unknown message key".into()));
    }
    let (gp, key, off) = (f.gp, f.key.clone(), f.to == "off");
    let ip = crate::web::session::client_ip(&req);
    ui.state
        .service(move |ctx| service::switch_gp_kind(ctx, &actor, &ip, gp, &key, off))
        .await?;
    Ok(redirect(&format!("/admin/sms?gp={gp}#switches")))
}

/// A short link: to the page it stands for, on this server.
async fn short_link(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let to = state
        .service(move |ctx| service::resolve_link(ctx, token))
        .await?;
    Ok(HttpResponse::Found()
        .insert_header(("Location", to))
        .finish())
}

/// A provider callback's shared secret (an `X-Paani-Secret` header, or `?secret=…`) and the
/// rest of its query (without the secret).
pub fn callback_secret(req: &HttpRequest) -> (Option<String>, Vec<(String, String)>) {
    let mut query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut secret = req
        .headers()
        .get("x-paani-secret")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(i) = query.iter().position(|(k, _)| k == "secret") {
        let (_, v) = query.remove(i);
        secret = secret.or(Some(v));
    }
    (secret, query)
}

/// A provider's delivery report. The shared secret comes as `?secret=…` (dropped before the
/// transport reads the query) or an `X-Paani-Secret` header. Answers 200, or 401 (secret),
/// 404 (callbacks off, unknown transport), 400 (unreadable).
async fn delivery_hook(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (secret, query) = callback_secret(&req);
    let callback = super::providers::Callback {
        query,
        content_type: req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        body: body.to_vec(),
    };
    let name = path.into_inner();
    let r = state
        .service(move |ctx| service::delivery_callback(ctx, name, secret, callback))
        .await;
    match r {
        Ok(n) => HttpResponse::Ok().json(json!({"updated": n})),
        Err(AppError::Unauthorized) => HttpResponse::Unauthorized().body("wrong secret"),
        Err(AppError::NotFound) => HttpResponse::NotFound().body("not found"),
        Err(AppError::BadRequest(m)) => HttpResponse::BadRequest().body(m),
        Err(e) => {
            tracing::error!(error = %e, "SMS delivery report not applied");
            HttpResponse::InternalServerError().body("error")
        }
    }
}
