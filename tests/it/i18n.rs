use crate::helpers::TestApp;
use paani::web::i18n::{message_ids, Lang};

#[test]
fn every_message_exists_in_both_languages() {
    let en = message_ids(Lang::En);
    let hi = message_ids(Lang::Hi);
    assert!(en.len() > 100);
    let only_en: Vec<_> = en.difference(&hi).collect();
    let only_hi: Vec<_> = hi.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_hi.is_empty(),
        "only in en: {only_en:?}; only in hi: {only_hi:?}"
    );
}

#[test]
fn every_key_used_in_templates_exists() {
    let i18n = paani::web::i18n::I18n::load().unwrap();
    let mut missing = vec![];
    for entry in walk("templates") {
        if !entry.ends_with(".hbs") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        for part in text.split("{{t \"").skip(1) {
            let key = &part[..part.find('"').unwrap()];
            if !i18n.has(Lang::En, key) || !i18n.has(Lang::Hi, key) {
                missing.push(format!("{entry}: {key}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

fn walk(dir: &str) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(p.to_str().unwrap()));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out
}

fn has_devanagari(s: &str) -> bool {
    s.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c))
}

#[tokio::test]
async fn hindi_follows_browser_then_switch_then_user_preference() {
    let app = TestApp::with_demo().await;
    // before login: Accept-Language
    let res = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "hi-IN,hi;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains("<html lang=\"hi\">"));
    assert!(body.contains("लॉग इन"), "login page in Hindi");
    let res = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "en-GB")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("<html lang=\"en\">"));

    // the secretary prefers Hindi
    let sec = app.login_as("secretary").await;
    let (_, body) = sec.get_text("/").await;
    assert!(body.contains("<html lang=\"hi\">"));
    assert!(has_devanagari(&body));
    // ?lang=en switches, and the session keeps it
    let (_, body) = sec.get_text("/?lang=en").await;
    assert!(body.contains("<html lang=\"en\">"));
    let (_, body) = sec.get_text("/places").await;
    assert!(body.contains("<html lang=\"en\">"), "kept in the session");
    // choosing a language on the account page saves it for next time
    let res = sec.post_form("/account/language", &[("lang", "hi")]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, body) = sec.get_text("/places").await;
    assert!(body.contains("<html lang=\"hi\">"));

    // error pages speak the user's language too
    let (s, body) = sec.get_text("/places/999999").await;
    assert_eq!(s, reqwest::StatusCode::NOT_FOUND);
    assert!(body.contains("<html lang=\"hi\">") && has_devanagari(&body));
    let member = app.login_as("member").await;
    let (s, body) = member.get_text("/admin/users").await;
    assert_eq!(s, reqwest::StatusCode::FORBIDDEN);
    assert!(has_devanagari(&body));
}

#[test]
fn money_and_dates_for_users() {
    use paani::web::i18n::{format_date, format_money};
    assert_eq!(format_money(12345650), "₹1,23,456.50");
    assert_eq!(
        format_date(chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()),
        "05-01-2027"
    );
}

#[test]
fn audit_actions_and_entities_have_names() {
    // what the code records is one of these enums (the compiler sees to that); each has a name
    let i18n = paani::web::i18n::I18n::load().unwrap();
    for a in paani::audit::Action::ALL {
        for lang in [Lang::En, Lang::Hi] {
            assert!(i18n.has(lang, &a.label_key()), "{a:?}");
        }
    }
    for e in paani::audit::Entity::ALL {
        for lang in [Lang::En, Lang::Hi] {
            assert!(i18n.has(lang, &e.label_key()), "{e:?}");
        }
    }
}
