//! Complaints from villagers without an account: a page per scheme (`/c/<scheme code>`,
//! printed as a QR code on the scheme card), a status page (`/c/status`, by complaint number
//! and phone), and the same two as JSON for gateways. Throttled per address and per phone;
//! free text is stored as plain text.

use super::{plain_text, Breakdown, NewBreakdown};
use crate::config::BreakdownsConfig;
use crate::db::schema::{breakdowns, complaint_attempts, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::Place;
use crate::schemes::Scheme;
use crate::web::forms;
use crate::web::i18n::format_datetime;
use crate::web::render::Ui;
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/status", web::get().to(status_page))
        .route("/c/{code}", web::get().to(complaint_page))
        .route("/c/{code}", web::post().to(complaint_submit))
        .route("/c/{code}/qr.svg", web::get().to(qr_code))
        .route(
            "/api/v1/public/complaints/status",
            web::get().to(api_status),
        )
        .route("/api/v1/public/complaints/{code}", web::post().to(api_file));
}

/// A complaint as a villager types it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ComplaintInput {
    pub name: String,
    /// An Indian mobile number (10 digits starting 6–9, with or without +91).
    pub phone: String,
    /// The id of one of the scheme's villages (may be empty when the scheme lists none).
    pub village_id: String,
    /// A category code (see `breakdowns.categories`).
    pub category: String,
    /// stopped, partial or none; empty counts as partial.
    pub supply: String,
    pub description: String,
}

/// The scheme behind a public code, with its villages: unknown, decommissioned or in an
/// inactive GP is `NotFound`.
pub fn scheme_for_code(conn: &mut DbConn, code: &str) -> AppResult<(Scheme, Place, Vec<Place>)> {
    let scheme: Scheme = schemes::table
        .filter(schemes::code.eq(code.trim().to_uppercase()))
        .filter(schemes::status.ne("decommissioned"))
        .select(Scheme::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let gp = crate::places::model::find(conn, scheme.gp_id)?;
    if !gp.active {
        return Err(AppError::NotFound);
    }
    let villages = crate::schemes::villages_of(conn, scheme.id)?;
    Ok((scheme, gp, villages))
}

/// Note an attempt from `ip` (and `phone`, when known) and say how long to wait if there have
/// been too many. Runs in its own transaction so refused and invalid attempts count too.
pub fn note_attempt(
    conn: &mut DbConn,
    cfg: &BreakdownsConfig,
    ip: &str,
    phone: &str,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    diesel::delete(
        complaint_attempts::table
            .filter(complaint_attempts::attempted_at.lt(now - Duration::days(2))),
    )
    .execute(conn)?;
    let hour = now - Duration::hours(1);
    let day = now - Duration::days(1);
    let by_ip: Vec<NaiveDateTime> = complaint_attempts::table
        .filter(complaint_attempts::ip.eq(ip))
        .filter(complaint_attempts::attempted_at.gt(hour))
        .order(complaint_attempts::attempted_at.asc())
        .select(complaint_attempts::attempted_at)
        .load(conn)?;
    if by_ip.len() as i64 >= cfg.public_per_ip_per_hour {
        let wait = (by_ip[0] + Duration::hours(1) - now).num_seconds().max(1);
        return Ok(Some(wait));
    }
    if !phone.is_empty() {
        let by_phone: Vec<NaiveDateTime> = complaint_attempts::table
            .filter(complaint_attempts::phone.eq(phone))
            .filter(complaint_attempts::attempted_at.gt(day))
            .order(complaint_attempts::attempted_at.asc())
            .select(complaint_attempts::attempted_at)
            .load(conn)?;
        if by_phone.len() as i64 >= cfg.public_per_phone_per_day {
            let wait = (by_phone[0] + Duration::days(1) - now).num_seconds().max(1);
            return Ok(Some(wait));
        }
    }
    diesel::insert_into(complaint_attempts::table)
        .values((
            complaint_attempts::ip.eq(ip),
            complaint_attempts::phone.eq(phone),
            complaint_attempts::attempted_at.eq(now),
        ))
        .execute(conn)?;
    Ok(None)
}

/// Check and store a public complaint for the scheme with `code`.
pub fn file(
    conn: &mut DbConn,
    cfg: &BreakdownsConfig,
    code: &str,
    input: &ComplaintInput,
    now: NaiveDateTime,
) -> AppResult<Breakdown> {
    let (scheme, _, villages) = scheme_for_code(conn, code)?;
    let mut e = FieldErrors::new();
    let name = forms::required_text(&plain_text(&input.name), 120, "name", &mut e);
    let phone = match crate::auth::users::normalize_mobile(&input.phone) {
        Some(p) => Some(p),
        None => {
            e.add("phone", "phone-invalid");
            None
        }
    };
    let village = match input.village_id.trim() {
        "" if villages.is_empty() => None,
        "" => {
            e.add("village_id", "field-required");
            None
        }
        raw => match villages.iter().find(|v| v.id.to_string() == raw) {
            Some(v) => Some(v.id),
            None => {
                e.add("village_id", "field-invalid-choice");
                None
            }
        },
    };
    if !cfg.categories.iter().any(|c| c == input.category.trim()) {
        e.add("category", "field-invalid-choice");
    }
    let supply = match input.supply.trim() {
        "" => "partial",
        s @ ("stopped" | "partial" | "none") => s,
        _ => {
            e.add("supply", "field-invalid-choice");
            "partial"
        }
    };
    let description =
        forms::required_text(&plain_text(&input.description), 2000, "description", &mut e);
    e.into_result()?;
    super::create(
        conn,
        &scheme,
        NewBreakdown {
            asset_id: None,
            village_id: village,
            category: input.category.trim(),
            description: &description.expect("checked"),
            supply,
            households: None,
            started: now,
            source: "public",
            reporter_name: &name.expect("checked"),
            reporter_phone: phone.as_deref(),
            from_task: None,
        },
        None,
        cfg,
        now,
    )
}

/// What a villager may see of a complaint: found only with its number and the phone it was
/// filed with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplaintStatus {
    pub number: String,
    pub category: String,
    pub status: String,
    pub reported_at: NaiveDateTime,
    pub resolve_due_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    /// What was done, once resolved.
    pub resolution: Option<String>,
    /// The status changes, oldest first.
    pub steps: Vec<ComplaintStep>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplaintStep {
    pub status: String,
    pub at: NaiveDateTime,
}

pub fn status(conn: &mut DbConn, number: &str, phone: &str) -> AppResult<ComplaintStatus> {
    let phone = crate::auth::users::normalize_mobile(phone).ok_or(AppError::NotFound)?;
    let b: Breakdown = breakdowns::table
        .filter(breakdowns::number.eq(number.trim().to_uppercase()))
        .filter(breakdowns::reporter_phone.eq(phone))
        .select(Breakdown::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let steps = super::timeline(conn, b.id)?
        .into_iter()
        .filter_map(|e| {
            e.to_status.map(|s| ComplaintStep {
                status: s,
                at: e.at,
            })
        })
        .collect();
    Ok(ComplaintStatus {
        number: b.number,
        category: b.category,
        status: b.status,
        reported_at: b.created_at,
        resolve_due_at: b.resolve_due_at,
        resolved_at: b.resolved_at,
        resolution: b.resolution,
        steps,
    })
}

// ---- pages ----

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
        "supplies": super::SUPPLIES.iter().map(|s| json!({"value": s, "label": format!("breakdown-supply-{s}")})).collect::<Vec<_>>(),
        "form": input,
    })
}

async fn load_scheme(
    state: &web::Data<AppState>,
    code: String,
) -> AppResult<(Scheme, Place, Vec<Place>)> {
    state.db.run(move |c| scheme_for_code(c, &code)).await
}

async fn complaint_page(ui: Ui, path: web::Path<String>) -> AppResult<HttpResponse> {
    let (scheme, gp, villages) = load_scheme(&ui.state, path.into_inner()).await?;
    let input = ComplaintInput {
        supply: "partial".into(),
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

/// Throttle, then file; shared by the page and the API.
async fn throttled_file(
    state: &web::Data<AppState>,
    ip: String,
    code: String,
    input: ComplaintInput,
) -> AppResult<Breakdown> {
    let now = state.clock.now();
    let cfg = state.config.breakdowns.clone();
    let phone = crate::auth::users::normalize_mobile(&input.phone).unwrap_or_default();
    let code2 = code.clone();
    let cfg2 = cfg.clone();
    // an unknown code is a 404 before it can use up anyone's allowance
    state.db.run(move |c| scheme_for_code(c, &code2)).await?;
    if let Some(wait) = state
        .db
        .write(move |c| note_attempt(c, &cfg2, &ip, &phone, now))
        .await?
    {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait,
        });
    }
    let result = state
        .db
        .write(move |c| file(c, &cfg, &code, &input, now))
        .await;
    if result.is_ok() {
        state
            .part::<crate::breakdowns::review::FiguresCache>()
            .changed();
    }
    result
}

async fn complaint_submit(
    ui: Ui,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ComplaintInput>,
) -> AppResult<HttpResponse> {
    let code = path.into_inner();
    let input = form.into_inner();
    match throttled_file(&ui.state, client_ip(&req), code.clone(), input.clone()).await {
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

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct StatusQuery {
    /// The complaint number, e.g. 23010101-B7.
    #[serde(default)]
    pub number: Option<String>,
    /// The phone the complaint was filed with.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Look a complaint up; a miss counts against the address's allowance (numbers are not to be
/// guessed).
async fn lookup(
    state: &web::Data<AppState>,
    ip: String,
    number: String,
    phone: String,
) -> AppResult<ComplaintStatus> {
    let now = state.clock.now();
    let found = state.db.run(move |c| status(c, &number, &phone)).await;
    if let Err(AppError::NotFound) = found {
        let cfg = state.config.breakdowns.clone();
        if let Some(wait) = state
            .db
            .write(move |c| note_attempt(c, &cfg, &ip, "", now))
            .await?
        {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
            });
        }
    }
    found
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
                    "open": super::is_open(&s.status),
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

/// The address of a scheme's public complaint page.
pub fn complaint_url(config: &crate::config::Config, code: &str) -> String {
    format!("{}/c/{}", config.public_url(), code)
}

// ---- API ----

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    /// The complaint number to quote.
    pub number: String,
    pub status: String,
    pub resolve_due_at: NaiveDateTime,
}

/// File a public complaint for the scheme with this code (no account needed; throttled per
/// address and per phone).
#[utoipa::path(post, path = "/api/v1/public/complaints/{code}", tag = "public",
    params(("code" = String, Path, description = "Scheme code, as printed on the scheme card")),
    request_body = ComplaintInput,
    responses((status = 201, body = Filed), (status = 404, description = "No such scheme, or not in service"),
        (status = 422, description = "Field errors", content_type = "application/problem+json"),
        (status = 429, description = "Too many complaints from this address or phone")))]
pub async fn api_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<Value>,
) -> AppResult<HttpResponse> {
    let input: ComplaintInput = forms::from_json(body.into_inner(), None)?;
    let b = throttled_file(&state, client_ip(&req), path.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(Filed {
        number: b.number,
        status: b.status,
        resolve_due_at: b.resolve_due_at,
    }))
}

/// A public complaint's status, by its number and the phone it was filed with.
#[utoipa::path(get, path = "/api/v1/public/complaints/status", tag = "public", params(StatusQuery),
    responses((status = 200, body = ComplaintStatus), (status = 404), (status = 429)))]
pub async fn api_status(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<StatusQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let s = lookup(
        &state,
        client_ip(&req),
        q.number.unwrap_or_default(),
        q.phone.unwrap_or_default(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(s))
}
