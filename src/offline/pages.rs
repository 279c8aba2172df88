//! The installable app's own pages: the manifest, the service worker (served from the root,
//! so its scope is the whole site), the outbox page's shell (filled by `static/offline.js`
//! from the phone's IndexedDB) and the session's CSRF token for resending queued forms.

use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::web::render::Ui;
use crate::web::StaticFiles;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/manifest.webmanifest", web::get().to(manifest))
        .route("/sw.js", web::get().to(service_worker))
        .route("/outbox", web::get().to(outbox_page))
        .route("/offline/token", web::get().to(token))
        .route("/offline/data.json", web::get().to(super::api::api_data));
}

/// The app's colour (the drop of the favicon).
pub const THEME_COLOR: &str = "#0b6e99";

/// The web app manifest: what Chrome needs to offer "Install app" / "Add to Home screen".
async fn manifest() -> HttpResponse {
    let icon = |src: &str, size: &str, purpose: &str| json!({"src": src, "sizes": size, "type": "image/png", "purpose": purpose});
    let body = json!({
        "name": "Paani / पानी",
        "short_name": "Paani",
        "description": "Operation & maintenance for village water committees",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "icons": [
            icon("/static/icons/icon-192.png", "192x192", "any"),
            icon("/static/icons/icon-512.png", "512x512", "any"),
            icon("/static/icons/maskable-192.png", "192x192", "maskable"),
            icon("/static/icons/maskable-512.png", "512x512", "maskable"),
        ],
    });
    HttpResponse::Ok()
        .content_type("application/manifest+json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(body.to_string())
}

/// `static/sw.js` at the root: a worker's scope is at most its own folder. Never cached by
/// the browser's HTTP cache, so a new version is found at the next visit.
async fn service_worker() -> AppResult<HttpResponse> {
    let f = StaticFiles::get("sw.js").ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("Service-Worker-Allowed", "/"))
        .body(f.data.into_owned()))
}

/// The outbox: a shell the service worker keeps; the list itself is on the phone.
async fn outbox_page(ui: Ui, _actor: Actor) -> AppResult<HttpResponse> {
    ui.render("offline/outbox", "outbox-title", json!({}))
}

/// `{"csrf": "…", "user_id": …}`: the session's token, which the outbox sends as `X-CSRF-Token` (the token
/// in a page kept for days may belong to an older session), and whose session it is (a
/// form queued by one user is never sent in another's session). 401 without a session.
async fn token(ui: Ui, actor: Actor) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"csrf": ui.identity.csrf, "user_id": actor.user.id}))
}
