//! The data the contract stories write: a council with every field and list set, in awkward
//! shapes (unicode, long text, words-and-numbers values, decimals that keep their scale, money
//! at the limits of pence), a second council that reuses its refs, and bare plans and quarters.
//! Kept in step with `store-sqlite`'s own round-trip test, from which it was taken.

use beacon_app::{ChangeSet, CouncilChanges, CouncilData};
use beacon_domain::Ref;
use beacon_domain::budget::{
    Amounts, BudgetChange, ChangeKind, ChangeTotal, Group, Line, OutturnProjection, Statement,
    StatementKind,
};
use beacon_domain::equality::{EqualityAction, Impact};
use beacon_domain::frame::{Frame, FrameKind};
use beacon_domain::indicator::{
    Accumulation, Baseline, Better, Calendar, Category, Comparator, ComparatorKind, Frequency,
    Indicator, MeasureUnit,
};
use beacon_domain::measure::{Measure, Qualifier};
use beacon_domain::money::{Pence, Scale};
use beacon_domain::objective::{Due, Milestone, Objective};
use beacon_domain::organisation::{Council, Officer, Unit, UnitKind};
use beacon_domain::period::Period;
use beacon_domain::plan::{
    Factor, FactorCategory, Plan, PlanDocument, PlanStatus, Section, SectionKind,
};
use beacon_domain::quarter::{
    Commentary, CommentaryAbout, EqualityUpdate, Narrative, Progress, ProgressStatus,
    QuarterHeader, QuarterRecord, RiskUpdate, ValueEntry,
};
use beacon_domain::risk::{Band, Risk, RiskAssessment};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub mod governance;

pub fn r(s: &str) -> Ref {
    s.parse().unwrap()
}
pub fn refs(list: &[&str]) -> Vec<Ref> {
    list.iter().map(|s| r(s)).collect()
}
pub fn p(s: &str) -> Period {
    s.parse().unwrap()
}
pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}
pub fn m(s: &str) -> Measure {
    Measure::parse(s).unwrap()
}

/// Everything of `d` as one change set.
pub fn everything(d: &CouncilData) -> ChangeSet {
    ChangeSet {
        councils: vec![CouncilChanges::everything(d)],
        ..Default::default()
    }
}

pub fn long_text() -> String {
    let para = "Children’s services in Halton — “narrowing the gap” for pupils eligible for FSM; \
                naïve café résumé ✓ 日本語 🚸.\n\n- a bullet\n- another bullet\n";
    para.repeat(150)
}

pub fn rich_plan() -> PlanDocument {
    PlanDocument {
        plan: rich_plan_header(),
        objectives: rich_objectives(),
        indicators: rich_indicators(),
        risks: rich_risks(),
        equality_actions: rich_equality_actions(),
        budget_changes: rich_budget_changes(),
        budget_totals: vec![ChangeTotal {
            label: "Total savings 2011/12".into(),
            kind: Some(ChangeKind::Saving),
            year: Some("2011/12".parse().unwrap()),
            stated: Pence(-120_000_000),
            scale: Scale::Thousands,
        }],
    }
}

/// The rich plan's header, sections and factors.
fn rich_plan_header() -> Plan {
    Plan {
        reference: r("CYPD-2011-14"),
        title: "Children & Young People’s Directorate Plan".into(),
        unit: r("CYPD"),
        years: "2011/12-2013/14".parse().unwrap(),
        status: PlanStatus::Approved,
        version: 3,
        refreshes: Some(r("CYPD-2010-13")),
        source: Some("seed 000".into()),
        sections: vec![
            Section {
                kind: SectionKind::Foreword,
                heading: "Foreword from Strategic Director".into(),
                text: long_text(),
            },
            Section {
                kind: SectionKind::KeyMessages,
                heading: "Key messages".into(),
                text: "".into(),
            },
        ],
        factors: vec![
            Factor {
                category: FactorCategory::Political,
                heading: "Academies".into(),
                text: "The Academies Act 2010…".into(),
            },
            Factor {
                category: FactorCategory::Economic,
                heading: "Grant reductions".into(),
                text: "Area-based grant ends.".into(),
            },
        ],
    }
}

/// The rich plan's objectives and milestones.
fn rich_objectives() -> Vec<Objective> {
    vec![
        Objective {
            reference: r("CFS1"),
            unit: Some(r("CFS")),
            statement: "To ensure that children in need are safeguarded".into(),
            links: refs(&["CP3", "AOF14", "CYPP SS4"]),
            cross_refs: refs(&["ULS1", "PS3"]),
            officer: Some("DM CIC".into()),
            initial_risk: Some(RiskAssessment {
                score: Some(8),
                likelihood: None,
                impact: None,
                band: None,
            }),
            residual_risk: Some(RiskAssessment {
                score: Some(4),
                likelihood: Some(2),
                impact: Some(2),
                band: Some(Band::Low),
            }),
            indicators: refs(&["NI075", "SS LI1"]),
            starts: None,
            ends: None,
            milestones: vec![
                Milestone {
                    reference: r("CFS1/1"),
                    year: "2011/12".parse().unwrap(),
                    text: "Evaluate the supervision policy by March 2012".into(),
                    due: Due::Month("2012-03".parse().unwrap()),
                    officer: Some("TC".into()),
                    priority: Some(r("Commissioning")),
                    before_plan: None,
                    carried_from: None,
                },
                Milestone {
                    reference: r("CFS1/2"),
                    year: "2012/13".parse().unwrap(),
                    text: "Open the centre".into(),
                    due: Due::Day("2012-09-26".parse().unwrap()),
                    officer: None,
                    priority: None,
                    before_plan: None,
                    carried_from: None,
                },
                Milestone {
                    reference: r("CFS1/3"),
                    year: "2012/13".parse().unwrap(),
                    text: "Report to the board".into(),
                    // Kept exactly, trailing space and all.
                    due: Due::Recurring("termly ".into()),
                    officer: None,
                    priority: None,
                    before_plan: None,
                    carried_from: None,
                },
                Milestone {
                    reference: r("CFS1/4"),
                    year: "2013/14".parse().unwrap(),
                    text: "No date given".into(),
                    due: Due::None,
                    officer: Some("AMc".into()),
                    priority: Some(r("Narrowing the Gap")),
                    before_plan: None,
                    carried_from: None,
                },
            ],
        },
        Objective {
            reference: r("CFS2"),
            unit: None,
            statement: "".into(),
            links: vec![],
            cross_refs: vec![],
            officer: None,
            initial_risk: None,
            residual_risk: None,
            indicators: vec![],
            starts: None,
            ends: None,
            milestones: vec![],
        },
        Objective {
            reference: r("AA0"),
            unit: None,
            statement: "Listed after CFS2 on purpose: order is kept".into(),
            links: refs(&["CP1"]),
            cross_refs: vec![],
            officer: None,
            // A recorded but empty assessment is not the same as none.
            initial_risk: Some(RiskAssessment {
                score: None,
                likelihood: None,
                impact: None,
                band: None,
            }),
            residual_risk: Some(RiskAssessment {
                score: None,
                likelihood: None,
                impact: None,
                band: Some(Band::High),
            }),
            indicators: vec![],
            starts: None,
            ends: None,
            milestones: vec![Milestone {
                reference: r("AA0/1"),
                year: "2011/12".parse().unwrap(),
                text: "x".into(),
                due: Due::None,
                officer: None,
                priority: None,
                before_plan: None,
                carried_from: None,
            }],
        },
    ]
}

/// Targets, a profile and values in every form a measure takes, numbers at their limits.
fn rich_measures() -> (
    BTreeMap<Period, Measure>,
    BTreeMap<Period, Measure>,
    BTreeMap<Period, Measure>,
) {
    let mut targets = BTreeMap::new();
    targets.insert(p("2010/11"), m("52.3%"));
    targets.insert(p("2011/12"), m("54%"));
    targets.insert(p("2013/14"), m("Not set"));
    targets.insert(
        p("2012/13"),
        Measure::new(
            "5.8% (March 2012)",
            Some(dec("5.80")),
            vec![Qualifier::Provisional, Qualifier::Estimated],
            Some(p("2012-03")),
        )
        .unwrap(),
    );
    let mut profile = BTreeMap::new();
    profile.insert(p("2012/13 Q1"), m("25"));
    profile.insert(p("2012/13 Q2"), Measure::number(dec("50.000")));
    let mut values = BTreeMap::new();
    values.insert(p("2009/10"), m("45%"));
    values.insert(p("2010/11"), m("50% (provisional)"));
    values.insert(p("AY 2011/12"), m("54.1 unvalidated"));
    values.insert(p("2012"), m("454 (A4E) 1118 (Ingeus)"));
    values.insert(
        p("2012-06"),
        Measure::new(
            "63.3 rolling quarterly average",
            Some(dec("63.3")),
            vec![],
            None,
        )
        .unwrap(),
    );
    values.insert(
        p("2012/13 Q3"),
        Measure::number(dec("-0.0000000000000000000000000001")),
    );
    values.insert(p("2012/13 Q4"), Measure::number(Decimal::MAX));
    (targets, profile, values)
}

/// The rich plan's indicators.
fn rich_indicators() -> Vec<Indicator> {
    let (targets, profile, values) = rich_measures();
    vec![
        Indicator {
            reference: r("NI075"),
            printed_ref: Some(r("NI 75")),
            aliases: refs(&["SCS CYP03", "LAA 7"]),
            library: None,
            description: "Proportion achieving 5+ GCSE A*-C including English and Maths".into(),
            unit: Some(r("LAS")),
            group: Some("Learning and Achievement Services Indicators".into()),
            category: Some(Category::ServiceDelivery),
            key: true,
            measure: Some(MeasureUnit::Percent),
            better: Some(Better::Higher),
            frequency: Some(Frequency::Termly),
            census: None,
            accumulation: Accumulation::Cumulative,
            calendar: Calendar::Academic,
            data_source: Some("DfE performance tables".into()),
            notes: Some(long_text()),
            links: refs(&["AOF14", "CP3"]),
            priority: Some(r("Narrowing the Gap")),
            tolerance_percent: Some(dec("2.50")),
            quality: Default::default(),
            officer: Some("SN".into()),
            baseline: Some(Baseline {
                period: p("2009/10"),
                value: m("45%"),
            }),
            targets,
            profile,
            values,
            comparators: vec![
                Comparator {
                    period: p("2007/08"),
                    kind: ComparatorKind::EnglandTopQuartile,
                    name: None,
                    source: None,
                    value: m("62%"),
                },
                Comparator {
                    period: p("2007/08"),
                    kind: ComparatorKind::National,
                    name: None,
                    source: None,
                    value: Measure::new(
                        "48% (as at Jan)",
                        Some(dec("48")),
                        vec![],
                        Some(p("2008-01")),
                    )
                    .unwrap(),
                },
            ],
        },
        Indicator {
            reference: r("NI113"),
            printed_ref: None,
            aliases: vec![],
            library: None,
            description: "Chlamydia prevalence".into(),
            unit: None,
            group: None,
            category: None,
            key: false,
            measure: None,
            better: None,
            frequency: None,
            census: None,
            accumulation: Accumulation::Snapshot,
            calendar: Calendar::Financial,
            data_source: None,
            notes: None,
            links: vec![],
            priority: None,
            tolerance_percent: None,
            quality: Default::default(),
            officer: None,
            baseline: None,
            targets: BTreeMap::new(),
            profile: BTreeMap::new(),
            values: BTreeMap::new(),
            comparators: vec![],
        },
    ]
}

fn rich_risks() -> Vec<Risk> {
    vec![
        Risk {
            reference: r("SS2/1"),
            objective: Some(r("CFS1")),
            description: "Lack of quality local foster care provision".into(),
            initial: Some(RiskAssessment {
                score: None,
                likelihood: None,
                impact: None,
                band: Some(Band::High),
            }),
            residual: Some(RiskAssessment {
                score: Some(8),
                likelihood: Some(2),
                impact: Some(4),
                band: None,
            }),
            treatment: vec![
                "Targeted recruitment".into(),
                "Fee review — “Payment for skills”".into(),
            ],
        },
        Risk {
            reference: r("SS2/2"),
            objective: None,
            description: "".into(),
            initial: None,
            residual: None,
            treatment: vec![],
        },
    ]
}

fn rich_equality_actions() -> Vec<EqualityAction> {
    vec![
        EqualityAction {
            reference: r("EA1"),
            area: "Specialist Services".into(),
            impact: Some(Impact::High),
            action: "Ensure staff take Equality and Diversity training".into(),
            themes: vec![],
            success_measure: None,
            evidence: None,
            target_date: Due::None,
            completed: false,
            years: vec![
                "2009/10".parse().unwrap(),
                "2010/11".parse().unwrap(),
                "2011/12".parse().unwrap(),
            ],
            officer: Some("OD Specialist Services and all DM's".into()),
        },
        EqualityAction {
            reference: r("EA2"),
            area: "Youth service".into(),
            impact: Some(Impact::None),
            action: "None required".into(),
            themes: vec![],
            success_measure: None,
            evidence: None,
            target_date: Due::None,
            completed: false,
            years: vec![],
            officer: None,
        },
    ]
}

fn rich_budget_changes() -> Vec<BudgetChange> {
    vec![
        BudgetChange {
            kind: ChangeKind::Saving,
            year: "2011/12".parse().unwrap(),
            description: "Reduce agency staff".into(),
            amount: Some(Pence(-120_000_000)),
            scale: Scale::Thousands,
        },
        BudgetChange {
            kind: ChangeKind::Investment,
            year: "2012/13".parse().unwrap(),
            description: "Amount to be confirmed".into(),
            amount: None,
            scale: Scale::Pounds,
        },
    ]
}

pub fn bare_plan(reference: &str) -> PlanDocument {
    PlanDocument {
        plan: Plan {
            reference: r(reference),
            title: "Bare plan".into(),
            unit: r("CED"),
            years: "2012/13-2012/13".parse().unwrap(),
            status: PlanStatus::Draft,
            version: 1,
            refreshes: None,
            source: None,
            sections: vec![],
            factors: vec![],
        },
        objectives: vec![],
        indicators: vec![],
        risks: vec![],
        equality_actions: vec![],
        budget_changes: vec![],
        budget_totals: vec![],
    }
}

pub fn narrative(title: &str, initials: &[&str]) -> Narrative {
    Narrative {
        title: title.into(),
        text: long_text(),
        initials: refs(initials),
    }
}

pub fn rich_quarter() -> QuarterRecord {
    QuarterRecord {
        header: QuarterHeader {
            unit: r("CED"),
            period: "2012/13 Q2".parse().unwrap(),
            plan: r("CYPD-2011-14"),
            title: "Directorate Performance Overview Report".into(),
            introduction: Some("Introduction ✓".into()),
            equality_summary: Some("All actions on track.".into()),
        },
        key_developments: vec![
            narrative(
                "Inspiring Families Project (previously Troubled Families)",
                &["AMc", "TC"],
            ),
            narrative("Ofsted inspection", &[]),
        ],
        emerging_issues: vec![narrative("Welfare reform", &["SN"])],
        risk_updates: vec![
            RiskUpdate {
                risk: r("SS2/1"),
                title: Some("Foster care".into()),
                likelihood: Some(3),
                impact: Some(4),
                text: "Recruiting.".into(),
                initials: refs(&["SN"]),
            },
            RiskUpdate {
                risk: r("LAS1"),
                title: None,
                likelihood: None,
                impact: None,
                text: "".into(),
                initials: vec![],
            },
        ],
        equality_updates: vec![EqualityUpdate {
            action: r("EA1"),
            text: "Training done".into(),
            initials: refs(&["TC", "AMc"]),
        }],
        values: vec![
            ValueEntry {
                indicator: r("SCS CYP09"),
                period: p("2012/13 Q2"),
                value: m("76%"),
                officer: Some(r("SN")),
            },
            ValueEntry {
                indicator: r("NI075"),
                period: p("AY 2011/12"),
                value: Measure::new(
                    "59%",
                    Some(dec("59")),
                    vec![Qualifier::Provisional],
                    Some(p("2012-08")),
                )
                .unwrap(),
                officer: None,
            },
        ],
        progress: vec![
            Progress {
                milestone: r("CFS1/1"),
                status: ProgressStatus::Complete,
                completed: Some("2012-09-14".parse().unwrap()),
                initials: refs(&["TC"]),
            },
            Progress {
                milestone: r("CFS1/2"),
                status: ProgressStatus::AtRisk,
                completed: None,
                initials: vec![],
            },
        ],
        commentary: vec![
            Commentary {
                priority: Some(r("Commissioning")),
                about: CommentaryAbout::Milestones,
                text: "On track.".into(),
                initials: refs(&["SN"]),
                refs: refs(&["LAS1", "CFS1/1"]),
            },
            Commentary {
                priority: None,
                about: CommentaryAbout::Indicators,
                text: "On an item outside any priority.".into(),
                initials: vec![],
                refs: refs(&["NI113"]),
            },
            Commentary {
                priority: Some(r("Narrowing the Gap")),
                about: CommentaryAbout::Indicators,
                text: long_text(),
                initials: vec![],
                refs: vec![],
            },
        ],
    }
}

pub fn bare_quarter(unit: &str, period: &str) -> QuarterRecord {
    QuarterRecord {
        header: QuarterHeader {
            unit: r(unit),
            period: period.parse().unwrap(),
            plan: r("CED-2012-13"),
            title: "Quarterly report".into(),
            introduction: None,
            equality_summary: None,
        },
        key_developments: vec![],
        emerging_issues: vec![],
        risk_updates: vec![],
        equality_updates: vec![],
        values: vec![],
        progress: vec![],
        commentary: vec![],
    }
}

pub fn amounts(a: i64, t: i64, s: i64) -> Amounts {
    Amounts {
        annual: Pence(a),
        to_date: Pence(t),
        spent: Pence(s),
    }
}

pub fn group(
    key: &str,
    parent: Option<&str>,
    label: &str,
    heading: Option<&str>,
    stated: Option<Amounts>,
) -> Group {
    Group {
        key: r(key),
        parent: parent.map(r),
        label: label.into(),
        heading: heading.map(Into::into),
        stated,
    }
}

pub fn revenue_statement() -> Statement {
    Statement {
        reference: r("CED-revenue"),
        period: "2012/13 Q2".parse().unwrap(),
        unit: r("CED"),
        kind: StatementKind::Revenue,
        title: "Children & Enterprise Directorate – Summary Financial Position as at 30th September 2012".into(),
        scale: Scale::Thousands,
        notes: Some("Figures are provisional.\n\nSee note 2.".into()),
        projection: Some(OutturnProjection::StraightLine),
        groups: vec![
            group("net", None, "Net Expenditure", None, Some(amounts(2_998_200_000, 876_400_000, 821_200_000))),
            group("nob", Some("net"), "NET OPERATIONAL BUDGET", None, None),
            group("expenditure", Some("nob"), "Total Expenditure", Some("Expenditure"), Some(amounts(4_891_100_000, 2_120_000_000, 2_043_000_000))),
            group("income", Some("nob"), "Total Income", Some("Income"), None),
            group("recharges", Some("net"), "Total Recharges", None, Some(amounts(-1, 0, i64::MIN))),
        ],
        lines: vec![
            Line { group: r("expenditure"), label: "Employees".into(), amounts: amounts(2_050_400_000, 927_100_000, 913_900_000), note: None, source_note: None },
            Line { group: r("expenditure"), label: "Premises".into(), amounts: amounts(0, 0, 0), note: Some("Includes £1,000 one-off".into()), source_note: Some("The source prints this line twice; the second copy is left out.".into()) },
            Line { group: r("income"), label: "Fees & charges".into(), amounts: amounts(-450_000_000, -225_000_000, -3_000_000), note: None, source_note: None },
            Line { group: r("recharges"), label: "Central support".into(), amounts: amounts(i64::MAX, i64::MIN, -1), note: None, source_note: None },
        ],
    }
}

pub fn capital_statement() -> Statement {
    Statement {
        reference: r("CED-capital"),
        period: "2012/13 Q1".parse().unwrap(),
        unit: r("CED"),
        kind: StatementKind::Capital,
        title: "Capital".into(),
        scale: Scale::Pounds,
        notes: None,
        projection: None,
        groups: vec![],
        lines: vec![],
    }
}

/// An annual budget book by service line (expenditure, income, net in £'000) with a group of
/// lines and a stated grand total; a year's book holds the year's first quarter.
pub fn budget_book_statement() -> Statement {
    let k = |n: i64| n * 100_000;
    Statement {
        reference: r("CYPD-budget"),
        period: "2011/12 Q1".parse().unwrap(),
        unit: r("CED"),
        kind: StatementKind::BudgetBook,
        title: "Children's services budget 2011/12".into(),
        scale: Scale::Thousands,
        notes: None,
        projection: None,
        groups: vec![
            group(
                "total",
                None,
                "Total Children's Services",
                None,
                Some(amounts(k(9_300), k(1_900), k(7_400))),
            ),
            group(
                "early",
                Some("total"),
                "Early help",
                Some("Early help"),
                None,
            ),
        ],
        lines: vec![
            Line {
                group: r("early"),
                label: "Children's centres".into(),
                amounts: amounts(k(5_200), k(1_150), k(4_050)),
                note: None,
                source_note: None,
            },
            Line {
                group: r("early"),
                label: "Youth service".into(),
                amounts: amounts(k(1_600), k(250), k(1_350)),
                note: None,
                source_note: None,
            },
            Line {
                group: r("total"),
                label: "Safeguarding".into(),
                amounts: amounts(k(2_500), k(500), k(2_000)),
                note: None,
                source_note: None,
            },
        ],
    }
}

/// A council with every field and list set, in normalised order.
pub fn rich_council() -> CouncilData {
    let mut d = CouncilData::new(Council {
        reference: "halton".parse().unwrap(),
        name: "Halton Borough Council — Cyngor Bwrdeistref ✓".into(),
        tolerance_percent: Some(dec("5.50")),
        colour: Some("#00703c".into()),
        risk_matrix: Some("5/6/14".parse().unwrap()),
        projection: Some(OutturnProjection::Profile),
        exceptions: Some(beacon_domain::organisation::ExceptionsPlacement::First),
    });
    d.units = vec![
        Unit {
            reference: r("CED"),
            name: "Children & Enterprise".into(),
            kind: UnitKind::Directorate,
            parent: None,
            head: None,
        },
        Unit {
            reference: r("CFS"),
            name: "Children & Families Services".into(),
            kind: UnitKind::Department,
            parent: Some(r("CED")),
            head: Some(r("TC")),
        },
    ];
    d.officers = vec![
        Officer {
            reference: r("AMc"),
            name: "Ann McIntyre".into(),
            role: Some("Operational Director".into()),
            unit: Some(r("CFS")),
            aliases: refs(&["AM", "A Mc"]),
        },
        Officer {
            reference: r("TC"),
            name: "Tracey Coffey".into(),
            role: None,
            unit: None,
            aliases: vec![],
        },
    ];
    d.frames = vec![
        Frame {
            reference: r("AOF14"),
            kind: FrameKind::AreaOfFocus,
            title: "Area of focus 14".into(),
            number: Some(14),
            parent: Some(r("CP3")),
        },
        Frame {
            reference: r("CP3"),
            kind: FrameKind::CorporatePriority,
            title: "Halton’s Children and Young People".into(),
            number: Some(3),
            parent: None,
        },
        Frame {
            reference: r("Commissioning"),
            kind: FrameKind::DirectoratePriority,
            title: "Commissioning".into(),
            number: None,
            parent: None,
        },
    ];
    d.plans = vec![rich_plan(), bare_plan("CED-2012-13")];
    d.quarters = vec![rich_quarter(), bare_quarter("CED", "2012/13 Q3")];
    d.statements = vec![revenue_statement(), capital_statement()];
    d.overrides = vec![
        beacon_domain::status::overrides::Override {
            plan: r("CYPD-2011-14"),
            kind: beacon_domain::status::overrides::ItemKind::Indicator,
            item: r("NI075"),
            quarter: "2012/13 Q2".parse().unwrap(),
            computed: beacon_domain::status::Progress::Red,
            chosen: beacon_domain::status::Progress::Amber,
            reason: "Uncertain at this stage — «provisional» data".into(),
            by: "TC".into(),
            at: "2012-10-20T10:00:00Z".parse().unwrap(),
        },
        beacon_domain::status::overrides::Override {
            plan: r("CED-2012-13"),
            kind: beacon_domain::status::overrides::ItemKind::Milestone,
            item: r("CFS2/1"),
            quarter: "2012/13 Q3".parse().unwrap(),
            computed: beacon_domain::status::Progress::NotAssessed,
            chosen: beacon_domain::status::Progress::Green,
            reason: "Consultation went out in November".into(),
            by: "Tracey Coffey".into(),
            at: "2013-01-05T16:45:00+00:00".parse().unwrap(),
        },
    ];
    d.normalise();
    d
}

/// A second council that reuses the first one's refs.
pub fn other_council() -> CouncilData {
    let mut d = CouncilData::new(Council {
        reference: "knowsley".parse().unwrap(),
        name: "Knowsley Council".into(),
        tolerance_percent: None,
        colour: None,
        risk_matrix: None,
        projection: None,
        exceptions: None,
    });
    d.units = vec![Unit {
        reference: r("CED"),
        name: "Another CED".into(),
        kind: UnitKind::Team,
        parent: None,
        head: None,
    }];
    d.plans = vec![bare_plan("CYPD-2011-14")];
    d.quarters = vec![bare_quarter("CED", "2012/13 Q2")];
    d.statements = vec![capital_statement()];
    d.normalise();
    d
}
