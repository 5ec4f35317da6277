//! Matching a row's cells to the template's rows and groups.
//!
//! A verdict (which row or group a normalized text names, in a group
//! context) depends only on the text, the context and the template table,
//! and the texts repeat: within a table (merged cells copy their text into
//! every position) and across reports (every report of a year prints the
//! same template labels). So verdicts are kept per table and, for the
//! template's own tables, per thread across reports, bounded by
//! [`verdicts::ENTRIES`].

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::labels::{self, THRESHOLD};
use crate::templates::{RowSpec, TableSpec};

/// What one cell's label says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum LabelMatch {
    Row { index: usize },
    Group(&'static str),
}

pub(super) struct RowMatcher<'s, 't> {
    spec: &'s TableSpec,
    labels: Cow<'static, labels::SpecLabels>,
    pub(super) group: Option<&'static str>,
    /// What `classify` said of a text in a group context. Merged cells copy
    /// their text into every position they cover, so a vertical group label
    /// (三、本年度办理结果 down twenty rows) is the same text row after row;
    /// matching it again (the fuzzy path, since it names no row) was the
    /// largest cost of recognition.
    seen: FxHashMap<(&'t str, Option<&'static str>), Option<LabelMatch>>,
}

impl<'s, 't> RowMatcher<'s, 't> {
    pub(super) fn new(spec: &'s TableSpec) -> Self {
        RowMatcher {
            spec,
            labels: labels::spec_labels(spec),
            group: None,
            seen: FxHashMap::default(),
        }
    }

    /// The best-matching row: by identity or containment first, and only
    /// when no row matches that way, by fuzzy similarity.
    pub(super) fn row_match(&self, norm: &str) -> Option<(usize, f64)> {
        let cell = labels::Prepared::new(norm);
        let contained = self.labels.contained(norm);
        // Only a cell of 4 characters or more scores by lying inside an
        // alias (`labels::direct`), so shorter ones skip that search.
        let containing = if cell.chars() >= 4 {
            self.labels.containing(norm)
        } else {
            self.labels.containing("")
        };
        self.row_match_with(|i, aliases| {
            aliases
                .iter()
                .zip(contained.row(i).iter().zip(containing.row(i)))
                .map(|(a, (&inside, &around))| labels::direct_knowing(&cell, a, inside, around))
                .fold(0.0, f64::max)
        })
        .or_else(|| {
            self.row_match_with(|_, aliases| labels::best_of(&cell, aliases, labels::fuzzy))
        })
    }

    /// The best row at or above the threshold under `score` (row index,
    /// its prepared aliases), among the rows the group context allows.
    fn row_match_with(
        &self,
        score: impl Fn(usize, &[labels::Prepared]) -> f64,
    ) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for (i, row) in self.spec.rows.iter().enumerate() {
            if row.group.is_some() && row.group != self.group {
                continue;
            }
            let s = score(i, &self.labels.rows[i]);
            if s >= THRESHOLD && best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
        best
    }

    /// A group label: matched directly only, since no fuzzy score reaches
    /// 0.9 (their best is 0.8).
    pub(super) fn group_match(&self, norm: &str) -> Option<&'static str> {
        let cell = labels::Prepared::new(norm);
        self.spec
            .groups
            .iter()
            .zip(&self.labels.groups)
            .find(|(_, aliases)| labels::best_of(&cell, aliases, labels::direct) >= 0.9)
            .map(|(g, _)| g.key)
    }

    pub(super) fn classify(&mut self, norm: &'t str) -> Option<LabelMatch> {
        if norm.is_empty() {
            return None;
        }
        let key = (norm, self.group);
        if let Some(known) = self.seen.get(&key) {
            return *known;
        }
        let found = match &self.labels {
            // Only a template's own spec has a stable identity to cache by.
            Cow::Borrowed(_) => match alias_verdict(self.spec, self.group, norm) {
                Some(verdict) => verdict,
                None => {
                    verdicts::get_or(self.spec, self.group, norm, || self.classify_afresh(norm))
                }
            },
            Cow::Owned(_) => self.classify_afresh(norm),
        };
        self.seen.insert(key, found);
        found
    }

    fn classify_afresh(&self, norm: &str) -> Option<LabelMatch> {
        let row = self.row_match(norm);
        if let Some((index, score)) = row {
            if score >= 1.0 {
                return Some(LabelMatch::Row { index });
            }
        }
        if let Some(g) = self.group_match(norm) {
            return Some(LabelMatch::Group(g));
        }
        row.map(|(index, _)| LabelMatch::Row { index })
    }

    /// Updates the group context after a row is recognized: sub-rows set it
    /// (so a lost group label is recovered), top-level rows clear it.
    pub(super) fn after_row(&mut self, row: &RowSpec) {
        self.group = match row.key.split_once('.') {
            Some((group, _)) => self
                .spec
                .groups
                .iter()
                .find(|g| g.key == group)
                .map(|g| g.key),
            None if row.group.is_some() => row
                .group
                .and_then(|g| self.spec.groups.iter().find(|x| x.key == g))
                .map(|g| g.key),
            None => None,
        };
    }
}

/// The templates' own aliases, normalized, with their verdict in every group
/// context of their table, made once per process.
type AliasVerdicts =
    FxHashMap<(usize, Option<&'static str>), FxHashMap<Box<str>, Option<LabelMatch>>>;

/// The verdict of `norm` if it is one of the template table's own aliases
/// (row or group), without matching it: most label cells of a report print
/// an alias exactly once numbering and punctuation are stripped (39 of the
/// 44 texts the county sample's tables ask about, 34 of 36 in the
/// Guangyang report), and matching one against every alias of its table
/// costs about 11,000 instructions (measured: cold recognition of the 34
/// seed texts fell from 1.73 M to 1.36 M instructions with this table). The
/// verdicts are `classify_afresh`'s, made when the templates are first used
/// (565 of them over all tables and group contexts, once per process); unlike [`verdicts`], they do not depend on what earlier
/// reports printed.
fn alias_verdict(
    spec: &TableSpec,
    group: Option<&'static str>,
    norm: &str,
) -> Option<Option<LabelMatch>> {
    static ALL: std::sync::OnceLock<AliasVerdicts> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(alias_verdicts);
    all.get(&(labels::spec_address(spec), group))?
        .get(norm)
        .copied()
}

/// Every alias of a table's rows, then of its groups.
fn aliases_of(spec: &TableSpec) -> impl Iterator<Item = &'static str> + '_ {
    spec.rows
        .iter()
        .flat_map(|r| r.aliases.iter())
        .chain(spec.groups.iter().flat_map(|g| g.aliases.iter()))
        .copied()
}

fn alias_verdicts() -> AliasVerdicts {
    let mut all = AliasVerdicts::default();
    for spec in crate::templates::all().iter().flat_map(|t| t.tables.iter()) {
        let aliases: Vec<String> = aliases_of(spec)
            .map(crate::values::normalize_label)
            .filter(|a| !a.is_empty())
            .collect();
        let contexts = std::iter::once(None).chain(spec.groups.iter().map(|g| Some(g.key)));
        for group in contexts {
            let mut matcher = RowMatcher::new(spec);
            matcher.group = group;
            let by_text = aliases
                .iter()
                .map(|a| (a.as_str().into(), matcher.classify_afresh(a)))
                .collect();
            all.insert((labels::spec_address(spec), group), by_text);
        }
    }
    all
}

/// Verdicts across reports, per worker thread.
pub(crate) mod verdicts {
    use std::cell::RefCell;

    use rustc_hash::FxHashMap;

    use super::LabelMatch;
    use crate::templates::TableSpec;

    /// At most this many texts are kept per thread (then all are dropped and
    /// the cache refills): about 1.5 MB at the generated corpus's label
    /// lengths. A year's template prints about 150 distinct labels; real
    /// archives add variants, OCR errors and scraped noise.
    pub(crate) const ENTRIES: usize = 16_384;

    type ByText = FxHashMap<Box<str>, Option<LabelMatch>>;

    #[derive(Default)]
    struct Cache {
        /// (template table's address, group context) -> verdicts by text.
        contexts: Vec<((usize, Option<&'static str>), ByText)>,
        entries: usize,
    }

    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::default();
    }

    /// The cached verdict for `norm`, or `afresh()`'s, remembered.
    pub(super) fn get_or(
        spec: &TableSpec,
        group: Option<&'static str>,
        norm: &str,
        afresh: impl FnOnce() -> Option<LabelMatch>,
    ) -> Option<LabelMatch> {
        let context = (super::labels::spec_address(spec), group);
        let known = CACHE.with_borrow(|c| {
            c.contexts
                .iter()
                .find(|(k, _)| *k == context)
                .and_then(|(_, by_text)| by_text.get(norm).copied())
        });
        if let Some(verdict) = known {
            return verdict;
        }
        let verdict = afresh();
        CACHE.with_borrow_mut(|c| {
            if c.entries >= ENTRIES {
                *c = Cache::default();
            }
            let at = match c.contexts.iter().position(|(k, _)| *k == context) {
                Some(at) => at,
                None => {
                    c.contexts.push((context, ByText::default()));
                    c.contexts.len() - 1
                }
            };
            c.contexts[at].1.insert(norm.into(), verdict);
            c.entries += 1;
        });
        verdict
    }

    /// Forgets every verdict of this thread (for cold-cache measurements).
    pub fn clear() {
        CACHE.with_borrow_mut(|c| *c = Cache::default());
    }

    /// The number of verdicts this thread holds.
    #[cfg(test)]
    pub(crate) fn len() -> usize {
        CACHE.with_borrow(|c| c.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;
    use crate::values::normalize_label;

    /// Every alias of every template table, cut and padded, in every group
    /// context: the verdict is the same fresh, with a cold cache and with a
    /// warm one (each from a new matcher, so only the thread cache can
    /// remember).
    #[test]
    fn cached_verdicts_equal_fresh_ones() {
        for spec in templates::all().iter().flat_map(|t| t.tables.iter()) {
            let texts: Vec<String> = aliases_of(spec)
                .flat_map(|a| {
                    let chars: Vec<char> = a.chars().collect();
                    let cut: String = chars[..chars.len().saturating_sub(1)].iter().collect();
                    [a.to_string(), cut, format!("（一）{a}情况")]
                })
                .map(|t| normalize_label(&t))
                .collect();
            let contexts = std::iter::once(None).chain(spec.groups.iter().map(|g| Some(g.key)));
            for group in contexts {
                let verdict = |text: &str| {
                    let mut matcher = RowMatcher::new(spec);
                    matcher.group = group;
                    matcher.classify(text)
                };
                let fresh: Vec<_> = texts
                    .iter()
                    .map(|t| {
                        let mut matcher = RowMatcher::new(spec);
                        matcher.group = group;
                        (!t.is_empty())
                            .then(|| matcher.classify_afresh(t))
                            .flatten()
                    })
                    .collect();
                verdicts::clear();
                let cold: Vec<_> = texts.iter().map(|t| verdict(t)).collect();
                assert!(verdicts::len() > 0, "template tables are cached");
                let warm: Vec<_> = texts.iter().map(|t| verdict(t)).collect();
                assert_eq!(cold, fresh, "{}", spec.key.as_str());
                assert_eq!(warm, fresh, "{}", spec.key.as_str());
            }
        }
    }

    #[test]
    fn the_cache_is_bounded() {
        let spec = &templates::all()[0].tables[0];
        verdicts::clear();
        for i in 0..verdicts::ENTRIES + 10 {
            RowMatcher::new(spec).classify(&format!("未知标签{i}"));
        }
        assert!(verdicts::len() <= verdicts::ENTRIES);
    }
}
