//! Unit tests of the DOCX reader's pieces: list numbering as Word renders
//! it, relationship targets, and the body parser on hand-written XML.

use super::body::BodyParser;
use super::numbering::{format_number, NumFmt, Numbering};
use super::package::{resolve_target, Lists};
use super::styles::Styles;
use super::FORMAT;
use crate::document::{Block, Document, Table, TableOrigin};
use crate::readers::container::xml::XmlPart;
use crate::readers::{ErrorKind, Limits};

#[test]
fn chinese_counting_matches_word() {
    let f = |n| format_number(n, NumFmt::ChineseCounting);
    assert_eq!(f(1), "一");
    assert_eq!(f(6), "六");
    assert_eq!(f(10), "十");
    assert_eq!(f(11), "十一");
    assert_eq!(f(20), "二十");
    assert_eq!(f(21), "二十一");
    assert_eq!(f(100), "一百");
    assert_eq!(f(101), "一百零一");
    assert_eq!(f(110), "一百一十");
    assert_eq!(f(1001), "一千零一");
    assert_eq!(format_number(12, NumFmt::ChineseLegalSimplified), "壹拾贰");
    assert_eq!(format_number(3, NumFmt::EnclosedParen), "⑶");
    assert_eq!(format_number(2, NumFmt::EnclosedCircle), "②");
    assert_eq!(format_number(28, NumFmt::UpperLetter), "BB");
    assert_eq!(format_number(14, NumFmt::LowerRoman), "xiv");
    assert_eq!(format_number(7, NumFmt::DecimalZero), "07");
    assert_eq!(format_number(12, NumFmt::DecimalFullWidth), "１２");
    assert_eq!(format_number(10, NumFmt::IdeographDigital), "一〇");
    assert_eq!(format_number(2, NumFmt::IdeographTraditional), "乙");
}

#[test]
fn targets_resolve() {
    assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
    assert_eq!(
        resolve_target("", "/word/document2.xml"),
        "word/document2.xml"
    );
    assert_eq!(
        resolve_target("word", "numbering.xml"),
        "word/numbering.xml"
    );
    assert_eq!(
        resolve_target("word", "../customXml/item1.xml"),
        "customXml/item1.xml"
    );
    assert_eq!(
        resolve_target("word", "/word/styles.xml"),
        "word/styles.xml"
    );
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn numbering_xml(fmt: &str, text: &str) -> String {
    format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="8"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num></w:numbering>"#
    )
}

fn parse_numbering(xml: &str) -> Numbering {
    let mut n = Numbering::default();
    let mut part = XmlPart::new(FORMAT, "numbering.xml", xml.as_bytes(), 64);
    n.parse(&mut part).unwrap();
    n
}

#[test]
fn numbering_counters_and_levels() {
    let mut n = parse_numbering(&numbering_xml("chineseCounting", "%1、"));
    assert_eq!(n.next_label(7, 0).as_deref(), Some("一、"));
    assert_eq!(n.next_label(7, 1).as_deref(), Some("（一）"));
    assert_eq!(n.next_label(7, 1).as_deref(), Some("（二）"));
    assert_eq!(n.next_label(7, 0).as_deref(), Some("二、"));
    // level 1 restarted after level 0
    assert_eq!(n.next_label(7, 1).as_deref(), Some("（一）"));
    // numId 8 restarts at 5 with its own counters
    assert_eq!(n.next_label(8, 0).as_deref(), Some("五、"));
    assert_eq!(n.next_label(8, 0).as_deref(), Some("六、"));
    // numId 7 continues
    assert_eq!(n.next_label(7, 0).as_deref(), Some("三、"));
    assert_eq!(n.next_label(99, 0), None);
}

fn body(xml_body: &str) -> Document {
    let xml =
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{xml_body}</w:body></w:document>"#);
    let numbering = parse_numbering(&numbering_xml("chineseCounting", "%1、"));
    let lists = Lists {
        source: None,
        numbering: Some(numbering),
        styles: Some(Styles::default()),
    };
    let mut p = BodyParser::new(lists, &Limits::default());
    let mut part = XmlPart::new(FORMAT, "word/document.xml", xml.as_bytes(), 64);
    p.run(&mut part).unwrap();
    p.finish().unwrap()
}

fn paras(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.display_text()),
            _ => None,
        })
        .collect()
}

#[test]
fn runs_fields_tracked_changes() {
    let doc = body(concat!(
        r#"<w:p><w:r><w:t>广阳</w:t></w:r><w:hyperlink><w:r><w:t xml:space="preserve">镇 </w:t></w:r></w:hyperlink>"#,
        r#"<w:ins><w:r><w:t>2023</w:t></w:r></w:ins><w:del><w:r><w:delText>2022</w:delText></w:r></w:del>"#,
        r#"<w:r><w:t>年&amp;</w:t><w:tab/><w:t>报告</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        r#"<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>"#,
        r#"<w:sdt><w:sdtPr><w:alias w:val="x"/><w:placeholder><w:docPart w:val="y"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt>"#,
        r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:moveFrom><w:r><w:t>旧</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>新</w:t></w:r></w:moveTo></w:p>"#,
        r#"<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p><w:p><w:r><w:t>后半</w:t></w:r></w:p>"#,
    ));
    assert_eq!(
        paras(&doc),
        ["广阳镇 2023年& 报告", "39", "控件", "新", "前半后半"]
    );
}

#[test]
fn list_labels_from_numpr() {
    let doc = body(concat!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p>"#,
        r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pPrChange><w:pPr><w:numPr><w:numId w:val="8"/></w:numPr></w:pPr></w:pPrChange><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>主动公开</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>无编号</w:t></w:r></w:p>"#,
    ));
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(p.list_label.as_deref(), Some("一、"));
    assert_eq!(p.text, "总体情况");
    assert_eq!(
        paras(&doc),
        ["一、总体情况", "正文", "二、主动公开", "无编号"]
    );
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn tc(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

#[test]
fn grid_spans_merges_and_gaps() {
    let grid = r#"<w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"#;
    let xml = format!(
        "<w:tbl>{grid}<w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}{}</w:tr><w:tr><w:trPr><w:del w:id=\"3\"/></w:trPr>{}</w:tr></w:tbl>",
        tc("A", r#"<w:vMerge w:val="restart"/>"#),
        tc("B", r#"<w:gridSpan w:val="1000000"/>"#),
        tc("", "<w:vMerge/>"),
        tc("C", ""),
        tc("D", r#"<w:gridSpan w:val="2"/>"#),
        tc("E", "<w:vMerge/>"),
        tc("F", ""),
        tc("deleted row", ""),
    );
    let doc = body(&xml);
    let t = tables(&doc)[0];
    assert_eq!((t.rows(), t.cols()), (3, 4));
    assert_eq!(t.row_texts(0).collect::<Vec<_>>(), ["A", "B", "B", "B"]);
    assert_eq!(t.row_texts(1).collect::<Vec<_>>(), ["A", "C", "D", "D"]);
    assert!(!t.cell(1, 0).is_origin && t.cell(0, 0).is_origin && !t.cell(0, 2).is_origin);
    // vMerge continue at col 1: the cell above is C (an origin), so E reads C
    assert_eq!(t.row_texts(2).collect::<Vec<_>>(), ["", "C", "F", ""]);
    assert!(!t.cell(2, 0).is_origin && !t.cell(2, 1).is_origin && t.cell(2, 2).is_origin);
    assert_eq!(t.origin, TableOrigin::Flow { index: 1 });
}

#[test]
fn layout_table_is_flattened() {
    let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("x", ""), tc("y", ""));
    let xml = format!(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>标题</w:t></w:r></w:p>{inner}<w:p><w:r><w:t>结尾</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:tbl><w:tr>{}</w:tr></w:tbl>",
        tc("z", "")
    );
    let doc = body(&xml);
    assert_eq!(doc.blocks.len(), 4);
    assert_eq!(paras(&doc), ["标题", "结尾"]);
    let ts = tables(&doc);
    assert_eq!(ts[0].row_texts(0).collect::<Vec<_>>(), ["x", "y"]);
    assert_eq!(ts[0].origin, TableOrigin::Flow { index: 1 });
    assert_eq!(ts[1].origin, TableOrigin::Flow { index: 2 });
}

#[test]
fn stray_paragraphs_in_a_table_come_before_it() {
    let xml = format!(
        "<w:tbl><w:p><w:r><w:t>stray</w:t></w:r></w:p><w:tr>{}</w:tr><w:tr><w:trPr><w:del/></w:trPr>{}</w:tr></w:tbl>",
        tc("a", ""),
        tc("gone", "")
    );
    let doc = body(&xml);
    assert_eq!(paras(&doc), ["stray"]);
    let t = tables(&doc)[0];
    assert_eq!((t.rows(), t.cols()), (1, 1));
    assert_eq!(t.cell(0, 0).text, "a");
}

#[test]
fn truncated_and_too_deep_fail() {
    let limits = Limits::default();
    let lists = || Lists {
        source: None,
        numbering: None,
        styles: None,
    };
    let mut p = BodyParser::new(lists(), &limits);
    let xml = format!("<w:document {W}><w:body><w:p><w:r><w:t>abc</w:t>");
    let mut part = XmlPart::new(FORMAT, "word/document.xml", xml.as_bytes(), 64);
    let err = p.run(&mut part).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");

    let deep = "<a>".repeat(100);
    let mut part = XmlPart::new(FORMAT, "word/document.xml", deep.as_bytes(), 64);
    let mut p = BodyParser::new(lists(), &limits);
    assert!(matches!(p.run(&mut part), Err(e) if e.kind() == ErrorKind::OverLimit));
}
