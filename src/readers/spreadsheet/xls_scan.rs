//! A pre-flight scan of legacy `.xls` files, before calamine parses them.
//!
//! calamine 0.38 parses every sheet of an `.xls` (hidden ones too) when the
//! workbook is opened, and for each it (a) reserves room for the cells its
//! `DIMENSIONS` record claims (rows are a u32 there: a 5 KB file can claim
//! 4 billion rows, and the failed allocation aborts the process, which
//! `catch_unwind` cannot stop) and (b) allocates the dense bounding box of all
//! its cells. This module walks the compound file's `Workbook` stream and the
//! BIFF record headers of each sheet and reports both sizes, so the reader
//! refuses such files first.
//!
//! It also follows the compound file's sector chains the way calamine will
//! (with the shared walker, `readers::container::cfb`)
//! and refuses a chain that loops: calamine follows the directory chain with
//! no bound, so one looping FAT entry makes it grow a buffer until memory runs
//! out.
//!
//! Otherwise the scan is lenient: a container it cannot follow yields no
//! verdict (`Ok(vec![])`), and calamine then reports the file as corrupt in
//! its own words.

use crate::readers::container::cfb::{CfbError, CompoundFile};

/// What one sheet substream would make calamine allocate.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct XlsSheetScan {
    /// Stream offset of the sheet's BOF record.
    pub offset: usize,
    /// Cells reserved because of the sheet's DIMENSIONS record.
    pub reserved_cells: u64,
    /// Positions in the bounding box of its cell records.
    pub dense_cells: u64,
}

/// `Err` names a structural hazard (a looping sector chain).
pub fn scan(bytes: &[u8]) -> Result<Vec<XlsSheetScan>, String> {
    match workbook_stream(bytes)? {
        Some(stream) => Ok(scan_biff(&stream)),
        None => Ok(Vec::new()),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a compound file, read
/// by the shared walker the way calamine will read it. `Ok(None)`: not
/// followed (no verdict, calamine words the error); `Err`: hostile.
fn workbook_stream(b: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let verdict = |e: CfbError| match e {
        CfbError::Unfollowed(_) => Ok(None),
        CfbError::Hazard(reason) => Err(reason),
    };
    let cf = match CompoundFile::open(b) {
        Ok(cf) => cf,
        Err(e) => return verdict(e),
    };
    let Some(entry) = cf
        .streams()
        .find(|s| matches!(s.name.as_str(), "Workbook" | "Book"))
    else {
        return Ok(None);
    };
    match cf.read(&entry) {
        Ok(data) => Ok(Some(data)),
        Err(e) => verdict(e),
    }
}

/// Walks the BIFF records: BOUNDSHEET positions from the globals, then each
/// sheet substream's DIMENSIONS and cell records.
fn scan_biff(stream: &[u8]) -> Vec<XlsSheetScan> {
    let mut sheets = Vec::new();
    let mut at = 0;
    while let (Some(typ), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let data = stream.get(at + 4..at + 4 + len as usize).unwrap_or(&[]);
        match typ {
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    sheets.push(pos as usize);
                }
            }
            0x000A => break,
            _ => {}
        }
        at += 4 + len as usize;
    }
    sheets
        .into_iter()
        .map(|offset| scan_sheet(stream, offset))
        .collect()
}

fn scan_sheet(stream: &[u8], offset: usize) -> XlsSheetScan {
    let mut out = XlsSheetScan {
        offset,
        ..Default::default()
    };
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut add = |r: u32, c0: u32, c1: u32| {
        bbox = Some(match bbox {
            None => (r, c0, r, c1),
            Some((a, b, c, d)) => (a.min(r), b.min(c0), c.max(r), d.max(c1)),
        });
    };
    let mut at = offset;
    let mut seen_bof = false;
    let mut depth = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let data = stream.get(at + 4..at + 4 + len as usize).unwrap_or(&[]);
        at += 4 + len as usize;
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let row = u16_at(data, 0).map(u32::from);
        let col = u16_at(data, 2).map(u32::from);
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => out.reserved_cells = out.reserved_cells.max(dimension_cells(data)),
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (row, col) {
                    add(r, c, c);
                }
            }
            0x00BD => {
                // MULRK: row, first column, 6-byte RKs, last column.
                if let (Some(r), Some(c0), Some(c1)) =
                    (row, col, u16_at(data, data.len().saturating_sub(2)))
                {
                    add(r, c0, (c1 as u32).max(c0));
                }
            }
            _ => {}
        }
    }
    if let Some((r0, c0, r1, c1)) = bbox {
        out.dense_cells = (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64;
    }
    out
}

/// The number of cells calamine reserves for a DIMENSIONS record, mirroring
/// its `parse_dimensions` (u32 rows in BIFF8, columns clamped to 0..=255;
/// a reversed row range wraps, as in a release build).
fn dimension_cells(r: &[u8]) -> u64 {
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (
            u16_at(r, 0).unwrap_or(0) as u32,
            u16_at(r, 2).unwrap_or(0) as u32,
            u16_at(r, 4).unwrap_or(0) as u32,
            u16_at(r, 6).unwrap_or(0) as u32,
        ),
        14 | 16 => (
            u32_at(r, 0).unwrap_or(0),
            u32_at(r, 4).unwrap_or(0),
            u16_at(r, 8).unwrap_or(0) as u32,
            u16_at(r, 10).unwrap_or(0) as u32,
        ),
        _ => return 0,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    if rl >= 1 && cl >= 1 {
        let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1) as u64;
        let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1) as u64;
        rows.saturating_mul(cols)
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_claims_are_measured_like_calamine() {
        let mut r = Vec::new();
        r.extend_from_slice(&0u32.to_le_bytes());
        r.extend_from_slice(&28u32.to_le_bytes());
        r.extend_from_slice(&0u16.to_le_bytes());
        r.extend_from_slice(&10u16.to_le_bytes());
        r.extend_from_slice(&0u16.to_le_bytes());
        assert_eq!(dimension_cells(&r), 280);
        r[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(dimension_cells(&r), u32::MAX as u64 * 10);
    }

    #[test]
    fn garbage_gives_no_verdict() {
        assert!(scan(b"not a compound file").unwrap().is_empty());
        let mut b = vec![0u8; 1024];
        b[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        assert!(scan(&b).unwrap().is_empty());
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;

    #[test]
    fn follows_a_libreoffice_xls() {
        let bytes = include_bytes!("../../../samples/xlsx/qingsong-edu-2023-sheets.xls");
        let sheets = scan(bytes).unwrap();
        // Four sheets (the hidden one included): 表二 is A1:D15, 表三 A1:J28.
        assert_eq!(sheets.len(), 4);
        assert_eq!(sheets[0].dense_cells, 15 * 4);
        assert_eq!(sheets[0].reserved_cells, 15 * 4);
        assert_eq!(sheets[1].dense_cells, 28 * 10);
    }
}
