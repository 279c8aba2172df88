//! Ledger pages: a household's ledger (with the form to record a payment) and its CSV, arrears
//! ageing with collection efficiency, and the printable defaulters list, with their CSV.

use super::{model, ArrearsQuery};
use crate::auth::{Actor, Verb};
use crate::billing::households;
use crate::billing::payments::{self, mode_key, Mode, PaymentFilter, PaymentInput};
use crate::error::AppResult;
use crate::web::i18n::{today_in_india, Lang};
use crate::web::pagination::PageRequest;
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/households/{id:\\d+}/ledger", web::get().to(ledger_page))
        .route(
            "/households/{id:\\d+}/ledger.csv",
            web::get().to(ledger_csv),
        )
        .route("/arrears", web::get().to(arrears_page))
        .route("/arrears.csv", web::get().to(arrears_csv))
        .route("/collection-efficiency.csv", web::get().to(efficiency_csv))
        .route("/defaulters", web::get().to(defaulters_page))
        .route("/defaulters.csv", web::get().to(defaulters_csv));
}

/// The ledger page's data; `form` refills the payment form after an error.
pub(crate) async fn ledger_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<PaymentInput>,
) -> AppResult<Value> {
    let scope = actor.scope;
    let a = actor.clone();
    let (h, l, pays, latest, books) = ui
        .state
        .db
        .run(move |c| {
            let h = households::find_in_scope(c, &scope, id)?;
            let l = model::ledger(c, &h)?;
            let (pays, _) = payments::list(
                c,
                &scope,
                &PaymentFilter {
                    household: Some(h.id),
                    ..Default::default()
                },
                PageRequest::new(Some(1), 500),
            )?;
            let latest = crate::billing::demands::model::latest_of_household(c, h.id)?;
            let books = crate::billing::payments::pages::book_choices(c, &a, h.gp_id)?;
            Ok((h, l, pays, latest, books))
        })
        .await?;
    // the latest demand's notice, to share with the household (a link that needs no log-in)
    let notice = latest.map(|d| {
        let month = ui.state.i18n.month_label(ui.lang(), d.month);
        json!({
            "month": month,
            "share": crate::billing::demands::pages::notice_share(ui, d.id, &month),
        })
    });
    let today = today_in_india(ui.state.clock.now());
    let form = form.unwrap_or_else(|| PaymentInput {
        household_id: h.id.to_string(),
        paid_on: today.to_string(),
        mode: Mode::Cash.as_str().into(),
        collected_by: actor.user.display_name.clone(),
        ..Default::default()
    });
    let lines: Vec<Value> = l
        .lines
        .iter()
        .map(|x| {
            let mut v = json!(x);
            v["kind_key"] = json!(super::line_kind_key(&x.kind));
            v
        })
        .collect();
    let months: Vec<Value> = l
        .months
        .iter()
        .rev()
        .map(|m| {
            let mut v = json!(m);
            v["state_key"] = json!(super::month_state_key(&m.state));
            v
        })
        .collect();
    let pays: Vec<Value> = pays
        .iter()
        .map(|p| {
            let mut v = json!(p);
            v["mode_key"] = json!(mode_key(&p.payment.mode));
            v["can_cancel"] = json!(
                actor.can(Verb::ManageBilling)
                    && p.payment.is_valid()
                    && p.payment.recorded_by != Some(actor.user.id)
            );
            v
        })
        .collect();
    Ok(json!({
        "csv_url": format!("/households/{}/ledger.csv", h.id),
        "household": h,
        "lines": lines,
        "months": months,
        "payments": pays,
        "standing": l.standing,
        "advance_paise": l.advance_paise,
        "owes": l.standing.balance_paise > 0,
        "notice": notice,
        "can_manage": actor.can(Verb::ManageBilling),
        "form": form,
        "modes": ui.choices("payment-mode-", &Mode::texts()),
        "idempotency_key": crate::auth::random_token(),
        "books": books,
    }))
}

async fn ledger_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = ledger_data(&ui, &actor, path.into_inner(), None).await?;
    ui.render("billing/ledger", "ledger-title", data)
}

/// A household's ledger lines (demands, late fees, payments, cancellations, running balance)
/// as CSV; one household's history is short, so it is written in memory.
async fn ledger_csv(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (scope, id) = (actor.scope, path.into_inner());
    let l = ui
        .state
        .db
        .run(move |c| {
            let h = households::find_in_scope(c, &scope, id)?;
            model::ledger(c, &h)
        })
        .await?;
    let rupees = crate::web::csv::rupees;
    let rows = l.lines.iter().map(|x| {
        vec![
            x.on.to_string(),
            x.kind.clone(),
            x.month.clone().unwrap_or_default(),
            x.receipt_no.clone().unwrap_or_default(),
            rupees(x.debit_paise),
            rupees(x.credit_paise),
            rupees(x.balance_paise),
        ]
    });
    crate::web::csv::response(
        &format!("ledger-{id}.csv"),
        &[
            "date",
            "kind",
            "month",
            "receipt_no",
            "debit_rupees",
            "credit_rupees",
            "balance_rupees",
        ],
        rows,
    )
}

/// What the arrears page and its exports are about: the month ages are counted to, the first
/// of the 12 months of collection efficiency, per village or per GP, and the GPs. A `gp` filter
/// outside the actor's scope is not found.
struct ArrearsScope {
    month: chrono::NaiveDate,
    from: chrono::NaiveDate,
    by_gp: bool,
    gps: Vec<i64>,
}

async fn arrears_scope(ui: &Ui, actor: &Actor, q: &ArrearsQuery) -> AppResult<ArrearsScope> {
    actor.require(Verb::ViewBilling)?;
    let month = q.month_or(today_in_india(ui.state.clock.now()));
    let from = month
        .checked_sub_months(chrono::Months::new(11))
        .unwrap_or(month);
    let by_gp = q.by == "gp"
        || (q.gp.is_none()
            && !matches!(
                actor.scope,
                crate::auth::Scope::Place {
                    level: crate::places::Level::Gp,
                    ..
                }
            ));
    let (scope, gp) = (actor.scope, q.gp);
    let gps = ui
        .state
        .db
        .run(move |c| model::gp_ids(c, &scope, gp))
        .await?;
    Ok(ArrearsScope {
        month,
        from,
        by_gp,
        gps,
    })
}

async fn arrears_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let a = arrears_scope(&ui, &actor, &q).await?;
    let (month, from, by_gp, lang) = (a.month, a.from, a.by_gp, ui.lang());
    let (ageing, eff) = ui
        .state
        .db
        .run(move |c| {
            Ok((
                model::ageing(c, &a.gps, month, by_gp, lang)?,
                model::efficiency(c, &a.gps, from, month)?,
            ))
        })
        .await?;
    let gp_qs = q.gp.map(|g| format!("&gp={g}")).unwrap_or_default();
    let by_qs = if q.by == "gp" { "&by=gp" } else { "" };
    let month_s = month.format("%Y-%m").to_string();
    ui.render(
        "billing/arrears",
        "arrears-title",
        json!({
            "ageing": ageing,
            "efficiency": eff,
            "month": month_s,
            "by_gp": by_gp,
            "gp_qs": gp_qs,
            "ageing_csv_url": format!("/arrears.csv?month={month_s}{gp_qs}{by_qs}"),
            "efficiency_csv_url": format!("/collection-efficiency.csv?month={month_s}{gp_qs}"),
            "defaulter_months": ui.state.config.billing.defaulter_months,
        }),
    )
}

/// The ageing table as on the page (one row per village, or per GP), with its total row, as
/// CSV. Streamed: a state's table by GP is long.
async fn arrears_csv(ui: Ui, actor: Actor, q: web::Query<ArrearsQuery>) -> AppResult<HttpResponse> {
    let a = arrears_scope(&ui, &actor, &q.into_inner()).await?;
    let mut header: Vec<String> = vec!["level".into(), "lgd_code".into(), "name".into()];
    header.extend(model::AGE_BUCKETS.iter().map(|b| {
        format!(
            "months_{}_rupees",
            b.replace('-', "_").replace('+', "_plus")
        )
    }));
    header.push("total_rupees".into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let level = if a.by_gp { "gp" } else { "village" };
    let rupees = crate::web::csv::rupees;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        &format!("arrears-{}.csv", a.month.format("%Y-%m")),
        &header,
        move |c, emit| {
            let ageing = model::ageing(c, &a.gps, a.month, a.by_gp, Lang::En)?;
            let ids: Vec<i64> = ageing.rows.iter().map(|r| r.place_id).collect();
            let places = crate::places::model::by_ids(c, &ids)?;
            for r in ageing.rows {
                let mut row = vec![
                    level.to_string(),
                    places
                        .get(&r.place_id)
                        .map(|p| p.lgd_code.to_string())
                        .unwrap_or_default(),
                    String::from(&r.place_name),
                ];
                row.extend(r.buckets.iter().map(|b| rupees(*b)));
                row.push(rupees(r.total_paise));
                emit(row)?;
            }
            let mut total = vec!["total".to_string(), String::new(), String::new()];
            total.extend(ageing.totals.iter().map(|b| rupees(*b)));
            total.push(rupees(ageing.total_paise));
            emit(total)
        },
    ))
}

/// Collection efficiency for the page's 12 months, as CSV (twelve lines, written in memory).
async fn efficiency_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    let a = arrears_scope(&ui, &actor, &q.into_inner()).await?;
    let (month, from) = (a.month, a.from);
    let rows = ui
        .state
        .db
        .run(move |c| model::efficiency(c, &a.gps, from, month))
        .await?;
    let rupees = crate::web::csv::rupees;
    let pct = |p: Option<f64>| p.map(|p| format!("{p:.1}")).unwrap_or_default();
    crate::web::csv::response(
        &format!("collection-efficiency-{}.csv", month.format("%Y-%m")),
        &[
            "month",
            "demand_rupees",
            "collected_rupees",
            "percent",
            "cumulative_demand_rupees",
            "cumulative_collected_rupees",
            "cumulative_percent",
        ],
        rows.iter().map(|e| {
            vec![
                e.month.clone(),
                rupees(e.demand_paise),
                rupees(e.collected_paise),
                pct(e.percent),
                rupees(e.cumulative_demand_paise),
                rupees(e.cumulative_collected_paise),
                pct(e.cumulative_percent),
            ]
        }),
    )
}

/// The defaulters list with the same filters, as CSV.
async fn defaulters_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let month = q.month_or(today_in_india(ui.state.clock.now()));
    let min = q
        .months
        .unwrap_or(ui.state.config.billing.defaulter_months)
        .max(1);
    let (scope, gp) = (actor.scope, q.gp);
    let header = [
        "connection_no",
        "head_name",
        "village",
        "phone",
        "months_unpaid",
        "oldest_month",
        "unpaid_rupees",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "defaulters.csv",
        &header,
        move |c, emit| {
            let gps = model::gp_ids(c, &scope, gp)?;
            for d in model::defaulters(c, &gps, month, min, i64::MAX, Lang::En)? {
                emit(vec![
                    d.connection_no,
                    String::from(&d.head_name),
                    String::from(&d.village),
                    d.phone.unwrap_or_default(),
                    d.months.to_string(),
                    d.oldest.format("%Y-%m").to_string(),
                    crate::web::csv::rupees(d.unpaid_paise),
                ])?;
            }
            Ok(())
        },
    ))
}

async fn defaulters_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<ArrearsQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let today = today_in_india(ui.state.clock.now());
    let month = q.month_or(today);
    let min = q
        .months
        .unwrap_or(ui.state.config.billing.defaulter_months)
        .max(1);
    let (scope, gp, lang) = (actor.scope, q.gp, ui.lang());
    let rows = ui
        .state
        .db
        .run(move |c| {
            let gps = model::gp_ids(c, &scope, gp)?;
            model::defaulters(c, &gps, month, min, 5000, lang)
        })
        .await?;
    let total: i64 = rows.iter().map(|r| r.unpaid_paise).sum();
    let rows: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut v = json!(r);
            v["n"] = json!(i + 1);
            v
        })
        .collect();
    ui.render(
        "billing/defaulters",
        "defaulters-title",
        json!({
            "csv_url": ui.with_query("/defaulters.csv"),
            "rows": rows,
            "count": rows.len(),
            "total_paise": total,
            "months": min,
            "month": month.format("%Y-%m").to_string(),
            "printed_on": crate::web::i18n::format_date(today),
        }),
    )
}

/// The GPs in the actor's scope as (id, name in the reader's language), by name.
pub(crate) async fn gps_in_scope(ui: &Ui, actor: &Actor) -> AppResult<Vec<(i64, String)>> {
    let scope = actor.scope;
    let gps = ui
        .state
        .db
        .run(move |c| model::gp_places(c, &scope))
        .await?;
    let lang = ui.lang();
    Ok(gps
        .iter()
        .map(|p| (p.id, p.display_name(lang).to_string()))
        .collect())
}
