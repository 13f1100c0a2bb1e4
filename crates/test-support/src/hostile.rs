//! Hostile files built in the test that uses them, never committed as binaries: a small XLSX
//! whose one long shared string is used by thousands of cells (the shared-string memory bomb).

use std::io::Write;

/// An XLSX workbook of one sheet, "Bomb", whose cells `A1` to `A{cells}` all use one shared
/// string of `len` bytes. It packs to a few kilobytes and every zip limit passes it; read
/// naively, it comes to `len × cells` bytes of text.
pub fn shared_string_bomb(len: usize, cells: usize) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=cells {
        sheet.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    // Counting words, so the string packs at a modest ratio the zip checks let through.
    let mut long = String::with_capacity(len + 16);
    let mut n = 0u64;
    while long.len() < len {
        long.push_str(&format!("{n} "));
        n += 1;
    }
    long.truncate(len);
    let strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{cells}" uniqueCount="1"><si><t>{long}</t></si></sst>"#
    );
    let entries: [(&str, &str); 6] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Bomb" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
        ("xl/sharedStrings.xml", &strings),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in entries {
        zip.start_file(name, options).expect("a zip entry starts");
        zip.write_all(text.as_bytes())
            .expect("a zip entry is written");
    }
    zip.finish().expect("the zip closes").into_inner()
}

/// Runs SQL straight on a SQLite database file, as someone holding the file could, after
/// dropping the triggers that keep publications frozen and the audit trail append-only.
pub async fn tamper_sqlite(path: &std::path::Path, sql: &'static str) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("the database opens");
    for s in [
        "DROP TRIGGER IF EXISTS publication_files_are_frozen",
        "DROP TRIGGER IF EXISTS publication_files_are_kept",
        "DROP TRIGGER IF EXISTS audit_is_append_only",
        "DROP TRIGGER IF EXISTS audit_rows_are_kept",
        sql,
    ] {
        sqlx::raw_sql(s)
            .execute(&mut conn)
            .await
            .expect("the tampering runs");
    }
    conn.close().await.expect("the database closes");
}
