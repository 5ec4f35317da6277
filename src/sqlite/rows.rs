//! One journal record into typed rows: the report's JSON line is read back
//! into the shapes below (only what the database holds) and inserted with
//! cached prepared statements inside the builder's one transaction.
//!
//! Reading the JSON line again, rather than changing the journal, keeps the
//! journal format (and `--resume` over older journals) untouched; it costs
//! a few tens of microseconds per report, next to milliseconds of reading.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection};
use serde::Deserialize;

use crate::output::Record;

#[derive(Deserialize)]
struct ReportIn {
    source: String,
    format: String,
    title: Option<String>,
    agency: Option<String>,
    year: Option<i64>,
    template: String,
    admin_level: String,
    sections: BTreeMap<String, Option<String>>,
    tables: BTreeMap<String, Option<BTreeMap<String, BTreeMap<String, CellIn>>>>,
    diagnostics: Vec<DiagnosticIn>,
    checks: Vec<CheckIn>,
    findings: Vec<FindingIn>,
    /// The archive stage's findings (cross-report rules), spliced into the
    /// report line by `output::finalize`; absent from a bare report.
    #[serde(default)]
    archive_findings: Vec<ArchiveFindingIn>,
}

/// A cross-report finding: as a report's finding, its cells name the other
/// report and are kept in reports.jsonl only.
#[derive(Deserialize)]
struct ArchiveFindingIn {
    rule: String,
    severity: String,
    table: Option<String>,
    row: Option<String>,
    column: Option<String>,
    expected: Option<serde_json::Value>,
    actual: Option<serde_json::Value>,
    message: String,
    fingerprint: String,
}

impl From<&ArchiveFindingIn> for FindingIn {
    fn from(a: &ArchiveFindingIn) -> Self {
        FindingIn {
            rule: a.rule.clone(),
            severity: a.severity.clone(),
            table: a.table.clone(),
            row: a.row.clone(),
            column: a.column.clone(),
            expected: a.expected.clone(),
            actual: a.actual.clone(),
            cells: Vec::new(),
            message: a.message.clone(),
            fingerprint: a.fingerprint.clone(),
        }
    }
}

#[derive(Deserialize)]
struct CellIn {
    value: Option<serde_json::Number>,
    raw: String,
    location: LocationIn,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LocationIn {
    Flow { table: i64, row: i64, col: i64 },
    Sheet { sheet: String, cell: String },
}

impl LocationIn {
    /// The same text as `SourceLocation`'s Display (cells.csv's `location`).
    fn text(&self) -> String {
        match self {
            LocationIn::Flow { table, row, col } => format!("table {table} r{row}c{col}"),
            LocationIn::Sheet { sheet, cell } => format!("{sheet}!{cell}"),
        }
    }
}

#[derive(Deserialize)]
struct DiagnosticIn {
    code: String,
    message: String,
}

#[derive(Deserialize)]
struct CheckIn {
    rule: String,
    status: String,
}

#[derive(Deserialize)]
struct FindingIn {
    rule: String,
    severity: String,
    table: Option<String>,
    row: Option<String>,
    column: Option<String>,
    expected: Option<serde_json::Value>,
    actual: Option<serde_json::Value>,
    cells: Vec<CellRefIn>,
    message: String,
    fingerprint: String,
}

#[derive(Deserialize)]
struct CellRefIn {
    row: String,
    column: String,
    value: Option<serde_json::Number>,
    raw: String,
    location: LocationIn,
}

/// INTEGER when the JSON number is whole as written, REAL otherwise
/// (`3.0` stays REAL: the report wrote a decimal).
fn number(n: &Option<serde_json::Number>) -> Value {
    match n {
        Some(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Integer(i),
            (None, Some(f)) => Value::Real(f),
            (None, None) => Value::Null,
        },
        None => Value::Null,
    }
}

/// A finding's expected/actual: a number goes to the NUMERIC column, a text
/// (the domain a value should have, a template year) to the `_text` one.
fn quantity(q: &Option<serde_json::Value>) -> (Value, Option<String>) {
    match q {
        Some(serde_json::Value::Number(n)) => (number(&Some(n.clone())), None),
        Some(serde_json::Value::String(s)) => (Value::Null, Some(s.clone())),
        Some(other) => (Value::Null, Some(other.to_string())),
        None => (Value::Null, None),
    }
}

/// Folds the agency name into a join key: full-width forms to ASCII and no
/// white space, so "广阳镇 " and "广阳镇" are the same agency.
pub fn agency_key(agency: &str) -> String {
    crate::values::fold_width(agency)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Inserts one record: its file row, and for a converted input its report
/// with cells, sections, checks, findings and diagnostics.
pub(crate) fn insert(conn: &Connection, file_id: i64, record: &Record) -> Result<(), InsertError> {
    conn.prepare_cached(
        "INSERT INTO files (file_id, source, format, status, error_kind, reason, size_bytes, content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        file_id,
        record.source,
        (!record.format.is_empty()).then_some(&record.format),
        record.status.as_str(),
        (!record.error.is_empty()).then_some(&record.error),
        (!record.reason.is_empty()).then_some(&record.reason),
        record.size.map(|s| s as i64),
        record.hash,
    ])?;
    let Some(line) = record.report_line() else {
        return Ok(());
    };
    let report: ReportIn = serde_json::from_str(line).map_err(|e| InsertError::Json {
        source_path: record.source.clone(),
        message: e.to_string(),
    })?;
    insert_report(conn, file_id, record, &report)?;
    insert_cells(conn, file_id, &report)?;
    insert_findings(conn, file_id, &report)
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error("journal record of {source_path} is not a report: {message}")]
    Json {
        source_path: String,
        message: String,
    },
}

fn insert_report(
    conn: &Connection,
    id: i64,
    record: &Record,
    r: &ReportIn,
) -> rusqlite::Result<()> {
    let [errors, incomplete, warnings] = record.severities.map(|n| n as i64);
    conn.prepare_cached(
        "INSERT INTO reports (report_id, source, format, title, agency, agency_key, year,
                              template, admin_level, errors, incomplete, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        r.source,
        r.format,
        r.title,
        r.agency,
        r.agency.as_deref().map(agency_key),
        r.year,
        r.template,
        r.admin_level,
        errors,
        incomplete,
        warnings,
    ])?;
    let mut section = conn.prepare_cached(
        "INSERT INTO sections (report_id, section_key, position, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, (key, _)) in crate::templates::SECTIONS.iter().enumerate() {
        if let Some(Some(body)) = r.sections.get(*key) {
            section.execute(params![id, key, position as i64 + 1, body])?;
        }
    }
    let mut diagnostic = conn.prepare_cached(
        "INSERT INTO diagnostics (report_id, position, code, message) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, d) in r.diagnostics.iter().enumerate() {
        diagnostic.execute(params![id, i as i64 + 1, d.code, d.message])?;
    }
    let mut check =
        conn.prepare_cached("INSERT INTO checks (report_id, rule, status) VALUES (?1, ?2, ?3)")?;
    for c in &r.checks {
        check.execute(params![id, c.rule, c.status])?;
    }
    Ok(())
}

fn insert_cells(conn: &Connection, id: i64, r: &ReportIn) -> rusqlite::Result<()> {
    let mut cell = conn.prepare_cached(
        "INSERT INTO cells (report_id, table_key, row_key, column_key, value, raw, location,
                            doc_table, grid_row, grid_col, sheet, sheet_cell)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (table, rows) in &r.tables {
        let Some(rows) = rows else { continue };
        for (row, cells) in rows {
            for (column, c) in cells {
                let (flow, sheet) = match &c.location {
                    LocationIn::Flow { table, row, col } => (Some((*table, *row, *col)), None),
                    LocationIn::Sheet { sheet, cell } => (None, Some((sheet, cell))),
                };
                cell.execute(params![
                    id,
                    table,
                    row,
                    column,
                    number(&c.value),
                    c.raw,
                    c.location.text(),
                    flow.map(|f| f.0),
                    flow.map(|f| f.1),
                    flow.map(|f| f.2),
                    sheet.map(|s| s.0),
                    sheet.map(|s| s.1),
                ])?;
            }
        }
    }
    Ok(())
}

fn insert_findings(conn: &Connection, id: i64, r: &ReportIn) -> Result<(), InsertError> {
    let mut finding = conn.prepare_cached(
        "INSERT INTO findings (report_id, rule, severity, table_key, row_key, column_key,
                               expected, actual, expected_text, actual_text, message, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut cell = conn.prepare_cached(
        "INSERT INTO finding_cells (finding_id, position, row_key, column_key, value, raw, location)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let archive: Vec<FindingIn> = r.archive_findings.iter().map(FindingIn::from).collect();
    for f in r.findings.iter().chain(&archive) {
        let (expected, expected_text) = quantity(&f.expected);
        let (actual, actual_text) = quantity(&f.actual);
        let finding_id = finding.insert(params![
            id,
            f.rule,
            f.severity,
            f.table,
            f.row,
            f.column,
            expected,
            actual,
            expected_text,
            actual_text,
            f.message,
            f.fingerprint,
        ])?;
        for (i, c) in f.cells.iter().enumerate() {
            cell.execute(params![
                finding_id,
                i as i64 + 1,
                c.row,
                c.column,
                number(&c.value),
                c.raw,
                c.location.text(),
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_keys_fold_width_and_space() {
        assert_eq!(agency_key(" 广阳镇\u{3000}"), "广阳镇");
        assert_eq!(agency_key("ＸＸ县"), "XX县");
    }

    #[test]
    fn numbers_keep_their_written_type() {
        let n = |s: &str| Some(serde_json::from_str::<serde_json::Number>(s).unwrap());
        assert_eq!(number(&n("118")), Value::Integer(118));
        assert_eq!(number(&n("3.0")), Value::Real(3.0));
        assert_eq!(number(&n("-2")), Value::Integer(-2));
        assert_eq!(number(&None), Value::Null);
    }
}
