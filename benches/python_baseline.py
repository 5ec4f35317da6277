#!/usr/bin/env python3
"""A Python converter written the way a researcher would, for a side-by-side
throughput figure against nianbao on the same generated corpus.

It does less than nianbao (no template recognition, no checks, no charset
sniffing beyond what lxml does): it only reads every file into paragraphs and
tables and writes one JSON line per file, with python-docx (DOCX), openpyxl
(XLSX), pandas.read_html over lxml (HTML) and plain text splitting (TXT), in
2 worker processes. So the ratio it gives is a floor of nianbao's advantage.

    pip install python-docx openpyxl pandas lxml
    cargo run --release --example gen_corpus -- --reports 1000 --out /tmp/c1k
    python3 benches/python_baseline.py /tmp/c1k /tmp/py-out.jsonl
    /usr/bin/time -v target/release/nianbao convert /tmp/c1k --out /tmp/nb-out --quiet

Prints files, seconds and files per second.
"""
import io
import json
import multiprocessing
import os
import sys
import time
import warnings


def read_docx(path):
    import docx

    d = docx.Document(path)
    paragraphs = [p.text for p in d.paragraphs if p.text.strip()]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    return paragraphs, tables


def read_xlsx(path):
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    tables = []
    for ws in wb.worksheets:
        tables.append([["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)])
    return [], tables


def read_html(path):
    import lxml.html
    import pandas as pd

    raw = open(path, "rb").read()
    tree = lxml.html.fromstring(raw)
    paragraphs = [t.strip() for t in tree.itertext() if t.strip()]
    try:
        frames = pd.read_html(io.BytesIO(raw))
    except ValueError:  # no tables
        frames = []
    tables = [f.astype(str).values.tolist() for f in frames]
    return paragraphs, tables


def read_txt(path):
    text = open(path, "rb").read().decode("utf-8", errors="replace")
    lines = [l for l in text.splitlines() if l.strip()]
    rows = [l.split("\t") for l in lines if "\t" in l]
    return [l for l in lines if "\t" not in l], [rows]


READERS = {".docx": read_docx, ".xlsx": read_xlsx, ".html": read_html, ".htm": read_html, ".txt": read_txt}


def convert(path):
    ext = os.path.splitext(path)[1].lower()
    reader = READERS.get(ext)
    if reader is None:
        return None
    try:
        paragraphs, tables = reader(path)
        return json.dumps({"source": path, "paragraphs": paragraphs, "tables": tables}, ensure_ascii=False)
    except Exception as e:  # a researcher's script keeps going
        return json.dumps({"source": path, "error": str(e)})


def main():
    root, out = sys.argv[1], sys.argv[2]
    paths = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if os.path.splitext(f)[1].lower() in READERS
    )
    warnings.filterwarnings("ignore")
    start = time.perf_counter()
    with multiprocessing.Pool(2) as pool, open(out, "w") as sink:
        n = 0
        for line in pool.imap(convert, paths, chunksize=8):
            if line is not None:
                sink.write(line + "\n")
                n += 1
    took = time.perf_counter() - start
    print(f"{n} files, {took:.1f} s, {n / took:.1f} files/s")


if __name__ == "__main__":
    main()
