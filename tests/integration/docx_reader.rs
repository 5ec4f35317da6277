//! The DOCX reader against the committed samples (samples/docx, see
//! EXPECTED.md there), a docx-rs-built report, hostile inputs, and docx-rs's
//! own parser as an oracle for the table grids.

use nianbao::document::{Block, Document, Paragraph, Table, TableOrigin};
use nianbao::readers::{read_as, read_document, ErrorKind, Format, Limits, ReadError};
use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/docx");

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read(name: &str) -> Document {
    read_as(Format::Docx, &bytes(name), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
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

fn paragraphs(doc: &Document) -> Vec<&Paragraph> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn display_texts(doc: &Document) -> Vec<String> {
    paragraphs(doc).iter().map(|p| p.display_text()).collect()
}

fn row(t: &Table, r: usize, cols: std::ops::Range<usize>) -> Vec<&str> {
    cols.map(|c| t.cell(r, c).text.as_str()).collect()
}

const HEADINGS: [(&str, &str); 6] = [
    ("一、", "总体情况"),
    ("二、", "主动公开政府信息情况"),
    ("三、", "收到和处理政府信息公开申请情况"),
    ("四、", "政府信息公开行政复议、行政诉讼情况"),
    ("五、", "存在的主要问题及改进情况"),
    ("六、", "其他需要报告的事项"),
];

const CORNER: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// Numbers a sample's tables hold (see make_fixtures.py).
struct Numbers {
    licensing: &'static str,
    new: [&'static str; 7],
    results_total: [&'static str; 7],
    t4: [&'static str; 15],
}

const HONGQI: Numbers = Numbers {
    licensing: "128",
    new: ["23", "4", "0", "1", "2", "0", "30"],
    results_total: ["23", "4", "0", "1", "2", "0", "30"],
    t4: [
        "1", "0", "0", "1", "2", "1", "0", "0", "0", "1", "0", "0", "0", "1", "1",
    ],
};
const DONGHU: Numbers = Numbers {
    licensing: "2310",
    new: ["41", "9", "1", "0", "3", "2", "56"],
    results_total: ["42", "8", "1", "0", "3", "2", "56"],
    t4: [
        "2", "1", "0", "0", "3", "1", "0", "1", "1", "3", "0", "0", "0", "0", "0",
    ],
};
const QINGSHAN: Numbers = Numbers {
    licensing: "56",
    new: ["8", "1", "0", "0", "0", "1", "10"],
    results_total: ["8", "1", "0", "0", "0", "1", "10"],
    t4: [
        "0", "1", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0",
    ],
};
const LIUHE: Numbers = Numbers {
    licensing: "5021",
    new: ["96", "12", "0", "2", "4", "3", "117"],
    results_total: ["97", "12", "0", "2", "4", "3", "118"],
    t4: [
        "3", "1", "0", "1", "5", "2", "0", "1", "0", "3", "1", "0", "0", "0", "1",
    ],
};

/// The official template layout: three tables with the exact merged cells.
fn assert_official_layout(name: &str, doc: &Document, n: &Numbers) {
    let ts = tables(doc);
    assert_eq!(ts.len(), 3, "{name}: tables");
    for (i, t) in ts.iter().enumerate() {
        assert_eq!(t.origin, TableOrigin::Flow { index: i + 1 }, "{name}");
    }

    // Table 二: 14 x 4, caption rows span all four columns, single value
    // columns span three.
    let t2 = ts[0];
    assert_eq!((t2.rows(), t2.cols()), (14, 4), "{name}: table 二");
    assert_eq!(row(t2, 0, 0..4), ["第二十条第（一）项"; 4], "{name}");
    assert!(t2.cell(0, 0).is_origin && !t2.cell(0, 1).is_origin && !t2.cell(0, 3).is_origin);
    assert_eq!(
        row(t2, 1, 0..4),
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    );
    assert_eq!(
        row(t2, 6, 0..4),
        ["行政许可", n.licensing, n.licensing, n.licensing],
        "{name}"
    );
    assert!(t2.cell(6, 1).is_origin && !t2.cell(6, 2).is_origin && !t2.cell(6, 3).is_origin);
    assert_eq!(t2.cell(13, 0).text, "行政事业性收费");

    // Table 三: 28 x 10.
    let t3 = ts[1];
    assert_eq!((t3.rows(), t3.cols()), (28, 10), "{name}: table 三");
    for r in 0..3 {
        for c in 0..3 {
            assert_eq!(t3.cell(r, c).text, CORNER, "{name}: corner r{r}c{c}");
            assert_eq!(
                t3.cell(r, c).is_origin,
                r == 0 && c == 0,
                "{name}: corner origin r{r}c{c}"
            );
        }
    }
    assert_eq!(row(t3, 0, 3..10), ["申请人情况"; 7]);
    assert!(t3.cell(0, 3).is_origin && !t3.cell(0, 9).is_origin);
    // 自然人 and 总计 two rows high, 法人或其他组织 five wide.
    assert_eq!(t3.cell(1, 3).text, "自然人");
    assert_eq!(t3.cell(2, 3).text, "自然人");
    assert!(t3.cell(1, 3).is_origin && !t3.cell(2, 3).is_origin);
    assert_eq!(row(t3, 1, 4..9), ["法人或其他组织"; 5]);
    assert!(t3.cell(1, 4).is_origin && !t3.cell(1, 8).is_origin);
    assert_eq!(
        (t3.cell(1, 9).text.as_str(), t3.cell(2, 9).text.as_str()),
        ("总计", "总计")
    );
    assert!(!t3.cell(2, 9).is_origin);
    assert_eq!(
        row(t3, 2, 4..9),
        [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他"
        ]
    );
    assert!((4..9).all(|c| t3.cell(2, c).is_origin));
    // Row 一、 spans the three label columns.
    assert_eq!(row(t3, 3, 0..3), ["一、本年新收政府信息公开申请数量"; 3]);
    assert!(t3.cell(3, 0).is_origin && !t3.cell(3, 1).is_origin && !t3.cell(3, 2).is_origin);
    assert_eq!(row(t3, 3, 3..10), n.new, "{name}: new");
    // 三、本年度办理结果 merged down rows 5..=26.
    for r in 5..=26 {
        assert_eq!(t3.cell(r, 0).text, "三、本年度办理结果", "{name}: r{r}");
        assert_eq!(t3.cell(r, 0).is_origin, r == 5, "{name}: r{r}");
    }
    assert_eq!(row(t3, 5, 1..3), ["（一）予以公开"; 2]);
    assert!(!t3.cell(5, 2).is_origin);
    // （三）不予公开 over its eight rows, （四） three, （五） five, （六） three.
    for (first, len, label) in [
        (7, 8, "（三）不予公开"),
        (15, 3, "（四）无法提供"),
        (18, 5, "（五）不予处理"),
        (23, 3, "（六）其他处理"),
    ] {
        for r in first..first + len {
            assert_eq!(t3.cell(r, 1).text, label, "{name}: r{r}");
            assert_eq!(t3.cell(r, 1).is_origin, r == first, "{name}: r{r}");
        }
    }
    assert_eq!(t3.cell(7, 2).text, "1.属于国家秘密");
    assert_eq!(t3.cell(9, 2).text, "3.危及“三安全一稳定”");
    assert_eq!(t3.cell(25, 2).text, "3.其他");
    assert_eq!(row(t3, 26, 1..3), ["（七）总计"; 2]);
    assert_eq!(row(t3, 26, 3..10), n.results_total, "{name}: results_total");
    assert_eq!(row(t3, 27, 0..3), ["四、结转下年度继续办理"; 3]);
    assert!(t3.cell(27, 0).is_origin);

    // Table 四: 4 x 15 with a three-row header.
    let t4 = ts[2];
    assert_eq!((t4.rows(), t4.cols()), (4, 15), "{name}: table 四");
    assert_eq!(row(t4, 0, 0..5), ["行政复议"; 5]);
    assert_eq!(row(t4, 0, 5..15), ["行政诉讼"; 10]);
    assert!(t4.cell(0, 0).is_origin && t4.cell(0, 5).is_origin && !t4.cell(0, 14).is_origin);
    assert_eq!(
        row(t4, 1, 0..5),
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    );
    assert_eq!(
        row(t4, 2, 0..5),
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    );
    assert!((0..5).all(|c| t4.cell(1, c).is_origin && !t4.cell(2, c).is_origin));
    assert_eq!(row(t4, 1, 5..10), ["未经复议直接起诉"; 5]);
    assert_eq!(row(t4, 1, 10..15), ["复议后起诉"; 5]);
    assert!(t4.cell(1, 10).is_origin && !t4.cell(1, 11).is_origin);
    assert_eq!(
        row(t4, 2, 10..15),
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    );
    assert!((5..15).all(|c| t4.cell(2, c).is_origin));
    assert_eq!(row(t4, 3, 0..15), n.t4, "{name}: table 四 values");
}

/// The six section headings appear in order, as the page shows them.
fn assert_headings(name: &str, doc: &Document) {
    let texts = display_texts(doc);
    let mut at = 0;
    for (label, heading) in HEADINGS {
        let want = format!("{label}{heading}");
        let pos = texts[at..]
            .iter()
            .position(|t| *t == want)
            .unwrap_or_else(|| panic!("{name}: no {want}"));
        at += pos + 1;
    }
}

#[test]
fn official_layout_python_docx() {
    let doc = read("official-layout-python-docx.docx");
    assert_official_layout("python-docx", &doc, &HONGQI);
    assert_headings("python-docx", &doc);
    let ps = paragraphs(&doc);
    // The title is split over three runs in the source.
    assert_eq!(ps[0].text, "红旗街道2023年政府信息公开工作年度报告");
    assert!(ps.iter().all(|p| p.list_label.is_none()));
    assert!(display_texts(&doc)
        .contains(&"全年共收到政府信息公开申请30件，均在法定期限内答复。".to_string()));
}

#[test]
fn official_layout_libreoffice() {
    let doc = read("official-layout-libreoffice.docx");
    assert_official_layout("libreoffice", &doc, &HONGQI);
    assert_headings("libreoffice", &doc);
    assert_eq!(
        paragraphs(&doc)[0].text,
        "红旗街道2023年政府信息公开工作年度报告"
    );
}

#[test]
fn tracked_changes_read_as_accepted() {
    let doc = read("tracked-changes.docx");
    assert_official_layout("tracked-changes", &doc, &DONGHU);
    assert_headings("tracked-changes", &doc);
    let t3 = tables(&doc)[1];
    // Deleted "39", inserted "41": only the insertion counts.
    assert_eq!(t3.cell(3, 3).text, "41");
    let texts = display_texts(&doc);
    assert!(texts.contains(
        &"存在的主要问题：一是公开内容的全面性有待提高；二是政策解读形式较为单一。三是基层公开队伍力量薄弱。"
            .to_string()
    ));
    let all = texts.join("\n");
    assert!(!all.contains("经费保障"), "deleted clause read");
    assert!(!all.contains("此段已删除"), "deleted paragraph read");
    assert!(!all.contains("39"), "deleted number read");
}

#[test]
fn auto_numbered_headings_python_docx() {
    let doc = read("auto-numbered-headings.docx");
    assert_official_layout("auto-numbered", &doc, &QINGSHAN);
    assert_headings("auto-numbered", &doc);
    let ps = paragraphs(&doc);
    let heading = ps.iter().find(|p| p.text == "总体情况").expect("heading");
    assert_eq!(heading.list_label.as_deref(), Some("一、"));
    let labels: Vec<&str> = ps.iter().filter_map(|p| p.list_label.as_deref()).collect();
    assert_eq!(
        labels,
        [
            "一、",
            "（一）",
            "（二）",
            "（三）",
            "（四）",
            "（五）",
            "二、",
            "三、",
            "四、",
            "五、",
            "六、"
        ]
    );
    // The sub-heading labels come from the paragraph style (no w:numPr on
    // the paragraph itself).
    let sub = ps
        .iter()
        .find(|p| p.text == "依申请公开")
        .expect("sub-heading");
    assert_eq!(sub.list_label.as_deref(), Some("（二）"));
    // The label is not duplicated into the text.
    assert!(ps.iter().all(|p| !p.text.starts_with("一、总体")));
}

#[test]
fn auto_numbered_headings_libreoffice() {
    let doc = read("auto-numbered-headings-libreoffice.docx");
    assert_official_layout("auto-numbered-libreoffice", &doc, &LIUHE);
    assert_headings("auto-numbered-libreoffice", &doc);
    let labels: Vec<(&str, &str)> = paragraphs(&doc)
        .iter()
        .filter_map(|p| p.list_label.as_deref().map(|l| (l, p.text.as_str())))
        .collect();
    assert_eq!(labels, HEADINGS.to_vec());
}

#[test]
fn inconsistent_sample_keeps_the_planted_numbers() {
    let doc = read("inconsistent.docx");
    let mut n = LIUHE;
    n.t4[4] = "6";
    assert_official_layout("inconsistent", &doc, &n);
    let t3 = tables(&doc)[1];
    // partly_granted: 12+2+0+0+1+0 = 15, total written 16 (EXPECTED.md).
    assert_eq!(
        t3.cell(6, 1).text,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    );
    assert_eq!(row(t3, 6, 3..10), ["12", "2", "0", "0", "1", "0", "16"]);
}

#[test]
fn huge_gridspan_is_clamped_to_the_grid() {
    let start = Instant::now();
    let doc = read("corrupt-huge-gridspan.docx");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_official_layout("huge-gridspan", &doc, &HONGQI);
}

fn assert_fails_fast(name: &str, limits: &Limits, want: impl Fn(&ReadError) -> bool, reason: &str) {
    let data = bytes(name);
    let start = Instant::now();
    let err = read_as(Format::Docx, &data, limits).expect_err(name);
    let took = start.elapsed();
    assert!(want(&err), "{name}: unexpected error {err:?}");
    assert!(
        err.to_string().contains(reason),
        "{name}: {err} lacks {reason:?}"
    );
    assert!(took < Duration::from_secs(5), "{name}: took {took:?}");
}

#[test]
fn corrupt_samples_fail_quickly_with_a_reason() {
    let limits = Limits::default();
    let corrupt = |e: &ReadError| e.kind() == ErrorKind::Corrupt;
    let too_large = |e: &ReadError| e.kind() == ErrorKind::OverLimit;
    assert_fails_fast(
        "corrupt-truncated.docx",
        &limits,
        corrupt,
        "word/document.xml: malformed XML",
    );
    assert_fails_fast("corrupt-badcrc.docx", &limits, corrupt, "bad CRC");
    assert_fails_fast(
        "corrupt-zipbomb.docx",
        &limits,
        too_large,
        "inflated size over the limit",
    );
    // Headers that lie about the size: only the count of inflated bytes
    // catches it.
    let small = Limits {
        max_inflated_bytes: 8 << 20,
        ..Limits::default()
    };
    assert_fails_fast(
        "corrupt-zipbomb-lying.docx",
        &small,
        too_large,
        "inflated size over the limit",
    );
}

#[test]
fn detection_gives_clear_reasons() {
    let limits = Limits::default();
    let enc = bytes("encrypted.docx");
    let err = read_document(&enc, &limits).unwrap_err();
    assert!(err.kind() == ErrorKind::Encrypted, "{err:?}");
    assert!(err.to_string().contains("encrypted"));
    assert!(matches!(
        read_as(Format::Docx, &enc, &limits),
        Err(e) if e.kind() == ErrorKind::Encrypted
    ));

    // A Word 97 .doc renamed .docx is read as what it is (tests/doc_reader.rs
    // compares its cells); the DOCX reader alone names the content.
    let doc = bytes("legacy-doc-named.docx");
    assert_eq!(read_document(&doc, &limits).unwrap().0, Format::Doc);
    let err = read_as(Format::Docx, &doc, &limits).unwrap_err();
    assert!(err.to_string().contains("DOC content, not a DOCX"), "{err}");

    let html = bytes("html-named.docx");
    assert_eq!(read_document(&html, &limits).unwrap().0, Format::Html);
    let err = read_as(Format::Docx, &html, &limits).unwrap_err();
    assert!(
        err.to_string().contains("HTML content, not a DOCX"),
        "{err}"
    );

    let official = bytes("official-layout-python-docx.docx");
    let (format, doc) = read_document(&official, &limits).unwrap();
    assert_eq!(format, Format::Docx);
    assert_eq!(tables(&doc).len(), 3);

    // A workbook read as DOCX says what it is instead.
    let zip = make_zip(&[("xl/workbook.xml", b"<workbook/>")]);
    let err = read_as(Format::Docx, &zip, &limits).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(
        err.to_string().contains("XLSX content, not a DOCX file"),
        "{err}"
    );
    assert!(matches!(read_as(Format::Docx, &[], &limits), Err(e) if e.kind() == ErrorKind::Empty));
}

fn make_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn entry(zip_bytes: &[u8], name: &str) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut f = a.by_name(name).unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut f, &mut out).unwrap();
    out
}

#[test]
fn every_truncation_of_document_xml_is_corrupt() {
    let xml = entry(
        &bytes("official-layout-libreoffice.docx"),
        "word/document.xml",
    );
    let limits = Limits::default();
    let start = Instant::now();
    for i in 1..60 {
        let cut = xml.len() * i / 60;
        let zip = make_zip(&[("word/document.xml", &xml[..cut])]);
        match read_as(Format::Docx, &zip, &limits) {
            Err(e) if e.kind() == ErrorKind::Corrupt => {
                let reason = e.to_string();
                assert!(
                    reason.contains("truncated") || reason.contains("malformed"),
                    "{reason}"
                )
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn mangled_and_truncated_files_never_panic_or_hang() {
    let original = bytes("official-layout-libreoffice.docx");
    let limits = Limits::default();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let start = Instant::now();
    for round in 0..150 {
        let mut data = original.clone();
        if round % 3 == 0 {
            data.truncate(next() as usize % data.len());
        } else {
            for _ in 0..1 + next() % 8 {
                let i = next() as usize % data.len();
                data[i] = next() as u8;
            }
        }
        // Ok or Err are both fine; a panic (caught as ReadError::Panic) is not.
        if let Err(e) = read_as(Format::Docx, &data, &limits) {
            assert_ne!(e.kind(), ErrorKind::ReaderPanic, "round {round}: {e}");
        }
    }
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn limits_on_entries_and_depth() {
    let body = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"#;
    let zip = make_zip(&[("word/document.xml", body), ("a", b"1"), ("b", b"2")]);
    let few = Limits {
        max_zip_entries: 2,
        ..Limits::default()
    };
    let err = read_as(Format::Docx, &zip, &few).unwrap_err();
    assert!(
        err.kind() == ErrorKind::OverLimit && err.to_string().contains("entries"),
        "{err}"
    );
    let doc = read_as(Format::Docx, &zip, &Limits::default()).unwrap();
    assert_eq!(display_texts(&doc), ["x"]);

    let shallow = Limits {
        max_depth: 4,
        ..Limits::default()
    };
    let err = read_as(Format::Docx, &zip, &shallow).unwrap_err();
    assert!(err.to_string().contains("nested deeper"), "{err}");
}

// ---------------------------------------------------------------------------
// docx-rs: a third producer, and the oracle
// ---------------------------------------------------------------------------

type Layout = Vec<Vec<(String, usize, usize)>>;

fn cell(text: &str, rs: usize, cs: usize) -> (String, usize, usize) {
    (text.to_string(), rs, cs)
}

/// Table 三 of the official template with these numbers (rows in template order).
fn layout_t3(values: &[[u32; 7]; 25]) -> Layout {
    let labels: [(&str, &str); 25] = [
        ("", "一、本年新收政府信息公开申请数量"),
        ("", "二、上年结转政府信息公开申请数量"),
        ("", "（一）予以公开"),
        (
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        ("（三）不予公开", "1.属于国家秘密"),
        ("（三）不予公开", "2.其他法律行政法规禁止公开"),
        ("（三）不予公开", "3.危及“三安全一稳定”"),
        ("（三）不予公开", "4.保护第三方合法权益"),
        ("（三）不予公开", "5.属于三类内部事务信息"),
        ("（三）不予公开", "6.属于四类过程性信息"),
        ("（三）不予公开", "7.属于行政执法案卷"),
        ("（三）不予公开", "8.属于行政查询事项"),
        ("（四）无法提供", "1.本机关不掌握相关政府信息"),
        ("（四）无法提供", "2.没有现成信息需要另行制作"),
        ("（四）无法提供", "3.补正后申请内容仍不明确"),
        ("（五）不予处理", "1.信访举报投诉类申请"),
        ("（五）不予处理", "2.重复申请"),
        ("（五）不予处理", "3.要求提供公开出版物"),
        ("（五）不予处理", "4.无正当理由大量反复申请"),
        ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
        (
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "（六）其他处理",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("（六）其他处理", "3.其他"),
        ("", "（七）总计"),
        ("", "四、结转下年度继续办理"),
    ];
    let mut rows: Layout = vec![
        vec![cell(CORNER, 3, 3), cell("申请人情况", 1, 7)],
        vec![
            cell("自然人", 2, 1),
            cell("法人或其他组织", 1, 5),
            cell("总计", 2, 1),
        ],
        [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]
        .iter()
        .map(|t| cell(t, 1, 1))
        .collect(),
    ];
    let mut prev_group = "";
    for (i, (group, label)) in labels.iter().enumerate() {
        let nums = values[i].iter().map(|v| cell(&v.to_string(), 1, 1));
        let mut r = Vec::new();
        if i == 2 {
            r.push(cell("三、本年度办理结果", 22, 1));
        }
        if matches!(i, 0 | 1 | 24) {
            r.push(cell(label, 1, 3));
        } else if group.is_empty() {
            r.push(cell(label, 1, 2));
        } else {
            if *group != prev_group {
                let len = labels.iter().filter(|(g, _)| g == group).count();
                r.push(cell(group, len, 1));
            }
            r.push(cell(label, 1, 1));
        }
        prev_group = group;
        r.extend(nums);
        rows.push(r);
    }
    rows
}

/// Builds a docx-rs table from (text, rowspan, colspan) rows: every covered
/// position below an origin gets a `vMerge` continue cell of the same span.
fn docx_rs_table(ncols: usize, layout: &Layout) -> docx_rs::Table {
    use docx_rs::{Paragraph as P, Run, TableCell, TableRow, VMergeType};
    let nrows = layout.len();
    // owner[r][c] = (origin row, origin col, rowspan, colspan, text)
    type Owner = Option<(usize, usize, usize, usize, String)>;
    let mut owner: Vec<Vec<Owner>> = vec![vec![None; ncols]; nrows];
    for (r, cells) in layout.iter().enumerate() {
        let mut c = 0;
        for (text, rs, cs) in cells {
            while owner[r][c].is_some() {
                c += 1;
            }
            for row in &mut owner[r..r + rs] {
                for slot in &mut row[c..c + cs] {
                    *slot = Some((r, c, *rs, *cs, text.clone()));
                }
            }
            c += cs;
        }
    }
    let mut rows = Vec::new();
    for (r, positions) in owner.iter().enumerate() {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < ncols {
            let (or, oc, rs, cs, text) = positions[c].clone().expect("layout covers the grid");
            assert_eq!(oc, c);
            let mut tc = if or == r {
                TableCell::new().add_paragraph(P::new().add_run(Run::new().add_text(&text)))
            } else {
                TableCell::new().add_paragraph(P::new())
            };
            if cs > 1 {
                tc = tc.grid_span(cs);
            }
            if rs > 1 {
                tc = tc.vertical_merge(if or == r {
                    VMergeType::Restart
                } else {
                    VMergeType::Continue
                });
            }
            cells.push(tc);
            c += cs;
        }
        rows.push(TableRow::new(cells));
    }
    docx_rs::Table::new(rows).set_grid(vec![800; ncols])
}

/// A report written by docx-rs: headings numbered with chineseCounting,
/// table 三 and table 四 in the official layout.
fn docx_rs_report() -> Vec<u8> {
    use docx_rs::*;
    let mut values = [[0u32; 7]; 25];
    let set = |values: &mut [[u32; 7]; 25], r: usize, v: [u32; 6]| {
        let mut row = [0; 7];
        row[..6].copy_from_slice(&v);
        row[6] = v.iter().sum();
        values[r] = row;
    };
    set(&mut values, 0, [6, 1, 0, 0, 0, 0]);
    set(&mut values, 2, [3, 1, 0, 0, 0, 0]);
    set(&mut values, 12, [2, 0, 0, 0, 0, 0]);
    set(&mut values, 23, [5, 1, 0, 0, 0, 0]);
    set(&mut values, 24, [1, 0, 0, 0, 0, 0]);
    let heading = |text: &str| {
        Paragraph::new()
            .add_run(Run::new().add_text(text))
            .numbering(NumberingId::new(10), IndentLevel::new(0))
    };
    let para = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let t4: Layout = vec![
        vec![cell("行政复议", 1, 5), cell("行政诉讼", 1, 10)],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            .iter()
            .map(|t| cell(t, 2, 1))
            .chain([cell("未经复议直接起诉", 1, 5), cell("复议后起诉", 1, 5)])
            .collect(),
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            .repeat(2)
            .iter()
            .map(|t| cell(t, 1, 1))
            .collect(),
        (0..15)
            .map(|i| cell(if i == 0 || i == 4 { "1" } else { "0" }, 1, 1))
            .collect(),
    ];
    let docx = Docx::new()
        .add_abstract_numbering(AbstractNumbering::new(10).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new("chineseCounting"),
            LevelText::new("%1、"),
            LevelJc::new("left"),
        )))
        .add_numbering(Numbering::new(10, 10))
        .add_paragraph(para("白沙乡2024年政府信息公开工作年度报告"))
        .add_paragraph(heading("总体情况"))
        .add_paragraph(para("2024年，白沙乡共收到政府信息公开申请7件。"))
        .add_paragraph(heading("主动公开政府信息情况"))
        .add_paragraph(para("（表略）"))
        .add_paragraph(heading("收到和处理政府信息公开申请情况"))
        .add_table(docx_rs_table(10, &layout_t3(&values)))
        .add_paragraph(heading("政府信息公开行政复议、行政诉讼情况"))
        .add_table(docx_rs_table(15, &t4))
        .add_paragraph(heading("存在的主要问题及改进情况"))
        .add_paragraph(heading("其他需要报告的事项"))
        .add_paragraph(para("无"));
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out).unwrap();
    out.into_inner()
}

#[test]
fn docx_rs_written_report() {
    let data = docx_rs_report();
    let doc = read_as(Format::Docx, &data, &Limits::default()).unwrap();
    let labels: Vec<(&str, &str)> = paragraphs(&doc)
        .iter()
        .filter_map(|p| p.list_label.as_deref().map(|l| (l, p.text.as_str())))
        .collect();
    assert_eq!(labels, HEADINGS.to_vec());
    let ts = tables(&doc);
    assert_eq!(ts.len(), 2);
    let t3 = ts[0];
    assert_eq!((t3.rows(), t3.cols()), (28, 10));
    assert_eq!(t3.cell(2, 0).text, CORNER);
    assert!(!t3.cell(2, 2).is_origin);
    assert_eq!(t3.cell(26, 0).text, "三、本年度办理结果");
    assert!(!t3.cell(26, 0).is_origin);
    assert_eq!(row(t3, 3, 3..10), ["6", "1", "0", "0", "0", "0", "7"]);
    assert_eq!(t3.cell(17, 1).text, "（四）无法提供");
    assert_eq!((ts[1].rows(), ts[1].cols()), (4, 15));
    assert_eq!(ts[0].origin, TableOrigin::Flow { index: 1 });
    assert_eq!(ts[1].origin, TableOrigin::Flow { index: 2 });
    assert_oracle_agrees("docx-rs report", &data, &doc);
}

/// Grids as docx-rs's reader sees them: built from the `gridSpan` and
/// `vMerge` it parses (reached through its serde output, the fields are
/// private), with text from its runs (deletions left out).
fn oracle_grids(data: &[u8]) -> Vec<Vec<Vec<(String, bool)>>> {
    let parsed = docx_rs::read_docx(data).expect("docx-rs reads the sample");
    let json = serde_json::to_value(&parsed.document).unwrap();
    let mut grids = Vec::new();
    for child in json["children"].as_array().unwrap() {
        if child["type"] != "table" {
            continue;
        }
        let mut grid: Vec<Vec<(String, bool)>> = Vec::new();
        for tr in child["data"]["rows"].as_array().unwrap() {
            let mut out: Vec<(String, bool)> = Vec::new();
            let before = tr["data"]["property"]["gridBefore"].as_u64().unwrap_or(0) as usize;
            out.resize(before, (String::new(), false));
            for tc in tr["data"]["cells"].as_array().unwrap() {
                let prop = &tc["data"]["property"];
                let span = prop["gridSpan"].as_u64().unwrap_or(1) as usize;
                let col = out.len();
                let above = grid.last().and_then(|r| r.get(col)).map(|c| c.0.clone());
                let (text, origin) = match (prop["verticalMerge"].as_str(), above) {
                    (Some("continue"), Some(above)) => (above, false),
                    _ => (cell_text_of(&tc["data"]["children"]), true),
                };
                for i in 0..span {
                    out.push((text.clone(), origin && i == 0));
                }
            }
            grid.push(out);
        }
        let cols = grid.iter().map(Vec::len).max().unwrap_or(0);
        for r in &mut grid {
            r.resize(cols, (String::new(), false));
        }
        grids.push(grid);
    }
    grids
}

fn cell_text_of(children: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    for p in children.as_array().unwrap() {
        if p["type"] == "paragraph" {
            let mut s = String::new();
            collect_text(p, &mut s);
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if !s.is_empty() {
                parts.push(s);
            }
        }
    }
    parts.join(" ")
}

fn collect_text(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            match m.get("type").and_then(|t| t.as_str()) {
                Some("delete" | "deleteText" | "instrText" | "deleteInstrText") => return,
                Some("text") => {
                    out.push_str(m["data"]["text"].as_str().unwrap_or(""));
                    return;
                }
                Some("tab" | "break" | "ptab") => {
                    out.push(' ');
                    return;
                }
                _ => {}
            }
            for key in ["data", "children"] {
                if let Some(x) = m.get(key) {
                    collect_text(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_text(x, out)),
        _ => {}
    }
}

fn assert_oracle_agrees(name: &str, data: &[u8], doc: &Document) {
    let oracle = oracle_grids(data);
    let ours = tables(doc);
    assert_eq!(ours.len(), oracle.len(), "{name}: table count");
    for (i, (t, o)) in ours.iter().zip(&oracle).enumerate() {
        assert_eq!(
            (t.rows(), t.cols()),
            (o.len(), o[0].len()),
            "{name}: table {} size",
            i + 1
        );
        for (r, orow) in o.iter().enumerate() {
            for (c, (text, origin)) in orow.iter().enumerate() {
                let got = t.cell(r, c);
                assert_eq!(&got.text, text, "{name}: table {} r{r}c{c}", i + 1);
                assert_eq!(
                    got.is_origin,
                    *origin,
                    "{name}: table {} r{r}c{c} origin",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn oracle_docx_rs_agrees_on_every_well_formed_sample() {
    for name in [
        "official-layout-python-docx.docx",
        "official-layout-libreoffice.docx",
        "tracked-changes.docx",
        "auto-numbered-headings.docx",
        "auto-numbered-headings-libreoffice.docx",
        "inconsistent.docx",
    ] {
        let data = bytes(name);
        let doc = read_as(Format::Docx, &data, &Limits::default()).unwrap();
        assert_oracle_agrees(name, &data, &doc);
    }
}
