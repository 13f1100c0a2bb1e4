//! The narrative sections: the introduction (1.0), key developments (2.0), emerging issues
//! (3.0) and progress on high-priority equality actions (5.0).

use super::{Builder, para};
use crate::model::Section;
use beacon_domain::organisation::ExceptionsPlacement;
use beacon_domain::quarter::QuarterRecord;

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn introduction(&mut self) -> Section {
        let scope = self.scope;
        let mut blocks = Vec::new();
        match (self.record().and_then(|r| r.header.introduction.as_deref()), scope.above) {
            (Some(intro), None) => blocks.push(self.text_block(None, intro, &[], &[])),
            _ => blocks.push(para(format!(
                "Reporting Period: {}. This report provides an overview of issues and progress within the {} that have occurred within Quarter {}.",
                scope.quarter.reporting_period(),
                scope.unit.name,
                scope.quarter.q.number()
            ))),
        }
        if let Some(above) = scope.above {
            let plans: Vec<&str> = scope
                .plans
                .iter()
                .map(|p| p.plan.reference.as_str())
                .collect();
            blocks.push(para(format!(
                "This report covers the part of the {}'s plan ({}) that belongs to the {}: its objectives, milestones and indicators, the commentary about them or signed by its officers, and its budget statements.",
                above.name,
                plans.join(", "),
                scope.unit.name
            )));
        }
        let where_exceptions = match self.placement() {
            ExceptionsPlacement::First => "the exceptions page before this section",
            ExceptionsPlacement::Appendix => "the exceptions list (section 9.0)",
        };
        blocks.push(para(format!(
            "Each status is shown as a shape and a word, never by colour alone, and the reason for it is given in a numbered note under its table. Statuses set by hand are marked as such, with who set them and why. The symbols are explained in the Appendix (section 8.0); {where_exceptions} lists every Red, every status set by hand and every missing value.",
        )));
        Section {
            id: "introduction".into(),
            number: Some("1.0".into()),
            heading: "Introduction".into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    pub(super) fn narratives(
        &mut self,
        id: &str,
        number: &str,
        title: &str,
        pick: fn(&QuarterRecord) -> &Vec<beacon_domain::quarter::Narrative>,
    ) -> Section {
        let mut blocks = Vec::new();
        if let Some(r) = self.record() {
            for n in pick(r) {
                if self.scope.above.is_some() && !self.scope.signed_here(&n.initials) {
                    continue;
                }
                blocks.push(self.text_block(Some(n.title.clone()), &n.text, &n.initials, &[]));
            }
        }
        if blocks.is_empty() {
            blocks.push(para("None recorded for this quarter."));
        }
        Section {
            id: id.into(),
            number: Some(number.into()),
            heading: title.into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    pub(super) fn equality(&mut self) -> Section {
        let mut blocks = Vec::new();
        let scope = self.scope;
        if let Some(r) = self.record() {
            if let (Some(s), None) = (&r.header.equality_summary, scope.above) {
                blocks.push(self.text_block(None, s, &[], &[]));
            }
            for u in &r.equality_updates {
                if scope.above.is_some() && !scope.signed_here(&u.initials) {
                    continue;
                }
                let action = scope
                    .plans
                    .iter()
                    .flat_map(|p| &p.equality_actions)
                    .find(|a| a.reference == u.action);
                let title = match action {
                    Some(a) => format!("{}: {}", a.reference, a.action),
                    None => u.action.to_string(),
                };
                blocks.push(self.text_block(
                    Some(title),
                    &u.text,
                    &u.initials,
                    std::slice::from_ref(&u.action),
                ));
            }
        }
        if blocks.is_empty() {
            blocks.push(para(
                "No progress on high-priority equality actions is recorded for this quarter.",
            ));
        }
        Section {
            id: "equality".into(),
            number: Some("5.0".into()),
            heading: "Progress against high priority equality actions".into(),
            blocks,
            subsections: Vec::new(),
        }
    }
}
