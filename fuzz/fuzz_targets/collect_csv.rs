//! Fuzzes the CSV path: the CSV reader, the collection importer and the bulk set-up reader.
//! Run with `cargo +nightly fuzz run collect_csv fuzz/corpus/collect_csv`.

#![no_main]

use beacon_interchange::sheets::{Book, Limits};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

mod common;

static COUNCIL: OnceLock<Option<beacon_app::CouncilData>> = OnceLock::new();

fuzz_target!(|bytes: &[u8]| {
    let Some(data) = COUNCIL.get_or_init(common::council) else {
        return;
    };
    if let Ok(book) = Book::from_csv(bytes, "fuzz.csv", &Limits::default()) {
        common::exercise(&book, data);
    }
});
