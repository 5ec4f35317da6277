//! `cross_year.carry`: per column, `carried_forward` of year N equals
//! `carried_over` of year N+1 for the same agency key. Table 三 has the same
//! columns in the 2019 and 2021 formats, so the rule holds across the format
//! change. Blanks read as 0 and make a failure `incomplete`, as in the
//! single-report rules.

use super::{read0, ArchiveCell, ArchiveFinding, ArchiveRule, Ctx, Outcomes, Series};
use crate::codes::RuleId;
use crate::report::{RuleStatus, Severity};
use crate::templates::{rules, TableKey, TableSpec};

pub(crate) const RULE: RuleId = RuleId::declare("cross_year.carry");

pub(crate) struct Carry;

/// Table 三 of a template and what it carries to the next year.
fn carry_of(template: &str) -> Option<(&'static TableSpec, &'static rules::Carry)> {
    let spec = crate::templates::by_name(template)?.table(TableKey::Requests)?;
    Some((spec, spec.carry.as_ref()?))
}

impl ArchiveRule for Carry {
    fn id(&self) -> RuleId {
        RULE
    }

    fn check(&self, series: &Series, _ctx: &Ctx, out: &mut Outcomes) {
        series.adjacent(RULE, out, |cur, prev, out| {
            let (c, p) = (&series.members[cur], &series.members[prev]);
            for (m, what) in [(p, "previous"), (c, "this")] {
                if !m.cells.iter().any(|x| x.table == "requests") {
                    return (
                        RuleStatus::NotAssessable,
                        Some(format!("no table 三 in the {what} year's report {}", m.source)),
                    );
                }
            }
            let Some((spec, carry)) = carry_of(&c.template) else {
                return (RuleStatus::NotAssessable, Some("no template table 三".into()));
            };
            let mut failed = false;
            for column in spec.columns.iter().map(|s| s.key) {
                let cf = p.cell("requests", &carry.forward, &column);
                let co = c.cell("requests", &carry.over, &column);
                let ((a, ab), (b, bb)) = (read0(cf), read0(co));
                if (a - b).abs() < 1e-9 {
                    continue;
                }
                failed = true;
                let blanks = ab || bb;
                let mut f = ArchiveFinding::new(
                    RULE,
                    if blanks { Severity::Incomplete } else { Severity::Error },
                    format!(
                        "requests column {column}: {} {b} differs from {} {a} of the {} report {}{}",
                        carry.over,
                        carry.forward,
                        p.year.unwrap_or_default(),
                        p.source,
                        if blanks { "; blank cells read as 0" } else { "" }
                    ),
                );
                f.table = Some("requests".into());
                f.row = Some(carry.over.to_string());
                f.column = Some(column.to_string());
                f.expected = Some(super::num(a));
                f.actual = Some(super::num(b));
                f.counterpart = Some(p.source.clone());
                f.cells = [(p, cf), (c, co)]
                    .into_iter()
                    .filter_map(|(m, x)| x.map(|x| ArchiveCell::of(&m.source, x)))
                    .collect();
                out.finding(cur, f);
            }
            (if failed { RuleStatus::Failed } else { RuleStatus::Passed }, None)
        });
    }
}
