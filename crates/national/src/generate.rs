//! A deterministic synthetic national set in the peer's tidy CSV shape
//! (`council,indicator,period,value`, integer ids), for benchmarks and tests. The value follows
//! the peer's formula (`50 + 30·sin(0.7·i + 0.13·c) + 0.05·q + noise`) with the noise from a
//! fixed-seed generator in place of the peer's `random()`, rounded to 2 decimals, so the same
//! arguments always write the same file.

use std::io::Write;

/// SplitMix64: a tiny, well-known generator; enough for reproducible noise (written by hand to
/// keep the generator free of a dependency whose stream might change between versions).
struct SplitMix(u64);

impl SplitMix {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes `councils × indicators × periods` rows, council-major as the peer's DuckDB does.
pub fn write_tidy(
    out: &mut impl Write,
    councils: u32,
    indicators: u32,
    periods: u32,
    seed: u64,
) -> std::io::Result<u64> {
    let mut rng = SplitMix(seed);
    out.write_all(b"council,indicator,period,value\n")?;
    let mut n = 0;
    for c in 0..councils {
        for i in 0..indicators {
            let base = 50.0 + 30.0 * (f64::from(i) * 0.7 + f64::from(c) * 0.13).sin();
            for q in 0..periods {
                let v = base + f64::from(q) * 0.05 + rng.next_f64() * 10.0;
                writeln!(out, "{c},{i},{q},{:.2}", v)?;
                n += 1;
            }
        }
    }
    Ok(n)
}
