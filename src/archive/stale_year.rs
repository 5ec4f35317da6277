//! `narrative.stale_year`: the text names the previous year where the report
//! year belongs — a paragraph copied from last year's report and not updated
//! (`2022年，我局…` in a 2023 report; 统计期限自2022年1月1日起至2022年12月31日止).
//!
//! Only positions where the report year belongs are read: a sentence that
//! opens with the year (`YYYY年，` / `YYYY年度，` / `YYYY年本单位…` / `YYYY年我…`),
//! the statistics period (`自YYYY年1月1日`, `至YYYY年12月31日`), and the
//! report naming itself (`现将YYYY年…工作` / `YYYY年度政府信息公开工作年度报告`).
//! Comparisons (`与2022年相比`, `较上年`) and history (`2022年以来`) are
//! legitimate and not matched. The year named must be exactly the report year
//! minus one: older years are history, and the next year is the publication
//! date.

use crate::codes::RuleId;
use regex::Regex;
use std::sync::OnceLock;

use super::{ArchiveFinding, ArchiveRule, Ctx, Outcomes, Series};
use crate::report::{RuleStatus, Severity};

pub(crate) const RULE: RuleId = RuleId::declare("narrative.stale_year");
/// Evidence sentences are cut to this many characters.
const EVIDENCE_CHARS: usize = 120;

fn patterns() -> &'static [Regex; 3] {
    static RES: OnceLock<[Regex; 3]> = OnceLock::new();
    RES.get_or_init(|| {
        [
            // A sentence (or paragraph) opening with the year.
            Regex::new(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[)）])?\s*(20\d{2})\s*年(?:度)?\s*(?:[，,]|本|我|全|以来)").expect("regex"),
            // The statistics period.
            Regex::new(r"(?:自|从|为|期限)\s*(20\d{2})\s*年\s*1\s*月\s*1\s*日|至\s*(20\d{2})\s*年\s*12\s*月\s*31\s*日").expect("regex"),
            // The report naming its own year.
            Regex::new(r"现将\s*(20\d{2})\s*年|(20\d{2})\s*年度?(?:政府信息公开|政务公开)工作(?:年度)?报告").expect("regex"),
        ]
    })
}

/// Sentences of `text` naming `year - 1` where `year` belongs: (year named, sentence).
///
/// Every pattern names the year in digits, so a text (or sentence) whose
/// folded form lacks the digits of `year - 1` is passed over without
/// running them: most reports never name the previous year, and the
/// regexes over every sentence were 2.2% of a whole run's instructions
/// (callgrind, 300 generated reports).
pub(crate) fn hits(text: &str, year: i32) -> Vec<(i32, String)> {
    let mut out = Vec::new();
    let previous = (year - 1).to_string();
    if !crate::values::fold_width_cow(text).contains(previous.as_str()) {
        return out;
    }
    for sentence in text.split(['。', '\n', '；', ';', '！', '？', '!', '?']) {
        let sentence = sentence.trim();
        if sentence.is_empty() {
            continue;
        }
        let folded = crate::values::fold_width(sentence);
        if !folded.contains(previous.as_str()) {
            continue;
        }
        let named = patterns().iter().find_map(|re| {
            re.captures_iter(&folded).find_map(|c| {
                let y: i32 = c.iter().skip(1).flatten().next()?.as_str().parse().ok()?;
                // 以来 after a year is history, never a stale year.
                let whole = c.get(0)?.as_str();
                (y == year - 1 && !whole.ends_with("以来")).then_some(y)
            })
        });
        if let Some(y) = named {
            out.push((y, sentence.chars().take(EVIDENCE_CHARS).collect()));
        }
    }
    out
}

pub(crate) struct StaleYear;

impl ArchiveRule for StaleYear {
    fn id(&self) -> RuleId {
        RULE
    }

    fn check(&self, series: &Series, _ctx: &Ctx, out: &mut Outcomes) {
        for (i, m) in series.members.iter().enumerate() {
            let Some(year) = m.year else {
                out.check(
                    i,
                    RULE,
                    RuleStatus::NotAssessable,
                    Some("year unknown".into()),
                );
                continue;
            };
            if m.sketches.is_empty() {
                out.check(
                    i,
                    RULE,
                    RuleStatus::NotAssessable,
                    Some("no section text".into()),
                );
                continue;
            }
            let mut sections: Vec<&str> = Vec::new();
            for hit in &m.stale {
                // One finding per section: the first sentence is the evidence.
                if sections.contains(&hit.section.as_str()) {
                    continue;
                }
                sections.push(&hit.section);
                let mut f = ArchiveFinding::new(
                    RULE,
                    Severity::Warning,
                    format!(
                        "a {year} report names {} where its own year belongs (section {}): \"{}\"",
                        hit.named, hit.section, hit.sentence
                    ),
                );
                f.row = Some(hit.section.clone());
                f.expected = Some(super::num(year as f64));
                f.actual = Some(super::num(hit.named as f64));
                f.evidence = Some(hit.sentence.clone());
                out.finding(i, f);
            }
            let status = if sections.is_empty() {
                RuleStatus::Passed
            } else {
                RuleStatus::Failed
            };
            out.check(i, RULE, status, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_years_where_the_report_year_belongs() {
        let y = 2023;
        assert_eq!(
            hits(
                "2022年，我局坚持以习近平新时代中国特色社会主义思想为指导。",
                y
            )
            .len(),
            1
        );
        assert_eq!(
            hits(
                "报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
                y
            )
            .len(),
            1
        );
        assert_eq!(
            hits("2022年本单位政府信息公开工作取得了一定成绩", y).len(),
            1
        );
        assert_eq!(hits("现将2022年度政府信息公开工作情况报告如下", y).len(), 1);
        assert_eq!(hits("（一）２０２２年，全镇共发布信息", y).len(), 1);
    }

    #[test]
    fn comparisons_history_and_other_years_are_not_stale() {
        let y = 2023;
        assert!(hits("与2022年相比，申请数量有所增加。", y).is_empty());
        assert!(hits("2022年以来，我镇持续推进政务公开。", y).is_empty());
        assert!(hits(
            "2023年，我局坚持以习近平新时代中国特色社会主义思想为指导。",
            y
        )
        .is_empty());
        assert!(hits("2021年，我局获评先进单位。", y).is_empty());
        assert!(hits("2024年1月15日", y).is_empty());
    }
}
