//! The kit stock page of a GP (its batches, what is left of each, the stock and its
//! warnings) with the form to record a kit or refill pack received.

use super::model::Stock;
use super::{service, KitInput, KitKind};
use crate::auth::{Actor, Scope, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::Level;
use crate::web::i18n::{format_date, today_in_india};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/kits", web::get().to(stock_page))
        .route("/water-quality/kits", web::post().to(receive_submit));
}

#[derive(Debug, Default, Deserialize)]
pub struct GpQuery {
    pub gp: Option<i64>,
}

/// The GP a stock page is about: the one named (inside the scope), else the actor's own.
pub fn gp_of(actor: &Actor, named: Option<i64>) -> Option<i64> {
    named.or(match actor.scope {
        Scope::Place {
            level: Level::Gp,
            id,
        } => Some(id),
        _ => None,
    })
}

async fn load(ui: &Ui, actor: &Actor, gp: i64) -> AppResult<Stock> {
    let scope = actor.scope;
    let cfg = ui.state.config.reminders.clone();
    let today = today_in_india(ui.state.clock.now());
    ui.state
        .db
        .run(move |c| {
            scope.check_gp(c, Some(gp))?;
            service::stock(&cfg, c, gp, today)
        })
        .await
}

fn page_data(actor: &Actor, gp: i64, stock: &Stock, form: &KitInput) -> Value {
    let batches: Vec<Value> = stock
        .batches
        .iter()
        .map(|b| {
            json!({
                "batch": b.batch.batch,
                "kind": KitKind::label_key_of(&b.batch.kind),
                "received_on": format_date(b.batch.received_on),
                "expires_on": format_date(b.batch.expires_on),
                "tests": b.batch.tests, "used": b.used, "left": b.left,
                "expired": b.expired, "expiring_soon": b.expiring_soon,
                "supplied_by": b.batch.supplied_by,
            })
        })
        .collect();
    json!({
        "gp": gp, "stock": {"tests_left": stock.tests_left, "low": stock.low, "low_below": stock.low_below},
        "batches": batches,
        "can_manage": actor.can(Verb::ManageWaterQuality),
        "form": form,
        "kinds": KitKind::ALL.iter().map(|k| json!({"value": k.as_str(), "label": KitKind::label_key_of(k.as_str())})).collect::<Vec<_>>(),
    })
}

async fn stock_page(ui: Ui, actor: Actor, q: web::Query<GpQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let gp = gp_of(&actor, q.gp).ok_or(AppError::NotFound)?;
    let stock = load(&ui, &actor, gp).await?;
    let form = KitInput {
        kind: KitKind::Refill.as_str().into(),
        received_on: today_in_india(ui.state.clock.now()).to_string(),
        ..Default::default()
    };
    ui.render(
        "water_quality/kits",
        "wq-kits-title",
        page_data(&actor, gp, &stock, &form),
    )
}

async fn receive_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    q: web::Query<GpQuery>,
    form: web::Form<KitInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let gp = gp_of(&actor, q.gp).ok_or(AppError::NotFound)?;
    let input = form.into_inner();
    let (a2, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::receive_batch(ctx, &a2, &ip, gp, i2))
        .await
    {
        Ok(b) => Ok(redirect_flash(
            &format!("/water-quality/kits?gp={}", b.gp_id),
            "flash-wq-kit-saved",
        )),
        Err(AppError::Validation(e)) => invalid(&ui, &actor, gp, &input, &e).await,
        Err(e) => Err(e),
    }
}

async fn invalid(
    ui: &Ui,
    actor: &Actor,
    gp: i64,
    input: &KitInput,
    e: &FieldErrors,
) -> AppResult<HttpResponse> {
    let stock = load(ui, actor, gp).await?;
    ui.render_invalid(
        "water_quality/kits",
        "wq-kits-title",
        e,
        page_data(actor, gp, &stock, input),
    )
}
