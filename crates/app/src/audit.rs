//! The audit trail: every change to any record as who, when, what, old value, new value and
//! why, in an append-only chain where each row's SHA-256 covers its content and the previous
//! row's hash. Stores write the rows in the same transaction as the change; `verify` walks the
//! chain and names the first row that does not hold.

use crate::CouncilData;
use crate::keys;
use crate::ports::CouncilChanges;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who changes something, when, and why (a reason, when one was asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// A user name, or `cli:NAME` for the command line.
    pub name: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl Actor {
    pub fn new(name: impl Into<String>, at: DateTime<Utc>) -> Actor {
        Actor {
            name: name.into(),
            at,
            reason: None,
        }
    }

    pub fn because(mut self, reason: impl Into<String>) -> Actor {
        self.reason = Some(reason.into());
        self
    }
}

/// One change to one field of one record, before it is chained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditNote {
    pub at: DateTime<Utc>,
    pub actor: String,
    /// The council whose record changed; none for changes outside any council.
    pub council: Option<String>,
    /// The record: `quarter CED 2012/13 Q2`, `plan CED-2012-13`, `user alice`…
    pub entity: String,
    /// The plan item the change is about, when there is one: `indicator NI075`,
    /// `objective CED1`, `milestone CED1.2`.
    pub item: Option<String>,
    /// Where in the record: `values[NI075 @ 2012/13 Q2].value.text`; empty for the record as a
    /// whole (created).
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
}

/// A row of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(flatten)]
    pub note: AuditNote,
    pub prev_hash: String,
    pub hash: String,
}

/// The whole trail as stored, with the head (last seq and hash) the store recorded.
pub type AuditTrail = (Vec<AuditEntry>, Option<(i64, String)>);

/// The form in which times are stored and hashed: fixed width, microseconds, UTC.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads a time written by [`stamp`].
pub fn parse_stamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The hash of row `seq` with `note`, chained after `prev`: SHA-256 over a JSON array of every
/// field (JSON so no two different rows can encode alike).
pub fn chain_hash(prev: &str, seq: i64, note: &AuditNote) -> String {
    let content = serde_json::json!([
        seq,
        stamp(note.at),
        note.actor,
        note.council,
        note.entity,
        note.item,
        note.field,
        note.old,
        note.new,
        note.reason,
        prev,
    ]);
    let digest = Sha256::digest(content.to_string().as_bytes());
    hex(&digest)
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Chains notes after the row `last` (seq and hash; `None` for an empty trail).
pub fn chain(last: Option<(i64, String)>, notes: &[AuditNote]) -> Vec<AuditEntry> {
    let (mut seq, mut prev) = last.unwrap_or((0, GENESIS.to_string()));
    notes
        .iter()
        .map(|note| {
            seq += 1;
            let hash = chain_hash(&prev, seq, note);
            AuditEntry {
                seq,
                note: note.clone(),
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            }
        })
        .collect()
}

/// The first row at which a chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The sequence number of the row (as stored), or of the head.
    pub seq: i64,
    pub why: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "audit row {}: {}", self.seq, self.why)
    }
}

/// Checks a whole trail, read in the order stored (by seq), against the head the store keeps
/// (the last seq and hash written). Returns the number of rows checked.
pub fn verify(entries: &[AuditEntry], head: Option<(i64, String)>) -> Result<usize, Broken> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return Err(Broken {
                seq: e.seq,
                why: format!("expected row {expected_seq} here: a row is missing or out of order"),
            });
        }
        if e.prev_hash != prev {
            return Err(Broken {
                seq: e.seq,
                why: "its previous hash is not the hash of the row before it".into(),
            });
        }
        let computed = chain_hash(&prev, e.seq, &e.note);
        if computed != e.hash {
            return Err(Broken {
                seq: e.seq,
                why: "its content does not match its hash: the row was edited".into(),
            });
        }
        prev = e.hash.clone();
    }
    let last = entries.last().map(|e| (e.seq, e.hash.clone()));
    match (head, last) {
        (None, None) => Ok(0),
        (Some(h), Some(l)) if h == l => Ok(entries.len()),
        (Some((seq, _)), _) => Err(Broken {
            seq,
            why: format!(
                "the trail should end at row {seq}, but ends at row {}: rows were removed from its end or the head was changed",
                entries.last().map_or(0, |e| e.seq)
            ),
        }),
        (None, Some(l)) => Err(Broken {
            seq: l.0,
            why: "the trail has rows but no head was recorded".into(),
        }),
    }
}

/// Checks that every publication's anchor is still in the trail with the same hash. A trail
/// rewritten from some row onwards, with its head, verifies on its own; a publication made
/// after that row still names the hash the row had. Returns the number of anchors checked.
pub fn check_anchors(
    entries: &[AuditEntry],
    publications: &[crate::publication::PublicationMeta],
) -> Result<usize, Broken> {
    let mut checked = 0;
    for p in publications {
        let Some(a) = &p.anchor else { continue };
        let what = format!(
            "{} {} {} version {}",
            p.council, p.unit, p.quarter, p.version
        );
        // Rows are numbered from 1 with no gaps once `verify` has passed.
        let found = usize::try_from(a.seq - 1)
            .ok()
            .and_then(|i| entries.get(i))
            .filter(|e| e.seq == a.seq);
        match found {
            None => {
                return Err(Broken {
                    seq: a.seq,
                    why: format!(
                        "the publication of {what} was made when the trail ended at this row, which the trail no longer has"
                    ),
                });
            }
            Some(e) if e.hash != a.hash => {
                return Err(Broken {
                    seq: a.seq,
                    why: format!(
                        "the publication of {what} recorded this row's hash as {}, but it is now {}: the trail was rewritten after it was published",
                        a.hash, e.hash
                    ),
                });
            }
            Some(_) => checked += 1,
        }
    }
    Ok(checked)
}

/// The notes for a record going from `old` (none when new) to `new`: one note per changed
/// field, or one note holding the whole record when it is new.
pub fn record_notes<T: Serialize>(base: &AuditNote, old: Option<&T>, new: &T) -> Vec<AuditNote> {
    let new_v = serde_json::to_value(new).unwrap_or(Value::Null);
    let Some(old) = old else {
        return vec![AuditNote {
            field: String::new(),
            old: None,
            new: Some(new_v.to_string()),
            ..base.clone()
        }];
    };
    let old_v = serde_json::to_value(old).unwrap_or(Value::Null);
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten(&old_v, String::new(), &mut a);
    flatten(&new_v, String::new(), &mut b);
    let mut notes = Vec::new();
    let fields: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for field in fields {
        let (o, n) = (a.get(field), b.get(field));
        if o != n {
            notes.push(AuditNote {
                item: item_of(field).or_else(|| base.item.clone()),
                field: field.clone(),
                old: o.cloned(),
                new: n.cloned(),
                ..base.clone()
            });
        }
    }
    notes
}

/// Fields that name an element of a list, in the order they are tried.
const KEYS: [&str; 7] = [
    "ref",
    "reference",
    "indicator",
    "milestone",
    "risk",
    "action",
    "title",
];

/// The key of a list element: its ref-like field, and its period when it has one.
fn element_key(v: &Value) -> Option<String> {
    let obj = v.as_object()?;
    let key = KEYS.iter().find_map(|k| obj.get(*k)?.as_str())?;
    match obj.get("period") {
        Some(Value::String(p)) => Some(format!("{key} @ {p}")),
        Some(p) if !p.is_null() => Some(format!("{key} @ {p}")),
        _ => Some(key.to_string()),
    }
}

/// Flattens a JSON value into `path → text` for its scalar leaves. Lists of keyed objects
/// are indexed by key (`values[NI075 @ 2012/13 Q2]`), so an insertion does not shift the rest;
/// lists of scalars are one leaf.
pub(crate) fn flatten(v: &Value, path: String, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(child, p, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if !items.is_empty() {
                out.insert(path, v.to_string());
            }
        }
        Value::Array(items) => {
            let keys: Vec<Option<String>> = items.iter().map(element_key).collect();
            let unique = keys.iter().all(Option::is_some)
                && keys.iter().collect::<std::collections::HashSet<_>>().len() == keys.len();
            for (i, item) in items.iter().enumerate() {
                let index = match (&keys[i], unique) {
                    (Some(k), true) => k.clone(),
                    _ => i.to_string(),
                };
                flatten(item, format!("{path}[{index}]"), out);
            }
        }
        Value::Null => {}
        Value::String(s) => {
            out.insert(path, s.clone());
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

/// The plan item a field path is about, from its first keyed list.
fn item_of(field: &str) -> Option<String> {
    const KINDS: [(&str, &str); 8] = [
        ("values", "indicator"),
        ("indicators", "indicator"),
        ("progress", "milestone"),
        ("objectives", "objective"),
        ("risks", "risk"),
        ("risk_updates", "risk"),
        ("equality_actions", "equality action"),
        ("equality_updates", "equality action"),
    ];
    let (list, rest) = field.split_once('[')?;
    let kind = KINDS.iter().find(|(l, _)| *l == list)?.1;
    let key = rest.split(']').next()?;
    // Keys carry the period after the ref (`NI075 @ 2012/13 Q2`); the pages ask by the ref.
    let reference = key.split(" @ ").next().unwrap_or(key);
    Some(keys::item(kind, reference))
}

/// The note for a record removed: the record as it was, and nothing after.
fn removed<T: Serialize>(base: AuditNote, old: &T) -> AuditNote {
    AuditNote {
        field: String::new(),
        old: Some(serde_json::to_value(old).unwrap_or(Value::Null).to_string()),
        new: None,
        ..base
    }
}

/// The notes for applying `changes` on top of `stored` (none for a new council).
pub fn change_notes(
    stored: Option<&CouncilData>,
    changes: &CouncilChanges,
    by: &Actor,
) -> Vec<AuditNote> {
    let council = changes.council.reference.to_string();
    let base = |entity: String, item: Option<String>| AuditNote {
        at: by.at,
        actor: by.name.clone(),
        council: Some(council.clone()),
        entity,
        item,
        field: String::new(),
        old: None,
        new: None,
        reason: by.reason.clone(),
    };
    let mut notes = Vec::new();
    if stored.is_none_or(|s| s.council != changes.council) {
        notes.extend(record_notes(
            &base(keys::council(&council), None),
            stored.map(|s| &s.council),
            &changes.council,
        ));
    }
    for u in &changes.units {
        let old = stored.and_then(|s| s.units.iter().find(|x| x.reference == u.reference));
        notes.extend(record_notes(&base(keys::unit(&u.reference), None), old, u));
    }
    for o in &changes.officers {
        let old = stored.and_then(|s| s.officers.iter().find(|x| x.reference == o.reference));
        notes.extend(record_notes(
            &base(keys::officer(&o.reference), None),
            old,
            o,
        ));
    }
    for f in &changes.frames {
        let old = stored.and_then(|s| s.frames.iter().find(|x| x.reference == f.reference));
        notes.extend(record_notes(&base(keys::frame(&f.reference), None), old, f));
    }
    for d in &changes.library {
        let old = stored.and_then(|s| s.library.iter().find(|x| x.reference == d.reference));
        notes.extend(record_notes(
            &base(keys::library(&d.reference), None),
            old,
            d,
        ));
    }
    for d in &changes.removed_library {
        notes.push(removed(base(keys::library(&d.reference), None), d));
    }
    for p in &changes.plans {
        let r = &p.plan.reference;
        let old = stored.and_then(|s| s.plans.iter().find(|x| &x.plan.reference == r));
        // A plan's own fields (its title, status, version) are about the plan itself, so its
        // page can list its versions (`plans::edit::versions`).
        notes.extend(record_notes(
            &base(keys::plan(r), Some(keys::item("plan", r))),
            old,
            p,
        ));
    }
    for q in &changes.quarters {
        let (u, period) = (&q.header.unit, q.header.period);
        let old = stored.and_then(|s| {
            s.quarters
                .iter()
                .find(|x| &x.header.unit == u && x.header.period == period)
        });
        notes.extend(record_notes(&base(keys::quarter(u, period), None), old, q));
    }
    for st in &changes.statements {
        let old = stored.and_then(|s| {
            s.statements
                .iter()
                .find(|x| x.reference == st.reference && x.period == st.period)
        });
        notes.extend(record_notes(
            &base(keys::statement(&st.reference, st.period), None),
            old,
            st,
        ));
    }
    for st in &changes.removed_statements {
        notes.push(removed(
            base(keys::statement(&st.reference, st.period), None),
            st,
        ));
    }
    for o in &changes.overrides {
        let old = stored.and_then(|s| s.overrides.iter().find(|x| x.key() == o.key()));
        let item = keys::item(o.kind, &o.item);
        let mut n = base(
            keys::status_set_by_hand(&item, &o.plan, o.quarter),
            Some(item),
        );
        n.reason = Some(o.reason.clone());
        notes.extend(record_notes(&n, old, o));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn note(field: &str, new: &str) -> AuditNote {
        AuditNote {
            at: Utc
                .with_ymd_and_hms(2012, 10, 15, 9, 30, 0)
                .single()
                .unwrap_or_default(),
            actor: "alice".into(),
            council: Some("halton".into()),
            entity: "quarter CED 2012/13 Q2".into(),
            item: Some("indicator NI075".into()),
            field: field.into(),
            old: Some("54%".into()),
            new: Some(new.into()),
            reason: None,
        }
    }

    fn trail() -> Vec<AuditEntry> {
        chain(None, &[note("a", "1"), note("b", "2"), note("c", "3")])
    }

    fn head(t: &[AuditEntry]) -> Option<(i64, String)> {
        t.last().map(|e| (e.seq, e.hash.clone()))
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let t = trail();
        assert_eq!(verify(&t, head(&t)), Ok(3));
        assert_eq!(t[0].prev_hash, GENESIS);
        assert_eq!(t[1].prev_hash, t[0].hash);
    }

    #[test]
    fn an_edited_value_is_caught_at_its_row() {
        let mut t = trail();
        let h = head(&t);
        t[1].note.new = Some("99".into());
        assert_eq!(verify(&t, h).map_err(|b| b.seq), Err(2));
    }

    #[test]
    fn a_deleted_or_reordered_row_is_caught() {
        let t = trail();
        let h = head(&t);
        let deleted = vec![t[0].clone(), t[2].clone()];
        assert_eq!(verify(&deleted, h.clone()).map_err(|b| b.seq), Err(3));
        let swapped = vec![t[1].clone(), t[0].clone(), t[2].clone()];
        assert_eq!(verify(&swapped, h.clone()).map_err(|b| b.seq), Err(2));
        let truncated = vec![t[0].clone(), t[1].clone()];
        assert_eq!(verify(&truncated, h).map_err(|b| b.seq), Err(3));
    }

    #[test]
    fn keyed_lists_diff_by_key_and_name_the_item() {
        let old = serde_json::json!({"values": [
            {"indicator": "NI075", "period": "2012/13 Q2", "value": {"text": "54%"}},
            {"indicator": "SCS CYP09", "period": "2012/13 Q2", "value": {"text": "3"}}
        ]});
        let new = serde_json::json!({"values": [
            {"indicator": "NEW1", "period": "2012/13 Q2", "value": {"text": "1"}},
            {"indicator": "NI075", "period": "2012/13 Q2", "value": {"text": "55%"}},
            {"indicator": "SCS CYP09", "period": "2012/13 Q2", "value": {"text": "3"}}
        ]});
        let base = note("", "");
        let notes = record_notes(&base, Some(&old), &new);
        let fields: Vec<(&str, Option<&str>)> = notes
            .iter()
            .map(|n| (n.field.as_str(), n.item.as_deref()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (
                    "values[NEW1 @ 2012/13 Q2].indicator",
                    Some("indicator NEW1")
                ),
                ("values[NEW1 @ 2012/13 Q2].period", Some("indicator NEW1")),
                (
                    "values[NEW1 @ 2012/13 Q2].value.text",
                    Some("indicator NEW1")
                ),
                (
                    "values[NI075 @ 2012/13 Q2].value.text",
                    Some("indicator NI075")
                ),
            ]
        );
        assert_eq!(notes[3].old.as_deref(), Some("54%"));
        assert_eq!(notes[3].new.as_deref(), Some("55%"));
        assert_eq!(
            item_of("values[SCS CYP09 @ 2012/13 Q2].value"),
            Some("indicator SCS CYP09".into())
        );
        assert_eq!(
            item_of("objectives[CED1].statement"),
            Some("objective CED1".into())
        );
    }
}
