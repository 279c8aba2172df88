//! Complaints by phone (issue 27, items 4 and 6): the SMS a villager gets when a complaint
//! filed on the public page is registered and each time its status changes; a missed call
//! from a household's registered phone, which files a "no water" complaint for its scheme and
//! replies by SMS with the number; and an inbound SMS `STATUS <number>` (or `स्थिति <number>`),
//! answered with that complaint's status.
//!
//! Every message goes through the SMS outbox ([`crate::sms::service::queue`]) inside the
//! transaction that made the event, so it exists exactly when the event does. The links point
//! at the status page with a token ([`status_token`]) instead of the phone, so an SMS never
//! carries the full number in a link.
//!
//! Here: the token, the status words and the keyword's parsing; the rows (households by
//! phone, the calls of a day) in [`model`], the use cases in [`service`], the provider hooks
//! (`/hooks/missed-call/{provider}`, `/hooks/sms/{transport}/inbound`) in [`pages`].

pub mod model;
pub mod pages;
pub mod service;

use crate::config::Config;
use crate::web::i18n::{I18n, Lang};

/// `complaint_attempts.phone` of a missed call is this and the ten digits: missed calls are
/// counted apart from the public page's attempts.
pub const CALL_MARK: &str = "call:";

/// The key of the status links' tokens: `auth.session_key`, or (none set) one drawn at
/// start-up, as the CSRF tokens' (links sent before a restart then ask for the phone).
pub fn link_key(config: &Config) -> Vec<u8> {
    static DRAWN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if config.auth.session_key.is_empty() {
        DRAWN
            .get_or_init(crate::auth::random_token)
            .as_bytes()
            .to_vec()
    } else {
        config.auth.session_key.expose().as_bytes().to_vec()
    }
}

/// A token that opens one complaint's status page without its phone: `<id>-<hash>`.
pub fn status_token(key: &[u8], breakdown_id: i64) -> String {
    format!("{breakdown_id}-{}", status_mac(key, breakdown_id))
}

/// The complaint a status token names, if its hash is right.
pub fn status_id(key: &[u8], token: &str) -> Option<i64> {
    let (id, mac) = token.trim().split_once('-')?;
    let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
    crate::auth::same_token(&status_mac(key, id), mac).then_some(id)
}

fn status_mac(key: &[u8], breakdown_id: i64) -> String {
    use hmac::{Hmac, Mac};
    use sha2::Sha256;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(format!("complaint-status:{breakdown_id}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..12])
}

/// The status page of a complaint, opened by its token (a path on this server: the SMS
/// carries it as a short link).
pub fn status_path(config: &Config, breakdown_id: i64, number: &str) -> String {
    format!(
        "/c/status?{}",
        serde_urlencoded::to_string([
            ("number", number),
            ("t", &status_token(&link_key(config), breakdown_id)),
        ])
        .unwrap_or_default()
    )
}

fn i18n() -> Option<&'static I18n> {
    static LOADED: std::sync::OnceLock<Option<I18n>> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| I18n::load().ok()).as_ref()
}

/// A message in `lang` (`en`, `hi`; English for anything else), for text that leaves by SMS.
pub fn words(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    match i18n() {
        Some(t) => t.t(Lang::parse(lang).unwrap_or_default(), key, args),
        None => key.to_string(),
    }
}

/// A complaint's status in the reader's language, cut to `max` characters (an SMS variable).
pub fn status_words(lang: &str, status: &str, max: usize) -> String {
    cut(
        &words(lang, &format!("breakdown-status-{status}"), &[]),
        max,
    )
}

/// At most `max` characters (not bytes) of `s`.
pub fn cut(s: &str, max: usize) -> String {
    s.trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The complaint number an inbound SMS asks about: `STATUS <number>` in any case, or
/// `स्थिति <number>`; `None` for any other text.
pub fn parse_status_request(body: &str) -> Option<String> {
    let mut words = body.split_whitespace();
    let keyword = words.next()?;
    if !(keyword.eq_ignore_ascii_case("status") || keyword == "स्थिति") {
        return None;
    }
    let number = words.next()?.trim_matches(|c: char| c == '.' || c == ',');
    let number = number.to_uppercase();
    let fits = !number.is_empty()
        && number.len() <= 40
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    (fits && words.next().is_none()).then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_token_names_its_complaint_and_no_other() {
        let t = status_token(b"key", 42);
        assert_eq!(status_id(b"key", &t), Some(42));
        assert_eq!(status_id(b"other key", &t), None);
        assert_eq!(status_id(b"key", &t.replacen("42-", "43-", 1)), None);
        assert_eq!(status_id(b"key", "42"), None);
        assert_eq!(status_id(b"key", ""), None);
    }

    #[test]
    fn the_status_keyword_is_read_in_english_and_hindi() {
        for body in [
            "STATUS 23010101-B7",
            "status 23010101-b7",
            "  Status   23010101-B7. ",
            "स्थिति 23010101-B7",
        ] {
            assert_eq!(
                parse_status_request(body).as_deref(),
                Some("23010101-B7"),
                "{body}"
            );
        }
        for body in [
            "",
            "STATUS",
            "HELLO 23010101-B7",
            "STATUS 1 2",
            "STATUS <b>",
        ] {
            assert_eq!(parse_status_request(body), None, "{body}");
        }
    }

    #[test]
    fn status_words_fit_an_sms_variable() {
        assert_eq!(status_words("en", "in_progress", 30), "Being repaired");
        assert!(status_words("hi", "in_progress", 30).chars().count() <= 30);
        assert_eq!(cut("अबcdefg", 3), "अबc");
    }
}
