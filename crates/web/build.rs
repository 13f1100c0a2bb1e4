//! Builds the web assets into the binary: installs the pinned npm packages (govuk-frontend and
//! the Sass compiler, from `assets/package-lock.json`) when they are missing, compiles
//! `assets/beacon.scss` with GOV.UK Frontend's settings for Arial and no crown, and copies
//! GOV.UK Frontend's script. Nothing is committed from node_modules.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fail(message: &str) -> ! {
    println!("cargo::error={message}");
    std::process::exit(1)
}

fn run(cmd: &mut Command, what: &str) {
    match cmd.status() {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!(
            "{what} failed ({s}); Node.js and npm are needed to build Beacon's web assets"
        )),
        Err(e) => fail(&format!(
            "{what} could not start ({e}); install Node.js and npm (Debian: apt-get install nodejs npm)"
        )),
    }
}

fn main() {
    let assets =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("assets");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    for f in [
        "package.json",
        "package-lock.json",
        "beacon.scss",
        "_components.scss",
    ] {
        println!("cargo::rerun-if-changed=assets/{f}");
    }
    let frontend = assets.join("node_modules/govuk-frontend/package.json");
    let sass = assets.join("node_modules/sass/sass.js");
    if !frontend.exists() || !sass.exists() {
        run(
            Command::new("npm")
                .args([
                    "ci",
                    "--no-audit",
                    "--no-fund",
                    "--ignore-scripts",
                    "--loglevel=error",
                ])
                .current_dir(&assets),
            "npm ci (in crates/web/assets)",
        );
    }
    run(
        Command::new("node")
            .arg(&sass)
            .args([
                "--no-source-map",
                "--style=compressed",
                "--pkg-importer=node",
                "beacon.scss",
            ])
            .arg(out.join("beacon.css"))
            .current_dir(&assets),
        "compiling assets/beacon.scss with Sass",
    );
    let js = assets.join("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js");
    copy(&js, &out.join("govuk-frontend.min.js"));
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = std::fs::copy(from, to) {
        fail(&format!("cannot copy {}: {e}", from.display()));
    }
}
