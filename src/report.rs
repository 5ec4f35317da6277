//! The normalized report: what one input file becomes, keyed by the canonical
//! keys of TEMPLATE.md. Serialized as one line of `reports.jsonl`; the JSON
//! Schema in `schemas/report.schema.json` describes exactly this shape.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::document::SourceLocation;
use crate::readers::Format;
use crate::templates::{TableKey, TemplateId};
use crate::values::Number;

/// One value cell of a statistical table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The parsed number; `None` for blank cells, placeholders and text.
    pub value: Option<Number>,
    /// The cell's text as written (trimmed), so "—" and "" stay apart. For
    /// a value split out of digits glued together, the whole glued text.
    pub raw: String,
    /// Where the cell is in the source, for auditors.
    pub location: SourceLocation,
    /// How sure the reading of this cell is; serialized inside `location`
    /// (`"inferred": "glued_digits"`) only when it is not certain.
    pub reading: Reading,
}

/// How a cell's boundaries were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// The source separates the cell (a table cell, a surviving separator,
    /// or as many digits as values).
    #[default]
    Certain,
    /// Digits glued together, split where the template's identities allow
    /// exactly one reading.
    GluedDigits,
    /// Digits glued together that no unique reading explains: `value` is
    /// null and `raw` holds the glued text.
    Unresolved,
}

impl Reading {
    pub fn is_certain(self) -> bool {
        self == Reading::Certain
    }
}

impl Cell {
    /// The location as written to `cells.csv`: with " (inferred)" or
    /// " (unresolved)" when the reading is not certain.
    pub fn location_label(&self) -> String {
        match self.reading {
            Reading::Certain => self.location.to_string(),
            Reading::GluedDigits => format!("{} (inferred)", self.location),
            Reading::Unresolved => format!("{} (unresolved)", self.location),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Located<'a> {
            #[serde(flatten)]
            location: &'a SourceLocation,
            inferred: Reading,
        }
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("value", &self.value)?;
        map.serialize_entry("raw", &self.raw)?;
        if self.reading.is_certain() {
            map.serialize_entry("location", &self.location)?;
        } else {
            let located = Located {
                location: &self.location,
                inferred: self.reading,
            };
            map.serialize_entry("location", &located)?;
        }
        map.end()
    }
}

/// One canonical row: its cells by column key, in template order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: &'static str,
    pub cells: Vec<(&'static str, Cell)>,
    /// The row's label as the source writes it (trimmed), for auditors
    /// (findings.csv `row_label`); empty for table 四, whose canonical rows
    /// are column groups. Not part of reports.jsonl.
    pub label: String,
}

impl Row {
    pub fn cell(&self, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|(k, _)| *k == column)
            .map(|(_, c)| c)
    }
}

/// A recognized statistical table: canonical rows in template order. Rows the
/// source lacks are absent (and reported as diagnostics), never zero-filled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyedTable {
    pub rows: Vec<Row>,
}

impl KeyedTable {
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    pub fn cell(&self, row: &str, column: &str) -> Option<&Cell> {
        self.row(row).and_then(|r| r.cell(column))
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.cells.len()))?;
        for (key, cell) in &self.cells {
            map.serialize_entry(key, cell)?;
        }
        map.end()
    }
}

impl Serialize for KeyedTable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.rows.len()))?;
        for row in &self.rows {
            map.serialize_entry(row.key, row)?;
        }
        map.end()
    }
}

/// The three statistical tables; `None` when the report lacks the table.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Tables {
    pub active_disclosure: Option<KeyedTable>,
    pub requests: Option<KeyedTable>,
    pub review_litigation: Option<KeyedTable>,
}

impl Tables {
    pub fn get(&self, key: TableKey) -> Option<&KeyedTable> {
        match key {
            TableKey::ActiveDisclosure => self.active_disclosure.as_ref(),
            TableKey::Requests => self.requests.as_ref(),
            TableKey::ReviewLitigation => self.review_litigation.as_ref(),
        }
    }

    pub fn slot(&mut self, key: TableKey) -> &mut Option<KeyedTable> {
        match key {
            TableKey::ActiveDisclosure => &mut self.active_disclosure,
            TableKey::Requests => &mut self.requests,
            TableKey::ReviewLitigation => &mut self.review_litigation,
        }
    }
}

/// The text of the six sections; `None` when the heading was not found.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Sections {
    pub overview: Option<String>,
    pub active_disclosure: Option<String>,
    pub requests: Option<String>,
    pub review_litigation: Option<String>,
    pub problems: Option<String>,
    pub other: Option<String>,
}

impl Sections {
    pub fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "overview" => &mut self.overview,
            "active_disclosure" => &mut self.active_disclosure,
            "requests" => &mut self.requests,
            "review_litigation" => &mut self.review_litigation,
            "problems" => &mut self.problems,
            "other" => &mut self.other,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AdminLevel {
    Township,
    County,
    City,
    Province,
    Department,
    Unknown,
}

/// A table the recognizer did not map to the template (an agency's own
/// table, or every table of a report that follows no template): kept as text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenericTable {
    /// The table's number in the document (1-based), or its sheet.
    pub location: SourceLocation,
    pub rows: Vec<Vec<String>>,
}

/// Something recognition could not map or had to guess, kept in the output
/// so that nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Written numbers disagree.
    Error,
    /// The rule fails only when blanks are read as 0.
    Incomplete,
    /// Worth a look, often legitimate (narrative scope, decimals).
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Incomplete => "incomplete",
            Severity::Warning => "warning",
        }
    }
}

/// Whether a rule could be evaluated on this report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Passed,
    Failed,
    /// The table the rule needs is missing: not assessable, not passed.
    NotAssessable,
    /// No instance failed, but some could not be evaluated: an operand
    /// fails `value.domain` or could not be read (listed in `blocked`).
    Blocked,
}

/// A rule instance not evaluated because one of its operands is bad: the
/// operand's own finding (or diagnostic) is the one reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    pub row: Option<String>,
    pub column: Option<String>,
    /// The operand that blocks it: `row.column at location`.
    pub by: String,
    /// `domain` (the cell fails value.domain) or `unread` (its digits could
    /// not be split without guessing).
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    pub rule: &'static str,
    pub status: RuleStatus,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<Blocked>,
}

/// An expected or actual value in a finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Quantity {
    Number(Number),
    Text(String),
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Quantity::Number(n) => n.fmt(f),
            Quantity::Text(t) => f.write_str(t),
        }
    }
}

/// A cell that takes part in a finding, with its address in the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRef {
    pub row: String,
    pub column: String,
    pub value: Option<Number>,
    pub raw: String,
    pub location: SourceLocation,
    /// Serialized only when the cell's reading is not certain.
    #[serde(skip_serializing_if = "is_certain")]
    pub reading: Reading,
}

fn is_certain(r: &Reading) -> bool {
    r.is_certain()
}

/// One failed rule instance, shaped so a person can verify it in seconds:
/// the rule, where (table, row, column), what the rule expects, what is
/// written, and every cell involved with its source address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub table: Option<TableKey>,
    pub row: Option<String>,
    pub column: Option<String>,
    pub expected: Option<Quantity>,
    pub actual: Option<Quantity>,
    pub cells: Vec<CellRef>,
    pub message: String,
    /// Stable id: the same finding in the same report gets the same id on
    /// every run.
    pub fingerprint: String,
    /// `certain` when every cell involved was read with certainty (the
    /// published table itself is inconsistent); `inferred` when a cell's
    /// boundaries were inferred (a doubt about the reading).
    pub reading: FindingReading,
}

/// Whether a finding rests on certain readings only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingReading {
    Certain,
    Inferred,
}

impl FindingReading {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingReading::Certain => "certain",
            FindingReading::Inferred => "inferred",
        }
    }
}

/// One converted input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub source: String,
    pub format: Format,
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub template: TemplateId,
    pub admin_level: AdminLevel,
    pub sections: Sections,
    pub tables: Tables,
    pub other_tables: Vec<GenericTable>,
    pub diagnostics: Vec<Diagnostic>,
    pub checks: Vec<RuleOutcome>,
    pub findings: Vec<Finding>,
}
