//! A table's arithmetic as data (docs/TEMPLATE.md, "Consistency rules").
//!
//! Two readers of these rules: the checker (`checks::arithmetic`), which
//! evaluates every instance and reports the ones that fail, and the
//! glued-digit reader (`recognize::glued`), which splits digits run
//! together in scraped text only where these identities allow exactly one
//! reading. Before they were data, each named its row and column keys in
//! code, and the two copies drifted (the checker knew the 2019 one-row
//! 其他处理, the splitter had its own list).

use super::keys::{ColumnKey, RowKey};
use crate::codes::RuleId;

/// One arithmetic rule of a table.
#[derive(Debug)]
pub struct ArithmeticRule {
    pub id: RuleId,
    pub shape: Shape,
    /// What the rule says, after "requests row new: " or "requests column
    /// total: " in a finding's message.
    pub describe: &'static str,
}

/// What a rule equates; each shape has one instance per row or per column.
#[derive(Debug)]
pub enum Shape {
    /// In every row the table has: column `total` equals the sum of the
    /// table's other columns.
    RowSum { total: ColumnKey },
    /// In every column: row `total` equals the sum of the rows from `first`
    /// up to `total` in template order, plus the table's
    /// [`extra_rows`](super::TableSpec::extra_rows) a report prints.
    /// Not assessable when the report lacks the `total` row.
    ColumnSum { total: RowKey, first: RowKey },
    /// In every column: the sum of rows `left` equals the sum of rows
    /// `right`; a failure is placed at row `at`.
    Balance {
        left: &'static [RowKey],
        right: &'static [RowKey],
        at: RowKey,
    },
}

/// Where the narrative states a number that a table cell also holds
/// (`narrative.requests`: 本年新收 in the text and in table 三).
#[derive(Debug)]
pub struct NarrativeCell {
    pub row: RowKey,
    pub column: ColumnKey,
}

/// What one year passes to the next, per column (`cross_year.carry`): row
/// `forward` of year N equals row `over` of year N+1.
#[derive(Debug)]
pub struct Carry {
    pub forward: RowKey,
    pub over: RowKey,
}

/// A stock carried from year to year (`cross_year.in_force`): in each of
/// `rows`, column `stock` of year N+1 is that of year N plus `added` minus
/// `removed` (when the format counts removals) of year N+1.
#[derive(Debug)]
pub struct Stock {
    pub rows: &'static [RowKey],
    pub stock: ColumnKey,
    pub added: ColumnKey,
    pub removed: Option<ColumnKey>,
}

impl ArithmeticRule {
    /// Every row and column key the rule names.
    pub fn row_keys(&self) -> Vec<RowKey> {
        match &self.shape {
            Shape::RowSum { .. } => Vec::new(),
            Shape::ColumnSum { total, first } => vec![*total, *first],
            Shape::Balance { left, right, at } => left
                .iter()
                .chain(right.iter())
                .chain([at])
                .copied()
                .collect(),
        }
    }

    pub fn column_keys(&self) -> Vec<ColumnKey> {
        match &self.shape {
            Shape::RowSum { total } => vec![*total],
            _ => Vec::new(),
        }
    }
}
