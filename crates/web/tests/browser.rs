//! Browser tests in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven
//! through WebDriver with fantoccini), signed in through the real sign-in form: axe-core finds
//! no WCAG 2.2 AA violation on any page type, in every state of a quarter's life; an officer
//! completes the data-entry form with the keyboard alone, sees the error for a bad value,
//! corrects it, and sees the new status on the dashboard; and a quarter goes from entry to
//! publication in the hands of three people, each in their own session.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use beacon_app::{Governance, Store};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process and a session in a fresh headless Chromium.
struct Browser {
    driver: Child,
    client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Browser {
        for bin in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                std::path::Path::new(bin).exists(),
                "{bin} is missing: the browser tests need Debian's chromium and chromium-driver \
                 (apt-get install -y chromium chromium-driver); ./scripts/test installs them"
            );
        }
        let port = StdListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1024",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = match caps {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last = String::new();
        for _ in 0..100 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        driver,
                        client,
                        _profile: profile,
                    };
                }
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not start a Chromium session through chromedriver: {last}");
    }

    async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Serves the example council, with a user for each role, on a free loopback port; returns
/// the base URL. Pages are opened at `http://localhost:PORT`: browsers keep `Secure` cookies
/// for localhost over plain HTTP, so the app runs with its production cookie settings.
async fn serve() -> (String, beacon_test_support::TempDb) {
    let db = common::halton_with_users().await;
    let national = common::load_national(&db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            national: Some(national),
            ..beacon_web::Options::default()
        },
    );
    tokio::spawn(async move { beacon_web::serve(listener, app).await });
    (base, db)
}

/// The data-entry form of CED's second quarter of 2012/13 (not the workbook upload or the
/// account bar's sign-out form, which are also posted forms).
const ENTRY: &str = "/c/halton/q/2012-13/2/entry/CED";
const ENTRY_FORM: &str = "form[action='/c/halton/q/2012-13/2/entry/CED']";
const SIGN_OFF: &str = "/c/halton/q/2012-13/2/sign-off/CED";
const REPORT_V1: &str = "/p/halton/CED/2012-13/2/v1/report.html";

fn axe_source() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/node_modules/axe-core/axe.min.js"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("{path}: {e}; axe-core is installed by `npm ci` in crates/web/assets (the web crate's build does this)")
    })
}

/// Runs axe-core on the current page for WCAG 2.0, 2.1 and 2.2 A and AA; returns violations.
async fn axe(client: &Client, source: &str) -> Vec<Value> {
    client.execute(source, vec![]).await.unwrap();
    let result = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                 .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.failureSummary) }))))
                 .catch(e => done([{ id: 'axe-error', help: String(e) }]));"#,
            vec![],
        )
        .await
        .unwrap();
    result.as_array().cloned().unwrap_or_default()
}

/// Runs axe on the current page and notes any violation under `what`.
async fn check(c: &Client, source: &str, what: &str, failures: &mut Vec<String>) {
    let v = axe(c, source).await;
    if !v.is_empty() {
        failures.push(format!(
            "{what}: {}",
            serde_json::to_string_pretty(&v).unwrap()
        ));
    }
}

/// The whitespace-normalised text of the first element matching `css` ("" if none).
async fn text_of(c: &Client, css: &str) -> String {
    c.execute(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
        vec![json!(css)],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

/// Waits (up to ten seconds) until the element matching `css` says `text`; returns its text.
async fn wait_for_text(c: &Client, css: &str, text: &str) -> String {
    let mut seen = String::new();
    for _ in 0..100 {
        seen = text_of(c, css).await;
        if seen.contains(text) {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = c.current_url().await.unwrap();
    panic!("{url}: {css} says {seen:?}, not {text:?}");
}

async fn text_of_row(client: &Client, needle: &str) -> String {
    client
        .execute(
            "const n = arguments[0]; const r = [...document.querySelectorAll('tbody tr')].find(r => r.textContent.includes(n)); return r ? r.textContent : '';",
            vec![json!(needle)],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn path_of(c: &Client) -> String {
    let url = c.current_url().await.unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

async fn click(c: &Client, locator: Locator<'_>) {
    c.find(locator).await.unwrap().click().await.unwrap();
}

/// Presses the button with this label.
async fn press(c: &Client, label: &str) {
    click(
        c,
        Locator::XPath(&format!("//button[normalize-space()=\"{label}\"]")),
    )
    .await;
}

/// The labels of the buttons of the forms in the page's main content: the steps offered.
async fn buttons(c: &Client) -> Vec<String> {
    c.execute(
        "return [...document.querySelectorAll('main form button')].map(b => b.textContent.trim());",
        vec![],
    )
    .await
    .unwrap()
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect()
}

/// Fills in the sign-in form on the current page as a person would and presses the button;
/// waits for the page it leads to, which shows who is signed in.
async fn fill_in_sign_in(c: &Client, username: &str, password: &str) {
    // The form may still be on its way after a step that ends on the sign-in page.
    c.wait()
        .for_element(Locator::Css("#username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    press(c, "Sign in").await;
}

/// Opens `path` as nobody: it asks for sign-in; signs in as `username` and is taken back.
async fn sign_in_to(c: &Client, base: &str, path: &str, username: &str) {
    c.goto(&format!("{base}{path}")).await.unwrap();
    assert!(
        path_of(c).await.starts_with("/sign-in?next="),
        "{path} asks who is there first: {}",
        c.current_url().await.unwrap()
    );
    fill_in_sign_in(c, username, common::PASSWORD).await;
    wait_for_text(c, ".beacon-account__who", "Signed in as Test").await;
    assert_eq!(path_of(c).await, path, "back where {username} set out for");
    let who = text_of(c, ".beacon-account__who").await;
    assert!(who.contains(&format!("Test {username}")), "{who}");
}

/// Signs out with the account bar's button, then forgets every cookie: the next person at
/// this browser starts from nothing.
async fn sign_out(c: &Client) {
    click(c, Locator::Css(".beacon-account__form button")).await;
    wait_for_text(c, ".beacon-account__who", "Sign in").await;
    assert_eq!(path_of(c).await, "/");
    c.delete_all_cookies().await.unwrap();
}

/// The value stored for an indicator in CED's 2012/13 Q2 record.
async fn stored_value(db: &beacon_test_support::TempDb, indicator: &str) -> String {
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    data.quarters
        .iter()
        .find(|q| q.header.unit.as_str() == "CED" && q.header.period.to_string() == "2012/13 Q2")
        .unwrap()
        .values
        .iter()
        .find(|v| v.indicator.as_str() == indicator)
        .map(|v| v.value.to_string())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_type_has_a_wcag_22_aa_violation() {
    let (base, _db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    let source = axe_source();
    let mut failures = Vec::new();

    signed_in_as_admin_after_errors(c, &base, &source, &mut failures).await;
    every_page_as_the_administrator(c, &base, &source, &mut failures).await;
    forms_showing_errors(c, &base, &source, &mut failures).await;
    the_quarter_s_life_and_what_the_public_sees(c, &base, &source, &mut failures).await;
    multi_factor_pages(c, &base, &source, &mut failures).await;
    browser.close().await;
    assert!(
        failures.is_empty(),
        "axe found WCAG 2.2 AA violations:\n{}",
        failures.join("\n")
    );
}

/// As nobody: the home page, the sign-in page, and the sign-in page refusing a password; then
/// signed in as the administrator, who may do everything, so sees every form and every step.
async fn signed_in_as_admin_after_errors(
    c: &Client,
    base: &str,
    source: &str,
    failures: &mut Vec<String>,
) {
    for p in ["/", "/sign-in", "/p/halton"] {
        c.goto(&format!("{base}{p}")).await.unwrap();
        check(c, source, p, failures).await;
    }
    c.goto(&format!("{base}/sign-in")).await.unwrap();
    fill_in_sign_in(c, "admin", "not the password").await;
    c.wait()
        .for_element(Locator::Css(".govuk-error-summary"))
        .await
        .unwrap();
    check(c, source, "sign-in refused", failures).await;
    // A missing password is shown at the password field.
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    press(c, "Sign in").await;
    wait_for_text(c, "#password-error", "Enter your password").await;
    check(c, source, "sign-in without a password", failures).await;

    // The administrator may do everything, so sees every form and every step.
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(common::PASSWORD)
        .await
        .unwrap();
    press(c, "Sign in").await;
    wait_for_text(c, ".beacon-account__who", "Signed in as Test admin").await;
}

/// Every page type as the administrator.
async fn every_page_as_the_administrator(
    c: &Client,
    base: &str,
    source: &str,
    failures: &mut Vec<String>,
) {
    let pages = [
        "/",
        "/c/halton",
        "/c/halton/q/2012-13/2?unit=CED",
        "/c/halton/q/2012-13/2",
        "/c/halton/q/2012-13/2/budget",
        "/c/halton/q/2012-13/2/budget/CED-revenue",
        "/c/halton/q/2012-13/2/budget/CED-capital",
        "/c/halton/plans/CED-2012-13",
        "/c/halton/plans/CYPD-2011-14",
        "/c/halton/plans/SS-2009-12/objectives/SS2",
        "/c/halton/plans/CED-2012-13/indicators/SCS%20CYP09",
        "/c/halton/plans/SS-2009-12/risks",
        "/c/halton/search?q=NI075",
        ENTRY,
        "/c/halton/q/2012-13/2/report/CED",
        "/c/halton/q/2012-13/2/report/CED/report.html",
        // The year's other reports: their pages and the reports themselves (charts as SVG).
        "/c/halton/q/2012-13/2/cover/CED",
        "/c/halton/q/2012-13/2/cover/CED/report.html",
        "/c/halton/y/2012-13/outturn/CED",
        "/c/halton/y/2012-13/outturn/CED/report.html",
        "/c/halton/y/2012-13/target-review/CED/report.html",
        "/c/halton/y/2012-13/community/report.html",
        SIGN_OFF,
        "/p/halton",
        "/no/such/page",
        "/account",
        "/c/halton/users",
        "/c/halton/users/contributor",
        "/c/halton/add-user",
        // The national position on an indicator page, the calendar, what is missing, the
        // notices and the API's reference page.
        "/c/halton/plans/CED-2012-13/indicators/NI075",
        "/c/halton/calendar/2012-13",
        "/c/halton/q/2012-13/2/missing",
        "/c/halton/notices",
        "/api/v1",
        // Plans set up and changed on screen, compared and refreshed; priority pages.
        "/c/halton/new-plan",
        "/c/halton/plans/CED-2012-13/edit",
        "/c/halton/plans/CED-2012-13/edit/plan/CED-2012-13",
        "/c/halton/plans/CED-2012-13/edit/objective/LAS1",
        "/c/halton/plans/CED-2012-13/edit/milestone/LAS1%2F1",
        "/c/halton/plans/CED-2012-13/edit/indicator/SCS%20CYP09",
        "/c/halton/plans/SS-2009-12/edit/risk/SS2%2F1",
        "/c/halton/plans/CYPD-2011-14/refresh",
        "/c/halton/plans/CYPD-2011-14/compare?with=SS-2009-12",
        "/c/halton/priorities",
        "/c/halton/priorities/CP3",
        "/c/halton/priorities/CED-COMM",
        // Budget statements set up and changed on screen.
        "/c/halton/q/2012-13/2/budget/CED-revenue/edit",
        "/c/halton/q/2012-13/2/budget/CED-revenue/remove",
        "/c/halton/q/2012-13/2/new-statement",
        "/c/halton/plans/CED-2012-13/edit/budget",
        // The indicator library, adding an indicator from it, and two versions compared.
        "/c/halton/library",
        "/c/halton/library/new",
        "/c/halton/plans/CED-2012-13/edit/from-library/new",
        "/c/halton/plans/CED-2012-13/compare?from=1&to=1",
    ];
    for p in pages {
        c.goto(&format!("{base}{p}")).await.unwrap();
        check(c, source, p, failures).await;
    }
}

/// The administrator's and the account's forms showing errors, a password shown once, the
/// entry form and the workbook upload showing problems.
async fn forms_showing_errors(c: &Client, base: &str, source: &str, failures: &mut Vec<String>) {
    // The administrator's and the account's forms showing errors, and a password shown once.
    c.goto(&format!("{base}/c/halton/add-user")).await.unwrap();
    press(c, "Add user").await;
    wait_for_text(c, ".govuk-error-summary", "Enter a username").await;
    check(c, source, "add a user with errors", failures).await;
    c.goto(&format!("{base}/c/halton/users/councillor"))
        .await
        .unwrap();
    press(c, "Reset password").await;
    wait_for_text(c, ".govuk-notification-banner", "only time it is shown").await;
    check(c, source, "a reset password", failures).await;
    c.goto(&format!("{base}/account")).await.unwrap();
    press(c, "Change password").await;
    wait_for_text(c, ".govuk-error-summary", "Enter your current password").await;
    check(c, source, "your account with errors", failures).await;

    // Removing a statement, neither yes nor no chosen.
    c.goto(&format!(
        "{base}/c/halton/q/2012-13/2/budget/CED-revenue/remove"
    ))
    .await
    .unwrap();
    press(c, "Continue").await;
    wait_for_text(c, ".govuk-error-summary", "Select yes to remove").await;
    check(c, source, "removing a statement with an error", failures).await;

    // The entry form showing errors.
    c.goto(&format!("{base}{ENTRY}")).await.unwrap();
    let value = c.find(Locator::Css("#i0-value")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("seventy").await.unwrap();
    click(
        c,
        Locator::Css(&format!("{ENTRY_FORM} button[type=submit]")),
    )
    .await;
    c.wait()
        .for_element(Locator::Css(".govuk-error-summary"))
        .await
        .unwrap();
    check(c, source, "entry with errors", failures).await;

    // The workbook upload, sent without a file: the list of problems.
    c.goto(&format!("{base}{ENTRY}")).await.unwrap();
    click(c, Locator::Css("details summary")).await;
    press(c, "Upload and check").await;
    wait_for_text(c, ".beacon-problems", "Select a collection workbook").await;
    check(c, source, "upload problems", failures).await;
}

/// The sign-off page in each state of the quarter's life, refusing a step, and what the
/// public sees once it is published.
async fn the_quarter_s_life_and_what_the_public_sees(
    c: &Client,
    base: &str,
    source: &str,
    failures: &mut Vec<String>,
) {
    // The sign-off page in each state of the quarter's life, and refusing a step.
    c.goto(&format!("{base}{SIGN_OFF}")).await.unwrap();
    press(c, "Submit for sign-off").await;
    wait_for_text(c, "#quarter-state", "Submitted").await;
    check(c, source, "sign-off page, submitted", failures).await;
    press(c, "Send back").await;
    wait_for_text(
        c,
        ".govuk-error-summary",
        "Give a reason for sending the quarter back",
    )
    .await;
    check(c, source, "sign-off page refusing a step", failures).await;
    c.goto(&format!("{base}{SIGN_OFF}")).await.unwrap();
    press(c, "Sign off").await;
    wait_for_text(c, "#quarter-state", "Signed off").await;
    check(c, source, "sign-off page, signed off", failures).await;
    c.goto(&format!("{base}{ENTRY}")).await.unwrap();
    wait_for_text(c, "#locked", "signed off").await;
    check(c, source, "entry, locked", failures).await;
    c.goto(&format!("{base}{SIGN_OFF}")).await.unwrap();
    press(c, "Publish").await;
    wait_for_text(c, "#quarter-state", "Published").await;
    check(c, source, "sign-off page, published", failures).await;

    // What the public sees.
    for p in ["/p/halton", "/p/halton/CED/2012-13/2", REPORT_V1] {
        c.goto(&format!("{base}{p}")).await.unwrap();
        check(c, source, p, failures).await;
    }
}

/// Multi-factor sign-in: the setup page with its QR code, refusing an empty code, the recovery
/// codes shown once, and the second page of sign-in with and without an error.
async fn multi_factor_pages(c: &Client, base: &str, source: &str, failures: &mut Vec<String>) {
    c.goto(&format!("{base}/account/mfa")).await.unwrap();
    check(c, source, "/account/mfa", failures).await;
    press(c, "Turn on multi-factor sign-in").await;
    wait_for_text(c, ".govuk-error-summary", "Enter the code").await;
    check(c, source, "multi-factor setup with an error", failures).await;
    let key = text_of(c, "#secret").await.replace(' ', "");
    // The test reads the clock as the user's phone would.
    #[allow(clippy::disallowed_methods)]
    let now = chrono::Utc::now().timestamp();
    c.find(Locator::Css("#code"))
        .await
        .unwrap()
        .send_keys(&beacon_test_support::totp::code(&key, now))
        .await
        .unwrap();
    press(c, "Turn on multi-factor sign-in").await;
    wait_for_text(c, "#recovery-codes", "-").await;
    check(c, source, "recovery codes shown once", failures).await;
    c.goto(&format!("{base}/account")).await.unwrap();
    check(
        c,
        source,
        "your account with multi-factor sign-in on",
        failures,
    )
    .await;
    press(c, "Sign out").await;
    // Signed out before going on: a page opened while the sign-out is on its way would cancel it.
    wait_for_text(c, ".beacon-account__who", "Sign in").await;
    c.goto(&format!("{base}/sign-in")).await.unwrap();
    fill_in_sign_in(c, "admin", common::PASSWORD).await;
    wait_for_text(c, "h1", "Enter the code from your app").await;
    check(c, source, "sign-in, the code", failures).await;
    press(c, "Continue").await;
    wait_for_text(c, ".govuk-error-summary", "Enter the code").await;
    check(c, source, "sign-in, the code missing", failures).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_enters_a_quarter_by_keyboard_corrects_an_error_and_sees_the_new_status() {
    let (base, _db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in_to(c, &base, ENTRY, "contributor").await;

    tab_reaches_every_control_in_order(c).await;
    a_bad_value_is_explained_and_kept(c).await;
    corrected_through_the_error_link(c).await;
    // The dashboard shows the new status with its reason.
    let row = text_of_row(
        c,
        "Percentage of educational settings with overall effectiveness",
    )
    .await;
    assert!(row.contains("SCS CYP09") && row.contains("Green"), "{row}");
    assert!(row.contains("85% against a target of 84%"), "{row}");
    assert_eq!(path_of(c).await, "/c/halton/q/2012-13/2?unit=CED&saved=1");
    browser.close().await;
}

/// Keyboard only: Tab from the top reaches every control of the form, in order.
async fn tab_reaches_every_control_in_order(c: &Client) {
    let controls: Vec<String> = c
        .execute(
            "const f = arguments[0]; return [...document.querySelectorAll(`${f} input:not([type=hidden]), ${f} select, ${f} textarea, ${f} button`)].map(e => e.id || 'submit');",
            vec![json!(ENTRY_FORM)],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(controls.len() > 20, "{controls:?}");
    let mut reached = Vec::new();
    let body = c.find(Locator::Css("body")).await.unwrap();
    body.send_keys(&Key::Tab).await.unwrap();
    for _ in 0..(controls.len() + 40) {
        let id = c
            .active_element()
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
            .unwrap_or_default();
        let is_submit = c
            .execute(
                "return document.activeElement.type === 'submit' && document.activeElement.closest(arguments[0]) !== null;",
                vec![json!(ENTRY_FORM)],
            )
            .await
            .unwrap()
            == json!(true);
        reached.push(if is_submit { "submit".to_string() } else { id });
        if is_submit {
            break;
        }
        c.active_element()
            .await
            .unwrap()
            .send_keys(&Key::Tab)
            .await
            .unwrap();
    }
    let in_order: Vec<&String> = reached.iter().filter(|id| controls.contains(id)).collect();
    assert_eq!(
        in_order,
        controls.iter().collect::<Vec<_>>(),
        "Tab reaches every control of the form, in order"
    );
}

/// Fill in by keyboard: type a bad value, press Enter; the error is explained and what was
/// typed kept. A contributor enters as themselves: "who is entering" is offered only to a
/// performance officer.
async fn a_bad_value_is_explained_and_kept(c: &Client) {
    assert!(c.find(Locator::Css("#officer")).await.is_err());
    let value = c.find(Locator::Css("#i0-value")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("seventy").await.unwrap();
    value.send_keys(&Key::Enter).await.unwrap();
    c.wait()
        .for_element(Locator::Css(".govuk-error-summary"))
        .await
        .unwrap();
    let summary = c
        .find(Locator::Css(".govuk-error-summary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        summary.contains("is not a number: enter the value of SCS CYP09 as"),
        "{summary}"
    );
    let kept = c
        .find(Locator::Css("#i0-value"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("seventy"),
        "what the officer typed is kept"
    );
}

/// Follow the error link by keyboard to the field, correct it and submit.
async fn corrected_through_the_error_link(c: &Client) {
    let link = c
        .find(Locator::Css(".govuk-error-summary a[href='#i0-value']"))
        .await
        .unwrap();
    link.send_keys(&Key::Enter).await.unwrap();
    let value = c.find(Locator::Css("#i0-value")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("85%").await.unwrap();
    c.find(Locator::Css("#i0-comment"))
        .await
        .unwrap()
        .send_keys("All schools inspected this quarter were good or better.")
        .await
        .unwrap();
    value.send_keys(&Key::Enter).await.unwrap();
    c.wait()
        .for_element(Locator::Css(".govuk-notification-banner--success"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quarter_goes_from_entry_to_publication_through_three_people() {
    let (base, db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    assert_eq!(stored_value(&db, "SCS CYP09").await, "76%");

    the_contributor_enters_and_submits(c, &base, &db).await;
    the_approver_signs_it_off(c, &base).await;
    the_contributor_finds_it_locked(c, &base, &db).await;
    the_performance_officer_publishes_it(c, &base).await;
    anyone_reads_it_at_its_stable_address(c, &base).await;
    browser.close().await;
}

/// The contributor enters a value and submits the quarter; they cannot sign it off.
async fn the_contributor_enters_and_submits(
    c: &Client,
    base: &str,
    db: &beacon_test_support::TempDb,
) {
    sign_in_to(c, base, ENTRY, "contributor").await;
    let value = c.find(Locator::Css("#i0-value")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("85%").await.unwrap();
    press(c, "Save this quarter's data").await;
    wait_for_text(
        c,
        ".govuk-notification-banner--success",
        "The quarter's data was saved",
    )
    .await;
    assert_eq!(stored_value(db, "SCS CYP09").await, "85%");
    c.goto(&format!("{base}{ENTRY}")).await.unwrap();
    click(
        c,
        Locator::LinkText("Sign-off and publication of this quarter"),
    )
    .await;
    wait_for_text(c, "#quarter-state", "Open").await;
    assert_eq!(path_of(c).await, SIGN_OFF);
    assert_eq!(buttons(c).await, ["Submit for sign-off"]);
    press(c, "Submit for sign-off").await;
    wait_for_text(c, "#quarter-state", "Submitted").await;
    assert!(
        buttons(c).await.is_empty(),
        "a contributor cannot sign off their own quarter"
    );
    sign_out(c).await;
}

/// The approver signs it off; publishing is not theirs.
async fn the_approver_signs_it_off(c: &Client, base: &str) {
    sign_in_to(c, base, SIGN_OFF, "approver").await;
    assert_eq!(text_of(c, "#quarter-state").await, "Submitted");
    assert_eq!(buttons(c).await, ["Send back", "Sign off"]);
    let history = text_of(c, "main").await;
    let history = &history[history.find("History").unwrap_or(0)..];
    assert!(
        history.contains("contributor")
            && history.contains("Open")
            && history.contains("Submitted"),
        "{history}"
    );
    press(c, "Sign off").await;
    wait_for_text(c, "#quarter-state", "Signed off").await;
    assert!(
        !buttons(c).await.iter().any(|b| b == "Publish"),
        "publishing is the performance officer's"
    );
    sign_out(c).await;
}

/// The contributor finds the entry page locked, and a save crafted from the page (with the
/// page's own form token, so only the lock can refuse it) changes nothing.
async fn the_contributor_finds_it_locked(c: &Client, base: &str, db: &beacon_test_support::TempDb) {
    let halton = "halton".parse().unwrap();
    sign_in_to(c, base, ENTRY, "contributor").await;
    let locked = wait_for_text(c, "#locked", "signed off").await;
    assert!(locked.contains("cannot be changed"), "{locked}");
    assert!(
        c.find_all(Locator::Css(ENTRY_FORM))
            .await
            .unwrap()
            .is_empty(),
        "no entry form on a locked quarter"
    );
    let before = db.store.council_data(&halton).await.unwrap();
    let version = db
        .store
        .quarter_statuses(&halton)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.unit.as_str() == "CED" && s.quarter.to_string() == "2012/13 Q2")
        .unwrap()
        .version;
    let answer = c
        .execute_async(
            r#"const [version, done] = [arguments[0], arguments[arguments.length - 1]];
               const body = new URLSearchParams({
                 csrf_token: document.querySelector('input[name=csrf_token]').value,
                 version: String(version), officer: 'SN', 'i0-value': '99%' });
               fetch(location.pathname, { method: 'POST', body, redirect: 'manual' })
                 .then(r => r.text().then(t => done({ status: r.status, body: t })))
                 .catch(e => done({ status: 0, body: String(e) }));"#,
            vec![json!(version)],
        )
        .await
        .unwrap();
    assert_eq!(answer["status"], json!(409), "{answer}");
    assert!(
        answer["body"]
            .as_str()
            .unwrap()
            .contains("an approver must reopen it before it can change"),
        "{answer}"
    );
    assert_eq!(
        db.store.council_data(&halton).await.unwrap(),
        before,
        "nothing was saved"
    );
    sign_out(c).await;
}

/// The performance officer publishes it: version 1.
async fn the_performance_officer_publishes_it(c: &Client, base: &str) {
    sign_in_to(c, base, SIGN_OFF, "performance").await;
    assert_eq!(text_of(c, "#quarter-state").await, "Signed off");
    assert_eq!(buttons(c).await, ["Publish"]);
    press(c, "Publish").await;
    wait_for_text(c, "#quarter-state", "Published").await;
    let versions = text_of(c, "main").await;
    assert!(versions.contains("Version 1"), "{versions}");
    sign_out(c).await;
}

/// Anyone can read it at its stable address: the report as published, with the new value and
/// without the account bar.
async fn anyone_reads_it_at_its_stable_address(c: &Client, base: &str) {
    c.goto(&format!("{base}/p/halton")).await.unwrap();
    click(c, Locator::LinkText("CED: Quarter 2 2012/13")).await;
    wait_for_text(c, "h1", "CED, Quarter 2 2012/13").await;
    assert_eq!(path_of(c).await, "/p/halton/CED/2012-13/2");
    let published = text_of(c, "main").await;
    assert!(
        published.contains("Version 1") && published.contains("by performance"),
        "{published}"
    );
    click(c, Locator::Css("a[href$='/v1/report.html']")).await;
    wait_for_text(c, "body", "SCS CYP09").await;
    assert_eq!(path_of(c).await, REPORT_V1);
    let report = text_of(c, "body").await;
    assert!(
        report.contains("85%"),
        "the published report has the new value"
    );
    assert_eq!(
        text_of(c, ".beacon-account__who").await,
        "",
        "a published report is the file as published, without the account bar"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_sets_up_a_plan_by_keyboard_then_enters_a_quarter_against_it() {
    let (base, db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    let source = axe_source();
    let mut failures = Vec::new();
    sign_in_to(c, &base, "/c/halton/new-plan", "performance").await;
    // Saving the empty form explains each missing answer, and axe finds nothing wrong with it.
    press(c, "Save").await;
    wait_for_text(c, ".govuk-error-summary", "Enter title").await;
    check(c, &source, "the new plan form with errors", &mut failures).await;
    type_in(
        c,
        &[
            ("ref", "YP-2013-14"),
            ("title", "Young People's Service Plan 2013/14"),
            ("unit", "Children and E"),
            ("years", "2013/14-2013/14"),
        ],
    )
    .await;
    submit_by_keyboard(c).await;
    wait_for_text(c, "h1", "Check your answers before creating the plan").await;
    check(c, &source, "check your answers", &mut failures).await;
    press_by_keyboard(c, "Create plan").await;
    wait_for_text(c, ".govuk-notification-banner", "Plan YP-2013-14 saved").await;
    check(c, &source, "the plan's edit page", &mut failures).await;

    let edit = format!("{base}/c/halton/plans/YP-2013-14/edit");
    c.goto(&format!("{edit}/objective/new")).await.unwrap();
    type_in(
        c,
        &[
            ("ref", "YP1"),
            ("statement", "Raise attainment at 16"),
            ("links", "SCS-CYP"),
        ],
    )
    .await;
    submit_by_keyboard(c).await;
    wait_for_text(c, ".govuk-notification-banner", "Objective YP1 saved").await;
    for (text, due) in [
        ("Agree the schools' targets", "2013-09"),
        ("Review the results", "2014-03"),
    ] {
        c.goto(&format!("{edit}/milestone/new?objective=YP1"))
            .await
            .unwrap();
        type_in(c, &[("year", "2013/14"), ("text", text), ("due", due)]).await;
        submit_by_keyboard(c).await;
        wait_for_text(c, ".govuk-notification-banner", "saved").await;
    }
    c.goto(&format!("{edit}/indicator/new")).await.unwrap();
    type_in(
        c,
        &[
            ("ref", "YP01"),
            ("description", "Pupils achieving 5 or more good GCSEs"),
            ("measure", "percent"),
            ("better", "higher"),
            ("targets", "2013/14: 62%"),
        ],
    )
    .await;
    check(c, &source, "the indicator form", &mut failures).await;
    submit_by_keyboard(c).await;
    wait_for_text(c, ".govuk-notification-banner", "Indicator YP01 saved").await;
    c.goto(&format!("{edit}/risk/new")).await.unwrap();
    type_in(
        c,
        &[
            ("ref", "YPR1"),
            ("objective", "YP1"),
            ("description", "Schools do not agree challenging targets"),
            ("initial-likelihood", "3"),
            ("initial-impact", "4"),
        ],
    )
    .await;
    submit_by_keyboard(c).await;
    wait_for_text(c, ".govuk-notification-banner", "Risk YPR1 saved").await;
    let hub = text_of(c, "main").await;
    assert!(
        hub.contains("YP1/1")
            && hub.contains("YP1/2")
            && hub.contains("YP01")
            && hub.contains("YPR1"),
        "{hub}"
    );

    // A quarter entered against it: the indicator's value, by keyboard.
    c.goto(&format!("{base}/c/halton/q/2013-14/1/entry/CED"))
        .await
        .unwrap();
    let value = c.find(Locator::Css("#i0-value")).await.unwrap();
    value.send_keys("63%").await.unwrap();
    value.send_keys(&Key::Enter).await.unwrap();
    c.wait()
        .for_element(Locator::Css(".govuk-notification-banner--success"))
        .await
        .unwrap();
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let q = data
        .quarters
        .iter()
        .find(|q| q.header.plan.as_str() == "YP-2013-14")
        .expect("a quarter of the new plan");
    assert_eq!(q.values[0].value.to_string(), "63%");
    browser.close().await;
    assert!(
        failures.is_empty(),
        "axe found WCAG 2.2 AA violations:\n{}",
        failures.join("\n")
    );
}

/// Types into each field by keyboard: a text box or text area gets the text, a select the
/// first letters of its choice (as a person types to pick one).
async fn type_in(c: &Client, fields: &[(&str, &str)]) {
    for (id, text) in fields {
        let e = c
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("no #{id}"));
        if e.tag_name().await.unwrap() != "select" {
            e.clear().await.unwrap();
        }
        e.send_keys(text).await.unwrap();
    }
}

/// Moves to the Save button with Tab from the last field filled, and presses Enter on it.
async fn submit_by_keyboard(c: &Client) {
    press_by_keyboard(c, "Save").await;
}

/// Moves to the button labelled `label` with Tab, and presses Enter on it.
async fn press_by_keyboard(c: &Client, label: &str) {
    for _ in 0..60 {
        let active = c
            .execute("return document.activeElement.textContent.trim();", vec![])
            .await
            .unwrap();
        if active == json!(label) {
            c.active_element()
                .await
                .unwrap()
                .send_keys(&Key::Enter)
                .await
                .unwrap();
            return;
        }
        c.active_element()
            .await
            .unwrap()
            .send_keys(&Key::Tab)
            .await
            .unwrap();
    }
    panic!("Tab never reached the {label} button");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_statement_s_totals_follow_the_officer_s_typing_before_it_is_saved() {
    let (base, db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    let source = axe_source();
    let mut failures = Vec::new();
    sign_in_to(
        c,
        &base,
        "/c/halton/q/2012-13/2/new-statement",
        "performance",
    )
    .await;
    type_in(
        c,
        &[
            ("ref", "CFD-capital"),
            ("kind", "capital"),
            ("title", "Children & Families capital programme"),
            ("unit", "Children & F"),
            ("group-0-key", "schemes"),
            ("group-0-label", "Total capital"),
            ("group-0-annual", "1,500"),
            ("group-0-to_date", "600"),
            ("group-0-spent", "450"),
            ("line-0-group", "schemes"),
            ("line-0-label", "Children's centre roof"),
            ("line-0-annual", "1,000"),
            ("line-0-to_date", "400"),
            ("line-0-spent", "300"),
        ],
    )
    .await;
    // One scheme typed: its total is short of the stated one, as the officer sees at once.
    wait_for_text(c, "#totals-table", "Does not reconcile").await;
    wait_for_text(c, "#reconciliation", "0 of 1 stated totals").await;
    type_in(
        c,
        &[
            ("line-1-group", "schemes"),
            ("line-1-label", "Playground access"),
            ("line-1-annual", "500"),
            ("line-1-to_date", "200"),
            ("line-1-spent", "(150)"),
        ],
    )
    .await;
    // Both schemes, the second's spend typed as a negative amount: the allocations agree, the
    // spend does not (300 − 150 = 150 against 450 stated).
    let mut cells = json!(null);
    for _ in 0..50 {
        cells = c
            .execute(
                "return [...document.querySelectorAll('#totals-table tbody tr:first-child > *')].map(e => e.textContent.trim());",
                vec![],
            )
            .await
            .unwrap();
        if cells[3] == json!("150") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        cells,
        json!([
            "Total capital",
            "1,500",
            "600",
            "150",
            "1,500",
            "600",
            "450",
            "Does not reconcile"
        ])
    );
    type_in(c, &[("line-1-spent", "150")]).await;
    wait_for_text(c, "#totals-table", "Reconciles").await;
    wait_for_text(c, "#reconciliation", "1 of 1 stated totals").await;
    check(
        c,
        &source,
        "the new statement form, typed in",
        &mut failures,
    )
    .await;
    press(c, "Save statement").await;
    wait_for_text(c, ".govuk-notification-banner", "Statement saved.").await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let st = data
        .statements
        .iter()
        .find(|s| s.reference.as_str() == "CFD-capital")
        .expect("the statement is saved");
    assert_eq!(st.lines.len(), 2);
    browser.close().await;
    assert!(
        failures.is_empty(),
        "axe found WCAG 2.2 AA violations:\n{}",
        failures.join("\n")
    );
}
