//! The nesting limit, applied to the text before html5ever sees it: the
//! HTML parsing algorithm scans the open elements for many tags, so depth
//! costs quadratic time (a 100,000-deep page); deeper tags are removed,
//! their text kept.

#[allow(unused_imports)]
use super::*;

/// End tags that close nothing are ignored by the parser, but each one costs
/// a scan of the open elements; past this many, they are removed up front.
pub(super) const MAX_STRAY_END_TAGS: usize = 10_000;

/// How far down the open elements an end tag looks for its start tag.
pub(super) const END_TAG_WINDOW: usize = 16;

/// Elements without content.
pub(super) fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"basefont"
            | b"bgsound"
            | b"br"
            | b"col"
            | b"embed"
            | b"frame"
            | b"hr"
            | b"image"
            | b"img"
            | b"input"
            | b"keygen"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// Elements whose end tag is optional (the parser closes them itself), so
/// they never pile up on the stack of open elements.
pub(super) fn closes_itself(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"option"
            | b"optgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"rtc"
            | b"caption"
            | b"colgroup"
            | b"html"
            | b"head"
            | b"body"
    )
}

/// Elements whose content is raw text up to their end tag.
pub(super) fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
            | b"noscript"
    )
}

/// Elements kept at any depth: dropping them would change more than layout.
pub(super) fn never_dropped(name: &[u8]) -> bool {
    matches!(
        name,
        b"table" | b"select" | b"svg" | b"math" | b"template" | b"frameset"
    )
}

/// Removes the tags of elements nested deeper than `max_depth` (counting the
/// elements that need an end tag, the way the parser's stack grows), keeping
/// their text; block tags become `<br>`. Returns the text unchanged (borrowed)
/// for every ordinary page. A cheap tokenizer: tags, comments, raw-text
/// elements and quoted attribute values are recognized; anything else is text.
pub(super) fn limit_nesting(text: &str, max_depth: usize) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    // Open elements: where the name is in `text`, whether the element is
    // svg/math (where `/>` closes an element), whether its tags are dropped.
    let mut stack: Vec<OpenTag> = Vec::new();
    let mut foreign = 0usize; // open svg/math
    let mut strays = 0usize;
    let mut lower = [0u8; NAME_BUF];
    let mut i = 0;
    // Every `i` is just past an ASCII byte, so `text[i..]` is a char boundary.
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(&rest[3..], b"-->").map_or(b.len(), |p| lt + 4 + p + 3);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            i = memchr::memchr(b'>', &b[lt + 1..]).map_or(b.len(), |p| lt + 1 + p + 1);
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
        let raw = &b[name_start..name_end];
        let name = lowercase_name(raw, &mut lower);
        let tag_end = tag_end(b, name_end);
        i = tag_end;
        if is_void(name) || closes_itself(name) || (is_end && is_raw_text(name)) {
            continue;
        }
        if !is_end {
            if name == b"plaintext" {
                break;
            }
            if is_raw_text(name) {
                // Skip to the end tag; the loop then sees it as an end tag.
                i = find_end_tag(b, tag_end, raw).unwrap_or(b.len());
                continue;
            }
            let self_closing = tag_end >= 2 && b[tag_end - 2] == b'/' && b[tag_end - 1] == b'>';
            if self_closing && foreign > 0 {
                continue;
            }
            let drop = stack.len() >= max_depth && !never_dropped(name);
            if drop {
                edits.push((lt, tag_end, replacement(name)));
            }
            let is_foreign = matches!(name, b"svg" | b"math");
            foreign += usize::from(is_foreign);
            stack.push(OpenTag {
                name: (name_start, name_end),
                foreign: is_foreign,
                drop,
            });
        } else {
            let found = stack
                .iter()
                .rev()
                .take(END_TAG_WINDOW)
                .position(|open| b[open.name.0..open.name.1].eq_ignore_ascii_case(raw));
            match found {
                Some(k) => {
                    let at = stack.len() - 1 - k;
                    if stack[at].drop {
                        edits.push((lt, tag_end, replacement(name)));
                    }
                    foreign -= stack.drain(at..).filter(|open| open.foreign).count();
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
    apply_edits(text, edits)
}

/// An element on [`limit_nesting`]'s stack of open elements.
struct OpenTag {
    /// Byte range of the name in the text (compared ignoring ASCII case).
    name: (usize, usize),
    foreign: bool,
    drop: bool,
}

/// Longer than every name the element classes test for.
const NAME_BUF: usize = 16;

/// A tag name lowercased into `buf`, for the element-class tests; names
/// longer than the buffer are in no class, so they are returned as they
/// are. Bytes, not `str`: the `from_utf8` per tag cost 50 instructions, a
/// quarter of the pass's own work on the county page (19,782 tags in 21
/// reads).
fn lowercase_name<'b>(raw: &'b [u8], buf: &'b mut [u8; NAME_BUF]) -> &'b [u8] {
    if raw.len() > NAME_BUF {
        return raw;
    }
    let lower = &mut buf[..raw.len()];
    lower.copy_from_slice(raw);
    lower.make_ascii_lowercase();
    lower
}

/// What a dropped tag becomes: a line break for a block element, else
/// nothing. Only dropped tags get here, so the name is decoded only then.
fn replacement(name: &[u8]) -> &'static str {
    if std::str::from_utf8(name).is_ok_and(is_block) {
        "<br>"
    } else {
        ""
    }
}

fn apply_edits<'t>(text: &'t str, edits: Vec<(usize, usize, &'static str)>) -> Cow<'t, str> {
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
pub(super) fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
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
/// skipping quoted attribute values. `memchr` jumps over the attributes
/// (Word's pages put a long `style` on nearly every tag); with `memmem` for
/// comments and end tags, the pre-pass of the 92 KB town page went from
/// 2.2 M to 1.85 M instructions.
pub(super) fn tag_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memchr2(b'>', b'=', &b[i..]) {
        i += p;
        if b[i] == b'>' {
            return i + 1;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
            let quote = b[i];
            i = memchr::memchr(quote, &b[i + 1..]).map_or(b.len(), |p| i + 1 + p + 1);
        }
    }
    b.len()
}
