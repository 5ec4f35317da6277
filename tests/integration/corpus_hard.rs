//! The hard corpus profile (`examples/gen_corpus/hard.rs`): the generator's
//! reports rendered as real archives hold them (scraped page texts with
//! glued digits and one-line bodies, single-space values, HTML fragments,
//! Markdown exports with page footers, cover letters). Findings are scored
//! against the generator's truth (recall and precision >= 0.97), and every
//! value the converter reads is compared with the number the generator
//! wrote: a value may be left null where the reading is doubtful, but never
//! wrong.

use crate::gen_corpus::{self, layout, model::W};
use nianbao::report::Reading;
use std::collections::BTreeSet;

type Key = (String, String, String, String);

#[test]
fn hard_profile_findings_and_cells_match_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = gen_corpus::Config {
        reports: 240,
        out: dir.path().to_path_buf(),
        seed: 1212,
        inconsistent_share: 0.33,
    };
    let reports = gen_corpus::hard::run(&cfg).unwrap();
    let (mut want, mut got): (BTreeSet<Key>, BTreeSet<Key>) = Default::default();
    let (mut exact, mut null, mut wrong) = (0usize, 0usize, Vec::new());
    for (r, kind) in &reports {
        let file = r.file.clone();
        for f in &r.findings {
            if !f.rule.starts_with("cross_year") {
                let s = |v: &Option<String>| v.clone().unwrap_or_default();
                want.insert((file.clone(), f.rule.to_string(), s(&f.row), s(&f.column)));
            }
        }
        let bytes = std::fs::read(dir.path().join(&file)).unwrap();
        let report = nianbao::pipeline::convert_bytes(&bytes, &file, &Default::default())
            .unwrap_or_else(|e| panic!("{file} ({kind:?}): {e}"));
        assert_eq!(
            report.agency.as_deref(),
            Some(r.agency.name.as_str()),
            "{file} ({kind:?})"
        );
        assert_eq!(report.year, Some(r.year as i32), "{file} ({kind:?})");
        for f in &report.findings {
            got.insert((
                file.clone(),
                f.rule.to_string(),
                f.row.map_or(String::new(), |k| k.to_string()),
                f.column.map_or(String::new(), |k| k.to_string()),
            ));
        }
        let req = report.tables.requests.as_ref();
        for (i, row) in layout::REQ_ROWS_2021.iter().enumerate() {
            for (c, (col, _)) in layout::REQ_COLS.iter().enumerate() {
                let W::N(written) = r.req_w[i][c] else {
                    continue;
                };
                let cell = req.and_then(|t| t.cell(row.key, col));
                match cell.map(|c| (c.value, c.reading)) {
                    Some((Some(v), _)) if v.as_f64() == written as f64 => exact += 1,
                    Some((Some(v), _)) => wrong.push(format!(
                        "{file} ({kind:?}) {}.{col}: read {v}, written {written}",
                        row.key
                    )),
                    // A zero written as a placeholder or left blank.
                    Some((None, Reading::Certain)) if written == 0 => exact += 1,
                    _ => null += 1,
                }
            }
        }
    }
    let hit = want.intersection(&got).count();
    let recall = hit as f64 / want.len() as f64;
    let precision = hit as f64 / got.len() as f64;
    let missed: Vec<_> = want.difference(&got).take(20).collect();
    let invented: Vec<_> = got.difference(&want).take(20).collect();
    println!("missed: {missed:?}\ninvented: {invented:?}");
    println!(
        "{} injected, {} found, recall {recall:.4}, precision {precision:.4}; table 三 cells: {exact} exact, {null} null, {} wrong",
        want.len(),
        got.len(),
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "never a wrong number: {:#?}",
        &wrong[..wrong.len().min(10)]
    );
    assert!(
        want.len() > 80,
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
    // Glued rows a careful reader cannot pin stay null: few.
    assert!(
        exact as f64 >= 0.9 * (exact + null) as f64,
        "{exact} exact, {null} null"
    );
}
