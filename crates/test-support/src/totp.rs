//! TOTP codes computed by the tests themselves (RFC 6238 over RFC 4226's HMAC-SHA1 and
//! dynamic truncation), independently of the `totp-rs` crate Beacon uses, so a test that signs
//! in with a code checks Beacon's codes against the RFC rather than against itself.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// RFC 4226's HOTP value of `key` at `counter`, `digits` long.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    format!(
        "{:0width$}",
        bin % 10u32.pow(digits),
        width = digits as usize
    )
}

/// RFC 6238's TOTP at `unix` seconds: 30-second steps from the epoch.
pub fn totp(key: &[u8], unix: i64, digits: u32) -> String {
    hotp(key, (unix / 30) as u64, digits)
}

/// RFC 4648 base32 (upper or lower case, spaces and padding ignored) to bytes.
pub fn base32(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("a base32 character") as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// The six-digit code an authenticator app shows at `unix` for a base32 secret.
pub fn code(secret_base32: &str, unix: i64) -> String {
    totp(&base32(secret_base32), unix, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, the SHA-1 rows.
    #[test]
    fn the_rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(totp(key, t, 8), want, "T = {t}");
        }
        assert_eq!(base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), key);
        assert_eq!(
            code("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ", 59),
            "287082"
        );
    }
}
