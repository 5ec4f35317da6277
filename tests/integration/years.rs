//! Archives span years: the 2019 format, a 2020 report already on the 2021
//! layout, and a pre-2019 report that follows no template.

use crate::common::*;
use nianbao::report::RuleStatus;
use nianbao::templates::TemplateId;

#[test]
fn year_samples_match_their_truth() {
    // Three HTML pages, and the 2019 town page as LibreOffice made it a DOCX.
    assert_eq!(check_truth("years"), 4);
}

#[test]
fn the_2019_format_keeps_its_own_keys() {
    let r = convert("years/2019-format-county-2020.html");
    assert_eq!(r.template, TemplateId::Y2019);
    let active = r.tables.active_disclosure.as_ref().unwrap();
    assert_eq!(active.cell("licensing", "change").unwrap().raw, "+3");
    assert_eq!(
        active
            .cell("other_services", "change")
            .unwrap()
            .value
            .map(|v| v.as_f64()),
        Some(-1.0)
    );
    assert_eq!(
        active
            .cell("procurement", "amount")
            .unwrap()
            .value
            .map(|v| v.as_f64()),
        Some(1286.5)
    );
    assert!(
        active.cell("licensing", "issued").is_none(),
        "2021 keys must not appear in a 2019 table"
    );
    let requests = r.tables.requests.as_ref().unwrap();
    assert_eq!(requests.rows.len(), 23);
    assert!(requests.row("other").is_some() && requests.row("other.other").is_none());
}

#[test]
fn freeform_reports_get_no_template_and_no_invented_findings() {
    let r = convert("years/freeform-2017.html");
    assert_eq!(r.template, TemplateId::Unknown);
    assert_eq!((r.agency.as_deref(), r.year), (Some("清河镇"), Some(2017)));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert!(
        r.diagnostics.iter().any(|d| d.code == "no_template"),
        "{:?}",
        r.diagnostics
    );
    assert_eq!(r.other_tables.len(), 1);
    assert_eq!(r.other_tables[0].rows[3], ["民生保障", "195"]);
    assert!(r
        .checks
        .iter()
        .filter(|c| c.rule.starts_with("requests"))
        .all(|c| c.status == RuleStatus::NotAssessable));
    assert!(
        r.sections.overview.is_some(),
        "free-form headings still found where they match"
    );
}
