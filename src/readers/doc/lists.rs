//! Automatic list numbering ([MS-DOC] 2.9.147 ff.): the label Word prints
//! before a numbered paragraph ("一、", "（二）"), which is not in the text.
//! A paragraph is numbered by `sprmPIlfo`/`sprmPIlvl`, directly or through
//! its paragraph style (and the styles it is based on); the list override
//! (LFO) names a list (LSTF) whose levels (LVL) give the start value, the
//! number format and a template in which characters 0..8 stand for the
//! counters of levels 1..9. Counters run per list, as Word keeps them, and a
//! level restarts when a shallower one advances. Formats are rendered by the
//! DOCX reader's `format_number` (the OOXML names are [MS-DOC]'s nfc codes
//! in order).
//!
//! Bounds: lists, levels and styles are what the table stream holds (each a
//! few dozen bytes of it); base-style chains are followed at most
//! [`MAX_STYLE_CHAIN`] steps.

use super::papx::{apply_numbering, ParaProps};
use super::{u16_at, u32_at};
use crate::readers::docx::numbering::{format_number, NumFmt};

const MAX_STYLE_CHAIN: usize = 32;
const LSTF: usize = 28;
const LVLF: usize = 28;
const LFO: usize = 16;
/// No base style.
const ISTD_NIL: u16 = 0x0FFF;

/// OOXML `ST_NumberFormat` names by nfc code.
const NFC_NAMES: [&str; 48] = [
    "decimal",
    "upperRoman",
    "lowerRoman",
    "upperLetter",
    "lowerLetter",
    "ordinal",
    "cardinalText",
    "ordinalText",
    "hex",
    "chicago",
    "ideographDigital",
    "japaneseCounting",
    "aiueo",
    "iroha",
    "decimalFullWidth",
    "decimalHalfWidth",
    "japaneseLegal",
    "japaneseDigitalTenThousand",
    "decimalEnclosedCircle",
    "decimalFullWidth2",
    "aiueoFullWidth",
    "irohaFullWidth",
    "decimalZero",
    "bullet",
    "ganada",
    "chosung",
    "decimalEnclosedFullstop",
    "decimalEnclosedParen",
    "decimalEnclosedCircleChinese",
    "ideographEnclosedCircle",
    "ideographTraditional",
    "ideographZodiac",
    "ideographZodiacTraditional",
    "taiwaneseCounting",
    "ideographLegalTraditional",
    "taiwaneseCountingThousand",
    "taiwaneseDigital",
    "chineseCounting",
    "chineseLegalSimplified",
    "chineseCountingThousand",
    "koreanDigital",
    "koreanCounting",
    "koreanLegal",
    "koreanDigital2",
    "vietnameseCounting",
    "russianLower",
    "russianUpper",
    "none",
];

fn num_fmt(nfc: u8) -> NumFmt {
    match nfc {
        0xFF => NumFmt::None,
        _ => NFC_NAMES
            .get(nfc as usize)
            .and_then(|n| NumFmt::parse(n))
            .unwrap_or(NumFmt::Decimal),
    }
}

#[derive(Debug, Clone)]
struct Level {
    start: u32,
    fmt: NumFmt,
    legal: bool,
    no_restart: bool,
    template: Vec<u16>,
}

#[derive(Debug)]
struct List {
    lsid: u32,
    levels: Vec<Level>,
}

/// Lists, overrides, style numbering and the running counters of a file.
#[derive(Debug, Default)]
pub(crate) struct Lists {
    lists: Vec<List>,
    /// ilfo (1-based) -> lsid.
    lfos: Vec<u32>,
    /// istd -> (ilfo, ilvl) from the style chain.
    styles: Vec<(Option<u16>, Option<u8>)>,
    counters: Vec<(u32, [Option<u32>; 9])>,
}

impl Lists {
    /// Reads PlfLst (with the LVLs after it), PlfLfo and the style sheet.
    /// Anything unreadable leaves the paragraphs it concerns unnumbered.
    pub(crate) fn parse(table: &[u8], lst: (u32, u32), lfo: (u32, u32), stsh: (u32, u32)) -> Self {
        let slice = |(fc, lcb): (u32, u32)| {
            table
                .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
                .filter(|s| !s.is_empty())
        };
        Lists {
            lists: parse_lists(table, lst.0 as usize, slice(lst).is_some()),
            lfos: slice(lfo).map(parse_lfos).unwrap_or_default(),
            styles: slice(stsh).map(parse_styles).unwrap_or_default(),
            counters: Vec::new(),
        }
    }

    /// The label of a paragraph, advancing the counters.
    pub(crate) fn label(&mut self, p: &ParaProps) -> Option<String> {
        let style = self
            .styles
            .get(p.istd as usize)
            .copied()
            .unwrap_or_default();
        let ilfo = p.ilfo.or(style.0)?;
        let ilvl = p.ilvl.or(style.1).unwrap_or(0).min(8) as usize;
        let lsid = *self.lfos.get((ilfo as usize).checked_sub(1)?)?;
        let list = self.lists.iter().find(|l| l.lsid == lsid)?;
        let level = list.levels.get(ilvl)?;
        let at = match self.counters.iter().position(|c| c.0 == lsid) {
            Some(i) => i,
            None => {
                self.counters.push((lsid, [None; 9]));
                self.counters.len() - 1
            }
        };
        let counters = &mut self.counters[at].1;
        counters[ilvl] = Some(counters[ilvl].map_or(level.start, |v| v.saturating_add(1)));
        for (m, c) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            if !list.levels.get(m).is_some_and(|l| l.no_restart) {
                *c = None;
            }
        }
        let mut out = String::new();
        for &u in &level.template {
            if u < 9 {
                let k = u as usize;
                let value =
                    counters[k].unwrap_or_else(|| list.levels.get(k).map_or(1, |l| l.start));
                let fmt = match list.levels.get(k) {
                    Some(_) if level.legal => NumFmt::Decimal,
                    Some(l) => l.fmt,
                    None => NumFmt::Decimal,
                };
                out.push_str(&format_number(value, fmt));
            } else if let Some(c) = char::from_u32(u32::from(u)) {
                if level.fmt != NumFmt::Bullet || !('\u{E000}'..='\u{F8FF}').contains(&c) {
                    out.push(c);
                }
            }
        }
        let label = out.trim().to_string();
        (!label.is_empty()).then_some(label)
    }
}

/// PlfLst: cLst, cLst LSTFs; the LVLs of every list follow, in order.
fn parse_lists(table: &[u8], at: usize, present: bool) -> Vec<List> {
    let mut lists = Vec::new();
    let Some(count) = u16_at(table, at).filter(|_| present) else {
        return lists;
    };
    let mut lvl_at = at + 2 + LSTF * count as usize;
    for i in 0..count as usize {
        let lstf = at + 2 + LSTF * i;
        let (Some(lsid), Some(&flags)) = (u32_at(table, lstf), table.get(lstf + 26)) else {
            break;
        };
        let n = if flags & 1 != 0 { 1 } else { 9 };
        let mut levels = Vec::with_capacity(n);
        for _ in 0..n {
            let Some((level, next)) = parse_level(table, lvl_at) else {
                return lists;
            };
            levels.push(level);
            lvl_at = next;
        }
        lists.push(List { lsid, levels });
    }
    lists
}

/// One LVL: LVLF, grpprlPapx, grpprlChpx, then the template (count + UTF-16).
fn parse_level(table: &[u8], at: usize) -> Option<(Level, usize)> {
    let lvlf = table.get(at..at + LVLF)?;
    let xst = at + LVLF + lvlf[24] as usize + lvlf[25] as usize;
    let cch = u16_at(table, xst)? as usize;
    let template = table
        .get(xst + 2..xst + 2 + 2 * cch)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let level = Level {
        start: u32_at(lvlf, 0)?,
        fmt: num_fmt(lvlf[4]),
        legal: lvlf[5] & 0x04 != 0,
        no_restart: lvlf[5] & 0x08 != 0,
        template,
    };
    Some((level, xst + 2 + 2 * cch))
}

/// PlfLfo: lfoMac, then lfoMac LFOs whose first field is the list's lsid.
fn parse_lfos(plf: &[u8]) -> Vec<u32> {
    let n = u32_at(plf, 0).unwrap_or(0) as usize;
    (0..n.min(plf.len() / LFO))
        .map_while(|i| u32_at(plf, 4 + LFO * i))
        .collect()
}

/// The STSH: each paragraph style's own (ilfo, ilvl), then resolved through
/// `istdBase` chains.
fn parse_styles(stsh: &[u8]) -> Vec<(Option<u16>, Option<u8>)> {
    let Some(cb_stshi) = u16_at(stsh, 0) else {
        return Vec::new();
    };
    let stshi = 2usize;
    let (Some(cstd), Some(cb_base)) = (u16_at(stsh, stshi), u16_at(stsh, stshi + 2)) else {
        return Vec::new();
    };
    let mut own = Vec::with_capacity(cstd as usize);
    let mut at = stshi + cb_stshi as usize;
    for _ in 0..cstd {
        let Some(cb) = u16_at(stsh, at) else { break };
        let std = stsh.get(at + 2..at + 2 + cb as usize).unwrap_or(&[]);
        own.push(style_numbering(std, cb_base as usize));
        at += 2 + cb as usize;
        at += at % 2;
    }
    (0..own.len())
        .map(|istd| {
            let (mut ilfo, mut ilvl) = (None, None);
            let mut s = istd;
            for _ in 0..MAX_STYLE_CHAIN {
                let Some(&(base, f, l)) = own.get(s) else {
                    break;
                };
                ilfo = ilfo.or(f);
                ilvl = ilvl.or(l);
                if base == ISTD_NIL || ilfo.is_some() && ilvl.is_some() {
                    break;
                }
                s = base as usize;
            }
            (ilfo, ilvl)
        })
        .collect()
}

/// (istdBase, ilfo, ilvl) of one STD; only paragraph styles number.
fn style_numbering(std: &[u8], cb_base: usize) -> (u16, Option<u16>, Option<u8>) {
    let word = u16_at(std, 2).unwrap_or(0);
    let (stk, base) = (word & 0x000F, word >> 4);
    if stk != 1 {
        return (base, None, None);
    }
    // The name (count, UTF-16, terminator), then the paragraph UPX.
    let Some(cch) = u16_at(std, cb_base) else {
        return (base, None, None);
    };
    let upx = cb_base + 2 + 2 * cch as usize + 2;
    let upx = upx + upx % 2;
    let Some(cb_upx) = u16_at(std, upx) else {
        return (base, None, None);
    };
    let grpprl = std.get(upx + 4..upx + 2 + cb_upx as usize).unwrap_or(&[]);
    let mut props = ParaProps::default();
    apply_numbering(grpprl, &mut props);
    (base, props.ilfo, props.ilvl)
}
