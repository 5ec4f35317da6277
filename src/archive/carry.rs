//! `cross_year.carry`: per column, `carried_forward` of year N equals
//! `carried_over` of year N+1 for the same agency key. Table 三 has the same
//! columns in the 2019 and 2021 formats, so the rule holds across the format
//! change. Blanks read as 0 and make a failure `incomplete`, as in the
//! single-report rules.

use super::{read0, ArchiveCell, ArchiveFinding, ArchiveRule, Ctx, Outcomes, Series};
use crate::codes::RuleId;
use crate::report::{RuleStatus, Severity};

pub(crate) const RULE: RuleId = RuleId::declare("cross_year.carry");

pub(crate) struct Carry;

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
            let mut failed = false;
            for &column in crate::templates::REQ_COLS {
                let cf = p.cell("requests", "carried_forward", &column);
                let co = c.cell("requests", "carried_over", &column);
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
                        "requests column {column}: carried_over {b} differs from carried_forward {a} of the {} report {}{}",
                        p.year.unwrap_or_default(),
                        p.source,
                        if blanks { "; blank cells read as 0" } else { "" }
                    ),
                );
                f.table = Some("requests".into());
                f.row = Some("carried_over".into());
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
