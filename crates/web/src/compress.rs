//! Compression of responses, negotiated by `Accept-Encoding` (brotli or gzip). A finished
//! response of text (pages, JSON, CSV) is compressed once and the result kept, keyed by a
//! 128-bit keyed hash of the exact bytes it came from (two SipHashes under random keys drawn at
//! start, so no one can make two bodies collide, and by chance it would take about 2^64 kept
//! bodies): a page is the same bytes for the same viewer until its data changes, so repeated
//! requests cost a hash instead of a compression. Only the compressed bytes are kept, not the
//! plain ones. Bodies too large to keep, or streamed, are compressed on the way out by
//! tower-http's layer.

use crate::encoding::{Coding, preferred};
use axum::body::{Body, Bytes, HttpBody, to_bytes};
use axum::extract::Request;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Bodies up to this size are compressed here and kept; larger ones stream through
/// tower-http's layer.
const MAX_KEPT_BODY: u64 = 2 * 1024 * 1024;
/// Bodies smaller than this go out as they are: compression would save less than a packet.
const MIN_COMPRESSED_BODY: usize = 1024;
/// The most compressed bytes kept; past it the store starts again. A compressed page is
/// 2-10 KB, so this keeps about a thousand (pages differ per viewer: the form token).
const MAX_KEPT_BYTES: usize = 8 * 1024 * 1024;
/// Brotli's quality for pages (of 0–11): close to the best size at a fraction of the time.
const BROTLI_QUALITY: i32 = 5;

/// Whether a content type is worth compressing: text, JSON, JavaScript, SVG and XML. Office
/// files, PDFs, images and zips are compressed already.
pub fn compressible(headers: &HeaderMap) -> bool {
    let Some(t) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let t = t.trim_start().to_ascii_lowercase();
    t.starts_with("text/")
        || t.starts_with("application/json")
        || t.starts_with("application/javascript")
        || t.starts_with("application/xml")
        || t.starts_with("image/svg+xml")
}

/// tower-http's compression layer, for the compressible responses [`compress`] leaves alone.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let text = |_: StatusCode, _: Version, h: &HeaderMap, _: &Extensions| compressible(h);
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(DefaultPredicate::new().and(text))
}

/// Each kept compressed body by the hash of its plain bytes and its coding.
type KeptBodies = HashMap<(u128, Coding), Bytes>;

/// Compressed bodies kept by the bytes they came from.
#[derive(Default)]
pub struct Kept {
    /// Two hashers under independent random keys: one 128-bit hash.
    hashers: (RandomState, RandomState),
    /// The compressed bytes kept in all, and the bodies.
    entries: Mutex<(usize, KeptBodies)>,
    /// One compression at a time of each body: when a new page goes out to many requests at
    /// once (just after a save), one compresses it and the others wait for its bytes, rather
    /// than each compressing the same bytes on the same two cores.
    compressing: crate::flight::Flights,
}

impl Kept {
    /// The body in the coding, compressed now or earlier.
    async fn get(&self, coding: Coding, plain: &Bytes) -> Option<Bytes> {
        let hash = (u128::from(self.hashers.0.hash_one(plain.as_ref())) << 64)
            | u128::from(self.hashers.1.hash_one(plain.as_ref()));
        let key = (hash, coding);
        if let Some(packed) = self.kept(&key) {
            return Some(packed);
        }
        let _turn = self.compressing.turn(&format!("{hash:x}{coding:?}")).await;
        if let Some(packed) = self.kept(&key) {
            return Some(packed);
        }
        let packed = Bytes::from(encode(coding, plain)?);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.0 + packed.len() > MAX_KEPT_BYTES {
                *entries = (0, HashMap::new());
            }
            entries.0 += packed.len();
            if let Some(old) = entries.1.insert(key, packed.clone()) {
                entries.0 -= old.len();
            }
        }
        Some(packed)
    }
}

impl Kept {
    fn kept(&self, key: &(u128, Coding)) -> Option<Bytes> {
        self.entries.lock().ok()?.1.get(key).cloned()
    }
}

/// The body compressed in the coding; `None` for identity or if the encoder failed.
fn encode(coding: Coding, plain: &[u8]) -> Option<Vec<u8>> {
    match coding {
        Coding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY,
                ..Default::default()
            };
            let mut out = Vec::with_capacity(plain.len() / 4);
            brotli::BrotliCompress(&mut &plain[..], &mut out, &params).ok()?;
            Some(out)
        }
        Coding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(plain.len() / 4),
                flate2::Compression::default(),
            );
            encoder.write_all(plain).ok()?;
            encoder.finish().ok()
        }
        Coding::Identity => None,
    }
}

/// Compresses a finished text response of known, moderate size in the client's preferred
/// coding, from the kept bodies when it has been sent before.
pub async fn compress(kept: Arc<Kept>, req: Request, next: Next) -> Response {
    let coding = preferred(req.headers());
    let response = next.run(req).await;
    if response.headers().contains_key(header::CONTENT_ENCODING)
        || !compressible(response.headers())
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let size = body.size_hint().exact();
    if coding == Coding::Identity || size.is_none_or(|s| s > MAX_KEPT_BODY) {
        return Response::from_parts(parts, body);
    }
    let Ok(plain) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if plain.len() < MIN_COMPRESSED_BODY {
        return Response::from_parts(parts, Body::from(plain));
    }
    match kept.get(coding, &plain).await {
        Some(packed) => {
            if let Some(value) = coding.header() {
                parts.headers.insert(header::CONTENT_ENCODING, value);
            }
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(packed))
        }
        None => Response::from_parts(parts, Body::from(plain)),
    }
}
