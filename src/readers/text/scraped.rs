//! Scraped page texts: what a crawler makes of a report page.
//!
//! A crawler that joins the text of every `<td>` without a separator turns
//! a table row into one line whose numbers touch
//! (`一、本年新收政府信息公开申请数量15130000154`), often runs the whole body
//! into one line after its own header (`url:`, `标题:` lines), and lets Word
//! CSS and conditional comments (`<!--[if !supportLists]-->`) leak in. This
//! module undoes what can be undone without knowing any numbers:
//!
//! - [`strip_markup_leaks`] removes HTML comments and CSS rule blocks;
//! - [`pieces`] cuts a line before numbering (`（一）`, `2.` before a label,
//!   `三、` before a template heading or row) and before the template's
//!   table captions, then reads each piece as label text followed by a run
//!   of digits, which becomes a two-cell table row `[label, run]`.
//!
//! The run is kept whole: how many values it holds and where they split is
//! the recognizer's business (`recognize::segment`), which knows the
//! template's arithmetic. Nothing here is a regex backtracking search: the
//! regexes are `regex` crate automata (linear in the line), and every other
//! pass is one scan, so a 60 MB one-line file costs time linear in its size.

use std::sync::OnceLock;

use regex::Regex;

/// Lines longer than this are cut at numbering and captions even when they
/// do not end in digits: one-line bodies (the seed's longest real line is
/// 320 characters of prose, which the cut leaves intact when it holds no
/// numbering).
const LONG_LINE: usize = 160;

/// Removes leaked markup: HTML comments (Word's conditional comments) and
/// CSS rule blocks (`p.MsoNormal{margin:0cm;…}`). Only runs when a marker is
/// present, so ordinary text is returned unchanged and unscanned twice.
pub(super) fn strip_markup_leaks(text: &str) -> std::borrow::Cow<'_, str> {
    if !may_leak_markup(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?s)<!--.*?-->|<!\[[^\]]{0,40}\]>|/\*.*?\*/",
            r"|[A-Za-z@.#*][A-Za-z0-9_.#:,>@*\-\s]{0,200}\{[^{}]*:[^{}]*\}"
        ))
        .expect("valid regex")
    });
    re.replace_all(text, "")
}

/// Whether `text` holds `<!`, `{` or `/*`: one `memchr3` pass for the
/// three bytes that start them (three `contains` scans of the seed
/// report's 8 KB were 19,000 instructions; this is under 3,000).
fn may_leak_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'<', b'{', b'/', bytes).any(|i| match bytes[i] {
        b'{' => true,
        b'<' => bytes.get(i + 1) == Some(&b'!'),
        _ => bytes.get(i + 1) == Some(&b'*'),
    })
}

/// Whole-line page numbers of PDF and Word exports: `— 3 —`, `-4-`, `第3页`,
/// `第 3 页 共 8 页`.
pub(super) fn is_page_footer(line: &str) -> bool {
    let t = line.trim();
    may_be_page_footer(t)
        && t.len() <= 24 * 4
        && t.chars().count() <= 24
        && page_footer().is_match(t)
}

fn page_footer() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:[-—–－─]+\s*[0-9０-９]{1,4}\s*[-—–－─]+",
            r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]{1,4}\s*页)?",
            r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4})$"
        ))
        .expect("valid regex")
    })
}

/// What each of the footer pattern's three anchored forms needs at its
/// ends: a dash line ends in a dash, `第…页` in `页`, `3/8` holds a `/`.
/// Most lines fail here, before counting characters or running the regex:
/// the seed report's table rows and cells start with digits, and sending
/// every one of them to the regex cost 3,500 of the text reader's 279,000
/// instructions (`benches/instructions.sh read_text_seed`).
fn may_be_page_footer(t: &str) -> bool {
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '－' | '─');
    let (Some(first), Some(last)) = (t.chars().next(), t.chars().next_back()) else {
        return false;
    };
    match first {
        '第' => last == '页',
        '0'..='9' | '０'..='９' => t.contains('/'),
        c if dash(c) => dash(last),
        _ => false,
    }
}

/// Placeholder header cells of Markdown exports (`数据1 | 数据2`, `列1`,
/// `Column1`): they carry no label.
pub(super) fn is_placeholder_header(cells: &[super::Cell]) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:数据|列|字段|表头|Column|column|Col|col)\s*[0-9]{1,3}$")
            .expect("valid regex")
    });
    // The pattern is anchored: a cell not starting with one of its
    // prefixes' first characters is no placeholder (the regex is spared).
    let may_start = |c: &str| c.starts_with(['数', '列', '字', '表', 'C', 'c']);
    let mut written = cells.iter().filter(|c| !c.trim().is_empty()).peekable();
    written.peek().is_some()
        && written.all(|c| {
            let c = c.trim();
            may_start(c) && re.is_match(c)
        })
}

/// What one scraped line holds, in order.
#[derive(Debug, PartialEq)]
pub(super) enum Piece {
    /// A table row: label cells, then the run of values as one cell.
    Row(Vec<super::Cell>),
    /// A short label line between rows (a group label such as （三）不予公开).
    Label(super::Cell),
    Text(String),
}

/// Reads a line without tabs or pipes as scraped table rows, when it is
/// one. `None` for ordinary prose (the fast path: a short line that does
/// not end in a digit is never scanned further).
///
/// A long line is cut first; its pieces are allocated only when one of
/// them is a row, and a piece is scanned for rows only when it ends in a
/// value character. The seed report's six paragraphs of 170-360
/// characters are long lines and none holds a row: scanning every piece
/// for rows, then allocating and label-testing them all before returning
/// `None`, was 80,000 of the reader's 1.01 M instructions.
pub(super) fn pieces(line: &str) -> Option<Vec<Piece>> {
    let t = line.trim();
    let long = t.len() > LONG_LINE * 3; // bytes: CJK is 3 bytes a character
    let ends_in_digit = t
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if !long && !ends_in_digit {
        return None;
    }
    let parts = cut(t);
    let pairs: Vec<Option<Vec<(&str, &str)>>> = parts.iter().map(|p| row_pairs(p)).collect();
    if pairs.iter().all(Option::is_none) {
        return None;
    }
    let mut out = Vec::with_capacity(parts.len());
    for (part, pairs) in parts.into_iter().zip(pairs) {
        match pairs {
            Some(pairs) => {
                for (label, run) in pairs {
                    out.push(Piece::Row(vec![label.into(), run.trim().into()]));
                }
            }
            None if is_row_label(part) => out.push(Piece::Label(part.trim().into())),
            None => out.push(Piece::Text(part.trim().to_string())),
        }
    }
    // A short line is a row label only between rows (a title or a heading
    // line stays text).
    for i in 0..out.len() {
        let next_is_row = matches!(out.get(i + 1), Some(Piece::Row(_) | Piece::Label(_)));
        if let Piece::Label(l) = &out[i] {
            if !next_is_row || l.contains("报告") {
                let text = std::mem::take(match &mut out[i] {
                    Piece::Label(l) => l,
                    _ => unreachable!("checked"),
                });
                out[i] = Piece::Text(text.into());
            }
        }
    }
    Some(out)
}

/// Short label text that heads rows (a group label, a wrapped label):
/// not a sentence, not a section heading.
fn is_row_label(part: &str) -> bool {
    let t = part.trim();
    let n = t.chars().count();
    (2..=30).contains(&n) && !t.contains('。') && !t.contains('：') && !starts_with_heading(t)
}

/// Headings (as opposed to the numbered rows of table 三).
const HEADING_STARTS: &[&str] = &[
    "总体情况",
    "主动公开",
    "收到和处理",
    "政府信息公开行政复议",
    "因政府信息公开",
    "政府信息公开工作存在",
    "存在的主要问题",
    "其他需要报告",
];

/// Table 三's numbered rows. With [`HEADING_STARTS`] these are what a
/// numeral plus 、 introduces; only before them is "X、" a cut point
/// (elsewhere 统一、规范 is prose).
const ROW_STARTS: &[&str] = &[
    "本年新收",
    "上年结转",
    "本年度办理结果",
    "本年度办理",
    "结转下",
];

fn is_numbered_start(t: &str) -> bool {
    HEADING_STARTS
        .iter()
        .chain(ROW_STARTS)
        .any(|s| t.starts_with(s))
}

fn starts_with_heading(t: &str) -> bool {
    let Some((num, rest)) = t.split_once('、') else {
        return false;
    };
    num.chars().count() <= 2
        && num.chars().all(is_cn_numeral)
        && HEADING_STARTS.iter().any(|h| rest.starts_with(h))
}

/// The template's section headings in full, longest first: in a one-line
/// body the text runs on right after them.
const HEADINGS: &[&str] = &[
    "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
    "政府信息公开工作存在的主要问题及改进情况",
    "政府信息公开行政复议、行政诉讼情况",
    "收到和处理政府信息公开申请情况",
    "存在的主要问题及改进情况",
    "主动公开政府信息情况",
    "其他需要报告的事项",
    "总体情况",
];

/// Site chrome that a one-line body runs into (see `sections`).
const CHROME: &[&str] = &["分享到", "【打印", "【关闭", "主办单位", "扫一扫"];

/// Captions that start a table in the template.
const CAPTIONS: &[&str] = &["第二十条第", "（本列数据", "(本列数据", "行政复议行政诉讼"];

fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Cuts a line before numbering and captions. One pass over the
/// characters (no index of the whole line is built: a one-line body can be
/// tens of megabytes); only the few characters that can start a cut look
/// ahead or behind. Looking three characters ahead at every character, and
/// testing each against the numerals by a string search, was 400,000 of
/// the seed report's 1.01 M instructions; most characters now cost one
/// decode and one `match`.
fn cut(line: &str) -> Vec<&str> {
    let mut cuts = vec![0usize];
    for (b, c) in line.char_indices() {
        let cut_here = match c {
            '（' | '(' => cut_at_paren(line, b),
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' => {
                cut_at_numeral(line, b, &mut cuts)
            }
            '第' | '行' => CAPTIONS.iter().any(|p| line[b..].starts_with(p)),
            // The page's share bar and footer run on after the body.
            '分' | '【' | '主' | '扫' => CHROME.iter().any(|p| line[b..].starts_with(p)),
            '1'..='9' | '１'..='９' => cut_at_sub_row_number(line, b),
            _ => false,
        };
        if cut_here && b > 0 {
            cuts.push(b);
        }
    }
    cuts.push(line.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| &line[w[0]..w[1]])
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// The character before byte `b` (which starts a character).
fn char_before(line: &str, b: usize) -> Option<char> {
    line[..b].chars().next_back()
}

/// The up to three characters after the one at byte `b`.
fn ahead3(line: &str, b: usize) -> (Option<char>, Option<char>, Option<char>) {
    let mut ahead = line[b..].chars().skip(1);
    (ahead.next(), ahead.next(), ahead.next())
}

/// At a `（` or `(`: （一） numbering, but not 第二十条第（一）项 nor
/// （含…）; or a caption.
fn cut_at_paren(line: &str, b: usize) -> bool {
    let (a1, a2, a3) = ahead3(line, b);
    let close = |x: Option<char>| matches!(x, Some('）' | ')'));
    let numeral =
        a1.is_some_and(is_cn_numeral) && (close(a2) || a2.is_some_and(is_cn_numeral) && close(a3));
    (numeral && char_before(line, b) != Some('第'))
        || CAPTIONS.iter().any(|p| line[b..].starts_with(p))
}

/// At a Chinese numeral: "三、" or "十二、" before a heading or one of
/// table 三's rows. A heading glued to its text also cuts after the
/// heading (pushed onto `cuts` here).
fn cut_at_numeral(line: &str, b: usize, cuts: &mut Vec<usize>) -> bool {
    if char_before(line, b).is_some_and(is_cn_numeral) {
        return false;
    }
    let rest = &line[b..];
    let (a1, a2, _) = ahead3(line, b);
    let tail = if a1 == Some('、') {
        rest.char_indices().nth(2).map(|(i, _)| &rest[i..])
    } else if a1.is_some_and(is_cn_numeral) && a2 == Some('、') {
        rest.char_indices().nth(3).map(|(i, _)| &rest[i..])
    } else {
        None
    };
    let Some(t) = tail.filter(|t| is_numbered_start(t)) else {
        return false;
    };
    if let Some(h) = HEADINGS.iter().find(|h| t.starts_with(*h)) {
        cuts.push(line.len() - t.len() + h.len());
    }
    true
}

/// At a digit: "2.其他法律…", a sub-row number right before its label,
/// even when the previous row's last value touches it (00000002.其他).
fn cut_at_sub_row_number(line: &str, b: usize) -> bool {
    let (a1, a2, _) = ahead3(line, b);
    matches!(a1, Some('.' | '、' | '．'))
        && a2.is_some_and(is_han)
        && !char_before(line, b).is_some_and(|p| p.is_ascii_digit() && !glued_context(line, b))
}

/// Whether the digits before byte `b` are a value run (preceded by Han
/// text at most a few dozen digits back), so that "…00000002.其他" cuts
/// before the 2, while "12.5" style decimals never reach here (a Han
/// character follows the point).
fn glued_context(line: &str, b: usize) -> bool {
    line[..b]
        .chars()
        .rev()
        .take(64)
        .find(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .is_some_and(|c| is_han(c) || matches!(c, '）' | ')' | '”'))
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_run_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(
            c,
            ' ' | '\u{3000}' | '\u{a0}' | '.' | ',' | '-' | '—' | '–' | '－' | '/' | '／'
        )
}

/// Units and words that make digits part of the text: 保留4位小数, 2022年.
fn is_unit(c: char) -> bool {
    "位年月日号件条个项次人元万%％期届季".contains(c)
}

/// Splits a piece into (label, run) pairs: label text followed by a run of
/// digits (with spaces and placeholders). `None` unless the whole piece is
/// such pairs and every label looks like one (Han text ending in a Han
/// character or a closing bracket).
fn row_pairs(piece: &str) -> Option<Vec<(&str, &str)>> {
    let piece = piece.trim();
    // The last run ends the piece: a piece that does not end in a value
    // character (a sentence ending in 。) holds no row, unscanned.
    if !piece.chars().next_back().is_some_and(is_run_char) {
        return None;
    }
    let mut pairs = Vec::new();
    let mut label_start = 0;
    // A leading sub-row number ("2.其他…") belongs to the label.
    let skip = leading_number_len(piece);
    let mut chars = piece
        .char_indices()
        .skip_while(|&(b, _)| b < skip)
        .peekable();
    while let Some((b, c)) = chars.next() {
        if !(c.is_ascii_digit() || ('０'..='９').contains(&c)) {
            continue;
        }
        // A run of value characters starting at a digit.
        let mut end = b + c.len_utf8();
        while let Some(&(b2, c2)) = chars.peek() {
            if !is_run_char(c2) {
                break;
            }
            end = b2 + c2.len_utf8();
            chars.next();
        }
        let next = chars.peek().map(|&(_, c2)| c2);
        if next.is_some_and(is_unit) {
            continue; // 保留4位小数: part of the label
        }
        // The label may end with "（" characters such as "第(" only if
        // text: check it.
        let label = piece[label_start..b].trim();
        if !is_label(label) {
            return None;
        }
        let run = piece[b..end].trim_end_matches(['.', ',', ' ']);
        pairs.push((label, run));
        label_start = end;
    }
    (!pairs.is_empty() && piece[label_start..].trim().is_empty()).then_some(pairs)
}

/// Byte length of a leading "2." / "2、" / "２．" (one or two digits, ASCII
/// or full-width).
fn leading_number_len(piece: &str) -> usize {
    let digits: usize = piece
        .chars()
        .take(3)
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(char::len_utf8)
        .sum();
    if digits == 0 || digits > 6 {
        return 0;
    }
    match piece[digits..].chars().next() {
        Some(c @ ('.' | '、' | '．')) => digits + c.len_utf8(),
        _ => 0,
    }
}

fn is_label(label: &str) -> bool {
    let han = label.chars().filter(|&c| is_han(c)).count();
    han >= 2
        && label
            .chars()
            .last()
            .is_some_and(|c| is_han(c) || matches!(c, '）' | ')' | '”' | '"' | '」' | '】'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(line: &str) -> Vec<Vec<super::super::Cell>> {
        pieces(line)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| match p {
                Piece::Row(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_glued_row_is_label_and_run() {
        assert_eq!(
            rows("一、本年新收政府信息公开申请数量15130000154"),
            [["一、本年新收政府信息公开申请数量", "15130000154"]]
        );
        // The next row's number touches the last value.
        assert_eq!(
            rows("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"),
            [
                ["1.属于国家秘密", "0000000"],
                ["2.其他法律行政法规禁止公开", "0000000"]
            ]
        );
        assert_eq!(
            pieces("（三）不予公开1.属于国家秘密0000000").unwrap()[0],
            Piece::Label("（三）不予公开".into())
        );
        // Single spaces and stray spaces stay in the run.
        assert_eq!(
            rows("（一）予以公开 1 0 0 0 0 0 1"),
            [["（一）予以公开", "1 0 0 0 0 0 1"]]
        );
        assert_eq!(
            rows("二、上年结转政府信息公开申请数量500000 5"),
            [["二、上年结转政府信息公开申请数量", "500000 5"]]
        );
    }

    #[test]
    fn prose_is_not_a_row() {
        assert!(pieces("2022年，未收到政府信息公开申请。").is_none());
        assert!(pieces("联系电话：0371-12345678").is_none());
        assert!(pieces("主动公开政府信息366条，发布解读20余篇").is_none());
        assert!(pieces("发布时间：2023-01-20").is_none());
        // A long paragraph is cut at its numbering, but no piece is a row.
        let long = "二是全面加强政府网站建设，发布信息366条。".repeat(12)
            + "（一）加强领导；三、收到和处理政府信息公开申请情况见下表。";
        assert!(long.len() > LONG_LINE * 3);
        assert_eq!(cut(&long).len(), 4); // before （一）, before 三、 and after its heading
        assert!(pieces(&long).is_none());
    }

    #[test]
    fn one_line_body_is_cut_into_headings_and_rows() {
        let body = "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件24432第二十条第（八）项信息内容本年收费金额（单位：万元，保留4位小数）行政事业性收费0.5三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量0000000";
        let p = pieces(body).unwrap();
        assert_eq!(p[0], Piece::Text("二、主动公开政府信息情况".into()));
        assert_eq!(
            p[1],
            Piece::Row(vec![
                "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章".into(),
                "000".into()
            ])
        );
        assert_eq!(
            p[2],
            Piece::Row(vec!["行政规范性文件".into(), "24432".into()])
        );
        assert_eq!(
            p[3],
            Piece::Row(vec![
                "第二十条第（八）项信息内容本年收费金额（单位：万元，保留4位小数）行政事业性收费"
                    .into(),
                "0.5".into()
            ])
        );
        assert_eq!(
            p[4],
            Piece::Text("三、收到和处理政府信息公开申请情况".into())
        );
        let p = pieces(
            "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持总计000000000000000",
        )
        .unwrap();
        assert_eq!(
            p[0],
            Piece::Text("四、政府信息公开行政复议、行政诉讼情况".into())
        );
        let p = pieces("一、总体情况2022年，本机关共收到申请1件。二、主动公开政府信息情况第二十条第（五）项行政许可5").unwrap();
        assert_eq!(p[0], Piece::Text("一、总体情况".into()));
        assert_eq!(p[1], Piece::Text("2022年，本机关共收到申请1件。".into()));
    }

    #[test]
    fn leaks_footers_and_placeholders() {
        let t = "<!--[if !supportLists]-->1.<!--[endif]-->属于国家秘密 p.MsoNormal, li.MsoNormal{margin:0cm;font-family:宋体;}正文";
        assert_eq!(strip_markup_leaks(t), "1.属于国家秘密 正文");
        assert!(!may_leak_markup("二、主动公开政府信息情况 3/4 <b 1<2"));
        for t in ["a<!--x", "p{margin:0}", "x/*y*/", "{"] {
            assert!(may_leak_markup(t), "{t}");
        }
        for f in ["— 3 —", "-4-", "第3页", "第 3 页 共 8 页", "- 12 -"] {
            assert!(is_page_footer(f), "{f}");
        }
        for f in [
            "3月份共计",
            "第三章",
            "一、总体情况",
            "（一）3/4",
            " 页 3 ",
            "—— 总计 ——",
            "1/2/3",
        ] {
            assert!(!is_page_footer(f), "{f}");
        }
        assert!(!is_page_footer("3"));
        assert!(is_page_footer("第 3 页，共 8 页") && is_page_footer("３ / ８"));
        assert!(!is_page_footer("行政许可 -4-"));
        assert!(is_placeholder_header(&[
            "数据1".into(),
            "数据2".into(),
            "".into()
        ]));
        assert!(!is_placeholder_header(&["自然人".into(), "数据2".into()]));
    }

    /// The cheap test before the regex never turns a footer away: every
    /// string of up to five characters over the pattern's alphabet that the
    /// regex matches passes it.
    #[test]
    fn footer_prefilter_keeps_every_regex_match() {
        let alphabet = ['-', '—', '第', '页', '3', '３', '/', ' ', '共', '，', 'x'];
        let mut strings = vec![String::new()];
        let mut forms = [0; 3];
        for _ in 0..5 {
            let mut longer = Vec::new();
            for s in &strings {
                for c in alphabet {
                    let t = format!("{s}{c}");
                    if page_footer().is_match(&t) {
                        forms[usize::from(t.starts_with('第'))
                            + 2 * usize::from(t.starts_with(['-', '—']))] += 1;
                        assert!(may_be_page_footer(&t), "{t:?}");
                    }
                    longer.push(t);
                }
            }
            strings = longer;
        }
        // Digits first (3/3), 第…页, dashes: the alphabet reaches all three.
        assert!(forms.iter().all(|&n| n > 10), "{forms:?}");
    }
}
