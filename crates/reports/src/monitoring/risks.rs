//! Risk control measures (4.0): the plan's high risks with their initial and residual bands
//! (and this quarter's, where the quarter's updates record likelihood and impact), and this
//! quarter's progress on the measures that treat them.

use super::{Builder, col, item_row, para, table};
use crate::model::{Block, Cell, ColumnKind, Section};
use crate::symbols::band_cell;
use beacon_app::status::RiskStatus;
use beacon_domain::Ref;
use beacon_domain::risk::Band;

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn risks(&mut self) -> Section {
        let mut blocks = Vec::new();
        let updates: Vec<&beacon_domain::quarter::RiskUpdate> = self
            .record()
            .map(|r| {
                r.risk_updates
                    .iter()
                    .filter(|u| {
                        self.scope.above.is_none()
                            || self.items.risks.iter().any(|k| k.reference == u.risk)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let high = |b: &Option<beacon_domain::status::Assessed<Band>>| {
            b.as_ref().is_some_and(|a| a.status == Band::High)
        };
        let risks: Vec<RiskStatus> = self
            .items
            .risks
            .iter()
            .filter(|r| {
                high(&r.initial)
                    || high(&r.residual)
                    || high(&r.current)
                    || updates.iter().any(|u| u.risk == r.reference)
            })
            .cloned()
            .collect();
        if risks.is_empty() && updates.is_empty() {
            blocks.push(para("No high risks are recorded for this plan."));
        } else {
            blocks.push(para(
                "The high risks of the plan, with progress this quarter on the measures that treat them.",
            ));
            // The quarter's own assessment, where any risk's update records one.
            let assessed = risks.iter().any(|r| r.current.is_some());
            let mut columns = vec![
                col("Ref", ColumnKind::Ref),
                col("Risk", ColumnKind::Text),
                col("Initial risk", ColumnKind::Status),
                col("Residual risk", ColumnKind::Status),
            ];
            if assessed {
                columns.push(col("This quarter", ColumnKind::Status));
            }
            let mut t = table("high-risks".into(), "High risks".into(), columns);
            for r in &risks {
                let mut cells = vec![Cell::text(r.reference.as_str()), Cell::text(&r.description)];
                let mut bands = vec![("initial risk", &r.initial), ("residual risk", &r.residual)];
                if assessed {
                    bands.push(("this quarter", &r.current));
                }
                for (label, band) in bands {
                    cells.push(match band {
                        Some(b) => self.notes.attach(
                            &mut t,
                            &format!("{}, {label}", r.reference),
                            band_cell(b),
                        ),
                        None => Cell::text("Not recorded"),
                    });
                }
                t.rows.push(item_row(cells));
            }
            blocks.push(Block::Table(t));
            let mut last: Option<&Ref> = None;
            for u in &updates {
                let title = (last != Some(&u.risk)).then(|| {
                    let desc = risks
                        .iter()
                        .find(|r| r.reference == u.risk)
                        .map_or(String::new(), |r| format!(": {}", r.description));
                    u.title
                        .clone()
                        .unwrap_or_else(|| format!("{}{desc}", u.risk))
                });
                last = Some(&u.risk);
                blocks.push(self.text_block(
                    title,
                    &u.text,
                    &u.initials,
                    std::slice::from_ref(&u.risk),
                ));
            }
        }
        Section {
            id: "risk-control-measures".into(),
            number: Some("4.0".into()),
            heading: "Risk Control Measures".into(),
            blocks,
            subsections: Vec::new(),
        }
    }
}
