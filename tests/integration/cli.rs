//! The `nianbao` binary as a researcher runs it: folders, archives, exit
//! codes, deterministic output, and a run killed midway then resumed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const SEED: &str = include_str!("../../samples/txt/guangyang-2022.txt");

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A folder of `n` text reports of different townships (same layout as the
/// seed), plus one broken file.
fn corpus(dir: &Path, n: usize) {
    for i in 0..n {
        let sub = dir.join(format!("county{:02}", i % 7));
        std::fs::create_dir_all(&sub).unwrap();
        let text = SEED.replace("广阳镇", &format!("第{i}镇"));
        std::fs::write(sub.join(format!("town{i:04}-2022.txt")), text).unwrap();
    }
    std::fs::write(dir.join("broken.html"), b"\x00\x01\x02PK garbage \xff\xfe").unwrap();
}

#[test]
fn folder_conversion_accounts_for_every_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 5);
    std::fs::write(input.join("logo.png"), b"\x89PNG").unwrap();
    let out = tmp.path().join("out");
    let o = run(&[
        "convert",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "some files failed: exit 1; stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("7 files seen: 5 converted, 1 failed, 1 skipped"),
        "{stderr}"
    );
    assert!(stderr.contains("broken.html"), "{stderr}");

    let files = read(&out, "files.csv");
    let mut lines = files.lines();
    assert_eq!(lines.next(), Some("source,format,status,reason,error"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 7);
    // A failed file keeps the format detected before it failed, and its
    // error kind in machine-readable form.
    let broken = rows.iter().find(|r| r.contains("broken.html")).unwrap();
    assert!(broken.contains(",failed,"), "{broken}");
    assert!(broken.ends_with(",unsupported"), "{broken}");
    assert!(rows
        .iter()
        .any(|r| r.contains("logo.png") && r.contains(",skipped,")));
    assert_eq!(read(&out, "reports.jsonl").lines().count(), 5);
    assert_eq!(
        read(&out, "cells.csv").lines().next(),
        Some("source,agency,year,template,table,row,column,value,raw,location")
    );
    assert_eq!(
        read(&out, "findings.csv").lines().next(),
        Some(
            "source,agency,year,rule,severity,table,row,column,expected,actual,message,fingerprint"
        )
    );
    // 10 + 25 * 7 + 3 * 5 cells per report.
    let cells = read(&out, "cells.csv").lines().count() - 1;
    assert_eq!(cells, 5 * (10 + 25 * 7 + 15));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["convert"]).status.code(), Some(2));
    assert_eq!(
        run(&["convert", "/no/such/path", "--out", "/tmp/x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 40);
    let mut outputs = Vec::new();
    for jobs in ["1", "2", "4"] {
        let out = tmp.path().join(format!("out{jobs}"));
        run(&[
            "convert",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--jobs",
            jobs,
        ]);
        outputs.push(
            ["reports.jsonl", "cells.csv", "findings.csv", "files.csv"].map(|n| read(&out, n)),
        );
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

fn zip_of(path: &Path, members: &[(&str, &[u8])]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn archives_are_read_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("reports.zip");
    zip_of(
        &zip,
        &[
            ("2022/广阳镇.txt", SEED.as_bytes()),
            ("../../escape.txt", SEED.as_bytes()),
            ("nested.zip", b"PK\x03\x04"),
            ("bad.html", b"\x00\x00\x00"),
        ],
    );
    let tgz = tmp.path().join("reports.tar.gz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&tgz).unwrap(),
            flate2::Compression::default(),
        );
        let mut tar = tar::Builder::new(gz);
        let mut header = tar::Header::new_gnu();
        header.set_size(SEED.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, "a/seed.txt", SEED.as_bytes())
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
    }
    let out = tmp.path().join("out");
    let o = run(&[
        "convert",
        zip.to_str().unwrap(),
        tgz.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let files = read(&out, "files.csv");
    let z = zip.to_string_lossy();
    let t = tgz.to_string_lossy();
    for expected in [
        format!("{z}!2022/广阳镇.txt,txt,converted,"),
        format!("{z}!escape.txt,txt,converted,"),
        format!("{z}!nested.zip,,skipped,nested archive: not opened (unpack it first)"),
        format!("{t}!a/seed.txt,txt,converted,"),
    ] {
        assert!(files.contains(&expected), "{expected} not in\n{files}");
    }
    assert!(files.contains(&format!("{z}!bad.html,,failed,")), "{files}");
    assert!(!tmp.path().join("escape.txt").exists() && !out.join("escape.txt").exists());
}

#[test]
fn corrupt_archive_fails_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bad.zip"), b"PK\x03\x04 truncated").unwrap();
    std::fs::write(tmp.path().join("ok.txt"), SEED).unwrap();
    let out = tmp.path().join("out");
    let o = run(&[
        "convert",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let files = read(&out, "files.csv");
    assert!(
        files.contains("bad.zip,,failed,corrupt ZIP archive"),
        "{files}"
    );
    assert!(files.contains("ok.txt,txt,converted,"), "{files}");
}

fn journal_lines(out: &Path) -> usize {
    std::fs::read_to_string(out.join(".nianbao-journal.jsonl"))
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

#[test]
fn killed_run_resumes_to_the_same_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input: PathBuf = tmp.path().join("in");
    corpus(&input, 250);
    let args = |out: &Path| {
        vec![
            "convert".to_string(),
            input.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--jobs".into(),
            "1".into(),
        ]
    };

    let reference = tmp.path().join("reference");
    bin().args(args(&reference)).output().unwrap();

    let out = tmp.path().join("out");
    let mut child = bin()
        .args(args(&out))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while journal_lines(&out) < 40 && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done_before = journal_lines(&out);
    assert!(
        (40..251).contains(&done_before),
        "killed midway, after {done_before} files"
    );
    assert!(
        !out.join("reports.jsonl").exists(),
        "a killed run leaves no output that looks complete"
    );

    let mut resume = args(&out);
    resume.push("--resume".into());
    let o = bin().args(&resume).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("unchanged since an earlier run"),
        "{stderr}"
    );
    for name in ["reports.jsonl", "cells.csv", "findings.csv", "files.csv"] {
        assert!(
            read(&reference, name) == read(&out, name),
            "{name} differs after resume"
        );
    }

    // A file that changes is converted again; the others are not.
    let changed = input.join("county00/town0000-2022.txt");
    std::fs::write(&changed, SEED.replace("广阳镇", "新名镇")).unwrap();
    let o = bin().args(&resume).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("(250 of them unchanged"), "{stderr}");
    let reports = read(&out, "reports.jsonl");
    assert!(reports.contains("新名镇") && !reports.contains("\"第0镇\""));
    assert_eq!(reports.lines().count(), 250);
}
