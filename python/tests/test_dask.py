"""The Dask recipe (examples/dask/convert_dask.py) on a local 2-worker
cluster reproduces a single CLI run: the package path report for report
(archive stage included), the sharded CLI path byte for byte."""

import functools
import importlib.util
import json
import sys

import pandas as pd
import pytest
from distributed import Client, LocalCluster

from conftest import ROOT, cli_binary, nianbao_cli, read_run, without_archive

# Seconds before a stalled cluster fails the test instead of hanging CI.
TIMEOUT = 300
OUTPUTS = ["reports.jsonl", "cells.csv", "findings.csv", "files.csv", "coverage.csv",
           "nianbao.sqlite", "run.json"]


@functools.cache
def load_recipe():
    path = ROOT / "examples" / "dask" / "convert_dask.py"
    spec = importlib.util.spec_from_file_location("convert_dask", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["convert_dask"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client():
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        assert len(c.scheduler_info()["workers"]) == 2
        # Workers import the recipe's functions by name: send them the file.
        c.upload_file(str(ROOT / "examples" / "dask" / "convert_dask.py"))
        yield c


@pytest.fixture(scope="module")
def single_run(tmp_path_factory):
    """One CLI run over samples/ by absolute path (workers may not share
    the test's working folder)."""
    out = tmp_path_factory.mktemp("single") / "out"
    proc = nianbao_cli("convert", str(ROOT / "samples"), "--out", str(out), "--quiet")
    return out, proc.stderr


def test_package_path_equals_a_single_run(client, single_run, tmp_path):
    recipe = load_recipe()
    single, _ = single_run
    out = tmp_path / "out"
    n = recipe.convert_with_package([ROOT / "samples"], out, npartitions=4,
                                    client=client, timeout=TIMEOUT)
    rows = pd.read_parquet(out / "reports.parquet")
    assert len(rows) == n and len(list((out / "reports.parquet").glob("*.parquet"))) == 4
    reports, files = read_run(single)
    # Every input, in the CLI's order, with the CLI's status and reason.
    assert list(rows.sort_values("order")["source"]) == [r["source"] for r in files]
    by_source = rows.set_index("source")
    archive = pd.read_parquet(out / "archive.parquet").set_index("source")
    for row in files:
        got = by_source.loc[row["source"]]
        assert (got["status"], got["reason"]) == (row["status"], row["reason"]), row
        if row["status"] == "failed":
            assert got["kind"] == row["error"], row
        if row["status"] != "converted":
            continue
        report = json.loads(got["report"])
        expected = reports[row["source"]]
        assert report == without_archive(expected)
        errors = sum(f["severity"] == "error" for f in expected["findings"])
        assert got["errors"] == errors
        members = archive.loc[row["source"]]
        text = lambda v: None if pd.isna(v) else v  # Parquet nulls read back as NaN
        report |= {
            "agency_key": text(members["agency_key"]),
            "duplicate_of": text(members["duplicate_of"]),
            "archive_checks": json.loads(members["archive_checks"]),
            "archive_findings": json.loads(members["archive_findings"]),
        }
        assert report == expected, row["source"]
    assert (out / "coverage.csv").read_bytes() == (single / "coverage.csv").read_bytes()


def test_sharded_cli_tasks_merge_to_a_single_run(client, single_run, tmp_path):
    recipe = load_recipe()
    single, printed = single_run
    out = tmp_path / "merged"
    summary = recipe.convert_with_cli(client, [ROOT / "samples"], out, shards=3,
                                      binary=cli_binary(), timeout=TIMEOUT)
    parts = sorted((tmp_path / "merged.parts").iterdir())
    assert len(parts) == 3
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (single / name).read_bytes(), name
    drop_out = lambda text: [l for l in text.splitlines() if not l.startswith("output: ")]
    assert drop_out(summary) == drop_out(printed)
