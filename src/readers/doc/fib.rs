//! The File Information Block at the start of the `WordDocument` stream
//! ([MS-DOC] 2.5.1): which table stream holds the structures, whether the
//! file is encrypted, how many characters the main text has, and where the
//! piece table (CLX) and the paragraph-property index (PlcBtePapx) are.

use super::{corrupt, u16_at, u32_at};
use crate::readers::ReadError;

/// FibBase.wIdent of Word 97 and later (and of WPS Writer's Word-binary files).
const WORD97_IDENT: u16 = 0xA5EC;
/// FibBase.wIdent of Word 6/95.
const WORD6_IDENT: u16 = 0xA5DC;
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;
const F_OBFUSCATED: u16 = 0x8000;
/// Index of each (fc, lcb) pair in FibRgFcLcb97.
const STSHF: usize = 1;
const PLCF_BTE_PAPX: usize = 13;
const CLX: usize = 33;
const PLF_LST: usize = 73;
const PLF_LFO: usize = 74;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fib {
    /// The table stream is `1Table` (else `0Table`).
    pub(crate) table_1: bool,
    /// Characters of the main document (the body; footnotes, headers and
    /// text boxes follow it and are not read).
    pub(crate) ccp_text: u32,
    pub(crate) clx: (u32, u32),
    pub(crate) bte_papx: (u32, u32),
    /// Style sheet, lists and list overrides (absent: no numbering).
    pub(crate) stsh: (u32, u32),
    pub(crate) plf_lst: (u32, u32),
    pub(crate) plf_lfo: (u32, u32),
}

impl Fib {
    pub(crate) fn parse(wd: &[u8]) -> Result<Fib, ReadError> {
        let ident = u16_at(wd, 0).ok_or_else(|| corrupt("WordDocument stream cut short"))?;
        let n_fib = u16_at(wd, 2).unwrap_or(0);
        match ident {
            WORD97_IDENT => {}
            // nFib 101..=105 are Word 6 and 95, whatever the ident says
            // (Apache POI's Bug51944.doc has 0xA699).
            _ if ident == WORD6_IDENT || (101..=105).contains(&n_fib) => {
                return Err(ReadError::legacy(
                    "Word 6/95 document (before Word 97): not supported; save as .docx",
                ))
            }
            other => {
                return Err(corrupt(format!(
                    "the WordDocument stream does not start with a Word 97 file information block (ident {other:#06x})"
                )))
            }
        }
        let flags = u16_at(wd, 0x0A).ok_or_else(|| corrupt("file information block cut short"))?;
        if flags & (F_ENCRYPTED | F_OBFUSCATED) != 0 {
            return Err(ReadError::encrypted());
        }
        let short = || corrupt("file information block cut short");
        // FibBase (32 bytes), csw + FibRgW, cslw + FibRgLw, cbRgFcLcb + blob.
        let csw = u16_at(wd, 32).ok_or_else(short)? as usize;
        let rg_lw = 32 + 2 + csw * 2;
        let cslw = u16_at(wd, rg_lw).ok_or_else(short)? as usize;
        let ccp_text = u32_at(wd, rg_lw + 2 + 12).ok_or_else(short)?;
        let rg_fc = rg_lw + 2 + cslw * 4;
        let cb_rg_fc = u16_at(wd, rg_fc).ok_or_else(short)? as usize;
        let blob = rg_fc + 2;
        let pair = |i: usize| -> Result<(u32, u32), ReadError> {
            if i >= cb_rg_fc {
                return Err(short());
            }
            let at = blob + 8 * i;
            Ok((
                u32_at(wd, at).ok_or_else(short)?,
                u32_at(wd, at + 4).ok_or_else(short)?,
            ))
        };
        Ok(Fib {
            table_1: flags & F_WHICH_TBL_STM != 0,
            ccp_text,
            clx: pair(CLX)?,
            bte_papx: pair(PLCF_BTE_PAPX)?,
            stsh: pair(STSHF).unwrap_or((0, 0)),
            plf_lst: pair(PLF_LST).unwrap_or((0, 0)),
            plf_lfo: pair(PLF_LFO).unwrap_or((0, 0)),
        })
    }

    pub(crate) fn table_stream(&self) -> &'static str {
        if self.table_1 {
            "1Table"
        } else {
            "0Table"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readers::ErrorKind;

    /// A minimal FIB as [MS-DOC] lays it out (csw 14, cslw 22, 93 pairs).
    pub(crate) fn fib_bytes(flags: u16, ccp_text: u32, clx: (u32, u32)) -> Vec<u8> {
        let mut b = vec![0u8; 32];
        b[0..2].copy_from_slice(&WORD97_IDENT.to_le_bytes());
        b[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        b[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
        b.extend_from_slice(&14u16.to_le_bytes());
        b.extend_from_slice(&[0; 28]);
        b.extend_from_slice(&22u16.to_le_bytes());
        let mut lw = [0u8; 88];
        lw[12..16].copy_from_slice(&ccp_text.to_le_bytes());
        b.extend_from_slice(&lw);
        b.extend_from_slice(&93u16.to_le_bytes());
        let mut blob = vec![0u8; 93 * 8];
        blob[CLX * 8..CLX * 8 + 4].copy_from_slice(&clx.0.to_le_bytes());
        blob[CLX * 8 + 4..CLX * 8 + 8].copy_from_slice(&clx.1.to_le_bytes());
        b.extend_from_slice(&blob);
        b
    }

    #[test]
    fn reads_the_fields_and_refuses_encrypted_and_word6() {
        let fib = Fib::parse(&fib_bytes(F_WHICH_TBL_STM, 1234, (0x300, 21))).unwrap();
        assert_eq!(fib.table_stream(), "1Table");
        assert_eq!(fib.ccp_text, 1234);
        assert_eq!(fib.clx, (0x300, 21));
        let kind = |b: &[u8]| Fib::parse(b).unwrap_err().kind();
        assert_eq!(
            kind(&fib_bytes(F_ENCRYPTED, 1, (0, 0))),
            ErrorKind::Encrypted
        );
        let mut w6 = fib_bytes(0, 1, (0, 0));
        w6[0..2].copy_from_slice(&WORD6_IDENT.to_le_bytes());
        assert_eq!(kind(&w6), ErrorKind::LegacyFormat);
        assert_eq!(kind(&fib_bytes(0, 1, (0, 0))[..100]), ErrorKind::Corrupt);
    }
}
