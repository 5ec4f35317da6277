//! Findings scored at scale: a generated corpus (every format, the label and
//! value variation of TEMPLATE.md, about a third of the reports with injected
//! inconsistencies) is converted, and the findings are compared with the
//! generator's truth. Recall and precision must stay high; a regression in
//! any reader or in recognition shows up here as missed or invented findings.

use crate::gen_corpus;

use std::collections::BTreeSet;

type Key = (String, String, String, String);

#[test]
fn findings_match_the_injected_truth() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = gen_corpus::Config {
        reports: 400,
        out: dir.path().to_path_buf(),
        seed: 2026,
        inconsistent_share: 0.33,
    };
    gen_corpus::run(&cfg).unwrap();

    let truth = std::fs::read_to_string(dir.path().join("truth.jsonl")).unwrap();
    let mut want: BTreeSet<Key> = BTreeSet::new();
    let mut got: BTreeSet<Key> = BTreeSet::new();
    let mut failed = Vec::new();
    for line in truth.lines() {
        let t: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = t["file"].as_str().unwrap().to_string();
        for i in t["injected"].as_array().unwrap() {
            let rule = i["rule"].as_str().unwrap();
            if rule.starts_with("cross_year") {
                continue; // checked across reports, not per report
            }
            let s = |k: &str| i[k].as_str().unwrap_or("").to_string();
            want.insert((file.clone(), rule.to_string(), s("row"), s("column")));
        }
        let bytes = std::fs::read(dir.path().join(&file)).unwrap();
        match nianbao::pipeline::convert_bytes(&bytes, &file, &Default::default()) {
            Ok(report) => {
                assert_eq!(report.agency.as_deref(), t["agency"].as_str(), "{file}");
                assert_eq!(report.year.map(i64::from), t["year"].as_i64(), "{file}");
                for f in report.findings {
                    got.insert((
                        file.clone(),
                        f.rule.to_string(),
                        f.row.map_or(String::new(), |k| k.to_string()),
                        f.column.map_or(String::new(), |k| k.to_string()),
                    ));
                }
            }
            Err(e) => failed.push(format!("{file}: {e}")),
        }
    }
    assert!(
        failed.is_empty(),
        "every generated report converts: {failed:#?}"
    );
    let hit = want.intersection(&got).count();
    let recall = hit as f64 / want.len() as f64;
    let precision = hit as f64 / got.len() as f64;
    let missed: Vec<_> = want.difference(&got).take(10).collect();
    let invented: Vec<_> = got.difference(&want).take(10).collect();
    println!(
        "{} injected, {} found, recall {recall:.4}, precision {precision:.4}",
        want.len(),
        got.len()
    );
    println!("invented: {invented:#?}\nmissed: {missed:#?}");
    assert!(
        want.len() > 150,
        "the corpus injects enough findings to score"
    );
    assert!(
        recall >= 0.97,
        "recall {recall:.4}; missed e.g. {missed:#?}"
    );
    assert!(
        precision >= 0.97,
        "precision {precision:.4}; invented e.g. {invented:#?}"
    );
}
