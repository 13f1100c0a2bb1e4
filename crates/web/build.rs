//! Builds the web assets into the binary: installs the pinned npm packages (govuk-frontend and
//! the Sass compiler, from `assets/package-lock.json`) when they are missing, compiles
//! `assets/beacon.scss` with GOV.UK Frontend's settings for Arial and no crown, and copies
//! GOV.UK Frontend's script. Each asset is then fingerprinted (the first 16 hex digits of its
//! SHA-256 go into its URL, written to `assets_manifest.rs`) and compressed once, here, with
//! brotli (quality 11) and gzip (level 9), so the server sends the smallest form without work.
//! Nothing is committed from node_modules.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::Write as _;
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
    let mut manifest = String::from("// Written by build.rs: each asset's fingerprinted URL.\n");
    for (name, constant, stem, ext) in [
        ("beacon.css", "CSS_URL", "beacon", "css"),
        (
            "govuk-frontend.min.js",
            "JS_URL",
            "govuk-frontend",
            "min.js",
        ),
    ] {
        let bytes = read(&out.join(name));
        let digest = Sha256::digest(&bytes);
        let hash: String = digest.iter().take(8).fold(String::new(), |mut h, b| {
            let _ = write!(h, "{b:02x}");
            h
        });
        let _ = writeln!(
            manifest,
            "pub const {constant}: &str = \"/assets/{stem}.{hash}.{ext}\";"
        );
        write(&out.join(format!("{name}.br")), &brotli(&bytes));
        write(&out.join(format!("{name}.gz")), &gzip(&bytes));
    }
    write(&out.join("assets_manifest.rs"), manifest.as_bytes());
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        fail(&format!("cannot write {}: {e}", path.display()));
    }
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    if let Err(e) = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        fail(&format!("brotli: {e}"));
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    match encoder.write_all(bytes).and_then(|()| encoder.finish()) {
        Ok(out) => out,
        Err(e) => fail(&format!("gzip: {e}")),
    }
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = std::fs::copy(from, to) {
        fail(&format!("cannot copy {}: {e}", from.display()));
    }
}
