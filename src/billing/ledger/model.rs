//! The ledger's lines and figures, and the queries behind them: a household's ledger, the GPs
//! of a scope, what is unpaid of each demand (one window query), ageing, defaulters and
//! collection efficiency, with the arithmetic that groups them.

use super::{LineKind, MonthState};
use crate::auth::Scope;
use crate::billing::households::Household;
use crate::billing::payments::{self, Payment};
use crate::db::schema::{payments as payments_t, places};
use crate::db::{sql_for, DbConn};
use crate::error::AppResult;
use crate::web::i18n::{name_in, Lang};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of a household's ledger.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerLine {
    pub on: NaiveDate,
    /// demand, late_fee, payment or cancellation (of a payment).
    pub kind: String,
    /// For a demand: its month (YYYY-MM).
    pub month: Option<String>,
    pub payment_id: Option<i64>,
    pub receipt_no: Option<String>,
    /// What the household owes more (demands, cancelled payments) …
    pub debit_paise: i64,
    /// … and less (payments).
    pub credit_paise: i64,
    /// Owed after this line (negative: advance credit).
    pub balance_paise: i64,
}

/// A month's demand and how much of it the valid payments have settled.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthDue {
    /// YYYY-MM.
    pub month: String,
    pub demand_paise: i64,
    pub paid_paise: i64,
    /// paid, part or unpaid.
    pub state: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ledger {
    pub household_id: i64,
    pub lines: Vec<LedgerLine>,
    pub months: Vec<MonthDue>,
    pub standing: payments::Standing,
    /// Advance credit (what is paid beyond all demands so far).
    pub advance_paise: i64,
}

/// Split `paid` over `dues` (oldest first): what each month has had.
pub fn allocate(dues: &[(NaiveDate, i64)], paid: i64) -> Vec<i64> {
    let mut left = paid.max(0);
    dues.iter()
        .map(|(_, due)| {
            let share = left.min(*due);
            left -= share;
            share
        })
        .collect()
}

pub fn ledger(conn: &mut DbConn, household: &Household) -> AppResult<Ledger> {
    use crate::db::schema::demands;
    let rows: Vec<(NaiveDate, i64, i64, NaiveDate)> = demands::table
        .filter(demands::household_id.eq(household.id))
        .order(demands::month.asc())
        .select((
            demands::month,
            demands::amount_paise,
            demands::late_fee_paise,
            demands::due_on,
        ))
        .load(conn)?;
    let dues: Vec<(NaiveDate, i64)> = rows.iter().map(|r| (r.0, r.1 + r.2)).collect();
    let fees: Vec<(NaiveDate, i64, NaiveDate)> = rows
        .iter()
        .filter(|r| r.2 > 0)
        .map(|r| (r.0, r.2, r.3))
        .collect();
    let pays: Vec<Payment> = payments_t::table
        .filter(payments_t::household_id.eq(household.id))
        .order((payments_t::paid_on.asc(), payments_t::id.asc()))
        .select(Payment::as_select())
        .load(conn)?;
    Ok(build(household.id, &dues, &fees, &pays))
}

/// The ledger of these demands (month, amount with any late fee), their late fees (month,
/// fee, due date) and payments, all oldest first.
pub fn build(
    household_id: i64,
    dues: &[(NaiveDate, i64)],
    fees: &[(NaiveDate, i64, NaiveDate)],
    pays: &[Payment],
) -> Ledger {
    // (day, order within the day, line without balance)
    let mut lines: Vec<(NaiveDate, u8, LedgerLine)> = vec![];
    let line = |on, kind: LineKind| LedgerLine {
        on,
        kind: kind.as_str().into(),
        month: None,
        payment_id: None,
        receipt_no: None,
        debit_paise: 0,
        credit_paise: 0,
        balance_paise: 0,
    };
    for (month, amount) in dues {
        let fee = fees
            .iter()
            .find(|f| f.0 == *month)
            .map(|f| f.1)
            .unwrap_or(0);
        let mut l = line(*month, LineKind::Demand);
        l.month = Some(month.format("%Y-%m").to_string());
        l.debit_paise = *amount - fee;
        lines.push((*month, 0, l));
    }
    for (month, fee, due_on) in fees {
        let mut l = line(*due_on, LineKind::LateFee);
        l.month = Some(month.format("%Y-%m").to_string());
        l.debit_paise = *fee;
        lines.push((*due_on, 0, l));
    }
    for p in pays {
        let mut l = line(p.paid_on, LineKind::Payment);
        l.payment_id = Some(p.id);
        l.receipt_no = Some(p.receipt_no.clone());
        l.credit_paise = p.amount_paise;
        lines.push((p.paid_on, 1, l));
        if let Some(at) = p.cancelled_at {
            let on = crate::web::i18n::today_in_india(at).max(p.paid_on);
            let mut c = line(on, LineKind::Cancellation);
            c.payment_id = Some(p.id);
            c.receipt_no = Some(p.receipt_no.clone());
            c.debit_paise = p.amount_paise;
            lines.push((on, 2, c));
        }
    }
    lines.sort_by_key(|(on, order, _)| (*on, *order));
    let mut balance = 0i64;
    let lines: Vec<LedgerLine> = lines
        .into_iter()
        .map(|(_, _, mut l)| {
            balance += l.debit_paise - l.credit_paise;
            l.balance_paise = balance;
            l
        })
        .collect();
    let demanded: i64 = dues.iter().map(|d| d.1).sum();
    let paid: i64 = pays
        .iter()
        .filter(|p| p.is_valid())
        .map(|p| p.amount_paise)
        .sum();
    let months = dues
        .iter()
        .zip(allocate(dues, paid))
        .map(|((month, due), had)| MonthDue {
            month: month.format("%Y-%m").to_string(),
            demand_paise: *due,
            paid_paise: had,
            state: if had == *due {
                MonthState::Paid
            } else if had > 0 {
                MonthState::Part
            } else {
                MonthState::Unpaid
            }
            .as_str()
            .into(),
        })
        .collect();
    Ledger {
        household_id,
        lines,
        months,
        standing: payments::Standing {
            demanded_paise: demanded,
            paid_paise: paid,
            balance_paise: demanded - paid,
        },
        advance_paise: (paid - demanded).max(0),
    }
}

/// The GPs in a scope, optionally narrowed to one.
pub fn gp_ids(conn: &mut DbConn, scope: &Scope, gp: Option<i64>) -> AppResult<Vec<i64>> {
    scope.check_gp(conn, gp)?;
    let mut q = scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq("gp"));
    if let Some(g) = gp {
        q = q.filter(places::id.eq(g));
    }
    Ok(q.order(places::lgd_code.asc())
        .select(places::id)
        .load(conn)?)
}

/// The GPs in a scope (the pages' GP choices), by name.
pub fn gp_places(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<crate::places::Place>> {
    Ok(scope
        .filter_places(places::table.into_boxed())
        .filter(places::level.eq("gp"))
        .order(places::name.asc())
        .select(crate::places::Place::as_select())
        .load(conn)?)
}

/// Each demand of the GPs with what is still unpaid of it: valid payments go to a household's
/// oldest demands first. (The GP ids come from the database, never from the request.)
fn unpaid_sql(gp_ids: &[i64]) -> String {
    let list = if gp_ids.is_empty() {
        "-1".to_string()
    } else {
        gp_ids
            .iter()
            .map(|g| g.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    unpaid_sql_where(&format!("gp_id IN ({list})"))
}

/// [`unpaid_sql`] over every GP (the scheduler's defaulters rule).
pub fn unpaid_sql_all() -> String {
    unpaid_sql_where("gp_id IS NOT NULL")
}

/// The `u` CTE (household, month, amount, unpaid) for the demands and payments matching
/// `filter` (a condition on `gp_id`); one `?` binds the last month counted.
fn unpaid_sql_where(filter: &str) -> String {
    format!(
        "WITH paid AS (\
           SELECT household_id, CAST(SUM(amount_paise) AS BIGINT) AS p FROM payments \
           WHERE cancelled_at IS NULL AND {filter} GROUP BY household_id), \
         d AS (\
           SELECT household_id, month, amount_paise + late_fee_paise AS amount_paise, \
           CAST(SUM(amount_paise + late_fee_paise) OVER (PARTITION BY household_id ORDER BY month) AS BIGINT) AS upto \
           FROM demands WHERE {filter} AND month <= ?), \
         u AS (\
           SELECT d.household_id, d.month, d.amount_paise, \
           CASE WHEN COALESCE(paid.p, 0) >= d.upto THEN 0 \
                WHEN COALESCE(paid.p, 0) <= d.upto - d.amount_paise THEN d.amount_paise \
                ELSE d.upto - COALESCE(paid.p, 0) END AS unpaid \
           FROM d LEFT JOIN paid ON paid.household_id = d.household_id) "
    )
}

#[derive(QueryableByName)]
struct PlaceMonth {
    #[diesel(sql_type = BigInt)]
    place_id: i64,
    #[diesel(sql_type = Text)]
    place_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    place_name_hi: Option<String>,
    #[diesel(sql_type = Date)]
    month: NaiveDate,
    #[diesel(sql_type = BigInt)]
    unpaid: i64,
}

/// Arrears by age: what is unpaid of demands this many months old (0–1, 2–3, 4–6, 7–12, >12).
pub const AGE_BUCKETS: [&str; 5] = ["0-1", "2-3", "4-6", "7-12", "13+"];

pub fn bucket(age_months: i32) -> usize {
    match age_months {
        i32::MIN..=1 => 0,
        2..=3 => 1,
        4..=6 => 2,
        7..=12 => 3,
        _ => 4,
    }
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgeingRow {
    pub place_id: i64,
    pub place_name: String,
    /// Unpaid paise per bucket, in the order of `AGE_BUCKETS`.
    pub buckets: Vec<i64>,
    pub total_paise: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ageing {
    /// YYYY-MM: the month ages are counted to.
    pub as_of: String,
    pub buckets: Vec<String>,
    /// One row per village (or per GP when `by` is gp).
    pub rows: Vec<AgeingRow>,
    pub totals: Vec<i64>,
    pub total_paise: i64,
}

/// Arrears ageing per village (`by_gp` false) or per GP, as of a month; places named in
/// `lang` and listed by that name.
pub fn ageing(
    conn: &mut DbConn,
    gp_ids: &[i64],
    as_of: NaiveDate,
    by_gp: bool,
    lang: Lang,
) -> AppResult<Ageing> {
    let col = if by_gp { "h.gp_id" } else { "h.village_id" };
    let sql = sql_for(
        conn,
        &format!(
            "{} SELECT {col} AS place_id, pl.name AS place_name, pl.name_hi AS place_name_hi, \
             u.month, CAST(SUM(u.unpaid) AS BIGINT) AS unpaid \
             FROM u JOIN households h ON h.id = u.household_id JOIN places pl ON pl.id = {col} \
             WHERE u.unpaid > 0 GROUP BY {col}, pl.name, pl.name_hi, u.month ORDER BY {col}",
            unpaid_sql(gp_ids)
        ),
    );
    let end = crate::billing::demands::due_on(as_of, 31);
    let rows: Vec<PlaceMonth> = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Date, _>(end)
        .load(c))?;
    let mut by_place: BTreeMap<(String, i64), Vec<i64>> = BTreeMap::new();
    for r in rows {
        let name = name_in(lang, &r.place_name, r.place_name_hi.as_deref()).to_string();
        let b = by_place
            .entry((name, r.place_id))
            .or_insert_with(|| vec![0; AGE_BUCKETS.len()]);
        b[bucket(months_between(r.month, as_of))] += r.unpaid;
    }
    let mut totals = vec![0; AGE_BUCKETS.len()];
    let rows: Vec<AgeingRow> = by_place
        .into_iter()
        .map(|((place_name, place_id), buckets)| {
            for (t, b) in totals.iter_mut().zip(&buckets) {
                *t += b;
            }
            AgeingRow {
                place_id,
                place_name,
                total_paise: buckets.iter().sum(),
                buckets,
            }
        })
        .collect();
    Ok(Ageing {
        as_of: as_of.format("%Y-%m").to_string(),
        buckets: AGE_BUCKETS.iter().map(|b| b.to_string()).collect(),
        total_paise: totals.iter().sum(),
        totals,
        rows,
    })
}

#[derive(QueryableByName)]
struct MonthFigures {
    #[diesel(sql_type = Date)]
    month: NaiveDate,
    #[diesel(sql_type = BigInt)]
    demand: i64,
    #[diesel(sql_type = BigInt)]
    unpaid: i64,
}

/// Collection efficiency of one month: what has been collected for its demands over what was
/// demanded, and the same from the first month shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Efficiency {
    /// YYYY-MM.
    pub month: String,
    pub demand_paise: i64,
    pub collected_paise: i64,
    /// Percent, one decimal; none when nothing was demanded.
    pub percent: Option<f64>,
    pub cumulative_demand_paise: i64,
    pub cumulative_collected_paise: i64,
    pub cumulative_percent: Option<f64>,
}

pub(crate) fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// Per month from `from` to `to` (first days).
pub fn efficiency(
    conn: &mut DbConn,
    gp_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Efficiency>> {
    Ok(efficiency_of(&unpaid_by_month(conn, gp_ids, to)?, from, to))
}

/// Each month's demands of the GPs up to `to`: (demanded, still unpaid), by the oldest-first
/// settlement. Collection efficiency and the arrears' ageing both follow from it, so the GP
/// dashboard reads it once for both.
pub fn unpaid_by_month(
    conn: &mut DbConn,
    gp_ids: &[i64],
    to: NaiveDate,
) -> AppResult<BTreeMap<NaiveDate, (i64, i64)>> {
    let sql = sql_for(
        conn,
        &format!(
            "{} SELECT u.month, CAST(SUM(u.amount_paise) AS BIGINT) AS demand, \
             CAST(SUM(u.unpaid) AS BIGINT) AS unpaid FROM u GROUP BY u.month ORDER BY u.month",
            unpaid_sql(gp_ids)
        ),
    );
    let rows: Vec<MonthFigures> = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Date, _>(to)
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|r| (r.month, (r.demand, r.unpaid)))
        .collect())
}

/// [`unpaid_by_month`] for the households of one GP that a scheme serves (the scheme page's
/// collection and arrears): the same oldest-first settlement, each household's valid payments
/// spread over its demands by [`allocate`] (as its ledger does), read in two indexed queries
/// rather than the GP-wide statement.
pub fn unpaid_by_month_of_scheme(
    conn: &mut DbConn,
    gp_id: i64,
    scheme_id: i64,
    to: NaiveDate,
) -> AppResult<BTreeMap<NaiveDate, (i64, i64)>> {
    use crate::db::schema::{demands, households};
    let served = || {
        households::table
            .filter(households::gp_id.eq(gp_id))
            .filter(households::scheme_id.eq(scheme_id))
            .select(households::id)
    };
    // (by household, the unique (household, month) index: no sort, no row of other schemes)
    let dues: Vec<(i64, NaiveDate, i64)> = demands::table
        .filter(demands::household_id.eq_any(served()))
        .filter(demands::month.le(to))
        .order((demands::household_id.asc(), demands::month.asc()))
        .select((
            demands::household_id,
            demands::month,
            demands::amount_paise + demands::late_fee_paise,
        ))
        .load(conn)?;
    let payments: Vec<(i64, i64)> = payments_t::table
        .filter(payments_t::gp_id.eq(gp_id))
        .filter(payments_t::household_id.eq_any(served()))
        .filter(payments_t::cancelled_at.is_null())
        .select((payments_t::household_id, payments_t::amount_paise))
        .load(conn)?;
    let mut paid: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for (h, amount) in payments {
        *paid.entry(h).or_default() += amount;
    }
    let mut out: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    for one in dues.chunk_by(|a, b| a.0 == b.0) {
        let months: Vec<(NaiveDate, i64)> = one.iter().map(|d| (d.1, d.2)).collect();
        let shares = allocate(&months, paid.get(&one[0].0).copied().unwrap_or(0));
        for ((month, due), share) in months.iter().zip(shares) {
            let m = out.entry(*month).or_default();
            m.0 += due;
            m.1 += due - share;
        }
    }
    Ok(out)
}

/// Collection efficiency per month from `from` to `to`, from [`unpaid_by_month`].
pub fn efficiency_of(
    by_month: &BTreeMap<NaiveDate, (i64, i64)>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Efficiency> {
    let mut out = vec![];
    let (mut cd, mut cc) = (0, 0);
    let mut m = from;
    while m <= to {
        let (d, c) = by_month
            .get(&m)
            .map(|(d, unpaid)| (*d, d - unpaid))
            .unwrap_or((0, 0));
        cd += d;
        cc += c;
        out.push(Efficiency {
            month: m.format("%Y-%m").to_string(),
            demand_paise: d,
            collected_paise: c,
            percent: percent(c, d),
            cumulative_demand_paise: cd,
            cumulative_collected_paise: cc,
            cumulative_percent: percent(cc, cd),
        });
        match m.checked_add_months(chrono::Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    out
}

/// What is unpaid in each age bucket ([`AGE_BUCKETS`]) as at `as_of`, from
/// [`unpaid_by_month`]: the totals line of [`ageing`].
pub fn ageing_totals(by_month: &BTreeMap<NaiveDate, (i64, i64)>, as_of: NaiveDate) -> Vec<i64> {
    let mut totals = vec![0; AGE_BUCKETS.len()];
    for (m, (_, unpaid)) in by_month {
        if *unpaid > 0 {
            totals[bucket(months_between(*m, as_of))] += unpaid;
        }
    }
    totals
}

#[derive(QueryableByName, Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Defaulter {
    #[diesel(sql_type = BigInt)]
    pub household_id: i64,
    #[diesel(sql_type = Text)]
    pub connection_no: String,
    #[diesel(sql_type = Text)]
    pub head_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub phone: Option<String>,
    /// The village's name in the language asked for.
    #[diesel(sql_type = Text)]
    pub village: String,
    #[diesel(sql_type = Nullable<Text>)]
    #[serde(skip)]
    pub village_hi: Option<String>,
    /// Unpaid months.
    #[diesel(sql_type = BigInt)]
    pub months: i64,
    #[diesel(sql_type = Date)]
    pub oldest: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub unpaid_paise: i64,
}

/// Households with at least `min_months` unpaid (or part-paid) demands, most owed first, their
/// villages named in `lang`.
pub fn defaulters(
    conn: &mut DbConn,
    gp_ids: &[i64],
    as_of: NaiveDate,
    min_months: i64,
    limit: i64,
    lang: Lang,
) -> AppResult<Vec<Defaulter>> {
    let sql = sql_for(conn, &format!(
            "{} SELECT h.id AS household_id, h.connection_no, h.head_name, h.phone, \
             v.name AS village, v.name_hi AS village_hi, COUNT(*) AS months, MIN(u.month) AS oldest, \
             CAST(SUM(u.unpaid) AS BIGINT) AS unpaid_paise \
             FROM u JOIN households h ON h.id = u.household_id JOIN places v ON v.id = h.village_id \
             WHERE u.unpaid > 0 \
             GROUP BY h.id, h.connection_no, h.head_name, h.phone, v.name, v.name_hi \
             HAVING COUNT(*) >= ? ORDER BY unpaid_paise DESC, h.connection_no LIMIT ?",
            unpaid_sql(gp_ids)
        ),
    );
    let end = crate::billing::demands::due_on(as_of, 31);
    let mut rows: Vec<Defaulter> = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Date, _>(end)
        .bind::<BigInt, _>(min_months)
        .bind::<BigInt, _>(limit)
        .load(c))?;
    for d in &mut rows {
        d.village = name_in(lang, &d.village, d.village_hi.as_deref()).to_string();
    }
    Ok(rows)
}

/// The (household, month) of every demand in a GP that is not fully paid.
pub fn unpaid_months(
    conn: &mut DbConn,
    gp_id: i64,
) -> AppResult<std::collections::HashSet<(i64, NaiveDate)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        household_id: i64,
        #[diesel(sql_type = Date)]
        month: NaiveDate,
    }
    let sql = sql_for(
        conn,
        &format!(
            "{} SELECT household_id, month FROM u WHERE unpaid > 0",
            unpaid_sql(&[gp_id])
        ),
    );
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let rows: Vec<Row> = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Date, _>(far)
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|r| (r.household_id, r.month))
        .collect())
}

/// Demands of a run that payments made after it was raised have (partly) settled: a run with
/// any cannot be cancelled. Credit paid in advance, before the run, does not count: after the
/// cancel it simply settles the household's other demands again (settling is derived, never
/// stored), so a run raised by mistake can be taken back until someone pays for it.
pub fn paid_for_run(conn: &mut DbConn, run: &crate::billing::demands::Run) -> AppResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let sql = sql_for(
        conn,
        &format!(
            "{} SELECT COUNT(*) AS n FROM u JOIN demands x ON x.household_id = u.household_id \
             AND x.month = u.month WHERE x.run_id = ? AND u.unpaid < u.amount_paise \
             AND EXISTS (SELECT 1 FROM payments p WHERE p.household_id = x.household_id \
             AND p.cancelled_at IS NULL AND p.created_at >= ?)",
            unpaid_sql(&[run.gp_id])
        ),
    );
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let n: N = crate::on_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Date, _>(far)
        .bind::<BigInt, _>(run.id)
        .bind::<diesel::sql_types::Timestamp, _>(run.created_at)
        .get_result(c))?;
    Ok(n.n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_oldest_first_with_the_rest_left_over() {
        let m = |mo| NaiveDate::from_ymd_opt(2026, mo, 1).unwrap();
        let dues = [(m(4), 5000), (m(5), 5000), (m(6), 3000)];
        assert_eq!(allocate(&dues, 7000), vec![5000, 2000, 0]);
        assert_eq!(allocate(&dues, 20000), vec![5000, 5000, 3000]);
        assert_eq!(allocate(&dues, 0), vec![0, 0, 0]);
    }

    #[test]
    fn ages_fall_into_their_buckets() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(1), 0);
        assert_eq!(bucket(2), 1);
        assert_eq!(bucket(3), 1);
        assert_eq!(bucket(4), 2);
        assert_eq!(bucket(6), 2);
        assert_eq!(bucket(7), 3);
        assert_eq!(bucket(12), 3);
        assert_eq!(bucket(13), 4);
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        assert_eq!(months_between(d(2025, 11), d(2026, 2)), 3);
    }
}
