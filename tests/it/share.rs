//! WhatsApp share links (issue 27, item 5): a plain `https://wa.me/?text=…` link, styled as a
//! button and needing no script, on a receipt, a demand notice and the scheme card (the
//! complaint pages' are in `complaints`): the text is a short line in the user's language and
//! the page's full absolute link from `server.base_url`, percent-encoded (a space is `%20`).

use crate::helpers::{call, TestApp};
use reqwest::StatusCode;
use serde_json::json;

const BASE: &str = "https://paani.example.org";

fn unescape(page: &str) -> String {
    page.replace("&#x3D;", "=").replace("&amp;", "&")
}

/// The share block's link and the text its WhatsApp link carries, decoded; the encoded text
/// has no space, no `+` and none of `&`, `?`, `/` left bare.
fn shared(page: &str) -> (String, String) {
    let page = unescape(page);
    let after = |marker: &str| -> String {
        let at = page
            .find(marker)
            .unwrap_or_else(|| panic!("no {marker} on the page: {page}"));
        let rest = &page[at + marker.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let link = after("id=\"share-url\" href=\"");
    let wa = after("id=\"share-whatsapp\" href=\"https://wa.me/?text=");
    assert!(
        wa.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "percent-encoded: {wa}"
    );
    let text: Vec<(String, String)> = serde_urlencoded::from_str(&format!("text={wa}")).unwrap();
    (link, text[0].1.clone())
}

async fn household_with_a_demand(app: &TestApp, sec: &str) -> i64 {
    let village = app
        .place_id(paani::places::Level::Village, 2301010101)
        .to_string();
    let (s, h) = call(
        app,
        sec,
        "POST",
        "/api/v1/households",
        json!({"village_id": village, "connection_no": "WA-1", "head_name": "Sita Devi",
            "category": "general", "connected_on": "2026-01-05", "phone": "9826012345"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let (s, p) = call(app, sec, "POST", "/api/v1/tariffs",
        json!({"effective_from": "2026-04", "rates": {"general": "50", "bpl": "30", "sc": "30", "st": "30"}}))
    .await;
    assert!(
        s == StatusCode::CREATED || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{p}"
    );
    let (s, runs) = call(
        app,
        sec,
        "POST",
        "/api/v1/demands",
        json!({"month": "2026-04"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{runs}");
    h["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn receipts_demand_notices_and_the_scheme_card_share_their_full_link_on_whatsapp() {
    let app = TestApp::spawn_with(|c| c.server.base_url = BASE.into()).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let sec = app.api_token("secretary").await;
    let browser = app.login_as("secretary").await;
    let h = household_with_a_demand(&app, &sec).await;

    // the demand notice, from the household's ledger: a link that needs no log-in
    let (s, page) = browser
        .get_text(&format!("/households/{h}/ledger?lang=en"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (link, text) = shared(&page);
    assert!(link.starts_with(&format!("{BASE}/d/")), "{link}");
    assert!(
        text.starts_with("Paani water bill for Apr 2026: ") && text.ends_with(&link),
        "{text}"
    );
    let (_, page_hi) = browser
        .get_text(&format!("/households/{h}/ledger?lang=hi"))
        .await;
    let (link_hi, text_hi) = shared(&page_hi);
    assert_eq!(link_hi, link);
    assert!(
        text_hi.starts_with("अप्रैल 2026 का पानी बिल: ") && text_hi.ends_with(&link),
        "{text_hi}"
    );
    let path = link.strip_prefix(BASE).unwrap().to_string();
    let anon = app.browser();
    let (s, notice) = anon.get_text(&format!("{path}?lang=en")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        notice.contains("WA-1") && notice.contains("Sita Devi"),
        "{notice}"
    );
    assert!(notice.contains("₹50.00") && notice.contains("Apr 2026"));
    assert!(!notice.contains("9826012345"), "no phone on a shared page");
    assert_eq!(shared(&notice).0, link, "the notice shares itself");
    // a changed id or hash is not found
    let (id, mac) = path.trim_start_matches("/d/").split_once('-').unwrap();
    let other: i64 = id.parse::<i64>().unwrap() + 1;
    for bad in [
        format!("/d/{other}-{mac}"),
        format!("/d/{id}-{}", "0".repeat(mac.len())),
        format!("/d/{id}"),
    ] {
        let (s, _) = anon.get_text(&bad).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }

    // a receipt: its /r/ link, with the receipt number
    let (s, p) = call(
        &app,
        &sec,
        "POST",
        "/api/v1/payments",
        json!({"household_id": h, "amount": "50", "paid_on": "2026-05-02"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let (s, page) = browser
        .get_text(&format!("/payments/{}/receipt?lang=en", p["id"]))
        .await;
    assert_eq!(s, StatusCode::OK);
    let page = unescape(&page);
    let at = page.find("href=\"https://wa.me/?text=").unwrap();
    let wa = &page[at + 26..];
    let wa = &wa[..wa.find('"').unwrap()];
    assert!(
        !wa.contains('+') && !wa.contains(' ') && wa.contains("%20"),
        "{wa}"
    );
    let text: Vec<(String, String)> = serde_urlencoded::from_str(&format!("text={wa}")).unwrap();
    let receipt_no = p["receipt_no"].as_str().unwrap();
    assert!(
        text[0]
            .1
            .starts_with(&format!("Paani receipt {receipt_no}:"))
            && text[0].1.contains(&format!("{BASE}/r/")),
        "{text:?}"
    );

    // the scheme card: the scheme's public page (complaints, water notices)
    let (scheme, _) = crate::schemes::demo_scheme_ids(&app);
    let (s, card) = browser
        .get_text(&format!("/schemes/{scheme}/card?lang=en"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (link, text) = shared(&card);
    assert!(link.starts_with(&format!("{BASE}/c/")), "{link}");
    assert!(
        text.starts_with("Water supply of ") && text.ends_with(&link),
        "{text}"
    );
    let (_, card_hi) = browser
        .get_text(&format!("/schemes/{scheme}/card?lang=hi"))
        .await;
    assert!(shared(&card_hi).1.contains("की जल आपूर्ति"));
}
