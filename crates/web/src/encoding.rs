//! Which content coding a client accepts: brotli, gzip or none, from its `Accept-Encoding`
//! header (RFC 9110 §12.5.3, with q-values). Written by hand because tower-http keeps its
//! negotiation private and the stored assets and page cache need the same answer it gives.

use axum::http::{HeaderMap, HeaderValue, header};

/// A content coding Beacon sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The `Content-Encoding` value, if the body is encoded.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Coding::Brotli => Some(HeaderValue::from_static("br")),
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Identity => None,
        }
    }
}

/// The coding to send: the client's most preferred of brotli and gzip (brotli on a tie), or
/// none if it accepts neither. A malformed q-value counts as 0 for that coding.
pub fn preferred(headers: &HeaderMap) -> Coding {
    let mut br: Option<f32> = None;
    let mut gzip: Option<f32> = None;
    let mut any: Option<f32> = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| {
                    let (k, v) = p.trim().split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| v.trim().parse::<f32>().unwrap_or(0.0))
                })
                .unwrap_or(1.0);
            match name.as_str() {
                "br" => br = Some(q),
                "gzip" | "x-gzip" => gzip = Some(q),
                "*" => any = Some(q),
                _ => {}
            }
        }
    }
    let br = br.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if br > 0.0 && br >= gzip {
        Coding::Brotli
    } else if gzip > 0.0 {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn of(value: &str) -> Coding {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        preferred(&h)
    }

    #[test]
    fn picks_what_the_client_prefers() {
        assert_eq!(preferred(&HeaderMap::new()), Coding::Identity);
        assert_eq!(of("gzip, deflate, br, zstd"), Coding::Brotli);
        assert_eq!(of("gzip"), Coding::Gzip);
        assert_eq!(of("br;q=0.5, gzip;q=0.8"), Coding::Gzip);
        assert_eq!(of("br;q=0, gzip;q=0"), Coding::Identity);
        assert_eq!(of("identity"), Coding::Identity);
        assert_eq!(of("*"), Coding::Brotli);
        assert_eq!(of("*;q=0.1, br;q=0"), Coding::Gzip);
        assert_eq!(of("GZIP;Q=1"), Coding::Gzip);
        assert_eq!(of("br;q=nonsense"), Coding::Identity);
    }
}
