//! Property tests: the invariants of the text layer over arbitrary text and over text built from
//! the pieces Arabic news is made of (letters, harakat, tatweel, controls, digits, punctuation).

use chrono::NaiveDate;
use marsad_text::normalize::{is_invisible_control, key, normalize};
use marsad_text::{analyze, date, number};
use proptest::prelude::*;

/// Pieces of Arabic news text, and things that break naive tokenizers.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::char::range('\u{0621}', '\u{064A}').prop_map(String::from),
        2 => prop::char::range('\u{064B}', '\u{0652}').prop_map(String::from),
        1 => Just("\u{0640}".to_string()),
        1 => prop::sample::select(vec![
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202E}',
            '\u{2066}', '\u{2069}', '\u{FEFF}', '\u{061C}', '\u{00AD}', '\u{0670}', '\u{FEFB}',
            '\u{FDF2}', 'ی', 'ک', 'ھ', 'ى', 'ة', 'أ', 'إ', 'آ', 'ٱ',
        ])
        .prop_map(String::from),
        2 => prop::sample::select(vec![
            '0', '1', '5', '9', '٠', '١', '٥', '۲', '۹', '٫', '٬', '.', ',',
        ])
        .prop_map(String::from),
        2 => prop::sample::select(vec![
            '،', '؛', '؟', '!', '?', '«', '»', '"', '(', ')', ':', '-', '/', '%', '$', '#', '@',
            '…', '“', '”', '[', ']', '\'', '_',
        ])
        .prop_map(String::from),
        3 => prop::sample::select(vec![" ", "  ", "\n", "\n\n", "\t", "\u{00A0}", "\r\n"])
            .prop_map(String::from),
        1 => prop::sample::select(vec![
            "http://a.b/c", "www.x.org", "a@b.co", "Mr.", "د.", "هـ", "عام", "مليون", "ألف",
            "حوالى", "أكثر من", "تصل إلى", "عشرات", "أمس", "الأسبوع الماضي", "نوفمبر", "تشرين الثاني",
            "رمضان", "منذ", "يوم", "الثلاثاء", "2026", "25/11/2026", "و", "بـ", "ال", "لل",
        ])
        .prop_map(String::from),
        1 => "[a-zA-Z]{1,6}",
    ]
}

fn arabic_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|v| v.concat())
}

fn doc_dates() -> impl Strategy<Value = Option<NaiveDate>> {
    prop_oneof![
        Just(None),
        Just(NaiveDate::from_ymd_opt(2026, 11, 25)),
        Just(Some(NaiveDate::MIN)),
        Just(Some(NaiveDate::MAX)),
        (-300_000i32..300_000).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(700_000 + d)),
    ]
}

fn valid_span(text: &str, start: usize, end: usize) -> bool {
    start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

/// Checks every invariant on one text.
fn check(text: &str, doc: Option<NaiveDate>) -> Result<(), TestCaseError> {
    let a = analyze(text);
    // tokens: valid spans, in order, never overlapping
    for (i, t) in a.tokens.iter().enumerate() {
        prop_assert!(valid_span(text, t.start, t.end), "token {i} {t:?}");
        if i > 0 {
            prop_assert!(
                a.tokens[i - 1].end <= t.start,
                "tokens {} and {i} overlap",
                i - 1
            );
        }
        let sp = t.stem_span(text);
        prop_assert!(
            t.start <= sp.start && sp.start <= sp.end && sp.end <= t.end,
            "stem span {sp:?} of {t:?}"
        );
        prop_assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end));
    }
    // tokens cover every char but whitespace and invisible controls
    let mut next = 0;
    for t in &a.tokens {
        for c in text[next..t.start].chars() {
            prop_assert!(
                c.is_whitespace() || is_invisible_control(c),
                "{c:?} left out of tokens"
            );
        }
        next = t.end;
    }
    for c in text[next..].chars() {
        prop_assert!(
            c.is_whitespace() || is_invisible_control(c),
            "{c:?} left out at the end"
        );
    }
    // sentences: in order, not overlapping, made of whole tokens, holding every token
    for (i, s) in a.sentences.iter().enumerate() {
        prop_assert!(valid_span(text, s.start, s.end), "sentence {i} {s:?}");
        if i > 0 {
            prop_assert!(a.sentences[i - 1].end <= s.start);
        }
        prop_assert!(
            a.tokens.iter().any(|t| t.start == s.start),
            "sentence {i} starts inside a token"
        );
        prop_assert!(
            a.tokens.iter().any(|t| t.end == s.end),
            "sentence {i} ends inside a token"
        );
        let r = a.sentence_tokens(i);
        prop_assert!(!r.is_empty());
    }
    for t in &a.tokens {
        let inside = a
            .sentences
            .iter()
            .filter(|s| s.start <= t.start && t.end <= s.end)
            .count();
        prop_assert_eq!(inside, 1, "token {:?} in {} sentences", t, inside);
    }
    // normalization is idempotent
    let k = key(text);
    prop_assert_eq!(key(&k), k.clone());
    let n = normalize(text);
    prop_assert_eq!(normalize(&n), n.clone());
    prop_assert_eq!(key(&n), k);
    // quantities and dates: valid spans in order, finite values
    let qs = number::find_quantities(text, &a.tokens);
    for (i, q) in qs.iter().enumerate() {
        prop_assert!(valid_span(text, q.start, q.end), "quantity {q:?}");
        prop_assert!(q.value.is_finite());
        if i > 0 {
            prop_assert!(qs[i - 1].end <= q.start);
        }
    }
    let ds = date::find_dates(text, &a.tokens, doc);
    for (i, d) in ds.iter().enumerate() {
        prop_assert!(valid_span(text, d.start, d.end), "date {d:?}");
        if i > 0 {
            prop_assert!(ds[i - 1].end <= d.start);
        }
        if doc.is_none() {
            prop_assert!(!d.relative, "relative date without a document date: {d:?}");
        }
    }
    let _ = number::parse_number(text);
    // the buffer-reusing path gives the same analysis
    let mut b = marsad_text::TextAnalysis::default();
    marsad_text::analyze_into("قال الرئيس فى بيان 15 شخصا.\n\nوأضاف", &mut b);
    marsad_text::analyze_into(text, &mut b);
    prop_assert_eq!(&b, &a);
    Ok(())
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=100000 for a longer search
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn invariants_on_arbitrary_strings(text in any::<String>(), doc in doc_dates()) {
        check(&text, doc)?;
    }

    #[test]
    fn invariants_on_arabic_like_text(text in arabic_text(), doc in doc_dates()) {
        check(&text, doc)?;
    }

    /// The CI-run version of the fuzz target (`fuzz/fuzz_targets/text.rs`).
    #[test]
    fn invariants_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400), doc in doc_dates()) {
        check(&String::from_utf8_lossy(&bytes), doc)?;
    }
}

/// Regressions found by the property tests and the fuzzer.
#[test]
fn regressions() {
    for text in [
        "",
        " ",
        "\u{200F}",
        "ـ",
        "\u{064B}",
        "1.",
        "٫",
        "و",
        "و 2.5 مليون و",
        "25/11/",
        "/11/2026",
    ] {
        check(text, NaiveDate::from_ymd_opt(2026, 11, 25)).unwrap();
        check(text, None).unwrap();
    }
}
