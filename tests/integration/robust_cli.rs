//! Issue 11, the command line: 20 kills at random points then `--resume`,
//! Ctrl-C, write errors on stdout, and the flags users expect.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::robustness::{bin, outputs, read, rows, run_in, stderr, towns, SEED};

/// A folder of reports with skipped and broken files and an archive.
fn mixed_folder(dir: &Path) {
    towns(&dir.join("towns"), 14);
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for f in [
        "html/xx-county-2023-utf8.html",
        "html/xx-town-2022-gbk.html",
        "docx/official-layout-python-docx.docx",
        "docx/corrupt-truncated.docx",
        "html/broken.html",
    ] {
        std::fs::copy(samples.join(f), dir.join(f.replace('/', "-"))).unwrap();
    }
    std::fs::write(dir.join("logo.png"), b"\x89PNG").unwrap();
    std::fs::write(dir.join(".hidden.txt"), SEED).unwrap();
    std::fs::write(dir.join("garbage.txt"), b"\x00\x01\x02\x03 binary").unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dir.join("bundle.zip")).unwrap());
    for (n, b) in [
        ("a.txt", SEED.as_bytes()),
        ("bad.html", b"\x00\x00\x00".as_slice()),
        ("pic.jpg", b"\xff\xd8"),
    ] {
        w.start_file(n, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, b).unwrap();
    }
    w.finish().unwrap();
}

/// The temporary files in an output folder, by name.
fn partials(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    names.sort();
    names
}

/// A folder with a run.json holds exactly the files it lists.
fn assert_consistent(out: &Path) {
    let Ok(text) = std::fs::read_to_string(out.join("run.json")) else {
        return;
    };
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("run.json is whole");
    for f in manifest["files"].as_array().unwrap() {
        let bytes =
            std::fs::read(out.join(f["name"].as_str().unwrap())).expect("a listed file exists");
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap(), "{f}");
        assert_eq!(
            format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)),
            f["xxh3"].as_str().unwrap(),
            "{f}"
        );
    }
}

#[test]
fn twenty_kills_at_random_points_then_resume_give_byte_identical_outputs() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    mixed_folder(&root.join("in"));
    let start = Instant::now();
    let o = run_in(root, &["convert", "in", "--out", "ref", "--jobs", "2"]);
    let full = start.elapsed();
    assert_eq!(
        o.status.code(),
        Some(1),
        "broken files fail: {}",
        stderr(&o)
    );
    let reference = outputs(&root.join("ref"));
    let start = Instant::now();
    run_in(
        root,
        &["convert", "in", "--out", "ref", "--resume", "--jobs", "2"],
    );
    let resumed = start.elapsed();
    assert_eq!(outputs(&root.join("ref")), reference);
    // Every fifth run starts over (--overwrite), so kills also land inside
    // conversions, not only inside resumed runs that reuse everything.
    let mut seed: u64 = 0x6e69_616e_6261_6f21;
    let mut killed_midway = 0;
    for i in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let (mode, scale) = if i % 5 == 0 {
            ("--overwrite", full)
        } else {
            ("--resume", resumed)
        };
        let delay = scale.mul_f64((seed % 1000) as f64 / 900.0);
        let before = partials(&root.join("out"));
        let child = bin()
            .current_dir(root)
            .args(["convert", "in", "--out", "out", mode, "--jobs", "2"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let signal = if i % 2 == 0 {
            libc::SIGKILL
        } else {
            libc::SIGTERM
        };
        unsafe { libc::kill(child.id() as i32, signal) };
        let o = child.wait_with_output().unwrap();
        match o.status.code() {
            None => killed_midway += 1,
            Some(130) => {
                killed_midway += 1;
                assert!(stderr(&o).contains("--resume"), "{}", stderr(&o));
            }
            Some(code) => assert!(code <= 1, "run {i}: exit {code}: {}", stderr(&o)),
        }
        if signal == libc::SIGTERM && o.status.code().is_none() {
            // Killed by SIGTERM's default action: the signal came before the
            // handler was installed, when the run had touched nothing yet
            // (so it could not sweep a killed run's temporary files either).
            assert_eq!(
                partials(&root.join("out")),
                before,
                "run {i}: {}",
                stderr(&o)
            );
        } else if signal == libc::SIGTERM {
            let left = partials(&root.join("out"));
            assert!(
                left.is_empty(),
                "run {i}: SIGTERM leaves no temporary file: {left:?}"
            );
        }
        assert_consistent(&root.join("out"));
    }
    println!("{killed_midway} of 20 kills hit a running conversion");
    assert!(
        killed_midway >= 10,
        "only {killed_midway} of 20 kills hit a running conversion"
    );
    let o = run_in(root, &["convert", "in", "--out", "out", "--resume"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(outputs(&root.join("out")), reference);
}

#[test]
fn ctrl_c_exits_130_telling_how_to_resume_and_leaves_no_temporary_files() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    towns(&root.join("in"), 150);
    let child = bin()
        .current_dir(root)
        .args(["convert", "in", "--out", "out", "--jobs", "1"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let journal = root.join("out/.nianbao-journal.jsonl");
    let start = Instant::now();
    while std::fs::read(&journal).map_or(0, |j| j.iter().filter(|&&b| b == b'\n').count()) < 3
        && start.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("interrupted") && stderr(&o).contains("--resume"),
        "{}",
        stderr(&o)
    );
    let names: Vec<String> = std::fs::read_dir(root.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
    assert!(!names.contains(&"reports.jsonl".to_string()), "{names:?}");
    let o = run_in(root, &["convert", "in", "--out", "out", "--resume"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        read(&root.join("out"), "reports.jsonl").lines().count(),
        150
    );
}

#[test]
fn case23_stdout_write_errors_exit_3_and_a_closed_pipe_ends_quietly() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = bin().arg("schema").stdout(full).output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write to stdout: No space left on device"),
        "{}",
        stderr(&o)
    );

    let mut child = bin()
        .arg("schema")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away (as `| head -0`)
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "", "a broken pipe ends quietly");

    let t = tempfile::tempdir().unwrap();
    let o = run_in(
        t.path(),
        &["convert", "/proc/self/status", "--out", "/proc/nope"],
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "an output folder that cannot be written"
    );
    assert!(stderr(&o).contains("/proc/nope"), "{}", stderr(&o));
}

#[test]
fn jobs_zero_is_one_per_core_and_a_huge_count_is_clamped() {
    let t = tempfile::tempdir().unwrap();
    towns(&t.path().join("in"), 2);
    let o = run_in(t.path(), &["convert", "in", "--out", "a", "--jobs", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let start = Instant::now();
    let o = run_in(
        t.path(),
        &["convert", "in", "--out", "b", "--jobs", "100000"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--jobs 100000 is more than 4 per core; using"),
        "{}",
        stderr(&o)
    );
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(outputs(&t.path().join("a")), outputs(&t.path().join("b")));
}

#[test]
fn hidden_folders_are_walked_only_when_asked_and_globs_select_inputs() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    towns(&root.join("in/drafts"), 1);
    towns(&root.join("in/.git"), 1);
    std::fs::write(
        root.join("in/a.html"),
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/html/xx-county-2023-utf8.html"),
        )
        .unwrap(),
    )
    .unwrap();
    let sources = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["convert", "in", "--out", "out", "--overwrite"];
        args.extend_from_slice(extra);
        let o = run_in(root, &args);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        rows(&root.join("out")).into_iter().map(|r| r.0).collect()
    };
    assert_eq!(sources(&[]), ["in/a.html", "in/drafts/town000-2022.txt"]);
    assert_eq!(
        sources(&["--hidden"]),
        [
            "in/.git/town000-2022.txt",
            "in/a.html",
            "in/drafts/town000-2022.txt"
        ]
    );
    assert_eq!(sources(&["--glob", "*.html"]), ["in/a.html"]);
    assert_eq!(sources(&["--exclude", "drafts/**"]), ["in/a.html"]);
    let o = run_in(root, &["convert", "in", "--out", "x", "--glob", "a{"]);
    assert_eq!(o.status.code(), Some(2), "a bad glob is a usage error");
}

#[test]
fn show_prints_one_report_and_its_json_line() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("广阳镇-2022.txt"), SEED).unwrap();
    let o = run_in(t.path(), &["show", "广阳镇-2022.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("agency:   广阳镇") && text.contains("[requests]"),
        "{text}"
    );
    let o = run_in(t.path(), &["show", "--json", "广阳镇-2022.txt"]);
    run_in(t.path(), &["convert", "广阳镇-2022.txt", "--out", "out"]);
    // `show` sees one file, so it has no archive stage: the run's line is
    // the same report plus the four fields the archive stage splices in.
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut line: serde_json::Value =
        serde_json::from_str(&read(&t.path().join("out"), "reports.jsonl")).unwrap();
    for field in [
        "agency_key",
        "duplicate_of",
        "archive_checks",
        "archive_findings",
    ] {
        assert!(
            line.as_object_mut().unwrap().remove(field).is_some(),
            "{field}"
        );
    }
    assert_eq!(shown, line);
    let o = run_in(t.path(), &["show", "missing.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing.txt: cannot be read"));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let o = bin().args(["completions", "bash"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let script = String::from_utf8(o.stdout).unwrap();
    assert!(
        script.contains("--overwrite") && script.contains("--resume") && script.contains("nianbao")
    );
    let o = bin().arg("man").output().unwrap();
    let man = String::from_utf8(o.stdout).unwrap();
    assert!(
        man.starts_with(".ie") || man.contains(".TH nianbao"),
        "{}",
        &man[..200.min(man.len())]
    );
}
