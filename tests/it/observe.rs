//! Observability (issue 23): `/metrics` scraped from the real app and read by a strict
//! parser of the Prometheus text format; the token and the separate address; the JSON
//! access log of the real binary (one line per request, no secrets); request ids from
//! trusted proxies only; `/healthz` degraded with reasons, and 503 without a database.

use crate::factories::scheme_in;
use crate::helpers::{TestApp, DEMO_PASSWORD};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use paani::config::{Config, Secret, Sources};
use paani::db::schema::outbox;
use reqwest::StatusCode;
use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;

const TOKEN: &str = "scrape-token-0123456789";

// ---------------------------------------------------------------------------------------
// A strict reader of the text exposition format (version 0.0.4).

#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

#[derive(Debug, Default)]
struct Family {
    kind: String,
    help: Option<String>,
    samples: Vec<Sample>,
}

#[derive(Debug, Default)]
struct Scrape {
    families: BTreeMap<String, Family>,
}

impl Scrape {
    /// The value of the sample with exactly these labels.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let want: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.families
            .values()
            .flat_map(|f| &f.samples)
            .find(|s| s.name == name && s.labels == want)
            .map(|s| s.value)
    }

    /// The value, 0 when the series is not there yet.
    fn or_zero(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels).unwrap_or(0.0)
    }

    fn samples(&self, name: &str) -> Vec<&Sample> {
        self.families
            .values()
            .flat_map(|f| &f.samples)
            .filter(|s| s.name == name)
            .collect()
    }
}

fn is_metric_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == ':')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':')
}

fn is_label_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        && !s.starts_with("__")
}

fn parse_value(s: &str) -> Result<f64, String> {
    match s {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ if s.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) => s
            .parse::<f64>()
            .map_err(|_| format!("{s:?} is not a number")),
        _ => Err(format!("{s:?} is not a number")),
    }
}

/// `name{a="x",b="y"} value [timestamp]`.
fn parse_sample(line: &str) -> Result<Sample, String> {
    let name_end = line
        .find(['{', ' '])
        .ok_or_else(|| format!("no value: {line:?}"))?;
    let name = &line[..name_end];
    if !is_metric_name(name) {
        return Err(format!("bad metric name {name:?}"));
    }
    let mut rest = &line[name_end..];
    let mut labels = BTreeMap::new();
    if let Some(r) = rest.strip_prefix('{') {
        let mut chars = r.char_indices().peekable();
        let end = loop {
            // a label name up to '=', or the closing brace
            let start = match chars.peek() {
                Some((i, '}')) => break *i,
                Some((i, _)) => *i,
                None => return Err(format!("unclosed labels: {line:?}")),
            };
            let mut eq = None;
            for (i, c) in chars.by_ref() {
                if c == '=' {
                    eq = Some(i);
                    break;
                }
            }
            let eq = eq.ok_or_else(|| format!("label without '=': {line:?}"))?;
            let label = &r[start..eq];
            if !is_label_name(label) {
                return Err(format!("bad label name {label:?} in {line:?}"));
            }
            if chars.next().map(|(_, c)| c) != Some('"') {
                return Err(format!("label value not quoted: {line:?}"));
            }
            let mut value = String::new();
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => match chars.next().map(|(_, c)| c) {
                        Some('\\') => value.push('\\'),
                        Some('"') => value.push('"'),
                        Some('n') => value.push('\n'),
                        other => return Err(format!("bad escape \\{other:?} in {line:?}")),
                    },
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\n' => return Err(format!("raw line break in a label: {line:?}")),
                    c => value.push(c),
                }
            }
            if !closed {
                return Err(format!("unterminated label value: {line:?}"));
            }
            if labels.insert(label.to_string(), value).is_some() {
                return Err(format!("label {label} twice in {line:?}"));
            }
            match chars.next() {
                Some((_, ',')) => {}
                Some((i, '}')) => break i,
                _ => return Err(format!("expected ',' or '}}' in {line:?}")),
            }
        };
        rest = &r[end + 1..];
    }
    let rest = rest
        .strip_prefix(' ')
        .ok_or_else(|| format!("no space before the value: {line:?}"))?;
    let mut parts = rest.split(' ');
    let value = parse_value(parts.next().unwrap_or(""))?;
    if let Some(ts) = parts.next() {
        ts.parse::<i64>()
            .map_err(|_| format!("bad timestamp {ts:?} in {line:?}"))?;
    }
    if parts.next().is_some() {
        return Err(format!("trailing text in {line:?}"));
    }
    Ok(Sample {
        name: name.to_string(),
        labels,
        value,
    })
}

/// Which family a sample belongs to, given the families' kinds.
fn family_of<'a>(name: &'a str, families: &BTreeMap<String, Family>) -> Option<&'a str> {
    if families.contains_key(name) {
        return Some(name);
    }
    for suffix in ["_bucket", "_sum", "_count"] {
        if let Some(base) = name.strip_suffix(suffix) {
            if families.get(base).is_some_and(|f| f.kind == "histogram") {
                return Some(base);
            }
        }
    }
    None
}

/// Read a whole scrape, refusing anything Prometheus would refuse (and a little more: every
/// family typed, counters named `_total`, histograms whole).
fn parse_exposition(text: &str) -> Result<Scrape, String> {
    if !text.ends_with('\n') {
        return Err("the text does not end with a line break".into());
    }
    let mut scrape = Scrape::default();
    let mut closed: BTreeSet<String> = BTreeSet::new();
    let mut current: Option<String> = None;
    let mut series: BTreeSet<String> = BTreeSet::new();
    for line in text.lines() {
        if line.is_empty() {
            return Err("an empty line".into());
        }
        if let Some(comment) = line.strip_prefix("# ") {
            let (keyword, rest) = comment
                .split_once(' ')
                .ok_or_else(|| format!("bad comment {line:?}"))?;
            let (name, arg) = rest
                .split_once(' ')
                .ok_or_else(|| format!("bad {keyword} line {line:?}"))?;
            if !is_metric_name(name) {
                return Err(format!("bad metric name {name:?}"));
            }
            if closed.contains(name) {
                return Err(format!("family {name} comes back after another"));
            }
            if current.as_deref() != Some(name) {
                if let Some(c) = current.take() {
                    closed.insert(c);
                }
                current = Some(name.to_string());
            }
            let fam = scrape.families.entry(name.to_string()).or_default();
            match keyword {
                "HELP" => {
                    if fam.help.is_some() {
                        return Err(format!("two HELP lines for {name}"));
                    }
                    let mut help = String::new();
                    let mut chars = arg.chars();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => match chars.next() {
                                Some('\\') => help.push('\\'),
                                Some('n') => help.push('\n'),
                                other => return Err(format!("bad escape in HELP: {other:?}")),
                            },
                            c => help.push(c),
                        }
                    }
                    fam.help = Some(help);
                }
                "TYPE" => {
                    if !fam.kind.is_empty() {
                        return Err(format!("two TYPE lines for {name}"));
                    }
                    if !fam.samples.is_empty() {
                        return Err(format!("TYPE of {name} after its samples"));
                    }
                    if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&arg) {
                        return Err(format!("unknown type {arg:?}"));
                    }
                    fam.kind = arg.to_string();
                }
                other => return Err(format!("unknown comment keyword {other:?}")),
            }
            continue;
        }
        if line.starts_with('#') {
            return Err(format!("bad comment {line:?}"));
        }
        let sample = parse_sample(line)?;
        let family = family_of(&sample.name, &scrape.families)
            .ok_or_else(|| format!("{} has no TYPE line before it", sample.name))?
            .to_string();
        if current.as_deref() != Some(family.as_str()) {
            return Err(format!(
                "sample {} is not with its family's other lines",
                sample.name
            ));
        }
        let key = format!("{}{:?}", sample.name, sample.labels);
        if !series.insert(key.clone()) {
            return Err(format!("series {key} twice"));
        }
        scrape
            .families
            .get_mut(&family)
            .expect("family exists")
            .samples
            .push(sample);
    }
    for (name, fam) in &scrape.families {
        if fam.kind.is_empty() {
            return Err(format!("{name} has no TYPE"));
        }
        match fam.kind.as_str() {
            "counter" => {
                if !name.ends_with("_total") {
                    return Err(format!("counter {name} is not named _total"));
                }
                if let Some(s) = fam
                    .samples
                    .iter()
                    .find(|s| s.value.is_nan() || s.value < 0.0)
                {
                    return Err(format!("counter {name} is {}", s.value));
                }
            }
            "histogram" => check_histogram(name, fam)?,
            _ => {}
        }
    }
    Ok(scrape)
}

/// Per label set: buckets in rising order of `le`, counts never falling, the last `+Inf`
/// and equal to `_count`, and a `_sum`.
fn check_histogram(name: &str, fam: &Family) -> Result<(), String> {
    type Labels = BTreeMap<String, String>;
    let mut buckets: BTreeMap<Labels, Vec<(f64, f64)>> = BTreeMap::new();
    let mut sums: BTreeMap<Labels, f64> = BTreeMap::new();
    let mut counts: BTreeMap<Labels, f64> = BTreeMap::new();
    for s in &fam.samples {
        let mut labels = s.labels.clone();
        if s.name == format!("{name}_bucket") {
            let le = labels
                .remove("le")
                .ok_or_else(|| format!("{name}: a bucket without le"))?;
            let le = parse_value(&le)?;
            buckets.entry(labels).or_default().push((le, s.value));
        } else if s.name == format!("{name}_sum") {
            sums.insert(labels, s.value);
        } else if s.name == format!("{name}_count") {
            counts.insert(labels, s.value);
        } else {
            return Err(format!("{name}: stray sample {}", s.name));
        }
    }
    for (labels, bs) in &buckets {
        for w in bs.windows(2) {
            if w[1].0 <= w[0].0 {
                return Err(format!("{name}{labels:?}: le not rising"));
            }
            if w[1].1 < w[0].1 {
                return Err(format!("{name}{labels:?}: buckets not cumulative"));
            }
        }
        let last = bs.last().expect("a bucket");
        if last.0 != f64::INFINITY {
            return Err(format!("{name}{labels:?}: the last bucket is not +Inf"));
        }
        if counts.get(labels) != Some(&last.1) {
            return Err(format!("{name}{labels:?}: _count differs from +Inf"));
        }
        if !sums.contains_key(labels) {
            return Err(format!("{name}{labels:?}: no _sum"));
        }
    }
    if counts.len() != buckets.len() || sums.len() != buckets.len() {
        return Err(format!("{name}: _sum or _count without buckets"));
    }
    Ok(())
}

#[test]
fn the_parser_refuses_what_prometheus_would() {
    let good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n\
                # TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n";
    let s = parse_exposition(good).unwrap();
    assert_eq!(s.value("a_total", &[("x", "1")]), Some(2.0));
    assert_eq!(s.value("h_count", &[]), Some(2.0));
    for (bad, why) in [
        ("# TYPE a_total counter\na_total 1", "no final line break"),
        ("a 1\n", "no TYPE"),
        ("# TYPE a gauge\na{x=\"1} 1\n", "unterminated label"),
        ("# TYPE a gauge\na{x=\"\\q\"} 1\n", "bad escape"),
        ("# TYPE a gauge\na{1x=\"1\"} 1\n", "bad label name"),
        ("# TYPE a gauge\na one\n", "bad value"),
        ("# TYPE a gauge\na 1\na 2\n", "duplicate series"),
        ("# TYPE a gauge\n# TYPE b gauge\na 1\n", "sample away from its family"),
        ("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# HELP a again\n", "family reopened"),
        ("# TYPE a counter\na 1\n", "counter not _total"),
        ("# TYPE a_total counter\na_total -1\n", "negative counter"),
        (
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "not cumulative",
        ),
        (
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
            "no +Inf",
        ),
        (
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
            "count differs",
        ),
        (
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
            "no sum",
        ),
        ("# TYPE a gauge\n\na 1\n", "empty line"),
        ("# TYPE a wibble\n", "unknown type"),
    ] {
        assert!(parse_exposition(bad).is_err(), "accepted ({why}): {bad:?}");
    }
}

// ---------------------------------------------------------------------------------------

/// A client that opens a connection for each request: a sweep or a wait between two
/// requests can outlast the server's keep-alive (5 s), and a pooled connection the server
/// closes just as it is reused fails the request (hyper's `IncompleteMessage`).
fn unpooled() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

async fn scrape(app: &TestApp) -> Scrape {
    let res = unpooled()
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap_or_else(|e| panic!("scraping /metrics: {e:?}"));
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    let text = res.text().await.unwrap();
    parse_exposition(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn with_metrics(c: &mut Config) {
    c.metrics.enabled = true;
    c.metrics.token = Secret::new(TOKEN);
    c.mail.transport = "memory".into();
}

fn mailer(config: &Config) -> paani::mail::Mailer {
    paani::mail::Mailer::new(config).unwrap()
}

fn sweep(app: &TestApp, config: &Config, now: NaiveDateTime) -> paani::jobs::Report {
    paani::jobs::run(
        &app.db,
        config,
        &mailer(config),
        now,
        "cli",
        None,
        |_, _| {},
    )
    .unwrap()
}

/// An outbox row: due at `due`, tried `attempts` times, given up at `failed`.
fn outbox_row(
    app: &TestApp,
    n: i64,
    due: NaiveDateTime,
    attempts: i32,
    failed: Option<NaiveDateTime>,
) {
    diesel::insert_into(outbox::table)
        .values((
            outbox::to_addr.eq(format!("obs{n}@example.test")),
            outbox::subject.eq("Reminder"),
            outbox::body_text.eq("text"),
            outbox::body_html.eq("<p>html</p>"),
            outbox::message_id.eq(format!(
                "<obs.{n}.{}@example.test>",
                paani::auth::random_token()
            )),
            outbox::kind.eq("reminder"),
            outbox::attempts.eq(attempts),
            outbox::next_attempt_at.eq(due),
            outbox::failed_at.eq(failed),
            outbox::created_at.eq(due),
        ))
        .execute(&mut *app.conn())
        .unwrap();
}

#[tokio::test]
async fn metrics_count_requests_jobs_reminders_and_mail() {
    let app = TestApp::spawn_with(with_metrics).await;
    let config = {
        let mut c = crate::helpers::test_config(&app.test_db.url);
        with_metrics(&mut c);
        c
    };
    let gp = app.gp();
    let secretary = app.secretary_of(&gp);
    let _member = app.member_of(&gp);
    let household = app.household(&gp);
    scheme_in(&app, gp.lgd, "Obs");

    let before = scrape(&app).await;
    let requests = "paani_http_requests_total";
    let anon = app.browser();
    for _ in 0..2 {
        assert_eq!(anon.get("/login").await.status(), StatusCode::OK);
    }
    assert_eq!(
        anon.get("/no/such/page").await.status(),
        StatusCode::NOT_FOUND
    );
    let s = app.login_as(&secretary.username).await; // GET and POST /login
    let page = format!("/households/{household}");
    assert_eq!(s.get(&page).await.status(), StatusCode::OK);
    assert_eq!(
        s.get("/households/987654321").await.status(),
        StatusCode::NOT_FOUND
    );
    let after = scrape(&app).await;

    let moved = |labels: &[(&str, &str)]| {
        after.or_zero(requests, labels) - before.or_zero(requests, labels)
    };
    let get = |route: &'static str, status: &'static str| {
        [("route", route), ("method", "GET"), ("status", status)]
    };
    assert_eq!(moved(&get("/login", "200")), 3.0);
    assert_eq!(
        moved(&[("route", "/login"), ("method", "POST"), ("status", "303")]),
        1.0
    );
    assert_eq!(
        moved(&get("unmatched", "404")),
        1.0,
        "unknown paths are one series"
    );
    assert_eq!(moved(&get("/households/{id}", "200")), 1.0);
    assert_eq!(moved(&get("/households/{id}", "404")), 1.0);
    assert!(after.or_zero(requests, &get("/metrics", "200")) >= 1.0);
    assert!(
        after
            .samples(requests)
            .iter()
            .all(|s| !s.labels["route"].contains("987654321")),
        "paths never become labels"
    );
    let count = "paani_http_request_duration_seconds_count";
    let hh = [("route", "/households/{id}"), ("method", "GET")];
    assert_eq!(after.or_zero(count, &hh) - before.or_zero(count, &hh), 2.0);
    let inf = [
        ("route", "/households/{id}"),
        ("method", "GET"),
        ("le", "+Inf"),
    ];
    assert_eq!(
        after.value("paani_http_request_duration_seconds_bucket", &inf),
        after.value(count, &hh)
    );
    assert!(
        after
            .value("paani_http_request_duration_seconds_sum", &hh)
            .unwrap()
            > 0.0
    );

    assert_eq!(after.value("paani_db_pool_max_connections", &[]), Some(4.0));
    let pool = after.value("paani_db_pool_connections", &[]).unwrap();
    let idle = after.value("paani_db_pool_idle_connections", &[]).unwrap();
    assert!((1.0..=4.0).contains(&pool) && idle <= pool, "{pool} {idle}");
    assert_eq!(after.value("paani_database_up", &[]), Some(1.0));
    assert_eq!(
        after.value(
            "paani_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );
    // nothing has run yet: counters at zero, no times
    assert_eq!(
        after.value("paani_scheduler_sweeps_total", &[("result", "ok")]),
        Some(0.0)
    );
    assert!(after
        .samples("paani_job_last_success_timestamp_seconds")
        .is_empty());
    assert!(after
        .samples("paani_backup_last_success_timestamp_seconds")
        .is_empty());

    // a sweep three weeks on: the pump's tasks are overdue, reminders go out
    let at = app.clock.now() + Duration::days(21);
    let report = sweep(&app, &config, at);
    assert_eq!(report.status, "ok", "{:?}", report.errors);
    let raised: usize = report.counts.values().filter_map(|c| c.raised).sum();
    assert!(raised > 0, "{:?}", report.counts);
    let m = scrape(&app).await;
    let raised_metric: f64 = m
        .samples("paani_reminders_raised_total")
        .iter()
        .map(|s| s.value)
        .sum();
    assert_eq!(raised_metric, raised as f64);
    for (rule, c) in &report.counts {
        if let Some(r) = c.raised {
            assert_eq!(
                m.value("paani_reminders_raised_total", &[("rule", rule)]),
                Some(r as f64),
                "{rule}"
            );
        }
    }
    assert_eq!(
        m.value("paani_scheduler_sweeps_total", &[("result", "ok")]),
        Some(1.0)
    );
    let swept = m
        .value("paani_scheduler_last_sweep_timestamp_seconds", &[])
        .unwrap();
    let now = chrono::Utc::now().timestamp() as f64;
    assert!((now - swept).abs() < 120.0, "{now} {swept}");
    assert!(
        m.value("paani_scheduler_last_sweep_duration_seconds", &[])
            .unwrap()
            >= 0.0
    );
    for job in paani::jobs::names() {
        let ran = report
            .counts
            .get(job)
            .is_some_and(|c| c.skipped != Some(true));
        let ok = m.value("paani_job_runs_total", &[("job", job), ("result", "ok")]);
        assert_eq!(ok, Some(if ran { 1.0 } else { 0.0 }), "{job}");
        let last = m.value("paani_job_last_success_timestamp_seconds", &[("job", job)]);
        assert_eq!(last.is_some(), ran, "{job}");
        assert_eq!(
            m.value("paani_job_last_duration_seconds", &[("job", job)])
                .is_some(),
            ran,
            "{job}"
        );
    }

    // the mail queue: one waiting, one retrying, one given up
    let now = app.clock.now();
    outbox_row(&app, 1, now - Duration::minutes(5), 0, None);
    outbox_row(&app, 2, now + Duration::minutes(30), 2, None);
    outbox_row(
        &app,
        3,
        now - Duration::hours(3),
        8,
        Some(now - Duration::hours(1)),
    );
    let m = scrape(&app).await;
    assert_eq!(m.value("paani_mail_queue_messages", &[]), Some(2.0));
    assert_eq!(m.value("paani_mail_retrying_messages", &[]), Some(1.0));
    assert_eq!(m.value("paani_mail_given_up_total", &[]), Some(1.0));
    let due = m
        .value("paani_mail_oldest_due_timestamp_seconds", &[])
        .unwrap();
    let five_ago = (now - Duration::minutes(5)).and_utc().timestamp() as f64;
    assert!((due - five_ago).abs() < 1.0, "{due} {five_ago}");
    // the next sweep sends the one that is due
    let report = sweep(&app, &config, app.clock.now());
    assert_eq!(report.counts["mail_send"].done, Some(1));
    let m = scrape(&app).await;
    assert_eq!(m.value("paani_mail_sent_total", &[]), Some(1.0));
    assert_eq!(m.value("paani_mail_queue_messages", &[]), Some(1.0));

    // a failing job: a table two rules read is gone
    let drop = match app.test_db.backend() {
        paani::db::Backend::Postgres => "DROP TABLE payments CASCADE",
        paani::db::Backend::Sqlite => "DROP TABLE payments",
    };
    diesel::sql_query(drop).execute(&mut *app.conn()).unwrap();
    let report = sweep(&app, &config, app.clock.now());
    assert_eq!(report.status, "failed");
    let m = scrape(&app).await;
    assert_eq!(
        m.value("paani_scheduler_sweeps_total", &[("result", "failed")]),
        Some(1.0)
    );
    for job in report.errors.keys() {
        assert_eq!(
            m.value(
                "paani_job_runs_total",
                &[("job", job), ("result", "failed")]
            ),
            Some(1.0),
            "{job}"
        );
        assert!(m
            .value("paani_job_last_failure_timestamp_seconds", &[("job", job)])
            .is_some());
    }
}

#[tokio::test]
async fn metrics_are_refused_without_the_token_and_absent_when_off() {
    let off = TestApp::spawn().await;
    let res = off
        .client
        .get(off.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "off by default");

    let app = TestApp::spawn_with(with_metrics).await;
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let body = res.text().await.unwrap();
    assert!(!body.contains("paani_"), "{body}");
    for wrong in ["scrape-token-0123456780", "", TOKEN.trim_end_matches('9')] {
        let res = app
            .client
            .get(app.url("/metrics"))
            .header("authorization", format!("Bearer {wrong}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
    }
    // a session cookie is no token
    let admin = app.add_user("obs-admin", "admin", None);
    let b = app.login_as(&admin.username).await;
    assert_eq!(b.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    scrape(&app).await;

    // on the main address a token is required; a short one is refused
    let load = |pairs: &[(&str, &str)]| {
        Config::load(&Sources {
            file: None,
            env: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    };
    let e = load(&[("PAANI__METRICS__ENABLED", "true")]).unwrap_err();
    assert!(e.to_string().contains("metrics.token"), "{e}");
    let e = load(&[
        ("PAANI__METRICS__ENABLED", "true"),
        ("PAANI__METRICS__TOKEN", "short"),
    ])
    .unwrap_err();
    assert!(e.to_string().contains("at least 16"), "{e}");
    load(&[
        ("PAANI__METRICS__ENABLED", "true"),
        ("PAANI__METRICS__LISTEN", "127.0.0.1:9180"),
    ])
    .expect("a separate address needs no token");
    let c = load(&[
        ("PAANI__METRICS__ENABLED", "true"),
        ("PAANI__METRICS__TOKEN", TOKEN),
    ])
    .unwrap();
    assert!(
        !c.redacted_toml().contains(TOKEN),
        "the token is never printed"
    );
    assert!(!format!("{c:?}").contains(TOKEN));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn metrics_on_an_address_of_their_own() {
    let port = free_port();
    let app = TestApp::spawn_with(|c| {
        c.metrics.enabled = true;
        c.metrics.listen = format!("127.0.0.1:{port}");
    })
    .await;
    let metrics = |path: &str| format!("http://127.0.0.1:{port}{path}");
    // the main address has no /metrics; the pages are there
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // the metrics' address: /metrics without a token, /healthz, and nothing else
    let res = app.client.get(metrics("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let scrape = parse_exposition(&res.text().await.unwrap()).unwrap();
    assert_eq!(
        scrape.value(
            "paani_http_requests_total",
            &[("route", "/login"), ("method", "GET"), ("status", "200")]
        ),
        Some(1.0)
    );
    let res = app.client.get(metrics("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    for path in ["/login", "/", "/api/v1/me", "/static/paani.css"] {
        let res = app.client.get(metrics(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn metrics_token_still_applies_on_their_own_address_when_set() {
    let port = free_port();
    let app = TestApp::spawn_with(|c| {
        with_metrics(c);
        c.metrics.listen = format!("127.0.0.1:{port}");
    })
    .await;
    let url = format!("http://127.0.0.1:{port}/metrics");
    let res = app.client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app
        .client
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------------

fn is_generated_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn request_id(app: &TestApp, sent: Option<&str>) -> String {
    let mut req = app.client.get(app.url("/login"));
    if let Some(s) = sent {
        req = req.header("x-request-id", s);
    }
    let res = req.send().await.unwrap();
    res.headers()["x-request-id"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn request_ids_from_a_trusted_proxy_are_kept_others_replaced() {
    let behind = TestApp::spawn_with(|c| c.server.trusted_proxies = vec!["127.0.0.1".into()]).await;
    for kept in [
        "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "0af7651916cd43dd8448eb211c80319c",
        "edge.42_a",
    ] {
        assert_eq!(request_id(&behind, Some(kept)).await, kept);
    }
    let long = "x".repeat(65);
    for malformed in ["two words", "quote\"d", "a;b", long.as_str()] {
        let got = request_id(&behind, Some(malformed)).await;
        assert!(is_generated_id(&got), "{malformed:?} → {got}");
    }
    let fresh = request_id(&behind, None).await;
    assert!(is_generated_id(&fresh));

    // a client that is not a trusted proxy cannot choose its id
    let direct = TestApp::spawn_with(|c| c.server.trusted_proxies = vec!["10.0.0.1".into()]).await;
    let got = request_id(&direct, Some("6ba7b810-9dad-11d1-80b4-00c04fd430c8")).await;
    assert!(is_generated_id(&got), "{got}");
    assert_ne!(
        request_id(&direct, None).await,
        got,
        "each request its own id"
    );
}

// ---------------------------------------------------------------------------------------

/// `paani serve` as a child process, logging JSON to a pipe.
struct Served {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start(url: &str) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_paani"))
            .args(["serve", "--database", url, "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .env_remove("NO_COLOR")
            .env_remove("PAANI_CONFIG")
            .env("PAANI__LOG__FORMAT", "json")
            .env("PAANI__JOBS__ENABLED", "false")
            .env("PAANI__SERVER__WORKERS", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        Served {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stop it and return everything it wrote to stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let out = self.child.wait_with_output().unwrap();
        String::from_utf8(out.stderr).expect("the log is UTF-8")
    }
}

#[tokio::test]
async fn the_json_log_has_one_access_line_per_request_and_no_secrets() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let member = app.member_of(&gp);
    let served = Served::start(&app.test_db.url);
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // (request id, status, user id) of every answered request
    let mut sent: Vec<(String, u16, Option<i64>)> = Vec::new();
    let note = |res: &reqwest::Response, user: Option<i64>, sent: &mut Vec<_>| {
        let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
        sent.push((id, res.status().as_u16(), user));
    };
    let mut ready = false;
    for _ in 0..300 {
        if let Ok(res) = client.get(served.url("/healthz")).send().await {
            note(&res, None, &mut sent);
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if !ready {
        panic!("paani serve did not start:\n{}", served.stop());
    }

    let res = client.get(served.url("/login")).send().await.unwrap();
    note(&res, None, &mut sent);
    let csrf = crate::helpers::extract_csrf(&res.text().await.unwrap()).unwrap();
    let wrong = "Wr0ng-but-secret-4711";
    let res = client
        .post(served.url("/login"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", &member.username),
            ("password", wrong),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    note(&res, None, &mut sent);
    let res = client
        .post(served.url("/login"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", &member.username),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("paani_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    note(&res, None, &mut sent);
    let res = client.get(served.url("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    note(&res, Some(member.id), &mut sent);
    // a phone number in a query string
    let phone = "9876501234";
    let res = client
        .get(served.url(&format!("/c/status?number=XX-B1&phone={phone}")))
        .send()
        .await
        .unwrap();
    note(&res, Some(member.id), &mut sent);
    // an API token, and a call with it
    let api = reqwest::Client::new();
    let res = api
        .post(served.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": member.username, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    note(&res, None, &mut sent);
    let token = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let res = api
        .get(served.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    note(&res, Some(member.id), &mut sent);
    // a form without its CSRF token: refused, and the warning names the request
    let res = api
        .post(served.url("/login"))
        .form(&[
            ("username", member.username.as_str()),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    note(&res, None, &mut sent);
    let refused = sent.last().unwrap().0.clone();
    // a client's own request id is not taken (no trusted proxy here)
    let res = api
        .get(served.url("/nowhere?phone=9876501234"))
        .header("x-request-id", "client-chosen-id")
        .send()
        .await
        .unwrap();
    note(&res, None, &mut sent);
    assert_ne!(sent.last().unwrap().0, "client-chosen-id");

    let log = served.stop();
    assert!(!log.contains('\u{1b}'), "colour codes in a pipe:\n{log}");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let access: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["target"] == "paani::access")
        .collect();
    assert_eq!(access.len(), sent.len(), "one line per request:\n{log}");
    for (id, status, user) in &sent {
        let mine: Vec<_> = access.iter().filter(|l| l["request_id"] == *id).collect();
        assert_eq!(mine.len(), 1, "{id}:\n{log}");
        let l = mine[0];
        assert_eq!(l["status"], *status, "{l}");
        assert_eq!(l["level"], "INFO");
        assert!(l["method"].is_string() && l["route"].is_string(), "{l}");
        assert!(l["duration_ms"].as_f64().is_some_and(|d| d >= 0.0), "{l}");
        assert!(l["timestamp"].is_string());
        match user {
            Some(u) => assert_eq!(l["user_id"], *u, "{l}"),
            None => assert!(l.get("user_id").is_none(), "{l}"),
        }
    }
    let warning = lines
        .iter()
        .find(|l| l["level"] == "WARN" && l["span"]["request_id"] == refused.as_str())
        .unwrap_or_else(|| panic!("no warning inside request {refused}:\n{log}"));
    assert_eq!(warning["target"], "paani::web::session", "{warning}");
    let routes: BTreeSet<&str> = access.iter().filter_map(|l| l["route"].as_str()).collect();
    for r in [
        "/healthz",
        "/login",
        "/",
        "/c/status",
        "/api/v1/auth/token",
        "/api/v1/me",
        "unmatched",
    ] {
        assert!(routes.contains(r), "{r} in {routes:?}");
    }
    for secret in [DEMO_PASSWORD, wrong, phone, &session, &csrf, &token] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
}

// ---------------------------------------------------------------------------------------

async fn health(app: &TestApp) -> (StatusCode, serde_json::Value) {
    let res = unpooled().get(app.url("/healthz")).send().await.unwrap();
    (res.status(), res.json().await.unwrap())
}

fn checks(v: &serde_json::Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["check"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn health_is_degraded_with_reasons_and_mends() {
    let adjust = |c: &mut Config| {
        c.jobs.enabled = true;
        c.jobs.interval_seconds = 1;
        c.health.scheduler_missed_sweeps = 2;
        c.health.mail_due_minutes = 60;
        c.health.mail_failing = 3;
        c.mail.transport = "memory".into();
    };
    let app = TestApp::spawn_with(adjust).await;
    let mut config = crate::helpers::test_config(&app.test_db.url);
    adjust(&mut config);
    let (status, v) = health(&app).await;
    assert_eq!(
        (status, v["status"].as_str()),
        (StatusCode::OK, Some("ok")),
        "{v}"
    );
    assert_eq!(v["reasons"], serde_json::json!([]));

    // an e-mail due two hours ago and not sent
    let now = app.clock.now();
    outbox_row(&app, 1, now - Duration::hours(2), 0, None);
    let (status, v) = health(&app).await;
    assert_eq!(status, StatusCode::OK, "degraded is still 200");
    assert_eq!(v["status"], "degraded");
    assert_eq!(checks(&v), ["mail"], "{v}");
    assert!(
        v["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("120 minutes"),
        "{v}"
    );

    // and a scheduler that has not finished a sweep in two intervals since the start
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let (_, v) = health(&app).await;
    assert_eq!(checks(&v), ["scheduler", "mail"], "{v}");

    // a sweep sends the mail: all is well again
    let r = sweep(&app, &config, app.clock.now());
    assert_eq!(r.status, "ok", "{:?}", r.errors);
    let (_, v) = health(&app).await;
    assert_eq!(v["status"], "ok", "{v}");

    // failures piling up: two waiting to retry, one given up today, one given up long ago
    let now = app.clock.now();
    outbox_row(&app, 2, now + Duration::minutes(10), 1, None);
    outbox_row(&app, 3, now + Duration::minutes(20), 3, None);
    outbox_row(
        &app,
        4,
        now - Duration::hours(30),
        8,
        Some(now - Duration::days(3)),
    );
    let (_, v) = health(&app).await;
    assert_eq!(
        v["status"], "ok",
        "two failing and an old one are fewer than three: {v}"
    );
    outbox_row(
        &app,
        5,
        now - Duration::hours(2),
        8,
        Some(now - Duration::hours(1)),
    );
    let (_, v) = health(&app).await;
    assert_eq!(checks(&v), ["mail"], "{v}");
    assert!(
        v["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("3 e-mails are failing"),
        "{v}"
    );

    // a server that does not run the scheduler does not report it
    let quiet = TestApp::spawn_with(|c| {
        c.jobs.enabled = false;
        c.jobs.interval_seconds = 1;
        c.health.scheduler_missed_sweeps = 1;
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (_, v) = health(&quiet).await;
    assert_eq!(v["status"], "ok", "{v}");
}

#[tokio::test]
async fn health_is_503_when_no_database_connection_can_be_had() {
    let app = TestApp::spawn_with(|c| {
        c.database.pool_size = 1;
        c.database.connect_timeout_secs = 1;
    })
    .await;
    assert_eq!(health(&app).await.0, StatusCode::OK);
    let held = app.conn();
    let res = unpooled().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["status"], "error");
    drop(held);
    assert_eq!(health(&app).await.0, StatusCode::OK);
}

/// The backup area's newest file feeds `/metrics` and `/healthz`: no gauge and no check before
/// the first backup, the gauge at its time after, and a backup older than
/// `health.backup_max_age_hours` makes the health degraded until a new one is taken.
#[tokio::test]
async fn the_newest_backup_is_measured_and_an_old_one_degrades_health() {
    use paani::backup::{service, Kind};
    let app = TestApp::spawn_with(|c| {
        with_metrics(c);
        c.health.backup_max_age_hours = 26;
    })
    .await;
    let m = scrape(&app).await;
    assert!(m
        .samples("paani_backup_last_success_timestamp_seconds")
        .is_empty());
    let (_, v) = health(&app).await;
    assert_eq!(v["status"], "ok", "{v}");

    // a backup taken three days ago (its name holds its time)
    let then = app.clock.now() - Duration::days(3);
    service::make(&app.config, Kind::Manual, None, then, &mut service::Quiet).unwrap();
    let m = scrape(&app).await;
    let at = m.value("paani_backup_last_success_timestamp_seconds", &[]);
    assert_eq!(at, Some(then.and_utc().timestamp() as f64));
    let (status, v) = health(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(checks(&v), ["backup"], "{v}");
    assert!(
        v["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("72 hours"),
        "{v}"
    );

    // today's backup mends it
    let now = app.clock.now();
    service::make(&app.config, Kind::Manual, None, now, &mut service::Quiet).unwrap();
    let (_, v) = health(&app).await;
    assert_eq!(v["status"], "ok", "{v}");
    let m = scrape(&app).await;
    let at = m
        .value("paani_backup_last_success_timestamp_seconds", &[])
        .unwrap();
    assert!((at - now.and_utc().timestamp() as f64).abs() <= 1.0, "{at}");
}
