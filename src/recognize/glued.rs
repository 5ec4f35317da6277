//! Rows whose values arrive glued into one cell (scraped page texts): the
//! cells they become, and their reading once the whole table is known.
//!
//! While a table is mapped, a glued row whose split is pinned without
//! arithmetic (as many characters or space-separated tokens as values) is
//! read at once and is certain. Any other glued row gets null cells holding
//! the glued text ([`Reading::Unresolved`]) and waits: when every source
//! table of the kind has been mapped, [`resolve`] reads what the template's
//! arithmetic pins ([`super::segment`]) and marks it
//! [`Reading::GluedDigits`]. Table 二 has no identity binding its values,
//! so its glued rows are read only when pinned. Every table with glued rows
//! gets one `glued_digits` diagnostic saying what was split and what was
//! left unread.

use super::segment::{self, Candidates, Identity, RowState, Run, Val, Work};
use crate::codes::DiagnosticCode;
use crate::document::SourceLocation;
use crate::report::{Cell, Diagnostic, Reading, Row};
use crate::templates::rules::Shape;
use crate::templates::{ColumnKey, RowKey, TableKey, TableSpec};
use crate::values::{parse_cell, CellText, Number};

/// A row left unresolved while its table is mapped.
#[derive(Debug)]
pub struct Glued {
    /// The canonical row, or `None` for table 四's single run of 15 values
    /// (written `*` in the diagnostic).
    pub key: Option<RowKey>,
    pub run: Run,
}

impl Glued {
    fn name(&self) -> &'static str {
        self.key.map_or("*", RowKey::as_str)
    }
}

/// A glued row read: its cells by column, and the run left to split by
/// the table's arithmetic when the digits alone do not settle it.
pub type GluedRow = (Vec<(ColumnKey, Cell)>, Option<Run>);

/// The cells of a row whose values sit in one cell of text `text`, when
/// that text is a glued run of at least as many values as `columns`:
/// pinned cells (certain), or null cells holding the text and the run to
/// resolve later.
pub fn row_cells(columns: &[ColumnKey], text: &str, location: &SourceLocation) -> Option<GluedRow> {
    let run = Run::parse(text)?;
    let want = columns.len();
    let tokens = run.tokens();
    if tokens.len() == want {
        // The separators survived: each token is a cell.
        let cells = columns
            .iter()
            .zip(tokens)
            .map(|(k, t)| (*k, certain(t, location)))
            .collect();
        return Some((cells, None));
    }
    if run.len() < want {
        return None;
    }
    if let Some(values) = run.pinned(want) {
        let raws = tokens.concat();
        let cells = columns
            .iter()
            .zip(values)
            .zip(raws.chars())
            .map(|((k, v), ch)| {
                let mut cell = certain(&ch.to_string(), location);
                cell.value = v.map(to_number);
                (*k, cell)
            })
            .collect();
        return Some((cells, None));
    }
    let cells = columns
        .iter()
        .map(|k| {
            (
                *k,
                Cell {
                    value: None,
                    raw: text.trim().to_string(),
                    location: location.clone(),
                    reading: Reading::Unresolved,
                },
            )
        })
        .collect();
    Some((cells, Some(run)))
}

fn certain(raw: &str, location: &SourceLocation) -> Cell {
    let value = match parse_cell(raw) {
        CellText::Number { value, .. } => Some(value),
        _ => None,
    };
    Cell {
        value,
        raw: raw.to_string(),
        location: location.clone(),
        reading: Reading::Certain,
    }
}

fn to_number(v: u64) -> Number {
    Number::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

/// Reads the glued rows of a finished table (see the module docs).
pub fn resolve(
    spec: &TableSpec,
    rows: &mut [Row],
    glued: &[Glued],
    diagnostics: &mut Vec<Diagnostic>,
) {
    if glued.is_empty() {
        return;
    }
    let mut work = Work::default();
    let mut read: Vec<RowKey> = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    match spec.key {
        TableKey::Requests => {
            resolve_requests(spec, rows, glued, &mut work, &mut read, &mut unread)
        }
        TableKey::ReviewLitigation => {
            for g in glued {
                let groups = vec![spec.columns.len(); spec.rows.len()];
                match segment::candidates(&g.run, &groups, true, &mut work) {
                    Candidates::List(c) if c.len() == 1 => {
                        for (i, row_spec) in spec.rows.iter().enumerate() {
                            let width = spec.columns.len();
                            set_row(rows, row_spec.key, &c[0][i * width..(i + 1) * width]);
                            read.push(row_spec.key);
                        }
                    }
                    other => unread.push(format!("all 15 values ({})", why(&other))),
                }
            }
        }
        TableKey::ActiveDisclosure => {
            for g in glued {
                unread.push(format!(
                    "{} (no identity binds this row's values; several splits are possible)",
                    g.name()
                ));
            }
        }
    }
    let raw: Vec<String> = glued
        .iter()
        .map(|g| format!("{}: {}", g.name(), g.run.tokens().concat()))
        .collect();
    let mut message = format!(
        "{}: values glued together in the source ({})",
        spec.key.as_str(),
        raw.join("; ")
    );
    if !read.is_empty() {
        message.push_str(&format!(
            "; split by the template's arithmetic, marked inferred: {}",
            read.iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !unread.is_empty() {
        message.push_str(&format!(
            "; left null with their raw text: {}",
            unread.join(", ")
        ));
    }
    diagnostics.push(Diagnostic::new(DiagnosticCode::GluedDigits, message));
}

fn why(c: &Candidates) -> &'static str {
    match c {
        Candidates::TooMany => "too many possible splits",
        Candidates::List(l) if l.is_empty() => "no split satisfies the row's total",
        Candidates::List(_) => "several splits satisfy the identities",
    }
}

/// Table 三: row candidates first, then the column identities jointly.
fn resolve_requests(
    spec: &TableSpec,
    rows: &mut [Row],
    glued: &[Glued],
    work: &mut Work,
    read: &mut Vec<RowKey>,
    unread: &mut Vec<String>,
) {
    // Another format's rows the table prints (the one-row 其他处理) join
    // the search; the template rows they stand for are not printed.
    let extra: Vec<RowKey> = spec
        .extra_rows
        .iter()
        .map(|r| r.key)
        .filter(|k| rows.iter().any(|r| r.key == *k))
        .collect();
    let mut keys: Vec<RowKey> = spec.rows.iter().map(|r| r.key).collect();
    keys.extend(&extra);
    let width = spec.columns.len();
    let summed = spec
        .rules
        .iter()
        .any(|r| matches!(r.shape, Shape::RowSum { .. }));
    let mut states = Vec::with_capacity(keys.len());
    let mut reasons: Vec<Option<&'static str>> = vec![None; keys.len()];
    for (i, key) in keys.iter().enumerate() {
        let state = match glued.iter().find(|g| g.key == Some(*key)) {
            Some(g) => match segment::candidates(&g.run, &[width], summed, work) {
                Candidates::List(c) if c.len() == 1 => {
                    RowState::Known(c.into_iter().next().expect("one"))
                }
                Candidates::List(c) if c.len() > 1 => RowState::Open(c),
                other => {
                    reasons[i] = Some(why(&other));
                    RowState::Unknown
                }
            },
            None => known(rows.iter().find(|r| r.key == *key), spec),
        };
        states.push(state);
    }
    let identities = column_identities(spec, &keys, &extra);
    let chosen = segment::solve_requests(&states, &identities, work);
    for (i, key) in keys.iter().enumerate() {
        if !glued.iter().any(|g| g.key == Some(*key)) {
            continue;
        }
        let values = match (&states[i], chosen[i]) {
            (RowState::Known(v), _) => Some(v.clone()),
            (RowState::Open(c), Some(pick)) => Some(c[pick].clone()),
            (RowState::Open(_), None) => {
                reasons[i] = Some("several splits satisfy the identities, or none does");
                None
            }
            (RowState::Unknown, _) => None,
        };
        match values {
            Some(v) => {
                set_row(rows, *key, &v);
                read.push(*key);
            }
            None => unread.push(format!("{key} ({})", reasons[i].unwrap_or("unreadable"))),
        }
    }
}

/// The table's column rules (`ColumnSum`, `Balance`) as identities per
/// column over the row indexes of `keys`; none when a row they need is
/// not among `keys`.
fn column_identities(spec: &TableSpec, keys: &[RowKey], extra: &[RowKey]) -> Vec<Identity> {
    let index = |k: &RowKey| keys.iter().position(|x| x == k);
    let mut per_column: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for rule in spec.rules {
        let sides = match &rule.shape {
            Shape::RowSum { .. } => continue,
            Shape::ColumnSum { total, first } => {
                let start = keys.iter().position(|k| k == first).unwrap_or(0);
                let end = index(total).unwrap_or(keys.len());
                let replaced = |k: &RowKey| {
                    extra.iter().any(|e| {
                        k.as_str()
                            .strip_prefix(e.as_str())
                            .is_some_and(|r| r.starts_with('.'))
                    })
                };
                let mut parts: Vec<usize> = (start..end).filter(|&i| !replaced(&keys[i])).collect();
                parts.extend(extra.iter().filter_map(index));
                index(total).map(|t| (vec![t], parts))
            }
            Shape::Balance { left, right, .. } => {
                let plus: Option<Vec<usize>> = right.iter().map(index).collect();
                let minus: Option<Vec<usize>> = left.iter().map(index).collect();
                plus.zip(minus)
            }
        };
        match sides {
            Some(sides) => per_column.push(sides),
            None => return Vec::new(),
        }
    }
    (0..spec.columns.len())
        .flat_map(|column| {
            per_column.iter().map(move |(plus, minus)| Identity {
                column,
                plus: plus.clone(),
                minus: minus.clone(),
            })
        })
        .collect()
}

/// A mapped row's values for the joint search: `Unknown` when absent or
/// when a cell is not a whole number ≥ 0 (its identities cannot choose).
fn known(row: Option<&Row>, spec: &TableSpec) -> RowState {
    let Some(row) = row else {
        return RowState::Unknown;
    };
    let mut values: Vec<Val> = Vec::with_capacity(spec.columns.len());
    for column in spec.columns {
        let Some(cell) = row.cell(column.key.as_str()) else {
            return RowState::Unknown;
        };
        match (cell.value, cell.reading) {
            (_, Reading::Unresolved) => return RowState::Unknown,
            (Some(Number::Int(i)), _) if i >= 0 => values.push(Some(i as u64)),
            (None, _)
                if matches!(
                    parse_cell(&cell.raw),
                    CellText::Blank | CellText::Placeholder
                ) =>
            {
                values.push(None)
            }
            _ => return RowState::Unknown,
        }
    }
    RowState::Known(values)
}

/// Writes a reading into the row's null cells, marked inferred.
fn set_row(rows: &mut [Row], key: RowKey, values: &[Val]) {
    let Some(row) = rows.iter_mut().find(|r| r.key == key) else {
        return;
    };
    for ((_, cell), v) in row.cells.iter_mut().zip(values) {
        if cell.reading == Reading::Unresolved {
            cell.value = v.map(to_number);
            cell.reading = Reading::GluedDigits;
        }
    }
}
