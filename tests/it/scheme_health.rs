//! The scheme page as its health card (issue 33): every block's figures equal those of the
//! pages it summarises, the JSON summary, scope, Hindi; and no page promises what is not there.

use crate::helpers::{Browser, TestApp};
use paani::web::i18n::Lang;
use std::collections::{BTreeSet, VecDeque};

/// Phrases that promise something later ("coming soon", "will appear here"), in both languages.
const PROMISES: [&str; 8] = [
    "coming soon",
    "coming to this page",
    "will appear here",
    "come next",
    "जल्द आ",
    "पेज पर जल्द",
    "यहाँ दिखेंगी",
    "यहाँ दिखेगा",
];

fn promise_in(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    PROMISES.into_iter().find(|p| lower.contains(p))
}

#[test]
fn no_message_promises_what_is_not_there() {
    let i18n = paani::web::i18n::I18n::load().unwrap();
    let mut found = vec![];
    for lang in [Lang::En, Lang::Hi] {
        for id in paani::web::i18n::message_ids(lang) {
            let text = i18n.t(lang, &id, &[]);
            if let Some(p) = promise_in(&text) {
                found.push(format!("{lang:?} {id}: {p}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
    // the check itself can fail
    assert_eq!(
        promise_in("Breakdowns will appear here."),
        Some("will appear here")
    );
    assert_eq!(promise_in("इस पेज पर जल्द"), Some("पेज पर जल्द"));
}

/// Pages a logged-in browser reaches from the home page by following its links (GET, this
/// site, no downloads), up to `limit` of them.
async fn crawl(b: &Browser, limit: usize) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut out = vec![];
    while let Some(path) = queue.pop_front() {
        if out.len() >= limit || !seen.insert(path.clone()) {
            continue;
        }
        let (s, body) = b.get_text(&path).await;
        if !s.is_success() {
            continue;
        }
        for part in body.split("href=\"").skip(1) {
            let Some(end) = part.find('"') else { continue };
            let link = part[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_string();
            let skip = !link.starts_with('/')
                || link.starts_with("//")
                || link.starts_with("/static")
                || link.starts_with("/logout")
                || link.contains(".csv")
                || link.contains(".pdf")
                || link.contains(".svg")
                || link.contains("/photos/");
            if !skip && !seen.contains(&link) {
                queue.push_back(link);
            }
        }
        out.push((path, body));
    }
    out
}

#[tokio::test]
async fn no_page_of_the_demo_promises_what_is_not_there() {
    let app = TestApp::with_demo().await;
    // an engineer (English) and a secretary (Hindi): between them every area's pages
    for user in ["engineer", "secretary"] {
        let b = app.login_as(user).await;
        let pages = crawl(&b, 120).await;
        assert!(pages.len() > 20, "{user}: only {} pages", pages.len());
        assert!(
            pages.iter().any(|(p, _)| p.starts_with("/schemes/")),
            "{user}: no scheme page reached"
        );
        for (path, body) in &pages {
            assert!(
                promise_in(body).is_none(),
                "{user} {path}: {:?}",
                promise_in(body)
            );
        }
    }
}
