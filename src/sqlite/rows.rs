//! One run's records into typed rows, inserted with cached prepared
//! statements inside the builder's one transaction, in two passes:
//!
//! - [`insert_record`]: the file row and, for a converted input, the report
//!   with its sections, diagnostics, checks and cells, from the typed
//!   [`Report`] (the one the worker converted during `convert`, or one read
//!   back from the journal line: no shapes of our own to keep in step);
//! - [`insert_findings`]: its findings, own and cross-report, once the
//!   archive stage has run (their ids follow the report order, own findings
//!   first, so they cannot be written before the stage).
//!
//! Every table of the first pass has explicit ids or no rowid, so the
//! order of the passes does not show in the data; both ways of building
//! (`convert`, `merge`) run the same passes in the same order, so the files
//! are the same byte for byte.

use rusqlite::types::Value;
use rusqlite::{params, Connection};
use serde::Deserialize;

use crate::codes::RuleId;
use crate::document::SourceLocation;
use crate::output::Record;
use crate::report::{Finding, Quantity, Report, Severity};
use crate::values::Number;

/// What the second pass reads of a report line (the rest is skipped).
#[derive(Deserialize)]
struct FindingsIn {
    findings: Vec<Finding>,
    /// The archive stage's findings (cross-report rules), spliced into the
    /// report line by `output::finalize`; absent from a bare report.
    #[serde(default)]
    archive_findings: Vec<ArchiveFindingIn>,
}

/// The `source` of a report line, to name it in an error ("" if the line
/// holds none).
pub(crate) fn source_of(line: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Source {
        source: String,
    }
    serde_json::from_slice::<Source>(line).map_or_else(|_| String::new(), |s| s.source)
}

/// A cross-report finding: as a report's finding, its cells name the other
/// report and are kept in reports.jsonl only.
#[derive(Deserialize)]
struct ArchiveFindingIn {
    rule: RuleId,
    severity: Severity,
    table: Option<String>,
    row: Option<String>,
    column: Option<String>,
    expected: Option<Quantity>,
    actual: Option<Quantity>,
    message: String,
    fingerprint: String,
}

/// One row of `findings`, own or cross-report.
struct FindingRow<'a> {
    rule: RuleId,
    severity: Severity,
    table: Option<&'a str>,
    row: Option<&'a str>,
    column: Option<&'a str>,
    expected: &'a Option<Quantity>,
    actual: &'a Option<Quantity>,
    message: &'a str,
    fingerprint: &'a str,
}

impl<'a> From<&'a Finding> for FindingRow<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingRow {
            rule: f.rule,
            severity: f.severity,
            table: f.table.map(|t| t.as_str()),
            row: f.row.map(|r| r.as_str()),
            column: f.column.map(|c| c.as_str()),
            expected: &f.expected,
            actual: &f.actual,
            message: &f.message,
            fingerprint: &f.fingerprint,
        }
    }
}

impl<'a> From<&'a ArchiveFindingIn> for FindingRow<'a> {
    fn from(f: &'a ArchiveFindingIn) -> Self {
        FindingRow {
            rule: f.rule,
            severity: f.severity,
            table: f.table.as_deref(),
            row: f.row.as_deref(),
            column: f.column.as_deref(),
            expected: &f.expected,
            actual: &f.actual,
            message: &f.message,
            fingerprint: &f.fingerprint,
        }
    }
}

/// Inserts one finding row; its id.
fn insert_finding(
    stmt: &mut rusqlite::CachedStatement<'_>,
    report_id: i64,
    f: FindingRow<'_>,
) -> rusqlite::Result<i64> {
    let (expected, expected_text) = typed_quantity(f.expected);
    let (actual, actual_text) = typed_quantity(f.actual);
    stmt.insert(params![
        report_id,
        f.rule,
        f.severity.as_str(),
        f.table,
        f.row,
        f.column,
        expected,
        actual,
        expected_text,
        actual_text,
        f.message,
        f.fingerprint,
    ])
}

/// The location text of cells.csv's `location` as the database has always
/// held it: grid position or sheet cell (a PDF cell by its grid position).
/// Written into a buffer the caller reuses from cell to cell: a `String`
/// per cell cost 27 M of the first pass's 825 M instructions on 300
/// generated reports (callgrind, about 450 per cell).
fn write_location_text(l: &SourceLocation, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    match l {
        // The grid position only, as a flow table's location displays.
        SourceLocation::Pdf {
            table, row, col, ..
        } => write!(
            out,
            "{}",
            SourceLocation::Flow {
                table: *table,
                row: *row,
                col: *col
            }
        ),
        other => write!(out, "{other}"),
    }
    .expect("writing to a string cannot fail");
}

/// INTEGER for a whole number as written, REAL for a decimal (`3.0` stays
/// REAL: the report wrote a decimal); a decimal that is not finite is
/// `null` in the JSON and NULL here.
fn typed(n: Option<Number>) -> Value {
    match n {
        Some(Number::Int(i)) => Value::Integer(i),
        Some(Number::Decimal(d)) if d.is_finite() => Value::Real(d),
        _ => Value::Null,
    }
}

/// A finding's expected/actual: a number goes to the NUMERIC column, a text
/// (the domain a value should have, a template year) to the `_text` one.
fn typed_quantity(q: &Option<Quantity>) -> (Value, Option<&str>) {
    match q {
        Some(Quantity::Number(n)) => (typed(Some(*n)), None),
        Some(Quantity::Text(t)) => (Value::Null, Some(t)),
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

/// The first pass for one record: its file row, and for a converted input
/// its report with sections, diagnostics, checks and cells.
pub(crate) fn insert_record(
    conn: &Connection,
    file_id: i64,
    record: &Record,
    report: Option<&Report>,
) -> rusqlite::Result<()> {
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
    let Some(report) = report else {
        return Ok(());
    };
    insert_report(conn, file_id, record.severities, report)?;
    insert_cells(conn, file_id, report)
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
    severities: [usize; 3],
    r: &Report,
) -> rusqlite::Result<()> {
    let [errors, incomplete, warnings] = severities.map(|n| n as i64);
    conn.prepare_cached(
        "INSERT INTO reports (report_id, source, format, title, agency, agency_key, year,
                              template, admin_level, errors, incomplete, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        r.source,
        r.format.as_str(),
        r.title,
        r.agency,
        r.agency.as_deref().map(agency_key),
        r.year.map(i64::from),
        r.template.as_str(),
        r.admin_level.as_str(),
        errors,
        incomplete,
        warnings,
    ])?;
    let mut section = conn.prepare_cached(
        "INSERT INTO sections (report_id, section_key, position, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, (key, _)) in crate::templates::SECTIONS.iter().enumerate() {
        if let Some(body) = r.sections.get(key) {
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
        check.execute(params![id, c.rule, c.status.as_str()])?;
    }
    Ok(())
}

fn insert_cells(conn: &Connection, id: i64, r: &Report) -> rusqlite::Result<()> {
    let mut cell = conn.prepare_cached(
        "INSERT INTO cells (report_id, table_key, row_key, column_key, value, raw, location,
                            doc_table, grid_row, grid_col, sheet, sheet_cell)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut location = String::new();
    for (table, row, column, c) in r.keyed_cells() {
        write_location_text(&c.location, &mut location);
        let (flow, sheet) = match &c.location {
            SourceLocation::Flow { table, row, col }
            | SourceLocation::Pdf {
                table, row, col, ..
            } => (Some((*table as i64, *row as i64, *col as i64)), None),
            SourceLocation::Sheet { sheet, cell } => (None, Some((sheet, cell))),
        };
        cell.execute(params![
            id,
            table.as_str(),
            row,
            column,
            typed(c.value),
            c.raw,
            location,
            flow.map(|f| f.0),
            flow.map(|f| f.1),
            flow.map(|f| f.2),
            sheet.map(|s| s.0),
            sheet.map(|s| s.1),
        ])?;
    }
    Ok(())
}

/// The second pass for one converted record: its findings, then the
/// archive stage's, from its report line as `reports.jsonl` has it.
pub(crate) fn insert_findings(
    conn: &Connection,
    id: i64,
    source: impl FnOnce() -> String,
    line: &[u8],
) -> Result<(), InsertError> {
    let r: FindingsIn = serde_json::from_slice(line).map_err(|e| InsertError::Json {
        source_path: source(),
        message: e.to_string(),
    })?;
    let mut finding = conn.prepare_cached(
        "INSERT INTO findings (report_id, rule, severity, table_key, row_key, column_key,
                               expected, actual, expected_text, actual_text, message, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut cell = conn.prepare_cached(
        "INSERT INTO finding_cells (finding_id, position, row_key, column_key, value, raw, location)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut location = String::new();
    for f in &r.findings {
        let finding_id = insert_finding(&mut finding, id, f.into())?;
        for (i, c) in f.cells.iter().enumerate() {
            write_location_text(&c.location, &mut location);
            cell.execute(params![
                finding_id,
                i as i64 + 1,
                c.row,
                c.column,
                typed(c.value),
                c.raw,
                location,
            ])?;
        }
    }
    for f in &r.archive_findings {
        insert_finding(&mut finding, id, f.into())?;
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
        // An archive finding's expected/actual as read back from its JSON.
        let n = |s: &str| typed_quantity(&Some(serde_json::from_str(s).unwrap())).0;
        assert_eq!(n("118"), Value::Integer(118));
        assert_eq!(n("3.0"), Value::Real(3.0));
        assert_eq!(n("-2"), Value::Integer(-2));
        assert_eq!(typed(Some(Number::Int(118))), Value::Integer(118));
        assert_eq!(typed(Some(Number::Decimal(3.0))), Value::Real(3.0));
        assert_eq!(typed(Some(Number::Decimal(f64::NAN))), Value::Null);
        assert_eq!(typed(None), Value::Null);
    }
}
