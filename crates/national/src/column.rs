//! The national quartile column of the quarter dashboard and the monitoring report's indicator
//! tables: for each of a council's indicators that has a national code, its quartile and rank
//! in the latest period up to the quarter in which it has a value, in words, and the key that
//! explains the column. Read as stored at import, in the words of [`describe`].

use crate::db::NationalDb;
use crate::describe::describe;
use crate::problem::NationalError;
use crate::query::{CouncilPosition, period_order};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The column's heading.
pub const QUARTILE_HEADING: &str = "National quartile";

/// What the column says, printed with it.
pub const QUARTILE_KEY: &str = "where the council stands among the English councils in the \
    national benchmarking set, on indicators with a national code, in the latest period up to \
    this quarter in which it has a value (named in brackets). The top quartile is the best \
    quarter whichever way is better; rank 1 is the best, and councils with equal values share a \
    rank (joint). Quartile boundaries are the 25th, 50th and 75th percentiles by linear \
    interpolation; a value on a boundary takes the better quartile. A blank means the indicator \
    has no national code.";

/// The cell of an indicator the set holds but the council has no value for.
pub const NO_VALUE: &str = "No value in the national set";

/// One position as the column prints it: "Top quartile: 3rd of 35 (2012-13)".
pub fn quartile_text(p: &CouncilPosition) -> String {
    let d = describe(p);
    if d.quartile_number == 0 {
        return format!("{NO_VALUE} ({})", d.period);
    }
    let mut q = d.quartile;
    if let Some(first) = q.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{q}: {} ({})", d.rank, d.period)
}

/// The position of `p` that the column shows from a council's history: the latest period not
/// after `up_to` (in the set's order of periods) in which the council has a value.
pub fn latest_up_to<'h>(
    history: &'h [CouncilPosition],
    up_to: &str,
) -> Option<&'h CouncilPosition> {
    let limit = period_order(up_to);
    history
        .iter()
        .rev()
        .filter(|p| period_order(&p.period) <= limit)
        .find(|p| p.value.is_some())
}

/// The column's cells for the indicators asked about, by their key: each `(key, codes)` is
/// filed under the first of its codes that the set holds, and an indicator it holds under none
/// gets no cell. None when the council is not in the national register.
pub async fn quartile_cells(
    db: &NationalDb,
    council: &str,
    asks: &[(String, Vec<String>)],
    up_to: &str,
) -> Result<Option<BTreeMap<String, String>>, NationalError> {
    let who = match db.who(council).await {
        Ok(w) => w,
        Err(NationalError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let known: HashSet<String> = db.indicator_codes().await?.into_iter().collect();
    let mut by_code: HashMap<&str, String> = HashMap::new();
    let mut out = BTreeMap::new();
    for (key, codes) in asks {
        let Some(code) = codes.iter().find(|c| known.contains(c.as_str())) else {
            continue;
        };
        if !by_code.contains_key(code.as_str()) {
            let history = db.history_of(&who, code).await?;
            let text =
                latest_up_to(&history, up_to).map_or_else(|| NO_VALUE.to_string(), quartile_text);
            by_code.insert(code, text);
        }
        out.insert(key.clone(), by_code[code.as_str()].clone());
    }
    Ok(Some(out))
}
