//! Every input the fuzzers (fuzz/, see fuzz/run.sh) or the hostile-input
//! review found to crash, hang or blow up the pipeline, kept as a file under
//! tests/integration/fuzz_regressions/ (named after the target and what it did). Each
//! must now convert or fail with a reason, never with a panic, in bounded
//! time.

use std::time::{Duration, Instant};

use nianbao::pipeline::convert_bytes;
use nianbao::readers::{ErrorKind, Limits};

/// Generous for a debug build on a loaded machine; the original inputs took
/// minutes, gigabytes, or aborted.
const BOUND: Duration = Duration::from_secs(30);

#[test]
fn fuzz_regressions_convert_or_fail_in_bounded_time() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/fuzz_regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let start = Instant::now();
        let result = convert_bytes(&bytes, &name, &Limits::default());
        let took = start.elapsed();
        match &result {
            Ok(report) => {
                serde_json::to_string(report).expect("serializes");
                println!("{name}: converted in {took:?}");
            }
            Err(e) => println!("{name}: failed in {took:?}: {e}"),
        }
        assert!(
            !matches!(&result, Err(e) if e.kind() == ErrorKind::ReaderPanic),
            "{name} panicked: {result:?}"
        );
        assert!(took < BOUND, "{name} took {took:?}");
    }
}

/// Replays a whole directory (a fuzz corpus) through `convert_bytes` and
/// lists the inputs that end in a (caught) panic, slowest first timing:
///
///     NIANBAO_REPLAY_DIR=fuzz/corpus/read_spreadsheet cargo test --release \
///         --test fuzz_regressions replay -- --ignored --nocapture
#[test]
#[ignore = "needs NIANBAO_REPLAY_DIR"]
fn replay() {
    let dir = std::env::var("NIANBAO_REPLAY_DIR").expect("NIANBAO_REPLAY_DIR");
    let mut panics = std::collections::BTreeMap::<String, Vec<String>>::new();
    let (mut n, mut slowest) = (0, (Duration::ZERO, String::new()));
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let start = Instant::now();
        let result = convert_bytes(&bytes, &name, &Limits::default());
        let took = start.elapsed();
        if took > slowest.0 {
            slowest = (took, name.clone());
        }
        n += 1;
        if let Some(e) = result
            .as_ref()
            .err()
            .filter(|e| e.kind() == ErrorKind::ReaderPanic)
        {
            let p = e.to_string();
            panics
                .entry(p.lines().next().unwrap_or("").chars().take(120).collect())
                .or_default()
                .push(name);
        }
    }
    println!("{n} inputs, slowest {:?} ({})", slowest.0, slowest.1);
    for (message, names) in &panics {
        println!("{} x {message}  e.g. {}", names.len(), names[0]);
    }
}
