//! Priority pages: the council's strategic frame (priorities, areas of focus, themes), and for
//! each entry the objectives, milestones and indicators of every plan that serve it, with their
//! statuses in the latest quarter recorded. Objective and indicator pages link up to them.

use super::render;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, StatusView, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use beacon_app::CouncilData;
use beacon_app::priorities::serving;
use beacon_domain::frame::Frame;
use std::sync::Arc;

/// A frame entry as a link: its title and ref.
pub struct FrameLink {
    pub label: String,
    pub href: String,
}

fn link(c: &str, f: &Frame) -> FrameLink {
    FrameLink {
        label: format!("{} ({})", f.title, f.reference),
        href: paths::priority(c, f.reference.as_str()),
    }
}

/// One kind of frame with its entries, nested one level under their parents.
pub struct KindGroup {
    pub kind: String,
    pub entries: Vec<(FrameLink, Vec<FrameLink>)>,
}

#[derive(Template)]
#[template(path = "priorities.html")]
struct ListPage {
    chrome: Chrome,
    groups: Vec<KindGroup>,
}

/// The frame's entries by kind, each top-level entry with the entries under it.
fn groups(data: &CouncilData) -> Vec<KindGroup> {
    let c = data.council.reference.as_str();
    let mut out: Vec<KindGroup> = Vec::new();
    let is_top = |f: &Frame| {
        f.parent
            .as_ref()
            .is_none_or(|p| !data.frames.iter().any(|x| &x.reference == p))
    };
    for f in data.frames.iter().filter(|f| is_top(f)) {
        let kind = f.kind.label().to_string();
        let children = data
            .frames
            .iter()
            .filter(|x| x.parent.as_ref() == Some(&f.reference))
            .map(|x| link(c, x))
            .collect();
        let entry = (link(c, f), children);
        match out.iter_mut().find(|g| g.kind == kind) {
            Some(g) => g.entries.push(entry),
            None => out.push(KindGroup {
                kind,
                entries: vec![entry],
            }),
        }
    }
    out
}

pub async fn list<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let c = data.council.reference.as_str();
    render(&ListPage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Priorities)
            .with_crumbs(vec![(data.council.name.clone(), paths::council(c))]),
        groups: groups(&data),
    })
}

/// An item serving the priority, as the page lists it.
pub struct ItemRow {
    pub plan: String,
    pub reference: String,
    pub text: String,
    pub href: String,
    pub status: Option<StatusView>,
    /// Why there is no status: the plan has no quarter, or the item is not due this year.
    pub no_status: String,
}

#[derive(Template)]
#[template(path = "priority.html")]
struct OnePage {
    chrome: Chrome,
    title: String,
    reference: String,
    kind: String,
    parent: Option<FrameLink>,
    children: Vec<FrameLink>,
    quarters: Vec<(String, String)>,
    objectives: Vec<ItemRow>,
    milestones: Vec<ItemRow>,
    indicators: Vec<ItemRow>,
}

fn why_none(quarter: Option<beacon_domain::period::Quarter>) -> String {
    match quarter {
        None => "No quarter recorded for this plan".into(),
        Some(q) => format!("Not assessed in {q}"),
    }
}

pub async fn one<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, frame)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let s = serving(&data, &frame).ok_or(WebError::NotFound)?;
    let c = data.council.reference.as_str();
    let quarter_of = |plan: &beacon_domain::Ref| {
        s.quarters
            .iter()
            .find(|(p, _)| p == plan)
            .and_then(|(_, q)| *q)
    };
    let plan_title = |plan: &beacon_domain::Ref| {
        data.plan(plan.as_str())
            .map_or_else(|| plan.to_string(), |p| p.plan.title.clone())
    };
    let objectives = s
        .objectives
        .iter()
        .map(|o| ItemRow {
            plan: plan_title(&o.plan),
            reference: o.objective.to_string(),
            text: o.statement.clone(),
            href: paths::objective(c, o.plan.as_str(), o.objective.as_str()),
            status: None,
            no_status: String::new(),
        })
        .collect();
    let milestones = s
        .milestones
        .iter()
        .map(|m| ItemRow {
            plan: plan_title(&m.plan),
            reference: m.reference.to_string(),
            text: m.text.clone(),
            href: paths::objective(c, m.plan.as_str(), m.objective.as_str()),
            status: m
                .status
                .as_ref()
                .map(|x| StatusView::progress(x.status, &x.computed, x.set_by_hand.as_ref())),
            no_status: why_none(quarter_of(&m.plan)),
        })
        .collect();
    let indicators = s
        .indicators
        .iter()
        .map(|i| ItemRow {
            plan: plan_title(&i.plan),
            reference: i.codes.clone(),
            text: i.description.clone(),
            href: paths::indicator(c, i.plan.as_str(), i.reference.as_str()),
            status: i
                .status
                .as_ref()
                .map(|x| StatusView::progress(x.status, &x.computed, x.set_by_hand.as_ref())),
            no_status: why_none(quarter_of(&i.plan)),
        })
        .collect();
    let mut crumbs = vec![
        (data.council.name.clone(), paths::council(c)),
        ("Priorities".to_string(), paths::priorities(c)),
    ];
    if let Some(p) = &s.parent {
        crumbs.push((p.title.clone(), paths::priority(c, p.reference.as_str())));
    }
    render(&OnePage {
        chrome: Chrome::council(&data, latest_quarter(&data), Section::Priorities)
            .with_crumbs(crumbs),
        title: s.frame.title.clone(),
        reference: s.frame.reference.to_string(),
        kind: s.frame.kind.label().to_string(),
        parent: s.parent.as_ref().map(|p| link(c, p)),
        children: s.children.iter().map(|x| link(c, x)).collect(),
        quarters: s
            .quarters
            .iter()
            .map(|(p, q)| {
                (
                    plan_title(p),
                    q.map_or_else(|| "no quarter recorded".to_string(), |q| q.to_string()),
                )
            })
            .collect(),
        objectives,
        milestones,
        indicators,
    })
}

/// The priority pages a list of frame refs links up to: (title, href), or no href for a ref
/// the council's frame does not hold.
pub fn links_up(data: &CouncilData, refs: &[&beacon_domain::Ref]) -> Vec<(String, String)> {
    let c = data.council.reference.as_str();
    refs.iter()
        .map(|r| {
            data.frames.iter().find(|f| &&f.reference == r).map_or_else(
                || (r.to_string(), String::new()),
                |f| {
                    let l = link(c, f);
                    (l.label, l.href)
                },
            )
        })
        .collect()
}
