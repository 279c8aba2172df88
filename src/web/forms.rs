//! Reading typed form and JSON fields: each helper trims, checks, and on a problem adds a
//! field error (a translation key) and returns `None`, so a form reports every problem at once.

use crate::error::FieldErrors;
use chrono::{Datelike, NaiveDate};

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
    max_items: usize,
    max_chars: usize,
    field: &str,
    e: &mut FieldErrors,
) -> Vec<String> {
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

/// The longest field that is one line (a name, a number, a short phrase). Longer fields
/// (notes, reasons, descriptions, minutes) may hold line breaks and tabs; these may not.
pub const ONE_LINE_MAX: usize = 200;

fn text_max(v: &str, max: usize, field: &str, e: &mut FieldErrors) -> Option<String> {
    if max <= ONE_LINE_MAX && v.contains(['\n', '\r', '\t']) {
        e.add(field, "field-one-line");
        None
    } else if v.chars().count() > max {
        e.add_with(field, "field-too-long", &[("max", max.to_string())]);
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
    let v = raw.trim();
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
    let v = raw.trim().replace(',', "");
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
    let v = raw.trim();
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
    let v = raw.trim();
    NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d")
        .ok()
        .or_else(|| parse_date(v).and_then(|d| d.with_day(1)))
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
}
