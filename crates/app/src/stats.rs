//! Counts of what a database holds, for `beacon stats` and for checking a load.

use serde::Serialize;

/// How many of each thing are stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub councils: u64,
    pub units: u64,
    pub officers: u64,
    pub frames: u64,
    pub plans: u64,
    pub objectives: u64,
    pub milestones: u64,
    pub indicators: u64,
    pub targets: u64,
    pub values: u64,
    pub comparators: u64,
    pub risks: u64,
    pub equality_actions: u64,
    pub budget_changes: u64,
    pub quarters: u64,
    pub narratives: u64,
    pub quarter_values: u64,
    pub milestone_progress: u64,
    pub commentary: u64,
    pub budget_statements: u64,
    pub budget_lines: u64,
    pub overrides: u64,
}

impl Stats {
    /// Name and count pairs in a fixed order, for printing.
    pub fn rows(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("councils", self.councils),
            ("units", self.units),
            ("officers", self.officers),
            ("frames", self.frames),
            ("plans", self.plans),
            ("objectives", self.objectives),
            ("milestones", self.milestones),
            ("indicators", self.indicators),
            ("targets", self.targets),
            ("values", self.values),
            ("comparators", self.comparators),
            ("risks", self.risks),
            ("equality actions", self.equality_actions),
            ("budget changes", self.budget_changes),
            ("quarters", self.quarters),
            ("narratives", self.narratives),
            ("quarter values", self.quarter_values),
            ("milestone progress", self.milestone_progress),
            ("commentary", self.commentary),
            ("budget statements", self.budget_statements),
            ("budget lines", self.budget_lines),
            ("statuses set by hand", self.overrides),
        ]
    }
}
