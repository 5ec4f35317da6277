"""Shared fixtures: the CLI's own output over samples/ is the oracle.

The CLI binary is $NIANBAO_BIN, else the one `cargo build` makes from the
repository root (CI has just built it for `cargo test`, so that is quick).
"""

import csv
import functools
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What the archive stage adds to a report's line once all reports are known.
ARCHIVE_MEMBERS = {"agency_key", "duplicate_of", "archive_checks", "archive_findings"}


def without_archive(report):
    """A reports.jsonl object without the archive stage's members."""
    return {k: v for k, v in report.items() if k not in ARCHIVE_MEMBERS}


@functools.cache
def cli_binary():
    """Path of the nianbao CLI binary."""
    if os.environ.get("NIANBAO_BIN"):
        return os.environ["NIANBAO_BIN"]
    build = subprocess.run(
        ["cargo", "build", "--quiet", "--bin", "nianbao", "--message-format=json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    for line in build.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            if msg["target"]["name"] == "nianbao":
                return msg["executable"]
    raise AssertionError("cargo build made no nianbao binary")


def nianbao_cli(*args, cwd=ROOT, check=True):
    """Runs the nianbao CLI; returns the CompletedProcess."""
    cmd = [cli_binary(), *args]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode not in (0, 1):  # 1: some files failed
        raise AssertionError(f"nianbao {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def read_run(out):
    """A run's reports by source, and its files.csv rows."""
    with open(out / "reports.jsonl", encoding="utf-8") as f:
        reports = {r["source"]: r for r in map(json.loads, f)}
    with open(out / "files.csv", encoding="utf-8", newline="") as f:
        files = list(csv.DictReader(f))
    return reports, files


@pytest.fixture(scope="session")
def cli_run(tmp_path_factory):
    """The CLI's run over samples/ (sources relative to the root)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    nianbao_cli("convert", "samples", "--out", str(out), "--quiet")
    return out


@pytest.fixture(scope="session")
def cli_samples(cli_run):
    return read_run(cli_run)


@pytest.fixture
def at_root(monkeypatch):
    """Relative sample paths, as the CLI walked them."""
    monkeypatch.chdir(ROOT)
    return ROOT
