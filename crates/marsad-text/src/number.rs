//! Numbers: digits and Arabic number words to values, with approximators as bounds.
