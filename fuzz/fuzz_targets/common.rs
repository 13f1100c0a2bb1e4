//! What every target shares: the example council's CED plan and Quarter 2 record, read from the
//! plan files compiled in (no database), and the importers each input goes through.

use beacon_app::CouncilData;
use beacon_domain::organisation::Council;
use beacon_interchange::Source;
use beacon_interchange::parse::parse_file;
use beacon_interchange::sheets::{self, Book, Expect, setup};

const FILES: [(&str, &str); 4] = [
    ("council.toml", include_str!("../../examples/halton/council.toml")),
    ("frames.toml", include_str!("../../examples/halton/frames/ced-2012-13.toml")),
    ("plan.toml", include_str!("../../examples/halton/plans/ced-2012-13.toml")),
    ("quarter.toml", include_str!("../../examples/halton/quarters/ced-2012-13-q2.toml")),
];

/// The example council as the importers see it.
pub fn council() -> Option<CouncilData> {
    let mut data: Option<CouncilData> = None;
    for (i, (name, text)) in FILES.iter().enumerate() {
        let source = Source {
            name: (*name).to_string(),
            text: (*text).to_string(),
        };
        let f = parse_file(i, &source).ok()?;
        let d = data.get_or_insert_with(|| {
            CouncilData::new(Council {
                reference: f.council.reference.clone(),
                name: f.council.name.clone().unwrap_or_default(),
                tolerance_percent: None,
                colour: None,
            })
        });
        d.units.extend(f.units);
        d.officers.extend(f.officers);
        d.frames.extend(f.frames);
        d.plans.extend(f.plan);
        d.quarters.extend(f.quarter);
    }
    data.map(|mut d| {
        d.normalise();
        d
    })
}

/// Runs a book through both importers; any result is fine, a panic is the bug.
pub fn exercise(book: &Book, data: &CouncilData) {
    let _ = sheets::import_book(book, data, &Expect::default());
    let _ = setup::read_setup(std::slice::from_ref(book), data, &mut |_, _| {});
}
