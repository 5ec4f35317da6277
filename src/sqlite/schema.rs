//! The database's tables, indexes and views, and the template dimension
//! (`tables`, `table_rows`, `table_columns`) filled from `templates.rs`.
//!
//! Column names avoid SQL keywords (`table_key`, `row_key`, `column_key`,
//! never `table`/`row`/`column`) so every query works unquoted in SQLite,
//! DuckDB and Datasette. Values are declared `NUMERIC`: SQLite then stores
//! counts as INTEGER and amounts as REAL (so `max(value)` is 118, not '97'),
//! and DuckDB's SQLite scanner reads the column as DOUBLE.

use rusqlite::{params, Connection};

use crate::templates::{self, TableKey, TableSpec, TemplateSpec, ValueKind};

/// Bumped whenever a column's type or meaning changes. Version 1 is the
/// CSV/JSONL contract before the database existed (where `template` read
/// as a number from CSV); version 2 adds `nianbao.sqlite`, in which
/// `template` is TEXT everywhere and values, expected and actual are typed.
pub const SCHEMA_VERSION: i64 = 2;

/// Tables, created before the rows go in. Indexes come after the bulk
/// insert (building them once is cheaper than maintaining them per row).
pub(crate) const TABLES: &str = "
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    content TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE tables (
    table_key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    number_label TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    section_key TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE table_rows (
    template TEXT NOT NULL,
    table_key TEXT NOT NULL REFERENCES tables(table_key),
    row_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    group_key TEXT,
    group_label TEXT,
    column_keys TEXT NOT NULL,
    PRIMARY KEY (template, table_key, row_key)
) WITHOUT ROWID;

CREATE TABLE table_columns (
    template TEXT NOT NULL,
    table_key TEXT NOT NULL REFERENCES tables(table_key),
    column_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    value_kind TEXT NOT NULL,
    PRIMARY KEY (template, table_key, column_key)
) WITHOUT ROWID;

CREATE TABLE files (
    file_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    format TEXT,
    status TEXT NOT NULL CHECK (status IN ('converted', 'failed', 'skipped')),
    error_kind TEXT,
    reason TEXT,
    size_bytes INTEGER,
    content_hash TEXT
);

CREATE TABLE reports (
    report_id INTEGER PRIMARY KEY REFERENCES files(file_id),
    source TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    title TEXT,
    agency TEXT,
    agency_key TEXT,
    year INTEGER,
    template TEXT NOT NULL,
    admin_level TEXT NOT NULL,
    errors INTEGER NOT NULL,
    incomplete INTEGER NOT NULL,
    warnings INTEGER NOT NULL
);

CREATE TABLE sections (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    section_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (report_id, section_key)
) WITHOUT ROWID;

CREATE TABLE cells (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    table_key TEXT NOT NULL REFERENCES tables(table_key),
    row_key TEXT NOT NULL,
    column_key TEXT NOT NULL,
    value NUMERIC,
    raw TEXT NOT NULL,
    location TEXT NOT NULL,
    doc_table INTEGER,
    grid_row INTEGER,
    grid_col INTEGER,
    sheet TEXT,
    sheet_cell TEXT,
    PRIMARY KEY (report_id, table_key, row_key, column_key)
) WITHOUT ROWID;

CREATE TABLE checks (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    rule TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'not_assessable', 'blocked')),
    PRIMARY KEY (report_id, rule)
) WITHOUT ROWID;

CREATE TABLE findings (
    finding_id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    rule TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'incomplete', 'warning')),
    table_key TEXT REFERENCES tables(table_key),
    row_key TEXT,
    column_key TEXT,
    expected NUMERIC,
    actual NUMERIC,
    expected_text TEXT,
    actual_text TEXT,
    message TEXT NOT NULL,
    fingerprint TEXT NOT NULL
);

CREATE TABLE finding_cells (
    finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
    position INTEGER NOT NULL,
    row_key TEXT NOT NULL,
    column_key TEXT NOT NULL,
    value NUMERIC,
    raw TEXT NOT NULL,
    location TEXT NOT NULL,
    PRIMARY KEY (finding_id, position)
) WITHOUT ROWID;

CREATE TABLE diagnostics (
    report_id INTEGER NOT NULL REFERENCES reports(report_id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
) WITHOUT ROWID;
";

/// Indexes for the common filters: agency key, year, rule, table.
pub(crate) const INDEXES: &str = "
CREATE INDEX reports_agency_year ON reports (agency_key, year);
CREATE INDEX reports_year_level ON reports (year, admin_level);
CREATE INDEX cells_key ON cells (table_key, row_key, column_key);
CREATE INDEX findings_report ON findings (report_id);
CREATE INDEX findings_rule ON findings (rule, severity);
CREATE INDEX findings_table ON findings (table_key, severity);
CREATE INDEX findings_fingerprint ON findings (fingerprint);
CREATE INDEX files_status ON files (status, error_kind);
";

/// Views for the common questions. `requests_grid` is generated from the
/// template's column keys, so it follows `templates.rs`.
pub(crate) fn views() -> String {
    let mut sql = String::from(
        "
CREATE VIEW requests_by_year_level AS
SELECT r.year, r.admin_level,
       count(*) AS reports,
       sum(c.value) AS requests_received
FROM reports r
JOIN cells c ON c.report_id = r.report_id
WHERE c.table_key = 'requests' AND c.row_key = 'new' AND c.column_key = 'total'
GROUP BY r.year, r.admin_level;

CREATE VIEW requests_error_reports AS
SELECT r.report_id, r.source, r.agency, r.agency_key, r.year, r.admin_level,
       count(*) AS errors,
       group_concat(DISTINCT f.rule) AS rules
FROM reports r
JOIN findings f ON f.report_id = r.report_id
WHERE f.table_key = 'requests' AND f.severity = 'error'
GROUP BY r.report_id;

CREATE VIEW cell_facts AS
SELECT r.report_id, r.agency, r.agency_key, r.year, r.admin_level, r.template,
       c.table_key, t.number_label, c.row_key, tr.label AS row_label,
       c.column_key, tc.label AS column_label, c.value, c.raw, c.location
FROM cells c
JOIN reports r ON r.report_id = c.report_id
JOIN tables t ON t.table_key = c.table_key
LEFT JOIN table_rows tr
  ON tr.template = r.template AND tr.table_key = c.table_key AND tr.row_key = c.row_key
LEFT JOIN table_columns tc
  ON tc.template = r.template AND tc.table_key = c.table_key AND tc.column_key = c.column_key;
",
    );
    sql += &grid_view("requests_grid", TableKey::Requests);
    sql
}

/// One row per canonical row of `table`, one SQL column per column key:
/// the table as printed, for one report (`WHERE report_id = ?`).
fn grid_view(name: &str, table: TableKey) -> String {
    let mut columns: Vec<&str> = Vec::new();
    for spec in templates::all().iter().filter_map(|t| t.table(table)) {
        for c in spec.columns {
            if !columns.contains(&c.key.as_str()) {
                columns.push(c.key.as_str());
            }
        }
    }
    let pivots: Vec<String> = columns
        .iter()
        .map(|c| format!("       max(CASE WHEN c.column_key = '{c}' THEN c.value END) AS {c}"))
        .collect();
    format!(
        "
CREATE VIEW {name} AS
SELECT c.report_id, tr.position AS row_position, c.row_key, tr.label AS row_label,
{}
FROM cells c
JOIN reports r ON r.report_id = c.report_id
JOIN table_rows tr
  ON tr.template = r.template AND tr.table_key = c.table_key AND tr.row_key = c.row_key
WHERE c.table_key = '{}'
GROUP BY c.report_id, c.row_key;
",
        pivots.join(",\n"),
        table.as_str()
    )
}

/// Chinese numerals for section numbers (一 … 六): the template numbers its
/// sections this way, and table 二/三/四 is the table of section 二/三/四.
const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// Fills `tables`, `table_rows` and `table_columns` from the template data.
pub(crate) fn fill_dimensions(conn: &Connection) -> rusqlite::Result<()> {
    let mut table = conn.prepare(
        "INSERT INTO tables (table_key, position, number_label, name_zh, section_key)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for key in TableKey::ALL {
        let Some((position, (section, headings))) = templates::SECTIONS
            .iter()
            .enumerate()
            .find(|(_, (s, _))| *s == key.as_str())
        else {
            continue;
        };
        let number = NUMERALS.get(position).copied().unwrap_or("?");
        table.execute(params![
            key.as_str(),
            position as i64 + 1,
            format!("表{number}"),
            headings.first().copied().unwrap_or_default(),
            section,
        ])?;
    }
    for template in templates::all() {
        for spec in template.tables {
            fill_table(conn, template, spec)?;
        }
    }
    Ok(())
}

fn fill_table(
    conn: &Connection,
    template: &TemplateSpec,
    spec: &TableSpec,
) -> rusqlite::Result<()> {
    let mut row = conn.prepare_cached(
        "INSERT INTO table_rows
         (template, table_key, row_key, position, label, group_key, group_label, column_keys)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let id = template.id.as_str();
    let table = spec.key.as_str();
    for (i, r) in spec.rows.iter().enumerate() {
        // A dotted key names its group (`denied.state_secret`); `group` is
        // set only where the label alone is ambiguous.
        let group = r
            .group
            .or_else(|| r.key.split_once('.').map(|(g, _)| g))
            .and_then(|g| spec.groups.iter().find(|s| s.key == g));
        let group_label = group.and_then(|g| g.aliases.first().copied());
        row.execute(params![
            id,
            table,
            r.key,
            i as i64 + 1,
            r.aliases.first().copied().unwrap_or(r.key.as_str()),
            group.map(|g| g.key),
            group_label,
            r.columns
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ])?;
    }
    let mut column = conn.prepare_cached(
        "INSERT INTO table_columns (template, table_key, column_key, position, label, value_kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, c) in spec.columns.iter().enumerate() {
        let kind = match c.kind {
            ValueKind::Count => "count",
            ValueKind::SignedCount => "signed_count",
            ValueKind::Amount { .. } => "amount",
        };
        column.execute(params![
            id,
            table,
            c.key,
            i as i64 + 1,
            c.aliases.first().copied().unwrap_or(c.key.as_str()),
            kind
        ])?;
    }
    Ok(())
}
