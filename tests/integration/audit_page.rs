//! The audit page as an auditor uses it, in a real headless Chromium opened
//! from `file://`: a generated archive is converted by the `nianbao` binary,
//! `nianbao audit` writes the page, and the tests check it against two
//! independent sources: `reports.jsonl` (what convert found) and the
//! generator's `truth.jsonl` (where each report really is: city, year).
//!
//! Chromium missing is a failure, not a skip (`.ci/run` installs it).
//! Screenshots go to `$CARGO_TARGET_TMPDIR/audit_page/screenshots/`.

mod cdp;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::gen_corpus;
use cdp::Browser;

struct Fixture {
    root: PathBuf,
    out: PathBuf,
    /// reports.jsonl in order: the page's report ids are these positions.
    reports: Vec<Value>,
    /// truth.jsonl by the source path convert recorded.
    truth: BTreeMap<String, Value>,
}

const ORPHAN: &str = "ffffffffffffffff";

fn nianbao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .expect("nianbao runs")
}

/// Generated archive -> convert -> audit, once for all tests of this module.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit_page");
        let _ = std::fs::remove_dir_all(&root);
        let input = root.join("in");
        let cfg = gen_corpus::Config {
            reports: 60,
            out: input.clone(),
            seed: 15,
            inconsistent_share: 0.6,
        };
        gen_corpus::run(&cfg).unwrap();
        let out = root.join("out");
        let o = nianbao(&["convert", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
        assert!(o.status.code().unwrap_or(9) <= 1, "{}", String::from_utf8_lossy(&o.stderr));
        let reports: Vec<Value> = std::fs::read_to_string(out.join("reports.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let truth = std::fs::read_to_string(input.join("truth.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                let t: Value = serde_json::from_str(l).unwrap();
                let file = input.join(t["file"].as_str().unwrap());
                (file.to_string_lossy().into_owned(), t)
            })
            .collect();
        mark_first_cell_inferred(&out);
        std::fs::write(
            out.join("coverage.csv"),
            "key,agency,admin_level,years_present,years_missing\nx|信川镇,信川镇,township,2021;2023,2022\n",
        )
        .unwrap();
        let prior = root.join("prior-reviews.csv");
        std::fs::write(&prior, format!("fingerprint,decision,note,time\n{ORPHAN},dismissed,old run,2026-01-01T00:00:00Z\n")).unwrap();
        let o = nianbao(&["audit", out.to_str().unwrap(), "--reviews", prior.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Fixture { root, out, reports, truth }
    })
}

/// A reading mark the real-input work will add: the page must show it.
fn mark_first_cell_inferred(out: &Path) {
    let path = out.join("reports.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut first: Value = serde_json::from_str(&lines[0]).unwrap();
    let table = first["tables"]["requests"]
        .as_object_mut()
        .expect("table 三 read");
    table["new"]["total"]["inferred"] = json!(true);
    lines[0] = first.to_string();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

fn open(profile: &str) -> (Browser, PathBuf) {
    let f = fixture();
    let dir = f.root.join(profile);
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let mut b = Browser::launch(&dir.join("profile"), &downloads);
    b.navigate(&page_url(""));
    b.wait_for("document.body.getAttribute('data-ready') === '1'");
    (b, downloads)
}

fn page_url(hash: &str) -> String {
    let page = fixture().out.join("audit/index.html");
    format!("file://{}{hash}", page.display())
}

fn goto(b: &mut Browser, hash: &str) {
    b.eval(&format!("location.hash = {}; true", json!(hash)));
    match hash.strip_prefix("#/r/") {
        Some(id) => b.wait_for(&format!(
            "document.getElementById('view-report').getAttribute('data-id') === '{id}'"
        )),
        None => {
            let view = format!("view-{}", hash.trim_start_matches("#/"));
            b.wait_for(&format!("!document.getElementById('{view}').hidden"))
        }
    }
}

fn screenshots() -> PathBuf {
    let d = fixture().root.join("screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn assert_no_errors(b: &Browser) {
    let errors = b.errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

#[test]
fn every_finding_is_on_its_reports_page_with_its_cells_highlighted() {
    let f = fixture();
    let (mut b, _) = open("findings");
    let with_findings: Vec<usize> = (0..f.reports.len())
        .filter(|&i| !f.reports[i]["findings"].as_array().unwrap().is_empty())
        .collect();
    assert!(
        with_findings.len() >= 5,
        "the archive has reports with findings"
    );
    for &id in &with_findings {
        goto(&mut b, &format!("#/r/{id}"));
        // fingerprint -> highlighted cells of that finding (table.row.column)
        let shown = b.eval(
            "(function(){var out={};document.querySelectorAll('article.finding').forEach(function(a,i){\
             var cells=[];document.querySelectorAll('td.hit').forEach(function(td){\
             if(td.getAttribute('data-findings').split(' ').indexOf(String(i))>=0)cells.push(td.getAttribute('data-key'));});\
             out[a.getAttribute('data-fingerprint')]=cells.sort();});return out;})()",
        );
        let report = &f.reports[id];
        let mut want = serde_json::Map::new();
        for finding in report["findings"].as_array().unwrap() {
            let table = finding["table"].as_str().unwrap_or("");
            let mut cells: Vec<String> = finding["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    format!(
                        "{table}.{}.{}",
                        c["row"].as_str().unwrap(),
                        c["column"].as_str().unwrap()
                    )
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            cells.sort();
            want.insert(
                finding["fingerprint"].as_str().unwrap().into(),
                json!(cells),
            );
        }
        assert_eq!(
            shown,
            Value::Object(want),
            "report {id} ({})",
            report["source"]
        );
        let title = b.eval("document.querySelector('#view-report h2').textContent");
        assert!(
            title
                .as_str()
                .unwrap()
                .contains(report["agency"].as_str().unwrap()),
            "{title}"
        );
        check_narrative_quotes(&mut b, report);
    }
    // The inferred mark on the first report's cell is shown, not just coloured.
    goto(&mut b, "#/r/0");
    let inferred = b.eval("(function(){var td=document.querySelector('td[data-key=\"requests.new.total\"]');return td.classList.contains('inferred')&&td.textContent.indexOf('≈')>=0&&td.title.indexOf('inferred')>=0;})()");
    assert_eq!(inferred, json!(true));
    let worst = *with_findings
        .iter()
        .max_by_key(|&&i| f.reports[i]["findings"].as_array().unwrap().len())
        .unwrap();
    goto(&mut b, &format!("#/r/{worst}"));
    b.screenshot(&screenshots().join("report.png"));
    assert_no_errors(&b);
}

/// A narrative finding quotes its sentence as the source writes it (the
/// message has it width-folded): for a text source, the quote is in the file.
fn check_narrative_quotes(b: &mut Browser, report: &Value) {
    for finding in report["findings"].as_array().unwrap() {
        if finding["rule"] != "narrative.requests" {
            continue;
        }
        let fp = finding["fingerprint"].as_str().unwrap();
        let quote = b.eval(&format!(
            "(function(){{var m=document.querySelector('article[data-fingerprint=\"{fp}\"] blockquote mark');return m?m.textContent:null;}})()"
        ));
        let quote = quote
            .as_str()
            .unwrap_or_else(|| panic!("no quote for {fp}"));
        assert!(quote.chars().count() >= 8, "{quote}");
        if report["format"] == "txt" {
            let source = std::fs::read(report["source"].as_str().unwrap()).unwrap();
            if let Ok(text) = String::from_utf8(source) {
                assert!(
                    text.contains(quote),
                    "{quote:?} verbatim in {}",
                    report["source"]
                );
            }
        }
    }
}

/// Sets the filter controls and returns the ids the list holds, checking
/// that the count shown agrees.
fn filtered(b: &mut Browser, settings: &[(&str, &str)]) -> BTreeSet<usize> {
    let mut js = String::from("(function(){");
    for id in [
        "q", "f-rule", "f-sev", "f-table", "f-year", "f-level", "f-region", "f-review",
    ] {
        let v = settings
            .iter()
            .find(|(k, _)| *k == id)
            .map_or("", |(_, v)| v);
        js += &format!("document.getElementById('{id}').value={};", json!(v));
    }
    js += "document.getElementById('q').dispatchEvent(new Event('input'));\
           return {ids: nbAudit.filteredIds(), count: +document.getElementById('count').getAttribute('data-count'),\
           rows: document.querySelectorAll('#list .row').length};})()";
    let r = b.eval(&js);
    let ids: BTreeSet<usize> = r["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(
        r["count"],
        json!(ids.len()),
        "the count shown matches the list"
    );
    let rows = r["rows"].as_u64().unwrap() as usize;
    assert!(
        rows <= ids.len() && rows >= ids.len().min(20),
        "rows drawn: {rows}"
    );
    ids
}

#[test]
fn filters_and_search_narrow_the_list() {
    let f = fixture();
    let (mut b, _) = open("filters");
    let all: BTreeSet<usize> = (0..f.reports.len()).collect();
    assert_eq!(filtered(&mut b, &[]), all);
    let truth_of = |i: usize| &f.truth[f.reports[i]["source"].as_str().unwrap()];
    let select = |pred: &dyn Fn(usize) -> bool| {
        all.iter()
            .copied()
            .filter(|&i| pred(i))
            .collect::<BTreeSet<_>>()
    };

    // Region: the generator's city and a county (the page reads regions from
    // the folders and from the agency's name: 乐关县民政局 is in 乐关县).
    let city = truth_of(0)["city"].as_str().unwrap().to_string();
    let by_city = select(&|i| truth_of(i)["city"] == json!(city));
    assert_eq!(filtered(&mut b, &[("f-region", &city)]), by_city);
    let county = (0..f.reports.len())
        .map(truth_of)
        .find(|t| t["admin_level"] == "county")
        .unwrap()["agency"]
        .as_str()
        .unwrap()
        .to_string();
    let by_county = select(&|i| truth_of(i)["agency"].as_str().unwrap().starts_with(&county));
    assert!(by_county.len() > 1 && by_county.len() < all.len());
    let offered = b.eval("Array.from(document.querySelectorAll('#f-region option')).map(function(o){return o.value})");
    assert!(
        offered.as_array().unwrap().contains(&json!(county)),
        "{offered}"
    );
    assert_eq!(filtered(&mut b, &[("f-region", &county)]), by_county);

    // Search by a township's name.
    let town = (0..f.reports.len())
        .map(truth_of)
        .find(|t| t["admin_level"] == "township")
        .unwrap()["agency"]
        .as_str()
        .unwrap()
        .to_string();
    let by_name = select(&|i| truth_of(i)["agency"].as_str().unwrap().contains(&town));
    assert!(!by_name.is_empty() && by_name.len() < all.len());
    assert_eq!(filtered(&mut b, &[("q", &town)]), by_name);

    // Year, from the generator.
    let year = truth_of(0)["year"].to_string();
    assert_eq!(
        filtered(&mut b, &[("f-year", &year)]),
        select(&|i| truth_of(i)["year"] == truth_of(0)["year"])
    );

    // Rule and severity, from what convert found.
    let rules: Vec<String> = serde_json::from_value(b.eval("NB.meta.rules")).unwrap();
    let has = |i: usize, pred: &dyn Fn(&Value) -> bool| {
        f.reports[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(pred)
    };
    let rule = rules
        .iter()
        .position(|r| r == "requests.balance")
        .expect("balance findings in the archive");
    let by_rule = select(&|i| has(i, &|x| x["rule"] == "requests.balance"));
    assert!(!by_rule.is_empty());
    assert_eq!(filtered(&mut b, &[("f-rule", &rule.to_string())]), by_rule);
    let errors_in_city =
        select(&|i| truth_of(i)["city"] == json!(city) && has(i, &|x| x["severity"] == "error"));
    assert_eq!(
        filtered(&mut b, &[("f-sev", "0"), ("f-region", &city)]),
        errors_in_city
    );
    let table4 = select(&|i| has(i, &|x| x["table"] == "review_litigation"));
    assert_eq!(
        filtered(&mut b, &[("f-table", "review_litigation")]),
        table4
    );
    filtered(&mut b, &[]);
    b.screenshot(&screenshots().join("index.png"));

    // 100,000 reports: the list draws only the rows in view.
    let r = b.eval(
        "(function(){var base=NB.index.slice();while(NB.index.length<100000){NB.index.push(base[NB.index.length%base.length]);}\
         applyFilters();return {count:+document.getElementById('count').getAttribute('data-count'),rows:document.querySelectorAll('#list .row').length};})()",
    );
    assert_eq!(r["count"], json!(100_000));
    let drawn = r["rows"].as_u64().unwrap();
    assert!(
        (20..=60).contains(&drawn),
        "rows drawn for 100,000 reports: {drawn}"
    );
    assert_no_errors(&b);
}

#[test]
fn findings_csv_names_the_principal_cell_the_others_and_the_source_row_label() {
    let f = fixture();
    let mut reader = csv::Reader::from_path(f.out.join("findings.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (fp, loc, others, label) = (
        col("fingerprint"),
        col("location"),
        col("other_cells"),
        col("row_label"),
    );
    assert_eq!(header.len(), 16);
    let mut labelled = 0;
    for r in reader.records() {
        let r = r.unwrap();
        let in_list = |list: &str| {
            f.reports
                .iter()
                .flat_map(|x| x[list].as_array().into_iter().flatten())
                .find(|x| x["fingerprint"] == r[fp])
                .cloned()
        };
        let Some(finding) = in_list("findings") else {
            // A cross-report finding: its columns for one report's cells
            // stay empty.
            assert!(in_list("archive_findings").is_some(), "{:?}", &r);
            assert!(r[loc].is_empty() && r[others].is_empty(), "{:?}", &r);
            continue;
        };
        let cells = finding["cells"].as_array().unwrap();
        let principal = cells
            .iter()
            .find(|c| c["row"] == finding["row"] && c["column"] == finding["column"])
            .or(cells.first());
        let shown = |c: &Value| match (&c["location"]["table"], &c["location"]["sheet"]) {
            (Value::Number(t), _) => format!(
                "table {t} r{}c{}",
                c["location"]["row"], c["location"]["col"]
            ),
            (_, Value::String(s)) => format!("{s}!{}", c["location"]["cell"].as_str().unwrap()),
            _ => panic!("{c}"),
        };
        assert_eq!(r[loc], principal.map(shown).unwrap_or_default());
        assert_eq!(
            r[others].split("; ").filter(|s| !s.is_empty()).count(),
            cells.len().saturating_sub(1)
        );
        if finding["table"] == "requests" {
            assert!(
                !r[label].is_empty() && !r[label].chars().all(|c| c.is_ascii_digit()),
                "{:?}",
                &r
            );
            labelled += 1;
        }
    }
    assert!(labelled > 0);
}

#[test]
fn marking_findings_and_exporting_gives_reviews_csv_that_convert_reads_back() {
    let f = fixture();
    let (mut b, downloads) = open("reviews");
    let id = (0..f.reports.len())
        .find(|&i| f.reports[i]["findings"].as_array().unwrap().len() >= 2)
        .expect("a report with two findings");
    let fps: Vec<String> = f.reports[id]["findings"].as_array().unwrap()[..2]
        .iter()
        .map(|x| x["fingerprint"].as_str().unwrap().to_string())
        .collect();
    goto(&mut b, &format!("#/r/{id}"));
    let click = |b: &mut Browser, fp: &str, button: &str, note: &str| {
        b.eval(&format!(
            "(function(){{var a=document.querySelector('article[data-fingerprint=\"{fp}\"]');\
             a.querySelector('input').value={};a.querySelector('button.{button}').click();return true;}})()",
            json!(note)
        ));
    };
    click(&mut b, &fps[0], "confirm", "核对原表, sum \"wrong\"");
    click(&mut b, &fps[1], "dismiss", "");
    let state = b.eval(&format!(
        "document.querySelector('article[data-fingerprint=\"{}\"] .decision').textContent",
        fps[0]
    ));
    assert!(state.as_str().unwrap().contains("confirmed"), "{state}");
    // Decisions survive a reload (kept in the browser).
    b.navigate(&page_url(&format!("#/r/{id}")));
    b.wait_for("document.body.getAttribute('data-ready') === '1' && !!document.querySelector('article.finding')");
    let kept = b.eval(&format!(
        "document.querySelector('article[data-fingerprint=\"{}\"]').className",
        fps[1]
    ));
    assert!(
        kept.as_str().unwrap().contains("reviewed-dismissed"),
        "{kept}"
    );

    b.eval("document.getElementById('export').click(); true");
    let file = downloads.join("reviews.csv");
    let start = Instant::now();
    while !file.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no reviews.csv downloaded"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut reader = csv::Reader::from_path(&file).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec!["fingerprint", "decision", "note", "time"]
    );
    let rows: BTreeMap<String, (String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert!(
                r[3].starts_with("20") && r[3].ends_with('Z'),
                "ISO time: {:?}",
                &r[3]
            );
            (r[0].to_string(), (r[1].to_string(), r[2].to_string()))
        })
        .collect();
    let want: BTreeMap<String, (String, String)> = [
        (
            fps[0].clone(),
            ("confirmed".into(), "核对原表, sum \"wrong\"".into()),
        ),
        (fps[1].clone(), ("dismissed".into(), String::new())),
        (ORPHAN.into(), ("dismissed".into(), "old run".into())),
    ]
    .into_iter()
    .collect();
    assert_eq!(rows, want);

    // The decision of a finding that no longer exists is listed, not dropped.
    goto(&mut b, "#/reviews");
    let orphans = b.eval("Array.from(document.querySelectorAll('#orphans li')).map(function(l){return l.getAttribute('data-fingerprint')})");
    assert_eq!(orphans, json!([ORPHAN]));
    assert_no_errors(&b);

    // convert --reviews: the decisions appear as findings.csv's last column.
    let again = f.root.join("again");
    let input = f.root.join("in");
    let o = nianbao(&[
        "convert",
        input.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "--quiet",
        "--reviews",
        file.to_str().unwrap(),
    ]);
    assert!(
        o.status.code().unwrap_or(9) <= 1,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut reader = csv::Reader::from_path(again.join("findings.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("review"));
    let fp_col = header.iter().position(|h| h == "fingerprint").unwrap();
    let reviewed: BTreeMap<String, String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[header.len() - 1].is_empty())
        .map(|r| (r[fp_col].to_string(), r[header.len() - 1].to_string()))
        .collect();
    let want: BTreeMap<String, String> = [
        (
            fps[0].clone(),
            "confirmed: 核对原表, sum \"wrong\"".to_string(),
        ),
        (fps[1].clone(), "dismissed".to_string()),
    ]
    .into_iter()
    .collect();
    assert_eq!(reviewed, want);
}

#[test]
fn keyboard_opens_reports_and_coverage_marks_missing_years() {
    let f = fixture();
    let (mut b, _) = open("keyboard");
    filtered(&mut b, &[]);
    b.eval("document.querySelector('#list .row').focus(); true");
    b.key("ArrowDown", 40);
    b.key("ArrowDown", 40);
    let pos = b.eval("document.activeElement.getAttribute('data-pos')");
    assert_eq!(pos, json!("2"));
    let id: usize = b
        .eval("document.activeElement.getAttribute('data-id')")
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    b.key("Enter", 13);
    b.wait_for(&format!(
        "document.getElementById('view-report').getAttribute('data-id') === '{id}'"
    ));
    let agency = f.reports[id]["agency"].as_str().unwrap();
    let title = b.eval("document.querySelector('#view-report h2').textContent");
    assert!(title.as_str().unwrap().contains(agency), "{title}");

    goto(&mut b, "#/coverage");
    let cells = b.eval("Array.from(document.querySelectorAll('#view-coverage tbody td')).slice(5).map(function(t){return t.className+':'+t.textContent})");
    assert_eq!(cells, json!(["have:✔", "miss:✖", "have:✔"]));
    assert_no_errors(&b);
}

#[test]
fn a_torn_reports_line_is_listed_and_the_rest_still_opens() {
    let f = fixture();
    let dir = f.root.join("torn");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["findings.csv", "files.csv"] {
        std::fs::copy(f.out.join(name), dir.join(name)).unwrap();
    }
    let text = std::fs::read_to_string(f.out.join("reports.jsonl")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let half = lines[1].chars().count() / 2;
    let cut = lines[1].char_indices().nth(half).unwrap().0;
    let torn = lines[1][..cut].to_string();
    lines[1] = &torn;
    std::fs::write(dir.join("reports.jsonl"), lines.join("\n")).unwrap();
    let o = nianbao(&["audit", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("unreadable: reports.jsonl line 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{} reports", f.reports.len() - 1)),
        "{stderr}"
    );
    let o = nianbao(&["audit", f.root.join("in").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a convert output folder"));
}
