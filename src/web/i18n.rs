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
    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            match v.parse::<f64>() {
                Ok(n) if !v.is_empty() && !v.starts_with('+') => {
                    fargs.set(k.to_string(), FluentValue::from(n))
                }
                _ => fargs.set(k.to_string(), FluentValue::from(v.clone())),
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

    /// A month as people write it: "Apr 2026", "अप्रैल 2026".
    pub fn month_label(&self, lang: Lang, month: NaiveDate) -> String {
        use chrono::Datelike;
        let name = self.t(lang, &format!("month-{}", month.month()), &[]);
        format!("{name} {}", month.year())
    }
}

fn bundle(lang: Lang) -> Result<FluentBundle<FluentResource>, String> {
    let langid: unic_langid::LanguageIdentifier = lang.code().parse().map_err(|_| "langid")?;
    let mut b = FluentBundle::new_concurrent(vec![langid]);
    b.set_use_isolating(false);
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

/// Today's date in India for a UTC instant.
/// A record's name in a language: its Hindi name for Hindi readers when it has one.
pub fn name_in<'a>(lang: Lang, name: &'a str, name_hi: Option<&'a str>) -> &'a str {
    match (lang, name_hi) {
        (Lang::Hi, Some(h)) if !h.is_empty() => h,
        _ => name,
    }
}

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
