//! Admin pages and API for user accounts: list, create, edit, deactivate, reset password.

use super::model::{self, User, UserFilter};
use super::users::{self, UserInput};
use super::{password, Actor, Role, Verb};
use crate::audit::{self, Event};
use crate::error::{AppError, AppResult};
use crate::places::{Level, Place};
use crate::web::pagination::{query_string, ApiPage, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(list_page))
        .route("/admin/users.csv", web::get().to(list_csv))
        .route("/admin/users", web::post().to(create_submit))
        .route("/admin/users/new", web::get().to(new_page))
        .route("/admin/users/{id}/edit", web::get().to(edit_page))
        .route("/admin/users/{id}", web::post().to(edit_submit))
        .route(
            "/admin/users/{id}/deactivate",
            web::get().to(deactivate_page),
        )
        .route(
            "/admin/users/{id}/deactivate",
            web::post().to(deactivate_submit),
        )
        .route(
            "/admin/users/{id}/activate",
            web::post().to(activate_submit),
        )
        .route("/admin/users/{id}/password", web::get().to(password_page))
        .route(
            "/admin/users/{id}/password",
            web::post().to(password_submit),
        )
        .route("/api/v1/users", web::get().to(api_list))
        .route("/api/v1/users", web::post().to(api_create))
        .route("/api/v1/users/{id}", web::get().to(api_get))
        .route("/api/v1/users/{id}", web::patch().to(api_update));
}

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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UserView {
    fn new(u: &User, place: Option<&Place>) -> UserView {
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

fn load_with_place(conn: &mut crate::db::DbConn, id: i64) -> AppResult<(User, Option<Place>)> {
    let u = model::find_user(conn, id)?;
    let p = match u.place_id {
        Some(pid) => Some(crate::places::model::find(conn, pid)?),
        None => None,
    };
    Ok((u, p))
}

fn roles_json() -> Value {
    Value::Array(
        Role::ALL
            .iter()
            .map(|r| json!({"value": r.as_str(), "label": format!("role-{}", r.as_str())}))
            .collect(),
    )
}

fn form_data(input: &UserInput, id: Option<i64>) -> Value {
    let place_levels: Vec<Value> = [Level::State, Level::District, Level::Block, Level::Gp]
        .iter()
        .map(|l| json!({"value": l.as_str(), "label": l.label_key()}))
        .collect();
    json!({"form": input, "user_id": id, "roles": roles_json(), "is_new": id.is_none(), "place_levels": place_levels})
}

/// User accounts with the same filters, as CSV (no secrets: names, roles, places, status).
async fn list_csv(ui: Ui, actor: Actor, q: web::Query<UserFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let mut f = q.into_inner();
    f.page = None;
    let header = [
        "username",
        "display_name",
        "role",
        "place_lgd_code",
        "place",
        "phone",
        "email",
        "active",
    ];
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "users.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list_users(c, &f, page)?.0),
                |_, rows| {
                    for (u, p) in rows {
                        emit(vec![
                            u.username.clone(),
                            safe(&u.display_name),
                            u.role.clone(),
                            p.as_ref()
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            safe(p.as_ref().map(|p| p.name.as_str()).unwrap_or("")),
                            u.phone.clone().unwrap_or_default(),
                            u.email.clone().unwrap_or_default(),
                            u.active.to_string(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<UserFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let f2 = f.clone();
    let (rows, total) = ui
        .state
        .db
        .run(move |c| model::list_users(c, &f2, page))
        .await?;
    let lang = ui.lang();
    let rows: Vec<Value> = rows
        .iter()
        .map(|(u, p)| {
            json!({
                "id": u.id, "username": u.username, "display_name": u.display_name,
                "phone": u.phone, "role_key": format!("role-{}", u.role), "active": u.active,
                "place": p.as_ref().map(|p| p.display_name(lang).to_string()),
            })
        })
        .collect();
    let qs = query_string(&[
        ("q", f.q.clone()),
        ("role", f.role.clone()),
        ("status", f.status.clone()),
    ]);
    ui.render(
        "admin/users/list",
        "users-title",
        json!({
            "csv_url": ui.with_query("/admin/users.csv"),
            "rows": rows, "filter": f, "roles": roles_json(),
            "pager": Pager::new(page, total, "/admin/users", &qs),
        }),
    )
}

async fn new_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let input = UserInput {
        role: "member".into(),
        lang: "hi".into(),
        ..Default::default()
    };
    ui.render(
        "admin/users/form",
        "user-new-title",
        form_data(&input, None),
    )
}

async fn create_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<UserInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let input = form.into_inner();
    match create_user(&ui.state, &actor, &client_ip(&req), input.clone()).await {
        Ok(_) => Ok(redirect_flash("/admin/users", "flash-user-created")),
        Err(AppError::Validation(e)) => {
            let mut shown = input;
            shown.password.clear();
            ui.render_invalid(
                "admin/users/form",
                "user-new-title",
                &e,
                form_data(&shown, None),
            )
        }
        Err(e) => Err(e),
    }
}

/// Validate, hash and store a new account, with its audit row.
pub async fn create_user(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    input: UserInput,
) -> AppResult<(User, Option<Place>)> {
    let min = state.config.auth.password_min_length;
    let i2 = input.clone();
    let values = state
        .db
        .run(move |c| users::validate(c, &i2, None, min))
        .await?
        .map_err(AppError::Validation)?;
    let pw = input.password.clone();
    let hash = password::hash_blocking(pw).await?;
    let now = state.clock.now();
    let (actor, ip) = (actor.clone(), ip.to_string());
    state
        .db
        .write(move |c| {
            let u = users::create(c, &values, &hash, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "create",
                    entity: "user",
                    entity_id: Some(u.id),
                    summary: format!("{} ({})", u.username, u.role),
                },
            )?;
            Ok((u, values.place.clone()))
        })
        .await
}

async fn edit_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, p) = ui.state.db.run(move |c| load_with_place(c, id)).await?;
    let input = UserInput {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        phone: u.phone.clone().unwrap_or_default(),
        email: u.email.clone().unwrap_or_default(),
        role: u.role.clone(),
        place_lgd_code: p
            .as_ref()
            .map(|p| p.lgd_code.to_string())
            .unwrap_or_default(),
        place_level: p.as_ref().map(|p| p.level.clone()).unwrap_or_default(),
        lang: u.lang.clone(),
        password: String::new(),
    };
    let mut data = form_data(&input, Some(id));
    data["active"] = json!(u.active);
    ui.render("admin/users/form", "user-edit-title", data)
}

async fn edit_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<UserInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let input = form.into_inner();
    match update_user(&ui.state, &actor, &client_ip(&req), id, input.clone(), None).await {
        Ok(_) => Ok(redirect_flash("/admin/users", "flash-user-saved")),
        Err(AppError::Validation(e)) => {
            let active = ui
                .state
                .db
                .run(move |c| Ok(model::find_user(c, id)?.active))
                .await?;
            let mut data = form_data(&input, Some(id));
            data["active"] = json!(active);
            ui.render_invalid("admin/users/form", "user-edit-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// Validate and apply account changes (and, with `active`, (de)activation) in one
/// transaction, with audit rows. A changed role or scope ends the user's sessions at once.
pub async fn update_user(
    state: &web::Data<AppState>,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: UserInput,
    active: Option<bool>,
) -> AppResult<(User, Option<Place>)> {
    let min = state.config.auth.password_min_length;
    let now = state.clock.now();
    let (actor, ip) = (actor.clone(), ip.to_string());
    state
        .db
        .write(move |c| {
            let existing = model::find_user(c, id)?;
            let values =
                users::validate(c, &input, Some(&existing), min)?.map_err(AppError::Validation)?;
            let new_active = active.unwrap_or(existing.active);
            users::guard_admin_change(c, actor.user.id, &existing, values.role, new_active)?;
            let mut u = users::update(c, id, &values, now)?;
            if existing.role != u.role || existing.place_id != u.place_id {
                model::end_all_sessions(c, id, now)?;
            }
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: "update",
                    entity: "user",
                    entity_id: Some(id),
                    summary: format!("{} ({})", u.username, u.role),
                },
            )?;
            if new_active != existing.active {
                users::set_active(c, id, new_active, now)?;
                u.active = new_active;
                audit::record(
                    c,
                    now,
                    Some(&actor),
                    "",
                    Some(&ip),
                    Event {
                        action: if new_active { "activate" } else { "deactivate" },
                        entity: "user",
                        entity_id: Some(id),
                        summary: u.username.clone(),
                    },
                )?;
            }
            Ok((u, values.place))
        })
        .await
}

async fn deactivate_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, _) = ui.state.db.run(move |c| load_with_place(c, id)).await?;
    ui.render(
        "admin/confirm",
        "user-deactivate-title",
        json!({
            "question": ui.t_args("user-deactivate-question", &[("name", u.display_name.clone())]),
            "action": format!("/admin/users/{id}/deactivate"),
            "cancel": "/admin/users",
            "button": "action-deactivate",
        }),
    )
}

async fn set_user_active(
    ui: &Ui,
    actor: &Actor,
    ip: String,
    id: i64,
    active: bool,
) -> AppResult<()> {
    let now = ui.state.clock.now();
    let actor = actor.clone();
    ui.state
        .db
        .write(move |c| {
            let u = model::find_user(c, id)?;
            users::guard_admin_change(c, actor.user.id, &u, u.role(), active)?;
            users::set_active(c, id, active, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                Event {
                    action: if active { "activate" } else { "deactivate" },
                    entity: "user",
                    entity_id: Some(id),
                    summary: u.username,
                },
            )
        })
        .await
}

async fn deactivate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    set_user_active(&ui, &actor, client_ip(&req), path.into_inner(), false).await?;
    Ok(redirect_flash("/admin/users", "flash-user-deactivated"))
}

async fn activate_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    set_user_active(&ui, &actor, client_ip(&req), path.into_inner(), true).await?;
    Ok(redirect_flash("/admin/users", "flash-user-activated"))
}

async fn password_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, _) = ui.state.db.run(move |c| load_with_place(c, id)).await?;
    ui.render(
        "admin/users/password",
        "user-password-title",
        json!({"target": {"id": u.id, "display_name": u.display_name, "username": u.username}}),
    )
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn password_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ResetForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let id = path.into_inner();
    let (u, _) = ui.state.db.run(move |c| load_with_place(c, id)).await?;
    let mut errors = crate::error::FieldErrors::new();
    password::check_new(
        &form.password,
        Some(&form.confirm),
        ui.state.config.auth.password_min_length,
        "password",
        &mut errors,
    );
    if !errors.is_empty() {
        return ui.render_invalid(
            "admin/users/password",
            "user-password-title",
            &errors,
            json!({"target": {"id": u.id, "display_name": u.display_name, "username": u.username}}),
        );
    }
    let pw = form.into_inner().password;
    let hash = password::hash_blocking(pw).await?;
    let now = ui.state.clock.now();
    let ip = client_ip(&req);
    ui.state
        .db
        .write(move |c| {
            let ended = users::set_password(c, id, &hash, now)?;
            audit::record(
                c,
                now,
                Some(&actor),
                "",
                Some(&ip),
                crate::auth::http::password_event("password_reset", id, ended),
            )
        })
        .await?;
    Ok(redirect_flash("/admin/users", "flash-password-reset"))
}

// ---- API ----

/// List users (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(UserFilter),
    responses((status = 200, body = ApiPage<UserView>), (status = 401), (status = 403)))]
pub async fn api_list(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<UserFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageUsers)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, state.config.server.page_size);
    let (rows, total) = state
        .db
        .run(move |c| model::list_users(c, &f, page))
        .await?;
    let items = rows
        .iter()
        .map(|(u, p)| UserView::new(u, p.as_ref()))
        .collect();
    Ok(HttpResponse::Ok().json(ApiPage::new(items, page, total)))
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
    let (u, p) = create_user(&state, &actor, &client_ip(&req), body.into_inner()).await?;
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
    let (u, p) = state.db.run(move |c| load_with_place(c, id)).await?;
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
    let (u, p) = state.db.run(move |c| load_with_place(c, id)).await?;
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
        lang: patch.lang.unwrap_or(u.lang.clone()),
        password: String::new(),
    };
    let (u, p) = update_user(&state, &actor, &ip, id, input, patch.active).await?;
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
