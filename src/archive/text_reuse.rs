//! `cross_year.text_reuse`: a report that repeats the previous year's text.
//!
//! The measure is character n-gram containment: the share of this year's
//! n-grams (of a section, and of the whole text) that also occur anywhere in
//! the previous year's report of the same agency. Before n-grams are taken,
//! the text is folded to half width and reduced to its letters (digits,
//! punctuation and white space dropped), so changed numbers and dates do not
//! hide a copy; a set of n-grams does not care about order, so moved
//! paragraphs do not either. Containment, not Jaccard: a short report that
//! copies half of a long one is a copy.
//!
//! Cost is linear in text size: each n-gram is hashed once, and only hashes
//! divisible by [`SAMPLE`] are kept (a consistent sample: the same n-gram is
//! kept in every report, so containment over the samples estimates
//! containment over all n-grams; with 1 in 4 kept, a 2,000-character section
//! keeps ~500 hashes, 2 KB). Only the same key's adjacent years are compared,
//! never all pairs.
//!
//! [`NGRAM`] = 13, the window of the common "13 consecutive characters"
//! plagiarism rule: shorter shared phrases (政府信息公开工作, 14 characters
//! with 年度) are boilerplate, not copying. Measured on a 300-report
//! generated archive (reports draw on shared sentence banks, as real reports
//! share boilerplate): with 8-grams independent years of one agency reached
//! 61% containment (shared phrases), with 13-grams at most 36%, while copies
//! of last year's text (numbers changed, count sentence rewritten) score
//! 85–95%. Sections
//! shorter than [`MIN_SAMPLE`] sampled n-grams (~40 characters, e.g. 无。)
//! are not judged on their own and only count overall.

use crate::codes::RuleId;
use xxhash_rust::xxh3::xxh3_64;

use super::facts::{Facts, SectionSketch};
use super::{ArchiveFinding, ArchiveRule, Ctx, Outcomes, Series};
use crate::report::{RuleStatus, Severity};

pub(crate) const RULE: RuleId = RuleId::declare("cross_year.text_reuse");
pub(crate) const NGRAM: usize = 13;
pub(crate) const SAMPLE: u64 = 4;
pub(crate) const MIN_SAMPLE: usize = 8;
/// Below this many sampled n-grams overall (~400 characters), a report has
/// too little text to judge: a bare 问题与改进 section of two boilerplate
/// sentences repeated 56% of another year's in the generated corpus.
const MIN_OVERALL: usize = 100;

/// The text's letters (folded to half width) as UTF-8, and where each
/// letter starts, with the end as the last entry.
fn letters(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len() / 3 + 1);
    for c in crate::values::fold_width(text).chars() {
        if is_letter(c) {
            starts.push(out.len());
            out.push(c);
        }
    }
    starts.push(out.len());
    (out, starts)
}

/// `char::is_alphabetic`, answering the common cases of a Chinese report
/// without the Unicode tables (their lookup was a third of sketching a
/// report, perf): ASCII, the CJK Unified Ideographs block, and the
/// punctuation that fills its sentences (none of it alphabetic).
fn is_letter(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        '\u{4E00}'..='\u{9FFF}' => true,
        '\u{3001}' | '\u{3002}' | '\u{300A}'..='\u{3011}' | '\u{2014}'..='\u{201D}' => false,
        _ => c.is_alphabetic(),
    }
}

/// The sampled sketch of a text: (n-gram count, sorted distinct samples).
/// Each n-gram is hashed as its UTF-8 bytes, sliced from the letters
/// encoded once.
pub(crate) fn sketch(text: &str) -> (u32, Vec<u32>) {
    let (letters, starts) = letters(text);
    let count = starts.len() - 1;
    if count < NGRAM {
        return (0, Vec::new());
    }
    let bytes = letters.as_bytes();
    let mut sample = Vec::new();
    for i in 0..=count - NGRAM {
        let h = xxh3_64(&bytes[starts[i]..starts[i + NGRAM]]);
        if h.is_multiple_of(SAMPLE) {
            sample.push((h >> 32) as u32);
        }
    }
    sample.sort_unstable();
    sample.dedup();
    ((count - NGRAM + 1) as u32, sample)
}

fn overlap(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn union(sketches: &[SectionSketch]) -> Vec<u32> {
    let mut all: Vec<u32> = sketches
        .iter()
        .flat_map(|s| s.sample.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Containment of `a` in `b`, if `a` has enough samples to judge.
pub(crate) fn containment(a: &[u32], b: &[u32], min: usize) -> Option<f64> {
    (a.len() >= min).then(|| overlap(a, b) as f64 / a.len() as f64)
}

/// Per-section and overall similarity of `cur` to `prev`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Similarity {
    pub section: String,
    pub similarity: f64,
}

pub(crate) fn similarity(cur: &Facts, prev: &Facts) -> Option<(f64, Vec<Similarity>)> {
    let theirs = union(&prev.sketches);
    let overall = containment(&union(&cur.sketches), &theirs, MIN_OVERALL)?;
    let sections = cur
        .sketches
        .iter()
        .filter_map(|s| {
            containment(&s.sample, &theirs, MIN_SAMPLE).map(|v| Similarity {
                section: s.section.clone(),
                similarity: round3(v),
            })
        })
        .collect();
    Some((round3(overall), sections))
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

pub(crate) struct TextReuse;

impl ArchiveRule for TextReuse {
    fn id(&self) -> RuleId {
        RULE
    }

    fn check(&self, series: &Series, ctx: &Ctx, out: &mut Outcomes) {
        series.adjacent(RULE, out, |cur, prev, out| {
            let (c, p) = (&series.members[cur], &series.members[prev]);
            let Some((overall, sections)) = similarity(c, p) else {
                return (
                    RuleStatus::NotAssessable,
                    Some("too little text to compare".into()),
                );
            };
            let over: Vec<&Similarity> = sections
                .iter()
                .filter(|s| s.similarity > ctx.reuse_threshold)
                .collect();
            if overall <= ctx.reuse_threshold {
                return (RuleStatus::Passed, None);
            }
            let listed: Vec<String> = sections
                .iter()
                .map(|s| format!("{} {:.0}%", s.section, s.similarity * 100.0))
                .collect();
            let mut f = ArchiveFinding::new(
                RULE,
                Severity::Warning,
                format!(
                    "{:.0}% of the text repeats the {} report {} (threshold {:.0}%; by section: {}; {} section(s) above)",
                    overall * 100.0,
                    p.year.unwrap_or_default(),
                    p.source,
                    ctx.reuse_threshold * 100.0,
                    listed.join(", "),
                    over.len()
                ),
            );
            f.expected = Some(super::num(ctx.reuse_threshold));
            f.actual = Some(super::num(overall));
            f.counterpart = Some(p.source.clone());
            f.similarity = sections;
            out.finding(cur, f);
            (RuleStatus::Failed, None)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_shortcut_agrees_with_the_unicode_tables() {
        let ranges = [0..0x3000u32, 0x3000..0x3100, 0x2000..0x2100, 0x4DF0..0xA010];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn containment_ignores_numbers_and_order() {
        let a = "2022年，本镇共发布政务信息136条，组织开展政务公开业务培训3次，参训人员45人次。严格落实政府信息公开审查机制，坚持先审查后公开原则。";
        let b = "严格落实政府信息公开审查机制，坚持先审查后公开原则。2023年，本镇共发布政务信息211条，组织开展政务公开业务培训5次，参训人员60人次。";
        let (_, sa) = sketch(a);
        let (_, sb) = sketch(b);
        let c = containment(&sb, &sa, 1).unwrap();
        assert!(c > 0.75, "{c}");
        let other = "加强乡村振兴领域信息公开，及时公开衔接资金项目安排、资金使用等情况，推进生态环境领域信息公开，及时公开环境监测。";
        let (_, so) = sketch(other);
        let c = containment(&so, &sa, 1).unwrap();
        assert!(c < 0.2, "{c}");
    }

    #[test]
    fn short_text_is_not_judged() {
        let (n, s) = sketch("无。");
        assert_eq!(n, 0);
        assert!(containment(&s, &s, MIN_SAMPLE).is_none());
    }
}
