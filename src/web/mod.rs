//! The web server: shared state, middleware order, routes, static files, health and home.

pub mod access;
pub mod api;
pub mod changed;
pub mod csv;
pub mod errors;
pub mod forms;
pub mod i18n;
pub mod idempotency;
pub mod input;
pub mod metrics;
pub mod pagination;
#[cfg(test)]
mod parsers_proptest;
pub mod photos;
pub mod proxy;
pub mod render;
pub mod session;
pub mod sync;

use crate::clock::Clock;
use crate::config::Config;
use crate::context::Ctx;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpResponse, HttpServer};
use i18n::I18n;
use render::{NavItem, Views};
use rust_embed::RustEmbed;
use serde_json::json;
use std::any::{type_name, Any, TypeId};
use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;

/// What every handler can reach. Built once by the app factory (`crate::app::state`); cloned
/// cheaply into each worker. The core (configuration, database, clock, languages, views) is
/// plumbing; what an area keeps for itself (a catalogue, a cache) is one of its `parts`, and
/// the navigation and the bell are composed from the areas by the app factory too.
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Clock,
    pub i18n: Arc<I18n>,
    pub views: Arc<Views>,
    /// Signs the anonymous CSRF cookie.
    pub csrf_key: Vec<u8>,
    /// The header's navigation, in order (each entry shown to those its verb allows).
    pub nav: Vec<NavItem>,
    /// The count beside the bell, read with the session in the same database trip.
    pub bell: Option<Bell>,
    /// The reverse proxies whose forwarding headers are believed.
    pub proxies: proxy::TrustedProxies,
    /// Turns to decode uploaded photos (`storage.photo_workers`, `photo_memory_bytes`): a
    /// burst of uploads waits here instead of decoding every photo at once.
    pub photo_turns: photos::Turns,
    /// Requests' counts and times for `/metrics` (fed only when `metrics.enabled`).
    pub http_metrics: metrics::HttpMetrics,
    /// What the areas add to `/metrics` and `/healthz` (given by the app factory).
    pub monitor: Option<metrics::Monitor>,
    /// The machine's time when this state was made (the server's start).
    pub started: chrono::NaiveDateTime,
    /// The address `metrics.listen` is bound to, when it has one of its own (set by
    /// [`serve`]).
    pub metrics_addr: Option<std::net::SocketAddr>,
    parts: Parts,
}

/// Counts what waits for a user (unread reminders): `(conn, user id)`.
pub type Bell = fn(&mut crate::db::DbConn, i64) -> AppResult<i64>;

/// Each area's own state, by type: one value of each type at most.
#[derive(Default)]
struct Parts(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl AppState {
    /// The core alone: no area parts, no navigation but what is added after.
    pub fn core(config: Config, db: Db, clock: Clock) -> Result<AppState, AppError> {
        let i18n = Arc::new(I18n::load().map_err(AppError::Config)?);
        let views = Arc::new(Views::load(i18n.clone()).map_err(AppError::Config)?);
        let proxies =
            proxy::TrustedProxies::from_config(&config.server).map_err(AppError::Config)?;
        for w in config.warnings() {
            tracing::warn!("{w}");
        }
        let csrf_key = if config.auth.session_key.is_empty() {
            crate::auth::random_token().into_bytes()
        } else {
            config.auth.session_key.expose().as_bytes().to_vec()
        };
        let photo_turns = photos::Turns::new(&config.storage);
        Ok(AppState {
            photo_turns,
            config: Arc::new(config),
            db,
            clock,
            i18n,
            views,
            csrf_key,
            nav: Vec::new(),
            bell: None,
            proxies,
            http_metrics: metrics::HttpMetrics::default(),
            monitor: None,
            started: chrono::Utc::now().naive_utc(),
            metrics_addr: None,
            parts: Parts::default(),
        })
    }

    /// The moment, for a health check or a scrape.
    pub fn now(&self) -> metrics::Now {
        metrics::Now {
            clock: self.clock.now(),
            machine: chrono::Utc::now().naive_utc(),
            started: self.started,
        }
    }

    /// What a use case needs (database, clock, configuration).
    pub fn ctx(&self) -> Ctx {
        Ctx::new(self.db.clone(), self.clock.clone(), self.config.clone())
    }

    /// Run a use case (an area's `service` function) on the blocking pool: services are
    /// plain functions over a [`Ctx`], shared by handlers, the command line and the scheduler.
    pub async fn service<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&Ctx) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let ctx = self.ctx();
        tokio::task::spawn_blocking(move || f(&ctx))
            .await
            .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
    }

    /// [`AppState::service`] for a use case that also needs one of the areas' parts (the
    /// catalogue, say): the part travels to the blocking pool with the context.
    pub async fn service_with<P, T, F>(&self, f: F) -> AppResult<T>
    where
        P: Any + Send + Sync,
        F: FnOnce(&Ctx, &P) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let part = self
            .parts
            .0
            .get(&TypeId::of::<P>())
            .cloned()
            .and_then(|p| p.downcast::<P>().ok())
            .unwrap_or_else(|| panic!("{} not added by the app factory", type_name::<P>()));
        self.service(move |ctx| f(ctx, &part)).await
    }

    /// Keep an area's state (replacing one of the same type).
    pub fn add_part<T: Any + Send + Sync>(&mut self, part: T) {
        self.parts.0.insert(TypeId::of::<T>(), Arc::new(part));
    }

    /// An area's state. The app factory adds every part an area's handlers ask for before
    /// the server starts (`crate::app::state`), so a missing one is a wiring mistake that
    /// the first request of any test shows.
    pub fn part<T: Any + Send + Sync>(&self) -> &T {
        self.parts
            .0
            .get(&TypeId::of::<T>())
            .and_then(|p| p.downcast_ref::<T>())
            .unwrap_or_else(|| panic!("{} not added by the app factory", type_name::<T>()))
    }
}

pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Start serving on `listener` (and on `metrics.listen` when the metrics have an address of
/// their own): the plumbing's middleware and routes (health, metrics, static files, not
/// found) around the app's `routes`. `crate::app::serve` calls it; `main` and the tests both
/// come through there.
pub fn serve(
    listener: TcpListener,
    mut state: AppState,
    routes: fn(&mut web::ServiceConfig),
) -> std::io::Result<Server> {
    let metrics_listener = match &state.config.metrics {
        m if m.enabled && !m.listen.trim().is_empty() => {
            let l = TcpListener::bind(m.listen.trim()).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot listen on metrics.listen {}: {e}", m.listen),
                )
            })?;
            state.metrics_addr = Some(l.local_addr()?);
            Some(l)
        }
        _ => None,
    };
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
            .wrap(from_fn(idempotency::once))
            .wrap(from_fn(input::screen))
            .wrap(from_fn(session::identify))
            .wrap(from_fn(proxy::secure_over_https))
            .wrap(from_fn(metrics::metrics_address_only))
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
            .wrap(from_fn(access::log))
            .configure(core_routes)
            .configure(routes)
            .default_service(web::to(not_found))
    })
    .workers(workers)
    // A compressed page goes out in more than one write; without TCP_NODELAY the later writes
    // wait for the browser's delayed ACK of the first on a kept-alive connection: 40 ms more
    // for every page (benches/run.sh, BENCHMARKS.md).
    .tcp_nodelay(true)
    .listen(listener)?;
    let server = match metrics_listener {
        Some(l) => server.listen(l)?,
        None => server,
    };
    Ok(server.run())
}

/// The plumbing's own routes.
fn core_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/metrics", web::get().to(metrics::scrape))
        .route("/static/{file:.*}", web::get().to(static_file));
}

async fn not_found() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

/// `{"status": "ok" | "degraded", "database": "sqlite" | "postgres", "reasons": [...]}`
/// after a real round trip to the database, with what the app factory's monitor finds
/// wrong (`metrics::Monitor::problems`: a scheduler that stopped sweeping, e-mail that does
/// not leave, an old backup) as reasons, each `{"check": …, "detail": …}`. Degraded is still
/// 200: the site answers and takes payments, and a load balancer or supervisor that saw a
/// failure would take away the one server there is or restart it, which mends none of
/// these. 503 only when the database cannot be reached.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.db.backend().name();
    let (monitor, config, now) = (state.monitor, state.config.clone(), state.now());
    let checked = state
        .db
        .run(move |conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(AppError::from)?;
            // the database answers: anything else wrong degrades the service, no more
            Ok(match monitor {
                Some(m) => (m.problems)(conn, &config, now),
                None => Ok(Vec::new()),
            })
        })
        .await;
    let body = |reasons: Vec<metrics::Problem>| {
        let status = if reasons.is_empty() { "ok" } else { "degraded" };
        json!({"status": status, "database": backend, "reasons": reasons})
    };
    match checked {
        Ok(Ok(problems)) => HttpResponse::Ok().json(body(problems)),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health checks could not be read");
            HttpResponse::Ok().json(body(vec![metrics::Problem {
                check: "health",
                detail: "the health checks could not be read (see the server's log)".into(),
            }]))
        }
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
