//! Per-report variation knobs (TEMPLATE.md "Real-world variation") and the
//! functions that turn labels and values into the text a report prints.

use super::layout::*;
use super::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zero {
    /// "0"
    Digit,
    /// empty cell
    Blank,
    /// "—"
    Dash,
    /// "无"
    Wu,
    /// "/"
    Slash,
    /// U+3000 only
    Ideo,
}

impl Zero {
    pub fn key(self) -> &'static str {
        match self {
            Zero::Digit => "0",
            Zero::Blank => "blank",
            Zero::Dash => "—",
            Zero::Wu => "无",
            Zero::Slash => "/",
            Zero::Ideo => "U+3000",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubNum {
    /// "1."
    Dot,
    /// "1、"
    Comma,
    /// "１．"
    FullDot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewLayout {
    Official,
    /// Two header rows fused into one ("行政诉讼-未经复议直接起诉-结果维持").
    Fused,
    /// 15 labelled rows with one value column.
    Transposed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubTopics {
    /// 一是…二是…
    Yishi,
    /// （一）…（二）…
    Paren,
    /// 一、 … inside 总体情况 (looks like a top-level heading)
    TopLike,
}

#[derive(Clone, Debug)]
pub struct Style {
    pub fw_brackets: bool,
    pub sub_num: SubNum,
    pub fw_digits: bool,
    pub zero: Zero,
    pub thousands: bool,
    pub pad_u3000: bool,
    pub normative_short: bool,
    pub cf_variant: bool,
    pub total_heji: bool,
    pub qiye: bool,
    pub ascii_quotes: bool,
    pub short_law_label: bool,
    pub fee_4dp: bool,
    pub sec4: usize,
    pub sec5: usize,
    /// 总体情况 has no heading; 二–六 are written as 一–五.
    pub renumbered: bool,
    pub org_subtotal: bool,
    pub review_layout: ReviewLayout,
    pub active_split: bool,
    pub requests_split: bool,
    pub header_repeat: bool,
    pub subtopics: SubTopics,
    /// Some rows lose their leading tabs (text format).
    pub lost_tabs: bool,
}

impl Style {
    pub fn choose(rng: &mut Rng) -> Style {
        let zero = match rng.weighted(&[70.0, 12.0, 7.0, 4.0, 3.0, 4.0]) {
            0 => Zero::Digit,
            1 => Zero::Blank,
            2 => Zero::Dash,
            3 => Zero::Wu,
            4 => Zero::Slash,
            _ => Zero::Ideo,
        };
        let mut st = Style {
            fw_brackets: rng.chance(0.7),
            sub_num: match rng.weighted(&[75.0, 20.0, 5.0]) {
                0 => SubNum::Dot,
                1 => SubNum::Comma,
                _ => SubNum::FullDot,
            },
            fw_digits: rng.chance(0.05),
            zero,
            thousands: rng.chance(0.3),
            pad_u3000: rng.chance(0.06),
            normative_short: rng.chance(0.15),
            cf_variant: rng.chance(0.12),
            total_heji: rng.chance(0.1),
            qiye: rng.chance(0.1),
            ascii_quotes: rng.chance(0.2),
            short_law_label: rng.chance(0.4),
            fee_4dp: rng.chance(0.4),
            sec4: rng.weighted(&[60.0, 30.0, 10.0]),
            sec5: rng.weighted(&[80.0, 20.0]),
            renumbered: rng.chance(0.03),
            org_subtotal: rng.chance(0.03),
            review_layout: match rng.weighted(&[92.0, 5.0, 3.0]) {
                0 => ReviewLayout::Official,
                1 => ReviewLayout::Fused,
                _ => ReviewLayout::Transposed,
            },
            active_split: rng.chance(0.12),
            requests_split: rng.chance(0.03),
            header_repeat: rng.chance(0.03),
            subtopics: match rng.weighted(&[55.0, 42.0, 3.0]) {
                0 => SubTopics::Yishi,
                1 => SubTopics::Paren,
                _ => SubTopics::TopLike,
            },
            lost_tabs: rng.chance(0.5),
        };
        // Sub-topics numbered like sections would clash with sections
        // renumbered 一–五: that report would be ambiguous even to a person.
        if st.renumbered && st.subtopics == SubTopics::TopLike {
            st.subtopics = SubTopics::Paren;
        }
        st
    }

    /// Names of the non-default variations, for the truth file.
    pub fn variations(&self) -> Vec<String> {
        let mut v = Vec::new();
        if !self.fw_brackets {
            v.push("halfwidth_brackets".into());
        }
        match self.sub_num {
            SubNum::Dot => {}
            SubNum::Comma => v.push("subnum_comma".into()),
            SubNum::FullDot => v.push("subnum_fullwidth".into()),
        }
        if self.fw_digits {
            v.push("fullwidth_digits".into());
        }
        if self.zero != Zero::Digit {
            v.push(format!("zero:{}", self.zero.key()));
        }
        if self.thousands {
            v.push("thousands_separators".into());
        }
        if self.pad_u3000 {
            v.push("u3000_padding".into());
        }
        if self.normative_short {
            v.push("label:规范性文件".into());
        }
        if self.cf_variant {
            v.push("label:结转下一年继续办理".into());
        }
        if self.total_heji {
            v.push("label:合计".into());
        }
        if self.qiye {
            v.push("label:企业".into());
        }
        if self.ascii_quotes {
            v.push("ascii_quotes".into());
        }
        if self.renumbered {
            v.push("headings_renumbered".into());
        }
        if self.org_subtotal {
            v.push("extra_column:法人或其他组织小计".into());
        }
        match self.review_layout {
            ReviewLayout::Official => {}
            ReviewLayout::Fused => v.push("review_header_fused".into()),
            ReviewLayout::Transposed => v.push("review_transposed".into()),
        }
        if self.active_split {
            v.push("active_as_four_tables".into());
        }
        if self.requests_split {
            v.push("requests_split_with_page_number".into());
        }
        if self.header_repeat {
            v.push("requests_header_repeated".into());
        }
        if self.subtopics == SubTopics::TopLike {
            v.push("overview_subtopics_numbered_like_sections".into());
        }
        v
    }

    pub fn paren(&self, inner: &str) -> String {
        if self.fw_brackets {
            format!("（{inner}）")
        } else {
            format!("({inner})")
        }
    }

    pub fn group_label(&self, g: u8) -> String {
        let text = if g == 7 && self.total_heji {
            "合计"
        } else {
            GROUP_TEXT[g as usize]
        };
        let text = if g == 2 && !self.fw_brackets {
            "部分公开(区分处理的,只计这一情形,不计其他情形)"
        } else {
            text
        };
        format!("{}{}", self.paren(CN_NUM[g as usize]), text)
    }

    pub fn sub_label(&self, row: &ReqRow) -> String {
        let mut text = row.text.to_string();
        if row.key == "denied.prohibited_by_law" && self.short_law_label {
            text = "其他法律法规禁止公开".into();
        }
        let num = match self.sub_num {
            SubNum::Dot => format!("{}.", row.sub),
            SubNum::Comma => format!("{}、", row.sub),
            SubNum::FullDot => format!("{}．", fw(&row.sub.to_string())),
        };
        self.quotes(&format!("{num}{text}"))
    }

    pub fn top_label(&self, row: &ReqRow) -> String {
        match row.kind {
            RowKind::New => format!("一、{}", row.text),
            RowKind::CarriedOver => format!("二、{}", row.text),
            RowKind::CarriedForward => {
                if self.cf_variant {
                    "四、结转下一年继续办理".into()
                } else {
                    format!("四、{}", row.text)
                }
            }
            _ => String::new(),
        }
    }

    /// Full flat label of a row (for layouts that print one label per row).
    pub fn flat_label(&self, row: &ReqRow) -> String {
        match row.kind {
            RowKind::Result | RowKind::ResultsTotal => {
                if row.sub == 0 {
                    self.group_label(row.group)
                } else {
                    format!("{}{}", self.group_label(row.group), self.sub_label(row))
                }
            }
            _ => self.top_label(row),
        }
    }

    pub fn col_label(&self, c: usize) -> &'static str {
        match c {
            1 if self.qiye => "企业",
            6 if self.total_heji => "合计",
            _ => REQ_COLS[c].1,
        }
    }

    pub fn quotes(&self, s: &str) -> String {
        if self.ascii_quotes {
            s.replace(['“', '”'], "\"")
        } else {
            s.to_string()
        }
    }

    pub fn normative_label(&self) -> &'static str {
        if self.normative_short {
            "规范性文件"
        } else {
            "行政规范性文件"
        }
    }

    pub fn digits(&self, s: &str) -> String {
        if self.fw_digits {
            fw(s)
        } else {
            s.to_string()
        }
    }

    /// How a count prints in a table cell. Blank zeros print as "".
    pub fn count(&self, v: i64) -> String {
        if v == 0 {
            return match self.zero {
                Zero::Digit => self.pad(&self.digits("0")),
                Zero::Blank => String::new(),
                Zero::Dash => "—".into(),
                Zero::Wu => "无".into(),
                Zero::Slash => "/".into(),
                Zero::Ideo => "\u{3000}".into(),
            };
        }
        let s = if self.thousands && v.abs() >= 1000 {
            thousands(v)
        } else {
            v.to_string()
        };
        self.pad(&self.digits(&s))
    }

    fn pad(&self, s: &str) -> String {
        if self.pad_u3000 {
            format!("\u{3000}{s}")
        } else {
            s.to_string()
        }
    }

    /// True when a zero prints as no number at all (blank or placeholder).
    pub fn zero_is_blank(&self) -> bool {
        self.zero != Zero::Digit
    }

    /// The fee, in units of 1/10000 万元.
    pub fn fee(&self, v: i64) -> String {
        if v == 0 {
            return self.count(0);
        }
        let s = fee_str(v, self.fee_4dp);
        self.pad(&self.digits(&s))
    }
}

pub fn fee_str(v: i64, four: bool) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    let s = format!("{sign}{}.{:04}", a / 10000, a % 10000);
    if four {
        s
    } else {
        let t = s.trim_end_matches('0');
        t.trim_end_matches('.').to_string()
    }
}

pub fn thousands(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// ASCII digits → full-width digits (and '.' → '．').
pub fn fw(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
            '.' => '．',
            c => c,
        })
        .collect()
}
