//! Whitespace as reports need it: every run of white space (ASCII, NBSP,
//! U+3000 ideographic space, the Unicode spaces) is one separator. Shared by
//! the readers so that a cell's text is the same whichever format it came in.

/// Collapses every whitespace run (including U+3000 and NBSP) to one space
/// and trims: the same as splitting on `char::is_whitespace`, done on bytes
/// (the whitespace characters all start with a byte <= 0x20 or 0xC2, 0xE1,
/// 0xE2, 0xE3; CJK text is copied in runs).
pub(crate) fn collapse(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut run = 0; // start of the pending run of non-space text
    let mut space = false;
    let mut i = 0;
    while i < b.len() {
        let w = whitespace_len(b, i);
        if w == 0 {
            i += 1;
            continue;
        }
        if run < i {
            if space && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[run..i]);
        }
        space = true;
        i += w;
        run = i;
    }
    if run < b.len() {
        if space && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[run..]);
    }
    out
}

/// Byte length of the whitespace character starting at `b[i]` (as
/// `char::is_whitespace` defines it), or 0.
#[inline(always)]
pub(crate) fn whitespace_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
        0xC2 => matches!(b.get(i + 1), Some(0x85 | 0xA0)) as usize * 2,
        0xE1 => (b.get(i + 1..i + 3) == Some(&[0x9A, 0x80])) as usize * 3,
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => (b.get(i + 1..i + 3) == Some(&[0x80, 0x80])) as usize * 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace() {
        assert_eq!(
            collapse("\u{3000}\u{3000}一、 总体 \t情况\u{a0} "),
            "一、 总体 情况"
        );
        assert_eq!(collapse("   "), "");
        // Same as splitting on char::is_whitespace, for every whitespace char.
        let ws: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        for &w in &ws {
            let s = format!("{w}一{w}{w}、 b{w}");
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(&s), want, "U+{:04X}", w as u32);
        }
        for s in [
            "abc",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "",
            "\u{3000}x\u{3000}",
            "x\u{a0}y",
            "\u{2028}",
        ] {
            assert_eq!(
                collapse(s),
                s.split_whitespace().collect::<Vec<_>>().join(" "),
                "{s:?}"
            );
        }
    }
}
