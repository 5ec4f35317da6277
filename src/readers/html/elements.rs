//! Element classes (skipped, hidden, block), the iterative traversal every
//! visitor uses (no recursion: depth is bounded but large), and text
//! normalization.

#[allow(unused_imports)]
use super::*;
use crate::readers::whitespace::whitespace_len;

/// Elements whose content is never shown as text.
pub(super) fn is_skipped(el: &Element) -> bool {
    matches!(
        el.name(),
        "script"
            | "style"
            | "noscript"
            | "head"
            | "title"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "select"
            | "textarea"
            | "svg"
            | "math"
            | "canvas"
            | "audio"
            | "video"
    ) || is_hidden(el)
}

/// The `hidden` attribute, or an inline style that hides. Looks at the
/// attributes once, by name, instead of `Element::attr` (which interns the
/// name it is given and binary-searches by string comparison, per call).
pub(super) fn is_hidden(el: &Element) -> bool {
    el.attrs.iter().any(|(name, value)| {
        name.prefix.is_none()
            && name.ns.is_empty()
            && match &*name.local {
                "hidden" => true,
                "style" => style_hides(value),
                _ => false,
            }
    })
}

/// Whether a style, with all whitespace removed and lowercased, contains
/// `display:none` or `visibility:hidden`. Matched around each `:` (found
/// by `memchr`) without building the compacted copy: Word's exported pages
/// put a long style on nearly every element, most with a CJK font name
/// (`font-family:宋体`), and building a lowercased copy of those (or testing
/// each byte for a colon) was 13% of reading the 92 KB town page. No
/// character outside ASCII lowercases to one ASCII letter of the four words
/// (a unit test holds this equal to the compacting way).
pub(super) fn style_hides(style: &str) -> bool {
    memchr::memchr_iter(b':', style.as_bytes()).any(|i| {
        let (before, after) = (&style[..i], &style[i + 1..]);
        (compact_ends_with(before, "display") && compact_starts_with(after, "none"))
            || (compact_ends_with(before, "visibility") && compact_starts_with(after, "hidden"))
    })
}

/// Whether `s` without white space starts with the lowercase ASCII `word`,
/// letters compared without case.
fn compact_starts_with(s: &str, word: &str) -> bool {
    let mut chars = s.chars().filter(|c| !c.is_whitespace());
    word.bytes().all(|w| {
        chars
            .next()
            .is_some_and(|c| c.to_ascii_lowercase() == char::from(w))
    })
}

fn compact_ends_with(s: &str, word: &str) -> bool {
    let mut chars = s.chars().rev().filter(|c| !c.is_whitespace());
    word.bytes().rev().all(|w| {
        chars
            .next()
            .is_some_and(|c| c.to_ascii_lowercase() == char::from(w))
    })
}

/// Elements that start and end a line of text.
pub(super) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "option"
            | "p"
            | "plaintext"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
    )
}

pub(super) fn element<'a>(node: &NodeRef<'a, Node>) -> Option<&'a Element> {
    node.value().as_element()
}

// ---------------------------------------------------------------------------
// Iterative traversal

/// Receives the nodes of a depth-first walk.
pub(super) trait Visitor<'a> {
    /// Called on entering a node; returns whether to visit its children.
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError>;
    /// Called on leaving every node `enter` was called on.
    fn leave(&mut self, node: NodeRef<'a, Node>);
}

/// Walks the descendants of `root` (not `root` itself) in document order
/// without recursion, so any nesting depth is safe.
pub(super) fn walk<'a>(
    root: NodeRef<'a, Node>,
    visitor: &mut impl Visitor<'a>,
) -> Result<(), ReadError> {
    let mut next = root.first_child();
    while let Some(node) = next {
        if visitor.enter(node)? {
            if let Some(child) = node.first_child() {
                next = Some(child);
                continue;
            }
        }
        visitor.leave(node);
        let mut current = node;
        next = None;
        loop {
            if let Some(sibling) = current.next_sibling() {
                next = Some(sibling);
                break;
            }
            match current.parent() {
                Some(parent) if parent.id() != root.id() => {
                    visitor.leave(parent);
                    current = parent;
                }
                _ => break,
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Text normalization

/// Characters dropped outright: zero-width spaces, BOMs, soft hyphens (as
/// chars, the definition the byte test [`invisible_len`] is tested against).
#[cfg(test)]
pub(super) fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Wide (East Asian) characters, between which a line break in the source is
/// no space (CSS Text 3 segment-break rule; Chinese has no word spaces).
pub(super) fn is_wide(ch: char) -> bool {
    matches!(ch as u32,
        0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)
}

/// Byte length of the invisible character starting at `b[i]`, or 0:
/// U+200B-U+200D and U+2060 (zero-width), U+FEFF (BOM), U+00AD (soft hyphen).
#[inline]
fn invisible_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        0xC2 => usize::from(b.get(i + 1) == Some(&0xAD)) * 2,
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x8B..=0x8D)) | (Some(0x81), Some(0xA0)) => 3,
            _ => 0,
        },
        0xEF => usize::from(b.get(i + 1..i + 3) == Some(&[0xBB, 0xBF])) * 3,
        _ => 0,
    }
}

/// The first bytes of whitespace (ASCII, U+0085, U+00A0, U+1680, U+2000-
/// U+205F, U+3000) and invisible characters (U+00AD, U+200B-U+2060, U+FEFF).
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c <= 0x20 {
        table[c] = true;
        c += 1;
    }
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table[0xEF] = true;
    table
};

/// Collapses every run of whitespace (including `&nbsp;` and U+3000) to one
/// space and trims. A run of plain ASCII whitespace holding a line break
/// between two wide characters vanishes: it is source formatting, not a space.
///
/// Works on bytes: whitespace and invisible characters all start with a byte
/// below 0x21 or 0xC2, 0xE1, 0xE2, 0xE3, 0xEF, so text between them is
/// copied as whole slices, and characters are decoded only at run edges.
pub(super) fn normalize_text<S: TextOut>(raw: &str) -> S {
    let b = raw.as_bytes();
    let mut out = S::with_capacity(raw.len());
    let mut in_run = false;
    let mut run_has_newline = false;
    let mut run_is_ascii = true;
    let mut seg = 0; // start of the pending text between runs
    let mut i = 0;
    while i < b.len() {
        if !MAY_START_SPACE[usize::from(b[i])] {
            // Skip to the next byte that can start whitespace or an
            // invisible character (most text has a few per line).
            i = b[i..]
                .iter()
                .position(|&c| MAY_START_SPACE[usize::from(c)])
                .map_or(b.len(), |p| i + p);
            continue;
        }
        let ws = whitespace_len(b, i);
        let skip = if ws == 0 { invisible_len(b, i) } else { ws };
        if skip == 0 {
            i += 1;
            continue;
        }
        push_segment(
            &mut out,
            &raw[seg..i],
            &mut in_run,
            run_has_newline && run_is_ascii,
        );
        if ws > 0 {
            if !in_run {
                in_run = true;
                run_has_newline = false;
                run_is_ascii = true;
            }
            run_has_newline |= b[i] == b'\n' || b[i] == b'\r';
            run_is_ascii &= ws == 1;
        }
        i += skip;
        seg = i;
    }
    push_segment(
        &mut out,
        &raw[seg..],
        &mut in_run,
        run_has_newline && run_is_ascii,
    );
    out
}

/// Where [`normalize_text`] writes: a paragraph's `String`, or a cell's
/// `CompactString`, which holds a cell of up to 24 bytes (most are a
/// number or a short label) without an allocation.
pub(super) trait TextOut: std::ops::Deref<Target = str> {
    fn with_capacity(n: usize) -> Self;
    fn push(&mut self, c: char);
    fn push_str(&mut self, s: &str);
}

impl TextOut for String {
    fn with_capacity(n: usize) -> Self {
        String::with_capacity(n)
    }
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

impl TextOut for CompactString {
    fn with_capacity(n: usize) -> Self {
        CompactString::with_capacity(n)
    }
    fn push(&mut self, c: char) {
        CompactString::push(self, c);
    }
    fn push_str(&mut self, s: &str) {
        CompactString::push_str(self, s);
    }
}

/// Appends text that follows a (possibly empty) whitespace run: the run
/// becomes one space, unless it starts the text or is a source line break
/// between wide characters.
#[inline]
fn push_segment<S: TextOut>(out: &mut S, segment: &str, in_run: &mut bool, ascii_break: bool) {
    let Some(first) = segment.chars().next() else {
        return;
    };
    if std::mem::take(in_run) {
        if let Some(prev) = out.chars().next_back() {
            if !(ascii_break && is_wide(prev) && is_wide(first)) {
                out.push(' ');
            }
        }
    }
    out.push_str(segment);
}
