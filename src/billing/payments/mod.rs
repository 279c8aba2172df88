//! Payments and receipts. A payment gets the next receipt number of its GP and financial year
//! inside its own transaction (a counter row, bumped with `INSERT … ON CONFLICT DO UPDATE …
//! RETURNING`), so concurrent collectors never share or skip a number and a rolled-back payment
//! leaves no gap. How payments settle dues is never stored: the valid payments pay the oldest
//! demands first and the rest is advance credit, worked out whenever it is needed, so a
//! cancellation recomputes every balance. What the receipt said when it was issued (months
//! covered, balance after) is kept on the payment, as printed.
//!
//! Receipts are part of payments: printable (A6, and 58 mm for thermal printers) in Hindi or
//! English, with the amount in figures and words (`billing::words`), and the shareable link
//! `/r/<token>` that shows a receipt without logging in (the token is 32 random bytes; nothing
//! else of the household is reachable through it).
//!
//! `model` holds payments, standings and receipts with their queries (and the receipt counter),
//! `service` recording (once per idempotency key) and cancelling, `pages` the payments list,
//! the record and cancel forms and the receipt pages, `api` `/api/v1/payments`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{
    dues_of, find, find_by_key, find_by_token, find_in_scope, list, receipt, standing, Payment,
    PaymentFilter, PaymentRow, Receipt, Standing,
};
pub use service::{cancel, record};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How money was paid (payments and the cash book's entries keep the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Cash,
    Upi,
    Bank,
    Cheque,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Cash, Mode::Upi, Mode::Bank, Mode::Cheque];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Cash => "cash",
            Mode::Upi => "upi",
            Mode::Bank => "bank",
            Mode::Cheque => "cheque",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The texts of all modes, in order (a form's choices).
    pub fn texts() -> [&'static str; 4] {
        Mode::ALL.map(Mode::as_str)
    }

    /// Translation key of the mode's name.
    pub fn label_key(self) -> String {
        mode_key(self.as_str())
    }
}

/// Translation key of a payment mode as stored.
pub fn mode_key(mode: &str) -> String {
    format!("payment-mode-{mode}")
}

/// A receipt's printed layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    A6,
    Roll58mm,
}

impl Layout {
    pub const ALL: [Layout; 2] = [Layout::A6, Layout::Roll58mm];

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::A6 => "a6",
            Layout::Roll58mm => "58mm",
        }
    }

    pub fn parse(s: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// A payment as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PaymentInput {
    /// The household (id).
    pub household_id: String,
    /// Rupees, e.g. "150" or "1,234.50".
    pub amount: String,
    /// YYYY-MM-DD or DD-MM-YYYY; today when left out; never in the future.
    pub paid_on: String,
    /// cash (default), upi, bank or cheque.
    pub mode: String,
    /// The UPI/bank transaction or cheque number: required unless cash.
    pub reference: String,
    /// Who took the money; the person recording it when left out.
    pub collected_by: String,
    /// A receipt book of the caller's (id), when the receipt number comes from a leaf of it
    /// (a payment taken offline); with `receipt_seq`.
    pub receipt_book_id: String,
    /// The number of the book's leaf the receipt was written on (within the book).
    pub receipt_seq: String,
}

/// The start every receipt number of a GP's year shares: `<GP LGD>/<fy>/`.
pub fn receipt_prefix(gp_lgd: i64, fy: &str) -> String {
    format!("{gp_lgd}/{fy}/")
}

/// A receipt number: `<GP LGD>/<fy>/<seq, 6 digits>`.
pub fn receipt_no(gp_lgd: i64, fy: &str, seq: i64) -> String {
    numbered(&receipt_prefix(gp_lgd, fy), seq)
}

/// A receipt number from its year's prefix ([`receipt_prefix`]) and its number.
pub fn numbered(prefix: &str, seq: i64) -> String {
    format!("{prefix}{seq:06}")
}

/// The financial year (April to March) a day falls in, as `2026-27`.
pub fn financial_year(d: NaiveDate) -> String {
    let start = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    format!("{start}-{:02}", (start + 1) % 100)
}

/// The months `amount` settles when `paid_before` has already gone to the `dues` (month,
/// amount; oldest first): the first and last month it touches, or `None` when it is all
/// advance.
pub fn settles(
    dues: &[(NaiveDate, i64)],
    paid_before: i64,
    amount: i64,
) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = (paid_before, paid_before.saturating_add(amount));
    let mut upto = 0i64;
    let mut first = None;
    let mut last = None;
    for (month, due) in dues {
        let start = upto;
        upto += due;
        // this month's share of the running total is (start, upto]
        if upto > from && start < to {
            first.get_or_insert(*month);
            last = Some(*month);
        }
    }
    first.zip(last)
}

pub use crate::web::idempotency::check_key;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    #[test]
    fn financial_years_turn_in_april() {
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(financial_year(day(2026, 4, 1)), "2026-27");
        assert_eq!(financial_year(day(2027, 3, 31)), "2026-27");
        assert_eq!(financial_year(day(2026, 3, 31)), "2025-26");
        assert_eq!(financial_year(day(1999, 12, 1)), "1999-00");
    }

    #[test]
    fn payments_settle_the_oldest_months_first() {
        let dues = [(d(2026, 4), 5000), (d(2026, 5), 5000), (d(2026, 6), 5000)];
        // exactly the first month
        assert_eq!(settles(&dues, 0, 5000), Some((d(2026, 4), d(2026, 4))));
        // a part of the first month
        assert_eq!(settles(&dues, 0, 1), Some((d(2026, 4), d(2026, 4))));
        // the rest of April and a part of May
        assert_eq!(settles(&dues, 1, 5000), Some((d(2026, 4), d(2026, 5))));
        // after April is paid, May and June, then advance
        assert_eq!(settles(&dues, 5000, 20000), Some((d(2026, 5), d(2026, 6))));
        // everything paid already: all advance
        assert_eq!(settles(&dues, 15000, 100), None);
        assert_eq!(settles(&[], 0, 100), None);
    }
}
