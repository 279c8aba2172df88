//! Receipt books: a block of a GP's receipt numbers for one financial year, issued to a
//! collector so payments taken without a signal still get their final receipt numbers. The
//! block is reserved from the GP's counter (`receipt_counters`) in one statement when the book
//! is issued, so online payments simply continue after it. A payment that names its book and
//! leaf (`receipt_book_id`, `receipt_seq`) takes that number instead of the counter's.
//!
//! A book is closed when it comes back: every number no payment took is recorded as returned
//! (a `receipt_leaves` row per number); a spoiled leaf is cancelled with a reason. So every
//! number of a GP's year is a payment (valid or cancelled), a number still unused in an open
//! book, or a returned or cancelled leaf: the accounting ([`account`]) shows each number's
//! fate and names any gap.
//!
//! A payment from a book, a cancelled leaf and closing all start by touching the book's row
//! (`model::lock`), so they wait for one another and a number is never both paid and returned.
//!
//! `model` holds books, leaves and the accounting's reads, `service` issuing, closing,
//! cancelling a leaf and the check a payment from a book passes, `pages` `/receipt-books`,
//! `api` `/api/v1/receipt-books`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{find_in_scope, ReceiptBook, ReceiptLeaf};
pub use service::{cancel_leaf, close, issue, leaf_for_payment};

use serde::{Deserialize, Serialize};

/// The most numbers one book may hold (and `offline.receipt_book_size`'s ceiling).
pub const MAX_BOOK_SIZE: i64 = 500;

/// Whether a book is still with its collector (`receipt_books.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookStatus {
    Open,
    Closed,
}

impl BookStatus {
    pub const ALL: [BookStatus; 2] = [BookStatus::Open, BookStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            BookStatus::Open => "open",
            BookStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<BookStatus> {
        BookStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// Why a book's number will never be a payment (`receipt_leaves.fate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafFate {
    /// Unused when the book was closed.
    Returned,
    /// Spoiled, cancelled with a reason.
    Cancelled,
}

impl LeafFate {
    pub fn as_str(self) -> &'static str {
        match self {
            LeafFate::Returned => "returned",
            LeafFate::Cancelled => "cancelled",
        }
    }
}

/// A book as the secretary fills the issue form (text, like every form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReceiptBookInput {
    /// The collector (a user id of the GP who may record payments; the issuer may name
    /// themself).
    pub collector_id: String,
    /// How many numbers, 1 to 500; `offline.receipt_book_size` (50) when left out.
    pub size: String,
    /// Which phone the book is on, e.g. "Sunita's phone" (optional).
    pub device_label: String,
    /// The GP (id); the issuer's own GP when left out.
    pub gp_id: String,
}

/// Which GP's year the accounting shows.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AccountingQuery {
    /// The financial year, e.g. `2026-27`; the current one when left out.
    pub fy: String,
    /// The GP (id); the caller's own GP (or the first in scope) when left out.
    pub gp: String,
}

/// A financial year as typed (`2026-27`), when it is one.
pub fn parse_fy(raw: &str) -> Option<String> {
    let (a, b) = raw.trim().split_once('-')?;
    let start: i32 = a.parse().ok()?;
    let end: i32 = b.parse().ok()?;
    let ok = a.len() == 4 && b.len() == 2 && (1900..=2999).contains(&start);
    (ok && end == (start + 1) % 100).then(|| format!("{start}-{end:02}"))
}

/// What a number of a GP's year became, as the accounting shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReceiptBookFate)]
pub enum Fate {
    /// A valid payment's receipt.
    Payment,
    /// A payment since cancelled (its number stays, marked cancelled).
    PaymentCancelled,
    /// Not used yet, in a book still with its collector.
    Open,
    /// Returned unused when its book was closed.
    Returned,
    /// A spoiled leaf, cancelled.
    Cancelled,
    /// Nothing accounts for it.
    Missing,
}

impl Fate {
    /// Translation key of the fate's name.
    pub fn label_key(self) -> String {
        let s = match self {
            Fate::Payment => "payment",
            Fate::PaymentCancelled => "payment_cancelled",
            Fate::Open => "open",
            Fate::Returned => "returned",
            Fate::Cancelled => "cancelled",
            Fate::Missing => "missing",
        };
        format!("receipt-fate-{s}")
    }
}

/// Consecutive numbers with the same fate (and book).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ReceiptBookRun)]
pub struct Run {
    pub fate: Fate,
    pub first: i64,
    pub last: i64,
    pub count: i64,
    /// The book the numbers belong to, if any.
    pub book_id: Option<i64>,
}

/// Every number 1..=`last_number` of a GP's year with its fate, as runs, and what is wrong.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
#[schema(as = ReceiptBookAccounting)]
pub struct Accounting {
    /// The counter: numbers 1 to this were given out (to payments or books).
    pub last_number: i64,
    pub runs: Vec<Run>,
    pub payments: i64,
    pub payments_cancelled: i64,
    pub open: i64,
    pub returned: i64,
    pub cancelled: i64,
    /// Numbers nothing accounts for.
    pub missing: Vec<i64>,
    /// Numbers accounted for twice (a payment and a leaf, or two of either).
    pub doubled: Vec<i64>,
    /// Every number accounted for exactly once.
    pub all_accounted: bool,
}

/// A book's range and whether it is open, for [`account`].
#[derive(Debug, Clone, Copy)]
pub struct BookSpan {
    pub id: i64,
    pub first_seq: i64,
    pub last_seq: i64,
    pub open: bool,
}

/// Account for every number 1..=`last_number`: `payments` are (seq, valid), `leaves` (seq,
/// fate, book). A number in an open book with no payment nor leaf is `Open`; one that nothing
/// names is `Missing`; one named twice is listed in `doubled` (and keeps its first fate).
pub fn account(
    last_number: i64,
    payments: &[(i64, bool)],
    leaves: &[(i64, LeafFate, i64)],
    books: &[BookSpan],
) -> Accounting {
    use std::collections::BTreeMap;
    let mut fates: BTreeMap<i64, (Fate, Option<i64>)> = BTreeMap::new();
    let mut doubled = vec![];
    let book_of = |seq: i64| {
        books
            .iter()
            .find(|b| (b.first_seq..=b.last_seq).contains(&seq))
    };
    let mut put = |seq: i64, fate: Fate, book: Option<i64>| {
        if fates.insert(seq, (fate, book)).is_some() {
            doubled.push(seq);
        }
    };
    for &(seq, valid) in payments {
        let fate = if valid {
            Fate::Payment
        } else {
            Fate::PaymentCancelled
        };
        put(seq, fate, book_of(seq).map(|b| b.id));
    }
    for &(seq, fate, book) in leaves {
        let fate = match fate {
            LeafFate::Returned => Fate::Returned,
            LeafFate::Cancelled => Fate::Cancelled,
        };
        put(seq, fate, Some(book));
    }
    let mut a = Accounting {
        last_number,
        ..Default::default()
    };
    for seq in 1..=last_number {
        let (fate, book) = match fates.get(&seq) {
            Some(f) => *f,
            None => match book_of(seq) {
                Some(b) if b.open => (Fate::Open, Some(b.id)),
                _ => (Fate::Missing, None),
            },
        };
        match fate {
            Fate::Payment => a.payments += 1,
            Fate::PaymentCancelled => a.payments_cancelled += 1,
            Fate::Open => a.open += 1,
            Fate::Returned => a.returned += 1,
            Fate::Cancelled => a.cancelled += 1,
            Fate::Missing => a.missing.push(seq),
        }
        match a.runs.last_mut() {
            Some(r) if r.fate == fate && r.book_id == book && r.last + 1 == seq => {
                r.last = seq;
                r.count += 1;
            }
            _ => a.runs.push(Run {
                fate,
                first: seq,
                last: seq,
                count: 1,
                book_id: book,
            }),
        }
    }
    // a number above the counter is never expected; it would be named here too
    doubled.extend(fates.keys().filter(|s| **s < 1 || **s > last_number));
    doubled.sort_unstable();
    doubled.dedup();
    a.all_accounted = a.missing.is_empty() && doubled.is_empty();
    a.doubled = doubled;
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years_are_read_as_written() {
        assert_eq!(parse_fy("2026-27").as_deref(), Some("2026-27"));
        assert_eq!(parse_fy(" 1999-00 ").as_deref(), Some("1999-00"));
        assert_eq!(parse_fy("2026-28"), None);
        assert_eq!(parse_fy("26-27"), None);
        assert_eq!(parse_fy("2026"), None);
    }

    #[test]
    fn every_number_gets_one_fate_and_gaps_are_named() {
        let books = [
            BookSpan {
                id: 7,
                first_seq: 3,
                last_seq: 6,
                open: false,
            },
            BookSpan {
                id: 8,
                first_seq: 9,
                last_seq: 10,
                open: true,
            },
        ];
        let payments = [(1, true), (2, false), (3, true), (7, true), (9, true)];
        let leaves = [
            (4, LeafFate::Cancelled, 7),
            (5, LeafFate::Returned, 7),
            (6, LeafFate::Returned, 7),
        ];
        let a = account(11, &payments, &leaves, &books);
        assert_eq!(
            (
                a.payments,
                a.payments_cancelled,
                a.open,
                a.returned,
                a.cancelled
            ),
            (4, 1, 1, 2, 1)
        );
        assert_eq!(a.missing, vec![8, 11]);
        assert!(a.doubled.is_empty());
        assert!(!a.all_accounted);
        let fates: Vec<(Fate, i64, i64)> =
            a.runs.iter().map(|r| (r.fate, r.first, r.last)).collect();
        assert_eq!(
            fates,
            vec![
                (Fate::Payment, 1, 1),
                (Fate::PaymentCancelled, 2, 2),
                (Fate::Payment, 3, 3),
                (Fate::Cancelled, 4, 4),
                (Fate::Returned, 5, 6),
                (Fate::Payment, 7, 7),
                (Fate::Missing, 8, 8),
                (Fate::Payment, 9, 9),
                (Fate::Open, 10, 10),
                (Fate::Missing, 11, 11),
            ]
        );
        // a payment's number also recorded as a leaf is counted once and named
        let a = account(
            2,
            &[(1, true), (2, true)],
            &[(2, LeafFate::Returned, 1)],
            &[],
        );
        assert_eq!(a.doubled, vec![2]);
        assert!(!a.all_accounted);
        let a = account(2, &[(1, true), (2, true)], &[], &[]);
        assert!(a.all_accounted);
    }
}
