//! The HTML reader on the sample pages in `samples/html/` (see EXPECTED.md
//! there). Grid positions are 0-based (row, column) of the dense grid.

use nianbao::document::{Block, Document, Table, TableOrigin};
use nianbao::readers::{read_as, read_document, ErrorKind, Format, Limits};

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/samples/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_sample(name: &str) -> Document {
    let (format, doc) =
        read_document(&sample(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(format, Format::Html, "{name}");
    doc
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

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .collect()
}

fn text(t: &Table, row: usize, col: usize) -> &str {
    &t.cell(row, col).text
}

fn row(t: &Table, r: usize) -> Vec<&str> {
    t.row_texts(r).collect()
}

const HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The six headings appear as paragraphs in order, and the three report
/// tables sit after 二, 三 and 四 respectively.
fn assert_report_layout(doc: &Document, report_tables: [usize; 3]) {
    let mut heading = 0;
    let mut seen_tables = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) if heading < 6 && p.text == HEADINGS[heading] => heading += 1,
            Block::Table(t) => {
                if let TableOrigin::Flow { index } = t.origin {
                    if report_tables.contains(&index) {
                        // 二 -> after heading 2, 三 -> after 3, 四 -> after 4.
                        let position = report_tables.iter().position(|&i| i == index).unwrap();
                        assert_eq!(
                            heading,
                            position + 2,
                            "table {index} is not under its heading"
                        );
                        seen_tables.push(index);
                    }
                }
            }
            _ => {}
        }
    }
    assert_eq!(heading, 6, "not all six headings found in order");
    assert_eq!(seen_tables, report_tables);
}

/// Shape and fixed labels of the three 2021-format tables.
fn assert_template_shapes(t2: &Table, t3: &Table, t4: &Table) {
    assert_eq!((t2.rows(), t2.cols()), (14, 4));
    assert_eq!(row(t2, 0), ["第二十条第（一）项"; 4]);
    assert_eq!(
        row(t2, 1),
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    );
    assert_eq!(text(t2, 12, 1), "本年收费金额（单位：万元）");
    assert!(t2.cell(12, 1).is_origin && !t2.cell(12, 3).is_origin);

    assert_eq!((t3.rows(), t3.cols()), (28, 10));
    assert!(text(t3, 0, 0).starts_with("（本列数据的勾稽关系为"));
    assert_eq!(text(t3, 2, 2), text(t3, 0, 0), "the corner spans 3 x 3");
    assert_eq!(text(t3, 0, 9), "申请人情况");
    assert_eq!(
        row(t3, 1)[3..],
        [
            "自然人",
            "法人或其他组织",
            "法人或其他组织",
            "法人或其他组织",
            "法人或其他组织",
            "法人或其他组织",
            "总计"
        ]
    );
    assert_eq!(
        row(t3, 2)[3..],
        [
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计"
        ]
    );
    assert_eq!(row(t3, 3)[..3], ["一、本年新收政府信息公开申请数量"; 3]);
    assert_eq!(row(t3, 4)[..3], ["二、上年结转政府信息公开申请数量"; 3]);
    assert_eq!(
        text(t3, 6, 1),
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    );
    // 三、本年度办理结果 is one cell merged down rows 5..=26.
    assert!(t3.cell(5, 0).is_origin);
    for r in 6..=26 {
        assert_eq!(text(t3, r, 0), text(t3, 5, 0));
        assert!(!t3.cell(r, 0).is_origin);
    }
    // Group labels merged down their numbered rows.
    for (first, last, label, sub) in [
        (7, 14, "（三）不予公开", "1.属于国家秘密"),
        (15, 17, "（四）无法提供", "1.本机关不掌握相关政府信息"),
        (18, 22, "（五）不予处理", "1.信访举报投诉类申请"),
        (
            23,
            25,
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
    ] {
        assert_eq!(text(t3, first, 2), sub);
        for r in first..=last {
            assert_eq!(text(t3, r, 1), label, "row {r}");
        }
        assert!(t3.cell(first, 1).is_origin && !t3.cell(last, 1).is_origin);
    }
    assert_eq!(text(t3, 9, 2), "3.危及“三安全一稳定”");
    assert_eq!(row(t3, 26)[1..3], ["（七）总计"; 2]);
    assert_eq!(row(t3, 27)[..3], ["四、结转下年度继续办理"; 3]);

    assert_eq!((t4.rows(), t4.cols()), (4, 15));
    assert_eq!(row(t4, 0)[4..6], ["行政复议", "行政诉讼"]);
    assert_eq!(text(t4, 1, 5), "未经复议直接起诉");
    assert_eq!(text(t4, 1, 10), "复议后起诉");
    assert_eq!(text(t4, 2, 0), "结果维持", "review labels are 2 rows high");
    assert_eq!(
        row(t4, 2)[5..10],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    );
}

#[test]
fn county_utf8_page() {
    let doc = read_sample("xx-county-2023-utf8.html");
    let t = tables(&doc);
    assert_eq!(
        t.len(),
        5,
        "metadata table, three report tables, links table"
    );
    for (i, table) in t.iter().enumerate() {
        assert_eq!(table.origin, TableOrigin::Flow { index: i + 1 });
    }
    assert_report_layout(&doc, [2, 3, 4]);
    let (t2, t3, t4) = (t[1], t[2], t[3]);
    assert_template_shapes(t2, t3, t4);

    // The 索引号 metadata table before the report, <th> cells included.
    assert_eq!(text(t[0], 0, 0), "索引号：");
    assert_eq!(text(t[0], 0, 3), "青山县人民政府办公室");
    assert_eq!(text(t[0], 2, 0), "文 号：");
    // The links table after it.
    assert_eq!(
        row(t[4], 0),
        ["中国政府网", "省人民政府", "市人民政府", "县政务服务网"]
    );

    // Table 二: single values span the 3 value columns.
    assert_eq!(row(t2, 3), ["行政规范性文件", "6", "2", "31"]);
    assert_eq!(row(t2, 6), ["行政许可", "12863", "12863", "12863"]);
    assert!(t2.cell(6, 1).is_origin && !t2.cell(6, 2).is_origin);
    assert_eq!(text(t2, 13, 1), "386.4521");

    // Table 三.
    assert_eq!(row(t3, 3)[3..], ["42", "5", "0", "1", "2", "0", "50"]);
    assert_eq!(row(t3, 4)[3..], ["3", "1", "0", "0", "0", "0", "4"]);
    assert_eq!(row(t3, 5)[3..], ["20", "3", "0", "1", "1", "0", "25"]);
    assert_eq!(text(t3, 10, 7), "1", "denied.third_party / legal_service");
    assert_eq!(row(t3, 26)[3..], ["43", "5", "0", "1", "2", "0", "51"]);
    assert_eq!(row(t3, 27)[3..], ["2", "1", "0", "0", "0", "0", "3"]);

    // Table 四.
    assert_eq!(
        row(t4, 3),
        ["2", "1", "0", "1", "4", "1", "0", "0", "1", "2", "1", "0", "0", "0", "1"]
    );

    let p = paragraphs(&doc);
    let title = "青山县2023年政府信息公开工作年度报告";
    assert_eq!(
        p.iter().filter(|t| **t == title).count(),
        1,
        "head <title> and the hidden print copy are skipped"
    );
    assert!(p.contains(&"当前位置：首页 > 政务公开 > 政府信息公开年报"));
    assert!(p.iter().any(|t| t.contains("共收到政府信息公开申请50件")));
    assert!(p.iter().any(|t| t.starts_with("网站标识码：3611240001")));
    assert!(
        !p.iter()
            .any(|t| t.contains("_hmt") || t.contains("getElementById")),
        "scripts are skipped"
    );
}

#[test]
fn town_gbk_page_without_declaration() {
    let bytes = sample("xx-town-2022-gbk.html");
    assert!(std::str::from_utf8(&bytes).is_err(), "the sample is GBK");
    assert_eq!(
        nianbao::internals::sniff_charset(&bytes),
        None,
        "and declares no charset"
    );
    let doc = read_sample("xx-town-2022-gbk.html");
    let t = tables(&doc);
    assert_eq!(
        t.len(),
        3,
        "the one-cell layout table is not emitted, its tables are"
    );
    assert_eq!(t[0].origin, TableOrigin::Flow { index: 1 });
    assert_report_layout(&doc, [1, 2, 3]);
    let (t2, t3, t4) = (t[0], t[1], t[2]);
    assert_template_shapes(t2, t3, t4);

    // &nbsp; / U+3000 padding is trimmed; blank zeros stay blank.
    assert_eq!(row(t2, 2), ["规章", "", "0", "0"]);
    assert_eq!(row(t2, 3), ["行政规范性文件", "1", "0", "3"]);
    assert_eq!(row(t2, 6), ["行政许可", "26", "26", "26"]);
    assert_eq!(row(t3, 3)[3..], ["3", "1", "", "", "0", "0", "4"]);
    assert_eq!(row(t3, 4)[3..], ["", "0", "0", "", "", "0", "0"]);
    assert_eq!(row(t3, 15)[3..], ["1", "", "", "0", "0", "", "1"]);
    assert_eq!(row(t3, 26)[3..], ["3", "1", "0", "", "", "0", "4"]);
    // A <br> inside the merged label becomes a space.
    assert_eq!(text(t3, 5, 0), "三、本年度 办理结果");
    assert_eq!(row(t4, 3)[..5], ["1", "0", "", "", "1"]);

    let p = paragraphs(&doc);
    // Title split over many spans joins without spaces (twice: page title and Word title).
    assert_eq!(
        p.iter()
            .filter(|t| **t == "白沙镇2022年政府信息公开工作年度报告")
            .count(),
        2
    );
    assert!(p
        .iter()
        .any(|t| t.contains("我镇共收到政府信息公开申请4件")));
    assert!(p.iter().any(|t| t.starts_with("发布日期：2023-01-16")));
    assert!(p.contains(&"2023年1月16日"));
}

#[test]
fn bureau_gb2312_page_with_inconsistencies() {
    let bytes = sample("xx-bureau-2023-inconsistent.html");
    assert_eq!(
        nianbao::internals::sniff_charset(&bytes).as_deref(),
        Some("gb2312")
    );
    let doc = read_sample("xx-bureau-2023-inconsistent.html");
    let t = tables(&doc);
    assert_eq!(
        t.len(),
        4,
        "sidebar links table, then the three report tables"
    );
    assert_report_layout(&doc, [2, 3, 4]);
    let (t2, t3, t4) = (t[1], t[2], t[3]);
    assert_template_shapes(t2, t3, t4);
    assert_eq!((t[0].rows(), t[0].cols()), (8, 1));
    assert_eq!(text(t[0], 7, 0), "· 政府信息公开年报");

    // The injected inconsistencies arrive as written (EXPECTED.md).
    assert_eq!(row(t2, 3), ["行政规范性文件", "2", "1", "十二"]); // (d)
    assert_eq!(row(t3, 3)[3..], ["28", "7", "0", "1", "2", "1", "39"]);
    assert_eq!(row(t3, 6)[3..], ["3", "1", "0", "0", "1", "0", "6"]); // (a)
    assert_eq!(text(t3, 26, 4), "8"); // (b)
    assert_eq!(row(t4, 3)[5..10], ["1", "1", "0", "1", "2"]); // (c)

    let p = paragraphs(&doc);
    assert!(p
        .iter()
        .any(|t| t.contains("我局共收到政府信息公开申请42件"))); // (e)
    assert!(p.contains(&"江口市交通运输局2023年政府信息公开工作年度报告"));
    // 喆 is GBK, not GB2312: decoded all the same.
    assert!(p.iter().any(|t| t.contains("联系人：王喆")));
    assert!(p
        .iter()
        .any(|t| t.starts_with("主办单位：江口市交通运输局")));
}

#[test]
fn broken_page_fails_with_reason() {
    let bytes = sample("broken.html");
    let err = read_document(&bytes, &Limits::default()).expect_err("broken.html must not read");
    assert!(err.to_string().contains("binary"), "{err}");
    let err = read_as(Format::Html, &bytes, &Limits::default())
        .expect_err("html::read must refuse it too");
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err:?}");
    assert_eq!(err.format(), Some(Format::Html));
    assert!(err.to_string().contains("binary data"), "{err}");
}
