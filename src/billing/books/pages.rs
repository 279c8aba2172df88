//! Receipt book pages: the books in scope (filters, pages) with the issue form, one book with
//! its leaves and the close and cancel-a-leaf forms, the printable accounting of a GP's year,
//! and `/receipt-books/mine.json` (the caller's open books for the offline app, with the
//! browser's session: `/api/v1` takes bearer tokens only).

use super::model::{self, BookFilter};
use super::{service, BookStatus, Fate, ReceiptBookInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/receipt-books", web::get().to(books_page))
        .route("/receipt-books", web::post().to(issue_submit))
        .route("/receipt-books/mine.json", web::get().to(mine_json))
        .route("/receipt-books/accounting", web::get().to(accounting_page))
        .route("/receipt-books/{id:\\d+}", web::get().to(book_page))
        .route(
            "/receipt-books/{id:\\d+}/close",
            web::post().to(close_submit),
        )
        .route(
            "/receipt-books/{id:\\d+}/leaves/{seq:\\d+}/cancel",
            web::post().to(cancel_leaf_submit),
        );
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GpQuery {
    gp: String,
}

/// The list with its filters, and the issue form (kept as typed when it failed).
async fn books_data(
    ui: &Ui,
    actor: &Actor,
    f: BookFilter,
    gp_raw: String,
    form: Option<ReceiptBookInput>,
) -> AppResult<Value> {
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (scope, f2) = (actor.scope, f.clone());
    let (rows, total, gp, collectors, gps) = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = model::list(c, &scope, &f2, page)?;
            let gp = scope.gp_named(c, &gp_raw)?;
            let collectors = match gp {
                Some(gp) => model::collectors(c, gp)?,
                None => vec![],
            };
            let gps = model::gps_in_scope(c, &scope)?;
            Ok((rows, total, gp, collectors, gps))
        })
        .await?;
    let qs = query_string(&[
        ("collector", f.collector.map(|c| c.to_string())),
        ("status", f.status.clone()),
    ]);
    let form = form.unwrap_or_else(|| ReceiptBookInput {
        size: ui.state.config.offline.receipt_book_size.to_string(),
        collector_id: actor.user.id.to_string(),
        gp_id: gp.map(|g| g.to_string()).unwrap_or_default(),
        ..Default::default()
    });
    let collectors: Vec<Value> = collectors
        .into_iter()
        .map(|(id, name)| json!({"value": id.to_string(), "id": id, "label": name}))
        .collect();
    let gps: Vec<Value> = gps
        .into_iter()
        .map(|(id, name)| json!({"value": id.to_string(), "label": name}))
        .collect();
    let fy = crate::billing::payments::financial_year(crate::web::i18n::today_in_india(
        ui.state.clock.now(),
    ));
    Ok(json!({
        "rows": rows,
        "filter": f,
        "statuses": ui.choices("receipt-book-status-", &BookStatus::ALL.map(BookStatus::as_str)),
        "pager": Pager::new(page, total, "/receipt-books", &qs),
        "can_manage": actor.can(Verb::ManageBilling),
        "collectors": collectors,
        "gps": gps,
        "choose_gp": gp.is_none() || gps.len() > 1,
        "gp": gp,
        "form": form,
        "fy": fy,
        "max_size": super::MAX_BOOK_SIZE,
        "idempotency_key": crate::auth::random_token(),
    }))
}

async fn books_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<BookFilter>,
    gp: web::Query<GpQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = books_data(&ui, &actor, q.into_inner(), gp.into_inner().gp, None).await?;
    ui.render("billing/receipt_books", "receipt-books-title", data)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IssueForm {
    #[serde(flatten)]
    input: ReceiptBookInput,
}

async fn issue_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    form: web::Form<IssueForm>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let input = form.into_inner().input;
    let (a, ip, typed) = (actor.clone(), client_ip(&req), input.clone());
    let r = ui
        .state
        .service(move |ctx| service::issue(ctx, &a, &ip, &typed))
        .await;
    match r {
        Ok(b) => Ok(redirect_flash(
            &format!("/receipt-books/{}", b.id),
            "flash-receipt-book-issued",
        )),
        Err(AppError::Validation(e)) => {
            let gp = input.gp_id.clone();
            let data = books_data(&ui, &actor, BookFilter::default(), gp, Some(input)).await?;
            ui.render_invalid("billing/receipt_books", "receipt-books-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// One book: its numbers, each with its fate, and (while open) the close and cancel forms.
async fn book_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let scope = actor.scope;
    let (row, used, leaves) = ui
        .state
        .db
        .run(move |c| {
            let b = model::find_in_scope(c, &scope, id)?;
            let used = model::used_seqs(c, &b)?;
            let leaves = model::leaves_of(c, b.id)?;
            Ok((model::row(c, b)?, used, leaves))
        })
        .await?;
    let b = &row.book;
    let numbers: Vec<Value> = (b.first_seq..=b.last_seq)
        .map(|seq| {
            let leaf = leaves.iter().find(|l| l.seq == seq);
            let fate = match leaf {
                Some(l) if l.fate == super::LeafFate::Cancelled.as_str() => Some(Fate::Cancelled),
                Some(_) => Some(Fate::Returned),
                None if used.contains(&seq) => Some(Fate::Payment),
                None => None,
            };
            json!({
                "seq": seq,
                "receipt_no": crate::billing::payments::numbered(&row.prefix, seq),
                "fate_key": fate.map(Fate::label_key),
                "free": fate.is_none(),
                "reason": leaf.and_then(|l| l.reason.clone()),
            })
        })
        .collect();
    let free = numbers.iter().filter(|n| n["free"] == json!(true)).count();
    Ok(json!({
        "book": row,
        "open": row.book.is_open(),
        "numbers": numbers,
        "free": free,
        "can_manage": actor.can(Verb::ManageBilling),
        "status_key": format!("receipt-book-status-{}", row.book.status),
    }))
}

async fn book_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let data = book_data(&ui, &actor, path.into_inner()).await?;
    ui.render("billing/receipt_book", "receipt-book-title", data)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CloseForm {
    /// "yes" when the secretary ticked that the book is back.
    confirm: String,
}

async fn close_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<CloseForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let confirmed = crate::web::forms::flag(&form.confirm);
    let (a, ip) = (actor.clone(), client_ip(&req));
    let r = ui
        .state
        .service(move |ctx| service::close(ctx, &a, &ip, id, confirmed))
        .await;
    match r {
        Ok(_) => Ok(redirect_flash(
            &format!("/receipt-books/{id}"),
            "flash-receipt-book-closed",
        )),
        Err(AppError::Validation(e)) => invalid_book(&ui, &actor, id, &e).await,
        Err(e) => Err(e),
    }
}

async fn invalid_book(ui: &Ui, actor: &Actor, id: i64, e: &FieldErrors) -> AppResult<HttpResponse> {
    let data = book_data(ui, actor, id).await?;
    ui.render_invalid("billing/receipt_book", "receipt-book-title", e, data)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReasonForm {
    reason: String,
}

async fn cancel_leaf_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    form: web::Form<ReasonForm>,
) -> AppResult<HttpResponse> {
    let (id, seq) = path.into_inner();
    let (a, ip, reason) = (actor.clone(), client_ip(&req), form.into_inner().reason);
    let r = ui
        .state
        .service(move |ctx| service::cancel_leaf(ctx, &a, &ip, id, seq, &reason))
        .await;
    match r {
        Ok(_) => Ok(redirect_flash(
            &format!("/receipt-books/{id}"),
            "flash-receipt-leaf-cancelled",
        )),
        Err(AppError::Validation(e)) => invalid_book(&ui, &actor, id, &e).await,
        Err(e) => Err(e),
    }
}

/// `/receipt-books/mine.json`: the caller's open books (as `/api/v1/receipt-books/mine`).
async fn mine_json(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageBilling)?;
    let books = ui.state.db.run(move |c| model::mine(c, &actor)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(books))
}

async fn accounting_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<super::AccountingQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBilling)?;
    let q = q.into_inner();
    let today = crate::web::i18n::today_in_india(ui.state.clock.now());
    let scope = actor.scope;
    let (q2, a) = (q.clone(), actor.clone());
    let (acc, gps) = ui
        .state
        .db
        .run(move |c| {
            let acc = service::accounting(c, &a, &q2, today)?;
            Ok((acc, model::gps_in_scope(c, &scope)?))
        })
        .await?;
    let runs: Vec<Value> = acc
        .accounting
        .runs
        .iter()
        .map(|r| {
            let mut v = json!(r);
            v["fate_key"] = json!(r.fate.label_key());
            v["from_no"] = json!(crate::billing::payments::numbered(&acc.prefix, r.first));
            v["to_no"] = json!(crate::billing::payments::numbered(&acc.prefix, r.last));
            v
        })
        .collect();
    let gps: Vec<Value> = gps
        .into_iter()
        .map(|(id, name)| json!({"value": id, "label": name}))
        .collect();
    ui.render(
        "billing/receipt_accounting",
        "receipt-accounting-title",
        json!({
            "choose_gp": gps.len() > 1,
            "gps": gps,
            "runs": runs,
            "acc": acc,
            "gaps": acc.accounting.missing.len() + acc.accounting.doubled.len(),
        }),
    )
}
