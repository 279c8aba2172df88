//! The O&M fund's cash book per GP: an opening balance, income and expenses entered with a
//! voucher, and the tariff collections, which are the valid payments themselves (posted
//! automatically, never entered twice). A monthly statement runs from the opening to the
//! closing balance; cost recovery is user-charge income over recurring O&M expense in the last
//! 12 months, against JJM's expectation of at least 50%.
//!
//! `model` holds the entries, the statement and cost recovery with their queries, `service`
//! adding and cancelling an entry (each one audited transaction) and the view of a GP's month,
//! `pages` the cash book page and its CSV, `api` `/api/v1/cashbook`.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{
    cost_recovery, find, find_in_scope, scheme_expenses, scheme_statement, statement, CashbookView,
    CostRecovery, Entry, HeadTotal, SchemeCosts, Statement, StatementLine,
};
pub use service::{cancel, create};

use serde::{Deserialize, Serialize};

/// What a cash book entry is (the database keeps the text, `cashbook_entries.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Opening,
    Income,
    Expense,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Opening, Kind::Income, Kind::Expense];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Opening => "opening",
            Kind::Income => "income",
            Kind::Expense => "expense",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The heads an entry of this kind may have (an opening balance's head is `opening`).
    pub fn heads(self) -> &'static [&'static str] {
        match self {
            Kind::Opening => &["opening"],
            Kind::Income => &INCOME_HEADS,
            Kind::Expense => &EXPENSE_HEADS,
        }
    }
}

pub const INCOME_HEADS: [&str; 5] = [
    "grant_15fc",
    "grant_other",
    "donation",
    "connection",
    "other",
];
pub const EXPENSE_HEADS: [&str; 6] = [
    "electricity",
    "honorarium",
    "repairs",
    "chemicals",
    "water_testing",
    "other",
];
/// The work an expense paid for: a breakdown's repair or a maintenance task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkLink {
    Breakdown(i64),
    Task(i64),
}

/// JJM expects user charges to cover at least half the recurring O&M cost.
pub const COST_RECOVERY_TARGET_PERCENT: f64 = 50.0;

/// An entry as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EntryInput {
    /// The GP (place id); a secretary may leave it out.
    pub gp_id: String,
    /// opening, income or expense.
    pub kind: String,
    pub head: String,
    /// Rupees.
    pub amount: String,
    /// YYYY-MM-DD; not in the future.
    pub entry_on: String,
    pub voucher_no: String,
    pub party: String,
    /// cash (default), upi, bank or cheque.
    pub mode: String,
    pub reference: String,
    /// A repair's breakdown or a maintenance task the expense was for.
    pub breakdown_id: String,
    pub task_id: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CashbookQuery {
    /// The GP (place id); the caller's own (or the first in scope) when left out.
    pub gp: String,
    /// YYYY-MM (this month when left out).
    pub month: String,
    /// A scheme (its id): only the expenses linked to its breakdowns and maintenance tasks,
    /// in its GP's book, with its 12 months' total (the scheme page's O&M costs).
    pub scheme: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_with_their_heads() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("refund"), None);
        assert!(Kind::Income.heads().contains(&"grant_15fc"));
        assert!(Kind::Expense.heads().contains(&"electricity"));
        assert_eq!(Kind::Opening.heads(), &["opening"]);
    }
}
