//! Element classes (skipped, hidden, block), the iterative traversal every
//! visitor uses (no recursion: depth is bounded but large), and text
//! normalization.

#[allow(unused_imports)]
use super::*;

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
/// `display:none` or `visibility:hidden`. ASCII styles (nearly all) are
/// matched around each `:` without building the compacted copy.
pub(super) fn style_hides(style: &str) -> bool {
    if !style.is_ascii() {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        return compact.contains("display:none") || compact.contains("visibility:hidden");
    }
    let b = style.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b':'
            && ((compact_ends_with(&b[..i], b"display") && compact_starts_with(&b[i + 1..], b"none"))
                || (compact_ends_with(&b[..i], b"visibility")
                    && compact_starts_with(&b[i + 1..], b"hidden")))
    })
}

/// ASCII whitespace as `char::is_whitespace` has it (with U+000B).
fn is_ascii_space(c: &u8) -> bool {
    matches!(c, b'\t'..=b'\r' | b' ')
}

fn compact_starts_with(b: &[u8], word: &[u8]) -> bool {
    let mut chars = b.iter().filter(|c| !is_ascii_space(c));
    word.iter()
        .all(|w| chars.next().is_some_and(|c| c.to_ascii_lowercase() == *w))
}

fn compact_ends_with(b: &[u8], word: &[u8]) -> bool {
    let mut chars = b.iter().rev().filter(|c| !is_ascii_space(c));
    word.iter()
        .rev()
        .all(|w| chars.next().is_some_and(|c| c.to_ascii_lowercase() == *w))
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

/// Characters dropped outright: zero-width spaces, BOMs, soft hyphens.
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

/// Collapses every run of whitespace (including `&nbsp;` and U+3000) to one
/// space and trims. A run of plain ASCII whitespace holding a line break
/// between two wide characters vanishes: it is source formatting, not a space.
pub(super) fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_run = false;
    let mut run_has_newline = false;
    let mut run_is_ascii = true;
    let mut last: Option<char> = None;
    for ch in raw.chars() {
        if is_invisible(ch) {
            continue;
        }
        if ch.is_whitespace() {
            if !in_run {
                in_run = true;
                run_has_newline = false;
                run_is_ascii = true;
            }
            run_has_newline |= ch == '\n' || ch == '\r';
            run_is_ascii &= ch.is_ascii();
            continue;
        }
        if in_run {
            in_run = false;
            if let Some(prev) = last {
                let source_break = run_has_newline && run_is_ascii && is_wide(prev) && is_wide(ch);
                if !source_break {
                    out.push(' ');
                }
            }
        }
        out.push(ch);
        last = Some(ch);
    }
    out
}
