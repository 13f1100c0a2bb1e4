//! Browser tests in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven
//! through WebDriver with fantoccini): axe-core finds no WCAG 2.2 AA violation on any page
//! type; an officer completes the data-entry form with the keyboard alone, sees the error for a
//! bad value, corrects it, and sees the new status on the dashboard.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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

/// Serves the example council on a free loopback port; returns the base URL.
async fn serve() -> (String, beacon_test_support::TempDb) {
    let db = beacon_test_support::TempDb::with_halton().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = beacon_web::router(db.store.clone());
    tokio::spawn(async move { beacon_web::serve(listener, app).await });
    (base, db)
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_type_has_a_wcag_22_aa_violation() {
    let (base, _db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    let source = axe_source();
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
        "/c/halton/q/2012-13/2/entry/CED",
        "/c/halton/q/2012-13/2/report/CED",
        "/c/halton/q/2012-13/2/report/CED/report.html",
        "/no/such/page",
    ];
    let mut failures = Vec::new();
    for p in pages {
        c.goto(&format!("{base}{p}")).await.unwrap();
        let v = axe(c, &source).await;
        if !v.is_empty() {
            failures.push(format!(
                "{p}: {}",
                serde_json::to_string_pretty(&v).unwrap()
            ));
        }
    }
    // The entry form showing errors.
    c.goto(&format!("{base}/c/halton/q/2012-13/2/entry/CED"))
        .await
        .unwrap();
    c.find(Locator::Css("#i0-value"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    c.find(Locator::Css("#i0-value"))
        .await
        .unwrap()
        .send_keys("seventy")
        .await
        .unwrap();
    c.find(Locator::Css("form[method=post] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".govuk-error-summary"))
        .await
        .unwrap();
    let v = axe(c, &source).await;
    if !v.is_empty() {
        failures.push(format!(
            "entry with errors: {}",
            serde_json::to_string_pretty(&v).unwrap()
        ));
    }
    browser.close().await;
    assert!(
        failures.is_empty(),
        "axe found WCAG 2.2 AA violations:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_enters_a_quarter_by_keyboard_corrects_an_error_and_sees_the_new_status() {
    let (base, _db) = serve().await;
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&format!("{base}/c/halton/q/2012-13/2/entry/CED"))
        .await
        .unwrap();

    // Keyboard only: Tab from the top reaches every control of the form, in order.
    let controls: Vec<String> = c
        .execute(
            "return [...document.querySelectorAll('form[method=post] input, form[method=post] select, form[method=post] textarea, form[method=post] button')].map(e => e.id || 'submit');",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
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
        let is_submit = c.execute("return document.activeElement.type === 'submit' && document.activeElement.closest('form[method=post]') !== null;", vec![]).await.unwrap() == json!(true);
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
        in_order.len(),
        controls.len(),
        "Tab reaches every control of the form: reached {in_order:?}"
    );

    // Fill in by keyboard: choose the officer, type a bad value, press Enter.
    let officer = c.find(Locator::Css("#officer")).await.unwrap();
    officer.send_keys("Steve").await.unwrap();
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
        summary.contains("Enter the value of SCS CYP09 as a number"),
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

    // Follow the error link by keyboard to the field, correct it and submit.
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

    // The dashboard shows the new status with its reason.
    let row = text_of_row(
        c,
        "Percentage of educational settings with overall effectiveness",
    )
    .await;
    assert!(row.contains("SCS CYP09") && row.contains("Green"), "{row}");
    assert!(row.contains("85% against a target of 84%"), "{row}");
    let url = c.current_url().await.unwrap();
    assert!(
        url.as_str()
            .ends_with("/c/halton/q/2012-13/2?unit=CED&saved=1"),
        "{url}"
    );
    browser.close().await;
}
