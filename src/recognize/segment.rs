//! Splitting digits glued together (scraped page texts) into the values the
//! template says a row holds, using the template's own arithmetic.
//!
//! A crawler that joined every `<td>` turns `151 | 3 | 0 | 0 | 0 | 0 | 154`
//! into `15130000154`. The row has seven values and its total is the sum of
//! the six applicant columns; per column, results total = sum of the
//! results and new + carried over = results total + carried forward. This
//! module finds the splits that satisfy these identities and keeps a value
//! only where every consistent reading agrees on it:
//!
//! - a run with exactly as many characters as values (`0000000`), or with
//!   as many space-separated tokens, is **pinned** without arithmetic: its
//!   values are certain even when the identities then fail (that is the
//!   published table's error, and the checks report it as one);
//! - otherwise the candidates of a row are the splits without leading zeros
//!   (no office writes `03`) whose total is the sum of its parts; a row with
//!   one candidate is read from it, rows with several are chosen jointly by
//!   the column identities ([`solve_requests`]); a value is read only when
//!   every joint solution agrees on it, and marked as inferred;
//! - anything else (no candidate, several disagreeing solutions, a search
//!   over budget) stays null with its raw text and a diagnostic: never a
//!   guess.
//!
//! Cost bounds (the worst case): a run longer than `parts x MAX_VALUE_DIGITS`
//! characters has no candidate and costs one length check. The row search
//! visits at most [`ROW_BUDGET`] nodes (each O(1) but for the sum's decimal
//! comparison), keeps at most [`MAX_CANDIDATES`]; the joint search visits at
//! most [`TABLE_BUDGET`] nodes. A table has at most 25 rows and one table of
//! each kind is solved per report, so a report costs at most about
//! 25 x 200,000 + 1,000,000 node visits (tens of milliseconds) whatever its
//! text; a 60 MB one-line file costs time linear in its length (only the
//! first copy of each row is kept by recognition).

use crate::values::fold_width;

/// Most digits one value is read with: 9,999,999 requests is far beyond any
/// agency (the largest real totals are five digits).
pub const MAX_VALUE_DIGITS: usize = 7;
/// Node visits allowed for one row's candidate search.
pub const ROW_BUDGET: u64 = 200_000;
/// Candidates kept per row; a row with more is left unread.
pub const MAX_CANDIDATES: usize = 512;
/// Node visits allowed for the joint search over a table's ambiguous rows.
pub const TABLE_BUDGET: u64 = 1_000_000;
/// Joint solutions enumerated before giving up on agreement.
pub const MAX_SOLUTIONS: usize = 64;

/// One value of a split: a number, or a placeholder (`-`, `—`, `/`) that
/// reads as blank.
pub type Val = Option<u64>;

/// A run of glued characters: digits, and `-` for a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    atoms: Vec<u8>,
    /// Whitespace-separated tokens of the source text.
    tokens: Vec<String>,
}

impl Run {
    /// The run of a cell's text, or `None` when the text holds anything but
    /// digits, spaces and placeholders (then it is no glued run).
    pub fn parse(text: &str) -> Option<Run> {
        // "——" is one placeholder; "--" stays two (it is ambiguous anyway).
        let folded = fold_width(text).replace("——", "—");
        let mut atoms = Vec::with_capacity(folded.len());
        for c in folded.chars() {
            match c {
                '0'..='9' => atoms.push(c as u8),
                '-' | '—' | '–' | '/' | '－' | '─' => atoms.push(b'-'),
                c if c.is_whitespace() => {}
                _ => return None,
            }
        }
        let tokens = folded.split_whitespace().map(str::to_string).collect();
        (!atoms.is_empty() && atoms.iter().any(u8::is_ascii_digit)).then_some(Run { atoms, tokens })
    }

    pub fn len(&self) -> usize {
        self.atoms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The values when the split needs no arithmetic: one character per
    /// value. `None` otherwise.
    pub fn pinned(&self, parts: usize) -> Option<Vec<Val>> {
        (self.atoms.len() == parts).then(|| {
            self.atoms
                .iter()
                .map(|&a| (a != b'-').then(|| u64::from(a - b'0')))
                .collect()
        })
    }
}

/// Work counter shared by the searches, for budgets and for tests that
/// bound work instead of wall time.
#[derive(Debug, Default, Clone, Copy)]
pub struct Work {
    pub steps: u64,
}

/// Candidates of one row.
#[derive(Debug, PartialEq)]
pub enum Candidates {
    List(Vec<Vec<Val>>),
    /// More candidates than kept, or the search ran over budget.
    TooMany,
}

/// The splits of `run` into groups of `groups[i]` values where each group's
/// last value is the sum of the others (`summed`), or any split
/// (`!summed`), without leading zeros.
pub fn candidates(run: &Run, groups: &[usize], summed: bool, work: &mut Work) -> Candidates {
    let parts: usize = groups.iter().sum();
    if run.len() < parts || run.len() > parts * MAX_VALUE_DIGITS {
        return Candidates::List(Vec::new());
    }
    let mut search = RowSearch {
        atoms: &run.atoms,
        groups,
        summed,
        out: Vec::new(),
        current: Vec::with_capacity(parts),
        parts,
        steps: 0,
        over: false,
    };
    search.dfs(0, 0, 0, 0);
    work.steps += search.steps;
    if search.over {
        Candidates::TooMany
    } else {
        Candidates::List(search.out)
    }
}

struct RowSearch<'a> {
    atoms: &'a [u8],
    groups: &'a [usize],
    summed: bool,
    out: Vec<Vec<Val>>,
    current: Vec<Val>,
    parts: usize,
    steps: u64,
    over: bool,
}

impl RowSearch<'_> {
    /// Places the next value at `pos`: group `g`, index `k` in the group,
    /// `sum` of the group's values so far.
    fn dfs(&mut self, pos: usize, g: usize, k: usize, sum: u64) {
        if self.over {
            return;
        }
        self.steps += 1;
        if self.steps > ROW_BUDGET {
            self.over = true;
            return;
        }
        if g == self.groups.len() {
            if pos == self.atoms.len() {
                if self.out.len() == MAX_CANDIDATES {
                    self.over = true;
                } else {
                    self.out.push(self.current.clone());
                }
            }
            return;
        }
        let left = self.parts - self.current.len();
        let remaining = self.atoms.len() - pos;
        if remaining < left || remaining > left * MAX_VALUE_DIGITS {
            return;
        }
        let last_in_group = k + 1 == self.groups[g];
        if self.summed && last_in_group {
            self.place_sum(pos, g, sum);
            return;
        }
        if self.atoms[pos] == b'-' {
            self.current.push(None);
            self.dfs(
                pos + 1,
                g + usize::from(last_in_group),
                if last_in_group { 0 } else { k + 1 },
                sum,
            );
            self.current.pop();
            return;
        }
        let max_len = if self.atoms[pos] == b'0' {
            1
        } else {
            MAX_VALUE_DIGITS
        };
        let mut value = 0u64;
        for len in 1..=max_len.min(remaining) {
            let a = self.atoms[pos + len - 1];
            if a == b'-' {
                break;
            }
            value = value * 10 + u64::from(a - b'0');
            self.current.push(Some(value));
            let (ng, nk) = if last_in_group {
                (g + 1, 0)
            } else {
                (g, k + 1)
            };
            let nsum = if last_in_group { 0 } else { sum + value };
            self.dfs(pos + len, ng, nk, nsum);
            self.current.pop();
        }
    }

    /// The group's total must be written next: its digits, or a
    /// placeholder when the sum is 0.
    fn place_sum(&mut self, pos: usize, g: usize, sum: u64) {
        let digits = sum.to_string();
        let rest = &self.atoms[pos..];
        let next = if rest.starts_with(digits.as_bytes()) {
            Some((digits.len(), Some(sum)))
        } else if sum == 0 && rest.first() == Some(&b'-') {
            Some((1, None))
        } else {
            None
        };
        if let Some((len, v)) = next {
            self.current.push(v);
            self.dfs(pos + len, g + 1, 0, 0);
            self.current.pop();
        }
    }
}

/// One linear identity over rows of a table, for one column:
/// sum(plus rows) = sum(minus rows).
#[derive(Debug, Clone)]
pub struct Identity {
    pub column: usize,
    pub plus: Vec<usize>,
    pub minus: Vec<usize>,
}

/// A row's state going into the joint search.
#[derive(Debug, Clone)]
pub enum RowState {
    /// Values known (certain, or pinned): blanks as `None` read as 0.
    Known(Vec<Val>),
    /// Several candidate readings.
    Open(Vec<Vec<Val>>),
    /// Not readable: identities through this row cannot choose anything.
    Unknown,
}

/// For each open row, the candidate every joint solution agrees on, if
/// any (`None`: disagreeing solutions, no solution, or over budget).
pub fn solve_requests(
    rows: &[RowState],
    identities: &[Identity],
    work: &mut Work,
) -> Vec<Option<usize>> {
    let open: Vec<usize> = (0..rows.len())
        .filter(|&i| matches!(rows[i], RowState::Open(_)))
        .collect();
    let usable: Vec<&Identity> = identities
        .iter()
        .filter(|id| {
            let all = id.plus.iter().chain(&id.minus);
            all.clone().all(|&r| !matches!(rows[r], RowState::Unknown))
                && all.clone().any(|r| open.contains(r))
        })
        .collect();
    let mut agreed: Vec<Option<Option<usize>>> = vec![None; rows.len()];
    if open.is_empty() || usable.is_empty() {
        return vec![None; rows.len()];
    }
    // Each identity is checked once the last of its open rows is assigned.
    let order = open.clone();
    let checks_at: Vec<Vec<&Identity>> = order
        .iter()
        .enumerate()
        .map(|(depth, _)| {
            usable
                .iter()
                .copied()
                .filter(|id| {
                    let last = id
                        .plus
                        .iter()
                        .chain(&id.minus)
                        .filter_map(|r| order.iter().position(|o| o == r))
                        .max();
                    last == Some(depth)
                })
                .collect()
        })
        .collect();
    let mut joint = Joint {
        rows,
        order: &order,
        checks_at: &checks_at,
        choice: vec![usize::MAX; rows.len()],
        solutions: 0,
        agreed: &mut agreed,
        steps: 0,
        over: false,
    };
    joint.dfs(0);
    work.steps += joint.steps;
    let (over, solutions) = (joint.over, joint.solutions);
    if over || solutions == 0 || solutions > MAX_SOLUTIONS {
        return vec![None; rows.len()];
    }
    agreed.into_iter().map(Option::flatten).collect()
}

struct Joint<'a> {
    rows: &'a [RowState],
    order: &'a [usize],
    checks_at: &'a [Vec<&'a Identity>],
    choice: Vec<usize>,
    solutions: usize,
    /// Per row: `None` before the first solution, then `Some(Some(c))`
    /// while all solutions chose candidate `c`, `Some(None)` once two
    /// disagree.
    agreed: &'a mut Vec<Option<Option<usize>>>,
    steps: u64,
    over: bool,
}

impl Joint<'_> {
    fn value(&self, row: usize, column: usize) -> u64 {
        match &self.rows[row] {
            RowState::Known(v) => v.get(column).copied().flatten().unwrap_or(0),
            RowState::Open(c) => c[self.choice[row]]
                .get(column)
                .copied()
                .flatten()
                .unwrap_or(0),
            RowState::Unknown => 0,
        }
    }

    fn holds(&self, id: &Identity) -> bool {
        let plus: u64 = id.plus.iter().map(|&r| self.value(r, id.column)).sum();
        let minus: u64 = id.minus.iter().map(|&r| self.value(r, id.column)).sum();
        plus == minus
    }

    fn dfs(&mut self, depth: usize) {
        if self.over || self.solutions > MAX_SOLUTIONS {
            return;
        }
        if depth == self.order.len() {
            self.solutions += 1;
            for &r in self.order {
                let c = self.choice[r];
                self.agreed[r] = match self.agreed[r] {
                    None => Some(Some(c)),
                    Some(Some(prev)) if prev == c => Some(Some(c)),
                    _ => Some(None),
                };
            }
            return;
        }
        let row = self.order[depth];
        let RowState::Open(cands) = &self.rows[row] else {
            return;
        };
        for c in 0..cands.len() {
            self.steps += 1;
            if self.steps > TABLE_BUDGET {
                self.over = true;
                return;
            }
            self.choice[row] = c;
            if self.checks_at[depth].iter().all(|id| self.holds(id)) {
                self.dfs(depth + 1);
            }
        }
        self.choice[row] = usize::MAX;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Run {
        Run::parse(s).unwrap()
    }

    fn list(c: Candidates) -> Vec<Vec<Val>> {
        match c {
            Candidates::List(l) => l,
            Candidates::TooMany => panic!("too many"),
        }
    }

    fn vals(v: &[u64]) -> Vec<Val> {
        v.iter().map(|&x| Some(x)).collect()
    }

    #[test]
    fn the_issue_example_has_one_reading() {
        let mut w = Work::default();
        let c = list(candidates(&run("15130000154"), &[7], true, &mut w));
        assert_eq!(c, [vals(&[151, 3, 0, 0, 0, 0, 154])]);
    }

    #[test]
    fn ambiguous_rows_list_every_reading() {
        // 1|1|0|0|0|0|2 or 11|0|0|0|0|0|11? "1100002" is 7 digits: pinned.
        assert_eq!(run("1100002").pinned(7), Some(vals(&[1, 1, 0, 0, 0, 0, 2])));
        // "110000011": 11|0|0|0|0|0|11 and 1|10|0|0|0|0|11.
        let mut w = Work::default();
        let c = list(candidates(&run("110000011"), &[7], true, &mut w));
        assert_eq!(
            c,
            [
                vals(&[1, 10, 0, 0, 0, 0, 11]),
                vals(&[11, 0, 0, 0, 0, 0, 11])
            ]
        );
    }

    #[test]
    fn placeholders_are_single_values() {
        let mut w = Work::default();
        let c = list(candidates(&run("12-----12"), &[7], true, &mut w));
        assert_eq!(c, [vec![Some(12), None, None, None, None, None, Some(12)]]);
        assert_eq!(run("1 - - - - - 1").tokens().len(), 7);
    }

    #[test]
    fn table_four_groups() {
        let mut w = Work::default();
        let c = list(candidates(
            &run("12000120000000000"),
            &[5, 5, 5],
            true,
            &mut w,
        ));
        assert_eq!(c, [vals(&[12, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]);
    }

    #[test]
    fn hostile_runs_are_bounded() {
        let mut w = Work::default();
        let long = "1".repeat(10_000);
        assert_eq!(
            candidates(&run(&long), &[7], true, &mut w),
            Candidates::List(vec![])
        );
        assert!(w.steps <= 1);
        // The worst case that passes the length check: 49 ones.
        let mut w = Work::default();
        let _ = candidates(&run(&"1".repeat(49)), &[7], true, &mut w);
        assert!(w.steps <= ROW_BUDGET + 1);
        let mut w = Work::default();
        let _ = candidates(&run(&"1".repeat(30)), &[7], false, &mut w);
        assert!(w.steps <= ROW_BUDGET + 1);
    }

    #[test]
    fn the_column_identities_choose_among_candidates() {
        // Column 0: results_total (row 2) = granted (row 1); balance: new
        // (row 0) = results_total. Row 1 has two readings; only one agrees.
        let rows = vec![
            RowState::Known(vals(&[12, 1, 0, 0, 0, 0, 13])),
            RowState::Open(vec![
                vals(&[1, 2, 10, 0, 0, 0, 13]),
                vals(&[12, 1, 0, 0, 0, 0, 13]),
            ]),
            RowState::Known(vals(&[12, 1, 0, 0, 0, 0, 13])),
        ];
        let ids: Vec<Identity> = (0..7)
            .map(|c| Identity {
                column: c,
                plus: vec![2],
                minus: vec![1],
            })
            .collect();
        let mut w = Work::default();
        assert_eq!(solve_requests(&rows, &ids, &mut w), [None, Some(1), None]);
        // With row 2 unknown, nothing can be chosen.
        let mut rows2 = rows.clone();
        rows2[2] = RowState::Unknown;
        assert_eq!(solve_requests(&rows2, &ids, &mut w), [None, None, None]);
    }
}
