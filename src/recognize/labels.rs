//! Matching normalized cell text against the template's label aliases.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::templates::{self, TableSpec};

/// A normalized label prepared for scoring: its length in characters and
/// its character pairs, computed once. Recognition compares every label
/// cell with every alias of a table (about 50), and counting characters
/// and collecting pairs on each comparison was a fifth of its time.
#[derive(Debug, Clone)]
pub(crate) struct Prepared<'a> {
    pub text: &'a str,
    chars: usize,
    pairs: Vec<(char, char)>,
    /// One bit per pair, at [`pair_bit`]: a pair whose bit is clear is
    /// not among `pairs`, which bounds what [`fuzzy`] can find without
    /// comparing pairs.
    mask: u64,
}

/// The bit of a character pair in [`Prepared::mask`].
fn pair_bit(&(a, b): &(char, char)) -> u64 {
    let h = (a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32).wrapping_mul(0x85EB_CA77);
    1 << (h >> 26)
}

impl<'a> Prepared<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut pairs = Vec::with_capacity(text.len() / 2);
        let mut prev = None;
        let mut chars = 0;
        for c in text.chars() {
            if let Some(p) = prev {
                pairs.push((p, c));
            }
            prev = Some(c);
            chars += 1;
        }
        let mask = pairs.iter().fold(0, |m, p| m | pair_bit(p));
        Prepared {
            text,
            chars,
            pairs,
            mask,
        }
    }

    /// The length in characters.
    pub fn chars(&self) -> usize {
        self.chars
    }
}

/// The prepared aliases of every row and group of one table spec, and one
/// automaton over the row aliases that tells in a single pass which of them
/// a cell contains (one `str::contains` per alias was the rest of the
/// matching cost).
#[derive(Clone)]
pub(crate) struct SpecLabels {
    pub rows: Vec<Vec<Prepared<'static>>>,
    pub groups: Vec<Vec<Prepared<'static>>>,
    automaton: AhoCorasick,
    /// Where each row's aliases start among the automaton's patterns.
    first: Vec<usize>,
    /// Every row alias, in pattern order, joined by NUL (which no
    /// normalized text holds): one substring search over it tells which
    /// aliases contain a cell, instead of one search set up per alias.
    joined: String,
    /// The byte offset of each pattern in `joined`.
    starts: Vec<usize>,
}

impl SpecLabels {
    fn of(spec: &TableSpec) -> Self {
        let prepare = |aliases: &[&'static str]| aliases.iter().map(|a| Prepared::new(a)).collect();
        let mut first = Vec::with_capacity(spec.rows.len());
        let mut patterns: Vec<&str> = Vec::new();
        for row in spec.rows {
            first.push(patterns.len());
            patterns.extend(row.aliases);
        }
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(patterns.len());
        for p in &patterns {
            starts.push(joined.len());
            joined.push_str(p);
            joined.push('\0');
        }
        SpecLabels {
            rows: spec.rows.iter().map(|r| prepare(r.aliases)).collect(),
            groups: spec.groups.iter().map(|g| prepare(g.aliases)).collect(),
            automaton: AhoCorasick::new(&patterns).expect("row aliases build an automaton"),
            first,
            joined,
            starts,
        }
    }

    /// For every row alias, in row order, whether `cell` contains it.
    pub fn contained(&self, cell: &str) -> Contained<'_> {
        let mut flags = vec![false; self.automaton.patterns_len()];
        for m in self.automaton.find_overlapping_iter(cell) {
            flags[m.pattern().as_usize()] = true;
        }
        Contained {
            flags,
            first: &self.first,
        }
    }

    /// For every row alias, in row order, whether it contains `cell`
    /// (`alias.contains(cell)`; a cell holding NUL is in no alias).
    pub fn containing(&self, cell: &str) -> Contained<'_> {
        let mut flags = vec![false; self.starts.len()];
        if !cell.is_empty() && !cell.contains('\0') {
            for (at, _) in self.joined.match_indices(cell) {
                flags[self.starts.partition_point(|&s| s <= at) - 1] = true;
            }
        }
        Contained {
            flags,
            first: &self.first,
        }
    }
}

/// Which row aliases a cell contains (see [`SpecLabels::contained`]).
pub(crate) struct Contained<'a> {
    flags: Vec<bool>,
    first: &'a [usize],
}

impl Contained<'_> {
    pub fn row(&self, row: usize) -> &[bool] {
        let end = self.first.get(row + 1).copied().unwrap_or(self.flags.len());
        &self.flags[self.first[row]..end]
    }
}

/// A template table's identity for the per-process tables built from the
/// templates: its address (the templates are statics).
pub(super) fn spec_address(spec: &TableSpec) -> usize {
    spec as *const TableSpec as usize
}

/// The prepared labels of a template's table, built once per process; a
/// spec that is not one of the templates' (a test's) is prepared afresh.
pub(crate) fn spec_labels(spec: &TableSpec) -> std::borrow::Cow<'static, SpecLabels> {
    static ALL: OnceLock<Vec<(usize, SpecLabels)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        templates::all()
            .iter()
            .flat_map(|t| t.tables.iter())
            .map(|t| (spec_address(t), SpecLabels::of(t)))
            .collect()
    });
    let address = spec_address(spec);
    match all.iter().find(|(a, _)| *a == address) {
        Some((_, labels)) => std::borrow::Cow::Borrowed(labels),
        None => std::borrow::Cow::Owned(SpecLabels::of(spec)),
    }
}

/// How well a normalized cell text matches a normalized alias, from 0 (no
/// match) to 1 (identical), by identity or containment only: cheap, and
/// enough for most labels. Containment either way counts (labels are often
/// shortened or carry extra words).
pub(crate) fn direct(cell: &Prepared, alias: &Prepared) -> f64 {
    direct_knowing(
        cell,
        alias,
        cell.text.contains(alias.text),
        alias.text.contains(cell.text),
    )
}

/// [`direct`], told whether the cell contains the alias and the alias the
/// cell.
pub(crate) fn direct_knowing(
    cell: &Prepared,
    alias: &Prepared,
    cell_contains_alias: bool,
    alias_contains_cell: bool,
) -> f64 {
    if cell.chars == 0 || alias.chars == 0 {
        return 0.0;
    }
    if cell.text == alias.text {
        return 1.0;
    }
    let (cell_len, alias_len) = (cell.chars, alias.chars);
    if alias_len >= 2 && alias_len < cell_len && cell_contains_alias {
        // The longer the alias relative to the cell, the better the match.
        return 0.8 + 0.15 * alias_len as f64 / cell_len as f64;
    }
    if cell_len >= 4 && cell_len < alias_len && alias_contains_cell {
        return 0.8 + 0.1 * cell_len as f64 / alias_len as f64;
    }
    0.0
}

/// Bigram similarity for typos and reworded labels; the expensive path.
pub(crate) fn fuzzy(cell: &Prepared, alias: &Prepared) -> f64 {
    let (cell_len, alias_len) = (cell.chars, alias.chars);
    // Dice can reach 0.75 only when the lengths are close.
    let (short, long) = (cell_len.min(alias_len), cell_len.max(alias_len));
    let dice_lengths = short >= 4 && 2 * short * 4 >= 3 * (short + long);
    let cover_lengths = short >= 6 && cell_len >= 6;
    if !dice_lengths && !cover_lengths {
        return 0.0;
    }
    // At most this many of the cell's pairs are in the alias: the rest have
    // a bit the alias's pairs lack. Most aliases of a table share too few
    // pairs with a cell for either score below, and this count is a tenth
    // of comparing the pairs.
    let shared = cell
        .pairs
        .iter()
        .filter(|p| alias.mask & pair_bit(p) != 0)
        .count();
    let (x, y) = (
        cell.pairs.len().min(DICE_PAIRS),
        alias.pairs.len().min(DICE_PAIRS),
    );
    // Dice >= 0.75 needs 8 * common >= 3 * (x + y), and common <= shared.
    if dice_lengths && 8 * shared.min(x) >= 3 * (x + y) {
        let sim = dice(cell, alias);
        if sim >= 0.75 {
            return 0.6 + 0.2 * sim;
        }
    }
    // A dropped or miswritten character in a long label (其他法律行政止公开
    // for 其他法律行政法规禁止公开): nearly every pair of the cell is in the
    // alias, and most of the alias is in the cell. (A cover of 0.85 or more
    // needs 20 * shared >= 17 * pairs.)
    if cover_lengths
        && 20 * shared >= 17 * cell.pairs.len()
        && cover(cell, alias) >= 0.85
        && cover(alias, cell) >= 0.6
    {
        return 0.76;
    }
    0.0
}

/// Dice's coefficient looks at this many character pairs of each text.
const DICE_PAIRS: usize = 64;

/// Dice's coefficient over the first 64 character pairs of each text
/// (`values::similarity` on prepared texts).
fn dice(a: &Prepared, b: &Prepared) -> f64 {
    const MAX: usize = DICE_PAIRS;
    let (x, y) = (
        &a.pairs[..a.pairs.len().min(MAX)],
        &b.pairs[..b.pairs.len().min(MAX)],
    );
    if x.is_empty() || y.is_empty() {
        return if a.text == b.text { 1.0 } else { 0.0 };
    }
    let mut used = [false; MAX];
    let mut common = 0;
    for pair in x {
        if let Some(i) = (0..y.len()).find(|&i| !used[i] && y[i] == *pair) {
            used[i] = true;
            common += 1;
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

/// The share of `a`'s character pairs that occur in `b`.
fn cover(a: &Prepared, b: &Prepared) -> f64 {
    if a.pairs.is_empty() {
        return 0.0;
    }
    let found = a.pairs.iter().filter(|p| b.pairs.contains(p)).count();
    found as f64 / a.pairs.len() as f64
}

/// The best score of `cell` against any of `aliases` under one scoring
/// function.
pub(crate) fn best_of(
    cell: &Prepared,
    aliases: &[Prepared],
    score: fn(&Prepared, &Prepared) -> f64,
) -> f64 {
    aliases.iter().map(|a| score(cell, a)).fold(0.0, f64::max)
}

/// The best score of `cell` against any of `aliases`: direct matches
/// first, fuzzy ones only when nothing matches directly.
#[cfg(test)]
fn best(cell: &str, aliases: &[&str]) -> f64 {
    let cell = Prepared::new(cell);
    let aliases: Vec<Prepared> = aliases.iter().map(|a| Prepared::new(a)).collect();
    let direct = best_of(&cell, &aliases, direct);
    if direct > 0.0 {
        direct
    } else {
        best_of(&cell, &aliases, fuzzy)
    }
}

/// Label matches at or above this score are trusted.
pub const THRESHOLD: f64 = 0.75;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::normalize_label as n;

    fn score(cell: &str, alias: &str) -> f64 {
        best(cell, &[alias])
    }

    /// The prepared Dice coefficient is `values::similarity`, on every pair
    /// of template aliases (the texts recognition actually compares).
    #[test]
    fn prepared_dice_is_values_similarity() {
        let aliases: Vec<&str> = templates::all()
            .iter()
            .flat_map(|t| t.tables.iter())
            .flat_map(|t| t.rows.iter().flat_map(|r| r.aliases.iter().copied()))
            .chain(["", "一", "本年新收政府信息公开申请数量本年新收政府信息公开申请数量本年新收政府信息公开申请数量本年新收"])
            .collect();
        for a in &aliases {
            for b in &aliases {
                let (x, y) = (Prepared::new(a), Prepared::new(b));
                assert_eq!(dice(&x, &y), crate::values::similarity(a, b), "{a} / {b}");
            }
        }
    }

    /// The pair-mask bound in [`fuzzy`] only skips comparisons that could
    /// not reach a score: against the same scoring without it, on every
    /// pair of template aliases and of aliases with a character dropped,
    /// changed or added (the texts the fuzzy path exists for).
    #[test]
    fn the_pair_bound_never_changes_a_fuzzy_score() {
        fn unbounded(cell: &Prepared, alias: &Prepared) -> f64 {
            let (short, long) = (cell.chars.min(alias.chars), cell.chars.max(alias.chars));
            if short >= 4 && 2 * short * 4 >= 3 * (short + long) && dice(cell, alias) >= 0.75 {
                return 0.6 + 0.2 * dice(cell, alias);
            }
            let covered = cover(cell, alias) >= 0.85 && cover(alias, cell) >= 0.6;
            if short >= 6 && cell.chars >= 6 && covered {
                return 0.76;
            }
            0.0
        }
        let aliases: Vec<String> = templates::all()
            .iter()
            .flat_map(|t| t.tables.iter())
            .flat_map(|t| t.rows.iter().flat_map(|r| r.aliases.iter()))
            .flat_map(|a| {
                let chars: Vec<char> = a.chars().collect();
                let mid = chars.len() / 2;
                let dropped: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != mid)
                    .map(|(_, c)| c)
                    .collect();
                let changed: String = chars
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| if i == mid { '某' } else { c })
                    .collect();
                [a.to_string(), dropped, changed, format!("{a}情况")]
            })
            .collect();
        let prepared: Vec<Prepared> = aliases.iter().map(|a| Prepared::new(a)).collect();
        let mut reached = 0;
        for cell in &prepared {
            for alias in &prepared {
                let want = unbounded(cell, alias);
                assert_eq!(fuzzy(cell, alias), want, "{} / {}", cell.text, alias.text);
                reached += usize::from(want > 0.0);
            }
        }
        assert!(
            reached > prepared.len(),
            "the texts reach fuzzy scores: {reached}"
        );
    }

    /// The one-search answers equal `str::contains` both ways, for every
    /// row alias of every template table against cells cut from aliases.
    #[test]
    fn contained_and_containing_equal_str_contains() {
        for spec in templates::all().iter().flat_map(|t| t.tables.iter()) {
            let labels = SpecLabels::of(spec);
            let aliases: Vec<&str> = spec
                .rows
                .iter()
                .flat_map(|r| r.aliases.iter().copied())
                .collect();
            let cells: Vec<String> = aliases
                .iter()
                .flat_map(|a| {
                    let chars: Vec<char> = a.chars().collect();
                    let half: String = chars[chars.len() / 2..].iter().collect();
                    [a.to_string(), half, format!("{a}情况"), "申请".to_string()]
                })
                .collect();
            for cell in &cells {
                let (inside, around) = (labels.contained(cell), labels.containing(cell));
                let flags = |c: &Contained| {
                    (0..spec.rows.len())
                        .flat_map(|r| c.row(r).to_vec())
                        .collect::<Vec<_>>()
                };
                let want_inside: Vec<bool> = aliases.iter().map(|a| cell.contains(a)).collect();
                let want_around: Vec<bool> =
                    aliases.iter().map(|a| a.contains(cell.as_str())).collect();
                assert_eq!(flags(&inside), want_inside, "{cell}");
                assert_eq!(flags(&around), want_around, "{cell}");
            }
        }
    }

    #[test]
    fn exact_contained_and_fuzzy() {
        assert_eq!(score(&n("（一）予以公开"), "予以公开"), 1.0);
        assert!(score(&n("一、本年新收政府信息公开申请数量"), "本年新收") > THRESHOLD);
        assert!(score(&n("2.其他法律法规禁止公开"), "其他法律行政法规禁止公开") > THRESHOLD);
        assert!(score(&n("(三) 不予公开"), "予以公开") < THRESHOLD);
        assert!(
            score(
                &n("上年结转政府信息公开申请数量"),
                "本年新收政府信息公开申请数量"
            ) < THRESHOLD
        );
        assert!(score(&n("结转下一年继续办理"), "结转下一年继续办理") == 1.0);
        assert!(score(&n("2.其他法律行政止公开"), "其他法律行政法规禁止公开") >= THRESHOLD);
        assert!(score(&n("4.保护第三方合法权益"), "其他法律行政法规禁止公开") < THRESHOLD);
        assert!(score(&n("2.没有现成信息需要另行制作"), "本机关不掌握相关政府信息") < THRESHOLD);
    }
}
