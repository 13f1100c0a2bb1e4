//! Running Beacon in production, as its operators do: commands by hand name the database and
//! never invent one, `init` sets up the first council and administrator, mistakes in settings
//! are refused at once without showing secrets, backups and copies are private and complete in
//! one file, and `serve` logs every request, answers /readyz and /metrics, and finishes the
//! requests in flight when stopped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn beacon_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .current_dir(cwd)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .env_remove("BEACON_PUBLIC_ORIGIN")
        .env_remove("BEACON_LOG")
        .env_remove("BEACON_LOG_FORMAT")
        .stdin(Stdio::null())
        .output()
        .expect("beacon runs")
}

fn beacon(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    beacon_in(Path::new("."), &all)
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "beacon failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn err(out: Output) -> String {
    assert!(
        !out.status.success(),
        "beacon succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A database holding the example council and its first administrator, made by `init`.
fn initialised(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("beacon.db");
    let halton = beacon_test_support::halton_dir();
    let said = ok(beacon(
        &db,
        &[
            "init",
            halton.to_str().unwrap(),
            "--admin",
            "ada",
            "--admin-name",
            "Ada Lovelace",
        ],
    ));
    assert!(
        said.contains("Council Halton Borough Council (halton) is in the database."),
        "{said}"
    );
    assert!(
        said.contains("Added ada (Ada Lovelace): administrator"),
        "{said}"
    );
    assert!(
        said.lines()
            .any(|l| l.starts_with("Password: ") && l.len() > 20),
        "{said}"
    );
    db
}

#[test]
fn a_command_run_without_a_database_refuses_and_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    let said = err(beacon_in(dir.path(), &["stats"]));
    assert!(
        said.contains("there is no database at beacon.db (the default"),
        "{said}"
    );
    assert!(said.contains("beacon init"), "{said}");
    assert!(!dir.path().join("beacon.db").exists());
    let missing = dir.path().join("typo.db");
    let said = err(beacon(&missing, &["user", "list"]));
    assert!(said.contains("there is no database at"), "{said}");
    assert!(!missing.exists());
}

#[test]
fn every_command_says_which_database_it_opened_and_which_migrations_it_applied() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = beacon(&db, &["init"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "Database: {}; applied migrations 0001 foundation",
            db.display()
        )),
        "{said}"
    );
    let out = beacon(&db, &["stats"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(said.contains("schema up to date"), "{said}");
}

#[test]
fn a_mistyped_scheme_is_refused_without_showing_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let said = err(beacon_in(
        dir.path(),
        &[
            "--db",
            "postgre://beacon:hunter2@db.internal/beacon",
            "stats",
        ],
    ));
    assert!(!said.contains("hunter2"), "{said}");
    assert!(
        said.contains("postgre://beacon:***@db.internal/beacon is not a database"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing created"
    );
}

#[test]
fn init_puts_in_the_first_council_and_its_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let users = ok(beacon(&db, &["user", "list"]));
    assert!(
        users.contains("ada") && users.contains("administrator of halton"),
        "{users}"
    );
    // A second init with plan files is refused: more councils come in with `load`.
    let halton = beacon_test_support::halton_dir();
    let said = err(beacon(&db, &["init", halton.to_str().unwrap()]));
    assert!(said.contains("already holds councils (halton)"), "{said}");
}

#[test]
fn user_add_refuses_a_council_or_unit_the_database_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let add = |council: &str, unit: Option<&str>| {
        let mut args = vec![
            "user",
            "add",
            "pat",
            "--name",
            "Pat",
            "--role",
            "contributor",
            "--council",
            council,
        ];
        if let Some(u) = unit {
            args.extend(["--unit", u]);
        }
        beacon(&db, &args)
    };
    let said = err(add("haltonn", None));
    assert!(
        said.contains(
            "--council haltonn: there is no such council in the database (it holds: halton)"
        ),
        "{said}"
    );
    let said = err(add("halton", Some("NOPE")));
    assert!(
        said.contains("--unit NOPE: halton has no such unit"),
        "{said}"
    );
    assert!(!ok(beacon(&db, &["user", "list"])).contains("pat"));
    ok(add("halton", Some("CED")));
}

#[test]
fn demo_refuses_a_database_that_holds_councils_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let said = err(beacon(&db, &["demo", "--no-serve"]));
    assert!(
        said.contains("already holds councils (halton) and is not a demo database"),
        "{said}"
    );
    assert!(!ok(beacon(&db, &["user", "list"])).contains("Ada Administrator"));
    ok(beacon(&db, &["demo", "--no-serve", "--force"]));
    assert!(ok(beacon(&db, &["user", "list"])).contains("Ada Administrator"));
}

#[test]
fn a_copy_to_sqlite_is_private_and_whole_in_its_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let copy = dir.path().join("copy.db");
    ok(beacon_in(
        dir.path(),
        &[
            "copy",
            "--from",
            db.to_str().unwrap(),
            "--to",
            copy.to_str().unwrap(),
        ],
    ));
    assert_eq!(mode(&copy), 0o600);
    // The .db file alone, carried somewhere else, is the whole database.
    let away = tempfile::tempdir().unwrap();
    let carried = away.path().join("carried.db");
    std::fs::copy(&copy, &carried).unwrap();
    let stats: serde_json::Value =
        serde_json::from_str(&ok(beacon(&carried, &["stats", "--json"]))).unwrap();
    assert_eq!(stats["councils"], 1);
    assert!(ok(beacon(&carried, &["user", "list"])).contains("ada"));
}

#[test]
fn a_sqlite_backup_restores_and_verifies_and_a_damaged_one_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let backup = dir.path().join("b.db");
    let said = ok(beacon(&db, &["backup", "--to", backup.to_str().unwrap()]));
    assert!(said.contains("mode 0600"), "{said}");
    assert_eq!(mode(&backup), 0o600);
    let manifest = dir.path().join("b.db.manifest.json");
    assert_eq!(mode(&manifest), 0o600);
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(m["tables"]["councils"], 1);
    assert_eq!(m["tables"]["users"], 1);
    // A backup never overwrites.
    assert!(err(beacon(&db, &["backup", "--to", backup.to_str().unwrap()])).contains("exists"));

    let restored = dir.path().join("restored.db");
    let said = ok(beacon(
        &restored,
        &["restore", "--from", backup.to_str().unwrap(), "--verify"],
    ));
    assert!(said.contains("Verified:"), "{said}");
    assert_eq!(mode(&restored), 0o600);

    // A restore that does not match its manifest (here: the manifest says the backup held
    // two councils) fails, naming the table.
    let damaged = dir.path().join("damaged.db");
    std::fs::copy(&backup, &damaged).unwrap();
    let mut m2 = m.clone();
    m2["tables"]["councils"] = 2.into();
    std::fs::write(
        dir.path().join("damaged.db.manifest.json"),
        serde_json::to_vec(&m2).unwrap(),
    )
    .unwrap();
    let again = dir.path().join("again.db");
    let said = err(beacon(
        &again,
        &["restore", "--from", damaged.to_str().unwrap(), "--verify"],
    ));
    assert!(
        said.contains("table councils has 1 rows, the backup 2"),
        "{said}"
    );
}

#[test]
fn a_public_origin_with_a_path_or_slash_or_no_scheme_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    for (origin, says) in [
        (
            "https://beacon.example.gov.uk/",
            "use https://beacon.example.gov.uk",
        ),
        ("beacon.example.gov.uk", "does not start with https://"),
        ("https://example.gov.uk/beacon", "no path"),
    ] {
        let said = err(beacon(
            &db,
            &["serve", "--addr", "127.0.0.1:0", "--public-origin", origin],
        ));
        assert!(said.contains(says), "{origin}: {said}");
    }
}

#[test]
fn serve_help_and_governance_agree_about_insecure_cookies() {
    let help = ok(beacon_in(Path::new("."), &["serve", "--help"]));
    assert!(
        help.contains("never needed behind a proxy that terminates HTTPS"),
        "{help}"
    );
    let governance = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/governance.md"
    ))
    .unwrap();
    assert!(governance.contains("never needed behind a proxy that terminates HTTPS"));
}

/// A running `beacon serve` and the address it serves.
struct Server {
    child: Child,
    addr: String,
    log: std::sync::mpsc::Receiver<String>,
}

fn serve(db: &Path, envs: &[(&str, &str)], extra: &[&str]) -> Server {
    let (mut child, mut out, addr) = start(db, envs, extra);
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    Server {
        child,
        addr,
        log: rx,
    }
}

/// `beacon serve` started, its standard output read up to the line that gives its address.
fn start(
    db: &Path,
    envs: &[(&str, &str)],
    extra: &[&str],
) -> (Child, BufReader<std::process::ChildStdout>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beacon"));
    cmd.args([
        "--db",
        db.to_str().unwrap(),
        "serve",
        "--addr",
        "127.0.0.1:0",
    ])
    .args(extra)
    .env_remove("BEACON_DATABASE_URL")
    .env_remove("BEACON_LOG")
    .env_remove("BEACON_LOG_FORMAT")
    .envs(envs.iter().copied())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut addr = String::new();
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.split("http://localhost:").nth(1) {
            addr = format!("127.0.0.1:{}", rest.split('/').next().unwrap());
            break;
        }
        line.clear();
    }
    assert!(!addr.is_empty(), "serve printed no address");
    (child, out, addr)
}

impl Server {
    fn get(&self, path: &str) -> String {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut r = String::new();
        s.read_to_string(&mut r).unwrap();
        r
    }

    /// Log lines until one contains `what` (or five seconds pass).
    fn log_line(&self, what: &str) -> Option<String> {
        let until = Instant::now() + Duration::from_secs(5);
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.log.recv_timeout(left) {
                Ok(l) if l.contains(what) => return Some(l),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_logs_each_request_with_an_id_that_error_pages_show() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let server = serve(
        &db,
        &[
            ("BEACON_LOG", "beacon=debug"),
            ("BEACON_LOG_FORMAT", "json"),
        ],
        &[],
    );
    let page = server.get("/no/such/page");
    assert!(page.starts_with("HTTP/1.1 404"), "{page}");
    let id = page
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .expect("a request id header")
        .trim()
        .to_string();
    assert!(
        page.contains(&format!("quote reference <strong>{id}</strong>")),
        "{page}"
    );
    let line = server
        .log_line(&id)
        .expect("an access-log line with the request id");
    let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(entry["target"], "beacon::access");
    assert_eq!(entry["status"], 404);
    assert_eq!(entry["path"], "/no/such/page");
    assert!(!line.contains('\u{1b}'), "no colour codes: {line}");
}

#[test]
fn readyz_and_metrics_answer_and_the_metrics_stay_off_the_public_listener() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let metrics_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let metrics_addr = format!("127.0.0.1:{metrics_port}");
    let server = serve(&db, &[], &["--metrics-addr", &metrics_addr]);
    assert!(server.get("/healthz").starts_with("HTTP/1.1 200"));
    let ready = server.get("/readyz");
    assert!(
        ready.starts_with("HTTP/1.1 200") && ready.ends_with("ready\n"),
        "{ready}"
    );
    assert!(server.get("/metrics").starts_with("HTTP/1.1 404"));
    let metrics = Server {
        child: Command::new("true").spawn().unwrap(),
        addr: metrics_addr,
        log: std::sync::mpsc::channel().1,
    };
    let text = metrics.get("/metrics");
    assert!(
        text.contains(r#"beacon_http_requests_total{method="GET",route="/readyz",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("beacon_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("beacon_db_pool_connections_max 10"), "{text}");
    assert!(text.contains("beacon_sign_in_failures_total 0"), "{text}");
}

#[test]
fn readyz_says_not_ready_when_the_schema_is_not_current() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let server = serve(&db, &[("BEACON_LOG", "warn")], &[]);
    // The migrations' record says the last one is not applied: this binary is newer.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let ready = server.get("/readyz");
    assert!(ready.starts_with("HTTP/1.1 503"), "{ready}");
    assert!(server.log_line("the schema is not current").is_some());
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let mut server = serve(&db, &[], &[]);
    // A form arrives slowly: its headers now, its body after the server is told to stop.
    let mut s = TcpStream::connect(&server.addr).unwrap();
    write!(
        s,
        "POST /sign-in HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\nusername"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    std::thread::sleep(Duration::from_millis(300));
    s.write_all(b"=ada").unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    // Answered (refused for want of a form token), not cut off.
    assert!(r.starts_with("HTTP/1.1 403"), "{r:?}");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_server_whose_output_was_closed_still_stops_cleanly() {
    // A service manager or a script may stop reading once the server has said where it is.
    let dir = tempfile::tempdir().unwrap();
    let db = initialised(dir.path());
    let (child, out, addr) = start(&db, &[], &[]);
    drop(out);
    let mut server = Server {
        child,
        addr,
        log: std::sync::mpsc::channel().1,
    };
    assert!(server.get("/healthz").starts_with("HTTP/1.1 200"));
    server.terminate();
    let status = server.child.wait().unwrap();
    // Its last line ("Beacon has stopped …") has nowhere to go; that is no reason to fail.
    assert!(status.success(), "{status:?}");
}

impl Server {
    /// One request on its own connection: the status line and headers, and the body's bytes.
    fn request(&self, head: &str, body: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{head}\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut r = Vec::new();
        s.read_to_end(&mut r).unwrap();
        let split = r.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8_lossy(&r[..split]).to_string(),
            r[split + 4..].to_vec(),
        )
    }

    /// Signs in through the form, as a browser does; the cookies to send after.
    fn sign_in(&self, username: &str) -> String {
        let cookies = |head: &str| -> Vec<String> {
            head.lines()
                .filter_map(|l| l.strip_prefix("set-cookie: "))
                .map(|c| c.split(';').next().unwrap().to_string())
                .collect()
        };
        let (head, form) = self.request("GET /sign-in HTTP/1.1", "");
        let form = String::from_utf8(form).unwrap();
        let token = form
            .split("name=\"csrf_token\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let body = format!("username={username}&password=beacon-demo-2012&csrf_token={token}");
        let (signed, _) = self.request(
            &format!(
                "POST /sign-in HTTP/1.1\r\nOrigin: http://localhost\r\nCookie: {}\r\n\
                 Content-Type: application/x-www-form-urlencoded",
                cookies(&head).join("; ")
            ),
            &body,
        );
        assert!(signed.starts_with("HTTP/1.1 303"), "{signed}");
        cookies(&signed).join("; ")
    }

    /// The server's resident memory in bytes.
    fn resident(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .unwrap()
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .unwrap();
        kb * 1024
    }
}

#[test]
fn serve_typesets_each_pdf_in_a_child_process_and_keeps_none_of_its_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(beacon(&db, &["demo", "--no-serve"]));
    let server = serve(&db, &[], &["--insecure-cookies"]);
    let cookie = server.sign_in("performance");
    let report = "/c/halton/q/2012-13/2/report/CED";
    // The report page builds the same report: read once, so what follows is the PDFs alone.
    let (head, _) = server.request(&format!("GET {report} HTTP/1.1\r\nCookie: {cookie}"), "");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let before = server.resident();
    for _ in 0..3 {
        let (head, pdf) = server.request(
            &format!("GET {report}/report.pdf HTTP/1.1\r\nCookie: {cookie}"),
            "",
        );
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("content-type: application/pdf"), "{head}");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        let file = dir.path().join("report.pdf");
        std::fs::write(&file, &pdf).unwrap();
        let text = Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext (Debian poppler-utils) runs");
        assert!(text.status.success(), "pdftotext reads the download");
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("Halton"), "{text}");
        assert!(text.contains("Page 1 of"), "{text}");
    }
    // Typesetting in the server itself kept tens of MB a PDF; in a child, the server keeps
    // only what serving a download takes.
    let grown = server.resident().saturating_sub(before);
    assert!(
        grown < 15 << 20,
        "the server grew by {} MB over three PDFs",
        grown >> 20
    );
}

#[test]
fn typeset_pdf_refuses_what_is_not_a_report_and_says_where() {
    let out = Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("typeset-pdf")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"not a report")?;
            c.wait_with_output()
        })
        .unwrap();
    let said = err(out);
    assert!(
        said.contains("cannot pass the report to the typesetter"),
        "{said}"
    );
    assert!(said.contains("at line 1 column"), "{said}");
}
