//! Property tests of the pure parsers every request goes through: money, dates, months,
//! CSV records and cells, the input screen, LIKE patterns. Fixed seeds (the runner's
//! deterministic RNG), a bounded number of cases, so CI runs the same examples each time.

use crate::config::MoneyLimits;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases: 512,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

#[test]
fn money_written_either_way_reads_back_to_the_paisa() {
    runner()
        .run(
            &(0i64..=MoneyLimits::CAPITAL_CEILING_RUPEES * 100),
            |paise| {
                let plain = crate::web::csv::rupees(paise);
                prop_assert_eq!(crate::web::i18n::parse_money(&plain), Some(paise));
                let shown = crate::web::i18n::format_money(paise);
                prop_assert_eq!(crate::web::i18n::parse_money(&shown), Some(paise));
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn any_text_as_money_never_panics_and_is_never_negative() {
    runner()
        .run(&".{0,40}", |s| {
            if let Some(p) = crate::web::i18n::parse_money(&s) {
                prop_assert!(p >= 0, "{s:?} → {p}");
            }
            let mut e = crate::error::FieldErrors::new();
            let max = MoneyLimits::AMOUNT_CEILING_RUPEES * 100;
            if let Some(p) = crate::web::forms::optional_money(&s, max, "x", &mut e) {
                prop_assert!((0..=max).contains(&p));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn dates_and_months_read_back_in_every_accepted_form() {
    let day = (1900i32..=2199, 1u32..=12, 1u32..=28);
    runner()
        .run(&day, |(y, m, d)| {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            for f in ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"] {
                let text = date.format(f).to_string();
                prop_assert_eq!(crate::web::forms::parse_date(&text), Some(date));
            }
            let first = chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap();
            let month = date.format("%Y-%m").to_string();
            prop_assert_eq!(crate::web::forms::parse_month(&month), Some(first));
            Ok(())
        })
        .unwrap();
    runner()
        .run(&".{0,30}", |s| {
            let _ = crate::web::forms::parse_date(&s);
            let _ = crate::web::forms::parse_month(&s);
            Ok(())
        })
        .unwrap();
}

#[test]
fn csv_records_read_any_file_without_panicking_and_never_pass_a_control_character() {
    runner()
        .run(&proptest::collection::vec(any::<u8>(), 0..300), |bytes| {
            let text = crate::web::csv::text_of(&bytes);
            if let Ok(rows) = crate::web::csv::records(&text) {
                for (_, cells) in rows {
                    for c in cells {
                        prop_assert!(!crate::web::input::has_forbidden(&c), "{c:?}");
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn exported_cells_never_start_a_formula_and_read_back() {
    let cells = proptest::collection::vec(".{0,20}", 1..6);
    runner()
        .run(&cells, |row| {
            let header = vec!["h"; row.len()];
            let res = crate::web::csv::response("x.csv", &header, vec![row.clone()]).unwrap();
            let body = actix_web::body::MessageBody::try_into_bytes(res.into_body()).unwrap();
            let text = String::from_utf8(body.to_vec()).unwrap();
            let mut r = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let back: Vec<String> = r
                .records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(String::from)
                .collect();
            prop_assert_eq!(back.len(), row.len());
            for (got, sent) in back.iter().zip(&row) {
                let number = sent.parse::<f64>().is_ok()
                    && sent
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.');
                let risky = matches!(
                    got.chars().next(),
                    Some('=' | '+' | '-' | '@' | '\t' | '\r')
                );
                prop_assert!(!risky || number, "{got:?}");
                prop_assert!(
                    got == sent || *got == format!("'{sent}"),
                    "{got:?} from {sent:?}"
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn like_patterns_hold_no_wildcard_the_user_typed() {
    runner()
        .run(&".{0,20}", |term| {
            let p = crate::db::like_pattern(&term);
            prop_assert!(p.starts_with('%') && p.ends_with('%'));
            // unescape the inside: every %, _ and \ in it must have been escaped
            let inner: Vec<char> = p[1..p.len() - 1].chars().collect();
            let mut plain = String::new();
            let mut i = 0;
            while i < inner.len() {
                let c = inner[i];
                if c == crate::db::LIKE_ESCAPE {
                    prop_assert!(i + 1 < inner.len(), "a dangling escape in {p:?}");
                    plain.push(inner[i + 1]);
                    i += 2;
                } else {
                    prop_assert!(c != '%' && c != '_', "a bare wildcard in {p:?}");
                    plain.push(c);
                    i += 1;
                }
            }
            prop_assert_eq!(plain, term.trim().to_lowercase());
            Ok(())
        })
        .unwrap();
}

/// `text` with its ASCII digits written in Devanagari (० to ९), as a Hindi keyboard types.
fn devanagari(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x0966 + d).unwrap(),
            _ => c,
        })
        .collect()
}

#[test]
fn devanagari_digits_read_as_the_same_numbers_money_and_dates() {
    let cases = (
        0i64..=MoneyLimits::AMOUNT_CEILING_RUPEES * 100,
        -1_000_000i64..=1_000_000,
        (1900i32..=2199, 1u32..=12, 1u32..=28),
    );
    runner()
        .run(&cases, |(paise, n, (y, m, d))| {
            let money = crate::web::i18n::format_money(paise);
            prop_assert_eq!(
                crate::web::i18n::parse_money(&devanagari(&money)),
                Some(paise)
            );
            let mut e = crate::error::FieldErrors::new();
            let typed = devanagari(&n.to_string());
            prop_assert_eq!(
                crate::web::forms::optional_int(&typed, i64::MIN, i64::MAX, "n", &mut e),
                Some(n)
            );
            let decimal = format!("{n}.25");
            prop_assert_eq!(
                crate::web::forms::parse_decimal(&devanagari(&decimal)),
                decimal.parse::<f64>().ok()
            );
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            for f in ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"] {
                let text = devanagari(&date.format(f).to_string());
                prop_assert_eq!(crate::web::forms::parse_date(&text), Some(date));
            }
            prop_assert!(e.is_empty());
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_digit_normaliser_changes_only_devanagari_digits() {
    runner()
        .run(&".{0,40}", |s| {
            let out = crate::web::forms::ascii_digits(&s);
            prop_assert_eq!(out.chars().count(), s.chars().count());
            for (a, b) in s.chars().zip(out.chars()) {
                if ('\u{0966}'..='\u{096F}').contains(&a) {
                    prop_assert_eq!(b.to_digit(10), Some(a as u32 - 0x0966));
                } else {
                    prop_assert_eq!(a, b);
                }
            }
            Ok(())
        })
        .unwrap();
}
