//! The Python package's pytest suite (`python/tests`: the package against
//! the CLI, and the Dask recipe on a local 2-worker cluster), run from here
//! so the README's one test command runs it too, against the CLI binary
//! this test build made.
//!
//! Needs `python3` on PATH with the package installed (`pip install .`)
//! and pytest, dask[distributed], pandas and pyarrow: `.ci/run` builds them
//! into a venv and sets NIANBAO_TEST_PYTHON=1. Without that variable this
//! test says so and passes; with it, a missing package fails it.

use std::process::Command;

#[test]
fn pytest_suite_passes() {
    if std::env::var_os("NIANBAO_TEST_PYTHON").is_none() {
        eprintln!("python package tests not run: set NIANBAO_TEST_PYTHON=1 (as .ci/run does)");
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("python3")
        .args([
            "-m",
            "pytest",
            "python/tests",
            "-q",
            "-p",
            "no:cacheprovider",
        ])
        .current_dir(root)
        .env("NIANBAO_BIN", env!("CARGO_BIN_EXE_nianbao"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pytest failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every test ran (none skipped for a missing module).
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.contains(" passed") && !summary.contains("skipped"),
        "{summary}"
    );
}
