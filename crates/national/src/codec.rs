//! The packed arrays of a stored slice: values as little-endian f64 by council slot (NaN where a
//! council has none), places as 4 bytes by slot (rank u16 with 0 for none, quartile u8, flags u8
//! with bit 0 tied), group means as 12 bytes by group id (mean f64, NaN for none; how many
//! members reported, u32). Written by hand: a fixed little-endian layout both databases store
//! as bytes, read a slot at a time with `substr`.

use crate::position::Place;

pub const VALUE_BYTES: usize = 8;
pub const PLACE_BYTES: usize = 4;
pub const GROUP_BYTES: usize = 12;

pub fn encode_values(values: &[f64], out: &mut Vec<u8>) {
    out.reserve(values.len() * VALUE_BYTES);
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

pub fn decode_values(bytes: &[u8]) -> Vec<f64> {
    bytes.chunks_exact(VALUE_BYTES).map(decode_value).collect()
}

/// One value; None for NaN or a short slice.
pub fn value_at(bytes: &[u8]) -> Option<f64> {
    (bytes.len() == VALUE_BYTES)
        .then(|| decode_value(bytes))
        .filter(|v| !v.is_nan())
}

fn decode_value(b: &[u8]) -> f64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    f64::from_le_bytes(a)
}

pub fn encode_places(places: &[Option<Place>], out: &mut Vec<u8>) {
    out.reserve(places.len() * PLACE_BYTES);
    for p in places {
        match p {
            Some(p) => {
                out.extend_from_slice(&p.rank.to_le_bytes());
                out.push(p.quartile);
                out.push(u8::from(p.tied));
            }
            None => out.extend_from_slice(&[0, 0, 0, 0]),
        }
    }
}

/// One place; None where the council had no value or the bytes are short.
pub fn place_at(b: &[u8]) -> Option<Place> {
    if b.len() != PLACE_BYTES {
        return None;
    }
    let rank = u16::from_le_bytes([b[0], b[1]]);
    (rank > 0).then_some(Place {
        rank,
        quartile: b[2],
        tied: b[3] & 1 == 1,
    })
}

pub fn encode_group(mean: Option<(f64, u32)>, out: &mut Vec<u8>) {
    let (m, n) = mean.unwrap_or((f64::NAN, 0));
    out.extend_from_slice(&m.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
}

/// One group's mean and how many members reported.
pub fn group_at(b: &[u8]) -> Option<(f64, u32)> {
    if b.len() != GROUP_BYTES {
        return None;
    }
    let m = decode_value(&b[..8]);
    let n = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
    (!m.is_nan()).then_some((m, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_read_back_slot_by_slot() {
        let mut b = Vec::new();
        encode_values(&[1.5, f64::NAN, -3.0], &mut b);
        assert_eq!(value_at(&b[0..8]), Some(1.5));
        assert_eq!(value_at(&b[8..16]), None);
        assert_eq!(value_at(&b[16..24]), Some(-3.0));
        let mut p = Vec::new();
        let place = Place {
            rank: 300,
            quartile: 4,
            tied: true,
        };
        encode_places(&[None, Some(place)], &mut p);
        assert_eq!(place_at(&p[0..4]), None);
        assert_eq!(place_at(&p[4..8]), Some(place));
        let mut g = Vec::new();
        encode_group(Some((2.5, 7)), &mut g);
        assert_eq!(group_at(&g), Some((2.5, 7)));
    }
}
