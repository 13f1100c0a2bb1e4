//! Notices by email, end to end through a real SMTP server on loopback (Debian's
//! python3-aiosmtpd, saving each message it receives to a maildir): a reminder written while
//! the server is down waits and is retried; a quarter walked from submission to publication
//! tells the approver, the contributor (with the reason it was sent back), the performance
//! officer and the subscriber, each once, with a link to the page to act on.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::text;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::Duration;

const ORIGIN: &str = "https://beacon.halton.test";

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .env_remove("BEACON_SMTP_URL")
        .env("BEACON_PUBLIC_ORIGIN", ORIGIN)
        .output()
        .expect("beacon runs")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "beacon {args:?} failed: {}",
        text(&out)
    );
    text(&out)
}

/// An SMTP server on loopback that saves what it receives; stopped when dropped.
struct Smtp {
    child: Child,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn start_smtp(port: u16, maildir: &Path) -> Smtp {
    let child = Command::new(python())
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir)
        .spawn()
        .expect("python3-aiosmtpd is installed (apt-get install python3-aiosmtpd)");
    // Kept (and stopped on drop) whether or not it comes up.
    let server = Smtp { child };
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the SMTP server did not start on port {port}");
}

/// A message as received: who to, the subject, the plain-text body.
#[derive(Debug)]
struct Mail {
    to: String,
    subject: String,
    message_id: String,
    body: String,
}

/// Quoted-printable decoding, enough for the bodies lettre writes.
fn unquote(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

fn received(maildir: &Path) -> Vec<Mail> {
    let new = maildir.join("new");
    let Ok(dir) = std::fs::read_dir(&new) else {
        return Vec::new();
    };
    dir.map(|e| {
        let raw = std::fs::read_to_string(e.unwrap().path())
            .unwrap()
            .replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap();
        let head = head.replace("\n ", " ").replace("\n\t", " ");
        let field = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or("")
                .to_string()
        };
        let body = if field("Content-Transfer-Encoding").eq_ignore_ascii_case("quoted-printable") {
            unquote(body)
        } else {
            body.to_string()
        };
        Mail {
            to: field("To"),
            subject: field("Subject"),
            message_id: field("Message-ID"),
            body,
        }
    })
    .collect()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn step(db: &Path, command: &str, user: &str, more: &[&str]) -> String {
    let mut args = vec![
        command,
        "--council",
        "halton",
        "--unit",
        "CED",
        "--year",
        "2012/13",
        "--quarter",
        "2",
        "--as",
        user,
    ];
    args.extend_from_slice(more);
    ok(db, &args)
}

#[test]
fn a_quarter_from_reminder_to_publication_tells_each_person_once_though_the_server_was_down() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("demo.db");
    let maildir = dir.path().join("mail");
    ok(&db, &["demo", "--no-serve"]);
    addresses_are_given_and_a_bad_one_refused(&db);
    let port = free_port();
    let smtp = format!("smtp://127.0.0.1:{port}");
    // The reminder day of 2012/13 Q2 (three working days before collection closes on
    // 19 October 2012): the contributor has CED's items to enter. The server is down.
    let dry = ok(
        &db,
        &["notify", "--dry-run", "--at", "2012-10-16T08:00:00Z"],
    );
    assert!(dry.contains("Would write 1 reminder(s)"), "{dry}");
    assert!(dry.contains("To: chris@halton.test"), "{dry}");
    assert!(dry.contains("0 notice(s) waiting"), "{dry}");
    let said = ok(
        &db,
        &["notify", "--smtp", &smtp, "--at", "2012-10-16T08:00:00Z"],
    );
    assert!(
        said.contains(
            "1 reminder(s) written; 0 notice(s) sent in 0 message(s), 1 to be tried again"
        ),
        "{said}"
    );
    // A second run that day writes no second reminder.
    let said = ok(&db, &["notify", "--at", "2012-10-16T12:00:00Z"]);
    assert!(
        said.contains("0 reminder(s) written; 1 notice(s) wait in the outbox"),
        "{said}"
    );

    // Submitted while the server is still down: the approver's notice waits too.
    step(&db, "submit", "contributor", &[]);
    let said = ok(&db, &["notify", "--smtp", &smtp]);
    assert!(
        said.contains("0 notice(s) sent") && said.contains("2 to be tried again"),
        "{said}"
    );
    let listed = ok(&db, &["notify", "list", "--council", "halton"]);
    assert!(
        listed.contains("Waiting") && listed.contains("next try"),
        "{listed}"
    );

    // The server comes up; the retries go out once their back-off has passed.
    let _server = start_smtp(port, &maildir);
    #[allow(clippy::disallowed_methods)]
    let later = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let notify = |db: &Path| ok(db, &["notify", "--smtp", &smtp, "--at", &later]);
    let said = notify(&db);
    assert!(
        said.contains("2 notice(s) sent in 2 message(s), 0 to be tried again, 0 given up"),
        "{said}"
    );

    step(
        &db,
        "send-back",
        "approver",
        &["--reason", "NI075 needs its commentary"],
    );
    assert!(notify(&db).contains("1 notice(s) sent"));
    step(&db, "submit", "contributor", &[]);
    assert!(notify(&db).contains("1 notice(s) sent"));
    step(&db, "sign-off", "approver", &[]);
    assert!(notify(&db).contains("1 notice(s) sent"));
    step(&db, "publish", "performance", &[]);
    assert!(notify(&db).contains("1 notice(s) sent"));
    // Nothing is sent twice.
    assert!(notify(&db).contains("0 notice(s) sent in 0 message(s)"));

    each_person_was_told_once(&received(&maildir));
    let listed = ok(&db, &["notify", "list", "--council", "halton"]);
    assert_eq!(listed.matches(" Sent at ").count(), 6, "{listed}");
    assert!(
        !listed.contains("Waiting") && !listed.contains("Failed"),
        "{listed}"
    );
}

/// Each person's address and a subscriber; an address that is not one is refused.
fn addresses_are_given_and_a_bad_one_refused(db: &Path) {
    for (user, email) in [
        ("contributor", "chris@halton.test"),
        ("approver", "alex@halton.test"),
        ("performance", "pat@halton.test"),
    ] {
        ok(db, &["notify", "contact", user, "--email", email]);
    }
    ok(
        db,
        &[
            "notify",
            "subscribe",
            "--council",
            "halton",
            "reader@example.test",
        ],
    );
    let said = run(
        db,
        &["notify", "contact", "approver", "--email", "not an address"],
    );
    assert!(!said.status.success() && text(&said).contains("is not an email address"));
}

/// Six messages: one reminder, two asks for sign-off, one sent back with its reason, one
/// signed off, one published; each with the link to act on.
fn each_person_was_told_once(mail: &[Mail]) {
    let to = |who: &str, about: &str| -> Vec<&Mail> {
        mail.iter()
            .filter(|m| m.to.contains(who) && m.subject.contains(about))
            .collect()
    };
    assert_eq!(mail.len(), 6, "{mail:#?}");
    // Each message is named by the notices it carries, so a repeat after a crash would be
    // recognisable; six messages, six names.
    let mut ids: Vec<&str> = mail.iter().map(|m| m.message_id.as_str()).collect();
    assert!(
        ids.iter()
            .all(|i| i.starts_with("<beacon-notice-") && i.ends_with("@localhost>")),
        "{ids:?}"
    );
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "{ids:?}");
    let reminder = to("chris@halton.test", "collection closes in 3 working days");
    assert_eq!(reminder.len(), 1, "{mail:#?}");
    assert!(
        reminder[0]
            .body
            .contains("Collection of 2012/13 Q2 closes on Friday 19 October 2012"),
        "{}",
        reminder[0].body
    );
    assert!(
        reminder[0]
            .body
            .contains(&format!("{ORIGIN}/c/halton/q/2012-13/2/entry/CED")),
        "{}",
        reminder[0].body
    );
    let submitted = to("alex@halton.test", "2012/13 Q2 is ready for your sign-off");
    assert_eq!(submitted.len(), 2, "{mail:#?}");
    assert!(
        submitted[0]
            .body
            .contains(&format!("{ORIGIN}/c/halton/q/2012-13/2/sign-off/CED"))
    );
    let back = to("chris@halton.test", "was sent back");
    assert_eq!(back.len(), 1, "{mail:#?}");
    assert!(
        back[0]
            .body
            .contains("The reason given:\nNI075 needs its commentary"),
        "{}",
        back[0].body
    );
    assert!(
        back[0].body.contains("Dear Chris Contributor"),
        "{}",
        back[0].body
    );
    assert_eq!(to("pat@halton.test", "is signed off").len(), 1, "{mail:#?}");
    let published = to("reader@example.test", "published");
    assert_eq!(published.len(), 1, "{mail:#?}");
    assert!(
        published[0]
            .body
            .contains(&format!("{ORIGIN}/p/halton/CED/2012-13/2")),
        "{}",
        published[0].body
    );
}
