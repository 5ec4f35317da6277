//! Struck-through text: glyphs with a line drawn through their middle are
//! deleted text, and are read as absent.
//!
//! Why: a Word or LibreOffice document printed with its tracked changes
//! shown draws a deletion struck through next to the insertion underlined.
//! Read as plain glyphs, a cell whose "6" was changed to "1" reads "61"; on
//! 200 generated reports printed by LibreOffice that was 18 wrong numbers in
//! 18 reports, each with `reading: certain` findings after it. The DOCX
//! reader reads tracked changes as accepted (deletions dropped), so
//! dropping struck glyphs gives the PDF the same reading as its source.
//!
//! A line strikes a glyph when it is horizontal, covers the glyph's centre
//! and passes through the middle band of its box ([`BAND`]); underlines
//! (insertions, links) run at or below the baseline, outside the band. The
//! line must be about as long as the glyphs it strikes ([`COVERED`]): a
//! table rule that happens to run through a line of text is longer than its
//! text, and stays a rule.

use super::chars::Glyph;
use super::lattice::Seg;

/// The middle band of a glyph's box, as fractions of its height. Measured
/// on LibreOffice exports of tracked changes in 10.5 pt Liberation Serif,
/// whose box `pdf_oxide` gives from the baseline up one em: strike-through
/// at 0.29, underline at -0.09. A box from the descent (fonts with ascent
/// and descent) puts both about 0.13 higher, still on either side of 0.2.
const BAND: (f32, f32) = (0.20, 0.65);
/// Share of a strike line's length over the glyphs it strikes.
const COVERED: f32 = 0.8;

/// Takes out of `h` the lines that strike glyphs through, and out of
/// `glyphs` the glyphs they strike. Returns how many glyphs were dropped.
pub(crate) fn drop_struck(h: &mut Vec<Seg>, glyphs: &mut Vec<Glyph>) -> usize {
    // Glyphs by the bottom of their box, so each line looks only at the
    // glyphs whose box can reach it (a line of text, not the page).
    let mut order: Vec<usize> = (0..glyphs.len()).collect();
    order.sort_by(|&a, &b| glyphs[a].y0.total_cmp(&glyphs[b].y0));
    let tallest = glyphs.iter().map(|g| g.y1 - g.y0).fold(0.0f32, f32::max);
    let mut struck = vec![false; glyphs.len()];
    h.retain(|s| {
        let from = order.partition_point(|&i| glyphs[i].y0 < s.pos - tallest);
        let to = order.partition_point(|&i| glyphs[i].y0 <= s.pos);
        let hits: Vec<usize> = order[from..to]
            .iter()
            .copied()
            .filter(|&i| strikes(s, &glyphs[i]))
            .collect();
        let covered: f32 = hits
            .iter()
            .map(|&i| (glyphs[i].x1.min(s.hi) - glyphs[i].x0.max(s.lo)).max(0.0))
            .sum();
        let is_strike = !hits.is_empty() && covered >= COVERED * (s.hi - s.lo);
        if is_strike {
            hits.iter().for_each(|&i| struck[i] = true);
        }
        !is_strike
    });
    let before = glyphs.len();
    let mut k = struck.iter();
    glyphs.retain(|_| !*k.next().unwrap_or(&false));
    before - glyphs.len()
}

fn strikes(s: &Seg, g: &Glyph) -> bool {
    let height = g.y1 - g.y0;
    let (lo, hi) = (g.y0 + BAND.0 * height, g.y0 + BAND.1 * height);
    g.cx() >= s.lo && g.cx() <= s.hi && s.pos >= lo && s.pos <= hi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(ch: char, x0: f32) -> Glyph {
        // A 10.5 pt Liberation Serif digit as `pdf_oxide` boxes it.
        Glyph {
            ch,
            x0,
            x1: x0 + 5.2,
            y0: 213.5,
            y1: 224.0,
            size: 10.5,
        }
    }

    #[test]
    fn tracked_deletion_is_dropped_and_insertion_kept() {
        // "6" struck through (deleted), "1" underlined (inserted), as
        // LibreOffice prints a changed cell.
        let mut glyphs = vec![glyph('6', 248.8), glyph('1', 254.0)];
        let mut h = vec![
            Seg {
                pos: 216.5,
                lo: 248.8,
                hi: 254.0,
            },
            Seg {
                pos: 212.6,
                lo: 254.0,
                hi: 259.2,
            },
        ];
        assert_eq!(drop_struck(&mut h, &mut glyphs), 1);
        assert_eq!(glyphs.iter().map(|g| g.ch).collect::<String>(), "1");
        assert_eq!(h.len(), 1, "the underline stays a line");
    }

    #[test]
    fn table_rule_through_text_stays() {
        // A rule 200 pt long through the middle of one digit: not a strike.
        let mut glyphs = vec![glyph('7', 100.0)];
        let mut h = vec![Seg {
            pos: 216.5,
            lo: 0.0,
            hi: 200.0,
        }];
        assert_eq!(drop_struck(&mut h, &mut glyphs), 0);
        assert_eq!((h.len(), glyphs.len()), (1, 1));
    }
}
