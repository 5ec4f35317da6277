//! Unit tests of the HTML reader on hand-written pages.

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
    let ordinary = "<div><p>a<span>b</span></p><script>if (a<b) {}</script><!-- <div> --></div>";
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
    assert_eq!(doc.notes.len(), 1, "a clipped table is never silent");
    assert!(
        doc.notes[0].contains("only the first 10000"),
        "{:?}",
        doc.notes
    );
}

#[test]
fn style_hides_matches_the_compacted_style() {
    fn compacted(style: &str) -> bool {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        compact.contains("display:none") || compact.contains("visibility:hidden")
    }
    for style in [
        "display:none",
        "DISPLAY : NONE",
        "color:red;display\t:\x0bnone;",
        "d isplay:n one",
        "display:block;visibility:hidden",
        "Visibility:Hidden",
        "display:nonE!important",
        "display:no",
        "display:",
        ":none",
        "xdisplay:none",
        "display::none",
        "display;none",
        "visibility:visible",
        "",
        ":",
        "font-family:宋体;display:none",
        "font-family:宋体;display:block",
        "display\u{3000}:none",
        "\u{a0}display:none",
        "display\u{3000}:\u{a0}none\u{2029}",
        "d\u{130}splay:none",
        "\u{212a}display:none",
        "visibility:h\u{130}dden",
        "font-family:\"Times New Roman\";mso-hide:all;display:\u{3000}NONE",
        "",
    ] {
        assert_eq!(style_hides(style), compacted(style), "{style:?}");
    }
    // Why the compacted copy is not needed: no character outside ASCII
    // lowercases to a lone ASCII letter of the words matched.
    for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
        let lower: Vec<char> = c.to_lowercase().collect();
        assert!(
            !(lower.len() == 1 && "displaynonevisibilityhidden".contains(lower[0])),
            "{c:?}"
        );
    }
    let doc = read_str(
        "<p>a</p><p hidden>b</p><p style='DISPLAY: none'>c</p><p style='color:red'>d</p><p data-x='display:none' title=hidden>e</p>",
    );
    assert_eq!(paragraphs(&doc), ["a", "d", "e"]);
}

#[test]
fn normalize_text_matches_the_char_by_char_version() {
    fn by_chars(raw: &str) -> String {
        let mut out = String::new();
        let (mut in_run, mut newline, mut ascii) = (false, false, true);
        let mut last: Option<char> = None;
        for ch in raw.chars() {
            if is_invisible(ch) {
                continue;
            }
            if ch.is_whitespace() {
                if !in_run {
                    (in_run, newline, ascii) = (true, false, true);
                }
                newline |= ch == '\n' || ch == '\r';
                ascii &= ch.is_ascii();
                continue;
            }
            if in_run {
                in_run = false;
                if let Some(prev) = last {
                    if !(newline && ascii && is_wide(prev) && is_wide(ch)) {
                        out.push(' ');
                    }
                }
            }
            out.push(ch);
            last = Some(ch);
        }
        out
    }
    let pieces = [
        "政府", "a", " ", "\n", "\r\n", "\u{3000}", "\u{a0}", "\u{200B}", "\u{FEFF}", "\u{AD}",
        "\u{2060}", "\u{2028}", "\u{1680}", "\u{85}", "，", "é", "1", "\t", "\u{200C}", "𠀀",
    ];
    // Every string of up to four pieces.
    let mut strings = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = strings
            .iter()
            .flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}")))
            .collect();
        strings.extend(longer);
        strings.dedup();
    }
    for s in &strings {
        assert_eq!(normalize_text::<String>(s), by_chars(s), "{s:?}");
        assert_eq!(normalize_text::<CompactString>(s), by_chars(s), "{s:?}");
    }
}
