//! The national template, as data.
//!
//! Each template year is a [`TemplateSpec`]: its three statistical tables,
//! their canonical row and column keys (docs/TEMPLATE.md, a contract with
//! downstream users) and the label variants seen in real reports. Adding a
//! template year means adding a `TemplateSpec` value here, not new code.

use serde::{Deserialize, Serialize};

use rules::{ArithmeticRule, Carry, NarrativeCell, Stock};

/// Which national format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum TemplateId {
    #[serde(rename = "2021")]
    Y2021,
    #[serde(rename = "2019")]
    Y2019,
    #[serde(rename = "unknown")]
    Unknown,
}

impl TemplateId {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateId::Y2021 => "2021",
            TemplateId::Y2019 => "2019",
            TemplateId::Unknown => "unknown",
        }
    }
}

/// The three statistical tables, by canonical key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum TableKey {
    ActiveDisclosure,
    Requests,
    ReviewLitigation,
}

impl TableKey {
    pub const ALL: [TableKey; 3] = [
        TableKey::ActiveDisclosure,
        TableKey::Requests,
        TableKey::ReviewLitigation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableKey::ActiveDisclosure => "active_disclosure",
            TableKey::Requests => "requests",
            TableKey::ReviewLitigation => "review_litigation",
        }
    }
}

/// What kind of number a column holds; decides parsing and `value.domain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole number ≥ 0.
    Count,
    /// A signed whole number ("+3", "-2"): 2019's 本年增/减.
    SignedCount,
    /// An amount ≥ 0 with decimals (fees in 万元, procurement totals).
    Amount { max_decimals: usize },
}

/// How the table's values are laid out in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One labelled row per canonical row, values to the right of the label
    /// (tables 二 and 三).
    LabelledRows,
    /// Column groups side by side with all values in one row (table 四): each
    /// canonical "row" is a group of consecutive columns.
    GroupedColumns,
}

#[derive(Debug)]
pub struct ColumnSpec {
    pub key: ColumnKey,
    /// Header labels, most specific first; compared after normalization.
    pub aliases: &'static [&'static str],
    pub kind: ValueKind,
}

#[derive(Debug, Clone, Copy)]
pub struct RowSpec {
    /// Canonical key, dotted for sub-rows: `denied.state_secret`.
    pub key: RowKey,
    pub aliases: &'static [&'static str],
    /// The group label (e.g. （三）不予公开) this row sits under, when its own
    /// label is too generic to identify it alone (3.其他).
    pub group: Option<&'static str>,
    /// The column keys this row carries, in source order.
    pub columns: &'static [ColumnKey],
}

#[derive(Debug)]
pub struct GroupSpec {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
}

#[derive(Debug)]
pub struct TableSpec {
    pub key: TableKey,
    pub layout: Layout,
    pub columns: &'static [ColumnSpec],
    pub rows: &'static [RowSpec],
    /// Group labels that scope the rows below them (不予公开, 无法提供 …).
    pub groups: &'static [GroupSpec],
    /// Header or caption labels that identify this table's header rows.
    pub header_markers: &'static [&'static str],
    /// Labels that tell this template's version of the table from another
    /// year's (e.g. 本年制发件数 vs 本年新制作数量).
    pub signature: &'static [&'static str],
    /// Rows another year's format prints in this table, accepted as they
    /// are: the 2019 format's one-row （六）其他处理 in a 2021 table 三.
    pub extra_rows: &'static [RowSpec],
    /// The table's arithmetic, checked and used to split glued digits.
    pub rules: &'static [ArithmeticRule],
    /// The cell the narrative also states, if any.
    pub narrative: Option<NarrativeCell>,
    /// What the table carries to next year's report, if anything.
    pub carry: Option<Carry>,
    /// The stock the table counts from year to year, if any.
    pub stock: Option<Stock>,
}

#[derive(Debug)]
pub struct TemplateSpec {
    pub id: TemplateId,
    /// The first report year this format is in force for (until the next
    /// template's): 2019 and 2020 reports use the 2019 format.
    pub from_year: i32,
    pub tables: &'static [TableSpec],
}

impl TemplateSpec {
    pub fn table(&self, key: TableKey) -> Option<&TableSpec> {
        self.tables.iter().find(|t| t.key == key)
    }
}

impl TableSpec {
    pub fn column(&self, key: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.key == key)
    }

    pub fn row(&self, key: &str) -> Option<&RowSpec> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The extra row (another format's) with this key.
    pub fn extra_row(&self, key: &str) -> Option<&RowSpec> {
        self.extra_rows.iter().find(|r| r.key == key)
    }

    /// The table's rows in template order, then its extra rows.
    pub fn all_rows(&self) -> impl Iterator<Item = &'static RowSpec> {
        self.rows.iter().chain(self.extra_rows)
    }
}

fn all_tables() -> impl Iterator<Item = &'static TableSpec> {
    all().iter().flat_map(|t| t.tables.iter())
}

/// Every table, row and column key any template declares (with repeats).
pub(crate) fn key_spellings() -> impl Iterator<Item = &'static str> {
    all_tables().flat_map(|t| {
        std::iter::once(t.key.as_str())
            .chain(t.all_rows().map(|r| r.key.as_str()))
            .chain(t.columns.iter().map(|c| c.key.as_str()))
    })
}

/// The row key some template declares with this spelling.
fn find_row_key(spelling: &str) -> Option<RowKey> {
    all_tables()
        .flat_map(TableSpec::all_rows)
        .map(|r| r.key)
        .find(|k| *k == spelling)
}

/// The column key some template declares with this spelling.
fn find_column_key(spelling: &str) -> Option<ColumnKey> {
    all_tables()
        .flat_map(|t| t.columns.iter())
        .map(|c| c.key)
        .find(|k| *k == spelling)
}

/// All templates nianbao recognizes, newest first.
pub fn all() -> &'static [&'static TemplateSpec] {
    static ALL: [&TemplateSpec; 2] = [&TEMPLATE_2021, &TEMPLATE_2019];
    &ALL
}

pub fn by_id(id: TemplateId) -> Option<&'static TemplateSpec> {
    all().iter().copied().find(|t| t.id == id)
}

/// The template with this id spelling (`"2021"`), as the journal's facts
/// record it.
pub fn by_name(id: &str) -> Option<&'static TemplateSpec> {
    all().iter().copied().find(|t| t.id.as_str() == id)
}

/// The format in force for a report year: the newest template whose
/// `from_year` is not after it; the oldest for years before any template
/// (a 2017 report has neither format; the older is the nearer).
pub fn in_force(year: i32) -> &'static TemplateSpec {
    let newest_first = all();
    newest_first
        .iter()
        .copied()
        .find(|t| t.from_year <= year)
        .unwrap_or(newest_first[newest_first.len() - 1])
}

mod data;
pub mod keys;
pub mod rules;

pub use data::{SECTIONS, TEMPLATE_2019, TEMPLATE_2021};
pub use keys::{ColumnKey, RowKey};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_counts_match_the_template() {
        assert_eq!(
            TEMPLATE_2021.table(TableKey::Requests).unwrap().rows.len(),
            25
        );
        assert_eq!(
            TEMPLATE_2019.table(TableKey::Requests).unwrap().rows.len(),
            23
        );
        assert_eq!(
            TEMPLATE_2021
                .table(TableKey::ReviewLitigation)
                .unwrap()
                .rows
                .len(),
            3
        );
    }

    #[test]
    fn every_row_column_is_declared() {
        for t in all() {
            for table in t.tables {
                for row in table.rows {
                    for col in row.columns {
                        assert!(
                            table.column(col).is_some(),
                            "{:?} {} {}",
                            t.id,
                            row.key,
                            col
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod rule_data_tests {
    use super::rules::Shape;
    use super::*;

    /// A typo in a rule's key would make every instance "not assessable"
    /// without a word; this is the guard.
    #[test]
    fn every_rule_names_declared_keys() {
        for template in all() {
            for table in template.tables {
                for rule in table.rules {
                    for row in rule.row_keys() {
                        assert!(
                            table.row(&row).is_some(),
                            "{:?} {}: row {row}",
                            template.id,
                            rule.id
                        );
                    }
                    for column in rule.column_keys() {
                        assert!(
                            table.column(&column).is_some(),
                            "{:?} {}: column {column}",
                            template.id,
                            rule.id
                        );
                    }
                    if let Shape::ColumnSum { total, first } = &rule.shape {
                        let position = |k: &RowKey| table.rows.iter().position(|r| r.key == *k);
                        assert!(
                            position(first) < position(total),
                            "{}: {first} after {total}",
                            rule.id
                        );
                    }
                    assert!(
                        crate::checks::RULES.contains(&rule.id),
                        "{} is not in checks::RULES",
                        rule.id
                    );
                }
                if let Some(n) = &table.narrative {
                    assert!(table.row(&n.row).is_some() && table.column(&n.column).is_some());
                }
                for extra in table.extra_rows {
                    assert!(
                        table.row(&extra.key).is_none(),
                        "{} is a row and an extra row",
                        extra.key
                    );
                    assert!(extra.columns.iter().all(|c| table.column(c).is_some()));
                }
            }
        }
    }

    #[test]
    fn keys_are_looked_up_across_templates() {
        // `other` is a row only in 2019 and an extra row in 2021's table 三.
        assert!(RowKey::lookup("other").is_some());
        assert!(RowKey::lookup("other.no_fee").is_some());
        assert!(ColumnKey::lookup("total_public").is_some());
        assert!(RowKey::lookup("natural_person").is_none());
    }
}
