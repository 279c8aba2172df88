//! The tariffs page: the plans in scope, the form to add one, and the plans as CSV.

use super::{model, service, TariffInput};
use crate::auth::{Actor, Verb};
use crate::billing::ledger::pages::gps_in_scope;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tariffs", web::get().to(tariffs_page))
        .route("/tariffs.csv", web::get().to(tariffs_csv))
        .route("/tariffs", web::post().to(tariff_submit));
}

async fn tariffs_data(
    ui: &Ui,
    actor: &Actor,
    form: Option<&std::collections::HashMap<String, String>>,
    errors: Option<&FieldErrors>,
) -> AppResult<Value> {
    let errors = errors.map(|e| ui.field_errors(e)).unwrap_or(Value::Null);
    let scope = actor.scope;
    let plans = ui
        .state
        .db
        .run(move |c| model::list_in_scope(c, &scope))
        .await?;
    let gps = gps_in_scope(ui, actor).await?;
    let lang = ui.lang();
    let names: std::collections::HashMap<i64, String> = gps.iter().cloned().collect();
    let categories: Vec<Value> = ui
        .state
        .config
        .billing
        .categories
        .iter()
        .filter(|c| c.as_str() != "exempt")
        .map(|c| {
            let field = format!("rate_{c}");
            json!({
                "field": field,
                "label": ui.t(&format!("household-cat-{c}")),
                "value": form.and_then(|f| f.get(&field)).cloned().unwrap_or_default(),
                "error": errors.get(&field),
            })
        })
        .collect();
    let plans: Vec<Value> = plans
        .iter()
        .map(|p| {
            let mut v = json!(p);
            v["gp_name"] = json!(names.get(&p.plan.gp_id));
            v["from_label"] = json!(ui.state.i18n.month_label(lang, p.plan.effective_from));
            v["rate_list"] = json!(p
                .rates
                .iter()
                .map(|(c, paise)| json!({"label": ui.t(&format!("household-cat-{c}")), "paise": paise}))
                .collect::<Vec<_>>());
            v
        })
        .collect();
    let gp_choices: Vec<Value> = gps
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let field = |k: &str| form.and_then(|f| f.get(k)).cloned().unwrap_or_default();
    Ok(json!({
        "plans": plans,
        "categories": categories,
        "gp_choices": gp_choices,
        "choose_gp": gp_choices.len() > 1,
        "can_manage": actor.can(Verb::ManageBilling),
        "form": {
            "gp_id": field("gp_id"),
            "effective_from": field("effective_from"),
            "connection_charge": field("connection_charge"),
            "late_fee": field("late_fee"),
            "late_fee_after_days": field("late_fee_after_days"),
            "notes": field("notes"),
        },
    }))
}

async fn tariffs_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = tariffs_data(&ui, &actor, None, None).await?;
    ui.render("billing/tariffs", "tariffs-title", data)
}

/// The tariff plans in scope as on the page (per GP, newest first), one line per plan with a
/// rate column per billed category, as CSV (streamed).
async fn tariffs_csv(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let categories: Vec<String> = ui
        .state
        .config
        .billing
        .categories
        .iter()
        .filter(|c| c.as_str() != "exempt")
        .cloned()
        .collect();
    let mut header: Vec<String> = vec![
        "gp_lgd_code".into(),
        "gp_name".into(),
        "effective_from".into(),
    ];
    header.extend(categories.iter().map(|c| format!("rate_{c}_rupees")));
    header.extend(
        [
            "connection_charge_rupees",
            "late_fee_rupees",
            "late_fee_after_days",
            "notes",
        ]
        .map(String::from),
    );
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let (scope, lang) = (actor.scope, ui.lang());
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "tariffs.csv",
        &header,
        move |c, emit| {
            let plans = model::list_in_scope(c, &scope)?;
            let ids: Vec<i64> = plans.iter().map(|p| p.plan.gp_id).collect();
            let gps = crate::places::model::by_ids(c, &ids)?;
            let rupees = crate::web::csv::rupees;
            for p in plans {
                let gp = gps.get(&p.plan.gp_id);
                let mut row = vec![
                    gp.map(|g| g.lgd_code.to_string()).unwrap_or_default(),
                    String::from(gp.map(|g| g.display_name(lang)).unwrap_or_default()),
                    p.plan.effective_from.format("%Y-%m").to_string(),
                ];
                row.extend(
                    categories
                        .iter()
                        .map(|c| p.rates.get(c).map(|r| rupees(*r)).unwrap_or_default()),
                );
                row.push(rupees(p.plan.connection_charge_paise));
                row.push(p.plan.late_fee_paise.map(rupees).unwrap_or_default());
                row.push(
                    p.plan
                        .late_fee_after_days
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                );
                row.push(String::from(p.plan.notes.as_deref().unwrap_or("")));
                emit(row)?;
            }
            Ok(())
        },
    ))
}

async fn tariff_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<std::collections::HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let fields = form.into_inner();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let input = TariffInput {
        gp_id: get("gp_id"),
        effective_from: get("effective_from"),
        rates: ui
            .state
            .config
            .billing
            .categories
            .iter()
            .filter(|c| c.as_str() != "exempt")
            .map(|c| (c.clone(), get(&format!("rate_{c}"))))
            .collect(),
        connection_charge: get("connection_charge"),
        late_fee: get("late_fee"),
        late_fee_after_days: get("late_fee_after_days"),
        notes: get("notes"),
    };
    let (a, ip) = (actor.clone(), client_ip(&req));
    let added = ui
        .state
        .service(move |ctx| service::add_tariff(ctx, &a, &ip, &input))
        .await;
    match added {
        Ok(_) => Ok(redirect_flash("/tariffs", "flash-tariff-added")),
        Err(AppError::Validation(e)) => {
            let data = tariffs_data(&ui, &actor, Some(&fields), Some(&e)).await?;
            ui.render_invalid("billing/tariffs", "tariffs-title", &e, data)
        }
        Err(e) => Err(e),
    }
}
