//! Fuzz target for the `watch.toml` parser of `marsad watch` (`marsad_watch::Config::parse`):
//! any text is a configuration or an error message, never a panic; a configuration that parses
//! has only http(s) sources and non-zero intervals. Run (seeds in `seeds/watch_config`):
//! `cargo +nightly fuzz run watch_config corpus/watch_config seeds/watch_config -- -max_total_time=60`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match marsad_watch::Config::parse(text) {
        Ok(c) => {
            for s in &c.sources {
                assert!(s.url.starts_with("http://") || s.url.starts_with("https://"));
                assert!(!s.every.is_zero());
            }
            assert!(!c.settings.every.is_zero());
        }
        Err(e) => assert!(!e.is_empty()),
    }
});
