//! The HTML samples end to end: every cell of the three tables and every
//! finding, against `samples/html/truth.json`, which the samples' generator
//! writes from the data it renders (not from nianbao's output).

use crate::common::*;

#[test]
fn every_cell_and_finding_matches_the_generator_truth() {
    assert_eq!(check_truth("html"), 3);
}

#[test]
fn inconsistent_page_findings_carry_values_and_locations() {
    let report = convert("html/xx-bureau-2023-inconsistent.html");
    let t = finding_tuples(&report);
    let expected = [
        ("narrative.requests", "warning", "new", "total", "39", "42"),
        (
            "requests.results_sum",
            "error",
            "results_total",
            "commercial",
            "7",
            "8",
        ),
        (
            "requests.row_sum",
            "error",
            "partly_granted",
            "total",
            "5",
            "6",
        ),
        (
            "review_litigation.group_sum",
            "error",
            "suit_direct",
            "total",
            "3",
            "2",
        ),
        (
            "value.domain",
            "error",
            "normative_documents",
            "in_force",
            "a whole number >= 0",
            "十二",
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|e| {
            (
                e.0.to_string(),
                e.1.to_string(),
                e.2.to_string(),
                e.3.to_string(),
                e.4.to_string(),
                e.5.to_string(),
            )
        })
        .collect();
    assert_eq!(t, expected);
    let row_sum = report
        .findings
        .iter()
        .find(|f| f.rule == "requests.row_sum")
        .unwrap();
    // 部分公开's 总计 sits at grid row 7, column 10 of the page's third table.
    assert_eq!(row_sum.cells[0].location.to_string(), "table 3 r7c10");
    assert!(
        row_sum.message.contains("expected 5, found 6"),
        "{}",
        row_sum.message
    );
}

#[test]
fn broken_page_fails_with_a_reason() {
    let bytes = std::fs::read(samples().join("html/broken.html")).unwrap();
    let err =
        nianbao::pipeline::convert_bytes(&bytes, "broken.html", &Default::default()).unwrap_err();
    assert!(err.to_string().contains("binary data"), "{err}");
}
