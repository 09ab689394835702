//! Fuzz target for the HTML guards and the linear tag stripper behind `marsad ingest`: the
//! nesting scan ([`html::measure`]), the plain-text reader ([`html::page_text`]) and the
//! fragment reader of feeds, over arbitrary bytes with no size limit, then the whole page
//! reader (which picks the article reader or the stripper). Nothing may panic, overflow the
//! stack or run long (`-timeout` catches the last), and the scan must respect its cap. The
//! seeds in `seeds/html` are the pages that crashed or stalled marsad (issue 21), made small.
//! Run (see the README): `cd fuzz && mkdir -p corpus/html &&
//! cargo +nightly fuzz run html corpus/html seeds/html -- -max_total_time=60`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_pipeline::{html, sources};

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let page = page.as_ref();
    for cap in [0, 3, html::MAX_DEPTH] {
        let n = html::measure(page, cap);
        assert!(n.depth <= cap + 1, "depth {} past the cap {cap}", n.depth);
    }
    let (title, text) = html::page_text(page);
    assert!(title.is_none_or(|t| !t.is_empty() && t.trim() == t));
    assert!(text.len() <= page.len() * 4 + 16, "text grew past the page");
    let _ = sources::html_to_text(page);
    let mut reader = std::io::Cursor::new(data);
    sources::read_from("fuzz", sources::Format::Html, &mut reader, 1 << 20, &mut |item| {
        assert_eq!(item.source, "fuzz");
        if let Err((kind, reason)) = item.doc {
            assert!(!kind.as_str().is_empty() && reason.starts_with("fuzz"));
        }
    });
});
