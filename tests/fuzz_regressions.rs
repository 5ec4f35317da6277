//! Every input the fuzzers (fuzz/, see fuzz/run.sh) or the hostile-input
//! review found to crash, hang or blow up the pipeline, kept as a file under
//! tests/fuzz_regressions/ (named after the target and what it did). Each
//! must now convert or fail with a reason, never with a panic, in bounded
//! time.

use std::time::{Duration, Instant};

use nianbao::pipeline::convert_bytes;
use nianbao::readers::{Limits, ReadError};

/// Generous for a debug build on a loaded machine; the original inputs took
/// minutes, gigabytes, or aborted.
const BOUND: Duration = Duration::from_secs(30);

#[test]
fn fuzz_regressions_convert_or_fail_in_bounded_time() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
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
            Err((_, e)) => println!("{name}: failed in {took:?}: {e}"),
        }
        assert!(
            !matches!(result, Err((_, ReadError::Panic(_)))),
            "{name} panicked: {result:?}"
        );
        assert!(took < BOUND, "{name} took {took:?}");
    }
}
