//! The normalized report: what one input file becomes, keyed by the canonical
//! keys of docs/TEMPLATE.md. Serialized as one line of `reports.jsonl`; the JSON
//! Schema in `schemas/report.schema.json` describes exactly this shape.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::codes::{DiagnosticCode, RuleId};
use crate::document::{LocationFields, SourceLocation};
use crate::readers::Format;
use crate::templates::{ColumnKey, RowKey, TableKey, TemplateId};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
        let mut label = String::new();
        self.write_location_label(&mut label);
        label
    }

    /// [`Cell::location_label`], appended to `out`.
    pub(crate) fn write_location_label(&self, out: &mut String) {
        use std::fmt::Write;
        let note = match self.reading {
            Reading::Certain => "",
            Reading::GluedDigits => " (inferred)",
            Reading::Unresolved => " (unresolved)",
        };
        write!(out, "{}{note}", self.location).expect("writing to a string cannot fail");
    }
}

/// A cell's `location` member when its reading is not certain.
#[derive(Serialize)]
struct Located<'a> {
    #[serde(flatten)]
    location: &'a SourceLocation,
    inferred: Reading,
}

impl Cell {
    /// The cell's `location` member as `reports.jsonl` writes it, as a JSON
    /// value (what reading the line back gives: a PDF box's `f32`s go
    /// through their text, as they do in the line).
    pub(crate) fn location_json(&self) -> serde_json::Value {
        let located = Located {
            location: &self.location,
            inferred: self.reading,
        };
        let value = match (&self.location, self.reading.is_certain()) {
            (SourceLocation::Pdf { .. }, true) => {
                serde_json::to_string(&self.location).and_then(|t| serde_json::from_str(&t))
            }
            (SourceLocation::Pdf { .. }, false) => {
                serde_json::to_string(&located).and_then(|t| serde_json::from_str(&t))
            }
            (_, true) => serde_json::to_value(&self.location),
            (_, false) => serde_json::to_value(&located),
        };
        value.expect("locations serialize")
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
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

/// A cell as `reports.jsonl` writes it: the reading, when not certain, sits
/// inside `location` as `inferred`.
#[derive(Deserialize)]
struct CellFields {
    value: Option<Number>,
    raw: String,
    location: LocatedFields,
}

#[derive(Deserialize)]
struct LocatedFields {
    #[serde(flatten)]
    location: LocationFields,
    #[serde(default)]
    inferred: Reading,
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = CellFields::deserialize(d)?;
        let location = fields.location.location.into_location().ok_or_else(|| {
            serde::de::Error::custom("a cell location needs table/row/col or sheet/cell")
        })?;
        Ok(Cell {
            value: fields.value,
            raw: fields.raw,
            location,
            reading: fields.location.inferred,
        })
    }
}

/// Reads a JSON object into its entries in written order (template order
/// for rows and columns), keys through their registries.
struct Entries<K, V>(std::marker::PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
    type Value = Vec<(K, V)>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object keyed by canonical keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry()? {
            out.push(entry);
        }
        Ok(out)
    }
}

fn entries<'de, D: Deserializer<'de>, K: Deserialize<'de>, V: Deserialize<'de>>(
    d: D,
) -> Result<Vec<(K, V)>, D::Error> {
    d.deserialize_map(Entries(std::marker::PhantomData))
}

/// A row's cells as written, before it knows its own key.
struct RowCells(Vec<(ColumnKey, Cell)>);

impl<'de> Deserialize<'de> for RowCells {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        entries(d).map(RowCells)
    }
}

impl<'de> Deserialize<'de> for KeyedTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: Vec<(RowKey, RowCells)> = entries(d)?;
        Ok(KeyedTable {
            rows: rows
                .into_iter()
                .map(|(key, cells)| Row {
                    key,
                    cells: cells.0,
                    label: String::new(),
                })
                .collect(),
        })
    }
}

/// One canonical row: its cells by column key, in template order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: RowKey,
    pub cells: Vec<(ColumnKey, Cell)>,
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
            map.serialize_entry(&row.key, row)?;
        }
        map.end()
    }
}

/// The three statistical tables; `None` when the report lacks the table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Sections {
    pub overview: Option<String>,
    pub active_disclosure: Option<String>,
    pub requests: Option<String>,
    pub review_litigation: Option<String>,
    pub problems: Option<String>,
    pub other: Option<String>,
}

impl Sections {
    /// The section's text by its key (`overview` … `other`).
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "overview" => self.overview.as_deref(),
            "active_disclosure" => self.active_disclosure.as_deref(),
            "requests" => self.requests.as_deref(),
            "review_litigation" => self.review_litigation.as_deref(),
            "problems" => self.problems.as_deref(),
            "other" => self.other.as_deref(),
            _ => None,
        }
    }

    /// Every section by key, in the keys' sorted order: the order a
    /// reader of the JSON line into a sorted map sees them.
    pub fn by_key(&self) -> [(&'static str, Option<&str>); 6] {
        [
            "active_disclosure",
            "other",
            "overview",
            "problems",
            "requests",
            "review_litigation",
        ]
        .map(|k| (k, self.get(k)))
    }

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdminLevel {
    Township,
    County,
    City,
    Province,
    Department,
    Unknown,
}

impl AdminLevel {
    /// The spelling in `reports.jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminLevel::Township => "township",
            AdminLevel::County => "county",
            AdminLevel::City => "city",
            AdminLevel::Province => "province",
            AdminLevel::Department => "department",
            AdminLevel::Unknown => "unknown",
        }
    }
}

/// A table the recognizer did not map to the template (an agency's own
/// table, or every table of a report that follows no template): kept as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenericTable {
    /// The table's number in the document (1-based), or its sheet.
    pub location: SourceLocation,
    pub rows: Vec<Vec<String>>,
}

/// Something recognition could not map or had to guess, kept in the output
/// so that nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

impl RuleStatus {
    /// The spelling in `reports.jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Passed => "passed",
            RuleStatus::Failed => "failed",
            RuleStatus::NotAssessable => "not_assessable",
            RuleStatus::Blocked => "blocked",
        }
    }
}

/// A rule instance not evaluated because one of its operands is bad: the
/// operand's own finding (or diagnostic) is the one reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    pub row: Option<RowKey>,
    pub column: Option<ColumnKey>,
    /// The operand that blocks it: `row.column at location`.
    pub by: String,
    pub reason: BlockReason,
}

/// Why an operand blocks a rule instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    /// The cell fails `value.domain`.
    Domain,
    /// Its digits could not be split without guessing.
    Unread,
}

impl PartialEq<&str> for BlockReason {
    fn eq(&self, other: &&str) -> bool {
        let spelling = match self {
            BlockReason::Domain => "domain",
            BlockReason::Unread => "unread",
        };
        spelling == *other
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOutcome {
    pub rule: RuleId,
    pub status: RuleStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<Blocked>,
}

/// An expected or actual value in a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellRef {
    pub row: RowKey,
    pub column: ColumnKey,
    pub value: Option<Number>,
    pub raw: String,
    pub location: SourceLocation,
    /// Serialized only when the cell's reading is not certain.
    #[serde(default, skip_serializing_if = "is_certain")]
    pub reading: Reading,
}

fn is_certain(r: &Reading) -> bool {
    r.is_certain()
}

/// One failed rule instance, shaped so a person can verify it in seconds:
/// the rule, where (table, row, column), what the rule expects, what is
/// written, and every cell involved with its source address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub table: Option<TableKey>,
    pub row: Option<RowKey>,
    pub column: Option<ColumnKey>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// One converted input file: one line of `reports.jsonl`, and read back
/// from it with `serde_json::from_str` (the round trip is tested on every
/// sample: `report_round_trips_through_its_json_line`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A table cell with its keys, as [`Report::keyed_cells`] lists them.
pub(crate) type KeyedCell<'a> = (TableKey, &'static str, &'static str, &'a Cell);

impl Report {
    /// Every table cell with its table, row and column keys, as reading the
    /// report's JSON line into sorted maps sees them: keys in sorted order,
    /// and a row or column key written twice keeping its last occurrence.
    /// What the archive stage and the database take, so that building them
    /// from this report and from its line in the journal agree.
    pub(crate) fn keyed_cells(&self) -> Vec<KeyedCell<'_>> {
        use std::collections::BTreeMap;
        let mut out = Vec::new();
        // TableKey::ALL is in the keys' sorted order.
        for key in TableKey::ALL {
            let Some(table) = self.tables.get(key) else {
                continue;
            };
            // `insert` replaces: the last occurrence wins, as in a map read.
            let mut rows: BTreeMap<&'static str, &Row> = BTreeMap::new();
            for r in &table.rows {
                rows.insert(r.key.as_str(), r);
            }
            for (row, r) in rows {
                let mut cells: BTreeMap<&'static str, &Cell> = BTreeMap::new();
                for (c, cell) in &r.cells {
                    cells.insert(c.as_str(), cell);
                }
                out.extend(cells.into_iter().map(|(c, cell)| (key, row, c, cell)));
            }
        }
        out
    }
}
