//! The Content-Security-Policy every response carries, and the small files that let pages keep
//! to it: no inline script or style anywhere. The council's colour is a stylesheet generated
//! per colour (`/assets/colour/1d70b8.css`); GOV.UK Frontend's "JavaScript is on" marker and
//! its start-up are two scripts of their own. With the policy, browsers also refuse to frame
//! Beacon's pages on other sites and turn off device features Beacon never uses.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Scripts, styles, images, fonts, frames and forms from this site only; nothing embedded
/// elsewhere; no plugins; no `<base>` rewriting.
pub const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'";

/// Published and downloaded files (a report's own HTML carries its styles inline): styles and
/// images only, never a script, framed only by this site.
pub const FILE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'self'";

/// Device features no Beacon page uses, turned off.
pub const PERMISSIONS: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/// Two years, subdomains included: sent only when the public origin is https.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Where a colour's stylesheet is: `#1D70B8` → `/assets/colour/1d70b8.css`; a colour that is
/// not `#rrggbb` gets GOV.UK black.
pub fn colour_url(colour: &str) -> String {
    let hex = colour
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or("0b0c0c");
    format!("/assets/colour/{}.css", hex.to_ascii_lowercase())
}

/// Marks the page as having JavaScript, before it is drawn (GOV.UK Frontend's snippet).
pub const INIT_URL: &str = "/assets/beacon/init.js";
const INIT: &str = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');\n";
/// Starts GOV.UK Frontend's components.
pub const START_URL: &str = "/assets/beacon/start.js";
/// Follows a budget statement's form as the officer types (`pages::statement_edit`).
pub const BUDGET_URL: &str = "/assets/beacon/budget.js";
const BUDGET: &str = include_str!("budget.js");

fn cached(media_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `/assets/colour/{rrggbb}.css`: the header in the council's colour.
pub async fn colour(Path(file): Path<String>) -> Response {
    let hex = file
        .strip_suffix(".css")
        .filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    match hex {
        Some(h) => cached(
            "text/css; charset=utf-8",
            format!(".govuk-header {{ background-color: #{h}; border-bottom-color: #{h}; }}\n"),
        ),
        None => crate::error::WebError::NotFound.into_response(),
    }
}

/// `/assets/beacon/{init,start,budget}.js`.
pub async fn script(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "init.js" => cached("text/javascript; charset=utf-8", INIT.to_string()),
        "budget.js" => cached("text/javascript; charset=utf-8", BUDGET.to_string()),
        "start.js" => {
            // GOV.UK Frontend's script, wherever the route registry serves it.
            let frontend = crate::routes::ROUTES
                .iter()
                .find(|r| r.name == "js")
                .map_or("/assets/govuk-frontend.min.js", |r| r.path);
            cached(
                "text/javascript; charset=utf-8",
                format!("import {{ initAll }} from '{frontend}';\ninitAll();\n"),
            )
        }
        _ => crate::error::WebError::NotFound.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_hex_colour_names_a_stylesheet() {
        assert_eq!(colour_url("#1D70B8"), "/assets/colour/1d70b8.css");
        assert_eq!(
            colour_url("red;} body {display:none"),
            "/assets/colour/0b0c0c.css"
        );
        assert_eq!(colour_url("#12345"), "/assets/colour/0b0c0c.css");
    }
}
