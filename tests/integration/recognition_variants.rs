//! Recognition over the real-world variation listed in TEMPLATE.md, on text
//! rendered the way copied reports look (tab-separated, pipe rows, space
//! runs). Every variant must give the same canonical values and no findings.

use nianbao::pipeline::convert_bytes;
use nianbao::report::Report;

const COLS: usize = 7;

/// A consistent 2021-format dataset (rows, columns and sums all agree).
fn requests_rows() -> Vec<(&'static str, &'static str, &'static str, [i64; COLS])> {
    // (group label, row label, canonical key, values)
    let z = [0; COLS];
    vec![
        (
            "",
            "一、本年新收政府信息公开申请数量",
            "new",
            [5, 2, 0, 1, 0, 1, 9],
        ),
        (
            "",
            "二、上年结转政府信息公开申请数量",
            "carried_over",
            [1, 0, 0, 0, 0, 0, 1],
        ),
        (
            "三、本年度办理结果",
            "（一）予以公开",
            "granted",
            [3, 1, 0, 1, 0, 0, 5],
        ),
        (
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "partly_granted",
            [1, 0, 0, 0, 0, 0, 1],
        ),
        ("（三）不予公开", "1.属于国家秘密", "denied.state_secret", z),
        (
            "",
            "2.其他法律行政法规禁止公开",
            "denied.prohibited_by_law",
            z,
        ),
        ("", "3.危及“三安全一稳定”", "denied.security_stability", z),
        (
            "",
            "4.保护第三方合法权益",
            "denied.third_party",
            [0, 1, 0, 0, 0, 0, 1],
        ),
        ("", "5.属于三类内部事务信息", "denied.internal_affairs", z),
        ("", "6.属于四类过程性信息", "denied.process_info", z),
        ("", "7.属于行政执法案卷", "denied.enforcement_file", z),
        ("", "8.属于行政查询事项", "denied.query", z),
        (
            "（四）无法提供",
            "1.本机关不掌握相关政府信息",
            "unavailable.not_held",
            [1, 0, 0, 0, 0, 1, 2],
        ),
        (
            "",
            "2.没有现成信息需要另行制作",
            "unavailable.needs_creation",
            z,
        ),
        ("", "3.补正后申请内容仍不明确", "unavailable.unclear", z),
        (
            "（五）不予处理",
            "1.信访举报投诉类申请",
            "not_processed.petition",
            z,
        ),
        ("", "2.重复申请", "not_processed.repeated", z),
        ("", "3.要求提供公开出版物", "not_processed.publication", z),
        (
            "",
            "4.无正当理由大量反复申请",
            "not_processed.mass_requests",
            z,
        ),
        (
            "",
            "5.要求行政机关确认或重新出具已获取信息",
            "not_processed.confirmation",
            z,
        ),
        (
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "other.no_correction",
            z,
        ),
        (
            "",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "other.no_fee",
            z,
        ),
        ("", "3.其他", "other.other", z),
        ("", "（七）总计", "results_total", [5, 2, 0, 1, 0, 1, 9]),
        (
            "",
            "四、结转下年度继续办理",
            "carried_forward",
            [1, 0, 0, 0, 0, 0, 1],
        ),
    ]
}

const REVIEW: [[i64; 5]; 3] = [[1, 0, 0, 1, 2], [0, 1, 0, 0, 1], [0, 0, 0, 0, 0]];

/// How a variant renders one table-三 row's value cells.
#[derive(Clone, Copy)]
struct Style {
    subtotal: bool,
    full_width: bool,
}

fn fmt_num(v: i64, style: Style) -> String {
    let s = v.to_string();
    if style.full_width {
        s.chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect()
    } else {
        s
    }
}

fn request_values(values: &[i64; COLS], style: Style) -> Vec<String> {
    let mut out: Vec<String> = values.iter().map(|v| fmt_num(*v, style)).collect();
    if style.subtotal {
        let sub: i64 = values[1..6].iter().sum();
        out.insert(6, fmt_num(sub, style));
    }
    out
}

fn requests_header(style: Style) -> Vec<String> {
    let mut lines = vec![
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况"
            .to_string(),
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计".to_string(),
    ];
    let sub = if style.subtotal { "\t小计" } else { "" };
    lines.push(format!(
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他{sub}"
    ));
    lines
}

fn requests_row_line(group: &str, label: &str, values: &[i64; COLS], style: Style) -> String {
    format!(
        "{group}\t{label}\t\t{}",
        request_values(values, style).join("\t")
    )
}

fn active_table() -> String {
    [
        "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t3",
        "行政规范性文件\t2\t1\t15",
        "第二十条第（五）项",
        "信息内容\t本年处理决定数量",
        "行政许可\t120",
        "第二十条第（六）项",
        "信息内容\t本年处理决定数量",
        "行政处罚\t35",
        "行政强制\t2",
        "第二十条第（八）项",
        "信息内容\t本年收费金额（单位：万元）",
        "行政事业性收费\t1.2345",
    ]
    .iter()
    .map(|l| format!("{l}\t\t"))
    .collect::<Vec<_>>()
    .join("\n")
}

fn review_table() -> String {
    let values: Vec<String> = REVIEW.iter().flatten().map(i64::to_string).collect();
    [
        "行政复议\t\t\t\t\t行政诉讼".to_string(),
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉".to_string(),
        "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计".to_string(),
        values.join("\t"),
    ]
    .join("\n")
}

fn report(active: &str, requests: &str, review: &str) -> String {
    format!(
        "青山县交通运输局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n全年共收到政府信息公开申请9件。\n\n\
         二、主动公开政府信息情况\n\n{active}\n\n三、收到和处理政府信息公开申请情况\n\n{requests}\n\n\
         四、政府信息公开行政复议、行政诉讼情况\n\n{review}\n\n五、存在的主要问题及改进情况\n\n问题。\n\n\
         六、其他需要报告的事项\n\n无。\n"
    )
}

fn official_requests(style: Style) -> String {
    let mut lines = requests_header(style);
    for (group, label, _, values) in requests_rows() {
        lines.push(requests_row_line(group, label, &values, style));
    }
    lines.join("\n")
}

fn convert_text(text: &str) -> Report {
    convert_bytes(text.as_bytes(), "variant.txt", &Default::default()).expect("converts")
}

const PLAIN: Style = Style {
    subtotal: false,
    full_width: false,
};

/// Every canonical value equals the dataset, and nothing is flagged.
fn assert_dataset(r: &Report) {
    assert_eq!(r.agency.as_deref(), Some("青山县交通运输局"));
    let requests = r.tables.requests.as_ref().expect("table 三");
    let columns = [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    ];
    for (_, _, key, values) in requests_rows() {
        for (column, expected) in columns.iter().zip(values) {
            let got = requests
                .cell(key, column)
                .and_then(|c| c.value)
                .map(|v| v.as_f64());
            assert_eq!(got, Some(expected as f64), "requests.{key}.{column}");
        }
    }
    let review = r.tables.review_litigation.as_ref().expect("table 四");
    for (group, values) in ["review", "suit_direct", "suit_after_review"]
        .iter()
        .zip(REVIEW)
    {
        for (column, expected) in ["upheld", "corrected", "other", "pending", "total"]
            .iter()
            .zip(values)
        {
            let got = review
                .cell(group, column)
                .and_then(|c| c.value)
                .map(|v| v.as_f64());
            assert_eq!(
                got,
                Some(expected as f64),
                "review_litigation.{group}.{column}"
            );
        }
    }
    let active = r.tables.active_disclosure.as_ref().expect("table 二");
    for (row, column, expected) in [
        ("regulations", "in_force", 3.0),
        ("normative_documents", "issued", 2.0),
        ("normative_documents", "repealed", 1.0),
        ("normative_documents", "in_force", 15.0),
        ("licensing", "decisions", 120.0),
        ("penalty", "decisions", 35.0),
        ("coercion", "decisions", 2.0),
        ("fees", "amount", 1.2345),
    ] {
        let got = active
            .cell(row, column)
            .and_then(|c| c.value)
            .map(|v| v.as_f64());
        assert_eq!(got, Some(expected), "active_disclosure.{row}.{column}");
    }
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn official_layout_as_copied_text() {
    let r = convert_text(&report(
        &active_table(),
        &official_requests(PLAIN),
        &review_table(),
    ));
    assert_dataset(&r);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn subtotal_column_is_skipped_not_shifted() {
    let style = Style {
        subtotal: true,
        full_width: false,
    };
    assert_dataset(&convert_text(&report(
        &active_table(),
        &official_requests(style),
        &review_table(),
    )));
}

#[test]
fn full_width_digits() {
    let style = Style {
        subtotal: false,
        full_width: true,
    };
    assert_dataset(&convert_text(&report(
        &active_table(),
        &official_requests(style),
        &review_table(),
    )));
}

#[test]
fn header_repeated_after_a_page_break_and_table_split_with_page_number() {
    let rows = requests_rows();
    let mut first = requests_header(PLAIN);
    let mut second = requests_header(PLAIN);
    for (i, (group, label, _, values)) in rows.iter().enumerate() {
        let line = requests_row_line(group, label, values, PLAIN);
        if i < 12 {
            first.push(line);
        } else {
            second.push(line);
        }
    }
    // A repeated header inside one table, then a split into two tables.
    let requests = format!(
        "{}\n{}\n\n— 3 —\n\n{}",
        first.join("\n"),
        requests_header(PLAIN).join("\n"),
        second.join("\n")
    );
    assert_dataset(&convert_text(&report(
        &active_table(),
        &requests,
        &review_table(),
    )));
}

#[test]
fn label_variants_and_lost_leading_tabs() {
    let mut text = official_requests(PLAIN)
        .replace("商业企业", "企业")
        .replace("四、结转下年度继续办理", "四、结转下一年继续办理")
        .replace("（七）总计", "（七）合计")
        .replace("2.其他法律行政法规禁止公开", "2、其他法律法规禁止公开")
        .replace("3.危及“三安全一稳定”", "3.危及\"三安全一稳定\"")
        .replace("本年度办理结果", "本年度办 理结果");
    // A row that lost its leading tabs, as in the seed.
    text = text.replace("\t\t5.要求行政机关确认", "5.要求行政机关确认");
    let active = active_table().replace("行政规范性文件", "规范性文件");
    assert_dataset(&convert_text(&report(&active, &text, &review_table())));
}

#[test]
fn vertical_group_labels_broken_into_characters() {
    let mut lines = requests_header(PLAIN);
    for (i, (_, label, _, values)) in requests_rows().iter().enumerate() {
        // 三、本年度办理结果 written one character per row in the first column.
        let vertical: Vec<char> = "本年度办理结果".chars().collect();
        let group = if (2..2 + vertical.len()).contains(&i) {
            vertical[i - 2].to_string()
        } else {
            String::new()
        };
        lines.push(requests_row_line(&group, label, values, PLAIN));
    }
    assert_dataset(&convert_text(&report(
        &active_table(),
        &lines.join("\n"),
        &review_table(),
    )));
}

#[test]
fn row_label_wrapped_over_two_rows() {
    let mut lines = requests_header(PLAIN);
    for (group, label, key, values) in requests_rows() {
        if key == "partly_granted" {
            lines.push("\t（二）部分公开（区分处理的，只计".to_string());
            lines.push(requests_row_line(
                group,
                "这一情形，不计其他情形）",
                &values,
                PLAIN,
            ));
        } else if key == "other.no_fee" {
            lines.push("\t2.申请人逾期未按收费通知要求".to_string());
            lines.push(requests_row_line(
                group,
                "缴纳费用、行政机关不再处理其政府信息公开申请",
                &values,
                PLAIN,
            ));
        } else {
            lines.push(requests_row_line(group, label, &values, PLAIN));
        }
    }
    assert_dataset(&convert_text(&report(
        &active_table(),
        &lines.join("\n"),
        &review_table(),
    )));
}

#[test]
fn review_table_with_fused_header() {
    let labels: Vec<String> = [
        "行政复议",
        "行政诉讼-未经复议直接起诉",
        "行政诉讼-复议后起诉",
    ]
    .iter()
    .flat_map(|g| {
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"].map(|c| format!("{g}-{c}"))
    })
    .collect();
    let values: Vec<String> = REVIEW.iter().flatten().map(i64::to_string).collect();
    let review = format!("{}\n{}", labels.join("\t"), values.join("\t"));
    assert_dataset(&convert_text(&report(
        &active_table(),
        &official_requests(PLAIN),
        &review,
    )));
}

#[test]
fn review_table_transposed() {
    let mut lines = vec!["项目\t\t数量".to_string()];
    for (group, values) in [
        "行政复议",
        "行政诉讼（未经复议直接起诉）",
        "行政诉讼（复议后起诉）",
    ]
    .iter()
    .zip(REVIEW)
    {
        for (i, (column, v)) in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            .iter()
            .zip(values)
            .enumerate()
        {
            let g = if i == 0 { *group } else { "" };
            lines.push(format!("{g}\t{column}\t{v}"));
        }
    }
    assert_dataset(&convert_text(&report(
        &active_table(),
        &official_requests(PLAIN),
        &lines.join("\n"),
    )));
}

#[test]
fn active_disclosure_as_four_separate_tables() {
    let active = active_table().replace("\n第二十条", "\n\n第二十条（续）\n\n第二十条");
    let r = convert_text(&report(&active, &official_requests(PLAIN), &review_table()));
    assert_dataset(&r);
}

#[test]
fn pdf_pipe_rows() {
    let to_pipes = |tsv: &str| {
        tsv.lines()
            .map(|l| format!("| {} |", l.split('\t').collect::<Vec<_>>().join(" | ")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let r = convert_text(&report(
        &to_pipes(&active_table()),
        &to_pipes(&official_requests(PLAIN)),
        &to_pipes(&review_table()),
    ));
    assert_dataset(&r);
}

#[test]
fn narrative_mismatch_is_a_warning() {
    let text = report(&active_table(), &official_requests(PLAIN), &review_table())
        .replace("申请9件", "申请12件");
    let r = convert_text(&text);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule.as_str(), f.severity.as_str()),
        ("narrative.requests", "warning")
    );
    assert_eq!(f.expected.as_ref().unwrap().to_string(), "9");
    assert_eq!(f.actual.as_ref().unwrap().to_string(), "12");
}

#[test]
fn a_wrong_total_is_an_error_naming_its_cells() {
    let text = report(&active_table(), &official_requests(PLAIN), &review_table()).replace(
        "（一）予以公开\t\t3\t1\t0\t1\t0\t0\t5",
        "（一）予以公开\t\t3\t1\t0\t1\t0\t0\t7",
    );
    let r = convert_text(&text);
    let rules: Vec<(&str, &str, &str)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                f.row.as_deref().unwrap(),
                f.column.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("requests.row_sum", "granted", "total"),
            ("requests.results_sum", "results_total", "total")
        ]
    );
    let row_sum = &r.findings[0];
    assert_eq!(row_sum.severity.as_str(), "error");
    assert_eq!(row_sum.expected.as_ref().unwrap().to_string(), "5");
    assert_eq!(row_sum.actual.as_ref().unwrap().to_string(), "7");
    assert_eq!(row_sum.cells.len(), 7);
    assert_eq!(row_sum.cells[0].raw, "7");
    // The same finding gets the same fingerprint on another run.
    assert_eq!(
        convert_text(&text).findings[0].fingerprint,
        row_sum.fingerprint
    );
}

#[test]
fn blanks_make_a_failure_incomplete_not_an_error() {
    let text = report(&active_table(), &official_requests(PLAIN), &review_table()).replace(
        "（一）予以公开\t\t3\t1\t0\t1\t0\t0\t5",
        "（一）予以公开\t\t3\t1\t\t\t\t\t5",
    );
    let r = convert_text(&text);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "requests.row_sum")
        .expect("row_sum finding");
    assert_eq!(f.severity.as_str(), "incomplete");
    assert_eq!(nianbao::report::Severity::Incomplete, f.severity);
    let blank = r
        .tables
        .requests
        .as_ref()
        .unwrap()
        .cell("granted", "research")
        .unwrap();
    assert_eq!((blank.value, blank.raw.as_str()), (None, ""));
}
