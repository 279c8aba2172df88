//! Billing: the household register (who has a tap, in which category), tariff plans (what each
//! category pays per month, from which month), monthly demands raised in runs, payments with
//! their receipts, each household's ledger and the arrears of a scope, and the O&M fund's cash
//! book. Money is in paise throughout.
//!
//! Each part is a sub-folder with the area's files (`mod` for its rules and closed lists,
//! `model` for rows and queries, `service` for the use cases over a `Ctx`, `pages` for HTML and
//! CSV, `api` for `/api/v1` JSON):
//! - `households`: the register (pages, CSV export and import, API);
//! - `tariffs`: tariff plans;
//! - `demands`: raising a month's demands, cancelling a run, late fees, automatic demands and
//!   the scheduler's jobs;
//! - `payments`: recording and cancelling payments, and their receipts (printable, shareable
//!   by link, as JSON): receipts are part of payments, not a sub-folder of their own;
//! - `ledger`: a household's ledger, arrears ageing, defaulters and collection efficiency (it
//!   only reads: no `service.rs`);
//! - `cashbook`: the cash book, its monthly statement and cost recovery;
//! - `books`: receipt books, blocks of receipt numbers issued to a collector for payments
//!   taken without a signal, their return and the accounting of every number of a year.
//!
//! `words` (amounts in words, English and Hindi) is a rule module with no rows or handlers.
//!
//! Every write is one transaction with its audit line ([`crate::audit::audited`]); a receipt number is
//! allocated inside its payment's transaction (see `payments`).

pub mod books;
pub mod cashbook;
pub mod demands;
pub mod households;
pub mod ledger;
pub mod payments;
pub mod tariffs;
pub mod words;

// Paths other areas and the tests use (`crate::billing::find`, …); removed in a later pass.
pub use households::{create, find, Household, HouseholdFilter, HouseholdInput};

use serde::{Deserialize, Serialize};

/// Why a demand run, a payment or a cash book entry is cancelled.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CancelInput {
    /// Why (required).
    pub reason: String,
}

/// This area's entries in the header's navigation (the app factory orders the areas).
pub const NAV: &[crate::web::render::NavItem] = &[
    crate::web::render::NavItem {
        href: "/households",
        label: "nav-households",
        verb: Some(crate::auth::Verb::ViewBilling),
    },
    crate::web::render::NavItem {
        href: "/payments",
        label: "nav-payments",
        verb: Some(crate::auth::Verb::ViewBilling),
    },
    crate::web::render::NavItem {
        href: "/receipt-books",
        label: "nav-receipt-books",
        verb: Some(crate::auth::Verb::ManageBilling),
    },
];
