//! Limits on hostile files, checked before a workbook is unpacked: the file's size, the number
//! of entries in the zip archive, each entry's declared and real size, and its path. Nothing is
//! ever written to disk: entries are read through a counting sink and thrown away.

use crate::sheets::problem::SheetError;
use std::io::{Cursor, Read};

/// The limits a spreadsheet must keep to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file itself, in bytes.
    pub max_file_bytes: u64,
    /// Entries in the zip archive (an XLSX holds about a dozen).
    pub max_entries: usize,
    /// Any one entry, unpacked, in bytes.
    pub max_entry_bytes: u64,
    /// All entries together, unpacked, in bytes.
    pub max_total_bytes: u64,
    /// How many times larger than packed an entry may be (deflate tops out near 1,032).
    pub max_ratio: u64,
    /// Rows read from one sheet or CSV file.
    pub max_rows: usize,
    /// Columns read from one sheet (a cell beyond is reported, not read).
    pub max_columns: u32,
    /// Non-empty cells in the whole workbook.
    pub max_cells: usize,
    /// Text in the whole workbook, in bytes, counting a shared string once for every cell that
    /// uses it: what the cells come to once read, so a small file of one long string used by
    /// thousands of cells is refused rather than expanded.
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 * 1024 * 1024,
            max_entries: 1_000,
            max_entry_bytes: 256 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            max_ratio: 1_000,
            max_rows: 250_000,
            max_columns: 200,
            max_cells: 5_000_000,
            max_text_bytes: 64 * 1024 * 1024,
        }
    }
}

/// True if a path inside an archive is safe to name: relative, no `..`, no drive or NUL.
fn safe_path(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.starts_with('\\')
        && !name.contains('\0')
        && !name.contains(':')
        && !name.split(['/', '\\']).any(|part| part == "..")
}

/// Checks an XLSX file (a zip archive) against the limits without unpacking it anywhere:
/// first the central directory (entry count, declared sizes, paths, compression ratio), then
/// each entry is inflated into a counting sink to prove it is no larger than it declares and its
/// checksum holds.
pub fn check_xlsx(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let len = bytes.len() as u64;
    if len > limits.max_file_bytes {
        return Err(SheetError::Refused(format!(
            "the file is {len} bytes; a workbook may be at most {} bytes",
            limits.max_file_bytes
        )));
    }
    if !bytes.starts_with(b"PK") {
        return Err(SheetError::Unreadable(
            "this is not an XLSX workbook: an XLSX file is a zip archive and this one does not start like one (an older .xls or another format? save it as .xlsx or CSV)".into(),
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        SheetError::Unreadable(format!(
            "this is not a readable XLSX workbook (the zip archive is damaged or cut short: {e})"
        ))
    })?;
    if zip.len() > limits.max_entries {
        return Err(SheetError::Refused(format!(
            "the archive holds {} entries; a workbook may hold at most {}",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut total: u64 = 0;
    let mut declared = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| {
            SheetError::Unreadable(format!("entry {i} of the archive cannot be read: {e}"))
        })?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if !safe_path(&name) || entry.enclosed_name().is_none() {
            return Err(SheetError::Refused(format!(
                "the archive names a path {name:?} that points outside the workbook; refused"
            )));
        }
        if entry.encrypted() {
            return Err(SheetError::Refused(format!(
                "entry {name:?} is encrypted; remove the workbook's password and save it again"
            )));
        }
        let size = entry.size();
        if size > limits.max_entry_bytes {
            return Err(SheetError::Refused(format!(
                "entry {name:?} unpacks to {size} bytes; an entry may be at most {}",
                limits.max_entry_bytes
            )));
        }
        let packed = entry.compressed_size().max(1);
        if size / packed > limits.max_ratio {
            return Err(SheetError::Refused(format!(
                "entry {name:?} unpacks to {} times its packed size; at most {} is allowed (a zip bomb?)",
                size / packed,
                limits.max_ratio
            )));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(SheetError::Refused(format!(
                "the archive unpacks to more than {} bytes in all; refused",
                limits.max_total_bytes
            )));
        }
        declared.push((name, size));
    }
    let mut buf = vec![0u8; 64 * 1024];
    for (i, (name, size)) in declared.iter().enumerate() {
        let entry = zip.by_index(i).map_err(|e| {
            SheetError::Unreadable(format!("entry {name:?} cannot be unpacked: {e}"))
        })?;
        // One byte more than declared is enough to prove a lie.
        let mut limited = entry.take(size.saturating_add(1));
        let mut seen: u64 = 0;
        loop {
            match limited.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => seen += n as u64,
                Err(e) => {
                    return Err(SheetError::Unreadable(format!(
                        "entry {name:?} is damaged and cannot be unpacked: {e}"
                    )));
                }
            }
        }
        if seen > *size {
            return Err(SheetError::Refused(format!(
                "entry {name:?} unpacks to more than the {size} bytes it declares; refused"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_archive_are_unsafe() {
        for bad in [
            "/etc/passwd",
            "../x",
            "a/../../x",
            "xl/..\\..\\x",
            "C:/x",
            "",
            "a\0b",
        ] {
            assert!(!safe_path(bad), "{bad:?}");
        }
        for good in ["xl/workbook.xml", "[Content_Types].xml", "docProps/app.xml"] {
            assert!(safe_path(good), "{good:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_zip_before_anything_else() {
        assert!(matches!(
            check_xlsx(b"hello", &Limits::default()),
            Err(SheetError::Unreadable(_))
        ));
        let big = vec![b'P'; 100];
        let small = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            check_xlsx(&big, &small),
            Err(SheetError::Refused(_))
        ));
    }
}
