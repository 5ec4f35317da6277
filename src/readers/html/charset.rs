//! Bytes and charset: binary refused, UTF-8 recognised whatever the page
//! declares, the declared charset sniffed from `<meta>`, tags counted.

#[allow(unused_imports)]
use super::*;

/// Rejects what is no text at all, with a reason a researcher can act on.
pub(super) fn check_not_binary(bytes: &[u8]) -> Result<(), ReadError> {
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
pub(super) fn looks_utf8(bytes: &[u8]) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len(),
    };
    valid && !bytes.is_ascii()
}

/// After decoding, text that is mostly U+FFFD was not in any encoding we know.
pub(super) fn check_decoded(text: &str) -> Result<(), ReadError> {
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
pub(super) fn attribute_value(tag: &[u8], name: &[u8]) -> Option<String> {
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
pub(super) fn count_tags(b: &[u8]) -> usize {
    b.windows(2)
        .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
        .count()
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
