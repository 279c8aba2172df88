//! `/api/v1/auth/token` and `/api/v1/me` (API tokens and who holds them), and
//! `/api/v1/users` (the administrators' user accounts).

use super::model::{self, User, UserFilter};
use super::{service, Actor, Role, UserInput, Verb};
use crate::error::{AppResult, FieldErrors};
use crate::places::Place;
use crate::web::pagination::ApiPage;
use crate::web::session::client_ip;
use crate::web::sync::{Listing, SyncQuery};
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

crate::endpoints!(
    api_issue_token,
    api_revoke_token,
    api_me,
    api_list,
    api_create,
    api_get,
    api_update
);

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Shown once; stored only as a hash.
    pub token: String,
    #[serde(with = "crate::clock::utc")]
    pub expires_at: NaiveDateTime,
}

/// Exchange a username and password for an API token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Token issued", body = TokenResponse),
        (status = 401, description = "Wrong username or password", content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", content_type = "application/problem+json"),
    ))]
pub async fn api_issue_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<serde_json::Value>,
) -> AppResult<HttpResponse> {
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (username, pw) = (field("username"), field("password"));
    let mut errors = FieldErrors::new();
    if username.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errors.add("username", "field-required");
    }
    if pw.as_deref().is_none_or(str::is_empty) {
        errors.add("password", "field-required");
    }
    errors.into_result()?;
    let (ip, username, pw) = (
        client_ip(&req),
        username.unwrap_or_default(),
        pw.unwrap_or_default(),
    );
    let (token, expires_at) = state
        .service(move |ctx| service::issue_token(ctx, &username, &pw, &ip))
        .await?;
    Ok(HttpResponse::Created().json(TokenResponse { token, expires_at }))
}

/// Revoke the token used for this request.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Revoked"), (status = 401, description = "No valid token")))]
pub async fn api_revoke_token(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let ip = client_ip(&req);
    state
        .service(move |ctx| service::revoke_token(ctx, &actor, &ip))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub lang: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The place the user's scope is (none for admins: everything).
    pub place_id: Option<i64>,
}

impl From<&Actor> for Me {
    fn from(a: &Actor) -> Me {
        Me {
            id: a.user.id,
            username: a.user.username.clone(),
            display_name: a.user.display_name.clone(),
            role: a.role,
            lang: a.user.lang.clone(),
            phone: a.user.phone.clone(),
            email: a.user.email.clone(),
            place_id: a.user.place_id,
        }
    }
}

/// The user behind the token.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, description = "No valid token")))]
pub async fn api_me(actor: Actor) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Me::from(&actor)))
}

// ---- users ----

/// A user as the API shows it (never the password hash).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: Role,
    pub place_id: Option<i64>,
    pub place_lgd_code: Option<i64>,
    pub place_name: Option<String>,
    pub lang: String,
    pub active: bool,
    #[serde(with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
}

impl UserView {
    pub fn new(u: &User, place: Option<&Place>) -> UserView {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            phone: u.phone.clone(),
            email: u.email.clone(),
            role: u.role(),
            place_id: u.place_id,
            place_lgd_code: place.map(|p| p.lgd_code),
            place_name: place.map(|p| p.name.clone()),
            lang: u.lang.clone(),
            active: u.active,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// List users (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(UserFilter, SyncQuery),
    responses((status = 200, body = ApiPage<UserView>), (status = 400), (status = 401), (status = 403)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    listing: Listing,
    q: web::Query<UserFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let mut f = q.into_inner();
    f.changes = listing.changes;
    let page = listing.page(f.page);
    let (rows, total) = state
        .db
        .run(move |c| model::list_users(c, &f, page))
        .await?;
    let items = rows
        .iter()
        .map(|(u, p)| UserView::new(u, p.as_ref()))
        .collect();
    // accounts are never deleted (deactivated instead)
    let key = |u: &UserView| (u.updated_at, u.id);
    Ok(HttpResponse::Ok().json(listing.finish(items, page, total, key, vec![])))
}

/// Create a user (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = UserInput,
    responses((status = 201, body = UserView), (status = 401), (status = 403),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_create(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    body: web::Json<UserInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let (ip, input) = (client_ip(&req), body.into_inner());
    let (u, p) = state
        .service(move |ctx| service::create_user(ctx, &actor, &ip, input))
        .await?;
    Ok(HttpResponse::Created().json(UserView::new(&u, p.as_ref())))
}

/// One user (admin).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 401), (status = 403), (status = 404)))]
pub async fn api_get(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, p) = state.db.run(move |c| model::find_with_place(c, id)).await?;
    Ok(HttpResponse::Ok().json(UserView::new(&u, p.as_ref())))
}

/// Change a user's fields (admin). Send all account fields; `active` (de)activates.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "Field errors", content_type = "application/problem+json")))]
pub async fn api_update(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<UserPatch>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let patch = body.into_inner();
    let ip = client_ip(&req);
    let (u, p) = state.db.run(move |c| model::find_with_place(c, id)).await?;
    // Without a new code, the current place keeps its level (codes are unique per level only).
    let place_level = match (&patch.place_level, &patch.place_lgd_code, &p) {
        (Some(l), _, _) => l.clone(),
        (None, None, Some(place)) => place.level.clone(),
        _ => String::new(),
    };
    let input = UserInput {
        username: patch.username.unwrap_or(u.username.clone()),
        display_name: patch.display_name.unwrap_or(u.display_name.clone()),
        phone: patch.phone.unwrap_or(u.phone.clone().unwrap_or_default()),
        email: patch.email.unwrap_or(u.email.clone().unwrap_or_default()),
        role: patch.role.unwrap_or(u.role.clone()),
        place_lgd_code: patch.place_lgd_code.unwrap_or(
            p.as_ref()
                .map(|p| p.lgd_code.to_string())
                .unwrap_or_default(),
        ),
        place_level,
        place_pick: String::new(),
        lang: patch.lang.unwrap_or(u.lang.clone()),
        password: String::new(),
    };
    let active = patch.active;
    let (u, p) = state
        .service(move |ctx| service::update_user(ctx, &actor, &ip, id, input, active))
        .await?;
    Ok(HttpResponse::Ok().json(UserView::new(&u, p.as_ref())))
}

/// Fields to change; those left out keep their value.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct UserPatch {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub place_lgd_code: Option<String>,
    /// Only needed when the LGD code is ambiguous (a state and a district share it).
    pub place_level: Option<String>,
    pub lang: Option<String>,
    pub active: Option<bool>,
}
