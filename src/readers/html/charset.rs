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

/// The page as text when its bytes are valid UTF-8 (a sequence cut off at
/// the very end allowed, it becomes U+FFFD) with at least one non-ASCII
/// character; the BOM is dropped. Borrowed when the bytes are whole UTF-8:
/// validated once, never copied.
pub(super) fn utf8_text(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if bytes.is_ascii() {
        return None;
    }
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    match super::decode::utf8(body) {
        Ok(text) => Some(Cow::Borrowed(text)),
        Err(e) if e.error_len().is_none() => Some(String::from_utf8_lossy(body)),
        Err(_) => None,
    }
}

/// How many characters [`check_decoded`] looks at.
const CHECKED_CHARS: usize = 1 << 20;

/// After decoding, text that is mostly U+FFFD was not in any encoding we know.
/// Counts on bytes (a character is a byte that is no UTF-8 continuation
/// byte; U+FFFD is found by memchr), in chunks the compiler vectorizes.
pub(super) fn check_decoded(text: &str) -> Result<(), ReadError> {
    let b = text.as_bytes();
    let is_start = |c: &&u8| (**c as i8) >= -0x40;
    let (mut total, mut end) = (0usize, 0usize);
    for chunk in b.chunks(4096) {
        let n = chunk.iter().filter(is_start).count();
        if total + n <= CHECKED_CHARS {
            total += n;
            end += chunk.len();
            continue;
        }
        // The cut is inside this chunk: just before its (CHECKED_CHARS - total + 1)-th start.
        let keep = CHECKED_CHARS - total;
        end += chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| is_start(c))
            .nth(keep)
            .map_or(chunk.len(), |(i, _)| i);
        total = CHECKED_CHARS;
        break;
    }
    let bad = text[..end].matches('\u{FFFD}').count();
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
/// (Branch-free over byte pairs, so it vectorizes.)
pub(super) fn count_tags(b: &[u8]) -> usize {
    let pairs = b.iter().zip(b.iter().skip(1));
    pairs
        .map(|(&lt, &next)| {
            usize::from(lt == b'<' && ((next | 0x20).wrapping_sub(b'a') < 26 || next == b'/'))
        })
        .sum()
}

/// Where `needle` (not empty) first occurs (`memchr::memmem`: SIMD over
/// the page, where a byte loop for the first byte was most of the nesting
/// pre-pass's comment and end-tag searches).
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `check_decoded` counted before it counted on bytes.
    fn by_chars(text: &str) -> (usize, usize) {
        let mut total = 0;
        let mut bad = 0;
        for ch in text.chars().take(CHECKED_CHARS) {
            total += 1;
            bad += usize::from(ch == '\u{FFFD}');
        }
        (total, bad)
    }

    #[test]
    fn check_decoded_counts_the_first_million_characters() {
        // Under 10% bad within the first 2^20 characters, all bad after
        // them: only the prefix may count. Mixed widths put the cut
        // mid-chunk.
        let page = |bad: usize| {
            let good = "政a信息é公开".repeat(132_000); // 924,000 characters
            let fffd = "\u{FFFD}";
            format!(
                "{good}{}{}{}",
                fffd.repeat(bad),
                "好".repeat(200_000),
                fffd.repeat(CHECKED_CHARS)
            )
        };
        let text = page(100_000);
        assert_eq!(by_chars(&text), (CHECKED_CHARS, 100_000));
        assert!(check_decoded(&text).is_ok());
        let tipped = page(105_000);
        assert_eq!(by_chars(&tipped), (CHECKED_CHARS, 105_000));
        assert!(check_decoded(&tipped).is_err());
        assert!(check_decoded(&"\u{FFFD}".repeat(63)).is_ok());
        assert!(check_decoded(&format!("{}{}", "\u{FFFD}".repeat(7), "好".repeat(57))).is_err());
        assert!(check_decoded(&format!("{}{}", "\u{FFFD}".repeat(6), "好".repeat(58))).is_ok());
    }

    #[test]
    fn count_tags_and_find_match_the_obvious_versions() {
        let page = "<p>a</p><!-- x --><<b>< c><Z/><@><[>\u{00C1}<é<1</";
        let obvious = page
            .as_bytes()
            .windows(2)
            .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
            .count();
        assert_eq!(count_tags(page.as_bytes()), obvious);
        assert_eq!(obvious, 5);
        let b = page.as_bytes();
        for needle in [&b"-->"[..], b"</", b"<", b"</x", b"1</", b"<p>a"] {
            let want = b.windows(needle.len()).position(|w| w == needle);
            assert_eq!(
                find(b, needle),
                want,
                "{:?}",
                String::from_utf8_lossy(needle)
            );
        }
        assert_eq!(find(b"ab", b"abc"), None);
    }

    #[test]
    fn utf8_text_borrows_whole_utf8_and_repairs_a_cut_tail() {
        let page = "<p>政府</p>";
        assert!(matches!(utf8_text(page.as_bytes()), Some(Cow::Borrowed(t)) if t == page));
        let bom = format!("\u{FEFF}{page}");
        assert!(matches!(utf8_text(bom.as_bytes()), Some(Cow::Borrowed(t)) if t == page));
        let cut = &page.as_bytes()[..page.len() - 5]; // inside 府
        assert_eq!(utf8_text(cut).as_deref(), Some("<p>政\u{FFFD}"));
        assert!(utf8_text(b"<p>ascii</p>").is_none());
        assert!(utf8_text(b"<p>\xD5\xFE\xB8\xAE</p>").is_none()); // GBK
    }
}
