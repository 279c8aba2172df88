//! Receipt books' rows and queries: a book, its leaves, reserving a block from the GP's receipt
//! counter, the numbers a book's payments took, the list in a scope, the caller's open books,
//! the collectors a book may go to, and the reads of a year's accounting.

use super::{account, Accounting, BookSpan, BookStatus, LeafFate};
use crate::auth::{Actor, Role, Scope, Verb};
use crate::db::schema::{payments, places, receipt_books, receipt_counters, receipt_leaves, users};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = receipt_books)]
pub struct ReceiptBook {
    pub id: i64,
    pub gp_id: i64,
    /// The financial year its numbers belong to, e.g. `2026-27`.
    pub fy: String,
    pub collector_id: i64,
    pub device_label: Option<String>,
    pub first_seq: i64,
    pub last_seq: i64,
    /// open or closed.
    pub status: String,
    pub issued_by: i64,
    #[serde(with = "crate::clock::utc")]
    pub issued_at: NaiveDateTime,
    #[serde(with = "crate::clock::utc")]
    pub updated_at: NaiveDateTime,
    pub closed_by: Option<i64>,
    #[serde(with = "crate::clock::utc::option")]
    pub closed_at: Option<NaiveDateTime>,
}

impl ReceiptBook {
    pub fn is_open(&self) -> bool {
        self.status == BookStatus::Open.as_str()
    }

    pub fn size(&self) -> i64 {
        self.last_seq - self.first_seq + 1
    }

    pub fn span(&self) -> BookSpan {
        BookSpan {
            id: self.id,
            first_seq: self.first_seq,
            last_seq: self.last_seq,
            open: self.is_open(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = receipt_leaves)]
pub struct ReceiptLeaf {
    pub id: i64,
    pub gp_id: i64,
    pub fy: String,
    pub seq: i64,
    pub book_id: i64,
    /// returned or cancelled.
    pub fate: String,
    pub reason: Option<String>,
    pub by_user: i64,
    #[serde(with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

/// Reserve `n` numbers of a GP's year in one statement: the counter moves on by `n` and the
/// block is `(first, last)`. Run it inside the book's write transaction.
pub fn reserve(conn: &mut DbConn, gp_id: i64, fy: &str, n: i64) -> AppResult<(i64, i64)> {
    let last: i64 = crate::on_backend!(conn, |c| diesel::insert_into(receipt_counters::table)
        .values((
            receipt_counters::gp_id.eq(gp_id),
            receipt_counters::fy.eq(fy),
            receipt_counters::last_number.eq(n),
        ))
        .on_conflict((receipt_counters::gp_id, receipt_counters::fy))
        .do_update()
        .set(receipt_counters::last_number.eq(receipt_counters::last_number + n))
        .returning(receipt_counters::last_number)
        .get_result::<i64>(c))?;
    Ok((last - n + 1, last))
}

/// The last number given out of a GP's year (0 when none).
pub fn counter(conn: &mut DbConn, gp_id: i64, fy: &str) -> AppResult<i64> {
    Ok(receipt_counters::table
        .filter(receipt_counters::gp_id.eq(gp_id))
        .filter(receipt_counters::fy.eq(fy))
        .select(receipt_counters::last_number)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

pub fn find(conn: &mut DbConn, id: i64) -> AppResult<ReceiptBook> {
    receipt_books::table
        .find(id)
        .select(ReceiptBook::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: i64) -> AppResult<ReceiptBook> {
    receipt_books::table
        .filter(receipt_books::id.eq(id))
        .filter(crate::in_scope!(
            scope,
            receipt_books::table,
            receipt_books::gp_id
        ))
        .select(ReceiptBook::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Touch the book's row first thing in a transaction that uses or closes it: a payment from
/// the book, a cancelled leaf and closing then wait for one another (PostgreSQL's row lock;
/// SQLite has one writer anyway), and what they read next is what the one before committed.
pub fn lock(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> AppResult<ReceiptBook> {
    let n = diesel::update(receipt_books::table.filter(receipt_books::id.eq(id)))
        .set(receipt_books::updated_at.eq(now))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    find(conn, id)
}

/// The numbers of a book that payments took (valid or cancelled), in order.
pub fn used_seqs(conn: &mut DbConn, book: &ReceiptBook) -> AppResult<Vec<i64>> {
    Ok(payments::table
        .filter(payments::gp_id.eq(book.gp_id))
        .filter(payments::fy.eq(&book.fy))
        .filter(payments::seq.between(book.first_seq, book.last_seq))
        .order(payments::seq.asc())
        .select(payments::seq)
        .load(conn)?)
}

/// A book's returned and cancelled leaves, in order.
pub fn leaves_of(conn: &mut DbConn, book_id: i64) -> AppResult<Vec<ReceiptLeaf>> {
    Ok(receipt_leaves::table
        .filter(receipt_leaves::book_id.eq(book_id))
        .order(receipt_leaves::seq.asc())
        .select(ReceiptLeaf::as_select())
        .load(conn)?)
}

/// The leaf recorded for a number of a GP's year, if any.
pub fn leaf(conn: &mut DbConn, gp_id: i64, fy: &str, seq: i64) -> AppResult<Option<ReceiptLeaf>> {
    Ok(receipt_leaves::table
        .filter(receipt_leaves::gp_id.eq(gp_id))
        .filter(receipt_leaves::fy.eq(fy))
        .filter(receipt_leaves::seq.eq(seq))
        .select(ReceiptLeaf::as_select())
        .first(conn)
        .optional()?)
}

/// Record leaves of a book (one row per number); `reason` for a cancelled one.
#[allow(clippy::too_many_arguments)]
pub fn add_leaves(
    conn: &mut DbConn,
    book: &ReceiptBook,
    seqs: &[i64],
    fate: LeafFate,
    reason: Option<&str>,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    // a book holds at most 500 numbers: 500 rows × 8 binds stay far below both backends' caps
    let rows: Vec<_> = seqs
        .iter()
        .map(|seq| {
            (
                receipt_leaves::gp_id.eq(book.gp_id),
                receipt_leaves::fy.eq(book.fy.clone()),
                receipt_leaves::seq.eq(*seq),
                receipt_leaves::book_id.eq(book.id),
                receipt_leaves::fate.eq(fate.as_str()),
                receipt_leaves::reason.eq(reason.map(str::to_string)),
                receipt_leaves::by_user.eq(by),
                receipt_leaves::at.eq(now),
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(receipt_leaves::table)
            .values(chunk.to_vec())
            .execute(c))?;
    }
    Ok(())
}

/// The roles whose users may record payments, as stored.
fn collecting_roles() -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|r| r.allows(Verb::ManageBilling))
        .map(Role::as_str)
        .collect()
}

/// The users a GP's book may go to: active, of the GP, allowed to record payments; as
/// (id, name), by name.
pub fn collectors(conn: &mut DbConn, gp_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(users::table
        .filter(users::place_id.eq(gp_id))
        .filter(users::active.eq(true))
        .filter(users::role.eq_any(collecting_roles()))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(conn)?)
}

/// The GPs in a scope, as (id, name), for a form's choice.
pub fn gps_in_scope(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<(i64, String)>> {
    Ok(scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq("gp"))
        .order(places::name.asc())
        .select((places::id, places::name))
        .limit(500)
        .load(conn)?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookFilter {
    /// A collector (user id).
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub collector: Option<i64>,
    /// open or closed.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub page: Option<i64>,
    /// Pulling changes (set from the request's `updated_since`, never from the filter's query).
    #[serde(skip)]
    pub changes: Option<crate::web::sync::Changes>,
}

/// A book as listed: with its collector's name, its receipt prefix and how many numbers are
/// used, returned or cancelled.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceiptBookRow {
    #[serde(flatten)]
    pub book: ReceiptBook,
    pub collector_name: String,
    /// `<GP LGD>/<fy>/`, the receipt numbers' common start.
    pub prefix: String,
    pub used: i64,
    pub returned: i64,
    pub cancelled: i64,
}

/// `<GP LGD>/<fy>/` for a GP's year.
pub fn prefix(conn: &mut DbConn, gp_id: i64, fy: &str) -> AppResult<String> {
    let lgd: i64 = places::table
        .find(gp_id)
        .select(places::lgd_code)
        .first(conn)?;
    Ok(crate::billing::payments::receipt_prefix(lgd, fy))
}

/// A book with its counts, as listed.
pub fn row(conn: &mut DbConn, book: ReceiptBook) -> AppResult<ReceiptBookRow> {
    let collector_name: String = users::table
        .find(book.collector_id)
        .select(users::display_name)
        .first(conn)?;
    let used = used_seqs(conn, &book)?.len() as i64;
    let leaves = leaves_of(conn, book.id)?;
    let returned = leaves
        .iter()
        .filter(|l| l.fate == LeafFate::Returned.as_str())
        .count() as i64;
    Ok(ReceiptBookRow {
        prefix: prefix(conn, book.gp_id, &book.fy)?,
        collector_name,
        used,
        returned,
        cancelled: leaves.len() as i64 - returned,
        book,
    })
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    f: &BookFilter,
    page: crate::web::pagination::PageRequest,
) -> AppResult<(Vec<ReceiptBookRow>, i64)> {
    let build = || {
        let mut b = receipt_books::table.into_boxed().filter(crate::in_scope!(
            scope,
            receipt_books::table,
            receipt_books::gp_id
        ));
        if let Some(c) = f.collector {
            b = b.filter(receipt_books::collector_id.eq(c));
        }
        if let Some(s) = f.status.as_deref().and_then(BookStatus::parse) {
            b = b.filter(receipt_books::status.eq(s.as_str()));
        }
        // every write of a book (issued, a payment or a cancelled leaf from it, closed) sets
        // updated_at: see `lock`
        crate::changed_since!(b, f.changes, receipt_books::updated_at, receipt_books::id)
    };
    let total = build().count().get_result(conn)?;
    let books: Vec<ReceiptBook> = crate::sync_order!(
        build(),
        f.changes,
        receipt_books::updated_at,
        receipt_books::id,
        receipt_books::id.desc()
    )
    .limit(page.limit())
    .offset(page.offset())
    .select(ReceiptBook::as_select())
    .load(conn)?;
    let rows = books
        .into_iter()
        .map(|b| row(conn, b))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((rows, total))
}

/// One of the caller's open books, as the offline app needs it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceiptBookMine {
    pub id: i64,
    pub gp_id: i64,
    pub fy: String,
    /// `<GP LGD>/<fy>/`: a receipt number is this and the number as 6 digits.
    pub prefix: String,
    pub first_seq: i64,
    pub last_seq: i64,
    pub device_label: Option<String>,
    /// The numbers payments took.
    pub used: Vec<i64>,
    /// The numbers cancelled as spoiled leaves.
    pub cancelled: Vec<i64>,
    /// The first number neither used nor cancelled, or null when the book is full.
    pub next_seq: Option<i64>,
}

/// The caller's open books, oldest first.
pub fn mine(conn: &mut DbConn, actor: &Actor) -> AppResult<Vec<ReceiptBookMine>> {
    let books: Vec<ReceiptBook> = receipt_books::table
        .filter(receipt_books::collector_id.eq(actor.user.id))
        .filter(receipt_books::status.eq(BookStatus::Open.as_str()))
        .filter(crate::in_scope!(
            &actor.scope,
            receipt_books::table,
            receipt_books::gp_id
        ))
        .order(receipt_books::id.asc())
        .select(ReceiptBook::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(books.len());
    for b in books {
        let used = used_seqs(conn, &b)?;
        let cancelled: Vec<i64> = leaves_of(conn, b.id)?.into_iter().map(|l| l.seq).collect();
        let next_seq =
            (b.first_seq..=b.last_seq).find(|s| !used.contains(s) && !cancelled.contains(s));
        out.push(ReceiptBookMine {
            id: b.id,
            gp_id: b.gp_id,
            prefix: prefix(conn, b.gp_id, &b.fy)?,
            fy: b.fy,
            first_seq: b.first_seq,
            last_seq: b.last_seq,
            device_label: b.device_label,
            used,
            cancelled,
            next_seq,
        });
    }
    Ok(out)
}

/// A GP's year accounted for, number by number (see [`account`]).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceiptAccounting {
    pub gp_id: i64,
    pub gp_name: String,
    pub fy: String,
    pub prefix: String,
    #[serde(flatten)]
    pub accounting: Accounting,
}

pub fn accounting(conn: &mut DbConn, gp_id: i64, fy: &str) -> AppResult<ReceiptAccounting> {
    let last = counter(conn, gp_id, fy)?;
    let paid: Vec<(i64, Option<NaiveDateTime>)> = payments::table
        .filter(payments::gp_id.eq(gp_id))
        .filter(payments::fy.eq(fy))
        .order(payments::seq.asc())
        .select((payments::seq, payments::cancelled_at))
        .load(conn)?;
    let paid: Vec<(i64, bool)> = paid.into_iter().map(|(s, c)| (s, c.is_none())).collect();
    let leaves: Vec<(i64, String, i64)> = receipt_leaves::table
        .filter(receipt_leaves::gp_id.eq(gp_id))
        .filter(receipt_leaves::fy.eq(fy))
        .order(receipt_leaves::seq.asc())
        .select((
            receipt_leaves::seq,
            receipt_leaves::fate,
            receipt_leaves::book_id,
        ))
        .load(conn)?;
    let leaves: Vec<(i64, LeafFate, i64)> = leaves
        .into_iter()
        .map(|(s, f, b)| {
            let fate = if f == LeafFate::Cancelled.as_str() {
                LeafFate::Cancelled
            } else {
                LeafFate::Returned
            };
            (s, fate, b)
        })
        .collect();
    let books: Vec<BookSpan> = receipt_books::table
        .filter(receipt_books::gp_id.eq(gp_id))
        .filter(receipt_books::fy.eq(fy))
        .select(ReceiptBook::as_select())
        .load(conn)?
        .iter()
        .map(ReceiptBook::span)
        .collect();
    let gp = crate::places::model::find(conn, gp_id)?;
    Ok(ReceiptAccounting {
        gp_id,
        gp_name: gp.name.clone(),
        fy: fy.to_string(),
        prefix: prefix(conn, gp_id, fy)?,
        accounting: account(last, &paid, &leaves, &books),
    })
}
