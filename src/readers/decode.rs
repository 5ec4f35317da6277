//! Character-set decoding shared by the text and HTML readers.
//!
//! Reports come in UTF-8, GBK, GB2312 and GB18030, declared in a `<meta>` tag
//! or not at all. A BOM wins, then a declaration, then a guess by chardetng
//! (which is trained on exactly this kind of web text). GB2312 and GBK are
//! decoded as GB18030, their superset, so a page that declares GB2312 but uses
//! GBK characters still decodes.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// Decodes `bytes` to a String. `declared` is a charset label found in the
/// document itself (e.g. from `<meta charset>`), if any.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let encoding = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(widen_chinese)
        .filter(|enc| declaration_fits(enc, bytes))
        .unwrap_or_else(|| guess(bytes));
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// GBK and GB2312 labels map to encoding_rs's GBK decoder, which already
/// accepts GB18030's two-byte range; use GB18030 itself so four-byte
/// sequences also decode.
fn widen_chinese(enc: &'static Encoding) -> &'static Encoding {
    if enc == encoding_rs::GBK {
        GB18030
    } else {
        enc
    }
}

/// Pages often declare UTF-8 but are served as GBK (or the reverse) after a
/// site migration. Trust a UTF-8 declaration only when the bytes are UTF-8.
fn declaration_fits(enc: &'static Encoding, bytes: &[u8]) -> bool {
    enc != UTF_8 || is_utf8(bytes)
}

/// Valid UTF-8, allowing a sequence cut off at the very end (a truncated
/// download is still UTF-8, not GBK).
fn is_utf8(bytes: &[u8]) -> bool {
    match utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// `std::str::from_utf8` by simdutf8 (its `compat` flavour: the same
/// error position and kind, found at the first bad chunk, so a GBK page
/// costs little). A Chinese page is mostly three-byte characters, where
/// std's validator spends about 10 instructions a byte (85,000 of the text
/// reader's 479,000 on the 8.4 KB seed report) and simdutf8 well under 1.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, simdutf8::compat::Utf8Error> {
    simdutf8::compat::from_utf8(bytes)
}

/// Undeclared pages: UTF-8 if the bytes are UTF-8; else GB18030 if they
/// decode as GB18030 without a single malformed sequence (nearly every
/// undeclared non-UTF-8 page of a mainland government site); else
/// chardetng's guess. chardetng runs at a few MB/s, so it sees at most the
/// first 64 KiB: plenty to tell encodings apart.
fn guess(bytes: &[u8]) -> &'static Encoding {
    if is_utf8(bytes) {
        return UTF_8;
    }
    if GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
    {
        return GB18030;
    }
    let mut detector = chardetng::EncodingDetector::new();
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    detector.feed(sample, sample.len() == bytes.len());
    widen_chinese(detector.guess(Some(b"cn"), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_validation_agrees_with_std_on_good_cut_and_bad_bytes() {
        let page = "<p>政府信息公开工作年度报告</p>".repeat(40);
        let b = page.as_bytes();
        let gbk = b"<p>\xD5\xFE\xB8\xAE\xD0\xC5\xCF\xA2</p>".repeat(30);
        let mut bad_middle = b.to_vec();
        bad_middle[700] = 0xFF;
        let cases: Vec<&[u8]> = vec![b, &b[..b.len() - 5], &gbk, &bad_middle, b"", b"ascii"];
        for bytes in cases {
            let (ours, std) = (utf8(bytes), std::str::from_utf8(bytes));
            assert_eq!(ours.is_ok(), std.is_ok());
            if let (Err(a), Err(b)) = (ours, std) {
                assert_eq!(
                    (a.valid_up_to(), a.error_len()),
                    (b.valid_up_to(), b.error_len())
                );
            }
        }
    }

    #[test]
    fn gbk_without_declaration_is_detected() {
        let text = "广阳镇2022年政府信息公开工作年度报告，本年新收政府信息公开申请数量";
        let (bytes, _, _) = GB18030.encode(text);
        assert_eq!(decode(&bytes, None), text);
    }

    #[test]
    fn gb2312_label_decodes_gbk_bytes() {
        let text = "镕基"; // 镕 is outside GB2312 but inside GBK
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&bytes, Some("gb2312")), text);
    }

    #[test]
    fn wrong_utf8_declaration_is_overruled() {
        let text = "行政复议结果维持尚未审结";
        let (bytes, _, _) = GB18030.encode(text);
        assert_eq!(decode(&bytes, Some("utf-8")), text);
    }

    #[test]
    fn truncated_utf8_stays_utf8() {
        let text = "政府信息公开工作年度报告";
        let bytes = &text.as_bytes()[..text.len() - 1];
        assert!(decode(bytes, None).starts_with("政府信息公开工作年度报"));
    }

    #[test]
    fn other_encodings_still_go_to_chardetng() {
        let text = "Übergrößenträger für Straßenbahnen und Fußgängerüberwege";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        // Not valid GB18030 (a lone trailing byte), not UTF-8.
        let mut bytes = bytes.into_owned();
        bytes.push(0xFC);
        assert!(decode(&bytes, None).starts_with("Übergrößenträger"));
    }

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("总计".as_bytes());
        assert_eq!(decode(&bytes, Some("gbk")), "总计");
    }
}
