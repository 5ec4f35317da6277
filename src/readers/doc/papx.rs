//! Paragraph properties ([MS-DOC] 2.8.x): the PlcBtePapx in the table stream
//! lists 512-byte FKP pages of the WordDocument stream; each page maps
//! ranges of stream offsets (where paragraph marks sit) to a list of
//! property modifiers (sprms). Only what locates tables is kept: "in a
//! table", "row end", the nesting depth, and the row definition
//! (`sprmTDefTable`: cell edges and merge flags) that Word stores on each
//! row-end mark. Properties too long for a page (`sprmPHugePapx`) are read
//! from the `Data` stream.

use super::tables::RowDef;
use super::{corrupt, u16_at, u32_at};
use crate::readers::ReadError;

const FKP: usize = 512;
const SPRM_P_F_IN_TABLE: u16 = 0x2416;
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_F_INNER_TABLE_CELL: u16 = 0x244B;
const SPRM_P_F_INNER_TTP: u16 = 0x244C;
const SPRM_P_HUGE_PAPX: u16 = 0x6646;
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_T_DEF_TABLE10: u16 = 0xD606;
const SPRM_T_VERT_MERGE: u16 = 0xD62B;
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_ILVL: u16 = 0x260A;

/// What one paragraph mark's properties say about tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ParaProps {
    pub(crate) in_table: bool,
    pub(crate) ttp: bool,
    /// Table nesting depth (0: not in a table).
    pub(crate) itap: u32,
    pub(crate) inner_cell: bool,
    pub(crate) inner_ttp: bool,
    pub(crate) row: Option<RowDef>,
    /// Paragraph style.
    pub(crate) istd: u16,
    /// List override (1-based; 0: explicitly not numbered) and level.
    pub(crate) ilfo: Option<u16>,
    pub(crate) ilvl: Option<u8>,
}

impl ParaProps {
    /// Depth in tables: `sprmPItap` when present, else 1 for "in table".
    pub(crate) fn depth(&self) -> u32 {
        if self.itap > 0 {
            self.itap
        } else {
            u32::from(self.in_table)
        }
    }
}

/// The paragraph property runs of a document, by stream offset.
pub(crate) struct Papx<'a> {
    /// (first fc, fc past the end, grpprl) sorted by fc.
    runs: Vec<(u32, u32, &'a [u8])>,
    data: &'a [u8],
}

impl<'a> Papx<'a> {
    /// Reads the PlcBtePapx at `table[fc..fc + lcb]` and the FKPs it lists.
    pub(crate) fn parse(
        table: &[u8],
        (fc, lcb): (u32, u32),
        wd: &'a [u8],
        data: &'a [u8],
    ) -> Result<Self, ReadError> {
        let plc = table
            .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
            .ok_or_else(|| corrupt("the paragraph property index lies outside the table stream"))?;
        if plc.len() < 4 || (plc.len() - 4) % 8 != 0 {
            return Err(corrupt("paragraph property index of impossible size"));
        }
        let n = (plc.len() - 4) / 8;
        let mut runs = Vec::new();
        for i in 0..n {
            let pn = u32_at(plc, 4 * (n + 1) + 4 * i).unwrap_or(0) & 0x003F_FFFF;
            let at = pn as usize * FKP;
            let page = wd.get(at..at + FKP).ok_or_else(|| {
                corrupt("a paragraph property page lies past the end of the WordDocument stream: truncated?")
            })?;
            read_fkp(page, &mut runs);
        }
        runs.sort_by_key(|r| r.0);
        Ok(Papx { runs, data })
    }

    /// The properties of the paragraph whose mark is at stream offset `fc`.
    pub(crate) fn props_at(&self, fc: u32) -> ParaProps {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        let mut props = ParaProps::default();
        if let Some(&(start, end, grpprl)) = i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            if start <= fc && fc < end {
                // The first two bytes are the paragraph style.
                props.istd = u16_at(grpprl, 0).unwrap_or(0);
                apply(grpprl.get(2..).unwrap_or(&[]), self.data, &mut props, 0);
            }
        }
        props
    }
}

/// The runs of one PapxFkp page: crun in the last byte, crun+1 offsets,
/// then crun 13-byte BxPap entries whose first byte (times two) locates the
/// PapxInFkp.
fn read_fkp<'a>(page: &'a [u8], runs: &mut Vec<(u32, u32, &'a [u8])>) {
    let crun = page[FKP - 1] as usize;
    if 4 * (crun + 1) + 13 * crun > FKP - 1 {
        return;
    }
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * (i + 1))) else {
            return;
        };
        let b = page[4 * (crun + 1) + 13 * i] as usize * 2;
        if b == 0 || b >= FKP - 1 {
            continue;
        }
        let (from, len) = match page[b] {
            0 => (b + 2, 2 * page.get(b + 1).copied().unwrap_or(0) as usize),
            cb => (b + 1, 2 * cb as usize - 1),
        };
        if let Some(grpprl) = page.get(from..(from + len).min(FKP - 1)) {
            runs.push((start, end, grpprl));
        }
    }
}

/// Operand length of the sprm at `g[at..]` (after its 2-byte id).
fn operand_len(sprm: u16, g: &[u8], at: usize) -> Option<usize> {
    Some(match sprm >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        _ => match sprm {
            // A 2-byte size that counts itself plus one.
            SPRM_T_DEF_TABLE | SPRM_T_DEF_TABLE10 => 1 + (u16_at(g, at)? as usize).max(1),
            _ => 1 + *g.get(at)? as usize,
        },
    })
}

/// Applies a style's paragraph grpprl (no huge PAPX there).
pub(crate) fn apply_numbering(g: &[u8], props: &mut ParaProps) {
    apply(g, &[], props, 1);
}

/// Applies a grpprl to `props`; `sprmPHugePapx` continues in the Data
/// stream (once: a huge PAPX pointing at another is not followed).
fn apply(g: &[u8], data: &[u8], props: &mut ParaProps, hops: u8) {
    let mut at = 0;
    while let Some(sprm) = u16_at(g, at) {
        let Some(len) = operand_len(sprm, g, at + 2) else {
            return;
        };
        let Some(op) = g.get(at + 2..at + 2 + len) else {
            return;
        };
        at += 2 + len;
        match sprm {
            SPRM_P_F_IN_TABLE => props.in_table = op[0] != 0,
            SPRM_P_F_TTP => props.ttp = op[0] != 0,
            SPRM_P_F_INNER_TABLE_CELL => props.inner_cell = op[0] != 0,
            SPRM_P_F_INNER_TTP => props.inner_ttp = op[0] != 0,
            SPRM_P_ILFO => props.ilfo = u16_at(op, 0),
            SPRM_P_ILVL => props.ilvl = Some(op[0]),
            SPRM_P_ITAP => props.itap = u32_at(op, 0).unwrap_or(0).min(64),
            SPRM_T_DEF_TABLE => props.row = RowDef::parse(&op[2..]),
            SPRM_T_VERT_MERGE => {
                if let (Some(row), [_, itc, flags, ..]) = (props.row.as_mut(), op) {
                    row.set_vert_merge(*itc as usize, *flags);
                }
            }
            SPRM_P_HUGE_PAPX if hops == 0 => {
                let at = u32_at(op, 0).unwrap_or(u32::MAX) as usize;
                if let Some(cb) = u16_at(data, at) {
                    if let Some(huge) = data.get(at + 2..(at + 2).saturating_add(cb as usize)) {
                        apply(huge, data, props, 1);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sprms_are_read_and_a_bad_length_stops_the_list() {
        let mut g = Vec::new();
        g.extend_from_slice(&SPRM_P_F_IN_TABLE.to_le_bytes());
        g.push(1);
        g.extend_from_slice(&SPRM_P_ITAP.to_le_bytes());
        g.extend_from_slice(&2u32.to_le_bytes());
        g.extend_from_slice(&SPRM_P_F_TTP.to_le_bytes());
        g.push(1);
        let mut props = ParaProps::default();
        apply(&g, &[], &mut props, 0);
        assert!(props.in_table && props.ttp);
        assert_eq!(props.depth(), 2);
        // A variable-length sprm claiming more bytes than there are.
        let mut bad = vec![0x00, 0xC6, 200];
        bad.extend_from_slice(&SPRM_P_F_TTP.to_le_bytes());
        bad.push(1);
        let mut props = ParaProps::default();
        apply(&bad, &[], &mut props, 0);
        assert!(!props.ttp);
    }
}
