//! The piece table (CLX, [MS-DOC] 2.9.38): the document's characters are
//! pieces of the `WordDocument` stream, each either 8-bit ("compressed",
//! Windows-1252 with Word's mapping of 0x80..0x9F) or UTF-16LE. Chinese text
//! is always in UTF-16 pieces; LibreOffice writes one piece per file, Word's
//! fast saves many.
//!
//! Bounds: pieces must lie inside the stream, and the characters read over
//! all pieces are capped at [`MAX_TEXT_CHARS`]: pieces may overlap, so a
//! 1 MB file of a hundred thousand pieces all pointing at the same 500 KB
//! would otherwise make 50 GB of text.

use super::{corrupt, u16_at, u32_at};
use crate::readers::ReadError;

/// Most characters read from one file: 32 Mi, what a 64 MiB file (the file
/// size limit) can hold in UTF-16. Real reports have 10,000 to 100,000.
pub(crate) const MAX_TEXT_CHARS: u64 = 32 << 20;
/// Bytes of one piece descriptor (PCD).
const PCD: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) cp_start: u32,
    pub(crate) cp_end: u32,
    /// Byte offset of the piece's first character in the WordDocument stream.
    pub(crate) fc: u32,
    /// One byte per character (else two).
    pub(crate) compressed: bool,
}

/// Parses the CLX at `table[fc..fc + lcb]`: property runs (Prc) first, then
/// the piece table (Pcdt).
pub(crate) fn parse_clx(table: &[u8], (fc, lcb): (u32, u32)) -> Result<Vec<Piece>, ReadError> {
    let clx = table
        .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
        .ok_or_else(|| corrupt("the piece table lies outside the table stream"))?;
    let mut at = 0usize;
    loop {
        match clx.get(at) {
            Some(0x01) => {
                let cb = u16_at(clx, at + 1).ok_or_else(|| corrupt("piece table cut short"))?;
                at += 3 + cb as usize;
            }
            Some(0x02) => {
                let lcb = u32_at(clx, at + 1).ok_or_else(|| corrupt("piece table cut short"))?;
                let plc = clx
                    .get(at + 5..(at + 5).saturating_add(lcb as usize))
                    .ok_or_else(|| corrupt("piece table cut short"))?;
                return parse_plc_pcd(plc);
            }
            _ => return Err(corrupt("no piece table in the CLX")),
        }
    }
}

/// PlcPcd: n+1 character positions, then n 8-byte piece descriptors.
fn parse_plc_pcd(plc: &[u8]) -> Result<Vec<Piece>, ReadError> {
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(4 + PCD) {
        return Err(corrupt("piece table of impossible size"));
    }
    let n = (plc.len() - 4) / (4 + PCD);
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let cp_start = u32_at(plc, 4 * i).unwrap_or(0);
        let cp_end = u32_at(plc, 4 * (i + 1)).unwrap_or(0);
        if cp_end < cp_start {
            return Err(corrupt("piece table positions go backwards"));
        }
        let fc_raw = u32_at(plc, 4 * (n + 1) + PCD * i + 2).unwrap_or(0);
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp_start,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(pieces)
}

/// Calls `f(unit, fc)` for every character of the first `ccp` character
/// positions, in order: `unit` is the UTF-16 code unit, `fc` the byte
/// offset of the character in the WordDocument stream (what paragraph
/// properties are indexed by).
pub(crate) fn for_each_char(
    pieces: &[Piece],
    wd: &[u8],
    ccp: u32,
    mut f: impl FnMut(u16, u32),
) -> Result<(), ReadError> {
    let mut budget = MAX_TEXT_CHARS;
    for p in pieces {
        if p.cp_start >= ccp {
            break;
        }
        let count = p.cp_end.min(ccp) - p.cp_start;
        if u64::from(count) > budget {
            return Err(ReadError::over_limit(format!(
                "Word document text over {MAX_TEXT_CHARS} characters"
            )));
        }
        budget -= u64::from(count);
        let width = if p.compressed { 1 } else { 2 };
        let start = p.fc as usize;
        let bytes = wd
            .get(start..start.saturating_add(count as usize * width))
            .ok_or_else(|| {
                corrupt(format!(
                    "a text piece (characters {}..{}) lies past the end of the WordDocument stream: truncated?",
                    p.cp_start, p.cp_end
                ))
            })?;
        if p.compressed {
            for (i, &b) in bytes.iter().enumerate() {
                f(cp1252(b), p.fc + i as u32);
            }
        } else {
            for (i, c) in bytes.chunks_exact(2).enumerate() {
                f(u16::from_le_bytes([c[0], c[1]]), p.fc + 2 * i as u32);
            }
        }
    }
    Ok(())
}

/// Word's mapping of compressed characters ([MS-DOC] 2.4.1): Windows-1252.
fn cp1252(b: u8) -> u16 {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => u16::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plc(cps: &[u32], pcds: &[(u32, bool)]) -> Vec<u8> {
        let mut b = Vec::new();
        for cp in cps {
            b.extend_from_slice(&cp.to_le_bytes());
        }
        for &(fc, compressed) in pcds {
            b.extend_from_slice(&0u16.to_le_bytes());
            let raw = if compressed {
                (fc * 2) | 0x4000_0000
            } else {
                fc
            };
            b.extend_from_slice(&raw.to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes());
        }
        b
    }

    #[test]
    fn mixed_pieces_read_in_order_with_their_offsets() {
        // "ab" compressed at byte 10, then "年报" as UTF-16 at byte 20.
        let mut wd = vec![0u8; 40];
        wd[10..12].copy_from_slice(b"a\x93");
        for (i, c) in "年报".encode_utf16().enumerate() {
            wd[20 + 2 * i..22 + 2 * i].copy_from_slice(&c.to_le_bytes());
        }
        let mut clx = vec![0x01, 2, 0, 0xAA, 0xBB, 0x02];
        let p = plc(&[0, 2, 4], &[(10, true), (20, false)]);
        clx.extend_from_slice(&(p.len() as u32).to_le_bytes());
        clx.extend_from_slice(&p);
        let pieces = parse_clx(&clx, (0, clx.len() as u32)).unwrap();
        let mut got = Vec::new();
        for_each_char(&pieces, &wd, 4, |u, fc| got.push((u, fc))).unwrap();
        let text = String::from_utf16(&got.iter().map(|g| g.0).collect::<Vec<_>>()).unwrap();
        assert_eq!(text, "a\u{201C}年报");
        assert_eq!(
            got.iter().map(|g| g.1).collect::<Vec<_>>(),
            [10, 11, 20, 22]
        );
        // A piece past the end of the stream names the truncation.
        let e = for_each_char(&pieces, &wd[..21], 4, |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[test]
    fn overlapping_pieces_are_capped() {
        let n = 70_000u32;
        let cps: Vec<u32> = (0..=n).map(|i| i * 1000).collect();
        let pcds: Vec<(u32, bool)> = (0..n).map(|_| (0, true)).collect();
        let pieces = parse_plc_pcd(&plc(&cps, &pcds)).unwrap();
        let wd = vec![b'x'; 1000];
        let e = for_each_char(&pieces, &wd, u32::MAX, |_, _| {}).unwrap_err();
        assert_eq!(e.kind(), crate::readers::ErrorKind::OverLimit, "{e}");
    }
}
