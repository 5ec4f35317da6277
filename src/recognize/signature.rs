//! Table classification's cheap signature: which of a template's labels a
//! table contains, found in one pass.
//!
//! Classification asks, for every table of a document and every table of
//! every template, which row aliases, header markers and column aliases
//! occur in the table's distinct cell texts. Asked one `str::contains` at a
//! time that is (aliases × cells × 6 specs) substring searches per table,
//! the largest single cost of recognition. Here every label of every
//! template is one Aho-Corasick automaton, built once; each distinct cell
//! text is scanned once, and the counts come out of bit sets. The counts are
//! exactly those of the substring searches (overlapping matches, so a label
//! inside another label still counts).

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::templates::{self, Layout, TableSpec};

/// What a label of the automaton stands for.
#[derive(Clone, Copy)]
enum Label {
    Row { spec: usize, row: usize },
    Marker { spec: usize, marker: usize },
    Column { spec: usize, column: usize },
}

struct Labels {
    automaton: AhoCorasick,
    labels: Vec<Label>,
    /// Every template table, in `templates::all()` order.
    specs: Vec<&'static TableSpec>,
}

fn labels() -> &'static Labels {
    static LABELS: OnceLock<Labels> = OnceLock::new();
    LABELS.get_or_init(|| {
        let specs: Vec<&'static TableSpec> = templates::all()
            .iter()
            .flat_map(|t| t.tables.iter())
            .collect();
        let mut patterns: Vec<&'static str> = Vec::new();
        let mut labels = Vec::new();
        for (s, spec) in specs.iter().enumerate() {
            for (r, row) in spec.rows.iter().enumerate() {
                for alias in row.aliases {
                    patterns.push(alias);
                    labels.push(Label::Row { spec: s, row: r });
                }
            }
            for (m, marker) in spec.header_markers.iter().enumerate() {
                patterns.push(marker);
                labels.push(Label::Marker { spec: s, marker: m });
            }
            for (c, column) in spec.columns.iter().enumerate() {
                for alias in column.aliases {
                    patterns.push(alias);
                    labels.push(Label::Column { spec: s, column: c });
                }
            }
        }
        let automaton = AhoCorasick::new(&patterns).expect("template labels build an automaton");
        Labels {
            automaton,
            labels,
            specs,
        }
    })
}

/// The labels of one template table found in a source table.
#[derive(Default, Clone)]
struct Found {
    rows: Vec<bool>,
    markers: Vec<bool>,
    columns: Vec<bool>,
}

/// How strongly a table with these distinct cell texts looks like each
/// template table: distinct canonical rows whose label appears (rows scoped
/// by a group label are too generic to count), plus header markers found;
/// table 四 counts only with three of its column labels, since its groups
/// also appear in narrative-like tables. In `templates::all()` order, each
/// with its spec.
pub(crate) fn kind_scores<'c>(
    cells: impl IntoIterator<Item = &'c str>,
) -> Vec<(&'static TableSpec, usize)> {
    let labels = labels();
    let mut found: Vec<Found> = labels
        .specs
        .iter()
        .map(|s| Found {
            rows: vec![false; s.rows.len()],
            markers: vec![false; s.header_markers.len()],
            columns: vec![false; s.columns.len()],
        })
        .collect();
    for cell in cells {
        for m in labels.automaton.find_overlapping_iter(cell) {
            match labels.labels[m.pattern().as_usize()] {
                Label::Row { spec, row } => found[spec].rows[row] = true,
                Label::Marker { spec, marker } => found[spec].markers[marker] = true,
                Label::Column { spec, column } => found[spec].columns[column] = true,
            }
        }
    }
    labels
        .specs
        .iter()
        .zip(found)
        .map(|(spec, f)| (*spec, score(spec, &f)))
        .collect()
}

fn score(spec: &TableSpec, found: &Found) -> usize {
    let rows = spec
        .rows
        .iter()
        .zip(&found.rows)
        .filter(|(row, hit)| **hit && row.group.is_none())
        .count();
    let markers = found.markers.iter().filter(|hit| **hit).count();
    match spec.layout {
        Layout::LabelledRows => rows + markers,
        Layout::GroupedColumns if found.columns.iter().filter(|hit| **hit).count() >= 3 => {
            rows + markers
        }
        Layout::GroupedColumns => 0,
    }
}
