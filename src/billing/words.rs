//! Amounts in words for printed receipts, in the Indian numbering system (hundred, thousand,
//! lakh, crore), in English or Hindi. 12345650 paise is "Rupees One Lakh Twenty-Three Thousand
//! Four Hundred Fifty-Six and Fifty Paise Only", or "एक लाख तेईस हज़ार चार सौ छप्पन रुपये और
//! पचास पैसे मात्र".
//!
//! Crore is the largest scale word: from a hundred crore up, the number of crores is itself said
//! in words ("One Hundred Twenty Crore"). The digit grouping (₹1,23,456.50) is
//! [`crate::web::i18n::format_money`].

use crate::web::i18n::Lang;

const HUNDRED: u64 = 100;
const THOUSAND: u64 = 1_000;
/// 1,00,000.
const LAKH: u64 = 100_000;
/// 1,00,00,000.
const CRORE: u64 = 10_000_000;

const EN_ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];

/// Indexed by the tens digit; 0 and 1 are covered by `EN_ONES`.
const EN_TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

/// Hindi numbers 0–99: each is its own word, so they are listed rather than built. Spellings
/// follow the common standard forms (the nukta written as a combining mark, as in our .ftl files).
const HI_0_99: [&str; 100] = [
    // 0–9
    "शून्य",
    "एक",
    "दो",
    "तीन",
    "चार",
    "पाँच",
    "छह",
    "सात",
    "आठ",
    "नौ",
    // 10–19
    "दस",
    "ग्यारह",
    "बारह",
    "तेरह",
    "चौदह",
    "पंद्रह",
    "सोलह",
    "सत्रह",
    "अठारह",
    "उन्नीस",
    // 20–29
    "बीस",
    "इक्कीस",
    "बाईस",
    "तेईस",
    "चौबीस",
    "पच्चीस",
    "छब्बीस",
    "सत्ताईस",
    "अट्ठाईस",
    "उनतीस",
    // 30–39
    "तीस",
    "इकतीस",
    "बत्तीस",
    "तैंतीस",
    "चौंतीस",
    "पैंतीस",
    "छत्तीस",
    "सैंतीस",
    "अड़तीस",
    "उनतालीस",
    // 40–49
    "चालीस",
    "इकतालीस",
    "बयालीस",
    "तैंतालीस",
    "चवालीस",
    "पैंतालीस",
    "छियालीस",
    "सैंतालीस",
    "अड़तालीस",
    "उनचास",
    // 50–59
    "पचास",
    "इक्यावन",
    "बावन",
    "तिरपन",
    "चौवन",
    "पचपन",
    "छप्पन",
    "सत्तावन",
    "अट्ठावन",
    "उनसठ",
    // 60–69
    "साठ",
    "इकसठ",
    "बासठ",
    "तिरसठ",
    "चौंसठ",
    "पैंसठ",
    "छियासठ",
    "सड़सठ",
    "अड़सठ",
    "उनहत्तर",
    // 70–79
    "सत्तर",
    "इकहत्तर",
    "बहत्तर",
    "तिहत्तर",
    "चौहत्तर",
    "पचहत्तर",
    "छिहत्तर",
    "सतहत्तर",
    "अठहत्तर",
    "उन्यासी",
    // 80–89
    "अस्सी",
    "इक्यासी",
    "बयासी",
    "तिरासी",
    "चौरासी",
    "पचासी",
    "छियासी",
    "सत्तासी",
    "अट्ठासी",
    "नवासी",
    // 90–99
    "नब्बे",
    "इक्यानवे",
    "बानवे",
    "तिरानवे",
    "चौरानवे",
    "पचानवे",
    "छियानवे",
    "सत्तानवे",
    "अट्ठानवे",
    "निन्यानवे",
];

/// The words around the numbers in one language.
struct Words {
    /// 0–99 as one word (or a hyphenated pair in English).
    below_100: fn(u64) -> String,
    hundred: &'static str,
    thousand: &'static str,
    lakh: &'static str,
    crore: &'static str,
}

fn en_below_100(n: u64) -> String {
    let n = (n % 100) as usize;
    match n {
        0..=19 => EN_ONES[n].to_string(),
        _ if n.is_multiple_of(10) => EN_TENS[n / 10].to_string(),
        _ => format!("{}-{}", EN_TENS[n / 10], EN_ONES[n % 10]),
    }
}

fn hi_below_100(n: u64) -> String {
    HI_0_99[(n % 100) as usize].to_string()
}

const EN: Words = Words {
    below_100: en_below_100,
    hundred: "Hundred",
    thousand: "Thousand",
    lakh: "Lakh",
    crore: "Crore",
};

const HI: Words = Words {
    below_100: hi_below_100,
    hundred: "सौ",
    thousand: "हज़ार",
    lakh: "लाख",
    crore: "करोड़",
};

/// Push the words for `n` (not zero) onto `out`.
fn say(n: u64, w: &Words, out: &mut Vec<String>) {
    let crores = n / CRORE;
    if crores > 0 {
        say(crores, w, out);
        out.push(w.crore.to_string());
    }
    let rest = n % CRORE;
    for (count, scale) in [
        (rest / LAKH % 100, w.lakh),
        (rest / THOUSAND % 100, w.thousand),
        (rest / HUNDRED % 10, w.hundred),
    ] {
        if count > 0 {
            out.push((w.below_100)(count));
            out.push(scale.to_string());
        }
    }
    if !rest.is_multiple_of(100) {
        out.push((w.below_100)(rest % 100));
    }
}

/// A whole number in words; zero is "Zero" / "शून्य".
fn number(n: u64, w: &Words) -> String {
    if n == 0 {
        return (w.below_100)(0);
    }
    let mut out = Vec::new();
    say(n, w, &mut out);
    out.join(" ")
}

/// `paise` in words, for printing under the figures on a receipt. `lang` is "en" or "hi"
/// (anything else is English). A negative amount is said as its absolute value.
///
/// English: "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Fifty Paise Only",
/// "Fifty Paise Only", "Rupees Zero Only". Hindi: "एक लाख तेईस हज़ार चार सौ छप्पन रुपये और
/// पचास पैसे मात्र", "पचास पैसे मात्र", "शून्य रुपये मात्र". "Rupees"/"रुपये" and
/// "Paise"/"पैसे" are used for every amount, one included.
pub fn amount_in_words(paise: i64, lang: &str) -> String {
    let abs = paise.unsigned_abs();
    let (rupees, paise) = (abs / 100, abs % 100);
    if Lang::parse(lang) == Some(Lang::Hi) {
        let r = format!("{} रुपये", number(rupees, &HI));
        let p = format!("{} पैसे", number(paise, &HI));
        match (rupees, paise) {
            (_, 0) => format!("{r} मात्र"),
            (0, _) => format!("{p} मात्र"),
            _ => format!("{r} और {p} मात्र"),
        }
    } else {
        let r = format!("Rupees {}", number(rupees, &EN));
        let p = format!("{} Paise", number(paise, &EN));
        match (rupees, paise) {
            (_, 0) => format!("{r} Only"),
            (0, _) => format!("{p} Only"),
            _ => format!("{r} and {p} Only"),
        }
    }
}

#[cfg(test)]
// amounts are written with Indian grouping (1_00_000 is one lakh), as on a receipt
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn en(paise: i64) -> String {
        amount_in_words(paise, "en")
    }

    fn hi(paise: i64) -> String {
        amount_in_words(paise, "hi")
    }

    #[test]
    fn the_issue_example() {
        assert_eq!(
            en(12345650),
            "Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six and Fifty Paise Only"
        );
        assert_eq!(
            hi(12345650),
            "एक लाख तेईस हज़ार चार सौ छप्पन रुपये और पचास पैसे मात्र"
        );
    }

    #[test]
    fn zero_and_paise_only() {
        assert_eq!(en(0), "Rupees Zero Only");
        assert_eq!(hi(0), "शून्य रुपये मात्र");
        assert_eq!(en(1), "One Paise Only");
        assert_eq!(hi(1), "एक पैसे मात्र");
        assert_eq!(en(5), "Five Paise Only");
        assert_eq!(hi(5), "पाँच पैसे मात्र");
        assert_eq!(en(50), "Fifty Paise Only");
        assert_eq!(hi(50), "पचास पैसे मात्र");
        assert_eq!(en(99), "Ninety-Nine Paise Only");
        assert_eq!(hi(99), "निन्यानवे पैसे मात्र");
    }

    #[test]
    fn rupees_below_a_lakh() {
        let r = |rupees: i64| rupees * 100;
        assert_eq!(en(r(1)), "Rupees One Only");
        assert_eq!(hi(r(1)), "एक रुपये मात्र");
        assert_eq!(en(r(100)), "Rupees One Hundred Only");
        assert_eq!(hi(r(100)), "एक सौ रुपये मात्र");
        assert_eq!(en(r(101)), "Rupees One Hundred One Only");
        assert_eq!(hi(r(101)), "एक सौ एक रुपये मात्र");
        assert_eq!(en(r(110)), "Rupees One Hundred Ten Only");
        assert_eq!(hi(r(110)), "एक सौ दस रुपये मात्र");
        assert_eq!(en(r(999)), "Rupees Nine Hundred Ninety-Nine Only");
        assert_eq!(hi(r(999)), "नौ सौ निन्यानवे रुपये मात्र");
        assert_eq!(en(r(1000)), "Rupees One Thousand Only");
        assert_eq!(hi(r(1000)), "एक हज़ार रुपये मात्र");
        assert_eq!(en(r(1001)), "Rupees One Thousand One Only");
        assert_eq!(hi(r(1001)), "एक हज़ार एक रुपये मात्र");
        assert_eq!(
            en(r(99_999)),
            "Rupees Ninety-Nine Thousand Nine Hundred Ninety-Nine Only"
        );
        assert_eq!(hi(r(99_999)), "निन्यानवे हज़ार नौ सौ निन्यानवे रुपये मात्र");
    }

    #[test]
    fn lakhs_and_crores() {
        let r = |rupees: i64| rupees * 100;
        assert_eq!(en(r(1_00_000)), "Rupees One Lakh Only");
        assert_eq!(hi(r(1_00_000)), "एक लाख रुपये मात्र");
        assert_eq!(en(r(10_00_000)), "Rupees Ten Lakh Only");
        assert_eq!(hi(r(10_00_000)), "दस लाख रुपये मात्र");
        assert_eq!(en(r(1_00_00_000)), "Rupees One Crore Only");
        assert_eq!(hi(r(1_00_00_000)), "एक करोड़ रुपये मात्र");
        assert_eq!(
            en(99_99_99_999_99),
            "Rupees Ninety-Nine Crore Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred \
             Ninety-Nine and Ninety-Nine Paise Only"
        );
        assert_eq!(
            hi(99_99_99_999_99),
            "निन्यानवे करोड़ निन्यानवे लाख निन्यानवे हज़ार नौ सौ निन्यानवे रुपये और \
             निन्यानवे पैसे मात्र"
        );
    }

    #[test]
    fn a_hundred_crore_and_more() {
        let r = |rupees: i64| rupees * 100;
        assert_eq!(en(r(100_00_00_000)), "Rupees One Hundred Crore Only");
        assert_eq!(hi(r(100_00_00_000)), "एक सौ करोड़ रुपये मात्र");
        assert_eq!(
            en(r(120_05_00_010)),
            "Rupees One Hundred Twenty Crore Five Lakh Ten Only"
        );
        assert_eq!(en(r(1_00_000_00_00_000)), "Rupees One Lakh Crore Only");
    }

    #[test]
    fn language_choice_and_odd_input() {
        assert_eq!(amount_in_words(150, "HI "), "एक रुपये और पचास पैसे मात्र");
        assert_eq!(
            amount_in_words(150, "fr"),
            "Rupees One and Fifty Paise Only"
        );
        assert_eq!(amount_in_words(150, ""), "Rupees One and Fifty Paise Only");
        assert_eq!(en(-12345650), en(12345650));
        // never panics, however large
        for p in [i64::MIN, i64::MIN + 1, i64::MAX] {
            assert!(en(p).starts_with("Rupees "));
            assert!(hi(p).ends_with(" मात्र"));
        }
        assert_eq!(
            en(i64::MAX),
            "Rupees Nine Hundred Twenty-Two Crore Thirty-Three Lakh Seventy-Two Thousand \
             Thirty-Six Crore Eighty-Five Lakh Forty-Seven Thousand Seven Hundred Fifty-Eight \
             and Seven Paise Only"
        );
    }

    #[test]
    fn hindi_numbers_are_all_there_and_distinct() {
        let mut seen = HashSet::new();
        for n in 1..=99u64 {
            let w = hi_below_100(n);
            assert!(!w.trim().is_empty(), "{n} has no word");
            assert!(!w.contains(' '), "{n} should be one word: {w}");
            assert!(seen.insert(w.clone()), "{n} repeats {w}");
        }
        assert!(!seen.contains("शून्य"));
    }

    #[test]
    fn hindi_spot_checks() {
        for (n, w) in [
            (35, "पैंतीस"),
            (45, "पैंतालीस"),
            (49, "उनचास"),
            (59, "उनसठ"),
            (65, "पैंसठ"),
            (69, "उनहत्तर"),
            (75, "पचहत्तर"),
            (79, "उन्यासी"),
            (85, "पचासी"),
            (89, "नवासी"),
            (95, "पचानवे"),
            (99, "निन्यानवे"),
        ] {
            assert_eq!(hi_below_100(n), w, "{n}");
        }
    }

    #[test]
    fn english_numbers_below_100() {
        assert_eq!(en_below_100(20), "Twenty");
        assert_eq!(en_below_100(21), "Twenty-One");
        assert_eq!(en_below_100(90), "Ninety");
        assert_eq!(en_below_100(19), "Nineteen");
    }
}
