//! The reliability trials of `scripts/`, kept short so every test run repeats them: crash
//! trials (SIGKILL at random moments during CLI writes, imports and web posts; then integrity,
//! `beacon audit verify` and every write reported as done) on SQLite and PostgreSQL, the
//! concurrency trials (eight editors, one version: exactly one wins), and a short soak. The
//! full runs and their figures are in docs/reliability.md. The trials are Python 3 (standard
//! library only) driving this build's `beacon`; they run one at a time, as each loads the
//! machine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `scripts/NAME ARGS --bin <this build's beacon>`; its output, and panics unless it
/// succeeded.
fn trial(name: &str, args: &[&str]) -> String {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts")
        .join(name);
    let out = Command::new("python3")
        .arg(&script)
        .args(args)
        .args(["--bin", env!("CARGO_BIN_EXE_beacon")])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "python3 {}: {e} (the trials need Python 3)",
                script.display()
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "scripts/{name} {args:?} failed:\n{text}"
    );
    text
}

#[test]
fn twenty_crash_trials_on_sqlite_leave_it_sound_and_lose_no_reported_write() {
    let out = trial("crash-trials", &["20", "--seed", "14"]);
    assert!(out.contains("crash trials: 20 trials"), "{out}");
    assert!(out.contains("failed 0"), "{out}");
}

#[test]
fn ten_crash_trials_on_postgresql_leave_it_sound_and_lose_no_reported_write() {
    let out = trial("crash-trials", &["10", "--seed", "14", "--postgres"]);
    assert!(out.contains("crash trials: 10 trials"), "{out}");
    assert!(out.contains("PostgreSQL"), "{out}");
    assert!(out.contains("failed 0"), "{out}");
}

#[test]
fn twenty_concurrency_trials_let_exactly_one_of_eight_editors_win() {
    let out = trial("concurrency-trials", &["20"]);
    assert!(
        out.contains(
            "20 trials of 8 editors; saves won 20, refused with the conflict message 140; failed 0"
        ),
        "{out}"
    );
}

#[test]
fn a_five_second_soak_at_64_connections_has_no_errors() {
    let out = trial("soak", &["5"]);
    assert!(out.contains("errors 0"), "{out}");
    assert!(out.contains("server still up"), "{out}");
}
