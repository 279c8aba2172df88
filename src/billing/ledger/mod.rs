//! Balances and arrears. One household's ledger (demands, payments, cancellations, running
//! balance) is built in memory; across a GP or a block, what is still unpaid of each demand is
//! worked out in SQL by one window query (valid payments pay the oldest demands first), and
//! then grouped into arrears ageing, defaulters and collection efficiency.
//!
//! `model` holds the ledger's lines and figures, the queries and the arithmetic over them;
//! `pages` the ledger, arrears and defaulters pages and their CSV; `api` `/api/v1/ledger`,
//! `/api/v1/arrears`, `/api/v1/defaulters` and `/api/v1/collection-efficiency`. There is no
//! `service.rs`: the ledger only reads (payments are recorded and cancelled in `payments`).

pub mod api;
pub mod model;
pub mod pages;

pub(crate) use model::percent;
pub use model::{
    ageing, ageing_totals, allocate, bucket, build, defaulters, efficiency, efficiency_of, gp_ids,
    ledger, paid_for_run, unpaid_by_month, unpaid_months, unpaid_sql_all, Ageing, AgeingRow,
    Defaulter, Efficiency, Ledger, LedgerLine, MonthDue, AGE_BUCKETS,
};

use chrono::Datelike;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ArrearsQuery {
    /// One GP (place id) inside the caller's scope; all of them when left out.
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub gp: Option<i64>,
    /// YYYY-MM: the month ages are counted to (this month when left out).
    pub month: String,
    /// village (default) or gp.
    pub by: String,
    /// Defaulters: at least this many unpaid months (`billing.defaulter_months` by default).
    #[serde(deserialize_with = "crate::web::forms::empty_as_none")]
    pub months: Option<i64>,
}

impl ArrearsQuery {
    pub fn month_or(&self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        crate::web::forms::parse_month(&self.month)
            .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
    }
}

/// What a line of a household's ledger is (`LedgerLine::kind` keeps the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Demand,
    LateFee,
    Payment,
    /// Of a payment.
    Cancellation,
}

impl LineKind {
    pub const ALL: [LineKind; 4] = [
        LineKind::Demand,
        LineKind::LateFee,
        LineKind::Payment,
        LineKind::Cancellation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Demand => "demand",
            LineKind::LateFee => "late_fee",
            LineKind::Payment => "payment",
            LineKind::Cancellation => "cancellation",
        }
    }

    pub fn parse(s: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Translation key of a ledger line's kind as stored in the line.
pub fn line_kind_key(kind: &str) -> String {
    format!("ledger-kind-{kind}")
}

/// How much of a month's demand is paid (`MonthDue::state` keeps the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthState {
    Paid,
    Part,
    Unpaid,
}

impl MonthState {
    pub const ALL: [MonthState; 3] = [MonthState::Paid, MonthState::Part, MonthState::Unpaid];

    pub fn as_str(self) -> &'static str {
        match self {
            MonthState::Paid => "paid",
            MonthState::Part => "part",
            MonthState::Unpaid => "unpaid",
        }
    }

    pub fn parse(s: &str) -> Option<MonthState> {
        MonthState::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Translation key of a month's state as stored in the month.
pub fn month_state_key(state: &str) -> String {
    format!("ledger-month-{state}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_kinds_and_month_states_read_back() {
        for k in LineKind::ALL {
            assert_eq!(LineKind::parse(k.as_str()), Some(k));
        }
        for m in MonthState::ALL {
            assert_eq!(MonthState::parse(m.as_str()), Some(m));
        }
        assert_eq!(line_kind_key("late_fee"), "ledger-kind-late_fee");
        assert_eq!(month_state_key("part"), "ledger-month-part");
    }
}
