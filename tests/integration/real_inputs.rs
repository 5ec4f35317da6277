//! Real-looking inputs (issue 12, `samples/real/`): scraped page texts with
//! glued digits and one-line bodies, an HTML fragment named `.txt`, a
//! Markdown OCR export, a cover letter, a 2021 report in the 2019 layout
//! for （六）. `samples/real/truth.json` is written by `make_samples.py`
//! from the numbers it rendered; which glued cells can be pinned is
//! decided there by a brute-force oracle of its own. Every cell of every
//! report is checked (exact, or null where the truth says no careful reader
//! can tell), and every finding with its reading certainty.

use crate::common::samples;
use nianbao::pipeline::convert_bytes;
use nianbao::readers::Limits;
use nianbao::report::{Reading, Report, RuleStatus};
use serde_json::Value;

fn truth() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(samples().join("real/truth.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

fn convert(name: &str) -> Report {
    let bytes = std::fs::read(samples().join("real").join(name)).unwrap();
    convert_bytes(&bytes, name, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every cell of the report as "table.row.column" -> (value, reading).
fn cells(report: &Report) -> Vec<(String, Option<f64>, Reading, String)> {
    let mut out = Vec::new();
    for key in nianbao::templates::TableKey::ALL {
        let Some(table) = report.tables.get(key) else {
            continue;
        };
        for row in &table.rows {
            for (column, cell) in &row.cells {
                out.push((
                    format!("{}.{}.{column}", key.as_str(), row.key),
                    cell.value.map(|v| v.as_f64()),
                    cell.reading,
                    cell.raw.clone(),
                ));
            }
        }
    }
    out
}

#[test]
fn every_cell_is_exact_or_null_with_a_reason() {
    let truth = truth();
    assert_eq!(truth.len(), 6, "six samples");
    for (name, t) in &truth {
        let report = convert(name);
        assert_eq!(report.agency.as_deref(), t["agency"].as_str(), "{name}");
        assert_eq!(report.year.map(i64::from), t["year"].as_i64(), "{name}");
        assert_eq!(
            report.template.as_str(),
            t["template"].as_str().unwrap(),
            "{name}"
        );
        let want = t["cells"].as_object().unwrap();
        let got = cells(&report);
        for (key, value, reading, raw) in &got {
            let expected = want
                .get(key)
                .unwrap_or_else(|| panic!("{name}: unexpected cell {key}"));
            match expected.as_f64() {
                Some(v) => assert_eq!(*value, Some(v), "{name}: {key} (raw {raw:?})"),
                None => {
                    assert_eq!(*value, None, "{name}: {key} must stay null (raw {raw:?})");
                    if *reading == Reading::Unresolved {
                        assert!(
                            report
                                .diagnostics
                                .iter()
                                .any(|d| d.code == "glued_digits"
                                    && d.message.contains(raw.as_str())),
                            "{name}: {key}: an unread glued cell is explained in a diagnostic"
                        );
                    }
                }
            }
        }
        for key in want.keys() {
            assert!(
                got.iter().any(|(k, ..)| k == key),
                "{name}: cell {key} missing"
            );
        }
        for code in t["diagnostics"].as_array().unwrap() {
            let code = code.as_str().unwrap();
            assert!(
                report.diagnostics.iter().any(|d| d.code == code),
                "{name}: diagnostic {code}"
            );
        }
    }
}

#[test]
fn findings_are_the_published_errors_with_their_certainty() {
    for (name, t) in &truth() {
        let report = convert(name);
        let mut got: Vec<[String; 4]> = report
            .findings
            .iter()
            .map(|f| {
                [
                    f.rule.to_string(),
                    f.row.map_or(String::new(), |k| k.to_string()),
                    f.column.map_or(String::new(), |k| k.to_string()),
                    f.reading.as_str().to_string(),
                ]
            })
            .collect();
        got.sort();
        let mut want: Vec<[String; 4]> = t["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| std::array::from_fn(|i| f[i].as_str().unwrap().to_string()))
            .collect();
        want.sort();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn a_bad_cell_blocks_its_sums_instead_of_failing_them() {
    let truth = truth();
    let name = "article-fragment-hongshan-jiaoyu-2023.txt";
    let report = convert(name);
    assert_eq!(
        report.format.as_str(),
        "html",
        "a fragment is sniffed as HTML whatever its name"
    );
    for b in truth[name]["blocked"].as_array().unwrap() {
        let (rule, row, column) = (
            b[0].as_str().unwrap(),
            b[1].as_str().unwrap(),
            b[2].as_str().unwrap(),
        );
        let check = report.checks.iter().find(|c| c.rule == rule).unwrap();
        assert!(
            check.blocked.iter().any(|x| x.row.as_deref() == Some(row)
                && x.column.as_deref() == Some(column)
                && x.reason == "domain"),
            "{rule} {row}.{column} is listed as blocked: {check:?}"
        );
        assert!(
            !report.findings.iter().any(|f| f.rule == rule
                && f.row.as_deref() == Some(row)
                && f.column.as_deref() == Some(column)),
            "{rule} {row}.{column} is not a second finding"
        );
    }
    // A rule whose only trouble is a blocked instance says so.
    let balance = report
        .checks
        .iter()
        .find(|c| c.rule == "requests.balance")
        .unwrap();
    assert_eq!(balance.status, RuleStatus::Passed);
}

#[test]
fn glued_values_are_marked_inferred_and_keep_their_source_text() {
    let report = convert("scraped-oneline-qinghe-ziranziyuan-2022.txt");
    let new = report.tables.requests.as_ref().unwrap().row("new").unwrap();
    for (_, cell) in &new.cells {
        assert_eq!(cell.reading, Reading::GluedDigits);
        assert_eq!(cell.raw, "15130000154");
    }
    let json = serde_json::to_value(new.cell("total").unwrap()).unwrap();
    assert_eq!(json["location"]["inferred"], "glued_digits");
    assert_eq!(json["value"], 154);
    // Seven characters for seven values: certain, not inferred.
    let over = report
        .tables
        .requests
        .as_ref()
        .unwrap()
        .row("carried_over")
        .unwrap();
    assert!(over
        .cells
        .iter()
        .all(|(_, c)| c.reading == Reading::Certain));
    // Table 二's glued row has no identity: null, raw kept, unresolved.
    let docs = report
        .tables
        .active_disclosure
        .as_ref()
        .unwrap()
        .row("normative_documents")
        .unwrap();
    assert!(docs
        .cells
        .iter()
        .all(|(_, c)| c.value.is_none() && c.raw == "24432" && c.reading == Reading::Unresolved));
    // Sections are found in the one-line body; site chrome ends the last.
    assert!(report
        .sections
        .problems
        .as_deref()
        .unwrap()
        .starts_with("一是公开内容不够全面"));
    assert_eq!(
        report.sections.other.as_deref(),
        Some("本机关未收取信息处理费。")
    );
}

#[test]
fn narrative_counts_the_requests_a_careful_reader_compares() {
    // "共受理政府信息公开申请159件（含上年结转5件），依申请公开信息数363条
    // …收到行政复议申请2件": 154 new requests, which is table 三's
    // new.total; 363 documents and 2 review cases are not requests.
    let report = convert("scraped-oneline-qinghe-ziranziyuan-2022.txt");
    let narrative = report
        .checks
        .iter()
        .find(|c| c.rule == "narrative.requests")
        .unwrap();
    assert_eq!(narrative.status, RuleStatus::Passed);
}

/// An unread glued row blocks the sums through it: a run of digits that no
/// split explains never becomes a finding, whatever the other rows say.
#[test]
fn an_unreadable_run_blocks_instead_of_guessing() {
    let text = "清河县2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\
        一、本年新收政府信息公开申请数量12345678901\n二、上年结转政府信息公开申请数量0000000\n\
        （一）予以公开0000000\n（七）总计0000000\n四、结转下年度继续办理0000000\n";
    let report = convert_bytes(text.as_bytes(), "t.txt", &Limits::default()).unwrap();
    let new = report.tables.requests.as_ref().unwrap().row("new").unwrap();
    assert!(new
        .cells
        .iter()
        .all(|(_, c)| c.value.is_none() && c.reading == Reading::Unresolved));
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.row.as_deref() != Some("new")),
        "{:?}",
        report.findings
    );
    let balance = report
        .checks
        .iter()
        .find(|c| c.rule == "requests.balance")
        .unwrap();
    assert_eq!(balance.status, RuleStatus::Blocked);
    assert!(balance.blocked.iter().all(|b| b.reason == "unread"));
}

/// A 60 MB one-line file of glued rows: the reader and the search cost
/// work linear in its length. Bounded by the search's own work counter,
/// not by wall time.
#[test]
fn a_huge_one_line_file_costs_linear_work() {
    use nianbao::internals::{candidates, Run, Work, ROW_BUDGET};
    // The worst single run the length check lets through costs at most the
    // row budget; a longer run costs one comparison.
    let mut work = Work::default();
    let _ = candidates(&Run::parse(&"1".repeat(49)).unwrap(), &[7], true, &mut work);
    assert!(work.steps <= ROW_BUDGET + 1);
    let mut work = Work::default();
    let _ = candidates(
        &Run::parse(&"7".repeat(6_000_000)).unwrap(),
        &[7],
        true,
        &mut work,
    );
    assert!(work.steps <= 1, "{}", work.steps);
    // A 300 KB one-line body of repeated glued rows converts, one row at a
    // time (the reader's cut is one pass; each row's search is bounded).
    let row = "（一）予以公开802000082（二）部分公开100000010";
    let body = format!(
        "清河县2022年政府信息公开工作年度报告{}",
        row.repeat(300_000 / row.len())
    );
    match convert_bytes(body.as_bytes(), "big.txt", &Limits::default()) {
        Ok(report) => assert!(report.tables.requests.is_some()),
        Err(e) => assert!(e.to_string().contains("more than"), "{e}"),
    }
}
