//! The extension point for outputs other modules write next to ours
//! (cross-report series and coverage): each [`ExtraTable`] names a CSV file
//! in the output folder and the table it becomes.
//!
//! When the file exists, its header gives the columns (renamed where they
//! are SQL keywords: `table` -> `table_key`, `row` -> `row_key`, …) and each
//! column is typed from its values: INTEGER when every non-blank value is a
//! whole number, REAL when every one is a number, TEXT otherwise; blanks are
//! NULL. When it does not, the table is created empty with the columns a
//! dashboard can already rely on, so queries over it work before the rules
//! exist. Adding an output here is one entry, no new code.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::Connection;

use super::SqliteError;

pub(crate) struct ExtraTable {
    /// CSV file in the output folder.
    pub file: &'static str,
    /// Table name in the database.
    pub table: &'static str,
    /// Columns of the empty table when the file is absent.
    pub empty_columns: &'static str,
}

pub(crate) const EXTRA_TABLES: &[ExtraTable] = &[
    ExtraTable {
        file: "coverage.csv",
        table: "coverage",
        empty_columns: "agency_key TEXT, agency TEXT, admin_level TEXT, year INTEGER, \
                        status TEXT, source TEXT",
    },
    ExtraTable {
        file: "series.csv",
        table: "series",
        empty_columns: "agency_key TEXT, agency TEXT, year INTEGER, rule TEXT, \
                        severity TEXT, table_key TEXT, row_key TEXT, column_key TEXT, \
                        expected NUMERIC, actual NUMERIC, message TEXT",
    },
];

/// Identifiers that are keywords in SQLite or DuckDB and plausible as CSV
/// headers; `table`, `row` and `column` become `*_key` like ours.
const KEYWORDS: &[&str] = &[
    "all",
    "and",
    "as",
    "asc",
    "between",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current",
    "default",
    "delete",
    "desc",
    "distinct",
    "drop",
    "else",
    "end",
    "except",
    "exists",
    "filter",
    "from",
    "full",
    "group",
    "having",
    "in",
    "index",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "join",
    "key",
    "left",
    "like",
    "limit",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "or",
    "order",
    "outer",
    "over",
    "primary",
    "range",
    "references",
    "right",
    "row",
    "rows",
    "select",
    "set",
    "table",
    "then",
    "to",
    "union",
    "unique",
    "update",
    "using",
    "values",
    "when",
    "where",
    "window",
    "with",
];

/// A CSV header as a plain lower-case identifier that is not a keyword.
pub(crate) fn column_name(header: &str) -> String {
    let mut name: String = header
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "c_");
    }
    match name.as_str() {
        "table" | "row" | "column" => name + "_key",
        n if KEYWORDS.contains(&n) => name + "_",
        _ => name,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Integer,
    Real,
    Text,
}

fn kind_of(text: &str) -> Option<Kind> {
    if text.is_empty() {
        None
    } else if text.parse::<i64>().is_ok() {
        Some(Kind::Integer)
    } else if text.parse::<f64>().is_ok_and(f64::is_finite) {
        Some(Kind::Real)
    } else {
        Some(Kind::Text)
    }
}

fn typed(text: &str, kind: Kind) -> Value {
    match (kind_of(text), kind) {
        (None, _) => Value::Null,
        (Some(Kind::Integer), Kind::Integer) => text.parse().map_or(Value::Null, Value::Integer),
        (Some(_), Kind::Real) => text.parse().map_or(Value::Null, Value::Real),
        _ => Value::Text(text.to_string()),
    }
}

/// Creates every extra table, filled from its CSV when the file exists.
/// A CSV that cannot be read (not UTF-8, unreadable) leaves its table
/// empty and its reason in `meta` (`not_loaded.<table>`): the database of
/// a finished run is never lost over a companion file.
pub(crate) fn load(conn: &Connection, dir: &Path) -> Result<(), SqliteError> {
    for extra in EXTRA_TABLES {
        let path = dir.join(extra.file);
        let empty = format!("CREATE TABLE {} ({});", extra.table, extra.empty_columns);
        if !path.is_file() {
            conn.execute_batch(&empty)?;
            continue;
        }
        match import_csv(conn, &path, extra.table) {
            Ok(()) => {}
            Err(SqliteError::Csv { path, source }) => {
                conn.execute_batch(&format!("DROP TABLE IF EXISTS {};", extra.table))?;
                conn.execute_batch(&empty)?;
                conn.execute(
                    "INSERT INTO meta (name, content) VALUES (?1, ?2)",
                    [
                        format!("not_loaded.{}", extra.table),
                        format!("{}: {source}", path.display()),
                    ],
                )?;
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

/// Column names from a header: plain identifiers, made unique (`year`,
/// `year_2`) so a repeated header cannot break `CREATE TABLE`.
fn column_names(headers: &csv::StringRecord) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for header in headers {
        let base = column_name(header);
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        names.push(name);
    }
    names
}

fn import_csv(conn: &Connection, path: &Path, table: &str) -> Result<(), SqliteError> {
    let csv_err = |source| SqliteError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let open = || {
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(csv_err)
    };
    let mut reader = open()?;
    let names = column_names(reader.headers().map_err(csv_err)?);
    // Pass 1: the widest kind each column's values need.
    let mut kinds: Vec<Option<Kind>> = vec![None; names.len()];
    for record in reader.records() {
        for (slot, field) in kinds.iter_mut().zip(record.map_err(csv_err)?.iter()) {
            *slot = (*slot).max(kind_of(field));
        }
    }
    let kinds: Vec<Kind> = kinds.into_iter().map(|k| k.unwrap_or(Kind::Text)).collect();
    let columns: Vec<String> = names
        .iter()
        .zip(&kinds)
        .map(|(n, k)| {
            let sql = match k {
                Kind::Integer => "INTEGER",
                Kind::Real => "REAL",
                Kind::Text => "TEXT",
            };
            format!("\"{n}\" {sql}")
        })
        .collect();
    conn.execute_batch(&format!("CREATE TABLE {table} ({});", columns.join(", ")))?;
    // Pass 2: typed rows.
    let placeholders = vec!["?"; names.len()].join(", ");
    let mut insert = conn.prepare(&format!("INSERT INTO {table} VALUES ({placeholders})"))?;
    for record in open()?.records() {
        let record = record.map_err(csv_err)?;
        let values = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| typed(record.get(i).unwrap_or(""), *k));
        insert.execute(rusqlite::params_from_iter(values))?;
    }
    for key in ["agency_key", "year", "rule", "table_key"] {
        if names.iter().any(|n| n == key) {
            conn.execute_batch(&format!("CREATE INDEX {table}_{key} ON {table} ({key});"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_become_plain_identifiers() {
        assert_eq!(column_name("table"), "table_key");
        assert_eq!(column_name("Row"), "row_key");
        assert_eq!(column_name("order"), "order_");
        assert_eq!(column_name("agency key"), "agency_key");
        assert_eq!(column_name("2023"), "c_2023");
        assert_eq!(column_name("year"), "year");
    }

    #[test]
    fn csv_columns_are_typed_from_their_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("coverage.csv"),
            "agency_key,year,table,share,note\n广阳镇,2022,requests,0.5,\n白沙镇,2023,,1,late\n",
        )
        .unwrap();
        let conn = Connection::open_in_memory().unwrap();
        load(&conn, dir.path()).unwrap();
        let types: Vec<(String, String)> = conn
            .prepare("SELECT name, type FROM pragma_table_info('coverage') ORDER BY cid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expect = [
            ("agency_key", "TEXT"),
            ("year", "INTEGER"),
            ("table_key", "TEXT"),
            ("share", "REAL"),
            ("note", "TEXT"),
        ];
        assert_eq!(
            types,
            expect.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
        );
        let (max_year, blank): (i64, Option<String>) = conn
            .query_row(
                "SELECT max(year), (SELECT table_key FROM coverage WHERE year = 2023) FROM coverage",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((max_year, blank), (2023, None));
        // series.csv is absent: the table exists, empty, with its columns.
        let n: i64 = conn
            .query_row("SELECT count(*) FROM series WHERE year > 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn a_broken_csv_leaves_an_empty_table_and_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        // Repeated and keyword headers, a short row, then bytes not UTF-8.
        let mut bytes = b"year,year,order\n2022,1\n2023,2,x\n".to_vec();
        bytes.extend_from_slice(b"\xff\xfe,3,y\n");
        std::fs::write(dir.path().join("series.csv"), bytes).unwrap();
        std::fs::write(
            dir.path().join("coverage.csv"),
            "year,year,order\n2022,1\n2023,2,x\n",
        )
        .unwrap();
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::sqlite::schema::TABLES).unwrap();
        load(&conn, dir.path()).unwrap();
        let reason: String = conn
            .query_row(
                "SELECT content FROM meta WHERE name = 'not_loaded.series'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(reason.contains("series.csv"), "{reason}");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM series", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        let got: Vec<(i64, i64, Option<String>)> = conn
            .prepare("SELECT year, year_2, order_ FROM coverage ORDER BY year")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got, vec![(2022, 1, None), (2023, 2, Some("x".into()))]);
    }
}
