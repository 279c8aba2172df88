//! The villagers' pages: a scheme's complaint form (`/c/<code>`), its QR code, and the status
//! page (`/c/status`).

use super::model::{self, ComplaintStatus};
use super::{complaint_url, service, ComplaintInput, StatusQuery};
use crate::breakdowns::{Breakdown, Supply};
use crate::error::{AppError, AppResult};
use crate::places::Place;
use crate::schemes::Scheme;
use crate::web::i18n::format_datetime;
use crate::web::render::Ui;
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/c/status` is a fixed path among the scheme codes: it goes first.
    cfg.route("/c/status", web::get().to(status_page))
        .route("/c/{code}", web::get().to(complaint_page))
        .route("/c/{code}", web::post().to(complaint_submit))
        .route("/c/{code}/qr.svg", web::get().to(qr_code));
}

/// File through the service, and the review's figures are computed again after.
pub(super) async fn file(
    state: &web::Data<AppState>,
    ip: String,
    code: String,
    input: ComplaintInput,
) -> AppResult<Breakdown> {
    let r = state
        .service(move |ctx| service::file(ctx, &ip, &code, input))
        .await;
    crate::breakdowns::pages::figures_changed(state, &r);
    r
}

/// Look up through the service.
pub(super) async fn lookup(
    state: &web::Data<AppState>,
    ip: String,
    number: String,
    phone: String,
) -> AppResult<ComplaintStatus> {
    state
        .service(move |ctx| service::lookup(ctx, &ip, &number, &phone))
        .await
}

fn form_data(
    ui: &Ui,
    scheme: &Scheme,
    gp: &Place,
    villages: &[Place],
    input: &ComplaintInput,
) -> Value {
    json!({
        "code": scheme.code,
        "scheme": scheme.display_name(ui.lang()),
        "gp": gp.display_name(ui.lang()),
        "villages": villages.iter().map(|v| json!({"id": v.id.to_string(), "name": v.display_name(ui.lang())})).collect::<Vec<_>>(),
        "categories": ui.state.config.breakdowns.categories.iter().map(|c| json!({"value": c, "label": format!("breakdown-cat-{c}")})).collect::<Vec<_>>(),
        "supplies": crate::breakdowns::pages::supply_options(),
        "form": input,
    })
}

async fn load_scheme(
    state: &web::Data<AppState>,
    code: String,
) -> AppResult<(Scheme, Place, Vec<Place>)> {
    state
        .db
        .run(move |c| model::scheme_for_code(c, &code))
        .await
}

async fn complaint_page(ui: Ui, path: web::Path<String>) -> AppResult<HttpResponse> {
    let (scheme, gp, villages) = load_scheme(&ui.state, path.into_inner()).await?;
    let input = ComplaintInput {
        supply: Supply::Partial.as_str().into(),
        village_id: if villages.len() == 1 {
            villages[0].id.to_string()
        } else {
            String::new()
        },
        ..Default::default()
    };
    ui.render(
        "breakdowns/public_form",
        "complaint-title",
        form_data(&ui, &scheme, &gp, &villages, &input),
    )
}

async fn complaint_submit(
    ui: Ui,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ComplaintInput>,
) -> AppResult<HttpResponse> {
    let code = path.into_inner();
    let input = form.into_inner();
    match file(&ui.state, client_ip(&req), code.clone(), input.clone()).await {
        Ok(b) => Ok(crate::web::render::redirect_flash(
            &format!("/c/status?number={}", b.number),
            "flash-complaint-filed",
        )),
        Err(AppError::Validation(e)) => {
            let (scheme, gp, villages) = load_scheme(&ui.state, code).await?;
            ui.render_invalid(
                "breakdowns/public_form",
                "complaint-title",
                &e,
                form_data(&ui, &scheme, &gp, &villages, &input),
            )
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let (scheme, gp, villages) = load_scheme(&ui.state, code).await?;
            let mut data = form_data(&ui, &scheme, &gp, &villages, &input);
            data["message"] = json!(ui.t_args(
                "complaint-throttled",
                &[("minutes", ((retry_after_secs + 59) / 60).to_string())]
            ));
            ui.render_status(
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                "breakdowns/public_form",
                "complaint-title",
                data,
            )
        }
        Err(e) => Err(e),
    }
}

async fn status_page(
    ui: Ui,
    req: HttpRequest,
    q: web::Query<StatusQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let number = q.number.clone().unwrap_or_default();
    let phone = q.phone.clone().unwrap_or_default();
    let mut data = json!({"number": number, "phone": phone});
    if !number.trim().is_empty() && !phone.trim().is_empty() {
        match lookup(&ui.state, client_ip(&req), number, phone).await {
            Ok(s) => {
                data["complaint"] = json!({
                    "number": s.number,
                    "category_key": format!("breakdown-cat-{}", s.category),
                    "status_key": format!("breakdown-status-{}", s.status),
                    "reported_at": format_datetime(s.reported_at),
                    "resolve_due": format_datetime(s.resolve_due_at),
                    "open": crate::breakdowns::is_open(&s.status),
                    "resolution": s.resolution,
                    "steps": s.steps.iter().map(|st| json!({"status_key": format!("breakdown-status-{}", st.status), "at": format_datetime(st.at)})).collect::<Vec<_>>(),
                });
            }
            Err(AppError::NotFound) => {
                data["message"] = json!(ui.t("complaint-not-found"));
                return ui.render_status(
                    actix_web::http::StatusCode::NOT_FOUND,
                    "breakdowns/public_status",
                    "complaint-status-title",
                    data,
                );
            }
            Err(AppError::TooManyRequests { retry_after_secs }) => {
                data["message"] = json!(ui.t_args(
                    "complaint-throttled",
                    &[("minutes", ((retry_after_secs + 59) / 60).to_string())]
                ));
                return ui.render_status(
                    actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                    "breakdowns/public_status",
                    "complaint-status-title",
                    data,
                );
            }
            Err(e) => return Err(e),
        }
    }
    ui.render("breakdowns/public_status", "complaint-status-title", data)
}

/// The QR code printed on the scheme card: the address of the scheme's complaint page.
async fn qr_code(state: web::Data<AppState>, path: web::Path<String>) -> AppResult<HttpResponse> {
    let code = path.into_inner();
    let (scheme, _, _) = load_scheme(&state, code).await?;
    let url = complaint_url(&state.config, &scheme.code);
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=86400",
        ))
        .body(svg))
}
