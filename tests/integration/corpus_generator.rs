//! The corpus generator (examples/gen_corpus) is deterministic and writes one
//! truth line per file; its tables are consistent by construction.

use crate::gen_corpus;

use std::collections::BTreeMap;
use std::path::Path;

use gen_corpus::model::{written_req, written_rev, Format};

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

#[test]
fn same_arguments_give_byte_identical_output() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let cfg = |out: &Path| gen_corpus::Config {
        reports: 20,
        out: out.to_path_buf(),
        seed: 7,
        inconsistent_share: 0.5,
    };
    gen_corpus::run(&cfg(a.path())).unwrap();
    gen_corpus::run(&cfg(b.path())).unwrap();
    let fa = files(a.path());
    let fb = files(b.path());
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between two runs");
    }

    // One truth line per report file, naming an existing file.
    let truth = String::from_utf8(fa["truth.jsonl"].clone()).unwrap();
    let lines: Vec<&str> = truth.lines().collect();
    assert_eq!(lines.len(), 20);
    assert_eq!(lines.len(), fa.len() - 1, "one truth line per file");
    for l in &lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let file = v["file"].as_str().unwrap();
        assert!(fa.contains_key(file), "truth names a missing file: {file}");
        assert!(v["injected"].is_array());
        assert_eq!(v["template"], "2021");
        let title = format!(
            "{}{}年政府信息公开工作年度报告",
            v["agency"].as_str().unwrap(),
            v["year"]
        );
        if v["format"] == "text" {
            assert!(String::from_utf8_lossy(&fa[file]).contains(&title));
        }
    }

    // Another seed gives another corpus.
    let c = tempfile::tempdir().unwrap();
    gen_corpus::run(&gen_corpus::Config {
        seed: 8,
        ..cfg(c.path())
    })
    .unwrap();
    assert_ne!(files(c.path())["truth.jsonl"], fa["truth.jsonl"]);
}

#[test]
fn tables_are_consistent_by_construction_and_injections_are_listed() {
    let cfg = gen_corpus::Config {
        reports: 1500,
        out: std::path::PathBuf::from("unused"),
        seed: 42,
        inconsistent_share: 0.33,
    };
    let reports = gen_corpus::plan(&cfg);
    assert_eq!(reports.len(), 1500);
    let mut injected = 0;
    let mut per_format = [0usize; 4];
    for r in &reports {
        per_format[match r.format {
            Format::Html => 0,
            Format::Docx => 1,
            Format::Xlsx => 2,
            Format::Text => 3,
        }] += 1;
        // The true tables satisfy every single-report rule.
        let mut clean = r.clone();
        clean.req_w = written_req(&r.req);
        clean.rev_w = written_rev(&r.rev);
        clean.fee_written = None;
        clean.narr = gen_corpus::model::Narr::Absent;
        if !r.causes.iter().any(|c| c.kind == "narrative_count_off") {
            if let Some(n) = r.narr.careful() {
                assert_eq!(n, r.req[0][6], "{}: narrative count", r.file);
            }
        }
        assert!(
            gen_corpus::inject::evaluate(&clean).is_empty(),
            "{} inconsistent by construction",
            r.file
        );
        // Injected reports list findings; the others list none.
        assert_eq!(r.causes.is_empty(), r.findings.is_empty(), "{}", r.file);
        if !r.findings.is_empty() {
            injected += 1;
        }
    }
    let share = injected as f64 / reports.len() as f64;
    assert!((0.28..0.38).contains(&share), "injected share {share}");
    let pct = |n: usize| n as f64 / reports.len() as f64;
    assert!(
        (0.40..0.50).contains(&pct(per_format[0])),
        "html {per_format:?}"
    );
    assert!(
        (0.25..0.35).contains(&pct(per_format[1])),
        "docx {per_format:?}"
    );
    assert!(
        (0.11..0.19).contains(&pct(per_format[2])),
        "xlsx {per_format:?}"
    );
    assert!(
        (0.07..0.13).contains(&pct(per_format[3])),
        "text {per_format:?}"
    );
    // Consecutive years of one agency carry over (true values).
    for w in reports.windows(2) {
        if w[0].agency.name == w[1].agency.name && w[1].year == w[0].year + 1 {
            assert_eq!(w[0].req[24], w[1].req[1], "{} → {}", w[0].file, w[1].file);
            assert_eq!(
                w[0].active.norm[2] + w[1].active.norm[0] - w[1].active.norm[1],
                w[1].active.norm[2]
            );
        }
    }
}
