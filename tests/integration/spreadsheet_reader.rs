//! The spreadsheet reader on the committed samples of `samples/xlsx/` (see
//! `samples/xlsx/README.md` for how each was made) and on hostile workbooks
//! built on the fly.

use nianbao::document::{Block, Document, Table};
use nianbao::readers::{read_as, read_document, ErrorKind, Format, Limits};
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

fn sample_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples/xlsx")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(sample_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read(name: &str) -> (Format, Document) {
    read_document(&bytes(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| {
            if let Block::Table(t) = b {
                Some(t)
            } else {
                None
            }
        })
        .collect()
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| {
            if let Block::Paragraph(p) = b {
                Some(p.text.as_str())
            } else {
                None
            }
        })
        .collect()
}

fn all_text(doc: &Document) -> String {
    let mut s = String::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => s.push_str(&p.text),
            Block::Table(t) => {
                for r in 0..t.rows() {
                    for text in t.row_texts(r) {
                        s.push_str(text);
                        s.push('|');
                    }
                }
            }
        }
        s.push('\n');
    }
    s
}

fn loc(t: &Table, r: usize, c: usize) -> String {
    t.location(r, c).to_string()
}

/// Sample 1: one sheet per table, official merges, a merged title, a hidden
/// sheet of old data.
fn check_qingsong(doc: &Document) {
    assert_eq!(
        paragraphs(doc),
        ["青松县教育局2023年政府信息公开工作年度报告统计表"]
    );
    let t = tables(doc);
    assert_eq!(t.len(), 3, "{}", all_text(doc));
    let dims: Vec<_> = t.iter().map(|t| (t.rows(), t.cols())).collect();
    assert_eq!(dims, [(14, 4), (28, 10), (4, 15)]);

    // Table 二: the title row became a paragraph, so the table starts at A2.
    let t2 = t[0];
    assert_eq!(loc(t2, 0, 0), "表二 主动公开!A2");
    assert_eq!(t2.cell(0, 0).text, "第二十条第（一）项");
    assert!(t2.cell(0, 0).is_origin);
    assert_eq!(t2.cell(0, 3).text, "第二十条第（一）项");
    assert!(!t2.cell(0, 3).is_origin);
    assert_eq!(
        t2.row_texts(3).collect::<Vec<_>>(),
        ["行政规范性文件", "2", "1", "15"]
    );
    assert_eq!(t2.cell(6, 1).text, "1268");
    assert_eq!(loc(t2, 6, 1), "表二 主动公开!B8");
    assert_eq!(t2.cell(6, 3).text, "1268");
    assert!(!t2.cell(6, 3).is_origin);
    assert_eq!(t2.cell(13, 1).text, "12.5");

    // Table 三: 3 header rows, merged label columns, 25 data rows.
    let t3 = t[1];
    assert_eq!(loc(t3, 0, 0), "表三 依申请公开!A1");
    assert!(t3.cell(0, 0).text.contains("第一项加第二项之和"));
    assert!(!t3.cell(2, 2).is_origin);
    assert_eq!(t3.cell(2, 2).text, t3.cell(0, 0).text);
    assert_eq!(t3.cell(0, 9).text, "申请人情况");
    assert_eq!(t3.cell(2, 3).text, "自然人");
    assert!(!t3.cell(2, 3).is_origin);
    assert_eq!(t3.cell(2, 4).text, "商业企业");
    assert_eq!(
        t3.row_texts(3).skip(3).collect::<Vec<_>>(),
        ["54", "6", "0", "1", "1", "1", "63"]
    );
    assert_eq!(t3.cell(3, 2).text, "一、本年新收政府信息公开申请数量");
    // 三、本年度办理结果 merged down the 22 result rows.
    assert!(t3.cell(5, 0).is_origin);
    for r in 6..=26 {
        assert_eq!(t3.cell(r, 0).text, "三、本年度办理结果", "row {r}");
        assert!(!t3.cell(r, 0).is_origin);
    }
    assert_eq!(t3.cell(14, 1).text, "（三）不予公开");
    assert_eq!(t3.cell(14, 2).text, "8.属于行政查询事项");
    assert_eq!(t3.cell(26, 1).text, "（七）总计");
    assert_eq!(t3.cell(26, 9).text, "62");
    assert_eq!(loc(t3, 26, 9), "表三 依申请公开!J27");
    assert_eq!(t3.cell(27, 0).text, "四、结转下年度继续办理");

    // Table 四: 3 header rows, 15 values.
    let t4 = t[2];
    assert_eq!(t4.cell(0, 4).text, "行政复议");
    assert_eq!(t4.cell(0, 14).text, "行政诉讼");
    assert_eq!(t4.cell(2, 0).text, "结果维持");
    assert!(!t4.cell(2, 0).is_origin);
    assert_eq!(t4.cell(1, 12).text, "复议后起诉");
    assert_eq!(
        t4.row_texts(3).collect::<Vec<_>>(),
        ["1", "1", "0", "0", "2", "0", "1", "0", "1", "2", "1", "0", "0", "0", "1"]
    );
    assert_eq!(loc(t4, 3, 14), "表四 复议诉讼!O4");

    // The hidden sheet "2022年旧表" (行政许可 999) is not read.
    let text = all_text(doc);
    assert!(!text.contains("2022年"), "{text}");
    assert!(!text.contains("999"));
}

#[test]
fn one_sheet_per_table_xlsxwriter() {
    let (format, doc) = read("qingsong-edu-2023-sheets.xlsx");
    assert_eq!(format, Format::Xlsx);
    check_qingsong(&doc);
}

#[test]
fn xls_and_ods_conversions_read_the_same() {
    let (_, xlsx) = read("qingsong-edu-2023-sheets.xlsx");
    let (format, xls) = read("qingsong-edu-2023-sheets.xls");
    assert_eq!(format, Format::Xls);
    check_qingsong(&xls);
    assert_eq!(xls, xlsx);
    let (format, ods) = read("qingsong-edu-2023-sheets.ods");
    assert_eq!(format, Format::Ods);
    check_qingsong(&ods);
    assert_eq!(ods, xlsx);
}

/// Sample 2: all tables on one sheet, empty first column, numbers as text.
#[test]
fn all_tables_on_one_sheet_openpyxl() {
    let (_, doc) = read("bailu-town-2022-onesheet.xlsx");
    let kinds: Vec<String> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => format!("P {}", p.text),
            Block::Table(t) => format!("T {}x{} {}", t.rows(), t.cols(), t.location(0, 0)),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "P 白鹭镇2022年政府信息公开工作年度报告",
            "P 二、主动公开政府信息情况",
            "T 14x4 统计表!B4",
            "P 三、收到和处理政府信息公开申请情况",
            "T 28x10 统计表!B20",
            "P 注：本表“总计”列为各类申请人数量之和，空白表示0。",
            "P 四、政府信息公开行政复议、行政诉讼情况",
            "T 4x15 统计表!B51",
            "T 1x2 统计表!B56",
        ]
    );
    let t = tables(&doc);
    // Numbers stored as text, full-width digits kept as written.
    assert_eq!(t[0].cell(3, 3).text, "１２");
    assert_eq!(loc(t[0], 3, 3), "统计表!E7");
    assert_eq!(t[0].cell(6, 1).text, "46");
    let t3 = t[1];
    assert_eq!(
        t3.row_texts(3).skip(3).collect::<Vec<_>>(),
        ["１１", "１", "", "", "０", "０", "１２"]
    );
    assert_eq!(t3.cell(9, 4).text, "\u{3000}");
    assert_eq!(t3.cell(26, 9).text, "11");
    assert_eq!(loc(t3, 26, 9), "统计表!K46");
    // An error cell keeps its error text; a date is a date, never a count.
    assert_eq!(t[2].cell(3, 14).text, "#REF!");
    assert_eq!(loc(t[2], 3, 14), "统计表!P54");
    assert_eq!(
        t[3].row_texts(0).collect::<Vec<_>>(),
        ["填报日期", "2023-01-05"]
    );
    assert_eq!(loc(t[3], 0, 1), "统计表!C56");
}

fn check_formula_sample(doc: &Document) {
    assert_eq!(
        paragraphs(doc),
        ["蓝山县人民政府办公室2023年政府信息公开工作年度报告"]
    );
    let t = tables(doc);
    assert_eq!(t.len(), 2);
    let t3 = t[0];
    assert_eq!((t3.rows(), t3.cols()), (28, 10));
    assert_eq!(loc(t3, 3, 9), "表三!J6");
    // Row totals =SUM(D6:I6) ...
    assert_eq!(t3.cell(3, 9).text, "63");
    assert_eq!(t3.cell(5, 9).text, "26");
    assert_eq!(t3.cell(27, 9).text, "3");
    // ... the （七）总计 row =SUM(D8:D28) per column, and its own total sums sums.
    assert_eq!(
        t3.row_texts(26).skip(3).collect::<Vec<_>>(),
        ["53", "6", "0", "1", "1", "1", "62"]
    );
    let t4 = t[1];
    // Group totals as =A4+B4+C4+D4.
    assert_eq!(
        t4.row_texts(3).collect::<Vec<_>>(),
        ["1", "1", "0", "0", "2", "0", "1", "0", "1", "2", "1", "0", "0", "0", "1"]
    );
}

/// Sample 3a: openpyxl writes formulas without cached values.
#[test]
fn formulas_without_cached_values_are_evaluated() {
    let (_, doc) = read("lanshan-gov-2023-formulas-openpyxl.xlsx");
    check_formula_sample(&doc);
}

/// Sample 3b: rust_xlsxwriter writes 0 as every formula's cached value.
#[test]
fn formulas_with_cached_zero_are_evaluated() {
    let (_, doc) = read("lanshan-gov-2023-formulas-xlsxwriter.xlsx");
    check_formula_sample(&doc);
}

/// Sample 5: one hard-coded total disagrees with its parts (EXPECTED.md).
#[test]
fn inconsistent_total_is_read_as_written() {
    let (_, doc) = read("inconsistent.xlsx");
    let t = tables(&doc);
    assert_eq!(t.len(), 3);
    let t3 = t[1];
    assert_eq!(loc(t3, 3, 9), "表三 依申请公开!J4");
    assert_eq!(t3.cell(3, 9).text, "64");
    let parts: u32 = t3
        .row_texts(3)
        .skip(3)
        .take(6)
        .map(|s| s.parse::<u32>().unwrap())
        .sum();
    assert_eq!(parts, 63);
    let expected = std::fs::read_to_string(sample_path("EXPECTED.md")).unwrap();
    assert!(expected.contains("J4") && expected.contains("64") && expected.contains("63"));
}

#[test]
fn corrupt_workbook_fails_with_a_reason() {
    let data = bytes("corrupt.xlsx");
    let err = read_document(&data, &Limits::default()).unwrap_err();
    assert!(err.kind() == ErrorKind::Corrupt, "{err}");
    assert!(
        err.to_string().contains("EOCD") || err.to_string().contains("Zip"),
        "{err}"
    );
    // Straight to the reader (detection bypassed): still a reasoned Corrupt.
    let err = read_as(Format::Xlsx, &data, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    assert_eq!(err.format(), Some(Format::Xlsx));
    assert!(err.to_string().starts_with("corrupt ZIP file: "), "{err}");
    // An XLS that is not one (half an OLE signature: text, so refused as
    // not XLS), a cut OLE file, and garbage as ODS.
    assert!(matches!(
        read_as(Format::Xls, b"\xD0\xCF\x11\xE0garbage", &Limits::default()),
        Err(e) if e.kind() == ErrorKind::Unsupported
    ));
    let mut cut_ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    cut_ole.extend_from_slice(&[0; 100]);
    cut_ole.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
    assert!(matches!(
        read_as(Format::Xls, &cut_ole, &Limits::default()),
        Err(e) if e.kind() == ErrorKind::Corrupt
    ));
    assert!(matches!(
        read_as(Format::Ods, b"PK\x03\x04", &Limits::default()),
        Err(e) if e.kind() == ErrorKind::Corrupt
    ));
}

/// Re-zips `src` with `edit` applied to every entry's bytes.
fn rezip(src: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(src)).unwrap();
    let mut out = Cursor::new(Vec::new());
    let mut zout = zip::ZipWriter::new(&mut out);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        zout.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&edit(&name, data)).unwrap();
    }
    zout.finish().unwrap();
    out.into_inner()
}

#[test]
fn inflated_size_claims_are_checked_before_calamine() {
    let data = bytes("qingsong-edu-2023-sheets.xlsx");
    let limits = Limits {
        max_inflated_bytes: 10_000,
        ..Limits::default()
    };
    let err = read_as(Format::Xlsx, &data, &limits).unwrap_err();
    assert!(err.kind() == ErrorKind::OverLimit, "{err}");
    let limits = Limits {
        max_zip_entries: 3,
        ..Limits::default()
    };
    assert!(matches!(
        read_as(Format::Xlsx, &data, &limits),
        Err(e) if e.kind() == ErrorKind::OverLimit
    ));
    let ods = bytes("qingsong-edu-2023-sheets.ods");
    let limits = Limits {
        max_inflated_bytes: 10_000,
        ..Limits::default()
    };
    assert!(matches!(
        read_as(Format::Ods, &ods, &limits),
        Err(e) if e.kind() == ErrorKind::OverLimit
    ));
}

#[test]
fn a_used_range_of_the_whole_sheet_costs_nothing_but_far_content_is_refused() {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    // Formatting in XFD1048576 makes the used range A1:XFD1048576.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "规章").unwrap();
    ws.write_number(0, 1, 3.0).unwrap();
    ws.write_blank(1_048_575, 16_383, &XFormat::new().set_bold())
        .unwrap();
    let data = wb.save_to_buffer().unwrap();
    let started = std::time::Instant::now();
    let doc = read_as(Format::Xlsx, &data, &Limits::default()).unwrap();
    assert!(started.elapsed().as_secs() < 5);
    let t = tables(&doc);
    assert_eq!((t[0].rows(), t[0].cols()), (1, 2));

    // A value out there refuses the file, naming the cell.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "规章").unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    let data = wb.save_to_buffer().unwrap();
    let err = read_as(Format::Xlsx, &data, &Limits::default()).unwrap_err();
    assert!(
        err.kind() == ErrorKind::OverLimit && err.to_string().contains("XFD1048576"),
        "{err}"
    );
}

#[test]
fn calamine_panics_on_malformed_sheets_become_errors() {
    let data = bytes("qingsong-edu-2023-sheets.xlsx");
    // A reversed dimension (calamine subtracts without checking), and a cell
    // reference whose column letters overflow u32.
    let edits: [(&str, &str); 2] = [
        (
            r#"<dimension ref="A1:D15"/>"#,
            r#"<dimension ref="D15:A1"/>"#,
        ),
        (r#"r="B3""#, r#"r="ZZZZZZZZZZ3""#),
    ];
    for (from, to) in edits {
        let bad = rezip(&data, |name, bytes| {
            if name == "xl/worksheets/sheet1.xml" {
                String::from_utf8(bytes)
                    .unwrap()
                    .replacen(from, to, 1)
                    .into_bytes()
            } else {
                bytes
            }
        });
        assert_ne!(bad, data);
        // Whatever calamine does (panic in debug builds, wrap or error in
        // release), the reader returns and never unwinds into the caller.
        let outcome = read_as(Format::Xlsx, &bad, &Limits::default());
        eprintln!("{to}: {:?}", outcome.as_ref().map(|_| ()));
        match outcome.map_err(|e| (e.kind(), e)) {
            Ok(_)
            | Err((ErrorKind::ReaderPanic | ErrorKind::Corrupt | ErrorKind::OverLimit, _)) => {}
            Err((_, other)) => panic!("{from}: unexpected {other}"),
        }
    }
}

#[test]
fn ods_with_a_huge_dense_grid_is_refused_before_calamine() {
    let ods = bytes("qingsong-edu-2023-sheets.ods");
    let bad = rezip(&ods, |name, bytes| {
        if name == "content.xml" {
            let s = String::from_utf8(bytes).unwrap();
            // One value repeated over 1000 columns and 100,000 rows.
            let row = r#"<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row></table:table>"#;
            s.replacen("</table:table>", row, 1).into_bytes()
        } else {
            bytes
        }
    });
    let err = read_as(Format::Ods, &bad, &Limits::default()).unwrap_err();
    assert!(
        err.kind() == ErrorKind::OverLimit && err.to_string().contains("表二 主动公开"),
        "{err}"
    );
}

/// calamine reserves the cells an XLS DIMENSIONS record claims; a claim of
/// 4 billion rows would abort the process (a failed allocation is no panic).
#[test]
fn xls_with_a_hostile_dimensions_record_is_refused_before_calamine() {
    let mut data = bytes("qingsong-edu-2023-sheets.xls");
    let at = data
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a DIMENSIONS record");
    data[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = read_as(Format::Xls, &data, &Limits::default()).unwrap_err();
    assert!(
        err.kind() == ErrorKind::OverLimit && err.to_string().contains("sheet 1"),
        "{err}"
    );
}

/// calamine follows the directory's sector chain without a bound: a FAT entry
/// pointing back at its own sector grows a buffer until memory runs out.
#[test]
fn xls_with_a_looping_sector_chain_is_refused_before_calamine() {
    let mut data = bytes("qingsong-edu-2023-sheets.xls");
    let u32_at =
        |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let ssize = 1usize << u32::from(u16::from_le_bytes([data[0x1E], data[0x1F]]));
    let dir_start = u32_at(&data, 0x30);
    let first_fat = u32_at(&data, 0x4C);
    let entry = (first_fat + 1) * ssize + 4 * dir_start;
    data[entry..entry + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
    let err = read_as(Format::Xls, &data, &Limits::default()).unwrap_err();
    assert!(
        err.kind() == ErrorKind::Corrupt && err.to_string().contains("loops"),
        "{err}"
    );
}

/// calamine reserves `<sst uniqueCount>` strings up front: a 10 KB file
/// claiming 10^11 strings would abort the process.
#[test]
fn xlsx_with_an_absurd_shared_string_count_is_refused_before_calamine() {
    let data = bytes("qingsong-edu-2023-sheets.xlsx");
    let bad = rezip(&data, |name, bytes| {
        if name == "xl/sharedStrings.xml" {
            let s = String::from_utf8(bytes).unwrap();
            let at = s.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = at + s[at..].find('"').unwrap();
            format!("{}100000000000{}", &s[..at], &s[end..]).into_bytes()
        } else {
            bytes
        }
    });
    let err = read_as(Format::Xlsx, &bad, &Limits::default()).unwrap_err();
    assert!(
        err.kind() == ErrorKind::OverLimit && err.to_string().contains("shared strings"),
        "{err}"
    );
}
