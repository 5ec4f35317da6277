//! The template's arithmetic rules (`templates::rules`), evaluated: every
//! instance of a rule (one per row, or one per column) is an equation
//! "left = sum(right)" over the report's cells.

use super::{cell_ref, finding_reading, Checker};
use crate::codes::RuleId;
use crate::report::{
    BlockReason, Blocked, Cell, CellRef, Finding, KeyedTable, Quantity, Reading, Severity,
};
use crate::templates::rules::{ArithmeticRule, Shape};
use crate::templates::{self, ColumnKey, Layout, RowKey, TableSpec, ValueKind};
use crate::values::Number;

/// An operand of a sum: the cell if present, read as 0 when blank.
struct Operand<'a> {
    row: RowKey,
    column: ColumnKey,
    cell: Option<&'a Cell>,
}

impl Operand<'_> {
    fn value(&self) -> f64 {
        self.cell.and_then(|c| c.value).map_or(0.0, Number::as_f64)
    }

    fn is_blank(&self) -> bool {
        self.cell.and_then(|c| c.value).is_none()
    }

    fn cell_ref(&self) -> Option<CellRef> {
        self.cell.map(|c| cell_ref(self.row, self.column, c))
    }

    /// Why this operand cannot take part in a sum, if it cannot: its
    /// digits were not read, or its text fails `value.domain` (counts).
    fn blocker(&self) -> Option<BlockReason> {
        let cell = self.cell?;
        match cell.reading {
            Reading::Unresolved => return Some(BlockReason::Unread),
            // Split by the template's arithmetic: whole numbers by construction.
            Reading::GluedDigits => return None,
            Reading::Certain => {}
        }
        match super::domain_problem(ValueKind::Count, &cell.raw) {
            Some((Severity::Error, _)) => Some(BlockReason::Domain),
            _ => None,
        }
    }

    fn inferred(&self) -> bool {
        self.cell.is_some_and(|c| !c.reading.is_certain())
    }
}

/// One equation "left = sum(right)" of a rule instance.
struct Equation<'a> {
    rule: RuleId,
    spec: &'static TableSpec,
    row: RowKey,
    column: ColumnKey,
    left: Vec<Operand<'a>>,
    right: Vec<Operand<'a>>,
    /// What the equation states, spelled out only for a failure (most
    /// equations hold, and formatting each was a tenth of the checks).
    describe: Describe,
}

/// The parts of an equation's description ("三 row new: …", "三 column
/// total: …").
struct Describe {
    table: &'static str,
    /// "row", "group" or "column".
    noun: &'static str,
    /// The row (for a row sum) or the column.
    at: &'static str,
    rule: &'static str,
}

impl std::fmt::Display for Describe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}: {}", self.table, self.noun, self.at, self.rule)
    }
}

pub(super) fn number(v: f64) -> Number {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Number::Int(v as i64)
    } else {
        Number::Decimal((v * 1e6).round() / 1e6)
    }
}

fn operand(table: &KeyedTable, row: RowKey, column: ColumnKey) -> Operand<'_> {
    Operand {
        row,
        column,
        cell: table.cell(row.as_str(), column.as_str()),
    }
}

/// The rows a column sum adds up: from `first` up to `total` in template
/// order, then the extra rows (another format's) the report prints.
pub(crate) fn summed_rows(
    spec: &TableSpec,
    total: RowKey,
    first: RowKey,
    table: &KeyedTable,
) -> Vec<RowKey> {
    let keys: Vec<RowKey> = spec.rows.iter().map(|r| r.key).collect();
    let start = keys.iter().position(|k| *k == first).unwrap_or(0);
    let end = keys.iter().position(|k| *k == total).unwrap_or(keys.len());
    let mut rows = keys[start..end].to_vec();
    rows.extend(
        spec.extra_rows
            .iter()
            .map(|r| r.key)
            .filter(|k| table.row(k.as_str()).is_some()),
    );
    rows
}

impl<'r> Checker<'r> {
    /// The arithmetic rule `id` of the report's template; not assessable
    /// when the template has no such rule or the report lacks its table.
    pub(super) fn arithmetic(&mut self, id: RuleId) -> Option<()> {
        let template = templates::by_id(self.report.template)?;
        let (spec, rule) = template
            .tables
            .iter()
            .find_map(|t| t.rules.iter().find(|r| r.id == id).map(|r| (t, r)))?;
        let table = self.report.tables.get(spec.key)?;
        for eq in equations(spec, rule, table)? {
            self.check(eq);
        }
        Some(())
    }

    /// Evaluates `eq`; a failure becomes a finding, `error` if every operand
    /// is written, `incomplete` if the failure involves blanks.
    fn check(&mut self, eq: Equation) {
        let bad = eq
            .left
            .iter()
            .chain(&eq.right)
            .find_map(|o| o.blocker().map(|reason| (o, reason)));
        if let Some((operand, reason)) = bad {
            let location = operand
                .cell
                .map(|c| c.location.to_string())
                .unwrap_or_default();
            self.blocked.push(Blocked {
                row: Some(eq.row),
                column: Some(eq.column),
                by: format!("{}.{} at {location}", operand.row, operand.column),
                reason,
            });
            return;
        }
        let left: f64 = eq.left.iter().map(Operand::value).sum();
        let right: f64 = eq.right.iter().map(Operand::value).sum();
        if (left - right).abs() < 1e-6 {
            return;
        }
        let finding = failure(eq, left, right);
        self.push(finding);
    }
}

/// The finding of a failed equation.
fn failure(eq: Equation, left: f64, right: f64) -> Finding {
    let operands = eq.left.iter().chain(&eq.right);
    let blanks = operands.clone().any(Operand::is_blank);
    let inferred = operands.clone().any(Operand::inferred);
    let severity = if blanks {
        Severity::Incomplete
    } else {
        Severity::Error
    };
    let cells: Vec<CellRef> = operands.filter_map(Operand::cell_ref).collect();
    let where_ = cells
        .first()
        .map(|c| format!(" (from {})", c.location))
        .unwrap_or_default();
    let message = format!(
        "{}: expected {}, found {}{}{}",
        eq.describe,
        number(right),
        number(left),
        if blanks {
            "; blank cells read as 0"
        } else {
            ""
        },
        where_
    );
    Finding {
        rule: eq.rule,
        severity,
        table: Some(eq.spec.key),
        row: Some(eq.row),
        column: Some(eq.column),
        expected: Some(Quantity::Number(number(right))),
        actual: Some(Quantity::Number(number(left))),
        cells,
        message,
        fingerprint: String::new(),
        reading: finding_reading(inferred),
    }
}

/// Every instance of `rule` over `table`; `None` when the rule is not
/// assessable on it (a column sum whose total row is missing).
fn equations<'a>(
    spec: &'static TableSpec,
    rule: &ArithmeticRule,
    table: &'a KeyedTable,
) -> Option<Vec<Equation<'a>>> {
    let name = spec.key.as_str();
    let columns = spec.columns.iter().map(|c| c.key);
    let eq = |row, column, left, right, describe| Equation {
        rule: rule.id,
        spec,
        row,
        column,
        left,
        right,
        describe,
    };
    Some(match &rule.shape {
        Shape::RowSum { total } => {
            let noun = match spec.layout {
                Layout::GroupedColumns => "group",
                Layout::LabelledRows => "row",
            };
            let parts: Vec<ColumnKey> = columns.filter(|c| c != total).collect();
            table
                .rows
                .iter()
                .map(|row| {
                    let right = parts.iter().map(|&c| operand(table, row.key, c)).collect();
                    let describe = Describe {
                        table: name,
                        noun,
                        at: row.key.as_str(),
                        rule: rule.describe,
                    };
                    eq(
                        row.key,
                        *total,
                        vec![operand(table, row.key, *total)],
                        right,
                        describe,
                    )
                })
                .collect()
        }
        Shape::ColumnSum { total, first } => {
            table.row(total.as_str())?;
            let parts = summed_rows(spec, *total, *first, table);
            columns
                .map(|c| {
                    let right = parts.iter().map(|&r| operand(table, r, c)).collect();
                    let describe = Describe {
                        table: name,
                        noun: "column",
                        at: c.as_str(),
                        rule: rule.describe,
                    };
                    eq(*total, c, vec![operand(table, *total, c)], right, describe)
                })
                .collect()
        }
        Shape::Balance { left, right, at } => columns
            .map(|c| {
                let l = left.iter().map(|&r| operand(table, r, c)).collect();
                let r = right.iter().map(|&r| operand(table, r, c)).collect();
                let describe = Describe {
                    table: name,
                    noun: "column",
                    at: c.as_str(),
                    rule: rule.describe,
                };
                eq(*at, c, l, r, describe)
            })
            .collect(),
    })
}
