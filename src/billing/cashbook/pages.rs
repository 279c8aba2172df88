//! The cash book page: a GP's month (opening balance, entries and tariff collections, closing
//! balance, cost recovery) with the form to add an entry and cancelling one, and the month as
//! CSV.

use super::{service, CashbookQuery, EntryInput, Kind, EXPENSE_HEADS, INCOME_HEADS};
use crate::auth::{Actor, Verb};
use crate::billing::ledger::pages::gps_in_scope;
use crate::billing::payments::Mode;
use crate::error::{AppError, AppResult};
use crate::web::i18n::today_in_india;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/cashbook", web::get().to(cashbook_page))
        .route("/cashbook/new", web::get().to(entry_page))
        .route("/cashbook.csv", web::get().to(cashbook_csv))
        .route("/cashbook", web::post().to(cashbook_submit))
        .route(
            "/cashbook/{id:\\d+}/cancel",
            web::post().to(cashbook_cancel_submit),
        );
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReasonForm {
    reason: String,
}

async fn cashbook_data(
    ui: &Ui,
    actor: &Actor,
    q: CashbookQuery,
    form: Option<EntryInput>,
) -> AppResult<Value> {
    let a = actor.clone();
    let view = ui
        .state
        .service(move |ctx| service::view(ctx, &a, &q))
        .await?;
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
    // filtered to a scheme: its name, and the filter kept on the month links and the CSV
    let scheme = match &view.scheme {
        Some(costs) => {
            let id = costs.scheme_id;
            let s = ui
                .state
                .db
                .run(move |c| crate::schemes::model::find(c, id))
                .await?;
            Some(json!({
                "id": id,
                "name": s.display_name(ui.lang()),
                "costs": costs,
            }))
        }
        None => None,
    };
    let also = view
        .scheme
        .as_ref()
        .map(|c| format!("&scheme={}", c.scheme_id))
        .unwrap_or_default();
    Ok(json!({
        "csv_url": format!(
            "/cashbook.csv?month={}&gp={}{also}",
            month.format("%Y-%m"),
            view.statement.gp_id
        ),
        "scheme": scheme,
        "also": also,
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
        "entry_only": false,
        "form": form.unwrap_or_else(|| EntryInput {
            gp_id: view.statement.gp_id.to_string(),
            kind: Kind::Expense.as_str().into(),
            entry_on: today.to_string(),
            mode: Mode::Cash.as_str().into(),
            ..Default::default()
        }),
        "income_heads": ui.choices("cashbook-head-income-", &INCOME_HEADS),
        "expense_heads": ui.choices("cashbook-head-expense-", &EXPENSE_HEADS),
        "modes": ui.choices("payment-mode-", &Mode::texts()),
        "picks": {
            "breakdowns": view.unrecorded.breakdowns.iter().map(pick).collect::<Vec<_>>(),
            "tasks": view.unrecorded.tasks.iter().map(pick).collect::<Vec<_>>(),
        },
    }))
}

/// One choice of the entry form's lists of work not yet in the book.
fn pick(w: &super::model::WorkCost) -> Value {
    json!({
        "value": w.value,
        "label": format!(
            "{} · {} · {}",
            w.what,
            crate::web::i18n::format_date(w.on),
            crate::web::i18n::format_money(w.cost_paise)
        ),
    })
}

async fn cashbook_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<CashbookQuery>,
) -> AppResult<HttpResponse> {
    let data = cashbook_data(&ui, &actor, q.into_inner(), None).await?;
    ui.render("billing/cashbook", "cashbook-title", data)
}

/// The form to add an entry, on a short page of its own (the month's statement is long on a
/// phone; a failed entry comes back here, its errors on screen).
async fn entry_page(ui: Ui, actor: Actor, q: web::Query<CashbookQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let mut data = cashbook_data(&ui, &actor, q.into_inner(), None).await?;
    data["entry_only"] = json!(true);
    ui.render("billing/cashbook", "cashbook-add", data)
}

/// The month's statement as on the page, as CSV: the opening balance, each line with its
/// running balance, and the closing line with the month's totals. One GP's month is short,
/// so it is written in memory; the GP and the month are checked as for the page.
async fn cashbook_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<CashbookQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let s = ui
        .state
        .service(move |ctx| service::view(ctx, &actor, &q))
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
    let rupees = crate::web::csv::rupees;
    let opt = |v: &Option<String>| String::from(v.as_deref().unwrap_or(""));
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
    form: web::Form<EntryInput>,
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
        ..Default::default()
    };
    let (a, ip, typed) = (actor.clone(), client_ip(&req), input.clone());
    let added = ui
        .state
        .service(move |ctx| service::add_entry(ctx, &a, &ip, &typed))
        .await;
    match added {
        Ok(e) => Ok(redirect_flash(
            &format!(
                "/cashbook?month={}&gp={}",
                e.entry_on.format("%Y-%m"),
                e.gp_id
            ),
            "flash-cashbook-added",
        )),
        Err(AppError::Validation(e)) => {
            let mut data = cashbook_data(&ui, &actor, back, Some(input)).await?;
            data["entry_only"] = json!(true);
            ui.render_invalid("billing/cashbook", "cashbook-add", &e, data)
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
    let (a, ip, reason) = (actor.clone(), client_ip(&req), form.into_inner().reason);
    let cancelled = ui
        .state
        .service(move |ctx| service::cancel_entry(ctx, &a, &ip, id, &reason))
        .await;
    match cancelled {
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

/// What the page of a repair or a task shows of the cash-book entry that paid for it: the
/// amount, the date and a link to that month of the book.
pub fn entry_link(e: &super::Entry) -> serde_json::Value {
    serde_json::json!({
        "amount": crate::web::i18n::format_money(e.amount_paise),
        "on": crate::web::i18n::format_date(e.entry_on),
        "href": format!("/cashbook?gp={}&month={}", e.gp_id, e.entry_on.format("%Y-%m")),
    })
}
