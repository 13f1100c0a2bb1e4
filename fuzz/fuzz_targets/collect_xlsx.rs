//! Fuzzes the XLSX path: the zip limits, the workbook reader, the collection importer and the
//! bulk set-up reader. Run with `cargo +nightly fuzz run collect_xlsx fuzz/corpus/collect_xlsx`.

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
    if let Ok(book) = Book::from_xlsx(bytes, &Limits::default()) {
        common::exercise(&book, data);
    }
});
