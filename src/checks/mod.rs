//! Consistency checks over a recognized [`Report`] (docs/TEMPLATE.md,
//! "Consistency rules"). Checks see only the Report: never the source format.
//!
//! The arithmetic rules are template data (`templates::rules`): this module
//! interprets them ([`arithmetic`]) and holds the rules that are not
//! arithmetic ([`content`]: cell domains, the narrative, the template year).
//!
//! Blank is not zero: a rule whose operands include blanks is evaluated with
//! blanks read as 0, and its failure is reported as `incomplete` rather than
//! `error`. A rule whose table is missing is `not_assessable`, not passed.
//!
//! One root cause, one finding: a sum one of whose operands fails
//! `value.domain` (text, a fraction, a negative count) or could not be read
//! (glued digits with no unique split) is not evaluated. It is listed under
//! the rule's `blocked` instances, naming the cell; the cell's own
//! `value.domain` finding (or reading diagnostic) is the one reported. A
//! finding carries `reading`: `inferred` when a cell involved was split out
//! of glued digits, so publication errors and reading doubts sort apart.

mod arithmetic;
mod content;

use xxhash_rust::xxh3::xxh3_64;

pub use content::{domain_problem, stated_request_count};

use crate::codes::RuleId;
use crate::report::{
    Blocked, Cell, CellRef, Finding, FindingReading, Report, RuleOutcome, RuleStatus,
};
use crate::templates::{ColumnKey, RowKey, TableKey};

pub const ROW_SUM: RuleId = RuleId::declare("requests.row_sum");
pub const RESULTS_SUM: RuleId = RuleId::declare("requests.results_sum");
pub const BALANCE: RuleId = RuleId::declare("requests.balance");
pub const GROUP_SUM: RuleId = RuleId::declare("review_litigation.group_sum");
pub const DOMAIN: RuleId = RuleId::declare("value.domain");
pub const NARRATIVE: RuleId = RuleId::declare("narrative.requests");
pub const TEMPLATE_YEAR: RuleId = RuleId::declare("template.year");

/// Every rule this module evaluates, in report order: first the arithmetic
/// rules the templates declare (a template without one of them reports it
/// not assessable), then the content rules.
pub const RULES: &[RuleId] = &[
    ROW_SUM,
    RESULTS_SUM,
    BALANCE,
    GROUP_SUM,
    DOMAIN,
    NARRATIVE,
    TEMPLATE_YEAR,
];

/// Runs every rule, filling `report.checks` and `report.findings`.
pub fn run(report: &mut Report) {
    let (findings, checks) = evaluate(report);
    report.findings = findings;
    report.checks = checks;
}

/// Evaluates every rule on `report` without changing it.
pub fn evaluate(report: &Report) -> (Vec<Finding>, Vec<RuleOutcome>) {
    let mut ctx = Checker {
        report,
        findings: Vec::new(),
        checks: Vec::new(),
        blocked: Vec::new(),
    };
    for &id in RULES {
        let body: fn(&mut Checker, RuleId) -> Option<()> = match id {
            DOMAIN => |c, _| c.domain(),
            NARRATIVE => |c, _| c.narrative(),
            TEMPLATE_YEAR => |c, _| c.template_year(),
            _ => |c, id| c.arithmetic(id),
        };
        ctx.rule(id, |c| body(c, id));
    }
    (ctx.findings, ctx.checks)
}

pub(crate) struct Checker<'r> {
    report: &'r Report,
    findings: Vec<Finding>,
    checks: Vec<RuleOutcome>,
    /// Instances of the rule being run that a bad operand blocks.
    blocked: Vec<Blocked>,
}

fn cell_ref(row: RowKey, column: ColumnKey, c: &Cell) -> CellRef {
    CellRef {
        row,
        column,
        value: c.value,
        raw: c.raw.clone(),
        location: c.location.clone(),
        reading: c.reading,
    }
}

fn finding_reading(inferred: bool) -> FindingReading {
    if inferred {
        FindingReading::Inferred
    } else {
        FindingReading::Certain
    }
}

impl<'r> Checker<'r> {
    /// Runs one rule; `None` from the body means not assessable.
    fn rule(&mut self, rule: RuleId, body: impl FnOnce(&mut Self) -> Option<()>) {
        let before = self.findings.len();
        self.blocked.clear();
        let status = match body(self) {
            None => RuleStatus::NotAssessable,
            Some(()) if self.findings.len() > before => RuleStatus::Failed,
            Some(()) if !self.blocked.is_empty() => RuleStatus::Blocked,
            Some(()) => RuleStatus::Passed,
        };
        let blocked = std::mem::take(&mut self.blocked);
        self.checks.push(RuleOutcome {
            rule,
            status,
            blocked,
        });
    }

    fn push(&mut self, mut finding: Finding) {
        finding.fingerprint = fingerprint(self.report, &finding);
        self.findings.push(finding);
    }
}

/// Stable across runs: agency, year, rule and position when the report's
/// identity is known (so the HTML page and the DOCX of one report share ids),
/// the source path otherwise.
fn fingerprint(report: &Report, f: &Finding) -> String {
    let identity = match (&report.agency, report.year) {
        (Some(agency), Some(year)) => format!("{agency}|{year}"),
        _ => report.source.clone(),
    };
    let key = format!(
        "{identity}|{}|{}|{}|{}",
        f.rule,
        f.table.map_or("", TableKey::as_str),
        f.row.map_or("", RowKey::as_str),
        f.column.map_or("", ColumnKey::as_str)
    );
    format!("{:016x}", xxh3_64(key.as_bytes()))
}
