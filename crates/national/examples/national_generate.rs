//! Writes the deterministic synthetic set (as `beacon national generate` does):
//! `national_generate COUNCILS INDICATORS PERIODS OUT.csv`.

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [c, i, p, out] = args.as_slice() else {
        return Err("usage: national_generate COUNCILS INDICATORS PERIODS OUT.csv".into());
    };
    let n = |s: &String| s.parse::<u32>().map_err(|e| format!("{s}: {e}"));
    let f = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    let rows = beacon_national::generate::write_tidy(&mut w, n(c)?, n(i)?, n(p)?, 1)
        .and_then(|rows| std::io::Write::flush(&mut w).map(|()| rows))
        .map_err(|e| format!("{out}: {e}"))?;
    println!("wrote {rows} values to {out}");
    Ok(())
}
