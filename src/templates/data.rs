//! The national template's tables as data: canonical keys (the
//! contract of `docs/TEMPLATE.md`), label variants seen in real reports,
//! and the arithmetic each table must satisfy. A new template year is a new
//! `TemplateSpec` here, not new code.

use super::keys::{ColumnKey, RowKey};
use super::rules::*;
use super::*;

const COUNT: ValueKind = ValueKind::Count;

// ---------------------------------------------------------------- table 三

const REQUEST_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        key: ColumnKey::new("natural_person"),
        aliases: &["自然人"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("commercial"),
        aliases: &["商业企业", "企业"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("research"),
        aliases: &["科研机构"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("public_interest"),
        aliases: &["社会公益组织", "公益组织"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("legal_service"),
        aliases: &["法律服务机构"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("other_org"),
        aliases: &["其他", "其它"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("total"),
        aliases: &["总计", "合计"],
        kind: COUNT,
    },
];

/// Table 三's columns (the applicant kinds and the total), in both formats.
const REQ_COLS: &[ColumnKey] = &[
    ColumnKey::new("natural_person"),
    ColumnKey::new("commercial"),
    ColumnKey::new("research"),
    ColumnKey::new("public_interest"),
    ColumnKey::new("legal_service"),
    ColumnKey::new("other_org"),
    ColumnKey::new("total"),
];

const REQUEST_GROUPS: &[GroupSpec] = &[
    GroupSpec {
        key: "denied",
        aliases: &["不予公开"],
    },
    GroupSpec {
        key: "unavailable",
        aliases: &["无法提供"],
    },
    GroupSpec {
        key: "not_processed",
        aliases: &["不予处理"],
    },
    GroupSpec {
        key: "other",
        aliases: &["其他处理", "其它处理"],
    },
];

const REQUEST_HEADER_MARKERS: &[&str] = &[
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "勾稽关系",
];

macro_rules! row {
    ($key:expr, [$($alias:expr),+], $cols:expr) => {
        RowSpec { key: RowKey::new($key), aliases: &[$($alias),+], group: None, columns: $cols }
    };
    ($key:expr, [$($alias:expr),+], $cols:expr, group $group:expr) => {
        RowSpec { key: RowKey::new($key), aliases: &[$($alias),+], group: Some($group), columns: $cols }
    };
}

/// Rows shared by both formats up to （五）不予处理.
macro_rules! request_rows_head {
    () => {
        [
            row!(
                "new",
                ["本年新收政府信息公开申请数量", "本年新收"],
                REQ_COLS
            ),
            row!(
                "carried_over",
                ["上年结转政府信息公开申请数量", "上年结转"],
                REQ_COLS
            ),
            row!("granted", ["予以公开"], REQ_COLS),
            row!(
                "partly_granted",
                ["部分公开区分处理的只计这一情形不计其他情形", "部分公开"],
                REQ_COLS
            ),
            row!(
                "denied.state_secret",
                ["属于国家秘密", "国家秘密"],
                REQ_COLS
            ),
            row!(
                "denied.prohibited_by_law",
                [
                    "其他法律行政法规禁止公开",
                    "法律行政法规禁止公开",
                    "法律法规禁止公开"
                ],
                REQ_COLS
            ),
            row!(
                "denied.security_stability",
                ["危及三安全一稳定", "三安全一稳定"],
                REQ_COLS
            ),
            row!(
                "denied.third_party",
                ["保护第三方合法权益", "第三方合法权益"],
                REQ_COLS
            ),
            row!(
                "denied.internal_affairs",
                ["属于三类内部事务信息", "内部事务信息"],
                REQ_COLS
            ),
            row!(
                "denied.process_info",
                ["属于四类过程性信息", "过程性信息"],
                REQ_COLS
            ),
            row!(
                "denied.enforcement_file",
                ["属于行政执法案卷", "行政执法案卷"],
                REQ_COLS
            ),
            row!(
                "denied.query",
                ["属于行政查询事项", "行政查询事项"],
                REQ_COLS
            ),
            row!(
                "unavailable.not_held",
                ["本机关不掌握相关政府信息", "不掌握相关政府信息"],
                REQ_COLS
            ),
            row!(
                "unavailable.needs_creation",
                ["没有现成信息需要另行制作", "需要另行制作"],
                REQ_COLS
            ),
            row!(
                "unavailable.unclear",
                ["补正后申请内容仍不明确", "申请内容仍不明确"],
                REQ_COLS
            ),
            row!(
                "not_processed.petition",
                ["信访举报投诉类申请", "信访举报投诉"],
                REQ_COLS
            ),
            row!("not_processed.repeated", ["重复申请"], REQ_COLS),
            row!(
                "not_processed.publication",
                ["要求提供公开出版物", "公开出版物"],
                REQ_COLS
            ),
            row!(
                "not_processed.mass_requests",
                ["无正当理由大量反复申请", "大量反复申请"],
                REQ_COLS
            ),
            row!(
                "not_processed.confirmation",
                [
                    "要求行政机关确认或重新出具已获取信息",
                    "确认或重新出具已获取信息"
                ],
                REQ_COLS
            ),
        ]
    };
}

const RESULTS_TOTAL: RowSpec = row!("results_total", ["总计", "合计"], REQ_COLS);
const CARRIED_FORWARD: RowSpec = row!(
    "carried_forward",
    [
        "结转下年度继续办理",
        "结转下一年度继续办理",
        "结转下一年继续办理",
        "结转下年继续办理"
    ],
    REQ_COLS
);

const REQUEST_ROWS_2021: &[RowSpec] = &{
    concat::<20, 5, 25>(
        request_rows_head!(),
        [
            row!(
                "other.no_correction",
                [
                    "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
                    "逾期不补正"
                ],
                REQ_COLS
            ),
            row!(
                "other.no_fee",
                [
                    "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
                    "未按收费通知要求缴纳费用"
                ],
                REQ_COLS
            ),
            row!("other.other", ["其他", "其它"], REQ_COLS, group "other"),
            RESULTS_TOTAL,
            CARRIED_FORWARD,
        ],
    )
};

const REQUEST_ROWS_2019: &[RowSpec] = &{
    concat::<20, 3, 23>(
        request_rows_head!(),
        [
            row!("other", ["其他处理", "其它处理"], REQ_COLS),
            RESULTS_TOTAL,
            CARRIED_FORWARD,
        ],
    )
};

/// The rows shared by both formats followed by one format's own; `C` must
/// be `A + B` (checked when the constant is built).
const fn concat<const A: usize, const B: usize, const C: usize>(
    a: [RowSpec; A],
    b: [RowSpec; B],
) -> [RowSpec; C] {
    assert!(A + B == C && A > 0);
    let mut out = [a[0]; C];
    let mut i = 0;
    while i < C {
        out[i] = if i < A { a[i] } else { b[i - A] };
        i += 1;
    }
    out
}

// ---------------------------------------------------------------- table 四

const REVIEW_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        key: ColumnKey::new("upheld"),
        aliases: &["结果维持"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("corrected"),
        aliases: &["结果纠正"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("other"),
        aliases: &["其他结果"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("pending"),
        aliases: &["尚未审结"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("total"),
        aliases: &["总计", "合计"],
        kind: COUNT,
    },
];

const REVIEW_COLS: &[ColumnKey] = &[
    ColumnKey::new("upheld"),
    ColumnKey::new("corrected"),
    ColumnKey::new("other"),
    ColumnKey::new("pending"),
    ColumnKey::new("total"),
];

const REVIEW_ROWS: &[RowSpec] = &[
    row!("review", ["行政复议"], REVIEW_COLS),
    row!("suit_direct", ["未经复议直接起诉", "直接起诉"], REVIEW_COLS),
    row!("suit_after_review", ["复议后起诉"], REVIEW_COLS),
];

const REVIEW_TABLE: TableSpec = TableSpec {
    key: TableKey::ReviewLitigation,
    layout: Layout::GroupedColumns,
    columns: REVIEW_COLUMNS,
    rows: REVIEW_ROWS,
    groups: &[],
    header_markers: &[
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
    ],
    signature: &[],
    extra_rows: &[],
    rules: REVIEW_RULES,
    narrative: None,
    carry: None,
    stock: None,
};

// ---------------------------------------------------------------- table 二

const ACTIVE_COLUMNS_2021: &[ColumnSpec] = &[
    ColumnSpec {
        key: ColumnKey::new("issued"),
        aliases: &["本年制发件数", "本年新制发件数", "制发件数"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("repealed"),
        aliases: &["本年废止件数", "废止件数"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("in_force"),
        aliases: &["现行有效件数", "有效件数"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("decisions"),
        aliases: &["本年处理决定数量", "处理决定数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("amount"),
        aliases: &["本年收费金额", "收费金额"],
        kind: ValueKind::Amount { max_decimals: 4 },
    },
];

const ISSUED: &[ColumnKey] = &[
    ColumnKey::new("issued"),
    ColumnKey::new("repealed"),
    ColumnKey::new("in_force"),
];

const ACTIVE_ROWS_2021: &[RowSpec] = &[
    row!("regulations", ["规章"], ISSUED),
    row!(
        "normative_documents",
        ["行政规范性文件", "规范性文件"],
        ISSUED
    ),
    row!("licensing", ["行政许可"], &[ColumnKey::new("decisions")]),
    row!("penalty", ["行政处罚"], &[ColumnKey::new("decisions")]),
    row!("coercion", ["行政强制"], &[ColumnKey::new("decisions")]),
    row!("fees", ["行政事业性收费"], &[ColumnKey::new("amount")]),
];

const ACTIVE_MARKERS: &[&str] = &[
    "第二十条第一项",
    "第二十条第五项",
    "第二十条第六项",
    "第二十条第八项",
    "第二十条第九项",
    "信息内容",
];

const ACTIVE_COLUMNS_2019: &[ColumnSpec] = &[
    ColumnSpec {
        key: ColumnKey::new("made"),
        aliases: &["本年新制作数量", "新制作数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("published"),
        aliases: &["本年新公开数量", "新公开数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("total_public"),
        aliases: &["对外公开总数量", "公开总数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("prev_items"),
        aliases: &["上一年项目数量", "上年项目数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("change"),
        aliases: &["本年增减", "本年增/减"],
        kind: ValueKind::SignedCount,
    },
    ColumnSpec {
        key: ColumnKey::new("decisions"),
        aliases: &["处理决定数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("items"),
        aliases: &["采购项目数量"],
        kind: COUNT,
    },
    ColumnSpec {
        key: ColumnKey::new("amount"),
        aliases: &["采购总金额"],
        kind: ValueKind::Amount { max_decimals: 4 },
    },
];

const MADE: &[ColumnKey] = &[
    ColumnKey::new("made"),
    ColumnKey::new("published"),
    ColumnKey::new("total_public"),
];
const ITEMS: &[ColumnKey] = &[
    ColumnKey::new("prev_items"),
    ColumnKey::new("change"),
    ColumnKey::new("decisions"),
];

const ACTIVE_ROWS_2019: &[RowSpec] = &[
    row!("regulations", ["规章"], MADE),
    row!(
        "normative_documents",
        ["规范性文件", "行政规范性文件"],
        MADE
    ),
    row!("licensing", ["行政许可"], ITEMS),
    row!(
        "other_services",
        ["其他对外管理服务事项", "对外管理服务事项"],
        ITEMS
    ),
    row!("penalty", ["行政处罚"], ITEMS),
    row!("coercion", ["行政强制"], ITEMS),
    row!(
        "fees",
        ["行政事业性收费"],
        &[ColumnKey::new("prev_items"), ColumnKey::new("change")]
    ),
    row!(
        "procurement",
        ["政府集中采购"],
        &[ColumnKey::new("items"), ColumnKey::new("amount")]
    ),
];

// ---------------------------------------------------------------- rules

/// 表三: each row's total is the sum of the six applicant columns; each
/// column's （七）总计 is the sum of the results; what was received plus
/// what was carried over is what was answered plus what is carried forward.
const REQUEST_RULES: &[ArithmeticRule] = &[
    ArithmeticRule {
        id: crate::checks::ROW_SUM,
        shape: Shape::RowSum {
            total: ColumnKey::new("total"),
        },
        describe: "total should equal the sum of the six applicant columns",
    },
    ArithmeticRule {
        id: crate::checks::RESULTS_SUM,
        shape: Shape::ColumnSum {
            total: RowKey::new("results_total"),
            first: RowKey::new("granted"),
        },
        describe: "results_total should equal the sum of all results",
    },
    ArithmeticRule {
        id: crate::checks::BALANCE,
        shape: Shape::Balance {
            left: &[RowKey::new("results_total"), RowKey::new("carried_forward")],
            right: &[RowKey::new("new"), RowKey::new("carried_over")],
            at: RowKey::new("carried_forward"),
        },
        describe: "results_total + carried_forward should equal new + carried_over",
    },
];

/// 表四: in each group (复议, 直接起诉, 复议后起诉) the total is the sum of
/// its results.
const REVIEW_RULES: &[ArithmeticRule] = &[ArithmeticRule {
    id: crate::checks::GROUP_SUM,
    shape: Shape::RowSum {
        total: ColumnKey::new("total"),
    },
    describe: "total should equal upheld + corrected + other + pending",
}];

/// 本年新收 as the narrative states it and as table 三 holds it.
const REQUEST_NARRATIVE: Option<NarrativeCell> = Some(NarrativeCell {
    row: RowKey::new("new"),
    column: ColumnKey::new("total"),
});

/// 结转下年度继续办理 of one year is 上年结转 of the next.
const REQUEST_CARRY: Option<Carry> = Some(Carry {
    forward: RowKey::new("carried_forward"),
    over: RowKey::new("carried_over"),
});

const STOCK_ROWS: &[RowKey] = &[
    RowKey::new("regulations"),
    RowKey::new("normative_documents"),
];

/// 现行有效件数 = last year's + 本年制发 − 本年废止.
const ACTIVE_STOCK_2021: Option<Stock> = Some(Stock {
    rows: STOCK_ROWS,
    stock: ColumnKey::new("in_force"),
    added: ColumnKey::new("issued"),
    removed: Some(ColumnKey::new("repealed")),
});

/// 对外公开总数量 = last year's + 本年新公开 (the format counts no removals;
/// it counts documents published, not in force, so the 2020→2021 change is
/// not assessable).
const ACTIVE_STOCK_2019: Option<Stock> = Some(Stock {
    rows: STOCK_ROWS,
    stock: ColumnKey::new("total_public"),
    added: ColumnKey::new("published"),
    removed: None,
});

/// The 2019 format's one-row （六）其他处理, as a 2021 report may print it.
const ONE_ROW_OTHER: &[RowSpec] = &[row!("other", ["其他处理"], REQ_COLS)];

// ---------------------------------------------------------------- templates

pub static TEMPLATE_2021: TemplateSpec = TemplateSpec {
    id: TemplateId::Y2021,
    from_year: 2021,
    tables: &[
        TableSpec {
            key: TableKey::ActiveDisclosure,
            layout: Layout::LabelledRows,
            columns: ACTIVE_COLUMNS_2021,
            rows: ACTIVE_ROWS_2021,
            groups: &[],
            header_markers: ACTIVE_MARKERS,
            signature: &[
                "本年制发件数",
                "本年废止件数",
                "现行有效件数",
                "本年收费金额",
            ],
            extra_rows: &[],
            rules: &[],
            narrative: None,
            carry: None,
            stock: ACTIVE_STOCK_2021,
        },
        TableSpec {
            key: TableKey::Requests,
            layout: Layout::LabelledRows,
            columns: REQUEST_COLUMNS,
            rows: REQUEST_ROWS_2021,
            groups: REQUEST_GROUPS,
            header_markers: REQUEST_HEADER_MARKERS,
            signature: &["逾期不补正", "未按收费通知要求缴纳费用"],
            extra_rows: ONE_ROW_OTHER,
            rules: REQUEST_RULES,
            narrative: REQUEST_NARRATIVE,
            carry: REQUEST_CARRY,
            stock: None,
        },
        REVIEW_TABLE,
    ],
};

pub static TEMPLATE_2019: TemplateSpec = TemplateSpec {
    id: TemplateId::Y2019,
    from_year: 2019,
    tables: &[
        TableSpec {
            key: TableKey::ActiveDisclosure,
            layout: Layout::LabelledRows,
            columns: ACTIVE_COLUMNS_2019,
            rows: ACTIVE_ROWS_2019,
            groups: &[],
            header_markers: ACTIVE_MARKERS,
            signature: &[
                "本年新制作数量",
                "本年新公开数量",
                "对外公开总数量",
                "上一年项目数量",
                "其他对外管理服务事项",
                "政府集中采购",
            ],
            extra_rows: &[],
            rules: &[],
            narrative: None,
            carry: None,
            stock: ACTIVE_STOCK_2019,
        },
        TableSpec {
            key: TableKey::Requests,
            layout: Layout::LabelledRows,
            columns: REQUEST_COLUMNS,
            rows: REQUEST_ROWS_2019,
            groups: REQUEST_GROUPS,
            header_markers: REQUEST_HEADER_MARKERS,
            signature: &[],
            extra_rows: &[],
            rules: REQUEST_RULES,
            narrative: REQUEST_NARRATIVE,
            carry: REQUEST_CARRY,
            stock: None,
        },
        REVIEW_TABLE,
    ],
};

/// The six narrative sections, in order, with the phrases that identify
/// their headings (after normalization).
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("overview", &["总体情况", "基本情况", "概述"]),
    (
        "active_disclosure",
        &["主动公开政府信息情况", "主动公开政府信息", "主动公开情况"],
    ),
    (
        "requests",
        &[
            "收到和处理政府信息公开申请情况",
            "收到和处理政府信息公开申请",
            "依申请公开情况",
            "依申请公开",
        ],
    ),
    (
        "review_litigation",
        &[
            "行政复议行政诉讼情况",
            "被申请行政复议提起行政诉讼情况",
            "被申请行政复议和提起行政诉讼情况",
            "行政复议和行政诉讼情况",
            "提起行政诉讼",
            "行政复议行政诉讼",
        ],
    ),
    (
        "problems",
        &[
            "存在的主要问题及改进情况",
            "主要问题及改进情况",
            "存在的主要问题",
        ],
    ),
    (
        "other",
        &[
            "其他需要报告的事项",
            "其它需要报告的事项",
            "其他需要报告事项",
        ],
    ),
];
