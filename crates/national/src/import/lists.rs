//! The small CSV lists: the register of councils (`code,name,region,type`), the indicators
//! (`indicator,name,polarity`) and the comparison groups (`council,kind,member`: each row puts
//! `member` in `council`'s group of that kind, such as "statistical neighbours").

use crate::catalog::{Catalog, Group};
use crate::model::{CouncilType, Polarity, RegisteredCouncil, check_text};
use crate::problem::{NationalError, Problem, Problems, column_letter};
use std::path::Path;

/// The rows of a small CSV with a header, as trimmed text, or a problem.
fn rows(path: &Path, name: &str, problems: &mut Problems) -> Vec<(usize, Vec<String>)> {
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(r) => r,
        Err(e) => {
            problems.push(at(name, None, None, format!("cannot read: {e}")));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, r) in reader.records().enumerate() {
        match r {
            Ok(r) => out.push((i + 2, r.iter().map(|c| c.trim().to_string()).collect())),
            Err(e) => {
                problems.push(at(name, Some(i + 2), None, format!("not CSV: {e}")));
                break;
            }
        }
        if out.len() > 1_000_000 {
            problems.push(at(
                name,
                Some(i + 2),
                None,
                "more than a million rows".into(),
            ));
            break;
        }
    }
    out
}

fn at(file: &str, row: Option<usize>, column: Option<(usize, &str)>, message: String) -> Problem {
    Problem {
        file: file.to_string(),
        sheet: None,
        row,
        column: column.map(|(i, h)| format!("{} ({h})", column_letter(i))),
        message,
    }
}

/// A field checked as stored text.
fn field<'a>(
    file: &str,
    row: usize,
    cells: &'a [String],
    i: usize,
    header: &str,
    problems: &mut Problems,
) -> Option<&'a str> {
    let text = cells.get(i).map(String::as_str).unwrap_or("");
    match check_text(text, header) {
        Ok(()) => Some(text),
        Err(e) => {
            problems.push(at(file, Some(row), Some((i, header)), e));
            None
        }
    }
}

/// Reads the register; returns how many councils it lists.
pub fn read_register(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    problems: &mut Problems,
) -> usize {
    let mut n = 0;
    for (row, cells) in rows(path, name, problems) {
        let (Some(code), Some(cname)) = (
            field(name, row, &cells, 0, "code", problems),
            field(name, row, &cells, 1, "name", problems),
        ) else {
            continue;
        };
        let region = cells.get(2).filter(|r| !r.is_empty()).cloned();
        if let Some(r) = &region
            && let Err(e) = check_text(r, "region")
        {
            problems.push(at(name, Some(row), Some((2, "region")), e));
            continue;
        }
        let kind_text = cells.get(3).map(String::as_str).unwrap_or("");
        let kind = match CouncilType::parse(kind_text) {
            Some(k) => Some(k),
            None if kind_text.is_empty() => None,
            None => {
                problems.push(at(
                    name,
                    Some(row),
                    Some((3, "type")),
                    format!(
                        "{kind_text:?} is not a council type; expected county, district, \
                         unitary, metropolitan or London borough"
                    ),
                ));
                continue;
            }
        };
        let council = RegisteredCouncil {
            code: code.to_string(),
            name: cname.to_string(),
            region,
            kind,
        };
        if let Err(e) = catalog.register(council) {
            problems.push(at(name, Some(row), None, e));
        }
        n += 1;
    }
    catalog.rebuild_regions();
    n
}

/// Reads the indicators list; returns how many it defines.
pub fn read_indicators(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    problems: &mut Problems,
) -> usize {
    let mut n = 0;
    for (row, cells) in rows(path, name, problems) {
        let Some(code) = field(name, row, &cells, 0, "indicator", problems) else {
            continue;
        };
        let title = cells.get(1).filter(|t| !t.is_empty()).cloned();
        if let Some(t) = &title
            && let Err(e) = check_text(t, "name")
        {
            problems.push(at(name, Some(row), Some((1, "name")), e));
            continue;
        }
        let text = cells.get(2).map(String::as_str).unwrap_or("");
        let Some(polarity) = Polarity::parse(text) else {
            problems.push(at(
                name,
                Some(row),
                Some((2, "polarity")),
                format!("{text:?} is not a polarity; expected higher or lower (which is better)"),
            ));
            continue;
        };
        catalog.define_indicator(code, title, polarity);
        n += 1;
    }
    n
}

/// Reads a groups file (`council,kind,member`) into the catalog: each council's group of each
/// kind is replaced by the members the file lists. Every council named must be in the register.
/// Returns how many groups it set.
pub fn read_groups(path: &Path, catalog: &mut Catalog) -> Result<usize, NationalError> {
    let name = path.display().to_string();
    let header = rows_header(path);
    if header.as_deref() != Some("council,kind,member") {
        return Err(NationalError::Input(vec![at(
            &name,
            Some(1),
            None,
            format!(
                "the header is {:?}; expected council,kind,member",
                header.unwrap_or_default()
            ),
        )]));
    }
    let mut problems = Problems::default();
    let n = read_groups_into(path, &name, catalog, &mut problems);
    if !problems.is_empty() {
        return Err(NationalError::Input(problems.list));
    }
    Ok(n)
}

/// Reads a groups file whose header has been checked into the catalog, as [`read_groups`]
/// does, or adds its problems (and then sets no group). Returns how many groups it set.
pub fn read_groups_into(
    path: &Path,
    name: &str,
    catalog: &mut Catalog,
    problems: &mut Problems,
) -> usize {
    let before = problems.list.len();
    let mut groups: Vec<Group> = Vec::new();
    for (row, cells) in rows(path, name, problems) {
        let slot = |i: usize, header: &str, problems: &mut Problems| {
            let code = field(name, row, &cells, i, header, problems)?;
            let found = catalog.council(code);
            if found.is_none() {
                problems.push(at(
                    name,
                    Some(row),
                    Some((i, header)),
                    format!("{code:?} is not in the register; load the register first"),
                ));
            }
            found
        };
        let owner = slot(0, "council", problems);
        let member = slot(2, "member", problems);
        let kind = field(name, row, &cells, 1, "kind", problems);
        let (Some(owner), Some(member), Some(kind)) = (owner, member, kind) else {
            continue;
        };
        let kind = kind.to_lowercase();
        let gname = format!("{} of {}", kind, catalog.councils[owner as usize].code);
        match groups
            .iter_mut()
            .find(|g| g.kind == kind && g.name == gname)
        {
            Some(g) if g.members.contains(&member) => problems.push(at(
                name,
                Some(row),
                Some((2, "member")),
                "this member is listed twice in the group".into(),
            )),
            Some(g) => g.members.push(member),
            None => groups.push(Group {
                kind,
                name: gname,
                owner: Some(owner),
                members: vec![member],
            }),
        }
    }
    if problems.list.len() > before {
        return 0;
    }
    let n = groups.len();
    for g in groups {
        catalog.set_group(g);
    }
    n
}

fn rows_header(path: &Path) -> Option<String> {
    let mut reader = csv::Reader::from_path(path).ok()?;
    let h = reader.headers().ok()?;
    Some(
        h.iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(","),
    )
}
