//! Fuzz target for the text layer: normalize, tokenize, sentences, numbers and dates over
//! arbitrary bytes, asserting the invariants (see `crates/marsad-text/tests/props.rs`, which runs
//! the same checks in CI). Run (seeds in `seeds/text`, see the README):
//! `cargo +nightly fuzz run text corpus/text seeds/text -- -max_total_time=60`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_text::normalize::{is_invisible_control, key, normalize};

fn valid(text: &str, start: usize, end: usize) -> bool {
    start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let a = marsad_text::analyze(text);
    let mut next = 0;
    for (i, t) in a.tokens.iter().enumerate() {
        assert!(valid(text, t.start, t.end), "token {t:?}");
        assert!(next <= t.start, "tokens overlap");
        for c in text[next..t.start].chars() {
            assert!(c.is_whitespace() || is_invisible_control(c), "{c:?} not in a token");
        }
        next = t.end;
        let sp = t.stem_span(text);
        assert!(t.start <= sp.start && sp.start <= sp.end && sp.end <= t.end);
        assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end));
        let _ = i;
    }
    for c in text[next..].chars() {
        assert!(c.is_whitespace() || is_invisible_control(c));
    }
    let mut last = 0;
    for s in &a.sentences {
        assert!(valid(text, s.start, s.end) && last <= s.start, "sentence {s:?}");
        assert!(a.tokens.iter().any(|t| t.start == s.start));
        assert!(a.tokens.iter().any(|t| t.end == s.end));
        last = s.end;
    }
    let k = key(text);
    assert_eq!(key(&k), k);
    let n = normalize(text);
    assert_eq!(normalize(&n), n);
    let mut qlast = 0;
    for q in marsad_text::number::find_quantities(text, &a.tokens) {
        assert!(valid(text, q.start, q.end) && qlast <= q.start && q.value.is_finite());
        qlast = q.end;
    }
    for doc in [None, chrono::NaiveDate::from_ymd_opt(2026, 11, 25), Some(chrono::NaiveDate::MAX)] {
        let mut dlast = 0;
        for d in marsad_text::date::find_dates(text, &a.tokens, doc) {
            assert!(valid(text, d.start, d.end) && dlast <= d.start);
            dlast = d.end;
        }
    }
    let _ = marsad_text::number::parse_number(text);
});
