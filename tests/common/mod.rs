//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use nianbao::pipeline::convert_bytes;
use nianbao::readers::Limits;
use nianbao::report::{Finding, Report};

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Converts one sample file through the whole library pipeline.
pub fn convert(relative: &str) -> Report {
    let path = samples().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    convert_bytes(&bytes, relative, &Limits::default()).unwrap_or_else(|(_, e)| panic!("{relative}: {e}"))
}

/// The parsed value of one canonical cell, `None` when blank or absent.
pub fn value(report: &Report, table: &str, row: &str, column: &str) -> Option<f64> {
    cell(report, table, row, column).and_then(|c| c.value).map(|v| v.as_f64())
}

pub fn cell<'a>(report: &'a Report, table: &str, row: &str, column: &str) -> Option<&'a nianbao::report::Cell> {
    let key = nianbao::templates::TableKey::ALL.into_iter().find(|k| k.as_str() == table)?;
    report.tables.get(key)?.cell(row, column)
}

/// Findings as (rule, severity, row, column, expected, actual) tuples, sorted,
/// for exact comparison.
pub fn finding_tuples(report: &Report) -> Vec<(String, String, String, String, String, String)> {
    let mut out: Vec<_> = report
        .findings
        .iter()
        .map(|f: &Finding| {
            (
                f.rule.to_string(),
                f.severity.as_str().to_string(),
                f.row.clone().unwrap_or_default(),
                f.column.clone().unwrap_or_default(),
                f.expected.as_ref().map(|q| q.to_string()).unwrap_or_default(),
                f.actual.as_ref().map(|q| q.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Every canonical row and column key of a template's table, for
/// exhaustive assertions.
pub fn all_cells(template: &nianbao::templates::TemplateSpec, table: nianbao::templates::TableKey) -> Vec<(&'static str, &'static str)> {
    let spec = template.table(table).expect("table in template");
    spec.rows.iter().flat_map(|r| r.columns.iter().map(move |c| (r.key, *c))).collect()
}
