//! Parsing cell text into values, and normalizing labels for matching.
//!
//! Both absorb the variation listed in docs/TEMPLATE.md: full-width digits and
//! brackets, U+3000 and `&nbsp;` padding, thousands separators, trailing units,
//! placeholders for "nothing to report", numbering prefixes and quote styles.

use serde::{Deserialize, Serialize};

/// A number written in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Number {
    Int(i64),
    Decimal(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Decimal(d) => d,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Decimal(d) => write!(f, "{d}"),
        }
    }
}

/// What a cell's text holds once padding and width are normalized.
#[derive(Debug, Clone, PartialEq)]
pub enum CellText {
    /// Nothing written.
    Blank,
    /// A placeholder meaning "nothing" ("—", "/", "无", "不适用"): no number.
    Placeholder,
    /// A number; `decimals` counts the digits written after the point.
    Number { value: Number, decimals: usize },
    /// Text where a number belongs ("十二", "#REF!").
    Text,
}

const PLACEHOLDERS: &[&str] = &[
    "-",
    "--",
    "—",
    "——",
    "–",
    "/",
    "\\",
    "无",
    "不适用",
    "空",
    "/ ",
    "×",
    "x",
    "X",
];
const UNITS: &[&str] = &["万元", "元", "件", "个", "项", "次", "条", "人"];

/// Folds full-width ASCII (０-９, （）, ，) to half-width and U+3000 / NBSP to
/// spaces. The fold is what makes "１２" and "12" the same number, and
/// "（一）" and "(一)" the same label.
pub fn fold_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().map(fold_char));
    out
}

/// One char of [`fold_width`].
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' => ' ',
        _ => c,
    }
}

/// [`fold_width`], borrowing the text when nothing in it folds (most
/// labels: CJK text and ASCII), which saves the copy.
pub fn fold_width_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(|c| fold_char(c) == c) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(fold_width(s))
    }
}

/// Whether `c` can occur in a cell that is not text: a blank, a
/// placeholder, or a number with its sign, separators and unit, in either
/// width. A cell with any other character is text, known without folding.
fn may_be_value(c: char) -> bool {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.is_ascii_digit()
        || c.is_whitespace()
        || matches!(
            c,
            '+' | '-' | '.' | ',' | '，' | '\u{200B}' | '—' | '–' | '/' | '\\' | '×' | 'x' | 'X'
        )
        || matches!(
            c,
            '无' | '不'
                | '适'
                | '用'
                | '空'
                | '万'
                | '元'
                | '件'
                | '个'
                | '项'
                | '次'
                | '条'
                | '人'
        )
}

/// Classifies a cell's raw text.
pub fn parse_cell(raw: &str) -> CellText {
    // The common cases without allocating: most cells are blank or plain
    // ASCII digits (what the general path below makes of them, too).
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return CellText::Blank;
    }
    if trimmed.len() <= 18 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = trimmed.parse::<i64>() {
            return CellText::Number {
                value: Number::Int(v),
                decimals: 0,
            };
        }
    }
    if !trimmed.chars().all(may_be_value) {
        return CellText::Text;
    }
    let folded = fold_width(raw);
    let t: String = folded
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect();
    if t.is_empty() {
        return CellText::Blank;
    }
    if PLACEHOLDERS.contains(&t.as_str()) {
        return CellText::Placeholder;
    }
    let mut body = t.as_str();
    for unit in UNITS {
        if let Some(stripped) = body.strip_suffix(unit) {
            body = stripped;
            break;
        }
    }
    parse_number(body).map_or(CellText::Text, |(value, decimals)| CellText::Number {
        value,
        decimals,
    })
}

/// Parses "1,234", "+3", "-2", "0.1234", "3.0"; thousands separators only
/// between groups of three digits.
fn parse_number(s: &str) -> Option<(Number, usize)> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let int_clean = strip_thousands(int_part)?;
    if int_clean.is_empty() && frac_part.is_none() {
        return None;
    }
    match frac_part {
        None => int_clean
            .parse::<i64>()
            .ok()
            .map(|v| (Number::Int(sign * v), 0)),
        Some(frac) if frac.bytes().all(|b| b.is_ascii_digit()) && !frac.is_empty() => {
            let text = format!(
                "{}.{}",
                if int_clean.is_empty() {
                    "0"
                } else {
                    &int_clean
                },
                frac
            );
            let v: f64 = text.parse().ok()?;
            if frac.bytes().all(|b| b == b'0') && v.abs() < 9.0e15 {
                // "3.0" from a spreadsheet is the count 3.
                Some((Number::Int(sign * v as i64), 0))
            } else {
                Some((Number::Decimal(sign as f64 * v), frac.len()))
            }
        }
        Some(_) => None,
    }
}

fn strip_thousands(s: &str) -> Option<String> {
    if !s.contains([',', '，']) {
        return s.bytes().all(|b| b.is_ascii_digit()).then(|| s.to_string());
    }
    let groups: Vec<&str> = s.split([',', '，']).collect();
    let ok = groups[0].len() <= 3
        && !groups[0].is_empty()
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    ok.then(|| groups.concat())
}

/// The form in which labels are compared: width folded, white space, quotes,
/// brackets and punctuation removed, leading numbering ("三、", "（一）",
/// "1.", "1、") stripped.
///
/// One pass over the text, folding each char as it is read, rather than a
/// folded copy first: folding maps char to char, white space to white
/// space and nothing else to white space, so trimming and stripping the
/// numbering of the unfolded text cut it where they cut the folded one.
/// (Labels with a full-width bracket, most numbered ones, were copied
/// twice; the fused pass is about half the instructions on the county
/// page's labels.)
pub fn normalize_label(s: &str) -> String {
    let stripped = strip_numbering(s.trim());
    let mut out = String::with_capacity(stripped.len());
    // Runs of chars kept as they are (CJK text, ASCII letters and digits)
    // are copied as slices, not pushed char by char.
    let mut run = 0;
    for (at, c) in stripped.char_indices() {
        let folded = fold_char(c);
        if folded == c && is_label_char(c) {
            continue;
        }
        out.push_str(&stripped[run..at]);
        run = at + c.len_utf8();
        if is_label_char(folded) {
            out.push(folded);
        }
    }
    out.push_str(&stripped[run..]);
    out
}

/// `char::is_alphanumeric`, answering the common CJK ideographs and ASCII
/// without the Unicode table lookup (the cost of most of the label
/// normalization in a callgrind profile of the seed report).
fn is_label_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// Removes any run of numbering prefixes: "三、(一)" or "1." or "(3)", in
/// either width ("（一）", "１．").
pub fn strip_numbering(s: &str) -> &str {
    let mut rest = s.trim_start();
    loop {
        let next = strip_one_number(rest).trim_start();
        if next.len() == rest.len() {
            return rest;
        }
        rest = next;
    }
}

fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn strip_one_number(s: &str) -> &str {
    // Most texts start with no numbering at all: known from the first char.
    let Some(first) = s.chars().next().map(fold_char) else {
        return s;
    };
    if !(matches!(first, '(' | '【' | '[') || first.is_ascii_digit() || is_cn_numeral(first)) {
        return s;
    }
    let mut buf = [(0usize, '\0'); 8];
    let mut n = 0;
    for (slot, (at, c)) in buf.iter_mut().zip(s.char_indices()) {
        *slot = (at, fold_char(c));
        n += 1;
    }
    let chars = &buf[..n];
    // "(一)", "(1)", "【一】"
    if let Some(&(_, open)) = chars.first() {
        if matches!(open, '(' | '（' | '【' | '[') {
            let mut i = 1;
            while i < chars.len() && (is_cn_numeral(chars[i].1) || chars[i].1.is_ascii_digit()) {
                i += 1;
            }
            if i > 1 && i < chars.len() && matches!(chars[i].1, ')' | '）' | '】' | ']') {
                let end = chars.get(i + 1).map_or(s.len(), |&(b, _)| b);
                return &s[end..];
            }
            return s;
        }
    }
    // "一、", "1.", "1、", "1．", "10)"
    let mut i = 0;
    let cn = chars.first().is_some_and(|&(_, c)| is_cn_numeral(c));
    while i < chars.len()
        && (if cn {
            is_cn_numeral(chars[i].1)
        } else {
            chars[i].1.is_ascii_digit()
        })
    {
        i += 1;
    }
    if i > 0
        && i < chars.len()
        && matches!(
            chars[i].1,
            '、' | '.' | '．' | ')' | '）' | ',' | '，' | ' '
        )
    {
        // "1.5万" is a number, not numbering: require a non-digit after.
        let after = chars.get(i + 1).map(|&(_, c)| c);
        if chars[i].1 == '.' && after.is_some_and(|c| c.is_ascii_digit()) {
            return s;
        }
        let end = chars.get(i + 1).map_or(s.len(), |&(b, _)| b);
        return &s[end..];
    }
    s
}

/// Dice coefficient over character bigrams: tolerant of typos and shortened
/// wording ("其他法律法规禁止公开" vs "其他法律行政法规禁止公开"). Labels are
/// short, so the bigrams live on the stack; on the hot path of recognition.
pub fn similarity(a: &str, b: &str) -> f64 {
    const MAX: usize = 64;
    fn bigrams(s: &str, out: &mut [(char, char); MAX]) -> usize {
        let mut n = 0;
        let mut prev = None;
        for c in s.chars() {
            if let Some(p) = prev {
                if n == MAX {
                    break;
                }
                out[n] = (p, c);
                n += 1;
            }
            prev = Some(c);
        }
        n
    }
    let mut x = [('\0', '\0'); MAX];
    let mut y = [('\0', '\0'); MAX];
    let (nx, ny) = (bigrams(a, &mut x), bigrams(b, &mut y));
    if nx == 0 || ny == 0 {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut used = [false; MAX];
    let mut common = 0;
    for bg in &x[..nx] {
        if let Some(i) = (0..ny).find(|&i| !used[i] && y[i] == *bg) {
            used[i] = true;
            common += 1;
        }
    }
    2.0 * common as f64 / (nx + ny) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(raw: &str) -> Option<i64> {
        match parse_cell(raw) {
            CellText::Number {
                value: Number::Int(i),
                ..
            } => Some(i),
            _ => None,
        }
    }

    #[test]
    fn numbers_in_their_real_world_forms() {
        assert_eq!(int("0"), Some(0));
        assert_eq!(int("１２"), Some(12));
        assert_eq!(int("\u{3000}3\u{3000}"), Some(3));
        assert_eq!(int("\u{a0}7 "), Some(7));
        assert_eq!(int("1,234"), Some(1234));
        assert_eq!(int("1，234"), Some(1234));
        assert_eq!(int("12件"), Some(12));
        assert_eq!(int("+3"), Some(3));
        assert_eq!(int("-2"), Some(-2));
        assert_eq!(int("3.0"), Some(3));
        assert_eq!(
            parse_cell("0.1234万元"),
            CellText::Number {
                value: Number::Decimal(0.1234),
                decimals: 4
            }
        );
        assert_eq!(
            parse_cell("12.5"),
            CellText::Number {
                value: Number::Decimal(12.5),
                decimals: 1
            }
        );
    }

    #[test]
    fn blanks_placeholders_and_text_are_not_numbers() {
        assert_eq!(parse_cell(""), CellText::Blank);
        assert_eq!(parse_cell("\u{3000}\u{3000}"), CellText::Blank);
        for p in ["—", "-", "/", "无", "不适用", "——", "－", "／"] {
            assert_eq!(parse_cell(p), CellText::Placeholder, "{p}");
        }
        assert_eq!(parse_cell("十二"), CellText::Text);
        assert_eq!(parse_cell("#REF!"), CellText::Text);
        assert_eq!(parse_cell("1,23"), CellText::Text);
    }

    #[test]
    fn labels_normalize_across_variants() {
        assert_eq!(normalize_label("三、本年度办理结果"), "本年度办理结果");
        assert_eq!(normalize_label("（七）总计\u{3000}"), "总计");
        assert_eq!(normalize_label("（一）予以公开"), "予以公开");
        assert_eq!(normalize_label("(一) 予以公开"), "予以公开");
        assert_eq!(normalize_label("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize_label("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize_label("１．属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize_label("3.危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(
            normalize_label("3.危及\"三安全一稳定\""),
            "危及三安全一稳定"
        );
        assert_eq!(normalize_label("本年度办 理结果"), "本年度办理结果");
        assert_eq!(normalize_label("三、(一)予以公开"), "予以公开");
        assert_eq!(normalize_label("第二十条第（一）项"), "第二十条第一项");
    }

    #[test]
    fn normalizing_while_folding_equals_folding_first() {
        // The way labels were normalized before the fused pass: a folded
        // copy, trimmed, its numbering stripped, then filtered.
        let folding_first = |s: &str| -> String {
            let folded = fold_width(s);
            strip_numbering(folded.trim())
                .chars()
                .filter(|&c| is_label_char(c))
                .collect()
        };
        let labels = [
            "（一）予以公开",
            "\u{3000}（二）\u{3000}部分公开",
            "１．属于国家秘密",
            "１０）其他",
            "一\u{3000}总体情况",
            "1.5万元",
            "１．５万元",
            "（１）（二）三、四项",
            "【一】 机关",
            "\u{a0}\u{2002}2、\u{2009}其他",
            "ＡＢＣ１２３",
            "（",
            "十",
            "",
        ];
        for label in labels {
            assert_eq!(normalize_label(label), folding_first(label), "{label:?}");
        }
    }

    #[test]
    fn similarity_tolerates_shortened_wording() {
        let a = normalize_label("2.其他法律法规禁止公开");
        let b = normalize_label("2.其他法律行政法规禁止公开");
        assert!(similarity(&a, &b) > 0.75);
        assert!(similarity("重复申请", "予以公开") < 0.2);
    }

    #[test]
    fn label_chars_are_exactly_the_alphanumeric_chars() {
        // The fast path of `is_label_char` must agree with the Unicode
        // table on every char it shortcuts.
        for c in (0u32..0x80)
            .chain(0x4E00..=0x9FFF)
            .filter_map(char::from_u32)
        {
            assert_eq!(is_label_char(c), c.is_alphanumeric(), "{c:?}");
        }
        assert!(is_label_char('㐀') && !is_label_char('、') && !is_label_char('（'));
    }

    #[test]
    fn borrowed_fold_equals_the_copying_fold() {
        for s in ["本年度", "１２", "（一）", "a\u{3000}b", "plain"] {
            assert_eq!(fold_width_cow(s), fold_width(s));
        }
        assert!(matches!(
            fold_width_cow("本年度"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
