//! Printable receipts (A6, and 58 mm for thermal printers) in Hindi or English, with the amount
//! in figures and words, and the shareable link `/r/<token>` that shows a receipt without
//! logging in (the token is 32 random bytes; nothing else of the household is reachable
//! through it).

use super::payments::{self, Payment};
use crate::db::schema::households;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::web::i18n::{format_money, I18n, Lang};
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub const LAYOUTS: [&str; 2] = ["a6", "58mm"];

/// Everything a printed receipt shows, in one language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub payment: Payment,
    pub gp_name: String,
    pub gp_lgd_code: i64,
    pub village: String,
    pub connection_no: String,
    pub head_name: String,
    /// The months the payment settled, as words ("Apr 2026 – Jun 2026"), or empty.
    pub months: String,
    /// ₹1,23,456.50
    pub amount: String,
    pub amount_words: String,
    pub balance_after: String,
    /// True when the balance after was advance credit.
    pub advance: bool,
    /// The shareable path, `/r/<token>`.
    pub link: String,
    pub lang: String,
}

pub fn receipt(conn: &mut DbConn, i18n: &I18n, lang: Lang, p: Payment) -> AppResult<Receipt> {
    let (connection_no, head_name, village_id): (String, String, i64) = households::table
        .find(p.household_id)
        .select((
            households::connection_no,
            households::head_name,
            households::village_id,
        ))
        .first(conn)?;
    let gp = crate::places::model::find(conn, p.gp_id)?;
    let village = crate::places::model::find(conn, village_id)?;
    let months = match (p.covers_from, p.covers_to) {
        (Some(a), Some(b)) if a == b => i18n.month_label(lang, a),
        (Some(a), Some(b)) => format!(
            "{} – {}",
            i18n.month_label(lang, a),
            i18n.month_label(lang, b)
        ),
        _ => String::new(),
    };
    Ok(Receipt {
        gp_name: gp.display_name(lang).to_string(),
        gp_lgd_code: gp.lgd_code,
        village: village.display_name(lang).to_string(),
        connection_no,
        head_name,
        months,
        amount: format_money(p.amount_paise),
        amount_words: super::words::amount_in_words(p.amount_paise, lang.code()),
        balance_after: format_money(p.balance_after_paise.abs()),
        advance: p.balance_after_paise < 0,
        link: format!("/r/{}", p.token),
        lang: lang.code().into(),
        payment: p,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PrintQuery {
    /// a6 (default) or 58mm.
    pub layout: String,
}

fn layout_of(q: &PrintQuery) -> &'static str {
    LAYOUTS
        .iter()
        .find(|l| **l == q.layout)
        .copied()
        .unwrap_or("a6")
}

/// The receipt page for a payment already found (in scope, or by its token).
pub fn render(ui: &Ui, r: Receipt, layout: &str, shared: bool) -> AppResult<HttpResponse> {
    let receipt_path = if shared {
        r.link.clone()
    } else {
        format!("/payments/{}/receipt", r.payment.id)
    };
    ui.render(
        "billing/receipt",
        "receipt-title",
        json!({
            "mode_key": format!("payment-mode-{}", r.payment.mode),
            "receipt": r,
            "layout": layout,
            "layouts": LAYOUTS,
            "receipt_path": receipt_path,
            "shared": shared,
        }),
    )
}

/// `/r/{token}`: the receipt for whoever has the link.
pub async fn shared_receipt(
    ui: Ui,
    path: web::Path<String>,
    q: web::Query<PrintQuery>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let (i18n, lang) = (ui.state.i18n.clone(), ui.lang());
    let r = ui
        .state
        .db
        .run(move |c| {
            let p = payments::find_by_token(c, &token)?;
            receipt(c, &i18n, lang, p)
        })
        .await?;
    render(&ui, r, layout_of(&q), true)
}

/// `/payments/{id}/receipt` for a logged-in user with the payment in scope.
pub async fn receipt_page(
    ui: Ui,
    actor: crate::auth::Actor,
    path: web::Path<i64>,
    q: web::Query<PrintQuery>,
) -> AppResult<HttpResponse> {
    actor.require(crate::auth::Verb::ViewBilling)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let (i18n, lang) = (ui.state.i18n.clone(), ui.lang());
    let r = ui
        .state
        .db
        .run(move |c| {
            let p = payments::find_in_scope(c, &scope, id)?;
            receipt(c, &i18n, lang, p)
        })
        .await?;
    render(&ui, r, layout_of(&q), false)
}
