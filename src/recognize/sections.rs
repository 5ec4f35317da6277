//! The six narrative sections, found by their headings.

use crate::document::{Block, Document};
use crate::report::Sections;
use crate::templates::SECTIONS;
use crate::values::{fold_char, normalize_label};

/// Which section a paragraph heads, if it is a heading at all.
///
/// A heading is short and names a section; sub-topics of 总体情况 are often
/// numbered "（一）…" like the sections themselves would be, so a heading
/// numbered with brackets or Arabic digits is a sub-topic, not a section.
/// Headings renumbered (二–六 written as 一–五) still match, because the
/// number is ignored and only the order is enforced.
fn heading_index(text: &str, after: Option<usize>) -> Option<usize> {
    // Folding maps char to char, keeps white space white and leaves 、 and
    // the CJK numerals alone, so every test below reads the unfolded text
    // (folding only the first char) and `normalize_label` folds its own copy.
    let t = text.trim();
    if t.is_empty() || t.len() > 40 * 4 || t.chars().count() > 40 {
        return None;
    }
    let first = fold_char(t.chars().next()?);
    if matches!(first, '(' | '（' | '【') || first.is_ascii_digit() {
        return None;
    }
    // A sentence, not a heading: a clause break and a full stop
    // ("开渠道，在门户网站公布依申请公开受理机构、联系电话和通讯地址。", the
    // second half of a paragraph a page break cut, names 依申请公开).
    if t.contains('，') && t.ends_with('。') {
        return None;
    }
    let norm = normalize_label(t);
    let start = after.map_or(0, |i| i + 1);
    let named = sections_named(&norm);
    (start..SECTIONS.len())
        .find(|&i| named & (1 << i) != 0)
        .or_else(|| {
            // A typo in a numbered heading (四、…行政法复议、行政诉讼情况):
            // most of an alias's character pairs are there, in a heading
            // that is numbered like a section ("四、").
            let numbered = t.split_once('、').is_some_and(|(n, _)| {
                (1..=2).contains(&n.chars().count())
                    && n.chars().all(|c| "一二三四五六七八九十".contains(c))
            });
            numbered.then(|| {
                (start..SECTIONS.len()).find(|&i| {
                    SECTIONS[i].1.iter().any(|alias| {
                        alias.chars().count() >= 5 && bigram_cover(alias, &norm) >= 0.75
                    })
                })
            })?
        })
}

/// The sections (bit `i` for `SECTIONS[i]`) one of whose aliases `norm`
/// contains. One automaton over every alias instead of a substring search
/// per alias: every short paragraph is asked, ~335 searches per report on
/// the county page.
fn sections_named(norm: &str) -> u32 {
    static FINDER: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<usize>)> =
        std::sync::OnceLock::new();
    let (finder, section_of) = FINDER.get_or_init(|| {
        let (aliases, sections): (Vec<&str>, Vec<usize>) = SECTIONS
            .iter()
            .enumerate()
            .flat_map(|(i, (_, aliases))| aliases.iter().map(move |a| (*a, i)))
            .unzip();
        let finder = aho_corasick::AhoCorasick::new(aliases).expect("section aliases build");
        (finder, sections)
    });
    finder.find_overlapping_iter(norm).fold(0, |named, m| {
        named | 1 << section_of[m.pattern().as_usize()]
    })
}

/// The share of `alias`'s character pairs found in `text`.
fn bigram_cover(alias: &str, text: &str) -> f64 {
    let chars: Vec<char> = alias.chars().collect();
    let text_chars: Vec<char> = text.chars().collect();
    let pairs = chars.len().saturating_sub(1);
    if pairs == 0 {
        return 0.0;
    }
    let found = chars
        .windows(2)
        .filter(|w| text_chars.windows(2).any(|t| t == *w))
        .count();
    found as f64 / pairs as f64
}

/// Collects the text under each heading (tables excluded) into [`Sections`].
pub fn extract(doc: &Document) -> Sections {
    let mut sections = Sections::default();
    let mut current: Option<usize> = None;
    let mut text = String::new();
    for block in &doc.blocks {
        let Block::Paragraph(p) = block else { continue };
        let display = p.display();
        if let Some(i) = heading_index(&display, current) {
            store(&mut sections, current, &mut text);
            current = Some(i);
            continue;
        }
        if is_site_chrome(&p.text) {
            // The page footer or share bar of a scraped page: the report
            // ended above it.
            store(&mut sections, current, &mut text);
            current = None;
            continue;
        }
        if current.is_some() && !p.text.trim().is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(p.text.trim());
        }
    }
    store(&mut sections, current, &mut text);
    sections
}

/// Lines of a website's frame, never part of a report.
fn is_site_chrome(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "主办单位",
        "承办单位",
        "网站标识码",
        "ICP备",
        "版权所有",
        "分享到",
        "打印本页",
        "关闭窗口",
        "【打印】",
        "【关闭】",
        "扫一扫在手机",
    ];
    static FINDER: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let t = text.trim();
    t.chars().count() <= 200
        && FINDER
            .get_or_init(|| aho_corasick::AhoCorasick::new(MARKERS).expect("markers build"))
            .is_match(t)
}

fn store(sections: &mut Sections, index: Option<usize>, text: &mut String) {
    if let Some(i) = index {
        if let Some(slot) = sections.slot(SECTIONS[i].0) {
            *slot = Some(std::mem::take(text));
        }
    }
    text.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paragraph;

    fn doc(lines: &[&str]) -> Document {
        Document {
            notes: Vec::new(),
            blocks: lines
                .iter()
                .map(|l| Block::Paragraph(Paragraph::new(*l)))
                .collect(),
        }
    }

    #[test]
    fn headings_in_order_with_variants() {
        let d = doc(&[
            "标题",
            "一、总体情况",
            "（一）主动公开政府信息情况",
            "概述文字",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "五、政府信息公开工作存在的主要问题及改进情况",
            "问题文字",
            "六、其他需要报告的事项",
            "无",
            "分享到：微信 微博",
            "主办单位：某县人民政府办公室 网站标识码：0000000000",
        ]);
        let s = extract(&d);
        assert_eq!(
            s.overview.as_deref(),
            Some("（一）主动公开政府信息情况\n概述文字")
        );
        assert_eq!(s.active_disclosure.as_deref(), Some(""));
        assert!(s.review_litigation.is_some());
        assert_eq!(s.problems.as_deref(), Some("问题文字"));
        assert_eq!(s.other.as_deref(), Some("无"));
    }

    #[test]
    fn headings_with_typos_match() {
        let d = doc(&[
            "一、总体情况",
            "概述",
            "四、政府信息公开行政法复议、行政诉讼情况",
            "未发生。",
            "一、加强组织领导",
        ]);
        let s = extract(&d);
        assert_eq!(
            s.review_litigation.as_deref(),
            Some("未发生。\n一、加强组织领导")
        );
    }

    #[test]
    fn list_numbered_headings_match() {
        let mut p = Paragraph::new("总体情况");
        p.list_label = Some("一、".into());
        let d = Document {
            notes: Vec::new(),
            blocks: vec![
                Block::Paragraph(p),
                Block::Paragraph(Paragraph::new("正文")),
            ],
        };
        assert_eq!(extract(&d).overview.as_deref(), Some("正文"));
    }
}
