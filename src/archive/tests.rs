//! The rules on hand-made series, and the stage over real report lines.

use super::facts::{FactCell, Facts};
use super::*;
use crate::codes::RuleId;

fn cell(table: &str, row: &str, column: &str, value: Option<f64>) -> FactCell {
    FactCell {
        table: table.to_string().into(),
        row: row.to_string().into(),
        column: column.to_string().into(),
        value,
        raw: value.map(|v| v.to_string()).unwrap_or_default(),
        location: super::facts::raw_location(&serde_json::json!({"table": 2, "row": 1, "col": 1})),
    }
}

fn facts(source: &str, year: i32, template: &str, cells: Vec<FactCell>) -> Facts {
    Facts {
        source: source.into(),
        format: "html".into(),
        agency: Some("广阳镇".into()),
        year: Some(year),
        template: template.into(),
        admin_level: "township".into(),
        cells,
        text_chars: 0,
        sketches: Vec::new(),
        stale: Vec::new(),
    }
}

fn run(members: Vec<Facts>) -> (Series, Outcomes) {
    let years = members.iter().filter_map(|m| m.year).collect();
    let series = Series::new(Some("河南/广阳市/广阳镇".into()), members);
    let ctx = Ctx {
        reuse_threshold: 0.5,
        archive_years: &years,
    };
    let out = check_series(&series, &ctx);
    (series, out)
}

fn status(out: &Outcomes, m: usize, rule: RuleId) -> (RuleStatus, Option<String>) {
    let c = out.checks[m].iter().find(|c| c.rule == rule).unwrap();
    (c.status, c.reason.clone())
}

#[test]
fn carry_compares_adjacent_years_and_says_why_not() {
    let r = |row: &str, v: Option<f64>| cell("requests", row, "total", v);
    let (_, out) = run(vec![
        facts(
            "a-2021.html",
            2021,
            "2021",
            vec![r("carried_forward", Some(3.0))],
        ),
        facts(
            "a-2022.docx",
            2022,
            "2021",
            vec![r("carried_over", Some(2.0)), r("carried_forward", None)],
        ),
        facts(
            "a-2023.txt",
            2023,
            "2021",
            vec![r("carried_over", Some(1.0))],
        ),
        facts(
            "a-2025.txt",
            2025,
            "2021",
            vec![r("carried_over", Some(1.0))],
        ),
    ]);
    let f = &out.findings[1][0];
    assert_eq!((f.rule, f.severity), (carry::RULE, Severity::Error));
    assert_eq!(f.counterpart.as_deref(), Some("a-2021.html"));
    assert_eq!(f.cells.len(), 2);
    assert_eq!(
        out.findings[2][0].severity,
        Severity::Incomplete,
        "a blank carried_forward"
    );
    let (s, why) = status(&out, 0, carry::RULE);
    assert_eq!(s, RuleStatus::NotAssessable);
    assert!(why.unwrap().contains("2020"));
    assert_eq!(
        status(&out, 3, carry::RULE).0,
        RuleStatus::NotAssessable,
        "2024 is missing"
    );
    assert_eq!(out.coverage.as_ref().unwrap()[5], "2024");
}

#[test]
fn in_force_holds_within_a_format_only() {
    let a = |row: &str, col: &str, v: f64| cell("active_disclosure", row, col, Some(v));
    let (_, out) = run(vec![
        facts(
            "b-2020.html",
            2020,
            "2019",
            vec![a("normative_documents", "total_public", 30.0)],
        ),
        facts(
            "b-2021.html",
            2021,
            "2021",
            vec![a("normative_documents", "in_force", 10.0)],
        ),
        facts(
            "b-2022.html",
            2022,
            "2021",
            vec![
                a("normative_documents", "issued", 3.0),
                a("normative_documents", "repealed", 1.0),
                a("normative_documents", "in_force", 13.0),
            ],
        ),
    ]);
    let (s, why) = status(&out, 1, in_force::RULE);
    assert_eq!(s, RuleStatus::NotAssessable);
    assert!(why.unwrap().contains("format"));
    let f = &out.findings[2][0];
    assert_eq!(f.expected, Some(num(12.0)));
    assert_eq!(f.actual, Some(num(13.0)));
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn duplicates_name_their_primary_and_each_differing_cell() {
    let r = |row: &str, v: Option<f64>| cell("requests", row, "total", v);
    let mut blank_zero = r("granted", None);
    blank_zero.raw = "—".into();
    let (series, out) = run(vec![
        facts(
            "c-2022.html",
            2022,
            "2021",
            vec![
                r("new", Some(5.0)),
                r("granted", Some(0.0)),
                r("denied.query", Some(1.0)),
            ],
        ),
        facts(
            "c-2022.docx",
            2022,
            "2021",
            vec![
                r("new", Some(5.0)),
                blank_zero,
                r("denied.query", Some(2.0)),
            ],
        ),
    ]);
    let slot = &series.slots[0];
    assert_eq!(
        series.members[slot.primary].source, "c-2022.html",
        "more numbers"
    );
    let copy = slot.copies[0];
    let rows: Vec<_> = out.findings[copy]
        .iter()
        .map(|f| f.row.clone().unwrap())
        .collect();
    assert_eq!(rows, ["denied.query"], "blank and 0 agree");
    assert_eq!(
        status(&out, slot.primary, duplicate::RULE).0,
        RuleStatus::Failed
    );
    assert!(status(&out, copy, carry::RULE)
        .1
        .unwrap()
        .contains("c-2022.html"));
}

#[test]
fn fingerprints_follow_the_key_not_the_spelling() {
    let ids = [
        identity::raw_identity("广阳镇人民政府", "河南省/广阳市/x-2022.html"),
        identity::raw_identity("河南省广阳市广阳镇", "downloads/y.docx"),
    ];
    let keys = identity::resolve(&ids);
    let f = ArchiveFinding::new(carry::RULE, Severity::Error, String::new());
    assert_eq!(
        fingerprint(&keys[0], Some(2022), &f),
        fingerprint(&keys[1], Some(2022), &f)
    );
    assert_ne!(
        fingerprint(&keys[0], Some(2022), &f),
        fingerprint(&keys[0], Some(2023), &f)
    );
}

/// The stage over real lines: the seed report, next year's copy with a
/// carried_over that disagrees, and a copy of the first year.
#[test]
fn stage_annotates_report_lines() {
    let text = include_bytes!("../../samples/txt/guangyang-2022.txt");
    let report =
        crate::pipeline::convert_bytes(text, "河南省/广阳市/广阳镇-2022.txt", &Default::default())
            .unwrap_or_else(|_| panic!("seed converts"));
    let line = serde_json::to_string(&report).unwrap();
    let mut next: serde_json::Value = serde_json::from_str(&line).unwrap();
    next["year"] = 2023.into();
    next["source"] = "河南省/广阳市/广阳镇-2023.txt".into();
    next["tables"]["requests"]["carried_over"]["total"]["value"] = 99.into();
    let mut copy: serde_json::Value = serde_json::from_str(&line).unwrap();
    copy["source"] = "河南省/广阳市/广阳镇-2022.docx".into();
    copy["agency"] = "广阳镇人民政府".into();
    let dir = tempfile::tempdir().unwrap();
    let mut b = Builder::new(dir.path(), Config::default()).unwrap();
    b.add(0, &line).unwrap();
    b.add(1, &next.to_string()).unwrap();
    b.add(2, &copy.to_string()).unwrap();
    let mut out = b.run().unwrap();
    let annotated: Vec<serde_json::Value> = (0..3)
        .map(|i| {
            let a = out.annotation(i).unwrap().unwrap();
            serde_json::from_slice(&a.splice(line.as_bytes())).unwrap()
        })
        .collect();
    assert_eq!(annotated[0]["agency_key"], annotated[2]["agency_key"]);
    let copies = [0, 2]
        .iter()
        .filter(|&&i| annotated[i]["duplicate_of"].is_string())
        .count();
    assert_eq!(copies, 1, "one of the two 2022 copies is primary");
    let carry: Vec<_> = annotated[1]["archive_findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == carry::RULE.as_str())
        .collect();
    assert_eq!(carry.len(), 1);
    assert_eq!(carry[0]["column"], "total");
    assert_eq!(carry[0]["actual"], 99);
    let summary = out.finish(dir.path()).unwrap();
    assert_eq!((summary.keys, summary.copies), (1, 1));
    let coverage = std::fs::read_to_string(dir.path().join(COVERAGE)).unwrap();
    assert!(coverage.contains("2022;2023"), "{coverage}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "spill files removed: {left:?}");
}

/// Facts taken from a report in memory (what `convert` does on the worker)
/// equal the facts read from its JSON line (what `merge` and `--resume` do):
/// on every sample, and on a report with a repeated row and column key, a
/// decimal, a glued-digit cell and a PDF location.
#[test]
fn facts_from_a_report_equal_facts_from_its_line() {
    let mut checked = 0;
    let mut last = None;
    for (source, report) in crate::pipeline::sample_reports() {
        let line = serde_json::to_string(&report).unwrap();
        let from_line = Facts::from_json(&line).unwrap();
        assert_eq!(Facts::from_report(&report), from_line, "{source}");
        checked += usize::from(!from_line.cells.is_empty());
        if report
            .tables
            .requests
            .as_ref()
            .is_some_and(|t| !t.rows.is_empty())
        {
            last = Some(report);
        }
    }
    assert!(checked >= 30, "only {checked} samples with cells");
    let mut report = last.unwrap();
    let table = report.tables.requests.as_mut().unwrap();
    let mut row = table.rows[0].clone();
    let (column, mut cell) = row.cells[0].clone();
    crate::pipeline::make_hard_to_round_trip(&mut cell);
    row.cells.push((column, cell));
    row.cells[0].1.raw = "first of two".into();
    table.rows.push(row);
    let line = serde_json::to_string(&report).unwrap();
    let from_line = Facts::from_json(&line).unwrap();
    assert!(from_line.cells.iter().any(|c| c.value == Some(0.1 + 0.2)));
    assert_eq!(Facts::from_report(&report), from_line);
}
