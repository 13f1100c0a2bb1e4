//! A quarter's risk and equality action updates as entered: progress on a risk's treatment
//! with its likelihood and impact now (checked by the council's matrix with the rule plan and
//! quarter files use, `Matrix::check`), and progress on an equality action. An update sent
//! back as stored changes nothing; changed progress replaces the item's paragraphs with one;
//! changed scores alone go on its last paragraph.

use super::entry::{EqualityInput, RiskInput};
use super::merge::{Merge, text};
use super::problem::{Field, Problems, Spot};
use beacon_domain::Ref;
use beacon_domain::quarter::{EqualityUpdate, QuarterRecord, RiskUpdate};
use beacon_domain::status::risk::Matrix;

/// A likelihood or impact as typed: blank is none, else a whole number (the matrix checks its
/// range).
fn score(
    t: &str,
    field: Field,
    what: &str,
    side: u8,
    p: &mut Problems<'_>,
) -> Result<Option<u8>, ()> {
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u8>().map(Some).map_err(|_| {
        p.at(
            field,
            format!("{t:?} is not a {what}; expected a whole number from 1 to {side}"),
        );
    })
}

/// The stored paragraphs of one item joined as a form shows them.
fn joined<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts.map(str::trim).collect::<Vec<_>>().join("\n\n")
}

/// A risk's update in a quarter's record as a form shows it: its paragraphs joined, and the
/// likelihood and impact of the last paragraph that records them. Sent back unchanged, it
/// changes nothing.
pub fn risk_as_entered(record: &QuarterRecord, risk: &Ref) -> (String, Option<u8>, Option<u8>) {
    let mine: Vec<&RiskUpdate> = record
        .risk_updates
        .iter()
        .filter(|u| &u.risk == risk)
        .collect();
    let (l, i) = mine
        .iter()
        .rev()
        .find(|u| u.assessment().is_some())
        .map_or((None, None), |u| (u.likelihood, u.impact));
    (joined(mine.iter().map(|u| u.text.as_str())), l, i)
}

/// An equality action's update in a quarter's record as a form shows it.
pub fn equality_as_entered(record: &QuarterRecord, action: &Ref) -> String {
    joined(
        record
            .equality_updates
            .iter()
            .filter(|u| &u.action == action)
            .map(|u| u.text.as_str()),
    )
}

impl Merge {
    /// The initials a changed update carries: the entry's, else those it had.
    fn update_initials(&self, had: Option<&[Ref]>) -> Vec<Ref> {
        if self.initials.is_empty() {
            had.map(<[Ref]>::to_vec).unwrap_or_default()
        } else {
            self.initials.clone()
        }
    }

    pub(crate) fn risk(&mut self, n: usize, risk: &Ref, input: &RiskInput, matrix: &Matrix) {
        let mut list = Vec::new();
        let mut p = Problems {
            list: &mut list,
            spot: Spot::Risk(n),
        };
        let (stored_text, l0, i0) = risk_as_entered(&self.record, risk);
        let stored = (l0, i0);
        let first = self.record.risk_updates.iter().find(|u| &u.risk == risk);
        let title = first.and_then(|u| u.title.clone());
        let had = first.map(|u| u.initials.clone());
        let progress = match input.progress.as_deref() {
            None => Some(stored_text.clone()),
            Some(t) => text(
                t,
                Field::Text,
                &format!("The progress on risk {risk}"),
                &mut p,
            ),
        };
        let side = matrix.side;
        let part = |t: Option<&str>, keep: Option<u8>, field, what, p: &mut Problems<'_>| match t {
            None => Ok(keep),
            Some(t) => score(t, field, what, side, p),
        };
        let l = part(
            input.likelihood.as_deref(),
            stored.0,
            Field::Likelihood,
            "likelihood",
            &mut p,
        );
        let i = part(
            input.impact.as_deref(),
            stored.1,
            Field::Impact,
            "impact",
            &mut p,
        );
        let initials = match self.item_initials(input.officer.as_deref(), &mut p) {
            Ok(i) if i.is_empty() => Ok(self.update_initials(had.as_deref())),
            other => other,
        };
        if let (Some(progress), Ok(l), Ok(i), Ok(initials)) = (progress, l, i, initials) {
            let new = RiskUpdate {
                risk: risk.clone(),
                title,
                likelihood: l,
                impact: i,
                text: progress,
                initials,
            };
            let checked = new.assessment().map(|a| matrix.check(&a));
            if let Some(Err(m)) = checked {
                let field = if l.is_some() && i.is_none() {
                    Field::Impact
                } else {
                    Field::Likelihood
                };
                p.at(field, format!("risk {risk}: {m}"));
            } else {
                self.put_risk(new, &stored_text, stored, matrix);
            }
        }
        self.problems.append(&mut list);
    }

    /// Puts a checked risk update in place of the risk's stored paragraphs, if it differs.
    fn put_risk(
        &mut self,
        new: RiskUpdate,
        stored_text: &str,
        stored: (Option<u8>, Option<u8>),
        matrix: &Matrix,
    ) {
        let risk = new.risk.clone();
        let text_changed = new.text != stored_text;
        let scores_changed = (new.likelihood, new.impact) != stored;
        if !text_changed && !scores_changed {
            return;
        }
        if scores_changed {
            let how = new
                .assessment()
                .and_then(|a| matrix.assess(&a))
                .map_or_else(|| "cleared".to_string(), |a| a.reason);
            self.described
                .push(format!("assessment of risk {risk} this quarter: {how}"));
        }
        let list = &mut self.record.risk_updates;
        // Only the scores changed: they go on the risk's last paragraph; the paragraphs, their
        // titles and their authors are kept as written.
        let nothing_left = new.text.is_empty() && new.assessment().is_none();
        if !text_changed && !nothing_left && list.iter().any(|u| u.risk == risk) {
            let mine = list.iter_mut().filter(|u| u.risk == risk);
            let last = mine.fold(None, |_, u: &mut RiskUpdate| {
                u.likelihood = None;
                u.impact = None;
                Some(u)
            });
            if let Some(u) = last {
                u.likelihood = new.likelihood;
                u.impact = new.impact;
            }
            return;
        }
        let at = list.iter().position(|u| u.risk == risk);
        list.retain(|u| u.risk != risk);
        if nothing_left {
            self.described
                .push(format!("progress on risk {risk}: removed"));
            return;
        }
        if text_changed {
            self.described.push(format!("progress on risk {risk}"));
        }
        let at = at.map_or(list.len(), |i| i.min(list.len()));
        list.insert(at, new);
    }

    pub(crate) fn equality(&mut self, n: usize, action: &Ref, input: &EqualityInput) {
        let mut list = Vec::new();
        let mut p = Problems {
            list: &mut list,
            spot: Spot::Equality(n),
        };
        let Some(t) = input.progress.as_deref() else {
            return;
        };
        let label = format!("The progress on equality action {action}");
        if let Some(new) = text(t, Field::Text, &label, &mut p) {
            let had = self
                .record
                .equality_updates
                .iter()
                .find(|u| &u.action == action)
                .map(|u| u.initials.clone());
            if new != equality_as_entered(&self.record, action) {
                let initials = self.update_initials(had.as_deref());
                let list = &mut self.record.equality_updates;
                let at = list.iter().position(|u| &u.action == action);
                list.retain(|u| &u.action != action);
                if new.is_empty() {
                    self.described
                        .push(format!("progress on equality action {action}: removed"));
                } else {
                    let at = at.map_or(list.len(), |i| i.min(list.len()));
                    list.insert(
                        at,
                        EqualityUpdate {
                            action: action.clone(),
                            text: new,
                            initials,
                        },
                    );
                    self.described
                        .push(format!("progress on equality action {action}"));
                }
            }
        }
        self.problems.append(&mut list);
    }
}
