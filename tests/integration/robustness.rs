//! Never losing, mixing or forging a result (issue 11): each numbered case
//! of the issue has a test named for what it guards, through the binary as
//! a user runs it. Archive-level cases are in `robust_archives.rs`; the kill
//! test and the command-line behaviour in `robust_cli.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SEED: &str = include_str!("../../samples/txt/guangyang-2022.txt");

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
}

/// Runs nianbao with `args` in the folder `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    bin().current_dir(cwd).args(args).output().expect("runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub const OUTPUTS: [&str; 5] = [
    "reports.jsonl",
    "cells.csv",
    "findings.csv",
    "files.csv",
    "run.json",
];

pub fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    OUTPUTS
        .iter()
        .map(|n| {
            (
                n.to_string(),
                std::fs::read(dir.join(n)).unwrap_or_default(),
            )
        })
        .collect()
}

/// files.csv as (source, status, reason) rows.
pub fn rows(out: &Path) -> Vec<(String, String, String)> {
    let mut r = csv::Reader::from_path(out.join("files.csv")).expect("files.csv");
    r.records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            (rec[0].to_string(), rec[2].to_string(), rec[3].to_string())
        })
        .collect()
}

/// Town reports named after the seed, in `dir`.
pub fn towns(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let text = SEED.replace("广阳镇", &format!("第{i}镇"));
        std::fs::write(dir.join(format!("town{i:03}-2022.txt")), text).unwrap();
    }
}

fn tmp() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().to_path_buf();
    (t, p)
}

#[test]
fn case01_second_run_into_a_locked_folder_fails_at_once_naming_the_first() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 2);
    let out = root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Another run holds the lock (as `OutputFolder::open` takes it).
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(out.join(".nianbao-lock"))
        .unwrap();
    lock.try_lock().unwrap();
    std::fs::write(
        out.join(".nianbao-lock"),
        "pid 4242 (started at unix time 1)",
    )
    .unwrap();
    let o = run_in(&root, &["convert", "in", "--out", "out"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another nianbao run is writing into out (pid 4242"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("reports.jsonl").exists() && !out.join(".nianbao-journal.jsonl").exists());
    drop(lock);
    let o = run_in(&root, &["convert", "in", "--out", "out"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the lock is free again: {}",
        stderr(&o)
    );
}

#[test]
fn case02_earlier_outputs_are_refused_without_resume_or_overwrite() {
    let (_t, root) = tmp();
    towns(&root.join("a"), 3);
    towns(&root.join("b"), 40);
    assert_eq!(
        run_in(&root, &["convert", "a", "--out", "out"])
            .status
            .code(),
        Some(0)
    );
    let first = outputs(&root.join("out"));
    let o = run_in(&root, &["convert", "b", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--resume") && stderr(&o).contains("--overwrite"));
    assert_eq!(
        outputs(&root.join("out")),
        first,
        "refused: nothing touched"
    );

    // --overwrite killed early: the old outputs are already gone, so no mix
    // of the first run's CSVs and the new journal can be seen.
    let mut child = bin()
        .current_dir(&root)
        .args(["convert", "b", "--out", "out", "--overwrite", "--jobs", "1"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let journal = root.join("out/.nianbao-journal.jsonl");
    let start = std::time::Instant::now();
    // The old journal is there until --overwrite removes it: wait for a
    // record of the new run.
    while std::fs::read_to_string(&journal).map_or(true, |j| !j.contains("b/town"))
        && start.elapsed().as_secs() < 60
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for name in OUTPUTS {
        let exists = root.join("out").join(name).exists();
        assert!(
            !exists || name == "none",
            "{name} of the first run left next to the new journal"
        );
    }
    let o = run_in(&root, &["convert", "b", "--out", "out", "--overwrite"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read(&root.join("out"), "reports.jsonl").lines().count(), 40);
    assert!(!read(&root.join("out"), "files.csv").contains("a/town"));
}

#[test]
fn case03_output_folder_inside_the_input_is_never_read() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 2);
    let o = run_in(&root, &["convert", "in", "--out", "in/out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = outputs(&root.join("in/out"));
    // A second run, and a run into another folder: in/out holds a journal.
    let o = run_in(&root, &["convert", "in", "--out", "in/out", "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(outputs(&root.join("in/out")), first);
    let o = run_in(&root, &["convert", "in", "--out", "elsewhere"]);
    assert_eq!(o.status.code(), Some(0));
    let rows = rows(&root.join("elsewhere"));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| !r.0.contains("in/out/")), "{rows:?}");
    let folder = rows
        .iter()
        .find(|r| r.0 == "in/out")
        .expect("the output folder's row");
    assert_eq!(folder.1, "skipped");
    assert!(folder.2.contains("nianbao output folder"));
}

#[test]
fn case04_resume_with_another_spelling_of_the_argument_converts_nothing_twice() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 3);
    assert_eq!(
        run_in(&root, &["convert", "in", "--out", "out"])
            .status
            .code(),
        Some(0)
    );
    let first = outputs(&root.join("out"));
    for spelling in ["./in", "in/", "./in//."] {
        let o = run_in(&root, &["convert", spelling, "--out", "out", "--resume"]);
        assert!(
            stderr(&o).contains("(3 of them unchanged"),
            "{spelling}: {}",
            stderr(&o)
        );
        assert_eq!(outputs(&root.join("out")), first, "{spelling}");
    }
    assert!(read(&root.join("out"), "files.csv").contains("\nin/town000-2022.txt,"));
}

#[test]
fn case05_names_that_are_not_utf8_never_share_a_source() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (_t, root) = tmp();
    let dir = root.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    // 广阳镇.txt in GBK and in UTF-8 side by side; two names whose bytes are
    // neither, which lossy decoding made into one `a\u{FFFD}.txt`.
    let names: [&[u8]; 4] = [
        b"\xb9\xe3\xd1\xf4\xd5\xf2.txt",
        "广阳镇.txt".as_bytes(),
        b"a\xff.txt",
        b"a\xfe.txt",
    ];
    for (i, n) in names.iter().enumerate() {
        std::fs::write(
            dir.join(OsStr::from_bytes(n)),
            SEED.replace("广阳镇", &format!("第{i}镇")),
        )
        .unwrap();
    }
    let o = run_in(&root, &["convert", "in", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut sources: Vec<String> = rows(&root.join("out")).into_iter().map(|r| r.0).collect();
    sources.sort();
    assert_eq!(
        sources,
        [
            "in/\\xB9\\xE3\\xD1\\xF4\\xD5\\xF2.txt",
            "in/a\\xFE.txt",
            "in/a\\xFF.txt",
            "in/广阳镇.txt"
        ]
    );
    let first = outputs(&root.join("out"));
    let o = run_in(&root, &["convert", "in", "--out", "out", "--resume"]);
    assert!(
        stderr(&o).contains("(4 of them unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(outputs(&root.join("out")), first);
    assert_eq!(read(&root.join("out"), "reports.jsonl").lines().count(), 4);

    // Alone, the GBK name is decoded.
    std::fs::remove_file(dir.join("广阳镇.txt")).unwrap();
    run_in(&root, &["convert", "in", "--out", "out", "--overwrite"]);
    assert!(read(&root.join("out"), "files.csv").contains("in/广阳镇.txt,txt,converted"));
}

#[test]
fn case10_resume_after_skipped_files_is_byte_identical() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 3);
    std::fs::write(root.join("in/a-logo.png"), b"\x89PNG").unwrap();
    std::fs::write(root.join("in/zz-broken.html"), b"\x00\x01\x02 garbage").unwrap();
    run_in(&root, &["convert", "in", "--out", "out"]);
    let first = outputs(&root.join("out"));
    for _ in 0..2 {
        run_in(&root, &["convert", "in", "--out", "out", "--resume"]);
        assert_eq!(outputs(&root.join("out")), first);
    }
}

#[test]
fn case11_error_page_is_not_a_report_and_a_report_without_tables_is() {
    let (_t, root) = tmp();
    let dir = root.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report.docx"), "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>").unwrap();
    std::fs::write(dir.join("login.html"), "<html><body><form><p>用户名</p><input><p>密码</p><input><button>登录</button></form></body></html>").unwrap();
    // The seed report with its tables cut off: still a report.
    let prose = SEED.split("二、主动公开政府信息情况").next().unwrap();
    std::fs::write(dir.join("prose-only.txt"), prose).unwrap();
    let o = run_in(&root, &["convert", "in", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = rows(&root.join("out"));
    for name in ["in/report.docx", "in/login.html"] {
        let r = rows.iter().find(|r| r.0 == name).unwrap();
        assert_eq!(
            (r.1.as_str(), r.2.starts_with("not an annual report")),
            ("skipped", true),
            "{r:?}"
        );
    }
    let prose = rows.iter().find(|r| r.0 == "in/prose-only.txt").unwrap();
    assert_eq!(prose.1, "converted", "{prose:?}");
}

/// Replaces the journal's line `n` (1-based).
fn edit_journal(out: &Path, n: usize, f: impl FnOnce(&str) -> String) {
    let path = out.join(".nianbao-journal.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[n - 1] = f(&lines[n - 1]);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn case12_damaged_journal_line_before_the_last_is_an_error_naming_it() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 4);
    run_in(&root, &["convert", "in", "--out", "out"]);
    let out = root.join("out");
    edit_journal(&out, 2, |l| l[..l.len() / 2].to_string());
    let o = run_in(&root, &["convert", "in", "--out", "out", "--resume"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(".nianbao-journal.jsonl line 2 cannot be read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn case12_torn_last_journal_line_is_cut_and_redone() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 4);
    run_in(&root, &["convert", "in", "--out", "out"]);
    let out = root.join("out");
    let first = outputs(&out);
    let path = out.join(".nianbao-journal.jsonl");
    let j = std::fs::read(&path).unwrap();
    std::fs::write(&path, &j[..j.len() - 300]).unwrap(); // a kill mid-write
    let o = run_in(&root, &["convert", "in", "--out", "out", "--resume"]);
    assert!(
        stderr(&o).contains("(3 of them unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(outputs(&out), first);
}

#[test]
fn case12_journal_of_another_version_is_reconverted_not_mixed() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 3);
    run_in(&root, &["convert", "in", "--out", "out"]);
    let out = root.join("out");
    let first = outputs(&out);
    // A record as an older nianbao wrote it (no version fields).
    edit_journal(&out, 1, |l| {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        v.as_object_mut().unwrap().remove("v");
        v.as_object_mut().unwrap().remove("tool");
        v.to_string()
    });
    let o = run_in(&root, &["convert", "in", "--out", "out", "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("written by another version"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("unchanged since"), "{}", stderr(&o));
    assert_eq!(outputs(&out), first);
    let manifest: serde_json::Value = serde_json::from_str(&read(&out, "run.json")).unwrap();
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["record_version"], nianbao::output::RECORD_VERSION);
}

#[test]
fn case14_inputs_deleted_or_renamed_since_leave_the_resumed_outputs() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 3);
    run_in(&root, &["convert", "in", "--out", "out"]);
    std::fs::remove_file(root.join("in/town000-2022.txt")).unwrap();
    std::fs::rename(
        root.join("in/town001-2022.txt"),
        root.join("in/renamed.txt"),
    )
    .unwrap();
    let o = run_in(&root, &["convert", "in", "--out", "out", "--resume"]);
    assert_eq!(o.status.code(), Some(0));
    let sources: Vec<String> = rows(&root.join("out")).into_iter().map(|r| r.0).collect();
    assert_eq!(sources, ["in/renamed.txt", "in/town002-2022.txt"]);
    assert_eq!(read(&root.join("out"), "reports.jsonl").lines().count(), 2);
    // And equal to a fresh run over the same inputs.
    run_in(&root, &["convert", "in", "--out", "fresh"]);
    assert_eq!(outputs(&root.join("out")), outputs(&root.join("fresh")));
}

#[test]
fn case20_planted_links_in_the_output_folder_are_refused() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 1);
    let victim = root.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let out = root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for planted in [
        ".files.csv.partial",
        "reports.jsonl",
        ".nianbao-journal.jsonl",
    ] {
        std::os::unix::fs::symlink(&victim, out.join(planted)).unwrap();
        for extra in [&[][..], &["--overwrite"][..], &["--resume"][..]] {
            let mut args = vec!["convert", "in", "--out", "out"];
            args.extend_from_slice(extra);
            let o = run_in(&root, &args);
            assert_eq!(
                o.status.code(),
                Some(3),
                "{planted} {extra:?}: {}",
                stderr(&o)
            );
            assert!(stderr(&o).contains("is a symbolic link"), "{}", stderr(&o));
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        }
        std::fs::remove_file(out.join(planted)).unwrap();
    }
}

#[test]
fn case21_formulas_in_csv_fields_are_neutralised_and_kept_in_jsonl() {
    let (_t, root) = tmp();
    let name = "=HYPERLINK(\"evil\",\"x\")-2022.txt";
    // A cell's raw text and the file name both start a formula.
    let text = SEED
        .replacen("\t0\t", "\t=1+2\t", 1)
        .replacen("\t0\n", "\t@SUM(A1)\n", 1);
    assert!(text.contains("=1+2"));
    std::fs::write(root.join(name), &text).unwrap();
    let o = run_in(&root, &["convert", name, "--out", "out", "--excel"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = root.join("out");
    for csv in ["cells.csv", "files.csv"] {
        let bytes = std::fs::read(out.join(csv)).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBFsource,"),
            "--excel writes the BOM: {csv}"
        );
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        for rec in r.records() {
            for field in rec.unwrap().iter() {
                let risky = field.starts_with(['=', '+', '@', '\t', '\r'])
                    || (field.starts_with('-') && field.parse::<f64>().is_err());
                assert!(
                    !risky,
                    "{csv}: {field:?} reaches a spreadsheet as a formula"
                );
            }
        }
    }
    let cells = read(&out, "cells.csv");
    assert!(
        cells.contains("'=1+2") || cells.contains("\"'=1+2\""),
        "the text is kept, neutralised"
    );
    assert!(read(&out, "files.csv").contains(&format!("'{}", &name[..10])));
    let report: serde_json::Value =
        serde_json::from_str(read(&out, "reports.jsonl").lines().next().unwrap()).unwrap();
    assert_eq!(report["source"], name, "reports.jsonl keeps the true text");
    assert!(read(&out, "reports.jsonl").contains("\"raw\":\"=1+2\""));
}

#[test]
fn case03_output_folder_given_as_an_input_is_a_usage_error() {
    let (_t, root) = tmp();
    towns(&root.join("in"), 1);
    let o = run_in(&root, &["convert", "./in", "--out", "in"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("the output folder is also an input"));
    assert!(!root.join("in/files.csv").exists());
}
