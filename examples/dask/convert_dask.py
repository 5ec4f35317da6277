"""Convert an archive of annual reports on a Dask cluster, two ways.

1. Through the Python package (`--mode package`): a `dask.bag` over the
   file paths, each converted by `nianbao.convert_file` on a worker (the GIL
   is released while converting), written to Parquet by Dask's own writer
   (`OUT/reports.parquet`), one row per input file in the CLI's order:

       order, source, status, format, reason, kind, agency, year, template,
       errors, incomplete, warnings, report

   `report` is the report as JSON text (nested tables do not fit one
   Parquet schema across templates); `status`/`reason`/`kind` are what the
   CLI's files.csv says. Then the archive stage (the cross-report rules)
   runs once over all converted reports, streamed back from the Parquet
   files in order, by `nianbao.archive_checks`: its members per report go to
   `OUT/archive.parquet` (source, agency_key, duplicate_of, archive_checks,
   archive_findings; JSON text for the last two) and `OUT/coverage.csv`.
   `json.loads(report) | members` is the CLI's reports.jsonl line. Archives
   (.zip, .tar.gz) are listed as skipped: the CLI path reads them in place.

2. Through sharded CLI tasks (`--mode cli`): N Dask tasks each run
   `nianbao convert PATHS --out PARTS/i --shard i/N`, then
   `nianbao merge PARTS/* --out OUT` writes the files one run writes, byte
   for byte, running the archive-wide checks over all of them.

Usage (a running scheduler, or a local cluster when --scheduler is absent):

    python examples/dask/convert_dask.py --mode package --out OUT DIR...
    python examples/dask/convert_dask.py --mode cli --shards 8 --out OUT DIR...

Workers need the package (`pip install .` in the repository) or the CLI
binary (`--nianbao PATH`, default `nianbao` on PATH) and the input paths
(shared storage: every worker must see the same paths).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")
# A folder holding one of these is a nianbao output folder: never an input.
OUTPUT_MARKERS = (".nianbao-journal.jsonl", ".nianbao-lock")
COLUMNS = {
    "order": "int64",
    "source": "str",
    "status": "str",
    "format": "str",
    "reason": "str",
    "kind": "str",
    "agency": "str",
    "year": "Int64",
    "template": "str",
    "errors": "int64",
    "incomplete": "int64",
    "warnings": "int64",
    "report": "str",
}
ARCHIVE_COLUMNS = ["source", "agency_key", "duplicate_of", "archive_checks", "archive_findings"]


def list_files(paths):
    """Files under `paths` in the CLI's order (names sorted, depth first;
    hidden folders and nianbao output folders left out, as the CLI does)."""
    for path in map(str, paths):
        if not os.path.isdir(path):
            yield path
            continue
        names = os.listdir(path)
        if any(m in names for m in OUTPUT_MARKERS):
            continue
        for name in sorted(names):
            child = os.path.join(path, name)
            if name.startswith(".") and os.path.isdir(child):
                continue
            yield from list_files([child])


def convert_one(item):
    """One input file as one Parquet row (runs on a worker)."""
    import nianbao

    order, source = item
    row = dict.fromkeys(COLUMNS, "")
    row.update(order=order, source=source, year=None, errors=0, incomplete=0, warnings=0)
    skipped = nianbao.skip_reason(source)
    if skipped is None and source.lower().endswith(ARCHIVES):
        skipped = "archive: convert archives with --mode cli (read in place there)"
    if skipped is not None:
        return {**row, "status": "skipped", "reason": skipped}
    try:
        report = nianbao.convert_file(source)
    except nianbao.SkippedFileError as e:
        return {**row, "status": "skipped", "reason": str(e)}
    except nianbao.NianbaoError as e:
        return {**row, "status": "failed", "reason": str(e), "kind": e.kind}
    except OSError as e:
        return {**row, "status": "failed", "reason": f"cannot be read: {e}", "kind": "unreadable"}
    severities = [f["severity"] for f in report["findings"]]
    return {
        **row,
        "status": "converted",
        "format": report["format"],
        "agency": report.get("agency") or "",
        "year": report.get("year"),
        "template": str(report["template"]),
        "errors": severities.count("error"),
        "incomplete": severities.count("incomplete"),
        "warnings": severities.count("warning"),
        "report": json.dumps(report, ensure_ascii=False),
    }


def converted_reports(parquet):
    """(source, report JSON) of the converted rows, in the CLI's order,
    streamed one record batch at a time (Dask wrote the bag's partitions,
    in order, as part.0.parquet, part.1.parquet, ...)."""
    import pyarrow.parquet as pq

    parts = sorted(Path(parquet).glob("part.*.parquet"), key=lambda p: int(p.name.split(".")[1]))
    for part in parts:
        for batch in pq.ParquetFile(part).iter_batches(columns=["source", "status", "report"]):
            for source, status, report in zip(*(c.to_pylist() for c in batch.columns)):
                if status == "converted":
                    yield source, report


def archive_stage(out, aliases=None):
    """The cross-report rules over every converted report, after the
    conversion: OUT/archive.parquet and OUT/coverage.csv."""
    import nianbao
    import pandas as pd

    sources = []

    def lines():
        for source, report in converted_reports(out / "reports.parquet"):
            sources.append(source)
            yield report

    members = nianbao.archive_checks(lines(), aliases=aliases, coverage=str(out / "coverage.csv"))
    rows = [
        {"source": s, "agency_key": m["agency_key"], "duplicate_of": m["duplicate_of"],
         "archive_checks": json.dumps(m["archive_checks"], ensure_ascii=False),
         "archive_findings": json.dumps(m["archive_findings"], ensure_ascii=False)}
        for s, m in zip(sources, members) if m is not None
    ]
    pd.DataFrame(rows, columns=ARCHIVE_COLUMNS).to_parquet(out / "archive.parquet", index=False)
    return len(rows)


def convert_with_package(paths, out, npartitions=None, client=None, timeout=None):
    """Mode 1: dask.bag over paths -> OUT/reports.parquet, then the archive
    stage. Returns the number of input files.

    With `client` and `timeout` (seconds), a cluster that stalls raises
    instead of waiting forever."""
    import dask.bag as db
    import pandas as pd

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = list(enumerate(list_files(paths)))
    if not files:
        raise SystemExit("no input files")
    npartitions = npartitions or max(1, min(len(files) // 50, 1000))
    meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})
    bag = db.from_sequence(files, npartitions=npartitions).map(convert_one)
    write = bag.to_dataframe(meta=meta).to_parquet(
        out / "reports.parquet", write_index=False, compute=False)
    if client is None:
        write.compute()
    else:
        client.compute(write).result(timeout=timeout)
    archive_stage(out)
    return len(files)


def run_shard(index, count, paths, parts, binary):
    """One CLI task: shard index/count of the inputs into parts/index."""
    out = os.path.join(parts, f"part-{index:05}")
    cmd = [binary, "convert", *map(str, paths), "--out", out, "--overwrite",
           "--shard", f"{index}/{count}", "--quiet", "--jobs", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):  # 1: some files failed, listed in files.csv
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr}")
    return out


def convert_with_cli(client, paths, out, shards, binary="nianbao", parts=None, timeout=None):
    """Mode 2: `shards` sharded CLI tasks on the cluster, merged into `out`.
    Returns the merge's summary."""
    parts = parts or f"{out}.parts"
    os.makedirs(parts, exist_ok=True)
    futures = [client.submit(run_shard, i, shards, paths, parts, binary, pure=False)
               for i in range(shards)]
    done = [f.result(timeout=timeout) for f in futures]
    merge = subprocess.run([binary, "merge", *done, "--out", str(out), "--overwrite"],
                           capture_output=True, text=True)
    if merge.returncode not in (0, 1):
        raise RuntimeError(f"nianbao merge exited {merge.returncode}: {merge.stderr}")
    return merge.stderr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=["package", "cli"], default="package")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--workers", type=int, default=2, help="local cluster size")
    parser.add_argument("--shards", type=int, default=None, help="CLI tasks (default: 4 per worker)")
    parser.add_argument("--nianbao", default=os.environ.get("NIANBAO_BIN", "nianbao"))
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(processes=True, n_workers=args.workers, threads_per_worker=1)
        client = Client(cluster)
    with client:
        if args.mode == "package":
            n = convert_with_package(args.paths, args.out, client=client)
            print(f"{n} files -> {args.out}/reports.parquet, archive.parquet, coverage.csv",
                  file=sys.stderr)
        else:
            workers = len(client.scheduler_info()["workers"])
            shards = args.shards or 4 * max(1, workers)
            print(convert_with_cli(client, args.paths, Path(args.out), shards,
                                   args.nianbao), end="", file=sys.stderr)


if __name__ == "__main__":
    main()
