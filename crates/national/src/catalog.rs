//! The set's small tables in memory while loading: councils by slot, indicators, periods and
//! comparison groups, each code interned to the integer that the stored arrays are indexed by;
//! and the cube of values a load brings, one array by council slot per indicator and period.

use crate::model::{Polarity, RegisteredCouncil};
use std::collections::HashMap;

/// A national indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalIndicator {
    pub code: String,
    pub name: Option<String>,
    pub polarity: Polarity,
    /// False when no file has said which way is better and higher is assumed.
    pub polarity_stated: bool,
}

/// A comparison group: a region, or a council's statistical or nearest neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: String,
    pub name: String,
    /// The council whose neighbours these are.
    pub owner: Option<u32>,
    /// Council slots.
    pub members: Vec<u32>,
}

/// The kind of group made from the register's regions.
pub const REGION: &str = "region";

/// Councils, indicators, periods and groups, with their codes interned.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub councils: Vec<RegisteredCouncil>,
    council_ix: HashMap<String, u32>,
    pub indicators: Vec<NationalIndicator>,
    indicator_ix: HashMap<String, u32>,
    pub periods: Vec<String>,
    period_ix: HashMap<String, u32>,
    pub groups: Vec<Group>,
    /// Set when polarities, the register's regions or groups changed, so every stored slice's
    /// positions and group means must be computed again.
    pub recompute_all: bool,
}

/// The most councils the set holds (ranks are stored in 16 bits).
pub const MAX_COUNCILS: usize = 60_000;

impl Catalog {
    pub fn council(&self, code: &str) -> Option<u32> {
        self.council_ix.get(code).copied()
    }
    pub fn indicator(&self, code: &str) -> Option<u32> {
        self.indicator_ix.get(code).copied()
    }
    pub fn period(&self, label: &str) -> Option<u32> {
        self.period_ix.get(label).copied()
    }

    /// The slot of a council, added to the register by code alone when it is not there.
    pub fn intern_council(&mut self, code: &str) -> Result<u32, String> {
        if let Some(i) = self.council_ix.get(code) {
            return Ok(*i);
        }
        if self.councils.len() >= MAX_COUNCILS {
            return Err(format!("more than {MAX_COUNCILS} councils"));
        }
        let i = self.councils.len() as u32;
        self.councils.push(RegisteredCouncil {
            code: code.to_string(),
            name: code.to_string(),
            region: None,
            kind: None,
        });
        self.council_ix.insert(code.to_string(), i);
        Ok(i)
    }

    /// Adds or replaces a council's register entry.
    pub fn register(&mut self, c: RegisteredCouncil) -> Result<u32, String> {
        let slot = self.intern_council(&c.code)?;
        let old = &mut self.councils[slot as usize];
        if old.region != c.region {
            self.recompute_all = true;
        }
        *old = c;
        Ok(slot)
    }

    /// The id of an indicator, added with polarity assumed higher when it is new.
    pub fn intern_indicator(&mut self, code: &str) -> u32 {
        if let Some(i) = self.indicator_ix.get(code) {
            return *i;
        }
        let i = self.indicators.len() as u32;
        self.indicators.push(NationalIndicator {
            code: code.to_string(),
            name: None,
            polarity: Polarity::Higher,
            polarity_stated: false,
        });
        self.indicator_ix.insert(code.to_string(), i);
        i
    }

    /// States an indicator's name and polarity.
    pub fn define_indicator(&mut self, code: &str, name: Option<String>, polarity: Polarity) {
        let i = self.intern_indicator(code) as usize;
        let ind = &mut self.indicators[i];
        if ind.polarity != polarity {
            self.recompute_all = true;
        }
        ind.polarity = polarity;
        ind.polarity_stated = true;
        if name.is_some() {
            ind.name = name;
        }
    }

    pub fn intern_period(&mut self, label: &str) -> u32 {
        if let Some(i) = self.period_ix.get(label) {
            return *i;
        }
        let i = self.periods.len() as u32;
        self.periods.push(label.to_string());
        self.period_ix.insert(label.to_string(), i);
        i
    }

    /// Replaces the groups of `kind` owned by `owner` (or the named group) with this one.
    pub fn set_group(&mut self, group: Group) {
        self.recompute_all = true;
        match self
            .groups
            .iter_mut()
            .find(|g| g.kind == group.kind && g.name == group.name)
        {
            Some(g) => *g = group,
            None => self.groups.push(group),
        }
    }

    /// Makes one group per region of the register, keeping every other group's id.
    pub fn rebuild_regions(&mut self) {
        let mut by_region: Vec<(String, Vec<u32>)> = Vec::new();
        for (slot, c) in self.councils.iter().enumerate() {
            if let Some(r) = &c.region {
                match by_region.iter_mut().find(|(n, _)| n == r) {
                    Some((_, m)) => m.push(slot as u32),
                    None => by_region.push((r.clone(), vec![slot as u32])),
                }
            }
        }
        for g in self.groups.iter_mut().filter(|g| g.kind == REGION) {
            g.members.clear();
        }
        for (name, members) in by_region {
            let group = Group {
                kind: REGION.to_string(),
                name,
                owner: None,
                members,
            };
            match self
                .groups
                .iter_mut()
                .find(|g| g.kind == REGION && g.name == group.name)
            {
                Some(g) => *g = group,
                None => self.groups.push(group),
            }
        }
    }

    /// The groups a council owns (its neighbours) and the region it is in, by id.
    pub fn groups_of(&self, slot: u32) -> Vec<(u32, &Group)> {
        let region = self
            .councils
            .get(slot as usize)
            .and_then(|c| c.region.as_ref());
        self.groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.owner == Some(slot) || (g.kind == REGION && Some(&g.name) == region))
            .map(|(i, g)| (i as u32, g))
            .collect()
    }
}

/// The values a load brings: for each (indicator, period) an array by council slot, NaN where
/// the load has no value.
#[derive(Debug, Default)]
pub struct Cube {
    /// Each slice's place in `slices`, by indicator id then period id (`NONE` where the load
    /// has no value): two array reads a value instead of hashing, since ids are dense.
    index: Vec<Vec<u32>>,
    pub keys: Vec<(u32, u32)>,
    pub slices: Vec<Vec<f64>>,
    /// Values set, suppressed marks not counted.
    pub values: u64,
    /// Cells read with a suppression mark or left blank.
    pub suppressed: u64,
}

/// No slice yet for an indicator and period.
const NONE: u32 = u32::MAX;

/// The most cells (slices × councils) one load holds in memory: 100 million, 800 MB.
pub const MAX_CELLS: usize = 100_000_000;

impl Cube {
    /// Sets a value; Err when the load already gave one for this council, indicator and period,
    /// or when the cube would grow past [`MAX_CELLS`].
    pub fn set(
        &mut self,
        indicator: u32,
        period: u32,
        slot: u32,
        value: f64,
    ) -> Result<(), String> {
        let at = self
            .index
            .get(indicator as usize)
            .and_then(|row| row.get(period as usize))
            .copied()
            .filter(|i| *i != NONE);
        let i = match at {
            Some(i) => i as usize,
            None => {
                if (self.slices.len() + 1) * (slot as usize + 1) > MAX_CELLS {
                    return Err(format!(
                        "the load holds more than {MAX_CELLS} cells (indicators × periods × \
                         councils); load the files in smaller parts"
                    ));
                }
                let (ind, per) = (indicator as usize, period as usize);
                if self.index.len() <= ind {
                    self.index.resize(ind + 1, Vec::new());
                }
                let row = &mut self.index[ind];
                if row.len() <= per {
                    row.resize(per + 1, NONE);
                }
                row[per] = self.slices.len() as u32;
                self.keys.push((indicator, period));
                self.slices.push(Vec::with_capacity(slot as usize + 1));
                self.slices.len() - 1
            }
        };
        let s = &mut self.slices[i];
        let slot = slot as usize;
        if s.len() <= slot {
            s.resize(slot + 1, f64::NAN);
        }
        if !s[slot].is_nan() {
            return Err(
                "a value for this council, indicator and period was already given".to_string(),
            );
        }
        s[slot] = value;
        self.values += 1;
        Ok(())
    }
}

impl Catalog {
    /// A catalog of what the database holds, indexes rebuilt.
    pub fn from_parts(
        councils: Vec<RegisteredCouncil>,
        indicators: Vec<NationalIndicator>,
        periods: Vec<String>,
        groups: Vec<Group>,
    ) -> Catalog {
        let council_ix = councils
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i as u32))
            .collect();
        let indicator_ix = indicators
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i as u32))
            .collect();
        let period_ix = periods
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        Catalog {
            councils,
            council_ix,
            indicators,
            indicator_ix,
            periods,
            period_ix,
            groups,
            recompute_all: false,
        }
    }
}
