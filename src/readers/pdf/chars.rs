//! Glyphs: positioned characters from the text layer, grouped into lines and
//! joined into text.
//!
//! Coordinates are PDF user space in points, y up (page origin bottom left),
//! the same space the ruling lines come in, so a glyph is placed in a cell by
//! comparing numbers, with no conversion.
//!
//! How text is joined, and why:
//! - a glyph drawn twice at (almost) the same place (fake bold: the same
//!   string stroked with a 0.2-0.5 pt offset, common in Word exports of
//!   headings) is read once;
//! - glyphs on a line are ordered by x; a gap wider than 0.3 em starts a new
//!   word (a space), except between two CJK characters: justified Chinese
//!   lines spread their characters and Chinese has no spaces;
//! - lines are joined without a separator (a wrapped CJK label "（一）予以公" /
//!   "开" is one label), with a space only between two ASCII letters or digits;
//! - one character per line (vertical labels, Identity-V writing) therefore
//!   reads top to bottom as a word.

use pdf_oxide::layout::TextChar;

/// One character with its box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub ch: char,
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
    /// Font size in points (at least 1).
    pub size: f32,
}

impl Glyph {
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

/// Converts the library's characters, dropping white space (word gaps are
/// recomputed from positions), control characters and glyphs with
/// non-finite coordinates (a hostile matrix).
pub(crate) fn from_text_chars(chars: &[TextChar]) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::with_capacity(chars.len());
    for c in chars {
        if c.char.is_whitespace() || c.char.is_control() || c.char == '\u{FFFD}' {
            continue;
        }
        let size = if c.font_size.is_finite() {
            c.font_size.abs().max(1.0)
        } else {
            continue;
        };
        // The library's box is origin + advance, baseline up one em; the
        // font's ascent and descent give the glyph's real extent.
        let (x0, x1) = (c.bbox.x, c.bbox.x + c.bbox.width);
        let (y0, y1) = if c.ascent.is_finite() && c.descent.is_finite() && c.ascent > c.descent {
            (c.bbox.y + c.descent, c.bbox.y + c.ascent)
        } else {
            (c.bbox.y, c.bbox.y + c.bbox.height)
        };
        if ![x0, x1, y0, y1].iter().all(|v| v.is_finite()) {
            continue;
        }
        let g = Glyph {
            ch: c.char,
            x0: x0.min(x1),
            x1: x0.max(x1),
            y0: y0.min(y1),
            y1: y0.max(y1),
            size,
        };
        if !is_overstrike(&out, &g) {
            out.push(g);
        }
    }
    out
}

/// The same character drawn again within a fifth of an em of one of the last
/// few glyphs (fake bold, shadow text).
fn is_overstrike(out: &[Glyph], g: &Glyph) -> bool {
    let tol = g.size * 0.2;
    out.iter()
        .rev()
        .take(4)
        .any(|p| p.ch == g.ch && (p.x0 - g.x0).abs() < tol && (p.y0 - g.y0).abs() < tol)
}

/// A line of text: glyphs sharing a baseline, left to right.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub glyphs: Vec<Glyph>,
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
}

impl Line {
    fn new(g: Glyph) -> Self {
        Line {
            glyphs: vec![g],
            x0: g.x0,
            x1: g.x1,
            y0: g.y0,
            y1: g.y1,
        }
    }

    fn push(&mut self, g: Glyph) {
        self.x0 = self.x0.min(g.x0);
        self.x1 = self.x1.max(g.x1);
        self.y0 = self.y0.min(g.y0);
        self.y1 = self.y1.max(g.y1);
        self.glyphs.push(g);
    }

    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }

    /// Typical font size on the line.
    pub fn size(&self) -> f32 {
        let mut sizes: Vec<f32> = self.glyphs.iter().map(|g| g.size).collect();
        sizes.sort_by(f32::total_cmp);
        sizes[sizes.len() / 2]
    }

    pub fn text(&self) -> String {
        join_glyphs(&self.glyphs)
    }
}

/// Groups glyphs into lines, top to bottom. A glyph joins the line whose
/// vertical centre is within 0.4 em of its own; sub- and superscripts a
/// little off the baseline stay on their line.
pub(crate) fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut sorted: Vec<Glyph> = glyphs.to_vec();
    sorted.sort_by(|a, b| b.cy().total_cmp(&a.cy()).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Line> = Vec::new();
    for g in sorted {
        // Lines are built top-down, so only the last few can take the glyph.
        let found = lines
            .iter_mut()
            .rev()
            .take(3)
            .find(|l| (l.cy() - g.cy()).abs() <= 0.4 * l.size().min(g.size));
        match found {
            Some(line) => line.push(g),
            None => lines.push(Line::new(g)),
        }
    }
    for line in &mut lines {
        line.glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines.sort_by(|a, b| b.cy().total_cmp(&a.cy()));
    lines
}

/// The text of glyphs on one line, left to right, with spaces at word gaps.
pub(crate) fn join_glyphs(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            if gap > 0.3 * p.size.min(g.size) && !(is_cjk(p.ch) && is_cjk(g.ch)) {
                out.push(' ');
            }
        }
        out.push(g.ch);
        prev = Some(g);
    }
    out
}

/// The text of a block of glyphs (a table cell): its lines joined.
pub(crate) fn block_text(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    for line in lines(glyphs) {
        join_line(&mut out, &line.text());
    }
    out
}

/// Appends a wrapped line to text: no separator, except a space between
/// two ASCII letters or digits (an English word wrapped at a space).
pub(crate) fn join_line(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    if let (Some(a), Some(b)) = (out.chars().last(), next.chars().next()) {
        if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
            out.push(' ');
        }
    }
    out.push_str(next);
}

/// CJK ideographs, CJK punctuation and full-width forms: scripts written
/// without spaces.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(ch: char, x0: f32, y0: f32) -> Glyph {
        Glyph {
            ch,
            x0,
            x1: x0 + 10.0,
            y0,
            y1: y0 + 10.0,
            size: 10.0,
        }
    }

    #[test]
    fn wrapped_cjk_label_is_one_word_and_latin_keeps_its_space() {
        // "予以" on one line, "公开" below it.
        let cell = [
            g('公', 100.0, 88.0),
            g('予', 100.0, 100.0),
            g('以', 110.0, 100.0),
            g('开', 110.0, 88.0),
        ];
        assert_eq!(block_text(&cell), "予以公开");
        let words = [g('a', 0.0, 0.0), g('b', 10.0, 0.0), g('c', 30.0, 0.0)];
        assert_eq!(join_glyphs(&words), "ab c");
        // Justified CJK: wide gaps, still no spaces.
        let spread = [g('本', 0.0, 0.0), g('年', 20.0, 0.0), g('2', 40.0, 0.0)];
        assert_eq!(join_glyphs(&spread), "本年 2");
    }

    #[test]
    fn vertical_label_reads_top_to_bottom() {
        let cell = [g('度', 0.0, 60.0), g('本', 0.0, 84.0), g('年', 0.0, 72.0)];
        assert_eq!(block_text(&cell), "本年度");
    }
}
