//! The HTML samples end to end: every cell of the three tables and every
//! finding, against `samples/html/truth.json`, which the samples' generator
//! writes from the data it renders (not from nianbao's output).

mod common;
use common::*;
use serde_json::Value;

fn truths() -> Vec<Value> {
    let text = std::fs::read_to_string(samples().join("html/truth.json")).expect("truth.json");
    serde_json::from_str(&text).expect("truth is JSON")
}

#[test]
fn every_cell_matches_the_generator_truth() {
    for truth in truths() {
        let file = truth["file"].as_str().unwrap();
        let report = convert(&format!("html/{file}"));
        assert_eq!(report.agency.as_deref(), truth["agency"].as_str(), "{file}");
        assert_eq!(report.year, truth["year"].as_i64().map(|y| y as i32), "{file}");
        let mut count = 0;
        for (table, rows) in truth["tables"].as_object().unwrap() {
            for (row, columns) in rows.as_object().unwrap() {
                for (column, expected) in columns.as_object().unwrap() {
                    let got = cell(&report, table, row, column).unwrap_or_else(|| panic!("{file}: {table}.{row}.{column} missing"));
                    assert_eq!(got.raw, expected["raw"].as_str().unwrap(), "{file}: {table}.{row}.{column} raw");
                    assert_eq!(got.value.map(|v| v.as_f64()), expected["value"].as_f64(), "{file}: {table}.{row}.{column}");
                    count += 1;
                }
            }
        }
        assert_eq!(count, 10 + 25 * 7 + 15, "{file}: every cell of the three tables");
        assert!(report.diagnostics.is_empty(), "{file}: {:?}", report.diagnostics);
    }
}

#[test]
fn findings_are_exactly_the_injected_ones() {
    for truth in truths() {
        let file = truth["file"].as_str().unwrap();
        let report = convert(&format!("html/{file}"));
        let mut got: Vec<(String, String, String, String)> = report
            .findings
            .iter()
            .map(|f| {
                let table = f.table.map(|t| t.as_str().to_string()).unwrap_or_default();
                (f.rule.to_string(), table, f.row.clone().unwrap_or_default(), f.column.clone().unwrap_or_default())
            })
            .collect();
        let mut want: Vec<(String, String, String, String)> = truth["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap().to_string();
                (s("rule"), s("table"), s("row"), s("column"))
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn inconsistent_page_findings_carry_values_and_locations() {
    let report = convert("html/xx-bureau-2023-inconsistent.html");
    let t = finding_tuples(&report);
    let expected = [
        ("narrative.requests", "warning", "new", "total", "39", "42"),
        ("requests.results_sum", "error", "results_total", "commercial", "7", "8"),
        ("requests.row_sum", "error", "partly_granted", "total", "5", "6"),
        ("review_litigation.group_sum", "error", "suit_direct", "total", "3", "2"),
        ("value.domain", "error", "normative_documents", "in_force", "a whole number >= 0", "十二"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|e| (e.0.to_string(), e.1.to_string(), e.2.to_string(), e.3.to_string(), e.4.to_string(), e.5.to_string()))
        .collect();
    assert_eq!(t, expected);
    let row_sum = report.findings.iter().find(|f| f.rule == "requests.row_sum").unwrap();
    // 部分公开's 总计 sits at grid row 7, column 10 of the page's third table.
    assert_eq!(row_sum.cells[0].location.to_string(), "table 3 r7c10");
    assert!(row_sum.message.contains("expected 5, found 6"), "{}", row_sum.message);
}

#[test]
fn broken_page_fails_with_a_reason() {
    let bytes = std::fs::read(samples().join("html/broken.html")).unwrap();
    let err = nianbao::pipeline::convert_bytes(&bytes, "broken.html", &Default::default()).unwrap_err().1;
    assert!(err.to_string().contains("binary data"), "{err}");
}
