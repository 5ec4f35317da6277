//! DOCX reader: the shared bounded ZIP container plus one `quick-xml`
//! pull-parser pass over `word/document.xml` (no DOM). Each part is inflated
//! into memory through the inflated-bytes cap (its CRC checked at the end of
//! the entry), then tokenized with borrowed events: measured against
//! inflating through a `BufReader` and tokenizing from it, this saves a copy
//! of every event and about a third of the floor. Memory per file is bounded
//! by the cap (a lying size header can make the buffer's capacity grow to
//! about twice the bytes actually read).
//!
//! Why not docx-rs: it hangs on truncated XML, panics on damaged ZIP payloads,
//! keeps `gridSpan`/`vMerge` to itself and is several times slower. This reader
//! is total and bounded instead: every input ends in a [`Document`] or a
//! [`ReadError`], inflated bytes are capped at [`Limits::max_inflated_bytes`]
//! (the cap is enforced on the bytes actually inflated, not on what the ZIP
//! headers claim), ZIP entries at [`Limits::max_zip_entries`], element nesting
//! at [`Limits::max_depth`], table grids at [`Limits::max_table_cols`]
//! columns and [`Limits::max_grid_positions`] positions per file.
//!
//! What is read, as Word would print it:
//! - paragraph text over runs, hyperlinks, simple and complex fields (the
//!   displayed result, never the instruction), content controls, smart tags,
//!   text boxes (as paragraphs of their own, before the paragraph holding them);
//!   `w:tab`, `w:br`, `w:cr` as a space; whitespace runs collapsed and trimmed;
//! - tracked changes as if accepted: insertions and moves-to are read,
//!   deletions (`w:del`, `w:delText`, `w:moveFrom`), deleted table rows and
//!   the old properties of `*Change` elements are not; a deleted paragraph mark
//!   joins the paragraph with the next one; hidden runs (`w:vanish`) are skipped;
//! - automatic list numbering from `word/numbering.xml` (direct `w:numPr` or a
//!   paragraph style with numbering, `word/styles.xml`), rendered into
//!   [`Paragraph::list_label`](crate::document::Paragraph::list_label);
//! - tables as dense grids (`w:gridCol`, `w:gridSpan`, `w:vMerge`, legacy
//!   `w:hMerge`, `w:gridBefore`/`w:gridAfter`); a table with tables in its
//!   cells is a layout table and is replaced by its content in reading order.
//!
//! Headers, footers, footnotes and comments are not part of the report body and
//! are not read.
//!
//! Layout: [`package`] finds the parts and loads list definitions lazily,
//! [`numbering`] and [`styles`] render list labels, [`body`] is the state
//! machine over the body.

mod body;
mod numbering;
mod package;
mod styles;
#[cfg(test)]
mod tests;

use super::container::xml::XmlPart;
use super::container::zip::Zip;
use super::{FormatReader, Limits, Probe, ReadCtx, ReadError};
use crate::document::Document;
use crate::readers::Format;

use body::BodyParser;
use package::{locate_document, Lists, PartSource};

const FORMAT: &str = "DOCX";
/// Deepest `w:basedOn` chain followed in styles.xml.
const MAX_STYLE_CHAIN: usize = 32;

/// The DOCX entry of the reader registry.
pub(crate) struct DocxReader;

impl FormatReader for DocxReader {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        probe.zip_has("word/document.xml")
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        read(bytes, ctx.limits)
    }
}

/// Reads a DOCX file (bytes already sniffed as a ZIP with a Word body).
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut archive = Zip::open(bytes, limits, FORMAT)?;
    let document = locate_document(&mut archive, limits)?;
    // numbering.xml and styles.xml (and the relationships that name them)
    // are read only when the first paragraph that needs them turns up:
    // python-docx's styles.xml alone is 8x the size of a typical report's
    // document.xml.
    let lists = Lists {
        source: Some(PartSource {
            archive: archive.clone(),
            limits: *limits,
            document: document.clone(),
            parts: None,
        }),
        numbering: None,
        styles: None,
    };
    let mut parser = BodyParser::new(lists, limits);
    with_part(&mut archive, &document, limits, |p| parser.run(p))?;
    parser.finish()
}

/// Inflates one ZIP entry (through the shared cap) and hands its XML to `f`.
fn with_part<T>(
    archive: &mut Zip<'_>,
    name: &str,
    limits: &Limits,
    f: impl FnOnce(&mut XmlPart<'_>) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let xml = archive.inflate(name)?;
    let mut part = XmlPart::new(FORMAT, name, &xml, limits.max_depth);
    f(&mut part)
}
