//! `duplicate.disagree`: the same agency key and year published more than
//! once (an HTML page and its DOCX attachment, a re-upload). One copy is
//! primary — the one with the most cells holding a number (the most complete
//! reading), then the most text, then the first source in path order — and
//! every other copy names it in `duplicate_of`. Cross-year rules compare
//! primaries only.
//!
//! Every cell that differs between a copy and its primary is an `error`
//! finding on the copy naming both sources. Blank and 0 are the same value
//! here (two tools typing one table: one leaves zeros blank), text differs
//! from any number; cells present in only one copy are not compared.
//! Identical copies are listed (`duplicate_of`), not flagged.

use super::facts::{FactCell, Facts};
use super::{ArchiveCell, ArchiveFinding, ArchiveRule, Ctx, Outcomes, Series};
use crate::codes::RuleId;
use crate::report::{RuleStatus, Severity};
use crate::values::{parse_cell, CellText};

pub(crate) const RULE: RuleId = RuleId::declare("duplicate.disagree");

/// The primary copy among `group` (indices into `members`).
pub(crate) fn primary(members: &[Facts], group: &[usize]) -> usize {
    *group
        .iter()
        .min_by(|&&a, &&b| {
            let (x, y) = (&members[a], &members[b]);
            y.filled()
                .cmp(&x.filled())
                .then(y.text_chars.cmp(&x.text_chars))
                .then(x.source.cmp(&y.source))
        })
        .expect("a year slot has at least one report")
}

#[derive(PartialEq)]
enum Comparable<'a> {
    Number(f64),
    Text(&'a str),
}

fn comparable(c: &FactCell) -> Comparable<'_> {
    match (c.value, parse_cell(&c.raw)) {
        (Some(v), _) => Comparable::Number(v),
        (None, CellText::Blank | CellText::Placeholder) => Comparable::Number(0.0),
        (None, _) => Comparable::Text(c.raw.as_str()),
    }
}

fn quantity(c: &FactCell) -> crate::report::Quantity {
    match comparable(c) {
        Comparable::Number(v) => super::num(v),
        Comparable::Text(t) => crate::report::Quantity::Text(t.to_string()),
    }
}

pub(crate) struct Duplicate;

impl Duplicate {
    /// Findings on `copy` for every cell that differs from `primary`.
    fn compare(primary: &Facts, copy: &Facts) -> Vec<ArchiveFinding> {
        let mut out = Vec::new();
        for c in &copy.cells {
            let Some(p) = primary.cell(&c.table, &c.row, &c.column) else {
                continue;
            };
            if comparable(p) == comparable(c) {
                continue;
            }
            let mut f = ArchiveFinding::new(
                RULE,
                Severity::Error,
                format!(
                    "{}.{}.{}: this copy ({}) says \"{}\", the primary copy {} says \"{}\"",
                    c.table, c.row, c.column, copy.format, c.raw, primary.source, p.raw
                ),
            );
            f.table = Some(c.table.to_string());
            f.row = Some(c.row.to_string());
            f.column = Some(c.column.to_string());
            f.expected = Some(quantity(p));
            f.actual = Some(quantity(c));
            f.counterpart = Some(primary.source.clone());
            f.cells = vec![
                ArchiveCell::of(&primary.source, p),
                ArchiveCell::of(&copy.source, c),
            ];
            f.fp_extra = copy.format.clone();
            out.push(f);
        }
        out
    }
}

impl ArchiveRule for Duplicate {
    fn id(&self) -> RuleId {
        RULE
    }

    fn check(&self, series: &Series, _ctx: &Ctx, out: &mut Outcomes) {
        for (i, _) in series.members.iter().enumerate() {
            let Some(slot) = series.slot_of(i) else {
                let why = if series.key.is_none() {
                    "agency unknown"
                } else {
                    "year unknown"
                };
                out.check(i, RULE, RuleStatus::NotAssessable, Some(why.into()));
                continue;
            };
            if slot.copies.is_empty() {
                out.check(
                    i,
                    RULE,
                    RuleStatus::NotAssessable,
                    Some("no other copy of this agency's report for this year".into()),
                );
                continue;
            }
            let primary = &series.members[slot.primary];
            let status = if i == slot.primary {
                let any = slot
                    .copies
                    .iter()
                    .any(|&c| !Self::compare(primary, &series.members[c]).is_empty());
                if any {
                    RuleStatus::Failed
                } else {
                    RuleStatus::Passed
                }
            } else {
                let findings = Self::compare(primary, &series.members[i]);
                let status = if findings.is_empty() {
                    RuleStatus::Passed
                } else {
                    RuleStatus::Failed
                };
                for f in findings {
                    out.finding(i, f);
                }
                status
            };
            out.check(i, RULE, status, None);
        }
    }
}
