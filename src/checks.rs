//! Consistency checks over a recognized [`Report`] (TEMPLATE.md, "Consistency
//! rules"). Checks see only the Report: never the source format.
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

use regex::Regex;
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

use crate::report::{
    Blocked, Cell, CellRef, Finding, FindingReading, KeyedTable, Quantity, Reading, Report,
    RuleOutcome, RuleStatus, Severity,
};
use crate::templates::{self, TableKey, TableSpec, TemplateId, ValueKind};
use crate::values::{fold_width, parse_cell, CellText, Number};

pub const ROW_SUM: &str = "requests.row_sum";
pub const RESULTS_SUM: &str = "requests.results_sum";
pub const BALANCE: &str = "requests.balance";
pub const GROUP_SUM: &str = "review_litigation.group_sum";
pub const DOMAIN: &str = "value.domain";
pub const NARRATIVE: &str = "narrative.requests";
pub const TEMPLATE_YEAR: &str = "template.year";

/// Every rule this module evaluates, in report order.
pub const RULES: &[&str] = &[
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
    let spec = templates::by_id(ctx.report.template);
    let requests_spec = spec.and_then(|s| s.table(TableKey::Requests));
    ctx.rule(ROW_SUM, |c| c.row_sum(requests_spec?));
    ctx.rule(RESULTS_SUM, |c| c.results_sum(requests_spec?));
    ctx.rule(BALANCE, |c| c.balance(requests_spec?));
    ctx.rule(GROUP_SUM, |c| c.group_sum());
    ctx.rule(DOMAIN, |c| c.domain(spec?));
    ctx.rule(NARRATIVE, |c| c.narrative());
    ctx.rule(TEMPLATE_YEAR, |c| c.template_year());
    (ctx.findings, ctx.checks)
}

struct Checker<'r> {
    report: &'r Report,
    findings: Vec<Finding>,
    checks: Vec<RuleOutcome>,
    /// Instances of the rule being run that a bad operand blocks.
    blocked: Vec<Blocked>,
}

/// An operand of a sum: the cell if present, read as 0 when blank.
struct Operand<'a> {
    row: &'a str,
    column: &'a str,
    cell: Option<&'a Cell>,
}

impl Operand<'_> {
    fn value(&self) -> f64 {
        self.cell.and_then(|c| c.value).map_or(0.0, Number::as_f64)
    }

    fn is_blank(&self) -> bool {
        self.cell.and_then(|c| c.value).is_none()
    }

    fn cell_ref(&self) -> Option<CellRef> {
        self.cell.map(|c| cell_ref(self.row, self.column, c))
    }

    /// Why this operand cannot take part in a sum, if it cannot: its
    /// digits were not read, or its text fails `value.domain` (counts).
    fn blocker(&self) -> Option<&'static str> {
        let cell = self.cell?;
        match cell.reading {
            Reading::Unresolved => return Some("unread"),
            // Split by the template's arithmetic: whole numbers by construction.
            Reading::GluedDigits => return None,
            Reading::Certain => {}
        }
        match domain_problem(ValueKind::Count, &cell.raw) {
            Some((Severity::Error, _)) => Some("domain"),
            _ => None,
        }
    }

    fn inferred(&self) -> bool {
        self.cell.is_some_and(|c| !c.reading.is_certain())
    }
}

fn cell_ref(row: &str, column: &str, c: &Cell) -> CellRef {
    CellRef {
        row: row.to_string(),
        column: column.to_string(),
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

/// One equation "left = sum(right)" of a rule instance.
struct Equation<'a> {
    rule: &'static str,
    table: TableKey,
    row: Option<String>,
    column: Option<String>,
    left: Vec<Operand<'a>>,
    right: Vec<Operand<'a>>,
    describe: String,
}

fn number(v: f64) -> Number {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Number::Int(v as i64)
    } else {
        Number::Decimal((v * 1e6).round() / 1e6)
    }
}

impl<'r> Checker<'r> {
    /// Runs one rule; `None` from the body means not assessable.
    fn rule(&mut self, rule: &'static str, body: impl FnOnce(&mut Self) -> Option<()>) {
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

    fn requests(&self) -> Option<&'r KeyedTable> {
        self.report.tables.requests.as_ref()
    }

    fn operand(table: &'r KeyedTable, row: &'r str, column: &'r str) -> Operand<'r> {
        Operand {
            row,
            column,
            cell: table.cell(row, column),
        }
    }

    /// Evaluates `eq`; a failure becomes a finding, `error` if every operand
    /// is written, `incomplete` if the failure involves blanks.
    fn check(&mut self, eq: Equation) {
        let bad = eq
            .left
            .iter()
            .chain(&eq.right)
            .find_map(|o| o.blocker().map(|reason| (o, reason)));
        if let Some((operand, reason)) = bad {
            let location = operand
                .cell
                .map(|c| c.location.to_string())
                .unwrap_or_default();
            self.blocked.push(Blocked {
                row: eq.row,
                column: eq.column,
                by: format!("{}.{} at {location}", operand.row, operand.column),
                reason,
            });
            return;
        }
        let left: f64 = eq.left.iter().map(Operand::value).sum();
        let right: f64 = eq.right.iter().map(Operand::value).sum();
        if (left - right).abs() < 1e-6 {
            return;
        }
        let operands = eq.left.iter().chain(&eq.right);
        let blanks = operands.clone().any(Operand::is_blank);
        let inferred = operands.clone().any(Operand::inferred);
        let severity = if blanks {
            Severity::Incomplete
        } else {
            Severity::Error
        };
        let cells: Vec<CellRef> = operands.filter_map(Operand::cell_ref).collect();
        let where_ = cells
            .first()
            .map(|c| format!(" (from {})", c.location))
            .unwrap_or_default();
        let message = format!(
            "{}: expected {}, found {}{}{}",
            eq.describe,
            number(right),
            number(left),
            if blanks {
                "; blank cells read as 0"
            } else {
                ""
            },
            where_
        );
        self.push(Finding {
            rule: eq.rule,
            severity,
            table: Some(eq.table),
            row: eq.row,
            column: eq.column,
            expected: Some(Quantity::Number(number(right))),
            actual: Some(Quantity::Number(number(left))),
            cells,
            message,
            fingerprint: String::new(),
            reading: finding_reading(inferred),
        });
    }

    fn push(&mut self, mut finding: Finding) {
        finding.fingerprint = fingerprint(self.report, &finding);
        self.findings.push(finding);
    }

    fn row_sum(&mut self, spec: &'static TableSpec) -> Option<()> {
        let table = self.requests()?;
        let parts: Vec<&'static str> = spec
            .columns
            .iter()
            .map(|c| c.key)
            .filter(|k| *k != "total")
            .collect();
        for row in &table.rows {
            let eq = Equation {
                rule: ROW_SUM,
                table: TableKey::Requests,
                row: Some(row.key.to_string()),
                column: Some("total".into()),
                left: vec![Self::operand(table, row.key, "total")],
                right: parts
                    .iter()
                    .map(|c| Self::operand(table, row.key, c))
                    .collect(),
                describe: format!(
                    "requests row {}: total should equal the sum of the six applicant columns",
                    row.key
                ),
            };
            self.check(eq);
        }
        Some(())
    }

    /// The result rows are those between 予以公开 and （七）总计 in the
    /// template, so the 2019 format's single `other` row is covered as data.
    fn result_rows(spec: &'static TableSpec) -> Vec<&'static str> {
        let keys: Vec<&'static str> = spec.rows.iter().map(|r| r.key).collect();
        let start = keys.iter().position(|k| *k == "granted").unwrap_or(0);
        let end = keys
            .iter()
            .position(|k| *k == "results_total")
            .unwrap_or(keys.len());
        keys[start..end].to_vec()
    }

    fn results_sum(&mut self, spec: &'static TableSpec) -> Option<()> {
        let table = self.requests()?;
        table.row("results_total")?;
        let mut parts = Self::result_rows(spec);
        // A 2021 report printing （六）其他处理 as one row, as 2019 did.
        if spec.row("other").is_none() && table.row("other").is_some() {
            parts.push("other");
        }
        for column in spec.columns.iter().map(|c| c.key) {
            let eq = Equation {
                rule: RESULTS_SUM,
                table: TableKey::Requests,
                row: Some("results_total".into()),
                column: Some(column.to_string()),
                left: vec![Self::operand(table, "results_total", column)],
                right: parts
                    .iter()
                    .map(|r| Self::operand(table, r, column))
                    .collect(),
                describe: format!(
                    "requests column {column}: results_total should equal the sum of all results"
                ),
            };
            self.check(eq);
        }
        Some(())
    }

    fn balance(&mut self, spec: &'static TableSpec) -> Option<()> {
        let table = self.requests()?;
        for column in spec.columns.iter().map(|c| c.key) {
            let eq = Equation {
                rule: BALANCE,
                table: TableKey::Requests,
                row: Some("carried_forward".into()),
                column: Some(column.to_string()),
                left: vec![Self::operand(table, "results_total", column), Self::operand(table, "carried_forward", column)],
                right: vec![Self::operand(table, "new", column), Self::operand(table, "carried_over", column)],
                describe: format!("requests column {column}: results_total + carried_forward should equal new + carried_over"),
            };
            self.check(eq);
        }
        Some(())
    }

    fn group_sum(&mut self) -> Option<()> {
        let table = self.report.tables.review_litigation.as_ref()?;
        for row in &table.rows {
            let eq = Equation {
                rule: GROUP_SUM,
                table: TableKey::ReviewLitigation,
                row: Some(row.key.to_string()),
                column: Some("total".into()),
                left: vec![Self::operand(table, row.key, "total")],
                right: ["upheld", "corrected", "other", "pending"].iter().map(|c| Self::operand(table, row.key, c)).collect(),
                describe: format!("review_litigation group {}: total should equal upheld + corrected + other + pending", row.key),
            };
            self.check(eq);
        }
        Some(())
    }

    fn domain(&mut self, template: &'static templates::TemplateSpec) -> Option<()> {
        let mut assessed = false;
        for key in TableKey::ALL {
            let (Some(table), Some(spec)) = (self.report.tables.get(key), template.table(key))
            else {
                continue;
            };
            assessed = true;
            for row in &table.rows {
                for (column, cell) in &row.cells {
                    if !cell.reading.is_certain() {
                        // A split of glued digits: whole numbers >= 0 by
                        // construction; its raw is the whole glued text.
                        continue;
                    }
                    let kind = spec.column(column).map_or(ValueKind::Count, |c| c.kind);
                    if let Some((severity, problem)) = domain_problem(kind, &cell.raw) {
                        let cell_ref = cell_ref(row.key, column, cell);
                        self.push(Finding {
                            rule: DOMAIN,
                            severity,
                            table: Some(key),
                            row: Some(row.key.to_string()),
                            column: Some(column.to_string()),
                            expected: Some(Quantity::Text(expected_domain(kind).into())),
                            actual: Some(Quantity::Text(cell.raw.clone())),
                            cells: vec![cell_ref],
                            message: format!(
                                "{}.{}.{} at {}: {problem}: \"{}\"",
                                key.as_str(),
                                row.key,
                                column,
                                cell.location,
                                cell.raw
                            ),
                            fingerprint: String::new(),
                            reading: finding_reading(!cell.reading.is_certain()),
                        });
                    }
                }
            }
        }
        assessed.then_some(())
    }

    fn narrative(&mut self) -> Option<()> {
        let table = self.requests()?;
        let cell = table.cell("new", "total")?;
        // A blank total is read as 0, like every rule reads blanks; text
        // there is a value.domain finding and leaves nothing to compare.
        let written = match (cell.value, parse_cell(&cell.raw)) {
            (Some(v), _) => v,
            (None, CellText::Blank | CellText::Placeholder) => Number::Int(0),
            (None, _) => return None,
        };
        let sections = &self.report.sections;
        let text = [&sections.overview, &sections.requests]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        let (stated, sentence) = stated_request_count(&text)?;
        if (stated as f64 - written.as_f64()).abs() < 1e-9 {
            return Some(());
        }
        let cell_ref = cell_ref("new", "total", cell);
        self.push(Finding {
            rule: NARRATIVE,
            severity: Severity::Warning,
            table: Some(TableKey::Requests),
            row: Some("new".into()),
            column: Some("total".into()),
            // The table is the reference; the narrative is what disagrees.
            expected: Some(Quantity::Number(written)),
            actual: Some(Quantity::Number(Number::Int(stated))),
            cells: vec![cell_ref],
            message: format!("the text states {stated} requests received (\"{sentence}\"), table 三 new.total at {} is {written}", cell.location),
            fingerprint: String::new(),
            reading: finding_reading(!cell.reading.is_certain()),
        });
        Some(())
    }

    fn template_year(&mut self) -> Option<()> {
        let year = self.report.year?;
        let expected = match self.report.template {
            TemplateId::Unknown => return None,
            TemplateId::Y2021 if year < 2021 => TemplateId::Y2019,
            TemplateId::Y2019 if year >= 2021 => TemplateId::Y2021,
            _ => return Some(()),
        };
        let found = self.report.template;
        self.push(Finding {
            rule: TEMPLATE_YEAR,
            severity: Severity::Warning,
            table: None,
            row: None,
            column: None,
            expected: Some(Quantity::Text(expected.as_str().into())),
            actual: Some(Quantity::Text(found.as_str().into())),
            cells: Vec::new(),
            message: format!(
                "a {year} report is expected on the {} format, but its tables follow the {} format",
                expected.as_str(),
                found.as_str()
            ),
            fingerprint: String::new(),
            reading: FindingReading::Certain,
        });
        Some(())
    }
}

fn expected_domain(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Count => "a whole number >= 0",
        ValueKind::SignedCount => "a whole number",
        ValueKind::Amount { .. } => "an amount >= 0 with at most 4 decimals",
    }
}

/// What is wrong with a cell's text for its column kind, if anything.
pub fn domain_problem(kind: ValueKind, raw: &str) -> Option<(Severity, &'static str)> {
    match (parse_cell(raw), kind) {
        (CellText::Blank | CellText::Placeholder, _) => None,
        (CellText::Text, _) => Some((Severity::Error, "text where a number belongs")),
        (
            CellText::Number {
                value: Number::Decimal(_),
                ..
            },
            ValueKind::Count | ValueKind::SignedCount,
        ) => Some((Severity::Error, "a count that is not a whole number")),
        (CellText::Number { value, .. }, ValueKind::Count | ValueKind::Amount { .. })
            if value.as_f64() < 0.0 =>
        {
            Some((Severity::Error, "a negative value"))
        }
        (CellText::Number { decimals, .. }, ValueKind::Amount { max_decimals })
            if decimals > max_decimals =>
        {
            Some((
                Severity::Warning,
                "more decimals than the label allows (保留4位小数)",
            ))
        }
        _ => None,
    }
}

/// The number of requests received that a careful reader takes from the
/// narrative, with the sentence it came from. Prefers an explicit "本年新收N件";
/// "受理X件（含上年结转Y件）" means X−Y new requests; "未收到…申请" means 0.
/// Counts of 行政复议/诉讼 in the same sentence are not requests.
pub fn stated_request_count(text: &str) -> Option<(i64, String)> {
    static RES: OnceLock<[Regex; 3]> = OnceLock::new();
    let [explicit, received, none] = RES.get_or_init(|| {
        [
            Regex::new(r"(?:其中)?本年(?:度)?新收(?:到)?(?:政府信息公开)?(?:申请)?(?:共)?(\d+)\s*(?:件|个|条|次)").expect("regex"),
            Regex::new(r"(?:共|累计|全年)?(?:收到|受理|接到|接收|办理)[^。；;，,]{0,24}?申请(?:共|总计|合计)?\s*(\d+)\s*(?:件|个|条|次)(?:\s*[（(]\s*(?:其中)?含上年(?:度)?结转\s*(\d+)\s*件\s*[)）])?").expect("regex"),
            Regex::new(r"(?:未|没有|无)(?:收到|受理|接到|接收)[^。；;]{0,30}?申请").expect("regex"),
        ]
    });
    let folded = fold_width(text);
    let sentences = folded.split(['。', '\n', '；', ';']);
    for sentence in sentences.clone() {
        if let Some(c) = explicit.captures(sentence) {
            return Some((c[1].parse().ok()?, sentence.trim().to_string()));
        }
    }
    for sentence in sentences {
        for c in received.captures_iter(sentence) {
            let matched = c.get(0).map_or("", |m| m.as_str());
            if matched.contains("复议")
                || matched.contains("诉讼")
                || !matched.contains("公开") && !sentence.contains("信息公开")
            {
                continue;
            }
            let total: i64 = c[1].parse().ok()?;
            let carried: i64 = c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
            return Some((total - carried, sentence.trim().to_string()));
        }
        if let Some(m) = none.find(sentence) {
            if !m.as_str().contains("复议") && !m.as_str().contains("诉讼") {
                return Some((0, sentence.trim().to_string()));
            }
        }
    }
    None
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
        f.row.as_deref().unwrap_or(""),
        f.column.as_deref().unwrap_or("")
    );
    format!("{:016x}", xxh3_64(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative_counts_as_a_careful_reader_would() {
        assert_eq!(
            stated_request_count(
                "2022年，未收到要求广阳镇政府信息公开内容的申请，未发生行政复议案件。"
            )
            .map(|x| x.0),
            Some(0)
        );
        assert_eq!(
            stated_request_count("全年共收到政府信息公开申请12件，均按时答复。").map(|x| x.0),
            Some(12)
        );
        assert_eq!(
            stated_request_count("共受理政府信息公开申请30件（含上年结转5件）。").map(|x| x.0),
            Some(25)
        );
        assert_eq!(
            stated_request_count("共收到申请20件，其中本年新收18件。").map(|x| x.0),
            Some(18)
        );
        assert_eq!(
            stated_request_count("收到行政复议申请2件。").map(|x| x.0),
            None
        );
        assert_eq!(
            stated_request_count("本年度共收到政府信息公开申请１２件。").map(|x| x.0),
            Some(12)
        );
    }

    #[test]
    fn domain_by_column_kind() {
        assert!(domain_problem(ValueKind::Count, "十二").is_some());
        assert!(domain_problem(ValueKind::Count, "-1").is_some());
        assert!(domain_problem(ValueKind::Count, "1.5").is_some());
        assert!(domain_problem(ValueKind::Count, "—").is_none());
        assert!(domain_problem(ValueKind::Count, "").is_none());
        assert!(domain_problem(ValueKind::SignedCount, "-3").is_none());
        let fee = ValueKind::Amount { max_decimals: 4 };
        assert_eq!(
            domain_problem(fee, "0.12345").map(|x| x.0),
            Some(Severity::Warning)
        );
        assert!(domain_problem(fee, "0.1234").is_none());
    }
}
