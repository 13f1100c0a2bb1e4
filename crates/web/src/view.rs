//! What every page shows around its content (the council's name and colour, navigation,
//! breadcrumbs) and statuses as views: a class, a word and a reason.

use crate::paths;
use beacon_app::CouncilData;
use beacon_app::status::SetByHand;
use beacon_domain::period::Quarter;
use beacon_domain::status::{Assessed, Progress, Travel};

/// A link in the navigation or breadcrumbs.
pub struct Link {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The frame of every page.
pub struct Chrome {
    pub service: String,
    pub organisation: String,
    pub colour: String,
    pub home: String,
    pub nav: Vec<Link>,
    pub crumbs: Vec<Link>,
}

/// Which navigation item a page belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Quarter,
    Plans,
    Priorities,
    Budget,
    Search,
    /// Pages outside the sections (the council's users): no item is current.
    Administration,
}

impl Chrome {
    /// The frame for pages outside any council.
    pub fn plain() -> Chrome {
        Chrome {
            service: "Beacon".into(),
            organisation: "Beacon".into(),
            colour: "#0b0c0c".into(),
            home: "/".into(),
            nav: Vec::new(),
            crumbs: Vec::new(),
        }
    }

    /// The frame for a council's pages: its name and colour, and the sections.
    pub fn council(data: &CouncilData, latest: Option<Quarter>, at: Section) -> Chrome {
        let c = data.council.reference.as_str();
        let mut nav = vec![Link {
            label: "Overview".into(),
            href: paths::council(c),
            current: at == Section::Home,
        }];
        if let Some(q) = latest {
            nav.push(Link {
                label: format!("Quarter {} {}", q.q.number(), q.year),
                href: paths::dashboard(c, q, None),
                current: at == Section::Quarter,
            });
            nav.push(Link {
                label: "Budget".into(),
                href: paths::budget(c, q),
                current: at == Section::Budget,
            });
        }
        nav.push(Link {
            label: "Plans".into(),
            href: format!("{}#plans", paths::council(c)),
            current: at == Section::Plans,
        });
        nav.push(Link {
            label: "Priorities".into(),
            href: paths::priorities(c),
            current: at == Section::Priorities,
        });
        nav.push(Link {
            label: "Search".into(),
            href: paths::search(c),
            current: at == Section::Search,
        });
        Chrome {
            service: "Performance".into(),
            organisation: data.council.name.clone(),
            colour: data
                .council
                .colour
                .clone()
                .unwrap_or_else(|| "#0b0c0c".into()),
            home: paths::council(c),
            nav,
            crumbs: Vec::new(),
        }
    }

    /// Adds breadcrumbs.
    pub fn with_crumbs(mut self, crumbs: Vec<(String, String)>) -> Chrome {
        self.crumbs = crumbs
            .into_iter()
            .map(|(label, href)| Link {
                label,
                href,
                current: false,
            })
            .collect();
        self
    }
}

/// A status as a page shows it.
#[derive(Clone)]
pub struct StatusView {
    /// The CSS modifier: green, amber, red, not-assessed, better, same, worse, na.
    pub class: &'static str,
    pub label: &'static str,
    pub reason: String,
    /// Who set it by hand, when and why.
    pub by_hand: Option<String>,
}

impl StatusView {
    pub fn progress(
        status: Progress,
        computed: &Assessed<Progress>,
        hand: Option<&SetByHand>,
    ) -> StatusView {
        StatusView {
            class: status.as_str(),
            label: status.label(),
            reason: computed.reason.clone(),
            by_hand: hand.map(|h| {
                format!(
                    "{} by {} on {}: {} (the rules gave {})",
                    status.label(),
                    h.by,
                    h.at.format("%Y-%m-%d"),
                    h.reason,
                    computed.status.label()
                )
            }),
        }
    }

    pub fn travel(t: &Assessed<Travel>) -> StatusView {
        StatusView {
            class: match t.status {
                Travel::Better => "better",
                Travel::Same => "same",
                Travel::Worse => "worse",
                Travel::NotComparable => "na",
            },
            label: t.status.label(),
            reason: t.reason.clone(),
            by_hand: None,
        }
    }
}

/// The latest quarter that has a monitoring record, for navigation.
pub fn latest_quarter(data: &CouncilData) -> Option<Quarter> {
    data.quarters.iter().map(|q| q.header.period).max()
}
