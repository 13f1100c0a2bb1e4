//! Typesetting in a child process keeps the server safe from the child: a child that takes too
//! long is stopped and the answer says so; one that fails passes on its message; one that
//! writes anything but a PDF is refused. Real processes (`sh`), no stand-ins for them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_reports_pdf::{ChildTypesetter, render_in_child};
use std::time::{Duration, Instant};

fn sh(script: &str) -> ChildTypesetter {
    ChildTypesetter::new("sh".into(), vec!["-c".into(), script.into()])
}

#[test]
fn a_child_that_takes_too_long_is_stopped_and_the_answer_says_why() {
    let child = ChildTypesetter {
        time: Duration::from_millis(300),
        ..sh("sleep 30")
    };
    let started = Instant::now();
    let e = render_in_child(&child, b"{}".to_vec())
        .unwrap_err()
        .to_string();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped, not waited for"
    );
    assert!(
        e.contains("the report was too large to typeset: it took longer than"),
        "{e}"
    );
}

#[test]
fn a_child_that_grows_past_its_memory_is_stopped() {
    // `sh` alone is resident beyond a one-byte bound.
    let child = ChildTypesetter {
        memory_bytes: 1,
        ..sh("sleep 30")
    };
    let e = render_in_child(&child, b"{}".to_vec())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the report was too large to typeset: it needed more than"),
        "{e}"
    );
}

#[test]
fn a_failing_child_passes_on_its_message_and_a_child_without_a_pdf_is_refused() {
    let failed = render_in_child(
        &sh("cat >/dev/null; echo 'error: cannot typeset the report: line 3' >&2; exit 1"),
        b"{}".to_vec(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        failed.ends_with("cannot typeset the report: line 3"),
        "{failed}"
    );
    let no_pdf = render_in_child(&sh("cat"), b"{\"title\": \"x\"}".to_vec())
        .unwrap_err()
        .to_string();
    assert!(no_pdf.contains("wrote no PDF"), "{no_pdf}");
    // What the child writes is passed back whole, the report's JSON read to its end first.
    let big = vec![b' '; 1 << 20];
    let echoed = render_in_child(&sh("cat >/dev/null; printf '%%PDF-1.7 whole'"), big).unwrap();
    assert_eq!(echoed, b"%PDF-1.7 whole");
}
