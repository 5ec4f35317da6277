//! HTML reader: whole scraped report pages, as government sites serve them.
//!
//! The page is decoded (charset from a `<meta>` declaration, else guessed),
//! parsed with `scraper` (html5ever, the browsers' parsing algorithm, so tag
//! soup parses the way a browser shows it), then walked once in document
//! order to produce paragraphs and tables:
//!
//! - Every block element (p, div, h1-h6, li, td of a layout table, ...) and
//!   every `<br>` ends a line; each non-empty line is one [`Paragraph`].
//!   Inline elements (span, font, a, b, Word's `o:p`) join without spaces,
//!   because Chinese text has none and offices split words over many spans.
//! - A table is a *data* table, emitted as a dense grid with rowspan/colspan
//!   resolved, unless it is a *layout* table: one that holds other tables,
//!   has a single cell, or is a narrow (at most 3 cells per row) page layout
//!   with a cell of running prose. Layout tables are not emitted; their
//!   content is read in order like any other block content.
//! - script, style, noscript, head, template and similar elements are
//!   skipped, and so is content hidden with the `hidden` attribute or an
//!   inline `display:none` (printed pages do not show it; CMS pages often
//!   carry a hidden duplicate of the article).
//!
//! Everything is iterative: the walk keeps its own cursor instead of
//! recursing, so nesting depth cannot overflow the stack. The HTML parsing
//! algorithm itself, though, scans the stack of open elements for many tags
//! (every `<div>` looks for an open `<p>`), so nesting costs quadratic time:
//! 10,000 nested divs took 19 s in a debug build. Before parsing, [`limit_nesting`] therefore flattens elements
//! nested deeper than `Limits::max_depth`: their tags are removed (block tags
//! become `<br>`, so lines stay lines) and their text is kept. Table sizes are
//! bounded by [`GridBuilder`]'s caps and by a per-document budget on grid
//! cells and on the text that merged cells copy.

use std::borrow::Cow;
use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use encoding_rs::Encoding;
use scraper::node::Element;
use scraper::{Html, Node};

use super::{decode, FormatReader, Limits, Probe, ReadCtx, ReadError};
use crate::document::{Block, Document, GridBuilder, Paragraph, SpanCell, TableOrigin};
use crate::readers::Format;

const FORMAT: &str = "HTML";

/// How far into the file a charset declaration is looked for. The HTML spec
/// says 1024 bytes; real pages put scripts and long comments before it.
const CHARSET_SCAN_BYTES: usize = 8192;

/// Most grid positions all tables of one page may hold together. A real
/// report has a few thousand; a whole scraped page some tens of thousands.
pub const MAX_GRID_POSITIONS: usize = 4_000_000;

/// Most bytes of text the tables of one page may hold together, counting the
/// copies a merged cell leaves in every position it covers. Spans that would
/// exceed it are reduced to a single position (only hostile files get there).
pub const MAX_GRID_TEXT_BYTES: usize = 128 * 1024 * 1024;

/// Most tags a page may have. Parsing builds a node per element (a few
/// hundred bytes each with attributes); real report pages have some
/// thousands, whole portal pages tens of thousands.
pub const MAX_TAGS: usize = 2_000_000;

/// HTML caps spans at these values; browsers clamp the same way.
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 65534;

/// The HTML entry of the reader registry.
pub(crate) struct HtmlReader;

impl FormatReader for HtmlReader {
    fn format(&self) -> Format {
        Format::Html
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        probe.is_html()
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        read(bytes, ctx.limits)
    }
}

/// Reads an HTML page into paragraphs and tables in reading order.
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    check_not_binary(bytes)?;
    // Bytes that are valid UTF-8 with non-ASCII text are UTF-8 whatever the
    // page declares: migrated sites keep their old gb2312 meta tags, while
    // GBK text is practically never valid UTF-8. (Decoded here rather than by
    // `decode::decode`, which does not accept a character cut off at the end.)
    let text = if looks_utf8(bytes) {
        let body = bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(bytes);
        String::from_utf8_lossy(body).into_owned()
    } else {
        decode::decode(bytes, sniff_charset(bytes).as_deref())
    };
    check_decoded(&text)?;
    let tags = count_tags(text.as_bytes());
    if tags > MAX_TAGS {
        return Err(ReadError::over_limit(format!(
            "page has {tags} tags, the limit is {MAX_TAGS} (a parsed element costs a few hundred bytes)"
        )));
    }
    let html = Html::parse_document(&limit_nesting(&text, limits.max_depth));
    drop(text);
    let mut reader = PageReader::new(&html);
    walk(html.tree.root(), &mut reader)?;
    reader.flush();
    Ok(Document {
        blocks: reader.blocks,
        notes: Vec::new(),
    })
}

// ---------------------------------------------------------------------------
// Bytes and charset

/// Rejects what is no text at all, with a reason a researcher can act on.
fn check_not_binary(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.starts_with(&[0x1F, 0x8B]) {
        return Err(ReadError::corrupt(
            FORMAT,
            "gzip-compressed data, not an HTML page (the page was saved without decompressing it)",
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(()); // UTF-16 with a BOM: NUL bytes are expected
    }
    let head = &bytes[..bytes.len().min(4096)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    if nuls > 0 || controls * 20 > head.len() {
        return Err(ReadError::corrupt(
            FORMAT,
            format!(
                "binary data, not an HTML page: {nuls} NUL bytes and {controls} control bytes \
                 in the first {} bytes (truncated download or a different file type)",
                head.len()
            ),
        ));
    }
    Ok(())
}

/// Valid UTF-8 (a sequence cut off at the very end allowed) with at least one
/// non-ASCII character.
fn looks_utf8(bytes: &[u8]) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len(),
    };
    valid && !bytes.is_ascii()
}

/// After decoding, text that is mostly U+FFFD was not in any encoding we know.
fn check_decoded(text: &str) -> Result<(), ReadError> {
    let (mut total, mut bad) = (0usize, 0usize);
    for ch in text.chars().take(1 << 20) {
        total += 1;
        if ch == '\u{FFFD}' {
            bad += 1;
        }
    }
    if total >= 64 && bad * 10 > total {
        return Err(ReadError::corrupt(
            FORMAT,
            format!("{bad} of the first {total} characters cannot be decoded in any Chinese or Unicode encoding"),
        ));
    }
    Ok(())
}

/// Finds a charset declared in a `<meta charset=...>` or
/// `<meta http-equiv="Content-Type" content="...; charset=...">` tag (or an
/// XML declaration) in the first bytes, scanning the raw bytes ASCII-wise.
/// Returns a label worth passing to [`decode::decode`]: declarations of
/// single-byte Western encodings are dropped (a Chinese page cannot be in
/// one; they are template leftovers), and UTF-16 without a BOM means UTF-8,
/// as the HTML spec says.
pub fn sniff_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(CHARSET_SCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut found = None;
    if lower.starts_with(b"<?xml") {
        let end = find(&lower, b"?>").unwrap_or(lower.len());
        found = attribute_value(&lower[..end], b"encoding");
    }
    let mut at = 0;
    while found.is_none() {
        let Some(pos) = find(&lower[at..], b"<meta") else {
            break;
        };
        let start = at + pos + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| start + p);
        found = attribute_value(&lower[start..end], b"charset");
        at = end;
    }
    let label = found?;
    let encoding = Encoding::for_label(label.as_bytes())?;
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some("utf-8".into());
    }
    if encoding.is_single_byte() || encoding == encoding_rs::REPLACEMENT {
        return None;
    }
    Some(label)
}

/// The value after `name` `=` (quotes and spaces allowed) inside a tag.
fn attribute_value(tag: &[u8], name: &[u8]) -> Option<String> {
    let mut at = 0;
    while let Some(pos) = find(&tag[at..], name) {
        let mut i = at + pos + name.len();
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < tag.len() && tag[i] == b'=' {
            i += 1;
            while i < tag.len()
                && (tag[i].is_ascii_whitespace() || tag[i] == b'"' || tag[i] == b'\'')
            {
                i += 1;
            }
            let start = i;
            while i < tag.len()
                && (tag[i].is_ascii_alphanumeric() || matches!(tag[i], b'-' | b'_' | b'.' | b':'))
            {
                i += 1;
            }
            if i > start {
                return Some(String::from_utf8_lossy(&tag[start..i]).into_owned());
            }
        }
        at = i.max(at + pos + 1);
    }
    None
}

/// Start and end tags, roughly: `<` followed by a letter or `/`.
fn count_tags(b: &[u8]) -> usize {
    b.windows(2)
        .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
        .count()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Nesting limit

/// End tags that close nothing are ignored by the parser, but each one costs
/// a scan of the open elements; past this many, they are removed up front.
const MAX_STRAY_END_TAGS: usize = 10_000;

/// How far down the open elements an end tag looks for its start tag.
const END_TAG_WINDOW: usize = 16;

/// Elements without content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose end tag is optional (the parser closes them itself), so
/// they never pile up on the stack of open elements.
fn closes_itself(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "caption"
            | "colgroup"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content is raw text up to their end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// Elements kept at any depth: dropping them would change more than layout.
fn never_dropped(name: &str) -> bool {
    matches!(
        name,
        "table" | "select" | "svg" | "math" | "template" | "frameset"
    )
}

/// Removes the tags of elements nested deeper than `max_depth` (counting the
/// elements that need an end tag, the way the parser's stack grows), keeping
/// their text; block tags become `<br>`. Returns the text unchanged (borrowed)
/// for every ordinary page. A cheap tokenizer: tags, comments, raw-text
/// elements and quoted attribute values are recognized; anything else is text.
pub fn limit_nesting(text: &str, max_depth: usize) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    // Open elements: name and whether its tags are dropped.
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut foreign = 0usize; // open svg/math, where `/>` closes an element
    let mut strays = 0usize;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let lt = i + off;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(&rest[3..], b"-->").map_or(b.len(), |p| lt + 4 + p + 3);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            i = rest
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |p| lt + 1 + p + 1);
            continue;
        }
        let is_end = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(is_end);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = b[name_start..]
            .iter()
            .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            .map_or(b.len(), |p| name_start + p);
        let name = String::from_utf8_lossy(&b[name_start..name_end]).to_ascii_lowercase();
        let tag_end = tag_end(b, name_end);
        i = tag_end;
        if is_void(&name) || closes_itself(&name) || (is_end && is_raw_text(&name)) {
            continue;
        }
        if !is_end {
            if name == "plaintext" {
                break;
            }
            if is_raw_text(&name) {
                // Skip to the end tag; the loop then sees it as an end tag.
                i = find_end_tag(b, tag_end, name.as_bytes()).unwrap_or(b.len());
                continue;
            }
            let self_closing = tag_end >= 2 && b[tag_end - 2] == b'/' && b[tag_end - 1] == b'>';
            if self_closing && foreign > 0 {
                continue;
            }
            let drop = stack.len() >= max_depth && !never_dropped(&name);
            if drop {
                edits.push((lt, tag_end, if is_block(&name) { "<br>" } else { "" }));
            }
            if matches!(name.as_str(), "svg" | "math") {
                foreign += 1;
            }
            stack.push((name, drop));
        } else {
            let found = stack
                .iter()
                .rev()
                .take(END_TAG_WINDOW)
                .position(|(open, _)| *open == name);
            match found {
                Some(k) => {
                    let at = stack.len() - 1 - k;
                    if stack[at].1 {
                        edits.push((lt, tag_end, if is_block(&name) { "<br>" } else { "" }));
                    }
                    for (closed, _) in stack.drain(at..) {
                        if matches!(closed.as_str(), "svg" | "math") {
                            foreign -= 1;
                        }
                    }
                }
                None => {
                    strays += 1;
                    if strays > MAX_STRAY_END_TAGS {
                        edits.push((lt, tag_end, ""));
                    }
                }
            }
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        out.push_str(&text[at..start]);
        out.push_str(replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Where `</name` (any letter case) next starts at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(p) = find(&b[at..], b"</") {
        let start = at + p;
        let candidate = &b[start + 2..];
        if candidate.len() >= name.len() && candidate[..name.len()].eq_ignore_ascii_case(name) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The index just past the `>` that ends the tag whose name ends at `from`,
/// skipping quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            b'=' => {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let quote = b[i];
                    i = b[i + 1..]
                        .iter()
                        .position(|&c| c == quote)
                        .map_or(b.len(), |p| i + 1 + p + 1);
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

// ---------------------------------------------------------------------------
// Element classes

/// Elements whose content is never shown as text.
fn is_skipped(el: &Element) -> bool {
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

fn is_hidden(el: &Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    match el.attr("style") {
        Some(style) => {
            let compact: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            compact.contains("display:none") || compact.contains("visibility:hidden")
        }
        None => false,
    }
}

/// Elements that start and end a line of text.
fn is_block(name: &str) -> bool {
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

fn element<'a>(node: &NodeRef<'a, Node>) -> Option<&'a Element> {
    node.value().as_element()
}

// ---------------------------------------------------------------------------
// Iterative traversal

/// Receives the nodes of a depth-first walk.
trait Visitor<'a> {
    /// Called on entering a node; returns whether to visit its children.
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError>;
    /// Called on leaving every node `enter` was called on.
    fn leave(&mut self, node: NodeRef<'a, Node>);
}

/// Walks the descendants of `root` (not `root` itself) in document order
/// without recursion, so any nesting depth is safe.
fn walk<'a>(root: NodeRef<'a, Node>, visitor: &mut impl Visitor<'a>) -> Result<(), ReadError> {
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
fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Wide (East Asian) characters, between which a line break in the source is
/// no space (CSS Text 3 segment-break rule; Chinese has no word spaces).
fn is_wide(ch: char) -> bool {
    matches!(ch as u32,
        0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)
}

/// Collapses every run of whitespace (including `&nbsp;` and U+3000) to one
/// space and trims. A run of plain ASCII whitespace holding a line break
/// between two wide characters vanishes: it is source formatting, not a space.
pub fn normalize_text(raw: &str) -> String {
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

// ---------------------------------------------------------------------------
// Layout analysis

#[derive(Default)]
struct TableStats {
    nested: bool,
    cells: usize,
    row_cells: usize,
    max_row_cells: usize,
    prose_cell: bool,
}

#[derive(Default)]
struct CellStats {
    /// Depth of the table stack when the cell opened.
    depth: usize,
    blocks: usize,
    chars: usize,
}

/// A cell of running prose: several blocks and more text than any table
/// label or note. Used only to spot narrow page-layout tables.
const PROSE_BLOCKS: usize = 3;
const PROSE_CHARS: usize = 300;

/// One pass over the whole tree deciding, for every table, whether it is a
/// layout table (see the module docs). Linear in the page size whatever the
/// nesting.
fn classify_tables(html: &Html) -> HashMap<NodeId, bool> {
    let mut layout = HashMap::new();
    let mut tables: Vec<(NodeId, TableStats)> = Vec::new();
    let mut cells: Vec<CellStats> = Vec::new();
    for edge in html.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(el) => match el.name() {
                    "table" => {
                        if let Some((_, parent)) = tables.last_mut() {
                            parent.nested = true;
                        }
                        tables.push((node.id(), TableStats::default()));
                    }
                    "tr" => {
                        if let Some((_, t)) = tables.last_mut() {
                            t.row_cells = 0;
                        }
                    }
                    "td" | "th" => {
                        if let Some((_, t)) = tables.last_mut() {
                            t.cells += 1;
                            t.row_cells += 1;
                            t.max_row_cells = t.max_row_cells.max(t.row_cells);
                            cells.push(CellStats {
                                depth: tables.len(),
                                ..CellStats::default()
                            });
                        }
                    }
                    name if is_block(name) => {
                        if let Some(cell) = cells.last_mut() {
                            if cell.depth == tables.len() {
                                cell.blocks += 1;
                            }
                        }
                    }
                    _ => {}
                },
                Node::Text(text) => {
                    if let Some(cell) = cells.last_mut() {
                        if cell.depth == tables.len() {
                            cell.chars += text.chars().filter(|c| !c.is_whitespace()).count();
                        }
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                let Some(el) = element(&node) else { continue };
                match el.name() {
                    "table" => {
                        if let Some((id, t)) = tables.pop() {
                            let is_layout =
                                t.nested || t.cells == 1 || (t.max_row_cells <= 3 && t.prose_cell);
                            layout.insert(id, is_layout);
                        }
                    }
                    "td" | "th" if cells.last().is_some_and(|c| c.depth == tables.len()) => {
                        let cell = cells.pop().expect("checked by the guard");
                        if cell.blocks >= PROSE_BLOCKS && cell.chars > PROSE_CHARS {
                            if let Some((_, t)) = tables.last_mut() {
                                t.prose_cell = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    layout
}

// ---------------------------------------------------------------------------
// The page walk

struct PageReader {
    layout: HashMap<NodeId, bool>,
    blocks: Vec<Block>,
    /// Raw text of the line being collected.
    line: String,
    /// Open `<pre>`-like elements, where line breaks in the text are lines.
    pre: Vec<NodeId>,
    tables: usize,
    grid_positions: usize,
    grid_text_bytes: usize,
}

impl PageReader {
    fn new(html: &Html) -> Self {
        PageReader {
            layout: classify_tables(html),
            blocks: Vec::new(),
            line: String::new(),
            pre: Vec::new(),
            tables: 0,
            grid_positions: 0,
            grid_text_bytes: 0,
        }
    }

    fn flush(&mut self) {
        if self.line.is_empty() {
            return;
        }
        let text = normalize_text(&self.line);
        self.line.clear();
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph(Paragraph::new(text)));
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.pre.is_empty() {
            self.line.push_str(text);
            return;
        }
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.line.push_str(first);
        }
        for part in parts {
            self.flush();
            self.line.push_str(part);
        }
    }

    /// Reads a data table and emits its captions and grid.
    fn emit_table(&mut self, table: NodeRef<'_, Node>) -> Result<(), ReadError> {
        let mut rows = RowCollector::default();
        walk(table, &mut rows)?;
        for caption in rows.captions {
            if !caption.is_empty() {
                self.blocks.push(Block::Paragraph(Paragraph::new(caption)));
            }
        }
        let source_rows = rows.rows.len();
        let mut builder = GridBuilder::new();
        for (r, row) in rows.rows.into_iter().enumerate() {
            let remaining = (source_rows - r).min(GridBuilder::DEFAULT_MAX_ROWS);
            let cells: Vec<SpanCell> = row
                .into_iter()
                .map(|mut cell| {
                    cell.rowspan = cell.rowspan.clamp(1, remaining);
                    cell.colspan = cell.colspan.clamp(1, GridBuilder::DEFAULT_MAX_COLS);
                    let cost = cell.text.len().max(1) * cell.rowspan * cell.colspan;
                    if self.grid_text_bytes.saturating_add(cost) > MAX_GRID_TEXT_BYTES {
                        cell.rowspan = 1;
                        cell.colspan = 1;
                        self.grid_text_bytes += cell.text.len().max(1);
                    } else {
                        self.grid_text_bytes += cost;
                    }
                    cell
                })
                .collect();
            builder.push_row(cells);
        }
        let grid = builder.finish(TableOrigin::Flow {
            index: self.tables + 1,
        });
        if grid.rows() == 0 || grid.cols() == 0 {
            return Ok(());
        }
        let empty = (0..grid.rows()).all(|r| grid.row_texts(r).all(str::is_empty));
        if empty {
            return Ok(());
        }
        self.grid_positions += grid.rows() * grid.cols();
        if self.grid_positions > MAX_GRID_POSITIONS {
            return Err(ReadError::over_limit(format!(
                "the tables of this page hold more than {MAX_GRID_POSITIONS} cells"
            )));
        }
        self.tables += 1;
        self.blocks.push(Block::Table(grid));
        Ok(())
    }
}

impl<'a> Visitor<'a> for PageReader {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError> {
        match node.value() {
            Node::Text(text) => {
                self.push_text(text);
                Ok(false)
            }
            Node::Element(el) => {
                if is_skipped(el) {
                    return Ok(false);
                }
                let name = el.name();
                if name == "table" && !self.layout.get(&node.id()).copied().unwrap_or(true) {
                    self.flush();
                    self.emit_table(node)?;
                    return Ok(false);
                }
                if is_block(name) {
                    self.flush();
                }
                if matches!(name, "pre" | "listing" | "plaintext" | "xmp" | "textarea") {
                    self.pre.push(node.id());
                }
                Ok(true)
            }
            Node::Document | Node::Fragment => Ok(true),
            _ => Ok(false),
        }
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        let Some(el) = element(&node) else { return };
        if is_block(el.name()) {
            self.flush();
        }
        if self.pre.last() == Some(&node.id()) {
            self.pre.pop();
        }
    }
}

// ---------------------------------------------------------------------------
// Data tables

/// Collects the rows and captions of one data table (which holds no other
/// tables, or it would be a layout table).
#[derive(Default)]
struct RowCollector {
    rows: Vec<Vec<SpanCell>>,
    captions: Vec<String>,
}

impl<'a> Visitor<'a> for RowCollector {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError> {
        let Some(el) = element(&node) else {
            return Ok(false);
        };
        if is_skipped(el) {
            return Ok(false);
        }
        match el.name() {
            "tr" => {
                self.rows.push(Vec::new());
                Ok(true)
            }
            "td" | "th" => {
                if self.rows.is_empty() {
                    self.rows.push(Vec::new());
                }
                let cell = SpanCell {
                    text: cell_text(node)?,
                    rowspan: span(el.attr("rowspan"), MAX_ROWSPAN),
                    colspan: span(el.attr("colspan"), MAX_COLSPAN),
                };
                self.rows.last_mut().expect("pushed above").push(cell);
                Ok(false)
            }
            "caption" => {
                self.captions.push(cell_text(node)?);
                Ok(false)
            }
            "table" => Ok(false), // cannot happen: nested tables make a layout table
            _ => Ok(true),
        }
    }

    fn leave(&mut self, _node: NodeRef<'a, Node>) {}
}

/// A span attribute as browsers read it: leading digits, 0 or garbage is 1,
/// capped at the HTML maximum.
fn span(value: Option<&str>, max: usize) -> usize {
    let Some(value) = value else { return 1 };
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, max)
}

/// All text of a cell; `<br>` and block boundaries inside it become spaces.
fn cell_text(cell: NodeRef<'_, Node>) -> Result<String, ReadError> {
    let mut collector = CellText::default();
    walk(cell, &mut collector)?;
    Ok(normalize_text(&collector.raw))
}

#[derive(Default)]
struct CellText {
    raw: String,
}

impl<'a> Visitor<'a> for CellText {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError> {
        match node.value() {
            Node::Text(text) => {
                self.raw.push_str(text);
                Ok(false)
            }
            Node::Element(el) => {
                if is_skipped(el) {
                    return Ok(false);
                }
                if is_block(el.name()) {
                    self.raw.push(' ');
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        if element(&node).is_some_and(|el| is_block(el.name())) {
            self.raw.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Table;

    fn read_str(html: &str) -> Document {
        read(html.as_bytes(), &Limits::default()).expect("readable")
    }

    fn paragraphs(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.as_str()),
                Block::Table(_) => None,
            })
            .collect()
    }

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Paragraph(_) => None,
            })
            .collect()
    }

    fn texts(t: &Table, row: usize) -> Vec<&str> {
        t.row_texts(row).collect()
    }

    #[test]
    fn sniffs_meta_charsets() {
        assert_eq!(
            sniff_charset(b"<html><head><meta charset=\"GBK\">").as_deref(),
            Some("gbk")
        );
        assert_eq!(
            sniff_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\" />"
            )
            .as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            sniff_charset(b"<meta charset='utf-8'>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(
            sniff_charset(b"<?xml version=\"1.0\" encoding=\"GB18030\"?><html>").as_deref(),
            Some("gb18030")
        );
        assert_eq!(
            sniff_charset(b"<html><body>no declaration</body></html>"),
            None
        );
        // Western single-byte declarations on Chinese pages are ignored, and
        // UTF-16 without a BOM means UTF-8.
        assert_eq!(sniff_charset(b"<meta charset=iso-8859-1>"), None);
        assert_eq!(
            sniff_charset(b"<meta charset=utf-16>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(sniff_charset(b"<meta charset=\"\">"), None);
    }

    #[test]
    fn gbk_without_meta_is_detected() {
        let page = "<html><body><h1>白沙镇2022年政府信息公开工作年度报告</h1>\
                    <p>本年新收政府信息公开申请数量</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let doc = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            paragraphs(&doc),
            [
                "白沙镇2022年政府信息公开工作年度报告",
                "本年新收政府信息公开申请数量"
            ]
        );
    }

    #[test]
    fn gb2312_meta_decodes_gbk_only_characters() {
        // 喆 and 镕 are in GBK but not in GB2312: pages that declare gb2312 use them anyway.
        let page =
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                    <title>标题</title></head><body><p>局长王喆、朱镕</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let doc = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(paragraphs(&doc), ["局长王喆、朱镕"]);
    }

    #[test]
    fn utf8_bytes_win_over_a_stale_gb2312_meta() {
        let page = "<meta http-equiv=Content-Type content=\"text/html; charset=gb2312\"><p>结转下年度继续办理</p>";
        assert_eq!(paragraphs(&read_str(page)), ["结转下年度继续办理"]);
        // Also when the download was cut in the middle of a character.
        let bytes = page.as_bytes();
        let cut = &bytes[..bytes.len() - "</p>".len() - 1];
        let doc = read(cut, &Limits::default()).unwrap();
        assert!(paragraphs(&doc)[0].starts_with("结转下年度继续办"));
    }

    #[test]
    fn utf8_meta_and_gb18030() {
        let doc = read_str("<meta charset=utf-8><p>总计</p>");
        assert_eq!(paragraphs(&doc), ["总计"]);
        let page = "<meta charset=gb18030><p>𠀀结转</p>";
        let (bytes, _, _) = encoding_rs::GB18030.encode(page);
        let doc = read(&bytes, &Limits::default()).unwrap();
        assert_eq!(paragraphs(&doc), ["𠀀结转"]);
    }

    #[test]
    fn blocks_lines_and_skipped_content() {
        let doc = read_str(
            "<html><head><title>页面标题</title><style>p{}</style><script>var a='x';</script></head>\
             <body><div>首页 &gt; 政务公开</div><h2>一、总体情况</h2>\
             <p>　　2023年，全县<b>共收到</b>申请<span>5</span>件。</p>\
             <p>第一行<br>第二行<br/><br>第三行</p><ul><li>链接一</li><li>链接二</li></ul>\
             <noscript>请启用脚本</noscript><div style=\"display: none\">隐藏副本</div>\
             <div hidden>也隐藏</div>尾部文字</body></html>",
        );
        assert_eq!(
            paragraphs(&doc),
            [
                "首页 > 政务公开",
                "一、总体情况",
                "2023年，全县共收到申请5件。",
                "第一行",
                "第二行",
                "第三行",
                "链接一",
                "链接二",
                "尾部文字"
            ]
        );
    }

    #[test]
    fn spans_join_without_spaces_and_whitespace_collapses() {
        let doc = read_str(
            "<p><span>本年</span><span>新收</span><span style='font-family:仿宋'>政府信息</span><o:p></o:p>公开申请</p>\
             <p>a&nbsp;&nbsp; b\u{3000}\u{3000}c</p>\
             <p>本年度办理\n   结果</p>",
        );
        assert_eq!(
            paragraphs(&doc),
            ["本年新收政府信息公开申请", "a b c", "本年度办理结果"]
        );
    }

    #[test]
    fn pre_lines_are_paragraphs() {
        let doc = read_str("<pre>第一行\n第二行\n\n第三行</pre>");
        assert_eq!(paragraphs(&doc), ["第一行", "第二行", "第三行"]);
    }

    #[test]
    fn rowspan_colspan_and_th() {
        let doc = read_str(
            "<table>\
             <tr><th rowspan=2 colspan=2>项目</th><th colspan='2'>申请人</th></tr>\
             <tr><th>自然人</th><th>总计</th></tr>\
             <tr><td rowspan=\"2\">三、本年度办理结果</td><td>（一）予以公开</td><td>&nbsp;3&nbsp;</td><td>\u{3000}</td></tr>\
             <tr><td>（二）<br>部分<p>公开</p></td><td><span>1</span><span>2</span></td><td>12</td></tr>\
             </table>",
        );
        let t = &tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (4, 4));
        assert_eq!(t.origin, TableOrigin::Flow { index: 1 });
        assert_eq!(texts(t, 0), ["项目", "项目", "申请人", "申请人"]);
        assert_eq!(texts(t, 1), ["项目", "项目", "自然人", "总计"]);
        assert_eq!(
            texts(t, 2),
            ["三、本年度办理结果", "（一）予以公开", "3", ""]
        );
        assert_eq!(
            texts(t, 3),
            ["三、本年度办理结果", "（二） 部分 公开", "12", "12"]
        );
        assert!(t.cell(2, 0).is_origin && !t.cell(3, 0).is_origin);
    }

    #[test]
    fn hostile_spans_are_cheap() {
        let doc = read_str(
            "<table><tr><td colspan=1000000 rowspan=99999999999999>x</td></tr><tr><td>a</td><td>b</td></tr></table>",
        );
        let t = &tables(&doc)[0];
        assert_eq!(t.cols(), GridBuilder::DEFAULT_MAX_COLS);
        assert_eq!(
            t.rows(),
            2,
            "a rowspan cannot add rows beyond the source rows"
        );
        // Many hostile cells: the text budget turns their spans off.
        let cell = format!(
            "<tr><td colspan=256 rowspan=10000>{}</td></tr>",
            "长".repeat(2000)
        );
        let page = format!(
            "<table>{}{}</table>",
            cell.repeat(50),
            "<tr><td>x</td></tr>".repeat(9000)
        );
        let start = std::time::Instant::now();
        let doc = read_str(&page);
        assert!(!tables(&doc).is_empty());
        assert!(start.elapsed().as_secs() < 30);
    }

    #[test]
    fn layout_table_is_descended() {
        let doc = read_str(
            "<table width=100%><tr><td>\
               <h1>白沙镇2022年政府信息公开工作年度报告</h1><p>一、总体情况</p>\
               <table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>\
               <p>三、收到和处理政府信息公开申请情况</p>\
               <table><tr><td>总计</td><td>5</td></tr></table>\
             </td></tr></table>\
             <table><tr><td><p>只有一个单元格的外框</p></td></tr></table>",
        );
        let kinds: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text.clone(),
                Block::Table(t) => format!("table{:?}", t.origin),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "白沙镇2022年政府信息公开工作年度报告",
                "一、总体情况",
                "tableFlow { index: 1 }",
                "三、收到和处理政府信息公开申请情况",
                "tableFlow { index: 2 }",
                "只有一个单元格的外框"
            ]
        );
        assert_eq!(texts(tables(&doc)[1], 0), ["总计", "5"]);
    }

    #[test]
    fn page_layout_with_prose_cell_is_descended() {
        let prose = "<p>".to_string() + &"政府信息公开工作稳步推进。".repeat(10) + "</p>";
        let page = format!(
            "<table><tr><td><a>首页</a><br><a>政务公开</a></td><td>{}</td></tr></table>",
            prose.repeat(4)
        );
        let doc = read_str(&page);
        assert!(tables(&doc).is_empty());
        assert_eq!(paragraphs(&doc).len(), 6);
    }

    #[test]
    fn empty_tables_are_not_emitted_or_numbered() {
        let doc = read_str(
            "<table><tr><td>&nbsp;</td><td></td></tr></table><table></table>\
             <table><tr><td>a</td><td>b</td></tr></table>",
        );
        let t = tables(&doc);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].origin, TableOrigin::Flow { index: 1 });
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 10_000;
        let page = format!(
            "<html><body>{}深处的文字{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let doc = read_str(&page);
        assert_eq!(paragraphs(&doc), ["深处的文字"]);

        // Lines deeper than the limit stay separate lines.
        let page = format!(
            "{}{}",
            (0..1000)
                .map(|i| format!("<div><span>第{i}行</span>"))
                .collect::<String>(),
            "</div>".repeat(1000)
        );
        let doc = read_str(&page);
        let lines = paragraphs(&doc);
        assert_eq!(lines.len(), 1000);
        assert_eq!(lines[999], "第999行");

        // Unclosed nesting of inline and table elements, too.
        let page = format!("{}文字", "<span><b><font>".repeat(depth));
        assert_eq!(paragraphs(&read_str(&page)), ["文字"]);
        let page = format!(
            "{}<table><tr><td>最内层</td><td>2</td></tr></table>",
            "<table><tr><td>".repeat(2000)
        );
        let doc = read_str(&page);
        assert_eq!(tables(&doc).len(), 1);
        assert_eq!(texts(tables(&doc)[0], 0), ["最内层", "2"]);
    }

    #[test]
    fn nesting_limit_flattens_only_deep_tags() {
        let ordinary =
            "<div><p>a<span>b</span></p><script>if (a<b) {}</script><!-- <div> --></div>";
        assert!(matches!(limit_nesting(ordinary, 256), Cow::Borrowed(_)));
        let deep = "<div><div title='a>b'><span>x</span><div>y</div></div></div>";
        assert_eq!(limit_nesting(deep, 1), "<div><br>x<br>y<br><br></div>");
        // Tables are never dropped; raw text is skipped, not counted.
        assert_eq!(
            limit_nesting("<b><table><tr><td><style><div></style>", 1),
            "<b><table><tr><td><style><div></style>"
        );
        // Self-closing syntax opens HTML elements but closes SVG ones.
        assert_eq!(limit_nesting("<div/><div/>", 1), "<div/><br>");
        assert!(matches!(
            limit_nesting("<svg><path/><path/></svg>", 2),
            Cow::Borrowed(_)
        ));
        // Script end tags are never counted as strays (removing one would turn
        // the rest of the page into script).
        let scripts = "<script>var a = 1;</script>".repeat(MAX_STRAY_END_TAGS + 5);
        assert!(matches!(limit_nesting(&scripts, 256), Cow::Borrowed(_)));
        let strays = "</span>".repeat(MAX_STRAY_END_TAGS + 5);
        assert_eq!(
            limit_nesting(&strays, 256).len(),
            MAX_STRAY_END_TAGS * "</span>".len()
        );
    }

    #[test]
    fn binary_garbage_fails_with_reason() {
        let mut bytes = b"<html><head><meta charset=gbk>".to_vec();
        bytes.extend((0..3000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
        let err = read(&bytes, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("binary data"), "{err}");
        let err = read(&[0x1F, 0x8B, 8, 0, 0, 0], &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("gzip"), "{err}");
        assert!(matches!(
            crate::readers::read_document(b"", &Limits::default()),
            Err(e) if e.kind() == crate::readers::ErrorKind::Empty
        ));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x2545F4914F6CDD1Du64;
        for len in [1usize, 7, 100, 4000, 20_000] {
            for _ in 0..20 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        // Mostly markup characters and high bytes, few controls.
                        const ALPHABET: &[u8] = b"<>/=\"' tdrableh\xb1\xbe\xc4\xea\n&;#";
                        ALPHABET[(state % ALPHABET.len() as u64) as usize]
                    })
                    .collect();
                let _ = read(&bytes, &Limits::default());
            }
        }
    }

    #[test]
    fn too_many_tags_is_refused() {
        let page = "<p>".repeat(MAX_TAGS + 1);
        assert!(matches!(
            read(page.as_bytes(), &Limits::default()),
            Err(e) if e.kind() == crate::readers::ErrorKind::OverLimit
        ));
    }

    #[test]
    fn large_page_finishes() {
        let row = "<tr><td>行政许可</td><td>12</td><td>3</td></tr>";
        let page = format!(
            "<html><body>{}<table>{}</table></body></html>",
            "<p>本机关认真贯彻落实政府信息公开条例。</p>".repeat(20_000),
            row.repeat(20_000)
        );
        let doc = read_str(&page);
        assert_eq!(paragraphs(&doc).len(), 20_000);
        assert_eq!(tables(&doc)[0].rows(), GridBuilder::DEFAULT_MAX_ROWS);
    }
}
