//! The web server: shared state, middleware order, routes, static files, health and home.

pub mod csv;
pub mod errors;
pub mod forms;
pub mod i18n;
pub mod pagination;
pub mod render;
pub mod session;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpResponse, HttpServer};
use i18n::I18n;
use render::{redirect, Ui, Views};
use rust_embed::RustEmbed;
use serde_json::json;
use std::net::TcpListener;
use std::sync::Arc;

/// What every handler can reach. Built once; cloned cheaply into each worker.
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Clock,
    pub i18n: Arc<I18n>,
    pub views: Arc<Views>,
    /// Asset, scheme and source kinds.
    pub catalogue: Arc<crate::schemes::catalogue::Catalogue>,
    /// Default maintenance plans per asset kind.
    pub templates: Arc<crate::maintenance::templates::Library>,
    /// Signs the anonymous CSRF cookie.
    pub csrf_key: Vec<u8>,
    /// Breakdown figures already computed this minute.
    pub figures: crate::breakdowns::review::FiguresCache,
    /// Dashboards' charts already drawn, per GP and language, for the figures kept now.
    pub charts: crate::dashboards::http::ChartCache,
}

impl AppState {
    pub fn new(config: Config, db: Db, clock: Clock) -> Result<AppState, AppError> {
        let i18n = Arc::new(I18n::load().map_err(AppError::Config)?);
        let views = Arc::new(Views::load(i18n.clone()).map_err(AppError::Config)?);
        let csrf_key = if config.auth.session_key.is_empty() {
            crate::auth::random_token().into_bytes()
        } else {
            config.auth.session_key.expose().as_bytes().to_vec()
        };
        let catalogue = Arc::new(
            crate::schemes::catalogue::Catalogue::load(&config.catalogue)
                .map_err(|e| AppError::Config(format!("catalogue: {e}")))?,
        );
        let templates = Arc::new(
            crate::maintenance::templates::Library::load(&config.maintenance.templates_file)
                .map_err(AppError::Config)?,
        );
        Ok(AppState {
            templates,
            catalogue,
            config: Arc::new(config),
            db,
            clock,
            i18n,
            views,
            csrf_key,
            figures: Default::default(),
            charts: Default::default(),
        })
    }
}

pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Start serving on `listener`. `main` and the tests both come through here.
pub fn serve(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let workers = match state.config.server.workers {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
        n => n,
    };
    let max_body = state.config.server.max_body_bytes;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(web::FormConfig::default().limit(max_body))
            .app_data(
                web::JsonConfig::default()
                    .limit(max_body)
                    .error_handler(|err, _| {
                        tracing::debug!(error = %err, "bad JSON body");
                        AppError::BadRequest("error-bad-json".into()).into()
                    }),
            )
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|_, _| AppError::BadRequest("error-bad-query".into()).into()),
            )
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .wrap(from_fn(session::identify))
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add((header::CONTENT_SECURITY_POLICY, CSP))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add((
                        "Permissions-Policy",
                        "camera=(), microphone=(), geolocation=(self)",
                    )),
            )
            .wrap(from_fn(request_id_header))
            .wrap(tracing_actix_web::TracingLogger::default())
            .configure(routes)
    })
    .workers(workers)
    // A compressed page goes out in more than one write; without TCP_NODELAY the later writes
    // wait for the browser's delayed ACK of the first on a kept-alive connection: 40 ms more
    // for every page (benches/run.sh, BENCHMARKS.md).
    .tcp_nodelay(true)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Echo the request id that the tracing logger gave this request.
async fn request_id_header(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    let id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|r| r.to_string());
    let mut res = next.call(req).await?;
    if let Some(id) = id.and_then(|i| header::HeaderValue::from_str(&i).ok()) {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/healthz", web::get().to(healthz))
        .route("/static/{file:.*}", web::get().to(static_file));
    crate::auth::http::configure(cfg);
    crate::auth::users_http::configure(cfg);
    crate::dashboards::http::configure(cfg);
    crate::places::http::configure(cfg);
    crate::schemes::http::configure(cfg);
    crate::schemes::assets_http::configure(cfg);
    crate::maintenance::http::configure(cfg);
    crate::breakdowns::public::configure(cfg);
    // fixed paths (/breakdowns/review) before /breakdowns/{id}
    crate::breakdowns::review::configure(cfg);
    crate::breakdowns::http::configure(cfg);
    crate::billing::register::configure(cfg);
    crate::billing::pages::configure(cfg);
    crate::billing::http::configure(cfg);
    crate::committees::http::configure(cfg);
    crate::reminders::http::configure(cfg);
    crate::jobs::http::configure(cfg);
    crate::audit::configure(cfg);
    crate::api::configure(cfg);
    cfg.default_service(web::to(not_found));
}

async fn not_found() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

async fn home(ui: Ui) -> AppResult<HttpResponse> {
    let Some(actor) = ui.actor() else {
        return Ok(redirect("/login"));
    };
    let actor = actor.clone();
    // A member's home is their task list (the GP's dashboard is one tap away); everyone
    // else's is the dashboard of their place.
    if actor.role == crate::auth::Role::Member {
        return crate::maintenance::http::my_tasks_page(ui, actor).await;
    }
    let place = actor.user.place_id;
    crate::dashboards::http::dashboard(ui, actor, place, Default::default()).await
}

/// `{"status":"ok","database":"sqlite"|"postgres"}` after a real round trip to the database.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.db.backend().name();
    let ok = state
        .db
        .run(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(AppError::from)
        })
        .await;
    match ok {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "ok", "database": backend})),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().json(json!({"status": "error", "database": backend}))
        }
    }
}

#[derive(RustEmbed)]
#[folder = "static"]
pub struct StaticFiles;

async fn static_file(path: web::Path<String>) -> HttpResponse {
    match StaticFiles::get(&path) {
        Some(f) => {
            let mime = mime_guess::from_path(path.as_str()).first_or_octet_stream();
            let etag = format!("\"{}\"", hex::encode(&f.metadata.sha256_hash()[..8]));
            HttpResponse::Ok()
                .content_type(mime.as_ref())
                .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
                .insert_header((header::ETAG, etag))
                .body(f.data.into_owned())
        }
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found"),
    }
}
