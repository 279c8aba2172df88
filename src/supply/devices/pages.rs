//! The scheme's devices page (`/schemes/{id}/supply/devices`, linked from its supply page):
//! its devices with when each was last heard from, a form to make one (the token is shown
//! once, on the page that answers the form) and a button to revoke each.

use super::service;
use super::DeviceInput;
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::i18n::format_datetime;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/schemes/{id:\\d+}/supply/devices",
        web::get().to(devices_page),
    )
    .route(
        "/schemes/{id:\\d+}/supply/devices",
        web::post().to(create_submit),
    )
    .route(
        "/schemes/{id:\\d+}/supply/devices/{device:\\d+}/revoke",
        web::post().to(revoke_submit),
    );
}

/// Where a device sends its readings.
fn push_url(ui: &Ui, scheme_id: i64) -> String {
    format!(
        "{}/api/v1/supply/schemes/{scheme_id}/readings",
        ui.state.config.server.base_url.trim().trim_end_matches('/')
    )
}

async fn page_data(ui: &Ui, actor: &Actor, id: i64, form: &DeviceInput) -> AppResult<Value> {
    let a = actor.clone();
    let (scheme, devices) = ui
        .state
        .service(move |ctx| service::devices(ctx, &a, id))
        .await?;
    let devices: Vec<Value> = devices
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "name": d.name,
                "live": d.live(),
                "created_at": format_datetime(d.created_at),
                "last_used_at": d.last_used_at.map(format_datetime),
                "revoked_at": d.revoked_at.map(format_datetime),
            })
        })
        .collect();
    Ok(json!({
        "scheme": {"id": scheme.id, "code": scheme.code, "name": scheme.display_name(ui.lang())},
        "devices": devices,
        "push_url": push_url(ui, id),
        "form": form,
    }))
}

async fn devices_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSupplyDevices)?;
    let data = page_data(&ui, &actor, path.into_inner(), &DeviceInput::default()).await?;
    ui.render("supply/devices", "supply-devices-title", data)
}

/// Make a device: the page that answers shows its token, this once.
async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<DeviceInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSupplyDevices)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a, ip, i) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::create(ctx, &a, &ip, id, i))
        .await
    {
        Ok((device, token)) => {
            let mut data = page_data(&ui, &actor, id, &DeviceInput::default()).await?;
            data["created"] = json!({"name": device.name, "token": token});
            ui.render("supply/devices", "supply-devices-title", data)
        }
        Err(AppError::Validation(e)) => {
            let data = page_data(&ui, &actor, id, &input).await?;
            ui.render_invalid("supply/devices", "supply-devices-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn revoke_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageSupplyDevices)?;
    let (id, device) = path.into_inner();
    let (a, ip) = (actor.clone(), client_ip(&req));
    ui.state
        .service(move |ctx| service::revoke(ctx, &a, &ip, id, device))
        .await?;
    Ok(redirect_flash(
        &format!("/schemes/{id}/supply/devices"),
        "flash-supply-device-revoked",
    ))
}

/// A day's device readings as the day page lists them, beside the person's log.
pub fn readings_json(rows: &[(super::DeviceReading, String)]) -> Value {
    Value::Array(
        rows.iter()
            .map(|(r, name)| {
                json!({
                    "device": name,
                    "at": format_datetime(r.read_at),
                    "bulk_kl": r.bulk_meter_litres.map(crate::supply::service::as_thousands),
                    "energy_kwh": r.energy_meter_wh.map(crate::supply::service::as_thousands),
                })
            })
            .collect(),
    )
}
