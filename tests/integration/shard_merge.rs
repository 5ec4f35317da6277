//! `convert --shard I/N`, `--manifest` and `merge`: sharded runs put back
//! together must write, byte for byte, what one run over the same inputs
//! writes (the oracle is that one run, made by the same binary without
//! sharding): every output file, the database, the archive stage's
//! `coverage.csv`, `run.json`, and the printed summary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::common::samples;

/// Every file a run writes that a merge must reproduce.
const OUTPUTS: [&str; 7] = [
    "reports.jsonl",
    "cells.csv",
    "findings.csv",
    "files.csv",
    "coverage.csv",
    "nianbao.sqlite",
    "run.json",
];

fn nianbao(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.args(args);
    if args.first() == Some(&"convert") {
        cmd.arg("--quiet");
    }
    for var in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "JOB_COMPLETION_INDEX",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied())
        .output()
        .expect("nianbao runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The printed summary without its last line (`output: DIR` differs).
fn summary(o: &Output) -> String {
    let text = stderr(o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.last().unwrap().starts_with("output: "), "{text}");
    lines[..lines.len() - 1].join("\n")
}

/// Copies of every sample plus a zip of three of them (an archive is one
/// input: its members must land in one shard, in order).
fn corpus(root: &Path) -> PathBuf {
    let input = root.join("in");
    let mut zipped = Vec::new();
    for entry in walkdir::WalkDir::new(samples()).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(samples()).unwrap();
        let to = input.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
            let html = rel.extension().is_some_and(|e| e == "html");
            if rel.starts_with("html") && html && zipped.len() < 3 {
                let name = rel.to_string_lossy().into_owned();
                zipped.push((name, std::fs::read(&to).unwrap()));
            }
        }
    }
    let file = std::fs::File::create(input.join("bundle.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for (name, bytes) in &zipped {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    input
}

fn assert_same_outputs(single: &Path, merged: &Path) {
    for name in OUTPUTS {
        let a = std::fs::read(single.join(name)).unwrap();
        let b = std::fs::read(merged.join(name)).unwrap();
        assert!(!a.is_empty(), "{name} is empty");
        assert!(
            a == b,
            "{name} differs between the single run and the merge"
        );
    }
}

fn rows(dir: &Path) -> Vec<String> {
    let files = std::fs::read_to_string(dir.join("files.csv")).unwrap();
    files.lines().skip(1).map(String::from).collect()
}

#[test]
fn three_shards_merged_equal_one_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path());
    let single = tmp.path().join("single");
    let one = nianbao(&["convert", s(&input), "--out", s(&single)], &[]);
    assert_eq!(one.status.code(), Some(1), "samples include broken files");

    let mut parts = Vec::new();
    for i in 0..3 {
        let part = tmp.path().join(format!("part{i}"));
        let shard = format!("{i}/3");
        let o = nianbao(
            &["convert", s(&input), "--out", s(&part), "--shard", &shard],
            &[],
        );
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        parts.push(part);
    }
    // Each shard converted a real share, and together exactly the inputs.
    let shares: Vec<Vec<String>> = parts.iter().map(|p| rows(p)).collect();
    assert!(shares.iter().all(|r| r.len() > 5), "{shares:?}");
    let mut together: Vec<String> = shares.concat();
    let mut all = rows(&single);
    together.sort();
    all.sort();
    assert_eq!(together, all);
    // The archive's three members stayed together in one shard.
    let owners: Vec<usize> = shares
        .iter()
        .map(|r| r.iter().filter(|l| l.contains("bundle.zip!")).count())
        .collect();
    let mut sorted = owners.clone();
    sorted.sort();
    assert_eq!(sorted, [0, 0, 3], "{owners:?}");

    let merged = tmp.path().join("merged");
    let mut args = vec!["merge"];
    // Parts in any order.
    args.extend([&parts[2], &parts[0], &parts[1]].map(|p| s(p)));
    args.extend(["--out", s(&merged)]);
    let o = nianbao(&args, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_same_outputs(&single, &merged);
    assert_eq!(summary(&o), summary(&one));
    assert!(summary(&o).contains("archive: "), "{}", summary(&o));
}

#[test]
fn shard_index_from_the_scheduler_and_manifest_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let html = samples().join("html");
    // A manifest in its own order (reversed), with a blank line, a missing
    // file and a line no path can be: the run lists both as failed.
    let mut lines: Vec<String> = std::fs::read_dir(&html)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    lines.sort();
    lines.reverse();
    lines.insert(2, String::new());
    lines.push(html.join("gone.html").display().to_string());
    lines.push("bad\0line".into());
    let manifest = tmp.path().join("list.txt");
    std::fs::write(&manifest, lines.join("\n") + "\n").unwrap();

    let single = tmp.path().join("single");
    let m = s(&manifest);
    let one = nianbao(&["convert", "--manifest", m, "--out", s(&single)], &[]);
    assert_eq!(one.status.code(), Some(1), "{}", stderr(&one));
    let listed = rows(&single);
    // Every line but the blank one, in the manifest's order.
    assert_eq!(listed.len(), lines.len() - 1, "{listed:?}");
    assert!(listed[0].starts_with(&lines[0]), "{listed:?}");
    let gone = &listed[listed.len() - 2];
    assert!(gone.contains("gone.html,,failed,cannot be read"), "{gone}");
    let bad = &listed[listed.len() - 1];
    assert!(bad.contains("list.txt:") && bad.contains("NUL"), "{bad}");

    let part0 = tmp.path().join("p0");
    let part1 = tmp.path().join("p1");
    let slurm = [("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1")];
    let args = |out: &Path| {
        ["convert", "--manifest", m, "--out", s(out), "--shard", "/2"].map(String::from)
    };
    let run = |out: &Path, env: &[(&str, &str)]| {
        let a = args(out);
        nianbao(&a.each_ref().map(|x| x.as_str()), env)
    };
    run(&part0, &slurm);
    run(&part1, &[("JOB_COMPLETION_INDEX", "1")]);
    assert!(!rows(&part0).is_empty() && !rows(&part1).is_empty());
    let merged = tmp.path().join("merged");
    let o = nianbao(&["merge", s(&part1), s(&part0), "--out", s(&merged)], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_same_outputs(&single, &merged);
    assert_eq!(summary(&o), summary(&one));
}

#[test]
fn plain_runs_concatenate_in_the_order_given() {
    let tmp = tempfile::tempdir().unwrap();
    let (html, txt) = (samples().join("html"), samples().join("txt"));
    let single = tmp.path().join("single");
    nianbao(&["convert", s(&html), s(&txt), "--out", s(&single)], &[]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    nianbao(&["convert", s(&html), "--out", s(&a)], &[]);
    nianbao(&["convert", s(&txt), "--out", s(&b)], &[]);
    let merged = tmp.path().join("merged");
    nianbao(&["merge", s(&a), s(&b), "--out", s(&merged)], &[]);
    assert_same_outputs(&single, &merged);
}

#[test]
fn merge_refuses_incomplete_or_mismatched_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let txt = samples().join("txt");
    let html = samples().join("html");
    let part = |name: &str, input: &Path, shard: Option<&str>| {
        let dir = tmp.path().join(name);
        let mut args = vec!["convert", s(input), "--out", s(&dir)];
        args.extend(shard.iter().flat_map(|sh| ["--shard", *sh]));
        nianbao(&args, &[]);
        dir
    };
    let p0 = part("p0", &txt, Some("0/3"));
    let p1 = part("p1", &txt, Some("1/3"));
    let other = part("other", &html, Some("2/3"));
    let plain = part("plain", &txt, None);
    // A part whose run did not finish (no run.json).
    let cut = part("cut", &txt, Some("2/3"));
    std::fs::remove_file(cut.join("run.json")).unwrap();
    let out = tmp.path().join("out");
    let refused = |parts: &[&Path], says: &str| {
        let mut args = vec!["merge"];
        args.extend(parts.iter().map(|p| s(p)));
        args.extend(["--out", s(&out)]);
        let o = nianbao(&args, &[]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(says),
            "expected {says:?} in {}",
            stderr(&o)
        );
        assert!(!out.join("reports.jsonl").exists(), "nothing written");
    };
    refused(&[&p0, &p1], "shards missing: 2/3 of 3");
    refused(&[&p0, &p1, &p1], "shard 1/3 was given twice");
    refused(&[&p0, &p1, &other], "from another invocation");
    refused(&[&p0, &plain], "a plain run's folder among sharded parts");
    refused(&[&p0, &p1, &cut], "did not finish");
    refused(
        &[&p0, &tmp.path().join("nothing")],
        "not a complete nianbao output",
    );

    // The same folder converted again without --shard is a plain run.
    let o = nianbao(&["convert", s(&txt), "--out", s(&p1), "--overwrite"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    refused(&[&p0, &p1], "a plain run's folder among sharded parts");

    for (shard, says) in [
        ("3/3", "expected I/N"),
        ("1/0", "expected I/N"),
        ("x", "expected I/N"),
        ("/3", "neither SLURM_ARRAY_TASK_ID"),
    ] {
        let o = nianbao(
            &["convert", s(&txt), "--out", s(&out), "--shard", shard],
            &[],
        );
        assert_eq!(o.status.code(), Some(2), "{shard}");
        assert!(stderr(&o).contains(says), "{shard}: {}", stderr(&o));
    }
    let o = nianbao(
        &["convert", s(&txt), "--out", s(&out), "--shard", "/3"],
        &[("JOB_COMPLETION_INDEX", "7")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not below the shard count 3"),
        "{}",
        stderr(&o)
    );
    let o = nianbao(
        &["convert", "--manifest", "/no/such/list", "--out", s(&out)],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read the manifest"),
        "{}",
        stderr(&o)
    );
}
