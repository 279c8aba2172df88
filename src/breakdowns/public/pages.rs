//! The villagers' pages: finding a scheme by village name or code (`/c`), a scheme's complaint
//! form (`/c/<code>`, with an optional photo), its QR code, and the status page (`/c/status`).
//! Each shows a full link to itself and a WhatsApp link to share it.

use super::model::{self, ComplaintStatus};
use super::service::Filed;
use super::{complaint_url, service, ComplaintInput};
use crate::breakdowns::Supply;
use crate::error::{AppError, AppResult};
use crate::places::Place;
use crate::schemes::Scheme;
use crate::web::i18n::format_datetime;
use crate::web::render::Ui;
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // `/c/status` is a fixed path among the scheme codes: it goes first.
    cfg.route("/c", web::get().to(find_page))
        .route("/c/status", web::get().to(status_page))
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
    photos: Vec<crate::web::photos::Checked>,
) -> AppResult<Filed> {
    let r = state
        .service(move |ctx| service::file(ctx, &ip, &code, input, photos))
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

fn form_data(ui: &Ui, (scheme, gp, villages, water): &Loaded, input: &ComplaintInput) -> Value {
    json!({
        // while a contamination incident is open: the advisory, and the latest test
        "water": crate::water_quality::incidents::pages::notice_json(&ui.state.i18n, ui.lang(), water),
        "code": scheme.code,
        "scheme": scheme.display_name(ui.lang()),
        "gp": gp.display_name(ui.lang()),
        "villages": villages.iter().map(|v| json!({"id": v.id.to_string(), "name": v.display_name(ui.lang())})).collect::<Vec<_>>(),
        "categories": ui.state.config.breakdowns.categories.iter().map(|c| json!({"value": c, "label": format!("breakdown-cat-{c}")})).collect::<Vec<_>>(),
        "supplies": crate::breakdowns::pages::supply_options(),
        "form": input,
        "share": share(ui, &complaint_url(&ui.state.config, &scheme.code), "complaint-share-page", &[("scheme", scheme.display_name(ui.lang()).to_string())]),
    })
}

/// A full link and a WhatsApp link carrying it with a message (`key` with `args`).
fn share(ui: &Ui, link: &str, key: &str, args: &[(&str, String)]) -> Value {
    let text = format!("{} {link}", ui.t_args(key, args));
    json!({"link": link, "whatsapp": crate::web::render::whatsapp_url(&text)})
}

/// The status page's full address for a complaint number (the phone is not in it).
fn status_link(ui: &Ui, number: &str) -> String {
    format!(
        "{}/c/status?{}",
        ui.state.config.public_url(),
        serde_urlencoded::to_string([("number", number)]).unwrap_or_default()
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindQuery {
    /// A village's name (English or Hindi) or LGD code, or a scheme's code or name.
    pub q: String,
}

/// `/c`: find the scheme to report about by its village's name or LGD code, or its code; a
/// single match goes straight to its complaint page.
async fn find_page(ui: Ui, q: web::Query<FindQuery>) -> AppResult<HttpResponse> {
    let term = q.into_inner().q.trim().to_string();
    let mut data = json!({"q": term});
    if !term.is_empty() {
        let t = term.clone();
        let found = ui.state.db.run(move |c| model::find_schemes(c, &t)).await?;
        if found.len() == 1 {
            return Ok(crate::web::render::redirect(&format!(
                "/c/{}",
                found[0].0.code
            )));
        }
        let lang = ui.lang();
        data["searched"] = json!(true);
        data["results"] = json!(found
            .iter()
            .map(|(s, gp, villages)| json!({
                "code": s.code,
                "scheme": s.display_name(lang),
                "gp": gp.display_name(lang),
                "villages": villages.iter().map(|v| v.display_name(lang)).collect::<Vec<_>>().join(", "),
            }))
            .collect::<Vec<_>>());
    }
    data["share"] = share(
        &ui,
        &format!("{}/c", ui.state.config.public_url()),
        "complaint-share-find",
        &[],
    );
    ui.render("breakdowns/public_find", "complaint-find-title", data)
}

/// A scheme's page's rows: the scheme, its GP and villages, and its water-quality notice.
type Loaded = (
    Scheme,
    Place,
    Vec<Place>,
    crate::water_quality::incidents::service::Notice,
);

async fn load_scheme(state: &web::Data<AppState>, code: String) -> AppResult<Loaded> {
    state
        .db
        .run(move |c| {
            let (s, gp, villages) = model::scheme_for_code(c, &code)?;
            let water = crate::water_quality::incidents::service::notice(c, s.gp_id, s.id)?;
            Ok((s, gp, villages, water))
        })
        .await
}

async fn complaint_page(ui: Ui, path: web::Path<String>) -> AppResult<HttpResponse> {
    let loaded = load_scheme(&ui.state, path.into_inner()).await?;
    let villages = &loaded.2;
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
        form_data(&ui, &loaded, &input),
    )
}

/// The complaint form: urlencoded, or multipart with one optional photo (`photo_1`).
async fn complaint_submit(
    ui: Ui,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let code = path.into_inner();
    let mut fields =
        crate::web::forms::read_any_form(&req, payload, ui.state.config.server.max_body_bytes)
            .await?;
    let files: Vec<Vec<u8>> = fields.remove("photo_1").into_iter().collect();
    let mut input: ComplaintInput = crate::web::forms::from_fields(&fields);
    // the complaint's SMS go in the language the villager reads this page in
    input.lang = ui.lang().code().to_string();
    let result = match crate::web::photos::check_photos(&ui.state, files).await? {
        Ok(photos) => {
            file(
                &ui.state,
                client_ip(&req),
                code.clone(),
                input.clone(),
                photos,
            )
            .await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let number_query = |b: &crate::breakdowns::Breakdown| {
        serde_urlencoded::to_string([("number", b.number.as_str())]).unwrap_or_default()
    };
    match result {
        Ok(Filed::New(b)) => Ok(crate::web::render::redirect_flash(
            &format!("/c/status?{}&filed=1", number_query(&b)),
            "flash-complaint-filed",
        )),
        Ok(Filed::AlreadyReported(b)) => Ok(crate::web::render::redirect(&format!(
            "/c/status?{}&already=1",
            number_query(&b)
        ))),
        Err(AppError::Validation(e)) => {
            let loaded = load_scheme(&ui.state, code).await?;
            ui.render_invalid(
                "breakdowns/public_form",
                "complaint-title",
                &e,
                form_data(&ui, &loaded, &input),
            )
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let loaded = load_scheme(&ui.state, code).await?;
            let mut data = form_data(&ui, &loaded, &input);
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

/// The status page's query: the number and phone to look up; `filed` (just filed) and
/// `already` (the same problem was already reported from that phone) show the number large,
/// to copy or share.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusPageQuery {
    pub number: Option<String>,
    pub phone: Option<String>,
    pub filed: Option<String>,
    pub already: Option<String>,
    /// The token of a complaint's SMS link: opens its status without the phone.
    pub t: Option<String>,
}

async fn status_page(
    ui: Ui,
    req: HttpRequest,
    q: web::Query<StatusPageQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let number = q.number.clone().unwrap_or_default();
    let phone = q.phone.clone().unwrap_or_default();
    let mut data = json!({"number": number, "phone": phone});
    // a number fit to show and share: what complaint numbers look like, nothing longer
    let shown = number.trim().to_uppercase();
    let shown_ok = !shown.is_empty()
        && shown.len() <= 40
        && shown.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if shown_ok {
        let link = status_link(&ui, &shown);
        data["share"] = share(
            &ui,
            &link,
            "complaint-share-status",
            &[("number", shown.clone())],
        );
        if q.filed.is_some() || q.already.is_some() {
            data["filed_number"] = json!(shown);
            data["already"] = json!(q.already.is_some());
            data["script"] = json!(true);
        }
    }
    let token = q.t.clone().unwrap_or_default();
    if !number.trim().is_empty() && (!phone.trim().is_empty() || !token.trim().is_empty()) {
        let found = if phone.trim().is_empty() {
            let ip = client_ip(&req);
            ui.state
                .service(move |ctx| service::lookup_by_token(ctx, &ip, &number, &token))
                .await
        } else {
            lookup(&ui.state, client_ip(&req), number, phone).await
        };
        match found {
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
    let (scheme, _, _, _) = load_scheme(&state, code).await?;
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
