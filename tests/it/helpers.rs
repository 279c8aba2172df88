//! `TestApp`: the real server on a random port, over a fresh SQLite file, or a fresh
//! PostgreSQL database when `PAANI_TEST_POSTGRES_URL` is set (created and dropped here).

use diesel::prelude::*;
use paani::clock::Clock;
use paani::config::{Config, Secret};
use paani::db::{Backend, Db};
use reqwest::{redirect, Client, Response, StatusCode};
use std::net::TcpListener;

pub const DEMO_PASSWORD: &str = "paani-demo-2024";
pub const ROLES: [&str; 6] = [
    "admin",
    "officer",
    "engineer",
    "secretary",
    "member",
    "analyst",
];

/// A fresh, empty database of the backend under test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub fn new() -> TestDb {
        match std::env::var("PAANI_TEST_POSTGRES_URL")
            .ok()
            .filter(|s| !s.is_empty())
        {
            Some(admin) => {
                let raw = paani::auth::random_token()
                    .to_lowercase()
                    .replace(['-', '_'], "");
                let name = format!("paani_test_{}", &raw[..16]);
                let mut c = diesel::PgConnection::establish(&admin)
                    .unwrap_or_else(|e| panic!("PAANI_TEST_POSTGRES_URL {admin} unreachable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap_or(admin.clone());
                TestDb {
                    url: format!("{base}/{name}"),
                    _dir: None,
                    pg: Some((admin, name)),
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("paani.db").display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    pg: None,
                }
            }
        }
    }

    pub fn backend(&self) -> Backend {
        if self.pg.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            if let Ok(mut c) = diesel::PgConnection::establish(admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c);
            }
        }
    }
}

pub fn test_config(url: &str) -> Config {
    let mut config = Config::defaults();
    config.database.url = url.to_string();
    config.database.pool_size = 4;
    config.server.workers = 1;
    config.auth.session_key = Secret::new("test-session-key-0123456789abcdef");
    // a sweep makes no backup unless a test asks for one (and says where)
    config.backup.enabled = false;
    config
}

pub struct TestApp {
    /// The data folder: uploaded photos, the mail outbox and backups go here.
    pub files: tempfile::TempDir,
    /// The configuration the app runs with.
    pub config: Config,
    pub addr: String,
    pub db: Db,
    pub clock: Clock,
    pub client: Client,
    pub test_db: TestDb,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let test_db = TestDb::new();
        let files = tempfile::tempdir().expect("temp dir");
        let mut config = test_config(&test_db.url);
        let under = |p: &str| files.path().join(p).to_string_lossy().into_owned();
        config.storage.data_dir = under("");
        config.storage.photos_dir = under("photos");
        config.mail.file_dir = under("outbox");
        config.backup.dir = under("backups");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = format!("http://{}", listener.local_addr().unwrap());
        // links that leave the server point here, as in a real set-up
        config.server.listen = listener.local_addr().unwrap().to_string();
        config.server.base_url = addr.clone();
        adjust(&mut config);
        let db = Db::connect(&config.database).expect("connect");
        db.migrate().expect("migrate");
        let clock = Clock::system();
        let state = paani::app::state(config.clone(), db.clone(), clock.clone()).expect("state");
        let server = paani::app::serve(listener, state).expect("serve");
        tokio::spawn(server);
        TestApp {
            files,
            config,
            addr,
            db,
            clock,
            client: new_client(),
            test_db,
        }
    }

    /// The app with the demo data set.
    pub async fn with_demo() -> TestApp {
        let app = Self::spawn().await;
        paani::demo::seed(&app.db, &app.clock).expect("demo seed");
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    /// A browser-like client of its own (cookies, no automatic redirects).
    pub fn browser(&self) -> Browser {
        Browser {
            client: new_client(),
            addr: self.addr.clone(),
        }
    }

    /// A browser logged in as `username`.
    pub async fn login_as(&self, username: &str) -> Browser {
        let b = self.browser();
        let res = b.login(username, DEMO_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login as {username}");
        b
    }

    pub async fn api_token(&self, username: &str) -> String {
        let res = self
            .client
            .post(self.url("/api/v1/auth/token"))
            .json(&serde_json::json!({"username": username, "password": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let v: serde_json::Value = res.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    pub fn conn(&self) -> paani::db::PooledConn {
        self.db.conn().unwrap()
    }

    /// Add a place through the model (factory).
    pub fn add_place(
        &self,
        level: paani::places::Level,
        lgd: i64,
        name: &str,
        parent: Option<i64>,
    ) -> paani::places::Place {
        let mut c = self.conn();
        paani::places::model::create(
            &mut c,
            &paani::places::NewPlace {
                level,
                lgd_code: lgd,
                name: name.into(),
                name_hi: None,
                parent_lgd_code: parent,
            },
            self.clock.now(),
        )
        .expect("add place")
    }

    /// Add a user with the demo password (factory).
    pub fn add_user(
        &self,
        username: &str,
        role: &str,
        place_lgd: Option<i64>,
    ) -> paani::auth::User {
        let mut c = self.conn();
        let input = paani::auth::UserInput {
            username: username.into(),
            display_name: format!("{username} test"),
            role: role.into(),
            place_lgd_code: place_lgd.map(|l| l.to_string()).unwrap_or_default(),
            lang: "en".into(),
            password: DEMO_PASSWORD.into(),
            ..Default::default()
        };
        let v = paani::auth::service::validate(&mut c, &input, None, 10)
            .unwrap()
            .expect("valid user");
        let hash = paani::auth::password::hash(DEMO_PASSWORD).unwrap();
        paani::auth::model::create(&mut c, &v, &hash, self.clock.now()).unwrap()
    }

    pub fn place_id(&self, level: paani::places::Level, lgd: i64) -> i64 {
        let mut c = self.conn();
        paani::places::model::by_lgd(&mut c, level, lgd)
            .unwrap()
            .expect("place")
            .id
    }

    pub fn count(&self, table: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = self.conn();
        let q = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}");
        let r: N = paani::on_backend!(&mut *c, |c| diesel::sql_query(&q).get_result(c)).unwrap();
        r.n
    }
}

fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        // the server closes a kept-alive connection after 5 s idle: never reuse one that old,
        // or a request sent as it closes fails with IncompleteMessage on a loaded machine
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

/// One browser: its own cookie jar.
pub struct Browser {
    pub client: Client,
    pub addr: String,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.text().await.unwrap())
    }

    /// The CSRF token the server put into a page's forms.
    pub async fn csrf(&self, path: &str) -> String {
        let (_, body) = self.get_text(path).await;
        extract_csrf(&body).unwrap_or_else(|| panic!("no CSRF token on {path}"))
    }

    /// POST a form, taking the CSRF token from `/account` (logged in) or `/login`.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let (s, body) = self.get_text("/account").await;
        let token = if s == StatusCode::OK {
            extract_csrf(&body)
        } else {
            None
        };
        let token = match token {
            Some(t) => t,
            None => self.csrf("/login").await,
        };
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// [`Browser::post_form`] with fields built at run time (owned names and values).
    pub async fn post_pairs(&self, path: &str, fields: &[(String, String)]) -> Response {
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post_form(path, &refs).await
    }

    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        let token = self.csrf("/login").await;
        self.client
            .post(self.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
    }
}

pub fn extract_csrf(body: &str) -> Option<String> {
    let i = body.find("name=\"_csrf\" value=\"")?;
    let rest = &body[i + 20..];
    Some(rest[..rest.find('"')?].to_string())
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A JSON API call with a bearer token: GET, PATCH or POST (any other method).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let req = match method {
        "GET" => app.client.get(app.url(path)),
        "PATCH" => app.client.patch(app.url(path)).json(&body),
        _ => app.client.post(app.url(path)).json(&body),
    };
    let r = req.bearer_auth(token).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// [`call`] with GET.
pub async fn get_json(app: &TestApp, token: &str, path: &str) -> (StatusCode, serde_json::Value) {
    call(app, token, "GET", path, serde_json::Value::Null).await
}

/// The page with its cells' attributes dropped (`<td data-label="…">` → `<td>`), to read a
/// table's rows whatever labels a phone's cards carry.
pub fn plain_cells(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("<td ") {
        out.push_str(&rest[..i]);
        out.push_str("<td>");
        rest = &rest[i..];
        rest = &rest[rest.find('>').map_or(rest.len(), |j| j + 1)..];
    }
    out.push_str(rest);
    out
}
