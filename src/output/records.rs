//! One input's result as a journal record, and the CSV lines it renders to.
//!
//! CSV fields are neutralised against formula injection (the OWASP rule):
//! a field starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! written with a leading `'`, so a crafted agency name or cell text such as
//! `=HYPERLINK(...)` is shown as text when an auditor opens the CSV in Excel
//! or WPS. Plain numbers (`-3`, `+1.5`) are left alone: spreadsheets read
//! them as numbers, never as formulas. `reports.jsonl` keeps the true text.

use std::borrow::Cow;
use std::fmt::Write;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::pipeline::{FileResult, Outcome, Status};
use crate::report::{Report, Severity};
use crate::values::Number;

/// The record format version, written in every journal line; a journal of
/// another version (or another nianbao version) is never mixed into a run:
/// `--resume` converts everything again.
///
/// 3: the report is the record's `report` object itself (raw JSON), no
/// longer its JSON line escaped into a string.
/// 4: no `cells` member: a record's `cells.csv` lines are made again from
/// its report when it is read back ([`Record::restore_cells`]).
pub const RECORD_VERSION: u32 = 4;
/// The nianbao version that writes the records and outputs.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One input's result, rendered to every output's lines. The journal holds
/// one record per line; the output files are built from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// [`RECORD_VERSION`].
    pub v: u32,
    /// [`TOOL_VERSION`].
    pub tool: String,
    pub source: String,
    pub size: Option<u64>,
    pub hash: Option<String>,
    pub format: String,
    pub status: Status,
    pub reason: String,
    /// The failure's kind (`ErrorKind::as_str`), empty unless failed.
    #[serde(default)]
    pub error: String,
    /// The report's JSON line, embedded as it is (a JSON object, not a
    /// string holding one): written once by the converting thread, never
    /// escaped into the journal nor unescaped out of it.
    pub report: Option<Box<RawValue>>,
    /// `cells.csv` lines of this input, already CSV-encoded. Not written to
    /// the journal: they are a third of a converted record there (2.7 of
    /// the 15 GB a 100,000-report run wrote), escaped into JSON on every
    /// worker, and made again from the report when a record is read back
    /// (`--resume`, `merge`).
    #[serde(skip_serializing, default)]
    pub cells: String,
    /// `findings.csv` lines of this input, already CSV-encoded.
    pub findings: String,
    /// Findings by severity: error, incomplete, warning.
    pub severities: [usize; 3],
}

impl Record {
    pub fn from_result(result: &FileResult) -> Self {
        let (size, hash) = result
            .fingerprint
            .as_ref()
            .map_or((None, None), |f| (Some(f.size), Some(f.hash.clone())));
        let mut record = Record {
            v: RECORD_VERSION,
            tool: TOOL_VERSION.to_string(),
            source: result.source.to_string(),
            size,
            hash,
            format: String::new(),
            status: result.status(),
            reason: String::new(),
            error: String::new(),
            report: None,
            cells: String::new(),
            findings: String::new(),
            severities: [0; 3],
        };
        match &result.outcome {
            Outcome::Converted(report) => {
                record.format = report.format.as_str().to_string();
                record.report = Some(
                    serde_json::value::to_raw_value(report)
                        .expect("reports serialize: all keys are strings"),
                );
                record.cells = cells_csv(report);
                record.findings = csv_lines(finding_records(report));
                for f in &report.findings {
                    let i = match f.severity {
                        Severity::Error => 0,
                        Severity::Incomplete => 1,
                        Severity::Warning => 2,
                    };
                    record.severities[i] += 1;
                }
            }
            Outcome::Failed {
                format,
                error,
                reason,
            } => {
                record.format = format.map_or("", |f| f.as_str()).to_string();
                record.error = error.as_str().to_string();
                record.reason = reason.clone();
            }
            Outcome::Skipped { reason } => record.reason = reason.clone(),
        }
        record
    }

    /// The `cells.csv` lines of a record read back from the journal, made
    /// from its report as it was parsed back: the same lines as when it was
    /// converted (numbers go through JSON exactly, with serde_json's
    /// `float_roundtrip`; `cells_made_again_from_a_report_read_back_are_the_cells_written`
    /// holds them byte-identical).
    pub fn restore_cells(&mut self, report: &Report) {
        if self.cells.is_empty() {
            self.cells = cells_csv(report);
        }
    }

    /// The report's JSON line, if converted.
    pub fn report_line(&self) -> Option<&str> {
        self.report.as_deref().map(RawValue::get)
    }

    /// The `files.csv` fields of this record.
    pub fn files_row(&self) -> [String; 5] {
        [
            self.source.clone(),
            self.format.clone(),
            self.status.as_str().to_string(),
            self.reason.clone(),
            self.error.clone(),
        ]
    }
}

/// A CSV field that a spreadsheet cannot run as a formula.
pub fn neutralise(field: String) -> String {
    match neutral(&field) {
        Cow::Borrowed(_) => field,
        Cow::Owned(safe) => safe,
    }
}

/// [`neutralise`], borrowing the field when it is safe as it is.
fn neutral(field: &str) -> Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(field) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// CSV-encodes records into lines (the same quoting the writers use), each
/// field neutralised.
pub fn csv_lines<const N: usize>(records: Vec<[String; N]>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in records {
        w.write_record(r.map(neutralise))
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer"))
        .expect("CSV of UTF-8 strings is UTF-8")
}

fn year_text(report: &Report) -> String {
    report.year.map(|y| y.to_string()).unwrap_or_default()
}

/// `cells.csv` lines of a report: `csv_lines(cell_records(report))`,
/// without ten strings per cell. Why: that way was 3.3% of a whole run's
/// instructions (callgrind, 300 generated reports), for about 200 cells a
/// report. A test holds the two equal on every sample.
pub(crate) fn cells_csv(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Prefixed {
        out: Vec::with_capacity(64 * 256),
        prefix: shared_fields_csv(report),
        at_record: true,
    });
    let mut location = String::new();
    let mut int = itoa::Buffer::new();
    let mut decimal = String::new();
    for key in crate::templates::TableKey::ALL {
        let Some(table) = report.tables.get(key) else {
            continue;
        };
        for row in &table.rows {
            for (column, cell) in &row.cells {
                let value: &str = match cell.value {
                    None => "",
                    Some(Number::Int(i)) => int.format(i),
                    Some(v @ Number::Decimal(_)) => {
                        decimal.clear();
                        write!(decimal, "{v}").expect("writing to a string cannot fail");
                        &decimal
                    }
                };
                location.clear();
                cell.write_location_label(&mut location);
                let fields = [
                    neutral(key.as_str()),
                    neutral(row.key.as_str()),
                    neutral(column.as_str()),
                    neutral(value),
                    neutral(&cell.raw),
                    neutral(&location),
                ];
                w.write_record(fields.iter().map(|f| f.as_bytes()))
                    .expect("writing to memory cannot fail");
                // Ends the record for `Prefixed`: the next bytes start one.
                w.flush().expect("writing to memory cannot fail");
            }
        }
    }
    let out = w.into_inner().expect("in-memory writer").out;
    String::from_utf8(out).expect("CSV of UTF-8 strings is UTF-8")
}

/// The in-memory sink of [`cells_csv`]: puts the report's shared fields
/// before the first bytes written after each `flush`, which the caller
/// makes after each record (a record's bytes may come in several writes,
/// and a quoted field may hold a newline, so the record boundary is the
/// flush, not the bytes).
struct Prefixed {
    out: Vec<u8>,
    prefix: Vec<u8>,
    at_record: bool,
}

impl std::io::Write for Prefixed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.at_record && !buf.is_empty() {
            self.out.extend_from_slice(&self.prefix);
            self.at_record = false;
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.at_record = true;
        Ok(())
    }
}

/// The four fields every cell line of a report starts with (source, agency,
/// year, template), as CSV with the separator after them: rendered once
/// per report instead of once per cell (they were 4 of each line's 10
/// fields, and the source path the longest).
fn shared_fields_csv(report: &Report) -> Vec<u8> {
    let year = year_text(report);
    let shared = [
        neutral(&report.source),
        neutral(report.agency.as_deref().unwrap_or_default()),
        neutral(&year),
        neutral(report.template.as_str()),
    ];
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b','))
        .from_writer(Vec::new());
    w.write_record(shared.iter().map(|f| f.as_bytes()))
        .expect("writing to memory cannot fail");
    w.into_inner().expect("in-memory writer")
}

/// One CSV record per table cell.
pub fn cell_records(report: &Report) -> Vec<[String; 10]> {
    let mut out = Vec::new();
    for key in crate::templates::TableKey::ALL {
        let Some(table) = report.tables.get(key) else {
            continue;
        };
        for row in &table.rows {
            for (column, cell) in &row.cells {
                out.push([
                    report.source.clone(),
                    report.agency.clone().unwrap_or_default(),
                    year_text(report),
                    report.template.as_str().to_string(),
                    key.as_str().to_string(),
                    row.key.to_string(),
                    column.to_string(),
                    cell.value.map(|v| v.to_string()).unwrap_or_default(),
                    cell.raw.clone(),
                    cell.location_label(),
                ]);
            }
        }
    }
    out
}

/// One CSV record per finding.
pub fn finding_records(report: &Report) -> Vec<[String; 16]> {
    report
        .findings
        .iter()
        .map(|f| {
            let (principal, others) = finding_cells(f);
            [
                report.source.clone(),
                report.agency.clone().unwrap_or_default(),
                year_text(report),
                f.rule.to_string(),
                f.severity.as_str().to_string(),
                f.table.map(|t| t.as_str().to_string()).unwrap_or_default(),
                f.row.map_or(String::new(), |k| k.to_string()),
                f.column.map_or(String::new(), |k| k.to_string()),
                f.expected
                    .as_ref()
                    .map(|q| q.to_string())
                    .unwrap_or_default(),
                f.actual.as_ref().map(|q| q.to_string()).unwrap_or_default(),
                f.message.clone(),
                f.fingerprint.clone(),
                f.reading.as_str().to_string(),
                principal
                    .map(|c| c.location.to_string())
                    .unwrap_or_default(),
                others,
                row_label(report, f),
            ]
        })
        .collect()
}

/// The finding's principal cell (the one at its row and column, else the
/// first involved) and the others as `row.column@location; …`.
fn finding_cells(f: &crate::report::Finding) -> (Option<&crate::report::CellRef>, String) {
    let at = |c: &&crate::report::CellRef| {
        Some(&c.row) == f.row.as_ref() && Some(&c.column) == f.column.as_ref()
    };
    let principal = f.cells.iter().find(at).or(f.cells.first());
    let others = f
        .cells
        .iter()
        .filter(|c| !principal.is_some_and(|p| std::ptr::eq(p, *c)))
        .map(|c| format!("{}.{}@{}", c.row, c.column, c.location))
        .collect::<Vec<_>>()
        .join("; ");
    (principal, others)
}

fn row_label(report: &Report, f: &crate::report::Finding) -> String {
    f.table
        .and_then(|t| report.tables.get(t))
        .zip(f.row.as_deref())
        .and_then(|(t, r)| t.row(r))
        .map(|r| r.label.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the first sample report whose requests table has rows, to
    /// make odd cases of.
    fn with_requests_rows(reports: &[(String, Report)]) -> Report {
        reports
            .iter()
            .map(|(_, r)| r)
            .find(|r| {
                r.tables
                    .requests
                    .as_ref()
                    .is_some_and(|t| !t.rows.is_empty())
            })
            .cloned()
            .expect("a sample with a requests table")
    }

    /// The shortcut writes what the ten-strings-a-cell way writes, on every
    /// sample (flow, sheet and PDF locations, glued digits, decimals, text
    /// that looks like a formula).
    #[test]
    fn cells_csv_is_csv_lines_of_cell_records_on_every_sample() {
        let mut cells = 0;
        let mut reports = crate::pipeline::sample_reports();
        // Fields CSV must quote, in the shared part and in a cell, and a
        // raw text longer than the CSV writer's buffer (written in pieces).
        let mut odd = with_requests_rows(&reports);
        odd.source = "a,\"b\"\n/c.html".into();
        odd.agency = Some("=某,镇".into());
        let row = &mut odd.tables.requests.as_mut().unwrap().rows[0];
        row.cells[0].1.raw = "1,\"2\"\r\n3".into();
        row.cells[1].1.raw = "长".repeat(5_000) + ",";
        reports.push(("odd".into(), odd));
        for (source, report) in reports {
            let records = cell_records(&report);
            cells += records.len();
            assert_eq!(cells_csv(&report), csv_lines(records), "{source}");
        }
        assert!(cells > 5_000, "only {cells} cells compared");
    }

    /// What `--resume` and `merge` write for a record read back from the
    /// journal: on every sample, and on a decimal that is not short in
    /// binary (0.1 + 0.2), a glued-digit reading and a PDF box.
    #[test]
    fn cells_made_again_from_a_report_read_back_are_the_cells_written() {
        let mut reports = crate::pipeline::sample_reports();
        let mut odd = with_requests_rows(&reports);
        let row = &mut odd.tables.requests.as_mut().unwrap().rows[0];
        crate::pipeline::make_hard_to_round_trip(&mut row.cells[0].1);
        reports.push(("odd".into(), odd));
        let mut with_cells = 0;
        for (source, report) in &reports {
            let record = Record {
                v: RECORD_VERSION,
                tool: TOOL_VERSION.into(),
                source: source.clone(),
                size: None,
                hash: None,
                format: report.format.as_str().into(),
                status: Status::Converted,
                reason: String::new(),
                error: String::new(),
                report: Some(serde_json::value::to_raw_value(report).unwrap()),
                cells: cells_csv(report),
                findings: String::new(),
                severities: [0; 3],
            };
            let line = super::super::journal::encode(&record);
            let mut back: Record = serde_json::from_slice(&line).unwrap();
            assert!(back.cells.is_empty(), "the journal keeps no cells");
            let report_back: Report = serde_json::from_str(back.report_line().unwrap()).unwrap();
            back.restore_cells(&report_back);
            assert_eq!(back.cells, record.cells, "{source}");
            with_cells += usize::from(!record.cells.is_empty());
        }
        assert!(with_cells >= 30, "only {with_cells} reports with cells");
    }

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        for (field, expected) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-3", "-3"),
            ("+1.5", "+1.5"),
            ("广阳镇", "广阳镇"),
            ("", ""),
        ] {
            assert_eq!(neutralise(field.to_string()), expected, "{field:?}");
        }
    }
}
