"""Runs the README's database recipes and prints their answers as JSON.

Usage: python3 sqlite_recipes.py README.md   (in the folder holding out/)

The SQL block of the README's database section is run through pandas over
out/nianbao.sqlite, then the section's DuckDB block is executed as written
(views over out/*.csv and out/reports.jsonl) and the questions are run on
it. Numbers are printed as floats so that DuckDB's DOUBLE, pandas' int64
and SQLite's INTEGER compare by value; NULL/NaN become null.
"""

import json
import math
import sqlite3
import sys

import duckdb
import pandas as pd


def section(readme):
    return readme.split("## The database: `nianbao.sqlite`")[1].split("\n## ")[0]


def block(text, lang):
    return text.split("```" + lang + "\n")[1].split("```")[0]


def plain(v):
    if v is None:
        return None
    if isinstance(v, (int, float)) or hasattr(v, "item"):
        v = float(v)
        return None if math.isnan(v) else v
    return str(v)


def main():
    text = section(open(sys.argv[1], encoding="utf-8").read())
    queries = [q.strip() for q in block(text, "sql").split(";") if q.strip()]
    con = sqlite3.connect("out/nianbao.sqlite")
    answers = {"pandas": [], "duckdb": []}
    for q in queries:
        df = pd.read_sql_query(q, con)
        rows = df.astype(object).where(df.notna(), None).values.tolist()
        answers["pandas"].append([[plain(v) for v in r] for r in rows])
    scope = {}
    exec(block(text, "python"), scope)
    duck = scope["con"]
    for q in queries:
        answers["duckdb"].append([[plain(v) for v in r] for r in duck.sql(q).fetchall()])
    json.dump(answers, sys.stdout, ensure_ascii=False)


main()
