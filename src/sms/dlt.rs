//! India's DLT rules as data: each message key's approved template per language
//! (config/sms_templates.toml built in; `[sms] templates_file` names a deployment's own), and
//! the one rule a message must pass before it is sent: its text is its approved template with
//! every `{#var#}` slot filled, each value at most `sms.variable_max_chars` characters, no
//! control characters. Pure: no rows, no handlers.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub const BUILTIN: &str = include_str!("../../config/sms_templates.toml");

/// The slot DLT templates mark a variable with.
pub const SLOT: &str = "{#var#}";

/// The languages every key needs a template in.
pub const LANGS: [&str; 2] = ["en", "hi"];

/// Every key the rest of Paani sends (issue 27, item 4): `paani check-config` reports those
/// without a template.
pub const KEYS: [&str; 12] = [
    "receipt",
    "demand_notice",
    "overdue_reminder",
    "complaint_filed",
    "complaint_status",
    "task_reminder",
    "escalation",
    "meeting_notice",
    "water_advisory",
    "otp_code",
    "missed_call_reply",
    "status_reply",
];

/// The one-time code's key: its text is never logged.
pub const OTP_KEY: &str = "otp_code";

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LangTemplate {
    pub dlt_template_id: String,
    /// The approved text with its `{#var#}` slots.
    pub text: String,
    #[serde(default)]
    pub provider_template_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageTemplate {
    /// The slots' names, in order.
    pub vars: Vec<String>,
    /// Sent during quiet hours and past the daily cap.
    #[serde(default)]
    pub urgent: bool,
    #[serde(default)]
    pub en: Option<LangTemplate>,
    #[serde(default)]
    pub hi: Option<LangTemplate>,
}

impl MessageTemplate {
    pub fn lang(&self, lang: &str) -> Option<&LangTemplate> {
        match lang {
            "hi" => self.hi.as_ref(),
            _ => self.en.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    pub version: String,
    pub messages: BTreeMap<String, MessageTemplate>,
}

impl Templates {
    pub fn parse(text: &str) -> Result<Templates, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The built-in templates, or the file `path` names.
    pub fn load(path: &str) -> Result<Templates, String> {
        if path.trim().is_empty() {
            return Self::parse(BUILTIN);
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Self::parse(&text).map_err(|e| format!("{path}: {e}"))
    }

    /// What `paani check-config` reports: keys without a template in a language, templates
    /// whose slots do not parse or whose slot count is not the number of `vars`, empty ids.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for key in KEYS {
            if !self.messages.contains_key(key) {
                out.push(format!("message key {key}: no template"));
            }
        }
        for (key, m) in &self.messages {
            for lang in LANGS {
                let Some(t) = m.lang(lang) else {
                    out.push(format!("message key {key}: no template in {lang}"));
                    continue;
                };
                if t.dlt_template_id.trim().is_empty() {
                    out.push(format!("message key {key} ({lang}): no dlt_template_id"));
                }
                match parse(&t.text) {
                    Err(e) => out.push(format!("message key {key} ({lang}): {e}")),
                    Ok(p) if p.slots() != m.vars.len() => out.push(format!(
                        "message key {key} ({lang}): {} slots but {} vars",
                        p.slots(),
                        m.vars.len()
                    )),
                    Ok(_) => {}
                }
            }
        }
        out
    }
}

static CACHE: Mutex<Option<(String, Arc<Templates>)>> = Mutex::new(None);

/// One message key in one language, as registered on DLT (the admin page and the API).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SmsTemplateView {
    pub key: String,
    pub lang: String,
    pub urgent: bool,
    pub vars: Vec<String>,
    pub dlt_template_id: String,
    /// The approved text with its `{#var#}` slots.
    pub text: String,
    pub provider_template_id: Option<String>,
    /// Switched off everywhere (`sms.disabled_kinds`).
    pub disabled: bool,
}

/// Every message key's template in every language it has, as [`SmsTemplateView`]s.
pub fn views(config: &crate::config::SmsConfig) -> Result<Vec<SmsTemplateView>, String> {
    let t = get(&config.templates_file)?;
    let mut out = vec![];
    for (key, m) in &t.messages {
        for lang in LANGS {
            if let Some(l) = m.lang(lang) {
                out.push(SmsTemplateView {
                    key: key.clone(),
                    lang: lang.into(),
                    urgent: m.urgent,
                    vars: m.vars.clone(),
                    dlt_template_id: l.dlt_template_id.clone(),
                    text: l.text.clone(),
                    provider_template_id: l.provider_template_id.clone(),
                    disabled: config.disabled_kinds.contains(key),
                });
            }
        }
    }
    Ok(out)
}

/// The templates `path` names (empty: the built-in ones), read once per process.
pub fn get(path: &str) -> Result<Arc<Templates>, String> {
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((p, t)) = cache.as_ref() {
        if p == path {
            return Ok(t.clone());
        }
    }
    let t = Arc::new(Templates::load(path)?);
    *cache = Some((path.to_string(), t.clone()));
    Ok(t)
}

/// A template cut at its slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The literal text around the slots: one more piece than there are slots.
    pub pieces: Vec<String>,
}

impl Parsed {
    pub fn slots(&self) -> usize {
        self.pieces.len() - 1
    }

    /// The template with its slots filled in order (`values` must have one per slot).
    pub fn render(&self, values: &[String]) -> String {
        let mut out = self.pieces[0].clone();
        for (v, p) in values.iter().zip(&self.pieces[1..]) {
            out.push_str(v);
            out.push_str(p);
        }
        out
    }
}

/// Cut a template at its `{#var#}` slots. A `{#` that does not open a `{#var#}` slot (a typo
/// such as `{#Var#}` or `{#var}`) is an error, as DLT would refuse the template.
pub fn parse(template: &str) -> Result<Parsed, String> {
    let mut pieces = vec![String::new()];
    let mut rest = template;
    while let Some(i) = rest.find("{#") {
        pieces.last_mut().unwrap().push_str(&rest[..i]);
        let after = &rest[i..];
        if !after.starts_with(SLOT) {
            let shown: String = after.chars().take(10).collect();
            return Err(format!("a slot must be written {SLOT}, not {shown:?}"));
        }
        pieces.push(String::new());
        rest = &after[SLOT.len()..];
    }
    if rest.contains("#}") {
        return Err(format!("a stray \"#}}\": a slot must be written {SLOT}"));
    }
    pieces.last_mut().unwrap().push_str(rest);
    if template.trim().is_empty() {
        return Err("the template is empty".into());
    }
    Ok(Parsed { pieces })
}

/// Why a text does not pass its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The template itself does not parse.
    BadTemplate(String),
    /// The text is not the template with its slots filled.
    Text,
    /// A slot's value (1-based) is longer than allowed.
    TooLong {
        slot: usize,
        chars: usize,
        max: usize,
    },
    /// A slot's value holds a control character (a line break, say).
    Control { slot: usize },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::BadTemplate(e) => write!(f, "the template does not parse: {e}"),
            Mismatch::Text => f.write_str("the text does not match its approved DLT template"),
            Mismatch::TooLong { slot, chars, max } => write!(
                f,
                "variable {slot} has {chars} characters; DLT allows at most {max}"
            ),
            Mismatch::Control { slot } => {
                write!(f, "variable {slot} holds a control character")
            }
        }
    }
}

/// Whether `text` is `template` with each slot filled by at most `max` characters; the slot
/// values when it is. Slots may be empty. Where a slot could end in more than one place, every
/// way is tried, so a value may hold the literal text that follows its slot.
pub fn matches(template: &str, text: &str, max: usize) -> Result<Vec<String>, Mismatch> {
    let parsed = parse(template).map_err(Mismatch::BadTemplate)?;
    let first = &parsed.pieces[0];
    let Some(rest) = text.strip_prefix(first.as_str()) else {
        return Err(Mismatch::Text);
    };
    let mut values = Vec::new();
    if !fill(&parsed.pieces[1..], rest, &mut values) {
        return Err(Mismatch::Text);
    }
    for (i, v) in values.iter().enumerate() {
        let chars = v.chars().count();
        if chars > max {
            return Err(Mismatch::TooLong {
                slot: i + 1,
                chars,
                max,
            });
        }
        if v.chars().any(char::is_control) {
            return Err(Mismatch::Control { slot: i + 1 });
        }
    }
    Ok(values)
}

/// Each of `after` follows one slot: find where each slot's value ends in `text`.
fn fill(after: &[String], text: &str, values: &mut Vec<String>) -> bool {
    let Some((lit, more)) = after.split_first() else {
        return text.is_empty();
    };
    if more.is_empty() {
        // the last slot takes everything up to the final literal
        return match text.strip_suffix(lit.as_str()) {
            Some(v) => {
                values.push(v.to_string());
                true
            }
            None => false,
        };
    }
    let mut from = 0;
    while let Some(i) = text[from..].find(lit.as_str()).map(|i| i + from) {
        values.push(text[..i].to_string());
        if fill(more, &text[i + lit.len()..], values) {
            return true;
        }
        values.pop();
        // the next place the literal starts (a char boundary)
        from = i + text[i..].chars().next().map_or(1, char::len_utf8);
        if lit.is_empty() && from > text.len() {
            break;
        }
    }
    false
}

/// Hindi, and any text beyond plain ASCII, goes as Unicode.
pub fn is_unicode(lang: &str, text: &str) -> bool {
    lang == "hi" || !text.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "Paani: receipt {#var#} for Rs {#var#}. See {#var#}";

    #[test]
    fn a_filled_template_matches_and_gives_its_values() {
        let text = "Paani: receipt R-12 for Rs 150.00. See http://x/s/abc";
        assert_eq!(
            matches(T, text, 30).unwrap(),
            vec!["R-12", "150.00", "http://x/s/abc"]
        );
        // a value may hold the text after its slot
        let tricky = "Paani: receipt R for Rs 1 for Rs 2. See z";
        assert_eq!(
            matches(T, tricky, 30).unwrap(),
            vec!["R", "1 for Rs 2", "z"]
        );
        // empty values
        assert_eq!(
            matches(T, "Paani: receipt  for Rs . See ", 30).unwrap(),
            vec!["", "", ""]
        );
    }

    #[test]
    fn the_edges_of_a_match() {
        // exactly at the limit passes, one more fails
        let at = format!("Paani: receipt {} for Rs 1. See z", "x".repeat(30));
        assert!(matches(T, &at, 30).is_ok());
        let over = format!("Paani: receipt {} for Rs 1. See z", "x".repeat(31));
        assert_eq!(
            matches(T, &over, 30),
            Err(Mismatch::TooLong {
                slot: 1,
                chars: 31,
                max: 30
            })
        );
        // characters, not bytes: 30 Devanagari letters fit
        let hi = "रसीद {#var#} मिली";
        assert!(matches(hi, &format!("रसीद {} मिली", "क".repeat(30)), 30).is_ok());
        // a changed literal, a missing or extra tail, a changed case
        for bad in [
            "Paani: receipt R for Rs 1. see z",
            "Paani: receipt R for Rs 1.",
            "Paani receipt R for Rs 1. See z",
            "paani: receipt R for Rs 1. See z",
            "Paani: receipt R for Rs 1. See z\nextra",
        ] {
            assert!(matches(T, bad, 30).is_err(), "{bad}");
        }
        assert_eq!(
            matches(T, "Paani: receipt R\n for Rs 1. See z", 30),
            Err(Mismatch::Control { slot: 1 })
        );
        // a template that is only a slot, and slots side by side
        assert_eq!(matches("{#var#}", "abc", 30).unwrap(), vec!["abc"]);
        assert_eq!(matches("{#var#}{#var#}", "ab", 30).unwrap().concat(), "ab");
        // the trailing literal
        assert!(matches("{#var#} is your code.", "1234 is your code.", 30).is_ok());
        assert!(matches("{#var#} is your code.", "1234 is your code", 30).is_err());
    }

    #[test]
    fn slots_that_do_not_parse_are_reported() {
        assert_eq!(parse(T).unwrap().slots(), 3);
        assert_eq!(parse("no slots").unwrap().slots(), 0);
        for bad in ["Rs {#Var#}", "Rs {#var}", "Rs {#num#}", "Rs var#}", ""] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            matches("{#vr#}", "x", 30),
            Err(Mismatch::BadTemplate(_))
        ));
        let p = parse(T).unwrap();
        assert_eq!(
            p.render(&["a".into(), "b".into(), "c".into()]),
            "Paani: receipt a for Rs b. See c"
        );
    }

    #[test]
    fn the_built_in_templates_cover_every_key_in_both_languages() {
        let t = Templates::parse(BUILTIN).unwrap();
        assert_eq!(t.problems(), Vec::<String>::new());
        let mut broken = t.clone();
        broken.messages.get_mut("receipt").unwrap().hi = None;
        broken
            .messages
            .get_mut("otp_code")
            .unwrap()
            .en
            .as_mut()
            .unwrap()
            .text = "{#var is your code".into();
        broken.messages.remove("escalation");
        let p = broken.problems();
        assert!(
            p.iter()
                .any(|m| m == "message key receipt: no template in hi"),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m.starts_with("message key otp_code (en)")),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m == "message key escalation: no template"),
            "{p:?}"
        );
        assert!(is_unicode("hi", "abc") && is_unicode("en", "रु") && !is_unicode("en", "Rs"));
    }
}
