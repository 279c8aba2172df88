//! `/metrics` in the Prometheus text exposition format (version 0.0.4), written by hand: a
//! writer for the format ([`Exposition`]), the requests' counts and times kept in memory
//! ([`HttpMetrics`], fed by `web::access`), the pool's use, and what the app factory adds
//! from the database through a [`Monitor`] (the scheduler's jobs, reminders, the mail queue,
//! backups). The same monitor tells `/healthz` what is wrong ([`Problem`]).
//!
//! Off unless `metrics.enabled`. On the main address the scraper must send
//! `Authorization: Bearer <metrics.token>`; with `metrics.listen` the metrics have an address
//! of their own that serves only `/metrics` and `/healthz` (the token is then optional), and
//! the main address has no `/metrics`. Disabled or on the wrong address, `/metrics` is a 404
//! like any unknown page; without the right token, a 401.

use crate::auth::same_token;
use crate::config::Config;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Mutex;

/// The kinds of metric this app writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// Text in the exposition format: each family's `# HELP` and `# TYPE` lines, then its
/// samples, one family after another.
#[derive(Debug, Default)]
pub struct Exposition {
    text: String,
}

impl Exposition {
    /// Begin a family. Its samples follow before the next family begins.
    pub fn family(&mut self, name: &str, kind: Kind, help: &str) -> &mut Self {
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {}", kind.as_str());
        self
    }

    /// One sample: `name` is the family's (a histogram's with `_bucket`, `_sum` or `_count`).
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) -> &mut Self {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                self.text.push_str(k);
                self.text.push_str("=\"");
                for c in v.chars() {
                    match c {
                        '\\' => self.text.push_str("\\\\"),
                        '"' => self.text.push_str("\\\""),
                        '\n' => self.text.push_str("\\n"),
                        c => self.text.push(c),
                    }
                }
                self.text.push('"');
            }
            self.text.push('}');
        }
        self.text.push(' ');
        self.text.push_str(&number(value));
        self.text.push('\n');
        self
    }

    /// A family of one sample without labels.
    pub fn single(&mut self, name: &str, kind: Kind, help: &str, value: f64) -> &mut Self {
        self.family(name, kind, help).sample(name, &[], value)
    }

    /// A histogram's samples for one set of labels: `counts` holds how many observations
    /// fell in each of `bounds` (not cumulative) and, last, how many above them all.
    pub fn histogram(
        &mut self,
        name: &str,
        labels: &[(&str, &str)],
        bounds: &[f64],
        counts: &[u64],
        sum: f64,
    ) -> &mut Self {
        let bucket = format!("{name}_bucket");
        let mut with_le: Vec<(&str, &str)> = labels.to_vec();
        let mut running = 0;
        let les: Vec<String> = bounds.iter().map(|b| number(*b)).collect();
        for (i, le) in les.iter().enumerate() {
            running += counts.get(i).copied().unwrap_or(0);
            with_le.push(("le", le));
            self.sample(&bucket, &with_le, running as f64);
            with_le.pop();
        }
        running += counts.get(bounds.len()).copied().unwrap_or(0);
        with_le.push(("le", "+Inf"));
        self.sample(&bucket, &with_le, running as f64);
        self.sample(&format!("{name}_sum"), labels, sum);
        self.sample(&format!("{name}_count"), labels, running as f64)
    }

    /// Add another exposition's families after these.
    pub fn append(&mut self, other: Exposition) {
        self.text.push_str(&other.text);
    }

    pub fn into_text(self) -> String {
        self.text
    }
}

/// A value as the format writes it (`+Inf`, `-Inf`, `NaN`, or a plain number).
pub fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{v}")
    }
}

/// A time as the format's timestamps go: seconds since 1970 (UTC).
pub fn seconds(t: NaiveDateTime) -> f64 {
    t.and_utc().timestamp_micros() as f64 / 1e6
}

/// The request-time buckets, in seconds: from a page served from cache to a report that
/// times out.
pub const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Requests answered, per route pattern and method: how many per status, and their times.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    series: Mutex<HashMap<(String, &'static str), Series>>,
}

#[derive(Debug, Default, Clone)]
struct Series {
    statuses: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len() + 1],
    sum: f64,
}

impl HttpMetrics {
    /// Count one request.
    pub fn observe(&self, route: String, method: &'static str, status: u16, seconds: f64) {
        let slot = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let s = series.entry((route, method)).or_default();
        *s.statuses.entry(status).or_default() += 1;
        s.buckets[slot] += 1;
        s.sum += seconds;
    }

    /// The requests' families.
    pub fn write(&self, out: &mut Exposition) {
        let series: BTreeMap<(String, &'static str), Series> = self
            .series
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let name = "paani_http_requests_total";
        out.family(
            name,
            Kind::Counter,
            "HTTP requests answered, by route pattern, method and status.",
        );
        for ((route, method), s) in &series {
            for (status, n) in &s.statuses {
                let status = status.to_string();
                out.sample(
                    name,
                    &[("route", route), ("method", method), ("status", &status)],
                    *n as f64,
                );
            }
        }
        let name = "paani_http_request_duration_seconds";
        out.family(
            name,
            Kind::Histogram,
            "Time to answer HTTP requests (until the response starts), by route pattern and method.",
        );
        for ((route, method), s) in &series {
            out.histogram(
                name,
                &[("route", route), ("method", method)],
                &BUCKETS,
                &s.buckets,
                s.sum,
            );
        }
    }
}

/// The moment a check or a scrape is made.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    /// The app's clock (what rows such as the outbox's are written with).
    pub clock: NaiveDateTime,
    /// The machine's time (what the scheduler's leases and records use).
    pub machine: NaiveDateTime,
    /// The machine's time when this server started.
    pub started: NaiveDateTime,
}

/// Something `/healthz` reports as degrading the service: which check, and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub check: &'static str,
    pub detail: String,
}

/// What the app factory adds to `/metrics` and `/healthz` from the database (the plumbing
/// knows no area).
#[derive(Debug, Clone, Copy)]
pub struct Monitor {
    /// Families read from the database.
    pub figures: fn(&mut DbConn, &Config, Now, &mut Exposition) -> AppResult<()>,
    /// What degrades the service now (nothing: it is fine). Cheap: `/healthz` runs it on
    /// every call.
    pub problems: fn(&mut DbConn, &Config, Now) -> AppResult<Vec<Problem>>,
}

/// Whether a connection came in on the address `configured` was bound to (an unspecified
/// address, `0.0.0.0`, is bound on every interface: the port decides).
pub fn same_address(local: SocketAddr, configured: SocketAddr) -> bool {
    local.port() == configured.port()
        && (configured.ip().is_unspecified()
            || local.ip().to_canonical() == configured.ip().to_canonical())
}

fn on_metrics_address(req: &HttpRequest, state: &AppState) -> bool {
    state
        .metrics_addr
        .is_some_and(|a| same_address(req.app_config().local_addr(), a))
}

/// The middleware (wrapped with `actix_web::middleware::from_fn`): on `metrics.listen`'s
/// own address, only `/metrics` and `/healthz` are served.
pub async fn metrics_address_only<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let refused = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| on_metrics_address(req.request(), s))
        && !matches!(req.path(), "/metrics" | "/healthz");
    if refused {
        let res = HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
        return Ok(req.into_response(res).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// `GET /metrics`.
pub async fn scrape(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let cfg = &state.config.metrics;
    let right_address = state.metrics_addr.is_none() || on_metrics_address(&req, &state);
    if !cfg.enabled || !right_address {
        return HttpResponse::NotFound().finish();
    }
    if !cfg.token.is_empty() {
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !sent.is_some_and(|t| same_token(t, cfg.token.expose())) {
            return HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
                .content_type("text/plain; charset=utf-8")
                .body("a bearer token is needed");
        }
    }
    let mut out = Exposition::default();
    out.family(
        "paani_build_info",
        Kind::Gauge,
        "Always 1; the labels name the running version.",
    )
    .sample(
        "paani_build_info",
        &[("version", env!("CARGO_PKG_VERSION"))],
        1.0,
    );
    out.single(
        "paani_start_time_seconds",
        Kind::Gauge,
        "When this server started, in seconds since 1970.",
        seconds(state.started),
    );
    state.http_metrics.write(&mut out);
    let pool = state.db.pool_state();
    out.single(
        "paani_db_pool_connections",
        Kind::Gauge,
        "Database connections the pool holds (in use and idle).",
        pool.connections.into(),
    )
    .single(
        "paani_db_pool_idle_connections",
        Kind::Gauge,
        "Database connections the pool holds that are not in use.",
        pool.idle.into(),
    )
    .single(
        "paani_db_pool_max_connections",
        Kind::Gauge,
        "The most connections the pool opens (database.pool_size).",
        pool.max.into(),
    );
    let (monitor, config, now) = (state.monitor, state.config.clone(), state.now());
    let read = state
        .db
        .run(move |conn| {
            let mut o = Exposition::default();
            if let Some(m) = monitor {
                (m.figures)(conn, &config, now, &mut o)?;
            }
            Ok(o)
        })
        .await;
    let up = match read {
        Ok(o) => {
            out.append(o);
            1.0
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the database could not be read");
            0.0
        }
    };
    out.single(
        "paani_database_up",
        Kind::Gauge,
        "1 when this scrape could read the database, else 0.",
        up,
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(out.into_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_help_are_escaped() {
        let mut e = Exposition::default();
        e.family("x_total", Kind::Counter, "a \\ b\nc").sample(
            "x_total",
            &[("a", "q\"uo\\te\nnl"), ("b", "é")],
            3.0,
        );
        assert_eq!(
            e.into_text(),
            "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\n\
             x_total{a=\"q\\\"uo\\\\te\\nnl\",b=\"é\"} 3\n"
        );
    }

    #[test]
    fn numbers_as_the_format_wants_them() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.005), "0.005");
        assert_eq!(number(1733520000.25), "1733520000.25");
        assert_eq!(number(f64::INFINITY), "+Inf");
        assert_eq!(number(f64::NEG_INFINITY), "-Inf");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn histogram_buckets_add_up() {
        let m = HttpMetrics::default();
        for s in [0.001, 0.003, 0.02, 0.3, 42.0] {
            m.observe("/x/{id}".into(), "GET", 200, s);
        }
        m.observe("/x/{id}".into(), "GET", 404, 0.001);
        let mut e = Exposition::default();
        m.write(&mut e);
        let t = e.into_text();
        assert!(t.contains(
            "paani_http_requests_total{route=\"/x/{id}\",method=\"GET\",status=\"200\"} 5\n"
        ));
        assert!(t.contains(
            "paani_http_requests_total{route=\"/x/{id}\",method=\"GET\",status=\"404\"} 1\n"
        ));
        for (le, n) in [
            ("0.005", 3),
            ("0.025", 4),
            ("0.25", 4),
            ("0.5", 5),
            ("10", 5),
        ] {
            let line = format!(
                "paani_http_request_duration_seconds_bucket{{route=\"/x/{{id}}\",method=\"GET\",le=\"{le}\"}} {n}\n"
            );
            assert!(t.contains(&line), "{line} in\n{t}");
        }
        assert!(t.contains("le=\"+Inf\"} 6\n"));
        assert!(t.contains(
            "paani_http_request_duration_seconds_count{route=\"/x/{id}\",method=\"GET\"} 6\n"
        ));
    }

    #[test]
    fn addresses_match_by_port_and_interface() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(same_address(a("127.0.0.1:9180"), a("127.0.0.1:9180")));
        assert!(same_address(a("10.1.2.3:9180"), a("0.0.0.0:9180")));
        assert!(same_address(
            a("[::ffff:127.0.0.1]:9180"),
            a("127.0.0.1:9180")
        ));
        assert!(!same_address(a("127.0.0.1:8080"), a("127.0.0.1:9180")));
        assert!(!same_address(a("10.1.2.3:9180"), a("127.0.0.1:9180")));
    }
}
