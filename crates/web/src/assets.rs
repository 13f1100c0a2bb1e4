//! The stylesheet and script compiled into the binary by build.rs (GOV.UK Frontend, pinned),
//! each under a URL that carries its content hash, stored three ways (as is, brotli, gzip) and
//! served in the one the client prefers. Since the URL changes whenever the bytes do, browsers
//! may keep them for a year without asking again; an old or unknown hash is simply not found.

use crate::encoding::{Coding, preferred};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/assets_manifest.rs"));

/// One asset in each of its stored forms.
struct Asset {
    media_type: &'static str,
    plain: &'static [u8],
    brotli: &'static [u8],
    gzip: &'static [u8],
}

static CSS: Asset = Asset {
    media_type: "text/css; charset=utf-8",
    plain: include_bytes!(concat!(env!("OUT_DIR"), "/beacon.css")),
    brotli: include_bytes!(concat!(env!("OUT_DIR"), "/beacon.css.br")),
    gzip: include_bytes!(concat!(env!("OUT_DIR"), "/beacon.css.gz")),
};

static JS: Asset = Asset {
    media_type: "text/javascript; charset=utf-8",
    plain: include_bytes!(concat!(env!("OUT_DIR"), "/govuk-frontend.min.js")),
    brotli: include_bytes!(concat!(env!("OUT_DIR"), "/govuk-frontend.min.js.br")),
    gzip: include_bytes!(concat!(env!("OUT_DIR"), "/govuk-frontend.min.js.gz")),
};

/// Fingerprinted: the bytes behind a URL never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn serve(asset: &'static Asset, headers: &HeaderMap) -> Response {
    let coding = preferred(headers);
    let body = match coding {
        Coding::Brotli => asset.brotli,
        Coding::Gzip => asset.gzip,
        Coding::Identity => asset.plain,
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, asset.media_type),
            (header::CACHE_CONTROL, IMMUTABLE),
            (header::VARY, "accept-encoding"),
        ],
        body,
    )
        .into_response();
    if let Some(encoding) = coding.header() {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, encoding);
    }
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    response
}

pub async fn css(headers: HeaderMap) -> Response {
    serve(&CSS, &headers)
}

pub async fn js(headers: HeaderMap) -> Response {
    serve(&JS, &headers)
}
