//! English and Hindi: Fluent messages from `templates/locales/{en,hi}/*.ftl`, plus the
//! date and money formats users expect (DD-MM-YYYY in Asia/Kolkata, ₹ with Indian grouping).

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_embed::RustEmbed;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(RustEmbed)]
#[folder = "templates/locales"]
#[include = "*.ftl"]
pub struct LocaleFiles;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Hi,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Hi];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Hi => "hi",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "hi" => Some(Lang::Hi),
            _ => None,
        }
    }

    /// The first of our languages named in an `Accept-Language` header, by preference.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

pub struct I18n {
    en: FluentBundle<FluentResource>,
    hi: FluentBundle<FluentResource>,
}

impl I18n {
    pub fn load() -> Result<I18n, String> {
        Ok(I18n {
            en: bundle(Lang::En)?,
            hi: bundle(Lang::Hi)?,
        })
    }

    fn bundle_for(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Hi => &self.hi,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle_for(lang).has_message(key)
    }

    /// A field error's message in `lang`.
    pub fn field_message(&self, lang: Lang, e: &crate::error::FieldError) -> String {
        let args: Vec<(&str, String)> = e
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        self.t(lang, &e.key, &args)
    }

    /// The message `key` in `lang`; falls back to English, then to the key itself.
    ///
    /// An argument written as a plain whole number ("1", "25177") goes to Fluent as a number, so `{ $count -> [one] … *[other] … }` picks the language's plural form, and is
    /// shown with Indian digit grouping (25,177); anything else, and the identifiers named in
    /// [`IDENTIFIER_ARGS`] (LGD codes, receipt numbers), goes as text, shown as it is.
    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let exact: Vec<(&str, Exact)> = args
            .iter()
            .map(|(k, v)| {
                let arg = match as_number(k, v) {
                    Some(n) => Exact::Number(n),
                    None => Exact::Text(self.readable(lang, v)),
                };
                (*k, arg)
            })
            .collect();
        self.t_exact(lang, key, &exact)
    }

    /// The message `key` in `lang` with arguments already in their final form: no argument is
    /// read as a date or a number (for text a person typed, shown as typed). Falls back like
    /// [`I18n::t`].
    pub fn t_exact(&self, lang: Lang, key: &str, args: &[(&str, Exact)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            match v {
                Exact::Number(n) => fargs.set(k.to_string(), FluentValue::from(*n)),
                Exact::Text(t) => fargs.set(k.to_string(), FluentValue::from(t.clone())),
            }
        }
        for l in [lang, Lang::En] {
            let b = self.bundle_for(l);
            if let Some(msg) = b.get_message(key) {
                if let Some(pattern) = msg.value() {
                    let mut errors = vec![];
                    let out = b.format_pattern(pattern, Some(&fargs), &mut errors);
                    return out.into_owned();
                }
            }
        }
        tracing::warn!(key, "missing translation");
        key.to_string()
    }

    /// A message argument as people read it: a date written the ISO way (2026-12-15, or a
    /// stored UTC timestamp) as DD-MM-YYYY (in India's time), a month (2026-12) by its name;
    /// anything else as it is. So no caller can put an ISO date into a sentence.
    fn readable(&self, lang: Lang, v: &str) -> String {
        let iso_shaped = |s: &str, n: usize| {
            s.len() == n
                && s.bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                })
        };
        if iso_shaped(v, 10) {
            if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                return format_date(d);
            }
        }
        if iso_shaped(v, 7) {
            if let Ok(d) = NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d") {
                return self.month_label(lang, d);
            }
        }
        if v.len() >= 19
            && v.get(..10).is_some_and(|d| iso_shaped(d, 10))
            && v.as_bytes()[10] == b'T'
        {
            if let Some(t) = crate::clock::utc::parse(v) {
                return format_datetime(t);
            }
        }
        v.to_string()
    }

    /// A text Paani wrote into a record (see [`system_text_key`]) in `lang`; any other text
    /// (what a person typed) as it is.
    pub fn system_text(&self, lang: Lang, text: &str) -> String {
        match system_text_key(text) {
            Some(key) => self.t(lang, key, &[]),
            None => text.to_string(),
        }
    }

    /// A month as people write it: "Apr 2026", "अप्रैल 2026".
    pub fn month_label(&self, lang: Lang, month: NaiveDate) -> String {
        use chrono::Datelike;
        let name = self.t(lang, &format!("month-{}", month.month()), &[]);
        format!("{name} {}", month.year())
    }
}

/// A message argument for [`I18n::t_exact`]: text shown exactly as given, or a number (Indian
/// grouping, and it picks the plural form).
#[derive(Debug, Clone, PartialEq)]
pub enum Exact {
    Text(String),
    Number(f64),
}

/// Message arguments that are identifiers, never quantities: shown exactly as given.
pub const IDENTIFIER_ARGS: &[&str] = &["code", "no", "number", "label", "lgd", "year"];

/// `value` as a number for Fluent, when it is a plain whole number and `name` is not an
/// identifier: "7", "-3"; not "0.25" or "87.10" (decimals are shown as the caller wrote
/// them), "007", "+5", "1e3", "2026-12-15" or "".
fn as_number(name: &str, value: &str) -> Option<f64> {
    if IDENTIFIER_ARGS.contains(&name) {
        return None;
    }
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if !plain || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    value.parse().ok()
}

/// How Fluent shows a number inside a message: whole numbers with Indian digit grouping
/// (25177 → 25,177; 1234567 → 12,34,567), others as Fluent would.
fn format_fluent_number<M>(v: &FluentValue, _: &M) -> Option<String> {
    match v {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(format_count(n.value as i64))
        }
        _ => None,
    }
}

fn bundle(lang: Lang) -> Result<FluentBundle<FluentResource>, String> {
    let langid: unic_langid::LanguageIdentifier = lang.code().parse().map_err(|_| "langid")?;
    let mut b = FluentBundle::new_concurrent(vec![langid]);
    b.set_use_isolating(false);
    b.set_formatter(Some(format_fluent_number));
    for file in ftl_files(lang) {
        let data = LocaleFiles::get(&file).ok_or_else(|| format!("missing {file}"))?;
        let text = String::from_utf8(data.data.into_owned()).map_err(|e| e.to_string())?;
        let res = FluentResource::try_new(text).map_err(|(_, errs)| format!("{file}: {errs:?}"))?;
        b.add_resource(res)
            .map_err(|errs| format!("{file}: duplicate messages {errs:?}"))?;
    }
    Ok(b)
}

/// The `.ftl` files of one language, sorted.
pub fn ftl_files(lang: Lang) -> Vec<String> {
    let prefix = format!("{}/", lang.code());
    let mut files: Vec<String> = LocaleFiles::iter()
        .filter(|f| f.starts_with(&prefix))
        .map(|f| f.into_owned())
        .collect();
    files.sort();
    files
}

/// The message ids defined for a language (for the parity check).
pub fn message_ids(lang: Lang) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for file in ftl_files(lang) {
        if let Some(data) = LocaleFiles::get(&file) {
            let text = String::from_utf8_lossy(&data.data).into_owned();
            if let Ok(res) = FluentResource::try_new(text) {
                for entry in res.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        ids.insert(m.id.name.to_string());
                    }
                }
            }
        }
    }
    ids
}

/// India Standard Time (no daylight saving).
pub fn ist() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 1800).expect("valid offset")
}

/// A record's name in a language: its Hindi name for Hindi readers when it has one.
pub fn name_in<'a>(lang: Lang, name: &'a str, name_hi: Option<&'a str>) -> &'a str {
    match (lang, name_hi) {
        (Lang::Hi, Some(h)) if !h.is_empty() => h,
        _ => name,
    }
}

/// Today's date in India for a UTC instant.
pub fn today_in_india(utc: NaiveDateTime) -> NaiveDate {
    ist().from_utc_datetime(&utc).date_naive()
}

/// The UTC instant at which an Indian day begins (00:00 IST is 18:30 UTC the day before).
pub fn india_midnight_utc(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists") - chrono::Duration::minutes(330)
}

/// DD-MM-YYYY.
pub fn format_date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A stored UTC timestamp shown in Asia/Kolkata: DD-MM-YYYY HH:MM.
pub fn format_datetime(utc: NaiveDateTime) -> String {
    ist()
        .from_utc_datetime(&utc)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

/// Paise as rupees with Indian digit grouping: 12345650 → ₹1,23,456.50.
pub fn format_money(paise: i64) -> String {
    let neg = paise < 0;
    let abs = paise.unsigned_abs();
    let rupees = abs / 100;
    let p = abs % 100;
    let digits = rupees.to_string();
    let grouped = group_indian(&digits);
    format!("{}₹{}.{:02}", if neg { "-" } else { "" }, grouped, p)
}

/// A count with Indian digit grouping: 25177 → 25,177; 1234567 → 12,34,567.
pub fn format_count(n: i64) -> String {
    let grouped = group_indian(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Texts Paani itself writes into records (a status change's reason, a breakdown event's
/// note) and the messages that say them in the reader's language. Older rows hold the
/// English text, so pages translate by the text.
const SYSTEM_TEXTS: &[(&str, &str)] = &[
    ("scheme registered", "scheme-history-registered"),
    ("level 1: block engineer", "breakdown-level-1"),
    ("level 2: district officer", "breakdown-level-2"),
];

/// The message key of a text Paani wrote into a record, if `text` is one.
pub fn system_text_key(text: &str) -> Option<&'static str> {
    SYSTEM_TEXTS
        .iter()
        .find(|(t, _)| *t == text.trim())
        .map(|(_, k)| *k)
}

/// 1234567 → 12,34,567 (last three digits, then pairs).
pub fn group_indian(digits: &str) -> String {
    let n = digits.len();
    if n <= 3 {
        return digits.to_string();
    }
    let (head, tail) = digits.split_at(n - 3);
    let mut parts: Vec<&str> = vec![];
    let mut rest = head;
    while rest.len() > 2 {
        let (a, b) = rest.split_at(rest.len() - 2);
        parts.push(b);
        rest = a;
    }
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.reverse();
    format!("{},{}", parts.join(","), tail)
}

/// Parse rupees typed by a person ("1,234.5", "₹ 40") into paise; `None` when not money.
pub fn parse_money(input: &str) -> Option<i64> {
    let s: String = crate::web::forms::ascii_digits(input)
        .trim()
        .trim_start_matches('₹')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let rupees: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let paise: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    rupees.checked_mul(100)?.checked_add(paise)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_uses_indian_grouping() {
        assert_eq!(format_money(12345650), "₹1,23,456.50");
        assert_eq!(format_money(0), "₹0.00");
        assert_eq!(format_money(5), "₹0.05");
        assert_eq!(format_money(100000), "₹1,000.00");
        assert_eq!(format_money(9_999_999), "₹99,999.99");
        assert_eq!(format_money(1_000_000_000), "₹1,00,00,000.00");
        assert_eq!(format_money(-4000), "-₹40.00");
        assert_eq!(format_money(i64::MIN), "-₹92,23,37,20,36,85,47,758.08");
    }

    #[test]
    fn counts_use_indian_grouping() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(25177), "25,177");
        assert_eq!(format_count(1_234_567), "12,34,567");
        assert_eq!(format_count(-25177), "-25,177");
        assert_eq!(format_count(i64::MIN), "-92,23,37,20,36,85,47,75,808");
    }

    #[test]
    fn numbers_in_messages_are_numbers() {
        assert_eq!(as_number("count", "1"), Some(1.0));
        assert_eq!(as_number("count", "25177"), Some(25177.0));
        assert_eq!(
            as_number("min", "0.2"),
            None,
            "decimals are shown as written"
        );
        assert_eq!(as_number("uptime", "87.10"), None);
        assert_eq!(as_number("n", "-3"), Some(-3.0));
        for text in [
            "",
            "007",
            "+5",
            "1e3",
            "inf",
            "NaN",
            "2026-12-15",
            "1.",
            ".5",
            "12 34",
        ] {
            assert_eq!(as_number("count", text), None, "{text}");
        }
        // identifiers stay text however they look
        assert_eq!(as_number("code", "2301010101"), None);
        assert_eq!(as_number("no", "17"), None);
    }

    #[test]
    fn plurals_follow_each_language() {
        let i18n = I18n::load().unwrap();
        let n = |lang, key, n: &str| i18n.t(lang, key, &[("count", n.into())]);
        // Hindi: 0 and 1 take the singular; English: only 1.
        assert_eq!(n(Lang::Hi, "complaint-register-count", "1"), "1 शिकायत");
        assert_eq!(n(Lang::Hi, "complaint-register-count", "0"), "0 शिकायत");
        assert_eq!(n(Lang::Hi, "complaint-register-count", "3"), "3 शिकायतें");
        assert_eq!(n(Lang::En, "complaint-register-count", "1"), "1 complaint");
        assert_eq!(n(Lang::En, "complaint-register-count", "0"), "0 complaints");
        assert_eq!(
            n(Lang::Hi, "dash-breakdowns-overdue", "1"),
            "1 खराबी मरम्मत की समय-सीमा पार कर चुकी है"
        );
        assert_eq!(
            n(Lang::Hi, "complaint-register-count", "25177"),
            "25,177 शिकायतें"
        );
        // counts in messages get Indian grouping; the plural rule still sees the number
        assert_eq!(
            i18n.t(
                Lang::Hi,
                "pager-status",
                &[
                    ("page", "1".into()),
                    ("pages", "1259".into()),
                    ("total", "25177".into())
                ]
            ),
            "पेज 1 / 1,259 (कुल 25,177)"
        );
        // an LGD code is an identifier: no grouping
        assert!(i18n
            .t(
                Lang::En,
                "scheme-village-missing",
                &[("code", "2301010101".into())]
            )
            .contains("2301010101"));
    }

    #[test]
    fn iso_dates_never_reach_a_sentence() {
        let i18n = I18n::load().unwrap();
        let hi = i18n.t(
            Lang::Hi,
            "demands-confirm",
            &[("count", "1".into()), ("due", "2026-12-15".into())],
        );
        assert!(hi.contains("15-12-2026"), "{hi}");
        assert!(!hi.contains("2026-12-15"), "{hi}");
        assert!(hi.starts_with("1 माँग बनाएँ"), "{hi}");
        let en = i18n.t(Lang::En, "tariffs-from", &[("month", "2026-04".into())]);
        assert_eq!(
            en,
            format!(
                "From {}",
                i18n.month_label(Lang::En, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
            )
        );
        // not a date: kept
        assert_eq!(i18n.readable(Lang::En, "2026-13-45"), "2026-13-45");
        assert_eq!(i18n.readable(Lang::En, "23010101-B24"), "23010101-B24");
        assert_eq!(
            i18n.readable(Lang::En, "पानी पानी पानी पानी पानी"),
            "पानी पानी पानी पानी पानी"
        );
    }

    #[test]
    fn system_texts_are_translated_other_texts_kept() {
        let i18n = I18n::load().unwrap();
        assert_eq!(
            i18n.system_text(Lang::Hi, "level 2: district officer"),
            "स्तर 2: ज़िला अधिकारी"
        );
        assert_eq!(
            i18n.system_text(Lang::Hi, "scheme registered"),
            i18n.t(Lang::Hi, "scheme-history-registered", &[])
        );
        assert_ne!(
            i18n.system_text(Lang::Hi, "scheme registered"),
            "scheme registered"
        );
        assert_eq!(i18n.system_text(Lang::Hi, "pump repaired"), "pump repaired");
    }

    #[test]
    fn parses_money() {
        assert_eq!(parse_money("1,234.5"), Some(123450));
        assert_eq!(parse_money("₹ 40"), Some(4000));
        assert_eq!(parse_money("0.05"), Some(5));
        assert_eq!(parse_money("12.345"), None);
        assert_eq!(parse_money("-3"), None);
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money(""), None);
    }

    #[test]
    fn dates_are_day_month_year_in_ist() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(format_date(d), "09-03-2026");
        // 20:00 UTC on 31 March is 01:30 on 1 April in India.
        let t = NaiveDate::from_ymd_opt(2026, 3, 31)
            .unwrap()
            .and_hms_opt(20, 0, 0)
            .unwrap();
        assert_eq!(format_datetime(t), "01-04-2026 01:30");
    }

    #[test]
    fn accept_language_picks_preferred() {
        assert_eq!(
            Lang::from_accept_language("hi-IN,hi;q=0.9,en;q=0.8"),
            Some(Lang::Hi)
        );
        assert_eq!(Lang::from_accept_language("en-GB,hi;q=0.5"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr,hi;q=0.3"), Some(Lang::Hi));
        assert_eq!(Lang::from_accept_language("fr"), None);
    }
}
