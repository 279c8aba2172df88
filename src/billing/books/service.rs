//! Receipt books' use cases: issuing a book (its block reserved from the GP's counter),
//! closing it (the unused numbers returned), cancelling a spoiled leaf, each one audited
//! transaction over a `Ctx`; and the check a payment from a book passes inside the payment's
//! own transaction.

use super::model::{self, ReceiptBook, ReceiptLeaf};
use super::{parse_fy, AccountingQuery, BookStatus, LeafFate, ReceiptBookInput, MAX_BOOK_SIZE};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Verb};
use crate::context::Ctx;
use crate::db::schema::receipt_books;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// Issue a collector a book of numbers of the GP's current financial year.
pub fn issue(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: &ReceiptBookInput,
) -> AppResult<ReceiptBook> {
    actor.require(Verb::ManageBilling)?;
    let default_size = ctx.config.offline.receipt_book_size;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let mut e = FieldErrors::new();
        let gp = actor.scope.gp_named(c, &input.gp_id)?;
        if gp.is_none() {
            e.add("gp_id", "field-invalid-choice");
        }
        let size = forms::optional_int(&input.size, 1, MAX_BOOK_SIZE, "size", &mut e)
            .unwrap_or(default_size);
        let label = forms::optional_text(
            &input.device_label,
            forms::max::REFERENCE,
            "device_label",
            &mut e,
        );
        let collector = match (input.collector_id.trim().parse::<i64>(), gp) {
            (Ok(id), Some(gp)) => model::collectors(c, gp)?
                .into_iter()
                .find(|(u, _)| *u == id),
            _ => None,
        };
        if collector.is_none() {
            e.add("collector_id", "receipt-book-collector-invalid");
        }
        e.into_result()?;
        let (gp, (collector_id, collector_name)) = (
            gp.ok_or(AppError::NotFound)?,
            collector.ok_or(AppError::NotFound)?,
        );
        let fy = crate::billing::payments::financial_year(crate::web::i18n::today_in_india(now));
        let (first, last) = model::reserve(c, gp, &fy, size)?;
        let id: i64 = crate::on_backend!(c, |x| diesel::insert_into(receipt_books::table)
            .values((
                receipt_books::gp_id.eq(gp),
                receipt_books::fy.eq(&fy),
                receipt_books::collector_id.eq(collector_id),
                receipt_books::device_label.eq(&label),
                receipt_books::first_seq.eq(first),
                receipt_books::last_seq.eq(last),
                receipt_books::status.eq(BookStatus::Open.as_str()),
                receipt_books::issued_by.eq(actor.user.id),
                receipt_books::issued_at.eq(now),
                receipt_books::updated_at.eq(now),
            ))
            .returning(receipt_books::id)
            .get_result(x))?;
        log.add(
            Action::Create,
            Entity::ReceiptBook,
            Some(id),
            Detail::new("audit-detail-receipt-book")
                .text("fy", &fy)
                .count("first", first)
                .count("last", last)
                .text("collector", collector_name),
        );
        model::find(c, id)
    })
}

/// Close a book that came back: every number no payment took and no leaf records is
/// returned. Answers the book and how many numbers were returned.
pub fn close(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    confirmed: bool,
) -> AppResult<(ReceiptBook, i64)> {
    actor.require(Verb::ManageBilling)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        model::find_in_scope(c, &actor.scope, id)?;
        if !confirmed {
            let mut e = FieldErrors::new();
            e.add("confirm", "receipt-book-close-confirm-required");
            e.into_result()?;
        }
        let book = model::lock(c, id, now)?;
        if !book.is_open() {
            return Err(AppError::Conflict("receipt-book-closed".into()));
        }
        let used = model::used_seqs(c, &book)?;
        let fated: Vec<i64> = model::leaves_of(c, book.id)?
            .into_iter()
            .map(|l| l.seq)
            .collect();
        let unused: Vec<i64> = (book.first_seq..=book.last_seq)
            .filter(|s| !used.contains(s) && !fated.contains(s))
            .collect();
        model::add_leaves(
            c,
            &book,
            &unused,
            LeafFate::Returned,
            None,
            actor.user.id,
            now,
        )?;
        diesel::update(receipt_books::table.filter(receipt_books::id.eq(id)))
            .set((
                receipt_books::status.eq(BookStatus::Closed.as_str()),
                receipt_books::closed_by.eq(actor.user.id),
                receipt_books::closed_at.eq(now),
                receipt_books::updated_at.eq(now),
            ))
            .execute(c)?;
        log.add(
            Action::StatusChange,
            Entity::ReceiptBook,
            Some(id),
            Detail::new("audit-detail-receipt-book-closed")
                .count("used", used.len())
                .count("returned", unused.len()),
        );
        Ok((model::find(c, id)?, unused.len() as i64))
    })
}

/// Cancel one spoiled leaf of an open book, with a reason; no payment may take it after.
pub fn cancel_leaf(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    seq: i64,
    reason: &str,
) -> AppResult<ReceiptLeaf> {
    actor.require(Verb::ManageBilling)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        model::find_in_scope(c, &actor.scope, id)?;
        let mut e = FieldErrors::new();
        let reason = forms::required_text(reason, forms::max::REASON, "reason", &mut e);
        e.into_result()?;
        let book = model::lock(c, id, now)?;
        if !(book.first_seq..=book.last_seq).contains(&seq) {
            return Err(AppError::NotFound);
        }
        if !book.is_open() {
            return Err(AppError::Conflict("receipt-book-closed".into()));
        }
        if model::used_seqs(c, &book)?.contains(&seq) {
            return Err(AppError::Conflict("receipt-leaf-used".into()));
        }
        if model::leaf(c, book.gp_id, &book.fy, seq)?.is_some() {
            return Err(AppError::Conflict("receipt-leaf-returned".into()));
        }
        model::add_leaves(
            c,
            &book,
            &[seq],
            LeafFate::Cancelled,
            reason.as_deref(),
            actor.user.id,
            now,
        )?;
        log.add(
            Action::Cancel,
            Entity::ReceiptBook,
            Some(id),
            Detail::new("audit-detail-receipt-leaf-cancelled")
                .count("seq", seq)
                .text("reason", reason.clone().unwrap_or_default()),
        );
        model::leaf(c, book.gp_id, &book.fy, seq)?.ok_or(AppError::NotFound)
    })
}

/// The receipt number a payment takes from a leaf of a book, as (fy, seq), when the payment
/// names a book (`raw_book`, `raw_seq` as typed); `None` when it names none. The book must be
/// the caller's, of the household's GP (`gp_id`), open, and the leaf within it, not used,
/// returned nor cancelled. Run it inside the payment's write transaction: it locks the book.
pub fn leaf_for_payment(
    conn: &mut DbConn,
    actor: &Actor,
    gp_id: i64,
    raw_book: &str,
    raw_seq: &str,
    now: NaiveDateTime,
) -> AppResult<Option<(String, i64)>> {
    if raw_book.trim().is_empty() && raw_seq.trim().is_empty() {
        return Ok(None);
    }
    let mut e = FieldErrors::new();
    let book = match raw_book.trim().parse::<i64>() {
        Ok(id) => receipt_books::table
            .filter(receipt_books::id.eq(id))
            .filter(receipt_books::collector_id.eq(actor.user.id))
            .filter(crate::in_scope!(
                &actor.scope,
                receipt_books::table,
                receipt_books::gp_id
            ))
            .select(receipt_books::id)
            .first::<i64>(conn)
            .optional()?,
        Err(_) => None,
    };
    if book.is_none() {
        e.add("receipt_book_id", "receipt-book-not-yours");
    }
    let seq = forms::optional_int(raw_seq, 1, i64::MAX, "receipt_seq", &mut e);
    if seq.is_none() && !e.has("receipt_seq") {
        e.add("receipt_seq", "field-required");
    }
    e.into_result()?;
    let (Some(book), Some(seq)) = (book, seq) else {
        return Err(AppError::NotFound);
    };
    let book = model::lock(conn, book, now)?;
    let mut e = FieldErrors::new();
    if book.gp_id != gp_id {
        e.add("receipt_book_id", "receipt-book-other-gp");
    }
    if !(book.first_seq..=book.last_seq).contains(&seq) {
        e.add_with(
            "receipt_seq",
            "receipt-seq-outside-book",
            &[
                ("first", book.first_seq.to_string()),
                ("last", book.last_seq.to_string()),
            ],
        );
    }
    e.into_result()?;
    if model::used_seqs(conn, &book)?.contains(&seq) {
        return Err(AppError::Conflict("receipt-leaf-used".into()));
    }
    if model::leaf(conn, book.gp_id, &book.fy, seq)?.is_some() || !book.is_open() {
        return Err(AppError::Conflict("receipt-leaf-returned".into()));
    }
    Ok(Some((book.fy, seq)))
}

/// A GP's year accounted for (`q.gp`, or the caller's own GP, or the first GP in scope; `q.fy`
/// or the year of `today`). A GP outside the scope is not found.
pub fn accounting(
    conn: &mut DbConn,
    actor: &Actor,
    q: &AccountingQuery,
    today: NaiveDate,
) -> AppResult<model::ReceiptAccounting> {
    actor.require(Verb::ViewBilling)?;
    let gp = match actor.scope.gp_named(conn, &q.gp)? {
        Some(gp) => gp,
        None if q.gp.trim().is_empty() => model::gps_in_scope(conn, &actor.scope)?
            .first()
            .map(|g| g.0)
            .ok_or(AppError::NotFound)?,
        None => return Err(AppError::NotFound),
    };
    let fy = match q.fy.trim() {
        "" => crate::billing::payments::financial_year(today),
        raw => parse_fy(raw).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add("fy", "receipt-fy-invalid");
            AppError::Validation(e)
        })?,
    };
    model::accounting(conn, gp, &fy)
}
