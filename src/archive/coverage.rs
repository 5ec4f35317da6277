//! `coverage`: for the keys and years present in the archive, which key
//! lacks which year. Not a finding: one `coverage.csv` line per key (the
//! series view: its years present) and a summary line. `years_missing` is
//! every archive year the key has no report for; `gaps` the subset inside
//! the key's own first..last year (a key seen in 2021 and 2023 but not
//! 2022), which is the harder evidence: years outside may predate the office
//! or follow a merger.

use super::{ArchiveRule, Ctx, Outcomes, Series};
use crate::codes::RuleId;

pub(crate) const RULE: RuleId = RuleId::declare("coverage");

pub(crate) struct Coverage;

fn years(ys: impl Iterator<Item = i32>) -> String {
    ys.map(|y| y.to_string()).collect::<Vec<_>>().join(";")
}

impl ArchiveRule for Coverage {
    fn id(&self) -> RuleId {
        RULE
    }

    fn check(&self, series: &Series, ctx: &Ctx, out: &mut Outcomes) {
        let Some(key) = &series.key else { return };
        let (Some(first), Some(last)) = (series.slots.first(), series.slots.last()) else {
            return;
        };
        let present: Vec<i32> = series.slots.iter().map(|s| s.year).collect();
        let missing = ctx
            .archive_years
            .iter()
            .copied()
            .filter(|y| !present.contains(y));
        let gaps = (first.year..=last.year).filter(|y| !present.contains(y));
        let latest = &series.members[last.primary];
        out.coverage = Some([
            key.clone(),
            latest.agency.clone().unwrap_or_default(),
            latest.admin_level.clone(),
            years(present.iter().copied()),
            years(missing),
            years(gaps),
            series.members.len().to_string(),
        ]);
    }
}
