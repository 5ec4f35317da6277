//! The archive stage: rules that span reports (year over year, the same
//! report twice, copied text, who has not reported).
//!
//! It runs after the parallel batch, over compact [`facts`] taken from each
//! report as it is written (or from its journal line: `--resume`, `merge`),
//! so it gives the same result after `--resume`, over an archive converted
//! in several runs, and after a merge of shards. Series (one agency key's
//! reports) are checked a few at a time on the worker pool and their
//! results written in order.
//!
//! Memory. As results are written, each report's facts (cells with their
//! locations, text sketch, stale-year hits: 20–40 KB as JSON for a generated
//! report, about 20 KB in the spill's own format, `codec`: 1,000,000
//! synthesized reports spilled 20 GB) go to a spill file next to the journal;
//! memory keeps one [`Entry`] per report (24 bytes) plus one identity per
//! distinct agency name. Entries are sorted by agency key and year, and each
//! key's reports (a handful) are read back together, checked, and their
//! results written to a second spill file that `finalize` reads while it
//! writes `reports.jsonl`: 8 bytes per report stay in memory for it. Both
//! spill files are deleted at the end. Measured figures are in the README.
//!
//! Adding a rule is one file implementing [`ArchiveRule`] plus one line in
//! [`RULES`].

mod identity;

mod carry;
mod codec;
mod coverage;
mod duplicate;
mod facts;
mod in_force;
mod spill;
mod stage;
mod stale_year;
mod text_reuse;

use crate::codes::RuleId;
use std::collections::BTreeSet;

use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::report::{Quantity, RuleStatus, Severity};
use crate::values::Number;
use facts::Facts;

pub use identity::{AliasError, Aliases};
pub use stage::{Annotation, ArchiveOutputs, ArchiveSummary};
pub use stage::{Builder, Prepared};

pub const COVERAGE: &str = "coverage.csv";
pub const COVERAGE_HEADER: [&str; 7] = [
    "key",
    "agency",
    "admin_level",
    "years_present",
    "years_missing",
    "gaps",
    "reports",
];

/// Every cross-report rule, in the order their checks are listed.
pub(crate) const RULES: &[&dyn ArchiveRule] = &[
    &carry::Carry,
    &in_force::InForce,
    &duplicate::Duplicate,
    &text_reuse::TextReuse,
    &stale_year::StaleYear,
    &coverage::Coverage,
];

/// The rule ids a report's `archive_checks` and `archive_findings` may name.
pub fn rule_ids() -> Vec<RuleId> {
    RULES
        .iter()
        .map(|r| r.id())
        .filter(|id| *id != coverage::RULE)
        .collect()
}

/// The compact facts the cross-report rules read of one `reports.jsonl`
/// line, as JSON: what a pipeline outside nianbao (the Python package's
/// `nianbao.facts`, a Dask job) keeps of each report to run archive-wide
/// checks later without holding whole reports.
pub fn facts_json(line: &str) -> Result<String, serde_json::Error> {
    Facts::from_json(line).and_then(|f| serde_json::to_string(&f))
}

/// Settings of the archive stage.
#[derive(Debug, Clone)]
pub struct Config {
    pub aliases: Aliases,
    /// `cross_year.text_reuse` flags a report whose text repeats more than
    /// this share of the previous year's (0..=1).
    pub reuse_threshold: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            aliases: Aliases::default(),
            reuse_threshold: 0.5,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive stage: cannot use {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("archive stage: cannot write {path}: {source}")]
    Csv {
        path: std::path::PathBuf,
        source: csv::Error,
    },
}

/// One rule's status for one report, with the reason when not assessable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArchiveCheck {
    pub rule: RuleId,
    pub status: RuleStatus,
    pub reason: Option<String>,
}

/// A cell taking part in a cross-report finding: which report, where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArchiveCell {
    pub source: String,
    #[serde(flatten)]
    pub cell: facts::FactCell,
}

impl ArchiveCell {
    pub(crate) fn of(source: &str, c: &facts::FactCell) -> Self {
        ArchiveCell {
            source: source.to_string(),
            cell: c.clone(),
        }
    }
}

/// A cross-report finding, attached to the report it is about; `counterpart`
/// names the other report (the previous year, or the primary copy).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArchiveFinding {
    pub rule: RuleId,
    pub severity: Severity,
    pub table: Option<String>,
    pub row: Option<String>,
    pub column: Option<String>,
    pub expected: Option<Quantity>,
    pub actual: Option<Quantity>,
    pub counterpart: Option<String>,
    pub cells: Vec<ArchiveCell>,
    /// `cross_year.text_reuse`: similarity by section.
    pub similarity: Vec<text_reuse::Similarity>,
    /// `narrative.stale_year`: the sentence.
    pub evidence: Option<String>,
    pub message: String,
    pub fingerprint: String,
    /// Extra fingerprint input (the copy's format for duplicates).
    #[serde(skip)]
    pub(crate) fp_extra: String,
}

impl ArchiveFinding {
    pub(crate) fn new(rule: RuleId, severity: Severity, message: String) -> Self {
        ArchiveFinding {
            rule,
            severity,
            table: None,
            row: None,
            column: None,
            expected: None,
            actual: None,
            counterpart: None,
            cells: Vec::new(),
            similarity: Vec::new(),
            evidence: None,
            message,
            fingerprint: String::new(),
            fp_extra: String::new(),
        }
    }
}

/// A number for `expected`/`actual`: whole numbers print without decimals.
pub(crate) fn num(v: f64) -> Quantity {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Quantity::Number(Number::Int(v as i64))
    } else {
        Quantity::Number(Number::Decimal((v * 1e6).round() / 1e6))
    }
}

/// Stable across runs and across the spellings of a name: built from the
/// agency key, never from the raw name or the path.
pub(crate) fn fingerprint(key: &str, year: Option<i32>, f: &ArchiveFinding) -> String {
    let text = format!(
        "{key}|{}|{}|{}|{}|{}|{}",
        year.map(|y| y.to_string()).unwrap_or_default(),
        f.rule,
        f.table.as_deref().unwrap_or(""),
        f.row.as_deref().unwrap_or(""),
        f.column.as_deref().unwrap_or(""),
        f.fp_extra
    );
    format!("{:016x}", xxh3_64(text.as_bytes()))
}

/// One year of a key: its primary copy and any other copies.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub year: i32,
    pub primary: usize,
    pub copies: Vec<usize>,
}

/// One agency key's reports, sorted by year (members without a year last).
pub(crate) struct Series {
    pub key: Option<String>,
    pub members: Vec<Facts>,
    pub slots: Vec<Slot>,
}

impl Series {
    pub(crate) fn new(key: Option<String>, members: Vec<Facts>) -> Series {
        let mut slots: Vec<Slot> = Vec::new();
        if key.is_some() {
            let mut i = 0;
            while i < members.len() {
                let Some(year) = members[i].year else {
                    i += 1;
                    continue;
                };
                let mut j = i;
                while j < members.len() && members[j].year == Some(year) {
                    j += 1;
                }
                let group: Vec<usize> = (i..j).collect();
                let primary = duplicate::primary(&members, &group);
                let copies = group.into_iter().filter(|&g| g != primary).collect();
                slots.push(Slot {
                    year,
                    primary,
                    copies,
                });
                i = j;
            }
        }
        Series {
            key,
            members,
            slots,
        }
    }

    pub(crate) fn slot_of(&self, member: usize) -> Option<&Slot> {
        self.slots
            .iter()
            .find(|s| s.primary == member || s.copies.contains(&member))
    }

    /// Runs a year-over-year comparison for every primary that has the
    /// previous year's report; everything else gets `not_assessable` with
    /// the reason. `f(current, previous)` returns the status.
    pub(crate) fn adjacent(
        &self,
        rule: RuleId,
        out: &mut Outcomes,
        mut f: impl FnMut(usize, usize, &mut Outcomes) -> (RuleStatus, Option<String>),
    ) {
        for (i, m) in self.members.iter().enumerate() {
            let reason = match (&self.key, m.year, self.slot_of(i)) {
                (None, _, _) => "agency unknown".to_string(),
                (_, None, _) | (_, _, None) => "year unknown".to_string(),
                (_, Some(_), Some(slot)) if slot.primary != i => format!(
                    "a copy of {}: compared through that primary copy",
                    self.members[slot.primary].source
                ),
                (_, Some(year), Some(_)) => match self.slots.iter().find(|s| s.year == year - 1) {
                    Some(prev) => {
                        let (status, reason) = f(i, prev.primary, out);
                        out.check(i, rule, status, reason);
                        continue;
                    }
                    None => format!("no {} report of this agency in the archive", year - 1),
                },
            };
            out.check(i, rule, RuleStatus::NotAssessable, Some(reason));
        }
    }
}

/// What the rules say about one series.
pub(crate) struct Outcomes {
    pub checks: Vec<Vec<ArchiveCheck>>,
    pub findings: Vec<Vec<ArchiveFinding>>,
    pub coverage: Option<[String; 7]>,
}

impl Outcomes {
    fn new(members: usize) -> Self {
        Outcomes {
            checks: vec![Vec::new(); members],
            findings: vec![Vec::new(); members],
            coverage: None,
        }
    }

    pub(crate) fn check(
        &mut self,
        member: usize,
        rule: RuleId,
        status: RuleStatus,
        reason: Option<String>,
    ) {
        self.checks[member].push(ArchiveCheck {
            rule,
            status,
            reason,
        });
    }

    pub(crate) fn finding(&mut self, member: usize, f: ArchiveFinding) {
        self.findings[member].push(f);
    }
}

/// What every rule can see besides the series.
pub(crate) struct Ctx<'a> {
    pub reuse_threshold: f64,
    /// Every year some report of the archive is about.
    pub archive_years: &'a BTreeSet<i32>,
}

/// A rule over one agency key's series.
pub(crate) trait ArchiveRule: Sync {
    fn id(&self) -> RuleId;
    fn check(&self, series: &Series, ctx: &Ctx, out: &mut Outcomes);
}

/// Runs every rule over one series.
pub(crate) fn check_series(series: &Series, ctx: &Ctx) -> Outcomes {
    let mut out = Outcomes::new(series.members.len());
    for rule in RULES {
        rule.check(series, ctx, &mut out);
    }
    out
}

/// A blank or placeholder cell reads as 0 (and makes a failure
/// `incomplete`); text reads as 0 too; a number is itself.
pub(crate) fn read0(c: Option<&facts::FactCell>) -> (f64, bool) {
    match c.and_then(|c| c.value) {
        Some(v) => (v, false),
        None => (0.0, true),
    }
}

#[cfg(test)]
mod tests;
