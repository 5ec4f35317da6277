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

mod charset;
mod elements;
mod layout;
mod nesting;
mod page;
#[cfg(test)]
mod tests;

use crate::document::{
    Block, CompactString, Document, GridBuilder, Paragraph, SpanCell, TableOrigin,
};
use crate::readers::Format;
pub use charset::sniff_charset;
#[allow(unused_imports)]
use charset::*;
#[allow(unused_imports)]
use elements::*;
#[allow(unused_imports)]
use layout::*;
use nesting::*;
use page::*;

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
    let text = match utf8_text(bytes) {
        Some(text) => text,
        None => Cow::Owned(decode::decode(bytes, sniff_charset(bytes).as_deref())),
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
        notes: reader.notes,
    })
}
