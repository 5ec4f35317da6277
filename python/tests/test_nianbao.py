"""The Python package against the CLI: same reports, same failures."""

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import nianbao
from conftest import ARCHIVE_MEMBERS, nianbao_cli, without_archive

KINDS = {
    "empty", "legacy_format", "encrypted", "unsupported", "corrupt",
    "over_limit", "reader_panic", "unreadable", "no_text_layer",
}


def converted(files):
    return [r["source"] for r in files if r["status"] == "converted"]


def test_every_sample_equals_the_cli_line(cli_samples, at_root):
    reports, files = cli_samples
    sources = converted(files)
    assert len(sources) >= 40 and set(sources) == set(reports)
    for source in sources:
        expected = without_archive(reports[source])
        assert nianbao.convert_file(source) == expected, source
        with open(source, "rb") as f:
            data = f.read()
        assert nianbao.convert_bytes(data, source) == expected, source


def test_archive_checks_complete_the_cli_lines(cli_samples, cli_run, at_root, tmp_path):
    reports, files = cli_samples
    sources = converted(files)
    own = [nianbao.convert_file(s) for s in sources]
    coverage = tmp_path / "coverage.csv"
    members = nianbao.archive_checks(own, coverage=str(coverage))
    assert len(members) == len(own)
    for source, report, extra in zip(sources, own, members):
        assert set(extra) == ARCHIVE_MEMBERS, source
        assert report | extra == reports[source], source
    found = sum(len(m["archive_findings"]) for m in members)
    assert found > 0, "the samples hold cross-report findings"
    assert coverage.read_bytes() == (cli_run / "coverage.csv").read_bytes()
    # JSON text is accepted as well as dicts.
    assert nianbao.archive_checks([json.dumps(r) for r in own]) == members


def test_facts_are_the_compact_view_of_a_report(cli_samples, at_root):
    reports, files = cli_samples
    report = reports[converted(files)[0]]
    facts = nianbao.facts(report)
    assert facts["source"] == report["source"] and facts["year"] == report["year"]
    cells = {(c["table"], c["row"], c["column"]): c["value"] for c in facts["cells"]}
    for table, rows in report["tables"].items():
        for row, columns in (rows or {}).items():
            for column, cell in columns.items():
                assert cells[(table, row, column)] == cell["value"]
    assert set(facts) == {"source", "format", "agency", "year", "template", "admin_level",
                          "cells", "text_chars", "sketches", "stale"}
    assert facts["text_chars"] > 0 and facts["sketches"]
    with pytest.raises(ValueError):
        nianbao.facts({"not": "a report"})


def test_failed_and_skipped_samples_raise_the_cli_reason(cli_samples, at_root):
    _, files = cli_samples
    failed = [r for r in files if r["status"] == "failed"]
    skipped = [r for r in files if r["status"] == "skipped"]
    assert len(failed) >= 8 and len(skipped) >= 10
    for row in failed:
        with pytest.raises(nianbao.NianbaoError) as caught:
            nianbao.convert_file(row["source"])
        assert str(caught.value) == row["reason"], row["source"]
        assert caught.value.kind == row["error"] and caught.value.kind in KINDS
    for row in skipped:
        with pytest.raises(nianbao.SkippedFileError) as caught:
            nianbao.convert_file(row["source"])
        assert str(caught.value) == row["reason"], row["source"]
        assert caught.value.kind == "skipped"


@pytest.mark.parametrize(
    "sample, error, kind",
    [
        ("samples/docx/encrypted.docx", nianbao.EncryptedFileError, "encrypted"),
        ("samples/html/broken.html", nianbao.UnsupportedFormatError, "unsupported"),
        ("samples/docx/corrupt-truncated.docx", nianbao.CorruptFileError, "corrupt"),
        ("samples/xlsx/corrupt.xlsx", nianbao.CorruptFileError, "corrupt"),
        ("samples/docx/corrupt-zipbomb.docx", nianbao.LimitExceededError, "over_limit"),
        ("samples/pdf/scanned.pdf", nianbao.NoTextLayerError, "no_text_layer"),
    ],
)
def test_bad_files_raise_their_kind(at_root, sample, error, kind):
    with pytest.raises(error) as caught:
        nianbao.convert_file(sample)
    assert caught.value.kind == kind
    with open(sample, "rb") as f:
        with pytest.raises(error):
            nianbao.convert_bytes(f.read(), sample)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(nianbao.EmptyFileError) as caught:
        nianbao.convert_bytes(b"", "empty.txt")
    assert caught.value.kind == "empty" and str(caught.value) == "empty file"
    with pytest.raises(FileNotFoundError):
        nianbao.convert_file("no/such/report.docx")
    with pytest.raises(nianbao.UnreadableFileError) as caught:
        nianbao.convert_file(tmp_path)
    assert caught.value.kind == "unreadable"
    with pytest.raises(TypeError):
        nianbao.convert_bytes("text, not bytes", "x.txt")
    assert nianbao.skip_reason("logo.png") == "not a report format (.png)"
    assert nianbao.skip_reason("report.docx") is None


def test_schema_is_the_cli_schema():
    printed = nianbao_cli("schema")
    assert nianbao.schema() == json.loads(printed.stdout)
    assert nianbao.schema()["$schema"].endswith("2020-12/schema")


def test_threads_convert_in_parallel_with_the_gil_released(at_root):
    """While one thread is inside convert_bytes, another runs Python code.

    With a switch interval of 100 s the converting thread is never
    preempted, so the main thread can see `inside` set before `done` only
    if the conversion itself released the GIL.
    """
    with open("samples/html/xx-town-2022-gbk.html", "rb") as f:
        data = f.read()
    state = {"inside": False, "done": False}

    def work():
        state["inside"] = True
        for _ in range(10):
            nianbao.convert_bytes(data, "town.html")
        state["done"] = True

    seen_inside = 0
    old = sys.getswitchinterval()
    sys.setswitchinterval(100)
    try:
        t = threading.Thread(target=work)
        t.start()
        while not state["done"]:
            if state["inside"]:
                seen_inside += 1
            threading.Event().wait(0.0005)  # sleeps with the GIL released
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert seen_inside > 0


def test_a_thread_pool_gives_the_sequential_results(cli_samples, at_root):
    reports, files = cli_samples
    sources = converted(files)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(nianbao.convert_file, sources))
    assert results == [without_archive(reports[s]) for s in sources]
