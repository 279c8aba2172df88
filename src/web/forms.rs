//! Reading typed form and JSON fields: each helper trims, checks, and on a problem adds a
//! field error (a translation key) and returns `None`, so a form reports every problem at once.

use crate::error::FieldErrors;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// Typed digits as ASCII: Devanagari digits (०-९, what a Hindi keyboard types) become 0-9,
/// everything else is left as it is. Every number, money, date and time parser reads its
/// input through this, so "१०" is 10 and "०.५" is 0.5 wherever a number is asked for.
pub fn ascii_digits(raw: &str) -> Cow<'_, str> {
    if !raw.chars().any(|c| ('\u{0966}'..='\u{096F}').contains(&c)) {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(
        raw.chars()
            .map(|c| match c {
                '\u{0966}'..='\u{096F}' => char::from(b'0' + (c as u32 - 0x0966) as u8),
                other => other,
            })
            .collect(),
    )
}

/// A typed decimal number (digits in either script, a decimal comma allowed when there is
/// no point): `None` when it is not one, or not finite.
pub fn parse_decimal(raw: &str) -> Option<f64> {
    let v = ascii_digits(raw.trim()).replace('\u{2212}', "-");
    let v = if v.contains('.') {
        v
    } else {
        v.replace(',', ".")
    };
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A checkbox or yes/no field ("1", "true", "on" or "yes", any case) is set.
pub fn flag(raw: &str) -> bool {
    matches!(
        raw.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "on" | "yes"
    )
}

/// Required text of at most `max` characters.
pub fn required_text(raw: &str, max: usize, field: &str, e: &mut FieldErrors) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        e.add(field, "field-required");
        None
    } else {
        text_max(v, max, field, e)
    }
}

/// Optional text of at most `max` characters; empty is `None`.
pub fn optional_text(raw: &str, max: usize, field: &str, e: &mut FieldErrors) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() {
        None
    } else {
        text_max(v, max, field, e)
    }
}

/// The entries of a field holding several (one a line, or split by `sep`), trimmed, blanks
/// dropped: at most `max_items` of them, each at most `max_chars` characters; more is an
/// error on the field, never a silent cut.
pub fn entries(
    raw: &str,
    sep: Option<char>,
    list: max::List,
    field: &str,
    e: &mut FieldErrors,
) -> Vec<String> {
    let (max_items, max_chars) = (list.items, list.chars);
    if raw.chars().count() > list.total() {
        e.add_with(
            field,
            "field-too-long",
            &[("max", list.total().to_string())],
        );
        return vec![];
    }
    let parts: Vec<String> = match sep {
        Some(c) => raw
            .split(c)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        None => raw
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    };
    if parts.len() > max_items {
        e.add_with(field, "field-too-many", &[("max", max_items.to_string())]);
    } else if parts.iter().any(|p| p.chars().count() > max_chars) {
        e.add_with(
            field,
            "field-entry-too-long",
            &[("max", max_chars.to_string())],
        );
    }
    parts
}

/// The longest text of each kind of field, in characters: one table for the server's checks
/// (which refuse more with the limit in the message, never cut) and for every form's
/// `maxlength`, which reads it from `max` in each page's context (`maxlength="{{max.name}}"`).
pub mod max {
    /// A number typed (an amount, a count, a reading): the parser refuses anything else.
    pub const NUMBER: usize = 20;
    /// A mobile number as typed (spaces, +91).
    pub const PHONE: usize = 20;
    /// A code or record number: a connection number, an IMIS id, a complaint number.
    pub const CODE: usize = 40;
    /// A voucher or receipt-book number.
    pub const VOUCHER: usize = 50;
    /// A word or two: a role.
    pub const WORD: usize = 60;
    /// A make, a model, a serial number, one person in a list.
    pub const SHORT: usize = 80;
    /// A payment's reference (UPI, cheque), who collected it.
    pub const REFERENCE: usize = 100;
    /// A name or title: a person, a scheme, an asset, a place, a task.
    pub const NAME: usize = 120;
    /// A one-line phrase: a venue, a party, a short reason, one checklist item.
    pub const LINE: usize = 200;
    /// An e-mail address.
    pub const EMAIL: usize = 254;
    /// A password.
    pub const PASSWORD: usize = 256;
    /// A reason for a correction or a change.
    pub const REASON: usize = 500;
    /// A note or a comment.
    pub const NOTE: usize = 1000;
    /// A description, notes, instructions, a resolution.
    pub const TEXT: usize = 2000;
    /// Minutes and addenda.
    pub const MINUTES: usize = 4000;

    /// A field holding several entries (one a line, or split by commas): at most `items` of
    /// them, each at most `chars` characters.
    #[derive(Debug, Clone, Copy)]
    pub struct List {
        pub items: usize,
        pub chars: usize,
    }

    impl List {
        /// The longest the whole field may be: every entry full, with its separator.
        pub const fn total(self) -> usize {
            self.items * (self.chars + 2)
        }
    }

    /// Who did a task, split by commas.
    pub const DONE_BY: List = List {
        items: 10,
        chars: SHORT,
    };
    /// Parts used, one a line.
    pub const PARTS: List = List {
        items: 20,
        chars: NAME,
    };
    /// A plan's checklist, one item a line.
    pub const CHECKLIST: List = List {
        items: 30,
        chars: LINE,
    };
    /// A meeting's agenda, one item a line.
    pub const AGENDA: List = List {
        items: 50,
        chars: REASON,
    };
    /// A scheme's villages: LGD codes split by commas.
    pub const VILLAGES: List = List {
        items: 200,
        chars: 12,
    };

    /// The table as the pages see it (`max.name`, `max.note`, … and for the lists their
    /// whole length, `max.agenda`, with `max.agenda_items` and `max.agenda_chars`).
    pub fn table() -> serde_json::Value {
        let mut t = serde_json::json!({
            "number": NUMBER, "phone": PHONE, "code": CODE, "voucher": VOUCHER, "word": WORD,
            "short": SHORT, "reference": REFERENCE, "name": NAME, "line": LINE, "email": EMAIL,
            "password": PASSWORD, "reason": REASON, "note": NOTE, "text": TEXT,
            "minutes": MINUTES,
        });
        for (name, list) in [
            ("done_by", DONE_BY),
            ("parts", PARTS),
            ("checklist", CHECKLIST),
            ("agenda", AGENDA),
            ("villages", VILLAGES),
        ] {
            t[name] = list.total().into();
            t[format!("{name}_items")] = list.items.into();
            t[format!("{name}_chars")] = list.chars.into();
        }
        t
    }
}

/// The longest field that is one line (a name, a number, a short phrase). Longer fields
/// (notes, reasons, descriptions, minutes) may hold line breaks and tabs; these may not.
pub const ONE_LINE_MAX: usize = max::LINE;

fn text_max(v: &str, max: usize, field: &str, e: &mut FieldErrors) -> Option<String> {
    if max <= ONE_LINE_MAX && v.contains(['\n', '\r', '\t']) {
        e.add(field, "field-one-line");
        None
    } else if v.chars().count() > max {
        // Never cut: the person sees how much to shorten.
        e.add_with(
            field,
            "field-too-long-count",
            &[
                ("max", max.to_string()),
                ("count", v.chars().count().to_string()),
            ],
        );
        None
    } else {
        Some(v.to_string())
    }
}

/// Optional whole number within `min..=max`; empty or wrong is `None` (wrong adds an error).
pub fn optional_int(
    raw: &str,
    min: i64,
    max: i64,
    field: &str,
    e: &mut FieldErrors,
) -> Option<i64> {
    let v = ascii_digits(raw.trim());
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            e.add_with(
                field,
                "field-out-of-range",
                &[("min", min.to_string()), ("max", max.to_string())],
            );
            None
        }
        Err(_) => {
            e.add(field, "field-not-a-number");
            None
        }
    }
}

/// Optional decimal number ≥ 0 (a capacity, a length); empty or wrong is `None`.
pub fn optional_non_negative(raw: &str, field: &str, e: &mut FieldErrors) -> Option<f64> {
    let v = ascii_digits(raw.trim()).replace(',', "");
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..1e12).contains(&n) => Some(n),
        Ok(_) => {
            e.add(field, "field-negative");
            None
        }
        Err(_) => {
            e.add(field, "field-not-a-number");
            None
        }
    }
}

/// A date as typed: YYYY-MM-DD (what date inputs send) or DD-MM-YYYY (what people write).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let v = ascii_digits(raw.trim());
    let v = v.as_ref();
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        .ok()
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
}

/// Optional date; with `not_after`, a later date is an error (e.g. "installed tomorrow").
pub fn optional_date(
    raw: &str,
    not_after: Option<NaiveDate>,
    field: &str,
    e: &mut FieldErrors,
) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    match parse_date(raw) {
        None => {
            e.add(field, "field-bad-date");
            None
        }
        Some(d) if not_after.is_some_and(|limit| d > limit) => {
            e.add(field, "field-date-in-future");
            None
        }
        Some(d) => Some(d),
    }
}

/// Optional money in rupees ("1,500.50") as paise, at most `max` paise (one of the
/// configured `[money]` limits: `MoneyLimits::amount_paise` for a rate, charge, fee, cost or
/// payment, `capital_paise` for a replacement cost or a grant).
pub fn optional_money(raw: &str, max: i64, field: &str, e: &mut FieldErrors) -> Option<i64> {
    if raw.trim().is_empty() {
        return None;
    }
    match crate::web::i18n::parse_money(raw) {
        Some(p) if p > max => {
            e.add_with(
                field,
                "field-money-too-large",
                &[("max", crate::web::i18n::format_money(max))],
            );
            None
        }
        Some(p) => Some(p),
        None => {
            e.add(field, "field-bad-money");
            None
        }
    }
}

/// Read a JSON object into a form-shaped input (all fields text): numbers and booleans are
/// taken as their text, `null` as empty; `base`, when given, supplies the fields left out
/// (PATCH). Unknown fields are a 422 naming them.
pub fn from_json<T>(body: serde_json::Value, base: Option<&T>) -> Result<T, crate::error::AppError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    use serde_json::Value;
    let Value::Object(patch) = body else {
        return Err(crate::error::AppError::BadRequest("error-bad-json".into()));
    };
    let mut merged = match base {
        Some(b) => match serde_json::to_value(b) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        },
        None => match serde_json::to_value(
            serde_json::from_value::<T>(Value::Object(Default::default())).ok(),
        ) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        },
    };
    let mut e = FieldErrors::new();
    for (k, v) in patch {
        if !merged.contains_key(&k) {
            e.add(&k, "field-unknown");
            continue;
        }
        let text = match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                e.add(&k, "field-not-text");
                continue;
            }
        };
        merged.insert(k, Value::String(text));
    }
    e.into_result()?;
    serde_json::from_value(Value::Object(merged))
        .map_err(|_| crate::error::AppError::BadRequest("error-bad-json".into()))
}

/// A JSON value as form text: strings as they are, null as empty, anything else as JSON.
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Take a record's id out of a JSON body (a number, or its text) before the rest is read as
/// the record's input; missing or not a number is a 422 on that field.
pub fn take_id(body: &mut serde_json::Value, field: &str) -> Result<i64, crate::error::AppError> {
    body.as_object_mut()
        .and_then(|o| o.remove(field))
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        })
        .ok_or_else(|| {
            let mut e = crate::error::FieldErrors::new();
            e.add(field, "field-invalid-choice");
            crate::error::AppError::Validation(e)
        })
}

/// A record's id a JSON body must name (`Some` once read); missing is a 422 on that field.
pub fn required_id(id: Option<i64>, field: &str) -> Result<i64, crate::error::AppError> {
    id.ok_or_else(|| {
        let mut e = crate::error::FieldErrors::new();
        e.add(field, "field-required");
        crate::error::AppError::Validation(e)
    })
}

/// The fields of a form sent either urlencoded or as multipart (with files), by name.
pub async fn read_any_form(
    req: &actix_web::HttpRequest,
    payload: actix_web::web::Payload,
    max: usize,
) -> Result<std::collections::HashMap<String, Vec<u8>>, crate::error::AppError> {
    use crate::error::AppError;
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mp = actix_multipart::Multipart::new(req.headers(), payload);
        return crate::web::csv::read_upload(mp, max).await;
    }
    let bytes = payload
        .to_bytes_limited(max)
        .await
        .map_err(|_| AppError::BadRequest("error-too-large".into()))?
        .map_err(|_| AppError::BadRequest("error-bad-request".into()))?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| AppError::BadRequest("error-bad-request".into()))?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, v.into_bytes()))
        .collect())
}

/// For query strings from filter forms: an empty value (`?gp=`, the "all" choice) is no value.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let raw: Option<String> = serde::Deserialize::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// A typed form from the text fields of a multipart (or urlencoded) form read with
/// [`read_any_form`]; missing fields take their defaults.
pub fn from_fields<T: serde::de::DeserializeOwned + Default>(
    fields: &std::collections::HashMap<String, Vec<u8>>,
) -> T {
    let map: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned().into()))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

/// `YYYY-MM` (or a date in that month) as the month's first day.
pub fn parse_month(raw: &str) -> Option<NaiveDate> {
    let v = ascii_digits(raw.trim());
    let v = v.as_ref();
    NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d")
        .ok()
        .or_else(|| parse_date(v).and_then(|d| d.with_day(1)))
}

/// One line of a failed form's error summary: the field's label as the page shows it, its
/// message, and the id of the control to jump to (when it has one).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SummaryItem {
    pub target: Option<String>,
    pub label: Option<String>,
    pub message: String,
}

/// Where a failed form's summary goes in a rendered page, and what it lists: each field with
/// an error (`(field, message)`, in the order given) is looked up in the page as the control
/// named so (or the element with that id: a fieldset of several controls), and labelled
/// with its `<label for>`, the label around it, or its fieldset's legend. The items come in
/// the page's order; the place is just inside the `<form>` holding the first of them (or
/// `None`: no control found, the caller puts the summary at the top of the content).
pub fn error_summary(html: &str, errors: &[(String, String)]) -> (Option<usize>, Vec<SummaryItem>) {
    let mut found: Vec<(usize, SummaryItem)> = vec![];
    let mut missing = vec![];
    for (field, message) in errors {
        match find_control(html, field) {
            Some((pos, tag)) => {
                let id = attr(tag, "id");
                let label = id
                    .as_deref()
                    .and_then(|id| label_for(html, id))
                    .or_else(|| wrapping_label(html, pos))
                    .or_else(|| {
                        tag.starts_with("<fieldset")
                            .then(|| element_text(html, pos, "legend"))
                            .flatten()
                    })
                    .or_else(|| attr(tag, "aria-label").map(|l| unescape(&l)));
                found.push((
                    pos,
                    SummaryItem {
                        target: id,
                        label,
                        message: message.clone(),
                    },
                ));
            }
            None => missing.push(SummaryItem {
                target: None,
                label: None,
                message: message.clone(),
            }),
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    let place = found.first().and_then(|(pos, _)| {
        let form = html[..*pos].rfind("<form")?;
        // not a form already closed before the control
        if html[form..*pos].contains("</form>") {
            return None;
        }
        html[form..].find('>').map(|end| form + end + 1)
    });
    let items = found.into_iter().map(|(_, i)| i).chain(missing).collect();
    (place, items)
}

/// The opening tag of the control named `field` (an input, select, textarea or button) or,
/// failing that, of the element whose id is `field`; with its position.
fn find_control<'a>(html: &'a str, field: &str) -> Option<(usize, &'a str)> {
    let tag_at = |needle: &str, controls_only: bool| {
        let mut from = 0;
        while let Some(i) = html[from..].find(needle) {
            let at = from + i;
            from = at + needle.len();
            let Some(start) = html[..at].rfind('<') else {
                continue;
            };
            let Some(end) = html[start..].find('>').map(|e| start + e + 1) else {
                continue;
            };
            if end <= at {
                continue;
            }
            let tag = &html[start..end];
            let is_control = ["<input", "<select", "<textarea", "<button"]
                .iter()
                .any(|t| tag.starts_with(t));
            if !controls_only || is_control {
                return Some((start, tag));
            }
        }
        None
    };
    tag_at(&format!(" name=\"{field}\""), true)
        .or_else(|| tag_at(&format!(" id=\"{field}\""), false))
}

/// The value of attribute `name` in an opening tag, as written (escaped).
fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

fn label_for(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("<label for=\"{id}\"")).or_else(|| {
        html.find(&format!(" for=\"{id}\""))
            .and_then(|i| html[..i].rfind("<label"))
    })?;
    element_text(html, at, "label")
}

/// The text of the `<label>` a control at `pos` sits inside, if it does.
fn wrapping_label(html: &str, pos: usize) -> Option<String> {
    let open = html[..pos].rfind("<label")?;
    if html[open..pos].contains("</label>") {
        return None;
    }
    element_text(html, open, "label")
}

/// The text (tags dropped, spaces collapsed, unescaped) of the first `<tag>` at or after
/// `from`, up to its closing tag; `None` when empty.
fn element_text(html: &str, from: usize, tag: &str) -> Option<String> {
    let open = html[from..].find(&format!("<{tag}"))? + from;
    let body = html[open..].find('>')? + open + 1;
    let close = html[body..].find(&format!("</{tag}>"))? + body;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[body..close].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then(|| unescape(&text))
}

/// Undo the template engine's escaping (the summary escapes again when it is rendered).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_orders() {
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(parse_date("2024-02-29"), Some(d));
        assert_eq!(parse_date("29-02-2024"), Some(d));
        assert_eq!(parse_date("29/02/2024"), Some(d));
        assert_eq!(parse_date("29-02-2023"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn numbers() {
        let mut e = FieldErrors::new();
        assert_eq!(optional_int("12", 1, 100, "a", &mut e), Some(12));
        assert_eq!(optional_int("", 1, 100, "a", &mut e), None);
        assert!(optional_int("0", 1, 100, "b", &mut e).is_none());
        assert!(optional_int("x", 1, 100, "c", &mut e).is_none());
        assert!(optional_non_negative("-1", "d", &mut e).is_none());
        assert_eq!(
            optional_non_negative("7.5", "d", &mut FieldErrors::new()),
            Some(7.5)
        );
        assert!(e.has("b") && e.has("c") && e.has("d"));
    }

    #[test]
    fn devanagari_digits_read_as_numbers() {
        assert_eq!(ascii_digits("१०"), "10");
        assert_eq!(ascii_digits("abc"), "abc");
        assert_eq!(parse_decimal("०.५"), Some(0.5));
        assert_eq!(parse_decimal("−0.5"), Some(-0.5));
        assert_eq!(parse_decimal("0,5"), Some(0.5));
        assert_eq!(
            parse_date("१५-१२-२०२६"),
            NaiveDate::from_ymd_opt(2026, 12, 15)
        );
        let mut e = FieldErrors::new();
        assert_eq!(optional_int("१२", 1, 100, "a", &mut e), Some(12));
        assert_eq!(optional_non_negative("७.५", "d", &mut e), Some(7.5));
        assert!(e.is_empty());
    }

    #[test]
    fn summary_finds_labels_in_the_page() {
        let html = r#"<main><form method="post"><input type="hidden" name="_csrf" value="x">
<label for="head_name">Head &amp; name</label><input id="head_name" name="head_name">
<label class="check"><input type="checkbox" name="agree"> I <b>agree</b></label>
<fieldset id="readings"><legend>Readings</legend><input name="reading_0"></fieldset>
</form></main>"#;
        let errors = vec![
            ("readings".to_string(), "bad reading".to_string()),
            ("head_name".to_string(), "required".to_string()),
            ("agree".to_string(), "tick it".to_string()),
            ("nowhere".to_string(), "other".to_string()),
        ];
        let (place, items) = error_summary(html, &errors);
        assert_eq!(
            place,
            Some(html.find("<form").unwrap() + r#"<form method="post">"#.len())
        );
        let labels: Vec<_> = items.iter().map(|i| i.label.as_deref()).collect();
        assert_eq!(
            labels,
            [Some("Head & name"), Some("I agree"), Some("Readings"), None]
        );
        assert_eq!(items[0].target.as_deref(), Some("head_name"));
        assert_eq!(items[1].target, None);
        assert_eq!(items[2].target.as_deref(), Some("readings"));
        assert_eq!(items[3].message, "other");
    }
}
