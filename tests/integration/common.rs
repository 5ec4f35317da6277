//! Helpers shared by the integration tests.

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
    convert_bytes(&bytes, relative, &Limits::default())
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The parsed value of one canonical cell, `None` when blank or absent.
pub fn value(report: &Report, table: &str, row: &str, column: &str) -> Option<f64> {
    cell(report, table, row, column)
        .and_then(|c| c.value)
        .map(|v| v.as_f64())
}

pub fn cell<'a>(
    report: &'a Report,
    table: &str,
    row: &str,
    column: &str,
) -> Option<&'a nianbao::report::Cell> {
    let key = nianbao::templates::TableKey::ALL
        .into_iter()
        .find(|k| k.as_str() == table)?;
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
                f.row.map_or(String::new(), |k| k.to_string()),
                f.column.map_or(String::new(), |k| k.to_string()),
                f.expected
                    .as_ref()
                    .map(|q| q.to_string())
                    .unwrap_or_default(),
                f.actual.as_ref().map(|q| q.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Every canonical row and column key of a template's table, for
/// exhaustive assertions.
pub fn all_cells(
    template: &nianbao::templates::TemplateSpec,
    table: nianbao::templates::TableKey,
) -> Vec<(&'static str, &'static str)> {
    let spec = template.table(table).expect("table in template");
    spec.rows
        .iter()
        .flat_map(|r| r.columns.iter().map(move |c| (r.key.as_str(), c.as_str())))
        .collect()
}

/// Checks every sample listed in a generator's `truth.json` (in `dir` under
/// samples/): metadata, every cell of the three tables (value and raw text),
/// and exactly the findings listed, with expected/actual values where given.
/// Returns how many samples were checked.
pub fn check_truth(dir: &str) -> usize {
    let text = std::fs::read_to_string(samples().join(dir).join("truth.json")).expect("truth.json");
    let truths: Vec<serde_json::Value> = serde_json::from_str(&text).expect("truth is JSON");
    for truth in &truths {
        let file = truth["file"].as_str().unwrap();
        let report = convert(&format!("{dir}/{file}"));
        assert_eq!(report.agency.as_deref(), truth["agency"].as_str(), "{file}");
        assert_eq!(
            report.year,
            truth["year"].as_i64().map(|y| y as i32),
            "{file}"
        );
        if let Some(template) = truth["template"].as_str() {
            assert_eq!(report.template.as_str(), template, "{file}");
        }
        let mut expected_cells = 0;
        for (table, rows) in truth["tables"].as_object().unwrap() {
            for (row, columns) in rows.as_object().unwrap() {
                for (column, expected) in columns.as_object().unwrap() {
                    let got = cell(&report, table, row, column)
                        .unwrap_or_else(|| panic!("{file}: {table}.{row}.{column} missing"));
                    assert_eq!(
                        got.raw,
                        expected["raw"].as_str().unwrap(),
                        "{file}: {table}.{row}.{column} raw"
                    );
                    assert_eq!(
                        got.value.map(|v| v.as_f64()),
                        expected["value"].as_f64(),
                        "{file}: {table}.{row}.{column}"
                    );
                    expected_cells += 1;
                }
            }
        }
        let cells: usize = nianbao::templates::TableKey::ALL
            .iter()
            .filter_map(|k| report.tables.get(*k))
            .map(|t| t.rows.iter().map(|r| r.cells.len()).sum::<usize>())
            .sum();
        assert_eq!(cells, expected_cells, "{file}: no cell beyond the truth");
        assert!(
            report.diagnostics.is_empty(),
            "{file}: {:?}",
            report.diagnostics
        );

        let key = |rule: &str, table: Option<&str>, row: Option<&str>, column: Option<&str>| {
            (
                rule.to_string(),
                table.unwrap_or("").to_string(),
                row.unwrap_or("").to_string(),
                column.unwrap_or("").to_string(),
            )
        };
        let mut got: Vec<_> = report
            .findings
            .iter()
            .map(|f| {
                key(
                    f.rule.as_str(),
                    f.table.map(|t| t.as_str()),
                    f.row.as_deref(),
                    f.column.as_deref(),
                )
            })
            .collect();
        let mut want: Vec<_> = truth["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                key(
                    f["rule"].as_str().unwrap(),
                    f["table"].as_str(),
                    f["row"].as_str(),
                    f["column"].as_str(),
                )
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{file}: findings");
        for f in truth["findings"].as_array().unwrap() {
            let Some(expected) = f.get("expected") else {
                continue;
            };
            let finding = report
                .findings
                .iter()
                .find(|g| {
                    g.rule == f["rule"].as_str().unwrap()
                        && g.row.as_deref() == f["row"].as_str()
                        && g.column.as_deref() == f["column"].as_str()
                })
                .unwrap();
            let text = |v: &serde_json::Value| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            };
            assert_eq!(
                finding.expected.as_ref().map(|q| q.to_string()),
                Some(text(expected)),
                "{file}: {} expected",
                finding.rule
            );
            assert_eq!(
                finding.actual.as_ref().map(|q| q.to_string()),
                Some(text(&f["actual"])),
                "{file}: {} actual",
                finding.rule
            );
        }
    }
    truths.len()
}
