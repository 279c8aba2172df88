//! Payment pages: the payments list and its CSV, recording a payment (from a household's
//! ledger), cancelling one, and the printable receipt (for a logged-in user, and by its
//! shareable link).

use super::model::{self, PaymentFilter, Receipt};
use super::{mode_key, service, Layout, Mode, PaymentInput};
use crate::auth::{Actor, Verb};
use crate::billing::ledger::pages::ledger_data;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/payments", web::get().to(payments_page))
        .route("/payments.csv", web::get().to(payments_csv))
        .route("/payments", web::post().to(record_submit))
        .route("/payments/new", web::get().to(counter_page))
        .route("/payments/{id:\\d+}/receipt", web::get().to(receipt_page))
        .route("/payments/{id:\\d+}/cancel", web::post().to(cancel_submit))
        .route("/r/{token}", web::get().to(shared_receipt));
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct PaymentForm {
    #[serde(flatten)]
    input: PaymentInput,
    idempotency_key: String,
    /// "1" when sent from the counter's page (`/payments/new`): its errors show there.
    counter: String,
    /// The choice about a household disconnected meanwhile (`web::changed`).
    on_conflict: String,
}

async fn record_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<PaymentForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let sent = crate::web::changed::form_fields(&*form);
    let resend = crate::web::changed::Resend::from_request(&req, &form.on_conflict);
    let PaymentForm {
        input,
        idempotency_key,
        counter,
        ..
    } = form.into_inner();
    // the form carries a fresh key each time it is drawn: a double tap records once
    let key = super::check_key(&idempotency_key).ok();
    let household: i64 = input
        .household_id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let (a, ip, typed) = (actor.clone(), client_ip(&req), input.clone());
    let recorded = ui
        .state
        .service(move |ctx| service::record_once(ctx, &a, &ip, &typed, key.as_deref(), resend))
        .await;
    match recorded {
        Ok((p, _)) => Ok(redirect_flash(
            &format!("/payments/{}/receipt", p.id),
            "flash-payment-recorded",
        )),
        Err(AppError::Validation(e)) if counter == "1" => {
            // the same key goes back into the form: the corrected form still records once
            let data = counter_data(&ui, &actor, household, Some(input), &idempotency_key).await?;
            ui.render_invalid("billing/payment_new", "payment-record-title", &e, data)
        }
        Err(AppError::Validation(e)) => {
            let data = ledger_data(&ui, &actor, household, Some(input)).await?;
            ui.render_invalid("billing/ledger", "ledger-title", &e, data)
        }
        Err(e) => Err(crate::web::changed::keep_form(
            e,
            sent.iter().map(|(k, v)| (k.as_str(), v.clone())),
        )),
    }
}

/// The counter's search: a household by name, connection number or phone.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindQuery {
    find: String,
}

/// How many households the counter's search shows (a name is rarely shared by more).
const FOUND_MAX: i64 = 20;

/// Households in scope matching the counter's search, each with what it owes now.
async fn find_households(ui: &Ui, actor: &Actor, term: &str) -> AppResult<Value> {
    let (scope, lang) = (actor.scope, ui.lang());
    let f = crate::billing::households::HouseholdFilter {
        q: Some(term.to_string()),
        ..Default::default()
    };
    let found = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = crate::billing::households::list(
                c,
                &scope,
                &f,
                PageRequest::new(Some(1), FOUND_MAX),
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for h in rows {
                let due = crate::billing::ledger::model::ledger(c, &h)?
                    .standing
                    .balance_paise;
                let village = crate::places::model::find(c, h.village_id)?
                    .display_name(lang)
                    .to_string();
                out.push(json!({"id": h.id, "connection_no": h.connection_no,
                    "head_name": h.head_name, "phone": h.phone, "village": village,
                    "due_paise": due.max(0)}));
            }
            Ok((out, total))
        })
        .await?;
    Ok(json!({"rows": found.0, "more": found.1 > FOUND_MAX}))
}

/// Rupees as the payment form takes them: "150" or "150.50".
fn amount_text(paise: i64) -> String {
    if paise % 100 == 0 {
        (paise / 100).to_string()
    } else {
        crate::web::csv::rupees(paise)
    }
}

/// The payment form's receipt books: the user's open books of the household's GP, whose
/// leaves a payment may take (the ledger page and the counter).
pub(crate) fn book_choices(c: &mut DbConn, actor: &Actor, gp_id: i64) -> AppResult<Vec<Value>> {
    Ok(crate::billing::books::model::mine(c, actor)?
        .iter()
        .filter(|b| b.gp_id == gp_id)
        .map(|b| {
            let device = b.device_label.as_deref().map(|d| format!(" ({d})"));
            json!({"value": b.id.to_string(),
                "label": format!("{}{}–{}{}", b.prefix, b.first_seq, b.last_seq, device.unwrap_or_default())})
        })
        .collect())
}

/// The counter's payment form for one household, prefilled with what it owes.
async fn counter_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<PaymentInput>,
    idempotency_key: &str,
) -> AppResult<Value> {
    let (scope, lang) = (actor.scope, ui.lang());
    let a = actor.clone();
    let (h, due, village, books) = ui
        .state
        .db
        .run(move |c| {
            let h = crate::billing::households::find_in_scope(c, &scope, id)?;
            let due = crate::billing::ledger::model::ledger(c, &h)?
                .standing
                .balance_paise;
            let village = crate::places::model::find(c, h.village_id)?
                .display_name(lang)
                .to_string();
            let books = book_choices(c, &a, h.gp_id)?;
            Ok((h, due, village, books))
        })
        .await?;
    let today = crate::web::i18n::today_in_india(ui.state.clock.now());
    let form = form.unwrap_or_else(|| PaymentInput {
        household_id: h.id.to_string(),
        amount: if due > 0 {
            amount_text(due)
        } else {
            String::new()
        },
        paid_on: today.to_string(),
        mode: Mode::Cash.as_str().into(),
        collected_by: actor.user.display_name.clone(),
        ..Default::default()
    });
    let key = super::check_key(idempotency_key)
        .ok()
        .unwrap_or_else(crate::auth::random_token);
    Ok(json!({
        "household": h,
        "village": village,
        "due_paise": due.max(0),
        "advance_paise": (-due).max(0),
        "form": form,
        "modes": ui.choices("payment-mode-", &Mode::texts()),
        "idempotency_key": key,
        "books": books,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CounterQuery {
    household: String,
}

/// `/payments/new?household=ID`: the counter's payment form, prefilled; a household outside
/// the scope (or none) is not found.
async fn counter_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<CounterQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let id: i64 = q.household.trim().parse().map_err(|_| AppError::NotFound)?;
    let data = counter_data(&ui, &actor, id, None, "").await?;
    ui.render("billing/payment_new", "payment-record-title", data)
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
    let (a, ip, reason) = (actor.clone(), client_ip(&req), form.into_inner().reason);
    let r = ui
        .state
        .service(move |ctx| service::cancel_payment(ctx, &a, &ip, id, &reason))
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
                .run(move |c| model::find_in_scope(c, &scope, id))
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
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "payments.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list(c, &scope, &f, page)?.0),
                |_, rows| {
                    for r in rows {
                        let p = &r.payment;
                        emit(vec![
                            p.receipt_no.clone(),
                            p.paid_on.to_string(),
                            r.connection_no.clone(),
                            String::from(&r.head_name),
                            crate::web::csv::rupees(p.amount_paise),
                            p.mode.clone(),
                            String::from(p.reference.as_deref().unwrap_or("")),
                            String::from(&p.collected_by),
                            p.covers_from.map(|d| d.to_string()).unwrap_or_default(),
                            p.covers_to.map(|d| d.to_string()).unwrap_or_default(),
                            p.cancelled_at.map(|t| t.to_string()).unwrap_or_default(),
                            String::from(p.cancel_reason.as_deref().unwrap_or("")),
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
    find: web::Query<FindQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let f = q.into_inner();
    let term = find.into_inner().find.trim().to_string();
    let found = if term.is_empty() || !actor.can(Verb::ManageBilling) {
        Value::Null
    } else {
        find_households(&ui, &actor, &term).await?
    };
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (f2, scope) = (f.clone(), actor.scope);
    let (rows, total) = ui
        .state
        .db
        .run(move |c| model::list(c, &scope, &f2, page))
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
            v["mode_key"] = json!(mode_key(&p.payment.mode));
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
            "modes": ui.choices("payment-mode-", &Mode::texts()),
            "pager": Pager::new(page, total, "/payments", &qs),
            "page_total_paise": total_paise,
            "can_record": actor.can(Verb::ManageBilling),
            "find": term,
            "found": found,
        }),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PrintQuery {
    /// a6 (default) or 58mm.
    pub layout: String,
}

fn layout_of(q: &PrintQuery) -> &'static str {
    Layout::parse(&q.layout).unwrap_or(Layout::A6).as_str()
}

/// The receipt page for a payment already found (in scope, or by its token).
fn render(ui: &Ui, r: Receipt, layout: &str, shared: bool) -> AppResult<HttpResponse> {
    let receipt_path = if shared {
        format!("/r/{}", r.payment.token)
    } else {
        format!("/payments/{}/receipt", r.payment.id)
    };
    // a plain link WhatsApp opens with the text filled in; no script needed
    let head = ui.t_args(
        "receipt-share-message",
        &[("no", r.payment.receipt_no.clone())],
    );
    let message = [head.as_str(), &r.amount, &r.months, &r.link]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let whatsapp_url = crate::web::render::whatsapp_url(&message);
    ui.render(
        "billing/receipt",
        "receipt-title",
        json!({
            "whatsapp_url": whatsapp_url,
            "mode_key": mode_key(&r.payment.mode),
            "receipt": r,
            "layout": layout,
            "layouts": Layout::ALL.map(Layout::as_str),
            "receipt_path": receipt_path,
            "shared": shared,
        }),
    )
}

/// `/r/{token}`: the receipt for whoever has the link.
async fn shared_receipt(
    ui: Ui,
    path: web::Path<String>,
    q: web::Query<PrintQuery>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let (i18n, lang) = (ui.state.i18n.clone(), ui.lang());
    let base = ui.state.config.public_url();
    let r = ui
        .state
        .db
        .run(move |c| {
            let p = model::find_by_token(c, &token)?;
            model::receipt(c, &i18n, lang, &base, p)
        })
        .await?;
    render(&ui, r, layout_of(&q), true)
}

/// `/payments/{id}/receipt` for a logged-in user with the payment in scope.
async fn receipt_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<PrintQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let (i18n, lang) = (ui.state.i18n.clone(), ui.lang());
    let base = ui.state.config.public_url();
    let r = ui
        .state
        .db
        .run(move |c| {
            let p = model::find_in_scope(c, &scope, id)?;
            model::receipt(c, &i18n, lang, &base, p)
        })
        .await?;
    render(&ui, r, layout_of(&q), false)
}
