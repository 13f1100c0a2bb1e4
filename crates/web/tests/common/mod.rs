//! What the web tests share: a client that keeps cookies and the form token like a browser,
//! the example council with one user per role, and a form reader for Beacon's own markup.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beacon_app::access::{Grant, Role};
use beacon_app::accounts;
use beacon_test_support::TempDb;
use http_body_util::BodyExt;
use std::collections::HashMap;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";
pub const ORIGIN: &str = "http://localhost";

/// The users every web test has, on the example council: (username, role, unit).
pub const USERS: [(&str, Role, Option<&str>); 5] = [
    ("admin", Role::Administrator, None),
    ("performance", Role::PerformanceOfficer, None),
    ("contributor", Role::Contributor, Some("CED")),
    ("approver", Role::Approver, Some("CED")),
    ("councillor", Role::Councillor, None),
];

/// Adds the users of [`USERS`].
pub async fn add_users(db: &TempDb) {
    for (name, role, unit) in USERS {
        add_user(db, name, role, "halton", unit).await;
    }
}

/// Adds one user, called "Test {name}", with [`PASSWORD`] and one role.
pub async fn add_user(db: &TempDb, name: &str, role: Role, council: &str, unit: Option<&str>) {
    let grant = Grant {
        role,
        council: council.parse().unwrap(),
        unit: unit.map(|u| u.parse().unwrap()),
    };
    accounts::add_user(
        &db.store,
        name,
        &format!("Test {name}"),
        PASSWORD,
        vec![grant],
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
}

/// The example council with its users.
pub async fn halton_with_users() -> TempDb {
    let db = TempDb::with_halton().await;
    add_users(&db).await;
    db
}

/// Loads the example's synthetic national set (examples/national) into the database and
/// links Halton to its code, as `beacon demo` does; the set to give the app in its options.
pub async fn load_national(db: &TempDb) -> beacon_national::NationalDb {
    let national = beacon_national::NationalDb::Sqlite(db.pool().clone());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/national");
    let files = ["register.csv", "indicators.csv", "values.csv"].map(|f| dir.join(f));
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    beacon_national::load(&national, &paths, beacon_national::Progress::Hidden)
        .await
        .unwrap();
    beacon_national::load_groups(
        &national,
        &dir.join("groups.csv"),
        beacon_national::Progress::Hidden,
    )
    .await
    .unwrap();
    national.link("halton", "E06000006", false).await.unwrap();
    national
}

/// A response as a test looks at it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub body: String,
    pub bytes: Vec<u8>,
    pub location: Option<String>,
}

/// A browser without the browser: keeps cookies, sends Host and Origin, and carries the
/// last form token it saw.
#[derive(Clone)]
pub struct Client {
    pub app: axum::Router,
    pub cookies: HashMap<String, String>,
    pub token: Option<String>,
}

impl Client {
    pub fn new(app: &axum::Router) -> Client {
        Client {
            app: app.clone(),
            cookies: HashMap::new(),
            token: None,
        }
    }

    /// A client signed in as `username` (with [`PASSWORD`]).
    pub async fn signed_in(app: &axum::Router, username: &str) -> Client {
        let mut c = Client::new(app);
        let p = c.sign_in(username, PASSWORD).await;
        assert_eq!(
            p.status,
            StatusCode::SEE_OTHER,
            "{username} signs in: {}",
            p.body
        );
        c
    }

    pub async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        self.get("/sign-in").await;
        self.post(
            "/sign-in",
            &[
                ("username".into(), username.into()),
                ("password".into(), password.into()),
            ],
        )
        .await
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, req: Request<Body>) -> Page {
        let res = self.app.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = String::from_utf8_lossy(&bytes).to_string();
        if let Some(t) = token_in(&body) {
            self.token = Some(t);
        }
        Page {
            status,
            body,
            bytes,
            location,
        }
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost")
            .header(header::COOKIE, self.cookie_header())
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// Posts a form as this site's page would: with the form token and this site's Origin.
    pub async fn post(&mut self, path: &str, form: &[(String, String)]) -> Page {
        let mut fields: Vec<(String, String)> = form.to_vec();
        if !fields.iter().any(|(k, _)| k == "csrf_token") {
            fields.push(("csrf_token".into(), self.token.clone().unwrap_or_default()));
        }
        self.post_raw(path, &fields, Some(ORIGIN)).await
    }

    /// Uploads one file to an entry page's workbook form (`{entry}/workbook`), multipart as
    /// the page sends it, with the version of the quarter the page showed.
    pub async fn upload(&mut self, entry: &str, name: &str, bytes: &[u8], version: &str) -> Page {
        let boundary = "beacon-test-boundary";
        let mut body = Vec::new();
        for (field, value) in [
            ("csrf_token", self.token.clone().unwrap_or_default()),
            ("version", version.to_string()),
        ] {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = self
            .request("POST", &format!("{entry}/workbook"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ORIGIN, ORIGIN)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts exactly these fields with this Origin (none: no Origin header).
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(String, String)],
        origin: Option<&str>,
    ) -> Page {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }
}

/// Whether a response sends the browser to sign in: the session it carried is over.
pub fn signed_out(p: &Page) -> bool {
    p.status == StatusCode::SEE_OTHER
        && p.location
            .as_deref()
            .is_some_and(|l| l.starts_with("/sign-in"))
}

/// The form token a page carries.
pub fn token_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[at..].find('"')? + at;
    let t = &html[at..end];
    (!t.is_empty()).then(|| t.to_string())
}

pub fn urlencode(s: &str) -> String {
    beacon_web::paths::seg(s)
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The fields a browser would submit from the first form with `action`: inputs, selected
/// options and textareas. Written for Beacon's own markup, to post a whole form as a person
/// would.
pub fn form_fields_of(html: &str, action: &str) -> Vec<(String, String)> {
    let marker = format!("action=\"{action}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no form posts to {action}"));
    let end = html[start..]
        .find("</form>")
        .map_or(html.len(), |e| e + start);
    form_fields(&html[start..end])
}

/// Every field of every form of a page.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<input ").skip(1) {
        let tag = &part[..part.find('>').unwrap_or(part.len())];
        if tag.contains("type=\"file\"") {
            continue;
        }
        // As a browser sends it: a checkbox or radio only when it is ticked.
        let tickable = tag.contains("type=\"checkbox\"") || tag.contains("type=\"radio\"");
        if tickable && !tag.contains(" checked") {
            continue;
        }
        if let Some(name) = attr(tag, "name") {
            out.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    for part in html.split("<select ").skip(1) {
        let end = part.find("</select>").unwrap_or(part.len());
        let body = &part[..end];
        let tag = &body[..body.find('>').unwrap_or(body.len())];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        let selected = body
            .split("<option ")
            .skip(1)
            .find(|o| o[..o.find('>').unwrap_or(o.len())].contains(" selected"))
            .and_then(|o| {
                attr(
                    &format!(" {}", &o[..o.find('>').unwrap_or(o.len())]),
                    "value",
                )
            })
            .unwrap_or_default();
        out.push((name, selected));
    }
    for part in html.split("<textarea ").skip(1) {
        let tag_end = part.find('>').unwrap_or(part.len());
        let Some(name) = attr(&part[..tag_end], "name") else {
            continue;
        };
        let end = part.find("</textarea>").unwrap_or(part.len());
        out.push((name, unescape(&part[tag_end + 1..end])));
    }
    out
}

/// The form as shown, with some fields changed.
pub fn with(mut fields: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in changes {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(f) => f.1 = (*v).to_string(),
            None => fields.push(((*k).to_string(), (*v).to_string())),
        }
    }
    fields
}

/// Fills in a form as a person would: the fields of the form posting to `action` on the page at
/// `form` (its token and what it shows), with the changes typed over them, posted.
pub async fn fill(c: &mut Client, form: &str, action: &str, changes: &[(&str, &str)]) -> Page {
    let page = c.get(form).await;
    assert_eq!(page.status, StatusCode::OK, "{form}: {}", page.body);
    let fields = with(form_fields_of(&page.body, action), changes);
    c.post(action, &fields).await
}

/// The example council's ref.
pub fn halton() -> beacon_domain::organisation::CouncilRef {
    "halton".parse().unwrap()
}
