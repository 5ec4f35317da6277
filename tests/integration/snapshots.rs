//! Whole outputs as snapshots (insta): any change to what a report looks like
//! shows up as a reviewed diff. The values in them are asserted independently
//! elsewhere (seed_report.rs, html_samples.rs, years.rs); these guard the
//! shape: keys, order, locations, messages and fingerprints.

use crate::common::*;

#[test]
fn seed_report_json() {
    insta::assert_json_snapshot!("seed_report", convert("txt/guangyang-2022.txt"));
}

#[test]
fn inconsistent_findings_in_every_format() {
    for sample in [
        "html/xx-bureau-2023-inconsistent.html",
        "docx/inconsistent.docx",
        "xlsx/inconsistent.xlsx",
        "years/2019-format-town-2019.html",
    ] {
        let report = convert(sample);
        let name = sample.replace(['/', '.'], "_");
        insta::assert_json_snapshot!(name, report.findings);
    }
}

#[test]
fn cells_csv_of_the_official_docx_layout() {
    let report = convert("docx/official-layout-libreoffice.docx");
    let lines: Vec<String> = nianbao::output::cell_records(&report)
        .iter()
        .map(|r| r.join(","))
        .collect();
    insta::assert_snapshot!("official_layout_cells", lines.join("\n"));
}
