//! The phone's snapshot as JSON: `/api/v1/offline/data` (bearer token or session) and the
//! same at `/offline/data.json` for the app's service worker.

use super::{service, ALWAYS_KEPT, RECEIPT_BOOKS_URL};
use crate::auth::{Actor, Verb};
use crate::error::AppResult;
use crate::maintenance::templates::Library;
use crate::web::i18n::format_date;
use crate::web::render::Ui;
use actix_web::http::header;
use actix_web::HttpResponse;
use serde::Serialize;

crate::endpoints!(api_data);

/// What the phone keeps for working without a signal.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfflineData {
    /// Whose snapshot this is: the phone sends a queued form only in this user's session.
    pub user_id: i64,
    /// When this was read (UTC, RFC 3339); the outbox sends it back as `Paani-Seen-At`.
    pub synced_at: String,
    /// The open tasks of the user's home list (due within the week, and the overdue).
    pub tasks: Vec<OfflineTask>,
    pub schemes: Vec<OfflinePlace>,
    /// Assets in service.
    pub assets: Vec<OfflinePlace>,
    /// Active water sampling points, each with its water-test form.
    pub points: Vec<OfflinePlace>,
    /// For a collector only: the households that owe, each with its payment form.
    pub households: Option<Vec<OfflineHousehold>>,
    /// Where the phone asks for the user's open receipt books.
    pub receipt_books_url: String,
    /// The pages to keep on the phone (forms work offline on these).
    pub pages: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfflineTask {
    pub id: i64,
    /// In the reader's language, with the asset's name.
    pub title: String,
    pub scheme_id: i64,
    pub asset_id: Option<i64>,
    /// DD-MM-YYYY.
    pub due_on: String,
    /// The task's page, with the form that completes it.
    pub url: String,
}

/// A scheme, an asset or a sampling point: its id, name (reader's language) and page or
/// form, if any.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfflinePlace {
    pub id: i64,
    pub name: String,
    pub scheme_id: Option<i64>,
    pub url: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfflineHousehold {
    pub id: i64,
    pub connection_no: String,
    pub head_name: String,
    pub village_id: i64,
    /// What it owes (paise).
    pub due_paise: i64,
    /// The payment form for this household.
    pub url: String,
}

/// The user's snapshot for working offline: my open tasks, the schemes, assets and sampling
/// points in scope, for a collector the households with dues, and the pages to keep.
#[utoipa::path(get, path = "/api/v1/offline/data", tag = "offline", security(("bearer" = [])),
    responses((status = 200, body = OfflineData), (status = 401)))]
pub async fn api_data(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    let a = actor.clone();
    let snap = ui
        .state
        .service(move |ctx| service::snapshot(ctx, &a))
        .await?;
    let lang = ui.lang();
    let library = ui.state.part::<Library>();
    let asset_names: std::collections::HashMap<i64, &crate::schemes::assets::Asset> =
        snap.assets.iter().map(|a| (a.id, a)).collect();
    let tasks: Vec<OfflineTask> = snap
        .tasks
        .iter()
        .map(|(t, p)| {
            let title = library.localized(lang, p).title;
            let title = match t.asset_id.and_then(|id| asset_names.get(&id)) {
                Some(a) => crate::schemes::assets::title_with_asset_name(
                    &title,
                    &a.name,
                    a.name_hi.as_deref(),
                    lang,
                ),
                None => title,
            };
            OfflineTask {
                id: t.id,
                title,
                scheme_id: t.scheme_id,
                asset_id: t.asset_id,
                due_on: format_date(t.due_on),
                url: format!("/tasks/{}", t.id),
            }
        })
        .collect();
    // the forms are kept for the field roles of one GP (or village); a wider scope keeps the
    // home and the outbox only (its lists are capped and its phone is not the field's)
    let field = actor.works_in_the_field();
    let can = |verb: Verb| field && actor.can(verb);
    let mut pages: Vec<String> = ALWAYS_KEPT.iter().map(|p| p.to_string()).collect();
    if can(Verb::ViewMaintenance) {
        pages.push("/tasks".into());
    }
    if can(Verb::RecordWork) {
        pages.extend(tasks.iter().map(|t| t.url.clone()));
    }
    if can(Verb::ReportBreakdown) {
        pages.push("/breakdowns/new".into());
    }
    let log_supply = can(Verb::LogSupply);
    let schemes: Vec<OfflinePlace> = snap
        .schemes
        .iter()
        .map(|s| OfflinePlace {
            id: s.id,
            name: s.display_name(lang).to_string(),
            scheme_id: None,
            url: log_supply.then(|| format!("/schemes/{}/supply", s.id)),
        })
        .collect();
    let assets = snap
        .assets
        .iter()
        .map(|a| OfflinePlace {
            id: a.id,
            name: a.display_name(lang).to_string(),
            scheme_id: Some(a.scheme_id),
            url: None,
        })
        .collect();
    let test = can(Verb::RecordWaterTest);
    let points: Vec<OfflinePlace> = snap
        .points
        .iter()
        .map(|p| OfflinePlace {
            id: p.id,
            name: p.display_name(lang).to_string(),
            scheme_id: Some(p.scheme_id),
            url: test.then(|| format!("/water-quality/points/{}/samples/new", p.id)),
        })
        .collect();
    let households = snap.households.map(|rows| {
        rows.into_iter()
            .map(|(h, due)| OfflineHousehold {
                url: format!("/payments/new?household={}", h.id),
                id: h.id,
                connection_no: h.connection_no,
                head_name: h.head_name,
                village_id: h.village_id,
                due_paise: due,
            })
            .collect::<Vec<_>>()
    });
    pages.extend(schemes.iter().filter_map(|s| s.url.clone()));
    pages.extend(points.iter().filter_map(|p| p.url.clone()));
    if let (Some(hs), true) = (&households, field) {
        pages.extend(hs.iter().map(|h| h.url.clone()));
    }
    let body = OfflineData {
        user_id: actor.user.id,
        synced_at: snap.synced_at.and_utc().to_rfc3339(),
        tasks,
        schemes,
        assets,
        points,
        households,
        receipt_books_url: RECEIPT_BOOKS_URL.into(),
        pages,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body))
}
