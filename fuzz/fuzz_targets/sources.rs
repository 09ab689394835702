//! Fuzz target for the readers of outside input behind `marsad ingest` and `marsad annotate`:
//! JSONL lines (with the line cap), HTML pages, RSS/Atom feeds and plain text, from arbitrary
//! bytes. The first byte picks the format. Every item must be a document or a reject with a
//! reason, and no reader may panic. It calls the readers of `marsad-pipeline`, the library the
//! binary uses. Run (seeds in `seeds/sources`, see the README):
//! `cargo +nightly fuzz run sources corpus/sources seeds/sources -- -max_total_time=60`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_pipeline::{input, sources};
use sources::Format;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let format = match first % 4 {
        0 => Format::Text,
        1 => Format::Jsonl,
        2 => Format::Html,
        _ => Format::Feed,
    };
    // a small limit, so that the size checks run too
    let max = 4096;
    let mut reader = std::io::Cursor::new(rest);
    let mut n = 0usize;
    sources::read_from("fuzz", format, &mut reader, max, &mut |item| {
        n += 1;
        assert_eq!(item.source, "fuzz");
        if let Err((kind, reason)) = item.doc {
            assert!(!kind.as_str().is_empty() && reason.starts_with("fuzz"));
        }
    });
    if let Ok(line) = std::str::from_utf8(rest) {
        let _ = input::parse_jsonl_line(line);
    }
});
