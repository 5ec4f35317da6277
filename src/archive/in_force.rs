//! `cross_year.in_force`: the stock of 规章 and 行政规范性文件 adds up from
//! year to year: `in_force`(N+1) = `in_force`(N) + `issued`(N+1) −
//! `repealed`(N+1). A warning: revisions and cleanups can legitimately
//! break it.
//!
//! Across the 2020→2021 format change the rule is not assessable: the 2019
//! format's third column (`total_public`, 对外公开总数量) counts documents
//! published, not documents in force, and it has no repealed count. Between
//! two 2019-format years the same stock identity holds for what that format
//! counts: `total_public`(N+1) = `total_public`(N) + `published`(N+1).

use super::{read0, ArchiveCell, ArchiveFinding, ArchiveRule, Ctx, Outcomes, Series};
use crate::codes::RuleId;
use crate::report::{RuleStatus, Severity};
use crate::templates::rules::Stock;
use crate::templates::TableKey;

pub(crate) const RULE: RuleId = RuleId::declare("cross_year.in_force");

pub(crate) struct InForce;

/// The stock a template's table 二 counts (`TableSpec::stock`).
fn stock_of(template: &str) -> Option<&'static Stock> {
    let spec = crate::templates::by_name(template)?;
    spec.table(TableKey::ActiveDisclosure)?.stock.as_ref()
}

impl ArchiveRule for InForce {
    fn id(&self) -> RuleId {
        RULE
    }

    fn check(&self, series: &Series, _ctx: &Ctx, out: &mut Outcomes) {
        series.adjacent(RULE, out, |cur, prev, out| {
            let (c, p) = (&series.members[cur], &series.members[prev]);
            if c.template != p.template {
                return (
                    RuleStatus::NotAssessable,
                    Some(format!(
                        "table 二 changed format ({} to {}): the columns do not mean the same",
                        p.template, c.template
                    )),
                );
            }
            let Some(spec) = stock_of(&c.template) else {
                return (RuleStatus::NotAssessable, Some("no template table 二".into()));
            };
            let (stock, added, removed) = (spec.stock, spec.added, spec.removed);
            let mut assessed = false;
            let mut failed = false;
            for row in spec.rows {
                let before = p.cell("active_disclosure", row, &stock);
                let now = c.cell("active_disclosure", row, &stock);
                if before.is_none() || now.is_none() {
                    continue;
                }
                assessed = true;
                let plus = c.cell("active_disclosure", row, &added);
                let minus = removed.and_then(|r| c.cell("active_disclosure", row, &r));
                let expected = read0(before).0 + read0(plus).0 - read0(minus).0;
                let actual = read0(now).0;
                if (expected - actual).abs() < 1e-9 {
                    continue;
                }
                failed = true;
                let mut f = ArchiveFinding::new(
                    RULE,
                    Severity::Warning,
                    format!(
                        "active_disclosure {row}: {stock} {actual} should be {expected} ({stock} {} of the {} report {} + {added} {}{})",
                        read0(before).0,
                        p.year.unwrap_or_default(),
                        p.source,
                        read0(plus).0,
                        removed.map(|r| format!(" − {r} {}", read0(minus).0)).unwrap_or_default()
                    ),
                );
                f.table = Some("active_disclosure".into());
                f.row = Some(row.to_string());
                f.column = Some(stock.to_string());
                f.expected = Some(super::num(expected));
                f.actual = Some(super::num(actual));
                f.counterpart = Some(p.source.clone());
                f.cells = [(p, before), (c, plus), (c, minus), (c, now)]
                    .into_iter()
                    .filter_map(|(m, x)| x.map(|x| ArchiveCell::of(&m.source, x)))
                    .collect();
                out.finding(cur, f);
            }
            match (assessed, failed) {
                (false, _) => (
                    RuleStatus::NotAssessable,
                    Some("table 二 stock rows missing in one of the two reports".into()),
                ),
                (true, true) => (RuleStatus::Failed, None),
                (true, false) => (RuleStatus::Passed, None),
            }
        });
    }
}
