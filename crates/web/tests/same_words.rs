//! The entry form and the workbook upload are two edges of one use case: the same bad entries,
//! typed on the page or written in the collection file, are refused with the same words, each
//! beside its item and field (on the page) or at its row and column (in the file).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::Store;
use beacon_test_support::TempDb;
use common::{Client, form_fields_of, with};
use std::collections::BTreeMap;

const ENTRY: &str = "/c/halton/q/2012-13/2/entry/CED";

/// The paragraph the example stores about LPI07COP, and only about it.
const LPI07COP_PARAGRAPH: &str = "[[commentary]]\npriority = \"CED-EHS\"\nabout = \"indicators\"\ntext = \"\"\"\nHalton were given a target of 70 full time equivalent vulnerable two year olds take up";

/// The example council with its users, and no commentary yet on LPI07COP (every indicator of
/// the example has some, and commentary already stored satisfies the rule).
async fn halton_without_lpi07cop_commentary() -> TempDb {
    let db = TempDb::new().await;
    let mut sources = beacon_test_support::halton_sources();
    let quarter = sources
        .iter_mut()
        .find(|s| s.name.ends_with("ced-2012-13-q2.toml") && s.name.contains("quarters"))
        .unwrap();
    let start = quarter.text.find(LPI07COP_PARAGRAPH).unwrap();
    let len = quarter.text[start + 1..].find("[[commentary]]").unwrap() + 1;
    let block = quarter.text[start..start + len].to_string();
    assert!(block.contains("refs = [\"LPI07COP\"]"), "{block}");
    quarter.text = quarter.text.replacen(&block, "", 1);
    beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    common::add_users(&db).await;
    db
}

/// The bad entries: (kind, ref, the form's field, the file's column, what is entered).
const BAD: [(&str, &str, &str, &str, &str); 5] = [
    // A percentage above 100.
    ("indicator", "SCS CYP09", "value", "value", "140%"),
    // A negative count.
    ("indicator", "COP LI05", "value", "value", "-3"),
    // Not a number at all.
    ("indicator", "NI075", "value", "value", "seventy"),
    // Half the target: Red, with no commentary.
    ("indicator", "LPI07COP", "comment", "commentary", "50"),
    // Off track, with no commentary.
    ("milestone", "LAS3/3", "comment", "commentary", "off-track"),
];

/// Unescapes what askama escapes, to read a message as a person does.
fn text(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The form's problems, from its error summary: (field name, message).
fn form_problems(html: &str) -> Vec<(String, String)> {
    let list = html
        .split("govuk-error-summary__list")
        .nth(1)
        .unwrap_or_else(|| panic!("no error summary:\n{html}"));
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<li><a href=\"#")
        .skip(1)
        .map(|li| {
            let (field, rest) = li.split_once("\">").unwrap();
            let message = &rest[..rest.find("</a>").unwrap()];
            (field.to_string(), text(message))
        })
        .collect()
}

/// The upload's problems: (row, column, message), from lines such as
/// `ced.csv, row 5, column "value" (I5): …`.
fn file_problems(html: &str) -> Vec<(usize, String, String)> {
    let list = html
        .split("beacon-problems\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no list of problems:\n{html}"));
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|li| {
            let li = text(&li[..li.find("</li>").unwrap()]);
            let rest = li.split_once(", row ").unwrap_or_else(|| panic!("{li}")).1;
            let (row, rest) = rest.split_once(", column \"").unwrap();
            let (column, rest) = rest.split_once('"').unwrap();
            let message = rest.split_once(": ").unwrap().1;
            (
                row.parse().unwrap(),
                column.to_string(),
                message.to_string(),
            )
        })
        .collect()
}

/// The collection CSV of CED's quarter with the bad entries written in, and the row each
/// item is on.
fn bad_csv(data: &beacon_app::CouncilData) -> (Vec<u8>, BTreeMap<String, usize>) {
    let csv = beacon_interchange::sheets::template_csv(
        data,
        &beacon_interchange::sheets::TemplateRequest {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            plan: None,
        },
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    let mut rows = BTreeMap::new();
    for (i, r) in reader.records().enumerate() {
        let mut r: Vec<String> = r.unwrap().iter().map(str::to_string).collect();
        for (kind, reference, _, _, entered) in BAD {
            if r[col("kind")] == kind && r[col("ref")] == reference {
                let column = if kind == "milestone" {
                    "progress"
                } else {
                    "value"
                };
                r[col(column)] = entered.to_string();
                // The header is row 1.
                rows.insert(reference.to_string(), i + 2);
            }
        }
        out.write_record(&r).unwrap();
    }
    (out.into_inner().unwrap(), rows)
}

/// The form's field for an item: `i3-value` for the fourth indicator's value.
fn form_field(fields: &[(String, String)], kind: &str, reference: &str, field: &str) -> String {
    let prefix = if kind == "milestone" { 'm' } else { 'i' };
    let (name, _) = fields
        .iter()
        .find(|(k, v)| k.starts_with(prefix) && k.ends_with("-ref") && v == reference)
        .unwrap_or_else(|| panic!("the form carries {kind} {reference}"));
    format!("{}-{field}", name.trim_end_matches("-ref"))
}

#[tokio::test]
async fn the_form_and_the_workbook_refuse_the_same_entries_in_the_same_words() {
    let db = halton_without_lpi07cop_commentary().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let halton = "halton".parse().unwrap();
    let before = db.store.council_data(&halton).await.unwrap().unwrap();

    // On the page.
    let form = c.get(ENTRY).await.body;
    let fields = form_fields_of(&form, ENTRY);
    let typed: Vec<(String, &str)> = BAD
        .iter()
        .map(|(kind, reference, _, _, entered)| {
            let field = if *kind == "milestone" {
                "progress"
            } else {
                "value"
            };
            (form_field(&fields, kind, reference, field), *entered)
        })
        .collect();
    let changes: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let page = c.post(ENTRY, &with(fields.clone(), &changes)).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let on_page = form_problems(&page.body);

    // In the file, uploaded from the same page.
    let (csv, rows) = bad_csv(&before);
    let version = form_fields_of(&form, &format!("{ENTRY}/workbook"))
        .into_iter()
        .find(|(k, _)| k == "version")
        .unwrap()
        .1;
    let upload = c.upload(ENTRY, "ced.csv", &csv, &version).await;
    assert_eq!(
        upload.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        upload.body
    );
    let in_file = file_problems(&upload.body);

    assert_eq!(
        on_page.len(),
        BAD.len(),
        "one problem per bad entry on the page: {on_page:#?}"
    );
    assert_eq!(
        in_file.len(),
        BAD.len(),
        "one problem per bad entry in the file: {in_file:#?}"
    );
    for (kind, reference, field, column, entered) in BAD {
        let name = form_field(&fields, kind, reference, field);
        let said = on_page.iter().find(|(f, _)| *f == name).unwrap_or_else(|| {
            panic!("{kind} {reference} ({entered}): nothing at {name} in {on_page:#?}")
        });
        let row = rows[reference];
        let written = in_file
            .iter()
            .find(|(r, c, _)| *r == row && c == column)
            .unwrap_or_else(|| {
                panic!("{kind} {reference} ({entered}): nothing at row {row}, column {column} in {in_file:#?}")
            });
        assert_eq!(
            said.1, written.2,
            "{kind} {reference} ({entered}): the page and the file say it in the same words"
        );
        assert!(
            said.1.contains(reference),
            "the message names {reference}: {}",
            said.1
        );
    }
    assert_eq!(
        db.store.council_data(&halton).await.unwrap().unwrap(),
        before,
        "neither saved anything"
    );
}
