//! Typesetting in a child process: a long-running server hands each PDF to a fresh process
//! (Beacon's own binary with a hidden subcommand), the report as JSON on its standard input and
//! the PDF on its standard output, so the typesetter's memory (fonts, layout, the memory its
//! allocator keeps after freeing) goes when the child ends, and a report that takes too long or
//! too much memory is stopped without touching the server.

use crate::PdfError;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How a child typesets: the program and its arguments, and its bounds.
#[derive(Debug, Clone)]
pub struct ChildTypesetter {
    /// The program (Beacon's own binary, `std::env::current_exe`).
    pub program: PathBuf,
    /// Its arguments (the hidden subcommand).
    pub args: Vec<String>,
    /// Wall time a PDF may take before the child is stopped.
    pub time: Duration,
    /// Resident memory the child may reach before it is stopped (checked on Linux).
    pub memory_bytes: u64,
}

impl ChildTypesetter {
    /// `program args…`, with the default bounds: 60 seconds and 1 GiB.
    pub fn new(program: PathBuf, args: Vec<String>) -> Self {
        Self {
            program,
            args,
            time: Duration::from_secs(60),
            memory_bytes: 1 << 30,
        }
    }
}

static CHILD: OnceLock<ChildTypesetter> = OnceLock::new();

/// From now on every PDF of this process is typeset by `child` (set once; a server calls it at
/// start). Without it PDFs are typeset in the process that asks.
pub fn typeset_in_child_processes(child: ChildTypesetter) {
    let _ = CHILD.set(child);
}

/// The child typesetter, if one was set.
pub(crate) fn configured() -> Option<&'static ChildTypesetter> {
    CHILD.get()
}

/// The PDF of a report's JSON, typeset by a child process within its bounds.
pub fn render_in_child(child: &ChildTypesetter, json: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    let failed = |what: &str, e: std::io::Error| {
        PdfError::Typeset(format!(
            "cannot {what} the typesetting process {}: {e}",
            child.program.display()
        ))
    };
    let mut process = Command::new(&child.program)
        .args(&child.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed("start", e))?;
    // Write and read on threads of their own, so a full pipe never stops either side.
    let mut stdin = process.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&json);
        }
    });
    let stdout = process.stdout.take();
    let reader = std::thread::spawn(move || read_all(stdout));
    let stderr = process.stderr.take();
    let errors = std::thread::spawn(move || read_all(stderr));
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        if let Some(status) = process.try_wait().map_err(|e| failed("wait for", e))? {
            break status;
        }
        let over = if started.elapsed() > child.time {
            Some(format!("took longer than {} s", child.time.as_secs()))
        } else {
            resident_bytes(process.id())
                .filter(|b| *b > child.memory_bytes)
                .map(|b| {
                    format!(
                        "needed more than {} MB of memory ({} MB)",
                        child.memory_bytes >> 20,
                        b >> 20
                    )
                })
        };
        if let Some(why) = over {
            let _ = process.kill();
            let _ = process.wait();
            return Err(PdfError::Typeset(format!(
                "the report was too large to typeset: it {why}"
            )));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    };
    let _ = writer.join();
    let pdf = reader.join().unwrap_or_default();
    let said = String::from_utf8_lossy(&errors.join().unwrap_or_default()).to_string();
    if !status.success() {
        let said = said.trim();
        return Err(PdfError::Typeset(if said.is_empty() {
            format!("the typesetting process ended with {status}")
        } else {
            said.trim_start_matches("error: ").to_string()
        }));
    }
    if !pdf.starts_with(b"%PDF-") {
        return Err(PdfError::Typeset(
            "the typesetting process wrote no PDF".into(),
        ));
    }
    Ok(pdf)
}

/// Everything a pipe gives until it closes.
fn read_all(pipe: Option<impl Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(mut p) = pipe {
        let _ = p.read_to_end(&mut bytes);
    }
    bytes
}

/// A process's resident memory in bytes, from `/proc` (None where there is no `/proc`).
fn resident_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kb * 1024)
}
