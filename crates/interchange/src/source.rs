//! Sources: the text of each plan file with the name it is reported under, read from files or
//! directories (every `*.toml` below them, in path order), or given from memory.

use crate::problem::{LoadError, Problem};
use std::path::{Path, PathBuf};

/// One file's text and the name messages use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// The largest plan file Beacon reads (a whole directorate plan is about 200 KB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

fn collect(path: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    let is_toml = c.extension().is_some_and(|e| e == "toml");
                    if c.is_dir() || is_toml {
                        collect(&c, out, problems);
                    }
                }
            }
            Err(e) => problems.push(Problem::file(
                path,
                format!("cannot read this directory: {e}"),
            )),
        },
        Ok(m) if m.len() > MAX_FILE_BYTES => problems.push(Problem::file(
            path,
            format!(
                "the file is {} bytes; a plan file may be at most {MAX_FILE_BYTES}",
                m.len()
            ),
        )),
        Ok(_) => out.push(path.to_path_buf()),
        Err(e) => problems.push(Problem::file(path, format!("cannot read: {e}"))),
    }
}

/// Reads files and directories. Every problem is reported, not just the first.
pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Source>, LoadError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        collect(p.as_ref(), &mut files, &mut problems);
    }
    let mut sources = Vec::new();
    for f in files {
        match std::fs::read(&f) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => sources.push(Source {
                    name: f.display().to_string(),
                    text,
                }),
                Err(_) => {
                    problems.push(Problem::file(&f, "the file is not UTF-8 text".to_string()))
                }
            },
            Err(e) => problems.push(Problem::file(&f, format!("cannot read: {e}"))),
        }
    }
    if sources.is_empty() && problems.is_empty() {
        problems.push(Problem {
            file: paths
                .first()
                .map(|p| p.as_ref().display().to_string())
                .unwrap_or_default(),
            line: 0,
            field: String::new(),
            message: "no .toml files found here".into(),
        });
    }
    LoadError::check(problems)?;
    Ok(sources)
}
