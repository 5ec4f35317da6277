//! Numbering: numbering.xml definitions and Word's counters, rendered into
//! the list labels (一、 （二） 3.) that reports use as headings.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::events::Event;

use crate::readers::container::xml::{attr, attr_num, attr_on, XmlPart};
use crate::readers::ReadError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumFmt {
    Decimal,
    DecimalZero,
    DecimalFullWidth,
    UpperRoman,
    LowerRoman,
    UpperLetter,
    LowerLetter,
    ChineseCounting,
    ChineseLegalSimplified,
    IdeographLegalTraditional,
    IdeographDigital,
    IdeographTraditional,
    IdeographZodiac,
    EnclosedCircle,
    EnclosedFullstop,
    EnclosedParen,
    IdeographEnclosedCircle,
    Bullet,
    None,
}

impl NumFmt {
    /// `None` for values this reader does not know (kept from the fallback).
    pub(super) fn parse(v: &str) -> Option<NumFmt> {
        Some(match v {
            "decimal" | "decimalHalfWidth" | "ordinal" | "cardinalText" | "ordinalText" => {
                NumFmt::Decimal
            }
            "decimalZero" => NumFmt::DecimalZero,
            "decimalFullWidth" | "decimalFullWidth2" => NumFmt::DecimalFullWidth,
            "upperRoman" => NumFmt::UpperRoman,
            "lowerRoman" => NumFmt::LowerRoman,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerLetter" => NumFmt::LowerLetter,
            "chineseCounting"
            | "chineseCountingThousand"
            | "japaneseCounting"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand"
            | "koreanCounting" => NumFmt::ChineseCounting,
            "chineseLegalSimplified" => NumFmt::ChineseLegalSimplified,
            "ideographLegalTraditional" | "japaneseLegal" => NumFmt::IdeographLegalTraditional,
            "ideographDigital"
            | "taiwaneseDigital"
            | "japaneseDigitalTenThousand"
            | "koreanDigital" => NumFmt::IdeographDigital,
            "ideographTraditional" => NumFmt::IdeographTraditional,
            "ideographZodiac" => NumFmt::IdeographZodiac,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => NumFmt::EnclosedCircle,
            "decimalEnclosedFullstop" => NumFmt::EnclosedFullstop,
            "decimalEnclosedParen" => NumFmt::EnclosedParen,
            "ideographEnclosedCircle" => NumFmt::IdeographEnclosedCircle,
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::None,
            _ => return None,
        })
    }
}

/// Renders a counter value in a number format, as Word prints it.
pub(super) fn format_number(n: u32, fmt: NumFmt) -> String {
    const CN: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const LEGAL_S: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const LEGAL_T: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
    let enclosed = |first: u32, max: u32| {
        if (1..=max).contains(&n) {
            char::from_u32(first + n - 1)
                .map(String::from)
                .unwrap_or_else(|| n.to_string())
        } else {
            n.to_string()
        }
    };
    match fmt {
        NumFmt::Decimal => n.to_string(),
        NumFmt::DecimalZero => format!("{n:02}"),
        NumFmt::DecimalFullWidth => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        NumFmt::UpperRoman => roman(n),
        NumFmt::LowerRoman => roman(n).to_lowercase(),
        NumFmt::UpperLetter => letters(n, b'A'),
        NumFmt::LowerLetter => letters(n, b'a'),
        NumFmt::ChineseCounting => chinese(n, &CN, ['十', '百', '千'], true),
        NumFmt::ChineseLegalSimplified => chinese(n, &LEGAL_S, ['拾', '佰', '仟'], false),
        NumFmt::IdeographLegalTraditional => chinese(n, &LEGAL_T, ['拾', '佰', '仟'], false),
        NumFmt::IdeographDigital => n
            .to_string()
            .chars()
            .map(|c| {
                if c == '0' {
                    '〇'
                } else {
                    CN[(c as u8 - b'0') as usize]
                }
            })
            .collect(),
        NumFmt::IdeographTraditional => cycle(
            n,
            &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'],
        ),
        NumFmt::IdeographZodiac => cycle(
            n,
            &[
                '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
            ],
        ),
        NumFmt::EnclosedCircle => enclosed(0x2460, 20),
        NumFmt::EnclosedFullstop => enclosed(0x2488, 20),
        NumFmt::EnclosedParen => enclosed(0x2474, 20),
        NumFmt::IdeographEnclosedCircle => enclosed(0x3220, 10),
        NumFmt::Bullet | NumFmt::None => String::new(),
    }
}

pub(super) fn cycle(n: u32, chars: &[char]) -> String {
    if n == 0 {
        return "0".into();
    }
    chars[((n - 1) as usize) % chars.len()].to_string()
}

pub(super) fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Word's letter numbering: A..Z, then AA, BB, .. ZZ, then AAA ...
pub(super) fn letters(n: u32, base: u8) -> String {
    if n == 0 {
        return "0".into();
    }
    let repeat = ((n - 1) / 26 + 1).min(100) as usize;
    let ch = (base + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(ch, repeat).collect()
}

/// Chinese counting numerals up to 9999 (一, 十, 十一, 二十, 一百零一 ...);
/// larger values fall back to Arabic digits.
pub(super) fn chinese(n: u32, digits: &[char; 10], units: [char; 3], bare_ten: bool) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
    let mut s = String::new();
    let mut pending_zero = false;
    for (i, &d) in parts.iter().enumerate() {
        if d == 0 {
            if !s.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            s.push(digits[0]);
            pending_zero = false;
        }
        let unit = 3 - i; // 3 thousands, 2 hundreds, 1 tens, 0 ones
        if !(bare_ten && unit == 1 && d == 1 && s.is_empty()) {
            s.push(digits[d as usize]);
        }
        if unit > 0 {
            s.push(units[unit - 1]);
        }
    }
    s
}

#[derive(Debug, Clone)]
pub(super) struct Level {
    start: u32,
    fmt: NumFmt,
    text: Option<String>,
    /// `w:lvlRestart`: restart after a paragraph at a level below this one
    /// (1-based); 0 = never; `None` = after any higher level.
    restart: Option<u32>,
    is_lgl: bool,
    pstyle: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            fmt: NumFmt::Decimal,
            text: None,
            restart: None,
            is_lgl: false,
            pstyle: None,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub(super) struct AbstractNum {
    levels: [Option<Level>; 9],
    style_link: Option<String>,
    num_style_link: Option<String>,
}

#[derive(Debug, Default)]
pub(super) struct Num {
    abstract_id: u32,
    start_overrides: [Option<u32>; 9],
    level_overrides: [Option<Level>; 9],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum CounterKey {
    /// Lists that share an abstract definition continue one another in Word.
    Abstract(u32),
    /// A list instance that restarts its numbering has counters of its own.
    Num(u32),
}

#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<u32, AbstractNum>,
    nums: HashMap<u32, Num>,
    counters: HashMap<CounterKey, [Option<u32>; 9]>,
}

/// Caps on definitions kept from numbering.xml (it is read in full).
pub(super) const MAX_NUMBERING_DEFS: usize = 100_000;

impl Numbering {
    pub(super) fn is_empty(&self) -> bool {
        self.nums.is_empty()
    }

    pub(super) fn parse(&mut self, part: &mut XmlPart<'_>) -> Result<(), ReadError> {
        // Where the parser is: the abstractNum or num being read, the level.
        enum Owner {
            None,
            Abstract(u32, AbstractNum),
            Num(u32, Num),
        }
        let mut owner = Owner::None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_ilvl: Option<usize> = None;
        loop {
            let ev = part.next()?;
            let (e, empty) = match &ev {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    let name = e.local_name();
                    match name.as_ref() {
                        b"lvl" => {
                            if let Some((ilvl, lvl)) = level.take() {
                                match (&mut owner, override_ilvl) {
                                    (Owner::Abstract(_, a), _) => a.levels[ilvl] = Some(lvl),
                                    (Owner::Num(_, n), Some(_)) => {
                                        n.level_overrides[ilvl] = Some(lvl)
                                    }
                                    _ => {}
                                }
                            }
                        }
                        b"lvlOverride" => override_ilvl = None,
                        b"abstractNum" | b"num" => match std::mem::replace(&mut owner, Owner::None)
                        {
                            Owner::Abstract(id, a) if self.abstracts.len() < MAX_NUMBERING_DEFS => {
                                self.abstracts.insert(id, a);
                            }
                            Owner::Num(id, n) if self.nums.len() < MAX_NUMBERING_DEFS => {
                                self.nums.insert(id, n);
                            }
                            _ => {}
                        },
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            let name = e.local_name();
            match name.as_ref() {
                b"abstractNum" => {
                    if let Some(id) = attr_num(e, b"abstractNumId") {
                        if !empty {
                            owner = Owner::Abstract(
                                id.min(u32::MAX as u64) as u32,
                                AbstractNum::default(),
                            );
                        }
                    }
                }
                b"num" => {
                    if let Some(id) = attr_num(e, b"numId") {
                        if !empty {
                            owner = Owner::Num(id.min(u32::MAX as u64) as u32, Num::default());
                        }
                    }
                }
                b"abstractNumId" => {
                    if let (Owner::Num(_, n), Some(v)) = (&mut owner, attr_num(e, b"val")) {
                        n.abstract_id = v.min(u32::MAX as u64) as u32;
                    }
                }
                b"lvlOverride" => {
                    override_ilvl = attr_num(e, b"ilvl").map(|v| v.min(8) as usize);
                    if empty {
                        override_ilvl = None;
                    }
                }
                b"startOverride" => {
                    if let (Owner::Num(_, n), Some(i), Some(v)) =
                        (&mut owner, override_ilvl, attr_num(e, b"val"))
                    {
                        n.start_overrides[i] = Some(v.min(u32::MAX as u64) as u32);
                    }
                }
                b"lvl" => {
                    let ilvl = attr_num(e, b"ilvl").unwrap_or(0).min(8) as usize;
                    let ilvl = override_ilvl.unwrap_or(ilvl);
                    if !empty {
                        level = Some((ilvl, Level::default()));
                    }
                }
                b"styleLink" => {
                    if let (Owner::Abstract(_, a), Some(v)) = (&mut owner, attr(e, b"val")) {
                        a.style_link = Some(v.into_owned());
                    }
                }
                b"numStyleLink" => {
                    if let (Owner::Abstract(_, a), Some(v)) = (&mut owner, attr(e, b"val")) {
                        a.num_style_link = Some(v.into_owned());
                    }
                }
                _ => {
                    if let Some((_, lvl)) = level.as_mut() {
                        match name.as_ref() {
                            b"start" => {
                                lvl.start =
                                    attr_num(e, b"val").unwrap_or(1).min(u32::MAX as u64) as u32
                            }
                            b"numFmt" => {
                                if let Some(f) = attr(e, b"val").and_then(|v| NumFmt::parse(&v)) {
                                    lvl.fmt = f;
                                }
                            }
                            b"lvlText" => {
                                lvl.text = attr(e, b"val").map(|v| v.chars().take(64).collect())
                            }
                            b"lvlRestart" => {
                                lvl.restart = attr_num(e, b"val").map(|v| v.min(9) as u32)
                            }
                            b"isLgl" => lvl.is_lgl = attr_on(e),
                            b"pStyle" => lvl.pstyle = attr(e, b"val").map(Cow::into_owned),
                            _ => {}
                        }
                    }
                }
            }
        }
    }

    /// Resolves `w:numStyleLink` (an abstract definition that borrows the
    /// levels of the one with the matching `w:styleLink`, via a numbering
    /// style) and records which paragraph styles levels are tied to.
    pub(super) fn link_styles(&mut self) {
        let by_link: HashMap<String, u32> = self
            .abstracts
            .iter()
            .filter_map(|(id, a)| a.style_link.clone().map(|l| (l, *id)))
            .collect();
        let mut borrowed = Vec::new();
        for (id, a) in &self.abstracts {
            if let Some(src) = a.num_style_link.as_ref().and_then(|l| by_link.get(l)) {
                if let Some(src_def) = self.abstracts.get(src) {
                    borrowed.push((*id, src_def.levels.clone()));
                }
            }
        }
        for (id, levels) in borrowed {
            if let Some(a) = self.abstracts.get_mut(&id) {
                a.levels = levels;
            }
        }
    }

    pub(super) fn level(&self, num_id: u32, ilvl: usize) -> Option<&Level> {
        let num = self.nums.get(&num_id)?;
        if let Some(l) = &num.level_overrides[ilvl] {
            return Some(l);
        }
        self.abstracts.get(&num.abstract_id)?.levels[ilvl].as_ref()
    }

    pub(super) fn start(&self, num_id: u32, ilvl: usize) -> u32 {
        let over = self.nums.get(&num_id).and_then(|n| n.start_overrides[ilvl]);
        over.or_else(|| self.level(num_id, ilvl).map(|l| l.start))
            .unwrap_or(1)
    }

    /// The level tied to a paragraph style in this list (`w:lvl/w:pStyle`).
    pub(super) fn level_for_style(&self, num_id: u32, style: &str) -> Option<u8> {
        (0..9)
            .find(|&i| self.level(num_id, i).and_then(|l| l.pstyle.as_deref()) == Some(style))
            .map(|i| i as u8)
    }

    /// Advances the counters for one numbered paragraph and renders its label.
    pub(super) fn next_label(&mut self, num_id: u32, ilvl: u8) -> Option<String> {
        let ilvl = (ilvl as usize).min(8);
        let num = self.nums.get(&num_id)?;
        let key = if num.start_overrides.iter().any(Option::is_some) {
            CounterKey::Num(num_id)
        } else {
            CounterKey::Abstract(num.abstract_id)
        };
        let lvl = self.level(num_id, ilvl)?.clone();
        let starts: [u32; 9] = std::array::from_fn(|i| self.start(num_id, i));
        let restarts: [Option<u32>; 9] =
            std::array::from_fn(|i| self.level(num_id, i).and_then(|l| l.restart));
        let counters = self.counters.entry(key).or_default();
        counters[ilvl] = Some(match counters[ilvl] {
            None => starts[ilvl],
            Some(v) => v.saturating_add(1),
        });
        for m in ilvl + 1..9 {
            let reset = match restarts[m] {
                None => true,
                Some(0) => false,
                Some(r) => (ilvl as u32) < r,
            };
            if reset {
                counters[m] = None;
            }
        }
        let values: [u32; 9] = std::array::from_fn(|i| counters[i].unwrap_or(starts[i]));
        let text = lvl.text.as_deref()?;
        let label = if lvl.fmt == NumFmt::Bullet {
            text.chars()
                .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
                .collect::<String>()
        } else {
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '%' {
                    if let Some(d) = chars
                        .peek()
                        .and_then(|d| d.to_digit(10))
                        .filter(|d| (1..=9).contains(d))
                    {
                        chars.next();
                        let k = d as usize - 1;
                        let fmt = if lvl.is_lgl {
                            NumFmt::Decimal
                        } else {
                            self.level(num_id, k)
                                .map(|l| l.fmt)
                                .unwrap_or(NumFmt::Decimal)
                        };
                        out.push_str(&format_number(values[k], fmt));
                        continue;
                    }
                }
                out.push(c);
            }
            out
        };
        let label = label.trim().to_string();
        (!label.is_empty()).then_some(label)
    }
}
