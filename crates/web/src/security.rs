//! Security events, logged as structured `tracing` events under the target `beacon::security`
//! with an `event` field: sign-ins (succeeded, refused, throttled), CSRF refusals, refusals
//! for want of permission (403), bodies too large and requests too slow. They name the path,
//! the client's address and the username typed (cut to what a username can hold), never a
//! password, a session or form token, or a cookie. The log format (text or JSON) is the
//! operator's choice; see docs/security.md.

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, Uri, header};
use beacon_domain::text::{control_character, refusal};
use std::net::{IpAddr, SocketAddr};

const TARGET: &str = "beacon::security";

/// The address a request came from, when the server knows it.
pub(crate) fn client_of(req: &Request) -> Option<IpAddr> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| *a)?;
    Some(client_address(peer, req.headers()))
}

/// The client's address: the connection's, or, when the connection comes from this machine
/// (a reverse proxy on loopback, as docs/deployment.md sets up), the last address the proxy
/// added to `X-Forwarded-For`. Nobody off the machine can choose it.
pub(crate) fn client_address(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if !peer.ip().is_loopback() {
        return peer.ip();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|a| a.trim().parse().ok())
        .unwrap_or(peer.ip())
}

/// A username as logged: at most 64 characters, only those a username may hold, so nothing
/// typed into the field can forge a log line or carry a password pasted there in full.
pub(crate) fn username_for_log(typed: &str) -> String {
    typed
        .trim()
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c.to_ascii_lowercase()
            } else {
                '?'
            }
        })
        .collect()
}

fn address(client: Option<IpAddr>) -> String {
    client.map_or_else(|| "unknown".to_string(), |a| a.to_string())
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignInOutcome {
    Succeeded,
    Refused,
    Throttled,
}

pub(crate) fn sign_in(outcome: SignInOutcome, username: &str, client: Option<IpAddr>) {
    let username = username_for_log(username);
    let client = address(client);
    match outcome {
        SignInOutcome::Succeeded => {
            tracing::info!(target: TARGET, event = "sign_in_succeeded", %username, %client, "signed in");
        }
        SignInOutcome::Refused => {
            tracing::warn!(target: TARGET, event = "sign_in_refused", %username, %client, "sign-in refused: wrong name or password, or a disabled account");
        }
        SignInOutcome::Throttled => {
            tracing::warn!(target: TARGET, event = "sign_in_throttled", %username, %client, "sign-in throttled: too many failures");
        }
    }
}

pub(crate) fn csrf_refused(path: &str, client: Option<IpAddr>, why: &'static str) {
    let client = address(client);
    tracing::warn!(target: TARGET, event = "csrf_refused", %path, %client, why, "a state-changing request was refused: not from this site's own form");
}

pub(crate) fn too_large(path: &str, client: Option<IpAddr>, declared: Option<u64>, limit: usize) {
    let client = address(client);
    tracing::warn!(target: TARGET, event = "body_too_large", %path, %client, declared = declared.unwrap_or(0), limit, "a request body was larger than the route takes");
}

pub(crate) fn forbidden(path: &str, client: Option<IpAddr>, username: Option<&str>) {
    let client = address(client);
    let username = username.map_or_else(|| "anonymous".to_string(), username_for_log);
    tracing::warn!(target: TARGET, event = "forbidden", %path, %client, %username, "refused for want of permission");
}

/// Why a request's address holds a control character Beacon does not store (`%00` and the
/// like, in the path or the query), if it does.
pub(crate) fn control_in_uri(uri: &Uri) -> Option<String> {
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy();
    if let Some(c) = control_character(&path) {
        return Some(refusal(c, "The web address"));
    }
    let query = uri.query().unwrap_or("");
    form_urlencoded::parse(query.as_bytes()).find_map(|(k, v)| {
        control_character(&k)
            .or_else(|| control_character(&v))
            .map(|c| refusal(c, &format!("The web address's {k:?}")))
    })
}

/// Why a form holds a control character Beacon does not store, naming the field, if it does.
/// Files uploaded in a multipart form are left to their readers (a workbook is binary).
pub(crate) async fn control_in_form(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body).find_map(|(k, v)| {
            control_character(&k)
                .or_else(|| control_character(&v))
                .map(|c| refusal(c, &format!("The field {k:?}")))
        });
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type).ok()?;
        let bytes = axum::body::Bytes::copy_from_slice(body);
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.file_name().is_some() {
                continue;
            }
            let name = field.name().unwrap_or("").to_string();
            if let Ok(text) = field.text().await
                && let Some(c) = control_character(&name).or_else(|| control_character(&text))
            {
                return Some(refusal(c, &format!("The field {name:?}")));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_in_the_log_cannot_forge_a_line_or_carry_a_long_secret() {
        assert_eq!(username_for_log(" Bob "), "bob");
        assert_eq!(
            username_for_log("bob\nevent=sign_in_succeeded"),
            "bob?event?sign_in_succeeded"
        );
        assert_eq!(username_for_log(&"x".repeat(500)).len(), 64);
    }
}
