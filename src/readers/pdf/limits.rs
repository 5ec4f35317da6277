//! Checks on the raw bytes before the PDF library parses anything, so a
//! hostile file is refused while its cost is still the size of the file.
//!
//! - Objects: every `N G obj` header plus the `/N` count of every object
//!   stream. The library keeps a cross-reference entry and, once loaded, a
//!   parsed object for each.
//! - Decompressed stream bytes: every `/FlateDecode` stream is inflated into
//!   a counting sink (nothing kept) against one budget for the whole file.
//!   The library caps each stream on its own (256 MiB by default), but a
//!   PDF bomb is many streams: 1,000 streams of 1 MiB zeros are 1 GiB from a
//!   1 MB file. Counting costs one inflate pass (about 2 ms for a 150 KB
//!   LibreOffice export: its fonts are most of it).
//! - Glyphs per page: estimated from the page's content stream before the
//!   characters are extracted (each shown string byte is at most one glyph),
//!   then checked exactly on what came out. Extraction keeps ~150 bytes per
//!   glyph, so a content stream of millions of one-character strings would
//!   otherwise cost gigabytes.

use super::super::{Limits, ReadError};
use std::io::Read;

fn over(what: String) -> ReadError {
    ReadError::over_limit(what)
}

/// Object count and inflated stream bytes, checked against the limits.
pub(crate) fn preflight(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    static STREAM: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    static OBJ: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let obj = OBJ.get_or_init(|| regex::bytes::Regex::new(r"(?-u)\d+\s+\d+\s+obj\b").expect("re"));
    let stream = STREAM.get_or_init(|| regex::bytes::Regex::new(r"(?-u)stream\r?\n").expect("re"));
    let mut objects = obj.find_iter(bytes).count() as u64;
    let mut inflated = 0u64;
    for m in stream.find_iter(bytes) {
        // The stream's dictionary: back to the object header (at most 4 KiB).
        let dict_start = m.start().saturating_sub(4096);
        let head = &bytes[dict_start..m.start()];
        let dict = match obj.find_iter(head).last() {
            Some(o) => &head[o.end()..],
            None => head,
        };
        if !dict.ends_with(b">>") && !dict.trim_ascii_end().ends_with(b">>") {
            continue; // "endstream" or text that merely says "stream"
        }
        if contains(dict, b"/ObjStm") {
            objects += declared_n(dict);
        }
        if contains(dict, b"/FlateDecode") || contains(dict, b"/Fl ") || contains(dict, b"/Fl]") {
            let budget = limits.max_pdf_stream_bytes.saturating_sub(inflated);
            inflated += inflated_len(&bytes[m.end()..], budget);
            if inflated > limits.max_pdf_stream_bytes {
                return Err(over(format!(
                    "PDF streams inflate to more than {} bytes (a PDF bomb?), the limit",
                    limits.max_pdf_stream_bytes
                )));
            }
        }
        if objects > limits.max_pdf_objects {
            break;
        }
    }
    if objects > limits.max_pdf_objects {
        return Err(over(format!(
            "PDF has {objects} objects, the limit is {}",
            limits.max_pdf_objects
        )));
    }
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The `/N` value of an object stream's dictionary (0 when unreadable).
fn declared_n(dict: &[u8]) -> u64 {
    let Some(pos) = dict.windows(2).position(|w| w == b"/N") else {
        return 0;
    };
    let digits: Vec<u8> = dict[pos + 2..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Bytes a zlib stream starting at `data` inflates to, counting stops just
/// past `budget`. A damaged stream counts what inflated before the damage.
fn inflated_len(data: &[u8], budget: u64) -> u64 {
    let mut z = flate2::read::ZlibDecoder::new(data).take(budget.saturating_add(1));
    let mut buf = [0u8; 16 * 1024];
    let mut n = 0u64;
    loop {
        match z.read(&mut buf) {
            Ok(0) | Err(_) => return n,
            Ok(k) => n += k as u64,
        }
    }
}

/// At most how many glyphs a content stream can show: the bytes inside its
/// literal strings and half the digits of its hex strings.
pub(crate) fn glyph_bound(content: &[u8]) -> u64 {
    let (mut n, mut i) = (0u64, 0usize);
    while i < content.len() {
        match content[i] {
            b'(' => {
                let mut depth = 1;
                i += 1;
                while i < content.len() && depth > 0 {
                    match content[i] {
                        b'\\' => {
                            i += 1;
                            n += 1;
                        }
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => n += 1,
                    }
                    i += 1;
                }
            }
            b'<' if content.get(i + 1) != Some(&b'<') => {
                let start = i;
                while i < content.len() && content[i] != b'>' {
                    i += 1;
                }
                n += (i - start) as u64 / 2;
                i += 1;
            }
            b'<' => i += 2,
            _ => i += 1,
        }
    }
    n
}

pub(crate) fn check_glyphs(page: usize, glyphs: u64, limits: &Limits) -> Result<(), ReadError> {
    if glyphs > limits.max_pdf_glyphs_per_page {
        return Err(over(format!(
            "PDF page {} shows {glyphs} glyphs or more, the limit is {} per page",
            page + 1,
            limits.max_pdf_glyphs_per_page
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn many_small_bombs_add_up() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![0u8; 1 << 20]).unwrap();
        let bomb = z.finish().unwrap();
        let mut pdf = b"%PDF-1.7\n".to_vec();
        for i in 1..=40 {
            pdf.extend_from_slice(
                format!(
                    "{i} 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
                    bomb.len()
                )
                .as_bytes(),
            );
            pdf.extend_from_slice(&bomb);
            pdf.extend_from_slice(b"\nendstream\nendobj\n");
        }
        let limits = Limits {
            max_pdf_stream_bytes: 32 << 20,
            ..Limits::default()
        };
        let err = preflight(&pdf, &limits).unwrap_err().to_string();
        assert!(err.contains("inflate to more than"), "{err}");
        assert!(preflight(
            &pdf,
            &Limits {
                max_pdf_stream_bytes: 64 << 20,
                ..Limits::default()
            }
        )
        .is_ok());
        let few = Limits {
            max_pdf_objects: 10,
            ..Limits::default()
        };
        assert!(preflight(&pdf, &few)
            .unwrap_err()
            .to_string()
            .contains("40 objects"));
    }

    #[test]
    fn glyph_bound_counts_string_bytes() {
        assert_eq!(glyph_bound(b"BT (ab\\)c) Tj <<>> <4E2D6587> Tj ET"), 4 + 4);
    }
}
