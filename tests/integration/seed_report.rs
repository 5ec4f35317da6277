//! The real township report (copied text) from shared/seed.

use crate::common::*;
use nianbao::report::{AdminLevel, RuleStatus};
use nianbao::templates::{TableKey, TemplateId, TEMPLATE_2021};

const SEED: &str = "txt/guangyang-2022.txt";

#[test]
fn metadata_and_sections() {
    let r = convert(SEED);
    assert_eq!(r.agency.as_deref(), Some("广阳镇"));
    assert_eq!(r.year, Some(2022));
    assert_eq!(r.template, TemplateId::Y2021);
    assert_eq!(r.admin_level, AdminLevel::Township);
    assert!(r
        .sections
        .overview
        .as_deref()
        .unwrap()
        .starts_with("2022年，广阳镇在县委"));
    assert!(r
        .sections
        .overview
        .as_deref()
        .unwrap()
        .contains("七是申请公开政府信息方面"));
    assert!(r
        .sections
        .problems
        .as_deref()
        .unwrap()
        .contains("拓宽政府信息公开渠道"));
    assert_eq!(r.sections.other.as_deref(), Some("无"));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

/// Every cell of the three tables is present. All written values are 0. In
/// the rows of 本年度办理结果 the copied text carries six numbers for seven
/// columns (one cell was lost when the page was copied): that cell is kept
/// as blank (null, raw ""), never invented as 0.
#[test]
fn every_cell_of_the_three_tables() {
    let r = convert(SEED);
    for key in TableKey::ALL {
        for (row, column) in all_cells(&TEMPLATE_2021, key) {
            let c = cell(&r, key.as_str(), row, column)
                .unwrap_or_else(|| panic!("{}.{row}.{column} missing", key.as_str()));
            let in_results = key == TableKey::Requests
                && !matches!(
                    row,
                    "new" | "carried_over" | "results_total" | "carried_forward"
                );
            if in_results && column == "natural_person" {
                assert_eq!((c.value, c.raw.as_str()), (None, ""), "{row}.{column}");
            } else {
                assert_eq!(
                    c.value.map(|v| v.as_f64()),
                    Some(0.0),
                    "{}.{row}.{column} = {:?}",
                    key.as_str(),
                    c.raw
                );
            }
        }
    }
}

#[test]
fn values_point_back_to_their_source_cells() {
    let r = convert(SEED);
    let new_total = cell(&r, "requests", "new", "total").unwrap();
    assert_eq!(new_total.location.to_string(), "table 2 r4c9");
    let fee = cell(&r, "active_disclosure", "fees", "amount").unwrap();
    assert_eq!(fee.location.to_string(), "table 1 r14c2");
    let last = cell(&r, "review_litigation", "suit_after_review", "total").unwrap();
    assert_eq!(last.location.to_string(), "table 3 r4c15");
}

#[test]
fn no_findings_and_every_rule_assessed() {
    let r = convert(SEED);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    for outcome in &r.checks {
        assert_eq!(outcome.status, RuleStatus::Passed, "{}", outcome.rule);
    }
}
