//! The bundled example council (`examples/halton`), compiled into the binary so `beacon demo`
//! works from any directory.

use beacon_interchange::Source;
use include_dir::{Dir, include_dir};

static HALTON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../examples/halton");

fn collect(dir: &Dir<'static>, out: &mut Vec<Source>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "toml")
            && let Some(text) = f.contents_utf8()
        {
            out.push(Source {
                name: format!("examples/halton/{}", f.path().display()),
                text: text.to_string(),
            });
        }
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// The example council's files, in path order.
pub fn halton() -> Vec<Source> {
    let mut out = Vec::new();
    collect(&HALTON, &mut out);
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
