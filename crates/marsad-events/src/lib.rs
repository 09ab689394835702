//! Event extraction for marsad: PLOVER event records from Arabic text, with participants, place,
//! date, counts, money, attribution and modality, each backed by evidence spans.
#![deny(missing_docs)]
