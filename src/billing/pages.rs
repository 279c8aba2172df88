//! The secretary's money pages: a household's ledger with "record a payment", the payments
//! list, cancelling a payment, arrears ageing with collection efficiency, the printable
//! defaulters list, the cash book, and raising a month's demands (preview, then confirm).
//! Every write goes through the same functions as the API.

use super::http::{self as api, ArrearsQuery, CashbookQuery};
use super::payments::{self, PaymentFilter, PaymentInput};
use super::{cashbook, demands, ledger, receipts, tariffs};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::csv::UTC;
use crate::web::i18n::today_in_india;
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/households/{id}/ledger", web::get().to(ledger_page))
        .route("/households/{id}/ledger.csv", web::get().to(ledger_csv))
        .route("/payments", web::get().to(payments_page))
        .route("/payments.csv", web::get().to(payments_csv))
        .route("/payments", web::post().to(record_submit))
        .route(
            "/payments/{id}/receipt",
            web::get().to(receipts::receipt_page),
        )
        .route("/payments/{id}/cancel", web::post().to(cancel_submit))
        .route("/r/{token}", web::get().to(receipts::shared_receipt))
        .route("/arrears", web::get().to(arrears_page))
        .route("/arrears.csv", web::get().to(arrears_csv))
        .route("/collection-efficiency.csv", web::get().to(efficiency_csv))
        .route("/defaulters", web::get().to(defaulters_page))
        .route("/defaulters.csv", web::get().to(defaulters_csv))
        .route("/cashbook", web::get().to(cashbook_page))
        .route("/cashbook.csv", web::get().to(cashbook_csv))
        .route("/cashbook", web::post().to(cashbook_submit))
        .route(
            "/cashbook/{id}/cancel",
            web::post().to(cashbook_cancel_submit),
        )
        .route("/tariffs", web::get().to(tariffs_page))
        .route("/tariffs.csv", web::get().to(tariffs_csv))
        .route("/tariffs", web::post().to(tariff_submit))
        .route("/demands", web::get().to(demands_page))
        .route("/demand-runs.csv", web::get().to(demand_runs_csv))
        .route("/demands", web::post().to(demands_submit))
        .route("/demands/late-fees", web::post().to(late_fees_submit))
        .route("/demands/automatic", web::post().to(automatic_submit));
}

/// The ledger page's data; `form` refills the payment form after an error.
async fn ledger_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<PaymentInput>,
) -> AppResult<Value> {
    let scope = actor.scope;
    let (h, l, pays) = ui
        .state
        .db
        .run(move |c| {
            let h = super::find_in_scope(c, &scope, id)?;
            let l = ledger::ledger(c, &h)?;
            let (pays, _) = payments::list(
                c,
                &scope,
                &PaymentFilter {
                    household: Some(h.id),
                    ..Default::default()
                },
                PageRequest::new(Some(1), 500),
            )?;
            Ok((h, l, pays))
        })
        .await?;
    let today = today_in_india(ui.state.clock.now());
    let form = form.unwrap_or_else(|| PaymentInput {
        household_id: h.id.to_string(),
        paid_on: today.to_string(),
        mode: "cash".into(),
        collected_by: actor.user.display_name.clone(),
        ..Default::default()
    });
    let lines: Vec<Value> = l
        .lines
        .iter()
        .map(|x| {
            let mut v = json!(x);
            v["kind_key"] = json!(format!("ledger-kind-{}", x.kind));
            v
        })
        .collect();
    let months: Vec<Value> = l
        .months
        .iter()
        .rev()
        .map(|m| {
            let mut v = json!(m);
            v["state_key"] = json!(format!("ledger-month-{}", m.state));
            v
        })
        .collect();
    let pays: Vec<Value> = pays
        .iter()
        .map(|p| {
            let mut v = json!(p);
            v["mode_key"] = json!(format!("payment-mode-{}", p.payment.mode));
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
        "can_manage": actor.can(Verb::ManageBilling),
        "form": form,
        "modes": ui.choices("payment-mode-", &payments::MODES),
        "idempotency_key": crate::auth::random_token(),
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
            let h = super::find_in_scope(c, &scope, id)?;
            ledger::ledger(c, &h)
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PaymentForm {
    #[serde(flatten)]
    input: PaymentInput,
    idempotency_key: String,
}

async fn record_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<PaymentForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let PaymentForm {
        input,
        idempotency_key,
    } = form.into_inner();
    // the form carries a fresh key each time it is drawn: a double tap records once
    let key = payments::check_key(&idempotency_key).ok();
    let household: i64 = input
        .household_id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    match payments::record_once(&ui.state, &actor, client_ip(&req), input.clone(), key).await {
        Ok((p, _)) => Ok(redirect_flash(
            &format!("/payments/{}/receipt", p.id),
            "flash-payment-recorded",
        )),
        Err(AppError::Validation(e)) => {
            let data = ledger_data(&ui, &actor, household, Some(input)).await?;
            ui.render_invalid("billing/ledger", "ledger-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReasonForm {
    reason: String,
}

async fn cancel_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ReasonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let r = api::cancel_payment(
        &ui.state,
        &actor,
        client_ip(&req),
        id,
        form.into_inner().reason,
    )
    .await;
    match r {
        Ok(p) => Ok(redirect_flash(
            &format!("/households/{}/ledger", p.household_id),
            "flash-payment-cancelled",
        )),
        Err(AppError::Validation(e)) => {
            let scope = actor.scope;
            let p = ui
                .state
                .db
                .run(move |c| payments::find_in_scope(c, &scope, id))
                .await?;
            let data = ledger_data(&ui, &actor, p.household_id, None).await?;
            ui.render_invalid("billing/ledger", "ledger-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// Payments with the same filters, as CSV (streamed).
async fn payments_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<PaymentFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let mut f = q.into_inner();
    f.page = None;
    let scope = actor.scope;
    let header = [
        "receipt_no",
        "paid_on",
        "connection_no",
        "head_name",
        "amount_rupees",
        "mode",
        "reference",
        "collected_by",
        "months_from",
        "months_to",
        "cancelled_at",
        "cancel_reason",
    ];
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "payments.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(payments::list(c, &scope, &f, page)?.0),
                |_, rows| {
                    for r in rows {
                        let p = &r.payment;
                        emit(vec![
                            p.receipt_no.clone(),
                            p.paid_on.to_string(),
                            r.connection_no.clone(),
                            safe(&r.head_name),
                            crate::web::csv::rupees(p.amount_paise),
                            p.mode.clone(),
                            safe(p.reference.as_deref().unwrap_or("")),
                            safe(&p.collected_by),
                            p.covers_from.map(|d| d.to_string()).unwrap_or_default(),
                            p.covers_to.map(|d| d.to_string()).unwrap_or_default(),
                            p.cancelled_at.map(|t| t.to_string()).unwrap_or_default(),
                            safe(p.cancel_reason.as_deref().unwrap_or("")),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn payments_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<PaymentFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (f2, scope) = (f.clone(), actor.scope);
    let (rows, total) = ui
        .state
        .db
        .run(move |c| payments::list(c, &scope, &f2, page))
        .await?;
    let qs = query_string(&[
        ("q", f.q.clone()),
        ("from", f.from.clone()),
        ("to", f.to.clone()),
        ("mode", f.mode.clone()),
        ("status", f.status.clone()),
        ("household", f.household.map(|h| h.to_string())),
    ]);
    let rows: Vec<Value> = rows
        .iter()
        .map(|p| {
            let mut v = json!(p);
            v["mode_key"] = json!(format!("payment-mode-{}", p.payment.mode));
            v
        })
        .collect();
    let total_paise: i64 = rows
        .iter()
        .filter(|r| r["cancelled_at"].is_null())
        .filter_map(|r| r["amount_paise"].as_i64())
        .sum();
    ui.render(
        "billing/payments",
        "payments-title",
        json!({
            "csv_url": ui.with_query("/payments.csv"),
            "rows": rows,
            "filter": f,
            "modes": ui.choices("payment-mode-", &payments::MODES),
            "pager": Pager::new(page, total, "/payments", &qs),
            "page_total_paise": total_paise,
        }),
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
        .run(move |c| {
            scope.check_gp(c, gp)?;
            ledger::gp_ids(c, &scope, gp)
        })
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
    let (month, from, by_gp) = (a.month, a.from, a.by_gp);
    let (ageing, eff) = ui
        .state
        .db
        .run(move |c| {
            Ok((
                ledger::ageing(c, &a.gps, month, by_gp)?,
                ledger::efficiency(c, &a.gps, from, month)?,
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
    header.extend(ledger::AGE_BUCKETS.iter().map(|b| {
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
            let ageing = ledger::ageing(c, &a.gps, a.month, a.by_gp)?;
            let ids: Vec<i64> = ageing.rows.iter().map(|r| r.place_id).collect();
            let places = crate::places::model::by_ids(c, &ids)?;
            for r in ageing.rows {
                let mut row = vec![
                    level.to_string(),
                    places
                        .get(&r.place_id)
                        .map(|p| p.lgd_code.to_string())
                        .unwrap_or_default(),
                    crate::web::csv::safe_cell(&r.place_name),
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
        .run(move |c| ledger::efficiency(c, &a.gps, from, month))
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
    let safe = crate::web::csv::safe_cell;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "defaulters.csv",
        &header,
        move |c, emit| {
            let gps = ledger::gp_ids(c, &scope, gp)?;
            for d in ledger::defaulters(c, &gps, month, min, i64::MAX)? {
                emit(vec![
                    d.connection_no,
                    safe(&d.head_name),
                    safe(&d.village),
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
    let (scope, gp) = (actor.scope, q.gp);
    let rows = ui
        .state
        .db
        .run(move |c| {
            let gps = ledger::gp_ids(c, &scope, gp)?;
            ledger::defaulters(c, &gps, month, min, 5000)
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
async fn gps_in_scope(ui: &Ui, actor: &Actor) -> AppResult<Vec<(i64, String)>> {
    let scope = actor.scope;
    let gps: Vec<crate::places::Place> = ui
        .state
        .db
        .run(move |c| {
            use crate::db::schema::places;
            use diesel::prelude::*;
            Ok(scope
                .filter_places(places::table.into_boxed())
                .filter(places::level.eq("gp"))
                .order(places::name.asc())
                .select(crate::places::Place::as_select())
                .load(c)?)
        })
        .await?;
    let lang = ui.lang();
    Ok(gps
        .iter()
        .map(|p| (p.id, p.display_name(lang).to_string()))
        .collect())
}

async fn cashbook_data(
    ui: &Ui,
    actor: &Actor,
    q: CashbookQuery,
    form: Option<cashbook::EntryInput>,
) -> AppResult<Value> {
    let view = api::cashbook_view(&ui.state, actor, q.clone()).await?;
    let gps = gps_in_scope(ui, actor).await?;
    let month = crate::web::forms::parse_month(&view.statement.month).unwrap_or_default();
    let prev = month
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(month);
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let today = today_in_india(ui.state.clock.now());
    let lines: Vec<Value> = view
        .statement
        .lines
        .iter()
        .map(|l| {
            let mut v = json!(l);
            v["head_key"] = json!(format!("cashbook-head-{}-{}", l.kind, l.head));
            v
        })
        .collect();
    let by_head: Vec<Value> = view
        .statement
        .by_head
        .iter()
        .map(|h| {
            let mut v = json!(h);
            v["head_key"] = json!(format!("cashbook-head-{}-{}", h.kind, h.head));
            v
        })
        .collect();
    Ok(json!({
        "csv_url": format!(
            "/cashbook.csv?month={}&gp={}",
            month.format("%Y-%m"),
            view.statement.gp_id
        ),
        "statement": view.statement,
        "lines": lines,
        "by_head": by_head,
        "recovery": view.cost_recovery,
        "month": month.format("%Y-%m").to_string(),
        "prev": prev.format("%Y-%m").to_string(),
        "next": next.format("%Y-%m").to_string(),
        "gp": view.statement.gp_id,
        "gp_name": gps.iter().find(|g| g.0 == view.statement.gp_id).map(|g| g.1.clone()),
        "gp_choices": gps.iter().map(|(id, name)| json!({"id": id, "name": name, "selected": *id == view.statement.gp_id})).collect::<Vec<_>>(),
        "choose_gp": gps.len() > 1,
        "can_manage": actor.can(Verb::ManageBilling),
        "form": form.unwrap_or_else(|| cashbook::EntryInput {
            gp_id: view.statement.gp_id.to_string(),
            kind: "expense".into(),
            entry_on: today.to_string(),
            mode: "cash".into(),
            ..Default::default()
        }),
        "income_heads": ui.choices("cashbook-head-income-", &cashbook::INCOME_HEADS),
        "expense_heads": ui.choices("cashbook-head-expense-", &cashbook::EXPENSE_HEADS),
        "modes": ui.choices("payment-mode-", &payments::MODES),
    }))
}

async fn cashbook_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<CashbookQuery>,
) -> AppResult<HttpResponse> {
    let data = cashbook_data(&ui, &actor, q.into_inner(), None).await?;
    ui.render("billing/cashbook", "cashbook-title", data)
}

/// The month's statement as on the page, as CSV: the opening balance, each line with its
/// running balance, and the closing line with the month's totals. One GP's month is short,
/// so it is written in memory; the GP and the month are checked as for the page.
async fn cashbook_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<CashbookQuery>,
) -> AppResult<HttpResponse> {
    let s = api::cashbook_view(&ui.state, &actor, q.into_inner())
        .await?
        .statement;
    let gp = s.gp_id;
    let lgd = ui
        .state
        .db
        .run(move |c| Ok(crate::places::model::find(c, gp)?.lgd_code))
        .await?;
    let month = crate::web::forms::parse_month(&s.month).unwrap_or_default();
    let last = month
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(month);
    let (rupees, safe) = (crate::web::csv::rupees, crate::web::csv::safe_cell);
    let opt = |v: &Option<String>| safe(v.as_deref().unwrap_or(""));
    let mut rows = vec![vec![
        month.to_string(),
        "opening".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        rupees(s.opening_paise),
    ]];
    for l in &s.lines {
        rows.push(vec![
            l.on.to_string(),
            l.kind.clone(),
            l.head.clone(),
            opt(&l.notes),
            opt(&l.voucher_no),
            opt(&l.party),
            l.mode.clone(),
            if l.receipts > 0 {
                l.receipts.to_string()
            } else {
                String::new()
            },
            rupees(l.income_paise),
            rupees(l.expense_paise),
            rupees(l.balance_paise),
        ]);
    }
    rows.push(vec![
        last.to_string(),
        "closing".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        rupees(s.income_paise),
        rupees(s.expense_paise),
        rupees(s.closing_paise),
    ]);
    crate::web::csv::response(
        &format!("cashbook-{lgd}-{}.csv", s.month),
        &[
            "date",
            "kind",
            "head",
            "description",
            "voucher_no",
            "party",
            "mode",
            "receipts",
            "income_rupees",
            "expense_rupees",
            "balance_rupees",
        ],
        rows,
    )
}

async fn cashbook_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<cashbook::EntryInput>,
) -> AppResult<HttpResponse> {
    let mut input = form.into_inner();
    // one select names the head for both kinds: "income:donation", "expense:electricity"
    if let Some((kind, head)) = input.head.clone().split_once(':') {
        input.kind = kind.to_string();
        input.head = head.to_string();
    }
    let back = CashbookQuery {
        gp: input.gp_id.clone(),
        month: input.entry_on.get(..7).unwrap_or_default().to_string(),
    };
    match api::add_cashbook_entry(&ui.state, &actor, client_ip(&req), input.clone()).await {
        Ok(e) => Ok(redirect_flash(
            &format!(
                "/cashbook?month={}&gp={}",
                e.entry_on.format("%Y-%m"),
                e.gp_id
            ),
            "flash-cashbook-added",
        )),
        Err(AppError::Validation(e)) => {
            let data = cashbook_data(&ui, &actor, back, Some(input)).await?;
            ui.render_invalid("billing/cashbook", "cashbook-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn cashbook_cancel_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ReasonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    match api::cancel_cashbook_entry(
        &ui.state,
        &actor,
        client_ip(&req),
        id,
        form.into_inner().reason,
    )
    .await
    {
        Ok(e) => Ok(redirect_flash(
            &format!(
                "/cashbook?month={}&gp={}",
                e.entry_on.format("%Y-%m"),
                e.gp_id
            ),
            "flash-cashbook-cancelled",
        )),
        Err(AppError::Validation(e)) => {
            let data = cashbook_data(&ui, &actor, CashbookQuery::default(), None).await?;
            ui.render_invalid("billing/cashbook", "cashbook-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DemandForm {
    month: String,
    expected: String,
}

async fn demands_data(ui: &Ui, actor: &Actor, month_raw: &str) -> AppResult<Value> {
    let today = today_in_india(ui.state.clock.now());
    let month = crate::web::forms::parse_month(month_raw)
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let scope = actor.scope;
    let (preview, runs, auto) = ui
        .state
        .db
        .run(move |c| {
            let p = demands::preview(c, &scope, month)?;
            let ids: Vec<i64> = p.gps.iter().map(|g| g.gp_id).collect();
            let auto = demands::auto_gps(c, &ids)?;
            Ok((p, demands::runs(c, &scope, 24)?, auto))
        })
        .await?;
    let automatic: Vec<Value> = preview
        .gps
        .iter()
        .map(|g| json!({"gp_id": g.gp_id, "gp_name": g.gp_name, "auto": auto.contains(&g.gp_id)}))
        .collect();
    Ok(json!({
        "automatic": automatic,
        "auto_day": ui.state.config.reminders.demands_due_day,
        "preview": preview,
        "month": month.format("%Y-%m").to_string(),
        "runs": runs,
        "can_manage": actor.can(Verb::ManageBilling),
        "due_on": demands::due_on(month, ui.state.config.billing.due_day).to_string(),
    }))
}

async fn demands_page(ui: Ui, actor: Actor, q: web::Query<DemandForm>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = demands_data(&ui, &actor, &q.month).await?;
    ui.render("billing/demands", "demands-title", data)
}

/// Every demand run in scope (the page shows the latest), newest first, as CSV (streamed).
async fn demand_runs_csv(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let scope = actor.scope;
    let header = [
        "month",
        "gp_lgd_code",
        "demands",
        "total_rupees",
        "raised_at_utc",
        "cancelled_at_utc",
        "cancel_reason",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "demand-runs.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| demands::runs_from(c, &scope, page.offset(), page.limit()),
                |c, runs| {
                    let ids: Vec<i64> = runs.iter().map(|r| r.gp_id).collect();
                    let gps = crate::places::model::by_ids(c, &ids)?;
                    for r in runs {
                        emit(vec![
                            r.month.format("%Y-%m").to_string(),
                            gps.get(&r.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            r.demands.to_string(),
                            crate::web::csv::rupees(r.total_paise),
                            r.created_at.format(UTC).to_string(),
                            r.cancelled_at
                                .map(|t| t.format(UTC).to_string())
                                .unwrap_or_default(),
                            crate::web::csv::safe_cell(r.cancel_reason.as_deref().unwrap_or("")),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn demands_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<DemandForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let f = form.into_inner();
    let Some(month) = crate::web::forms::parse_month(&f.month) else {
        let mut e = FieldErrors::new();
        e.add("month", "field-bad-month");
        let data = demands_data(&ui, &actor, "").await?;
        return ui.render_invalid("billing/demands", "demands-title", &e, data);
    };
    let expected = f.expected.trim().parse::<i64>().ok();
    api::raise_month(&ui.state, &actor, client_ip(&req), month, expected).await?;
    Ok(redirect_flash(
        &format!("/demands?month={}", month.format("%Y-%m")),
        "flash-demands-raised",
    ))
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
        .run(move |c| tariffs::list_in_scope(c, &scope))
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
            let plans = tariffs::list_in_scope(c, &scope)?;
            let ids: Vec<i64> = plans.iter().map(|p| p.plan.gp_id).collect();
            let gps = crate::places::model::by_ids(c, &ids)?;
            let (rupees, safe) = (crate::web::csv::rupees, crate::web::csv::safe_cell);
            for p in plans {
                let gp = gps.get(&p.plan.gp_id);
                let mut row = vec![
                    gp.map(|g| g.lgd_code.to_string()).unwrap_or_default(),
                    safe(gp.map(|g| g.display_name(lang)).unwrap_or_default()),
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
                row.push(safe(p.plan.notes.as_deref().unwrap_or("")));
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
    let input = tariffs::TariffInput {
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
    match api::add_tariff(&ui.state, &actor, client_ip(&req), input).await {
        Ok(_) => Ok(redirect_flash("/tariffs", "flash-tariff-added")),
        Err(AppError::Validation(e)) => {
            let data = tariffs_data(&ui, &actor, Some(&fields), Some(&e)).await?;
            ui.render_invalid("billing/tariffs", "tariffs-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AutomaticForm {
    gp_id: String,
    auto: String,
}

/// Whether the scheduler raises a GP's demands by itself each month.
async fn automatic_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<AutomaticForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let gp: i64 = form.gp_id.trim().parse().map_err(|_| AppError::NotFound)?;
    let auto = form.auto == "true";
    let now = ui.state.clock.now();
    crate::audit::write_audited(
        &ui.state,
        &actor,
        client_ip(&req),
        "update",
        "demand_run",
        move |c, a| {
            let place = crate::places::model::find_in_scope(c, &a.scope, gp)?;
            if place.level() != crate::places::Level::Gp {
                return Err(AppError::NotFound);
            }
            demands::set_auto(c, gp, auto, Some(a.user.id), now)?;
            Ok(((), Some(gp), format!("automatic demands: {auto}")))
        },
    )
    .await?;
    Ok(redirect_flash("/demands", "flash-demands-automatic"))
}

async fn late_fees_submit(ui: Ui, actor: Actor, req: HttpRequest) -> AppResult<HttpResponse> {
    api::charge_late_fees(&ui.state, &actor, client_ip(&req)).await?;
    Ok(redirect_flash("/demands", "flash-late-fees-charged"))
}
